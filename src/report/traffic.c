/* --once --pane traffic: one JSON line per transaction (jsonl, the
 * Traffic view's keys), or a summary with per-pod/per-service aggregates
 * (json, table). */
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/buf.h"
#include "k8snet/capture.h"
#include "k8snet/dns.h"
#include "k8snet/escape.h"
#include "k8snet/log.h"
#include "k8snet/podlog.h"
#include "k8snet/policy.h"
#include "k8snet/loop.h"
#include "k8snet/view.h"
#include "report_int.h"
#include "report_traffic.h"

struct out_ctx {
	struct kn_capture *cap;
	FILE *out;
	struct rp r; /* the report's output */
	bool jsonl;
	bool wide;   /* -o wide: a table of the transactions too */
	bool live;   /* print each line as its transaction completes */
	bool stop;   /* SIGINT/SIGTERM */
	bool failed; /* the capture failed (said) */
	int signo;
	struct kn_capture_pump *pump;
	/* jsonl: each transaction as a row of the Traffic view, read as
	 * the console reads the ones it keeps */
	struct kn_view line;
	struct kn_vctx cx;
	struct kn_recent rec;
	struct kn_policy_cache policy;
	char *text;
	size_t textcap;
	uint64_t lines;
};

static void
json_str(struct kn_buf *b, const char *s)
{
	if (s == NULL)
		kn_buf_puts(b, "null");
	else
		kn_json_quote(b, s, strlen(s));
}

static void
json_ms(struct kn_buf *b, double us)
{
	if (us < 0)
		kn_buf_puts(b, "null");
	else
		kn_buf_printf(b, "%.3f", us / 1000.0);
}

/* One transaction as the DESIGN.md section 4 line: the Traffic view's
 * JSON keys. */
static void
on_txn(void *arg, const struct kn_txn *t)
{
	struct out_ctx *o = arg;
	size_t need;

	if (!o->jsonl && !o->wide)
		return;
	need = kn_recent_text_size(t);
	if (need > o->textcap) {
		o->text = kn_xrealloc(o->text, need);
		o->textcap = need;
	}
	kn_recent_from_txn(&o->rec, t, o->lines++, o->text);
	kn_view_clear(&o->line);
	kn_view_traffic_row(&o->line, &o->rec);
	if (o->wide) {
		report_view_table_row(&o->r, &kn_view_traffic, &o->cx,
				      &o->line.rows[0]);
		return;
	}
	report_view_line(&o->r, &kn_view_traffic, &o->cx, &o->line.rows[0]);
	if (o->live)
		rp_flush(&o->r);
}

/* ---- summaries ---- */

static void
json_topk(struct kn_buf *b, const struct kn_topk *k, size_t max)
{
	const struct kn_topk_entry *e[KN_TOPK];
	size_t n = kn_topk_sorted(k, e, max), i;

	kn_buf_puts(b, "[");
	for (i = 0; i < n; i++) {
		kn_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
		kn_json_quote(b, e[i]->key, e[i]->len);
		kn_buf_printf(b, ",\"count\":%llu}",
			      (unsigned long long)e[i]->count);
	}
	kn_buf_puts(b, "]");
}

static void
json_lat(struct kn_buf *b, const struct kn_lat_hist *h)
{
	kn_buf_puts(b, "{\"p50\":");
	json_ms(b, kn_lat_percentile(h, 0.50));
	kn_buf_puts(b, ",\"p90\":");
	json_ms(b, kn_lat_percentile(h, 0.90));
	kn_buf_puts(b, ",\"p99\":");
	json_ms(b, kn_lat_percentile(h, 0.99));
	kn_buf_puts(b, "}");
}

