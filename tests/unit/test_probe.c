/* Unit tests for node port probes: targets from roles and NodePorts, and
 * real connects on loopback (open, closed) and, as root, in a network
 * namespace made for the test (filtered: silent drop and unreachable). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "k8snet/loop.h"
#include "k8snet/probe.h"
#include "testutil.h"

extern char **environ;

static void
test_known_ports(void **state)
{
	const uint16_t *ports;
	const char *const *comps;

	assert_int_equal(kn_probe_known_ports(true, &ports, &comps), 6);
	assert_int_equal(ports[0], 6443);
	assert_string_equal(comps[0], "kube-apiserver");
	assert_int_equal(ports[2], 2380);
	assert_string_equal(comps[2], "etcd");
	assert_int_equal(ports[5], 10259);
	assert_string_equal(comps[5], "kube-scheduler");
	assert_int_equal(kn_probe_known_ports(false, &ports, &comps), 2);
	assert_int_equal(ports[1], 10256);
	assert_string_equal(comps[1], "kube-proxy");
}

static void
test_targets_build(void **state)
{
	struct kn_probe_node nodes[3] = {
		{"cp-1", tu_ip("10.0.0.1"), true},
		{"w-1", tu_ip("10.0.0.2"), false},
		{"w-2", {0}, false},
	};
	struct kn_probe_nodeport nps[3] = {
		{30080, "shop/frontend"},
		{10250, "odd/clash"}, /* already listed: not repeated */
		{31000, "shop/api"},
	};
	struct kn_probe_target *t;
	size_t n;

	assert_int_equal(kn_probe_targets_build(nodes, 3, nps, 3,
						KN_PROBE_KNOWN, &t, &n),
			 KN_OK);
	assert_int_equal(n, 6 + 2 + 2);
	assert_string_equal(t[0].node, "cp-1");
	assert_int_equal(t[0].port, 6443);
	assert_false(t[0].skip);
	assert_string_equal(t[6].node, "w-1");
	assert_int_equal(t[7].port, 10256);
	assert_int_equal(t[9].ip.family, 0);
	kn_probe_targets_free(t);

	assert_int_equal(kn_probe_targets_build(nodes, 3, nps, 3,
						KN_PROBE_NODEPORTS, &t, &n),
			 KN_OK);
	assert_int_equal(n, (6 + 2) + (2 + 2) + (2 + 2));
	assert_int_equal(t[6].port, 30080);
	assert_string_equal(t[6].component, "NodePort shop/frontend");
	assert_int_equal(t[7].port, 31000);
	assert_string_equal(t[7].component, "NodePort shop/api");
	assert_string_equal(t[15].component, "NodePort shop/api");
	assert_string_equal(t[15].node, "w-2");
	kn_probe_targets_free(t);

	assert_int_equal(
		kn_probe_targets_build(nodes, 3, nps, 3, KN_PROBE_NONE, &t, &n),
		KN_OK);
	assert_int_equal(n, 10);
	assert_true(t[0].skip && t[9].skip);
	kn_probe_targets_free(t);

	assert_int_equal(kn_probe_targets_build(NULL, 0, NULL, 0,
						KN_PROBE_KNOWN, &t, &n),
			 KN_OK);
	assert_int_equal(n, 0);
	kn_probe_targets_free(t);
}

/* A listening socket on addr, port 0 (the kernel picks); returns the fd
 * and sets *port. */
static int
listen_on(const char *addr, uint16_t *port)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, addr, &sin.sin_addr), 1);
	sin.sin_port = htons(*port);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 64), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

struct done_ctx {
	int calls;
	struct kn_probe_sweep last;
};

static void
on_done(void *arg, const struct kn_probe_sweep *s)
{
	struct done_ctx *d = arg;

	d->calls++;
	d->last = *s;
}

/* Nodes at 127.0.0.2 and 127.0.0.3: a listener on 127.0.0.2 only, so the
 * same port is open on one node and closed on the other. */
