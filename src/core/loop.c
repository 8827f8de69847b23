/* The single event loop (DESIGN.md s.5): curl_multi_poll + fds + timers. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "k8snet/alloc.h"
#include "k8snet/loop_curl.h"

#define KN_LOOP_MAX_FDS 16
#define KN_LOOP_IDLE_MS 1000

struct kn_loop_fd {
	int fd;
	short events;
	kn_fd_cb cb;
	void *arg;
};

struct kn_timer {
	uint64_t id, due, period;
	kn_timer_cb cb;
	void *arg;
};

struct kn_loop {
	CURLM *multi;
	struct kn_loop_fd fds[KN_LOOP_MAX_FDS];
	int nfds;
	struct kn_timer *timers;
	size_t ntimers, captimers;
	uint64_t next_timer_id;
	kn_signal_cb sig_cb;
	void *sig_arg;
	kn_turn_cb turn_cb;
	void *turn_arg;
	kn_curl_done_cb done_cb;
	void *done_arg;
	bool stop;
};

/* The self-pipe is process-wide: a signal handler can reach nothing else. */
static int kn_sig_pipe[2] = {-1, -1};

static void
kn_sig_handler(int signo)
{
	unsigned char b = (unsigned char)signo;
	int saved = errno;

	if (kn_sig_pipe[1] >= 0 && write(kn_sig_pipe[1], &b, 1) < 0) {
		/* pipe full: the byte already waiting will wake the loop */
	}
	errno = saved;
}

uint64_t
kn_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t
kn_cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

struct kn_loop *
kn_loop_new(void)
{
	struct kn_loop *l = kn_xcalloc(1, sizeof(*l));

	curl_global_init(CURL_GLOBAL_DEFAULT);
	l->multi = curl_multi_init();
	if (l->multi == NULL) {
		free(l);
		return NULL;
	}
	return l;
}

void
kn_loop_free(struct kn_loop *l)
{
	if (l == NULL)
		return;
	if (l->sig_cb != NULL) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGWINCH, SIG_DFL);
		/* what is left to write at exit fails with EPIPE instead */
		signal(SIGPIPE, SIG_IGN);
		close(kn_sig_pipe[0]);
		close(kn_sig_pipe[1]);
		kn_sig_pipe[0] = kn_sig_pipe[1] = -1;
	}
	curl_multi_cleanup(l->multi);
	curl_global_cleanup();
	free(l->timers);
	free(l);
}

CURLM *
kn_loop_curl(struct kn_loop *l)
{
	return l->multi;
}

enum kn_err
kn_loop_add_fd(struct kn_loop *l, int fd, short events, kn_fd_cb cb, void *arg)
{
	if (l->nfds >= KN_LOOP_MAX_FDS)
		return KN_ERR_LIMIT;
	l->fds[l->nfds].fd = fd;
	l->fds[l->nfds].events = events;
	l->fds[l->nfds].cb = cb;
	l->fds[l->nfds].arg = arg;
	l->nfds++;
	return KN_OK;
}

void
kn_loop_remove_fd(struct kn_loop *l, int fd)
{
	int i;

	for (i = 0; i < l->nfds; i++) {
		if (l->fds[i].fd != fd)
			continue;
		memmove(&l->fds[i], &l->fds[i + 1],
			(size_t)(l->nfds - i - 1) * sizeof(l->fds[0]));
		l->nfds--;
		return;
	}
}

uint64_t
kn_loop_add_timer(struct kn_loop *l, uint64_t ms, bool repeat, kn_timer_cb cb,
		  void *arg)
{
	struct kn_timer *t;

	if (l->ntimers == l->captimers) {
		l->captimers = l->captimers ? l->captimers * 2 : 8;
		l->timers = kn_xreallocarray(l->timers, l->captimers,
					     sizeof(*l->timers));
	}
	t = &l->timers[l->ntimers++];
	t->id = ++l->next_timer_id;
	t->due = kn_now_ms() + ms;
	t->period = repeat ? (ms ? ms : 1) : 0;
	t->cb = cb;
	t->arg = arg;
	return t->id;
}

