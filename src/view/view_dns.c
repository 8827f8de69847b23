/* The DNS view: every record the cluster DNS serves (services, headless
 * endpoints, pods, PTR), with CoreDNS and the node's DNS settings in the
 * document's head. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/ipaddr.h"
#include "k8snet/model.h"
#include "k8snet/view.h"

#define REC(r) ((const struct kn_dnsrec *)(r)->obj)

static void
g_name(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = REC(r)->name;
}

static void
g_type(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = kn_rr_name(REC(r)->type);
}

static void
g_value(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = REC(r)->value;
}

static void
g_source(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = REC(r)->source;
}

/* The owner of an A or AAAA record's address (the pod, service or node
 * it reaches), for -o wide. */
static struct kn_owner
value_owner(const struct kn_vctx *cx, const struct kn_vrow *r)
{
	struct kn_owner o = {KN_OWNER_NONE, NULL};
	struct kn_ipaddr ip;

	if ((REC(r)->type == KN_RR_A || REC(r)->type == KN_RR_AAAA) &&
	    cx->model != NULL && kn_ipaddr_parse(REC(r)->value, &ip))
		o = kn_model_ip_owner(cx->model, &ip);
	return o;
}

static void
g_owner(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	struct kn_owner o = value_owner(cx, r);
	static const char *const kinds[] = {[KN_OWNER_SERVICE] = "service",
					    [KN_OWNER_POD] = "pod",
					    [KN_OWNER_NODE] = "node",
					    [KN_OWNER_SERVICE_EXT] = "service"};

	if (o.obj == NULL) {
		v->null = true;
		return;
	}
	snprintf(v->buf, v->cap, "%s %s%s%s", kinds[o.kind], o.obj->ns,
		 o.obj->ns[0] != '\0' ? "/" : "", o.obj->name);
	v->s = v->buf;
}

static void
g_node(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	struct kn_owner o = value_owner(cx, r);

	if (o.kind == KN_OWNER_POD)
		v->s = ((const struct kn_pod *)o.obj)->node;
	else if (o.kind == KN_OWNER_NODE)
		v->s = o.obj->name;
	v->null = v->s == NULL;
}

static void
g_planned(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->b = REC(r)->planned;
	v->absent = !v->b;
}

static const struct kn_vcol cols[] = {
	{"NAME", NULL, "name", KN_VT_TEXT, KN_VC_ALL | KN_VC_ID | KN_VC_MIDDLE,
	 16, 0, 4, false, g_name},
	{"TYPE", NULL, "type", KN_VT_TEXT, KN_VC_ALL | KN_VC_ID | KN_VC_WHOLE,
	 5, 6, 0, false, g_type},
	{"VALUE", NULL, "value", KN_VT_TEXT,
	 KN_VC_ALL | KN_VC_ID | KN_VC_MIDDLE, 10, 0, 2, false, g_value},
	{"SOURCE", NULL, "source", KN_VT_TEXT, KN_VC_ALL | KN_VC_MIDDLE, 8, 0,
	 1, false, g_source},
	{NULL, NULL, "planned", KN_VT_BOOL, KN_VC_JSON | KN_VC_OPT, 0, 0, 0,
	 false, g_planned},
	/* -o wide: who the address reaches, and where, named in full */
	{"OWNER", NULL, NULL, KN_VT_TEXT, KN_VC_TABLE | KN_VC_WIDE, 0, 0, 0,
	 false, g_owner},
	{"NODE", NULL, NULL, KN_VT_TEXT, KN_VC_TABLE | KN_VC_WIDE, 0, 0, 0,
	 false, g_node},
};

/* ---- the head: cluster domain, CoreDNS, node networking ---- */

#define INFO(r) ((const struct kn_coredns *)(r)->aux)

static void
release_info(void *arg)
{
	kn_coredns_release(arg);
}

static const void *
head_aux(struct kn_view *v, const struct kn_vctx *cx)
{
	struct kn_coredns *info = kn_view_alloc(v, sizeof(*info));

	kn_model_coredns(cx->model, info);
	kn_view_defer(v, release_info, info);
	return info;
}

static void
g_domain(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = INFO(r)->domain;
}

static void
g_cd_service(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	const struct kn_service *s = INFO(r)->service;

	if (s == NULL)
		return;
	snprintf(v->buf, v->cap, "%s/%s", s->o.ns, s->o.name);
	v->s = v->buf;
}

