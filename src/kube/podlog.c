/* The node agents' pod logs (podlog.h): the agents' DaemonSet read
 * (its namespace and spec.selector) and watched, so that a new selector
 * is followed at once, an informer on the pods it selects, and per running
 * agent pod a followed log stream that resumes after a cut from its last
 * timestamp. Streams are requests without a timeout on the live source's client
 * (the loop's multi handle); a stream that brings no byte for the stall window
 * is given up and resumed, as a watch is. */
#include <stdlib.h>
#include <string.h>

#include "k8snet/buf.h"
#include "k8snet/log.h"
#include "k8snet/loop.h"
#include "k8snet/podlog.h"
#include "informer.h"
#include "khttp.h"
#include "live_int.h"
#include "podlog_ds.h"

#define PODLOG_MAX_PODS 4096
#define PODLOG_RESUME_MS 250
#define PODLOG_BACKOFF_MAX_MS 5000
/* A deleted pod's stream ends when its container stops; past this it is
 * cancelled. */
#define PODLOG_DELETE_GRACE_MS 10000
/* Looking for the agents' DaemonSet again: after a failure, and (no
 * namespace given) while there is none. */
#define PODLOG_FIND_RETRY_MS 5000
#define PODLOG_FIND_IDLE_MS 60000
#define PODLOG_DS_MAX_BYTES (16u << 20)

struct pod {
	struct kn_podlogs *p;
	char name[254], node[254], container[254];
	bool running, deleted, gone, seen;
	struct khttp_req *req;
	uint64_t timer, stall_timer;
	uint64_t progress_ms;
	char last_ts[48]; /* RFC 3339 of the last line, "" before one */
	struct kn_buf partial;
	bool skipping; /* inside a line too long to keep */
	unsigned failures;
};

struct kn_podlogs {
	struct kn_app *app;
	struct khttp *http;
	struct informer *inf;
	struct informer *ds_inf; /* the chosen DaemonSet, watched */
	char ds_name[254];
	char ds_field[300]; /* its fieldSelector */
	cJSON *ds_new;	    /* its latest state, not yet taken */
	uint64_t ds_new_timer;
	char ns[254];	     /* "" until found (no namespace given) */
	char selector[1024]; /* the pods' labelSelector, "" until read */
	cJSON *match;	     /* its matchLabels (owned) */
	bool given_ns;	     /* --agents NS */
	struct khttp_req *ds_req;
	struct kn_buf ds_body;
	uint64_t ds_timer;
	struct kn_podlogs_ops ops;
	void *arg;
	struct pod **pods;
	size_t npods, cap;
	bool listed;
	uint64_t streams, resumes, cuts, oversized;
	char error[KN_ERRBUF];
};

static void pod_stream(struct pod *d);

static void
changed(struct kn_podlogs *p)
{
	if (p->ops.changed != NULL)
		p->ops.changed(p->arg);
}

static void
pod_stop(struct pod *d)
{
	if (d->req != NULL) {
		khttp_cancel(d->req);
		d->req = NULL;
	}
	if (d->timer != 0) {
		kn_loop_cancel_timer(d->p->app->loop, d->timer);
		d->timer = 0;
	}
	if (d->stall_timer != 0) {
		kn_loop_cancel_timer(d->p->app->loop, d->stall_timer);
		d->stall_timer = 0;
	}
}

static void
pod_free(struct pod *d)
{
	pod_stop(d);
	kn_buf_release(&d->partial);
	free(d);
}

/* One whole line: "TIMESTAMP LINE" (timestamps=true). */
static void
pod_line(struct pod *d, const char *s, size_t n)
{
	const char *sp = memchr(s, ' ', n < 64 ? n : 64);
	size_t tl;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (sp == NULL)
		return; /* not a timestamped line */
	tl = (size_t)(sp - s);
	if (tl >= sizeof(d->last_ts))
		return;
	memcpy(d->last_ts, s, tl);
	d->last_ts[tl] = '\0';
	if (d->p->ops.line != NULL)
		d->p->ops.line(d->p->arg, d->node[0] ? d->node : d->name,
			       d->name, sp + 1, n - tl - 1);
}

