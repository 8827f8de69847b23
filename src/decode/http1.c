/* HTTP/1.0 and 1.1 message heads and the chunked coding, RFC 9112 sections
 * 3 (request line), 4 (status line), 5 (fields), 6.3 (message body
 * length) and 7.1 (chunked). Limits: KN_HTTP_HEAD_MAX head octets, 4096
 * octets per chunk-size or trailer line, chunk sizes < 2^48. */
#include <stdio.h>
#include <string.h>

#include "k8snet/escape.h"
#include "k8snet/http1.h"

static bool
is_tchar(uint8_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

bool
kn_http_looks_request(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < 24; i++) {
		if (p[i] == ' ')
			return i > 0;
		if (!is_tchar(p[i]) || (p[i] >= 'a' && p[i] <= 'z'))
			return false; /* methods are upper case in practice */
	}
	return i == len;
}

bool
kn_http_looks_response(const uint8_t *p, size_t len)
{
	static const char pfx[] = "HTTP/1.";
	size_t n = len < 7 ? len : 7;

	return memcmp(p, pfx, n) == 0;
}

static bool
ieq(const char *a, size_t alen, const char *lit)
{
	size_t i, n = strlen(lit);

	if (alen != n)
		return false;
	for (i = 0; i < n; i++) {
		char c = a[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lit[i])
			return false;
	}
	return true;
}

/* Does the comma-separated list v contain token tok (case-insensitive)?
 * With last, only the last element counts (Transfer-Encoding). */
static bool
list_has(const char *v, size_t n, const char *tok, bool last)
{
	size_t i = 0, s, e;
	bool found = false;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e > s) {
			bool m = ieq(v + s, e - s, tok);

			if (last)
				found = m;
			else if (m)
				return true;
		}
	}
	return found;
}

/* Find the end of the head: "\r\n\r\n" (or bare "\n\n"). */
static size_t
head_end(const uint8_t *p, size_t len)
{
	const uint8_t *q = p, *end = p + len;

	while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
		q++;
		if (q < end && *q == '\n')
			return (size_t)(q + 1 - p);
		if (q + 1 < end && q[0] == '\r' && q[1] == '\n')
			return (size_t)(q + 2 - p);
	}
	return 0;
}

static enum kn_err
parse_version(const char *s, size_t n, int *minor)
{
	if (n != 8 || memcmp(s, "HTTP/1.", 7) != 0 || s[7] < '0' || s[7] > '9')
		return KN_ERR_PARSE;
	*minor = s[7] - '0';
	return KN_OK;
}

/* Is s[0..n) a request-target as a request line carries it (RFC 9112
 * 3.2): visible US-ASCII or obs-text, no space or control? */
static bool
target_ok(const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] == 0x7f)
			return false;
	return n > 0;
}

bool
kn_http_starts_message(const uint8_t *p, size_t len, bool request)
{
	const uint8_t *eol, *sp1, *sp2;
	size_t ll, i;
	int minor;

	eol = memchr(p, '\n', len < KN_HTTP_HEAD_MAX ? len : KN_HTTP_HEAD_MAX);
	ll = eol != NULL ? (size_t)(eol - p) : len;
	if (eol != NULL && ll > 0 && p[ll - 1] == '\r')
		ll--;
	if (!request) {
		/* HTTP/1.x SP 3DIGIT [SP reason]; the line may be cut only
		 * after the code */
		if (ll < 12 ||
		    parse_version((const char *)p, 8, &minor) != KN_OK ||
		    p[8] != ' ')
			return false;
		for (i = 9; i < 12; i++)
			if (p[i] < '0' || p[i] > '9')
				return false;
		return p[9] != '0' && (ll == 12 || p[12] == ' ');
	}
	if (!kn_http_looks_request(p, ll) ||
	    (sp1 = memchr(p, ' ', ll < 24 ? ll : 24)) == NULL)
		return false;
	if (eol == NULL) {
		/* a long target running past the segment: what is there must
		 * be one, and long enough to mean it */
		return len >= 64 &&
		       target_ok(sp1 + 1, len - (size_t)(sp1 + 1 - p));
	}
	sp2 = memchr(sp1 + 1, ' ', ll - (size_t)(sp1 + 1 - p));
	return sp2 != NULL && target_ok(sp1 + 1, (size_t)(sp2 - sp1 - 1)) &&
	       (size_t)(p + ll - (sp2 + 1)) == 8 &&
	       parse_version((const char *)sp2 + 1, 8, &minor) == KN_OK;
}

