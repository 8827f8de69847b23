/* Unit tests of the model's string table over time: unpinned strings
 * (label values, owner names) are freed once no object holds them, so
 * creating and deleting objects brings the table back to its size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "k8snet/intern.h"
#include "k8snet/model.h"
#include "objdecode.h"
#include "testutil.h"

static void
test_intern_sweep(void **state)
{
	struct kn_intern *in = kn_intern_new();
	const char *pinned, *kept, *gone, *later;
	const char *holder[2];
	size_t base;

	(void)state;
	pinned = kn_intern(in, "kube-system");
	base = kn_intern_count(in);
	kept = kn_intern_unpinned(in, "controller-uid-1");
	gone = kn_intern_unpinned(in, "controller-uid-2");
	later = kn_intern_unpinned(in, "web");
	assert_ptr_equal(kn_intern(in, "web"), later); /* now pinned */
	assert_ptr_equal(kn_intern_unpinned(in, "kube-system"), pinned);
	assert_int_equal(kn_intern_count(in), base + 3);
	assert_int_equal(kn_intern_unpinned_bytes(in), 2 * 17);

	holder[0] = kept;
	holder[1] = NULL;
	kn_intern_sweep_begin(in);
	kn_intern_mark_words(in, holder, sizeof(holder));
	assert_int_equal(kn_intern_sweep_end(in), 17);
	(void)gone;
	assert_int_equal(kn_intern_count(in), base + 2);
	assert_null(kn_intern_find(in, "controller-uid-2", 16));
	assert_ptr_equal(kn_intern_find(in, "controller-uid-1", 16), kept);
	assert_string_equal(kept, "controller-uid-1");
	assert_ptr_equal(kn_intern_find(in, "web", 3), later);
	assert_ptr_equal(kn_intern_find(in, "kube-system", 11), pinned);

	/* Nothing holds it any more: the next sweep frees it. */
	kn_intern_sweep_begin(in);
	assert_int_equal(kn_intern_sweep_end(in), 17);
	assert_int_equal(kn_intern_count(in), base + 1);
	assert_int_equal(kn_intern_unpinned_bytes(in), 0);
	kn_intern_free(in);
}

/* A pod of job i: unique label values and owner, shared ones too. */
static void
put_pod(struct kn_model *m, size_t i, const char *app, size_t gen)
{
	char json[1024];

	snprintf(json, sizeof(json),
		 "{\"metadata\":{\"name\":\"job-%zu-x7k2p\",\"namespace\":"
		 "\"shop\",\"labels\":{\"app\":\"%s\",\"batch.kubernetes.io/"
		 "controller-uid\":\"%08zx-1c2d-4e5f-8a9b-%012zx\","
		 "\"batch.kubernetes.io/job-name\":\"job-%zu\"},"
		 "\"ownerReferences\":[{\"kind\":\"Job\",\"name\":\"job-%zu\","
		 "\"controller\":true}]},\"spec\":{\"nodeName\":\"node-1\"},"
		 "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.1.%zu.%zu\"}"
		 "}",
		 i, app, i, gen, i, i, (i >> 8) & 255, i & 255);
	assert_int_equal(tu_model_apply(m, KN_EV_ADDED, "Pod", json), KN_OK);
}

static void
del_pod(struct kn_model *m, size_t i)
{
	char name[64];

	snprintf(name, sizeof(name), "job-%zu-x7k2p", i);
	assert_true(kn_model_delete(m, KN_POD, "shop", name));
}

static struct kn_model *
base_model(struct kn_model_strstats *base)
{
	struct kn_model *m = kn_model_new();

	tu_model_put(m, "{\"kind\":\"Service\",\"metadata\":{\"name\":\"web\","
			"\"namespace\":\"shop\"},\"spec\":{\"clusterIP\":"
			"\"10.96.0.9\",\"selector\":{\"app\":\"web\"},"
			"\"ports\":[{\"port\":80}]}}");
	put_pod(m, 0, "web", 0);
	del_pod(m, 0);
	kn_model_sweep_strings(m);
	kn_model_strings(m, base);
	return m;
}

static void
assert_baseline(struct kn_model *m, const struct kn_model_strstats *base)
{
	struct kn_model_strstats now;

	kn_model_sweep_strings(m);
	kn_model_strings(m, &now);
	assert_int_equal(now.count, base->count);
	assert_int_equal(now.unpinned, base->unpinned);
	assert_int_equal(now.bytes, base->bytes);
}

