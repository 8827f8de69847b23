/* Canvas: clipped, escaped text in semantic roles on ncurses or plain text. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "k8snet/alloc.h"
#include "k8snet/buf.h"
#include "k8snet/escape.h"

/* Only a prefix of the text can be visible: w columns take at most w code
 * points plus combining marks, so w * KN_CELL_BYTES input bytes (+1 to
 * know it was clipped) bound the work and the escape buffer. */
#define KN_CELL_BYTES 16   /* a code point plus a few combining marks */
#define KN_MIDDLE_MAX 4096 /* a longer text cut from the middle ends here */

struct kn_cell {
	char ch[KN_CELL_BYTES]; /* "" on the second half of a wide char */
	unsigned char role;
};

struct kn_canvas {
	int rows, cols;
	bool ascii, curses;
	unsigned long attrs[KN_ROLE__COUNT];
	struct kn_cell *cells; /* text backend */
	struct kn_buf esc;
	struct kn_buf line;
};

static const char *const kn_role_names[KN_ROLE__COUNT] = {
	"normal",  "header", "tab",    "tab_active", "title",  "selected",
	"warning", "error",  "ok",     "dimmed",     "footer", "key",
	"status",  "prompt", "border", "note",
};

static const char *const kn_glyph_utf8[KN_GLYPH__COUNT] = {
	"\u25b2", "\u25bc", "\u2026", "\u2500", "\u2502",
};
static const char *const kn_glyph_ascii[KN_GLYPH__COUNT] = {
	"^", "v", "~", "-", "|",
};

const char *
kn_role_name(enum kn_role role)
{
	if ((int)role < 0 || role >= KN_ROLE__COUNT)
		return NULL;
	return kn_role_names[role];
}

int
kn_role_from_name(const char *name)
{
	int i;

	for (i = 0; i < KN_ROLE__COUNT; i++)
		if (strcmp(kn_role_names[i], name) == 0)
			return i;
	return -1;
}

static struct kn_canvas *
kn_canvas_alloc(bool ascii)
{
	struct kn_canvas *c = kn_xcalloc(1, sizeof(*c));

	c->ascii = ascii;
	kn_buf_init(&c->esc, 0);
	kn_buf_init(&c->line, 0);
	return c;
}

struct kn_canvas *
kn_canvas_new_text(int rows, int cols, bool ascii)
{
	struct kn_canvas *c = kn_canvas_alloc(ascii);

	kn_canvas_resize(c, rows, cols);
	return c;
}

struct kn_canvas *
kn_canvas_new_curses(bool ascii)
{
	struct kn_canvas *c = kn_canvas_alloc(ascii);
	int i;

	c->curses = true;
	for (i = 0; i < KN_ROLE__COUNT; i++)
		c->attrs[i] = A_NORMAL;
	getmaxyx(stdscr, c->rows, c->cols);
	return c;
}

void
kn_canvas_free(struct kn_canvas *c)
{
	if (c == NULL)
		return;
	kn_buf_release(&c->esc);
	kn_buf_release(&c->line);
	free(c->cells);
	free(c);
}

void
kn_canvas_set_attrs(struct kn_canvas *c,
		    const unsigned long attrs[KN_ROLE__COUNT])
{
	memcpy(c->attrs, attrs, sizeof(c->attrs));
}

void
kn_canvas_resize(struct kn_canvas *c, int rows, int cols)
{
	if (rows < 0)
		rows = 0;
	if (cols < 0)
		cols = 0;
	if (c->curses) {
		getmaxyx(stdscr, c->rows, c->cols);
		return;
	}
	c->rows = rows;
	c->cols = cols;
	free(c->cells);
	c->cells =
		kn_xcalloc((size_t)rows * (size_t)cols + 1, sizeof(*c->cells));
	kn_canvas_clear(c);
}

int
kn_canvas_rows(const struct kn_canvas *c)
{
	return c->rows;
}

int
kn_canvas_cols(const struct kn_canvas *c)
{
	return c->cols;
}

bool
kn_canvas_ascii(const struct kn_canvas *c)
{
	return c->ascii;
}

void
kn_canvas_clear(struct kn_canvas *c)
{
	size_t i, n;

	if (c->curses) {
		attrset((attr_t)c->attrs[KN_ROLE_NORMAL]);
		bkgdset(' ' | (chtype)c->attrs[KN_ROLE_NORMAL]);
		erase();
		return;
	}
	n = (size_t)c->rows * (size_t)c->cols;
	for (i = 0; i < n; i++) {
		c->cells[i].ch[0] = ' ';
		c->cells[i].ch[1] = '\0';
		c->cells[i].role = KN_ROLE_NORMAL;
	}
}

