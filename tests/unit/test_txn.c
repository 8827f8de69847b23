/* Unit tests for transaction matching: DNS retransmissions, timeouts,
 * search-path expansions; HTTP keep-alive, pipelining, HEAD, 1xx, bytes,
 * segments split and retransmitted, segments lost from the capture,
 * responses without their requests, connections joined mid-stream;
 * first-packet ordering; an engine fed one shard of a capture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "k8snet/txn.h"

#define MAXT 32

struct got {
	int n;
	struct kn_txn t[MAXT];
	/* the heads, path and answers, which live only during the sink
	 * call */
	char hd[MAXT][2][KN_TXN_HEAD_KEEP + 1];
	bool trunc[MAXT][2];
	char text[MAXT]
		 [KN_TXN_PATH > KN_TXN_ANSWERS ? KN_TXN_PATH : KN_TXN_ANSWERS];
};

static void
sink(void *arg, const struct kn_txn *t)
{
	struct got *g = arg;
	const struct kn_txn_heads *h;

	if (g->n >= MAXT)
		return;
	g->t[g->n] = *t;
	h = t->type == KN_TXN_HTTP ? t->u.http.heads : NULL;
	if (h != NULL) {
		memcpy(g->hd[g->n][0], h->data, h->len[0]);
		g->hd[g->n][0][h->len[0]] = '\0';
		memcpy(g->hd[g->n][1], h->data + h->len[0], h->len[1]);
		g->hd[g->n][1][h->len[1]] = '\0';
		g->trunc[g->n][0] = h->trunc[0];
		g->trunc[g->n][1] = h->trunc[1];
	}
	if (t->type == KN_TXN_HTTP) {
		g->t[g->n].u.http.heads = NULL;
		snprintf(g->text[g->n], sizeof(g->text[0]), "%s",
			 t->u.http.path);
		g->t[g->n].u.http.path = g->text[g->n];
	} else if (t->type == KN_TXN_DNS && t->u.dns.answers != NULL) {
		memcpy(g->text[g->n], t->u.dns.answers, t->u.dns.answers_len);
		g->t[g->n].u.dns.answers = g->text[g->n];
	}
	g->n++;
}

static struct kn_txn_engine *
engine(struct got *g)
{
	struct kn_txn_config cfg;
	struct kn_txn_engine *e;
	char errbuf[KN_ERRBUF];

	memset(&cfg, 0, sizeof(cfg));
	cfg.ordered = true;
	cfg.want_answers = true;
	cfg.max_flows = 16;
	cfg.max_pending = 16;
	cfg.ring = 64;
	cfg.tcp_bufs = 8;
	memset(g, 0, sizeof(*g));
	assert_int_equal(kn_txn_engine_new(&cfg, sink, g, &e, errbuf), KN_OK);
	return e;
}

static size_t
dnsmsg(uint8_t *m, uint16_t id, bool resp, int rcode, const char *name,
       int nanswers)
{
	size_t n = 12, l;
	const char *p = name, *dot;
	int i;

	memset(m, 0, 12);
	m[0] = (uint8_t)(id >> 8);
	m[1] = (uint8_t)id;
	m[2] = resp ? 0x81 : 0x01;
	m[3] = (uint8_t)(resp ? 0x80 | rcode : 0);
	m[5] = 1;
	m[7] = (uint8_t)nanswers;
	while (*p) {
		dot = strchr(p, '.');
		l = dot ? (size_t)(dot - p) : strlen(p);
		m[n++] = (uint8_t)l;
		memcpy(m + n, p, l);
		n += l;
		p += l + (dot ? 1 : 0);
	}
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 1;
	m[n++] = 0;
	m[n++] = 1;
	for (i = 0; i < nanswers; i++) {
		static const uint8_t rr[] = {0xc0, 12, 0, 1, 0,	 1,  0, 0,
					     0,	   9,  0, 4, 10, 96, 0, 10};

		memcpy(m + n, rr, sizeof(rr));
		n += sizeof(rr);
	}
	return n;
}

