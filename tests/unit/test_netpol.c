/* Unit tests of NetworkPolicy decoding (networking.k8s.io/v1, whole:
 * selectors with expressions, policyTypes and their default, peers,
 * ipBlocks, ports) and of the Namespace labels policies select on. */
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

static char eb[KN_ERRBUF];

static enum kn_err
apply(struct kn_model *m, const char *kind, const char *json)
{
	cJSON *o = cJSON_Parse(json);
	enum kn_err e;

	assert_non_null(o);
	e = kn_objdecode_apply(m, KN_EV_ADDED, kind, o, eb);
	cJSON_Delete(o);
	return e;
}

static const struct kn_netpol *
netpol(struct kn_model *m, const char *spec)
{
	char json[4096];

	snprintf(json, sizeof(json),
		 "{\"metadata\":{\"name\":\"np\","
		 "\"namespace\":\"shop\"},\"spec\":%s}",
		 spec);
	if (apply(m, "NetworkPolicy", json) != KN_OK)
		return NULL;
	return (const struct kn_netpol *)kn_model_find(m, KN_NETPOL, "shop",
						       "np");
}

static void
expect_bad(const char *spec, const char *msg)
{
	struct kn_model *m = kn_model_new();

	assert_null(netpol(m, spec));
	assert_non_null(strstr(eb, msg));
	assert_int_equal(kn_model_count(m, KN_NETPOL), 0);
	kn_model_free(m);
}

static void
test_full_policy(void **state)
{
	struct kn_model *m = kn_model_new();
	const struct kn_netpol *np;
	const struct kn_np_rule *r;
	const struct kn_np_peer *p;
	const struct kn_sel_expr *x;
	char buf[64];

	(void)state;
	np = netpol(
		m,
		"{\"podSelector\":{\"matchLabels\":{\"app\":\"db\"},"
		"\"matchExpressions\":["
		"{\"key\":\"tier\",\"operator\":\"In\","
		"\"values\":[\"a\",\"b\"]},"
		"{\"key\":\"env\",\"operator\":\"NotIn\",\"values\":[\"dev\"]},"
		"{\"key\":\"team\",\"operator\":\"Exists\"},"
		"{\"key\":\"old\",\"operator\":\"DoesNotExist\"}]},"
		"\"policyTypes\":[\"Ingress\",\"Egress\"],"
		"\"ingress\":[{\"from\":["
		"{\"podSelector\":{\"matchLabels\":{\"app\":\"web\"}}},"
		"{\"namespaceSelector\":{\"matchLabels\":"
		"{\"kubernetes.io/metadata.name\":\"mon\"}}},"
		"{\"namespaceSelector\":{},\"podSelector\":"
		"{\"matchLabels\":{\"role\":\"probe\"}}},"
		"{\"ipBlock\":{\"cidr\":\"10.0.0.0/8\","
		"\"except\":[\"10.1.0.0/16\",\"10.2.3.0/24\"]}}],"
		"\"ports\":[{\"port\":5432},"
		"{\"protocol\":\"UDP\",\"port\":\"dns\"},"
		"{\"protocol\":\"TCP\",\"port\":30000,\"endPort\":32767},"
		"{\"protocol\":\"SCTP\"}]},"
		"{}],"
		"\"egress\":[{\"to\":[{\"ipBlock\":"
		"{\"cidr\":\"fd00::/64\"}}]}]}");
	if (np == NULL)
		fail_msg("%s", eb);
	assert_string_equal(np->o.name, "np");
	assert_false(np->types_defaulted);
	assert_true(np->ingress_type);
	assert_true(np->egress_type);
	assert_int_equal(np->pod_sel.nlabels, 1);
	assert_string_equal(np->pod_sel.labels[0].key, "app");
	assert_string_equal(np->pod_sel.labels[0].value, "db");
	assert_int_equal(np->pod_sel.nexprs, 4);
	x = np->pod_sel.exprs;
	assert_string_equal(x[0].key, "tier");
	assert_int_equal(x[0].op, KN_SEL_IN);
	assert_int_equal(x[0].nvalues, 2);
	assert_string_equal(x[0].values[1], "b");
	assert_int_equal(x[1].op, KN_SEL_NOT_IN);
	assert_string_equal(x[1].values[0], "dev");
	assert_int_equal(x[2].op, KN_SEL_EXISTS);
	assert_int_equal(x[2].nvalues, 0);
	assert_int_equal(x[3].op, KN_SEL_DOES_NOT_EXIST);
	assert_string_equal(x[3].key, "old");

	assert_int_equal(np->ningress, 2);
	r = &np->ingress[0];
	assert_int_equal(r->npeers, 4);
	p = &r->peers[0];
	assert_true(p->has_pod_sel);
	assert_false(p->has_ns_sel);
	assert_false(p->is_ipblock);
	assert_string_equal(p->pod_sel.labels[0].value, "web");
	p = &r->peers[1];
	assert_false(p->has_pod_sel);
	assert_true(p->has_ns_sel);
	assert_string_equal(p->ns_sel.labels[0].key,
			    "kubernetes.io/metadata.name");
	p = &r->peers[2];
	assert_true(p->has_pod_sel);
	assert_true(p->has_ns_sel);
	assert_int_equal(p->ns_sel.nlabels + p->ns_sel.nexprs, 0);
	assert_string_equal(p->pod_sel.labels[0].key, "role");
	p = &r->peers[3];
	assert_true(p->is_ipblock);
	assert_false(p->has_pod_sel || p->has_ns_sel);
	assert_string_equal(kn_ipaddr_format(&p->cidr.addr, buf, sizeof(buf)),
			    "10.0.0.0");
	assert_int_equal(p->cidr.bits, 8);
	assert_int_equal(p->nexcept, 2);
	assert_int_equal(p->except[1].bits, 24);
	assert_string_equal(
		kn_ipaddr_format(&p->except[1].addr, buf, sizeof(buf)),
		"10.2.3.0");
	assert_int_equal(r->nports, 4);
	assert_int_equal(r->ports[0].port, 5432);
	assert_int_equal(r->ports[0].proto, KN_PROTO_TCP);
	assert_null(r->ports[0].name);
	assert_int_equal(r->ports[1].proto, KN_PROTO_UDP);
	assert_string_equal(r->ports[1].name, "dns");
	assert_int_equal(r->ports[1].port, 0);
	assert_int_equal(r->ports[2].port, 30000);
	assert_int_equal(r->ports[2].end_port, 32767);
	assert_int_equal(r->ports[3].proto, KN_PROTO_SCTP);
	assert_int_equal(r->ports[3].port, 0);
	assert_null(r->ports[3].name);
	/* {}: every peer, every port */
	assert_int_equal(np->ingress[1].npeers, 0);
	assert_int_equal(np->ingress[1].nports, 0);

	assert_int_equal(np->negress, 1);
	p = &np->egress[0].peers[0];
	assert_true(p->is_ipblock);
	assert_int_equal(p->cidr.addr.family, 6);
	assert_int_equal(p->cidr.bits, 64);
	kn_model_free(m);
}

