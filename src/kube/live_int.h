/* Inside src/kube: the live source's HTTP client, for the other readers
 * of the same cluster (the agents' pod logs, podlog.c). */
#ifndef K8SNET_LIVE_INT_H
#define K8SNET_LIVE_INT_H

#include "k8snet/app.h"
#include "khttp.h"

/* The client of app's live source (borrowed; freed by
 * kn_kube_live_close), or NULL without one. */
struct khttp *kn_kube_live_http(const struct kn_app *app);

#endif
