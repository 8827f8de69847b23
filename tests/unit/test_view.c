/* The view layer: values as text, typed sort keys, and every view's
 * schema (keys unique, orders in range, getters present). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "k8snet/capture.h"
#include "k8snet/opts.h"
#include "k8snet/view.h"

static void
test_value_text(void **state)
{
	struct kn_ipaddr ips[2];
	const char *strs[] = {"a", "b", "c"};
	struct kn_value v;
	char out[64];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.type = KN_VT_COUNT;
	v.u = 2;
	v.u2 = 3;
	assert_string_equal(kn_value_text(&v, out, sizeof(out)), "2/3");
	v.type = KN_VT_IPS;
	assert_true(kn_ipaddr_parse("10.0.0.1", &ips[0]));
	assert_true(kn_ipaddr_parse("fd00::1", &ips[1]));
	v.ips = ips;
	v.n = 2;
	assert_string_equal(kn_value_text(&v, out, sizeof(out)),
			    "10.0.0.1,fd00::1");
	v.type = KN_VT_STRS;
	v.strs = strs;
	v.n = 3;
	v.sep = "; ";
	assert_string_equal(kn_value_text(&v, out, sizeof(out)), "a; b; c");
	/* Cut at the buffer, never past it. */
	assert_string_equal(kn_value_text(&v, out, 5), "a; b");
	/* Durations for people; JSON has the milliseconds. */
	v.type = KN_VT_MS;
	v.ms = 1.5;
	assert_string_equal(kn_value_text(&v, out, sizeof(out)), "1.50ms");
	v.ms = 850.4;
	assert_string_equal(kn_value_text(&v, out, sizeof(out)), "850ms");
	v.ms = 1200;
	assert_string_equal(kn_value_text(&v, out, sizeof(out)), "1.20s");
	v.ms = -1;
	assert_string_equal(kn_value_text(&v, out, sizeof(out)), "");
	/* Strings packed back to back: DNS answers, HTTP head lines. */
	memset(&v, 0, sizeof(v));
	v.type = KN_VT_STRS;
	v.packed = true;
	v.delim = '\n';
	v.arr = "GET / HTTP/1.1\nHost: web\n";
	v.len = strlen(v.arr);
	v.n = 2;
	v.sep = " | ";
	assert_string_equal(kn_value_text(&v, out, sizeof(out)),
			    "GET / HTTP/1.1 | Host: web");
	v.delim = '\0';
	v.arr = "10.0.0.1\0fd00::1";
	v.len = 17;
	v.sep = ", ";
	assert_string_equal(kn_value_text(&v, out, sizeof(out)),
			    "10.0.0.1, fd00::1");
	memset(&v, 0, sizeof(v));
	v.type = KN_VT_EPOCH;
	v.u = 1700000000123ULL;
	assert_string_equal(kn_value_text(&v, out, sizeof(out)),
			    "1700000000.123");
	/* Text may live in the scratch it is formatted into. */
	v.type = KN_VT_TEXT;
	snprintf(out, sizeof(out), "in place");
	v.s = out;
	assert_string_equal(kn_value_text(&v, out, sizeof(out)), "in place");
	v.type = KN_VT_UINT;
	v.u = 7;
	v.null = true;
	assert_string_equal(kn_value_text(&v, out, sizeof(out)), "");
}

static uint64_t
key(const struct kn_value *v, unsigned level)
{
	uint64_t k = 0;

	assert_true(kn_value_sort_key(v, level, &k));
	return k;
}

/* Compare two values level by level as the table does. */
static int
cmp(const struct kn_value *a, const struct kn_value *b)
{
	uint64_t ka, kb;
	unsigned l;

	for (l = 0; kn_value_sort_key(a, l, &ka); l++) {
		assert_true(kn_value_sort_key(b, l, &kb));
		if (ka != kb)
			return ka < kb ? -1 : 1;
	}
	return 0;
}

static void
test_sort_keys(void **state)
{
	struct kn_value a, b;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.type = b.type = KN_VT_IP;
	assert_true(kn_ipaddr_parse("10.244.1.2", &a.ip));
	assert_true(kn_ipaddr_parse("10.244.1.14", &b.ip));
	assert_int_equal(cmp(&a, &b), -1);
	assert_true(kn_ipaddr_parse("fd00::1", &b.ip));
	assert_int_equal(cmp(&a, &b), -1); /* IPv4 first */
	assert_true(kn_ipaddr_parse("fd00::2", &a.ip));
	assert_int_equal(cmp(&a, &b), 1); /* the last byte */
	a.type = b.type = KN_VT_COUNT;
	a.u = 1;
	a.u2 = 3;
	b.u = 1;
	b.u2 = 2;
	assert_int_equal(cmp(&a, &b), 1);
	a.type = b.type = KN_VT_MS;
	a.ms = 0.25;
	b.ms = 10;
	assert_int_equal(cmp(&a, &b), -1);
	b.ms = -1; /* null last */
	assert_int_equal(cmp(&a, &b), -1);
	a.type = b.type = KN_VT_INT;
	a.i = -5;
	b.i = 3;
	assert_true(key(&a, 0) < key(&b, 0));
	a.type = KN_VT_TEXT;
	assert_false(kn_value_sort_key(&a, 0, &(uint64_t){0}));
}

