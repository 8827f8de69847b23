/* Fuzz target: the early continue-token scan of list pages, over every
 * prefix length a transfer might stop at (cut by the input's first byte)
 * and over the whole input, checked against a fresh scan's answer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listpage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[256], first[256];
	enum listpage_scan r, whole;
	size_t n, step;

	if (size == 0)
		return 0;
	step = 1 + data[0] % 31;
	whole = listpage_continue((const char *)data + 1, size - 1, first,
				  sizeof(first));
	for (n = 0; n < size - 1; n += step) {
		r = listpage_continue((const char *)data + 1, n, out,
				      sizeof(out));
		/* an answer given early never changes with more bytes */
		if (r == LISTPAGE_FOUND &&
		    (whole != LISTPAGE_FOUND || strcmp(out, first) != 0))
			abort();
		if (r == LISTPAGE_NONE && whole != LISTPAGE_NONE)
			abort();
	}
	return 0;
}