/* policyTypes absent: Ingress, and Egress when there are egress rules
 * (the API's default), flagged; given: kept as given. */
static void
test_policy_types(void **state)
{
	struct kn_model *m = kn_model_new();
	const struct kn_netpol *np;

	(void)state;
	np = netpol(m, "{\"podSelector\":{}}");
	assert_non_null(np);
	assert_true(np->types_defaulted);
	assert_true(np->ingress_type);
	assert_false(np->egress_type);
	assert_int_equal(np->pod_sel.nlabels + np->pod_sel.nexprs, 0);
	assert_int_equal(np->ningress + np->negress, 0);
	np = netpol(m, "{\"podSelector\":{},\"egress\":[{}]}");
	assert_true(np->types_defaulted);
	assert_true(np->ingress_type);
	assert_true(np->egress_type);
	np = netpol(m, "{\"podSelector\":{},\"policyTypes\":[\"Egress\"]}");
	assert_false(np->types_defaulted);
	assert_false(np->ingress_type);
	assert_true(np->egress_type);
	assert_int_equal(np->negress, 0);
	assert_int_equal(kn_model_count(m, KN_NETPOL), 1);
	kn_model_free(m);
}

static void
test_bad_policies(void **state)
{
	(void)state;
	expect_bad("{\"podSelector\":{\"matchExpressions\":[{\"key\":\"a\","
		   "\"operator\":\"Equals\",\"values\":[\"x\"]}]}}",
		   "spec.podSelector.matchExpressions[0].operator");
	expect_bad("{\"podSelector\":{\"matchExpressions\":[{\"key\":\"a\","
		   "\"operator\":\"In\"}]}}",
		   "values for In and NotIn");
	expect_bad("{\"podSelector\":{\"matchExpressions\":[{\"key\":\"a\","
		   "\"operator\":\"Exists\",\"values\":[\"x\"]}]}}",
		   "no values for Exists");
	expect_bad("{\"ingress\":[{\"from\":[{}]}]}",
		   "spec.ingress[0].from[0]");
	expect_bad("{\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":"
		   "\"10.0.0.0/8\"},\"podSelector\":{}}]}]}",
		   "no selector beside it");
	expect_bad("{\"egress\":[{\"to\":[{\"ipBlock\":{\"cidr\":"
		   "\"10.0.0.0\"}}]}]}",
		   "spec.egress[0].to[0].ipBlock.cidr");
	expect_bad("{\"egress\":[{\"to\":[{\"ipBlock\":{\"cidr\":"
		   "\"10.0.0.0/33\"}}]}]}",
		   "a CIDR");
	expect_bad("{\"egress\":[{\"to\":[{\"ipBlock\":{\"cidr\":"
		   "\"10.0.0.0/8\",\"except\":[\"fd00::/8\"]}}]}]}",
		   "except");
	expect_bad("{\"ingress\":[{\"ports\":[{\"port\":80,"
		   "\"endPort\":79}]}]}",
		   "spec.ingress[0].ports[0].endPort");
	expect_bad("{\"ingress\":[{\"ports\":[{\"port\":\"http\","
		   "\"endPort\":90}]}]}",
		   "endPort");
	expect_bad("{\"ingress\":[{\"ports\":[{\"port\":70000}]}]}",
		   "spec.ingress[0].ports[0].port");
	expect_bad("{\"ingress\":[{\"ports\":[{\"protocol\":\"ICMP\"}]}]}",
		   "protocol");
	expect_bad("{\"policyTypes\":[\"Both\"]}", "policyTypes");
}

