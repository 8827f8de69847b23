/* Inside the transaction engine: the engine's state, the slab index both
 * lookup tables use, and what the ring (txn.c), the TCP flows
 * (txn_flow.c) and the protocols (txn_dns.c, txn_http.c, txn_tls.c) call
 * in one another. Private to src/capture. */
#ifndef K8SNET_TXN_INT_H
#define K8SNET_TXN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "k8snet/dns.h"
#include "flow.h"
#include "k8snet/http1.h"
#include "k8snet/tls.h"
#include "k8snet/txn.h"

enum { SLOT_FREE, SLOT_OPEN, SLOT_DONE, SLOT_EMITTED };

struct slot {
	uint8_t state;
	bool held;	   /* NXDOMAIN waiting for search classification */
	uint64_t deadline; /* open: answer timeout; held: release time */
	struct kn_txn t;
};

/* ---- slab index (txn_index.c) ----
 *
 * The flow and pending-query tables are open-addressing indexes of small
 * entries (hash, slab reference) over dense slabs handed out lowest first:
 * a probe reads 8 bytes per step, and only as many entries are ever
 * touched as were live at once, not the whole table (page faults and
 * cache misses were most of the cost of a capture). The index hands out
 * slab numbers; the caller keeps the typed slab array they number. */
struct txn_index_entry {
	uint32_t hash;
	uint32_t ref; /* slab index + 1; 0: empty */
};

struct txn_index {
	struct txn_index_entry *e; /* mask + 1 entries, borrowed (arena) */
	uint32_t mask, count;
	struct kn_free_stack free; /* free slab indexes */
};

/* Called by txn_index_sweep for the live entry with slab index ref:
 * true deletes it (drop has released what the slab entry held). */
typedef bool (*txn_index_drop)(void *arg, uint32_t ref);

/* entries: mask + 1 zeroed entries (borrowed); slab: how many slab
 * entries may be live at once. False without memory. */
bool txn_index_init(struct txn_index *x, struct txn_index_entry *entries,
		    uint32_t mask, uint32_t slab);
void txn_index_release(struct txn_index *x);

/* Delete the entry at position i, giving its slab entry back. */
void txn_index_delete(struct txn_index *x, uint32_t i);

static inline uint32_t
txn_index_ref(const struct txn_index *x, uint32_t i)
{
	return x->e[i].ref - 1;
}

/* Probe from *i (start at h & mask) for the next entry of hash h: true
 * with *i on it; false with *i on the empty position ending the run. */
static inline bool
txn_index_probe(const struct txn_index *x, uint32_t h, uint32_t *i)
{
	for (;; *i = (*i + 1) & x->mask) {
		if (x->e[*i].ref == 0)
			return false;
		if (x->e[*i].hash == h)
			return true;
	}
}

/* Take a slab entry for hash h at the empty position i; returns its slab
 * index. Callers keep count below the slab size, so it never runs dry. */
static inline uint32_t
txn_index_put(struct txn_index *x, uint32_t i, uint32_t h)
{
	x->e[i].hash = h;
	x->e[i].ref = kn_free_stack_pop(&x->free) + 1;
	x->count++;
	return x->e[i].ref - 1;
}

/* The same at the first empty position of h's run. */
static inline uint32_t
txn_index_add(struct txn_index *x, uint32_t h)
{
	uint32_t i = h & x->mask;

	while (x->e[i].ref != 0)
		i = (i + 1) & x->mask;
	return txn_index_put(x, i, h);
}

/* Visit positions from *pos on (*pos advances, masked on use), deleting
 * the entries drop() says; a deletion moves a later entry into the
 * position, which is visited again. Stops after steps visits, or with
 * steps 0 once *pos passes the end of the table. Inline, so that drop
 * is called directly. */
