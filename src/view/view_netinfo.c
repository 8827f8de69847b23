/* Cluster networking shared by the DNS and Nodes views: the CNI and its
 * DaemonSet, kube-proxy's mode, and on a node its CNI configuration and
 * kubelet DNS settings, with their mismatches as problems. */
#include <stdio.h>
#include <string.h>

#include "k8snet/model.h"
#include "k8snet/nodeview.h"
#include "k8snet/view.h"

#define HOST(cx) kn_nodeview_host((cx)->nodeview)
#define CNI_DS(cx) kn_nodeview_cni_ds((cx)->model)

static void
g_cni(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = kn_model_cni(cx->model);
}

static void
g_ds_ns(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = CNI_DS(cx)->o.ns;
}

static void
g_ds_name(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = CNI_DS(cx)->o.name;
}

static void
g_ds_desired(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->u = CNI_DS(cx)->desired;
}

static void
g_ds_ready(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->u = CNI_DS(cx)->ready;
}

static const struct kn_vcol ds_cols[] = {
	{.key = "namespace",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_ds_ns},
	{.key = "name",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_ds_name},
	{.key = "desired",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_ds_desired},
	{.key = "ready",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_ds_ready},
};

static void
g_ds(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->sub = ds_cols;
	v->nsub = sizeof(ds_cols) / sizeof(ds_cols[0]);
	v->sub_row = kn_vrow_same;
	v->null = CNI_DS(cx) == NULL;
}

static void
g_proxy_mode(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->s = kn_nodeview_proxy_mode(cx->model);
}

static void
g_local_node(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->s = kn_nodeview_local_node(cx->nodeview);
}

/* ---- host{}: what the node's own files say ---- */

static const char *
or_null(const char *s)
{
	return s[0] ? s : NULL;
}

static void
g_h_root(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = HOST(cx)->root;
}

static void
g_h_node(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = HOST(cx)->node;
}

static void
g_cni_file(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->s = HOST(cx)->cni.file;
}

static void
g_cni_name(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->s = HOST(cx)->cni.name;
}

static void
g_cni_plugin(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->s = or_null(HOST(cx)->cni.detected);
}

static void
g_cni_types(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->arr = HOST(cx)->cni.plugins[0].type;
	v->stride = sizeof(HOST(cx)->cni.plugins[0]);
	v->n = HOST(cx)->cni.nplugins;
}

static void
g_cni_ipam(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->s = or_null(HOST(cx)->cni.ipam_type);
}

static void
g_cni_subnets(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	v->arr = HOST(cx)->cni.subnets[0];
	v->stride = sizeof(HOST(cx)->cni.subnets[0]);
	v->n = HOST(cx)->cni.nsubnets;
}

static void
g_cni_mtu(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->i = HOST(cx)->cni.mtu;
	v->null = HOST(cx)->cni.mtu == 0;
}

static const struct kn_vcol cni_cols[] = {
	{.key = "file",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_cni_file},
	{.key = "name",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_cni_name},
	{.key = "plugin",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_cni_plugin},
	{.key = "types",
	 .type = KN_VT_STRS,
	 .flags = KN_VC_JSON,
	 .get = g_cni_types},
	{.key = "ipam",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_cni_ipam},
	{.key = "subnets",
	 .type = KN_VT_STRS,
	 .flags = KN_VC_JSON,
	 .get = g_cni_subnets},
	{.key = "mtu",
	 .type = KN_VT_INT,
	 .flags = KN_VC_JSON,
	 .get = g_cni_mtu},
};

static void
g_h_cni(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->sub = cni_cols;
	v->nsub = sizeof(cni_cols) / sizeof(cni_cols[0]);
	v->sub_row = kn_vrow_same;
	v->null = !HOST(cx)->have_cni;
}

static void
g_h_cni_err(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->s = HOST(cx)->cni_err;
	v->absent = HOST(cx)->have_cni;
}

static void
g_kl_dns(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->arr = HOST(cx)->kubelet.cluster_dns[0];
	v->stride = sizeof(HOST(cx)->kubelet.cluster_dns[0]);
	v->n = HOST(cx)->kubelet.ncluster_dns;
}

static void
g_kl_domain(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->s = or_null(HOST(cx)->kubelet.cluster_domain);
}

static void
g_kl_plugin(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->s = or_null(HOST(cx)->kubelet.network_plugin);
}

static const struct kn_vcol kubelet_cols[] = {
	{.key = "clusterDNS",
	 .type = KN_VT_STRS,
	 .flags = KN_VC_JSON,
	 .get = g_kl_dns},
	{.key = "clusterDomain",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_kl_domain},
	{.key = "networkPlugin",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_kl_plugin},
};

