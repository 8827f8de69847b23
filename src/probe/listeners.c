/* Local listeners: /proc/net/tcp{,6} parsing, socket owners from
 * /proc/PID/fd, and the node this console runs on (getifaddrs).
 *
 * Format (Linux net/ipv4/tcp_ipv4.c get_tcp4_sock, tcp6 likewise): one
 * header line, then per socket "sl: LOCAL REMOTE ST TX:RX TR:WHEN RETR UID
 * TIMEOUT INODE ...", addresses as hex words printed in host byte order,
 * ports as 4 hex digits. Only the first ten fields are read; lines are
 * bounded by the input length, fields by their fixed widths. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "k8snet/file.h"
#include "k8snet/listeners.h"

#define KN_TCP_LISTEN 0x0A
#define KN_PROC_MAX (64u << 20) /* a huge /proc/net/tcp is still < this */

void
kn_listeners_init(struct kn_listeners *ls)
{
	memset(ls, 0, sizeof(*ls));
}

void
kn_listeners_release(struct kn_listeners *ls)
{
	free(ls->v);
	memset(ls, 0, sizeof(*ls));
}

static bool
kn_hex(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 16)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

static bool
kn_dec(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 19)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* "0100007F:1F90" or the 32-digit IPv6 form. */
static bool
kn_addr_port(const char *s, size_t n, int family, struct kn_ipaddr *ip,
	     uint16_t *port)
{
	size_t alen = family == 4 ? 8 : 32, w;
	uint64_t v;

	if (n != alen + 5 || s[alen] != ':')
		return false;
	memset(ip, 0, sizeof(*ip));
	ip->family = (uint8_t)family;
	for (w = 0; w < alen / 8; w++) {
		uint32_t word;

		if (!kn_hex(s + w * 8, 8, &v))
			return false;
		word = (uint32_t)v;
		/* The kernel prints each __be32 word as a host integer. */
		memcpy(ip->addr + w * 4, &word, 4);
	}
	if (!kn_hex(s + alen + 1, 4, &v))
		return false;
	*port = (uint16_t)v;
	return true;
}

static enum kn_err
kn_push(struct kn_listeners *ls, const struct kn_listener *l)
{
	if (ls->n >= KN_LISTENERS_MAX)
		return KN_ERR_LIMIT;
	if (ls->n == ls->cap) {
		size_t nc = ls->cap ? ls->cap * 2 : 64;
		struct kn_listener *nv = realloc(ls->v, nc * sizeof(*nv));

		if (nv == NULL)
			return KN_ERR_NOMEM;
		ls->v = nv;
		ls->cap = nc;
	}
	ls->v[ls->n++] = *l;
	return KN_OK;
}

#define KN_FIELDS 10

/* Split [s, e) at blanks into at most KN_FIELDS fields. */
static size_t
kn_fields(const char *s, const char *e, const char **f, size_t *fl)
{
	size_t n = 0;

	while (s < e && n < KN_FIELDS) {
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		if (s >= e)
			break;
		f[n] = s;
		while (s < e && *s != ' ' && *s != '\t')
			s++;
		fl[n] = (size_t)(s - f[n]);
		n++;
	}
	return n;
}

/* Sockets of /proc/net/{tcp,udp}{,6} in state (0A: TCP LISTEN; 07: a
 * UDP socket bound and not connected), marked proto. */
static enum kn_err
kn_parse_state(const char *buf, size_t len, int family, uint64_t state,
	       uint8_t proto, struct kn_listeners *ls)
{
	const char *p = buf, *end = buf + len;

	if (family != 4 && family != 6)
		return KN_ERR_INVAL;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *f[KN_FIELDS];
		size_t fl[KN_FIELDS], nf;
		struct kn_listener l;
		uint64_t st, uid, inode;
		enum kn_err e;

		if (eol == NULL)
			eol = end;
		nf = kn_fields(p, eol, f, fl);
		p = eol + 1;
		if (nf == 0 || (fl[0] == 2 && memcmp(f[0], "sl", 2) == 0))
			continue; /* blank or the header */
		memset(&l, 0, sizeof(l));
		if (nf < KN_FIELDS || fl[0] < 2 || f[0][fl[0] - 1] != ':' ||
		    !kn_addr_port(f[1], fl[1], family, &l.addr, &l.port) ||
		    !kn_hex(f[3], fl[3], &st) || !kn_dec(f[7], fl[7], &uid) ||
		    !kn_dec(f[9], fl[9], &inode) || uid > UINT32_MAX) {
			ls->bad_lines++;
			continue;
		}
		if (st != state || (proto == 17 && l.port == 0))
			continue;
		l.proto = proto;
		l.uid = (uint32_t)uid;
		l.inode = inode;
		e = kn_push(ls, &l);
		if (e != KN_OK)
			return e;
	}
	return KN_OK;
}

