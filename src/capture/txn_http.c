/* HTTP/1.x transactions: request and response heads on a connection
 * matched in order (RFC 9112 9.3 pipelining, up to KN_PIPE requests
 * waiting), bodies counted by Content-Length, chunked coding or the
 * close (RFC 9112 6.3), CONNECT and Upgrade ending the decoding, the
 * heads kept with credentials redacted.
 *
 * A capture misses segments. A hole a counted body cannot span, or bytes
 * that are no message, end what was under way; the direction then skips
 * to the next segment that starts a request or status line and goes on
 * from there. Which request a response answers is checked against the
 * TCP acknowledgments (RFC 9293 3.4): a server cannot answer a request
 * whose first byte it had not received, so a response whose ACK does not
 * reach the oldest waiting request answers one that was not captured and
 * is shown on its own; and after a hole, requests sent once the client
 * had received bytes past the hole's start were sent after responses
 * lost in it, so the requests before them were answered there. */
#include <stdlib.h>
#include <string.h>

#include "txn_int.h"

/* Keep the head raw[0..n) as direction dir of s's heads (a response
 * replaces an interim one). Exact-sized, so a transaction holds only
 * what its heads need; without memory, or with no_heads, it has
 * none. */
static void
heads_keep(struct kn_txn_engine *e, struct slot *s, int dir, const uint8_t *raw,
	   size_t n)
{
	struct kn_txn_heads *hd = s->t.u.http.heads, *nh;
	char tmp[KN_TXN_HEAD_KEEP];
	size_t len, req;
	bool trunc;

	if (e->cfg.no_heads)
		return;
	len = kn_http_head_keep(raw, n, tmp, sizeof(tmp), &trunc);
	req = dir == 1 && hd != NULL ? hd->len[0] : 0;
	nh = realloc(hd, sizeof(*nh) + req + len);
	if (nh == NULL)
		return;
	if (hd == NULL)
		memset(nh, 0, sizeof(*nh));
	memcpy(nh->data + req, tmp, len);
	nh->len[dir] = (uint16_t)len;
	nh->trunc[dir] = trunc;
	s->t.u.http.heads = nh;
}

/* Take the oldest waiting request off the queue: its transaction if it
 * is still open, else NULL. */
static struct slot *
pipe_pop(struct kn_txn_engine *e, struct flow *f)
{
	struct slot *s = txn_slot_open(e, f->reqq[f->qhead]);

	f->qhead = (uint8_t)((f->qhead + 1) % KN_PIPE);
	f->qlen--;
	return s;
}

static void
pipe_expire(struct kn_txn_engine *e, struct flow *f)
{
	struct slot *s = pipe_pop(e, f);

	if (s != NULL)
		txn_expire(e, s);
}

/* The oldest waiting request got its whole response. */
static void
http_complete(struct kn_txn_engine *e, struct flow *f)
{
	struct slot *s;

	if (f->qlen == 0)
		return;
	s = pipe_pop(e, f);
	if (s != NULL) {
		s->t.answered = s->t.u.http.status >= 0;
		txn_finish(e, s);
	}
	f->app[1].cur = NO_SEQ;
	txn_advance(e, false);
}

/* The response under way ended: its request's transaction, or its own
 * when it answered no captured request. */
static void
response_done(struct kn_txn_engine *e, struct flow *f)
{
	struct app_half *a = &f->app[1];
	struct slot *s;

	if (!a->orphan) {
		http_complete(e, f);
		return;
	}
	a->orphan = false;
	s = txn_slot_open(e, a->cur);
	a->cur = NO_SEQ;
	if (s != NULL)
		txn_finish(e, s);
	txn_advance(e, false);
}

/* A response whose request was not captured: a transaction of its own
 * (peers, status, sizes; no method, host, path or latency). */
static struct slot *
orphan_new(struct kn_txn_engine *e, struct flow *f, struct app_half *a)
{
	struct slot *s =
		txn_slot_new(e, KN_TXN_HTTP, a->msg_ts, e->cfg.http_timeout_us);

	txn_flow_peers(f, &s->t);
	s->t.u.http.status = -1;
	s->t.u.http.minor = 0;
	s->t.u.http.unmatched = true;
	s->t.u.http.gap = false;
	s->t.u.http.req_bytes = 0;
	s->t.u.http.resp_bytes = 0;
	s->t.u.http.path_cut = false;
	s->t.u.http.host_cut = false;
	s->t.u.http.method[0] = '\0';
	s->t.u.http.host[0] = '\0';
	s->t.u.http.path = txn_empty;
	s->t.u.http.heads = NULL;
	return s;
}

