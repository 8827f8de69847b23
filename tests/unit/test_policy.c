/* Unit tests of NetworkPolicy evaluation: selectors, address blocks,
 * named ports and port ranges, both sides of an answer and the rules in
 * words; the upstream conformance cases (tests/data/netpol); and a
 * property test against a second, naive evaluator written here from the
 * API reference. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "k8snet/policy.h"
#include "testutil.h"

/* ---- a small cluster built from JSON ---- */

static void
ns_put(struct kn_model *m, const char *ns, const char *labels)
{
	char j[2048];

	snprintf(j, sizeof(j),
		 "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\","
		 "\"labels\":{\"kubernetes.io/metadata.name\":\"%s\"%s%s}}}",
		 ns, ns, *labels ? "," : "", labels);
	tu_model_put(m, j);
}

/* A running pod with labels (JSON members) and container ports (JSON
 * array members). */
static void
pod_put(struct kn_model *m, const char *ns, const char *name, const char *ip,
	const char *labels, const char *ports)
{
	char j[4096];

	snprintf(j, sizeof(j),
		 "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\","
		 "\"namespace\":\"%s\",\"labels\":{%s}},"
		 "\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":"
		 "\"c\",\"ports\":[%s]}]},"
		 "\"status\":{\"phase\":\"Running\",\"podIP\":\"%s\","
		 "\"podIPs\":[{\"ip\":\"%s\"}]}}",
		 name, ns, labels, ports, ip, ip);
	tu_model_put(m, j);
}

static void
np_put(struct kn_model *m, const char *ns, const char *name, const char *spec)
{
	char j[4096];

	snprintf(j, sizeof(j),
		 "{\"kind\":\"NetworkPolicy\",\"metadata\":{\"name\":\"%s\","
		 "\"namespace\":\"%s\"},\"spec\":%s}",
		 name, ns, spec);
	tu_model_put(m, j);
}

static const struct kn_pod *
pod(struct kn_model *m, const char *ns, const char *name)
{
	const struct kn_obj *o = kn_model_find(m, KN_POD, ns, name);

	assert_non_null(o);
	return (const struct kn_pod *)o;
}

static struct kn_np_end
end_pod(const struct kn_pod *p)
{
	struct kn_np_end e = {.pod = p, .ip = p->ips[0]};

	return e;
}

/* Evaluate from -> to on port/proto (port 0: any port). */
static void
ask(struct kn_model *m, const struct kn_np_end *from,
    const struct kn_np_end *to, uint16_t port, uint8_t proto,
    struct kn_np_answer *a)
{
	struct kn_policy_index *ix = kn_policy_index_new(m);
	struct kn_np_query q = {.from = *from,
				.to = *to,
				.port = port,
				.proto = proto,
				.any_port = port == 0};

	assert_non_null(ix);
	kn_np_evaluate(m, ix, &q, a);
	kn_policy_index_free(ix);
}

static bool
can(struct kn_model *m, const struct kn_pod *from, const struct kn_pod *to,
    uint16_t port, uint8_t proto)
{
	struct kn_np_end f = end_pod(from), t = end_pod(to);
	struct kn_np_answer a;
	bool ok;

	ask(m, &f, &t, port, proto, &a);
	ok = a.allowed;
	kn_np_answer_release(&a);
	return ok;
}

/* shop: web (app=web), cart (app=cart, port http 8080), db (app=db
 * 5432); mon: prom (app=prom); kube-system: dns (k8s-app=kube-dns, UDP
 * 53 "dns"). */
static struct kn_model *
shop(void)
{
	struct kn_model *m = kn_model_new();

	ns_put(m, "shop", "\"team\":\"shop\"");
	ns_put(m, "mon", "\"team\":\"ops\"");
	ns_put(m, "kube-system", "");
	pod_put(m, "shop", "web", "10.244.1.1", "\"app\":\"web\"",
		"{\"name\":\"http\",\"containerPort\":80}");
	pod_put(m, "shop", "cart", "10.244.1.2", "\"app\":\"cart\"",
		"{\"name\":\"http\",\"containerPort\":8080}");
	pod_put(m, "shop", "db", "10.244.1.3", "\"app\":\"db\"",
		"{\"containerPort\":5432}");
	pod_put(m, "mon", "prom", "10.244.2.1", "\"app\":\"prom\"", "");
	pod_put(m, "kube-system", "dns", "10.244.3.1",
		"\"k8s-app\":\"kube-dns\"",
		"{\"name\":\"dns\",\"containerPort\":53,"
		"\"protocol\":\"UDP\"}");
	return m;
}

static void
test_selector(void **state)
{
	struct kn_label l[] = {{"app", "web"}, {"tier", "a"}};
	const char *vals[] = {"a", "b"};
	struct kn_sel_expr x[] = {
		{.key = "tier", .values = vals, .nvalues = 2, .op = KN_SEL_IN},
	};
	struct kn_selector s = {0};
	char buf[128];

	(void)state;
	assert_true(kn_selector_matches(&s, l, 2));
	assert_string_equal(kn_selector_text(&s, buf, sizeof(buf)), "all");
	s.labels = l;
	s.nlabels = 1;
	assert_true(kn_selector_matches(&s, l, 2));
	assert_false(kn_selector_matches(&s, l + 1, 1));
	s.exprs = x;
	s.nexprs = 1;
	assert_true(kn_selector_matches(&s, l, 2));
	assert_string_equal(kn_selector_text(&s, buf, sizeof(buf)),
			    "app=web, tier in (a, b)");
	x[0].op = KN_SEL_NOT_IN;
	assert_false(kn_selector_matches(&s, l, 2));
	assert_true(kn_selector_matches(&s, l, 1)); /* no tier: NotIn */
	x[0].op = KN_SEL_EXISTS;
	assert_true(kn_selector_matches(&s, l, 2));
	assert_false(kn_selector_matches(&s, l, 1));
	x[0].op = KN_SEL_DOES_NOT_EXIST;
	assert_false(kn_selector_matches(&s, l, 2));
	assert_true(kn_selector_matches(&s, l, 1));
	assert_string_equal(kn_selector_text(&s, buf, sizeof(buf)),
			    "app=web, !tier");
}

