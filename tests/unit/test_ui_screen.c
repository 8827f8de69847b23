/* Screen without a terminal: layout, pane switching, help, prompts,
 * commands and the too-small screen, drawn on the text canvas. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "keymap.h"
#include "pane.h"
#include "screen.h"
#include "testutil.h"

static int
setup(void **state)
{
	static struct tu_screen f;

	tu_screen_init(&f, 24, 80, false);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	tu_screen_release(*state);
	return 0;
}

static void
test_layout(void **state)
{
	struct tu_screen *f = *state;

	assert_true(tu_shows(f, "k8snet-top"));
	assert_true(tu_shows(f, "demo"));
	assert_true(tu_shows(f, "1 Pods"));
	assert_true(tu_shows(f, "6 Traffic"));
	assert_true(tu_shows(f, "NAMESPACE"));
	assert_true(tu_shows(f, "no cluster data:"));
	assert_true(tu_shows(f, "? help"));
	assert_true(tu_shows(f, "q quit"));
	assert_int_equal(kn_canvas_text_role(f->c, 1, 1), KN_ROLE_TAB_ACTIVE);
}

static void
test_pane_switching(void **state)
{
	struct tu_screen *f = *state;
	int i;

	tu_keys(f, "3");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_DNS);
	assert_true(tu_shows(f, "SOURCE"));
	kn_screen_key(f->s, KN_KEY_TAB);
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_INGRESS);
	kn_screen_key(f->s, KN_KEY_BTAB);
	kn_screen_key(f->s, KN_KEY_BTAB);
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_SERVICES);
	for (i = 0; i < KN_PANE__COUNT; i++)
		kn_screen_key(f->s, KN_KEY_TAB);
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_SERVICES);
	tu_keys(f, "6");
	assert_true(tu_shows(f, "no capture"));
	tu_keys(f, "5");
	assert_true(tu_shows(f, "INTERNAL-IP"));
	tu_keys(f, "7");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_POLICIES);
	assert_true(tu_shows(f, "EGRESS"));
}

static void
test_help_and_back(void **state)
{
	struct tu_screen *f = *state;

	tu_keys(f, "?");
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_HELP);
	assert_true(tu_shows(f, "Global"));
	assert_true(tu_shows(f, "show the keys"));
	kn_screen_key(f->s, KN_KEY_PGDN);
	kn_screen_key(f->s, KN_KEY_ESC);
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_TABLE);
	tu_keys(f, "?2");
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_TABLE);
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_SERVICES);
}

static void
test_filter_prompt(void **state)
{
	struct tu_screen *f = *state;
	struct kn_pane *p = kn_screen_pane_at(f->s, KN_PANE_PODS);

	tu_keys(f, "/web");
	assert_int_equal(kn_screen_prompt(f->s), KN_PROMPT_FILTER);
	assert_true(tu_shows(f, "/web_"));
	assert_string_equal(kn_table_filter(p->table), "web");
	/* Keys typed in the prompt are text, not commands. */
	tu_keys(f, "q");
	assert_false(kn_screen_quit_requested(f->s));
	kn_screen_key(f->s, KN_KEY_BACKSPACE);
	tu_keys(f, "\n");
	assert_int_equal(kn_screen_prompt(f->s), KN_PROMPT_NONE);
	assert_string_equal(kn_table_filter(p->table), "web");
	assert_true(tu_shows(f, "filter \"web\": 0 of 0 rows"));
	kn_screen_key(f->s, KN_KEY_ESC);
	assert_string_equal(kn_table_filter(p->table), "");
	tu_keys(f, "/x");
	kn_screen_key(f->s, KN_KEY_ESC);
	assert_int_equal(kn_screen_prompt(f->s), KN_PROMPT_NONE);
	assert_string_equal(kn_table_filter(p->table), "");
}

