/* The Traffic pane's node agents view (traffic_agents.c). */
#ifndef K8SNET_UI_TRAFFIC_AGENTS_H
#define K8SNET_UI_TRAFFIC_AGENTS_H

#include <stddef.h>

#include "table.h"

struct kn_pane;

/* NODE, STATE (streaming, waiting: its pod is known but its log not
 * open; gone: heard from, its pod deleted), LINES, TXN (transactions in
 * full), DROPS (its capture's kernel and interface drops), LEFT-OUT
 * (what its rate cap left out), LOST (lines missing from its log),
 * LAST (age of its last line), CNI (its configuration, "(differs)"
 * when most nodes have another). */
#define KN_TV_AGENTS_NCOLS 9
extern const struct kn_column kn_tv_agents_cols[KN_TV_AGENTS_NCOLS];

/* The rows of every agent into p->rows; their number (0: no agents). */
size_t kn_traffic_agent_rows(struct kn_pane *p);

#endif
