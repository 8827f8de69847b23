/* Ingress pane: the Ingress view, and the detail of a rule path traced
 * to the service and pods that serve it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detail.h"
#include "k8snet/alloc.h"
#include "k8snet/model.h"
#include "pane.h"

/* A whole chain in `whole`; a resource backend is not broken, only not
 * traced; every other status is an error. */
static enum kn_role
status_role(uint8_t status, enum kn_role whole)
{
	if (status == KN_ING_OK)
		return whole;
	return status == KN_ING_RESOURCE_BACKEND ? KN_ROLE_NORMAL
						 : KN_ROLE_ERROR;
}

/* The chain's last line when it ends before a service port: a resource
 * backend, no backend, no such service, no port given or no such port.
 * be is the backend as text. Returns false when the chain goes on. */
static bool
chain_stop(const struct kn_ingress *ing, const struct kn_ing_path *ip,
	   const struct kn_ing_chain *c, const char *be, struct kn_lines *out)
{
	const char *port = strchr(be, ':') != NULL ? strchr(be, ':') + 1 : be;

	switch (c->status) {
	case KN_ING_RESOURCE_BACKEND:
		kn_lines_add(out,
			     "     `- resource %s (apiGroup %s): served by "
			     "that object, not traced",
			     be,
			     ip->res_group != NULL ? ip->res_group : "core");
		return true;
	case KN_ING_NO_BACKEND:
		kn_lines_add_role(out, KN_ROLE_ERROR,
				  "     `- no-backend: neither service nor "
				  "resource (v1beta1's serviceName is not "
				  "read under networking.k8s.io/v1)");
		return true;
	case KN_ING_SERVICE_MISSING:
		kn_lines_add_role(out, KN_ROLE_ERROR,
				  "     `- service %s/%s: "
				  "service-missing (no such Service)",
				  ing->o.ns, ip->service);
		return true;
	default:
		break;
	}
	if (c->port != NULL)
		return false;
	if (ip->port_name == NULL && ip->port_number == 0)
		kn_lines_add_role(out, KN_ROLE_ERROR,
				  "     `- service %s/%s: port-missing (the "
				  "backend gives no port)",
				  ing->o.ns, c->service->o.name);
	else if (c->service->type == KN_SVC_EXTERNALNAME)
		kn_lines_add(out,
			     "     `- service %s/%s port %s: ExternalName, "
			     "proxied to %s",
			     ing->o.ns, c->service->o.name, port,
			     c->service->external_name != NULL
				     ? c->service->external_name
				     : "(no name)");
	else
		kn_lines_add_role(out, KN_ROLE_ERROR,
				  "     `- service %s/%s port %s: port-missing "
				  "(the service has no such port)",
				  ing->o.ns, c->service->o.name, port);
	return true;
}

static void
kn_ingress_detail(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	const struct kn_model *m = p->app->model;
	const struct kn_vrow *r = kn_pane_vrow(p, row);
	const struct kn_ingress *ing = r != NULL ? r->obj : NULL;
	struct kn_ing_chain c;
	enum kn_role role;
	char w[512], be[320], addrs[512], tgt[256];
	size_t i, o, k;
	int wr;

	if (ing == NULL) {
		kn_lines_add(out, "Ingress");
		kn_lines_add(out, "  (gone from the model)");
		return;
	}
	k = r->j;
	kn_model_ingress_chain(m, ing, k, &c);
	role = status_role(c.status, KN_ROLE_OK);
	addrs[0] = '\0';
	for (i = 0, o = 0; i < ing->naddresses; i++) {
		wr = snprintf(addrs + o, sizeof(addrs) - o, "%s%s",
			      i ? "," : "", ing->addresses[i]);
		if (wr < 0 || (size_t)wr >= sizeof(addrs) - o)
			break;
		o += (size_t)wr;
	}
	kn_lines_add(out, "Ingress %s/%s  (path %zu of %u)", ing->o.ns,
		     ing->o.name, k + 1, ing->npaths);
	kn_lines_add_role(
		out, c.controller != NULL ? KN_ROLE_NORMAL : KN_ROLE_WARNING,
		"  %-10s %s -> controller %s", "class",
		c.class_name != NULL ? c.class_name
				     : "(none, no default IngressClass)",
		c.controller != NULL ? c.controller : "(unknown)");
	kn_lines_add(out, "  %-10s %s", "TLS",
		     ing->paths[k].tls ? "yes: this host is in spec.tls"
				       : "no");
	kn_lines_add(out, "  %-10s %s", "addresses",
		     addrs[0] ? addrs : "(none published yet)");
	kn_lines_add_role(out, role, "  %-10s %s", "status",
			  kn_ing_status_name(c.status));
	kn_lines_add(out, "Chain");
	kn_lines_add(out, "  ingress %s/%s", ing->o.ns, ing->o.name);
	kn_lines_add(out, "  `- rule %s",
		     kn_detail_ing_where(&ing->paths[k], w, sizeof(w)));
	kn_ing_backend_text(&ing->paths[k], be, sizeof(be));
	if (chain_stop(ing, &ing->paths[k], &c, be, out))
		goto others;
	kn_detail_target(m, c.service, c.port, tgt, sizeof(tgt));
	kn_lines_add(out, "     `- service %s/%s port %s%s%u/%s -> %s",
		     ing->o.ns, c.service->o.name,
		     c.port->name != NULL ? c.port->name : "",
		     c.port->name != NULL ? " " : "", c.port->port,
		     kn_proto_name(c.port->proto), tgt);
	kn_lines_add_role(
		out, c.endpoints.ready ? KN_ROLE_NORMAL : KN_ROLE_ERROR,
		"        `- endpoints %u ready, %u not ready%s",
		c.endpoints.ready, c.endpoints.not_ready,
		c.status == KN_ING_NO_ENDPOINTS ? ": no-endpoints" : "");
	kn_detail_endpoints(m, c.service, out, "           ");
others:
	if (ing->npaths < 2)
		return;
	kn_lines_add(out, "Other paths of this ingress");
	for (i = 0; i < ing->npaths; i++) {
		if (i == k)
			continue;
		kn_model_ingress_chain(m, ing, i, &c);
		kn_lines_add_role(
			out, status_role(c.status, KN_ROLE_NORMAL),
			"  %s -> %s  %s",
			kn_detail_ing_where(&ing->paths[i], w, sizeof(w)),
			kn_ing_backend_text(&ing->paths[i], be, sizeof(be)),
			kn_ing_status_name(c.status));
	}
}

const struct kn_pane_ops kn_pane_ingress_ops = {
	.id = KN_PANE_INGRESS,
	.title = "Ingress",
	.view = &kn_view_ingress,
	.objects = true,
	.sort_col = 0,
	.detail = kn_ingress_detail,
};
