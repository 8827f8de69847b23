/* The node agent's lines: failing, slow (or, asked for, all)
 * transactions in full within a rate, summaries keyed by client,
 * server, protocol and name every interval with latency histograms whose
 * fixed buckets (kn_lat_bucket) add up exactly across nodes, and the
 * node's facts when they change. docs/internals/agent.md has the
 * format. Every line is written whole or not at all, and is shorter than
 * KN_AGENT_LINE_MAX: the variable parts (names, paths, answers,
 * listeners) are cut to fit and the cut is marked. */
#include <stdlib.h>
#include <string.h>

#include "k8snet/agent.h"
#include "k8snet/buf.h"
#include "k8snet/cniconf.h"
#include "k8snet/dns.h"
#include "k8snet/escape.h"
#include "k8snet/intern.h"
#include "k8snet/kubelet.h"
#include "k8snet/listeners.h"
#include "k8snet/version.h"

/* One summary key of the interval and what it counted. */
struct agg {
	uint64_t hash;
	uint8_t type;
	bool used;
	uint16_t port, nlen;
	struct kn_ipaddr client, server;
	char name[KN_AGENT_NAME];
	uint64_t n, none, search;
	uint64_t req_bytes, resp_bytes;
	struct kn_agentline_code codes[KN_AGENT_CODES];
	uint32_t ncodes;
	uint64_t codes_other;
	struct kn_lat_hist lat;
};

struct kn_agent_writer {
	struct kn_agent_config cfg;
	char node[256];
	uint64_t seq;
	struct kn_buf line;
	/* the interval's keys: entries in order of arrival, and an open
	 * addressing index of twice as many slots (entry + 1, 0 empty) */
	struct agg *keys;
	uint32_t nkeys;
	uint32_t *index;
	struct agg other[3]; /* per protocol: keys past the table or top */
	uint64_t folded[3];  /* keys folded into other[] */
	uint64_t t0_us;
	uint64_t txn[3];
	/* the rate: tokens refilled each second, and what it left out */
	double tokens;
	uint64_t tokens_us;
	uint64_t left_out;
	uint64_t facts_hash;
	bool facts_written;
	struct kn_agent_writer_stats st;
};

#define INDEX_SLOTS (KN_AGENT_KEYS * 2)

struct kn_agent_writer *
kn_agent_writer_new(const struct kn_agent_config *cfg)
{
	struct kn_agent_writer *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->cfg = *cfg;
	snprintf(w->node, sizeof(w->node), "%s",
		 cfg->node != NULL ? cfg->node : "");
	w->cfg.node = w->node;
	if (w->cfg.rate == 0)
		w->cfg.rate = 200;
	if (w->cfg.topk == 0 || w->cfg.topk > KN_AGENT_KEYS)
		w->cfg.topk = KN_AGENT_KEYS;
	w->keys = calloc(KN_AGENT_KEYS, sizeof(*w->keys));
	w->index = calloc(INDEX_SLOTS, sizeof(*w->index));
	if (w->keys == NULL || w->index == NULL) {
		kn_agent_writer_free(w);
		return NULL;
	}
	kn_buf_init(&w->line, KN_AGENT_LINE_MAX);
	w->tokens = w->cfg.rate;
	return w;
}

void
kn_agent_writer_free(struct kn_agent_writer *w)
{
	if (w == NULL)
		return;
	kn_buf_release(&w->line);
	free(w->keys);
	free(w->index);
	free(w);
}

const struct kn_agent_writer_stats *
kn_agent_writer_stats(const struct kn_agent_writer *w)
{
	return &w->st;
}

/* ---- line assembly ---- */

static void
begin(struct kn_agent_writer *w, const char *kind)
{
	kn_buf_clear(&w->line);
	kn_buf_printf(&w->line, "{\"k\":\"%s\",\"i\":\"%016llx\",\"seq\":%llu",
		      kind, (unsigned long long)w->cfg.instance,
		      (unsigned long long)(w->seq + 1));
}

/* The line is written when it ends within the bound (the buffer's cap
 * refuses what would pass it); false when it did not fit. */
