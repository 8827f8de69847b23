/* Unit tests of the --once printers: hostile strings from the cluster are
 * escaped in tables and JSON, -n filters, jsonl is one item per line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "k8snet/app.h"
#include "k8snet/model.h"
#include "k8snet/report.h"
#include "snapshot.h"

/* A pod and a service whose names and labels carry a terminal escape,
 * a quote, a backslash and a bidi override. */
static const char hostile[] =
	"{\"kind\":\"List\",\"items\":["
	"{\"kind\":\"Pod\",\"metadata\":{\"name\":\"evil\\u001b[2Jpod\","
	"\"namespace\":\"ns\\\"q\",\"labels\":{\"app\":\"a\\\\b\"}},"
	"\"spec\":{\"nodeName\":\"n\\u202e1\"},\"status\":{\"phase\":"
	"\"Running\",\"podIP\":\"10.0.0.5\"}},"
	"{\"kind\":\"Service\",\"metadata\":{\"name\":\"s\","
	"\"namespace\":\"other\"},\"spec\":{\"clusterIP\":\"10.96.0.5\","
	"\"ports\":[{\"name\":\"h\\u0007\",\"port\":80}]}}]}";

static char *
run(struct kn_model *m, enum kn_pane_id pane, enum kn_output fmt,
    const char *ns, int *status)
{
	struct kn_app app;
	char *text;
	long n;
	FILE *f = tmpfile();

	assert_non_null(f);
	memset(&app, 0, sizeof(app));
	app.model = m;
	app.opts.pane = pane;
	app.opts.output = fmt;
	app.opts.namespace = ns;
	*status = kn_report_run(&app, f);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

static struct kn_model *
model(void)
{
	struct kn_model *m = kn_model_new();
	struct kn_snapshot_stats st;
	char eb[KN_ERRBUF];

	memset(&st, 0, sizeof(st));
	assert_int_equal(kn_snapshot_load_mem(m, hostile, sizeof(hostile) - 1,
					      "hostile", &st, NULL, NULL, eb),
			 KN_OK);
	assert_int_equal(st.bad, 0);
	return m;
}

static void
test_table_escapes(void **state)
{
	struct kn_model *m = model();
	int status;
	char *t;

	(void)state;
	t = run(m, KN_PANE_PODS, KN_OUT_WIDE, NULL, &status);
	assert_int_equal(status, 0);
	assert_null(strchr(t, '\x1b'));
	assert_null(strstr(t, "\xe2\x80\xae")); /* U+202E */
	assert_non_null(strstr(t, "NAMESPACE"));
	assert_non_null(strstr(t, "evil"));
	free(t);
	t = run(m, KN_PANE_SERVICES, KN_OUT_TABLE, "other", &status);
	assert_int_equal(status, 0);
	/* -n drops the NAMESPACE column, as kubectl does. */
	assert_null(strstr(t, "NAMESPACE"));
	assert_non_null(strstr(t, "s.other.svc.cluster.local."));
	free(t);
	kn_model_free(m);
}

static void
test_json_valid_and_escaped(void **state)
{
	struct kn_model *m = model();
	const cJSON *items, *it;
	cJSON *doc;
	int status, p;
	char *t;

	(void)state;
	for (p = KN_PANE_PODS; p <= KN_PANE_NODES; p++) {
		t = run(m, (enum kn_pane_id)p, KN_OUT_JSON, NULL, &status);
		assert_int_equal(status, 0);
		assert_null(strchr(t, '\x1b'));
		assert_null(strchr(t, '\x07'));
		doc = cJSON_Parse(t);
		assert_non_null(doc);
		assert_string_equal(
			cJSON_GetObjectItem(doc, "pane")->valuestring,
			kn_pane_name((enum kn_pane_id)p));
		items = cJSON_GetObjectItem(doc, "items");
		assert_true(cJSON_IsArray(items));
		if (p == KN_PANE_PODS) {
			it = cJSON_GetArrayItem(items, 0);
			assert_string_equal(
				cJSON_GetObjectItem(it, "name")->valuestring,
				"evil\x1b[2Jpod");
			assert_string_equal(cJSON_GetObjectItem(it, "namespace")
						    ->valuestring,
					    "ns\"q");
		}
		if (p == KN_PANE_NODES)
			assert_true(
				cJSON_IsNull(cJSON_GetObjectItem(doc, "cni")));
		cJSON_Delete(doc);
		free(t);
	}
	kn_model_free(m);
}

static void
test_jsonl_and_filter(void **state)
{
	struct kn_model *m = model();
	int status, lines = 0;
	char *t, *c, *nl;
	cJSON *o;

	(void)state;
	t = run(m, KN_PANE_DNS, KN_OUT_JSONL, NULL, &status);
	assert_int_equal(status, 0);
	for (c = t; *c != '\0'; c = nl + 1) {
		nl = strchr(c, '\n');
		assert_non_null(nl);
		*nl = '\0';
		o = cJSON_Parse(c);
		assert_non_null(o);
		assert_non_null(cJSON_GetObjectItem(o, "type"));
		cJSON_Delete(o);
		lines++;
	}
	/* The service: A, SRV, PTR; the pod: A. */
	assert_int_equal(lines, 4);
	free(t);
	t = run(m, KN_PANE_PODS, KN_OUT_JSON, "nowhere", &status);
	assert_int_equal(status, 0);
	assert_string_equal(t, "{\"pane\":\"pods\",\"items\":[]}\n");
	free(t);
	kn_model_free(m);
}

static void
test_no_model(void **state)
{
	int status;
	char *t;

	(void)state;
	t = run(NULL, KN_PANE_PODS, KN_OUT_JSON, NULL, &status);
	assert_int_equal(status, 1);
	assert_string_equal(t, "");
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_escapes),
		cmocka_unit_test(test_json_valid_and_escaped),
		cmocka_unit_test(test_jsonl_and_filter),
		cmocka_unit_test(test_no_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