void
kn_loop_cancel_timer(struct kn_loop *l, uint64_t id)
{
	size_t i;

	for (i = 0; i < l->ntimers; i++) {
		if (l->timers[i].id != id)
			continue;
		l->timers[i] = l->timers[--l->ntimers];
		return;
	}
}

enum kn_err
kn_loop_watch_signals(struct kn_loop *l, kn_signal_cb cb, void *arg)
{
	struct sigaction sa;
	int i;

	if (kn_sig_pipe[0] < 0) {
		if (pipe(kn_sig_pipe) != 0)
			return KN_ERR_IO;
		for (i = 0; i < 2; i++) {
			fcntl(kn_sig_pipe[i], F_SETFL,
			      fcntl(kn_sig_pipe[i], F_GETFL) | O_NONBLOCK);
			fcntl(kn_sig_pipe[i], F_SETFD, FD_CLOEXEC);
		}
	}
	l->sig_cb = cb;
	l->sig_arg = arg;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kn_sig_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	/* A write to a closed pipe still fails with EPIPE; the owner is told
	 * and decides whether it was its output that went away. */
	sigaction(SIGPIPE, &sa, NULL);
	return KN_OK;
}

void
kn_loop_set_turn_hook(struct kn_loop *l, kn_turn_cb cb, void *arg)
{
	l->turn_cb = cb;
	l->turn_arg = arg;
}

void
kn_loop_set_curl_done(struct kn_loop *l, kn_curl_done_cb cb, void *arg)
{
	l->done_cb = cb;
	l->done_arg = arg;
}

void
kn_loop_wakeup(struct kn_loop *l)
{
	curl_multi_wakeup(l->multi);
}

void
kn_loop_stop(struct kn_loop *l)
{
	l->stop = true;
	kn_loop_wakeup(l);
}

static int
kn_loop_timeout(struct kn_loop *l, int max_wait_ms)
{
	uint64_t now = kn_now_ms();
	long curl_ms = -1;
	int wait = max_wait_ms;
	size_t i;

	for (i = 0; i < l->ntimers; i++) {
		uint64_t d =
			l->timers[i].due > now ? l->timers[i].due - now : 0;

		if (d < (uint64_t)wait)
			wait = (int)d;
	}
	curl_multi_timeout(l->multi, &curl_ms);
	if (curl_ms >= 0 && curl_ms < wait)
		wait = (int)curl_ms;
	return wait;
}

static void
kn_loop_run_timers(struct kn_loop *l)
{
	uint64_t now = kn_now_ms();
	size_t i = 0;

	/* A callback may add or cancel timers: re-check bounds each step,
	 * and copy the timer out before calling it. */
	while (i < l->ntimers) {
		struct kn_timer t = l->timers[i];

		if (t.due > now) {
			i++;
			continue;
		}
		if (t.period) {
			l->timers[i].due = now + t.period;
			i++;
		} else {
			l->timers[i] = l->timers[--l->ntimers];
		}
		t.cb(t.arg);
	}
}

static void
kn_loop_drain_signals(struct kn_loop *l)
{
	unsigned char b[32];
	ssize_t n, i;

	while ((n = read(kn_sig_pipe[0], b, sizeof(b))) > 0)
		for (i = 0; i < n; i++)
			if (l->sig_cb != NULL)
				l->sig_cb(b[i], l->sig_arg);
}

/* An earlier callback of this turn may have removed (and freed) it. */
static bool
kn_loop_has_fd(const struct kn_loop *l, const struct kn_loop_fd *f)
{
	int i;

	for (i = 0; i < l->nfds; i++)
		if (l->fds[i].fd == f->fd && l->fds[i].cb == f->cb &&
		    l->fds[i].arg == f->arg)
			return true;
	return false;
}

