/* Lists to choose from: a title over a table of the screen's rows. */
#include <stdio.h>
#include <string.h>

#include "picker.h"

void
kn_picker_close(struct kn_picker *pk)
{
	kn_table_free(pk->t);
	kn_rowstore_free(pk->rows);
	memset(pk, 0, sizeof(*pk));
}

void
kn_picker_open(struct kn_picker *pk, int kind, const struct kn_column *cols,
	       int ncols, const char *title)
{
	kn_picker_close(pk);
	pk->kind = kind;
	snprintf(pk->title, sizeof(pk->title), "%s", title);
	pk->t = kn_table_new(cols, ncols);
	pk->rows = kn_rowstore_new(ncols);
}

size_t
kn_picker_add(struct kn_picker *pk, const char *const *cells, enum kn_role role)
{
	return kn_rowstore_add(pk->rows, cells, role);
}

void
kn_picker_ready(struct kn_picker *pk, size_t select)
{
	struct kn_table_source src;

	kn_rowstore_source(pk->rows, &src);
	kn_table_set_source(pk->t, &src);
	kn_table_move_to(pk->t, select);
}

const char *
kn_picker_selected(const struct kn_picker *pk, int col, size_t *row)
{
	char tmp[8];
	size_t r;

	if (pk->t == NULL || !kn_table_selected(pk->t, &r))
		return NULL;
	if (row != NULL)
		*row = r;
	return kn_table_cell(pk->t, r, col, tmp, sizeof(tmp));
}

bool
kn_picker_is_open(const struct kn_picker *pk)
{
	return pk->kind != 0;
}

void
kn_picker_draw(struct kn_picker *pk, struct kn_canvas *c, int y, int x, int h,
	       int w)
{
	if (h < 2 || pk->t == NULL)
		return;
	kn_canvas_put(c, y, x + 1, w - 2, KN_ROLE_TITLE, pk->title,
		      strlen(pk->title), KN_PUT_ELLIPSIS);
	kn_table_draw(pk->t, c, y + 1, x, h - 1, w, "nothing to choose from");
}
