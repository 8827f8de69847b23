/* The nodes' port picture for the app: probe targets built from the
 * cluster model (roles from labels and from where the control-plane static
 * pods run, InternalIPs, NodePorts), the prober's lifecycle in the loop,
 * canned results for --demo, the local node's listeners, and what the
 * node's own files say (CNI conf, kubelet clusterDNS/clusterDomain)
 * compared with the cluster. */
#ifndef K8SNET_NODEVIEW_H
#define K8SNET_NODEVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/cniconf.h"
#include "k8snet/err.h"
#include "k8snet/kubelet.h"
#include "k8snet/listeners.h"
#include "k8snet/model.h"
#include "k8snet/probe.h"

struct kn_nodeview;

/* How a node was found to be a control-plane node (bits). */
enum {
	KN_CP_BY_LABEL = 1, /* node-role.kubernetes.io/control-plane|master */
	KN_CP_BY_PODS = 2,  /* kube-system/kube-apiserver-* or etcd-* runs
			     * there */
};

/* ---- pure: from the model ---- */

/* A node as the probes see it. */
struct kn_nv_node {
	const char *name;    /* borrowed from the model */
	struct kn_ipaddr ip; /* InternalIP; family 0: none */
	unsigned cp;	     /* KN_CP_BY_* bits; 0: worker */
};

/* Every node of m, sorted by name, with its control-plane evidence.
 * *out: new array (caller frees), names borrowed from the model. */
size_t kn_nodeview_nodes(const struct kn_model *m, struct kn_nv_node **out);

/* True when the model has nodes and none of them is a control-plane node
 * (EKS, GKE, AKS ...): the API server runs elsewhere, which is no
 * failure. */
bool kn_nodeview_managed(const struct kn_model *m);

/* The probe targets for m under mode, with DESIGN.md's component names
 * (kube-apiserver, etcd, etcd-peer, kubelet, kube-controller-manager,
 * kube-scheduler, kube-proxy-health, "NodePort ns/svc"). Per node:
 * the known ports of its role, then (mode nodeports) every allocated
 * NodePort. *out: caller frees with kn_probe_targets_free; strings borrow
 * from the model and the array. */
enum kn_err kn_nodeview_targets(const struct kn_model *m,
				enum kn_probe_mode mode,
				struct kn_probe_target **out, size_t *nout);

/* The CNI DaemonSet of m (the one kn_model_cni names), or NULL. */
const struct kn_daemonset *kn_nodeview_cni_ds(const struct kn_model *m);
/* Pods of that DaemonSet on node: ready and total. */
void kn_nodeview_cni_pods(const struct kn_model *m,
			  const struct kn_daemonset *ds, const char *node,
			  uint32_t *ready, uint32_t *total);

/* ---- the app's view ---- */

/* Node-local facts, read when the console runs on a node (or --host-root
 * points at one). */
struct kn_nv_host {
	bool present;	  /* read at all */
	const char *node; /* the local node's name or NULL */
	const char *root; /* host root used ("/" default) */
	bool have_cni;
	struct kn_cniconf cni;
	char cni_err[KN_ERRBUF]; /* why there is no conf ("" if none) */
	bool have_kubelet;
	struct kn_kubelet kubelet;
	struct kn_strs problems; /* clusterDNS/clusterDomain mismatches */
	struct kn_strs notes;	 /* e.g. NodeLocal DNSCache in use */
};

struct kn_anon;
struct kn_loop;

/* What the view reads; everything borrowed and outliving the view. */
struct kn_nodeview_config {
	struct kn_loop *loop;	       /* the prober's and the sync timer's */
	struct kn_model *const *model; /* where the current model is: *model
					* is NULL until a source loads, and
					* a context switch replaces it */
	struct kn_anon *anon;	       /* --anonymize, else NULL */
	const char *host_root;	       /* --host-root, else NULL ("/") */
	enum kn_probe_mode mode;       /* --probe */
	bool probe_external;	       /* probe ExternalIPs, not Internal */
	bool demo;		       /* canned results, no probing */
};

