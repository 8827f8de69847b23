/* DNS message decoder: RFC 1035 section 4 (header, question, resource
 * records, 4.1.4 compression), RFC 3596 (AAAA), RFC 2782 (SRV), RFC 6891
 * (OPT, extended rcode), RFC 3597 (unknown types as \#). Limits: labels
 * <= 63 octets, names <= 255 octets, pointers strictly backwards, at most
 * KN_DNS_MAX_ANS answers kept (all are walked). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "k8snet/dns.h"

/* One label octet as master-file text (RFC 1035 5.1): '.' and '\'
 * escaped, NUL as \000 since the text is a C string; dropped when out
 * is full. */
static void
put_octet(char *out, size_t outlen, size_t *t, uint8_t ch)
{
	if (ch == 0) {
		if (*t + 4 < outlen) {
			memcpy(out + *t, "\\000", 4);
			*t += 4;
		}
		return;
	}
	if ((ch == '.' || ch == '\\') && *t + 2 < outlen)
		out[(*t)++] = '\\';
	if (*t + 1 < outlen)
		out[(*t)++] = (char)ch;
}

enum kn_err
kn_dns_name(const uint8_t *msg, size_t len, size_t off, char *out,
	    size_t outlen, size_t *textlen, size_t *next)
{
	size_t pos = off, seg = off, wire = 0, t = 0, i;
	bool jumped = false;
	uint8_t c;

	if (out != NULL && outlen > 0)
		out[0] = '\0';
	for (;;) {
		if (pos >= len)
			return KN_ERR_TRUNC;
		c = msg[pos];
		if (c == 0) {
			if (!jumped && next != NULL)
				*next = pos + 1;
			break;
		}
		if ((c & 0xc0) == 0xc0) {
			size_t target;

			if (pos + 1 >= len)
				return KN_ERR_TRUNC;
			target = ((size_t)(c & 0x3f) << 8) | msg[pos + 1];
			/* Strictly before every label read so far: the
			 * segment start only decreases, so this ends. */
			if (target >= seg)
				return KN_ERR_PARSE;
			if (!jumped && next != NULL)
				*next = pos + 2;
			jumped = true;
			pos = seg = target;
			continue;
		}
		if (c & 0xc0) /* RFC 6891 extended labels: none */
			return KN_ERR_PARSE;
		if (pos + 1 + c > len)
			return KN_ERR_TRUNC;
		wire += (size_t)c + 1;
		if (wire + 1 > 255)
			return KN_ERR_PARSE;
		if (out != NULL && t + 2 * (size_t)c + 2 < outlen) {
			/* Room for the label even if every octet is escaped:
			 * copy it whole, and escape only if it needs it. */
			const uint8_t *l = msg + pos + 1;
			bool esc = false;

			if (t > 0)
				out[t++] = '.';
			for (i = 0; i < c; i++) {
				out[t + i] = (char)l[i];
				esc |= l[i] == '.' || l[i] == '\\' || l[i] == 0;
			}
			if (!esc) {
				t += c;
			} else {
				for (i = 0; i < c; i++)
					put_octet(out, outlen, &t, l[i]);
			}
			out[t] = '\0';
		} else if (out != NULL) {
			if (t > 0 && t + 1 < outlen)
				out[t++] = '.';
			for (i = 0; i < c; i++)
				put_octet(out, outlen, &t, msg[pos + 1 + i]);
			out[t] = '\0';
		}
		pos += 1 + (size_t)c;
	}
	if (textlen != NULL)
		*textlen = t;
	return KN_OK;
}

static enum kn_err
parse_rr(struct kn_rd *r, struct kn_dns_rr *rr)
{
	size_t next;
	enum kn_err e;
	uint16_t rdlen;

	e = kn_dns_name(r->p, r->len, r->off, NULL, 0, NULL, &next);
	if (e != KN_OK)
		return e;
	r->off = next;
	if (!kn_rd_u16(r, &rr->type) || !kn_rd_u16(r, &rr->rclass) ||
	    !kn_rd_u32(r, &rr->ttl) || !kn_rd_u16(r, &rdlen))
		return KN_ERR_TRUNC;
	if (r->off > 0xffff)
		return KN_ERR_PARSE;
	rr->rdoff = (uint16_t)r->off;
	rr->rdlen = rdlen;
	if (!kn_rd_skip(r, rdlen))
		return KN_ERR_TRUNC;
	return KN_OK;
}

