/* The Routes view: one row per Gateway API route rule x parentRef x
 * backendRef, traced from the Gateway listener through the backend
 * Service to its endpoints, with the first broken hop as its status and
 * the controller's word beside it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/model.h"
#include "k8snet/routes.h"
#include "k8snet/view.h"

#define ROUTE(r) ((const struct kn_route *)(r)->obj)
#define CHAIN(r) ((const struct kn_route_chain *)(r)->aux)
/* A nested object whose getters read the same row. */
#define OBJ(v, cols)                                                           \
	((v)->sub = (cols), (v)->nsub = sizeof(cols) / sizeof((cols)[0]),      \
	 (v)->sub_row = kn_vrow_same)

/* ---- gateway{kind, namespace, name, listener, port, protocol,
 * hostname} ---- */

static void
g_gw_kind(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = CHAIN(r)->parent->ref.kind;
}

static void
g_gw_ns(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = CHAIN(r)->parent->ref.ns;
}

static void
g_gw_name(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = CHAIN(r)->parent->ref.name;
}

/* The listener that takes the route; without one, the sectionName the
 * parentRef asked for. */
static void
g_gw_listener(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	const struct kn_route_chain *c = CHAIN(r);

	v->s = c->nlisteners > 0 ? c->listener->name : c->parent->section;
}

static void
g_gw_port(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_route_chain *c = CHAIN(r);

	v->u = c->nlisteners > 0 ? c->listener->port : c->parent->port;
	v->null = v->u == 0;
}

static const struct kn_gw_listener *
taking(const struct kn_vrow *r)
{
	return CHAIN(r)->nlisteners > 0 ? CHAIN(r)->listener : NULL;
}

static void
g_gw_protocol(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	v->s = taking(r) != NULL ? taking(r)->protocol : NULL;
}

static void
g_gw_hostname(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	v->s = taking(r) != NULL ? taking(r)->hostname : NULL;
}

static const struct kn_vcol gw_cols[] = {
	{.key = "kind",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_gw_kind},
	{.key = "namespace",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_gw_ns},
	{.key = "name",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_gw_name},
	{.key = "listener",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_gw_listener},
	{.key = "port",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_gw_port},
	{.key = "protocol",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_gw_protocol},
	{.key = "hostname",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_gw_hostname},
};

static void
g_gateway(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	if (CHAIN(r)->parent == NULL) {
		v->null = true;
		return;
	}
	OBJ(v, gw_cols);
}

/* "infra/eg"; a mesh parent "Service shop/cart". */
static void
g_gateway_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	const struct kn_gw_parent *p = CHAIN(r)->parent;

	if (p == NULL)
		v->s = "(none)";
	else
		v->s = (snprintf(v->buf, v->cap, "%s%s%s/%s",
				 strcmp(p->ref.kind, "Gateway") != 0
					 ? p->ref.kind
					 : "",
				 strcmp(p->ref.kind, "Gateway") != 0 ? " " : "",
				 p->ref.ns, p->ref.name),
			v->buf);
}

/* The console's GATEWAY: "eg/https", the listener that takes the route
 * ("eg/-" when none does); the namespace is in the detail. */
static void
g_gateway_short(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	const struct kn_gw_parent *p = CHAIN(r)->parent;
	const struct kn_gw_listener *l = taking(r);

	if (p == NULL)
		v->s = "(none)";
	else
		v->s = (snprintf(v->buf, v->cap, "%s/%s", p->ref.name,
				 l != NULL ? l->name : "-"),
			v->buf);
}

/* "https:443"; "-" when no listener takes it. */
static void
g_listener_text(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	const struct kn_gw_listener *l = taking(r);

	v->s = l == NULL ? "-"
			 : (snprintf(v->buf, v->cap, "%s:%u", l->name, l->port),
			    v->buf);
}

/* ---- the route ---- */

static void
g_kind(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = kn_kind_name((enum kn_kind)ROUTE(r)->o.kind);
}

static void
g_rule(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->u = r->i;
}

