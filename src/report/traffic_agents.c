/* --once --pane traffic --agents NS: the cluster's traffic as the node
 * agents saw it, read from their pod logs through the Kube-API for
 * --duration (or until a signal). jsonl: each failing or slow
 * transaction as its line arrives (the Traffic view's keys plus "node",
 * addresses named by the cluster model), then one "summary" line per
 * merged key, one "agent" line per node and one "agents" line; json:
 * one document with the same; table: the same for people. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/agent.h"
#include "k8snet/alloc.h"
#include "k8snet/capture.h"
#include "k8snet/dns.h"
#include "k8snet/escape.h"
#include "k8snet/log.h"
#include "k8snet/loop.h"
#include "k8snet/model.h"
#include "k8snet/podlog.h"
#include "k8snet/policy.h"
#include "k8snet/view.h"
#include "report_int.h"
#include "report_traffic.h"

#define TABLE_KEYS 50

struct ag {
	struct kn_app *app;
	struct rp r;
	struct kn_agents_merge *m;
	struct kn_podlogs *pl;
	struct kn_agentline *al;
	char ns[254];
	bool jsonl, stop;
	/* a transaction line, printed as a row of the Traffic view */
	struct kn_view line;
	struct kn_vctx cx;
	struct kn_policy_cache policy;
	struct kn_recent rec;
	char *text;
	size_t textcap;
	uint64_t printed;
};

static void
on_line(void *arg, const char *node, const char *pod, const char *line,
	size_t len)
{
	struct ag *a = arg;
	size_t need;

	if (kn_agents_merge_line(a->m, node, pod, line, len, kn_now_ms(),
				 a->al) != KN_AGENTS_TAKEN ||
	    a->al->kind != KN_AL_TXN || a->r.fmt != KN_OUT_JSONL)
		return;
	need = kn_recent_text_size(&a->al->txn);
	if (need > a->textcap) {
		a->text = kn_xrealloc(a->text, need);
		a->textcap = need;
	}
	kn_recent_from_txn(&a->rec, &a->al->txn, a->printed++, a->text);
	kn_view_clear(&a->line);
	kn_view_traffic_row(&a->line, &a->rec);
	a->cx.node = node;
	report_view_line(&a->r, &kn_view_traffic, &a->cx, &a->line.rows[0]);
	a->cx.node = NULL;
	rp_flush(&a->r);
	fflush(a->r.out);
}

static void
on_signal(int signo, void *arg)
{
	struct ag *a = arg;

	if (signo == SIGINT || signo == SIGTERM || signo == SIGHUP)
		a->stop = true;
}

/* ---- what the run adds up to ---- */

static const char *const proto[3] = {"dns", "http", "tls"};

static void
put_ms(struct kn_buf *b, const struct kn_lat_hist *h, double q)
{
	double us = kn_lat_percentile(h, q);

	if (us < 0)
		kn_buf_puts(b, "null");
	else
		kn_buf_printf(b, "%.3f", us / 1000.0);
}

static void
put_lat(struct kn_buf *b, const struct kn_lat_hist *h)
{
	kn_buf_puts(b, "{\"p50\":");
	put_ms(b, h, 0.5);
	kn_buf_puts(b, ",\"p90\":");
	put_ms(b, h, 0.9);
	kn_buf_puts(b, ",\"p99\":");
	put_ms(b, h, 0.99);
	kn_buf_puts(b, "}");
}

static const char *
name_of(const struct ag *a, const struct kn_ipaddr *ip, char *buf, size_t n)
{
	if (a->app->model == NULL || ip->family == 0)
		return NULL;
	return kn_model_name_ip(a->app->model, ip, buf, n);
}

static void
put_peer(struct ag *a, const char *key, const struct kn_ipaddr *ip, int port)
{
	char buf[512];

	jk(&a->r, key, false);
	if (ip->family == 0) {
		kn_buf_puts(&a->r.b, "null");
		return;
	}
	kn_buf_puts(&a->r.b, "{\"ip\":");
	jip(&a->r, ip);
	if (port >= 0)
		kn_buf_printf(&a->r.b, ",\"port\":%d", port);
	jks(&a->r, "name", name_of(a, ip, buf, sizeof(buf)));
	kn_buf_puts(&a->r.b, "}");
}

static uint64_t
unanswered(const struct kn_agents_key *k)
{
	uint32_t i;

	for (i = 0; i < k->ncodes; i++)
		if (k->codes[i].code < 0)
			return k->codes[i].count;
	return 0;
}

