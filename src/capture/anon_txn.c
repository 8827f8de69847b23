/* --anonymize for captured transactions: addresses and every name-like
 * field (qname, answers, HTTP host and path and heads, SNI) through the
 * same mapper as the cluster objects, before statistics and naming see
 * them. */
#include <stdio.h>
#include <string.h>

#include "k8snet/anon.h"
#include "anon_txn.h"
#include "k8snet/http1.h"

static void
kn_anon_field(struct kn_anon *a, char *s, size_t cap)
{
	if (s[0] != '\0')
		snprintf(s, cap, "%s", kn_anon_name(a, s));
}

/* Answer texts are space-separated fields ("0 5 80 web.x.", an address,
 * a name): map each field, keep numbers. Texts are NUL-separated. */
static void
kn_anon_answers(struct kn_anon *a, char *buf, size_t cap, unsigned n)
{
	char out[KN_TXN_ANSWERS], field[KN_TXN_ANSWERS];
	size_t o = 0, i = 0, fl;
	unsigned k;

	for (k = 0; k < n && i < cap && buf[i] != '\0'; k++) {
		const char *t = buf + i;
		size_t tl = strnlen(t, cap - i), j = 0;

		while (j < tl) {
			fl = strcspn(t + j, " ");
			if (fl > tl - j)
				fl = tl - j;
			memcpy(field, t + j, fl);
			field[fl] = '\0';
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s",
					      fl ? kn_anon_name(a, field) : "");
			j += fl;
			if (j < tl && o < sizeof(out) - 1) {
				out[o++] = ' ';
				j++;
			}
			if (o >= sizeof(out) - 1)
				break;
		}
		if (o >= sizeof(out) - 1)
			break;
		out[o++] = '\0';
		i += tl + 1;
	}
	if (o > cap)
		o = cap;
	memcpy(buf, out, o);
	if (o < cap)
		buf[o] = '\0';
}

/* Field values that name nothing, kept as they are (lower case). An
 * allowlist: a field not known to be harmless may hold a name or an
 * address (Host, Referer, Origin, Forwarded, X-Forwarded-*, Location,
 * Via, User-Agent, custom fields). */
static const char *const kn_anon_plain[] = {
	"accept",
	"accept-encoding",
	"accept-language",
	"accept-ranges",
	"age",
	"cache-control",
	"connection",
	"content-encoding",
	"content-length",
	"content-type",
	"date",
	"expect",
	"expires",
	"keep-alive",
	"last-modified",
	"pragma",
	"transfer-encoding",
	"upgrade",
	"vary",
};

static bool
kn_anon_ieq(const char *s, size_t n, const char *w)
{
	size_t k;

	if (strlen(w) != n)
		return false;
	for (k = 0; k < n; k++) {
		char c = s[k];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != w[k])
			return false;
	}
	return true;
}

static bool
kn_anon_is_plain(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(kn_anon_plain) / sizeof(kn_anon_plain[0]); i++)
		if (kn_anon_ieq(name, n, kn_anon_plain[i]))
			return true;
	return false;
}

/* One anonymized line of a head: the start line (first) or a field. */
static size_t
kn_anon_head_line(struct kn_anon *a, const char *l, size_t n, bool first,
		  char *out, size_t cap)
{
	char tmp[KN_TXN_HEAD_KEEP + 1];
	const char *sp1, *sp2, *colon, *v;
	size_t vl;
	int w;

	if (first) {
		sp1 = memchr(l, ' ', n);
		if (n >= 12 && memcmp(l, "HTTP/", 5) == 0) /* status line */
			return (size_t)snprintf(out, cap, "%.12s", l);
		sp2 = l + n;
		while (sp2 > l && sp2[-1] != ' ')
			sp2--;
		if (sp1 == NULL || sp2 <= sp1 + 1)
			return (size_t)snprintf(out, cap,
						"<anonymized %zu "
						"bytes>",
						n);
		memcpy(tmp, sp1 + 1, (size_t)(sp2 - 1 - (sp1 + 1)));
		tmp[sp2 - 1 - (sp1 + 1)] = '\0';
		w = snprintf(out, cap, "%.*s %s %.*s", (int)(sp1 - l), l,
			     kn_anon_name(a, tmp), (int)(l + n - sp2), sp2);
		return w < 0 ? 0 : (size_t)w;
	}
	colon = memchr(l, ':', n);
	if (colon == NULL)
		return (size_t)snprintf(out, cap, "<anonymized %zu bytes>", n);
	v = colon + 1;
	vl = n - (size_t)(v - l);
	while (vl > 0 && (*v == ' ' || *v == '\t'))
		v++, vl--;
	if (kn_anon_is_plain(l, (size_t)(colon - l)) ||
	    kn_http_field_is_secret(l, (size_t)(colon - l)))
		/* secret: redacted */
		w = snprintf(out, cap, "%.*s", (int)n, l);
	else if (kn_anon_ieq(l, (size_t)(colon - l), "host")) {
		memcpy(tmp, v, vl);
		tmp[vl] = '\0';
		w = snprintf(out, cap, "%.*s: %s", (int)(colon - l), l,
			     kn_anon_name(a, tmp));
	} else {
		w = snprintf(out, cap, "%.*s: <anonymized %zu bytes>",
			     (int)(colon - l), l, vl);
	}
	return w < 0 ? 0 : (size_t)w;
}