static void
pkt(struct kn_pkt *p, int proto, int from_client, uint16_t cport,
    uint16_t sport, const uint8_t *pl, size_t n)
{
	memset(p, 0, sizeof(*p));
	p->src.family = p->dst.family = 4;
	p->src.addr[0] = p->dst.addr[0] = 10;
	p->src.addr[3] = (uint8_t)(from_client ? 1 : 2);
	p->dst.addr[3] = (uint8_t)(from_client ? 2 : 1);
	p->proto = (uint8_t)proto;
	p->sport = from_client ? cport : sport;
	p->dport = from_client ? sport : cport;
	p->payload = pl;
	p->plen = (uint32_t)n;
}

static void
dns(struct kn_txn_engine *e, uint64_t ts, int from_client, uint16_t cport,
    uint16_t id, int rcode, const char *name, int nans)
{
	uint8_t m[300];
	struct kn_pkt p;
	size_t n = dnsmsg(m, id, !from_client, rcode, name, nans);

	pkt(&p, 17, from_client, cport, 53, m, n);
	kn_txn_engine_packet(e, ts, &p);
}

static void
test_dns_matching(void **state)
{
	struct got g;
	struct kn_txn_engine *e = engine(&g);

	(void)state;
	dns(e, 1000000, 1, 5000, 7, 0, "a.example", 0);
	dns(e, 1100000, 1, 5001, 8, 0, "b.example", 0); /* never answered */
	dns(e, 1500000, 1, 5000, 7, 0, "a.example", 0); /* retransmitted */
	dns(e, 1600000, 0, 5000, 7, 0, "a.example", 1);
	dns(e, 1700000, 0, 5002, 9, 0, "c.example", 1); /* unmatched */
	assert_int_equal(g.n, 1);
	assert_string_equal(g.t[0].u.dns.qname, "a.example");
	assert_int_equal(g.t[0].latency_us, 600000);
	assert_int_equal(g.t[0].u.dns.retrans, 1);
	assert_int_equal(g.t[0].u.dns.ancount, 1);
	assert_string_equal(g.t[0].u.dns.answers, "10.96.0.10");
	/* 5 s later in capture time the unanswered one comes out. */
	kn_txn_engine_tick(e, 6200000);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.t[1].u.dns.rcode, -1);
	assert_int_equal(g.t[1].latency_us, -1);
	/* A response after the timeout does not answer it. */
	dns(e, 7000000, 1, 5003, 10, 0, "d.example", 0);
	dns(e, 12500000, 0, 5003, 10, 0, "d.example", 1);
	kn_txn_engine_finish(e);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.t[2].u.dns.rcode, -1);
	assert_int_equal(kn_txn_engine_counters(e)->dns_unmatched, 1);
	assert_int_equal(kn_txn_engine_counters(e)->dns_late, 1);
	kn_txn_engine_free(e);
}

/* An ICMP port unreachable quoting a pending query ends it as refused,
 * with its latency; one that quotes only the UDP header (no DNS id), or
 * no pending query, is counted and leaves the queries alone. */
static void
test_dns_port_unreachable(void **state)
{
	struct got g;
	struct kn_txn_engine *e = engine(&g);
	uint8_t m[300];
	struct kn_pkt p;
	size_t n;

	(void)state;
	dns(e, 1000000, 1, 5000, 7, 0, "closed.example", 0);
	dns(e, 1000100, 1, 5001, 8, 0, "other.example", 0);
	n = dnsmsg(m, 7, false, 0, "closed.example", 0);
	pkt(&p, 17, 1, 5001, 53, m, 0); /* the UDP header only */
	p.icmp = KN_ICMP_PORT_UNREACH;
	kn_txn_engine_packet(e, 1000200, &p);
	pkt(&p, 17, 1, 5000, 53, m, n);
	p.icmp = KN_ICMP_PORT_UNREACH;
	kn_txn_engine_packet(e, 1000300, &p);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.t[0].u.dns.qname, "closed.example");
	assert_int_equal(g.t[0].u.dns.error, KN_ICMP_PORT_UNREACH);
	assert_int_equal(g.t[0].u.dns.rcode, -1);
	assert_int_equal(g.t[0].latency_us, 300);
	kn_txn_engine_packet(e, 1000400, &p); /* again: nothing pending */
	kn_txn_engine_finish(e);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.t[1].u.dns.error, KN_ICMP_NONE);
	assert_int_equal(kn_txn_engine_counters(e)->dns_unreachable, 1);
	assert_int_equal(kn_txn_engine_counters(e)->dns_icmp_unmatched, 2);
	assert_int_equal(kn_txn_engine_counters(e)->dns_retrans, 0);
	kn_txn_engine_free(e);
}