static void
test_cidr(void **state)
{
	struct kn_cidr c = {.addr = tu_ip("10.244.0.0"), .bits = 17};
	struct kn_ipaddr in = tu_ip("10.244.127.255"),
			 out = tu_ip("10.244.128.0"), v6 = tu_ip("fd00::1");

	(void)state;
	assert_true(kn_cidr_contains(&c, &in));
	assert_false(kn_cidr_contains(&c, &out));
	assert_false(kn_cidr_contains(&c, &v6));
	c.bits = 0;
	assert_true(kn_cidr_contains(&c, &out));
	c.addr = tu_ip("fd00::");
	c.bits = 64;
	assert_true(kn_cidr_contains(&c, &v6));
}

/* No policy: everything is allowed, nothing is isolated. */
static void
test_open(void **state)
{
	struct kn_model *m = shop();
	struct kn_np_end f = end_pod(pod(m, "shop", "web")),
			 t = end_pod(pod(m, "shop", "db"));
	struct kn_np_answer a;
	char buf[64];

	(void)state;
	ask(m, &f, &t, 0, 0, &a);
	assert_true(a.allowed);
	assert_true(a.egress.applies && a.ingress.applies);
	assert_false(a.egress.isolated || a.ingress.isolated);
	assert_string_equal(kn_np_ports_text(&a.ports, buf, sizeof(buf)),
			    "every port");
	kn_np_answer_release(&a);
	kn_model_free(m);
}

/* A default deny for ingress in shop, then a rule that lets web reach
 * cart's named port. */
static void
test_default_deny_and_named_port(void **state)
{
	struct kn_model *m = shop();
	const struct kn_pod *web = pod(m, "shop", "web"),
			    *cart = pod(m, "shop", "cart"),
			    *db = pod(m, "shop", "db"),
			    *prom = pod(m, "mon", "prom");
	struct kn_np_end f = end_pod(web), t = end_pod(cart);
	struct kn_np_answer a;
	char buf[256];

	(void)state;
	np_put(m, "shop", "deny", "{\"podSelector\":{}}");
	assert_false(can(m, web, cart, 8080, KN_PROTO_TCP));
	assert_true(can(m, cart, prom, 9090, KN_PROTO_TCP)); /* egress */
	ask(m, &f, &t, 8080, KN_PROTO_TCP, &a);
	assert_true(a.egress.allowed);
	assert_false(a.egress.isolated);
	assert_true(a.ingress.isolated);
	assert_false(a.ingress.allowed);
	assert_int_equal(a.ingress.nrefs, 1);
	assert_string_equal(a.ingress.refs[0].np->o.name, "deny");
	assert_int_equal(a.ingress.refs[0].rule, -1);
	kn_np_answer_release(&a);

	np_put(m, "shop", "web-to-cart",
	       "{\"podSelector\":{\"matchLabels\":{\"app\":\"cart\"}},"
	       "\"ingress\":[{\"from\":[{\"podSelector\":{\"matchLabels\":"
	       "{\"app\":\"web\"}}}],\"ports\":[{\"port\":\"http\"}]}]}");
	assert_true(can(m, web, cart, 8080, KN_PROTO_TCP));
	assert_false(can(m, web, cart, 80, KN_PROTO_TCP));
	assert_false(can(m, web, cart, 8080, KN_PROTO_UDP));
	assert_false(can(m, db, cart, 8080, KN_PROTO_TCP));
	assert_false(can(m, prom, cart, 8080, KN_PROTO_TCP));
	ask(m, &f, &t, 8080, KN_PROTO_TCP, &a);
	assert_true(a.allowed);
	assert_int_equal(a.ingress.nrefs, 1);
	assert_string_equal(a.ingress.refs[0].np->o.name, "web-to-cart");
	assert_int_equal(a.ingress.refs[0].rule, 0);
	assert_string_equal(kn_np_rule_text(a.ingress.refs[0].np, false, 0, buf,
					    sizeof(buf)),
			    "allows TCP port http from pods app=web in "
			    "namespace shop");
	kn_np_answer_release(&a);
	/* Any port: the one port both sides allow. */
	ask(m, &f, &t, 0, 0, &a);
	assert_true(a.allowed);
	assert_string_equal(kn_np_ports_text(&a.ports, buf, sizeof(buf)),
			    "TCP 8080");
	kn_np_answer_release(&a);
	/* The named port is cart's: web's own "http" (80) is not it. */
	t = end_pod(web);
	f = end_pod(cart);
	ask(m, &f, &t, 0, 0, &a);
	assert_false(a.allowed);
	kn_np_answer_release(&a);
	kn_model_free(m);
}

/* The policy that forgets DNS: default deny egress in shop, web may
 * reach cart only. */
