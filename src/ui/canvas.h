/* Drawing surface between panes and the terminal: semantic roles, text
 * clipped by display width, untrusted bytes escaped (escape.h). Two
 * backends: ncurses (stdscr) and plain text (tests). */
#ifndef K8SNET_CANVAS_H
#define K8SNET_CANVAS_H

#include <stdbool.h>
#include <stddef.h>

/* Semantic roles; themes map them to colours and attributes. Keep
 * kn_role_name() in canvas.c in the same order. */
enum kn_role {
	KN_ROLE_NORMAL,
	KN_ROLE_HEADER, /* top line: source, counts, clock */
	KN_ROLE_TAB,	/* inactive tab */
	KN_ROLE_TAB_ACTIVE,
	KN_ROLE_TITLE,	  /* table column titles, help headings */
	KN_ROLE_SELECTED, /* the selected table row */
	KN_ROLE_WARNING,
	KN_ROLE_ERROR,
	KN_ROLE_OK,
	KN_ROLE_DIMMED,
	KN_ROLE_FOOTER,
	KN_ROLE_KEY,	/* key names in the footer and help */
	KN_ROLE_STATUS, /* expiring messages */
	KN_ROLE_PROMPT, /* the / and : command lines */
	KN_ROLE_BORDER,
	KN_ROLE_NOTE, /* "no cluster data ..." in an empty pane */
	KN_ROLE__COUNT
};

/* "tab_active" for KN_ROLE_TAB_ACTIVE; NULL if out of range. */
const char *kn_role_name(enum kn_role role);
/* Inverse of kn_role_name; -1 if unknown. */
int kn_role_from_name(const char *name);

/* Glyphs with an ASCII form for --ascii and non-UTF-8 terminals. */
enum kn_glyph {
	KN_GLYPH_SORT_UP,
	KN_GLYPH_SORT_DOWN,
	KN_GLYPH_ELLIPSIS,
	KN_GLYPH_HLINE,
	KN_GLYPH_VLINE,
	KN_GLYPH__COUNT
};

/* Flags for kn_canvas_put. */
#define KN_PUT_ELLIPSIS 0x1 /* mark clipped text with an ellipsis */
#define KN_PUT_RIGHT 0x2    /* right-align within w */
/* Clip from the middle, keeping both ends: "api.pay…le.com". */
#define KN_PUT_MIDDLE 0x4

struct kn_canvas;

/* Plain-text backend of rows x cols cells (tests, snapshots). Caller frees
 * with kn_canvas_free. ascii: no non-ASCII glyphs or text. */
struct kn_canvas *kn_canvas_new_text(int rows, int cols, bool ascii);
/* ncurses backend on stdscr (curses must be initialised by the caller). */
struct kn_canvas *kn_canvas_new_curses(bool ascii);
void kn_canvas_free(struct kn_canvas *c);

/* Curses attributes (attr_t with colour pair) for each role; the theme
 * computes them. Ignored by the text backend. */
void kn_canvas_set_attrs(struct kn_canvas *c,
			 const unsigned long attrs[KN_ROLE__COUNT]);

/* Size in cells; the curses backend follows the terminal (after
 * resizeterm), the text backend is resized here (contents cleared). */
void kn_canvas_resize(struct kn_canvas *c, int rows, int cols);
int kn_canvas_rows(const struct kn_canvas *c);
int kn_canvas_cols(const struct kn_canvas *c);
bool kn_canvas_ascii(const struct kn_canvas *c);

/* Blank the whole surface. */
void kn_canvas_clear(struct kn_canvas *c);

/* Draw s[0..len) at (y, x) in role, escaped (control bytes, ESC, C1,
 * bidi controls, invalid UTF-8 shown as \xNN / \uNNNN) and clipped to w
 * columns (w < 0: to the right edge; never past it). A wide character
 * that would straddle the limit is not drawn. Returns columns used.
 * Out-of-range y or x draws nothing. */
int kn_canvas_put(struct kn_canvas *c, int y, int x, int w, enum kn_role role,
		  const char *s, size_t len, unsigned flags);
/* kn_canvas_put of a NUL-terminated string, no flags. */
int kn_canvas_puts(struct kn_canvas *c, int y, int x, enum kn_role role,
		   const char *s);
/* Paint w blank cells (w < 0: to the edge) in role. */
void kn_canvas_fill(struct kn_canvas *c, int y, int x, int w,
		    enum kn_role role);
/* Horizontal rule of w cells (w < 0: to the edge). */
void kn_canvas_hline(struct kn_canvas *c, int y, int x, int w,
		     enum kn_role role);
/* The glyph's text for this canvas ("^" with ascii, else "\u25b2"). */
const char *kn_canvas_glyph(const struct kn_canvas *c, enum kn_glyph g);

/* Push the frame to the terminal (curses); no-op for text. */
void kn_canvas_flush(struct kn_canvas *c);

/* Text backend: row y as UTF-8 with trailing blanks removed. The pointer
 * is valid until the next call on c. NULL for the curses backend. */
const char *kn_canvas_text_line(struct kn_canvas *c, int y);
/* Text backend: the role of cell (y, x); KN_ROLE_NORMAL out of range. */
enum kn_role kn_canvas_text_role(const struct kn_canvas *c, int y, int x);

#endif
