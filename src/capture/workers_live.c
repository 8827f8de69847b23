/* Decoding workers on a live interface: one libpcap handle per worker,
 * all joined into one PACKET_FANOUT group (packet(7)), so the kernel
 * hands each packet to one handle only and every worker reads, decodes
 * and matches its own on its own core.
 *
 * The group is PACKET_FANOUT_CBPF, not PACKET_FANOUT_HASH: the kernel's
 * flow hash keeps both directions of a connection together, but the DNS
 * questions of one client come from many ports (one flow each), and
 * telling a search-path NXDOMAIN from a real one needs all of them in
 * one engine. The classic BPF program below (kn_workers_fanout_prog)
 * picks the socket from the network header (SKF_NET_OFF): DNS (port 53)
 * by the client's address, UDP tunnels (VXLAN 4789, 8472, Geneve 6081)
 * by their outer addresses, IP-in-IP likewise, any other TCP or UDP by
 * its addresses and ports, each combined so that both directions give
 * the same value, an ICMP error by the datagram it quotes; anything else
 * (non-IP, MPLS, PPPoE) goes to the first worker. IPv4 fragments are put
 * together by the kernel first (PACKET_FANOUT_FLAG_DEFRAG: the worker sees the
 * whole datagram, as -w writes it); IPv6 fragments go by their destination
 * address and are reassembled by the worker that gets them: the client's worker
 * for a DNS answer, but for a fragmented request (rare: clients send small
 * ones) maybe not the worker of its flow. Handles join as they are opened; the
 * capture counts from the moment the group is whole: a packet stamped earlier
 * may also sit in another handle's ring and is left out. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "k8snet/log.h"
#include "txn_int.h"
#include "workers_int.h"

#define KN_LIVE_TIMEOUT_MS 50 /* as capture.c's block timeout */

/* ---- the fanout program ---- */

enum {
	L_V4 = 1,
	L_V6,
	L_ZERO,
	L_V4L4,
	L_L4,
	L_ADDRS,
	L_TCPUDP,
	L_SPORT53,
	L_BOTH53,
	L_CLIENT_SRC,
	L_CLIENT_DST,
	L_PLAIN,
	L_MIX,
	L_V6FRAG,
	L_ICMP4,
	L_ICMP4Q,
	L_ICMP6,
	L_INNER,
	L__COUNT
};

struct asm_ {
	struct bpf_insn *p;
	size_t n, max;
	size_t label[L__COUNT]; /* instruction index of each label */
	int jt[KN_FANOUT_PROG_MAX], jf[KN_FANOUT_PROG_MAX]; /* labels */
};

static void
op(struct asm_ *a, uint16_t code, uint32_t k)
{
	if (a->n < a->max) {
		a->p[a->n].code = code;
		a->p[a->n].jt = a->p[a->n].jf = 0;
		a->p[a->n].k = k;
		a->jt[a->n] = a->jf[a->n] = 0;
	}
	a->n++;
}

/* A conditional jump to label jt (else jf; 0: the next instruction). */
static void
jmp(struct asm_ *a, uint16_t code, uint32_t k, int jt, int jf)
{
	op(a, BPF_JMP | code | BPF_K, k);
	if (a->n <= a->max) {
		a->jt[a->n - 1] = jt;
		a->jf[a->n - 1] = jf;
	}
}

/* An unconditional jump (its offset is k). */
static void
ja(struct asm_ *a, int l)
{
	op(a, BPF_JMP | BPF_JA, 0);
	if (a->n <= a->max)
		a->jt[a->n - 1] = -l;
}

static void
label(struct asm_ *a, int l)
{
	a->label[l] = a->n;
}

/* Load a field of the network header: base is SKF_NET_OFF in the kernel
 * (a test gives an Ethernet offset instead). */
static void
ld_net(struct asm_ *a, uint16_t size, uint32_t base, uint32_t off)
{
	op(a, BPF_LD | size | BPF_ABS, base + off);
}

/* A = the XOR of the four words at base + off (an IPv6 address). */
static void
xor6(struct asm_ *a, uint32_t base, uint32_t off)
{
	int i;

	ld_net(a, BPF_W, base, off);
	for (i = 1; i < 4; i++) {
		op(a, BPF_MISC | BPF_TAX, 0);
		ld_net(a, BPF_W, base, off + 4u * (uint32_t)i);
		op(a, BPF_ALU | BPF_XOR | BPF_X, 0);
	}
}

