/* The capture source: libpcap (file, live, or the embedded demo replayed
 * with its timing) with an optional BPF filter and pcap writer, link-type
 * mapping, layer decoding and the transaction engine, the cached naming
 * of addresses and the ring of recent transactions the console reads. */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stddef.h>
#include <pwd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/time.h>
#include <unistd.h>

#include "anon_txn.h"
#include "pcaperr.h"
#include "reasm.h"
#include "k8snet/capture.h"
#include "k8snet/embed.h"
#include "k8snet/intern.h"
#include "k8snet/layers.h"
#include "k8snet/log.h"
#include "workers.h"
#include "writer.h"

#define KN_NAMECACHE 8192 /* addresses whose names are cached */
#define KN_NAMELEN 128
#define KN_LIVE_TIMEOUT_MS 50 /* a partly filled block is handed over */
/* Packets the demo and --replay hold until due: a file's frames whole. */
#define KN_PACED_MAX 262144
/* A filter expression or user name longer than this is named by its
 * length in a message: with a path it must fit KN_ERRBUF whole. */
#define KN_CAPTURE_ECHO_MAX 4096

struct name_entry {
	struct kn_ipaddr ip;
	bool used, known;
	char name[KN_NAMELEN];
};

struct kn_capture {
	struct kn_anon *anon;		 /* borrowed; --anonymize */
	struct kn_txn_heads *anon_heads; /* anonymized HTTP heads (scratch) */
	char *anon_text; /* anonymized path or answers (KN_ANON_TEXT) */
	pcap_t *pcap;
	struct kn_writer *dump; /* -w */
	pcap_t *dump_dead;	/* cooked v1 writer for cooked v2 input */
	enum kn_link link;
	bool file, no_decap, eof;
	char what[PATH_MAX];	 /* file or interface, for messages */
	char stopped[KN_ERRBUF]; /* why a live capture ended */
	char *filter;		 /* as given, or NULL */

	/* --demo: the embedded capture replayed in a loop, shifted to now;
	 * --replay: a -r file played once by the same pacing, its packets
	 * keeping their own times (capture time = wall time - shift) */
	bool demo, replay;
	const unsigned char *demo_bytes;
	size_t demo_len;
	int64_t demo_shift_us; /* added to the file's timestamps */
	uint64_t demo_first_us, demo_last_us, demo_loops;
	bool demo_have; /* a read-ahead packet waits in demo_h */
	struct pcap_pkthdr demo_h;
	uint8_t *demo_pkt;

	/* recent transactions, newest at (recent_added - 1) % recent_cap */
	struct kn_recent *recent;
	uint32_t recent_cap;
	uint64_t recent_added;
	uint8_t *sll1; /* conversion buffer for -w */

	struct kn_txn_engine *engine;
	struct kn_reasm *reasm; /* IP fragments, on one thread */
	bool ordered, want_answers;
	kn_txn_sink sink;
	void *sink_arg;

	kn_ip_namer namer;
	void *namer_arg;
	struct name_entry *names;
	uint32_t nnames;
	uint64_t namer_sets; /* kn_capture_names_version */
	char scratch[KN_NAMELEN];

	struct kn_capture_counters c;
	struct kn_traffic_stats *stats;

	/* --workers N (N > 1): decoded on N threads (workers.c) */
	unsigned nworkers;
	pcap_t **live;	  /* live: the handles until the workers take them */
	uint64_t join_us; /* live: when they were one fanout group */
	int wfd;	  /* live: the workers' eventfd, watched by the loop */
	struct kn_workers *workers;
	struct kn_txn_counters wtc; /* summed over the workers */

	/* Transactions given by kn_capture_add_txn (node agents): the
	 * names of their nodes, and the node of the one being added. */
	bool agents; /* kn_capture_open_agents: no packets of its own */
	struct kn_intern *nodes;
	const char *adding_node;
};

/* The strings of t as kn_recent keeps them: parts[i] of lens[i] bytes,
 * then the kept heads (*hd, heads bytes). */
static void
recent_parts(const struct kn_txn *t, const char *parts[3], size_t lens[3],
	     const struct kn_txn_heads **hd, size_t *heads)
{
	parts[0] = parts[1] = parts[2] = "";
	lens[0] = lens[1] = lens[2] = 0;
	*hd = NULL;
	*heads = 0;
	switch (t->type) {
	case KN_TXN_DNS:
		parts[0] = t->u.dns.qname;
		lens[0] = strnlen(t->u.dns.qname, sizeof(t->u.dns.qname));
		/* answers: nanswers NUL-terminated texts back to back */
		if (t->u.dns.answers != NULL) {
			parts[1] = t->u.dns.answers;
			lens[1] = t->u.dns.answers_len > 0
					  ? t->u.dns.answers_len - 1u
					  : 0;
		}
		break;
	case KN_TXN_HTTP:
		parts[0] = t->u.http.method;
		lens[0] = strnlen(t->u.http.method, sizeof(t->u.http.method));
		parts[1] = t->u.http.host;
		lens[1] = strnlen(t->u.http.host, sizeof(t->u.http.host));
		parts[2] = t->u.http.path;
		lens[2] = strlen(t->u.http.path);
		*hd = t->u.http.heads;
		if (*hd != NULL)
			*heads = (size_t)(*hd)->len[0] + (*hd)->len[1];
		break;
	default:
		parts[0] = t->u.tls.sni;
		lens[0] = strnlen(t->u.tls.sni, sizeof(t->u.tls.sni));
		parts[1] = t->u.tls.alpn;
		lens[1] = strnlen(t->u.tls.alpn, sizeof(t->u.tls.alpn));
		break;
	}
}

size_t
kn_recent_text_size(const struct kn_txn *t)
{
	const struct kn_txn_heads *hd;
	const char *parts[3];
	size_t lens[3], heads;

	recent_parts(t, parts, lens, &hd, &heads);
	return lens[0] + lens[1] + lens[2] + 3 + heads +
	       (t->encap ? 2 * sizeof(struct kn_ipaddr) : 0);
}

