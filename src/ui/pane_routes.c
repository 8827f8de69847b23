/* Routes pane: the Routes view of Gateway API route chains, and the
 * detail of one chain: every hop from the GatewayClass to the pods and
 * the nodes they run on, the broken hop marked, and the conditions the
 * controllers wrote, with their reasons and messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detail.h"
#include "k8snet/model.h"
#include "k8snet/policy.h"
#include "k8snet/routes.h"
#include "pane.h"

/* who, then each of its conditions on a line: type=status, reason and
 * message; a False one drawn as a warning. */
static void
cond_lines(struct kn_lines *out, const char *who, const struct kn_cond *c,
	   size_t n)
{
	size_t i;

	kn_lines_add(out, "  %s%s", who, n == 0 ? ": (no conditions)" : "");
	for (i = 0; i < n; i++)
		kn_lines_add_role(out,
				  c[i].status == KN_COND_FALSE ? KN_ROLE_WARNING
							       : KN_ROLE_NORMAL,
				  "    %s=%s%s%s%s%s", c[i].type,
				  kn_cond_status_name(c[i].status),
				  c[i].reason != NULL ? " " : "",
				  c[i].reason != NULL ? c[i].reason : "",
				  c[i].message != NULL ? ": " : "",
				  c[i].message != NULL ? c[i].message : "");
}

/* The hop that broke the chain is drawn as an error with its reason. */
static enum kn_role
hop_role(const struct kn_route_chain *c, uint8_t hop)
{
	return c->status == hop ? KN_ROLE_ERROR : KN_ROLE_NORMAL;
}

static const char *
allowed_text(const struct kn_gw_listener *l, char *buf, size_t n)
{
	char sel[256];
	size_t i, o;

	if (l->from == KN_GW_FROM_SELECTOR)
		snprintf(buf, n, "routes of namespaces %s",
			 kn_selector_text(&l->ns_sel, sel, sizeof(sel)));
	else
		snprintf(buf, n, "routes of %s namespaces",
			 l->from == KN_GW_FROM_ALL ? "all" : "its own");
	for (i = 0, o = strlen(buf); i < l->nkinds && o + 1 < n; i++) {
		snprintf(buf + o, n - o, "%s%s", i ? ", " : "; kinds ",
			 l->kinds[i].kind);
		o += strlen(buf + o);
	}
	return buf;
}

static void
listener_lines(const struct kn_route_chain *c, struct kn_lines *out)
{
	const struct kn_gw_listener *l = c->listener;
	char al[512], tls[320] = "";
	size_t i, o;

	if (l == NULL) {
		kn_lines_add_role(out, KN_ROLE_ERROR,
				  "     `- listener: none takes the route");
		return;
	}
	if (l->tls_mode != KN_GW_TLS_NONE) {
		o = (size_t)snprintf(tls, sizeof(tls), "  TLS %s",
				     kn_gw_tls_name(l->tls_mode));
		for (i = 0; i < l->ncerts && o + 1 < sizeof(tls); i++) {
			snprintf(tls + o, sizeof(tls) - o, "%s%s/%s",
				 i ? ", " : " cert ", l->certs[i].ns,
				 l->certs[i].name);
			o += strlen(tls + o);
		}
	}
	kn_lines_add_role(
		out, c->nlisteners ? KN_ROLE_NORMAL : KN_ROLE_ERROR,
		"     `- listener %s %u/%s host %s%s%s", l->name, l->port,
		l->protocol, l->hostname != NULL ? l->hostname : "*",
		c->nlisteners ? "" : " (closest; does not take it)", tls);
	kn_lines_add(out, "        allows %s; %u routes attached%s",
		     allowed_text(l, al, sizeof(al)), l->attached,
		     c->nlisteners > 1 ? " (other listeners take it too)" : "");
}

static void
route_lines(const struct kn_route_chain *c, struct kn_lines *out)
{
	const struct kn_route *r = c->route;
	const struct kn_gw_rule *ru = c->rule;
	char m[512];
	size_t i;

	kn_lines_add_role(
		out,
		c->status == KN_RT_NOT_ACCEPTED ? KN_ROLE_ERROR
						: KN_ROLE_NORMAL,
		"        `- %s %s/%s rules[%u]: %s",
		kn_kind_name((enum kn_kind)r->o.kind), r->o.ns, r->o.name,
		(unsigned)(ru != NULL ? ru - r->rules : 0),
		kn_route_match_text(r, ru, m, sizeof(m)) != NULL ? m : "any");
	for (i = 0; ru != NULL && i < ru->nfilters; i++)
		kn_lines_add(out, "           filter %s%s%s",
			     ru->filters[i].type_name,
			     ru->filters[i].text != NULL ? ": " : "",
			     ru->filters[i].text != NULL ? ru->filters[i].text
							 : "");
}

