/* Cluster sources: the embedded demo cluster and --snapshot files, loaded
 * into a new model through the snapshot/objdecode path the live client
 * shares, or the live client; then --filename manifests planned on top.
 * Manifests alone (no --snapshot, --demo, --kubeconfig or --context) are
 * planned on an empty cluster, so a CI job needs no cluster. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "k8snet/anon.h"
#include "k8snet/embed.h"
#include "k8snet/live.h"
#include "k8snet/log.h"
#include "k8snet/model.h"
#include "k8snet/plan.h"
#include "k8snet/source.h"
#include "snapshot.h"

#define KN_DEMO_FILE "demo-cluster.json"
#define KN_MAX_WARNINGS 20
#define KN_MAX_YAML_SNAPSHOT (1024u << 20)

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
		"others are loaded",
		name, st->bad, st->objects);
}

/* The rest of f after its first byte c, NUL-terminated; NULL when it
 * is larger than KN_MAX_YAML_SNAPSHOT or memory runs out. */
static char *
source_slurp(FILE *f, int c, size_t *len)
{
	size_t n = 1, cap = 1u << 20, got;
	char *buf = malloc(cap + 1), *nb;

	if (buf == NULL)
		return NULL;
	buf[0] = (char)c;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n < cap)
			continue;
		if (cap >= KN_MAX_YAML_SNAPSHOT ||
		    (nb = realloc(buf, cap * 2 + 1)) == NULL) {
			free(buf);
			return NULL;
		}
		buf = nb;
		cap *= 2;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* `kubectl get -o json` is streamed; anything not starting like JSON is
 * read as YAML (`-o yaml`), whole. */
static enum kn_err
source_load(struct kn_app *app, FILE *f, const char *name,
	    struct kn_snapshot_stats *st, struct warnctx *w, char *errbuf)
{
	enum kn_err e;
	size_t len;
	char *text;
	int c;

	while ((c = getc(f)) != EOF && isspace(c))
		;
	if (c == EOF || c == '{' || c == '[') {
		if (c != EOF)
			ungetc(c, f);
		return kn_snapshot_load_file(app->model, f, name, st,
					     source_warn, w, errbuf);
	}
	if ((text = source_slurp(f, c, &len)) == NULL)
		return kn_errf(errbuf, KN_ERR_LIMIT,
			       "--snapshot %s: YAML larger than %u MiB or out "
			       "of memory",
			       name, KN_MAX_YAML_SNAPSHOT >> 20);
	e = kn_snapshot_load_yaml(app->model, text, len, name, st, source_warn,
				  w, errbuf);
	free(text);
	return e;
}

static enum kn_err
source_file(struct kn_app *app, const char *path, char *errbuf)
{
	struct kn_snapshot_stats st;
	struct warnctx w = {0};
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
	e = source_load(app, f, name, &st, &w, errbuf);
	if (f != stdin)
		fclose(f);
	source_summary(name, &st, &w);
	return e;
}

/* The header names the source (context, snapshot file): a pseudonym too. */
static void
source_anon_name(struct kn_app *app)
{
	char tmp[sizeof(app->source)];

	if (app->anon == NULL)
		return;
	snprintf(tmp, sizeof(tmp), "%s", kn_anon_name(app->anon, app->source));
	memcpy(app->source, tmp, sizeof(tmp));
}

/* --request-timeout as kubectl reads it: "30", "30s", "2m", "1h"; "0" is
 * no limit (here: an hour). Returns milliseconds, 0 on a bad value. */
static uint64_t
source_timeout_ms(const char *s)
{
	double v;
	char *end;

	if (s == NULL)
		return 60000;
	v = strtod(s, &end);
	if (end == s || v < 0)
		return 0;
	if (*end == 'm' && end[1] == 's')
		v /= 1000, end += 2;
	else if (*end == 's')
		end++;
	else if (*end == 'm')
		v *= 60, end++;
	else if (*end == 'h')
		v *= 3600, end++;
	if (*end != '\0')
		return 0;
	if (v == 0)
		return 3600000;
	return (uint64_t)(v * 1000);
}

