/* Link (Ethernet, VLAN and QinQ, Linux cooked v1/v2, raw, loopback, Linux
 * NFLOG, PPP in HDLC framing (RFC 1662) and PPPoE (RFC 2516), MPLS label
 * stacks (RFC 3032)), IPv4 (RFC 791, options skipped), IPv6 (RFC 8200
 * extension headers walked), fragments of either described for
 * reassembly (src/capture/reasm.c), UDP, TCP, and overlays: VXLAN
 * (RFC 7348), Geneve (RFC 8926), IP-in-IP (RFC 2003). Limits: 4
 * encapsulation levels, 4 VLAN tags, 8 MPLS labels, 64 NFLOG attributes,
 * 8 IPv6 extension headers. */
#include <string.h>

#include "decode.h"
#include "k8snet/layers.h"

#define KN_MAX_DEPTH 4

static enum kn_err ip_decode(const uint8_t *p, size_t len, int depth,
			     bool no_decap, struct kn_pkt *out);
static enum kn_err mpls_decode(const uint8_t *p, size_t len, int depth,
			       bool no_decap, struct kn_pkt *out);
static enum kn_err ether_decode(const uint8_t *p, size_t len, int depth,
				bool no_decap, struct kn_pkt *out);

/* A PPP frame's protocol field (RFC 1661 2; 1 byte when compressed,
 * RFC 1661 6.5) and the network packet after it. */
static enum kn_err
ppp_proto_decode(const uint8_t *p, size_t len, int depth, bool no_decap,
		 struct kn_pkt *out)
{
	uint16_t proto;
	size_t n;

	if (len < 1)
		return KN_ERR_TRUNC;
	if (p[0] & 1) { /* compressed: one byte */
		proto = p[0];
		n = 1;
	} else {
		if (len < 2)
			return KN_ERR_TRUNC;
		proto = (uint16_t)(p[0] << 8 | p[1]);
		n = 2;
	}
	if (proto == 0x0021 || proto == 0x0057)
		return ip_decode(p + n, len - n, depth, no_decap, out);
	return KN_ERR_UNSUPPORTED;
}

/* PPP in HDLC-like framing (RFC 1662 3.1): address 0xff and control 0x03
 * unless compressed away (RFC 1661 6.6). */
static enum kn_err
ppp_decode(const uint8_t *p, size_t len, int depth, bool no_decap,
	   struct kn_pkt *out)
{
	if (len >= 2 && p[0] == 0xff && p[1] == 0x03)
		return ppp_proto_decode(p + 2, len - 2, depth, no_decap, out);
	return ppp_proto_decode(p, len, depth, no_decap, out);
}

/* A PPPoE session packet (RFC 2516 5): version and type 1, code 0, the
 * length bounding the PPP frame inside. */
static enum kn_err
pppoe_decode(const uint8_t *p, size_t len, int depth, bool no_decap,
	     struct kn_pkt *out)
{
	size_t plen;

	if (len < 6)
		return KN_ERR_TRUNC;
	if (p[0] != 0x11 || p[1] != 0)
		return KN_ERR_UNSUPPORTED; /* discovery, or another version */
	plen = (size_t)(p[4] << 8 | p[5]);
	if (plen > len - 6)
		plen = len - 6; /* snaplen */
	return ppp_proto_decode(p + 6, plen, depth, no_decap, out);
}

/* An MPLS label stack (RFC 3032 2.1), at most KN_MAX_LABELS entries, to
 * its bottom (S bit); IPv4 or IPv6 after it, told by the version nibble
 * (RFC 4385 3: a pseudowire control word starts with 0, not handled). */
#define KN_MAX_LABELS 8
static enum kn_err
mpls_decode(const uint8_t *p, size_t len, int depth, bool no_decap,
	    struct kn_pkt *out)
{
	size_t off = 0;
	int n;

	for (n = 0;; n++) {
		if (n >= KN_MAX_LABELS)
			return KN_ERR_PARSE;
		if (len - off < 4)
			return KN_ERR_TRUNC;
		off += 4;
		if (p[off - 2] & 1) /* bottom of stack */
			break;
	}
	if (len - off < 1)
		return KN_ERR_TRUNC;
	if ((p[off] >> 4) != 4 && (p[off] >> 4) != 6)
		return KN_ERR_UNSUPPORTED;
	return ip_decode(p + off, len - off, depth, no_decap, out);
}

