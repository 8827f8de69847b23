/* Unit tests for the nodes' port picture built from the model: roles by
 * label and by static pods, NodePorts, component names, a managed control
 * plane, the CNI DaemonSet's pods, kube-proxy's mode, and the kubelet's
 * DNS settings against the cluster. No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "k8snet/model.h"
#include "k8snet/nodeview.h"
#include "objdecode.h"
#include "testutil.h"

static void
node(struct kn_model *m, const char *name, const char *ip, const char *role)
{
	char j[1024];

	snprintf(j, sizeof(j),
		 "{\"kind\":\"Node\",\"metadata\":{\"name\":"
		 "\"%s\",\"labels\":{%s%s%s}},\"status\":{\"addresses\":"
		 "[{\"type\":\"InternalIP\",\"address\":\"%s\"}]}}",
		 name, role ? "\"node-role.kubernetes.io/" : "",
		 role ? role : "", role ? "\":\"\"" : "", ip);
	tu_model_put(m, j);
}

static void
pod(struct kn_model *m, const char *ns, const char *name, const char *nd,
    const char *owner_kind, const char *owner, bool ready)
{
	char j[1024];

	snprintf(j, sizeof(j),
		 "{\"kind\":\"Pod\",\"metadata\":{\"name\":"
		 "\"%s\",\"namespace\":\"%s\",\"ownerReferences\":[{\"kind\":"
		 "\"%s\",\"name\":\"%s\",\"controller\":true}]},\"spec\":{"
		 "\"nodeName\":\"%s\"},\"status\":{\"phase\":\"Running\","
		 "\"conditions\":[{\"type\":\"Ready\",\"status\":\"%s\"}]}}",
		 name, ns, owner_kind, owner, nd, ready ? "True" : "False");
	tu_model_put(m, j);
}

static const struct kn_probe_target *
find(const struct kn_probe_target *t, size_t n, const char *nd, uint16_t port)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].node, nd) == 0 && t[i].port == port)
			return &t[i];
	return NULL;
}

static size_t
count_node(const struct kn_probe_target *t, size_t n, const char *nd)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += strcmp(t[i].node, nd) == 0;
	return c;
}

static void
test_roles_by_label(void **state)
{
	struct kn_model *m = kn_model_new();
	struct kn_probe_target *t;
	struct kn_nv_node *nodes;
	size_t n;

	(void)state;
	node(m, "cp-1", "10.0.0.1", "control-plane");
	node(m, "old-master", "10.0.0.2", "master");
	node(m, "w-1", "10.0.0.3", NULL);
	n = kn_nodeview_nodes(m, &nodes);
	assert_int_equal(n, 3);
	assert_string_equal(nodes[0].name, "cp-1");
	assert_int_equal(nodes[0].cp, KN_CP_BY_LABEL);
	assert_int_equal(nodes[1].cp, KN_CP_BY_LABEL);
	assert_int_equal(nodes[2].cp, 0);
	free(nodes);
	assert_false(kn_nodeview_managed(m));
	assert_int_equal(kn_nodeview_targets(m, KN_PROBE_KNOWN, &t, &n), KN_OK);
	assert_int_equal(n, 6 + 6 + 2);
	assert_int_equal(count_node(t, n, "old-master"), 6);
	assert_string_equal(find(t, n, "cp-1", 6443)->component,
			    "kube-apiserver");
	assert_string_equal(find(t, n, "cp-1", 2379)->component, "etcd");
	assert_string_equal(find(t, n, "cp-1", 2380)->component, "etcd-peer");
	assert_string_equal(find(t, n, "cp-1", 10257)->component,
			    "kube-controller-manager");
	assert_string_equal(find(t, n, "cp-1", 10259)->component,
			    "kube-scheduler");
	assert_string_equal(find(t, n, "w-1", 10250)->component, "kubelet");
	assert_string_equal(find(t, n, "w-1", 10256)->component,
			    "kube-proxy-health");
	assert_null(find(t, n, "w-1", 6443));
	assert_int_equal(find(t, n, "w-1", 10250)->ip.addr[3], 3);
	assert_false(find(t, n, "w-1", 10250)->skip);
	kn_probe_targets_free(t);
	kn_model_free(m);
}

static void
test_roles_by_static_pods(void **state)
{
	struct kn_model *m = kn_model_new();
	struct kn_probe_target *t;
	struct kn_nv_node *nodes;
	size_t n;

	(void)state;
	node(m, "a", "10.0.0.1", NULL);
	node(m, "b", "10.0.0.2", NULL);
	node(m, "c", "10.0.0.3", NULL);
	node(m, "d", "10.0.0.4", "control-plane");
	pod(m, "kube-system", "kube-apiserver-a", "a", "Node", "a", true);
	pod(m, "kube-system", "etcd-b", "b", "Node", "b", true);
	pod(m, "kube-system", "etcd-d", "d", "Node", "d", true);
	/* An etcd run by an operator says nothing about its node. */
	pod(m, "kube-system", "etcd-operator-7d9", "c", "ReplicaSet",
	    "etcd-operator", true);
	/* Nor one outside kube-system. */
	pod(m, "db", "etcd-0", "c", "StatefulSet", "etcd", true);
	n = kn_nodeview_nodes(m, &nodes);
	assert_int_equal(n, 4);
	assert_int_equal(nodes[0].cp, KN_CP_BY_PODS);
	assert_int_equal(nodes[1].cp, KN_CP_BY_PODS);
	assert_int_equal(nodes[2].cp, 0);
	assert_int_equal(nodes[3].cp, KN_CP_BY_LABEL | KN_CP_BY_PODS);
	free(nodes);
	assert_int_equal(kn_nodeview_targets(m, KN_PROBE_KNOWN, &t, &n), KN_OK);
	assert_non_null(find(t, n, "a", 6443));
	assert_non_null(find(t, n, "b", 10259));
	assert_null(find(t, n, "c", 6443));
	assert_non_null(find(t, n, "c", 10256));
	kn_probe_targets_free(t);
	kn_model_free(m);
}

