/* A table over a view: the console's columns of the view, cells
 * formatted from typed values, typed sort keys, row roles from tones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "pane.h"

#define KN_VCELL 1024

static const uint8_t *
console_order(const struct kn_view_def *d, size_t *n)
{
	if (d->corder != NULL) {
		*n = d->ncorder;
		return d->corder;
	}
	*n = d->order != NULL ? d->norder : d->ncols;
	return d->order;
}

/* How the console cuts a column of the view: addresses, numbers and
 * counts never, text as the column's flags say. */
static enum kn_cut
kn_vcol_cut(const struct kn_vcol *c)
{
	switch (c->type) {
	case KN_VT_TEXT:
	case KN_VT_STRS:
	case KN_VT_MAP:
	case KN_VT_OBJ:
	case KN_VT_OBJS:
		return (c->flags & KN_VC_WHOLE)	   ? KN_CUT_NEVER
		       : (c->flags & KN_VC_MIDDLE) ? KN_CUT_MIDDLE
						   : KN_CUT_END;
	default:
		return KN_CUT_NEVER;
	}
}

void
kn_vtable_hide_empty(const struct kn_vtable *vt, struct kn_table *t)
{
	int i;

	for (i = 0; i < vt->ncols; i++)
		if (vt->view.def->cols[vt->map[i]].flags & KN_VC_HIDE_EMPTY)
			kn_table_hide_empty(t, i);
}

void
kn_vtable_cuts(const struct kn_vtable *vt, struct kn_table *t)
{
	int i;

	for (i = 0; i < vt->ncols; i++)
		kn_table_set_cut(t, i,
				 kn_vcol_cut(&vt->view.def->cols[vt->map[i]]));
	kn_vtable_hide_empty(vt, t);
}

struct kn_vtable *
kn_vtable_new(const struct kn_view_def *d)
{
	struct kn_vtable *vt = kn_xcalloc(1, sizeof(*vt));
	const uint8_t *order;
	const struct kn_vcol *c;
	size_t n, k, nc = 0;

	kn_view_init(&vt->view, d);
	order = console_order(d, &n);
	vt->cols = kn_xcalloc(n, sizeof(*vt->cols));
	vt->map = kn_xcalloc(n, sizeof(*vt->map));
	for (k = 0; k < n; k++) {
		c = &d->cols[order != NULL ? order[k] : k];
		if (!(c->flags & KN_VC_CONSOLE))
			continue;
		vt->map[nc] = (uint8_t)(c - d->cols);
		vt->cols[nc].title = c->ctitle != NULL ? c->ctitle : c->title;
		vt->cols[nc].min_width = c->min;
		vt->cols[nc].max_width = c->max;
		vt->cols[nc].align = c->right ? KN_ALIGN_RIGHT : KN_ALIGN_LEFT;
		vt->cols[nc].weight = c->weight;
		vt->cols[nc].key = (c->flags & KN_VC_ID) != 0;
		nc++;
	}
	vt->ncols = (int)nc;
	return vt;
}

void
kn_vtable_free(struct kn_vtable *vt)
{
	if (vt == NULL)
		return;
	kn_view_release(&vt->view);
	free(vt->cols);
	free(vt->map);
	free(vt);
}

static const char *
vcell(void *arg, size_t row, int col, char *tmp, size_t tmpsz)
{
	struct kn_vtable *vt = arg;
	/* The table copies or folds the text before its next call. */
	static char buf[KN_VCELL];
	const char *key = vt->view.def->cols[vt->map[col]].key, *s;

	s = kn_view_cell(&vt->view, &vt->cx, row, vt->map[col], buf,
			 sizeof(buf));
	/* What manifests plan, not the cluster: marked on its name. */
	if (key != NULL && strcmp(key, "name") == 0 &&
	    kn_view_row_planned(&vt->view, &vt->cx, row)) {
		snprintf(tmp, tmpsz, "%s%s", KN_VIEW_PLANNED_MARK, s);
		return tmp;
	}
	return s;
}

enum kn_role
kn_pane_tone_role(enum kn_vtone tone)
{
	switch (tone) {
	case KN_VTONE_WARN:
		return KN_ROLE_WARNING;
	case KN_VTONE_ERROR:
		return KN_ROLE_ERROR;
	case KN_VTONE_DIM:
		return KN_ROLE_DIMMED;
	case KN_VTONE_OK:
		return KN_ROLE_OK;
	default:
		return KN_ROLE_NORMAL;
	}
}

