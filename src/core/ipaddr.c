/* IPv4/IPv6 address parsing, formatting and hashing. */
#include <arpa/inet.h>
#include <string.h>

#include "k8snet/intern.h"
#include "k8snet/ipaddr.h"

bool
kn_ipaddr_parse(const char *s, struct kn_ipaddr *out)
{
	memset(out, 0, sizeof(*out));
	if (s == NULL)
		return false;
	if (inet_pton(AF_INET, s, out->addr) == 1) {
		out->family = 4;
		return true;
	}
	if (inet_pton(AF_INET6, s, out->addr) == 1) {
		out->family = 6;
		return true;
	}
	memset(out, 0, sizeof(*out));
	return false;
}

const char *
kn_ipaddr_format(const struct kn_ipaddr *ip, char *buf, size_t buflen)
{
	if (buflen == 0)
		return buf;
	buf[0] = '\0';
	if (ip->family == 4)
		inet_ntop(AF_INET, ip->addr, buf, (socklen_t)buflen);
	else if (ip->family == 6)
		inet_ntop(AF_INET6, ip->addr, buf, (socklen_t)buflen);
	return buf;
}

bool
kn_ipaddr_eq(const struct kn_ipaddr *a, const struct kn_ipaddr *b)
{
	return a->family == b->family &&
	       memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16) == 0;
}

uint64_t
kn_ipaddr_hash(const struct kn_ipaddr *ip)
{
	return kn_hash_bytes(ip->addr, ip->family == 4 ? 4 : 16) ^ ip->family;
}
