/* Gateway API route chains: the hops from a parentRef's Gateway listener
 * through the route to the backend Service's endpoints, each checked as
 * the Gateway API specification (v1.2, "Route attachment" and
 * "ReferenceGrant") defines it. See include/k8snet/routes.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "k8snet/policy.h"
#include "k8snet/routes.h"

const char *
kn_route_status_name(uint8_t st)
{
	static const char *const n[KN_RT__COUNT] = {
		"ok",
		"gateway-missing",
		"class-not-accepted",
		"no-matching-listener",
		"not-accepted",
		"ref-not-permitted",
		"service-missing",
		"port-missing",
		"no-endpoints",
	};

	return st < KN_RT__COUNT ? n[st] : "ok";
}

bool
kn_routes_api_installed(const struct kn_model *m)
{
	int k;

	switch (kn_model_gateway_api(m, NULL)) {
	case KN_API_SERVED:
		return true;
	case KN_API_ABSENT:
		return false;
	default:
		break;
	}
	for (k = KN_GWCLASS; k <= KN_REFGRANT; k++)
		if (kn_model_count(m, (enum kn_kind)k) > 0)
			return true;
	return false;
}

/* ---- the ReferenceGrants, sorted by namespace ---- */

struct kn_routes_index {
	struct kn_obj **grants;
	size_t n;
};

static int
ns_cmp(const void *a, const void *b)
{
	const struct kn_obj *x = *(struct kn_obj *const *)a;
	const struct kn_obj *y = *(struct kn_obj *const *)b;

	return strcmp(x->ns, y->ns);
}

struct kn_routes_index *
kn_routes_index_new(const struct kn_model *m)
{
	struct kn_routes_index *ix = calloc(1, sizeof(*ix));

	if (ix == NULL)
		return NULL;
	/* kn_model_list sorts by namespace then name already. */
	ix->n = kn_model_list(m, KN_REFGRANT, NULL, &ix->grants);
	return ix;
}

void
kn_routes_index_free(struct kn_routes_index *ix)
{
	if (ix == NULL)
		return;
	free(ix->grants);
	free(ix);
}

static bool
grant_from(const struct kn_refgrant *g, const char *kind, const char *from)
{
	size_t i;

	for (i = 0; i < g->nfrom; i++)
		if (strcmp(g->from[i].group, KN_GW_GROUP) == 0 &&
		    strcmp(g->from[i].kind, kind) == 0 &&
		    strcmp(g->from[i].ns, from) == 0)
			return true;
	return false;
}

static bool
grant_to(const struct kn_refgrant *g, const struct kn_gw_ref *t)
{
	size_t i;

	for (i = 0; i < g->nto; i++)
		if (strcmp(g->to[i].group, t->group) == 0 &&
		    strcmp(g->to[i].kind, t->kind) == 0 &&
		    (g->to[i].name == NULL ||
		     strcmp(g->to[i].name, t->name) == 0))
			return true;
	return false;
}

const struct kn_refgrant *
kn_gw_grant_find(const struct kn_routes_index *ix, const char *ns,
		 const char *kind, const char *from,
		 const struct kn_gw_ref *target)
{
	struct kn_obj key = {.ns = ns}, *kp = &key, **hit;
	size_t i;

	if (ix == NULL || ix->n == 0)
		return NULL;
	hit = bsearch(&kp, ix->grants, ix->n, sizeof(*ix->grants), ns_cmp);
	if (hit == NULL)
		return NULL;
	/* Back to the first grant of the namespace, then forward. */
	i = (size_t)(hit - ix->grants);
	while (i > 0 && strcmp(ix->grants[i - 1]->ns, ns) == 0)
		i--;
	for (; i < ix->n && strcmp(ix->grants[i]->ns, ns) == 0; i++) {
		const struct kn_refgrant *g =
			(const struct kn_refgrant *)ix->grants[i];

		if (grant_from(g, kind, from) && grant_to(g, target))
			return g;
	}
	return NULL;
}

/* ---- listeners ---- */

/* host is inside the wildcard "*.dom" when it ends in ".dom" with at
 * least one label before it. */
static bool
under_wildcard(const char *wild, const char *host)
{
	size_t wl = strlen(wild + 1), hl = strlen(host);

	return hl > wl && strcasecmp(host + hl - wl, wild + 1) == 0;
}

