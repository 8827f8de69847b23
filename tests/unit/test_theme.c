/* Theme loader: shipped themes, bad files with file:line, degrading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "k8snet/embed.h"
#include "testutil.h"
#include "theme.h"

#define THEMES KN_TEST_DATA "/themes/"

static void
test_shipped_themes(void **state)
{
	const char *names[] = {"default", "light", "monochrome"};
	char path[1024], errbuf[KN_ERRBUF], ename[64];
	const unsigned char *emb;
	struct kn_theme t;
	struct kn_buf warn;
	size_t i, len, elen;
	char *text;

	(void)state;
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/themes/%s.yaml", KN_SOURCE_DIR,
			 names[i]);
		kn_buf_init(&warn, 0);
		assert_int_equal(kn_theme_load(&t, path, errbuf, &warn), KN_OK);
		/* No warnings: every role is known. */
		assert_int_equal(warn.len, 0);
		assert_string_equal(t.name, names[i]);
		kn_buf_release(&warn);
		/* By name too, and the built-in copy is the same file. */
		assert_int_equal(kn_theme_load(&t, names[i], errbuf, NULL),
				 KN_OK);
		snprintf(ename, sizeof(ename), "theme-%s.yaml", names[i]);
		emb = kn_embed_find(ename, &elen);
		assert_non_null(emb);
		text = tu_slurp(path, &len);
		assert_int_equal(len, elen);
		assert_memory_equal(text, emb, len);
		free(text);
	}
	kn_theme_builtin(&t);
	assert_string_equal(t.name, "default");
}

static void
test_good_file(void **state)
{
	char errbuf[KN_ERRBUF];
	struct kn_theme t;

	(void)state;
	assert_int_equal(kn_theme_load(&t, THEMES "good.yaml", errbuf, NULL),
			 KN_OK);
	assert_string_equal(t.name, "good");
	assert_int_equal(t.role[KN_ROLE_HEADER].fg, 7);
	assert_int_equal(t.role[KN_ROLE_HEADER].bg, 25);
	assert_int_equal(t.role[KN_ROLE_HEADER].attrs, KN_ATTR_BOLD);
	assert_int_equal(t.role[KN_ROLE_SELECTED].bg, 14);
	assert_int_equal(t.role[KN_ROLE_SELECTED].attrs,
			 KN_ATTR_BOLD | KN_ATTR_REVERSE);
	assert_int_equal(t.role[KN_ROLE_ERROR].fg, 196);
	assert_int_equal(t.role[KN_ROLE_ERROR].bg, KN_COLOR_DEFAULT);
	assert_int_equal(t.role[KN_ROLE_DIMMED].fg, 8);
	/* Roles the file leaves out keep the attribute baseline. */
	assert_int_equal(t.role[KN_ROLE_TAB_ACTIVE].attrs,
			 KN_ATTR_REVERSE | KN_ATTR_BOLD);
}

static void
expect_error(const char *file, enum kn_err want, const char *msg)
{
	char errbuf[KN_ERRBUF], path[512];
	struct kn_theme t;

	snprintf(path, sizeof(path), THEMES "%s", file);
	assert_int_equal(kn_theme_load(&t, path, errbuf, NULL), want);
	if (strstr(errbuf, msg) == NULL)
		fail_msg("%s: got \"%s\", want \"%s\"", file, errbuf, msg);
	/* On error the theme is the usable baseline. */
	assert_string_equal(t.name, "baseline");
}

static void
test_bad_files(void **state)
{
	(void)state;
	expect_error("syntax.yaml", KN_ERR_PARSE,
		     THEMES "syntax.yaml:4: YAML syntax error: ");
	expect_error("bad_color.yaml", KN_ERR_PARSE,
		     THEMES "bad_color.yaml:5: role 'warning': bad colour "
			    "'purplish' for fg");
	expect_error("bad_number.yaml", KN_ERR_PARSE,
		     THEMES "bad_number.yaml:3: role 'ok': bad colour '256'");
	expect_error("bad_attr.yaml", KN_ERR_PARSE,
		     THEMES "bad_attr.yaml:3: role 'ok': unknown attribute "
			    "'blinking'");
	expect_error("not_mapping.yaml", KN_ERR_PARSE,
		     THEMES "not_mapping.yaml:1: expected a mapping");
	expect_error("no_roles.yaml", KN_ERR_PARSE,
		     THEMES "no_roles.yaml:1: no 'roles:' mapping");
	expect_error("missing.yaml", KN_ERR_NOTFOUND,
		     THEMES "missing.yaml: No such file");
}

