/* The console's reader of agent lines: untrusted bytes from a pod log
 * (anyone who can run a pod with the agents' labels, or get bytes into
 * a node's capture, shapes them). Pure: a line of at most
 * KN_AGENT_LINE_MAX bytes is parsed with cJSON into a caller's struct;
 * every string is copied with its bound, every number checked against
 * its range, every array walked to its cap. A line that is not an agent
 * line is refused with the reason. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "k8snet/agent.h"
#include "k8snet/dns.h"

static const cJSON *
get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* A number in [0, max] without fraction; false otherwise. */
static bool
get_u64(const cJSON *o, const char *k, uint64_t max, uint64_t *out)
{
	const cJSON *v = get(o, k);
	double d;

	if (!cJSON_IsNumber(v))
		return false;
	d = v->valuedouble;
	if (!(d >= 0) || d > (double)max || d != floor(d))
		return false;
	*out = (uint64_t)d;
	return true;
}

static void
copy_str(const cJSON *v, char *out, size_t n)
{
	const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
	size_t l;

	out[0] = '\0';
	if (s == NULL)
		return;
	l = strlen(s);
	if (l >= n)
		l = n - 1;
	memcpy(out, s, l);
	out[l] = '\0';
}

/* "seconds.micros" as written by the agent; the text is parsed, not the
 * double, so microseconds survive. */
static bool
get_ts(const cJSON *o, const char *k, uint64_t *out)
{
	const cJSON *v = get(o, k);
	double d;

	if (!cJSON_IsNumber(v))
		return false;
	d = v->valuedouble;
	/* epoch seconds to 2^40 (year 36812): enough, and exact in a
	 * double to the microsecond within the range agents use */
	if (!(d >= 0) || d > 1099511627776.0)
		return false;
	*out = (uint64_t)llround(d * 1e6);
	return true;
}

static bool
get_type(const cJSON *o, uint8_t *out)
{
	static const char *const names[3] = {"dns", "http", "tls"};
	const cJSON *v = get(o, "type");
	int i;

	if (!cJSON_IsString(v))
		return false;
	for (i = 0; i < 3; i++)
		if (strcmp(v->valuestring, names[i]) == 0) {
			*out = (uint8_t)i;
			return true;
		}
	return false;
}

static bool
get_ip(const cJSON *o, const char *k, struct kn_ipaddr *ip)
{
	const cJSON *v = get(o, k);

	return cJSON_IsString(v) && kn_ipaddr_parse(v->valuestring, ip);
}

static bool
get_peer(const cJSON *o, const char *k, struct kn_txn_peer *p)
{
	const cJSON *v = get(o, k);
	uint64_t port;

	if (!cJSON_IsObject(v) || !get_ip(v, "ip", &p->ip) ||
	    !get_u64(v, "port", 65535, &port))
		return false;
	p->port = (uint16_t)port;
	return true;
}

/* A DNS rcode (max 4095) or qtype (65535) by mnemonic or number. */
static bool
dns_code(const cJSON *v, bool rcode, int32_t *out)
{
	const char *n;
	int32_t i, top = rcode ? 4095 : 65535;

	if (cJSON_IsNumber(v)) {
		if (!(v->valuedouble >= 0) || v->valuedouble > top ||
		    v->valuedouble != floor(v->valuedouble))
			return false;
		*out = (int32_t)v->valuedouble;
		return true;
	}
	if (!cJSON_IsString(v))
		return false;
	/* the mnemonics sit low (rcodes to 23, types to 260) and at
	 * 32768-32769 (TA, DLV) */
	for (i = 0; i <= top; i = i == 1023 ? 32768 : i + 1) {
		if (i > 32769)
			break;
		n = rcode ? kn_dns_rcode_name((uint16_t)i)
			  : kn_dns_type_name((uint16_t)i);
		if (n != NULL && strcmp(n, v->valuestring) == 0) {
			*out = i;
			return true;
		}
	}
	return false;
}