static bool
finish(struct kn_agent_writer *w)
{
	if (kn_buf_puts(&w->line, "}\n") != KN_OK ||
	    w->line.len >= KN_AGENT_LINE_MAX) {
		w->st.cut++;
		return false;
	}
	w->seq++;
	w->st.lines++;
	w->st.bytes += w->line.len;
	w->cfg.emit(w->cfg.arg, w->line.data, w->line.len);
	return true;
}

static void
put_str(struct kn_buf *b, const char *key, const char *s, size_t n)
{
	kn_buf_printf(b, ",\"%s\":", key);
	kn_json_quote(b, s, n);
}

/* A char array field (NUL-terminated or full) under key. */
#define PUT_ARR(b, key, arr) put_str(b, key, arr, strnlen(arr, sizeof(arr)))

static void
put_ip(struct kn_buf *b, const char *key, const struct kn_ipaddr *ip)
{
	char t[KN_IPSTR];

	kn_buf_printf(b, ",\"%s\":\"%s\"", key,
		      kn_ipaddr_format(ip, t, sizeof(t)));
}

static void
put_ts(struct kn_buf *b, const char *key, uint64_t us)
{
	kn_buf_printf(b, ",\"%s\":%llu.%06llu", key,
		      (unsigned long long)(us / 1000000),
		      (unsigned long long)(us % 1000000));
}

static void
put_peer(struct kn_buf *b, const char *key, const struct kn_txn_peer *p)
{
	char t[KN_IPSTR];

	kn_buf_printf(b, ",\"%s\":{\"ip\":\"%s\",\"port\":%u}", key,
		      kn_ipaddr_format(&p->ip, t, sizeof(t)), p->port);
}

static void
put_drops(struct kn_buf *b, const struct kn_agent_drops *d)
{
	if (d == NULL)
		return;
	kn_buf_printf(
		b,
		",\"capture\":{\"live\":%s,\"received\":%llu,"
		"\"kernel_drops\":%llu,\"interface_drops\":%llu,"
		"\"evicted\":%llu}",
		d->live ? "true" : "false", (unsigned long long)d->received,
		(unsigned long long)d->kernel, (unsigned long long)d->interface,
		(unsigned long long)d->evicted);
}

static const char *const type_names[3] = {"dns", "http", "tls"};

void
kn_agent_code_name(uint8_t type, int32_t code, char *out, size_t n)
{
	const char *s = NULL;

	if (code < 0)
		s = "none";
	else if (type == KN_TXN_DNS)
		s = kn_dns_rcode_name((uint16_t)code);
	if (s != NULL)
		snprintf(out, n, "%s", s);
	else
		snprintf(out, n, "%d", code);
}

/* ---- transactions in full ---- */

/* Why t is written in full, or NULL when it is not. */
static const char *
why_of(const struct kn_agent_writer *w, const struct kn_txn *t)
{
	if (t->type == KN_TXN_DNS) {
		if (t->u.dns.rcode < 0)
			return "noanswer";
		if (t->u.dns.rcode == KN_DNS_NXDOMAIN &&
		    !t->u.dns.search_expansion)
			return "nxdomain";
		if (t->u.dns.rcode == KN_DNS_SERVFAIL)
			return "servfail";
		if (t->u.dns.rcode == KN_DNS_REFUSED)
			return "refused";
		if (t->u.dns.rcode != KN_DNS_NOERROR &&
		    t->u.dns.rcode != KN_DNS_NXDOMAIN)
			return "rcode";
	} else if (t->type == KN_TXN_HTTP) {
		if (t->u.http.status < 0)
			return "noresponse";
		if (t->u.http.status >= 500)
			return "5xx";
	}
	if (w->cfg.slow_us >= 0 && t->latency_us > w->cfg.slow_us)
		return "slow";
	return w->cfg.detail_all ? "all" : NULL;
}

