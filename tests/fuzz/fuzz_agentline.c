/* Fuzz target: node agent lines as the console reads them from pod logs
 * (src/agent/line.c), and their merge (duplicates, summaries, node
 * facts): the input is split into lines, the first byte of each picks
 * one of four nodes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const nodes[4] = {"n0", "n1", "n2", "n3"};
	struct kn_agents_merge *m = kn_agents_merge_new();
	struct kn_agentline *al = malloc(sizeof(*al));
	const char *p = (const char *)data, *end = p + size, *nl;
	struct kn_lat_hist lat;
	uint64_t n, none;
	size_t i;

	if (m == NULL || al == NULL)
		goto out;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl > p)
			kn_agents_merge_line(m, nodes[(unsigned char)*p & 3],
					     "pod", p, (size_t)(nl - p), 1, al);
		p = nl + 1;
	}
	for (i = 0; i < 3; i++)
		kn_agents_totals(m, (uint8_t)i, &n, &none, &lat);
	for (i = 0; kn_agents_key_at(m, i) != NULL; i++)
		(void)kn_lat_percentile(&kn_agents_key_at(m, i)->lat, 0.99);
	(void)kn_agents_cni_majority(m);
out:
	free(al);
	kn_agents_merge_free(m);
	return 0;
}
