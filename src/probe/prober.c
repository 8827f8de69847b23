/* Node port checks: bounded non-blocking TCP connects inside the event loop.
 *
 * Every in-flight socket sits in one epoll set; only the epoll fd is
 * registered with the loop (readable when any socket finished), so the
 * loop's small fixed fd table is not spent on probes and a turn costs
 * O(finished) rather than O(in flight). Deadlines are kept by one loop
 * timer armed for the earliest in-flight deadline. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "k8snet/alloc.h"
#include "k8snet/intern.h"
#include "k8snet/loop.h"
#include "k8snet/probe.h"

struct kn_ptarget {
	struct kn_probe_result r;
	bool skip;
	int fd;		   /* -1 unless in flight */
	double t0_us;	   /* monotonic start of the connect */
	uint64_t deadline; /* kn_now_ms() */
};

struct kn_prober {
	struct kn_loop *loop;
	struct kn_probe_cfg cfg;
	int epfd;
	struct kn_ptarget *t;
	size_t n;
	uint32_t *index;    /* open addressing: target index + 1, 0 empty */
	size_t index_cap;   /* power of two */
	unsigned *inflight; /* target indexes, cfg.concurrency slots */
	unsigned ninflight;
	size_t next; /* next target to launch in this sweep */
	bool running, pending, periodic;
	bool in_done; /* inside the completion callback */
	uint64_t tick_timer, deadline_timer, kick_timer;
	uint64_t deadline_armed; /* due time of deadline_timer, 0 none */
	uint64_t generation, sweeps_ended;
	struct kn_probe_sweep cur, last;
	struct epoll_event *evs;
};

static const uint16_t kn_cp_ports[] = {6443, 2379, 2380, 10250, 10257, 10259};
static const char *const kn_cp_comps[] = {
	"kube-apiserver",	   "etcd",	    "etcd", "kubelet",
	"kube-controller-manager", "kube-scheduler"};
static const uint16_t kn_wk_ports[] = {10250, 10256};
static const char *const kn_wk_comps[] = {"kubelet", "kube-proxy"};

void
kn_probe_cfg_init(struct kn_probe_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->concurrency = KN_PROBE_CONCURRENCY;
	cfg->timeout_ms = KN_PROBE_TIMEOUT_MS;
	cfg->interval_ms = KN_PROBE_INTERVAL_MS;
}

const char *
kn_port_state_name(enum kn_port_state s)
{
	switch (s) {
	case KN_PORT_OPEN:
		return "open";
	case KN_PORT_CLOSED:
		return "closed";
	case KN_PORT_FILTERED:
		return "filtered";
	case KN_PORT_SKIPPED:
		break;
	}
	return "skipped";
}

size_t
kn_probe_known_ports(bool control_plane, const uint16_t **ports,
		     const char *const **components)
{
	if (control_plane) {
		*ports = kn_cp_ports;
		*components = kn_cp_comps;
		return sizeof(kn_cp_ports) / sizeof(kn_cp_ports[0]);
	}
	*ports = kn_wk_ports;
	*components = kn_wk_comps;
	return sizeof(kn_wk_ports) / sizeof(kn_wk_ports[0]);
}

static double
kn_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int64_t
kn_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t
kn_key_hash(const char *node, uint16_t port)
{
	return kn_hash_bytes(node, strlen(node)) ^
	       ((uint64_t)port * 0x9E3779B97F4A7C15ULL);
}

static const struct kn_ptarget *
kn_lookup(const struct kn_ptarget *t, const uint32_t *index, size_t cap,
	  const char *node, uint16_t port)
{
	size_t mask = cap - 1, i;

	if (cap == 0)
		return NULL;
	i = (size_t)kn_key_hash(node, port) & mask;
	while (index[i] != 0) {
		const struct kn_ptarget *x = &t[index[i] - 1];

		if (x->r.port == port && strcmp(x->r.node, node) == 0)
			return x;
		i = (i + 1) & mask;
	}
	return NULL;
}

/* ---- one connect ---- */

