/* Unit tests of the node agent's lines: what is written in full and
 * what is only counted, the rate and the top-K folding (sums stay
 * exact), the line bound with hostile names, paths without queries or
 * userinfo, and the console's reader: the round trip through the
 * parser, duplicates dropped per agent run, histograms that merge
 * exactly across nodes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "k8snet/agent.h"
#include "k8snet/listeners.h"

#define MAXLINES 4096

struct sink {
	char *line[MAXLINES];
	size_t len[MAXLINES];
	size_t n;
};

static void
emit(void *arg, const char *line, size_t len)
{
	struct sink *s = arg;

	assert_true(len > 0 && line[len - 1] == '\n');
	assert_true(len < KN_AGENT_LINE_MAX);
	assert_true(s->n < MAXLINES);
	s->line[s->n] = malloc(len + 1); /* NUL-terminated for strstr */
	memcpy(s->line[s->n], line, len);
	s->line[s->n][len] = '\0';
	s->len[s->n++] = len - 1;
}

static void
sink_free(struct sink *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->line[i]);
	s->n = 0;
}

static struct kn_agent_writer *
writer(struct sink *s, uint64_t instance, unsigned rate, unsigned topk)
{
	struct kn_agent_config c;

	memset(&c, 0, sizeof(c));
	c.node = "n1";
	c.instance = instance;
	c.slow_us = 500000;
	c.rate = rate;
	c.topk = topk;
	c.emit = emit;
	c.arg = s;
	return kn_agent_writer_new(&c);
}

static void
dns(struct kn_txn *t, const char *qname, int rcode, int64_t lat_us, int cli)
{
	memset(t, 0, sizeof(*t));
	t->type = KN_TXN_DNS;
	t->ts_us = 1700000000123456ull;
	t->latency_us = lat_us;
	t->transport = 17;
	kn_ipaddr_parse("10.0.0.1", &t->client.ip);
	t->client.ip.addr[3] = (uint8_t)cli;
	t->client.port = 40000;
	kn_ipaddr_parse("10.96.0.10", &t->server.ip);
	t->server.port = 53;
	t->u.dns.id = 7;
	t->u.dns.qtype = 28;
	t->u.dns.rcode = rcode;
	snprintf(t->u.dns.qname, sizeof(t->u.dns.qname), "%s", qname);
	t->u.dns.qname_len = (uint16_t)strlen(qname);
}

static size_t
count_kind(const struct sink *s, const char *kind)
{
	char want[32];
	size_t i, n = 0;

	snprintf(want, sizeof(want), "{\"k\":\"%s\"", kind);
	for (i = 0; i < s->n; i++)
		if (strncmp(s->line[i], want, strlen(want)) == 0)
			n++;
	return n;
}

static void
test_failures_in_full(void **state)
{
	struct sink s = {0};
	struct kn_agent_writer *w = writer(&s, 1, 100, 10);
	struct kn_agentline *al = calloc(1, sizeof(*al));
	struct kn_txn t;
	char errbuf[KN_ERRBUF];

	(void)state;
	dns(&t, "ok.example.", 0, 1000, 1);
	kn_agent_writer_txn(w, &t, 1);
	assert_int_equal(s.n, 0); /* a good, fast one is only counted */
	dns(&t, "missing.example.", 3, 1000, 1);
	kn_agent_writer_txn(w, &t, 2);
	dns(&t, "slow.example.", 0, 900000, 1);
	kn_agent_writer_txn(w, &t, 3);
	dns(&t, "lost.example.", -1, -1, 1);
	kn_agent_writer_txn(w, &t, 4);
	assert_int_equal(count_kind(&s, "txn"), 3);
	assert_non_null(strstr(s.line[0], "\"why\":\"nxdomain\""));
	assert_non_null(strstr(s.line[1], "\"why\":\"slow\""));
	assert_non_null(strstr(s.line[2], "\"why\":\"noanswer\""));
	assert_non_null(strstr(s.line[2], "\"rcode\":null"));
	/* the parser reads back what was written */
	assert_int_equal(kn_agentline_parse(s.line[0], s.len[0], al, errbuf),
			 KN_OK);
	assert_int_equal(al->kind, KN_AL_TXN);
	assert_int_equal(al->txn.u.dns.rcode, 3);
	assert_int_equal(al->txn.u.dns.qtype, 28);
	assert_int_equal(al->txn.ts_us, 1700000000123456ull);
	assert_int_equal(al->txn.latency_us, 1000);
	assert_string_equal(al->txn.u.dns.qname, "missing.example.");
	assert_int_equal(al->seq, 1);
	assert_int_equal(al->instance, 1);
	sink_free(&s);
	kn_agent_writer_free(w);
	free(al);
}

