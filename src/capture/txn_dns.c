/* DNS transactions (RFC 1035 7.3): a response matches its query by
 * client, server, id and question; repeated queries are counted as
 * retransmissions; unanswered ones time out (5 s); an NXDOMAIN is held
 * until the client's next query says whether it was a search-path
 * expansion (resolv.conf search list). Over UDP, and over TCP with the
 * two-octet length prefix (RFC 1035 4.2.2). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "txn_int.h"

/* ---- pending queries ---- */

static uint32_t
pend_hash(const struct kn_ipaddr *c, uint16_t cport, const struct kn_ipaddr *s,
	  uint16_t sport, uint16_t id)
{
	return (uint32_t)txn_mix64(txn_ep_hash(c, cport) ^
				   (txn_ep_hash(s, sport) * 31) ^ id);
}

static inline struct pend *
pend_at(struct kn_txn_engine *e, uint32_t i)
{
	return &e->pend[txn_index_ref(&e->pix, i)];
}

/* A pending query whose transaction is gone or finished. */
static bool
pend_stale(void *arg, uint32_t ref)
{
	struct kn_txn_engine *e = arg;

	return txn_slot_open(e, e->pend[ref].seq) == NULL;
}

/* Find the pending query; with has_q the question must match too. */
static int64_t
pend_find(struct kn_txn_engine *e, uint32_t h, const struct kn_ipaddr *c,
	  uint16_t cport, const struct kn_ipaddr *s, uint16_t sport,
	  uint16_t id, bool has_q, uint64_t qh)
{
	uint32_t i = h & e->pix.mask;
	struct pend *p;

	for (; txn_index_probe(&e->pix, h, &i); i = (i + 1) & e->pix.mask) {
		p = pend_at(e, i);
		if (p->id == id && p->cport == cport && p->sport == sport &&
		    (!has_q || p->qhash == qh) && txn_ip_eq(&p->cip, c) &&
		    txn_ip_eq(&p->sip, s))
			return i;
	}
	return -1;
}

/* Remember the query of s (hash h, question hash qh) for its answer;
 * with the table at its load limit (after dropping stale entries) the
 * query is counted as evicted and its answer will not match. */
static void
pend_add(struct kn_txn_engine *e, uint32_t h, uint64_t qh, const struct slot *s)
{
	uint32_t limit = (e->pix.mask + 1) / 4 * 3, pos = 0;
	struct pend *p;

	if (e->pix.count >= limit)
		txn_index_sweep(&e->pix, &pos, 0, pend_stale, e);
	if (e->pix.count >= limit) {
		e->c.pending_evicted++;
		return;
	}
	p = &e->pend[txn_index_add(&e->pix, h)];
	p->cip = s->t.client.ip;
	p->sip = s->t.server.ip;
	p->cport = s->t.client.port;
	p->sport = s->t.server.port;
	p->id = s->t.u.dns.id;
	p->qhash = qh;
	p->seq = s->t.seq;
}

/* ---- search-path history ---- */

static bool
awaits(struct kn_txn_engine *e, uint64_t seq, struct slot **out)
{
	struct slot *s = txn_slot_at(e, seq);

	*out = s;
	return seq >= e->head && s->t.seq == seq && s->held;
}

static struct client_hist *
hist_get(struct kn_txn_engine *e, const struct kn_ipaddr *ip)
{
	struct client_hist *ch = &e->hist[txn_ep_hash(ip, 0) & (KN_HIST - 1)];
	struct slot *s;
	unsigned i;

	if (!txn_ip_eq(&ch->ip, ip)) {
		for (i = 0; i < ch->nawait; i++)
			if (awaits(e, ch->await[i], &s))
				txn_release_hold(e, s);
		ch->ip = *ip;
		ch->nawait = 0;
	}
	return ch;
}

