/* Table widget: sort (reverse, numeric), filter (negation, narrowing),
 * selection kept across sort/filter/refresh, scroll bounds, drawing. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "table.h"

static const struct kn_column cols[] = {
	{"NAMESPACE", 9, 0, KN_ALIGN_LEFT, 0, false, true},
	{"NAME", 4, 0, KN_ALIGN_LEFT, 1, false, true},
	{"RESTARTS", 8, 0, KN_ALIGN_RIGHT, 0, true, false},
};

static const char *const rows[][3] = {
	{"shop", "web-1", "10"},	   {"shop", "Web-2", "9"},
	{"kube-system", "coredns-a", "0"}, {"shop", "cart", "<none>"},
	{"default", "api", "-1"},	   {"shop", "db", "9"},
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

struct fixture {
	struct kn_rowstore *rs;
	struct kn_table *t;
};

static void
fill(struct fixture *f, size_t n)
{
	struct kn_table_source src;
	size_t i;

	kn_rowstore_clear(f->rs);
	for (i = 0; i < n; i++)
		kn_rowstore_add(f->rs, rows[i], KN_ROLE_NORMAL);
	kn_rowstore_source(f->rs, &src);
	kn_table_set_source(f->t, &src);
}

static int
setup(void **state)
{
	static struct fixture f;

	f.rs = kn_rowstore_new(3);
	f.t = kn_table_new(cols, 3);
	fill(&f, NROWS);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	kn_table_free(f->t);
	kn_rowstore_free(f->rs);
	return 0;
}

/* Names of the visible rows, joined by spaces. */
static const char *
names(struct kn_table *t)
{
	static char out[512];
	char tmp[64];
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < kn_table_visible(t); i++)
		used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s",
					 i ? " " : "",
					 kn_table_cell(t, kn_table_row_at(t, i),
						       1, tmp, sizeof(tmp)));
	return out;
}

static const char *
selected_name(struct kn_table *t)
{
	static char tmp[64];
	size_t row;

	if (!kn_table_selected(t, &row))
		return "(none)";
	return kn_table_cell(t, row, 1, tmp, sizeof(tmp));
}

static void
test_source_order(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(kn_table_total(f->t), NROWS);
	assert_string_equal(names(f->t), "web-1 Web-2 coredns-a cart api db");
}

static void
test_sort_text_case_insensitive_and_reverse(void **state)
{
	struct fixture *f = *state;

	kn_table_sort(f->t, 1, false);
	assert_string_equal(names(f->t), "api cart coredns-a db web-1 Web-2");
	kn_table_sort(f->t, 1, true);
	assert_string_equal(names(f->t), "Web-2 web-1 db coredns-a cart api");
	assert_int_equal(kn_table_sort_col(f->t), 1);
	assert_true(kn_table_sort_reverse(f->t));
	/* Ties on the sort column keep the source order. */
	kn_table_sort(f->t, 0, false);
	assert_string_equal(names(f->t), "api coredns-a web-1 Web-2 cart db");
}

static void
test_sort_numeric(void **state)
{
	struct fixture *f = *state;

	kn_table_sort(f->t, 2, false);
	/* -1 0 9 9 10, then what is not a number. */
	assert_string_equal(names(f->t), "api coredns-a Web-2 db web-1 cart");
	kn_table_sort(f->t, 2, true);
	assert_string_equal(names(f->t), "cart web-1 db Web-2 coredns-a api");
}

static void
test_filter_substring_and_negation(void **state)
{
	struct fixture *f = *state;

	kn_table_set_filter(f->t, "WEB");
	assert_string_equal(names(f->t), "web-1 Web-2");
	assert_string_equal(kn_table_filter(f->t), "WEB");
	kn_table_set_filter(f->t, "!web");
	assert_string_equal(names(f->t), "coredns-a cart api db");
	/* Any column matches: a namespace. */
	kn_table_set_filter(f->t, "kube-sys");
	assert_string_equal(names(f->t), "coredns-a");
	kn_table_set_filter(f->t, "nothing-like-this");
	assert_int_equal(kn_table_visible(f->t), 0);
	assert_false(kn_table_selected(f->t, &(size_t){0}));
	kn_table_set_filter(f->t, "");
	assert_int_equal(kn_table_visible(f->t), NROWS);
	/* "!" alone negates nothing: every row. */
	kn_table_set_filter(f->t, "!");
	assert_int_equal(kn_table_visible(f->t), NROWS);
}

