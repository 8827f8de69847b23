/* Unit tests for --anonymize: consistency, one-to-one, prefix keeping,
 * captured HTTP heads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "k8snet/anon.h"
#include "anon_txn.h"
#include "k8snet/http1.h"

static const uint8_t key[] = "fixed test key";

static void
test_names_consistent(void **state)
{
	struct kn_anon *a = kn_anon_new(key, sizeof(key));
	char pod[64], svc[64];
	const char *p, *s, *d;

	(void)state;
	p = kn_anon_name(a, "frontend-7d9f8b6c5d-x2k4p");
	s = kn_anon_name(a, "frontend");
	d = kn_anon_name(a, "frontend.shop.svc.cluster.local");
	snprintf(pod, sizeof(pod), "%s", p);
	snprintf(svc, sizeof(svc), "%s", s);
	/* the shared token maps the same way everywhere */
	assert_int_equal(strncmp(pod, svc, strlen(svc)), 0);
	assert_int_equal(strncmp(d, svc, strlen(svc)), 0);
	assert_non_null(strstr(d, ".svc.cluster.local"));
	assert_null(strstr(d, "shop"));
	assert_null(strstr(pod, "7d9f8b6c5d"));
	assert_null(strstr(pod, "x2k4p"));
	/* hash-like tokens keep their length */
	assert_int_equal(strlen(pod), strlen("frontend-7d9f8b6c5d-x2k4p") -
					      strlen("frontend") + strlen(svc));
	/* same input, same output */
	assert_string_equal(kn_anon_name(a, "frontend"), svc);
	/* Kubernetes' words and short ordinals stay */
	assert_string_equal(kn_anon_name(a, "kube-system"), "kube-system");
	assert_int_equal(strcmp(kn_anon_name(a, "postgres-0") +
					strlen(kn_anon_name(a, "postgres")),
				"-0"),
			 0);
	kn_anon_free(a);
}

/* A reverse-DNS name maps to the reverse name of the mapped address. */
static void
test_ptr_names(void **state)
{
	struct kn_anon *a = kn_anon_new(key, sizeof(key));
	struct kn_ipaddr ip;
	char want[80], ip6[80];

	(void)state;
	assert_true(kn_ipaddr_parse(kn_anon_name(a, "10.96.0.20"), &ip));
	kn_ipaddr_ptr_name(&ip, want, sizeof(want));
	assert_string_equal(kn_anon_name(a, "20.0.96.10.in-addr.arpa."), want);
	want[strlen(want) - 1] = '\0';
	assert_string_equal(kn_anon_name(a, "20.0.96.10.IN-ADDR.ARPA"), want);
	assert_true(kn_ipaddr_parse(kn_anon_name(a, "fd00::a"), &ip));
	kn_ipaddr_ptr_name(&ip, want, sizeof(want));
	assert_true(kn_ipaddr_parse("fd00::a", &ip));
	kn_ipaddr_ptr_name(&ip, ip6, sizeof(ip6));
	assert_string_equal(kn_anon_name(a, ip6), want);
	/* round trip, and what is not one whole address */
	assert_true(kn_ipaddr_from_ptr(ip6, &ip));
	assert_string_equal(kn_ipaddr_format(&ip, want, sizeof(want)),
			    "fd00::a");
	assert_false(kn_ipaddr_from_ptr("0.96.10.in-addr.arpa", &ip));
	assert_false(kn_ipaddr_from_ptr("256.0.96.10.in-addr.arpa", &ip));
	assert_false(kn_ipaddr_from_ptr("01.0.96.10.in-addr.arpa", &ip));
	assert_false(kn_ipaddr_from_ptr("x.20.0.96.10.in-addr.arpa", &ip));
	assert_false(kn_ipaddr_from_ptr("in-addr.arpa", &ip));
	assert_false(kn_ipaddr_from_ptr("a.ip6.arpa", &ip));
	kn_anon_free(a);
}

static void
test_names_one_to_one(void **state)
{
	struct kn_anon *a = kn_anon_new(key, sizeof(key));
	char name[32], seen[2000][32];
	int i, j;

	(void)state;
	for (i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "svc%dname", i);
		snprintf(seen[i], sizeof(seen[i]), "%s", kn_anon_name(a, name));
		assert_string_not_equal(seen[i], name);
	}
	for (i = 0; i < 2000; i++)
		for (j = i + 1; j < 2000; j++)
			assert_string_not_equal(seen[i], seen[j]);
	/* a real name that is also a pseudonym word never maps to itself */
	assert_string_not_equal(kn_anon_name(a, "birch"), "birch");
	kn_anon_free(a);
}

