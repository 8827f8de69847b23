/* IPv4 and IPv6 fragment reassembly ahead of UDP/TCP decoding, bounded in
 * datagrams and bytes held, timed out by capture time. Private to
 * src/capture. */
#ifndef K8SNET_CAPTURE_REASM_H
#define K8SNET_CAPTURE_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/capture.h"
#include "k8snet/err.h"
#include "k8snet/layers.h"

/* Limits (kn_reasm_new with NULL takes the defaults below). */
struct kn_reasm_config {
	uint32_t max_datagrams; /* in flight at once (at most 1024) */
	uint32_t max_bytes;	/* payload bytes held over all of them */
	uint64_t timeout_us;	/* capture time from a datagram's first */
};

#define KN_REASM_DATAGRAMS 64
#define KN_REASM_BYTES (2u << 20)
#define KN_REASM_TIMEOUT_US 30000000u /* Linux's ipfrag_time */
#define KN_REASM_PIECES 64	      /* fragments of one datagram */

struct kn_reasm;

/* NULL when out of memory. cfg NULL: the defaults. */
struct kn_reasm *kn_reasm_new(const struct kn_reasm_config *cfg);
void kn_reasm_free(struct kn_reasm *r); /* NULL is allowed */

/* One packet decoded by kn_layers_decode (e its result) at capture time
 * ts, counted into c (decoded, fragments, truncated, malformed, other,
 * encapsulated, and the reassembly's own counters). A fragment is kept;
 * the one that completes its datagram turns *pkt into the whole UDP or
 * TCP packet, its payload borrowed from r until the next call (*dgram,
 * *dlen: the reassembled transport bytes, for a caller that must copy
 * them; NULL otherwise). Held datagrams older than the timeout are
 * dropped first (fragments_timed_out). True when *pkt is a UDP or TCP
 * packet for the transaction engine. r NULL: fragments are counted
 * only. */
bool kn_reasm_take(struct kn_reasm *r, struct kn_capture_counters *c,
		   enum kn_err e, uint64_t ts, bool no_decap,
		   struct kn_pkt *pkt, const uint8_t **dgram, size_t *dlen);

/* The end of the capture: what is still held never completed; its
 * fragments are counted as timed out. */
void kn_reasm_finish(struct kn_reasm *r, struct kn_capture_counters *c);

#endif
