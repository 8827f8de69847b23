/* Unit tests for the decoding workers: which worker owns a packet, the
 * live fanout program run on Ethernet frames, statistics merged from
 * shards, and whole captures read by several workers against one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "k8snet/capture.h"
#include "k8snet/traffic.h"
#include "workers.h"

static void
addr4(struct kn_ipaddr *ip, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = 4;
	ip->addr[0] = a;
	ip->addr[1] = b;
	ip->addr[2] = c;
	ip->addr[3] = d;
}

static void
flow(struct kn_pkt *p, int i, uint16_t sport, uint16_t dport)
{
	memset(p, 0, sizeof(*p));
	addr4(&p->src, 10, 1, (uint8_t)(i >> 8), (uint8_t)i);
	addr4(&p->dst, 10, 2, (uint8_t)(i * 7 >> 8), (uint8_t)(i * 7));
	if (i % 3 == 0) {
		p->src.family = p->dst.family = 6;
		p->src.addr[15] = (uint8_t)i;
		p->dst.addr[9] = (uint8_t)(i * 3);
	}
	p->sport = sport;
	p->dport = dport;
	p->proto = 6;
}

static void
reverse(struct kn_pkt *p)
{
	struct kn_ipaddr a = p->src;
	uint16_t port = p->sport;

	p->src = p->dst;
	p->dst = a;
	p->sport = p->dport;
	p->dport = port;
}

/* Both directions of a flow, and every DNS message of one client, to one
 * worker; flows spread over all of them. */
static void
test_shard(void **state)
{
	unsigned n, seen[8];
	struct kn_pkt p, q;
	int i;

	(void)state;
	for (n = 1; n <= 8; n++) {
		memset(seen, 0, sizeof(seen));
		for (i = 0; i < 2000; i++) {
			flow(&p, i, (uint16_t)(30000 + i), 80);
			q = p;
			reverse(&q);
			assert_int_equal(kn_workers_shard(&p, n),
					 kn_workers_shard(&q, n));
			assert_true(kn_workers_shard(&p, n) < n);
			seen[kn_workers_shard(&p, n)]++;
			/* DNS: any port, any server, either way */
			flow(&q, i, (uint16_t)(40000 + i * 13), 53);
			q.dst = p.dst;
			q.dst.addr[3] ^= 0x5a;
			flow(&p, i, (uint16_t)(50000 + i), 53);
			assert_int_equal(kn_workers_shard(&p, n),
					 kn_workers_shard(&q, n));
			reverse(&q);
			assert_int_equal(kn_workers_shard(&p, n),
					 kn_workers_shard(&q, n));
		}
		for (i = 0; i < (int)n; i++)
			assert_true(seen[i] > 2000 / n / 2);
	}
}

/* ---- the fanout program, on Ethernet frames ---- */

struct frames {
	struct pcap_pkthdr h[4096];
	uint8_t *d[4096];
	size_t n;
};

static void
load(struct frames *f, const char *name)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;

	snprintf(path, sizeof(path), "%s/pcap/%s", KN_TEST_DATA, name);
	p = pcap_open_offline(path, err);
	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	while (f->n < 4096 && pcap_next_ex(p, &h, &d) == 1) {
		f->h[f->n] = *h;
		f->d[f->n] = malloc(h->caplen);
		memcpy(f->d[f->n], d, h->caplen);
		f->n++;
	}
	pcap_close(p);
}

/* The key of a packet's flow as the engines see it (DNS: its client). */
static void
flow_key(const struct kn_pkt *p, char *k, size_t n)
{
	char a[KN_IPSTR], b[KN_IPSTR];

	if (p->dport == 53 && p->sport != 53) {
		kn_ipaddr_format(&p->src, a, sizeof(a));
		snprintf(k, n, "dns %s", a);
	} else if (p->sport == 53 && p->dport != 53) {
		kn_ipaddr_format(&p->dst, a, sizeof(a));
		snprintf(k, n, "dns %s", a);
	} else {
		kn_ipaddr_format(&p->src, a, sizeof(a));
		kn_ipaddr_format(&p->dst, b, sizeof(b));
		if (strcmp(a, b) < 0 ||
		    (strcmp(a, b) == 0 && p->sport < p->dport))
			snprintf(k, n, "%s %u %s %u", a, p->sport, b, p->dport);
		else
			snprintf(k, n, "%s %u %s %u", b, p->dport, a, p->sport);
	}
}

