/* NetworkPolicy evaluation, as networking.k8s.io/v1 defines it: which
 * pods are isolated, and may traffic from A reach B, and which policies
 * and rules decide it, for both ends.
 *
 * Pure, over the model: no I/O. The semantics (the API reference and the
 * upstream conformance tests agree):
 * - A pod is isolated for ingress (egress) when some policy of its
 *   namespace selects it and has that policy type.
 * - A connection is allowed when the source's egress allows it and the
 *   destination's ingress allows it. A side allows it when the pod is not
 *   isolated on that side, or when some rule of some policy selecting it
 *   matches the peer and the port.
 * - A rule without peers matches every peer, without ports every port.
 *   Peers: podSelector alone selects pods of the policy's namespace,
 *   namespaceSelector alone every pod of the selected namespaces, both
 *   together the selected pods of the selected namespaces; ipBlock an
 *   address range minus its exceptions (meant for addresses outside the
 *   cluster: a pod address in an ipBlock is matched by address, and the
 *   answer says so, as CNIs differ there).
 * - A named port is the destination pod's container port of that name and
 *   protocol; an address that is not a pod has no named ports.
 * - Policies do not apply to host-network pods on most CNIs: the answer
 *   evaluates them as written and adds a note. */
#ifndef K8SNET_POLICY_H
#define K8SNET_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/ipaddr.h"
#include "k8snet/model.h"

/* ---- building blocks ---- */

/* Does a label selector (matchLabels and matchExpressions) select this
 * label set? An empty selector selects everything. */
bool kn_selector_matches(const struct kn_selector *s,
			 const struct kn_label *labels, size_t n);
/* Is addr inside cidr (prefix match; the families must agree)? */
bool kn_cidr_contains(const struct kn_cidr *cidr, const struct kn_ipaddr *addr);
/* Does policy np select pod (same namespace, podSelector)? */
bool kn_netpol_selects(const struct kn_netpol *np, const struct kn_pod *pod);

/* The labels of namespace ns: the Namespace object's, or when the model
 * has none, kubernetes.io/metadata.name alone (as the API server sets
 * it). *tmp is the storage used in that case. */
const struct kn_label *kn_policy_ns_labels(const struct kn_model *m,
					   const char *ns, struct kn_label *tmp,
					   size_t *n);

/* ---- the policies of a model, indexed by namespace ---- */

struct kn_policy_index;
/* Built from the model as it is now; valid while it does not change. */
struct kn_policy_index *kn_policy_index_new(const struct kn_model *m);
void kn_policy_index_free(struct kn_policy_index *ix);
/* The policies of namespace ns, sorted by name (borrowed). */
size_t kn_policy_index_ns(const struct kn_policy_index *ix, const char *ns,
			  const struct kn_netpol *const **out);
size_t kn_policy_index_count(const struct kn_policy_index *ix);

/* An index kept current: rebuilt when the model's policies changed
 * since the last get (or the model is another). Zero-initialise. */
struct kn_policy_cache {
	struct kn_policy_index *ix;
	const struct kn_model *m;
	uint64_t version;
	/* The last flow asked of kn_policy_cache_flow and its verdict (a
	 * row's columns ask for the same flow one after another). */
	bool have_flow;
	struct kn_ipaddr fc, fs;
	uint16_t fport;
	uint8_t fproto;
	uint64_t fversion; /* the model's version then */
	struct kn_np_flow *flow;
};
/* The index for m now; NULL when m is NULL or has no policy (nothing
 * to decide). Valid until the model next changes. */
const struct kn_policy_index *kn_policy_cache_get(struct kn_policy_cache *c,
						  const struct kn_model *m);
void kn_policy_cache_release(struct kn_policy_cache *c);

/* ---- isolation of one pod ---- */

struct kn_pod_isolation {
	bool ingress, egress;
	uint32_t npolicies; /* policies selecting the pod */
	uint32_t ningress_rules, negress_rules;
};
/* Fill iso; when out is not NULL, up to max selecting policies in name
 * order. Returns the number of selecting policies. */
size_t kn_policy_pod(const struct kn_policy_index *ix, const struct kn_pod *pod,
		     struct kn_pod_isolation *iso, const struct kn_netpol **out,
		     size_t max);

/* ---- reachability ---- */

