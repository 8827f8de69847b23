/* The one table widget every pane uses: columns fitted to the width, rows
 * supplied by the pane through callbacks (no copies), sort by any column,
 * a live substring filter, selection and scrolling. Stays fast with
 * hundreds of thousands of rows: sorting works on precomputed keys and
 * the filter narrows incrementally while the pattern grows. */
#ifndef K8SNET_TABLE_H
#define K8SNET_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canvas.h"

#define KN_TABLE_FILTER_MAX 128

enum kn_align { KN_ALIGN_LEFT, KN_ALIGN_RIGHT };

/* A column description; panes keep these in static tables. */
struct kn_column {
	const char *title;
	int min_width; /* at least the title's width is used */
	int max_width; /* 0: no limit */
	enum kn_align align;
	int weight;   /* share of spare width (0: none) */
	bool numeric; /* sort by the leading number ("12", "3/4") */
	bool key;     /* part of the row's identity (NAMESPACE, NAME) */
};

/* How a column narrower than a cell shows it (kn_table_set_cut). */
enum kn_cut {
	KN_CUT_END, /* "calico-kube-contr…" (the default) */
	/* Free text (names, hosts, paths): from the middle, keeping the
	 * end that tells rows apart, "api.pay…le.com". */
	KN_CUT_MIDDLE,
	/* Never (an address, a status word, a number): the column gets its
	 * widest cell or, on a screen too narrow, is hidden. */
	KN_CUT_NEVER,
};

/* Where the rows come from. Cells are borrowed: they stay valid until the
 * pane hands over a new source (kn_table_set_source). */
struct kn_table_source {
	size_t nrows;
	void *arg;
	/* Cell text of row, col; never NULL (use ""). tmp (tmpsz bytes) may
	 * hold text formatted on the fly; the result is used before the next
	 * call. */
	const char *(*cell)(void *arg, size_t row, int col, char *tmp,
			    size_t tmpsz);
	/* Optional: role of the row (warning, error, dimmed ...). */
	enum kn_role (*role)(void *arg, size_t row);
	/* Optional: stable identity of a row across refreshes; default is a
	 * hash of the key columns (or all columns when none is a key). */
	uint64_t (*row_id)(void *arg, size_t row);
	/* Optional: typed sorting. sort_levels tells how many 64-bit keys
	 * order column col (0: it sorts by its text); sort_key gives key
	 * level of a row, equal keys going on to the next level. */
	int (*sort_levels)(void *arg, int col);
	uint64_t (*sort_key)(void *arg, size_t row, int col, int level);
};

struct kn_table;

/* cols is borrowed (static) and has ncols entries. Caller frees. */
struct kn_table *kn_table_new(const struct kn_column *cols, int ncols);
/* How column col is cut when it is narrower than a cell. */
void kn_table_set_cut(struct kn_table *t, int col, enum kn_cut cut);
/* Column col takes no room while no row on screen has text in it (a
 * column only some sources fill). */
void kn_table_hide_empty(struct kn_table *t, int col);
/* Column col was hidden at the last draw for being empty. */
bool kn_table_empty_hidden(const struct kn_table *t, int col);
void kn_table_free(struct kn_table *t);

/* Hand over (new) rows. Sort and filter are re-applied and the selection
 * stays on the row with the same identity where it still exists. */
void kn_table_set_source(struct kn_table *t, const struct kn_table_source *src);

/* Hand over the rows of a growing source: src holds the rows of the
 * last source from row `dropped` on, unchanged and in the same order,
 * then new ones. Only the new rows are sorted, folded for the filter and
 * merged in; the rows, their order and the selection are those
 * kn_table_set_source would give. */
void kn_table_update(struct kn_table *t, const struct kn_table_source *src,
		     size_t dropped);

/* Sort by column col (0-based), reversed or not. col < 0: source order. */
void kn_table_sort(struct kn_table *t, int col, bool reverse);
int kn_table_sort_col(const struct kn_table *t);
bool kn_table_sort_reverse(const struct kn_table *t);

/* Case-insensitive substring filter over every cell; '|' separates
 * alternatives (a row matching any is kept: "shop.example.com|shop/cart"
 * shows both legs of a proxied request); a leading '!' keeps the rows
 * that match none. "" shows every row. */
void kn_table_set_filter(struct kn_table *t, const char *text);
const char *kn_table_filter(const struct kn_table *t);

size_t kn_table_total(const struct kn_table *t);   /* rows in source */
size_t kn_table_visible(const struct kn_table *t); /* rows after filter */

/* Selection, as a position among the visible rows. */
size_t kn_table_cursor(const struct kn_table *t);
/* Source row of the selection; false when no row is visible. */
bool kn_table_selected(const struct kn_table *t, size_t *row);
/* Move by delta rows (clamped); to_end moves to the first (delta < 0)
 * or last row. */
void kn_table_move(struct kn_table *t, long delta);
void kn_table_move_to(struct kn_table *t, size_t pos);
/* Rows one page scrolls (the last drawn body height, at least 1). */
int kn_table_page(const struct kn_table *t);
/* First visible row shown at the top of the body. */
size_t kn_table_top(const struct kn_table *t);
/* Source row shown at visible position pos (pos < kn_table_visible). */
size_t kn_table_row_at(const struct kn_table *t, size_t pos);

/* Draw titles and rows into the h x w box at (y, x). empty_note is shown
 * when there are no rows at all (NULL: nothing). */
void kn_table_draw(struct kn_table *t, struct kn_canvas *c, int y, int x, int h,
		   int w, const char *empty_note);
/* Column widths chosen by the last draw (0: column hidden). */
int kn_table_width_of(const struct kn_table *t, int col);

/* Shift the columns shown by delta (Left -1, Right +1): the first
 * shown is column kn_table_hoff(), the ones before it are left out.
 * Right goes no further once the last draw showed every column from
 * there on whole. Returns whether the columns moved. */
bool kn_table_hscroll(struct kn_table *t, int delta);
int kn_table_hoff(const struct kn_table *t);
/* Wide: every column shown at its widest cell on screen (no maximum, no
 * cut), those past the right edge cut by it; Left and Right bring them
 * in. */
void kn_table_set_wide(struct kn_table *t, bool wide);
bool kn_table_wide(const struct kn_table *t);

const struct kn_column *kn_table_columns(const struct kn_table *t, int *ncols);
/* Cell text of source row, col (through the source). */
const char *kn_table_cell(const struct kn_table *t, size_t row, int col,
			  char *tmp, size_t tmpsz);

/* Rows kept by a pane (strings copied into an arena, or borrowed), for
 * panes whose data is not already laid out as rows. */
struct kn_rowstore;

struct kn_rowstore *kn_rowstore_new(int ncols);
void kn_rowstore_free(struct kn_rowstore *rs);
/* Forget every row (copied strings are freed; memory is reused). */
void kn_rowstore_clear(struct kn_rowstore *rs);
/* Add a row of ncols cells (NULL cells become ""), copying the text.
 * Returns the row index. */
size_t kn_rowstore_add(struct kn_rowstore *rs, const char *const *cells,
		       enum kn_role role);
/* Same, borrowing the strings: they must outlive the next clear. */
size_t kn_rowstore_add_ref(struct kn_rowstore *rs, const char *const *cells,
			   enum kn_role role);
size_t kn_rowstore_count(const struct kn_rowstore *rs);
/* Bytes held (for memory figures). */
size_t kn_rowstore_bytes(const struct kn_rowstore *rs);
/* A source reading from rs (borrowed; valid while rs is unchanged). */
void kn_rowstore_source(struct kn_rowstore *rs, struct kn_table_source *src);

#endif
