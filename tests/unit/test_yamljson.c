/* Unit tests of the YAML reader (src/kube/yamljson.c): YAML 1.1 scalars
 * as Kubernetes resolves them, documents, anchors and merge keys, lines,
 * and hostile input (tabs, aliases that explode, invalid UTF-8, deep
 * nesting, a 10 MB file) ending in an error with its line, never a crash
 * or a hang. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "testutil.h"
#include "yamljson.h"

/* The documents of a stream, kept for the test. */
struct docs {
	cJSON *v[64];
	unsigned line[64];
	size_t n;
};

static enum kn_err
keep(void *arg, cJSON *doc, unsigned line, unsigned index, char *errbuf)
{
	struct docs *d = arg;

	assert_int_equal(index, d->n);
	if (d->n == 64) {
		cJSON_Delete(doc);
		return KN_OK;
	}
	d->line[d->n] = line;
	d->v[d->n++] = doc;
	return KN_OK;
}

static void
docs_free(struct docs *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		cJSON_Delete(d->v[i]);
	memset(d, 0, sizeof(*d));
}

static enum kn_err
read_text(const char *text, struct docs *d, char *eb)
{
	memset(d, 0, sizeof(*d));
	return kn_yaml_read(text, strlen(text), "t.yaml", keep, d, eb);
}

/* text is refused with e, and the message holds want. */
static void
refused(const char *text, enum kn_err e, const char *want)
{
	struct docs d;
	char eb[KN_ERRBUF];

	assert_int_equal(read_text(text, &d, eb), e);
	if (strstr(eb, want) == NULL)
		fail_msg("\"%s\": got \"%s\", want \"%s\"", text, eb, want);
	docs_free(&d);
}

