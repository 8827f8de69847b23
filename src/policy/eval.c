/* May traffic from A reach B: both sides of a connection evaluated
 * against the policies that select their pods (see policy.h). */
#include <stdlib.h>
#include <string.h>

#include "k8snet/policy.h"

/* ---- port sets ---- */

static void
ports_all(struct kn_np_ports *p)
{
	int k;

	memset(p, 0, sizeof(*p));
	for (k = 0; k < 3; k++) {
		p->r[k][0].lo = 1;
		p->r[k][0].hi = 65535;
		p->n[k] = 1;
	}
}

/* Add [lo, hi] to protocol k, merging with the ranges it touches. */
static void
ports_add(struct kn_np_ports *p, int k, unsigned lo, unsigned hi)
{
	size_t i, j = 0;
	unsigned n = p->n[k];

	if (p->overflow)
		return;
	for (i = 0; i < n; i++) {
		unsigned a = p->r[k][i].lo, b = p->r[k][i].hi;

		if (b + 1 < lo || hi + 1 < a) {
			p->r[k][j++] = p->r[k][i];
			continue;
		}
		lo = a < lo ? a : lo;
		hi = b > hi ? b : hi;
	}
	if (j == KN_NP_MAX_RANGES) {
		p->overflow = true;
		ports_all(p);
		p->overflow = true;
		return;
	}
	/* Keep the ranges sorted. */
	for (i = j; i > 0 && p->r[k][i - 1].lo > lo; i--)
		p->r[k][i] = p->r[k][i - 1];
	p->r[k][i].lo = (uint16_t)lo;
	p->r[k][i].hi = (uint16_t)hi;
	p->n[k] = (uint8_t)(j + 1);
}

static void
ports_union(struct kn_np_ports *p, const struct kn_np_ports *q)
{
	int k;
	size_t i;

	if (q->overflow) {
		ports_all(p);
		p->overflow = true;
		return;
	}
	for (k = 0; k < 3; k++)
		for (i = 0; i < q->n[k]; i++)
			ports_add(p, k, q->r[k][i].lo, q->r[k][i].hi);
}

static void
ports_intersect(struct kn_np_ports *out, const struct kn_np_ports *a,
		const struct kn_np_ports *b)
{
	int k;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < 3; k++)
		for (i = 0; i < a->n[k]; i++)
			for (j = 0; j < b->n[k]; j++) {
				unsigned lo = a->r[k][i].lo, hi = a->r[k][i].hi;

				if (b->r[k][j].lo > lo)
					lo = b->r[k][j].lo;
				if (b->r[k][j].hi < hi)
					hi = b->r[k][j].hi;
				if (lo <= hi)
					ports_add(out, k, lo, hi);
			}
}

bool
kn_np_ports_has(const struct kn_np_ports *p, uint8_t proto, uint16_t port)
{
	size_t i;

	if (proto > KN_PROTO_SCTP)
		return false;
	for (i = 0; i < p->n[proto]; i++)
		if (p->r[proto][i].lo <= port && port <= p->r[proto][i].hi)
			return true;
	return false;
}

bool
kn_np_ports_empty(const struct kn_np_ports *p)
{
	return p->n[0] == 0 && p->n[1] == 0 && p->n[2] == 0;
}

/* ---- rules ---- */

uint16_t
kn_np_named_port(const struct kn_pod *pod, const char *name, uint8_t proto)
{
	size_t i;

	if (pod == NULL)
		return 0;
	for (i = 0; i < pod->nports; i++)
		if (pod->ports[i].name != NULL &&
		    pod->ports[i].proto == proto &&
		    strcmp(pod->ports[i].name, name) == 0)
			return pod->ports[i].port;
	return 0;
}

/* The ports a rule opens on the destination dst. */
static void
rule_ports(const struct kn_np_rule *r, const struct kn_pod *dst,
	   struct kn_np_ports *out)
{
	size_t i;

	if (r->nports == 0) {
		ports_all(out);
		return;
	}
	memset(out, 0, sizeof(*out));
	for (i = 0; i < r->nports; i++) {
		const struct kn_np_port *pp = &r->ports[i];
		uint8_t k = pp->proto <= KN_PROTO_SCTP ? pp->proto : 0;
		uint16_t port;

		if (pp->name != NULL) {
			if ((port = kn_np_named_port(dst, pp->name, k)) != 0)
				ports_add(out, k, port, port);
		} else if (pp->port == 0) {
			ports_add(out, k, 1, 65535);
		} else {
			ports_add(out, k, pp->port,
				  pp->end_port ? pp->end_port : pp->port);
		}
	}
}

