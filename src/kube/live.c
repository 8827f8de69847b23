/* The live Kube-API source: resolves the kubeconfig, builds the client
 * and one informer per kind, tracks the connection state for the header,
 * and falls back from EndpointSlice to Endpoints on clusters without
 * discovery.k8s.io/v1. The Gateway API is optional (CRDs): discovery
 * says which of its group versions and resources the server offers, and
 * only those are listed and watched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "discover.h"
#include "k8snet/execbroker.h"
#include "kauth.h"
#include "khttp.h"
#include "kubeconfig.h"
#include "informer.h"
#include "live_int.h"
#include "k8snet/live.h"
#include "k8snet/log.h"
#include "k8snet/loop.h"
#include "k8snet/model.h"
#include "sudoenv.h"

#define KN_KUBE_MAX_INFORMERS 24
/* Discovery that failed (not a 404) is asked again after this, doubled
 * up to the maximum. */
#define KN_KUBE_DISCOVER_RETRY_MS 2000
#define KN_KUBE_DISCOVER_RETRY_MAX_MS 60000
/* The console asks again this often while a group is absent: CRDs
 * installed while it runs show within half a minute. */
#define KN_KUBE_DISCOVER_ABSENT_MS 20000

struct kn_kube {
	struct kn_app *app;
	struct kubeconfig kc;
	struct kauth *auth;
	struct khttp *http;
	struct informer_sink user; /* where objects go */
	struct informer *inf[KN_KUBE_MAX_INFORMERS];
	int ninf;
	bool endpoints_fallback;
	struct discover *gw; /* the Gateway API's group */
	uint64_t gw_timer;   /* its retry */
	unsigned gw_failures;
	bool gw_added; /* its informers exist */
};

/* What the live source watches: a kind of the model's registry (names,
 * group, version, plural, scope) and how this source lists it. */
struct kn_watched {
	enum kn_kind kind;
	const char *only_ns, *field_selector;
	bool own_relist;
};

static const struct kn_watched kn_watched[] = {
	{KN_POD, NULL, NULL, false},
	{KN_SERVICE, NULL, NULL, false},
	{KN_SLICE, NULL, NULL, false},
	{KN_INGRESS, NULL, NULL, false},
	{KN_INGCLASS, NULL, NULL, false},
	{KN_NODE, NULL, NULL, false},
	{KN_NAMESPACE, NULL, NULL, false},
	{KN_DAEMONSET, NULL, NULL, false},
	{KN_NETPOL, NULL, NULL, false},
	/* Two ConfigMaps only; two informers share the kind, so each keeps
	 * its own relist bookkeeping. */
	{KN_CONFIGMAP, "kube-system", "metadata.name=coredns", true},
	{KN_CONFIGMAP, "kube-system", "metadata.name=kube-proxy", true},
};

/* Clusters before discovery.k8s.io/v1 (1.21). */
static const struct kn_watched kn_endpoints = {KN_ENDPOINTS, NULL, NULL, false};

static void kn_kube_on_event(void *arg, enum informer_event ev,
			     const char *kind, const cJSON *obj);
static void kn_kube_on_begin(void *arg, const char *kind);
static void kn_kube_on_end(void *arg, const char *kind);
static void kn_kube_on_state(void *arg, struct informer *inf, const char *msg);

/* Discovery has answered (or, for --once, given up). */
static bool
kn_kube_discovered(const struct kn_kube *k)
{
	return k->gw == NULL || discover_state(k->gw) == DISCOVER_SERVED ||
	       discover_state(k->gw) == DISCOVER_ABSENT ||
	       (k->app->opts.once && discover_state(k->gw) == DISCOVER_FAILED);
}

static void
kn_kube_update_conn(struct kn_kube *k)
{
	int i, settled = 0, backoff = 0;

	for (i = 0; i < k->ninf; i++) {
		if (informer_settled(k->inf[i]))
			settled++;
		if (informer_state(k->inf[i]) == INFORMER_BACKOFF)
			backoff++;
	}
	if (backoff > 0)
		k->app->conn = KN_CONN_DEGRADED;
	else if (settled == k->ninf && kn_kube_discovered(k))
		k->app->conn = KN_CONN_SYNCED;
	else
		k->app->conn = KN_CONN_CONNECTING;
}

