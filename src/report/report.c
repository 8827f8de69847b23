/* --once reports of the cluster panes (pods, services, dns, ingress,
 * nodes) as kubectl-like tables, one JSON document or JSON lines; the
 * traffic pane goes to report_traffic. Every string from the cluster is
 * escaped (kn_json_quote, kn_escape_text). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/agent.h"
#include "k8snet/buf.h"
#include "k8snet/escape.h"
#include "k8snet/log.h"
#include "k8snet/model.h"
#include "k8snet/nodeview.h"
#include "k8snet/report.h"
#include "k8snet/view.h"
#include "report_int.h"
#include "report_traffic.h"

#define KN_FLUSH_AT (256u << 10)

/* ---- output ---- */

void
rp_init(struct rp *r, struct kn_app *app, FILE *out)
{
	memset(r, 0, sizeof(*r));
	r->app = app;
	r->m = app->model;
	r->out = out;
	r->fmt = app->opts.output;
	r->ns = app->opts.namespace;
	r->ascii = app->opts.ascii;
	kn_buf_init(&r->b, 0);
	kn_buf_init(&r->esc, 0);
	/* A table of 150,000 rows has a million cells: packed, not one
	 * allocation (and a 64-byte buffer) each. */
	kn_arena_init(&r->cellmem, 256u << 10);
}

void
rp_flush(struct rp *r)
{
	if (r->b.len > 0 && fwrite(r->b.data, 1, r->b.len, r->out) != r->b.len)
		r->failed = true;
	kn_buf_clear(&r->b);
}

int
rp_finish(struct rp *r)
{
	rp_flush(r);
	free(r->cells);
	kn_arena_release(&r->cellmem);
	kn_buf_release(&r->esc);
	kn_buf_release(&r->b);
	if (fflush(r->out) != 0 || r->failed) {
		kn_error("cannot write the report: output error");
		return 1;
	}
	return 0;
}

/* JSON string or null. */
void
jq(struct rp *r, const char *s)
{
	if (s == NULL)
		kn_buf_puts(&r->b, "null");
	else
		kn_json_quote(&r->b, s, strlen(s));
}

/* ,"key": (first: no comma) */
void
jk(struct rp *r, const char *key, bool first)
{
	kn_buf_printf(&r->b, "%s\"%s\":", first ? "" : ",", key);
}

void
jks(struct rp *r, const char *key, const char *s)
{
	jk(r, key, false);
	jq(r, s);
}

void
jip(struct rp *r, const struct kn_ipaddr *ip)
{
	char b[KN_IPSTR];

	if (ip->family == 0)
		kn_buf_puts(&r->b, "null");
	else
		jq(r, kn_ipaddr_format(ip, b, sizeof(b)));
}

/* Begin and end of the document or of one item. */
void
rp_doc_begin(struct rp *r, const char *pane)
{
	if (r->fmt != KN_OUT_JSON)
		return;
	kn_buf_puts(&r->b, "{\"pane\":");
	jq(r, pane);
}

void
rp_items_begin(struct rp *r)
{
	if (r->fmt == KN_OUT_JSON)
		kn_buf_puts(&r->b, ",\"items\":[");
}

void
rp_item_begin(struct rp *r)
{
	if (r->fmt == KN_OUT_JSON && r->nitems > 0)
		kn_buf_puts(&r->b, ",");
	if (r->fmt == KN_OUT_JSON)
		kn_buf_puts(&r->b, "\n");
	kn_buf_puts(&r->b, "{");
}

void
rp_item_end(struct rp *r)
{
	kn_buf_puts(&r->b, "}");
	if (r->fmt == KN_OUT_JSONL)
		kn_buf_puts(&r->b, "\n");
	r->nitems++;
	if (r->b.len > KN_FLUSH_AT)
		rp_flush(r);
}

void
rp_doc_end(struct rp *r)
{
	if (r->fmt == KN_OUT_JSON)
		kn_buf_puts(&r->b, r->nitems ? "\n]}\n" : "]}\n");
}

/* ---- tables ---- */

void
tb_cols(struct rp *r, size_t ncols)
{
	r->ncols = ncols;
}

