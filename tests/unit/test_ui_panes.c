/* The cluster panes on the demo cluster, driven through the screen: rows,
 * roles, detail views, the namespace filter, the DNS lookup and the
 * Gateway API routes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "k8snet/err.h"
#include "k8snet/model_query.h"
#include "k8snet/source.h"
#include "keymap.h"
#include "objyaml.h"
#include "pane.h"
#include "screen.h"
#include "testutil.h"

static int
setup(void **state)
{
	static struct tu_screen f;

	tu_screen_init(&f, 48, 160, true);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	tu_screen_release(*state);
	return 0;
}

/* Role of the first frame line containing text (-1: none). */
static int
role_of(struct tu_screen *f, const char *text)
{
	const char *l, *hit;
	int y;

	kn_screen_draw(f->s, f->c, 0);
	for (y = 0; y < kn_canvas_rows(f->c); y++) {
		l = kn_canvas_text_line(f->c, y);
		if ((hit = strstr(l, text)) != NULL)
			return (int)kn_canvas_text_role(f->c, y,
							(int)(hit - l));
	}
	return -1;
}

/* Filter pane id to pattern, then the detail lines of the selected row
 * joined into f->text. */
static const char *
detail(struct tu_screen *f, enum kn_pane_id id, const char *pattern)
{
	struct kn_pane *p = kn_screen_pane_at(f->s, id);
	struct kn_lines l;
	size_t row, i, o = 0;

	kn_table_set_filter(p->table, pattern);
	assert_true(kn_table_selected(p->table, &row));
	kn_lines_init(&l);
	kn_pane_detail(p, row, &l);
	f->text[0] = '\0';
	for (i = 0; i < l.n; i++)
		o += (size_t)snprintf(f->text + o, sizeof(f->text) - o, "%s\n",
				      l.v[i]);
	kn_lines_release(&l);
	kn_table_set_filter(p->table, "");
	return f->text;
}

/* The lookup of q from namespace ns, as the DNS pane shows it. */
static const char *
lookup(struct tu_screen *f, const char *ns, const char *q)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), ":ns %s\n3l", ns);
	tu_keys(f, cmd);
	assert_int_equal(kn_screen_prompt(f->s), KN_PROMPT_PANE);
	assert_true(tu_shows(f, "lookup: _"));
	tu_keys(f, q);
	tu_keys(f, "\n");
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_DETAIL);
	tu_frame(f);
	return f->text;
}

static void
test_rows_and_roles(void **state)
{
	struct tu_screen *f = *state;

	assert_true(tu_shows(f, "postgres-0"));
	assert_true(tu_shows(f, "CrashLoopBackOff"));
	assert_int_equal(role_of(f, "payments-7cd0c0a8f9-82dde"),
			 KN_ROLE_ERROR);
	tu_keys(f, "2");
	assert_true(tu_shows(f, "payments"));
	assert_int_equal(role_of(f, "payments.shop.svc"), KN_ROLE_ERROR);
	assert_int_equal(role_of(f, "catalog.shop.svc"), KN_ROLE_ERROR);
	assert_int_equal(role_of(f, "cart.shop.svc"), KN_ROLE_NORMAL);
	tu_keys(f, "4");
	assert_true(tu_shows(f, "service-missing"));
	assert_int_equal(role_of(f, "service-missing"), KN_ROLE_ERROR);
	assert_int_equal(role_of(f, "no-endpoints"), KN_ROLE_ERROR);
	tu_keys(f, "5");
	assert_true(tu_shows(f, "demo-control-plane"));
	assert_true(tu_shows(f, "10.244.1.0/24"));
	tu_keys(f, "3");
	assert_true(tu_shows(f, "domain cluster.local (Corefile)"));
	assert_true(tu_shows(f, "kube-system/kube-dns 10.96.0.10"));
	assert_true(tu_shows(f, "pods 2/2 ready on demo-control-plane"));
	assert_true(tu_shows(f, "forward /etc/resolv.conf"));
	assert_true(tu_shows(f, "pods insecure"));
	assert_true(tu_shows(f, "NAME"));
}

