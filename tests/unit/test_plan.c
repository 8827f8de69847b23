/* Unit tests of manifests planned into the model (src/plan): the seed
 * example with and without its backend, one manifest per finding under
 * tests/data/manifests/findings, placement, addresses and names, planning
 * on top of a cluster, and files that cannot be read. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "k8snet/model.h"
#include "k8snet/plan.h"
#include "k8snet/policy.h"
#include "snapshot.h"
#include "testutil.h"

#define MF KN_TEST_DATA "/manifests/"

struct fx {
	struct kn_model *m;
	struct kn_plan *p;
	struct kn_findings f;
	char eb[KN_ERRBUF];
};

static void
fx_init(struct fx *x, const char *ns)
{
	memset(x, 0, sizeof(*x));
	x->m = kn_model_new();
	x->p = kn_plan_new(ns);
}

static void
fx_release(struct fx *x)
{
	kn_findings_clear(&x->f);
	kn_plan_free(x->p);
	kn_model_free(x->m);
}

/* The YAML snapshot base-cluster.yaml as the source. */
static void
fx_base(struct fx *x)
{
	struct kn_snapshot_stats st = {0};
	size_t len;
	char *text = tu_data("manifests/base-cluster.yaml", &len);

	assert_int_equal(kn_snapshot_load_yaml(x->m, text, len, "base", &st,
					       NULL, NULL, x->eb),
			 KN_OK);
	assert_int_equal(st.bad, 0);
	free(text);
}

static void
fx_add(struct fx *x, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), MF "%s", rel);
	assert_int_equal(kn_plan_add_path(x->p, path, x->eb), KN_OK);
}

static void
fx_text(struct fx *x, const char *name, const char *text)
{
	assert_int_equal(
		kn_plan_add_text(x->p, name, text, strlen(text), x->eb), KN_OK);
}

static void
fx_apply(struct fx *x)
{
	enum kn_err e = kn_plan_apply(x->p, x->m, x->eb);

	if (e != KN_OK)
		fail_msg("apply: %s", x->eb);
	kn_findings_clear(&x->f);
	kn_plan_check(x->p, x->m, &x->f);
}

static size_t
count_check(const struct fx *x, const char *check)
{
	size_t i, n = 0;

	for (i = 0; i < x->f.n; i++)
		n += strcmp(x->f.v[i].check, check) == 0;
	return n;
}