/* Had the server received the oldest waiting request's first byte (its
 * ACK passed it; without ACKs seen, assumed)? If not, a response now
 * answers a request that was not captured. */
static bool
head_received(const struct flow *f)
{
	return f->qlen > 0 && (!(f->acked & 2) ||
			       (int32_t)(f->ack[1] - f->reqseq[f->qhead]) > 0);
}

/* Mark the transaction of seq: bytes of it were not captured. */
static void
mark_gap(struct kn_txn_engine *e, uint64_t seq)
{
	struct slot *s = txn_slot_open(e, seq);

	if (s != NULL)
		s->t.u.http.gap = true;
}

static void
add_bytes(struct kn_txn_engine *e, struct app_half *a, int dir, size_t n)
{
	struct slot *s = txn_slot_open(e, a->cur);

	if (s == NULL)
		return;
	if (dir == 0)
		s->t.u.http.req_bytes += n;
	else
		s->t.u.http.resp_bytes += n;
}

static void
body_done(struct kn_txn_engine *e, struct flow *f, int dir)
{
	f->app[dir].mode = M_HEAD;
	if (dir == 1)
		response_done(e, f);
	else
		f->app[0].cur = NO_SEQ;
}

/* The body that follows a head: chunked or counted (else none). */
static void
body_start(struct app_half *a, const struct kn_http_head *h)
{
	if (h->chunked) {
		kn_http_chunked_init(&a->ck);
		a->mode = M_CHUNKED;
	} else if (h->content_length > 0) {
		a->remain = (uint64_t)h->content_length;
		a->mode = M_BODY_LEN;
	} else {
		a->mode = M_HEAD;
	}
}

static void
http_request(struct kn_txn_engine *e, struct flow *f, struct app_half *a,
	     const struct kn_http_head *h, const uint8_t *raw)
{
	struct slot *s;

	e->c.http_requests++;
	if (f->qlen == KN_PIPE) {
		e->c.http_pipeline_overflow++;
		pipe_expire(e, f);
	}
	s = txn_slot_new(e, KN_TXN_HTTP, a->msg_ts, e->cfg.http_timeout_us);
	txn_flow_peers(f, &s->t);
	s->t.u.http.status = -1;
	s->t.u.http.minor = (uint8_t)h->minor;
	s->t.u.http.unmatched = false;
	s->t.u.http.gap = false;
	s->t.u.http.req_bytes = h->head_len;
	s->t.u.http.resp_bytes = 0;
	txn_copy_str(s->t.u.http.method, sizeof(s->t.u.http.method), h->method,
		     h->method_len);
	s->t.u.http.path = txn_str_new(h->target, h->target_len, KN_TXN_PATH,
				       &s->t.u.http.path_cut);
	s->t.u.http.host_cut = false;
	if (h->host != NULL)
		s->t.u.http.host_cut = txn_copy_str(
			s->t.u.http.host, KN_TXN_HOST, h->host, h->host_len);
	else
		s->t.u.http.host[0] = '\0';
	s->t.u.http.heads = NULL;
	heads_keep(e, s, 0, raw, h->head_len);
	f->reqq[(f->qhead + f->qlen) % KN_PIPE] = s->t.seq;
	f->reqseq[(f->qhead + f->qlen) % KN_PIPE] = a->msg_seq;
	f->reqack[(f->qhead + f->qlen) % KN_PIPE] = f->ack[0];
	f->qlen++;
	a->cur = s->t.seq;
	if (h->method_len == 7 && memcmp(h->method, "CONNECT", 7) == 0)
		f->connect = true;
	body_start(a, h);
	if (a->mode == M_HEAD)
		a->cur = NO_SEQ;
}

