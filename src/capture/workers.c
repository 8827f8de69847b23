/* Decoding workers: the threads, the flow each packet belongs to, the
 * transactions serialised into batches for the loop's thread, and their
 * merge there: from a file in the order of each transaction's first
 * packet (every worker says below which order it will emit nothing
 * more), live as each worker hands them on. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "k8snet/log.h"
#include "txn_int.h"
#include "workers_int.h"

/* Records held by the loop that a slow worker keeps it from handing on:
 * past this the worker is asked to emit its oldest (as a full engine
 * ring would). */
#define KN_MERGE_STUCK 8192
/* Records a live worker may leave waiting for the loop; past it new
 * transactions are dropped (counted). */
#define KN_LIVE_QUEUE_MAX 65536

/* ---- which worker owns a packet ---- */

unsigned
kn_workers_shard(const struct kn_pkt *p, unsigned n)
{
	return workers_shard(p, n);
}

/* ---- a transaction as a record of a batch ----
 * struct wire, then the transaction up to its type's strings (which
 * holds its order), then the strings at their length, each with a NUL,
 * then an HTTP transaction's kept heads (8-aligned). */
struct wire {
	uint32_t size;	 /* the record's bytes, a multiple of 8 */
	uint16_t s[3];	 /* string lengths */
	uint8_t answers; /* DNS: answer texts follow (they may be "") */
	uint8_t pad;
	uint32_t heads; /* bytes of struct kn_txn_heads and its data */
};

#define ALIGN8(n) (((n) + 7u) & ~(size_t)7u)

/* The fixed part of a transaction of this type: everything before its
 * strings. */
static size_t
wire_fixed(uint8_t type)
{
	switch (type) {
	case KN_TXN_DNS:
		return offsetof(struct kn_txn, u.dns.qname);
	case KN_TXN_HTTP:
		return offsetof(struct kn_txn, u.http.method);
	default:
		return offsetof(struct kn_txn, u.tls.sni);
	}
}

/* The strings of t, their lengths, and its heads. */
static void
wire_parts(const struct kn_txn *t, struct wire *w, const char *s[3])
{
	memset(w, 0, sizeof(*w));
	s[0] = s[1] = s[2] = "";
	switch (t->type) {
	case KN_TXN_DNS:
		s[0] = t->u.dns.qname;
		w->s[0] = (uint16_t)strnlen(t->u.dns.qname, KN_TXN_QNAME - 1);
		if (t->u.dns.answers != NULL) {
			w->answers = 1;
			s[1] = t->u.dns.answers;
			w->s[1] = t->u.dns.answers_len;
		}
		break;
	case KN_TXN_HTTP:
		s[0] = t->u.http.method;
		w->s[0] = (uint16_t)strnlen(t->u.http.method,
					    sizeof(t->u.http.method) - 1);
		s[1] = t->u.http.host;
		w->s[1] = (uint16_t)strnlen(t->u.http.host, KN_TXN_HOST - 1);
		s[2] = t->u.http.path;
		w->s[2] = (uint16_t)strnlen(t->u.http.path, KN_TXN_PATH - 1);
		if (t->u.http.heads != NULL)
			w->heads = (uint32_t)(sizeof(struct kn_txn_heads) +
					      t->u.http.heads->len[0] +
					      t->u.http.heads->len[1]);
		break;
	default:
		s[0] = t->u.tls.sni;
		w->s[0] = (uint16_t)strnlen(t->u.tls.sni,
					    sizeof(t->u.tls.sni) - 1);
		s[1] = t->u.tls.alpn;
		w->s[1] = (uint16_t)strnlen(t->u.tls.alpn,
					    sizeof(t->u.tls.alpn) - 1);
		break;
	}
	w->size = (uint32_t)ALIGN8(sizeof(*w) + ALIGN8(wire_fixed(t->type)) +
				   w->s[0] + w->s[1] + w->s[2] + 3u);
	w->size += (uint32_t)ALIGN8(w->heads);
}