/* '|' separates alternatives: a row matching any of them is kept. */
static void
test_filter_alternatives(void **state)
{
	struct fixture *f = *state;

	kn_table_set_filter(f->t, "web|kube");
	assert_int_equal(kn_table_visible(f->t), 3);
	/* Typing an alternative adds rows (no narrowing). */
	kn_table_set_filter(f->t, "web|");
	assert_int_equal(kn_table_visible(f->t), 2);
	kn_table_set_filter(f->t, "web|d");
	/* and coredns-a, default/api, db */
	assert_int_equal(kn_table_visible(f->t), 5);
	kn_table_set_filter(f->t, "!web|kube");
	assert_int_equal(kn_table_visible(f->t), 3);
	kn_table_set_filter(f->t, "|");
	assert_int_equal(kn_table_visible(f->t), NROWS);
	kn_table_set_filter(f->t, "");
}

static void
test_filter_as_you_type(void **state)
{
	struct fixture *f = *state;
	const char *steps[] = {"s",   "sh", "sho", "shop", "shop",
			       "sho", "",   "d",   "db"};
	const char *want[] = {
		"web-1 Web-2 coredns-a cart db",
		"web-1 Web-2 cart db",
		"web-1 Web-2 cart db",
		"web-1 Web-2 cart db",
		"web-1 Web-2 cart db",
		"web-1 Web-2 cart db",
		"web-1 Web-2 coredns-a cart api db",
		"coredns-a api db",
		"db",
	};
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		kn_table_set_filter(f->t, steps[i]);
		assert_string_equal(names(f->t), want[i]);
	}
}

static void
test_selection_kept(void **state)
{
	struct fixture *f = *state;
	static const char *const moved[][3] = {
		{"new", "zzz", "1"},
		{"shop", "db", "9"},
		{"shop", "web-1", "11"},
	};
	struct kn_table_source src;
	size_t i;

	kn_table_move_to(f->t, 3); /* cart */
	assert_string_equal(selected_name(f->t), "cart");
	kn_table_sort(f->t, 1, false);
	assert_string_equal(selected_name(f->t), "cart");
	kn_table_sort(f->t, 2, true);
	assert_string_equal(selected_name(f->t), "cart");
	kn_table_set_filter(f->t, "c");
	assert_string_equal(selected_name(f->t), "cart");
	kn_table_set_filter(f->t, "");
	assert_string_equal(selected_name(f->t), "cart");
	/* Filtered out: the cursor stays in range. */
	kn_table_set_filter(f->t, "web");
	assert_true(kn_table_cursor(f->t) < kn_table_visible(f->t));
	kn_table_set_filter(f->t, "");
	/* Refresh with other rows: the selection follows the identity
	 * (namespace + name), not the position. */
	kn_table_sort(f->t, -1, false);
	kn_table_move_to(f->t, 5); /* db */
	assert_string_equal(selected_name(f->t), "db");
	kn_rowstore_clear(f->rs);
	for (i = 0; i < 3; i++)
		kn_rowstore_add(f->rs, moved[i], KN_ROLE_WARNING);
	kn_rowstore_source(f->rs, &src);
	kn_table_set_source(f->t, &src);
	assert_string_equal(selected_name(f->t), "db");
	assert_int_equal(kn_table_cursor(f->t), 1);
	/* The row is gone: the cursor is clamped. */
	kn_table_move_to(f->t, 2);
	fill(f, 2);
	assert_true(kn_table_cursor(f->t) < 2);
}

