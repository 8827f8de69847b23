/* New rows merged into a sorted, filtered table, and the oldest dropped,
 * without sorting or folding the rows it already has: what a pane over
 * a growing ring (the Traffic pane's 50,000 transactions) does on each
 * refresh. The result is the one kn_table_set_source gives. */
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "table.h"
#include "table_int.h"

/* Folded text of a and b from byte off on, compared eight bytes at a
 * time as the sort does (to KN_SORT_MAX_DEPTH; shorter text first). */
static int
kn_text_cmp(const struct kn_table *t, uint32_t a, uint32_t b, size_t off)
{
	char ta[KN_CELL_TMP], tb[KN_CELL_TMP], sa[KN_SORT_MAX_DEPTH + 16];
	const char *s = kn_table_src_cell(t, a, t->sort_col, ta, sizeof(ta));
	size_t len = strnlen(s, sizeof(sa) - 1);
	uint64_t ka, kb;

	/* the source may hand both cells out of one buffer */
	memcpy(sa, s, len);
	sa[len] = '\0';
	s = kn_table_src_cell(t, b, t->sort_col, tb, sizeof(tb));
	for (;; off += 8) {
		/* both texts are at least off bytes long: the chunk before
		 * had no NUL */
		ka = kn_table_string_key(sa + off);
		kb = kn_table_string_key(s + off);
		if (ka != kb)
			return ka < kb ? -1 : 1;
		if ((ka & 0xff) == 0 || off >= KN_SORT_MAX_DEPTH)
			return 0;
	}
}

/* How the sort orders rows a and b (ascending): < 0, > 0, or 0 when it
 * leaves them in source order. */
static int
kn_row_cmp(const struct kn_table *t, uint32_t a, uint32_t b, int levels)
{
	uint64_t ka = t->okey[a], kb = t->okey[b];
	int l;

	if (ka != kb)
		return ka < kb ? -1 : 1;
	for (l = 1; l < levels; l++) {
		ka = t->src.sort_key(t->src.arg, a, t->sort_col, l);
		kb = t->src.sort_key(t->src.arg, b, t->sort_col, l);
		if (ka != kb)
			return ka < kb ? -1 : 1;
	}
	if (levels > 0)
		return 0;
	/* Equal numbers sort by their text; equal text chunks go on. */
	if (t->cols[t->sort_col].numeric)
		return kn_text_cmp(t, a, b, 0);
	if ((ka & 0xff) == 0)
		return 0;
	return kn_text_cmp(t, a, b, 8);
}

/* Where row goes among asc[lo..n) (rows before it in ascending order,
 * all older in the source, so a tie puts it after): searched from the
 * end, where new rows of a growing source mostly go. */
static size_t
kn_insert_at(const struct kn_table *t, const uint32_t *asc, size_t lo, size_t n,
	     uint32_t row, int levels)
{
	size_t hi = n, step = 1, mid;

	/* gallop back from the end to bracket the place */
	while (hi > lo && kn_row_cmp(t, asc[hi - 1], row, levels) > 0) {
		n = hi;
		hi = hi - lo > step ? hi - step : lo;
		step *= 2;
	}
	/* asc[hi - 1] <= row (or hi == lo), asc[n - 1] > row (or n == hi) */
	while (hi < n) {
		mid = hi + (n - hi) / 2;
		if (kn_row_cmp(t, asc[mid], row, levels) > 0)
			n = mid;
		else
			hi = mid + 1;
	}
	return hi;
}

/* Merge the sorted new rows add[0..m) into order[0..keep) (ascending:
 * the caller reverses around it); order has room for keep + m. */
static void
kn_merge(struct kn_table *t, size_t keep, const uint32_t *add, size_t m)
{
	int levels = t->src.sort_levels != NULL && t->src.sort_key != NULL
			     ? t->src.sort_levels(t->src.arg, t->sort_col)
			     : 0;
	size_t *at = kn_xreallocarray(NULL, m ? m : 1, sizeof(*at));
	size_t j, lo = 0, k, from;

	for (j = 0; j < m; j++)
		lo = at[j] =
			kn_insert_at(t, t->order, lo, keep, add[j], levels);
	/* From the back, so that the old rows move once. */
	k = keep + m;
	from = keep;
	for (j = m; j-- > 0;) {
		while (from > at[j])
			t->order[--k] = t->order[--from];
		t->order[--k] = add[j];
	}
	free(at);
}

/* Forget rows [0, drop): the others move down by drop. */
static void
kn_drop_front(struct kn_table *t, size_t drop)
{
	size_t i, k = 0, keep = t->norder - drop, base;

	if (drop == 0)
		return;
	for (i = 0; i < t->norder; i++)
		if (t->order[i] >= drop)
			t->order[k++] = t->order[i] - (uint32_t)drop;
	memmove(t->okey, t->okey + drop, keep * sizeof(*t->okey));
	memmove(t->match, t->match + drop, keep);
	if (t->hay_valid) {
		base = keep > 0 ? t->hay_off[drop] : t->hay_len;
		memmove(t->hay, t->hay + base, t->hay_len - base);
		t->hay_len -= base;
		for (i = 0; i < keep; i++)
			t->hay_off[i] = t->hay_off[i + drop] - base;
	}
	t->norder = keep;
}

void
kn_table_update(struct kn_table *t, const struct kn_table_source *src,
		size_t dropped)
{
	char needles[KN_TABLE_FILTER_MAX + 1];
	size_t n = src->nrows, keep, m, i;
	bool neg, sel_kept;
	uint32_t *add;
	int nalt;

	if (dropped > t->norder)
		dropped = t->norder;
	if (n > KN_ROWS_MAX)
		n = KN_ROWS_MAX;
	keep = t->norder - dropped;
	if (n < keep) { /* not the rows it said: start over */
		kn_table_set_source(t, src);
		return;
	}
	/* sel_row is current while rows are shown (kn_table_note_sel) */
	sel_kept = t->have_sel && t->nvis > 0 && t->sel_row >= dropped;
	kn_drop_front(t, dropped);
	t->src = *src;
	t->src.nrows = n;
	kn_table_resize(t, n, true);
	t->norder = n;
	m = n - keep;
	/* the new rows: folded for the filter, matched, sorted, merged */
	if (t->hay_valid)
		kn_table_hay_rows(t, keep);
	nalt = kn_table_needles(t->applied, needles, &neg);
	if (!t->hay_valid && (n >= KN_TABLE_EAGER_HAY || nalt > 0))
		kn_table_hay_rows(t, 0);
	add = kn_xreallocarray(NULL, m ? m : 1, sizeof(*add));
	for (i = 0; i < m; i++) {
		add[i] = (uint32_t)(keep + i);
		t->match[keep + i] =
			nalt == 0 ||
			kn_table_row_matches(t, keep + i, needles, nalt) != neg;
	}
	kn_table_sort_rows(t, add, t->okey, m);
	if (t->sort_col < 0) {
		memcpy(t->order + keep, add, m * sizeof(*add));
	} else {
		if (t->reverse)
			kn_table_reverse(t->order, keep);
		kn_merge(t, keep, add, m);
		if (t->reverse)
			kn_table_reverse(t->order, n);
	}
	free(add);
	kn_table_vis_from_order(t);
	if (sel_kept) {
		t->sel_row -= (uint32_t)dropped;
		kn_table_restore_sel(t, false);
	} else {
		kn_table_note_sel(t);
	}
}
