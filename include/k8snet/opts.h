/* Command-line options (DESIGN.md section 3) and their parser. */
#ifndef K8SNET_OPTS_H
#define K8SNET_OPTS_H

#include <stdbool.h>
#include <stdio.h>

#include "k8snet/err.h"

#define KN_MAX_SNAPSHOTS 32
#define KN_MAX_FILENAMES 64
#define KN_WORKERS_MAX 64 /* --workers: KN_CAPTURE_WORKERS_MAX */

enum kn_output { KN_OUT_TABLE, KN_OUT_WIDE, KN_OUT_JSON, KN_OUT_JSONL };
enum kn_probe_mode { KN_PROBE_NONE, KN_PROBE_KNOWN, KN_PROBE_NODEPORTS };

/* Pane identifiers, in tab order. */
enum kn_pane_id {
	KN_PANE_PODS,
	KN_PANE_SERVICES,
	KN_PANE_DNS,
	KN_PANE_INGRESS,
	KN_PANE_NODES,
	KN_PANE_TRAFFIC,
	KN_PANE_POLICIES,
	KN_PANE_ROUTES, /* Gateway API routes */
	KN_PANE__COUNT
};

/* Strings point into argv (borrowed); nothing here is freed. */
struct kn_opts {
	const char *progname; /* "k8snet-top" or "kubectl netview" */
	const char *kubeconfig, *context, *cluster, *user;
	const char *namespace; /* NULL: all namespaces */
	const char *request_timeout;
	const char *snapshots[KN_MAX_SNAPSHOTS];
	int nsnapshots;
	/* --filename: manifests planned on top of the source */
	const char *filenames[KN_MAX_FILENAMES];
	int nfilenames;
	bool demo;
	const char *interface, *read_file, *filter, *write_file;
	double duration;
	const char *drop_user;
	bool no_decap;
	/* --workers N: decoding threads (0: as many as the cores this
	 * process may run on, see kn_capture_default_workers) */
	unsigned workers;
	bool replay; /* -r in the console with its timing */
	bool once;
	enum kn_output output;
	bool output_set;
	enum kn_pane_id pane;
	bool pane_set;
	enum kn_probe_mode probe;
	bool probe_external; /* probe nodes' ExternalIP, not InternalIP */
	const char *theme;
	bool no_color, ascii, anonymize;
	const char *cluster_domain;
	const char *host_root;
	const char *log_file;
	/* --can SRC DST [--port P[/PROTO]]: ns/pod, ns/service or an IP;
	 * port "" or NULL: any. */
	const char *can_from, *can_to, *can_port;
	bool check; /* --check: print findings, exit 3 when there are */
	/* --agent: a node agent writing JSON lines (src/agent) */
	bool agent;
	double agent_interval; /* seconds between summaries (5) */
	double agent_slow_ms;  /* a transaction this slow is written (1000) */
	bool agent_detail_all; /* --agent-detail all: every transaction */
	bool agent_query;      /* --agent-query: HTTP query strings kept */
	unsigned agent_rate;   /* transaction lines a second at most (200) */
	unsigned agent_topk;   /* summary keys an interval (100) */
	/* --agents NS: read the node agents in NS through the Kube-API */
	const char *agents_ns;
	bool help, version;
};

/* Parse argv into o. On a usage error returns KN_ERR_INVAL with a
 * one-line message in errbuf (exit status 2). argv0 decides progname:
 * "kubectl-netview" names itself "kubectl netview". */
enum kn_err kn_opts_parse(struct kn_opts *o, int argc, char **argv,
			  char *errbuf);

void kn_opts_usage(const struct kn_opts *o, FILE *f);

/* "pods" -> KN_PANE_PODS; returns -1 if unknown. */
int kn_pane_from_name(const char *name);
const char *kn_pane_name(enum kn_pane_id id);

#endif
