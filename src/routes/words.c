/* Route chains in words: why a chain has its status (and what its
 * controller says where that differs), a rule's matches, a parentRef. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "k8snet/policy.h"
#include "k8snet/routes.h"

/* A bounded line being written; past its end the rest is cut. */
struct line {
	char *p;
	size_t n, len;
};

static void add(struct line *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (l->len + 1 >= l->n)
		return;
	va_start(ap, fmt);
	w = vsnprintf(l->p + l->len, l->n - l->len, fmt, ap);
	va_end(ap);
	if (w > 0)
		l->len += (size_t)w < l->n - l->len ? (size_t)w
						    : l->n - l->len - 1;
}

static const char *
str(const char *s)
{
	return s != NULL ? s : "";
}

/* ---- reasons ---- */

static void
cond_words(struct line *l, const char *who, const struct kn_cond *c)
{
	add(l, "%s: %s=%s", who, c->type, kn_cond_status_name(c->status));
	if (c->reason != NULL)
		add(l, " %s", c->reason);
	if (c->message != NULL)
		add(l, ": %s", c->message);
}

static void
gateway_missing(struct line *l, const struct kn_route_chain *c)
{
	const struct kn_gw_ref *p;

	if (c->parent == NULL) {
		add(l, "the route has no parentRefs");
		return;
	}
	p = &c->parent->ref;
	if (p->group[0] == '\0' && strcmp(p->kind, "Service") == 0)
		add(l, "parent Service %s/%s not found", p->ns, p->name);
	else if (strcmp(p->group, KN_GW_GROUP) != 0 ||
		 strcmp(p->kind, "Gateway") != 0)
		add(l, "parentRef %s%s%s %s is not a Gateway", p->kind,
		    p->group[0] ? "." : "", p->group, p->name);
	else
		add(l, "Gateway %s/%s not found", p->ns, p->name);
}

static void
class_words(struct line *l, const struct kn_route_chain *c)
{
	const struct kn_gateway *gw = c->gateway;
	const struct kn_cond *acc;

	if (gw->class_name == NULL) {
		add(l, "Gateway %s/%s names no GatewayClass", gw->o.ns,
		    gw->o.name);
		return;
	}
	if (c->gwclass == NULL) {
		add(l, "GatewayClass %s not found", gw->class_name);
		return;
	}
	acc = kn_cond_find(c->gwclass->conds, c->gwclass->nconds, "Accepted");
	if (acc != NULL) {
		char who[160];

		snprintf(who, sizeof(who), "GatewayClass %s", gw->class_name);
		cond_words(l, who, acc);
	}
}

static void
hostnames(struct line *l, const struct kn_route *r)
{
	size_t i;

	for (i = 0; i < r->nhostnames; i++)
		add(l, "%s%s", i ? ", " : "", r->hostnames[i]);
}

static void
listener_words(struct line *l, const struct kn_route_chain *c)
{
	const struct kn_gateway *gw = c->gateway;
	const struct kn_gw_listener *ls = c->listener;
	const struct kn_gw_parent *p = c->parent;
	char sel[256];

	switch (c->miss) {
	case KN_MISS_SECTION:
		add(l, "Gateway %s/%s has no listener named %s", gw->o.ns,
		    gw->o.name, str(p->section));
		break;
	case KN_MISS_PORT:
		if (p->section != NULL && ls != NULL)
			add(l, "listener %s is on port %u, not %u", ls->name,
			    ls->port, p->port);
		else
			add(l, "Gateway %s/%s has no listener on port %u",
			    gw->o.ns, gw->o.name, p->port);
		break;
	case KN_MISS_KIND:
		add(l, "listener %s (%s) does not take %s", ls->name,
		    ls->protocol, kn_kind_name((enum kn_kind)c->route->o.kind));
		break;
	case KN_MISS_NAMESPACE:
		if (ls->from == KN_GW_FROM_SELECTOR)
			add(l,
			    "listener %s: namespace %s does not match its "
			    "selector %s",
			    ls->name, c->route->o.ns,
			    kn_selector_text(&ls->ns_sel, sel, sizeof(sel)));
		else
			add(l, "listener %s takes routes of namespace %s only",
			    ls->name, gw->o.ns);
		break;
	case KN_MISS_HOSTNAME:
		add(l, "listener %s hostname %s does not intersect ", ls->name,
		    str(ls->hostname));
		hostnames(l, c->route);
		break;
	default:
		add(l, "Gateway %s/%s has no listeners", gw->o.ns, gw->o.name);
		break;
	}
}

/* A rule without backends that redirects. */
static void
redirect_words(struct line *l, const struct kn_gw_rule *rule)
{
	size_t i;

	for (i = 0; rule != NULL && i < rule->nfilters; i++)
		if (rule->filters[i].type == KN_GWF_REDIRECT) {
			add(l, "redirects to %s", str(rule->filters[i].text));
			return;
		}
}