/* Connection options (RFC 9110 7.6.1), one walk over the list. */
static void
connection_opts(const char *v, size_t n, struct kn_http_head *h)
{
	size_t i = 0, s, e;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (ieq(v + s, e - s, "close"))
			h->conn_close = true;
		else if (ieq(v + s, e - s, "keep-alive"))
			h->conn_keepalive = true;
		else if (ieq(v + s, e - s, "upgrade"))
			h->upgrade = true;
	}
}

/* Not all there yet: the head says nothing (as if not parsed). */
static enum kn_err
head_short(size_t len, struct kn_http_head *h)
{
	memset(h, 0, sizeof(*h));
	h->content_length = -1;
	return len >= KN_HTTP_HEAD_MAX ? KN_ERR_LIMIT : KN_ERR_TRUNC;
}

/* A start line or field is bad: that is a parse error only once the whole
 * head is there; until then the head is incomplete (or too long). */
static enum kn_err
head_bad(const uint8_t *p, size_t len, struct kn_http_head *h)
{
	size_t hl = head_end(p, len);

	if (hl == 0)
		return head_short(len, h);
	h->head_len = hl;
	return KN_ERR_PARSE;
}

/* One pass over the lines: the head ends at the first empty line after
 * the start line, which is where head_end() would find it. */
enum kn_err
kn_http_head_parse(const uint8_t *p, size_t len, struct kn_http_head *h)
{
	const char *s = (const char *)p, *line, *sp1, *sp2, *colon, *v;
	const uint8_t *q;
	size_t pos, eol, ll, vl, nl;
	int i;

	memset(h, 0, sizeof(*h));
	h->content_length = -1;
	if (len > KN_HTTP_HEAD_MAX)
		len = KN_HTTP_HEAD_MAX;

	/* Start line. */
	q = memchr(p, '\n', len);
	if (q == NULL)
		return head_short(len, h);
	eol = (size_t)(q - p);
	ll = eol;
	if (ll > 0 && s[ll - 1] == '\r')
		ll--;
	sp1 = memchr(s, ' ', ll);
	if (sp1 == NULL)
		return head_bad(p, len, h);
	if (kn_http_looks_response(p, ll) && ll >= 12) {
		if (parse_version(s, (size_t)(sp1 - s), &h->minor) != KN_OK)
			return head_bad(p, len, h);
		v = sp1 + 1;
		if ((size_t)(s + ll - v) < 3)
			return head_bad(p, len, h);
		for (i = 0; i < 3; i++)
			if (v[i] < '0' || v[i] > '9')
				return head_bad(p, len, h);
		if ((size_t)(s + ll - v) > 3 && v[3] != ' ')
			return head_bad(p, len, h);
		h->status =
			(v[0] - '0') * 100 + (v[1] - '0') * 10 + (v[2] - '0');
		if (h->status < 100)
			return head_bad(p, len, h);
	} else {
		h->request = true;
		for (v = s; v < sp1; v++)
			if (!is_tchar((uint8_t)*v))
				return head_bad(p, len, h);
		if (sp1 == s)
			return head_bad(p, len, h);
		sp2 = memchr(sp1 + 1, ' ', (size_t)(s + ll - (sp1 + 1)));
		if (sp2 == NULL || sp2 == sp1 + 1)
			return head_bad(p, len, h);
		if (parse_version(sp2 + 1, (size_t)(s + ll - (sp2 + 1)),
				  &h->minor) != KN_OK)
			return head_bad(p, len, h);
		h->method = s;
		h->method_len = (size_t)(sp1 - s);
		h->target = sp1 + 1;
		h->target_len = (size_t)(sp2 - (sp1 + 1));
	}

	/* Fields, up to the empty line. */
	pos = eol + 1;
	for (;;) {
		line = s + pos;
		q = pos < len ? memchr(line, '\n', len - pos) : NULL;
		if (q == NULL)
			return head_short(len, h);
		nl = (size_t)(q - (const uint8_t *)line);
		pos += nl + 1;
		ll = nl;
		if (ll > 0 && line[ll - 1] == '\r')
			ll--;
		if (ll == 0)
			break;
		if (line[0] == ' ' || line[0] == '\t')
			return head_bad(p, len, h); /* obs-fold */
		colon = memchr(line, ':', ll);
		if (colon == NULL || colon == line)
			return head_bad(p, len, h);
		v = colon + 1;
		vl = ll - (size_t)(v - line);
		while (vl > 0 && (*v == ' ' || *v == '\t')) {
			v++;
			vl--;
		}
		while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			vl--;
		nl = (size_t)(colon - line);
		/* Only four fields matter; their names differ in length. */
		if (nl == 4 && ieq(line, nl, "host")) {
			if (h->host == NULL) {
				h->host = v;
				h->host_len = vl;
			}
		} else if (nl == 14 && ieq(line, nl, "content-length")) {
			int64_t cl = 0;
			size_t k;

			if (vl == 0)
				return head_bad(p, len, h);
			for (k = 0; k < vl; k++) {
				if (v[k] < '0' || v[k] > '9')
					return head_bad(p, len, h);
				if (cl > (INT64_MAX - 9) / 10)
					return head_bad(p, len, h);
				cl = cl * 10 + (v[k] - '0');
			}
			/* Differing repeated lengths are an error (6.3). */
			if (h->content_length >= 0 && h->content_length != cl)
				return head_bad(p, len, h);
			h->content_length = cl;
		} else if (nl == 17 && ieq(line, nl, "transfer-encoding")) {
			h->chunked = list_has(v, vl, "chunked", true);
		} else if (nl == 10 && ieq(line, nl, "connection")) {
			connection_opts(v, vl, h);
		}
	}
	h->head_len = pos;
	/* Transfer-Encoding overrides Content-Length (6.3 item 3). */
	if (h->chunked)
		h->content_length = -1;
	return KN_OK;
}