static void
test_moves_and_bounds(void **state)
{
	struct fixture *f = *state;

	kn_table_move(f->t, -5);
	assert_int_equal(kn_table_cursor(f->t), 0);
	kn_table_move(f->t, 2);
	assert_int_equal(kn_table_cursor(f->t), 2);
	kn_table_move(f->t, 1000);
	assert_int_equal(kn_table_cursor(f->t), NROWS - 1);
	kn_table_move_to(f->t, SIZE_MAX);
	assert_int_equal(kn_table_cursor(f->t), NROWS - 1);
	kn_table_move(f->t, -1);
	assert_int_equal(kn_table_cursor(f->t), NROWS - 2);
	kn_table_move(f->t, -(long)1e9);
	assert_int_equal(kn_table_cursor(f->t), 0);
}

static void
test_empty_table(void **state)
{
	struct kn_table *t = kn_table_new(cols, 3);
	struct kn_canvas *c = kn_canvas_new_text(10, 60, false);
	size_t row;

	(void)state;
	kn_table_move(t, 1);
	kn_table_move(t, -1);
	kn_table_move_to(t, SIZE_MAX);
	kn_table_sort(t, 2, true);
	kn_table_set_filter(t, "x");
	assert_false(kn_table_selected(t, &row));
	assert_int_equal(kn_table_cursor(t), 0);
	kn_table_set_filter(t, "");
	kn_table_set_source(t, NULL);
	kn_table_draw(t, c, 0, 0, 10, 60, "no cluster data: test");
	assert_non_null(strstr(kn_canvas_text_line(c, 0), "NAMESPACE"));
	assert_non_null(
		strstr(kn_canvas_text_line(c, 2), "no cluster data: test"));
	kn_table_draw(t, c, 0, 0, 0, 60, NULL);
	kn_table_draw(t, c, 0, 0, 1, 60, NULL);
	kn_canvas_free(c);
	kn_table_free(t);
}

static void
test_huge_table_scroll(void **state)
{
	enum { N = 200000 };
	struct kn_rowstore *rs = kn_rowstore_new(3);
	struct kn_table *t = kn_table_new(cols, 3);
	struct kn_canvas *c = kn_canvas_new_text(12, 80, false);
	struct kn_table_source src;
	char name[32], num[16];
	const char *cells[3];
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "pod-%06zu", (i * 7919) % N);
		snprintf(num, sizeof(num), "%zu", i % 97);
		cells[0] = i % 2 ? "shop" : "default";
		cells[1] = name;
		cells[2] = num;
		kn_rowstore_add(rs, cells, KN_ROLE_NORMAL);
	}
	kn_rowstore_source(rs, &src);
	kn_table_set_source(t, &src);
	kn_table_sort(t, 1, false);
	kn_table_draw(t, c, 0, 0, 12, 80, NULL);
	assert_int_equal(kn_table_page(t), 11);
	assert_non_null(strstr(kn_canvas_text_line(c, 1), "pod-000000"));
	kn_table_move_to(t, SIZE_MAX);
	kn_table_draw(t, c, 0, 0, 12, 80, NULL);
	assert_int_equal(kn_table_cursor(t), N - 1);
	assert_int_equal(kn_table_top(t), N - 11);
	assert_non_null(strstr(kn_canvas_text_line(c, 11), "pod-199999"));
	kn_table_move(t, -kn_table_page(t));
	kn_table_draw(t, c, 0, 0, 12, 80, NULL);
	assert_true(kn_table_cursor(t) >= kn_table_top(t));
	assert_true(kn_table_cursor(t) < kn_table_top(t) + 11);
	kn_table_set_filter(t, "pod-12345");
	assert_int_equal(kn_table_visible(t), 10); /* pod-123450..9 */
	kn_table_set_filter(t, "!pod-1");
	assert_int_equal(kn_table_visible(t), N - 100000);
	kn_table_sort(t, 2, true);
	assert_string_equal(
		kn_table_cell(t, kn_table_row_at(t, 0), 2, num, sizeof(num)),
		"96");
	kn_canvas_free(c);
	kn_table_free(t);
	kn_rowstore_free(rs);
}

