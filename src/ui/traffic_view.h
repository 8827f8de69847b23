/* Shared helpers of the Traffic pane and the DNS pane's live part:
 * naming addresses, percentiles, and the capture feed that connects the
 * capture to the loop while the console runs. */
#ifndef K8SNET_UI_TRAFFIC_VIEW_H
#define K8SNET_UI_TRAFFIC_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/app.h"
#include "k8snet/capture.h"

/* Not pane.h: ui.c includes this after <term.h>, whose macros (columns)
 * clash with the pane structs. */
struct kn_pane;
struct kn_pane_view;

/* The name of ip (pod, service, node) or its address; with wide, both.
 * Written into buf (n bytes); returns buf. */
const char *kn_tv_name(struct kn_app *app, const struct kn_ipaddr *ip,
		       bool wide, char *buf, size_t n);
/* q-th percentile (0..1) of v[0..n) in place (sorts); -1 when n is 0. */
double kn_tv_percentile(int64_t *v, size_t n, double q);
/* The same of v[0..n) already sorted ascending. */
double kn_tv_percentile_sorted(const int64_t *v, size_t n, double q);
/* "1.23ms", "850ms", "1.20s", "-" for us < 0 (the Traffic view's
 * latency text). */
const char *kn_tv_ms(int64_t us, char *buf, size_t n);

/* The live DNS rows of the DNS pane (queries/s, NXDOMAIN, latency,
 * unanswered, pods asking for names that do not exist) from the
 * capture's recent transactions; nothing without a capture. Adds to
 * p->vt's view, whose columns are NAME, TYPE, VALUE, SOURCE. What the
 * rows add up to is kept in st from one call to the next: a call reads
 * only the transactions added since and takes away those the ring gave
 * up (all of them again when the namespace, the capture or, with a
 * namespace, the names changed). */
struct kn_dns_live;
struct kn_dns_live *kn_dns_live_new(void);
void kn_dns_live_free(struct kn_dns_live *st);
void kn_traffic_dns_rows(struct kn_dns_live *st, struct kn_pane *p,
			 const struct kn_pane_view *v);
/* The same rows from a scan of every transaction in the ring, as the
 * pane read them before it kept st: for the tests and the benchmark,
 * which compare the two. */
void kn_traffic_dns_rows_scan(struct kn_pane *p, const struct kn_pane_view *v);

/* The capture feed: registers the capture (live fd, demo timer, file at
 * full speed in batches) with the loop while the console runs, ticks
 * timeouts, follows the model for names, and asks for a Traffic and
 * DNS refresh at most twice a second when transactions arrived. A
 * capture opened later (the interface picker) is picked up. */
struct kn_traffic_feed;
struct kn_traffic_feed *kn_traffic_feed_new(struct kn_app *app);
void kn_traffic_feed_free(struct kn_traffic_feed *f);

/* Start a live capture on ifname from the console (interface picker).
 * Errors (privileges) go to errbuf. */
enum kn_err kn_traffic_open_iface(struct kn_app *app, const char *ifname,
				  char *errbuf);

#endif