static bool
pod_data(void *arg, const char *s, size_t n)
{
	struct pod *d = arg;
	const char *nl;
	size_t k;

	d->progress_ms = kn_now_ms();
	d->failures = 0;
	while (n > 0) {
		nl = memchr(s, '\n', n);
		k = nl != NULL ? (size_t)(nl - s) : n;
		if (!d->skipping && kn_buf_append(&d->partial, s, k) != KN_OK) {
			/* past the cap: this line is skipped whole */
			d->skipping = true;
			d->p->oversized++;
			kn_buf_clear(&d->partial);
		}
		if (nl == NULL)
			break;
		if (!d->skipping)
			pod_line(d, d->partial.data, d->partial.len);
		d->skipping = false;
		kn_buf_clear(&d->partial);
		s = nl + 1;
		n -= k + 1;
	}
	return true;
}

static void
pod_retry_cb(void *arg)
{
	struct pod *d = arg;

	d->timer = 0;
	pod_stream(d);
}

static void
pod_retry(struct pod *d, uint64_t ms)
{
	if (d->timer != 0 || d->deleted || d->gone)
		return;
	d->timer =
		kn_loop_add_timer(d->p->app->loop, ms, false, pod_retry_cb, d);
}

static uint64_t
pod_backoff(struct pod *d)
{
	uint64_t ms = PODLOG_RESUME_MS;
	unsigned i;

	for (i = 1; i < d->failures && ms < PODLOG_BACKOFF_MAX_MS; i++)
		ms *= 2;
	return ms < PODLOG_BACKOFF_MAX_MS ? ms : PODLOG_BACKOFF_MAX_MS;
}

static void
pod_done(void *arg, const struct khttp_result *r)
{
	struct pod *d = arg;
	struct kn_podlogs *p = d->p;
	char errbuf[KN_ERRBUF];

	d->req = NULL;
	if (d->stall_timer != 0) {
		kn_loop_cancel_timer(p->app->loop, d->stall_timer);
		d->stall_timer = 0;
	}
	/* a line cut by the end of the stream comes again after the
	 * resume (its timestamp was not taken) */
	kn_buf_clear(&d->partial);
	d->skipping = false;
	if (r->status == 404) {
		/* the pod is gone; the watch will say what replaced it */
		d->gone = true;
		changed(p);
		return;
	}
	if (r->status != 0 && (r->status < 200 || r->status >= 300)) {
		d->failures++;
		snprintf(p->error, sizeof(p->error), "%s", r->message);
		kn_info("agents: %s/%s: %s", p->ns, d->name, r->message);
		if (r->status == 401 && r->auth_stale)
			khttp_refresh_auth(p->http, errbuf);
		pod_retry(d, r->status == 403 ? 30000 : pod_backoff(d));
		changed(p);
		return;
	}
	if (r->curl != CURLE_OK) {
		p->cuts++;
		d->failures++;
		snprintf(p->error, sizeof(p->error), "%s", r->message);
		kn_info("agents: %s/%s: log stream cut: %s", p->ns, d->name,
			r->message);
	}
	/* ended (the container stopped or restarted) or cut: resume
	 * from the last timestamp, unless the pod was deleted */
	if (!d->deleted)
		pod_retry(d, r->curl == CURLE_OK ? PODLOG_RESUME_MS
						 : pod_backoff(d));
	changed(p);
}

static void
pod_stall_cb(void *arg)
{
	struct pod *d = arg;
	uint64_t win = khttp_watch_stall_ms(d->p->http), now = kn_now_ms();

	d->stall_timer = 0;
	if (d->req == NULL)
		return;
	if (now - d->progress_ms < win) {
		d->stall_timer = kn_loop_add_timer(d->p->app->loop,
						   win - (now - d->progress_ms),
						   false, pod_stall_cb, d);
		return;
	}
	khttp_cancel(d->req);
	d->req = NULL;
	kn_buf_clear(&d->partial);
	d->p->cuts++;
	kn_info("agents: %s/%s: no log line for %llu s; resuming", d->p->ns,
		d->name, (unsigned long long)(win / 1000));
	pod_retry(d, PODLOG_RESUME_MS);
}

