/* Unit tests for link/IP/transport decoding and overlay unwrapping:
 * Ethernet and its tags, cooked, raw, loopback, NFLOG, PPP, PPPoE, MPLS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "k8snet/layers.h"

/* IPv4 (with ihl_words of header) + UDP 1234 -> 53, payload "abcd". */
static size_t
ipv4_udp(uint8_t *p, const uint8_t src[4], const uint8_t dst[4], int ihl_words,
	 uint16_t dport, const uint8_t *pl, size_t pln)
{
	size_t h = (size_t)ihl_words * 4, tot = h + 8 + pln;

	memset(p, 0, h);
	p[0] = (uint8_t)(0x40 | ihl_words);
	p[2] = (uint8_t)(tot >> 8);
	p[3] = (uint8_t)tot;
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	if (ihl_words > 5)
		memset(p + 20, 1, h - 20); /* NOP options */
	p[h] = 0x04;
	p[h + 1] = 0xd2;
	p[h + 2] = (uint8_t)(dport >> 8);
	p[h + 3] = (uint8_t)dport;
	p[h + 4] = (uint8_t)((8 + pln) >> 8);
	p[h + 5] = (uint8_t)(8 + pln);
	memcpy(p + h + 8, pl, pln);
	return tot;
}

static const uint8_t A[4] = {10, 0, 0, 1}, B[4] = {10, 0, 0, 2};
static const uint8_t N1[4] = {192, 168, 1, 1}, N2[4] = {192, 168, 1, 2};

static void
test_ether_vlan(void **state)
{
	uint8_t p[200];
	struct kn_pkt k;
	size_t n, i;

	(void)state;
	memset(p, 0, 12);
	p[12] = 0x88;
	p[13] = 0xa8;
	p[16] = 0x81;
	p[17] = 0x00; /* QinQ */
	p[20] = 0x08;
	p[21] = 0x00;
	n = 22 + ipv4_udp(p + 22, A, B, 6, 53, (const uint8_t *)"abcd", 4);
	p[n] = 0xee; /* Ethernet padding beyond the IP total length */
	assert_int_equal(kn_layers_decode(KN_LINK_ETHER, p, n + 1, false, &k),
			 KN_OK);
	assert_int_equal(k.proto, 17);
	assert_int_equal(k.dport, 53);
	assert_int_equal(k.plen, 4);
	assert_memory_equal(k.payload, "abcd", 4);
	assert_memory_equal(k.src.addr, A, 4);
	for (i = 0; i < n - 4; i++)
		assert_int_not_equal(
			kn_layers_decode(KN_LINK_ETHER, p, i, false, &k),
			KN_OK);
}

static void
test_cooked_raw_null(void **state)
{
	uint8_t p[200];
	struct kn_pkt k;
	size_t n;

	(void)state;
	memset(p, 0, 20);
	p[14] = 0x08;
	p[15] = 0x00;
	n = ipv4_udp(p + 16, A, B, 5, 53, (const uint8_t *)"x", 1);
	assert_int_equal(kn_layers_decode(KN_LINK_SLL, p, 16 + n, false, &k),
			 KN_OK);
	memset(p, 0, 20);
	p[0] = 0x08;
	p[1] = 0x00;
	n = ipv4_udp(p + 20, A, B, 5, 53, (const uint8_t *)"x", 1);
	assert_int_equal(kn_layers_decode(KN_LINK_SLL2, p, 20 + n, false, &k),
			 KN_OK);
	n = ipv4_udp(p, A, B, 5, 53, (const uint8_t *)"x", 1);
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, n, false, &k), KN_OK);
	assert_int_equal(kn_layers_decode(KN_LINK_IPV4, p, n, false, &k),
			 KN_OK);
	assert_int_equal(kn_layers_decode(KN_LINK_IPV6, p, n, false, &k),
			 KN_ERR_PARSE);
	memmove(p + 4, p, n);
	p[0] = 2;
	p[1] = 0;
	p[2] = 0;
	p[3] = 0; /* AF_INET little endian */
	assert_int_equal(kn_layers_decode(KN_LINK_NULL, p, n + 4, false, &k),
			 KN_OK);
	p[0] = 0;
	p[3] = 2;
	assert_int_equal(kn_layers_decode(KN_LINK_LOOP, p, n + 4, false, &k),
			 KN_OK);
	p[3] = 7;
	assert_int_equal(kn_layers_decode(KN_LINK_LOOP, p, n + 4, false, &k),
			 KN_ERR_UNSUPPORTED);
}

