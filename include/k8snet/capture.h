/* Packet capture (live -i or file -r) feeding decoders and transactions. */
#ifndef K8SNET_CAPTURE_H
#define K8SNET_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "k8snet/err.h"
#include "k8snet/ipaddr.h"
#include "k8snet/traffic.h"
#include "k8snet/txn.h"

struct kn_capture;
struct kn_anon;

/* Live capture: what --help promises (DNS, HTTP and TLS ports), IP
 * fragments (a port test passes only a datagram's first one, so the rest
 * of a large DNS answer would be left out) and the ICMP destination
 * unreachables that answer a query sent to a closed port; -f replaces it.
 * Overlay carriers (VXLAN, Geneve, IP-in-IP) are not in it: capture on the
 * bridge or the overlay device, or widen it with -f. */
#define KN_CAPTURE_DEFAULT_FILTER                                              \
	"port 53 or tcp port 80 or tcp port 8080 or tcp port 8000 or "         \
	"tcp port 3000 or tcp port 5000 or tcp port 9090 or "                  \
	"tcp port 443 or tcp port 8443 or (ip[6:2] & 0x3fff != 0) or "         \
	"(ip6 and ip6[6] == 44) or icmp[0] = 3 or (icmp6 and ip6[40] = 1)"
/* Headers, not bodies: the HTTP head cap (16 KiB) plus link, IP and TCP
 * headers, so a head in one (GRO-merged) segment is never cut; bodies
 * beyond it are counted from the IP length. */
#define KN_LIVE_SNAPLEN (16384 + 256)
/* Kernel ring for bursts: ~0.3 s of 100,000 packets/s of full frames. */
#define KN_LIVE_BUFFER (64 << 20)
/* Transactions the console keeps for its lists and detail views. */
#define KN_RECENT_MAX 50000

/* A finished transaction as the console keeps it (fixed part plus one
 * allocation with its strings). s[] are offsets into text:
 * DNS qname, answers (nanswers NUL-separated texts);
 * HTTP method, host, path; TLS sni, alpn. An HTTP entry's heads follow
 * its path in the same allocation, so they cost DNS and TLS entries
 * nothing: read them with kn_recent_head (id, ancount and retrans, DNS
 * fields, hold their lengths, truncation and KN_RECENT_HEADS there).
 * The outer addresses of an encapsulated one come last (kn_recent_outer).
 */
struct kn_recent {
	uint64_t seq; /* 0, 1, 2 ... in order of completion */
	uint64_t ts_us;
	int64_t latency_us; /* -1: never answered */
	struct kn_txn_peer client, server;
	uint64_t req_bytes, resp_bytes;
	int32_t code;	    /* DNS rcode, HTTP status; -1: none */
	uint16_t id, qtype; /* TLS: qtype holds the record version */
	uint16_t ancount, retrans;
	uint16_t s[3];
	uint8_t type, transport, nanswers, minor;
	uint8_t encap; /* enum kn_encap */
	uint8_t error; /* DNS: enum kn_icmp_err instead of an answer */
	bool search_expansion;
	/* HTTP: a response whose request was not captured (method, host
	 * and path ""); bytes of the exchange were not captured */
	bool unmatched, gap;
	/* strings cut at their bound: KN_RECENT_CUT_* bits */
	uint8_t cut;
	char *text; /* owned by the capture */
	/* The node whose agent saw it (kn_capture_add_txn), NULL for the
	 * capture's own; owned by the capture. */
	const char *node;
};

/* kn_recent.cut: the HTTP path, the HTTP Host, the DNS answers (not
 * all listed). */
#define KN_RECENT_CUT_PATH 1u
#define KN_RECENT_CUT_HOST 2u
#define KN_RECENT_CUT_ANSWERS 4u

/* HTTP: retrans bit of an entry whose heads were kept (maybe empty). */
#define KN_RECENT_HEADS 4u

/* Bytes of text kn_recent_from_txn writes for t. */
size_t kn_recent_text_size(const struct kn_txn *t);
/* t as the ring keeps it, numbered seq: the fields into *r and the
 * strings into text (kn_recent_text_size(t) bytes; r->text borrows it).
 * The --once printers read transactions through the same struct. */