static void
test_rate_and_topk_keep_sums(void **state)
{
	struct sink s = {0};
	struct kn_agent_writer *w = writer(&s, 2, 5, 3);
	struct kn_agents_merge *m = kn_agents_merge_new();
	struct kn_agentline *al = calloc(1, sizeof(*al));
	struct kn_lat_hist lat;
	struct kn_txn t;
	char name[64];
	uint64_t n, none;
	size_t i;
	int k;

	(void)state;
	/* 40 names, 10 of them failing, all in one second: the rate
	 * writes 5, the rest is counted */
	for (k = 0; k < 40; k++) {
		snprintf(name, sizeof(name), "n%d.example.", k % 8);
		dns(&t, name, k < 10 ? 2 : 0, 100 + k, 1);
		kn_agent_writer_txn(w, &t, 1000000);
	}
	kn_agent_writer_summary(w, 2000000, NULL);
	assert_int_equal(count_kind(&s, "txn"), 5);
	/* 3 keys, then one other line, then the sum */
	assert_int_equal(count_kind(&s, "agg"), 4);
	assert_int_equal(count_kind(&s, "sum"), 1);
	assert_non_null(strstr(s.line[s.n - 1], "\"left_out\":5"));
	for (i = 0; i < s.n; i++)
		kn_agents_merge_line(m, "n1", "p1", s.line[i], s.len[i], 1, al);
	kn_agents_totals(m, KN_TXN_DNS, &n, &none, &lat);
	assert_int_equal(n, 40);
	assert_int_equal(lat.n, 40);
	assert_int_equal(kn_agents_node(m, "n1")->left_out, 5);
	sink_free(&s);
	kn_agent_writer_free(w);
	kn_agents_merge_free(m);
	free(al);
}

/* Two nodes' histograms merge into the one of all transactions. */
static void
test_histograms_merge_exactly(void **state)
{
	struct sink s1 = {0}, s2 = {0};
	struct kn_agent_writer *w1 = writer(&s1, 3, 100, 100);
	struct kn_agent_writer *w2 = writer(&s2, 4, 100, 100);
	struct kn_agents_merge *m = kn_agents_merge_new();
	struct kn_agentline *al = calloc(1, sizeof(*al));
	struct kn_lat_hist all, got;
	struct kn_txn t;
	uint64_t n, none;
	size_t i;
	int k;

	(void)state;
	memset(&all, 0, sizeof(all));
	for (k = 0; k < 200; k++) {
		int64_t us = 37 * k * k + 11;

		dns(&t, "a.example.", 0, us, 1);
		kn_agent_writer_txn(k & 1 ? w1 : w2, &t, 1);
		all.n++;
		all.b[kn_lat_bucket((uint64_t)us)]++;
	}
	kn_agent_writer_summary(w1, 2, NULL);
	kn_agent_writer_summary(w2, 2, NULL);
	for (i = 0; i < s1.n; i++)
		kn_agents_merge_line(m, "n1", "p1", s1.line[i], s1.len[i], 1,
				     al);
	for (i = 0; i < s2.n; i++)
		kn_agents_merge_line(m, "n2", "p2", s2.line[i], s2.len[i], 1,
				     al);
	kn_agents_totals(m, KN_TXN_DNS, &n, &none, &got);
	assert_int_equal(n, 200);
	assert_memory_equal(&got, &all, sizeof(all));
	assert_int_equal(kn_agents_key_at(m, 0)->nodes, 2);
	sink_free(&s1);
	sink_free(&s2);
	kn_agent_writer_free(w1);
	kn_agent_writer_free(w2);
	kn_agents_merge_free(m);
	free(al);
}

/* A resumed stream repeats lines: each is taken once; a new run of the
 * agent (new instance) starts over. */