static enum kn_port_state
kn_classify(int err)
{
	switch (err) {
	case 0:
		return KN_PORT_OPEN;
	case ECONNREFUSED:
	case ECONNRESET:
		return KN_PORT_CLOSED;
	default:
		/* Timeout, unreachable host or network, administratively
		 * prohibited (EACCES/EPERM), blackhole route (EINVAL): no
		 * answer from the port itself. */
		return KN_PORT_FILTERED;
	}
}

/* Local shortage rather than an answer: try again when a slot frees. */
static bool
kn_local_shortage(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS ||
	       err == ENOMEM || err == EAGAIN || err == EADDRNOTAVAIL;
}

static void
kn_count(struct kn_probe_sweep *s, enum kn_port_state st)
{
	switch (st) {
	case KN_PORT_OPEN:
		s->open++;
		break;
	case KN_PORT_CLOSED:
		s->closed++;
		break;
	case KN_PORT_FILTERED:
		s->filtered++;
		break;
	case KN_PORT_SKIPPED:
		s->skipped++;
		break;
	}
}

static void
kn_finish(struct kn_prober *p, struct kn_ptarget *x, enum kn_port_state st,
	  int err, bool timed)
{
	x->r.state = st;
	x->r.err = st == KN_PORT_OPEN ? 0 : err;
	x->r.rtt_ms = timed && (st == KN_PORT_OPEN || st == KN_PORT_CLOSED)
			      ? (kn_mono_us() - x->t0_us) / 1000.0
			      : -1;
	x->r.checked_ms = kn_wall_ms();
	x->r.probing = false;
	p->generation++;
	kn_count(&p->cur, st);
}

static void
kn_close_target(struct kn_prober *p, struct kn_ptarget *x)
{
	unsigned i;

	if (x->fd < 0)
		return;
	/* Closing drops the socket from the epoll set too. */
	close(x->fd);
	x->fd = -1;
	x->r.probing = false;
	for (i = 0; i < p->ninflight; i++) {
		if (&p->t[p->inflight[i]] != x)
			continue;
		p->inflight[i] = p->inflight[--p->ninflight];
		break;
	}
}

/* Start one connect. Returns false on a local shortage (nothing changed). */
static bool
kn_launch(struct kn_prober *p, size_t idx)
{
	struct kn_ptarget *x = &p->t[idx];
	struct sockaddr_storage ss;
	socklen_t sl;
	struct epoll_event ev;
	int fd, err;

	if (x->skip || x->r.ip.family == 0) {
		x->r.state = KN_PORT_SKIPPED;
		x->r.rtt_ms = -1;
		kn_count(&p->cur, KN_PORT_SKIPPED);
		return true;
	}
	memset(&ss, 0, sizeof(ss));
	if (x->r.ip.family == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(x->r.port);
		memcpy(&sin->sin_addr, x->r.ip.addr, 4);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(x->r.port);
		memcpy(&sin6->sin6_addr, x->r.ip.addr, 16);
		sl = sizeof(*sin6);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0) {
		err = errno;
		if (kn_local_shortage(err) && p->ninflight > 0)
			return false;
		/* No IPv6 here, or nothing in flight to wait for. */
		kn_finish(p, x, KN_PORT_SKIPPED, err, false);
		return true;
	}
	x->t0_us = kn_mono_us();
	if (connect(fd, (struct sockaddr *)&ss, sl) == 0) {
		close(fd);
		kn_finish(p, x, KN_PORT_OPEN, 0, true);
		return true;
	}
	err = errno;
	if (err != EINPROGRESS) {
		close(fd);
		if (kn_local_shortage(err)) {
			if (p->ninflight > 0)
				return false;
			kn_finish(p, x, KN_PORT_SKIPPED, err, false);
			return true;
		}
		kn_finish(p, x, kn_classify(err), err, true);
		return true;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLOUT;
	ev.data.u64 = idx;
	if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
		err = errno;
		close(fd);
		if (p->ninflight > 0)
			return false;
		kn_finish(p, x, KN_PORT_SKIPPED, err, false);
		return true;
	}
	x->fd = fd;
	x->deadline = kn_now_ms() + p->cfg.timeout_ms;
	x->r.probing = true;
	p->inflight[p->ninflight++] = (unsigned)idx;
	return true;
}

