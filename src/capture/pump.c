/* The capture in the event loop, for the console and for --once alike:
 * the live fd watched, the demo and --replay paced by a timer, a file
 * read at full speed in bounded batches (one batch per loop turn, so keys
 * and redraws interleave), and an idle tick that lets timeouts fire in
 * capture time while the wire is quiet. */
#include <poll.h>
#include <stdlib.h>

#include "k8snet/capture.h"
#include "k8snet/log.h"
#include "k8snet/loop.h"

struct kn_capture_pump {
	struct kn_capture *cap; /* borrowed */
	struct kn_loop *loop;	/* borrowed */
	struct kn_capture_pump_ops ops;
	void *arg;
	int fd; /* watched live fd, or -1 */
	uint64_t tick_timer, run_timer;
	bool stopped, failed;
};

static void pump_run(void *arg);

static void
pump_schedule(struct kn_capture_pump *p, uint64_t ms)
{
	if (p->run_timer != 0 || p->stopped || p->failed)
		return;
	p->run_timer = kn_loop_add_timer(p->loop, ms, false, pump_run, p);
}

static void
pump_unwatch(struct kn_capture_pump *p)
{
	if (p->fd >= 0)
		kn_loop_remove_fd(p->loop, p->fd);
	p->fd = -1;
}

/* A dead capture: said once through ops.failed; a dead descriptor must
 * not keep waking the loop. */
static void
pump_fail(struct kn_capture_pump *p, const char *err)
{
	p->failed = true;
	pump_unwatch(p);
	if (p->ops.failed != NULL)
		p->ops.failed(p->arg, err);
}

int
kn_capture_pump_batch(struct kn_capture_pump *p)
{
	char errbuf[KN_ERRBUF];
	int64_t due;
	int n;

	if (p->stopped || p->failed)
		return 0;
	n = kn_capture_dispatch(p->cap, KN_CAPTURE_BATCH, errbuf);
	if (n < 0) {
		pump_fail(p, errbuf);
		return -1;
	}
	if (kn_capture_is_file(p->cap)) {
		if (!kn_capture_at_end(p->cap))
			pump_schedule(p, 0);
	} else {
		kn_capture_tick(p->cap, kn_capture_now_us());
		due = kn_capture_due_ms(p->cap);
		if (due >= 0)
			pump_schedule(
				p, (uint64_t)(n >= KN_CAPTURE_BATCH ? 0 : due));
		else if (n >= KN_CAPTURE_BATCH)
			pump_schedule(p, 0);
	}
	if (n > 0 && p->ops.progress != NULL)
		p->ops.progress(p->arg, n);
	return n;
}

static void
pump_run(void *arg)
{
	struct kn_capture_pump *p = arg;

	p->run_timer = 0;
	kn_capture_pump_batch(p);
}

static void
pump_readable(int fd, short revents, void *arg)
{
	(void)fd;
	(void)revents;
	kn_capture_pump_batch(arg);
}

/* Idle wire: read what is there, let timeouts fire, and tell the owner
 * (counters move without transactions). */
static void
pump_tick(void *arg)
{
	struct kn_capture_pump *p = arg;

	if (p->stopped || p->failed)
		return;
	if (!kn_capture_is_file(p->cap))
		kn_capture_pump_batch(p);
	if (p->ops.progress != NULL)
		p->ops.progress(p->arg, 0);
}

enum kn_err
kn_capture_pump_new(struct kn_capture *cap, struct kn_loop *loop,
		    bool want_answers, const struct kn_capture_pump_ops *ops,
		    void *arg, struct kn_capture_pump **out, char *errbuf)
{
	struct kn_capture_pump *p;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	p->cap = cap;
	p->loop = loop;
	if (ops != NULL)
		p->ops = *ops;
	p->arg = arg;
	kn_capture_set_sink(cap, p->ops.txn, arg, kn_capture_is_file(cap),
			    want_answers);
	p->fd = kn_capture_fd(cap);
	if (p->fd >= 0 &&
	    kn_loop_add_fd(loop, p->fd, POLLIN, pump_readable, p) != KN_OK) {
		kn_error("capture: cannot watch the capture fd");
		p->fd = -1;
	}
	p->tick_timer =
		kn_loop_add_timer(loop, KN_CAPTURE_TICK_MS, true, pump_tick, p);
	pump_schedule(p, 0);
	*out = p;
	return KN_OK;
}

void
kn_capture_pump_stop(struct kn_capture_pump *p)
{
	p->stopped = true;
	kn_capture_break(p->cap);
}

bool
kn_capture_pump_done(const struct kn_capture_pump *p)
{
	return p->stopped || p->failed ||
	       (kn_capture_is_file(p->cap) && kn_capture_at_end(p->cap));
}

void
kn_capture_pump_free(struct kn_capture_pump *p)
{
	if (p == NULL)
		return;
	pump_unwatch(p);
	if (p->tick_timer != 0)
		kn_loop_cancel_timer(p->loop, p->tick_timer);
	if (p->run_timer != 0)
		kn_loop_cancel_timer(p->loop, p->run_timer);
	free(p);
}
