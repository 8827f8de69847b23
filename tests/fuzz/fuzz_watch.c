/* Fuzz target: watch stream framing and event parsing, with the input cut
 * into chunks at positions taken from the input itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
on_line(void *arg, const char *line, size_t len)
{
	struct watch_event ev;

	(void)arg;
	if (watch_event_parse(line, len, &ev) == KN_OK) {
		(void)watch_object_rv(ev.object);
		(void)watch_status_code(ev.object);
		watch_event_release(&ev);
	}
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct watch_framer w;
	size_t off = 0, step;

	watch_framer_init(&w, 4096);
	while (off < size) {
		step = 1 + (data[off] % 97);
		if (step > size - off)
			step = size - off;
		(void)watch_feed(&w, (const char *)data + off, step, on_line,
				 NULL);
		off += step;
	}
	watch_framer_release(&w);
	return 0;
}
