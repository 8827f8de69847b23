/* Unit tests of the cluster model: decoding, indexes, DNS records,
 * ingress chains, service problems, incremental updates and relists. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "k8snet/model.h"
#include "objdecode.h"
#include "snapshot.h"
#include "testutil.h"

static struct kn_model *
fixture(void)
{
	struct kn_model *m = kn_model_new();

	tu_model_load(m, "pods.json");
	tu_model_load(m, "services.json");
	tu_model_load(m, "endpointslices.json");
	tu_model_load(m, "endpoints.json");
	tu_model_load(m, "mixed.json");
	return m;
}

/* Is there a record name/type/value? */
static bool
has_rec(const struct kn_dnsrecs *r, const char *name, enum kn_rr type,
	const char *value)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].name, name) == 0 && r->v[i].type == type &&
		    strcmp(r->v[i].value, value) == 0)
			return true;
	return false;
}

static size_t
count_type(const struct kn_dnsrecs *r, enum kn_rr type)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->v[i].type == type;
	return n;
}

static const struct kn_service *
svc(struct kn_model *m, const char *name)
{
	const struct kn_service *s = (const struct kn_service *)kn_model_find(
		m, KN_SERVICE, "web", name);

	assert_non_null(s);
	return s;
}

static void
test_decode_pod(void **state)
{
	struct kn_model *m = fixture();
	const struct kn_pod *p;
	char b[KN_IPSTR];

	(void)state;
	p = (const struct kn_pod *)kn_model_find(m, KN_POD, "web",
						 "api-6d4cf56db6-2xkq9");
	assert_non_null(p);
	assert_int_equal(p->nips, 2);
	assert_string_equal(kn_ipaddr_format(&p->ips[1], b, sizeof(b)),
			    "fd00:42::1:5");
	assert_string_equal(p->node, "node-a");
	assert_true(p->ready);
	assert_int_equal(p->nports, 1);
	assert_string_equal(p->ports[0].name, "http");
	assert_int_equal(p->ports[0].port, 8080);
	p = (const struct kn_pod *)kn_model_find(m, KN_POD, "web",
						 "api-6d4cf56db6-8fzvw");
	assert_false(p->ready);
	assert_string_equal(p->status, "CrashLoopBackOff");
	assert_int_equal(p->restarts, 3);
	/* Interned: equal strings are one pointer. */
	assert_ptr_equal(p->o.ns,
			 kn_model_find(m, KN_SERVICE, "web", "api")->ns);
	assert_int_equal(kn_model_count(m, KN_POD), 6);
	assert_int_equal(kn_model_unknown(m), 1); /* the Deployment */
	kn_model_free(m);
}

static void
test_ip_owner_and_namer(void **state)
{
	struct kn_model *m = fixture();
	struct kn_ipaddr ip;
	char buf[128];

	(void)state;
	kn_ipaddr_parse("10.43.0.20", &ip);
	assert_string_equal(kn_model_name_ip(m, &ip, buf, sizeof(buf)),
			    "web/api");
	kn_ipaddr_parse("fd00:43::20", &ip);
	assert_string_equal(kn_model_name_ip(m, &ip, buf, sizeof(buf)),
			    "web/api");
	kn_ipaddr_parse("10.42.1.5", &ip);
	assert_string_equal(kn_model_name_ip(m, &ip, buf, sizeof(buf)),
			    "web/api-6d4cf56db6-2xkq9");
	/* The hostNetwork pod shares the node address: the node names it. */
	kn_ipaddr_parse("192.168.10.11", &ip);
	assert_string_equal(kn_model_name_ip(m, &ip, buf, sizeof(buf)),
			    "node/node-a");
	kn_ipaddr_parse("198.51.100.11", &ip);
	assert_string_equal(kn_model_name_ip(m, &ip, buf, sizeof(buf)),
			    "node/node-a");
	kn_ipaddr_parse("203.0.113.10", &ip);
	assert_string_equal(kn_model_name_ip(m, &ip, buf, sizeof(buf)),
			    "web/public");
	kn_ipaddr_parse("10.1.2.3", &ip);
	assert_null(kn_model_name_ip(m, &ip, buf, sizeof(buf)));
	kn_model_free(m);
}

