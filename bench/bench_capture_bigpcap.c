/* Builds the big benchmark pcap: repeats Ethernet test captures, each copy
 * later in time, with client ports and TCP sequence numbers shifted so
 * copies are new connections and queries, not retransmissions. */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXPKT 4096

struct pkt {
	struct pcap_pkthdr h;
	uint8_t d[MAXPKT];
};

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

/* Shift the ephemeral port (the one > 1024) and the TCP sequence
 * numbers of a plain Ethernet IPv4/IPv6 packet. */
static void
rewrite(uint8_t *d, uint32_t len, unsigned copy)
{
	uint32_t off = 14, l4;
	uint16_t type;
	uint8_t proto;
	int i;

	if (len < 14)
		return;
	type = get16(d + 12);
	if (type == 0x0800 && len >= off + 20) {
		proto = d[off + 9];
		l4 = off + (uint32_t)(d[off] & 15) * 4;
	} else if (type == 0x86dd && len >= off + 40) {
		proto = d[off + 6];
		l4 = off + 40;
	} else {
		return;
	}
	if ((proto != 6 && proto != 17) || len < l4 + 8)
		return;
	for (i = 0; i < 2; i++) {
		uint16_t port = get16(d + l4 + 2 * i);

		if (port > 1024 && port != 4789 && port != 8443)
			put16(d + l4 + 2 * i,
			      (uint16_t)(1025 +
					 (port - 1025 + copy * 7) % 64000));
	}
	if (proto == 6 && len >= l4 + 16) {
		uint32_t shift = copy * 1000003u, v;

		for (i = 0; i < 2; i++) {
			uint8_t *q = d + l4 + 4 + 4 * i;

			v = ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) |
			    ((uint32_t)q[2] << 8) | q[3];
			if (i == 0 || (d[l4 + 13] & 0x10))
				v += shift;
			q[0] = (uint8_t)(v >> 24);
			q[1] = (uint8_t)(v >> 16);
			q[2] = (uint8_t)(v >> 8);
			q[3] = (uint8_t)v;
		}
	}
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pkt *pk = NULL;
	size_t n = 0, cap = 0, i, want;
	struct pcap_pkthdr *h;
	const u_char *b;
	pcap_t *in, *out;
	pcap_dumper_t *dump;
	double t0 = 0, span;
	unsigned copy;
	int a;

	if (argc < 4) {
		fprintf(stderr,
			"usage: bench_capture_bigpcap OUT PACKETS IN...\n");
		return 2;
	}
	want = strtoull(argv[2], NULL, 10);
	for (a = 3; a < argc; a++) {
		double base = -1;

		in = pcap_open_offline(argv[a], err);
		if (in == NULL || pcap_datalink(in) != DLT_EN10MB) {
			fprintf(stderr, "%s: %s\n", argv[a],
				in ? "not Ethernet" : err);
			return 1;
		}
		while (pcap_next_ex(in, &h, &b) == 1) {
			double t = (double)h->ts.tv_sec + h->ts.tv_usec / 1e6;

			if (h->caplen > MAXPKT)
				continue;
			if (base < 0)
				base = t;
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				pk = realloc(pk, cap * sizeof(*pk));
				if (pk == NULL)
					return 1;
			}
			/* Concatenate the inputs, 10 s apart. */
			t = t - base + t0;
			pk[n].h = *h;
			pk[n].h.ts.tv_sec = (time_t)t;
			pk[n].h.ts.tv_usec =
				(suseconds_t)((t - (double)(time_t)t) * 1e6);
			memcpy(pk[n].d, b, h->caplen);
			n++;
			if (t > t0)
				span = t;
		}
		t0 = (n ? (double)pk[n - 1].h.ts.tv_sec + 10 : 0);
		pcap_close(in);
	}
	if (n == 0)
		return 1;
	span = t0;
	out = pcap_open_dead(DLT_EN10MB, 262144);
	dump = pcap_dump_open(out, argv[1]);
	if (dump == NULL) {
		fprintf(stderr, "%s: %s\n", argv[1], pcap_geterr(out));
		return 1;
	}
	for (copy = 0, i = 0; i < want; copy++) {
		size_t j;

		for (j = 0; j < n && i < want; j++, i++) {
			struct pkt p = pk[j];
			double t = 1.7e9 + copy * span + (double)p.h.ts.tv_sec +
				   p.h.ts.tv_usec / 1e6;

			p.h.ts.tv_sec = (time_t)t;
			p.h.ts.tv_usec =
				(suseconds_t)((t - (double)(time_t)t) * 1e6);
			rewrite(p.d, p.h.caplen, copy);
			pcap_dump((u_char *)dump, &p.h, p.d);
		}
	}
	pcap_dump_close(dump);
	pcap_close(out);
	free(pk);
	printf("%zu packets (%u copies of %zu)\n", i, copy, n);
	return 0;
}
