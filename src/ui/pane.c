/* Pane plumbing shared by every pane: lifecycle, rows -> table, details. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/ipaddr.h"
#include "k8snet/live.h"
#include "k8snet/loop.h"
#include "agents_feed.h"
#include "pane.h"

void
kn_lines_init(struct kn_lines *l)
{
	memset(l, 0, sizeof(*l));
}

void
kn_lines_clear(struct kn_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

void
kn_lines_release(struct kn_lines *l)
{
	kn_lines_clear(l);
	free(l->v);
	free(l->roles);
	kn_lines_init(l);
}

static void kn_lines_vadd(struct kn_lines *l, unsigned char role,
			  const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void
kn_lines_vadd(struct kn_lines *l, unsigned char role, const char *fmt,
	      va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = kn_xreallocarray(l->v, l->cap, sizeof(*l->v));
		l->roles =
			kn_xreallocarray(l->roles, l->cap, sizeof(*l->roles));
	}
	l->roles[l->n] = role;
	l->v[l->n++] = kn_xstrdup(buf);
}

void
kn_lines_add(struct kn_lines *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kn_lines_vadd(l, 0, fmt, ap);
	va_end(ap);
}

void
kn_lines_add_role(struct kn_lines *l, enum kn_role role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kn_lines_vadd(l, (unsigned char)(role + 1), fmt, ap);
	va_end(ap);
}

const struct kn_pane_ops *
kn_pane_ops_of(enum kn_pane_id id)
{
	static const struct kn_pane_ops *const all[KN_PANE__COUNT] = {
		&kn_pane_pods_ops,     &kn_pane_services_ops,
		&kn_pane_dns_ops,      &kn_pane_ingress_ops,
		&kn_pane_nodes_ops,    &kn_pane_traffic_ops,
		&kn_pane_policies_ops, &kn_pane_routes_ops,
	};

	if ((int)id < 0 || id >= KN_PANE__COUNT)
		return NULL;
	return all[id];
}

struct kn_pane *
kn_pane_new(const struct kn_pane_ops *ops, struct kn_app *app, bool ascii)
{
	struct kn_pane *p = kn_xcalloc(1, sizeof(*p));

	p->ops = ops;
	p->app = app;
	p->ascii = ascii;
	if (ops->view != NULL) {
		p->vt = kn_vtable_new(ops->view);
		p->vt->cx.ascii = ascii;
		p->table = kn_table_new(p->vt->cols, p->vt->ncols);
		kn_vtable_cuts(p->vt, p->table);
	} else {
		p->table = kn_table_new(ops->columns, ops->ncolumns);
	}
	p->rows = kn_rowstore_new(ops->ncolumns);
	if (ops->sort_col >= 0)
		kn_table_sort(p->table, ops->sort_col, false);
	if (ops->init != NULL)
		ops->init(p);
	return p;
}

void
kn_pane_free(struct kn_pane *p)
{
	if (p == NULL)
		return;
	if (p->ops->free != NULL)
		p->ops->free(p);
	kn_table_free(p->table);
	kn_rowstore_free(p->rows);
	if (p->ops->view != NULL)
		kn_vtable_free(p->vt);
	free(p);
}

/* Rebuild the view's rows from the model, then let the pane add its
 * own (the DNS pane's names seen on the wire). */
static void
kn_pane_view_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	struct kn_vtable *vt = p->vt;

	vt->cx.model = v->app->model;
	vt->cx.nodeview = v->app->nodeview;
	vt->cx.agents = kn_agents_feed_merge(v->app->agents);
	vt->cx.capture = v->app->capture;
	vt->cx.ns = v->ns;
	kn_view_clear(&vt->view);
	/* Rows point at model objects: the model keeps what it takes out
	 * until the screen says no pane points at it (kn_model_collect). */
	if (v->app->model != NULL)
		kn_model_defer_frees(v->app->model, true);
	if (v->app->model == NULL) {
		kn_pane_note_no_model(p);
		return;
	}
	kn_view_build(&vt->view, &vt->cx);
	if (vt->view.n == 0)
		kn_pane_note_empty(p, v, vt->view.def->empty);
	if (p->ops->refresh != NULL)
		p->ops->refresh(p, v);
}