static void
test_fragments(void **state)
{
	uint8_t p[200];
	struct kn_pkt k;
	size_t n;

	(void)state;
	n = ipv4_udp(p, A, B, 5, 53, (const uint8_t *)"abcd", 4);
	p[6] = 0x20; /* MF */
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, n, false, &k),
			 KN_ERR_UNSUPPORTED);
	assert_true(k.frag);
	p[6] = 0x40; /* DF only: not a fragment */
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, n, false, &k), KN_OK);
}

/* ICMP port unreachable (RFC 792) from B about A's datagram to B:53,
 * and the ICMPv6 one (RFC 4443 3.1): the quoted datagram's ends, ports
 * and payload, the sender apart; other ICMP, a quote cut inside the UDP
 * header, or a quoted TCP segment are not decoded. */
static void
test_icmp_unreachable(void **state)
{
	uint8_t p[300], q[100];
	struct kn_pkt k;
	size_t qn, n;

	(void)state;
	qn = ipv4_udp(q, A, B, 5, 53, (const uint8_t *)"abcd", 4);
	n = ipv4_udp(p, B, A, 5, 0, q, 0) - 8; /* the IP header */
	p[9] = 1;
	memset(p + n, 0, 8);
	p[n] = 3;
	p[n + 1] = 3;
	memcpy(p + n + 8, q, qn);
	n += 8 + qn;
	p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, n, false, &k), KN_OK);
	assert_int_equal(k.icmp, KN_ICMP_PORT_UNREACH);
	assert_int_equal(k.proto, 17);
	assert_memory_equal(k.src.addr, A, 4);
	assert_memory_equal(k.dst.addr, B, 4);
	assert_memory_equal(k.icmp_from.addr, B, 4);
	assert_int_equal(k.sport, 1234);
	assert_int_equal(k.dport, 53);
	assert_int_equal(k.plen, 4);
	assert_memory_equal(k.payload, "abcd", 4);
	/* cut inside the quoted UDP header */
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, n - 8, false, &k),
			 KN_ERR_TRUNC);
	p[20 + 8 + 9] = 6; /* a quoted TCP segment */
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, n, false, &k),
			 KN_ERR_UNSUPPORTED);
	p[20 + 8 + 9] = 17;
	p[21] = 1; /* host unreachable */
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, n, false, &k),
			 KN_ERR_UNSUPPORTED);
	assert_int_equal(k.icmp, KN_ICMP_NONE);

	/* ICMPv6: ::2 tells ::1 its datagram to port 53 found no one */
	memset(p, 0, sizeof(p));
	p[0] = 0x60;
	p[6] = 58;
	p[23] = 2;
	p[39] = 1;
	p[40] = 1;
	p[41] = 4;
	memset(q, 0, 48);
	q[0] = 0x60;
	q[5] = 12;
	q[6] = 17;
	q[23] = 1;
	q[39] = 2;
	q[40] = 0x30;
	q[41] = 0x39;
	q[43] = 53;
	q[45] = 12;
	memcpy(q + 48, "wxyz", 4);
	memcpy(p + 48, q, 52);
	p[5] = 8 + 52;
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, 100, false, &k),
			 KN_OK);
	assert_int_equal(k.icmp, KN_ICMP_PORT_UNREACH);
	assert_int_equal(k.src.family, 6);
	assert_int_equal(k.src.addr[15], 1);
	assert_int_equal(k.dst.addr[15], 2);
	assert_int_equal(k.icmp_from.addr[15], 2);
	assert_int_equal(k.sport, 12345);
	assert_int_equal(k.dport, 53);
	assert_int_equal(k.plen, 4);
	p[41] = 3; /* address unreachable */
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, 100, false, &k),
			 KN_ERR_UNSUPPORTED);
}

