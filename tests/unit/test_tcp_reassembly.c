/* Unit tests for TCP reassembly: in order, retransmitted, overlapping,
 * out of order, holes (skipped when full or when the peer acknowledged
 * them), and the bounded buffer pool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "flow.h"

struct sinkbuf {
	char data[256];
	size_t len;
	size_t holes;
};

static void
collect(void *arg, const uint8_t *p, size_t n, uint64_t ts)
{
	struct sinkbuf *s = arg;

	(void)ts;
	if (p == NULL) {
		s->holes += n;
		return;
	}
	memcpy(s->data + s->len, p, n);
	s->len += n;
}

static void
seg(struct kn_tcp_pool *pool, struct kn_tcp_half *h, struct kn_tcp_counters *c,
    uint32_t seq, uint8_t flags, const char *d, struct sinkbuf *s)
{
	kn_tcp_half_segment(pool, h, c, seq, flags, (const uint8_t *)d,
			    strlen(d), 1, collect, s);
}

static void
test_tcp_order_and_retrans(void **state)
{
	struct kn_tcp_pool pool;
	struct kn_tcp_half h;
	struct kn_tcp_counters c;
	struct sinkbuf s;

	(void)state;
	assert_int_equal(kn_tcp_pool_init(&pool, 2), KN_OK);
	kn_tcp_half_init(&h);
	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	seg(&pool, &h, &c, 99, 0x02, "", &s); /* SYN */
	seg(&pool, &h, &c, 100, 0, "hello ", &s);
	seg(&pool, &h, &c, 100, 0, "hello ", &s); /* retransmission */
	seg(&pool, &h, &c, 103, 0, "lo wor", &s); /* overlap */
	seg(&pool, &h, &c, 112, 0, "!", &s);	  /* early: held */
	assert_int_equal(s.len, 9);
	seg(&pool, &h, &c, 109, 0, "ld", &s); /* not yet: 111 missing */
	seg(&pool, &h, &c, 111, 0, "?", &s);  /* fills: "!" follows */
	assert_int_equal(s.len, 13);
	assert_memory_equal(s.data, "hello world?!", 13);
	assert_int_equal(c.retrans, 1);
	assert_int_equal(c.overlaps, 1);
	assert_int_equal(c.ooo, 1);
	assert_int_equal(kn_free_stack_avail(&pool.free),
			 2); /* the hold buffer went back */
	/* Sequence wrap-around. */
	kn_tcp_half_init(&h);
	memset(&s, 0, sizeof(s));
	seg(&pool, &h, &c, 0xfffffffe, 0, "ab", &s);
	seg(&pool, &h, &c, 0, 0, "cd", &s);
	assert_int_equal(s.len, 4);
	kn_tcp_pool_release(&pool);
}

static void
test_tcp_holes(void **state)
{
	struct kn_tcp_pool pool;
	struct kn_tcp_half h;
	struct kn_tcp_counters c;
	struct sinkbuf s;
	uint32_t i;

	(void)state;
	assert_int_equal(kn_tcp_pool_init(&pool, 1), KN_OK);
	kn_tcp_half_init(&h);
	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	seg(&pool, &h, &c, 1000, 0, "a", &s);
	/* More early segments than can be held: the hole is skipped. */
	for (i = 0; i < KN_TCP_OOO_MAX + 1; i++)
		seg(&pool, &h, &c, 1010 + i, 0, "x", &s);
	assert_int_equal(c.gaps, 1);
	assert_int_equal(s.holes, 9);
	assert_int_equal(s.len, 1 + KN_TCP_OOO_MAX + 1);
	/* End of stream with something held: flushed after a hole. */
	seg(&pool, &h, &c, 1100, 0, "z", &s);
	kn_tcp_half_flush(&pool, &h, &c, collect, &s);
	assert_int_equal(s.data[s.len - 1], 'z');
	assert_int_equal(kn_free_stack_avail(&pool.free), 1);
	/* Pool exhausted: counted, the stream still moves on. */
	kn_tcp_half_init(&h);
	assert_int_equal(kn_tcp_buf_get(&pool), 0);
	seg(&pool, &h, &c, 1, 0, "a", &s);
	seg(&pool, &h, &c, 5, 0, "b", &s);
	assert_int_equal(pool.exhausted, 1);
	kn_tcp_buf_put(&pool, 0);
	kn_tcp_pool_release(&pool);
}

/* The peer acknowledged bytes the capture never had: the segments held
 * after them are delivered at once, the hole reported, instead of
 * waiting for a retransmission that will not come. */
static void
test_tcp_acked_hole(void **state)
{
	struct kn_tcp_pool pool;
	struct kn_tcp_half h;
	struct kn_tcp_counters c;
	struct sinkbuf s;

	(void)state;
	assert_int_equal(kn_tcp_pool_init(&pool, 2), KN_OK);
	kn_tcp_half_init(&h);
	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	seg(&pool, &h, &c, 100, 0, "abc", &s);
	seg(&pool, &h, &c, 106, 0, "ghi", &s); /* 103..105 never seen */
	assert_int_equal(s.len, 3);
	kn_tcp_half_ack(&pool, &h, &c, 105, collect, &s); /* not past it */
	assert_int_equal(s.len, 3);
	kn_tcp_half_ack(&pool, &h, &c, 109, collect, &s);
	assert_int_equal(s.len, 6);
	assert_int_equal(s.holes, 3);
	assert_memory_equal(s.data, "abcghi", 6);
	assert_int_equal(c.gaps, 1);
	seg(&pool, &h, &c, 112, 0, "mno", &s);
	assert_int_equal(s.len, 6);
	kn_tcp_half_ack(&pool, &h, &c, 115, collect, &s);
	assert_int_equal(s.len, 9);
	/* the hole acknowledged before the segment after it arrives: that
	 * segment is not held at all */
	kn_tcp_half_ack(&pool, &h, &c, 121, collect, &s);
	seg(&pool, &h, &c, 118, 0, "stu", &s);
	assert_int_equal(s.len, 12);
	assert_int_equal(s.holes, 9);
	assert_int_equal(kn_free_stack_avail(&pool.free), 2);
	kn_tcp_pool_release(&pool);
}

/* The free stack hands out indexes in the order of a stack filled with
 * n-1 .. 0 at the start (lowest first, the last given back next), which
 * is what it replaced: checked against that stack through random takes
 * and give-backs. */
static void
test_free_stack_order(void **state)
{
	enum { N = 300 };
	struct kn_free_stack s;
	uint32_t ref[N], nref = N, out[N], nout = 0, i, x = 12345;

	(void)state;
	assert_true(kn_free_stack_init(&s, N));
	for (i = 0; i < N; i++)
		ref[i] = N - 1 - i;
	for (i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		assert_int_equal(kn_free_stack_avail(&s), nref);
		if (nref > 0 && (nout == 0 || (x >> 16) % 3 != 0)) {
			uint32_t got = kn_free_stack_pop(&s);

			assert_int_equal(got, ref[--nref]);
			out[nout++] = got;
		} else if (nout > 0) {
			uint32_t k = (x >> 8) % nout, back = out[k];

			out[k] = out[--nout];
			kn_free_stack_push(&s, back);
			ref[nref++] = back;
		}
	}
	kn_free_stack_release(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_stack_order),
		cmocka_unit_test(test_tcp_order_and_retrans),
		cmocka_unit_test(test_tcp_holes),
		cmocka_unit_test(test_tcp_acked_hole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
