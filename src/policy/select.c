/* What a NetworkPolicy selects: label selectors, address blocks,
 * namespace labels, and the policies of a model indexed by namespace. */
#include <stdlib.h>
#include <string.h>

#include "k8snet/policy.h"

static const char *
label_of(const struct kn_label *labels, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(labels[i].key, key) == 0)
			return labels[i].value;
	return NULL;
}

static bool
value_in(const struct kn_sel_expr *x, const char *v)
{
	size_t i;

	for (i = 0; i < x->nvalues; i++)
		if (strcmp(x->values[i], v) == 0)
			return true;
	return false;
}

bool
kn_selector_matches(const struct kn_selector *s, const struct kn_label *labels,
		    size_t n)
{
	size_t i;

	for (i = 0; i < s->nlabels; i++) {
		const char *v = label_of(labels, n, s->labels[i].key);

		if (v == NULL || strcmp(v, s->labels[i].value) != 0)
			return false;
	}
	for (i = 0; i < s->nexprs; i++) {
		const struct kn_sel_expr *x = &s->exprs[i];
		const char *v = label_of(labels, n, x->key);
		bool ok;

		switch (x->op) {
		case KN_SEL_IN:
			ok = v != NULL && value_in(x, v);
			break;
		case KN_SEL_NOT_IN:
			ok = v == NULL || !value_in(x, v);
			break;
		case KN_SEL_EXISTS:
			ok = v != NULL;
			break;
		default: /* KN_SEL_DOES_NOT_EXIST */
			ok = v == NULL;
			break;
		}
		if (!ok)
			return false;
	}
	return true;
}

bool
kn_cidr_contains(const struct kn_cidr *cidr, const struct kn_ipaddr *addr)
{
	unsigned bits = cidr->bits, full = bits / 8, rest = bits % 8;

	if (addr->family != cidr->addr.family)
		return false;
	if (memcmp(cidr->addr.addr, addr->addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((cidr->addr.addr[full] ^ addr->addr[full]) &
		(uint8_t)(0xffu << (8 - rest))) == 0;
}

bool
kn_netpol_selects(const struct kn_netpol *np, const struct kn_pod *pod)
{
	const struct kn_label *labels = pod->labels;

	return strcmp(np->o.ns, pod->o.ns) == 0 &&
	       kn_selector_matches(&np->pod_sel, labels, pod->nlabels);
}

const struct kn_label *
kn_policy_ns_labels(const struct kn_model *m, const char *ns,
		    struct kn_label *tmp, size_t *n)
{
	const struct kn_namespace *o =
		(const struct kn_namespace *)kn_model_find(m, KN_NAMESPACE, "",
							   ns);

	if (o != NULL) {
		*n = o->nlabels;
		return o->labels;
	}
	tmp->key = "kubernetes.io/metadata.name";
	tmp->value = ns;
	*n = 1;
	return tmp;
}

/* The policies sorted by namespace then name, and one entry per
 * namespace pointing at its run. */
struct ns_run {
	const char *ns;
	size_t start, n;
};

struct kn_policy_index {
	struct kn_obj **all;
	size_t nall;
	struct ns_run *runs;
	size_t nruns;
};

struct kn_policy_index *
kn_policy_index_new(const struct kn_model *m)
{
	struct kn_policy_index *ix = calloc(1, sizeof(*ix));
	size_t i;

	if (ix == NULL)
		return NULL;
	ix->nall = kn_model_list(m, KN_NETPOL, NULL, &ix->all);
	if (ix->nall > 0 &&
	    (ix->runs = calloc(ix->nall, sizeof(*ix->runs))) == NULL) {
		kn_policy_index_free(ix);
		return NULL;
	}
	for (i = 0; i < ix->nall; i++) {
		struct ns_run *r = ix->nruns ? &ix->runs[ix->nruns - 1] : NULL;

		if (r == NULL || strcmp(r->ns, ix->all[i]->ns) != 0) {
			r = &ix->runs[ix->nruns++];
			r->ns = ix->all[i]->ns;
			r->start = i;
		}
		r->n++;
	}
	return ix;
}

void
kn_policy_index_free(struct kn_policy_index *ix)
{
	if (ix == NULL)
		return;
	free(ix->all);
	free(ix->runs);
	free(ix);
}

size_t
kn_policy_index_count(const struct kn_policy_index *ix)
{
	return ix->nall;
}

size_t
kn_policy_index_ns(const struct kn_policy_index *ix, const char *ns,
		   const struct kn_netpol *const **out)
{
	size_t lo = 0, hi = ix->nruns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ix->runs[mid].ns, ns);

		if (c == 0) {
			*out = (const struct kn_netpol *const *)&ix
				       ->all[ix->runs[mid].start];
			return ix->runs[mid].n;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*out = NULL;
	return 0;
}

size_t
kn_policy_pod(const struct kn_policy_index *ix, const struct kn_pod *pod,
	      struct kn_pod_isolation *iso, const struct kn_netpol **out,
	      size_t max)
{
	const struct kn_netpol *const *nps;
	size_t n = kn_policy_index_ns(ix, pod->o.ns, &nps), i, k = 0;

	memset(iso, 0, sizeof(*iso));
	for (i = 0; i < n; i++) {
		const struct kn_netpol *np = nps[i];

		if (!kn_selector_matches(&np->pod_sel, pod->labels,
					 pod->nlabels))
			continue;
		if (out != NULL && k < max)
			out[k] = np;
		k++;
		if (np->ingress_type) {
			iso->ingress = true;
			iso->ningress_rules += np->ningress;
		}
		if (np->egress_type) {
			iso->egress = true;
			iso->negress_rules += np->negress;
		}
	}
	iso->npolicies = (uint32_t)k;
	return k;
}

const struct kn_policy_index *
kn_policy_cache_get(struct kn_policy_cache *c, const struct kn_model *m)
{
	uint64_t v;

	if (m == NULL || kn_model_count(m, KN_NETPOL) == 0)
		return NULL;
	v = kn_model_kind_version(m, KN_NETPOL);
	if (c->ix == NULL || c->m != m || c->version != v) {
		kn_policy_index_free(c->ix);
		c->ix = kn_policy_index_new(m);
		c->m = m;
		c->version = v;
	}
	return c->ix;
}

void
kn_policy_cache_release(struct kn_policy_cache *c)
{
	kn_policy_index_free(c->ix);
	free(c->flow);
	c->ix = NULL;
	c->m = NULL;
	c->flow = NULL;
	c->have_flow = false;
}