static inline void
txn_index_sweep(struct txn_index *x, uint32_t *pos, uint32_t steps,
		txn_index_drop drop, void *arg)
{
	uint32_t n = 0, i;

	for (;;) {
		if (steps != 0 ? n++ >= steps : *pos > x->mask)
			break;
		i = *pos & x->mask;
		if (x->e[i].ref != 0 && drop(arg, x->e[i].ref - 1)) {
			txn_index_delete(x, i);
			continue;
		}
		(*pos)++;
	}
}

/* ---- TCP flows ---- */

enum { K_UNKNOWN, K_HTTP, K_DNS, K_TLS, K_IGNORE };
/* M_RESYNC: HTTP that lost its place (a hole, bytes that are no message);
 * skipping to a segment that starts a message. M_DNS_RESYNC: the same for
 * DNS over TCP, to a segment that starts a length-prefixed message. */
enum {
	M_INIT,
	M_HEAD,
	M_BODY_LEN,
	M_CHUNKED,
	M_CLOSE,
	M_DNS,
	M_TLS,
	M_IGNORE,
	M_RESYNC,
	M_DNS_RESYNC
};

#define NO_SEQ UINT64_MAX
#define KN_PIPE 8
/* Data segments of a connection joined mid-stream that may pass without
 * telling its protocol (a keep-alive byte, the rest of a body) before it
 * is ignored. */
#define KN_UNDECIDED_MAX 32

struct app_half {
	uint8_t mode;
	bool orphan;  /* cur is a response whose request was not seen */
	uint32_t acc; /* pool buffer or KN_TCP_NOBUF */
	uint32_t acclen;
	uint32_t pos;	   /* stream sequence number of the bytes fed now */
	uint32_t msg_seq;  /* where the current message began */
	uint32_t skip_seq; /* M_RESYNC: where the bytes stopped counting */
	uint64_t remain;
	uint64_t msg_ts;
	uint64_t cur; /* transaction the bytes belong to */
	struct kn_http_chunked ck;
};

struct flow {
	uint8_t kind, encap;
	bool connect;	   /* CONNECT pending: tunnel after 2xx */
	bool syn;	   /* the connection's start was seen */
	uint8_t undecided; /* data segments that did not tell the protocol */
	uint16_t cport, sport;
	uint8_t acked;	 /* bit dir: dir has sent an ACK */
	uint32_t ack[2]; /* the highest acknowledgment number sent each way */
	uint64_t last_ts;
	uint64_t created; /* how many flows the engine had begun before */
	uint64_t order;	  /* the engine's order when it began */
	struct kn_ipaddr cip, sip, ocip, osip;
	struct kn_tcp_half tcp[2]; /* 0: client to server */
	struct app_half app[2];
	uint64_t reqq[KN_PIPE];
	uint32_t reqseq[KN_PIPE]; /* where each waiting request began */
	uint32_t reqack[KN_PIPE]; /* the client's acknowledgment then */
	uint8_t qhead, qlen;
};

/* ---- DNS ---- */

struct pend {
	uint16_t cport, sport, id;
	uint64_t qhash;
	uint64_t seq;
	struct kn_ipaddr cip, sip;
};

#define KN_HIST 4096
#define KN_HIST_AWAIT 8

struct client_hist {
	struct kn_ipaddr ip;
	uint8_t nawait;
	uint64_t await[KN_HIST_AWAIT];
};

/* The two ends of one direction of a message. */
struct dir_ends {
	const struct kn_ipaddr *src, *dst;
	const struct kn_ipaddr *osrc, *odst;
	uint16_t sport, dport;
	uint8_t encap, transport;
};

/* ---- the engine ---- */

struct kn_txn_engine {
	struct kn_txn_config cfg;
	kn_txn_sink sink;
	void *arg;
	struct kn_txn_counters c;
	uint64_t now, next_tick, next_sweep;
	uint64_t order; /* of the transactions begun now (sharded captures) */

	struct slot *ring;
	uint64_t rmask, head, tail, cursor;

	struct txn_index pix; /* pending DNS queries over pend[] */
	struct pend *pend;