static const struct kn_finding *
find_check(const struct fx *x, const char *check)
{
	size_t i;

	for (i = 0; i < x->f.n; i++)
		if (strcmp(x->f.v[i].check, check) == 0)
			return &x->f.v[i];
	return NULL;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static const struct kn_pod *
pod_of(const struct kn_model *m, const char *ns, const char *prefix, size_t k)
{
	struct kn_obj **v;
	const struct kn_pod *hit = NULL;
	size_t n = kn_model_list(m, KN_POD, ns, &v), i;

	for (i = 0; i < n && hit == NULL; i++)
		if (strncmp(v[i]->name, prefix, strlen(prefix)) == 0 &&
		    k-- == 0)
			hit = (const struct kn_pod *)v[i];
	free(v);
	return hit;
}

/* ---- the seed example ---- */

static void
test_seed_with_backend(void **state)
{
	const struct kn_ingress *ing;
	const struct kn_service *svc;
	const struct kn_pod *pod;
	struct kn_ing_chain ch;
	struct kn_ipaddr net;
	struct fx x;

	(void)state;
	fx_init(&x, NULL);
	fx_add(&x, "seed");
	fx_apply(&x);
	assert_int_equal(x.f.n, 0);
	ing = (const struct kn_ingress *)kn_model_find(
		x.m, KN_INGRESS, "default", "webserver-ingress");
	assert_non_null(ing);
	assert_true(ing->o.planned);
	assert_string_equal(ing->paths[0].host, "thomasmldejong.nl");
	kn_model_ingress_chain(x.m, ing, 0, &ch);
	assert_int_equal(ch.status, KN_ING_OK);
	assert_string_equal(ch.class_name, "nginx");
	assert_string_equal(ch.controller, "k8s.io/ingress-nginx");
	assert_int_equal(ch.endpoints.ready, 2);
	svc = ch.service;
	assert_true(svc->o.planned);
	/* 10.96.0.0/12 */
	assert_int_equal(svc->ncluster_ips, 1);
	net = svc->cluster_ips[0];
	assert_int_equal(net.addr[0], 10);
	assert_int_equal(net.addr[1] & 0xf0, 96);
	/* two planned pods on the planned node, 10.244.0.2 and .3 */
	assert_int_equal(kn_model_count(x.m, KN_POD), 2);
	assert_non_null(kn_model_find(x.m, KN_NODE, "", KN_PLAN_NODE));
	pod = pod_of(x.m, "default", "webserver-", 0);
	assert_non_null(pod);
	assert_true(pod->o.planned);
	assert_string_equal(pod->status, "Planned");
	assert_true(pod->ready);
	assert_string_equal(pod->node, KN_PLAN_NODE);
	assert_string_equal(pod->owner_kind, "ReplicaSet");
	assert_int_equal(pod->ips[0].addr[0], 10);
	assert_int_equal(pod->ips[0].addr[1], 244);
	assert_int_equal(pod->ips[0].addr[2], 0);
	assert_true(pod->ips[0].addr[3] == 2 || pod->ips[0].addr[3] == 3);
	fx_release(&x);
}

static void
test_seed_without_backend(void **state)
{
	const struct kn_ingress *ing;
	const struct kn_finding *f;
	struct kn_ing_chain ch;
	struct fx x;

	(void)state;
	fx_init(&x, NULL);
	fx_add(&x, "seed/ingress.yaml");
	fx_add(&x, "seed/ingressclass.yaml");
	fx_apply(&x);
	ing = (const struct kn_ingress *)kn_model_find(
		x.m, KN_INGRESS, "default", "webserver-ingress");
	kn_model_ingress_chain(x.m, ing, 0, &ch);
	assert_int_equal(ch.status, KN_ING_SERVICE_MISSING);
	assert_int_equal(x.f.n, 1);
	f = &x.f.v[0];
	assert_string_equal(f->check, "ingress-service-missing");
	assert_true(ends_with(f->file, "seed/ingress.yaml"));
	assert_int_equal(f->line, 2);
	assert_string_equal(f->kind, "Ingress");
	assert_string_equal(f->name, "webserver-ingress");
	assert_non_null(strstr(f->message, "thomasmldejong.nl/ -> service "
					   "webserver-service port 80"));
	fx_release(&x);

	/* the Deployment without its Service: still missing */
	fx_init(&x, NULL);
	fx_add(&x, "seed/ingress.yaml");
	fx_add(&x, "seed/ingressclass.yaml");
	fx_text(&x, "deploy.yaml",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "
		"webserver\nspec:\n  selector:\n    matchLabels: {app: "
		"webserver}\n  template:\n    metadata:\n      labels: {app: "
		"webserver}\n    spec:\n      containers:\n      - name: "
		"nginx\n        ports:\n        - {name: http, "
		"containerPort: 80}\n");
	fx_apply(&x);
	assert_int_equal(x.f.n, 1);
	assert_string_equal(x.f.v[0].check, "ingress-service-missing");
	fx_release(&x);

	/* and without an IngressClass: no controller either */
	fx_init(&x, NULL);
	fx_add(&x, "seed/ingress.yaml");
	fx_add(&x, "seed/webserver.yaml");
	fx_apply(&x);
	assert_int_equal(x.f.n, 1);
	assert_string_equal(x.f.v[0].check, "ingress-no-class");
	fx_release(&x);
}

/* ---- one manifest per finding ---- */

static const struct {
	const char *file, *check;
	unsigned line;
	size_t n; /* findings in the file */
} cases[] = {
	{"invalid-object.yaml", "invalid-object", 11, 2},
	{"duplicate-object.yaml", "duplicate-object", 10, 1},
	{"service-selects-nothing.yaml", "service-selects-nothing", 22, 1},
	{"target-port-missing.yaml", "target-port-missing", 24, 1},
	{"ingress-service-missing.yaml", "ingress-service-missing", 19, 1},
	{"ingress-port-missing.yaml", "ingress-port-missing", 20, 1},
	{"ingress-no-backend.yaml", "ingress-no-backend", 11, 1},
	{"ingress-no-class.yaml", "ingress-no-class", 19, 1},
	{"ingress-conflict.yaml", "ingress-conflict", 38, 1},
	{"nodeport-out-of-range.yaml", "nodeport-out-of-range", 2, 1},
	{"nodeport-conflict.yaml", "nodeport-conflict", 12, 1},
	{"statefulset-service-missing.yaml", "statefulset-service-missing", 2,
	 1},
	{"statefulset-service-not-headless.yaml",
	 "statefulset-service-not-headless", 12, 1},
	{"host-port-conflict.yaml", "host-port-conflict", 2, 2},
	{"dns-egress-denied.yaml", "dns-egress-denied", 3, 1},
};

static void
test_each_finding(void **state)
{
	const struct kn_finding *f;
	char rel[128];
	size_t i, k;
	struct fx x;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fx_init(&x, NULL);
		snprintf(rel, sizeof(rel), "findings/%s", cases[i].file);
		fx_add(&x, rel);
		fx_apply(&x);
		if (x.f.n != cases[i].n)
			fail_msg("%s: %zu findings, want %zu", cases[i].file,
				 x.f.n, cases[i].n);
		f = find_check(&x, cases[i].check);
		if (f == NULL)
			fail_msg("%s: no %s", cases[i].file, cases[i].check);
		assert_true(ends_with(f->file, cases[i].file));
		if (f->line != cases[i].line)
			fail_msg("%s: line %u, want %u", cases[i].file, f->line,
				 cases[i].line);
		for (k = 0; k < x.f.n; k++)
			assert_string_equal(x.f.v[k].check, cases[i].check);
		fx_release(&x);
	}
}

