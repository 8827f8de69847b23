/* IPv4 and IPv6 fragment reassembly on bytes: order, overlaps, limits,
 * timeouts and the counters. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "reasm.h"

#define DLEN 3000 /* the UDP payload of the test datagram */

static uint8_t dgram[8 + DLEN]; /* UDP header and payload */

static void
make_dgram(void)
{
	size_t i;

	memset(dgram, 0, 8);
	dgram[0] = 0x00;
	dgram[1] = 53; /* source port 53 */
	dgram[2] = 0xa0;
	dgram[3] = 0x01; /* destination port 40961 */
	dgram[4] = (uint8_t)((8 + DLEN) >> 8);
	dgram[5] = (uint8_t)(8 + DLEN);
	for (i = 0; i < DLEN; i++)
		dgram[8 + i] = (uint8_t)(i * 7 + 3);
}

/* An IPv4 fragment of dgram: [off, off + len), MF unless it is last. */
static size_t
frag4(uint8_t *p, uint16_t id, size_t off, size_t len)
{
	bool more = off + len < sizeof(dgram);
	uint16_t f = (uint16_t)((more ? 0x2000 : 0) | (off / 8));

	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = (uint8_t)((20 + len) >> 8);
	p[3] = (uint8_t)(20 + len);
	p[4] = (uint8_t)(id >> 8);
	p[5] = (uint8_t)id;
	p[6] = (uint8_t)(f >> 8);
	p[7] = (uint8_t)f;
	p[8] = 64;
	p[9] = 17;
	p[12] = 10;
	p[15] = 2; /* 10.0.0.2 */
	p[16] = 10;
	p[19] = 1; /* 10.0.0.1 */
	memcpy(p + 20, dgram + off, len);
	return 20 + len;
}

/* An IPv6 fragment of dgram, likewise. */
static size_t
frag6(uint8_t *p, uint32_t id, size_t off, size_t len)
{
	bool more = off + len < sizeof(dgram);
	uint16_t f = (uint16_t)(off | (more ? 1 : 0));

	memset(p, 0, 48);
	p[0] = 0x60;
	p[4] = (uint8_t)((8 + len) >> 8);
	p[5] = (uint8_t)(8 + len);
	p[6] = 44;
	p[7] = 64;
	p[8] = 0xfd;
	p[23] = 2;
	p[24] = 0xfd;
	p[39] = 1;
	p[40] = 17;
	p[42] = (uint8_t)(f >> 8);
	p[43] = (uint8_t)f;
	p[44] = (uint8_t)(id >> 24);
	p[47] = (uint8_t)id;
	memcpy(p + 48, dgram + off, len);
	return 48 + len;
}

struct run {
	struct kn_reasm *r;
	struct kn_capture_counters c;
	struct kn_pkt pkt;
	const uint8_t *dg;
	size_t dlen;
};

/* Feed one raw IP packet at time ts; true when it completed a UDP
 * datagram. */
static bool
feed(struct run *x, const uint8_t *p, size_t n, uint64_t ts)
{
	enum kn_err e = kn_layers_decode(KN_LINK_RAW, p, n, false, &x->pkt);

	return kn_reasm_take(x->r, &x->c, e, ts, false, &x->pkt, &x->dg,
			     &x->dlen);
}

/* A fresh reassembler (cfg NULL: the defaults) and test datagram. */
static void
start(struct run *x, const struct kn_reasm_config *cfg)
{
	make_dgram();
	memset(x, 0, sizeof(*x));
	x->r = kn_reasm_new(cfg);
	assert_non_null(x->r);
}

/* The end of the capture: timed_out fragments were still held. */
static void
finish(struct run *x, uint64_t timed_out)
{
	kn_reasm_finish(x->r, &x->c);
	assert_int_equal(x->c.frag_timed_out, timed_out);
	kn_reasm_free(x->r);
}

static void
check_whole(const struct run *x)
{
	assert_int_equal(x->pkt.proto, 17);
	assert_int_equal(x->pkt.sport, 53);
	assert_int_equal(x->pkt.dport, 40961);
	assert_int_equal(x->pkt.plen, DLEN);
	assert_memory_equal(x->pkt.payload, dgram + 8, DLEN);
	assert_int_equal(x->dlen, sizeof(dgram));
	assert_false(x->pkt.frag);
}

static void
test_v4_out_of_order(void **state)
{
	uint8_t p[2048];
	struct run x;

	(void)state;
	start(&x, NULL);
	assert_false(feed(&x, p, frag4(p, 7, 2960, 48), 1000));
	assert_false(feed(&x, p, frag4(p, 7, 0, 1480), 1001));
	/* a retransmitted copy: the same bytes, accepted */
	assert_false(feed(&x, p, frag4(p, 7, 0, 1480), 1002));
	assert_true(feed(&x, p, frag4(p, 7, 1480, 1480), 1003));
	check_whole(&x);
	assert_int_equal(x.pkt.src.family, 4);
	assert_int_equal(x.c.fragments, 4);
	assert_int_equal(x.c.reassembled, 1);
	assert_int_equal(x.c.decoded, 1);
	assert_int_equal(x.c.frag_dropped + x.c.frag_timed_out, 0);
	finish(&x, 0);
}

