/* The application context: one per process, passed where it is needed. */
#ifndef K8SNET_APP_H
#define K8SNET_APP_H

#include <stdbool.h>

#include "k8snet/err.h"
#include "k8snet/opts.h"

struct kn_loop;
struct kn_model;
struct kn_capture;
struct kn_capture_config;
struct kn_ui;
struct kn_anon;
struct kn_kube;
struct kn_nodeview;
struct kn_plan;

enum kn_conn_state {
	KN_CONN_NONE, /* no live source (demo, snapshot) */
	KN_CONN_CONNECTING,
	KN_CONN_SYNCED,
	KN_CONN_DEGRADED, /* retrying */
};

struct kn_app {
	struct kn_opts opts;
	struct kn_loop *loop;	      /* owned */
	struct kn_model *model;	      /* owned; NULL until a source loads */
	struct kn_capture *capture;   /* owned; NULL without -i/-r/--demo */
	struct kn_ui *ui;	      /* owned; NULL with --once */
	struct kn_anon *anon;	      /* owned; --anonymize, else NULL */
	struct kn_kube *kube;	      /* owned; live Kube-API client or NULL */
	struct kn_nodeview *nodeview; /* owned; node port checks, node files */
	struct kn_plan *plan;	      /* owned; --filename, else NULL */
	/* The node agents the console reads (--agents, or found by their
	 * DaemonSet's label); owned by the UI, NULL without. */
	struct kn_agents_feed *agents;
	char context_sel[128];	 /* :ctx NAME (opts.context points here) */
	char source[128];	 /* "demo", "snapshot x.json", context */
	long request_timeout_ms; /* --request-timeout given, else 0 */
	enum kn_conn_state conn;
	bool insecure_tls; /* warning stays in the header */
	/* Why a capture runs without cluster names (no cluster reached):
	 * kn_source_open leaves it for main to give once the capture has
	 * opened, so a capture that fails says only why. "" when none. */
	char no_cluster[KN_ERRBUF];
	/* How main.c opened the capture (options, --anonymize, the hook
	 * before -Z); the console's interface picker opens its capture the
	 * same way on the interface chosen. Borrowed; NULL in tests. */
	const struct kn_capture_config *capture_cfg;
};

#endif
