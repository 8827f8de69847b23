/* A reachability question as a user asks it (--can, the console's
 * :can): its ends and port resolved, every pod pair evaluated, and the
 * answer in words. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/model.h"
#include "k8snet/policy.h"

const char *
kn_np_target_kind_name(enum kn_np_target_kind k)
{
	return k == KN_NPT_POD	     ? "pod"
	       : k == KN_NPT_SERVICE ? "service"
				     : "address";
}

void
kn_np_pod_name(const struct kn_pod *p, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s", p->o.ns, p->o.name);
}

/* Evaluate pair (i, j); keep it as the one shown when it is the first
 * or the first denied. */
static void
pair(struct kn_np_result *c, const struct kn_model *m,
     const struct kn_policy_index *ix, size_t i, size_t j)
{
	struct kn_np_query q = {0};
	struct kn_np_answer a;
	const struct kn_pod *dst =
		c->to.kind == KN_NPT_ADDRESS ? NULL : c->to.pods[j];
	uint16_t port = 0;

	q.to = kn_np_target_end(&c->to, j, NULL);
	q.from = kn_np_target_end(&c->from, i, &q.to.ip);
	q.any_port = c->ask.any;
	q.proto = c->ask.proto;
	if (!c->ask.any) {
		port = dst != NULL ? kn_np_port_on(&c->to, dst, &c->ask)
				   : c->ask.port;
		if (port == 0) {
			char pn[320];

			/* Nothing listens there: not reachable, whatever
			 * the policies say. */
			if (!c->missing_port) {
				kn_np_pod_name(dst, pn, sizeof(pn));
				if (c->ask.name != NULL)
					kn_strs_addf(
						&c->notes,
						"%s has no %s port named "
						"'%s'",
						pn, kn_proto_name(c->ask.proto),
						c->ask.name);
				else
					kn_strs_addf(
						&c->notes,
						"service %s's %s port %u "
						"targets a port %s does "
						"not have",
						c->to.name,
						kn_proto_name(c->ask.proto),
						(unsigned)c->ask.port, pn);
			}
			c->missing_port = true;
		}
		q.port = port;
	}
	kn_np_evaluate(m, ix, &q, &a);
	if (port == 0 && !c->ask.any)
		a.allowed = false;
	c->npairs++;
	c->nallowed += a.allowed;
	if (!c->have || (c->ans.allowed && !a.allowed)) {
		if (c->have)
			kn_np_answer_release(&c->ans);
		c->ans = a;
		c->show_from = i;
		c->show_to = j;
		c->show_port = port;
		c->have = true;
		return;
	}
	kn_np_answer_release(&a);
}

static void
notes(struct kn_np_result *c)
{
	const struct kn_np_side *s[2] = {&c->ans.egress, &c->ans.ingress};
	const struct kn_np_target *t[2] = {&c->from, &c->to};
	size_t k[2] = {c->show_from, c->show_to}, i;
	char pn[320];

	for (i = 0; i < 2; i++) {
		if (!s[i]->applies) {
			kn_strs_addf(&c->notes,
				     "%s is not a pod: no NetworkPolicy "
				     "applies to its %s",
				     t[i]->name, i ? "ingress" : "egress");
			continue;
		}
		kn_np_pod_name(t[i]->pods[k[i]], pn, sizeof(pn));
		if (s[i]->host_network)
			kn_strs_addf(&c->notes,
				     "%s runs on the host network: most CNIs "
				     "do not apply NetworkPolicy to it",
				     pn);
		if (s[i]->ipblock_pod)
			kn_strs_addf(&c->notes,
				     "an ipBlock matched a pod address: the "
				     "API means ipBlock for addresses outside "
				     "the cluster, and CNIs differ there");
	}
}

/* ---- in words ---- */

