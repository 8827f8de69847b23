/* Benchmark: Gateway API routes on a large model: the memory the
 * Gateway API objects take, the Routes view of every chain, and every
 * cell of it as text (what the --once printers do with it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "k8snet/model.h"
#include "k8snet/routes.h"
#include "k8snet/view.h"
#include "snapshot.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
load(struct kn_model *m, const char *path)
{
	struct kn_snapshot_stats st;
	char eb[KN_ERRBUF];
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		perror(path);
		return -1;
	}
	memset(&st, 0, sizeof(st));
	if (kn_snapshot_load_file(m, f, path, &st, NULL, NULL, eb) != KN_OK) {
		fprintf(stderr, "%s\n", eb);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

int
main(int argc, char **argv)
{
	struct kn_model *m;
	struct kn_view v;
	struct kn_vctx cx = {0};
	char buf[4096];
	double t0, t1, build = 1e9, cells = 1e9;
	size_t before, after, rows = 0, bad, i, r, c, n = 0;
	int k, round;

	if (argc != 3) {
		fprintf(stderr, "usage: bench_routes CLUSTER.json "
				"GATEWAY-API.json\n");
		return 2;
	}
	m = kn_model_new();
	if (load(m, argv[1]) < 0)
		return 1;
	before = kn_model_bytes(m);
	t0 = now();
	if (load(m, argv[2]) < 0)
		return 1;
	t1 = now();
	after = kn_model_bytes(m);
	for (k = KN_HTTPROUTE; k <= KN_UDPROUTE; k++)
		n += kn_model_count(m, (enum kn_kind)k);
	printf("pods %zu, services %zu, gateways %zu, routes %zu, "
	       "referencegrants %zu\n",
	       kn_model_count(m, KN_POD), kn_model_count(m, KN_SERVICE),
	       kn_model_count(m, KN_GATEWAY), n,
	       kn_model_count(m, KN_REFGRANT));
	printf("gateway API objects: loaded in %.3f s, %.2f MB of model "
	       "(%zu bytes a route)\n",
	       t1 - t0, (double)(after - before) / 1048576.0,
	       n ? (after - before) / n : 0);
	cx.model = m;
	kn_view_init(&v, &kn_view_routes);
	/* The best of three: the first also warms the caches. */
	for (round = 0; round < 3; round++) {
		t0 = now();
		kn_view_build(&v, &cx);
		t1 = now();
		if (t1 - t0 < build)
			build = t1 - t0;
		rows = v.n;
		t0 = now();
		for (r = 0; r < v.n; r++)
			for (c = 0; c < kn_view_routes.ncols; c++)
				kn_view_cell(&v, &cx, r, c, buf, sizeof(buf));
		t1 = now();
		if (t1 - t0 < cells)
			cells = t1 - t0;
	}
	for (i = 0, bad = 0; i < v.n; i++)
		bad += v.rows[i].tone == KN_VTONE_ERROR;
	printf("routes view: %zu chains (%zu broken) built in %.3f s; every "
	       "cell as text %.3f s\n",
	       rows, bad, build, cells);
	kn_view_release(&v);
	kn_model_free(m);
	return 0;
}