bool
kn_txn_is_search_expansion(const char *nx, size_t nxlen, const char *next,
			   size_t nextlen)
{
	size_t k, s1len, s2len;
	const char *s1, *s2;

	for (k = 1; k < nxlen && k <= nextlen; k++) {
		char a = nx[k - 1], b = next[k - 1];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (char)(b + 32);
		if (a != b)
			return false;
		if (nx[k] != '.' || (k < nextlen && next[k] != '.'))
			continue;
		s1 = nx + k + 1;
		s1len = nxlen - k - 1;
		if (k == nextlen)
			return s1len > 0;
		s2 = next + k + 1;
		s2len = nextlen - k - 1;
		if (s2len > 0 && s2len < s1len &&
		    s1[s1len - s2len - 1] == '.' &&
		    strncasecmp(s1 + s1len - s2len, s2, s2len) == 0)
			return true;
	}
	return false;
}

/* The client asks q: its held NXDOMAINs that q continues are search
 * expansions, released. */
static void
hist_query(struct kn_txn_engine *e, const struct kn_ipaddr *client,
	   const char *q, size_t qlen)
{
	struct client_hist *ch = hist_get(e, client);
	unsigned i = 0;
	struct slot *s;

	while (i < ch->nawait) {
		if (!awaits(e, ch->await[i], &s)) {
			ch->await[i] = ch->await[--ch->nawait];
			continue;
		}
		if (kn_txn_is_search_expansion(s->t.u.dns.qname,
					       s->t.u.dns.qname_len, q, qlen)) {
			s->t.u.dns.search_expansion = true;
			txn_release_hold(e, s);
			ch->await[i] = ch->await[--ch->nawait];
			continue;
		}
		i++;
	}
}

static void
hist_hold(struct kn_txn_engine *e, struct slot *s)
{
	struct client_hist *ch = hist_get(e, &s->t.client.ip);
	struct slot *o;

	if (ch->nawait == KN_HIST_AWAIT) {
		if (awaits(e, ch->await[0], &o))
			txn_release_hold(e, o);
		memmove(ch->await, ch->await + 1,
			(KN_HIST_AWAIT - 1) * sizeof(ch->await[0]));
		ch->nawait--;
	}
	ch->await[ch->nawait++] = s->t.seq;
	s->held = true;
	s->deadline = e->now + e->cfg.dns_timeout_us;
}

/* ---- messages ---- */

/* Case-insensitive hash of a question (only ever compared with another
 * from this function): eight octets at a time, ASCII letters folded to
 * lower case in the word (bytes in 'A'..'Z' get 0x20), then mixed. */
static uint64_t
qname_hash(const char *s, size_t n, uint16_t qtype)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t high = 0x8080808080808080ULL;
	uint64_t h = 1469598103934665603ULL ^ qtype ^ ((uint64_t)n << 16);
	uint64_t w, lo, ge_a, gt_z;
	size_t i = 0, k;

	while (i < n) {
		/* A whole word by a fixed-size copy (one load); the tail
		 * zero-filled. */
		k = n - i < 8 ? n - i : 8;
		if (k == 8) {
			memcpy(&w, s + i, 8);
		} else {
			w = 0;
			memcpy(&w, s + i, k);
		}
		lo = w & ~high;
		ge_a = lo + ones * (0x80 - 'A');
		gt_z = lo + ones * (0x80 - 'Z' - 1);
		w |= ((ge_a & ~gt_z & ~w & high) >> 2);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
		i += k;
	}
	return h;
}

/* The pending-table hash of message m (0 when too short), its index
 * entry (and for a query the client's search history) starting to load:
 * the probe misses the cache, so it overlaps the parse. The id and QR
 * bit are the ones the parser reads. */
