/* Unit tests for the DNS decoder: sections, record texts, EDNS extended
 * rcode, truncation at every offset, pointer loops and forward pointers,
 * label and name limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "k8snet/dns.h"

/* A response for web.default.svc.cluster.local A with a CNAME, an A, an
 * SRV, and an OPT carrying extended rcode bits. */
static size_t
build_response(uint8_t *m)
{
	static const uint8_t hdr[] = {0x12, 0x34, 0x81, 0x80, 0, 1,
				      0,    3,	  0,	0,    0, 1};
	static const uint8_t qname[] = "\3web\7default\3svc\7cluster\5local";
	size_t n = 0;

	memcpy(m, hdr, sizeof(hdr));
	n = sizeof(hdr);
	memcpy(m + n, qname, sizeof(qname)); /* includes the root 0 */
	n += sizeof(qname);
	m[n++] = 0;
	m[n++] = 1;
	m[n++] = 0;
	m[n++] = 1;
	/* CNAME: name ptr to 12, rdata "x" + ptr to 12 */
	m[n++] = 0xc0;
	m[n++] = 12;
	m[n++] = 0;
	m[n++] = 5;
	m[n++] = 0;
	m[n++] = 1;
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 30;
	m[n++] = 0;
	m[n++] = 4;
	m[n++] = 1;
	m[n++] = 'x';
	m[n++] = 0xc0;
	m[n++] = 12;
	/* A 10.96.0.20 */
	m[n++] = 0xc0;
	m[n++] = 12;
	m[n++] = 0;
	m[n++] = 1;
	m[n++] = 0;
	m[n++] = 1;
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 30;
	m[n++] = 0;
	m[n++] = 4;
	m[n++] = 10;
	m[n++] = 96;
	m[n++] = 0;
	m[n++] = 20;
	/* SRV 0 5 80 ptr */
	m[n++] = 0xc0;
	m[n++] = 12;
	m[n++] = 0;
	m[n++] = 33;
	m[n++] = 0;
	m[n++] = 1;
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 30;
	m[n++] = 0;
	m[n++] = 8;
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 5;
	m[n++] = 0;
	m[n++] = 80;
	m[n++] = 0xc0;
	m[n++] = 12;
	/* OPT: root name, type 41, class 1232, ttl ext-rcode 1 */
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 41;
	m[n++] = 0x04;
	m[n++] = 0xd0;
	m[n++] = 1;
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 0;
	return n;
}

static void
test_dns_response(void **state)
{
	uint8_t m[512];
	size_t n = build_response(m);
	struct kn_dns_msg msg;
	char txt[256];

	(void)state;
	assert_int_equal(kn_dns_parse(m, n, &msg), KN_OK);
	assert_true(msg.qr);
	assert_int_equal(msg.id, 0x1234);
	assert_string_equal(msg.qname, "web.default.svc.cluster.local");
	assert_int_equal(msg.qtype, 1);
	assert_int_equal(msg.ancount, 3);
	assert_int_equal(msg.nans, 3);
	assert_true(msg.edns);
	/* extended rcode 1 << 4 | header rcode 0 = 16 (BADVERS) */
	assert_int_equal(msg.rcode, 16);
	assert_string_equal(kn_dns_rcode_name(msg.rcode), "BADVERS");
	assert_int_equal(kn_dns_rdata_text(m, n, &msg.ans[0], txt, sizeof(txt)),
			 KN_OK);
	assert_string_equal(txt, "x.web.default.svc.cluster.local.");
	kn_dns_rdata_text(m, n, &msg.ans[1], txt, sizeof(txt));
	assert_string_equal(txt, "10.96.0.20");
	kn_dns_rdata_text(m, n, &msg.ans[2], txt, sizeof(txt));
	assert_string_equal(txt, "0 5 80 web.default.svc.cluster.local.");
}

static void
test_dns_truncation_every_offset(void **state)
{
	uint8_t m[512];
	size_t n = build_response(m), i;
	struct kn_dns_msg msg;

	(void)state;
	for (i = 0; i < n; i++) {
		enum kn_err e = kn_dns_parse(m, i, &msg);

		assert_true(e == KN_ERR_TRUNC || e == KN_ERR_PARSE);
	}
}

