/* The Ingress view: one row per rule path, traced through its service
 * and port to the endpoints, with the first broken hop as its status. */
#include <stdio.h>
#include <stdlib.h>

#include "k8snet/model.h"
#include "k8snet/model_query.h"
#include "k8snet/view.h"

#define ING(r) ((const struct kn_ingress *)(r)->obj)
#define PATH(r) (&ING(r)->paths[(r)->j])
#define CHAIN(r) ((const struct kn_ing_chain *)(r)->aux)

static void
g_class(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = CHAIN(r)->class_name;
}

static void
g_controller(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->s = CHAIN(r)->controller;
}

static void
g_host(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = PATH(r)->host;
}

/* The table's HOST: "*" for any host. */
static void
g_host_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->s = PATH(r)->host != NULL ? PATH(r)->host : "*";
}

static void
g_path(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = PATH(r)->path;
}

static void
g_path_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->s = PATH(r)->is_default ? "(default)" : PATH(r)->path;
}

static void
g_path_type(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->s = PATH(r)->is_default ? NULL
				   : kn_path_type_name(PATH(r)->path_type);
}

static void
g_path_type_text(const struct kn_vctx *cx, const struct kn_vrow *r,
		 struct kn_value *v)
{
	v->s = PATH(r)->is_default ? "-"
				   : kn_path_type_name(PATH(r)->path_type);
}

static void
g_be_service(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->s = PATH(r)->service;
}

/* A port name as text, a number, or null: no service, or none given. */
static void
g_be_port(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	if (PATH(r)->service == NULL ||
	    (PATH(r)->port_name == NULL && PATH(r)->port_number == 0)) {
		v->null = true;
	} else if (PATH(r)->port_name != NULL) {
		v->type = KN_VT_TEXT;
		v->s = PATH(r)->port_name;
	} else {
		v->u = PATH(r)->port_number;
	}
}

static void
g_res_group(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->s = PATH(r)->res_group;
}

static void
g_res_kind(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->s = PATH(r)->res_kind;
}

static void
g_res_name(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->s = PATH(r)->res_name;
}

static const struct kn_vcol resource_cols[] = {
	{.key = "apiGroup",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_res_group},
	{.key = "kind",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_res_kind},
	{.key = "name",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_res_name},
};

/* backend.resource{apiGroup, kind, name}, null unless a resource
 * backend. */
static void
g_be_resource(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	if (PATH(r)->res_kind == NULL) {
		v->null = true;
		return;
	}
	v->sub = resource_cols;
	v->nsub = sizeof(resource_cols) / sizeof(resource_cols[0]);
	v->sub_row = kn_vrow_same;
}

static const struct kn_vcol backend_cols[] = {
	{.key = "service",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_be_service},
	{.key = "port",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_be_port},
	{.key = "resource",
	 .type = KN_VT_OBJ,
	 .flags = KN_VC_JSON,
	 .get = g_be_resource},
};

static void
g_backend(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->sub = backend_cols;
	v->nsub = sizeof(backend_cols) / sizeof(backend_cols[0]);
	v->sub_row = kn_vrow_same;
}

/* "svc:port", "Kind.group/name" or "(none)". */
static void
g_backend_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	v->s = kn_ing_backend_text(PATH(r), v->buf, v->cap);
}

static void
g_default(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->b = PATH(r)->is_default;
}

static void
g_tls(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->b = PATH(r)->tls;
}

static void
g_tls_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->s = PATH(r)->tls ? "yes" : "no";
}

static void
g_addresses(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->strs = (const char *const *)ING(r)->addresses;
	v->n = ING(r)->naddresses;
}

/* endpoints{ready, notReady} */
static void
ep_row(const struct kn_vrow *parent, size_t k, struct kn_vrow *out)
{
	*out = *parent;
	out->aux = &CHAIN(parent)->endpoints;
}

static void
g_endpoints(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	kn_value_endpoints(v, ep_row);
}

static void
g_endpoints_text(const struct kn_vctx *cx, const struct kn_vrow *r,
		 struct kn_value *v)
{
	v->u = CHAIN(r)->endpoints.ready;
	v->u2 = CHAIN(r)->endpoints.ready + CHAIN(r)->endpoints.not_ready;
}

static void
g_status(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = kn_ing_status_name(CHAIN(r)->status);
}

#define TC (KN_VC_TABLE | KN_VC_CONSOLE)

