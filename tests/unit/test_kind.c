/* Unit tests of the kind registry and of the decoder table that runs
 * parallel to it: every kind has its names, and decodes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "k8snet/model.h"
#include "objdecode.h"

static void
test_registry_rows(void **state)
{
	char list[64];
	int i;

	(void)state;
	for (i = 0; i < KN_KIND__COUNT; i++) {
		const struct kn_kind_info *ki = kn_kind_info((enum kn_kind)i);

		assert_non_null(ki);
		assert_non_null(ki->kind);
		assert_non_null(ki->plural);
		assert_non_null(ki->group);
		/* The core kinds are v1; the Gateway API's are checked
		 * against their group and versions. */
		if (ki->alt_versions[0] == NULL)
			assert_string_equal(ki->version, "v1");
		else
			assert_string_equal(ki->group, KN_GW_GROUP);
		snprintf(list, sizeof(list), "%sList", ki->kind);
		assert_string_equal(ki->list_kind, list);
		assert_int_equal(kn_kind_from_name(ki->kind), i);
		assert_int_equal(kn_kind_from_list_name(ki->list_kind), i);
		assert_string_equal(kn_kind_name((enum kn_kind)i), ki->kind);
		assert_string_equal(kn_objdecode_item_kind(ki->list_kind),
				    ki->kind);
	}
	assert_null(kn_kind_info(KN_KIND__COUNT));
	assert_string_equal(kn_kind_name(KN_KIND__COUNT), "?");
	assert_int_equal(kn_kind_from_name("Secret"), -1);
	assert_int_equal(kn_kind_from_name(NULL), -1);
	assert_int_equal(kn_kind_from_list_name("List"), -1);
	assert_null(kn_objdecode_item_kind("List"));
	assert_null(kn_objdecode_item_kind("SecretList"));
	assert_null(kn_objdecode_item_kind(NULL));
}

static void
test_registry_api_names(void **state)
{
	const struct kn_kind_info *ki;

	(void)state;
	ki = kn_kind_info(KN_SLICE);
	assert_string_equal(ki->group, "discovery.k8s.io");
	assert_string_equal(ki->plural, "endpointslices");
	assert_true(ki->namespaced);
	ki = kn_kind_info(KN_NETPOL);
	assert_string_equal(ki->group, "networking.k8s.io");
	assert_string_equal(ki->plural, "networkpolicies");
	ki = kn_kind_info(KN_ENDPOINTS);
	assert_string_equal(ki->list_kind, "EndpointsList");
	assert_string_equal(ki->group, "");
	assert_false(kn_kind_info(KN_NODE)->namespaced);
	assert_false(kn_kind_info(KN_NAMESPACE)->namespaced);
	assert_false(kn_kind_info(KN_INGCLASS)->namespaced);
	assert_true(kn_kind_info(KN_DAEMONSET)->namespaced);
	assert_string_equal(kn_kind_info(KN_DAEMONSET)->group, "apps");
	ki = kn_kind_info(KN_HTTPROUTE);
	assert_string_equal(ki->plural, "httproutes");
	assert_string_equal(ki->version, "v1");
	assert_false(kn_kind_info(KN_GWCLASS)->namespaced);
	assert_string_equal(kn_kind_info(KN_REFGRANT)->version, "v1beta1");
	assert_string_equal(kn_kind_info(KN_TCPROUTE)->version, "v1alpha2");
}

/* Gateway API kinds are theirs only in their group (Istio has a
 * Gateway too); other kinds are not checked. */
static void
test_api_versions(void **state)
{
	(void)state;
	assert_true(kn_kind_api_version_ok(KN_GATEWAY, NULL));
	assert_true(kn_kind_api_version_ok(KN_GATEWAY,
					   "gateway.networking.k8s.io/v1"));
	assert_true(kn_kind_api_version_ok(
		KN_HTTPROUTE, "gateway.networking.k8s.io/v1beta1"));
	assert_true(kn_kind_api_version_ok(
		KN_GRPCROUTE, "gateway.networking.k8s.io/v1alpha2"));
	assert_true(kn_kind_api_version_ok(
		KN_REFGRANT, "gateway.networking.k8s.io/v1beta1"));
	assert_false(kn_kind_api_version_ok(KN_GATEWAY,
					    "networking.istio.io/v1beta1"));
	assert_false(kn_kind_api_version_ok(KN_GATEWAY,
					    "gateway.networking.k8s.io/v9"));
	assert_false(kn_kind_api_version_ok(KN_GATEWAY, "v1"));
	assert_true(kn_kind_api_version_ok(KN_POD, "v1"));
	assert_true(kn_kind_api_version_ok(KN_INGRESS, "extensions/v1beta1"));
}

/* Every kind has a decoder: a bare object of each kind is stored, with
 * cluster-scoped kinds under namespace "". */
static void
test_every_kind_decodes(void **state)
{
	struct kn_model *m = kn_model_new();
	char eb[KN_ERRBUF];
	int i;

	(void)state;
	for (i = 0; i < KN_KIND__COUNT; i++) {
		const struct kn_kind_info *ki = kn_kind_info((enum kn_kind)i);
		/* ConfigMaps other than CoreDNS's and kube-proxy's are
		 * not kept. */
		cJSON *o = cJSON_Parse("{\"metadata\":{\"name\":\"coredns\","
				       "\"namespace\":\"kube-system\"}}");

		assert_non_null(o);
		assert_int_equal(
			kn_objdecode_apply(m, KN_EV_ADDED, ki->kind, o, eb),
			KN_OK);
		cJSON_Delete(o);
		assert_int_equal(kn_model_count(m, (enum kn_kind)i), 1);
		assert_non_null(kn_model_find(
			m, (enum kn_kind)i, ki->namespaced ? "kube-system" : "",
			"coredns"));
	}
	kn_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_rows),
		cmocka_unit_test(test_registry_api_names),
		cmocka_unit_test(test_every_kind_decodes),
		cmocka_unit_test(test_api_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