/* ---- the sweep ---- */

static void kn_on_deadline(void *arg);
static void kn_on_kick(void *arg);

static void
kn_arm_deadline(struct kn_prober *p)
{
	uint64_t earliest = 0, now;
	unsigned i;

	for (i = 0; i < p->ninflight; i++) {
		uint64_t d = p->t[p->inflight[i]].deadline;

		if (earliest == 0 || d < earliest)
			earliest = d;
	}
	if (earliest == 0 ||
	    (p->deadline_armed != 0 && p->deadline_armed <= earliest))
		return;
	if (p->deadline_timer != 0)
		kn_loop_cancel_timer(p->loop, p->deadline_timer);
	now = kn_now_ms();
	p->deadline_armed = earliest;
	p->deadline_timer =
		kn_loop_add_timer(p->loop, earliest > now ? earliest - now : 0,
				  false, kn_on_deadline, p);
}

static void
kn_sweep_end(struct kn_prober *p)
{
	p->running = false;
	p->cur.ended_ms = kn_now_ms();
	p->last = p->cur;
	p->sweeps_ended++;
	if (p->deadline_timer != 0) {
		kn_loop_cancel_timer(p->loop, p->deadline_timer);
		p->deadline_timer = 0;
		p->deadline_armed = 0;
	}
	if (p->pending) {
		/* Start the next one from the loop, not from inside this
		 * call chain (the callback may ask for yet another). */
		p->pending = false;
		if (p->kick_timer == 0)
			p->kick_timer = kn_loop_add_timer(p->loop, 0, false,
							  kn_on_kick, p);
	}
	if (p->cfg.done != NULL) {
		p->in_done = true;
		p->cfg.done(p->cfg.done_arg, &p->last);
		p->in_done = false;
	}
}

/* Launch while there are slots and targets, then end the sweep if all is
 * done. */
static void
kn_pump(struct kn_prober *p)
{
	if (!p->running)
		return;
	while (p->next < p->n && p->ninflight < p->cfg.concurrency) {
		if (!kn_launch(p, p->next))
			break;
		p->next++;
	}
	if (p->next >= p->n && p->ninflight == 0) {
		kn_sweep_end(p);
		return;
	}
	kn_arm_deadline(p);
}

static void
kn_sweep_begin(struct kn_prober *p)
{
	memset(&p->cur, 0, sizeof(p->cur));
	p->cur.total = p->n;
	p->cur.started_ms = kn_now_ms();
	p->next = 0;
	p->running = true;
	kn_pump(p);
}

static void
kn_sweep_abort(struct kn_prober *p)
{
	if (!p->running)
		return;
	while (p->ninflight > 0)
		kn_close_target(p, &p->t[p->inflight[0]]);
	if (p->deadline_timer != 0) {
		kn_loop_cancel_timer(p->loop, p->deadline_timer);
		p->deadline_timer = 0;
		p->deadline_armed = 0;
	}
	p->running = false;
	p->cur.ended_ms = kn_now_ms();
	p->cur.aborted = true;
	p->last = p->cur;
	p->generation++;
}

static void
kn_on_deadline(void *arg)
{
	struct kn_prober *p = arg;
	uint64_t now = kn_now_ms();
	unsigned i = 0;

	p->deadline_timer = 0;
	p->deadline_armed = 0;
	while (i < p->ninflight) {
		struct kn_ptarget *x = &p->t[p->inflight[i]];

		if (x->deadline > now) {
			i++;
			continue;
		}
		kn_close_target(p, x); /* swaps the last slot into i */
		kn_finish(p, x, KN_PORT_FILTERED, ETIMEDOUT, false);
	}
	kn_pump(p);
}

static void
kn_on_kick(void *arg)
{
	struct kn_prober *p = arg;

	p->kick_timer = 0;
	if (!p->running)
		kn_sweep_begin(p);
}

static void
kn_on_tick(void *arg)
{
	struct kn_prober *p = arg;

	if (!p->running)
		kn_sweep_begin(p);
}

