/* The node agents' DaemonSet (podlog.c): which one of a DaemonSetList
 * is the agents', and its spec.selector as a labelSelector. Pure: no
 * I/O. */
#ifndef K8SNET_PODLOG_DS_H
#define K8SNET_PODLOG_DS_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* The agents' DaemonSet among list's items (borrowed from list): the
 * first by namespace, then name, of those labelled
 * app.kubernetes.io/name=k8snet-top; with none labelled and any_one,
 * the only DaemonSet of the list. *labelled counts the labelled ones.
 * NULL when there is none. */
const cJSON *kn_podlog_pick_ds(const cJSON *list, bool any_one, int *labelled);

/* ds's spec.selector as a labelSelector ("a=b,c in (d,e),!f") into out
 * (n bytes). false when it has none, or one that selects nothing
 * (an unknown operator), or it does not fit. */
bool kn_podlog_selector(const cJSON *ds, char *out, size_t n);

/* Does obj's metadata.labels satisfy the equality terms of ds's
 * spec.selector.matchLabels (the expressions are the server's)? */
bool kn_podlog_matches(const cJSON *match_labels, const cJSON *obj);

#endif
