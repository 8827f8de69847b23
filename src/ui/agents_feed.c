/* The node agents in the console (agents_feed.h). Everything runs on
 * the loop's thread: the pod-log streams are requests on the live
 * source's multi handle, their lines arrive in its callbacks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/agent.h"
#include "k8snet/alloc.h"
#include "k8snet/capture.h"
#include "k8snet/log.h"
#include "k8snet/loop.h"
#include "k8snet/model.h"
#include "k8snet/podlog.h"
#include "k8snet/ui.h"
#include "agents_feed.h"

#define AGENTS_TICK_MS 1000 /* the header's counts and ages */
/* A streaming agent writes a summary every --agent-interval (5 s):
 * quieter than this, the header says how long. */
#define AGENTS_IDLE_MS 30000

struct kn_agents_feed {
	struct kn_app *app;
	struct kn_podlogs *pl;
	struct kn_agents_merge *m;
	struct kn_agentline *al;
	uint64_t tick;
	uint64_t since_ms; /* the first line taken, 0: none yet */
	bool capture_failed;
};

/* The ring the agents' transactions go to: the capture's own, or one
 * made for them. */
static struct kn_capture *
feed_capture(struct kn_agents_feed *f)
{
	struct kn_app *app = f->app;
	char errbuf[KN_ERRBUF];

	if (app->capture != NULL || f->capture_failed)
		return app->capture;
	if (kn_capture_open_agents(&app->capture, errbuf) != KN_OK ||
	    kn_capture_keep_recent(app->capture, KN_RECENT_MAX, errbuf) !=
		    KN_OK) {
		kn_error("agents: %s", errbuf);
		kn_capture_close(app->capture);
		app->capture = NULL;
		f->capture_failed = true;
		return NULL;
	}
	if (app->model != NULL)
		kn_capture_set_namer(app->capture, kn_model_name_ip,
				     app->model);
	return app->capture;
}

static void
on_line(void *arg, const char *node, const char *pod, const char *line,
	size_t len)
{
	struct kn_agents_feed *f = arg;
	struct kn_capture *cap;

	if (kn_agents_merge_line(f->m, node, pod, line, len, kn_now_ms(),
				 f->al) != KN_AGENTS_TAKEN)
		return;
	if (f->since_ms == 0)
		f->since_ms = kn_now_ms();
	/* the Traffic pane's rows, names and namespaces go through a
	 * capture: one for the agents when the console has none */
	cap = feed_capture(f);
	switch (f->al->kind) {
	case KN_AL_TXN:
		/* the capture feed shows the ring's news at its own pace */
		if (cap != NULL)
			kn_capture_add_txn(cap, &f->al->txn, node);
		break;
	case KN_AL_NODE:
		kn_ui_pane_changed(f->app, KN_PANE_NODES);
		break;
	default:
		break;
	}
}

static void
on_changed(void *arg)
{
	struct kn_agents_feed *f = arg;

	kn_ui_pane_changed(f->app, KN_PANE__COUNT);
}

static void
on_tick(void *arg)
{
	struct kn_agents_feed *f = arg;

	kn_ui_pane_changed(f->app, KN_PANE__COUNT);
}

struct kn_agents_feed *
kn_agents_feed_new(struct kn_app *app)
{
	static const struct kn_podlogs_ops ops = {on_line, on_changed};
	struct kn_agents_feed *f;
	char errbuf[KN_ERRBUF];

	if (app->kube == NULL || app->opts.demo || app->opts.nsnapshots > 0)
		return NULL;
	f = kn_xcalloc(1, sizeof(*f));
	f->app = app;
	f->m = kn_agents_merge_new();
	f->al = kn_xcalloc(1, sizeof(*f->al));
	if (f->m == NULL || kn_podlogs_open(app, app->opts.agents_ns, &ops, f,
					    &f->pl, errbuf) != KN_OK) {
		if (f->m != NULL)
			kn_error("agents: %s", errbuf);
		kn_agents_merge_free(f->m);
		free(f->al);
		free(f);
		return NULL;
	}
	if (app->opts.agents_ns != NULL)
		feed_capture(f);
	f->tick =
		kn_loop_add_timer(app->loop, AGENTS_TICK_MS, true, on_tick, f);
	return f;
}

void
kn_agents_feed_free(struct kn_agents_feed *f)
{
	if (f == NULL)
		return;
	if (f->tick != 0)
		kn_loop_cancel_timer(f->app->loop, f->tick);
	kn_podlogs_close(f->pl);
	kn_agents_merge_free(f->m);
	free(f->al);
	free(f);
}

struct kn_agents_merge *
kn_agents_feed_merge(struct kn_agents_feed *f)
{
	return f != NULL ? f->m : NULL;
}

uint64_t
kn_agents_feed_since(struct kn_agents_feed *f)
{
	return f != NULL ? f->since_ms : 0;
}

bool
kn_agents_feed_pod(struct kn_agents_feed *f, int i, const char **pod,
		   const char **node, bool *streaming)
{
	return f != NULL && kn_podlogs_pod(f->pl, i, pod, node, streaming);
}

void
kn_agents_feed_header(struct kn_agents_feed *f, char *buf, size_t n,
		      enum kn_role *role)
{
	struct kn_podlogs_status st;
	struct kn_agent_node *nd;
	uint64_t drops = 0, idle = 0, now = kn_now_ms();
	const char *pod, *node;
	size_t i;
	bool on;
	int o, k;

	buf[0] = '\0';
	*role = KN_ROLE_HEADER;
	if (f == NULL)
		return;
	kn_podlogs_status(f->pl, &st);
	if (st.pods == 0 && st.ns[0] == '\0')
		return; /* no agents (yet): nothing to say */
	for (i = 0; (nd = kn_agents_node_at(f->m, i)) != NULL; i++)
		drops += nd->kernel_drops + nd->interface_drops;
	/* the quietest of the agents read now */
	for (k = 0; kn_podlogs_pod(f->pl, k, &pod, &node, &on); k++) {
		nd = on ? kn_agents_node_find(f->m, node) : NULL;
		if (nd != NULL && nd->last_line_ms != 0 &&
		    now - nd->last_line_ms > idle)
			idle = now - nd->last_line_ms;
	}
	o = snprintf(buf, n, "agents %d/%d", st.streaming, st.pods);
	if (drops > 0 && o > 0 && (size_t)o < n)
		o += snprintf(buf + o, n - (size_t)o, " drop %llu",
			      (unsigned long long)drops);
	if (idle >= AGENTS_IDLE_MS && o > 0 && (size_t)o < n)
		snprintf(buf + o, n - (size_t)o, " idle %llus",
			 (unsigned long long)(idle / 1000));
	if (st.streaming < st.pods || drops > 0 || idle >= AGENTS_IDLE_MS)
		*role = KN_ROLE_WARNING;
}
