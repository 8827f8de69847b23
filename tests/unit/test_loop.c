/* Unit tests for the event loop: timers, fds, signals, stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <cmocka.h>

#include "k8snet/loop_curl.h"

struct ctx {
	struct kn_loop *loop;
	int timer_hits, fd_hits, sig, turns;
	uint64_t repeat_id;
};

static void
on_timer(void *arg)
{
	struct ctx *c = arg;

	if (++c->timer_hits == 3)
		kn_loop_cancel_timer(c->loop, c->repeat_id);
}

static void
on_once(void *arg)
{
	struct ctx *c = arg;

	kn_loop_stop(c->loop);
}

static void
on_fd(int fd, short rev, void *arg)
{
	struct ctx *c = arg;
	char b;

	if (rev & POLLIN && read(fd, &b, 1) == 1)
		c->fd_hits++;
}

static void
on_signal(int signo, void *arg)
{
	struct ctx *c = arg;

	c->sig = signo;
}

static void
on_turn(void *arg)
{
	struct ctx *c = arg;

	c->turns++;
}

static void
test_timers_and_stop(void **state)
{
	struct ctx c = {0};

	(void)state;
	c.loop = kn_loop_new();
	assert_non_null(c.loop);
	assert_non_null(kn_loop_curl(c.loop));
	c.repeat_id = kn_loop_add_timer(c.loop, 1, true, on_timer, &c);
	kn_loop_add_timer(c.loop, 50, false, on_once, &c);
	kn_loop_set_turn_hook(c.loop, on_turn, &c);
	assert_int_equal(kn_loop_run(c.loop), KN_OK);
	assert_int_equal(c.timer_hits, 3);
	assert_true(c.turns > 0);
	kn_loop_free(c.loop);
}

static void
test_fd_and_signal(void **state)
{
	struct ctx c = {0};
	int p[2];
	int i;

	(void)state;
	c.loop = kn_loop_new();
	assert_int_equal(pipe(p), 0);
	assert_int_equal(kn_loop_add_fd(c.loop, p[0], POLLIN, on_fd, &c),
			 KN_OK);
	assert_int_equal(kn_loop_watch_signals(c.loop, on_signal, &c), KN_OK);
	assert_int_equal(write(p[1], "x", 1), 1);
	raise(SIGWINCH);
	for (i = 0; i < 10 && (c.fd_hits == 0 || c.sig == 0); i++)
		kn_loop_turn(c.loop, 100);
	assert_int_equal(c.fd_hits, 1);
	assert_int_equal(c.sig, SIGWINCH);
	kn_loop_remove_fd(c.loop, p[0]);
	assert_int_equal(write(p[1], "y", 1), 1);
	kn_loop_turn(c.loop, 10);
	assert_int_equal(c.fd_hits, 1);
	close(p[0]);
	close(p[1]);
	kn_loop_free(c.loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_and_stop),
		cmocka_unit_test(test_fd_and_signal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
