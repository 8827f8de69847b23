/* Panes of the console: one file per pane (src/ui/pane_*.c) behind a
 * small ops table. A pane turns the model into rows for its table; the
 * screen draws the table, the keys and the detail view. */
#ifndef K8SNET_PANE_H
#define K8SNET_PANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canvas.h"
#include "k8snet/app.h"
#include "k8snet/model.h"
#include "k8snet/opts.h"
#include "k8snet/view.h"
#include "keymap.h"
#include "table.h"

/* Lines of text (a detail view); owns its strings. Each line has a role:
 * 0 is automatic (unindented lines are headings), else enum kn_role + 1
 * (kn_lines_add_role). */
struct kn_lines {
	char **v;
	unsigned char *roles;
	size_t n, cap;
};

void kn_lines_init(struct kn_lines *l);
void kn_lines_release(struct kn_lines *l);
void kn_lines_clear(struct kn_lines *l);
void kn_lines_add(struct kn_lines *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A line drawn in role (warning, error, ok, dimmed ...). */
void kn_lines_add_role(struct kn_lines *l, enum kn_role role, const char *fmt,
		       ...) __attribute__((format(printf, 3, 4)));

/* What the console tells a pane when it asks for rows. */
struct kn_pane_view {
	struct kn_app *app;
	const char *ns; /* namespace filter (:ns, -n); NULL: all */
};

struct kn_pane;

/* A table over a view: the view's rows, what its getters read, and the
 * console's columns of the view (pane_view.c). */
struct kn_vtable {
	struct kn_view view;
	struct kn_vctx cx;
	struct kn_column *cols; /* the console's columns of the view */
	uint8_t *map;		/* console column -> view column */
	int ncols;
};

/* A table over views of def (caller frees with kn_vtable_free). */
struct kn_vtable *kn_vtable_new(const struct kn_view_def *def);
void kn_vtable_free(struct kn_vtable *vt);
/* How table t (over vt's columns) cuts each column, from the view's
 * types and flags: addresses, numbers and counts never. */
void kn_vtable_cuts(const struct kn_vtable *vt, struct kn_table *t);
/* Which columns of table t hide while empty (KN_VC_HIDE_EMPTY); done by
 * kn_vtable_cuts too. */
void kn_vtable_hide_empty(const struct kn_vtable *vt, struct kn_table *t);
/* A table source reading vt's rows through vt->cx: cells formatted from
 * typed values, typed sort keys, roles from tones, the view's row_id. */
void kn_vtable_source(struct kn_vtable *vt, struct kn_table_source *src);

/* What a pane's rows read from the model (kn_pane_ops.deps): a bit per
 * kind and one for pod labels; 0 is everything. */
#define KN_DEP(kind) (1u << (kind))
#define KN_DEP_POD_LABELS KN_KINDS_POD_LABELS

struct kn_pane_ops {
	enum kn_pane_id id;
	const char *title; /* "Pods", for the tab bar */
	/* A pane shows a view (its columns and rows come from it), or
	 * columns of its own filled through p->rows. */
	const struct kn_view_def *view;
	const struct kn_column *columns; /* static; without a view */
	int ncolumns;
	int sort_col;		      /* initial sort column, -1: none */
	const struct kn_keymap *keys; /* pane keys; NULL: none */
	uint32_t deps;		      /* KN_DEP bits; 0: everything */
	/* The view's rows are model objects (struct kn_obj first): y shows
	 * one as YAML, d describes it (kn_keymap_object). */
	bool objects;

	/* Optional: set up p->priv. */
	void (*init)(struct kn_pane *p);
	/* Optional: release p->priv. */
	void (*free)(struct kn_pane *p);
	/* Refill p->rows (or, with a view, add to p->view after it was
	 * built) from v->app (model, capture), honouring v->ns, and set
	 * p->note when there is nothing to show. The console then hands the
	 * rows to the table. Required without a view. */
	void (*refresh)(struct kn_pane *p, const struct kn_pane_view *v);
	/* Optional: a pane action (KN_ACT_PANE_BASE + n); true if handled. */
	bool (*key)(struct kn_pane *p, int action);
	/* Optional: the detail view of source row; the default lists each
	 * column's title and value. */
	void (*detail)(struct kn_pane *p, size_t row, struct kn_lines *out);
	/* Optional: draw the body instead of the table. */
	void (*draw)(struct kn_pane *p, struct kn_canvas *c, int y, int x,
		     int h, int w);
	/* Optional: answer the pane's prompt (opened when key() sets
	 * p->prompt_req) with lines shown as a detail view. */
	void (*prompt)(struct kn_pane *p, const struct kn_pane_view *v,
		       const char *text, struct kn_lines *out);
	/* Optional: the pane's table changed: it has new rows (action
	 * KN_ACT_NONE), or the user moved, sorted or filtered (the
	 * action). The Traffic pane keeps its follow here. */
	void (*table_changed)(struct kn_pane *p, int action);
};

struct kn_pane {
	const struct kn_pane_ops *ops;
	struct kn_app *app;
	struct kn_table *table;	  /* owned; columns from ops */
	struct kn_rowstore *rows; /* owned; filled by ops->refresh */
	/* The view the rows come from: ops->view's (owned), or one
	 * ops->refresh chose (the pane's); NULL: p->rows. */
	struct kn_vtable *vt;
	bool ascii;		/* glyphs in ASCII (the canvas's choice) */
	char note[192];		/* shown when the table has no rows */
	const char *prompt_req; /* set by ops->key: open the pane's prompt
				 * with this label ("lookup"); static */
	char msg[160];		/* set by ops->key: what the key did, for
				 * the status line */
	void *priv;
	/* The model and its change count for deps at the last refresh. */
	const struct kn_model *seen_model;
	uint64_t seen_stamp;
	uint64_t rows_version;	 /* kn_pane_rows_stale's, at the refresh */
	uint64_t refresh_cpu_us; /* CPU time the last refresh took */
	/* Set by ops->refresh when p->vt kept the rows of the last refresh
	 * but its first `dropped` and added new ones after them: the table
	 * then merges the new rows in (kn_table_update) instead of sorting
	 * and folding every row again. */
	bool appended;
	size_t dropped;
};

/* The ops of each pane, indexed by enum kn_pane_id. */
extern const struct kn_pane_ops kn_pane_pods_ops;
extern const struct kn_pane_ops kn_pane_services_ops;
extern const struct kn_pane_ops kn_pane_dns_ops;
extern const struct kn_pane_ops kn_pane_ingress_ops;
extern const struct kn_pane_ops kn_pane_nodes_ops;
extern const struct kn_pane_ops kn_pane_traffic_ops;
extern const struct kn_pane_ops kn_pane_policies_ops;
extern const struct kn_pane_ops kn_pane_routes_ops;
const struct kn_pane_ops *kn_pane_ops_of(enum kn_pane_id id);
/* The answer to "can SRC DST [PORT[/PROTO]]" (the :can command) from the
 * Policies pane p, as detail lines. */
void kn_pane_policies_can(struct kn_pane *p, const struct kn_pane_view *v,
			  const char *text, struct kn_lines *out);

/* Lifecycle used by the screen (and tests). */
/* ascii: glyphs in their ASCII form (the canvas's choice: --ascii or a
 * locale without UTF-8). */
struct kn_pane *kn_pane_new(const struct kn_pane_ops *ops, struct kn_app *app,
			    bool ascii);
void kn_pane_free(struct kn_pane *p);
/* Ask the pane for rows again and hand them to its table. */
void kn_pane_refresh(struct kn_pane *p, const struct kn_pane_view *v);
/* Whether what the pane reads (ops->deps) changed since its last refresh
 * (always for a pane without deps); the namespace filter is the caller's
 * to watch. */
bool kn_pane_model_changed(const struct kn_pane *p);
/* Tell the pane its table changed (ops->table_changed, if any). */
void kn_pane_table_changed(struct kn_pane *p, int action);
/* Whether the rows of a pane over a view may point at objects the model
 * took out since they were built (its kinds changed, or the model). */
bool kn_pane_rows_stale(const struct kn_pane *p);
/* Drop the rows of a pane over a view (they point at model objects the
 * model may free); the pane must be refreshed before it is drawn. */
void kn_pane_forget(struct kn_pane *p);
/* Detail lines of the selected row (ops->detail or the default). */
void kn_pane_detail(struct kn_pane *p, size_t row, struct kn_lines *out);
/* The default detail: the pane's title, then each column's title and
 * the row's cell. */
void kn_pane_detail_cells(struct kn_pane *p, size_t row, struct kn_lines *out);

/* The view row behind table row `row` of a pane with a view (NULL
 * otherwise, or past the end); its obj is NULL for a row of text. */
const struct kn_vrow *kn_pane_vrow(const struct kn_pane *p, size_t row);
/* Text of the view column with JSON key `key` for table row `row` into
 * buf (cap bytes); "obj.key" is key inside the nested object obj
 * ("backend.service"). NULL without such a column or object. */
const char *kn_pane_vtext(struct kn_pane *p, size_t row, const char *key,
			  char *buf, size_t cap);
/* The role a view row is drawn in. */
enum kn_role kn_pane_tone_role(enum kn_vtone tone);

/* The note for a cluster pane without a model. */
void kn_pane_note_no_model(struct kn_pane *p);
/* The note for a pane whose model has nothing (in v->ns). */
void kn_pane_note_empty(struct kn_pane *p, const struct kn_pane_view *v,
			const char *what);

struct kn_ipaddr;
/* "10.0.0.1,fd00::1" into out (cap bytes); returns out. */
const char *kn_pane_join_ips(const struct kn_ipaddr *ips, size_t n, char *out,
			     size_t cap);

#endif
