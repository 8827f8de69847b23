/* Ingress pane: ingress rules traced to the services and pods that serve them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detail.h"
#include "k8snet/alloc.h"
#include "k8snet/model.h"
#include "k8snet/pane.h"

/* Row -> index of the rule path in its ingress (rows are built in
 * order). */
struct kn_ingress_priv {
	uint16_t *path;
	size_t n, cap;
};

/* Column order is the cell order of each row handed to p->rows. */
static const struct kn_column kn_ingress_columns[] = {
	{ "NAMESPACE", 9, 20, KN_ALIGN_LEFT, 1, false, true },
	{ "INGRESS", 8, 0, KN_ALIGN_LEFT, 1, false, true },
	{ "CLASS", 5, 14, KN_ALIGN_LEFT, 0, false, false },
	{ "HOST", 6, 0, KN_ALIGN_LEFT, 2, false, true },
	{ "PATH", 4, 0, KN_ALIGN_LEFT, 1, false, true },
	{ "TYPE", 4, 22, KN_ALIGN_LEFT, 0, false, false },
	{ "BACKEND", 8, 0, KN_ALIGN_LEFT, 2, false, false },
	{ "ENDPOINTS", 9, 12, KN_ALIGN_RIGHT, 0, true, false },
	{ "TLS", 3, 5, KN_ALIGN_LEFT, 0, false, false },
	{ "ADDRESS", 7, 39, KN_ALIGN_LEFT, 0, false, false },
	{ "STATUS", 6, 16, KN_ALIGN_LEFT, 0, false, false },
};

/* One row per rule path in v->ns, traced to its service and endpoints;
 * an error role unless the chain is complete. */
static void
kn_ingress_rows(struct kn_pane *p, const struct kn_pane_view *v)
{
	struct kn_ingress_priv *pv = p->priv;
	struct kn_ing_chain c;
	struct kn_obj **objs;
	char backend[320], eps[32], addrs[512];
	const char *cells[11];
	size_t n, i, k, a, o, rows = 0;
	int w;

	n = kn_model_list(v->app->model, KN_INGRESS, v->ns, &objs);
	for (i = 0; i < n; i++) {
		const struct kn_ingress *ing =
			(const struct kn_ingress *)objs[i];

		addrs[0] = '\0';
		for (a = 0, o = 0; a < ing->naddresses; a++) {
			w = snprintf(addrs + o, sizeof(addrs) - o, "%s%s",
				     a ? "," : "", ing->addresses[a]);
			if (w < 0 || (size_t)w >= sizeof(addrs) - o)
				break;
			o += (size_t)w;
		}
		for (k = 0; k < ing->npaths; k++) {
			const struct kn_ing_path *ip = &ing->paths[k];

			kn_model_ingress_chain(v->app->model, ing, k, &c);
			if (ip->service == NULL)
				snprintf(backend, sizeof(backend),
					 "(resource)");
			else if (ip->port_name != NULL)
				snprintf(backend, sizeof(backend), "%s:%s",
					 ip->service, ip->port_name);
			else
				snprintf(backend, sizeof(backend), "%s:%u",
					 ip->service, ip->port_number);
			snprintf(eps, sizeof(eps), "%u/%u", c.endpoints.ready,
				 c.endpoints.ready + c.endpoints.not_ready);
			cells[0] = ing->o.ns;
			cells[1] = ing->o.name;
			cells[2] = c.class_name != NULL ? c.class_name : "";
			cells[3] = ip->host != NULL ? ip->host : "*";
			cells[4] = ip->is_default ? "(default)" :
				   ip->path != NULL ? ip->path : "";
			cells[5] = ip->is_default ? "-" :
				   kn_path_type_name(ip->path_type);
			cells[6] = backend;
			cells[7] = eps;
			cells[8] = ip->tls ? "yes" : "no";
			cells[9] = addrs;
			cells[10] = kn_ing_status_name(c.status);
			kn_rowstore_add(p->rows, cells,
					c.status == KN_ING_OK ?
					KN_ROLE_NORMAL : KN_ROLE_ERROR);
			if (pv->n == pv->cap) {
				pv->cap = pv->cap ? pv->cap * 2 : 64;
				pv->path = kn_xreallocarray(pv->path, pv->cap,
							    sizeof(*pv->path));
			}
			pv->path[pv->n++] = (uint16_t)k;
			rows++;
		}
	}
	free(objs);
	if (rows == 0)
		kn_pane_note_empty(p, v, "ingress rules");
}

static void
kn_ingress_init(struct kn_pane *p)
{
	p->priv = kn_xcalloc(1, sizeof(struct kn_ingress_priv));
}

static void
kn_ingress_free(struct kn_pane *p)
{
	struct kn_ingress_priv *pv = p->priv;

	if (pv != NULL)
		free(pv->path);
	free(pv);
}

/* The chain of one rule path as a tree: ingress -> rule -> service:port
 * -> endpoints -> pods -> nodes. */
