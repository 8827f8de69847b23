/* Traffic pane benchmark: the console's Traffic pane over the ring of
 * 50,000 recent transactions (KN_RECENT_MAX) while transactions keep
 * arriving from a capture file at a steady rate. Every refresh interval
 * it decodes that interval's transactions, refreshes the pane (its rows
 * kept, the new ones merged in) and draws a 160x48 frame, each timed in
 * CPU; at ring fill 10%, 50% and 100% it also times what building every
 * row again costs (the pane before it kept its rows), on the same rows.
 * From these, with the console's feed rule (a refresh at most every
 * 100 ms and at most a tenth of the time), it prints the refresh
 * interval, the worst time from a transaction's completion to the
 * screen (the live capture's 50 ms block timeout + the interval + the
 * refresh + the frame) and the pane's share of one core.
 * The DNS pane's live rows are refreshed at the same steps, their
 * counts kept from one refresh to the next; at the same fills the scan
 * of the whole ring they replaced is timed on the same ring, and the
 * two must give the same rows. The capture file has few (client, name)
 * pairs with NXDOMAIN; a made-up ring of many follows.
 *   bench_traffic_pane PCAP [TRANSACTIONS/S] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canvas.h"
#include "k8snet/app.h"
#include "k8snet/capture.h"
#include "pane.h"
#include "traffic_view.h"

#define SHOW_MS 100	/* traffic_feed.c KN_FEED_SHOW_MS */
#define SHOW_DUTY 10	/* traffic_feed.c KN_FEED_SHOW_DUTY */
#define BLOCK_MS 50	/* live capture block timeout */
#define STEADY_STEPS 30 /* refreshes measured at a full ring */

static double
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct sample {
	double refresh, draw;
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n == 0 ? 0 : v[n / 2];
}

/* Every row built again and handed to a table sorted as the pane's. */
static double
full_rebuild_ms(struct kn_pane *p)
{
	struct kn_vtable *vt = kn_vtable_new(p->vt->view.def);
	struct kn_table *t = kn_table_new(vt->cols, vt->ncols);
	struct kn_table_source src;
	double t0;

	kn_table_sort(t, kn_table_sort_col(p->table),
		      kn_table_sort_reverse(p->table));
	vt->cx = p->vt->cx;
	t0 = cpu_ms();
	kn_view_build(&vt->view, &vt->cx);
	kn_vtable_source(vt, &src);
	kn_table_set_source(t, &src);
	t0 = cpu_ms() - t0;
	kn_table_free(t);
	kn_vtable_free(vt);
	return t0;
}

/* The DNS pane's live rows (its records need a model the bench has
 * not): kept, or from a scan; their text in out (cap bytes). */
static double
dns_rows_ms(struct kn_pane *d, const struct kn_pane_view *v, bool scan,
	    char *out, size_t cap)
{
	struct kn_view *view = &d->vt->view;
	size_t i, o = 0;
	double t0;
	int c;

	kn_view_clear(view);
	t0 = cpu_ms();
	if (scan)
		kn_traffic_dns_rows_scan(d, v);
	else
		kn_traffic_dns_rows(d->priv, d, v);
	t0 = cpu_ms() - t0;
	out[0] = '\0';
	for (i = 0; i < view->n && o < cap; i++)
		for (c = 0; c < 4 && o < cap; c++)
			o += (size_t)snprintf(out + o, cap - o, "%s|",
					      view->rows[i].text[c]);
	return t0;
}

/* The DNS transactions in the ring. */
static size_t
dns_in_ring(struct kn_capture *cap)
{
	uint64_t seq, end = kn_capture_recent_added(cap);
	const struct kn_recent *r;
	size_t n = 0;

	for (seq = kn_capture_recent_oldest(cap); seq < end; seq++) {
		r = kn_capture_recent(cap, seq);
		n += r != NULL && r->type == KN_TXN_DNS;
	}
	return n;
}

/* The feed's interval after a refresh of ms. */
static double
interval_ms(double ms)
{
	return ms * SHOW_DUTY > SHOW_MS ? ms * SHOW_DUTY : SHOW_MS;
}

/* A made-up DNS transaction: one of 5,000 clients; a third of them
 * NXDOMAIN for a name asked only a few times (a pair of its own). */
static void
made_up_txn(struct kn_capture *cap, unsigned i)
{
	static struct kn_txn t;
	unsigned c = (i * 2654435761u) % 5000;

	memset(&t, 0, sizeof(t));
	t.type = KN_TXN_DNS;
	t.ts_us = 1700000000000000ULL + (uint64_t)i * 200;
	t.latency_us = (int64_t)((i * 7919u) % 20000);
	t.client.ip.family = 4;
	t.client.ip.addr[0] = 10;
	t.client.ip.addr[2] = (uint8_t)(c >> 8);
	t.client.ip.addr[3] = (uint8_t)c;
	t.server.ip = t.client.ip;
	t.server.ip.addr[0] = 11;
	t.u.dns.qtype = 1;
	t.u.dns.rcode = i % 3 == 0 ? 3 : 0;
	snprintf(t.u.dns.qname, sizeof(t.u.dns.qname), "n%u.example.svc",
		 i % 3 == 0 ? i / 9 : i % 50);
	t.u.dns.qname_len = (uint16_t)strlen(t.u.dns.qname);
	kn_capture_add_txn(cap, &t, NULL);
}