static void
test_dns_clusterip(void **state)
{
	struct kn_model *m = fixture();
	struct kn_dnsrecs r = {0};

	(void)state;
	assert_string_equal(kn_model_cluster_domain(m), "corp.internal");
	kn_model_service_dns(m, svc(m, "api"), &r);
	assert_true(has_rec(&r, "api.web.svc.corp.internal.", KN_RR_A,
			    "10.43.0.20"));
	assert_true(has_rec(&r, "api.web.svc.corp.internal.", KN_RR_AAAA,
			    "fd00:43::20"));
	assert_true(has_rec(&r, "_http._tcp.api.web.svc.corp.internal.",
			    KN_RR_SRV, "0 100 80 api.web.svc.corp.internal."));
	assert_true(has_rec(&r, "_admin._tcp.api.web.svc.corp.internal.",
			    KN_RR_SRV,
			    "0 100 9000 api.web.svc.corp.internal."));
	assert_true(has_rec(&r, "20.0.43.10.in-addr.arpa.", KN_RR_PTR,
			    "api.web.svc.corp.internal."));
	assert_true(has_rec(&r,
			    "0.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
			    "0.0.3.4.0.0.0.0.d.f.ip6.arpa.",
			    KN_RR_PTR, "api.web.svc.corp.internal."));
	/* Only the ready endpoint answers a PTR. */
	assert_true(has_rec(&r, "5.1.42.10.in-addr.arpa.", KN_RR_PTR,
			    "10-42-1-5.api.web.svc.corp.internal."));
	assert_false(has_rec(&r, "7.2.42.10.in-addr.arpa.", KN_RR_PTR,
			     "10-42-2-7.api.web.svc.corp.internal."));
	/* No endpoint A records for a ClusterIP service. */
	assert_int_equal(count_type(&r, KN_RR_A), 1);
	kn_dnsrecs_clear(&r);
	/* Unnamed ports have no SRV. */
	kn_model_service_dns(m, svc(m, "worker"), &r);
	assert_int_equal(count_type(&r, KN_RR_SRV), 0);
	kn_dnsrecs_clear(&r);
	kn_model_free(m);
}

static void
test_dns_headless(void **state)
{
	struct kn_model *m = fixture();
	struct kn_dnsrecs r = {0};

	(void)state;
	kn_model_service_dns(m, svc(m, "db"), &r);
	assert_true(
		has_rec(&r, "db.web.svc.corp.internal.", KN_RR_A, "10.42.1.9"));
	assert_true(
		has_rec(&r, "db.web.svc.corp.internal.", KN_RR_A, "10.42.2.9"));
	/* db-2 is not ready: not served. */
	assert_false(
		has_rec(&r, "db.web.svc.corp.internal.", KN_RR_A, "10.42.3.3"));
	assert_false(has_rec(&r, "db-2.db.web.svc.corp.internal.", KN_RR_A,
			     "10.42.3.3"));
	assert_true(has_rec(&r, "db-0.db.web.svc.corp.internal.", KN_RR_A,
			    "10.42.1.9"));
	assert_true(has_rec(&r, "db-1.db.web.svc.corp.internal.", KN_RR_A,
			    "10.42.2.9"));
	assert_true(has_rec(&r, "_pg._tcp.db.web.svc.corp.internal.", KN_RR_SRV,
			    "0 50 5432 db-0.db.web.svc.corp.internal."));
	assert_true(has_rec(&r, "_pg._tcp.db.web.svc.corp.internal.", KN_RR_SRV,
			    "0 50 5432 db-1.db.web.svc.corp.internal."));
	assert_true(has_rec(&r, "9.1.42.10.in-addr.arpa.", KN_RR_PTR,
			    "db-0.db.web.svc.corp.internal."));
	kn_dnsrecs_clear(&r);
	kn_model_free(m);
}

static void
test_dns_externalname_and_pods(void **state)
{
	struct kn_model *m = fixture();
	struct kn_dnsrecs r = {0};
	const struct kn_pod *p;

	(void)state;
	kn_model_service_dns(m, svc(m, "legacy"), &r);
	assert_int_equal(r.n, 1);
	assert_true(has_rec(&r, "legacy.web.svc.corp.internal.", KN_RR_CNAME,
			    "legacy.example.org."));
	kn_dnsrecs_clear(&r);
	p = (const struct kn_pod *)kn_model_find(m, KN_POD, "web",
						 "api-6d4cf56db6-2xkq9");
	kn_model_pod_dns(m, p, &r);
	assert_true(has_rec(&r, "10-42-1-5.web.pod.corp.internal.", KN_RR_A,
			    "10.42.1.5"));
	assert_true(has_rec(&r, "fd00-42--1-5.web.pod.corp.internal.",
			    KN_RR_AAAA, "fd00:42::1:5"));
	kn_dnsrecs_clear(&r);
	/* hostNetwork pods get no pod record. */
	p = (const struct kn_pod *)kn_model_find(m, KN_POD, "web", "agent-x1");
	kn_model_pod_dns(m, p, &r);
	assert_int_equal(r.n, 0);
	kn_model_free(m);
}