static void
check_cols(const struct kn_vcol *cols, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		assert_non_null(cols[i].get);
		if (cols[i].flags & KN_VC_JSON &&
		    !(cols[i].flags & KN_VC_INLINE))
			assert_non_null(cols[i].key);
		if (cols[i].flags & (KN_VC_TABLE | KN_VC_CONSOLE))
			assert_non_null(cols[i].title);
		for (k = 0; k < i; k++)
			if (cols[i].key != NULL && cols[k].key != NULL)
				assert_string_not_equal(cols[i].key,
							cols[k].key);
	}
}

/* Every view: JSON keys unique, orders in range, console columns in the
 * console order. */
static void
test_schemas(void **state)
{
	const struct kn_view_def *d;
	size_t k;
	int pane;

	(void)state;
	for (pane = 0; pane < KN_PANE__COUNT; pane++) {
		d = kn_view_of(pane);
		assert_non_null(d);
		assert_string_equal(d->pane, kn_pane_name(pane));
		check_cols(d->cols, d->ncols);
		if (d->head != NULL)
			check_cols(d->head, d->nhead);
		for (k = 0; k < d->norder; k++)
			assert_true(d->order[k] < d->ncols);
		for (k = 0; k < d->ncorder; k++)
			assert_true(d->corder[k] < d->ncols);
	}
	assert_null(kn_view_of(-1));
	/* The Traffic pane's lists: the same columns, other console ones. */
	for (pane = 0; pane < 3; pane++) {
		d = (const struct kn_view_def *[]){&kn_view_traffic_dns,
						   &kn_view_traffic_http,
						   &kn_view_traffic_tls}[pane];
		assert_ptr_equal(d->cols, kn_view_traffic.cols);
		for (k = 0; k < d->ncorder; k++)
			assert_true(d->corder[k] < d->ncols);
	}
}

/* Text of the console column titled title (or the JSON key) of row r. */
static const char *
cell(const struct kn_view_def *d, const struct kn_vrow *r, const char *title,
     struct kn_value *v, char *buf, size_t cap)
{
	static char out[256];
	int c = kn_view_col_by_key(d, title);

	assert_true(c >= 0);
	kn_view_get(&(struct kn_vctx){0}, &d->cols[c], r, v, buf, cap);
	return kn_value_text(v, out, sizeof(out));
}

/* A transaction as the console's row and as the JSON line's values: an
 * unanswered query reads "no answer" in the console, null in JSON; a
 * row whose ring entry was reused shows nothing of the newer one. */
static void
test_traffic_row(void **state)
{
	static struct kn_txn t;
	struct kn_recent rec;
	struct kn_view view;
	struct kn_value v;
	char text[1024], buf[256];
	const struct kn_vrow *r;

	(void)state;
	t.type = KN_TXN_DNS;
	t.ts_us = 1700000000123456ULL;
	t.latency_us = -1;
	t.u.dns.rcode = -1;
	t.u.dns.qtype = 28;
	snprintf(t.u.dns.qname, sizeof(t.u.dns.qname), "web.shop");
	t.u.dns.qname_len = 8;
	assert_true(kn_recent_text_size(&t) <= sizeof(text));
	kn_recent_from_txn(&rec, &t, 7, text);
	kn_view_init(&view, &kn_view_traffic_dns);
	kn_view_traffic_row(&view, &rec);
	r = &view.rows[0];
	assert_ptr_equal(kn_view_traffic_txn(r), &rec);
	assert_string_equal(cell(view.def, r, "RCODE", &v, buf, sizeof(buf)),
			    "no answer");
	cell(view.def, r, "rcode", &v, buf, sizeof(buf));
	assert_true(v.null && !v.absent);
	assert_string_equal(cell(view.def, r, "QTYPE", &v, buf, sizeof(buf)),
			    "AAAA");
	assert_string_equal(cell(view.def, r, "LATENCY", &v, buf, sizeof(buf)),
			    "-");
	cell(view.def, r, "latency_ms", &v, buf, sizeof(buf));
	assert_int_equal(v.type, KN_VT_MS);
	assert_true(v.ms < 0);
	cell(view.def, r, "ts", &v, buf, sizeof(buf));
	assert_int_equal(v.u, t.ts_us);
	cell(view.def, r, "status", &v, buf, sizeof(buf));
	assert_true(v.absent); /* an HTTP key: not on a DNS line */
	assert_int_equal(r->tone, KN_VTONE_DIM);
	rec.seq = 8; /* the capture reused the entry */
	assert_null(kn_view_traffic_txn(r));
	assert_string_equal(cell(view.def, r, "QNAME", &v, buf, sizeof(buf)),
			    "");
	/* Answered: in 3 ms plain, in 850 ms a warning, NXDOMAIN an
	 * error. */
	t.u.dns.rcode = 0;
	t.latency_us = 3000;
	kn_recent_from_txn(&rec, &t, 9, text);
	kn_view_clear(&view);
	kn_view_traffic_row(&view, &rec);
	assert_int_equal(view.rows[0].tone, KN_VTONE_NORMAL);
	t.latency_us = 850000;
	kn_recent_from_txn(&rec, &t, 10, text);
	kn_view_clear(&view);
	kn_view_traffic_row(&view, &rec);
	assert_int_equal(view.rows[0].tone, KN_VTONE_WARN);
	t.u.dns.rcode = 3;
	kn_recent_from_txn(&rec, &t, 11, text);
	kn_view_clear(&view);
	kn_view_traffic_row(&view, &rec);
	assert_int_equal(view.rows[0].tone, KN_VTONE_ERROR);
	kn_view_release(&view);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_text),
		cmocka_unit_test(test_sort_keys),
		cmocka_unit_test(test_schemas),
		cmocka_unit_test(test_traffic_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