/* A full ring of made-up transactions with many pairs, 500 new at each
 * refresh: kept counts against the scan. */
static int
made_up_ring(void)
{
	struct kn_app app;
	struct kn_pane *d;
	struct kn_pane_view v;
	char errbuf[KN_ERRBUF], kept[8192], scanned[8192];
	double kept_ms[STEADY_STEPS], scan_ms, med;
	unsigned i = 0, step, k;

	memset(&app, 0, sizeof(app));
	if (kn_capture_open_agents(&app.capture, errbuf) != KN_OK ||
	    kn_capture_keep_recent(app.capture, KN_RECENT_MAX, errbuf) !=
		    KN_OK) {
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	d = kn_pane_new(&kn_pane_dns_ops, &app, false);
	v.app = &app;
	v.ns = NULL;
	while (i < KN_RECENT_MAX)
		made_up_txn(app.capture, i++);
	dns_rows_ms(d, &v, false, kept, sizeof(kept));
	for (step = 0; step < STEADY_STEPS; step++) {
		for (k = 0; k < 500; k++)
			made_up_txn(app.capture, i++);
		kept_ms[step] = dns_rows_ms(d, &v, false, kept, sizeof(kept));
	}
	scan_ms = dns_rows_ms(d, &v, true, scanned, sizeof(scanned));
	med = median(kept_ms, STEADY_STEPS); /* sorts: the max is last */
	printf("| made up | %6u | %3d | %6.3f (max %6.3f) | %4.0f ms | %5.2f%% "
	       "| %7.2f | %4.0f ms | %5.1f%% |\n",
	       KN_RECENT_MAX, STEADY_STEPS, med, kept_ms[STEADY_STEPS - 1],
	       interval_ms(med), 100 * med / interval_ms(med), scan_ms,
	       interval_ms(scan_ms), 100 * scan_ms / interval_ms(scan_ms));
	kn_pane_free(d);
	kn_capture_close(app.capture);
	if (strcmp(kept, scanned) != 0) {
		fprintf(stderr, "DNS rows kept and scanned differ:\n%s\n%s\n",
			kept, scanned);
		return 1;
	}
	return 0;
}

static void
report(const char *label, size_t rows, struct sample *s, size_t n, double full,
       double decode)
{
	double r[STEADY_STEPS + 8], d[STEADY_STEPS + 8], cost, every;
	double full_every;
	size_t i;

	for (i = 0; i < n; i++) {
		r[i] = s[i].refresh;
		d[i] = s[i].draw;
	}
	cost = median(r, n) + median(d, n);
	every = median(r, n) * SHOW_DUTY > SHOW_MS ? median(r, n) * SHOW_DUTY
						   : SHOW_MS;
	full_every = full * SHOW_DUTY > SHOW_MS ? full * SHOW_DUTY : SHOW_MS;
	printf("| %-5s | %6zu | %3zu | %7.2f (max %6.2f) | %5.2f | %4.0f ms "
	       "| %4.0f ms | %5.1f%% | %7.1f | %5.0f ms | %5.0f ms | %5.1f%% "
	       "| %5.1f%% |\n",
	       label, rows, n, median(r, n), r[n - 1], median(d, n), every,
	       BLOCK_MS + every + cost, 100 * cost / every, full, full_every,
	       BLOCK_MS + full_every + full + median(d, n),
	       100 * (full + median(d, n)) / full_every,
	       100 * decode / SHOW_MS);
}

int
main(int argc, char **argv)
{
	struct kn_capture_config cfg;
	struct kn_app app;
	struct kn_pane *p;
	struct kn_canvas *c;
	struct kn_pane_view v;
	struct sample s[STEADY_STEPS + 8];
	struct kn_pane *d;
	double dns[STEADY_STEPS + 8], dns_scan[3], dns_med;
	char dns_lines[3][160], kept[8192], scanned[8192];
	size_t dns_n[3];
	char errbuf[KN_ERRBUF];
	static const unsigned fills[] = {10, 50, 100};
	unsigned rate = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 5000;
	uint64_t per_step = (uint64_t)rate * SHOW_MS / 1000, want;
	size_t fi = 0, ns = 0, full_steps = 0;
	double t0, full = 0, decode = 0, dec_sum = 0;
	int r = 1;
	bool differ = false;

	if (argc < 2) {
		fprintf(stderr, "usage: %s PCAP [TRANSACTIONS/S]\n", argv[0]);
		return 2;
	}
	memset(&cfg, 0, sizeof(cfg));
	memset(&app, 0, sizeof(app));
	cfg.read_file = argv[1];
	if (kn_capture_open(&cfg, &app.capture, errbuf) != KN_OK ||
	    kn_capture_keep_recent(app.capture, KN_RECENT_MAX, errbuf) !=
		    KN_OK) {
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	p = kn_pane_new(&kn_pane_traffic_ops, &app, false);
	d = kn_pane_new(&kn_pane_dns_ops, &app, false);
	c = kn_canvas_new_text(48, 160, false);
	v.app = &app;
	v.ns = NULL;
	printf("%u transactions/s, a refresh every %d ms or more\n\n", rate,
	       SHOW_MS);
	printf("| fill  |   rows |   n | refresh ms median   | frame | "
	       "interval | latency  | CPU    | full ms | interval | latency  "
	       "| CPU    | decode |\n");
	printf("|-------|-------:|----:|--------------------:|------:|------:"
	       "|------:|------:|------:|------:|------:|------:|------:|\n");
	while (fi < sizeof(fills) / sizeof(fills[0])) {
		/* the transactions of one interval */
		want = kn_capture_recent_added(app.capture) + per_step;
		t0 = cpu_ms();
		while (kn_capture_recent_added(app.capture) < want &&
		       (r = kn_capture_dispatch(app.capture, 256, errbuf)) > 0)
			;
		decode = cpu_ms() - t0;
		if (r <= 0)
			break;
		t0 = cpu_ms();
		kn_pane_refresh(p, &v);
		s[ns].refresh = cpu_ms() - t0;
		t0 = cpu_ms();
		kn_canvas_clear(c);
		p->ops->draw(p, c, 0, 0, 48, 160);
		s[ns].draw = cpu_ms() - t0;
		dns[ns] = dns_rows_ms(d, &v, false, kept, sizeof(kept));
		if (p->vt->view.n * 100 < (size_t)fills[fi] * KN_RECENT_MAX) {
			ns = 0;
			continue;
		}
		/* at the fill: the refreshes around it (a full ring: many) */
		dec_sum += decode;
		if (ns == 0) {
			full = full_rebuild_ms(p);
			dns_scan[fi] = dns_rows_ms(d, &v, true, scanned,
						   sizeof(scanned));
			dns_n[fi] = dns_in_ring(app.capture);
			if (strcmp(kept, scanned) != 0) {
				fprintf(stderr,
					"DNS rows kept and scanned "
					"differ:\n%s\n%s\n",
					kept, scanned);
				differ = true;
				break;
			}
		}
		ns++;
		full_steps++;
		if (ns < (fills[fi] < 100 ? 3 : STEADY_STEPS))
			continue;
		if (fills[fi] < 100 &&
		    p->vt->view.n * 100 >
			    (size_t)(fills[fi] + 5) * KN_RECENT_MAX)
			fprintf(stderr,
				"note: fill %u%% measured up to %zu "
				"rows\n",
				fills[fi], p->vt->view.n);
		report(fills[fi] == 100	 ? "100%"
		       : fills[fi] == 50 ? "50%"
					 : "10%",
		       p->vt->view.n, s, ns, full, dec_sum / (double)ns);
		dns_med = median(dns, ns);
		snprintf(dns_lines[fi], sizeof(dns_lines[fi]),
			 "| %4u%% | %6zu | %3zu | %6.3f (max %6.3f) | %4.0f ms "
			 "| %5.2f%% | %7.2f | %4.0f ms | %5.1f%% |",
			 fills[fi], dns_n[fi], ns, dns_med, dns[ns - 1],
			 interval_ms(dns_med),
			 100 * dns_med / interval_ms(dns_med), dns_scan[fi],
			 interval_ms(dns_scan[fi]),
			 100 * dns_scan[fi] / interval_ms(dns_scan[fi]));
		dec_sum = 0;
		ns = 0;
		fi++;
	}
	if (fi < sizeof(fills) / sizeof(fills[0]) && !differ)
		fprintf(stderr, "the capture ended before a fill of %u%%\n",
			fills[fi]);
	/* the DNS pane's live rows at the same steps and fills */
	printf("\nDNS pane, live rows (kept counts; scan: the whole ring "
	       "read again)\n\n");
	printf("| fill  | DNS tx |   n | refresh ms median   | interval "
	       "| CPU    | scan ms | interval | CPU    |\n");
	printf("|------:|-------:|----:|--------------------:|------:|------:"
	       "|------:|------:|------:|\n");
	for (ns = 0; ns < fi; ns++)
		printf("%s\n", dns_lines[ns]);
	differ |= made_up_ring() != 0;
	kn_canvas_free(c);
	kn_pane_free(d);
	kn_pane_free(p);
	kn_capture_close(app.capture);
	return differ || fi < sizeof(fills) / sizeof(fills[0]);
}