/* "90%", "33.3%". */
static const char *
share_text(uint32_t pm, char *buf, size_t n)
{
	if (pm % 10 == 0)
		snprintf(buf, n, "%u%%", pm / 10);
	else
		snprintf(buf, n, "%u.%u%%", pm / 10, pm % 10);
	return buf;
}

static void
backend_lines(const struct kn_model *m, const struct kn_route_chain *c,
	      struct kn_lines *out)
{
	const struct kn_gw_backend *b = c->backend;
	char tgt[256], share[16];
	enum kn_role role;

	if (b == NULL) {
		kn_lines_add_role(out, hop_role(c, KN_RT_SERVICE_MISSING),
				  "           `- no backendRefs");
		return;
	}
	kn_lines_add_role(
		out,
		c->status == KN_RT_REF_NOT_PERMITTED ? KN_ROLE_ERROR
						     : KN_ROLE_NORMAL,
		"           `- backend %s %s/%s port %u weight %u (%s of the "
		"rule)%s%s",
		b->ref.kind, b->ref.ns, b->ref.name, b->port, b->weight,
		share_text(c->share_pm, share, sizeof(share)),
		c->grant != NULL ? ", allowed by ReferenceGrant " : "",
		c->grant != NULL ? c->grant->o.name : "");
	if (c->service == NULL || c->status == KN_RT_REF_NOT_PERMITTED)
		return;
	if (c->port == NULL) {
		kn_lines_add_role(out, hop_role(c, KN_RT_PORT_MISSING),
				  "              `- service %s/%s: no port %u",
				  c->service->o.ns, c->service->o.name,
				  b->port);
		return;
	}
	role = kn_detail_target(m, c->service, c->port, tgt, sizeof(tgt));
	kn_lines_add_role(out, role,
			  "              `- service %s/%s port %s%s%u/%s -> %s",
			  c->service->o.ns, c->service->o.name,
			  c->port->name != NULL ? c->port->name : "",
			  c->port->name != NULL ? " " : "", c->port->port,
			  kn_proto_name(c->port->proto), tgt);
	kn_lines_add_role(
		out, hop_role(c, KN_RT_NO_ENDPOINTS),
		"                 `- endpoints %u ready, %u not ready",
		c->endpoints.ready, c->endpoints.not_ready);
	kn_detail_endpoints(m, c->service, out, "                    ");
}

/* The nodes the backend's endpoints run on, with their state. */
static void
node_lines(const struct kn_model *m, const struct kn_service *svc,
	   struct kn_lines *out)
{
	struct kn_slice *const *sl;
	const char *seen[64];
	const struct kn_node *nd;
	size_t nsl, i, j, k, ns = 0;

	nsl = kn_model_service_slices(m, svc, &sl);
	for (i = 0; i < nsl; i++)
		for (j = 0; j < sl[i]->neps && ns < 64; j++) {
			const char *node = sl[i]->eps[j].node;

			for (k = 0; k < ns && node != NULL; k++)
				if (seen[k] == node)
					break;
			if (node != NULL && k == ns)
				seen[ns++] = node;
		}
	if (ns == 0)
		return;
	kn_lines_add(out, "Nodes");
	for (k = 0; k < ns; k++) {
		uint32_t here = 0;

		for (i = 0; i < nsl; i++)
			for (j = 0; j < sl[i]->neps; j++)
				here += sl[i]->eps[j].node == seen[k];
		nd = (const struct kn_node *)kn_model_find(m, KN_NODE, "",
							   seen[k]);
		kn_lines_add_role(out,
				  nd == NULL || !nd->ready ? KN_ROLE_WARNING
							   : KN_ROLE_NORMAL,
				  "  %s: %u endpoint%s of %s/%s%s", seen[k],
				  here, here == 1 ? "" : "s", svc->o.ns,
				  svc->o.name,
				  nd == NULL  ? " (node not found)"
				  : nd->ready ? ""
					      : " (node NOT READY)");
	}
}