void
kn_recent_from_txn(struct kn_recent *r, const struct kn_txn *t, uint64_t seq,
		   char *text)
{
	const struct kn_txn_heads *hd;
	const char *parts[3];
	size_t lens[3], heads, i, o;

	recent_parts(t, parts, lens, &hd, &heads);
	memset(r, 0, sizeof(*r));
	r->text = text;
	for (i = 0, o = 0; i < 3; i++) {
		memcpy(text + o, parts[i], lens[i]);
		text[o + lens[i]] = '\0';
		r->s[i] = (uint16_t)o;
		o += lens[i] + 1;
	}
	if (heads > 0)
		memcpy(text + o, hd->data, heads);
	if (t->encap) {
		/* After the heads: only encapsulated transactions pay. */
		memcpy(text + o + heads, &t->outer_client,
		       sizeof(t->outer_client));
		memcpy(text + o + heads + sizeof(t->outer_client),
		       &t->outer_server, sizeof(t->outer_server));
	}
	r->seq = seq;
	r->ts_us = t->ts_us;
	r->latency_us = t->latency_us;
	r->client = t->client;
	r->server = t->server;
	r->type = t->type;
	r->transport = t->transport;
	r->encap = t->encap;
	if (t->type == KN_TXN_DNS) {
		r->code = t->u.dns.rcode;
		r->id = t->u.dns.id;
		r->qtype = t->u.dns.qtype;
		r->ancount = t->u.dns.ancount;
		r->retrans = t->u.dns.retrans;
		r->nanswers = t->u.dns.nanswers;
		r->search_expansion = t->u.dns.search_expansion;
		r->error = t->u.dns.error;
		r->cut = t->u.dns.answers_cut ? KN_RECENT_CUT_ANSWERS : 0;
	} else if (t->type == KN_TXN_HTTP) {
		r->code = t->u.http.status;
		r->minor = t->u.http.minor;
		r->req_bytes = t->u.http.req_bytes;
		r->resp_bytes = t->u.http.resp_bytes;
		r->unmatched = t->u.http.unmatched;
		r->gap = t->u.http.gap;
		r->cut = (t->u.http.path_cut ? KN_RECENT_CUT_PATH : 0) |
			 (t->u.http.host_cut ? KN_RECENT_CUT_HOST : 0);
		if (hd != NULL) {
			r->id = hd->len[0];
			r->ancount = hd->len[1];
			r->retrans =
				(uint16_t)(hd->trunc[0] | hd->trunc[1] << 1 |
					   KN_RECENT_HEADS);
		}
	} else {
		r->code = -1;
		r->qtype = t->u.tls.version;
	}
}

/* Copy what the console's detail view needs into the ring entry: fixed
 * fields and one allocation holding the strings (NUL-separated). */
static void
recent_add(struct kn_capture *cap, const struct kn_txn *t)
{
	struct kn_recent *r = &cap->recent[cap->recent_added % cap->recent_cap];
	char *text = realloc(r->text, kn_recent_text_size(t));

	if (text == NULL)
		return; /* keep the old entry rather than a broken one */
	kn_recent_from_txn(r, t, cap->recent_added, text);
	r->node = cap->adding_node;
	cap->recent_added++;
}

static void
on_txn(void *arg, const struct kn_txn *t)
{
	struct kn_capture *cap = arg;
	struct kn_txn copy;

	/* --anonymize: before statistics, the ring and the names see it. */
	if (cap->anon != NULL) {
		if (cap->anon_heads == NULL)
			cap->anon_heads = malloc(KN_TXN_HEADS_MAX);
		if (cap->anon_text == NULL)
			cap->anon_text = malloc(KN_ANON_TEXT);
		copy = *t;
		kn_anon_txn(cap->anon, &copy, cap->anon_heads, cap->anon_text);
		t = &copy;
	}
	kn_traffic_add(cap->stats, t);
	if (cap->recent != NULL)
		recent_add(cap, t);
	if (cap->sink != NULL)
		cap->sink(cap->sink_arg, t);
}

/* Linux cooked v2 (20-byte header) as cooked v1 (16 bytes) for -w, so
 * that older tcpdump and Wireshark read the file. */
static void
dump_sll2_as_sll1(struct kn_capture *cap, const struct pcap_pkthdr *h,
		  const u_char *b)
{
	struct pcap_pkthdr h1 = *h;
	uint8_t *o = cap->sll1;
	uint32_t caplen = h->caplen;

	if (caplen < 20 || caplen > 65536 + 20)
		return;
	o[0] = 0;
	o[1] = b[10];		 /* packet type */
	memcpy(o + 2, b + 8, 2); /* ARPHRD type */
	o[4] = 0;
	o[5] = b[11] > 8 ? 8 : b[11]; /* address length */
	memcpy(o + 6, b + 12, 8);     /* address */
	memcpy(o + 14, b, 2);	      /* protocol */
	memcpy(o + 16, b + 20, caplen - 20);
	h1.caplen = caplen - 4;
	h1.len = h->len >= 4 ? h->len - 4 : 0;
	kn_writer_put(cap->dump, &h1, o);
}

/* -w: one packet; false when it was not written. */
static bool
dump_packet(void *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct kn_capture *cap = arg;

	if (cap->dump_dead != NULL)
		dump_sll2_as_sll1(cap, h, bytes);
	else
		kn_writer_put(cap->dump, h, bytes);
	return kn_writer_error(cap->dump) == NULL;
}

/* One packet at capture time ts (the demo shifts file time to now). */
static void
packet_at(struct kn_capture *cap, const struct pcap_pkthdr *h,
	  const u_char *bytes, uint64_t ts)
{
	struct kn_pkt pkt;
	enum kn_err e;

	cap->c.packets++;
	cap->c.bytes += h->len;
	if (cap->c.first_ts_us == 0)
		cap->c.first_ts_us = ts;
	cap->c.last_ts_us = ts;
	if (cap->dump != NULL && dump_packet(cap, h, bytes))
		cap->c.written++;
	e = kn_layers_decode(cap->link, bytes, h->caplen, cap->no_decap, &pkt);
	if (kn_reasm_take(cap->reasm, &cap->c, e, ts, cap->no_decap, &pkt, NULL,
			  NULL))
		kn_txn_engine_packet(cap->engine, ts, &pkt);
}

static void
on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	packet_at((struct kn_capture *)user, h, bytes, kn_capture_hdr_ts(h));
}

static bool
map_link(int dlt, enum kn_link *out)
{
	switch (dlt) {
	case DLT_EN10MB:
		*out = KN_LINK_ETHER;
		return true;
	case DLT_LINUX_SLL:
		*out = KN_LINK_SLL;
		return true;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		*out = KN_LINK_SLL2;
		return true;
#endif
	case DLT_RAW:
#if DLT_RAW == 12
	case 14: /* DLT_RAW on OpenBSD: files written there */
#endif
	case 101: /* LINKTYPE_RAW, should libpcap pass it through */
		*out = KN_LINK_RAW;
		return true;
#ifdef DLT_IPV4
	case DLT_IPV4:
		*out = KN_LINK_IPV4;
		return true;
	case DLT_IPV6:
		*out = KN_LINK_IPV6;
		return true;
#endif
	case DLT_NULL:
		*out = KN_LINK_NULL;
		return true;
	case DLT_LOOP:
		*out = KN_LINK_LOOP;
		return true;
	case 239: /* DLT_NFLOG */
		*out = KN_LINK_NFLOG;
		return true;
	case DLT_PPP:
	case 50: /* DLT_PPP_SERIAL */
		*out = KN_LINK_PPP;
		return true;
	case 51: /* DLT_PPP_ETHER */
		*out = KN_LINK_PPPOE;
		return true;
	default:
		return false;
	}
}

