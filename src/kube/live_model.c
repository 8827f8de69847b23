/* The live Kube-API source wired to the cluster model: informer events go
 * through kn_objdecode_* into app->model. Kept apart from live.c so tools
 * and tests can run the client with their own sink. */
#include <string.h>

#include "informer.h"
#include "k8snet/live.h"
#include "k8snet/log.h"
#include "k8snet/source.h"
#include "objdecode.h"

static void
kn_live_model_event(void *arg, enum informer_event ev, const char *kind,
		    const cJSON *obj)
{
	struct kn_app *app = arg;
	char errbuf[KN_ERRBUF];
	enum kn_watch_event wev = ev == INFORMER_ADDED	    ? KN_EV_ADDED
				  : ev == INFORMER_MODIFIED ? KN_EV_MODIFIED
							    : KN_EV_DELETED;

	if (app->model == NULL)
		return;
	/* a bad object is counted and skipped by the decoder; say which */
	if (kn_objdecode_apply(app->model, wev, kind, obj, errbuf) != KN_OK)
		kn_debug("%s: %s", kind, errbuf);
}

static void
kn_live_model_begin(void *arg, const char *kind)
{
	struct kn_app *app = arg;

	if (app->model != NULL)
		kn_objdecode_list_begin(app->model, kind);
}

static void
kn_live_model_end(void *arg, const char *kind)
{
	struct kn_app *app = arg;

	if (app->model != NULL)
		kn_objdecode_list_end(app->model, kind);
}

/* Manifests are planned on top once every kind has been listed. */
static void
kn_live_model_state(void *arg, struct informer *inf, const char *msg)
{
	struct kn_app *app = arg;
	const struct informer *i;
	int k;

	(void)inf;
	(void)msg;
	/* --once plans after its own sync (kn_source_open) */
	if (app->plan == NULL || app->model == NULL || app->opts.once)
		return;
	for (k = 0; (i = kn_kube_live_informer(app, k)) != NULL; k++)
		if (!informer_settled(i))
			return;
	/* The plan replaces and removes objects the panes' rows point at;
	 * the model keeps them until the console rebuilt its rows. */
	kn_source_live_synced(app);
}

/* What discovery found of the Gateway API, for the Routes pane. */
static void
kn_live_model_group(void *arg, const char *group, const char *versions)
{
	struct kn_app *app = arg;

	if (app->model != NULL && strcmp(group, KN_GW_GROUP) == 0)
		kn_model_set_gateway_api(app->model,
					 versions != NULL ? KN_API_SERVED
							  : KN_API_ABSENT,
					 versions);
}

enum kn_err
kn_kube_live_open(struct kn_app *app, char *errbuf)
{
	struct informer_sink sink = {
		.arg = app,
		.on_event = kn_live_model_event,
		.on_list_begin = kn_live_model_begin,
		.on_list_end = kn_live_model_end,
		.on_state = kn_live_model_state,
		.on_group = kn_live_model_group,
	};

	return kn_kube_live_open_sink(app, &sink, errbuf);
}
