/* The table widget: sort keys, incremental filter, selection, fitting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/arena.h"
#include "k8snet/escape.h"
#include "k8snet/intern.h"
#include "table.h"
#include "table_int.h"

#define KN_COL_GAP 1

const char *
kn_table_src_cell(const struct kn_table *t, size_t row, int col, char *tmp,
		  size_t tmpsz)
{
	const char *s;

	if (t->src.cell == NULL)
		return "";
	tmp[0] = '\0';
	s = t->src.cell(t->src.arg, row, col, tmp, tmpsz);
	return s != NULL ? s : "";
}

const char *
kn_table_cell(const struct kn_table *t, size_t row, int col, char *tmp,
	      size_t tmpsz)
{
	if (row >= t->norder || col < 0 || col >= t->ncols)
		return "";
	return kn_table_src_cell(t, row, col, tmp, tmpsz);
}

static uint64_t
kn_row_id(const struct kn_table *t, size_t row)
{
	char tmp[KN_CELL_TMP];
	uint64_t h = 1469598103934665603ULL, hc;
	const char *s;
	bool anykey = false;
	int c;

	if (t->src.row_id != NULL)
		return t->src.row_id(t->src.arg, row);
	for (c = 0; c < t->ncols; c++)
		anykey |= t->cols[c].key;
	for (c = 0; c < t->ncols; c++) {
		if (anykey && !t->cols[c].key)
			continue;
		s = kn_table_src_cell(t, row, c, tmp, sizeof(tmp));
		hc = kn_hash_bytes(s, strlen(s));
		h = (h ^ hc) * 1099511628211ULL;
	}
	return h;
}

/* Remember which row is selected so that sort, filter and refresh can
 * find it again. */
void
kn_table_note_sel(struct kn_table *t)
{
	if (t->nvis == 0) {
		t->cur = 0;
		return;
	}
	if (t->cur >= t->nvis)
		t->cur = t->nvis - 1;
	t->have_sel = true;
	t->sel_row = t->vis[t->cur];
	t->sel_id = kn_row_id(t, t->sel_row);
}

struct kn_table *
kn_table_new(const struct kn_column *cols, int ncols)
{
	struct kn_table *t = kn_xcalloc(1, sizeof(*t));

	t->cols = cols;
	t->ncols = ncols;
	t->sort_col = -1;
	t->page = 1;
	t->more_right = true; /* until the first draw says */
	/* widths, then the minimum, wanted and widest widths, and the
	 * ranks kn_table_fit uses */
	t->widths = kn_xcalloc(5 * (size_t)(ncols > 0 ? ncols : 1),
			       sizeof(*t->widths));
	t->cut = kn_xcalloc(ncols > 0 ? (size_t)ncols : 1, sizeof(*t->cut));
	t->hide_empty =
		kn_xcalloc(ncols > 0 ? (size_t)ncols : 1, sizeof(*t->cut));
	return t;
}

void
kn_table_hide_empty(struct kn_table *t, int col)
{
	if (col >= 0 && col < t->ncols)
		t->hide_empty[col] = 1;
}

bool
kn_table_empty_hidden(const struct kn_table *t, int col)
{
	return col >= 0 && col < t->ncols && t->hide_empty[col] &&
	       t->widths[col] == 0;
}

void
kn_table_set_cut(struct kn_table *t, int col, enum kn_cut cut)
{
	if (col >= 0 && col < t->ncols)
		t->cut[col] = (unsigned char)cut;
}

void
kn_table_free(struct kn_table *t)
{
	if (t == NULL)
		return;
	free(t->order);
	free(t->okey);
	free(t->vis);
	free(t->match);
	free(t->widths);
	free(t->cut);
	free(t->hide_empty);
	free(t->hay);
	free(t->hay_off);
	free(t);
}

const struct kn_column *
kn_table_columns(const struct kn_table *t, int *ncols)
{
	*ncols = t->ncols;
	return t->cols;
}

/* ASCII case folding only: names in Kubernetes are ASCII, and a locale-
 * dependent fold would make the order depend on the user's LANG. */
static inline unsigned char
kn_fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

uint64_t
kn_table_string_key(const char *s)
{
	uint64_t k = 0;
	int i;

	for (i = 0; i < 8; i++) {
		k <<= 8;
		if (*s != '\0')
			k |= kn_fold((unsigned char)*s++);
	}
	return k;
}

/* Leading number of s ("12", "-3.5", "2/3" -> 2) without the locale's
 * decimal point; false if s does not start with one. */
