/* Traffic pane: DNS, HTTP and TLS transactions seen by the capture, in
 * sub-views (all, DNS, HTTP, TLS, talkers by pod and by service, DNS by
 * name, HTTP by service) with follow, pause and clear, transaction
 * details, and the interface picker when nothing is captured. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "k8snet/alloc.h"
#include "k8snet/capture.h"
#include "k8snet/dns.h"
#include "k8snet/model.h"
#include "pane.h"
#include "k8snet/ui.h"
#include "detail.h"
#include "traffic_dns.h"
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
	TV_IFACES,
	TV__COUNT
};

/* Column order is the cell order of each row handed to p->rows. */
static const struct kn_column kn_traffic_columns[] = {
	{"TIME", 12, 12, KN_ALIGN_LEFT, 0, false, true},
	{"TYPE", 4, 5, KN_ALIGN_LEFT, 0, false, true},
	{"CLIENT", 8, 0, KN_ALIGN_LEFT, 2, false, true},
	{"SERVER", 8, 0, KN_ALIGN_LEFT, 2, false, true},
	{"REQUEST", 8, 0, KN_ALIGN_LEFT, 3, false, true},
	{"RESULT", 6, 12, KN_ALIGN_LEFT, 0, false, false},
	{"LATENCY", 7, 10, KN_ALIGN_RIGHT, 0, true, false},
};
static const struct kn_column kn_tv_dns_cols[] = {
	{"TIME", 12, 12, KN_ALIGN_LEFT, 0, false, true},
	{"CLIENT", 8, 0, KN_ALIGN_LEFT, 2, false, true},
	{"QNAME", 10, 0, KN_ALIGN_LEFT, 3, false, true},
	{"QTYPE", 5, 6, KN_ALIGN_LEFT, 0, false, true},
	{"RCODE", 8, 9, KN_ALIGN_LEFT, 0, false, false},
	{"ANSWERS", 8, 0, KN_ALIGN_LEFT, 2, false, false},
	{"LATENCY", 7, 10, KN_ALIGN_RIGHT, 0, true, false},
	{"SERVER", 8, 0, KN_ALIGN_LEFT, 1, false, true},
};
static const struct kn_column kn_tv_http_cols[] = {
	{"TIME", 12, 12, KN_ALIGN_LEFT, 0, false, true},
	{"CLIENT", 8, 0, KN_ALIGN_LEFT, 2, false, true},
	{"SERVER", 8, 0, KN_ALIGN_LEFT, 2, false, true},
	{"METHOD", 6, 8, KN_ALIGN_LEFT, 0, false, true},
	{"HOST", 6, 0, KN_ALIGN_LEFT, 1, false, true},
	{"PATH", 6, 0, KN_ALIGN_LEFT, 2, false, true},
	{"STATUS", 6, 6, KN_ALIGN_RIGHT, 0, true, false},
	{"LATENCY", 7, 10, KN_ALIGN_RIGHT, 0, true, false},
	{"BYTES", 5, 10, KN_ALIGN_RIGHT, 0, true, false},
};
static const struct kn_column kn_tv_tls_cols[] = {
	{"TIME", 12, 12, KN_ALIGN_LEFT, 0, false, true},
	{"CLIENT", 8, 0, KN_ALIGN_LEFT, 2, false, true},
	{"SERVER", 8, 0, KN_ALIGN_LEFT, 2, false, true},
	{"SNI", 8, 0, KN_ALIGN_LEFT, 3, false, true},
	{"ALPN", 4, 16, KN_ALIGN_LEFT, 0, false, false},
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
	const struct kn_column *cols;
	int ncols, sort;
	const char *key, *name;
} kn_tv_views[TV__COUNT] = {
	{kn_traffic_columns, NCOLS(kn_traffic_columns), -1, "a", "all"},
	{kn_tv_dns_cols, NCOLS(kn_tv_dns_cols), -1, "d", "dns"},
	{kn_tv_http_cols, NCOLS(kn_tv_http_cols), -1, "h", "http"},
	{kn_tv_tls_cols, NCOLS(kn_tv_tls_cols), -1, "l", "tls"},
	{kn_tv_talk_cols, NCOLS(kn_tv_talk_cols), 1, "o", "pods"},
	{kn_tv_talk_cols, NCOLS(kn_tv_talk_cols), 1, "v", "services"},
	{kn_tv_dns_names_cols, NCOLS(kn_tv_dns_names_cols), 1, "n",
	 "dns names"},
	{kn_tv_httpsvc_cols, NCOLS(kn_tv_httpsvc_cols), 1, "b", "http by svc"},
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
	 "unanswered, p50/p99",
	 NULL},
	{'b', ACT_VIEW + TV_HTTPSVC,
	 "HTTP by service: req/s, status classes, p50/p99", NULL},
	{'i', ACT_VIEW + TV_IFACES, "interfaces to capture on (Enter starts)",
	 NULL},
	{'p', ACT_PAUSE, "pause the view (capture goes on); again resumes",
	 "pause"},
	{'f', ACT_FOLLOW, "follow: newest first, selection at the top",
	 "follow"},
	{'c', ACT_CLEAR, "clear the transactions shown", "clear"},
	{'w', ACT_WIDE, "wide: addresses beside the names", NULL},
};

