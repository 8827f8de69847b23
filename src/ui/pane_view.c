/* A pane's table over its view: the console's columns of the view, cells
 * formatted from typed values, typed sort keys, row roles from tones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "pane.h"
#include "pane_int.h"

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

void
kn_pane_view_init(struct kn_pane *p)
{
	const struct kn_view_def *d = p->ops->view;
	const uint8_t *order;
	const struct kn_vcol *c;
	size_t n, k, nc = 0;

	p->view = kn_xcalloc(1, sizeof(*p->view));
	kn_view_init(p->view, d);
	order = console_order(d, &n);
	p->vcols = kn_xcalloc(n, sizeof(*p->vcols));
	p->vmap = kn_xcalloc(n, sizeof(*p->vmap));
	for (k = 0; k < n; k++) {
		c = &d->cols[order != NULL ? order[k] : k];
		if (!(c->flags & KN_VC_CONSOLE))
			continue;
		p->vmap[nc] = (uint8_t)(c - d->cols);
		p->vcols[nc].title = c->ctitle != NULL ? c->ctitle : c->title;
		p->vcols[nc].min_width = c->min;
		p->vcols[nc].max_width = c->max;
		p->vcols[nc].align = c->right ? KN_ALIGN_RIGHT : KN_ALIGN_LEFT;
		p->vcols[nc].weight = c->weight;
		p->vcols[nc].key = (c->flags & KN_VC_ID) != 0;
		nc++;
	}
	p->nvcols = (int)nc;
}

void
kn_pane_view_free(struct kn_pane *p)
{
	if (p->view != NULL)
		kn_view_release(p->view);
	free(p->view);
	free(p->vcols);
	free(p->vmap);
}

static const char *
vcell(void *arg, size_t row, int col, char *tmp, size_t tmpsz)
{
	struct kn_pane *p = arg;
	/* The table copies or folds the text before its next call. */
	static char buf[KN_VCELL];
	const char *key = p->view->def->cols[p->vmap[col]].key, *s;

	s = kn_view_cell(p->view, &p->vctx, row, p->vmap[col], buf,
			 sizeof(buf));
	/* What manifests plan, not the cluster: marked on its name. */
	if (key != NULL && strcmp(key, "name") == 0 &&
	    kn_view_row_planned(p->view, &p->vctx, row)) {
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
	struct kn_pane *p = arg;

	return row < p->view->n
		       ? kn_pane_tone_role(
				 (enum kn_vtone)p->view->rows[row].tone)
		       : KN_ROLE_NORMAL;
}

static int
vsort_levels(void *arg, int col)
{
	struct kn_pane *p = arg;

	switch (p->view->def->cols[p->vmap[col]].type) {
	case KN_VT_UINT:
	case KN_VT_INT:
	case KN_VT_BOOL:
	case KN_VT_MS:
	case KN_VT_EPOCH:
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
	struct kn_pane *p = arg;
	const struct kn_vcol *c = &p->view->def->cols[p->vmap[col]];
	const struct kn_vrow *r = &p->view->rows[row];
	char buf[KN_VCELL];
	struct kn_value v;
	uint64_t k;

	if (r->text != NULL)
		return UINT64_MAX;
	kn_view_get(&p->vctx, c, r, &v, buf, sizeof(buf));
	if (v.null || v.type != c->type ||
	    !kn_value_sort_key(&v, (unsigned)level, &k))
		return UINT64_MAX;
	return k;
}

void
kn_pane_view_source(struct kn_pane *p, struct kn_table_source *src)
{
	memset(src, 0, sizeof(*src));
	src->nrows = p->view->n;
	src->arg = p;
	src->cell = vcell;
	src->role = vrole;
	src->sort_levels = vsort_levels;
	src->sort_key = vsort_key;
}

const struct kn_vrow *
kn_pane_vrow(const struct kn_pane *p, size_t row)
{
	if (p->view == NULL || row >= p->view->n)
		return NULL;
	return &p->view->rows[row];
}

const char *
kn_pane_vtext(struct kn_pane *p, size_t row, const char *key, char *buf,
	      size_t cap)
{
	const struct kn_vrow *r = kn_pane_vrow(p, row);
	struct kn_value v;
	char tmp[KN_VCELL];
	int c;

	if (r == NULL || r->obj == NULL)
		return NULL;
	c = kn_view_col_by_key(p->view->def, key);
	if (c < 0)
		return NULL;
	kn_view_get(&p->vctx, &p->view->def->cols[c], r, &v, tmp, sizeof(tmp));
	if (v.null)
		return NULL;
	snprintf(buf, cap, "%s", kn_value_text(&v, tmp, sizeof(tmp)));
	return buf;
}