/* A summary's code key: "NXDOMAIN", "503", "none". */
static bool
code_of_key(uint8_t type, const char *k, int32_t *out)
{
	char *end;
	long v;
	cJSON tmp;

	if (strcmp(k, "none") == 0) {
		*out = -1;
		return true;
	}
	v = strtol(k, &end, 10);
	if (end != k && *end == '\0' && v >= 0 && v <= 65535) {
		*out = (int32_t)v;
		return true;
	}
	if (type != KN_TXN_DNS)
		return false;
	memset(&tmp, 0, sizeof(tmp));
	tmp.type = cJSON_String;
	tmp.valuestring = (char *)k;
	return dns_code(&tmp, true, out);
}

static enum kn_err
bad(char *errbuf, const char *what)
{
	return kn_errf(errbuf, KN_ERR_PARSE, "not an agent line: %s", what);
}

static enum kn_err
parse_txn(const cJSON *o, struct kn_agentline *a, char *errbuf)
{
	struct kn_txn *t = &a->txn;
	const cJSON *v, *e;
	uint64_t u;
	int32_t code;
	size_t off = 0, l;

	copy_str(get(o, "why"), a->why, sizeof(a->why));
	if (!get_type(o, &t->type) || !get_ts(o, "ts", &t->ts_us) ||
	    !get_peer(o, "client", &t->client) ||
	    !get_peer(o, "server", &t->server))
		return bad(errbuf, "a transaction without type, ts or peers");
	v = get(o, "transport");
	t->transport = cJSON_IsString(v) && strcmp(v->valuestring, "tcp") == 0
			       ? 6
			       : 17;
	v = get(o, "latency_ms");
	t->latency_us = -1;
	if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e12)
		t->latency_us = (int64_t)llround(v->valuedouble * 1000.0);
	t->answered = t->latency_us >= 0;
	switch (t->type) {
	case KN_TXN_DNS:
		if (get_u64(o, "id", 65535, &u))
			t->u.dns.id = (uint16_t)u;
		copy_str(get(o, "qname"), t->u.dns.qname,
			 sizeof(t->u.dns.qname));
		t->u.dns.qname_len = (uint16_t)strlen(t->u.dns.qname);
		if (dns_code(get(o, "qtype"), false, &code))
			t->u.dns.qtype = (uint16_t)code;
		t->u.dns.rcode = -1;
		if (dns_code(get(o, "rcode"), true, &code))
			t->u.dns.rcode = code;
		t->u.dns.search_expansion =
			cJSON_IsTrue(get(o, "search_expansion"));
		t->u.dns.answers_cut = cJSON_IsTrue(get(o, "answers_cut"));
		t->u.dns.answers = a->answers;
		v = get(o, "answers");
		cJSON_ArrayForEach(e, v)
		{
			if (!cJSON_IsString(e))
				continue;
			l = strlen(e->valuestring);
			if (off + l + 1 > sizeof(a->answers) ||
			    t->u.dns.nanswers == 255) {
				t->u.dns.answers_cut = true;
				break;
			}
			memcpy(a->answers + off, e->valuestring, l + 1);
			off += l + 1;
			t->u.dns.nanswers++;
		}
		t->u.dns.answers_len = (uint16_t)off;
		t->u.dns.ancount = t->u.dns.nanswers;
		break;
	case KN_TXN_HTTP:
		copy_str(get(o, "method"), t->u.http.method,
			 sizeof(t->u.http.method));
		copy_str(get(o, "host"), t->u.http.host,
			 sizeof(t->u.http.host));
		copy_str(get(o, "path"), a->path, sizeof(a->path));
		t->u.http.path = a->path;
		t->u.http.status = -1;
		if (get_u64(o, "status", 999, &u))
			t->u.http.status = (int32_t)u;
		if (get_u64(o, "req_bytes", UINT64_C(1) << 52, &u))
			t->u.http.req_bytes = u;
		if (get_u64(o, "resp_bytes", UINT64_C(1) << 52, &u))
			t->u.http.resp_bytes = u;
		t->u.http.unmatched = cJSON_IsTrue(get(o, "unmatched"));
		t->u.http.gap = cJSON_IsTrue(get(o, "gap"));
		break;
	default:
		copy_str(get(o, "sni"), t->u.tls.sni, sizeof(t->u.tls.sni));
		copy_str(get(o, "alpn"), t->u.tls.alpn, sizeof(t->u.tls.alpn));
		break;
	}
	return KN_OK;
}