static const struct kn_keymap kn_traffic_keys = {
	"Traffic", kn_traffic_binds,
	sizeof(kn_traffic_binds) / sizeof(kn_traffic_binds[0])};

struct tv_state {
	enum tv view;
	struct kn_table *tables[TV__COUNT];
	struct kn_rowstore *rows[TV__COUNT];
	uint64_t *seqs; /* row -> transaction (list views) */
	size_t nseqs, capseqs;
	bool paused, follow, wide;
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
	char a[KN_IPSTR];
	const char *name =
		app->capture ? kn_capture_name(app->capture, ip) : NULL;

	kn_ipaddr_format(ip, a, sizeof(a));
	if (name == NULL)
		snprintf(buf, n, "%s", a);
	else if (wide)
		snprintf(buf, n, "%s %s", name, a);
	else
		snprintf(buf, n, "%s", name);
	return buf;
}

bool
kn_tv_in_ns(struct kn_app *app, const struct kn_ipaddr *ip, const char *ns)
{
	const char *name =
		app->capture ? kn_capture_name(app->capture, ip) : NULL;
	size_t l = strlen(ns);

	return name != NULL && strncmp(name, ns, l) == 0 && name[l] == '/';
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

double
kn_tv_percentile(int64_t *v, size_t n, double q)
{
	size_t i;

	if (n == 0)
		return -1;
	qsort(v, n, sizeof(*v), cmp_i64);
	i = (size_t)(q * (double)(n - 1) + 0.5);
	return (double)v[i < n ? i : n - 1];
}

const char *
kn_tv_ms(int64_t us, char *buf, size_t n)
{
	if (us < 0)
		snprintf(buf, n, "-");
	else if (us < 10000)
		snprintf(buf, n, "%.2fms", (double)us / 1000.0);
	else if (us < 1000000)
		snprintf(buf, n, "%.0fms", (double)us / 1000.0);
	else
		snprintf(buf, n, "%.2fs", (double)us / 1e6);
	return buf;
}

/* ---- rows ---------------------------------------------------------- */

static const char *
tv_time(uint64_t ts_us, char *buf, size_t n)
{
	time_t t = (time_t)(ts_us / 1000000);
	struct tm tm;
	char hms[16];

	localtime_r(&t, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	snprintf(buf, n, "%s.%03u", hms, (unsigned)(ts_us / 1000 % 1000));
	return buf;
}

static const char *
tv_rcode(int32_t rcode, char *buf, size_t n)
{
	const char *s;

	if (rcode < 0)
		return "no answer";
	s = kn_dns_rcode_name((uint16_t)rcode);
	if (s != NULL)
		return s;
	snprintf(buf, n, "%d", rcode);
	return buf;
}

static const char *
tv_qtype(uint16_t qtype, char *buf, size_t n)
{
	const char *s = kn_dns_type_name(qtype);

	if (s != NULL)
		return s;
	snprintf(buf, n, "%u", qtype);
	return buf;
}

static enum kn_role
tv_role(const struct kn_recent *r)
{
	if (r->type == KN_TXN_TLS)
		return KN_ROLE_NORMAL;
	if (r->code < 0)
		return KN_ROLE_DIMMED;
	if (r->type == KN_TXN_DNS)
		return r->code == 0	     ? KN_ROLE_NORMAL
		       : r->search_expansion ? KN_ROLE_DIMMED
					     : KN_ROLE_ERROR;
	return r->code >= 500	? KN_ROLE_ERROR
	       : r->code >= 400 ? KN_ROLE_WARNING
				: KN_ROLE_NORMAL;
}

/* Answers as one line: "a, b, c". */
static void
tv_answers(const struct kn_recent *r, char *buf, size_t n)
{
	const char *a = r->text + r->s[1];
	size_t o = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < r->nanswers && o + 1 < n; i++) {
		o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? ", " : "", a);
		a += strlen(a) + 1;
	}
}