static void
test_unknown_role_warns(void **state)
{
	char errbuf[KN_ERRBUF];
	struct kn_theme t;
	struct kn_buf warn;

	(void)state;
	kn_buf_init(&warn, 0);
	assert_int_equal(
		kn_theme_load(&t, THEMES "unknown_role.yaml", errbuf, &warn),
		KN_OK);
	assert_non_null(warn.data);
	assert_non_null(strstr(warn.data, THEMES "unknown_role.yaml:4: "
						 "unknown role 'sparkle'"));
	assert_non_null(strstr(warn.data, THEMES "unknown_role.yaml:5: "
						 "unknown key 'blink'"));
	/* The rest of the file still applies. */
	assert_int_equal(t.role[KN_ROLE_SELECTED].bg, 6);
	kn_buf_release(&warn);
}

static void
test_names_and_search(void **state)
{
	char errbuf[KN_ERRBUF];
	struct kn_theme t;

	(void)state;
	assert_int_equal(kn_theme_load(&t, "no-such-theme", errbuf, NULL),
			 KN_ERR_NOTFOUND);
	assert_non_null(strstr(errbuf, "no-such-theme"));
	assert_int_equal(kn_theme_load(&t, "..", errbuf, NULL), KN_ERR_INVAL);
	/* A user theme folder wins over the shipped one. */
	setenv("XDG_CONFIG_HOME", KN_TEST_DATA "/themes/xdg", 1);
	assert_int_equal(kn_theme_load(&t, "light", errbuf, NULL), KN_OK);
	assert_string_equal(t.name, "user-light");
	unsetenv("XDG_CONFIG_HOME");
}

static void
test_parse_inline(void **state)
{
	char errbuf[KN_ERRBUF];
	struct kn_theme t;
	static const char big_pad[] = "roles: {}\n";

	(void)state;
	assert_int_equal(kn_theme_parse(&t, "", 0, "empty", errbuf, NULL),
			 KN_ERR_PARSE);
	assert_string_equal(errbuf, "empty:1: empty theme (expected 'name:' "
				    "and 'roles:')");
	assert_int_equal(kn_theme_parse(&t, big_pad, sizeof(big_pad) - 1, "x",
					errbuf, NULL),
			 KN_OK);
	assert_int_equal(
		kn_theme_parse(&t, "roles: [1]", 10, "x", errbuf, NULL),
		KN_ERR_PARSE);
	assert_int_equal(
		kn_theme_parse(&t, "roles: {ok: 3}", 14, "x", errbuf, NULL),
		KN_ERR_PARSE);
	assert_int_equal(kn_theme_parse(&t, "x", KN_THEME_MAX_BYTES + 1, "x",
					errbuf, NULL),
			 KN_ERR_LIMIT);
}

static void
test_colors_and_degrade(void **state)
{
	struct kn_theme t, d;
	int16_t c;

	(void)state;
	assert_true(kn_color_parse("red", &c) && c == 1);
	assert_true(kn_color_parse("bright-white", &c) && c == 15);
	assert_true(kn_color_parse("default", &c) && c == KN_COLOR_DEFAULT);
	assert_true(kn_color_parse("255", &c) && c == 255);
	assert_false(kn_color_parse("256", &c));
	assert_false(kn_color_parse("-1", &c));
	assert_false(kn_color_parse("12x", &c));
	assert_false(kn_color_parse("", &c));

	kn_theme_init(&t);
	t.role[KN_ROLE_HEADER].fg = 196; /* bright red in the cube */
	t.role[KN_ROLE_HEADER].bg = 21;	 /* blue */
	t.role[KN_ROLE_OK].fg = 10;	 /* bright green */
	t.role[KN_ROLE_SELECTED].bg = 117;
	kn_theme_degrade(&t, 256, &d);
	assert_int_equal(d.role[KN_ROLE_HEADER].fg, 196);
	kn_theme_degrade(&t, 8, &d);
	assert_int_equal(d.role[KN_ROLE_HEADER].fg, 1);
	assert_int_equal(d.role[KN_ROLE_HEADER].bg, 4);
	assert_int_equal(d.role[KN_ROLE_OK].fg, 2);
	assert_true(d.role[KN_ROLE_OK].attrs & KN_ATTR_BOLD);
	assert_true(d.role[KN_ROLE_SELECTED].bg < 8);
	kn_theme_degrade(&t, 16, &d);
	assert_int_equal(d.role[KN_ROLE_OK].fg, 10);
	assert_true(d.role[KN_ROLE_HEADER].fg < 16);
	/* No colours: only attributes; a role with its own background is
	 * shown reversed. */
	kn_theme_degrade(&t, 0, &d);
	assert_int_equal(d.role[KN_ROLE_HEADER].fg, KN_COLOR_DEFAULT);
	assert_int_equal(d.role[KN_ROLE_HEADER].bg, KN_COLOR_DEFAULT);
	assert_true(d.role[KN_ROLE_SELECTED].attrs & KN_ATTR_REVERSE);
	assert_false(d.role[KN_ROLE_OK].attrs & KN_ATTR_REVERSE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_themes),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_unknown_role_warns),
		cmocka_unit_test(test_names_and_search),
		cmocka_unit_test(test_parse_inline),
		cmocka_unit_test(test_colors_and_degrade),
	};

	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/nonexistent", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