void kn_recent_from_txn(struct kn_recent *r, const struct kn_txn *t,
			uint64_t seq, char *text);
/* HTTP: whether the heads were kept (kn_recent_head may still be empty). */
bool kn_recent_heads_kept(const struct kn_recent *r);
/* The outer addresses of an encapsulated transaction (r->encap); false
 * (and zeroed addresses) when it was not. */
bool kn_recent_outer(const struct kn_recent *r, struct kn_ipaddr *client,
		     struct kn_ipaddr *server);

/* Kernel and engine losses for the console's header. */
struct kn_capture_drops {
	bool live; /* pcap_stats answered (live capture) */
	uint64_t received, kernel, interface;
	uint64_t evicted;   /* flows, pending queries, ring, TCP buffers */
	uint64_t endpoints; /* addresses past the statistics' table */
};

/* Packet-level counters (transaction counters: kn_txn_counters). */
struct kn_capture_counters {
	uint64_t packets, bytes;
	uint64_t decoded;	 /* reached UDP or TCP */
	uint64_t other;		 /* not IP, or another protocol */
	uint64_t fragments;	 /* IPv4/IPv6 fragments seen */
	uint64_t reassembled;	 /* datagrams put together from them */
	uint64_t frag_timed_out; /* fragments of datagrams never completed */
	uint64_t frag_dropped;	 /* over the caps, overlapping, inconsistent */
	uint64_t truncated, malformed;
	uint64_t encapsulated; /* unwrapped from VXLAN, Geneve, IP-in-IP */
	uint64_t written;      /* -w */
	uint64_t first_ts_us, last_ts_us;
};

/* What to capture and how. Strings are borrowed for the call. */
struct kn_capture_config {
	const char *interface; /* live on it ('any' allowed); else: */
	const char *read_file; /* -r FILE; else: */
	bool demo;	       /* the embedded demo capture; else none */
	/* A file or the demo played with its timing (the demo looping):
	 * the console's --demo and --replay; else read at full speed. */
	bool paced;
	const char *filter;	/* BPF; NULL: KN_CAPTURE_DEFAULT_FILTER live,
				 * none from a file */
	const char *write_file; /* -w: also write the packets there */
	/* -Z: root becomes this user once the handle is open (NULL: live
	 * captures drop to "nobody", files keep root). */
	const char *drop_user;
	bool no_decap; /* keep VXLAN, Geneve, IP-in-IP wrapped */
	/* Decode on this many threads (0 or 1: on the loop's), for a file
	 * read at full speed or a live interface; the demo and --replay
	 * stay on one. See docs/internals/capture.md, "Workers". */
	unsigned workers;
	struct kn_anon *anon; /* --anonymize; borrowed for the capture's
			       * life; NULL: none */
	/* Called just before root drops its privileges, while it still can
	 * fork helpers that keep them; may be NULL. */
	void (*before_drop)(void *arg);
	void *before_drop_arg;
};

/* The workers --workers defaults to: the cores this process may run on,
 * at most KN_CAPTURE_WORKERS_DEFAULT_MAX; 1 on one core. */
#define KN_CAPTURE_WORKERS_DEFAULT_MAX 8
/* and the most there may be (the transaction order keeps 6 bits for the
 * worker) */
#define KN_CAPTURE_WORKERS_MAX 64
unsigned kn_capture_default_workers(void);

/* Open the capture cfg chooses into *out (the caller closes it with
 * kn_capture_close); with neither an interface, a file nor the demo
 * chosen *out is NULL and KN_OK is returned. Errors name the file,
 * interface or filter expression. */
enum kn_err kn_capture_open(const struct kn_capture_config *cfg,
			    struct kn_capture **out, char *errbuf);
/* A capture with no packets of its own: the console's node agents give
 * it their transactions (kn_capture_add_txn), for the ring, the
 * statistics and the names. The caller closes it with
 * kn_capture_close. */