/* The poll(2) revents of our own fds, into w[i].revents. curl_multi_poll
 * passes on only POLLIN, POLLOUT and POLLPRI of extra fds: a hang-up or
 * an error makes it return at once, every turn, and says nothing of why
 * (a terminal gone without a SIGHUP spun the loop at full CPU). So the
 * fds are asked once more, without waiting; POLLERR and POLLNVAL come
 * through as they are, with POLLHUP. */
static void
kn_loop_revents(const struct kn_loop_fd *fds, int nfds, struct curl_waitfd *w)
{
	struct pollfd p[KN_LOOP_MAX_FDS];
	short rev;
	int i;

	for (i = 0; i < nfds; i++) {
		p[i].fd = fds[i].fd;
		p[i].events = fds[i].events;
		p[i].revents = 0;
	}
	if (nfds > 0 && poll(p, (nfds_t)nfds, 0) >= 0) {
		for (i = 0; i < nfds; i++)
			w[i].revents = p[i].revents;
		return;
	}
	/* poll failed: what curl said, in poll's terms */
	for (i = 0; i < nfds; i++) {
		rev = 0;
		if (w[i].revents & CURL_WAIT_POLLIN)
			rev |= POLLIN;
		if (w[i].revents & CURL_WAIT_POLLOUT)
			rev |= POLLOUT;
		if (w[i].revents & ~(CURL_WAIT_POLLIN | CURL_WAIT_POLLOUT))
			rev |= POLLHUP;
		w[i].revents = rev;
	}
}

enum kn_err
kn_loop_turn(struct kn_loop *l, int max_wait_ms)
{
	struct curl_waitfd wfd[KN_LOOP_MAX_FDS + 1];
	struct kn_loop_fd snap[KN_LOOP_MAX_FDS];
	unsigned n = 0;
	int i, nsnap, running;
	CURLMcode mc;

	if (kn_sig_pipe[0] >= 0 && l->sig_cb != NULL) {
		wfd[n].fd = kn_sig_pipe[0];
		wfd[n].events = CURL_WAIT_POLLIN;
		wfd[n].revents = 0;
		n++;
	}
	nsnap = l->nfds;
	memcpy(snap, l->fds, (size_t)nsnap * sizeof(snap[0]));
	for (i = 0; i < nsnap; i++) {
		wfd[n].fd = snap[i].fd;
		wfd[n].events =
			(short)((snap[i].events & POLLIN ? CURL_WAIT_POLLIN
							 : 0) |
				(snap[i].events & POLLOUT ? CURL_WAIT_POLLOUT
							  : 0));
		wfd[n].revents = 0;
		n++;
	}
	mc = curl_multi_poll(l->multi, wfd, n, kn_loop_timeout(l, max_wait_ms),
			     NULL);
	if (mc != CURLM_OK && mc != CURLM_UNRECOVERABLE_POLL)
		return KN_ERR_IO;
	n = 0;
	if (kn_sig_pipe[0] >= 0 && l->sig_cb != NULL) {
		if (wfd[n].revents)
			kn_loop_drain_signals(l);
		n++;
	}
	kn_loop_revents(snap, nsnap, &wfd[n]);
	curl_multi_perform(l->multi, &running);
	if (l->done_cb != NULL) {
		CURLMsg *msg;
		int left;

		while ((msg = curl_multi_info_read(l->multi, &left)) != NULL)
			l->done_cb(msg, l->done_arg);
	}
	for (i = 0; i < nsnap; i++, n++) {
		short rev = wfd[n].revents;

		if (rev != 0 && kn_loop_has_fd(l, &snap[i]))
			snap[i].cb(snap[i].fd, rev, snap[i].arg);
	}
	kn_loop_run_timers(l);
	if (l->turn_cb != NULL)
		l->turn_cb(l->turn_arg);
	return KN_OK;
}

enum kn_err
kn_loop_run(struct kn_loop *l)
{
	enum kn_err e;

	l->stop = false;
	while (!l->stop) {
		e = kn_loop_turn(l, KN_LOOP_IDLE_MS);
		if (e != KN_OK)
			return e;
	}
	return KN_OK;
}
