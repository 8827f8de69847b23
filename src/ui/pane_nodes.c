/* Nodes pane: nodes, their addresses, pod CIDRs and readiness. */
#include <stdio.h>
#include <stdlib.h>

#include "k8snet/model.h"
#include "k8snet/pane.h"

/* Column order is the cell order of each row handed to p->rows. */
static const struct kn_column kn_nodes_columns[] = {
	{ "NAME", 10, 0, KN_ALIGN_LEFT, 3, false, true },
	{ "ROLES", 6, 24, KN_ALIGN_LEFT, 1, false, false },
	{ "INTERNAL-IP", 11, 39, KN_ALIGN_LEFT, 0, false, false },
	{ "READY", 5, 7, KN_ALIGN_LEFT, 0, false, false },
	{ "POD-CIDR", 9, 43, KN_ALIGN_LEFT, 0, false, false },
	{ "PODS", 4, 6, KN_ALIGN_RIGHT, 0, true, false },
};

/* One row per node; nodes are cluster-wide, so v->ns does not apply. */
static void
kn_nodes_rows(struct kn_pane *p, const struct kn_pane_view *v)
{
	char roles[256], ip[KN_IPSTR], pods[16];
	const char *cells[6];
	struct kn_obj **objs;
	size_t n, i, k, o;
	int w;

	n = kn_model_list(v->app->model, KN_NODE, NULL, &objs);
	for (i = 0; i < n; i++) {
		const struct kn_node *nd = (const struct kn_node *)objs[i];

		roles[0] = '\0';
		for (k = 0, o = 0; k < nd->nroles; k++) {
			w = snprintf(roles + o, sizeof(roles) - o, "%s%s",
				     k ? "," : "", nd->roles[k]);
			if (w < 0 || (size_t)w >= sizeof(roles) - o)
				break;
			o += (size_t)w;
		}
		snprintf(pods, sizeof(pods), "%u",
			 kn_model_node_pods(v->app->model, nd->o.name));
		cells[0] = nd->o.name;
		cells[1] = nd->nroles ? roles : "<none>";
		cells[2] = nd->internal_ip.family ?
			   kn_ipaddr_format(&nd->internal_ip, ip, sizeof(ip)) :
			   "";
		cells[3] = nd->ready ? "True" : "False";
		cells[4] = nd->pod_cidr != NULL ? nd->pod_cidr : "";
		cells[5] = pods;
		kn_rowstore_add(p->rows, cells, nd->ready ? KN_ROLE_NORMAL :
				KN_ROLE_WARNING);
	}
	free(objs);
	if (n == 0)
		snprintf(p->note, sizeof(p->note), "no nodes");
}

static void
kn_nodes_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	if (v->app->model == NULL) {
		kn_pane_note_no_model(p);
		return;
	}
	kn_nodes_rows(p, v);
}

const struct kn_pane_ops kn_pane_nodes_ops = {
	.id = KN_PANE_NODES,
	.title = "Nodes",
	.columns = kn_nodes_columns,
	.ncolumns = sizeof(kn_nodes_columns) / sizeof(kn_nodes_columns[0]),
	.sort_col = 0,
	.refresh = kn_nodes_refresh,
};
