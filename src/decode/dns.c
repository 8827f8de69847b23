/* DNS message decoder: RFC 1035 section 4 (header, question, resource
 * records, 4.1.4 compression), RFC 3596 (AAAA), RFC 2782 (SRV), RFC 6891
 * (OPT, extended rcode), presentation forms of RRSIG (RFC 4034 3.2) and
 * of SSHFP, DS, TLSA, DNSKEY, URI and CAA (RFCs at fields_text), RFC 3597
 * (other types as \#), and the names of the IANA registries of types and
 * rcodes. Limits: labels <= 63 octets, names <= 255 octets, pointers
 * strictly backwards, at most KN_DNS_MAX_ANS answers kept (all are
 * walked). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

/* Octets a name's text escapes (RFC 1035 5.1, and NUL: see put_octet). */
static const uint8_t name_esc[256] = {[0] = 1, ['.'] = 1, ['\\'] = 1};

#define ONES64 0x0101010101010101ULL
#define ONES32 0x01010101U

/* Whether an octet of the word is NUL, '.' or '\\' (exact for the word
 * as a whole, in either byte order). */
static inline bool
esc64(uint64_t w)
{
	uint64_t d = w ^ (ONES64 * '.'), b = w ^ (ONES64 * '\\');

	return (((w - ONES64) & ~w) | ((d - ONES64) & ~d) |
		((b - ONES64) & ~b)) &
	       (ONES64 * 0x80);
}

static inline bool
esc32(uint32_t w)
{
	uint32_t d = w ^ (ONES32 * '.'), b = w ^ (ONES32 * '\\');

	return (((w - ONES32) & ~w) | ((d - ONES32) & ~d) |
		((b - ONES32) & ~b)) &
	       (ONES32 * 0x80);
}

/* Copy the label l[0..c) to o; true when an octet of it needs escaping.
 * A word at a time, the last one overlapping the one before: every name
 * the resolver sends goes through here, and most octets need nothing. */
static inline bool
label_copy(char *o, const uint8_t *l, size_t c)
{
	uint64_t w;
	uint32_t a, b;
	bool esc = false;
	size_t i;

	if (c >= 8) {
		for (i = 0; i + 8 < c; i += 8) {
			memcpy(&w, l + i, 8);
			memcpy(o + i, &w, 8);
			esc |= esc64(w);
		}
		memcpy(&w, l + c - 8, 8);
		memcpy(o + c - 8, &w, 8);
		return esc | esc64(w);
	}
	if (c >= 4) {
		memcpy(&a, l, 4);
		memcpy(&b, l + c - 4, 4);
		memcpy(o, &a, 4);
		memcpy(o + c - 4, &b, 4);
		return esc32(a) || esc32(b);
	}
	for (i = 0; i < c; i++) {
		o[i] = (char)l[i];
		esc |= name_esc[l[i]];
	}
	return esc;
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

			if (t > 0)
				out[t++] = '.';
			if (!label_copy(out + t, l, c)) {
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

/* d[0..n) as hexadecimal digits (RFC 4255, 4034 presentation). */
static bool
put_hex(char *out, size_t outlen, size_t *t, const uint8_t *d, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (*t + 2 * n + 1 > outlen)
		return false;
	for (i = 0; i < n; i++) {
		out[(*t)++] = hex[d[i] >> 4];
		out[(*t)++] = hex[d[i] & 15];
	}
	out[*t] = '\0';
	return true;
}

/* d[0..n) in base64 (RFC 4648 4), as DNSKEY and RRSIG show keys and
 * signatures (RFC 4034 2.2, 3.2). */
static bool
put_base64(char *out, size_t outlen, size_t *t, const uint8_t *d, size_t n)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	uint32_t v;

	if (*t + (n + 2) / 3 * 4 + 1 > outlen)
		return false;
	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];
		out[(*t)++] = b64[v >> 18];
		out[(*t)++] = b64[(v >> 12) & 63];
		out[(*t)++] = b64[(v >> 6) & 63];
		out[(*t)++] = b64[v & 63];
	}
	if (i < n) {
		v = (uint32_t)d[i] << 16 |
		    (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0);
		out[(*t)++] = b64[v >> 18];
		out[(*t)++] = b64[(v >> 12) & 63];
		out[(*t)++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		out[(*t)++] = '=';
	}
	out[*t] = '\0';
	return true;
}

/* A character-string (RFC 1035 5.1) in quotes, '"' and '\' escaped. */
static bool
put_quoted(char *out, size_t outlen, size_t *t, const uint8_t *d, size_t n)
{
	size_t i;
	char ch;

	if (!put(out, outlen, t, "\"", 1))
		return false;
	for (i = 0; i < n; i++) {
		ch = (char)d[i];
		if ((ch == '"' || ch == '\\') && !put(out, outlen, t, "\\", 1))
			return false;
		if (!put(out, outlen, t, &ch, 1))
			return false;
	}
	return put(out, outlen, t, "\"", 1);
}