/* Row index (y) of the first frame line containing text, or -1. */
static int
line_of(struct tu_screen *f, const char *text)
{
	int y;

	kn_screen_draw(f->s, f->c, 0);
	for (y = 0; y < kn_canvas_rows(f->c); y++)
		if (strstr(kn_canvas_text_line(f->c, y), text) != NULL)
			return y;
	return -1;
}

/* Cells come from typed values (text the getter formats included), and
 * sorting follows the type: IP addresses as numbers, counts by value. */
static void
test_typed_cells_and_sort(void **state)
{
	struct tu_screen *f = *state;
	struct kn_pane *p = kn_screen_pane_at(f->s, KN_PANE_PODS);

	tu_keys(f, "2");
	assert_true(tu_shows(f, "443/TCP"));
	assert_true(tu_shows(f, "80:30080/TCP"));
	/* an ExternalName is cut in the middle when the column is narrow */
	assert_true(tu_shows(f, "billing.p"));
	assert_true(tu_shows(f, "ple.com"));
	tu_keys(f, "1");
	kn_table_sort(p->table, 5, false); /* IP */
	assert_true(line_of(f, "10.244.1.2 ") >= 0);
	assert_true(line_of(f, "10.244.1.2 ") < line_of(f, "10.244.1.10 "));
	assert_true(line_of(f, "10.244.1.10 ") < line_of(f, "10.244.1.14 "));
	assert_true(line_of(f, "10.244.0.5 ") < line_of(f, "10.244.1.2 "));
	kn_table_sort(p->table, 4, true); /* RESTARTS, most first */
	assert_true(line_of(f, "CrashLoopBackOff") < line_of(f, "postgres-0"));
}

/* `t` takes the row's object, not its cells: a service to "ns/name", an
 * ingress path to its host and its backend service (both legs). */
static void
test_traffic_link(void **state)
{
	struct tu_screen *f = *state;
	struct kn_pane *tp = kn_screen_pane_at(f->s, KN_PANE_TRAFFIC);
	struct kn_pane *p = kn_screen_pane_at(f->s, KN_PANE_SERVICES);

	tu_keys(f, "2");
	kn_table_set_filter(p->table, "10.96.120.11");
	tu_keys(f, "t");
	assert_string_equal(kn_table_filter(tp->table), "shop/cart");
	p = kn_screen_pane_at(f->s, KN_PANE_INGRESS);
	tu_keys(f, "4");
	kn_table_set_filter(p->table, "admin");
	tu_keys(f, "t");
	assert_string_equal(kn_table_filter(tp->table),
			    "admin.shop.example.com|shop/checkout");
	/* A route: its hostnames and its backend. */
	p = kn_screen_pane_at(f->s, KN_PANE_ROUTES);
	tu_keys(f, "8");
	kn_table_set_filter(p->table, "webserver");
	tu_keys(f, "t");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_TRAFFIC);
	assert_string_equal(kn_table_filter(tp->table),
			    "thomasmldejong.nl|default/webserver-service");
	/* The default backend, for any host, has no host to follow. */
	p = kn_screen_pane_at(f->s, KN_PANE_INGRESS);
	tu_keys(f, "4");
	kn_table_set_filter(p->table, "(default)");
	tu_keys(f, "t");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_INGRESS);
	assert_true(tu_shows(f, "leads to no traffic"));
}

static void
test_pod_detail(void **state)
{
	struct tu_screen *f = *state;
	const char *d = detail(f, KN_PANE_PODS, "frontend-5b408af5e0-1711a");

	assert_non_null(strstr(d, "Pod shop/frontend-5b408af5e0-1711a"));
	assert_non_null(strstr(d, "demo-worker"));
	assert_non_null(strstr(d, "10.244.1.10"));
	assert_non_null(strstr(d, "ReplicaSet/frontend-5b408af5e0"));
	assert_non_null(strstr(d, "shop/frontend  ClusterIP 10.96.120.10  "
				  "ready endpoint"));
	assert_non_null(strstr(d, "10-244-1-10.shop.pod.cluster.local."));
	assert_non_null(strstr(d, "shop.example.com/ (Prefix)"));
	d = detail(f, KN_PANE_PODS, "postgres-1");
	assert_non_null(strstr(d, "postgres-1.postgres.shop.svc.cluster."
				  "local."));
	assert_non_null(strstr(d, "StatefulSet/postgres"));
	d = detail(f, KN_PANE_PODS, "payments-7cd0c0a8f9-82dde");
	assert_non_null(strstr(d, "NOT READY endpoint"));
	assert_non_null(strstr(d, "no-endpoints"));
}