static void
tv_seq_push(struct tv_state *st, uint64_t seq)
{
	if (st->nseqs == st->capseqs) {
		st->capseqs = st->capseqs ? st->capseqs * 2 : 1024;
		st->seqs = kn_xreallocarray(st->seqs, st->capseqs,
					    sizeof(*st->seqs));
	}
	st->seqs[st->nseqs++] = seq;
}

static bool
tv_wanted(const struct tv_state *st, const struct kn_recent *r)
{
	switch (st->view) {
	case TV_DNS:
	case TV_NAMES:
		return r->type == KN_TXN_DNS;
	case TV_HTTP:
	case TV_HTTPSVC:
		return r->type == KN_TXN_HTTP;
	case TV_TLS:
		return r->type == KN_TXN_TLS;
	default:
		return true;
	}
}

/* One transaction as a row of the current list view. */
static void
tv_list_row(struct kn_pane *p, struct tv_state *st, const struct kn_recent *r)
{
	char tm[32], cl[192], sv[192], req[640], res[32], lat[24], num[16];
	char extra[480], bytes[32];
	const char *cells[9];
	const char *t0 = r->text + r->s[0], *t1 = r->text + r->s[1];
	const char *t2 = r->text + r->s[2];
	static const char *const types[] = {"dns", "http", "tls"};

	tv_time(r->ts_us, tm, sizeof(tm));
	kn_tv_name(p->app, &r->client.ip, st->wide, cl, sizeof(cl));
	kn_tv_name(p->app, &r->server.ip, st->wide, sv, sizeof(sv));
	kn_tv_ms(r->latency_us, lat, sizeof(lat));
	switch (st->view) {
	case TV_DNS:
		tv_answers(r, extra, sizeof(extra));
		cells[0] = tm;
		cells[1] = cl;
		cells[2] = t0;
		cells[3] = tv_qtype(r->qtype, num, sizeof(num));
		cells[4] = r->code == 3 && r->search_expansion
				   ? "NXDOMAIN*"
				   : tv_rcode(r->code, res, sizeof(res));
		cells[5] = extra;
		cells[6] = lat;
		cells[7] = sv;
		break;
	case TV_HTTP:
		snprintf(res, sizeof(res), "%d", r->code);
		snprintf(bytes, sizeof(bytes), "%llu",
			 (unsigned long long)(r->req_bytes + r->resp_bytes));
		cells[0] = tm;
		cells[1] = cl;
		cells[2] = sv;
		cells[3] = t0;
		cells[4] = t1;
		cells[5] = t2;
		cells[6] = r->code < 0 ? "-" : res;
		cells[7] = lat;
		cells[8] = bytes;
		break;
	case TV_TLS:
		cells[0] = tm;
		cells[1] = cl;
		cells[2] = sv;
		cells[3] = t0;
		cells[4] = t1;
		break;
	default:
		cells[0] = tm;
		cells[1] = types[r->type % 3];
		cells[2] = cl;
		cells[3] = sv;
		if (r->type == KN_TXN_DNS) {
			snprintf(req, sizeof(req), "%s %s",
				 tv_qtype(r->qtype, num, sizeof(num)), t0);
			cells[5] = tv_rcode(r->code, res, sizeof(res));
		} else if (r->type == KN_TXN_HTTP) {
			snprintf(req, sizeof(req), "%s %s%s", t0, t1, t2);
			if (r->code < 0)
				snprintf(res, sizeof(res), "no response");
			else
				snprintf(res, sizeof(res), "%d", r->code);
			cells[5] = res;
		} else {
			snprintf(req, sizeof(req), "SNI %s", t0);
			cells[5] = "hello";
		}
		cells[4] = req;
		cells[6] = r->type == KN_TXN_TLS ? "" : lat;
		break;
	}
	kn_rowstore_add(p->rows, cells, tv_role(r));
	tv_seq_push(st, r->seq);
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
	return ns == NULL || kn_tv_in_ns(p->app, &r->client.ip, ns) ||
	       kn_tv_in_ns(p->app, &r->server.ip, ns);
}

static void
tv_lists(struct kn_pane *p, struct tv_state *st, const struct kn_pane_view *v)
{
	struct kn_capture *cap = p->app->capture;
	const struct kn_recent *r;
	uint64_t from, end, seq;

	tv_range(p, st, &from, &end);
	/* Newest first: follow mode keeps the selection on row 0. */
	for (seq = end; seq > from; seq--) {
		r = kn_capture_recent(cap, seq - 1);
		if (r == NULL || !tv_wanted(st, r) || !tv_ns_ok(p, r, v->ns))
			continue;
		tv_list_row(p, st, r);
	}
}