static void
http_response(struct kn_txn_engine *e, struct flow *f, struct app_half *a,
	      const struct kn_http_head *h, const uint8_t *raw)
{
	struct slot *s = NULL;
	bool nobody, head_req = false;

	e->c.http_responses++;
	if (head_received(f)) {
		s = txn_slot_open(e, f->reqq[f->qhead]);
		a->orphan = false;
	} else if (h->status >= 200 || h->status == 101) {
		e->c.http_unmatched++;
		s = orphan_new(e, f, a);
		a->orphan = true;
	} else {
		a->orphan = false; /* an interim one: the final one says */
	}
	a->cur = s != NULL ? s->t.seq : NO_SEQ;
	if (s != NULL) {
		if (s->t.latency_us < 0 && !a->orphan)
			s->t.latency_us = (int64_t)(a->msg_ts - s->t.ts_us);
		s->t.u.http.status = h->status;
		if (a->orphan)
			s->t.u.http.minor = (uint8_t)h->minor;
		s->t.u.http.resp_bytes += h->head_len;
		head_req = strcmp(s->t.u.http.method, "HEAD") == 0;
		heads_keep(e, s, 1, raw, h->head_len);
	}
	if (h->status < 200 && h->status != 101) {
		a->mode = M_HEAD; /* interim: the final response follows */
		return;
	}
	if (h->status == 101 || (f->connect && h->status < 300)) {
		if (f->qlen > 0 || a->orphan)
			response_done(e, f);
		txn_ignore_flow(e, f);
		return;
	}
	f->connect = false;
	/* RFC 9112 6.3: HEAD, 1xx, 204 and 304 have no body. */
	nobody = head_req || h->status == 204 || h->status == 304;
	if (nobody || (!h->chunked && h->content_length == 0))
		body_done(e, f, 1);
	else if (!h->chunked && h->content_length < 0)
		a->mode = M_CLOSE;
	else
		body_start(a, h);
}

/* One complete head (from the segment or the accumulation buffer). */
static void
http_head(struct kn_txn_engine *e, struct flow *f, int dir,
	  const struct kn_http_head *h, const uint8_t *raw)
{
	struct app_half *a = &f->app[dir];

	if (h->request != (dir == 0)) {
		e->c.http_malformed++;
		txn_ignore_flow(e, f);
		return;
	}
	if (dir == 0)
		http_request(e, f, a, h, raw);
	else
		http_response(e, f, a, h, raw);
}

/* A head that cannot be parsed: counted, and the direction skips to
 * the next message. */
static void
head_bad(struct kn_txn_engine *e, struct flow *f, int dir, enum kn_err err)
{
	if (err == KN_ERR_LIMIT)
		e->c.http_head_too_large++;
	else
		e->c.http_malformed++;
	txn_http_desync(e, f, dir, false);
}

/* The start of a head at p[0..n) (blank lines before it skipped):
 * parsed in place when whole, else copied into a reassembly buffer.
 * Returns the bytes used. */
static size_t
head_first(struct kn_txn_engine *e, struct flow *f, int dir, const uint8_t *p,
	   size_t n, uint64_t ts)
{
	struct app_half *a = &f->app[dir];
	struct kn_http_head h;
	enum kn_err err;
	size_t skipped = 0;

	while (skipped < n && (p[skipped] == '\r' || p[skipped] == '\n'))
		skipped++;
	if (skipped == n)
		return n;
	p += skipped;
	n -= skipped;
	a->msg_ts = ts;
	a->msg_seq = a->pos + (uint32_t)skipped;
	if (!(dir == 0 ? kn_http_looks_request(p, n)
		       : kn_http_looks_response(p, n))) {
		e->c.http_malformed++;
		txn_http_desync(e, f, dir, false);
		return skipped + n;
	}
	err = kn_http_head_parse(p, n, &h);
	if (err == KN_OK) {
		http_head(e, f, dir, &h, p);
		return skipped + h.head_len;
	}
	if (err != KN_ERR_TRUNC) {
		head_bad(e, f, dir, err);
		return skipped + n;
	}
	if (!txn_acc_get(e, a)) {
		txn_http_desync(e, f, dir, false);
		return skipped + n;
	}
	memcpy(kn_tcp_buf(&e->pool, a->acc), p, n);
	a->acclen = (uint32_t)n;
	return skipped + n;
}

size_t
txn_http_head_feed(struct kn_txn_engine *e, struct flow *f, int dir,
		   const uint8_t *p, size_t n, uint64_t ts)
{
	struct app_half *a = &f->app[dir];
	struct kn_http_head h;
	enum kn_err err;
	size_t k, old;
	uint8_t *buf;

	if (a->acclen == 0)
		return head_first(e, f, dir, p, n, ts);
	buf = kn_tcp_buf(&e->pool, a->acc);
	k = KN_HTTP_HEAD_MAX - a->acclen;
	if (k > n)
		k = n;
	memcpy(buf + a->acclen, p, k);
	old = a->acclen;
	a->acclen += (uint32_t)k;
	err = kn_http_head_parse(buf, a->acclen, &h);
	if (err == KN_OK) {
		http_head(e, f, dir, &h, buf);
		txn_acc_release(e, a);
		return h.head_len - old;
	}
	if (err == KN_ERR_TRUNC)
		return k;
	head_bad(e, f, dir, err);
	return n;
}