static void
test_fanout_prog(void **state)
{
	static const char *const files[] = {"eth.pcap", "ipv6.pcap",
					    "vxlan.pcap", "link-qinq.pcap",
					    "icmp-errors.pcap"};
	struct bpf_insn prog[KN_FANOUT_PROG_MAX];
	static char keys[4096][160];
	static unsigned vals[4096];
	static struct frames f;
	struct kn_pkt p;
	size_t n, i, j, k, nk, checked = 0;
	char key[160];
	unsigned v;

	(void)state;
	for (k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		memset(&f, 0, sizeof(f));
		load(&f, files[k]);
		n = kn_workers_fanout_prog(prog, KN_FANOUT_PROG_MAX, false, 14,
					   true);
		assert_true(n > 0);
		assert_true(bpf_validate(prog, (int)n));
		nk = 0;
		for (i = 0; i < f.n; i++) {
			if (kn_layers_decode(KN_LINK_ETHER, f.d[i],
					     f.h[i].caplen, false, &p) != KN_OK)
				continue;
			v = bpf_filter(prog, f.d[i], f.h[i].len, f.h[i].caplen);
			flow_key(&p, key, sizeof(key));
			for (j = 0; j < nk && strcmp(keys[j], key) != 0; j++)
				;
			if (j == nk && nk < 4096) {
				snprintf(keys[nk], sizeof(keys[0]), "%s", key);
				vals[nk++] = v;
				continue;
			}
			/* QinQ frames carry their tags inline: the program
			 * sees no IP there and says 0 both ways. */
			assert_int_equal(vals[j], v);
			checked++;
		}
		for (i = 0; i < f.n; i++)
			free(f.d[i]);
	}
	assert_true(checked > 100);
	/* The kernel's form fits and differs only in its loads. */
	assert_true(kn_workers_fanout_prog(prog, KN_FANOUT_PROG_MAX, true,
					   (uint32_t)-0x100000, false) > 0);
	assert_int_equal(kn_workers_fanout_prog(prog, 8, false, 14, true), 0);
}

/* An IPv6 DNS answer in fragments (frag.pcap frames 6-8, the first one
 * last) goes to the worker of its query (frame 5): the kernel does not
 * put IPv6 fragments together for a fanout group. */
static void
test_fanout_prog_v6_fragments(void **state)
{
	struct bpf_insn prog[KN_FANOUT_PROG_MAX];
	static struct frames f;
	unsigned q;
	size_t n, i;

	(void)state;
	memset(&f, 0, sizeof(f));
	load(&f, "frag.pcap");
	assert_true(f.n >= 8);
	n = kn_workers_fanout_prog(prog, KN_FANOUT_PROG_MAX, false, 14, true);
	assert_true(n > 0);
	q = bpf_filter(prog, f.d[4], f.h[4].len, f.h[4].caplen);
	for (i = 5; i < 8; i++)
		assert_int_equal(
			bpf_filter(prog, f.d[i], f.h[i].len, f.h[i].caplen), q);
	for (i = 0; i < f.n; i++)
		free(f.d[i]);
}

/* ---- statistics of shards merged ---- */

static void
txn_at(struct kn_txn *t, int i)
{
	static char path[64];

	memset(t, 0, sizeof(*t));
	t->order = (uint64_t)i * 64 + 1;
	t->ts_us = 1000000 + (uint64_t)i;
	t->latency_us = (i * 37) % 5000;
	addr4(&t->client.ip, 10, 0, (uint8_t)(i % 5), (uint8_t)(i % 41));
	addr4(&t->server.ip, 10, 9, 0, (uint8_t)(i % 7));
	t->client.port = (uint16_t)(30000 + i);
	t->server.port = 80;
	switch (i % 3) {
	case 0:
		t->type = KN_TXN_DNS;
		t->transport = 17;
		t->u.dns.qtype = (uint16_t)(1 + i % 6);
		t->u.dns.rcode = i % 11 == 0 ? -1 : (i % 4 == 0 ? 3 : 0);
		t->u.dns.search_expansion = i % 8 == 0;
		t->u.dns.qname_len = (uint16_t)snprintf(
			t->u.dns.qname, sizeof(t->u.dns.qname), "n%d.svc",
			(i * 7) % 90);
		break;
	case 1:
		t->type = KN_TXN_HTTP;
		t->transport = 6;
		t->u.http.status = i % 13 == 0 ? -1 : 200 + (i % 5) * 100;
		t->u.http.req_bytes = (uint64_t)i;
		t->u.http.resp_bytes = (uint64_t)i * 3;
		snprintf(t->u.http.method, sizeof(t->u.http.method), "%s",
			 i % 4 ? "GET" : "POST");
		snprintf(t->u.http.host, sizeof(t->u.http.host), "h%d", i % 9);
		snprintf(path, sizeof(path), "/p%d", (i * 11) % 120);
		t->u.http.path = path;
		t->u.http.unmatched = i % 29 == 0;
		break;
	default:
		t->type = KN_TXN_TLS;
		t->transport = 6;
		snprintf(t->u.tls.sni, sizeof(t->u.tls.sni), "s%d.example",
			 i % 17);
		snprintf(t->u.tls.alpn, sizeof(t->u.tls.alpn), "%s",
			 i % 2 ? "h2" : "http/1.1");
		break;
	}
}