static void
conditions(const struct kn_route_chain *c, struct kn_lines *out)
{
	char who[320];
	size_t i;

	kn_lines_add(out, "Conditions");
	if (c->gwclass != NULL) {
		snprintf(who, sizeof(who), "GatewayClass %s",
			 c->gwclass->o.name);
		cond_lines(out, who, c->gwclass->conds, c->gwclass->nconds);
	}
	if (c->gateway != NULL) {
		snprintf(who, sizeof(who), "Gateway %s/%s", c->gateway->o.ns,
			 c->gateway->o.name);
		cond_lines(out, who, c->gateway->conds, c->gateway->nconds);
		for (i = 0; i < c->gateway->nlisteners; i++) {
			const struct kn_gw_listener *l =
				&c->gateway->listeners[i];

			if (l != c->listener)
				continue;
			snprintf(who, sizeof(who), "listener %s", l->name);
			cond_lines(out, who, l->conds, l->nconds);
		}
	}
	for (i = 0; i < c->route->nstatus; i++) {
		const struct kn_gw_rstatus *s = &c->route->status[i];
		char p[256];

		snprintf(who, sizeof(who), "%s on %s%s",
			 s->controller != NULL ? s->controller
					       : "(no controller)",
			 kn_gw_parent_text(&s->parent, p, sizeof(p)),
			 s == c->rstatus ? " (this chain)" : "");
		cond_lines(out, who, s->conds, s->nconds);
	}
	if (c->route->nstatus == 0)
		kn_lines_add_role(out, KN_ROLE_WARNING,
				  "  the route has no status: no controller "
				  "has seen it yet");
}

static void
others(const struct kn_model *m, const struct kn_routes_index *ix,
       const struct kn_route_chain *self, struct kn_lines *out)
{
	const struct kn_route *r = self->route;
	struct kn_route_chain c;
	char be[256], p[256];
	size_t ru, pa, b, nb, n = 0;

	for (ru = 0; ru < r->nrules; ru++) {
		nb = r->rules[ru].nbackends ? r->rules[ru].nbackends : 1;
		for (pa = 0; pa < (r->nparents ? r->nparents : 1); pa++)
			for (b = 0; b < nb; b++) {
				kn_route_chain(m, ix, r, ru, pa, b, &c);
				if (c.rule == self->rule &&
				    c.parent == self->parent &&
				    c.backend == self->backend)
					continue;
				if (n++ == 0)
					kn_lines_add(out,
						     "Other chains of this "
						     "route");
				snprintf(be, sizeof(be), "%s/%s:%u",
					 c.backend ? c.backend->ref.ns : "-",
					 c.backend ? c.backend->ref.name
						   : "(none)",
					 c.backend ? c.backend->port : 0);
				kn_lines_add_role(
					out,
					c.status == KN_RT_OK ? KN_ROLE_NORMAL
							     : KN_ROLE_ERROR,
					"  rules[%zu] via %s -> %s  %s", ru,
					c.parent
						? kn_gw_parent_text(c.parent, p,
								    sizeof(p))
						: "-",
					be, kn_route_status_name(c.status));
			}
	}
}

/* "  label      text", text cut at spaces into lines of at most 64
 * bytes under the first (a detail view does not wrap). */