static void
g_class(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = CHAIN(r)->gateway != NULL ? CHAIN(r)->gateway->class_name : NULL;
}

static void
g_controller(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->s = CHAIN(r)->gwclass != NULL ? CHAIN(r)->gwclass->controller : NULL;
}

static void
g_hostnames(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->strs = ROUTE(r)->hostnames;
	v->n = ROUTE(r)->nhostnames;
}

/* The table's HOSTNAMES: "*" for any host. */
static void
g_hostnames_text(const struct kn_vctx *cx, const struct kn_vrow *r,
		 struct kn_value *v)
{
	g_hostnames(cx, r, v);
	if (v->n == 0) {
		v->type = KN_VT_TEXT;
		v->s = "*";
	}
}

static void
g_match(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = kn_route_match_text(ROUTE(r), CHAIN(r)->rule, v->buf, v->cap);
}

/* ---- backend{kind, namespace, name, port, weight, share} ---- */

#define BE(r) (CHAIN(r)->backend)

static void
g_be_kind(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = BE(r)->ref.kind;
}

static void
g_be_ns(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = BE(r)->ref.ns;
}

static void
g_be_name(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = BE(r)->ref.name;
}

static void
g_be_port(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->u = BE(r)->port;
	v->null = v->u == 0;
}

static void
g_be_weight(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->u = BE(r)->weight;
}

/* The share of the rule's traffic in percent, rounded. */
static void
g_be_share(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->u = (CHAIN(r)->share_pm + 5) / 10;
}

static const struct kn_vcol backend_cols[] = {
	{.key = "kind",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_be_kind},
	{.key = "namespace",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_be_ns},
	{.key = "name",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_be_name},
	{.key = "port",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_be_port},
	{.key = "weight",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_be_weight},
	{.key = "share",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_be_share},
};

static void
g_backend(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	if (BE(r) == NULL) {
		v->null = true;
		return;
	}
	OBJ(v, backend_cols);
}

/* "cart:80", "other/api:80", "Bucket b", "(none)". */
static void
g_backend_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	const struct kn_gw_backend *b = BE(r);
	bool svc, here;
	char port[16] = "";

	if (b == NULL) {
		v->s = "(none)";
		return;
	}
	svc = strcmp(b->ref.kind, "Service") == 0;
	here = b->ref.ns == ROUTE(r)->o.ns;
	if (b->port != 0)
		snprintf(port, sizeof(port), ":%u", b->port);
	snprintf(v->buf, v->cap, "%s%s%s%s%s%s", svc ? "" : b->ref.kind,
		 svc ? "" : " ", here ? "" : b->ref.ns, here ? "" : "/",
		 b->ref.name, port);
	v->s = v->buf;
}

/* "90%"; "-" without a backend. */
static void
g_weight_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	uint32_t pm = CHAIN(r)->share_pm;

	if (BE(r) == NULL)
		v->s = "-";
	else if (pm % 10 == 0)
		v->s = (snprintf(v->buf, v->cap, "%u%%", pm / 10), v->buf);
	else
		v->s = (snprintf(v->buf, v->cap, "%u.%u%%", pm / 10, pm % 10),
			v->buf);
}

/* ---- endpoints, TLS, addresses, status ---- */

/* endpoints{ready, notReady}: the chain starts with its counts
 * (routes.h), so the same row reads as one. */
static void
g_endpoints(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	kn_value_endpoints(v, kn_vrow_same);
}

static void
g_endpoints_text(const struct kn_vctx *cx, const struct kn_vrow *r,
		 struct kn_value *v)
{
	v->u = CHAIN(r)->endpoints.ready;
	v->u2 = CHAIN(r)->endpoints.ready + CHAIN(r)->endpoints.not_ready;
}

/* The listener terminates or passes TLS through. */
static bool
is_tls(const struct kn_vrow *r)
{
	const struct kn_gw_listener *l = taking(r);

	return l != NULL && (l->tls_mode != KN_GW_TLS_NONE ||
			     strcmp(l->protocol, "HTTPS") == 0 ||
			     strcmp(l->protocol, "TLS") == 0);
}

