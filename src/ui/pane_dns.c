/* DNS pane: the cluster DNS (domain, CoreDNS, Corefile) above every name
 * it serves, and a lookup that answers from the model and says why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detail.h"
#include "k8snet/model.h"
#include "k8snet/model_query.h"
#include "pane.h"
#include "traffic_view.h"

#define KN_DNS_HEAD 3 /* header lines above the table */

enum { KN_DNS_ACT_LOOKUP = KN_ACT_PANE_BASE };

static const struct kn_keybind kn_dns_binds[] = {
	{'l', KN_DNS_ACT_LOOKUP,
	 "look up a name or an address as a pod in "
	 "the :ns namespace would, and show where the answer comes from",
	 "lookup"},
};

static const struct kn_keymap kn_dns_keys = {"DNS pane", kn_dns_binds,
					     sizeof(kn_dns_binds) /
						     sizeof(kn_dns_binds[0])};

/* p->priv: the live rows' counts, kept from one refresh to the next. */
static void
kn_dns_init(struct kn_pane *p)
{
	p->priv = kn_dns_live_new();
}

static void
kn_dns_free(struct kn_pane *p)
{
	kn_dns_live_free(p->priv);
	p->priv = NULL;
}

/* After the view's records: what the capture saw of DNS. */
static void
kn_dns_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	if (v->app->model != NULL)
		kn_traffic_dns_rows(p->priv, p, v);
}

