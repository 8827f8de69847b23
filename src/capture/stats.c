/* Traffic statistics over finished transactions: fixed-size maps, a
 * space-saving top-K (Metwally et al. 2005) and log-linear latency
 * histograms, so memory is flat whatever the capture length. */
#include <stdlib.h>
#include <string.h>

#include "k8snet/dns.h"
#include "k8snet/traffic.h"

/* Eight octets at a time; the value only indexes the top-K table. */
static uint64_t
hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ n, w;
	size_t i;

	/* Whole words by a fixed-size copy (one load), then the tail. */
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, s + i, n - i);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	return h | 1;
}

static void
topk_reindex(struct kn_topk *k)
{
	uint32_t i, j;

	memset(k->index, 0, sizeof(k->index));
	for (i = 0; i < k->n; i++) {
		for (j = (uint32_t)(k->e[i].hash % (KN_TOPK * 2));
		     k->index[j] != 0; j = (j + 1) % (KN_TOPK * 2))
			;
		k->index[j] = (uint16_t)(i + 1);
	}
}

static void
topk_add(struct kn_topk *k, const char *s, size_t n, uint64_t first)
{
	uint64_t h;
	uint32_t j, i, min;
	struct kn_topk_entry *x;

	if (n >= KN_TOPK_KEY)
		n = KN_TOPK_KEY - 1;
	h = hash_str(s, n);
	for (j = (uint32_t)(h % (KN_TOPK * 2)); k->index[j] != 0;
	     j = (j + 1) % (KN_TOPK * 2)) {
		x = &k->e[k->index[j] - 1];
		if (x->hash == h && x->len == n && memcmp(x->key, s, n) == 0) {
			x->count++;
			return;
		}
	}
	if (k->n < KN_TOPK) {
		x = &k->e[k->n++];
		x->count = 1;
		x->first = first;
		k->index[j] = (uint16_t)k->n;
	} else {
		/* Replace the least counted; it inherits that count. */
		min = 0;
		for (i = 1; i < KN_TOPK; i++)
			if (k->e[i].count < k->e[min].count)
				min = i;
		x = &k->e[min];
		x->count++;
		x->first = first;
		x->hash = h;
		x->len = (uint16_t)n;
		memcpy(x->key, s, n);
		x->key[n] = '\0';
		topk_reindex(k);
		return;
	}
	x->hash = h;
	x->len = (uint16_t)n;
	memcpy(x->key, s, n);
	x->key[n] = '\0';
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct kn_topk_entry *x = *(const struct kn_topk_entry *const *)a;
	const struct kn_topk_entry *y = *(const struct kn_topk_entry *const *)b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->key, y->key);
}

size_t
kn_topk_sorted(const struct kn_topk *k, const struct kn_topk_entry **out,
	       size_t max)
{
	const struct kn_topk_entry *all[KN_TOPK];
	size_t i;

	for (i = 0; i < k->n; i++)
		all[i] = &k->e[i];
	qsort(all, k->n, sizeof(all[0]), cmp_entry);
	if (max > k->n)
		max = k->n;
	memcpy(out, all, max * sizeof(all[0]));
	return max;
}

static unsigned
lat_bucket(uint64_t v)
{
	unsigned e;

	if (v < 16)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);
	if (e > 41)
		return KN_LAT_BUCKETS - 1;
	return 16 + (e - 4) * 8 + (unsigned)((v >> (e - 3)) & 7);
}

static double
bucket_mid(unsigned b)
{
	unsigned e, sub;
	double lo, w;

	if (b < 16)
		return b;
	e = (b - 16) / 8 + 4;
	sub = (b - 16) % 8;
	w = (double)(1ULL << (e - 3));
	lo = (double)(1ULL << e) + sub * w;
	return lo + w / 2;
}

double
kn_lat_percentile(const struct kn_lat_hist *h, double q)
{
	uint64_t want, sum = 0;
	unsigned i;

	if (h->n == 0)
		return -1;
	want = (uint64_t)(q * (double)h->n + 0.5);
	if (want < 1)
		want = 1;
	for (i = 0; i < KN_LAT_BUCKETS; i++) {
		sum += h->b[i];
		if (sum >= want)
			return bucket_mid(i);
	}
	return bucket_mid(KN_LAT_BUCKETS - 1);
}

static void
lat_add(struct kn_lat_hist *h, int64_t us)
{
	if (us < 0)
		return;
	h->n++;
	h->b[lat_bucket((uint64_t)us)]++;
}

