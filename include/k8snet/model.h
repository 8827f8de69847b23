/* The cluster model: compact objects, indexes and derived network views.
 *
 * Pure: no I/O, no curses, curl or pcap. Sources (snapshot files, the demo,
 * the live Kube-API) put objects in through objdecode.h; panes and reports
 * read them through this header.
 *
 * Reading: every stored object starts with struct kn_obj; cast by kind
 * (KN_POD -> struct kn_pod ...). Objects and the arrays returned by the
 * model are borrowed and valid until the model next changes (watch the
 * value of kn_model_version() to know when). Strings marked "interned" are
 * pointer-comparable and live as long as the model.
 *
 * Writing: kn_model_put() takes an object built by objdecode (one heap
 * block), replacing any object of the same kind, namespace and name;
 * kn_model_delete() removes one. Both keep every index right; derived
 * views (DNS records, ingress chains, problems) are computed on demand
 * from the indexes, so they are never stale. */
#ifndef K8SNET_MODEL_H
#define K8SNET_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/ipaddr.h"

struct kn_model;

enum kn_kind {
	KN_POD,
	KN_SERVICE,
	KN_ENDPOINTS, /* v1 Endpoints, stored in the kn_slice shape */
	KN_SLICE,     /* discovery.k8s.io/v1 EndpointSlice */
	KN_INGRESS,
	KN_INGCLASS,
	KN_NODE,
	KN_NAMESPACE,
	KN_DAEMONSET,
	KN_CONFIGMAP, /* only CoreDNS's Corefile and kube-proxy's mode
		       * are kept */
	KN_NETPOL,    /* networking.k8s.io/v1 NetworkPolicy */
	/* The Gateway API (gateway.networking.k8s.io): v1, v1beta1 and
	 * v1alpha2 objects decode alike; routes.h traces their chains. */
	KN_GWCLASS,   /* GatewayClass */
	KN_GATEWAY,   /* Gateway */
	KN_HTTPROUTE, /* the routes share struct kn_route */
	KN_GRPCROUTE,
	KN_TLSROUTE,
	KN_TCPROUTE,
	KN_UDPROUTE,
	KN_REFGRANT, /* ReferenceGrant */
	KN_KIND__COUNT
};

/* The kind registry (kind.c): how the Kube-API names each kind. The
 * decoder (kube/objdecode.c) keeps its decoders in a parallel table
 * indexed by the same enum, so the model knows nothing of JSON. */
struct kn_kind_info {
	const char *kind;      /* "Pod" */
	const char *list_kind; /* "PodList" */
	const char *plural;    /* "pods": the API resource */
	const char *group;     /* "" for the core group */
	const char *version;   /* "v1": the version asked for first */
	bool namespaced;
	/* Older versions the API also serves the kind in, or NULL; kinds
	 * with some are checked against their apiVersion (Istio's
	 * networking.istio.io Gateway is not a Gateway API Gateway). */
	const char *alt_versions[2];
};
/* Static; NULL when kind is out of range. */
const struct kn_kind_info *kn_kind_info(enum kn_kind kind);
/* "Pod" -> KN_POD ...; -1 if not a kind the model keeps. */
int kn_kind_from_name(const char *kind);
/* "PodList" -> KN_POD ...; -1 for "List" and kinds the model ignores. */
int kn_kind_from_list_name(const char *list_kind);
/* "Pod" ...; "?" when out of range. */
const char *kn_kind_name(enum kn_kind kind);
/* Whether an object of kind written as apiVersion ("group/version";
 * NULL: not given) is the registry's kind: always for kinds without
 * alt_versions, else the group and one of the versions must match. */
bool kn_kind_api_version_ok(enum kn_kind kind, const char *api_version);
/* The route kinds (HTTPRoute ... UDPRoute), stored as struct kn_route. */
#define KN_KIND_IS_ROUTE(k) ((k) >= KN_HTTPROUTE && (k) <= KN_UDPROUTE)

enum kn_proto { KN_PROTO_TCP, KN_PROTO_UDP, KN_PROTO_SCTP };
const char *kn_proto_name(uint8_t proto); /* "TCP" ... */

