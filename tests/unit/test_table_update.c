/* Rows appended to and dropped from a table (kn_table_update) give what
 * a full rebuild (kn_table_set_source) gives: the same rows in the same
 * order, the same filter and the same selection, for every kind of sort
 * in both directions; and the Traffic lists kept across refreshes of a
 * capture whose ring of recent transactions overflows equal lists built
 * anew. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "k8snet/capture.h"
#include "pane.h"
#include "table.h"

/* ---- a synthetic growing source ---- */

#define NREC 24000

struct rec {
	uint64_t ts, a, b; /* TIME (typed), PAIR (two levels) */
	char name[80];	   /* text: long shared prefixes, ties */
	char num[16];	   /* numeric text, "<none>" */
};

struct ring {
	struct rec r[NREC];
	size_t from, end; /* the source's rows are r[from, end) */
};

enum { C_TIME, C_NAME, C_NUM, C_PAIR, NC };

static const struct kn_column cols[NC] = {
	{"TIME", 4, 0, KN_ALIGN_LEFT, 0, false, false},
	{"NAME", 4, 0, KN_ALIGN_LEFT, 1, false, true},
	{"NUM", 3, 0, KN_ALIGN_RIGHT, 0, true, false},
	{"PAIR", 4, 0, KN_ALIGN_LEFT, 0, false, false},
};

static const struct rec *
rec_of(void *arg, size_t row)
{
	struct ring *g = arg;

	return &g->r[g->from + row];
}

static const char *
cell(void *arg, size_t row, int col, char *tmp, size_t tmpsz)
{
	const struct rec *r = rec_of(arg, row);

	switch (col) {
	case C_TIME:
		snprintf(tmp, tmpsz, "%llu", (unsigned long long)r->ts);
		return tmp;
	case C_NAME:
		return r->name;
	case C_NUM:
		return r->num;
	default:
		snprintf(tmp, tmpsz, "%llu.%llu", (unsigned long long)r->a,
			 (unsigned long long)r->b);
		return tmp;
	}
}

static uint64_t
row_id(void *arg, size_t row)
{
	struct ring *g = arg;

	return g->from + row;
}

static int
sort_levels(void *arg, int col)
{
	return col == C_TIME ? 1 : col == C_PAIR ? 2 : 0;
}

static uint64_t
sort_key(void *arg, size_t row, int col, int level)
{
	const struct rec *r = rec_of(arg, row);

	if (col == C_TIME)
		return r->ts;
	return level == 0 ? r->a : r->b;
}

static void
source(struct ring *g, struct kn_table_source *src)
{
	memset(src, 0, sizeof(*src));
	src->nrows = g->end - g->from;
	src->arg = g;
	src->cell = cell;
	src->row_id = row_id;
	src->sort_levels = sort_levels;
	src->sort_key = sort_key;
}

/* Mostly in time order, some late (answers that timed out), ties. */
static void
fill(struct ring *g, unsigned seed)
{
	static const char *const stems[] = {"web",
					    "Web",
					    "api.shop.example.com/",
					    "api.shop.example.com/x",
					    "",
					    "ab",
					    "x|y"};
	size_t i, k;

	srand(seed);
	for (i = 0; i < NREC; i++) {
		struct rec *r = &g->r[i];

		r->ts = i * 4 + (uint64_t)(rand() % 7);
		if (rand() % 10 == 0)
			r->ts -= r->ts > 400 ? (uint64_t)(rand() % 400) : 0;
		k = (size_t)rand() % (sizeof(stems) / sizeof(stems[0]));
		snprintf(r->name, sizeof(r->name), "%s%s%d", stems[k],
			 rand() % 3 ? "-pod-replicaset-abcdef-" : "",
			 rand() % 5);
		if (rand() % 8 == 0)
			snprintf(r->num, sizeof(r->num), "<none>");
		else
			snprintf(r->num, sizeof(r->num), "%d", rand() % 20 - 3);
		r->a = (uint64_t)(rand() % 4);
		r->b = (uint64_t)(rand() % 3);
	}
}