enum kn_err kn_capture_open_agents(struct kn_capture **out, char *errbuf);
/* Opened by kn_capture_open_agents (nothing to dispatch or pump). */
bool kn_capture_is_agents(const struct kn_capture *cap);
/* A finished transaction from elsewhere (a node agent's line, read on
 * the loop's thread), counted and kept as the capture's own are;
 * node (copied; NULL: none) names where it was seen. */
void kn_capture_add_txn(struct kn_capture *cap, const struct kn_txn *t,
			const char *node);

/* Log a live capture's losses (as tcpdump does at exit) and free it.
 * NULL is allowed. */
void kn_capture_close(struct kn_capture *cap);

/* An interface the capture can open (the interface picker's rows). */
#define KN_CAPTURE_IF_ADDRS 32
struct kn_capture_iface {
	char name[128];
	char description[128]; /* libpcap's, often "" */
	bool up;
	unsigned naddrs;
	struct kn_ipaddr addrs[KN_CAPTURE_IF_ADDRS]; /* IPv4 and IPv6 */
};
/* The network interfaces libpcap lists (monitors of USB, netfilter,
 * D-Bus and Bluetooth left out), at most max, into *out (caller frees)
 * and their number into *n. */
enum kn_err kn_capture_interfaces(size_t max, struct kn_capture_iface **out,
				  size_t *n, char *errbuf);

/* ---- the pump: the capture in the event loop ----
 * One for the console and for --once: the live fd is watched, the demo
 * and --replay paced by a timer, a file read in batches of
 * KN_CAPTURE_BATCH packets (one per loop turn), and every
 * KN_CAPTURE_TICK_MS a live capture is read and ticked with the wall
 * clock so timeouts fire while the wire is idle. */
#define KN_CAPTURE_BATCH 2048
#define KN_CAPTURE_TICK_MS 250

struct kn_loop;
struct kn_capture_pump;

/* Each may be NULL; arg is the pump's. */
struct kn_capture_pump_ops {
	/* Every finished transaction, after the statistics and the recent
	 * ring (in first-packet order from a file, else as each ends). */
	kn_txn_sink txn;
	/* After a batch of n packets, and after each tick (n 0). */
	void (*progress)(void *arg, int n);
	/* The capture failed (err, borrowed for the call); the pump reads
	 * no more. */
	void (*failed)(void *arg, const char *err);
};

/* Pump cap (borrowed; it outlives the pump) in loop (borrowed); sets
 * the capture's sink (want_answers: keep answer texts). The first batch
 * runs on the loop's next turn. */
enum kn_err kn_capture_pump_new(struct kn_capture *cap, struct kn_loop *loop,
				bool want_answers,
				const struct kn_capture_pump_ops *ops,
				void *arg, struct kn_capture_pump **out,
				char *errbuf);
/* Leaves the capture as it is (kn_capture_finish ends what is open). */
void kn_capture_pump_free(struct kn_capture_pump *p);
/* Read one batch now (what the loop does on its own): the number of
 * packets read, 0 at a file's end or once stopped, -1 when the capture
 * failed (said through ops.failed). */
int kn_capture_pump_batch(struct kn_capture_pump *p);
/* Read no more; a dispatch in progress returns (signal callbacks). */
void kn_capture_pump_stop(struct kn_capture_pump *p);
/* Stopped, failed, or a file read to its end. */
bool kn_capture_pump_done(const struct kn_capture_pump *p);

/* Who owns an address (the cluster model provides it); names are cached
 * per address until the namer is set again. fn NULL: no names. */
void kn_capture_set_namer(struct kn_capture *cap, kn_ip_namer fn, void *arg);
/* Moves each time the namer is set: names read before may have changed. */
uint64_t kn_capture_names_version(const struct kn_capture *cap);
/* Every finished transaction, after it was added to the statistics.
 * ordered: in first-packet order (file); else as each completes (live).
 * want_answers: keep answer texts. Set before the first dispatch. */
void kn_capture_set_sink(struct kn_capture *cap, kn_txn_sink sink, void *arg,
			 bool ordered, bool want_answers);