/* Head of every stored object. */
struct kn_obj {
	const char *ns;	  /* interned; "" for cluster-scoped kinds */
	const char *name; /* inside the object's block */
	uint32_t mark;	  /* relist generation (objdecode) */
	uint8_t kind;	  /* enum kn_kind */
	bool planned;	  /* from manifests (--filename), not the cluster */
};

struct kn_label {
	const char *key, *value; /* interned */
};

struct kn_cport {	  /* a container port */
	const char *name; /* interned; NULL when unnamed */
	uint16_t port;
	uint8_t proto;
};

enum kn_phase {
	KN_PHASE_UNKNOWN,
	KN_PHASE_PENDING,
	KN_PHASE_RUNNING,
	KN_PHASE_SUCCEEDED,
	KN_PHASE_FAILED
};
const char *kn_phase_name(uint8_t phase);

struct kn_pod {
	struct kn_obj o;
	const char *node;	/* interned; NULL when unscheduled */
	const char *status;	/* interned kubectl STATUS ("Running",
				 * "CrashLoopBackOff", "Completed" ...) */
	const char *owner_kind; /* interned; NULL without controller */
	const char *owner_name; /* interned */
	struct kn_label *labels;
	struct kn_cport *ports;
	uint32_t restarts;
	uint16_t nlabels, nports;
	struct kn_ipaddr ips[2]; /* status.podIPs (dual stack) */
	struct kn_ipaddr host_ip;
	uint8_t nips;
	uint8_t phase; /* enum kn_phase */
	uint8_t ready_containers, containers;
	bool ready; /* the Ready condition */
	bool host_network;
	bool terminating; /* deletionTimestamp set */
	/* After a change of labels alone the pod keeps its address (views
	 * hold it) and its labels live in the newer object's block, kept
	 * here and freed with the pod; NULL: in the pod's own block. */
	struct kn_obj *labels_block;
};

/* One container's status as kubectl's STATUS column reads it. */
struct kn_cstatus {
	const char *waiting;	   /* state.waiting.reason; NULL: none */
	const char *term_reason;   /* state.terminated.reason or NULL */
	int32_t exit_code, signal; /* state.terminated's */
	bool terminated;	   /* state.terminated present */
	bool running;		   /* state.running present */
	bool ready, started;
	bool restartable; /* an init container with restartPolicy
			   * Always (a sidecar) */
};

/* What the STATUS column is derived from; strings borrowed. */
struct kn_pod_status_in {
	const char *phase;		     /* status.phase or NULL */
	const char *reason;		     /* status.reason or NULL */
	const struct kn_cstatus *init;	     /* initContainerStatuses */
	const struct kn_cstatus *containers; /* containerStatuses */
	size_t ninit, ncontainers;
	size_t init_total;    /* spec.initContainers */
	bool initialized;     /* the Initialized condition is True */
	bool ready_condition; /* the Ready condition is True */
	bool deleting;	      /* metadata.deletionTimestamp set */
};

/* kubectl's STATUS column ("Running", "Completed", "CrashLoopBackOff",
 * "Init:0/2", "Init:ErrImagePull", "ExitCode:1", "Terminating" ...), by
 * kubectl's rules, except that a Succeeded pod whose containers give no
 * reason shows "Completed". Written into buf (n bytes, truncated);
 * returns buf. Pure. */
const char *kn_pod_status_column(const struct kn_pod_status_in *in, char *buf,
				 size_t n);

enum kn_svc_type {
	KN_SVC_CLUSTERIP,
	KN_SVC_NODEPORT,
	KN_SVC_LOADBALANCER,
	KN_SVC_EXTERNALNAME
};
const char *kn_svc_type_name(uint8_t type);

struct kn_svc_port {
	const char *name;	 /* interned; NULL when unnamed */
	const char *target_name; /* interned named targetPort, or NULL */
	uint16_t port;
	uint16_t target_port; /* numeric targetPort (default: port) */
	uint16_t node_port;   /* 0 when none */
	uint8_t proto;
};

struct kn_service {
	struct kn_obj o;
	const char *external_name; /* ExternalName target or NULL */
	struct kn_label *selector; /* spec.selector (matchLabels only) */
	struct kn_svc_port *ports;
	char **external; /* externalIPs, then load-balancer
			  * ingress IPs and hostnames */
	uint16_t nselector, nports, nexternal;
	struct kn_ipaddr cluster_ips[2];
	uint8_t ncluster_ips;
	uint8_t type;  /* enum kn_svc_type */
	bool headless; /* clusterIP: None */
	bool has_selector;
	bool publish_not_ready;
};