static void
test_dns_order_and_search(void **state)
{
	struct got g;
	struct kn_txn_engine *e = engine(&g);

	(void)state;
	/* Two queries; the second answered first: lines keep query order. */
	dns(e, 1000, 1, 6000, 1, 0, "x.svc", 0);
	dns(e, 1100, 1, 6001, 2, 0, "y.svc", 0);
	dns(e, 1200, 0, 6001, 2, 0, "y.svc", 1);
	assert_int_equal(g.n, 0);
	dns(e, 1300, 0, 6000, 1, 0, "x.svc", 1);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.t[0].u.dns.qname, "x.svc");
	/* ndots: NXDOMAIN for name.<search> then the name resolves. */
	dns(e, 2000, 1, 6002, 3, 0, "example.com.default.svc.cluster.local", 0);
	dns(e, 2100, 0, 6002, 3, 3, "example.com.default.svc.cluster.local", 0);
	dns(e, 2200, 1, 6003, 4, 0, "example.com.svc.cluster.local", 0);
	dns(e, 2300, 0, 6003, 4, 3, "example.com.svc.cluster.local", 0);
	dns(e, 2400, 1, 6004, 5, 0, "example.com", 0);
	dns(e, 2500, 0, 6004, 5, 0, "example.com", 1);
	/* A real NXDOMAIN. */
	dns(e, 2600, 1, 6005, 6, 0, "missing.default.svc.cluster.local", 0);
	dns(e, 2700, 0, 6005, 6, 3, "missing.default.svc.cluster.local", 0);
	kn_txn_engine_finish(e);
	assert_int_equal(g.n, 6);
	assert_true(g.t[2].u.dns.search_expansion);
	assert_true(g.t[3].u.dns.search_expansion);
	assert_false(g.t[4].u.dns.search_expansion);
	assert_int_equal(g.t[5].u.dns.rcode, 3);
	assert_false(g.t[5].u.dns.search_expansion);
	assert_true(kn_txn_is_search_expansion("a.b.ns.svc.cl", 13,
					       "a.b.svc.cl", 10));
	assert_false(kn_txn_is_search_expansion("www.google.com", 14,
						"www.example.com", 15));
	kn_txn_engine_free(e);
}

struct conn {
	uint32_t cseq, sseq;
	uint64_t ts;
};

static void
tcp(struct kn_txn_engine *e, struct conn *c, int from_client, uint8_t flags,
    const char *d, bool retransmit)
{
	struct kn_pkt p;
	size_t n = strlen(d);
	uint32_t *seq = from_client ? &c->cseq : &c->sseq;

	pkt(&p, 6, from_client, 40000, 80, (const uint8_t *)d, n);
	p.tcp_flags = flags;
	p.seq = retransmit ? *seq - (uint32_t)n : *seq;
	/* all the peer sent so far was received */
	p.ack = from_client ? c->sseq : c->cseq;
	c->ts += 1000;
	kn_txn_engine_packet(e, c->ts, &p);
	if (!retransmit)
		*seq += (uint32_t)n +
			((flags & (KN_TCP_SYN | KN_TCP_FIN)) ? 1 : 0);
}