static bool
kn_leading_number(const char *s, double *out)
{
	double v = 0, scale = 1;
	bool neg = false, digits = false;

	while (*s == ' ')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++, digits = true)
		v = v * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, digits = true) {
			scale /= 10;
			v += (*s - '0') * scale;
		}
	*out = neg ? -v : v;
	return digits;
}

/* Doubles mapped to integers with the same order. */
static uint64_t
kn_number_key(double v)
{
	uint64_t b;

	if (v == 0)
		v = 0; /* -0 sorts as 0 */
	memcpy(&b, &v, sizeof(b));
	return (b & (1ULL << 63)) ? ~b : b | (1ULL << 63);
}

/* Sorting is a stable LSD radix sort on 8-byte keys: the folded first 8
 * bytes of the cell (or its number), then, for each run of equal keys
 * whose text goes on, the next 8 bytes, and so on. No comparison calls
 * back into the pane, and ties keep the source order. */
static void
kn_radix(struct kn_sortkey *a, struct kn_sortkey *tmp, size_t n)
{
	/* 11-bit digits: six passes over 64 bits, counters fit in L1. */
	enum { BITS = 11, DIGITS = 1 << BITS, MASK = DIGITS - 1 };
	struct kn_sortkey *src = a, *dst = tmp, *sw;
	size_t count[DIGITS], pos, i, c;
	int shift;

	if (n < 32) {
		/* Insertion sort: stable, and cheaper for short runs. */
		for (i = 1; i < n; i++) {
			struct kn_sortkey k = a[i];

			for (c = i; c > 0 && a[c - 1].k > k.k; c--)
				a[c] = a[c - 1];
			a[c] = k;
		}
		return;
	}
	for (shift = 0; shift < 64; shift += BITS) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(src[i].k >> shift) & MASK]++;
		if (count[(src[0].k >> shift) & MASK] == n)
			continue; /* every key shares this digit */
		for (i = 0, pos = 0; i < DIGITS; i++) {
			c = count[i];
			count[i] = pos;
			pos += c;
		}
		for (i = 0; i < n; i++)
			dst[count[(src[i].k >> shift) & MASK]++] = src[i];
		sw = src;
		src = dst;
		dst = sw;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
}

/* Radix on keys[0..n) (their k set), then copy each one's key to k0
 * (when not NULL): the first level's keys, before runs go deeper. */
static void
kn_radix_k0(struct kn_sortkey *keys, struct kn_sortkey *tmp, size_t n,
	    uint64_t *k0)
{
	size_t i;

	kn_radix(keys, tmp, n);
	for (i = 0; k0 != NULL && i < n; i++)
		k0[i] = keys[i].k;
}

static void
kn_sort_level(const struct kn_table *t, struct kn_sortkey *keys,
	      struct kn_sortkey *tmp, size_t n, int col, bool numeric,
	      size_t off, uint64_t *k0)
{
	char cell[KN_CELL_TMP];
	size_t a, b, i;
	size_t next;

	kn_radix_k0(keys, tmp, n, k0);
	for (a = 0; a < n; a = b) {
		for (b = a + 1; b < n && keys[b].k == keys[a].k; b++)
			;
		if (b - a < 2)
			continue;
		/* Equal numbers sort by their text; equal text chunks go on
		 * to the next chunk unless the text ended in this one. */
		if (numeric)
			next = 0;
		else if ((keys[a].k & 0xff) != 0 && off < KN_SORT_MAX_DEPTH)
			next = off + 8;
		else
			continue;
		for (i = a; i < b; i++) {
			const char *s = kn_table_src_cell(t, keys[i].row, col,
							  cell, sizeof(cell));

			/* The text is at least next bytes long: its
			 * previous chunk had no NUL. */
			keys[i].k = kn_table_string_key(s + next);
		}
		kn_sort_level(t, keys + a, tmp, b - a, col, false, next, NULL);
	}
}

/* Typed columns: radix on each level's key, runs of equal keys going on
 * to the next level; ties keep the source order. */
static void
kn_sort_typed(const struct kn_table *t, struct kn_sortkey *keys,
	      struct kn_sortkey *tmp, size_t n, int col, int level, int levels,
	      uint64_t *k0)
{
	size_t a, b, i;

	for (i = 0; i < n; i++)
		keys[i].k =
			t->src.sort_key(t->src.arg, keys[i].row, col, level);
	kn_radix_k0(keys, tmp, n, k0);
	if (level + 1 >= levels)
		return;
	for (a = 0; a < n; a = b) {
		for (b = a + 1; b < n && keys[b].k == keys[a].k; b++)
			;
		if (b - a > 1)
			kn_sort_typed(t, keys + a, tmp, b - a, col, level + 1,
				      levels, NULL);
	}
}

