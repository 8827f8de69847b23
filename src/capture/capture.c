/* The capture source: libpcap (file or live) with an optional BPF filter
 * and pcap writer, link-type mapping, layer decoding and the transaction
 * engine, plus the cached naming of addresses. */
#include <grp.h>
#include <pcap/pcap.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "k8snet/capture.h"
#include "k8snet/layers.h"
#include "k8snet/log.h"

#define KN_NAMECACHE 8192 /* addresses whose names are cached */
#define KN_NAMELEN 128

struct name_entry {
	struct kn_ipaddr ip;
	bool used, known;
	char name[KN_NAMELEN];
};

struct kn_capture {
	pcap_t *pcap;
	pcap_dumper_t *dump;
	enum kn_link link;
	bool file, no_decap, eof;
	char what[256]; /* file or interface, for messages */

	struct kn_txn_engine *engine;
	bool ordered, want_answers;
	kn_txn_sink sink;
	void *sink_arg;

	kn_ip_namer namer;
	void *namer_arg;
	struct name_entry *names;
	uint32_t nnames;
	char scratch[KN_NAMELEN];

	struct kn_capture_counters c;
	struct kn_traffic_stats *stats;
};

static void
on_txn(void *arg, const struct kn_txn *t)
{
	struct kn_capture *cap = arg;

	kn_traffic_add(cap->stats, t);
	if (cap->sink != NULL)
		cap->sink(cap->sink_arg, t);
}

static void
on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct kn_capture *cap = (struct kn_capture *)user;
	struct kn_pkt pkt;
	enum kn_err e;
	uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u +
		      (uint64_t)h->ts.tv_usec;

	cap->c.packets++;
	cap->c.bytes += h->len;
	if (cap->c.first_ts_us == 0)
		cap->c.first_ts_us = ts;
	cap->c.last_ts_us = ts;
	if (cap->dump != NULL) {
		pcap_dump((u_char *)cap->dump, h, bytes);
		cap->c.written++;
	}
	e = kn_layers_decode(cap->link, bytes, h->caplen, cap->no_decap, &pkt);
	switch (e) {
	case KN_OK:
		break;
	case KN_ERR_TRUNC:
		cap->c.truncated++;
		return;
	case KN_ERR_PARSE:
		cap->c.malformed++;
		return;
	default:
		if (pkt.frag)
			cap->c.fragments++;
		else
			cap->c.other++;
		return;
	}
	cap->c.decoded++;
	if (pkt.encap)
		cap->c.encapsulated++;
	kn_txn_engine_packet(cap->engine, ts, &pkt);
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
	default:
		return false;
	}
}

static enum kn_err
drop_privileges(const char *user, char *errbuf)
{
	struct passwd *pw;

	if (user == NULL || geteuid() != 0)
		return KN_OK;
	pw = getpwnam(user);
	if (pw == NULL)
		return kn_errf(errbuf, KN_ERR_NOTFOUND,
			       "-Z %s: no such user", user);
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 ||
	    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
		return kn_errf(errbuf, KN_ERR_PERM,
			       "-Z %s: cannot drop privileges", user);
	return KN_OK;
}

static void
capture_free(struct kn_capture *cap)
{
	if (cap == NULL)
		return;
	if (cap->dump != NULL)
		pcap_dump_close(cap->dump);
	if (cap->pcap != NULL)
		pcap_close(cap->pcap);
	kn_txn_engine_free(cap->engine);
	free(cap->names);
	free(cap->stats);
	free(cap);
}