/* M[1], M[2] = the source and destination of the IPv6 header at off,
 * M[3], M[4] = the ports after it (no extension headers). */
static void
v6_flow(struct asm_ *a, uint32_t base, uint32_t off)
{
	xor6(a, base, off + 8);
	op(a, BPF_ST, 1);
	xor6(a, base, off + 24);
	op(a, BPF_ST, 2);
	ld_net(a, BPF_H, base, off + 40);
	op(a, BPF_ST, 3);
	ld_net(a, BPF_H, base, off + 42);
	op(a, BPF_ST, 4);
}

size_t
kn_workers_fanout_prog(struct bpf_insn *out, size_t max, bool no_decap,
		       uint32_t base, bool ether)
{
	struct asm_ a;
	size_t i;

	memset(&a, 0, sizeof(a));
	a.p = out;
	a.max = max < KN_FANOUT_PROG_MAX ? max : KN_FANOUT_PROG_MAX;
	/* M[0] protocol, M[1] source, M[2] destination, M[3] source port,
	 * M[4] destination port */
	if (ether)
		op(&a, BPF_LD | BPF_H | BPF_ABS, 12);
	else
		op(&a, BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PROTOCOL);
	jmp(&a, BPF_JEQ, 0x0800, L_V4, 0);
	jmp(&a, BPF_JEQ, 0x86dd, L_V6, L_ZERO);
	label(&a, L_ZERO);
	op(&a, BPF_RET | BPF_K, 0);

	label(&a, L_V4);
	ld_net(&a, BPF_B, base, 9);
	op(&a, BPF_ST, 0);
	ld_net(&a, BPF_W, base, 12);
	op(&a, BPF_ST, 1);
	ld_net(&a, BPF_W, base, 16);
	op(&a, BPF_ST, 2);
	ld_net(&a, BPF_H, base, 6);
	/* A fragment (MF or an offset; the kernel's defragmentation left
	 * it so) goes by its addresses: the later ones have no ports. */
	jmp(&a, BPF_JSET, 0x3fff, L_ADDRS, L_V4L4);
	label(&a, L_V4L4);
	op(&a, BPF_LDX | BPF_B | BPF_MSH, base);
	op(&a, BPF_LD | BPF_H | BPF_IND, base);
	op(&a, BPF_ST, 3);
	op(&a, BPF_LD | BPF_H | BPF_IND, base + 2);
	op(&a, BPF_ST, 4);
	ja(&a, L_L4);

	label(&a, L_V6);
	ld_net(&a, BPF_B, base, 6);
	op(&a, BPF_ST, 0);
	/* An IPv6 fragment, likewise (a fragment header first). */
	jmp(&a, BPF_JEQ, 44, L_V6FRAG, 0);
	v6_flow(&a, base, 0);

	label(&a, L_L4);
	op(&a, BPF_LD | BPF_MEM, 0);
	jmp(&a, BPF_JEQ, 6, L_TCPUDP, 0);
	jmp(&a, BPF_JEQ, 17, L_TCPUDP, 0);
	jmp(&a, BPF_JEQ, 1, L_ICMP4, 0);
	jmp(&a, BPF_JEQ, 58, L_ICMP6, L_ADDRS);

	/* An ICMP error (destination unreachable, time exceeded, parameter
	 * problem) goes where the datagram it quotes went: its addresses
	 * and ports are read from the quote, so a DNS query refused by a
	 * port unreachable meets its engine. X is the IPv4 header's length
	 * here (L_V4L4). */
	label(&a, L_ICMP4);
	op(&a, BPF_LD | BPF_B | BPF_IND, base);
	jmp(&a, BPF_JEQ, 3, L_ICMP4Q, 0);
	jmp(&a, BPF_JEQ, 11, L_ICMP4Q, 0);
	jmp(&a, BPF_JEQ, 12, L_ICMP4Q, L_ADDRS);
	label(&a, L_ICMP4Q);
	op(&a, BPF_LD | BPF_B | BPF_IND, base + 8 + 9);
	op(&a, BPF_ST, 0);
	op(&a, BPF_LD | BPF_W | BPF_IND, base + 8 + 12);
	op(&a, BPF_ST, 1);
	op(&a, BPF_LD | BPF_W | BPF_IND, base + 8 + 16);
	op(&a, BPF_ST, 2);
	/* X += the quoted header's length */
	op(&a, BPF_MISC | BPF_TXA, 0);
	op(&a, BPF_ST, 5);
	op(&a, BPF_LD | BPF_B | BPF_IND, base + 8);
	op(&a, BPF_ALU | BPF_AND | BPF_K, 0x0f);
	op(&a, BPF_ALU | BPF_LSH | BPF_K, 2);
	op(&a, BPF_MISC | BPF_TAX, 0);
	op(&a, BPF_LD | BPF_MEM, 5);
	op(&a, BPF_ALU | BPF_ADD | BPF_X, 0);
	op(&a, BPF_MISC | BPF_TAX, 0);
	op(&a, BPF_LD | BPF_H | BPF_IND, base + 8);
	op(&a, BPF_ST, 3);
	op(&a, BPF_LD | BPF_H | BPF_IND, base + 8 + 2);
	op(&a, BPF_ST, 4);
	ja(&a, L_INNER);
	/* ICMPv6 errors are types 1-127 (RFC 4443); the quoted header
	 * follows the 8 octets of the message, its extension headers not
	 * followed (as the decoder does). */
	label(&a, L_ICMP6);
	ld_net(&a, BPF_B, base, 40);
	jmp(&a, BPF_JGT, 127, L_ADDRS, 0);
	jmp(&a, BPF_JEQ, 0, L_ADDRS, 0);
	ld_net(&a, BPF_B, base, 48 + 6);
	op(&a, BPF_ST, 0);
	v6_flow(&a, base, 48);
	label(&a, L_INNER);
	op(&a, BPF_LD | BPF_MEM, 0);
	jmp(&a, BPF_JEQ, 6, L_TCPUDP, 0);
	jmp(&a, BPF_JEQ, 17, L_TCPUDP, L_ADDRS);

	label(&a, L_TCPUDP);
	op(&a, BPF_LD | BPF_MEM, 3);
	jmp(&a, BPF_JEQ, 53, L_SPORT53, 0);
	op(&a, BPF_LD | BPF_MEM, 4);
	jmp(&a, BPF_JEQ, 53, L_CLIENT_SRC, 0);
	if (!no_decap) {
		/* A UDP tunnel's outer source port differs each way. */
		op(&a, BPF_LD | BPF_MEM, 0);
		jmp(&a, BPF_JEQ, 17, 0, L_PLAIN);
		op(&a, BPF_LD | BPF_MEM, 4);
		jmp(&a, BPF_JEQ, 4789, L_ADDRS, 0);
		jmp(&a, BPF_JEQ, 8472, L_ADDRS, 0);
		jmp(&a, BPF_JEQ, 6081, L_ADDRS, L_PLAIN);
	}
	label(&a, L_PLAIN);
	op(&a, BPF_LD | BPF_MEM, 3);
	op(&a, BPF_MISC | BPF_TAX, 0);
	op(&a, BPF_LD | BPF_MEM, 4);
	op(&a, BPF_ALU | BPF_XOR | BPF_X, 0);
	op(&a, BPF_ALU | BPF_MUL | BPF_K, 0x9e3779b1u);
	op(&a, BPF_MISC | BPF_TAX, 0);
	op(&a, BPF_LD | BPF_MEM, 1);
	op(&a, BPF_ALU | BPF_XOR | BPF_X, 0);
	op(&a, BPF_MISC | BPF_TAX, 0);
	op(&a, BPF_LD | BPF_MEM, 2);
	op(&a, BPF_ALU | BPF_XOR | BPF_X, 0);
	ja(&a, L_MIX);

	/* DNS: the client's address (both ends on 53: both). */
	label(&a, L_SPORT53);
	op(&a, BPF_LD | BPF_MEM, 4);
	jmp(&a, BPF_JEQ, 53, L_ADDRS, L_CLIENT_DST);
	label(&a, L_CLIENT_DST);
	op(&a, BPF_LD | BPF_MEM, 2);
	ja(&a, L_MIX);
	label(&a, L_CLIENT_SRC);
	op(&a, BPF_LD | BPF_MEM, 1);
	ja(&a, L_MIX);

	/* An IPv6 fragment has no ports, and the kernel does not put IPv6
	 * fragments together for a fanout group: it goes by its destination,
	 * which for the common case, a large DNS answer, is the client's
	 * address, the worker of its query. */
	label(&a, L_V6FRAG);
	xor6(&a, base, 24);
	ja(&a, L_MIX);

	/* Both addresses, no ports (tunnels, fragments, other protocols). */
	label(&a, L_ADDRS);
	op(&a, BPF_LD | BPF_MEM, 1);
	op(&a, BPF_MISC | BPF_TAX, 0);
	op(&a, BPF_LD | BPF_MEM, 2);
	op(&a, BPF_ALU | BPF_XOR | BPF_X, 0);

	label(&a, L_MIX);
	op(&a, BPF_ALU | BPF_MUL | BPF_K, 0x85ebca6bu);
	op(&a, BPF_MISC | BPF_TAX, 0);
	op(&a, BPF_ALU | BPF_RSH | BPF_K, 16);
	op(&a, BPF_ALU | BPF_XOR | BPF_X, 0);
	op(&a, BPF_RET | BPF_A, 0);

	if (a.n > a.max)
		return 0;
	/* Labels to relative offsets, all forward: jt/jf count from the
	 * next instruction; a negative jt marks BPF_JA, whose offset is
	 * k. */
	for (i = 0; i < a.n; i++) {
		if (a.jt[i] < 0) {
			out[i].k = (uint32_t)(a.label[-a.jt[i]] - i - 1);
			continue;
		}
		/* a conditional jump reaches 255 instructions at most */
		if ((a.jt[i] > 0 && a.label[a.jt[i]] - i - 1 > 255) ||
		    (a.jf[i] > 0 && a.label[a.jf[i]] - i - 1 > 255))
			return 0;
		if (a.jt[i] > 0)
			out[i].jt = (uint8_t)(a.label[a.jt[i]] - i - 1);
		if (a.jf[i] > 0)
			out[i].jf = (uint8_t)(a.label[a.jf[i]] - i - 1);
	}
	return a.n;
}