static void
pod_stream(struct pod *d)
{
	struct kn_podlogs *p = d->p;
	char path[2048], ns[800], name[800], ctr[800], ts[160];
	char errbuf[KN_ERRBUF];
	int n;

	if (d->req != NULL || d->deleted || d->gone || !d->running)
		return;
	khttp_query_escape(p->ns, ns, sizeof(ns));
	khttp_query_escape(d->name, name, sizeof(name));
	khttp_query_escape(d->container, ctr, sizeof(ctr));
	n = snprintf(path, sizeof(path),
		     "/api/v1/namespaces/%s/pods/%s/log?follow=true&"
		     "timestamps=true",
		     ns, name);
	if (d->container[0] != '\0' && n > 0 && (size_t)n < sizeof(path))
		n += snprintf(path + n, sizeof(path) - (size_t)n,
			      "&container=%s", ctr);
	if (d->last_ts[0] != '\0' && n > 0 && (size_t)n < sizeof(path)) {
		khttp_query_escape(d->last_ts, ts, sizeof(ts));
		snprintf(path + n, sizeof(path) - (size_t)n, "&sinceTime=%s",
			 ts);
		p->resumes++;
	}
	d->req = khttp_get(p->http, path, 0, pod_data, pod_done, d, errbuf);
	if (d->req == NULL) {
		snprintf(p->error, sizeof(p->error), "%s", errbuf);
		d->failures++;
		pod_retry(d, pod_backoff(d));
		return;
	}
	p->streams++;
	d->progress_ms = kn_now_ms();
	d->stall_timer =
		kn_loop_add_timer(p->app->loop, khttp_watch_stall_ms(p->http),
				  false, pod_stall_cb, d);
	changed(p);
}

/* ---- the pods ---- */

