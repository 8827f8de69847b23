/* The live Kube-API source: kubeconfig -> credentials -> HTTP client ->
 * one informer per kind the console shows, feeding the model (or any
 * sink). Read-only: only GET is ever sent.
 *
 * Kinds: Pod, Service, EndpointSlice (discovery.k8s.io/v1; Endpoints when
 * the cluster does not serve it), Ingress and IngressClass
 * (networking.k8s.io/v1), Node, Namespace, DaemonSet (apps/v1),
 * NetworkPolicy, and the ConfigMaps kube-system/coredns and
 * kube-system/kube-proxy; then, when discovery finds the Gateway API
 * (gateway.networking.k8s.io), GatewayClass, Gateway, the route kinds and
 * ReferenceGrant in the versions the server offers (what discovery found
 * goes to the sink's on_group). With -n NS the namespaced kinds are
 * watched in NS only. */
#ifndef K8SNET_LIVE_H
#define K8SNET_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "k8snet/app.h"
#include "k8snet/err.h"

/* informer.h (and, through khttp.h, curl) stays with those who fill a
 * sink or read an informer. */
struct informer;
struct informer_sink;

/* Start the live source into app->model through kn_objdecode_* (defined
 * in live_model.c). Needs app->loop and app->model. Resolves the
 * kubeconfig from app->opts; errors name the file, the context, the
 * server. Sets app->source, app->conn, app->insecure_tls, app->kube. With
 * app->opts.once the informers list and stop (no watch). */
enum kn_err kn_kube_live_open(struct kn_app *app, char *errbuf);

/* Same, delivering to sink (copied; sink->on_state may be NULL). */
enum kn_err kn_kube_live_open_sink(struct kn_app *app,
				   const struct informer_sink *sink,
				   char *errbuf);

/* Drive app->loop until every informer has listed (or is forbidden or
 * not served), at most timeout_ms (0: no limit). KN_ERR_AGAIN on timeout
 * and KN_ERR_NET/KN_ERR_PERM when the cluster cannot be reached or
 * refuses the credentials; errbuf says which kinds and why. Forbidden
 * kinds are not errors: see kn_kube_live_status. */
enum kn_err kn_kube_live_sync_once(struct kn_app *app, uint64_t timeout_ms,
				   char *errbuf);

/* Stop every request and free app->kube. */
void kn_kube_live_close(struct kn_app *app);

/* Before root drops its privileges (-Z): when the live source's user has
 * an exec credential plugin, fork the broker that keeps running it as the
 * invoking user (execbroker.h), pinned to this context's plugin request.
 * KN_OK without a live source or plugin; errors from execbroker_start. */
enum kn_err kn_kube_live_start_broker(struct kn_app *app, char *errbuf);

/* For the header: connection state and counters. Strings borrowed. */
struct kn_kube_status {
	const char *server, *context, *auth_mode;
	int kinds, synced, forbidden, unavailable, backoff;
	uint64_t events, relists, errors, bookmarks, oversized, stalls;
	uint64_t last_event_ms; /* kn_now_ms() of the last event, 0: none */
	uint64_t retry_in_ms;	/* soonest retry while reconnecting */
	const char *last_error; /* "" when none */
	bool insecure;
	bool discovering; /* optional API groups not known yet */
	uint64_t http2_responses, requests;
	/* The connection as the console shows it. ever_synced: every kind
	 * was listed once (or will not be: forbidden, not served). error:
	 * why a kind's last attempt failed (not 403), "" while none fails,
	 * of the kind that failed most often (the first of those);
	 * attempts: how many of its attempts failed in a row.
	 * forbidden_error: the first forbidden kind's 403, or "". */
	bool ever_synced;
	const char *error;
	unsigned attempts;
	const char *forbidden_error;
};
void kn_kube_live_status(const struct kn_app *app, struct kn_kube_status *st);

struct kn_strs;
/* The contexts of the kubeconfig the live source reads (--kubeconfig,
 * else $KUBECONFIG, else ~/.kube/config), in order, added to names; for
 * :ctx. KN_ERR_INVAL without a live source; errbuf says why. */
enum kn_err kn_kube_live_contexts(const struct kn_app *app,
				  struct kn_strs *names, char *errbuf);

/* Each informer, for a status pane: iterate i from 0 while non-NULL. */
const struct informer *kn_kube_live_informer(const struct kn_app *app, int i);

#endif