static void line(struct kn_strs *out, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
line(struct kn_strs *out, const char *key, const char *fmt, ...)
{
	char text[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	kn_strs_addf(out, "%-9s %s", key, text);
}

static void
table_side(struct kn_strs *out, const struct kn_np_result *c,
	   const struct kn_np_side *s, bool egress)
{
	const struct kn_np_target *t = egress ? &c->from : &c->to;
	size_t k = egress ? c->show_from : c->show_to, i;
	const char *key = egress ? "EGRESS" : "INGRESS";
	const char *dir = egress ? "egress" : "ingress";
	char pn[320], text[1024];

	if (!s->applies) {
		line(out, key, "allowed: %s is not a pod", t->name);
		return;
	}
	kn_np_pod_name(t->pods[k], pn, sizeof(pn));
	if (!s->isolated) {
		line(out, key, "allowed: no policy isolates %s for %s", pn,
		     dir);
		return;
	}
	line(out, key, "%s: %s is isolated for %s",
	     s->allowed ? "allowed" : "denied", pn, dir);
	for (i = 0; i < s->nrefs; i++) {
		const struct kn_np_ref *ref = &s->refs[i];

		if (ref->rule >= 0)
			line(out, "", "%s/%s %s[%d]: %s", ref->np->o.ns,
			     ref->np->o.name, dir, ref->rule,
			     kn_np_rule_text(ref->np, egress, ref->rule, text,
					     sizeof(text)));
		else
			line(out, "", "%s/%s: %s", ref->np->o.ns,
			     ref->np->o.name,
			     kn_np_rule_text(ref->np, egress, -1, text,
					     sizeof(text)));
	}
}

void
kn_np_result_lines(const struct kn_np_result *c, struct kn_strs *out)
{
	char ports[512];
	size_t i;

	line(out, "FROM", "%s (%s)", c->from.name,
	     kn_np_target_kind_name(c->from.kind));
	line(out, "TO", "%s (%s)", c->to.name,
	     kn_np_target_kind_name(c->to.kind));
	if (c->ask.any)
		line(out, "PORT", "any");
	else if (c->ask.name != NULL)
		line(out, "PORT", "%s %s (%u)", kn_proto_name(c->ask.proto),
		     c->ask.name, (unsigned)c->show_port);
	else
		line(out, "PORT", "%s %u", kn_proto_name(c->ask.proto),
		     (unsigned)c->ask.port);
	if (c->npairs > 1)
		line(out, "ALLOWED", "%s (%zu of %zu pod pairs)",
		     c->allowed ? "yes" : "no", c->nallowed, c->npairs);
	else if (c->ask.any && c->allowed)
		line(out, "ALLOWED", "yes, on %s",
		     kn_np_ports_text(&c->ans.ports, ports, sizeof(ports)));
	else
		line(out, "ALLOWED", "%s", c->allowed ? "yes" : "no");
	table_side(out, c, &c->ans.egress, true);
	table_side(out, c, &c->ans.ingress, false);
	for (i = 0; i < c->notes.n; i++)
		line(out, i ? "" : "NOTE", "%s", c->notes.v[i]);
}

int
kn_np_ask(const struct kn_model *m, const struct kn_policy_index *ix,
	  const char *from, const char *to, const char *port,
	  const char *default_ns, struct kn_np_result *c, char *err, size_t n)
{
	size_t i, j, nf, nt;

	memset(c, 0, sizeof(*c));
	if (!kn_np_port_parse(port, &c->ask, err, n))
		return 2;
	if (!kn_np_target_resolve(m, from, default_ns, &c->from, err, n) ||
	    !kn_np_target_resolve(m, to, default_ns, &c->to, err, n)) {
		kn_np_result_release(c);
		return 1;
	}
	nf = c->from.kind == KN_NPT_ADDRESS ? 1 : c->from.npods;
	nt = c->to.kind == KN_NPT_ADDRESS ? 1 : c->to.npods;
	if (nf == 0 || nt == 0) {
		snprintf(err, n,
			 "service %s selects no pods: nothing to reach or to "
			 "reach from",
			 nf == 0 ? c->from.name : c->to.name);
		kn_np_result_release(c);
		return 1;
	}
	for (i = 0; i < nf; i++)
		for (j = 0; j < nt && c->npairs < KN_CAN_MAX_PAIRS; j++)
			pair(c, m, ix, i, j);
	c->allowed = c->nallowed == c->npairs;
	notes(c);
	return 0;
}

void
kn_np_result_release(struct kn_np_result *c)
{
	kn_np_answer_release(&c->ans);
	kn_strs_clear(&c->notes);
	kn_np_target_release(&c->from);
	kn_np_target_release(&c->to);
}
