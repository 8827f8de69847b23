/* Decoding workers on a file: the file is read in blocks of KN_BLOCK
 * bytes, one after the other, by whichever worker is free; each block's
 * packets get their place in the capture and the clock a lone engine
 * would have kept (its latest packet time and where it ticked). Then
 * every worker takes the packets of its own flows from the block, in
 * order, ticking where a lone engine would have.
 *
 * A classic pcap file (pcap-savefile(5), version 2.4) is read with
 * pread(2) into the block and its records walked in place: libpcap's
 * reader copies every packet twice (stdio's buffer, then its own) on
 * one thread, which is the whole cost of its counting loop; here the
 * copy happens once, on any worker. The checks and messages are
 * libpcap's (sf-pcap.c, 1.10): a record longer than 262,144 bytes is an
 * error, one longer than the file's snapshot length is cut to it, a
 * short header or packet at the end is "truncated dump file". The -f
 * filter runs through pcap_offline_filter. Anything else (pcapng, a
 * pipe, byte-swapped pseudo-headers, older versions) is read through
 * libpcap, by the same workers, one block at a time. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pcaperr.h"
#include "txn_int.h"
#include "workers_int.h"

#define PCAP_MAGIC 0xa1b2c3d4u
#define PCAP_MAGIC_NSEC 0xa1b23c4du
#define PCAP_MAX_CAPLEN 262144u /* libpcap's MAXIMUM_SNAPLEN */

static uint32_t
get32(const uint8_t *p, bool swapped)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

static uint16_t
get16(const uint8_t *p, bool swapped)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return swapped ? __builtin_bswap16(v) : v;
}

/* Read n bytes at off, as many as the file has; -1 on error (errno). */
static ssize_t
pread_full(int fd, uint8_t *buf, size_t n, uint64_t off)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = pread(fd, buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Byte-swapped files of these carry pseudo-headers libpcap swaps. */
static bool
dlt_swaps(int dlt)
{
	switch (dlt) {
	case DLT_LINUX_SLL:
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
#endif
	case DLT_PFLOG:
	case DLT_USB_LINUX:
	case DLT_USB_LINUX_MMAPPED:
	case DLT_NFLOG:
		return true;
	default:
		return false;
	}
}

/* A classic pcap file that pread can walk: true, with the byte order,
 * the time resolution and the offset of the first record set. */
static bool
fast_path(struct kn_workers *ws)
{
	pcap_t *p = ws->cfg.file;
	FILE *f = pcap_file(p);
	uint8_t hdr[24];
	uint32_t magic;
	struct stat st;

	if (f == NULL || (ws->fd = fileno(f)) < 0 || fstat(ws->fd, &st) != 0 ||
	    !S_ISREG(st.st_mode) || pread_full(ws->fd, hdr, 24, 0) != 24)
		return false;
	memcpy(&magic, hdr, 4);
	if (magic == PCAP_MAGIC || magic == PCAP_MAGIC_NSEC) {
		ws->swapped = false;
	} else {
		magic = __builtin_bswap32(magic);
		if (magic != PCAP_MAGIC && magic != PCAP_MAGIC_NSEC)
			return false;
		ws->swapped = true;
	}
	ws->nsec = magic == PCAP_MAGIC_NSEC;
	/* 2.4 only: older versions may have caplen and len swapped. */
	if (get16(hdr + 4, ws->swapped) != 2 ||
	    get16(hdr + 6, ws->swapped) != 4 ||
	    (ws->swapped && dlt_swaps(pcap_datalink(p))))
		return false;
	ws->snapshot = pcap_snapshot(p);
	ws->roff = 24;
	return true;
}

/* A block's buffer, and room for its first records, in whole pages. */
#define KN_BLOCK_STRIDE (((size_t)KN_BLOCK + KN_RECORD_MAX + 4095) & ~4095ul)
#define KN_RECS_FIRST 2048
#define KN_RECS_STRIDE                                                         \
	((KN_RECS_FIRST * sizeof(struct rec) + 4095) & ~(size_t)4095)
#define KN_HUGE (2ul << 20)

/* Every block's buffer and first records in one allocation on 2 MiB
 * boundaries, with transparent huge pages asked for: the blocks in
 * flight are first filled by a few faults instead of one per 4 KiB page
 * (about 900 for two workers, and a fault costs microseconds on a
 * paravirtual machine). Without huge pages it is 4 KiB pages as before.
 */
static bool
bufs_alloc(struct kn_workers *ws)
{
	size_t len = (size_t)ws->nb * (KN_BLOCK_STRIDE + KN_RECS_STRIDE);
	void *p;

	len = (len + KN_HUGE - 1) & ~(KN_HUGE - 1);
	if (posix_memalign(&p, KN_HUGE, len) != 0)
		return false;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, len, MADV_HUGEPAGE);
#endif
	ws->bufmem = p;
	return true;
}

