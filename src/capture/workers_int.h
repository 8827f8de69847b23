/* Inside the decoding workers: the threads' state, the blocks a file is
 * read in, and what workers.c (threads, hand-over, merge),
 * workers_file.c (reading a file) and workers_live.c (PACKET_FANOUT)
 * call in one another. Private to src/capture. */
#ifndef K8SNET_CAPTURE_WORKERS_INT_H
#define K8SNET_CAPTURE_WORKERS_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "k8snet/err.h"
#include "reasm.h"
#include "workers.h"

/* ---- transactions handed to the loop ----
 * A worker serialises what its engine emits into batches (one record per
 * transaction, strings at their length); the loop's thread reads them
 * back into a struct kn_txn. */
#define KN_BATCH_SIZE (32 << 10)

struct batch {
	struct batch *next;
	size_t len;	/* bytes of records */
	size_t pos;	/* loop: the next record to read */
	uint32_t items; /* records */
	uint64_t mark;	/* the worker's watermark once this was queued */
	uint8_t data[KN_BATCH_SIZE];
};

/* Records queued for the loop past which no block is read, unless the
 * loop waits for a worker (then that worker is asked to move instead). */
#define KN_MERGE_MAX 8192

/* ---- a file read in blocks ----
 * Blocks are read one after the other by whichever worker is free (the
 * reader), in the file's order; every worker then takes the packets of
 * its flows from each block in turn. */
#define KN_BLOCK (256u << 10) /* file bytes read at once */
/* The longest record libpcap reads (MAXIMUM_SNAPLEN) with its header:
 * a block always has room for one whole. */
#define KN_RECORD_MAX (16u + 262144u)

struct rec {
	uint64_t idx;	   /* its place in the capture */
	uint64_t ts;	   /* the packet's time */
	uint64_t now;	   /* the latest packet time of the capture up to it */
	struct kn_pkt pkt; /* decoded (its payload in the block's buffer) */
};

/* Where a lone engine would have ticked (before the packet idx). */
struct tick {
	uint64_t idx;
	uint64_t now;
};

/* The records of one worker in a block, in order: indexes into the
 * block's recs. */
struct own {
	uint32_t *i;
	uint32_t n, cap;
};

struct block {
	uint64_t no;	  /* block number; UINT64_MAX: free */
	uint64_t first;	  /* capture index of its first packet */
	uint64_t end;	  /* and past its last */
	uint8_t *buf;	  /* KN_BLOCK + KN_RECORD_MAX bytes */
	struct rec *recs; /* the packets decoded, in order */
	uint32_t nrec, reccap;
	bool recs_heap;	 /* recs grown out of ws->bufmem: free it */
	struct own *own; /* one per worker: the packets of its flows */
	struct tick *ticks;
	uint32_t nticks, tickcap;
	uint8_t **dgrams; /* reassembled datagrams its records point into */
	uint32_t ndgrams, dgramcap;
	unsigned done; /* workers through with it */
};

/* ---- one worker ---- */
struct worker {
	struct kn_workers *ws;
	unsigned id;
	pthread_t th;
	bool started;
	struct kn_txn_engine *eng;
	struct kn_traffic_stats *stats; /* keep_stats */
	pthread_mutex_t smu;		/* stats, while the worker adds */
	struct batch *out;		/* being filled */
	struct kn_capture_counters c;	/* the packets it decoded */
	uint64_t consumed;		/* file: the next block it takes */
	uint64_t queued_est;		/* live: records waiting at the loop */
	uint64_t queue_dropped;		/* live: not handed on */
	uint64_t taken;			/* packets its engine took */
	pcap_t *pcap;			/* live */
	struct kn_reasm *reasm;		/* live: the fragments it gets */

	/* under ws->mu */
	struct batch *qhead, *qtail;
	uint64_t qitems;
	uint64_t mark; /* no later record of it has a lower order */
	bool force;    /* the loop asks for the oldest to be emitted */
	bool exited;   /* engine finished, all of it queued */
	bool failed;   /* live: the handle failed (err) */
	char err[KN_ERRBUF];
	struct kn_capture_counters pub_c;
	struct kn_txn_counters pub_tc;
	struct pcap_stat pub_ps;
	bool pub_ps_ok;
	uint64_t pub_dropped;
	uint64_t pub_taken; /* packets its engine took */

	/* the loop's */
	struct batch *lhead; /* taken from the queue, being merged */
};