static void
test_service_detail(void **state)
{
	struct tu_screen *f = *state;
	const char *d = detail(f, KN_PANE_SERVICES, "payments.shop");

	assert_non_null(strstr(d, "Service shop/payments"));
	assert_non_null(strstr(d, "Endpoints (0 ready, 2 not ready)"));
	assert_non_null(strstr(d, "NOT READY pod shop/payments-"));
	assert_non_null(strstr(d, "no ready endpoints"));
	assert_non_null(strstr(d, "api.shop.example.com/payments"));
	assert_non_null(strstr(d, "targetPort \"http\" = 8080"));
	d = detail(f, KN_PANE_SERVICES, "frontend.shop");
	assert_non_null(strstr(d, "Gateway API routes reaching it"));
	assert_non_null(strstr(d, "HTTPRoute shop/storefront rule 1  ok"));
	assert_non_null(strstr(d, "HTTPRoute shop/legacy-shop rule 0  "
				  "no-matching-listener"));
	d = detail(f, KN_PANE_SERVICES, "postgres.shop");
	assert_non_null(strstr(d, "headless"));
	assert_non_null(strstr(d, "postgres-0.postgres.shop.svc.cluster."
				  "local.  10.244.1.20"));
	assert_non_null(strstr(d, "postgres-1.postgres.shop.svc.cluster."
				  "local.  10.244.2.20"));
	assert_non_null(strstr(d, "SRV"));
	d = detail(f, KN_PANE_SERVICES, "catalog.shop");
	assert_non_null(strstr(d, "targetPort \"web\" not exposed"));
	d = detail(f, KN_PANE_SERVICES, "billing.shop");
	assert_non_null(strstr(d, "CNAME"));
}

static void
test_ingress_detail(void **state)
{
	struct tu_screen *f = *state;
	const char *d = detail(f, KN_PANE_INGRESS, "reviews");

	assert_non_null(strstr(d, "Ingress shop/shop-api"));
	assert_non_null(strstr(d, "status     service-missing"));
	assert_non_null(strstr(d, "service shop/reviews: service-missing"));
	assert_non_null(strstr(d, "controller k8s.io/ingress-nginx"));
	d = detail(f, KN_PANE_INGRESS, "/api/cart");
	assert_non_null(strstr(d, "`- rule shop.example.com/api/cart"));
	assert_non_null(strstr(d, "`- service shop/cart port"));
	assert_non_null(strstr(d, "endpoints 2 ready, 0 not ready"));
	assert_non_null(strstr(d, "node demo-worker"));
	d = detail(f, KN_PANE_INGRESS, "/admin");
	assert_non_null(strstr(d, "port-missing"));
}

static void
test_node_detail(void **state)
{
	struct tu_screen *f = *state;
	const char *d = detail(f, KN_PANE_NODES, "demo-worker2");

	assert_non_null(strstr(d, "Node demo-worker2"));
	assert_non_null(strstr(d, "172.18.0.4 (InternalIP)"));
	assert_non_null(strstr(d, "detected     calico"));
	assert_non_null(strstr(d, "kube-system/calico-node-"));
	assert_non_null(strstr(d, "shop/postgres-1"));
	assert_non_null(strstr(d, "probing is off"));
}

static void
test_open_and_close(void **state)
{
	struct tu_screen *f = *state;

	tu_keys(f, "2/checkout\n\n");
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_DETAIL);
	assert_true(tu_shows(f, "Service shop/checkout"));
	tu_keys(f, "q");
	assert_false(kn_screen_quit_requested(f->s));
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_TABLE);
	tu_keys(f, "\n");
	kn_screen_key(f->s, KN_KEY_ESC);
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_TABLE);
	/* The detail of a DNS record is the lookup of its name: here the
	 * PTR record (sorted first) naming postgres-0. */
	tu_keys(f, "3/postgres-0.postgres\n\n");
	assert_true(tu_shows(f, "Lookup 20.1.244.10.in-addr.arpa. PTR"));
	assert_true(tu_shows(f, "endpoint of Service shop/postgres: pod "
				"shop/postgres-0 on node demo-worker"));
	assert_true(tu_shows(f, "Cluster DNS"));
}