/* ---- summaries ----------------------------------------------------- */

struct agg {
	char name[192];
	uint64_t total, dnsq, nx, http_out, http_in, e5, tls;
	uint64_t c2, c3, c4, c5, noresp;
	uint64_t first_us, last_us;
	int64_t *lat;
	size_t nlat, caplat;
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
		if (r->code == 3)
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
	char b[10][24];
	const char *cells[10];
	double span;
	size_t i;

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
		kn_tv_ms((int64_t)kn_tv_percentile(g->lat, g->nlat, 0.5), b[8],
			 24);
		kn_tv_ms((int64_t)kn_tv_percentile(g->lat, g->nlat, 0.99), b[9],
			 24);
		cells[0] = g->name;
		for (int c = 1; c < 10; c++)
			cells[c] = b[c];
		kn_rowstore_add(p->rows, cells,
				g->c5	? KN_ROLE_ERROR
				: g->c4 ? KN_ROLE_WARNING
					: KN_ROLE_NORMAL);
	}
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
	if (st->view == TV_NAMES) {
		kn_traffic_dns_names(p, from, end, v->ns);
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
		tv_seq_push(st, (uint64_t)st->nifs);
		st->nifs++;
	}
	free(ifs);
}

/* ---- pane ops ------------------------------------------------------ */

static void
kn_traffic_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	struct tv_state *st = p->priv;

	st->nseqs = 0;
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
	if (st->view <= TV_TLS)
		tv_lists(p, st, v);
	else
		tv_summary(p, st, v);
	if (kn_table_total(p->table) == 0 && kn_rowstore_count(p->rows) == 0)
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
	if (st->follow)
		kn_table_move_to(p->table, 0);
}

static void
kn_traffic_init(struct kn_pane *p)
{
	struct tv_state *st = kn_xcalloc(1, sizeof(*st));
	int i;

	p->priv = st;
	st->follow = true;
	st->tables[TV_ALL] = p->table;
	st->rows[TV_ALL] = p->rows;
	for (i = 1; i < TV__COUNT; i++) {
		st->tables[i] =
			kn_table_new(kn_tv_views[i].cols, kn_tv_views[i].ncols);
		st->rows[i] = kn_rowstore_new(kn_tv_views[i].ncols);
		if (kn_tv_views[i].sort >= 0)
			kn_table_sort(st->tables[i], kn_tv_views[i].sort,
				      kn_tv_views[i].sort > 0);
	}
	/* Nothing to capture from: start on the interface picker. */
	if (p->app->capture == NULL && !p->app->opts.demo) {
		st->view = TV_IFACES;
		p->table = st->tables[TV_IFACES];
		p->rows = st->rows[TV_IFACES];
	}
}

static void
kn_traffic_free(struct kn_pane *p)
{
	struct tv_state *st = p->priv;
	int i;

	p->table = st->tables[TV_ALL];
	p->rows = st->rows[TV_ALL];
	for (i = 1; i < TV__COUNT; i++) {
		kn_table_free(st->tables[i]);
		kn_rowstore_free(st->rows[i]);
	}
	free(st->seqs);
	free(st);
}

