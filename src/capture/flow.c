/* TCP reassembly per direction (RFC 9293 sequence arithmetic): trims
 * retransmissions, holds up to KN_TCP_OOO_MAX early segments in one pool
 * buffer, skips holes it cannot fill. Never allocates per packet. */
#include <stdlib.h>
#include <string.h>

#include "flow.h"

bool
kn_free_stack_init(struct kn_free_stack *s, uint32_t n)
{
	s->v = malloc(((size_t)n + 1) * sizeof(*s->v));
	s->n = n;
	s->top = s->fresh = 0;
	return s->v != NULL;
}

void
kn_free_stack_release(struct kn_free_stack *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->top = s->fresh = 0;
}

enum kn_err
kn_tcp_pool_init(struct kn_tcp_pool *pool, uint32_t nbufs)
{
	memset(pool, 0, sizeof(*pool));
	/* Pages are touched only when a buffer is first used. */
	pool->mem = malloc((size_t)nbufs * KN_TCP_BUFSZ);
	if (!kn_free_stack_init(&pool->free, nbufs) || pool->mem == NULL) {
		kn_tcp_pool_release(pool);
		return KN_ERR_NOMEM;
	}
	pool->nbufs = nbufs;
	return KN_OK;
}

void
kn_tcp_pool_release(struct kn_tcp_pool *pool)
{
	free(pool->mem);
	kn_free_stack_release(&pool->free);
	memset(pool, 0, sizeof(*pool));
}

uint32_t
kn_tcp_buf_get(struct kn_tcp_pool *pool)
{
	if (kn_free_stack_avail(&pool->free) == 0) {
		pool->exhausted++;
		return KN_TCP_NOBUF;
	}
	return kn_free_stack_pop(&pool->free);
}

void
kn_tcp_buf_put(struct kn_tcp_pool *pool, uint32_t idx)
{
	if (idx != KN_TCP_NOBUF &&
	    kn_free_stack_avail(&pool->free) < pool->nbufs)
		kn_free_stack_push(&pool->free, idx);
}

void
kn_tcp_half_init(struct kn_tcp_half *h)
{
	memset(h, 0, sizeof(*h));
	h->ooo_buf = KN_TCP_NOBUF;
}

static void
drop_seg(struct kn_tcp_half *h, unsigned i)
{
	memmove(&h->ooo[i], &h->ooo[i + 1],
		(size_t)(h->nooo - i - 1) * sizeof(h->ooo[0]));
	h->nooo--;
}

static void
release_buf(struct kn_tcp_pool *pool, struct kn_tcp_half *h)
{
	if (h->nooo == 0 && h->ooo_buf != KN_TCP_NOBUF) {
		kn_tcp_buf_put(pool, h->ooo_buf);
		h->ooo_buf = KN_TCP_NOBUF;
		h->ooo_used = 0;
	}
}

/* Deliver p[0..n) starting at seq, trimming what was already delivered. */
static void
deliver(struct kn_tcp_half *h, struct kn_tcp_counters *c, uint32_t seq,
	const uint8_t *p, size_t n, uint64_t ts, kn_tcp_data_cb cb, void *arg)
{
	int32_t d = (int32_t)(seq - h->next);
	size_t skip;

	if (d < 0) {
		skip = (size_t)(-(int64_t)d);
		if (skip >= n) {
			c->retrans++;
			return;
		}
		c->overlaps++;
		p += skip;
		n -= skip;
	}
	h->next += (uint32_t)n;
	cb(arg, p, n, ts);
}

/* Deliver held segments that the stream has now reached. */
static void
drain(struct kn_tcp_pool *pool, struct kn_tcp_half *h,
      struct kn_tcp_counters *c, kn_tcp_data_cb cb, void *arg)
{
	unsigned i;
	bool again = true;

	while (again && h->nooo > 0) {
		again = false;
		for (i = 0; i < h->nooo; i++) {
			struct kn_tcp_seg s = h->ooo[i];

			if ((int32_t)(s.seq - h->next) <= 0) {
				drop_seg(h, i);
				deliver(h, c, s.seq,
					kn_tcp_buf(pool, h->ooo_buf) + s.off,
					s.len, s.ts, cb, arg);
				again = true;
				break;
			}
		}
	}
	release_buf(pool, h);
}