void
kn_table_sort_rows(const struct kn_table *t, uint32_t *rows, uint64_t *okey,
		   size_t n)
{
	struct kn_sortkey *keys, *tmp;
	char cell[KN_CELL_TMP];
	uint64_t *k0;
	size_t i;
	bool numeric;
	double v;
	int levels;

	if (t->sort_col < 0 || t->sort_col >= t->ncols || n == 0)
		return;
	numeric = t->cols[t->sort_col].numeric;
	keys = kn_xreallocarray(NULL, n, sizeof(*keys));
	tmp = kn_xreallocarray(NULL, n, sizeof(*tmp));
	k0 = kn_xreallocarray(NULL, n, sizeof(*k0));
	levels = t->src.sort_levels != NULL && t->src.sort_key != NULL
			 ? t->src.sort_levels(t->src.arg, t->sort_col)
			 : 0;
	for (i = 0; i < n; i++)
		keys[i].row = rows[i];
	if (levels > 0) {
		kn_sort_typed(t, keys, tmp, n, t->sort_col, 0, levels, k0);
		goto done;
	}
	for (i = 0; i < n; i++) {
		const char *s = kn_table_src_cell(t, rows[i], t->sort_col, cell,
						  sizeof(cell));

		if (!numeric)
			keys[i].k = kn_table_string_key(s);
		else if (kn_leading_number(s, &v))
			keys[i].k = kn_number_key(v);
		else
			keys[i].k = UINT64_MAX; /* "<none>" after numbers */
	}
	kn_sort_level(t, keys, tmp, n, t->sort_col, numeric, 0, k0);
done:
	for (i = 0; i < n; i++) {
		rows[i] = keys[i].row;
		okey[rows[i]] = k0[i];
	}
	free(keys);
	free(tmp);
	free(k0);
}

static void
kn_table_build_order(struct kn_table *t)
{
	size_t i, n = t->norder;

	for (i = 0; i < n; i++)
		t->order[i] = (uint32_t)i;
	kn_table_sort_rows(t, t->order, t->okey, n);
	if (t->reverse && t->sort_col >= 0)
		kn_table_reverse(t->order, n);
}

/* The filter searches one folded string per row (cells joined by \x01 so
 * a match cannot span two cells), built on the first filter after the
 * rows change: strstr over contiguous text is far faster than asking the
 * pane for every cell on every keystroke. */
void
kn_table_hay_rows(struct kn_table *t, size_t from)
{
	char cell[KN_CELL_TMP];
	size_t row, len, need;
	int c;

	t->hay_len = from > 0 ? t->hay_len : 0;
	for (row = from; row < t->norder; row++) {
		t->hay_off[row] = t->hay_len;
		for (c = 0; c < t->ncols; c++) {
			const char *s = kn_table_src_cell(t, row, c, cell,
							  sizeof(cell));

			len = strlen(s);
			need = t->hay_len + len + 2;
			if (need > t->hay_cap) {
				t->hay_cap = need * 2 > 4096 ? need * 2 : 4096;
				t->hay = kn_xrealloc(t->hay, t->hay_cap);
			}
			for (; *s != '\0'; s++)
				t->hay[t->hay_len++] =
					(char)kn_fold((unsigned char)*s);
			t->hay[t->hay_len++] = c + 1 < t->ncols ? '\x01' : '\0';
		}
		if (t->ncols == 0) {
			if (t->hay_len + 1 > t->hay_cap) {
				t->hay_cap = t->hay_len + 4096;
				t->hay = kn_xrealloc(t->hay, t->hay_cap);
			}
			t->hay[t->hay_len++] = '\0';
		}
	}
	t->hay_valid = true;
}

/* needles holds n patterns, each NUL-terminated, back to back: does the
 * row hold any of them? */
bool
kn_table_row_matches(const struct kn_table *t, size_t row, const char *needles,
		     int n)
{
	const char *hay = t->hay + t->hay_off[row];
	int i;

	for (i = 0; i < n; i++, needles += strlen(needles) + 1)
		if (strstr(hay, needles) != NULL)
			return true;
	return false;
}

/* The pattern's alternatives are split at '|' (empty ones left out). */
int
kn_table_needles(const char *f, char *needles, bool *neg)
{
	size_t o = 0;
	int nalt = 0;

	*neg = f[0] == '!';
	if (*neg)
		f++;
	for (; *f != '\0'; f++) {
		if (*f != '|') {
			needles[o++] = (char)kn_fold((unsigned char)*f);
			continue;
		}
		if (o > 0 && needles[o - 1] != '\0') {
			needles[o++] = '\0';
			nalt++;
		}
	}
	if (o > 0 && needles[o - 1] != '\0') {
		needles[o++] = '\0';
		nalt++;
	}
	return nalt;
}

