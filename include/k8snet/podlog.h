/* The node agents' pod logs through the Kube-API: the agents'
 * DaemonSet is read (GET, list) and the pods its spec.selector selects
 * are watched, and each running one's log is followed
 * (GET .../pods/POD/log?follow=true&timestamps=true) on the live
 * source's client, so every stream shares its connection (HTTP/2) and
 * its credentials. A cut stream resumes from the last line's timestamp
 * (sinceTime: the server may repeat lines of that second; the agent
 * lines' numbers let the reader drop them); a replaced pod is followed
 * as soon as the watch shows it. Read-only: GET only. */
#ifndef K8SNET_PODLOG_H
#define K8SNET_PODLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/app.h"
#include "k8snet/err.h"

#define KN_PODLOG_LABEL "app.kubernetes.io/name"
#define KN_PODLOG_LABEL_VALUE "k8snet-top"
/* A log line (the timestamp and the agent's line) kept whole; a longer
 * one is skipped and counted. */
#define KN_PODLOG_LINE_MAX (16384 + 64)

struct kn_podlogs;

struct kn_podlogs_ops {
	/* One line of pod's log on node, without its timestamp or newline
	 * (borrowed for the call). */
	void (*line)(void *arg, const char *node, const char *pod,
		     const char *line, size_t len);
	/* The pods or a stream's state changed (may be NULL). */
	void (*changed)(void *arg);
};

/* Follow the agents on app's live source (app->kube): those of the
 * DaemonSet in namespace ns (copied; the one labelled
 * app.kubernetes.io/name=k8snet-top, else the only one; with neither,
 * the pods so labelled), or with ns NULL of the DaemonSet so labelled
 * in any namespace (looked for again every minute while there is
 * none). The caller closes it before the live source. */
enum kn_err kn_podlogs_open(struct kn_app *app, const char *ns,
			    const struct kn_podlogs_ops *ops, void *arg,
			    struct kn_podlogs **out, char *errbuf);
void kn_podlogs_close(struct kn_podlogs *p);

struct kn_podlogs_status {
	int pods;      /* agent pods known (not deleted) */
	int streaming; /* of those, whose log is open */
	bool listed;   /* the pod list arrived */
	uint64_t streams, resumes, cuts, oversized;
	const char *error;    /* the last failure ("" when none) */
	const char *ns;	      /* the agents' namespace, "" until found */
	const char *selector; /* their pods' labelSelector, "" until read */
};
void kn_podlogs_status(const struct kn_podlogs *p, struct kn_podlogs_status *s);

/* Pod i (0, 1, ...) while it returns true: its name, node and whether
 * its log is open. Strings borrowed until the next loop turn. */
bool kn_podlogs_pod(const struct kn_podlogs *p, int i, const char **name,
		    const char **node, bool *streaming);

/* Where the agents are: the namespace of the DaemonSet labelled
 * app.kubernetes.io/name=k8snet-top (GET, the loop driven up to
 * timeout_ms). KN_ERR_NOTFOUND when there is none; with several, the
 * first by namespace and a warning. */
enum kn_err kn_podlogs_find_ns(struct kn_app *app, char *ns, size_t n,
			       uint64_t timeout_ms, char *errbuf);

#endif
