/* Traffic pane: DNS, HTTP and TLS transactions seen by the capture, in
 * sub-views (all, DNS, HTTP, TLS, talkers by pod and by service, DNS by
 * name, HTTP by service) with follow, pause and clear, transaction
 * details, and the interface picker when nothing is captured. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "k8snet/agent.h"
#include "k8snet/loop.h"
#include "k8snet/alloc.h"
#include "k8snet/capture.h"
#include "k8snet/dns.h"
#include "k8snet/layers.h"
#include "k8snet/model.h"
#include "k8snet/policy.h"
#include "pane.h"
#include "k8snet/ui.h"
#include "agents_feed.h"
#include "detail.h"
#include "traffic_dns.h"
#include "traffic_agents.h"
#include "traffic_view.h"

enum tv {
	TV_ALL,
	TV_DNS,
	TV_HTTP,
	TV_TLS,
	TV_PODS,
	TV_SVCS,
	TV_NAMES,
	TV_HTTPSVC,
	TV_AGENTS,
	TV_IFACES,
	TV__COUNT
};

/* The transaction lists (TV_ALL .. TV_TLS) are tables over the Traffic
 * view; the summaries and the interface picker fill p->rows. */
#define TV_LISTS 4

static const struct kn_view_def *const kn_tv_lists[TV_LISTS] = {
	&kn_view_traffic,
	&kn_view_traffic_dns,
	&kn_view_traffic_http,
	&kn_view_traffic_tls,
};

static const struct kn_column kn_tv_talk_cols[] = {
	{"NAME", 12, 0, KN_ALIGN_LEFT, 3, false, true},
	{"TOTAL", 5, 8, KN_ALIGN_RIGHT, 0, true, false},
	{"DNS-Q", 5, 8, KN_ALIGN_RIGHT, 0, true, false},
	{"NXDOMAIN", 8, 8, KN_ALIGN_RIGHT, 0, true, false},
	{"HTTP-OUT", 8, 8, KN_ALIGN_RIGHT, 0, true, false},
	{"HTTP-IN", 7, 8, KN_ALIGN_RIGHT, 0, true, false},
	{"5XX", 3, 6, KN_ALIGN_RIGHT, 0, true, false},
	{"TLS", 3, 6, KN_ALIGN_RIGHT, 0, true, false},
	{"IPS", 3, 4, KN_ALIGN_RIGHT, 0, true, false},
};
static const struct kn_column kn_tv_httpsvc_cols[] = {
	{"SERVICE", 12, 0, KN_ALIGN_LEFT, 3, false, true},
	{"REQ", 4, 8, KN_ALIGN_RIGHT, 0, true, false},
	{"REQ/S", 5, 8, KN_ALIGN_RIGHT, 0, true, false},
	{"2XX", 3, 7, KN_ALIGN_RIGHT, 0, true, false},
	{"3XX", 3, 7, KN_ALIGN_RIGHT, 0, true, false},
	{"4XX", 3, 7, KN_ALIGN_RIGHT, 0, true, false},
	{"5XX", 3, 7, KN_ALIGN_RIGHT, 0, true, false},
	{"NORESP", 6, 7, KN_ALIGN_RIGHT, 0, true, false},
	{"P50", 6, 9, KN_ALIGN_RIGHT, 0, true, false},
	{"P90", 6, 9, KN_ALIGN_RIGHT, 0, true, false},
	{"P99", 6, 9, KN_ALIGN_RIGHT, 0, true, false},
};
static const struct kn_column kn_tv_iface_cols[] = {
	{"INTERFACE", 9, 20, KN_ALIGN_LEFT, 1, false, true},
	{"WHAT", 10, 0, KN_ALIGN_LEFT, 2, false, false},
	{"ADDRESSES", 9, 0, KN_ALIGN_LEFT, 2, false, false},
	{"STATE", 5, 8, KN_ALIGN_LEFT, 0, false, false},
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
	const struct kn_column *cols; /* NULL: the list's view */
	int ncols, sort;
	const char *key, *name;
} kn_tv_views[TV__COUNT] = {
	{NULL, 0, 0, "a", "all"},
	{NULL, 0, 0, "d", "dns"},
	{NULL, 0, 0, "h", "http"},
	{NULL, 0, 0, "l", "tls"},
	{kn_tv_talk_cols, NCOLS(kn_tv_talk_cols), 1, "o", "pods"},
	{kn_tv_talk_cols, NCOLS(kn_tv_talk_cols), 1, "v", "services"},
	{kn_tv_dns_names_cols, NCOLS(kn_tv_dns_names_cols), 1, "n",
	 "dns names"},
	{kn_tv_httpsvc_cols, NCOLS(kn_tv_httpsvc_cols), 1, "b", "http by svc"},
	{kn_tv_agents_cols, KN_TV_AGENTS_NCOLS, 0, "e", "agents"},
	{kn_tv_iface_cols, NCOLS(kn_tv_iface_cols), 0, "i", "interfaces"},
};

enum {
	ACT_VIEW = KN_ACT_PANE_BASE, /* + enum tv */
	ACT_PAUSE = KN_ACT_PANE_BASE + 20,
	ACT_FOLLOW,
	ACT_CLEAR,
	ACT_WIDE,
};

