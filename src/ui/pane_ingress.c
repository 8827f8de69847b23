/* Ingress pane: ingress rules traced to the services and pods that serve them. */
#include <stddef.h>

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

static void
kn_ingress_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	if (v->app->model == NULL) {
		kn_pane_note_no_model(p);
		return;
	}
	/* One row per ingress rule path in v->ns: cells { namespace, name, class,
	 * host, path, pathType, "svc:port", "ready/total", "yes"/"no",
	 * addresses, status }, KN_ROLE_ERROR unless the status is ok. */
	kn_pane_note_no_model(p);
}

const struct kn_pane_ops kn_pane_ingress_ops = {
	.id = KN_PANE_INGRESS,
	.title = "Ingress",
	.columns = kn_ingress_columns,
	.ncolumns = sizeof(kn_ingress_columns) / sizeof(kn_ingress_columns[0]),
	.sort_col = 0,
	.refresh = kn_ingress_refresh,
};