/* A policy replaced, then deleted. */
static void
test_replace_and_delete(void **state)
{
	struct kn_model *m = kn_model_new();
	const struct kn_netpol *np;
	cJSON *o;

	(void)state;
	np = netpol(m, "{\"podSelector\":{\"matchLabels\":{\"a\":\"1\"}}}");
	assert_non_null(np);
	np = netpol(m, "{\"podSelector\":{\"matchLabels\":{\"a\":\"2\"}}}");
	assert_string_equal(np->pod_sel.labels[0].value, "2");
	assert_int_equal(kn_model_count(m, KN_NETPOL), 1);
	o = cJSON_Parse("{\"metadata\":{\"name\":\"np\","
			"\"namespace\":\"shop\"}}");
	assert_int_equal(
		kn_objdecode_apply(m, KN_EV_DELETED, "NetworkPolicy", o, eb),
		KN_OK);
	cJSON_Delete(o);
	assert_int_equal(kn_model_count(m, KN_NETPOL), 0);
	kn_model_free(m);
}

static const char *
ns_label(const struct kn_namespace *ns, const char *key)
{
	uint16_t i;

	for (i = 0; i < ns->nlabels; i++)
		if (strcmp(ns->labels[i].key, key) == 0)
			return ns->labels[i].value;
	return NULL;
}

static void
test_namespace_labels(void **state)
{
	struct kn_model *m = kn_model_new();
	const struct kn_namespace *ns;

	(void)state;
	assert_int_equal(apply(m, "Namespace",
			       "{\"metadata\":{\"name\":\"shop\",\"labels\":"
			       "{\"team\":\"web\",\"kubernetes.io/metadata."
			       "name\":\"shop\"}}}"),
			 KN_OK);
	ns = (const struct kn_namespace *)kn_model_find(m, KN_NAMESPACE, "",
							"shop");
	assert_non_null(ns);
	assert_int_equal(ns->nlabels, 2);
	assert_string_equal(ns_label(ns, "team"), "web");
	assert_string_equal(ns_label(ns, "kubernetes.io/metadata.name"),
			    "shop");
	/* Added when absent, as the API server would have. */
	assert_int_equal(apply(m, "Namespace",
			       "{\"metadata\":{\"name\":\"mon\"},"
			       "\"status\":{\"phase\":\"Terminating\"}}"),
			 KN_OK);
	ns = (const struct kn_namespace *)kn_model_find(m, KN_NAMESPACE, "",
							"mon");
	assert_int_equal(ns->nlabels, 1);
	assert_string_equal(ns_label(ns, "kubernetes.io/metadata.name"), "mon");
	assert_true(ns->terminating);
	kn_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_policy),
		cmocka_unit_test(test_policy_types),
		cmocka_unit_test(test_bad_policies),
		cmocka_unit_test(test_replace_and_delete),
		cmocka_unit_test(test_namespace_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