/* y: the object as YAML, shaped as the API's; d: its description. */
static void
test_yaml_and_describe(void **state)
{
	struct tu_screen *f = *state;
	static struct kn_label labels[] = {
		{"app", "web"},
		{"enabled", "true"},
		{"build", "8080"},
		{"note", "a: b\n#x"},
	};
	struct kn_pod pod = {0};
	struct kn_lines l;
	size_t i, o;
	char all[4096] = "";

	tu_keys(f, "2/payments.shop\ny");
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_DETAIL);
	assert_true(tu_shows(f, "Service shop/payments as YAML"));
	assert_true(tu_shows(f, "kind: Service"));
	assert_true(tu_shows(f, "    targetPort: http"));
	kn_screen_key(f->s, KN_KEY_ESC);
	tu_keys(f, "d");
	assert_true(tu_shows(f, "Endpoints (0 ready, 2 not ready)"));
	kn_screen_key(f->s, KN_KEY_ESC);
	tu_keys(f, "4/checkout\ny");
	assert_true(tu_shows(f, "apiVersion: networking.k8s.io/v1"));
	assert_true(tu_shows(f, "pathType: Exact"));
	kn_screen_key(f->s, KN_KEY_ESC);
	/* Not in the DNS pane: its rows are records, not objects. */
	tu_keys(f, "3y");
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_TABLE);

	/* Values that would read as another type, or break the line, are
	 * quoted. */
	pod.o.kind = KN_POD;
	pod.o.ns = "shop";
	pod.o.name = "web-1";
	pod.labels = labels;
	pod.nlabels = 4;
	kn_lines_init(&l);
	kn_objyaml(&pod.o, &l);
	for (i = 0, o = 0; i < l.n && o < sizeof(all); i++)
		o += (size_t)snprintf(all + o, sizeof(all) - o, "%s\n", l.v[i]);
	assert_non_null(strstr(all, "\n    app: web\n"));
	assert_non_null(strstr(all, "\n    enabled: \"true\"\n"));
	assert_non_null(strstr(all, "\n    build: \"8080\"\n"));
	assert_non_null(strstr(all, "\n    note: \"a: b\\x0a#x\"\n"));
	assert_non_null(strstr(all, "\n  phase: Unknown\n"));
	kn_lines_release(&l);
}

static void
test_namespace_filter(void **state)
{
	struct tu_screen *f = *state;
	int i;

	tu_keys(f, ":ns shop\n");
	for (i = 0; i < KN_PANE_TRAFFIC; i++) {
		struct kn_pane *p = kn_screen_pane_at(f->s, i);
		size_t r, n = kn_table_total(p->table);
		char tmp[64];

		assert_true(n > 0);
		for (r = 0; r < n && i != KN_PANE_NODES && i != KN_PANE_DNS;
		     r++)
			assert_string_equal(
				kn_table_cell(p->table, r, 0, tmp, sizeof(tmp)),
				"shop");
	}
	/* Nodes are cluster-scoped: every one stays. */
	tu_keys(f, "5");
	assert_true(tu_shows(f, "demo-control-plane"));
	assert_true(tu_shows(f, "demo-worker2"));
	tu_keys(f, "3");
	assert_false(tu_shows(f, "kube-dns.kube-system.svc"));
	assert_true(tu_shows(f, "cart.shop.svc.cluster.local."));
	/* :ns alone lists the namespaces with their pods; / narrows. */
	tu_keys(f, ":ns\n");
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_PICK);
	assert_true(tu_shows(f, "ingress-nginx"));
	tu_keys(f, "/kube-sys\n\n");
	assert_string_equal(kn_screen_namespace(f->s), "kube-system");
	tu_keys(f, ":ns all\n1");
	assert_true(tu_shows(f, "kube-system"));
	assert_true(tu_shows(f, "ingress-nginx"));
}