static void
test_merge_stats(void **state)
{
	struct kn_traffic_stats *all = calloc(1, sizeof(*all));
	struct kn_traffic_stats *merged = calloc(1, sizeof(*merged));
	struct kn_traffic_stats *part[3];
	struct kn_txn t;
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		part[i] = calloc(1, sizeof(*part[i]));
	for (i = 0; i < 3000; i++) {
		txn_at(&t, i);
		kn_traffic_add(all, &t);
		kn_traffic_add(part[(i * 7 + i / 3) % 3], &t);
	}
	assert_true(kn_traffic_merge(
		merged, (const struct kn_traffic_stats *const *)part, 3));
	/* Every table held every key: the same, octet for octet. */
	assert_int_equal(memcmp(all, merged, sizeof(*all)), 0);
	for (i = 0; i < 3; i++)
		free(part[i]);
	free(all);
	free(merged);
}

/* ---- whole captures: several workers against one ---- */

struct lines {
	char *buf;
	size_t len, cap;
};

static void
put(struct lines *l, const char *s)
{
	size_t n = strlen(s);

	if (l->len + n + 1 > l->cap) {
		l->cap = (l->len + n + 1) * 2;
		l->buf = realloc(l->buf, l->cap);
	}
	memcpy(l->buf + l->len, s, n + 1);
	l->len += n;
}

static void
collect(void *arg, const struct kn_txn *t)
{
	struct lines *l = arg;
	char c[KN_IPSTR], s[KN_IPSTR], line[8192];

	kn_ipaddr_format(&t->client.ip, c, sizeof(c));
	kn_ipaddr_format(&t->server.ip, s, sizeof(s));
	snprintf(line, sizeof(line), "%d %llu %lld %s:%u %s:%u ", t->type,
		 (unsigned long long)t->ts_us, (long long)t->latency_us, c,
		 t->client.port, s, t->server.port);
	put(l, line);
	if (t->type == KN_TXN_DNS)
		snprintf(line, sizeof(line), "%s %d %d %d %s\n", t->u.dns.qname,
			 t->u.dns.rcode, t->u.dns.retrans,
			 t->u.dns.search_expansion,
			 t->u.dns.answers ? t->u.dns.answers : "-");
	else if (t->type == KN_TXN_HTTP)
		snprintf(line, sizeof(line), "%s %s %s %d %llu %llu %d %d\n",
			 t->u.http.method, t->u.http.host, t->u.http.path,
			 t->u.http.status,
			 (unsigned long long)t->u.http.req_bytes,
			 (unsigned long long)t->u.http.resp_bytes,
			 t->u.http.unmatched, t->u.http.gap);
	else
		snprintf(line, sizeof(line), "%s %s\n", t->u.tls.sni,
			 t->u.tls.alpn);
	put(l, line);
}

/* Read path with n workers (and filter); the transactions as lines, the
 * error if any, the counters. */
static void
read_with(const char *path, unsigned n, const char *filter, bool sink,
	  struct lines *l, char *err, struct kn_capture_counters *c,
	  struct kn_traffic_stats *st)
{
	struct kn_capture_config cfg;
	struct kn_capture *cap;
	char errbuf[KN_ERRBUF];
	int r;

	memset(&cfg, 0, sizeof(cfg));
	memset(l, 0, sizeof(*l));
	cfg.read_file = path;
	cfg.filter = filter;
	cfg.workers = n;
	err[0] = '\0';
	assert_int_equal(kn_capture_open(&cfg, &cap, errbuf), KN_OK);
	kn_capture_set_sink(cap, sink ? collect : NULL, l, true, true);
	while ((r = kn_capture_dispatch(cap, 100, errbuf)) > 0)
		;
	if (r < 0)
		snprintf(err, KN_ERRBUF, "%s", errbuf);
	kn_capture_finish(cap);
	*c = *kn_capture_counters(cap);
	memcpy(st, kn_capture_stats(cap), sizeof(*st));
	kn_capture_close(cap);
	put(l, "");
}

static void
same_map(const struct kn_smallmap *a, const struct kn_smallmap *b)
{
	uint32_t i;

	assert_int_equal(a->n, b->n);
	assert_int_equal(a->other, b->other);
	for (i = 0; i < a->n; i++) {
		assert_int_equal(a->e[i].num, b->e[i].num);
		assert_string_equal(a->e[i].str, b->e[i].str);
		assert_int_equal(a->e[i].count, b->e[i].count);
	}
}

