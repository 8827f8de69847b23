/* Exec credential plugins: the fork/exec/read runner and the broker.
 *
 * Runner: stdin is /dev/null (the plugin is non-interactive), stdout is
 * read up to max_out bytes, the first EXECBROKER_ERRTEXT bytes of stderr
 * are kept for the error message, and the child is killed at the
 * deadline. An exec failure comes back through a close-on-exec pipe as
 * the errno, so "not found" is told apart from "exited 127".
 *
 * Broker protocol (stream socketpair, host byte order, both ends are this
 * binary): a frame is a u32 length and that many bytes.
 *   request:  u32 timeout_ms, u32 max_out, u32 argc, u32 envc, then argc +
 *             envc NUL-terminated strings
 *   response: u32 how, i32 status, i32 err, u32 errlen, errtext, u32 outlen,
 *             out (how EXECBROKER_REFUSED: the request was not the pinned
 *             one)
 * The broker never parses a request: it compares the bytes with the
 * encoding of the request it was started with and runs its own copy, so a
 * parent taken over after the privilege drop cannot make it run anything
 * else. Plugin output holds credentials: buffers are wiped after use. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "k8snet/execbroker.h"
#include "k8snet/loop.h"
#include "sudoenv.h"

#define EXECBROKER_REFUSED 100u		 /* response how: not the pinned one */
#define EXECBROKER_MAX_FRAME (16u << 20) /* request or response bytes */
#define EXECBROKER_GRACE_MS 10000	 /* broker reply past the timeout */
#define EXECBROKER_FD 3			 /* the socket inside the broker */

extern char **environ;

/* The broker serving this process (one per process: see the header). */
static int broker_fd = -1;
static pid_t broker_pid;

static void
execbroker_wipe(struct kn_buf *b)
{
	if (b->data != NULL) {
		volatile char *p = b->data;
		size_t i;

		for (i = 0; i < b->len; i++)
			p[i] = 0;
	}
	kn_buf_release(b);
}

/* --- runner ----------------------------------------------------------- */

/* Become the invoking user: their groups, gid and uid, for good. */
static bool
execbroker_become(const struct sudoenv_user *u)
{
	return initgroups(u->name, u->gid) == 0 && setgid(u->gid) == 0 &&
	       setuid(u->uid) == 0;
}

/* In the child: stdio, identity, environment, exec. Never returns. */
static void
execbroker_child(const struct execbroker_req *req,
		 const struct sudoenv_user *pw, int out, int err, int xfd)
{
	int devnull = open("/dev/null", O_RDONLY);
	int e;

	if (devnull >= 0)
		dup2(devnull, 0);
	dup2(out, 1);
	dup2(err, 2);
	signal(SIGPIPE, SIG_DFL);
	if (pw != NULL && !execbroker_become(pw))
		_exit(126);
	/* execvp searches the PATH of environ, which must be the plugin's
	 * (under sudo, the invoking user's), not ours */
	environ = (char **)req->envp;
	execvp(req->argv[0], req->argv);
	e = errno;
	if (write(xfd, &e, sizeof(e)) < 0) {
		/* the parent sees exit status 127 instead */
	}
	_exit(127);
}

/* Read the child's stdout and stderr until both close, the deadline, or
 * the output cap. */
static void
execbroker_collect(const struct execbroker_req *req, pid_t pid, int ofd,
		   int efd, struct kn_buf *out, struct execbroker_res *res)
{
	uint64_t deadline = kn_now_ms() + req->timeout_ms;
	size_t errlen = 0;
	int fds[2] = {ofd, efd};

	while (fds[0] >= 0 || fds[1] >= 0) {
		struct pollfd pfd[2] = {{fds[0], POLLIN, 0},
					{fds[1], POLLIN, 0}};
		char chunk[4096];
		uint64_t now = kn_now_ms();
		int r, i;

		if (now >= deadline) {
			kill(pid, SIGKILL);
			res->how = EXECBROKER_TIMEOUT;
			return;
		}
		r = poll(pfd, 2, (int)(deadline - now));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return;
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (pfd[i].revents == 0)
				continue;
			n = read(fds[i], chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				fds[i] = -1;
			} else if (i == 0) {
				if (out->len + (size_t)n > req->max_out ||
				    kn_buf_append(out, chunk, (size_t)n) !=
					    KN_OK) {
					kill(pid, SIGKILL);
					res->how = EXECBROKER_TOOBIG;
					return;
				}
			} else if (errlen < sizeof(res->errtext) - 1) {
				size_t take = (size_t)n;

				if (take > sizeof(res->errtext) - 1 - errlen)
					take = sizeof(res->errtext) - 1 -
					       errlen;
				memcpy(res->errtext + errlen, chunk, take);
				errlen += take;
				res->errtext[errlen] = '\0';
			}
		}
	}
}

