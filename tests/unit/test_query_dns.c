/* DNS lookups answered from the model (src/model/query_dns.c): the search
 * list and ndots, service, headless, ExternalName, pod, SRV and PTR names,
 * and the reason given for each NXDOMAIN and NODATA, on the cluster in
 * tests/data/snapshots/lookup.json:
 *   shop/cart     ClusterIP 10.96.0.20, port http 80/TCP, endpoint
 *                 10.244.1.20 (pod cart-1 on w1)
 *   shop/db       headless, port pg 5432/TCP; endpoints db-0 10.244.1.10
 *                 (w1) and db-1 10.244.2.11 (w2) ready, db-2 10.244.2.12
 *                 not ready
 *   shop/empty    headless, no endpoints
 *   shop/billing  ExternalName payments.example.com
 *   kube-system/kube-dns  10.96.0.10, ports dns 53/UDP and dns-tcp 53/TCP
 *   Corefile: cluster.local, "pods verified", forward . 192.0.2.53 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "k8snet/model.h"
#include "k8snet/model_query.h"
#include "testutil.h"

static int
setup(void **state)
{
	struct kn_model *m = kn_model_new();

	tu_model_load(m, "lookup.json");
	*state = m;
	return 0;
}

static int
teardown(void **state)
{
	kn_model_free(*state);
	return 0;
}

/* Try i was name, with rcode and (when not NULL) a reason containing
 * reason. */
static void
check_try(const struct kn_lookup *l, size_t i, const char *name,
	  enum kn_lookup_rcode rcode, const char *reason)
{
	assert_true(i < l->ntries);
	assert_string_equal(l->tries[i].name, name);
	if (l->tries[i].rcode != rcode)
		fail_msg("%s: %s, wanted %s (%s)", name,
			 kn_lookup_rcode_name(l->tries[i].rcode),
			 kn_lookup_rcode_name(rcode),
			 l->tries[i].reason ? l->tries[i].reason : "");
	if (reason == NULL) {
		assert_null(l->tries[i].reason);
		return;
	}
	assert_non_null(l->tries[i].reason);
	if (strstr(l->tries[i].reason, reason) == NULL)
		fail_msg("%s: reason '%s' does not say '%s'", name,
			 l->tries[i].reason, reason);
}

/* Answer i is type/value, explained by a text containing why. */
static void
check_answer(const struct kn_lookup *l, size_t i, enum kn_rr type,
	     const char *value, const char *why)
{
	assert_true(i < l->answers.n);
	assert_int_equal(l->answers.v[i].type, type);
	assert_string_equal(l->answers.v[i].value, value);
	assert_true(i < l->why.n);
	if (strstr(l->why.v[i], why) == NULL)
		fail_msg("answer %s: '%s' does not say '%s'", value,
			 l->why.v[i], why);
}