static void
test_http_pipelined(void **state)
{
	struct got g;
	struct kn_txn_engine *e = engine(&g);
	struct conn c = {100, 900, 0};

	(void)state;
	tcp(e, &c, 1, KN_TCP_SYN, "", false);
	tcp(e, &c, 0, KN_TCP_SYN | KN_TCP_ACK, "", false);
	/* Two requests in one segment, the second split across two. */
	tcp(e, &c, 1, KN_TCP_ACK,
	    "GET /a HTTP/1.1\r\nHost: w\r\n\r\nHEAD /b HT", false);
	tcp(e, &c, 1, KN_TCP_ACK, "TP/1.1\r\nHost: w\r\n\r\n", false);
	tcp(e, &c, 1, KN_TCP_ACK, "TP/1.1\r\nHost: w\r\n\r\n", true);
	tcp(e, &c, 0, KN_TCP_ACK, "HTTP/1.1 100 Continue\r\n\r\n", false);
	tcp(e, &c, 0, KN_TCP_ACK,
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
	    "chunked\r\n\r\n3\r\nabc\r\n",
	    false);
	tcp(e, &c, 0, KN_TCP_ACK, "3\r\nabc\r\n", true); /* retransmitted */
	tcp(e, &c, 0, KN_TCP_ACK, "0\r\n\r\n", false);
	/* HEAD: Content-Length without a body. */
	tcp(e, &c, 0, KN_TCP_ACK,
	    "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", false);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.t[0].u.http.path, "/a");
	assert_int_equal(g.t[0].u.http.status, 200);
	assert_int_equal(g.t[0].u.http.resp_bytes, 25 + 47 + 8 + 5);
	assert_int_equal(g.t[0].latency_us, 3000);
	assert_string_equal(g.t[1].u.http.method, "HEAD");
	assert_int_equal(g.t[1].u.http.status, 200);
	assert_int_equal(g.t[1].u.http.req_bytes, 29);
	/* Keep-alive: a POST with a body, the response's body by length. */
	tcp(e, &c, 1, KN_TCP_ACK,
	    "POST /c HTTP/1.1\r\nContent-Length: 4\r\n\r\nab", false);
	tcp(e, &c, 1, KN_TCP_ACK, "cd", false);
	tcp(e, &c, 0, KN_TCP_ACK, "HTTP/1.1 204 No Content\r\n\r\n", false);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.t[2].u.http.req_bytes, 43);
	assert_int_equal(g.t[2].u.http.status, 204);
	/* A request never answered, then the connection closes. */
	tcp(e, &c, 1, KN_TCP_ACK, "GET /d HTTP/1.1\r\n\r\n", false);
	tcp(e, &c, 1, KN_TCP_FIN | KN_TCP_ACK, "", false);
	tcp(e, &c, 0, KN_TCP_FIN | KN_TCP_ACK, "", false);
	kn_txn_engine_finish(e);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.t[3].u.http.status, -1);
	assert_int_equal(g.t[3].latency_us, -1);
	kn_txn_engine_free(e);
}

static void
test_http_out_of_order_head(void **state)
{
	struct got g;
	struct kn_txn_engine *e = engine(&g);
	struct conn c = {100, 900, 0};
	struct kn_pkt p;
	const char *a = "GET /x HTTP/1.1\r\n", *b = "Host: h\r\n\r\n";

	(void)state;
	tcp(e, &c, 1, KN_TCP_SYN, "", false);
	tcp(e, &c, 0, KN_TCP_SYN | KN_TCP_ACK, "", false);
	/* Second half first. */
	pkt(&p, 6, 1, 40000, 80, (const uint8_t *)b, strlen(b));
	p.seq = c.cseq + (uint32_t)strlen(a);
	kn_txn_engine_packet(e, 5000, &p);
	pkt(&p, 6, 1, 40000, 80, (const uint8_t *)a, strlen(a));
	p.seq = c.cseq;
	kn_txn_engine_packet(e, 6000, &p);
	c.cseq += (uint32_t)(strlen(a) + strlen(b));
	c.ts = 7000;
	tcp(e, &c, 0, KN_TCP_ACK,
	    "HTTP/1.1 404 Not Found\r\nContent-Length: 0"
	    "\r\n\r\n",
	    false);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.t[0].u.http.host, "h");
	assert_int_equal(g.t[0].u.http.status, 404);
	kn_txn_engine_free(e);
}

