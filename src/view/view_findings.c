/* The findings of --check: what the planned network would break, one row
 * per finding, at the file and line of the object that causes it. The
 * rows come from cx->findings (kn_plan_check); the head counts what was
 * read and planned (cx->plan). */
#include <stdio.h>
#include <string.h>

#include "k8snet/model.h"
#include "k8snet/plan.h"
#include "k8snet/view.h"

#define F(r) ((const struct kn_finding *)(r)->obj)

static void
g_check(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = F(r)->check;
}

static void
g_kind(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = F(r)->kind;
}

static void
g_ns(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = *F(r)->ns ? F(r)->ns : NULL;
}

static void
g_name(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = F(r)->name;
}

static void
g_file(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = F(r)->file;
}

static void
g_line(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->u = F(r)->line;
	v->null = F(r)->file == NULL;
}

static void
g_message(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = F(r)->message;
}

static void
g_location(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	if (F(r)->file == NULL) {
		v->s = "-";
		return;
	}
	snprintf(v->buf, v->cap, "%s:%u", F(r)->file, F(r)->line);
	v->s = v->buf;
}

static void
g_object(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	snprintf(v->buf, v->cap, "%s %s%s%s", F(r)->kind, F(r)->ns,
		 *F(r)->ns ? "/" : "", F(r)->name);
	v->s = v->buf;
}

static const struct kn_vcol cols[] = {
	{"CHECK", NULL, "check", KN_VT_TEXT, KN_VC_ALL | KN_VC_ID, 12, 32, 1,
	 false, g_check},
	{NULL, NULL, "kind", KN_VT_TEXT, KN_VC_JSON, 0, 0, 0, false, g_kind},
	{NULL, NULL, "namespace", KN_VT_TEXT, KN_VC_JSON, 0, 0, 0, false, g_ns},
	{NULL, NULL, "name", KN_VT_TEXT, KN_VC_JSON, 0, 0, 0, false, g_name},
	{NULL, NULL, "file", KN_VT_TEXT, KN_VC_JSON, 0, 0, 0, false, g_file},
	{NULL, NULL, "line", KN_VT_UINT, KN_VC_JSON, 0, 0, 0, false, g_line},
	{"MESSAGE", NULL, "message", KN_VT_TEXT, KN_VC_ALL, 10, 0, 4, false,
	 g_message},
	{"LOCATION", NULL, NULL, KN_VT_TEXT,
	 KN_VC_TABLE | KN_VC_CONSOLE | KN_VC_ID, 8, 40, 1, false, g_location},
	{"OBJECT", NULL, NULL, KN_VT_TEXT, KN_VC_TABLE | KN_VC_CONSOLE, 8, 48,
	 1, false, g_object},
};

/* Compilers' order: where, what, which object, why. */
static const uint8_t order[] = {7, 0, 8, 6};

static void
build(struct kn_view *v, const struct kn_vctx *cx)
{
	size_t i;

	if (cx->findings == NULL)
		return;
	for (i = 0; i < cx->findings->n; i++)
		kn_view_add(v, &cx->findings->v[i], 0, 0, KN_VTONE_ERROR);
}

/* ---- the head: what was read and planned ---- */

#define ST(r) ((const struct kn_plan_stats *)(r)->aux)

static const void *
head_aux(struct kn_view *v, const struct kn_vctx *cx)
{
	struct kn_plan_stats *st = kn_view_alloc(v, sizeof(*st));

	if (cx->plan != NULL)
		kn_plan_stats(cx->plan, st);
	return st;
}

#define STAT_GETTER(fn, field)                                                 \
	static void fn(const struct kn_vctx *cx, const struct kn_vrow *r,      \
		       struct kn_value *v)                                     \
	{                                                                      \
		v->u = ST(r)->field;                                           \
	}
STAT_GETTER(g_files, files)
STAT_GETTER(g_objects, objects)
STAT_GETTER(g_pods, pods)
STAT_GETTER(g_services, services)
STAT_GETTER(g_slices, slices)
STAT_GETTER(g_nodes, nodes)
STAT_GETTER(g_replaced, replaced)

static const struct kn_vcol planned_cols[] = {
	{NULL, NULL, "pods", KN_VT_UINT, KN_VC_JSON, 0, 0, 0, false, g_pods},
	{NULL, NULL, "services", KN_VT_UINT, KN_VC_JSON, 0, 0, 0, false,
	 g_services},
	{NULL, NULL, "endpointSlices", KN_VT_UINT, KN_VC_JSON, 0, 0, 0, false,
	 g_slices},
	{NULL, NULL, "nodes", KN_VT_UINT, KN_VC_JSON, 0, 0, 0, false, g_nodes},
	{NULL, NULL, "replacedPods", KN_VT_UINT, KN_VC_JSON, 0, 0, 0, false,
	 g_replaced},
};

static void
g_planned(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->sub = planned_cols;
	v->nsub = sizeof(planned_cols) / sizeof(planned_cols[0]);
	v->sub_row = kn_vrow_same;
}

static const struct kn_vcol head[] = {
	{NULL, NULL, "files", KN_VT_UINT, KN_VC_JSON, 0, 0, 0, false, g_files},
	{NULL, NULL, "objects", KN_VT_UINT, KN_VC_JSON, 0, 0, 0, false,
	 g_objects},
	{NULL, NULL, "planned", KN_VT_OBJ, KN_VC_JSON, 0, 0, 0, false,
	 g_planned},
};

static void
text(const struct kn_vctx *cx, struct kn_strs *before, struct kn_strs *after)
{
	struct kn_plan_stats st;
	size_t n = cx->findings != NULL ? cx->findings->n : 0;
	char line[160];

	memset(&st, 0, sizeof(st));
	if (cx->plan != NULL)
		kn_plan_stats(cx->plan, &st);
	if (cx->plan == NULL)
		kn_strs_addf(after, "%zu finding%s in the cluster as loaded.",
			     n, n == 1 ? "" : "s");
	else
		kn_strs_addf(after, "%zu finding%s in %s.", n,
			     n == 1 ? "" : "s",
			     kn_plan_summary(&st, line, sizeof(line)));
}

const struct kn_view_def kn_view_findings = {
	.pane = "findings",
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.order = order,
	.norder = sizeof(order),
	.empty = "findings",
	.build = build,
	.head = head,
	.nhead = sizeof(head) / sizeof(head[0]),
	.head_aux = head_aux,
	.text = text,
};
