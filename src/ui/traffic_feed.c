/* The capture in the console's loop: live fd, demo timing, files at full
 * speed in bounded batches, idle ticks, names, and refresh requests. */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "k8snet/alloc.h"
#include "k8snet/log.h"
#include "k8snet/loop.h"
#include "k8snet/model.h"
#include "k8snet/ui.h"
#include "traffic_view.h"

#define KN_FEED_BATCH 2048     /* packets per loop turn */
#define KN_FEED_TICK_MS 500    /* timeouts, refreshes, drop counters */
#define KN_FEED_RENAME_MS 5000 /* re-read names after model changes */
/* New transactions reach the screen within KN_FEED_SHOW_MS (plus the
 * capture's 50 ms block timeout), however many arrive: the pane is
 * rebuilt at most that often, and at most 1/KN_FEED_SHOW_DUTY of the time
 * (a full ring of 50,000 rows costs ~80 ms of CPU: the interval stretches
 * to ~0.8 s then). */
#define KN_FEED_SHOW_MS 150
#define KN_FEED_SHOW_DUTY 10

struct kn_traffic_feed {
	struct kn_app *app;
	struct kn_capture *cap;    /* attached capture (app->capture) */
	int fd;
	uint64_t tick_timer, run_timer, show_timer;
	uint64_t seen_added;       /* recent_added at the last refresh */
	uint64_t shown_ms, show_every;
	const struct kn_model *model;
	uint64_t model_version, renamed_ms;
	bool failed;
};

static void feed_run(void *arg);
static void feed_show(struct kn_traffic_feed *f);

static void
feed_schedule(struct kn_traffic_feed *f, uint64_t ms)
{
	if (f->run_timer != 0)
		return;
	f->run_timer = kn_loop_add_timer(f->app->loop, ms, false, feed_run, f);
}

/* Read a bounded batch; more work is scheduled rather than done here so
 * keys and redraws interleave with a file loading at full speed. */
static void
feed_dispatch(struct kn_traffic_feed *f)
{
	char errbuf[KN_ERRBUF];
	int64_t due;
	int n;

	if (f->cap == NULL || f->failed)
		return;
	n = kn_capture_dispatch(f->cap, KN_FEED_BATCH, errbuf);
	if (n < 0) {
		/* Said once; the header keeps saying it for a live capture.
		 * A dead descriptor must not keep waking the loop. */
		kn_error("%s", errbuf);
		f->failed = true;
		if (f->fd >= 0)
			kn_loop_remove_fd(f->app->loop, f->fd);
		f->fd = -1;
		kn_ui_pane_changed(f->app, KN_PANE__COUNT);
		return;
	}
	if (n > 0)
		feed_show(f);
	if (kn_capture_is_file(f->cap)) {
		if (!kn_capture_at_end(f->cap))
			feed_schedule(f, 0);
		return;
	}
	due = kn_capture_due_ms(f->cap);
	if (due >= 0)
		feed_schedule(f, (uint64_t)(n >= KN_FEED_BATCH ? 0 : due));
	else if (n >= KN_FEED_BATCH)
		feed_schedule(f, 0);
}

static void
feed_run(void *arg)
{
	struct kn_traffic_feed *f = arg;

	f->run_timer = 0;
	feed_dispatch(f);
}

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
		f->show_timer = kn_loop_add_timer(f->app->loop, f->show_every -
						  (now - f->shown_ms), false,
						  feed_show_due, f);
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

static void
feed_readable(int fd, short revents, void *arg)
{
	(void)fd;
	(void)revents;
	feed_dispatch(arg);
}

static void
feed_attach(struct kn_traffic_feed *f)
{
	char errbuf[KN_ERRBUF];
	struct kn_capture *cap = f->app->capture;

	f->cap = cap;
	if (kn_capture_keep_recent(cap, KN_RECENT_MAX, errbuf) != KN_OK)
		kn_error("%s", errbuf);
	kn_capture_set_sink(cap, NULL, NULL, kn_capture_is_file(cap), true);
	f->fd = kn_capture_fd(cap);
	if (f->fd >= 0 &&
	    kn_loop_add_fd(f->app->loop, f->fd, POLLIN, feed_readable, f) !=
	    KN_OK) {
		kn_error("capture: cannot watch the capture fd");
		f->fd = -1;
	}
	feed_schedule(f, 0);
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
	if (m == f->model && (v == f->model_version ||
			      now - f->renamed_ms < KN_FEED_RENAME_MS))
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
	if (!kn_capture_is_file(f->cap)) {
		/* Idle wire: timeouts still fire, in capture time. */
		feed_dispatch(f);
		kn_capture_tick(f->cap, kn_capture_now_us());
	}
	if (kn_capture_recent_added(f->cap) != f->seen_added) {
		/* Timeouts end transactions without packets. */
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
	f->fd = -1;
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
	if (f->fd >= 0)
		kn_loop_remove_fd(f->app->loop, f->fd);
	if (f->tick_timer != 0)
		kn_loop_cancel_timer(f->app->loop, f->tick_timer);
	if (f->run_timer != 0)
		kn_loop_cancel_timer(f->app->loop, f->run_timer);
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
