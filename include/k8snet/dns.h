/* DNS message decoding (RFC 1035, 3596, 2782, 6891): header, question,
 * answers kept as offsets, extended rcode; text forms for output. */
#ifndef K8SNET_DNS_H
#define K8SNET_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/err.h"

/* Text of a name: 255 octets on the wire become at most 254 characters,
 * plus escapes for '.' and '\' inside labels (two characters each). */
#define KN_DNS_NAMETXT 512
#define KN_DNS_MAX_ANS 255 /* answers kept; ancount says how many there are */

struct kn_dns_rr {
	uint16_t type, rclass;
	uint32_t ttl;
	uint16_t rdoff, rdlen; /* rdata within the message */
};

struct kn_dns_msg {
	uint16_t id, flags;
	uint16_t qdcount, ancount, nscount, arcount;
	bool qr, tc, edns;
	uint8_t opcode;
	uint16_t rcode; /* 12 bits with the EDNS extension */
	bool has_question;
	uint16_t qtype, qclass;
	uint16_t qname_len;
	char qname[KN_DNS_NAMETXT]; /* "" for the root; no trailing dot */
	uint16_t nans;		    /* answers kept (<= KN_DNS_MAX_ANS) */
	struct kn_dns_rr ans[KN_DNS_MAX_ANS];
};

/* Decode the message p[0..len). Every section is walked and checked (names,
 * record lengths); the OPT record's extended rcode and the TC bit are
 * applied. Returns KN_ERR_TRUNC or KN_ERR_PARSE on malformed input (out
 * then holds at least the header when len >= 12). Pure. */
enum kn_err kn_dns_parse(const uint8_t *p, size_t len, struct kn_dns_msg *out);

/* Decode the name at msg[off] into out (KN_DNS_NAMETXT bytes; no trailing
 * dot, "" for the root). Labels <= 63 octets, names <= 255 octets,
 * compression pointers must point strictly before the start of the labels
 * being read (so loops and forward references are rejected). *next gets
 * the offset after the name in place. */
enum kn_err kn_dns_name(const uint8_t *msg, size_t len, size_t off, char *out,
			size_t outlen, size_t *textlen, size_t *next);

/* Answer data as presentation text ("10.96.0.10", "0 5 80 web.x.",
 * RFC 3597 "\# 4 0a000001" for types without a form). */
enum kn_err kn_dns_rdata_text(const uint8_t *msg, size_t len,
			      const struct kn_dns_rr *rr, char *out,
			      size_t outlen);

/* "A", "AAAA" ...; NULL for types without a mnemonic. */
const char *kn_dns_type_name(uint16_t type);
/* The answer codes read by name (RFC 1035 4.1.1, RFC 2136 2.2). */
enum {
	KN_DNS_NOERROR = 0,
	KN_DNS_SERVFAIL = 2,
	KN_DNS_NXDOMAIN = 3,
	KN_DNS_REFUSED = 5,
};

/* "NOERROR", "NXDOMAIN" ...; NULL for codes without a mnemonic. */
const char *kn_dns_rcode_name(uint16_t rcode);

#endif