static void
test_dns_pointer_loop_and_forward(void **state)
{
	uint8_t m[64] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
	char out[KN_DNS_NAMETXT];
	size_t next;
	struct kn_dns_msg msg;

	(void)state;
	/* Pointer to itself. */
	m[12] = 0xc0;
	m[13] = 12;
	assert_int_equal(kn_dns_name(m, 18, 12, out, sizeof(out), NULL, &next),
			 KN_ERR_PARSE);
	/* Label then a pointer back to the label: a loop. */
	m[12] = 1;
	m[13] = 'a';
	m[14] = 0xc0;
	m[15] = 12;
	assert_int_equal(kn_dns_name(m, 18, 12, out, sizeof(out), NULL, &next),
			 KN_ERR_PARSE);
	/* Forward pointer. */
	m[12] = 0xc0;
	m[13] = 16;
	m[16] = 0;
	assert_int_equal(kn_dns_name(m, 18, 12, out, sizeof(out), NULL, &next),
			 KN_ERR_PARSE);
	assert_int_not_equal(kn_dns_parse(m, 22, &msg), KN_OK);
	/* Two pointers, each strictly backwards: fine. */
	m[12] = 1;
	m[13] = 'b';
	m[14] = 0; /* "b" at 12 */
	m[15] = 1;
	m[16] = 'a';
	m[17] = 0xc0;
	m[18] = 12; /* "a.b" at 15 */
	m[19] = 0xc0;
	m[20] = 15; /* -> "a.b" */
	assert_int_equal(kn_dns_name(m, 21, 19, out, sizeof(out), NULL, &next),
			 KN_OK);
	assert_string_equal(out, "a.b");
	assert_int_equal(next, 21);
	/* Reserved label types 0x40 / 0x80. */
	m[12] = 0x41;
	assert_int_equal(kn_dns_name(m, 21, 12, out, sizeof(out), NULL, &next),
			 KN_ERR_PARSE);
}

static void
test_dns_label_and_name_limits(void **state)
{
	uint8_t m[600];
	char out[KN_DNS_NAMETXT];
	size_t next, off = 0, i;

	(void)state;
	memset(m, 'a', sizeof(m));
	m[0] = 63; /* the longest label is fine */
	m[64] = 0;
	assert_int_equal(kn_dns_name(m, 65, 0, out, sizeof(out), NULL, &next),
			 KN_OK);
	assert_int_equal(strlen(out), 63);
	/* Labels of 64+ octets have the top bits 01: rejected. */
	m[0] = 64;
	assert_int_equal(kn_dns_name(m, 66, 0, out, sizeof(out), NULL, &next),
			 KN_ERR_PARSE);
	/* 255 octets: 3 labels of 63 and one of 61 = 4*1 + 250 + root 1. */
	for (i = 0; i < 4; i++) {
		size_t l = i < 3 ? 63 : 61;

		m[off] = (uint8_t)l;
		memset(m + off + 1, 'b', l);
		off += l + 1;
	}
	m[off] = 0;
	assert_int_equal(
		kn_dns_name(m, off + 1, 0, out, sizeof(out), NULL, &next),
		KN_OK);
	m[off - 62] = 62; /* grow the last label by one: 256 octets */
	m[off - 62 + 62 + 1 - 1] = 'b';
	memset(m + off - 61, 'b', 62);
	m[off + 1] = 0;
	assert_int_equal(
		kn_dns_name(m, off + 2, 0, out, sizeof(out), NULL, &next),
		KN_ERR_PARSE);
}

static void
test_dns_texts(void **state)
{
	/* TXT with a quote, and an unknown type in RFC 3597 form. */
	uint8_t m[] = {3, 'a', '"', 'b', 0xde, 0xad};
	struct kn_dns_rr rr = {16, 1, 0, 0, 4};
	char txt[64];

	(void)state;
	assert_int_equal(kn_dns_rdata_text(m, sizeof(m), &rr, txt, sizeof(txt)),
			 KN_OK);
	assert_string_equal(txt, "\"a\\\"b\"");
	rr.type = 99;
	rr.rdoff = 4;
	rr.rdlen = 2;
	rr.type = 4242;
	assert_int_equal(kn_dns_rdata_text(m, sizeof(m), &rr, txt, sizeof(txt)),
			 KN_OK);
	assert_string_equal(txt, "\\# 2 dead");
	/* rdata beyond the message */
	rr.rdlen = 10;
	assert_int_equal(kn_dns_rdata_text(m, sizeof(m), &rr, txt, sizeof(txt)),
			 KN_ERR_TRUNC);
	/* TXT string length lying */
	rr.type = 16;
	rr.rdoff = 0;
	rr.rdlen = 3;
	assert_int_equal(kn_dns_rdata_text(m, sizeof(m), &rr, txt, sizeof(txt)),
			 KN_ERR_TRUNC);
	assert_string_equal(kn_dns_type_name(28), "AAAA");
	assert_null(kn_dns_type_name(4242));
	assert_string_equal(kn_dns_rcode_name(3), "NXDOMAIN");
	assert_null(kn_dns_rcode_name(15));
}

