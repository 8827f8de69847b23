/* TCP flows of the transaction engine: the connection table (client and
 * server told apart by the SYN, the bytes or the ports), reassembly into
 * each direction's byte stream, which protocol a connection carries, and
 * closing and expiring connections. */
#include <stdlib.h>
#include <string.h>

#include "txn_int.h"

struct ctx {
	struct kn_txn_engine *e;
	struct flow *f;
	int dir;
};

static inline struct flow *
flow_at(struct kn_txn_engine *e, uint32_t i)
{
	return &e->flows[txn_index_ref(&e->fix, i)];
}

void
txn_flow_ends(const struct flow *f, int dir, struct dir_ends *d)
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

void
txn_acc_release(struct kn_txn_engine *e, struct app_half *a)
{
	if (a->acc != KN_TCP_NOBUF)
		kn_tcp_buf_put(&e->pool, a->acc);
	a->acc = KN_TCP_NOBUF;
	a->acclen = 0;
}

bool
txn_acc_get(struct kn_txn_engine *e, struct app_half *a)
{
	a->acc = kn_tcp_buf_get(&e->pool);
	if (a->acc != KN_TCP_NOBUF)
		return true;
	e->c.tcp_nobuf++;
	return false;
}

void
txn_ignore_flow(struct kn_txn_engine *e, struct flow *f)
{
	f->kind = K_IGNORE;
	f->app[0].mode = f->app[1].mode = M_IGNORE;
	txn_acc_release(e, &f->app[0]);
	txn_acc_release(e, &f->app[1]);
}

void
txn_app_desync(struct kn_txn_engine *e, struct flow *f, int dir)
{
	txn_acc_release(e, &f->app[dir]);
	f->app[dir].mode = M_IGNORE;
}

/* Do the first bytes p[0..n) of a segment show HTTP from dir? From the
 * start of a connection a message may come a few bytes at a time; joined
 * mid-stream, the segment must start a whole request or status line (it
 * may be the middle of a body). */
static bool
looks_http(const struct flow *f, int dir, const uint8_t *p, size_t n)
{
	if (!f->syn)
		return kn_http_starts_message(p, n, dir == 0);
	return dir == 0 ? kn_http_looks_request(p, n)
			: kn_http_looks_response(p, n);
}

/* The first bytes of a direction say what the connection carries. A
 * connection joined mid-stream is not judged by bytes that tell nothing
 * (a keep-alive's one byte, a retransmission, the rest of a body): it
 * waits for a segment that does, KN_UNDECIDED_MAX segments at most.
 * False: nothing decided, the bytes are skipped. */