static void
test_commands(void **state)
{
	struct tu_screen *f = *state;

	tu_keys(f, ":pane dns\n");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_DNS);
	tu_keys(f, ":svc\n");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_SERVICES);
	tu_keys(f, ":ns shop\n");
	assert_string_equal(kn_screen_namespace(f->s), "shop");
	assert_true(tu_shows(f, "ns:shop"));
	/* :ns alone: the list to choose from, "all" first. */
	tu_keys(f, ":ns\n");
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_PICK);
	assert_true(tu_shows(f, "Namespace to show"));
	kn_screen_key(f->s, KN_KEY_ENTER);
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_TABLE);
	assert_null(kn_screen_namespace(f->s));
	tu_keys(f, ":ns shop\n0");
	assert_null(kn_screen_namespace(f->s));
	/* :ctx alone needs a live source. */
	tu_keys(f, ":ctx\n");
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_TABLE);
	assert_true(tu_shows(f, "need the live Kube-API"));
	tu_keys(f, ":ns shop\n:ns all\n");
	assert_null(kn_screen_namespace(f->s));
	tu_keys(f, ":ns Bad_Name\n");
	assert_true(tu_shows(f, "not a namespace name"));
	tu_keys(f, ":theme light\n");
	assert_string_equal(kn_screen_take_theme_request(f->s), "light");
	assert_null(kn_screen_take_theme_request(f->s));
	tu_keys(f, ":frobnicate\n");
	assert_true(tu_shows(f, "unknown command 'frobnicate'"));
	assert_true(kn_screen_message_deadline(f->s) > 0);
	tu_keys(f, ":pane nowhere\n");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_SERVICES);
	/* Tab completes a command, then a pane name. */
	tu_keys(f, ":pa\tdn\t\n");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_DNS);
	/* Up recalls it (and :svc before it); Down comes back. */
	tu_keys(f, ":");
	kn_screen_key(f->s, KN_KEY_UP);
	assert_true(tu_shows(f, ":pane dns_"));
	kn_screen_key(f->s, KN_KEY_UP);
	kn_screen_key(f->s, KN_KEY_DOWN);
	kn_screen_key(f->s, KN_KEY_DOWN);
	assert_true(tu_shows(f, ":_"));
	kn_screen_key(f->s, KN_KEY_ESC);
	tu_keys(f, ":q\n");
	assert_true(kn_screen_quit_requested(f->s));
}

static void
test_quit_keys(void **state)
{
	struct tu_screen *f = *state;

	/* A key bound to nothing says so in the footer, not the status. */
	tu_keys(f, "x");
	assert_true(tu_shows(f, "unknown key x: ? for help"));
	assert_false(kn_screen_quit_requested(f->s));
	assert_true(kn_screen_message_deadline(f->s) > 0);
	kn_screen_key(f->s, KN_KEY_F(1));
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_HELP);
	kn_screen_key(f->s, KN_KEY_F(1));
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_TABLE);

	kn_screen_key(f->s, KN_KEY_F(10));
	assert_true(kn_screen_quit_requested(f->s));
}

static void
test_too_small(void **state)
{
	struct tu_screen *f = *state;

	kn_canvas_resize(f->c, 20, 60);
	assert_true(tu_shows(f, "terminal too small (need 80x24, have 60x20)"));
	assert_false(tu_shows(f, "1 Pods"));
	kn_canvas_resize(f->c, 24, 79);
	assert_true(tu_shows(f, "have 79x24"));
	kn_canvas_resize(f->c, 1, 5);
	kn_screen_draw(f->s, f->c, 0);
	kn_canvas_resize(f->c, 48, 160);
	assert_true(tu_shows(f, "1 Pods"));
	assert_true(tu_shows(f, "DNS 0"));
}

static void
test_ascii_frame(void **state)
{
	struct tu_screen *f = *state;
	const unsigned char *p;
	struct kn_canvas *c = kn_canvas_new_text(24, 80, true);
	int y;

	kn_screen_draw(f->s, c, 0);
	for (y = 0; y < 24; y++)
		for (p = (const unsigned char *)kn_canvas_text_line(c, y);
		     *p != '\0'; p++)
			assert_true(*p >= 0x20 && *p < 0x7f);
	kn_canvas_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pane_switching, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_help_and_back, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_filter_prompt, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quit_keys, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_too_small, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ascii_frame, setup,
						teardown),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
