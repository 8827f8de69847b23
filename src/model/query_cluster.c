/* Model queries for the detail views: the Corefile's layout, CoreDNS
 * pods, the services selecting a pod, and the pods on a node. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/model_query.h"

/* ---- Corefile ---- */

void
kn_model_corefile(const struct kn_model *m, struct kn_corefile *cf)
{
	const struct kn_configmap *cm;

	cm = (const struct kn_configmap *)kn_model_find(
		m, KN_CONFIGMAP, "kube-system", "coredns");
	kn_corefile_parse(cm != NULL ? cm->corefile : NULL, cf);
}

void
kn_corefile_release(struct kn_corefile *cf)
{
	kn_strs_clear(&cf->servers);
	kn_strs_clear(&cf->plugins);
}

/* ---- pods ---- */

static bool
pod_has_label(const struct kn_pod *p, const char *k, const char *v)
{
	uint16_t i;

	for (i = 0; i < p->nlabels; i++)
		if (strcmp(p->labels[i].key, k) == 0 &&
		    strcmp(p->labels[i].value, v) == 0)
			return true;
	return false;
}

size_t
kn_model_coredns_pods(const struct kn_model *m, struct kn_pod ***out)
{
	struct kn_obj **v;
	size_t n, i, k = 0;

	n = kn_model_list(m, KN_POD, "kube-system", &v);
	for (i = 0; i < n; i++)
		if (pod_has_label((struct kn_pod *)v[i], "k8s-app", "kube-dns"))
			v[k++] = v[i];
	*out = (struct kn_pod **)v;
	return k;
}

size_t
kn_model_pod_services(const struct kn_model *m, const struct kn_pod *pod,
		      struct kn_service ***out)
{
	struct kn_obj **v;
	size_t n, i, k = 0;
	uint16_t j;

	n = kn_model_list(m, KN_SERVICE, pod->o.ns, &v);
	for (i = 0; i < n; i++) {
		const struct kn_service *s = (const struct kn_service *)v[i];

		if (!s->has_selector || s->nselector == 0)
			continue;
		for (j = 0; j < s->nselector; j++)
			if (!pod_has_label(pod, s->selector[j].key,
					   s->selector[j].value))
				break;
		if (j == s->nselector)
			v[k++] = v[i];
	}
	*out = (struct kn_service **)v;
	return k;
}

enum kn_ep_state
kn_model_pod_endpoint(const struct kn_model *m, const struct kn_service *svc,
		      const struct kn_pod *pod)
{
	struct kn_slice *const *sl;
	size_t nsl, i, j;
	uint8_t k;
	bool hit;

	nsl = kn_model_service_slices(m, svc, &sl);
	for (i = 0; i < nsl; i++)
		for (j = 0; j < sl[i]->neps; j++) {
			const struct kn_endpoint *e = &sl[i]->eps[j];

			if (e->pod != NULL)
				hit = strcmp(e->pod, pod->o.name) == 0;
			else
				for (hit = false, k = 0; k < pod->nips; k++)
					hit |= kn_ipaddr_eq(&e->ip,
							    &pod->ips[k]);
			if (hit)
				return e->ready ? KN_EP_READY : KN_EP_NOT_READY;
		}
	return KN_EP_NONE;
}

size_t
kn_model_pods_on_node(const struct kn_model *m, const char *node,
		      const char *ns, struct kn_pod ***out)
{
	struct kn_obj **v;
	size_t n, i, k = 0;

	n = kn_model_list(m, KN_POD, ns, &v);
	for (i = 0; i < n; i++) {
		const struct kn_pod *p = (const struct kn_pod *)v[i];

		if (p->node != NULL && strcmp(p->node, node) == 0)
			v[k++] = v[i];
	}
	*out = (struct kn_pod **)v;
	return k;
}