/* kind: 0 qtype, 1 rcode, 2 string, 3 number */
static void
json_map(struct kn_buf *b, const struct kn_smallmap *m, int kind)
{
	char key[32];
	const char *n;
	uint32_t i;

	kn_buf_puts(b, "{");
	for (i = 0; i < m->n; i++) {
		if (i)
			kn_buf_puts(b, ",");
		n = NULL;
		if (kind == 0)
			n = kn_dns_type_name((uint16_t)m->e[i].num);
		else if (kind == 1)
			n = kn_dns_rcode_name((uint16_t)m->e[i].num);
		else if (kind == 2)
			n = m->e[i].str;
		if (n == NULL) {
			snprintf(key, sizeof(key), "%d", m->e[i].num);
			n = key;
		}
		kn_json_quote(b, n, strlen(n));
		kn_buf_printf(b, ":%llu", (unsigned long long)m->e[i].count);
	}
	if (m->other)
		kn_buf_printf(b, "%s\"other\":%llu", m->n ? "," : "",
			      (unsigned long long)m->other);
	kn_buf_puts(b, "}");
}

struct group {
	const char *name; /* NULL: unnamed, one group per address */
	char ip[KN_IPSTR];
	struct kn_ep_agg sum;
	unsigned nips;
};

static int
cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	uint64_t tx = x->sum.dns_client + x->sum.dns_server +
		      x->sum.http_client + x->sum.http_server +
		      x->sum.tls_client + x->sum.tls_server;
	uint64_t ty = y->sum.dns_client + y->sum.dns_server +
		      y->sum.http_client + y->sum.http_server +
		      y->sum.tls_client + y->sum.tls_server;

	if (tx != ty)
		return tx < ty ? 1 : -1;
	if ((x->name == NULL) != (y->name == NULL))
		return x->name == NULL ? 1 : -1;
	return strcmp(x->name ? x->name : x->ip, y->name ? y->name : y->ip);
}

static int
cmp_slot(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return (x > y) - (x < y);
}

/* Per-pod/per-service aggregates: endpoints grouped by their name. */
static size_t
build_groups(struct kn_capture *cap, const struct kn_traffic_stats *st,
	     struct group *g)
{
	uint16_t slot[KN_EP_MAX];
	size_t n = 0, i, j;
	const char *name;

	/* in table order, as the report always listed them */
	memcpy(slot, st->ep_slot, st->neps * sizeof(*slot));
	qsort(slot, st->neps, sizeof(*slot), cmp_slot);
	for (i = 0; i < st->neps; i++) {
		const struct kn_ep_agg *e = &st->eps[slot[i]];

		name = kn_capture_name(cap, &e->ip);
		for (j = 0; name != NULL && j < n; j++)
			if (g[j].name != NULL && strcmp(g[j].name, name) == 0)
				break;
		if (name == NULL || j == n) {
			j = n++;
			memset(&g[j], 0, sizeof(g[j]));
			g[j].name = name;
			kn_ipaddr_format(&e->ip, g[j].ip, sizeof(g[j].ip));
		}
		g[j].nips++;
		kn_ep_agg_add(&g[j].sum, e);
	}
	qsort(g, n, sizeof(*g), cmp_group);
	return n;
}