static void
test_cluster_domain_fallbacks(void **state)
{
	struct kn_model *m = kn_model_new();
	struct kn_coredns info;

	(void)state;
	assert_string_equal(kn_model_cluster_domain(m), "cluster.local");
	kn_model_set_default_domain(m, "example.internal");
	assert_string_equal(kn_model_cluster_domain(m), "example.internal");
	tu_model_load(m, "mixed.json");
	assert_string_equal(kn_model_cluster_domain(m), "corp.internal");
	kn_model_coredns(m, &info);
	assert_true(info.from_corefile);
	assert_int_equal(info.forwarders.n, 2);
	assert_string_equal(info.forwarders.v[0], "10.0.0.2");
	assert_string_equal(info.forwarders.v[1], "10.0.0.3");
	kn_coredns_release(&info);
	kn_model_free(m);
}

static const struct kn_ing_path *
find_path(const struct kn_ingress *ing, const char *path, size_t *idx)
{
	size_t i;

	for (i = 0; i < ing->npaths; i++)
		if (ing->paths[i].path != NULL &&
		    strcmp(ing->paths[i].path, path) == 0) {
			*idx = i;
			return &ing->paths[i];
		}
	fail_msg("no path %s", path);
	return NULL;
}

static void
test_ingress_chains(void **state)
{
	struct kn_model *m = fixture();
	const struct kn_ingress *ing;
	struct kn_ing_chain c;
	size_t i = 0; /* gcc cannot see that find_path never returns unset */

	(void)state;
	ing = (const struct kn_ingress *)kn_model_find(m, KN_INGRESS, "web",
						       "site");
	assert_non_null(ing);
	find_path(ing, "/api", &i);
	kn_model_ingress_chain(m, ing, i, &c);
	assert_int_equal(c.status, KN_ING_OK);
	assert_string_equal(c.class_name, "nginx");
	assert_string_equal(c.controller, "k8s.io/ingress-nginx");
	assert_non_null(c.port);
	assert_int_equal(c.port->port, 80); /* by name "http" */
	assert_int_equal(c.endpoints.ready, 1);
	assert_int_equal(c.endpoints.not_ready, 1);
	assert_true(ing->paths[i].tls); /* *.example.com */
	find_path(ing, "/admin", &i);
	kn_model_ingress_chain(m, ing, i, &c);
	assert_int_equal(c.status, KN_ING_OK);
	assert_int_equal(c.port->port, 9000);
	find_path(ing, "/grpc", &i);
	kn_model_ingress_chain(m, ing, i, &c);
	assert_int_equal(c.status, KN_ING_PORT_MISSING);
	find_path(ing, "/old", &i);
	kn_model_ingress_chain(m, ing, i, &c);
	assert_int_equal(c.status, KN_ING_SERVICE_MISSING);
	assert_null(c.service);
	find_path(ing, "/ghost", &i);
	kn_model_ingress_chain(m, ing, i, &c);
	assert_int_equal(c.status, KN_ING_NO_ENDPOINTS);
	assert_string_equal(kn_ing_status_name(c.status), "no-endpoints");
	/* No class named: the default IngressClass applies. */
	ing = (const struct kn_ingress *)kn_model_find(m, KN_INGRESS, "web",
						       "fallback");
	assert_int_equal(ing->npaths, 1);
	assert_true(ing->paths[0].is_default);
	kn_model_ingress_chain(m, ing, 0, &c);
	assert_string_equal(c.class_name, "traefik");
	assert_string_equal(c.controller, "traefik.io/ingress-controller");
	assert_int_equal(c.status, KN_ING_OK); /* ExternalName backend */
	kn_model_free(m);
}

static bool
has_problem(struct kn_model *m, const char *name, const char *text)
{
	struct kn_strs s = {0};
	bool found = false;
	size_t i;

	kn_model_service_problems(m, svc(m, name), &s);
	for (i = 0; i < s.n; i++)
		found |= strcmp(s.v[i], text) == 0;
	kn_strs_clear(&s);
	return found;
}