/* A new view (cfg is copied). Nothing runs yet. Caller frees. */
struct kn_nodeview *kn_nodeview_new(const struct kn_nodeview_config *cfg);
void kn_nodeview_free(struct kn_nodeview *nv);
/* Override the --probe mode (before the first sync). */
void kn_nodeview_set_mode(struct kn_nodeview *nv, enum kn_probe_mode mode);
/* cb(arg) when a sweep ends (the console asks for a redraw). */
void kn_nodeview_set_notify(struct kn_nodeview *nv, void (*cb)(void *arg),
			    void *arg);

/* The console: sweep now and every 30 s, re-target when the model
 * changes, redraw the screen when a sweep ends. --probe none and --demo
 * never probe. */
void kn_nodeview_start(struct kn_nodeview *nv);
/* The re-probe key: sweep now (again after the running one). */
void kn_nodeview_sweep(struct kn_nodeview *nv);
/* --once: one sweep bounded by limit_ms, then the results stay. With
 * --demo or --probe none nothing touches the network. KN_ERR_AGAIN when
 * the limit cut the sweep short (errbuf says how many were not probed). */
enum kn_err kn_nodeview_run_once(struct kn_nodeview *nv, int limit_ms,
				 char *errbuf);
/* Re-target if the model changed since the last call (cheap otherwise). */
void kn_nodeview_sync(struct kn_nodeview *nv);

/* Results of node, in target order (known ports, then NodePorts).
 * *out borrows an internal array valid until the next sync or sweep end;
 * returns the count. */
size_t kn_nodeview_ports(struct kn_nodeview *nv, const char *node,
			 const struct kn_probe_result *const **out);
/* Who listens on port of node (only the local node), or NULL. */
const struct kn_listener *kn_nodeview_listener(struct kn_nodeview *nv,
					       const char *node, uint16_t port);
/* True when results are the canned demo picture. */
bool kn_nodeview_demo(const struct kn_nodeview *nv);
/* Probing mode in effect. */
enum kn_probe_mode kn_nodeview_mode(const struct kn_nodeview *nv);
/* Moves when any result changed (redraw when it did). */
uint64_t kn_nodeview_generation(const struct kn_nodeview *nv);
/* True while a sweep runs. */
bool kn_nodeview_busy(const struct kn_nodeview *nv);
/* Wall-clock ms of the last finished sweep, 0: none yet. */
int64_t kn_nodeview_last_sweep(const struct kn_nodeview *nv);
/* The node this console runs on (its address is a node's InternalIP),
 * or NULL. Borrowed. */
const char *kn_nodeview_local_node(const struct kn_nodeview *nv);
/* Node-local facts (read on first call); never NULL, check ->present. */
const struct kn_nv_host *kn_nodeview_host(struct kn_nodeview *nv);

/* Pure: the kubelet's clusterDNS and clusterDomain against the kube-dns
 * service's ClusterIP and the cluster domain of m; mismatches go to
 * h->problems, a NodeLocal DNSCache address to h->notes. */
void kn_nodeview_check_kubelet(const struct kn_model *m,
			       const struct kn_kubelet *k,
			       struct kn_nv_host *h);

/* The kube-proxy mode the kube-system/kube-proxy ConfigMap says
 * ("iptables", "ipvs", "nftables", "kernelspace"; "" is the default,
 * iptables on Linux), or NULL when the model has no such ConfigMap. */
const char *kn_nodeview_proxy_mode(const struct kn_model *m);

/* Short state glyphs for a column: "o" open, "c" closed, "f" filtered,
 * "-" skipped (ascii) or "●" "○" "✕" "·". Static. */
const char *kn_nodeview_glyph(enum kn_port_state s, bool ascii);

#endif