static void
summary_json(struct kn_buf *b, struct kn_capture *cap)
{
	const struct kn_traffic_stats *st = kn_capture_stats(cap);
	const struct kn_capture_counters *c = kn_capture_counters(cap);
	const struct kn_txn_counters *tc = kn_capture_txn_counters(cap);
	struct kn_txn_counters zero;
	struct kn_capture_drops d;
	struct group *g;
	size_t n, i;

	if (tc == NULL) {
		memset(&zero, 0, sizeof(zero));
		tc = &zero;
	}
	kn_buf_printf(
		b,
		"{\"pane\":\"traffic\",\"packets\":{\"total\":%llu,"
		"\"bytes\":%llu,\"decoded\":%llu,\"other\":%llu,"
		"\"fragments\":%llu,\"reassembled\":%llu,"
		"\"fragments_timed_out\":%llu,\"fragments_dropped\":%llu,"
		"\"truncated\":%llu,\"malformed\":%llu,"
		"\"encapsulated\":%llu},",
		(unsigned long long)c->packets, (unsigned long long)c->bytes,
		(unsigned long long)c->decoded, (unsigned long long)c->other,
		(unsigned long long)c->fragments,
		(unsigned long long)c->reassembled,
		(unsigned long long)c->frag_timed_out,
		(unsigned long long)c->frag_dropped,
		(unsigned long long)c->truncated,
		(unsigned long long)c->malformed,
		(unsigned long long)c->encapsulated);
	kn_buf_printf(b,
		      "\"dns\":{\"queries\":%llu,\"responses\":%llu,"
		      "\"answered\":%llu,\"unanswered\":%llu,"
		      "\"port_unreachable\":%llu,\"retransmissions\":%llu,"
		      "\"udp\":%llu,\"tcp\":%llu,"
		      "\"unmatched_responses\":%llu,\"malformed\":%llu,"
		      "\"tcp_gaps\":%llu,\"tcp_resyncs\":%llu,"
		      "\"nxdomain\":{\"search_expansion\":%llu,\"real\":%llu},"
		      "\"rcodes\":",
		      (unsigned long long)st->dns.queries,
		      (unsigned long long)tc->dns_responses,
		      (unsigned long long)st->dns.answered,
		      (unsigned long long)st->dns.unanswered,
		      (unsigned long long)st->dns.unreachable,
		      (unsigned long long)st->dns.retrans,
		      (unsigned long long)st->dns.udp,
		      (unsigned long long)st->dns.tcp,
		      (unsigned long long)tc->dns_unmatched,
		      (unsigned long long)tc->dns_malformed,
		      (unsigned long long)tc->dns_tcp_gaps,
		      (unsigned long long)tc->dns_tcp_resyncs,
		      (unsigned long long)st->dns.nx_search,
		      (unsigned long long)st->dns.nx_real);
	json_map(b, &st->dns.rcodes, 1);
	kn_buf_puts(b, ",\"qtypes\":");
	json_map(b, &st->dns.qtypes, 0);
	kn_buf_puts(b, ",\"latency_ms\":");
	json_lat(b, &st->dns.lat);
	kn_buf_puts(b, ",\"top_names\":");
	json_topk(b, &st->dns.names, 10);
	kn_buf_printf(b,
		      "},\"http\":{\"requests\":%llu,\"answered\":%llu,"
		      "\"unanswered\":%llu,\"req_bytes\":%llu,"
		      "\"resp_bytes\":%llu,\"malformed\":%llu,"
		      "\"unmatched_responses\":%llu,\"gaps\":%llu,"
		      "\"resyncs\":%llu,\"methods\":",
		      (unsigned long long)st->http.requests,
		      (unsigned long long)st->http.answered,
		      (unsigned long long)st->http.unanswered,
		      (unsigned long long)st->http.req_bytes,
		      (unsigned long long)st->http.resp_bytes,
		      (unsigned long long)tc->http_malformed,
		      (unsigned long long)st->http.unmatched,
		      (unsigned long long)tc->http_gaps,
		      (unsigned long long)tc->http_resyncs);
	json_map(b, &st->http.methods, 2);
	kn_buf_printf(b,
		      ",\"status_classes\":{\"1xx\":%llu,\"2xx\":%llu,"
		      "\"3xx\":%llu,\"4xx\":%llu,\"5xx\":%llu},"
		      "\"status_codes\":",
		      (unsigned long long)st->http.classes[1],
		      (unsigned long long)st->http.classes[2],
		      (unsigned long long)st->http.classes[3],
		      (unsigned long long)st->http.classes[4],
		      (unsigned long long)st->http.classes[5]);
	json_map(b, &st->http.codes, 3);
	kn_buf_puts(b, ",\"latency_ms\":");
	json_lat(b, &st->http.lat);
	kn_buf_puts(b, ",\"top_hosts\":");
	json_topk(b, &st->http.hosts, 10);
	kn_buf_puts(b, ",\"top_paths\":");
	json_topk(b, &st->http.paths, 10);
	kn_buf_printf(b, "},\"tls\":{\"hellos\":%llu,\"top_sni\":",
		      (unsigned long long)st->tls.hellos);
	json_topk(b, &st->tls.sni, 10);
	kn_buf_puts(b, ",\"alpn\":");
	json_map(b, &st->tls.alpn, 2);
	kn_buf_printf(b,
		      "},\"tcp\":{\"flows\":%llu,\"retransmitted\":%llu,"
		      "\"out_of_order\":%llu,\"gaps\":%llu,\"evicted\":%llu,"
		      "\"expired\":%llu},\"limits\":{\"pending_evicted\":%llu,"
		      "\"ring_forced\":%llu,\"endpoints_dropped\":%llu,"
		      "\"http_head_too_large\":%llu,\"dns_tcp_oversize\":%llu,"
		      "\"tcp_no_buffer\":%llu},",
		      (unsigned long long)tc->flows,
		      (unsigned long long)tc->tcp_retrans,
		      (unsigned long long)tc->tcp_ooo,
		      (unsigned long long)tc->tcp_gaps,
		      (unsigned long long)tc->flows_evicted,
		      (unsigned long long)tc->flows_expired,
		      (unsigned long long)tc->pending_evicted,
		      (unsigned long long)tc->ring_forced,
		      (unsigned long long)st->eps_dropped,
		      (unsigned long long)tc->http_head_too_large,
		      (unsigned long long)tc->dns_tcp_oversize,
		      (unsigned long long)tc->tcp_nobuf);
	kn_capture_drops(cap, &d);
	kn_buf_printf(b,
		      "\"capture\":{\"live\":%s,\"received\":%llu,"
		      "\"kernel_drops\":%llu,\"interface_drops\":%llu,"
		      "\"evicted\":%llu},",
		      d.live ? "true" : "false", (unsigned long long)d.received,
		      (unsigned long long)d.kernel,
		      (unsigned long long)d.interface,
		      (unsigned long long)d.evicted);
	kn_buf_puts(b, "\"items\":[");
	g = calloc(KN_EP_MAX, sizeof(*g));
	n = g ? build_groups(cap, st, g) : 0;
	for (i = 0; i < n; i++) {
		const struct kn_ep_agg *a = &g[i].sum;

		kn_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
		json_str(b, g[i].name);
		kn_buf_printf(b,
			      ",\"ip\":\"%s\",\"addresses\":%u,"
			      "\"dns\":{\"queries\":%llu,\"served\":%llu,"
			      "\"nxdomain\":%llu,\"unanswered\":%llu},"
			      "\"http\":{\"requests\":%llu,\"served\":%llu,"
			      "\"errors_5xx\":%llu,\"unanswered\":%llu,"
			      "\"bytes_in\":%llu,\"bytes_out\":%llu},"
			      "\"tls\":{\"hellos\":%llu,\"served\":%llu}}",
			      g[i].ip, g[i].nips,
			      (unsigned long long)a->dns_client,
			      (unsigned long long)a->dns_server,
			      (unsigned long long)a->dns_nxdomain,
			      (unsigned long long)a->dns_unanswered,
			      (unsigned long long)a->http_client,
			      (unsigned long long)a->http_server,
			      (unsigned long long)a->http_errors,
			      (unsigned long long)a->http_unanswered,
			      (unsigned long long)a->bytes_in,
			      (unsigned long long)a->bytes_out,
			      (unsigned long long)a->tls_client,
			      (unsigned long long)a->tls_server);
	}
	free(g);
	kn_buf_puts(b, "]}\n");
}