static enum kn_err
parse_agg(const cJSON *o, struct kn_agentline *a, char *errbuf)
{
	const cJSON *v, *e;
	uint64_t u, idx, cnt;
	int32_t code;

	if (!get_type(o, &a->type) ||
	    !get_u64(o, "n", UINT64_C(1) << 52, &a->n))
		return bad(errbuf, "a summary without type or n");
	a->other = cJSON_IsTrue(get(o, "other"));
	if (a->other) {
		if (get_u64(o, "keys", UINT64_C(1) << 52, &u))
			a->folded_keys = u;
	} else {
		if (!get_ip(o, "client", &a->client) ||
		    !get_ip(o, "server", &a->server) ||
		    !get_u64(o, "port", 65535, &u))
			return bad(errbuf, "a summary key without peers");
		a->port = (uint16_t)u;
		copy_str(get(o, "name"), a->name, sizeof(a->name));
	}
	v = get(o, "codes");
	cJSON_ArrayForEach(e, v)
	{
		if (!cJSON_IsNumber(e) || !(e->valuedouble >= 0) ||
		    e->valuedouble > (double)(UINT64_C(1) << 52) ||
		    e->string == NULL)
			continue;
		cnt = (uint64_t)e->valuedouble;
		if (strcmp(e->string, "other") == 0 ||
		    !code_of_key(a->type, e->string, &code)) {
			a->codes_other += cnt;
			continue;
		}
		kn_agent_codes_add(a->codes, &a->ncodes, &a->codes_other, code,
				   cnt);
	}
	v = get(o, "bytes");
	if (cJSON_GetArraySize(v) == 2) {
		e = cJSON_GetArrayItem(v, 0);
		if (cJSON_IsNumber(e) && e->valuedouble >= 0 &&
		    e->valuedouble < (double)(UINT64_C(1) << 52))
			a->req_bytes = (uint64_t)e->valuedouble;
		e = cJSON_GetArrayItem(v, 1);
		if (cJSON_IsNumber(e) && e->valuedouble >= 0 &&
		    e->valuedouble < (double)(UINT64_C(1) << 52))
			a->resp_bytes = (uint64_t)e->valuedouble;
	}
	/* [bucket, count] pairs; a bucket out of range refuses the line
	 * (sums must stay exact, not silently smaller) */
	v = get(o, "lat");
	cJSON_ArrayForEach(e, v)
	{
		const cJSON *b = cJSON_GetArrayItem(e, 0);
		const cJSON *c = cJSON_GetArrayItem(e, 1);

		if (!cJSON_IsNumber(b) || !cJSON_IsNumber(c) ||
		    !(b->valuedouble >= 0) ||
		    b->valuedouble >= KN_LAT_BUCKETS ||
		    !(c->valuedouble >= 0) ||
		    c->valuedouble > (double)(UINT64_C(1) << 52))
			return bad(errbuf, "a latency bucket out of range");
		idx = (uint64_t)b->valuedouble;
		cnt = (uint64_t)c->valuedouble;
		a->lat.b[idx] += cnt;
		a->lat.n += cnt;
	}
	return KN_OK;
}

static void
parse_drops(const cJSON *o, struct kn_agentline *a)
{
	const cJSON *c = get(o, "capture");

	if (!cJSON_IsObject(c))
		return;
	a->have_drops = true;
	get_u64(c, "received", UINT64_C(1) << 62, &a->received);
	get_u64(c, "kernel_drops", UINT64_C(1) << 62, &a->kernel_drops);
	get_u64(c, "interface_drops", UINT64_C(1) << 62, &a->interface_drops);
	get_u64(c, "evicted", UINT64_C(1) << 62, &a->evicted);
}

static enum kn_err
parse_sum(const cJSON *o, struct kn_agentline *a, char *errbuf)
{
	const cJSON *t = get(o, "txn");

	if (!cJSON_IsObject(t))
		return bad(errbuf, "a sum without txn");
	get_u64(t, "dns", UINT64_C(1) << 52, &a->txn_counts[0]);
	get_u64(t, "http", UINT64_C(1) << 52, &a->txn_counts[1]);
	get_u64(t, "tls", UINT64_C(1) << 52, &a->txn_counts[2]);
	get_u64(o, "left_out", UINT64_C(1) << 52, &a->left_out);
	get_u64(o, "folded", UINT64_C(1) << 52, &a->keys_folded);
	parse_drops(o, a);
	return KN_OK;
}

