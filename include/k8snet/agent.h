/* Node agents: the writer of `--agent` (compact JSON lines on stdout:
 * failing and slow transactions in full, summaries every interval, node
 * facts) and, for the console, the reader of those lines (a parser of
 * untrusted bytes) and the merge of many agents' summaries.
 *
 * A line is one JSON object of at most KN_AGENT_LINE_MAX bytes with
 * "k" (its kind: "node", "txn", "agg", "sum"), "i" (the agent
 * instance, 16 hex digits, new at every start) and "seq" (1, 2, ... in
 * the instance). (i, seq) names a line: a reader that sees a line twice
 * (a log stream resumed from a timestamp) drops the second one. The
 * format is in docs/internals/agent.md. */
#ifndef K8SNET_AGENT_H
#define K8SNET_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "k8snet/err.h"
#include "k8snet/ipaddr.h"
#include "k8snet/traffic.h"
#include "k8snet/txn.h"

#define KN_AGENT_LINE_MAX 16384 /* bytes of a line, its newline included */
#define KN_AGENT_KEYS 2048	/* summary keys an interval; more: other */
#define KN_AGENT_NAME 256	/* a key's name (qname, host, SNI), NUL too */
#define KN_AGENT_CODES 8	/* rcodes or statuses of a key; more: other */
#define KN_AGENT_LISTENERS 256	/* listeners on a node line; more: cut */

/* ---- the writer (--agent) ---- */

/* Called with each line, its newline included (borrowed for the call). */
typedef void (*kn_agent_emit)(void *arg, const char *line, size_t len);

struct kn_agent_config {
	const char *node;   /* the node's name (NODE_NAME), borrowed */
	uint64_t instance;  /* names this run in every line */
	int64_t slow_us;    /* slower transactions are written; <0: none */
	bool detail_all;    /* every transaction is written */
	bool keep_query;    /* HTTP paths keep their query strings */
	unsigned rate;	    /* transaction lines a second at most */
	unsigned topk;	    /* summary keys written an interval */
	kn_agent_emit emit; /* where lines go */
	void *arg;
};

/* What the capture lost, for the summary and node lines. */
struct kn_agent_drops {
	bool live;
	uint64_t received, kernel, interface, evicted;
};

struct kn_agent_writer;

/* cfg is copied (strings borrowed). Caller frees. NULL on no memory. */
struct kn_agent_writer *kn_agent_writer_new(const struct kn_agent_config *cfg);
void kn_agent_writer_free(struct kn_agent_writer *w);

/* One finished transaction at wall time now_us: aggregated, and written
 * in full when it failed or was slow (or with detail_all), within the
 * rate; what the rate left out is counted in the next summary. */
void kn_agent_writer_txn(struct kn_agent_writer *w, const struct kn_txn *t,
			 uint64_t now_us);
/* The interval ends at now_us: its top keys as "agg" lines, the rest
 * folded into one "other" line per protocol, then a "sum" line. */
void kn_agent_writer_summary(struct kn_agent_writer *w, uint64_t now_us,
			     const struct kn_agent_drops *d);

struct kn_listeners;
struct kn_cniconf;
struct kn_kubelet;

/* The node's facts (src/agent/facts.c reads them). */
struct kn_agent_facts {
	const char *interface, *filter; /* the capture's */
	struct kn_listeners *listeners; /* NULL: not read (err says why) */
	char listeners_err[KN_ERRBUF];
	struct kn_cniconf *cni; /* NULL: none (cni_err says why) */
	char cni_err[KN_ERRBUF];
	struct kn_kubelet *kubelet; /* NULL: not found */
};

/* A "node" line when the facts differ from the last ones written (or
 * force). Returns true when one was written. */
bool kn_agent_writer_node(struct kn_agent_writer *w,
			  const struct kn_agent_facts *f,
			  const struct kn_agent_drops *d, uint64_t now_us,
			  bool force);

/* Counters for tests and the figures. */
struct kn_agent_writer_stats {
	uint64_t lines, bytes, txn_lines, left_out, folded, cut;
};
const struct kn_agent_writer_stats *
kn_agent_writer_stats(const struct kn_agent_writer *w);