static bool
kn_traffic_key(struct kn_pane *p, int act)
{
	struct tv_state *st = p->priv;
	struct kn_capture *cap = p->app->capture;

	if (act >= ACT_VIEW && act < ACT_VIEW + TV__COUNT) {
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
		st->follow = !st->follow;
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
	if (st->follow)
		kn_table_move_to(p->table, 0);
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
	kn_lines_add(out, "Request, %llu bytes (head and body)",
		     (unsigned long long)r->req_bytes);
	if (len[0] > 0) {
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

static void
kn_traffic_detail(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	struct tv_state *st = p->priv;
	const struct kn_recent *r;
	char b[64], num[16], lat[24], tm[32], errbuf[KN_ERRBUF];
	const char *a;
	const struct kn_column *cols;
	int ncols, i;
	unsigned k;

	if (st->view == TV_IFACES) {
		if (row >= st->nseqs)
			return;
		a = st->ifnames[st->seqs[row]];
		if (kn_traffic_open_iface(p->app, a, errbuf) != KN_OK) {
			kn_lines_add(out, "Cannot capture on %s", a);
			kn_lines_add(out, "  %s", errbuf);
			return;
		}
		kn_lines_add(out, "Capturing on %s", a);
		kn_lines_add(out, "  filter: %s",
			     kn_capture_filter(p->app->capture));
		kn_lines_add(out, "  Esc: back to the transactions");
		tv_set_view(p, TV_ALL);
		return;
	}
	if (st->view > TV_TLS || row >= st->nseqs) {
		cols = kn_table_columns(p->table, &ncols);
		kn_lines_add(out, "Traffic: %s", kn_tv_views[st->view].name);
		for (i = 0; i < ncols; i++)
			kn_lines_add(out, "  %-12s %s", cols[i].title,
				     kn_table_cell(p->table, row, i, errbuf,
						   sizeof(errbuf)));
		return;
	}
	r = p->app->capture ? kn_capture_recent(p->app->capture, st->seqs[row])
			    : NULL;
	if (r == NULL) {
		kn_lines_add(out,
			     "Transaction no longer kept (the console "
			     "keeps the last %d)",
			     KN_RECENT_MAX);
		return;
	}
	tv_time(r->ts_us, tm, sizeof(tm));
	kn_lines_add(out, "%s transaction at %s (%s)",
		     r->type == KN_TXN_DNS    ? "DNS"
		     : r->type == KN_TXN_HTTP ? "HTTP"
					      : "TLS",
		     tm, r->transport == 6 ? "TCP" : "UDP");
	tv_detail_peer(out, p->app, "client", &r->client);
	tv_detail_peer(out, p->app, "server", &r->server);
	kn_lines_add(out, " ");
	if (r->type == KN_TXN_DNS) {
		kn_lines_add(out, "Question");
		kn_lines_add(out, "  %s %s (id %u%s)", r->text + r->s[0],
			     tv_qtype(r->qtype, num, sizeof(num)), r->id,
			     r->retrans ? ", retransmitted" : "");
		kn_lines_add(out, "Answer");
		kn_lines_add(out, "  rcode %s%s, %u records",
			     tv_rcode(r->code, b, sizeof(b)),
			     r->search_expansion
				     ? " (search-path expansion "
				       "of a name the client then found)"
				     : "",
			     r->code < 0 ? 0 : r->ancount);
		for (k = 0, a = r->text + r->s[1]; k < r->nanswers; k++) {
			kn_lines_add(out, "  %s", a);
			a += strlen(a) + 1;
		}
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
}

/* Sub-view bar and state, then the table. */
static void
kn_traffic_draw(struct kn_pane *p, struct kn_canvas *c, int y, int x, int h,
		int w)
{
	struct tv_state *st = p->priv;
	struct kn_capture *cap = p->app->capture;
	char item[48], state[160];
	int i, cx = x + 1;

	kn_canvas_fill(c, y, x, w, KN_ROLE_NORMAL);
	for (i = 0; i < TV__COUNT; i++) {
		snprintf(item, sizeof(item), "%s:%s", kn_tv_views[i].key,
			 kn_tv_views[i].name);
		if (cx + (int)strlen(item) + 1 >= x + w)
			break;
		cx += kn_canvas_puts(c, y, cx,
				     (enum tv)i == st->view ? KN_ROLE_TAB_ACTIVE
							    : KN_ROLE_KEY,
				     item);
		cx += kn_canvas_puts(c, y, cx, KN_ROLE_NORMAL, " ");
	}
	snprintf(state, sizeof(state), "%s%s%s", st->paused ? " PAUSED" : "",
		 st->follow && !st->paused ? " follow" : "",
		 cap == NULL		     ? ""
		 : kn_capture_is_demo(cap)   ? " demo"
		 : kn_capture_is_replay(cap) ? " replay"
					     : "");
	if (cx + (int)strlen(state) < x + w)
		kn_canvas_put(c, y, x + w - (int)strlen(state) - 1,
			      (int)strlen(state),
			      st->paused ? KN_ROLE_WARNING : KN_ROLE_DIMMED,
			      state, strlen(state), 0);
	kn_table_draw(p->table, c, y + 1, x, h - 1, w,
		      p->note[0] != '\0' ? p->note : NULL);
}

const struct kn_pane_ops kn_pane_traffic_ops = {
	.id = KN_PANE_TRAFFIC,
	.title = "Traffic",
	.columns = kn_traffic_columns,
	.ncolumns = sizeof(kn_traffic_columns) / sizeof(kn_traffic_columns[0]),
	.sort_col = -1,
	.keys = &kn_traffic_keys,
	.init = kn_traffic_init,
	.free = kn_traffic_free,
	.refresh = kn_traffic_refresh,
	.key = kn_traffic_key,
	.detail = kn_traffic_detail,
	.draw = kn_traffic_draw,
};
