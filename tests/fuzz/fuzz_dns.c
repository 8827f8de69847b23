/* Fuzz target: DNS message decoder, answer text formatting, and the
 * reverse-DNS name parser (--anonymize maps the address a PTR query
 * holds) on every decoded name. */
#include <stdint.h>
#include <string.h>
#include <stddef.h>

#include "k8snet/dns.h"
#include "k8snet/ipaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kn_dns_msg m;
	struct kn_ipaddr ip;
	char txt[512];
	unsigned i;

	(void)kn_dns_parse(data, size, &m);
	for (i = 0; i < m.nans; i++) {
		/* a small buffer too, so every form meets its limit */
		txt[0] = '\0';
		(void)kn_dns_rdata_text(data, size, &m.ans[i], txt, 24);
		if (strnlen(txt, 24) == 24)
			__builtin_trap();
		txt[0] = '\0';
		(void)kn_dns_rdata_text(data, size, &m.ans[i], txt,
					sizeof(txt));
		if (strnlen(txt, sizeof(txt)) == sizeof(txt))
			__builtin_trap();
		(void)kn_ipaddr_from_ptr(txt, &ip);
	}
	if (size > 12 &&
	    kn_dns_name(data, size, 12, txt, sizeof(txt), NULL, NULL) == KN_OK)
		(void)kn_ipaddr_from_ptr(txt, &ip);
	return 0;
}
