/* Questions the console asks the model beyond model.h: a DNS lookup
 * answered from the model as a pod's resolver and CoreDNS would, the
 * Corefile's layout, a pod's services and the pods on a node.
 *
 * Pure like the model (no I/O); every result is built from the borrowed
 * model and is owned by the caller as documented below. */
#ifndef K8SNET_MODEL_QUERY_H
#define K8SNET_MODEL_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/model.h"

/* The kubelet writes "options ndots:5" into every pod's resolv.conf. */
#define KN_LOOKUP_NDOTS 5

enum kn_lookup_rcode {
	KN_LOOKUP_ANSWER,   /* NOERROR with records */
	KN_LOOKUP_NXDOMAIN, /* the name does not exist */
	KN_LOOKUP_NODATA,   /* the name exists, no record of that type */
	KN_LOOKUP_UPSTREAM, /* outside the cluster zones: forwarded */
	KN_LOOKUP_INVALID   /* not a DNS name or address */
};
/* "NOERROR", "NXDOMAIN", "NODATA", "FORWARDED", "INVALID". */
const char *kn_lookup_rcode_name(uint8_t rc);

/* One name the resolver asked, in order. */
struct kn_lookup_try {
	char *name;    /* FQDN with trailing dot */
	char *reason;  /* why there was no answer; NULL when answered */
	uint8_t rcode; /* enum kn_lookup_rcode */
};

struct kn_lookup {
	char query[256];       /* the question as typed (folded) */
	int qtype;	       /* enum kn_rr asked for; -1: any */
	const char *ns;	       /* namespace of the asking pod */
	bool reverse;	       /* an address: a PTR question */
	bool absolute_first;   /* dots >= ndots, or a trailing dot */
	unsigned dots;	       /* dots in the query */
	struct kn_strs search; /* the search list used */
	struct kn_lookup_try *tries;
	size_t ntries, cap;
	struct kn_dnsrecs answers; /* from the try that answered */
	struct kn_strs why;	   /* why.v[i] explains answers.v[i] */
	struct kn_strs notes;	   /* more: who owns an address ... */
	uint8_t rcode;		   /* final outcome */
};

/* Answer query ("web", "web.shop", "postgres-0.postgres.shop.svc.
 * cluster.local.", "10.96.0.10", "x.in-addr.arpa", optionally followed
 * by a type: "cart SRV") like a resolver in a pod of namespace ns (NULL:
 * "default") with the kubelet's search list and ndots:5, against the
 * records CoreDNS's kubernetes plugin serves from the model. Every answer
 * and every miss says where it comes from. out is initialised here;
 * release it with kn_lookup_release. */
void kn_model_lookup(const struct kn_model *m, const char *query,
		     const char *ns, struct kn_lookup *out);
void kn_lookup_release(struct kn_lookup *l);

/* The Corefile of kube-system/coredns, summarised. */
struct kn_corefile {
	bool present;
	struct kn_strs servers; /* server blocks: ".:53" */
	struct kn_strs plugins; /* "kubernetes cluster.local in-addr.arpa
				 * ip6.arpa", "forward . /etc/resolv.conf",
				 * "cache 30" (first server block) */
	char pods[16];		/* kubernetes "pods" mode: "disabled"
				 * (CoreDNS's default), "insecure",
				 * "verified" */
};
/* Fill cf (caller releases with kn_corefile_release). */
void kn_model_corefile(const struct kn_model *m, struct kn_corefile *cf);
void kn_corefile_release(struct kn_corefile *cf);
/* The same from Corefile text (NULL: no Corefile); src/model/corefile.c. */
void kn_corefile_parse(const char *text, struct kn_corefile *cf);
/* Cluster domain ("kubernetes ZONE... {", reverse zones skipped) into dom
 * and the forward plugin's targets into fwd (may be NULL). Returns true
 * when a kubernetes line with a non-reverse zone was found. */
bool kn_corefile_domain(const char *text, char *dom, size_t domsz,
			struct kn_strs *fwd);

/* CoreDNS pods (kube-system, label k8s-app=kube-dns), sorted by name.
 * *out: new array the caller frees; pods borrowed. */
size_t kn_model_coredns_pods(const struct kn_model *m, struct kn_pod ***out);

/* Services in the pod's namespace whose selector matches the pod,
 * sorted by name. *out: new array the caller frees. */
size_t kn_model_pod_services(const struct kn_model *m, const struct kn_pod *pod,
			     struct kn_service ***out);

enum kn_ep_state { KN_EP_NONE, KN_EP_READY, KN_EP_NOT_READY };
/* Whether pod is an endpoint of svc (by targetRef, else by address). */
enum kn_ep_state kn_model_pod_endpoint(const struct kn_model *m,
				       const struct kn_service *svc,
				       const struct kn_pod *pod);

/* Pods scheduled on node, in namespace ns (NULL: all), sorted by
 * namespace then name. *out: new array the caller frees. */
size_t kn_model_pods_on_node(const struct kn_model *m, const char *node,
			     const char *ns, struct kn_pod ***out);

/* A service's PORT(S) ("80:30080/TCP,443/TCP") and EXTERNAL-IP (external
 * or load-balancer addresses, the ExternalName, "<pending>") as kubectl
 * prints them, into out (cap bytes; truncated at an entry). */
void kn_service_ports_text(const struct kn_service *s, char *out, size_t cap);
/* An ingress path's backend as text: "svc:port", "svc:(no port)",
 * "Kind.group/name" for a resource, "(none)"; returns out. */
const char *kn_ing_backend_text(const struct kn_ing_path *p, char *out,
				size_t cap);
void kn_service_external_text(const struct kn_service *s, char *out,
			      size_t cap);

#endif
