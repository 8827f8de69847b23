/* Transactions (DNS query/response, HTTP request/response, TLS hello)
 * matched from decoded packets, with bounded tables and capture-time
 * timeouts. The capture engine owns one; the report and the UI receive
 * finished transactions through a sink. */
#ifndef K8SNET_TXN_H
#define K8SNET_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/err.h"
#include "k8snet/ipaddr.h"
#include "k8snet/layers.h"

enum kn_txn_type { KN_TXN_DNS, KN_TXN_HTTP, KN_TXN_TLS };

/* What a transaction keeps of its strings, terminating NULs included.
 * A name's text is at most KN_DNS_NAMETXT (512) bytes, so a qname is
 * never cut here; answers, host and path are cut at their bound and
 * marked (answers_cut, host_cut, path_cut). Answers and path live on
 * the heap at their own length: a transaction costs what it holds. */
#define KN_TXN_QNAME 512
#define KN_TXN_ANSWERS 4096 /* answer texts, each NUL-terminated */
#define KN_TXN_HOST 256
#define KN_TXN_PATH 4096

#define KN_TXN_HEAD_KEEP 2048 /* head bytes kept per direction */

/* The request and response heads of an HTTP transaction as kept by
 * kn_http_head_keep: start line and field lines, '\n'-terminated, raw
 * wire bytes (escape before display) except credential values, which are
 * replaced by "<redacted N bytes>" before they are ever stored. */
struct kn_txn_heads {
	uint16_t len[2]; /* bytes of data: [0] request, [1] response */
	bool trunc[2];	 /* cut at KN_TXN_HEAD_KEEP */
	char data[];	 /* len[0] request bytes, then len[1] */
};

/* Room for any kept heads (both directions at their limit). */
#define KN_TXN_HEADS_MAX (sizeof(struct kn_txn_heads) + 2 * KN_TXN_HEAD_KEEP)

struct kn_txn_peer {
	struct kn_ipaddr ip;
	uint16_t port;
};

/* One finished transaction. Strings are raw wire bytes (NUL-terminated,
 * possibly truncated to their field): escape before display. */
struct kn_txn {
	uint64_t seq; /* order of the first packet */
	/* The place of that packet in a capture sharded over several
	 * engines (kn_txn_engine_set_order); 0 for a lone engine. */
	uint64_t order;
	uint64_t ts_us;	    /* first packet, microseconds since epoch */
	int64_t latency_us; /* -1: never answered */
	struct kn_txn_peer client, server;
	struct kn_ipaddr outer_client, outer_server; /* family 0 if none */
	uint8_t type;				     /* enum kn_txn_type */
	uint8_t transport;			     /* 6 TCP, 17 UDP */
	uint8_t encap;				     /* enum kn_encap */
	bool answered;
	union {
		struct {
			uint16_t id, qtype;
			int32_t rcode;	  /* -1: none (unanswered) */
			uint16_t ancount; /* answer records in the response */
			uint16_t retrans; /* repeated queries */
			/* NXDOMAIN of a search-path try */
			bool search_expansion;
			/* enum kn_icmp_err: the query got an ICMP error
			 * instead of an answer (rcode -1) */
			uint8_t error;
			uint8_t nanswers; /* texts kept in answers[] */
			/* not every answer record is in answers[] in full
			 * (past KN_TXN_ANSWERS, or without a text form) */
			bool answers_cut;
			uint16_t answers_len; /* bytes of answers, NULs too */
			uint16_t qname_len;
			char qname[KN_TXN_QNAME];
			/* nanswers NUL-terminated texts back to back; NULL
			 * when none. Owned by the engine (valid during the
			 * sink call). */
			char *answers;
		} dns;
		struct {
			int32_t status; /* -1: no response */
			uint8_t minor;
			/* a response whose request was not captured: method,
			 * host and path are "" and latency is -1 */
			bool unmatched;
			/* bytes of the exchange were not captured (a lost
			 * segment): the byte counts fall short */
			bool gap;
			/* the request-target or Host was longer than
			 * KN_TXN_PATH - 1 or KN_TXN_HOST - 1 bytes: cut */
			bool path_cut, host_cut;
			uint64_t req_bytes, resp_bytes; /* heads + bodies */
			char method[24];
			char host[KN_TXN_HOST];
			/* the request-target, never NULL; owned by the
			 * engine (valid during the sink call) */
			char *path;
			/* Out of line, so DNS and TLS transactions do not
			 * grow; NULL when none was kept (no_heads). Owned by
			 * the engine (valid during the sink call). */
			struct kn_txn_heads *heads;
		} http;
		struct {
			uint16_t version;
			char sni[256];
			char alpn[128];
		} tls;
	} u;
};