static const struct kn_keybind kn_traffic_binds[] = {
	{'a', ACT_VIEW + TV_ALL, "all transactions", NULL},
	{'d', ACT_VIEW + TV_DNS, "DNS transactions", NULL},
	{'h', ACT_VIEW + TV_HTTP, "HTTP transactions", NULL},
	{'l', ACT_VIEW + TV_TLS, "TLS client hellos (SNI)", NULL},
	{'o', ACT_VIEW + TV_PODS, "top talkers by pod", NULL},
	{'v', ACT_VIEW + TV_SVCS, "top talkers by service", NULL},
	{'n', ACT_VIEW + TV_NAMES,
	 "DNS by name: count, NXDOMAIN, SERVFAIL, REFUSED, other rcodes, "
	 "unanswered, p50/p90/p99",
	 NULL},
	{'b', ACT_VIEW + TV_HTTPSVC,
	 "HTTP by service: req/s, status classes, p50/p90/p99", NULL},
	{'e', ACT_VIEW + TV_AGENTS,
	 "node agents: each one's state, lines, drops, left out, last line "
	 "and CNI",
	 NULL},
	{'i', ACT_VIEW + TV_IFACES, "interfaces to capture on (Enter starts)",
	 NULL},
	{'p', ACT_PAUSE, "pause the view (capture goes on); again resumes",
	 "pause"},
	{'f', ACT_FOLLOW,
	 "follow: keep the newest transaction selected (moving leaves it; "
	 "End follows again)",
	 "follow"},
	{'c', ACT_CLEAR, "clear the transactions shown", "clear"},
	{'w', ACT_WIDE, "wide: addresses beside the names", NULL},
};

static const struct kn_keymap kn_traffic_keys = {
	"Traffic", kn_traffic_binds,
	sizeof(kn_traffic_binds) / sizeof(kn_traffic_binds[0])};

/* What a list's rows were built from. While only the range of
 * transactions moves on, the next refresh drops the rows of those gone
 * and adds the new ones (a full ring is 50,000 rows); anything else
 * (namespace, wide, names, the model, another capture) builds them
 * again. */
struct tv_built {
	bool ok;
	bool wide;
	const struct kn_capture *cap;
	const struct kn_model *model;
	uint64_t names; /* kn_capture_names_version */
	char ns[256];	/* "": every namespace */
};

struct tv_state {
	enum tv view;
	struct tv_built built[TV_LISTS];
	struct kn_table *tables[TV__COUNT];
	struct kn_rowstore *rows[TV__COUNT]; /* summaries, interfaces */
	struct kn_vtable *lists[TV_LISTS];
	struct kn_policy_cache policy; /* verdicts on the rows */
	bool paused, follow, wide;
	bool chosen;	      /* a view key was pressed */
	bool from_agents;     /* the summary shown is the agents' */
	uint64_t clear_from;  /* transactions before this are cleared */
	uint64_t frozen_end;  /* paused: the newest shown */
	char ifnames[64][64]; /* interface picker rows */
	int nifs;
	char picked_err[KN_ERRBUF];
};

/* ---- shared helpers (traffic_view.h) ------------------------------- */

const char *
kn_tv_name(struct kn_app *app, const struct kn_ipaddr *ip, bool wide, char *buf,
	   size_t n)
{
	struct kn_vctx cx = {.capture = app->capture, .wide = wide};

	return kn_view_traffic_peer(&cx, ip, buf, n);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

double
kn_tv_percentile_sorted(const int64_t *v, size_t n, double q)
{
	size_t i;

	if (n == 0)
		return -1;
	i = (size_t)(q * (double)(n - 1) + 0.5);
	return (double)v[i < n ? i : n - 1];
}

double
kn_tv_percentile(int64_t *v, size_t n, double q)
{
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_i64);
	return kn_tv_percentile_sorted(v, n, q);
}

const char *
kn_tv_ms(int64_t us, char *buf, size_t n)
{
	struct kn_value v = {.type = KN_VT_MS, .ms = (double)us / 1000.0};

	if (us < 0)
		snprintf(buf, n, "-");
	else
		kn_value_text(&v, buf, n); /* MS text is written into buf */
	return buf;
}

/* ---- the transaction lists ----------------------------------------- */

static bool
tv_wanted(const struct tv_state *st, const struct kn_recent *r)
{
	switch (st->view) {
	case TV_NAMES:
		return r->type == KN_TXN_DNS;
	case TV_HTTPSVC:
		return r->type == KN_TXN_HTTP;
	default:
		return true;
	}
}

/* The range of transactions the view shows: [from, end). */
static void
tv_range(struct kn_pane *p, struct tv_state *st, uint64_t *from, uint64_t *end)
{
	struct kn_capture *cap = p->app->capture;
	uint64_t oldest = kn_capture_recent_oldest(cap);

	*end = st->paused ? st->frozen_end : kn_capture_recent_added(cap);
	*from = st->clear_from > oldest ? st->clear_from : oldest;
	if (*from > *end)
		*from = *end;
}

static bool
tv_ns_ok(struct kn_pane *p, const struct kn_recent *r, const char *ns)
{
	struct kn_capture *cap = p->app->capture;

	return ns == NULL || kn_capture_in_ns(cap, &r->client.ip, ns) ||
	       kn_capture_in_ns(cap, &r->server.ip, ns);
}

static bool
tv_built_same(const struct tv_built *b, const struct tv_built *now)
{
	return b->ok && b->wide == now->wide && b->cap == now->cap &&
	       b->model == now->model && b->names == now->names &&
	       strcmp(b->ns, now->ns) == 0;
}

/* The list's rows: the kept transactions in range, in cx->ns; those of
 * the last refresh kept when they can be. */