static struct kn_cell *
kn_cell_at(struct kn_canvas *c, int y, int x)
{
	return &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
}

/* Text backend: one code point (bytes s[0..n)) of width cw at (y, x). */
static void
kn_text_emit(struct kn_canvas *c, int y, int x, const char *s, size_t n, int cw,
	     enum kn_role role)
{
	struct kn_cell *cell;
	size_t have;

	if (cw == 0) {
		/* A combining mark joins the cell before it, if it fits. */
		if (x == 0)
			return;
		cell = kn_cell_at(c, y, x - 1);
		if (cell->ch[0] == '\0' && x >= 2)
			cell = kn_cell_at(c, y, x - 2);
		have = strlen(cell->ch);
		if (have + n < KN_CELL_BYTES) {
			memcpy(cell->ch + have, s, n);
			cell->ch[have + n] = '\0';
		}
		return;
	}
	cell = kn_cell_at(c, y, x);
	memcpy(cell->ch, s, n);
	cell->ch[n] = '\0';
	cell->role = (unsigned char)role;
	if (cw == 2) {
		cell = kn_cell_at(c, y, x + 1);
		cell->ch[0] = '\0';
		cell->role = (unsigned char)role;
	}
}

/* Columns the escaped text in c->esc takes, and the byte length of its
 * longest prefix that fits in lim columns (*fitw its width). */
static size_t
kn_esc_fit(const struct kn_canvas *c, int lim, size_t *fitbytes, int *fitw)
{
	size_t i = 0, n, total = 0;
	int32_t cp;
	int cw;
	bool full = false;

	*fitbytes = 0;
	*fitw = 0;
	while (i < c->esc.len) {
		n = kn_utf8_decode(c->esc.data + i, c->esc.len - i, &cp);
		cw = kn_cp_width(cp);
		total += (size_t)cw;
		if (!full && (int)total <= lim) {
			*fitbytes = i + n;
			*fitw = (int)total;
		} else {
			full = true;
		}
		i += n;
	}
	return total;
}

/* The byte offset in c->esc of its longest suffix that fits in lim
 * columns (*tailw its width), of text total columns wide. */
static size_t
kn_esc_tail(const struct kn_canvas *c, size_t total, int lim, int *tailw)
{
	size_t i = 0, n, left = total;
	int32_t cp;

	while (i < c->esc.len && left > (size_t)lim) {
		n = kn_utf8_decode(c->esc.data + i, c->esc.len - i, &cp);
		left -= (size_t)kn_cp_width(cp);
		i += n;
	}
	*tailw = (int)left;
	return i;
}

static void
kn_emit(struct kn_canvas *c, int y, int x, const char *s, size_t len,
	enum kn_role role)
{
	size_t i = 0, n;
	int32_t cp;
	int cw;

	if (c->curses) {
		attrset((attr_t)c->attrs[role]);
		mvaddnstr(y, x, s, (int)len);
		return;
	}
	while (i < len) {
		n = kn_utf8_decode(s + i, len - i, &cp);
		cw = kn_cp_width(cp);
		kn_text_emit(c, y, x, s + i, n, cw, role);
		x += cw;
		i += n;
	}
}

