/* IPv4/IPv6 address parsing, formatting and hashing. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "k8snet/escape.h"
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

void
kn_ipaddr_ptr_name(const struct kn_ipaddr *ip, char *buf, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	int i;

	if (n == 0)
		return;
	buf[0] = '\0';
	if (ip->family == 4) {
		snprintf(buf, n, "%u.%u.%u.%u.in-addr.arpa.", ip->addr[3],
			 ip->addr[2], ip->addr[1], ip->addr[0]);
		return;
	}
	if (ip->family != 6 || n < 74)
		return;
	for (i = 15; i >= 0; i--) {
		buf[o++] = hex[ip->addr[i] & 0xf];
		buf[o++] = '.';
		buf[o++] = hex[ip->addr[i] >> 4];
		buf[o++] = '.';
	}
	memcpy(buf + o, "ip6.arpa.", 10);
}

/* "d.c.b.a." with 1-3 digit labels up to 255 and no leading zeros. */
static bool
ptr4(const char *s, size_t len, struct kn_ipaddr *out)
{
	size_t i = 0;
	int k;

	for (k = 3; k >= 0; k--) {
		unsigned v = 0, digits = 0;

		while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(s[i++] - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255 ||
		    (digits > 1 && s[i - digits] == '0') || i >= len ||
		    s[i++] != '.')
			return false;
		out->addr[k] = (uint8_t)v;
	}
	out->family = 4;
	return i == len;
}

/* 32 "n." nibble labels, least significant first. */
static bool
ptr6(const char *s, size_t len, struct kn_ipaddr *out)
{
	int k, v;

	if (len != 64)
		return false;
	for (k = 0; k < 32; k++) {
		v = kn_hexval((unsigned char)s[2 * k]);
		if (v < 0 || s[2 * k + 1] != '.')
			return false;
		out->addr[15 - k / 2] |= (uint8_t)(k % 2 ? v << 4 : v);
	}
	out->family = 6;
	return true;
}

bool
kn_ipaddr_from_ptr(const char *name, struct kn_ipaddr *out)
{
	size_t n = strlen(name);

	memset(out, 0, sizeof(*out));
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n > 13 && strncasecmp(name + n - 13, ".in-addr.arpa", 13) == 0 &&
	    ptr4(name, n - 12, out))
		return true;
	memset(out, 0, sizeof(*out));
	if (n > 9 && strncasecmp(name + n - 9, ".ip6.arpa", 9) == 0 &&
	    ptr6(name, n - 8, out))
		return true;
	memset(out, 0, sizeof(*out));
	return false;
}