enum kn_err
kn_listeners_parse(const char *buf, size_t len, int family,
		   struct kn_listeners *ls)
{
	return kn_parse_state(buf, len, family, KN_TCP_LISTEN, 6, ls);
}

enum kn_err
kn_listeners_parse_udp(const char *buf, size_t len, int family,
		       struct kn_listeners *ls)
{
	return kn_parse_state(buf, len, family, 0x07, 17, ls);
}

static bool
kn_is_slash(const char *root)
{
	return root == NULL || root[0] == '\0' || strcmp(root, "/") == 0;
}

static const char *
kn_root(const char *root)
{
	return kn_is_slash(root) ? "" : root;
}

static enum kn_err
kn_read_proto(const char *host_root, struct kn_listeners *ls, bool udp,
	      char *errbuf)
{
	static const char *const tcp[2] = {"tcp", "tcp6"};
	static const char *const udps[2] = {"udp", "udp6"};
	const char *const *names = udp ? udps : tcp;
	char path[PATH_MAX];
	int i;

	for (i = 0; i < 2; i++) {
		char *b = NULL;
		size_t n = 0;
		enum kn_err e = KN_ERR_NOTFOUND;

		if (!kn_is_slash(host_root)) {
			snprintf(path, sizeof(path), "%s/proc/1/net/%s",
				 host_root, names[i]);
			e = kn_file_read(path, KN_PROC_MAX, &b, &n, errbuf);
		}
		if (e != KN_OK) {
			snprintf(path, sizeof(path), "%s/proc/net/%s",
				 kn_root(host_root), names[i]);
			e = kn_file_read(path, KN_PROC_MAX, &b, &n, errbuf);
		}
		if (e == KN_ERR_NOTFOUND && i == 1)
			return KN_OK; /* no IPv6 */
		if (e != KN_OK)
			return e;
		e = udp ? kn_listeners_parse_udp(b, n, i == 0 ? 4 : 6, ls)
			: kn_listeners_parse(b, n, i == 0 ? 4 : 6, ls);
		free(b);
		if (e != KN_OK)
			return kn_errf(errbuf, e, "%s: %s", path,
				       kn_err_str(e));
	}
	return KN_OK;
}

enum kn_err
kn_listeners_read(const char *host_root, struct kn_listeners *ls, char *errbuf)
{
	return kn_read_proto(host_root, ls, false, errbuf);
}

enum kn_err
kn_listeners_read_udp(const char *host_root, struct kn_listeners *ls,
		      char *errbuf)
{
	return kn_read_proto(host_root, ls, true, errbuf);
}

