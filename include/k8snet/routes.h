/* Gateway API route chains: for each rule x parentRef x backendRef of a
 * route, the path Gateway listener -> route -> backend Service -> port ->
 * endpoints, and the first hop that breaks it.
 *
 * Pure, over the model: no I/O. The hops, in this order (the first that
 * fails is the chain's status):
 *   gateway-missing       the parentRef's Gateway is not there
 *   class-not-accepted    its GatewayClass is missing or Accepted=False
 *   no-matching-listener  no listener takes the route: sectionName, port,
 *                         the route kinds it allows (allowedRoutes.kinds,
 *                         else its protocol's), the namespaces it allows
 *                         (Same, All, Selector) and an intersecting
 *                         hostname ("*.example.com" covers one label or
 *                         more, never example.com itself)
 *   not-accepted          the route's controller status for this parent
 *                         says Accepted=False
 *   ref-not-permitted     a backend in another namespace without a
 *                         ReferenceGrant there letting the route's kind
 *                         and namespace refer to it (by group, kind and
 *                         name, or every name)
 *   service-missing       no such Service (or no backendRefs)
 *   port-missing          no port given, or the Service has no such port
 *   no-endpoints          no ready endpoint
 *   ok
 * What the derivation finds and what the controller reports may differ
 * (a controller that has not caught up, or one that reads the API
 * differently): the chain says when they do, and its reason gives both. */
#ifndef K8SNET_ROUTES_H
#define K8SNET_ROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/model.h"

enum kn_route_status {
	KN_RT_OK,
	KN_RT_GATEWAY_MISSING,
	KN_RT_CLASS_NOT_ACCEPTED,
	KN_RT_NO_LISTENER,
	KN_RT_NOT_ACCEPTED,
	KN_RT_REF_NOT_PERMITTED,
	KN_RT_SERVICE_MISSING,
	KN_RT_PORT_MISSING,
	KN_RT_NO_ENDPOINTS,
	KN_RT__COUNT
};
/* "ok", "gateway-missing", ... "no-endpoints". */
const char *kn_route_status_name(uint8_t st);

/* Why a listener does not take a route: the first check it fails, in
 * the order they are made (a later one is a closer miss). */
enum kn_rt_miss {
	KN_MISS_NONE,
	KN_MISS_NO_LISTENERS, /* the Gateway has none */
	KN_MISS_SECTION,      /* not the parentRef's sectionName */
	KN_MISS_PORT,	      /* not on the parentRef's port */
	KN_MISS_KIND,	      /* does not take this route kind */
	KN_MISS_NAMESPACE,    /* does not allow the route's namespace */
	KN_MISS_HOSTNAME,     /* no hostname intersects */
};

/* Where the controller's status disagrees with the derivation. */
#define KN_RT_CTRL_ACCEPTED 0x01u   /* Accepted=True, no listener found */
#define KN_RT_CTRL_UNRESOLVED 0x02u /* ResolvedRefs=False, refs found */
#define KN_RT_CTRL_RESOLVED 0x04u   /* ResolvedRefs=True, a ref broken */

struct kn_route_chain {
	/* First, so a chain reads as its endpoint counts (the view's
	 * endpoints{ready, notReady} object). */
	struct kn_ep_count endpoints;
	const struct kn_route *route;
	const struct kn_gw_rule *rule;		 /* NULL: no rules */
	const struct kn_gw_parent *parent;	 /* NULL: no parentRefs */
	const struct kn_gw_backend *backend;	 /* NULL: no backendRefs */
	const struct kn_gateway *gateway;	 /* NULL: missing or a mesh
						  * parent */
	const struct kn_service *parent_service; /* a mesh (GAMMA) parent */
	const struct kn_gwclass *gwclass;
	/* The first listener that takes the route; without one, the
	 * closest miss (NULL when none is close). */
	const struct kn_gw_listener *listener;
	const struct kn_gw_rstatus *rstatus; /* the controller's word on this
					      * parent, or NULL */
	const struct kn_refgrant *grant;     /* lets the backend be
					      * referred to across namespaces */
	const struct kn_service *service;    /* NULL when missing */
	const struct kn_svc_port *port;	     /* NULL when missing */
	uint32_t share_pm;   /* the backend's share of its rule's weight,
			      * per mille */
	uint16_t nlisteners; /* listeners that take the route */
	uint8_t status;	     /* enum kn_route_status */
	uint8_t miss;	     /* enum kn_rt_miss, with KN_RT_NO_LISTENER */
	uint8_t disagree;    /* KN_RT_CTRL_* */
	bool untraced;	     /* a backend of a kind other than Service */
};

/* Is the Gateway API there: served, as discovery found, or with no word
 * from the source (files, the demo), when some Gateway API object is. */
bool kn_routes_api_installed(const struct kn_model *m);

/* What the derivation reads besides the model: the ReferenceGrants by
 * namespace. Valid while the model does not change. NULL on no memory. */
struct kn_routes_index;
struct kn_routes_index *kn_routes_index_new(const struct kn_model *m);
void kn_routes_index_free(struct kn_routes_index *ix);

/* The chain of rule `rule`, parentRef `parent` and backendRef `backend`
 * of r (each index 0 when r has none of them). */
void kn_route_chain(const struct kn_model *m, const struct kn_routes_index *ix,
		    const struct kn_route *r, size_t rule, size_t parent,
		    size_t backend, struct kn_route_chain *out);

/* ---- the parts, for tests and the detail view ---- */

/* Do a listener's hostname and a route's hostname intersect? NULL is
 * any host. "*.example.com" covers foo.example.com and a.b.example.com,
 * not example.com; two wildcards intersect when one's domain is inside
 * the other's. Case-insensitive. */
bool kn_gw_host_intersect(const char *listener, const char *route);
/* Does listener l of gateway gw take route r for parentRef p?
 * KN_MISS_NONE, or why not. */
uint8_t kn_gw_listener_check(const struct kn_model *m,
			     const struct kn_gateway *gw,
			     const struct kn_gw_listener *l,
			     const struct kn_route *r,
			     const struct kn_gw_parent *p);
/* Does a ReferenceGrant of namespace ns let a kind (group
 * gateway.networking.k8s.io) of namespace from refer to target? The
 * first that does, or NULL. */
const struct kn_refgrant *kn_gw_grant_find(const struct kn_routes_index *ix,
					   const char *ns, const char *kind,
					   const char *from,
					   const struct kn_gw_ref *target);

/* ---- in words ---- */

/* Why the chain has its status, with the controller's word where it
 * differs; NULL for an ok chain the controller agrees with. Written to
 * buf (n bytes). */
const char *kn_route_chain_reason(const struct kn_route_chain *c, char *buf,
				  size_t n);
/* The rule's matches: "PathPrefix /", "Exact /cart POST header
 * x-env=canary", "grpc shop.Cart/Add"; several joined by " | "; NULL
 * for kinds without matches. Written to buf. */
const char *kn_route_match_text(const struct kn_route *r,
				const struct kn_gw_rule *rule, char *buf,
				size_t n);
/* The parentRef: "infra/eg", "infra/eg#https", "infra/eg:443". */
const char *kn_gw_parent_text(const struct kn_gw_parent *p, char *buf,
			      size_t n);

#endif