static void
test_service_problems(void **state)
{
	struct kn_model *m = fixture();
	struct kn_strs s = {0};

	(void)state;
	assert_true(has_problem(m, "ghost", "selector matches no pods"));
	assert_true(has_problem(m, "ghost", "no ready endpoints"));
	assert_true(has_problem(m, "worker",
				"targetPort \"metrics-port\" "
				"not exposed by any selected pod"));
	assert_true(has_problem(m, "api",
				"targetPort 9000 not exposed by "
				"any selected pod"));
	assert_false(has_problem(m, "api", "no ready endpoints"));
	kn_model_service_problems(m, svc(m, "db"), &s);
	assert_int_equal(s.n, 0);
	kn_model_service_problems(m, svc(m, "legacy"), &s);
	assert_int_equal(s.n, 0);
	kn_model_free(m);
}

static void
test_selectors_and_endpoints(void **state)
{
	struct kn_model *m = fixture();
	struct kn_label sel[2];
	struct kn_pod **pods;
	struct kn_slice *const *sl;
	struct kn_ep_count c;
	size_t n;

	(void)state;
	sel[0].key = kn_model_intern(m, "app");
	sel[0].value = kn_model_intern(m, "api");
	sel[1].key = kn_model_intern(m, "tier");
	sel[1].value = kn_model_intern(m, "backend");
	n = kn_model_select_pods(m, "web", sel, 2, &pods);
	assert_int_equal(n, 2);
	free(pods);
	sel[1].value = kn_model_intern(m, "frontend");
	n = kn_model_select_pods(m, "web", sel, 2, &pods);
	assert_int_equal(n, 0);
	free(pods);
	n = kn_model_select_pods(m, "other", sel, 1, &pods);
	assert_int_equal(n, 0);
	/* Slices win over Endpoints; Endpoints serve when no slice exists. */
	n = kn_model_service_slices(m, svc(m, "api"), &sl);
	assert_int_equal(n, 2);
	assert_int_equal(sl[0]->o.kind, KN_SLICE);
	c = kn_model_service_endpoints(m, svc(m, "api"));
	assert_int_equal(c.ready, 1); /* the IPv6 slice is not counted */
	assert_int_equal(c.not_ready, 1);
	n = kn_model_service_slices(m, svc(m, "manual"), &sl);
	assert_int_equal(n, 1);
	assert_int_equal(sl[0]->o.kind, KN_ENDPOINTS);
	c = kn_model_service_endpoints(m, svc(m, "manual"));
	assert_int_equal(c.ready, 1);
	assert_int_equal(c.not_ready, 1);
	assert_int_equal(kn_model_node_pods(m, "node-b"), 3);
	assert_string_equal(kn_model_cni(m), "flannel");
	kn_model_free(m);
}

/* EndpointSlice conditions: ready, serving (also while terminating),
 * terminating, counted apart. */
static void
test_endpoint_conditions(void **state)
{
	struct kn_model *m = kn_model_new();
	struct kn_ep_count c;

	(void)state;
	tu_model_put(m, "{\"kind\":\"Service\",\"metadata\":{\"name\":\"t\","
			"\"namespace\":\"x\"},\"spec\":{\"clusterIP\":"
			"\"10.96.0.9\",\"selector\":{\"app\":\"t\"},"
			"\"ports\":[{\"port\":80}]}}");
	tu_model_put(m, "{\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":"
			"\"t-1\",\"namespace\":\"x\",\"labels\":{"
			"\"kubernetes.io/service-name\":\"t\"}},"
			"\"addressType\":\"IPv4\",\"endpoints\":["
			"{\"addresses\":[\"10.0.0.1\"],\"conditions\":"
			"{\"ready\":true,\"serving\":true}},"
			"{\"addresses\":[\"10.0.0.2\"],\"conditions\":"
			"{\"ready\":false,\"serving\":true,"
			"\"terminating\":true}},"
			"{\"addresses\":[\"10.0.0.3\"],\"conditions\":"
			"{\"ready\":false,\"serving\":false}}],"
			"\"ports\":[{\"port\":80}]}");
	c = kn_model_service_endpoints(
		m, (const struct kn_service *)kn_model_find(m, KN_SERVICE, "x",
							    "t"));
	assert_int_equal(c.ready, 1);
	assert_int_equal(c.not_ready, 2);
	assert_int_equal(c.serving, 2);
	assert_int_equal(c.terminating, 1);
	kn_model_free(m);
}