static void
test_egress_forgets_dns(void **state)
{
	struct kn_model *m = shop();
	const struct kn_pod *web = pod(m, "shop", "web"),
			    *cart = pod(m, "shop", "cart"),
			    *dns = pod(m, "kube-system", "dns");
	struct kn_np_end f = end_pod(web), t = end_pod(dns);
	struct kn_np_answer a;
	char buf[256];

	(void)state;
	np_put(m, "shop", "egress",
	       "{\"podSelector\":{\"matchLabels\":{\"app\":\"web\"}},"
	       "\"policyTypes\":[\"Egress\"],"
	       "\"egress\":[{\"to\":[{\"podSelector\":{\"matchLabels\":"
	       "{\"app\":\"cart\"}}}],\"ports\":[{\"protocol\":\"TCP\","
	       "\"port\":8000,\"endPort\":8100}]}]}");
	assert_true(can(m, web, cart, 8080, KN_PROTO_TCP));
	assert_false(can(m, web, cart, 8101, KN_PROTO_TCP));
	assert_false(can(m, web, dns, 53, KN_PROTO_UDP));
	assert_true(can(m, cart, dns, 53, KN_PROTO_UDP));
	ask(m, &f, &t, 53, KN_PROTO_UDP, &a);
	assert_false(a.allowed);
	assert_false(a.egress.allowed);
	assert_true(a.egress.isolated);
	assert_true(a.ingress.allowed);
	assert_string_equal(kn_np_rule_text(a.egress.refs[0].np, true,
					    a.egress.refs[0].rule, buf,
					    sizeof(buf)),
			    "isolates for egress; no rule allows it");
	kn_np_answer_release(&a);

	/* DNS allowed to kube-system by namespace and pod together. */
	np_put(m, "shop", "dns",
	       "{\"podSelector\":{},\"policyTypes\":[\"Egress\"],"
	       "\"egress\":[{\"to\":[{\"namespaceSelector\":{\"matchLabels\":"
	       "{\"kubernetes.io/metadata.name\":\"kube-system\"}},"
	       "\"podSelector\":{\"matchLabels\":{\"k8s-app\":\"kube-dns\"}}}],"
	       "\"ports\":[{\"protocol\":\"UDP\",\"port\":53}]}]}");
	assert_true(can(m, web, dns, 53, KN_PROTO_UDP));
	assert_false(can(m, web, dns, 53, KN_PROTO_TCP));
	assert_false(can(m, cart, dns, 80, KN_PROTO_TCP)); /* now isolated */
	ask(m, &f, &t, 53, KN_PROTO_UDP, &a);
	assert_true(a.allowed);
	assert_int_equal(a.egress.nrefs, 1);
	assert_string_equal(
		kn_np_rule_text(a.egress.refs[0].np, true, 0, buf, sizeof(buf)),
		"allows UDP 53 to pods k8s-app=kube-dns in "
		"namespaces kubernetes.io/metadata.name="
		"kube-system");
	kn_np_answer_release(&a);
	kn_model_free(m);
}

/* A flow seen on the wire, to a service address: the service's pods
 * and targetPort decide, and the verdict says which side and why. */
static void
test_flow(void **state)
{
	struct kn_model *m = shop();
	struct kn_policy_index *ix;
	struct kn_np_flow fl;
	struct kn_ipaddr web = tu_ip("10.244.1.1"), cart = tu_ip("10.244.1.2"),
			 dns = tu_ip("10.96.0.10"), out = tu_ip("8.8.8.8");

	(void)state;
	tu_model_put(m, "{\"kind\":\"Service\",\"metadata\":{\"name\":"
			"\"kube-dns\",\"namespace\":\"kube-system\"},"
			"\"spec\":{\"clusterIP\":\"10.96.0.10\",\"selector\":"
			"{\"k8s-app\":\"kube-dns\"},\"ports\":[{\"name\":"
			"\"dns\",\"port\":53,\"protocol\":\"UDP\","
			"\"targetPort\":\"dns\"}]}}");
	np_put(m, "shop", "egress",
	       "{\"podSelector\":{\"matchLabels\":{\"app\":\"web\"}},"
	       "\"policyTypes\":[\"Egress\"],"
	       "\"egress\":[{\"to\":[{\"podSelector\":{}}]}]}");
	np_put(m, "shop", "cart",
	       "{\"podSelector\":{\"matchLabels\":{\"app\":\"cart\"}},"
	       "\"ingress\":[{\"ports\":[{\"port\":8080}]}]}");
	ix = kn_policy_index_new(m);
	kn_np_flow_check(m, ix, &web, &dns, 53, KN_PROTO_UDP, &fl);
	assert_true(fl.applies && fl.denied && fl.egress);
	assert_string_equal(fl.why, "egress of shop/web is isolated and no "
				    "rule allows UDP 53 to kube-system/"
				    "kube-dns");
	kn_np_flow_check(m, ix, &cart, &dns, 53, KN_PROTO_UDP, &fl);
	assert_true(fl.applies);
	assert_false(fl.denied);
	kn_np_flow_check(m, ix, &web, &cart, 8080, KN_PROTO_TCP, &fl);
	assert_false(fl.denied); /* same namespace, port allowed */
	kn_np_flow_check(m, ix, &out, &cart, 9090, KN_PROTO_TCP, &fl);
	assert_true(fl.denied);
	assert_false(fl.egress);
	assert_string_equal(fl.why, "ingress of shop/cart is isolated and no "
				    "rule allows TCP 9090 from 8.8.8.8");
	kn_np_flow_check(m, ix, &out, &dns, 0, KN_PROTO_UDP, &fl);
	assert_false(fl.applies);
	kn_policy_index_free(ix);
	kn_model_free(m);
}

