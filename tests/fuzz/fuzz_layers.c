/* Fuzz target: link/IP/transport decoding with overlays; the first byte
 * picks the link type. */
#include <stdint.h>
#include <stddef.h>

#include "k8snet/layers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_pkt p;

	if (size < 1)
		return 0;
	(void)kn_layers_decode((enum kn_link)((data[0] & 0x7f) % 11), data + 1,
			       size - 1, (data[0] & 0x80) != 0, &p);
	return 0;
}