/* Every check has its manifest, and the list names them all. */
static void
test_every_check_has_a_manifest(void **state)
{
	size_t i, k, n = 0;
	bool seen;

	(void)state;
	for (i = 0; kn_plan_checks[i] != NULL; i++, n++) {
		seen = false;
		for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
			seen |= strcmp(cases[k].check, kn_plan_checks[i]) == 0;
		if (!seen)
			fail_msg("check %s has no manifest", kn_plan_checks[i]);
	}
	assert_int_equal(n, sizeof(cases) / sizeof(cases[0]));
}

static void
test_invalid_object_messages(void **state)
{
	struct fx x;

	(void)state;
	fx_init(&x, NULL);
	fx_add(&x, "findings/invalid-object.yaml");
	fx_apply(&x);
	assert_int_equal(x.f.n, 2);
	assert_string_equal(x.f.v[0].message,
			    "spec.ports[0].port: expected an integer in range");
	assert_int_equal(x.f.v[1].line, 20);
	assert_non_null(strstr(x.f.v[1].message, "spec.selector"));
	/* the broken ones are not planned; nothing else is lost */
	assert_null(kn_model_find(x.m, KN_SERVICE, "default", "broken"));
	assert_int_equal(kn_model_count(x.m, KN_POD), 0);
	fx_release(&x);
}

/* ---- names, namespaces, placement, addresses ---- */

static void
test_namespaces(void **state)
{
	struct fx x;

	(void)state;
	fx_init(&x, "shop");
	fx_text(&x, "a.yaml",
		"apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n "
		" ports: [{port: 80}]\n---\napiVersion: v1\nkind: Service\n"
		"metadata: {name: b, namespace: other}\nspec:\n  ports: "
		"[{port: 80}]\n---\napiVersion: v1\nkind: Namespace\n"
		"metadata: {name: shop}\n");
	fx_apply(&x);
	assert_non_null(kn_model_find(x.m, KN_SERVICE, "shop", "a"));
	assert_non_null(kn_model_find(x.m, KN_SERVICE, "other", "b"));
	assert_non_null(kn_model_find(x.m, KN_NAMESPACE, "", "shop"));
	assert_null(kn_model_find(x.m, KN_SERVICE, "default", "a"));
	fx_release(&x);
}

