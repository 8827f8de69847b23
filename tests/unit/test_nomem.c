/* Unit tests of out-of-memory reporting in the API object decoder and
 * the snapshot loader: a failed allocation is KN_ERR_NOMEM and says "out
 * of memory", never "malformed", and leaves the model unchanged.
 *
 * calloc() is interposed here (glibc's own is __libc_calloc) so that the
 * next call can be made to fail; sanitizer builds intercept calloc
 * themselves, so there the test is skipped. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "k8snet/model.h"
#include "objdecode.h"
#include "snapshot.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define KN_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define KN_SANITIZED 1
#endif

#ifndef KN_SANITIZED
extern void *__libc_calloc(size_t n, size_t size);

static int fail_next; /* fail the next calloc() */

void *
calloc(size_t n, size_t size)
{
	if (fail_next) {
		fail_next = 0;
		return NULL;
	}
	return __libc_calloc(n, size);
}
#endif

static const char kn_pod[] =
	"{\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\","
	"\"labels\":{\"app\":\"web\"}},\"status\":{\"phase\":\"Running\"}}";
static const char kn_ns[] = "{\"metadata\":{\"name\":\"shop\"}}";

static void
decode_nomem(const char *kind, const char *json)
{
#ifdef KN_SANITIZED
	(void)kind;
	(void)json;
	skip();
#else
	struct kn_model *m = kn_model_new();
	char eb[KN_ERRBUF];
	cJSON *o = cJSON_Parse(json);
	enum kn_err e;

	assert_non_null(o);
	fail_next = 1;
	e = kn_objdecode_apply(m, KN_EV_ADDED, kind, o, eb);
	fail_next = 0;
	assert_int_equal(e, KN_ERR_NOMEM);
	assert_string_equal(eb, "out of memory");
	assert_string_equal(kn_err_str(e), "out of memory");
	assert_int_equal(
		kn_model_count(m, (enum kn_kind)kn_kind_from_name(kind)), 0);
	/* The same object decodes once memory is back. */
	assert_int_equal(kn_objdecode_apply(m, KN_EV_ADDED, kind, o, eb),
			 KN_OK);
	assert_int_equal(
		kn_model_count(m, (enum kn_kind)kn_kind_from_name(kind)), 1);
	cJSON_Delete(o);
	kn_model_free(m);
#endif
}

/* The labels' temporary array fails. */
static void
test_decode_labels_nomem(void **state)
{
	(void)state;
	decode_nomem("Pod", kn_pod);
}

/* The object's block fails. */
static void
test_decode_block_nomem(void **state)
{
	(void)state;
	decode_nomem("Namespace", kn_ns);
}

static void
test_snapshot_nomem(void **state)
{
#ifdef KN_SANITIZED
	(void)state;
	skip();
#else
	static const char list[] =
		"{\"kind\":\"PodList\",\"items\":["
		"{\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":\"y\"}}}]}";
	struct kn_model *m = kn_model_new();
	struct kn_snapshot_stats st;
	char eb[KN_ERRBUF];
	enum kn_err e;

	(void)state;
	memset(&st, 0, sizeof(st));
	fail_next = 1;
	e = kn_snapshot_load_mem(m, list, sizeof(list) - 1, "pods.json", &st,
				 NULL, NULL, eb);
	fail_next = 0;
	assert_int_equal(e, KN_ERR_NOMEM);
	assert_non_null(strstr(eb, "pods.json: items[0]"));
	assert_non_null(strstr(eb, "out of memory"));
	assert_null(strstr(eb, "malformed"));
	assert_int_equal(kn_model_count(m, KN_POD), 0);
	kn_model_free(m);
#endif
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_labels_nomem),
		cmocka_unit_test(test_decode_block_nomem),
		cmocka_unit_test(test_snapshot_nomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
