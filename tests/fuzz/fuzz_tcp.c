/* Fuzz target: TCP reassembly and the HTTP/DNS/TLS stream parsers inside
 * the transaction engine. Input: records of [flags][dir|port][seq delta
 * 2][len][len bytes], replayed as segments of one connection (flags bit
 * 5: the ACK falls short of the peer's bytes). */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "k8snet/txn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read every string the transaction points to: the sanitizers see a
 * bad pointer or a missing terminator. */
static void
sink(void *arg, const struct kn_txn *t)
{
	size_t n = 0, i;
	const char *a;

	(void)arg;
	if (t->type == KN_TXN_HTTP) {
		n = strlen(t->u.http.path);
	} else if (t->type == KN_TXN_DNS && t->u.dns.answers != NULL) {
		for (i = 0, a = t->u.dns.answers; i < t->u.dns.nanswers; i++) {
			n += strlen(a) + 1;
			a += strlen(a) + 1;
		}
		if (n != t->u.dns.answers_len)
			__builtin_trap();
	}
	if (n >= KN_TXN_PATH + KN_TXN_ANSWERS)
		__builtin_trap();
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
		/* acknowledging what the other side sent, or (bit 5) a bit
		 * less, so holes are both acknowledged and not */
		p.ack = seq[1 - dir] - ((flags & 0x20) ? 7u : 0u);
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