/* What an HTTP request-target shows: the path without its query string
 * (kept with keep_query, --agent-query) or fragment, and an
 * absolute-form target without its userinfo. Writes at most n-1 bytes
 * and a NUL into out. */
void kn_agent_safe_path(const char *target, bool keep_query, char *out,
			size_t n);

struct kn_app;
struct kn_agent_facts_store;
/* --agent: capture app->capture until SIGINT/SIGTERM/SIGHUP (or a file's
 * end), writing lines to out. facts (taken; may be NULL) were read
 * before the capture dropped root, which can see more (the owners of
 * listening sockets). Returns the exit status. */
int kn_agent_run(struct kn_app *app, FILE *out,
		 struct kn_agent_facts_store *facts);

/* Read the node's facts under host_root (NULL: "/"); the caller frees
 * with kn_agent_facts_free. The capture's interface and filter are not
 * set (NULL). */
struct kn_agent_facts_store *kn_agent_facts_read(const char *host_root);
const struct kn_agent_facts *
kn_agent_facts_get(const struct kn_agent_facts_store *s);
void kn_agent_facts_free(struct kn_agent_facts_store *s);

/* ---- the reader (the console) ---- */

enum kn_agentline_kind {
	KN_AL_NODE,
	KN_AL_TXN,
	KN_AL_AGG,
	KN_AL_SUM,
};

struct kn_agentline_code {
	int32_t code; /* rcode or status; -1: no answer */
	uint64_t count;
};

/* One parsed line. Strings are copied into it (escape before display).
 * Large: allocate it once and reuse it. */
struct kn_agentline {
	enum kn_agentline_kind kind;
	uint64_t instance, seq;
	uint64_t t0_us, t1_us; /* agg, sum: the interval */
	/* txn: the transaction (strings point into this struct) */
	struct kn_txn txn;
	char why[16];
	char path[KN_TXN_PATH];
	char answers[KN_TXN_ANSWERS];
	/* agg */
	uint8_t type; /* enum kn_txn_type */
	bool other;   /* the keys past the top ones, summed */
	struct kn_ipaddr client, server;
	uint16_t port;
	char name[KN_AGENT_NAME];
	uint64_t n, folded_keys;
	struct kn_agentline_code codes[KN_AGENT_CODES];
	uint32_t ncodes;
	uint64_t codes_other;
	uint64_t req_bytes, resp_bytes;
	struct kn_lat_hist lat;
	/* sum */
	uint64_t txn_counts[3]; /* dns, http, tls in the interval */
	uint64_t left_out, keys_folded;
	/* sum, node */
	bool have_drops;
	uint64_t received, kernel_drops, interface_drops, evicted;
	/* node */
	char node[256];
	char cni[256];	   /* "plugin name file", "" when none */
	uint64_t cni_hash; /* of the CNI facts: nodes that differ differ */
	uint32_t nlisteners;
	struct {
		struct kn_ipaddr ip;
		uint16_t port;
		uint8_t proto; /* 6 TCP, 17 UDP */
		char comm[16];
	} listeners[KN_AGENT_LISTENERS];
	char cluster_dns[64];
};

/* Pure: parse one line (without its newline) into out. KN_ERR_PARSE
 * with the reason in errbuf when it is not an agent line (or too long:
 * KN_ERR_LIMIT). Never reads past len. */
enum kn_err kn_agentline_parse(const char *line, size_t len,
			       struct kn_agentline *out, char *errbuf);

/* An rcode or status as the lines and reports name it: "NXDOMAIN",
 * "503", "none" (no answer, code < 0). */
void kn_agent_code_name(uint8_t type, int32_t code, char *out, size_t n);
/* Count count more of code in codes[0..*n) (KN_AGENT_CODES at most; a
 * new code past them goes to *other). */
void kn_agent_codes_add(struct kn_agentline_code *codes, uint32_t *n,
			uint64_t *other, int32_t code, uint64_t count);

struct kn_buf;
/* codes[0..n) and other as a JSON object {"NOERROR":3,"none":1,...}. */
void kn_agent_codes_json(struct kn_buf *b, uint8_t type,
			 const struct kn_agentline_code *codes, uint32_t n,
			 uint64_t other);

/* ---- the merge of many agents (the console) ---- */

