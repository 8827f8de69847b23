/* A list to choose from: namespaces (:ns), contexts (:ctx), columns to
 * sort by, values to copy. A table over rows the screen adds, drawn
 * under a title; the screen decides what choosing does. */
#ifndef K8SNET_PICKER_H
#define K8SNET_PICKER_H

#include <stdbool.h>
#include <stddef.h>

#include "canvas.h"
#include "table.h"

struct kn_picker {
	int kind;	 /* the screen's: what choosing does; 0 closed */
	char title[192]; /* above the list */
	struct kn_table *t;
	struct kn_rowstore *rows;
};

/* Start a list of kind (> 0) with columns cols (static, ncols) under
 * title; closes the one open. */
void kn_picker_open(struct kn_picker *pk, int kind,
		    const struct kn_column *cols, int ncols, const char *title);
/* Add a row (ncols cells, copied). Returns its index. */
size_t kn_picker_add(struct kn_picker *pk, const char *const *cells,
		     enum kn_role role);
/* The rows are in: show them, row `select` selected. */
void kn_picker_ready(struct kn_picker *pk, size_t select);
/* Cell col of the selected row (borrowed until the picker closes);
 * NULL with no row shown. *row: its index. */
const char *kn_picker_selected(const struct kn_picker *pk, int col,
			       size_t *row);
void kn_picker_close(struct kn_picker *pk);
bool kn_picker_is_open(const struct kn_picker *pk);
/* The title, then the list, in the h x w box at (y, x). */
void kn_picker_draw(struct kn_picker *pk, struct kn_canvas *c, int y, int x,
		    int h, int w);

#endif