struct kn_endpoint {
	const char *hostname; /* in the block; NULL when absent */
	const char *node;     /* interned or NULL */
	const char *pod;      /* targetRef name (Pod) or NULL */
	struct kn_ipaddr ip;  /* first of addresses[] */
	bool ready;	      /* conditions.ready (absent = ready) */
	bool serving, terminating;
};

struct kn_slice_port {
	const char *name; /* interned; NULL when unnamed */
	uint16_t port;
	uint8_t proto;
};

/* An EndpointSlice, or a v1 Endpoints flattened to the same shape. */
struct kn_slice {
	struct kn_obj o;
	const char *service; /* interned owning service name */
	struct kn_endpoint *eps;
	struct kn_slice_port *ports;
	uint32_t neps;
	uint16_t nports;
	uint8_t family; /* 4, 6, or 0 (FQDN) */
};

enum kn_path_type { KN_PATH_PREFIX, KN_PATH_EXACT, KN_PATH_IMPL };
const char *kn_path_type_name(uint8_t t);

struct kn_ing_path {
	const char *host;      /* NULL: any host */
	const char *path;      /* NULL for the default backend */
	const char *service;   /* interned; NULL: a resource or no backend */
	const char *port_name; /* interned or NULL */
	uint16_t port_number;  /* 0 when by name or not given */
	/* backend.resource (a TypedLocalObjectReference), all interned;
	 * res_kind NULL: not a resource backend. res_group NULL: the core
	 * group. A path with neither service nor res_kind has no backend
	 * the API knows (e.g. v1beta1's serviceName under v1). */
	const char *res_group, *res_kind, *res_name;
	uint8_t path_type;
	bool is_default; /* spec.defaultBackend */
	bool tls;	 /* host covered by spec.tls */
};

struct kn_ingress {
	struct kn_obj o;
	const char *class_name;	   /* interned; spec or annotation; NULL */
	struct kn_ing_path *paths; /* rules' paths, then defaultBackend */
	char **addresses;	   /* status.loadBalancer.ingress */
	uint16_t npaths, naddresses;
};

struct kn_ingclass {
	struct kn_obj o;
	const char *controller; /* interned */
	bool is_default;
};

struct kn_node {
	struct kn_obj o;
	const char **roles;	 /* interned, sorted */
	struct kn_ipaddr *addrs; /* InternalIP then ExternalIP ones */
	const char *pod_cidr;	 /* in the block or NULL */
	const char *kubelet;	 /* kubelet version, in the block */
	uint16_t nroles, naddrs;
	struct kn_ipaddr internal_ip;
	struct kn_ipaddr external_ip; /* first ExternalIP; family 0: none */
	bool ready;
	bool unschedulable;
};

struct kn_namespace {
	struct kn_obj o;
	struct kn_label *labels; /* kubernetes.io/metadata.name always
				  * among them (the API server sets it;
				  * added when a manifest lacks it) */
	uint16_t nlabels;
	bool terminating;
};

struct kn_daemonset {
	struct kn_obj o;
	const char **images; /* in the block */
	uint32_t desired, ready;
	uint16_t nimages;
};

struct kn_configmap {
	struct kn_obj o;
	const char *corefile;	/* data.Corefile, in the block, or NULL */
	const char *proxy_mode; /* kube-proxy's config.conf "mode:" (""
				 * is the default), in the block, or
				 * NULL */
};

/* A metav1.LabelSelector. Empty (no labels, no expressions) selects
 * everything. */
enum kn_sel_op {
	KN_SEL_IN,
	KN_SEL_NOT_IN,
	KN_SEL_EXISTS,
	KN_SEL_DOES_NOT_EXIST
};
struct kn_sel_expr {
	const char *key;     /* interned */
	const char **values; /* interned; none for (Does Not)Exist */
	uint16_t nvalues;
	uint8_t op; /* enum kn_sel_op */
};
struct kn_selector {
	struct kn_label *labels;   /* matchLabels */
	struct kn_sel_expr *exprs; /* matchExpressions */
	uint16_t nlabels, nexprs;
};