#define KN_AGENTS_MAX_KEYS 20000 /* merged keys (~2.9 KB each); more: other */
#define KN_AGENTS_INSTANCES 4	 /* agent runs remembered per node */

/* One node as its agent's lines describe it. Strings escaped before
 * display. */
struct kn_agent_node {
	char node[256]; /* spec.nodeName of the pod, else the pod's name */
	char pod[256];	/* the pod followed now */
	bool streaming; /* its log is being read */
	uint64_t lines, bytes, dups, bad_lines, txn_lines, sums;
	/* lines missing between those read of one run (a gap in seq) */
	uint64_t lost;
	uint64_t last_line_ms; /* kn_now_ms() of the last line, 0: none */
	uint64_t runs;	       /* agent instances seen (restarts + 1) */
	struct {
		uint64_t instance, seq, used;
	} inst[KN_AGENTS_INSTANCES];
	uint64_t clock;
	/* the last summary's and node line's */
	bool have_drops;
	uint64_t received, kernel_drops, interface_drops, evicted;
	uint64_t left_out, folded;
	bool have_facts;
	char cni[256];
	uint64_t cni_hash;
	char cluster_dns[64];
	uint32_t nlisteners;
	struct kn_ipaddr lis_ip[KN_AGENT_LISTENERS];
	uint16_t lis_port[KN_AGENT_LISTENERS];
	uint8_t lis_proto[KN_AGENT_LISTENERS]; /* 6 TCP, 17 UDP */
	char lis_comm[KN_AGENT_LISTENERS][16];
};

/* One merged summary key (client, server, port, protocol, name), or a
 * protocol's other. */
struct kn_agents_key {
	uint64_t hash;
	uint8_t type;
	bool other;
	struct kn_ipaddr client, server;
	uint16_t port;
	char name[KN_AGENT_NAME];
	uint64_t n, req_bytes, resp_bytes, codes_other;
	struct kn_agentline_code codes[KN_AGENT_CODES];
	uint32_t ncodes;
	struct kn_lat_hist lat;
	uint32_t nodes; /* nodes that counted it (up to 32 told apart) */
	uint32_t node_bits;
};

struct kn_agents_merge;

struct kn_agents_merge *kn_agents_merge_new(void);
void kn_agents_merge_free(struct kn_agents_merge *m);

enum kn_agents_verdict {
	KN_AGENTS_TAKEN, /* new: counted */
	KN_AGENTS_DUP,	 /* seen before (a resumed stream): dropped */
	KN_AGENTS_BAD,	 /* not an agent line: counted, dropped */
};

/* One line of node's log (the pod's, without the timestamp). al is the
 * caller's scratch and holds the parsed line afterwards (a transaction
 * to show when al->kind is KN_AL_TXN). now_ms stamps the node's last
 * line. */
enum kn_agents_verdict kn_agents_merge_line(struct kn_agents_merge *m,
					    const char *node, const char *pod,
					    const char *line, size_t len,
					    uint64_t now_ms,
					    struct kn_agentline *al);
/* The node's entry (made when new); NULL on no memory. */
struct kn_agent_node *kn_agents_node(struct kn_agents_merge *m,
				     const char *node);
/* The node's entry if a line of it was merged, else NULL (m may be
 * NULL). */
struct kn_agent_node *kn_agents_node_find(const struct kn_agents_merge *m,
					  const char *node);
size_t kn_agents_nnodes(const struct kn_agents_merge *m);
struct kn_agent_node *kn_agents_node_at(struct kn_agents_merge *m, size_t i);
/* Merged keys, in the order they first came; sort a copy to rank. */
size_t kn_agents_nkeys(const struct kn_agents_merge *m);
const struct kn_agents_key *kn_agents_key_at(const struct kn_agents_merge *m,
					     size_t i);
/* Totals over every key of type: transactions, unanswered, and the
 * latency histogram. */
void kn_agents_totals(const struct kn_agents_merge *m, uint8_t type,
		      uint64_t *n, uint64_t *none, struct kn_lat_hist *lat);
/* The CNI configuration most nodes have (its hash), 0 when none. */
uint64_t kn_agents_cni_majority(const struct kn_agents_merge *m);

#endif