static enum kn_err
ethertype_decode(uint16_t type, const uint8_t *p, size_t len, int depth,
		 bool no_decap, struct kn_pkt *out)
{
	switch (type) {
	case 0x0800:
	case 0x86dd:
		return ip_decode(p, len, depth, no_decap, out);
	case 0x8847:
	case 0x8848:
		return mpls_decode(p, len, depth, no_decap, out);
	case 0x8864:
		return pppoe_decode(p, len, depth, no_decap, out);
	default:
		return KN_ERR_UNSUPPORTED;
	}
}

/* Big-endian fields at p, the caller having checked the length: every
 * packet goes through these, one check per header is enough. */
static inline uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t
be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

static enum kn_err
ether_decode(const uint8_t *p, size_t len, int depth, bool no_decap,
	     struct kn_pkt *out)
{
	size_t off = 14;
	uint16_t type;
	int tags = 0;

	if (len < 14)
		return KN_ERR_TRUNC;
	type = be16(p + 12);
	while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
		if (++tags > 4)
			return KN_ERR_PARSE;
		/* the tag's control information, then the next type */
		if (len - off < 4)
			return KN_ERR_TRUNC;
		type = be16(p + off + 2);
		off += 4;
	}
	return ethertype_decode(type, p + off, len - off, depth, no_decap, out);
}

static void
set_ip(struct kn_ipaddr *ip, int family, const uint8_t *a)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = (uint8_t)family;
	memcpy(ip->addr, a, family == 4 ? 4 : 16);
}

static enum kn_err
udp_decode(const uint8_t *p, size_t len, int depth, bool no_decap,
	   struct kn_pkt *out)
{
	uint16_t sport, dport, ulen;
	uint8_t flags, optlen;
	const uint8_t *pl;
	size_t plen;

	if (len < 8)
		return KN_ERR_TRUNC;
	sport = be16(p);
	dport = be16(p + 2);
	ulen = be16(p + 4);
	/* The UDP length bounds the payload (the capture may be shorter:
	 * snaplen; never longer). */
	if (ulen < 8)
		return KN_ERR_PARSE;
	plen = len - 8;
	if ((size_t)ulen - 8 < plen)
		plen = (size_t)ulen - 8;
	pl = p + 8;
	if (!no_decap && depth < KN_MAX_DEPTH) {
		if (dport == 4789 || dport == 8472) {
			/* VXLAN: flags (I bit 0x08), 3 reserved, VNI, 1 rsvd */
			if (plen >= 8 && (pl[0] & 0x08)) {
				if (out->encap == KN_ENCAP_NONE) {
					out->encap = KN_ENCAP_VXLAN;
					out->outer_src = out->src;
					out->outer_dst = out->dst;
				}
				return ether_decode(pl + 8, plen - 8, depth + 1,
						    no_decap, out);
			}
		} else if (dport == 6081 && plen >= 8) {
			struct kn_rd g;
			uint16_t ptype;

			kn_rd_init(&g, pl, plen);
			(void)kn_rd_u8(&g, &optlen);
			(void)kn_rd_u8(&g, &flags);
			(void)kn_rd_u16(&g, &ptype);
			if ((optlen >> 6) != 0)
				return KN_ERR_UNSUPPORTED; /* unknown version */
			if (!kn_rd_skip(&g, 4 + (size_t)(optlen & 0x3f) * 4))
				return KN_ERR_TRUNC;
			if (out->encap == KN_ENCAP_NONE) {
				out->encap = KN_ENCAP_GENEVE;
				out->outer_src = out->src;
				out->outer_dst = out->dst;
			}
			if (ptype == 0x6558)
				return ether_decode(pl + g.off, kn_rd_left(&g),
						    depth + 1, no_decap, out);
			return ethertype_decode(ptype, pl + g.off,
						kn_rd_left(&g), depth + 1,
						no_decap, out);
		}
	}
	out->proto = 17;
	out->sport = sport;
	out->dport = dport;
	out->tcp_flags = 0;
	out->payload = pl;
	out->plen = (uint32_t)plen;
	return KN_OK;
}

