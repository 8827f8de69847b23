/* Pods pane: every pod with its readiness, restarts, IP and node. */
#include <stddef.h>

#include "k8snet/pane.h"

/* Column order is the cell order of each row handed to p->rows. */
static const struct kn_column kn_pods_columns[] = {
	{ "NAMESPACE", 9, 24, KN_ALIGN_LEFT, 1, false, true },
	{ "NAME", 12, 0, KN_ALIGN_LEFT, 3, false, true },
	{ "READY", 5, 7, KN_ALIGN_RIGHT, 0, true, false },
	{ "STATUS", 7, 18, KN_ALIGN_LEFT, 0, false, false },
	{ "RESTARTS", 8, 10, KN_ALIGN_RIGHT, 0, true, false },
	{ "IP", 9, 39, KN_ALIGN_LEFT, 1, false, false },
	{ "NODE", 6, 0, KN_ALIGN_LEFT, 1, false, false },
};

static void
kn_pods_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	if (v->app->model == NULL) {
		kn_pane_note_no_model(p);
		return;
	}
	/* For each pod of the model in v->ns (every namespace when NULL):
	 * const char *cells[] = { namespace, name, "1/2", phase, restarts,
	 * podIP, node }; kn_rowstore_add(p->rows, cells, role) with
	 * KN_ROLE_WARNING when not ready, KN_ROLE_ERROR when failed. */
	kn_pane_note_no_model(p);
}

const struct kn_pane_ops kn_pane_pods_ops = {
	.id = KN_PANE_PODS,
	.title = "Pods",
	.columns = kn_pods_columns,
	.ncolumns = sizeof(kn_pods_columns) / sizeof(kn_pods_columns[0]),
	.sort_col = 0,
	.refresh = kn_pods_refresh,
};
