/* DNS pane: every name the cluster DNS serves, with its records. */
#include <stddef.h>

#include "k8snet/model.h"
#include "k8snet/pane.h"

/* Column order is the cell order of each row handed to p->rows. */
static const struct kn_column kn_dns_columns[] = {
	{ "NAME", 16, 0, KN_ALIGN_LEFT, 4, false, true },
	{ "TYPE", 5, 6, KN_ALIGN_LEFT, 0, false, true },
	{ "VALUE", 10, 0, KN_ALIGN_LEFT, 2, false, true },
	{ "SOURCE", 8, 0, KN_ALIGN_LEFT, 1, false, false },
};

/* Every record the cluster DNS serves for v->ns: services (A/AAAA, SRV,
 * CNAME, PTR, headless endpoints), then pods. */
static void
kn_dns_rows(struct kn_pane *p, const struct kn_pane_view *v)
{
	struct kn_dnsrecs recs = { 0 };
	const char *cells[4];
	size_t i;

	kn_model_dns_all(v->app->model, v->ns, &recs);
	for (i = 0; i < recs.n; i++) {
		cells[0] = recs.v[i].name;
		cells[1] = kn_rr_name(recs.v[i].type);
		cells[2] = recs.v[i].value;
		cells[3] = recs.v[i].source;
		kn_rowstore_add(p->rows, cells, recs.v[i].type == KN_RR_PTR ?
				KN_ROLE_DIMMED : KN_ROLE_NORMAL);
	}
	if (recs.n == 0)
		kn_pane_note_empty(p, v, "DNS records");
	kn_dnsrecs_clear(&recs);
}

static void
kn_dns_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	if (v->app->model == NULL) {
		kn_pane_note_no_model(p);
		return;
	}
	kn_dns_rows(p, v);
}

const struct kn_pane_ops kn_pane_dns_ops = {
	.id = KN_PANE_DNS,
	.title = "DNS",
	.columns = kn_dns_columns,
	.ncolumns = sizeof(kn_dns_columns) / sizeof(kn_dns_columns[0]),
	.sort_col = 0,
	.refresh = kn_dns_refresh,
};