static enum kn_err
tcp_decode(const uint8_t *p, size_t len, struct kn_pkt *out)
{
	size_t hlen;

	/* up to the flags: what a header cut short must still have */
	if (len < 14)
		return KN_ERR_TRUNC;
	hlen = (size_t)(p[12] >> 4) * 4;
	if (hlen < 20)
		return KN_ERR_PARSE;
	if (hlen > len)
		return KN_ERR_TRUNC;
	out->proto = 6;
	out->sport = be16(p);
	out->dport = be16(p + 2);
	out->seq = be32(p + 4);
	out->ack = be32(p + 8);
	out->tcp_flags = p[13];
	out->payload = p + hlen;
	out->plen = (uint32_t)(len - hlen);
	return KN_OK;
}

/* The datagram an ICMP error quotes at p[0..len): its IP header (4 or
 * 6, as the error's) and at least the 8 octets of its UDP header (RFC
 * 792; RFC 4443 section 3.1 quotes as much as fits). Extension headers
 * of a quoted IPv6 datagram are not followed. */
static enum kn_err
icmp_quoted(const uint8_t *p, size_t len, int family, struct kn_pkt *out)
{
	size_t hlen;
	uint8_t proto;

	if (family == 4) {
		if (len < 20 || (p[0] >> 4) != 4)
			return len < 20 ? KN_ERR_TRUNC : KN_ERR_PARSE;
		hlen = (size_t)(p[0] & 0x0f) * 4;
		if (hlen < 20)
			return KN_ERR_PARSE;
		proto = p[9];
		if ((((p[6] << 8) | p[7]) & 0x1fff) != 0)
			return KN_ERR_UNSUPPORTED; /* not a first fragment */
	} else {
		if (len < 40 || (p[0] >> 4) != 6)
			return len < 40 ? KN_ERR_TRUNC : KN_ERR_PARSE;
		hlen = 40;
		proto = p[6];
	}
	if (proto != 17)
		return KN_ERR_UNSUPPORTED;
	if (len < hlen + 8)
		return KN_ERR_TRUNC;
	out->icmp_from = out->src;
	set_ip(&out->src, family, p + (family == 4 ? 12 : 8));
	set_ip(&out->dst, family, p + (family == 4 ? 16 : 24));
	out->proto = 17;
	out->sport = (uint16_t)((p[hlen] << 8) | p[hlen + 1]);
	out->dport = (uint16_t)((p[hlen + 2] << 8) | p[hlen + 3]);
	out->payload = p + hlen + 8;
	out->plen = (uint32_t)(len - hlen - 8);
	out->icmp = KN_ICMP_PORT_UNREACH;
	return KN_OK;
}

/* ICMP (1) or ICMPv6 (58): a port unreachable about a UDP datagram;
 * any other message is not decoded. */
static enum kn_err
icmp_decode(uint8_t proto, const uint8_t *p, size_t len, struct kn_pkt *out)
{
	if (len < 8)
		return KN_ERR_TRUNC;
	if (proto == 1 && out->src.family == 4 && p[0] == 3 && p[1] == 3)
		return icmp_quoted(p + 8, len - 8, 4, out);
	if (proto == 58 && out->src.family == 6 && p[0] == 1 && p[1] == 4)
		return icmp_quoted(p + 8, len - 8, 6, out);
	return KN_ERR_UNSUPPORTED;
}

static enum kn_err
transport_decode(uint8_t proto, const uint8_t *p, size_t len, int depth,
		 bool no_decap, struct kn_pkt *out)
{
	out->proto = proto;
	switch (proto) {
	case 1:
	case 58:
		return icmp_decode(proto, p, len, out);
	case 6:
		return tcp_decode(p, len, out);
	case 17:
		return udp_decode(p, len, depth, no_decap, out);
	case 4:
	case 41:
		if (no_decap || depth >= KN_MAX_DEPTH)
			return KN_ERR_UNSUPPORTED;
		if (out->encap == KN_ENCAP_NONE) {
			out->encap = KN_ENCAP_IPIP;
			out->outer_src = out->src;
			out->outer_dst = out->dst;
		}
		if (len < 1 || (p[0] >> 4) != (proto == 4 ? 4 : 6))
			return KN_ERR_PARSE;
		return ip_decode(p, len, depth + 1, no_decap, out);
	default:
		return KN_ERR_UNSUPPORTED;
	}
}

static enum kn_err
ipv4_decode(const uint8_t *p, size_t len, int depth, bool no_decap,
	    struct kn_pkt *out)
{
	size_t hlen, tlen;
	uint16_t frag;