static void
backend_words(struct line *l, const struct kn_route_chain *c)
{
	const struct kn_gw_backend *b = c->backend;

	switch (c->status) {
	case KN_RT_REF_NOT_PERMITTED:
		add(l,
		    "no ReferenceGrant in %s lets %s of %s refer to %s "
		    "%s",
		    b->ref.ns, kn_kind_name((enum kn_kind)c->route->o.kind),
		    c->route->o.ns, b->ref.kind, b->ref.name);
		break;
	case KN_RT_SERVICE_MISSING:
		if (b == NULL)
			add(l, "the rule has no backendRefs");
		else
			add(l, "Service %s/%s not found", b->ref.ns,
			    b->ref.name);
		break;
	case KN_RT_PORT_MISSING:
		if (b->port == 0)
			add(l, "backendRef %s gives no port", b->ref.name);
		else
			add(l, "Service %s/%s has no port %u", b->ref.ns,
			    b->ref.name, b->port);
		break;
	case KN_RT_NO_ENDPOINTS:
		add(l, "Service %s/%s has no ready endpoints (%u not ready)",
		    b->ref.ns, b->ref.name, c->endpoints.not_ready);
		break;
	default:
		if (c->untraced)
			add(l, "backend %s %s is not a Service: not traced",
			    b->ref.kind, b->ref.name);
		else if (b == NULL)
			redirect_words(l, c->rule);
		break;
	}
}

/* What the controller says where the derivation says otherwise. */
static void
disagree_words(struct line *l, const struct kn_route_chain *c)
{
	const char *who = c->rstatus != NULL && c->rstatus->controller != NULL
				  ? c->rstatus->controller
				  : "the controller";
	const char *types[] = {"Accepted", "ResolvedRefs", "ResolvedRefs"};
	const struct kn_cond *k;
	unsigned bit;

	for (bit = 0; bit < 3; bit++) {
		if (!(c->disagree & (1u << bit)))
			continue;
		k = kn_cond_find(c->rstatus->conds, c->rstatus->nconds,
				 types[bit]);
		if (k == NULL)
			continue;
		add(l, "%s", l->len ? "; " : "");
		cond_words(l, who, k);
	}
}

const char *
kn_route_chain_reason(const struct kn_route_chain *c, char *buf, size_t n)
{
	struct line l = {buf, n, 0};
	const struct kn_cond *acc;

	if (n == 0)
		return NULL;
	buf[0] = '\0';
	switch (c->status) {
	case KN_RT_GATEWAY_MISSING:
		gateway_missing(&l, c);
		break;
	case KN_RT_CLASS_NOT_ACCEPTED:
		class_words(&l, c);
		break;
	case KN_RT_NO_LISTENER:
		listener_words(&l, c);
		break;
	case KN_RT_NOT_ACCEPTED:
		acc = kn_cond_find(c->rstatus->conds, c->rstatus->nconds,
				   "Accepted");
		cond_words(&l, str(c->rstatus->controller), acc);
		if (c->nlisteners > 0)
			add(&l, " (listener %s would take it)",
			    c->listener->name);
		break;
	default:
		backend_words(&l, c);
		break;
	}
	if (c->disagree)
		disagree_words(&l, c);
	return buf[0] != '\0' ? buf : NULL;
}

/* ---- matches and parents ---- */

static void
kvs(struct line *l, const char *what, const struct kn_gw_kv *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		add(l, " %s %s%s%s", what, v[i].name,
		    v[i].type == KN_GW_REGEX ? "~" : "=", str(v[i].value));
}

static void
match_words(struct line *l, const struct kn_route *r,
	    const struct kn_gw_match *m)
{
	if (r->o.kind == KN_GRPCROUTE) {
		if (m->service == NULL && m->gmethod == NULL)
			add(l, "any");
		else
			add(l, "%s/%s", m->service != NULL ? m->service : "*",
			    m->gmethod != NULL ? m->gmethod : "*");
		if (m->gtype == KN_GW_REGEX)
			add(l, " (regex)");
		kvs(l, "header", m->headers, m->nheaders);
		return;
	}
	add(l, "%s %s",
	    kn_gw_mtype_name(m->path != NULL ? m->path_type : KN_GW_PREFIX),
	    m->path != NULL ? m->path : "/");
	if (m->method != NULL)
		add(l, " %s", m->method);
	kvs(l, "header", m->headers, m->nheaders);
	kvs(l, "query", m->query, m->nquery);
}

const char *
kn_route_match_text(const struct kn_route *r, const struct kn_gw_rule *rule,
		    char *buf, size_t n)
{
	struct line l = {buf, n, 0};
	size_t i;

	if (n == 0 || (r->o.kind != KN_HTTPROUTE && r->o.kind != KN_GRPCROUTE))
		return NULL;
	buf[0] = '\0';
	if (rule == NULL || rule->nmatches == 0) {
		add(&l, "%s",
		    r->o.kind == KN_GRPCROUTE ? "any" : "PathPrefix /");
		return buf;
	}
	for (i = 0; i < rule->nmatches; i++) {
		if (i)
			add(&l, " | ");
		match_words(&l, r, &rule->matches[i]);
	}
	return buf;
}

const char *
kn_gw_parent_text(const struct kn_gw_parent *p, char *buf, size_t n)
{
	struct line l = {buf, n, 0};

	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (strcmp(p->ref.kind, "Gateway") != 0)
		add(&l, "%s ", p->ref.kind);
	add(&l, "%s/%s", str(p->ref.ns), str(p->ref.name));
	if (p->section != NULL)
		add(&l, " section %s", p->section);
	if (p->port != 0)
		add(&l, " port %u", p->port);
	return buf;
}
