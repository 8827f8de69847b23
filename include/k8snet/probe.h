/* Node port checks: non-blocking TCP connects run inside the one event loop.
 *
 * The prober takes plain inputs (a list of targets: node name, address,
 * port, component label) and keeps one result per target: state, round-trip
 * time and the time of the last check. It never reads the cluster model;
 * the caller builds targets from nodes and their roles (see
 * kn_probe_targets_build) and hands them over. */
#ifndef K8SNET_PROBE_H
#define K8SNET_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/err.h"
#include "k8snet/ipaddr.h"
#include "k8snet/opts.h"

struct kn_loop;
struct kn_prober;

/* DESIGN.md section 4: "open", "closed", "filtered", "skipped". */
enum kn_port_state {
	KN_PORT_SKIPPED = 0, /* not probed (mode none, no address, not yet) */
	KN_PORT_OPEN,	     /* the connect completed */
	KN_PORT_CLOSED,	     /* refused or reset: the host answered */
	KN_PORT_FILTERED,    /* timeout, or unreachable host or network */
};

#define KN_PROBE_CONCURRENCY 64
#define KN_PROBE_TIMEOUT_MS 1000
#define KN_PROBE_INTERVAL_MS 30000

/* One thing to check. Strings are borrowed by the setters below, which
 * copy them. An address of family 0 (the node has none) or skip = true
 * gives a target that is listed but never probed (state skipped). */
struct kn_probe_target {
	const char *node; /* node name */
	struct kn_ipaddr ip;
	uint16_t port;
	const char *component; /* "kubelet", "etcd", "NodePort shop/web" */
	bool skip;
};

/* The outcome for one target. */
struct kn_probe_result {
	const char *node;      /* owned by the prober */
	const char *component; /* owned by the prober */
	struct kn_ipaddr ip;
	uint16_t port;
	enum kn_port_state state;
	double rtt_ms;	    /* open/closed: connect round trip; else -1 */
	int64_t checked_ms; /* wall clock (Unix ms) of the last check; 0:
			     * never checked */
	int err;	    /* errno behind closed/filtered, else 0 */
	bool probing;	    /* a connect is in flight right now */
};

/* Counts of one finished sweep, given to the completion callback. */
struct kn_probe_sweep {
	size_t total, open, closed, filtered, skipped;
	uint64_t started_ms, ended_ms; /* kn_now_ms() */
	bool aborted;		       /* cut short (new targets, timeout) */
};

/* Called when a sweep reaches its end (not when one is cut short). It may
 * call kn_prober_sweep, but not kn_prober_set_targets nor kn_prober_free. */
typedef void (*kn_probe_done_cb)(void *arg, const struct kn_probe_sweep *s);

struct kn_probe_cfg {
	unsigned concurrency;  /* connects in flight; 0: 64 */
	unsigned timeout_ms;   /* per connect; 0: 1000 */
	unsigned interval_ms;  /* re-sweep period after kn_prober_start; 0:
				* 30000 */
	kn_probe_done_cb done; /* after each sweep; may be NULL */
	void *done_arg;
};

/* Defaults (64, 1000 ms, 30 s, no callback). */
void kn_probe_cfg_init(struct kn_probe_cfg *cfg);

/* Static, never NULL: "open", "closed", "filtered", "skipped". */
const char *kn_port_state_name(enum kn_port_state s);

/* A prober in loop (borrowed; must outlive the prober). Registers one fd
 * (an epoll set holding every in-flight socket) with the loop, so any
 * concurrency costs the loop a single fd slot. Returns NULL with errbuf
 * set when the epoll set or the loop registration fails. Caller frees. */
struct kn_prober *kn_prober_new(struct kn_loop *loop,
				const struct kn_probe_cfg *cfg, char *errbuf);
/* Closes in-flight sockets, cancels timers, unregisters; NULL is fine. */
void kn_prober_free(struct kn_prober *p);

/* Replace the target list (copied; the caller keeps its array and strings).
 * Results of targets that stay (same node, address and port) are kept, so
 * a view does not flicker when a node is added. A sweep in progress is
 * cut short (no callback) and started again on the new list.
 * Duplicates (same node and port) keep the first. */
enum kn_err kn_prober_set_targets(struct kn_prober *p,
				  const struct kn_probe_target *t, size_t n);

/* Sweep now and then every interval_ms. Idempotent. */
void kn_prober_start(struct kn_prober *p);
/* Stop the periodic sweeps and cut a sweep in progress short. */
void kn_prober_stop(struct kn_prober *p);
/* On demand (the `r` key): sweep now; if one is running, sweep again as
 * soon as it ends. */
void kn_prober_sweep(struct kn_prober *p);
bool kn_prober_busy(const struct kn_prober *p);

/* For --once: start a sweep (unless one runs) and turn the loop until it
 * ends. KN_OK when it ended; KN_ERR_AGAIN when timeout_ms passed first
 * (timeout_ms <= 0: no limit) — the sweep is then cut short and targets
 * not finished keep their previous result. */
enum kn_err kn_prober_run_sync(struct kn_prober *p, int timeout_ms);

/* Results, in target order (after dropping duplicates). Pointers stay
 * valid until the next kn_prober_set_targets or kn_prober_free. */
size_t kn_prober_count(const struct kn_prober *p);
const struct kn_probe_result *kn_prober_get(const struct kn_prober *p,
					    size_t i);
/* The result for (node, port), or NULL. O(1). */
const struct kn_probe_result *kn_prober_result(const struct kn_prober *p,
					       const char *node, uint16_t port);
/* Bumped on every result change: a view redraws when it moved. */
uint64_t kn_prober_generation(const struct kn_prober *p);
/* The last finished sweep (all zero before the first). */
const struct kn_probe_sweep *kn_prober_last_sweep(const struct kn_prober *p);

/* ---- building targets from roles ---- */

/* A node as the caller knows it (strings borrowed). */
struct kn_probe_node {
	const char *name;
	struct kn_ipaddr ip; /* InternalIP (or ExternalIP); family 0: none */
	bool control_plane;
};

/* A NodePort allocated by a service: it is opened on every node. */
struct kn_probe_nodeport {
	uint16_t port;
	const char *service; /* "namespace/name" */
};

/* The known ports of a role, in display order; returns the count and sets
 * *ports and *components to static arrays.
 * Control plane: 6443 kube-apiserver, 2379 etcd, 2380 etcd, 10250
 * kubelet, 10257 kube-controller-manager, 10259 kube-scheduler.
 * Worker: 10250 kubelet, 10256 kube-proxy. */
size_t kn_probe_known_ports(bool control_plane, const uint16_t **ports,
			    const char *const **components);

/* The target list for nodes under mode: KN_PROBE_KNOWN gives each node the
 * known ports of its role; KN_PROBE_NODEPORTS adds every NodePort on every
 * node (component "NodePort ns/svc"); KN_PROBE_NONE lists the known ports
 * with skip set (shown as skipped, never probed). Per node the known ports
 * come first, then NodePorts in the given order; a port already listed for
 * the node is not repeated.
 * On success *out is an array of *nout targets (caller frees with
 * kn_probe_targets_free): node strings borrow from nodes[].name, NodePort
 * labels live inside the same allocation, the others are static. */
enum kn_err kn_probe_targets_build(const struct kn_probe_node *nodes,
				   size_t nnodes,
				   const struct kn_probe_nodeport *nps,
				   size_t nnps, enum kn_probe_mode mode,
				   struct kn_probe_target **out, size_t *nout);
void kn_probe_targets_free(struct kn_probe_target *t);

#endif