static void
tv_list(struct kn_pane *p, struct tv_state *st, const struct kn_pane_view *v)
{
	struct kn_vtable *vt = st->lists[st->view];
	struct tv_built *b = &st->built[st->view], now = {0};
	uint64_t old_from = vt->cx.txn_from, old_end = vt->cx.txn_end;

	now.ok = true;
	now.wide = st->wide;
	now.cap = p->app->capture;
	now.model = p->app->model;
	now.names = kn_capture_names_version(p->app->capture);
	snprintf(now.ns, sizeof(now.ns), "%s", v->ns != NULL ? v->ns : "");
	vt->cx.capture = p->app->capture;
	vt->cx.model = p->app->model;
	vt->cx.policy = &st->policy;
	vt->cx.ns = v->ns;
	vt->cx.ascii = p->app->opts.ascii;
	vt->cx.wide = st->wide;
	tv_range(p, st, &vt->cx.txn_from, &vt->cx.txn_end);
	p->vt = vt;
	if (tv_built_same(b, &now) && vt->cx.txn_from >= old_from &&
	    vt->cx.txn_end >= old_end) {
		p->dropped =
			kn_view_traffic_update(&vt->view, &vt->cx, old_end);
		p->appended = true;
		return;
	}
	kn_view_build(&vt->view, &vt->cx);
	*b = now;
}

/* Follow: select the newest transaction shown (first packet's time,
 * then completion), wherever the sort and the filter put it. */
static void
tv_follow(struct kn_pane *p, struct tv_state *st)
{
	const struct kn_view *view = &st->lists[st->view]->view;
	size_t n = kn_table_visible(p->table), pos, best = 0;
	const struct kn_recent *t, *b = NULL;

	if (n == 0)
		return;
	if (kn_table_sort_col(p->table) == 0) { /* TIME */
		kn_table_move_to(p->table,
				 kn_table_sort_reverse(p->table) ? 0 : n - 1);
		return;
	}
	for (pos = 0; pos < n; pos++) {
		t = kn_view_traffic_txn(
			&view->rows[kn_table_row_at(p->table, pos)]);
		if (t != NULL && (b == NULL || t->ts_us > b->ts_us ||
				  (t->ts_us == b->ts_us && t->seq > b->seq))) {
			b = t;
			best = pos;
		}
	}
	kn_table_move_to(p->table, best);
}

/* ---- summaries ----------------------------------------------------- */

struct agg {
	char name[192];
	uint64_t total, dnsq, nx, http_out, http_in, e5, tls;
	uint64_t c2, c3, c4, c5, noresp;
	uint64_t first_us, last_us;
	int64_t *lat;
	size_t nlat, caplat;
	struct kn_lat_hist hist; /* the agents' (when lat is empty) */
	unsigned nips;
};

struct aggs {
	struct agg *v;
	size_t n, cap;
};

static struct agg *
aggs_get(struct aggs *a, const char *name)
{
	size_t i;

	/* Linear probing over a sorted-free list is enough: summaries
	 * refresh at most twice a second over <= 50,000 transactions and
	 * hold few distinct names; a hash keeps it linear. */
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, name) == 0)
			return &a->v[i];
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->v = kn_xreallocarray(a->v, a->cap, sizeof(*a->v));
	}
	memset(&a->v[a->n], 0, sizeof(a->v[0]));
	snprintf(a->v[a->n].name, sizeof(a->v[0].name), "%s", name);
	return &a->v[a->n++];
}

static void
agg_lat(struct agg *g, int64_t us)
{
	if (us < 0)
		return;
	if (g->nlat == g->caplat) {
		g->caplat = g->caplat ? g->caplat * 2 : 16;
		g->lat = kn_xreallocarray(g->lat, g->caplat, sizeof(*g->lat));
	}
	g->lat[g->nlat++] = us;
}

static void
aggs_release(struct aggs *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i].lat);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/* Is ip's owner of kind (pod or service) by the model? */
static bool
tv_owner_is(struct kn_app *app, const struct kn_ipaddr *ip,
	    enum kn_owner_kind kind)
{
	struct kn_owner o;

	if (app->model == NULL)
		return false;
	o = kn_model_ip_owner(app->model, ip);
	return o.kind == kind;
}

static void
tv_talker(struct kn_pane *p, struct tv_state *st, struct aggs *a,
	  const struct kn_recent *r, bool client)
{
	const struct kn_ipaddr *ip = client ? &r->client.ip : &r->server.ip;
	char nm[192];
	struct agg *g;

	if (!tv_owner_is(p->app, ip,
			 st->view == TV_PODS ? KN_OWNER_POD : KN_OWNER_SERVICE))
		return;
	g = aggs_get(a, kn_tv_name(p->app, ip, false, nm, sizeof(nm)));
	g->total++;
	if (r->type == KN_TXN_DNS && client) {
		g->dnsq++;
		if (r->code == KN_DNS_NXDOMAIN)
			g->nx++;
	} else if (r->type == KN_TXN_HTTP) {
		if (client)
			g->http_out++;
		else
			g->http_in++;
		if (r->code >= 500)
			g->e5++;
	} else if (r->type == KN_TXN_TLS) {
		g->tls++;
	}
}

static void
tv_add_talkers(struct kn_pane *p, struct aggs *a)
{
	char b[9][24];
	const char *cells[9];
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct agg *g = &a->v[i];

		snprintf(b[1], 24, "%llu", (unsigned long long)g->total);
		snprintf(b[2], 24, "%llu", (unsigned long long)g->dnsq);
		snprintf(b[3], 24, "%llu", (unsigned long long)g->nx);
		snprintf(b[4], 24, "%llu", (unsigned long long)g->http_out);
		snprintf(b[5], 24, "%llu", (unsigned long long)g->http_in);
		snprintf(b[6], 24, "%llu", (unsigned long long)g->e5);
		snprintf(b[7], 24, "%llu", (unsigned long long)g->tls);
		snprintf(b[8], 24, "-");
		cells[0] = g->name;
		for (int c = 1; c < 9; c++)
			cells[c] = b[c];
		kn_rowstore_add(p->rows, cells,
				g->e5	? KN_ROLE_ERROR
				: g->nx ? KN_ROLE_WARNING
					: KN_ROLE_NORMAL);
	}
}