static void
table_topk(struct kn_buf *b, const char *title, const struct kn_topk *k)
{
	const struct kn_topk_entry *e[KN_TOPK];
	size_t n = kn_topk_sorted(k, e, 10), i;

	if (n == 0)
		return;
	kn_buf_printf(b, "  %s\n", title);
	for (i = 0; i < n; i++) {
		kn_buf_printf(b, "    %10llu  ",
			      (unsigned long long)e[i]->count);
		kn_escape_text(b, e[i]->key, e[i]->len, false);
		kn_buf_puts(b, "\n");
	}
}

static void
table_lat(struct kn_buf *b, const struct kn_lat_hist *h)
{
	if (h->n == 0)
		return;
	kn_buf_printf(b, "  latency ms  p50 %.3f  p90 %.3f  p99 %.3f\n",
		      kn_lat_percentile(h, 0.5) / 1000.0,
		      kn_lat_percentile(h, 0.9) / 1000.0,
		      kn_lat_percentile(h, 0.99) / 1000.0);
}

/* What the bounds cost, when they cost anything: the same counters as
 * the JSON "tcp" and "limits" objects. */
static void
table_limits(struct kn_buf *b, const struct kn_txn_counters *tc,
	     const struct kn_traffic_stats *st)
{
	if (tc == NULL ||
	    tc->flows_evicted + tc->pending_evicted + tc->ring_forced +
			    tc->http_head_too_large + tc->dns_tcp_oversize +
			    tc->tcp_nobuf + st->eps_dropped ==
		    0)
		return;
	kn_buf_printf(b,
		      "\nLIMITS  connections evicted %llu  queries evicted "
		      "%llu  emitted early %llu\n  HTTP heads too large %llu  "
		      "DNS/TCP messages too large %llu\n  no reassembly buffer "
		      "%llu  endpoints not aggregated %llu\n",
		      (unsigned long long)tc->flows_evicted,
		      (unsigned long long)tc->pending_evicted,
		      (unsigned long long)tc->ring_forced,
		      (unsigned long long)tc->http_head_too_large,
		      (unsigned long long)tc->dns_tcp_oversize,
		      (unsigned long long)tc->tcp_nobuf,
		      (unsigned long long)st->eps_dropped);
}

