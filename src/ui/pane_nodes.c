/* Nodes pane: nodes, their addresses, pod CIDRs and readiness. */
#include <stddef.h>

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

static void
kn_nodes_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	if (v->app->model == NULL) {
		kn_pane_note_no_model(p);
		return;
	}
	/* For each node: cells { name, roles, internalIP, "True"/"False",
	 * podCIDR, pod count }, KN_ROLE_WARNING when not ready. Nodes are
	 * not namespaced: v->ns narrows the PODS count only. */
	kn_pane_note_no_model(p);
}

const struct kn_pane_ops kn_pane_nodes_ops = {
	.id = KN_PANE_NODES,
	.title = "Nodes",
	.columns = kn_nodes_columns,
	.ncolumns = sizeof(kn_nodes_columns) / sizeof(kn_nodes_columns[0]),
	.sort_col = 0,
	.refresh = kn_nodes_refresh,
};