/* ipBlock: outside addresses by range and exceptions; a pod address in
 * a block is matched and flagged. */
static void
test_ipblock(void **state)
{
	struct kn_model *m = shop();
	const struct kn_pod *web = pod(m, "shop", "web");
	struct kn_np_end f = {.pod = NULL, .ip = tu_ip("192.168.1.10")},
			 t = end_pod(web), g = end_pod(pod(m, "mon", "prom"));
	struct kn_np_answer a;
	char buf[256];

	(void)state;
	np_put(m, "shop", "lb",
	       "{\"podSelector\":{\"matchLabels\":{\"app\":\"web\"}},"
	       "\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":"
	       "\"192.168.0.0/16\",\"except\":[\"192.168.2.0/24\"]}},"
	       "{\"ipBlock\":{\"cidr\":\"10.244.2.0/24\"}}]}]}");
	ask(m, &f, &t, 80, KN_PROTO_TCP, &a);
	assert_true(a.allowed);
	assert_false(a.egress.applies);
	assert_false(a.ingress.ipblock_pod);
	assert_string_equal(kn_np_rule_text(a.ingress.refs[0].np, false, 0, buf,
					    sizeof(buf)),
			    "allows every port from 192.168.0.0/16 except "
			    "192.168.2.0/24; or 10.244.2.0/24");
	kn_np_answer_release(&a);
	f.ip = tu_ip("192.168.2.7");
	ask(m, &f, &t, 80, KN_PROTO_TCP, &a);
	assert_false(a.allowed);
	kn_np_answer_release(&a);
	ask(m, &g, &t, 80, KN_PROTO_TCP, &a);
	assert_true(a.allowed);
	assert_true(a.ingress.ipblock_pod);
	kn_np_answer_release(&a);
	kn_model_free(m);
}

/* policyTypes absent: Ingress, plus Egress when egress rules exist;
 * Egress alone leaves ingress open. */
static void
test_types(void **state)
{
	struct kn_model *m = shop();
	const struct kn_pod *web = pod(m, "shop", "web"),
			    *db = pod(m, "shop", "db");
	struct kn_policy_index *ix;
	struct kn_pod_isolation iso;
	const struct kn_netpol *nps[4];

	(void)state;
	np_put(m, "shop", "a",
	       "{\"podSelector\":{\"matchLabels\":{\"app\":\"web\"}},"
	       "\"egress\":[{}]}");
	np_put(m, "shop", "b",
	       "{\"podSelector\":{\"matchLabels\":{\"app\":\"db\"}},"
	       "\"policyTypes\":[\"Egress\"]}");
	ix = kn_policy_index_new(m);
	assert_int_equal(kn_policy_pod(ix, web, &iso, nps, 4), 1);
	assert_true(iso.ingress && iso.egress);
	assert_int_equal(iso.negress_rules, 1);
	assert_string_equal(nps[0]->o.name, "a");
	assert_int_equal(kn_policy_pod(ix, db, &iso, nps, 4), 1);
	assert_false(iso.ingress);
	assert_true(iso.egress);
	kn_policy_index_free(ix);
	assert_true(can(m, web, web, 80, KN_PROTO_TCP) == false);
	assert_true(can(m, web, db, 80, KN_PROTO_TCP)); /* egress: {} */
	assert_true(can(m, db, web, 80, KN_PROTO_TCP) == false);
	kn_model_free(m);
}

/* ---- the upstream conformance cases ---- */

static const char *const e2e_ns[] = {"x", "y", "z"};

static char *
e2e_labels(const cJSON *set)
{
	char *out = calloc(1, 1024);
	const cJSON *it;
	size_t len = 0;

	assert_non_null(out);
	cJSON_ArrayForEach(it, set)
	{
		len += (size_t)snprintf(out + len, 1024 - len,
					"%s\"%s\":\"%s\"", len ? "," : "",
					it->string, it->valuestring);
	}
	return out;
}

/* Build the model of one case (see tests/data/netpol/README.md). */
static struct kn_model *
e2e_model(const cJSON *c)
{
	struct kn_model *m = kn_model_new();
	const cJSON *pods = cJSON_GetObjectItem(c, "pods"),
		    *pl = cJSON_GetObjectItem(c, "podLabels"),
		    *nl = cJSON_GetObjectItem(c, "namespaceLabels"), *it;
	static const char ports[] =
		"{\"name\":\"serve-80-tcp\",\"containerPort\":80},"
		"{\"name\":\"serve-81-tcp\",\"containerPort\":81},"
		"{\"name\":\"serve-80-udp\",\"containerPort\":80,"
		"\"protocol\":\"UDP\"},"
		"{\"name\":\"serve-81-udp\",\"containerPort\":81,"
		"\"protocol\":\"UDP\"},"
		"{\"name\":\"serve-80-sctp\",\"containerPort\":80,"
		"\"protocol\":\"SCTP\"},"
		"{\"name\":\"serve-81-sctp\",\"containerPort\":81,"
		"\"protocol\":\"SCTP\"}";
	size_t i;

	for (i = 0; i < 3; i++) {
		const cJSON *o = cJSON_GetObjectItem(nl, e2e_ns[i]);
		char j[1024], *l;

		if (o != NULL) {
			l = e2e_labels(o);
			snprintf(j, sizeof(j),
				 "{\"kind\":\"Namespace\",\"metadata\":"
				 "{\"name\":\"%s\",\"labels\":{%s}}}",
				 e2e_ns[i], l);
			free(l);
			tu_model_put(m, j);
		} else {
			snprintf(j, sizeof(j), "\"ns\":\"%s\"", e2e_ns[i]);
			ns_put(m, e2e_ns[i], j);
		}
	}
	cJSON_ArrayForEach(it, pods)
	{
		const char *s = it->valuestring;
		const cJSON *o = cJSON_GetObjectItem(pl, s);
		char ns[2] = {s[0], 0}, name[2] = {s[2], 0}, ip[32], *l;

		snprintf(ip, sizeof(ip), "10.244.%d.%d", s[0] - 'x' + 1,
			 s[2] - 'a' + 1);
		if (o != NULL) {
			l = e2e_labels(o);
		} else {
			l = calloc(1, 32);
			assert_non_null(l);
			snprintf(l, 32, "\"pod\":\"%s\"", name);
		}
		pod_put(m, ns, name, ip, l, ports);
		free(l);
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(c, "policies"))
	{
		char *j = cJSON_PrintUnformatted(it);
		enum kn_err e = tu_model_apply(m, KN_EV_ADDED, NULL, j);

		if (e != KN_OK)
			fail_msg("%s: policy does not decode: %s",
				 cJSON_GetObjectItem(c, "name")->valuestring,
				 j);
		free(j);
	}
	return m;
}