/* kube-proxy takes a slice's endpoints for a service port only when the
 * slice carries that port (by name): the controller leaves out a port it
 * cannot resolve on the pods, and a slice with "ports": [] serves none. */
static void
test_endpoints_by_port(void **state)
{
	struct kn_model *m = kn_model_new();
	const struct kn_service *s;
	struct kn_ep_count c;

	(void)state;
	tu_model_put(m, "{\"kind\":\"Service\",\"metadata\":{\"name\":\"c\","
			"\"namespace\":\"x\"},\"spec\":{\"clusterIP\":"
			"\"10.96.0.9\",\"selector\":{\"app\":\"c\"},"
			"\"ports\":[{\"name\":\"http\",\"port\":80,"
			"\"targetPort\":\"web\"},{\"name\":\"admin\","
			"\"port\":81}]}}");
	tu_model_put(m, "{\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":"
			"\"c-1\",\"namespace\":\"x\",\"labels\":{"
			"\"kubernetes.io/service-name\":\"c\"}},"
			"\"addressType\":\"IPv4\",\"endpoints\":["
			"{\"addresses\":[\"10.0.0.1\"]},"
			"{\"addresses\":[\"10.0.0.2\"]}],\"ports\":[]}");
	s = (const struct kn_service *)kn_model_find(m, KN_SERVICE, "x", "c");
	c = kn_model_service_endpoints(m, s);
	assert_int_equal(c.ready, 0);
	assert_int_equal(c.not_ready, 0);
	tu_model_put(m, "{\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":"
			"\"c-2\",\"namespace\":\"x\",\"labels\":{"
			"\"kubernetes.io/service-name\":\"c\"}},"
			"\"addressType\":\"IPv4\",\"endpoints\":["
			"{\"addresses\":[\"10.0.0.3\"]}],\"ports\":"
			"[{\"name\":\"admin\",\"port\":8081}]}");
	s = (const struct kn_service *)kn_model_find(m, KN_SERVICE, "x", "c");
	c = kn_model_service_endpoints(m, s);
	assert_int_equal(c.ready, 1);
	c = kn_model_service_port_endpoints(m, s, &s->ports[1]);
	assert_int_equal(c.ready, 1);
	c = kn_model_service_port_endpoints(m, s, &s->ports[0]);
	assert_int_equal(c.ready, 0);
	/* A service without ports counts every slice. */
	tu_model_put(m, "{\"kind\":\"Service\",\"metadata\":{\"name\":\"c\","
			"\"namespace\":\"x\"},\"spec\":{\"clusterIP\":"
			"\"None\",\"selector\":{\"app\":\"c\"}}}");
	s = (const struct kn_service *)kn_model_find(m, KN_SERVICE, "x", "c");
	c = kn_model_service_endpoints(m, s);
	assert_int_equal(c.ready, 3);
	kn_model_free(m);
}

#define POD_JSON                                                               \
	"{\"metadata\":{\"name\":\"p1\",\"namespace\":\"ns\",\"labels\":"      \
	"{\"app\":\"%s\"}},\"spec\":{\"nodeName\":\"n1\",\"containers\":[{"    \
	"\"name\":\"c\",\"ports\":[{\"name\":\"http\",\"containerPort\":80}]}" \
	"]},"                                                                  \
	"\"status\":{\"phase\":\"Running\",\"podIP\":\"%s\"}}"

static void
put_pod(struct kn_model *m, const char *app, const char *ip)
{
	char json[512];

	snprintf(json, sizeof(json), POD_JSON, app, ip);
	assert_int_equal(tu_model_apply(m, KN_EV_MODIFIED, "Pod", json), KN_OK);
}