struct kn_cidr {
	struct kn_ipaddr addr; /* as written (host bits kept) */
	uint8_t bits;	       /* prefix length */
};

/* One peer of a rule (from[] or to[]): pod_sel alone selects pods of
 * the policy's namespace, ns_sel alone every pod of the selected
 * namespaces, both the selected pods of the selected namespaces;
 * is_ipblock: cidr minus except instead. */
struct kn_np_peer {
	struct kn_selector pod_sel, ns_sel;
	struct kn_cidr cidr;
	struct kn_cidr *except;
	uint16_t nexcept;
	bool has_pod_sel, has_ns_sel, is_ipblock;
};

struct kn_np_port {
	const char *name;  /* interned named port, or NULL */
	uint16_t port;	   /* 0: every port (with name NULL) */
	uint16_t end_port; /* 0: port alone */
	uint8_t proto;	   /* enum kn_proto (default TCP) */
};

/* An ingress or egress rule; no peers: every peer, no ports: every
 * port. */
struct kn_np_rule {
	struct kn_np_peer *peers;
	struct kn_np_port *ports;
	uint16_t npeers, nports;
};

/* A networking.k8s.io/v1 NetworkPolicy, whole. */
struct kn_netpol {
	struct kn_obj o;
	struct kn_selector pod_sel; /* spec.podSelector */
	struct kn_np_rule *ingress, *egress;
	uint16_t ningress, negress;
	bool ingress_type, egress_type; /* spec.policyTypes */
	bool types_defaulted;		/* policyTypes absent: the API's
					 * default, Ingress, plus Egress when
					 * there are egress rules */
};

/* ---- Gateway API (gateway.networking.k8s.io) ---- */

#define KN_GW_GROUP "gateway.networking.k8s.io"

enum kn_cond_status { KN_COND_UNKNOWN, KN_COND_TRUE, KN_COND_FALSE };
/* "True", "False", "Unknown". */
const char *kn_cond_status_name(uint8_t st);

/* A status condition (metav1.Condition). */
struct kn_cond {
	const char *type;    /* interned: "Accepted", "ResolvedRefs" ... */
	const char *reason;  /* interned or NULL */
	const char *message; /* in the block or NULL */
	uint8_t status;	     /* enum kn_cond_status */
};
/* The condition of that type among c[0..n), or NULL. */
const struct kn_cond *kn_cond_find(const struct kn_cond *c, size_t n,
				   const char *type);

struct kn_gwclass {
	struct kn_obj o;
	const char *controller; /* interned spec.controllerName */
	struct kn_cond *conds;	/* status.conditions */
	uint16_t nconds;
};

/* A reference as the Gateway API writes one, its defaults filled in:
 * group ("" is the core group), kind, namespace (the referrer's when
 * absent; NULL where the API has none), name (NULL: any). Interned. */
struct kn_gw_ref {
	const char *group, *kind, *ns, *name;
};

enum kn_gw_from { KN_GW_FROM_SAME, KN_GW_FROM_ALL, KN_GW_FROM_SELECTOR };
enum kn_gw_tls { KN_GW_TLS_NONE, KN_GW_TLS_TERMINATE, KN_GW_TLS_PASSTHROUGH };
/* "Same", "All", "Selector"; "Terminate", "Passthrough" (NULL: none). */
const char *kn_gw_from_name(uint8_t from);
const char *kn_gw_tls_name(uint8_t mode);

struct kn_gw_listener {
	const char *name;	 /* interned */
	const char *protocol;	 /* interned: HTTP, HTTPS, TLS, TCP, UDP ... */
	const char *hostname;	 /* in the block; NULL: any */
	struct kn_gw_ref *certs; /* tls.certificateRefs (core Secret) */
	struct kn_selector ns_sel; /* allowedRoutes.namespaces.selector */
	struct kn_gw_ref *kinds;   /* allowedRoutes.kinds (group, kind);
				    * none: the protocol's route kinds */
	struct kn_cond *conds;	   /* status.listeners[] of this name */
	uint32_t attached;	   /* its status attachedRoutes */
	uint16_t port, ncerts, nkinds, nconds;
	uint8_t from;	  /* enum kn_gw_from */
	uint8_t tls_mode; /* enum kn_gw_tls */
};

