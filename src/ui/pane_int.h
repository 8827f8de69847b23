/* Inside the panes: the table over a pane's view (pane_view.c). */
#ifndef K8SNET_UI_PANE_INT_H
#define K8SNET_UI_PANE_INT_H

#include "pane.h"

/* Set up p->view, p->vcols and p->vmap from p->ops->view. */
void kn_pane_view_init(struct kn_pane *p);
/* How p->table cuts each column, from the view's types and flags. */
void kn_pane_view_cuts(struct kn_pane *p);
void kn_pane_view_free(struct kn_pane *p);
/* A table source reading p->view through p->vctx. */
void kn_pane_view_source(struct kn_pane *p, struct kn_table_source *src);

#endif