static void
test_statefulset_dns_names(void **state)
{
	struct kn_dnsrecs r = {0};
	const struct kn_service *svc;
	struct fx x;
	size_t i;
	bool web0 = false, web1 = false;

	(void)state;
	fx_init(&x, NULL);
	fx_text(&x, "web.yaml",
		"apiVersion: v1\nkind: Service\nmetadata: {name: nginx}\n"
		"spec:\n  clusterIP: None\n  selector: {app: nginx}\n  ports:"
		"\n  - {name: web, port: 80}\n---\napiVersion: apps/v1\nkind: "
		"StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: "
		"nginx\n  replicas: 2\n  selector:\n    matchLabels: {app: "
		"nginx}\n  template:\n    metadata:\n      labels: {app: "
		"nginx}\n    spec:\n      containers:\n      - name: nginx\n"
		"        ports:\n        - {name: web, containerPort: 80}\n");
	fx_apply(&x);
	assert_int_equal(x.f.n, 0);
	assert_non_null(kn_model_find(x.m, KN_POD, "default", "web-0"));
	assert_non_null(kn_model_find(x.m, KN_POD, "default", "web-1"));
	svc = (const struct kn_service *)kn_model_find(x.m, KN_SERVICE,
						       "default", "nginx");
	assert_true(svc->headless);
	kn_model_service_dns(x.m, svc, &r);
	for (i = 0; i < r.n; i++) {
		web0 |= strcmp(r.v[i].name,
			       "web-0.nginx.default.svc.cluster.local.") == 0;
		web1 |= strcmp(r.v[i].name,
			       "web-1.nginx.default.svc.cluster.local.") == 0;
		assert_true(r.v[i].planned);
	}
	assert_true(web0 && web1);
	kn_dnsrecs_clear(&r);
	fx_release(&x);
}

static void
test_workload_kinds(void **state)
{
	struct fx x;
	struct kn_plan_stats st;

	(void)state;
	fx_init(&x, NULL);
	fx_text(&x, "w.yaml",
		"apiVersion: batch/v1\nkind: Job\nmetadata: {name: once}\n"
		"spec:\n  parallelism: 3\n  completions: 2\n  template:\n"
		"    metadata: {labels: {app: job}}\n    spec:\n      "
		"containers: [{name: c}]\n---\napiVersion: batch/v1\nkind: "
		"CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: '0 3 "
		"* * *'\n  jobTemplate:\n    spec:\n      template:\n        "
		"spec:\n          containers: [{name: c}]\n---\napiVersion: "
		"apps/v1\nkind: ReplicaSet\nmetadata: {name: rs}\nspec:\n  "
		"replicas: 0\n  selector: {matchLabels: {app: rs}}\n  "
		"template:\n    metadata: {labels: {app: rs}}\n    spec:\n "
		"     containers: [{name: c}]\n---\napiVersion: v1\nkind: Pod\n"
		"metadata: {name: bare, labels: {app: bare}}\nspec:\n  "
		"containers: [{name: c, ports: [{containerPort: 80}]}]\n---\n"
		"apiVersion: v1\nkind: ReplicationController\nmetadata: {name: "
		"rc}\nspec:\n  replicas: 1\n  template:\n    metadata: "
		"{labels: {app: rc}}\n    spec:\n      containers: [{name: "
		"c}]\n");
	fx_apply(&x);
	kn_plan_stats(x.p, &st);
	/* 2 (Job: completions) + 1 (CronJob) + 0 + 1 (Pod) + 1 (RC) */
	assert_int_equal(st.pods, 5);
	assert_int_equal(st.objects, 5);
	assert_non_null(kn_model_find(x.m, KN_POD, "default", "bare"));
	assert_non_null(pod_of(x.m, "default", "once-", 1));
	assert_null(pod_of(x.m, "default", "once-", 2));
	assert_non_null(pod_of(x.m, "default", "nightly-", 0));
	assert_non_null(pod_of(x.m, "default", "rc-", 0));
	assert_string_equal(pod_of(x.m, "default", "nightly-", 0)->owner_kind,
			    "Job");
	fx_release(&x);
}

static void
test_names_and_addresses_are_stable(void **state)
{
	char a[64], b[64], ipa[KN_IPSTR], ipb[KN_IPSTR];
	const struct kn_service *s;
	struct fx x;

	(void)state;
	fx_init(&x, NULL);
	fx_add(&x, "seed");
	fx_apply(&x);
	snprintf(a, sizeof(a), "%s",
		 pod_of(x.m, "default", "webserver", 0)->o.name);
	s = (const struct kn_service *)kn_model_find(x.m, KN_SERVICE, "default",
						     "webserver-service");
	kn_ipaddr_format(&s->cluster_ips[0], ipa, sizeof(ipa));
	fx_release(&x);
	fx_init(&x, NULL);
	fx_add(&x, "seed");
	fx_text(&x, "more.yaml",
		"apiVersion: v1\nkind: Service\nmetadata: {name: other}\n"
		"spec:\n  ports: [{port: 1}]\n");
	fx_apply(&x);
	snprintf(b, sizeof(b), "%s",
		 pod_of(x.m, "default", "webserver", 0)->o.name);
	s = (const struct kn_service *)kn_model_find(x.m, KN_SERVICE, "default",
						     "webserver-service");
	kn_ipaddr_format(&s->cluster_ips[0], ipb, sizeof(ipb));
	assert_string_equal(a, b);
	assert_string_equal(ipa, ipb);
	fx_release(&x);
}

