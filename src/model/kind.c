/* The kind registry: for each kind the model keeps, the names the
 * Kube-API gives it (Kind, list Kind, plural resource, group, version)
 * and whether it is namespaced. The model, the decoder and the live
 * source all read this one table. */
#include <string.h>

#include "k8snet/model.h"

static const struct kn_kind_info kn_kinds[] = {
	[KN_POD] = {"Pod", "PodList", "pods", "", "v1", true},
	[KN_SERVICE] = {"Service", "ServiceList", "services", "", "v1", true},
	[KN_ENDPOINTS] = {"Endpoints", "EndpointsList", "endpoints", "", "v1",
			  true},
	[KN_SLICE] = {"EndpointSlice", "EndpointSliceList", "endpointslices",
		      "discovery.k8s.io", "v1", true},
	[KN_INGRESS] = {"Ingress", "IngressList", "ingresses",
			"networking.k8s.io", "v1", true},
	[KN_INGCLASS] = {"IngressClass", "IngressClassList", "ingressclasses",
			 "networking.k8s.io", "v1", false},
	[KN_NODE] = {"Node", "NodeList", "nodes", "", "v1", false},
	[KN_NAMESPACE] = {"Namespace", "NamespaceList", "namespaces", "", "v1",
			  false},
	[KN_DAEMONSET] = {"DaemonSet", "DaemonSetList", "daemonsets", "apps",
			  "v1", true},
	[KN_CONFIGMAP] = {"ConfigMap", "ConfigMapList", "configmaps", "", "v1",
			  true},
	[KN_NETPOL] = {"NetworkPolicy", "NetworkPolicyList", "networkpolicies",
		       "networking.k8s.io", "v1", true},
};

/* A kind added to enum kn_kind needs its row here (and a decoder in
 * src/kube/objdecode.c, checked there the same way). */
_Static_assert(sizeof(kn_kinds) / sizeof(kn_kinds[0]) == KN_KIND__COUNT,
	       "kind registry: one row per enum kn_kind");

const struct kn_kind_info *
kn_kind_info(enum kn_kind kind)
{
	return (unsigned)kind < KN_KIND__COUNT ? &kn_kinds[kind] : NULL;
}

int
kn_kind_from_name(const char *kind)
{
	int i;

	if (kind == NULL)
		return -1;
	for (i = 0; i < KN_KIND__COUNT; i++)
		if (strcmp(kind, kn_kinds[i].kind) == 0)
			return i;
	return -1;
}

int
kn_kind_from_list_name(const char *list_kind)
{
	int i;

	if (list_kind == NULL)
		return -1;
	for (i = 0; i < KN_KIND__COUNT; i++)
		if (strcmp(list_kind, kn_kinds[i].list_kind) == 0)
			return i;
	return -1;
}

const char *
kn_kind_name(enum kn_kind kind)
{
	return (unsigned)kind < KN_KIND__COUNT ? kn_kinds[kind].kind : "?";
}