static void
test_incremental(void **state)
{
	struct kn_model *m = kn_model_new();
	struct kn_label sel;
	struct kn_pod **pods;
	struct kn_ipaddr ip;
	char buf[64];
	uint64_t v;
	size_t n;

	(void)state;
	assert_int_equal(
		tu_model_apply(
			m, KN_EV_ADDED, "Service",
			"{\"metadata\":{\"name\":\"s\",\"namespace\":\"ns\"},"
			"\"spec\":"
			"{\"clusterIP\":\"10.0.0.9\",\"selector\":{\"app\":"
			"\"a\"},"
			"\"ports\":[{\"port\":80,\"targetPort\":\"http\"}]}}"),
		KN_OK);
	put_pod(m, "a", "10.1.0.1");
	sel.key = kn_model_intern(m, "app");
	sel.value = kn_model_intern(m, "a");
	n = kn_model_select_pods(m, "ns", &sel, 1, &pods);
	assert_int_equal(n, 1);
	free(pods);
	/* Relabel and readdress: the old label and IP index entries go. */
	v = kn_model_version(m);
	put_pod(m, "b", "10.1.0.2");
	assert_true(kn_model_version(m) > v);
	n = kn_model_select_pods(m, "ns", &sel, 1, &pods);
	assert_int_equal(n, 0);
	{
		struct kn_strs pr = {0};

		kn_model_service_problems(
			m,
			(const struct kn_service *)kn_model_find(m, KN_SERVICE,
								 "ns", "s"),
			&pr);
		assert_true(pr.n >= 1);
		assert_string_equal(pr.v[0], "selector matches no pods");
		kn_strs_clear(&pr);
	}
	kn_ipaddr_parse("10.1.0.1", &ip);
	assert_null(kn_model_name_ip(m, &ip, buf, sizeof(buf)));
	kn_ipaddr_parse("10.1.0.2", &ip);
	assert_string_equal(kn_model_name_ip(m, &ip, buf, sizeof(buf)),
			    "ns/p1");
	assert_int_equal(kn_model_count(m, KN_POD), 1);
	assert_int_equal(kn_model_node_pods(m, "n1"), 1);
	/* Delete: every index forgets it. */
	assert_int_equal(tu_model_apply(m, KN_EV_DELETED, "Pod",
					"{\"metadata\":{\"name\":\"p1\","
					"\"namespace\":\"ns\"}}"),
			 KN_OK);
	assert_int_equal(kn_model_count(m, KN_POD), 0);
	assert_null(kn_model_name_ip(m, &ip, buf, sizeof(buf)));
	assert_int_equal(kn_model_node_pods(m, "n1"), 0);
	kn_ipaddr_parse("10.0.0.9", &ip);
	assert_string_equal(kn_model_name_ip(m, &ip, buf, sizeof(buf)), "ns/s");
	assert_int_equal(
		tu_model_apply(
			m, KN_EV_DELETED, "Service",
			"{\"metadata\":{\"name\":\"s\",\"namespace\":\"ns\"}}"),
		KN_OK);
	assert_null(kn_model_name_ip(m, &ip, buf, sizeof(buf)));
	kn_model_free(m);
}

/* Views that read pods but not their labels can tell the two apart. */
static void
test_kind_versions(void **state)
{
	struct kn_model *m = kn_model_new();
	const struct kn_pod *held;
	struct kn_label sel;
	struct kn_pod **pods;
	uint64_t pv, lv, sv;

	(void)state;
	put_pod(m, "a", "10.1.0.1");
	pv = kn_model_kind_version(m, KN_POD);
	lv = kn_model_pod_labels_version(m);
	sv = kn_model_kind_version(m, KN_SERVICE);
	assert_true(pv > 0);
	held = (const struct kn_pod *)kn_model_find(m, KN_POD, "ns", "p1");
	put_pod(m, "b", "10.1.0.1"); /* labels alone */
	assert_int_equal(kn_model_kind_version(m, KN_POD), pv);
	assert_true(kn_model_pod_labels_version(m) > lv);
	/* The pod keeps its address (rows of the views hold it), with the
	 * new labels indexed; twice, so the first labels' block is freed. */
	assert_ptr_equal(kn_model_find(m, KN_POD, "ns", "p1"), held);
	put_pod(m, "c", "10.1.0.1");
	assert_ptr_equal(kn_model_find(m, KN_POD, "ns", "p1"), held);
	assert_string_equal(held->labels[0].value, "c");
	sel.key = kn_model_intern(m, "app");
	sel.value = kn_model_intern(m, "c");
	assert_int_equal(kn_model_select_pods(m, "ns", &sel, 1, &pods), 1);
	free(pods);
	sel.value = kn_model_intern(m, "b");
	assert_int_equal(kn_model_select_pods(m, "ns", &sel, 1, &pods), 0);
	free(pods);
	lv = kn_model_pod_labels_version(m);
	put_pod(m, "b", "10.1.0.2"); /* the address */
	assert_true(kn_model_kind_version(m, KN_POD) > pv);
	assert_int_equal(kn_model_pod_labels_version(m), lv);
	pv = kn_model_kind_version(m, KN_POD);
	assert_int_equal(tu_model_apply(m, KN_EV_DELETED, "Pod",
					"{\"metadata\":{\"name\":\"p1\","
					"\"namespace\":\"ns\"}}"),
			 KN_OK);
	assert_true(kn_model_kind_version(m, KN_POD) > pv);
	assert_int_equal(kn_model_kind_version(m, KN_SERVICE), sv);
	kn_model_free(m);
}