/* An informer for w in version (NULL: the registry's). */
static bool
kn_kube_add_version(struct kn_kube *k, const struct kn_watched *w,
		    const char *version)
{
	const struct kn_kind_info *d = kn_kind_info(w->kind);
	struct informer_spec spec;
	struct informer_sink sink;
	struct informer *inf;

	if (k->ninf >= KN_KUBE_MAX_INFORMERS)
		return false;
	memset(&spec, 0, sizeof(spec));
	spec.group = d->group;
	spec.version = version != NULL ? version : d->version;
	spec.plural = d->plural;
	spec.kind = d->kind;
	spec.namespaced = d->namespaced;
	spec.namespace = w->only_ns	 ? w->only_ns
			 : d->namespaced ? k->app->opts.namespace
					 : NULL;
	spec.field_selector = w->field_selector;
	spec.own_relist = w->own_relist;
	spec.once = k->app->opts.once;
	/* informers report to these wrappers, which forward to k->user */
	sink.arg = k;
	sink.on_event = kn_kube_on_event;
	sink.on_list_begin = kn_kube_on_begin;
	sink.on_list_end = kn_kube_on_end;
	sink.on_state = kn_kube_on_state;
	inf = informer_new(k->http, k->app->loop, &spec, &sink);
	if (inf == NULL)
		return false;
	k->inf[k->ninf++] = inf;
	return true;
}

static bool
kn_kube_add(struct kn_kube *k, const struct kn_watched *w)
{
	return kn_kube_add_version(k, w, NULL);
}

/* ---- the Gateway API, when the server has it ---- */

static void kn_kube_gw_found(void *arg, struct discover *d);

static void
kn_kube_gw_retry(void *arg)
{
	struct kn_kube *k = arg;

	k->gw_timer = 0;
	discover_start(k->gw);
}

/* Informers for the Gateway API kinds the server serves, each in the
 * first of the registry's versions it offers. */
static void
kn_kube_gw_add(struct kn_kube *k, struct discover *d)
{
	const struct kn_kind_info *ki;
	const char *prefer[3], *v;
	struct kn_watched w = {KN_POD, NULL, NULL, false};
	int kind;

	for (kind = KN_GWCLASS; kind <= KN_REFGRANT; kind++) {
		ki = kn_kind_info((enum kn_kind)kind);
		prefer[0] = ki->version;
		prefer[1] = ki->alt_versions[0];
		prefer[2] = ki->alt_versions[1];
		v = discover_pick(d, ki->plural, prefer, 3);
		if (v == NULL)
			continue;
		w.kind = (enum kn_kind)kind;
		if (!kn_kube_add_version(k, &w, v)) {
			kn_warn("%s: cannot watch %s: too many kinds",
				k->kc.server, ki->plural);
			continue;
		}
		informer_start(k->inf[k->ninf - 1]);
	}
	k->gw_added = true;
}