struct kn_gateway {
	struct kn_obj o;
	const char *class_name; /* interned spec.gatewayClassName */
	struct kn_gw_listener *listeners;
	const char **addresses; /* status.addresses, else spec.addresses;
				 * in the block */
	struct kn_cond *conds;	/* status.conditions */
	uint16_t nlisteners, naddresses, nconds;
};

/* A route's parentRef (spec.parentRefs[], status.parents[].parentRef):
 * a Gateway unless group and kind say otherwise. */
struct kn_gw_parent {
	struct kn_gw_ref ref;
	const char *section; /* interned sectionName or NULL */
	uint16_t port;	     /* 0: any */
};

/* A backendRef: a core Service unless group and kind say otherwise. */
struct kn_gw_backend {
	struct kn_gw_ref ref;
	uint32_t weight; /* default 1 */
	uint16_t port;	 /* 0: not given */
};

/* Path and value match types: Exact, PathPrefix, RegularExpression. */
enum kn_gw_mtype { KN_GW_EXACT, KN_GW_PREFIX, KN_GW_REGEX };
/* "Exact", "PathPrefix", "RegularExpression". */
const char *kn_gw_mtype_name(uint8_t t);

/* A header or query parameter match. */
struct kn_gw_kv {
	const char *name, *value; /* in the block */
	uint8_t type;		  /* enum kn_gw_mtype */
};

struct kn_gw_match {
	const char *path;   /* HTTPRoute path value (in the block); NULL:
			     * none given */
	const char *method; /* HTTP method, interned, or NULL */
	const char *service, *gmethod; /* GRPCRoute method match (in the
					* block) or NULL */
	struct kn_gw_kv *headers, *query;
	uint16_t nheaders, nquery;
	uint8_t path_type; /* enum kn_gw_mtype */
	uint8_t gtype;	   /* GRPCRoute method match type */
};

enum kn_gw_filter_type {
	KN_GWF_REQ_HEADER,  /* RequestHeaderModifier */
	KN_GWF_RESP_HEADER, /* ResponseHeaderModifier */
	KN_GWF_REDIRECT,    /* RequestRedirect */
	KN_GWF_REWRITE,	    /* URLRewrite */
	KN_GWF_MIRROR,	    /* RequestMirror */
	KN_GWF_EXTENSION,   /* ExtensionRef */
	KN_GWF_OTHER
};

struct kn_gw_filter {
	const char *type_name;	     /* interned, as written */
	const char *text;	     /* what it does, in the block ("set
				      * x-env: canary", "https://(same
				      * host) 301") */
	struct kn_gw_backend mirror; /* RequestMirror's backendRef */
	uint8_t type;		     /* enum kn_gw_filter_type */
};

struct kn_gw_rule {
	const char *name; /* interned rule name or NULL */
	struct kn_gw_match *matches;
	struct kn_gw_filter *filters;
	struct kn_gw_backend *backends;
	uint16_t nmatches, nfilters, nbackends;
};

/* status.parents[]: what a controller says of a route on one parent. */
struct kn_gw_rstatus {
	struct kn_gw_parent parent;
	const char *controller; /* interned controllerName */
	struct kn_cond *conds;
	uint16_t nconds;
};

/* HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute (o.kind). */
struct kn_route {
	struct kn_obj o;
	const char **hostnames; /* in the block */
	struct kn_gw_parent *parents;
	struct kn_gw_rule *rules;
	struct kn_gw_rstatus *status;
	uint16_t nhostnames, nparents, nrules, nstatus;
};

/* A ReferenceGrant: from[] (group, kind, ns) may refer to to[] (group,
 * kind, name; name NULL: every name) in the grant's namespace. */
struct kn_refgrant {
	struct kn_obj o;
	struct kn_gw_ref *from, *to;
	uint16_t nfrom, nto;
};

/* ---- lifecycle and writing ---- */

struct kn_model *kn_model_new(void);
void kn_model_free(struct kn_model *m);

/* Used when no CoreDNS Corefile names the domain (--cluster-domain);
 * NULL means "cluster.local". Borrowed; copied. */
void kn_model_set_default_domain(struct kn_model *m, const char *domain);