static void
tv_add_httpsvc(struct kn_pane *p, struct aggs *a)
{
	static const double qs[3] = {0.5, 0.9, 0.99};
	char b[11][24];
	const char *cells[11];
	double span;
	size_t i;
	int q;

	for (i = 0; i < a->n; i++) {
		struct agg *g = &a->v[i];

		span = (double)(g->last_us - g->first_us) / 1e6;
		snprintf(b[1], 24, "%llu", (unsigned long long)g->total);
		snprintf(b[2], 24, "%.1f",
			 span >= 1 ? (double)g->total / span
				   : (double)g->total);
		snprintf(b[3], 24, "%llu", (unsigned long long)g->c2);
		snprintf(b[4], 24, "%llu", (unsigned long long)g->c3);
		snprintf(b[5], 24, "%llu", (unsigned long long)g->c4);
		snprintf(b[6], 24, "%llu", (unsigned long long)g->c5);
		snprintf(b[7], 24, "%llu", (unsigned long long)g->noresp);
		for (q = 0; q < 3; q++)
			kn_tv_ms((int64_t)(g->hist.n > 0
						   ? kn_lat_percentile(&g->hist,
								       qs[q])
						   : kn_tv_percentile(g->lat,
								      g->nlat,
								      qs[q])),
				 b[8 + q], 24);
		cells[0] = g->name;
		for (int c = 1; c < 11; c++)
			cells[c] = b[c];
		kn_rowstore_add(p->rows, cells,
				g->c5	? KN_ROLE_ERROR
				: g->c4 ? KN_ROLE_WARNING
					: KN_ROLE_NORMAL);
	}
}

/* HTTP by service from the node agents' merged summaries: every request
 * they counted, by the server's owner; the rate over the time since the
 * first agent line. False when the agents have said nothing of HTTP. */
static bool
tv_httpsvc_agents(struct kn_pane *p, struct aggs *a, const char *ns)
{
	struct kn_agents_merge *m = kn_agents_feed_merge(p->app->agents);
	struct kn_capture *cap = p->app->capture;
	uint64_t since = kn_agents_feed_since(p->app->agents);
	const struct kn_agents_key *k;
	struct agg *g;
	char nm[192];
	size_t i, all;
	uint32_t c;
	int32_t code;
	bool any = false;

	all = m != NULL ? kn_agents_nkeys(m) + 3 : 0;
	for (i = 0; i < all; i++) {
		k = kn_agents_key_at(m, i);
		if (k == NULL || k->type != KN_TXN_HTTP || k->n == 0)
			continue;
		any = true;
		if (ns != NULL && (k->other || cap == NULL ||
				   (!kn_capture_in_ns(cap, &k->client, ns) &&
				    !kn_capture_in_ns(cap, &k->server, ns))))
			continue;
		g = aggs_get(a, k->other ? "(other services)"
					 : kn_tv_name(p->app, &k->server, false,
						      nm, sizeof(nm)));
		g->total += k->n;
		g->first_us = 0;
		g->last_us = since != 0 ? (kn_now_ms() - since) * 1000 : 0;
		for (c = 0; c < k->ncodes; c++) {
			code = k->codes[c].code;
			g->c2 += code / 100 == 2 ? k->codes[c].count : 0;
			g->c3 += code / 100 == 3 ? k->codes[c].count : 0;
			g->c4 += code / 100 == 4 ? k->codes[c].count : 0;
			g->c5 += code / 100 == 5 ? k->codes[c].count : 0;
			g->noresp += code < 0 ? k->codes[c].count : 0;
		}
		kn_lat_merge(&g->hist, &k->lat);
	}
	return any;
}

static void
tv_summary(struct kn_pane *p, struct tv_state *st, const struct kn_pane_view *v)
{
	struct kn_capture *cap = p->app->capture;
	const struct kn_recent *r;
	struct aggs a = {0};
	struct agg *g;
	char nm[192];
	uint64_t from, end, seq;

	tv_range(p, st, &from, &end);
	st->from_agents = false;
	if (st->view == TV_NAMES) {
		st->from_agents = kn_traffic_dns_names_agents(
			p, kn_agents_feed_merge(p->app->agents), v->ns);
		if (!st->from_agents)
			kn_traffic_dns_names(p, from, end, v->ns);
		return;
	}
	if (st->view == TV_HTTPSVC && tv_httpsvc_agents(p, &a, v->ns)) {
		st->from_agents = true;
		tv_add_httpsvc(p, &a);
		aggs_release(&a);
		return;
	}
	for (seq = from; seq < end; seq++) {
		r = kn_capture_recent(cap, seq);
		if (r == NULL || !tv_wanted(st, r) || !tv_ns_ok(p, r, v->ns))
			continue;
		switch (st->view) {
		case TV_PODS:
		case TV_SVCS:
			tv_talker(p, st, &a, r, true);
			tv_talker(p, st, &a, r, false);
			break;
		default: /* TV_HTTPSVC: by the server's owner */
			g = aggs_get(&a, kn_tv_name(p->app, &r->server.ip,
						    false, nm, sizeof(nm)));
			if (g->total++ == 0)
				g->first_us = r->ts_us;
			g->last_us = r->ts_us;
			g->c2 += r->code / 100 == 2;
			g->c3 += r->code / 100 == 3;
			g->c4 += r->code / 100 == 4;
			g->c5 += r->code / 100 == 5;
			g->noresp += r->code < 0;
			agg_lat(g, r->latency_us);
			break;
		}
	}
	if (st->view == TV_PODS || st->view == TV_SVCS)
		tv_add_talkers(p, &a);
	else
		tv_add_httpsvc(p, &a);
	aggs_release(&a);
}

