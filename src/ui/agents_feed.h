/* The node agents in the console: their pod logs followed on the loop
 * (kn_podlogs), their lines merged (kn_agents_merge), their failing and
 * slow transactions handed to the capture's ring (with their node) for
 * the Traffic pane, their node facts to the Nodes pane, and their state
 * for the header. */
#ifndef K8SNET_UI_AGENTS_FEED_H
#define K8SNET_UI_AGENTS_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/app.h"
#include "canvas.h"

struct kn_agents_feed;
struct kn_agents_merge;

/* Follow the agents of --agents NS, or (none given, a live Kube-API)
 * of the DaemonSet labelled app.kubernetes.io/name=k8snet-top wherever
 * it is. NULL when there is nothing to follow (no live source). With
 * --agents and no capture of its own, the console gets one for the
 * agents' transactions at once (the Traffic pane opens on them); found
 * by itself, at the first agent line. */
struct kn_agents_feed *kn_agents_feed_new(struct kn_app *app);
void kn_agents_feed_free(struct kn_agents_feed *f);

/* What the agents said (borrowed); NULL for f NULL. */
struct kn_agents_merge *kn_agents_feed_merge(struct kn_agents_feed *f);

/* When the first agent line was taken (kn_now_ms), 0 before: the
 * merged summaries count from then. */
uint64_t kn_agents_feed_since(struct kn_agents_feed *f);

/* The i-th agent pod known (0, 1, ... until false): its name, its node
 * and whether its log is being read. */
bool kn_agents_feed_pod(struct kn_agents_feed *f, int i, const char **pod,
			const char **node, bool *streaming);

/* The header's words: "agents 2/3" (streaming of known pods), then
 * " drop N" when their captures lost packets and " idle Ns" when the
 * quietest streaming agent wrote nothing for a while; "" before any
 * agent is known. *role: warning when not all stream or one lost. */
void kn_agents_feed_header(struct kn_agents_feed *f, char *buf, size_t n,
			   enum kn_role *role);

#endif
