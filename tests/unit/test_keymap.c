/* Key tables: no key bound twice in a context, every key described, names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "keymap.h"
#include "pane.h"

static void
test_no_duplicates_per_pane(void **state)
{
	const struct kn_keymap *maps[4];
	char name[32];
	int id, key = 0;

	(void)state;
	/* A table pane sees the global, table and its own keys at once,
	 * and, showing cluster objects, their keys. */
	for (id = 0; id < KN_PANE__COUNT; id++) {
		maps[0] = kn_keymap_global();
		maps[1] = kn_keymap_table();
		maps[2] = kn_pane_ops_of(id)->keys;
		maps[3] =
			kn_pane_ops_of(id)->objects ? kn_keymap_object() : NULL;
		if (!kn_keymap_check(maps, 4, &key))
			fail_msg("pane %s: key %s bound twice or without a "
				 "description",
				 kn_pane_name(id),
				 kn_key_name(key, name, sizeof(name)));
	}
	/* Help and detail views, and lists to choose from, see their keys
	 * and the global ones. */
	maps[0] = kn_keymap_view();
	maps[1] = kn_keymap_global();
	if (!kn_keymap_check(maps, 2, &key))
		fail_msg("view: key %s bound twice or without a description",
			 kn_key_name(key, name, sizeof(name)));
	maps[0] = kn_keymap_pick();
	if (!kn_keymap_check(maps, 2, &key))
		fail_msg("list: key %s bound twice or without a description",
			 kn_key_name(key, name, sizeof(name)));
	/* Prompts see their keys alone (the rest is text). */
	maps[0] = kn_keymap_prompt();
	if (!kn_keymap_check(maps, 1, &key))
		fail_msg("prompt: key %s bound twice or without a description",
			 kn_key_name(key, name, sizeof(name)));
}

static void
test_check_finds_problems(void **state)
{
	static const struct kn_keybind dup[] = {
		{'x', KN_ACT_QUIT, "quit", NULL},
		{'x', KN_ACT_HELP, "help", NULL},
	};
	static const struct kn_keybind nohelp[] = {
		{'y', KN_ACT_QUIT, "", NULL},
	};
	static const struct kn_keybind clash[] = {
		{'q', KN_ACT_PANE_BASE, "pane action on q", NULL},
	};
	const struct kn_keymap m1 = {"dup", dup, 2};
	const struct kn_keymap m2 = {"nohelp", nohelp, 1};
	const struct kn_keymap m3 = {"clash", clash, 1};
	const struct kn_keymap *maps[2];
	int key = 0;

	(void)state;
	maps[0] = &m1;
	assert_false(kn_keymap_check(maps, 1, &key));
	assert_int_equal(key, 'x');
	maps[0] = &m2;
	assert_false(kn_keymap_check(maps, 1, &key));
	assert_int_equal(key, 'y');
	maps[0] = kn_keymap_global();
	maps[1] = &m3;
	assert_false(kn_keymap_check(maps, 2, &key));
	assert_int_equal(key, 'q');
}

static void
test_required_bindings(void **state)
{
	const struct kn_keymap *g = kn_keymap_global(), *t = kn_keymap_table();
	int i;

	(void)state;
	assert_int_equal(kn_keymap_lookup(g, 'q'), KN_ACT_QUIT);
	assert_int_equal(kn_keymap_lookup(g, KN_KEY_F(10)), KN_ACT_QUIT);
	assert_int_equal(kn_keymap_lookup(g, '?'), KN_ACT_HELP);
	assert_int_equal(kn_keymap_lookup(g, ':'), KN_ACT_COMMAND);
	assert_int_equal(kn_keymap_lookup(g, KN_KEY_TAB), KN_ACT_PANE_NEXT);
	assert_int_equal(kn_keymap_lookup(g, KN_KEY_BTAB), KN_ACT_PANE_PREV);
	for (i = 0; i < 6; i++)
		assert_int_equal(kn_keymap_lookup(g, '1' + i),
				 KN_ACT_PANE_1 + i);
	assert_int_equal(kn_keymap_lookup(t, '/'), KN_ACT_FILTER);
	assert_int_equal(kn_keymap_lookup(t, 'j'), KN_ACT_DOWN);
	assert_int_equal(kn_keymap_lookup(t, 'k'), KN_ACT_UP);
	assert_int_equal(kn_keymap_lookup(t, KN_KEY_DOWN), KN_ACT_DOWN);
	assert_int_equal(kn_keymap_lookup(t, KN_KEY_UP), KN_ACT_UP);
	assert_int_equal(kn_keymap_lookup(t, KN_KEY_PGDN), KN_ACT_PAGE_DOWN);
	assert_int_equal(kn_keymap_lookup(t, KN_KEY_PGUP), KN_ACT_PAGE_UP);
	assert_int_equal(kn_keymap_lookup(t, 'g'), KN_ACT_TOP);
	assert_int_equal(kn_keymap_lookup(t, 'G'), KN_ACT_BOTTOM);
	assert_int_equal(kn_keymap_lookup(t, KN_KEY_HOME), KN_ACT_TOP);
	assert_int_equal(kn_keymap_lookup(t, KN_KEY_END), KN_ACT_BOTTOM);
	assert_int_equal(kn_keymap_lookup(t, KN_KEY_ENTER), KN_ACT_OPEN);
	assert_int_equal(kn_keymap_lookup(t, 'z'), KN_ACT_NONE);
	assert_int_equal(kn_keymap_lookup(NULL, 'q'), KN_ACT_NONE);
}

static void
test_key_names(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(kn_key_name('q', b, sizeof(b)), "q");
	assert_string_equal(kn_key_name(KN_KEY_F(10), b, sizeof(b)), "F10");
	assert_string_equal(kn_key_name(KN_KEY_TAB, b, sizeof(b)), "Tab");
	assert_string_equal(kn_key_name(KN_KEY_BTAB, b, sizeof(b)), "S-Tab");
	assert_string_equal(kn_key_name(KN_KEY_PGDN, b, sizeof(b)), "PgDn");
	assert_string_equal(kn_key_name(KN_KEY_CTRL('l'), b, sizeof(b)), "C-l");
	assert_string_equal(kn_key_name(KN_KEY_ENTER, b, sizeof(b)), "Enter");
	assert_string_equal(kn_key_name(KN_KEY_ESC, b, sizeof(b)), "Esc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_duplicates_per_pane),
		cmocka_unit_test(test_check_finds_problems),
		cmocka_unit_test(test_required_bindings),
		cmocka_unit_test(test_key_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