/* ---- joining the group ---- */

static uint64_t
wall_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

enum kn_err
kn_workers_fanout(pcap_t **h, unsigned n, bool no_decap, const char *what,
		  uint64_t *join_us, char *errbuf)
{
	struct bpf_insn prog[KN_FANOUT_PROG_MAX];
	struct sock_fprog fp;
	socklen_t len;
	uint32_t val; /* the kernel's u32: type and flags above the id */
	int fd;
	unsigned i;

	/* The first handle founds a group with an id no one else uses. */
	fd = pcap_fileno(h[0]);
	/* DEFRAG: the kernel puts IPv4 fragments together before the
	 * program sees them, so a datagram goes to the worker of its
	 * ports whole (IPv6 has no such option: see above). */
	val = (uint32_t)(PACKET_FANOUT_CBPF | PACKET_FANOUT_FLAG_UNIQUEID |
			 PACKET_FANOUT_FLAG_DEFRAG)
	      << 16;
	len = sizeof(val);
	if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &val, sizeof(val)) != 0 ||
	    getsockopt(fd, SOL_PACKET, PACKET_FANOUT, &val, &len) != 0)
		return kn_errf(errbuf, KN_ERR_UNSUPPORTED,
			       "-i %s: PACKET_FANOUT: %s", what,
			       strerror(errno));
	val = (val & 0xffffu) |
	      (uint32_t)(PACKET_FANOUT_CBPF | PACKET_FANOUT_FLAG_DEFRAG) << 16;
	for (i = 1; i < n; i++)
		if (setsockopt(pcap_fileno(h[i]), SOL_PACKET, PACKET_FANOUT,
			       &val, sizeof(val)) != 0)
			return kn_errf(errbuf, KN_ERR_UNSUPPORTED,
				       "-i %s: PACKET_FANOUT: %s", what,
				       strerror(errno));
	fp.len = (unsigned short)kn_workers_fanout_prog(
		prog, KN_FANOUT_PROG_MAX, no_decap, SKF_NET_OFF, false);
	fp.filter = (struct sock_filter *)(void *)prog;
	if (fp.len == 0 || setsockopt(fd, SOL_PACKET, PACKET_FANOUT_DATA, &fp,
				      sizeof(fp)) != 0)
		return kn_errf(errbuf, KN_ERR_UNSUPPORTED,
			       "-i %s: PACKET_FANOUT_DATA: %s", what,
			       strerror(errno));
	*join_us = wall_us();
	return KN_OK;
}

