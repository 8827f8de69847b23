/* Unit tests for the kubelet's settings: config.yaml, kubeadm-flags.env,
 * the command line, and the reader's precedence under a host root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "k8snet/kubelet.h"

static void
test_config_yaml(void **state)
{
	static const char y[] = "kind: KubeletConfiguration\n"
				"clusterDNS:\n- 10.96.0.10\n- fd00::a\n"
				"clusterDomain: cluster.local\n"
				"nested:\n  clusterDomain: wrong\n";
	struct kn_kubelet k;
	char errbuf[KN_ERRBUF];

	kn_kubelet_init(&k);
	assert_int_equal(
		kn_kubelet_parse_config(y, sizeof(y) - 1, "c.yaml", &k, errbuf),
		KN_OK);
	assert_int_equal(k.ncluster_dns, 2);
	assert_string_equal(k.cluster_dns[0], "10.96.0.10");
	assert_string_equal(k.cluster_dns[1], "fd00::a");
	assert_string_equal(k.cluster_domain, "cluster.local");
	assert_true(k.sources & KN_KUBELET_FROM_CONFIG);
}

static void
test_config_errors(void **state)
{
	struct kn_kubelet k;
	char errbuf[KN_ERRBUF];

	kn_kubelet_init(&k);
	assert_int_equal(kn_kubelet_parse_config("a: [1, 2\n", 9,
						 "/var/lib/kubelet/config.yaml",
						 &k, errbuf),
			 KN_ERR_PARSE);
	assert_non_null(strstr(errbuf, "/var/lib/kubelet/config.yaml"));
	assert_int_equal(
		kn_kubelet_parse_config("- a\n", 4, "c.yaml", &k, errbuf),
		KN_ERR_PARSE);
	assert_int_equal(kn_kubelet_parse_config("", 0, "c.yaml", &k, errbuf),
			 KN_ERR_PARSE);
	/* wrong shapes are ignored */
	assert_int_equal(kn_kubelet_parse_config("clusterDNS: 10.0.0.1\n"
						 "clusterDomain: [x]\n",
						 40, "c.yaml", &k, errbuf),
			 KN_OK);
	assert_int_equal(k.ncluster_dns, 0);
	assert_string_equal(k.cluster_domain, "");
}

static void
test_flags_env(void **state)
{
	static const char q[] =
		"KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///"
		"var/run/containerd/containerd.sock --node-ip 192.168.49.2 "
		"--pod-infra-container-image=registry.k8s.io/pause:3.9\"\n";
	static const char u[] = "# comment\nKUBELET_KUBEADM_ARGS=--cgroup-"
				"driver=cgroupfs --network-plugin=cni "
				"--cluster-dns=10.0.0.10,10.0.0.11\r\n";
	struct kn_kubelet k;

	kn_kubelet_init(&k);
	assert_int_equal(kn_kubelet_parse_flags_env(q, sizeof(q) - 1, &k),
			 KN_OK);
	assert_string_equal(k.runtime_endpoint,
			    "unix:///var/run/containerd/containerd.sock");
	assert_string_equal(k.node_ip, "192.168.49.2");
	kn_kubelet_init(&k);
	assert_int_equal(kn_kubelet_parse_flags_env(u, sizeof(u) - 1, &k),
			 KN_OK);
	assert_string_equal(k.network_plugin, "cni");
	assert_int_equal(k.ncluster_dns, 2);
	assert_string_equal(k.cluster_dns[1], "10.0.0.11");
}

static void
test_cmdline(void **state)
{
	static const char c[] = "/usr/bin/kubelet\0--network-plugin=kubenet\0"
				"--cni-bin-dir\0/opt/cni/bin\0--cni-conf-dir=/"
				"etc/cni/net.d\0--cluster-domain=k.local\0"
				"--v=2\0--cni-conf-dir";
	struct kn_kubelet k;

	kn_kubelet_init(&k);
	assert_int_equal(kn_kubelet_parse_cmdline(c, sizeof(c) - 1, &k), KN_OK);
	assert_string_equal(k.network_plugin, "kubenet");
	assert_string_equal(k.cni_bin_dir, "/opt/cni/bin");
	assert_string_equal(k.cni_conf_dir, "/etc/cni/net.d");
	assert_string_equal(k.cluster_domain, "k.local");
	assert_true(k.sources & KN_KUBELET_FROM_CMDLINE);
}

static void
test_read_roots(void **state)
{
	char root[512], errbuf[KN_ERRBUF];
	struct kn_kubelet k;

	snprintf(root, sizeof(root), "%s/probe/root-calico", KN_TEST_DATA);
	assert_int_equal(kn_kubelet_read(root, &k, errbuf), KN_OK);
	assert_int_equal(k.pid, 0);
	assert_int_equal(k.ncluster_dns, 1);
	assert_string_equal(k.cluster_dns[0], "10.96.0.10");
	assert_string_equal(k.cluster_domain, "cluster.local");
	assert_string_equal(k.node_ip, "192.168.49.2");
	assert_string_equal(k.network_plugin, "");
	assert_int_equal(k.sources,
			 KN_KUBELET_FROM_CONFIG | KN_KUBELET_FROM_FLAGS_ENV);

	/* the running kubelet's flags win over its config file */
	snprintf(root, sizeof(root), "%s/probe/root-legacy", KN_TEST_DATA);
	assert_int_equal(kn_kubelet_read(root, &k, errbuf), KN_OK);
	assert_int_equal(k.pid, 4242);
	assert_int_equal(k.ncluster_dns, 2);
	assert_string_equal(k.cluster_dns[0], "10.32.0.10");
	assert_string_equal(k.cluster_dns[1], "fd00:10:32::a");
	assert_string_equal(k.cluster_domain, "k8s.example.internal");
	assert_string_equal(k.network_plugin, "cni");
	assert_string_equal(k.cni_bin_dir, "/opt/cni/bin");
	assert_string_equal(k.cni_conf_dir, "/etc/cni/net.d");
	assert_string_equal(k.config, "/var/lib/kubelet/config.yaml");
	assert_true(k.sources & KN_KUBELET_FROM_CMDLINE);

	assert_int_equal(kn_kubelet_read("/nonexistent-root", &k, errbuf),
			 KN_ERR_NOTFOUND);
	assert_non_null(strstr(errbuf, "/nonexistent-root"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_yaml),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_flags_env),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_read_roots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