/* One end of a connection: a pod, or an address outside the pods. */
struct kn_np_end {
	const struct kn_pod *pod; /* NULL: not a pod */
	struct kn_ipaddr ip;	  /* the pod's address used, or the address */
};

/* A set of ports: per protocol, ranges [lo, hi]. */
#define KN_NP_MAX_RANGES 32
struct kn_np_ports {
	struct {
		uint16_t lo, hi;
	} r[3][KN_NP_MAX_RANGES]; /* by enum kn_proto */
	uint8_t n[3];
	bool overflow; /* more ranges than kept: treated as every port */
};
bool kn_np_ports_has(const struct kn_np_ports *p, uint8_t proto, uint16_t port);
bool kn_np_ports_empty(const struct kn_np_ports *p);
/* "TCP 80, 8080-8090; UDP 53" or "every port" (at most n bytes). */
const char *kn_np_ports_text(const struct kn_np_ports *p, char *buf, size_t n);

/* A policy that took part in a decision: rule is the index of the rule
 * (ingress or egress, by the side) that allows, or -1 when the policy
 * isolates the pod and none of its rules allows. */
struct kn_np_ref {
	const struct kn_netpol *np;
	int rule;
	bool ipblock_pod; /* the rule matched a pod address by ipBlock */
};

/* One side of an answer: the egress of the source or the ingress of the
 * destination. */
struct kn_np_side {
	bool applies;  /* the end is a pod (policies apply to pods only) */
	bool isolated; /* some policy selects the pod for this side */
	bool allowed;
	bool host_network;	  /* the pod is on the host network */
	bool ipblock_pod;	  /* an allowing rule matched a pod address */
	struct kn_np_ports ports; /* with any port: the ports allowed */
	struct kn_np_ref *refs;	  /* allowing rules, or when denied the
				   * isolating policies */
	size_t nrefs;
};

struct kn_np_query {
	struct kn_np_end from, to;
	bool any_port; /* true: may any port be reached? */
	uint16_t port;
	uint8_t proto; /* enum kn_proto */
};
/* The container port of pod named name with protocol proto, or 0 (also
 * when pod is NULL). */
uint16_t kn_np_named_port(const struct kn_pod *pod, const char *name,
			  uint8_t proto);

struct kn_np_answer {
	bool allowed;
	struct kn_np_side egress, ingress;
	/* any_port: the ports both sides allow. */
	struct kn_np_ports ports;
	uint16_t port; /* the port asked about, 0 with any port */
};

void kn_np_evaluate(const struct kn_model *m, const struct kn_policy_index *ix,
		    const struct kn_np_query *q, struct kn_np_answer *out);
void kn_np_answer_release(struct kn_np_answer *a);

/* ---- the ends of a question ---- */

enum kn_np_target_kind { KN_NPT_POD, KN_NPT_SERVICE, KN_NPT_ADDRESS };

/* What "ns/pod", "ns/service", "pod/ns/name", "svc/ns/name", a bare name
 * (in the default namespace) or an IP address names: a pod, the pods of
 * a service, or an address outside the pods (a node, the outside
 * world). */
struct kn_np_target {
	enum kn_np_target_kind kind;
	const struct kn_service *svc; /* KN_NPT_SERVICE */
	struct kn_pod **pods;	      /* the pod, or the service's pods */
	size_t npods;
	struct kn_ipaddr ip; /* KN_NPT_ADDRESS */
	char name[320];	     /* "shop/web", "10.0.0.1" */
};
/* false, with a message in err (n bytes), when text names nothing. */
bool kn_np_target_resolve(const struct kn_model *m, const char *text,
			  const char *default_ns, struct kn_np_target *out,
			  char *err, size_t n);
void kn_np_target_release(struct kn_np_target *t);
/* The end for pod k of t (or the address), addressed in the family of
 * other when the pod has an address of that family. */
struct kn_np_end kn_np_target_end(const struct kn_np_target *t, size_t k,
				  const struct kn_ipaddr *other);

/* A port as asked: "80", "80/UDP", "http", "dns/udp". NULL or "": any
 * port. false with a message for a bad port or protocol. */
struct kn_np_port_ask {
	bool any;
	uint16_t port;	  /* 0 with a name */
	const char *name; /* borrowed from the text's copy in buf */
	uint8_t proto;
	char buf[64];
};
bool kn_np_port_parse(const char *text, struct kn_np_port_ask *out, char *err,
		      size_t n);