/* ---- interface picker ---------------------------------------------- */

/* What an interface is, from its name (CNI conventions). */
static const char *
tv_iface_kind(const char *n)
{
	static const struct {
		const char *prefix, *what;
	} kinds[] = {
		{"any", "every interface (Linux cooked)"},
		{"cni0", "CNI bridge: pods on this node (flannel, bridge)"},
		{"cbr0", "CNI bridge: pods on this node (kubenet)"},
		{"flannel.",
		 "flannel VXLAN overlay: pod traffic between nodes"},
		{"flannel-wg", "flannel WireGuard overlay"},
		{"vxlan.calico", "Calico VXLAN overlay"},
		{"tunl0", "Calico IP-in-IP overlay"},
		{"cali", "Calico pod interface (one pod)"},
		{"cilium_host", "Cilium host side of the pod network"},
		{"cilium_net", "Cilium host side of the pod network"},
		{"cilium_vxlan", "Cilium VXLAN overlay"},
		{"cilium_geneve", "Cilium Geneve overlay"},
		{"lxc", "Cilium pod interface (one pod)"},
		{"weave", "Weave Net bridge"},
		{"genev_sys", "OVN/Antrea Geneve overlay"},
		{"antrea-gw", "Antrea gateway"},
		{"kube-ipvs0",
		 "kube-proxy IPVS (service addresses, no traffic)"},
		{"kube-bridge", "kube-router bridge"},
		{"docker0", "Docker bridge"},
		{"veth", "pod or container veth (one pod)"},
		{"eth", "node uplink"},
		{"ens", "node uplink"},
		{"enp", "node uplink"},
		{"eno", "node uplink"},
		{"bond", "node uplink (bond)"},
		{"wg", "WireGuard"},
		{"lo", "loopback: node-local services"},
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strncmp(n, kinds[i].prefix, strlen(kinds[i].prefix)) == 0)
			return kinds[i].what;
	return "";
}

/* The addresses of an interface as one line, as many as fit. */
static void
tv_iface_addrs(const struct kn_capture_iface *f, char *addrs, size_t cap)
{
	char a[KN_IPSTR];
	size_t o = 0;
	unsigned i;

	addrs[0] = '\0';
	for (i = 0; i < f->naddrs; i++) {
		if (o + 2 >= cap)
			continue;
		o += (size_t)snprintf(
			addrs + o, cap - o, "%s%s", o ? " " : "",
			kn_ipaddr_format(&f->addrs[i], a, sizeof(a)));
	}
}

static void
tv_ifaces(struct kn_pane *p, struct tv_state *st)
{
	char errbuf[KN_ERRBUF], addrs[160];
	struct kn_capture_iface *ifs;
	const char *cells[4];
	size_t n, i;

	st->nifs = 0;
	if (kn_capture_interfaces(64, &ifs, &n, errbuf) != KN_OK) {
		snprintf(p->note, sizeof(p->note),
			 "cannot list interfaces: %.160s", errbuf);
		return;
	}
	for (i = 0; i < n; i++) {
		tv_iface_addrs(&ifs[i], addrs, sizeof(addrs));
		snprintf(st->ifnames[st->nifs], sizeof(st->ifnames[0]), "%.*s",
			 (int)sizeof(st->ifnames[0]) - 1, ifs[i].name);
		cells[0] = st->ifnames[st->nifs];
		cells[1] = tv_iface_kind(ifs[i].name);
		cells[2] = addrs;
		cells[3] = ifs[i].up ? "up" : "down";
		kn_rowstore_add(p->rows, cells,
				ifs[i].up ? KN_ROLE_NORMAL : KN_ROLE_DIMMED);
		st->nifs++;
	}
	free(ifs);
}

/* ---- pane ops ------------------------------------------------------ */

static void
kn_traffic_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	struct tv_state *st = p->priv;

	p->vt = NULL;
	/* A list's table gets other rows than its view's (kept ones) unless
	 * tv_list builds them. */
	if (st->view < TV_LISTS && v->app->capture == NULL)
		st->built[st->view].ok = false;
	/* Opened on the picker for want of a capture: once one is there
	 * (the node agents', found by themselves), show what it holds,
	 * unless a view was chosen meanwhile. */
	if (st->view == TV_IFACES && !st->chosen && v->app->capture != NULL) {
		st->view = TV_ALL;
		p->table = st->tables[TV_ALL];
		p->rows = st->rows[TV_ALL];
		kn_rowstore_clear(p->rows);
	}
	if (st->view == TV_AGENTS) {
		if (kn_traffic_agent_rows(p) == 0)
			snprintf(p->note, sizeof(p->note),
				 "no node agents: start with --agents NS, "
				 "or run contrib/k8s/daemonset.yaml");
		return;
	}
	if (st->view == TV_IFACES) {
		tv_ifaces(p, st);
		return;
	}
	if (v->app->capture == NULL) {
		snprintf(p->note, sizeof(p->note),
			 "no capture: press i to "
			 "pick an interface, or start with -i IF, -r FILE or "
			 "--demo");
		return;
	}
	if (st->view < TV_LISTS)
		tv_list(p, st, v);
	else
		tv_summary(p, st, v);
	if ((p->vt != NULL ? p->vt->view.n : kn_rowstore_count(p->rows)) == 0)
		snprintf(p->note, sizeof(p->note),
			 "no %s transactions yet "
			 "(capturing on %s)",
			 st->view == TV_ALL ? "" : kn_tv_views[st->view].name,
			 kn_capture_what(v->app->capture));
}

static void
tv_refresh_now(struct kn_pane *p)
{
	struct kn_pane_view v;

	v.app = p->app;
	v.ns = kn_ui_namespace(p->app);
	kn_pane_refresh(p, &v);
}

