/* IPv4 (RFC 791 3.2) and IPv6 (RFC 8200 4.5) fragment reassembly. A
 * datagram is keyed by family, addresses, protocol and identification;
 * its fragments may come in any order. Bounds: max_datagrams in flight
 * (the oldest is dropped for a new one), max_bytes of payload held,
 * KN_REASM_PIECES fragments each, 65,535 payload bytes; a datagram not
 * complete timeout_us of capture time after its first fragment is
 * dropped. Fragments that overlap with other bytes (RFC 5722 for IPv6;
 * the same rule here for IPv4), disagree on the end, or are not 8-octet
 * multiples before the last drop their datagram: counted, never
 * guessed. Retransmitted copies (overlaps with the same bytes) are
 * accepted. */
#include <stdlib.h>
#include <string.h>

#include "reasm.h"

#define KN_REASM_MAX_PAYLOAD 65535u

struct piece {
	uint32_t off, len;
};

struct dgram {
	bool used;
	uint8_t proto;
	struct kn_ipaddr src, dst;
	uint32_t id;
	uint64_t first_ts;
	uint32_t total; /* payload length, once the last fragment came */
	bool have_last;
	uint32_t npieces, nfrags;
	struct piece pieces[KN_REASM_PIECES];
	uint8_t *buf;
	uint32_t bufcap;
};

struct kn_reasm {
	struct kn_reasm_config cfg;
	struct dgram *d;
	uint32_t used;
	uint64_t held; /* bytes of buffers */
	uint64_t now;  /* the latest capture time seen */
	uint8_t *out;  /* the last datagram completed */
	uint32_t outcap;
};

