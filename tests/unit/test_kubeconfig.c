/* Unit tests for kubeconfig parsing, merging and resolution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "k8snet/model.h"
#include "kubeconfig.h"

#define KC_DIR KN_TEST_DATA "/kube/kubeconfig"

static void
load(const char *env, const struct kubeconfig_overrides *ov,
     struct kubeconfig *kc, enum kn_err want, char *errbuf)
{
	setenv("KUBECONFIG", env, 1);
	assert_int_equal(kubeconfig_load(ov, kc, errbuf), want);
}

static void
test_merge_first_wins(void **state)
{
	struct kubeconfig_overrides ov = {0};
	struct kubeconfig kc;
	char errbuf[KN_ERRBUF];

	(void)state;
	load(KC_DIR "/a.yaml:" KC_DIR "/missing.yaml:" KC_DIR "/b.yaml", &ov,
	     &kc, KN_OK, errbuf);
	/* current-context from the first file; its user from a.yaml, not the
	 * shadowing one in b.yaml */
	assert_string_equal(kc.context, "dev");
	assert_string_equal(kc.server, "https://dev.example.test:6443");
	assert_string_equal(kc.namespace, "shop");
	assert_string_equal(kc.ca_file, KC_DIR "/certs/ca.crt");
	assert_string_equal(kc.cert_file, KC_DIR "/certs/client.crt");
	assert_string_equal(kc.key_file, "/abs/client.key");
	assert_string_equal(kc.tls_server_name, "api.dev.example.test");
	assert_null(kc.token);
	kubeconfig_release(&kc);

	/* prod: cluster "shared" is defined in both; a.yaml wins */
	ov.context = "prod";
	ov.namespace = "kube-system";
	load(KC_DIR "/a.yaml:" KC_DIR "/b.yaml", &ov, &kc, KN_OK, errbuf);
	assert_string_equal(kc.server, "https://from-a.example.test");
	assert_false(kc.insecure);
	assert_string_equal(kc.namespace, "kube-system");
	assert_string_equal(kc.exec.command, KC_DIR "/bin/plugin");
	assert_int_equal(kc.exec.nargs, 3);
	assert_string_equal(kc.exec.args[2], "prod");
	assert_int_equal(kc.exec.nenv, 1);
	assert_string_equal(kc.exec.env[0].name, "REGION");
	assert_string_equal(kc.exec.env[0].value, "eu-west-1");
	assert_string_equal(kc.exec.api_version,
			    "client.authentication.k8s.io/v1beta1");
	assert_true(kc.exec.provide_cluster_info);
	assert_string_equal(kc.user_origin, KC_DIR "/b.yaml");
	kubeconfig_release(&kc);

	/* the other order: b.yaml's current-context and cluster win */
	memset(&ov, 0, sizeof(ov));
	load(KC_DIR "/b.yaml:" KC_DIR "/a.yaml", &ov, &kc, KN_OK, errbuf);
	assert_string_equal(kc.context, "prod");
	assert_string_equal(kc.server, "https://from-b.example.test");
	assert_true(kc.insecure);
	kubeconfig_release(&kc);
}

/* The contexts :ctx chooses from: every file's, in order, once. */
static void
test_context_names(void **state)
{
	struct kubeconfig_overrides ov = {0};
	struct kn_strs names = {0};
	char errbuf[KN_ERRBUF];

	(void)state;
	setenv("KUBECONFIG",
	       KC_DIR "/a.yaml:" KC_DIR "/b.yaml:" KC_DIR "/a.yaml", 1);
	assert_int_equal(kubeconfig_contexts(&ov, &names, errbuf), KN_OK);
	assert_int_equal(names.n, 2);
	assert_string_equal(names.v[0], "dev");
	assert_string_equal(names.v[1], "prod");
	kn_strs_clear(&names);
	ov.kubeconfig = KC_DIR "/missing.yaml";
	assert_int_equal(kubeconfig_contexts(&ov, &names, errbuf),
			 KN_ERR_NOTFOUND);
	assert_int_equal(names.n, 0);
}