static void
test_duplicates_dropped(void **state)
{
	struct sink s = {0};
	struct kn_agent_writer *w = writer(&s, 5, 100, 100), *w2;
	struct kn_agents_merge *m = kn_agents_merge_new();
	struct kn_agentline *al = calloc(1, sizeof(*al));
	struct kn_lat_hist lat;
	struct kn_txn t;
	uint64_t n, none;
	size_t i;

	(void)state;
	dns(&t, "x.example.", 3, 10, 1);
	kn_agent_writer_txn(w, &t, 1);
	kn_agent_writer_summary(w, 2, NULL);
	for (i = 0; i < s.n; i++)
		assert_int_equal(kn_agents_merge_line(m, "n1", "p", s.line[i],
						      s.len[i], 1, al),
				 KN_AGENTS_TAKEN);
	for (i = 0; i < s.n; i++)
		assert_int_equal(kn_agents_merge_line(m, "n1", "p", s.line[i],
						      s.len[i], 1, al),
				 KN_AGENTS_DUP);
	sink_free(&s);
	w2 = writer(&s, 6, 100, 100);
	kn_agent_writer_txn(w2, &t, 1);
	kn_agent_writer_summary(w2, 2, NULL);
	for (i = 0; i < s.n; i++)
		assert_int_equal(kn_agents_merge_line(m, "n1", "p", s.line[i],
						      s.len[i], 1, al),
				 KN_AGENTS_TAKEN);
	kn_agents_totals(m, KN_TXN_DNS, &n, &none, &lat);
	assert_int_equal(n, 2);
	assert_int_equal(kn_agents_node(m, "n1")->runs, 2);
	assert_int_equal(kn_agents_node(m, "n1")->lost, 0);
	/* a line of the run skipped (rotated away): counted as lost */
	sink_free(&s);
	kn_agent_writer_txn(w2, &t, 3);
	kn_agent_writer_txn(w2, &t, 4);
	assert_int_equal(
		kn_agents_merge_line(m, "n1", "p", s.line[1], s.len[1], 1, al),
		KN_AGENTS_TAKEN);
	assert_int_equal(kn_agents_node(m, "n1")->lost, 1);
	assert_int_equal(
		kn_agents_merge_line(m, "n1", "p", "{\"k\":1}", 7, 1, al),
		KN_AGENTS_BAD);
	sink_free(&s);
	kn_agent_writer_free(w);
	kn_agent_writer_free(w2);
	kn_agents_merge_free(m);
	free(al);
}

/* Names of escapes and many answers: every line stays under the bound
 * and still parses. */
static void
test_hostile_names_bounded(void **state)
{
	struct sink s = {0};
	struct kn_agent_writer *w = writer(&s, 7, 1000, 100);
	struct kn_agentline *al = calloc(1, sizeof(*al));
	static char answers[KN_TXN_ANSWERS];
	char errbuf[KN_ERRBUF];
	struct kn_txn t;
	size_t i, off = 0;

	(void)state;
	dns(&t, "", 3, 10, 1);
	memset(t.u.dns.qname, 0x1b, sizeof(t.u.dns.qname) - 1);
	t.u.dns.qname[sizeof(t.u.dns.qname) - 1] = '\0';
	while (off + 40 < sizeof(answers) && t.u.dns.nanswers < 200) {
		memset(answers + off, 0x07, 38);
		answers[off + 38] = '\0';
		off += 39;
		t.u.dns.nanswers++;
	}
	t.u.dns.answers = answers;
	kn_agent_writer_txn(w, &t, 1);
	kn_agent_writer_summary(w, 2, NULL);
	assert_true(s.n >= 3);
	for (i = 0; i < s.n; i++)
		assert_int_equal(
			kn_agentline_parse(s.line[i], s.len[i], al, errbuf),
			KN_OK);
	assert_non_null(strstr(s.line[0], "\"answers_cut\":true"));
	sink_free(&s);
	kn_agent_writer_free(w);
	free(al);
}

static void
test_safe_path(void **state)
{
	char out[256];

	(void)state;
	kn_agent_safe_path("/a/b?token=secret#frag", false, out, sizeof(out));
	assert_string_equal(out, "/a/b");
	kn_agent_safe_path("http://user:pw@host:8080/x?y=1", false, out,
			   sizeof(out));
	assert_string_equal(out, "http://host:8080/x");
	kn_agent_safe_path("*", false, out, sizeof(out));
	assert_string_equal(out, "*");
	kn_agent_safe_path("/long", false, out, 3);
	assert_string_equal(out, "/l");
	/* --agent-query: the query stays, the fragment and userinfo not */
	kn_agent_safe_path("/a/b?token=secret#frag", true, out, sizeof(out));
	assert_string_equal(out, "/a/b?token=secret");
	kn_agent_safe_path("http://u:p@h/x?y=1", true, out, sizeof(out));
	assert_string_equal(out, "http://h/x?y=1");
}

/* A failing HTTP request's line: its path without the query string,
 * unless the writer keeps them (--agent-query). */
