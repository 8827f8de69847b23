/* Fuzz target: DNS message decoder and answer text formatting. */
#include <stdint.h>
#include <stddef.h>

#include "k8snet/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kn_dns_msg m;
	char txt[512];
	unsigned i;

	(void)kn_dns_parse(data, size, &m);
	for (i = 0; i < m.nans; i++)
		(void)kn_dns_rdata_text(data, size, &m.ans[i], txt, sizeof(txt));
	if (size > 12)
		(void)kn_dns_name(data, size, 12, txt, sizeof(txt), NULL, NULL);
	return 0;
}