static void
kn_join(const struct kn_strs *s, char *out, size_t cap, const char *sep)
{
	size_t i, o = 0;
	int w;

	out[0] = '\0';
	for (i = 0; i < s->n; i++) {
		w = snprintf(out + o, cap - o, "%s%s", i ? sep : "", s->v[i]);
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
}

/* Plugin names of the first server block, without their arguments. */
static void
kn_plugin_names(const struct kn_corefile *cf, char *out, size_t cap)
{
	size_t i, o = 0;
	int w;

	out[0] = '\0';
	for (i = 0; i < cf->plugins.n; i++) {
		w = snprintf(out + o, cap - o, "%s%.*s", i ? " " : "",
			     (int)strcspn(cf->plugins.v[i], " "),
			     cf->plugins.v[i]);
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
}

/* The cluster DNS in a few lines: what every pod's resolver talks to. */
static void
kn_dns_summary(const struct kn_model *m, struct kn_lines *out)
{
	struct kn_coredns info;
	struct kn_corefile cf;
	struct kn_pod **pods;
	char ip[2 * KN_IPSTR + 2], nodes[256], fwd[256], srv[128], pl[512];
	size_t n, i, o = 0;
	int w;

	kn_model_coredns(m, &info);
	kn_model_corefile(m, &cf);
	n = kn_model_coredns_pods(m, &pods);
	nodes[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *nd = pods[i]->node != NULL ? pods[i]->node : "?";

		/* Pods are sorted by name, not node: skip repeats. */
		if (strstr(nodes, nd) != NULL)
			continue;
		w = snprintf(nodes + o, sizeof(nodes) - o, "%s%s", o ? "," : "",
			     nd);
		if (w < 0 || (size_t)w >= sizeof(nodes) - o)
			break;
		o += (size_t)w;
	}
	free(pods);
	kn_join(&info.forwarders, fwd, sizeof(fwd), " ");
	kn_join(&cf.servers, srv, sizeof(srv), " ");
	kn_plugin_names(&cf, pl, sizeof(pl));
	kn_lines_add(out,
		     " domain %s (%s)   CoreDNS %s%s%s %s   pods %u/%u "
		     "ready%s%s",
		     info.domain, info.from_corefile ? "Corefile" : "default",
		     info.service != NULL ? info.service->o.ns : "",
		     info.service != NULL ? "/" : "",
		     info.service != NULL ? info.service->o.name
					  : "(no kube-dns service)",
		     info.service != NULL
			     ? kn_pane_join_ips(info.service->cluster_ips,
						info.service->ncluster_ips, ip,
						sizeof(ip))
			     : "",
		     info.pods_ready, info.pods_total, nodes[0] ? " on " : "",
		     nodes);
	if (cf.present)
		kn_lines_add(out,
			     " forward %s   pods %s   server %s   plugins "
			     "%s",
			     fwd[0] ? fwd : "(none)", cf.pods,
			     srv[0] ? srv : "?", pl);
	else
		kn_lines_add(out, " no Corefile (kube-system/coredns "
				  "ConfigMap): forwarders and plugins unknown");
	out->roles[out->n - 2] =
		(unsigned char)((info.service == NULL || info.pods_ready == 0
					 ? KN_ROLE_ERROR
				 : info.pods_ready < info.pods_total
					 ? KN_ROLE_WARNING
					 : KN_ROLE_NORMAL) +
				1);
	kn_coredns_release(&info);
	kn_corefile_release(&cf);
}

static void
kn_dns_draw(struct kn_pane *p, struct kn_canvas *c, int y, int x, int h, int w)
{
	struct kn_lines l;
	size_t i;

	kn_lines_init(&l);
	if (p->app->model != NULL && h > KN_DNS_HEAD + 2) {
		kn_dns_summary(p->app->model, &l);
		for (i = 0; i < l.n && (int)i < KN_DNS_HEAD - 1; i++)
			kn_canvas_put(c, y + (int)i, x, w,
				      l.roles[i]
					      ? (enum kn_role)(l.roles[i] - 1)
					      : KN_ROLE_NOTE,
				      l.v[i], strlen(l.v[i]), KN_PUT_ELLIPSIS);
		y += KN_DNS_HEAD;
		h -= KN_DNS_HEAD;
	}
	kn_lines_release(&l);
	kn_table_draw(p->table, c, y, x, h, w,
		      p->note[0] != '\0' ? p->note : NULL);
}

static bool
kn_dns_key(struct kn_pane *p, int action)
{
	if (action != KN_DNS_ACT_LOOKUP)
		return false;
	p->prompt_req = "lookup";
	return true;
}

static void
kn_dns_prompt(struct kn_pane *p, const struct kn_pane_view *v, const char *text,
	      struct kn_lines *out)
{
	struct kn_lookup l;

	if (v->app->model == NULL) {
		kn_lines_add(out, "Lookup");
		kn_lines_add(out, "  no cluster data to answer from");
		return;
	}
	(void)p;
	kn_model_lookup(v->app->model, text, v->ns, &l);
	kn_detail_lookup(&l, out);
	kn_lookup_release(&l);
}

/* A record's detail: the lookup of its name and type, which explains
 * where it comes from, then the cluster DNS summary. */
static void
kn_dns_detail(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	char q[600], a[512], b[16];
	struct kn_lookup l;

	if (p->app->model == NULL)
		return;
	/* The capture's live rows are no records to look up. */
	if (kn_pane_vrow(p, row) != NULL &&
	    kn_pane_vrow(p, row)->text != NULL) {
		kn_pane_detail_cells(p, row, out);
		return;
	}
	snprintf(q, sizeof(q), "%s %s",
		 kn_view_cell(&p->vt->view, &p->vt->cx, row, 0, a, sizeof(a)),
		 kn_view_cell(&p->vt->view, &p->vt->cx, row, 1, b, sizeof(b)));
	/* Records are FQDNs: asked as they are, from the default search
	 * list's point of view. */
	kn_model_lookup(p->app->model, q, NULL, &l);
	kn_detail_lookup(&l, out);
	kn_lookup_release(&l);
	kn_lines_add(out, "Cluster DNS");
	kn_dns_summary(p->app->model, out);
}

const struct kn_pane_ops kn_pane_dns_ops = {
	.id = KN_PANE_DNS,
	.title = "DNS",
	.view = &kn_view_dns,
	.sort_col = 0,
	.keys = &kn_dns_keys,
	.init = kn_dns_init,
	.free = kn_dns_free,
	.refresh = kn_dns_refresh,
	.key = kn_dns_key,
	.detail = kn_dns_detail,
	.draw = kn_dns_draw,
	.prompt = kn_dns_prompt,
};
