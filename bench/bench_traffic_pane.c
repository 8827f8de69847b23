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
 *   bench_traffic_pane PCAP [TRANSACTIONS/S] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canvas.h"
#include "k8snet/app.h"
#include "k8snet/capture.h"
#include "pane.h"

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
	char errbuf[KN_ERRBUF];
	static const unsigned fills[] = {10, 50, 100};
	unsigned rate = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 5000;
	uint64_t per_step = (uint64_t)rate * SHOW_MS / 1000, want;
	size_t fi = 0, ns = 0, full_steps = 0;
	double t0, full = 0, decode = 0, dec_sum = 0;
	int r = 1;

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
		if (p->vt->view.n * 100 < (size_t)fills[fi] * KN_RECENT_MAX) {
			ns = 0;
			continue;
		}
		/* at the fill: the refreshes around it (a full ring: many) */
		dec_sum += decode;
		if (ns == 0)
			full = full_rebuild_ms(p);
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
		dec_sum = 0;
		ns = 0;
		fi++;
	}
	if (fi < sizeof(fills) / sizeof(fills[0]))
		fprintf(stderr, "the capture ended before a fill of %u%%\n",
			fills[fi]);
	kn_canvas_free(c);
	kn_pane_free(p);
	kn_capture_close(app.capture);
	return fi < sizeof(fills) / sizeof(fills[0]);
}