/* Read up to max packets (live: what is ready now). Returns the number
 * read, 0 at the end of a file (after which everything open has been
 * finished), -1 on error (errbuf). */
int kn_capture_dispatch(struct kn_capture *cap, int max, char *errbuf);
/* Finish everything still open (end of a live capture). */
void kn_capture_finish(struct kn_capture *cap);
/* Capture-time clock for live idle periods (timeouts). */
void kn_capture_tick(struct kn_capture *cap, uint64_t now_us);

/* Selectable fd of a live capture for kn_loop_add_fd; -1 for files. */
int kn_capture_fd(const struct kn_capture *cap);
bool kn_capture_is_file(const struct kn_capture *cap);
bool kn_capture_is_demo(const struct kn_capture *cap);
/* -r with --replay: the file played with its timing (not a file read at
 * full speed: kn_capture_is_file is false, kn_capture_due_ms paces it). */
bool kn_capture_is_replay(const struct kn_capture *cap);
/* Demo and --replay: ms until the next packet is due (0: now); -1
 * otherwise (and once a replay has ended). */
int64_t kn_capture_due_ms(const struct kn_capture *cap);
/* A file read to its end (everything finished). */
bool kn_capture_at_end(const struct kn_capture *cap);
/* Make a dispatch in progress return (signal handlers may call it). */
void kn_capture_break(struct kn_capture *cap);
/* Wall clock in microseconds, the clock of live capture times. */
uint64_t kn_capture_now_us(void);
/* Interface or file, and the BPF filter in use ("" none). Borrowed. */
const char *kn_capture_what(const struct kn_capture *cap);
const char *kn_capture_filter(const struct kn_capture *cap);
/* Why -w stopped writing ("-w FILE: No space left on device"), or NULL;
 * decoding goes on without the file. */
const char *kn_capture_write_error(const struct kn_capture *cap);
/* Why a live capture ended ("capture on IF stopped: ..."), or NULL while
 * it runs; from then on kn_capture_dispatch returns -1. */
const char *kn_capture_stopped(const struct kn_capture *cap);
void kn_capture_drops(struct kn_capture *cap, struct kn_capture_drops *d);

/* Keep the last n finished transactions (call once, before dispatching).
 * Entries are numbered by completion: kn_capture_recent(cap, seq) for
 * kn_capture_recent_oldest(cap) <= seq < kn_capture_recent_added(cap);
 * NULL once overwritten. Borrowed until the next dispatch. */
enum kn_err kn_capture_keep_recent(struct kn_capture *cap, uint32_t n,
				   char *errbuf);
uint64_t kn_capture_recent_added(const struct kn_capture *cap);
/* HTTP: the kept head of direction dir (0 request, 1 response) of r, len
 * bytes of '\n'-terminated lines (struct kn_txn_heads: raw bytes,
 * credentials redacted); len 0 when none; trunc when it was cut. The
 * text is borrowed from r. */
const char *kn_recent_head(const struct kn_recent *r, int dir, size_t *len,
			   bool *trunc);
uint64_t kn_capture_recent_oldest(const struct kn_capture *cap);
const struct kn_recent *kn_capture_recent(const struct kn_capture *cap,
					  uint64_t seq);

/* Name of ip ("ns/pod", "ns/service", "node/NAME") or NULL. The string
 * lives in the capture's cache until the namer changes. */
const char *kn_capture_name(struct kn_capture *cap, const struct kn_ipaddr *ip);
/* Is ip's owner in namespace ns (its name is "ns/...")? */
bool kn_capture_in_ns(struct kn_capture *cap, const struct kn_ipaddr *ip,
		      const char *ns);

const struct kn_capture_counters *
kn_capture_counters(const struct kn_capture *cap);
/* NULL before the first dispatch. */
const struct kn_txn_counters *
kn_capture_txn_counters(const struct kn_capture *cap);
/* With workers and neither a sink, a recent ring nor --anonymize, each
 * worker keeps its own statistics: these are theirs merged at the end
 * (at the end of a file or kn_capture_finish), empty before. */
const struct kn_traffic_stats *kn_capture_stats(const struct kn_capture *cap);

#endif