/* Heads are kept for both directions (the final response replacing an
 * interim one), credentials redacted, bounded; the engine frees them
 * (the sanitizer build checks that). */
static void
test_http_heads(void **state)
{
	static struct got g;
	struct kn_txn_engine *e = engine(&g);
	struct conn c = {100, 900, 0};
	char big[4096];
	size_t i, n;

	(void)state;
	tcp(e, &c, 1, KN_TCP_SYN, "", false);
	tcp(e, &c, 0, KN_TCP_SYN | KN_TCP_ACK, "", false);
	tcp(e, &c, 1, KN_TCP_ACK,
	    "GET /a HTTP/1.1\r\nHost: w\r\n"
	    "Authorization: Bearer tok\r\n\r\n",
	    false);
	tcp(e, &c, 0, KN_TCP_ACK, "HTTP/1.1 100 Continue\r\n\r\n", false);
	tcp(e, &c, 0, KN_TCP_ACK,
	    "HTTP/1.1 200 OK\r\nSet-Cookie: a=b\r\n"
	    "Content-Length: 0\r\n\r\n",
	    false);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.hd[0][0], "GET /a HTTP/1.1\nHost: w\n"
					"Authorization: <redacted 10 bytes>\n");
	assert_string_equal(g.hd[0][1], "HTTP/1.1 200 OK\n"
					"Set-Cookie: <redacted 3 bytes>\n"
					"Content-Length: 0\n");
	assert_false(g.trunc[0][0] || g.trunc[0][1]);
	/* A head over the keep limit: cut there and marked; the request
	 * itself is still matched in full. */
	n = (size_t)snprintf(big, sizeof(big), "GET /big HTTP/1.1\r\n");
	for (i = 0; n < 3000; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n,
				      "X-Filler-%zu: %s\r\n", i,
				      "0123456789abcdef0123456789abcdef");
	n += (size_t)snprintf(big + n, sizeof(big) - n, "\r\n");
	tcp(e, &c, 1, KN_TCP_ACK, big, false);
	tcp(e, &c, 0, KN_TCP_ACK, "HTTP/1.1 204 No Content\r\n\r\n", false);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.t[1].u.http.req_bytes, n);
	assert_true(g.trunc[1][0]);
	assert_false(g.trunc[1][1]);
	assert_true(strlen(g.hd[1][0]) <= KN_TXN_HEAD_KEEP);
	assert_true(strlen(g.hd[1][0]) > KN_TXN_HEAD_KEEP - 64);
	assert_int_equal(strncmp(g.hd[1][0], "GET /big HTTP/1.1\n", 18), 0);
	/* Never answered: the request head, no response head. */
	tcp(e, &c, 1, KN_TCP_ACK, "GET /c HTTP/1.1\r\n\r\n", false);
	kn_txn_engine_finish(e);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.hd[2][0], "GET /c HTTP/1.1\n");
	assert_string_equal(g.hd[2][1], "");
	kn_txn_engine_free(e);
}

/* Open transactions' heads are released with the engine. */
static void
test_http_heads_free_open(void **state)
{
	static struct got g;
	struct kn_txn_engine *e = engine(&g);
	struct conn c = {100, 900, 0};

	(void)state;
	tcp(e, &c, 1, KN_TCP_SYN, "", false);
	tcp(e, &c, 0, KN_TCP_SYN | KN_TCP_ACK, "", false);
	tcp(e, &c, 1, KN_TCP_ACK, "GET /o HTTP/1.1\r\nHost: w\r\n\r\n", false);
	assert_int_equal(g.n, 0);
	kn_txn_engine_free(e);
}

/* SYN, SYN-ACK. */
static void
handshake(struct kn_txn_engine *e, struct conn *c)
{
	tcp(e, c, 1, KN_TCP_SYN, "", false);
	tcp(e, c, 0, KN_TCP_SYN | KN_TCP_ACK, "", false);
}

