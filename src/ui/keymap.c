/* Key binding tables, key names, and the duplicate check. */
#include <stdio.h>
#include <string.h>

#include "keymap.h"

#define KN_NBINDS(a) (sizeof(a) / sizeof((a)[0]))

static const struct kn_keybind kn_global_binds[] = {
	{'?', KN_ACT_HELP, "show the keys (this screen)", "help"},
	{':', KN_ACT_COMMAND,
	 "command line: pane NAME, ns NAME|all, can SRC DST [PORT], theme "
	 "NAME, q",
	 "cmd"},
	{'q', KN_ACT_QUIT, "quit (in a help or detail view: back)", "quit"},
	{KN_KEY_F(1), KN_ACT_HELP, "show the keys (this screen)", NULL},
	{KN_KEY_F(10), KN_ACT_QUIT, "quit", NULL},
	{'1', KN_ACT_PANE_1, "Pods pane", NULL},
	{'2', KN_ACT_PANE_1 + 1, "Services pane", NULL},
	{'3', KN_ACT_PANE_1 + 2, "DNS pane", NULL},
	{'4', KN_ACT_PANE_1 + 3, "Ingress pane", NULL},
	{'5', KN_ACT_PANE_1 + 4, "Nodes pane", NULL},
	{'6', KN_ACT_PANE_1 + 5, "Traffic pane", NULL},
	{'7', KN_ACT_PANE_1 + 6, "Policies pane", NULL},
	{'8', KN_ACT_PANE_1 + 7, "Routes pane", NULL},
	{'0', KN_ACT_ALL_NS, "all namespaces (as :ns all)", NULL},
	{KN_KEY_TAB, KN_ACT_PANE_NEXT, "next pane", "pane"},
	{KN_KEY_BTAB, KN_ACT_PANE_PREV, "previous pane", NULL},
	{KN_KEY_CTRL('l'), KN_ACT_REDRAW, "redraw the screen", NULL},
};

static const struct kn_keybind kn_table_binds[] = {
	{'j', KN_ACT_DOWN, "next row", NULL},
	{'k', KN_ACT_UP, "previous row", NULL},
	{KN_KEY_DOWN, KN_ACT_DOWN, "next row", NULL},
	{KN_KEY_UP, KN_ACT_UP, "previous row", NULL},
	{KN_KEY_PGDN, KN_ACT_PAGE_DOWN, "next page", NULL},
	{KN_KEY_PGUP, KN_ACT_PAGE_UP, "previous page", NULL},
	{KN_KEY_CTRL('f'), KN_ACT_PAGE_DOWN, "next page", NULL},
	{KN_KEY_CTRL('b'), KN_ACT_PAGE_UP, "previous page", NULL},
	{'g', KN_ACT_TOP, "first row", NULL},
	{'G', KN_ACT_BOTTOM, "last row", NULL},
	{KN_KEY_HOME, KN_ACT_TOP, "first row", NULL},
	{KN_KEY_END, KN_ACT_BOTTOM, "last row", NULL},
	{'/', KN_ACT_FILTER,
	 "filter rows as you type (a|b: either, !text: rows without text)",
	 "filter"},
	{KN_KEY_F(3), KN_ACT_FILTER,
	 "filter rows as you type (a|b: either, !text: rows without text)",
	 NULL},
	{KN_KEY_ESC, KN_ACT_BACK, "clear the filter", NULL},
	{KN_KEY_ENTER, KN_ACT_OPEN, "details of the selected row", "details"},
	{'s', KN_ACT_SORT_NEXT, "sort by the next column", "sort"},
	{'S', KN_ACT_SORT_PREV, "sort by the previous column", NULL},
	{'r', KN_ACT_SORT_REVERSE, "reverse the sort order", "reverse"},
	{'<', KN_ACT_SORT_PICK, "sort by a column chosen from a list (as htop)",
	 NULL},
	{'>', KN_ACT_SORT_PICK, "sort by a column chosen from a list (as htop)",
	 NULL},
	{KN_KEY_F(6), KN_ACT_SORT_PICK,
	 "sort by a column chosen from a list (as htop)", NULL},
	{'Y', KN_ACT_COPY,
	 "copy the selected row's name, address or another value to the "
	 "terminal's clipboard (OSC 52), chosen from a list",
	 NULL},
	{KN_KEY_LEFT, KN_ACT_SCROLL_LEFT, "scroll the columns left", NULL},
	{KN_KEY_RIGHT, KN_ACT_SCROLL_RIGHT,
	 "scroll the columns right (the first ones make room)", NULL},
	{KN_KEY_CTRL('w'), KN_ACT_WIDE,
	 "wide: every column at its full width (Left/Right scroll); again: "
	 "fit the screen",
	 NULL},
};