bool
kn_http_field_is_secret(const char *name, size_t len)
{
	return ieq(name, len, "authorization") ||
	       ieq(name, len, "proxy-authorization") ||
	       ieq(name, len, "cookie") || ieq(name, len, "set-cookie");
}

/* Append line[0..n) and '\n' when it fits; else what fits of a line that
 * may be cut (cut: the line ends in '\n' all the same). */
static bool
keep_line(char *out, size_t cap, size_t *o, const char *line, size_t n,
	  bool may_cut)
{
	size_t room = cap - *o;

	if (n + 1 <= room) {
		memcpy(out + *o, line, n);
		*o += n;
		out[(*o)++] = '\n';
		return true;
	}
	if (may_cut && room >= 2) {
		memcpy(out + *o, line, room - 1);
		*o += room - 1;
		out[(*o)++] = '\n';
	}
	return false;
}

/* Lines are found as the parser found them (LF ends a line, one CR before
 * it dropped); the loop ends at the empty line or at len. */
size_t
kn_http_head_keep(const uint8_t *p, size_t len, char *out, size_t cap,
		  bool *trunc)
{
	const char *s = (const char *)p, *line, *colon, *v;
	char red[64];
	size_t pos = 0, o = 0, ll, nl, vl, rl;
	const uint8_t *q;
	bool first = true;

	*trunc = false;
	if (cap == 0)
		return 0;
	while (pos < len) {
		line = s + pos;
		q = memchr(line, '\n', len - pos);
		nl = q != NULL ? (size_t)(q - (const uint8_t *)line)
			       : len - pos;
		pos += nl + 1;
		ll = nl;
		if (ll > 0 && line[ll - 1] == '\r')
			ll--;
		if (ll == 0)
			break;
		colon = first ? NULL : memchr(line, ':', ll);
		first = false;
		if (colon != NULL &&
		    kn_http_field_is_secret(line, (size_t)(colon - line))) {
			v = colon + 1;
			vl = ll - (size_t)(v - line);
			while (vl > 0 && (*v == ' ' || *v == '\t'))
				v++, vl--;
			while (vl > 0 &&
			       (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				vl--;
			rl = (size_t)(colon - line);
			if (rl > sizeof(red) - 32)
				rl = sizeof(red) - 32;
			memcpy(red, line, rl);
			rl += (size_t)snprintf(red + rl, sizeof(red) - rl,
					       ": <redacted %zu bytes>", vl);
			if (!keep_line(out, cap, &o, red, rl, false)) {
				*trunc = true;
				break;
			}
		} else if (!keep_line(out, cap, &o, line, ll, true)) {
			*trunc = true;
			break;
		}
	}
	return o;
}

enum {
	CK_SIZE,
	CK_EXT,
	CK_SIZE_LF,
	CK_DATA,
	CK_DATA_CR,
	CK_DATA_LF,
	CK_TRAILER_BOL,
	CK_TRAILER,
	CK_FINAL_LF,
	CK_DONE,
};

void
kn_http_chunked_init(struct kn_http_chunked *c)
{
	memset(c, 0, sizeof(*c));
}

enum kn_err
kn_http_chunked_feed(struct kn_http_chunked *c, const uint8_t *p, size_t len,
		     size_t *used, bool *done)
{
	size_t i = 0, n;
	int d;

	*done = c->state == CK_DONE;
	while (i < len && c->state != CK_DONE) {
		uint8_t b = p[i];

		switch (c->state) {
		case CK_SIZE:
			d = kn_hexval(b);
			if (d >= 0) {
				if (c->remain >> 44)
					return KN_ERR_LIMIT;
				c->remain = c->remain * 16 + (uint64_t)d;
				c->digits = 1;
				i++;
				break;
			}
			if (!c->digits)
				return KN_ERR_PARSE;
			if (b == ';' || b == ' ' || b == '\t') {
				c->state = CK_EXT;
				c->linelen = 0;
			} else if (b == '\r') {
				c->state = CK_SIZE_LF;
			} else if (b == '\n') {
				c->state = c->remain ? CK_DATA : CK_TRAILER_BOL;
			} else {
				return KN_ERR_PARSE;
			}
			i++;
			break;
		case CK_EXT:
			if (b == '\r')
				c->state = CK_SIZE_LF;
			else if (b == '\n')
				c->state = c->remain ? CK_DATA : CK_TRAILER_BOL;
			else if (++c->linelen > 4096)
				return KN_ERR_LIMIT;
			i++;
			break;
		case CK_SIZE_LF:
			if (b != '\n')
				return KN_ERR_PARSE;
			c->state = c->remain ? CK_DATA : CK_TRAILER_BOL;
			i++;
			break;
		case CK_DATA:
			n = len - i;
			if ((uint64_t)n > c->remain)
				n = (size_t)c->remain;
			c->remain -= n;
			i += n;
			if (c->remain == 0)
				c->state = CK_DATA_CR;
			break;
		case CK_DATA_CR:
			if (b == '\r')
				c->state = CK_DATA_LF;
			else if (b == '\n')
				c->state = CK_SIZE, c->digits = 0;
			else
				return KN_ERR_PARSE;
			i++;
			break;
		case CK_DATA_LF:
			if (b != '\n')
				return KN_ERR_PARSE;
			c->state = CK_SIZE;
			c->digits = 0;
			i++;
			break;
		case CK_TRAILER_BOL:
			if (b == '\r') {
				c->state = CK_FINAL_LF;
			} else if (b == '\n') {
				c->state = CK_DONE;
			} else {
				c->state = CK_TRAILER;
				c->linelen = 1;
			}
			i++;
			break;
		case CK_TRAILER:
			if (b == '\n')
				c->state = CK_TRAILER_BOL;
			else if (++c->linelen > 4096)
				return KN_ERR_LIMIT;
			i++;
			break;
		case CK_FINAL_LF:
			if (b != '\n')
				return KN_ERR_PARSE;
			c->state = CK_DONE;
			i++;
			break;
		}
	}
	*used = i;
	*done = c->state == CK_DONE;
	return KN_OK;
}