/* One merged key as a JSON object (the jsonl line's keys after
 * "type"). */
static void
put_key(struct ag *a, const struct kn_agents_key *k)
{
	struct kn_buf *b = &a->r.b;

	kn_buf_printf(b, ",\"protocol\":\"%s\"", proto[k->type]);
	if (k->other)
		kn_buf_puts(b, ",\"other\":true");
	put_peer(a, "client", &k->client, -1);
	put_peer(a, "server", &k->server, k->other ? -1 : k->port);
	jks(&a->r, "name", k->other ? NULL : k->name);
	kn_buf_printf(b, ",\"count\":%llu", (unsigned long long)k->n);
	if (k->type != KN_TXN_TLS) {
		kn_buf_printf(b, ",\"%s\":",
			      k->type == KN_TXN_DNS ? "rcodes" : "statuses");
		kn_agent_codes_json(b, k->type, k->codes, k->ncodes,
				    k->codes_other);
		kn_buf_printf(b, ",\"unanswered\":%llu",
			      (unsigned long long)unanswered(k));
	}
	if (k->type == KN_TXN_HTTP)
		kn_buf_printf(b, ",\"req_bytes\":%llu,\"resp_bytes\":%llu",
			      (unsigned long long)k->req_bytes,
			      (unsigned long long)k->resp_bytes);
	kn_buf_puts(b, ",\"latency_ms\":");
	put_lat(b, &k->lat);
	kn_buf_printf(b, ",\"nodes\":%u", k->nodes);
}

static bool
node_streaming(const struct ag *a, const char *node, const char **pod)
{
	const char *name, *nd;
	bool on;
	int i;

	*pod = NULL;
	for (i = 0; kn_podlogs_pod(a->pl, i, &name, &nd, &on); i++)
		if (strcmp(nd, node) == 0) {
			*pod = name;
			if (on)
				return true;
		}
	return false;
}

static void
put_node(struct ag *a, struct kn_agent_node *n, uint64_t cni_major)
{
	struct kn_buf *b = &a->r.b;
	const char *pod;
	bool on = node_streaming(a, n->node, &pod);
	uint64_t now = kn_now_ms();

	jks(&a->r, "node", n->node);
	jks(&a->r, "pod", pod != NULL ? pod : n->pod);
	kn_buf_printf(b,
		      ",\"streaming\":%s,\"lines\":%llu,\"txn_lines\":%llu,"
		      "\"summaries\":%llu,\"duplicates\":%llu,"
		      "\"bad_lines\":%llu,\"lost_lines\":%llu,\"runs\":%llu,"
		      "\"last_line_age_s\":",
		      on ? "true" : "false", (unsigned long long)n->lines,
		      (unsigned long long)n->txn_lines,
		      (unsigned long long)n->sums, (unsigned long long)n->dups,
		      (unsigned long long)n->bad_lines,
		      (unsigned long long)n->lost, (unsigned long long)n->runs);
	if (n->last_line_ms == 0)
		kn_buf_puts(b, "null");
	else
		kn_buf_printf(b, "%.1f",
			      (double)(now - n->last_line_ms) / 1000.0);
	jk(&a->r, "capture", false);
	if (!n->have_drops)
		kn_buf_puts(b, "null");
	else
		kn_buf_printf(b,
			      "{\"received\":%llu,\"kernel_drops\":%llu,"
			      "\"interface_drops\":%llu,\"evicted\":%llu}",
			      (unsigned long long)n->received,
			      (unsigned long long)n->kernel_drops,
			      (unsigned long long)n->interface_drops,
			      (unsigned long long)n->evicted);
	kn_buf_printf(b, ",\"left_out\":%llu,\"folded_keys\":%llu",
		      (unsigned long long)n->left_out,
		      (unsigned long long)n->folded);
	jks(&a->r, "cni", n->have_facts && n->cni[0] ? n->cni : NULL);
	kn_buf_printf(b, ",\"cni_differs\":%s,\"listeners\":",
		      n->have_facts && n->cni_hash != cni_major ? "true"
								: "false");
	if (!n->have_facts)
		kn_buf_puts(b, "null");
	else
		kn_buf_printf(b, "%u", n->nlisteners);
}