static void
kn_on_epoll(int fd, short revents, void *arg)
{
	struct kn_prober *p = arg;
	int n, i, err;
	socklen_t len;

	n = epoll_wait(p->epfd, p->evs, (int)p->cfg.concurrency, 0);
	for (i = 0; i < n; i++) {
		size_t idx = (size_t)p->evs[i].data.u64;
		struct kn_ptarget *x;

		if (idx >= p->n)
			continue;
		x = &p->t[idx];
		if (x->fd < 0)
			continue;
		err = 0;
		len = sizeof(err);
		if (getsockopt(x->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
			err = errno;
		if (err == 0 && (p->evs[i].events & EPOLLOUT) == 0)
			continue; /* spurious: keep waiting */
		kn_close_target(p, x);
		kn_finish(p, x, kn_classify(err), err, true);
	}
	kn_pump(p);
}

/* ---- public API ---- */

struct kn_prober *
kn_prober_new(struct kn_loop *loop, const struct kn_probe_cfg *cfg,
	      char *errbuf)
{
	struct kn_prober *p = kn_xcalloc(1, sizeof(*p));

	p->loop = loop;
	if (cfg != NULL)
		p->cfg = *cfg;
	else
		kn_probe_cfg_init(&p->cfg);
	if (p->cfg.concurrency == 0)
		p->cfg.concurrency = KN_PROBE_CONCURRENCY;
	if (p->cfg.timeout_ms == 0)
		p->cfg.timeout_ms = KN_PROBE_TIMEOUT_MS;
	if (p->cfg.interval_ms == 0)
		p->cfg.interval_ms = KN_PROBE_INTERVAL_MS;
	p->inflight = kn_xcalloc(p->cfg.concurrency, sizeof(*p->inflight));
	p->evs = kn_xcalloc(p->cfg.concurrency, sizeof(*p->evs));
	p->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (p->epfd < 0) {
		kn_errf(errbuf, KN_ERR_IO, "probe: epoll_create1: %s",
			strerror(errno));
		goto fail;
	}
	if (kn_loop_add_fd(loop, p->epfd, POLLIN, kn_on_epoll, p) != KN_OK) {
		kn_errf(errbuf, KN_ERR_LIMIT,
			"probe: the event loop has no free fd slot");
		close(p->epfd);
		goto fail;
	}
	return p;
fail:
	free(p->evs);
	free(p->inflight);
	free(p);
	return NULL;
}

static void
kn_free_targets(struct kn_ptarget *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)t[i].r.node);
		free((char *)t[i].r.component);
	}
	free(t);
}

void
kn_prober_free(struct kn_prober *p)
{
	if (p == NULL)
		return;
	kn_prober_stop(p);
	kn_loop_remove_fd(p->loop, p->epfd);
	close(p->epfd);
	kn_free_targets(p->t, p->n);
	free(p->index);
	free(p->evs);
	free(p->inflight);
	free(p);
}

enum kn_err
kn_prober_set_targets(struct kn_prober *p, const struct kn_probe_target *t,
		      size_t n)
{
	struct kn_ptarget *nt;
	uint32_t *nidx;
	size_t cap = 16, mask, i, m = 0;
	bool was_running = p->running;

	if (n >= UINT32_MAX / 4)
		return KN_ERR_LIMIT;
	while (cap < n * 2)
		cap *= 2;
	mask = cap - 1;
	nt = kn_xcalloc(n ? n : 1, sizeof(*nt));
	nidx = kn_xcalloc(cap, sizeof(*nidx));
	for (i = 0; i < n; i++) {
		const struct kn_ptarget *old;
		struct kn_ptarget *x = &nt[m];
		size_t h;

		if (t[i].node == NULL)
			continue;
		if (kn_lookup(nt, nidx, cap, t[i].node, t[i].port) != NULL)
			continue; /* duplicate: keep the first */
		x->r.node = kn_xstrdup(t[i].node);
		x->r.component =
			kn_xstrdup(t[i].component ? t[i].component : "");
		x->r.ip = t[i].ip;
		x->r.port = t[i].port;
		x->r.rtt_ms = -1;
		x->skip = t[i].skip;
		x->fd = -1;
		old = kn_lookup(p->t, p->index, p->index_cap, t[i].node,
				t[i].port);
		if (old != NULL && kn_ipaddr_eq(&old->r.ip, &t[i].ip) &&
		    !x->skip) {
			x->r.state = old->r.state;
			x->r.rtt_ms = old->r.rtt_ms;
			x->r.checked_ms = old->r.checked_ms;
			x->r.err = old->r.err;
		}
		h = (size_t)kn_key_hash(t[i].node, t[i].port) & mask;
		while (nidx[h] != 0)
			h = (h + 1) & mask;
		nidx[h] = (uint32_t)(m + 1);
		m++;
	}
	kn_sweep_abort(p);
	kn_free_targets(p->t, p->n);
	free(p->index);
	p->t = nt;
	p->n = m;
	p->index = nidx;
	p->index_cap = cap;
	p->generation++;
	if (was_running)
		kn_sweep_begin(p);
	return KN_OK;
}

