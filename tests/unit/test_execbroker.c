/* Unit tests for the exec plugin runner and broker: outcomes, PATH from
 * the plugin's environment, the pinned request, inherited descriptors. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "k8snet/execbroker.h"

static enum kn_err
run(char *const *argv, char *const *envp, size_t max_out, unsigned timeout_ms,
    struct kn_buf *out, struct execbroker_res *res)
{
	struct execbroker_req req = {argv, envp, timeout_ms, max_out};
	char errbuf[KN_ERRBUF];

	kn_buf_init(out, 0);
	return execbroker_run(&req, out, res, errbuf);
}

static void
test_outcomes(void **state)
{
	char *sh[] = {"sh", "-c",
		      "printf out; printf 'err\\nmore' >&2; "
		      "exit 3",
		      NULL};
	char *big[] = {"sh", "-c", "printf 0123456789abcdef", NULL};
	char *slow[] = {"sh", "-c", "exec sleep 30", NULL};
	char *none[] = {"no-such-plugin-k8snet", NULL};
	char *env[] = {"PATH=/usr/bin:/bin", NULL};
	struct execbroker_res res;
	struct kn_buf out;

	(void)state;
	assert_int_equal(run(sh, env, 100, 60000, &out, &res), KN_OK);
	assert_int_equal(res.how, EXECBROKER_EXITED);
	assert_true(WIFEXITED(res.status) && WEXITSTATUS(res.status) == 3);
	assert_int_equal(out.len, 3);
	assert_memory_equal(out.data, "out", 3);
	assert_string_equal(res.errtext, "err\nmore");
	kn_buf_release(&out);

	assert_int_equal(run(big, env, 10, 60000, &out, &res), KN_OK);
	assert_int_equal(res.how, EXECBROKER_TOOBIG);
	kn_buf_release(&out);

	assert_int_equal(run(slow, env, 10, 100, &out, &res), KN_OK);
	assert_int_equal(res.how, EXECBROKER_TIMEOUT);
	kn_buf_release(&out);

	assert_int_equal(run(none, env, 10, 60000, &out, &res), KN_OK);
	assert_int_equal(res.how, EXECBROKER_NOEXEC);
	assert_int_equal(res.err, ENOENT);
	kn_buf_release(&out);
}

/* The command is searched in the PATH the plugin gets, not ours. */
static void
test_path_from_env(void **state)
{
	char dir[] = "/tmp/k8snet-execbroker-XXXXXX", plug[128];
	char envpath[160];
	char *argv[] = {"k8snet-test-plug", NULL};
	char *env[] = {envpath, "HOME=/nowhere", NULL};
	struct execbroker_res res;
	struct kn_buf out;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(plug, sizeof(plug), "%s/k8snet-test-plug", dir);
	f = fopen(plug, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nprintf '%s' \"$HOME\"\n", f);
	fclose(f);
	chmod(plug, 0700);
	snprintf(envpath, sizeof(envpath), "PATH=%s:/usr/bin:/bin", dir);
	assert_int_equal(run(argv, env, 100, 60000, &out, &res), KN_OK);
	assert_int_equal(res.how, EXECBROKER_EXITED);
	assert_int_equal(out.len, 8);
	assert_memory_equal(out.data, "/nowhere", 8);
	kn_buf_release(&out);
	unlink(plug);
	rmdir(dir);
}

static void
test_broker(void **state)
{
	/* lists the broker's descriptors (the plugin's parent) and its own */
	char *argv[] = {"sh", "-c", "ls -l /proc/$PPID/fd /proc/$$/fd", NULL};
	char *env[] = {"PATH=/usr/bin:/bin", "K=1", NULL};
	char *other_env[] = {"PATH=/usr/bin:/bin", "K=2", NULL};
	char *other_argv[] = {"sh", "-c", "id", NULL};
	struct execbroker_req req = {argv, env, 60000, 1 << 16};
	struct execbroker_res res;
	char errbuf[KN_ERRBUF], marker[] = "/tmp/k8snet-marker-XXXXXX";
	struct kn_buf out;
	const char *own;
	int mfd;

	(void)state;
	mfd = mkstemp(marker);
	assert_true(mfd >= 0);
	assert_false(execbroker_running());
	assert_int_equal(execbroker_start(&req, errbuf), KN_OK);
	assert_true(execbroker_running());
	assert_int_equal(execbroker_start(&req, errbuf), KN_ERR_INVAL);

	assert_int_equal(run(argv, env, 1 << 16, 60000, &out, &res), KN_OK);
	assert_int_equal(res.how, EXECBROKER_EXITED);
	assert_non_null(out.data);
	/* the broker holds its socket, not what the parent had open */
	assert_null(strstr(out.data, marker));
	own = strstr(out.data, "/proc/");
	assert_non_null(own);
	own = strstr(own + 1, "/proc/");
	assert_non_null(own);
	assert_non_null(strstr(out.data, "socket:"));
	/* the plugin does not get the broker's socket */
	assert_null(strstr(own, "socket:"));
	kn_buf_release(&out);

	/* anything but the pinned request is refused */
	assert_int_equal(run(argv, other_env, 1 << 16, 60000, &out, &res),
			 KN_ERR_PERM);
	kn_buf_release(&out);
	assert_int_equal(run(other_argv, env, 1 << 16, 60000, &out, &res),
			 KN_ERR_PERM);
	kn_buf_release(&out);
	assert_int_equal(run(argv, env, 1 << 15, 60000, &out, &res),
			 KN_ERR_PERM);
	kn_buf_release(&out);
	assert_true(execbroker_running());

	/* stop: the broker sees end of file, exits and is reaped; runs are
	 * local again */
	execbroker_stop();
	assert_false(execbroker_running());
	assert_int_equal(run(other_argv, env, 1 << 16, 60000, &out, &res),
			 KN_OK);
	assert_int_equal(res.how, EXECBROKER_EXITED);
	kn_buf_release(&out);
	close(mfd);
	unlink(marker);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_path_from_env),
		cmocka_unit_test(test_broker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