static const struct kn_keybind kn_view_binds[] = {
	{'j', KN_ACT_DOWN, "scroll down", NULL},
	{'k', KN_ACT_UP, "scroll up", NULL},
	{KN_KEY_DOWN, KN_ACT_DOWN, "scroll down", NULL},
	{KN_KEY_UP, KN_ACT_UP, "scroll up", NULL},
	{KN_KEY_PGDN, KN_ACT_PAGE_DOWN, "next page", NULL},
	{KN_KEY_PGUP, KN_ACT_PAGE_UP, "previous page", NULL},
	{' ', KN_ACT_PAGE_DOWN, "next page", NULL},
	{'g', KN_ACT_TOP, "top", NULL},
	{'G', KN_ACT_BOTTOM, "bottom", NULL},
	{KN_KEY_HOME, KN_ACT_TOP, "top", NULL},
	{KN_KEY_END, KN_ACT_BOTTOM, "bottom", NULL},
	{KN_KEY_ESC, KN_ACT_BACK, "back", "back"},
	{KN_KEY_BACKSPACE, KN_ACT_BACK, "back", NULL},
	{KN_KEY_ENTER, KN_ACT_BACK, "back", NULL},
};

static const struct kn_keybind kn_object_binds[] = {
	{'y', KN_ACT_YAML,
	 "the selected object as YAML: the fields k8snet-top keeps of it",
	 "yaml"},
	{'d', KN_ACT_DESCRIBE,
	 "describe the selected object, as kubectl describe (as Enter)", NULL},
};

static const struct kn_keybind kn_pick_binds[] = {
	{'j', KN_ACT_DOWN, "next entry", NULL},
	{'k', KN_ACT_UP, "previous entry", NULL},
	{KN_KEY_DOWN, KN_ACT_DOWN, "next entry", NULL},
	{KN_KEY_UP, KN_ACT_UP, "previous entry", NULL},
	{KN_KEY_PGDN, KN_ACT_PAGE_DOWN, "next page", NULL},
	{KN_KEY_PGUP, KN_ACT_PAGE_UP, "previous page", NULL},
	{'g', KN_ACT_TOP, "first entry", NULL},
	{'G', KN_ACT_BOTTOM, "last entry", NULL},
	{KN_KEY_HOME, KN_ACT_TOP, "first entry", NULL},
	{KN_KEY_END, KN_ACT_BOTTOM, "last entry", NULL},
	{'/', KN_ACT_FILTER, "filter the list as you type", "filter"},
	{KN_KEY_F(3), KN_ACT_FILTER, "filter the list as you type", NULL},
	{KN_KEY_ENTER, KN_ACT_OPEN, "choose the selected entry", "choose"},
	{KN_KEY_ESC, KN_ACT_BACK, "back without choosing", "back"},
};

static const struct kn_keybind kn_prompt_binds[] = {
	{KN_KEY_ENTER, KN_ACT_OPEN, "run the command (filter: keep it)", "run"},
	{KN_KEY_ESC, KN_ACT_BACK, "cancel (filter: clear it)", "cancel"},
	{KN_KEY_TAB, KN_ACT_COMPLETE,
	 "complete a command, pane, namespace, context or theme name; "
	 "several: the common part, the others listed below",
	 "complete"},
	{KN_KEY_UP, KN_ACT_HISTORY_PREV, "the command before (history)",
	 "history"},
	{KN_KEY_DOWN, KN_ACT_HISTORY_NEXT, "the command after (history)", NULL},
	{KN_KEY_BACKSPACE, KN_ACT_ERASE, "erase a character", NULL},
	{KN_KEY_CTRL('u'), KN_ACT_ERASE_ALL, "erase the line", NULL},
};

