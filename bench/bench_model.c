/* Benchmark: load a snapshot into the model and report its size per pod
 * and the time of the load and of the services pane's derivations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "k8snet/model.h"
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
	struct kn_obj **v;
	struct kn_dnsrecs r = {0};
	struct kn_strs s = {0};
	char eb[KN_ERRBUF];
	double t0, t1, t2;
	size_t n, i, pods;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_model SNAPSHOT.json\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (f == NULL) {
		perror(argv[1]);
		return 1;
	}
	m = kn_model_new();
	memset(&st, 0, sizeof(st));
	t0 = now();
	if (kn_snapshot_load_file(m, f, argv[1], &st, NULL, NULL, eb) !=
	    KN_OK) {
		fprintf(stderr, "%s\n", eb);
		return 1;
	}
	t1 = now();
	fclose(f);
	n = kn_model_list(m, KN_SERVICE, NULL, &v);
	for (i = 0; i < n; i++) {
		kn_model_service_dns(m, (struct kn_service *)v[i], &r);
		kn_model_service_problems(m, (struct kn_service *)v[i], &s);
		kn_model_service_endpoints(m, (struct kn_service *)v[i]);
		kn_dnsrecs_clear(&r);
		kn_strs_clear(&s);
	}
	free(v);
	t2 = now();
	pods = kn_model_count(m, KN_POD);
	printf("objects %zu (bad %zu), pods %zu, services %zu, slices %zu, "
	       "ingresses %zu, nodes %zu\n",
	       st.objects, st.bad, pods, kn_model_count(m, KN_SERVICE),
	       kn_model_count(m, KN_SLICE), kn_model_count(m, KN_INGRESS),
	       kn_model_count(m, KN_NODE));
	printf("load %.2f s; services pane derivations %.3f s\n", t1 - t0,
	       t2 - t1);
	printf("model %.1f MB, %.0f bytes per pod (all objects and indexes "
	       "counted)\n",
	       (double)kn_model_bytes(m) / 1e6,
	       pods ? (double)kn_model_bytes(m) / (double)pods : 0.0);
	kn_model_free(m);
	return 0;
}