static void
kn_ingress_detail(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	const struct kn_model *m = p->app->model;
	struct kn_ingress_priv *pv = p->priv;
	const struct kn_ingress *ing = NULL;
	struct kn_ing_chain c;
	enum kn_role role;
	char a[64], b[64], w[512], be[320], addrs[512], tgt[256];
	size_t i, o, k;
	int wr;

	if (m != NULL && row < pv->n)
		ing = (const struct kn_ingress *)kn_model_find(
			m, KN_INGRESS, kn_table_cell(p->table, row, 0, a,
						     sizeof(a)),
			kn_table_cell(p->table, row, 1, b, sizeof(b)));
	if (ing == NULL || pv->path[row] >= ing->npaths) {
		kn_lines_add(out, "Ingress");
		kn_lines_add(out, "  (gone from the model)");
		return;
	}
	k = pv->path[row];
	kn_model_ingress_chain(m, ing, k, &c);
	role = c.status == KN_ING_OK ? KN_ROLE_OK : KN_ROLE_ERROR;
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
	kn_lines_add_role(out, c.controller != NULL ? KN_ROLE_NORMAL :
			  KN_ROLE_WARNING, "  %-10s %s -> controller %s",
			  "class", c.class_name != NULL ? c.class_name :
			  "(none, no default IngressClass)",
			  c.controller != NULL ? c.controller : "(unknown)");
	kn_lines_add(out, "  %-10s %s", "TLS", ing->paths[k].tls ?
		     "yes: this host is in spec.tls" : "no");
	kn_lines_add(out, "  %-10s %s", "addresses", addrs[0] ? addrs :
		     "(none published yet)");
	kn_lines_add_role(out, role, "  %-10s %s", "status",
			  kn_ing_status_name(c.status));
	kn_lines_add(out, "Chain");
	kn_lines_add(out, "  ingress %s/%s", ing->o.ns, ing->o.name);
	kn_lines_add(out, "  `- rule %s", kn_detail_ing_where(&ing->paths[k], w,
							      sizeof(w)));
	kn_detail_ing_backend(&ing->paths[k], be, sizeof(be));
	if (c.service == NULL) {
		kn_lines_add_role(out, KN_ROLE_ERROR, "     `- service %s/%s: "
				  "service-missing (no such Service)",
				  ing->o.ns, ing->paths[k].service != NULL ?
				  ing->paths[k].service : "(resource)");
		goto others;
	}
	if (c.port == NULL) {
		kn_lines_add_role(out, KN_ROLE_ERROR, "     `- service %s/%s "
				  "port %s: port-missing (the service has no "
				  "such port)", ing->o.ns, c.service->o.name,
				  strchr(be, ':') != NULL ? strchr(be, ':') + 1 :
				  be);
		goto others;
	}
	kn_detail_target(m, c.service, c.port, tgt, sizeof(tgt));
	kn_lines_add(out, "     `- service %s/%s port %s%s%u/%s -> %s",
		     ing->o.ns, c.service->o.name,
		     c.port->name != NULL ? c.port->name : "",
		     c.port->name != NULL ? " " : "", c.port->port,
		     kn_proto_name(c.port->proto), tgt);
	kn_lines_add_role(out, c.endpoints.ready ? KN_ROLE_NORMAL :
			  KN_ROLE_ERROR, "        `- endpoints %u ready, %u not "
			  "ready%s", c.endpoints.ready, c.endpoints.not_ready,
			  c.status == KN_ING_NO_ENDPOINTS ?
			  ": no-endpoints" : "");
	kn_detail_endpoints(m, c.service, out, "           ");
others:
	if (ing->npaths < 2)
		return;
	kn_lines_add(out, "Other paths of this ingress");
	for (i = 0; i < ing->npaths; i++) {
		if (i == k)
			continue;
		kn_model_ingress_chain(m, ing, i, &c);
		kn_lines_add_role(out, c.status == KN_ING_OK ? KN_ROLE_NORMAL :
				  KN_ROLE_ERROR, "  %s -> %s  %s",
				  kn_detail_ing_where(&ing->paths[i], w,
						      sizeof(w)),
				  kn_detail_ing_backend(&ing->paths[i], be,
							sizeof(be)),
				  kn_ing_status_name(c.status));
	}
}

static void
kn_ingress_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	((struct kn_ingress_priv *)p->priv)->n = 0;
	if (v->app->model == NULL) {
		kn_pane_note_no_model(p);
		return;
	}
	kn_ingress_rows(p, v);
}

const struct kn_pane_ops kn_pane_ingress_ops = {
	.id = KN_PANE_INGRESS,
	.title = "Ingress",
	.columns = kn_ingress_columns,
	.ncolumns = sizeof(kn_ingress_columns) / sizeof(kn_ingress_columns[0]),
	.sort_col = 0,
	.init = kn_ingress_init,
	.free = kn_ingress_free,
	.refresh = kn_ingress_refresh,
	.detail = kn_ingress_detail,
};