/* Same rows, order, filter result and selection. */
static void
assert_same(struct kn_table *a, struct kn_table *b)
{
	size_t i, ra, rb;

	assert_int_equal(kn_table_total(a), kn_table_total(b));
	assert_int_equal(kn_table_visible(a), kn_table_visible(b));
	for (i = 0; i < kn_table_visible(a); i++)
		assert_int_equal(kn_table_row_at(a, i), kn_table_row_at(b, i));
	assert_int_equal(kn_table_cursor(a), kn_table_cursor(b));
	assert_int_equal(kn_table_selected(a, &ra), kn_table_selected(b, &rb));
	if (kn_table_visible(a) > 0)
		assert_int_equal(ra, rb);
}

static void
run_case(struct ring *g, int col, bool reverse, const char *filter,
	 unsigned seed)
{
	struct kn_table *inc = kn_table_new(cols, NC);
	struct kn_table *full = kn_table_new(cols, NC);
	struct kn_table_source src;
	size_t step, add, drop, moved;

	srand(seed);
	g->from = 0;
	g->end = 30;
	kn_table_sort(inc, col, reverse);
	kn_table_sort(full, col, reverse);
	kn_table_set_filter(inc, filter);
	kn_table_set_filter(full, filter);
	source(g, &src);
	kn_table_set_source(inc, &src);
	kn_table_set_source(full, &src);
	assert_same(inc, full);
	for (step = 0; step < 60 && g->end < NREC; step++) {
		/* a burst now and then; some refreshes bring nothing */
		add = (size_t)rand() % (step % 7 == 3 ? 200 : 25);
		if (g->end + add > NREC)
			add = NREC - g->end;
		g->end += add;
		/* a ring of 300 drops its oldest; clear drops them all */
		drop = g->end - g->from > 300 ? g->end - g->from - 300 : 0;
		if (step == 40)
			drop = g->end - g->from;
		g->from += drop;
		source(g, &src);
		kn_table_update(inc, &src, drop);
		kn_table_set_source(full, &src);
		assert_same(inc, full);
		/* the user moves; both follow the same row */
		moved = (size_t)rand() % 5;
		kn_table_move(inc, (long)moved - 2);
		kn_table_move(full, (long)moved - 2);
		assert_same(inc, full);
	}
	kn_table_free(inc);
	kn_table_free(full);
}

static void
test_update_equals_rebuild(void **state)
{
	static struct ring g;
	static const char *const filters[] = {"", "pod", "!web", "ab|x|y",
					      "-1"};
	size_t f;
	int col;

	fill(&g, 7);
	for (col = -1; col < NC; col++)
		for (f = 0; f < sizeof(filters) / sizeof(filters[0]); f++) {
			run_case(&g, col, false, filters[f], 11 + (unsigned)f);
			run_case(&g, col, true, filters[f], 23 + (unsigned)f);
		}
}

/* Past KN_TABLE_EAGER_HAY rows the rows are folded for the filter as
 * they come; a filter typed later finds the new rows too. */
static void
test_update_large_then_filter(void **state)
{
	static struct ring g;
	struct kn_table *inc = kn_table_new(cols, NC);
	struct kn_table *full = kn_table_new(cols, NC);
	struct kn_table_source src;

	(void)state;
	fill(&g, 3);
	g.from = 0;
	g.end = 2500;
	kn_table_sort(inc, C_TIME, true);
	kn_table_sort(full, C_TIME, true);
	source(&g, &src);
	kn_table_set_source(inc, &src);
	kn_table_set_source(full, &src);
	g.end = NREC; /* past KN_TABLE_EAGER_HAY */
	g.from = 100;
	source(&g, &src);
	kn_table_update(inc, &src, 100);
	kn_table_set_source(full, &src);
	assert_same(inc, full);
	kn_table_set_filter(inc, "shop");
	kn_table_set_filter(full, "shop");
	assert_same(inc, full);
	assert_true(kn_table_visible(inc) > 0);
	assert_true(kn_table_visible(inc) < kn_table_total(inc));
	kn_table_free(inc);
	kn_table_free(full);
}