static void
test_create_delete_baseline(void **state)
{
	struct kn_model_strstats base, full;
	const struct kn_service *svc;
	struct kn_model *m = base_model(&base);
	size_t i, n = 5000;

	(void)state;
	for (i = 1; i <= n; i++)
		put_pod(m, i, i % 2 ? "web" : "batch", 0);
	kn_model_sweep_strings(m); /* everything is held */
	kn_model_strings(m, &full);
	assert_true(full.count >= base.count + 2 * n);
	assert_int_equal(kn_model_count(m, KN_POD), n);
	for (i = 1; i <= n; i++)
		del_pod(m, i);
	assert_baseline(m, &base);
	/* The selector's value outlived every pod that had it, and the
	 * next pod's label is the same pointer, so it is selected. */
	svc = (const struct kn_service *)kn_model_find(m, KN_SERVICE, "shop",
						       "web");
	assert_string_equal(svc->selector[0].value, "web");
	put_pod(m, 7, "web", 0);
	assert_ptr_equal(((const struct kn_pod *)kn_model_find(
				  m, KN_POD, "shop", "job-7-x7k2p"))
				 ->labels[0]
				 .value,
			 svc->selector[0].value);
	del_pod(m, 7);
	assert_baseline(m, &base);
	kn_model_free(m);
}

/* Updates replace pods (and relabel in place): the live pods' strings
 * stay readable, the old ones go. With deferred frees the objects taken
 * out keep theirs until kn_model_collect. */
static void
test_updates_and_deferred(void **state)
{
	struct kn_model_strstats base, mid;
	struct kn_model *m = base_model(&base);
	const struct kn_pod *p;
	const char *seen = NULL;
	char want[64];
	size_t i, gen;

	(void)state;
	kn_model_defer_frees(m, true);
	for (i = 1; i <= 200; i++)
		put_pod(m, i, "web", 0);
	for (gen = 1; gen <= 5; gen++) {
		for (i = 1; i <= 200; i++)
			put_pod(m, i, "web", gen); /* a new controller-uid */
		if (gen == 1) {
			/* what a view row shows: relabelled in place, the
			 * labels come from a block taken out at gen 2 */
			p = (const struct kn_pod *)kn_model_find(
				m, KN_POD, "shop", "job-1-x7k2p");
			seen = p->labels[1].value;
		}
	}
	/* taken out, not collected: a view may still read it */
	kn_model_sweep_strings(m);
	assert_string_equal(seen, "00000001-1c2d-4e5f-8a9b-000000000001");
	kn_model_collect(m);
	kn_model_sweep_strings(m);
	kn_model_strings(m, &mid);
	for (i = 1; i <= 200; i++) {
		snprintf(want, sizeof(want), "job-%zu-x7k2p", i);
		p = (const struct kn_pod *)kn_model_find(m, KN_POD, "shop",
							 want);
		snprintf(want, sizeof(want), "%08zx-1c2d-4e5f-8a9b-%012x", i,
			 5);
		assert_string_equal(p->labels[1].value, want);
		snprintf(want, sizeof(want), "job-%zu", i);
		assert_string_equal(p->owner_name, want);
	}
	/* held: the job names, the live uids and the first ones (still in
	 * each pod's own block, which a relabel in place keeps) */
	assert_true(mid.count <= base.count + 3 * 200);
	for (i = 1; i <= 200; i++)
		del_pod(m, i);
	kn_model_collect(m);
	assert_baseline(m, &base);
	kn_model_free(m);
}

/* Without explicit sweeps, kn_model_collect keeps the unpinned bytes
 * bounded while pods come and go. */
static void
test_collect_bounds_churn(void **state)
{
	struct kn_model_strstats base, now;
	struct kn_model *m = base_model(&base);
	size_t i, peak = 0;

	(void)state;
	kn_model_defer_frees(m, true);
	for (i = 1; i <= 60000; i++) {
		put_pod(m, i, "web", 0);
		if (i > 50)
			del_pod(m, i - 50);
		if (i % 100 == 0) {
			kn_model_collect(m);
			kn_model_strings(m, &now);
			if (now.unpinned > peak)
				peak = now.unpinned;
		}
	}
	print_message("strings: peak %zu unpinned bytes, %zu swept\n", peak,
		      now.swept);
	/* 60,000 pods intern ~3.5 MB of unique values; at most twice the
	 * sweep threshold of them are ever held. */
	assert_true(peak < 600u * 1024u);
	assert_true(now.swept > 2u * 1024u * 1024u);
	kn_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intern_sweep),
		cmocka_unit_test(test_create_delete_baseline),
		cmocka_unit_test(test_updates_and_deferred),
		cmocka_unit_test(test_collect_bounds_churn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