static const char *
jstr(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	if (b != NULL)
		v = cJSON_GetObjectItemCaseSensitive(v, b);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The server selects the pods; a pod whose labels changed under a
 * watch is told apart here (matchLabels). */
static bool
is_agent(const struct kn_podlogs *p, const cJSON *obj)
{
	return kn_podlog_matches(p->match, obj);
}

static struct pod *
pod_find(struct kn_podlogs *p, const char *name, size_t *at)
{
	size_t i;

	for (i = 0; i < p->npods; i++)
		if (strcmp(p->pods[i]->name, name) == 0) {
			if (at != NULL)
				*at = i;
			return p->pods[i];
		}
	return NULL;
}

static struct pod *
pod_add(struct kn_podlogs *p, const char *name)
{
	struct pod *d, **v;

	if (p->npods >= PODLOG_MAX_PODS)
		return NULL;
	if (p->npods == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;

		v = realloc(p->pods, cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		p->pods = v;
		p->cap = cap;
	}
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	d->p = p;
	snprintf(d->name, sizeof(d->name), "%s", name);
	kn_buf_init(&d->partial, KN_PODLOG_LINE_MAX);
	p->pods[p->npods++] = d;
	return d;
}

static void
pod_remove(struct kn_podlogs *p, size_t i)
{
	pod_free(p->pods[i]);
	p->pods[i] = p->pods[--p->npods];
}

static void
delete_grace_cb(void *arg)
{
	struct pod *d = arg;
	size_t i;

	d->timer = 0;
	if (pod_find(d->p, d->name, &i) == d) {
		struct kn_podlogs *p = d->p;

		pod_remove(p, i);
		changed(p);
	}
}

/* A pod runs when its phase says so: its log can be read. */
static bool
pod_running(const cJSON *obj)
{
	const char *phase = jstr(obj, "status", "phase");

	return phase != NULL && strcmp(phase, "Running") == 0;
}

static void
on_event(void *arg, enum informer_event ev, const char *kind, const cJSON *obj)
{
	struct kn_podlogs *p = arg;
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const cJSON *ctrs;
	const char *name = jstr(md, "name", NULL), *s;
	struct pod *d;
	size_t i;

	(void)kind;
	if (name == NULL)
		return;
	d = pod_find(p, name, &i);
	if (ev == INFORMER_DELETED || (d != NULL && !is_agent(p, obj))) {
		if (d == NULL || d->deleted)
			return;
		/* its last lines (the final summary at SIGTERM) are on
		 * their way: the stream ends by itself */
		d->deleted = true;
		if (d->timer != 0)
			kn_loop_cancel_timer(p->app->loop, d->timer);
		d->timer = 0;
		if (d->req == NULL) {
			pod_remove(p, i);
		} else {
			d->timer = kn_loop_add_timer(p->app->loop,
						     PODLOG_DELETE_GRACE_MS,
						     false, delete_grace_cb, d);
		}
		changed(p);
		return;
	}
	if (!is_agent(p, obj))
		return;
	if (d == NULL && (d = pod_add(p, name)) == NULL)
		return;
	d->seen = true;
	s = jstr(obj, "spec", "nodeName");
	snprintf(d->node, sizeof(d->node), "%s", s != NULL ? s : "");
	ctrs = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(obj, "spec"), "containers");
	s = jstr(cJSON_GetArrayItem(ctrs, 0), "name", NULL);
	snprintf(d->container, sizeof(d->container), "%s", s != NULL ? s : "");
	d->running = pod_running(obj);
	if (d->running && d->gone && !d->deleted)
		d->gone = false; /* the same name again (a StatefulSet's) */
	if (d->running)
		pod_stream(d);
	changed(p);
}

static void
on_list_begin(void *arg, const char *kind)
{
	struct kn_podlogs *p = arg;
	size_t i;

	(void)kind;
	for (i = 0; i < p->npods; i++)
		p->pods[i]->seen = false;
}

static void
on_list_end(void *arg, const char *kind)
{
	struct kn_podlogs *p = arg;
	size_t i = 0;

	(void)kind;
	p->listed = true;
	/* pods the relist did not bring are gone */
	while (i < p->npods) {
		if (!p->pods[i]->seen && p->pods[i]->req == NULL)
			pod_remove(p, i);
		else
			i++;
	}
	changed(p);
}

static void
on_state(void *arg, struct informer *inf, const char *msg)
{
	struct kn_podlogs *p = arg;

	if (msg != NULL && informer_state(inf) != INFORMER_WATCHING)
		snprintf(p->error, sizeof(p->error), "%s", msg);
	changed(p);
}

/* Follow the pods p->selector selects in p->ns. */
static bool
pods_start(struct kn_podlogs *p)
{
	struct informer_spec spec;
	struct informer_sink sink;

	memset(&spec, 0, sizeof(spec));
	spec.group = "";
	spec.version = "v1";
	spec.plural = "pods";
	spec.kind = "Pod";
	spec.namespaced = true;
	spec.namespace = p->ns;
	spec.label_selector = p->selector;
	memset(&sink, 0, sizeof(sink));
	sink.arg = p;
	sink.on_event = on_event;
	sink.on_list_begin = on_list_begin;
	sink.on_list_end = on_list_end;
	sink.on_state = on_state;
	p->inf = informer_new(p->http, p->app->loop, &spec, &sink);
	if (p->inf == NULL) {
		snprintf(p->error, sizeof(p->error), "out of memory");
		return false;
	}
	informer_start(p->inf);
	kn_info("agents: following the pods of %s selected by %s", p->ns,
		p->selector);
	changed(p);
	return true;
}

/* No DaemonSet to read in the namespace given: its pods labelled as
 * contrib/k8s/daemonset.yaml labels them. */
static void
ds_fallback(struct kn_podlogs *p)
{
	cJSON_Delete(p->match);
	p->match = cJSON_CreateObject();
	cJSON_AddStringToObject(p->match, KN_PODLOG_LABEL,
				KN_PODLOG_LABEL_VALUE);
	snprintf(p->selector, sizeof(p->selector), "%s=%s", KN_PODLOG_LABEL,
		 KN_PODLOG_LABEL_VALUE);
	pods_start(p);
}

static void ds_find(struct kn_podlogs *p);

static void
ds_retry_cb(void *arg)
{
	struct kn_podlogs *p = arg;

	p->ds_timer = 0;
	ds_find(p);
}

static void
ds_retry(struct kn_podlogs *p, uint64_t ms)
{
	p->ds_timer =
		kn_loop_add_timer(p->app->loop, ms, false, ds_retry_cb, p);
	changed(p);
}

static bool
ds_data(void *arg, const char *s, size_t n)
{
	struct kn_podlogs *p = arg;

	return kn_buf_append(&p->ds_body, s, n) == KN_OK;
}

/* The DaemonSet's selector changed: the pods it selected are followed
 * no more, those it selects now from their logs' start (the agents'
 * numbered lines keep the merge from counting any twice). */
static void
ds_reselect(struct kn_podlogs *p, const cJSON *ds)
{
	char sel[sizeof(p->selector)];
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(ds, "spec");
	size_t i;

	if (!kn_podlog_selector(ds, sel, sizeof(sel)) ||
	    strcmp(sel, p->selector) == 0)
		return;
	kn_info("agents: DaemonSet %s/%s now selects %s (was %s)", p->ns,
		p->ds_name, sel, p->selector);
	snprintf(p->selector, sizeof(p->selector), "%s", sel);
	cJSON_Delete(p->match);
	p->match = cJSON_Duplicate(
		cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(spec, "selector"),
			"matchLabels"),
		true);
	informer_free(p->inf);
	p->inf = NULL;
	for (i = 0; i < p->npods; i++)
		pod_free(p->pods[i]);
	p->npods = 0;
	p->listed = false;
	pods_start(p);
}

