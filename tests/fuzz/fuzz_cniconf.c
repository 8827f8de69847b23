/* Fuzz target: CNI conf/conflist parsing, plus the other node files read
 * next to it (flannel subnet.env, kubelet config.yaml, kubeadm-flags.env,
 * kubelet command line); the first byte picks the parser. */
#include <stddef.h>
#include <stdint.h>

#include "k8snet/cniconf.h"
#include "k8snet/kubelet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[KN_ERRBUF];
	struct kn_cniconf c;
	struct kn_kubelet k;
	const char *p;

	if (size == 0)
		return 0;
	p = (const char *)data + 1;
	kn_kubelet_init(&k);
	switch (data[0] % 5) {
	case 0:
		kn_cniconf_parse(p, size - 1, "fuzz.conflist", &c, errbuf);
		break;
	case 1:
		kn_cniconf_parse(p, size - 1, NULL, &c, errbuf);
		kn_flannel_env_parse(p, size - 1, &c);
		break;
	case 2:
		kn_kubelet_parse_config(p, size - 1, "fuzz.yaml", &k, errbuf);
		break;
	case 3:
		kn_kubelet_parse_flags_env(p, size - 1, &k);
		break;
	default:
		kn_kubelet_parse_cmdline(p, size - 1, &k);
		break;
	}
	return 0;
}