static const cJSON *
at(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static void
test_scalars_as_kubernetes_reads_them(void **state)
{
	struct docs d;
	char eb[KN_ERRBUF];
	const cJSON *o;

	(void)state;
	assert_int_equal(read_text("a: yes\nb: Off\nc: \"yes\"\nd: 0644\n"
				   "e: 0x1F\nf: 1_000\ng: 1.5e3\nh: ~\n"
				   "i: null\nj: '80'\nk: !!str 80\n"
				   "l: !!int \"8080\"\nm: 80abc\nn: -12\n"
				   "o: .inf\np: 2024-01-01\nq:\n",
				   &d, eb),
			 KN_OK);
	assert_int_equal(d.n, 1);
	o = d.v[0];
	assert_true(cJSON_IsTrue(at(o, "a")));
	assert_true(cJSON_IsFalse(at(o, "b")));
	assert_string_equal(at(o, "c")->valuestring, "yes");
	assert_int_equal(at(o, "d")->valuedouble, 420);
	assert_int_equal(at(o, "e")->valuedouble, 31);
	assert_int_equal(at(o, "f")->valuedouble, 1000);
	assert_int_equal(at(o, "g")->valuedouble, 1500);
	assert_true(cJSON_IsNull(at(o, "h")));
	assert_true(cJSON_IsNull(at(o, "i")));
	assert_string_equal(at(o, "j")->valuestring, "80");
	assert_string_equal(at(o, "k")->valuestring, "80");
	assert_int_equal(at(o, "l")->valuedouble, 8080);
	assert_string_equal(at(o, "m")->valuestring, "80abc");
	assert_true(at(o, "n")->valuedouble == -12);
	assert_true(cJSON_IsNumber(at(o, "o")));
	assert_string_equal(at(o, "p")->valuestring, "2024-01-01");
	assert_true(cJSON_IsNull(at(o, "q")));
	docs_free(&d);
}

static void
test_documents_empty_and_comments(void **state)
{
	struct docs d;
	char eb[KN_ERRBUF];

	(void)state;
	/* leading ---, empty documents, a comment-only one, a final --- */
	assert_int_equal(read_text("# header\n---\n---\n# only a comment\n"
				   "---\nkind: A\n---\n\n---\nkind: B # x\n"
				   "...\n---\n",
				   &d, eb),
			 KN_OK);
	assert_int_equal(d.n, 6);
	assert_null(d.v[0]);
	assert_null(d.v[1]);
	assert_string_equal(at(d.v[2], "kind")->valuestring, "A");
	assert_int_equal(d.line[2], 6);
	assert_null(d.v[3]);
	assert_string_equal(at(d.v[4], "kind")->valuestring, "B");
	assert_int_equal(d.line[4], 10);
	assert_null(d.v[5]);
	docs_free(&d);
	/* nothing at all, or only comments: no document */
	assert_int_equal(read_text("", &d, eb), KN_OK);
	assert_int_equal(d.n, 0);
	assert_int_equal(read_text("# nothing\n", &d, eb), KN_OK);
	assert_int_equal(d.n, 0);
}

static void
test_anchors_aliases_merge(void **state)
{
	struct docs d;
	char eb[KN_ERRBUF];
	const cJSON *o, *b;

	(void)state;
	assert_int_equal(read_text("base: &b\n  app: web\n  tier: fe\n"
				   "ports: &p [80, 443]\n"
				   "copy: *b\nalso: *p\n"
				   "merged:\n  <<: *b\n  tier: be\n"
				   "many:\n  <<: [*b, {x: 1}]\n",
				   &d, eb),
			 KN_OK);
	o = d.v[0];
	assert_string_equal(at(at(o, "copy"), "app")->valuestring, "web");
	assert_int_equal(cJSON_GetArraySize(at(o, "also")), 2);
	b = at(o, "merged");
	assert_string_equal(at(b, "app")->valuestring, "web");
	assert_string_equal(at(b, "tier")->valuestring, "be");
	assert_null(at(b, "<<"));
	b = at(o, "many");
	assert_string_equal(at(b, "app")->valuestring, "web");
	assert_int_equal(at(b, "x")->valuedouble, 1);
	docs_free(&d);
	/* an alias before its anchor, an alias inside its own anchor */
	refused("a: *nope\n", KN_ERR_PARSE,
		"t.yaml:1:4: alias *nope has no anchor");
	refused("a: &x\n  b: *x\n", KN_ERR_PARSE,
		"t.yaml:2:6: alias *x is inside its own");
	refused("a:\n  <<: 5\n", KN_ERR_PARSE, "<<: merge a mapping");
}

static void
test_lines(void **state)
{
	struct docs d;
	char eb[KN_ERRBUF];
	const cJSON *o;

	(void)state;
	assert_int_equal(read_text("kind: List\nitems:\n- kind: A\n"
				   "  spec:\n    ports:\n    - port: 1\n"
				   "    - port: x\n- kind: B\n",
				   &d, eb),
			 KN_OK);
	o = d.v[0];
	assert_int_equal(d.line[0], 1);
	assert_int_equal(kn_yaml_line(o), 1);
	assert_int_equal(kn_yaml_line(cJSON_GetArrayItem(at(o, "items"), 0)),
			 3);
	assert_int_equal(kn_yaml_line(cJSON_GetArrayItem(at(o, "items"), 1)),
			 8);
	assert_int_equal(
		kn_yaml_path_line(cJSON_GetArrayItem(at(o, "items"), 0),
				  "spec.ports[1].port"),
		7);
	assert_int_equal(kn_yaml_path_line(o, "nothing.here"), 1);
	assert_int_equal(kn_yaml_line(at(o, "kind")), 0);
	docs_free(&d);
}

static void
test_json_is_yaml(void **state)
{
	struct docs d;
	char eb[KN_ERRBUF];

	(void)state;
	assert_int_equal(read_text("{\n\t\"kind\": \"Service\",\n\t\"a\": "
				   "\"x\\/y\\u00e9\", \"n\": 80, \"t\": true,"
				   "\n\t\"z\": null}\n",
				   &d, eb),
			 KN_OK);
	assert_string_equal(at(d.v[0], "kind")->valuestring, "Service");
	assert_string_equal(at(d.v[0], "a")->valuestring, "x/y\xc3\xa9");
	assert_int_equal(at(d.v[0], "n")->valuedouble, 80);
	assert_true(cJSON_IsTrue(at(d.v[0], "t")));
	docs_free(&d);
}

static void
test_errors_name_the_line(void **state)
{
	struct docs d;
	char eb[KN_ERRBUF];

	(void)state;
	/* a tab where YAML indents, invalid UTF-8, a key twice, a mapping
	 * as a key, a NUL in a string */
	refused("kind: A\nspec:\n\tports: []\n", KN_ERR_PARSE,
		"t.yaml:3:1: a tab");
	refused("kind: A\nname: \"caf\xe9\"\n", KN_ERR_PARSE,
		"t.yaml:2: invalid");
	refused("a: 1\nb:\n  c: 1\n  c: 2\n", KN_ERR_PARSE,
		"t.yaml:3: the mapping starting here has the key \"c\" "
		"twice");
	refused("? {a: 1}\n: 2\n", KN_ERR_PARSE, "t.yaml:1:");
	refused("a: \"x\\0y\"\n", KN_ERR_PARSE, "NUL");
	/* broken structure: the first document is kept, the error stops */
	assert_int_equal(read_text("a: 1\n---\nb: [1, 2\n", &d, eb),
			 KN_ERR_PARSE);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(eb, "t.yaml:"));
	docs_free(&d);
}