static void
test_search_path(void **state)
{
	struct kn_model *m = *state;
	struct kn_lookup l;

	/* A short name from the pod's own namespace: the first search
	 * domain answers. */
	kn_model_lookup(m, "cart", "shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	assert_int_equal(l.dots, 0);
	assert_false(l.absolute_first);
	assert_int_equal(l.search.n, 3);
	assert_string_equal(l.search.v[0], "shop.svc.cluster.local");
	assert_string_equal(l.search.v[1], "svc.cluster.local");
	assert_string_equal(l.search.v[2], "cluster.local");
	assert_int_equal(l.ntries, 1);
	check_try(&l, 0, "cart.shop.svc.cluster.local.", KN_LOOKUP_ANSWER,
		  NULL);
	assert_int_equal(l.answers.n, 1);
	check_answer(&l, 0, KN_RR_A, "10.96.0.20",
		     "ClusterIP of Service shop/cart");
	kn_lookup_release(&l);

	/* The same name from another namespace goes down the whole list,
	 * each step failing for its own reason, and ends upstream. */
	kn_model_lookup(m, "cart", NULL, &l);
	assert_string_equal(l.ns, "default");
	assert_string_equal(l.search.v[0], "default.svc.cluster.local");
	assert_int_equal(l.ntries, 4);
	check_try(&l, 0, "cart.default.svc.cluster.local.", KN_LOOKUP_NXDOMAIN,
		  "no service 'cart' in namespace 'default'");
	check_try(&l, 1, "cart.svc.cluster.local.", KN_LOOKUP_NXDOMAIN,
		  "has only a namespace");
	check_try(&l, 2, "cart.cluster.local.", KN_LOOKUP_NXDOMAIN,
		  "under neither svc.cluster.local nor pod.cluster.local");
	check_try(&l, 3, "cart.", KN_LOOKUP_UPSTREAM,
		  "CoreDNS forwards it to 192.0.2.53");
	assert_int_equal(l.rcode, KN_LOOKUP_UPSTREAM);
	assert_int_equal(l.answers.n, 0);
	kn_lookup_release(&l);

	/* NAME.NAMESPACE from elsewhere: the second search domain. */
	kn_model_lookup(m, "cart.shop", "default", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	assert_int_equal(l.ntries, 2);
	check_try(&l, 0, "cart.shop.default.svc.cluster.local.",
		  KN_LOOKUP_NXDOMAIN,
		  "no service 'shop' in namespace 'default'");
	check_try(&l, 1, "cart.shop.svc.cluster.local.", KN_LOOKUP_ANSWER,
		  NULL);
	check_answer(&l, 0, KN_RR_A, "10.96.0.20",
		     "ClusterIP of Service shop/cart");
	kn_lookup_release(&l);
}

static void
test_ndots(void **state)
{
	struct kn_model *m = *state;
	struct kn_lookup l;

	/* Four dots < ndots 5: the search list first, the name as it is
	 * last. */
	kn_model_lookup(m, "cart.shop.svc.cluster.local", "shop", &l);
	assert_int_equal(l.dots, 4);
	assert_false(l.absolute_first);
	assert_int_equal(l.ntries, 4);
	check_try(&l, 0,
		  "cart.shop.svc.cluster.local.shop.svc.cluster."
		  "local.",
		  KN_LOOKUP_NXDOMAIN, "too many labels");
	check_try(&l, 1, "cart.shop.svc.cluster.local.svc.cluster.local.",
		  KN_LOOKUP_NXDOMAIN, "too many labels");
	check_try(&l, 2, "cart.shop.svc.cluster.local.cluster.local.",
		  KN_LOOKUP_NXDOMAIN, "under neither");
	check_try(&l, 3, "cart.shop.svc.cluster.local.", KN_LOOKUP_ANSWER,
		  NULL);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	kn_lookup_release(&l);

	/* A trailing dot: that name alone. */
	kn_model_lookup(m, "cart.shop.svc.cluster.local.", "shop", &l);
	assert_true(l.absolute_first);
	assert_int_equal(l.ntries, 1);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	kn_lookup_release(&l);

	/* Five dots: the name as it is first, then the search list. */
	kn_model_lookup(m, "x.cart.shop.svc.cluster.local", "shop", &l);
	assert_int_equal(l.dots, 5);
	assert_true(l.absolute_first);
	assert_int_equal(l.ntries, 4);
	check_try(&l, 0, "x.cart.shop.svc.cluster.local.", KN_LOOKUP_NXDOMAIN,
		  "no ready endpoint named 'x' in Service shop/cart");
	check_try(&l, 1,
		  "x.cart.shop.svc.cluster.local.shop.svc.cluster."
		  "local.",
		  KN_LOOKUP_NXDOMAIN, "too many labels");
	check_try(&l, 3, "x.cart.shop.svc.cluster.local.cluster.local.",
		  KN_LOOKUP_NXDOMAIN, "under neither");
	assert_int_equal(l.rcode, KN_LOOKUP_NXDOMAIN);
	kn_lookup_release(&l);

	/* An endpoint of a ClusterIP service by its dashed address. */
	kn_model_lookup(m, "10-244-1-20.cart.shop.svc.cluster.local.", "shop",
			&l);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	assert_int_equal(l.answers.n, 1);
	check_answer(&l, 0, KN_RR_A, "10.244.1.20",
		     "endpoint address of "
		     "Service shop/cart: pod shop/cart-1 on node w1");
	kn_lookup_release(&l);
}

static void
test_headless(void **state)
{
	struct kn_model *m = *state;
	struct kn_lookup l;
	size_t i;

	/* One A record per ready endpoint; db-2 is not ready. */
	kn_model_lookup(m, "db", "shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	assert_int_equal(l.answers.n, 2);
	check_answer(&l, 0, KN_RR_A, "10.244.1.10",
		     "ready endpoint of "
		     "headless Service shop/db: pod shop/db-0 on node w1");
	check_answer(&l, 1, KN_RR_A, "10.244.2.11",
		     "ready endpoint of "
		     "headless Service shop/db: pod shop/db-1 on node w2");
	for (i = 0; i < l.answers.n; i++)
		assert_string_not_equal(l.answers.v[i].value, "10.244.2.12");
	kn_lookup_release(&l);

	/* An endpoint by its hostname. */
	kn_model_lookup(m, "db-1.db", "shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	check_try(&l, 0, "db-1.db.shop.svc.cluster.local.", KN_LOOKUP_ANSWER,
		  NULL);
	assert_int_equal(l.answers.n, 1);
	check_answer(&l, 0, KN_RR_A, "10.244.2.11",
		     "endpoint hostname "
		     "'db-1' of Service shop/db: pod shop/db-1 on node w2");
	kn_lookup_release(&l);

	/* A not-ready endpoint has no name. */
	kn_model_lookup(m, "db-2.db.shop.svc.cluster.local.", "shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_NXDOMAIN);
	check_try(&l, 0, "db-2.db.shop.svc.cluster.local.", KN_LOOKUP_NXDOMAIN,
		  "no ready endpoint named 'db-2' in Service shop/db");
	kn_lookup_release(&l);

	/* Headless without endpoints: the service name does not exist. */
	kn_model_lookup(m, "empty.shop.svc.cluster.local.", "shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_NXDOMAIN);
	check_try(&l, 0, "empty.shop.svc.cluster.local.", KN_LOOKUP_NXDOMAIN,
		  "headless Service shop/empty has no ready endpoints");
	kn_lookup_release(&l);
}

static void
test_externalname(void **state)
{
	struct kn_model *m = *state;
	struct kn_lookup l;

	kn_model_lookup(m, "billing", "shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	assert_int_equal(l.answers.n, 1);
	check_answer(&l, 0, KN_RR_CNAME, "payments.example.com.",
		     "ExternalName Service shop/billing");
	kn_lookup_release(&l);

	/* A CNAME answers an A question too ... */
	kn_model_lookup(m, "billing.shop.svc.cluster.local. A", "shop", &l);
	assert_int_equal(l.qtype, KN_RR_A);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	check_answer(&l, 0, KN_RR_CNAME, "payments.example.com.",
		     "resolves payments.example.com. outside the cluster");
	kn_lookup_release(&l);

	/* ... but not a PTR question. */
	kn_model_lookup(m, "billing.shop.svc.cluster.local. PTR", "shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_NODATA);
	assert_int_equal(l.answers.n, 0);
	check_try(&l, 0, "billing.shop.svc.cluster.local.", KN_LOOKUP_NODATA,
		  "shop/billing has CNAME records here, not PTR");
	kn_lookup_release(&l);
}

static void
test_pod_names(void **state)
{
	struct kn_model *m = *state;
	struct kn_lookup l;

	kn_model_lookup(m, "10-244-1-20.shop.pod.cluster.local.", NULL, &l);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	assert_int_equal(l.answers.n, 1);
	check_answer(&l, 0, KN_RR_A, "10.244.1.20",
		     "pod IP of Pod shop/cart-1 on node w1");
	kn_lookup_release(&l);

	/* "pods verified": the pod must be in the namespace named. */
	kn_model_lookup(m, "10-244-1-20.default.pod.cluster.local.", NULL, &l);
	assert_int_equal(l.rcode, KN_LOOKUP_NXDOMAIN);
	check_try(&l, 0, "10-244-1-20.default.pod.cluster.local.",
		  KN_LOOKUP_NXDOMAIN,
		  "no pod with address 10.244.1.20 in "
		  "namespace 'default' ('pods verified' checks)");
	kn_lookup_release(&l);

	kn_model_lookup(m, "10-244-1-20.shop.pod.cluster.local. AAAA", NULL,
			&l);
	assert_int_equal(l.rcode, KN_LOOKUP_NODATA);
	check_try(&l, 0, "10-244-1-20.shop.pod.cluster.local.",
		  KN_LOOKUP_NODATA, "pod names have A records only");
	kn_lookup_release(&l);

	kn_model_lookup(m, "shop.pod.cluster.local.", NULL, &l);
	assert_int_equal(l.rcode, KN_LOOKUP_NXDOMAIN);
	check_try(&l, 0, "shop.pod.cluster.local.", KN_LOOKUP_NXDOMAIN,
		  "a pod name is A-B-C-D.NAMESPACE.pod.DOMAIN");
	kn_lookup_release(&l);
}

static void
test_srv(void **state)
{
	struct kn_model *m = *state;
	struct kn_lookup l;

	kn_model_lookup(m, "_http._tcp.cart SRV", "shop", &l);
	assert_int_equal(l.qtype, KN_RR_SRV);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	check_try(&l, 0, "_http._tcp.cart.shop.svc.cluster.local.",
		  KN_LOOKUP_ANSWER, NULL);
	assert_int_equal(l.answers.n, 1);
	check_answer(&l, 0, KN_RR_SRV, "0 100 80 cart.shop.svc.cluster.local.",
		     "named port of Service shop/cart");
	kn_lookup_release(&l);

	/* Another namespace's service: too long for the first search
	 * domain, answered by the second. */
	kn_model_lookup(m, "_dns._udp.kube-dns.kube-system SRV", "shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	check_try(&l, 0,
		  "_dns._udp.kube-dns.kube-system.shop.svc.cluster."
		  "local.",
		  KN_LOOKUP_NXDOMAIN, "too many labels");
	check_try(&l, 1, "_dns._udp.kube-dns.kube-system.svc.cluster.local.",
		  KN_LOOKUP_ANSWER, NULL);
	check_answer(&l, 0, KN_RR_SRV,
		     "0 100 53 kube-dns.kube-system.svc."
		     "cluster.local.",
		     "named port of Service kube-system/"
		     "kube-dns");
	kn_lookup_release(&l);

	/* Headless: one record per ready endpoint, by its name. */
	kn_model_lookup(m, "_pg._tcp.db.shop.svc.cluster.local. SRV", "shop",
			&l);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	assert_int_equal(l.answers.n, 2);
	check_answer(&l, 0, KN_RR_SRV,
		     "0 50 5432 db-0.db.shop.svc.cluster."
		     "local.",
		     "named port of headless Service shop/db");
	check_answer(&l, 1, KN_RR_SRV,
		     "0 50 5432 db-1.db.shop.svc.cluster."
		     "local.",
		     "named port of headless Service shop/db");
	kn_lookup_release(&l);

	kn_model_lookup(m, "_https._tcp.cart.shop.svc.cluster.local. SRV",
			"shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_NXDOMAIN);
	check_try(&l, 0, "_https._tcp.cart.shop.svc.cluster.local.",
		  KN_LOOKUP_NXDOMAIN,
		  "no port named 'https' with protocol "
		  "'tcp' on Service shop/cart");
	kn_lookup_release(&l);
}

static void
test_unknown_namespace(void **state)
{
	struct kn_model *m = *state;
	struct kn_lookup l;

	kn_model_lookup(m, "cart.nowhere.svc.cluster.local.", "shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_NXDOMAIN);
	assert_int_equal(l.ntries, 1);
	check_try(&l, 0, "cart.nowhere.svc.cluster.local.", KN_LOOKUP_NXDOMAIN,
		  "no namespace 'nowhere'");
	kn_lookup_release(&l);

	/* Through the search list: first read as service 'nowhere' in the
	 * pod's namespace, then as namespace 'nowhere'. */
	kn_model_lookup(m, "cart.nowhere", "shop", &l);
	check_try(&l, 0, "cart.nowhere.shop.svc.cluster.local.",
		  KN_LOOKUP_NXDOMAIN,
		  "no service 'nowhere' in namespace 'shop'");
	check_try(&l, 1, "cart.nowhere.svc.cluster.local.", KN_LOOKUP_NXDOMAIN,
		  "no namespace 'nowhere'");
	kn_lookup_release(&l);
}

static void
test_wrong_type(void **state)
{
	struct kn_model *m = *state;
	struct kn_lookup l;

	/* The name exists with an A record: AAAA is NODATA, not
	 * NXDOMAIN. */
	kn_model_lookup(m, "cart.shop.svc.cluster.local. AAAA", "shop", &l);
	assert_int_equal(l.qtype, KN_RR_AAAA);
	assert_int_equal(l.rcode, KN_LOOKUP_NODATA);
	assert_int_equal(l.answers.n, 0);
	check_try(&l, 0, "cart.shop.svc.cluster.local.", KN_LOOKUP_NODATA,
		  "shop/cart has A records here, not AAAA");
	kn_lookup_release(&l);

	/* NODATA on the first name tried, NXDOMAIN on the rest: the
	 * resolver reports NODATA (glibc goes on after NODATA). */
	kn_model_lookup(m, "_http._tcp.cart.shop.svc.cluster.local A", "shop",
			&l);
	assert_true(l.absolute_first);
	assert_int_equal(l.ntries, 4);
	check_try(&l, 0, "_http._tcp.cart.shop.svc.cluster.local.",
		  KN_LOOKUP_NODATA, "shop/cart has SRV records here, not A");
	check_try(&l, 3,
		  "_http._tcp.cart.shop.svc.cluster.local.cluster."
		  "local.",
		  KN_LOOKUP_NXDOMAIN, "under neither");
	assert_int_equal(l.rcode, KN_LOOKUP_NODATA);
	kn_lookup_release(&l);
}

static void
test_reverse(void **state)
{
	struct kn_model *m = *state;
	struct kn_lookup l;

	kn_model_lookup(m, "10.96.0.20", "shop", &l);
	assert_true(l.reverse);
	assert_int_equal(l.rcode, KN_LOOKUP_ANSWER);
	check_try(&l, 0, "20.0.96.10.in-addr.arpa.", KN_LOOKUP_ANSWER, NULL);
	check_answer(&l, 0, KN_RR_PTR, "cart.shop.svc.cluster.local.",
		     "ClusterIP of Service shop/cart");
	kn_lookup_release(&l);

	/* The in-addr.arpa name asks the same. */
	kn_model_lookup(m, "11.2.244.10.in-addr.arpa", "shop", &l);
	assert_true(l.reverse);
	check_answer(&l, 0, KN_RR_PTR, "db-1.db.shop.svc.cluster.local.",
		     "endpoint of Service shop/db: pod shop/db-1 on node w2");
	kn_lookup_release(&l);

	/* A pod that is no ready endpoint has no PTR record; the note
	 * still says whose address it is. */
	kn_model_lookup(m, "10.244.2.12", "shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_NXDOMAIN);
	check_try(&l, 0, "12.2.244.10.in-addr.arpa.", KN_LOOKUP_NXDOMAIN,
		  "PTR only for service ClusterIPs and ready endpoint");
	assert_true(l.notes.n >= 1);
	assert_non_null(strstr(l.notes.v[0], "is the IP of Pod shop/db-2 on "
					     "node w2"));
	kn_lookup_release(&l);
}

static void
test_invalid(void **state)
{
	struct kn_model *m = *state;
	struct kn_lookup l;

	kn_model_lookup(m, "cart MX", "shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_INVALID);
	check_try(&l, 0, "cart", KN_LOOKUP_INVALID, "unknown record type");
	kn_lookup_release(&l);
	kn_model_lookup(m, "bad!name", "shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_INVALID);
	check_try(&l, 0, "bad!name", KN_LOOKUP_INVALID, "not a DNS name");
	kn_lookup_release(&l);
	kn_model_lookup(m, "  ", "shop", &l);
	assert_int_equal(l.rcode, KN_LOOKUP_INVALID);
	check_try(&l, 0, "", KN_LOOKUP_INVALID, "type a name");
	kn_lookup_release(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search_path),
		cmocka_unit_test(test_ndots),
		cmocka_unit_test(test_headless),
		cmocka_unit_test(test_externalname),
		cmocka_unit_test(test_pod_names),
		cmocka_unit_test(test_srv),
		cmocka_unit_test(test_unknown_namespace),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_reverse),
		cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
