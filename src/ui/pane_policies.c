/* Policies pane: the Policies view; the detail of a pod: the policies
 * that select it and each of their rules in words; `c` asks may this
 * pod (or any SRC) reach DST, and why; `m` the reachability matrix of
 * the pods shown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/model.h"
#include "k8snet/policy.h"
#include "pane.h"
#include "table.h"

enum {
	KN_POL_ACT_CAN = KN_ACT_PANE_BASE,
	KN_POL_ACT_MATRIX,
	KN_POL_ACT_LIST,
};

static const struct kn_keybind kn_pol_binds[] = {
	{'c', KN_POL_ACT_CAN,
	 "can: may the selected pod reach DST [PORT[/PROTO]] (or SRC DST "
	 "[PORT]), and which policies decide",
	 "can"},
	{'m', KN_POL_ACT_MATRIX,
	 "matrix: who may reach whom among the pods shown (at most 60), on "
	 "a port or any",
	 "matrix"},
	{'v', KN_POL_ACT_LIST,
	 "policies: every policy of the namespace shown, the pods it "
	 "selects and its rules in words (a name filter, or all)",
	 "policies"},
};

static const struct kn_keymap kn_pol_keys = {"Policies pane", kn_pol_binds,
					     sizeof(kn_pol_binds) /
						     sizeof(kn_pol_binds[0])};

/* The matrix covers at most this many pods (a screen's width). */
#define KN_POL_MATRIX_MAX 60

struct pol_priv {
	int asking;	/* the action whose prompt is open */
	char from[320]; /* the selected pod when it was opened */
};

static void
kn_pol_init(struct kn_pane *p)
{
	p->priv = kn_xcalloc(1, sizeof(struct pol_priv));
}

static void
kn_pol_free(struct kn_pane *p)
{
	free(p->priv);
	p->priv = NULL;
}

static const struct kn_pod *
kn_pol_at(struct kn_pane *p, size_t row)
{
	const struct kn_vrow *r = kn_pane_vrow(p, row);

	return r != NULL ? r->obj : NULL;
}

static void
kn_pol_rules(const struct kn_netpol *np, bool egress, struct kn_lines *out)
{
	size_t i, n = egress ? np->negress : np->ningress;
	char text[1024];

	if (!(egress ? np->egress_type : np->ingress_type))
		return;
	if (n == 0)
		kn_lines_add_role(out, KN_ROLE_WARNING,
				  "    %s: no rule: denies all %s",
				  egress ? "egress" : "ingress",
				  egress ? "egress" : "ingress");
	for (i = 0; i < n; i++)
		kn_lines_add(out, "    %s[%zu] %s",
			     egress ? "egress" : "ingress", i,
			     kn_np_rule_text(np, egress, (int)i, text,
					     sizeof(text)));
}

static void
kn_pol_detail(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	const struct kn_model *m = p->app->model;
	const struct kn_pod *pod = kn_pol_at(p, row);
	const struct kn_vrow *r = kn_pane_vrow(p, row);
	struct kn_policy_index *ix;
	struct kn_pod_isolation iso;
	const struct kn_netpol *nps[64];
	char ip[KN_IPSTR], sel[512], note[512];
	size_t n, i;

	if (pod == NULL || m == NULL || (ix = kn_policy_index_new(m)) == NULL) {
		kn_lines_add(out, "Pod");
		kn_lines_add(out, "  (gone from the model)");
		return;
	}
	n = kn_policy_pod(ix, pod, &iso, nps, 64);
	kn_lines_add(out, "Pod %s/%s  %s", pod->o.ns, pod->o.name,
		     pod->nips ? kn_ipaddr_format(&pod->ips[0], ip, sizeof(ip))
			       : "(no IP)");
	kn_lines_add_role(out, iso.ingress ? KN_ROLE_NORMAL : KN_ROLE_DIMMED,
			  "  %-9s %s", "ingress",
			  iso.ingress ? "isolated: only what a rule below "
					"allows may reach it"
				      : "open: no policy isolates it");
	kn_lines_add_role(out, iso.egress ? KN_ROLE_NORMAL : KN_ROLE_DIMMED,
			  "  %-9s %s", "egress",
			  iso.egress ? "isolated: it may reach only what a "
				       "rule below allows"
				     : "open: no policy isolates it");
	if (kn_pane_vtext(p, row, "note", note, sizeof(note)) != NULL &&
	    note[0] != '\0')
		kn_lines_add_role(out,
				  r != NULL && r->tone == KN_VTONE_ERROR
					  ? KN_ROLE_ERROR
					  : KN_ROLE_WARNING,
				  "  %-9s %s", "note", note);
	if (pod->host_network)
		kn_lines_add_role(out, KN_ROLE_WARNING, "  %-9s %s", "host",
				  "on the host network: most CNIs do not "
				  "apply NetworkPolicy to it");
	kn_lines_add(out, "Policies selecting it (%zu)", n);
	for (i = 0; i < n && i < 64; i++) {
		const struct kn_netpol *np = nps[i];

		kn_lines_add(out, "  %s  (%s%s%s; pods %s)", np->o.name,
			     np->ingress_type ? "Ingress" : "",
			     np->ingress_type && np->egress_type ? ", " : "",
			     np->egress_type ? "Egress" : "",
			     kn_selector_text(&np->pod_sel, sel, sizeof(sel)));
		kn_pol_rules(np, false, out);
		kn_pol_rules(np, true, out);
	}
	if (n == 0)
		kn_lines_add_role(out, KN_ROLE_DIMMED,
				  "  none: every peer may reach it, and it "
				  "may reach every peer");
	kn_lines_add(out, "Ask");
	kn_lines_add(out, "  c  may this pod reach DST [PORT[/PROTO]]");
	kn_lines_add(out, "  m  who may reach whom among the pods shown");
	kn_lines_add(out, "  v  every policy of the namespace, in words");
	kn_policy_index_free(ix);
}

