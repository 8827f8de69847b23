/* Services pane: the Services view, and the detail of a service: ports,
 * endpoints, DNS names and the ingresses that use it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detail.h"
#include "k8snet/model.h"
#include "k8snet/model_query.h"
#include "k8snet/routes.h"
#include "pane.h"

/* The service a row shows. */
static const struct kn_service *
kn_services_at(struct kn_pane *p, size_t row)
{
	const struct kn_vrow *r = kn_pane_vrow(p, row);

	return r != NULL ? r->obj : NULL;
}

/* Does backendRef b of route r name Service s (whether or not the chain
 * gets that far)? */
static bool
kn_backend_is(const struct kn_route *r, const struct kn_gw_backend *b,
	      const struct kn_service *s)
{
	const char *ns = b->ref.ns != NULL ? b->ref.ns : r->o.ns;

	return (b->ref.kind == NULL || strcmp(b->ref.kind, "Service") == 0) &&
	       (b->ref.group == NULL || b->ref.group[0] == '\0') &&
	       b->ref.name != NULL && strcmp(b->ref.name, s->o.name) == 0 &&
	       strcmp(ns, s->o.ns) == 0;
}

/* The chains of route r whose backendRef is s, as lines. */
static size_t
kn_services_route(const struct kn_model *m, const struct kn_routes_index *ix,
		  const struct kn_route *r, const struct kn_service *s,
		  struct kn_lines *out)
{
	size_t ri, pi, bi, np = r->nparents ? r->nparents : 1u, shown = 0;
	struct kn_route_chain c;

	for (ri = 0; ri < r->nrules; ri++)
		for (bi = 0; bi < r->rules[ri].nbackends; bi++) {
			if (!kn_backend_is(r, &r->rules[ri].backends[bi], s))
				continue;
			for (pi = 0; pi < np; pi++) {
				kn_route_chain(m, ix, r, ri, pi, bi, &c);
				kn_lines_add_role(
					out,
					c.status == KN_RT_OK ? KN_ROLE_NORMAL
							     : KN_ROLE_ERROR,
					"  %s %s/%s rule %zu  %s",
					kn_kind_name((enum kn_kind)r->o.kind),
					r->o.ns, r->o.name, ri,
					kn_route_status_name(c.status));
				shown++;
			}
		}
	return shown;
}

/* The Gateway API routes whose backends are s: each rule and parent,
 * with the chain's status (the first broken hop, which may come before
 * the service). */
static void
kn_services_routes(const struct kn_model *m, const struct kn_service *s,
		   struct kn_lines *out)
{
	struct kn_routes_index *ix;
	struct kn_obj **v;
	size_t n, i, shown = 0;
	int kind;

	if (!kn_routes_api_installed(m) ||
	    (ix = kn_routes_index_new(m)) == NULL)
		return;
	kn_lines_add(out, "Gateway API routes reaching it");
	for (kind = KN_HTTPROUTE; KN_KIND_IS_ROUTE(kind); kind++) {
		n = kn_model_list(m, (enum kn_kind)kind, NULL, &v);
		for (i = 0; i < n; i++)
			shown += kn_services_route(
				m, ix, (const struct kn_route *)v[i], s, out);
		free(v);
	}
	if (shown == 0)
		kn_lines_add(out, "  (none)");
	kn_routes_index_free(ix);
}