static bool
app_init(struct kn_txn_engine *e, struct flow *f, int dir, const uint8_t *p,
	 size_t n)
{
	if (f->kind == K_UNKNOWN) {
		if (f->sport == 53 || f->cport == 53)
			f->kind = K_DNS;
		else if (dir == 0 && kn_tls_looks_handshake(p, n))
			f->kind = K_TLS;
		else if (looks_http(f, dir, p, n))
			f->kind = K_HTTP;
		else if (!f->syn && f->undecided < KN_UNDECIDED_MAX) {
			f->undecided++;
			return false;
		} else {
			txn_ignore_flow(e, f);
			return true;
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
		/* joined mid-stream, this direction may be inside a body */
		f->app[dir].mode =
			f->syn || looks_http(f, dir, p, n) ? M_HEAD : M_RESYNC;
		f->app[dir].skip_seq = f->app[dir].pos;
		break;
	default:
		f->app[dir].mode = M_IGNORE;
	}
	return true;
}

/* A hole of n bytes in direction dir: a counted body survives it (the
 * bytes counted), other HTTP and DNS find their place again later, TLS
 * stops. Before the protocol is known nothing is decided by it. */
static void
on_hole(struct kn_txn_engine *e, struct flow *f, int dir, size_t n)
{
	switch (f->app[dir].mode) {
	case M_INIT:
		/* HTTP already seen the other way: the hole may have held
		 * this direction's first messages */
		if (f->kind == K_HTTP)
			txn_http_desync(e, f, dir, true);
		return;
	case M_IGNORE:
	case M_RESYNC:
	case M_DNS_RESYNC:
		return;
	case M_DNS:
		txn_dns_desync(e, f, dir);
		return;
	case M_HEAD:
	case M_BODY_LEN:
	case M_CHUNKED:
	case M_CLOSE:
		if (!txn_http_hole(e, f, dir, n))
			txn_http_desync(e, f, dir, true);
		return;
	default:
		txn_app_desync(e, f, dir);
	}
}

/* In-order bytes of one direction (p NULL: a hole of n bytes). p starts
 * a segment (or what of it was not seen before). */
static void
on_data(void *arg, const uint8_t *p, size_t n, uint64_t ts)
{
	struct ctx *c = arg;
	struct kn_txn_engine *e = c->e;
	struct flow *f = c->f;
	int dir = c->dir;
	struct app_half *a = &f->app[dir];
	bool start = true;
	size_t k;

	if (p == NULL) {
		on_hole(e, f, dir, n);
		return;
	}
	while (n > 0) {
		/* the half's next is where these bytes end */
		a->pos = f->tcp[dir].next - (uint32_t)n;
		switch (a->mode) {
		case M_INIT:
			if (!app_init(e, f, dir, p, n))
				return;
			continue;
		case M_RESYNC:
			if (!start || !txn_http_resync(e, f, dir, p, n))
				return;
			continue;
		case M_HEAD:
			k = txn_http_head_feed(e, f, dir, p, n, ts);
			break;
		case M_BODY_LEN:
		case M_CHUNKED:
		case M_CLOSE:
			k = txn_http_body_feed(e, f, dir, p, n);
			break;
		case M_DNS:
			k = txn_dns_feed(e, f, dir, p, n, ts);
			break;
		case M_DNS_RESYNC:
			if (!start || !txn_dns_resync(e, f, dir, p, n))
				return;
			continue;
		case M_TLS:
			k = txn_tls_feed(e, f, p, n, ts);
			break;
		default:
			return;
		}
		p += k;
		n -= k;
		start = false;
	}
}

/* Finish what the connection holds and free its buffers. */
static void
flow_close(struct kn_txn_engine *e, struct flow *f)
{
	struct ctx c = {e, f, 0};
	int dir;

	for (dir = 0; dir < 2; dir++) {
		c.dir = dir;
		kn_tcp_half_flush(&e->pool, &f->tcp[dir], &e->tc, on_data, &c);
	}
	txn_http_close(e, f);
	txn_acc_release(e, &f->app[0]);
	txn_acc_release(e, &f->app[1]);
}

struct sweep {
	struct kn_txn_engine *e;
	uint64_t idle;
	bool all;    /* end of input: every flow */
	bool closed; /* and each is closed already */
};

static bool
sweep_drop(void *arg, uint32_t ref)
{
	struct sweep *sw = arg;
	struct kn_txn_engine *e = sw->e;
	struct flow *f = &e->flows[ref];

	if (sw->all) {
		if (!sw->closed)
			flow_close(e, f);
		return true;
	}
	if (f->last_ts + sw->idle > e->now)
		return false;
	flow_close(e, f);
	if (sw->idle < e->cfg.flow_idle_us)
		e->c.flows_evicted++;
	else
		e->c.flows_expired++;
	return true;
}

void
txn_flow_sweep(struct kn_txn_engine *e, uint32_t steps, uint64_t idle)
{
	struct sweep sw = {e, idle, false, false};

	txn_index_sweep(&e->fix, &e->sweep_pos, steps, sweep_drop, &sw);
}

static int
cmp_created(const void *a, const void *b, void *arg)
{
	const struct flow *flows = arg;
	uint64_t x = flows[*(const uint32_t *)a].created;
	uint64_t y = flows[*(const uint32_t *)b].created;

	return x < y ? -1 : x > y;
}

void
txn_flow_close_all(struct kn_txn_engine *e)
{
	struct sweep sw = {e, 0, true, false};
	uint64_t base = e->order;
	uint32_t *refs, n = 0, i, pos = 0;

	/* In the order the connections began: what a close turns into
	 * transactions (segments held for a hole that never filled) takes
	 * its place in the ring now, in an order that does not depend on
	 * where the table put each flow, nor on which engine of a sharded
	 * capture held it (they carry base plus the order of the
	 * connection's first packet). Without memory, in table order. */
	refs = malloc(((size_t)e->fix.count + 1) * sizeof(*refs));
	if (refs != NULL) {
		for (i = 0; i <= e->fix.mask; i++)
			if (e->fix.e[i].ref != 0)
				refs[n++] = txn_index_ref(&e->fix, i);
		qsort_r(refs, n, sizeof(*refs), cmp_created, e->flows);
		for (i = 0; i < n; i++) {
			e->order = base + e->flows[refs[i]].order;
			flow_close(e, &e->flows[refs[i]]);
		}
		free(refs);
		sw.closed = true;
		e->order = base;
	}
	txn_index_sweep(&e->fix, &pos, 0, sweep_drop, &sw);
}

/* Who is the client of a new connection: the SYN sender; else what the
 * bytes say; else the higher (ephemeral) port. */
static bool
to_server(const struct kn_pkt *p)
{
	if (p->tcp_flags & KN_TCP_SYN)
		return !(p->tcp_flags & KN_TCP_ACK);
	if (kn_http_looks_response(p->payload, p->plen) && p->plen >= 7)
		return false;
	if (p->sport == 53 || p->dport == 53)
		return p->dport == 53;
	if (kn_tls_looks_handshake(p->payload, p->plen) ||
	    (kn_http_looks_request(p->payload, p->plen) && p->plen >= 4))
		return true;
	return p->sport > p->dport;
}

/* Room for one more flow: when the index is at its load limit, expire
 * idle flows, then ever younger ones. False when none could go. */
static bool
flow_room(struct kn_txn_engine *e)
{
	uint64_t idle;

	for (idle = e->cfg.flow_idle_us;
	     idle > 0 && e->fix.count >= (e->fix.mask + 1) / 2; idle /= 2)
		txn_flow_sweep(e, e->fix.mask + 1, idle);
	return e->fix.count < (e->fix.mask + 1) / 2;
}

/* A new flow for p, its index entry at the empty position i (hash h);
 * ts: p goes from the client to the server. */
static struct flow *
flow_new(struct kn_txn_engine *e, const struct kn_pkt *p, uint32_t h,
	 uint32_t i, bool ts)
{
	struct flow *f = &e->flows[txn_index_put(&e->fix, i, h)];

	memset(f, 0, sizeof(*f));
	f->cip = ts ? p->src : p->dst;
	f->sip = ts ? p->dst : p->src;
	f->cport = ts ? p->sport : p->dport;
	f->sport = ts ? p->dport : p->sport;
	f->encap = p->encap;
	if (p->encap) {
		f->ocip = ts ? p->outer_src : p->outer_dst;
		f->osip = ts ? p->outer_dst : p->outer_src;
	}
	f->created = e->created++;
	f->order = e->order;
	kn_tcp_half_init(&f->tcp[0]);
	kn_tcp_half_init(&f->tcp[1]);
	f->app[0].acc = f->app[1].acc = KN_TCP_NOBUF;
	f->app[0].cur = f->app[1].cur = NO_SEQ;
	e->c.flows++;
	return f;
}

static struct flow *
flow_get(struct kn_txn_engine *e, const struct kn_pkt *p, uint32_t h, int *dir,
	 uint32_t *pos)
{
	uint32_t i = h & e->fix.mask;
	struct flow *f;
	bool ts;

	for (; txn_index_probe(&e->fix, h, &i); i = (i + 1) & e->fix.mask) {
		f = flow_at(e, i);
		*pos = i;
		if (f->cport == p->sport && f->sport == p->dport &&
		    txn_ip_eq(&f->cip, &p->src) &&
		    txn_ip_eq(&f->sip, &p->dst)) {
			*dir = 0;
			return f;
		}
		if (f->sport == p->sport && f->cport == p->dport &&
		    txn_ip_eq(&f->sip, &p->src) &&
		    txn_ip_eq(&f->cip, &p->dst)) {
			*dir = 1;
			return f;
		}
	}
	if ((p->tcp_flags & KN_TCP_RST) ||
	    (p->plen == 0 && !(p->tcp_flags & KN_TCP_SYN)))
		return NULL;
	if (e->fix.count >= (e->fix.mask + 1) / 2) {
		if (!flow_room(e))
			return NULL;
		/* The sweep moved entries: find the run's end again. */
		i = h & e->fix.mask;
		while (e->fix.e[i].ref != 0)
			i = (i + 1) & e->fix.mask;
	}
	*pos = i;
	ts = to_server(p);
	*dir = ts ? 0 : 1;
	return flow_new(e, p, h, i, ts);
}

void
txn_tcp_packet(struct kn_txn_engine *e, uint64_t ts, const struct kn_pkt *p,
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
	if (p->tcp_flags & KN_TCP_SYN)
		f->syn = true;
	if ((p->tcp_flags & KN_TCP_ACK) &&
	    (!(f->acked & (1u << dir)) ||
	     (int32_t)(p->ack - f->ack[dir]) > 0)) {
		f->ack[dir] = p->ack;
		f->acked |= (uint8_t)(1u << dir);
	}
	if (f->kind != K_IGNORE) {
		c.e = e;
		c.f = f;
		/* What this packet acknowledges of the other direction comes
		 * first: it may free held bytes sent before this packet. */
		if (p->tcp_flags & KN_TCP_ACK) {
			c.dir = 1 - dir;
			kn_tcp_half_ack(&e->pool, &f->tcp[1 - dir], &e->tc,
					p->ack, on_data, &c);
		}
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
		if ((f->tcp[0].fin && f->tcp[1].fin) ||
		    (p->tcp_flags & KN_TCP_RST)) {
			e->c.flows_closed++;
			txn_index_delete(&e->fix, pos);
		}
	}
}