void
kn_table_vis_from_order(struct kn_table *t)
{
	size_t i, k = 0;

	for (i = 0; i < t->norder; i++)
		if (t->match[t->order[i]])
			t->vis[k++] = t->order[i];
	t->nvis = k;
}

/* Rebuild vis from order (or narrow it when the pattern only grew). */
static void
kn_table_apply_filter(struct kn_table *t, bool narrow)
{
	char needles[KN_TABLE_FILTER_MAX + 1];
	const uint32_t *from;
	size_t i, n, k = 0;
	bool neg;
	int nalt = kn_table_needles(t->filter, needles, &neg);

	if (nalt > 0 && !t->hay_valid)
		kn_table_hay_rows(t, 0);
	if (narrow) {
		from = t->vis;
		n = t->nvis;
	} else {
		from = t->order;
		n = t->norder;
	}
	if (t->norder > 0)
		memset(t->match, 0, t->norder);
	for (i = 0; i < n; i++) {
		uint32_t row = from[i];

		if (nalt == 0 ||
		    kn_table_row_matches(t, row, needles, nalt) != neg) {
			t->vis[k++] = row;
			t->match[row] = 1;
		}
	}
	t->nvis = k;
	memcpy(t->applied, t->filter, sizeof(t->applied));
}

/* Put the cursor back on the remembered row (by source row or, after a
 * refresh, by identity). */
void
kn_table_restore_sel(struct kn_table *t, bool by_id)
{
	size_t i;

	if (!t->have_sel || t->nvis == 0) {
		kn_table_note_sel(t);
		return;
	}
	for (i = 0; i < t->nvis; i++) {
		if (by_id ? kn_row_id(t, t->vis[i]) == t->sel_id
			  : t->vis[i] == t->sel_row) {
			t->cur = i;
			break;
		}
	}
	kn_table_note_sel(t);
}

void
kn_table_resize(struct kn_table *t, size_t n, bool grow)
{
	size_t m = n ? n : 1;

	/* A growing source's arrays grow by half at a time rather than by
	 * its new rows on every refresh; a source much smaller than the
	 * last gives the memory back. */
	if (m <= t->cap && (grow || m == t->cap) && m > t->cap / 4)
		return;
	if (m > t->cap && grow)
		m += m / 2;
	t->cap = m;

	t->order = kn_xreallocarray(t->order, m, sizeof(*t->order));
	t->okey = kn_xreallocarray(t->okey, m, sizeof(*t->okey));
	t->vis = kn_xreallocarray(t->vis, m, sizeof(*t->vis));
	t->match = kn_xreallocarray(t->match, m, sizeof(*t->match));
	t->hay_off = kn_xreallocarray(t->hay_off, m, sizeof(*t->hay_off));
}

void
kn_table_set_source(struct kn_table *t, const struct kn_table_source *src)
{
	size_t n = src != NULL ? src->nrows : 0;

	if (src != NULL)
		t->src = *src;
	else
		memset(&t->src, 0, sizeof(t->src));
	if (n > KN_ROWS_MAX)
		n = KN_ROWS_MAX;
	t->src.nrows = n;
	kn_table_resize(t, n, false);
	t->hay_valid = false;
	t->norder = n;
	kn_table_build_order(t);
	/* Fold the rows for the filter now, with the new data, rather than
	 * on the first keystroke after it: a refresh is not waited for, a
	 * keystroke is (about 50 ms for 150,000 rows). */
	if (n >= KN_TABLE_EAGER_HAY)
		kn_table_hay_rows(t, 0);
	kn_table_apply_filter(t, false);
	kn_table_restore_sel(t, true);
}

void
kn_table_reverse(uint32_t *a, size_t n)
{
	uint32_t sw;
	size_t i;

	for (i = 0; i < n / 2; i++) {
		sw = a[i];
		a[i] = a[n - 1 - i];
		a[n - 1 - i] = sw;
	}
}

void
kn_table_sort(struct kn_table *t, int col, bool reverse)
{
	if (col >= t->ncols)
		col = t->ncols - 1;
	if (col < 0)
		col = -1;
	if (col == t->sort_col && reverse == t->reverse)
		return;
	if (col == t->sort_col && col >= 0) {
		/* Only the direction changed: reverse in place. */
		kn_table_reverse(t->order, t->norder);
		kn_table_reverse(t->vis, t->nvis);
		t->reverse = reverse;
		if (t->nvis > 0)
			t->cur = t->nvis - 1 - t->cur;
		kn_table_note_sel(t);
		return;
	}
	t->sort_col = col;
	t->reverse = reverse;
	kn_table_build_order(t);
	kn_table_apply_filter(t, false);
	kn_table_restore_sel(t, false);
}