static uint32_t
dns_prefetch(struct kn_txn_engine *e, const uint8_t *m, size_t n,
	     const struct dir_ends *d)
{
	uint16_t id;
	uint32_t h;

	if (n < 12)
		return 0;
	id = (uint16_t)((m[0] << 8) | m[1]);
	if (m[2] & 0x80) {
		h = pend_hash(d->dst, d->dport, d->src, d->sport, id);
	} else {
		h = pend_hash(d->src, d->sport, d->dst, d->dport, id);
		__builtin_prefetch(
			&e->hist[txn_ep_hash(d->src, 0) & (KN_HIST - 1)]);
	}
	__builtin_prefetch(&e->pix.e[h & e->pix.mask]);
	return h;
}

/* A new DNS transaction for the query msg from d->src. */
static struct slot *
dns_txn_new(struct kn_txn_engine *e, uint64_t ts, const struct kn_dns_msg *msg,
	    const struct dir_ends *d)
{
	struct slot *s = txn_slot_new(e, KN_TXN_DNS, ts, e->cfg.dns_timeout_us);

	s->t.client.ip = *d->src;
	s->t.client.port = d->sport;
	s->t.server.ip = *d->dst;
	s->t.server.port = d->dport;
	s->t.transport = d->transport;
	s->t.encap = d->encap;
	if (d->encap) {
		s->t.outer_client = *d->osrc;
		s->t.outer_server = *d->odst;
	}
	s->t.u.dns.id = msg->id;
	s->t.u.dns.qtype = msg->qtype;
	s->t.u.dns.rcode = -1;
	s->t.u.dns.ancount = 0;
	s->t.u.dns.retrans = 0;
	s->t.u.dns.search_expansion = false;
	s->t.u.dns.error = KN_ICMP_NONE;
	s->t.u.dns.nanswers = 0;
	s->t.u.dns.answers_cut = false;
	s->t.u.dns.answers_len = 0;
	s->t.u.dns.answers = NULL;
	/* the root is "." (the decoder writes names without the final
	 * dot, so the root as "") */
	if (msg->has_question && msg->qname_len == 0)
		txn_copy_str(s->t.u.dns.qname, KN_TXN_QNAME, ".", 1);
	else
		txn_copy_str(s->t.u.dns.qname, KN_TXN_QNAME, msg->qname,
			     msg->qname_len);
	s->t.u.dns.qname_len = (uint16_t)strlen(s->t.u.dns.qname);
	return s;
}

static void
dns_query(struct kn_txn_engine *e, uint64_t ts, const struct kn_dns_msg *msg,
	  uint32_t h, uint64_t qh, const struct dir_ends *d)
{
	struct slot *s;
	int64_t i;

	e->c.dns_queries++;
	i = pend_find(e, h, d->src, d->sport, d->dst, d->dport, msg->id, true,
		      qh);
	if (i >= 0) {
		s = txn_slot_open(e, pend_at(e, (uint32_t)i)->seq);
		if (s != NULL && ts < s->deadline) {
			s->t.u.dns.retrans++;
			e->c.dns_retrans++;
			return;
		}
		txn_index_delete(&e->pix, (uint32_t)i);
	}
	s = dns_txn_new(e, ts, msg, d);
	pend_add(e, h, qh, s);
	hist_query(e, d->src, s->t.u.dns.qname, s->t.u.dns.qname_len);
}

/* The answer records of message m[0..n) as texts, back to back, as many
 * as fit in KN_TXN_ANSWERS, on the heap at their length; answers_cut
 * when any record is missing from them (no room, no text form, not
 * kept by the decoder). */
static void
dns_answers(struct slot *s, const uint8_t *m, size_t n,
	    const struct kn_dns_msg *msg)
{
	char buf[KN_TXN_ANSWERS], txt[KN_TXN_ANSWERS];
	size_t used = 0, tl;
	unsigned k;

	for (k = 0; k < msg->nans && s->t.u.dns.nanswers < UINT8_MAX; k++) {
		if (kn_dns_rdata_text(m, n, &msg->ans[k], txt, sizeof(txt)) !=
		    KN_OK)
			continue;
		tl = strlen(txt);
		if (used + tl + 1 > sizeof(buf))
			break;
		memcpy(buf + used, txt, tl + 1);
		used += tl + 1;
		s->t.u.dns.nanswers++;
	}
	s->t.u.dns.answers_cut = s->t.u.dns.nanswers < msg->ancount;
	if (used == 0)
		return;
	s->t.u.dns.answers = malloc(used);
	if (s->t.u.dns.answers == NULL) {
		s->t.u.dns.nanswers = 0;
		s->t.u.dns.answers_cut = true;
		return;
	}
	memcpy(s->t.u.dns.answers, buf, used);
	s->t.u.dns.answers_len = (uint16_t)used;
}

