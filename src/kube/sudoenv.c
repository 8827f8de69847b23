/* The invoking user's PATH under sudo, read from an ancestor's environ.
 *
 * sudo (with or without its monitor process) sits between the user's
 * shell and us; root may read any /proc/PID/environ. The walk stops after
 * SUDOENV_MAX_DEPTH parents, at pid 1, or when a status file cannot be
 * read (the process ended). An environ block is what the process started
 * with, which is the PATH the user typed sudo under. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "k8snet/log.h"
#include "sudoenv.h"

/* Parse an unsigned decimal after optional blanks; false when none. */
static bool
sudoenv_number(const char *p, const char *end, unsigned long *out)
{
	unsigned long v = 0;
	bool any = false;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end && *p >= '0' && *p <= '9') {
		if (v > 0xffffffffUL / 10)
			return false;
		v = v * 10 + (unsigned long)(*p - '0');
		p++;
		any = true;
	}
	*out = v;
	return any;
}

bool
sudoenv_parse_status(const char *text, size_t len, pid_t *ppid, uid_t *ruid)
{
	const char *p = text, *end = text + len;
	bool have_ppid = false, have_uid = false;
	unsigned long v;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		size_t n = (size_t)(eol - p);

		if (n > 5 && memcmp(p, "PPid:", 5) == 0 &&
		    sudoenv_number(p + 5, eol, &v)) {
			*ppid = (pid_t)v;
			have_ppid = true;
		} else if (n > 4 && memcmp(p, "Uid:", 4) == 0 &&
			   sudoenv_number(p + 4, eol, &v)) {
			*ruid = (uid_t)v;
			have_uid = true;
		}
		p = eol + 1;
	}
	return have_ppid && have_uid;
}

bool
sudoenv_environ_get(const char *blk, size_t len, const char *name,
		    const char **val, size_t *vlen)
{
	size_t nlen = strlen(name), i = 0;

	while (i < len) {
		const char *s = blk + i;
		const char *z = memchr(s, '\0', len - i);
		size_t slen = z ? (size_t)(z - s) : len - i;

		if (slen > nlen && memcmp(s, name, nlen) == 0 &&
		    s[nlen] == '=') {
			*val = s + nlen + 1;
			*vlen = slen - nlen - 1;
			return true;
		}
		i += slen + 1;
	}
	return false;
}

/* Read at most max bytes of a /proc file (they report size 0). */
static char *
sudoenv_read(const char *path, size_t max, size_t *len)
{
	char *buf = malloc(max);
	size_t got = 0;
	int fd;

	if (buf == NULL)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	while (got < max) {
		ssize_t n = read(fd, buf + got, max - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return buf;
}

bool
sudoenv_find_path(const char *proc_root, pid_t start, uid_t uid, char *out,
		  size_t outsz, pid_t *found)
{
	char path[512];
	pid_t pid = start;
	int depth;

	for (depth = 0; depth < SUDOENV_MAX_DEPTH && pid > 0; depth++) {
		pid_t ppid = 0;
		uid_t ruid = 0;
		size_t len;
		char *text;
		bool ok;

		snprintf(path, sizeof(path), "%s/%d/status", proc_root,
			 (int)pid);
		text = sudoenv_read(path, 8192, &len);
		if (text == NULL)
			return false;
		ok = sudoenv_parse_status(text, len, &ppid, &ruid);
		free(text);
		if (!ok)
			return false;
		if (ruid == uid) {
			const char *val;
			size_t vlen;

			snprintf(path, sizeof(path), "%s/%d/environ", proc_root,
				 (int)pid);
			text = sudoenv_read(path, SUDOENV_MAX_ENVIRON, &len);
			if (text == NULL)
				return false;
			ok = sudoenv_environ_get(text, len, "PATH", &val,
						 &vlen) &&
			     vlen > 0 && vlen < outsz;
			if (ok) {
				memcpy(out, val, vlen);
				out[vlen] = '\0';
				*found = pid;
			}
			free(text);
			return ok;
		}
		if (pid == 1 || ppid == pid)
			break;
		pid = ppid;
	}
	return false;
}

void
sudoenv_default_path(const char *home, char *out, size_t outsz)
{
	int n = snprintf(out, outsz,
			 "%s/.local/bin:%s/bin:%s/go/bin:"
			 "%s/.krew/bin:/usr/local/bin:/usr/bin:/bin",
			 home, home, home, home);

	if (n < 0 || (size_t)n >= outsz)
		snprintf(out, outsz, "/usr/local/bin:/usr/bin:/bin");
}

const struct sudoenv_user *
sudoenv_user(void)
{
	static struct sudoenv_user u;
	static int state; /* 0: not resolved yet, 1: none, 2: u */
	const char *name = getenv("SUDO_USER");
	struct passwd *pw;
	pid_t found = 0;

	if (state != 0)
		return state == 2 ? &u : NULL;
	state = 1;
	if (geteuid() != 0 || name == NULL || name[0] == '\0' ||
	    strcmp(name, "root") == 0 || (pw = getpwnam(name)) == NULL ||
	    strlen(pw->pw_name) >= sizeof(u.name) ||
	    strlen(pw->pw_dir) >= sizeof(u.home))
		return NULL;
	snprintf(u.name, sizeof(u.name), "%s", pw->pw_name);
	snprintf(u.home, sizeof(u.home), "%s", pw->pw_dir);
	u.uid = pw->pw_uid;
	u.gid = pw->pw_gid;
	state = 2;
	if (sudoenv_find_path("/proc", getppid(), u.uid, u.path, sizeof(u.path),
			      &found)) {
		kn_info("exec plugin: PATH of %s from process %d: %s", u.name,
			(int)found, u.path);
		return &u;
	}
	sudoenv_default_path(u.home, u.path, sizeof(u.path));
	kn_info("exec plugin: no process of %s found above this one; "
		"default PATH %s",
		u.name, u.path);
	return &u;
}