int
kn_table_sort_col(const struct kn_table *t)
{
	return t->sort_col;
}

bool
kn_table_sort_reverse(const struct kn_table *t)
{
	return t->reverse;
}

void
kn_table_set_filter(struct kn_table *t, const char *text)
{
	size_t alen;
	bool narrow;

	if (text == NULL)
		text = "";
	if (strcmp(text, t->applied) == 0 && strcmp(text, t->filter) == 0)
		return;
	snprintf(t->filter, sizeof(t->filter), "%s", text);
	/* Typing more of a positive pattern can only remove rows: search
	 * the rows still shown instead of all of them. Not so with
	 * alternatives ("a|" then "a|b" shows more). */
	alen = strlen(t->applied);
	narrow = alen > 0 && t->applied[0] != '!' && t->filter[0] != '!' &&
		 strchr(t->filter, '|') == NULL &&
		 strncmp(t->filter, t->applied, alen) == 0;
	kn_table_apply_filter(t, narrow);
	kn_table_restore_sel(t, false);
}

const char *
kn_table_filter(const struct kn_table *t)
{
	return t->filter;
}

size_t
kn_table_total(const struct kn_table *t)
{
	return t->norder;
}

size_t
kn_table_visible(const struct kn_table *t)
{
	return t->nvis;
}

size_t
kn_table_cursor(const struct kn_table *t)
{
	return t->cur;
}

bool
kn_table_selected(const struct kn_table *t, size_t *row)
{
	if (t->nvis == 0)
		return false;
	*row = t->vis[t->cur < t->nvis ? t->cur : t->nvis - 1];
	return true;
}

void
kn_table_move_to(struct kn_table *t, size_t pos)
{
	if (t->nvis == 0) {
		t->cur = 0;
		return;
	}
	t->cur = pos < t->nvis ? pos : t->nvis - 1;
	kn_table_note_sel(t);
}

void
kn_table_move(struct kn_table *t, long delta)
{
	size_t step;

	if (delta < 0) {
		step = (size_t)(-(delta + 1)) + 1;
		kn_table_move_to(t, step > t->cur ? 0 : t->cur - step);
	} else {
		step = (size_t)delta;
		kn_table_move_to(t, step > SIZE_MAX - t->cur ? SIZE_MAX
							     : t->cur + step);
	}
}

int
kn_table_page(const struct kn_table *t)
{
	return t->page > 0 ? t->page : 1;
}

size_t
kn_table_top(const struct kn_table *t)
{
	return t->top;
}

size_t
kn_table_row_at(const struct kn_table *t, size_t pos)
{
	return pos < t->nvis ? t->vis[pos] : 0;
}

int
kn_table_width_of(const struct kn_table *t, int col)
{
	return (col >= 0 && col < t->ncols) ? t->widths[col] : 0;
}

bool
kn_table_hscroll(struct kn_table *t, int delta)
{
	int to = t->hoff + delta;

	/* A column hidden for being empty is no place to stop. */
	while (delta != 0 && to > 0 && to < t->ncols - 1 &&
	       t->hide_empty[to] == 2)
		to += delta > 0 ? 1 : -1;
	if (to < 0)
		to = 0;
	if (to > t->ncols - 1)
		to = t->ncols - 1;
	/* Nothing more to bring in from the right, nor to widen. */
	if (delta > 0 && !t->more_right)
		to = t->hoff;
	if (to == t->hoff)
		return false;
	t->hoff = to;
	t->more_right = true; /* until the next draw says */
	return true;
}

int
kn_table_hoff(const struct kn_table *t)
{
	return t->hoff;
}

void
kn_table_set_wide(struct kn_table *t, bool wide)
{
	t->wide = wide;
	t->more_right = true; /* until the next draw says */
}

bool
kn_table_wide(const struct kn_table *t)
{
	return t->wide;
}

static int
kn_text_width(const struct kn_canvas *c, const char *s)
{
	return (int)kn_escaped_width(s, strlen(s), kn_canvas_ascii(c));
}

static int
kn_title_width(const struct kn_table *t, const struct kn_canvas *c, int col)
{
	int w = kn_text_width(c, t->cols[col].title);

	if (col == t->sort_col)
		w++; /* sort arrow */
	return w;
}

/* Which columns a screen too narrow for every one at its minimum hides
 * first (higher ranks last): plain columns, then those kept whole (or
 * showing addresses), then the row's identity. */
