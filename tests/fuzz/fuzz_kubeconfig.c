/* Fuzz target: kubeconfig parsing and resolution of arbitrary YAML. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kubeconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kubeconfig_overrides ov = {0};
	struct kubeconfig kc;
	struct kc_file *f;
	char errbuf[KN_ERRBUF];

	if (kc_file_parse((const char *)data, size, "fuzz/config", &f,
			  errbuf) != KN_OK)
		return 0;
	if (kubeconfig_resolve(&f, 1, &ov, &kc, errbuf) == KN_OK)
		kubeconfig_release(&kc);
	ov.context = "dev";
	ov.user = "u";
	if (kubeconfig_resolve(&f, 1, &ov, &kc, errbuf) == KN_OK)
		kubeconfig_release(&kc);
	kc_file_free(f);
	return 0;
}