enum kn_err
kn_dns_parse(const uint8_t *p, size_t len, struct kn_dns_msg *m)
{
	struct kn_rd r;
	struct kn_dns_rr rr;
	size_t next, tl = 0;
	enum kn_err e;
	uint32_t i;

	m->nans = 0;
	m->has_question = false;
	m->edns = false;
	m->qname[0] = '\0';
	m->qname_len = 0;
	m->qtype = m->qclass = 0;
	/* Messages over TCP are at most 65535 octets, and so are offsets. */
	if (len > 65535)
		len = 65535;
	kn_rd_init(&r, p, len);
	if (!kn_rd_u16(&r, &m->id) || !kn_rd_u16(&r, &m->flags) ||
	    !kn_rd_u16(&r, &m->qdcount) || !kn_rd_u16(&r, &m->ancount) ||
	    !kn_rd_u16(&r, &m->nscount) || !kn_rd_u16(&r, &m->arcount))
		return KN_ERR_TRUNC;
	m->qr = (m->flags & 0x8000) != 0;
	m->opcode = (uint8_t)((m->flags >> 11) & 0x0f);
	m->tc = (m->flags & 0x0200) != 0;
	m->rcode = m->flags & 0x000f;

	for (i = 0; i < m->qdcount; i++) {
		if (i == 0) {
			e = kn_dns_name(p, len, r.off, m->qname,
					sizeof(m->qname), &tl, &next);
			m->qname_len = (uint16_t)tl;
		} else {
			e = kn_dns_name(p, len, r.off, NULL, 0, NULL, &next);
		}
		if (e != KN_OK)
			return e;
		r.off = next;
		if (i == 0) {
			if (!kn_rd_u16(&r, &m->qtype) ||
			    !kn_rd_u16(&r, &m->qclass))
				return KN_ERR_TRUNC;
			m->has_question = true;
		} else if (!kn_rd_skip(&r, 4)) {
			return KN_ERR_TRUNC;
		}
	}
	for (i = 0; i < m->ancount; i++) {
		if ((e = parse_rr(&r, &rr)) != KN_OK)
			return e;
		if (m->nans < KN_DNS_MAX_ANS)
			m->ans[m->nans++] = rr;
	}
	for (i = 0; i < m->nscount; i++)
		if ((e = parse_rr(&r, &rr)) != KN_OK)
			return e;
	for (i = 0; i < m->arcount; i++) {
		if ((e = parse_rr(&r, &rr)) != KN_OK)
			return e;
		/* RFC 6891 6.1.3: the OPT TTL carries the upper 8 bits of
		 * the 12-bit rcode. Only one OPT is allowed; use the first. */
		if (rr.type == 41 && !m->edns) {
			m->edns = true;
			m->rcode = (uint16_t)(((rr.ttl >> 24) << 4) |
					      (m->flags & 0x0f));
		}
	}
	return KN_OK;
}

/* Append with snprintf semantics into out[*t..outlen). */
static bool
put(char *out, size_t outlen, size_t *t, const char *s, size_t n)
{
	if (*t + n + 1 > outlen)
		return false;
	memcpy(out + *t, s, n);
	*t += n;
	out[*t] = '\0';
	return true;
}

static enum kn_err
put_name(const uint8_t *msg, size_t len, size_t off, size_t end, char *out,
	 size_t outlen, size_t *t, size_t *after)
{
	char name[KN_DNS_NAMETXT];
	size_t tl, next;
	enum kn_err e;

	e = kn_dns_name(msg, len, off, name, sizeof(name), &tl, &next);
	if (e != KN_OK)
		return e;
	if (next > end)
		return KN_ERR_PARSE;
	if (after != NULL)
		*after = next;
	if (!put(out, outlen, t, name, tl) || !put(out, outlen, t, ".", 1))
		return KN_ERR_LIMIT;
	return KN_OK;
}