/* Fork and exec req in this process. */
static enum kn_err
execbroker_spawn(const struct execbroker_req *req, struct kn_buf *out,
		 struct execbroker_res *res, char *errbuf)
{
	/* root becomes the invoking user; the broker already is that user */
	const struct sudoenv_user *pw = geteuid() == 0 ? sudoenv_user() : NULL;
	int opipe[2] = {-1, -1}, epipe[2] = {-1, -1};
	int xpipe[2] = {-1, -1}, status = 0, i;
	enum kn_err e = KN_OK;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (pipe2(opipe, O_CLOEXEC) != 0 || pipe2(epipe, O_CLOEXEC) != 0 ||
	    pipe2(xpipe, O_CLOEXEC) != 0) {
		e = kn_errf(errbuf, KN_ERR_IO, "pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		e = kn_errf(errbuf, KN_ERR_IO, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		execbroker_child(req, pw, opipe[1], epipe[1], xpipe[1]);
	close(opipe[1]);
	close(epipe[1]);
	close(xpipe[1]);
	opipe[1] = epipe[1] = xpipe[1] = -1;
	res->how = EXECBROKER_EXITED;
	execbroker_collect(req, pid, opipe[0], epipe[0], out, res);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	res->status = status;
	if (read(xpipe[0], &res->err, sizeof(res->err)) ==
	    (ssize_t)sizeof(res->err))
		res->how = EXECBROKER_NOEXEC;
out:
	for (i = 0; i < 2; i++) {
		if (opipe[i] >= 0)
			close(opipe[i]);
		if (epipe[i] >= 0)
			close(epipe[i]);
		if (xpipe[i] >= 0)
			close(xpipe[i]);
	}
	return e;
}

/* --- framing ---------------------------------------------------------- */

static void
put_u32(struct kn_buf *b, uint32_t v)
{
	kn_buf_append(b, &v, sizeof(v));
}

static bool
get_u32(const char **p, const char *end, uint32_t *v)
{
	if ((size_t)(end - *p) < sizeof(*v))
		return false;
	memcpy(v, *p, sizeof(*v));
	*p += sizeof(*v);
	return true;
}

/* The request's bytes, with its u32 length in front. */
static enum kn_err
execbroker_encode(const struct execbroker_req *req, struct kn_buf *b)
{
	uint32_t argc = 0, envc = 0, len;
	size_t i;

	while (req->argv[argc] != NULL)
		argc++;
	while (req->envp[envc] != NULL)
		envc++;
	put_u32(b, 0);
	put_u32(b, req->timeout_ms);
	put_u32(b, (uint32_t)req->max_out);
	put_u32(b, argc);
	put_u32(b, envc);
	for (i = 0; i < argc; i++)
		kn_buf_append(b, req->argv[i], strlen(req->argv[i]) + 1);
	for (i = 0; i < envc; i++)
		kn_buf_append(b, req->envp[i], strlen(req->envp[i]) + 1);
	if (b->data == NULL || b->len - 4 > EXECBROKER_MAX_FRAME)
		return KN_ERR_NOMEM;
	len = (uint32_t)(b->len - 4);
	memcpy(b->data, &len, sizeof(len));
	return KN_OK;
}

static bool
send_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		c += w;
		n -= (size_t)w;
	}
	return true;
}