static void
g_cd_ip(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_service *s = INFO(r)->service;

	if (s != NULL && s->ncluster_ips)
		v->ip = s->cluster_ips[0];
}

static void
g_cd_ready(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->u = INFO(r)->pods_ready;
}

static void
g_cd_total(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->u = INFO(r)->pods_total;
}

static void
g_cd_forwarders(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	v->strs = (const char *const *)INFO(r)->forwarders.v;
	v->n = INFO(r)->forwarders.n;
}

static void
g_cd_corefile(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	v->b = INFO(r)->from_corefile;
}

static const struct kn_vcol coredns_cols[] = {
	{.key = "service",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_cd_service},
	{.key = "clusterIP",
	 .type = KN_VT_IP,
	 .flags = KN_VC_JSON,
	 .get = g_cd_ip},
	{.key = "podsReady",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_cd_ready},
	{.key = "podsTotal",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_cd_total},
	{.key = "forwarders",
	 .type = KN_VT_STRS,
	 .flags = KN_VC_JSON,
	 .get = g_cd_forwarders},
	{.key = "fromCorefile",
	 .type = KN_VT_BOOL,
	 .flags = KN_VC_JSON,
	 .get = g_cd_corefile},
};

static void
g_coredns(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->sub = coredns_cols;
	v->nsub = sizeof(coredns_cols) / sizeof(coredns_cols[0]);
	v->sub_row = kn_vrow_same;
}

static const struct kn_vcol head[] = {
	{.key = "clusterDomain",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_domain},
	{.key = "coredns",
	 .type = KN_VT_OBJ,
	 .flags = KN_VC_JSON,
	 .get = g_coredns},
	{.type = KN_VT_OBJ,
	 .flags = KN_VC_JSON | KN_VC_INLINE,
	 .get = kn_vget_netinfo},
};

/* The --once table's preamble: domain, CoreDNS, forwarders, networking. */
static void
text(const struct kn_vctx *cx, struct kn_strs *before, struct kn_strs *after)
{
	struct kn_coredns info;
	char ip[KN_IPSTR], svc[400], fw[1024];
	size_t i, o = 0;

	kn_model_coredns(cx->model, &info);
	kn_strs_addf(before, "Cluster domain: %s%s", info.domain,
		     info.from_corefile ? " (Corefile)"
					: " (not found in a CoreDNS Corefile)");
	svc[0] = '\0';
	if (info.service != NULL)
		snprintf(svc, sizeof(svc), "service %s/%s %s, ",
			 info.service->o.ns, info.service->o.name,
			 info.service->ncluster_ips
				 ? kn_ipaddr_format(
					   &info.service->cluster_ips[0], ip,
					   sizeof(ip))
				 : "<none>");
	kn_strs_addf(before, "CoreDNS:        %s%u/%u pods ready", svc,
		     info.pods_ready, info.pods_total);
	fw[0] = '\0';
	for (i = 0; i < info.forwarders.n && o < sizeof(fw); i++)
		o += (size_t)snprintf(fw + o, sizeof(fw) - o, "%s%s",
				      i ? " " : "", info.forwarders.v[i]);
	kn_strs_addf(before, "Forwarders:     %s",
		     info.forwarders.n ? fw : "<none>");
	kn_view_netinfo_text(cx, before);
	kn_strs_addf(before, "%s", "");
	kn_coredns_release(&info);
}

static void
release_recs(void *arg)
{
	kn_dnsrecs_clear(arg);
}

static void
build(struct kn_view *v, const struct kn_vctx *cx)
{
	struct kn_dnsrecs *recs = kn_view_alloc(v, sizeof(*recs));
	size_t i;

	kn_model_dns_all(cx->model, cx->ns, recs);
	kn_view_defer(v, release_recs, recs);
	for (i = 0; i < recs->n; i++)
		kn_view_add(v, &recs->v[i], 0, 0,
			    recs->v[i].type == KN_RR_PTR ? KN_VTONE_DIM
							 : KN_VTONE_NORMAL);
}

const struct kn_view_def kn_view_dns = {
	.pane = "dns",
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.empty = "DNS records",
	.build = build,
	.head = head,
	.nhead = sizeof(head) / sizeof(head[0]),
	.head_aux = head_aux,
	.text = text,
};