static void
wire_write(uint8_t *o, const struct kn_txn *t, const struct wire *w,
	   const char *const s[3])
{
	size_t fixed = wire_fixed(t->type), i;

	memcpy(o, w, sizeof(*w));
	o += sizeof(*w);
	memcpy(o, t, fixed);
	o += ALIGN8(fixed);
	for (i = 0; i < 3; i++) {
		memcpy(o, s[i], w->s[i]);
		o[w->s[i]] = '\0';
		o += w->s[i] + 1u;
	}
	if (w->heads > 0)
		memcpy((uint8_t *)ALIGN8((uintptr_t)o), t->u.http.heads,
		       w->heads);
}

/* The record at p back as a transaction in *t; its path, answers and
 * heads point into the record. */
static const struct kn_txn *
wire_read(struct kn_txn *t, uint8_t *p)
{
	struct wire w;
	size_t fixed;
	char *s[3];
	int i;

	memcpy(&w, p, sizeof(w));
	p += sizeof(w);
	memcpy(t, p, offsetof(struct kn_txn, u));
	fixed = wire_fixed(t->type);
	memcpy((uint8_t *)t + offsetof(struct kn_txn, u),
	       p + offsetof(struct kn_txn, u),
	       fixed - offsetof(struct kn_txn, u));
	p += ALIGN8(fixed);
	for (i = 0; i < 3; i++) {
		s[i] = (char *)p;
		p += w.s[i] + 1u;
	}
	switch (t->type) {
	case KN_TXN_DNS:
		memcpy(t->u.dns.qname, s[0], w.s[0] + 1u);
		t->u.dns.answers = w.answers ? s[1] : NULL;
		break;
	case KN_TXN_HTTP:
		memcpy(t->u.http.method, s[0], w.s[0] + 1u);
		memcpy(t->u.http.host, s[1], w.s[1] + 1u);
		t->u.http.path = s[2];
		t->u.http.heads =
			w.heads > 0 ? (struct kn_txn_heads *)(void *)ALIGN8(
					      (uintptr_t)p)
				    : NULL;
		break;
	default:
		memcpy(t->u.tls.sni, s[0], w.s[0] + 1u);
		memcpy(t->u.tls.alpn, s[1], w.s[1] + 1u);
		break;
	}
	return t;
}

static uint64_t
wire_order(const uint8_t *p)
{
	uint64_t o;

	memcpy(&o, p + sizeof(struct wire) + offsetof(struct kn_txn, order),
	       sizeof(o));
	return o;
}

static uint32_t
wire_size(const uint8_t *p)
{
	uint32_t n;

	memcpy(&n, p, sizeof(n));
	return n;
}

/* ---- batches ---- */

static struct batch *
batch_get_locked(struct kn_workers *ws)
{
	struct batch *b = ws->free;

	if (b != NULL)
		ws->free = b->next;
	else
		b = malloc(sizeof(*b));
	if (b != NULL) {
		b->next = NULL;
		b->len = b->pos = 0;
		b->items = 0;
	}
	return b;
}

static void
batch_list_free(struct batch *b)
{
	struct batch *n;

	for (; b != NULL; b = n) {
		n = b->next;
		free(b);
	}
}