static void
test_lookup(void **state)
{
	struct tu_screen *f = *state;
	const char *t;

	t = lookup(f, "shop", "frontend.shop.svc.cluster.local");
	assert_non_null(strstr(t, "frontend.shop.svc.cluster.local. A "
				  "10.96.120.10 - ClusterIP of Service "
				  "shop/frontend"));
	tu_keys(f, "q");
	t = lookup(f, "shop", "postgres");
	assert_non_null(strstr(t, "postgres.shop.svc.cluster.local. A "
				  "10.244.1.20 - ready endpoint of headless "
				  "Service shop/postgres: pod "
				  "shop/postgres-0 on node demo-worker"));
	assert_non_null(strstr(t, "10.244.2.20"));
	kn_screen_key(f->s, KN_KEY_ESC);
	t = lookup(f, "shop", "10.244.1.20");
	assert_non_null(strstr(t, "PTR 20.1.244.10.in-addr.arpa."));
	assert_non_null(strstr(t, "PTR postgres-0.postgres.shop.svc."
				  "cluster.local."));
	assert_non_null(strstr(t, "IP of Pod shop/postgres-0"));
	tu_keys(f, "q");
	t = lookup(f, "shop", "nothing.shop.svc.cluster.local.");
	assert_non_null(strstr(t, "NXDOMAIN: no service 'nothing' in "
				  "namespace 'shop'"));
	tu_keys(f, "q");
	/* A short name goes through the search path of a pod in :ns. */
	t = lookup(f, "shop", "cart");
	assert_non_null(strstr(t, "search shop.svc.cluster.local "
				  "svc.cluster.local cluster.local"));
	assert_non_null(strstr(t, "0 dots < ndots 5"));
	assert_non_null(strstr(t, "cart.shop.svc.cluster.local. A "
				  "10.96.120.11 - ClusterIP of Service "
				  "shop/cart"));
	tu_keys(f, "q");
	/* From another namespace the search path misses first. */
	t = lookup(f, "default", "web.shop");
	assert_non_null(strstr(t, "web.shop.default.svc.cluster.local."));
	assert_non_null(strstr(t, "no service 'web' in namespace 'shop'"));
	tu_keys(f, "q");
	t = lookup(f, "shop", "billing");
	assert_non_null(strstr(t, "CNAME billing.payments-provider."
				  "example.com."));
	tu_keys(f, "q");
	t = lookup(f, "shop", "bad name!");
	assert_non_null(strstr(t, "invalid"));
}

/* The Policies pane: the pod whose egress policy forgets DNS is red and
 * says so; the detail lists each rule in words; `c` answers may it reach
 * a service, and `m` draws the matrix of the pods shown. */
