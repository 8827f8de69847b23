/* OSC 52: when the terminal takes it, and the sequence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "clipboard.h"

static void
test_supported(void **state)
{
	struct kn_clip_env env = {"xterm-256color", NULL, NULL, true, NULL};
	char why[160];

	(void)state;
	assert_true(kn_clip_supported(&env, why, sizeof(why)));
	/* No Ms, but a terminal known to take it. */
	env.has_ms = false;
	assert_true(kn_clip_supported(&env, why, sizeof(why)));
	env.term = "linux";
	assert_false(kn_clip_supported(&env, why, sizeof(why)));
	assert_non_null(strstr(why, "TERM=linux"));
	/* GNU screen swallows it whatever TERM says. */
	env.term = "xterm";
	env.sty = "1234.pts-0.host";
	assert_false(kn_clip_supported(&env, why, sizeof(why)));
	assert_non_null(strstr(why, "GNU screen"));
	/* tmux passes it on only with set-clipboard on. */
	env.term = "screen";
	env.tmux = "/tmp/tmux-0/default,1,0";
	env.tmux_clipboard = "external";
	assert_false(kn_clip_supported(&env, why, sizeof(why)));
	assert_non_null(strstr(why, "set -s set-clipboard on"));
	env.tmux_clipboard = NULL;
	assert_false(kn_clip_supported(&env, why, sizeof(why)));
	env.tmux_clipboard = "on";
	assert_true(kn_clip_supported(&env, why, sizeof(why)));
}

static void
test_sequence(void **state)
{
	char out[64];

	(void)state;
	/* RFC 4648's examples, padded. */
	assert_int_equal(kn_clip_osc52("foob", 4, out, sizeof(out)), 7 + 8 + 1);
	assert_string_equal(out, "\033]52;c;Zm9vYg==\a");
	assert_int_equal(kn_clip_osc52("", 0, out, sizeof(out)), 8);
	assert_string_equal(out, "\033]52;c;\a");
	assert_int_equal(kn_clip_osc52("shop/web", 8, out, 12), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_supported),
		cmocka_unit_test(test_sequence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