static void
test_node_ports_allocated(void **state)
{
	const struct kn_service *s;
	struct fx x;

	(void)state;
	fx_init(&x, NULL);
	fx_text(&x, "np.yaml",
		"apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n "
		" type: NodePort\n  ports: [{port: 80}, {port: 443, nodePort: "
		"30443}]\n---\napiVersion: v1\nkind: Service\nmetadata: "
		"{name: lb}\nspec:\n  type: LoadBalancer\n  "
		"allocateLoadBalancerNodePorts: false\n  ports: [{port: "
		"80}]\n");
	fx_apply(&x);
	assert_int_equal(x.f.n, 0);
	s = (const struct kn_service *)kn_model_find(x.m, KN_SERVICE, "default",
						     "a");
	assert_true(s->ports[0].node_port >= 30000 &&
		    s->ports[0].node_port <= 32767);
	assert_int_equal(s->ports[1].node_port, 30443);
	s = (const struct kn_service *)kn_model_find(x.m, KN_SERVICE, "default",
						     "lb");
	assert_int_equal(s->ports[0].node_port, 0);
	assert_int_equal(s->ncluster_ips, 1);
	fx_release(&x);
}

/* ---- on top of a cluster ---- */

static void
test_on_top_of_a_cluster(void **state)
{
	struct kn_plan_stats st;
	const struct kn_service *s;
	const struct kn_pod *p;
	struct kn_slice *const *sl;
	struct fx x;
	size_t i, n;

	(void)state;
	fx_init(&x, NULL);
	fx_base(&x);
	fx_text(&x, "web.yaml",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}"
		"\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: "
		"web}}\n  template:\n    metadata: {labels: {app: web}}\n   "
		" spec:\n      containers:\n      - name: web\n        ports: "
		"[{name: http, containerPort: 8080}]\n---\napiVersion: v1\n"
		"kind: Service\nmetadata: {name: api}\nspec:\n  selector: "
		"{app: web}\n  ports: [{port: 80, targetPort: http}]\n");
	fx_apply(&x);
	assert_int_equal(x.f.n, 0);
	kn_plan_stats(x.p, &st);
	/* the cluster's web pods give way to the planned ones */
	assert_int_equal(st.replaced, 2);
	assert_int_equal(st.pods, 3);
	assert_int_equal(st.nodes, 0);
	assert_null(
		kn_model_find(x.m, KN_POD, "default", "web-5d8f6b7c9d-aaaaa"));
	/* workers only, round-robin; the control plane is tainted */
	for (i = 0; i < 3; i++) {
		p = pod_of(x.m, "default", "web-", i);
		assert_non_null(p);
		assert_true(p->o.planned);
		assert_string_not_equal(p->node, "cp-1");
		assert_int_equal(p->ips[0].addr[1], 244);
		assert_true(p->ips[0].addr[2] == 1 || p->ips[0].addr[2] == 2);
	}
	/* the planned service: the /16 of the kubernetes service */
	s = (const struct kn_service *)kn_model_find(x.m, KN_SERVICE, "default",
						     "api");
	assert_int_equal(s->cluster_ips[0].addr[0], 10);
	assert_int_equal(s->cluster_ips[0].addr[1], 43);
	assert_int_equal(kn_model_service_endpoints(x.m, s).ready, 3);
	/* the cluster's service: its old slice holds no pod now, the
	 * planned one holds the three */
	s = (const struct kn_service *)kn_model_find(x.m, KN_SERVICE, "default",
						     "web");
	n = kn_model_service_slices(x.m, s, &sl);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++)
		if (sl[i]->o.planned)
			assert_int_equal(sl[i]->neps, 3);
	fx_release(&x);
}