struct kn_workers {
	struct kn_workers_config cfg;
	char what[4096];
	unsigned n;
	struct worker *w;
	pthread_mutex_t mu;
	pthread_cond_t cv_work; /* workers wait for blocks or orders */
	pthread_cond_t cv_loop; /* the loop waits for batches or progress */
	bool started;
	bool finishing; /* the loop asks for the end */
	atomic_bool stop;
	struct batch *free; /* recycled batches (under mu) */
	uint64_t queued;    /* records queued, all workers (under mu) */
	bool stuck;	    /* the loop holds records it may not hand on yet */
	bool loop_waiting;  /* on cv_loop: the next push wakes it */
	uint64_t pushes;    /* workers' pushes so far */
	uint64_t taken_pushes; /* of them, before the loop's last take */
	struct kn_txn txn;     /* the loop's: the record being handed on */
	uint64_t loop_packets; /* read when the loop last returned */

	/* a file */
	bool file;
	bool fast; /* read by pread, records walked here */
	int fd;
	uint64_t roff; /* file offset of the next record */
	bool swapped, nsec;
	int snapshot;
	struct bpf_program prog;
	bool have_prog;
	struct block *blocks;
	unsigned nb;
	uint8_t *bufmem; /* the blocks' buffers, then their first records */
	/* under mu */
	uint64_t next_read; /* block number to read next */
	bool reading;	    /* a worker is the reader */
	bool read_end;	    /* no block after next_read - 1 */
	bool read_failed;
	char read_err[KN_ERRBUF];
	struct kn_capture_counters rc; /* packets read (the reader's) */
	/* the reader's (whoever holds reading) */
	uint64_t records;	   /* capture index of the next record */
	uint64_t wnow, wnext_tick; /* the clock a lone engine would keep */
	struct kn_capture_counters rcw;
	struct kn_reasm *reasm; /* fragments, before they are shared out */

	/* live */
	int efd;     /* eventfd: transactions wait for the loop (borrowed) */
	int wake[2]; /* written once at the end: the workers' polls wake */
	bool woken;
	pthread_mutex_t wmu; /* the -w writer */
	uint64_t join_us;    /* packets before the group was whole */
};

/* The order of a transaction begun at capture index idx (phase 0: in a
 * tick before that packet, 1: by it) in worker id: unique over all
 * workers and increasing in each. */
static inline uint64_t
kn_workers_order(uint64_t idx, unsigned phase, unsigned id)
{
	return (((idx << 1) | phase) << 6) | id;
}

/* The 16 address octets of ip folded to 8. */
static inline uint64_t
fold_ip(const struct kn_ipaddr *ip)
{
	uint64_t a, b;

	memcpy(&a, ip->addr, 8);
	memcpy(&b, ip->addr + 8, 8);
	return a ^ b;
}

/* kn_workers_shard, inline for the reader's loop. */
static inline unsigned
workers_shard(const struct kn_pkt *p, unsigned n)
{
	uint64_t h;

	/* XOR of both ends: the same either way. One multiply, whose high
	 * half depends on every bit, picks the worker (the engines' own
	 * hashes are other functions of the flow). */
	if (p->sport == 53 || p->dport == 53) {
		/* DNS: by the client, whose search-path questions (other
		 * ports, other flows) must meet its NXDOMAIN answers. */
		if (p->dport == 53 && p->sport != 53)
			h = fold_ip(&p->src);
		else if (p->sport == 53 && p->dport != 53)
			h = fold_ip(&p->dst);
		else
			h = fold_ip(&p->src) ^ fold_ip(&p->dst);
	} else {
		h = fold_ip(&p->src) ^ fold_ip(&p->dst) ^
		    ((uint64_t)(p->sport ^ p->dport) << 48);
	}
	h = (h ^ p->src.family) * 0x9e3779b97f4a7c15ULL;
	return (unsigned)(((h >> 32) * n) >> 32);
}

/* ---- workers.c ---- */
/* Queue what w has emitted with watermark mark (ws->mu held). */
void workers_push_locked(struct worker *w, uint64_t mark);
/* Publish w's counters (ws->mu held). */
void workers_publish_locked(struct worker *w);
/* A worker's last step, its engine finished: its counters published,
 * what it emitted queued with the final watermark, the loop told. */
void workers_exit(struct worker *w);

/* ---- workers_file.c ---- */
enum kn_err workers_file_init(struct kn_workers *ws, char *errbuf);
void workers_file_release(struct kn_workers *ws);
void *workers_file_main(void *arg);

/* ---- workers_live.c ---- */
void *workers_live_main(void *arg);

#endif
