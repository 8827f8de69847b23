/* NetworkPolicy rules, selectors and port sets in words, for the detail
 * view and the answers of --can. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "k8snet/policy.h"

/* Append to buf (n bytes) at *len; output is cut, never overrun. */
static void put(char *buf, size_t n, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
put(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*len + 1 >= n)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + *len, n - *len, fmt, ap);
	va_end(ap);
	if (w > 0)
		*len += (size_t)w < n - *len ? (size_t)w : n - *len - 1;
}

const char *
kn_selector_text(const struct kn_selector *s, char *buf, size_t n)
{
	size_t len = 0, i, j;

	buf[0] = '\0';
	for (i = 0; i < s->nlabels; i++)
		put(buf, n, &len, "%s%s=%s", len ? ", " : "", s->labels[i].key,
		    s->labels[i].value);
	for (i = 0; i < s->nexprs; i++) {
		const struct kn_sel_expr *x = &s->exprs[i];

		put(buf, n, &len, "%s", len ? ", " : "");
		if (x->op == KN_SEL_EXISTS) {
			put(buf, n, &len, "%s", x->key);
			continue;
		}
		if (x->op == KN_SEL_DOES_NOT_EXIST) {
			put(buf, n, &len, "!%s", x->key);
			continue;
		}
		put(buf, n, &len, "%s %s (", x->key,
		    x->op == KN_SEL_IN ? "in" : "notin");
		for (j = 0; j < x->nvalues; j++)
			put(buf, n, &len, "%s%s", j ? ", " : "", x->values[j]);
		put(buf, n, &len, ")");
	}
	if (len == 0)
		snprintf(buf, n, "all");
	return buf;
}

const char *
kn_np_ports_text(const struct kn_np_ports *p, char *buf, size_t n)
{
	size_t len = 0, i;
	int k, full = 0;

	buf[0] = '\0';
	for (k = 0; k < 3; k++)
		if (p->n[k] == 1 && p->r[k][0].lo <= 1 &&
		    p->r[k][0].hi == 65535)
			full++;
	if (full == 3 || p->overflow) {
		snprintf(buf, n, "every port");
		return buf;
	}
	for (k = 0; k < 3; k++) {
		if (p->n[k] == 0)
			continue;
		put(buf, n, &len, "%s%s ", len ? "; " : "", kn_proto_name(k));
		if (p->n[k] == 1 && p->r[k][0].lo <= 1 &&
		    p->r[k][0].hi == 65535) {
			put(buf, n, &len, "every port");
			continue;
		}
		for (i = 0; i < p->n[k]; i++) {
			put(buf, n, &len, "%s%u", i ? ", " : "",
			    (unsigned)p->r[k][i].lo);
			if (p->r[k][i].hi != p->r[k][i].lo)
				put(buf, n, &len, "-%u",
				    (unsigned)p->r[k][i].hi);
		}
	}
	if (len == 0)
		snprintf(buf, n, "no port");
	return buf;
}

static void
cidr_text(const struct kn_cidr *c, char *buf, size_t n, size_t *len)
{
	char ip[KN_IPSTR];

	put(buf, n, len, "%s/%u", kn_ipaddr_format(&c->addr, ip, sizeof(ip)),
	    (unsigned)c->bits);
}

static void
peer_text(const struct kn_netpol *np, const struct kn_np_peer *p, char *buf,
	  size_t n, size_t *len)
{
	char sel[256];
	size_t i;

	if (p->is_ipblock) {
		cidr_text(&p->cidr, buf, n, len);
		for (i = 0; i < p->nexcept; i++) {
			put(buf, n, len, "%s", i ? ", " : " except ");
			cidr_text(&p->except[i], buf, n, len);
		}
		return;
	}
	if (!p->has_pod_sel ||
	    (p->pod_sel.nlabels == 0 && p->pod_sel.nexprs == 0))
		put(buf, n, len, "every pod");
	else
		put(buf, n, len, "pods %s",
		    kn_selector_text(&p->pod_sel, sel, sizeof(sel)));
	if (!p->has_ns_sel)
		put(buf, n, len, " in namespace %s", np->o.ns);
	else if (p->ns_sel.nlabels == 0 && p->ns_sel.nexprs == 0)
		put(buf, n, len, " in every namespace");
	else
		put(buf, n, len, " in namespaces %s",
		    kn_selector_text(&p->ns_sel, sel, sizeof(sel)));
}

static void
port_text(const struct kn_np_port *p, char *buf, size_t n, size_t *len)
{
	const char *proto = kn_proto_name(p->proto);

	if (p->name != NULL)
		put(buf, n, len, "%s port %s", proto, p->name);
	else if (p->port == 0)
		put(buf, n, len, "every %s port", proto);
	else if (p->end_port != 0)
		put(buf, n, len, "%s %u-%u", proto, (unsigned)p->port,
		    (unsigned)p->end_port);
	else
		put(buf, n, len, "%s %u", proto, (unsigned)p->port);
}

const char *
kn_np_rule_text(const struct kn_netpol *np, bool egress, int rule, char *buf,
		size_t n)
{
	const struct kn_np_rule *r;
	size_t len = 0, i;

	buf[0] = '\0';
	if (rule < 0 || (size_t)rule >= (egress ? np->negress : np->ningress)) {
		snprintf(buf, n, "isolates for %s; no rule allows it",
			 egress ? "egress" : "ingress");
		return buf;
	}
	r = &(egress ? np->egress : np->ingress)[rule];
	put(buf, n, &len, "allows ");
	if (r->nports == 0)
		put(buf, n, &len, "every port");
	for (i = 0; i < r->nports; i++) {
		if (i)
			put(buf, n, &len, ", ");
		port_text(&r->ports[i], buf, n, &len);
	}
	put(buf, n, &len, "%s", egress ? " to " : " from ");
	if (r->npeers == 0)
		put(buf, n, &len, "anywhere");
	for (i = 0; i < r->npeers; i++) {
		if (i)
			put(buf, n, &len, "; or ");
		peer_text(np, &r->peers[i], buf, n, &len);
	}
	return buf;
}
