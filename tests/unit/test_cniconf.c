/* Unit tests for CNI configuration parsing, file choice, plugin binaries,
 * flannel's subnet.env and the overlay backend from interface names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "k8snet/cniconf.h"
#include "testutil.h"

static void
parse_fixture(const char *name, struct kn_cniconf *c)
{
	char errbuf[KN_ERRBUF], rel[256];
	size_t len;
	char *b;

	snprintf(rel, sizeof(rel), "probe/cni/%s", name);
	b = tu_data(rel, &len);

	assert_int_equal(kn_cniconf_parse(b, len, name, c, errbuf), KN_OK);
	free(b);
}

static void
test_flannel(void **state)
{
	struct kn_cniconf c;

	parse_fixture("10-flannel.conflist", &c);
	assert_true(c.conflist);
	assert_string_equal(c.file, "10-flannel.conflist");
	assert_string_equal(c.name, "cbr0");
	assert_string_equal(c.cni_version, "0.3.1");
	assert_int_equal(c.nplugins, 2);
	assert_string_equal(c.plugins[0].type, "flannel");
	assert_string_equal(c.plugins[1].type, "portmap");
	assert_string_equal(c.detected, "flannel");
	assert_int_equal(c.mtu, 0);
	assert_int_equal(c.nsubnets, 0);
}

static void
test_calico(void **state)
{
	struct kn_cniconf c;

	parse_fixture("10-calico.conflist", &c);
	assert_string_equal(c.name, "k8s-pod-network");
	assert_int_equal(c.nplugins, 3);
	assert_string_equal(c.plugins[0].type, "calico");
	assert_string_equal(c.plugins[0].ipam_type, "calico-ipam");
	assert_string_equal(c.plugins[2].type, "bandwidth");
	assert_string_equal(c.ipam_type, "calico-ipam");
	assert_int_equal(c.mtu, 1440);
	assert_int_equal(c.nsubnets, 1);
	assert_string_equal(c.subnets[0], "192.168.0.0/16");
	assert_string_equal(c.detected, "calico");

	parse_fixture("10-calico-hostlocal.conflist", &c);
	assert_string_equal(c.ipam_type, "host-local");
	assert_string_equal(c.subnets[0], "usePodCidr");
	assert_int_equal(c.mtu, 1450);
	assert_string_equal(c.detected, "calico");
}

static void
test_cilium(void **state)
{
	struct kn_cniconf c;

	parse_fixture("05-cilium.conflist", &c);
	assert_true(c.conflist);
	assert_int_equal(c.nplugins, 1);
	assert_string_equal(c.plugins[0].type, "cilium-cni");
	assert_string_equal(c.detected, "cilium");
	/* the older single-plugin .conf */
	parse_fixture("05-cilium.conf", &c);
	assert_false(c.conflist);
	assert_int_equal(c.nplugins, 1);
	assert_string_equal(c.detected, "cilium");
}

static void
test_bridge_ranges(void **state)
{
	struct kn_cniconf c;

	parse_fixture("10-containerd-net.conflist", &c);
	assert_string_equal(c.cni_version, "1.0.0");
	assert_string_equal(c.ipam_type, "host-local");
	assert_int_equal(c.nsubnets, 2);
	assert_string_equal(c.subnets[0], "10.88.0.0/16");
	assert_string_equal(c.subnets[1], "2001:4860:4860::/64");
	assert_string_equal(c.detected, "bridge");
}

static void
test_errors(void **state)
{
	static const char wrong[] =
		"{\"type\":\"calico\",\"mtu\":\"9000\",\"ipam\":[1]}";
	struct kn_cniconf c;
	char errbuf[KN_ERRBUF];
	size_t len;
	char *b = tu_data("probe/cni/bad.conflist", &len);

	assert_int_equal(kn_cniconf_parse(b, len, "/etc/cni/net.d/bad.conflist",
					  &c, errbuf),
			 KN_ERR_PARSE);
	assert_non_null(strstr(errbuf, "/etc/cni/net.d/bad.conflist"));
	free(b);
	assert_int_equal(kn_cniconf_parse("[1]", 3, "x.conf", &c, errbuf),
			 KN_ERR_PARSE);
	assert_int_equal(
		kn_cniconf_parse("{\"name\":\"n\"}", 12, "x.conf", &c, errbuf),
		KN_ERR_PARSE);
	assert_non_null(strstr(errbuf, "x.conf"));
	/* wrong types are ignored, not trusted */
	assert_int_equal(
		kn_cniconf_parse(wrong, sizeof(wrong) - 1, NULL, &c, errbuf),
		KN_OK);
	assert_int_equal(c.mtu, 0);
}

static void
test_read_root(void **state)
{
	char root[512], errbuf[KN_ERRBUF];
	struct kn_cniconf c;
	struct kn_cni_bins bins;

	snprintf(root, sizeof(root), "%s/probe/root-calico", KN_TEST_DATA);
	/* 10-calico sorts before 87-podman; calico-kubeconfig is not one */
	assert_int_equal(kn_cniconf_read(root, NULL, &c, errbuf), KN_OK);
	assert_string_equal(c.file, "10-calico.conflist");
	assert_string_equal(c.detected, "calico");
	assert_int_equal(kn_cni_bins_read(root, NULL, &bins, errbuf), KN_OK);
	assert_int_equal(bins.n, 7);
	assert_string_equal(bins.names[0], "bandwidth");
	assert_string_equal(bins.names[6], "portmap");
	assert_int_equal(kn_flannel_env_read(root, &c, errbuf),
			 KN_ERR_NOTFOUND);

	snprintf(root, sizeof(root), "%s/probe/root-legacy", KN_TEST_DATA);
	assert_int_equal(kn_cniconf_read(root, NULL, &c, errbuf), KN_OK);
	assert_string_equal(c.detected, "flannel");
	assert_int_equal(kn_flannel_env_read(root, &c, errbuf), KN_OK);
	assert_int_equal(c.mtu, 1450);
	assert_int_equal(c.nsubnets, 2);
	assert_string_equal(c.subnets[0], "10.244.0.0/16");
	assert_string_equal(c.subnets[1], "10.244.1.1/24");

	assert_int_equal(kn_cniconf_read(root, "/nowhere", &c, errbuf),
			 KN_ERR_NOTFOUND);
	assert_non_null(strstr(errbuf, "root-legacy/nowhere"));
	/* a folder with no configuration names itself */
	assert_int_equal(kn_cniconf_read(root, "/opt/cni/bin", &c, errbuf),
			 KN_ERR_NOTFOUND);
	assert_non_null(strstr(errbuf, "/opt/cni/bin"));
}

static void
test_backend(void **state)
{
	const char *calico[] = {"lo", "eth0", "tunl0", "vxlan.calico"};
	const char *flannel[] = {"lo", "eth0", "cni0", "flannel.1"};
	const char *ipip[] = {"lo", "tunl0"};
	const char *none[] = {"lo", "eth0"};

	assert_string_equal(kn_cni_backend_from_ifaces(calico, 4), "vxlan");
	assert_string_equal(kn_cni_backend_from_ifaces(flannel, 4), "vxlan");
	assert_string_equal(kn_cni_backend_from_ifaces(ipip, 2), "ipip");
	assert_string_equal(kn_cni_backend_from_ifaces(none, 2), "");
	assert_non_null(kn_cni_backend_local());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flannel),
		cmocka_unit_test(test_calico),
		cmocka_unit_test(test_cilium),
		cmocka_unit_test(test_bridge_ranges),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_read_root),
		cmocka_unit_test(test_backend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