	if (len < 20)
		return KN_ERR_TRUNC;
	hlen = (size_t)(p[0] & 0x0f) * 4;
	if (hlen < 20)
		return KN_ERR_PARSE;
	if (hlen > len)
		return KN_ERR_TRUNC;
	tlen = ((size_t)p[2] << 8) | p[3];
	if (tlen < hlen)
		return KN_ERR_PARSE;
	/* Trim link-layer padding; a short capture keeps what it has. */
	if (tlen < len)
		len = tlen;
	set_ip(&out->src, 4, p + 12);
	set_ip(&out->dst, 4, p + 16);
	frag = (uint16_t)(((p[6] << 8) | p[7]) & 0x3fff);
	if (frag != 0) {
		/* RFC 791 3.2: offset in 8-octet units, MF 0x2000. */
		out->frag = true;
		out->proto = p[9];
		out->frag_id = (uint32_t)((p[4] << 8) | p[5]);
		out->frag_off = (uint32_t)(frag & 0x1fff) * 8;
		out->frag_more = (frag & 0x2000) != 0;
		out->frag_depth = (uint8_t)depth;
		out->frag_data = p + hlen;
		out->frag_len = (uint32_t)(len - hlen);
		/* Cut by the snaplen: not all of it is here. */
		return len < tlen ? KN_ERR_TRUNC : KN_ERR_UNSUPPORTED;
	}
	return transport_decode(p[9], p + hlen, len - hlen, depth, no_decap,
				out);
}

static enum kn_err
ipv6_decode(const uint8_t *p, size_t len, int depth, bool no_decap,
	    struct kn_pkt *out)
{
	size_t plen, off = 40, elen;
	uint16_t fo;
	uint8_t nh;
	bool cut;
	int i;

	if (len < 40)
		return KN_ERR_TRUNC;
	plen = ((size_t)p[4] << 8) | p[5];
	if (40 + plen < len)
		len = 40 + plen; /* jumbograms (plen 0) are not carried */
	cut = len < 40 + plen;
	set_ip(&out->src, 6, p + 8);
	set_ip(&out->dst, 6, p + 24);
	nh = p[6];
	for (i = 0; i < 8; i++) {
		switch (nh) {
		case 0:	  /* hop-by-hop */
		case 43:  /* routing */
		case 60:  /* destination options */
		case 135: /* mobility */
			if (len - off < 8)
				return KN_ERR_TRUNC;
			elen = ((size_t)p[off + 1] + 1) * 8;
			break;
		case 51: /* AH: length in 4-octet units, minus 2 */
			if (len - off < 8)
				return KN_ERR_TRUNC;
			elen = ((size_t)p[off + 1] + 2) * 4;
			break;
		case 44: /* fragment */
			if (len - off < 8)
				return KN_ERR_TRUNC;
			/* RFC 8200 4.5: offset in the top 13 bits, M the
			 * lowest. */
			fo = (uint16_t)((p[off + 2] << 8) | p[off + 3]);
			if ((fo & 0xfff9) != 0) {
				out->frag = true;
				out->proto = p[off];
				out->frag_id = ((uint32_t)p[off + 4] << 24) |
					       ((uint32_t)p[off + 5] << 16) |
					       ((uint32_t)p[off + 6] << 8) |
					       p[off + 7];
				out->frag_off = fo & 0xfff8u;
				out->frag_more = (fo & 1) != 0;
				out->frag_depth = (uint8_t)depth;
				out->frag_data = p + off + 8;
				out->frag_len = (uint32_t)(len - off - 8);
				return cut ? KN_ERR_TRUNC : KN_ERR_UNSUPPORTED;
			}
			/* atomic fragment: carries the whole packet */
			elen = 8;
			break;
		default:
			return transport_decode(nh, p + off, len - off, depth,
						no_decap, out);
		}
		if (elen > len - off)
			return KN_ERR_TRUNC;
		nh = p[off];
		off += elen;
	}
	return KN_ERR_PARSE;
}

static enum kn_err
ip_decode(const uint8_t *p, size_t len, int depth, bool no_decap,
	  struct kn_pkt *out)
{
	if (len < 1)
		return KN_ERR_TRUNC;
	switch (p[0] >> 4) {
	case 4:
		return ipv4_decode(p, len, depth, no_decap, out);
	case 6:
		return ipv6_decode(p, len, depth, no_decap, out);
	default:
		return KN_ERR_PARSE;
	}
}

static enum kn_err
null_decode(const uint8_t *p, size_t len, bool host_order, bool no_decap,
	    struct kn_pkt *out)
{
	uint32_t fam;

