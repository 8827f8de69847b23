/* The node agents' DaemonSet (src/kube/podlog_ds.c): which one of a list
 * is the agents', its selector as a labelSelector, and matching pods. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "podlog_ds.h"

static const char list[] =
	"{\"items\":["
	"{\"metadata\":{\"name\":\"other\",\"namespace\":\"a\"},"
	"\"spec\":{\"selector\":{\"matchLabels\":{\"x\":\"y\"}}}},"
	"{\"metadata\":{\"name\":\"agents\",\"namespace\":\"ops\",\"labels\":"
	"{\"app.kubernetes.io/name\":\"k8snet-top\"}},"
	"\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"agent\"},"
	"\"matchExpressions\":["
	"{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"a\",\"b\"]},"
	"{\"key\":\"pool\",\"operator\":\"NotIn\",\"values\":[\"x\"]},"
	"{\"key\":\"os\",\"operator\":\"Exists\"},"
	"{\"key\":\"gpu\",\"operator\":\"DoesNotExist\"}]}}}]}";

static void
test_pick_and_selector(void **state)
{
	cJSON *doc = cJSON_Parse(list);
	const cJSON *ds;
	char sel[256];
	int n;

	(void)state;
	ds = kn_podlog_pick_ds(doc, false, &n);
	assert_non_null(ds);
	assert_int_equal(n, 1);
	assert_true(kn_podlog_selector(ds, sel, sizeof(sel)));
	assert_string_equal(sel, "app=agent,zone in (a,b),pool notin (x),os,"
				 "!gpu");
	/* too long for the buffer: refused, never cut */
	assert_false(kn_podlog_selector(ds, sel, 12));
	cJSON_Delete(doc);
}

static void
test_only_one_unlabelled(void **state)
{
	cJSON *doc = cJSON_Parse(
		"{\"items\":[{\"metadata\":{\"name\":\"d\",\"namespace\":\"n\"}"
		","
		"\"spec\":{\"selector\":{\"matchLabels\":{\"k\":\"v\"},"
		"\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Gt\"}]}}}"
		"]}");
	const cJSON *ds;
	char sel[64];
	int n;

	(void)state;
	assert_null(kn_podlog_pick_ds(doc, false, &n));
	ds = kn_podlog_pick_ds(doc, true, &n);
	assert_non_null(ds);
	assert_int_equal(n, 0);
	/* an operator the API does not have selects nothing */
	assert_false(kn_podlog_selector(ds, sel, sizeof(sel)));
	cJSON_Delete(doc);
}

static void
test_matches(void **state)
{
	cJSON *ml = cJSON_Parse("{\"app\":\"agent\",\"tier\":\"node\"}");
	cJSON *yes = cJSON_Parse("{\"metadata\":{\"labels\":{\"app\":\"agent\","
				 "\"tier\":\"node\",\"x\":\"1\"}}}");
	cJSON *no =
		cJSON_Parse("{\"metadata\":{\"labels\":{\"app\":\"agent\"}}}");

	(void)state;
	assert_true(kn_podlog_matches(ml, yes));
	assert_false(kn_podlog_matches(ml, no));
	assert_true(kn_podlog_matches(NULL, no));
	cJSON_Delete(ml);
	cJSON_Delete(yes);
	cJSON_Delete(no);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick_and_selector),
		cmocka_unit_test(test_only_one_unlabelled),
		cmocka_unit_test(test_matches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