static int
kn_hide_rank(const struct kn_table *t, int i, bool addr)
{
	return t->cols[i].key ? 2 : t->cut[i] == KN_CUT_NEVER || addr ? 1 : 0;
}

/* Text that reads as addresses ("10.96.0.10", "fd00::1,10.0.0.1",
 * "10.244.0.0/24"): digits, hex, dots, colons, commas and slashes, with
 * a digit and a dot or colon. Such a cell is never cut, whatever its
 * column is. */
static int
kn_share(const struct kn_column *col)
{
	return col->weight > 0 ? col->weight : 1;
}

static bool
kn_addr_like(const char *s)
{
	bool digit = false, sep = false;

	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (*s == '.' || *s == ':')
			sep = true;
		else if (!((*s >= 'a' && *s <= 'f') ||
			   (*s >= 'A' && *s <= 'F') || *s == ',' || *s == '/' ||
			   *s == ' '))
			return false;
	}
	return digit && sep;
}

/* Grow the shown columns toward their widest cell, sharing extra
 * columns in rounds by weight (at least 1), so a short column is shown
 * whole while a long one (a name) takes the larger share. Returns the
 * columns used. */
static int
kn_grow(struct kn_table *t, const int *want, int extra)
{
	int i, wshort, round, share, add, used = 0;

	while (extra > 0) {
		wshort = 0;
		for (i = 0; i < t->ncols; i++)
			if (t->widths[i] > 0 && t->widths[i] < want[i])
				wshort += kn_share(&t->cols[i]);
		if (wshort == 0)
			break;
		round = extra;
		for (i = 0; i < t->ncols && extra > 0; i++) {
			add = want[i] - t->widths[i];
			if (!t->widths[i] || add <= 0)
				continue;
			share = round * kn_share(&t->cols[i]) / wshort;
			if (add > share)
				add = share > 0 ? share : 1;
			t->widths[i] += add;
			extra -= add;
			used += add;
		}
	}
	return used;
}

/* Choose column widths for w columns. Columns left of hoff are not
 * shown. A column kept whole gets its widest cell on screen; every other
 * one its minimum, then grows toward its widest cell (kn_grow), then
 * weighted columns share what is left. Columns that do not fit even so
 * are hidden (width 0), from the right and by kn_hide_rank; the first
 * shown column always stays. Wide: every shown column gets its widest
 * cell, however long, and those past the right edge are cut there. */
static void
kn_table_fit(struct kn_table *t, const struct kn_canvas *c, int w)
{
	char tmp[KN_CELL_TMP];
	int *minw = t->widths + t->ncols, *want = t->widths + 2 * t->ncols;
	int *rankof = t->widths + 3 * t->ncols,
	    *widest = t->widths + 4 * t->ncols;
	int first = t->hoff, nshown = t->ncols - t->hoff, i, rank, extra;
	int used = 0, wsum = 0, cw, add;
	size_t pos;

	for (i = 0; i < first; i++)
		t->widths[i] = 0;
	for (i = first; i < t->ncols; i++) {
		const struct kn_column *col = &t->cols[i];
		int title = kn_title_width(t, c, i), addr = 0;
		const char *s;
		bool filled = false;

		want[i] = title;
		for (pos = t->top;
		     pos < t->nvis && pos < t->top + (size_t)t->page; pos++) {
			s = kn_table_src_cell(t, t->vis[pos], i, tmp,
					      sizeof(tmp));
			filled = filled || s[0] != '\0';
			cw = kn_text_width(c, s);
			if (cw > want[i])
				want[i] = cw;
			if (cw > addr && kn_addr_like(s))
				addr = cw;
		}
		widest[i] = want[i];
		/* 2: empty at this draw (Left/Right step over it) */
		if (t->hide_empty[i])
			t->hide_empty[i] = filled ? 1 : 2;
		if (t->hide_empty[i] && !filled && i > first) {
			t->widths[i] = minw[i] = widest[i] = 0;
			nshown--;
			continue;
		}
		if (t->wide) {
			t->widths[i] = want[i];
			used += want[i] + (i > first ? KN_COL_GAP : 0);
			continue;
		}
		if (col->max_width > 0 && want[i] > col->max_width)
			want[i] =
				col->max_width > title ? col->max_width : title;
		/* At least the title, and min_width where cells need it. */
		minw[i] = col->min_width < want[i] ? col->min_width : want[i];
		if (minw[i] < title)
			minw[i] = title;
		if (t->cut[i] == KN_CUT_NEVER)
			minw[i] = want[i];
		else if (addr > minw[i])
			minw[i] = addr < want[i] ? addr : want[i];
		rankof[i] = kn_hide_rank(t, i, addr > 0);
		t->widths[i] = 1; /* shown, for now */
		used += minw[i] + (i > first ? KN_COL_GAP : 0);
	}
	if (t->wide) {
		t->more_right = used > w;
		return;
	}
	t->more_right = false;
	for (rank = 0; rank <= 2 && used > w; rank++)
		for (i = t->ncols - 1; i > first && used > w; i--)
			if (t->widths[i] && rankof[i] == rank) {
				t->widths[i] = 0;
				used -= minw[i] + KN_COL_GAP;
				nshown--;
				t->more_right = true;
			}
	extra = w - used;
	for (i = first; i < t->ncols; i++)
		if (t->widths[i])
			t->widths[i] = minw[i];
	used += kn_grow(t, want, extra);
	for (i = first; i < t->ncols; i++)
		if (t->widths[i] && t->cols[i].weight > 0)
			wsum += t->cols[i].weight;
	extra = w - used;
	for (i = first; i < t->ncols && extra > 0 && wsum > 0; i++) {
		if (!t->widths[i] || t->cols[i].weight <= 0)
			continue;
		add = extra * t->cols[i].weight / wsum;
		if (t->cols[i].max_width > 0 &&
		    t->widths[i] + add > t->cols[i].max_width)
			add = t->cols[i].max_width > t->widths[i]
				      ? t->cols[i].max_width - t->widths[i]
				      : 0;
		t->widths[i] += add;
	}
	if (nshown == 1 && t->widths[first] > w)
		t->widths[first] = w;
	/* A column cut short gains room when those before it go. */
	for (i = first; i < t->ncols; i++)
		if (t->widths[i] > 0 && t->widths[i] < widest[i])
			t->more_right = true;
}