static void
summary_table(struct kn_buf *b, struct kn_capture *cap)
{
	const struct kn_traffic_stats *st = kn_capture_stats(cap);
	const struct kn_capture_counters *c = kn_capture_counters(cap);
	struct group *g;
	size_t n, i;
	uint32_t k;
	const char *nm;
	char num[16];

	kn_buf_printf(
		b,
		"PACKETS %llu  decoded %llu  other %llu  "
		"fragments %llu (reassembled %llu datagrams, timed out "
		"%llu, dropped %llu)  malformed %llu  encapsulated %llu\n\n",
		(unsigned long long)c->packets, (unsigned long long)c->decoded,
		(unsigned long long)c->other, (unsigned long long)c->fragments,
		(unsigned long long)c->reassembled,
		(unsigned long long)c->frag_timed_out,
		(unsigned long long)c->frag_dropped,
		(unsigned long long)(c->malformed + c->truncated),
		(unsigned long long)c->encapsulated);
	kn_buf_printf(b,
		      "DNS  queries %llu  answered %llu  unanswered %llu  "
		      "retransmissions %llu\n",
		      (unsigned long long)st->dns.queries,
		      (unsigned long long)st->dns.answered,
		      (unsigned long long)st->dns.unanswered,
		      (unsigned long long)st->dns.retrans);
	if (st->dns.unreachable > 0)
		kn_buf_printf(b,
			      "  port unreachable %llu  (ICMP: nothing "
			      "listens on the server's port)\n",
			      (unsigned long long)st->dns.unreachable);
	kn_buf_printf(b, "  NXDOMAIN  real %llu  search-path expansion %llu\n",
		      (unsigned long long)st->dns.nx_real,
		      (unsigned long long)st->dns.nx_search);
	kn_buf_puts(b, "  rcodes");
	for (k = 0; k < st->dns.rcodes.n; k++) {
		nm = kn_dns_rcode_name((uint16_t)st->dns.rcodes.e[k].num);
		snprintf(num, sizeof(num), "%d", st->dns.rcodes.e[k].num);
		kn_buf_printf(b, "  %s %llu", nm ? nm : num,
			      (unsigned long long)st->dns.rcodes.e[k].count);
	}
	kn_buf_puts(b, "\n  qtypes");
	for (k = 0; k < st->dns.qtypes.n; k++) {
		nm = kn_dns_type_name((uint16_t)st->dns.qtypes.e[k].num);
		snprintf(num, sizeof(num), "%d", st->dns.qtypes.e[k].num);
		kn_buf_printf(b, "  %s %llu", nm ? nm : num,
			      (unsigned long long)st->dns.qtypes.e[k].count);
	}
	kn_buf_puts(b, "\n");
	table_lat(b, &st->dns.lat);
	table_topk(b, "top names", &st->dns.names);
	kn_buf_printf(b,
		      "\nHTTP  requests %llu  answered %llu  unanswered "
		      "%llu  bytes %llu out / %llu back\n",
		      (unsigned long long)st->http.requests,
		      (unsigned long long)st->http.answered,
		      (unsigned long long)st->http.unanswered,
		      (unsigned long long)st->http.req_bytes,
		      (unsigned long long)st->http.resp_bytes);
	kn_buf_printf(b,
		      "  status  1xx %llu  2xx %llu  3xx %llu  4xx %llu  "
		      "5xx %llu\n",
		      (unsigned long long)st->http.classes[1],
		      (unsigned long long)st->http.classes[2],
		      (unsigned long long)st->http.classes[3],
		      (unsigned long long)st->http.classes[4],
		      (unsigned long long)st->http.classes[5]);
	kn_buf_puts(b, "  methods");
	for (k = 0; k < st->http.methods.n; k++) {
		kn_buf_puts(b, "  ");
		kn_escape_text(b, st->http.methods.e[k].str,
			       strlen(st->http.methods.e[k].str), false);
		kn_buf_printf(b, " %llu",
			      (unsigned long long)st->http.methods.e[k].count);
	}
	kn_buf_puts(b, "\n");
	table_lat(b, &st->http.lat);
	table_topk(b, "top hosts", &st->http.hosts);
	table_topk(b, "top paths", &st->http.paths);
	kn_buf_printf(b, "\nTLS  client hellos %llu\n",
		      (unsigned long long)st->tls.hellos);
	table_topk(b, "top SNI", &st->tls.sni);
	table_limits(b, kn_capture_txn_counters(cap), st);

	kn_buf_printf(b, "\n%-40s %8s %8s %8s %8s %8s %8s %8s\n", "ENDPOINT",
		      "DNS-Q", "DNS-SRV", "NXDOM", "NOANS", "HTTP-Q",
		      "HTTP-SRV", "5XX");
	g = calloc(KN_EP_MAX, sizeof(*g));
	n = g ? build_groups(cap, st, g) : 0;
	for (i = 0; i < n; i++) {
		const struct kn_ep_agg *a = &g[i].sum;
		const char *label = g[i].name ? g[i].name : g[i].ip;
		size_t w = kn_escaped_width(label, strlen(label), false);

		kn_escape_text(b, label, strlen(label), false);
		kn_buf_printf(b,
			      "%*s %8llu %8llu %8llu %8llu %8llu %8llu "
			      "%8llu\n",
			      w < 40 ? (int)(40 - w) : 0, "",
			      (unsigned long long)a->dns_client,
			      (unsigned long long)a->dns_server,
			      (unsigned long long)a->dns_nxdomain,
			      (unsigned long long)(a->dns_unanswered +
						   a->http_unanswered),
			      (unsigned long long)a->http_client,
			      (unsigned long long)a->http_server,
			      (unsigned long long)a->http_errors);
	}
	free(g);
}

