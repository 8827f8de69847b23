/* The DNS pane's live part: rates, NXDOMAIN (search-path expansions
 * apart), latency percentiles, unanswered queries and the pods asking
 * for names that do not exist, from the capture's recent transactions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/capture.h"
#include "pane.h"
#include "traffic_view.h"

#define KN_DNS_LIVE_NX 20 /* (pod, name) pairs listed */

struct nx_pair {
	char who[160];
	char name[256];
	uint64_t n;
};

static void
live_row(struct kn_pane *p, const char *name, const char *type,
	 const char *value, enum kn_vtone tone)
{
	/* one per column of the DNS view; the rest (planned) empty */
	const char *cells[8] = {name, type, value, "capture"};

	kn_view_add_text(p->view, cells, tone);
}

void
kn_traffic_dns_rows(struct kn_pane *p, const struct kn_pane_view *v)
{
	struct kn_capture *cap = v->app->capture;
	const struct kn_recent *r;
	struct nx_pair *nx = NULL;
	size_t nnx = 0, capnx = 0, nlat = 0, i;
	uint64_t seq, from, end, q = 0, nxr = 0, nxs = 0, sf = 0, un = 0;
	uint64_t first = 0, last = 0;
	int64_t *lat;
	/* val holds "WHO asked N times": who and 40 bytes for the rest. */
	char who[160], val[sizeof(who) + 40], a[24], b[24], c[24];
	double span;

	if (cap == NULL)
		return;
	end = kn_capture_recent_added(cap);
	from = kn_capture_recent_oldest(cap);
	if (end == from)
		return;
	lat = kn_xreallocarray(NULL, (size_t)(end - from), sizeof(*lat));
	for (seq = from; seq < end; seq++) {
		r = kn_capture_recent(cap, seq);
		if (r == NULL || r->type != KN_TXN_DNS)
			continue;
		if (v->ns != NULL && !kn_tv_in_ns(v->app, &r->client.ip, v->ns))
			continue;
		if (q++ == 0)
			first = r->ts_us;
		last = r->ts_us;
		if (r->latency_us >= 0)
			lat[nlat++] = r->latency_us;
		if (r->code < 0)
			un++;
		else if (r->code == 2)
			sf++;
		if (r->code != 3)
			continue;
		if (r->search_expansion) {
			nxs++;
			continue;
		}
		nxr++;
		kn_tv_name(v->app, &r->client.ip, false, who, sizeof(who));
		for (i = 0; i < nnx; i++)
			if (strcmp(nx[i].who, who) == 0 &&
			    strcmp(nx[i].name, r->text + r->s[0]) == 0)
				break;
		if (i == nnx) {
			if (nnx == capnx) {
				capnx = capnx ? capnx * 2 : 16;
				nx = kn_xreallocarray(nx, capnx, sizeof(*nx));
			}
			snprintf(nx[i].who, sizeof(nx[i].who), "%s", who);
			snprintf(nx[i].name, sizeof(nx[i].name), "%s",
				 r->text + r->s[0]);
			nx[i].n = 0;
			nnx++;
		}
		nx[i].n++;
	}
	if (q > 0) {
		span = (double)(last - first) / 1e6;
		snprintf(val, sizeof(val), "%.1f/s over %.0fs (%llu queries)",
			 span >= 1 ? (double)q / span : (double)q, span,
			 (unsigned long long)q);
		live_row(p, "(live) queries", "LIVE", val, KN_VTONE_OK);
		snprintf(val, sizeof(val),
			 "%.1f%% real (%llu), %.1f%% "
			 "search-path expansions (%llu)",
			 100.0 * (double)nxr / (double)q,
			 (unsigned long long)nxr,
			 100.0 * (double)nxs / (double)q,
			 (unsigned long long)nxs);
		live_row(p, "(live) NXDOMAIN", "LIVE", val,
			 nxr ? KN_VTONE_WARN : KN_VTONE_NORMAL);
		snprintf(val, sizeof(val), "p50 %s  p90 %s  p99 %s",
			 kn_tv_ms((int64_t)kn_tv_percentile(lat, nlat, 0.5), a,
				  sizeof(a)),
			 kn_tv_ms((int64_t)kn_tv_percentile(lat, nlat, 0.9), b,
				  sizeof(b)),
			 kn_tv_ms((int64_t)kn_tv_percentile(lat, nlat, 0.99), c,
				  sizeof(c)));
		live_row(p, "(live) latency", "LIVE", val, KN_VTONE_NORMAL);
		snprintf(val, sizeof(val), "%llu unanswered, %llu SERVFAIL",
			 (unsigned long long)un, (unsigned long long)sf);
		live_row(p, "(live) failures", "LIVE", val,
			 un || sf ? KN_VTONE_ERROR : KN_VTONE_NORMAL);
	}
	for (i = 0; i < nnx && i < KN_DNS_LIVE_NX; i++) {
		snprintf(val, sizeof(val), "%s asked %llu times", nx[i].who,
			 (unsigned long long)nx[i].n);
		live_row(p, nx[i].name, "NXDOMAIN", val, KN_VTONE_WARN);
	}
	free(nx);
	free(lat);
}
