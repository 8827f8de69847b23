/* Unit tests for watch framing, ExecCredential parsing and informer
 * helpers (backoff, request paths). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "informer.h"
#include "kauth.h"
#include "watch.h"

struct lines {
	char got[8][128];
	int n;
};

static bool
collect(void *arg, const char *line, size_t len)
{
	struct lines *l = arg;

	if (l->n < 8)
		snprintf(l->got[l->n++], 128, "%.*s", (int)len, line);
	return true;
}

static void
test_framing_split_anywhere(void **state)
{
	const char *s = "{\"a\":1}\n\n{\"b\":2}\r\n{\"c\"";
	struct watch_framer w;
	struct lines l = {.n = 0};
	size_t i;

	(void)state;
	watch_framer_init(&w, 64);
	/* one byte at a time: the result must not depend on chunking */
	for (i = 0; i < strlen(s); i++)
		assert_int_equal(watch_feed(&w, s + i, 1, collect, &l), KN_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.got[0], "{\"a\":1}");
	assert_string_equal(l.got[1], "{\"b\":2}\r");
	assert_int_equal(watch_feed(&w, ":3}\n", 4, collect, &l), KN_OK);
	assert_string_equal(l.got[2], "{\"c\":3}");
	watch_framer_release(&w);
}

static void
test_framing_oversized(void **state)
{
	struct watch_framer w;
	struct lines l = {.n = 0};
	char big[100];

	(void)state;
	memset(big, 'x', sizeof(big));
	watch_framer_init(&w, 16);
	assert_int_equal(watch_feed(&w, big, sizeof(big), collect, &l),
			 KN_ERR_LIMIT);
	/* the rest of the oversized line is skipped, then framing goes on */
	assert_int_equal(watch_feed(&w, "yyy\nok\n", 7, collect, &l), KN_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.got[0], "ok");
	assert_int_equal(w.oversized, 1);
	assert_true(w.line.cap <= 17);
	watch_framer_release(&w);
}

static void
test_event_parse(void **state)
{
	struct watch_event ev;
	const char *ok = "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":"
			 "{\"resourceVersion\":\"42\"}}}";
	const char *err = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\","
			  "\"code\":410,\"reason\":\"Expired\"}}";

	(void)state;
	assert_int_equal(watch_event_parse(ok, strlen(ok), &ev), KN_OK);
	assert_int_equal(ev.type, WATCH_BOOKMARK);
	assert_string_equal(watch_object_rv(ev.object), "42");
	watch_event_release(&ev);
	assert_int_equal(watch_event_parse(err, strlen(err), &ev), KN_OK);
	assert_int_equal(ev.type, WATCH_ERROR);
	assert_int_equal(watch_status_code(ev.object), 410);
	watch_event_release(&ev);
	assert_int_equal(
		watch_event_parse("{\"type\":\"X\",\"object\":{}}", 25, &ev),
		KN_ERR_PARSE);
	assert_int_equal(watch_event_parse("[]", 2, &ev), KN_ERR_PARSE);
	assert_int_equal(watch_event_parse("{\"type\":\"ADDED\"}", 16, &ev),
			 KN_ERR_PARSE);
}

static void
test_execcred(void **state)
{
	struct kauth_cred c;
	char errbuf[KN_ERRBUF];
	const char *v1 = "{\"apiVersion\":\"client.authentication.k8s.io/v1\","
			 "\"kind\":\"ExecCredential\",\"status\":{\"token\":"
			 "\"abc\",\"expirationTimestamp\":"
			 "\"2030-01-02T03:04:05.123+01:00\"}}";
	const char *cert = "{\"apiVersion\":\"client.authentication.k8s.io/"
			   "v1beta1\",\"kind\":\"ExecCredential\",\"status\":"
			   "{\"clientCertificateData\":\"C\","
			   "\"clientKeyData\":\"K\"}}";
	const char *halfcert = "{\"apiVersion\":\"client.authentication.k8s."
			       "io/v1\",\"kind\":\"ExecCredential\",\"status"
			       "\":{\"clientCertificateData\":\"C\"}}";

	(void)state;
	assert_int_equal(kauth_parse_execcred(v1, strlen(v1),
					      "client.authentication.k8s.io/v1",
					      &c, errbuf),
			 KN_OK);
	assert_string_equal(c.token, "abc");
	assert_int_equal((long long)c.expires, 1893549845LL);
	kauth_cred_release(&c);
	/* apiVersion must match the kubeconfig's */
	assert_int_equal(kauth_parse_execcred(v1, strlen(v1),
					      "client.authentication.k8s.io/"
					      "v1beta1",
					      &c, errbuf),
			 KN_ERR_PARSE);
	assert_int_equal(
		kauth_parse_execcred(cert, strlen(cert), NULL, &c, errbuf),
		KN_OK);
	assert_int_equal(c.cert.len, 1);
	assert_int_equal(c.key.len, 1);
	kauth_cred_release(&c);
	assert_int_equal(kauth_parse_execcred(halfcert, strlen(halfcert), NULL,
					      &c, errbuf),
			 KN_ERR_PARSE);
	assert_int_equal(kauth_parse_execcred("nope", 4, NULL, &c, errbuf),
			 KN_ERR_PARSE);
	/* the error never echoes the credential */
	assert_null(strstr(errbuf, "abc"));
}

static void
test_rfc3339(void **state)
{
	time_t t;

	(void)state;
	assert_true(kauth_parse_rfc3339("1970-01-01T00:00:00Z", &t));
	assert_int_equal((long long)t, 0);
	assert_true(kauth_parse_rfc3339("1970-01-01T01:00:00+01:00", &t));
	assert_int_equal((long long)t, 0);
	assert_false(kauth_parse_rfc3339("1970-01-01", &t));
	assert_false(kauth_parse_rfc3339("1970-13-01T00:00:00Z", &t));
	assert_false(kauth_parse_rfc3339("1970-01-01T00:00:00Zjunk", &t));
}

static void
test_backoff_and_paths(void **state)
{
	struct informer_spec s = {.group = "",
				  .version = "v1",
				  .plural = "configmaps",
				  .kind = "ConfigMap",
				  .namespaced = true,
				  .namespace = "kube-system",
				  .field_selector = "metadata.name=coredns"};
	char p[512];

	(void)state;
	assert_int_equal(informer_backoff_ms(1, 1.0, -1), 500);
	assert_int_equal(informer_backoff_ms(1, 0.0, -1), 250);
	assert_int_equal(informer_backoff_ms(2, 1.0, -1), 1000);
	assert_int_equal(informer_backoff_ms(30, 1.0, -1), 30000);
	assert_int_equal(informer_backoff_ms(30, 0.0, -1), 15000);
	assert_int_equal(informer_backoff_ms(1, 0.5, 7), 7000);
	informer_path(&s, false, NULL, "a b", 0, p, sizeof(p));
	assert_string_equal(p, "/api/v1/namespaces/kube-system/configmaps?"
			       "limit=500&continue=a%20b&fieldSelector="
			       "metadata.name%3Dcoredns");
	s.group = "networking.k8s.io";
	s.plural = "ingresses";
	s.namespace = NULL;
	s.field_selector = NULL;
	informer_path(&s, true, "123", NULL, 300, p, sizeof(p));
	assert_string_equal(p, "/apis/networking.k8s.io/v1/ingresses?watch=1&"
			       "allowWatchBookmarks=true&timeoutSeconds=300&"
			       "resourceVersion=123");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framing_split_anywhere),
		cmocka_unit_test(test_framing_oversized),
		cmocka_unit_test(test_event_parse),
		cmocka_unit_test(test_execcred),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_backoff_and_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
