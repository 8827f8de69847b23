/* Unit tests for the sudo PATH search: /proc status and environ parsing
 * and the parent walk, on crafted files under a temporary folder. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "sudoenv.h"

static char root[256];

static void
put(int pid, const char *name, const char *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d", root, pid);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%d/%s", root, pid, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void
proc(int pid, int ppid, int uid, const char *env, size_t envlen)
{
	char st[256];

	snprintf(st, sizeof(st),
		 "Name:\tsh\nUmask:\t0022\nState:\tS\n"
		 "Tgid:\t%d\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"
		 "Uid:\t%d\t0\t0\t0\nGid:\t0\t0\t0\t0\n",
		 pid, pid, ppid, uid);
	put(pid, "status", st, strlen(st));
	if (env != NULL)
		put(pid, "environ", env, envlen);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/k8snet-sudoenv-XXXXXX");
	assert_non_null(mkdtemp(root));
	return 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	(void)state;
	return nftw(root, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static void
test_parse_status(void **state)
{
	static const char ok[] = "Name:\tx\nPPid:\t42\nUid:\t1000\t0\t0\t0\n";
	pid_t ppid = 0;
	uid_t uid = 0;

	(void)state;
	assert_true(sudoenv_parse_status(ok, strlen(ok), &ppid, &uid));
	assert_int_equal(ppid, 42);
	assert_int_equal(uid, 1000);
	/* the real uid is the first of four; the line may end the file */
	assert_true(
		sudoenv_parse_status("Uid: 7 0 0 0\nPPid: 1", 20, &ppid, &uid));
	assert_int_equal(uid, 7);
	assert_int_equal(ppid, 1);
	assert_false(sudoenv_parse_status("PPid:\t3\n", 8, &ppid, &uid));
	assert_false(
		sudoenv_parse_status("Uid:\tx\nPPid:\t3\n", 15, &ppid, &uid));
	/* a length that ends inside a line is honoured */
	assert_false(sudoenv_parse_status(ok, 12, &ppid, &uid));
	assert_false(sudoenv_parse_status("Uid:\t99999999999\nPPid:\t1\n", 25,
					  &ppid, &uid));
}

static void
test_environ_get(void **state)
{
	static const char blk[] = "HOME=/h\0PATHX=no\0PATH=/a:/b\0=x\0LAST=1";
	const char *v;
	size_t n;

	(void)state;
	assert_true(sudoenv_environ_get(blk, sizeof(blk) - 1, "PATH", &v, &n));
	assert_int_equal(n, 5);
	assert_memory_equal(v, "/a:/b", 5);
	/* the last string without its NUL */
	assert_true(sudoenv_environ_get(blk, sizeof(blk) - 1, "LAST", &v, &n));
	assert_int_equal(n, 1);
	assert_false(
		sudoenv_environ_get(blk, sizeof(blk) - 1, "PATHX=", &v, &n));
	assert_false(sudoenv_environ_get(blk, 20, "PATH", &v, &n));
	assert_false(sudoenv_environ_get("", 0, "PATH", &v, &n));
}

static void
test_walk(void **state)
{
	static const char user_env[] = "TERM=xterm\0PATH=/home/u/mybin:/bin";
	static const char sudo_env[] = "PATH=/usr/sbin:/usr/bin";
	char out[64];
	pid_t found = 0;

	(void)state;
	/* us (500) <- sudo monitor (400, root) <- sudo (300, root) <- shell
	 * (200, uid 1000) <- login (100) */
	proc(500, 400, 0, sudo_env, sizeof(sudo_env));
	proc(400, 300, 0, sudo_env, sizeof(sudo_env));
	proc(300, 200, 0, sudo_env, sizeof(sudo_env));
	proc(200, 100, 1000, user_env, sizeof(user_env) - 1);
	proc(100, 1, 0, NULL, 0);
	assert_true(
		sudoenv_find_path(root, 400, 1000, out, sizeof(out), &found));
	assert_string_equal(out, "/home/u/mybin:/bin");
	assert_int_equal(found, 200);
	/* no process of that user up the chain (ends at a missing pid) */
	assert_false(
		sudoenv_find_path(root, 400, 1001, out, sizeof(out), &found));
	/* PATH longer than the output buffer: not found, not cut */
	assert_false(sudoenv_find_path(root, 400, 1000, out, 10, &found));
	/* the user's process has no PATH */
	proc(210, 100, 1002, "TERM=x", 7);
	proc(310, 210, 0, NULL, 0);
	assert_false(
		sudoenv_find_path(root, 310, 1002, out, sizeof(out), &found));
	/* a loop in the chain ends */
	proc(600, 601, 0, NULL, 0);
	proc(601, 600, 0, NULL, 0);
	assert_false(
		sudoenv_find_path(root, 600, 1000, out, sizeof(out), &found));
}

static void
test_default_path(void **state)
{
	char out[256], tiny[40];

	(void)state;
	sudoenv_default_path("/home/u", out, sizeof(out));
	assert_string_equal(out, "/home/u/.local/bin:/home/u/bin:"
				 "/home/u/go/bin:/home/u/.krew/bin:"
				 "/usr/local/bin:/usr/bin:/bin");
	sudoenv_default_path("/home/u", tiny, sizeof(tiny));
	assert_string_equal(tiny, "/usr/local/bin:/usr/bin:/bin");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_status),
		cmocka_unit_test(test_environ_get),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