/* Whether the cluster serves the Gateway API, as the source found out:
 * unknown (files and the demo cannot say), served (versions: the group
 * versions discovery listed, "v1,v1beta1"), or absent. */
enum kn_api_state { KN_API_UNKNOWN, KN_API_SERVED, KN_API_ABSENT };
/* versions is copied (NULL: none). Counts as a change of KN_GATEWAY. */
void kn_model_set_gateway_api(struct kn_model *m, enum kn_api_state st,
			      const char *versions);
/* The state and (*versions, borrowed, or NULL) the versions. */
enum kn_api_state kn_model_gateway_api(const struct kn_model *m,
				       const char **versions);

struct kn_anon;
/* --anonymize: objects are rewritten with pseudonyms before they are
 * decoded (kn_objdecode_apply), so every view derives from pseudonyms.
 * anon is borrowed and must outlive the model. */
void kn_model_set_anon(struct kn_model *m, struct kn_anon *anon);
struct kn_anon *kn_model_anon(const struct kn_model *m);

/* Interned copy of s (for objdecode), pinned: lives as long as the
 * model. */
const char *kn_model_intern(struct kn_model *m, const char *s);
const char *kn_model_intern_n(struct kn_model *m, const char *s, size_t n);
/* Interned copy of s for a value unique to few objects (a label value,
 * an owner's name): freed by a sweep once no object holds it. Only for
 * a pointer stored inside the block of an object put in the model; any
 * other holder takes kn_model_intern. (strings.c) */
const char *kn_model_intern_value(struct kn_model *m, const char *s);
/* Free the unpinned strings no object holds now; returns their bytes.
 * kn_model_collect does it on its own once they have doubled. Call it
 * only where kn_model_collect may be called. Does nothing while planned
 * objects are in the model. */
size_t kn_model_sweep_strings(struct kn_model *m);
struct kn_model_strstats {
	size_t count;	 /* interned strings */
	size_t bytes;	 /* the table and its strings */
	size_t unpinned; /* bytes of unpinned strings */
	size_t swept;	 /* bytes freed by sweeps so far */
};
void kn_model_strings(const struct kn_model *m, struct kn_model_strstats *out);

/* Allocation for object blocks, counted in kn_model_bytes(). */
void *kn_model_alloc(struct kn_model *m, size_t n);
void kn_model_obj_free(struct kn_model *m, struct kn_obj *o);

/* Store o (takes it), replacing and freeing an older object with the
 * same kind, namespace and name. */
void kn_model_put(struct kn_model *m, struct kn_obj *o);
/* Remove and free; false when absent. */
bool kn_model_delete(struct kn_model *m, enum kn_kind kind, const char *ns,
		     const char *name);

/* Readers that keep pointers to objects across changes (the console's
 * views) turn on deferred frees: an object replaced or removed stays
 * allocated, out of the model, until kn_model_collect, which the reader
 * calls once it holds no pointer to an older object or to a string only
 * such an object held. Returns the count freed. Off (the default): freed
 * at once. kn_model_collect also sweeps unpinned strings (see
 * kn_model_intern_value); a reader that never defers frees calls it
 * between changes for that. */
void kn_model_defer_frees(struct kn_model *m, bool on);
size_t kn_model_collect(struct kn_model *m);

/* Relist support (objdecode): kn_model_mark_begin starts a generation
 * for kind; objects put afterwards carry kn_model_mark(); sweep deletes
 * the objects of kind left with an older mark. */
void kn_model_mark_begin(struct kn_model *m, enum kn_kind kind);
uint32_t kn_model_mark(const struct kn_model *m, enum kn_kind kind);
size_t kn_model_sweep(struct kn_model *m, enum kn_kind kind);

/* Whether a planned object (struct kn_obj.planned) was ever put: then
 * a relist keeps planned objects and the live source leaves them be. */
bool kn_model_has_planned(const struct kn_model *m);

/* Counters for sources. */
void kn_model_count_unknown(struct kn_model *m);
void kn_model_count_bad(struct kn_model *m);

/* ---- reading ---- */

