/* Services pane: services, their addresses, ports, endpoints and cluster DNS name. */
#include <stddef.h>

#include "k8snet/pane.h"

/* Column order is the cell order of each row handed to p->rows. */
static const struct kn_column kn_services_columns[] = {
	{ "NAMESPACE", 9, 24, KN_ALIGN_LEFT, 1, false, true },
	{ "NAME", 10, 0, KN_ALIGN_LEFT, 2, false, true },
	{ "TYPE", 9, 12, KN_ALIGN_LEFT, 0, false, false },
	{ "CLUSTER-IP", 10, 39, KN_ALIGN_LEFT, 0, false, false },
	{ "EXTERNAL", 8, 39, KN_ALIGN_LEFT, 0, false, false },
	{ "PORTS", 8, 0, KN_ALIGN_LEFT, 1, false, false },
	{ "ENDPOINTS", 9, 12, KN_ALIGN_RIGHT, 0, true, false },
	{ "DNS NAME", 10, 0, KN_ALIGN_LEFT, 3, false, false },
};

static void
kn_services_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	if (v->app->model == NULL) {
		kn_pane_note_no_model(p);
		return;
	}
	/* For each service in v->ns: cells { namespace, name, type, clusterIP,
	 * external addresses, "80/TCP,443/TCP", "ready/total", DNS name },
	 * KN_ROLE_WARNING when it has no ready endpoints. */
	kn_pane_note_no_model(p);
}

const struct kn_pane_ops kn_pane_services_ops = {
	.id = KN_PANE_SERVICES,
	.title = "Services",
	.columns = kn_services_columns,
	.ncolumns = sizeof(kn_services_columns) / sizeof(kn_services_columns[0]),
	.sort_col = 0,
	.refresh = kn_services_refresh,
};
