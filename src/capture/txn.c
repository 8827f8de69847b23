/* Transaction matching: the engine's ring and its entry points. Packets
 * go to DNS over UDP (txn_dns.c) or to the TCP flows (txn_flow.c), which
 * hand their bytes to DNS, HTTP/1.x (txn_http.c) or TLS (txn_tls.c).
 * All tables are fixed-size, allocated once; transactions wait in a ring
 * until they can be emitted in first-packet order, or, live, as each
 * completes. */
#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "txn_int.h"

/* ---- ring and emission ---- */

static void
emit(struct kn_txn_engine *e, struct slot *s)
{
	s->state = SLOT_EMITTED;
	e->sink(e->arg, &s->t);
}

void
txn_finish(struct kn_txn_engine *e, struct slot *s)
{
	s->state = SLOT_DONE;
	if (!e->cfg.ordered && !s->held)
		emit(e, s);
}

void
txn_expire(struct kn_txn_engine *e, struct slot *s)
{
	if (s->t.type == KN_TXN_DNS) {
		s->t.u.dns.rcode = -1;
		e->c.dns_unanswered++;
	} else if (s->t.type == KN_TXN_HTTP && s->t.u.http.status < 0) {
		e->c.http_unanswered++;
	}
	txn_finish(e, s);
}

void
txn_release_hold(struct kn_txn_engine *e, struct slot *s)
{
	s->held = false;
	if (s->state == SLOT_DONE && !e->cfg.ordered)
		emit(e, s);
}

char txn_empty[1];

char *
txn_str_new(const void *src, size_t n, size_t cap, bool *cut)
{
	char *p;

	*cut = n >= cap;
	if (*cut)
		n = cap - 1;
	if (n == 0)
		return txn_empty;
	p = malloc(n + 1);
	if (p == NULL) {
		*cut = true;
		return txn_empty;
	}
	memcpy(p, src, n);
	p[n] = '\0';
	return p;
}

/* What a slot owns outside the ring: an HTTP transaction's heads and
 * path, a DNS transaction's answer texts. */
static void
slot_release(struct slot *s)
{
	if (s->t.type == KN_TXN_HTTP) {
		free(s->t.u.http.heads);
		s->t.u.http.heads = NULL;
		if (s->t.u.http.path != txn_empty)
			free(s->t.u.http.path);
		s->t.u.http.path = txn_empty;
	} else if (s->t.type == KN_TXN_DNS) {
		free(s->t.u.dns.answers);
		s->t.u.dns.answers = NULL;
	}
}

