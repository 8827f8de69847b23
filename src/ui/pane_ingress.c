/* Ingress pane: ingress rules traced to the services and pods that serve them. */
#include <stdio.h>
#include <stdlib.h>

#include "k8snet/model.h"
#include "k8snet/pane.h"

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
			rows++;
		}
	}
	free(objs);
	if (rows == 0)
		kn_pane_note_empty(p, v, "ingress rules");
}

static void
kn_ingress_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
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
	.refresh = kn_ingress_refresh,
};
