/* Manifests planned on top of a cluster source (--filename): the network
 * `kubectl apply -f` of a set of YAML or JSON files would make, before
 * anything is applied, and what in it is broken (--check).
 *
 * Planning puts the objects of the files into the model as they are, and
 * what the cluster would make of them: pods from every workload's
 * template (on the model's nodes, round-robin, with addresses from their
 * pod CIDRs), cluster IPs and node ports for services that have none,
 * and EndpointSlices from selectors. Everything planned is marked
 * (struct kn_obj.planned), so every view can say so. See
 * docs/internals/plan.md. */
#ifndef K8SNET_PLAN_H
#define K8SNET_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "k8snet/err.h"

struct kn_model;
struct kn_plan;

/* Used when a node has no spec.podCIDR: the N-th node (by name, from 0)
 * gets 10.244.N.0/24, as flannel's and kubeadm's defaults lay them out.
 * Services get addresses from the /16 of the cluster's "kubernetes"
 * service, else from this range (kube-apiserver's default). */
#define KN_PLAN_POD_CIDR "10.244.0.0/16"
#define KN_PLAN_SERVICE_CIDR "10.96.0.0/12"
/* The node pods are placed on when the model has none, and its pod
 * CIDR (room for any number of replicas). */
#define KN_PLAN_NODE "planned-node"
#define KN_PLAN_NODE_CIDR "10.244.0.0/16"
/* One file at most (larger files are refused with a message). */
#define KN_PLAN_MAX_FILE (64u << 20)

/* default_ns: where objects without a namespace go (-n), NULL for
 * "default". Borrowed; copied. */
struct kn_plan *kn_plan_new(const char *default_ns);
void kn_plan_free(struct kn_plan *p);

/* A file, a folder (read recursively for *.yaml, *.yml and *.json, in
 * name order, skipping names that start with '.') or "-" (stdin, read at
 * once: it can be read only once). The files are read when the plan is
 * applied. Errors name the path. */
enum kn_err kn_plan_add_path(struct kn_plan *p, const char *path, char *errbuf);
/* Manifest text (copied) under name, as if read from a file. */
enum kn_err kn_plan_add_text(struct kn_plan *p, const char *name,
			     const char *text, size_t len, char *errbuf);
/* Whether any path or text was added. */
bool kn_plan_empty(const struct kn_plan *p);

/* Read the files and plan their objects into m (borrowed; the plan reads
 * it again in kn_plan_check). A plan applied again starts over. Text that
 * is not YAML, a document that is not an object, an object without a
 * kind: KN_ERR_PARSE with "FILE:LINE: what" in errbuf, and nothing more
 * is read. An object the API would refuse (a port that is not a number)
 * is not an error: it becomes a finding and the others are planned. */
enum kn_err kn_plan_apply(struct kn_plan *p, struct kn_model *m, char *errbuf);

/* The model the plan was last applied to (NULL: none); compared, never
 * read. kn_plan_forget: as if never applied (its model is gone). */
const struct kn_model *kn_plan_applied_to(const struct kn_plan *p);
void kn_plan_forget(struct kn_plan *p);

struct kn_plan_stats {
	size_t files, objects; /* read */
	size_t unknown;	       /* objects of kinds the model does not keep */
	size_t pods, services, slices, nodes; /* planned by the plan */
	size_t replaced; /* pods of the source its workloads replaced */
};
void kn_plan_stats(const struct kn_plan *p, struct kn_plan_stats *st);
/* "12 objects from 3 files (planned: 4 pods, 2 EndpointSlices)" into
 * buf; returns buf. */
const char *kn_plan_summary(const struct kn_plan_stats *st, char *buf,
			    size_t n);

/* One problem of the planned network, where it is written. */
struct kn_finding {
	const char *check;     /* "service-selects-nothing" ... (static) */
	const char *kind;      /* "Service" (static or interned) */
	const char *ns, *name; /* interned; ns "" for cluster-scoped */
	const char *file;      /* the manifest, or NULL: not from one */
	unsigned line;	       /* 1-based; 0 with file NULL */
	char *message;	       /* owned */
};
struct kn_findings {
	struct kn_finding *v;
	size_t n, cap;
};
void kn_findings_clear(struct kn_findings *f);

/* The findings of the planned network in m, sorted by file, line and
 * check. With a plan (not NULL, applied to m), only objects planned from
 * its files are checked; without one, every object of m is. m is not
 * changed except for interned strings. Strings borrowed from m and p
 * stay valid while both are. */
void kn_plan_check(const struct kn_plan *p, struct kn_model *m,
		   struct kn_findings *out);

/* The name of every check, NULL-terminated (for docs and tests). */
extern const char *const kn_plan_checks[];

#endif