/* Log the credentials the process runs with from now on, as the kernel
 * reports them (the privilege-drop test reads this from --log). */
static void
log_credentials(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "Uid:", 4) == 0 ||
		    strncmp(line, "Gid:", 4) == 0 ||
		    strncmp(line, "CapEff:", 7) == 0) {
			line[strcspn(line, "\n")] = '\0';
			kn_info("capture: credentials after open: %s", line);
		}
	fclose(f);
}

/* As tcpdump -Z: once the handle (and -w file) is open, a root process
 * becomes user (default "nobody"), losing every capability. An explicit
 * -Z that cannot be honoured is an error; a missing default user only
 * warns. */
static enum kn_err
drop_privileges(const char *user, bool dflt, char *errbuf)
{
	struct passwd *pw;

	if (geteuid() != 0) {
		log_credentials();
		return KN_OK;
	}
	if (user == NULL)
		user = "nobody";
	if (strlen(user) > KN_CAPTURE_ECHO_MAX)
		return kn_errf(errbuf, KN_ERR_NOTFOUND,
			       "-Z: no such user (a name of %zu bytes)",
			       strlen(user));
	errno = 0;
	pw = getpwnam(user);
	if (pw == NULL) {
		if (dflt) {
			kn_warn("capture: no user '%s' to drop privileges "
				"to; still running as root (use -Z USER)",
				user);
			return KN_OK;
		}
		return kn_errf(errbuf, KN_ERR_NOTFOUND, "-Z %s: no such user",
			       user);
	}
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 ||
	    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0 ||
	    (pw->pw_uid != 0 && setuid(0) == 0))
		return kn_errf(errbuf, KN_ERR_PERM,
			       "-Z %s: cannot drop privileges: %s", user,
			       strerror(errno));
	kn_info("capture: dropped privileges to %s (uid %u)", user,
		(unsigned)pw->pw_uid);
	log_credentials();
	return KN_OK;
}

static void
capture_free(struct kn_capture *cap)
{
	uint32_t i;

	if (cap == NULL)
		return;
	kn_workers_free(cap->workers);
	kn_writer_free(cap->dump);
	if (cap->dump_dead != NULL)
		pcap_close(cap->dump_dead);
	if (cap->live != NULL) {
		for (i = 0; i < cap->nworkers; i++)
			if (cap->live[i] != NULL)
				pcap_close(cap->live[i]);
		cap->pcap = NULL; /* the first of them */
	}
	free(cap->live);
	if (cap->wfd >= 0)
		close(cap->wfd);
	if (cap->pcap != NULL)
		pcap_close(cap->pcap);
	kn_txn_engine_free(cap->engine);
	kn_reasm_free(cap->reasm);
	for (i = 0; cap->recent != NULL && i < cap->recent_cap; i++)
		free(cap->recent[i].text);
	free(cap->recent);
	free(cap->demo_pkt);
	free(cap->anon_heads);
	free(cap->anon_text);
	free(cap->sll1);
	free(cap->filter);
	free(cap->names);
	free(cap->stats);
	kn_intern_free(cap->nodes);
	free(cap);
}

/* The absolute path of this binary, for the setcap advice. */
static const char *
self_path(char *buf, size_t n)
{
	ssize_t r = readlink("/proc/self/exe", buf, n - 1);

	if (r <= 0)
		return "k8snet-top";
	buf[r] = '\0';
	return buf;
}

/* Open interface ifname live: headers-sized snaplen, a kernel buffer for
 * bursts, nonblocking, delivery in blocks. A refusal says what to do.
 *
 * Not immediate mode: libpcap then uses TPACKET_V2, whose ring is made of
 * fixed frames of the snaplen (16 KiB): 64 MiB held 4,000 packets, 40 ms
 * at 100,000 packets/s, and every packet woke the loop. TPACKET_V3 packs
 * packets back to back in blocks (~200 small packets per 32 KiB block,
 * ~1 s at 100,000/s per 16 MiB) and wakes the loop once per full block,
 * or KN_LIVE_TIMEOUT_MS after a block's first packet on a quiet wire:
 * that is the longest a packet waits before the console sees it.
 * *out (the caller closes it, also on failure) gets buffer bytes of
 * kernel ring. */
static enum kn_err
live_handle(const char *ifname, int buffer, pcap_t **out, char *errbuf)
{
	char perr[PCAP_ERRBUF_SIZE] = "", self[PATH_MAX];
	pcap_t *p;
	int r;

	if (strlen(ifname) >= IFNAMSIZ)
		return kn_errf(errbuf, KN_ERR_NOTFOUND,
			       "-i %s: no such interface (names are at most "
			       "%d bytes; ip link lists them, 'any' captures "
			       "on all)",
			       ifname, IFNAMSIZ - 1);
	*out = p = pcap_create(ifname, perr);
	if (p == NULL)
		return kn_errf(errbuf, KN_ERR_IO, "-i %s: %s", ifname, perr);
	if (pcap_set_snaplen(p, KN_LIVE_SNAPLEN) != 0 ||
	    pcap_set_immediate_mode(p, 0) != 0 ||
	    pcap_set_timeout(p, KN_LIVE_TIMEOUT_MS) != 0 ||
	    pcap_set_buffer_size(p, buffer) != 0 || pcap_set_promisc(p, 0) != 0)
		return kn_errf(errbuf, KN_ERR_IO, "-i %s: %s", ifname,
			       pcap_geterr(p));
	r = pcap_activate(p);
	if (r == PCAP_ERROR_PERM_DENIED ||
	    (r < 0 && geteuid() != 0 && r != PCAP_ERROR_NO_SUCH_DEVICE))
		return kn_errf(errbuf, KN_ERR_PERM,
			       "-i %s: capture not permitted (%s). Run as "
			       "root; on a cluster, on the node with "
			       "contrib/k8s/daemonset.yaml; or allow this "
			       "binary to capture: sudo setcap "
			       "cap_net_raw,cap_net_admin=eip %s",
			       ifname, pcap_geterr(p),
			       self_path(self, sizeof(self)));
	if (r == PCAP_ERROR_NO_SUCH_DEVICE)
		return kn_errf(errbuf, KN_ERR_NOTFOUND,
			       "-i %s: no such interface (ip link lists them; "
			       "'any' captures on all)",
			       ifname);
	if (r < 0)
		return kn_errf(errbuf, KN_ERR_IO, "-i %s: %s", ifname,
			       pcap_geterr(p));
	if (r > 0)
		kn_warn("-i %s: %s", ifname, pcap_statustostr(r));
	if (pcap_setnonblock(p, 1, perr) != 0)
		return kn_errf(errbuf, KN_ERR_IO, "-i %s: %s", ifname, perr);
	return KN_OK;
}