static void
test_on_top_daemonset_and_host_ports(void **state)
{
	const struct kn_finding *f;
	struct kn_plan_stats st;
	struct fx x;

	(void)state;
	fx_init(&x, NULL);
	fx_base(&x);
	fx_text(&x, "ds.yaml",
		"apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}"
		"\nspec:\n  selector: {matchLabels: {app: agent}}\n  "
		"template:\n    metadata: {labels: {app: agent}}\n    spec:\n"
		"      hostNetwork: true\n      containers:\n      - name: a\n"
		"        ports: [{containerPort: 9100}]\n");
	fx_apply(&x);
	kn_plan_stats(x.p, &st);
	assert_int_equal(st.pods, 2); /* worker-1 and worker-2 */
	assert_int_equal(x.f.n, 1);
	f = find_check(&x, "host-port-conflict");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "worker-1"));
	assert_non_null(strstr(f->message, "node-exporter-k2x9z"));
	fx_release(&x);
	/* tolerating the control plane: on every node */
	fx_init(&x, NULL);
	fx_base(&x);
	fx_text(&x, "ds.yaml",
		"apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: cni}\n"
		"spec:\n  selector: {matchLabels: {app: cni}}\n  template:\n"
		"    metadata: {labels: {app: cni}}\n    spec:\n      "
		"tolerations: [{operator: Exists}]\n      containers: [{name: "
		"c}]\n");
	fx_apply(&x);
	kn_plan_stats(x.p, &st);
	assert_int_equal(st.pods, 3);
	fx_release(&x);
}

static void
test_dns_with_the_real_coredns(void **state)
{
	static const char pol[] =
		"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
		"metadata: {name: deny}\nspec:\n  podSelector: {}\n  "
		"policyTypes: [Egress]\n";
	static const char dns[] =
		"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
		"metadata: {name: allow-dns}\nspec:\n  podSelector: {}\n  "
		"policyTypes: [Egress]\n  egress:\n  - to:\n    - "
		"namespaceSelector: {matchLabels: {kubernetes.io/metadata.name:"
		" kube-system}}\n      podSelector: {matchLabels: {k8s-app: "
		"kube-dns}}\n    ports: [{port: 53, protocol: UDP}]\n";
	const struct kn_finding *f;
	struct fx x;

	(void)state;
	/* a default deny of the cluster's pods: blamed on the policy */
	fx_init(&x, NULL);
	fx_base(&x);
	fx_text(&x, "deny.yaml", pol);
	fx_apply(&x);
	f = find_check(&x, "dns-egress-denied");
	assert_non_null(f);
	assert_string_equal(f->name, "deny");
	assert_non_null(
		strstr(f->message, "web-5d8f6b7c9d-aaaaa (and 1 more pod)"));
	fx_release(&x);
	/* with DNS allowed to the CoreDNS pods: nothing */
	fx_init(&x, NULL);
	fx_base(&x);
	fx_text(&x, "deny.yaml", pol);
	fx_text(&x, "dns.yaml", dns);
	fx_apply(&x);
	assert_int_equal(count_check(&x, "dns-egress-denied"), 0);
	fx_release(&x);
	/* manifests alone: the stand-in CoreDNS answers the same way */
	fx_init(&x, NULL);
	fx_add(&x, "findings/dns-egress-denied.yaml");
	fx_text(&x, "dns.yaml", dns);
	fx_apply(&x);
	assert_int_equal(count_check(&x, "dns-egress-denied"), 0);
	fx_release(&x);
}

/* The live source reports the objects the manifests redefine: the
 * planned ones stay, relists keep them. */
static void
test_planned_stays_on_top(void **state)
{
	const struct kn_service *s;
	struct fx x;

	(void)state;
	fx_init(&x, NULL);
	fx_base(&x);
	fx_text(&x, "web.yaml",
		"apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:"
		"\n  clusterIP: 10.43.99.99\n  selector: {app: web}\n  "
		"ports: [{port: 81}]\n");
	fx_apply(&x);
	assert_true(kn_model_has_planned(x.m));
	tu_model_apply(x.m, KN_EV_MODIFIED, NULL,
		       "{\"kind\":\"Service\",\"metadata\":{\"name\":\"web\","
		       "\"namespace\":\"default\"},\"spec\":{\"clusterIP\":"
		       "\"10.43.12.34\",\"ports\":[{\"port\":80}]}}");
	s = (const struct kn_service *)kn_model_find(x.m, KN_SERVICE, "default",
						     "web");
	assert_true(s->o.planned);
	assert_int_equal(s->ports[0].port, 81);
	kn_model_mark_begin(x.m, KN_SERVICE);
	kn_model_sweep(x.m, KN_SERVICE);
	assert_non_null(kn_model_find(x.m, KN_SERVICE, "default", "web"));
	assert_null(kn_model_find(x.m, KN_SERVICE, "default", "kubernetes"));
	fx_release(&x);
}