enum kn_err
kn_dns_rdata_text(const uint8_t *msg, size_t len, const struct kn_dns_rr *rr,
		  char *out, size_t outlen)
{
	const uint8_t *d = msg + rr->rdoff;
	size_t n = rr->rdlen, end = (size_t)rr->rdoff + rr->rdlen, t = 0;
	size_t after, i;
	char tmp[64];
	int k;
	enum kn_err e;

	if (outlen == 0)
		return KN_ERR_LIMIT;
	out[0] = '\0';
	if (end > len)
		return KN_ERR_TRUNC;
	switch (rr->type) {
	case 1:
		if (n != 4)
			break;
		inet_ntop(AF_INET, d, tmp, sizeof(tmp));
		return put(out, outlen, &t, tmp, strlen(tmp)) ? KN_OK
							      : KN_ERR_LIMIT;
	case 28:
		if (n != 16)
			break;
		inet_ntop(AF_INET6, d, tmp, sizeof(tmp));
		return put(out, outlen, &t, tmp, strlen(tmp)) ? KN_OK
							      : KN_ERR_LIMIT;
	case 2:
	case 5:
	case 12:
	case 39:
		return put_name(msg, len, rr->rdoff, end, out, outlen, &t,
				NULL);
	case 15:
		if (n < 3)
			break;
		k = snprintf(tmp, sizeof(tmp), "%u ", (d[0] << 8) | d[1]);
		put(out, outlen, &t, tmp, (size_t)k);
		return put_name(msg, len, rr->rdoff + 2u, end, out, outlen, &t,
				NULL);
	case 33:
		if (n < 7)
			break;
		k = snprintf(tmp, sizeof(tmp), "%u %u %u ", (d[0] << 8) | d[1],
			     (d[2] << 8) | d[3], (d[4] << 8) | d[5]);
		put(out, outlen, &t, tmp, (size_t)k);
		return put_name(msg, len, rr->rdoff + 6u, end, out, outlen, &t,
				NULL);
	case 6: {
		struct kn_rd r;
		uint32_t v[5];

		e = put_name(msg, len, rr->rdoff, end, out, outlen, &t, &after);
		if (e != KN_OK)
			return e;
		put(out, outlen, &t, " ", 1);
		e = put_name(msg, len, after, end, out, outlen, &t, &after);
		if (e != KN_OK)
			return e;
		kn_rd_init(&r, msg, end);
		r.off = after;
		for (i = 0; i < 5; i++)
			if (!kn_rd_u32(&r, &v[i]))
				return KN_ERR_TRUNC;
		k = snprintf(tmp, sizeof(tmp), " %u %u %u %u %u", v[0], v[1],
			     v[2], v[3], v[4]);
		return put(out, outlen, &t, tmp, (size_t)k) ? KN_OK
							    : KN_ERR_LIMIT;
	}
	case 16: {
		size_t pos = 0, sl;

		while (pos < n) {
			sl = d[pos++];
			if (sl > n - pos)
				return KN_ERR_TRUNC;
			if (t > 0 && !put(out, outlen, &t, " ", 1))
				return KN_ERR_LIMIT;
			if (!put(out, outlen, &t, "\"", 1))
				return KN_ERR_LIMIT;
			for (i = 0; i < sl; i++) {
				char ch = (char)d[pos + i];

				if ((ch == '"' || ch == '\\') &&
				    !put(out, outlen, &t, "\\", 1))
					return KN_ERR_LIMIT;
				if (!put(out, outlen, &t, &ch, 1))
					return KN_ERR_LIMIT;
			}
			if (!put(out, outlen, &t, "\"", 1))
				return KN_ERR_LIMIT;
			pos += sl;
		}
		return KN_OK;
	}
	default:
		break;
	}
	/* RFC 3597 generic form. */
	k = snprintf(tmp, sizeof(tmp), "\\# %zu%s", n, n ? " " : "");
	if (!put(out, outlen, &t, tmp, (size_t)k))
		return KN_ERR_LIMIT;
	for (i = 0; i < n; i++) {
		k = snprintf(tmp, sizeof(tmp), "%02x", d[i]);
		if (!put(out, outlen, &t, tmp, (size_t)k))
			return KN_ERR_LIMIT;
	}
	return KN_OK;
}

const char *
kn_dns_type_name(uint16_t type)
{
	switch (type) {
	case 1:
		return "A";
	case 2:
		return "NS";
	case 5:
		return "CNAME";
	case 6:
		return "SOA";
	case 12:
		return "PTR";
	case 13:
		return "HINFO";
	case 15:
		return "MX";
	case 16:
		return "TXT";
	case 28:
		return "AAAA";
	case 33:
		return "SRV";
	case 35:
		return "NAPTR";
	case 39:
		return "DNAME";
	case 41:
		return "OPT";
	case 43:
		return "DS";
	case 46:
		return "RRSIG";
	case 47:
		return "NSEC";
	case 48:
		return "DNSKEY";
	case 52:
		return "TLSA";
	case 64:
		return "SVCB";
	case 65:
		return "HTTPS";
	case 99:
		return "SPF";
	case 251:
		return "IXFR";
	case 252:
		return "AXFR";
	case 255:
		return "ANY";
	case 257:
		return "CAA";
	default:
		return NULL;
	}
}

const char *
kn_dns_rcode_name(uint16_t rcode)
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
		"NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
		"NXRRSET", "NOTAUTH", "NOTZONE",  "DSOTYPENI",
	};
	static const char *const ext[] = {
		"BADVERS", "BADKEY", "BADTIME",	 "BADMODE",
		"BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE",
	};

	if (rcode < sizeof(names) / sizeof(names[0]))
		return names[rcode];
	if (rcode >= 16 && rcode < 16 + sizeof(ext) / sizeof(ext[0]))
		return ext[rcode - 16];
	return NULL;
}