/* A segment the capture missed: seq moves on, nothing is fed. */
static void
tcp_lost(struct conn *c, int from_client, const char *d)
{
	if (from_client)
		c->cseq += (uint32_t)strlen(d);
	else
		c->sseq += (uint32_t)strlen(d);
}

/* A hole in a chunked body: the response ends there with its status and
 * the gap marked; the next response is found at the next segment that
 * starts one and answers the next request. A hole that takes a response
 * whole makes that request's status unknown, the next still matches. */
static void
test_http_resync(void **state)
{
	static struct got g;
	struct kn_txn_engine *e = engine(&g);
	struct conn c = {100, 900, 0};
	const struct kn_txn_counters *k;

	(void)state;
	handshake(e, &c);
	tcp(e, &c, 1, KN_TCP_ACK, "GET /a HTTP/1.1\r\n\r\n", false);
	tcp(e, &c, 0, KN_TCP_ACK,
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5\r\nabcde\r\n",
	    false);
	tcp_lost(&c, 0, "5\r\nfghij\r\n");
	tcp(e, &c, 0, KN_TCP_ACK, "3\r\nklm\r\n0\r\n\r\n", false);
	/* held until the client's ACK shows the hole will not fill */
	assert_int_equal(g.n, 0);
	tcp(e, &c, 1, KN_TCP_ACK, "", false);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.t[0].u.http.status, 200);
	assert_true(g.t[0].u.http.gap);
	tcp(e, &c, 1, KN_TCP_ACK, "GET /b HTTP/1.1\r\n\r\n", false);
	tcp(e, &c, 0, KN_TCP_ACK,
	    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", false);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.t[1].u.http.path, "/b");
	assert_int_equal(g.t[1].u.http.status, 404);
	assert_false(g.t[1].u.http.gap);
	/* The response to /c is lost whole; /d is sent after it (its ACK
	 * passes it), so the next response answers /d, not /c. */
	tcp(e, &c, 1, KN_TCP_ACK, "GET /c HTTP/1.1\r\n\r\n", false);
	tcp_lost(&c, 0, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
	tcp(e, &c, 1, KN_TCP_ACK, "GET /d HTTP/1.1\r\n\r\n", false);
	tcp(e, &c, 0, KN_TCP_ACK, "HTTP/1.1 204 No Content\r\n\r\n", false);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.t[2].u.http.path, "/c");
	assert_int_equal(g.t[2].u.http.status, -1);
	assert_true(g.t[2].u.http.gap);
	assert_string_equal(g.t[3].u.http.path, "/d");
	assert_int_equal(g.t[3].u.http.status, 204);
	k = kn_txn_engine_counters(e);
	assert_int_equal(k->http_gaps, 2);
	assert_int_equal(k->http_resyncs, 2);
	assert_int_equal(k->http_unmatched, 0);
	kn_txn_engine_free(e);
}

/* A response whose request was not captured is a transaction of its
 * own; the ACK tells it from the answer to a request that was seen. */
static void
test_http_unmatched(void **state)
{
	static struct got g;
	struct kn_txn_engine *e = engine(&g);
	struct conn c = {100, 900, 0};

	(void)state;
	handshake(e, &c);
	tcp_lost(&c, 1, "GET /lost HTTP/1.1\r\n\r\n");
	tcp(e, &c, 0, KN_TCP_ACK,
	    "HTTP/1.1 500 Oops\r\nContent-Length: 3\r\n\r\nerr", false);
	assert_int_equal(g.n, 1);
	assert_true(g.t[0].u.http.unmatched);
	assert_int_equal(g.t[0].u.http.status, 500);
	assert_int_equal(g.t[0].u.http.resp_bytes, 43);
	assert_int_equal(g.t[0].latency_us, -1);
	assert_string_equal(g.t[0].u.http.method, "");
	tcp(e, &c, 1, KN_TCP_ACK, "GET /seen HTTP/1.1\r\n\r\n", false);
	tcp(e, &c, 0, KN_TCP_ACK, "HTTP/1.1 204 No Content\r\n\r\n", false);
	assert_int_equal(g.n, 2);
	assert_false(g.t[1].u.http.unmatched);
	assert_string_equal(g.t[1].u.http.path, "/seen");
	assert_int_equal(kn_txn_engine_counters(e)->http_unmatched, 1);
	kn_txn_engine_free(e);
}