static void
kn_table_scroll(struct kn_table *t)
{
	size_t page = (size_t)kn_table_page(t);

	if (t->cur >= t->nvis)
		t->cur = t->nvis ? t->nvis - 1 : 0;
	if (t->cur < t->top)
		t->top = t->cur;
	if (t->cur >= t->top + page)
		t->top = t->cur - page + 1;
	if (t->nvis <= page)
		t->top = 0;
	else if (t->top > t->nvis - page)
		t->top = t->nvis - page;
}

/* Width of column i drawn at cx: all of it, or (wide) what is left of
 * it before end, the right edge. */
static int
kn_shown_width(const struct kn_table *t, int i, int cx, int end)
{
	return cx + t->widths[i] > end ? end - cx : t->widths[i];
}

void
kn_table_draw(struct kn_table *t, struct kn_canvas *c, int y, int x, int h,
	      int w, const char *empty_note)
{
	char tmp[KN_CELL_TMP], title[160], msg[KN_TABLE_FILTER_MAX + 64];
	const char *s;
	enum kn_role role;
	size_t pos;
	int i, cx, line;

	if (h <= 0 || w <= 0)
		return;
	t->page = h > 1 ? h - 1 : 1;
	kn_table_scroll(t);
	kn_table_fit(t, c, w);
	kn_canvas_fill(c, y, x, w, KN_ROLE_TITLE);
	for (i = 0, cx = x; i < t->ncols && cx < x + w; i++) {
		if (t->widths[i] == 0)
			continue; /* hidden */
		snprintf(title, sizeof(title), "%s%s", t->cols[i].title,
			 i != t->sort_col
				 ? ""
				 : kn_canvas_glyph(
					   c, t->reverse ? KN_GLYPH_SORT_DOWN
							 : KN_GLYPH_SORT_UP));
		kn_canvas_put(c, y, cx, kn_shown_width(t, i, cx, x + w),
			      KN_ROLE_TITLE, title, strlen(title),
			      t->cols[i].align == KN_ALIGN_RIGHT ? KN_PUT_RIGHT
								 : 0);
		cx += t->widths[i] + KN_COL_GAP;
	}
	for (line = 1, pos = t->top; line < h && pos < t->nvis; line++, pos++) {
		uint32_t row = t->vis[pos];

		role = t->src.role != NULL ? t->src.role(t->src.arg, row)
					   : KN_ROLE_NORMAL;
		if (pos == t->cur) {
			role = KN_ROLE_SELECTED;
			kn_canvas_fill(c, y + line, x, w, role);
		}
		for (i = 0, cx = x; i < t->ncols && cx < x + w; i++) {
			if (t->widths[i] == 0)
				continue;
			s = kn_table_src_cell(t, row, i, tmp, sizeof(tmp));
			kn_canvas_put(
				c, y + line, cx,
				kn_shown_width(t, i, cx, x + w), role, s,
				strlen(s),
				(t->cut[i] == KN_CUT_MIDDLE ? KN_PUT_MIDDLE
							    : KN_PUT_ELLIPSIS) |
					(t->cols[i].align == KN_ALIGN_RIGHT
						 ? KN_PUT_RIGHT
						 : 0));
			cx += t->widths[i] + KN_COL_GAP;
		}
	}
	if (t->nvis > 0 || h < 2)
		return;
	if (t->norder > 0)
		snprintf(msg, sizeof(msg),
			 "no rows match the filter \"%s\" "
			 "(%zu hidden)",
			 t->filter, t->norder);
	else
		snprintf(msg, sizeof(msg), "%s",
			 empty_note != NULL ? empty_note : "no rows");
	kn_canvas_put(c, y + (h > 2 ? 2 : 1), x + 2, w - 2, KN_ROLE_NOTE, msg,
		      strlen(msg), KN_PUT_ELLIPSIS);
}