static void
same_topk(const struct kn_topk *a, const struct kn_topk *b)
{
	const struct kn_topk_entry *x[KN_TOPK], *y[KN_TOPK];
	size_t n = kn_topk_sorted(a, x, KN_TOPK), i;

	assert_int_equal(n, kn_topk_sorted(b, y, KN_TOPK));
	for (i = 0; i < n; i++) {
		assert_string_equal(x[i]->key, y[i]->key);
		assert_int_equal(x[i]->count, y[i]->count);
	}
}

/* What the report prints of a and b is the same (a lone engine leaves
 * the first appearances 0, so not octet for octet). */
static void
same_stats(const struct kn_traffic_stats *a, const struct kn_traffic_stats *b)
{
	size_t i;

	assert_int_equal(memcmp(&a->dns.lat, &b->dns.lat, sizeof(a->dns.lat)),
			 0);
	assert_int_equal(
		memcmp(&a->http.lat, &b->http.lat, sizeof(a->http.lat)), 0);
	assert_int_equal(a->dns.queries, b->dns.queries);
	assert_int_equal(a->dns.nx_search, b->dns.nx_search);
	assert_int_equal(a->http.requests, b->http.requests);
	assert_int_equal(a->http.resp_bytes, b->http.resp_bytes);
	assert_int_equal(a->tls.hellos, b->tls.hellos);
	same_map(&a->dns.rcodes, &b->dns.rcodes);
	same_map(&a->dns.qtypes, &b->dns.qtypes);
	same_map(&a->http.methods, &b->http.methods);
	same_map(&a->http.codes, &b->http.codes);
	same_map(&a->tls.alpn, &b->tls.alpn);
	same_topk(&a->dns.names, &b->dns.names);
	same_topk(&a->http.paths, &b->http.paths);
	same_topk(&a->tls.sni, &b->tls.sni);
	assert_int_equal(a->neps, b->neps);
	for (i = 0; i < KN_EP_MAX * 2; i++) {
		assert_int_equal(a->eps[i].used, b->eps[i].used);
		assert_int_equal(a->eps[i].dns_client, b->eps[i].dns_client);
		assert_int_equal(a->eps[i].http_server, b->eps[i].http_server);
		assert_int_equal(a->eps[i].bytes_in, b->eps[i].bytes_in);
	}
}

static void
same_with(const char *path, const char *filter)
{
	static struct kn_traffic_stats s1, sn;
	struct kn_capture_counters c1, cn;
	char e1[KN_ERRBUF], en[KN_ERRBUF];
	struct lines l1, ln;
	unsigned n;
	int sink;

	for (sink = 0; sink < 2; sink++) {
		read_with(path, 1, filter, sink, &l1, e1, &c1, &s1);
		for (n = 2; n <= 5; n += 3) {
			read_with(path, n, filter, sink, &ln, en, &cn, &sn);
			assert_string_equal(l1.buf, ln.buf);
			assert_string_equal(e1, en);
			assert_int_equal(c1.packets, cn.packets);
			assert_int_equal(c1.decoded, cn.decoded);
			assert_int_equal(c1.other + c1.fragments,
					 cn.other + cn.fragments);
			assert_int_equal(c1.last_ts_us, cn.last_ts_us);
			same_stats(&s1, &sn);
			free(ln.buf);
		}
		free(l1.buf);
	}
}

static void
test_capture_files(void **state)
{
	static const char *const files[] = {
		"eth.pcap",	   "ipv6.pcap",		"vxlan.pcap",
		"cooked.pcap",	   "http-gaps.pcap",	"http-noreq.pcap",
		"dns-types.pcap",  "long-strings.pcap", "time2038.pcap",
		"time2106.pcapng", "link-nflog.pcap",	"link-mpls.pcap"};
	char path[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/pcap/%s", KN_TEST_DATA,
			 files[i]);
		same_with(path, NULL);
	}
	snprintf(path, sizeof(path), "%s/pcap/eth.pcap", KN_TEST_DATA);
	same_with(path, "tcp or udp port 53");
}

/* A file cut short: what came before the cut, and libpcap's words. */
static void
test_capture_cut(void **state)
{
	static char tmpl[] = "/tmp/kn-workers-XXXXXX";
	static uint8_t buf[1 << 16];
	char path[512];
	size_t n, cut;
	FILE *f;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/pcap/eth.pcap", KN_TEST_DATA);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	for (cut = 30; cut < n; cut += n / 7 + 1) {
		memcpy(tmpl + sizeof(tmpl) - 7, "XXXXXX", 6);
		fd = mkstemp(tmpl);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, buf, cut), (ssize_t)cut);
		close(fd);
		same_with(tmpl, NULL);
		unlink(tmpl);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shard),
		cmocka_unit_test(test_fanout_prog),
		cmocka_unit_test(test_fanout_prog_v6_fragments),
		cmocka_unit_test(test_merge_stats),
		cmocka_unit_test(test_capture_files),
		cmocka_unit_test(test_capture_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