static void
test_overrides_and_errors(void **state)
{
	struct kubeconfig_overrides ov = {0};
	struct kubeconfig kc;
	char errbuf[KN_ERRBUF];

	(void)state;
	ov.context = "nope";
	load(KC_DIR "/a.yaml:" KC_DIR "/b.yaml", &ov, &kc, KN_ERR_NOTFOUND,
	     errbuf);
	assert_non_null(strstr(errbuf, "\"nope\""));
	assert_non_null(strstr(errbuf, "dev, prod"));
	assert_non_null(strstr(errbuf, "a.yaml"));

	ov.context = "dev";
	ov.user = "ghost";
	load(KC_DIR "/a.yaml", &ov, &kc, KN_ERR_NOTFOUND, errbuf);
	assert_non_null(strstr(errbuf, "user \"ghost\""));

	memset(&ov, 0, sizeof(ov));
	ov.context = "dev";
	ov.cluster = "shared";
	load(KC_DIR "/a.yaml", &ov, &kc, KN_OK, errbuf);
	assert_string_equal(kc.server, "https://from-a.example.test");
	kubeconfig_release(&kc);

	memset(&ov, 0, sizeof(ov));
	ov.kubeconfig = KC_DIR "/broken.yaml";
	assert_int_equal(kubeconfig_load(&ov, &kc, errbuf), KN_ERR_PARSE);
	assert_non_null(strstr(errbuf, "broken.yaml: line"));
	ov.kubeconfig = KC_DIR "/does-not-exist.yaml";
	assert_int_equal(kubeconfig_load(&ov, &kc, errbuf), KN_ERR_NOTFOUND);
	assert_non_null(strstr(errbuf, "does-not-exist.yaml"));
}

static void
test_inline_data(void **state)
{
	struct kubeconfig_overrides ov = {0};
	struct kubeconfig kc;
	char errbuf[KN_ERRBUF];

	(void)state;
	ov.kubeconfig = KC_DIR "/data.yaml";
	assert_int_equal(kubeconfig_load(&ov, &kc, errbuf), KN_OK);
	assert_int_equal(kc.ca_data.len, 8);
	assert_memory_equal(kc.ca_data.data, "hello ca", 8);
	assert_memory_equal(kc.cert_data.data, "cert", 4);
	assert_memory_equal(kc.key_data.data, "key", 3);
	assert_string_equal(kc.username, "admin");
	assert_string_equal(kc.password, "pw");
	assert_string_equal(kc.proxy_url, "http://proxy.example.test:3128");
	assert_null(kc.namespace);
	kubeconfig_release(&kc);
}

static void
test_parse_edge_cases(void **state)
{
	static const char *const bad[] = {
		"- a\n- b\n",
		"clusters: 3\n",
		"clusters:\n- cluster: {server: x}\n",
		"users:\n- name: u\n  user:\n    token: [1, 2]\n",
		("clusters:\n- name: c\n  cluster:\n"
		 "    certificate-authority-data: '!!!'\n"),
	};
	struct kc_file *f;
	char errbuf[KN_ERRBUF];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_not_equal(kc_file_parse(bad[i], strlen(bad[i]),
						   "t.yaml", &f, errbuf),
				     KN_OK);
		assert_non_null(strstr(errbuf, "t.yaml"));
	}
	assert_int_equal(kc_file_parse("", 0, "empty", &f, errbuf), KN_OK);
	kc_file_free(f);
}

static void
test_incluster(void **state)
{
	struct kubeconfig_overrides ov = {0};
	struct kubeconfig kc;
	char errbuf[KN_ERRBUF], dir[] = "/tmp/kn-sa-XXXXXX", path[128];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/token", dir);
	f = fopen(path, "w");
	fputs("t\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/namespace", dir);
	f = fopen(path, "w");
	fputs("monitoring\n", f);
	fclose(f);
	unsetenv("KUBERNETES_SERVICE_HOST");
	assert_int_equal(kubeconfig_incluster(dir, &ov, &kc, errbuf),
			 KN_ERR_NOTFOUND);
	setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	assert_int_equal(kubeconfig_incluster(dir, &ov, &kc, errbuf), KN_OK);
	assert_string_equal(kc.server, "https://[fd00::1]:443");
	assert_string_equal(kc.namespace, "monitoring");
	assert_non_null(strstr(kc.token_file, "/token"));
	assert_non_null(strstr(kc.ca_file, "/ca.crt"));
	kubeconfig_release(&kc);
	snprintf(path, sizeof(path), "%s/token", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/namespace", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_first_wins),
		cmocka_unit_test(test_context_names),
		cmocka_unit_test(test_overrides_and_errors),
		cmocka_unit_test(test_inline_data),
		cmocka_unit_test(test_parse_edge_cases),
		cmocka_unit_test(test_incluster),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