/* Incremented on every change. */
uint64_t kn_model_version(const struct kn_model *m);
/* For views that read some kinds only: incremented with kn_model_version()
 * when an object of kind is added, changed or removed, except that a pod
 * whose labels alone changed (the rest equal, resourceVersion aside)
 * increments kn_model_pod_labels_version() instead of KN_POD's. */
uint64_t kn_model_kind_version(const struct kn_model *m, enum kn_kind kind);
uint64_t kn_model_pod_labels_version(const struct kn_model *m);
/* The kinds in mask (bit 1 << kind; bit 1 << KN_KIND__COUNT: pod labels)
 * as one number that moves when any of them changes. */
#define KN_KINDS_POD_LABELS (1u << KN_KIND__COUNT)
uint64_t kn_model_kinds_version(const struct kn_model *m, uint32_t mask);
size_t kn_model_count(const struct kn_model *m, enum kn_kind kind);
size_t kn_model_unknown(const struct kn_model *m);
size_t kn_model_bad(const struct kn_model *m);
/* Bytes held by the model: objects, indexes and interned strings. */
size_t kn_model_bytes(const struct kn_model *m);

/* Find one object; ns "" (or NULL) for cluster-scoped kinds. */
struct kn_obj *kn_model_find(const struct kn_model *m, enum kn_kind kind,
			     const char *ns, const char *name);

/* Objects of kind in namespace ns (NULL: all), sorted by namespace then
 * name. Returns the count; *out is a new array the caller frees (the
 * objects are borrowed). */
size_t kn_model_list(const struct kn_model *m, enum kn_kind kind,
		     const char *ns, struct kn_obj ***out);

/* Visit every object of kind, unsorted; stop when cb returns false. */
void kn_model_each(const struct kn_model *m, enum kn_kind kind,
		   bool (*cb)(struct kn_obj *o, void *arg), void *arg);

/* Who owns an address. Owners are ranked: service cluster IP, pod (not
 * hostNetwork; running pods first), node address, service external or
 * load-balancer IP. */
enum kn_owner_kind {
	KN_OWNER_NONE,
	KN_OWNER_SERVICE,
	KN_OWNER_POD,
	KN_OWNER_NODE,
	KN_OWNER_SERVICE_EXT
};
struct kn_owner {
	enum kn_owner_kind kind;
	struct kn_obj *obj;
};
struct kn_owner kn_model_ip_owner(const struct kn_model *m,
				  const struct kn_ipaddr *ip);
/* A kn_ip_namer: "ns/pod", "ns/service", "node/NAME", or NULL. */
const char *kn_model_name_ip(void *model, const struct kn_ipaddr *ip, char *buf,
			     size_t n);

/* Pods of namespace ns matching every label of sel (an empty selector
 * matches nothing, as for Services). *out: new array, caller frees. */
size_t kn_model_select_pods(const struct kn_model *m, const char *ns,
			    const struct kn_label *sel, size_t nsel,
			    struct kn_pod ***out);

/* The endpoint sources of a service: its EndpointSlices, or when it has
 * none, its v1 Endpoints. Borrowed array. */
size_t kn_model_service_slices(const struct kn_model *m,
			       const struct kn_service *svc,
			       struct kn_slice *const **out);

struct kn_ep_count {
	uint32_t ready, not_ready;
	/* EndpointSlice conditions: serving (ready or not, e.g. while
	 * terminating), terminating. */
	uint32_t serving, terminating;
};
/* Ready and not-ready endpoints of a service, as kube-proxy sees them:
 * only slices that carry one of the service's ports (matched by port
 * name; unnamed is NULL or "") count, since the EndpointSlice controller
 * leaves out a port it cannot resolve on the pods. A service without
 * ports counts every slice. Dual-stack services count the slices of
 * their first cluster IP's family only, so a pod counts once. */
struct kn_ep_count kn_model_service_endpoints(const struct kn_model *m,
					      const struct kn_service *svc);
/* The same for one of svc's ports (borrowed): slices carrying sp. */
struct kn_ep_count
kn_model_service_port_endpoints(const struct kn_model *m,
				const struct kn_service *svc,
				const struct kn_svc_port *sp);

/* Ingresses with a path whose backend is ns/svc. *out: caller frees. */
size_t kn_model_service_ingresses(const struct kn_model *m, const char *ns,
				  const char *svc, struct kn_ingress ***out);