/* ---- the Traffic lists over a capture ---- */

static const struct kn_view_def *const lists[] = {
	&kn_view_traffic, &kn_view_traffic_dns, &kn_view_traffic_http,
	&kn_view_traffic_tls};

/* A list built anew for cx's range, as a table. */
static void
rebuilt(struct kn_vtable *vt, const struct kn_vctx *cx, struct kn_table *t)
{
	struct kn_table_source src;

	vt->cx = *cx;
	kn_view_build(&vt->view, &vt->cx);
	kn_vtable_source(vt, &src);
	kn_table_set_source(t, &src);
}

/* Read pcap in small batches into a ring of ring_n transactions; after
 * each batch the kept list (updated) must equal a rebuilt one. */
static void
traffic_case(const char *pcap, uint32_t ring_n, size_t li, int col,
	     bool reverse, const char *filter)
{
	struct kn_capture_config cfg;
	struct kn_capture *cap;
	struct kn_vtable *kept = kn_vtable_new(lists[li]);
	struct kn_vtable *anew = kn_vtable_new(lists[li]);
	struct kn_table *tk = kn_table_new(kept->cols, kept->ncols);
	struct kn_table *ta = kn_table_new(anew->cols, anew->ncols);
	struct kn_table_source src;
	struct kn_vctx cx = {0};
	char errbuf[KN_ERRBUF];
	uint64_t old_end;
	size_t drop;
	int r, batches = 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.read_file = pcap;
	assert_int_equal(kn_capture_open(&cfg, &cap, errbuf), KN_OK);
	assert_int_equal(kn_capture_keep_recent(cap, ring_n, errbuf), KN_OK);
	kn_table_sort(tk, col, reverse);
	kn_table_sort(ta, col, reverse);
	kn_table_set_filter(tk, filter);
	kn_table_set_filter(ta, filter);
	cx.capture = cap;
	rebuilt(kept, &cx, tk);
	do {
		r = kn_capture_dispatch(cap, 5, errbuf);
		if (r <= 0)
			kn_capture_finish(cap);
		old_end = kept->cx.txn_end;
		cx.txn_from = kn_capture_recent_oldest(cap);
		cx.txn_end = kn_capture_recent_added(cap);
		kept->cx = cx;
		drop = kn_view_traffic_update(&kept->view, &kept->cx, old_end);
		kn_vtable_source(kept, &src);
		kn_table_update(tk, &src, drop);
		rebuilt(anew, &cx, ta);
		assert_same(tk, ta);
		batches++;
	} while (r > 0);
	assert_true(batches > 3);
	kn_capture_close(cap);
	kn_table_free(tk);
	kn_table_free(ta);
	kn_vtable_free(kept);
	kn_vtable_free(anew);
}

static void
test_traffic_lists_kept(void **state)
{
	static const char *const pcaps[] = {"eth.pcap", "ipv6.pcap",
					    "http-gaps.pcap"};
	char path[512];
	size_t p, li;
	int col;

	(void)state;
	for (p = 0; p < sizeof(pcaps) / sizeof(pcaps[0]); p++) {
		snprintf(path, sizeof(path), "%s/pcap/%s", KN_TEST_DATA,
			 pcaps[p]);
		for (li = 0; li < sizeof(lists) / sizeof(lists[0]); li++) {
			struct kn_vtable *vt = kn_vtable_new(lists[li]);
			int ncols = vt->ncols;

			kn_vtable_free(vt);
			/* TIME newest first (the default), then each
			 * column; a ring of 16 overflows, one of 5000 not */
			traffic_case(path, 16, li, 0, true, "");
			traffic_case(path, 5000, li, 0, true, "");
			for (col = 0; col < ncols; col++) {
				traffic_case(path, 16, li, col, false, "");
				traffic_case(path, 16, li, col, true, "dns");
			}
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_equals_rebuild),
		cmocka_unit_test(test_update_large_then_filter),
		cmocka_unit_test(test_traffic_lists_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
