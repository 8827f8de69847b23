/* Unit tests for the early continue-token scan of list pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "listpage.h"

static const char page[] =
	"{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":"
	"{\"resourceVersion\":\"1234\",\"continue\":\"eyJydiI6MTIzNH0=\","
	"\"remainingItemCount\":7},\"items\":[{\"metadata\":{\"name\":\"a\"}}]"
	"}";

static enum listpage_scan
scan(const char *s, char *out, size_t outsz)
{
	return listpage_continue(s, strlen(s), out, outsz);
}

static void
test_found_at_any_cut(void **state)
{
	const char *tok = "eyJydiI6MTIzNH0=";
	size_t at = (size_t)(strstr(page, tok) - page) + strlen(tok) + 1;
	char out[64];
	size_t n;

	(void)state;
	/* every prefix that ends before the token's closing quote asks for
	 * more; every longer one finds it */
	for (n = 0; n <= strlen(page); n++) {
		enum listpage_scan r =
			listpage_continue(page, n, out, sizeof(out));

		if (n < at) {
			assert_int_equal(r, LISTPAGE_MORE);
		} else {
			assert_int_equal(r, LISTPAGE_FOUND);
			assert_string_equal(out, tok);
		}
	}
}

static void
test_none(void **state)
{
	char out[64];

	(void)state;
	/* the last page: metadata without continue, or with an empty one */
	assert_int_equal(scan("{\"kind\":\"PodList\",\"metadata\":{\"resource"
			      "Version\":\"9\"},\"items\":[",
			      out, sizeof(out)),
			 LISTPAGE_NONE);
	assert_int_equal(scan("{\"metadata\":{\"continue\":\"\"},\"items\":[",
			      out, sizeof(out)),
			 LISTPAGE_NONE);
	/* items first: the whole page decides */
	assert_int_equal(
		scan("{\"items\":[],\"metadata\":{\"continue\":\"x\"}}", out,
		     sizeof(out)),
		LISTPAGE_NONE);
	/* escaped or too long tokens are left to the full parse */
	assert_int_equal(scan("{\"metadata\":{\"continue\":\"a\\u003db\"}}",
			      out, sizeof(out)),
			 LISTPAGE_NONE);
	assert_int_equal(
		scan("{\"metadata\":{\"continue\":\"abcdefgh\"}}", out, 8),
		LISTPAGE_NONE);
	assert_int_equal(
		scan("{\"metadata\":{\"continue\":\"abcdefg\"}}", out, 8),
		LISTPAGE_FOUND);
	/* not a list object */
	assert_int_equal(scan("[1,2,3]", out, sizeof(out)), LISTPAGE_NONE);
	assert_int_equal(
		scan("{\"metadata\":7,\"items\":[]}", out, sizeof(out)),
		LISTPAGE_NONE);
	assert_int_equal(
		scan("{\"metadata\":{\"continue\":7}}", out, sizeof(out)),
		LISTPAGE_NONE);
	assert_int_equal(scan("{\"kind\" \"x\"}", out, sizeof(out)),
			 LISTPAGE_NONE);
	assert_int_equal(scan("{}", out, sizeof(out)), LISTPAGE_NONE);
	assert_int_equal(scan("  ", out, sizeof(out)), LISTPAGE_MORE);
	assert_int_equal(listpage_continue(NULL, 0, out, sizeof(out)),
			 LISTPAGE_MORE);
}

static void
test_skips_values(void **state)
{
	char out[64];

	(void)state;
	/* members of every type before metadata, and inside it before the
	 * token, with brackets and quotes inside strings */
	assert_int_equal(
		scan("{ \"a\" : [1, {\"b\":\"]}\\\"\"}, true, null] "
		     ",\"n\":-1.5e3,"
		     "\"metadata\" : {\"x\":{\"y\":[\"}\"]},\"z\":false,"
		     "\"continue\" : \"tok\"}, \"items\": [",
		     out, sizeof(out)),
		LISTPAGE_FOUND);
	assert_string_equal(out, "tok");
	/* a number at the end of the prefix may go on */
	assert_int_equal(scan("{\"n\":12", out, sizeof(out)), LISTPAGE_MORE);
	/* a key named like the token outside metadata does not count */
	assert_int_equal(
		scan("{\"continue\":\"no\",\"metadata\":{}}", out, sizeof(out)),
		LISTPAGE_NONE);
}

static void
test_scan_cap(void **state)
{
	size_t pad = LISTPAGE_SCAN_MAX + 100, n;
	char *big = malloc(pad + 64), out[64];

	(void)state;
	assert_non_null(big);
	n = (size_t)snprintf(big, 64, "{\"kind\":\"");
	memset(big + n, 'x', pad);
	n += pad;
	n += (size_t)snprintf(big + n, 64,
			      "\",\"metadata\":{\"continue\":\"t\"}");
	/* no answer within the first LISTPAGE_SCAN_MAX bytes: none, not more */
	assert_int_equal(listpage_continue(big, n, out, sizeof(out)),
			 LISTPAGE_NONE);
	assert_int_equal(
		listpage_continue(big, LISTPAGE_SCAN_MAX - 1, out, sizeof(out)),
		LISTPAGE_MORE);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found_at_any_cut),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_skips_values),
		cmocka_unit_test(test_scan_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