static void
test_http_query(void **state)
{
	struct sink s = {0};
	struct kn_agent_config c = {.node = "n1",
				    .instance = 1,
				    .slow_us = -1,
				    .rate = 100,
				    .topk = 10,
				    .emit = emit,
				    .arg = &s};
	struct kn_agent_writer *w;
	struct kn_txn t;
	char path[] = "/pay?token=abc123#top";
	int keep;

	(void)state;
	for (keep = 0; keep < 2; keep++) {
		c.keep_query = keep;
		w = kn_agent_writer_new(&c);
		memset(&t, 0, sizeof(t));
		t.type = KN_TXN_HTTP;
		t.ts_us = 1700000000123456ull;
		t.latency_us = 2000;
		t.transport = 6;
		kn_ipaddr_parse("10.0.0.1", &t.client.ip);
		kn_ipaddr_parse("10.0.0.2", &t.server.ip);
		t.server.port = 80;
		t.u.http.status = 502;
		snprintf(t.u.http.method, sizeof(t.u.http.method), "GET");
		snprintf(t.u.http.host, sizeof(t.u.http.host), "web");
		t.u.http.path = path;
		kn_agent_writer_txn(w, &t, 1);
		assert_int_equal(count_kind(&s, "txn"), 1);
		if (keep)
			assert_non_null(strstr(
				s.line[0], "\"path\":\"/pay?token=abc123\""));
		else
			assert_non_null(strstr(s.line[0], "\"path\":\"/pay\""));
		assert_null(strstr(s.line[0], "#top"));
		assert_true(keep || strstr(s.line[0], "abc123") == NULL);
		kn_agent_writer_free(w);
		sink_free(&s);
	}
}

/* UDP sockets bound and not connected are the node's UDP listeners. */
static void
test_udp_listeners(void **state)
{
	static const char udp[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr "
		"tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
		"  1: 0A00510A:0035 00000000:0000 07 00000000:00000000 "
		"00:00000000 00000000     0        0 4242 2 0 0\n"
		"  2: 0100007F:A1B2 0100007F:0035 01 00000000:00000000 "
		"00:00000000 00000000     0        0 4243 2 0 0\n";
	struct kn_listeners ls;

	(void)state;
	kn_listeners_init(&ls);
	assert_int_equal(kn_listeners_parse_udp(udp, sizeof(udp) - 1, 4, &ls),
			 KN_OK);
	assert_int_equal(ls.n, 1);
	assert_int_equal(ls.v[0].port, 53);
	assert_int_equal(ls.v[0].proto, 17);
	kn_listeners_release(&ls);
}

/* Nodes by name at any count: found without being made, made once,
 * and the CNI most nodes have, the first node's on a tie (a pairwise
 * count gave the same before the index; this checks it at 3,000). */
static void
test_nodes_index_and_majority(void **state)
{
	struct kn_agents_merge *m = kn_agents_merge_new();
	struct kn_agent_node *a;
	char name[32];
	int i;

	(void)state;
	assert_null(kn_agents_node_find(m, "n0"));
	assert_int_equal(kn_agents_nnodes(m), 0);
	assert_int_equal(kn_agents_cni_majority(m), 0);
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "node-%d", i);
		a = kn_agents_node(m, name);
		assert_non_null(a);
		/* 1,000 nodes each of hashes 7 and 9 from node 1,000 on,
		 * the first 1,000 split 500 / 500 between 5 and 9 */
		a->have_facts = i % 7 != 3 || i < 1000;
		a->cni_hash = i < 1000 ? (i % 2 ? 9 : 5) : (i % 2 ? 7 : 9);
	}
	assert_int_equal(kn_agents_nnodes(m), 3000);
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "node-%d", i);
		a = kn_agents_node_find(m, name);
		assert_non_null(a);
		assert_string_equal(a->node, name);
		assert_ptr_equal(a, kn_agents_node_at(m, (size_t)i));
		assert_ptr_equal(a, kn_agents_node(m, name));
	}
	assert_null(kn_agents_node_find(m, "node-3000"));
	assert_null(kn_agents_node_find(m, "node-"));
	assert_int_equal(kn_agents_nnodes(m), 3000);
	assert_int_equal(kn_agents_cni_majority(m), 9);
	/* a tie: the hash of the node heard from first */
	for (i = 0; i < 3000; i++) {
		a = kn_agents_node_at(m, (size_t)i);
		a->have_facts = true;
		a->cni_hash = i % 3 == 1 ? 11 : i % 3 == 2 ? 12 : 13;
	}
	kn_agents_node_at(m, 0)->cni_hash = 12;
	kn_agents_node_at(m, 3)->cni_hash = 11;
	assert_int_equal(kn_agents_cni_majority(m), 12);
	kn_agents_merge_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failures_in_full),
		cmocka_unit_test(test_rate_and_topk_keep_sums),
		cmocka_unit_test(test_histograms_merge_exactly),
		cmocka_unit_test(test_duplicates_dropped),
		cmocka_unit_test(test_hostile_names_bounded),
		cmocka_unit_test(test_safe_path),
		cmocka_unit_test(test_http_query),
		cmocka_unit_test(test_udp_listeners),
		cmocka_unit_test(test_nodes_index_and_majority),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