static void
kn_kube_gw_found(void *arg, struct discover *d)
{
	struct kn_kube *k = arg;
	uint64_t delay;

	switch (discover_state(d)) {
	case DISCOVER_SERVED:
		k->gw_failures = 0;
		kn_info("%s: %s served (%s)", k->kc.server, KN_GW_GROUP,
			discover_versions(d));
		if (!k->gw_added)
			kn_kube_gw_add(k, d);
		if (k->user.on_group != NULL)
			k->user.on_group(k->user.arg, KN_GW_GROUP,
					 discover_versions(d));
		break;
	case DISCOVER_ABSENT:
		/* No Gateway API: an answer, not an error. The console asks
		 * again quietly, for CRDs installed while it runs. */
		k->gw_failures = 0;
		if (k->user.on_group != NULL)
			k->user.on_group(k->user.arg, KN_GW_GROUP, NULL);
		if (!k->app->opts.once && k->gw_timer == 0)
			k->gw_timer = kn_loop_add_timer(
				k->app->loop, KN_KUBE_DISCOVER_ABSENT_MS, false,
				kn_kube_gw_retry, k);
		break;
	default:
		k->gw_failures++;
		if (k->app->opts.once) {
			kn_warn("%s: cannot tell whether the Gateway API is "
				"served: %s",
				k->kc.server, discover_error(d));
			break;
		}
		delay = (uint64_t)KN_KUBE_DISCOVER_RETRY_MS
			<< (k->gw_failures < 6 ? k->gw_failures - 1 : 5);
		if (delay > KN_KUBE_DISCOVER_RETRY_MAX_MS)
			delay = KN_KUBE_DISCOVER_RETRY_MAX_MS;
		kn_debug("%s: discovery: %s (again in %llu ms)", k->kc.server,
			 discover_error(d), (unsigned long long)delay);
		k->gw_timer = kn_loop_add_timer(k->app->loop, delay, false,
						kn_kube_gw_retry, k);
		break;
	}
	kn_kube_update_conn(k);
}

/* The sink the informers see: forwards objects, watches states. */
static void
kn_kube_on_event(void *arg, enum informer_event ev, const char *kind,
		 const cJSON *obj)
{
	struct kn_kube *k = arg;

	if (k->user.on_event != NULL)
		k->user.on_event(k->user.arg, ev, kind, obj);
}

static void
kn_kube_on_begin(void *arg, const char *kind)
{
	struct kn_kube *k = arg;

	if (k->user.on_list_begin != NULL)
		k->user.on_list_begin(k->user.arg, kind);
}

static void
kn_kube_on_end(void *arg, const char *kind)
{
	struct kn_kube *k = arg;

	if (k->user.on_list_end != NULL)
		k->user.on_list_end(k->user.arg, kind);
}

static void
kn_kube_on_state(void *arg, struct informer *inf, const char *msg)
{
	struct kn_kube *k = arg;
	enum informer_state st = informer_state(inf);

	if (msg != NULL) {
		if (st == INFORMER_UNAVAILABLE || st == INFORMER_FORBIDDEN)
			kn_warn("%s", msg);
		else
			kn_info("%s", msg);
	}
	if (st == INFORMER_UNAVAILABLE && !k->endpoints_fallback &&
	    strcmp(informer_plural(inf), kn_kind_info(KN_SLICE)->plural) == 0) {
		k->endpoints_fallback = true;
		if (kn_kube_add(k, &kn_endpoints))
			informer_start(k->inf[k->ninf - 1]);
	}
	if (k->user.on_state != NULL)
		k->user.on_state(k->user.arg, inf, msg);
	kn_kube_update_conn(k);
}

void
kn_kube_live_close(struct kn_app *app)
{
	struct kn_kube *k = app->kube;
	int i;

	if (k == NULL)
		return;
	if (k->gw_timer != 0)
		kn_loop_cancel_timer(app->loop, k->gw_timer);
	discover_free(k->gw);
	for (i = 0; i < k->ninf; i++)
		informer_free(k->inf[i]);
	khttp_free(k->http);
	kauth_free(k->auth);
	kubeconfig_release(&k->kc);
	free(k);
	app->kube = NULL;
	app->conn = KN_CONN_NONE;
}

/* The kubeconfig choices of app's options. */
static void
live_overrides(const struct kn_app *app, struct kubeconfig_overrides *ov)
{
	memset(ov, 0, sizeof(*ov));
	ov->kubeconfig = app->opts.kubeconfig;
	ov->context = app->opts.context;
	ov->cluster = app->opts.cluster;
	ov->user = app->opts.user;
	ov->namespace = app->opts.namespace;
}