static void
test_loopback_open_closed(void **state)
{
	struct kn_loop *loop = kn_loop_new();
	struct kn_probe_cfg cfg;
	struct kn_prober *p;
	struct done_ctx d = {0};
	const struct kn_probe_result *r;
	char errbuf[KN_ERRBUF];
	uint16_t port = 0;
	int lfd = listen_on("127.0.0.2", &port);
	struct kn_probe_target t[4] = {
		{"node-a", tu_ip("127.0.0.2"), port, "kubelet", false},
		{"node-b", tu_ip("127.0.0.3"), port, "kubelet", false},
		{"node-c", {0}, port, "kubelet", false},
		{"node-a", tu_ip("127.0.0.2"), 2, "not-probed", true},
	};

	kn_probe_cfg_init(&cfg);
	cfg.done = on_done;
	cfg.done_arg = &d;
	p = kn_prober_new(loop, &cfg, errbuf);
	assert_non_null(p);
	assert_int_equal(kn_prober_set_targets(p, t, 4), KN_OK);
	assert_int_equal(kn_prober_count(p), 4);
	r = kn_prober_result(p, "node-a", port);
	assert_int_equal(r->state, KN_PORT_SKIPPED);
	assert_int_equal(r->checked_ms, 0);

	assert_int_equal(kn_prober_run_sync(p, 0), KN_OK);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.last.total, 4);
	assert_int_equal(d.last.open, 1);
	assert_int_equal(d.last.closed, 1);
	assert_int_equal(d.last.skipped, 2);
	assert_false(kn_prober_busy(p));

	r = kn_prober_result(p, "node-a", port);
	assert_non_null(r);
	assert_string_equal(kn_port_state_name(r->state), "open");
	assert_string_equal(r->component, "kubelet");
	assert_true(r->rtt_ms >= 0);
	assert_true(r->checked_ms > 0);
	r = kn_prober_result(p, "node-b", port);
	assert_string_equal(kn_port_state_name(r->state), "closed");
	assert_int_equal(r->err, ECONNREFUSED);
	assert_true(r->rtt_ms >= 0);
	r = kn_prober_result(p, "node-c", port);
	assert_string_equal(kn_port_state_name(r->state), "skipped");
	assert_true(r->rtt_ms < 0);
	r = kn_prober_result(p, "node-a", 2);
	assert_int_equal(r->state, KN_PORT_SKIPPED);
	assert_null(kn_prober_result(p, "node-z", port));

	/* New target list: results of kept targets stay. */
	assert_int_equal(kn_prober_set_targets(p, t, 2), KN_OK);
	r = kn_prober_result(p, "node-a", port);
	assert_int_equal(r->state, KN_PORT_OPEN);
	assert_null(kn_prober_result(p, "node-c", port));

	/* The listener goes away: the next sweep sees it closed. */
	close(lfd);
	kn_prober_sweep(p);
	assert_int_equal(kn_prober_run_sync(p, 0), KN_OK);
	assert_int_equal(d.calls, 2);
	r = kn_prober_result(p, "node-a", port);
	assert_int_equal(r->state, KN_PORT_CLOSED);
	kn_prober_free(p);
	kn_loop_free(loop);
}

/* Many targets with concurrency 4: every one finished, the cap held. */
static void
test_concurrency_bound(void **state)
{
	struct kn_loop *loop = kn_loop_new();
	struct kn_probe_cfg cfg;
	struct kn_probe_target t[40];
	struct kn_prober *p;
	char errbuf[KN_ERRBUF], name[40][16];
	uint16_t port = 0;
	int lfd = listen_on("127.0.0.1", &port), i, in_flight;
	size_t k, open = 0;

	kn_probe_cfg_init(&cfg);
	cfg.concurrency = 4;
	p = kn_prober_new(loop, &cfg, errbuf);
	for (i = 0; i < 40; i++) {
		snprintf(name[i], sizeof(name[i]), "n%d", i);
		t[i].node = name[i];
		t[i].ip = tu_ip(i % 2 ? "127.0.0.1" : "127.0.0.4");
		t[i].port = port;
		t[i].component = "x";
		t[i].skip = false;
	}
	assert_int_equal(kn_prober_set_targets(p, t, 40), KN_OK);
	kn_prober_sweep(p);
	in_flight = 0;
	for (k = 0; k < kn_prober_count(p); k++)
		in_flight += kn_prober_get(p, k)->probing;
	assert_true(in_flight <= 4);
	assert_int_equal(kn_prober_run_sync(p, 0), KN_OK);
	for (k = 0; k < kn_prober_count(p); k++) {
		const struct kn_probe_result *r = kn_prober_get(p, k);

		assert_false(r->probing);
		assert_int_equal(r->state,
				 k % 2 ? KN_PORT_OPEN : KN_PORT_CLOSED);
		open += r->state == KN_PORT_OPEN;
	}
	assert_int_equal(open, 20);
	kn_prober_free(p);
	kn_loop_free(loop);
	close(lfd);
}