static const struct kn_keymap kn_global_map = {"Global", kn_global_binds,
					       KN_NBINDS(kn_global_binds)};
static const struct kn_keymap kn_table_map = {"Tables", kn_table_binds,
					      KN_NBINDS(kn_table_binds)};
static const struct kn_keymap kn_view_map = {
	"Help and detail views", kn_view_binds, KN_NBINDS(kn_view_binds)};

static const struct kn_keymap kn_pick_map = {"Lists to choose from (:ns, :ctx)",
					     kn_pick_binds,
					     KN_NBINDS(kn_pick_binds)};

static const struct kn_keymap kn_prompt_map = {
	"Command line (:) and filter (/)", kn_prompt_binds,
	KN_NBINDS(kn_prompt_binds)};

const struct kn_keymap *
kn_keymap_prompt(void)
{
	return &kn_prompt_map;
}

static const struct kn_keymap kn_object_map = {
	"Objects (panes of cluster objects)", kn_object_binds,
	KN_NBINDS(kn_object_binds)};

const struct kn_keymap *
kn_keymap_object(void)
{
	return &kn_object_map;
}

const struct kn_keymap *
kn_keymap_pick(void)
{
	return &kn_pick_map;
}

const struct kn_keymap *
kn_keymap_global(void)
{
	return &kn_global_map;
}

const struct kn_keymap *
kn_keymap_table(void)
{
	return &kn_table_map;
}

const struct kn_keymap *
kn_keymap_view(void)
{
	return &kn_view_map;
}

int
kn_keymap_lookup(const struct kn_keymap *map, int key)
{
	size_t i;

	if (map == NULL)
		return KN_ACT_NONE;
	for (i = 0; i < map->n; i++)
		if (map->binds[i].key == key)
			return map->binds[i].action;
	return KN_ACT_NONE;
}

const char *
kn_key_name(int key, char *buf, size_t bufsz)
{
	static const struct {
		int key;
		const char *name;
	} named[] = {
		{KN_KEY_TAB, "Tab"},
		{KN_KEY_ENTER, "Enter"},
		{KN_KEY_ESC, "Esc"},
		{KN_KEY_BACKSPACE, "Backspace"},
		{' ', "Space"},
		{KN_KEY_UP, "Up"},
		{KN_KEY_DOWN, "Down"},
		{KN_KEY_LEFT, "Left"},
		{KN_KEY_RIGHT, "Right"},
		{KN_KEY_PGUP, "PgUp"},
		{KN_KEY_PGDN, "PgDn"},
		{KN_KEY_HOME, "Home"},
		{KN_KEY_END, "End"},
		{KN_KEY_BTAB, "S-Tab"},
		{KN_KEY_DELETE, "Delete"},
	};
	size_t i;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (named[i].key == key) {
			snprintf(buf, bufsz, "%s", named[i].name);
			return buf;
		}
	if (key > KN_KEY_F(0) && key <= KN_KEY_F(63))
		snprintf(buf, bufsz, "F%d", key - KN_KEY_F(0));
	else if (key >= 1 && key < 32)
		snprintf(buf, bufsz, "C-%c", key + 'a' - 1);
	else if (key > 32 && key < 127)
		snprintf(buf, bufsz, "%c", key);
	else
		snprintf(buf, bufsz, "U+%04X", (unsigned)key);
	return buf;
}

bool
kn_keymap_check(const struct kn_keymap *const *maps, size_t nmaps, int *key)
{
	size_t a, i, b, j;

	for (a = 0; a < nmaps; a++) {
		if (maps[a] == NULL)
			continue;
		for (i = 0; i < maps[a]->n; i++) {
			const struct kn_keybind *k = &maps[a]->binds[i];

			if (k->help == NULL || k->help[0] == '\0' ||
			    k->action == KN_ACT_NONE) {
				*key = k->key;
				return false;
			}
			for (b = a; b < nmaps; b++) {
				if (maps[b] == NULL)
					continue;
				for (j = (b == a ? i + 1 : 0); j < maps[b]->n;
				     j++)
					if (maps[b]->binds[j].key == k->key) {
						*key = k->key;
						return false;
					}
			}
		}
	}
	return true;
}