void
kn_prober_start(struct kn_prober *p)
{
	if (p->periodic)
		return;
	p->periodic = true;
	p->tick_timer = kn_loop_add_timer(p->loop, p->cfg.interval_ms, true,
					  kn_on_tick, p);
	if (!p->running)
		kn_sweep_begin(p);
}

void
kn_prober_stop(struct kn_prober *p)
{
	if (p->periodic) {
		kn_loop_cancel_timer(p->loop, p->tick_timer);
		p->tick_timer = 0;
		p->periodic = false;
	}
	p->pending = false;
	if (p->kick_timer != 0) {
		kn_loop_cancel_timer(p->loop, p->kick_timer);
		p->kick_timer = 0;
	}
	kn_sweep_abort(p);
}

void
kn_prober_sweep(struct kn_prober *p)
{
	if (p->running) {
		p->pending = true;
		return;
	}
	if (p->in_done) {
		/* From the callback: start from the loop, so a sweep that
		 * ends at once cannot recurse. */
		if (p->kick_timer == 0)
			p->kick_timer = kn_loop_add_timer(p->loop, 0, false,
							  kn_on_kick, p);
		return;
	}
	kn_sweep_begin(p);
}

bool
kn_prober_busy(const struct kn_prober *p)
{
	return p->running;
}

enum kn_err
kn_prober_run_sync(struct kn_prober *p, int timeout_ms)
{
	uint64_t start = kn_now_ms(), target;

	if (!p->running)
		kn_sweep_begin(p);
	target = p->sweeps_ended + (p->running ? 1 : 0);
	while (p->sweeps_ended < target) {
		int wait = 100;

		if (timeout_ms > 0) {
			uint64_t el = kn_now_ms() - start;

			if (el >= (uint64_t)timeout_ms) {
				kn_sweep_abort(p);
				return KN_ERR_AGAIN;
			}
			if ((uint64_t)timeout_ms - el < (uint64_t)wait)
				wait = (int)((uint64_t)timeout_ms - el);
		}
		if (kn_loop_turn(p->loop, wait) != KN_OK) {
			kn_sweep_abort(p);
			return KN_ERR_IO;
		}
	}
	return KN_OK;
}

size_t
kn_prober_count(const struct kn_prober *p)
{
	return p->n;
}

const struct kn_probe_result *
kn_prober_get(const struct kn_prober *p, size_t i)
{
	return i < p->n ? &p->t[i].r : NULL;
}

const struct kn_probe_result *
kn_prober_result(const struct kn_prober *p, const char *node, uint16_t port)
{
	const struct kn_ptarget *x;

	if (node == NULL)
		return NULL;
	x = kn_lookup(p->t, p->index, p->index_cap, node, port);
	return x ? &x->r : NULL;
}

uint64_t
kn_prober_generation(const struct kn_prober *p)
{
	return p->generation;
}

const struct kn_probe_sweep *
kn_prober_last_sweep(const struct kn_prober *p)
{
	return &p->last;
}
