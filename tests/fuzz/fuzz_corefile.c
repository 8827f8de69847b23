/* Fuzz target: the CoreDNS Corefile parsers (cluster domain and
 * forwarders for the DNS model, the summary for the DNS pane). The
 * Corefile comes from a ConfigMap anyone with edit rights in kube-system
 * can write. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/model_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_corefile cf;
	struct kn_strs fwd = {0};
	char dom[256];
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	kn_corefile_domain(text, dom, sizeof(dom), &fwd);
	kn_corefile_parse(text, &cf);
	kn_corefile_release(&cf);
	kn_strs_clear(&fwd);
	free(text);
	return 0;
}