/* ---- as root: a namespace with a silent drop and an unreachable route */

static int
run(const char *const *argv)
{
	pid_t pid;
	int st;

	if (posix_spawnp(&pid, argv[0], NULL, NULL, (char *const *)argv,
			 environ) != 0)
		return -1;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_netns_filtered(void **state)
{
	char ns[64], nspath[128], errbuf[KN_ERRBUF];
	struct kn_loop *loop;
	struct kn_probe_cfg cfg;
	struct kn_prober *p;
	const struct kn_probe_result *r;
	int self, target, lfd, rc;
	uint16_t port = 0;

	if (geteuid() != 0)
		skip();
	snprintf(ns, sizeof(ns), "kn-probe-test-%d", (int)getpid());
	{
		const char *add[] = {"ip", "netns", "add", ns, NULL};

		if (run(add) != 0)
			skip(); /* no ip(8) or no namespaces here */
	}
	{
		const char *lo[] = {"ip",  "-n", ns,   "link",
				    "set", "lo", "up", NULL};
		/* Routed into lo but not local: the kernel drops the SYN
		 * without a word, as a DROP firewall rule would. */
		const char *drop[] = {"ip",    "-n",  ns,
				      "route", "add", "10.99.0.0/24",
				      "dev",   "lo",  NULL};
		const char *unr[] = {"ip",	     "-n",  ns,
				     "route",	     "add", "unreachable",
				     "10.98.0.0/24", NULL};

		rc = run(lo) | run(drop) | run(unr);
	}
	snprintf(nspath, sizeof(nspath), "/run/netns/%s", ns);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	target = open(nspath, O_RDONLY | O_CLOEXEC);
	assert_int_equal(rc, 0);
	assert_true(self >= 0 && target >= 0);
	assert_int_equal(setns(target, CLONE_NEWNET), 0);

	lfd = listen_on("127.0.0.1", &port);
	loop = kn_loop_new();
	kn_probe_cfg_init(&cfg);
	cfg.timeout_ms = 300;
	p = kn_prober_new(loop, &cfg, errbuf);
	{
		struct kn_probe_target t[4] = {
			{"up", tu_ip("127.0.0.1"), port, "kubelet", false},
			{"up", tu_ip("127.0.0.1"), 1, "etcd", false},
			{"dropped", tu_ip("10.99.0.2"), 10250, "kubelet",
			 false},
			{"unreach", tu_ip("10.98.0.2"), 10250, "kubelet",
			 false},
		};

		assert_int_equal(kn_prober_set_targets(p, t, 4), KN_OK);
	}
	assert_int_equal(kn_prober_run_sync(p, 0), KN_OK);
	r = kn_prober_result(p, "up", port);
	assert_int_equal(r->state, KN_PORT_OPEN);
	r = kn_prober_result(p, "up", 1);
	assert_int_equal(r->state, KN_PORT_CLOSED);
	r = kn_prober_result(p, "dropped", 10250);
	assert_string_equal(kn_port_state_name(r->state), "filtered");
	assert_int_equal(r->err, ETIMEDOUT);
	assert_true(r->rtt_ms < 0);
	r = kn_prober_result(p, "unreach", 10250);
	assert_int_equal(r->state, KN_PORT_FILTERED);
	assert_int_equal(r->err, EHOSTUNREACH);
	assert_int_equal(kn_prober_last_sweep(p)->filtered, 2);

	/* --once with a limit shorter than the drop timeout: cut short. */
	{
		struct kn_probe_target t[1] = {
			{"dropped", tu_ip("10.99.0.3"), 10250, "kubelet",
			 false},
		};

		kn_prober_set_targets(p, t, 1);
	}
	assert_int_equal(kn_prober_run_sync(p, 20), KN_ERR_AGAIN);
	assert_true(kn_prober_last_sweep(p)->aborted);
	assert_int_equal(kn_prober_get(p, 0)->state, KN_PORT_SKIPPED);

	kn_prober_free(p);
	kn_loop_free(loop);
	close(lfd);
	assert_int_equal(setns(self, CLONE_NEWNET), 0);
	close(self);
	close(target);
	{
		const char *del[] = {"ip", "netns", "del", ns, NULL};

		assert_int_equal(run(del), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_ports),
		cmocka_unit_test(test_targets_build),
		cmocka_unit_test(test_loopback_open_closed),
		cmocka_unit_test(test_concurrency_bound),
		cmocka_unit_test(test_netns_filtered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