static void
on_signal(int signo, void *arg)
{
	struct out_ctx *o = arg;

	if (signo == SIGINT || signo == SIGTERM || signo == SIGHUP) {
		o->stop = true;
		o->signo = signo;
		kn_capture_pump_stop(o->pump);
	}
}

/* Live lines reach the reader as their transactions complete. */
static void
on_progress(void *arg, int n)
{
	struct out_ctx *o = arg;

	(void)n;
	if (o->live)
		fflush(o->out);
}

static void
on_failed(void *arg, const char *err)
{
	struct out_ctx *o = arg;

	kn_error("%s", err);
	o->failed = true;
}

/* Live (or demo) capture until --duration or a signal: the pump reads
 * the capture in the loop's turns. */
static void
run_live(struct kn_app *app, struct out_ctx *o)
{
	uint64_t end_ms = 0, now;
	int wait;

	if (app->opts.duration > 0)
		end_ms = kn_now_ms() + (uint64_t)(app->opts.duration * 1000);
	kn_loop_watch_signals(app->loop, on_signal, o);
	while (!kn_capture_pump_done(o->pump)) {
		now = kn_now_ms();
		if (end_ms != 0 && now >= end_ms)
			break;
		wait = KN_CAPTURE_TICK_MS;
		if (end_ms != 0 && end_ms - now < (uint64_t)wait)
			wait = (int)(end_ms - now);
		kn_loop_turn(app->loop, wait);
	}
}

