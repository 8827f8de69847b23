/* IPv4/IPv6 addresses as compact values, and the naming hook that lets the
 * capture engine ask the cluster model who owns an address. */
#ifndef K8SNET_IPADDR_H
#define K8SNET_IPADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define KN_IPSTR 46 /* INET6_ADDRSTRLEN */

struct kn_ipaddr {
	uint8_t family;	  /* 4 or 6; 0 is "none" */
	uint8_t addr[16]; /* IPv4 in the first 4 bytes, rest zero */
};

/* Parse dotted IPv4 or IPv6 text; false if not an address. */
bool kn_ipaddr_parse(const char *s, struct kn_ipaddr *out);
/* Format into buf (KN_IPSTR bytes); returns buf. */
const char *kn_ipaddr_format(const struct kn_ipaddr *ip, char *buf,
			     size_t buflen);
/* Reverse-DNS names (RFC 1035 3.5, RFC 3596 2.5): "10.96.0.10" ->
 * "10.0.96.10.in-addr.arpa." (ip6.arpa nibbles; buf of 74 bytes holds
 * either), and back: a name for one whole address, trailing dot and case
 * optional; false for anything else (a partial zone, stray labels). */
void kn_ipaddr_ptr_name(const struct kn_ipaddr *ip, char *buf, size_t n);
bool kn_ipaddr_from_ptr(const char *name, struct kn_ipaddr *out);

/* Equality and a hash (FNV-1a of the address octets, the family mixed
 * in; kn_hash_bytes's values), inline: the capture's statistics look up
 * two addresses per transaction. */
static inline bool
kn_ipaddr_eq(const struct kn_ipaddr *a, const struct kn_ipaddr *b)
{
	return a->family == b->family &&
	       memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16) == 0;
}

static inline uint64_t
kn_ipaddr_hash(const struct kn_ipaddr *ip)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i, n = ip->family == 4 ? 4 : 16;

	for (i = 0; i < n; i++) {
		h ^= ip->addr[i];
		h *= 1099511628211ULL;
	}
	return h ^ ip->family;
}

/* Who owns ip: writes "namespace/pod", "namespace/service" or
 * "node/NAME" into buf and returns buf, or returns NULL when unknown. The
 * model provides one (see model.h); the capture engine calls it. */
typedef const char *(*kn_ip_namer)(void *arg, const struct kn_ipaddr *ip,
				   char *buf, size_t buflen);

#endif
