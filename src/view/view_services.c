/* The Services view: every service with its addresses, ports, endpoint
 * counts, the DNS names the cluster serves for it and its problems. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/model.h"
#include "k8snet/model_query.h"
#include "k8snet/view.h"

#define SVC(r) ((const struct kn_service *)(r)->obj)
#define AUX(r) ((const struct svc_aux *)(r)->aux)

/* What a row derives once from the model. */
struct svc_aux {
	struct kn_ep_count ep;
	const char **names; /* unique forward names (no PTR) */
	const char **probs;
	const char **selector; /* key, value pairs */
	size_t nnames, nprobs;
};

static void
g_type(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = kn_svc_type_name(SVC(r)->type);
}

/* "None" for a headless service, else the first cluster IP. */
static void
g_cluster_ip(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	if (SVC(r)->headless) {
		v->type = KN_VT_TEXT;
		v->s = "None";
	} else if (SVC(r)->ncluster_ips) {
		v->ip = SVC(r)->cluster_ips[0];
	}
}

static void
g_cluster_ips(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	v->ips = SVC(r)->cluster_ips;
	v->n = SVC(r)->ncluster_ips;
}

/* The table's CLUSTER-IP: every address, or "None". */
static void
g_cluster_ips_text(const struct kn_vctx *cx, const struct kn_vrow *r,
		   struct kn_value *v)
{
	if (SVC(r)->headless) {
		v->type = KN_VT_TEXT;
		v->s = "None";
		return;
	}
	g_cluster_ips(cx, r, v);
}

static void
g_external_ips(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	v->strs = (const char *const *)SVC(r)->external;
	v->n = SVC(r)->nexternal;
}

static void
g_external_text(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	kn_service_external_text(SVC(r), v->buf, v->cap);
	v->s = v->buf;
}

static void
g_external_name(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	v->s = SVC(r)->external_name;
}

/* ---- ports[]: one nested object per service port ---- */

#define PORT(r) (&SVC(r)->ports[(r)->j])

static void
g_port_name(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->s = PORT(r)->name;
}

static void
g_port_proto(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->s = kn_proto_name(PORT(r)->proto);
}

static void
g_port_port(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->u = PORT(r)->port;
}

/* A named targetPort as text, else its number. */
static void
g_port_target(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	if (PORT(r)->target_name != NULL) {
		v->type = KN_VT_TEXT;
		v->s = PORT(r)->target_name;
	} else {
		v->u = PORT(r)->target_port;
	}
}

static void
g_port_node(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->u = PORT(r)->node_port;
	v->null = PORT(r)->node_port == 0;
}

static const struct kn_vcol port_cols[] = {
	{.key = "name",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_port_name},
	{.key = "protocol",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_port_proto},
	{.key = "port",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_port_port},
	{.key = "targetPort",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_port_target},
	{.key = "nodePort",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_port_node},
};

static void
g_ports(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->sub = port_cols;
	v->nsub = sizeof(port_cols) / sizeof(port_cols[0]);
	v->sub_row = kn_vrow_sub_j;
	v->n = SVC(r)->nports;
}

static void
g_ports_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	kn_service_ports_text(SVC(r), v->buf, v->cap);
	v->s = v->buf;
}

static void
g_selector(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->strs = AUX(r)->selector;
	v->n = SVC(r)->nselector;
	v->null = !SVC(r)->has_selector;
}

/* ---- endpoints{ready, notReady} ---- */

static void
ep_row(const struct kn_vrow *parent, size_t k, struct kn_vrow *out)
{
	*out = *parent;
	out->aux = &AUX(parent)->ep;
}

static void
g_endpoints(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	kn_value_endpoints(v, ep_row);
}

/* "ready/total"; "-" for an ExternalName service (no endpoints). */
static void
g_endpoints_text(const struct kn_vctx *cx, const struct kn_vrow *r,
		 struct kn_value *v)
{
	if (SVC(r)->type == KN_SVC_EXTERNALNAME) {
		v->type = KN_VT_TEXT;
		v->s = "-";
		return;
	}
	v->u = AUX(r)->ep.ready;
	v->u2 = AUX(r)->ep.ready + AUX(r)->ep.not_ready;
}

static void
g_dns(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->strs = AUX(r)->names;
	v->n = AUX(r)->nnames;
}

static void
g_dns_name(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->s = AUX(r)->nnames ? AUX(r)->names[0] : NULL;
}

static void
g_problems(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->strs = AUX(r)->probs;
	v->n = AUX(r)->nprobs;
	v->sep = "; ";
}

/* The table's PROBLEMS: "-" when there is none. */
static void
g_problems_text(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	if (AUX(r)->nprobs == 0) {
		v->type = KN_VT_TEXT;
		v->s = "-";
		return;
	}
	g_problems(cx, r, v);
}