static void
g_tls(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->b = is_tls(r);
}

static void
g_tls_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	const struct kn_gw_listener *l = taking(r);

	v->s = !is_tls(r)			      ? "no"
	       : l->tls_mode == KN_GW_TLS_PASSTHROUGH ? "passthrough"
						      : "yes";
}

static void
g_addresses(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	if (CHAIN(r)->gateway == NULL)
		return;
	v->strs = CHAIN(r)->gateway->addresses;
	v->n = CHAIN(r)->gateway->naddresses;
}

static void
g_status(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = kn_route_status_name(CHAIN(r)->status);
}

static void
g_reason(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = kn_route_chain_reason(CHAIN(r), v->buf, v->cap);
}

/* ---- controllerStatus{controller, accepted, resolvedRefs, agrees} ---- */

static const struct kn_cond *
ctrl_cond(const struct kn_vrow *r, const char *type)
{
	const struct kn_gw_rstatus *s = CHAIN(r)->rstatus;

	return s != NULL ? kn_cond_find(s->conds, s->nconds, type) : NULL;
}

static void
g_cs_controller(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	v->s = CHAIN(r)->rstatus->controller;
}

static void
cond_value(const struct kn_cond *c, struct kn_value *v)
{
	v->s = c != NULL ? kn_cond_status_name(c->status) : NULL;
}

static void
g_cs_accepted(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	cond_value(ctrl_cond(r, "Accepted"), v);
}

static void
g_cs_resolved(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	cond_value(ctrl_cond(r, "ResolvedRefs"), v);
}

static void
g_cs_agrees(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->b = CHAIN(r)->disagree == 0;
}

static const struct kn_vcol cs_cols[] = {
	{.key = "controller",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_cs_controller},
	{.key = "accepted",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_cs_accepted},
	{.key = "resolvedRefs",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_cs_resolved},
	{.key = "agrees",
	 .type = KN_VT_BOOL,
	 .flags = KN_VC_JSON,
	 .get = g_cs_agrees},
};

static void
g_ctrl_status(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	if (CHAIN(r)->rstatus == NULL) {
		v->null = true;
		return;
	}
	OBJ(v, cs_cols);
}

#define TC (KN_VC_TABLE | KN_VC_CONSOLE)
#define J KN_VC_JSON
#define TW (KN_VC_TABLE | KN_VC_WIDE)

