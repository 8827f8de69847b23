/* The view layer: values as text, typed sort keys, and every view's
 * schema (keys unique, orders in range, getters present). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

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
	v.type = KN_VT_MS;
	v.ms = 1.5;
	assert_string_equal(kn_value_text(&v, out, sizeof(out)), "1.500");
	v.ms = -1;
	assert_string_equal(kn_value_text(&v, out, sizeof(out)), "");
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
		if (pane == KN_PANE_TRAFFIC) {
			assert_null(d);
			continue;
		}
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
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_text),
		cmocka_unit_test(test_sort_keys),
		cmocka_unit_test(test_schemas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