static enum kn_err
open_live(struct kn_capture *cap, const char *ifname, char *errbuf)
{
	snprintf(cap->what, sizeof(cap->what), "%s", ifname);
	return live_handle(ifname, KN_LIVE_BUFFER, &cap->pcap, errbuf);
}

/* Live on n workers: n handles sharing the kernel buffer, one fanout
 * group. Where the kernel has no fanout, one handle as without
 * workers. */
static enum kn_err
open_live_workers(struct kn_capture *cap, const char *ifname, unsigned n,
		  bool no_decap, char *errbuf)
{
	char why[KN_ERRBUF];
	enum kn_err e = KN_OK;
	unsigned i;

	snprintf(cap->what, sizeof(cap->what), "%s", ifname);
	cap->live = calloc(n, sizeof(*cap->live));
	if (cap->live == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	cap->nworkers = n;
	for (i = 0; i < n && e == KN_OK; i++)
		e = live_handle(ifname, KN_LIVE_BUFFER / (int)n, &cap->live[i],
				errbuf);
	cap->pcap = cap->live[0];
	if (e != KN_OK)
		return e;
	cap->wfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (cap->wfd < 0)
		return kn_errf(errbuf, KN_ERR_IO, "-i %s: eventfd: %s", ifname,
			       strerror(errno));
	if (kn_workers_fanout(cap->live, n, no_decap, ifname, &cap->join_us,
			      why) == KN_OK)
		return KN_OK;
	kn_warn("%s; decoding on one thread", why);
	for (i = 0; i < n; i++)
		pcap_close(cap->live[i]);
	free(cap->live);
	cap->live = NULL;
	cap->pcap = NULL;
	close(cap->wfd);
	cap->wfd = -1;
	cap->nworkers = 1;
	return open_live(cap, ifname, errbuf);
}

unsigned
kn_capture_default_workers(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 1;
	n = CPU_COUNT(&set);
	if (n > KN_CAPTURE_WORKERS_DEFAULT_MAX)
		n = KN_CAPTURE_WORKERS_DEFAULT_MAX;
	return n > 1 ? (unsigned)n : 1;
}

/* The embedded demo capture read from memory. */
static enum kn_err
open_demo(struct kn_capture *cap, char *errbuf)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	FILE *f;

	if (cap->demo_bytes == NULL) {
		cap->demo_bytes =
			kn_embed_find("demo-traffic.pcap", &cap->demo_len);
		if (cap->demo_bytes == NULL)
			return kn_errf(errbuf, KN_ERR_NOTFOUND,
				       "--demo: no embedded demo capture");
	}
	f = fmemopen((void *)(uintptr_t)cap->demo_bytes, cap->demo_len, "rb");
	if (f == NULL)
		return kn_errf(errbuf, KN_ERR_IO, "--demo: %s",
			       strerror(errno));
	cap->pcap = pcap_fopen_offline_with_tstamp_precision(
		f, PCAP_TSTAMP_PRECISION_MICRO, perr);
	if (cap->pcap == NULL) {
		fclose(f);
		return kn_errf(errbuf, KN_ERR_IO, "--demo: %s", perr);
	}
	snprintf(cap->what, sizeof(cap->what), "demo capture");
	return KN_OK;
}

/* The filter's error with the expression whole; one too long for the
 * message is named by its length instead, never cut. */
static enum kn_err
filter_error(const char *filter, const char *why, char *errbuf)
{
	size_t n = strlen(filter);

	if (n > KN_CAPTURE_ECHO_MAX)
		return kn_errf(errbuf, KN_ERR_INVAL,
			       "-f (an expression of %zu bytes): %s", n, why);
	return kn_errf(errbuf, KN_ERR_INVAL, "-f '%s': %s", filter, why);
}

static enum kn_err
set_filter(struct kn_capture *cap, const char *filter, char *errbuf)
{
	struct bpf_program prog;
	enum kn_err e = KN_OK;
	unsigned i;

	if (filter == NULL)
		return KN_OK;
	cap->filter = strdup(filter);
	if (cap->filter == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	if (pcap_compile(cap->pcap, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) !=
	    0)
		return filter_error(filter, pcap_geterr(cap->pcap), errbuf);
	if (pcap_setfilter(cap->pcap, &prog) != 0)
		e = filter_error(filter, pcap_geterr(cap->pcap), errbuf);
	for (i = 1; e == KN_OK && cap->live != NULL && i < cap->nworkers; i++)
		if (pcap_setfilter(cap->live[i], &prog) != 0)
			e = filter_error(filter, pcap_geterr(cap->live[i]),
					 errbuf);
	pcap_freecode(&prog);
	return e;
}

/* -w: the input's link type, except cooked v2 which is written as v1. */
static enum kn_err
open_writer(struct kn_capture *cap, const char *path, int dlt, char *errbuf)
{
	pcap_t *src = cap->pcap;

#ifdef DLT_LINUX_SLL2
	if (dlt == DLT_LINUX_SLL2) {
		cap->dump_dead = pcap_open_dead_with_tstamp_precision(
			DLT_LINUX_SLL, 65535, PCAP_TSTAMP_PRECISION_MICRO);
		cap->sll1 = malloc(65536 + 20);
		if (cap->dump_dead == NULL || cap->sll1 == NULL)
			return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
		src = cap->dump_dead;
	}
#endif
	return kn_writer_open(src, path, &cap->dump, errbuf);
}

static struct kn_capture *
capture_alloc(const struct kn_capture_config *cfg)
{
	struct kn_capture *cap = calloc(1, sizeof(*cap));

	if (cap == NULL)
		return NULL;
	cap->stats = calloc(1, sizeof(*cap->stats));
	cap->names = calloc(KN_NAMECACHE * 2, sizeof(*cap->names));
	if (cap->stats == NULL || cap->names == NULL) {
		capture_free(cap);
		return NULL;
	}
	cap->no_decap = cfg->no_decap;
	cap->wfd = -1;
	return cap;
}

static unsigned
workers(const struct kn_capture_config *cfg)
{
	return cfg->workers > KN_CAPTURE_WORKERS_MAX ? KN_CAPTURE_WORKERS_MAX
						     : cfg->workers;
}

/* The source cfg chooses: live, a file (read at full speed or paced) or
 * the demo (looping when paced, else read once as a file). */
static enum kn_err
open_source(struct kn_capture *cap, const struct kn_capture_config *cfg,
	    char *errbuf)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	size_t n;

	if (cfg->interface != NULL && workers(cfg) > 1)
		return open_live_workers(cap, cfg->interface, workers(cfg),
					 cfg->no_decap, errbuf);
	if (cfg->interface != NULL)
		return open_live(cap, cfg->interface, errbuf);
	if (cfg->read_file != NULL) {
		if (strlen(cfg->read_file) >= PATH_MAX)
			return kn_errf(errbuf, KN_ERR_INVAL,
				       "-r: a path of %zu bytes is longer "
				       "than the system takes (%d)",
				       strlen(cfg->read_file), PATH_MAX - 1);
		/* --replay: paced like the demo, so transactions complete
		 * as they would have live (and are passed on as they do). */
		cap->replay = cfg->paced;
		cap->file = !cap->replay;
		cap->ordered = !cap->replay;
		cap->nworkers = cap->file ? workers(cfg) : 1;
		snprintf(cap->what, sizeof(cap->what), "%s", cfg->read_file);
		cap->pcap = pcap_open_offline_with_tstamp_precision(
			cfg->read_file, PCAP_TSTAMP_PRECISION_MICRO, perr);
		if (cap->pcap != NULL)
			return KN_OK;
		/* libpcap names the file when it cannot open it */
		n = strlen(cfg->read_file);
		return kn_errf(errbuf, KN_ERR_IO, "-r %s: %s", cfg->read_file,
			       strncmp(perr, cfg->read_file, n) == 0 &&
					       strncmp(perr + n, ": ", 2) == 0
				       ? perr + n + 2
				       : perr);
	}
	cap->demo = cfg->paced;
	cap->file = !cfg->paced;
	cap->ordered = !cfg->paced;
	cap->nworkers = cap->file ? workers(cfg) : 1;
	return open_demo(cap, errbuf);
}