/* Does peer p of a policy in namespace ns match end e? */
static bool
peer_matches(const struct kn_model *m, const char *ns,
	     const struct kn_np_peer *p, const struct kn_np_end *e,
	     bool *ipblock_pod)
{
	const struct kn_pod *pod = e->pod;
	size_t i;

	if (p->is_ipblock) {
		if (!kn_cidr_contains(&p->cidr, &e->ip))
			return false;
		for (i = 0; i < p->nexcept; i++)
			if (kn_cidr_contains(&p->except[i], &e->ip))
				return false;
		if (pod != NULL)
			*ipblock_pod = true;
		return true;
	}
	if (pod == NULL)
		return false;
	if (p->has_ns_sel) {
		struct kn_label tmp;
		size_t n;
		const struct kn_label *l =
			kn_policy_ns_labels(m, pod->o.ns, &tmp, &n);

		if (!kn_selector_matches(&p->ns_sel, l, n))
			return false;
	} else if (strcmp(pod->o.ns, ns) != 0) {
		return false;
	}
	return !p->has_pod_sel ||
	       kn_selector_matches(&p->pod_sel, pod->labels, pod->nlabels);
}

static bool
rule_peers_match(const struct kn_model *m, const struct kn_netpol *np,
		 const struct kn_np_rule *r, const struct kn_np_end *e,
		 bool *ipblock_pod)
{
	size_t i;

	if (r->npeers == 0)
		return true;
	for (i = 0; i < r->npeers; i++) {
		bool ipb = false;

		if (peer_matches(m, np->o.ns, &r->peers[i], e, &ipb)) {
			*ipblock_pod = ipb;
			return true;
		}
	}
	return false;
}

static void
add_ref(struct kn_np_side *s, const struct kn_netpol *np, int rule, bool ipb)
{
	struct kn_np_ref *v = realloc(s->refs, (s->nrefs + 1) * sizeof(*v));

	if (v == NULL)
		return;
	s->refs = v;
	s->refs[s->nrefs].np = np;
	s->refs[s->nrefs].rule = rule;
	s->refs[s->nrefs].ipblock_pod = ipb;
	s->nrefs++;
}

/* Side egress (of q->from) or ingress (of q->to). */
static void
eval_side(const struct kn_model *m, const struct kn_policy_index *ix,
	  const struct kn_np_query *q, uint16_t port, bool egress,
	  struct kn_np_side *s)
{
	const struct kn_pod *pod = egress ? q->from.pod : q->to.pod;
	const struct kn_np_end *peer = egress ? &q->to : &q->from;
	const struct kn_netpol *const *nps;
	size_t n, i, r, isolating = 0;

	memset(s, 0, sizeof(*s));
	ports_all(&s->ports);
	if (pod == NULL) {
		s->allowed = true;
		return;
	}
	s->applies = true;
	s->host_network = pod->host_network;
	memset(&s->ports, 0, sizeof(s->ports));
	n = kn_policy_index_ns(ix, pod->o.ns, &nps);
	for (i = 0; i < n; i++) {
		const struct kn_netpol *np = nps[i];
		const struct kn_np_rule *rules;
		size_t nrules;

		if (!(egress ? np->egress_type : np->ingress_type) ||
		    !kn_netpol_selects(np, pod))
			continue;
		s->isolated = true;
		isolating++;
		rules = egress ? np->egress : np->ingress;
		nrules = egress ? np->negress : np->ningress;
		for (r = 0; r < nrules; r++) {
			struct kn_np_ports rp;
			bool ipb = false;

			if (!rule_peers_match(m, np, &rules[r], peer, &ipb))
				continue;
			rule_ports(&rules[r], q->to.pod, &rp);
			if (q->any_port ? kn_np_ports_empty(&rp)
					: !kn_np_ports_has(&rp, q->proto, port))
				continue;
			ports_union(&s->ports, &rp);
			add_ref(s, np, (int)r, ipb);
			s->ipblock_pod |= ipb;
		}
	}
	if (!s->isolated) {
		ports_all(&s->ports);
		s->allowed = true;
		return;
	}
	s->allowed = s->nrefs > 0;
	if (s->allowed || isolating == 0)
		return;
	for (i = 0; i < n; i++)
		if ((egress ? nps[i]->egress_type : nps[i]->ingress_type) &&
		    kn_netpol_selects(nps[i], pod))
			add_ref(s, nps[i], -1, false);
}

void
kn_np_evaluate(const struct kn_model *m, const struct kn_policy_index *ix,
	       const struct kn_np_query *q, struct kn_np_answer *out)
{
	uint16_t port = q->port;

	memset(out, 0, sizeof(*out));
	out->port = port;
	eval_side(m, ix, q, port, true, &out->egress);
	eval_side(m, ix, q, port, false, &out->ingress);
	if (q->any_port) {
		ports_intersect(&out->ports, &out->egress.ports,
				&out->ingress.ports);
		out->allowed = out->egress.allowed && out->ingress.allowed &&
			       !kn_np_ports_empty(&out->ports);
	} else {
		out->allowed = out->egress.allowed && out->ingress.allowed;
	}
}

void
kn_np_answer_release(struct kn_np_answer *a)
{
	free(a->egress.refs);
	free(a->ingress.refs);
	a->egress.refs = a->ingress.refs = NULL;
	a->egress.nrefs = a->ingress.nrefs = 0;
}
