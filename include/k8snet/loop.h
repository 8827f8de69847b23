/* The one event loop: curl_multi_poll() over curl's sockets plus extra fds
 * (stdin, the pcap selectable fd, a signal self-pipe) and a timer list.
 * Each turn: signals, curl progress, fd callbacks, due timers, then the
 * turn hook (the UI redraws there, once, if something asked for it).
 * The curl side (the multi handle, finished transfers) is in
 * loop_curl.h, for the Kube-API client alone: users of the loop do not
 * see curl. */
#ifndef K8SNET_LOOP_H
#define K8SNET_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "k8snet/err.h"

struct kn_loop;

typedef void (*kn_fd_cb)(int fd, short revents, void *arg);
typedef void (*kn_timer_cb)(void *arg);
typedef void (*kn_signal_cb)(int signo, void *arg);
typedef void (*kn_turn_cb)(void *arg);

struct kn_loop *kn_loop_new(void);
void kn_loop_free(struct kn_loop *l);

/* Watch fd for events (POLLIN ...); at most 16 fds. cb gets poll(2)'s
 * revents: POLLHUP, POLLERR and POLLNVAL come whatever was asked, and
 * come again every turn until cb removes the fd. */
enum kn_err kn_loop_add_fd(struct kn_loop *l, int fd, short events, kn_fd_cb cb,
			   void *arg);
void kn_loop_remove_fd(struct kn_loop *l, int fd);

/* Run cb after ms milliseconds (and every ms if repeat). Returns an id > 0
 * for kn_loop_cancel_timer. */
uint64_t kn_loop_add_timer(struct kn_loop *l, uint64_t ms, bool repeat,
			   kn_timer_cb cb, void *arg);
void kn_loop_cancel_timer(struct kn_loop *l, uint64_t id);

/* Route SIGINT, SIGTERM, SIGHUP, SIGWINCH and SIGPIPE through the
 * self-pipe to cb (a write that raised SIGPIPE still fails with EPIPE;
 * cb may ignore it). Until then SIGPIPE is whatever the process set. */
enum kn_err kn_loop_watch_signals(struct kn_loop *l, kn_signal_cb cb,
				  void *arg);
/* Called at the end of every turn. */
void kn_loop_set_turn_hook(struct kn_loop *l, kn_turn_cb cb, void *arg);

/* Make the current (or next) wait return at once. Safe from callbacks. */
void kn_loop_wakeup(struct kn_loop *l);

/* Run until kn_loop_stop. */
enum kn_err kn_loop_run(struct kn_loop *l);
void kn_loop_stop(struct kn_loop *l);
/* One turn, waiting at most max_wait_ms; for tests and --once drivers. */
enum kn_err kn_loop_turn(struct kn_loop *l, int max_wait_ms);

/* Monotonic milliseconds. */
uint64_t kn_now_ms(void);
/* CPU time of the calling thread in microseconds: what a piece of work
 * cost, not how long a busy machine kept it off the CPU. */
uint64_t kn_cpu_us(void);

#endif
