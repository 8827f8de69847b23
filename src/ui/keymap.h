/* Key bindings as data: tables of key -> action with descriptions, from
 * which the footer hints and the help screen are generated. */
#ifndef K8SNET_KEYMAP_H
#define K8SNET_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

/* Keys: Unicode code points for text keys, these for the rest (above
 * the Unicode range, so they never clash with typed text). */
#define KN_KEY_TAB 9
#define KN_KEY_ENTER 10
#define KN_KEY_ESC 27
#define KN_KEY_BACKSPACE 127
#define KN_KEY_CTRL(c) ((c)&0x1f)
#define KN_KEY_SPECIAL 0x110000
#define KN_KEY_UP (KN_KEY_SPECIAL + 1)
#define KN_KEY_DOWN (KN_KEY_SPECIAL + 2)
#define KN_KEY_LEFT (KN_KEY_SPECIAL + 3)
#define KN_KEY_RIGHT (KN_KEY_SPECIAL + 4)
#define KN_KEY_PGUP (KN_KEY_SPECIAL + 5)
#define KN_KEY_PGDN (KN_KEY_SPECIAL + 6)
#define KN_KEY_HOME (KN_KEY_SPECIAL + 7)
#define KN_KEY_END (KN_KEY_SPECIAL + 8)
#define KN_KEY_BTAB (KN_KEY_SPECIAL + 9)
#define KN_KEY_RESIZE (KN_KEY_SPECIAL + 10)
#define KN_KEY_DELETE (KN_KEY_SPECIAL + 11)
#define KN_KEY_F(n) (KN_KEY_SPECIAL + 0x100 + (n))

enum kn_action {
	KN_ACT_NONE = 0,
	/* global */
	KN_ACT_QUIT,
	KN_ACT_HELP,
	KN_ACT_COMMAND,
	KN_ACT_PANE_NEXT,
	KN_ACT_PANE_PREV,
	KN_ACT_PANE_1, /* ... KN_ACT_PANE_1 + 7 */
	KN_ACT_PANE_8 = KN_ACT_PANE_1 + 7,
	KN_ACT_REDRAW,
	KN_ACT_ALL_NS,
	/* lists (tables, help, detail views) */
	KN_ACT_UP,
	KN_ACT_DOWN,
	KN_ACT_PAGE_UP,
	KN_ACT_PAGE_DOWN,
	KN_ACT_TOP,
	KN_ACT_BOTTOM,
	KN_ACT_BACK,
	/* tables */
	KN_ACT_FILTER,
	KN_ACT_OPEN,
	KN_ACT_SORT_NEXT,
	KN_ACT_SORT_PREV,
	KN_ACT_SORT_REVERSE,
	KN_ACT_SCROLL_LEFT,
	KN_ACT_SCROLL_RIGHT,
	KN_ACT_WIDE,
	KN_ACT_SORT_PICK,
	KN_ACT_COPY,
	/* panes whose rows are model objects */
	KN_ACT_YAML,
	KN_ACT_DESCRIBE,
	/* prompts (the command line, filters) */
	KN_ACT_ERASE,
	KN_ACT_ERASE_ALL,
	KN_ACT_COMPLETE,
	KN_ACT_HISTORY_PREV,
	KN_ACT_HISTORY_NEXT,
	/* pane-specific actions start here */
	KN_ACT_PANE_BASE = 100
};

struct kn_keybind {
	int key;
	int action;	  /* enum kn_action or KN_ACT_PANE_BASE + n */
	const char *help; /* what it does, for the help screen */
	const char *hint; /* short footer word, NULL: not in the footer */
};

struct kn_keymap {
	const char *title; /* help screen heading */
	const struct kn_keybind *binds;
	size_t n;
};

/* Global keys (any view), table keys (every table pane), the keys of
 * the help and detail views, and of lists to choose from. Static, never
 * NULL. */
const struct kn_keymap *kn_keymap_global(void);
const struct kn_keymap *kn_keymap_table(void);
const struct kn_keymap *kn_keymap_view(void);
/* Keys of panes whose rows are model objects (y, d). */
const struct kn_keymap *kn_keymap_object(void);
/* Keys of a list to choose from (:ns, :ctx, sort, copy). */
const struct kn_keymap *kn_keymap_pick(void);
/* Keys of the command line and the filter prompt (others are text). */
const struct kn_keymap *kn_keymap_prompt(void);

/* Action bound to key in map (NULL map: none); KN_ACT_NONE if unbound. */
int kn_keymap_lookup(const struct kn_keymap *map, int key);

/* Display name of key ("q", "Tab", "S-Tab", "PgDn", "F10", "C-l") into
 * buf (bufsz bytes); returns buf. */
const char *kn_key_name(int key, char *buf, size_t bufsz);

/* First duplicate key among the maps into *key and false; true when every
 * key is bound once and every binding has a help text. */
bool kn_keymap_check(const struct kn_keymap *const *maps, size_t nmaps,
		     int *key);

#endif