/* Direction dir of in, line by line, into out's data at o (at most
 * KN_TXN_HEAD_KEEP bytes; a line that does not fit ends it, marked). */
static void
kn_anon_head(struct kn_anon *a, const struct kn_txn_heads *in, int dir,
	     struct kn_txn_heads *out, size_t o)
{
	const char *p = in->data + (dir ? in->len[0] : 0);
	const char *end = p + in->len[dir], *nl;
	char line[KN_TXN_HEAD_KEEP + 64];
	size_t n, ln, used = 0;
	bool first = true;

	out->trunc[dir] = in->trunc[dir];
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		ln = kn_anon_head_line(a, p, n, first, line, sizeof(line));
		first = false;
		if (ln >= sizeof(line) || used + ln + 1 > KN_TXN_HEAD_KEEP) {
			out->trunc[dir] = true;
			break;
		}
		memcpy(out->data + o + used, line, ln);
		used += ln;
		out->data[o + used++] = '\n';
		p += n + 1;
	}
	out->len[dir] = (uint16_t)used;
}

static void
kn_anon_heads(struct kn_anon *a, struct kn_txn *t, struct kn_txn_heads *scratch)
{
	const struct kn_txn_heads *in = t->u.http.heads;

	t->u.http.heads = NULL;
	if (in == NULL || scratch == NULL)
		return;
	memset(scratch, 0, sizeof(*scratch));
	kn_anon_head(a, in, 0, scratch, 0);
	kn_anon_head(a, in, 1, scratch, scratch->len[0]);
	t->u.http.heads = scratch;
}

/* The answer texts of t rewritten into text. */
static void
kn_anon_dns_answers(struct kn_anon *a, struct kn_txn *t, char *text)
{
	size_t o = 0;
	unsigned k;

	if (text == NULL || t->u.dns.answers == NULL) {
		t->u.dns.answers = NULL;
		t->u.dns.nanswers = 0;
		t->u.dns.answers_len = 0;
		return;
	}
	memcpy(text, t->u.dns.answers, t->u.dns.answers_len);
	kn_anon_answers(a, text, KN_TXN_ANSWERS, t->u.dns.nanswers);
	for (k = 0; k < t->u.dns.nanswers && o < KN_TXN_ANSWERS; k++)
		o += strnlen(text + o, KN_TXN_ANSWERS - o) + 1;
	if (o > KN_TXN_ANSWERS) { /* the last text lost its NUL */
		o = KN_TXN_ANSWERS;
		text[o - 1] = '\0';
	}
	t->u.dns.answers = text;
	t->u.dns.answers_len = (uint16_t)o;
}

void
kn_anon_txn(struct kn_anon *a, struct kn_txn *t, struct kn_txn_heads *scratch,
	    char *text)
{
	static char none[1];

	kn_anon_ip(a, &t->client.ip);
	kn_anon_ip(a, &t->server.ip);
	kn_anon_ip(a, &t->outer_client);
	kn_anon_ip(a, &t->outer_server);
	switch (t->type) {
	case KN_TXN_DNS:
		kn_anon_field(a, t->u.dns.qname, sizeof(t->u.dns.qname));
		t->u.dns.qname_len = (uint16_t)strlen(t->u.dns.qname);
		kn_anon_dns_answers(a, t, text);
		break;
	case KN_TXN_HTTP:
		kn_anon_field(a, t->u.http.host, sizeof(t->u.http.host));
		if (text != NULL) {
			snprintf(text, KN_TXN_PATH, "%s",
				 t->u.http.path[0] != '\0'
					 ? kn_anon_name(a, t->u.http.path)
					 : "");
			t->u.http.path = text;
		} else {
			t->u.http.path = none;
		}
		kn_anon_heads(a, t, scratch);
		break;
	case KN_TXN_TLS:
		kn_anon_field(a, t->u.tls.sni, sizeof(t->u.tls.sni));
		break;
	}
}