	if (len < 4)
		return KN_ERR_TRUNC;
	if (host_order) {
		memcpy(&fam, p, 4);
		/* Written by the capturing host: accept either order. */
		if (fam > 0xffff)
			fam = __builtin_bswap32(fam);
	} else {
		fam = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
		      ((uint32_t)p[2] << 8) | p[3];
	}
	/* AF_INET is 2 everywhere; AF_INET6 is 10, 24, 28 or 30. */
	if (fam == 2 || fam == 10 || fam == 24 || fam == 28 || fam == 30)
		return ip_decode(p + 4, len - 4, 0, no_decap, out);
	return KN_ERR_UNSUPPORTED;
}

/* Linux NFLOG (the pcap link type's own header, libpcap's pcap-common.c):
 * family, version 0 and resource id, then type-length-value attributes,
 * each 4-byte aligned, lengths and types in the reader's byte order
 * (libpcap swaps them when the file's order differs); the packet is in
 * NFULA_PAYLOAD (9). At most KN_NFLOG_TLVS attributes are walked. */
#define KN_NFLOG_TLVS 64
static enum kn_err
nflog_decode(const uint8_t *p, size_t len, bool no_decap, struct kn_pkt *out)
{
	uint16_t tl, tt;
	size_t off = 4;
	int n;

	if (len < 4)
		return KN_ERR_TRUNC;
	if (p[1] != 0)
		return KN_ERR_UNSUPPORTED;
	for (n = 0; n < KN_NFLOG_TLVS && len - off >= 4; n++) {
		memcpy(&tl, p + off, 2);
		memcpy(&tt, p + off + 2, 2);
		if (tl < 4)
			return KN_ERR_PARSE;
		if (tl > len - off)
			return KN_ERR_TRUNC;
		if (tt == 9)
			return ip_decode(p + off + 4, tl - 4u, 0, no_decap,
					 out);
		off += ((size_t)tl + 3) & ~(size_t)3;
		if (off > len)
			break;
	}
	return KN_ERR_UNSUPPORTED; /* no payload logged */
}

enum kn_err
kn_layers_decode(enum kn_link link, const uint8_t *p, size_t len, bool no_decap,
		 struct kn_pkt *out)
{
	memset(out, 0, sizeof(*out));
	switch (link) {
	case KN_LINK_ETHER:
		return ether_decode(p, len, 0, no_decap, out);
	case KN_LINK_SLL:
		if (len < 16)
			return KN_ERR_TRUNC;
		return ethertype_decode((uint16_t)((p[14] << 8) | p[15]),
					p + 16, len - 16, 0, no_decap, out);
	case KN_LINK_SLL2:
		if (len < 20)
			return KN_ERR_TRUNC;
		return ethertype_decode((uint16_t)((p[0] << 8) | p[1]), p + 20,
					len - 20, 0, no_decap, out);
	case KN_LINK_RAW:
		return ip_decode(p, len, 0, no_decap, out);
	case KN_LINK_IPV4:
		if (len >= 1 && (p[0] >> 4) != 4)
			return KN_ERR_PARSE;
		return ip_decode(p, len, 0, no_decap, out);
	case KN_LINK_IPV6:
		if (len >= 1 && (p[0] >> 4) != 6)
			return KN_ERR_PARSE;
		return ip_decode(p, len, 0, no_decap, out);
	case KN_LINK_NULL:
		return null_decode(p, len, true, no_decap, out);
	case KN_LINK_LOOP:
		return null_decode(p, len, false, no_decap, out);
	case KN_LINK_NFLOG:
		return nflog_decode(p, len, no_decap, out);
	case KN_LINK_PPP:
		return ppp_decode(p, len, 0, no_decap, out);
	case KN_LINK_PPPOE:
		return pppoe_decode(p, len, 0, no_decap, out);
	}
	return KN_ERR_UNSUPPORTED;
}

enum kn_err
kn_layers_transport(const uint8_t *p, size_t len, bool no_decap,
		    struct kn_pkt *out)
{
	int depth = out->frag_depth;

	out->frag = false;
	return transport_decode(out->proto, p, len, depth, no_decap, out);
}

const char *
kn_encap_name(uint8_t encap)
{
	switch (encap) {
	case KN_ENCAP_VXLAN:
		return "vxlan";
	case KN_ENCAP_GENEVE:
		return "geneve";
	case KN_ENCAP_IPIP:
		return "ipip";
	default:
		return "none";
	}
}