/* Presentation forms: numbers, then hex, base64 or a quoted string; an
 * RRSIG with its times and signer; too short for its type, the generic
 * form. */
static void
test_dns_forms(void **state)
{
	static const uint8_t sshfp[] = {1, 1, 0xf9, 0x0f};
	static const uint8_t ds[] = {0x71, 0xe4, 8, 2, 0xab, 0xcd};
	static const uint8_t key[] = {1, 1, 3, 8, 'M', 'a', 'n'};
	static const uint8_t uri[] = {0, 10, 0, 1, 'h', '"', 'x'};
	static const uint8_t caa[] = {0, 5, 'i', 's', 's', 'u', 'e', 'c', 'a'};
	static const uint8_t rrsig[] = {
		0,    44,   5,	  3,	0,    0,    3,	  0x84, /* SSHFP ... */
		0x49, 0x58, 0xad, 0xb4, 0x48, 0xe2, 0x06, 0xb4, 0x72,
		0x32, 3,    'n',  'e',	't',  0,    'M',  'a'};
	struct {
		uint16_t type;
		const uint8_t *d;
		size_t n;
		const char *want;
	} c[] = {
		{44, sshfp, sizeof(sshfp), "1 1 f90f"},
		{43, ds, sizeof(ds), "29156 8 2 abcd"},
		{52, sshfp, sizeof(sshfp), "1 1 249 0f"},
		{48, key, sizeof(key), "257 3 8 TWFu"},
		{48, key, 5, "257 3 8 TQ=="},
		{48, key, 6, "257 3 8 TWE="},
		{256, uri, sizeof(uri), "10 1 \"h\\\"x\""},
		{257, caa, sizeof(caa), "0 issue \"ca\""},
		{257, caa, 3, "\\# 3 000569"},
		{46, rrsig, sizeof(rrsig),
		 "SSHFP 5 3 900 20081229110004 20080930110004 29234 net. TWE="},
		{44, sshfp, 2, "\\# 2 0101"},
	};
	struct kn_dns_rr rr = {0, 1, 0, 0, 0};
	char txt[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		rr.type = c[i].type;
		rr.rdlen = (uint16_t)c[i].n;
		assert_int_equal(kn_dns_rdata_text(c[i].d, c[i].n, &rr, txt,
						   sizeof(txt)),
				 KN_OK);
		assert_string_equal(txt, c[i].want);
		/* one byte short of room: an error, never a cut text */
		assert_int_equal(kn_dns_rdata_text(c[i].d, c[i].n, &rr, txt,
						   strlen(c[i].want)),
				 KN_ERR_LIMIT);
	}
}

/* Mnemonics for every type and rcode IANA assigned; numbers otherwise. */
static void
test_dns_mnemonics(void **state)
{
	unsigned t, found = 0;
	const char *n;

	(void)state;
	assert_string_equal(kn_dns_type_name(1), "A");
	assert_string_equal(kn_dns_type_name(44), "SSHFP");
	assert_string_equal(kn_dns_type_name(256), "URI");
	assert_string_equal(kn_dns_type_name(255), "ANY");
	assert_string_equal(kn_dns_type_name(65), "HTTPS");
	assert_string_equal(kn_dns_type_name(32769), "DLV");
	assert_null(kn_dns_type_name(0));
	assert_null(kn_dns_type_name(54));
	assert_null(kn_dns_type_name(65535));
	/* the table is searched by halves: out of order, some of its 97
	 * names would not be found */
	for (t = 0; t <= 65535; t++) {
		n = kn_dns_type_name((uint16_t)t);
		if (n != NULL)
			found++;
	}
	assert_int_equal(found, 97);
	assert_string_equal(kn_dns_rcode_name(9), "NOTAUTH");
	assert_string_equal(kn_dns_rcode_name(11), "DSOTYPENI");
	assert_string_equal(kn_dns_rcode_name(16), "BADVERS");
	assert_string_equal(kn_dns_rcode_name(23), "BADCOOKIE");
	assert_null(kn_dns_rcode_name(12));
	assert_null(kn_dns_rcode_name(24));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_response),
		cmocka_unit_test(test_dns_truncation_every_offset),
		cmocka_unit_test(test_dns_pointer_loop_and_forward),
		cmocka_unit_test(test_dns_label_and_name_limits),
		cmocka_unit_test(test_dns_texts),
		cmocka_unit_test(test_dns_forms),
		cmocka_unit_test(test_dns_mnemonics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