static uint8_t
proto_of(const char *s)
{
	return strcmp(s, "UDP") == 0	? KN_PROTO_UDP
	       : strcmp(s, "SCTP") == 0 ? KN_PROTO_SCTP
					: KN_PROTO_TCP;
}

static void
truth_tables(const char *file)
{
	char *text = tu_data(file, NULL);
	cJSON *doc = cJSON_Parse(text), *c;
	size_t ncases = 0, ncells = 0, bad = 0;

	assert_non_null(doc);
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "cases"))
	{
		const char *name = cJSON_GetObjectItem(c, "name")->valuestring;
		const cJSON *pods = cJSON_GetObjectItem(c, "pods"),
			    *rows = cJSON_GetObjectItem(c, "matrix");
		struct kn_model *m = e2e_model(c);
		uint16_t port =
			(uint16_t)cJSON_GetObjectItem(c, "port")->valueint;
		uint8_t proto = proto_of(
			cJSON_GetObjectItem(c, "protocol")->valuestring);
		int i, j, n = cJSON_GetArraySize(pods);

		assert_int_equal(cJSON_GetArraySize(rows), n);
		for (i = 0; i < n; i++) {
			const char *from =
				cJSON_GetArrayItem(pods, i)->valuestring;
			const char *row =
				cJSON_GetArrayItem(rows, i)->valuestring;

			assert_int_equal(strlen(row), n);
			for (j = 0; j < n; j++) {
				const char *to = cJSON_GetArrayItem(pods, j)
							 ->valuestring;
				char fns[2] = {from[0], 0}, tns[2] = {to[0], 0};
				bool got;

				if (row[j] == '-')
					continue;
				got = can(m, pod(m, fns, from + 2),
					  pod(m, tns, to + 2), port, proto);
				ncells++;
				if (got != (row[j] == '.')) {
					bad++;
					print_message("%s: %s -> %s %s:%u: "
						      "expected %s\n",
						      name, from, to,
						      kn_proto_name(proto),
						      port,
						      row[j] == '.' ? "allowed"
								    : "denied");
				}
			}
		}
		kn_model_free(m);
		ncases++;
	}
	print_message("%s: %zu cases, %zu cells, %zu disagree\n", file, ncases,
		      ncells, bad);
	assert_true(ncases > 0);
	assert_int_equal(bad, 0);
	cJSON_Delete(doc);
	free(text);
}

/* The upstream e2e suite's cases, their matrices transcribed from the
 * tests' own expectations. */
static void
test_conformance(void **state)
{
	(void)state;
	truth_tables("netpol/e2e.json");
}

/* cyclonus's generated cases (matrices from an independent evaluator:
 * see tests/data/netpol/README.md). */
static void
test_cyclonus(void **state)
{
	(void)state;
	truth_tables("netpol/cyclonus.json");
}

/* ---- property: a naive evaluator from the API text ---- */

/* The random cluster: namespaces n0, n1 (label team a|b or none), three
 * pods in each with labels app (web|db|absent) and tier (1|2|absent),
 * container port "http" TCP 80 on some, "dns" UDP 53 on others. */
struct rpod {
	int ns, app, tier, port; /* app/tier: 0 absent; port: 0 none,
				  * 1 http, 2 dns */
};
struct rsel { /* a selector on one key: kind 0 empty, 1 key=val, 2 In
	       * {v}, 3 NotIn {v}, 4 Exists, 5 DoesNotExist */
	int kind, key, val; /* key 0 app/team, 1 tier */
};
struct rpeer {
	int kind; /* 0 pod, 1 ns, 2 both, 3 ipblock */
	struct rsel pod, ns;
	int cidr; /* 0: 10.9.0.0/16 except 10.9.1.0/24; 1: 10.9.1.0/24;
		   * 2: 0.0.0.0/0 */
};
struct rport {
	int kind; /* 0 TCP 80, 1 UDP 53, 2 TCP "http", 3 TCP 70-90, 4 TCP
		   * every, 5 UDP "dns" */
};
struct rrule {
	int npeers, nports;
	struct rpeer peers[2];
	struct rport ports[2];
};
struct rpol {
	int ns;
	struct rsel sel;
	int types; /* -1 absent, else bit 1 ingress, bit 2 egress */
	int ning, neg;
	struct rrule ing[2], eg[2];
};