static enum kn_role
vrole(void *arg, size_t row)
{
	struct kn_vtable *vt = arg;

	return row < vt->view.n
		       ? kn_pane_tone_role(
				 (enum kn_vtone)vt->view.rows[row].tone)
		       : KN_ROLE_NORMAL;
}

static uint64_t
vrow_id(void *arg, size_t row)
{
	struct kn_vtable *vt = arg;

	return vt->view.def->row_id(&vt->view.rows[row]);
}

static int
vsort_levels(void *arg, int col)
{
	struct kn_vtable *vt = arg;

	switch (vt->view.def->cols[vt->map[col]].type) {
	case KN_VT_UINT:
	case KN_VT_INT:
	case KN_VT_BOOL:
	case KN_VT_MS:
	case KN_VT_EPOCH:
	case KN_VT_TIME:
		return 1;
	case KN_VT_COUNT:
		return 2;
	case KN_VT_IP:
	case KN_VT_IPS:
		return 3;
	default:
		return 0;
	}
}

/* A row whose value is not of the column's type (text such as "-" or
 * "None", or a row of text) sorts after every typed value. */
static uint64_t
vsort_key(void *arg, size_t row, int col, int level)
{
	struct kn_vtable *vt = arg;
	const struct kn_vcol *c = &vt->view.def->cols[vt->map[col]];
	const struct kn_vrow *r = &vt->view.rows[row];
	char buf[KN_VCELL];
	struct kn_value v;
	uint64_t k;

	if (r->text != NULL)
		return UINT64_MAX;
	kn_view_get(&vt->cx, c, r, &v, buf, sizeof(buf));
	if (v.null || v.type != c->type ||
	    !kn_value_sort_key(&v, (unsigned)level, &k))
		return UINT64_MAX;
	return k;
}

void
kn_vtable_source(struct kn_vtable *vt, struct kn_table_source *src)
{
	memset(src, 0, sizeof(*src));
	src->nrows = vt->view.n;
	src->arg = vt;
	src->cell = vcell;
	src->role = vrole;
	if (vt->view.def->row_id != NULL)
		src->row_id = vrow_id;
	src->sort_levels = vsort_levels;
	src->sort_key = vsort_key;
}

const struct kn_vrow *
kn_pane_vrow(const struct kn_pane *p, size_t row)
{
	if (p->vt == NULL || row >= p->vt->view.n)
		return NULL;
	return &p->vt->view.rows[row];
}

static bool
kn_name_is(const char *name, const char *s, size_t len)
{
	return name != NULL && strlen(name) == len &&
	       strncmp(name, s, len) == 0;
}

/* The value of the column with JSON key (or title) `key` of row r; "obj.key"
 * reads key inside the object obj (a nested KN_VT_OBJ). */
static bool
kn_vget_path(const struct kn_vctx *cx, const struct kn_vcol *cols, size_t ncols,
	     const struct kn_vrow *r, const char *key, struct kn_value *v,
	     char *tmp, size_t cap)
{
	const char *dot = strchr(key, '.');
	size_t len = dot != NULL ? (size_t)(dot - key) : strlen(key), i;
	struct kn_vrow sub;

	for (i = 0; i < ncols; i++)
		if (kn_name_is(cols[i].key, key, len) ||
		    kn_name_is(cols[i].title, key, len))
			break;
	if (i == ncols)
		return false;
	kn_view_get(cx, &cols[i], r, v, tmp, cap);
	if (dot == NULL)
		return true;
	if (v->null || v->type != KN_VT_OBJ || v->sub_row == NULL)
		return false;
	v->sub_row(r, 0, &sub);
	return kn_vget_path(cx, v->sub, v->nsub, &sub, dot + 1, v, tmp, cap);
}

const char *
kn_pane_vtext(struct kn_pane *p, size_t row, const char *key, char *buf,
	      size_t cap)
{
	const struct kn_vrow *r = kn_pane_vrow(p, row);
	const struct kn_view_def *d;
	struct kn_value v;
	char tmp[KN_VCELL];

	if (r == NULL || r->obj == NULL)
		return NULL;
	d = p->vt->view.def;
	if (!kn_vget_path(&p->vt->cx, d->cols, d->ncols, r, key, &v, tmp,
			  sizeof(tmp)) ||
	    v.null)
		return NULL;
	snprintf(buf, cap, "%s", kn_value_text(&v, tmp, sizeof(tmp)));
	return buf;
}