/* Filter, -w and the privilege drop, once the source is open. */
static enum kn_err
open_rest(struct kn_capture *cap, const struct kn_capture_config *cfg,
	  const char *filter, char *errbuf)
{
	enum kn_err e;
	int dlt;

	dlt = pcap_datalink(cap->pcap);
	if (!map_link(dlt, &cap->link)) {
		const char *n = pcap_datalink_val_to_name(dlt);

		return kn_errf(errbuf, KN_ERR_UNSUPPORTED,
			       "%s: link type %s (%d, %s) is not supported: "
			       "k8snet-top reads Ethernet, Linux cooked (-i "
			       "any), raw IP, loopback, NFLOG, PPP and PPPoE; "
			       "capture again with -i any or on an Ethernet "
			       "interface",
			       cap->what, n ? n : "unknown", dlt,
			       n ? pcap_datalink_val_to_description(dlt)
				 : "no name libpcap knows");
	}
	e = set_filter(cap, filter, errbuf);
	if (e == KN_OK && cfg->write_file != NULL)
		e = open_writer(cap, cfg->write_file, dlt, errbuf);
	/* Root gives up its privileges once the live handle is open (from
	 * a file, only when -Z asks). */
	if (e == KN_OK && (cfg->interface != NULL || cfg->drop_user != NULL)) {
		if (cfg->before_drop != NULL && geteuid() == 0)
			cfg->before_drop(cfg->before_drop_arg);
		e = drop_privileges(cfg->drop_user, cfg->drop_user == NULL,
				    errbuf);
	}
	return e;
}