static void
tv_set_view(struct kn_pane *p, enum tv view)
{
	struct tv_state *st = p->priv;

	st->view = view;
	p->table = st->tables[view];
	p->rows = st->rows[view];
	tv_refresh_now(p);
}

/* The lists start newest first and following; moving leaves follow,
 * End and f come back to it. */
static void
kn_traffic_table_changed(struct kn_pane *p, int act)
{
	struct tv_state *st = p->priv;

	if (st->view >= TV_LISTS)
		return;
	switch (act) {
	case KN_ACT_UP:
	case KN_ACT_DOWN:
	case KN_ACT_PAGE_UP:
	case KN_ACT_PAGE_DOWN:
	case KN_ACT_TOP:
		st->follow = false;
		return;
	case KN_ACT_BOTTOM:
		st->follow = true;
		break;
	default:
		break;
	}
	if (st->follow)
		tv_follow(p, st);
}

static void
kn_traffic_init(struct kn_pane *p)
{
	struct tv_state *st = kn_xcalloc(1, sizeof(*st));
	int i;

	p->priv = st;
	st->follow = true;
	/* Every sub-view has its own table; the pane's own goes. */
	kn_table_free(p->table);
	kn_rowstore_free(p->rows);
	for (i = 0; i < TV__COUNT; i++) {
		if (i < TV_LISTS) {
			st->lists[i] = kn_vtable_new(kn_tv_lists[i]);
			st->tables[i] = kn_table_new(st->lists[i]->cols,
						     st->lists[i]->ncols);
			kn_vtable_hide_empty(st->lists[i], st->tables[i]);
			st->rows[i] = kn_rowstore_new(0);
			/* TIME, newest first */
			kn_table_sort(st->tables[i], 0, true);
			continue;
		}
		st->tables[i] =
			kn_table_new(kn_tv_views[i].cols, kn_tv_views[i].ncols);
		st->rows[i] = kn_rowstore_new(kn_tv_views[i].ncols);
		if (kn_tv_views[i].sort >= 0)
			kn_table_sort(st->tables[i], kn_tv_views[i].sort,
				      kn_tv_views[i].sort > 0);
	}
	/* Nothing to capture from: start on the interface picker. */
	st->view = p->app->capture == NULL && !p->app->opts.demo ? TV_IFACES
								 : TV_ALL;
	p->table = st->tables[st->view];
	p->rows = st->rows[st->view];
}

static void
kn_traffic_free(struct kn_pane *p)
{
	struct tv_state *st = p->priv;
	int i;

	for (i = 0; i < TV__COUNT; i++) {
		kn_table_free(st->tables[i]);
		kn_rowstore_free(st->rows[i]);
	}
	for (i = 0; i < TV_LISTS; i++)
		kn_vtable_free(st->lists[i]);
	p->table = NULL;
	p->rows = NULL;
	p->vt = NULL;
	kn_policy_cache_release(&st->policy);
	free(st);
}

static bool
kn_traffic_key(struct kn_pane *p, int act)
{
	struct tv_state *st = p->priv;
	struct kn_capture *cap = p->app->capture;

	if (act >= ACT_VIEW && act < ACT_VIEW + TV__COUNT) {
		st->chosen = true;
		tv_set_view(p, (enum tv)(act - ACT_VIEW));
		return true;
	}
	switch (act) {
	case ACT_PAUSE:
		st->paused = !st->paused;
		if (st->paused && cap != NULL)
			st->frozen_end = kn_capture_recent_added(cap);
		break;
	case ACT_FOLLOW:
		st->follow = true;
		break;
	case ACT_CLEAR:
		if (cap != NULL)
			st->clear_from = st->paused
						 ? st->frozen_end
						 : kn_capture_recent_added(cap);
		break;
	case ACT_WIDE:
		st->wide = !st->wide;
		break;
	default:
		return false;
	}
	tv_refresh_now(p);
	return true;
}

static void
tv_detail_peer(struct kn_lines *out, struct kn_app *app, const char *role,
	       const struct kn_txn_peer *ep)
{
	char a[KN_IPSTR], owner[160] = "";
	const char *name =
		app->capture ? kn_capture_name(app->capture, &ep->ip) : NULL;
	struct kn_owner o;

	if (app->model != NULL) {
		o = kn_model_ip_owner(app->model, &ep->ip);
		if (o.kind == KN_OWNER_POD)
			snprintf(owner, sizeof(owner), " (pod on node %s)",
				 ((const struct kn_pod *)o.obj)->node
					 ? ((const struct kn_pod *)o.obj)->node
					 : "?");
		else if (o.kind == KN_OWNER_SERVICE)
			snprintf(owner, sizeof(owner), " (service cluster IP)");
		else if (o.kind == KN_OWNER_NODE)
			snprintf(owner, sizeof(owner), " (node)");
		else if (o.kind == KN_OWNER_SERVICE_EXT)
			snprintf(owner, sizeof(owner),
				 " (service external IP)");
	}
	kn_lines_add(out, "  %-8s %s port %u  %s%s", role,
		     kn_ipaddr_format(&ep->ip, a, sizeof(a)), ep->port,
		     name ? name : "(not in the cluster)", owner);
}

/* Request and response: the kept heads (escaped) when there are, else
 * what the transaction's fields say; credentials never in clear. */
