/* OSC 52: the sequence, and whether the terminal takes it (tmux's
 * set-clipboard, GNU screen, terminfo's Ms). */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "k8snet/loop.h"
#include "clipboard.h"

#define KN_CLIP_TMUX_MS 1000 /* tmux has this long to answer */

extern char **environ;

bool
kn_clip_supported(const struct kn_clip_env *env, char *why, size_t n)
{
	/* Terminals that take OSC 52 whose terminfo may lack Ms. */
	static const char *const known[] = {"xterm",   "alacritty", "foot",
					    "wezterm", "contour",   "ghostty"};
	const char *term = env->term != NULL ? env->term : "";
	size_t i;

	if (env->tmux != NULL && env->tmux[0] != '\0') {
		if (env->tmux_clipboard != NULL &&
		    strcmp(env->tmux_clipboard, "on") == 0)
			return true;
		if (env->tmux_clipboard == NULL)
			snprintf(why, n,
				 "tmux did not say whether it passes the "
				 "clipboard on (set-clipboard)");
		else
			snprintf(why, n,
				 "tmux's set-clipboard is %.16s, not on "
				 "(tmux set -s set-clipboard on)",
				 env->tmux_clipboard);
		return false;
	}
	if (env->sty != NULL && env->sty[0] != '\0') {
		snprintf(why, n, "GNU screen does not pass OSC 52 on");
		return false;
	}
	if (env->has_ms)
		return true;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strncmp(term, known[i], strlen(known[i])) == 0)
			return true;
	snprintf(why, n, "TERM=%.32s does not take OSC 52", term);
	return false;
}

/* Wait for pid, killed first when it has not finished. */
static void
kn_clip_reap(pid_t pid, bool kill_it)
{
	if (kill_it)
		kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

bool
kn_clip_tmux_option(char *out, size_t n)
{
	char *argv[] = {"tmux", "show-options", "-sv", "set-clipboard", NULL};
	posix_spawn_file_actions_t fa;
	struct pollfd pf;
	uint64_t deadline = kn_now_ms() + KN_CLIP_TMUX_MS, now;
	size_t got = 0;
	ssize_t r;
	pid_t pid;
	int fds[2], rc;
	bool done = false;

	if (n == 0 || pipe2(fds, O_CLOEXEC) != 0)
		return false;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
					 O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
					 O_WRONLY, 0);
	rc = posix_spawnp(&pid, "tmux", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		return false;
	}
	pf.fd = fds[0];
	pf.events = POLLIN;
	while (!done && got + 1 < n && (now = kn_now_ms()) < deadline) {
		if (poll(&pf, 1, (int)(deadline - now)) <= 0)
			continue;
		r = read(fds[0], out + got, n - 1 - got);
		if (r > 0)
			got += (size_t)r;
		else if (r == 0 || errno != EINTR)
			done = true;
	}
	close(fds[0]);
	kn_clip_reap(pid, !done);
	out[got] = '\0';
	while (got > 0 && (out[got - 1] == '\n' || out[got - 1] == ' '))
		out[--got] = '\0';
	return done && got > 0;
}

size_t
kn_clip_osc52(const char *text, size_t len, char *out, size_t n)
{
	static const char head[] = "\033]52;c;", tail[] = "\a";
	size_t b64 = 4 * ((len + 2) / 3);

	if (n < sizeof(head) - 1 + b64 + sizeof(tail))
		return 0;
	memcpy(out, head, sizeof(head) - 1);
	EVP_EncodeBlock((unsigned char *)out + sizeof(head) - 1,
			(const unsigned char *)text, (int)len);
	memcpy(out + sizeof(head) - 1 + b64, tail, sizeof(tail));
	return sizeof(head) - 1 + b64 + sizeof(tail) - 1;
}
