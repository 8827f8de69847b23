/* The Traffic pane's DNS-by-name summary (its 'n' view, traffic_dns.c)
 * and what the DNS pane's live rows are made of (dns_live.c). */
#ifndef K8SNET_UI_TRAFFIC_DNS_H
#define K8SNET_UI_TRAFFIC_DNS_H

#include <stdbool.h>
#include <stdint.h>

#include "table.h"

struct kn_pane;
struct kn_agents_merge;

/* What the DNS pane's live rows say of the transactions in range. */
struct kn_dns_live_sum {
	uint64_t q;		     /* DNS transactions counted */
	uint64_t nxr, nxs;	     /* NXDOMAIN: real, search-path tries */
	uint64_t sf, refused, other; /* other answers not NOERROR */
	uint64_t un;		     /* unanswered */
	uint64_t first_us, last_us;  /* times of the first and last counted */
	int64_t p50, p90, p99;	     /* latency in us; -1: none answered */
};

#define KN_DNS_LIVE_NX 20 /* (pod, name) pairs listed */

/* A client and a name it got NXDOMAIN for (not a search-path try), n
 * times; who as kn_tv_name gives it, cut to 159 bytes, name to 255. */
struct kn_dns_live_nx {
	const char *who, *name;
	uint64_t n;
};

/* The live rows of s and the first nnx pairs of nx (at most
 * KN_DNS_LIVE_NX, in the order of their first NXDOMAIN), added to
 * p->vt's view; nothing when s->q is 0. */
void kn_dns_live_emit(struct kn_pane *p, const struct kn_dns_live_sum *s,
		      const struct kn_dns_live_nx *nx, size_t nnx);

/* QNAME, COUNT, then a column for every answer that is not NOERROR:
 * NXDOMAIN, SERVFAIL, REFUSED, OTHER (any other rcode, the commonest
 * named), UNANSWERED; then P50, P90, P99 and CLIENTS. */
#define KN_TV_DNS_NAMES_NCOLS 11
extern const struct kn_column kn_tv_dns_names_cols[KN_TV_DNS_NAMES_NCOLS];

/* One row per query name of the capture's DNS transactions in [from,
 * end) whose client or server is in namespace ns (NULL: all), added to
 * p->rows in the columns above. */
void kn_traffic_dns_names(struct kn_pane *p, uint64_t from, uint64_t end,
			  const char *ns);
/* The same rows from the node agents' merged summaries (every
 * transaction they counted, not only those sent in full), names folded
 * past the agents' top keys as "(other names)"; false (no rows) when
 * the agents have said nothing of DNS yet. */
bool kn_traffic_dns_names_agents(struct kn_pane *p, struct kn_agents_merge *m,
				 const char *ns);

#endif