static void
map_num(struct kn_smallmap *m, int32_t num, uint64_t first)
{
	uint32_t i;

	for (i = 0; i < m->n; i++)
		if (m->e[i].num == num) {
			m->e[i].count++;
			return;
		}
	if (m->n == KN_SMALLMAP) {
		m->other++;
		return;
	}
	m->e[m->n].num = num;
	m->e[m->n].str[0] = '\0';
	m->e[m->n].first = first;
	m->e[m->n++].count = 1;
}

static void
map_str(struct kn_smallmap *m, const char *s, uint64_t first)
{
	uint32_t i;
	size_t n = strnlen(s, 15);

	for (i = 0; i < m->n; i++)
		if (strncmp(m->e[i].str, s, 15) == 0) {
			m->e[i].count++;
			return;
		}
	if (m->n == KN_SMALLMAP) {
		m->other++;
		return;
	}
	memcpy(m->e[m->n].str, s, n);
	m->e[m->n].str[n] = '\0';
	m->e[m->n].num = 0;
	m->e[m->n].first = first;
	m->e[m->n++].count = 1;
}

static struct kn_ep_agg *
ep_get(struct kn_traffic_stats *st, const struct kn_ipaddr *ip, uint64_t first)
{
	uint64_t h = kn_ipaddr_hash(ip);
	uint32_t i, cap = KN_EP_MAX * 2;

	for (i = (uint32_t)(h % cap); st->eps[i].used; i = (i + 1) % cap)
		if (kn_ipaddr_eq(&st->eps[i].ip, ip))
			return &st->eps[i];
	if (st->neps >= KN_EP_MAX) {
		st->eps_dropped++;
		return NULL;
	}
	st->ep_slot[st->neps++] = (uint16_t)i;
	st->eps[i].used = true;
	st->eps[i].ip = *ip;
	st->eps[i].first = first;
	return &st->eps[i];
}

void
kn_traffic_add(struct kn_traffic_stats *st, const struct kn_txn *t)
{
	struct kn_ep_agg *c = ep_get(st, &t->client.ip, t->order);
	struct kn_ep_agg *s = ep_get(st, &t->server.ip, t->order);
	int cls;

	switch (t->type) {
	case KN_TXN_DNS:
		st->dns.queries++;
		st->dns.retrans += t->u.dns.retrans;
		if (t->transport == 6)
			st->dns.tcp++;
		else
			st->dns.udp++;
		map_num(&st->dns.qtypes, t->u.dns.qtype, t->order);
		topk_add(&st->dns.names, t->u.dns.qname, t->u.dns.qname_len,
			 t->order);
		if (c)
			c->dns_client++;
		if (s)
			s->dns_server++;
		if (t->u.dns.error != KN_ICMP_NONE) {
			st->dns.unreachable++;
			break;
		}
		if (t->u.dns.rcode < 0) {
			st->dns.unanswered++;
			if (c)
				c->dns_unanswered++;
			break;
		}
		st->dns.answered++;
		map_num(&st->dns.rcodes, t->u.dns.rcode, t->order);
		lat_add(&st->dns.lat, t->latency_us);
		if (t->u.dns.rcode == KN_DNS_NXDOMAIN) {
			if (t->u.dns.search_expansion) {
				st->dns.nx_search++;
			} else {
				st->dns.nx_real++;
				if (c)
					c->dns_nxdomain++;
			}
		}
		break;
	case KN_TXN_HTTP:
		if (t->u.http.unmatched) {
			st->http.unmatched++;
			if (c)
				c->bytes_in += t->u.http.resp_bytes;
			if (s)
				s->bytes_out += t->u.http.resp_bytes;
			break;
		}
		st->http.requests++;
		st->http.req_bytes += t->u.http.req_bytes;
		st->http.resp_bytes += t->u.http.resp_bytes;
		map_str(&st->http.methods, t->u.http.method, t->order);
		topk_add(&st->http.hosts, t->u.http.host,
			 strlen(t->u.http.host), t->order);
		topk_add(&st->http.paths, t->u.http.path,
			 strlen(t->u.http.path), t->order);
		if (c) {
			c->http_client++;
			c->bytes_out += t->u.http.req_bytes;
			c->bytes_in += t->u.http.resp_bytes;
		}
		if (s) {
			s->http_server++;
			s->bytes_in += t->u.http.req_bytes;
			s->bytes_out += t->u.http.resp_bytes;
		}
		if (t->u.http.status < 0) {
			st->http.unanswered++;
			st->http.classes[0]++;
			if (c)
				c->http_unanswered++;
			break;
		}
		st->http.answered++;
		cls = t->u.http.status / 100;
		st->http.classes[cls >= 1 && cls <= 5 ? cls : 0]++;
		map_num(&st->http.codes, t->u.http.status, t->order);
		lat_add(&st->http.lat, t->latency_us);
		if (t->u.http.status >= 500 && s)
			s->http_errors++;
		break;
	case KN_TXN_TLS:
		st->tls.hellos++;
		topk_add(&st->tls.sni, t->u.tls.sni, strlen(t->u.tls.sni),
			 t->order);
		if (t->u.tls.alpn[0])
			map_str(&st->tls.alpn, t->u.tls.alpn, t->order);
		if (c)
			c->tls_client++;
		if (s)
			s->tls_server++;
		break;
	}
}