void
workers_push_locked(struct worker *w, uint64_t mark)
{
	struct kn_workers *ws = w->ws;
	struct batch *b = w->out;

	if (b != NULL && b->items > 0) {
		w->out = NULL;
		b->mark = mark;
		if (w->qtail != NULL)
			w->qtail->next = b;
		else
			w->qhead = b;
		w->qtail = b;
		w->qitems += b->items;
		ws->queued += b->items;
	}
	w->mark = mark;
	w->queued_est = w->qitems;
	ws->pushes++;
	/* The loop waits for records or a watermark; counting statistics
	 * alone, it waits for the end (or its time). */
	if (ws->loop_waiting && (!ws->cfg.keep_stats || mark == UINT64_MAX)) {
		ws->loop_waiting = false;
		pthread_cond_signal(&ws->cv_loop);
	}
	if (ws->efd >= 0 && w->qitems > 0) {
		uint64_t one = 1;

		/* Live: the loop watches it (a full counter stays
		 * readable). */
		if (write(ws->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			kn_debug("workers: eventfd: %s", strerror(errno));
	}
}

void
workers_publish_locked(struct worker *w)
{
	w->pub_c = w->c;
	w->pub_tc = *kn_txn_engine_counters(w->eng);
	w->pub_dropped = w->queue_dropped;
	w->pub_taken = w->taken;
}

void
workers_exit(struct worker *w)
{
	struct kn_workers *ws = w->ws;

	pthread_mutex_lock(&ws->mu);
	workers_publish_locked(w);
	workers_push_locked(w, UINT64_MAX);
	w->exited = true;
	pthread_cond_broadcast(&ws->cv_loop);
	pthread_mutex_unlock(&ws->mu);
}

/* What an engine emits: into the worker's statistics, or serialised for
 * the loop. */
static void
worker_sink(void *arg, const struct kn_txn *t)
{
	struct worker *w = arg;
	struct kn_workers *ws = w->ws;
	const char *s[3];
	struct wire wr;

	if (ws->cfg.keep_stats) {
		kn_traffic_add(w->stats, t);
		return;
	}
	if (!ws->file && w->queued_est >= KN_LIVE_QUEUE_MAX) {
		w->queue_dropped++;
		return;
	}
	wire_parts(t, &wr, s);
	if (w->out != NULL && w->out->len + wr.size > KN_BATCH_SIZE) {
		/* Full: queued with the watermark it had (still true). */
		pthread_mutex_lock(&ws->mu);
		workers_push_locked(w, w->mark);
		pthread_mutex_unlock(&ws->mu);
	}
	if (w->out == NULL) {
		pthread_mutex_lock(&ws->mu);
		w->out = batch_get_locked(ws);
		pthread_mutex_unlock(&ws->mu);
		if (w->out == NULL) {
			w->queue_dropped++;
			return;
		}
	}
	wire_write(w->out->data + w->out->len, t, &wr, s);
	w->out->len += wr.size;
	w->out->items++;
	if (!ws->file)
		w->queued_est++;
}

/* ---- setup ---- */

static enum kn_err
worker_init(struct kn_workers *ws, struct worker *w, unsigned id, char *errbuf)
{
	struct kn_txn_config tc;

	w->ws = ws;
	w->id = id;
	pthread_mutex_init(&w->smu, NULL);
	memset(&tc, 0, sizeof(tc));
	tc.ordered = ws->file;
	tc.want_answers = ws->cfg.want_answers;
	tc.no_heads = ws->cfg.keep_stats;
	if (ws->cfg.keep_stats) {
		w->stats = calloc(1, sizeof(*w->stats));
		if (w->stats == NULL)
			return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	}
	/* Live, each worker puts together the fragments it is given (the
	 * fanout keeps a datagram's on one worker); a file's reader does it
	 * for all of them. */
	if (!ws->file) {
		w->reasm = kn_reasm_new(NULL);
		if (w->reasm == NULL)
			return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	}
	return kn_txn_engine_new(&tc, worker_sink, w, &w->eng, errbuf);
}

enum kn_err
kn_workers_new(const struct kn_workers_config *cfg, struct kn_workers **out,
	       char *errbuf)
{
	struct kn_workers *ws;
	enum kn_err e = KN_OK;
	unsigned i;

	*out = NULL;
	ws = calloc(1, sizeof(*ws));
	if (ws == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	ws->cfg = *cfg;
	snprintf(ws->what, sizeof(ws->what), "%s", cfg->what);
	ws->cfg.what = ws->what;
	ws->cfg.filter = NULL; /* borrowed for this call only */
	ws->n = cfg->n;
	ws->file = cfg->file != NULL;
	ws->fd = ws->efd = -1;
	ws->wake[0] = ws->wake[1] = -1;
	atomic_init(&ws->stop, false);
	pthread_mutex_init(&ws->mu, NULL);
	pthread_mutex_init(&ws->wmu, NULL);
	pthread_cond_init(&ws->cv_work, NULL);
	pthread_cond_init(&ws->cv_loop, NULL);
	ws->w = calloc(ws->n, sizeof(*ws->w));
	if (ws->w == NULL) {
		free(ws);
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	}
	if (!ws->file)
		for (i = 0; i < ws->n; i++)
			ws->w[i].pcap = cfg->live[i];
	for (i = 0; i < ws->n && e == KN_OK; i++)
		e = worker_init(ws, &ws->w[i], i, errbuf);
	if (e == KN_OK && ws->file) {
		ws->cfg.filter = cfg->filter;
		e = workers_file_init(ws, errbuf);
		ws->cfg.filter = NULL;
	} else if (e == KN_OK) {
		ws->efd = cfg->efd;
		ws->join_us = cfg->join_us;
		if (pipe(ws->wake) != 0)
			e = kn_errf(errbuf, KN_ERR_IO, "-i %s: pipe: %s",
				    ws->what, strerror(errno));
	}
	if (e != KN_OK) {
		/* The handles stay the caller's. */
		for (i = 0; !ws->file && i < ws->n; i++)
			ws->w[i].pcap = NULL;
		kn_workers_free(ws);
		return e;
	}
	*out = ws;
	return KN_OK;
}

static bool
start_threads(struct kn_workers *ws, char *errbuf)
{
	void *(*fn)(void *) = ws->file ? workers_file_main : workers_live_main;
	unsigned i;
	int r;

	if (ws->started)
		return true;
	ws->started = true;
	for (i = 0; i < ws->n; i++) {
		r = pthread_create(&ws->w[i].th, NULL, fn, &ws->w[i]);
		if (r != 0) {
			/* The ones started see the stop and end. */
			kn_errf(errbuf, KN_ERR_IO,
				"%s: cannot start a worker: %s", ws->what,
				strerror(r));
			pthread_mutex_lock(&ws->mu);
			ws->finishing = true;
			atomic_store(&ws->stop, true);
			pthread_cond_broadcast(&ws->cv_work);
			pthread_mutex_unlock(&ws->mu);
			return false;
		}
		ws->w[i].started = true;
	}
	return true;
}

static void
join_threads(struct kn_workers *ws)
{
	unsigned i;

	for (i = 0; i < ws->n; i++)
		if (ws->w[i].started) {
			pthread_join(ws->w[i].th, NULL);
			ws->w[i].started = false;
		}
}

/* Live workers poll their handle and this pipe: once written it stays
 * readable, and each sees that the end has come. */
static void
wake_live(struct kn_workers *ws)
{
	if (ws->wake[1] >= 0 && !ws->woken) {
		ws->woken = true;
		if (write(ws->wake[1], "x", 1) < 0)
			kn_debug("workers: wake: %s", strerror(errno));
	}
}

void
kn_workers_free(struct kn_workers *ws)
{
	unsigned i;

	if (ws == NULL)
		return;
	pthread_mutex_lock(&ws->mu);
	ws->finishing = true;
	atomic_store(&ws->stop, true);
	pthread_cond_broadcast(&ws->cv_work);
	pthread_mutex_unlock(&ws->mu);
	wake_live(ws);
	if (ws->w != NULL)
		join_threads(ws);
	if (ws->file)
		workers_file_release(ws);
	for (i = 0; ws->w != NULL && i < ws->n; i++) {
		struct worker *w = &ws->w[i];

		kn_txn_engine_free(w->eng);
		kn_reasm_free(w->reasm);
		free(w->stats);
		pthread_mutex_destroy(&w->smu);
		free(w->out);
		batch_list_free(w->qhead);
		batch_list_free(w->lhead);
		if (w->pcap != NULL)
			pcap_close(w->pcap);
	}
	batch_list_free(ws->free);
	if (ws->wake[0] >= 0) {
		close(ws->wake[0]);
		close(ws->wake[1]);
	}
	pthread_cond_destroy(&ws->cv_work);
	pthread_cond_destroy(&ws->cv_loop);
	pthread_mutex_destroy(&ws->wmu);
	pthread_mutex_destroy(&ws->mu);
	free(ws->w);
	free(ws);
}

/* ---- the loop's side ---- */

static void
list_append(struct batch **head, struct batch *b)
{
	while (*head != NULL)
		head = &(*head)->next;
	*head = b;
}

/* Take the queued batches (mu held); marks[i], exited[i] as they are
 * now. */
static void
take_locked(struct kn_workers *ws, uint64_t *marks)
{
	unsigned i;

	for (i = 0; i < ws->n; i++) {
		struct worker *w = &ws->w[i];

		if (w->qhead != NULL) {
			list_append(&w->lhead, w->qhead);
			w->qhead = w->qtail = NULL;
			w->qitems = 0;
		}
		marks[i] = w->exited ? UINT64_MAX : w->mark;
	}
}

/* Batches are queued with records only, and leave the list once read. */
static uint8_t *
head_record(struct worker *w)
{
	return w->lhead != NULL ? w->lhead->data + w->lhead->pos : NULL;
}

/* Past the record at the head of w's list; an emptied batch goes to
 * *done. */
static void
head_next(struct worker *w, struct batch **done)
{
	struct batch *b = w->lhead;

	b->pos += wire_size(b->data + b->pos);
	if (b->pos >= b->len) {
		w->lhead = b->next;
		b->next = *done;
		*done = b;
	}
}

/* Hand on what may go: from a file the record of the lowest order while
 * no worker may still emit a lower one; live all of it. Returns the
 * records handed on; *left: some wait. */
static uint64_t
merge(struct kn_workers *ws, const uint64_t *marks, struct batch **done,
      bool *left)
{
	uint64_t n = 0, key = 0, k;
	unsigned i, best;
	uint8_t *r;
	bool found;

	*left = false;
	for (;;) {
		found = false;
		best = 0;
		for (i = 0; i < ws->n; i++) {
			r = head_record(&ws->w[i]);
			if (r == NULL)
				continue;
			k = ws->file ? wire_order(r) : 0;
			if (!found || k < key) {
				found = true;
				best = i;
				key = k;
			}
			if (!ws->file)
				break;
		}
		if (!found)
			return n;
		for (i = 0; ws->file && i < ws->n; i++)
			if (i != best && head_record(&ws->w[i]) == NULL &&
			    marks[i] <= key) {
				*left = true;
				return n;
			}
		r = head_record(&ws->w[best]);
		ws->cfg.sink(ws->cfg.sink_arg, wire_read(&ws->txn, r));
		head_next(&ws->w[best], done);
		n++;
	}
}

/* The worker the loop waits for: the lowest watermark of those with
 * nothing at the loop. */
static struct worker *
blocking_worker(struct kn_workers *ws, const uint64_t *marks)
{
	struct worker *b = NULL;
	unsigned i;

	for (i = 0; i < ws->n; i++)
		if (ws->w[i].lhead == NULL && marks[i] != UINT64_MAX &&
		    (b == NULL || marks[i] < marks[b->id]))
			b = &ws->w[i];
	return b;
}

static bool
all_exited_locked(const struct kn_workers *ws)
{
	unsigned i;

	for (i = 0; i < ws->n; i++)
		if (!ws->w[i].exited)
			return false;
	return true;
}

static uint64_t
packets_locked(const struct kn_workers *ws)
{
	uint64_t n = 0;
	unsigned i;

	if (ws->file)
		return ws->rc.packets;
	for (i = 0; i < ws->n; i++)
		n += ws->w[i].pub_c.packets;
	return n;
}

/* One round with mu held on entry and exit: take, hand on (mu
 * released meanwhile), give back. Returns the records handed on. */
static uint64_t
round_locked(struct kn_workers *ws)
{
	uint64_t marks[KN_CAPTURE_WORKERS_MAX], n;
	struct batch *done = NULL, *b;
	struct worker *slow;
	bool left;

	take_locked(ws, marks);
	ws->taken_pushes = ws->pushes;
	pthread_mutex_unlock(&ws->mu);
	n = merge(ws, marks, &done, &left);
	pthread_mutex_lock(&ws->mu);
	while (done != NULL) {
		b = done;
		done = b->next;
		b->next = ws->free;
		ws->free = b;
	}
	ws->queued -= n;
	/* Stuck: nothing could go; a block may be read whatever the loop
	 * holds (the worker it waits for may need one). */
	ws->stuck = left && n == 0;
	if (ws->stuck && ws->queued > KN_MERGE_STUCK) {
		slow = blocking_worker(ws, marks);
		if (slow != NULL && !slow->force) {
			slow->force = true;
			pthread_cond_broadcast(&ws->cv_work);
		}
	}
	if (n > 0 || left)
		pthread_cond_broadcast(&ws->cv_work); /* a throttled reader */
	return n;
}

/* Live: the first failure of a handle, once. */
static bool
live_failed_locked(struct kn_workers *ws, char *errbuf)
{
	unsigned i;

	for (i = 0; i < ws->n; i++)
		if (ws->w[i].failed) {
			kn_errf(errbuf, KN_ERR_IO, "%s", ws->w[i].err);
			return true;
		}
	return false;
}

/* now + ms on the clock of the condition variables (realtime). */
static void
deadline(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_nsec += (ms % 1000) * 1000000L;
	ts->tv_sec += ms / 1000 + ts->tv_nsec / 1000000000L;
	ts->tv_nsec %= 1000000000L;
}

int
kn_workers_dispatch(struct kn_workers *ws, char *errbuf)
{
	uint64_t got, packets, sink;
	struct timespec ts;
	bool waited = false;
	int r = 0;

	if (!start_threads(ws, errbuf))
		return -1;
	if (ws->efd >= 0 && read(ws->efd, &sink, sizeof(sink)) < 0 &&
	    errno != EAGAIN)
		kn_debug("workers: eventfd: %s", strerror(errno));
	pthread_mutex_lock(&ws->mu);
	for (;;) {
		got = round_locked(ws);
		packets = packets_locked(ws) - ws->loop_packets;
		if (!ws->file) {
			if (live_failed_locked(ws, errbuf))
				r = -1;
			else
				r = packets > INT32_MAX ? INT32_MAX
							: (int)packets;
			break;
		}
		if (all_exited_locked(ws) && ws->queued == 0) {
			r = 0;
			if (ws->read_failed) {
				kn_errf(errbuf, KN_ERR_IO, "%s", ws->read_err);
				r = -1;
			}
			break;
		}
		if ((packets > 0 && !ws->cfg.keep_stats) || got > 0 ||
		    (packets > 0 && waited)) {
			r = packets > INT32_MAX ? INT32_MAX
			    : packets > 0	? (int)packets
						: 1;
			break;
		}
		/* Queued while the loop was merging: take it first. */
		if (ws->pushes != ws->taken_pushes)
			continue;
		ws->loop_waiting = true;
		if (ws->cfg.keep_stats) {
			/* Progress now and then: nothing else comes. */
			deadline(&ts, KN_CAPTURE_TICK_MS);
			waited = pthread_cond_timedwait(&ws->cv_loop, &ws->mu,
							&ts) == ETIMEDOUT;
		} else {
			pthread_cond_wait(&ws->cv_loop, &ws->mu);
		}
	}
	ws->loop_packets = packets_locked(ws);
	pthread_mutex_unlock(&ws->mu);
	return r;
}

void
kn_workers_finish(struct kn_workers *ws)
{
	if (!ws->started)
		return;
	pthread_mutex_lock(&ws->mu);
	ws->finishing = true;
	pthread_cond_broadcast(&ws->cv_work);
	wake_live(ws);
	while (!all_exited_locked(ws) || ws->queued > 0) {
		if (round_locked(ws) == 0 && !all_exited_locked(ws) &&
		    ws->pushes == ws->taken_pushes) {
			ws->loop_waiting = true;
			pthread_cond_wait(&ws->cv_loop, &ws->mu);
		}
	}
	pthread_mutex_unlock(&ws->mu);
	join_threads(ws);
}

static void
add_counters(struct kn_capture_counters *d, const struct kn_capture_counters *s)
{
	d->packets += s->packets;
	d->bytes += s->bytes;
	d->decoded += s->decoded;
	d->other += s->other;
	d->fragments += s->fragments;
	d->reassembled += s->reassembled;
	d->frag_timed_out += s->frag_timed_out;
	d->frag_dropped += s->frag_dropped;
	d->truncated += s->truncated;
	d->malformed += s->malformed;
	d->encapsulated += s->encapsulated;
	d->written += s->written;
	if (s->first_ts_us != 0 &&
	    (d->first_ts_us == 0 || s->first_ts_us < d->first_ts_us))
		d->first_ts_us = s->first_ts_us;
	if (s->last_ts_us > d->last_ts_us)
		d->last_ts_us = s->last_ts_us;
}

static void
add_txn_counters(struct kn_txn_counters *d, const struct kn_txn_counters *s)
{
	const uint64_t *a = (const uint64_t *)(const void *)s;
	uint64_t *b = (uint64_t *)(void *)d;
	size_t i;

	/* Every field is a uint64_t count. */
	for (i = 0; i < sizeof(*d) / sizeof(uint64_t); i++)
		b[i] += a[i];
}

void
kn_workers_counters(struct kn_workers *ws, struct kn_capture_counters *c,
		    struct kn_txn_counters *tc)
{
	unsigned i;

	memset(c, 0, sizeof(*c));
	memset(tc, 0, sizeof(*tc));
	pthread_mutex_lock(&ws->mu);
	if (ws->file)
		add_counters(c, &ws->rc);
	for (i = 0; i < ws->n; i++) {
		add_counters(c, &ws->w[i].pub_c);
		add_txn_counters(tc, &ws->w[i].pub_tc);
	}
	pthread_mutex_unlock(&ws->mu);
}

bool
kn_workers_stats(struct kn_workers *ws, struct kn_traffic_stats *dst)
{
	const struct kn_traffic_stats *src[KN_CAPTURE_WORKERS_MAX];
	unsigned i;
	bool ok;

	/* dst comes zeroed (calloc): clearing it would touch every page of
	 * its tables, most of which the merge never writes. */
	for (i = 0; i < ws->n; i++) {
		pthread_mutex_lock(&ws->w[i].smu);
		src[i] = ws->w[i].stats;
	}
	ok = kn_traffic_merge(dst, src, ws->n);
	for (i = ws->n; i-- > 0;)
		pthread_mutex_unlock(&ws->w[i].smu);
	return ok;
}

bool
kn_workers_pcap_stats(struct kn_workers *ws, struct pcap_stat *ps)
{
	unsigned i;
	bool any = false;

	memset(ps, 0, sizeof(*ps));
	if (ws->file)
		return false;
	pthread_mutex_lock(&ws->mu);
	for (i = 0; i < ws->n; i++) {
		struct worker *w = &ws->w[i];

		/* The thread's own while it runs, else read here. */
		if (!w->started && w->pcap != NULL &&
		    pcap_stats(w->pcap, &w->pub_ps) == 0)
			w->pub_ps_ok = true;
		if (!w->pub_ps_ok)
			continue;
		any = true;
		ps->ps_recv += w->pub_ps.ps_recv;
		ps->ps_drop += w->pub_ps.ps_drop;
		ps->ps_ifdrop += w->pub_ps.ps_ifdrop;
	}
	pthread_mutex_unlock(&ws->mu);
	return any;
}

uint64_t
kn_workers_queue_dropped(struct kn_workers *ws)
{
	uint64_t n = 0;
	unsigned i;

	pthread_mutex_lock(&ws->mu);
	for (i = 0; i < ws->n; i++)
		n += ws->w[i].pub_dropped;
	pthread_mutex_unlock(&ws->mu);
	return n;
}

void
kn_workers_with_writer(struct kn_workers *ws, void (*fn)(void *arg), void *arg)
{
	pthread_mutex_lock(&ws->wmu);
	fn(arg);
	pthread_mutex_unlock(&ws->wmu);
}

void
kn_workers_log_shares(struct kn_workers *ws)
{
	char line[KN_CAPTURE_WORKERS_MAX * 22];
	size_t o = 0;
	unsigned i;

	pthread_mutex_lock(&ws->mu);
	for (i = 0; i < ws->n && o < sizeof(line); i++)
		o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%llu",
				      i ? ", " : "",
				      (unsigned long long)ws->w[i].pub_taken);
	pthread_mutex_unlock(&ws->mu);
	kn_info("capture: %s: %u workers took %s packets", ws->what, ws->n,
		line);
}