static void
test_relist(void **state)
{
	struct kn_model *m = kn_model_new();
	char name[32], json[512];
	int i;

	(void)state;
	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		snprintf(json, sizeof(json),
			 "{\"metadata\":{\"name\":\"%s\","
			 "\"namespace\":\"ns\"},\"status\":{\"podIP\":"
			 "\"10.2.0.%d\"}}",
			 name, i + 1);
		assert_int_equal(tu_model_apply(m, KN_EV_ADDED, "Pod", json),
				 KN_OK);
	}
	kn_objdecode_list_begin(m, "Pod");
	for (i = 0; i < 50; i += 2) {
		snprintf(name, sizeof(name), "p%d", i);
		snprintf(json, sizeof(json),
			 "{\"metadata\":{\"name\":\"%s\","
			 "\"namespace\":\"ns\"},\"status\":{\"podIP\":"
			 "\"10.2.0.%d\"}}",
			 name, i + 1);
		assert_int_equal(tu_model_apply(m, KN_EV_ADDED, "Pod", json),
				 KN_OK);
	}
	kn_objdecode_list_end(m, "Pod");
	assert_int_equal(kn_model_count(m, KN_POD), 25);
	assert_non_null(kn_model_find(m, KN_POD, "ns", "p48"));
	assert_null(kn_model_find(m, KN_POD, "ns", "p49"));
	kn_model_free(m);
}

static void
test_bad_objects(void **state)
{
	struct kn_model *m = kn_model_new();
	char eb[KN_ERRBUF], path[512];
	struct kn_snapshot_stats st;
	enum kn_err e;
	FILE *f;

	(void)state;
	/* A wrong type names its path and changes nothing. */
	e = tu_model_apply(m, KN_EV_ADDED, "Service",
			   "{\"metadata\":{\"name\":\"x\"},\"spec\":{\"ports\":"
			   "[{\"port\":80},{\"port\":\"http\"}]}}");
	assert_int_equal(e, KN_ERR_PARSE);
	assert_int_equal(kn_model_count(m, KN_SERVICE), 0);
	{
		cJSON *o = cJSON_Parse("{\"metadata\":{\"name\":\"x\"},"
				       "\"spec\":{\"ports\":[{\"port\":80},"
				       "{\"port\":\"http\"}]}}");

		kn_objdecode_apply(m, KN_EV_ADDED, "Service", o, eb);
		assert_non_null(strstr(eb, "spec.ports[1].port"));
		cJSON_Delete(o);
	}
	assert_int_equal(tu_model_apply(m, KN_EV_ADDED, "Pod", "{\"spec\":{}}"),
			 KN_ERR_PARSE);
	assert_int_equal(tu_model_apply(m, KN_EV_ADDED, "Widget",
					"{\"metadata\":{\"name\":\"w\"}}"),
			 KN_OK);
	assert_int_equal(kn_model_unknown(m), 1);

	memset(&st, 0, sizeof(st));
	snprintf(path, sizeof(path), "%s/snapshots/one-bad-object.json",
		 KN_TEST_DATA);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(kn_snapshot_load_file(m, f, "one-bad-object.json", &st,
					       NULL, NULL, eb),
			 KN_OK);
	fclose(f);
	assert_int_equal(st.objects, 3);
	assert_int_equal(st.bad, 1);
	assert_int_equal(kn_model_count(m, KN_SERVICE), 2);

	snprintf(path, sizeof(path), "%s/snapshots/truncated.json",
		 KN_TEST_DATA);
	f = fopen(path, "rb");
	assert_non_null(f);
	e = kn_snapshot_load_file(m, f, "truncated.json", &st, NULL, NULL, eb);
	fclose(f);
	assert_int_equal(e, KN_ERR_PARSE);
	assert_non_null(strstr(eb, "truncated.json: byte offset"));

	e = kn_snapshot_load_mem(m, "[1,2]", 5, "arr.json", &st, NULL, NULL,
				 eb);
	assert_int_equal(e, KN_ERR_PARSE);
	assert_non_null(strstr(eb, "arr.json: byte offset 0"));
	e = kn_snapshot_load_mem(m, "{\"items\":[{\"kind\":\"Pod\",}]}", 27,
				 "syn.json", &st, NULL, NULL, eb);
	assert_int_equal(e, KN_OK); /* the bad item is skipped */
	kn_model_free(m);
}

