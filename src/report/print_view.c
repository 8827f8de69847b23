/* The --once printers of a pane's view: one JSON document, JSON lines,
 * or a kubectl-like table (-o wide adds the wide columns). They know the
 * column types, no pane. */
#include <stdlib.h>
#include <string.h>

#include "k8snet/buf.h"
#include "k8snet/escape.h"
#include "k8snet/model.h"
#include "k8snet/view.h"
#include "report_int.h"

#define KN_CELL_MAX 4096

static void json_value(struct rp *r, const struct kn_vctx *cx,
		       const struct kn_value *v);
static void json_inline(struct rp *r, const struct kn_vctx *cx,
			const struct kn_value *v, bool first);

/* The keys of one object: ,"key":value for every JSON column of cols. */
static void
json_fields(struct rp *r, const struct kn_vctx *cx, const struct kn_vcol *cols,
	    size_t ncols, const struct kn_vrow *row, bool first)
{
	struct kn_value v;
	char buf[KN_CELL_MAX];
	size_t c;

	for (c = 0; c < ncols; c++) {
		if (!(cols[c].flags & KN_VC_JSON))
			continue;
		kn_view_get(cx, &cols[c], row, &v, buf, KN_CELL_MAX);
		if ((cols[c].flags & KN_VC_OPT) && v.absent)
			continue;
		if (cols[c].flags & KN_VC_INLINE) {
			json_inline(r, cx, &v, first);
			first = false;
			continue;
		}
		jk(r, cols[c].key, first);
		first = false;
		json_value(r, cx, &v);
	}
}

static void
json_object(struct rp *r, const struct kn_vctx *cx, const struct kn_value *v,
	    size_t k)
{
	struct kn_vrow sub;

	v->sub_row(v->row, k, &sub);
	kn_buf_puts(&r->b, "{");
	json_fields(r, cx, v->sub, v->nsub, &sub, true);
	kn_buf_puts(&r->b, "}");
}

/* The keys of an inline object, in the enclosing one. */
static void
json_inline(struct rp *r, const struct kn_vctx *cx, const struct kn_value *v,
	    bool first)
{
	struct kn_vrow sub;

	v->sub_row(v->row, 0, &sub);
	json_fields(r, cx, v->sub, v->nsub, &sub, first);
}

static void
json_value(struct rp *r, const struct kn_vctx *cx, const struct kn_value *v)
{
	const char *item;
	size_t k, at = 0, len;
	char b[64];

	if (v->null) {
		kn_buf_puts(&r->b, "null");
		return;
	}
	switch (v->type) {
	case KN_VT_TEXT:
		jq(r, v->s);
		break;
	case KN_VT_UINT:
		kn_buf_printf(&r->b, "%llu", (unsigned long long)v->u);
		break;
	case KN_VT_BOOL:
		kn_buf_puts(&r->b, v->b ? "true" : "false");
		break;
	case KN_VT_IP:
		jip(r, &v->ip);
		break;
	case KN_VT_IPS:
	case KN_VT_STRS:
		kn_buf_puts(&r->b, "[");
		for (k = 0; k < v->n; k++) {
			if (k)
				kn_buf_puts(&r->b, ",");
			if (v->type == KN_VT_IPS) {
				jip(r, &v->ips[k]);
				continue;
			}
			item = kn_value_item(v, k, &at, &len);
			if (item == NULL)
				kn_buf_puts(&r->b, "null");
			else
				kn_json_quote(&r->b, item, len);
		}
		kn_buf_puts(&r->b, "]");
		break;
	case KN_VT_MS:
		if (v->ms < 0)
			kn_buf_puts(&r->b, "null");
		else
			kn_buf_printf(&r->b, "%.3f", v->ms);
		break;
	case KN_VT_TIME:
		kn_buf_printf(&r->b, "%llu.%06llu",
			      (unsigned long long)(v->u / 1000000),
			      (unsigned long long)(v->u % 1000000));
		break;
	case KN_VT_INT:
	case KN_VT_COUNT:
	case KN_VT_EPOCH:
		kn_value_text(v, b, sizeof(b));
		if (b[0] == '\0')
			kn_buf_puts(&r->b, "null");
		else if (v->type == KN_VT_COUNT)
			jq(r, b);
		else
			kn_buf_puts(&r->b, b);
		break;
	case KN_VT_MAP:
		kn_buf_puts(&r->b, "{");
		for (k = 0; k < v->n; k++) {
			if (k)
				kn_buf_puts(&r->b, ",");
			jq(r, v->strs[2 * k]);
			kn_buf_puts(&r->b, ":");
			jq(r, v->strs[2 * k + 1]);
		}
		kn_buf_puts(&r->b, "}");
		break;
	case KN_VT_OBJ:
		json_object(r, cx, v, 0);
		break;
	case KN_VT_OBJS:
		kn_buf_puts(&r->b, "[");
		for (k = 0; k < v->n; k++) {
			if (k)
				kn_buf_puts(&r->b, ",");
			json_object(r, cx, v, k);
		}
		kn_buf_puts(&r->b, "]");
		break;
	}
}