/* Read exactly n bytes; deadline 0 waits for ever. */
static bool
recv_all(int fd, void *p, size_t n, uint64_t deadline)
{
	char *c = p;

	while (n > 0) {
		struct pollfd pfd = {fd, POLLIN, 0};
		uint64_t now = kn_now_ms();
		ssize_t r;

		if (deadline != 0) {
			int pr;

			if (now >= deadline)
				return false;
			pr = poll(&pfd, 1, (int)(deadline - now));
			if (pr < 0 && errno == EINTR)
				continue;
			if (pr <= 0)
				return false;
		}
		r = read(fd, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		c += r;
		n -= (size_t)r;
	}
	return true;
}

/* --- the broker process ----------------------------------------------- */

/* Keep only the socket (as EXECBROKER_FD) and /dev/null on 0-2: the
 * capture handle, the Kube-API connections, the log and the terminal stay
 * with the parent. */
static void
broker_fds(int sock)
{
	int devnull = open("/dev/null", O_RDWR);

	if (devnull < 0 || dup2(sock, EXECBROKER_FD) < 0)
		_exit(1);
	dup2(devnull, 0);
	dup2(devnull, 1);
	dup2(devnull, 2);
	if (close_range(EXECBROKER_FD + 1, ~0U, 0) != 0)
		_exit(1);
	/* the plugin must not inherit the socket */
	fcntl(EXECBROKER_FD, F_SETFD, FD_CLOEXEC);
}

static void
broker_reply(struct kn_buf *b, uint32_t how, const struct execbroker_res *r,
	     const struct kn_buf *out)
{
	uint32_t len, errlen = (uint32_t)strlen(r->errtext);
	int32_t st = r->status, er = r->err;

	kn_buf_clear(b);
	put_u32(b, 0);
	put_u32(b, how);
	kn_buf_append(b, &st, sizeof(st));
	kn_buf_append(b, &er, sizeof(er));
	put_u32(b, errlen);
	kn_buf_append(b, r->errtext, errlen);
	put_u32(b, (uint32_t)out->len);
	if (out->len > 0)
		kn_buf_append(b, out->data, out->len);
	len = (uint32_t)(b->len - 4);
	if (b->data == NULL || b->len - 4 != 5 * 4 + errlen + out->len)
		_exit(1);
	memcpy(b->data, &len, sizeof(len));
}

static void __attribute__((noreturn))
broker_main(int sock, const struct execbroker_req *req,
	    const struct kn_buf *pin)
{
	const struct sudoenv_user *pw = sudoenv_user();
	struct kn_buf in, reply;
	char errbuf[KN_ERRBUF];

	broker_fds(sock);
	signal(SIGPIPE, SIG_IGN);
	/* a ^C or hangup reaches the parent too; the parent decides */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	/* Keep only the right to run the plugin as the invoking user. */
	if (pw != NULL && !execbroker_become(pw))
		_exit(1);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	kn_buf_init(&in, 0);
	kn_buf_init(&reply, 0);
	for (;;) {
		struct execbroker_res res;
		struct kn_buf out;
		uint32_t len;

		if (!recv_all(EXECBROKER_FD, &len, sizeof(len), 0) ||
		    len > EXECBROKER_MAX_FRAME)
			_exit(0);
		kn_buf_clear(&in);
		while (in.len < len) {
			char chunk[4096];
			size_t want = len - in.len;

			if (want > sizeof(chunk))
				want = sizeof(chunk);
			if (!recv_all(EXECBROKER_FD, chunk, want, 0) ||
			    kn_buf_append(&in, chunk, want) != KN_OK)
				_exit(0);
		}
		memset(&res, 0, sizeof(res));
		kn_buf_init(&out, 0);
		if (len != pin->len - 4 ||
		    memcmp(in.data, pin->data + 4, len) != 0) {
			broker_reply(&reply, EXECBROKER_REFUSED, &res, &out);
		} else if (execbroker_spawn(req, &out, &res, errbuf) != KN_OK) {
			/* fork or pipe failed: the plugin could not start */
			res.how = EXECBROKER_NOEXEC;
			res.err = EAGAIN;
			broker_reply(&reply, res.how, &res, &out);
		} else {
			broker_reply(&reply, res.how, &res, &out);
		}
		execbroker_wipe(&out);
		if (!send_all(EXECBROKER_FD, reply.data, reply.len))
			_exit(0);
		execbroker_wipe(&reply);
		kn_buf_init(&reply, 0);
	}
}

enum kn_err
execbroker_start(const struct execbroker_req *allowed, char *errbuf)
{
	struct kn_buf pin;
	int sv[2];
	pid_t pid;

	if (broker_fd >= 0)
		return kn_errf(errbuf, KN_ERR_INVAL,
			       "exec plugin broker already running");
	kn_buf_init(&pin, 0);
	if (execbroker_encode(allowed, &pin) != KN_OK) {
		kn_buf_release(&pin);
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		kn_buf_release(&pin);
		return kn_errf(errbuf, KN_ERR_IO,
			       "exec plugin broker: socketpair: %s",
			       strerror(errno));
	}
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		kn_buf_release(&pin);
		return kn_errf(errbuf, KN_ERR_IO,
			       "exec plugin broker: fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(sv[0]);
		/* the request points into the parent's memory, which the
		 * fork copied as it was */
		broker_main(sv[1], allowed, &pin);
	}
	close(sv[1]);
	kn_buf_release(&pin);
	broker_fd = sv[0];
	broker_pid = pid;
	return KN_OK;
}

bool
execbroker_running(void)
{
	return broker_fd >= 0;
}

void
execbroker_stop(void)
{
	if (broker_fd < 0)
		return;
	close(broker_fd);
	broker_fd = -1;
	while (waitpid(broker_pid, NULL, 0) < 0 && errno == EINTR)
		;
	broker_pid = 0;
}

/* Parse the broker's response (its own bytes, still checked: a cap on
 * every length). */
static enum kn_err
execbroker_decode(const char *p, const char *end, size_t max_out,
		  struct kn_buf *out, struct execbroker_res *res, char *errbuf)
{
	uint32_t how, errlen, outlen;
	int32_t st, er;

	if (!get_u32(&p, end, &how) || (size_t)(end - p) < 8)
		goto bad;
	memcpy(&st, p, 4);
	memcpy(&er, p + 4, 4);
	p += 8;
	if (!get_u32(&p, end, &errlen) || errlen >= sizeof(res->errtext) ||
	    (size_t)(end - p) < errlen)
		goto bad;
	memcpy(res->errtext, p, errlen);
	res->errtext[errlen] = '\0';
	p += errlen;
	if (!get_u32(&p, end, &outlen) || (size_t)(end - p) != outlen ||
	    outlen > max_out)
		goto bad;
	if (how == EXECBROKER_REFUSED)
		return kn_errf(errbuf, KN_ERR_PERM,
			       "the exec plugin broker runs only the "
			       "plugin it was started with");
	if (how > EXECBROKER_TOOBIG)
		goto bad;
	res->how = (enum execbroker_how)how;
	res->status = st;
	res->err = er;
	if (outlen > 0 && kn_buf_append(out, p, outlen) != KN_OK)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	return KN_OK;
bad:
	return kn_errf(errbuf, KN_ERR_IO,
		       "exec plugin broker: malformed response");
}

/* The broker is gone or broken: stop using it (a plugin cannot run as
 * the invoking user any more; the error says so). */
static enum kn_err
execbroker_lost(char *errbuf)
{
	execbroker_stop();
	return kn_errf(errbuf, KN_ERR_IO,
		       "the exec plugin broker process "
		       "ended or did not answer");
}

/* One request to the broker; the broker is given up on any failure. */
static enum kn_err
execbroker_ask(const struct execbroker_req *req, struct kn_buf *out,
	       struct execbroker_res *res, char *errbuf)
{
	uint64_t deadline = kn_now_ms() + req->timeout_ms + EXECBROKER_GRACE_MS;
	struct kn_buf b;
	uint32_t len;
	enum kn_err e;

	memset(res, 0, sizeof(*res));
	kn_buf_init(&b, 0);
	if (execbroker_encode(req, &b) != KN_OK) {
		kn_buf_release(&b);
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	}
	if (!send_all(broker_fd, b.data, b.len) ||
	    !recv_all(broker_fd, &len, sizeof(len), deadline) ||
	    len > EXECBROKER_MAX_FRAME) {
		kn_buf_release(&b);
		return execbroker_lost(errbuf);
	}
	kn_buf_clear(&b);
	while (b.len < len) {
		char chunk[4096];
		size_t want = len - b.len;

		if (want > sizeof(chunk))
			want = sizeof(chunk);
		if (!recv_all(broker_fd, chunk, want, deadline) ||
		    kn_buf_append(&b, chunk, want) != KN_OK) {
			execbroker_wipe(&b);
			return execbroker_lost(errbuf);
		}
	}
	if (b.data == NULL)
		return execbroker_lost(errbuf);
	e = execbroker_decode(b.data, b.data + b.len, req->max_out, out, res,
			      errbuf);
	execbroker_wipe(&b);
	return e;
}

enum kn_err
execbroker_run(const struct execbroker_req *req, struct kn_buf *out,
	       struct execbroker_res *res, char *errbuf)
{
	if (broker_fd >= 0)
		return execbroker_ask(req, out, res, errbuf);
	return execbroker_spawn(req, out, res, errbuf);
}