/* Record types whose rdata is a few numbers then one blob, and how the
 * blob reads: SSHFP (RFC 4255 3.2), DS and CDS (RFC 4034 5.3, RFC
 * 7344), TLSA and SMIMEA (RFC 6698 2.2, RFC 8162), DNSKEY and CDNSKEY
 * (RFC 4034 2.2), URI (RFC 7553 4.4). fields: the numbers' sizes in
 * octets (1 or 2), 0-terminated. */
enum { BLOB_HEX, BLOB_BASE64, BLOB_QUOTED };
static const struct {
	uint16_t type;
	uint8_t fields[4];
	uint8_t blob;
} dns_forms[] = {
	{44, {1, 1}, BLOB_HEX},	      {43, {2, 1, 1}, BLOB_HEX},
	{59, {2, 1, 1}, BLOB_HEX},    {52, {1, 1, 1}, BLOB_HEX},
	{53, {1, 1, 1}, BLOB_HEX},    {48, {2, 1, 1}, BLOB_BASE64},
	{60, {2, 1, 1}, BLOB_BASE64}, {256, {2, 2}, BLOB_QUOTED},
};

/* The presentation form of a type in dns_forms, or of CAA (RFC 8659
 * 4.1.1: flags, tag, "value"). KN_ERR_PARSE when the type has none here
 * or the rdata is too short for it (the generic form is used). */