int
kn_canvas_put(struct kn_canvas *c, int y, int x, int w, enum kn_role role,
	      const char *s, size_t len, unsigned flags)
{
	size_t total, fitbytes, tail;
	int fitw, lim, tailw;
	const char *ell;

	if (y < 0 || y >= c->rows || x < 0 || x >= c->cols || w == 0)
		return 0;
	if ((int)role < 0 || role >= KN_ROLE__COUNT)
		role = KN_ROLE_NORMAL;
	if (w < 0 || w > c->cols - x)
		w = c->cols - x;
	/* Only what can show is escaped; from the middle, both ends. */
	if (!(flags & KN_PUT_MIDDLE) && len > ((size_t)w + 1) * KN_CELL_BYTES)
		len = ((size_t)w + 1) * KN_CELL_BYTES;
	if (len > KN_MIDDLE_MAX)
		len = KN_MIDDLE_MAX;
	kn_buf_clear(&c->esc);
	(void)kn_escape_text(&c->esc, s, len, c->ascii);
	if (c->esc.len == 0)
		return 0;
	total = kn_esc_fit(c, w, &fitbytes, &fitw);
	if (total > (size_t)w && (flags & KN_PUT_MIDDLE) && w >= 3) {
		lim = (w - 1) / 2; /* the tail; the head gets the rest */
		kn_esc_fit(c, w - 1 - lim, &fitbytes, &fitw);
		tail = kn_esc_tail(c, total, lim, &tailw);
		kn_emit(c, y, x, c->esc.data, fitbytes, role);
		ell = kn_canvas_glyph(c, KN_GLYPH_ELLIPSIS);
		kn_emit(c, y, x + fitw, ell, strlen(ell), role);
		kn_emit(c, y, x + fitw + 1, c->esc.data + tail,
			c->esc.len - tail, role);
		return fitw + 1 + tailw;
	}
	if (total > (size_t)w && (flags & (KN_PUT_ELLIPSIS | KN_PUT_MIDDLE)) &&
	    w >= 2) {
		lim = w - 1;
		total = kn_esc_fit(c, lim, &fitbytes, &fitw);
		kn_emit(c, y, x, c->esc.data, fitbytes, role);
		ell = kn_canvas_glyph(c, KN_GLYPH_ELLIPSIS);
		kn_emit(c, y, x + fitw, ell, strlen(ell), role);
		return fitw + 1;
	}
	if ((flags & KN_PUT_RIGHT) && fitw < w)
		x += w - fitw;
	kn_emit(c, y, x, c->esc.data, fitbytes, role);
	return fitw;
}

int
kn_canvas_puts(struct kn_canvas *c, int y, int x, enum kn_role role,
	       const char *s)
{
	return kn_canvas_put(c, y, x, -1, role, s, strlen(s), 0);
}

static bool
kn_clip_span(const struct kn_canvas *c, int y, int x, int *w)
{
	if (y < 0 || y >= c->rows || x < 0 || x >= c->cols)
		return false;
	if (*w < 0 || *w > c->cols - x)
		*w = c->cols - x;
	return *w > 0;
}

void
kn_canvas_fill(struct kn_canvas *c, int y, int x, int w, enum kn_role role)
{
	int i;

	if (!kn_clip_span(c, y, x, &w))
		return;
	if (c->curses) {
		attrset((attr_t)c->attrs[role]);
		mvhline(y, x, ' ' | (chtype)c->attrs[role], w);
		return;
	}
	for (i = 0; i < w; i++)
		kn_text_emit(c, y, x + i, " ", 1, 1, role);
}

void
kn_canvas_hline(struct kn_canvas *c, int y, int x, int w, enum kn_role role)
{
	const char *g = kn_canvas_glyph(c, KN_GLYPH_HLINE);
	int i;

	if (!kn_clip_span(c, y, x, &w))
		return;
	if (c->curses) {
		attrset((attr_t)c->attrs[role]);
		mvhline(y, x,
			(c->ascii ? '-' : ACS_HLINE) | (chtype)c->attrs[role],
			w);
		return;
	}
	for (i = 0; i < w; i++)
		kn_text_emit(c, y, x + i, g, strlen(g), 1, role);
}

const char *
kn_canvas_glyph(const struct kn_canvas *c, enum kn_glyph g)
{
	if ((int)g < 0 || g >= KN_GLYPH__COUNT)
		return "?";
	return c->ascii ? kn_glyph_ascii[g] : kn_glyph_utf8[g];
}

void
kn_canvas_flush(struct kn_canvas *c)
{
	if (c->curses)
		refresh();
}

const char *
kn_canvas_text_line(struct kn_canvas *c, int y)
{
	int x;
	size_t keep;

	if (c->curses)
		return NULL;
	kn_buf_clear(&c->line);
	if (y >= 0 && y < c->rows)
		for (x = 0; x < c->cols; x++)
			kn_buf_puts(&c->line, kn_cell_at(c, y, x)->ch);
	keep = c->line.len;
	while (keep > 0 && c->line.data[keep - 1] == ' ')
		keep--;
	kn_buf_append(&c->line, "", 0);
	if (c->line.data == NULL)
		return "";
	c->line.len = keep;
	c->line.data[keep] = '\0';
	return c->line.data;
}

enum kn_role
kn_canvas_text_role(const struct kn_canvas *c, int y, int x)
{
	if (c->curses || y < 0 || y >= c->rows || x < 0 || x >= c->cols)
		return KN_ROLE_NORMAL;
	return (enum kn_role)c->cells[(size_t)y * (size_t)c->cols + (size_t)x]
		.role;
}
