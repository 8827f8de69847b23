/* Unit tests of the discovery documents' readers (src/kube/discover.c):
 * an APIGroup's versions, the preferred first, and an APIResourceList's
 * resources (subresources are not resources). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "discover.h"

static void
test_group(void **state)
{
	static const char doc[] =
		"{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\",\"name\":"
		"\"gateway.networking.k8s.io\",\"versions\":["
		"{\"groupVersion\":\"gateway.networking.k8s.io/v1beta1\","
		"\"version\":\"v1beta1\"},{\"groupVersion\":\"gateway."
		"networking.k8s.io/v1\",\"version\":\"v1\"},{\"version\":"
		"\"v1alpha2\"},{\"version\":7}],\"preferredVersion\":{"
		"\"groupVersion\":\"gateway.networking.k8s.io/v1\","
		"\"version\":\"v1\"}}";
	char v[8][32];

	(void)state;
	assert_int_equal(discover_parse_group(doc, strlen(doc), v, 8), 3);
	assert_string_equal(v[0], "v1"); /* preferred first */
	assert_string_equal(v[1], "v1beta1");
	assert_string_equal(v[2], "v1alpha2");
	assert_int_equal(discover_parse_group(doc, strlen(doc), v, 2), 2);
	assert_int_equal(discover_parse_group("{", 1, v, 8), 0);
	assert_int_equal(discover_parse_group("[]", 2, v, 8), 0);
}

static void
test_resources(void **state)
{
	static const char doc[] =
		"{\"kind\":\"APIResourceList\",\"groupVersion\":\"gateway."
		"networking.k8s.io/v1\",\"resources\":[{\"name\":"
		"\"httproutes\",\"kind\":\"HTTPRoute\",\"namespaced\":true},"
		"{\"name\":\"httproutes/status\"},{\"name\":\"gateways\"}]}";

	(void)state;
	assert_true(discover_lists(doc, strlen(doc), "httproutes"));
	assert_true(discover_lists(doc, strlen(doc), "gateways"));
	assert_false(discover_lists(doc, strlen(doc), "referencegrants"));
	assert_false(discover_lists(doc, strlen(doc), "httproutes/"));
	assert_false(discover_lists("nope", 4, "gateways"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_resources),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