static bool
kn_pol_key(struct kn_pane *p, int action)
{
	struct pol_priv *pv = p->priv;
	const struct kn_pod *pod;
	size_t row;

	pv->asking = action;
	pv->from[0] = '\0';
	if (kn_table_selected(p->table, &row) &&
	    (pod = kn_pol_at(p, row)) != NULL)
		kn_np_pod_name(pod, pv->from, sizeof(pv->from));
	if (action == KN_POL_ACT_CAN)
		p->prompt_req = pv->from[0]
					? "can (DST [PORT] or SRC DST [PORT])"
					: "can (SRC DST [PORT[/PROTO]])";
	else if (action == KN_POL_ACT_MATRIX)
		p->prompt_req = "matrix port (empty: any; 80, 53/UDP, http)";
	else if (action == KN_POL_ACT_LIST)
		p->prompt_req = "policies named (empty: all)";
	else
		return false;
	return true;
}

static void
kn_pol_can(struct kn_pane *p, const struct kn_pane_view *v, const char *text,
	   struct kn_lines *out)
{
	struct pol_priv *pv = p->priv;
	char words[3][320], err[512];
	const char *src, *dst, *port = NULL;
	struct kn_policy_index *ix;
	struct kn_np_result res;
	struct kn_strs lines = {0};
	int nw, rc;
	size_t i;

	nw = sscanf(text, "%319s %319s %319s", words[0], words[1], words[2]);
	kn_lines_add(out, "Can");
	if (nw < 1) {
		kn_lines_add(out, "  give DST, DST PORT or SRC DST PORT");
		return;
	}
	/* One word: DST; two: DST PORT when the second reads as a port,
	 * else SRC DST; three: SRC DST PORT. */
	if (nw == 1 || (nw == 2 && pv->from[0] != '\0' &&
			(words[1][0] >= '0' && words[1][0] <= '9'))) {
		src = pv->from;
		dst = words[0];
		port = nw == 2 ? words[1] : NULL;
	} else {
		src = words[0];
		dst = words[1];
		port = nw == 3 ? words[2] : NULL;
	}
	if (src[0] == '\0') {
		kn_lines_add(out, "  no pod selected: give SRC DST [PORT]");
		return;
	}
	if ((ix = kn_policy_index_new(v->app->model)) == NULL)
		return;
	rc = kn_np_ask(v->app->model, ix, src, dst, port, v->ns, &res, err,
		       sizeof(err));
	if (rc != 0) {
		kn_lines_add_role(out, KN_ROLE_ERROR, "  %s", err);
		kn_policy_index_free(ix);
		return;
	}
	kn_np_result_lines(&res, &lines);
	for (i = 0; i < lines.n; i++)
		kn_lines_add_role(
			out,
			strncmp(lines.v[i], "ALLOWED", 7) == 0
				? (res.allowed ? KN_ROLE_OK : KN_ROLE_ERROR)
				: KN_ROLE_NORMAL,
			"  %s", lines.v[i]);
	kn_strs_clear(&lines);
	kn_np_result_release(&res);
	kn_policy_index_free(ix);
}

static void
kn_pol_matrix(struct kn_pane *p, const struct kn_pane_view *v, const char *text,
	      struct kn_lines *out)
{
	struct kn_np_port_ask ask;
	struct kn_policy_index *ix;
	struct kn_pod **pods;
	struct kn_strs lines = {0};
	char err[256];
	size_t n = 0, i, total = kn_table_visible(p->table), allowed;
	bool *cells;

