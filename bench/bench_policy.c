/* Benchmark: NetworkPolicy evaluation on a large model: the index, one
 * --can answer between two services, the Policies view of every pod,
 * a 500-pod matrix, and the memory the policies take. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "k8snet/model.h"
#include "k8snet/policy.h"
#include "k8snet/view.h"
#include "snapshot.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct kn_snapshot_stats st;
	struct kn_model *m;
	struct kn_policy_index *ix;
	struct kn_np_result res;
	struct kn_np_port_ask any = {.any = true};
	struct kn_view v;
	struct kn_vctx cx = {0};
	struct kn_obj **pods, **nps;
	char eb[KN_ERRBUF], err[256];
	double t0, t1, best = 1e9;
	size_t npods, nnp, i, before, allowed, matrix = 500;
	bool *cells;
	int r;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: bench_policy SNAPSHOT.json SRC DST\n");
		return 2;
	}
	if ((f = fopen(argv[1], "rb")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	m = kn_model_new();
	memset(&st, 0, sizeof(st));
	if (kn_snapshot_load_file(m, f, argv[1], &st, NULL, NULL, eb) !=
	    KN_OK) {
		fprintf(stderr, "%s\n", eb);
		return 1;
	}
	fclose(f);
	npods = kn_model_list(m, KN_POD, NULL, &pods);
	printf("pods %zu, policies %zu, namespaces %zu\n", npods,
	       kn_model_count(m, KN_NETPOL), kn_model_count(m, KN_NAMESPACE));

	t0 = now();
	ix = kn_policy_index_new(m);
	t1 = now();
	printf("policy index %.3f ms\n", (t1 - t0) * 1e3);

	/* --can SRC DST --port 8080: the best of 20 (the first pays for
	 * cold caches). */
	for (i = 0; i < 20; i++) {
		t0 = now();
		r = kn_np_ask(m, ix, argv[2], argv[3], "8080", NULL, &res, err,
			      sizeof(err));
		t1 = now();
		if (r != 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		if (i == 0)
			printf("--can %s %s 8080: %s (%zu pod pairs), first "
			       "%.3f ms\n",
			       argv[2], argv[3],
			       res.allowed ? "allowed" : "denied", res.npairs,
			       (t1 - t0) * 1e3);
		if (t1 - t0 < best)
			best = t1 - t0;
		kn_np_result_release(&res);
	}
	printf("--can best of 20: %.3f ms (index included: no)\n", best * 1e3);

	/* The Policies view of every pod, DNS check included. */
	cx.model = m;
	kn_view_init(&v, &kn_view_policies);
	t0 = now();
	kn_view_build(&v, &cx);
	t1 = now();
	printf("policies view, %zu rows: %.3f s\n", v.n, t1 - t0);
	kn_view_release(&v);

	/* A matrix over the first 500 pods (a namespace's worth and
	 * more). */
	if (matrix > npods)
		matrix = npods;
	cells = calloc(matrix * matrix, sizeof(*cells));
	t0 = now();
	allowed = kn_np_matrix(m, ix, (struct kn_pod *const *)pods, matrix,
			       &any, cells);
	t1 = now();
	printf("matrix %zu x %zu pods, any port: %.3f s (%zu allowed)\n",
	       matrix, matrix, t1 - t0, allowed);
	free(cells);
	kn_policy_index_free(ix);
	free(pods);

	/* What the policies take: the model's bytes with and without
	 * them. */
	before = kn_model_bytes(m);
	nnp = kn_model_list(m, KN_NETPOL, NULL, &nps);
	for (i = 0; i < nnp; i++)
		kn_model_delete(m, KN_NETPOL, nps[i]->ns, nps[i]->name);
	free(nps);
	printf("policies memory: %.2f MB for %zu policies (%.0f bytes "
	       "each)\n",
	       (double)(before - kn_model_bytes(m)) / 1e6, nnp,
	       nnp ? (double)(before - kn_model_bytes(m)) / (double)nnp : 0);
	kn_model_free(m);
	return 0;
}