bool
kn_gw_host_intersect(const char *listener, const char *route)
{
	bool lw, rw;

	if (listener == NULL || route == NULL)
		return true;
	lw = listener[0] == '*' && listener[1] == '.';
	rw = route[0] == '*' && route[1] == '.';
	if (!lw && !rw)
		return strcasecmp(listener, route) == 0;
	if (lw && !rw)
		return under_wildcard(listener, route);
	if (!lw && rw)
		return under_wildcard(route, listener);
	/* Both wildcards: one domain equal to or inside the other. */
	return strcasecmp(listener, route) == 0 ||
	       under_wildcard(listener, route + 2) ||
	       under_wildcard(route, listener + 2);
}

/* The route kinds a protocol takes when allowedRoutes.kinds is empty
 * (GEP-1294: HTTP and HTTPS carry HTTPRoute and GRPCRoute). */
static bool
protocol_takes(const struct kn_gw_listener *l, int kind)
{
	const char *p = l->protocol;

	if (strcmp(p, "HTTP") == 0 || strcmp(p, "HTTPS") == 0)
		return kind == KN_HTTPROUTE || kind == KN_GRPCROUTE;
	if (strcmp(p, "TLS") == 0)
		return kind == KN_TLSROUTE ||
		       (kind == KN_TCPROUTE &&
			l->tls_mode == KN_GW_TLS_TERMINATE);
	if (strcmp(p, "TCP") == 0)
		return kind == KN_TCPROUTE;
	if (strcmp(p, "UDP") == 0)
		return kind == KN_UDPROUTE;
	return true; /* an implementation's own protocol */
}

static bool
kind_allowed(const struct kn_gw_listener *l, int kind)
{
	const char *name = kn_kind_name((enum kn_kind)kind);
	size_t i;

	if (l->nkinds == 0)
		return protocol_takes(l, kind);
	for (i = 0; i < l->nkinds; i++)
		if (strcmp(l->kinds[i].group, KN_GW_GROUP) == 0 &&
		    strcmp(l->kinds[i].kind, name) == 0)
			return true;
	return false;
}

static bool
ns_allowed(const struct kn_model *m, const struct kn_gateway *gw,
	   const struct kn_gw_listener *l, const char *ns)
{
	const struct kn_label *labels;
	struct kn_label tmp;
	size_t n;

	switch (l->from) {
	case KN_GW_FROM_ALL:
		return true;
	case KN_GW_FROM_SELECTOR:
		labels = kn_policy_ns_labels(m, ns, &tmp, &n);
		return kn_selector_matches(&l->ns_sel, labels, n);
	default:
		return strcmp(gw->o.ns, ns) == 0;
	}
}

static bool
host_allowed(const struct kn_gw_listener *l, const struct kn_route *r)
{
	size_t i;

	if (l->hostname == NULL || r->nhostnames == 0)
		return true;
	for (i = 0; i < r->nhostnames; i++)
		if (kn_gw_host_intersect(l->hostname, r->hostnames[i]))
			return true;
	return false;
}

uint8_t
kn_gw_listener_check(const struct kn_model *m, const struct kn_gateway *gw,
		     const struct kn_gw_listener *l, const struct kn_route *r,
		     const struct kn_gw_parent *p)
{
	if (p->section != NULL && strcmp(p->section, l->name) != 0)
		return KN_MISS_SECTION;
	if (p->port != 0 && p->port != l->port)
		return KN_MISS_PORT;
	if (!kind_allowed(l, r->o.kind))
		return KN_MISS_KIND;
	if (!ns_allowed(m, gw, l, r->o.ns))
		return KN_MISS_NAMESPACE;
	if (!host_allowed(l, r))
		return KN_MISS_HOSTNAME;
	return KN_MISS_NONE;
}

/* The listeners that take the route: the first, their count, and
 * without any the closest miss. */
static void
find_listener(const struct kn_model *m, struct kn_route_chain *c)
{
	const struct kn_gateway *gw = c->gateway;
	uint8_t miss, best = KN_MISS_NO_LISTENERS;
	size_t i;

	for (i = 0; i < gw->nlisteners; i++) {
		miss = kn_gw_listener_check(m, gw, &gw->listeners[i], c->route,
					    c->parent);
		if (miss == KN_MISS_NONE) {
			if (c->nlisteners++ == 0)
				c->listener = &gw->listeners[i];
		} else if (c->nlisteners == 0 &&
			   (best == KN_MISS_NO_LISTENERS || miss > best)) {
			best = miss;
			/* A listener of another section is no closer than
			 * none at all. */
			c->listener = miss > KN_MISS_SECTION ? &gw->listeners[i]
							     : NULL;
		}
	}
	c->miss = c->nlisteners > 0 ? KN_MISS_NONE : best;
}