/* Pods scheduled on node. */
uint32_t kn_model_node_pods(const struct kn_model *m, const char *node);

/* ---- derived views ---- */

/* A list of owned strings. */
struct kn_strs {
	char **v;
	size_t n, cap;
};
void kn_strs_add(struct kn_strs *s, const char *str);
/* Add a formatted string (cut at 1,023 bytes). */
void kn_strs_addf(struct kn_strs *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kn_strs_clear(struct kn_strs *s);

/* Service problems ("selector matches no pods", "no ready endpoints",
 * "targetPort \"x\" not exposed by any selected pod"); appended to out. */
void kn_model_service_problems(const struct kn_model *m,
			       const struct kn_service *svc,
			       struct kn_strs *out);

/* Cluster DNS (dns.c). */
struct kn_coredns {
	const char *domain;	   /* cluster domain (never NULL) */
	bool from_corefile;	   /* false: --cluster-domain or default */
	struct kn_strs forwarders; /* Corefile's forward plugin targets */
	const struct kn_service *service; /* kube-system/kube-dns or NULL */
	uint32_t pods_ready, pods_total;  /* k8s-app=kube-dns pods */
};
/* Fill info (caller releases with kn_coredns_release). */
void kn_model_coredns(const struct kn_model *m, struct kn_coredns *info);
void kn_coredns_release(struct kn_coredns *info);
/* The cluster domain alone (borrowed, valid until the model changes). */
const char *kn_model_cluster_domain(const struct kn_model *m);

enum kn_rr { KN_RR_A, KN_RR_AAAA, KN_RR_SRV, KN_RR_CNAME, KN_RR_PTR };
const char *kn_rr_name(uint8_t type);

struct kn_dnsrec {
	char *name;   /* FQDN with trailing dot */
	char *value;  /* "10.96.0.10", "0 100 80 x.ns.svc.cluster.local.",
		       * "target.example.com." */
	char *source; /* "service ns/name", "endpoints ns/name",
		       * "pod ns/name" */
	uint8_t type; /* enum kn_rr */
	bool planned; /* from a planned object (--filename) */
};
struct kn_dnsrecs {
	struct kn_dnsrec *v;
	size_t n, cap;
};
void kn_dnsrecs_clear(struct kn_dnsrecs *r);

/* Records CoreDNS's kubernetes plugin serves for a service (A/AAAA,
 * headless endpoint names, SRV, CNAME, PTR of its IPs). */
void kn_model_service_dns(const struct kn_model *m,
			  const struct kn_service *svc, struct kn_dnsrecs *out);
/* A and AAAA records a-b-c-d.ns.pod.<domain> for a pod's IPs. */
void kn_model_pod_dns(const struct kn_model *m, const struct kn_pod *pod,
		      struct kn_dnsrecs *out);
/* Every record for namespace ns (NULL: all): services first, then pods;
 * sorted by name then type. */
void kn_model_dns_all(const struct kn_model *m, const char *ns,
		      struct kn_dnsrecs *out);

/* Ingress chains (ingress.c): one per path. */
enum kn_ing_status {
	KN_ING_OK,
	KN_ING_SERVICE_MISSING,
	KN_ING_PORT_MISSING, /* none given, or the service has no such */
	KN_ING_NO_ENDPOINTS,
	KN_ING_RESOURCE_BACKEND, /* served by a resource: not traced */
	KN_ING_NO_BACKEND	 /* neither service nor resource */
};
const char *kn_ing_status_name(uint8_t st);

struct kn_ing_chain {
	const struct kn_ingress *ing;
	const struct kn_ing_path *path;
	const char *class_name;		  /* resolved (default class too) */
	const char *controller;		  /* IngressClass.spec.controller */
	const struct kn_service *service; /* NULL when missing */
	const struct kn_svc_port *port;	  /* NULL when missing */
	struct kn_ep_count endpoints;
	uint8_t status; /* enum kn_ing_status */
};
/* Resolve path i of ing. */
void kn_model_ingress_chain(const struct kn_model *m,
			    const struct kn_ingress *ing, size_t i,
			    struct kn_ing_chain *out);

/* Detected CNI plugin ("calico", "flannel", "cilium" ...) or NULL. */
const char *kn_model_cni(const struct kn_model *m);

#endif
