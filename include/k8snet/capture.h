/* Packet capture (live -i or file -r) feeding decoders and transactions. */
#ifndef K8SNET_CAPTURE_H
#define K8SNET_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "k8snet/app.h"
#include "k8snet/err.h"
#include "k8snet/ipaddr.h"
#include "k8snet/traffic.h"
#include "k8snet/txn.h"

struct kn_capture;

/* Packet-level counters (transaction counters: kn_txn_counters). */
struct kn_capture_counters {
	uint64_t packets, bytes;
	uint64_t decoded;      /* reached UDP or TCP */
	uint64_t other;        /* not IP, or another protocol */
	uint64_t fragments;    /* IP fragments (counted, not reassembled) */
	uint64_t truncated, malformed;
	uint64_t encapsulated; /* unwrapped from VXLAN, Geneve, IP-in-IP */
	uint64_t written;      /* -w */
	uint64_t first_ts_us, last_ts_us;
};

/* Open the capture chosen by app->opts (-i, -r with -f, -w, --no-decap)
 * into app->capture; with none chosen leaves it NULL and returns KN_OK.
 * Errors name the file, interface or filter expression. With -Z and root,
 * privileges are dropped once the handle is open. */
enum kn_err kn_capture_start(struct kn_app *app, char *errbuf);
void kn_capture_stop(struct kn_app *app);

/* Who owns an address (the cluster model provides it); names are cached
 * per address until the namer is set again. fn NULL: no names. */
void kn_capture_set_namer(struct kn_capture *cap, kn_ip_namer fn, void *arg);
/* Every finished transaction, after it was added to the statistics.
 * ordered: in first-packet order (file); else as each completes (live).
 * want_answers: keep answer texts. Set before the first dispatch. */
void kn_capture_set_sink(struct kn_capture *cap, kn_txn_sink sink,
			 void *arg, bool ordered, bool want_answers);

/* Read up to max packets (live: what is ready now). Returns the number
 * read, 0 at the end of a file (after which everything open has been
 * finished), -1 on error (errbuf). */
int kn_capture_dispatch(struct kn_capture *cap, int max, char *errbuf);
/* Finish everything still open (end of a live capture). */
void kn_capture_finish(struct kn_capture *cap);
/* Capture-time clock for live idle periods (timeouts). */
void kn_capture_tick(struct kn_capture *cap, uint64_t now_us);

/* Selectable fd of a live capture for kn_loop_add_fd; -1 for files. */
int kn_capture_fd(const struct kn_capture *cap);
bool kn_capture_is_file(const struct kn_capture *cap);

/* Name of ip ("ns/pod", "ns/service", "node/NAME") or NULL. The string
 * lives in the capture's cache until the namer changes. */
const char *kn_capture_name(struct kn_capture *cap,
			    const struct kn_ipaddr *ip);

const struct kn_capture_counters *kn_capture_counters(
	const struct kn_capture *cap);
/* NULL before the first dispatch. */
const struct kn_txn_counters *kn_capture_txn_counters(
	const struct kn_capture *cap);
const struct kn_traffic_stats *kn_capture_stats(const struct kn_capture *cap);

#endif
