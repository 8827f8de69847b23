/* Unit tests for the core: escaping, UTF-8, buffers, interning, options,
 * the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "k8snet/buf.h"
#include "k8snet/escape.h"
#include "k8snet/intern.h"
#include "k8snet/ipaddr.h"
#include "k8snet/log.h"
#include "k8snet/opts.h"

static const char *
esc(struct kn_buf *b, const char *s, size_t len, bool ascii)
{
	kn_buf_clear(b);
	assert_int_equal(kn_escape_text(b, s, len, ascii), KN_OK);
	return b->data ? b->data : "";
}

static void
test_escape_controls(void **state)
{
	struct kn_buf b;

	(void)state;
	kn_buf_init(&b, 0);
	assert_string_equal(esc(&b, "plain", 5, false), "plain");
	assert_string_equal(esc(&b, "a\x1b[31mb", 7, false), "a\\x1b[31mb");
	/* OSC title change */
	assert_string_equal(esc(&b, "\x1b]0;pwn\x07", 8, false),
			    "\\x1b]0;pwn\\x07");
	/* C1 CSI as UTF-8 (U+009B) and as a lone byte */
	assert_string_equal(esc(&b,
				"\xc2\x9b"
				"2J",
				4, false),
			    "\\x9b2J");
	assert_string_equal(esc(&b,
				"\x9b"
				"2J",
				3, false),
			    "\\x9b2J");
	assert_string_equal(esc(&b, "a\0b", 3, false), "a\\x00b");
	assert_string_equal(esc(&b, "x\ny\tz\r", 6, false), "x\\ny\\tz\\r");
	assert_string_equal(esc(&b, "\x7f", 1, false), "\\x7f");
	kn_buf_release(&b);
}

static void
test_escape_unicode(void **state)
{
	struct kn_buf b;

	(void)state;
	kn_buf_init(&b, 0);
	/* bidi override U+202E */
	assert_string_equal(esc(&b, "ab\xe2\x80\xaeq", 6, false), "ab\\u202eq");
	/* valid UTF-8 kept, escaped in ascii mode */
	assert_string_equal(esc(&b, "caf\xc3\xa9", 5, false), "caf\xc3\xa9");
	assert_string_equal(esc(&b, "caf\xc3\xa9", 5, true), "caf\\xe9");
	assert_string_equal(esc(&b, "\xe6\x97\xa5", 3, true), "\\u65e5");
	/* invalid: lone continuation, overlong, surrogate, truncated */
	assert_string_equal(esc(&b, "\x80", 1, false), "\\x80");
	assert_string_equal(esc(&b, "\xc0\xaf", 2, false), "\\xc0\\xaf");
	assert_string_equal(esc(&b, "\xed\xa0\x80", 3, false),
			    "\\xed\\xa0\\x80");
	assert_string_equal(esc(&b, "\xe6\x97", 2, false), "\\xe6\\x97");
	assert_int_equal(kn_escaped_width("a\x1b", 2, false), 5);
	kn_buf_release(&b);
}

static void
test_json_quote(void **state)
{
	struct kn_buf b;

	(void)state;
	kn_buf_init(&b, 0);
	assert_int_equal(kn_json_quote(&b, "a\"b\\c\n\x1b\xff\xe2\x80\xae", 11),
			 KN_OK);
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u001b\\\\xff\\u202e\"");
	kn_buf_release(&b);
}

static void
test_buf_cap(void **state)
{
	struct kn_buf b;

	(void)state;
	kn_buf_init(&b, 8);
	assert_int_equal(kn_buf_puts(&b, "12345678"), KN_OK);
	assert_int_equal(kn_buf_puts(&b, "9"), KN_ERR_LIMIT);
	assert_int_equal(b.len, 8);
	kn_buf_consume(&b, 3);
	assert_string_equal(b.data, "45678");
	assert_int_equal(kn_buf_printf(&b, "%d", 42), KN_OK);
	assert_string_equal(b.data, "4567842");
	kn_buf_release(&b);
}

static void
test_intern(void **state)
{
	struct kn_intern *in = kn_intern_new();
	const char *a, *b;
	char name[32];
	int i;

	(void)state;
	a = kn_intern(in, "kube-system");
	b = kn_intern_n(in, "kube-system-x", 11);
	assert_ptr_equal(a, b);
	assert_null(kn_intern_find(in, "nope", 4));
	for (i = 0; i < 100000; i++) {
		snprintf(name, sizeof(name), "pod-%d", i);
		kn_intern(in, name);
	}
	assert_int_equal(kn_intern_count(in), 100001);
	assert_ptr_equal(kn_intern(in, "kube-system"), a);
	assert_string_equal(kn_intern_find(in, "pod-99999", 9), "pod-99999");
	kn_intern_free(in);
}

static void
test_ipaddr(void **state)
{
	struct kn_ipaddr a, b;
	char buf[KN_IPSTR];

	(void)state;
	assert_true(kn_ipaddr_parse("10.96.0.10", &a));
	assert_int_equal(a.family, 4);
	assert_string_equal(kn_ipaddr_format(&a, buf, sizeof(buf)),
			    "10.96.0.10");
	assert_true(kn_ipaddr_parse("fd00::a", &b));
	assert_int_equal(b.family, 6);
	assert_false(kn_ipaddr_eq(&a, &b));
	assert_false(kn_ipaddr_parse("10.96.0", &a));
	assert_false(kn_ipaddr_parse(NULL, &a));
}