static void
ds_new_cb(void *arg)
{
	struct kn_podlogs *p = arg;

	p->ds_new_timer = 0;
	if (p->ds_new != NULL)
		ds_reselect(p, p->ds_new);
	cJSON_Delete(p->ds_new);
	p->ds_new = NULL;
}

/* Taken from the loop, not inside the watch's transfer: ending the
 * streams and the pods' informer cancels transfers of the same multi
 * handle, which libcurl's callbacks must not. */
static void
ds_event(void *arg, enum informer_event ev, const char *kind, const cJSON *obj)
{
	struct kn_podlogs *p = arg;

	(void)kind;
	/* deleted: its pods go their way, each followed to its end */
	if (ev == INFORMER_DELETED)
		return;
	cJSON_Delete(p->ds_new);
	p->ds_new = cJSON_Duplicate(obj, true);
	if (p->ds_new_timer == 0)
		p->ds_new_timer =
			kn_loop_add_timer(p->app->loop, 0, false, ds_new_cb, p);
}

/* Watch the chosen DaemonSet alone (a fieldSelector on its name). */
static void
ds_watch(struct kn_podlogs *p)
{
	struct informer_spec spec = {.group = "apps",
				     .version = "v1",
				     .plural = "daemonsets",
				     .kind = "DaemonSet",
				     .namespaced = true,
				     .namespace = p->ns,
				     .field_selector = p->ds_field};
	struct informer_sink sink = {.arg = p, .on_event = ds_event};

	if (p->ds_inf != NULL || p->ds_name[0] == '\0')
		return;
	snprintf(p->ds_field, sizeof(p->ds_field), "metadata.name=%s",
		 p->ds_name);
	p->ds_inf = informer_new(p->http, p->app->loop, &spec, &sink);
	if (p->ds_inf != NULL)
		informer_start(p->ds_inf);
}

/* The chosen DaemonSet: its namespace and selector. */
static bool
ds_take(struct kn_podlogs *p, const cJSON *ds)
{
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(ds, "metadata");
	const cJSON *sel = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(ds, "spec"), "selector");
	const char *ns = jstr(md, "namespace", NULL);
	const char *name = jstr(md, "name", NULL);

	if (ns == NULL ||
	    !kn_podlog_selector(ds, p->selector, sizeof(p->selector))) {
		snprintf(p->error, sizeof(p->error),
			 "DaemonSet %s/%s: no spec.selector that selects its "
			 "pods",
			 ns ? ns : "?", name ? name : "?");
		return false;
	}
	snprintf(p->ns, sizeof(p->ns), "%s", ns);
	snprintf(p->ds_name, sizeof(p->ds_name), "%s", name ? name : "");
	cJSON_Delete(p->match);
	p->match = cJSON_Duplicate(
		cJSON_GetObjectItemCaseSensitive(sel, "matchLabels"), true);
	if (!pods_start(p))
		return false;
	ds_watch(p);
	return true;
}