static void
test_alias_bomb_is_bounded(void **state)
{
	static const char bomb[] =
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
		"\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	struct docs d;
	char eb[KN_ERRBUF];
	clock_t t0 = clock();

	(void)state;
	assert_int_equal(read_text(bomb, &d, eb), KN_ERR_LIMIT);
	assert_non_null(strstr(eb, "t.yaml:"));
	assert_non_null(strstr(eb, "aliases copy more than 100000 nodes"));
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
	docs_free(&d);
}

static void
test_depth_is_bounded(void **state)
{
	struct docs d;
	char eb[KN_ERRBUF], *deep;
	size_t n = 100000, i;

	(void)state;
	deep = malloc(2 * n + 1);
	for (i = 0; i < n; i++) {
		deep[i] = '[';
		deep[n + i] = ']';
	}
	deep[2 * n] = '\0';
	assert_int_equal(read_text(deep, &d, eb), KN_ERR_LIMIT);
	assert_non_null(strstr(eb, "t.yaml:1:129: nested deeper than 128"));
	docs_free(&d);
	free(deep);
	/* an alias to a deep node, used deep down, is refused too */
	assert_int_equal(read_text("a: &a [[[[[[[[[[1]]]]]]]]]]\nb: "
				   "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
				   "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
				   "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
				   "[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]"
				   "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
				   "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
				   "]]]]]]]]]]]]]]]]]\n",
				   &d, eb),
			 KN_ERR_LIMIT);
	assert_non_null(strstr(eb, "alias *a nests deeper"));
	docs_free(&d);
}

static enum kn_err
count_only(void *arg, cJSON *doc, unsigned line, unsigned index, char *eb)
{
	(*(size_t *)arg)++;
	cJSON_Delete(doc);
	return KN_OK;
}

static void
test_ten_megabytes(void **state)
{
	static const char obj[] =
		"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n"
		"  labels: {app: web, tier: fe}\nspec:\n  selector: {app: "
		"web}\n  ports:\n  - {name: http, port: 80, targetPort: "
		"http}\n";
	size_t n = (10u << 20) / (sizeof(obj) - 1) + 1, i, docs = 0;
	char eb[KN_ERRBUF], *big = malloc(n * (sizeof(obj) - 1) + 1);
	clock_t t0 = clock();

	(void)state;
	for (i = 0; i < n; i++)
		memcpy(big + i * (sizeof(obj) - 1), obj, sizeof(obj) - 1);
	big[n * (sizeof(obj) - 1)] = '\0';
	assert_int_equal(kn_yaml_read(big, strlen(big), "big.yaml", count_only,
				      &docs, eb),
			 KN_OK);
	assert_int_equal(docs, n);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 10.0);
	free(big);
}

/* The callback stops the read: its error comes back. */
static enum kn_err
stop(void *arg, cJSON *doc, unsigned line, unsigned index, char *eb)
{
	cJSON_Delete(doc);
	return kn_errf(eb, KN_ERR_INVAL, "stop at %u", line);
}

static void
test_callback_stops(void **state)
{
	char eb[KN_ERRBUF];

	(void)state;
	assert_int_equal(
		kn_yaml_read("a: 1\n---\nb: 2\n", 14, "t", stop, NULL, eb),
		KN_ERR_INVAL);
	assert_string_equal(eb, "stop at 1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars_as_kubernetes_reads_them),
		cmocka_unit_test(test_documents_empty_and_comments),
		cmocka_unit_test(test_anchors_aliases_merge),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_json_is_yaml),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_alias_bomb_is_bounded),
		cmocka_unit_test(test_depth_is_bounded),
		cmocka_unit_test(test_ten_megabytes),
		cmocka_unit_test(test_callback_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