void
kn_agent_safe_path(const char *target, bool keep_query, char *out, size_t n)
{
	const char *p = target, *at, *slash, *end;
	size_t len;

	if (n == 0)
		return;
	/* absolute-form (a proxy's request): scheme://userinfo@host/... */
	if ((slash = strstr(p, "://")) != NULL && slash - p < 16) {
		const char *auth = slash + 3;

		end = auth + strcspn(auth, "/?#");
		at = memchr(auth, '@', (size_t)(end - auth));
		if (at != NULL) {
			len = (size_t)(auth - p);
			if (len >= n)
				len = n - 1;
			memcpy(out, p, len);
			out[len] = '\0';
			kn_agent_safe_path(at + 1, keep_query, out + len,
					   n - len);
			return;
		}
	}
	len = strcspn(p, keep_query ? "#" : "?#");
	if (len >= n)
		len = n - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

/* The answers (NUL-separated texts) as a JSON array, cut to fit. */
static void
put_answers(struct kn_buf *b, const struct kn_txn *t, size_t room)
{
	const char *a = t->u.dns.answers;
	size_t i, l, start = b->len;
	bool cut = t->u.dns.answers_cut;

	kn_buf_puts(b, ",\"answers\":[");
	for (i = 0; a != NULL && i < t->u.dns.nanswers; i++) {
		l = strlen(a);
		if (b->len - start + l * 6 + 8 > room) {
			cut = true;
			break;
		}
		if (i)
			kn_buf_puts(b, ",");
		kn_json_quote(b, a, l);
		a += l + 1;
	}
	kn_buf_puts(b, "]");
	if (cut)
		kn_buf_puts(b, ",\"answers_cut\":true");
}

static void
write_txn(struct kn_agent_writer *w, const struct kn_txn *t, const char *why)
{
	struct kn_buf *b = &w->line;
	char path[KN_TXN_PATH], code[16];
	const char *s;

	begin(w, "txn");
	kn_buf_printf(b, ",\"why\":\"%s\",\"type\":\"%s\"", why,
		      t->type < 3 ? type_names[t->type] : "?");
	put_ts(b, "ts", t->ts_us);
	put_peer(b, "client", &t->client);
	put_peer(b, "server", &t->server);
	kn_buf_printf(b, ",\"transport\":\"%s\"",
		      t->transport == 6 ? "tcp" : "udp");
	switch (t->type) {
	case KN_TXN_DNS:
		kn_buf_printf(b, ",\"id\":%u", t->u.dns.id);
		PUT_ARR(b, "qname", t->u.dns.qname);
		s = kn_dns_type_name(t->u.dns.qtype);
		if (s != NULL)
			kn_buf_printf(b, ",\"qtype\":\"%s\"", s);
		else
			kn_buf_printf(b, ",\"qtype\":%u", t->u.dns.qtype);
		if (t->u.dns.rcode < 0)
			kn_buf_puts(b, ",\"rcode\":null");
		else {
			kn_agent_code_name(KN_TXN_DNS, t->u.dns.rcode, code,
					   sizeof(code));
			kn_buf_printf(b, ",\"rcode\":\"%s\"", code);
		}
		if (t->u.dns.search_expansion)
			kn_buf_puts(b, ",\"search_expansion\":true");
		/* what is left of the line, less the tail's room */
		put_answers(b, t, KN_AGENT_LINE_MAX - 256 - b->len);
		break;
	case KN_TXN_HTTP:
		PUT_ARR(b, "method", t->u.http.method);
		PUT_ARR(b, "host", t->u.http.host);
		kn_agent_safe_path(t->u.http.path != NULL ? t->u.http.path : "",
				   w->cfg.keep_query, path, sizeof(path));
		/* a path of escapes could pass the line: cut it first */
		put_str(b, "path", path, strnlen(path, 2048));
		if (t->u.http.status < 0)
			kn_buf_puts(b, ",\"status\":null");
		else
			kn_buf_printf(b, ",\"status\":%d", t->u.http.status);
		kn_buf_printf(b, ",\"req_bytes\":%llu,\"resp_bytes\":%llu",
			      (unsigned long long)t->u.http.req_bytes,
			      (unsigned long long)t->u.http.resp_bytes);
		if (t->u.http.unmatched)
			kn_buf_puts(b, ",\"unmatched\":true");
		if (t->u.http.gap)
			kn_buf_puts(b, ",\"gap\":true");
		break;
	case KN_TXN_TLS:
		PUT_ARR(b, "sni", t->u.tls.sni);
		PUT_ARR(b, "alpn", t->u.tls.alpn);
		break;
	}
	if (t->latency_us < 0)
		kn_buf_puts(b, ",\"latency_ms\":null");
	else
		kn_buf_printf(b, ",\"latency_ms\":%.3f",
			      (double)t->latency_us / 1000.0);
	if (finish(w))
		w->st.txn_lines++;
	else
		w->left_out++;
}

/* The rate: cfg.rate lines a second, a second's worth in a burst. */
static bool
take_token(struct kn_agent_writer *w, uint64_t now_us)
{
	if (now_us > w->tokens_us) {
		w->tokens +=
			(double)(now_us - w->tokens_us) / 1e6 * w->cfg.rate;
		if (w->tokens > w->cfg.rate)
			w->tokens = w->cfg.rate;
		w->tokens_us = now_us;
	}
	if (w->tokens < 1)
		return false;
	w->tokens -= 1;
	return true;
}

/* ---- the interval's keys ---- */

static void
key_name(const struct kn_txn *t, const char **s, size_t *n)
{
	switch (t->type) {
	case KN_TXN_DNS:
		*s = t->u.dns.qname;
		*n = strnlen(t->u.dns.qname, sizeof(t->u.dns.qname));
		break;
	case KN_TXN_HTTP:
		*s = t->u.http.host;
		*n = strnlen(t->u.http.host, sizeof(t->u.http.host));
		break;
	default:
		*s = t->u.tls.sni;
		*n = strnlen(t->u.tls.sni, sizeof(t->u.tls.sni));
		break;
	}
	if (*n >= KN_AGENT_NAME)
		*n = KN_AGENT_NAME - 1;
}

static uint64_t
key_hash(const struct kn_txn *t, const char *name, size_t n)
{
	uint64_t h = kn_hash_bytes(name, n);

	h ^= kn_hash_bytes(&t->client.ip, sizeof(t->client.ip)) * 31;
	h ^= kn_hash_bytes(&t->server.ip, sizeof(t->server.ip)) * 131;
	h ^= ((uint64_t)t->server.port << 8 | t->type) * 0x9e3779b97f4a7c15ull;
	return h;
}

static bool
key_is(const struct agg *a, const struct kn_txn *t, const char *name, size_t n)
{
	return a->type == t->type && a->port == t->server.port &&
	       a->nlen == n && memcmp(a->name, name, n) == 0 &&
	       kn_ipaddr_eq(&a->client, &t->client.ip) &&
	       kn_ipaddr_eq(&a->server, &t->server.ip);
}

/* The key of t, made when the table has room; NULL when it has none. */
static struct agg *
key_of(struct kn_agent_writer *w, const struct kn_txn *t)
{
	const char *name;
	size_t n;
	uint64_t h;
	uint32_t i;
	struct agg *a;

	key_name(t, &name, &n);
	h = key_hash(t, name, n);
	for (i = (uint32_t)(h % INDEX_SLOTS); w->index[i] != 0;
	     i = (i + 1) % INDEX_SLOTS) {
		a = &w->keys[w->index[i] - 1];
		if (a->hash == h && key_is(a, t, name, n))
			return a;
	}
	if (w->nkeys >= KN_AGENT_KEYS)
		return NULL;
	a = &w->keys[w->nkeys++];
	memset(a, 0, sizeof(*a));
	a->used = true;
	a->hash = h;
	a->type = t->type;
	a->client = t->client.ip;
	a->server = t->server.ip;
	a->port = t->server.port;
	a->nlen = (uint16_t)n;
	memcpy(a->name, name, n);
	w->index[i] = w->nkeys;
	return a;
}

void
kn_agent_codes_add(struct kn_agentline_code *codes, uint32_t *n,
		   uint64_t *other, int32_t code, uint64_t count)
{
	uint32_t i;

	for (i = 0; i < *n; i++)
		if (codes[i].code == code) {
			codes[i].count += count;
			return;
		}
	if (*n < KN_AGENT_CODES) {
		codes[*n].code = code;
		codes[(*n)++].count = count;
	} else {
		*other += count;
	}
}

void
kn_agent_codes_json(struct kn_buf *b, uint8_t type,
		    const struct kn_agentline_code *codes, uint32_t n,
		    uint64_t other)
{
	char code[16];
	uint32_t i;

	kn_buf_puts(b, "{");
	for (i = 0; i < n; i++) {
		kn_agent_code_name(type, codes[i].code, code, sizeof(code));
		kn_buf_printf(b, "%s\"%s\":%llu", i ? "," : "", code,
			      (unsigned long long)codes[i].count);
	}
	if (other)
		kn_buf_printf(b, "%s\"other\":%llu", i ? "," : "",
			      (unsigned long long)other);
	kn_buf_puts(b, "}");
}

static void
count_code(struct agg *a, int32_t code, uint64_t by)
{
	kn_agent_codes_add(a->codes, &a->ncodes, &a->codes_other, code, by);
}

static void
agg_add(struct agg *a, const struct kn_txn *t)
{
	int32_t code = -1;

	a->n++;
	if (t->type == KN_TXN_DNS) {
		code = t->u.dns.rcode;
		if (t->u.dns.search_expansion)
			a->search++;
	} else if (t->type == KN_TXN_HTTP) {
		code = t->u.http.status;
		a->req_bytes += t->u.http.req_bytes;
		a->resp_bytes += t->u.http.resp_bytes;
	}
	if (t->type != KN_TXN_TLS)
		count_code(a, code, 1);
	if (t->latency_us >= 0) {
		a->lat.n++;
		a->lat.b[kn_lat_bucket((uint64_t)t->latency_us)]++;
	} else if (t->type != KN_TXN_TLS) {
		a->none++;
	}
}

/* Everything of s into d (other's sums). */
static void
agg_merge(struct agg *d, const struct agg *s)
{
	uint32_t i;

	d->n += s->n;
	d->none += s->none;
	d->search += s->search;
	d->req_bytes += s->req_bytes;
	d->resp_bytes += s->resp_bytes;
	for (i = 0; i < s->ncodes; i++)
		count_code(d, s->codes[i].code, s->codes[i].count);
	d->codes_other += s->codes_other;
	kn_lat_merge(&d->lat, &s->lat);
}

void
kn_agent_writer_txn(struct kn_agent_writer *w, const struct kn_txn *t,
		    uint64_t now_us)
{
	struct agg *a;
	const char *why;

	if (t->type > KN_TXN_TLS)
		return;
	if (w->t0_us == 0)
		w->t0_us = now_us;
	w->txn[t->type]++;
	a = key_of(w, t);
	if (a == NULL) {
		a = &w->other[t->type];
		if (!a->used) {
			a->used = true;
			a->type = t->type;
		}
		w->folded[t->type]++;
	}
	agg_add(a, t);
	why = why_of(w, t);
	if (why == NULL)
		return;
	if (!take_token(w, now_us)) {
		w->left_out++;
		return;
	}
	write_txn(w, t, why);
}

/* ---- summaries ---- */

static void
put_agg_body(struct kn_agent_writer *w, const struct agg *a)
{
	struct kn_buf *b = &w->line;
	uint32_t i;
	bool first = true;

	kn_buf_printf(b, ",\"n\":%llu", (unsigned long long)a->n);
	if (a->type != KN_TXN_TLS) {
		kn_buf_puts(b, ",\"codes\":");
		kn_agent_codes_json(b, a->type, a->codes, a->ncodes,
				    a->codes_other);
	}
	if (a->search)
		kn_buf_printf(b, ",\"search\":%llu",
			      (unsigned long long)a->search);
	if (a->type == KN_TXN_HTTP)
		kn_buf_printf(b, ",\"bytes\":[%llu,%llu]",
			      (unsigned long long)a->req_bytes,
			      (unsigned long long)a->resp_bytes);
	/* sparse: [bucket, count] pairs of the fixed buckets */
	kn_buf_puts(b, ",\"lat\":[");
	for (i = 0; i < KN_LAT_BUCKETS; i++) {
		if (a->lat.b[i] == 0)
			continue;
		kn_buf_printf(b, "%s[%u,%llu]", first ? "" : ",", i,
			      (unsigned long long)a->lat.b[i]);
		first = false;
	}
	kn_buf_puts(b, "]");
}

static void
put_interval(struct kn_agent_writer *w, uint64_t now_us)
{
	put_ts(&w->line, "t0", w->t0_us ? w->t0_us : now_us);
	put_ts(&w->line, "t1", now_us);
}

static bool
write_agg(struct kn_agent_writer *w, const struct agg *a, uint64_t now_us)
{
	begin(w, "agg");
	put_interval(w, now_us);
	kn_buf_printf(&w->line, ",\"type\":\"%s\"", type_names[a->type]);
	put_ip(&w->line, "client", &a->client);
	put_ip(&w->line, "server", &a->server);
	kn_buf_printf(&w->line, ",\"port\":%u", a->port);
	put_str(&w->line, "name", a->name, a->nlen);
	put_agg_body(w, a);
	return finish(w);
}

static bool
write_other(struct kn_agent_writer *w, const struct agg *a, uint64_t folded,
	    uint64_t now_us)
{
	begin(w, "agg");
	put_interval(w, now_us);
	kn_buf_printf(&w->line, ",\"type\":\"%s\",\"other\":true,\"keys\":%llu",
		      type_names[a->type], (unsigned long long)folded);
	put_agg_body(w, a);
	return finish(w);
}

static int
cmp_n(const void *x, const void *y)
{
	const struct agg *const *a = x, *const *b = y;

	if ((*a)->n != (*b)->n)
		return (*a)->n < (*b)->n ? 1 : -1;
	return 0;
}

void
kn_agent_writer_summary(struct kn_agent_writer *w, uint64_t now_us,
			const struct kn_agent_drops *d)
{
	struct agg **order;
	uint32_t i, written = 0;
	int ty;

	order = malloc((w->nkeys + 1) * sizeof(*order));
	for (i = 0; order != NULL && i < w->nkeys; i++)
		order[i] = &w->keys[i];
	if (order != NULL)
		qsort(order, w->nkeys, sizeof(*order), cmp_n);
	for (i = 0; i < w->nkeys; i++) {
		struct agg *a = order != NULL ? order[i] : &w->keys[i];

		/* past the top, or a line that could not be written
		 * (no key's line is that long, but the sums stay whole) */
		if (written >= w->cfg.topk || !write_agg(w, a, now_us)) {
			if (!w->other[a->type].used) {
				w->other[a->type].used = true;
				w->other[a->type].type = a->type;
			}
			agg_merge(&w->other[a->type], a);
			w->folded[a->type]++;
			continue;
		}
		written++;
	}
	free(order);
	for (ty = 0; ty < 3; ty++) {
		if (w->other[ty].used)
			write_other(w, &w->other[ty], w->folded[ty], now_us);
		w->st.folded += w->folded[ty];
	}
	begin(w, "sum");
	put_interval(w, now_us);
	kn_buf_printf(
		&w->line,
		",\"keys\":%u,\"folded\":%llu,"
		"\"txn\":{\"dns\":%llu,\"http\":%llu,\"tls\":%llu},"
		"\"left_out\":%llu",
		written,
		(unsigned long long)(w->folded[0] + w->folded[1] +
				     w->folded[2]),
		(unsigned long long)w->txn[0], (unsigned long long)w->txn[1],
		(unsigned long long)w->txn[2], (unsigned long long)w->left_out);
	put_drops(&w->line, d);
	finish(w);
	w->st.left_out += w->left_out;
	/* the next interval */
	memset(w->index, 0, INDEX_SLOTS * sizeof(*w->index));
	w->nkeys = 0;
	memset(w->other, 0, sizeof(w->other));
	memset(w->folded, 0, sizeof(w->folded));
	memset(w->txn, 0, sizeof(w->txn));
	w->left_out = 0;
	w->t0_us = now_us;
}

/* ---- node facts ---- */

static void
put_listeners(struct kn_buf *b, const struct kn_agent_facts *f)
{
	const struct kn_listeners *ls = f->listeners;
	char t[KN_IPSTR];
	size_t i, shown = 0;

	if (ls == NULL) {
		kn_buf_puts(b, ",\"listeners\":null");
		put_str(b, "listeners_error", f->listeners_err,
			strnlen(f->listeners_err, 512));
		return;
	}
	kn_buf_puts(b, ",\"listeners\":[");
	/* the rest of the line (CNI, kubelet) needs at most a few KiB */
	for (i = 0; i < ls->n && shown < KN_AGENT_LISTENERS &&
		    b->len < KN_AGENT_LINE_MAX / 2;
	     i++) {
		const struct kn_listener *l = &ls->v[i];

		kn_buf_printf(
			b, "%s{\"proto\":\"%s\",\"ip\":\"%s\",\"port\":%u",
			shown ? "," : "", l->proto == 17 ? "udp" : "tcp",
			kn_ipaddr_format(&l->addr, t, sizeof(t)), l->port);
		if (l->comm[0] != '\0')
			put_str(b, "comm", l->comm, strnlen(l->comm, 15));
		kn_buf_puts(b, "}");
		shown++;
	}
	kn_buf_puts(b, "]");
	if (shown < ls->n)
		kn_buf_printf(b, ",\"listeners_cut\":%zu", ls->n - shown);
}

/* n strings (at most max bytes each) stride bytes apart from s, as a
 * JSON array under key. */
static void
put_str_list(struct kn_buf *b, const char *key, const char *s, size_t n,
	     size_t stride, size_t max)
{
	size_t i;

	kn_buf_printf(b, ",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		if (i)
			kn_buf_puts(b, ",");
		kn_json_quote(b, s + i * stride, strnlen(s + i * stride, max));
	}
	kn_buf_puts(b, "]");
}

static void
put_cni(struct kn_buf *b, const struct kn_agent_facts *f)
{
	const struct kn_cniconf *c = f->cni;

	if (c == NULL) {
		kn_buf_puts(b, ",\"cni\":null");
		put_str(b, "cni_error", f->cni_err, strnlen(f->cni_err, 512));
		return;
	}
	kn_buf_puts(b, ",\"cni\":{");
	kn_buf_puts(b, "\"file\":");
	kn_json_quote(b, c->file, strnlen(c->file, sizeof(c->file)));
	PUT_ARR(b, "name", c->name);
	PUT_ARR(b, "plugin", c->detected);
	put_str_list(b, "types", c->plugins[0].type, c->nplugins,
		     sizeof(c->plugins[0]), sizeof(c->plugins[0].type));
	put_str_list(b, "subnets", c->subnets[0], c->nsubnets,
		     sizeof(c->subnets[0]), sizeof(c->subnets[0]));
	kn_buf_printf(b, ",\"mtu\":%d}", c->mtu);
}

static void
put_kubelet(struct kn_buf *b, const struct kn_agent_facts *f)
{
	const struct kn_kubelet *k = f->kubelet;

	if (k == NULL) {
		kn_buf_puts(b, ",\"kubelet\":null");
		return;
	}
	kn_buf_puts(b, ",\"kubelet\":{\"clusterDomain\":");
	kn_json_quote(b, k->cluster_domain,
		      strnlen(k->cluster_domain, sizeof(k->cluster_domain)));
	put_str_list(b, "clusterDNS", k->cluster_dns[0], k->ncluster_dns,
		     sizeof(k->cluster_dns[0]), sizeof(k->cluster_dns[0]));
	kn_buf_puts(b, "}");
}

bool
kn_agent_writer_node(struct kn_agent_writer *w, const struct kn_agent_facts *f,
		     const struct kn_agent_drops *d, uint64_t now_us,
		     bool force)
{
	struct kn_buf *b = &w->line;
	size_t facts_at, cni_at;
	uint64_t h, cni_h;

	begin(w, "node");
	put_str(b, "node", w->node, strlen(w->node));
	kn_buf_printf(b, ",\"version\":\"%s\"", KN_VERSION);
	put_ts(b, "ts", now_us);
	facts_at = b->len;
	put_str(b, "interface", f->interface ? f->interface : "",
		f->interface ? strlen(f->interface) : 0);
	put_str(b, "filter", f->filter ? f->filter : "",
		f->filter ? strlen(f->filter) : 0);
	put_listeners(b, f);
	cni_at = b->len;
	put_cni(b, f);
	cni_h = kn_hash_bytes(b->data + cni_at, b->len - cni_at);
	put_kubelet(b, f);
	h = kn_hash_bytes(b->data + facts_at, b->len - facts_at);
	if (!force && w->facts_written && h == w->facts_hash)
		return false;
	/* the hash of the CNI facts: the console flags a node whose
	 * configuration differs from the others' */
	kn_buf_printf(b, ",\"cni_hash\":\"%016llx\"",
		      (unsigned long long)cni_h);
	put_drops(b, d);
	if (!finish(w))
		return false;
	w->facts_hash = h;
	w->facts_written = true;
	return true;
}