enum kn_err
kn_capture_start(struct kn_app *app, char *errbuf)
{
	const struct kn_opts *o = &app->opts;
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct kn_capture *cap;
	struct bpf_program prog;
	const char *filter = o->filter;
	enum kn_err e;
	int dlt;

	app->capture = NULL;
	if (o->read_file == NULL && o->interface == NULL)
		return KN_OK;
	cap = calloc(1, sizeof(*cap));
	if (cap == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	cap->stats = calloc(1, sizeof(*cap->stats));
	cap->names = calloc(KN_NAMECACHE * 2, sizeof(*cap->names));
	if (cap->stats == NULL || cap->names == NULL) {
		capture_free(cap);
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	}
	cap->no_decap = o->no_decap;
	if (o->read_file != NULL) {
		cap->file = true;
		cap->ordered = true;
		snprintf(cap->what, sizeof(cap->what), "%s", o->read_file);
		cap->pcap = pcap_open_offline_with_tstamp_precision(
			o->read_file, PCAP_TSTAMP_PRECISION_MICRO, perr);
		if (cap->pcap == NULL) {
			capture_free(cap);
			return kn_errf(errbuf, KN_ERR_IO, "-r %s: %s",
				       o->read_file, perr);
		}
	} else {
		snprintf(cap->what, sizeof(cap->what), "%s", o->interface);
		cap->pcap = pcap_create(o->interface, perr);
		if (cap->pcap == NULL ||
		    pcap_set_snaplen(cap->pcap, 262144) != 0 ||
		    pcap_set_immediate_mode(cap->pcap, 1) != 0 ||
		    pcap_set_buffer_size(cap->pcap, 8 << 20) != 0 ||
		    pcap_activate(cap->pcap) < 0) {
			e = kn_errf(errbuf, KN_ERR_PERM,
				    "-i %s: %s (capture needs root or "
				    "CAP_NET_RAW)", o->interface,
				    cap->pcap ? pcap_geterr(cap->pcap) : perr);
			capture_free(cap);
			return e;
		}
		if (pcap_setnonblock(cap->pcap, 1, perr) != 0) {
			capture_free(cap);
			return kn_errf(errbuf, KN_ERR_IO, "-i %s: %s",
				       o->interface, perr);
		}
		/* Live default: DNS, HTTP/TLS (any TCP) and the overlays. */
		if (filter == NULL)
			filter = "tcp or udp port 53 or udp port 4789 or "
				 "udp port 8472 or udp port 6081 or ip proto 4";
	}
	dlt = pcap_datalink(cap->pcap);
	if (!map_link(dlt, &cap->link)) {
		const char *n = pcap_datalink_val_to_name(dlt);

		capture_free(cap);
		return kn_errf(errbuf, KN_ERR_UNSUPPORTED,
			       "%s: link type %s (%d) is not supported",
			       o->read_file ? o->read_file : o->interface,
			       n ? n : "unknown", dlt);
	}
	if (filter != NULL) {
		if (pcap_compile(cap->pcap, &prog, filter, 1,
				 PCAP_NETMASK_UNKNOWN) != 0) {
			e = kn_errf(errbuf, KN_ERR_INVAL,
				    "-f '%s': %s", filter,
				    pcap_geterr(cap->pcap));
			capture_free(cap);
			return e;
		}
		if (pcap_setfilter(cap->pcap, &prog) != 0) {
			e = kn_errf(errbuf, KN_ERR_INVAL, "-f '%s': %s",
				    filter, pcap_geterr(cap->pcap));
			pcap_freecode(&prog);
			capture_free(cap);
			return e;
		}
		pcap_freecode(&prog);
	}
	if (o->write_file != NULL) {
		cap->dump = pcap_dump_open(cap->pcap, o->write_file);
		if (cap->dump == NULL) {
			e = kn_errf(errbuf, KN_ERR_IO, "-w %s: %s",
				    o->write_file, pcap_geterr(cap->pcap));
			capture_free(cap);
			return e;
		}
	}
	e = drop_privileges(o->drop_user, errbuf);
	if (e != KN_OK) {
		capture_free(cap);
		return e;
	}
	app->capture = cap;
	return KN_OK;
}

void
kn_capture_stop(struct kn_app *app)
{
	capture_free(app->capture);
	app->capture = NULL;
}

void
kn_capture_set_namer(struct kn_capture *cap, kn_ip_namer fn, void *arg)
{
	cap->namer = fn;
	cap->namer_arg = arg;
	memset(cap->names, 0, KN_NAMECACHE * 2 * sizeof(*cap->names));
	cap->nnames = 0;
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

static enum kn_err
ensure_engine(struct kn_capture *cap, char *errbuf)
{
	struct kn_txn_config cfg;

	if (cap->engine != NULL)
		return KN_OK;
	memset(&cfg, 0, sizeof(cfg));
	cfg.ordered = cap->ordered;
	cfg.want_answers = cap->want_answers;
	return kn_txn_engine_new(&cfg, on_txn, cap, &cap->engine, errbuf);
}

int
kn_capture_dispatch(struct kn_capture *cap, int max, char *errbuf)
{
	int n;

	if (ensure_engine(cap, errbuf) != KN_OK)
		return -1;
	if (cap->eof)
		return 0;
	n = pcap_dispatch(cap->pcap, max, on_packet, (u_char *)cap);
	if (n == PCAP_ERROR) {
		kn_errf(errbuf, KN_ERR_IO, "%s: %s", cap->what,
			pcap_geterr(cap->pcap));
		return -1;
	}
	if (n == 0 && cap->file) {
		cap->eof = true;
		kn_txn_engine_finish(cap->engine);
		if (cap->dump != NULL)
			pcap_dump_flush(cap->dump);
	}
	if (n < 0)
		n = 0;
	return n;
}

void
kn_capture_finish(struct kn_capture *cap)
{
	if (cap->engine != NULL && !cap->eof) {
		cap->eof = true;
		kn_txn_engine_finish(cap->engine);
	}
	if (cap->dump != NULL)
		pcap_dump_flush(cap->dump);
}

void
kn_capture_tick(struct kn_capture *cap, uint64_t now_us)
{
	if (cap->engine != NULL)
		kn_txn_engine_tick(cap->engine, now_us);
}

int
kn_capture_fd(const struct kn_capture *cap)
{
	return cap->file ? -1 : pcap_get_selectable_fd(cap->pcap);
}

bool
kn_capture_is_file(const struct kn_capture *cap)
{
	return cap->file;
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
	return cap->engine ? kn_txn_engine_counters(cap->engine) : NULL;
}

const struct kn_traffic_stats *
kn_capture_stats(const struct kn_capture *cap)
{
	return cap->stats;
}
