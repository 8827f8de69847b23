/* Transaction matching: DNS (RFC 1035 7.3: by client, server, id and
 * question; retransmissions; 5 s answer timeout; search-path expansions),
 * HTTP/1.x request/response pairs in order per connection (RFC 9112 9.3
 * pipelining), TLS ClientHello. All tables are fixed-size open addressing,
 * allocated once; transactions wait in a ring until they can be emitted in
 * first-packet order. */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/dns.h"
#include "k8snet/flow.h"
#include "k8snet/http1.h"
#include "k8snet/tls.h"
#include "k8snet/txn.h"

enum { SLOT_FREE, SLOT_OPEN, SLOT_DONE, SLOT_EMITTED };

struct slot {
	uint8_t state;
	bool held;            /* NXDOMAIN waiting for search classification */
	uint64_t deadline;    /* open: answer timeout; held: release time */
	struct kn_txn t;
};

/* The flow and pending-query tables are open-addressing indexes of small
 * entries (hash, slab reference) over dense slabs handed out lowest first:
 * a probe reads 8 bytes per step, and only as many entries are ever
 * touched as were live at once, not the whole table (page faults and
 * cache misses were most of the cost of a capture). */
struct ix {
	uint32_t hash;
	uint32_t ref;         /* slab index + 1; 0: empty */
};

struct slab {
	uint32_t *free;       /* stack of free indexes, lowest on top */
	uint32_t nfree;
};

struct pend {
	uint16_t cport, sport, id;
	uint64_t qhash;
	uint64_t seq;
	struct kn_ipaddr cip, sip;
};

enum { K_UNKNOWN, K_HTTP, K_DNS, K_TLS, K_IGNORE };
enum { M_INIT, M_HEAD, M_BODY_LEN, M_CHUNKED, M_CLOSE, M_DNS, M_TLS,
       M_IGNORE };

#define NO_SEQ UINT64_MAX
#define KN_PIPE 8

struct app_half {
	uint8_t mode;
	uint32_t acc;         /* pool buffer or KN_TCP_NOBUF */
	uint32_t acclen;
	uint64_t remain;
	uint64_t msg_ts;
	uint64_t cur;         /* transaction the bytes belong to */
	struct kn_http_chunked ck;
};

struct flow {
	uint8_t kind, encap;
	bool connect;         /* CONNECT pending: tunnel after 2xx */
	uint16_t cport, sport;
	uint64_t last_ts;
	struct kn_ipaddr cip, sip, ocip, osip;
	struct kn_tcp_half tcp[2];  /* 0: client to server */
	struct app_half app[2];
	uint64_t reqq[KN_PIPE];
	uint8_t qhead, qlen;
};

#define KN_HIST 4096
#define KN_HIST_AWAIT 8

struct client_hist {
	struct kn_ipaddr ip;
	uint8_t nawait;
	uint64_t await[KN_HIST_AWAIT];
};

struct kn_txn_engine {
	struct kn_txn_config cfg;
	kn_txn_sink sink;
	void *arg;
	struct kn_txn_counters c;
	uint64_t now, next_tick, next_sweep;

	struct slot *ring;
	uint64_t rmask, head, tail, cursor;

	struct ix *pix;
	struct pend *pend;
	struct slab pslab;
	uint32_t pmask, pcount;

	struct ix *fix;
	struct flow *flows;
	struct slab fslab;
	uint32_t fmask, fcount, sweep_pos;

	struct client_hist *hist;
	void *arena;          /* ring, indexes and history in one mapping */
	size_t arena_len;
	struct kn_tcp_pool pool;
	struct kn_tcp_counters tc;
	struct kn_dns_msg msg; /* scratch (large): one message at a time */
};

struct ctx {
	struct kn_txn_engine *e;
	struct flow *f;
	int dir;
};

/* ---- hashing ---- */

static inline uint64_t
mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static inline uint64_t
ep_hash(const struct kn_ipaddr *ip, uint16_t port)
{
	uint64_t a, b;

	memcpy(&a, ip->addr, 8);
	memcpy(&b, ip->addr + 8, 8);
	return mix64(a ^ (b * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)port << 48) ^
		     ip->family);
}

static inline bool
ip_eq(const struct kn_ipaddr *a, const struct kn_ipaddr *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr, 16) == 0;
}

/* Case-insensitive hash of a question (only ever compared with another
 * from this function): eight octets at a time, ASCII letters folded to
 * lower case in the word (bytes in 'A'..'Z' get 0x20), then mixed. */
static uint64_t
qname_hash(const char *s, size_t n, uint16_t qtype)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t high = 0x8080808080808080ULL;
	uint64_t h = 1469598103934665603ULL ^ qtype ^ ((uint64_t)n << 16);
	uint64_t w, lo, ge_a, gt_z;
	size_t i = 0, k;

	while (i < n) {
		w = 0;
		k = n - i < 8 ? n - i : 8;
		memcpy(&w, s + i, k);
		lo = w & ~high;
		ge_a = lo + ones * (0x80 - 'A');
		gt_z = lo + ones * (0x80 - 'Z' - 1);
		w |= ((ge_a & ~gt_z & ~w & high) >> 2);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
		i += k;
	}
	return h;
}

