/* Link, network and transport layer decoding (with overlay unwrapping). */
#ifndef K8SNET_LAYERS_H
#define K8SNET_LAYERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/err.h"
#include "k8snet/ipaddr.h"

/* Link types the decoder understands (the capture maps pcap DLTs). */
enum kn_link {
	KN_LINK_ETHER, /* Ethernet II, 802.1Q / 802.1ad / QinQ tags */
	KN_LINK_SLL,   /* Linux cooked v1 (-i any, older libpcap) */
	KN_LINK_SLL2,  /* Linux cooked v2 */
	KN_LINK_RAW,   /* raw IP, version from the first nibble */
	KN_LINK_IPV4,
	KN_LINK_IPV6,
	KN_LINK_NULL,  /* BSD loopback, host byte order family */
	KN_LINK_LOOP,  /* OpenBSD loopback, network byte order family */
	KN_LINK_NFLOG, /* Linux NFLOG (iptables/nftables log groups) */
	KN_LINK_PPP,   /* PPP, HDLC-like framing or none */
	KN_LINK_PPPOE, /* PPPoE session header, then PPP (no Ethernet) */
};

enum kn_encap {
	KN_ENCAP_NONE,
	KN_ENCAP_VXLAN,
	KN_ENCAP_GENEVE,
	KN_ENCAP_IPIP,
};

/* "vxlan", "geneve", "ipip"; "none" for anything else. */
const char *kn_encap_name(uint8_t encap);

/* What kn_layers_decode found; KN_OK means a UDP or TCP packet. */
struct kn_pkt {
	struct kn_ipaddr src, dst;	       /* innermost IP header */
	struct kn_ipaddr outer_src, outer_dst; /* outermost, when encap */
	uint8_t encap;	   /* enum kn_encap of the outermost overlay */
	uint8_t proto;	   /* 6 TCP, 17 UDP (or the last protocol seen) */
	uint8_t tcp_flags; /* FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 */
	bool frag;	   /* an IPv4/IPv6 fragment: frag_* say which */
	uint16_t sport, dport;
	uint32_t seq, ack;
	const uint8_t *payload; /* borrows the input */
	uint32_t plen;
	/* A fragment (frag): the datagram's identification (IPv4's 16 bits,
	 * IPv6's 32), the byte offset of frag_data in the datagram's
	 * payload, whether more follow (MF / M), and the IP nesting level
	 * it was found at (0: outermost). frag_data borrows the input. */
	uint32_t frag_id;
	uint32_t frag_off;
	bool frag_more;
	uint8_t frag_depth;
	const uint8_t *frag_data;
	uint32_t frag_len;
	/* An ICMP or ICMPv6 error (enum kn_icmp_err) about a UDP datagram:
	 * src, dst, ports and payload are those of the datagram it quotes
	 * (proto 17), icmp_from is who sent the error. */
	uint8_t icmp;
	struct kn_ipaddr icmp_from;
};

/* kn_pkt.icmp: destination unreachable, port unreachable (ICMP type 3
 * code 3, RFC 792; ICMPv6 type 1 code 4, RFC 4443 section 3.1). */
enum kn_icmp_err { KN_ICMP_NONE, KN_ICMP_PORT_UNREACH };

#define KN_TCP_FIN 0x01
#define KN_TCP_SYN 0x02
#define KN_TCP_RST 0x04
#define KN_TCP_ACK 0x10

/* Decode p[0..len) of link type link down to UDP/TCP (or an ICMP port
 * unreachable quoting a UDP datagram: out->icmp), unwrapping VXLAN
 * (UDP 4789, 8472), Geneve (6081) and IP-in-IP/IPv6-in-IP unless
 * no_decap. Nesting is bounded (4 levels), as are VLAN tags (4) and IPv6
 * extension headers (8). Returns KN_OK for UDP/TCP with out filled;
 * KN_ERR_UNSUPPORTED for anything else (non-IP, other protocols,
 * fragments: out->frag and out->frag_* set); KN_ERR_TRUNC or
 * KN_ERR_PARSE for bad packets (a fragment captured short is
 * KN_ERR_TRUNC, frag set). Pure: out borrows p. */
enum kn_err kn_layers_decode(enum kn_link link, const uint8_t *p, size_t len,
			     bool no_decap, struct kn_pkt *out);

/* A reassembled datagram: its payload p[0..len) (what followed the IP
 * header in the fragments, in order) decoded as out->proto, into out,
 * which holds the fragment's addresses and overlay (its frag cleared).
 * Returns as kn_layers_decode. Pure: out borrows p. */
enum kn_err kn_layers_transport(const uint8_t *p, size_t len, bool no_decap,
				struct kn_pkt *out);

#endif