/* Without a plan every object of the model is checked. */
static void
test_check_without_manifests(void **state)
{
	struct kn_findings f = {0};
	struct fx x;
	size_t i;
	bool found = false;

	(void)state;
	fx_init(&x, NULL);
	fx_base(&x);
	tu_model_put(x.m, "{\"kind\":\"Service\",\"metadata\":{\"name\":"
			  "\"lost\",\"namespace\":\"default\"},\"spec\":{"
			  "\"selector\":{\"app\":\"gone\"},\"ports\":[{"
			  "\"port\":80}]}}");
	kn_plan_check(NULL, x.m, &f);
	for (i = 0; i < f.n; i++)
		if (strcmp(f.v[i].name, "lost") == 0) {
			found = true;
			assert_null(f.v[i].file);
			assert_string_equal(f.v[i].check,
					    "service-selects-nothing");
		}
	assert_true(found);
	kn_findings_clear(&f);
	fx_release(&x);
}

/* ---- files that cannot be read ---- */

static void
test_read_errors(void **state)
{
	static const struct {
		const char *file, *want;
	} bad[] = {
		{"edge/tabs.yaml", "edge/tabs.yaml:6:1: a tab"},
		{"edge/invalid-utf8.yaml", "edge/invalid-utf8.yaml:4: "},
		{"edge/bomb.yaml", "edge/bomb.yaml:12:10: aliases copy more"},
		{"edge/not-object.yaml",
		 "edge/not-object.yaml:6: document 2 is a list"},
		{"edge/no-kind.yaml", "edge/no-kind.yaml:8: the object has no "
				      "kind"},
		{"edge/nope.yaml", "No such file"},
	};
	struct fx x;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fx_init(&x, NULL);
		fx_add(&x, bad[i].file);
		assert_int_not_equal(kn_plan_apply(x.p, x.m, x.eb), KN_OK);
		if (strstr(x.eb, bad[i].want) == NULL)
			fail_msg("%s: got \"%s\"", bad[i].file, x.eb);
		fx_release(&x);
	}
}

static void
test_edge_files_that_read(void **state)
{
	struct kn_plan_stats st;
	const struct kn_pod *p;
	struct fx x;

	(void)state;
	fx_init(&x, NULL);
	fx_add(&x, "edge/multi-document.yaml");
	fx_apply(&x);
	kn_plan_stats(x.p, &st);
	assert_int_equal(st.objects, 3);
	assert_int_equal(x.f.n, 0);
	p = pod_of(x.m, "shop", "api-", 0);
	assert_non_null(p);
	assert_int_equal(p->nlabels, 3); /* app, tier (merged), hash */
	assert_int_equal(kn_model_service_endpoints(
				 x.m, (const struct kn_service *)kn_model_find(
					      x.m, KN_SERVICE, "shop", "api"))
				 .ready,
			 2);
	fx_release(&x);
	/* a List, a JSON file, a typed list whose items have no kind */
	fx_init(&x, NULL);
	fx_add(&x, "examples/list.yaml");
	fx_add(&x, "examples/podlist.json");
	fx_apply(&x);
	assert_int_equal(x.f.n, 0);
	assert_non_null(kn_model_find(x.m, KN_SERVICE, "default", "listed"));
	assert_non_null(kn_model_find(x.m, KN_POD, "default", "from-json"));
	fx_release(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_with_backend),
		cmocka_unit_test(test_seed_without_backend),
		cmocka_unit_test(test_each_finding),
		cmocka_unit_test(test_every_check_has_a_manifest),
		cmocka_unit_test(test_invalid_object_messages),
		cmocka_unit_test(test_namespaces),
		cmocka_unit_test(test_statefulset_dns_names),
		cmocka_unit_test(test_workload_kinds),
		cmocka_unit_test(test_names_and_addresses_are_stable),
		cmocka_unit_test(test_node_ports_allocated),
		cmocka_unit_test(test_on_top_of_a_cluster),
		cmocka_unit_test(test_on_top_daemonset_and_host_ports),
		cmocka_unit_test(test_dns_with_the_real_coredns),
		cmocka_unit_test(test_planned_stays_on_top),
		cmocka_unit_test(test_check_without_manifests),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_edge_files_that_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