static void
dns_response(struct kn_txn_engine *e, uint64_t ts, const uint8_t *m, size_t n,
	     uint32_t h, uint64_t qh, const struct dir_ends *d)
{
	const struct kn_dns_msg *msg = &e->msg;
	struct slot *s;
	int64_t i;

	e->c.dns_responses++;
	i = pend_find(e, h, d->dst, d->dport, d->src, d->sport, msg->id,
		      msg->has_question, qh);
	if (i < 0) {
		e->c.dns_unmatched++;
		return;
	}
	s = txn_slot_open(e, pend_at(e, (uint32_t)i)->seq);
	txn_index_delete(&e->pix, (uint32_t)i);
	if (s == NULL) { /* its query timed out (or was forced out) */
		e->c.dns_late++;
		return;
	}
	if (ts >= s->deadline) {
		e->c.dns_late++;
		txn_expire(e, s);
		txn_advance(e, false);
		return;
	}
	s->t.answered = true;
	s->t.latency_us = (int64_t)(ts - s->t.ts_us);
	s->t.u.dns.rcode = msg->rcode;
	s->t.u.dns.ancount = msg->ancount;
	if (e->cfg.want_answers)
		dns_answers(s, m, n, msg);
	if (msg->rcode == KN_DNS_NXDOMAIN && s->t.u.dns.qname_len > 1 &&
	    memchr(s->t.u.dns.qname, '.', s->t.u.dns.qname_len) != NULL)
		hist_hold(e, s);
	txn_finish(e, s);
	txn_advance(e, false);
}

void
txn_dns_unreachable(struct kn_txn_engine *e, uint64_t ts, const uint8_t *m,
		    size_t n, const struct dir_ends *d)
{
	struct kn_dns_msg *msg = &e->msg;
	struct slot *s;
	uint32_t h;
	int64_t i = -1;

	/* The id is in the quoted query: RFC 792 promises only the UDP
	 * header, but Linux and most stacks quote the whole datagram up
	 * to 576 octets (IPv4) or the IPv6 minimum MTU. */
	if (n >= 12 && (m[2] & 0x80) == 0 &&
	    (kn_dns_parse(m, n, msg) == KN_OK || msg->has_question)) {
		h = pend_hash(d->src, d->sport, d->dst, d->dport, msg->id);
		i = pend_find(
			e, h, d->src, d->sport, d->dst, d->dport, msg->id,
			msg->has_question,
			qname_hash(msg->qname, msg->qname_len, msg->qtype));
	}
	if (i < 0) {
		e->c.dns_icmp_unmatched++;
		return;
	}
	s = txn_slot_open(e, pend_at(e, (uint32_t)i)->seq);
	txn_index_delete(&e->pix, (uint32_t)i);
	if (s == NULL || ts >= s->deadline) {
		e->c.dns_icmp_unmatched++;
		if (s != NULL) {
			txn_expire(e, s);
			txn_advance(e, false);
		}
		return;
	}
	e->c.dns_unreachable++;
	s->t.latency_us = (int64_t)(ts - s->t.ts_us);
	s->t.u.dns.error = KN_ICMP_PORT_UNREACH;
	txn_finish(e, s);
	txn_advance(e, false);
}