static int
kn_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool
kn_all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void
kn_read_comm(const char *root, const char *pid, char *comm)
{
	char path[PATH_MAX];
	ssize_t r;
	int fd;

	comm[0] = '\0';
	snprintf(path, sizeof(path), "%s/proc/%s/comm", root, pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	r = read(fd, comm, KN_COMM_LEN - 1);
	close(fd);
	if (r <= 0) {
		comm[0] = '\0';
		return;
	}
	comm[r] = '\0';
	if (r > 0 && comm[r - 1] == '\n')
		comm[r - 1] = '\0';
}

/* Give pid/comm to every listener with this inode (v4 and v6 may share). */
static size_t
kn_assign(struct kn_listeners *ls, uint64_t inode, int pid, const char *root,
	  const char *pidstr)
{
	size_t i, hit = 0;

	for (i = 0; i < ls->n; i++) {
		if (ls->v[i].inode != inode || ls->v[i].pid != 0)
			continue;
		ls->v[i].pid = pid;
		kn_read_comm(root, pidstr, ls->v[i].comm);
		hit++;
	}
	return hit;
}

enum kn_err
kn_listeners_owners(const char *host_root, struct kn_listeners *ls,
		    char *errbuf)
{
	const char *root = kn_root(host_root);
	char path[PATH_MAX], link[64];
	uint64_t *inodes;
	size_t i, nin = 0, left;
	struct dirent *de;
	DIR *proc;

	if (ls->n == 0)
		return KN_OK;
	inodes = malloc(ls->n * sizeof(*inodes));
	if (inodes == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	for (i = 0; i < ls->n; i++)
		if (ls->v[i].inode != 0 && ls->v[i].pid == 0)
			inodes[nin++] = ls->v[i].inode;
	left = nin;
	qsort(inodes, nin, sizeof(*inodes), kn_cmp_u64);
	snprintf(path, sizeof(path), "%s/proc", root);
	proc = opendir(path);
	if (proc == NULL) {
		int err = errno;

		free(inodes);
		return kn_errf(errbuf, KN_ERR_IO, "%s: %s", path,
			       strerror(err));
	}
	while (left > 0 && (de = readdir(proc)) != NULL) {
		struct dirent *fe;
		DIR *fds;

		if (!kn_all_digits(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/proc/%s/fd", root, de->d_name);
		fds = opendir(path);
		if (fds == NULL) {
			if (errno == EACCES || errno == EPERM)
				ls->denied_pids++;
			continue; /* gone, or not ours to see */
		}
		while ((fe = readdir(fds)) != NULL) {
			ssize_t r;
			uint64_t ino;

			if (fe->d_name[0] == '.')
				continue;
			r = readlinkat(dirfd(fds), fe->d_name, link,
				       sizeof(link) - 1);
			/* "socket:[12345]" */
			if (r < 10 || memcmp(link, "socket:[", 8) != 0 ||
			    link[r - 1] != ']')
				continue;
			if (!kn_dec(link + 8, (size_t)r - 9, &ino))
				continue;
			if (bsearch(&ino, inodes, nin, sizeof(*inodes),
				    kn_cmp_u64) == NULL)
				continue;
			if (kn_assign(ls, ino,
				      (int)strtol(de->d_name, NULL, 10), root,
				      de->d_name) > 0 &&
			    left > 0)
				left--;
		}
		closedir(fds);
	}
	closedir(proc);
	free(inodes);
	return KN_OK;
}

static bool
kn_is_any(const struct kn_ipaddr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->addr, zero, a->family == 4 ? 4 : 16) == 0;
}

const struct kn_listener *
kn_listeners_find(const struct kn_listeners *ls, const struct kn_ipaddr *addr,
		  uint16_t port)
{
	const struct kn_listener *fam_any = NULL, *any = NULL;
	size_t i;

	for (i = 0; i < ls->n; i++) {
		const struct kn_listener *l = &ls->v[i];

		if (l->port != port)
			continue;
		if (addr != NULL && kn_ipaddr_eq(&l->addr, addr))
			return l;
		if (kn_is_any(&l->addr)) {
			if (addr != NULL && l->addr.family == addr->family &&
			    fam_any == NULL)
				fam_any = l;
			if (any == NULL)
				any = l;
		}
	}
	return fam_any ? fam_any : any;
}

size_t
kn_local_addrs(struct kn_ipaddr *out, size_t max)
{
	struct ifaddrs *ifa, *i;
	size_t n = 0;

	if (getifaddrs(&ifa) != 0)
		return 0;
	for (i = ifa; i != NULL && n < max; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		if (i->ifa_addr->sa_family == AF_INET) {
			const struct sockaddr_in *s =
				(const struct sockaddr_in *)i->ifa_addr;

			out[n].family = 4;
			memcpy(out[n].addr, &s->sin_addr, 4);
			n++;
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			const struct sockaddr_in6 *s =
				(const struct sockaddr_in6 *)i->ifa_addr;

			out[n].family = 6;
			memcpy(out[n].addr, &s->sin6_addr, 16);
			n++;
		}
	}
	freeifaddrs(ifa);
	return n;
}

long
kn_local_node_pick(const struct kn_ipaddr *node_ips, size_t nnodes,
		   const struct kn_ipaddr *local, size_t nlocal)
{
	size_t i, j;

	for (i = 0; i < nnodes; i++) {
		if (node_ips[i].family == 0)
			continue;
		for (j = 0; j < nlocal; j++)
			if (kn_ipaddr_eq(&node_ips[i], &local[j]))
				return (long)i;
	}
	return -1;
}

const char *
kn_local_node(const char *const *names, const struct kn_ipaddr *node_ips,
	      size_t nnodes)
{
	struct kn_ipaddr local[256];
	size_t nl = kn_local_addrs(local, sizeof(local) / sizeof(local[0]));
	long i = kn_local_node_pick(node_ips, nnodes, local, nl);

	return i < 0 ? NULL : names[i];
}
