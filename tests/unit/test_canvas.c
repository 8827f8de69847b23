/* Canvas: escaping of hostile text, clipping by display width, ASCII mode. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "canvas.h"

static struct kn_canvas *
put_line(int cols, bool ascii, const char *s, size_t len)
{
	struct kn_canvas *c = kn_canvas_new_text(3, cols, ascii);

	kn_canvas_put(c, 1, 0, -1, KN_ROLE_NORMAL, s, len, 0);
	return c;
}

/* No byte of the drawn text may be a control byte or ESC. */
static void
assert_inert(const char *line)
{
	const unsigned char *p;

	for (p = (const unsigned char *)line; *p != '\0'; p++)
		assert_true(*p >= 0x20 && *p != 0x7f);
}

static void
check(const char *in, size_t len, const char *want)
{
	struct kn_canvas *c = put_line(60, false, in, len);
	const char *line = kn_canvas_text_line(c, 1);

	assert_string_equal(line, want);
	assert_inert(line);
	kn_canvas_free(c);
}

/* Literal input (NULs included) and the expected text. */
#define CHECK(lit, want) check(lit, sizeof(lit) - 1, want)

static void
test_escape_esc_csi(void **state)
{
	(void)state;
	CHECK("a\x1b"
	      "b",
	      "a\\x1bb");
	CHECK("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m");
	CHECK("x\x1b[2J\x1b[H", "x\\x1b[2J\\x1b[H");
}

static void
test_escape_osc(void **state)
{
	(void)state;
	CHECK("\x1b]0;pwned\x07z", "\\x1b]0;pwned\\x07z");
	CHECK("\x1b]52;c;AAAA\x1b\\", "\\x1b]52;c;AAAA\\x1b\\");
}

static void
test_escape_c1_nul_bidi_invalid(void **state)
{
	(void)state;
	CHECK("a\xc2\x9b"
	      "1m",
	      "a\\x9b1m"); /* U+009B CSI */
	CHECK("a\x9b"
	      "1m",
	      "a\\x9b1m"); /* raw 0x9b byte */
	CHECK("a\0b", "a\\x00b");
	CHECK("ab\xe2\x80\xae"
	      "cd",
	      "ab\\u202ecd"); /* RLO */
	CHECK("\xff\xfe", "\\xff\\xfe");
	CHECK("\xe2\x82", "\\xe2\\x82"); /* truncated */
	CHECK("\xc0\xaf", "\\xc0\\xaf"); /* overlong '/' */
	CHECK("tab\there\r\n", "tab\\there\\r\\n");
}

static void
test_wide_clipped_at_edge(void **state)
{
	struct kn_canvas *c = kn_canvas_new_text(2, 10, false);
	int w;

	(void)state;
	/* 日 fits in columns 7-8; 本 would straddle the edge. */
	w = kn_canvas_put(c, 0, 7, -1, KN_ROLE_NORMAL, "日本語", 9, 0);
	assert_int_equal(w, 2);
	assert_string_equal(kn_canvas_text_line(c, 0), "       日");
	/* Clipped to a width that splits a wide char. */
	w = kn_canvas_put(c, 1, 0, 3, KN_ROLE_NORMAL, "日本語", 9, 0);
	assert_int_equal(w, 2);
	assert_string_equal(kn_canvas_text_line(c, 1), "日");
	kn_canvas_free(c);
}

static void
test_clip_and_ellipsis(void **state)
{
	struct kn_canvas *c = kn_canvas_new_text(4, 20, false);
	struct kn_canvas *a = kn_canvas_new_text(1, 20, true);

	(void)state;
	assert_int_equal(kn_canvas_put(c, 0, 0, 5, KN_ROLE_NORMAL, "abcdefgh",
				       8, KN_PUT_ELLIPSIS),
			 5);
	assert_string_equal(kn_canvas_text_line(c, 0), "abcd\u2026");
	kn_canvas_put(a, 0, 0, 5, KN_ROLE_NORMAL, "abcdefgh", 8,
		      KN_PUT_ELLIPSIS);
	assert_string_equal(kn_canvas_text_line(a, 0), "abcd~");
	/* Right alignment. */
	kn_canvas_put(c, 1, 0, 6, KN_ROLE_NORMAL, "42", 2, KN_PUT_RIGHT);
	assert_string_equal(kn_canvas_text_line(c, 1), "    42");
	/* Never past the right edge, even with a larger w. */
	assert_int_equal(kn_canvas_put(c, 2, 15, 100, KN_ROLE_NORMAL,
				       "0123456789", 10, 0),
			 5);
	assert_string_equal(kn_canvas_text_line(c, 2), "               01234");
	/* An escape is clipped like any text. */
	kn_canvas_put(c, 3, 17, -1, KN_ROLE_NORMAL, "\x1b", 1, 0);
	assert_string_equal(kn_canvas_text_line(c, 3), "                 \\x1");
	/* Out of range draws nothing. */
	assert_int_equal(kn_canvas_put(c, 9, 0, -1, KN_ROLE_NORMAL, "x", 1, 0),
			 0);
	assert_int_equal(kn_canvas_put(c, 0, 20, -1, KN_ROLE_NORMAL, "x", 1, 0),
			 0);
	assert_int_equal(kn_canvas_put(c, -1, 0, -1, KN_ROLE_NORMAL, "x", 1, 0),
			 0);
	kn_canvas_free(c);
	kn_canvas_free(a);
}