enum kn_err
kn_kube_live_contexts(const struct kn_app *app, struct kn_strs *names,
		      char *errbuf)
{
	struct kubeconfig_overrides ov;

	if (app->kube == NULL)
		return kn_errf(errbuf, KN_ERR_INVAL,
			       "contexts need the live Kube-API as source "
			       "(this is %s)",
			       app->source[0] != '\0' ? app->source : "none");
	live_overrides(app, &ov);
	return kubeconfig_contexts(&ov, names, errbuf);
}

enum kn_err
kn_kube_live_open_sink(struct kn_app *app, const struct informer_sink *sink,
		       char *errbuf)
{
	struct kubeconfig_overrides ov;
	struct kn_kube *k;
	enum kn_err e;
	size_t i;

	if (app->loop == NULL)
		return kn_errf(errbuf, KN_ERR_INVAL, "no event loop");
	k = calloc(1, sizeof(*k));
	if (k == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	k->app = app;
	k->user = *sink;
	live_overrides(app, &ov);
	e = kubeconfig_load(&ov, &k->kc, errbuf);
	if (e != KN_OK) {
		free(k);
		return e;
	}
	k->auth = kauth_new(&k->kc);
	if (k->auth == NULL) {
		kubeconfig_release(&k->kc);
		free(k);
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	}
	app->kube = k;
	if (k->kc.insecure) {
		app->insecure_tls = true;
		kn_warn("%s: insecure-skip-tls-verify: the server's "
			"certificate is not checked (cluster \"%s\")",
			k->kc.origin,
			k->kc.cluster_name ? k->kc.cluster_name : "-");
	}
	snprintf(app->source, sizeof(app->source), "%s",
		 k->kc.context ? k->kc.context : "in-cluster");
	k->http = khttp_new(app->loop, &k->kc, k->auth, errbuf);
	if (k->http == NULL) {
		kn_kube_live_close(app);
		return KN_ERR_INVAL;
	}
	khttp_set_request_timeout(k->http, app->request_timeout_ms);
	for (i = 0; i < sizeof(kn_watched) / sizeof(kn_watched[0]); i++)
		if (!kn_kube_add(k, &kn_watched[i])) {
			kn_kube_live_close(app);
			return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
		}
	k->gw = discover_new(k->http, KN_GW_GROUP, kn_kube_gw_found, k);
	if (k->gw == NULL) {
		kn_kube_live_close(app);
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	}
	/* Credentials first (an exec plugin runs once, not per kind), so a
	 * broken plugin is reported here, before anything starts. */
	{
		struct kauth_view v;

		e = kauth_current(k->auth, false, &v, errbuf);
		if (e != KN_OK) {
			kn_kube_live_close(app);
			return e;
		}
	}
	app->conn = KN_CONN_CONNECTING;
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	for (i = 0; i < (size_t)k->ninf; i++)
		informer_start(k->inf[i]);
	discover_start(k->gw);
	return KN_OK;
}

enum kn_err
kn_kube_live_start_broker(struct kn_app *app, char *errbuf)
{
	struct kn_kube *k = app->kube;
	const struct sudoenv_user *u;
	struct execbroker_req req;
	enum kn_err e;

	if (k == NULL || k->kc.exec.command == NULL)
		return KN_OK;
	if (kauth_exec_request(k->auth, &req) != KN_OK)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	e = execbroker_start(&req, errbuf);
	if (e != KN_OK)
		return e;
	u = sudoenv_user();
	kn_info("exec plugin %s: a broker process keeps running it as %s "
		"after the privilege drop",
		k->kc.exec.command, u != NULL ? u->name : "root");
	return KN_OK;
}

enum kn_err
kn_kube_live_sync_once(struct kn_app *app, uint64_t timeout_ms, char *errbuf)
{
	struct kn_kube *k = app->kube;
	uint64_t deadline = timeout_ms ? kn_now_ms() + timeout_ms : 0;
	int i;

	if (k == NULL)
		return kn_errf(errbuf, KN_ERR_INVAL, "no live source");
	for (;;) {
		int settled = 0;

		for (i = 0; i < k->ninf; i++) {
			struct informer *inf = k->inf[i];

			if (informer_settled(inf)) {
				settled++;
				continue;
			}
			if (informer_hard_error(inf))
				return kn_errf(errbuf, KN_ERR_NET, "%s",
					       informer_error(inf));
		}
		if (settled == k->ninf && kn_kube_discovered(k))
			return KN_OK;
		if (deadline != 0 && kn_now_ms() >= deadline) {
			for (i = 0; i < k->ninf; i++)
				if (!informer_settled(k->inf[i]))
					break;
			return kn_errf(errbuf, KN_ERR_AGAIN,
				       "%s: listing %s timed out after %llu "
				       "ms%s%s",
				       k->kc.server, informer_plural(k->inf[i]),
				       (unsigned long long)timeout_ms,
				       informer_error(k->inf[i])[0] ? ": " : "",
				       informer_error(k->inf[i]));
		}
		if (kn_loop_turn(app->loop, 200) != KN_OK)
			return kn_errf(errbuf, KN_ERR_IO, "event loop failed");
	}
}

void
kn_kube_live_status(const struct kn_app *app, struct kn_kube_status *st)
{
	const struct kn_kube *k = app->kube;
	int i;

	const struct informer *worst = NULL;
	int settled = 0;

	memset(st, 0, sizeof(*st));
	st->last_error = st->error = st->forbidden_error = "";
	if (k == NULL)
		return;
	st->server = k->kc.server;
	st->context = k->kc.context ? k->kc.context : "in-cluster";
	st->auth_mode = kauth_mode(k->auth);
	st->insecure = k->kc.insecure;
	st->discovering = !kn_kube_discovered(k);
	st->kinds = k->ninf;
	st->requests = khttp_stats(k->http)->requests;
	st->http2_responses = khttp_stats(k->http)->http2_responses;
	for (i = 0; i < k->ninf; i++) {
		const struct informer *inf = k->inf[i];
		const struct informer_stats *s = informer_stats(inf);
		uint64_t r;

		settled += informer_settled(inf);
		if (informer_failed(inf) > 0 &&
		    informer_state(inf) != INFORMER_FORBIDDEN &&
		    informer_state(inf) != INFORMER_UNAVAILABLE &&
		    (worst == NULL ||
		     informer_failed(inf) > informer_failed(worst)))
			worst = inf;
		switch (informer_state(inf)) {
		case INFORMER_FORBIDDEN:
			if (st->forbidden++ == 0)
				st->forbidden_error = informer_error(inf);
			break;
		case INFORMER_UNAVAILABLE:
			st->unavailable++;
			break;
		case INFORMER_BACKOFF:
			st->backoff++;
			r = informer_retry_in(inf);
			if (st->retry_in_ms == 0 || r < st->retry_in_ms)
				st->retry_in_ms = r;
			break;
		default:
			break;
		}
		if (informer_synced(inf))
			st->synced++;
		st->events += s->events;
		st->relists += s->relists;
		st->errors += s->errors;
		st->bookmarks += s->bookmarks;
		st->oversized += s->oversized;
		st->stalls += s->stalls;
		if (s->last_event_ms > st->last_event_ms)
			st->last_event_ms = s->last_event_ms;
		if (informer_error(inf)[0] != '\0' &&
		    informer_state(inf) != INFORMER_WATCHING &&
		    informer_state(inf) != INFORMER_SYNCED_ONCE)
			st->last_error = informer_error(inf);
	}
	st->ever_synced = settled == k->ninf;
	if (worst != NULL) {
		st->error = informer_error(worst);
		st->attempts = informer_failed(worst);
	}
}

const struct informer *
kn_kube_live_informer(const struct kn_app *app, int i)
{
	if (app->kube == NULL || i < 0 || i >= app->kube->ninf)
		return NULL;
	return app->kube->inf[i];
}

struct khttp *
kn_kube_live_http(const struct kn_app *app)
{
	return app->kube != NULL ? app->kube->http : NULL;
}