static void
test_policies(void **state)
{
	struct tu_screen *f = *state;
	const char *t;

	tu_keys(f, ":ns shop\n7");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_POLICIES);
	assert_true(tu_shows(f, "BLOCKED"));
	assert_int_equal(role_of(f, "checkout-6c66edcc53"), KN_ROLE_ERROR);
	t = detail(f, KN_PANE_POLICIES, "checkout");
	assert_non_null(strstr(t, "egress    isolated"));
	assert_non_null(
		strstr(t, "checkout-egress  (Egress; pods app=checkout)"));
	assert_non_null(strstr(t, "egress[0] allows TCP 8080, TCP 5432 to pods "
				  "app in (payments, postgres) in namespace "
				  "shop"));
	assert_non_null(strstr(t, "web-from-ingress-nginx"));
	assert_non_null(strstr(t, "ingress[0] allows TCP port http from every "
				  "pod in namespaces kubernetes.io/metadata."
				  "name=ingress-nginx"));
	/* The selected pod asks. */
	tu_keys(f, "/checkout\n");
	tu_keys(f, "c");
	assert_int_equal(kn_screen_prompt(f->s), KN_PROMPT_PANE);
	tu_keys(f, "kube-system/kube-dns 53/udp\n");
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_DETAIL);
	t = tu_frame(f);
	assert_non_null(strstr(t, "ALLOWED   no (0 of 2 pod pairs)"));
	assert_non_null(strstr(t, "shop/checkout-egress: isolates for egress; "
				  "no rule allows it"));
	tu_keys(f, "q");
	tu_keys(f, "c");
	tu_keys(f, "shop/payments 8080\n");
	assert_true(tu_shows(f, "ALLOWED   yes (2 of 2 pod pairs)"));
	tu_keys(f, "q");
	tu_keys(f, "c");
	tu_keys(f, "shop/nope\n");
	assert_true(tu_shows(f, "no pod or service shop/nope"));
	tu_keys(f, "q");
	/* The matrix of the pods shown (the filter keeps checkout). */
	tu_keys(f, "/\x15\n"); /* clear the filter */
	tu_keys(f, "m\n");
	t = tu_frame(f);
	assert_non_null(strstr(t, "Reachability matrix"));
	assert_non_null(strstr(t, "any port; '.' allowed, 'X' denied"));
	assert_non_null(strstr(t, "12  shop/postgres-1"));
	tu_keys(f, "q");
	/* :can from any pane. */
	tu_keys(f, "1:can shop/frontend-5b408af5e0-14ad6 svc/shop/cart 80\n");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_POLICIES);
	assert_int_equal(kn_screen_view(f->s), KN_VIEW_DETAIL);
	t = tu_frame(f);
	assert_non_null(strstr(t, "ALLOWED   yes (2 of 2 pod pairs)"));
	assert_non_null(strstr(t, "shop/backends-from-frontend ingress[0]: "
				  "allows TCP port http from pods tier=web"));
	tu_keys(f, "q:ns shop\nv\n");
	t = tu_frame(f);
	assert_non_null(strstr(t, "NetworkPolicies in shop"));
	assert_non_null(strstr(t, "shop/default-deny-ingress  (Ingress; pods "
				  "all: 12 selected)"));
	assert_non_null(strstr(t, "ingress: no rule: denies all ingress"));
	tu_keys(f, "qvegress\n");
	assert_true(tu_shows(f, "shop/checkout-egress  (Egress; pods "
				"app=checkout: 1 selected)"));
	assert_false(tu_shows(f, "default-deny-ingress"));
	tu_keys(f, "q:can shop/cart\n");
	assert_true(tu_shows(f, "give SRC DST [PORT]"));
	tu_keys(f, "q");
}

/* Rows point at model objects: a pod deleted (and a service replaced)
 * between two refreshes is drawn from memory the model keeps until the
 * screen rebuilt its rows (ASan would see a use after free otherwise). */
static void
test_rows_outlive_deletes(void **state)
{
	struct tu_screen *f = *state;
	struct kn_model *m = f->app.model;
	struct kn_obj *svc = kn_model_find(m, KN_SERVICE, "shop", "cart");

	tu_keys(f, ":ns all\n1");
	assert_true(tu_shows(f, "postgres-0"));
	tu_keys(f, "2");
	assert_true(tu_shows(f, "cart"));
	tu_keys(f, "1");
	assert_non_null(svc);
	assert_true(kn_model_delete(m, KN_POD, "shop", "postgres-0"));
	assert_true(kn_model_delete(m, KN_SERVICE, "shop", "cart"));
	/* Drawn before any refresh: the old rows, from kept memory. */
	assert_true(tu_shows(f, "postgres-0"));
	kn_screen_refresh_lazy(f->s);
	assert_false(tu_shows(f, "postgres-0"));
	/* The hidden Services pane dropped its rows and rebuilds on show. */
	tu_keys(f, "2");
	assert_true(tu_shows(f, "catalog"));
	assert_false(tu_shows(f, "10.96.120.11"));
	tu_keys(f, "1");
}

/* The Routes pane: pane 8 and its aliases, a broken chain in red, the
 * detail of the weighted canary down to the nodes, and a cluster without
 * the Gateway API. */
