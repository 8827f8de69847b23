/* The DNS pane's live rows kept from one refresh to the next against a
 * scan of the whole ring: random transactions through a small ring (so
 * that it gives many up), namespace and name changes on the way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "k8snet/app.h"
#include "k8snet/capture.h"
#include "pane.h"
#include "traffic_view.h"

#define RING 97
#define NCLIENTS 12

/* Who owns 10.0.0.N: by round (names change when it moves) pods of
 * ns-a and ns-b, some the same pod at two addresses, some nobody. */
static const char *
test_namer(void *arg, const struct kn_ipaddr *ip, char *buf, size_t n)
{
	unsigned round = *(const unsigned *)arg, c = ip->addr[3];

	if (c % 5 == 4)
		return NULL;
	snprintf(buf, n, "%s/pod-%u", (c + round) % 3 == 0 ? "ns-b" : "ns-a",
		 (c + round) / 2);
	return buf;
}

static uint64_t rng = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A random transaction: mostly DNS, names from a few (two alike in
 * their first 255 bytes, which the rows cut at) or, with unique, never
 * the same twice and mostly NXDOMAIN (pairs pile up to be let go). */
static void
add_txn(struct kn_capture *cap, uint64_t *ts, bool unique)
{
	static const int32_t codes[] = {-1, 0, 0, 2, 3, 3, 3, 3, 5, 4};
	static const char *const names[] = {"web.shop.svc.cluster.local",
					    "db.shop",
					    "nope.example",
					    "api.internal",
					    "metadata.google.internal",
					    "x.y"};
	static struct kn_txn t;
	static unsigned serial;
	char path[] = "/";

	memset(&t, 0, sizeof(t));
	*ts += rnd(400000);
	t.ts_us = *ts;
	t.client.ip.family = 4;
	t.client.ip.addr[0] = 10;
	t.client.ip.addr[3] = (uint8_t)rnd(NCLIENTS);
	t.server.ip.family = 4;
	t.server.ip.addr[0] = 10;
	t.server.ip.addr[3] = 200;
	t.latency_us = rnd(7) == 0 ? -1 : (int64_t)rnd(40) * 250;
	if (rnd(8) == 0) {
		t.type = KN_TXN_HTTP;
		t.u.http.status = 200;
		snprintf(t.u.http.method, sizeof(t.u.http.method), "GET");
		t.u.http.path = path;
		kn_capture_add_txn(cap, &t, NULL);
		return;
	}
	t.type = KN_TXN_DNS;
	t.u.dns.qtype = 1;
	t.u.dns.rcode = codes[rnd(sizeof(codes) / sizeof(codes[0]))];
	if (unique && rnd(4) != 0)
		t.u.dns.rcode = 3;
	t.u.dns.search_expansion = t.u.dns.rcode == 3 && rnd(3) == 0;
	if (unique) {
		snprintf(t.u.dns.qname, sizeof(t.u.dns.qname), "n%u.example",
			 serial++);
	} else if (rnd(8) == 0) {
		memset(t.u.dns.qname, 'a', 300);
		t.u.dns.qname[299] = rnd(2) ? 'b' : 'c';
	} else {
		snprintf(t.u.dns.qname, sizeof(t.u.dns.qname), "%s",
			 names[rnd(sizeof(names) / sizeof(names[0]))]);
	}
	t.u.dns.qname_len = (uint16_t)strlen(t.u.dns.qname);
	kn_capture_add_txn(cap, &t, NULL);
}

/* The live rows added to p's view, as text (cells and tone), and the
 * view emptied. */
static char *
rows_text(struct kn_pane *p)
{
	struct kn_view *v = &p->vt->view;
	size_t i, o = 0, cap = 1 + v->n * 1024;
	char *out = malloc(cap);
	int c;

	assert_non_null(out);
	out[0] = '\0';
	for (i = 0; i < v->n; i++) {
		assert_non_null(v->rows[i].text);
		for (c = 0; c < 4; c++)
			o += (size_t)snprintf(out + o, cap - o, "%s|",
					      v->rows[i].text[c]);
		o += (size_t)snprintf(out + o, cap - o, "%u\n",
				      v->rows[i].tone);
	}
	kn_view_clear(v);
	return out;
}

static void
test_live_equals_scan(void **state)
{
	static const char *const nss[] = {NULL, "ns-a", "ns-b"};
	struct kn_app app;
	struct kn_capture *cap;
	struct kn_pane *p;
	struct kn_pane_view v;
	char errbuf[KN_ERRBUF], *kept, *scan;
	unsigned round = 0, step, k, n, nx_rows = 0, nonempty = 0;
	uint64_t ts = 1700000000000000ULL;
	bool unique;

	(void)state;
	memset(&app, 0, sizeof(app));
	assert_int_equal(kn_capture_open_agents(&cap, errbuf), KN_OK);
	assert_int_equal(kn_capture_keep_recent(cap, RING, errbuf), KN_OK);
	kn_capture_set_namer(cap, test_namer, &round);
	app.capture = cap;
	p = kn_pane_new(&kn_pane_dns_ops, &app, false);
	v.app = &app;
	v.ns = NULL;
	for (step = 0; step < 3000; step++) {
		/* now and then another namespace, other names, a burst
		 * past the whole ring, or a refresh with nothing new; in
		 * the middle a long run in every namespace, all the
		 * names new, for the pairs gone to pile up */
		unique = step >= 1200 && step < 2600;
		if (rnd(25) == 0)
			v.ns = unique ? NULL : nss[rnd(3)];
		if (rnd(40) == 0) {
			round++;
			kn_capture_set_namer(cap, test_namer, &round);
		}
		n = rnd(10) == 0 ? 0 : rnd(30);
		if (rnd(60) == 0 && !unique)
			n = RING + rnd(RING);
		for (k = 0; k < n; k++)
			add_txn(cap, &ts, unique);
		kn_traffic_dns_rows(p->priv, p, &v);
		kept = rows_text(p);
		kn_traffic_dns_rows_scan(p, &v);
		scan = rows_text(p);
		if (strcmp(kept, scan) != 0)
			fail_msg("step %u, ns %s:\nkept:\n%s\nscan:\n%s", step,
				 v.ns ? v.ns : "(all)", kept, scan);
		nonempty += scan[0] != '\0';
		nx_rows += strstr(scan, "|NXDOMAIN|") != NULL;
		free(kept);
		free(scan);
	}
	/* the comparison was about something */
	assert_true(nonempty > 2000);
	assert_true(nx_rows > 1000);
	kn_pane_free(p);
	kn_capture_close(cap);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_equals_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