/* The live Kube-API: the default source. With --once it lists everything
 * and stops; in the console the informers keep watching. When only a
 * capture was asked for (-r/-i), a cluster that cannot be reached is a
 * warning (addresses stay unnamed; app->no_cluster says why), not a
 * failure. */
static enum kn_err
source_live(struct kn_app *app, char *errbuf)
{
	bool capture_only = app->opts.read_file || app->opts.interface;
	uint64_t timeout = source_timeout_ms(app->opts.request_timeout);
	enum kn_err e;

	if (timeout == 0)
		return kn_errf(errbuf, KN_ERR_INVAL,
			       "--request-timeout '%s': want a duration such "
			       "as 30s or 2m",
			       app->opts.request_timeout);
	if (app->opts.request_timeout != NULL)
		app->request_timeout_ms = (long)timeout;
	app->model = kn_model_new();
	kn_model_set_default_domain(app->model, app->opts.cluster_domain);
	kn_model_set_anon(app->model, app->anon);
	e = kn_kube_live_open(app, errbuf);
	if (e == KN_OK)
		source_anon_name(app);
	if (e == KN_OK && app->opts.once)
		e = kn_kube_live_sync_once(app, timeout, errbuf);
	if (e != KN_OK && capture_only) {
		snprintf(app->no_cluster, sizeof(app->no_cluster), "%s",
			 errbuf);
		kn_kube_live_close(app);
		kn_model_free(app->model);
		app->model = NULL;
		snprintf(app->source, sizeof(app->source), "no cluster");
		errbuf[0] = '\0';
		return KN_OK;
	}
	return e;
}

/* --filename alone: an empty cluster to plan on, no cluster asked. */
static bool
source_manifests_alone(const struct kn_opts *o)
{
	return o->nfilenames > 0 && !o->demo && o->nsnapshots == 0 &&
	       o->kubeconfig == NULL && o->context == NULL &&
	       o->cluster == NULL && o->user == NULL;
}

/* "demo + manifests course/" in the header. */
static void
source_name_plan(struct kn_app *app)
{
	char base[sizeof(app->source)];
	const struct kn_opts *o = &app->opts;

	if (o->nfilenames == 0)
		return;
	if (source_manifests_alone(o)) {
		if (o->nfilenames == 1)
			snprintf(app->source, sizeof(app->source),
				 "manifests %s", o->filenames[0]);
		else
			snprintf(app->source, sizeof(app->source),
				 "%d manifest paths", o->nfilenames);
		return;
	}
	snprintf(base, sizeof(base), "%s", app->source);
	if (o->nfilenames == 1)
		snprintf(app->source, sizeof(app->source), "%.60s + %.60s",
			 base, o->filenames[0]);
	else
		snprintf(app->source, sizeof(app->source),
			 "%.60s + %d manifest paths", base, o->nfilenames);
}

static void
source_plan_log(const struct kn_app *app)
{
	struct kn_plan_stats st;

	kn_plan_stats(app->plan, &st);
	kn_info("planned %zu objects from %zu files: %zu pods, %zu services "
		"given addresses, %zu EndpointSlices, %zu pods replaced",
		st.objects, st.files, st.pods, st.services, st.slices,
		st.replaced);
}

/* --filename: the paths, stdin read now (it can be read once). */
static enum kn_err
source_plan_open(struct kn_app *app, char *errbuf)
{
	enum kn_err e;
	int i;

	if (app->opts.nfilenames == 0)
		return KN_OK;
	app->plan = kn_plan_new(app->opts.namespace);
	for (i = 0; i < app->opts.nfilenames; i++)
		if ((e = kn_plan_add_path(app->plan, app->opts.filenames[i],
					  errbuf)) != KN_OK)
			return e;
	return KN_OK;
}