static void
test_nodeports_and_modes(void **state)
{
	struct kn_model *m = kn_model_new();
	struct kn_probe_target *t;
	size_t n, i;

	(void)state;
	node(m, "cp", "10.0.0.1", "control-plane");
	node(m, "w", "10.0.0.2", NULL);
	tu_model_put(
		m, "{\"kind\":\"Service\",\"metadata\":{\"name\":\"web\","
		   "\"namespace\":\"shop\"},\"spec\":{\"type\":\"NodePort\","
		   "\"clusterIP\":\"10.96.1.1\",\"ports\":[{\"port\":80,"
		   "\"nodePort\":31080},{\"name\":\"dns\",\"protocol\":\"UDP\","
		   "\"port\":53,\"nodePort\":31053}]}}");
	/* A NodePort equal to a known port is listed once, as the known. */
	tu_model_put(m, "{\"kind\":\"Service\",\"metadata\":{\"name\":\"odd\","
			"\"namespace\":\"x\"},\"spec\":{\"type\":\"NodePort\","
			"\"clusterIP\":\"10.96.1.2\",\"ports\":[{\"port\":1,"
			"\"nodePort\":30000}]}}");
	assert_int_equal(kn_nodeview_targets(m, KN_PROBE_KNOWN, &t, &n), KN_OK);
	assert_null(find(t, n, "w", 31080));
	kn_probe_targets_free(t);

	assert_int_equal(kn_nodeview_targets(m, KN_PROBE_NODEPORTS, &t, &n),
			 KN_OK);
	assert_int_equal(n, 6 + 2 + 2 * 2);
	assert_string_equal(find(t, n, "w", 31080)->component,
			    "NodePort shop/web");
	assert_string_equal(find(t, n, "cp", 31080)->component,
			    "NodePort shop/web");
	assert_string_equal(find(t, n, "cp", 30000)->component,
			    "NodePort x/odd");
	/* UDP NodePorts cannot be told open from filtered by a connect. */
	assert_null(find(t, n, "w", 31053));
	kn_probe_targets_free(t);

	assert_int_equal(kn_nodeview_targets(m, KN_PROBE_NONE, &t, &n), KN_OK);
	assert_int_equal(n, 8);
	for (i = 0; i < n; i++)
		assert_true(t[i].skip);
	kn_probe_targets_free(t);
	kn_model_free(m);
}

static void
test_managed(void **state)
{
	struct kn_model *m = kn_model_new();
	struct kn_probe_target *t;
	size_t n, i;

	(void)state;
	assert_false(kn_nodeview_managed(m)); /* no nodes: nothing to say */
	node(m, "ip-10-0-1-5", "10.0.1.5", NULL);
	node(m, "ip-10-0-2-7", "10.0.2.7", NULL);
	assert_true(kn_nodeview_managed(m));
	assert_int_equal(kn_nodeview_targets(m, KN_PROBE_KNOWN, &t, &n), KN_OK);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++)
		assert_true(t[i].port == 10250 || t[i].port == 10256);
	kn_probe_targets_free(t);
	kn_model_free(m);
}