static void
wrap_lines(struct kn_lines *out, enum kn_role role, const char *label,
	   const char *text)
{
	const size_t width = 64;
	size_t n, cut;

	while (*text != '\0') {
		n = strlen(text);
		cut = n;
		if (n > width) {
			for (cut = width; cut > 0 && text[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = width;
		}
		kn_lines_add_role(out, role, "  %-10s %.*s", label, (int)cut,
				  text);
		label = "";
		text += cut;
		while (*text == ' ')
			text++;
	}
}

static void
kn_routes_detail(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	const struct kn_model *m = p->app->model;
	const struct kn_vrow *r = kn_pane_vrow(p, row);
	const struct kn_route *rt = r != NULL ? r->obj : NULL;
	struct kn_routes_index *ix;
	struct kn_route_chain c;
	char reason[1024], buf[512];
	enum kn_role role;
	const char *why;
	size_t i;

	if (rt == NULL || m == NULL) {
		kn_lines_add(out, "Route");
		kn_lines_add(out, "  (gone from the model)");
		return;
	}
	ix = kn_routes_index_new(m);
	kn_route_chain(m, ix, rt, r->i, r->j >> 16, r->j & 0xffff, &c);
	why = kn_route_chain_reason(&c, reason, sizeof(reason));
	kn_lines_add(out, "%s %s/%s  spec.rules[%u] (%u rule%s)",
		     kn_kind_name((enum kn_kind)rt->o.kind), rt->o.ns,
		     rt->o.name, r->i, rt->nrules, rt->nrules == 1 ? "" : "s");
	role = c.status != KN_RT_OK ? KN_ROLE_ERROR
	       : c.disagree	    ? KN_ROLE_WARNING
				    : KN_ROLE_OK;
	kn_lines_add_role(out, role, "  %-10s %s", "status",
			  kn_route_status_name(c.status));
	if (why != NULL)
		wrap_lines(out, role, "reason", why);
	buf[0] = '\0';
	for (i = 0; i < rt->nhostnames; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
			 i ? ", " : "", rt->hostnames[i]);
	kn_lines_add(out, "  %-10s %s", "hostnames", buf[0] ? buf : "* (any)");
	if (c.gateway != NULL && c.gateway->naddresses > 0)
		kn_lines_add(out, "  %-10s %s", "address",
			     c.gateway->addresses[0]);
	kn_lines_add(out, "Chain");
	if (c.parent == NULL) {
		kn_lines_add_role(out, KN_ROLE_ERROR, "  (no parentRefs)");
	} else if (c.gateway == NULL) {
		kn_lines_add_role(
			out, c.parent_service ? KN_ROLE_NORMAL : KN_ROLE_ERROR,
			"  parent %s%s",
			kn_gw_parent_text(c.parent, buf, sizeof(buf)),
			c.parent_service ? " (mesh: the Service's own "
					   "traffic)"
					 : ": not found");
	} else {
		kn_lines_add_role(out, hop_role(&c, KN_RT_CLASS_NOT_ACCEPTED),
				  "  class %s -> controller %s",
				  c.gateway->class_name != NULL
					  ? c.gateway->class_name
					  : "(none)",
				  c.gwclass != NULL && c.gwclass->controller
					  ? c.gwclass->controller
					  : "(unknown)");
		kn_lines_add(out, "  `- gateway %s/%s%s%s%s%.0u",
			     c.gateway->o.ns, c.gateway->o.name,
			     c.parent->section != NULL ? "  sectionName " : "",
			     c.parent->section != NULL ? c.parent->section : "",
			     c.parent->port != 0 ? "  port " : "",
			     c.parent->port);
		if (c.status != KN_RT_CLASS_NOT_ACCEPTED)
			listener_lines(&c, out);
	}
	if (c.status == KN_RT_OK || c.status >= KN_RT_NOT_ACCEPTED) {
		route_lines(&c, out);
		if (c.status != KN_RT_NOT_ACCEPTED)
			backend_lines(m, &c, out);
	}
	if (c.service != NULL && c.status != KN_RT_REF_NOT_PERMITTED)
		node_lines(m, c.service, out);
	conditions(&c, out);
	others(m, ix, &c, out);
	kn_routes_index_free(ix);
}

/* Without the Gateway API there is nothing to look for: say so. */
static void
kn_routes_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	if (v->app->model != NULL && !kn_routes_api_installed(v->app->model))
		snprintf(p->note, sizeof(p->note),
			 "Gateway API not installed (no "
			 "gateway.networking.k8s.io routes to trace)");
}

const struct kn_pane_ops kn_pane_routes_ops = {
	.id = KN_PANE_ROUTES,
	.title = "Routes",
	.view = &kn_view_routes,
	.objects = true,
	.sort_col = 0,
	.deps = KN_DEP(KN_GWCLASS) | KN_DEP(KN_GATEWAY) | KN_DEP(KN_HTTPROUTE) |
		KN_DEP(KN_GRPCROUTE) | KN_DEP(KN_TLSROUTE) |
		KN_DEP(KN_TCPROUTE) | KN_DEP(KN_UDPROUTE) |
		KN_DEP(KN_REFGRANT) | KN_DEP(KN_SERVICE) | KN_DEP(KN_SLICE) |
		KN_DEP(KN_ENDPOINTS) | KN_DEP(KN_NAMESPACE),
	.refresh = kn_routes_refresh,
	.detail = kn_routes_detail,
};
