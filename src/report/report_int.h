/* Inside the --once reports: the output state and helpers the pane
 * printers share. */
#ifndef K8SNET_REPORT_INT_H
#define K8SNET_REPORT_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "k8snet/app.h"
#include "k8snet/arena.h"
#include "k8snet/buf.h"
#include "k8snet/model.h"

struct rp {
	struct kn_app *app;
	const struct kn_model *m;
	FILE *out;
	enum kn_output fmt;
	const char *ns; /* -n filter or NULL */
	bool ascii;
	struct kn_buf b; /* pending output, flushed in chunks */
	size_t nitems;
	char **cells; /* table cells, escaped, row-major, in cellmem */
	size_t ncells, capcells, ncols;
	struct kn_arena cellmem; /* the cells' text, packed */
	struct kn_buf esc;	 /* a cell being escaped */
	bool failed;
};

void rp_init(struct rp *r, struct kn_app *app, FILE *out);
void rp_flush(struct rp *r);
int rp_finish(struct rp *r);
bool rp_wide(const struct rp *r);
bool rp_json(const struct rp *r);

void jq(struct rp *r, const char *s);
void jk(struct rp *r, const char *key, bool first);
void jks(struct rp *r, const char *key, const char *s);
void jip(struct rp *r, const struct kn_ipaddr *ip);
void rp_doc_begin(struct rp *r, const char *pane);
void rp_items_begin(struct rp *r);
void rp_item_begin(struct rp *r);
void rp_item_end(struct rp *r);
void rp_doc_end(struct rp *r);

void tb_cols(struct rp *r, size_t ncols);
void tb_cell(struct rp *r, const char *s);
void tb_cellf(struct rp *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void tb_print(struct rp *r);

struct kn_view_def;
struct kn_vctx;
/* The report of a pane's view (print_view.c). */
void report_view(struct rp *r, const struct kn_view_def *def,
		 const struct kn_vctx *cx);
struct kn_vrow;
/* One row of a view as a JSON object: a line with -o jsonl, an item of
 * the document with -o json (between rp_items_begin and rp_doc_end). */
/* A table of def's --once columns (-o wide adds the wide ones), a row
 * at a time: the titles, then each row's cells; tb_print prints it. */
void report_view_table_head(struct rp *r, const struct kn_view_def *def);
void report_view_table_row(struct rp *r, const struct kn_view_def *def,
			   const struct kn_vctx *cx, const struct kn_vrow *row);
void report_view_line(struct rp *r, const struct kn_view_def *def,
		      const struct kn_vctx *cx, const struct kn_vrow *row);

#endif
