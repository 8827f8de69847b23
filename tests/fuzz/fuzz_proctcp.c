/* Fuzz target: /proc/net/tcp and tcp6 parsing (the first byte picks the
 * family). */
#include <stddef.h>
#include <stdint.h>

#include "k8snet/listeners.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_listeners ls;
	int family;

	if (size == 0)
		return 0;
	family = data[0] & 1 ? 6 : 4;
	kn_listeners_init(&ls);
	kn_listeners_parse((const char *)data + 1, size - 1, family, &ls);
	kn_listeners_release(&ls);
	return 0;
}
