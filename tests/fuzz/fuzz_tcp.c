/* Fuzz target: TCP reassembly and the HTTP/DNS/TLS stream parsers inside
 * the transaction engine. Input: records of [flags][dir|port][seq delta
 * 2][len][len bytes], replayed as segments of one connection. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "k8snet/txn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
sink(void *arg, const struct kn_txn *t)
{
	(void)arg;
	(void)t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t ports[4] = {80, 53, 443, 8080};
	struct kn_txn_config cfg;
	struct kn_txn_engine *e;
	struct kn_pkt p;
	char errbuf[KN_ERRBUF];
	uint32_t seq[2] = {1000, 50000};
	uint64_t ts = 1000000;
	size_t off = 0;
	uint16_t sport;

	memset(&cfg, 0, sizeof(cfg));
	cfg.ordered = size > 0 && (data[0] & 1);
	cfg.want_answers = true;
	cfg.max_flows = 8;
	cfg.max_pending = 8;
	cfg.ring = 16;
	cfg.tcp_bufs = 4;
	if (kn_txn_engine_new(&cfg, sink, NULL, &e, errbuf) != KN_OK)
		return 0;
	sport = size > 1 ? ports[data[1] & 3] : 80;
	while (size - off >= 5) {
		uint8_t flags = data[off], dl = data[off + 1];
		int dir = dl & 1;
		uint16_t delta =
			(uint16_t)((data[off + 2] << 8) | data[off + 3]);
		size_t len = data[off + 4];

		off += 5;
		if (len > size - off)
			len = size - off;
		memset(&p, 0, sizeof(p));
		p.src.family = p.dst.family = 4;
		p.src.addr[0] = 10;
		p.src.addr[3] = (uint8_t)(dir ? 2 : 1);
		p.dst.addr[0] = 10;
		p.dst.addr[3] = (uint8_t)(dir ? 1 : 2);
		p.proto = (dl & 0x80) ? 17 : 6;
		p.sport = dir ? sport : 40000;
		p.dport = dir ? 40000 : sport;
		/* Small deltas replay, large ones skip ahead. */
		seq[dir] += (uint32_t)(int16_t)delta;
		p.seq = seq[dir];
		p.tcp_flags = flags & 0x1f;
		p.payload = data + off;
		p.plen = (uint32_t)len;
		ts += (uint64_t)(dl >> 1) * 100000;
		kn_txn_engine_packet(e, ts, &p);
		seq[dir] += (uint32_t)len;
		off += len;
	}
	kn_txn_engine_finish(e);
	kn_txn_engine_free(e);
	return 0;
}