/* ---- the controller's status ---- */

static bool
same_parent(const struct kn_gw_parent *a, const struct kn_gw_parent *b)
{
	return a->ref.name == b->ref.name && a->ref.ns == b->ref.ns &&
	       a->ref.kind == b->ref.kind && a->ref.group == b->ref.group &&
	       a->section == b->section && a->port == b->port;
}

/* The status entry for the chain's parent, preferring the one written
 * by the GatewayClass's controller. */
static const struct kn_gw_rstatus *
find_status(const struct kn_route_chain *c)
{
	const struct kn_gw_rstatus *hit = NULL;
	const struct kn_route *r = c->route;
	size_t i;

	for (i = 0; i < r->nstatus; i++) {
		if (!same_parent(&r->status[i].parent, c->parent))
			continue;
		if (hit == NULL ||
		    (c->gwclass != NULL &&
		     r->status[i].controller == c->gwclass->controller))
			hit = &r->status[i];
	}
	return hit;
}

static uint8_t
ctrl_cond(const struct kn_route_chain *c, const char *type)
{
	const struct kn_cond *k;

	if (c->rstatus == NULL)
		return KN_COND_UNKNOWN;
	k = kn_cond_find(c->rstatus->conds, c->rstatus->nconds, type);
	return k != NULL ? k->status : KN_COND_UNKNOWN;
}

/* ---- the chain ---- */

static bool
is_gateway_ref(const struct kn_gw_ref *r)
{
	return strcmp(r->group, KN_GW_GROUP) == 0 &&
	       strcmp(r->kind, "Gateway") == 0;
}

static bool
is_service_ref(const struct kn_gw_ref *r)
{
	return r->group[0] == '\0' && strcmp(r->kind, "Service") == 0;
}

/* gateway-missing, class-not-accepted, no-matching-listener: false
 * when one of them is the status. */
static bool
parent_hops(const struct kn_model *m, struct kn_route_chain *c)
{
	const struct kn_gw_ref *pr = &c->parent->ref;
	const struct kn_cond *acc;

	if (is_service_ref(pr)) {
		/* A mesh (GAMMA) parent: the Service's own traffic. */
		c->parent_service = (const struct kn_service *)kn_model_find(
			m, KN_SERVICE, pr->ns, pr->name);
		if (c->parent_service == NULL)
			c->status = KN_RT_GATEWAY_MISSING;
		return c->parent_service != NULL;
	}
	if (is_gateway_ref(pr))
		c->gateway = (const struct kn_gateway *)kn_model_find(
			m, KN_GATEWAY, pr->ns, pr->name);
	if (c->gateway == NULL) {
		c->status = KN_RT_GATEWAY_MISSING;
		return false;
	}
	if (c->gateway->class_name != NULL)
		c->gwclass = (const struct kn_gwclass *)kn_model_find(
			m, KN_GWCLASS, "", c->gateway->class_name);
	acc = c->gwclass != NULL ? kn_cond_find(c->gwclass->conds,
						c->gwclass->nconds, "Accepted")
				 : NULL;
	if (c->gwclass == NULL ||
	    (acc != NULL && acc->status == KN_COND_FALSE)) {
		c->status = KN_RT_CLASS_NOT_ACCEPTED;
		return false;
	}
	c->rstatus = find_status(c);
	find_listener(m, c);
	if (c->nlisteners == 0) {
		c->status = KN_RT_NO_LISTENER;
		if (ctrl_cond(c, "Accepted") == KN_COND_TRUE)
			c->disagree |= KN_RT_CTRL_ACCEPTED;
		return false;
	}
	return true;
}

/* ref-not-permitted, service-missing, port-missing, no-endpoints. */
static void
backend_hops(const struct kn_model *m, const struct kn_routes_index *ix,
	     struct kn_route_chain *c)
{
	const struct kn_gw_backend *b = c->backend;
	const struct kn_service *svc;
	uint16_t k;