enum kn_err
kn_capture_open(const struct kn_capture_config *cfg, struct kn_capture **out,
		char *errbuf)
{
	struct kn_capture *cap;
	const char *filter = cfg->filter;
	enum kn_err e;

	*out = NULL;
	if (cfg->interface == NULL && cfg->read_file == NULL && !cfg->demo)
		return KN_OK;
	cap = capture_alloc(cfg);
	if (cap == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	if (cfg->interface != NULL && filter == NULL)
		filter = KN_CAPTURE_DEFAULT_FILTER;
	e = open_source(cap, cfg, errbuf);
	if (e == KN_OK)
		e = open_rest(cap, cfg, filter, errbuf);
	if (e != KN_OK) {
		capture_free(cap);
		return e;
	}
	if (cfg->interface != NULL)
		kn_info("capture: live on %s, filter '%s', snaplen %d, "
			"buffer %d MiB, %u worker%s",
			cfg->interface, filter, KN_LIVE_SNAPLEN,
			KN_LIVE_BUFFER >> 20,
			cap->nworkers > 1 ? cap->nworkers : 1,
			cap->nworkers > 1 ? "s" : "");
	cap->anon = cfg->anon;
	*out = cap;
	return KN_OK;
}

enum kn_err
kn_capture_open_agents(struct kn_capture **out, char *errbuf)
{
	static const struct kn_capture_config none = {.interface = NULL};

	*out = capture_alloc(&none);
	if (*out == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	(*out)->agents = true;
	(*out)->nodes = kn_intern_new();
	snprintf((*out)->what, sizeof((*out)->what), "node agents");
	return KN_OK;
}

bool
kn_capture_is_agents(const struct kn_capture *cap)
{
	return cap->agents;
}

void
kn_capture_add_txn(struct kn_capture *cap, const struct kn_txn *t,
		   const char *node)
{
	if (cap->nodes == NULL)
		cap->nodes = kn_intern_new();
	cap->adding_node = node != NULL ? kn_intern(cap->nodes, node) : NULL;
	on_txn(cap, t);
	cap->adding_node = NULL;
}

void
kn_capture_close(struct kn_capture *cap)
{
	struct kn_capture_drops d;

	/* As tcpdump says at exit, for --log (and the load benchmark). */
	if (cap != NULL) {
		kn_capture_drops(cap, &d);
		if (d.live)
			kn_info("capture: %s: %llu packets received, %llu "
				"dropped by the kernel, %llu by the "
				"interface, %llu evicted",
				cap->what, (unsigned long long)d.received,
				(unsigned long long)d.kernel,
				(unsigned long long)d.interface,
				(unsigned long long)d.evicted);
	}
	capture_free(cap);
}

/* Not network interfaces: the monitors libpcap also lists. */
static bool
iface_listed(const char *name)
{
	return strncmp(name, "nf", 2) != 0 && strncmp(name, "usbmon", 6) != 0 &&
	       strcmp(name, "bluetooth-monitor") != 0 &&
	       strncmp(name, "dbus", 4) != 0;
}

static void
iface_fill(struct kn_capture_iface *f, const pcap_if_t *d)
{
	const pcap_addr_t *pa;
	struct kn_ipaddr *ip;

	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", d->name);
	snprintf(f->description, sizeof(f->description), "%s",
		 d->description != NULL ? d->description : "");
	f->up = (d->flags & PCAP_IF_UP) != 0;
	for (pa = d->addresses; pa != NULL && f->naddrs < KN_CAPTURE_IF_ADDRS;
	     pa = pa->next) {
		if (pa->addr == NULL)
			continue;
		ip = &f->addrs[f->naddrs];
		if (pa->addr->sa_family == AF_INET) {
			ip->family = 4;
			memcpy(ip->addr,
			       &((struct sockaddr_in *)(void *)pa->addr)
					->sin_addr,
			       4);
		} else if (pa->addr->sa_family == AF_INET6) {
			ip->family = 6;
			memcpy(ip->addr,
			       &((struct sockaddr_in6 *)(void *)pa->addr)
					->sin6_addr,
			       16);
		} else {
			continue;
		}
		f->naddrs++;
	}
}

enum kn_err
kn_capture_interfaces(size_t max, struct kn_capture_iface **out, size_t *n,
		      char *errbuf)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_if_t *all = NULL, *d;
	struct kn_capture_iface *v;

	*out = NULL;
	*n = 0;
	if (pcap_findalldevs(&all, perr) != 0)
		return kn_errf(errbuf, KN_ERR_IO, "%s", perr);
	v = calloc(max > 0 ? max : 1, sizeof(*v));
	if (v == NULL) {
		pcap_freealldevs(all);
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	}
	for (d = all; d != NULL && *n < max; d = d->next)
		if (iface_listed(d->name))
			iface_fill(&v[(*n)++], d);
	pcap_freealldevs(all);
	*out = v;
	return KN_OK;
}

void
kn_capture_set_namer(struct kn_capture *cap, kn_ip_namer fn, void *arg)
{
	cap->namer = fn;
	cap->namer_arg = arg;
	memset(cap->names, 0, KN_NAMECACHE * 2 * sizeof(*cap->names));
	cap->nnames = 0;
	cap->namer_sets++;
}

uint64_t
kn_capture_names_version(const struct kn_capture *cap)
{
	return cap->namer_sets;
}

void
kn_capture_set_sink(struct kn_capture *cap, kn_txn_sink sink, void *arg,
		    bool ordered, bool want_answers)
{
	cap->sink = sink;
	cap->sink_arg = arg;
	cap->ordered = ordered;
	cap->want_answers = want_answers;
}

/* The workers take over the file or the live handles at the first
 * dispatch, once the sink and the recent ring are known. */
static enum kn_err
start_workers(struct kn_capture *cap, char *errbuf)
{
	struct kn_workers_config wc;
	enum kn_err e;

	memset(&wc, 0, sizeof(wc));
	wc.n = cap->nworkers;
	wc.link = cap->link;
	wc.no_decap = cap->no_decap;
	wc.want_answers = cap->want_answers;
	/* Nobody wants them one by one: each worker keeps statistics. */
	wc.keep_stats =
		cap->sink == NULL && cap->recent == NULL && cap->anon == NULL;
	wc.what = cap->what;
	if (cap->file) {
		wc.file = cap->pcap;
		wc.filter = cap->filter;
	} else {
		wc.live = cap->live;
		wc.join_us = cap->join_us;
		wc.efd = cap->wfd;
	}
	if (cap->dump != NULL) {
		wc.write = dump_packet;
		wc.write_arg = cap;
	}
	wc.sink = on_txn;
	wc.sink_arg = cap;
	e = kn_workers_new(&wc, &cap->workers, errbuf);
	if (e == KN_OK && !cap->file) {
		free(cap->live); /* the handles are the workers' now */
		cap->live = NULL;
		cap->pcap = NULL;
	}
	return e;
}

static enum kn_err
ensure_engine(struct kn_capture *cap, char *errbuf)
{
	struct kn_txn_config cfg;

	if (cap->engine != NULL || cap->workers != NULL)
		return KN_OK;
	if (cap->nworkers > 1)
		return start_workers(cap, errbuf);
	if (cap->reasm == NULL)
		cap->reasm = kn_reasm_new(NULL);
	if (cap->reasm == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	memset(&cfg, 0, sizeof(cfg));
	cfg.ordered = cap->ordered;
	cfg.want_answers = cap->want_answers;
	/* Only statistics see the transactions: heads would go unread. */
	cfg.no_heads =
		cap->sink == NULL && cap->recent == NULL && cap->anon == NULL;
	return kn_txn_engine_new(&cfg, on_txn, cap, &cap->engine, errbuf);
}

static uint64_t
wall_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

/* When the held packet is due, in wall-clock microseconds. */
static uint64_t
paced_due_us(const struct kn_capture *cap)
{
	return (uint64_t)((int64_t)kn_capture_hdr_ts(&cap->demo_h) +
			  cap->demo_shift_us);
}

/* Read the next demo packet into demo_h/demo_pkt; at the end of the file
 * start it again, shifted past the last round (plus a second). */
static bool
demo_read(struct kn_capture *cap, char *errbuf)
{
	char why[KN_ERRBUF];
	struct pcap_pkthdr *h;
	const u_char *b;
	uint64_t ts;
	int r, tries;

	for (tries = 0; tries < 2; tries++) {
		r = pcap_next_ex(cap->pcap, &h, &b);
		if (r == PCAP_ERROR_BREAK && cap->replay) {
			/* the end: finished as a file read is */
			kn_capture_finish(cap);
			return false;
		}
		if (r == 1) {
			ts = kn_capture_hdr_ts(h);
			if (cap->demo_first_us == 0) {
				cap->demo_first_us = ts;
				cap->demo_shift_us =
					(int64_t)wall_us() - (int64_t)ts;
			}
			if (ts > cap->demo_last_us)
				cap->demo_last_us = ts;
			if (cap->demo_pkt == NULL)
				cap->demo_pkt = malloc(KN_PACED_MAX);
			if (cap->demo_pkt == NULL)
				return false;
			cap->demo_h = *h;
			if (cap->demo_h.caplen > KN_PACED_MAX)
				cap->demo_h.caplen = KN_PACED_MAX;
			memcpy(cap->demo_pkt, b, cap->demo_h.caplen);
			cap->demo_have = true;
			return true;
		}
		if (r != PCAP_ERROR_BREAK || cap->demo_first_us == 0)
			break;
		pcap_close(cap->pcap);
		cap->pcap = NULL;
		if (open_demo(cap, errbuf) != KN_OK)
			return false;
		cap->demo_shift_us +=
			(int64_t)(cap->demo_last_us - cap->demo_first_us) +
			1000000;
		cap->demo_loops++;
	}
	if (r == PCAP_ERROR)
		kn_errf(errbuf, KN_ERR_IO, "%s: %s", cap->what,
			kn_pcap_read_why(pcap_geterr(cap->pcap), cap->what, why,
					 sizeof(why)));
	else
		kn_errf(errbuf, KN_ERR_IO, "%s: unreadable", cap->what);
	return false;
}

/* Replay the demo (or --replay) packets that are due by now (at most
 * max). The demo's packets take their due time; --replay's keep their
 * own. */
static int
demo_dispatch(struct kn_capture *cap, int max, char *errbuf)
{
	uint64_t now = wall_us(), ts;
	int n = 0;

	while (n < max) {
		if (!cap->demo_have && !demo_read(cap, errbuf))
			return cap->eof ? n : -1;
		ts = paced_due_us(cap);
		if (ts > now)
			break;
		cap->demo_have = false;
		if (cap->replay)
			ts = (uint64_t)((int64_t)ts - cap->demo_shift_us);
		packet_at(cap, &cap->demo_h, cap->demo_pkt, ts);
		n++;
	}
	return n;
}

int64_t
kn_capture_due_ms(const struct kn_capture *cap)
{
	uint64_t ts, now;

	if (!(cap->demo || cap->replay) || cap->eof)
		return -1;
	if (!cap->demo_have)
		return 0;
	ts = paced_due_us(cap);
	now = wall_us();
	return ts > now ? (int64_t)((ts - now + 999) / 1000) : 0;
}

/* The workers are through: their counters and statistics are the
 * capture's, the -w file complete. */
static void
workers_end(struct kn_capture *cap)
{
	kn_workers_finish(cap->workers);
	kn_workers_log_shares(cap->workers);
	kn_workers_counters(cap->workers, &cap->c, &cap->wtc);
	if (cap->sink == NULL && cap->recent == NULL && cap->anon == NULL &&
	    !kn_workers_stats(cap->workers, cap->stats))
		kn_warn("capture: out of memory merging the workers' "
			"statistics; names, endpoints and codes are missing");
}

static int
workers_dispatch(struct kn_capture *cap, char *errbuf)
{
	int n = kn_workers_dispatch(cap->workers, errbuf);

	kn_workers_counters(cap->workers, &cap->c, &cap->wtc);
	if (n < 0 && !cap->file)
		snprintf(cap->stopped, sizeof(cap->stopped), "%s", errbuf);
	if (n == 0 && cap->file) {
		cap->eof = true;
		workers_end(cap);
		if (cap->dump != NULL)
			kn_writer_flush(cap->dump);
	}
	return n;
}

int
kn_capture_dispatch(struct kn_capture *cap, int max, char *errbuf)
{
	char why[KN_ERRBUF];
	int n;

	if (kn_capture_is_agents(cap))
		return 0; /* nothing of its own to read */
	if (ensure_engine(cap, errbuf) != KN_OK)
		return -1;
	if (cap->eof)
		return 0;
	if (cap->workers != NULL) {
		if (cap->stopped[0] != '\0') {
			kn_errf(errbuf, KN_ERR_IO, "%s", cap->stopped);
			return -1;
		}
		return workers_dispatch(cap, errbuf);
	}
	if (cap->demo || cap->replay)
		return demo_dispatch(cap, max, errbuf);
	if (cap->stopped[0] != '\0') {
		kn_errf(errbuf, KN_ERR_IO, "%s", cap->stopped);
		return -1;
	}
	n = pcap_dispatch(cap->pcap, max, on_packet, (u_char *)cap);
	if (n == PCAP_ERROR && !cap->file) {
		/* The interface went away (or down): what was captured stays
		 * and the console says so until it quits. */
		snprintf(cap->stopped, sizeof(cap->stopped),
			 "capture on %s stopped: %s", cap->what,
			 pcap_geterr(cap->pcap));
		kn_errf(errbuf, KN_ERR_IO, "%s", cap->stopped);
		return -1;
	}
	if (n == PCAP_ERROR) {
		kn_errf(errbuf, KN_ERR_IO, "%s: %s", cap->what,
			kn_pcap_read_why(pcap_geterr(cap->pcap), cap->what, why,
					 sizeof(why)));
		return -1;
	}
	if (n == 0 && cap->file) {
		cap->eof = true;
		kn_reasm_finish(cap->reasm, &cap->c);
		kn_txn_engine_finish(cap->engine);
		if (cap->dump != NULL)
			kn_writer_flush(cap->dump);
	}
	if (n < 0)
		n = 0;
	return n;
}

bool
kn_capture_at_end(const struct kn_capture *cap)
{
	return cap->eof;
}

void
kn_capture_break(struct kn_capture *cap)
{
	/* Workers are never in the loop's dispatch long: nothing to do. */
	if (cap->pcap != NULL && cap->workers == NULL)
		pcap_breakloop(cap->pcap);
}

uint64_t
kn_capture_now_us(void)
{
	return wall_us();
}

void
kn_capture_drops(struct kn_capture *cap, struct kn_capture_drops *d)
{
	const struct kn_txn_counters *tc = kn_capture_txn_counters(cap);
	struct pcap_stat ps;

	memset(d, 0, sizeof(*d));
	if (cap->workers != NULL && kn_workers_pcap_stats(cap->workers, &ps)) {
		d->received = ps.ps_recv;
		d->kernel = ps.ps_drop;
		d->interface = ps.ps_ifdrop;
		d->live = true;
	} else if (cap->workers == NULL && !cap->file && !cap->demo &&
		   cap->pcap != NULL && pcap_stats(cap->pcap, &ps) == 0) {
		d->received = ps.ps_recv;
		d->kernel = ps.ps_drop;
		d->interface = ps.ps_ifdrop;
		d->live = true;
	}
	if (tc != NULL)
		d->evicted = tc->flows_evicted + tc->pending_evicted +
			     tc->ring_forced + tc->tcp_nobuf;
	if (cap->workers != NULL)
		d->evicted += kn_workers_queue_dropped(cap->workers);
	d->endpoints = cap->stats->eps_dropped;
}

const char *
kn_capture_what(const struct kn_capture *cap)
{
	return cap->what;
}

const char *
kn_capture_stopped(const struct kn_capture *cap)
{
	return cap->stopped[0] != '\0' ? cap->stopped : NULL;
}

struct write_error {
	const struct kn_capture *cap;
	const char *err;
};

static void
read_write_error(void *arg)
{
	struct write_error *we = arg;

	we->err = kn_writer_error(we->cap->dump);
}

const char *
kn_capture_write_error(const struct kn_capture *cap)
{
	struct write_error we = {cap, NULL};

	if (cap->dump == NULL)
		return NULL;
	/* Workers write while they run; the message, once set, stays. */
	if (cap->workers != NULL)
		kn_workers_with_writer(cap->workers, read_write_error, &we);
	else
		read_write_error(&we);
	return we.err;
}

const char *
kn_capture_filter(const struct kn_capture *cap)
{
	return cap->filter != NULL ? cap->filter : "";
}

bool
kn_capture_is_demo(const struct kn_capture *cap)
{
	return cap->demo;
}

bool
kn_capture_is_replay(const struct kn_capture *cap)
{
	return cap->replay;
}

enum kn_err
kn_capture_keep_recent(struct kn_capture *cap, uint32_t n, char *errbuf)
{
	if (cap->recent != NULL || n == 0)
		return KN_OK;
	cap->recent = calloc(n, sizeof(*cap->recent));
	if (cap->recent == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	cap->recent_cap = n;
	return KN_OK;
}

uint64_t
kn_capture_recent_added(const struct kn_capture *cap)
{
	return cap->recent_added;
}

const struct kn_recent *
kn_capture_recent(const struct kn_capture *cap, uint64_t seq)
{
	const struct kn_recent *r;

	if (cap->recent == NULL || seq >= cap->recent_added ||
	    cap->recent_added - seq > cap->recent_cap)
		return NULL;
	r = &cap->recent[seq % cap->recent_cap];
	return r->seq == seq && r->text != NULL ? r : NULL;
}

/* Past the strings (and an HTTP entry's heads). */
static const char *
recent_tail(const struct kn_recent *r)
{
	const char *p = r->text + r->s[2];

	p += strlen(p) + 1;
	if (r->type == KN_TXN_HTTP)
		p += (size_t)r->id + r->ancount;
	return p;
}

const char *
kn_recent_head(const struct kn_recent *r, int dir, size_t *len, bool *trunc)
{
	const char *p;

	*len = 0;
	*trunc = false;
	if (r->type != KN_TXN_HTTP || r->text == NULL)
		return "";
	p = r->text + r->s[2];
	p += strlen(p) + 1;
	*len = dir == 0 ? r->id : r->ancount;
	*trunc = (r->retrans >> (dir != 0)) & 1;
	return dir == 0 ? p : p + r->id;
}

bool
kn_recent_heads_kept(const struct kn_recent *r)
{
	return r->type == KN_TXN_HTTP && (r->retrans & KN_RECENT_HEADS) != 0;
}

bool
kn_recent_outer(const struct kn_recent *r, struct kn_ipaddr *client,
		struct kn_ipaddr *server)
{
	const char *p;

	memset(client, 0, sizeof(*client));
	memset(server, 0, sizeof(*server));
	if (r->encap == 0 || r->text == NULL)
		return false;
	p = recent_tail(r);
	memcpy(client, p, sizeof(*client));
	memcpy(server, p + sizeof(*client), sizeof(*server));
	return true;
}

uint64_t
kn_capture_recent_oldest(const struct kn_capture *cap)
{
	if (cap->recent_added <= cap->recent_cap)
		return 0;
	return cap->recent_added - cap->recent_cap;
}

/* A live handle hands over its last block when the block is full or its
 * timeout expires: wait that long once more (bounded) so that what was on
 * the wire before the stop is decoded too. */
static void
live_drain(struct kn_capture *cap)
{
	struct pollfd pfd;
	uint64_t end = wall_us() + 4 * KN_LIVE_TIMEOUT_MS * 1000;
	int n;

	pfd.fd = pcap_get_selectable_fd(cap->pcap);
	pfd.events = POLLIN;
	while (pfd.fd >= 0 && wall_us() < end) {
		n = pcap_dispatch(cap->pcap, -1, on_packet, (u_char *)cap);
		if (n > 0 || n == PCAP_ERROR_BREAK) /* the stop's breakloop */
			continue;
		if (n < 0 || poll(&pfd, 1, 2 * KN_LIVE_TIMEOUT_MS) <= 0)
			break;
	}
}

void
kn_capture_finish(struct kn_capture *cap)
{
	if (cap->workers != NULL && !cap->eof) {
		cap->eof = true;
		workers_end(cap);
	}
	if (cap->engine != NULL && !cap->eof) {
		if (!cap->file && !cap->demo && !cap->replay &&
		    cap->pcap != NULL && cap->stopped[0] == '\0')
			live_drain(cap);
		cap->eof = true;
		kn_reasm_finish(cap->reasm, &cap->c);
		kn_txn_engine_finish(cap->engine);
	}
	if (cap->dump != NULL)
		kn_writer_flush(cap->dump);
}

void
kn_capture_tick(struct kn_capture *cap, uint64_t now_us)
{
	if (cap->nworkers > 1)
		return; /* live workers tick themselves; a file has no clock */
	/* --replay runs on the file's clock: now there is wall time less
	 * the shift (none before its first packet). */
	if (cap->replay) {
		if (cap->demo_first_us == 0)
			return;
		now_us = (uint64_t)((int64_t)now_us - cap->demo_shift_us);
	}
	if (cap->engine != NULL)
		kn_txn_engine_tick(cap->engine, now_us);
}

int
kn_capture_fd(const struct kn_capture *cap)
{
	if (cap->file || cap->demo || cap->replay || kn_capture_is_agents(cap))
		return -1;
	return cap->nworkers > 1 ? cap->wfd : pcap_get_selectable_fd(cap->pcap);
}

bool
kn_capture_is_file(const struct kn_capture *cap)
{
	return cap->file;
}

bool
kn_capture_in_ns(struct kn_capture *cap, const struct kn_ipaddr *ip,
		 const char *ns)
{
	const char *name = kn_capture_name(cap, ip);
	size_t l = strlen(ns);

	return name != NULL && strncmp(name, ns, l) == 0 && name[l] == '/';
}

const char *
kn_capture_name(struct kn_capture *cap, const struct kn_ipaddr *ip)
{
	uint32_t i, cap2 = KN_NAMECACHE * 2;
	struct name_entry *n;
	const char *r;

	if (cap->namer == NULL)
		return NULL;
	for (i = (uint32_t)(kn_ipaddr_hash(ip) % cap2); cap->names[i].used;
	     i = (i + 1) % cap2)
		if (kn_ipaddr_eq(&cap->names[i].ip, ip))
			return cap->names[i].known ? cap->names[i].name : NULL;
	if (cap->nnames >= KN_NAMECACHE) {
		r = cap->namer(cap->namer_arg, ip, cap->scratch,
			       sizeof(cap->scratch));
		return r;
	}
	n = &cap->names[i];
	n->used = true;
	n->ip = *ip;
	r = cap->namer(cap->namer_arg, ip, n->name, sizeof(n->name));
	n->known = r != NULL;
	if (r != NULL && r != n->name)
		snprintf(n->name, sizeof(n->name), "%s", r);
	cap->nnames++;
	return n->known ? n->name : NULL;
}

const struct kn_capture_counters *
kn_capture_counters(const struct kn_capture *cap)
{
	return &cap->c;
}

const struct kn_txn_counters *
kn_capture_txn_counters(const struct kn_capture *cap)
{
	if (cap->workers != NULL)
		return &cap->wtc;
	return cap->engine ? kn_txn_engine_counters(cap->engine) : NULL;
}

const struct kn_traffic_stats *
kn_capture_stats(const struct kn_capture *cap)
{
	return cap->stats;
}
