/* Unit tests for the HTTP/1 head parser, the kept head (credentials
 * redacted, bounds) and the chunked state machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "k8snet/http1.h"

#define S(x) (const uint8_t *)(x), strlen(x)

static void
test_http_request(void **state)
{
	struct kn_http_head h;
	const char *req =
		"GET /a?b=1 HTTP/1.1\r\nhOsT:  web.x \r\n"
		"Content-Length: 5\r\nConnection: keep-alive\r\n\r\nhello";
	size_t i;

	(void)state;
	assert_int_equal(kn_http_head_parse(S(req), &h), KN_OK);
	assert_true(h.request);
	assert_int_equal(h.method_len, 3);
	assert_memory_equal(h.target, "/a?b=1", 6);
	assert_int_equal(h.host_len, 5);
	assert_memory_equal(h.host, "web.x", 5);
	assert_int_equal(h.content_length, 5);
	assert_true(h.conn_keepalive);
	assert_int_equal(h.head_len, strlen(req) - 5);
	/* Every shorter prefix of the head is incomplete, never an error. */
	for (i = 0; i < h.head_len; i++)
		assert_int_equal(
			kn_http_head_parse((const uint8_t *)req, i, &h),
			KN_ERR_TRUNC);
}

static void
test_http_response(void **state)
{
	struct kn_http_head h;

	(void)state;
	assert_int_equal(
		kn_http_head_parse(S("HTTP/1.1 204 No Content\r\n\r\n"), &h),
		KN_OK);
	assert_false(h.request);
	assert_int_equal(h.status, 204);
	assert_int_equal(kn_http_head_parse(S("HTTP/1.0 200\n\n"), &h), KN_OK);
	assert_int_equal(h.minor, 0);
	assert_int_equal(
		kn_http_head_parse(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
				     "gzip, chunked\r\n"
				     "Content-Length: 10\r\n\r\n"),
				   &h),
		KN_OK);
	assert_true(h.chunked);
	assert_int_equal(h.content_length, -1);
	/* Conflicting lengths, bad status, folded header: errors. */
	assert_int_equal(
		kn_http_head_parse(S("HTTP/1.1 200 OK\r\nContent-Length: "
				     "1\r\nContent-Length: 2\r\n\r\n"),
				   &h),
		KN_ERR_PARSE);
	assert_int_equal(kn_http_head_parse(S("HTTP/1.1 2x0 OK\r\n\r\n"), &h),
			 KN_ERR_PARSE);
	assert_int_equal(
		kn_http_head_parse(S("GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n"),
				   &h),
		KN_ERR_PARSE);
	assert_int_equal(kn_http_head_parse(S("GET / HTTP/2.0\r\n\r\n"), &h),
			 KN_ERR_PARSE);
	assert_true(kn_http_looks_request(S("GE")));
	assert_false(kn_http_looks_request(S("\x16\x03")));
	assert_true(kn_http_looks_response(S("HTTP/")));
}

static void
test_http_head_limit(void **state)
{
	static uint8_t big[KN_HTTP_HEAD_MAX + 10];
	struct kn_http_head h;

	(void)state;
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	assert_int_equal(kn_http_head_parse(big, sizeof(big), &h),
			 KN_ERR_LIMIT);
}

static size_t
feed_all(const char *body, size_t step, bool *done, enum kn_err *err)
{
	struct kn_http_chunked c;
	size_t off = 0, used, n = strlen(body);

	kn_http_chunked_init(&c);
	*done = false;
	*err = KN_OK;
	while (off < n && !*done) {
		size_t k = n - off < step ? n - off : step;

		*err = kn_http_chunked_feed(&c, (const uint8_t *)body + off, k,
					    &used, done);
		if (*err != KN_OK)
			break;
		off += used;
	}
	return off;
}

