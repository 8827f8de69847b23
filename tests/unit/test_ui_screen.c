/* Screen without a terminal: layout, pane switching, help, prompts,
 * commands and the too-small screen, drawn on the text canvas. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "k8snet/keymap.h"
#include "k8snet/pane.h"
#include "k8snet/screen.h"

struct fx {
	struct kn_app app;
	struct kn_screen *s;
	struct kn_canvas *c;
};

static int
setup(void **state)
{
	static struct fx f;

	memset(&f, 0, sizeof(f));
	f.app.opts.demo = true;
	f.s = kn_screen_new(&f.app);
	f.c = kn_canvas_new_text(24, 80, false);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	kn_screen_free(f->s);
	kn_canvas_free(f->c);
	return 0;
}

/* True if any line of the frame contains text. */
static bool
shows(struct fx *f, const char *text)
{
	int y;

	kn_screen_draw(f->s, f->c, 0);
	for (y = 0; y < kn_canvas_rows(f->c); y++)
		if (strstr(kn_canvas_text_line(f->c, y), text) != NULL)
			return true;
	return false;
}

static void
keys(struct fx *f, const char *s)
{
	for (; *s != '\0'; s++)
		kn_screen_key(f->s, *s == '\n' ? KN_KEY_ENTER : *s);
}

static void
test_layout(void **state)
{
	struct fx *f = *state;

	assert_true(shows(f, "k8snet-top"));
	assert_true(shows(f, "demo"));
	assert_true(shows(f, "1 Pods"));
	assert_true(shows(f, "6 Traffic"));
	assert_true(shows(f, "NAMESPACE"));
	assert_true(shows(f, "no cluster data:"));
	assert_true(shows(f, "? help"));
	assert_true(shows(f, "q quit"));
	assert_int_equal(kn_canvas_text_role(f->c, 1, 1), KN_ROLE_TAB_ACTIVE);
}

static void
test_pane_switching(void **state)
{
	struct fx *f = *state;
	int i;

	keys(f, "3");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_DNS);
	assert_true(shows(f, "SOURCE"));
	kn_screen_key(f->s, KN_KEY_TAB);
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_INGRESS);
	kn_screen_key(f->s, KN_KEY_BTAB);
	kn_screen_key(f->s, KN_KEY_BTAB);
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_SERVICES);
	for (i = 0; i < 6; i++)
		kn_screen_key(f->s, KN_KEY_TAB);
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_SERVICES);
	keys(f, "6");
	assert_true(shows(f, "no capture"));
	keys(f, "5");
	assert_true(shows(f, "INTERNAL-IP"));
}

static void
test_help_and_back(void **state)
{
	struct fx *f = *state;

	keys(f, "?");
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_HELP);
	assert_true(shows(f, "Global"));
	assert_true(shows(f, "show the keys"));
	kn_screen_key(f->s, KN_KEY_PGDN);
	kn_screen_key(f->s, KN_KEY_ESC);
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_TABLE);
	keys(f, "?2");
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_TABLE);
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_SERVICES);
}

static void
test_filter_prompt(void **state)
{
	struct fx *f = *state;
	struct kn_pane *p = kn_screen_pane_at(f->s, KN_PANE_PODS);

	keys(f, "/web");
	assert_int_equal(kn_screen_prompt(f->s), KN_PROMPT_FILTER);
	assert_true(shows(f, "/web_"));
	assert_string_equal(kn_table_filter(p->table), "web");
	/* Keys typed in the prompt are text, not commands. */
	keys(f, "q");
	assert_false(kn_screen_quit_requested(f->s));
	kn_screen_key(f->s, KN_KEY_BACKSPACE);
	keys(f, "\n");
	assert_int_equal(kn_screen_prompt(f->s), KN_PROMPT_NONE);
	assert_string_equal(kn_table_filter(p->table), "web");
	assert_true(shows(f, "filter \"web\": 0 of 0 rows"));
	kn_screen_key(f->s, KN_KEY_ESC);
	assert_string_equal(kn_table_filter(p->table), "");
	keys(f, "/x");
	kn_screen_key(f->s, KN_KEY_ESC);
	assert_int_equal(kn_screen_prompt(f->s), KN_PROMPT_NONE);
	assert_string_equal(kn_table_filter(p->table), "");
}

static void
test_commands(void **state)
{
	struct fx *f = *state;

	keys(f, ":pane dns\n");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_DNS);
	keys(f, ":svc\n");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_SERVICES);
	keys(f, ":ns shop\n");
	assert_string_equal(kn_screen_namespace(f->s), "shop");
	assert_true(shows(f, "ns:shop"));
	keys(f, ":ns\n");
	assert_null(kn_screen_namespace(f->s));
	keys(f, ":ns shop\n:ns all\n");
	assert_null(kn_screen_namespace(f->s));
	keys(f, ":ns Bad_Name\n");
	assert_true(shows(f, "not a namespace name"));
	keys(f, ":theme light\n");
	assert_string_equal(kn_screen_take_theme_request(f->s), "light");
	assert_null(kn_screen_take_theme_request(f->s));
	keys(f, ":frobnicate\n");
	assert_true(shows(f, "unknown command 'frobnicate'"));
	assert_true(kn_screen_message_deadline(f->s) > 0);
	keys(f, ":pane nowhere\n");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_SERVICES);
	keys(f, ":q\n");
	assert_true(kn_screen_quit_requested(f->s));
}

static void
test_quit_keys(void **state)
{
	struct fx *f = *state;

	kn_screen_key(f->s, KN_KEY_F(10));
	assert_true(kn_screen_quit_requested(f->s));
}

static void
test_too_small(void **state)
{
	struct fx *f = *state;

	kn_canvas_resize(f->c, 20, 60);
	assert_true(shows(f, "terminal too small (need 80x24, have 60x20)"));
	assert_false(shows(f, "1 Pods"));
	kn_canvas_resize(f->c, 24, 79);
	assert_true(shows(f, "have 79x24"));
	kn_canvas_resize(f->c, 1, 5);
	kn_screen_draw(f->s, f->c, 0);
	kn_canvas_resize(f->c, 48, 160);
	assert_true(shows(f, "1 Pods"));
	assert_true(shows(f, "DNS 0"));
}

static void
test_ascii_frame(void **state)
{
	struct fx *f = *state;
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