struct rworld {
	int nsteam[2];
	struct rpod pods[6];
	struct rpol pols[4];
	int npols;
};

static const char *const apps[] = {NULL, "web", "db"};
static const char *const tiers[] = {NULL, "1", "2"};
static const char *const teams[] = {NULL, "a", "b"};

static int
rnd(unsigned *s, int n)
{
	*s = *s * 1103515245u + 12345u;
	return (int)((*s >> 16) % (unsigned)n);
}

/* The label value of key (0: app or team, 1: tier) in a label set. */
static const char *
rlabel(int key, int app_or_team, int tier, bool ns)
{
	if (ns)
		return key == 0 ? teams[app_or_team] : NULL;
	return key == 0 ? apps[app_or_team] : tiers[tier];
}

/* matchLabels / matchExpressions semantics, from the API reference. */
static bool
rsel_match(const struct rsel *s, int a, int t, bool ns)
{
	const char *v = rlabel(s->key, a, t, ns);
	const char *want =
		s->key == 0 ? (ns ? teams : apps)[s->val] : tiers[s->val];

	switch (s->kind) {
	case 0:
		return true;
	case 1:
	case 2:
		return v != NULL && strcmp(v, want) == 0;
	case 3:
		return v == NULL || strcmp(v, want) != 0;
	case 4:
		return v != NULL;
	default:
		return v == NULL;
	}
}

static bool
rcidr_match(int cidr, uint32_t ip)
{
	switch (cidr) {
	case 0:
		return (ip >> 16) == 0x0a09 && (ip >> 8) != 0x0a0901;
	case 1:
		return (ip >> 8) == 0x0a0901;
	default:
		return true;
	}
}

/* "A peer's pod: podSelector selects pods in the policy's namespace;
 * namespaceSelector all pods in the selected namespaces; both, pods
 * matching the podSelector in the namespaces matching the
 * namespaceSelector; ipBlock, the range minus except." */
static bool
rpeer_match(const struct rworld *w, const struct rpol *p,
	    const struct rpeer *pe, int peer, uint32_t ip)
{
	const struct rpod *q = peer >= 0 ? &w->pods[peer] : NULL;

	if (pe->kind == 3)
		return rcidr_match(pe->cidr, ip);
	if (q == NULL)
		return false;
	if (pe->kind == 0)
		return q->ns == p->ns &&
		       rsel_match(&pe->pod, q->app, q->tier, false);
	if (!rsel_match(&pe->ns, w->nsteam[q->ns], 0, true))
		return false;
	return pe->kind == 1 || rsel_match(&pe->pod, q->app, q->tier, false);
}

/* "Each named port refers to the destination pod's container port." */
static bool
rport_match(const struct rport *rp, const struct rpod *dst, int proto, int port)
{
	switch (rp->kind) {
	case 0:
		return proto == KN_PROTO_TCP && port == 80;
	case 1:
		return proto == KN_PROTO_UDP && port == 53;
	case 2:
		return proto == KN_PROTO_TCP && dst != NULL && dst->port == 1 &&
		       port == 80;
	case 3:
		return proto == KN_PROTO_TCP && port >= 70 && port <= 90;
	case 4:
		return proto == KN_PROTO_TCP;
	default:
		return proto == KN_PROTO_UDP && dst != NULL && dst->port == 2 &&
		       port == 53;
	}
}

static bool
rrule_match(const struct rworld *w, const struct rpol *p, const struct rrule *r,
	    int peer, uint32_t ip, int dst, int proto, int port)
{
	bool peer_ok = r->npeers == 0, port_ok = r->nports == 0;
	int i;

	for (i = 0; i < r->npeers; i++)
		peer_ok |= rpeer_match(w, p, &r->peers[i], peer, ip);
	for (i = 0; i < r->nports; i++)
		port_ok |= rport_match(&r->ports[i],
				       dst >= 0 ? &w->pods[dst] : NULL, proto,
				       port);
	return peer_ok && port_ok;
}

/* "If policyTypes is not specified, Ingress is always set, and Egress
 * is set if the policy has any egress rules." */
static bool
rhas_type(const struct rpol *p, bool egress)
{
	if (p->types < 0)
		return egress ? p->neg > 0 : true;
	return (p->types & (egress ? 2 : 1)) != 0;
}

/* One side: the pod at `self` (egress: the source; ingress: the
 * destination). */
static bool
rside(const struct rworld *w, int self, bool egress, int peer, uint32_t peer_ip,
      int dst, int proto, int port)
{
	bool isolated = false;
	int i, r;

	if (self < 0)
		return true;
	for (i = 0; i < w->npols; i++) {
		const struct rpol *p = &w->pols[i];
		const struct rpod *me = &w->pods[self];

		if (p->ns != me->ns || !rhas_type(p, egress) ||
		    !rsel_match(&p->sel, me->app, me->tier, false))
			continue;
		isolated = true;
		for (r = 0; r < (egress ? p->neg : p->ning); r++)
			if (rrule_match(w, p, egress ? &p->eg[r] : &p->ing[r],
					peer, peer_ip, dst, proto, port))
				return true;
	}
	return !isolated;
}

static uint32_t
rip(int pod)
{
	/* n0 pods 10.9.0.1-3, n1 pods 10.9.1.1-3 */
	return 0x0a090000u | (uint32_t)(pod / 3) << 8 | (uint32_t)(pod % 3 + 1);
}