/* The destination port on pod for a port asked of target t (a service's
 * port maps to its targetPort); 0 when the pod has no such port. */
uint16_t kn_np_port_on(const struct kn_np_target *t, const struct kn_pod *pod,
		       const struct kn_np_port_ask *ask);

/* ---- a question as a user asks it ---- */

/* Pod pairs evaluated at most (a service on both ends). */
#define KN_CAN_MAX_PAIRS 4096

/* The answer to "may FROM reach TO on PORT": every pod pair of the two
 * ends evaluated; the pair shown in full is the first denied one, else
 * the first. */
struct kn_np_result {
	struct kn_np_target from, to;
	struct kn_np_port_ask ask;
	struct kn_np_answer ans;   /* the pair shown */
	size_t show_from, show_to; /* its pods in from and to */
	uint16_t show_port;	   /* its destination port, 0: any/none */
	bool have, allowed, missing_port;
	size_t npairs, nallowed;
	struct kn_strs notes; /* host network, ipBlock on a pod, ... */
};
/* 0 answered; 1 an end names nothing (or a service without pods); 2 a
 * bad port. The message is in err. */
int kn_np_ask(const struct kn_model *m, const struct kn_policy_index *ix,
	      const char *from, const char *to, const char *port,
	      const char *default_ns, struct kn_np_result *out, char *err,
	      size_t n);
void kn_np_result_release(struct kn_np_result *r);
/* The answer as lines "KEY       text" (FROM, TO, PORT, ALLOWED,
 * EGRESS, INGRESS, NOTE), appended to out. */
void kn_np_result_lines(const struct kn_np_result *r, struct kn_strs *out);
/* "pod", "service", "address". */
const char *kn_np_target_kind_name(enum kn_np_target_kind k);
/* "ns/name" into buf. */
void kn_np_pod_name(const struct kn_pod *p, char *buf, size_t n);

/* ---- traffic seen on the wire ---- */

/* The policy verdict on a flow seen on the wire: client to server on
 * port/proto, the ends named by their addresses (a service address means
 * its pods, the port its targetPort). */
struct kn_np_flow {
	bool applies; /* an end is a pod, so policies could decide */
	bool denied;
	bool egress;	/* the deciding side: the client's egress, else the
			 * server's ingress */
	char why[1024]; /* "egress of shop/a is isolated and no rule allows
			 * UDP 53 to kube-system/kube-dns" */
};
void kn_np_flow_check(const struct kn_model *m,
		      const struct kn_policy_index *ix,
		      const struct kn_ipaddr *client,
		      const struct kn_ipaddr *server, uint16_t port,
		      uint8_t proto, struct kn_np_flow *out);

/* kn_np_flow_check through the cache: the index for m now, and the last
 * verdict again when the same flow is asked twice in a row. NULL when
 * m has no policy (nothing decides). Valid until the next call. */
const struct kn_np_flow *kn_policy_cache_flow(struct kn_policy_cache *c,
					      const struct kn_model *m,
					      const struct kn_ipaddr *client,
					      const struct kn_ipaddr *server,
					      uint16_t port, uint8_t proto);

/* ---- a matrix, as cyclonus prints one ---- */

/* Who may reach whom among pods[0..n) on the port asked (any: some
 * port): cell i*n+j is true when pods[i] may reach pods[j]. cells holds
 * n*n bools. Returns the cells allowed. */
size_t kn_np_matrix(const struct kn_model *m, const struct kn_policy_index *ix,
		    struct kn_pod *const *pods, size_t n,
		    const struct kn_np_port_ask *ask, bool *cells);
/* The matrix as text lines: a legend numbering the pods, then one row
 * per source with '.' allowed and 'X' denied (ascii) or the same in
 * UTF-8 when !ascii. */
void kn_np_matrix_lines(struct kn_pod *const *pods, size_t n, const bool *cells,
			struct kn_strs *out);

/* ---- words ---- */

/* A rule in words: "allows TCP 8080 from pods app=frontend in namespaces
 * team=shop" (egress: "to"). */
const char *kn_np_rule_text(const struct kn_netpol *np, bool egress, int rule,
			    char *buf, size_t n);
/* A selector in words: "app=web, tier in (a, b), !debug"; "all" when
 * empty. */
const char *kn_selector_text(const struct kn_selector *s, char *buf, size_t n);

#endif
