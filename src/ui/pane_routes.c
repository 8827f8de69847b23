/* Routes pane: the Routes view of Gateway API route chains. */
#include "pane.h"

const struct kn_pane_ops kn_pane_routes_ops = {
	.id = KN_PANE_ROUTES,
	.title = "Routes",
	.view = &kn_view_routes,
	.sort_col = 0,
	.deps = KN_DEP(KN_GWCLASS) | KN_DEP(KN_GATEWAY) | KN_DEP(KN_HTTPROUTE) |
		KN_DEP(KN_GRPCROUTE) | KN_DEP(KN_TLSROUTE) |
		KN_DEP(KN_TCPROUTE) | KN_DEP(KN_UDPROUTE) |
		KN_DEP(KN_REFGRANT) | KN_DEP(KN_SERVICE) | KN_DEP(KN_SLICE) |
		KN_DEP(KN_ENDPOINTS) | KN_DEP(KN_NAMESPACE),
};
