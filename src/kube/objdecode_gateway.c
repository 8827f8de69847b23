/* Decoding of Gateway API objects (gateway.networking.k8s.io v1, v1beta1,
 * v1alpha2): GatewayClass, Gateway, the routes (HTTPRoute, GRPCRoute,
 * TLSRoute, TCPRoute, UDPRoute) and ReferenceGrant, with the status
 * conditions their controllers write.
 *
 * As for NetworkPolicy, the nesting has no fixed size, so an object is
 * decoded twice by the same code: into a scratch block sized by a bound
 * on what its JSON can yield (checking it and measuring it), then into
 * the model's block of exactly that size. Names, namespaces, groups,
 * kinds and condition types are interned; hostnames, paths, values and
 * messages are copied into the block. Defaults are filled in as the API
 * server's defaulting would (a parentRef is a Gateway, a backendRef a
 * core Service with weight 1, a listener allows routes from its own
 * namespace). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objdecode_int.h"

#define GW_TEXT 200 /* bytes of a filter in words */
#define GW_MAX 4096 /* items of one list inside an object */

/* One JSON value yields at most one struct (or pointer) of the block,
 * its string's copy, or one filter's words. */
static size_t
gw_bound(const cJSON *v)
{
	const cJSON *c;
	size_t n = 128 + GW_TEXT + 16;

	if (cJSON_IsString(v) && v->valuestring != NULL)
		n += strlen(v->valuestring) + 8;
	cJSON_ArrayForEach(c, v) n += gw_bound(c);
	return n;
}

static int
gw_full(struct dec *d)
{
	kn_errf(d->eb, KN_ERR_PARSE,
		"Gateway API object: larger than its "
		"bound");
	return -1;
}

/* n items of size sz from the block (NULL for none). */
static int
gw_take(struct dec *d, struct pack *k, size_t n, size_t sz, void *out)
{
	void *p = NULL;

	if (n > 0 && (p = pk_take(k, n * sz)) == NULL)
		return gw_full(d);
	if (p != NULL)
		memset(p, 0, n * sz);
	memcpy(out, &p, sizeof(p));
	return 0;
}

/* A string of o[key] copied into the block (NULL when absent or ""). */
static int
gw_str(struct dec *d, struct pack *k, const cJSON *o, const char *key,
       const char *path, const char **out)
{
	const char *s;

	if (jstr(d, o, key, path, &s) < 0)
		return -1;
	*out = NULL;
	if (s == NULL || *s == '\0')
		return 0;
	if ((*out = pk_str(k, s)) == NULL)
		return gw_full(d);
	return 0;
}

/* An interned string of o[key] (NULL when absent or ""). */
static int
gw_istr(struct dec *d, const cJSON *o, const char *key, const char *path,
	const char **out)
{
	const char *s;

	if (jstr(d, o, key, path, &s) < 0)
		return -1;
	*out = s != NULL && *s ? kn_model_intern(d->m, s) : NULL;
	return 0;
}

/* An array of at most GW_MAX items; *n its size. */
static int
gw_arr(struct dec *d, const cJSON *o, const char *key, const char *path,
       const cJSON **out, size_t *n)
{
	if (jarr(d, o, key, path, out, n) < 0)
		return -1;
	if (*n > GW_MAX)
		return dfail(d, path, key, "at most 4096 items");
	return 0;
}

/* ---- conditions and references ---- */

/* conditions[] of o: type, status, reason, message. */
static int
gw_conds(struct dec *d, struct pack *k, const cJSON *o, const char *path,
	 struct kn_cond **out, uint16_t *nout)
{
	const cJSON *arr, *c;
	struct kn_cond *v;
	const char *st;
	char p2[160];
	size_t n, i;

	*out = NULL;
	*nout = 0;
	if (gw_arr(d, o, "conditions", path, &arr, &n) < 0 ||
	    gw_take(d, k, n, sizeof(*v), &v) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		c = cJSON_GetArrayItem(arr, (int)i);
		dpath(d, p2, sizeof(p2), "%s.conditions[%zu]", path, i);
		if (gw_istr(d, c, "type", p2, &v[i].type) < 0 ||
		    jstr(d, c, "status", p2, &st) < 0 ||
		    gw_istr(d, c, "reason", p2, &v[i].reason) < 0 ||
		    gw_str(d, k, c, "message", p2, &v[i].message) < 0)
			return -1;
		if (v[i].type == NULL)
			return dfail(d, p2, "type", "a condition type");
		if (st != NULL && strcmp(st, "True") == 0)
			v[i].status = KN_COND_TRUE;
		else if (st != NULL && strcmp(st, "False") == 0)
			v[i].status = KN_COND_FALSE;
		else if (st != NULL && strcmp(st, "Unknown") != 0)
			return dfail(d, p2, "status", "True, False or Unknown");
	}
	*out = v;
	*nout = (uint16_t)n;
	return 0;
}