enum kn_err
workers_file_init(struct kn_workers *ws, char *errbuf)
{
	unsigned i;

	ws->fast = fast_path(ws);
	if (ws->fast && ws->cfg.filter != NULL) {
		if (pcap_compile(ws->cfg.file, &ws->prog, ws->cfg.filter, 1,
				 PCAP_NETMASK_UNKNOWN) != 0)
			return kn_errf(errbuf, KN_ERR_INVAL, "-f: %s",
				       pcap_geterr(ws->cfg.file));
		ws->have_prog = true;
	}
	/* Blocks in flight: enough that a worker set back a little does
	 * not hold the others up at once, few enough that the blocks and
	 * their records stay in the caches (2 MiB for two workers). */
	ws->reasm = kn_reasm_new(NULL);
	if (ws->reasm == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	ws->nb = 2 * ws->n + 4;
	ws->blocks = calloc(ws->nb, sizeof(*ws->blocks));
	if (ws->blocks == NULL || !bufs_alloc(ws))
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	for (i = 0; i < ws->nb; i++) {
		struct block *b = &ws->blocks[i];

		b->no = UINT64_MAX;
		b->buf = ws->bufmem + (size_t)i * KN_BLOCK_STRIDE;
		b->own = calloc(ws->n, sizeof(*b->own));
		b->reccap = KN_RECS_FIRST;
		b->recs = (struct rec *)(ws->bufmem +
					 (size_t)ws->nb * KN_BLOCK_STRIDE +
					 (size_t)i * KN_RECS_STRIDE);
		b->tickcap = 64;
		b->ticks = malloc(b->tickcap * sizeof(*b->ticks));
		if (b->own == NULL || b->recs == NULL || b->ticks == NULL)
			return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	}
	return KN_OK;
}

/* The reassembled datagrams of b's records, no longer read. */
static void
dgrams_clear(struct block *b)
{
	uint32_t i;

	for (i = 0; i < b->ndgrams; i++)
		free(b->dgrams[i]);
	b->ndgrams = 0;
}

/* A datagram just reassembled (dgram, dlen, borrowed from the reader's
 * reassembly until its next packet) copied for as long as b is read,
 * pkt's payload moved onto the copy. False without memory. */
static bool
dgram_keep(struct block *b, const uint8_t *dgram, size_t dlen,
	   struct kn_pkt *pkt)
{
	uint8_t *copy;
	void *p;

	if (b->ndgrams == b->dgramcap) {
		p = realloc(b->dgrams, (b->dgramcap ? 2 * b->dgramcap : 16) *
					       sizeof(*b->dgrams));
		if (p == NULL)
			return false;
		b->dgrams = p;
		b->dgramcap = b->dgramcap ? 2 * b->dgramcap : 16;
	}
	copy = malloc(dlen ? dlen : 1);
	if (copy == NULL)
		return false;
	memcpy(copy, dgram, dlen);
	pkt->payload = copy + (pkt->payload - dgram);
	b->dgrams[b->ndgrams++] = copy;
	return true;
}

void
workers_file_release(struct kn_workers *ws)
{
	unsigned i, j;

	for (i = 0; ws->blocks != NULL && i < ws->nb; i++) {
		for (j = 0; ws->blocks[i].own != NULL && j < ws->n; j++)
			free(ws->blocks[i].own[j].i);
		free(ws->blocks[i].own);
		if (ws->blocks[i].recs_heap)
			free(ws->blocks[i].recs);
		free(ws->blocks[i].ticks);
		dgrams_clear(&ws->blocks[i]);
		free(ws->blocks[i].dgrams);
	}
	free(ws->blocks);
	free(ws->bufmem);
	kn_reasm_free(ws->reasm);
	if (ws->have_prog)
		pcap_freecode(&ws->prog);
}

/* ---- the reader (one worker at a time) ---- */

/* Reading failed at this point: the message as the single-threaded
 * capture gives it. */
static void
read_fail(struct kn_workers *ws, const char *why)
{
	ws->read_failed = true;
	snprintf(ws->read_err, sizeof(ws->read_err), "%s: %s", ws->what, why);
}

/* A packet the capture keeps (past the filter), data in b's buffer: its
 * place, the clock, its decoding and worker, the reader's counters and
 * -w. False without memory. */
static bool
add_record(struct kn_workers *ws, struct block *b, const struct pcap_pkthdr *h,
	   const u_char *data)
{
	struct kn_capture_counters *c = &ws->rcw;
	uint64_t ts = kn_capture_hdr_ts(h), idx = ws->records++;
	const uint8_t *dgram;
	struct own *o;
	struct rec *r;
	enum kn_err e;
	size_t dlen;
	void *p;

	if (ws->wnow < ts)
		ws->wnow = ts;
	if (ws->wnow >= ws->wnext_tick) {
		/* A lone engine ticks before this packet. */
		if (b->nticks == b->tickcap) {
			p = realloc(b->ticks,
				    2 * b->tickcap * sizeof(*b->ticks));
			if (p == NULL)
				return false;
			b->ticks = p;
			b->tickcap *= 2;
		}
		b->ticks[b->nticks].idx = idx;
		b->ticks[b->nticks++].now = ws->wnow;
		ws->wnext_tick = ws->wnow + KN_TXN_TICK_US;
	}
	b->end = idx + 1;
	c->packets++;
	c->bytes += h->len;
	if (c->first_ts_us == 0)
		c->first_ts_us = ts;
	c->last_ts_us = ts;
	if (ws->cfg.write != NULL && ws->cfg.write(ws->cfg.write_arg, h, data))
		c->written++;
	/* Decoded once, here, in place, and given to the worker of its
	 * flow; fragments put together here first, so that a datagram
	 * goes whole to the worker of its ports. */
	if (b->nrec == b->reccap) {
		/* the first ones are in ws->bufmem: copied out once */
		p = b->recs_heap
			    ? realloc(b->recs, 2 * b->reccap * sizeof(*b->recs))
			    : malloc(2 * b->reccap * sizeof(*b->recs));
		if (p == NULL)
			return false;
		if (!b->recs_heap)
			memcpy(p, b->recs, b->nrec * sizeof(*b->recs));
		b->recs = p;
		b->recs_heap = true;
		b->reccap *= 2;
	}
	r = &b->recs[b->nrec];
	e = kn_layers_decode(ws->cfg.link, data, h->caplen, ws->cfg.no_decap,
			     &r->pkt);
	if (!kn_reasm_take(ws->reasm, c, e, ts, ws->cfg.no_decap, &r->pkt,
			   &dgram, &dlen))
		return true;
	if (dgram != NULL && !dgram_keep(b, dgram, dlen, &r->pkt))
		return false;
	o = &b->own[workers_shard(&r->pkt, ws->n)];
	if (o->n == o->cap) {
		p = realloc(o->i, (o->cap ? 2 * o->cap : 1024) * sizeof(*o->i));
		if (p == NULL)
			return false;
		o->i = p;
		o->cap = o->cap ? 2 * o->cap : 1024;
	}
	o->i[o->n++] = b->nrec++;
	r->idx = idx;
	r->ts = ts;
	r->now = ws->wnow;
	return true;
}

/* The record header at p as libpcap reads it (microsecond times). */
static void
record_header(const struct kn_workers *ws, const uint8_t *p,
	      struct pcap_pkthdr *h)
{
	int32_t us = (int32_t)get32(p + 4, ws->swapped);

	h->ts.tv_sec = (int32_t)get32(p, ws->swapped);
	h->ts.tv_usec = ws->nsec ? us / 1000 : us;
	h->caplen = get32(p + 8, ws->swapped);
	h->len = get32(p + 12, ws->swapped);
}

/* The packet of a complete record wants more bytes than the file holds:
 * libpcap's words for it. */
static void
short_packet(struct kn_workers *ws, uint32_t caplen, size_t avail)
{
	char why[160];

	if (caplen > (uint32_t)ws->snapshot && avail < (size_t)ws->snapshot)
		snprintf(why, sizeof(why),
			 "truncated dump file; tried to read %d captured "
			 "bytes, only got %zu",
			 ws->snapshot, avail);
	else
		snprintf(why, sizeof(why),
			 "truncated dump file; tried to read %u captured "
			 "bytes, only got %zu",
			 caplen, avail);
	read_fail(ws, why);
}

/* Fill b from the file at ws->roff: whole records only, the first one
 * whatever its size. Returns false at the end or on a failure. */
static bool
read_fast(struct kn_workers *ws, struct block *b)
{
	size_t have, pos = 0, avail;
	struct pcap_pkthdr h;
	bool eof, more = true;
	char why[160];
	ssize_t r;

	r = pread_full(ws->fd, b->buf, KN_BLOCK, ws->roff);
	if (r < 0) {
		snprintf(why, sizeof(why), "error reading dump file: %s",
			 strerror(errno));
		read_fail(ws, why);
		return false;
	}
	have = (size_t)r;
	eof = have < KN_BLOCK;
	for (;;) {
		avail = have - pos;
		if (avail < 16) {
			if (!eof)
				break; /* the rest starts the next block */
			more = false;
			if (avail > 0) {
				snprintf(why, sizeof(why),
					 "truncated dump file; tried to read "
					 "16 header bytes, only got %zu",
					 avail);
				read_fail(ws, why);
			}
			break;
		}
		record_header(ws, b->buf + pos, &h);
		if (h.caplen > PCAP_MAX_CAPLEN) {
			if (h.caplen > (uint32_t)ws->snapshot)
				snprintf(why, sizeof(why),
					 "invalid packet capture length %u, "
					 "bigger than snaplen of %d",
					 h.caplen, ws->snapshot);
			else
				snprintf(why, sizeof(why),
					 "invalid packet capture length %u, "
					 "bigger than maximum of %u",
					 h.caplen, PCAP_MAX_CAPLEN);
			read_fail(ws, why);
			more = false;
			break;
		}
		if (avail - 16 < h.caplen) {
			if (!eof && pos > 0)
				break;
			if (!eof) {
				/* The block's first record: read it whole
				 * (the buffer has room for the longest). */
				r = pread_full(ws->fd, b->buf + have,
					       pos + 16 + h.caplen - have,
					       ws->roff + have);
				if (r < 0) {
					snprintf(why, sizeof(why),
						 "error reading dump file: %s",
						 strerror(errno));
					read_fail(ws, why);
					more = false;
					break;
				}
				eof = (size_t)r < pos + 16 + h.caplen - have;
				have += (size_t)r;
				continue;
			}
			short_packet(ws, h.caplen, avail - 16);
			more = false;
			break;
		}
		pos += 16;
		if (h.caplen > (uint32_t)ws->snapshot)
			h.caplen = (uint32_t)ws->snapshot;
		if ((!ws->have_prog ||
		     pcap_offline_filter(&ws->prog, &h, b->buf + pos) != 0) &&
		    !add_record(ws, b, &h, b->buf + pos)) {
			read_fail(ws, "out of memory");
			more = false;
			break;
		}
		pos += get32(b->buf + pos - 4 - 4, ws->swapped);
	}
	ws->roff += pos;
	return more;
}

/* Fill b through libpcap (filter and all): copies of its packets until
 * the block is full. */
static bool
read_libpcap(struct kn_workers *ws, struct block *b)
{
	char why[KN_ERRBUF];
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t pos = 0;
	int r;

	while (pos < KN_BLOCK) {
		r = pcap_next_ex(ws->cfg.file, &h, &data);
		if (r == PCAP_ERROR_BREAK)
			return false;
		if (r != 1) {
			read_fail(ws,
				  kn_pcap_read_why(pcap_geterr(ws->cfg.file),
						   ws->what, why, sizeof(why)));
			return false;
		}
		if (h->caplen > KN_RECORD_MAX - 16)
			continue; /* libpcap never hands one over */
		memcpy(b->buf + pos, data, h->caplen);
		if (!add_record(ws, b, h, b->buf + pos)) {
			read_fail(ws, "out of memory");
			return false;
		}
		pos += h->caplen;
	}
	return true;
}

/* Read the next block, with ws->mu held on entry and exit (released
 * while reading); the others wait for it or take earlier ones. */
static void
read_next_locked(struct kn_workers *ws)
{
	struct block *b = &ws->blocks[ws->next_read % ws->nb];
	unsigned i;
	bool more;

	ws->reading = true;
	b->no = ws->next_read;
	pthread_mutex_unlock(&ws->mu);
	b->first = b->end = ws->records;
	b->nticks = b->nrec = 0;
	dgrams_clear(b);
	for (i = 0; i < ws->n; i++)
		b->own[i].n = 0;
	b->done = 0;
	/* -w: the loop may ask the writer whether it failed meanwhile. */
	if (ws->cfg.write != NULL)
		pthread_mutex_lock(&ws->wmu);
	more = ws->fast ? read_fast(ws, b) : read_libpcap(ws, b);
	if (ws->cfg.write != NULL)
		pthread_mutex_unlock(&ws->wmu);
	if (!more)
		kn_reasm_finish(ws->reasm, &ws->rcw);
	pthread_mutex_lock(&ws->mu);
	ws->rc = ws->rcw;
	if (!more)
		ws->read_end = true;
	ws->next_read++;
	ws->reading = false;
	pthread_cond_broadcast(&ws->cv_work);
	if (ws->loop_waiting && !ws->cfg.keep_stats) {
		ws->loop_waiting = false;
		pthread_cond_signal(&ws->cv_loop);
	}
}

/* May a worker read the next block now (mu held)? Its slot must be
 * free, and the loop not far behind with the records it holds, unless it
 * waits for a worker that has taken every block read so far. */
static bool
can_read_locked(const struct kn_workers *ws)
{
	const struct block *b = &ws->blocks[ws->next_read % ws->nb];
	unsigned i;

	if (ws->reading || ws->read_end || ws->finishing || b->no != UINT64_MAX)
		return false;
	if (ws->queued < KN_MERGE_MAX)
		return true;
	for (i = 0; ws->stuck && i < ws->n; i++)
		if (ws->w[i].consumed == ws->next_read)
			return true;
	return false;
}

/* ---- a worker ---- */

static void
tick_at(struct worker *w, uint64_t idx, uint64_t now)
{
	kn_txn_engine_set_order(w->eng, kn_workers_order(idx, 0, w->id));
	kn_txn_engine_tick(w->eng, now);
}

/* The packets of w's flows in b, in order; a tick a lone engine made
 * between two of them is made before the second (nothing of w's
 * happened in between), or at the block's end. */
static void
consume(struct worker *w, const struct block *b)
{
	const struct own *o = &b->own[w->id];
	const struct tick *tk = b->ticks, *te = b->ticks + b->nticks;
	const struct rec *r;
	uint32_t k;

	for (k = 0; k < o->n; k++) {
		r = &b->recs[o->i[k]];
		/* The latest tick up to it: nothing of w's happened
		 * since the ones before. */
		if (tk < te && tk->idx <= r->idx) {
			while (tk + 1 < te && tk[1].idx <= r->idx)
				tk++;
			tick_at(w, tk->idx, tk->now);
			tk++;
		}
		kn_txn_engine_set_order(w->eng,
					kn_workers_order(r->idx, 1, w->id));
		kn_txn_engine_packet_at(w->eng, r->ts, r->now, &r->pkt);
	}
	w->taken += o->n;
	if (tk < te)
		tick_at(w, te[-1].idx, te[-1].now);
}

/* Below which order w will emit nothing more, having taken the packets
 * before capture index next. */
static uint64_t
worker_mark(const struct worker *w, uint64_t next)
{
	uint64_t p = kn_txn_engine_pending_order(w->eng);
	uint64_t q = kn_workers_order(next, 0, 0);

	return p < q ? p : q;
}

void *
workers_file_main(void *arg)
{
	struct worker *w = arg;
	struct kn_workers *ws = w->ws;
	uint64_t next = 0;
	struct block *b;
	bool mine;

	pthread_mutex_lock(&ws->mu);
	for (;;) {
		if (w->force) {
			w->force = false;
			pthread_mutex_unlock(&ws->mu);
			/* Only an open transaction is forced out; else it
			 * is the packets to come that hold the loop, and
			 * they will come. */
			if (kn_txn_engine_pending_order(w->eng) <
			    kn_workers_order(next, 0, 0))
				kn_txn_engine_force(w->eng);
			pthread_mutex_lock(&ws->mu);
			workers_push_locked(w, worker_mark(w, next));
			continue;
		}
		if (ws->finishing ||
		    (ws->read_end && w->consumed == ws->next_read))
			break;
		mine = w->consumed < ws->next_read;
		if (can_read_locked(ws) &&
		    (!mine || ws->next_read - w->consumed <= ws->n)) {
			read_next_locked(ws);
			continue;
		}
		if (!mine) {
			pthread_cond_wait(&ws->cv_work, &ws->mu);
			continue;
		}
		b = &ws->blocks[w->consumed % ws->nb];
		pthread_mutex_unlock(&ws->mu);
		pthread_mutex_lock(&w->smu);
		consume(w, b);
		pthread_mutex_unlock(&w->smu);
		next = b->end;
		pthread_mutex_lock(&ws->mu);
		if (++b->done == ws->n) {
			b->no = UINT64_MAX;
			pthread_cond_broadcast(&ws->cv_work);
		}
		w->consumed++;
		workers_publish_locked(w);
		workers_push_locked(w, worker_mark(w, next));
	}
	pthread_mutex_unlock(&ws->mu);
	pthread_mutex_lock(&w->smu);
	/* The connections' own orders (worker bits included) are added to
	 * this: none here, or they would add up. */
	kn_txn_engine_set_order(w->eng, kn_workers_order(next, 0, 0));
	kn_txn_engine_finish(w->eng);
	pthread_mutex_unlock(&w->smu);
	workers_exit(w);
	return NULL;
}
