/* --agent: the capture in the loop, each finished transaction to the
 * writer, a summary every --agent-interval and the node's facts every
 * 30 s (a line only when they changed), until a signal or the end of a
 * file; the last interval is summed before exiting, so a stopped agent
 * (a DaemonSet pod deleted, SIGTERM) loses nothing it had counted. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "k8snet/agent.h"
#include "k8snet/app.h"
#include "k8snet/capture.h"
#include "k8snet/listeners.h"
#include "k8snet/log.h"
#include "k8snet/loop.h"

#define FACTS_EVERY_MS 30000

struct run {
	struct kn_app *app;
	FILE *out;
	struct kn_agent_writer *w;
	struct kn_capture_pump *pump;
	struct kn_agent_facts_store *facts;
	char node[256];
	bool stop, failed, out_failed;
};

static uint64_t
wall_us(void)
{
	return kn_capture_now_us();
}

static void
on_line(void *arg, const char *line, size_t len)
{
	struct run *r = arg;

	if (fwrite(line, 1, len, r->out) != len && !r->out_failed) {
		/* stdout gone (the container runtime's pipe): nobody reads
		 * what follows, stop */
		r->out_failed = true;
		r->stop = true;
		kn_capture_pump_stop(r->pump);
	}
}

static void
drops_of(struct run *r, struct kn_agent_drops *out)
{
	struct kn_capture_drops d;

	memset(out, 0, sizeof(*out));
	if (r->app->capture == NULL)
		return;
	kn_capture_drops(r->app->capture, &d);
	out->live = d.live;
	out->received = d.received;
	out->kernel = d.kernel;
	out->interface = d.interface;
	out->evicted = d.evicted;
}

static void
on_txn(void *arg, const struct kn_txn *t)
{
	struct run *r = arg;

	kn_agent_writer_txn(r->w, t, wall_us());
}

static void
on_progress(void *arg, int n)
{
	struct run *r = arg;

	(void)n;
	fflush(r->out);
}

static void
on_failed(void *arg, const char *err)
{
	struct run *r = arg;

	kn_error("%s", err);
	r->failed = true;
}

static void
summary(struct run *r)
{
	struct kn_agent_drops d;

	drops_of(r, &d);
	kn_agent_writer_summary(r->w, wall_us(), &d);
	fflush(r->out);
}

static void
on_interval(void *arg)
{
	summary(arg);
}

/* Listener owners are read while root (at start); a later read as -Z
 * USER may not see them: keep what was known of the same socket. */
static void
keep_owners(struct kn_agent_facts_store *nw, struct kn_agent_facts_store *old)
{
	const struct kn_agent_facts *fn = kn_agent_facts_get(nw);
	const struct kn_agent_facts *fo = kn_agent_facts_get(old);
	size_t i, j;

	if (fn->listeners == NULL || fo->listeners == NULL)
		return;
	for (i = 0; i < fn->listeners->n; i++) {
		struct kn_listener *l = &fn->listeners->v[i];

		if (l->comm[0] != '\0')
			continue;
		for (j = 0; j < fo->listeners->n; j++) {
			const struct kn_listener *o = &fo->listeners->v[j];

			if (o->port == l->port && o->inode == l->inode &&
			    kn_ipaddr_eq(&o->addr, &l->addr)) {
				memcpy(l->comm, o->comm, sizeof(l->comm));
				l->pid = o->pid;
				break;
			}
		}
	}
}

/* Write the facts (read again unless fresh is given, taken) when they
 * changed, or force. */
static void
node_facts(struct run *r, struct kn_agent_facts_store *fresh, bool force)
{
	struct kn_agent_facts_store *s = fresh;
	struct kn_agent_facts f;
	struct kn_agent_drops d;
	const struct kn_opts *o = &r->app->opts;

	if (s == NULL)
		s = kn_agent_facts_read(o->host_root);
	if (s == NULL)
		return;
	if (r->facts != NULL) {
		keep_owners(s, r->facts);
		kn_agent_facts_free(r->facts);
	}
	r->facts = s;
	f = *kn_agent_facts_get(s);
	f.interface = o->interface != NULL ? o->interface : o->read_file;
	f.filter = kn_capture_filter(r->app->capture);
	drops_of(r, &d);
	kn_agent_writer_node(r->w, &f, &d, wall_us(), force);
	fflush(r->out);
}

