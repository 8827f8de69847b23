/* Fuzz target: HTTP/1 head parser, the start-of-message check used to
 * find the place again after a hole, the kept head (redaction and
 * bounds, at the console's limit and at a small one) and the chunked
 * body state machine. */
#include <stdint.h>
#include <stddef.h>

#include "k8snet/http1.h"
#include "k8snet/txn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_http_head h;
	struct kn_http_chunked c;
	size_t off = 0, used, step;
	bool done = false;

	(void)kn_http_looks_request(data, size);
	(void)kn_http_looks_response(data, size);
	(void)kn_http_starts_message(data, size, true);
	(void)kn_http_starts_message(data, size, false);
	if (kn_http_head_parse(data, size, &h) == KN_OK) {
		static char keep[KN_TXN_HEAD_KEEP];
		bool cut;
		size_t n;

		off = h.head_len;
		n = kn_http_head_keep(data, h.head_len, keep, sizeof(keep),
				      &cut);
		if (n > sizeof(keep))
			__builtin_trap();
		n = kn_http_head_keep(data, h.head_len, keep, 40, &cut);
		if (n > 40 || (n > 0 && keep[n - 1] != '\n'))
			__builtin_trap();
	}
	/* The body as a chunked stream, fed in uneven pieces. */
	kn_http_chunked_init(&c);
	step = size > 0 ? (size_t)data[0] % 7 + 1 : 1;
	while (off < size && !done) {
		size_t n = size - off < step ? size - off : step;

		if (kn_http_chunked_feed(&c, data + off, n, &used, &done) !=
		    KN_OK)
			break;
		off += used;
		if (used == 0 && !done)
			break;
	}
	return 0;
}
