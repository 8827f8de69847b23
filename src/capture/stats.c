/* Traffic statistics over finished transactions: fixed-size maps, a
 * space-saving top-K (Metwally et al. 2005) and log-linear latency
 * histograms, so memory is flat whatever the capture length. */
#include <stdlib.h>
#include <string.h>

#include "k8snet/traffic.h"

/* Eight octets at a time; the value only indexes the top-K table. */
static uint64_t
hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ n, w;
	size_t i = 0, k;

	while (i < n) {
		w = 0;
		k = n - i < 8 ? n - i : 8;
		memcpy(&w, s + i, k);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
		i += k;
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
topk_add(struct kn_topk *k, const char *s, size_t n)
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
		k->index[j] = (uint16_t)k->n;
	} else {
		/* Replace the least counted; it inherits that count. */
		min = 0;
		for (i = 1; i < KN_TOPK; i++)
			if (k->e[i].count < k->e[min].count)
				min = i;
		x = &k->e[min];
		x->count++;
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
map_num(struct kn_smallmap *m, int32_t num)
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
	m->e[m->n++].count = 1;
}

static void
map_str(struct kn_smallmap *m, const char *s)
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
	m->e[m->n++].count = 1;
}

static struct kn_ep_agg *
ep_get(struct kn_traffic_stats *st, const struct kn_ipaddr *ip)
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
	st->neps++;
	st->eps[i].used = true;
	st->eps[i].ip = *ip;
	return &st->eps[i];
}

void
kn_traffic_add(struct kn_traffic_stats *st, const struct kn_txn *t)
{
	struct kn_ep_agg *c = ep_get(st, &t->client.ip);
	struct kn_ep_agg *s = ep_get(st, &t->server.ip);
	int cls;

	switch (t->type) {
	case KN_TXN_DNS:
		st->dns.queries++;
		st->dns.retrans += t->u.dns.retrans;
		if (t->transport == 6)
			st->dns.tcp++;
		else
			st->dns.udp++;
		map_num(&st->dns.qtypes, t->u.dns.qtype);
		topk_add(&st->dns.names, t->u.dns.qname, t->u.dns.qname_len);
		if (c)
			c->dns_client++;
		if (s)
			s->dns_server++;
		if (t->u.dns.rcode < 0) {
			st->dns.unanswered++;
			if (c)
				c->dns_unanswered++;
			break;
		}
		st->dns.answered++;
		map_num(&st->dns.rcodes, t->u.dns.rcode);
		lat_add(&st->dns.lat, t->latency_us);
		if (t->u.dns.rcode == 3) {
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
		map_str(&st->http.methods, t->u.http.method);
		topk_add(&st->http.hosts, t->u.http.host,
			 strlen(t->u.http.host));
		topk_add(&st->http.paths, t->u.http.path,
			 strlen(t->u.http.path));
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
		map_num(&st->http.codes, t->u.http.status);
		lat_add(&st->http.lat, t->latency_us);
		if (t->u.http.status >= 500 && s)
			s->http_errors++;
		break;
	case KN_TXN_TLS:
		st->tls.hellos++;
		topk_add(&st->tls.sni, t->u.tls.sni, strlen(t->u.tls.sni));
		if (t->u.tls.alpn[0])
			map_str(&st->tls.alpn, t->u.tls.alpn);
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