static int
cmp_key(const void *x, const void *y)
{
	const struct kn_agents_key *const *a = x, *const *b = y;

	if ((*a)->other != (*b)->other)
		return (*a)->other ? 1 : -1;
	if ((*a)->n != (*b)->n)
		return (*a)->n < (*b)->n ? 1 : -1;
	if ((*a)->type != (*b)->type)
		return (*a)->type < (*b)->type ? -1 : 1;
	return strcmp((*a)->name, (*b)->name);
}

/* Every merged key, most counted first, others last. */
static const struct kn_agents_key **
sorted_keys(const struct ag *a, size_t *n)
{
	size_t i, c = 0, all = kn_agents_nkeys(a->m) + 3;
	const struct kn_agents_key **v = kn_xcalloc(all, sizeof(*v));
	const struct kn_agents_key *k;

	for (i = 0; i < all; i++)
		if ((k = kn_agents_key_at(a->m, i)) != NULL)
			v[c++] = k;
	qsort(v, c, sizeof(*v), cmp_key);
	*n = c;
	return v;
}

static void
put_agents(struct ag *a)
{
	struct kn_podlogs_status st;

	kn_podlogs_status(a->pl, &st);
	kn_buf_printf(&a->r.b,
		      "\"streaming\":%d,\"total\":%d,\"streams\":%llu,"
		      "\"resumes\":%llu,\"cuts\":%llu,\"oversized\":%llu",
		      st.streaming, st.pods, (unsigned long long)st.streams,
		      (unsigned long long)st.resumes,
		      (unsigned long long)st.cuts,
		      (unsigned long long)st.oversized);
}

static void
put_totals(struct ag *a)
{
	struct kn_lat_hist lat;
	uint64_t n, none;
	int t;

	for (t = 0; t < 3; t++) {
		kn_agents_totals(a->m, (uint8_t)t, &n, &none, &lat);
		kn_buf_printf(&a->r.b,
			      ",\"%s\":{\"transactions\":%llu,"
			      "\"unanswered\":%llu,\"latency_ms\":",
			      proto[t], (unsigned long long)n,
			      (unsigned long long)none);
		put_lat(&a->r.b, &lat);
		kn_buf_puts(&a->r.b, "}");
	}
}

/* Every merged key as a summary object: lines (jsonl), or the items of
 * an array. */
static void
put_summaries(struct ag *a, bool lines)
{
	const struct kn_agents_key **keys;
	size_t n, i;

	keys = sorted_keys(a, &n);
	for (i = 0; i < n; i++) {
		if (!lines && i)
			kn_buf_puts(&a->r.b, ",");
		kn_buf_puts(&a->r.b, "{\"type\":\"summary\"");
		put_key(a, keys[i]);
		kn_buf_puts(&a->r.b, lines ? "}\n" : "}");
		rp_flush(&a->r);
	}
	free(keys);
}

static void
report_jsonl(struct ag *a)
{
	uint64_t major = kn_agents_cni_majority(a->m);
	size_t i;

	put_summaries(a, true);
	for (i = 0; i < kn_agents_nnodes(a->m); i++) {
		kn_buf_puts(&a->r.b, "{\"type\":\"agent\"");
		put_node(a, kn_agents_node_at(a->m, i), major);
		kn_buf_puts(&a->r.b, "}\n");
	}
	kn_buf_puts(&a->r.b, "{\"type\":\"agents\"");
	jks(&a->r, "namespace", a->ns);
	kn_buf_puts(&a->r.b, ",");
	put_agents(a);
	put_totals(a);
	kn_buf_puts(&a->r.b, "}\n");
}

static void
report_json(struct ag *a)
{
	uint64_t major = kn_agents_cni_majority(a->m);
	size_t i;

	kn_buf_puts(&a->r.b, "{\"pane\":\"traffic\",\"scope\":\"cluster\"");
	jks(&a->r, "namespace", a->ns);
	kn_buf_puts(&a->r.b, ",\"agents\":{");
	put_agents(a);
	kn_buf_puts(&a->r.b, ",\"nodes\":[");
	for (i = 0; i < kn_agents_nnodes(a->m); i++) {
		kn_buf_puts(&a->r.b,
			    i ? ",{\"type\":\"agent\"" : "{\"type\":\"agent\"");
		put_node(a, kn_agents_node_at(a->m, i), major);
		kn_buf_puts(&a->r.b, "}");
	}
	kn_buf_puts(&a->r.b, "]}");
	put_totals(a);
	kn_buf_puts(&a->r.b, ",\"items\":[");
	put_summaries(a, false);
	kn_buf_puts(&a->r.b, "]}\n");
}