static void
copy_str(char *dst, size_t cap, const void *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- indexes and slabs ---- */

static bool
slab_init(struct slab *sl, uint32_t n)
{
	uint32_t i;

	sl->free = malloc(((size_t)n + 1) * sizeof(*sl->free));
	if (sl->free == NULL)
		return false;
	for (i = 0; i < n; i++)
		sl->free[i] = n - 1 - i;
	sl->nfree = n;
	return true;
}

/* Callers keep the count below the slab size, so this never runs dry. */
static inline uint32_t
slab_get(struct slab *sl)
{
	return sl->free[--sl->nfree];
}

static inline void
slab_put(struct slab *sl, uint32_t idx)
{
	sl->free[sl->nfree++] = idx;
}

/* Backward-shift deletion of position i (Knuth 6.4 algorithm R): later
 * entries of the run move back unless their home lies in (i, j]. */
static void
ix_delete(struct ix *t, uint32_t mask, uint32_t i)
{
	uint32_t j = i, k;

	for (;;) {
		j = (j + 1) & mask;
		if (t[j].ref == 0)
			break;
		k = t[j].hash & mask;
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t[i] = t[j];
		i = j;
	}
	t[i].ref = 0;
}

/* The ring, the two indexes and the search history are used whole and
 * at random: one zeroed mapping, on huge pages where the system allows,
 * so a capture takes a handful of page faults and TLB entries for them
 * instead of thousands. */
#define KN_HUGE (2u << 20)

static size_t
arena_part(size_t *off, size_t n)
{
	size_t at = *off;

	*off += (n + 63) & ~(size_t)63;
	return at;
}

static void *
arena_map(size_t len, size_t *maplen)
{
	uint8_t *p, *a;
	size_t lead;

	*maplen = len + KN_HUGE;
	p = mmap(NULL, *maplen, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* Keep the huge-page aligned part and give back the rest. */
	a = (uint8_t *)(((uintptr_t)p + KN_HUGE - 1) &
			~(uintptr_t)(KN_HUGE - 1));
	lead = (size_t)(a - p);
	if (lead > 0)
		munmap(p, lead);
	if (KN_HUGE - lead > 0)
		munmap(a + len, KN_HUGE - lead);
	*maplen = len;
#ifdef MADV_HUGEPAGE
	madvise(a, len, MADV_HUGEPAGE);
#endif
	return a;
}

/* ---- ring and emission ---- */

static inline struct slot *
slot_at(struct kn_txn_engine *e, uint64_t seq)
{
	return &e->ring[seq & e->rmask];
}

/* The open slot for seq, or NULL when it is gone or finished. */
static struct slot *
slot_open(struct kn_txn_engine *e, uint64_t seq)
{
	struct slot *s;

	if (seq == NO_SEQ || seq < e->head || seq >= e->tail)
		return NULL;
	s = slot_at(e, seq);
	return s->state == SLOT_OPEN && s->t.seq == seq ? s : NULL;
}

static void
emit(struct kn_txn_engine *e, struct slot *s)
{
	s->state = SLOT_EMITTED;
	e->sink(e->arg, &s->t);
}

/* Finished: emitted now (live) or when it reaches the head (file). */
static void
finish(struct kn_txn_engine *e, struct slot *s)
{
	s->state = SLOT_DONE;
	if (!e->cfg.ordered && !s->held)
		emit(e, s);
}

static void
expire(struct kn_txn_engine *e, struct slot *s)
{
	if (s->t.type == KN_TXN_DNS) {
		s->t.u.dns.rcode = -1;
		e->c.dns_unanswered++;
	} else if (s->t.type == KN_TXN_HTTP && s->t.u.http.status < 0) {
		e->c.http_unanswered++;
	}
	finish(e, s);
}

static void
release_hold(struct kn_txn_engine *e, struct slot *s)
{
	s->held = false;
	if (s->state == SLOT_DONE && !e->cfg.ordered)
		emit(e, s);
}

/* What a slot owns outside the ring: an HTTP transaction's heads. */
static void
slot_release(struct slot *s)
{
	if (s->t.type == KN_TXN_HTTP) {
		free(s->t.u.http.heads);
		s->t.u.http.heads = NULL;
	}
}

/* Emit and free what the head allows; force when 'force' (ring full or
 * end of input). */
static void
advance(struct kn_txn_engine *e, bool force)
{
	struct slot *s;

	while (e->head < e->tail) {
		s = slot_at(e, e->head);
		if (s->state == SLOT_OPEN) {
			if (!force && e->now < s->deadline)
				break;
			expire(e, s);
		}
		if (s->state == SLOT_DONE && s->held) {
			if (!force && e->now < s->deadline)
				break;
			release_hold(e, s);
		}
		if (s->state == SLOT_DONE)
			emit(e, s);
		slot_release(s);
		s->state = SLOT_FREE;
		e->head++;
		if (force)
			break;
	}
	if (e->cursor < e->head)
		e->cursor = e->head;
}

static struct slot *
slot_new(struct kn_txn_engine *e, uint8_t type, uint64_t ts,
	 uint64_t timeout)
{
	struct slot *s;

	if (e->tail - e->head > e->rmask) {
		e->c.ring_forced++;
		advance(e, true);
	}
	s = slot_at(e, e->tail);
	s->state = SLOT_OPEN;
	s->held = false;
	s->deadline = ts + timeout;
	memset(&s->t, 0, offsetof(struct kn_txn, u));
	s->t.seq = e->tail++;
	s->t.ts_us = ts;
	s->t.latency_us = -1;
	s->t.type = type;
	return s;
}

/* ---- DNS ---- */

static uint32_t
pend_hash(const struct kn_ipaddr *c, uint16_t cport,
	  const struct kn_ipaddr *s, uint16_t sport, uint16_t id)
{
	return (uint32_t)mix64(ep_hash(c, cport) ^
			       (ep_hash(s, sport) * 31) ^ id);
}

static inline struct pend *
pend_at(struct kn_txn_engine *e, uint32_t i)
{
	return &e->pend[e->pix[i].ref - 1];
}

static void
pend_delete(struct kn_txn_engine *e, uint32_t i)
{
	slab_put(&e->pslab, e->pix[i].ref - 1);
	ix_delete(e->pix, e->pmask, i);
	e->pcount--;
}

static void
pend_sweep(struct kn_txn_engine *e)
{
	uint32_t i = 0;

	while (i <= e->pmask) {
		if (e->pix[i].ref != 0 &&
		    slot_open(e, pend_at(e, i)->seq) == NULL)
			pend_delete(e, i);
		else
			i++;
	}
}

/* Find the pending query; with has_q the question must match too. */
static int64_t
pend_find(struct kn_txn_engine *e, uint32_t h, const struct kn_ipaddr *c,
	  uint16_t cport, const struct kn_ipaddr *s, uint16_t sport,
	  uint16_t id, bool has_q, uint64_t qh)
{
	uint32_t i = h & e->pmask;
	struct pend *p;

	for (;; i = (i + 1) & e->pmask) {
		if (e->pix[i].ref == 0)
			return -1;
		if (e->pix[i].hash != h)
			continue;
		p = pend_at(e, i);
		if (p->id == id && p->cport == cport &&
		    p->sport == sport && (!has_q || p->qhash == qh) &&
		    ip_eq(&p->cip, c) && ip_eq(&p->sip, s))
			return i;
	}
}

static struct client_hist *
hist_get(struct kn_txn_engine *e, const struct kn_ipaddr *ip)
{
	struct client_hist *ch = &e->hist[ep_hash(ip, 0) & (KN_HIST - 1)];
	unsigned i;

	if (!ip_eq(&ch->ip, ip)) {
		for (i = 0; i < ch->nawait; i++) {
			struct slot *s = slot_at(e, ch->await[i]);

			if (ch->await[i] >= e->head && s->t.seq == ch->await[i] &&
			    s->held)
				release_hold(e, s);
		}
		ch->ip = *ip;
		ch->nawait = 0;
	}
	return ch;
}

bool
kn_txn_is_search_expansion(const char *nx, size_t nxlen, const char *next,
			   size_t nextlen)
{
	size_t k, s1len, s2len;
	const char *s1, *s2;

	for (k = 1; k < nxlen && k <= nextlen; k++) {
		char a = nx[k - 1], b = next[k - 1];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (char)(b + 32);
		if (a != b)
			return false;
		if (nx[k] != '.' || (k < nextlen && next[k] != '.'))
			continue;
		s1 = nx + k + 1;
		s1len = nxlen - k - 1;
		if (k == nextlen)
			return s1len > 0;
		s2 = next + k + 1;
		s2len = nextlen - k - 1;
		if (s2len > 0 && s2len < s1len && s1[s1len - s2len - 1] == '.' &&
		    strncasecmp(s1 + s1len - s2len, s2, s2len) == 0)
			return true;
	}
	return false;
}

static void
hist_query(struct kn_txn_engine *e, const struct kn_ipaddr *client,
	   const char *q, size_t qlen)
{
	struct client_hist *ch = hist_get(e, client);
	unsigned i = 0;

	while (i < ch->nawait) {
		uint64_t seq = ch->await[i];
		struct slot *s = slot_at(e, seq);

		if (seq < e->head || s->t.seq != seq || !s->held) {
			ch->await[i] = ch->await[--ch->nawait];
			continue;
		}
		if (kn_txn_is_search_expansion(s->t.u.dns.qname,
					       s->t.u.dns.qname_len, q,
					       qlen)) {
			s->t.u.dns.search_expansion = true;
			release_hold(e, s);
			ch->await[i] = ch->await[--ch->nawait];
			continue;
		}
		i++;
	}
}

static void
hist_hold(struct kn_txn_engine *e, struct slot *s)
{
	struct client_hist *ch = hist_get(e, &s->t.client.ip);

	if (ch->nawait == KN_HIST_AWAIT) {
		struct slot *o = slot_at(e, ch->await[0]);

		if (ch->await[0] >= e->head && o->t.seq == ch->await[0] &&
		    o->held)
			release_hold(e, o);
		memmove(ch->await, ch->await + 1,
			(KN_HIST_AWAIT - 1) * sizeof(ch->await[0]));
		ch->nawait--;
	}
	ch->await[ch->nawait++] = s->t.seq;
	s->held = true;
	s->deadline = e->now + e->cfg.dns_timeout_us;
}

struct dir_ends {
	const struct kn_ipaddr *src, *dst;
	const struct kn_ipaddr *osrc, *odst;
	uint16_t sport, dport;
	uint8_t encap, transport;
};

static void
dns_message(struct kn_txn_engine *e, uint64_t ts, const uint8_t *m, size_t n,
	    const struct dir_ends *d)
{
	struct kn_dns_msg *msg = &e->msg;
	enum kn_err err;
	uint64_t qh;
	uint32_t h;
	int64_t i;
	struct slot *s;
	unsigned k;
	size_t used, tl;

	/* The pending-table probe misses the cache: start loading it (and
	 * the client's search history) while the message is parsed. The id
	 * and QR bit are the ones the parser reads. */
	h = 0;
	if (n >= 12) {
		uint16_t id = (uint16_t)((m[0] << 8) | m[1]);

		if (m[2] & 0x80) {
			h = pend_hash(d->dst, d->dport, d->src, d->sport, id);
		} else {
			h = pend_hash(d->src, d->sport, d->dst, d->dport, id);
			__builtin_prefetch(
				&e->hist[ep_hash(d->src, 0) & (KN_HIST - 1)]);
		}
		__builtin_prefetch(&e->pix[h & e->pmask]);
	}
	err = kn_dns_parse(m, n, msg);
	if (err != KN_OK) {
		e->c.dns_malformed++;
		if (n < 12 || (msg->qdcount > 0 && !msg->has_question))
			return;
	}
	if (msg->opcode != 0 && msg->opcode != 2) /* QUERY, STATUS only */
		return;
	qh = qname_hash(msg->qname, msg->qname_len, msg->qtype);
	if (!msg->qr) {
		e->c.dns_queries++;
		i = pend_find(e, h, d->src, d->sport, d->dst, d->dport,
			      msg->id, true, qh);
		if (i >= 0) {
			s = slot_open(e, pend_at(e, (uint32_t)i)->seq);
			if (s != NULL && ts < s->deadline) {
				s->t.u.dns.retrans++;
				e->c.dns_retrans++;
				return;
			}
			pend_delete(e, (uint32_t)i);
		}
		s = slot_new(e, KN_TXN_DNS, ts, e->cfg.dns_timeout_us);
		s->t.client.ip = *d->src;
		s->t.client.port = d->sport;
		s->t.server.ip = *d->dst;
		s->t.server.port = d->dport;
		s->t.transport = d->transport;
		s->t.encap = d->encap;
		if (d->encap) {
			s->t.outer_client = *d->osrc;
			s->t.outer_server = *d->odst;
		}
		s->t.u.dns.id = msg->id;
		s->t.u.dns.qtype = msg->qtype;
		s->t.u.dns.rcode = -1;
		s->t.u.dns.ancount = 0;
		s->t.u.dns.retrans = 0;
		s->t.u.dns.search_expansion = false;
		s->t.u.dns.nanswers = 0;
		s->t.u.dns.answers[0] = '\0';
		copy_str(s->t.u.dns.qname, KN_TXN_QNAME, msg->qname,
			 msg->qname_len);
		s->t.u.dns.qname_len = (uint16_t)strlen(s->t.u.dns.qname);
		if (e->pcount >= (e->pmask + 1) / 4 * 3)
			pend_sweep(e);
		if (e->pcount >= (e->pmask + 1) / 4 * 3) {
			e->c.pending_evicted++;
		} else {
			struct pend *p;

			for (k = h & e->pmask; e->pix[k].ref != 0;
			     k = (k + 1) & e->pmask)
				;
			e->pix[k].hash = h;
			e->pix[k].ref = slab_get(&e->pslab) + 1;
			p = pend_at(e, k);
			p->cip = *d->src;
			p->sip = *d->dst;
			p->cport = d->sport;
			p->sport = d->dport;
			p->id = msg->id;
			p->qhash = qh;
			p->seq = s->t.seq;
			e->pcount++;
		}
		hist_query(e, d->src, s->t.u.dns.qname, s->t.u.dns.qname_len);
		return;
	}
	e->c.dns_responses++;
	i = pend_find(e, h, d->dst, d->dport, d->src, d->sport, msg->id,
		      msg->has_question, qh);
	if (i < 0) {
		e->c.dns_unmatched++;
		return;
	}
	s = slot_open(e, pend_at(e, (uint32_t)i)->seq);
	pend_delete(e, (uint32_t)i);
	if (s == NULL) { /* its query timed out (or was forced out) */
		e->c.dns_late++;
		return;
	}
	if (ts >= s->deadline) {
		e->c.dns_late++;
		expire(e, s);
		advance(e, false);
		return;
	}
	s->t.answered = true;
	s->t.latency_us = (int64_t)(ts - s->t.ts_us);
	s->t.u.dns.rcode = msg->rcode;
	s->t.u.dns.ancount = msg->ancount;
	if (e->cfg.want_answers) {
		used = 0;
		for (k = 0; k < msg->nans; k++) {
			char txt[KN_TXN_ANSWERS];

			if (kn_dns_rdata_text(m, n, &msg->ans[k], txt,
					      sizeof(txt)) != KN_OK)
				continue;
			tl = strlen(txt);
			if (used + tl + 1 > KN_TXN_ANSWERS)
				break;
			memcpy(s->t.u.dns.answers + used, txt, tl + 1);
			used += tl + 1;
			s->t.u.dns.nanswers++;
		}
	}
	if (msg->rcode == 3 && memchr(s->t.u.dns.qname, '.',
				      s->t.u.dns.qname_len) != NULL)
		hist_hold(e, s);
	finish(e, s);
	advance(e, false);
}

static void
dns_udp(struct kn_txn_engine *e, uint64_t ts, const struct kn_pkt *p)
{
	struct dir_ends d = { &p->src, &p->dst, &p->outer_src, &p->outer_dst,
			      p->sport, p->dport, p->encap, 17 };

	dns_message(e, ts, p->payload, p->plen, &d);
}

/* ---- TCP flows ---- */

static void
flow_ends(const struct flow *f, int dir, struct dir_ends *d)
{
	d->src = dir ? &f->sip : &f->cip;
	d->dst = dir ? &f->cip : &f->sip;
	d->osrc = dir ? &f->osip : &f->ocip;
	d->odst = dir ? &f->ocip : &f->osip;
	d->sport = dir ? f->sport : f->cport;
	d->dport = dir ? f->cport : f->sport;
	d->encap = f->encap;
	d->transport = 6;
}

static void
acc_release(struct kn_txn_engine *e, struct app_half *a)
{
	if (a->acc != KN_TCP_NOBUF)
		kn_tcp_buf_put(&e->pool, a->acc);
	a->acc = KN_TCP_NOBUF;
	a->acclen = 0;
}

static void
ignore_flow(struct kn_txn_engine *e, struct flow *f)
{
	f->kind = K_IGNORE;
	f->app[0].mode = f->app[1].mode = M_IGNORE;
	acc_release(e, &f->app[0]);
	acc_release(e, &f->app[1]);
}

/* Keep the head raw[0..n) as direction dir of s's heads (a response
 * replaces an interim one). Exact-sized, so a transaction holds only
 * what its heads need; without memory it simply has none. */
static void
heads_keep(struct slot *s, int dir, const uint8_t *raw, size_t n)
{
	struct kn_txn_heads *hd = s->t.u.http.heads, *nh;
	char tmp[KN_TXN_HEAD_KEEP];
	size_t len, req;
	bool trunc;

	len = kn_http_head_keep(raw, n, tmp, sizeof(tmp), &trunc);
	req = dir == 1 && hd != NULL ? hd->len[0] : 0;
	nh = realloc(hd, sizeof(*nh) + req + len);
	if (nh == NULL)
		return;
	if (hd == NULL)
		memset(nh, 0, sizeof(*nh));
	memcpy(nh->data + req, tmp, len);
	nh->len[dir] = (uint16_t)len;
	nh->trunc[dir] = trunc;
	s->t.u.http.heads = nh;
}

static void
http_complete(struct kn_txn_engine *e, struct flow *f)
{
	struct slot *s;

	if (f->qlen == 0)
		return;
	s = slot_open(e, f->reqq[f->qhead]);
	if (s != NULL) {
		s->t.answered = s->t.u.http.status >= 0;
		finish(e, s);
	}
	f->qhead = (uint8_t)((f->qhead + 1) % KN_PIPE);
	f->qlen--;
	f->app[1].cur = NO_SEQ;
	advance(e, false);
}

static void
add_bytes(struct kn_txn_engine *e, struct app_half *a, int dir, size_t n)
{
	struct slot *s = slot_open(e, a->cur);

	if (s == NULL)
		return;
	if (dir == 0)
		s->t.u.http.req_bytes += n;
	else
		s->t.u.http.resp_bytes += n;
}

static void
body_done(struct kn_txn_engine *e, struct flow *f, int dir)
{
	f->app[dir].mode = M_HEAD;
	if (dir == 1)
		http_complete(e, f);
	else
		f->app[0].cur = NO_SEQ;
}

static void
http_request(struct kn_txn_engine *e, struct flow *f, struct app_half *a,
	     const struct kn_http_head *h, const uint8_t *raw)
{
	struct slot *s;

	e->c.http_requests++;
	if (f->qlen == KN_PIPE) {
		struct slot *o = slot_open(e, f->reqq[f->qhead]);

		e->c.http_pipeline_overflow++;
		if (o != NULL)
			expire(e, o);
		f->qhead = (uint8_t)((f->qhead + 1) % KN_PIPE);
		f->qlen--;
	}
	s = slot_new(e, KN_TXN_HTTP, a->msg_ts, e->cfg.http_timeout_us);
	s->t.client.ip = f->cip;
	s->t.client.port = f->cport;
	s->t.server.ip = f->sip;
	s->t.server.port = f->sport;
	s->t.transport = 6;
	s->t.encap = f->encap;
	s->t.outer_client = f->ocip;
	s->t.outer_server = f->osip;
	s->t.u.http.status = -1;
	s->t.u.http.minor = (uint8_t)h->minor;
	s->t.u.http.req_bytes = h->head_len;
	s->t.u.http.resp_bytes = 0;
	copy_str(s->t.u.http.method, sizeof(s->t.u.http.method), h->method,
		 h->method_len);
	copy_str(s->t.u.http.path, KN_TXN_PATH, h->target, h->target_len);
	if (h->host != NULL)
		copy_str(s->t.u.http.host, KN_TXN_HOST, h->host, h->host_len);
	else
		s->t.u.http.host[0] = '\0';
	s->t.u.http.heads = NULL;
	heads_keep(s, 0, raw, h->head_len);
	f->reqq[(f->qhead + f->qlen) % KN_PIPE] = s->t.seq;
	f->qlen++;
	a->cur = s->t.seq;
	if (h->method_len == 7 && memcmp(h->method, "CONNECT", 7) == 0)
		f->connect = true;
	if (h->chunked) {
		kn_http_chunked_init(&a->ck);
		a->mode = M_CHUNKED;
	} else if (h->content_length > 0) {
		a->remain = (uint64_t)h->content_length;
		a->mode = M_BODY_LEN;
	} else {
		a->mode = M_HEAD;
		a->cur = NO_SEQ;
	}
}

static void
http_response(struct kn_txn_engine *e, struct flow *f, struct app_half *a,
	      const struct kn_http_head *h, const uint8_t *raw)
{
	struct slot *s = NULL;
	bool nobody, head_req = false;

	e->c.http_responses++;
	if (f->qlen > 0)
		s = slot_open(e, f->reqq[f->qhead]);
	else
		e->c.http_unmatched++;
	a->cur = s != NULL ? s->t.seq : NO_SEQ;
	if (s != NULL) {
		if (s->t.latency_us < 0)
			s->t.latency_us = (int64_t)(a->msg_ts - s->t.ts_us);
		s->t.u.http.status = h->status;
		s->t.u.http.resp_bytes += h->head_len;
		head_req = strcmp(s->t.u.http.method, "HEAD") == 0;
		heads_keep(s, 1, raw, h->head_len);
	}
	if (h->status < 200 && h->status != 101) {
		a->mode = M_HEAD; /* interim: the final response follows */
		return;
	}
	if (h->status == 101 || (f->connect && h->status < 300)) {
		if (f->qlen > 0)
			http_complete(e, f);
		ignore_flow(e, f);
		return;
	}
	f->connect = false;
	/* RFC 9112 6.3: HEAD, 1xx, 204 and 304 have no body. */
	nobody = head_req || h->status == 204 || h->status == 304;
	if (nobody || (!h->chunked && h->content_length == 0)) {
		body_done(e, f, 1);
	} else if (h->chunked) {
		kn_http_chunked_init(&a->ck);
		a->mode = M_CHUNKED;
	} else if (h->content_length > 0) {
		a->remain = (uint64_t)h->content_length;
		a->mode = M_BODY_LEN;
	} else {
		a->mode = M_CLOSE;
	}
}

/* One complete head (from the segment or the accumulation buffer). */
static void
http_head(struct kn_txn_engine *e, struct flow *f, int dir,
	  const struct kn_http_head *h, const uint8_t *raw)
{
	struct app_half *a = &f->app[dir];

	if (h->request != (dir == 0)) {
		e->c.http_malformed++;
		ignore_flow(e, f);
		return;
	}
	if (dir == 0)
		http_request(e, f, a, h, raw);
	else
		http_response(e, f, a, h, raw);
}

static void
app_desync(struct kn_txn_engine *e, struct flow *f, int dir)
{
	acc_release(e, &f->app[dir]);
	f->app[dir].mode = M_IGNORE;
}

/* Returns bytes consumed from p[0..n). */
static size_t
feed_head(struct kn_txn_engine *e, struct flow *f, int dir, const uint8_t *p,
	  size_t n, uint64_t ts)
{
	struct app_half *a = &f->app[dir];
	struct kn_http_head h;
	enum kn_err err;
	size_t k, old, skipped = 0;
	uint8_t *buf;

	if (a->acclen == 0) {
		while (skipped < n && (p[skipped] == '\r' || p[skipped] == '\n'))
			skipped++;
		if (skipped == n)
			return n;
		p += skipped;
		n -= skipped;
		a->msg_ts = ts;
		if (!(dir == 0 ? kn_http_looks_request(p, n)
			       : kn_http_looks_response(p, n))) {
			e->c.http_malformed++;
			app_desync(e, f, dir);
			return skipped + n;
		}
		err = kn_http_head_parse(p, n, &h);
		if (err == KN_OK) {
			http_head(e, f, dir, &h, p);
			return skipped + h.head_len;
		}
		if (err != KN_ERR_TRUNC)
			goto bad;
		a->acc = kn_tcp_buf_get(&e->pool);
		if (a->acc == KN_TCP_NOBUF) {
			e->c.tcp_nobuf++;
			app_desync(e, f, dir);
			return skipped + n;
		}
		memcpy(kn_tcp_buf(&e->pool, a->acc), p, n);
		a->acclen = (uint32_t)n;
		return skipped + n;
	}
	buf = kn_tcp_buf(&e->pool, a->acc);
	k = KN_HTTP_HEAD_MAX - a->acclen;
	if (k > n)
		k = n;
	memcpy(buf + a->acclen, p, k);
	old = a->acclen;
	a->acclen += (uint32_t)k;
	err = kn_http_head_parse(buf, a->acclen, &h);
	if (err == KN_OK) {
		http_head(e, f, dir, &h, buf);
		acc_release(e, a);
		return h.head_len - old;
	}
	if (err == KN_ERR_TRUNC)
		return k;
bad:
	if (err == KN_ERR_LIMIT)
		e->c.http_head_too_large++;
	else
		e->c.http_malformed++;
	app_desync(e, f, dir);
	return n;
}

static size_t
feed_dns(struct kn_txn_engine *e, struct flow *f, int dir, const uint8_t *p,
	 size_t n, uint64_t ts)
{
	struct app_half *a = &f->app[dir];
	struct dir_ends d;
	size_t L, k, need;
	uint8_t *buf;

	flow_ends(f, dir, &d);
	if (a->remain > 0) { /* skipping an oversize message */
		k = n < a->remain ? n : (size_t)a->remain;
		a->remain -= k;
		return k;
	}
	if (a->acclen == 0) {
		a->msg_ts = ts;
		if (n >= 2) {
			L = ((size_t)p[0] << 8) | p[1];
			if (n >= 2 + L) {
				dns_message(e, ts, p + 2, L, &d);
				return 2 + L;
			}
			if (2 + L > KN_TCP_BUFSZ) {
				e->c.dns_tcp_oversize++;
				a->remain = 2 + L - n;
				return n;
			}
		}
		a->acc = kn_tcp_buf_get(&e->pool);
		if (a->acc == KN_TCP_NOBUF) {
			e->c.tcp_nobuf++;
			app_desync(e, f, dir);
			return n;
		}
	}
	buf = kn_tcp_buf(&e->pool, a->acc);
	if (a->acclen < 2) {
		buf[a->acclen++] = p[0];
		return 1;
	}
	L = ((size_t)buf[0] << 8) | buf[1];
	if (2 + L > KN_TCP_BUFSZ) {
		e->c.dns_tcp_oversize++;
		a->remain = 2 + L - a->acclen;
		acc_release(e, a);
		return 0;
	}
	need = 2 + L - a->acclen;
	k = n < need ? n : need;
	memcpy(buf + a->acclen, p, k);
	a->acclen += (uint32_t)k;
	if (a->acclen == 2 + L) {
		dns_message(e, a->msg_ts, buf + 2, L, &d);
		acc_release(e, a);
	}
	return k;
}

static void
tls_emit(struct kn_txn_engine *e, struct flow *f, const struct kn_tls_hello *th,
	 uint64_t ts)
{
	struct slot *s = slot_new(e, KN_TXN_TLS, ts, 0);

	e->c.tls_hellos++;
	s->t.client.ip = f->cip;
	s->t.client.port = f->cport;
	s->t.server.ip = f->sip;
	s->t.server.port = f->sport;
	s->t.transport = 6;
	s->t.encap = f->encap;
	s->t.outer_client = f->ocip;
	s->t.outer_server = f->osip;
	s->t.u.tls.version = th->version;
	copy_str(s->t.u.tls.sni, sizeof(s->t.u.tls.sni), th->sni,
		 th->has_sni ? th->sni_len : 0);
	copy_str(s->t.u.tls.alpn, sizeof(s->t.u.tls.alpn), th->alpn,
		 th->alpn_len);
	finish(e, s);
	advance(e, false);
}

static size_t
feed_tls(struct kn_txn_engine *e, struct flow *f, const uint8_t *p, size_t n,
	 uint64_t ts)
{
	struct app_half *a = &f->app[0];
	struct kn_tls_hello th;
	enum kn_err err;
	size_t k, want;
	uint8_t *buf;

	if (a->acclen == 0) {
		a->msg_ts = ts;
		err = kn_tls_client_hello(p, n, &th);
		if (err == KN_OK) {
			tls_emit(e, f, &th, ts);
			ignore_flow(e, f);
			return n;
		}
		if (err != KN_ERR_TRUNC)
			goto bad;
		a->acc = kn_tcp_buf_get(&e->pool);
		if (a->acc == KN_TCP_NOBUF) {
			e->c.tcp_nobuf++;
			ignore_flow(e, f);
			return n;
		}
	}
	buf = kn_tcp_buf(&e->pool, a->acc);
	k = KN_TCP_BUFSZ - a->acclen;
	if (k > n)
		k = n;
	memcpy(buf + a->acclen, p, k);
	a->acclen += (uint32_t)k;
	err = kn_tls_client_hello(buf, a->acclen, &th);
	if (err == KN_OK) {
		tls_emit(e, f, &th, a->msg_ts);
		ignore_flow(e, f);
		return n;
	}
	want = a->acclen >= 5 ? 5 + (((size_t)buf[3] << 8) | buf[4]) : 5;
	if (err == KN_ERR_TRUNC && a->acclen < want &&
	    a->acclen < KN_TCP_BUFSZ)
		return k;
bad:
	e->c.tls_malformed++;
	ignore_flow(e, f);
	return n;
}

static void
app_init(struct kn_txn_engine *e, struct flow *f, int dir, const uint8_t *p,
	 size_t n)
{
	if (f->kind == K_UNKNOWN) {
		if (f->sport == 53 || f->cport == 53)
			f->kind = K_DNS;
		else if (dir == 0 && kn_tls_looks_handshake(p, n))
			f->kind = K_TLS;
		else if (dir == 0 && kn_http_looks_request(p, n))
			f->kind = K_HTTP;
		else if (dir == 1 && kn_http_looks_response(p, n))
			f->kind = K_HTTP;
		else {
			ignore_flow(e, f);
			return;
		}
	}
	switch (f->kind) {
	case K_DNS:
		f->app[dir].mode = M_DNS;
		break;
	case K_TLS:
		f->app[dir].mode = dir == 0 ? M_TLS : M_IGNORE;
		break;
	case K_HTTP:
		f->app[dir].mode = M_HEAD;
		break;
	default:
		f->app[dir].mode = M_IGNORE;
	}
}

static void
on_data(void *arg, const uint8_t *p, size_t n, uint64_t ts)
{
	struct ctx *c = arg;
	struct kn_txn_engine *e = c->e;
	struct flow *f = c->f;
	int dir = c->dir;
	struct app_half *a = &f->app[dir];
	size_t k;
	bool done;

	if (p == NULL) { /* a hole: only a counted body survives it */
		if (a->mode == M_BODY_LEN && a->remain > n) {
			a->remain -= n;
			add_bytes(e, a, dir, n);
		} else if (a->mode == M_CLOSE) {
			add_bytes(e, a, dir, n);
		} else if (a->mode != M_IGNORE) {
			app_desync(e, f, dir);
		}
		return;
	}
	while (n > 0) {
		switch (a->mode) {
		case M_INIT:
			app_init(e, f, dir, p, n);
			continue;
		case M_HEAD:
			k = feed_head(e, f, dir, p, n, ts);
			if (a->mode != M_HEAD || k == 0) {
				/* counted by the head itself */
			}
			break;
		case M_BODY_LEN:
			k = n < a->remain ? n : (size_t)a->remain;
			a->remain -= k;
			add_bytes(e, a, dir, k);
			if (a->remain == 0)
				body_done(e, f, dir);
			break;
		case M_CHUNKED:
			if (kn_http_chunked_feed(&a->ck, p, n, &k, &done) !=
			    KN_OK) {
				e->c.http_malformed++;
				body_done(e, f, dir);
				app_desync(e, f, dir);
				return;
			}
			add_bytes(e, a, dir, k);
			if (done)
				body_done(e, f, dir);
			break;
		case M_CLOSE:
			add_bytes(e, a, dir, n);
			k = n;
			break;
		case M_DNS:
			k = feed_dns(e, f, dir, p, n, ts);
			break;
		case M_TLS:
			k = feed_tls(e, f, p, n, ts);
			break;
		default:
			return;
		}
		p += k;
		n -= k;
	}
}

static uint32_t
flow_hash(const struct kn_ipaddr *a, uint16_t ap, const struct kn_ipaddr *b,
	  uint16_t bp)
{
	return (uint32_t)mix64(ep_hash(a, ap) ^ ep_hash(b, bp));
}

static inline struct flow *
flow_at(struct kn_txn_engine *e, uint32_t i)
{
	return &e->flows[e->fix[i].ref - 1];
}

static void
flow_delete(struct kn_txn_engine *e, uint32_t i)
{
	slab_put(&e->fslab, e->fix[i].ref - 1);
	ix_delete(e->fix, e->fmask, i);
	e->fcount--;
}

/* Finish what the connection holds and free its buffers. */
static void
flow_close(struct kn_txn_engine *e, struct flow *f)
{
	struct ctx c = { e, f, 0 };
	int dir;

	for (dir = 0; dir < 2; dir++) {
		c.dir = dir;
		kn_tcp_half_flush(&e->pool, &f->tcp[dir], &e->tc, on_data, &c);
	}
	if (f->app[1].mode == M_CLOSE ||
	    (f->qlen > 0 && slot_open(e, f->reqq[f->qhead]) != NULL &&
	     slot_open(e, f->reqq[f->qhead])->t.u.http.status >= 0))
		http_complete(e, f);
	while (f->qlen > 0) {
		struct slot *s = slot_open(e, f->reqq[f->qhead]);

		if (s != NULL)
			expire(e, s);
		f->qhead = (uint8_t)((f->qhead + 1) % KN_PIPE);
		f->qlen--;
	}
	acc_release(e, &f->app[0]);
	acc_release(e, &f->app[1]);
}

static void
flow_sweep(struct kn_txn_engine *e, uint32_t count, uint64_t idle)
{
	uint32_t n;
	struct flow *f;

	for (n = 0; n < count; n++) {
		uint32_t i = e->sweep_pos & e->fmask;

		f = e->fix[i].ref != 0 ? flow_at(e, i) : NULL;
		if (f != NULL && f->last_ts + idle <= e->now) {
			flow_close(e, f);
			flow_delete(e, i);
			if (idle < e->cfg.flow_idle_us)
				e->c.flows_evicted++;
			else
				e->c.flows_expired++;
			continue; /* re-check slot i: an entry moved in */
		}
		e->sweep_pos++;
	}
}

static struct flow *
flow_get(struct kn_txn_engine *e, const struct kn_pkt *p, uint32_t h,
	 int *dir, uint32_t *pos)
{
	uint32_t i = h & e->fmask;
	struct flow *f;
	bool to_server;
	uint64_t idle;

	for (;; i = (i + 1) & e->fmask) {
		if (e->fix[i].ref == 0)
			break;
		if (e->fix[i].hash != h)
			continue;
		f = flow_at(e, i);
		*pos = i;
		if (f->cport == p->sport && f->sport == p->dport &&
		    ip_eq(&f->cip, &p->src) && ip_eq(&f->sip, &p->dst)) {
			*dir = 0;
			return f;
		}
		if (f->sport == p->sport && f->cport == p->dport &&
		    ip_eq(&f->sip, &p->src) && ip_eq(&f->cip, &p->dst)) {
			*dir = 1;
			return f;
		}
	}
	if ((p->tcp_flags & KN_TCP_RST) ||
	    (p->plen == 0 && !(p->tcp_flags & KN_TCP_SYN)))
		return NULL;
	/* Who is the client: the SYN sender; else what the bytes say; else
	 * the higher (ephemeral) port. */
	if (p->tcp_flags & KN_TCP_SYN)
		to_server = !(p->tcp_flags & KN_TCP_ACK);
	else if (kn_http_looks_response(p->payload, p->plen) && p->plen >= 7)
		to_server = false;
	else if (p->sport == 53 || p->dport == 53)
		to_server = p->dport == 53;
	else if (kn_tls_looks_handshake(p->payload, p->plen) ||
		 (kn_http_looks_request(p->payload, p->plen) && p->plen >= 4))
		to_server = true;
	else
		to_server = p->sport > p->dport;
	if (e->fcount >= (e->fmask + 1) / 2) {
		/* Full: expire idle flows, then ever younger ones. */
		for (idle = e->cfg.flow_idle_us; idle > 0 &&
		     e->fcount >= (e->fmask + 1) / 2; idle /= 2)
			flow_sweep(e, e->fmask + 1, idle);
		if (e->fcount >= (e->fmask + 1) / 2)
			return NULL;
		for (i = h & e->fmask; e->fix[i].ref != 0;
		     i = (i + 1) & e->fmask)
			;
	}
	e->fix[i].hash = h;
	e->fix[i].ref = slab_get(&e->fslab) + 1;
	*pos = i;
	f = flow_at(e, i);
	memset(f, 0, sizeof(*f));
	f->cip = to_server ? p->src : p->dst;
	f->sip = to_server ? p->dst : p->src;
	f->cport = to_server ? p->sport : p->dport;
	f->sport = to_server ? p->dport : p->sport;
	f->encap = p->encap;
	if (p->encap) {
		f->ocip = to_server ? p->outer_src : p->outer_dst;
		f->osip = to_server ? p->outer_dst : p->outer_src;
	}
	kn_tcp_half_init(&f->tcp[0]);
	kn_tcp_half_init(&f->tcp[1]);
	f->app[0].acc = f->app[1].acc = KN_TCP_NOBUF;
	f->app[0].cur = f->app[1].cur = NO_SEQ;
	e->fcount++;
	e->c.flows++;
	*dir = to_server ? 0 : 1;
	return f;
}

static void
tcp_packet(struct kn_txn_engine *e, uint64_t ts, const struct kn_pkt *p,
	   uint32_t h)
{
	struct ctx c;
	struct flow *f;
	uint32_t pos;
	int dir;

	f = flow_get(e, p, h, &dir, &pos);
	if (f == NULL)
		return;
	f->last_ts = ts;
	if (f->kind != K_IGNORE) {
		c.e = e;
		c.f = f;
		c.dir = dir;
		kn_tcp_half_segment(&e->pool, &f->tcp[dir], &e->tc, p->seq,
				    p->tcp_flags, p->payload, p->plen, ts,
				    on_data, &c);
	} else if (p->tcp_flags & KN_TCP_FIN) {
		f->tcp[dir].fin = true;
	}
	if ((p->tcp_flags & KN_TCP_RST) || (f->tcp[0].fin && f->tcp[1].fin) ||
	    (dir == 1 && f->tcp[1].fin && f->app[1].mode == M_CLOSE)) {
		flow_close(e, f);
		if (f->tcp[0].fin && f->tcp[1].fin) {
			e->c.flows_closed++;
			flow_delete(e, pos);
		} else if (p->tcp_flags & KN_TCP_RST) {
			e->c.flows_closed++;
			flow_delete(e, pos);
		}
	}
}

/* ---- public ---- */

void
kn_txn_engine_tick(struct kn_txn_engine *e, uint64_t now)
{
	struct slot *s;

	if (now > e->now)
		e->now = now;
	/* DNS timeouts may sit behind a longer HTTP one at the head. */
	if (e->cursor < e->head)
		e->cursor = e->head;
	while (e->cursor < e->tail) {
		s = slot_at(e, e->cursor);
		if (s->t.ts_us + e->cfg.dns_timeout_us > e->now)
			break;
		if (s->state == SLOT_OPEN && s->deadline <= e->now)
			expire(e, s);
		e->cursor++;
	}
	advance(e, false);
	/* Idle flows: a slice of the table per second of capture time, sized
	 * by how many flows are live, so an empty table costs nothing. */
	if (e->fcount > 0 && e->now >= e->next_sweep) {
		uint32_t n = 64 + e->fcount * 4;

		if (n > (e->fmask + 1) / 16)
			n = (e->fmask + 1) / 16;
		flow_sweep(e, n, e->cfg.flow_idle_us);
		e->next_sweep = e->now + 1000000;
	}
	e->next_tick = e->now + 100000;
}

void
kn_txn_engine_packet(struct kn_txn_engine *e, uint64_t ts,
		     const struct kn_pkt *p)
{
	uint32_t h = 0;

	/* Start loading the flow's index entry before the tick. */
	if (p->proto == 6) {
		h = flow_hash(&p->src, p->sport, &p->dst, p->dport);
		__builtin_prefetch(&e->fix[h & e->fmask]);
	}
	if (ts > e->now)
		e->now = ts;
	if (e->now >= e->next_tick)
		kn_txn_engine_tick(e, e->now);
	if (p->proto == 17) {
		if (p->sport == 53 || p->dport == 53)
			dns_udp(e, ts, p);
	} else if (p->proto == 6) {
		tcp_packet(e, ts, p, h);
	}
}

void
kn_txn_engine_finish(struct kn_txn_engine *e)
{
	uint32_t i = 0;

	while (i <= e->fmask) {
		if (e->fix[i].ref != 0) {
			flow_close(e, flow_at(e, i));
			flow_delete(e, i);
		} else {
			i++;
		}
	}
	while (e->head < e->tail)
		advance(e, true);
}

const struct kn_txn_counters *
kn_txn_engine_counters(const struct kn_txn_engine *e)
{
	struct kn_txn_engine *m = (struct kn_txn_engine *)e;

	m->c.tcp_retrans = e->tc.retrans;
	m->c.tcp_overlaps = e->tc.overlaps;
	m->c.tcp_ooo = e->tc.ooo;
	m->c.tcp_gaps = e->tc.gaps;
	m->c.tcp_nobuf += 0;
	return &e->c;
}

static uint32_t
pow2(uint32_t n)
{
	uint32_t p = 1;

	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

enum kn_err
kn_txn_engine_new(const struct kn_txn_config *cfg, kn_txn_sink sink,
		  void *arg, struct kn_txn_engine **out, char *errbuf)
{
	struct kn_txn_engine *e;

	*out = NULL;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	if (cfg != NULL)
		e->cfg = *cfg;
	if (e->cfg.max_flows == 0)
		e->cfg.max_flows = 32768;
	if (e->cfg.max_pending == 0)
		e->cfg.max_pending = 32768;
	if (e->cfg.ring == 0)
		e->cfg.ring = 8192;
	if (e->cfg.tcp_bufs == 0)
		e->cfg.tcp_bufs = 1024;
	if (e->cfg.dns_timeout_us == 0)
		e->cfg.dns_timeout_us = 5000000;
	if (e->cfg.http_timeout_us == 0)
		e->cfg.http_timeout_us = 30000000;
	if (e->cfg.flow_idle_us == 0)
		e->cfg.flow_idle_us = 120000000;
	e->sink = sink;
	e->arg = arg;
	e->rmask = pow2(e->cfg.ring) - 1;
	e->pmask = pow2(e->cfg.max_pending * 2) - 1;
	e->fmask = pow2(e->cfg.max_flows * 2) - 1;
	{
		size_t off = 0, o_ring, o_pix, o_fix, o_hist;

		o_ring = arena_part(&off, (e->rmask + 1) * sizeof(*e->ring));
		o_pix = arena_part(&off,
				   ((size_t)e->pmask + 1) * sizeof(*e->pix));
		o_fix = arena_part(&off,
				   ((size_t)e->fmask + 1) * sizeof(*e->fix));
		o_hist = arena_part(&off, KN_HIST * sizeof(*e->hist));
		off = (off + KN_HUGE - 1) & ~(size_t)(KN_HUGE - 1);
		e->arena = arena_map(off, &e->arena_len);
		if (e->arena != NULL) {
			uint8_t *a = e->arena;

			e->ring = (struct slot *)(void *)(a + o_ring);
			e->pix = (struct ix *)(void *)(a + o_pix);
			e->fix = (struct ix *)(void *)(a + o_fix);
			e->hist = (struct client_hist *)(void *)(a + o_hist);
		}
	}
	/* Slabs hold what the load limits allow: 3/4 of the pending index,
	 * 1/2 of the flow index. */
	e->pend = calloc(((size_t)e->pmask + 1) / 4 * 3 + 1, sizeof(*e->pend));
	e->flows = calloc(((size_t)e->fmask + 1) / 2 + 1, sizeof(*e->flows));
	if (e->ring == NULL || e->pix == NULL || e->pend == NULL ||
	    e->fix == NULL || e->flows == NULL || e->hist == NULL ||
	    !slab_init(&e->pslab, (e->pmask + 1) / 4 * 3) ||
	    !slab_init(&e->fslab, (e->fmask + 1) / 2) ||
	    kn_tcp_pool_init(&e->pool, e->cfg.tcp_bufs) != KN_OK) {
		kn_txn_engine_free(e);
		return kn_errf(errbuf, KN_ERR_NOMEM,
			       "out of memory for the capture tables");
	}
	*out = e;
	return KN_OK;
}

void
kn_txn_engine_free(struct kn_txn_engine *e)
{
	uint64_t seq;

	if (e == NULL)
		return;
	if (e->ring != NULL)
		for (seq = e->head; seq < e->tail; seq++)
			slot_release(slot_at(e, seq));
	if (e->arena != NULL)
		munmap(e->arena, e->arena_len);
	free(e->pend);
	free(e->pslab.free);
	free(e->flows);
	free(e->fslab.free);
	kn_tcp_pool_release(&e->pool);
	free(e);
}
