/* Cluster sources: the embedded demo cluster and --snapshot files, loaded
 * into a new model through the snapshot/objdecode path the live client
 * shares. Without either, the model stays NULL for the live client. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "k8snet/embed.h"
#include "k8snet/log.h"
#include "k8snet/model.h"
#include "k8snet/snapshot.h"
#include "k8snet/source.h"

#define KN_DEMO_FILE "demo-cluster.json"
#define KN_MAX_WARNINGS 20

struct warnctx {
	size_t shown;
};

static void
source_warn(void *arg, const char *msg)
{
	struct warnctx *w = arg;

	if (w->shown++ < KN_MAX_WARNINGS)
		kn_warn("skipped %s", msg);
}

static void
source_summary(const char *name, const struct kn_snapshot_stats *st,
	       const struct warnctx *w)
{
	if (st->bad == 0)
		return;
	if (w->shown > KN_MAX_WARNINGS)
		kn_warn("%s: %zu more bad objects not shown", name,
			w->shown - KN_MAX_WARNINGS);
	kn_warn("%s: %zu of %zu objects were malformed and skipped; the "
		"others are loaded", name, st->bad, st->objects);
}

static enum kn_err
source_file(struct kn_app *app, const char *path, char *errbuf)
{
	struct kn_snapshot_stats st;
	struct warnctx w = { 0 };
	const char *name = path;
	enum kn_err e;
	FILE *f;

	memset(&st, 0, sizeof(st));
	if (strcmp(path, "-") == 0) {
		f = stdin;
		name = "(stdin)";
	} else {
		f = fopen(path, "rb");
		if (f == NULL)
			return kn_errf(errbuf, KN_ERR_IO, "--snapshot %s: %s",
				       path, strerror(errno));
	}
	e = kn_snapshot_load_file(app->model, f, name, &st, source_warn, &w,
				  errbuf);
	if (f != stdin)
		fclose(f);
	source_summary(name, &st, &w);
	return e;
}

enum kn_err
kn_source_open(struct kn_app *app, char *errbuf)
{
	struct kn_snapshot_stats st;
	struct warnctx w = { 0 };
	const unsigned char *demo;
	size_t len;
	enum kn_err e;
	int i;

	errbuf[0] = '\0';
	if (!app->opts.demo && app->opts.nsnapshots == 0) {
		snprintf(app->source, sizeof(app->source), "no source");
		return KN_OK;
	}
	app->model = kn_model_new();
	kn_model_set_default_domain(app->model, app->opts.cluster_domain);
	if (app->opts.demo) {
		demo = kn_embed_find(KN_DEMO_FILE, &len);
		if (demo == NULL)
			return kn_errf(errbuf, KN_ERR_NOTFOUND,
				       "the demo cluster is not built into "
				       "this binary (src/embed/%s)",
				       KN_DEMO_FILE);
		memset(&st, 0, sizeof(st));
		e = kn_snapshot_load_mem(app->model, (const char *)demo, len,
					 KN_DEMO_FILE, &st, source_warn, &w,
					 errbuf);
		source_summary(KN_DEMO_FILE, &st, &w);
		if (e != KN_OK)
			return e;
		snprintf(app->source, sizeof(app->source), "demo");
	}
	for (i = 0; i < app->opts.nsnapshots; i++) {
		e = source_file(app, app->opts.snapshots[i], errbuf);
		if (e != KN_OK)
			return e;
	}
	if (!app->opts.demo) {
		if (app->opts.nsnapshots == 1)
			snprintf(app->source, sizeof(app->source),
				 "snapshot %s", app->opts.snapshots[0]);
		else
			snprintf(app->source, sizeof(app->source),
				 "%d snapshots", app->opts.nsnapshots);
	}
	app->conn = KN_CONN_NONE;
	return KN_OK;
}

void
kn_source_close(struct kn_app *app)
{
	kn_model_free(app->model);
	app->model = NULL;
}