static void
tv_detail_http(struct kn_lines *out, const struct kn_recent *r)
{
	const char *hd[2];
	size_t len[2];
	bool trunc[2];

	hd[0] = kn_recent_head(r, 0, &len[0], &trunc[0]);
	hd[1] = kn_recent_head(r, 1, &len[1], &trunc[1]);
	if (r->unmatched)
		kn_lines_add(out, "Request: not captured");
	else
		kn_lines_add(out, "Request, %llu bytes (head and body)",
			     (unsigned long long)r->req_bytes);
	if (r->unmatched) {
		/* nothing of it to show */
	} else if (len[0] > 0) {
		kn_detail_http_head(out, hd[0], len[0], trunc[0], "  ");
	} else {
		kn_lines_add(out, "  %s %s HTTP/1.%u", r->text + r->s[0],
			     r->text + r->s[2], r->minor);
		if (r->text[r->s[1]] != '\0')
			kn_lines_add(out, "  Host: %s", r->text + r->s[1]);
	}
	if (r->code < 0)
		kn_lines_add(out, "Response: none");
	else
		kn_lines_add(out, "Response, %llu bytes (head and body)",
			     (unsigned long long)r->resp_bytes);
	if (len[1] > 0)
		kn_detail_http_head(out, hd[1], len[1], trunc[1], "  ");
	else if (r->code >= 0)
		kn_lines_add(out, "  HTTP/1.%u %d", r->minor, r->code);
	kn_lines_add_role(out, KN_ROLE_DIMMED,
			  "  Authorization, "
			  "Proxy-Authorization, Cookie and Set-Cookie values "
			  "are never shown: <redacted N bytes>");
}

/* What the capture missed or cut of the transaction, as the JSON names
 * it (unmatched, gap, path_cut, host_cut, answers_cut). */
static void
tv_detail_capture(struct kn_lines *out, const struct kn_recent *r)
{
	if (!r->unmatched && !r->gap && r->cut == 0)
		return;
	kn_lines_add(out, "Capture");
	if (r->unmatched)
		kn_lines_add_role(out, KN_ROLE_WARNING,
				  "  unmatched: a response whose request was "
				  "not in the capture");
	if (r->gap)
		kn_lines_add_role(out, KN_ROLE_WARNING,
				  "  gap: segments of this exchange are "
				  "missing from the capture (status or sizes "
				  "may be lost)");
	if (r->cut & KN_RECENT_CUT_PATH)
		kn_lines_add_role(out, KN_ROLE_WARNING,
				  "  path_cut: the path is cut at %d bytes",
				  KN_TXN_PATH - 1);
	if (r->cut & KN_RECENT_CUT_HOST)
		kn_lines_add_role(out, KN_ROLE_WARNING,
				  "  host_cut: the Host is cut at %d bytes",
				  KN_TXN_HOST - 1);
	if (r->cut & KN_RECENT_CUT_ANSWERS)
		kn_lines_add_role(out, KN_ROLE_WARNING,
				  "  answers_cut: %u of %u answers listed "
				  "(their text is kept up to %d bytes)",
				  r->nanswers, r->ancount, KN_TXN_ANSWERS);
}

/* Picking an interface: capture on it and show its transactions. */
static void
tv_detail_iface(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	struct tv_state *st = p->priv;
	char errbuf[KN_ERRBUF];
	const char *a;

	if (row >= (size_t)st->nifs)
		return;
	a = st->ifnames[row];
	if (kn_traffic_open_iface(p->app, a, errbuf) != KN_OK) {
		kn_lines_add(out, "Cannot capture on %s", a);
		kn_lines_add(out, "  %s", errbuf);
		return;
	}
	kn_lines_add(out, "Capturing on %s", a);
	kn_lines_add(out, "  filter: %s", kn_capture_filter(p->app->capture));
	kn_lines_add(out, "  Esc: back to the transactions");
	tv_set_view(p, TV_ALL);
}

static void
tv_detail_dns(struct kn_pane *p, size_t row, const struct kn_recent *r,
	      struct kn_lines *out)
{
	char qtype[32], rcode[32];
	const char *a;
	unsigned k;

	kn_lines_add(out, "Question");
	kn_lines_add(out, "  %s %s (id %u%s)", r->text + r->s[0],
		     kn_pane_vtext(p, row, "qtype", qtype, sizeof(qtype)),
		     r->id, r->retrans ? ", retransmitted" : "");
	kn_lines_add(out, "Answer");
	if (kn_pane_vtext(p, row, "rcode", rcode, sizeof(rcode)) == NULL)
		snprintf(rcode, sizeof(rcode), "none (no answer)");
	kn_lines_add(out, "  rcode %s%s, %u records", rcode,
		     r->search_expansion ? " (search-path expansion "
					   "of a name the client then found)"
					 : "",
		     r->code < 0 ? 0 : r->ancount);
	for (k = 0, a = r->text + r->s[1]; k < r->nanswers; k++) {
		kn_lines_add(out, "  %s", a);
		a += strlen(a) + 1;
	}
}

/* What the cluster's NetworkPolicies say of the flow, when they deny
 * it. */
static void
tv_detail_policy(struct kn_pane *p, size_t row, const struct kn_recent *r,
		 struct kn_lines *out)
{
	char why[1100];

	if (kn_pane_vtext(p, row, "policy_why", why, sizeof(why)) == NULL ||
	    why[0] == '\0')
		return;
	kn_lines_add(out, "NetworkPolicy");
	kn_lines_add_role(out, KN_ROLE_ERROR, "  denied: %s", why);
	if (r->code >= 0 && r->type != KN_TXN_TLS)
		kn_lines_add_role(out, KN_ROLE_WARNING,
				  "  yet it was answered: is the CNI enforcing "
				  "NetworkPolicy here?");
	else if (r->type != KN_TXN_TLS)
		kn_lines_add(out, "  which explains why no %s came",
			     r->type == KN_TXN_DNS ? "answer" : "response");
}