static void
test_v6_reverse(void **state)
{
	uint8_t p[2048];
	struct run x;

	(void)state;
	start(&x, NULL);
	assert_false(feed(&x, p, frag6(p, 9, 2464, sizeof(dgram) - 2464), 1));
	assert_false(feed(&x, p, frag6(p, 9, 1232, 1232), 2));
	/* another datagram's fragment in between */
	assert_false(feed(&x, p, frag6(p, 10, 1232, 1232), 2));
	assert_true(feed(&x, p, frag6(p, 9, 0, 1232), 3));
	check_whole(&x);
	assert_int_equal(x.pkt.src.family, 6);
	assert_int_equal(x.c.reassembled, 1);
	finish(&x, 1);
}

static void
test_overlap_other_bytes(void **state)
{
	uint8_t p[2048];
	struct run x;
	size_t n;

	(void)state;
	start(&x, NULL);
	assert_false(feed(&x, p, frag4(p, 1, 0, 1480), 1));
	n = frag4(p, 1, 1472, 1488); /* overlaps the first by 8 bytes */
	p[20] ^= 0xff;
	assert_false(feed(&x, p, n, 2));
	assert_int_equal(x.c.frag_dropped, 2);
	/* the datagram is gone: its other pieces start a new one */
	assert_false(feed(&x, p, frag4(p, 1, 1480, 1480), 3));
	assert_false(feed(&x, p, frag4(p, 1, 2960, 48), 4));
	assert_int_equal(x.c.reassembled, 0);
	finish(&x, 2);
}

static void
test_inconsistent(void **state)
{
	uint8_t p[2048];
	struct run x;
	size_t n;

	(void)state;
	start(&x, NULL);
	/* not a multiple of 8 before the last */
	assert_false(feed(&x, p, frag4(p, 2, 0, 1479), 1));
	assert_int_equal(x.c.frag_dropped, 1);
	/* two different ends */
	assert_false(feed(&x, p, frag4(p, 3, 2960, 48), 2));
	n = frag4(p, 3, 1480, 1480);
	p[7] = (uint8_t)(1480 / 8); /* MF cleared: it ends at 2960 */
	p[6] = 0;
	assert_false(feed(&x, p, n, 3));
	assert_int_equal(x.c.frag_dropped, 3);
	finish(&x, 0);
}

static void
test_timeout(void **state)
{
	uint8_t p[2048];
	struct run x;

	(void)state;
	start(&x, NULL);
	assert_false(feed(&x, p, frag4(p, 4, 0, 1480), 1000000));
	assert_false(feed(&x, p, frag4(p, 4, 2960, 48), 1000001));
	/* its last piece past the timeout (capture time): too late */
	assert_false(feed(&x, p, frag4(p, 4, 1480, 1480),
			  1000000 + KN_REASM_TIMEOUT_US + 1));
	assert_int_equal(x.c.frag_timed_out, 2);
	assert_int_equal(x.c.reassembled, 0);
	finish(&x, 3);
}

static void
test_caps(void **state)
{
	struct kn_reasm_config cfg = {2, 1u << 20, KN_REASM_TIMEOUT_US};
	uint8_t p[2048];
	struct run x;

	(void)state;
	start(&x, &cfg);
	/* three datagrams at once with room for two: the oldest goes */
	assert_false(feed(&x, p, frag4(p, 11, 0, 1480), 1));
	assert_false(feed(&x, p, frag4(p, 12, 0, 1480), 2));
	assert_false(feed(&x, p, frag4(p, 13, 0, 1480), 3));
	assert_int_equal(x.c.frag_dropped, 1);
	assert_false(feed(&x, p, frag4(p, 12, 1480, 1480), 4));
	assert_true(feed(&x, p, frag4(p, 12, 2960, 48), 5));
	check_whole(&x);
	kn_reasm_free(x.r);

	/* bytes: a datagram that cannot fit is dropped */
	cfg.max_bytes = 1024;
	start(&x, &cfg);
	assert_false(feed(&x, p, frag4(p, 14, 0, 1480), 1));
	assert_int_equal(x.c.frag_dropped, 1);
	finish(&x, 0);
}

static void
test_short_and_other(void **state)
{
	uint8_t p[2048];
	struct run x;
	size_t n;

	(void)state;
	start(&x, NULL);
	/* cut by the snaplen: truncated, not held */
	n = frag4(p, 5, 0, 1480);
	assert_false(feed(&x, p, n - 100, 1));
	assert_int_equal(x.c.truncated, 1);
	assert_int_equal(x.c.fragments, 0);
	/* an ICMP fragment: counted, not held */
	n = frag4(p, 6, 0, 1480);
	p[9] = 1;
	assert_false(feed(&x, p, n, 2));
	assert_int_equal(x.c.fragments, 1);
	finish(&x, 0);
	/* without a reassembler, fragments are only counted */
	memset(&x, 0, sizeof(x));
	n = frag4(p, 6, 0, 1480);
	assert_false(feed(&x, p, n, 2));
	assert_int_equal(x.c.fragments, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_out_of_order),
		cmocka_unit_test(test_v6_reverse),
		cmocka_unit_test(test_overlap_other_bytes),
		cmocka_unit_test(test_inconsistent),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_short_and_other),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
