/* Fuzz target: ExecCredential output of credential plugins. */
#include <stdint.h>
#include <stdlib.h>

#include "kauth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kauth_cred c;
	char errbuf[KN_ERRBUF];

	if (kauth_parse_execcred((const char *)data, size, NULL, &c, errbuf) ==
	    KN_OK)
		kauth_cred_release(&c);
	if (kauth_parse_execcred((const char *)data, size,
				 "client.authentication.k8s.io/v1beta1", &c,
				 errbuf) == KN_OK)
		kauth_cred_release(&c);
	return 0;
}
