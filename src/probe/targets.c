/* Probe targets from node roles and NodePorts (pure: no I/O). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/probe.h"

#define KN_NODEPORT_LABEL "NodePort "

static bool
kn_port_listed(const struct kn_probe_target *t, size_t from, size_t to,
	       uint16_t port)
{
	size_t i;

	for (i = from; i < to; i++)
		if (t[i].port == port)
			return true;
	return false;
}

enum kn_err
kn_probe_targets_build(const struct kn_probe_node *nodes, size_t nnodes,
		       const struct kn_probe_nodeport *nps, size_t nnps,
		       enum kn_probe_mode mode, struct kn_probe_target **out,
		       size_t *nout)
{
	size_t per_node_max = 6, strbytes = 0, i, j, k, n = 0, off;
	struct kn_probe_target *t;
	char **labels = NULL;
	char *arena;

	*out = NULL;
	*nout = 0;
	if (mode != KN_PROBE_NODEPORTS)
		nnps = 0;
	for (j = 0; j < nnps; j++)
		strbytes += sizeof(KN_NODEPORT_LABEL) +
			    strlen(nps[j].service ? nps[j].service : "?");
	per_node_max += nnps;
	if (nnodes != 0 && per_node_max > (SIZE_MAX / 2) / nnodes / sizeof(*t))
		return KN_ERR_LIMIT;
	/* One block: the targets, then the NodePort labels. */
	t = calloc(1, nnodes * per_node_max * sizeof(*t) + strbytes +
			      nnps * sizeof(char *) + 1);
	if (t == NULL)
		return KN_ERR_NOMEM;
	labels = (char **)(t + nnodes * per_node_max);
	arena = (char *)(labels + nnps);
	off = 0;
	for (j = 0; j < nnps; j++) {
		int w = snprintf(arena + off, strbytes - off + 1, "%s%s",
				 KN_NODEPORT_LABEL,
				 nps[j].service ? nps[j].service : "?");

		labels[j] = arena + off;
		off += (size_t)w + 1;
	}
	for (i = 0; i < nnodes; i++) {
		const uint16_t *ports;
		const char *const *comps;
		size_t nk = kn_probe_known_ports(nodes[i].control_plane, &ports,
						 &comps);
		size_t first = n;

		if (nodes[i].name == NULL)
			continue;
		for (k = 0; k < nk; k++) {
			if (kn_port_listed(t, first, n, ports[k]))
				continue;
			t[n].node = nodes[i].name;
			t[n].ip = nodes[i].ip;
			t[n].port = ports[k];
			t[n].component = comps[k];
			t[n].skip = mode == KN_PROBE_NONE;
			n++;
		}
		for (j = 0; j < nnps; j++) {
			if (nps[j].port == 0 ||
			    kn_port_listed(t, first, n, nps[j].port))
				continue;
			t[n].node = nodes[i].name;
			t[n].ip = nodes[i].ip;
			t[n].port = nps[j].port;
			t[n].component = labels[j];
			n++;
		}
	}
	*out = t;
	*nout = n;
	return KN_OK;
}

void
kn_probe_targets_free(struct kn_probe_target *t)
{
	free(t);
}