static void
test_draw_fit_and_roles(void **state)
{
	struct fixture *f = *state;
	struct kn_canvas *c = kn_canvas_new_text(8, 40, false);
	const char *title;

	kn_table_sort(f->t, 1, false);
	/* The selection stayed on web-1 through the sort; go to the top. */
	assert_string_equal(selected_name(f->t), "web-1");
	kn_table_move_to(f->t, 0);
	kn_table_draw(f->t, c, 0, 0, 8, 40, NULL);
	title = kn_canvas_text_line(c, 0);
	assert_non_null(strstr(title, "NAMESPACE"));
	assert_non_null(strstr(title, "NAME\u25b2"));
	assert_non_null(strstr(title, "RESTARTS"));
	assert_non_null(strstr(kn_canvas_text_line(c, 1), "api"));
	assert_int_equal(kn_canvas_text_role(c, 1, 0), KN_ROLE_SELECTED);
	assert_int_equal(kn_canvas_text_role(c, 0, 0), KN_ROLE_TITLE);
	/* Every width fits in 40 columns. */
	assert_true(kn_table_width_of(f->t, 0) + kn_table_width_of(f->t, 1) +
			    kn_table_width_of(f->t, 2) + 2 <=
		    40);
	/* Too narrow for all: columns are hidden from the right. */
	kn_canvas_resize(c, 8, 16);
	kn_table_draw(f->t, c, 0, 0, 8, 16, NULL);
	assert_int_equal(kn_table_width_of(f->t, 2), 0);
	/* No match: the note says so. */
	kn_canvas_resize(c, 8, 60);
	kn_table_set_filter(f->t, "zzz");
	kn_table_draw(f->t, c, 0, 0, 8, 60, NULL);
	assert_non_null(
		strstr(kn_canvas_text_line(c, 2), "no rows match the filter"));
	kn_canvas_free(c);
}

/* A column that is never cut gets its widest cell, and a screen too
 * narrow hides the plain columns first; a name is cut from the middle;
 * an address in any column is never cut. */
static void
test_fit_whole_and_middle(void **state)
{
	static const struct kn_column c4[] = {
		{"NAME", 4, 0, KN_ALIGN_LEFT, 1, false, true},
		{"NOTE", 4, 0, KN_ALIGN_LEFT, 1, false, false},
		{"ADDR", 4, 0, KN_ALIGN_LEFT, 0, false, false},
		{"STATUS", 6, 0, KN_ALIGN_LEFT, 0, false, false},
	};
	static const char *const r4[][4] = {
		{"api.payments.example.com", "some free text here",
		 "10.96.0.10", "service-missing"},
		{"web", "x", "fd00::1", "ok"},
	};
	struct kn_rowstore *rs = kn_rowstore_new(4);
	struct kn_table *t = kn_table_new(c4, 4);
	struct kn_canvas *c = kn_canvas_new_text(4, 50, false);
	struct kn_table_source src;
	const char *l;

	(void)state;
	kn_rowstore_add(rs, r4[0], KN_ROLE_NORMAL);
	kn_rowstore_add(rs, r4[1], KN_ROLE_NORMAL);
	kn_rowstore_source(rs, &src);
	kn_table_set_source(t, &src);
	kn_table_set_cut(t, 0, KN_CUT_MIDDLE);
	kn_table_set_cut(t, 3, KN_CUT_NEVER);
	kn_table_draw(t, c, 0, 0, 4, 50, NULL);
	l = kn_canvas_text_line(c, 1);
	assert_non_null(strstr(l, "service-missing"));
	assert_non_null(strstr(l, "10.96.0.10"));
	assert_non_null(strstr(l, "api.p\u2026e.com"));
	/* 33 columns: NOTE goes before the address or the status is cut. */
	kn_canvas_resize(c, 4, 33);
	kn_table_draw(t, c, 0, 0, 4, 33, NULL);
	assert_int_equal(kn_table_width_of(t, 1), 0);
	assert_int_equal(kn_table_width_of(t, 3), 15);
	assert_int_equal(kn_table_width_of(t, 2), 10);
	l = kn_canvas_text_line(c, 1);
	assert_non_null(strstr(l, "service-missing"));
	assert_non_null(strstr(l, "10.96.0.10"));
	kn_canvas_free(c);
	kn_table_free(t);
	kn_rowstore_free(rs);
}