static const struct kn_vcol cols[] = {
	{"NAMESPACE", NULL, "namespace", KN_VT_TEXT,
	 KN_VC_ALL | KN_VC_ID | KN_VC_NS | KN_VC_MIDDLE, 9, 20, 1, false,
	 kn_vget_ns},
	{"INGRESS", NULL, "name", KN_VT_TEXT,
	 KN_VC_ALL | KN_VC_ID | KN_VC_MIDDLE, 8, 0, 1, false, kn_vget_name},
	{"CLASS", NULL, "class", KN_VT_TEXT, KN_VC_ALL, 5, 14, 0, false,
	 g_class},
	{"CONTROLLER", NULL, "controller", KN_VT_TEXT,
	 KN_VC_JSON | KN_VC_TABLE | KN_VC_WIDE, 0, 0, 0, false, g_controller},
	{NULL, NULL, "host", KN_VT_TEXT, KN_VC_JSON, 0, 0, 0, false, g_host},
	{"HOST", NULL, NULL, KN_VT_TEXT, TC | KN_VC_ID | KN_VC_MIDDLE, 6, 0, 2,
	 false, g_host_text},
	{NULL, NULL, "path", KN_VT_TEXT, KN_VC_JSON, 0, 0, 0, false, g_path},
	{"PATH", NULL, NULL, KN_VT_TEXT, TC | KN_VC_ID | KN_VC_MIDDLE, 4, 0, 2,
	 false, g_path_text},
	{NULL, NULL, "pathType", KN_VT_TEXT, KN_VC_JSON, 0, 0, 0, false,
	 g_path_type},
	{"TYPE", NULL, NULL, KN_VT_TEXT, TC, 6, 22, 0, false, g_path_type_text},
	{NULL, NULL, "backend", KN_VT_OBJ, KN_VC_JSON, 0, 0, 0, false,
	 g_backend},
	{"BACKEND", NULL, NULL, KN_VT_TEXT, TC | KN_VC_MIDDLE, 8, 0, 1, false,
	 g_backend_text},
	{NULL, NULL, "defaultBackend", KN_VT_BOOL, KN_VC_JSON, 0, 0, 0, false,
	 g_default},
	{NULL, NULL, "tls", KN_VT_BOOL, KN_VC_JSON, 0, 0, 0, false, g_tls},
	{"ADDRESS", NULL, "addresses", KN_VT_STRS, KN_VC_ALL | KN_VC_MIDDLE, 7,
	 39, 1, false, g_addresses},
	{NULL, NULL, "endpoints", KN_VT_OBJ, KN_VC_JSON, 0, 0, 0, false,
	 g_endpoints},
	{"ENDPOINTS", NULL, NULL, KN_VT_COUNT, TC, 9, 12, 0, true,
	 g_endpoints_text},
	{"TLS", NULL, NULL, KN_VT_TEXT, TC | KN_VC_WHOLE, 3, 5, 0, false,
	 g_tls_text},
	{"STATUS", NULL, "status", KN_VT_TEXT, KN_VC_ALL | KN_VC_WHOLE, 6, 16,
	 0, false, g_status},
	{NULL, NULL, "planned", KN_VT_BOOL, KN_VC_JSON | KN_VC_OPT, 0, 0, 0,
	 false, kn_vget_planned},
};

static const uint8_t order[] = {0, 1, 2, 3, 5, 7, 9, 11, 16, 17, 14, 18};

/* A resource backend is not traced, so not broken; any other status
 * but ok is the first broken hop. */
static uint8_t
tone(uint8_t status)
{
	if (status == KN_ING_OK || status == KN_ING_RESOURCE_BACKEND)
		return KN_VTONE_NORMAL;
	return KN_VTONE_ERROR;
}

/* One row per path of each ingress; an error unless the chain is whole. */
static void
build(struct kn_view *v, const struct kn_vctx *cx)
{
	const struct kn_ingress *ing;
	struct kn_ing_chain *c;
	struct kn_obj **objs;
	size_t n, i, k;

	n = kn_model_list(cx->model, KN_INGRESS, cx->ns, &objs);
	for (i = 0; i < n; i++) {
		ing = (const struct kn_ingress *)objs[i];
		for (k = 0; k < ing->npaths; k++) {
			c = kn_view_alloc(v, sizeof(*c));
			kn_model_ingress_chain(cx->model, ing, k, c);
			kn_view_add(v, ing, 0, (uint32_t)k, tone(c->status))
				->aux = c;
		}
	}
	free(objs);
}

const struct kn_view_def kn_view_ingress = {
	.pane = "ingress",
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.order = order,
	.norder = sizeof(order),
	.empty = "ingress rules",
	.build = build,
};