/* A sum of change counters that moves when any counter in deps does. */
static uint64_t
kn_pane_stamp(const struct kn_pane *p, const struct kn_model *m)
{
	return m != NULL ? kn_model_kinds_version(m, p->ops->deps) : 0;
}

bool
kn_pane_model_changed(const struct kn_pane *p)
{
	const struct kn_model *m = p->app->model;

	return p->ops->deps == 0 || m != p->seen_model ||
	       kn_pane_stamp(p, m) != p->seen_stamp;
}

/* The version of what a pane's rows may point at: its kinds, or with
 * no deps every kind. */
static uint64_t
kn_pane_rows_version(const struct kn_pane *p, const struct kn_model *m)
{
	if (m == NULL)
		return 0;
	return p->ops->deps ? kn_model_kinds_version(m, p->ops->deps)
			    : kn_model_version(m);
}

bool
kn_pane_rows_stale(const struct kn_pane *p)
{
	const struct kn_model *m = p->app->model;

	return p->ops->view != NULL &&
	       (m != p->seen_model ||
		kn_pane_rows_version(p, m) != p->rows_version);
}

void
kn_pane_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	struct kn_table_source src;
	uint64_t t0 = kn_cpu_us();

	p->seen_model = v->app->model;
	p->seen_stamp = kn_pane_stamp(p, v->app->model);
	p->rows_version = kn_pane_rows_version(p, v->app->model);
	kn_rowstore_clear(p->rows);
	p->note[0] = '\0';
	p->appended = false;
	if (p->ops->view != NULL)
		kn_pane_view_refresh(p, v);
	else
		p->ops->refresh(p, v);
	if (p->vt != NULL)
		kn_vtable_source(p->vt, &src);
	else
		kn_rowstore_source(p->rows, &src);
	if (p->appended && p->vt != NULL)
		kn_table_update(p->table, &src, p->dropped);
	else
		kn_table_set_source(p->table, &src);
	kn_pane_table_changed(p, KN_ACT_NONE);
	p->refresh_cpu_us = kn_cpu_us() - t0;
}

void
kn_pane_forget(struct kn_pane *p)
{
	if (p->ops->view != NULL && p->vt != NULL)
		kn_view_clear(&p->vt->view);
}

void
kn_pane_table_changed(struct kn_pane *p, int action)
{
	if (p->ops->table_changed != NULL)
		p->ops->table_changed(p, action);
}

void
kn_pane_detail(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	if (p->ops->detail != NULL)
		p->ops->detail(p, row, out);
	else
		kn_pane_detail_cells(p, row, out);
}

void
kn_pane_detail_cells(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	char tmp[128];
	const struct kn_column *cols;
	int ncols, i;

	cols = kn_table_columns(p->table, &ncols);
	kn_lines_add(out, "%s", p->ops->title);
	for (i = 0; i < ncols; i++)
		kn_lines_add(out, "  %-12s %s", cols[i].title,
			     kn_table_cell(p->table, row, i, tmp, sizeof(tmp)));
}

void
kn_pane_note_no_model(struct kn_pane *p)
{
	if (p->app->opts.demo)
		snprintf(p->note, sizeof(p->note),
			 "no cluster data: the demo "
			 "cluster arrives with the cluster model");
	else
		snprintf(p->note, sizeof(p->note),
			 "no cluster data: nothing "
			 "loaded yet (see --kubeconfig, --context, "
			 "--snapshot, --demo)");
}

void
kn_pane_note_empty(struct kn_pane *p, const struct kn_pane_view *v,
		   const char *what)
{
	struct kn_kube_status st;

	kn_kube_live_status(v->app, &st);
	if (v->app->kube != NULL && !st.ever_synced)
		snprintf(p->note, sizeof(p->note),
			 "no %s yet: waiting for the Kube-API", what);
	else if (v->ns != NULL)
		snprintf(p->note, sizeof(p->note),
			 "no %s in namespace %s "
			 "(:ns all shows every namespace)",
			 what, v->ns);
	else
		snprintf(p->note, sizeof(p->note), "no %s", what);
}

const char *
kn_pane_join_ips(const struct kn_ipaddr *ips, size_t n, char *out, size_t cap)
{
	char b[KN_IPSTR];
	size_t i, o = 0;
	int w;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(out + o, cap - o, "%s%s", i ? "," : "",
			     kn_ipaddr_format(&ips[i], b, sizeof(b)));
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
	return out;
}