static void
on_facts(void *arg)
{
	node_facts(arg, NULL, false);
}

static void
on_signal(int signo, void *arg)
{
	struct run *r = arg;

	if (signo == SIGINT || signo == SIGTERM || signo == SIGHUP) {
		r->stop = true;
		kn_capture_pump_stop(r->pump);
	}
}

static uint64_t
instance_id(void)
{
	uint64_t v = 0;

	if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v) || v == 0)
		v = (uint64_t)getpid() << 32 ^ wall_us();
	return v;
}

int
kn_agent_run(struct kn_app *app, FILE *out, struct kn_agent_facts_store *facts)
{
	static const struct kn_capture_pump_ops ops = {on_txn, on_progress,
						       on_failed};
	const struct kn_opts *o = &app->opts;
	struct kn_agent_config cfg;
	struct run r;
	char errbuf[KN_ERRBUF];
	const char *env = getenv("NODE_NAME");
	uint64_t t_int, t_facts;

	if (app->capture == NULL) {
		kn_error("--agent needs a capture: -i IF (default any) or "
			 "-r FILE");
		kn_agent_facts_free(facts);
		return 2;
	}
	memset(&r, 0, sizeof(r));
	r.app = app;
	r.out = out;
	if (env != NULL && env[0] != '\0')
		snprintf(r.node, sizeof(r.node), "%s", env);
	else if (gethostname(r.node, sizeof(r.node) - 1) != 0)
		snprintf(r.node, sizeof(r.node), "unknown");
	memset(&cfg, 0, sizeof(cfg));
	cfg.node = r.node;
	cfg.instance = instance_id();
	cfg.slow_us = (int64_t)(o->agent_slow_ms * 1000);
	cfg.detail_all = o->agent_detail_all;
	cfg.keep_query = o->agent_query;
	cfg.rate = o->agent_rate;
	cfg.topk = o->agent_topk;
	cfg.emit = on_line;
	cfg.arg = &r;
	r.w = kn_agent_writer_new(&cfg);
	if (r.w == NULL) {
		kn_error("--agent: out of memory");
		kn_agent_facts_free(facts);
		return 1;
	}
	if (kn_capture_pump_new(app->capture, app->loop, true, &ops, &r,
				&r.pump, errbuf) != KN_OK) {
		kn_error("%s", errbuf);
		kn_agent_writer_free(r.w);
		kn_agent_facts_free(facts);
		return 1;
	}
	node_facts(&r, facts, true);
	kn_loop_watch_signals(app->loop, on_signal, &r);
	t_int = kn_loop_add_timer(app->loop,
				  (uint64_t)(o->agent_interval * 1000), true,
				  on_interval, &r);
	t_facts = kn_loop_add_timer(app->loop, FACTS_EVERY_MS, true, on_facts,
				    &r);
	if (kn_capture_is_file(app->capture)) {
		while (!r.stop && kn_capture_pump_batch(r.pump) > 0)
			;
	} else {
		while (!r.stop && !kn_capture_pump_done(r.pump))
			kn_loop_turn(app->loop, KN_CAPTURE_TICK_MS);
	}
	kn_loop_cancel_timer(app->loop, t_int);
	kn_loop_cancel_timer(app->loop, t_facts);
	kn_capture_pump_free(r.pump);
	r.pump = NULL;
	/* what is still open ends now, and the last interval is summed */
	kn_capture_finish(app->capture);
	if (!r.out_failed)
		summary(&r);
	kn_info("agent: %llu lines, %llu bytes, %llu transactions in full, "
		"%llu left out by the rate",
		(unsigned long long)kn_agent_writer_stats(r.w)->lines,
		(unsigned long long)kn_agent_writer_stats(r.w)->bytes,
		(unsigned long long)kn_agent_writer_stats(r.w)->txn_lines,
		(unsigned long long)kn_agent_writer_stats(r.w)->left_out);
	kn_agent_writer_free(r.w);
	kn_agent_facts_free(r.facts);
	if (fflush(out) != 0)
		r.out_failed = true;
	return r.failed || r.out_failed ? 1 : 0;
}
