/* The kind registry: for each kind the model keeps, the names the
 * Kube-API gives it (Kind, list Kind, plural resource, group, version)
 * and whether it is namespaced. The model, the decoder and the live
 * source all read this one table. */
#include <string.h>

#include "k8snet/model.h"

static const struct kn_kind_info kn_kinds[] = {
	[KN_POD] = {"Pod", "PodList", "pods", "", "v1", true, {NULL, NULL}},
	[KN_SERVICE] = {"Service",
			"ServiceList",
			"services",
			"",
			"v1",
			true,
			{NULL, NULL}},
	[KN_ENDPOINTS] = {"Endpoints",
			  "EndpointsList",
			  "endpoints",
			  "",
			  "v1",
			  true,
			  {NULL, NULL}},
	[KN_SLICE] = {"EndpointSlice",
		      "EndpointSliceList",
		      "endpointslices",
		      "discovery.k8s.io",
		      "v1",
		      true,
		      {NULL, NULL}},
	[KN_INGRESS] = {"Ingress",
			"IngressList",
			"ingresses",
			"networking.k8s.io",
			"v1",
			true,
			{NULL, NULL}},
	[KN_INGCLASS] = {"IngressClass",
			 "IngressClassList",
			 "ingressclasses",
			 "networking.k8s.io",
			 "v1",
			 false,
			 {NULL, NULL}},
	[KN_NODE] =
		{"Node", "NodeList", "nodes", "", "v1", false, {NULL, NULL}},
	[KN_NAMESPACE] = {"Namespace",
			  "NamespaceList",
			  "namespaces",
			  "",
			  "v1",
			  false,
			  {NULL, NULL}},
	[KN_DAEMONSET] = {"DaemonSet",
			  "DaemonSetList",
			  "daemonsets",
			  "apps",
			  "v1",
			  true,
			  {NULL, NULL}},
	[KN_CONFIGMAP] = {"ConfigMap",
			  "ConfigMapList",
			  "configmaps",
			  "",
			  "v1",
			  true,
			  {NULL, NULL}},
	[KN_NETPOL] = {"NetworkPolicy",
		       "NetworkPolicyList",
		       "networkpolicies",
		       "networking.k8s.io",
		       "v1",
		       true,
		       {NULL, NULL}},
	[KN_GWCLASS] = {"GatewayClass",
			"GatewayClassList",
			"gatewayclasses",
			KN_GW_GROUP,
			"v1",
			false,
			{"v1beta1", "v1alpha2"}},
	[KN_GATEWAY] = {"Gateway",
			"GatewayList",
			"gateways",
			KN_GW_GROUP,
			"v1",
			true,
			{"v1beta1", "v1alpha2"}},
	[KN_HTTPROUTE] = {"HTTPRoute",
			  "HTTPRouteList",
			  "httproutes",
			  KN_GW_GROUP,
			  "v1",
			  true,
			  {"v1beta1", "v1alpha2"}},
	[KN_GRPCROUTE] = {"GRPCRoute",
			  "GRPCRouteList",
			  "grpcroutes",
			  KN_GW_GROUP,
			  "v1",
			  true,
			  {"v1alpha2", NULL}},
	/* Experimental channel: v1alpha2 (TLSRoute also v1alpha3). */
	[KN_TLSROUTE] = {"TLSRoute",
			 "TLSRouteList",
			 "tlsroutes",
			 KN_GW_GROUP,
			 "v1alpha2",
			 true,
			 {"v1alpha3", NULL}},
	[KN_TCPROUTE] = {"TCPRoute",
			 "TCPRouteList",
			 "tcproutes",
			 KN_GW_GROUP,
			 "v1alpha2",
			 true,
			 {"v1alpha1", NULL}},
	[KN_UDPROUTE] = {"UDPRoute",
			 "UDPRouteList",
			 "udproutes",
			 KN_GW_GROUP,
			 "v1alpha2",
			 true,
			 {"v1alpha1", NULL}},
	[KN_REFGRANT] = {"ReferenceGrant",
			 "ReferenceGrantList",
			 "referencegrants",
			 KN_GW_GROUP,
			 "v1beta1",
			 true,
			 {"v1alpha2", NULL}},
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

bool
kn_kind_api_version_ok(enum kn_kind kind, const char *api_version)
{
	const struct kn_kind_info *ki = kn_kind_info(kind);
	const char *slash, *v;
	size_t glen, i;

	if (ki == NULL || api_version == NULL || ki->alt_versions[0] == NULL)
		return ki != NULL;
	slash = strchr(api_version, '/');
	glen = slash != NULL ? (size_t)(slash - api_version) : 0;
	if (strlen(ki->group) != glen ||
	    strncmp(api_version, ki->group, glen) != 0)
		return false;
	v = slash != NULL ? slash + 1 : api_version;
	if (strcmp(v, ki->version) == 0)
		return true;
	for (i = 0; i < 2; i++)
		if (ki->alt_versions[i] != NULL &&
		    strcmp(v, ki->alt_versions[i]) == 0)
			return true;
	return false;
}
