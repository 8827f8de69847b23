/* The capture in the console: the capture's pump in the loop (live fd,
 * demo timing, files in bounded batches, idle ticks), names that follow
 * the model, and the panes' refresh requests. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "k8snet/alloc.h"
#include "k8snet/log.h"
#include "k8snet/loop.h"
#include "k8snet/model.h"
#include "k8snet/ui.h"
#include "traffic_view.h"

#define KN_FEED_TICK_MS 500    /* attach, names, drop counters */
#define KN_FEED_RENAME_MS 5000 /* re-read names after model changes */
/* New transactions reach the screen within KN_FEED_SHOW_MS (plus the
 * capture's 50 ms block timeout), however many arrive: the pane is
 * refreshed at most that often, and at most 1/KN_FEED_SHOW_DUTY of the
 * time. A refresh adds the new rows to those it keeps (a few ms at a full
 * ring of 50,000); one that builds every row again (another namespace,
 * names that changed) costs ~80 ms, and the interval after it stretches
 * to ~0.8 s. */
#define KN_FEED_SHOW_MS 100
#define KN_FEED_SHOW_DUTY 10

struct kn_traffic_feed {
	struct kn_app *app;
	struct kn_capture *cap; /* attached capture (app->capture) */
	struct kn_capture_pump *pump;
	uint64_t tick_timer, show_timer;
	uint64_t seen_added; /* recent_added at the last refresh */
	uint64_t shown_ms, show_every;
	const struct kn_model *model;
	uint64_t model_version, renamed_ms;
};

static void feed_show(struct kn_traffic_feed *f);

static void
feed_show_due(void *arg)
{
	struct kn_traffic_feed *f = arg;

	f->show_timer = 0;
	feed_show(f);
}

/* The panes that show transactions read them again, at a bounded rate:
 * the visible one now, a hidden one when it is next shown. */
static void
feed_show(struct kn_traffic_feed *f)
{
	uint64_t now = kn_now_ms(), added = kn_capture_recent_added(f->cap);
	uint64_t cpu;

	if (added == f->seen_added || f->show_timer != 0)
		return;
	if (now - f->shown_ms < f->show_every) {
		f->show_timer = kn_loop_add_timer(
			f->app->loop, f->show_every - (now - f->shown_ms),
			false, feed_show_due, f);
		return;
	}
	f->seen_added = added;
	cpu = kn_cpu_us();
	kn_ui_pane_changed(f->app, KN_PANE_TRAFFIC);
	kn_ui_pane_changed(f->app, KN_PANE_DNS);
	f->shown_ms = now;
	f->show_every = (kn_cpu_us() - cpu) / 1000 * KN_FEED_SHOW_DUTY;
	if (f->show_every < KN_FEED_SHOW_MS)
		f->show_every = KN_FEED_SHOW_MS;
}

/* A batch read, or a tick (timeouts end transactions without packets). */
static void
feed_progress(void *arg, int n)
{
	(void)n;
	feed_show(arg);
}

/* Said once; the header keeps saying it for a live capture. */
static void
feed_failed(void *arg, const char *err)
{
	struct kn_traffic_feed *f = arg;

	kn_error("%s", err);
	kn_ui_pane_changed(f->app, KN_PANE__COUNT);
}

static void
feed_attach(struct kn_traffic_feed *f)
{
	static const struct kn_capture_pump_ops ops = {NULL, feed_progress,
						       feed_failed};
	char errbuf[KN_ERRBUF];
	struct kn_capture *cap = f->app->capture;

	f->cap = cap;
	/* The node agents' capture keeps its ring and has no packets. */
	if (kn_capture_is_agents(cap))
		return;
	if (kn_capture_keep_recent(cap, KN_RECENT_MAX, errbuf) != KN_OK)
		kn_error("%s", errbuf);
	if (kn_capture_pump_new(cap, f->app->loop, true, &ops, f, &f->pump,
				errbuf) != KN_OK)
		kn_error("%s", errbuf);
}

/* Names follow the model: set the namer again (clearing the cache) when
 * a model appears or, at most every few seconds, when it changed. */
static void
feed_names(struct kn_traffic_feed *f)
{
	const struct kn_model *m = f->app->model;
	uint64_t now = kn_now_ms(), v;

	if (m == NULL)
		return;
	v = kn_model_version(m);
	if (m == f->model &&
	    (v == f->model_version || now - f->renamed_ms < KN_FEED_RENAME_MS))
		return;
	kn_capture_set_namer(f->cap, kn_model_name_ip, f->app->model);
	f->model = m;
	f->model_version = v;
	f->renamed_ms = now;
}

static void
feed_tick(void *arg)
{
	struct kn_traffic_feed *f = arg;

	if (f->cap == NULL && f->app->capture != NULL)
		feed_attach(f);
	if (f->cap == NULL)
		return;
	feed_names(f);
	if (kn_capture_recent_added(f->cap) != f->seen_added) {
		feed_show(f);
	} else if (!kn_capture_is_file(f->cap)) {
		/* Drop counters in the header move without transactions. */
		kn_ui_pane_changed(f->app, KN_PANE__COUNT);
	}
}

struct kn_traffic_feed *
kn_traffic_feed_new(struct kn_app *app)
{
	struct kn_traffic_feed *f = kn_xcalloc(1, sizeof(*f));

	f->app = app;
	f->tick_timer = kn_loop_add_timer(app->loop, KN_FEED_TICK_MS, true,
					  feed_tick, f);
	if (app->capture != NULL)
		feed_attach(f);
	return f;
}

void
kn_traffic_feed_free(struct kn_traffic_feed *f)
{
	if (f == NULL)
		return;
	kn_capture_pump_free(f->pump);
	if (f->tick_timer != 0)
		kn_loop_cancel_timer(f->app->loop, f->tick_timer);
	if (f->show_timer != 0)
		kn_loop_cancel_timer(f->app->loop, f->show_timer);
	free(f);
}

enum kn_err
kn_traffic_open_iface(struct kn_app *app, const char *ifname, char *errbuf)
{
	struct kn_capture_config cfg;
	enum kn_err e;

	if (app->capture != NULL)
		return kn_errf(errbuf, KN_ERR_INVAL, "already capturing on %s",
			       kn_capture_what(app->capture));
	if (app->capture_cfg != NULL)
		cfg = *app->capture_cfg;
	else
		memset(&cfg, 0, sizeof(cfg));
	cfg.interface = ifname;
	e = kn_capture_open(&cfg, &app->capture, errbuf);
	if (e != KN_OK)
		return e;
	if (app->model != NULL)
		kn_capture_set_namer(app->capture, kn_model_name_ip,
				     app->model);
	/* The feed's next tick attaches it to the loop. */
	kn_loop_wakeup(app->loop);
	return KN_OK;
}
