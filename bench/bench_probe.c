/* Benchmark: one probe sweep of N nodes x 6 ports on loopback addresses
 * (3 open, 3 closed per node), optionally with F nodes at addresses that
 * silently drop (set up by bench/probe.sh in a network namespace).
 * Prints wall time, CPU time and peak RSS of the prober's process.
 *   bench_probe [nodes] [timeout_ms] [concurrency] [filtered_nodes] */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "k8snet/loop.h"
#include "k8snet/probe.h"

static int
listen_any(uint16_t *port)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(fd, 4096) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &sl) != 0) {
		perror("listen");
		exit(1);
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

/* The "nodes": accept and close, in a child so its CPU is not counted. */
static pid_t
serve(int *fds, int n)
{
	struct pollfd pfd[8];
	pid_t pid = fork();
	int i;

	if (pid != 0)
		return pid;
	for (i = 0; i < n; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = POLLIN;
	}
	for (;;) {
		if (poll(pfd, (nfds_t)n, -1) < 0 && errno != EINTR)
			_exit(1);
		for (i = 0; i < n; i++) {
			int c;

			if (!(pfd[i].revents & POLLIN))
				continue;
			c = accept(fds[i], NULL, NULL);
			if (c >= 0)
				close(c);
		}
	}
}

int
main(int argc, char **argv)
{
	int nodes = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 1000;
	int timeout = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 1000;
	int conc = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 64;
	int filtered = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 0;
	uint16_t ports[6] = {0};
	int lfd[3], i, j;
	struct kn_probe_target *t;
	char(*names)[24], errbuf[KN_ERRBUF];
	struct kn_probe_cfg cfg;
	struct kn_prober *p;
	struct kn_loop *loop;
	const struct kn_probe_sweep *s;
	struct rusage ru;
	uint64_t t0, t1;
	pid_t child;
	size_t n = 0;

	if (nodes <= 0 || nodes > 60000 || filtered < 0 || filtered > nodes) {
		fprintf(stderr, "usage: bench_probe [nodes] [timeout_ms] "
				"[concurrency] [filtered_nodes]\n");
		return 2;
	}
	for (i = 0; i < 3; i++)
		lfd[i] = listen_any(&ports[i]);
	/* Closed ports: bound once to learn a free number, then released. */
	for (i = 3; i < 6; i++)
		close(listen_any(&ports[i]));
	child = serve(lfd, 3);
	for (i = 0; i < 3; i++)
		close(lfd[i]);

	t = calloc((size_t)nodes * 6, sizeof(*t));
	names = calloc((size_t)nodes, sizeof(*names));
	for (i = 0; i < nodes; i++) {
		char a[32];
		bool drop = i >= nodes - filtered;

		snprintf(names[i], sizeof(names[i]), "node-%04d", i);
		snprintf(a, sizeof(a), "%s.%d.%d", drop ? "10.99" : "127.1",
			 i / 250, i % 250 + 1);
		for (j = 0; j < 6; j++, n++) {
			t[n].node = names[i];
			kn_ipaddr_parse(a, &t[n].ip);
			t[n].port = ports[j];
			t[n].component = j < 3 ? "open" : "closed";
		}
	}
	loop = kn_loop_new();
	kn_probe_cfg_init(&cfg);
	cfg.timeout_ms = (unsigned)timeout;
	cfg.concurrency = (unsigned)conc;
	p = kn_prober_new(loop, &cfg, errbuf);
	if (p == NULL) {
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	kn_prober_set_targets(p, t, n);
	t0 = kn_now_ms();
	kn_prober_run_sync(p, 0);
	t1 = kn_now_ms();
	s = kn_prober_last_sweep(p);
	getrusage(RUSAGE_SELF, &ru);
	printf("probe sweep: %d nodes x 6 ports = %zu targets, timeout %d ms, "
	       "concurrency %d, %d filtered nodes\n",
	       nodes, n, timeout, conc, filtered);
	printf("  open %zu  closed %zu  filtered %zu  skipped %zu\n", s->open,
	       s->closed, s->filtered, s->skipped);
	printf("  wall %llu ms  cpu %.0f ms (user %.0f, sys %.0f)  "
	       "max rss %ld KiB\n",
	       (unsigned long long)(t1 - t0),
	       (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3,
	       ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3,
	       ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3,
	       ru.ru_maxrss);
	kn_prober_free(p);
	kn_loop_free(loop);
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	free(t);
	free(names);
	return 0;
}
