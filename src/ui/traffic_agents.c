/* The Traffic pane's node agents view (its 'e' view): one row per agent
 * pod known or node heard from, with how its log is read, what it
 * wrote, what its capture lost and how fresh its last line is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/agent.h"
#include "k8snet/alloc.h"
#include "k8snet/loop.h"
#include "agents_feed.h"
#include "pane.h"
#include "traffic_agents.h"

/* A streaming agent writes a summary every --agent-interval (5 s). */
#define KN_AGENT_IDLE_MS 30000

const struct kn_column kn_tv_agents_cols[KN_TV_AGENTS_NCOLS] = {
	{"NODE", 8, 0, KN_ALIGN_LEFT, 3, false, true},
	{"STATE", 5, 9, KN_ALIGN_LEFT, 0, false, false},
	{"LINES", 5, 10, KN_ALIGN_RIGHT, 0, true, false},
	{"TXN", 3, 10, KN_ALIGN_RIGHT, 0, true, false},
	{"DROPS", 5, 10, KN_ALIGN_RIGHT, 0, true, false},
	{"LEFT-OUT", 8, 10, KN_ALIGN_RIGHT, 0, true, false},
	{"LOST", 4, 8, KN_ALIGN_RIGHT, 0, true, false},
	{"LAST", 4, 7, KN_ALIGN_RIGHT, 0, true, false},
	{"CNI", 3, 0, KN_ALIGN_LEFT, 1, false, false},
};

static void
agent_row(struct kn_pane *p, const char *node, const char *state,
	  const struct kn_agent_node *nd, bool cni_differs)
{
	char b[KN_TV_AGENTS_NCOLS][48], cni[300];
	const char *cells[KN_TV_AGENTS_NCOLS];
	uint64_t now = kn_now_ms(), drops = 0, idle = 0;
	enum kn_role role = KN_ROLE_NORMAL;
	int i;

	for (i = 2; i < KN_TV_AGENTS_NCOLS; i++)
		snprintf(b[i], sizeof(b[i]), "-");
	cni[0] = '\0';
	if (nd != NULL) {
		drops = nd->kernel_drops + nd->interface_drops;
		snprintf(b[2], sizeof(b[2]), "%llu",
			 (unsigned long long)nd->lines);
		snprintf(b[3], sizeof(b[3]), "%llu",
			 (unsigned long long)nd->txn_lines);
		if (nd->have_drops) {
			snprintf(b[4], sizeof(b[4]), "%llu",
				 (unsigned long long)drops);
			snprintf(b[5], sizeof(b[5]), "%llu",
				 (unsigned long long)nd->left_out);
		}
		snprintf(b[6], sizeof(b[6]), "%llu",
			 (unsigned long long)nd->lost);
		if (nd->last_line_ms != 0) {
			idle = now > nd->last_line_ms ? now - nd->last_line_ms
						      : 0;
			snprintf(b[7], sizeof(b[7]), "%llus",
				 (unsigned long long)(idle / 1000));
		}
		if (nd->have_facts)
			snprintf(cni, sizeof(cni), "%s%s", nd->cni,
				 cni_differs ? " (differs)" : "");
	}
	if (strcmp(state, "streaming") != 0)
		role = KN_ROLE_ERROR;
	else if (drops > 0 || idle >= KN_AGENT_IDLE_MS || cni_differs ||
		 (nd != NULL && nd->lost > 0))
		role = KN_ROLE_WARNING;
	cells[0] = node;
	cells[1] = state;
	for (i = 2; i < KN_TV_AGENTS_NCOLS - 1; i++)
		cells[i] = b[i];
	cells[KN_TV_AGENTS_NCOLS - 1] = cni;
	kn_rowstore_add(p->rows, cells, role);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t
kn_traffic_agent_rows(struct kn_pane *p)
{
	struct kn_agents_feed *f = p->app->agents;
	struct kn_agents_merge *m = kn_agents_feed_merge(f);
	const char *pod, *node, **pods = NULL;
	struct kn_agent_node *nd;
	uint64_t major;
	size_t i, n = 0, npods;
	bool on;
	int k;

	if (m == NULL)
		return 0;
	major = kn_agents_cni_majority(m);
	/* every agent pod known, read or not */
	for (k = 0; kn_agents_feed_pod(f, k, &pod, &node, &on); k++, n++) {
		nd = kn_agents_node_find(m, node);
		agent_row(p, node, on ? "streaming" : "waiting", nd,
			  nd != NULL && nd->have_facts &&
				  nd->cni_hash != major);
	}
	/* nodes heard from whose pod has gone: looked up among the pods'
	 * nodes sorted, not pod by pod */
	npods = n;
	pods = kn_xreallocarray(NULL, npods ? npods : 1, sizeof(*pods));
	for (k = 0;
	     (size_t)k < npods && kn_agents_feed_pod(f, k, &pod, &node, &on);
	     k++)
		pods[k] = node;
	qsort(pods, npods, sizeof(*pods), cmp_str);
	for (i = 0; (nd = kn_agents_node_at(m, i)) != NULL; i++) {
		node = nd->node;
		if (bsearch(&node, pods, npods, sizeof(*pods), cmp_str) != NULL)
			continue;
		agent_row(p, nd->node, "gone", nd,
			  nd->have_facts && nd->cni_hash != major);
		n++;
	}
	free(pods);
	return n;
}
