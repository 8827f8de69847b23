/* kubectl's STATUS column for a pod, derived from its status (the rules
 * of kubectl's printPod: the pod's phase or reason, then the first init
 * container not done, then the containers' waiting or terminated
 * reasons, then Terminating). Pure: no allocation, no I/O. */
#include <stdio.h>
#include <string.h>

#include "k8snet/model.h"

static bool
kn_set(const char *s)
{
	return s != NULL && *s != '\0';
}

/* The first init container not done decides while the pod initializes;
 * false when every one is done. */
static bool
kn_pod_init_status(const struct kn_pod_status_in *in, char *buf, size_t n,
		   const char **reason)
{
	const struct kn_cstatus *c;
	size_t i;

	for (i = 0; i < in->ninit; i++) {
		c = &in->init[i];
		if (c->terminated && c->exit_code == 0)
			continue;
		if (c->restartable && c->started)
			continue; /* a sidecar that started */
		if (c->terminated) {
			if (kn_set(c->term_reason))
				snprintf(buf, n, "Init:%s", c->term_reason);
			else if (c->signal != 0)
				snprintf(buf, n, "Init:Signal:%d",
					 (int)c->signal);
			else
				snprintf(buf, n, "Init:ExitCode:%d",
					 (int)c->exit_code);
		} else if (kn_set(c->waiting) &&
			   strcmp(c->waiting, "PodInitializing") != 0) {
			snprintf(buf, n, "Init:%s", c->waiting);
		} else {
			snprintf(buf, n, "Init:%zu/%zu", i, in->init_total);
		}
		*reason = buf;
		return true;
	}
	return false;
}

const char *
kn_pod_status_column(const struct kn_pod_status_in *in, char *buf, size_t n)
{
	const struct kn_cstatus *c;
	const char *reason;
	bool running = false;
	size_t i;

	if (n == 0)
		return "";
	reason = kn_set(in->reason)  ? in->reason
		 : kn_set(in->phase) ? in->phase
				     : NULL;
	if (!kn_pod_init_status(in, buf, n, &reason) || in->initialized) {
		/* The first container with a reason wins, as kubectl walks
		 * them from the last. */
		for (i = in->ncontainers; i-- > 0;) {
			c = &in->containers[i];
			if (kn_set(c->waiting)) {
				reason = c->waiting;
			} else if (c->terminated && kn_set(c->term_reason)) {
				reason = c->term_reason;
			} else if (c->terminated) {
				if (c->signal != 0)
					snprintf(buf, n, "Signal:%d",
						 (int)c->signal);
				else
					snprintf(buf, n, "ExitCode:%d",
						 (int)c->exit_code);
				reason = buf;
			} else if (c->ready && c->running) {
				running = true;
			}
		}
		if (reason != NULL && strcmp(reason, "Completed") == 0 &&
		    running)
			reason = in->ready_condition ? "Running" : "NotReady";
	}
	/* A succeeded pod whose containers say nothing more. */
	if (in->phase != NULL && strcmp(in->phase, "Succeeded") == 0 &&
	    !kn_set(in->reason) && reason == in->phase)
		reason = "Completed";
	if (in->deleting) {
		/* The node controller's reason for pods of a lost node. */
		if (in->reason != NULL && strcmp(in->reason, "NodeLost") == 0)
			reason = "Unknown";
		else if (in->phase == NULL ||
			 (strcmp(in->phase, "Succeeded") != 0 &&
			  strcmp(in->phase, "Failed") != 0))
			reason = "Terminating";
	}
	if (reason == NULL)
		reason = "Unknown";
	if (reason != buf)
		snprintf(buf, n, "%s", reason);
	return buf;
}