static void
cell_esc(struct kn_buf *b, const char *s, int width)
{
	size_t w = kn_escaped_width(s, strlen(s), false);

	kn_escape_text(b, s, strlen(s), false);
	kn_buf_printf(b, "%*s", w < (size_t)width ? (int)(width - w) : 1, "");
}

static void
report_table(struct ag *a)
{
	struct kn_buf *b = &a->r.b;
	struct kn_podlogs_status st;
	const struct kn_agents_key **keys;
	uint64_t major = kn_agents_cni_majority(a->m), n, none;
	struct kn_lat_hist lat;
	char peer[600], cbuf[512], ip[KN_IPSTR];
	const char *pod, *nm;
	size_t nk, i;
	int t;

	kn_podlogs_status(a->pl, &st);
	kn_buf_printf(b, "AGENTS %d/%d in ", st.streaming, st.pods);
	kn_escape_text(b, a->ns, strlen(a->ns), false);
	kn_buf_printf(b, "  streams %llu  resumed %llu  cut %llu\n\n",
		      (unsigned long long)st.streams,
		      (unsigned long long)st.resumes,
		      (unsigned long long)st.cuts);
	kn_buf_printf(b, "%-24s %-9s %8s %8s %9s %6s  %s\n", "NODE", "STATE",
		      "LINES", "FAILED", "DROPS", "LAST", "CNI");
	for (i = 0; i < kn_agents_nnodes(a->m); i++) {
		struct kn_agent_node *nd = kn_agents_node_at(a->m, i);
		bool on = node_streaming(a, nd->node, &pod);

		cell_esc(b, nd->node, 25);
		kn_buf_printf(b, "%-9s %8llu %8llu %9llu %5.0fs  ",
			      on ? "streaming" : "stopped",
			      (unsigned long long)nd->lines,
			      (unsigned long long)nd->txn_lines,
			      (unsigned long long)(nd->kernel_drops +
						   nd->interface_drops),
			      nd->last_line_ms ? (double)(kn_now_ms() -
							  nd->last_line_ms) /
							 1000.0
					       : 0.0);
		if (nd->have_facts)
			kn_escape_text(b, nd->cni, strlen(nd->cni), false);
		if (nd->have_facts && nd->cni_hash != major)
			kn_buf_puts(b, "  (differs)");
		kn_buf_puts(b, "\n");
	}
	for (t = 0; t < 3; t++) {
		kn_agents_totals(a->m, (uint8_t)t, &n, &none, &lat);
		kn_buf_printf(b, "\n%-4s transactions %llu  unanswered %llu",
			      proto[t], (unsigned long long)n,
			      (unsigned long long)none);
		if (lat.n > 0)
			kn_buf_printf(b,
				      "  latency ms p50 %.3f p90 %.3f p99 "
				      "%.3f",
				      kn_lat_percentile(&lat, 0.5) / 1000.0,
				      kn_lat_percentile(&lat, 0.9) / 1000.0,
				      kn_lat_percentile(&lat, 0.99) / 1000.0);
	}
	kn_buf_printf(b, "\n\n%-5s %-30s %-30s %-30s %8s %6s %9s\n", "PROTO",
		      "CLIENT", "SERVER", "NAME", "COUNT", "NODES", "P99-MS");
	keys = sorted_keys(a, &nk);
	for (i = 0; i < nk && i < TABLE_KEYS; i++) {
		const struct kn_agents_key *k = keys[i];
		double p99 = kn_lat_percentile(&k->lat, 0.99);

		kn_buf_printf(b, "%-5s ", proto[k->type]);
		nm = name_of(a, &k->client, cbuf, sizeof(cbuf));
		cell_esc(b,
			 k->other ? "(other)"
			 : nm	  ? nm
			      : kn_ipaddr_format(&k->client, ip, sizeof(ip)),
			 31);
		nm = name_of(a, &k->server, cbuf, sizeof(cbuf));
		snprintf(peer, sizeof(peer), "%s:%u",
			 nm ? nm : kn_ipaddr_format(&k->server, ip, sizeof(ip)),
			 k->port);
		cell_esc(b, k->other ? "" : peer, 31);
		cell_esc(b, k->other ? "" : k->name, 31);
		kn_buf_printf(b, "%8llu %6u ", (unsigned long long)k->n,
			      k->nodes);
		if (p99 < 0)
			kn_buf_printf(b, "%9s\n", "-");
		else
			kn_buf_printf(b, "%9.3f\n", p99 / 1000.0);
		rp_flush(&a->r);
	}
	if (nk > TABLE_KEYS)
		kn_buf_printf(b, "... %zu more (-o json has them all)\n",
			      nk - TABLE_KEYS);
	free(keys);
}