/* ---- a worker ---- */

static void
live_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct worker *w = (struct worker *)(void *)user;
	struct kn_workers *ws = w->ws;
	uint64_t ts = kn_capture_hdr_ts(h);
	struct kn_pkt pkt;
	enum kn_err e;

	if (ts < ws->join_us)
		return;
	w->c.packets++;
	w->c.bytes += h->len;
	if (w->c.first_ts_us == 0)
		w->c.first_ts_us = ts;
	w->c.last_ts_us = ts;
	if (ws->cfg.write != NULL) {
		pthread_mutex_lock(&ws->wmu);
		if (ws->cfg.write(ws->cfg.write_arg, h, bytes))
			w->c.written++;
		pthread_mutex_unlock(&ws->wmu);
	}
	e = kn_layers_decode(ws->cfg.link, bytes, h->caplen, ws->cfg.no_decap,
			     &pkt);
	if (kn_reasm_take(w->reasm, &w->c, e, ts, ws->cfg.no_decap, &pkt, NULL,
			  NULL)) {
		w->taken++;
		kn_txn_engine_packet(w->eng, ts, &pkt);
	}
}

/* Read what is ready; false when the handle failed (said). */
static bool
live_read(struct worker *w)
{
	struct kn_workers *ws = w->ws;
	struct pcap_stat ps;
	bool ok;
	int n;

	pthread_mutex_lock(&w->smu);
	n = pcap_dispatch(w->pcap, -1, live_packet, (u_char *)w);
	/* As the pump ticks a lone capture after each read. */
	kn_txn_engine_tick(w->eng, wall_us());
	pthread_mutex_unlock(&w->smu);
	ok = n != PCAP_ERROR;
	pthread_mutex_lock(&ws->mu);
	if (!ok) {
		snprintf(w->err, sizeof(w->err), "capture on %s stopped: %s",
			 ws->what, pcap_geterr(w->pcap));
		w->failed = true;
	}
	if (pcap_stats(w->pcap, &ps) == 0) {
		w->pub_ps = ps;
		w->pub_ps_ok = true;
	}
	workers_publish_locked(w);
	workers_push_locked(w, 0);
	pthread_mutex_unlock(&ws->mu);
	return ok;
}