static void
test_routes(void **state)
{
	struct tu_screen *f = *state;
	const char *t;

	tu_keys(f, "8");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_ROUTES);
	assert_true(tu_shows(f, "8 Routes"));
	assert_true(tu_shows(f, "thomasmldejong.nl"));
	assert_int_equal(role_of(f, "ref-not-permitted"), KN_ROLE_ERROR);
	assert_int_equal(role_of(f, "no-matching-listener"), KN_ROLE_ERROR);
	/* ok, but the controller's status says otherwise */
	assert_int_equal(role_of(f, "shop.v1.Checkout"), KN_ROLE_WARNING);
	tu_keys(f, "1:gw\n");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_ROUTES);
	tu_keys(f, "1:httproute\n");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_ROUTES);
	tu_keys(f, "1:routes\n");
	assert_int_equal(kn_screen_pane(f->s), KN_PANE_ROUTES);
	t = detail(f, KN_PANE_ROUTES, "90%");
	assert_non_null(strstr(t, "HTTPRoute shop/storefront  spec.rules[1]"));
	assert_non_null(strstr(t, "class eg -> controller "
				  "gateway.envoyproxy.io/gatewayclass-"
				  "controller"));
	assert_non_null(strstr(t, "listener https 443/HTTPS host "
				  "*.shop.example.com  TLS Terminate cert "
				  "envoy-gateway-system/shop-wildcard-tls"));
	assert_non_null(strstr(t, "backend Service shop/frontend port 80 "
				  "weight 90 (90% of the rule)"));
	assert_non_null(strstr(t, "pod shop/frontend-5b408af5e0-1711a "
				  "(Running)  node demo-worker"));
	assert_non_null(strstr(t, "demo-worker2: 1 endpoint of shop/"
				  "frontend"));
	assert_non_null(strstr(t, "Accepted=True Accepted: Valid "
				  "GatewayClass"));
	assert_non_null(strstr(t, "rules[1] via envoy-gateway-system/eg "
				  "section https -> shop/frontend-canary:80  "
				  "ok"));
	t = detail(f, KN_PANE_ROUTES, "ref-not-permitted");
	assert_non_null(strstr(t, "reason     no ReferenceGrant in shop lets "
				  "HTTPRoute of default refer to\n"));
	assert_non_null(strstr(t, "           Service checkout\n"));
	assert_non_null(strstr(t, "ResolvedRefs=False RefNotPermitted: "));
	t = detail(f, KN_PANE_ROUTES, "legacy");
	assert_non_null(strstr(t, "listener https 443/HTTPS host "
				  "*.shop.example.com (closest; does not take "
				  "it)"));
	/* Discovery found no Gateway API: said once, nothing else. */
	kn_model_set_gateway_api(f->app.model, KN_API_ABSENT, NULL);
	kn_screen_refresh_lazy(f->s);
	assert_true(tu_shows(f, "Gateway API not installed"));
	kn_model_set_gateway_api(f->app.model, KN_API_UNKNOWN, NULL);
}

/* The lookup model function, without the screen. */
static void
test_lookup_model(void **state)
{
	struct tu_screen *f = *state;
	struct kn_lookup l;

	kn_model_lookup(f->app.model, "frontend.shop.svc.cluster.local", "shop",
			&l);
	/* 4 dots < ndots:5: the search list is tried first. */
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	assert_int_equal(l.ntries, 4);
	assert_string_equal(l.tries[0].name, "frontend.shop.svc.cluster."
					     "local.shop.svc.cluster.local.");
	assert_int_equal(l.tries[0].rcode, KN_LOOKUP_NXDOMAIN);
	kn_lookup_release(&l);
	kn_model_lookup(f->app.model, "_tcp-postgres._tcp.postgres SRV", "shop",
			&l);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	assert_int_equal(l.answers.n, 2);
	kn_lookup_release(&l);
	kn_model_lookup(f->app.model, "cart AAAA", "shop", &l);
	assert_int_equal(l.tries[0].rcode, KN_LOOKUP_NODATA);
	kn_lookup_release(&l);
	kn_model_lookup(f->app.model, "10-244-2-13.shop.pod.cluster.local.",
			NULL, &l);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	assert_string_equal(l.answers.v[0].value, "10.244.2.13");
	kn_lookup_release(&l);
	kn_model_lookup(f->app.model, "172.18.0.3", NULL, &l);
	assert_int_equal(l.rcode, KN_LOOKUP_NXDOMAIN);
	assert_non_null(strstr(l.notes.v[0], "Node demo-worker"));
	kn_lookup_release(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rows_and_roles, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_typed_cells_and_sort,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_traffic_link, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pod_detail, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_service_detail, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ingress_detail, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_node_detail, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_open_and_close, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_yaml_and_describe, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_namespace_filter, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_outlive_deletes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_policies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_model, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
