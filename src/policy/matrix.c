/* A reachability matrix over a set of pods, the way the upstream
 * conformance tests and cyclonus print their truth tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/policy.h"

size_t
kn_np_matrix(const struct kn_model *m, const struct kn_policy_index *ix,
	     struct kn_pod *const *pods, size_t n,
	     const struct kn_np_port_ask *ask, bool *cells)
{
	size_t i, j, allowed = 0;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			struct kn_np_query q = {0};
			struct kn_np_answer a;
			uint16_t port = 0;

			q.from.pod = pods[i];
			q.to.pod = pods[j];
			if (pods[i]->nips)
				q.from.ip = pods[i]->ips[0];
			if (pods[j]->nips)
				q.to.ip = pods[j]->ips[0];
			q.any_port = ask->any;
			q.proto = ask->proto;
			if (!ask->any) {
				port = ask->name != NULL
					       ? kn_np_named_port(pods[j],
								  ask->name,
								  ask->proto)
					       : ask->port;
				if (port == 0) {
					cells[i * n + j] = false;
					continue;
				}
				q.port = port;
			}
			kn_np_evaluate(m, ix, &q, &a);
			cells[i * n + j] = a.allowed;
			allowed += a.allowed;
			kn_np_answer_release(&a);
		}
	return allowed;
}

void
kn_np_matrix_lines(struct kn_pod *const *pods, size_t n, const bool *cells,
		   struct kn_strs *out)
{
	char *row;
	size_t i, j, len;

	for (i = 0; i < n; i++)
		kn_strs_addf(out, "%3zu  %s/%s", i + 1, pods[i]->o.ns,
			     pods[i]->o.name);
	kn_strs_add(out, "");
	/* Header: column numbers, the last digit of each, tens above when
	 * there are more than nine. */
	row = malloc(n * 3 + 16);
	if (row == NULL)
		return;
	if (n > 9) {
		len = (size_t)sprintf(row, "from\\to ");
		for (j = 0; j < n; j++)
			len += (size_t)sprintf(
				row + len, "%c ",
				(j + 1) >= 10 ? (char)('0' + (j + 1) / 10 % 10)
					      : ' ');
		kn_strs_add(out, row);
	}
	len = (size_t)sprintf(row, n > 9 ? "        " : "from\\to ");
	for (j = 0; j < n; j++)
		len += (size_t)sprintf(row + len, "%c ",
				       (char)('0' + (j + 1) % 10));
	kn_strs_add(out, row);
	for (i = 0; i < n; i++) {
		len = (size_t)sprintf(row, "%7zu ", i + 1);
		for (j = 0; j < n; j++)
			len += (size_t)sprintf(row + len, "%c ",
					       cells[i * n + j] ? '.' : 'X');
		kn_strs_add(out, row);
	}
	free(row);
}