unsigned
kn_lat_bucket(uint64_t us)
{
	return lat_bucket(us);
}

/* ---- merging the statistics of shards ---- */

static int
cmp_first_topk(const void *a, const void *b)
{
	const struct kn_topk_entry *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static int
cmp_count_topk(const void *a, const void *b)
{
	const struct kn_topk_entry *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return cmp_first_topk(a, b);
}

/* Every name of the shards' tables once (counts added), the KN_TOPK most
 * counted of them entered in the order they first appeared. */
static bool
topk_merge(struct kn_topk *dst, const struct kn_topk *const *src, size_t n)
{
	struct kn_topk_entry *all;
	size_t total = 0, m = 0, i, j, k;

	for (i = 0; i < n; i++)
		total += src[i]->n;
	all = malloc((total + 1) * sizeof(*all));
	if (all == NULL)
		return false;
	for (i = 0; i < n; i++)
		for (j = 0; j < src[i]->n; j++) {
			const struct kn_topk_entry *e = &src[i]->e[j];

			for (k = 0; k < m; k++)
				if (all[k].hash == e->hash &&
				    all[k].len == e->len &&
				    memcmp(all[k].key, e->key, e->len) == 0)
					break;
			if (k == m) {
				all[m++] = *e;
				continue;
			}
			all[k].count += e->count;
			if (e->first < all[k].first)
				all[k].first = e->first;
		}
	if (m > KN_TOPK) {
		qsort(all, m, sizeof(*all), cmp_count_topk);
		m = KN_TOPK;
	}
	qsort(all, m, sizeof(*all), cmp_first_topk);
	memcpy(dst->e, all, m * sizeof(*all));
	dst->n = (uint32_t)m;
	topk_reindex(dst);
	free(all);
	return true;
}

/* Keys in the order they first appeared; what one map cannot hold is
 * "other", as it would have been for a map fed everything. */
static void
map_merge(struct kn_smallmap *dst, const struct kn_smallmap *const *src,
	  size_t n)
{
	uint32_t j, k, m = 0, lo;
	size_t i;

	for (i = 0; i < n; i++) {
		dst->other += src[i]->other;
		for (j = 0; j < src[i]->n; j++) {
			for (k = 0; k < m; k++)
				if (dst->e[k].num == src[i]->e[j].num &&
				    strcmp(dst->e[k].str, src[i]->e[j].str) ==
					    0)
					break;
			if (k < m) {
				dst->e[k].count += src[i]->e[j].count;
				if (src[i]->e[j].first < dst->e[k].first)
					dst->e[k].first = src[i]->e[j].first;
				continue;
			}
			if (m < KN_SMALLMAP) {
				dst->e[m++] = src[i]->e[j];
				continue;
			}
			/* Full: the later of the two keys is "other". */
			for (lo = 0, k = 1; k < m; k++)
				if (dst->e[k].first > dst->e[lo].first)
					lo = k;
			if (src[i]->e[j].first < dst->e[lo].first) {
				dst->other += dst->e[lo].count;
				dst->e[lo] = src[i]->e[j];
			} else {
				dst->other += src[i]->e[j].count;
			}
		}
	}
	/* Insertion sort by first appearance (32 entries at most). */
	for (j = 1; j < m; j++)
		for (k = j; k > 0 && dst->e[k].first < dst->e[k - 1].first;
		     k--) {
			struct kn_smallmap_entry t = dst->e[k];

			dst->e[k] = dst->e[k - 1];
			dst->e[k - 1] = t;
		}
	dst->n = m;
}

void
kn_lat_merge(struct kn_lat_hist *dst, const struct kn_lat_hist *src)
{
	unsigned i;

	dst->n += src->n;
	for (i = 0; i < KN_LAT_BUCKETS; i++)
		dst->b[i] += src->b[i];
}

void
kn_ep_agg_add(struct kn_ep_agg *d, const struct kn_ep_agg *s)
{
	d->dns_client += s->dns_client;
	d->dns_server += s->dns_server;
	d->dns_nxdomain += s->dns_nxdomain;
	d->dns_unanswered += s->dns_unanswered;
	d->http_client += s->http_client;
	d->http_server += s->http_server;
	d->http_errors += s->http_errors;
	d->http_unanswered += s->http_unanswered;
	d->tls_client += s->tls_client;
	d->tls_server += s->tls_server;
	d->bytes_out += s->bytes_out;
	d->bytes_in += s->bytes_in;
}

static int
cmp_first_ep(const void *a, const void *b)
{
	const struct kn_ep_agg *x = *(const struct kn_ep_agg *const *)a;
	const struct kn_ep_agg *y = *(const struct kn_ep_agg *const *)b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* Endpoints entered in the order they first appeared, so each lands
 * where one table fed everything would have put it (the report lists a
 * name's first address in table order). */
static bool
eps_merge(struct kn_traffic_stats *dst,
	  const struct kn_traffic_stats *const *src, size_t n)
{
	const struct kn_ep_agg **all;
	struct kn_ep_agg *e;
	size_t total = 0, m = 0, i, j;

	for (i = 0; i < n; i++) {
		total += src[i]->neps;
		dst->eps_dropped += src[i]->eps_dropped;
	}
	all = malloc((total + 1) * sizeof(*all));
	if (all == NULL)
		return false;
	for (i = 0; i < n; i++)
		for (j = 0; j < src[i]->neps; j++)
			all[m++] = &src[i]->eps[src[i]->ep_slot[j]];
	qsort(all, m, sizeof(*all), cmp_first_ep);
	for (i = 0; i < m; i++) {
		e = ep_get(dst, &all[i]->ip, all[i]->first);
		if (e == NULL) {
			dst->eps_dropped--; /* ep_get counted one */
			dst->eps_dropped +=
				all[i]->dns_client + all[i]->dns_server +
				all[i]->http_client + all[i]->http_server +
				all[i]->tls_client + all[i]->tls_server;
			continue;
		}
		kn_ep_agg_add(e, all[i]);
	}
	free(all);
	return true;
}

#define KN_MERGE_N 64 /* shards merged at once */

bool
kn_traffic_merge(struct kn_traffic_stats *dst,
		 const struct kn_traffic_stats *const *src, size_t n)
{
	const struct kn_smallmap *maps[KN_MERGE_N] = {NULL};
	const struct kn_topk *tk[KN_MERGE_N] = {NULL};
	bool ok = true;
	size_t i, j;

	if (n > KN_MERGE_N)
		n = KN_MERGE_N;
	for (i = 0; i < n; i++) {
		const struct kn_traffic_stats *s = src[i];

		dst->dns.queries += s->dns.queries;
		dst->dns.answered += s->dns.answered;
		dst->dns.unanswered += s->dns.unanswered;
		dst->dns.unreachable += s->dns.unreachable;
		dst->dns.retrans += s->dns.retrans;
		dst->dns.nx_real += s->dns.nx_real;
		dst->dns.nx_search += s->dns.nx_search;
		dst->dns.udp += s->dns.udp;
		dst->dns.tcp += s->dns.tcp;
		kn_lat_merge(&dst->dns.lat, &s->dns.lat);
		dst->http.requests += s->http.requests;
		dst->http.answered += s->http.answered;
		dst->http.unanswered += s->http.unanswered;
		dst->http.req_bytes += s->http.req_bytes;
		dst->http.resp_bytes += s->http.resp_bytes;
		for (j = 0; j < 6; j++)
			dst->http.classes[j] += s->http.classes[j];
		dst->http.unmatched += s->http.unmatched;
		kn_lat_merge(&dst->http.lat, &s->http.lat);
		dst->tls.hellos += s->tls.hellos;
	}
#define MERGE_MAP(f)                                                           \
	do {                                                                   \
		for (i = 0; i < n; i++)                                        \
			maps[i] = &src[i]->f;                                  \
		map_merge(&dst->f, maps, n);                                   \
	} while (0)
#define MERGE_TOPK(f)                                                          \
	do {                                                                   \
		for (i = 0; i < n; i++)                                        \
			tk[i] = &src[i]->f;                                    \
		ok = topk_merge(&dst->f, tk, n) && ok;                         \
	} while (0)
	MERGE_MAP(dns.rcodes);
	MERGE_MAP(dns.qtypes);
	MERGE_MAP(http.methods);
	MERGE_MAP(http.codes);
	MERGE_MAP(tls.alpn);
	MERGE_TOPK(dns.names);
	MERGE_TOPK(http.hosts);
	MERGE_TOPK(http.paths);
	MERGE_TOPK(tls.sni);
#undef MERGE_MAP
#undef MERGE_TOPK
	return eps_merge(dst, src, n) && ok;
}
