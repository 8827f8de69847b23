/* The invoking user's PATH under sudo, for exec credential plugins.
 *
 * sudo replaces PATH with its secure_path, but the user's shell is an
 * ancestor of this process: walk up the parent chain to the first process
 * whose real uid is the user's and read PATH from its environment. */
#ifndef K8SNET_SUDOENV_H
#define K8SNET_SUDOENV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SUDOENV_MAX_DEPTH 32	       /* parents looked at */
#define SUDOENV_MAX_ENVIRON (1u << 20) /* bytes of /proc/PID/environ read */

/* Parse the text of /proc/PID/status (pure): the parent pid (PPid:) and
 * the real uid (first number of Uid:). False when either is missing. */
bool sudoenv_parse_status(const char *text, size_t len, pid_t *ppid,
			  uid_t *ruid);

/* Find NAME's value in a /proc/PID/environ block (pure: "K=V" strings,
 * each NUL-terminated; the last may lack its NUL). *val borrows from blk.
 * False when NAME is not set. */
bool sudoenv_environ_get(const char *blk, size_t len, const char *name,
			 const char **val, size_t *vlen);

/* Walk up from pid start (inclusive) under proc_root ("/proc" outside
 * tests) to the first process whose real uid is uid, and copy its PATH
 * into out. *found gets that process's pid. False when no such process,
 * it has no PATH, or PATH does not fit in outsz. */
bool sudoenv_find_path(const char *proc_root, pid_t start, uid_t uid, char *out,
		       size_t outsz, pid_t *found);

/* The fallback: home's .local/bin, bin, go/bin, .krew/bin, then
 * /usr/local/bin:/usr/bin:/bin. */
void sudoenv_default_path(const char *home, char *out, size_t outsz);

/* The user sudo was started by. */
struct sudoenv_user {
	char name[64];
	uid_t uid;
	gid_t gid;
	char home[1024];
	char path[4096]; /* their PATH (see sudoenv_find_path), else default */
};

/* When this process runs as root under sudo and SUDO_USER is set and not
 * root: that user, resolved on the first call and kept for the life of
 * the process (so a plugin's environment built after -Z dropped root is
 * the same as before; the PATH search is logged then). NULL otherwise,
 * or when the user cannot be looked up. */
const struct sudoenv_user *sudoenv_user(void);

#endif