static const struct kn_vcol cols[] = {
	{"NAMESPACE", NULL, "namespace", KN_VT_TEXT,
	 KN_VC_ALL | KN_VC_ID | KN_VC_NS | KN_VC_MIDDLE, 9, 24, 1, false,
	 kn_vget_ns},
	{"NAME", NULL, "name", KN_VT_TEXT, KN_VC_ALL | KN_VC_ID | KN_VC_MIDDLE,
	 10, 0, 2, false, kn_vget_name},
	{"TYPE", NULL, "type", KN_VT_TEXT, KN_VC_ALL | KN_VC_WHOLE, 9, 12, 0,
	 false, g_type},
	{NULL, NULL, "clusterIP", KN_VT_IP, KN_VC_JSON, 0, 0, 0, false,
	 g_cluster_ip},
	{"CLUSTER-IP", NULL, NULL, KN_VT_IPS, KN_VC_TABLE | KN_VC_CONSOLE, 10,
	 39, 0, false, g_cluster_ips_text},
	{NULL, NULL, "clusterIPs", KN_VT_IPS, KN_VC_JSON, 0, 0, 0, false,
	 g_cluster_ips},
	{NULL, NULL, "externalIPs", KN_VT_STRS, KN_VC_JSON, 0, 0, 0, false,
	 g_external_ips},
	{"EXTERNAL-IP", "EXTERNAL", NULL, KN_VT_TEXT,
	 KN_VC_TABLE | KN_VC_CONSOLE | KN_VC_MIDDLE, 8, 39, 0, false,
	 g_external_text},
	{NULL, NULL, "externalName", KN_VT_TEXT, KN_VC_JSON, 0, 0, 0, false,
	 g_external_name},
	{NULL, NULL, "ports", KN_VT_OBJS, KN_VC_JSON, 0, 0, 0, false, g_ports},
	{"PORT(S)", "PORTS", NULL, KN_VT_TEXT, KN_VC_TABLE | KN_VC_CONSOLE, 8,
	 0, 1, false, g_ports_text},
	{"SELECTOR", NULL, "selector", KN_VT_MAP,
	 KN_VC_JSON | KN_VC_TABLE | KN_VC_WIDE, 0, 0, 0, false, g_selector},
	{NULL, NULL, "endpoints", KN_VT_OBJ, KN_VC_JSON, 0, 0, 0, false,
	 g_endpoints},
	{"ENDPOINTS", NULL, NULL, KN_VT_COUNT, KN_VC_TABLE | KN_VC_CONSOLE, 9,
	 12, 0, true, g_endpoints_text},
	{NULL, NULL, "dns", KN_VT_STRS, KN_VC_JSON, 0, 0, 0, false, g_dns},
	{"DNS-NAME", "DNS NAME", NULL, KN_VT_TEXT,
	 KN_VC_TABLE | KN_VC_CONSOLE | KN_VC_MIDDLE, 10, 0, 3, false,
	 g_dns_name},
	{NULL, NULL, "problems", KN_VT_STRS, KN_VC_JSON, 0, 0, 0, false,
	 g_problems},
	{"PROBLEMS", NULL, NULL, KN_VT_STRS, KN_VC_TABLE, 0, 0, 0, false,
	 g_problems_text},
	{NULL, NULL, "planned", KN_VT_BOOL, KN_VC_JSON | KN_VC_OPT, 0, 0, 0,
	 false, kn_vget_planned},
};

static const uint8_t order[] = {0, 1, 2, 4, 7, 10, 13, 15, 11, 17};

static void
g_domain(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = kn_model_cluster_domain(cx->model);
}

static const struct kn_vcol head[] = {
	{.key = "clusterDomain",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_domain},
};

/* Copies of strs into the view (n of them). */
static const char **
copy_strs(struct kn_view *v, char *const *strs, size_t n)
{
	const char **out = kn_view_alloc(v, n * sizeof(*out));
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = kn_view_strdup(v, strs[i]);
	return out;
}

/* Unique forward names (A, AAAA, CNAME, SRV) of a service's records. */
static void
dns_names(const struct kn_dnsrecs *recs, struct kn_strs *out)
{
	size_t i, k;
	bool dup;

	for (i = 0; i < recs->n; i++) {
		if (recs->v[i].type == KN_RR_PTR)
			continue;
		dup = false;
		for (k = 0; k < out->n && !dup; k++)
			dup = strcmp(out->v[k], recs->v[i].name) == 0;
		if (!dup)
			kn_strs_add(out, recs->v[i].name);
	}
}

static struct svc_aux *
derive(struct kn_view *v, const struct kn_model *m, const struct kn_service *s)
{
	struct svc_aux *a = kn_view_alloc(v, sizeof(*a));
	struct kn_dnsrecs recs = {0};
	struct kn_strs names = {0}, probs = {0};
	size_t k;

	kn_model_service_dns(m, s, &recs);
	dns_names(&recs, &names);
	kn_model_service_problems(m, s, &probs);
	a->ep = kn_model_service_endpoints(m, s);
	a->names = copy_strs(v, names.v, names.n);
	a->nnames = names.n;
	a->probs = copy_strs(v, probs.v, probs.n);
	a->nprobs = probs.n;
	a->selector = kn_view_alloc(v, 2 * s->nselector * sizeof(char *));
	for (k = 0; k < s->nselector; k++) {
		a->selector[2 * k] = s->selector[k].key;
		a->selector[2 * k + 1] = s->selector[k].value;
	}
	kn_dnsrecs_clear(&recs);
	kn_strs_clear(&names);
	kn_strs_clear(&probs);
	return a;
}

/* Nothing can answer: an error; other problems: warnings. */
static void
build(struct kn_view *v, const struct kn_vctx *cx)
{
	const struct kn_service *s;
	struct svc_aux *a;
	struct kn_obj **objs;
	size_t n, i;

	n = kn_model_list(cx->model, KN_SERVICE, cx->ns, &objs);
	for (i = 0; i < n; i++) {
		s = (const struct kn_service *)objs[i];
		a = derive(v, cx->model, s);
		kn_view_add(v, s, 0, 0,
			    a->nprobs == 0 ? KN_VTONE_NORMAL
			    : s->type != KN_SVC_EXTERNALNAME && a->ep.ready == 0
				    ? KN_VTONE_ERROR
				    : KN_VTONE_WARN)
			->aux = a;
	}
	free(objs);
}

const struct kn_view_def kn_view_services = {
	.pane = "services",
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.order = order,
	.norder = sizeof(order),
	.empty = "services",
	.build = build,
	.head = head,
	.nhead = sizeof(head) / sizeof(head[0]),
};