	if (b == NULL) {
		size_t i;

		/* A rule that redirects needs no backend. */
		for (i = 0; c->rule != NULL && i < c->rule->nfilters; i++)
			if (c->rule->filters[i].type == KN_GWF_REDIRECT)
				return;
		c->status = KN_RT_SERVICE_MISSING;
		return;
	}
	if (b->ref.ns != c->route->o.ns) {
		c->grant = kn_gw_grant_find(
			ix, b->ref.ns,
			kn_kind_name((enum kn_kind)c->route->o.kind),
			c->route->o.ns, &b->ref);
		if (c->grant == NULL) {
			c->status = KN_RT_REF_NOT_PERMITTED;
			return;
		}
	}
	if (!is_service_ref(&b->ref)) {
		c->untraced = true;
		return;
	}
	svc = (const struct kn_service *)kn_model_find(m, KN_SERVICE, b->ref.ns,
						       b->ref.name);
	c->service = svc;
	if (svc == NULL) {
		c->status = KN_RT_SERVICE_MISSING;
		return;
	}
	for (k = 0; k < svc->nports && b->port != 0; k++)
		if (svc->ports[k].port == b->port) {
			c->port = &svc->ports[k];
			break;
		}
	if (svc->type == KN_SVC_EXTERNALNAME)
		return; /* proxied to a name: no endpoints to have */
	if (c->port == NULL) {
		c->status = KN_RT_PORT_MISSING;
		return;
	}
	c->endpoints = kn_model_service_port_endpoints(m, svc, c->port);
	if (c->endpoints.ready == 0)
		c->status = KN_RT_NO_ENDPOINTS;
}

/* A backend the controller could not resolve: across namespaces without
 * a grant, or a Service that is not there. */
static bool
ref_broken(const struct kn_model *m, const struct kn_routes_index *ix,
	   const struct kn_route *r, const struct kn_gw_backend *b)
{
	if (b->ref.ns != r->o.ns &&
	    kn_gw_grant_find(ix, b->ref.ns,
			     kn_kind_name((enum kn_kind)r->o.kind), r->o.ns,
			     &b->ref) == NULL)
		return true;
	return is_service_ref(&b->ref) &&
	       kn_model_find(m, KN_SERVICE, b->ref.ns, b->ref.name) == NULL;
}

/* ResolvedRefs is the controller's word on all the route's references
 * for a parent: False disagrees only when none of them is broken. */
static bool
all_refs_resolve(const struct kn_model *m, const struct kn_routes_index *ix,
		 const struct kn_route *r)
{
	size_t i, j;

	for (i = 0; i < r->nrules; i++)
		for (j = 0; j < r->rules[i].nbackends; j++)
			if (ref_broken(m, ix, r, &r->rules[i].backends[j]))
				return false;
	return true;
}

static uint32_t
share_pm(const struct kn_gw_rule *rule, const struct kn_gw_backend *b)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < rule->nbackends; i++)
		sum += rule->backends[i].weight;
	return sum ? (uint32_t)(((uint64_t)b->weight * 1000 + sum / 2) / sum)
		   : 0;
}

void
kn_route_chain(const struct kn_model *m, const struct kn_routes_index *ix,
	       const struct kn_route *r, size_t rule, size_t parent,
	       size_t backend, struct kn_route_chain *out)
{
	uint8_t rr;

	memset(out, 0, sizeof(*out));
	out->route = r;
	out->status = KN_RT_OK;
	if (rule < r->nrules)
		out->rule = &r->rules[rule];
	if (parent < r->nparents)
		out->parent = &r->parents[parent];
	if (out->rule != NULL && backend < out->rule->nbackends) {
		out->backend = &out->rule->backends[backend];
		out->share_pm = share_pm(out->rule, out->backend);
	}
	if (out->parent == NULL) {
		/* Attached to nothing: no gateway serves it. */
		out->status = KN_RT_GATEWAY_MISSING;
		return;
	}
	if (!parent_hops(m, out))
		return;
	if (out->rstatus == NULL)
		out->rstatus = find_status(out);
	if (ctrl_cond(out, "Accepted") == KN_COND_FALSE) {
		out->status = KN_RT_NOT_ACCEPTED;
		return;
	}
	backend_hops(m, ix, out);
	rr = ctrl_cond(out, "ResolvedRefs");
	if (rr == KN_COND_FALSE && out->status == KN_RT_OK && !out->untraced &&
	    all_refs_resolve(m, ix, r))
		out->disagree |= KN_RT_CTRL_UNRESOLVED;
	else if (rr == KN_COND_TRUE &&
		 (out->status == KN_RT_REF_NOT_PERMITTED ||
		  out->status == KN_RT_SERVICE_MISSING))
		out->disagree |= KN_RT_CTRL_RESOLVED;
}