static enum kn_err
parse_node(const cJSON *o, struct kn_agentline *a, char *errbuf)
{
	const cJSON *v, *e, *c;
	uint64_t port;
	char plugin[64], file[128], name[64];

	copy_str(get(o, "node"), a->node, sizeof(a->node));
	if (a->node[0] == '\0')
		return bad(errbuf, "a node line without a node");
	cJSON_ArrayForEach(e, get(o, "listeners"))
	{
		if (a->nlisteners >= KN_AGENT_LISTENERS)
			break;
		if (!get_ip(e, "ip", &a->listeners[a->nlisteners].ip) ||
		    !get_u64(e, "port", 65535, &port))
			continue;
		a->listeners[a->nlisteners].port = (uint16_t)port;
		v = get(e, "proto");
		a->listeners[a->nlisteners].proto =
			cJSON_IsString(v) && strcmp(v->valuestring, "udp") == 0
				? 17
				: 6;
		copy_str(get(e, "comm"), a->listeners[a->nlisteners].comm,
			 sizeof(a->listeners[0].comm));
		a->nlisteners++;
	}
	c = get(o, "cni");
	if (cJSON_IsObject(c)) {
		copy_str(get(c, "plugin"), plugin, sizeof(plugin));
		copy_str(get(c, "file"), file, sizeof(file));
		copy_str(get(c, "name"), name, sizeof(name));
		snprintf(a->cni, sizeof(a->cni), "%s %s %s", plugin, name,
			 file);
	}
	v = get(o, "cni_hash");
	if (cJSON_IsString(v))
		a->cni_hash = strtoull(v->valuestring, NULL, 16);
	v = get(o, "kubelet");
	if (cJSON_IsObject(v)) {
		e = cJSON_GetArrayItem(get(v, "clusterDNS"), 0);
		copy_str(e, a->cluster_dns, sizeof(a->cluster_dns));
	}
	parse_drops(o, a);
	return KN_OK;
}

enum kn_err
kn_agentline_parse(const char *line, size_t len, struct kn_agentline *out,
		   char *errbuf)
{
	cJSON *o;
	const cJSON *k, *i;
	enum kn_err e;

	if (len >= KN_AGENT_LINE_MAX)
		return kn_errf(errbuf, KN_ERR_LIMIT,
			       "an agent line of %zu bytes (at most %d)", len,
			       KN_AGENT_LINE_MAX - 1);
	memset(out, 0, sizeof(*out));
	o = cJSON_ParseWithLength(line, len);
	if (o == NULL)
		return bad(errbuf, "not JSON");
	k = get(o, "k");
	i = get(o, "i");
	if (!cJSON_IsObject(o) || !cJSON_IsString(k) || !cJSON_IsString(i) ||
	    strlen(i->valuestring) != 16 ||
	    !get_u64(o, "seq", UINT64_C(1) << 52, &out->seq)) {
		cJSON_Delete(o);
		return bad(errbuf, "no k, i or seq");
	}
	out->instance = strtoull(i->valuestring, NULL, 16);
	get_ts(o, "t0", &out->t0_us);
	get_ts(o, "t1", &out->t1_us);
	if (strcmp(k->valuestring, "txn") == 0) {
		out->kind = KN_AL_TXN;
		e = parse_txn(o, out, errbuf);
	} else if (strcmp(k->valuestring, "agg") == 0) {
		out->kind = KN_AL_AGG;
		e = parse_agg(o, out, errbuf);
	} else if (strcmp(k->valuestring, "sum") == 0) {
		out->kind = KN_AL_SUM;
		e = parse_sum(o, out, errbuf);
	} else if (strcmp(k->valuestring, "node") == 0) {
		out->kind = KN_AL_NODE;
		e = parse_node(o, out, errbuf);
	} else {
		e = bad(errbuf, "an unknown kind");
	}
	cJSON_Delete(o);
	return e;
}