static void
rsel_json(const struct rsel *s, bool ns, char *out, size_t n)
{
	const char *key = s->key == 0 ? (ns ? "team" : "app") : "tier";
	const char *val =
		s->key == 0 ? (ns ? teams : apps)[s->val] : tiers[s->val];
	static const char *const ops[] = {"",	   "",	     "In",
					  "NotIn", "Exists", "DoesNotExist"};

	if (s->kind == 0)
		snprintf(out, n, "{}");
	else if (s->kind == 1)
		snprintf(out, n, "{\"matchLabels\":{\"%s\":\"%s\"}}", key, val);
	else if (s->kind <= 3)
		snprintf(out, n,
			 "{\"matchExpressions\":[{\"key\":\"%s\",\"operator\":"
			 "\"%s\",\"values\":[\"%s\"]}]}",
			 key, ops[s->kind], val);
	else
		snprintf(out, n,
			 "{\"matchExpressions\":[{\"key\":\"%s\",\"operator\":"
			 "\"%s\"}]}",
			 key, ops[s->kind]);
}

static void
rsel_rand(unsigned *seed, struct rsel *s, bool ns)
{
	s->kind = rnd(seed, 6);
	s->key = ns ? 0 : rnd(seed, 2);
	s->val = 1 + rnd(seed, 2);
}

static size_t
rrule_json(unsigned *seed, struct rrule *r, bool egress, char *out, size_t n)
{
	static const char *const pj[] = {
		"{\"port\":80}",
		"{\"protocol\":\"UDP\",\"port\":53}",
		"{\"port\":\"http\"}",
		"{\"port\":70,\"endPort\":90}",
		"{\"protocol\":\"TCP\"}",
		"{\"protocol\":\"UDP\",\"port\":\"dns\"}"};
	static const char *const cj[] = {
		"{\"cidr\":\"10.9.0.0/16\",\"except\":[\"10.9.1.0/24\"]}",
		"{\"cidr\":\"10.9.1.0/24\"}", "{\"cidr\":\"0.0.0.0/0\"}"};
	size_t len = 0;
	int i;

	r->npeers = rnd(seed, 3);
	r->nports = rnd(seed, 3);
	len += (size_t)snprintf(out + len, n - len, "{\"%s\":[",
				egress ? "to" : "from");
	for (i = 0; i < r->npeers; i++) {
		struct rpeer *pe = &r->peers[i];
		char a[160], b[160];

		pe->kind = rnd(seed, 4);
		rsel_rand(seed, &pe->pod, false);
		rsel_rand(seed, &pe->ns, true);
		pe->cidr = rnd(seed, 3);
		rsel_json(&pe->pod, false, a, sizeof(a));
		rsel_json(&pe->ns, true, b, sizeof(b));
		len += (size_t)snprintf(out + len, n - len, "%s", i ? "," : "");
		if (pe->kind == 0)
			len += (size_t)snprintf(out + len, n - len,
						"{\"podSelector\":%s}", a);
		else if (pe->kind == 1)
			len += (size_t)snprintf(out + len, n - len,
						"{\"namespaceSelector\":%s}",
						b);
		else if (pe->kind == 2)
			len += (size_t)snprintf(out + len, n - len,
						"{\"podSelector\":%s,"
						"\"namespaceSelector\":%s}",
						a, b);
		else
			len += (size_t)snprintf(out + len, n - len,
						"{\"ipBlock\":%s}",
						cj[pe->cidr]);
	}
	len += (size_t)snprintf(out + len, n - len, "],\"ports\":[");
	for (i = 0; i < r->nports; i++) {
		r->ports[i].kind = rnd(seed, 6);
		len += (size_t)snprintf(out + len, n - len, "%s%s",
					i ? "," : "", pj[r->ports[i].kind]);
	}
	len += (size_t)snprintf(out + len, n - len, "]}");
	return len;
}