int
kn_report_traffic(struct kn_app *app, FILE *out)
{
	/* Only jsonl reads them one by one (a summary alone lets workers
	 * keep their own statistics). */
	const struct kn_capture_pump_ops ops = {
		app->opts.output == KN_OUT_JSONL ||
				app->opts.output == KN_OUT_WIDE
			? on_txn
			: NULL,
		on_progress, on_failed};
	struct kn_capture *cap = app->capture;
	struct out_ctx o;
	char errbuf[KN_ERRBUF];
	char ns[254];
	int status = 0;

	/* The cluster's traffic from its node agents: asked for, or found
	 * when there is no capture of our own. */
	if (app->opts.agents_ns != NULL)
		return kn_report_traffic_agents(app, out, app->opts.agents_ns);
	if (cap == NULL && app->kube != NULL &&
	    kn_podlogs_find_ns(app, ns, sizeof(ns), 15000, errbuf) == KN_OK)
		return kn_report_traffic_agents(app, out, ns);
	if (cap == NULL) {
		kn_error("--pane traffic needs a capture: -r FILE, -i IF "
			 "(with --duration) or --demo");
		return 2;
	}
	memset(&o, 0, sizeof(o));
	o.cap = cap;
	o.out = out;
	o.jsonl = app->opts.output == KN_OUT_JSONL;
	o.wide = app->opts.output == KN_OUT_WIDE;
	o.live = !kn_capture_is_file(cap);
	rp_init(&o.r, app, out);
	kn_view_init(&o.line, &kn_view_traffic);
	o.cx.capture = cap;
	o.cx.model = app->model;
	o.cx.policy = &o.policy;
	if (o.wide)
		report_view_table_head(&o.r, &kn_view_traffic);
	if (kn_capture_pump_new(cap, app->loop, o.jsonl || o.wide, &ops, &o,
				&o.pump, errbuf) != KN_OK) {
		kn_error("%s", errbuf);
		kn_view_release(&o.line);
		kn_policy_cache_release(&o.policy);
		rp_finish(&o.r);
		return 1;
	}
	if (kn_capture_is_file(cap)) {
		/* Read at full speed: the batches back to back. */
		while (kn_capture_pump_batch(o.pump) > 0)
			;
	} else {
		run_live(app, &o);
	}
	kn_capture_pump_free(o.pump);
	if (o.failed)
		status = 1;
	kn_capture_finish(cap);
	if (kn_capture_write_error(cap) != NULL)
		status = 1; /* said when it happened; the report still comes */
	if (!o.jsonl && app->opts.output == KN_OUT_JSON)
		summary_json(&o.r.b, cap);
	else if (!o.jsonl)
		summary_table(&o.r.b, cap);
	if (o.wide) {
		/* Under the summary: each transaction, one a row. */
		kn_buf_printf(&o.r.b, "\nTRANSACTIONS %llu\n",
			      (unsigned long long)o.lines);
		tb_print(&o.r);
	}
	kn_view_release(&o.line);
	kn_policy_cache_release(&o.policy);
	free(o.text);
	if (rp_finish(&o.r) != 0)
		status = 1;
	return status;
}
