/* Exec credential plugins: run one (fork, exec, read its output under a
 * timeout) here, or through a broker process that keeps the right to run
 * it as the invoking user after this process dropped its privileges.
 *
 * The broker is a child forked while still root, before -Z; it talks only
 * to its parent over a socketpair, holds no other descriptor, exits when
 * the parent goes away (end of file on the socket), and runs only the one
 * request it was started with: any other command, argv or environment is
 * refused. One broker per process (the right it keeps belongs to the
 * process, not to a context). */
#ifndef K8SNET_EXECBROKER_H
#define K8SNET_EXECBROKER_H

#include <stdbool.h>
#include <stddef.h>

#include "k8snet/buf.h"
#include "k8snet/err.h"

#define EXECBROKER_ERRTEXT 512 /* bytes of the plugin's stderr kept */

/* What to run (borrowed). */
struct execbroker_req {
	char *const *argv;   /* argv[0]: the command, searched in envp's PATH */
	char *const *envp;   /* the plugin's whole environment, "K=V" */
	unsigned timeout_ms; /* killed after this */
	size_t max_out;	     /* stdout cap; killed past it */
};

enum execbroker_how {
	EXECBROKER_EXITED,  /* it ran; status is the wait status */
	EXECBROKER_NOEXEC,  /* it could not be started; err is the errno */
	EXECBROKER_TIMEOUT, /* killed after timeout_ms */
	EXECBROKER_TOOBIG   /* killed: stdout larger than max_out */
};

struct execbroker_res {
	enum execbroker_how how;
	int status;
	int err;
	char errtext[EXECBROKER_ERRTEXT]; /* start of stderr, NUL-ended */
};

/* Run req: through the broker when one is running, else in a child of
 * this process. As root under sudo the child becomes SUDO_USER (its
 * groups and uid); otherwise it runs as this process. Its stdout goes to
 * out (caller-owned, initialised). KN_OK when it was run (res says how it
 * ended); KN_ERR_IO when it could not be tried (pipe, fork, the broker
 * ended), KN_ERR_PERM when the broker refused the request. */
enum kn_err execbroker_run(const struct execbroker_req *req, struct kn_buf *out,
			   struct execbroker_res *res, char *errbuf);

/* Fork the broker (call while root, before dropping privileges). It
 * serves exactly allowed (copied). Under sudo it becomes SUDO_USER at
 * once; without SUDO_USER it stays root. KN_ERR_INVAL when one runs
 * already, KN_ERR_IO when socketpair or fork fail. */
enum kn_err execbroker_start(const struct execbroker_req *allowed,
			     char *errbuf);

/* True while a broker serves this process. */
bool execbroker_running(void);

/* Close the socket (the broker exits) and reap it. */
void execbroker_stop(void);

#endif
