/* Cluster sources: the embedded demo, --snapshot files, the live Kube-API.
 * Loads objects into app->model (creating it). */
#ifndef K8SNET_SOURCE_H
#define K8SNET_SOURCE_H

#include <stdbool.h>

#include "k8snet/app.h"
#include "k8snet/err.h"

/* Load the cluster source chosen by app->opts; on error errbuf names the
 * file, context or URL at fault. When only a capture was asked for (-r,
 * -i), a live cluster that cannot be reached is no error: app->model
 * stays NULL and app->no_cluster says why. */
enum kn_err kn_source_open(struct kn_app *app, char *errbuf);
void kn_source_close(struct kn_app *app);

/* The live source has listed every kind (live_model.c calls it on each
 * change of state): --filename manifests are planned on top of the model
 * now, once per model; a failure is logged. True when the model was
 * changed (views must be rebuilt before they are read). */
bool kn_source_live_synced(struct kn_app *app);

/* Live source only: reconnect with another context of the kubeconfig into
 * a new model (app->model changes; the old one is freed). On failure the
 * previous context is reconnected and errbuf says why. */
enum kn_err kn_source_switch_context(struct kn_app *app, const char *name,
				     char *errbuf);

#endif