void
txn_dns_message(struct kn_txn_engine *e, uint64_t ts, const uint8_t *m,
		size_t n, const struct dir_ends *d)
{
	struct kn_dns_msg *msg = &e->msg;
	uint32_t h = dns_prefetch(e, m, n, d);
	uint64_t qh;

	if (kn_dns_parse(m, n, msg) != KN_OK) {
		e->c.dns_malformed++;
		if (n < 12 || (msg->qdcount > 0 && !msg->has_question))
			return;
	}
	if (msg->opcode != 0 && msg->opcode != 2) /* QUERY, STATUS only */
		return;
	qh = qname_hash(msg->qname, msg->qname_len, msg->qtype);
	if (!msg->qr)
		dns_query(e, ts, msg, h, qh, d);
	else
		dns_response(e, ts, m, n, h, qh, d);
}

void
txn_dns_desync(struct kn_txn_engine *e, struct flow *f, int dir)
{
	struct app_half *a = &f->app[dir];

	e->c.dns_tcp_gaps++;
	txn_acc_release(e, a);
	a->remain = 0;
	a->mode = M_DNS_RESYNC;
}

/* A segment after a hole is taken as the start of a message only when
 * its length prefix is followed by a header and one question that parse
 * (the whole message, when the segment holds it all) and the QR bit
 * fits the direction: two bytes of a message's middle rarely do. */
bool
txn_dns_resync(struct kn_txn_engine *e, struct flow *f, int dir,
	       const uint8_t *p, size_t n)
{
	struct kn_dns_msg *m = &e->msg;
	size_t L, have;
	enum kn_err r;

	if (n < 2 + 12)
		return false;
	L = ((size_t)p[0] << 8) | p[1];
	if (L < 12 + 5) /* a header and the shortest question */
		return false;
	have = n - 2 < L ? n - 2 : L;
	r = kn_dns_parse(p + 2, have, m);
	if ((have == L && r != KN_OK) || !m->has_question || m->qdcount != 1 ||
	    (m->opcode != 0 && m->opcode != 2) || m->qr != (dir == 1))
		return false;
	e->c.dns_tcp_resyncs++;
	f->app[dir].mode = M_DNS;
	return true;
}

size_t
txn_dns_feed(struct kn_txn_engine *e, struct flow *f, int dir, const uint8_t *p,
	     size_t n, uint64_t ts)
{
	struct app_half *a = &f->app[dir];
	struct dir_ends d;
	size_t L, k, need;
	uint8_t *buf;

	txn_flow_ends(f, dir, &d);
	if (a->remain > 0) { /* skipping an oversize message */
		k = n < a->remain ? n : (size_t)a->remain;
		a->remain -= k;
		return k;
	}
	if (a->acclen == 0) {
		a->msg_ts = ts;
		if (n >= 2) {
			L = ((size_t)p[0] << 8) | p[1];
			if (n >= 2 + L) {
				txn_dns_message(e, ts, p + 2, L, &d);
				return 2 + L;
			}
			if (2 + L > KN_TCP_BUFSZ) {
				e->c.dns_tcp_oversize++;
				a->remain = 2 + L - n;
				return n;
			}
		}
		if (!txn_acc_get(e, a)) {
			txn_app_desync(e, f, dir);
			return n;
		}
	}
	buf = kn_tcp_buf(&e->pool, a->acc);
	if (a->acclen < 2) {
		buf[a->acclen++] = p[0];
		return 1;
	}
	L = ((size_t)buf[0] << 8) | buf[1];
	if (2 + L > KN_TCP_BUFSZ) {
		e->c.dns_tcp_oversize++;
		a->remain = 2 + L - a->acclen;
		txn_acc_release(e, a);
		return 0;
	}
	need = 2 + L - a->acclen;
	k = n < need ? n : need;
	memcpy(buf + a->acclen, p, k);
	a->acclen += (uint32_t)k;
	if (a->acclen == 2 + L) {
		txn_dns_message(e, a->msg_ts, buf + 2, L, &d);
		txn_acc_release(e, a);
	}
	return k;
}
