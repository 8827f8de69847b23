/* Fuzz target: IP fragment reassembly. The input is a run of packets,
 * each a 2-byte big-endian length, a byte of time step (milliseconds,
 * times 256) and the raw IP packet; small limits so that the caps and
 * the timeout are reached. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "reasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_reasm_config cfg = {4, 16384, 2000000};
	struct kn_capture_counters c;
	struct kn_reasm *r = kn_reasm_new(&cfg);
	const uint8_t *dg;
	struct kn_pkt p;
	uint64_t ts = 1;
	size_t off = 0, n, dlen;
	enum kn_err e;

	if (r == NULL)
		return 0;
	memset(&c, 0, sizeof(c));
	while (size - off >= 3) {
		n = (size_t)(data[off] << 8 | data[off + 1]);
		ts += (uint64_t)data[off + 2] * 256000u;
		off += 3;
		if (n > size - off)
			n = size - off;
		e = kn_layers_decode(KN_LINK_RAW, data + off, n, false, &p);
		if (kn_reasm_take(r, &c, e, ts, false, &p, &dg, &dlen) &&
		    dg != NULL &&
		    (p.payload < dg || p.payload + p.plen > dg + dlen))
			__builtin_trap(); /* the payload is the datagram's */
		off += n;
	}
	kn_reasm_finish(r, &c);
	kn_reasm_free(r);
	return 0;
}