static void
g_h_kubelet(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->sub = kubelet_cols;
	v->nsub = sizeof(kubelet_cols) / sizeof(kubelet_cols[0]);
	v->sub_row = kn_vrow_same;
	v->null = !HOST(cx)->have_kubelet;
}

static void
g_h_notes(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->strs = (const char *const *)HOST(cx)->notes.v;
	v->n = HOST(cx)->notes.n;
}

static const struct kn_vcol host_cols[] = {
	{.key = "root",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_h_root},
	{.key = "node",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_h_node},
	{.key = "cniConf",
	 .type = KN_VT_OBJ,
	 .flags = KN_VC_JSON,
	 .get = g_h_cni},
	{.key = "cniConfError",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON | KN_VC_OPT,
	 .get = g_h_cni_err},
	{.key = "kubelet",
	 .type = KN_VT_OBJ,
	 .flags = KN_VC_JSON,
	 .get = g_h_kubelet},
	{.key = "notes",
	 .type = KN_VT_STRS,
	 .flags = KN_VC_JSON,
	 .get = g_h_notes},
};

static void
g_host(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->sub = host_cols;
	v->nsub = sizeof(host_cols) / sizeof(host_cols[0]);
	v->sub_row = kn_vrow_same;
	v->null = !HOST(cx)->present;
}

static void
g_problems(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->strs = (const char *const *)HOST(cx)->problems.v;
	v->n = HOST(cx)->problems.n;
}

static const struct kn_vcol netinfo_cols[] = {
	{.key = "cni", .type = KN_VT_TEXT, .flags = KN_VC_JSON, .get = g_cni},
	{.key = "cniDaemonSet",
	 .type = KN_VT_OBJ,
	 .flags = KN_VC_JSON,
	 .get = g_ds},
	{.key = "kubeProxyMode",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_proxy_mode},
	{.key = "localNode",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_local_node},
	{.key = "host", .type = KN_VT_OBJ, .flags = KN_VC_JSON, .get = g_host},
	{.key = "problems",
	 .type = KN_VT_STRS,
	 .flags = KN_VC_JSON,
	 .get = g_problems},
};

void
kn_vget_netinfo(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	v->sub = netinfo_cols;
	v->nsub = sizeof(netinfo_cols) / sizeof(netinfo_cols[0]);
	v->sub_row = kn_vrow_same;
}

void
kn_view_netinfo_text(const struct kn_vctx *cx, struct kn_strs *t)
{
	const struct kn_daemonset *ds = CNI_DS(cx);
	const struct kn_nv_host *h = HOST(cx);
	const char *cni = kn_model_cni(cx->model), *mode;
	size_t i;

	mode = kn_nodeview_proxy_mode(cx->model);
	if (ds != NULL)
		kn_strs_addf(t,
			     "CNI:            %s (DaemonSet %s/%s, %u/%u "
			     "ready)",
			     cni != NULL ? cni : "?", ds->o.ns, ds->o.name,
			     ds->ready, ds->desired);
	else
		kn_strs_addf(t, "CNI:            %s",
			     cni != NULL ? cni : "<not detected>");
	kn_strs_addf(t, "kube-proxy:     %s",
		     mode == NULL ? "<mode not known: no "
				    "kube-system/kube-proxy ConfigMap>"
		     : mode[0]	  ? mode
				  : "iptables (the default; config says \"\")");
	if (h->present) {
		kn_strs_addf(t, "This node:      %s (files under %s)",
			     h->node != NULL ? h->node
					     : "<not a node of this cluster>",
			     h->root);
		if (h->have_cni)
			kn_strs_addf(t, "  CNI conf:     %s (%s, ipam %s)",
				     h->cni.file,
				     h->cni.detected[0] ? h->cni.detected : "?",
				     h->cni.ipam_type[0] ? h->cni.ipam_type
							 : "-");
		else
			kn_strs_addf(t, "  CNI conf:     %s",
				     h->cni_err[0] ? h->cni_err : "none");
		if (h->have_kubelet)
			kn_strs_addf(t,
				     "  kubelet:      clusterDNS %s, "
				     "clusterDomain %s",
				     h->kubelet.ncluster_dns
					     ? h->kubelet.cluster_dns[0]
					     : "-",
				     h->kubelet.cluster_domain[0]
					     ? h->kubelet.cluster_domain
					     : "-");
		for (i = 0; i < h->notes.n; i++)
			kn_strs_addf(t, "  note:         %s", h->notes.v[i]);
	}
	for (i = 0; i < h->problems.n; i++)
		kn_strs_addf(t, "PROBLEM:        %s", h->problems.v[i]);
}