static void
ds_done(void *arg, const struct khttp_result *r)
{
	struct kn_podlogs *p = arg;
	cJSON *doc = NULL;
	const cJSON *ds = NULL;
	int labelled = 0;

	p->ds_req = NULL;
	if (r->curl == CURLE_OK && r->status == 200) {
		doc = cJSON_ParseWithLength(
			p->ds_body.data ? p->ds_body.data : "", p->ds_body.len);
		ds = kn_podlog_pick_ds(doc, p->given_ns, &labelled);
	}
	kn_buf_clear(&p->ds_body);
	if (ds != NULL) {
		if (labelled > 1)
			kn_warn("agents: %d DaemonSets labelled %s=%s; reading "
				"the first (choose with --agents NS)",
				labelled, KN_PODLOG_LABEL,
				KN_PODLOG_LABEL_VALUE);
		if (!ds_take(p, ds) && p->given_ns)
			ds_fallback(p);
		else
			changed(p);
	} else if (r->curl != CURLE_OK ||
		   (r->status >= 500 || r->status == 429)) {
		snprintf(p->error, sizeof(p->error), "%s", r->message);
		ds_retry(p, PODLOG_FIND_RETRY_MS);
	} else if (p->given_ns) {
		/* none, or the DaemonSets not readable (403): the pods
		 * labelled as ours */
		if (r->status != 200)
			kn_info("agents: DaemonSets in %s: %s", p->ns,
				r->message);
		ds_fallback(p);
	} else {
		snprintf(p->error, sizeof(p->error),
			 r->status == 200 ? "no DaemonSet labelled %s=%s"
					  : "%s",
			 r->status == 200 ? KN_PODLOG_LABEL : r->message,
			 KN_PODLOG_LABEL_VALUE);
		ds_retry(p, PODLOG_FIND_IDLE_MS);
	}
	cJSON_Delete(doc);
}

/* GET the DaemonSets of the namespace given, or those labelled as the
 * agents' in every namespace. */
static void
ds_find(struct kn_podlogs *p)
{
	char path[800], esc[300], errbuf[KN_ERRBUF];

	if (p->given_ns) {
		khttp_query_escape(p->ns, esc, sizeof(esc));
		snprintf(path, sizeof(path),
			 "/apis/apps/v1/namespaces/%s/daemonsets", esc);
	} else {
		khttp_query_escape(KN_PODLOG_LABEL "=" KN_PODLOG_LABEL_VALUE,
				   esc, sizeof(esc));
		snprintf(path, sizeof(path),
			 "/apis/apps/v1/daemonsets?labelSelector=%s", esc);
	}
	p->ds_req =
		khttp_get(p->http, path, 30000, ds_data, ds_done, p, errbuf);
	if (p->ds_req == NULL) {
		snprintf(p->error, sizeof(p->error), "%s", errbuf);
		ds_retry(p, PODLOG_FIND_RETRY_MS);
	}
}

enum kn_err
kn_podlogs_open(struct kn_app *app, const char *ns,
		const struct kn_podlogs_ops *ops, void *arg,
		struct kn_podlogs **out, char *errbuf)
{
	struct kn_podlogs *p;

	*out = NULL;
	if (kn_kube_live_http(app) == NULL)
		return kn_errf(errbuf, KN_ERR_INVAL,
			       "--agents reads a live cluster (no Kube-API "
			       "source)");
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	p->app = app;
	p->http = kn_kube_live_http(app);
	p->given_ns = ns != NULL;
	snprintf(p->ns, sizeof(p->ns), "%s", ns != NULL ? ns : "");
	p->ops = *ops;
	p->arg = arg;
	kn_buf_init(&p->ds_body, PODLOG_DS_MAX_BYTES);
	ds_find(p);
	*out = p;
	return KN_OK;
}

void
kn_podlogs_close(struct kn_podlogs *p)
{
	size_t i;

	if (p == NULL)
		return;
	if (p->ds_req != NULL)
		khttp_cancel(p->ds_req);
	if (p->ds_timer != 0)
		kn_loop_cancel_timer(p->app->loop, p->ds_timer);
	kn_buf_release(&p->ds_body);
	cJSON_Delete(p->match);
	informer_free(p->ds_inf);
	if (p->ds_new_timer != 0)
		kn_loop_cancel_timer(p->app->loop, p->ds_new_timer);
	cJSON_Delete(p->ds_new);
	informer_free(p->inf);
	for (i = 0; i < p->npods; i++)
		pod_free(p->pods[i]);
	free(p->pods);
	free(p);
}