int
kn_report_traffic_agents(struct kn_app *app, FILE *out, const char *ns)
{
	static const struct kn_podlogs_ops ops = {on_line, NULL};
	struct ag a;
	char errbuf[KN_ERRBUF];
	uint64_t end_ms = 0, now;
	int status = 0;

	memset(&a, 0, sizeof(a));
	a.app = app;
	snprintf(a.ns, sizeof(a.ns), "%s", ns);
	a.m = kn_agents_merge_new();
	a.al = calloc(1, sizeof(*a.al));
	if (a.m == NULL || a.al == NULL) {
		kn_error("--agents: out of memory");
		kn_agents_merge_free(a.m);
		free(a.al);
		return 1;
	}
	rp_init(&a.r, app, out);
	kn_view_init(&a.line, &kn_view_traffic);
	a.cx.model = app->model;
	/* NetworkPolicy verdicts on what the agents saw, as on a capture */
	a.cx.policy = &a.policy;
	if (kn_podlogs_open(app, ns, &ops, &a, &a.pl, errbuf) != KN_OK) {
		kn_error("%s", errbuf);
		kn_view_release(&a.line);
		kn_policy_cache_release(&a.policy);
		rp_finish(&a.r);
		kn_agents_merge_free(a.m);
		free(a.al);
		return 1;
	}
	if (app->opts.duration > 0)
		end_ms = kn_now_ms() + (uint64_t)(app->opts.duration * 1000);
	kn_loop_watch_signals(app->loop, on_signal, &a);
	while (!a.stop) {
		now = kn_now_ms();
		if (end_ms != 0 && now >= end_ms)
			break;
		kn_loop_turn(app->loop, end_ms != 0 && end_ms - now < 250
						? (int)(end_ms - now)
						: 250);
	}
	if (a.r.fmt == KN_OUT_JSONL)
		report_jsonl(&a);
	else if (a.r.fmt == KN_OUT_JSON)
		report_json(&a);
	else
		report_table(&a);
	kn_podlogs_close(a.pl);
	kn_view_release(&a.line);
	kn_policy_cache_release(&a.policy);
	free(a.text);
	kn_agents_merge_free(a.m);
	free(a.al);
	if (rp_finish(&a.r) != 0)
		status = 1;
	return status;
}

/* ---- node facts for the Nodes view ---- */

struct facts {
	struct kn_agents_merge *m;
	struct kn_agentline *al;
};

static void
facts_line(void *arg, const char *node, const char *pod, const char *line,
	   size_t len)
{
	struct facts *f = arg;

	kn_agents_merge_line(f->m, node, pod, line, len, kn_now_ms(), f->al);
}

/* Every agent pod listed and each one's node line read? */
static bool
facts_done(struct kn_podlogs *pl, struct kn_agents_merge *m)
{
	struct kn_podlogs_status st;
	struct kn_agent_node *n;
	const char *name, *node;
	bool on;
	int i;

	kn_podlogs_status(pl, &st);
	if (!st.listed)
		return false;
	for (i = 0; kn_podlogs_pod(pl, i, &name, &node, &on); i++) {
		n = kn_agents_node_find(m, node);
		if (n == NULL || !n->have_facts)
			return false;
	}
	return true;
}

struct kn_agents_merge *
kn_report_agent_facts(struct kn_app *app, const char *ns, uint64_t wait_ms)
{
	static const struct kn_podlogs_ops ops = {facts_line, NULL};
	struct kn_podlogs *pl;
	struct facts f;
	char errbuf[KN_ERRBUF];
	uint64_t end = kn_now_ms() + wait_ms;

	f.m = kn_agents_merge_new();
	f.al = calloc(1, sizeof(*f.al));
	if (f.m == NULL || f.al == NULL ||
	    kn_podlogs_open(app, ns, &ops, &f, &pl, errbuf) != KN_OK) {
		kn_warn("--agents %s: %s", ns,
			f.m && f.al ? errbuf : "out of memory");
		kn_agents_merge_free(f.m);
		free(f.al);
		return NULL;
	}
	while (kn_now_ms() < end && !facts_done(pl, f.m))
		kn_loop_turn(app->loop, 100);
	kn_podlogs_close(pl);
	free(f.al);
	return f.m;
}
