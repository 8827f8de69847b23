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

/* A row: an 8-column head, then one 2-column cell per pod. */
static void
row_put(struct kn_strs *out, char *row, size_t n, const char *head,
	char (*cell)(const bool *cells, size_t n, size_t i, size_t j),
	const bool *cells, size_t i)
{
	size_t j, len = strlen(head);

	memcpy(row, head, len);
	for (j = 0; j < n; j++) {
		row[len++] = cell(cells, n, i, j);
		row[len++] = ' ';
	}
	row[len] = '\0';
	kn_strs_add(out, row);
}

static char
tens(const bool *cells, size_t n, size_t i, size_t j)
{
	return j + 1 >= 10 ? (char)('0' + (j + 1) / 10 % 10) : ' ';
}

static char
units(const bool *cells, size_t n, size_t i, size_t j)
{
	return (char)('0' + (j + 1) % 10);
}

static char
verdict(const bool *cells, size_t n, size_t i, size_t j)
{
	return cells[i * n + j] ? '.' : 'X';
}

void
kn_np_matrix_lines(struct kn_pod *const *pods, size_t n, const bool *cells,
		   struct kn_strs *out)
{
	char *row, head[32];
	size_t i;

	for (i = 0; i < n; i++)
		kn_strs_addf(out, "%3zu  %s/%s", i + 1, pods[i]->o.ns,
			     pods[i]->o.name);
	kn_strs_add(out, "");
	if ((row = malloc(n * 2 + 32)) == NULL)
		return;
	/* Column numbers: tens above units when there are more than
	 * nine. */
	if (n > 9)
		row_put(out, row, n, "from\\to ", tens, cells, 0);
	row_put(out, row, n, n > 9 ? "        " : "from\\to ", units, cells, 0);
	for (i = 0; i < n; i++) {
		snprintf(head, sizeof(head), "%7zu ", i + 1);
		row_put(out, row, n, head, verdict, cells, i);
	}
	free(row);
}