void
kn_podlogs_status(const struct kn_podlogs *p, struct kn_podlogs_status *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < p->npods; i++) {
		if (p->pods[i]->deleted)
			continue;
		s->pods++;
		if (p->pods[i]->req != NULL)
			s->streaming++;
	}
	s->listed = p->listed;
	s->streams = p->streams;
	s->resumes = p->resumes;
	s->cuts = p->cuts;
	s->oversized = p->oversized;
	s->error = p->error;
	s->ns = p->ns;
	s->selector = p->selector;
}

bool
kn_podlogs_pod(const struct kn_podlogs *p, int i, const char **name,
	       const char **node, bool *streaming)
{
	if (i < 0 || (size_t)i >= p->npods)
		return false;
	*name = p->pods[i]->name;
	*node = p->pods[i]->node[0] ? p->pods[i]->node : p->pods[i]->name;
	*streaming = p->pods[i]->req != NULL;
	return true;
}

/* ---- finding the agents ---- */

struct find {
	struct kn_buf body;
	bool done;
	long status;
	char msg[KN_ERRBUF];
};

static bool
find_data(void *arg, const char *s, size_t n)
{
	struct find *f = arg;

	return kn_buf_append(&f->body, s, n) == KN_OK;
}

static void
find_done(void *arg, const struct khttp_result *r)
{
	struct find *f = arg;

	f->done = true;
	f->status = r->curl == CURLE_OK ? r->status : 0;
	snprintf(f->msg, sizeof(f->msg), "%s", r->message);
}

enum kn_err
kn_podlogs_find_ns(struct kn_app *app, char *ns, size_t n, uint64_t timeout_ms,
		   char *errbuf)
{
	struct khttp *h = kn_kube_live_http(app);
	struct khttp_req *req;
	struct find f;
	char sel[256];
	char path[512];
	uint64_t end = kn_now_ms() + timeout_ms;
	cJSON *doc;
	const cJSON *ds;
	const char *first;
	int count = 0;
	enum kn_err e = KN_OK;

	if (h == NULL)
		return kn_errf(errbuf, KN_ERR_INVAL, "no Kube-API source");
	memset(&f, 0, sizeof(f));
	kn_buf_init(&f.body, 16u << 20);
	khttp_query_escape(KN_PODLOG_LABEL "=" KN_PODLOG_LABEL_VALUE, sel,
			   sizeof(sel));
	snprintf(path, sizeof(path),
		 "/apis/apps/v1/daemonsets?labelSelector=%s", sel);
	req = khttp_get(h, path, (long)timeout_ms, find_data, find_done, &f,
			errbuf);
	if (req == NULL) {
		kn_buf_release(&f.body);
		return KN_ERR_NET;
	}
	while (!f.done && kn_now_ms() < end)
		kn_loop_turn(app->loop, 100);
	if (!f.done) {
		khttp_cancel(req);
		kn_buf_release(&f.body);
		return kn_errf(errbuf, KN_ERR_AGAIN,
			       "finding the agents' DaemonSet timed out");
	}
	if (f.status != 200) {
		kn_buf_release(&f.body);
		return kn_errf(errbuf, KN_ERR_NET,
			       "finding the agents' DaemonSet: %s", f.msg);
	}
	doc = cJSON_ParseWithLength(f.body.data ? f.body.data : "", f.body.len);
	ds = kn_podlog_pick_ds(doc, false, &count);
	first = ds != NULL ? jstr(ds, "metadata", "namespace") : NULL;
	if (first == NULL)
		e = kn_errf(errbuf, KN_ERR_NOTFOUND,
			    "no DaemonSet labelled %s=%s (give --agents NS)",
			    KN_PODLOG_LABEL, KN_PODLOG_LABEL_VALUE);
	else
		snprintf(ns, n, "%s", first);
	if (count > 1)
		kn_warn("agents: %d DaemonSets labelled %s=%s; reading %s "
			"(choose with --agents NS)",
			count, KN_PODLOG_LABEL, KN_PODLOG_LABEL_VALUE, first);
	cJSON_Delete(doc);
	kn_buf_release(&f.body);
	return e;
}