static void
test_ipv6_ext(void **state)
{
	uint8_t p[200];
	struct kn_pkt k;
	size_t i;

	(void)state;
	memset(p, 0, sizeof(p));
	p[0] = 0x60;
	p[5] = 8 + 8 + 20; /* payload: hop-by-hop, fragment (atomic), TCP */
	p[6] = 0;	   /* hop-by-hop */
	p[7] = 64;
	p[23] = 1;
	p[39] = 2;
	p[40] = 44;
	p[41] = 0; /* next: fragment, len 8 */
	p[48] = 6; /* fragment header: next TCP */
	p[56] = 0x30;
	p[57] = 0x39;
	p[58] = 0;
	p[59] = 80;
	p[68] = 0x50;
	p[69] = 0x02; /* data offset 5, SYN */
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, 76, false, &k),
			 KN_OK);
	assert_int_equal(k.proto, 6);
	assert_int_equal(k.dport, 80);
	assert_int_equal(k.tcp_flags, KN_TCP_SYN);
	assert_int_equal(k.src.family, 6);
	for (i = 0; i < 76; i++)
		assert_int_not_equal(
			kn_layers_decode(KN_LINK_RAW, p, i, false, &k), KN_OK);
	p[50] = 0x01; /* fragment offset != 0 */
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, 76, false, &k),
			 KN_ERR_UNSUPPORTED);
	assert_true(k.frag);
}

static void
test_overlays(void **state)
{
	uint8_t inner[100], p[300], vx[200];
	struct kn_pkt k;
	size_t ni, n;

	(void)state;
	/* VXLAN: outer N1 -> N2 UDP 4789, inner Ethernet A -> B DNS. */
	memset(vx, 0, sizeof(vx));
	vx[0] = 0x08;
	memset(vx + 8, 0, 12);
	vx[20] = 0x08;
	vx[21] = 0x00;
	ni = ipv4_udp(vx + 22, A, B, 5, 53, (const uint8_t *)"q", 1);
	n = ipv4_udp(p, N1, N2, 5, 4789, vx, 22 + ni);
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, n, false, &k), KN_OK);
	assert_int_equal(k.encap, KN_ENCAP_VXLAN);
	assert_int_equal(k.dport, 53);
	assert_memory_equal(k.src.addr, A, 4);
	assert_memory_equal(k.outer_src.addr, N1, 4);
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, n, true, &k), KN_OK);
	assert_int_equal(k.dport, 4789); /* --no-decap */
	assert_int_equal(k.encap, KN_ENCAP_NONE);
	/* Geneve with one 4-byte option carrying IPv4 directly. */
	memset(vx, 0, sizeof(vx));
	vx[0] = 1;
	vx[2] = 0x08;
	vx[3] = 0x00;
	ni = ipv4_udp(vx + 12, A, B, 5, 53, (const uint8_t *)"q", 1);
	n = ipv4_udp(p, N1, N2, 5, 6081, vx, 12 + ni);
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, n, false, &k), KN_OK);
	assert_int_equal(k.encap, KN_ENCAP_GENEVE);
	assert_int_equal(k.dport, 53);
	/* IP-in-IP */
	ni = ipv4_udp(inner, A, B, 5, 53, (const uint8_t *)"q", 1);
	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = (uint8_t)((20 + ni) >> 8);
	p[3] = (uint8_t)(20 + ni);
	p[9] = 4;
	memcpy(p + 12, N1, 4);
	memcpy(p + 16, N2, 4);
	memcpy(p + 20, inner, ni);
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, 20 + ni, false, &k),
			 KN_OK);
	assert_int_equal(k.encap, KN_ENCAP_IPIP);
	assert_memory_equal(k.outer_dst.addr, N2, 4);
	assert_memory_equal(k.dst.addr, B, 4);
	assert_int_equal(kn_layers_decode(KN_LINK_RAW, p, 20 + ni, true, &k),
			 KN_ERR_UNSUPPORTED);
}