static void
kn_traffic_detail(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	struct tv_state *st = p->priv;
	const struct kn_vrow *vr = kn_pane_vrow(p, row);
	const struct kn_recent *r;
	char b[KN_IPSTR], c[KN_IPSTR], lat[24], tm[32], errbuf[KN_ERRBUF];
	const struct kn_column *cols;
	struct kn_ipaddr oc, os;
	int ncols, i;

	if (st->view == TV_IFACES) {
		tv_detail_iface(p, row, out);
		return;
	}
	if (st->view >= TV_LISTS) {
		cols = kn_table_columns(p->table, &ncols);
		kn_lines_add(out, "Traffic: %s", kn_tv_views[st->view].name);
		for (i = 0; i < ncols; i++)
			kn_lines_add(out, "  %-12s %s", cols[i].title,
				     kn_table_cell(p->table, row, i, errbuf,
						   sizeof(errbuf)));
		return;
	}
	r = vr != NULL ? kn_view_traffic_txn(vr) : NULL;
	if (r == NULL) {
		kn_lines_add(out,
			     "Transaction no longer kept (the console "
			     "keeps the last %d)",
			     KN_RECENT_MAX);
		return;
	}
	kn_lines_add(out, "%s transaction at %s (%s)",
		     r->type == KN_TXN_DNS    ? "DNS"
		     : r->type == KN_TXN_HTTP ? "HTTP"
					      : "TLS",
		     kn_pane_vtext(p, row, "ts", tm, sizeof(tm)),
		     r->transport == 6 ? "TCP" : "UDP");
	tv_detail_peer(out, p->app, "client", &r->client);
	tv_detail_peer(out, p->app, "server", &r->server);
	if (kn_recent_outer(r, &oc, &os))
		kn_lines_add(out, "  overlay  %s from %s to %s",
			     kn_encap_name(r->encap),
			     kn_ipaddr_format(&oc, b, sizeof(b)),
			     kn_ipaddr_format(&os, c, sizeof(c)));
	kn_lines_add(out, " ");
	if (r->type == KN_TXN_DNS) {
		tv_detail_dns(p, row, r, out);
	} else if (r->type == KN_TXN_HTTP) {
		tv_detail_http(out, r);
	} else {
		kn_lines_add(out, "TLS ClientHello");
		kn_lines_add(out, "  SNI   %s",
			     r->text[r->s[0]] ? r->text + r->s[0] : "(none)");
		kn_lines_add(out, "  ALPN  %s",
			     r->text[r->s[1]] ? r->text + r->s[1] : "(none)");
		kn_lines_add(out, "  record version 0x%04x", r->qtype);
	}
	kn_lines_add(out, "Timing");
	kn_lines_add(out, "  latency %s%s",
		     kn_tv_ms(r->latency_us, lat, sizeof(lat)),
		     r->type == KN_TXN_HTTP ? " (request to first response "
					      "byte)"
					    : "");
	tv_detail_capture(out, r);
	tv_detail_policy(p, row, r, out);
}

/* Sub-view bar and state, then the table. */
static void
kn_traffic_draw(struct kn_pane *p, struct kn_canvas *c, int y, int x, int h,
		int w)
{
	struct tv_state *st = p->priv;
	struct kn_capture *cap = p->app->capture;
	char item[48], state[160];
	const char *pod, *node;
	bool on;
	int i, sw, cx = x + 1;

	kn_canvas_fill(c, y, x, w, KN_ROLE_NORMAL);
	snprintf(state, sizeof(state), "%s%s",
		 st->paused ? " PAUSED"
		 : st->from_agents && (st->view == TV_NAMES ||
				       st->view == TV_HTTPSVC)
			 ? " agents' summaries"
		 : st->view >= TV_LISTS ? ""
		 : st->follow		? " follow"
					: " follow off (f)",
		 cap == NULL		     ? ""
		 : kn_capture_is_demo(cap)   ? " demo"
		 : kn_capture_is_replay(cap) ? " replay"
					     : "");
	/* The state first (whether the list follows is what a narrow
	 * terminal must not lose), the views in the room left; the agents'
	 * view only where agents are read. */
	sw = (int)strlen(state);
	if (sw + 2 > w)
		sw = 0;
	for (i = 0; i < TV__COUNT; i++) {
		if (i == TV_AGENTS && st->view != TV_AGENTS &&
		    !kn_agents_feed_pod(p->app->agents, 0, &pod, &node, &on))
			continue;
		snprintf(item, sizeof(item), "%s:%s", kn_tv_views[i].key,
			 kn_tv_views[i].name);
		if (cx + (int)strlen(item) + 1 >= x + w - sw)
			break;
		cx += kn_canvas_puts(c, y, cx,
				     (enum tv)i == st->view ? KN_ROLE_TAB_ACTIVE
							    : KN_ROLE_KEY,
				     item);
		cx += kn_canvas_puts(c, y, cx, KN_ROLE_NORMAL, " ");
	}
	if (sw > 0)
		kn_canvas_put(c, y, x + w - sw - 1, sw,
			      st->paused || (!st->follow && st->view < TV_LISTS)
				      ? KN_ROLE_WARNING
				      : KN_ROLE_DIMMED,
			      state, strlen(state), 0);
	kn_table_draw(p->table, c, y + 1, x, h - 1, w,
		      p->note[0] != '\0' ? p->note : NULL);
}

const struct kn_pane_ops kn_pane_traffic_ops = {
	.id = KN_PANE_TRAFFIC,
	.title = "Traffic",
	.table_changed = kn_traffic_table_changed,
	.sort_col = -1,
	.keys = &kn_traffic_keys,
	.init = kn_traffic_init,
	.free = kn_traffic_free,
	.refresh = kn_traffic_refresh,
	.key = kn_traffic_key,
	.detail = kn_traffic_detail,
	.draw = kn_traffic_draw,
};
