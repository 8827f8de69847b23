/* The table widget's insides, shared by table.c (sort, filter, drawing)
 * and table_update.c (rows appended and dropped without a full sort). */
#ifndef K8SNET_UI_TABLE_INT_H
#define K8SNET_UI_TABLE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

#define KN_CELL_TMP 128
#define KN_ROWS_MAX UINT32_MAX
/* Text deeper than this is not compared further (a bound on the work a
 * hostile value can cause; such ties keep the source order). */
#define KN_SORT_MAX_DEPTH 512

struct kn_table {
	const struct kn_column *cols;
	int ncols;
	struct kn_table_source src;
	uint32_t *order; /* every row, in sort order */
	/* okey[row]: the row's first sort key (its value, or the first
	 * eight folded bytes of its text), what a merge of new rows
	 * compares first */
	uint64_t *okey;
	size_t norder;
	size_t cap;    /* rows the per-row arrays hold (kn_table_resize) */
	uint32_t *vis; /* rows passing the filter, in sort order */
	size_t nvis;
	unsigned char *match; /* row -> passes the applied filter */
	int sort_col;
	bool reverse;
	char filter[KN_TABLE_FILTER_MAX];
	char applied[KN_TABLE_FILTER_MAX]; /* the filter vis was made with */
	size_t cur, top;
	int page;
	int hoff;	 /* first column shown (Left/Right) */
	bool wide;	 /* every column at its widest cell */
	bool more_right; /* the last draw left columns out on the right */
	bool have_sel;
	uint64_t sel_id; /* identity of the selected row */
	uint32_t sel_row;
	int *widths;		   /* ncols chosen widths + 4 * ncols scratch */
	unsigned char *cut;	   /* enum kn_cut of each column */
	unsigned char *hide_empty; /* 1: hidden while no row shown fills it; 2:
				      so at the last draw */
	char *hay;	 /* folded cells of every row, for the filter */
	size_t *hay_off; /* row -> offset in hay */
	size_t hay_len, hay_cap;
	bool hay_valid;
};

struct kn_sortkey {
	uint64_t k;
	uint32_t row;
};

/* Rows; below, the first keystroke is cheap. */
#define KN_TABLE_EAGER_HAY 20000

/* Cell text of a source row through the source ("" without one). */
const char *kn_table_src_cell(const struct kn_table *t, size_t row, int col,
			      char *tmp, size_t tmpsz);
/* The first eight bytes of s, ASCII-folded, as a key that orders as the
 * text does (shorter text first). */
uint64_t kn_table_string_key(const char *s);
/* Sort source rows rows[0..n) by the sort column, ascending (the caller
 * reverses), ties in the order given; okey[row] gets each one's first
 * key. Without a sort column the rows stay as they are. */
void kn_table_sort_rows(const struct kn_table *t, uint32_t *rows,
			uint64_t *okey, size_t n);
/* Grow or shrink the per-row arrays (order, okey, vis, match, hay_off)
 * to n rows, or with grow (a growing source) to at least n, with room
 * to spare; norder is the caller's. */
void kn_table_resize(struct kn_table *t, size_t n, bool grow);
/* Fold rows [from, norder) into the filter's text after those before. */
void kn_table_hay_rows(struct kn_table *t, size_t from);
/* The applied filter's alternatives into needles (back to back, each
 * NUL-ended; KN_TABLE_FILTER_MAX + 1 bytes), *neg for a leading '!';
 * returns how many (0: every row passes). */
int kn_table_needles(const char *filter, char *needles, bool *neg);
bool kn_table_row_matches(const struct kn_table *t, size_t row,
			  const char *needles, int n);
/* vis from order: the rows that match, in sort order. */
void kn_table_vis_from_order(struct kn_table *t);
/* Remember the selected row; put the cursor back on it (by source row,
 * or after new rows by identity). */
void kn_table_note_sel(struct kn_table *t);
void kn_table_restore_sel(struct kn_table *t, bool by_id);
void kn_table_reverse(uint32_t *a, size_t n);

#endif