static void
test_http_chunked(void **state)
{
	const char *body = "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\n"
			   "Trailer: x\r\n\r\nNEXT";
	bool done;
	enum kn_err err;
	size_t step;

	(void)state;
	/* Byte by byte and in bigger pieces: the same end. */
	for (step = 1; step < 20; step++) {
		assert_int_equal(feed_all(body, step, &done, &err),
				 strlen(body) - 4);
		assert_true(done);
		assert_int_equal(err, KN_OK);
	}
	feed_all("0\r\n\r\n", 100, &done, &err);
	assert_true(done);
	feed_all("zz\r\n", 100, &done, &err);
	assert_int_equal(err, KN_ERR_PARSE);
	feed_all("\r\n", 100, &done, &err); /* no digits */
	assert_int_equal(err, KN_ERR_PARSE);
	feed_all("3\r\nabcX", 100, &done, &err); /* no CRLF after data */
	assert_int_equal(err, KN_ERR_PARSE);
	feed_all("fffffffffffffffffff\r\n", 100, &done, &err);
	assert_int_equal(err, KN_ERR_LIMIT);
	feed_all("3\r\nab", 100, &done, &err); /* incomplete: not done */
	assert_false(done);
	assert_int_equal(err, KN_OK);
}

static void
test_http_head_keep(void **state)
{
	const char *req = "GET /a HTTP/1.1\r\nHost: web.x\r\n"
			  "authorization: Bearer s3cr3t-token\r\n"
			  "X-Esc: a\x1b[2Jb\r\nCOOKIE:  sid=abc \r\n"
			  "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n\r\nbody";
	const char *resp = "HTTP/1.1 200 OK\nSet-Cookie: sid=xyz; Path=/\n"
			   "Content-Length: 0\n\n";
	char out[512];
	bool trunc;
	size_t n;

	(void)state;
	n = kn_http_head_keep(S(req), out, sizeof(out), &trunc);
	assert_false(trunc);
	out[n] = '\0';
	/* CR dropped, bytes as on the wire (escaping is the display's), the
	 * credential values gone whatever the name's case. */
	assert_string_equal(out, "GET /a HTTP/1.1\nHost: web.x\n"
				 "authorization: <redacted 19 bytes>\n"
				 "X-Esc: a\x1b[2Jb\n"
				 "COOKIE: <redacted 7 bytes>\n"
				 "Proxy-Authorization: <redacted 18 bytes>\n");
	assert_null(strstr(out, "s3cr3t"));
	assert_null(strstr(out, "Zm9v"));
	n = kn_http_head_keep(S(resp), out, sizeof(out), &trunc);
	out[n] = '\0';
	assert_string_equal(out, "HTTP/1.1 200 OK\n"
				 "Set-Cookie: <redacted 15 bytes>\n"
				 "Content-Length: 0\n");
	assert_true(kn_http_field_is_secret("Set-cookie", 10));
	assert_false(kn_http_field_is_secret("Cookies", 7));
}

static void
test_http_head_keep_bounds(void **state)
{
	const char *req = "GET /a HTTP/1.1\r\nX-Long: 0123456789\r\n"
			  "Cookie: abcdef\r\n\r\n";
	char out[64];
	bool trunc;
	size_t n;

	(void)state;
	/* A long line is cut (still '\n'-terminated) and marked. */
	memset(out, 'Z', sizeof(out));
	n = kn_http_head_keep(S(req), out, 24, &trunc);
	assert_true(trunc);
	assert_int_equal(n, 24);
	assert_memory_equal(out, "GET /a HTTP/1.1\nX-Long:\n", 24);
	assert_int_equal(out[24], 'Z'); /* nothing past cap */
	/* A redacted line is never cut: left out whole. */
	n = kn_http_head_keep(S(req), out, 40, &trunc);
	assert_true(trunc);
	assert_int_equal(n, 35);
	assert_memory_equal(out, "GET /a HTTP/1.1\nX-Long: 0123456789\n", 35);
	/* Exactly enough room: not truncated. */
	n = kn_http_head_keep(S(req), out, 62, &trunc);
	assert_false(trunc);
	assert_int_equal(n, 62);
	assert_memory_equal(out + 35, "Cookie: <redacted 6 bytes>\n", 27);
	assert_int_equal(kn_http_head_keep(S(req), out, 0, &trunc), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_request),
		cmocka_unit_test(test_http_response),
		cmocka_unit_test(test_http_head_keep),
		cmocka_unit_test(test_http_head_keep_bounds),
		cmocka_unit_test(test_http_head_limit),
		cmocka_unit_test(test_http_chunked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