	kn_lines_add(out, "Reachability matrix");
	if (!kn_np_port_parse(text, &ask, err, sizeof(err))) {
		kn_lines_add_role(out, KN_ROLE_ERROR, "  %s", err);
		return;
	}
	/* The pods shown, in the table's order (its filter honoured). */
	pods = kn_xcalloc(total ? total : 1, sizeof(*pods));
	for (i = 0; i < total && n < KN_POL_MATRIX_MAX; i++) {
		const struct kn_pod *pod =
			kn_pol_at(p, kn_table_row_at(p->table, i));

		if (pod != NULL && pod->nips > 0)
			pods[n++] = (struct kn_pod *)pod;
	}
	if (n == 0 || (ix = kn_policy_index_new(v->app->model)) == NULL) {
		kn_lines_add(out, "  no pods with an address to show");
		free(pods);
		return;
	}
	cells = kn_xcalloc(n * n, sizeof(*cells));
	allowed = kn_np_matrix(v->app->model, ix, pods, n, &ask, cells);
	kn_lines_add(out,
		     "  %s; '.' allowed, 'X' denied; rows: from, "
		     "columns: to",
		     ask.any ? "any port" : text);
	if (total > n)
		kn_lines_add_role(out, KN_ROLE_WARNING,
				  "  the first %zu of %zu pods shown (filter "
				  "with / or :ns to choose)",
				  n, total);
	kn_lines_add(out, "  %zu of %zu pairs allowed", allowed, n * n);
	kn_np_matrix_lines(pods, n, cells, &lines);
	for (i = 0; i < lines.n; i++)
		kn_lines_add(out, "  %s", lines.v[i]);
	kn_strs_clear(&lines);
	free(cells);
	free(pods);
	kn_policy_index_free(ix);
}

/* Every policy of the namespace shown whose name holds text: its types,
 * the pods it selects, and its rules in words. */
static void
kn_pol_list(struct kn_pane *p, const struct kn_pane_view *v, const char *text,
	    struct kn_lines *out)
{
	const struct kn_model *m = v->app->model;
	struct kn_obj **nps, **pods;
	char sel[512];
	size_t n, np, i, k, sel_pods, shown = 0;

	n = kn_model_list(m, KN_NETPOL, v->ns, &nps);
	np = kn_model_list(m, KN_POD, v->ns, &pods);
	kn_lines_add(out, "NetworkPolicies%s%s%s%s%s", v->ns ? " in " : "",
		     v->ns ? v->ns : "", text[0] ? " named *" : "", text,
		     text[0] ? "*" : "");
	for (i = 0; i < n; i++) {
		const struct kn_netpol *pol = (const struct kn_netpol *)nps[i];

		if (text[0] && strstr(pol->o.name, text) == NULL)
			continue;
		for (k = 0, sel_pods = 0; k < np; k++)
			sel_pods += kn_netpol_selects(
				pol, (const struct kn_pod *)pods[k]);
		kn_lines_add(out, "%s/%s  (%s%s%s; pods %s: %zu selected)",
			     pol->o.ns, pol->o.name,
			     pol->ingress_type ? "Ingress" : "",
			     pol->ingress_type && pol->egress_type ? ", " : "",
			     pol->egress_type ? "Egress" : "",
			     kn_selector_text(&pol->pod_sel, sel, sizeof(sel)),
			     sel_pods);
		kn_pol_rules(pol, false, out);
		kn_pol_rules(pol, true, out);
		shown++;
	}
	if (shown == 0)
		kn_lines_add_role(out, KN_ROLE_DIMMED, "  none");
	free(nps);
	free(pods);
}

void
kn_pane_policies_can(struct kn_pane *p, const struct kn_pane_view *v,
		     const char *text, struct kn_lines *out)
{
	struct pol_priv *pv = p->priv;

	if (v->app->model == NULL) {
		kn_lines_add(out, "Can");
		kn_lines_add(out, "  no cluster data to answer from");
		return;
	}
	pv->from[0] = '\0';
	kn_pol_can(p, v, text, out);
}

static void
kn_pol_prompt(struct kn_pane *p, const struct kn_pane_view *v, const char *text,
	      struct kn_lines *out)
{
	struct pol_priv *pv = p->priv;

	if (v->app->model == NULL) {
		kn_lines_add(out, "Policies");
		kn_lines_add(out, "  no cluster data to answer from");
		return;
	}
	if (pv->asking == KN_POL_ACT_MATRIX)
		kn_pol_matrix(p, v, text, out);
	else if (pv->asking == KN_POL_ACT_LIST)
		kn_pol_list(p, v, text, out);
	else
		kn_pol_can(p, v, text, out);
}

const struct kn_pane_ops kn_pane_policies_ops = {
	.id = KN_PANE_POLICIES,
	.title = "Policies",
	.view = &kn_view_policies,
	.objects = true,
	.sort_col = 0,
	.keys = &kn_pol_keys,
	.deps = KN_DEP(KN_POD) | KN_DEP(KN_NETPOL) | KN_DEP(KN_NAMESPACE) |
		KN_DEP(KN_SERVICE) | KN_DEP_POD_LABELS,
	.init = kn_pol_init,
	.free = kn_pol_free,
	.key = kn_pol_key,
	.detail = kn_pol_detail,
	.prompt = kn_pol_prompt,
};
