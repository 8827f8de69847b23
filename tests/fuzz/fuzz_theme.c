/* Fuzz target: the theme parser (YAML -> roles) on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[KN_ERRBUF];
	struct kn_theme t, d;
	struct kn_buf warn;

	kn_buf_init(&warn, 64 * 1024);
	if (kn_theme_parse(&t, (const char *)data, size, "fuzz", errbuf,
			   &warn) == KN_OK) {
		kn_theme_degrade(&t, 8, &d);
		kn_theme_degrade(&t, 0, &d);
	}
	kn_buf_release(&warn);
	return 0;
}
