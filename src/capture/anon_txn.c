/* --anonymize for captured transactions: addresses and every name-like
 * field (qname, answers, HTTP host and path, SNI) through the same mapper
 * as the cluster objects, before statistics and naming see them. */
#include <stdio.h>
#include <string.h>

#include "k8snet/anon.h"
#include "k8snet/anon_txn.h"

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

void
kn_anon_txn(struct kn_anon *a, struct kn_txn *t)
{
	kn_anon_ip(a, &t->client.ip);
	kn_anon_ip(a, &t->server.ip);
	kn_anon_ip(a, &t->outer_client);
	kn_anon_ip(a, &t->outer_server);
	switch (t->type) {
	case KN_TXN_DNS:
		kn_anon_field(a, t->u.dns.qname, sizeof(t->u.dns.qname));
		t->u.dns.qname_len = (uint16_t)strlen(t->u.dns.qname);
		kn_anon_answers(a, t->u.dns.answers, sizeof(t->u.dns.answers),
				t->u.dns.nanswers);
		break;
	case KN_TXN_HTTP:
		kn_anon_field(a, t->u.http.host, sizeof(t->u.http.host));
		kn_anon_field(a, t->u.http.path, sizeof(t->u.http.path));
		break;
	case KN_TXN_TLS:
		kn_anon_field(a, t->u.tls.sni, sizeof(t->u.tls.sni));
		break;
	}
}
