/* TCP stream reassembly for one direction of a connection, over a shared
 * bounded pool of buffers (no allocation per packet). Private to
 * src/capture (and its unit test). */
#ifndef K8SNET_FLOW_H
#define K8SNET_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/err.h"

#define KN_TCP_OOO_MAX 4   /* out-of-order segments held per direction */
#define KN_TCP_BUFSZ 16384 /* one pool buffer */
#define KN_TCP_NOBUF UINT32_MAX

/* The free indexes 0 .. n-1 of a pool or slab, handed out lowest first.
 * Only those given back are stored (v, top); the rest are the fresh ones
 * from fresh up, so no page of v is touched before an index comes back
 * (the same order as a stack filled with n-1 .. 0 at the start). The TCP
 * pool and the transaction engine's slabs use it. */
struct kn_free_stack {
	uint32_t *v; /* room for n */
	uint32_t n, top, fresh;
};

bool kn_free_stack_init(struct kn_free_stack *s, uint32_t n);
void kn_free_stack_release(struct kn_free_stack *s);

/* Fixed pool of KN_TCP_BUFSZ buffers: partial message heads, TCP DNS
 * messages, TLS records and out-of-order data borrow one at a time. */
struct kn_tcp_pool {
	uint8_t *mem;
	struct kn_free_stack free;
	uint32_t nbufs;
	uint64_t exhausted; /* a buffer was wanted, none was free */
};

/* kn_free_stack_pop: the lowest free index first, then what was given
 * back last; the caller checks kn_free_stack_avail first. */
static inline uint32_t
kn_free_stack_avail(const struct kn_free_stack *s)
{
	return s->top + (s->n - s->fresh);
}

static inline uint32_t
kn_free_stack_pop(struct kn_free_stack *s)
{
	return s->top > 0 ? s->v[--s->top] : s->fresh++;
}

static inline void
kn_free_stack_push(struct kn_free_stack *s, uint32_t i)
{
	s->v[s->top++] = i;
}

enum kn_err kn_tcp_pool_init(struct kn_tcp_pool *pool, uint32_t nbufs);
void kn_tcp_pool_release(struct kn_tcp_pool *pool);
/* KN_TCP_NOBUF when none is free (counted). */
uint32_t kn_tcp_buf_get(struct kn_tcp_pool *pool);
void kn_tcp_buf_put(struct kn_tcp_pool *pool, uint32_t idx);
static inline uint8_t *
kn_tcp_buf(struct kn_tcp_pool *pool, uint32_t idx)
{
	return pool->mem + (size_t)idx * KN_TCP_BUFSZ;
}

struct kn_tcp_seg {
	uint32_t seq;
	uint16_t off, len; /* within the direction's ooo buffer */
	uint64_t ts;
};

/* One direction of a connection. Zero-initialise, then set ooo_buf to
 * KN_TCP_NOBUF (kn_tcp_half_init). */
struct kn_tcp_half {
	uint32_t next;	/* next expected sequence number */
	uint32_t acked; /* the peer's highest acknowledgment (have_ack) */
	bool synced, fin, have_ack;
	uint8_t nooo;
	uint16_t ooo_used;
	uint32_t ooo_buf;
	struct kn_tcp_seg ooo[KN_TCP_OOO_MAX];
};

struct kn_tcp_counters {
	uint64_t retrans;  /* segments wholly seen before */
	uint64_t overlaps; /* segments partly seen before (trimmed) */
	uint64_t ooo;	   /* segments held for later */
	uint64_t gaps;	   /* holes skipped (data never captured) */
};

/* In-order data callback: p[0..n) with the capture time of the segment
 * that carried it; p NULL reports a hole of n bytes that was skipped. */
typedef void (*kn_tcp_data_cb)(void *arg, const uint8_t *p, size_t n,
			       uint64_t ts);

void kn_tcp_half_init(struct kn_tcp_half *h);
/* Feed one segment (sequence number seq, TCP flags, payload p[0..n)).
 * Each byte is delivered once and in order: retransmitted bytes are
 * trimmed, early segments held (bounded) until the gap fills, or skipped
 * as a hole when the holding space runs out or the peer acknowledged
 * the hole. */
void kn_tcp_half_segment(struct kn_tcp_pool *pool, struct kn_tcp_half *h,
			 struct kn_tcp_counters *c, uint32_t seq, uint8_t flags,
			 const uint8_t *p, size_t n, uint64_t ts,
			 kn_tcp_data_cb cb, void *arg);
/* The peer acknowledged up to ack (RFC 9293 3.4): bytes before it that
 * were not seen reached the peer and will not come again (the capture
 * missed them), so held segments after such a hole are delivered now
 * with the hole reported, not held until the holding space runs out. */
void kn_tcp_half_ack(struct kn_tcp_pool *pool, struct kn_tcp_half *h,
		     struct kn_tcp_counters *c, uint32_t ack, kn_tcp_data_cb cb,
		     void *arg);
/* Deliver what is held (with holes) and release the buffer. */
void kn_tcp_half_flush(struct kn_tcp_pool *pool, struct kn_tcp_half *h,
		       struct kn_tcp_counters *c, kn_tcp_data_cb cb, void *arg);

#endif