struct kn_reasm *
kn_reasm_new(const struct kn_reasm_config *cfg)
{
	struct kn_reasm *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	if (cfg != NULL) {
		r->cfg = *cfg;
	} else {
		r->cfg.max_datagrams = KN_REASM_DATAGRAMS;
		r->cfg.max_bytes = KN_REASM_BYTES;
		r->cfg.timeout_us = KN_REASM_TIMEOUT_US;
	}
	if (r->cfg.max_datagrams == 0)
		r->cfg.max_datagrams = 1;
	if (r->cfg.max_datagrams > 1024)
		r->cfg.max_datagrams = 1024;
	r->d = calloc(r->cfg.max_datagrams, sizeof(*r->d));
	if (r->d == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

static void
release(struct kn_reasm *r, struct dgram *d)
{
	r->held -= d->bufcap;
	free(d->buf);
	memset(d, 0, sizeof(*d));
	r->used--;
}

void
kn_reasm_free(struct kn_reasm *r)
{
	uint32_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->cfg.max_datagrams; i++)
		free(r->d[i].buf);
	free(r->d);
	free(r->out);
	free(r);
}

/* Drop d, its fragments counted in *n. */
static void
drop(struct kn_reasm *r, struct dgram *d, uint64_t *n)
{
	*n += d->nfrags;
	release(r, d);
}

static void
expire(struct kn_reasm *r, struct kn_capture_counters *c)
{
	uint32_t i;

	for (i = 0; r->used > 0 && i < r->cfg.max_datagrams; i++)
		if (r->d[i].used &&
		    r->now - r->d[i].first_ts > r->cfg.timeout_us)
			drop(r, &r->d[i], &c->frag_timed_out);
}

static struct dgram *
oldest(struct kn_reasm *r, const struct dgram *except)
{
	struct dgram *o = NULL;
	uint32_t i;

	for (i = 0; i < r->cfg.max_datagrams; i++)
		if (r->d[i].used && &r->d[i] != except &&
		    (o == NULL || r->d[i].first_ts < o->first_ts))
			o = &r->d[i];
	return o;
}

/* The datagram of fragment p, a new one if none (the oldest dropped when
 * all are taken). */
static struct dgram *
find(struct kn_reasm *r, const struct kn_pkt *p, struct kn_capture_counters *c)
{
	struct dgram *d, *free_slot = NULL;
	uint32_t i;

	for (i = 0; i < r->cfg.max_datagrams; i++) {
		d = &r->d[i];
		if (!d->used) {
			if (free_slot == NULL)
				free_slot = d;
			continue;
		}
		if (d->id == p->frag_id && d->proto == p->proto &&
		    kn_ipaddr_eq(&d->src, &p->src) &&
		    kn_ipaddr_eq(&d->dst, &p->dst))
			return d;
	}
	if (free_slot == NULL) {
		free_slot = oldest(r, NULL);
		drop(r, free_slot, &c->frag_dropped);
	}
	d = free_slot;
	d->used = true;
	d->proto = p->proto;
	d->src = p->src;
	d->dst = p->dst;
	d->id = p->frag_id;
	d->first_ts = r->now;
	r->used++;
	return d;
}

/* Room for end bytes in d's buffer within max_bytes (older datagrams
 * dropped to make it); false when even alone it does not fit. */
static bool
grow(struct kn_reasm *r, struct dgram *d, uint32_t end,
     struct kn_capture_counters *c)
{
	struct dgram *o;
	uint32_t want;
	uint8_t *nb;

	if (end <= d->bufcap)
		return true;
	want = d->bufcap ? d->bufcap : 2048;
	while (want < end)
		want *= 2;
	if (want > KN_REASM_MAX_PAYLOAD)
		want = KN_REASM_MAX_PAYLOAD;
	while (r->held - d->bufcap + want > r->cfg.max_bytes) {
		o = oldest(r, d);
		if (o == NULL)
			return false;
		drop(r, o, &c->frag_dropped);
	}
	nb = realloc(d->buf, want);
	if (nb == NULL)
		return false;
	r->held += want - d->bufcap;
	d->buf = nb;
	d->bufcap = want;
	return true;
}

/* Does [off, off + len) agree with the bytes already held? */
static bool
consistent(const struct dgram *d, uint32_t off, const uint8_t *data,
	   uint32_t len)
{
	uint32_t i, a, b;

	for (i = 0; i < d->npieces; i++) {
		a = d->pieces[i].off > off ? d->pieces[i].off : off;
		b = d->pieces[i].off + d->pieces[i].len;
		if (b > off + len)
			b = off + len;
		if (a < b && memcmp(d->buf + a, data + (a - off), b - a) != 0)
			return false;
	}
	return true;
}

/* Is [0, total) covered? */
static bool
complete(const struct dgram *d)
{
	uint32_t covered = 0, i;
	bool moved = true;

	if (!d->have_last)
		return false;
	while (moved && covered < d->total) {
		moved = false;
		for (i = 0; i < d->npieces; i++)
			if (d->pieces[i].off <= covered &&
			    d->pieces[i].off + d->pieces[i].len > covered) {
				covered = d->pieces[i].off + d->pieces[i].len;
				moved = true;
			}
	}
	return covered >= d->total;
}

/* Add fragment p to d; false when it makes d inconsistent. */
static bool
add(struct kn_reasm *r, struct dgram *d, const struct kn_pkt *p,
    struct kn_capture_counters *c)
{
	uint32_t off = p->frag_off, len = p->frag_len, end = off + len;

	if (end > KN_REASM_MAX_PAYLOAD)
		return false;
	if (p->frag_more && len % 8 != 0)
		return false;
	if (!p->frag_more) {
		if (d->have_last && d->total != end)
			return false;
		d->have_last = true;
		d->total = end;
	}
	if (d->have_last && end > d->total)
		return false;
	if (d->npieces >= KN_REASM_PIECES || !grow(r, d, end, c))
		return false;
	if (!consistent(d, off, p->frag_data, len))
		return false;
	if (len > 0)
		memcpy(d->buf + off, p->frag_data, len);
	d->pieces[d->npieces].off = off;
	d->pieces[d->npieces++].len = len;
	return true;
}

/* The datagram d is whole: its payload into r->out, decoded into pkt. */
static bool
deliver(struct kn_reasm *r, struct dgram *d, struct kn_capture_counters *c,
	bool no_decap, struct kn_pkt *pkt, const uint8_t **dgram, size_t *dlen)
{
	uint32_t total = d->total;
	enum kn_err e;

	if (r->outcap < total || r->out == NULL) {
		uint8_t *o = realloc(r->out, total ? total : 1);

		if (o == NULL) {
			drop(r, d, &c->frag_dropped);
			return false;
		}
		r->out = o;
		r->outcap = total ? total : 1;
	}
	memcpy(r->out, d->buf, total);
	release(r, d);
	c->reassembled++;
	e = kn_layers_transport(r->out, total, no_decap, pkt);
	if (e == KN_ERR_TRUNC)
		c->truncated++;
	else if (e == KN_ERR_PARSE)
		c->malformed++;
	else if (e != KN_OK)
		c->other++;
	if (e != KN_OK)
		return false;
	c->decoded++;
	if (pkt->encap)
		c->encapsulated++;
	if (dgram != NULL) {
		*dgram = r->out;
		*dlen = total;
	}
	return true;
}

static bool
fragment(struct kn_reasm *r, struct kn_capture_counters *c, bool no_decap,
	 struct kn_pkt *pkt, const uint8_t **dgram, size_t *dlen)
{
	struct dgram *d = find(r, pkt, c);

	d->nfrags++;
	if (!add(r, d, pkt, c)) {
		drop(r, d, &c->frag_dropped);
		return false;
	}
	if (!complete(d))
		return false;
	return deliver(r, d, c, no_decap, pkt, dgram, dlen);
}

/* kn_reasm_take for any packet; out of line, or the registers it saves
 * would be saved for every packet. */
static __attribute__((noinline)) bool
take(struct kn_reasm *r, struct kn_capture_counters *c, enum kn_err e,
     uint64_t ts, bool no_decap, struct kn_pkt *pkt, const uint8_t **dgram,
     size_t *dlen)
{
	if (dgram != NULL) {
		*dgram = NULL;
		*dlen = 0;
	}
	if (r != NULL && ts > r->now) {
		r->now = ts;
		if (r->used > 0)
			expire(r, c);
	}
	switch (e) {
	case KN_OK:
		c->decoded++;
		if (pkt->encap)
			c->encapsulated++;
		return true;
	case KN_ERR_TRUNC:
		c->truncated++;
		return false;
	case KN_ERR_PARSE:
		c->malformed++;
		return false;
	default:
		if (!pkt->frag) {
			c->other++;
			return false;
		}
		c->fragments++;
		if (r == NULL || (pkt->proto != 6 && pkt->proto != 17 &&
				  pkt->proto != 4 && pkt->proto != 41))
			return false;
		return fragment(r, c, no_decap, pkt, dgram, dlen);
	}
}

bool
kn_reasm_take(struct kn_reasm *r, struct kn_capture_counters *c, enum kn_err e,
	      uint64_t ts, bool no_decap, struct kn_pkt *pkt,
	      const uint8_t **dgram, size_t *dlen)
{
	/* Nearly every packet: decoded, and no datagram waits to time out. */
	if (e == KN_OK && (r == NULL || r->used == 0)) {
		if (dgram != NULL) {
			*dgram = NULL;
			*dlen = 0;
		}
		if (r != NULL && ts > r->now)
			r->now = ts;
		c->decoded++;
		if (pkt->encap)
			c->encapsulated++;
		return true;
	}
	return take(r, c, e, ts, no_decap, pkt, dgram, dlen);
}

void
kn_reasm_finish(struct kn_reasm *r, struct kn_capture_counters *c)
{
	uint32_t i;

	for (i = 0; r != NULL && r->used > 0 && i < r->cfg.max_datagrams; i++)
		if (r->d[i].used)
			drop(r, &r->d[i], &c->frag_timed_out);
}