static bool
ending(struct kn_workers *ws)
{
	bool r;

	pthread_mutex_lock(&ws->mu);
	r = ws->finishing;
	pthread_mutex_unlock(&ws->mu);
	return r;
}

void *
workers_live_main(void *arg)
{
	struct worker *w = arg;
	struct kn_workers *ws = w->ws;
	struct pollfd pfd[2];
	uint64_t end;
	bool ok = true;

	pfd[0].fd = pcap_get_selectable_fd(w->pcap);
	pfd[0].events = POLLIN;
	pfd[1].fd = ws->wake[0];
	pfd[1].events = POLLIN;
	while (ok && !ending(ws)) {
		ok = live_read(w);
		if (ok && poll(pfd, 2, KN_CAPTURE_TICK_MS) < 0 &&
		    errno != EINTR)
			break;
	}
	/* A block is handed over when full or KN_LIVE_TIMEOUT_MS after its
	 * first packet: wait that long once more (bounded) so what was on
	 * the wire before the end is decoded too. */
	end = wall_us() + 4 * KN_LIVE_TIMEOUT_MS * 1000;
	while (ok && !atomic_load(&ws->stop) && wall_us() < end &&
	       poll(pfd, 1, 2 * KN_LIVE_TIMEOUT_MS) > 0)
		ok = live_read(w);
	/* A failed handle keeps what it matched until the end. */
	while (!ok && !ending(ws))
		if (poll(&pfd[1], 1, -1) < 0 && errno != EINTR)
			break;
	kn_reasm_finish(w->reasm, &w->c);
	pthread_mutex_lock(&w->smu);
	kn_txn_engine_finish(w->eng);
	pthread_mutex_unlock(&w->smu);
	workers_exit(w);
	return NULL;
}
