/* --once --pane traffic: transactions (jsonl) and summaries (json, table). */
#ifndef K8SNET_REPORT_TRAFFIC_H
#define K8SNET_REPORT_TRAFFIC_H

#include <stdio.h>

#include "k8snet/app.h"

/* Runs app->capture to its end (file) or --duration (live), printing as it
 * goes for jsonl. Returns the exit status. */
int kn_report_traffic(struct kn_app *app, FILE *out);

/* --agents: the node agents of namespace ns, read through the live
 * source for --duration (traffic_agents.c). Returns the exit status. */
int kn_report_traffic_agents(struct kn_app *app, FILE *out, const char *ns);

/* The node agents' facts for the Nodes view: their logs followed until
 * every agent pod's node line arrived, at most wait_ms. Caller frees
 * (kn_agents_merge_free); NULL when the agents cannot be read (said). */
struct kn_agents_merge *kn_report_agent_facts(struct kn_app *app,
					      const char *ns, uint64_t wait_ms);

#endif
