/* Unit tests for the TLS ClientHello SNI/ALPN parser, lying lengths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "k8snet/tls.h"

static size_t
hello(uint8_t *p, const char *sni)
{
	size_t n = 0, sl = strlen(sni), ext_start, hs_start, i;

	p[n++] = 0x16;
	p[n++] = 3;
	p[n++] = 1;
	n += 2; /* record, len later */
	hs_start = n;
	p[n++] = 1;
	n += 3; /* handshake, len later */
	p[n++] = 3;
	p[n++] = 3;
	memset(p + n, 0x11, 32);
	n += 32;
	p[n++] = 0; /* session id */
	p[n++] = 0;
	p[n++] = 2;
	p[n++] = 0x13;
	p[n++] = 1; /* one suite */
	p[n++] = 1;
	p[n++] = 0; /* compression */
	ext_start = n;
	n += 2;
	/* server_name */
	p[n++] = 0;
	p[n++] = 0;
	p[n++] = 0;
	p[n++] = (uint8_t)(sl + 5);
	p[n++] = 0;
	p[n++] = (uint8_t)(sl + 3);
	p[n++] = 0;
	p[n++] = 0;
	p[n++] = (uint8_t)sl;
	memcpy(p + n, sni, sl);
	n += sl;
	/* ALPN h2, http/1.1 */
	p[n++] = 0;
	p[n++] = 16;
	p[n++] = 0;
	p[n++] = 14;
	p[n++] = 0;
	p[n++] = 12;
	p[n++] = 2;
	p[n++] = 'h';
	p[n++] = '2';
	p[n++] = 8;
	memcpy(p + n, "http/1.1", 8);
	n += 8;
	i = n - ext_start - 2;
	p[ext_start] = (uint8_t)(i >> 8);
	p[ext_start + 1] = (uint8_t)i;
	i = n - hs_start - 4;
	p[hs_start + 1] = 0;
	p[hs_start + 2] = (uint8_t)(i >> 8);
	p[hs_start + 3] = (uint8_t)i;
	i = n - 5;
	p[3] = (uint8_t)(i >> 8);
	p[4] = (uint8_t)i;
	return n;
}

static void
test_sni_ok(void **state)
{
	uint8_t p[512];
	size_t n = hello(p, "web.default.svc.cluster.local"), i;
	struct kn_tls_hello h;

	(void)state;
	assert_int_equal(kn_tls_client_hello(p, n, &h), KN_OK);
	assert_true(h.has_sni);
	assert_string_equal(h.sni, "web.default.svc.cluster.local");
	assert_string_equal(h.alpn, "h2,http/1.1");
	for (i = 0; i < n; i++)
		assert_int_not_equal(kn_tls_client_hello(p, i, &h), KN_OK);
}

static void
test_sni_lying_lengths(void **state)
{
	uint8_t p[512], q[512];
	size_t n = hello(p, "a.example"), i;
	struct kn_tls_hello h;

	(void)state;
	/* Corrupt each length byte in turn: never a crash, never a name
	 * read past its container. */
	for (i = 3; i < n; i++) {
		int d;

		for (d = 1; d < 256; d += 37) {
			memcpy(q, p, n);
			q[i] = (uint8_t)(q[i] + d);
			(void)kn_tls_client_hello(q, n, &h);
			assert_true(h.sni_len <= 255);
		}
	}
	/* SNI list length larger than the extension: error. */
	memcpy(q, p, n);
	q[57] = (uint8_t)(q[57] + 1); /* server_name list length low byte */
	assert_int_not_equal(kn_tls_client_hello(q, n, &h), KN_OK);
	/* Not a handshake. */
	q[0] = 0x17;
	assert_int_equal(kn_tls_client_hello(q, n, &h), KN_ERR_PARSE);
	assert_false(kn_tls_looks_handshake(q, n));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sni_ok),
		cmocka_unit_test(test_sni_lying_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
