/* The Traffic pane's DNS-by-name summary (its 'n' view), kept with the
 * DNS pane's live rows in traffic_dns.c. */
#ifndef K8SNET_UI_TRAFFIC_DNS_H
#define K8SNET_UI_TRAFFIC_DNS_H

#include <stdbool.h>
#include <stdint.h>

#include "table.h"

struct kn_pane;
struct kn_agents_merge;

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
