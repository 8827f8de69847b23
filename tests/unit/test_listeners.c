/* Unit tests for /proc/net/tcp{,6} parsing, socket owners and local node
 * detection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "k8snet/listeners.h"
#include "testutil.h"

static void
test_parse_tcp4(void **state)
{
	struct kn_listeners ls;
	struct kn_ipaddr a;
	const struct kn_listener *l;
	size_t len;
	char *b = tu_data("probe/proc_net_tcp", &len);

	kn_listeners_init(&ls);
	assert_int_equal(kn_listeners_parse(b, len, 4, &ls), KN_OK);
	assert_int_equal(ls.n, 9); /* LISTEN only */
	assert_int_equal(ls.bad_lines, 0);
	a = tu_ip("127.0.0.1");
	assert_true(kn_ipaddr_eq(&ls.v[0].addr, &a));
	assert_int_equal(ls.v[0].port, 10248);
	assert_int_equal(ls.v[0].inode, 31201);
	a = tu_ip("192.168.49.2");
	l = kn_listeners_find(&ls, &a, 2379);
	assert_non_null(l);
	assert_int_equal(l->inode, 29870);
	/* ssh on 0.0.0.0 serves every address */
	l = kn_listeners_find(&ls, &a, 22);
	assert_non_null(l);
	assert_int_equal(l->inode, 18211);
	a = tu_ip("127.0.0.53");
	l = kn_listeners_find(&ls, &a, 53);
	assert_non_null(l);
	assert_int_equal(l->uid, 101);
	/* an established socket is not a listener */
	assert_null(kn_listeners_find(&ls, &a, 10250));
	kn_listeners_release(&ls);
	free(b);
}

static void
test_parse_tcp6(void **state)
{
	struct kn_listeners ls;
	struct kn_ipaddr a;
	const struct kn_listener *l;
	size_t len;
	char *b = tu_data("probe/proc_net_tcp6", &len);

	kn_listeners_init(&ls);
	assert_int_equal(kn_listeners_parse(b, len, 6, &ls), KN_OK);
	assert_int_equal(ls.n, 5);
	a = tu_ip("::");
	assert_true(kn_ipaddr_eq(&ls.v[0].addr, &a));
	assert_int_equal(ls.v[0].port, 6443);
	a = tu_ip("::1");
	l = kn_listeners_find(&ls, &a, 8080);
	assert_non_null(l);
	assert_int_equal(l->uid, 1000);
	a = tu_ip("fd00:10:244::5");
	l = kn_listeners_find(&ls, &a, 9090);
	assert_non_null(l);
	assert_int_equal(l->inode, 40002);
	/* a v4 node address finds the v6 wildcard (dual-stack socket) */
	a = tu_ip("192.168.49.2");
	l = kn_listeners_find(&ls, &a, 10250);
	assert_non_null(l);
	assert_int_equal(l->inode, 31200);
	kn_listeners_release(&ls);
	free(b);
}

static void
test_parse_bad(void **state)
{
	static const char junk[] =
		"  sl  local_address rem_address   st\n"
		"   0: 0100007F:2808 00000000:0000 0A\n" /* short */
		"   1: 0100007G:2808 00000000:0000 0A 0:0 0:0 0 0 0 1\n"
		"   2: 0100007F:2808 00000000:0000 0A 0:0 0:0 0 0 0 77\n"
		"garbage\n"
		"   3: 0100007F:28 00000000:0000 0A 0:0 0:0 0 0 0 1";
	struct kn_listeners ls;

	kn_listeners_init(&ls);
	assert_int_equal(kn_listeners_parse(junk, sizeof(junk) - 1, 4, &ls),
			 KN_OK);
	assert_int_equal(ls.n, 1);
	assert_int_equal(ls.v[0].inode, 77);
	assert_int_equal(ls.bad_lines, 4);
	assert_int_equal(kn_listeners_parse(junk, 5, 5, &ls), KN_ERR_INVAL);
	kn_listeners_release(&ls);
}

/* A real listener of ours: found in /proc with our pid and comm. */
static void
test_read_and_owners(void **state)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	struct kn_listeners ls;
	struct kn_ipaddr a = tu_ip("127.0.0.1");
	const struct kn_listener *l;
	char errbuf[KN_ERRBUF];
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	kn_listeners_init(&ls);
	assert_int_equal(kn_listeners_read("/", &ls, errbuf), KN_OK);
	l = kn_listeners_find(&ls, &a, ntohs(sin.sin_port));
	assert_non_null(l);
	assert_int_equal(kn_listeners_owners(NULL, &ls, errbuf), KN_OK);
	l = kn_listeners_find(&ls, &a, ntohs(sin.sin_port));
	assert_int_equal(l->pid, getpid());
	assert_string_equal(l->comm, "test_listeners");
	kn_listeners_release(&ls);
	close(fd);
}

static void
test_read_missing_root(void **state)
{
	struct kn_listeners ls;
	char errbuf[KN_ERRBUF];

	kn_listeners_init(&ls);
	assert_int_equal(kn_listeners_read("/nonexistent-root", &ls, errbuf),
			 KN_ERR_NOTFOUND);
	assert_non_null(strstr(errbuf, "/nonexistent-root/proc/net/tcp"));
	kn_listeners_release(&ls);
}

static void
test_local_node(void **state)
{
	struct kn_ipaddr nodes[3], local[2];
	const char *names[3] = {"cp-1", "worker-1", "worker-2"};

	memset(&nodes[0], 0, sizeof(nodes[0])); /* no address */
	nodes[1] = tu_ip("192.168.49.3");
	nodes[2] = tu_ip("192.168.49.4");
	local[0] = tu_ip("127.0.0.1");
	local[1] = tu_ip("192.168.49.4");
	assert_int_equal(kn_local_node_pick(nodes, 3, local, 2), 2);
	assert_int_equal(kn_local_node_pick(nodes, 2, local, 2), -1);
	/* loopback is always among this host's addresses */
	nodes[1] = tu_ip("127.0.0.1");
	assert_string_equal(kn_local_node(names, nodes, 3), "worker-1");
	nodes[1] = tu_ip("192.0.2.77");
	assert_null(kn_local_node(names, nodes, 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_tcp4),
		cmocka_unit_test(test_parse_tcp6),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_read_and_owners),
		cmocka_unit_test(test_read_missing_root),
		cmocka_unit_test(test_local_node),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