static void
kn_services_detail(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	const struct kn_model *m = p->app->model;
	const struct kn_service *s = kn_services_at(p, row);
	struct kn_dnsrecs recs = {0};
	struct kn_strs probs = {0};
	struct kn_ingress **ings = NULL;
	struct kn_ing_chain c;
	struct kn_ep_count ep;
	enum kn_role role;
	char ips[2 * KN_IPSTR + 2], ext[512], sel[512], tgt[256], w[512];
	char np[32];
	size_t i, k, n, o, routes = 0;
	int wr;

	if (s == NULL) {
		kn_lines_add(out, "Service");
		kn_lines_add(out, "  (gone from the model)");
		return;
	}
	kn_lines_add(out, "Service %s/%s", s->o.ns, s->o.name);
	kn_lines_add(out, "  %-12s %s%s", "type", kn_svc_type_name(s->type),
		     s->headless ? " (headless: clusterIP None)" : "");
	kn_lines_add(out, "  %-12s %s", "clusterIPs",
		     s->headless ? "None"
		     : s->ncluster_ips
			     ? kn_pane_join_ips(s->cluster_ips, s->ncluster_ips,
						ips, sizeof(ips))
			     : "-");
	kn_service_external_text(s, ext, sizeof(ext));
	kn_lines_add(out, "  %-12s %s",
		     s->type == KN_SVC_EXTERNALNAME ? "externalName"
						    : "external",
		     ext[0] ? ext : "-");
	sel[0] = '\0';
	for (i = 0, o = 0; i < s->nselector; i++) {
		wr = snprintf(sel + o, sizeof(sel) - o, "%s%s=%s", i ? "," : "",
			      s->selector[i].key, s->selector[i].value);
		if (wr < 0 || (size_t)wr >= sizeof(sel) - o)
			break;
		o += (size_t)wr;
	}
	kn_lines_add(out, "  %-12s %s", "selector",
		     s->has_selector ? sel
				     : "(none: endpoints are managed by hand)");
	if (s->publish_not_ready)
		kn_lines_add(out, "  %-12s %s", "publish",
			     "not-ready "
			     "addresses too (publishNotReadyAddresses)");

	kn_lines_add(out, "Ports");
	for (i = 0; i < s->nports; i++) {
		const struct kn_svc_port *sp = &s->ports[i];

		role = kn_detail_target(m, s, sp, tgt, sizeof(tgt));
		if (sp->node_port)
			snprintf(np, sizeof(np), "  nodePort %u",
				 sp->node_port);
		else
			np[0] = '\0';
		kn_lines_add_role(out, role, "  %-10s %u/%s -> %s%s",
				  sp->name != NULL ? sp->name : "(unnamed)",
				  sp->port, kn_proto_name(sp->proto), tgt, np);
	}
	if (s->nports == 0)
		kn_lines_add(out, "  (none)");

	if (s->type != KN_SVC_EXTERNALNAME) {
		ep = kn_model_service_endpoints(m, s);
		kn_lines_add_role(out,
				  ep.ready ? KN_ROLE_TITLE : KN_ROLE_WARNING,
				  "Endpoints (%u ready, %u not ready)",
				  ep.ready, ep.not_ready);
		kn_detail_endpoints(m, s, out, "  ");
	}

	kn_lines_add(out, "DNS records");
	kn_model_service_dns(m, s, &recs);
	kn_detail_records(out, &recs, "  ");
	if (recs.n == 0)
		kn_lines_add(out, "  (none served)");
	kn_dnsrecs_clear(&recs);

	kn_lines_add(out, "Problems");
	kn_model_service_problems(m, s, &probs);
	for (i = 0; i < probs.n; i++)
		kn_lines_add_role(out, KN_ROLE_WARNING, "  %s", probs.v[i]);
	if (probs.n == 0)
		kn_lines_add_role(out, KN_ROLE_OK, "  none");
	kn_strs_clear(&probs);

	kn_lines_add(out, "Ingresses routing here");
	n = kn_model_service_ingresses(m, s->o.ns, s->o.name, &ings);
	for (i = 0; i < n; i++)
		for (k = 0; k < ings[i]->npaths; k++) {
			const struct kn_ing_path *ip = &ings[i]->paths[k];

			if (ip->service == NULL ||
			    strcmp(ip->service, s->o.name) != 0)
				continue;
			kn_model_ingress_chain(m, ings[i], k, &c);
			kn_lines_add_role(out,
					  c.status == KN_ING_OK ? KN_ROLE_NORMAL
								: KN_ROLE_ERROR,
					  "  %s/%s  %s -> port %s%.0u  %s",
					  ings[i]->o.ns, ings[i]->o.name,
					  kn_detail_ing_where(ip, w, sizeof(w)),
					  ip->port_name != NULL ? ip->port_name
								: "",
					  ip->port_name != NULL
						  ? 0u
						  : (unsigned)ip->port_number,
					  kn_ing_status_name(c.status));
			routes++;
		}
	free(ings);
	if (routes == 0)
		kn_lines_add(out, "  (none)");
	kn_services_routes(m, s, out);
}

const struct kn_pane_ops kn_pane_services_ops = {
	.id = KN_PANE_SERVICES,
	.title = "Services",
	.view = &kn_view_services,
	.objects = true,
	.sort_col = 0,
	.detail = kn_services_detail,
};