bool
kn_source_live_synced(struct kn_app *app)
{
	char errbuf[KN_ERRBUF];

	if (app->plan == NULL || app->model == NULL ||
	    kn_plan_applied_to(app->plan) == app->model)
		return false;
	if (kn_plan_apply(app->plan, app->model, errbuf) != KN_OK)
		kn_warn("--filename: %s", errbuf);
	else
		source_plan_log(app);
	return true;
}

/* The demo, snapshots, or nothing (manifests alone). */
static enum kn_err
source_static(struct kn_app *app, char *errbuf)
{
	struct kn_snapshot_stats st;
	struct warnctx w = {0};
	const unsigned char *demo;
	size_t len;
	enum kn_err e;
	int i;

	app->model = kn_model_new();
	kn_model_set_default_domain(app->model, app->opts.cluster_domain);
	kn_model_set_anon(app->model, app->anon);
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

enum kn_err
kn_source_open(struct kn_app *app, char *errbuf)
{
	struct kn_model *scratch;
	enum kn_err e;

	errbuf[0] = '\0';
	if ((e = source_plan_open(app, errbuf)) != KN_OK)
		return e;
	if (!app->opts.demo && app->opts.nsnapshots == 0 &&
	    !source_manifests_alone(&app->opts)) {
		if ((e = source_live(app, errbuf)) != KN_OK)
			return e;
		if (app->plan == NULL || app->model == NULL)
			return KN_OK;
		source_name_plan(app);
		if (app->opts.once) {
			if ((e = kn_plan_apply(app->plan, app->model,
					       errbuf)) == KN_OK)
				source_plan_log(app);
			return e;
		}
		/* The console plans once every kind is listed
		 * (kn_source_live_synced); broken files fail now. */
		scratch = kn_model_new();
		e = kn_plan_apply(app->plan, scratch, errbuf);
		kn_plan_forget(app->plan);
		kn_model_free(scratch);
		return e;
	}
	if ((e = source_static(app, errbuf)) != KN_OK)
		return e;
	source_name_plan(app);
	source_anon_name(app);
	if (app->plan != NULL) {
		if ((e = kn_plan_apply(app->plan, app->model, errbuf)) != KN_OK)
			return e;
		source_plan_log(app);
	}
	return KN_OK;
}

void
kn_source_close(struct kn_app *app)
{
	if (app->kube != NULL)
		kn_kube_live_close(app);
	kn_model_free(app->model);
	app->model = NULL;
	kn_plan_free(app->plan);
	app->plan = NULL;
}

enum kn_err
kn_source_switch_context(struct kn_app *app, const char *name, char *errbuf)
{
	struct kn_model *old = app->model;
	char prev[sizeof(app->context_sel)], again[KN_ERRBUF];
	bool had = app->opts.context != NULL;
	enum kn_err e;

	if (app->kube == NULL)
		return kn_errf(errbuf, KN_ERR_INVAL,
			       ":ctx needs the live "
			       "Kube-API as source (this is %s)",
			       app->source);
	snprintf(prev, sizeof(prev), "%s", had ? app->opts.context : "");
	kn_kube_live_close(app);
	snprintf(app->context_sel, sizeof(app->context_sel), "%s", name);
	app->opts.context = app->context_sel;
	app->model = kn_model_new();
	kn_model_set_default_domain(app->model, app->opts.cluster_domain);
	kn_model_set_anon(app->model, app->anon);
	e = kn_kube_live_open(app, errbuf);
	if (e == KN_OK) {
		kn_model_free(old);
		source_anon_name(app);
		return KN_OK;
	}
	/* Back to the context that was there; its informers relist into the
	 * old model, so nothing shown is lost. */
	kn_kube_live_close(app);
	kn_model_free(app->model);
	app->model = old;
	snprintf(app->context_sel, sizeof(app->context_sel), "%s", prev);
	app->opts.context = had ? app->context_sel : NULL;
	if (kn_kube_live_open(app, again) != KN_OK)
		kn_warn("reconnecting to the previous context: %s", again);
	else
		source_anon_name(app);
	return e;
}
