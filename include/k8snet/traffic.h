/* Traffic statistics: counters, top-K names, latency percentiles and
 * per-endpoint aggregates over finished transactions (fixed memory). */
#ifndef K8SNET_TRAFFIC_H
#define K8SNET_TRAFFIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/err.h"
#include "k8snet/ipaddr.h"
#include "k8snet/txn.h"

#define KN_TOPK 256 /* space-saving top-K: counts exact below K */
#define KN_TOPK_KEY 256
#define KN_LAT_BUCKETS 320
#define KN_EP_MAX 4096 /* endpoints aggregated; more are counted */
#define KN_SMALLMAP 32

struct kn_topk_entry {
	uint64_t count;
	uint64_t first; /* kn_txn.order of the transaction that added it */
	uint64_t hash;
	uint16_t len;
	char key[KN_TOPK_KEY];
};

struct kn_topk {
	uint32_t n;
	struct kn_topk_entry e[KN_TOPK];
	uint16_t index[KN_TOPK * 2]; /* hash -> entry + 1, open addressing */
};

/* Log-linear histogram of microseconds (8 sub-buckets per octave). */
struct kn_lat_hist {
	uint64_t n;
	uint64_t b[KN_LAT_BUCKETS];
};

struct kn_smallmap_entry {
	int32_t num;
	char str[16];
	uint64_t count;
	uint64_t first; /* as in kn_topk_entry */
};

/* Small key -> count map (rcodes, qtypes, methods, status codes). */
struct kn_smallmap {
	uint32_t n;
	uint64_t other;
	struct kn_smallmap_entry e[KN_SMALLMAP];
};

struct kn_ep_agg {
	struct kn_ipaddr ip;
	bool used;
	uint64_t first; /* as in kn_topk_entry */
	uint64_t dns_client, dns_server, dns_nxdomain, dns_unanswered;
	uint64_t http_client, http_server, http_errors, http_unanswered;
	uint64_t tls_client, tls_server;
	uint64_t bytes_out, bytes_in; /* HTTP bytes sent / received */
};

struct kn_traffic_stats {
	struct {
		uint64_t queries, answered, unanswered, retrans;
		/* an ICMP port unreachable instead of an answer (not in
		 * answered or unanswered) */
		uint64_t unreachable;
		uint64_t nx_real, nx_search, udp, tcp;
		struct kn_smallmap rcodes, qtypes;
		struct kn_lat_hist lat;
		struct kn_topk names;
	} dns;
	struct {
		uint64_t requests, answered, unanswered;
		uint64_t req_bytes, resp_bytes;
		uint64_t classes[6]; /* index status/100; 0: no response */
		/* responses whose request was not captured (in no other
		 * figure of requests, statuses or latency) */
		uint64_t unmatched;
		struct kn_smallmap methods, codes;
		struct kn_lat_hist lat;
		struct kn_topk hosts, paths;
	} http;
	struct {
		uint64_t hellos;
		struct kn_topk sni;
		struct kn_smallmap alpn;
	} tls;
	uint32_t neps;
	uint64_t eps_dropped;
	struct kn_ep_agg eps[KN_EP_MAX * 2]; /* open addressing by address */
	/* the slots of eps in use, in the order they were taken: read
	 * instead of the whole table, whose untouched pages stay so */
	uint16_t ep_slot[KN_EP_MAX];
};

/* Caller allocates (the struct is large: heap) and zeroes it. */
void kn_traffic_add(struct kn_traffic_stats *st, const struct kn_txn *t);
/* Add s's counters to d (endpoint totals, per-pod groups, shards). */
void kn_ep_agg_add(struct kn_ep_agg *d, const struct kn_ep_agg *s);
/* The histogram bucket of us microseconds (0..KN_LAT_BUCKETS-1): the
 * same on every host, so histograms written by node agents add up
 * exactly. */
unsigned kn_lat_bucket(uint64_t us);
/* The statistics of the n shards of one capture (each fed the
 * transactions of its own flows, in kn_txn.order) added into dst
 * (zeroed, caller's): counters and histograms exactly; keys of the maps,
 * top-K tables and endpoints in the order they first appeared in the
 * capture as a whole, so dst is what one kn_traffic_add of every
 * transaction in order gives while each table holds every key. Past a
 * bound (KN_SMALLMAP keys, KN_TOPK names, KN_EP_MAX endpoints) both are
 * approximations, not the same one. Returns false without memory (dst
 * then holds the counters and histograms only). */
bool kn_traffic_merge(struct kn_traffic_stats *dst,
		      const struct kn_traffic_stats *const *src, size_t n);
/* src's counts added into dst (the buckets are the same everywhere). */
void kn_lat_merge(struct kn_lat_hist *dst, const struct kn_lat_hist *src);
/* Latency percentile q (0..1) in microseconds; -1 when empty. */
double kn_lat_percentile(const struct kn_lat_hist *h, double q);
/* Entries sorted by count, descending (copies into out, at most max). */
size_t kn_topk_sorted(const struct kn_topk *k, const struct kn_topk_entry **out,
		      size_t max);

#endif