/* Index of the held segment that starts first. */
static unsigned
first_held(const struct kn_tcp_half *h)
{
	unsigned i, best = 0;

	for (i = 1; i < h->nooo; i++)
		if ((int32_t)(h->ooo[i].seq - h->ooo[best].seq) < 0)
			best = i;
	return best;
}

/* Skip the hole before held segment i (reported), then deliver what
 * connects. */
static void
skip_to_held(struct kn_tcp_pool *pool, struct kn_tcp_half *h,
	     struct kn_tcp_counters *c, unsigned i, kn_tcp_data_cb cb,
	     void *arg)
{
	if ((int32_t)(h->ooo[i].seq - h->next) > 0) {
		c->gaps++;
		cb(arg, NULL, h->ooo[i].seq - h->next, h->ooo[i].ts);
		h->next = h->ooo[i].seq;
	}
	drain(pool, h, c, cb, arg);
}

/* Deliver held segments whose hole the peer acknowledged whole. */
static void
release_acked(struct kn_tcp_pool *pool, struct kn_tcp_half *h,
	      struct kn_tcp_counters *c, kn_tcp_data_cb cb, void *arg)
{
	unsigned best;

	while (h->have_ack && h->nooo > 0) {
		best = first_held(h);
		if ((int32_t)(h->acked - h->ooo[best].seq) < 0)
			break;
		skip_to_held(pool, h, c, best, cb, arg);
	}
	release_buf(pool, h);
}

void
kn_tcp_half_ack(struct kn_tcp_pool *pool, struct kn_tcp_half *h,
		struct kn_tcp_counters *c, uint32_t ack, kn_tcp_data_cb cb,
		void *arg)
{
	if (h->have_ack && (int32_t)(ack - h->acked) <= 0)
		return;
	h->acked = ack;
	h->have_ack = true;
	if (h->synced && h->nooo > 0)
		release_acked(pool, h, c, cb, arg);
}

void
kn_tcp_half_flush(struct kn_tcp_pool *pool, struct kn_tcp_half *h,
		  struct kn_tcp_counters *c, kn_tcp_data_cb cb, void *arg)
{
	while (h->nooo > 0)
		skip_to_held(pool, h, c, first_held(h), cb, arg);
	release_buf(pool, h);
}

void
kn_tcp_half_segment(struct kn_tcp_pool *pool, struct kn_tcp_half *h,
		    struct kn_tcp_counters *c, uint32_t seq, uint8_t flags,
		    const uint8_t *p, size_t n, uint64_t ts, kn_tcp_data_cb cb,
		    void *arg)
{
	int32_t d;

	if (flags & 0x02) { /* SYN occupies one sequence number */
		if (!h->synced || h->next != seq + 1) {
			h->next = seq + 1;
			h->synced = true;
		}
		seq++;
	}
	if (flags & 0x01)
		h->fin = true;
	if (n == 0)
		return;
	if (!h->synced) { /* joined mid-stream: start here */
		h->next = seq;
		h->synced = true;
	}
	d = (int32_t)(seq - h->next);
	if (d <= 0) {
		deliver(h, c, seq, p, n, ts, cb, arg);
		if (h->nooo > 0)
			drain(pool, h, c, cb, arg);
		return;
	}
	/* Early: hold it if there is room, else skip the hole. */
	c->ooo++;
	if (h->ooo_buf == KN_TCP_NOBUF && h->nooo == 0)
		h->ooo_buf = kn_tcp_buf_get(pool);
	if (h->ooo_buf != KN_TCP_NOBUF && h->nooo < KN_TCP_OOO_MAX &&
	    n <= (size_t)KN_TCP_BUFSZ - h->ooo_used) {
		struct kn_tcp_seg *s = &h->ooo[h->nooo++];

		s->seq = seq;
		s->off = h->ooo_used;
		s->len = (uint16_t)n;
		s->ts = ts;
		memcpy(kn_tcp_buf(pool, h->ooo_buf) + h->ooo_used, p, n);
		h->ooo_used = (uint16_t)(h->ooo_used + n);
		/* the peer may have acknowledged the hole already */
		release_acked(pool, h, c, cb, arg);
		return;
	}
	kn_tcp_half_flush(pool, h, c, cb, arg);
	d = (int32_t)(seq - h->next);
	if (d > 0) {
		c->gaps++;
		cb(arg, NULL, (size_t)d, ts);
		h->next = seq;
	}
	deliver(h, c, seq, p, n, ts, cb, arg);
}
