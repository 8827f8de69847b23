/* Decoding workers: a capture's packets decoded and matched on several
 * threads, each with its own transaction engine for the flows it owns,
 * and the transactions handed back to the loop's thread in the order the
 * capture promises. Private to src/capture (capture.c drives it). */
#ifndef K8SNET_CAPTURE_WORKERS_H
#define K8SNET_CAPTURE_WORKERS_H

#include <stdbool.h>
#include <stdint.h>

#include <pcap/pcap.h>

#include "k8snet/capture.h"
#include "k8snet/err.h"
#include "k8snet/layers.h"
#include "k8snet/traffic.h"
#include "k8snet/txn.h"

struct kn_workers;

/* A packet header's time in microseconds since the epoch. A pcap file
 * keeps the seconds as an unsigned 32-bit field (until 2106), but libpcap
 * (1.10) reads it as signed and sign-extends: from 2038-01-19 03:14:08
 * on, tv_sec comes back negative. No capture predates 1970 (pcapng and
 * live times are 64-bit and never negative), so a negative tv_sec is
 * such a field and its 32 bits are taken as they are on disk. */
static inline uint64_t
kn_capture_hdr_ts(const struct pcap_pkthdr *h)
{
	uint64_t sec = h->ts.tv_sec < 0 ? (uint64_t)(uint32_t)h->ts.tv_sec
					: (uint64_t)h->ts.tv_sec;

	return sec * 1000000u + (uint64_t)h->ts.tv_usec;
}

/* -w: append one packet; false when it was not written. Called by one
 * thread at a time, in capture order from a file. */
typedef bool (*kn_workers_write_fn)(void *arg, const struct pcap_pkthdr *h,
				    const u_char *bytes);

struct kn_workers_config {
	unsigned n; /* threads, 2 .. KN_CAPTURE_WORKERS_MAX */
	enum kn_link link;
	bool no_decap;
	bool want_answers;
	/* Nobody reads the transactions one by one: each worker adds its
	 * own to its statistics (kn_workers_stats merges them) and none is
	 * handed to the loop. */
	bool keep_stats;
	const char *what; /* file or interface, for messages (copied) */
	/* A file: its open savefile (borrowed; its reads are the workers'
	 * from now on) and the filter it was given (NULL: none). */
	pcap_t *file;
	const char *filter;
	/* Live: n activated handles on one interface, joined by
	 * kn_workers_fanout (taken when kn_workers_new succeeds), the time
	 * it joined them, and an eventfd for the loop to watch (borrowed). */
	pcap_t **live;
	uint64_t join_us;
	int efd;
	kn_workers_write_fn write; /* NULL: no -w */
	void *write_arg;
	/* Where the loop's thread hands each transaction on (in
	 * kn_workers_dispatch and kn_workers_finish). */
	kn_txn_sink sink;
	void *sink_arg;
};

/* Join n live handles on interface what into one PACKET_FANOUT group
 * (before the filter is set and privileges dropped); *join_us: when the
 * group was whole. Errors name the interface and the call. */
enum kn_err kn_workers_fanout(pcap_t **h, unsigned n, bool no_decap,
			      const char *what, uint64_t *join_us,
			      char *errbuf);

/* Set up the workers (their threads start at the first
 * kn_workers_dispatch). Errors name the file or interface. */
enum kn_err kn_workers_new(const struct kn_workers_config *cfg,
			   struct kn_workers **out, char *errbuf);
/* Stops and joins the threads; NULL is allowed. */
void kn_workers_free(struct kn_workers *ws);

/* On the loop's thread: hand on what the workers finished (in
 * first-packet order from a file) and return the packets read since the
 * last call. From a file it waits until there is something (packets,
 * transactions or the end): 0 means the file was read to its end and
 * everything is handed on. -1 when the capture failed (errbuf): a file
 * that cannot be read past a point (everything before it handed on
 * first), an interface that went away. */
int kn_workers_dispatch(struct kn_workers *ws, char *errbuf);
/* End: the live workers read what the kernel still holds, every engine
 * finishes what is open, and all of it is handed on; the threads end. */
void kn_workers_finish(struct kn_workers *ws);

/* The counters so far, summed over the workers (the packets' counters
 * of a file are the reader's). */
void kn_workers_counters(struct kn_workers *ws, struct kn_capture_counters *c,
			 struct kn_txn_counters *tc);
/* keep_stats: every worker's statistics merged into dst, which the
 * caller gives zeroed (as calloc makes it, untouched); false without
 * memory. */
bool kn_workers_stats(struct kn_workers *ws, struct kn_traffic_stats *dst);
/* Live: pcap_stats summed over the handles; false for a file. */
bool kn_workers_pcap_stats(struct kn_workers *ws, struct pcap_stat *ps);
/* Transactions a live worker could not hand on (the loop was behind). */
uint64_t kn_workers_queue_dropped(struct kn_workers *ws);
/* Log (info) how many packets each worker's engine took. */
void kn_workers_log_shares(struct kn_workers *ws);
/* Run fn(arg) with the -w writer to itself (live workers write too). */
void kn_workers_with_writer(struct kn_workers *ws, void (*fn)(void *arg),
			    void *arg);

/* The PACKET_FANOUT_CBPF program of live workers into out (max
 * instructions): its length, 0 if it does not fit. The kernel's reads
 * the network header at base SKF_NET_OFF and the protocol from the
 * socket buffer; with ether, the protocol is the Ethernet type and base
 * the network header's offset (14), so that a test can run it on
 * Ethernet frames with bpf_filter(3). The return value, modulo the
 * workers, is the worker. */
#define KN_FANOUT_PROG_MAX 192
size_t kn_workers_fanout_prog(struct bpf_insn *out, size_t max, bool no_decap,
			      uint32_t base, bool ether);

/* The worker (of n) that owns the flow of p: both directions of a
 * connection, and every DNS message of one client (its search-path
 * questions come from other ports), go to the same one. */
unsigned kn_workers_shard(const struct kn_pkt *p, unsigned n);

#endif