static enum kn_err
parse(struct kn_opts *o, char *errbuf, int argc, ...)
{
	char *argv[16];
	va_list ap;
	int i;

	va_start(ap, argc);
	for (i = 0; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc] = NULL;
	return kn_opts_parse(o, argc, argv, errbuf);
}

static void
test_opts(void **state)
{
	struct kn_opts o;
	char err[KN_ERRBUF];

	(void)state;
	assert_int_equal(parse(&o, err, 7, "k8snet-top", "--once", "-o", "json",
			       "--pane", "services", "-A"),
			 KN_OK);
	assert_true(o.once);
	assert_int_equal(o.output, KN_OUT_JSON);
	assert_int_equal(o.pane, KN_PANE_SERVICES);
	assert_null(o.namespace);
	assert_int_equal(
		parse(&o, err, 3, "/usr/bin/kubectl-netview", "-n", "shop"),
		KN_OK);
	assert_string_equal(o.progname, "kubectl netview");
	assert_string_equal(o.namespace, "shop");
	assert_int_equal(parse(&o, err, 2, "k8snet-top", "--bogus"),
			 KN_ERR_INVAL);
	assert_non_null(strstr(err, "--bogus"));
	assert_int_equal(parse(&o, err, 3, "k8snet-top", "-o", "yaml"),
			 KN_ERR_INVAL);
	assert_non_null(strstr(err, "yaml"));
	assert_int_equal(parse(&o, err, 2, "k8snet-top", "--kubeconfig"),
			 KN_ERR_INVAL);
	assert_non_null(strstr(err, "needs a value"));
	assert_int_equal(
		parse(&o, err, 5, "k8snet-top", "-i", "eth0", "-r", "x.pcap"),
		KN_ERR_INVAL);
	assert_int_equal(parse(&o, err, 5, "k8snet-top", "--snapshot", "a",
			       "--snapshot", "b"),
			 KN_OK);
	assert_int_equal(o.nsnapshots, 2);
	assert_int_equal(parse(&o, err, 3, "k8snet-top", "--duration", "2m"),
			 KN_OK);
	assert_true(o.duration == 120.0);
	assert_int_equal(parse(&o, err, 3, "k8snet-top", "--duration", "10s"),
			 KN_OK);
	assert_true(o.duration == 10.0);
	assert_int_equal(parse(&o, err, 3, "k8snet-top", "--duration", "5x"),
			 KN_ERR_INVAL);
	assert_int_equal(parse(&o, err, 3, "k8snet-top", "--duration", "s"),
			 KN_ERR_INVAL);
	/* --workers N: 1 to 64 threads; 0 (not given) is the default */
	assert_int_equal(parse(&o, err, 1, "k8snet-top"), KN_OK);
	assert_int_equal(o.workers, 0);
	assert_int_equal(parse(&o, err, 3, "k8snet-top", "--workers", "3"),
			 KN_OK);
	assert_int_equal(o.workers, 3);
	assert_int_equal(parse(&o, err, 3, "k8snet-top", "--workers", "0"),
			 KN_ERR_INVAL);
	assert_non_null(strstr(err, "--workers '0'"));
	assert_int_equal(parse(&o, err, 3, "k8snet-top", "--workers", "65"),
			 KN_ERR_INVAL);
	assert_int_equal(parse(&o, err, 3, "k8snet-top", "--workers", "2x"),
			 KN_ERR_INVAL);
	/* --replay: only with -r, only in the console. */
	assert_int_equal(
		parse(&o, err, 4, "k8snet-top", "-r", "x.pcap", "--replay"),
		KN_OK);
	assert_true(o.replay);
	assert_int_equal(parse(&o, err, 2, "k8snet-top", "--replay"),
			 KN_ERR_INVAL);
	assert_non_null(strstr(err, "-r FILE"));
	assert_int_equal(parse(&o, err, 5, "k8snet-top", "-r", "x.pcap",
			       "--replay", "--once"),
			 KN_ERR_INVAL);
	assert_non_null(strstr(err, "--once"));
}

/* A message longer than the log's line buffer reaches the file whole,
 * and an error message naming a path of PATH_MAX fits KN_ERRBUF. */
static void
test_log_whole(void **state)
{
	char path[] = "/tmp/kn-log-XXXXXX", errbuf[KN_ERRBUF];
	static char long_path[4096], got[8192];
	size_t n;
	FILE *f;
	int fd;

	(void)state;
	memset(long_path, 'p', sizeof(long_path) - 1);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(kn_log_open(path, errbuf), KN_OK);
	kn_log_hold(true); /* stderr stays quiet */
	kn_error("-r %s: No such file or directory", long_path);
	kn_log_hold(false);
	kn_log_close();
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	fclose(f);
	unlink(path);
	got[n] = '\0';
	assert_non_null(strstr(got, long_path));
	assert_non_null(strstr(got, ": No such file or directory\n"));
	kn_errf(errbuf, KN_ERR_IO, "-r %s: %s", long_path,
		"No such file or directory");
	assert_int_equal(strlen(errbuf), 3 + 4095 + 27);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_controls),
		cmocka_unit_test(test_escape_unicode),
		cmocka_unit_test(test_json_quote),
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_intern),
		cmocka_unit_test(test_ipaddr),
		cmocka_unit_test(test_opts),
		cmocka_unit_test(test_log_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
