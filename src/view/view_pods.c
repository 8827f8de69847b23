/* The Pods view: every pod with its readiness, restarts, IPs and node. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/model.h"
#include "k8snet/view.h"

#define POD(r) ((const struct kn_pod *)(r)->obj)

static void
g_phase(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = kn_phase_name(POD(r)->phase);
}

static void
g_ready(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->u = POD(r)->ready_containers;
	v->u2 = POD(r)->containers;
}

static void
g_ready_containers(const struct kn_vctx *cx, const struct kn_vrow *r,
		   struct kn_value *v)
{
	v->u = POD(r)->ready_containers;
}

static void
g_containers(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->u = POD(r)->containers;
}

static void
g_pod_ready(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->b = POD(r)->ready;
}

static void
g_status(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = POD(r)->status;
}

static void
g_restarts(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->u = POD(r)->restarts;
}

void
kn_vget_pod_ip(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	if (POD(r)->nips)
		v->ip = POD(r)->ips[0];
}

static void
g_pod_ips(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->ips = POD(r)->ips;
	v->n = POD(r)->nips;
}

static void
g_node(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = POD(r)->node;
}

static void
g_host_ip(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->ip = POD(r)->host_ip;
}

void
kn_vget_host_network(const struct kn_vctx *cx, const struct kn_vrow *r,
		     struct kn_value *v)
{
	v->b = POD(r)->host_network;
}

static void
g_owner_kind(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->s = POD(r)->owner_kind;
}

static void
g_owner_name(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->s = POD(r)->owner_name;
}

static const struct kn_vcol owner_cols[] = {
	{.key = "kind",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_owner_kind},
	{.key = "name",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_owner_name},
};

static void
g_owner(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->sub = owner_cols;
	v->nsub = 2;
	v->sub_row = kn_vrow_same;
	v->null = POD(r)->owner_kind == NULL;
}

static void
g_owner_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	if (POD(r)->owner_kind == NULL)
		return;
	snprintf(v->buf, v->cap, "%s/%s", POD(r)->owner_kind,
		 POD(r)->owner_name);
	v->s = v->buf;
}

static const struct kn_vcol cols[] = {
	{"NAMESPACE", NULL, "namespace", KN_VT_TEXT,
	 KN_VC_ALL | KN_VC_ID | KN_VC_NS | KN_VC_MIDDLE, 9, 24, 1, false,
	 kn_vget_ns},
	{"NAME", NULL, "name", KN_VT_TEXT, KN_VC_ALL | KN_VC_ID | KN_VC_MIDDLE,
	 12, 0, 3, false, kn_vget_name},
	{NULL, NULL, "phase", KN_VT_TEXT, KN_VC_JSON, 0, 0, 0, false, g_phase},
	{"READY", NULL, "ready", KN_VT_COUNT, KN_VC_ALL, 5, 7, 0, true,
	 g_ready},
	{NULL, NULL, "readyContainers", KN_VT_UINT, KN_VC_JSON, 0, 0, 0, false,
	 g_ready_containers},
	{NULL, NULL, "containers", KN_VT_UINT, KN_VC_JSON, 0, 0, 0, false,
	 g_containers},
	{NULL, NULL, "podReady", KN_VT_BOOL, KN_VC_JSON, 0, 0, 0, false,
	 g_pod_ready},
	{"STATUS", NULL, "status", KN_VT_TEXT, KN_VC_ALL | KN_VC_WHOLE, 7, 18,
	 0, false, g_status},
	{"RESTARTS", NULL, "restarts", KN_VT_UINT, KN_VC_ALL, 8, 10, 0, true,
	 g_restarts},
	{"IP", NULL, "podIP", KN_VT_IP, KN_VC_ALL, 9, 39, 1, false,
	 kn_vget_pod_ip},
	{"POD-IPS", NULL, "podIPs", KN_VT_IPS,
	 KN_VC_JSON | KN_VC_TABLE | KN_VC_WIDE, 0, 0, 0, false, g_pod_ips},
	{"NODE", NULL, "node", KN_VT_TEXT, KN_VC_ALL | KN_VC_MIDDLE, 6, 0, 1,
	 false, g_node},
	{"HOST-IP", NULL, "hostIP", KN_VT_IP,
	 KN_VC_JSON | KN_VC_TABLE | KN_VC_WIDE, 0, 0, 0, false, g_host_ip},
	{"HOSTNETWORK", NULL, "hostNetwork", KN_VT_BOOL,
	 KN_VC_JSON | KN_VC_TABLE | KN_VC_WIDE, 0, 0, 0, false,
	 kn_vget_host_network},
	{NULL, NULL, "owner", KN_VT_OBJ, KN_VC_JSON, 0, 0, 0, false, g_owner},
	{"OWNER", NULL, NULL, KN_VT_TEXT, KN_VC_TABLE | KN_VC_WIDE, 0, 0, 0,
	 false, g_owner_text},
	{NULL, NULL, "planned", KN_VT_BOOL, KN_VC_JSON | KN_VC_OPT, 0, 0, 0,
	 false, kn_vget_planned},
};

/* kubectl's column order: the wide columns after NODE. */
static const uint8_t order[] = {0, 1, 3, 7, 8, 9, 11, 12, 13, 10, 15};

enum kn_vtone
kn_view_pod_tone(const struct kn_pod *pod)
{
	if (pod->phase == KN_PHASE_FAILED ||
	    (pod->status != NULL && (strstr(pod->status, "BackOff") != NULL ||
				     strstr(pod->status, "Err") != NULL)))
		return KN_VTONE_ERROR;
	if (pod->phase == KN_PHASE_SUCCEEDED)
		return KN_VTONE_DIM;
	return pod->ready ? KN_VTONE_NORMAL : KN_VTONE_WARN;
}

static void
build(struct kn_view *v, const struct kn_vctx *cx)
{
	struct kn_obj **objs;
	size_t n, i;

	n = kn_model_list(cx->model, KN_POD, cx->ns, &objs);
	for (i = 0; i < n; i++)
		kn_view_add(v, objs[i], 0, 0,
			    kn_view_pod_tone((const struct kn_pod *)objs[i]));
	free(objs);
}

const struct kn_view_def kn_view_pods = {
	.pane = "pods",
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.order = order,
	.norder = sizeof(order),
	.empty = "pods",
	.build = build,
};