/* A reference with its defaults: group and kind when absent (a group
 * written "" is the core group), ns when absent (NULL where the API has
 * no namespace); the name must be there when need_name. */
static int
gw_ref(struct dec *d, const cJSON *o, const char *path, const char *dgroup,
       const char *dkind, const char *dns, bool need_name,
       struct kn_gw_ref *out)
{
	const char *g, *kd, *ns, *name;

	if (o != NULL && !cJSON_IsObject(o))
		return dfail(d, path, NULL, "an object");
	if (jstr(d, o, "group", path, &g) < 0 ||
	    jstr(d, o, "kind", path, &kd) < 0 ||
	    jstr(d, o, "namespace", path, &ns) < 0 ||
	    jstr(d, o, "name", path, &name) < 0)
		return -1;
	if (need_name && (name == NULL || *name == '\0'))
		return dfail(d, path, "name", "a name");
	out->group = kn_model_intern(d->m, g != NULL ? g : dgroup);
	out->kind = kn_model_intern(d->m, kd != NULL && *kd ? kd : dkind);
	out->ns = ns != NULL && *ns ? kn_model_intern(d->m, ns)
		  : dns != NULL	    ? kn_model_intern(d->m, dns)
				    : NULL;
	out->name = name != NULL && *name ? kn_model_intern(d->m, name) : NULL;
	return 0;
}

