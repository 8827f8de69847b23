/* The plan's insides, shared by its files: what was read (records of
 * every object with its file and line, workload templates), what was
 * planned from it, and the reader of manifest files. */
#ifndef K8SNET_PLAN_INT_H
#define K8SNET_PLAN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "k8snet/model.h"
#include "k8snet/plan.h"

/* ---- reading (manifests.c) ---- */

/* One object of a manifest: obj is borrowed for the call (and may be
 * changed); file is the name used in messages; line 1-based. Return
 * KN_OK to go on. */
typedef enum kn_err (*mf_obj_cb)(void *arg, cJSON *obj, const char *file,
				 unsigned line, char *errbuf);

/* Read path (a file, a folder read recursively, "-" is not handled
 * here) and call cb for every object, items of List kinds one by one;
 * *nfiles counts the files read. */
enum kn_err mf_read_path(const char *path, mf_obj_cb cb, void *arg,
			 size_t *nfiles, char *errbuf);
/* The same over text (borrowed). */
enum kn_err mf_read_text(const char *text, size_t len, const char *name,
			 mf_obj_cb cb, void *arg, char *errbuf);
/* All of stdin (at most KN_PLAN_MAX_FILE bytes), NUL-terminated. */
enum kn_err mf_read_stdin(char **out, size_t *len, char *errbuf);

/* ---- what was read ---- */

/* A path to read, or text to read as a file. */
struct plan_src {
	char *name;
	char *text; /* NULL: read name from disk */
	size_t len;
};

/* Every object read, for findings: where it is written. Strings are
 * interned in the model the plan was applied to. */
struct plan_rec {
	const char *kind; /* as written ("Deployment") */
	const char *ns;	  /* "" for cluster-scoped kinds */
	const char *name;
	const char *file; /* interned too */
	uint32_t line;
	int16_t mkind; /* enum kn_kind, or -1 */
};

enum plan_wl {
	WL_POD,
	WL_DEPLOYMENT,
	WL_REPLICASET,
	WL_STATEFULSET,
	WL_DAEMONSET,
	WL_JOB,
	WL_CRONJOB,
	WL_RC
};

struct plan_port {
	const char *name; /* interned or NULL */
	uint16_t port, host_port;
	uint8_t proto;
};

/* A workload's pod template, as much of it as the network needs. */
struct plan_tmpl {
	uint32_t rec; /* its record */
	uint8_t wl;   /* enum plan_wl */
	const char *ns, *name;
	struct kn_label *labels;
	struct plan_port *ports;
	uint16_t nlabels, nports;
	uint16_t ncontainers;
	uint32_t replicas; /* DaemonSet: 0 (one per node) */
	bool host_network;
	bool control_plane; /* tolerates control-plane nodes */
	/* interned or NULL */
	const char *node_name, *hostname, *subdomain, *service_name;
};

/* A pod the plan made. */
struct plan_pod {
	const char *ns, *name, *node; /* interned */
	uint32_t tmpl;
};

struct kn_plan {
	char *default_ns;
	struct plan_src *srcs;
	size_t nsrcs;
	struct kn_model *m; /* applied to; borrowed */
	struct plan_rec *recs;
	size_t nrecs, caprecs;
	struct plan_tmpl *tmpls;
	size_t ntmpls, captmpls;
	struct plan_pod *pods;
	size_t npods, cappods;
	cJSON **svcs; /* services waiting for an address or node port */
	uint32_t *svc_recs;
	size_t nsvcs, capsvcs;
	struct kn_findings found; /* from reading: objects refused */
	struct kn_plan_stats st;
	/* the records sorted by kind, namespace and name, once read */
	const struct plan_rec **sorted;
};

/* The record of object o of the model, or NULL. */
const struct plan_rec *plan_rec_of(const struct kn_plan *p,
				   const struct kn_obj *o);
/* The template of a planned pod (by its owner, or its name for a bare
 * pod), or NULL. */
const struct plan_tmpl *plan_tmpl_of(const struct kn_plan *p,
				     const struct kn_pod *pod);
/* Add a finding to out (message formatted, cut at 511 bytes). */
void plan_finding(struct kn_findings *out, const char *check, const char *kind,
		  const char *ns, const char *name, const char *file,
		  unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* An object of record rec the API would refuse: a finding at the line
 * of path inside obj. */
void plan_refused(struct kn_plan *p, uint32_t rec, const cJSON *obj,
		  const char *path, const char *what);
/* Put obj into the model as planned; what the decoder refuses becomes a
 * finding. Fails with KN_ERR_NOMEM only. */
enum kn_err plan_decode(struct kn_plan *p, uint32_t rec, const char *kind,
			const cJSON *obj);
/* Sort the planned pods for plan_tmpl_of. */
void plan_pods_sort(struct kn_plan *p);

/* What the cluster would make (plan_place.c): pods on nodes, then
 * service addresses, then EndpointSlices. KN_ERR_NOMEM only. */
enum kn_err plan_place(struct kn_plan *p);
enum kn_err plan_services(struct kn_plan *p);
enum kn_err plan_slices(struct kn_plan *p);

#endif
