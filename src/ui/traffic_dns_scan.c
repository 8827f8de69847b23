/* The DNS pane's live rows from a scan of the whole ring, as the pane
 * read them before it kept its counts: the reference the tests hold the
 * kept counts to, and what the benchmark compares them with. The
 * console does not call it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/capture.h"
#include "pane.h"
#include "traffic_dns.h"
#include "traffic_view.h"

/* Answer codes (RFC 1035 4.1.1), written out again rather than shared
 * with traffic_dns.c: a reference should not reuse what it checks. */
enum {
	RC_NOERROR = 0,
	RC_SERVFAIL = 2,
	RC_NXDOMAIN = 3,
	RC_REFUSED = 5,
};

struct nx_pair {
	char who[160];
	char name[256];
	uint64_t n;
};

void
kn_traffic_dns_rows_scan(struct kn_pane *p, const struct kn_pane_view *v)
{
	struct kn_capture *cap = v->app->capture;
	const struct kn_recent *r;
	struct kn_dns_live_sum s;
	struct kn_dns_live_nx out[KN_DNS_LIVE_NX];
	struct nx_pair *nx = NULL;
	size_t nnx = 0, capnx = 0, nlat = 0, i;
	uint64_t seq, from, end;
	int64_t *lat;
	char who[160], name[256];

	if (cap == NULL)
		return;
	end = kn_capture_recent_added(cap);
	from = kn_capture_recent_oldest(cap);
	if (end == from)
		return;
	memset(&s, 0, sizeof(s));
	lat = kn_xreallocarray(NULL, (size_t)(end - from), sizeof(*lat));
	for (seq = from; seq < end; seq++) {
		r = kn_capture_recent(cap, seq);
		if (r == NULL || r->type != KN_TXN_DNS)
			continue;
		if (v->ns != NULL &&
		    !kn_capture_in_ns(cap, &r->client.ip, v->ns))
			continue;
		if (s.q++ == 0)
			s.first_us = r->ts_us;
		s.last_us = r->ts_us;
		if (r->latency_us >= 0)
			lat[nlat++] = r->latency_us;
		if (r->code < 0)
			s.un++;
		else if (r->code == RC_SERVFAIL)
			s.sf++;
		else if (r->code == RC_REFUSED)
			s.refused++;
		else if (r->code != RC_NOERROR && r->code != RC_NXDOMAIN)
			s.other++;
		if (r->code != RC_NXDOMAIN)
			continue;
		if (r->search_expansion) {
			s.nxs++;
			continue;
		}
		s.nxr++;
		kn_tv_name(v->app, &r->client.ip, false, who, sizeof(who));
		/* as the row shows it: cut to 255 bytes */
		snprintf(name, sizeof(name), "%s", r->text + r->s[0]);
		for (i = 0; i < nnx; i++)
			if (strcmp(nx[i].who, who) == 0 &&
			    strcmp(nx[i].name, name) == 0)
				break;
		if (i == nnx) {
			if (nnx == capnx) {
				capnx = capnx ? capnx * 2 : 16;
				nx = kn_xreallocarray(nx, capnx, sizeof(*nx));
			}
			snprintf(nx[i].who, sizeof(nx[i].who), "%s", who);
			snprintf(nx[i].name, sizeof(nx[i].name), "%s", name);
			nx[i].n = 0;
			nnx++;
		}
		nx[i].n++;
	}
	s.p50 = (int64_t)kn_tv_percentile(lat, nlat, 0.5);
	s.p90 = (int64_t)kn_tv_percentile(lat, nlat, 0.9);
	s.p99 = (int64_t)kn_tv_percentile(lat, nlat, 0.99);
	for (i = 0; i < nnx && i < KN_DNS_LIVE_NX; i++) {
		out[i].who = nx[i].who;
		out[i].name = nx[i].name;
		out[i].n = nx[i].n;
	}
	kn_dns_live_emit(p, &s, out, i);
	free(nx);
	free(lat);
}