	struct txn_index fix; /* TCP flows over flows[] */
	uint64_t created;     /* flows begun */
	struct flow *flows;
	uint32_t sweep_pos;

	struct client_hist *hist;
	void *arena; /* ring, indexes and history in one mapping */
	size_t arena_len;
	struct kn_tcp_pool pool;
	struct kn_tcp_counters tc;
	struct kn_dns_msg msg; /* scratch (large): one message at a time */
};

/* ---- shared helpers ---- */

static inline uint64_t
txn_mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static inline uint64_t
txn_ep_hash(const struct kn_ipaddr *ip, uint16_t port)
{
	uint64_t a, b;

	memcpy(&a, ip->addr, 8);
	memcpy(&b, ip->addr + 8, 8);
	return txn_mix64(a ^ (b * 0x9e3779b97f4a7c15ULL) ^
			 ((uint64_t)port << 48) ^ ip->family);
}

static inline bool
txn_ip_eq(const struct kn_ipaddr *a, const struct kn_ipaddr *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr, 16) == 0;
}

static inline uint32_t
txn_flow_hash(const struct kn_ipaddr *a, uint16_t ap, const struct kn_ipaddr *b,
	      uint16_t bp)
{
	return (uint32_t)txn_mix64(txn_ep_hash(a, ap) ^ txn_ep_hash(b, bp));
}

/* src[0..n) into dst as a string, cut to cap - 1 bytes; true when cut. */
static inline bool
txn_copy_str(char *dst, size_t cap, const void *src, size_t n)
{
	bool cut = n >= cap;

	if (cut)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return cut;
}

/* The string of fields that hold none: never freed. */
extern char txn_empty[1];

/* src[0..n) as a string on the heap, cut to cap - 1 bytes (*cut says);
 * without memory txn_empty, and *cut when anything was lost. */
char *txn_str_new(const void *src, size_t n, size_t cap, bool *cut);

/* The endpoints of a new transaction on flow f. */
static inline void
txn_flow_peers(const struct flow *f, struct kn_txn *t)
{
	t->client.ip = f->cip;
	t->client.port = f->cport;
	t->server.ip = f->sip;
	t->server.port = f->sport;
	t->transport = 6;
	t->encap = f->encap;
	t->outer_client = f->ocip;
	t->outer_server = f->osip;
}

/* ---- the ring (txn.c) ---- */

static inline struct slot *
txn_slot_at(struct kn_txn_engine *e, uint64_t seq)
{
	return &e->ring[seq & e->rmask];
}

/* The open slot for seq, or NULL when it is gone or finished. */
static inline struct slot *
txn_slot_open(struct kn_txn_engine *e, uint64_t seq)
{
	struct slot *s;

	if (seq == NO_SEQ || seq < e->head || seq >= e->tail)
		return NULL;
	s = txn_slot_at(e, seq);
	return s->state == SLOT_OPEN && s->t.seq == seq ? s : NULL;
}

/* A new open transaction of type at capture time ts, answered by
 * ts + timeout (forcing the oldest out when the ring is full). */
struct slot *txn_slot_new(struct kn_txn_engine *e, uint8_t type, uint64_t ts,
			  uint64_t timeout);
/* Finished: emitted now (live) or when it reaches the head (file). */
void txn_finish(struct kn_txn_engine *e, struct slot *s);
/* Never answered: counted and finished. */
void txn_expire(struct kn_txn_engine *e, struct slot *s);
/* A held NXDOMAIN is classified: it may be emitted. */
void txn_release_hold(struct kn_txn_engine *e, struct slot *s);
/* Emit and free what the head allows; force: the head at any rate. */
void txn_advance(struct kn_txn_engine *e, bool force);

/* ---- TCP flows (txn_flow.c) ---- */

void txn_tcp_packet(struct kn_txn_engine *e, uint64_t ts,
		    const struct kn_pkt *p, uint32_t h);
/* Close idle flows: steps positions of the index from the sweep
 * position (0: all of it), those idle for idle microseconds. */
