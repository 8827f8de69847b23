/* Pods pane: every pod with its readiness, restarts, IP and node. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/model.h"
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

static enum kn_role
kn_pod_role(const struct kn_pod *pod)
{
	if (pod->phase == KN_PHASE_FAILED ||
	    (pod->status != NULL && (strstr(pod->status, "BackOff") != NULL ||
				     strstr(pod->status, "Err") != NULL)))
		return KN_ROLE_ERROR;
	if (pod->phase == KN_PHASE_SUCCEEDED)
		return KN_ROLE_DIMMED;
	if (!pod->ready)
		return KN_ROLE_WARNING;
	return KN_ROLE_NORMAL;
}

/* One row per pod in v->ns (every namespace when NULL). */
static void
kn_pods_rows(struct kn_pane *p, const struct kn_pane_view *v)
{
	char ready[16], restarts[16], ip[KN_IPSTR];
	const char *cells[7];
	struct kn_obj **objs;
	size_t n, i;

	n = kn_model_list(v->app->model, KN_POD, v->ns, &objs);
	for (i = 0; i < n; i++) {
		const struct kn_pod *pod = (const struct kn_pod *)objs[i];

		snprintf(ready, sizeof(ready), "%u/%u", pod->ready_containers,
			 pod->containers);
		snprintf(restarts, sizeof(restarts), "%u", pod->restarts);
		cells[0] = pod->o.ns;
		cells[1] = pod->o.name;
		cells[2] = ready;
		cells[3] = pod->status != NULL ? pod->status :
			   kn_phase_name(pod->phase);
		cells[4] = restarts;
		cells[5] = pod->nips ? kn_ipaddr_format(&pod->ips[0], ip,
							sizeof(ip)) : "";
		cells[6] = pod->node != NULL ? pod->node : "";
		kn_rowstore_add(p->rows, cells, kn_pod_role(pod));
	}
	free(objs);
	if (n == 0)
		kn_pane_note_empty(p, v, "pods");
}

static void
kn_pods_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	if (v->app->model == NULL) {
		kn_pane_note_no_model(p);
		return;
	}
	kn_pods_rows(p, v);
}

const struct kn_pane_ops kn_pane_pods_ops = {
	.id = KN_PANE_PODS,
	.title = "Pods",
	.columns = kn_pods_columns,
	.ncolumns = sizeof(kn_pods_columns) / sizeof(kn_pods_columns[0]),
	.sort_col = 0,
	.refresh = kn_pods_refresh,
};
