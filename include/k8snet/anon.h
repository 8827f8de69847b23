/* --anonymize: consistent pseudonyms for names and addresses.
 *
 * Names are split into tokens on '.', '-' and '_'; each token maps to the
 * same pseudonym everywhere (so "web-7d9f8-x2k4p" and "web.shop.svc" keep
 * their shared "web"), and Kubernetes' own vocabulary (svc, cluster, local,
 * kube, system, tcp ...) is kept so the picture still reads right.
 * Addresses are mapped prefix-preservingly (two addresses sharing k leading
 * bits map to two sharing k leading bits) inside their own private range
 * (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fe80::/10), keyed by
 * HMAC-SHA256 with a per-run random key. */
#ifndef K8SNET_ANON_H
#define K8SNET_ANON_H

#include <stddef.h>
#include <stdint.h>

#include "k8snet/ipaddr.h"

struct kn_anon;

/* key NULL: a random key (each run differs). Caller frees. */
struct kn_anon *kn_anon_new(const uint8_t *key, size_t keylen);
void kn_anon_free(struct kn_anon *a);

/* Pseudonym of a name (NUL-terminated, owned by a, valid until free).
 * Text that parses as an IP address or CIDR is mapped as one, and so is
 * the address in a reverse-DNS name (in-addr.arpa, ip6.arpa). */
const char *kn_anon_name(struct kn_anon *a, const char *s);

/* Map an address in place. */
void kn_anon_ip(struct kn_anon *a, struct kn_ipaddr *ip);

/* Map "10.244.1.0/24" keeping the prefix length; host bits cleared. */
const char *kn_anon_cidr(struct kn_anon *a, const char *s, char *buf,
			 size_t buflen);

#endif