void txn_flow_sweep(struct kn_txn_engine *e, uint32_t steps, uint64_t idle);
/* End of input: every flow closed and deleted. */
void txn_flow_close_all(struct kn_txn_engine *e);
/* The ends of direction dir of flow f (0: client to server). */
void txn_flow_ends(const struct flow *f, int dir, struct dir_ends *d);
void txn_acc_release(struct kn_txn_engine *e, struct app_half *a);
/* Stop decoding direction dir (lost sync); the flow stays tracked. */
void txn_app_desync(struct kn_txn_engine *e, struct flow *f, int dir);
/* Stop decoding the flow in both directions. */
void txn_ignore_flow(struct kn_txn_engine *e, struct flow *f);
/* Reassembly buffer for a message split over segments, or false (counted,
 * nothing taken) when the pool is empty. */
bool txn_acc_get(struct kn_txn_engine *e, struct app_half *a);

/* ---- DNS (txn_dns.c) ---- */

/* One DNS message m[0..n) in direction d at capture time ts. */
void txn_dns_message(struct kn_txn_engine *e, uint64_t ts, const uint8_t *m,
		     size_t n, const struct dir_ends *d);
/* A hole in DNS over TCP direction dir: the message under way is lost,
 * the direction waits in M_DNS_RESYNC (counted). */
void txn_dns_desync(struct kn_txn_engine *e, struct flow *f, int dir);
/* In M_DNS_RESYNC, p[0..n) starts a segment: true (and M_DNS) when it
 * starts a DNS message of this direction, else it is skipped. */
bool txn_dns_resync(struct kn_txn_engine *e, struct flow *f, int dir,
		    const uint8_t *p, size_t n);
/* An ICMP port unreachable at ts quoting the query m[0..n) sent in
 * direction d (client to server): that query's answer. */
void txn_dns_unreachable(struct kn_txn_engine *e, uint64_t ts, const uint8_t *m,
			 size_t n, const struct dir_ends *d);
/* DNS over TCP (RFC 1035 4.2.2): returns the bytes of p[0..n) used. */
size_t txn_dns_feed(struct kn_txn_engine *e, struct flow *f, int dir,
		    const uint8_t *p, size_t n, uint64_t ts);

/* ---- HTTP/1.x (txn_http.c) ---- */

/* A head in direction dir: returns the bytes of p[0..n) used. */
size_t txn_http_head_feed(struct kn_txn_engine *e, struct flow *f, int dir,
			  const uint8_t *p, size_t n, uint64_t ts);
/* Body bytes in a body mode: returns the bytes of p[0..n) used. */
size_t txn_http_body_feed(struct kn_txn_engine *e, struct flow *f, int dir,
			  const uint8_t *p, size_t n);
/* n bytes lost to a hole in direction dir: true when a counted body
 * survives it (the bytes are counted), else false. */
bool txn_http_hole(struct kn_txn_engine *e, struct flow *f, int dir, size_t n);
/* Direction dir lost its place (hole: bytes were not captured; else they
 * were no message): what was under way ends, and the direction waits in
 * M_RESYNC for a segment that starts a message. */
void txn_http_desync(struct kn_txn_engine *e, struct flow *f, int dir,
		     bool hole);
/* In M_RESYNC, p[0..n) starts a segment: true (and M_HEAD) when it starts
 * a message, else the bytes are skipped. */
bool txn_http_resync(struct kn_txn_engine *e, struct flow *f, int dir,
		     const uint8_t *p, size_t n);
/* The connection ends: a response running to the close is complete,
 * requests still waiting are unanswered. */
void txn_http_close(struct kn_txn_engine *e, struct flow *f);

/* ---- TLS (txn_tls.c) ---- */

/* The client's first flight: returns the bytes of p[0..n) used. */
size_t txn_tls_feed(struct kn_txn_engine *e, struct flow *f, const uint8_t *p,
		    size_t n, uint64_t ts);

#endif