static enum kn_err
fields_text(uint16_t type, const uint8_t *d, size_t n, char *out, size_t outlen,
	    size_t *t)
{
	size_t i, j, off = 0;
	char tmp[16];
	bool ok;
	int k;

	if (type == 257) {
		if (n < 2 || d[1] == 0 || (size_t)d[1] > n - 2)
			return KN_ERR_PARSE;
		k = snprintf(tmp, sizeof(tmp), "%u ", d[0]);
		ok = put(out, outlen, t, tmp, (size_t)k) &&
		     put(out, outlen, t, (const char *)d + 2, d[1]) &&
		     put(out, outlen, t, " ", 1) &&
		     put_quoted(out, outlen, t, d + 2 + d[1], n - 2 - d[1]);
		return ok ? KN_OK : KN_ERR_LIMIT;
	}
	for (i = 0; i < sizeof(dns_forms) / sizeof(dns_forms[0]); i++)
		if (dns_forms[i].type == type)
			break;
	if (i == sizeof(dns_forms) / sizeof(dns_forms[0]))
		return KN_ERR_PARSE;
	for (j = 0; j < 4 && dns_forms[i].fields[j] != 0; j++)
		off += dns_forms[i].fields[j];
	if (n <= off)
		return KN_ERR_PARSE; /* the blob may not be empty */
	for (j = 0, off = 0; j < 4 && dns_forms[i].fields[j] != 0; j++) {
		k = snprintf(tmp, sizeof(tmp), "%u ",
			     dns_forms[i].fields[j] == 2
				     ? (unsigned)(d[off] << 8 | d[off + 1])
				     : d[off]);
		if (!put(out, outlen, t, tmp, (size_t)k))
			return KN_ERR_LIMIT;
		off += dns_forms[i].fields[j];
	}
	switch (dns_forms[i].blob) {
	case BLOB_HEX:
		ok = put_hex(out, outlen, t, d + off, n - off);
		break;
	case BLOB_BASE64:
		ok = put_base64(out, outlen, t, d + off, n - off);
		break;
	default:
		ok = put_quoted(out, outlen, t, d + off, n - off);
		break;
	}
	return ok ? KN_OK : KN_ERR_LIMIT;
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
	case 24:
	case 46: { /* SIG, RRSIG (RFC 4034 3.2) */
		char when[2][16];
		uint32_t ttl, tm[2];
		struct tm g;
		time_t sec;
		const char *tn;

		if (n < 19)
			break;
		ttl = (uint32_t)d[4] << 24 | (uint32_t)d[5] << 16 |
		      (uint32_t)d[6] << 8 | d[7];
		for (i = 0; i < 2; i++) {
			tm[i] = (uint32_t)d[8 + 4 * i] << 24 |
				(uint32_t)d[9 + 4 * i] << 16 |
				(uint32_t)d[10 + 4 * i] << 8 | d[11 + 4 * i];
			/* serial arithmetic (RFC 4034 3.1.5) aside, as
			 * seconds since 1970 */
			sec = (time_t)tm[i];
			if (gmtime_r(&sec, &g) == NULL ||
			    strftime(when[i], sizeof(when[i]), "%Y%m%d%H%M%S",
				     &g) == 0)
				snprintf(when[i], sizeof(when[i]), "%u", tm[i]);
		}
		tn = kn_dns_type_name((uint16_t)(d[0] << 8 | d[1]));
		if (tn != NULL)
			k = snprintf(tmp, sizeof(tmp), "%s ", tn);
		else
			k = snprintf(tmp, sizeof(tmp), "TYPE%u ",
				     d[0] << 8 | d[1]);
		if (!put(out, outlen, &t, tmp, (size_t)k))
			return KN_ERR_LIMIT;
		k = snprintf(tmp, sizeof(tmp), "%u %u %u %s %s %u ", d[2], d[3],
			     ttl, when[0], when[1], d[16] << 8 | d[17]);
		if (!put(out, outlen, &t, tmp, (size_t)k))
			return KN_ERR_LIMIT;
		e = put_name(msg, len, rr->rdoff + 18u, end, out, outlen, &t,
			     &after);
		if (e != KN_OK)
			return e;
		if (!put(out, outlen, &t, " ", 1) ||
		    !put_base64(out, outlen, &t, msg + after, end - after))
			return KN_ERR_LIMIT;
		return KN_OK;
	}
	default:
		e = fields_text(rr->type, d, n, out, outlen, &t);
		if (e != KN_ERR_PARSE)
			return e;
		t = 0;
		out[0] = '\0';
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

/* The IANA "Resource Record (RR) TYPEs" registry (RFC 6895), every
 * assigned value, by number; 255 ("*") as ANY, its presentation form. */
static const struct {
	uint16_t type;
	char name[11];
} dns_types[] = {
	{1, "A"},	   {2, "NS"},	     {3, "MD"},
	{4, "MF"},	   {5, "CNAME"},     {6, "SOA"},
	{7, "MB"},	   {8, "MG"},	     {9, "MR"},
	{10, "NULL"},	   {11, "WKS"},	     {12, "PTR"},
	{13, "HINFO"},	   {14, "MINFO"},    {15, "MX"},
	{16, "TXT"},	   {17, "RP"},	     {18, "AFSDB"},
	{19, "X25"},	   {20, "ISDN"},     {21, "RT"},
	{22, "NSAP"},	   {23, "NSAP-PTR"}, {24, "SIG"},
	{25, "KEY"},	   {26, "PX"},	     {27, "GPOS"},
	{28, "AAAA"},	   {29, "LOC"},	     {30, "NXT"},
	{31, "EID"},	   {32, "NIMLOC"},   {33, "SRV"},
	{34, "ATMA"},	   {35, "NAPTR"},    {36, "KX"},
	{37, "CERT"},	   {38, "A6"},	     {39, "DNAME"},
	{40, "SINK"},	   {41, "OPT"},	     {42, "APL"},
	{43, "DS"},	   {44, "SSHFP"},    {45, "IPSECKEY"},
	{46, "RRSIG"},	   {47, "NSEC"},     {48, "DNSKEY"},
	{49, "DHCID"},	   {50, "NSEC3"},    {51, "NSEC3PARAM"},
	{52, "TLSA"},	   {53, "SMIMEA"},   {55, "HIP"},
	{56, "NINFO"},	   {57, "RKEY"},     {58, "TALINK"},
	{59, "CDS"},	   {60, "CDNSKEY"},  {61, "OPENPGPKEY"},
	{62, "CSYNC"},	   {63, "ZONEMD"},   {64, "SVCB"},
	{65, "HTTPS"},	   {66, "DSYNC"},    {67, "HHIT"},
	{68, "BRID"},	   {99, "SPF"},	     {100, "UINFO"},
	{101, "UID"},	   {102, "GID"},     {103, "UNSPEC"},
	{104, "NID"},	   {105, "L32"},     {106, "L64"},
	{107, "LP"},	   {108, "EUI48"},   {109, "EUI64"},
	{128, "NXNAME"},   {249, "TKEY"},    {250, "TSIG"},
	{251, "IXFR"},	   {252, "AXFR"},    {253, "MAILB"},
	{254, "MAILA"},	   {255, "ANY"},     {256, "URI"},
	{257, "CAA"},	   {258, "AVC"},     {259, "DOA"},
	{260, "AMTRELAY"}, {261, "RESINFO"}, {262, "WALLET"},
	{263, "CLA"},	   {264, "IPN"},     {32768, "TA"},
	{32769, "DLV"},
};

const char *
kn_dns_type_name(uint16_t type)
{
	size_t lo = 0, hi = sizeof(dns_types) / sizeof(dns_types[0]), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (dns_types[mid].type == type)
			return dns_types[mid].name;
		if (dns_types[mid].type < type)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The IANA "DNS RCODEs" registry, every assigned value: 0-11 in the
 * header, 16-23 with the OPT record's extension (RFC 6891; 16 is BADSIG
 * in a TSIG, BADVERS here, where the OPT record put it). */
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