static void
test_single_object_and_concatenated(void **state)
{
	struct kn_model *m = kn_model_new();
	struct kn_snapshot_stats st;
	char eb[KN_ERRBUF];
	const char *doc =
		"{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}}\n"
		"{\"kind\":\"NamespaceList\",\"items\":[{\"metadata\":"
		"{\"name\":\"b\"}}]}";

	(void)state;
	memset(&st, 0, sizeof(st));
	assert_int_equal(kn_snapshot_load_mem(m, doc, strlen(doc), "x", &st,
					      NULL, NULL, eb),
			 KN_OK);
	assert_int_equal(kn_model_count(m, KN_NAMESPACE), 2);
	assert_non_null(kn_model_find(m, KN_NAMESPACE, "", "b"));
	kn_model_free(m);
}

/* The model's own byte count stays under 600 bytes per pod for pods as
 * a Deployment makes them (with their EndpointSlices). */
static void
test_bytes_per_pod(void **state)
{
	struct kn_model *m = kn_model_new();
	char json[2048];
	size_t i, n = 20000;
	double per;

	(void)state;
	for (i = 0; i < n; i++) {
		snprintf(json, sizeof(json),
			 "{\"metadata\":{\"name\":\"app%zu-5d8f7c9b6-%05zx\","
			 "\"namespace\":\"ns%zu\",\"uid\":\"%08zx-1c2d-4e5f-"
			 "8a9b-0c1d2e3f4a5b\",\"labels\":{\"app\":\"app%zu\","
			 "\"pod-template-hash\":\"5d8f7c9b6\",\"team\":\"t%zu\""
			 "},\"ownerReferences\":[{\"kind\":\"ReplicaSet\","
			 "\"name\":\"app%zu-5d8f7c9b6\",\"controller\":true}]},"
			 "\"spec\":{\"nodeName\":\"node-%zu\",\"containers\":"
			 "[{\"name\":\"app\",\"ports\":[{\"name\":\"http\","
			 "\"containerPort\":8080}]}]},\"status\":{\"phase\":"
			 "\"Running\",\"podIP\":\"10.%zu.%zu.%zu\",\"hostIP\":"
			 "\"192.168.%zu.%zu\",\"conditions\":[{\"type\":"
			 "\"Ready\",\"status\":\"True\"}],\"containerStatuses\""
			 ":[{\"name\":\"app\",\"ready\":true,\"restartCount\":"
			 "0}]}}",
			 i / 10, i, i / 1000, i, i / 10, i % 50, i / 10,
			 i % 100, (i >> 16) & 255, (i >> 8) & 255, i & 255,
			 i % 100, i % 250);
		assert_int_equal(tu_model_apply(m, KN_EV_ADDED, "Pod", json),
				 KN_OK);
	}
	per = (double)kn_model_bytes(m) / (double)n;
	print_message("model: %.0f bytes per pod\n", per);
	assert_true(per < 600.0);
	kn_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_pod),
		cmocka_unit_test(test_ip_owner_and_namer),
		cmocka_unit_test(test_dns_clusterip),
		cmocka_unit_test(test_dns_headless),
		cmocka_unit_test(test_dns_externalname_and_pods),
		cmocka_unit_test(test_cluster_domain_fallbacks),
		cmocka_unit_test(test_ingress_chains),
		cmocka_unit_test(test_service_problems),
		cmocka_unit_test(test_selectors_and_endpoints),
		cmocka_unit_test(test_endpoint_conditions),
		cmocka_unit_test(test_endpoints_by_port),
		cmocka_unit_test(test_incremental),
		cmocka_unit_test(test_kind_versions),
		cmocka_unit_test(test_relist),
		cmocka_unit_test(test_bad_objects),
		cmocka_unit_test(test_single_object_and_concatenated),
		cmocka_unit_test(test_bytes_per_pod),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