static void
print_json(struct rp *r, struct kn_view *view, const struct kn_vctx *cx)
{
	const struct kn_view_def *d = view->def;
	struct kn_vrow head = {0};
	size_t i;

	if (r->fmt == KN_OUT_JSON && d->head_aux != NULL)
		head.aux = d->head_aux(view, cx);
	rp_doc_begin(r, d->pane);
	if (r->fmt == KN_OUT_JSON && d->head != NULL)
		json_fields(r, cx, d->head, d->nhead, &head, false);
	rp_items_begin(r);
	for (i = 0; i < view->n; i++) {
		rp_item_begin(r);
		json_fields(r, cx, d->cols, d->ncols, &view->rows[i], true);
		rp_item_end(r);
	}
	rp_doc_end(r);
}

static void
print_lines(struct rp *r, const struct kn_strs *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		kn_escape_text(&r->b, t->v[i], strlen(t->v[i]), r->ascii);
		kn_buf_puts(&r->b, "\n");
	}
}

/* Whether column c is in this table. */
static bool
in_table(const struct rp *r, const struct kn_vcol *c)
{
	if (!(c->flags & KN_VC_TABLE))
		return false;
	if ((c->flags & KN_VC_WIDE) && !rp_wide(r))
		return false;
	return !(c->flags & KN_VC_NS) || r->ns == NULL;
}

void
report_view_table_head(struct rp *r, const struct kn_view_def *d)
{
	size_t n = d->order != NULL ? d->norder : d->ncols, k, ncols = 0;
	const struct kn_vcol *c;

	for (k = 0; k < n; k++)
		ncols += in_table(r, &d->cols[d->order ? d->order[k] : k]);
	tb_cols(r, ncols);
	for (k = 0; k < n; k++) {
		c = &d->cols[d->order ? d->order[k] : k];
		if (in_table(r, c))
			tb_cell(r, c->title);
	}
}

void
report_view_table_row(struct rp *r, const struct kn_view_def *d,
		      const struct kn_vctx *cx, const struct kn_vrow *row)
{
	size_t n = d->order != NULL ? d->norder : d->ncols, k;
	char buf[KN_CELL_MAX], text[KN_CELL_MAX];
	const struct kn_vcol *c;
	struct kn_value v;

	for (k = 0; k < n; k++) {
		c = &d->cols[d->order ? d->order[k] : k];
		if (!in_table(r, c))
			continue;
		kn_view_get(cx, c, row, &v, buf, sizeof(buf));
		tb_cell(r, kn_value_text(&v, text, sizeof(text)));
	}
}

static void
print_table(struct rp *r, const struct kn_view *view, const struct kn_vctx *cx)
{
	const struct kn_view_def *d = view->def;
	struct kn_strs before = {0}, after = {0};
	struct kn_value v;
	size_t n = d->order != NULL ? d->norder : d->ncols, i, k;
	size_t nplanned = 0;
	const char *cell;
	bool planned;
	char *buf = malloc(KN_CELL_MAX), *text = malloc(KN_CELL_MAX);
	const struct kn_vcol *c;

	if (buf == NULL || text == NULL)
		abort();
	if (d->text != NULL)
		d->text(cx, &before, &after);
	print_lines(r, &before);
	report_view_table_head(r, d);
	for (i = 0; i < view->n; i++) {
		planned = kn_view_row_planned(view, cx, i);
		nplanned += planned;
		for (k = 0; k < n; k++) {
			c = &d->cols[d->order ? d->order[k] : k];
			if (!in_table(r, c))
				continue;
			kn_view_get(cx, c, &view->rows[i], &v, buf,
				    KN_CELL_MAX);
			cell = kn_value_text(&v, text, KN_CELL_MAX);
			if (planned && c->key != NULL &&
			    strcmp(c->key, "name") == 0)
				tb_cellf(r, "%s%s", KN_VIEW_PLANNED_MARK, cell);
			else
				tb_cell(r, cell);
		}
	}
	tb_print(r);
	if (nplanned > 0)
		kn_strs_addf(&after,
			     "%s: planned from --filename, not in the "
			     "cluster (%zu of %zu rows).",
			     KN_VIEW_PLANNED_MARK, nplanned, view->n);
	print_lines(r, &after);
	kn_strs_clear(&before);
	kn_strs_clear(&after);
	free(buf);
	free(text);
}

void
report_view_line(struct rp *r, const struct kn_view_def *def,
		 const struct kn_vctx *cx, const struct kn_vrow *row)
{
	rp_item_begin(r);
	json_fields(r, cx, def->cols, def->ncols, row, true);
	rp_item_end(r);
}

void
report_view(struct rp *r, const struct kn_view_def *def,
	    const struct kn_vctx *cx)
{
	struct kn_view view;

	if (def->prepare != NULL)
		def->prepare(cx);
	kn_view_init(&view, def);
	kn_view_build(&view, cx);
	if (rp_json(r))
		print_json(r, &view, cx);
	else
		print_table(r, &view, cx);
	kn_view_release(&view);
}