/* Left/Right shift the columns shown; wide shows each at its widest
 * cell, past the right edge. */
static void
test_hscroll_and_wide(void **state)
{
	struct fixture *f = *state;
	struct kn_canvas *c = kn_canvas_new_text(8, 20, false);
	const char *title;

	kn_table_draw(f->t, c, 0, 0, 8, 20, NULL);
	assert_int_equal(kn_table_width_of(f->t, 2), 0); /* no room */
	assert_false(kn_table_hscroll(f->t, -1));
	assert_true(kn_table_hscroll(f->t, 1));
	assert_int_equal(kn_table_hoff(f->t), 1);
	kn_table_draw(f->t, c, 0, 0, 8, 20, NULL);
	assert_int_equal(kn_table_width_of(f->t, 0), 0);
	assert_true(kn_table_width_of(f->t, 2) > 0);
	title = kn_canvas_text_line(c, 0);
	assert_non_null(strstr(title, "RESTARTS"));
	assert_null(strstr(title, "NAMESPACE"));
	/* Everything from NAME on is shown whole: no further. */
	assert_false(kn_table_hscroll(f->t, 1));
	assert_true(kn_table_hscroll(f->t, -1));
	/* Wide: NAMESPACE at its widest cell (kube-system), the rest cut
	 * at the edge. */
	kn_table_set_wide(f->t, true);
	assert_true(kn_table_wide(f->t));
	kn_canvas_resize(c, 8, 12);
	kn_table_draw(f->t, c, 0, 0, 8, 12, NULL);
	assert_int_equal(kn_table_width_of(f->t, 0), 11);
	assert_true(kn_table_width_of(f->t, 1) > 0);
	assert_true(kn_table_hscroll(f->t, 1));
	kn_table_draw(f->t, c, 0, 0, 8, 12, NULL);
	assert_non_null(strstr(kn_canvas_text_line(c, 0), "NAME"));
	assert_null(strstr(kn_canvas_text_line(c, 0), "NAMESPACE"));
	kn_table_set_wide(f->t, false);
	kn_table_hscroll(f->t, -1);
	kn_canvas_free(c);
}

static void
test_rowstore(void **state)
{
	struct kn_rowstore *rs = kn_rowstore_new(2);
	const char *cells[2] = {NULL, "x"};
	struct kn_table_source src;
	char tmp[8];

	(void)state;
	assert_int_equal(kn_rowstore_add(rs, cells, KN_ROLE_ERROR), 0);
	assert_int_equal(kn_rowstore_add_ref(rs, cells, KN_ROLE_OK), 1);
	assert_int_equal(kn_rowstore_count(rs), 2);
	kn_rowstore_source(rs, &src);
	assert_string_equal(src.cell(src.arg, 0, 0, tmp, sizeof(tmp)), "");
	assert_string_equal(src.cell(src.arg, 1, 1, tmp, sizeof(tmp)), "x");
	assert_int_equal(src.role(src.arg, 0), KN_ROLE_ERROR);
	assert_true(kn_rowstore_bytes(rs) > 0);
	kn_rowstore_clear(rs);
	assert_int_equal(kn_rowstore_count(rs), 0);
	kn_rowstore_free(rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_source_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_sort_text_case_insensitive_and_reverse, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_sort_numeric, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_filter_substring_and_negation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter_alternatives, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_filter_as_you_type, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_selection_kept, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_moves_and_bounds, setup,
						teardown),
		cmocka_unit_test(test_empty_table),
		cmocka_unit_test(test_huge_table_scroll),
		cmocka_unit_test_setup_teardown(test_draw_fit_and_roles, setup,
						teardown),
		cmocka_unit_test(test_fit_whole_and_middle),
		cmocka_unit_test_setup_teardown(test_hscroll_and_wide, setup,
						teardown),
		cmocka_unit_test(test_rowstore),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