static const struct kn_vcol cols[] = {
	{"NAMESPACE", NULL, "namespace", KN_VT_TEXT,
	 KN_VC_ALL | KN_VC_ID | KN_VC_NS, 9, 20, 1, false, kn_vget_ns},
	{"NAME", NULL, "name", KN_VT_TEXT, KN_VC_ALL | KN_VC_ID, 8, 0, 1, false,
	 kn_vget_name},
	{"KIND", NULL, "kind", KN_VT_TEXT, J | KN_VC_TABLE | KN_VC_ID, 0, 0, 0,
	 false, g_kind},
	{NULL, NULL, "rule", KN_VT_UINT, J | KN_VC_ID, 0, 0, 0, false, g_rule},
	{NULL, NULL, "gateway", KN_VT_OBJ, J, 0, 0, 0, false, g_gateway},
	{"GATEWAY", NULL, NULL, KN_VT_TEXT, KN_VC_TABLE, 0, 0, 0, false,
	 g_gateway_text},
	{"LISTENER", NULL, NULL, KN_VT_TEXT, KN_VC_TABLE, 0, 0, 0, false,
	 g_listener_text},
	{"CLASS", NULL, "class", KN_VT_TEXT, J | TW, 0, 0, 0, false, g_class},
	{"CONTROLLER", NULL, "controller", KN_VT_TEXT, J | TW, 0, 0, 0, false,
	 g_controller},
	{NULL, NULL, "hostnames", KN_VT_STRS, J, 0, 0, 0, false, g_hostnames},
	{"HOSTNAMES", "HOSTS", NULL, KN_VT_STRS, TC, 5, 0, 2, false,
	 g_hostnames_text},
	{"MATCH", NULL, "match", KN_VT_TEXT, KN_VC_ALL | KN_VC_ID, 5, 0, 2,
	 false, g_match},
	{NULL, NULL, "backend", KN_VT_OBJ, J, 0, 0, 0, false, g_backend},
	{"BACKEND", NULL, NULL, KN_VT_TEXT, TC | KN_VC_ID, 7, 0, 2, false,
	 g_backend_text},
	{"WEIGHT", NULL, NULL, KN_VT_TEXT, TC, 6, 7, 0, true, g_weight_text},
	{NULL, NULL, "endpoints", KN_VT_OBJ, J, 0, 0, 0, false, g_endpoints},
	{"ENDPOINTS", "EP", NULL, KN_VT_COUNT, TC, 3, 12, 0, true,
	 g_endpoints_text},
	{NULL, NULL, "tls", KN_VT_BOOL, J, 0, 0, 0, false, g_tls},
	{"TLS", NULL, NULL, KN_VT_TEXT, TW, 0, 0, 0, false, g_tls_text},
	{"ADDRESS", NULL, "addresses", KN_VT_STRS, J | TW, 0, 0, 0, false,
	 g_addresses},
	{"STATUS", NULL, "status", KN_VT_TEXT, KN_VC_ALL | KN_VC_WHOLE, 9, 20,
	 0, false, g_status},
	{"REASON", NULL, "reason", KN_VT_TEXT, J | TW, 0, 0, 0, false,
	 g_reason},
	{NULL, NULL, "controllerStatus", KN_VT_OBJ, J, 0, 0, 0, false,
	 g_ctrl_status},
	{"GATEWAY", NULL, NULL, KN_VT_TEXT, KN_VC_CONSOLE | KN_VC_ID, 8, 24, 1,
	 false, g_gateway_short},
	{NULL, NULL, "planned", KN_VT_BOOL, KN_VC_JSON | KN_VC_OPT, 0, 0, 0,
	 false, kn_vget_planned},
};

/* The --once table; the console shows the gateway and its listener in
 * one short column. */
static const uint8_t order[] = {0,  1,	2,  5, 6, 10, 11, 13,
				14, 16, 20, 7, 8, 18, 19, 21};
static const uint8_t corder[] = {0, 1, 23, 10, 11, 13, 14, 16, 20};

/* ---- rows ---- */

static int
route_cmp(const void *a, const void *b)
{
	const struct kn_obj *x = *(struct kn_obj *const *)a;
	const struct kn_obj *y = *(struct kn_obj *const *)b;
	int c = strcmp(x->ns, y->ns);

	if (c == 0)
		c = strcmp(x->name, y->name);
	return c != 0 ? c : (int)x->kind - (int)y->kind;
}

/* The routes of every kind in cx->ns, by namespace, name and kind. */
static size_t
all_routes(const struct kn_vctx *cx, struct kn_obj ***out)
{
	struct kn_obj **all = NULL, **one, **grown;
	size_t n = 0, k, i;
	int kind;

	for (kind = KN_HTTPROUTE; kind <= KN_UDPROUTE; kind++) {
		k = kn_model_list(cx->model, (enum kn_kind)kind, cx->ns, &one);
		grown = k > 0 ? realloc(all, (n + k) * sizeof(*all)) : all;
		if (grown == NULL) {
			free(one);
			break;
		}
		all = grown;
		for (i = 0; i < k; i++)
			all[n++] = one[i];
		free(one);
	}
	if (n > 1)
		qsort(all, n, sizeof(*all), route_cmp);
	*out = all;
	return n;
}

static enum kn_vtone
chain_tone(const struct kn_route_chain *c)
{
	if (c->status != KN_RT_OK)
		return KN_VTONE_ERROR;
	if (c->disagree)
		return KN_VTONE_WARN;
	return c->backend != NULL && c->share_pm == 0 ? KN_VTONE_DIM
						      : KN_VTONE_NORMAL;
}

static void
free_index(void *arg)
{
	kn_routes_index_free(arg);
}

