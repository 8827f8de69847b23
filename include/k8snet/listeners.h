/* Local listening TCP sockets from /proc/net/tcp{,6}, their owning
 * processes from /proc/PID/fd, and which node this console runs on. */
#ifndef K8SNET_LISTENERS_H
#define K8SNET_LISTENERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/err.h"
#include "k8snet/ipaddr.h"

#define KN_LISTENERS_MAX 65536 /* entries kept; more is KN_ERR_LIMIT */
#define KN_COMM_LEN 16	       /* TASK_COMM_LEN */

struct kn_listener {
	struct kn_ipaddr addr; /* 0.0.0.0 / :: for every address */
	uint16_t port;
	uint32_t uid;
	uint64_t inode;
	int pid;       /* 0: unknown (not permitted, or gone) */
	uint8_t proto; /* 6: TCP in LISTEN; 17: UDP bound, not connected */
	char comm[KN_COMM_LEN];
};

/* A growable set of listeners (owns its array). */
struct kn_listeners {
	struct kn_listener *v;
	size_t n, cap;
	size_t bad_lines;   /* malformed lines skipped */
	size_t denied_pids; /* processes whose fds could not be read */
};

void kn_listeners_init(struct kn_listeners *ls);
void kn_listeners_release(struct kn_listeners *ls);

/* Pure parser of the text of /proc/net/tcp (family 4) or /proc/net/tcp6
 * (family 6): appends every socket in state LISTEN (0A). The header line
 * and malformed lines are skipped (malformed ones counted in bad_lines).
 * Addresses are decoded as the kernel prints them: each 32-bit word in
 * host byte order (fixtures come from little-endian hosts).
 * KN_ERR_LIMIT past KN_LISTENERS_MAX entries, KN_ERR_INVAL on a bad
 * family, KN_ERR_NOMEM. */
enum kn_err kn_listeners_parse(const char *buf, size_t len, int family,
			       struct kn_listeners *ls);

/* Pure: the same for /proc/net/udp{,6}: every socket bound to a port
 * and not connected (state 07), proto 17. */
enum kn_err kn_listeners_parse_udp(const char *buf, size_t len, int family,
				   struct kn_listeners *ls);

/* Read the listeners of the node whose filesystem is at host_root ("/" or
 * NULL for this one): host_root/proc/1/net/tcp{,6} when host_root is not
 * "/" (the node's init holds the node's network namespace), else
 * /proc/net/tcp{,6}. A missing tcp6 file is fine (IPv6 disabled).
 * Errors name the file. */
enum kn_err kn_listeners_read(const char *host_root, struct kn_listeners *ls,
			      char *errbuf);
/* The same for UDP (udp, udp6), appended to ls (the Nodes pane's port
 * checks read TCP only: kn_listeners_read). */
enum kn_err kn_listeners_read_udp(const char *host_root,
				  struct kn_listeners *ls, char *errbuf);

/* Fill pid and comm by matching socket inodes with the links in
 * host_root/proc/PID/fd (as ss -p does). Processes we may not inspect are
 * counted in denied_pids; that is not an error. */
enum kn_err kn_listeners_owners(const char *host_root, struct kn_listeners *ls,
				char *errbuf);

/* The listener serving port on addr (an exact address match, else a
 * wildcard one of the same family, else any wildcard), or NULL. */
const struct kn_listener *kn_listeners_find(const struct kn_listeners *ls,
					    const struct kn_ipaddr *addr,
					    uint16_t port);

/* This host's addresses (getifaddrs), up to max. Returns the count. */
size_t kn_local_addrs(struct kn_ipaddr *out, size_t max);

/* Pure: the index of the first node whose address is among local[], or -1.
 * Nodes without an address (family 0) never match. */
long kn_local_node_pick(const struct kn_ipaddr *node_ips, size_t nnodes,
			const struct kn_ipaddr *local, size_t nlocal);

/* kn_local_addrs + kn_local_node_pick: the name of the node this console
 * runs on (borrowed from names[]), or NULL when it runs elsewhere. */
const char *kn_local_node(const char *const *names,
			  const struct kn_ipaddr *node_ips, size_t nnodes);

#endif