void
txn_advance(struct kn_txn_engine *e, bool force)
{
	struct slot *s;

	while (e->head < e->tail) {
		s = txn_slot_at(e, e->head);
		if (s->state == SLOT_OPEN) {
			if (!force && e->now < s->deadline)
				break;
			txn_expire(e, s);
		}
		if (s->state == SLOT_DONE && s->held) {
			if (!force && e->now < s->deadline)
				break;
			txn_release_hold(e, s);
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

struct slot *
txn_slot_new(struct kn_txn_engine *e, uint8_t type, uint64_t ts,
	     uint64_t timeout)
{
	struct slot *s;

	if (e->tail - e->head > e->rmask) {
		e->c.ring_forced++;
		txn_advance(e, true);
	}
	s = txn_slot_at(e, e->tail);
	s->state = SLOT_OPEN;
	s->held = false;
	s->deadline = ts + timeout;
	memset(&s->t, 0, offsetof(struct kn_txn, u));
	s->t.seq = e->tail++;
	s->t.order = e->order;
	s->t.ts_us = ts;
	s->t.latency_us = -1;
	s->t.type = type;
	return s;
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
		s = txn_slot_at(e, e->cursor);
		if (s->t.ts_us + e->cfg.dns_timeout_us > e->now)
			break;
		if (s->state == SLOT_OPEN && s->deadline <= e->now)
			txn_expire(e, s);
		e->cursor++;
	}
	txn_advance(e, false);
	/* Idle flows: a slice of the table per second of capture time, sized
	 * by how many flows are live, so an empty table costs nothing. */
	if (e->fix.count > 0 && e->now >= e->next_sweep) {
		uint32_t n = 64 + e->fix.count * 4;

		if (n > (e->fix.mask + 1) / 16)
			n = (e->fix.mask + 1) / 16;
		if (n > 0)
			txn_flow_sweep(e, n, e->cfg.flow_idle_us);
		e->next_sweep = e->now + 1000000;
	}
	e->next_tick = e->now + KN_TXN_TICK_US;
}

/* One packet once the clock has moved: UDP DNS, or a TCP segment (h:
 * its flow's hash, whose index entry is being loaded). */
static void
engine_packet(struct kn_txn_engine *e, uint64_t ts, const struct kn_pkt *p,
	      uint32_t h)
{
	if (p->proto == 17 && (p->sport == 53 || p->dport == 53)) {
		struct dir_ends d = {&p->src,	    &p->dst,  &p->outer_src,
				     &p->outer_dst, p->sport, p->dport,
				     p->encap,	    17};

		/* an ICMP error quotes the query, sent to port 53 */
		if (p->icmp == 0)
			txn_dns_message(e, ts, p->payload, p->plen, &d);
		else if (p->dport == 53)
			txn_dns_unreachable(e, ts, p->payload, p->plen, &d);
	} else if (p->proto == 6) {
		txn_tcp_packet(e, ts, p, h);
	}
}

/* Start loading the flow's index entry: the tick or the clock comes
 * first. */
static uint32_t
prefetch_flow(struct kn_txn_engine *e, const struct kn_pkt *p)
{
	uint32_t h = 0;

	if (p->proto == 6) {
		h = txn_flow_hash(&p->src, p->sport, &p->dst, p->dport);
		__builtin_prefetch(&e->fix.e[h & e->fix.mask]);
	}
	return h;
}

void
kn_txn_engine_packet(struct kn_txn_engine *e, uint64_t ts,
		     const struct kn_pkt *p)
{
	uint32_t h = prefetch_flow(e, p);

	if (ts > e->now)
		e->now = ts;
	if (e->now >= e->next_tick)
		kn_txn_engine_tick(e, e->now);
	engine_packet(e, ts, p, h);
}

void
kn_txn_engine_packet_at(struct kn_txn_engine *e, uint64_t ts, uint64_t now,
			const struct kn_pkt *p)
{
	uint32_t h = prefetch_flow(e, p);

	if (now > e->now)
		e->now = now;
	engine_packet(e, ts, p, h);
}

void
kn_txn_engine_set_order(struct kn_txn_engine *e, uint64_t order)
{
	e->order = order;
}

uint64_t
kn_txn_engine_pending_order(const struct kn_txn_engine *e)
{
	if (e->head >= e->tail)
		return UINT64_MAX;
	return e->ring[e->head & e->rmask].t.order;
}

void
kn_txn_engine_force(struct kn_txn_engine *e)
{
	if (e->head >= e->tail)
		return;
	e->c.ring_forced++;
	txn_advance(e, true);
}

void
kn_txn_engine_finish(struct kn_txn_engine *e)
{
	txn_flow_close_all(e);
	while (e->head < e->tail)
		txn_advance(e, true);
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

/* ---- tables ---- */

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

static uint32_t
pow2(uint32_t n)
{
	uint32_t p = 1;

	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

static void
config_defaults(struct kn_txn_config *c)
{
	if (c->max_flows == 0)
		c->max_flows = 32768;
	if (c->max_pending == 0)
		c->max_pending = 32768;
	if (c->ring == 0)
		c->ring = 8192;
	if (c->tcp_bufs == 0)
		c->tcp_bufs = 1024;
	if (c->dns_timeout_us == 0)
		c->dns_timeout_us = 5000000;
	if (c->http_timeout_us == 0)
		c->http_timeout_us = 30000000;
	if (c->flow_idle_us == 0)
		c->flow_idle_us = 120000000;
}

/* The ring, both indexes and the history in the arena; the slabs hold
 * what the load limits allow: 3/4 of the pending index, 1/2 of the flow
 * index. False without memory. */
static bool
tables_alloc(struct kn_txn_engine *e, uint32_t pmask, uint32_t fmask)
{
	size_t off = 0, o_ring, o_pix, o_fix, o_hist;
	struct txn_index_entry *pix, *fix;
	uint8_t *a;

	o_ring = arena_part(&off, (e->rmask + 1) * sizeof(*e->ring));
	o_pix = arena_part(&off, ((size_t)pmask + 1) * sizeof(*pix));
	o_fix = arena_part(&off, ((size_t)fmask + 1) * sizeof(*fix));
	o_hist = arena_part(&off, KN_HIST * sizeof(*e->hist));
	off = (off + KN_HUGE - 1) & ~(size_t)(KN_HUGE - 1);
	e->arena = arena_map(off, &e->arena_len);
	if (e->arena == NULL)
		return false;
	a = e->arena;
	e->ring = (struct slot *)(void *)(a + o_ring);
	pix = (struct txn_index_entry *)(void *)(a + o_pix);
	fix = (struct txn_index_entry *)(void *)(a + o_fix);
	e->hist = (struct client_hist *)(void *)(a + o_hist);
	e->pend = calloc(((size_t)pmask + 1) / 4 * 3 + 1, sizeof(*e->pend));
	e->flows = calloc(((size_t)fmask + 1) / 2 + 1, sizeof(*e->flows));
	return e->pend != NULL && e->flows != NULL &&
	       txn_index_init(&e->pix, pix, pmask, (pmask + 1) / 4 * 3) &&
	       txn_index_init(&e->fix, fix, fmask, (fmask + 1) / 2);
}

enum kn_err
kn_txn_engine_new(const struct kn_txn_config *cfg, kn_txn_sink sink, void *arg,
		  struct kn_txn_engine **out, char *errbuf)
{
	struct kn_txn_engine *e;

	*out = NULL;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	if (cfg != NULL)
		e->cfg = *cfg;
	config_defaults(&e->cfg);
	e->sink = sink;
	e->arg = arg;
	e->rmask = pow2(e->cfg.ring) - 1;
	if (!tables_alloc(e, pow2(e->cfg.max_pending * 2) - 1,
			  pow2(e->cfg.max_flows * 2) - 1) ||
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
			slot_release(txn_slot_at(e, seq));
	if (e->arena != NULL)
		munmap(e->arena, e->arena_len);
	free(e->pend);
	txn_index_release(&e->pix);
	free(e->flows);
	txn_index_release(&e->fix);
	kn_tcp_pool_release(&e->pool);
	free(e);
}