static int
gw_port(struct dec *d, const cJSON *o, const char *path, uint16_t *out)
{
	long v;

	if (jint(d, o, "port", path, 0, 65535, &v) < 0)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

/* A parentRef: a Gateway of the route's namespace by default. */
static int
gw_parent(struct dec *d, const cJSON *o, const char *path, const char *ns,
	  struct kn_gw_parent *out)
{
	if (gw_ref(d, o, path, KN_GW_GROUP, "Gateway", ns, true, &out->ref) <
		    0 ||
	    gw_istr(d, o, "sectionName", path, &out->section) < 0 ||
	    gw_port(d, o, path, &out->port) < 0)
		return -1;
	return 0;
}

/* A backendRef: a core Service of the route's namespace by default. */
static int
gw_backend(struct dec *d, const cJSON *o, const char *path, const char *ns,
	   struct kn_gw_backend *out)
{
	long w;

	if (gw_ref(d, o, path, "", "Service", ns, true, &out->ref) < 0 ||
	    gw_port(d, o, path, &out->port) < 0 ||
	    jint(d, o, "weight", path, 0, 1000000, &w) < 0)
		return -1;
	out->weight = jget(o, "weight") != NULL ? (uint32_t)w : 1;
	return 0;
}

/* ---- GatewayClass ---- */

static int
gw_class(struct dec *d, const cJSON *obj, const struct meta *mt, struct pack *k,
	 void *out)
{
	struct kn_gwclass *c = out;
	const cJSON *spec, *st;

	(void)mt;
	if (jobj(d, obj, "spec", "", &spec) < 0 ||
	    jobj(d, obj, "status", "", &st) < 0 ||
	    gw_istr(d, spec, "controllerName", "spec", &c->controller) < 0 ||
	    gw_conds(d, k, st, "status", &c->conds, &c->nconds) < 0)
		return -1;
	return 0;
}

/* ---- Gateway ---- */

static int
gw_allowed(struct dec *d, struct pack *k, const cJSON *ar, const char *path,
	   struct kn_gw_listener *l)
{
	const cJSON *nsj, *kinds;
	const char *from;
	char p2[160];
	size_t n, i;

	l->from = KN_GW_FROM_SAME;
	if (jobj(d, ar, "namespaces", path, &nsj) < 0 ||
	    gw_arr(d, ar, "kinds", path, &kinds, &n) < 0)
		return -1;
	dpath(d, p2, sizeof(p2), "%s.namespaces", path);
	if (jstr(d, nsj, "from", p2, &from) < 0)
		return -1;
	if (from == NULL || strcmp(from, "Same") == 0)
		l->from = KN_GW_FROM_SAME;
	else if (strcmp(from, "All") == 0)
		l->from = KN_GW_FROM_ALL;
	else if (strcmp(from, "Selector") == 0)
		l->from = KN_GW_FROM_SELECTOR;
	else
		return dfail(d, p2, "from", "Same, All or Selector");
	dpath(d, p2, sizeof(p2), "%s.namespaces.selector", path);
	if (l->from == KN_GW_FROM_SELECTOR &&
	    dselector(d, jget(nsj, "selector"), p2, k, &l->ns_sel) < 0)
		return -1;
	if (gw_take(d, k, n, sizeof(*l->kinds), &l->kinds) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		dpath(d, p2, sizeof(p2), "%s.kinds[%zu]", path, i);
		if (gw_ref(d, cJSON_GetArrayItem(kinds, (int)i), p2,
			   KN_GW_GROUP, "", NULL, false, &l->kinds[i]) < 0)
			return -1;
		if (*l->kinds[i].kind == '\0')
			return dfail(d, p2, "kind", "a route kind");
	}
	l->nkinds = (uint16_t)n;
	return 0;
}

static int
gw_listener(struct dec *d, struct pack *k, const cJSON *o, const char *path,
	    const char *ns, struct kn_gw_listener *l)
{
	const cJSON *tls, *certs, *ar;
	const char *mode;
	char p2[160];
	size_t n, i;
	long v;

	if (gw_istr(d, o, "name", path, &l->name) < 0 ||
	    gw_istr(d, o, "protocol", path, &l->protocol) < 0 ||
	    gw_str(d, k, o, "hostname", path, &l->hostname) < 0 ||
	    jint(d, o, "port", path, 1, 65535, &v) < 0 ||
	    jobj(d, o, "tls", path, &tls) < 0 ||
	    jobj(d, o, "allowedRoutes", path, &ar) < 0)
		return -1;
	if (l->name == NULL)
		return dfail(d, path, "name", "a listener name");
	if (l->protocol == NULL)
		return dfail(d, path, "protocol", "a protocol");
	l->port = (uint16_t)v;
	dpath(d, p2, sizeof(p2), "%s.allowedRoutes", path);
	if (gw_allowed(d, k, ar, p2, l) < 0)
		return -1;
	if (tls == NULL)
		return 0;
	dpath(d, p2, sizeof(p2), "%s.tls", path);
	if (jstr(d, tls, "mode", p2, &mode) < 0 ||
	    gw_arr(d, tls, "certificateRefs", p2, &certs, &n) < 0)
		return -1;
	if (mode == NULL || strcmp(mode, "Terminate") == 0)
		l->tls_mode = KN_GW_TLS_TERMINATE;
	else if (strcmp(mode, "Passthrough") == 0)
		l->tls_mode = KN_GW_TLS_PASSTHROUGH;
	else
		return dfail(d, p2, "mode", "Terminate or Passthrough");
	if (gw_take(d, k, n, sizeof(*l->certs), &l->certs) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		dpath(d, p2, sizeof(p2), "%s.tls.certificateRefs[%zu]", path,
		      i);
		if (gw_ref(d, cJSON_GetArrayItem(certs, (int)i), p2, "",
			   "Secret", ns, true, &l->certs[i]) < 0)
			return -1;
	}
	l->ncerts = (uint16_t)n;
	return 0;
}

/* status.listeners[]: conditions and attachedRoutes, by listener name. */
static int
gw_listener_status(struct dec *d, struct pack *k, const cJSON *st,
		   struct kn_gateway *gw)
{
	const cJSON *arr, *s;
	const char *name;
	char path[64];
	size_t n, i, j;
	long v;

	if (gw_arr(d, st, "listeners", "status", &arr, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		s = cJSON_GetArrayItem(arr, (int)i);
		dpath(d, path, sizeof(path), "status.listeners[%zu]", i);
		if (gw_istr(d, s, "name", path, &name) < 0 ||
		    jint(d, s, "attachedRoutes", path, 0, INT32_MAX, &v) < 0)
			return -1;
		for (j = 0; j < gw->nlisteners; j++) {
			struct kn_gw_listener *l = &gw->listeners[j];

			if (l->name != name || l->conds != NULL)
				continue;
			l->attached = (uint32_t)v;
			if (gw_conds(d, k, s, path, &l->conds, &l->nconds) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

/* status.addresses[], else spec.addresses[]: their values. */
static int
gw_addresses(struct dec *d, struct pack *k, const cJSON *spec, const cJSON *st,
	     struct kn_gateway *gw)
{
	const cJSON *arr;
	const char *where = "status";
	char path[64];
	size_t n, i, o = 0;

	if (gw_arr(d, st, "addresses", where, &arr, &n) < 0)
		return -1;
	if (n == 0) {
		where = "spec";
		if (gw_arr(d, spec, "addresses", where, &arr, &n) < 0)
			return -1;
	}
	if (gw_take(d, k, n, sizeof(char *), &gw->addresses) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		dpath(d, path, sizeof(path), "%s.addresses[%zu]", where, i);
		if (gw_str(d, k, cJSON_GetArrayItem(arr, (int)i), "value", path,
			   &gw->addresses[o]) < 0)
			return -1;
		if (gw->addresses[o] != NULL)
			o++;
	}
	gw->naddresses = (uint16_t)o;
	return 0;
}

static int
gw_gateway(struct dec *d, const cJSON *obj, const struct meta *mt,
	   struct pack *k, void *out)
{
	struct kn_gateway *gw = out;
	const cJSON *spec, *st, *ls;
	char path[64];
	size_t n, i;

	if (jobj(d, obj, "spec", "", &spec) < 0 ||
	    jobj(d, obj, "status", "", &st) < 0 ||
	    gw_istr(d, spec, "gatewayClassName", "spec", &gw->class_name) < 0 ||
	    gw_arr(d, spec, "listeners", "spec", &ls, &n) < 0 ||
	    gw_take(d, k, n, sizeof(*gw->listeners), &gw->listeners) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		dpath(d, path, sizeof(path), "spec.listeners[%zu]", i);
		if (gw_listener(d, k, cJSON_GetArrayItem(ls, (int)i), path,
				mt->ns, &gw->listeners[i]) < 0)
			return -1;
	}
	gw->nlisteners = (uint16_t)n;
	if (gw_listener_status(d, k, st, gw) < 0 ||
	    gw_addresses(d, k, spec, st, gw) < 0 ||
	    gw_conds(d, k, st, "status", &gw->conds, &gw->nconds) < 0)
		return -1;
	return 0;
}

/* ---- routes ---- */

/* "name: value" pairs of a match or a header modifier into words. */
static int
gw_kvs(struct dec *d, struct pack *k, const cJSON *arr, size_t n,
       const char *path, const char *key, struct kn_gw_kv **out)
{
	const cJSON *h;
	const char *t;
	char p2[192];
	size_t i;

	if (gw_take(d, k, n, sizeof(**out), out) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		h = cJSON_GetArrayItem(arr, (int)i);
		dpath(d, p2, sizeof(p2), "%s.%s[%zu]", path, key, i);
		if (gw_str(d, k, h, "name", p2, &(*out)[i].name) < 0 ||
		    gw_str(d, k, h, "value", p2, &(*out)[i].value) < 0 ||
		    jstr(d, h, "type", p2, &t) < 0)
			return -1;
		if ((*out)[i].name == NULL)
			return dfail(d, p2, "name", "a name");
		(*out)[i].type = KN_GW_EXACT;
		if (t != NULL && strcmp(t, "RegularExpression") == 0)
			(*out)[i].type = KN_GW_REGEX;
		else if (t != NULL && strcmp(t, "Exact") != 0)
			return dfail(d, p2, "type",
				     "Exact or RegularExpression");
	}
	return 0;
}

static int
gw_match(struct dec *d, struct pack *k, const cJSON *o, const char *path,
	 bool grpc, struct kn_gw_match *m)
{
	const cJSON *pj, *hs, *qs, *mj;
	const char *t;
	char p2[192];
	size_t nh, nq = 0;

	if (o != NULL && !cJSON_IsObject(o))
		return dfail(d, path, NULL, "an object");
	if (gw_arr(d, o, "headers", path, &hs, &nh) < 0 ||
	    gw_kvs(d, k, hs, nh, path, "headers", &m->headers) < 0)
		return -1;
	m->nheaders = (uint16_t)nh;
	if (grpc) {
		if (jobj(d, o, "method", path, &mj) < 0)
			return -1;
		dpath(d, p2, sizeof(p2), "%s.method", path);
		if (gw_str(d, k, mj, "service", p2, &m->service) < 0 ||
		    gw_str(d, k, mj, "method", p2, &m->gmethod) < 0 ||
		    jstr(d, mj, "type", p2, &t) < 0)
			return -1;
		m->gtype = t != NULL && strcmp(t, "RegularExpression") == 0
				   ? KN_GW_REGEX
				   : KN_GW_EXACT;
		return 0;
	}
	if (jobj(d, o, "path", path, &pj) < 0 ||
	    gw_arr(d, o, "queryParams", path, &qs, &nq) < 0 ||
	    gw_kvs(d, k, qs, nq, path, "queryParams", &m->query) < 0 ||
	    gw_istr(d, o, "method", path, &m->method) < 0)
		return -1;
	m->nquery = (uint16_t)nq;
	m->path_type = KN_GW_PREFIX;
	if (pj == NULL)
		return 0;
	dpath(d, p2, sizeof(p2), "%s.path", path);
	if (gw_str(d, k, pj, "value", p2, &m->path) < 0 ||
	    jstr(d, pj, "type", p2, &t) < 0)
		return -1;
	if (m->path == NULL && (m->path = pk_str(k, "/")) == NULL)
		return gw_full(d);
	if (t == NULL || strcmp(t, "PathPrefix") == 0)
		m->path_type = KN_GW_PREFIX;
	else if (strcmp(t, "Exact") == 0)
		m->path_type = KN_GW_EXACT;
	else if (strcmp(t, "RegularExpression") == 0)
		m->path_type = KN_GW_REGEX;
	else
		return dfail(d, p2, "type",
			     "Exact, PathPrefix or RegularExpression");
	return 0;
}

/* a, b and c (NULL: nothing) appended to buf (cap bytes, cut where it
 * ends). */
static void
gw_words(char *buf, size_t cap, const char *a, const char *b, const char *c)
{
	size_t len = strlen(buf);

	if (len + 1 < cap)
		snprintf(buf + len, cap - len, "%s%s%s", a != NULL ? a : "",
			 b != NULL ? b : "", c != NULL ? c : "");
}

/* RequestHeaderModifier / ResponseHeaderModifier in words. */
static int
gw_header_words(struct dec *d, const cJSON *o, const char *path, char *buf,
		size_t cap)
{
	static const char *const ops[] = {"set", "add", "remove"};
	const cJSON *arr, *h;
	const char *name, *value;
	char p2[192];
	size_t n, i, op;

	for (op = 0; op < 3; op++) {
		if (gw_arr(d, o, ops[op], path, &arr, &n) < 0)
			return -1;
		for (i = 0; i < n; i++) {
			h = cJSON_GetArrayItem(arr, (int)i);
			dpath(d, p2, sizeof(p2), "%s.%s[%zu]", path, ops[op],
			      i);
			if (op == 2) {
				if (!cJSON_IsString(h))
					return dfail(d, p2, NULL, "a string");
				gw_words(buf, cap, *buf ? ", " : "", "remove ",
					 h->valuestring);
				continue;
			}
			if (jstr(d, h, "name", p2, &name) < 0 ||
			    jstr(d, h, "value", p2, &value) < 0)
				return -1;
			if (name == NULL)
				return dfail(d, p2, "name", "a header name");
			gw_words(buf, cap, *buf ? ", " : "", ops[op], " ");
			gw_words(buf, cap, name, ": ", value);
		}
	}
	return 0;
}

/* The path part of RequestRedirect and URLRewrite in words. */
static int
gw_path_words(struct dec *d, const cJSON *o, const char *path, char *buf,
	      size_t cap)
{
	const cJSON *pj;
	const char *t, *full, *pfx;
	char p2[192];

	if (jobj(d, o, "path", path, &pj) < 0)
		return -1;
	if (pj == NULL)
		return 0;
	dpath(d, p2, sizeof(p2), "%s.path", path);
	if (jstr(d, pj, "type", p2, &t) < 0 ||
	    jstr(d, pj, "replaceFullPath", p2, &full) < 0 ||
	    jstr(d, pj, "replacePrefixMatch", p2, &pfx) < 0)
		return -1;
	if (full != NULL)
		gw_words(buf, cap, " path ", full, NULL);
	else if (pfx != NULL)
		gw_words(buf, cap, " prefix ", pfx, NULL);
	return 0;
}

static int
gw_redirect_words(struct dec *d, const cJSON *o, const char *path, char *buf,
		  size_t cap)
{
	const char *scheme, *host;
	char num[16];
	long port, code;

	if (jstr(d, o, "scheme", path, &scheme) < 0 ||
	    jstr(d, o, "hostname", path, &host) < 0 ||
	    jint(d, o, "port", path, 0, 65535, &port) < 0 ||
	    jint(d, o, "statusCode", path, 0, 999, &code) < 0)
		return -1;
	gw_words(buf, cap, scheme, scheme != NULL ? "://" : NULL,
		 host != NULL ? host : "(same host)");
	if (port != 0) {
		snprintf(num, sizeof(num), ":%ld", port);
		gw_words(buf, cap, num, NULL, NULL);
	}
	if (gw_path_words(d, o, path, buf, cap) < 0)
		return -1;
	snprintf(num, sizeof(num), " %ld", code != 0 ? code : 302);
	gw_words(buf, cap, num, NULL, NULL);
	return 0;
}

static int
gw_filter(struct dec *d, struct pack *k, const cJSON *o, const char *path,
	  const char *ns, struct kn_gw_filter *f)
{
	static const struct {
		const char *type, *key;
		uint8_t id;
	} types[] = {
		{"RequestHeaderModifier", "requestHeaderModifier",
		 KN_GWF_REQ_HEADER},
		{"ResponseHeaderModifier", "responseHeaderModifier",
		 KN_GWF_RESP_HEADER},
		{"RequestRedirect", "requestRedirect", KN_GWF_REDIRECT},
		{"URLRewrite", "urlRewrite", KN_GWF_REWRITE},
		{"RequestMirror", "requestMirror", KN_GWF_MIRROR},
		{"ExtensionRef", "extensionRef", KN_GWF_EXTENSION},
	};
	const cJSON *body = NULL, *be;
	const char *type, *host;
	char words[GW_TEXT], p2[192];
	size_t i;
	int rc = 0;

	words[0] = '\0';
	if (jstr(d, o, "type", path, &type) < 0)
		return -1;
	if (type == NULL)
		return dfail(d, path, "type", "a filter type");
	f->type_name = kn_model_intern(d->m, type);
	f->type = KN_GWF_OTHER;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(type, types[i].type) != 0)
			continue;
		f->type = types[i].id;
		dpath(d, p2, sizeof(p2), "%s.%s", path, types[i].key);
		if (jobj(d, o, types[i].key, path, &body) < 0)
			return -1;
		break;
	}
	switch (f->type) {
	case KN_GWF_REQ_HEADER:
	case KN_GWF_RESP_HEADER:
		rc = gw_header_words(d, body, p2, words, sizeof(words));
		break;
	case KN_GWF_REDIRECT:
		rc = gw_redirect_words(d, body, p2, words, sizeof(words));
		break;
	case KN_GWF_REWRITE:
		if ((rc = jstr(d, body, "hostname", p2, &host)) < 0)
			break;
		if (host != NULL)
			gw_words(words, sizeof(words), "host ", host, NULL);
		rc = gw_path_words(d, body, p2, words, sizeof(words));
		break;
	case KN_GWF_MIRROR:
		if ((rc = jobj(d, body, "backendRef", p2, &be)) < 0)
			break;
		dpath(d, p2, sizeof(p2), "%s.requestMirror.backendRef", path);
		if (be == NULL)
			return dfail(d, p2, NULL, "a backendRef");
		rc = gw_backend(d, be, p2, ns, &f->mirror);
		if (rc == 0)
			gw_words(words, sizeof(words), f->mirror.ref.ns, "/",
				 f->mirror.ref.name);
		break;
	case KN_GWF_EXTENSION:
		if (body != NULL && cJSON_IsString(jget(body, "kind")) &&
		    cJSON_IsString(jget(body, "name")))
			gw_words(words, sizeof(words),
				 jget(body, "kind")->valuestring, " ",
				 jget(body, "name")->valuestring);
		break;
	default:
		break;
	}
	if (rc < 0)
		return -1;
	if (words[0] != '\0' && (f->text = pk_str(k, words)) == NULL)
		return gw_full(d);
	return 0;
}

static int
gw_rule(struct dec *d, struct pack *k, const cJSON *o, const char *path,
	const struct meta *mt, struct kn_gw_rule *r)
{
	const cJSON *ms, *fs, *bs;
	char p2[192];
	size_t nm, nf, nb, i;
	bool grpc = mt->kind == KN_GRPCROUTE;

	if (o != NULL && !cJSON_IsObject(o))
		return dfail(d, path, NULL, "an object");
	if (gw_istr(d, o, "name", path, &r->name) < 0 ||
	    gw_arr(d, o, "matches", path, &ms, &nm) < 0 ||
	    gw_arr(d, o, "filters", path, &fs, &nf) < 0 ||
	    gw_arr(d, o, "backendRefs", path, &bs, &nb) < 0 ||
	    gw_take(d, k, nm, sizeof(*r->matches), &r->matches) < 0 ||
	    gw_take(d, k, nf, sizeof(*r->filters), &r->filters) < 0 ||
	    gw_take(d, k, nb, sizeof(*r->backends), &r->backends) < 0)
		return -1;
	for (i = 0; i < nm; i++) {
		dpath(d, p2, sizeof(p2), "%s.matches[%zu]", path, i);
		if (gw_match(d, k, cJSON_GetArrayItem(ms, (int)i), p2, grpc,
			     &r->matches[i]) < 0)
			return -1;
	}
	for (i = 0; i < nf; i++) {
		dpath(d, p2, sizeof(p2), "%s.filters[%zu]", path, i);
		if (gw_filter(d, k, cJSON_GetArrayItem(fs, (int)i), p2, mt->ns,
			      &r->filters[i]) < 0)
			return -1;
	}
	for (i = 0; i < nb; i++) {
		dpath(d, p2, sizeof(p2), "%s.backendRefs[%zu]", path, i);
		if (gw_backend(d, cJSON_GetArrayItem(bs, (int)i), p2, mt->ns,
			       &r->backends[i]) < 0)
			return -1;
	}
	r->nmatches = (uint16_t)nm;
	r->nfilters = (uint16_t)nf;
	r->nbackends = (uint16_t)nb;
	return 0;
}

static int
gw_route_status(struct dec *d, struct pack *k, const cJSON *st,
		const struct meta *mt, struct kn_route *r)
{
	const cJSON *arr, *s, *pr;
	char path[64], p2[96];
	size_t n, i;

	if (gw_arr(d, st, "parents", "status", &arr, &n) < 0 ||
	    gw_take(d, k, n, sizeof(*r->status), &r->status) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct kn_gw_rstatus *rs = &r->status[i];

		s = cJSON_GetArrayItem(arr, (int)i);
		dpath(d, path, sizeof(path), "status.parents[%zu]", i);
		dpath(d, p2, sizeof(p2), "%s.parentRef", path);
		if (jobj(d, s, "parentRef", path, &pr) < 0 ||
		    gw_parent(d, pr, p2, mt->ns, &rs->parent) < 0 ||
		    gw_istr(d, s, "controllerName", path, &rs->controller) <
			    0 ||
		    gw_conds(d, k, s, path, &rs->conds, &rs->nconds) < 0)
			return -1;
	}
	r->nstatus = (uint16_t)n;
	return 0;
}

static int
gw_route(struct dec *d, const cJSON *obj, const struct meta *mt, struct pack *k,
	 void *out)
{
	struct kn_route *r = out;
	const cJSON *spec, *st, *arr;
	char path[64];
	size_t n, i;

	if (jobj(d, obj, "spec", "", &spec) < 0 ||
	    jobj(d, obj, "status", "", &st) < 0 ||
	    gw_arr(d, spec, "parentRefs", "spec", &arr, &n) < 0 ||
	    gw_take(d, k, n, sizeof(*r->parents), &r->parents) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		dpath(d, path, sizeof(path), "spec.parentRefs[%zu]", i);
		if (gw_parent(d, cJSON_GetArrayItem(arr, (int)i), path, mt->ns,
			      &r->parents[i]) < 0)
			return -1;
	}
	r->nparents = (uint16_t)n;
	if (gw_arr(d, spec, "hostnames", "spec", &arr, &n) < 0 ||
	    gw_take(d, k, n, sizeof(char *), &r->hostnames) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const cJSON *h = cJSON_GetArrayItem(arr, (int)i);

		if (!cJSON_IsString(h) || h->valuestring[0] == '\0') {
			dpath(d, path, sizeof(path), "spec.hostnames[%zu]", i);
			return dfail(d, path, NULL, "a hostname");
		}
		if ((r->hostnames[i] = pk_str(k, h->valuestring)) == NULL)
			return gw_full(d);
	}
	r->nhostnames = (uint16_t)n;
	if (gw_arr(d, spec, "rules", "spec", &arr, &n) < 0 ||
	    gw_take(d, k, n, sizeof(*r->rules), &r->rules) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		dpath(d, path, sizeof(path), "spec.rules[%zu]", i);
		if (gw_rule(d, k, cJSON_GetArrayItem(arr, (int)i), path, mt,
			    &r->rules[i]) < 0)
			return -1;
	}
	r->nrules = (uint16_t)n;
	return gw_route_status(d, k, st, mt, r);
}

/* ---- ReferenceGrant ---- */

static int
gw_grant(struct dec *d, const cJSON *obj, const struct meta *mt, struct pack *k,
	 void *out)
{
	struct kn_refgrant *g = out;
	const cJSON *spec, *from, *to;
	char path[64];
	size_t nf, nt, i;

	if (jobj(d, obj, "spec", "", &spec) < 0 ||
	    gw_arr(d, spec, "from", "spec", &from, &nf) < 0 ||
	    gw_arr(d, spec, "to", "spec", &to, &nt) < 0 ||
	    gw_take(d, k, nf, sizeof(*g->from), &g->from) < 0 ||
	    gw_take(d, k, nt, sizeof(*g->to), &g->to) < 0)
		return -1;
	for (i = 0; i < nf; i++) {
		dpath(d, path, sizeof(path), "spec.from[%zu]", i);
		if (gw_ref(d, cJSON_GetArrayItem(from, (int)i), path, "", "",
			   NULL, false, &g->from[i]) < 0)
			return -1;
		if (g->from[i].ns == NULL || *g->from[i].kind == '\0')
			return dfail(d, path, NULL, "a kind and a namespace");
		g->from[i].name = NULL;
	}
	for (i = 0; i < nt; i++) {
		dpath(d, path, sizeof(path), "spec.to[%zu]", i);
		if (gw_ref(d, cJSON_GetArrayItem(to, (int)i), path, "", "",
			   NULL, false, &g->to[i]) < 0)
			return -1;
		if (*g->to[i].kind == '\0')
			return dfail(d, path, "kind", "a kind");
		g->to[i].ns =
			mt->ns != NULL ? kn_model_intern(d->m, mt->ns) : NULL;
	}
	g->nfrom = (uint16_t)nf;
	g->nto = (uint16_t)nt;
	return 0;
}

/* ---- the two passes ---- */

typedef int (*gw_fill)(struct dec *d, const cJSON *obj, const struct meta *mt,
		       struct pack *k, void *out);

/* Decode obj with fill into scratch (checking and measuring), then into
 * the model's block of head + what it measured. */
static int
gw_two_pass(struct dec *d, const cJSON *obj, const struct meta *mt, size_t head,
	    gw_fill fill, struct kn_obj **out)
{
	struct kn_obj *o;
	struct pack k;
	void *tmp;
	size_t need;

	k.cap = gw_bound(obj);
	k.off = 0;
	tmp = calloc(1, head);
	if (tmp == NULL || (k.p = malloc(k.cap)) == NULL) {
		free(tmp);
		return dnomem(d);
	}
	if (fill(d, obj, mt, &k, tmp) < 0) {
		free(k.p);
		free(tmp);
		return -1;
	}
	need = k.off;
	free(k.p);
	free(tmp);
	o = pk_begin(d, &k, head, need + 8 + meta_size(mt));
	if (o == NULL)
		return -1;
	if (fill(d, obj, mt, &k, o) < 0) {
		kn_model_obj_free(d->m, o);
		return -1;
	}
	meta_fill(d, &k, o, mt->kind, mt);
	*out = o;
	return 0;
}

int
dec_gwclass(struct dec *d, const cJSON *obj, const struct meta *mt,
	    struct kn_obj **out)
{
	return gw_two_pass(d, obj, mt, sizeof(struct kn_gwclass), gw_class,
			   out);
}

int
dec_gateway(struct dec *d, const cJSON *obj, const struct meta *mt,
	    struct kn_obj **out)
{
	return gw_two_pass(d, obj, mt, sizeof(struct kn_gateway), gw_gateway,
			   out);
}

int
dec_route(struct dec *d, const cJSON *obj, const struct meta *mt,
	  struct kn_obj **out)
{
	return gw_two_pass(d, obj, mt, sizeof(struct kn_route), gw_route, out);
}

int
dec_refgrant(struct dec *d, const cJSON *obj, const struct meta *mt,
	     struct kn_obj **out)
{
	return gw_two_pass(d, obj, mt, sizeof(struct kn_refgrant), gw_grant,
			   out);
}