/* Called once per transaction; t is valid only during the call. */
typedef void (*kn_txn_sink)(void *arg, const struct kn_txn *t);

struct kn_txn_config {
	bool ordered;	      /* file: emit in first-packet order */
	bool want_answers;    /* format answer texts (jsonl, UI) */
	uint32_t max_flows;   /* TCP connections tracked (default 32768) */
	uint32_t max_pending; /* DNS queries awaiting an answer (65536) */
	uint32_t ring;	      /* transactions in flight, power of 2 (16384) */
	uint32_t tcp_bufs;    /* reassembly buffers of 16 KiB (1024) */
	uint64_t dns_timeout_us;  /* 5 s */
	uint64_t http_timeout_us; /* 30 s */
	uint64_t flow_idle_us;	  /* 120 s */
	/* Keep no HTTP heads (kn_txn.u.http.heads stays NULL): nobody sees
	 * the transactions one by one, only statistics, which never read
	 * them. */
	bool no_heads;
};

struct kn_txn_counters {
	uint64_t dns_queries, dns_responses, dns_retrans, dns_unanswered;
	uint64_t dns_unmatched, dns_late, dns_malformed, dns_tcp_oversize;
	/* ICMP port unreachables matched to a pending query, and those
	 * that quote none (or too little of one to tell) */
	uint64_t dns_unreachable, dns_icmp_unmatched;
	uint64_t http_requests, http_responses, http_unmatched;
	uint64_t http_unanswered, http_malformed, http_head_too_large;
	uint64_t http_pipeline_overflow;
	/* holes that cut an HTTP stream, and the times it found its place
	 * again (a segment starting a request or status line) */
	uint64_t http_gaps, http_resyncs;
	/* the same for DNS over TCP (a segment starting a length-prefixed
	 * message) */
	uint64_t dns_tcp_gaps, dns_tcp_resyncs;
	uint64_t tls_hellos, tls_malformed;
	uint64_t tcp_retrans, tcp_overlaps, tcp_ooo, tcp_gaps, tcp_nobuf;
	uint64_t flows, flows_closed, flows_expired, flows_evicted;
	uint64_t pending_evicted, ring_forced;
};

struct kn_txn_engine;

/* Capture time between the engine's ticks (timeouts, emission). */
#define KN_TXN_TICK_US 100000

/* cfg NULL means defaults. Tables are allocated once here. */
enum kn_err kn_txn_engine_new(const struct kn_txn_config *cfg, kn_txn_sink sink,
			      void *arg, struct kn_txn_engine **out,
			      char *errbuf);
void kn_txn_engine_free(struct kn_txn_engine *e);

/* One decoded UDP/TCP packet at capture time ts_us (borrows p). */
void kn_txn_engine_packet(struct kn_txn_engine *e, uint64_t ts_us,
			  const struct kn_pkt *p);
/* The same for an engine fed one shard of a capture, whose clock is the
 * whole capture's: now is the latest packet time of the capture so far
 * (ts or later). Such an engine never ticks by itself: its driver calls
 * kn_txn_engine_tick where a lone engine would have ticked. */
void kn_txn_engine_packet_at(struct kn_txn_engine *e, uint64_t ts, uint64_t now,
			     const struct kn_pkt *p);
/* Transactions begun from now on carry order (kn_txn.order): where the
 * packet that began them lies in the whole capture, so that the
 * transactions of several engines can be merged in one order. Orders
 * given must not decrease. */
void kn_txn_engine_set_order(struct kn_txn_engine *e, uint64_t order);
/* The order of the oldest transaction not yet emitted; UINT64_MAX when
 * every one has been. */
uint64_t kn_txn_engine_pending_order(const struct kn_txn_engine *e);
/* Emit the oldest transaction not yet emitted now (expired if it is
 * still open), as a full ring does; counted in ring_forced. */
void kn_txn_engine_force(struct kn_txn_engine *e);
/* Advance capture time (live idle periods): timeouts fire. */
void kn_txn_engine_tick(struct kn_txn_engine *e, uint64_t now_us);
/* End of input: everything still open is finished (unanswered ones with
 * rcode/status -1) and emitted. Connections are closed in the order they
 * began; what a close begins carries the order set last plus the order
 * of the connection's first packet. */
void kn_txn_engine_finish(struct kn_txn_engine *e);
const struct kn_txn_counters *
kn_txn_engine_counters(const struct kn_txn_engine *e);

/* Is nx (an NXDOMAIN name) a search-path expansion that later becomes
 * next? True when nx = B.S1 and next = B or B.S2 with S2 a label suffix
 * of S1 (resolv.conf search order). Case-insensitive. */
bool kn_txn_is_search_expansion(const char *nx, size_t nxlen, const char *next,
				size_t nextlen);

#endif