static void
test_cni_pods_and_proxy_mode(void **state)
{
	struct kn_model *m = kn_model_new();
	const struct kn_daemonset *ds;
	uint32_t ready, total;

	(void)state;
	node(m, "n1", "10.0.0.1", NULL);
	node(m, "n2", "10.0.0.2", NULL);
	tu_model_put(
		m, "{\"kind\":\"DaemonSet\",\"metadata\":{\"name\":"
		   "\"cilium-envoy\",\"namespace\":\"kube-system\"},\"spec\":{"
		   "\"template\":{\"spec\":{\"containers\":[{\"image\":"
		   "\"quay.io/cilium/cilium-envoy:v1\"}]}}}}");
	tu_model_put(
		m,
		"{\"kind\":\"DaemonSet\",\"metadata\":{\"name\":"
		"\"cilium\",\"namespace\":\"kube-system\"},\"spec\":{"
		"\"template\":{\"spec\":"
		"{\"containers\":[{\"image\":\"quay.io/cilium/"
		"cilium:v1.15\"}]}}},"
		"\"status\":{\"desiredNumberScheduled\":2,\"numberReady\":1}}");
	pod(m, "kube-system", "cilium-aaaaa", "n1", "DaemonSet", "cilium",
	    true);
	pod(m, "kube-system", "cilium-bbbbb", "n2", "DaemonSet", "cilium",
	    false);
	pod(m, "kube-system", "cilium-envoy-c", "n2", "DaemonSet",
	    "cilium-envoy", true);
	assert_string_equal(kn_model_cni(m), "cilium");
	ds = kn_nodeview_cni_ds(m);
	assert_non_null(ds);
	assert_string_equal(ds->o.name, "cilium");
	kn_nodeview_cni_pods(m, ds, "n1", &ready, &total);
	assert_int_equal(ready, 1);
	assert_int_equal(total, 1);
	kn_nodeview_cni_pods(m, ds, "n2", &ready, &total);
	assert_int_equal(ready, 0);
	assert_int_equal(total, 1);

	assert_null(kn_nodeview_proxy_mode(m));
	tu_model_put(m,
		     "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":"
		     "\"kube-proxy\",\"namespace\":\"kube-system\"},\"data\":{"
		     "\"config.conf\":"
		     "\"kind: KubeProxyConfiguration\\nipvs:\\n  mode: rr\\n"
		     "mode: 'nftables' # new\\n\"}}");
	assert_string_equal(kn_nodeview_proxy_mode(m), "nftables");
	tu_model_put(m,
		     "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":"
		     "\"kube-proxy\",\"namespace\":\"kube-system\"},\"data\":{"
		     "\"config.conf\":"
		     "\"mode: \\\"\\\"\\n\"}}");
	assert_string_equal(kn_nodeview_proxy_mode(m), "");
	kn_model_free(m);
}

static void
test_kubelet_dns(void **state)
{
	struct kn_model *m = kn_model_new();
	struct kn_nv_host h;
	struct kn_kubelet k;

	(void)state;
	tu_model_put(m, "{\"kind\":\"Service\",\"metadata\":{\"name\":"
			"\"kube-dns\",\"namespace\":\"kube-system\"},\"spec\":{"
			"\"clusterIP\":"
			"\"10.96.0.10\",\"ports\":[{\"port\":53,\"protocol\":"
			"\"UDP\"}]}}");

	memset(&h, 0, sizeof(h));
	kn_kubelet_init(&k);
	snprintf(k.cluster_dns[0], sizeof(k.cluster_dns[0]), "10.96.0.10");
	k.ncluster_dns = 1;
	snprintf(k.cluster_domain, sizeof(k.cluster_domain), "cluster.local.");
	kn_nodeview_check_kubelet(m, &k, &h);
	assert_int_equal(h.problems.n, 0);
	assert_int_equal(h.notes.n, 0);

	snprintf(k.cluster_dns[0], sizeof(k.cluster_dns[0]), "10.96.0.11");
	snprintf(k.cluster_domain, sizeof(k.cluster_domain), "corp.local");
	kn_nodeview_check_kubelet(m, &k, &h);
	assert_int_equal(h.problems.n, 2);
	assert_non_null(strstr(h.problems.v[0],
			       "10.96.0.11 is not the "
			       "kube-dns ClusterIP 10.96.0.10"));
	assert_non_null(strstr(h.problems.v[1], "clusterDomain corp.local"));
	kn_strs_clear(&h.problems);

	/* NodeLocal DNSCache: a note, not a problem. */
	snprintf(k.cluster_dns[0], sizeof(k.cluster_dns[0]), "169.254.20.10");
	k.cluster_domain[0] = '\0';
	kn_nodeview_check_kubelet(m, &k, &h);
	assert_int_equal(h.problems.n, 0);
	assert_int_equal(h.notes.n, 1);
	kn_strs_clear(&h.notes);
	kn_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_by_label),
		cmocka_unit_test(test_roles_by_static_pods),
		cmocka_unit_test(test_nodeports_and_modes),
		cmocka_unit_test(test_managed),
		cmocka_unit_test(test_cni_pods_and_proxy_mode),
		cmocka_unit_test(test_kubelet_dns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