/* Joined mid-stream: a keep-alive's one byte or the rest of a body do
 * not decide what the connection carries; the request after them does,
 * and the server's side starts at its next response. */
static void
test_http_joined_midstream(void **state)
{
	static struct got g;
	struct kn_txn_engine *e = engine(&g);
	struct conn c = {5000, 9000, 0};
	struct kn_pkt p;

	(void)state;
	/* keep-alive: one byte below the next sequence number */
	pkt(&p, 6, 1, 40000, 80, (const uint8_t *)"", 1);
	p.tcp_flags = KN_TCP_ACK;
	p.seq = c.cseq - 1;
	p.ack = c.sseq;
	kn_txn_engine_packet(e, 1000, &p);
	tcp(e, &c, 0, KN_TCP_ACK, "rest of an earlier body", false);
	tcp(e, &c, 1, KN_TCP_ACK, "GET /ka HTTP/1.1\r\nHost: h\r\n\r\n", false);
	tcp(e, &c, 0, KN_TCP_ACK,
	    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.t[0].u.http.path, "/ka");
	assert_int_equal(g.t[0].u.http.status, 200);
	assert_int_equal(kn_txn_engine_counters(e)->http_malformed, 0);
	kn_txn_engine_free(e);
}

/* One shard of a capture: the driver's clock and ticks, the order each
 * transaction carries, the oldest still waiting, and forcing it out. */
static void
test_shard_engine(void **state)
{
	static struct got g;
	struct kn_txn_engine *e = engine(&g);
	uint8_t m[300];
	struct kn_pkt p;
	size_t n;

	(void)state;
	assert_int_equal(kn_txn_engine_pending_order(e), UINT64_MAX);
	kn_txn_engine_set_order(e, 10);
	n = dnsmsg(m, 1, false, 0, "a.svc", 0);
	pkt(&p, 17, 1, 7000, 53, m, n);
	/* The capture's clock (now) may be ahead of the packet; the
	 * engine never ticks by itself. */
	kn_txn_engine_packet_at(e, 1000000, 1000000, &p);
	kn_txn_engine_set_order(e, 20);
	n = dnsmsg(m, 2, false, 0, "b.svc", 0);
	pkt(&p, 17, 1, 7001, 53, m, n);
	kn_txn_engine_packet_at(e, 1100000, 1150000, &p);
	n = dnsmsg(m, 2, true, 0, "b.svc", 1);
	pkt(&p, 17, 0, 7001, 53, m, n);
	kn_txn_engine_packet_at(e, 1200000, 1200000, &p);
	assert_int_equal(g.n, 0);
	assert_int_equal(kn_txn_engine_pending_order(e), 10);
	/* The oldest, forced out, expires; the next follows in order. */
	kn_txn_engine_force(e);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.t[0].order, 10);
	assert_int_equal(g.t[0].u.dns.rcode, -1);
	assert_int_equal(kn_txn_engine_counters(e)->ring_forced, 1);
	kn_txn_engine_tick(e, 1300000);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.t[1].order, 20);
	assert_int_equal(g.t[1].u.dns.rcode, 0);
	assert_int_equal(kn_txn_engine_pending_order(e), UINT64_MAX);
	kn_txn_engine_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_matching),
		cmocka_unit_test(test_dns_port_unreachable),
		cmocka_unit_test(test_dns_order_and_search),
		cmocka_unit_test(test_http_pipelined),
		cmocka_unit_test(test_http_out_of_order_head),
		cmocka_unit_test(test_http_heads),
		cmocka_unit_test(test_http_heads_free_open),
		cmocka_unit_test(test_http_resync),
		cmocka_unit_test(test_http_unmatched),
		cmocka_unit_test(test_http_joined_midstream),
		cmocka_unit_test(test_shard_engine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