/* From the middle: the head and the end, both within w; wide characters
 * count by their width. */
static void
test_middle_cut(void **state)
{
	struct kn_canvas *c = kn_canvas_new_text(4, 40, false);
	struct kn_canvas *a = kn_canvas_new_text(1, 40, true);
	const char *name = "api.payments.example.com";

	(void)state;
	assert_int_equal(kn_canvas_put(c, 0, 0, 14, KN_ROLE_NORMAL, name,
				       strlen(name), KN_PUT_MIDDLE),
			 14);
	assert_string_equal(kn_canvas_text_line(c, 0), "api.pay\u2026le.com");
	kn_canvas_put(a, 0, 0, 14, KN_ROLE_NORMAL, name, strlen(name),
		      KN_PUT_MIDDLE);
	assert_string_equal(kn_canvas_text_line(a, 0), "api.pay~le.com");
	/* What fits is not cut. */
	kn_canvas_put(c, 1, 0, 24, KN_ROLE_NORMAL, name, strlen(name),
		      KN_PUT_MIDDLE);
	assert_string_equal(kn_canvas_text_line(c, 1), name);
	/* A double-width character never straddles the cut. */
	assert_true(kn_canvas_put(c, 2, 0, 8, KN_ROLE_NORMAL,
				  "\u65e5\u672c\u8a9e\u65e5\u672c\u8a9e", 18,
				  KN_PUT_MIDDLE) <= 8);
	assert_non_null(strstr(kn_canvas_text_line(c, 2), "\u2026"));
	/* The end survives a long text too. */
	{
		char big[3000];

		memset(big, 'x', sizeof(big));
		memcpy(big + sizeof(big) - 4, "-end", 4);
		kn_canvas_put(c, 3, 0, 12, KN_ROLE_NORMAL, big, sizeof(big),
			      KN_PUT_MIDDLE);
		assert_non_null(strstr(kn_canvas_text_line(c, 3), "-end"));
	}
	kn_canvas_free(c);
	kn_canvas_free(a);
}

static void
test_ascii_mode(void **state)
{
	struct kn_canvas *c = kn_canvas_new_text(3, 30, true);
	const unsigned char *p;
	int y;

	(void)state;
	kn_canvas_put(c, 0, 0, -1, KN_ROLE_NORMAL, "caf\xc3\xa9 日", 9, 0);
	kn_canvas_hline(c, 1, 0, 10, KN_ROLE_BORDER);
	kn_canvas_puts(c, 2, 0, KN_ROLE_TITLE,
		       kn_canvas_glyph(c, KN_GLYPH_SORT_UP));
	assert_string_equal(kn_canvas_text_line(c, 1), "----------");
	assert_string_equal(kn_canvas_text_line(c, 2), "^");
	for (y = 0; y < 3; y++)
		for (p = (const unsigned char *)kn_canvas_text_line(c, y);
		     *p != '\0'; p++)
			assert_true(*p >= 0x20 && *p < 0x7f);
	kn_canvas_free(c);
}

static void
test_roles_and_fill(void **state)
{
	struct kn_canvas *c = kn_canvas_new_text(2, 10, false);

	(void)state;
	kn_canvas_fill(c, 0, 0, -1, KN_ROLE_SELECTED);
	kn_canvas_put(c, 0, 2, -1, KN_ROLE_ERROR, "err", 3, 0);
	assert_int_equal(kn_canvas_text_role(c, 0, 0), KN_ROLE_SELECTED);
	assert_int_equal(kn_canvas_text_role(c, 0, 3), KN_ROLE_ERROR);
	assert_int_equal(kn_canvas_text_role(c, 0, 9), KN_ROLE_SELECTED);
	assert_int_equal(kn_canvas_text_role(c, 1, 0), KN_ROLE_NORMAL);
	kn_canvas_clear(c);
	assert_string_equal(kn_canvas_text_line(c, 0), "");
	assert_string_equal(kn_role_name(KN_ROLE_TAB_ACTIVE), "tab_active");
	assert_int_equal(kn_role_from_name("selected"), KN_ROLE_SELECTED);
	assert_int_equal(kn_role_from_name("nope"), -1);
	kn_canvas_free(c);
}

static void
test_huge_input_bounded(void **state)
{
	static char big[1 << 20];
	struct kn_canvas *c = kn_canvas_new_text(1, 80, false);

	(void)state;
	memset(big, 'x', sizeof(big));
	big[5] = '\x1b';
	assert_int_equal(kn_canvas_put(c, 0, 0, -1, KN_ROLE_NORMAL, big,
				       sizeof(big), KN_PUT_ELLIPSIS),
			 80);
	assert_int_equal(strncmp(kn_canvas_text_line(c, 0), "xxxxx\\x1bxx", 11),
			 0);
	kn_canvas_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_esc_csi),
		cmocka_unit_test(test_escape_osc),
		cmocka_unit_test(test_escape_c1_nul_bidi_invalid),
		cmocka_unit_test(test_wide_clipped_at_edge),
		cmocka_unit_test(test_clip_and_ellipsis),
		cmocka_unit_test(test_middle_cut),
		cmocka_unit_test(test_ascii_mode),
		cmocka_unit_test(test_roles_and_fill),
		cmocka_unit_test(test_huge_input_bounded),
	};

	/* Display widths of CJK come from the locale's wcwidth. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "en_US.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