static void
build(struct kn_view *v, const struct kn_vctx *cx)
{
	struct kn_routes_index *ix;
	struct kn_route_chain *c;
	struct kn_obj **objs;
	size_t n, i, ru, p, b, nr, np, nb;

	if (!kn_routes_api_installed(cx->model))
		return;
	if ((ix = kn_routes_index_new(cx->model)) == NULL)
		return;
	kn_view_defer(v, free_index, ix);
	n = all_routes(cx, &objs);
	for (i = 0; i < n; i++) {
		const struct kn_route *r = (const struct kn_route *)objs[i];

		nr = r->nrules ? r->nrules : 1;
		np = r->nparents ? r->nparents : 1;
		for (ru = 0; ru < nr; ru++) {
			nb = ru < r->nrules && r->rules[ru].nbackends
				     ? r->rules[ru].nbackends
				     : 1;
			for (p = 0; p < np; p++)
				for (b = 0; b < nb; b++) {
					c = kn_view_alloc(v, sizeof(*c));
					kn_route_chain(cx->model, ix, r, ru, p,
						       b, c);
					kn_view_add(v, r, (uint32_t)ru,
						    (uint32_t)(p << 16 | b),
						    chain_tone(c))
						->aux = c;
				}
		}
	}
	free(objs);
}

/* ---- the document's head: gatewayAPI{installed, versions} ---- */

struct api_head {
	const char **versions;
	size_t n;
	bool installed, known;
};

static const void *
head_aux(struct kn_view *v, const struct kn_vctx *cx)
{
	struct api_head *h = kn_view_alloc(v, sizeof(*h));
	enum kn_api_state st;
	const char *vs, *p, *comma;
	char *copy;
	size_t k = 1;

	h->installed = kn_routes_api_installed(cx->model);
	st = kn_model_gateway_api(cx->model, &vs);
	/* Discovery's word: the versions served, or none; files have
	 * none to give (null). */
	h->known = st != KN_API_UNKNOWN;
	if (st != KN_API_SERVED || vs == NULL)
		return h;
	for (p = vs; *p; p++)
		k += *p == ',';
	h->versions = kn_view_alloc(v, k * sizeof(char *));
	for (p = vs; h->n < k; p = comma + 1) {
		comma = strchr(p, ',');
		if (comma == NULL)
			comma = p + strlen(p);
		copy = kn_view_alloc(v, (size_t)(comma - p) + 1);
		memcpy(copy, p, (size_t)(comma - p));
		h->versions[h->n++] = copy;
		if (*comma == '\0')
			break;
	}
	return h;
}

#define HEAD(r) ((const struct api_head *)(r)->aux)

static void
g_api_installed(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	v->b = HEAD(r)->installed;
}

static void
g_api_versions(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	v->null = !HEAD(r)->known;
	v->strs = HEAD(r)->versions;
	v->n = HEAD(r)->n;
}

static const struct kn_vcol api_cols[] = {
	{.key = "installed",
	 .type = KN_VT_BOOL,
	 .flags = KN_VC_JSON,
	 .get = g_api_installed},
	{.key = "versions",
	 .type = KN_VT_STRS,
	 .flags = KN_VC_JSON,
	 .get = g_api_versions},
};

static void
g_api(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	OBJ(v, api_cols);
}

static const struct kn_vcol head[] = {
	{NULL, NULL, "gatewayAPI", KN_VT_OBJ, J, 0, 0, 0, false, g_api},
};

static void
text(const struct kn_vctx *cx, struct kn_strs *before, struct kn_strs *after)
{
	if (!kn_routes_api_installed(cx->model))
		kn_strs_add(after, "Gateway API not installed.");
}

const struct kn_view_def kn_view_routes = {
	.pane = "routes",
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.order = order,
	.norder = sizeof(order),
	.corder = corder,
	.ncorder = sizeof(corder),
	.empty = "Gateway API routes",
	.build = build,
	.head = head,
	.nhead = 1,
	.head_aux = head_aux,
	.text = text,
};