/* NFLOG's attributes walked to the payload; PPP with and without its
 * framing; PPPoE alone and in Ethernet; an MPLS stack to its bottom. Each
 * refuses lying lengths and bounds its loop. */
static void
test_more_links(void **state)
{
	uint8_t ip[64], p[200];
	struct kn_pkt k;
	uint16_t v;
	size_t n, i;

	(void)state;
	n = ipv4_udp(ip, A, B, 5, 53, (const uint8_t *)"abcd", 4);
	/* NFLOG: header, a prefix attribute (padded), the payload */
	memcpy(p, "\x02\x00\x00\x01", 4);
	v = 7;
	memcpy(p + 4, &v, 2);
	v = 10; /* NFULA_PREFIX */
	memcpy(p + 6, &v, 2);
	memcpy(p + 8, "abc\0", 4);
	v = (uint16_t)(4 + n);
	memcpy(p + 12, &v, 2);
	v = 9;
	memcpy(p + 14, &v, 2);
	memcpy(p + 16, ip, n);
	assert_int_equal(kn_layers_decode(KN_LINK_NFLOG, p, 16 + n, false, &k),
			 KN_OK);
	assert_int_equal(k.dport, 53);
	v = 200; /* the payload attribute longer than the packet */
	memcpy(p + 12, &v, 2);
	assert_int_equal(kn_layers_decode(KN_LINK_NFLOG, p, 16 + n, false, &k),
			 KN_ERR_TRUNC);
	v = 2; /* shorter than its own header */
	memcpy(p + 4, &v, 2);
	assert_int_equal(kn_layers_decode(KN_LINK_NFLOG, p, 16 + n, false, &k),
			 KN_ERR_PARSE);
	/* PPP: HDLC address and control, or neither, protocol 0x0021 */
	memcpy(p, "\xff\x03\x00\x21", 4);
	memcpy(p + 4, ip, n);
	assert_int_equal(kn_layers_decode(KN_LINK_PPP, p, 4 + n, false, &k),
			 KN_OK);
	assert_int_equal(kn_layers_decode(KN_LINK_PPP, p + 2, 2 + n, false, &k),
			 KN_OK);
	p[3] = 0x23; /* another protocol */
	assert_int_equal(kn_layers_decode(KN_LINK_PPP, p, 4 + n, false, &k),
			 KN_ERR_UNSUPPORTED);
	/* PPPoE session, its length bounding the frame */
	memcpy(p, "\x11\x00\x12\x34", 4);
	p[4] = (uint8_t)((2 + n) >> 8);
	p[5] = (uint8_t)(2 + n);
	memcpy(p + 6, "\x00\x21", 2);
	memcpy(p + 8, ip, n);
	assert_int_equal(kn_layers_decode(KN_LINK_PPPOE, p, 8 + n, false, &k),
			 KN_OK);
	p[1] = 0x09; /* discovery (PADI) */
	assert_int_equal(kn_layers_decode(KN_LINK_PPPOE, p, 8 + n, false, &k),
			 KN_ERR_UNSUPPORTED);
	/* MPLS over Ethernet: two labels, the second the bottom */
	memset(p, 0, 12);
	memcpy(p + 12, "\x88\x47", 2);
	memcpy(p + 14, "\x00\x3e\x80\x40\x00\x7d\x01\x40", 8);
	memcpy(p + 22, ip, n);
	assert_int_equal(kn_layers_decode(KN_LINK_ETHER, p, 22 + n, false, &k),
			 KN_OK);
	assert_int_equal(k.dport, 53);
	/* a stack with no bottom runs out at 8 labels */
	for (i = 0; i < 10; i++)
		memcpy(p + 14 + 4 * i, "\x00\x3e\x80\x40", 4);
	assert_int_equal(kn_layers_decode(KN_LINK_ETHER, p, 14 + 40, false, &k),
			 KN_ERR_PARSE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ether_vlan),
		cmocka_unit_test(test_cooked_raw_null),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_ipv6_ext),
		cmocka_unit_test(test_icmp_unreachable),
		cmocka_unit_test(test_overlays),
		cmocka_unit_test(test_more_links),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