/* Add one cell (escaped now; NULL or "" shows as "<none>"). */
void
tb_cell(struct rp *r, const char *s)
{
	if (s == NULL || *s == '\0')
		s = "<none>";
	if (r->ncells == r->capcells) {
		r->capcells = r->capcells ? r->capcells * 2 : 256;
		r->cells = realloc(r->cells, r->capcells * sizeof(*r->cells));
		if (r->cells == NULL)
			abort();
	}
	kn_buf_clear(&r->esc);
	kn_escape_text(&r->esc, s, strlen(s), r->ascii);
	r->cells[r->ncells++] = kn_arena_strndup(
		&r->cellmem, r->esc.data != NULL ? r->esc.data : "",
		r->esc.len);
}

void
tb_cellf(struct rp *r, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	tb_cell(r, tmp);
}

/* Print the cells as aligned columns, 3 spaces apart (kubectl's
 * printers), the last column unpadded. */
void
tb_print(struct rp *r)
{
	size_t *w, i, c, n, len;

	if (r->ncols == 0)
		return;
	w = calloc(r->ncols, sizeof(*w));
	if (w == NULL)
		abort();
	for (i = 0; i < r->ncells; i++) {
		len = kn_escaped_width(r->cells[i], strlen(r->cells[i]),
				       r->ascii);
		if (len > w[i % r->ncols])
			w[i % r->ncols] = len;
	}
	for (i = 0; i < r->ncells; i++) {
		c = i % r->ncols;
		kn_buf_puts(&r->b, r->cells[i]);
		if (c + 1 == r->ncols) {
			kn_buf_puts(&r->b, "\n");
			if (r->b.len > KN_FLUSH_AT)
				rp_flush(r);
			continue;
		}
		n = w[c] -
		    kn_escaped_width(r->cells[i], strlen(r->cells[i]),
				     r->ascii) +
		    3;
		while (n-- > 0)
			kn_buf_puts(&r->b, " ");
	}
	free(w);
}

bool
rp_wide(const struct rp *r)
{
	return r->fmt == KN_OUT_WIDE;
}

bool
rp_json(const struct rp *r)
{
	return r->fmt == KN_OUT_JSON || r->fmt == KN_OUT_JSONL;
}

int
kn_report_run(struct kn_app *app, FILE *out)
{
	struct rp r;
	struct kn_vctx cx = {0};
	struct kn_nodeview *tmp = NULL;

	if (app->opts.can_from != NULL)
		return kn_report_can(app, out);
	if (app->opts.check)
		return kn_report_check(app, out);
	if (app->opts.pane == KN_PANE_TRAFFIC)
		return kn_report_traffic(app, out);
	if (app->model == NULL) {
		kn_error("--pane %s needs a cluster: a kubeconfig, "
			 "--snapshot FILE or --demo",
			 kn_pane_name(app->opts.pane));
		return 1;
	}
	rp_init(&r, app, out);
	cx.model = app->model;
	cx.ns = app->opts.namespace;
	cx.ascii = app->opts.ascii;
	/* Views read the node view (ports, the node's files); without one,
	 * a view that probes nothing. */
	cx.nodeview = app->nodeview;
	cx.plan = app->plan;
	if (cx.nodeview == NULL) {
		struct kn_nodeview_config c = {
			app->loop,     &app->model,
			app->anon,     app->opts.host_root,
			KN_PROBE_NONE, app->opts.probe_external,
			app->opts.demo};

		tmp = kn_nodeview_new(&c);
		cx.nodeview = tmp;
	}
	/* The Nodes pane with --agents: what each node's agent says. */
	if (app->opts.pane == KN_PANE_NODES && app->opts.agents_ns != NULL)
		cx.agents = kn_report_agent_facts(
			app, app->opts.agents_ns,
			app->opts.duration > 0
				? (uint64_t)(app->opts.duration * 1000)
				: 10000);
	report_view(&r, kn_view_of(app->opts.pane), &cx);
	kn_agents_merge_free(cx.agents);
	kn_nodeview_free(tmp);
	return rp_finish(&r);
}
