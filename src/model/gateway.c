/* Names of the Gateway API's enumerations and status conditions, for
 * the objects the decoder keeps (model.h); their chains are routes.h's. */
#include <string.h>

#include "k8snet/model.h"

const char *
kn_cond_status_name(uint8_t st)
{
	static const char *const n[] = {"Unknown", "True", "False"};

	return st < 3 ? n[st] : "Unknown";
}

const struct kn_cond *
kn_cond_find(const struct kn_cond *c, size_t n, const char *type)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].type != NULL && strcmp(c[i].type, type) == 0)
			return &c[i];
	return NULL;
}

const char *
kn_gw_from_name(uint8_t from)
{
	static const char *const n[] = {"Same", "All", "Selector"};

	return from < 3 ? n[from] : "Same";
}

const char *
kn_gw_tls_name(uint8_t mode)
{
	switch (mode) {
	case KN_GW_TLS_TERMINATE:
		return "Terminate";
	case KN_GW_TLS_PASSTHROUGH:
		return "Passthrough";
	default:
		return NULL;
	}
}

const char *
kn_gw_mtype_name(uint8_t t)
{
	static const char *const n[] = {"Exact", "PathPrefix",
					"RegularExpression"};

	return t < 3 ? n[t] : "PathPrefix";
}