size_t
txn_http_body_feed(struct kn_txn_engine *e, struct flow *f, int dir,
		   const uint8_t *p, size_t n)
{
	struct app_half *a = &f->app[dir];
	size_t k;
	bool done;

	switch (a->mode) {
	case M_BODY_LEN:
		k = n < a->remain ? n : (size_t)a->remain;
		a->remain -= k;
		add_bytes(e, a, dir, k);
		if (a->remain == 0)
			body_done(e, f, dir);
		return k;
	case M_CHUNKED:
		if (kn_http_chunked_feed(&a->ck, p, n, &k, &done) != KN_OK) {
			e->c.http_malformed++;
			txn_http_desync(e, f, dir, false);
			return n;
		}
		add_bytes(e, a, dir, k);
		if (done)
			body_done(e, f, dir);
		return k;
	default: /* M_CLOSE: the body runs to the end of the connection */
		add_bytes(e, a, dir, n);
		return n;
	}
}

bool
txn_http_hole(struct kn_txn_engine *e, struct flow *f, int dir, size_t n)
{
	struct app_half *a = &f->app[dir];

	if (a->mode == M_BODY_LEN && a->remain > n) {
		a->remain -= n;
		add_bytes(e, a, dir, n);
		return true;
	}
	if (a->mode == M_CLOSE) {
		add_bytes(e, a, dir, n);
		return true;
	}
	return false;
}

/* Requests still waiting when a response is found after the stream
 * skipped bytes from skip to at: those followed by a request the client
 * sent once it had received bytes past skip (and before at) had their
 * responses in what was skipped. Their status is lost. */
static void
skipped_answers(struct kn_txn_engine *e, struct flow *f, uint32_t skip,
		uint32_t at)
{
	uint32_t next;
	struct slot *s;

	while (f->qlen >= 2) {
		next = f->reqack[(f->qhead + 1) % KN_PIPE];
		if ((int32_t)(next - skip) <= 0 || (int32_t)(next - at) > 0)
			break;
		s = pipe_pop(e, f);
		if (s != NULL) {
			s->t.u.http.gap = true;
			txn_expire(e, s);
		}
	}
}

void
txn_http_desync(struct kn_txn_engine *e, struct flow *f, int dir, bool hole)
{
	struct app_half *a = &f->app[dir];
	struct slot *s;

	if (hole)
		e->c.http_gaps++;
	switch (a->mode) {
	case M_BODY_LEN:
	case M_CHUNKED:
	case M_CLOSE:
		/* the head was seen: the message ends here, short */
		mark_gap(e, a->cur);
		if (dir == 1)
			response_done(e, f);
		else
			a->cur = NO_SEQ;
		break;
	case M_HEAD:
		/* a response head cut by the hole: its request's status is
		 * lost */
		if (dir == 1 && a->acclen > 0 && hole && head_received(f)) {
			s = pipe_pop(e, f);
			if (s != NULL) {
				s->t.u.http.gap = true;
				txn_expire(e, s);
			}
		}
		break;
	default:
		break;
	}
	txn_acc_release(e, a);
	a->mode = M_RESYNC;
	/* the hole's start, or the bytes that were no message */
	a->skip_seq = hole ? f->tcp[dir].next : a->pos;
}

bool
txn_http_resync(struct kn_txn_engine *e, struct flow *f, int dir,
		const uint8_t *p, size_t n)
{
	struct app_half *a = &f->app[dir];

	if (!kn_http_starts_message(p, n, dir == 0))
		return false;
	e->c.http_resyncs++;
	if (dir == 1 && (f->acked & 1))
		skipped_answers(e, f, a->skip_seq, a->pos);
	a->mode = M_HEAD;
	return true;
}

void
txn_http_close(struct kn_txn_engine *e, struct flow *f)
{
	struct app_half *a = &f->app[1];
	struct slot *s = a->orphan     ? txn_slot_open(e, a->cur)
			 : f->qlen > 0 ? txn_slot_open(e, f->reqq[f->qhead])
				       : NULL;

	if (a->mode == M_CLOSE || (s != NULL && s->t.u.http.status >= 0))
		response_done(e, f);
	while (f->qlen > 0)
		pipe_expire(e, f);
}