/* Rows kept by a pane. Strings live in an arena of blocks so that a
 * refresh of 200,000 rows is a handful of allocations. */
#define KN_ROWSTORE_BLOCK (256 * 1024)

struct kn_rowstore {
	int ncols;
	const char **cells;
	unsigned char *roles;
	size_t n, cap;
	struct kn_arena strings;
};

struct kn_rowstore *
kn_rowstore_new(int ncols)
{
	struct kn_rowstore *rs = kn_xcalloc(1, sizeof(*rs));

	rs->ncols = ncols > 0 ? ncols : 1;
	kn_arena_init(&rs->strings, KN_ROWSTORE_BLOCK);
	return rs;
}

void
kn_rowstore_free(struct kn_rowstore *rs)
{
	if (rs == NULL)
		return;
	kn_arena_release(&rs->strings);
	free(rs->cells);
	free(rs->roles);
	free(rs);
}

void
kn_rowstore_clear(struct kn_rowstore *rs)
{
	rs->n = 0;
	kn_arena_clear(&rs->strings); /* one block kept for the next fill */
}

static const char *
kn_rowstore_dup(struct kn_rowstore *rs, const char *s)
{
	size_t len = strlen(s);

	return len == 0 ? "" : kn_arena_strndup(&rs->strings, s, len);
}

static size_t
kn_rowstore_push(struct kn_rowstore *rs, const char *const *cells,
		 enum kn_role role, bool copy)
{
	size_t r = rs->n, c;
	const char **dst;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 256;
		rs->cells =
			kn_xreallocarray(rs->cells, rs->cap * (size_t)rs->ncols,
					 sizeof(*rs->cells));
		rs->roles = kn_xreallocarray(rs->roles, rs->cap, 1);
	}
	dst = &rs->cells[r * (size_t)rs->ncols];
	for (c = 0; c < (size_t)rs->ncols; c++) {
		const char *s = cells[c] != NULL ? cells[c] : "";

		dst[c] = copy ? kn_rowstore_dup(rs, s) : s;
	}
	rs->roles[r] = (unsigned char)role;
	rs->n++;
	return r;
}

size_t
kn_rowstore_add(struct kn_rowstore *rs, const char *const *cells,
		enum kn_role role)
{
	return kn_rowstore_push(rs, cells, role, true);
}

size_t
kn_rowstore_add_ref(struct kn_rowstore *rs, const char *const *cells,
		    enum kn_role role)
{
	return kn_rowstore_push(rs, cells, role, false);
}

size_t
kn_rowstore_count(const struct kn_rowstore *rs)
{
	return rs->n;
}

size_t
kn_rowstore_bytes(const struct kn_rowstore *rs)
{
	return rs->strings.bytes +
	       rs->cap * ((size_t)rs->ncols * sizeof(char *) + 1);
}

static const char *
kn_rowstore_cell(void *arg, size_t row, int col, char *tmp, size_t tmpsz)
{
	const struct kn_rowstore *rs = arg;

	(void)tmp;
	(void)tmpsz;
	if (row >= rs->n || col < 0 || col >= rs->ncols)
		return "";
	return rs->cells[row * (size_t)rs->ncols + (size_t)col];
}

static enum kn_role
kn_rowstore_role(void *arg, size_t row)
{
	const struct kn_rowstore *rs = arg;

	return row < rs->n ? (enum kn_role)rs->roles[row] : KN_ROLE_NORMAL;
}

void
kn_rowstore_source(struct kn_rowstore *rs, struct kn_table_source *src)
{
	memset(src, 0, sizeof(*src));
	src->nrows = rs->n;
	src->arg = rs;
	src->cell = kn_rowstore_cell;
	src->role = kn_rowstore_role;
}