static void
test_ip_prefix_preserving(void **state)
{
	struct kn_anon *a = kn_anon_new(key, sizeof(key));
	struct kn_ipaddr x, y, z;
	char buf[64];

	(void)state;
	kn_ipaddr_parse("10.244.1.7", &x);
	kn_ipaddr_parse("10.244.1.9", &y);
	kn_ipaddr_parse("10.244.2.7", &z);
	kn_anon_ip(a, &x);
	kn_anon_ip(a, &y);
	kn_anon_ip(a, &z);
	assert_int_equal(x.addr[0], 10);	    /* stays in 10/8 */
	assert_memory_equal(x.addr, y.addr, 3);	    /* same /24 */
	assert_int_not_equal(x.addr[3], y.addr[3]); /* one-to-one */
	assert_memory_equal(x.addr, z.addr, 2);	    /* same /16 */
	assert_false(x.addr[2] == z.addr[2]);
	/* the CIDR holding 10.244.1.x maps to the one holding x */
	assert_non_null(kn_anon_cidr(a, "10.244.1.0/24", buf, sizeof(buf)));
	snprintf(buf + 40, 24, "%u.%u.%u.0/24", x.addr[0], x.addr[1],
		 x.addr[2]);
	assert_string_equal(buf, buf + 40);
	/* the name form agrees with the address form */
	kn_ipaddr_format(&x, buf, sizeof(buf));
	assert_string_equal(kn_anon_name(a, "10.244.1.7"), buf);
	/* loopback kept; IPv6 ULA stays ULA */
	kn_ipaddr_parse("127.0.0.1", &x);
	kn_anon_ip(a, &x);
	assert_string_equal(kn_ipaddr_format(&x, buf, sizeof(buf)),
			    "127.0.0.1");
	kn_ipaddr_parse("fd00:10:244::5", &x);
	kn_anon_ip(a, &x);
	assert_int_equal(x.addr[0] & 0xfe, 0xfc);
	kn_anon_free(a);
}

static void
test_random_key_differs(void **state)
{
	struct kn_anon *a = kn_anon_new(NULL, 0), *b = kn_anon_new(NULL, 0);
	char x[64];

	(void)state;
	snprintf(x, sizeof(x), "%s", kn_anon_name(a, "10.1.2.3"));
	/* 24 free bits: equal by chance once in 16 million */
	assert_string_not_equal(x, kn_anon_name(b, "10.1.2.3"));
	kn_anon_free(a);
	kn_anon_free(b);
}

/* Heads: nothing that may name a host, pod or user survives; Host maps
 * as the host field does; credentials stay redacted. */
static void
test_txn_heads(void **state)
{
	static const char req[] =
		"GET /cart/alice HTTP/1.1\r\nHost: checkout.shop\r\n"
		"Referer: http://frontend.shop/basket\r\n"
		"X-Forwarded-For: 10.1.2.3\r\nUser-Agent: probe-on-node7\r\n"
		"Cookie: sid=xyz\r\nContent-Type: text/plain\r\n\r\n";
	static const char resp[] = "HTTP/1.1 302 Gone to frontend.shop\r\n"
				   "Location: http://frontend.shop/\r\n"
				   "Content-Length: 0\r\n\r\n";
	struct kn_anon *a = kn_anon_new(key, sizeof(key));
	static char raw[KN_TXN_HEADS_MAX], out[KN_TXN_HEADS_MAX];
	struct kn_txn_heads *h = (struct kn_txn_heads *)(void *)raw;
	struct kn_txn_heads *o = (struct kn_txn_heads *)(void *)out;
	struct kn_txn t;
	char text[2 * KN_TXN_HEAD_KEEP + 1], host[KN_TXN_HOST + 8];
	static char path[] = "/cart/alice", scratch[KN_ANON_TEXT];
	size_t n;
	bool cut;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.type = KN_TXN_HTTP;
	snprintf(t.u.http.host, sizeof(t.u.http.host), "checkout.shop");
	t.u.http.path = path;
	memset(h, 0, sizeof(*h));
	n = kn_http_head_keep((const uint8_t *)req, sizeof(req) - 1, h->data,
			      KN_TXN_HEAD_KEEP, &cut);
	h->len[0] = (uint16_t)n;
	h->len[1] = (uint16_t)kn_http_head_keep((const uint8_t *)resp,
						sizeof(resp) - 1, h->data + n,
						KN_TXN_HEAD_KEEP, &cut);
	t.u.http.heads = h;
	kn_anon_txn(a, &t, o, scratch);
	assert_ptr_equal(t.u.http.heads, o);
	n = (size_t)o->len[0] + o->len[1];
	memcpy(text, o->data, n);
	text[n] = '\0';
	snprintf(host, sizeof(host), "Host: %s\n", t.u.http.host);
	assert_non_null(strstr(text, host));
	assert_non_null(strstr(text, t.u.http.path));
	assert_non_null(strstr(text, "Cookie: <redacted 7 bytes>\n"));
	assert_non_null(strstr(text, "Content-Type: text/plain\n"));
	assert_non_null(strstr(text, "X-Forwarded-For: <anonymized 8 "
				     "bytes>\n"));
	assert_non_null(strstr(text, "HTTP/1.1 302\n"));
	assert_non_null(strstr(text, "Content-Length: 0\n"));
	assert_null(strstr(text, "checkout"));
	assert_null(strstr(text, "frontend"));
	assert_null(strstr(text, "alice"));
	assert_null(strstr(text, "10.1.2.3"));
	assert_null(strstr(text, "node7"));
	assert_null(strstr(text, "xyz"));
	/* The original path is not written; the copy points at the
	 * pseudonym. */
	assert_string_equal(path, "/cart/alice");
	assert_ptr_equal(t.u.http.path, scratch);
	/* No scratch: the heads and path are left out, not passed on raw. */
	t.u.http.heads = h;
	t.u.http.path = path;
	kn_anon_txn(a, &t, NULL, NULL);
	assert_null(t.u.http.heads);
	assert_string_equal(t.u.http.path, "");
	kn_anon_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_consistent),
		cmocka_unit_test(test_ptr_names),
		cmocka_unit_test(test_names_one_to_one),
		cmocka_unit_test(test_ip_prefix_preserving),
		cmocka_unit_test(test_random_key_differs),
		cmocka_unit_test(test_txn_heads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
