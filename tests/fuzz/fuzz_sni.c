/* Fuzz target: TLS ClientHello SNI/ALPN parser. */
#include <stdint.h>
#include <stddef.h>

#include "k8snet/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_tls_hello h;

	(void)kn_tls_looks_handshake(data, size);
	(void)kn_tls_client_hello(data, size, &h);
	return 0;
}