static struct kn_model *
rworld_make(unsigned *seed, struct rworld *w)
{
	struct kn_model *m = kn_model_new();
	int i, r;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < 2; i++) {
		char ns[16], l[64] = "";

		w->nsteam[i] = rnd(seed, 3);
		snprintf(ns, sizeof(ns), "n%d", i);
		if (w->nsteam[i])
			snprintf(l, sizeof(l), "\"team\":\"%s\"",
				 teams[w->nsteam[i]]);
		ns_put(m, ns, l);
	}
	for (i = 0; i < 6; i++) {
		struct rpod *p = &w->pods[i];
		char ns[16], name[16], ip[20], l[64] = "", ports[96] = "";
		uint32_t a = rip(i);

		p->ns = i / 3;
		p->app = rnd(seed, 3);
		p->tier = rnd(seed, 3);
		p->port = rnd(seed, 3);
		snprintf(ns, sizeof(ns), "n%d", p->ns);
		snprintf(name, sizeof(name), "p%d", i);
		snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a >> 24, a >> 16 & 255,
			 a >> 8 & 255, a & 255);
		if (p->app)
			snprintf(l, sizeof(l), "\"app\":\"%s\"", apps[p->app]);
		if (p->tier)
			snprintf(l + strlen(l), sizeof(l) - strlen(l),
				 "%s\"tier\":\"%s\"", p->app ? "," : "",
				 tiers[p->tier]);
		if (p->port == 1)
			snprintf(ports, sizeof(ports),
				 "{\"name\":\"http\",\"containerPort\":80}");
		else if (p->port == 2)
			snprintf(ports, sizeof(ports),
				 "{\"name\":\"dns\",\"containerPort\":53,"
				 "\"protocol\":\"UDP\"}");
		pod_put(m, ns, name, ip, l, ports);
	}
	w->npols = 1 + rnd(seed, 4);
	for (i = 0; i < w->npols; i++) {
		struct rpol *p = &w->pols[i];
		char spec[3000], sel[160], ns[16], name[16];
		size_t len;

		p->ns = rnd(seed, 2);
		rsel_rand(seed, &p->sel, false);
		p->types = rnd(seed, 4) - 1; /* -1 absent, 0 none?, 1..2 */
		if (p->types == 0)
			p->types = 3;
		rsel_json(&p->sel, false, sel, sizeof(sel));
		len = (size_t)snprintf(spec, sizeof(spec),
				       "{\"podSelector\":%s", sel);
		if (p->types > 0)
			len += (size_t)snprintf(
				spec + len, sizeof(spec) - len,
				",\"policyTypes\":[%s%s%s]",
				p->types & 1 ? "\"Ingress\"" : "",
				p->types == 3 ? "," : "",
				p->types & 2 ? "\"Egress\"" : "");
		p->ning = rnd(seed, 3);
		p->neg = rnd(seed, 3);
		len += (size_t)snprintf(spec + len, sizeof(spec) - len,
					",\"ingress\":[");
		for (r = 0; r < p->ning; r++) {
			if (r)
				spec[len++] = ',';
			len += rrule_json(seed, &p->ing[r], false, spec + len,
					  sizeof(spec) - len);
		}
		len += (size_t)snprintf(spec + len, sizeof(spec) - len,
					"],\"egress\":[");
		for (r = 0; r < p->neg; r++) {
			if (r)
				spec[len++] = ',';
			len += rrule_json(seed, &p->eg[r], true, spec + len,
					  sizeof(spec) - len);
		}
		snprintf(spec + len, sizeof(spec) - len, "]}");
		snprintf(ns, sizeof(ns), "n%d", p->ns);
		snprintf(name, sizeof(name), "np%d", i);
		np_put(m, ns, name, spec);
	}
	return m;
}

static void
test_property(void **state)
{
	static const struct {
		uint8_t proto;
		uint16_t port;
	} qs[] = {{KN_PROTO_TCP, 80},
		  {KN_PROTO_UDP, 53},
		  {KN_PROTO_TCP, 75},
		  {KN_PROTO_TCP, 443},
		  {KN_PROTO_SCTP, 80}};
	unsigned seed = 20261202u;
	size_t checks = 0, allowed = 0;
	int iter;

	(void)state;
	for (iter = 0; iter < 400; iter++) {
		struct rworld w;
		struct kn_model *m = rworld_make(&seed, &w);
		struct kn_policy_index *ix = kn_policy_index_new(m);
		const struct kn_pod *pods[7];
		int a, b, k;

		for (a = 0; a < 6; a++) {
			char ns[16], name[16];

			snprintf(ns, sizeof(ns), "n%d", a / 3);
			snprintf(name, sizeof(name), "p%d", a);
			pods[a] = pod(m, ns, name);
		}
		/* a or b == 6: the outside address 10.9.2.9 */
		for (a = 0; a < 7; a++)
			for (b = 0; b < 7; b++)
				for (k = 0; k < 5; k++) {
					struct kn_np_query q = {
						.port = qs[k].port,
						.proto = qs[k].proto};
					struct kn_np_answer ans;
					uint32_t ia = a < 6 ? rip(a)
							    : 0x0a090209u,
						 ib = b < 6 ? rip(b)
							    : 0x0a090209u;
					bool want;

					if (a == 6 && b == 6)
						continue;
					q.from.pod = a < 6 ? pods[a] : NULL;
					q.to.pod = b < 6 ? pods[b] : NULL;
					q.from.ip = a < 6 ? pods[a]->ips[0]
							  : tu_ip("10.9.2.9");
					q.to.ip = b < 6 ? pods[b]->ips[0]
							: tu_ip("10.9.2.9");
					want = rside(&w, a < 6 ? a : -1, true,
						     b < 6 ? b : -1, ib,
						     b < 6 ? b : -1,
						     qs[k].proto, qs[k].port) &&
					       rside(&w, b < 6 ? b : -1, false,
						     a < 6 ? a : -1, ia,
						     b < 6 ? b : -1,
						     qs[k].proto, qs[k].port);
					kn_np_evaluate(m, ix, &q, &ans);
					if (ans.allowed != want)
						fail_msg("seed iteration %d: "
							 "p%d -> p%d %s %u: "
							 "naive %d, evaluator "
							 "%d",
							 iter, a, b,
							 kn_proto_name(
								 qs[k].proto),
							 qs[k].port, want,
							 ans.allowed);
					allowed += want;
					checks++;
					kn_np_answer_release(&ans);
				}
		kn_policy_index_free(ix);
		kn_model_free(m);
	}
	print_message("property: %zu answers agree (%zu allowed)\n", checks,
		      allowed);
	/* Both outcomes are well represented. */
	assert_true(allowed > checks / 10 && allowed < checks * 9 / 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selector),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_default_deny_and_named_port),
		cmocka_unit_test(test_egress_forgets_dns),
		cmocka_unit_test(test_ipblock),
		cmocka_unit_test(test_flow),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_conformance),
		cmocka_unit_test(test_cyclonus),
		cmocka_unit_test(test_property),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
