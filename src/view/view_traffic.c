/* The Traffic view: captured DNS, HTTP and TLS transactions, one row
 * each, for the console's transaction lists and the -o jsonl lines
 * (DESIGN.md section 4). */
#include <stdio.h>
#include <string.h>

#include "k8snet/capture.h"
#include "k8snet/dns.h"
#include "k8snet/layers.h"
#include "k8snet/model.h"
#include "k8snet/policy.h"
#include "k8snet/view.h"

/* A row keeps its transaction's number in i (low 32 bits) and j (high):
 * the capture reuses a ring entry for a newer transaction, which the
 * row must not show as its own. */
static uint64_t
row_seq(const struct kn_vrow *r)
{
	return (uint64_t)r->j << 32 | r->i;
}

const struct kn_recent *
kn_view_traffic_txn(const struct kn_vrow *r)
{
	const struct kn_recent *t = r->obj;

	return t != NULL && t->seq == row_seq(r) && t->text != NULL ? t : NULL;
}

/* What a row whose entry was reused reads: no type, no answer. */
static char gone_text[4];
static const struct kn_recent gone = {
	.latency_us = -1, .code = -1, .type = 0xff, .text = gone_text};

static const struct kn_recent *
T(const struct kn_vrow *r)
{
	const struct kn_recent *t = kn_view_traffic_txn(r);

	return t != NULL ? t : &gone;
}

/* The transaction when it is of type; else NULL, its key left out. */
static const struct kn_recent *
of(const struct kn_vrow *r, struct kn_value *v, int type)
{
	const struct kn_recent *t = T(r);

	if (t->type == type)
		return t;
	v->absent = true;
	v->null = true;
	return NULL;
}

/* String k of the transaction (kn_recent's s[]). */
static const char *
str(const struct kn_recent *t, int k)
{
	return t->text + t->s[k];
}

static const char *
opt_str(const struct kn_recent *t, int k)
{
	return t->text[t->s[k]] != '\0' ? str(t, k) : NULL;
}

/* A field of one type's transactions: the key is left out of the
 * others' lines. */
#define TXN_STR(name, type, k, get)                                            \
	static void name(const struct kn_vctx *cx, const struct kn_vrow *r,    \
			 struct kn_value *v)                                   \
	{                                                                      \
		const struct kn_recent *t = of(r, v, type);                    \
		if (t != NULL)                                                 \
			v->s = get(t, k);                                      \
	}
#define TXN_VALUE(name, type, fill)                                            \
	static void name(const struct kn_vctx *cx, const struct kn_vrow *r,    \
			 struct kn_value *v)                                   \
	{                                                                      \
		const struct kn_recent *t = of(r, v, type);                    \
		if (t != NULL)                                                 \
			fill(t, v);                                            \
	}
#define TXN_FLAG(name, type, expr)                                             \
	static void name(const struct kn_vctx *cx, const struct kn_vrow *r,    \
			 struct kn_value *v)                                   \
	{                                                                      \
		const struct kn_recent *t = of(r, v, type);                    \
		if (t != NULL)                                                 \
			v->b = (expr);                                         \
	}
#define TXN_UINT(name, type, field)                                            \
	static void name(const struct kn_vctx *cx, const struct kn_vrow *r,    \
			 struct kn_value *v)                                   \
	{                                                                      \
		const struct kn_recent *t = of(r, v, type);                    \
		if (t != NULL)                                                 \
			v->u = t->field;                                       \
	}

/* ---- every transaction ---- */

static void
g_type(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	static const char *const types[] = {"dns", "http", "tls"};
	const struct kn_recent *t = T(r);

	v->s = t->type < 3 ? types[t->type] : NULL;
}

static void
g_ts(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->u = T(r)->ts_us;
	v->null = T(r) == &gone;
}

#define PEER(r) ((const struct kn_txn_peer *)(r)->aux)

static void
g_peer_ip(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->ip = PEER(r)->ip;
}

static void
g_peer_port(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->u = PEER(r)->port;
}

/* "namespace/pod", "namespace/service", "node/NAME" or null. */
static void
g_peer_name(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	if (cx->capture != NULL)
		v->s = kn_capture_name(cx->capture, &PEER(r)->ip);
	else if (cx->model != NULL) /* lines from node agents */
		v->s = kn_model_name_ip((void *)cx->model, &PEER(r)->ip, v->buf,
					v->cap);
	else
		v->s = NULL;
}

/* The node whose agent saw it (--agents): the line's, else the
 * transaction's; left out for the capture's own. */
static void
g_node(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = cx->node != NULL ? cx->node : T(r)->node;
	v->absent = v->s == NULL;
}

static const struct kn_vcol peer_cols[] = {
	{.key = "ip", .type = KN_VT_IP, .flags = KN_VC_JSON, .get = g_peer_ip},
	{.key = "port",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_peer_port},
	{.key = "name",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_peer_name},
};

static void
client_row(const struct kn_vrow *parent, size_t k, struct kn_vrow *out)
{
	*out = *parent;
	out->aux = &T(parent)->client;
}

static void
server_row(const struct kn_vrow *parent, size_t k, struct kn_vrow *out)
{
	*out = *parent;
	out->aux = &T(parent)->server;
}

static void
g_client(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->sub = peer_cols;
	v->nsub = sizeof(peer_cols) / sizeof(peer_cols[0]);
	v->sub_row = client_row;
}

static void
g_server(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	g_client(cx, r, v);
	v->sub_row = server_row;
}

const char *
kn_view_traffic_peer(const struct kn_vctx *cx, const struct kn_ipaddr *ip,
		     char *buf, size_t n)
{
	char a[KN_IPSTR];
	const char *name =
		cx->capture != NULL ? kn_capture_name(cx->capture, ip) : NULL;

	kn_ipaddr_format(ip, a, sizeof(a));
	if (name == NULL)
		snprintf(buf, n, "%s", a);
	else if (cx->wide)
		snprintf(buf, n, "%s %s", name, a);
	else
		snprintf(buf, n, "%s", name);
	return buf;
}

/* The console's CLIENT and SERVER. */
static void
peer_text(const struct kn_vctx *cx, const struct kn_txn_peer *p,
	  struct kn_value *v)
{
	v->s = kn_view_traffic_peer(cx, &p->ip, v->buf, v->cap);
}

/* -o wide: an end's address and port, and its name in full. */
static void
peer_addr(const struct kn_txn_peer *p, struct kn_value *v)
{
	char a[KN_IPSTR];

	kn_ipaddr_format(&p->ip, a, sizeof(a));
	snprintf(v->buf, v->cap, p->ip.family == 6 ? "[%s]:%u" : "%s:%u", a,
		 p->port);
	v->s = v->buf;
}

static void
peer_name(const struct kn_vctx *cx, const struct kn_txn_peer *p,
	  struct kn_value *v)
{
	v->s = cx->capture != NULL ? kn_capture_name(cx->capture, &p->ip)
				   : NULL;
	v->null = v->s == NULL;
}

static void
g_client_addr(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	peer_addr(&T(r)->client, v);
}

static void
g_server_addr(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	peer_addr(&T(r)->server, v);
}

static void
g_client_name(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	peer_name(cx, &T(r)->client, v);
}

static void
g_server_name(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	peer_name(cx, &T(r)->server, v);
}

static void
g_client_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	peer_text(cx, &T(r)->client, v);
}

static void
g_server_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	peer_text(cx, &T(r)->server, v);
}

/* ---- DNS ---- */

static void
g_transport(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	const struct kn_recent *t = of(r, v, KN_TXN_DNS);

	if (t != NULL)
		v->s = t->transport == 6 ? "tcp" : "udp";
}

TXN_UINT(g_id, KN_TXN_DNS, id)
TXN_STR(g_qname, KN_TXN_DNS, 0, str)

/* A mnemonic ("AAAA", "NXDOMAIN"), else the number. */
static void
mnemonic(struct kn_value *v, const char *name, int64_t num)
{
	v->s = name;
	if (name != NULL)
		return;
	v->type = KN_VT_INT;
	v->i = num;
}

static void
qtype_value(const struct kn_recent *t, struct kn_value *v)
{
	mnemonic(v, kn_dns_type_name(t->qtype), t->qtype);
}

/* Null when unanswered. */
static void
rcode_value(const struct kn_recent *t, struct kn_value *v)
{
	if (t->code < 0)
		v->null = true;
	else
		mnemonic(v, kn_dns_rcode_name((uint16_t)t->code), t->code);
}

/* A DNS query's result in the console: the rcode, else what came
 * instead: "refused" (an ICMP port unreachable, as dig says it), or
 * "no answer". */
static void
dns_result(const struct kn_recent *t, struct kn_value *v)
{
	rcode_value(t, v);
	if (v->null) {
		v->null = false;
		v->s = t->error == KN_ICMP_PORT_UNREACH ? "refused"
							: "no answer";
	}
}

TXN_VALUE(g_qtype, KN_TXN_DNS, qtype_value)
TXN_VALUE(g_rcode, KN_TXN_DNS, rcode_value)

/* The console's RCODE: an unanswered query says so, and a search-path
 * expansion's NXDOMAIN is starred (the client then found the name). */
static void
g_rcode_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	const struct kn_recent *t = T(r);

	dns_result(t, v);
	if (t->code == 3 && t->search_expansion) {
		v->s = "NXDOMAIN*";
	}
}

static void
g_answers(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_recent *t = of(r, v, KN_TXN_DNS);

	if (t == NULL)
		return;
	/* nanswers NUL-ended texts, the last one up to the next string */
	v->packed = true;
	v->delim = '\0';
	v->arr = str(t, 1);
	v->len = (size_t)(t->s[2] - t->s[1] - 1);
	v->n = t->nanswers;
	v->sep = ", ";
}

static void
g_ancount(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_recent *t = of(r, v, KN_TXN_DNS);

	if (t != NULL)
		v->u = t->code < 0 ? 0 : t->ancount;
}

TXN_UINT(g_retrans, KN_TXN_DNS, retrans)

TXN_FLAG(g_search_expansion, KN_TXN_DNS, t->search_expansion)

/* "error": what came back instead of an answer (an ICMP port
 * unreachable: nothing listens on the server's port); left out of a
 * query without one. */
static void
g_error(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_recent *t = of(r, v, KN_TXN_DNS);

	if (t == NULL)
		return;
	if (t->error == KN_ICMP_PORT_UNREACH)
		v->s = "port-unreachable";
	else
		v->absent = true;
}
TXN_FLAG(g_answers_cut, KN_TXN_DNS, (t->cut & KN_RECENT_CUT_ANSWERS) != 0)

/* ---- HTTP ---- */

/* A response whose request was not captured has no method or path. */
static const char *
req_str(const struct kn_recent *t, int k)
{
	return t->unmatched ? NULL : str(t, k);
}

TXN_STR(g_method, KN_TXN_HTTP, 0, req_str)
TXN_STR(g_host, KN_TXN_HTTP, 1, opt_str)
TXN_STR(g_path, KN_TXN_HTTP, 2, req_str)
TXN_FLAG(g_unmatched, KN_TXN_HTTP, t->unmatched)
TXN_FLAG(g_gap, KN_TXN_HTTP, t->gap)
TXN_FLAG(g_path_cut, KN_TXN_HTTP, (t->cut & KN_RECENT_CUT_PATH) != 0)
TXN_FLAG(g_host_cut, KN_TXN_HTTP, (t->cut & KN_RECENT_CUT_HOST) != 0)

static void
g_status(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_recent *t = of(r, v, KN_TXN_HTTP);

	if (t == NULL)
		return;
	v->i = t->code;
	v->null = t->code < 0;
}

/* The console's STATUS: "-" without a response. */
static void
g_status_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	g_status(cx, r, v);
	if (!v->null)
		return;
	v->null = false;
	v->type = KN_VT_TEXT;
	v->s = "-";
}

static void
latency_value(const struct kn_recent *t, struct kn_value *v)
{
	v->ms = t->latency_us < 0 ? -1 : (double)t->latency_us / 1000.0;
}

/* DNS and HTTP; the key sits where both lines want it (after answers,
 * after status: their other keys never meet). */
static void
g_latency(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_recent *t = T(r);

	if (t->type != KN_TXN_DNS && t->type != KN_TXN_HTTP) {
		v->absent = true;
		return;
	}
	latency_value(t, v);
}

/* The console's LATENCY: "-" unanswered, nothing for TLS. */
static void
g_latency_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	const struct kn_recent *t = T(r);

	latency_value(t, v);
	if (v->ms >= 0 && t->type != KN_TXN_TLS)
		return;
	v->type = KN_VT_TEXT;
	v->s = t->type == KN_TXN_TLS ? "" : "-";
}

TXN_UINT(g_req_bytes, KN_TXN_HTTP, req_bytes)
TXN_UINT(g_resp_bytes, KN_TXN_HTTP, resp_bytes)

static void
g_bytes(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->u = T(r)->req_bytes + T(r)->resp_bytes;
}

/* A kept head as its lines (raw bytes; credentials were redacted when
 * it was kept). */
static void
head_lines(const struct kn_vrow *r, int dir, struct kn_value *v)
{
	size_t len, i;
	bool trunc;

	v->arr = kn_recent_head(T(r), dir, &len, &trunc);
	v->packed = true;
	v->delim = '\n';
	v->len = len;
	for (i = 0; i < len; i++)
		v->n += v->arr[i] == '\n';
	if (len > 0 && v->arr[len - 1] != '\n')
		v->n++;
}

static bool
head_cut(const struct kn_vrow *r, int dir)
{
	size_t len;
	bool trunc;

	kn_recent_head(T(r), dir, &len, &trunc);
	return trunc;
}

static void
g_request(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	head_lines(r, 0, v);
}

static void
g_request_cut(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	v->b = head_cut(r, 0);
}

static void
g_response(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	head_lines(r, 1, v);
}

static void
g_response_cut(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	v->b = head_cut(r, 1);
}

static const struct kn_vcol head_cols[] = {
	{.key = "request",
	 .type = KN_VT_STRS,
	 .flags = KN_VC_JSON,
	 .get = g_request},
	{.key = "request_cut",
	 .type = KN_VT_BOOL,
	 .flags = KN_VC_JSON,
	 .get = g_request_cut},
	{.key = "response",
	 .type = KN_VT_STRS,
	 .flags = KN_VC_JSON,
	 .get = g_response},
	{.key = "response_cut",
	 .type = KN_VT_BOOL,
	 .flags = KN_VC_JSON,
	 .get = g_response_cut},
};

/* "heads", a key of http lines DESIGN.md allows, when they were kept. */
static void
g_heads(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->absent = !kn_recent_heads_kept(T(r));
	v->sub = head_cols;
	v->nsub = sizeof(head_cols) / sizeof(head_cols[0]);
	v->sub_row = kn_vrow_same;
}

/* ---- TLS ---- */

TXN_STR(g_sni, KN_TXN_TLS, 0, opt_str)
TXN_STR(g_alpn, KN_TXN_TLS, 1, opt_str)

/* ---- overlays ---- */

static void
g_encap(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = kn_encap_name(T(r)->encap);
}

static void
outer_text(const struct kn_vrow *r, bool server, struct kn_value *v)
{
	struct kn_ipaddr c, s;

	kn_recent_outer(T(r), &c, &s);
	v->s = kn_ipaddr_format(server ? &s : &c, v->buf, v->cap);
}

static void
g_outer_client(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	outer_text(r, false, v);
}

static void
g_outer_server(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	outer_text(r, true, v);
}

static const struct kn_vcol outer_cols[] = {
	{.key = "encap",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_encap},
	{.key = "client",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_outer_client},
	{.key = "server",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_outer_server},
};

/* The VXLAN, Geneve or IP-in-IP wrapping it was unwrapped from, or
 * null. */
static void
g_outer(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->null = T(r)->encap == 0;
	v->sub = outer_cols;
	v->nsub = sizeof(outer_cols) / sizeof(outer_cols[0]);
	v->sub_row = kn_vrow_same;
}

/* ---- NetworkPolicy: would policy deny this flow? ---- */

/* The verdict of the model's policies on the row's flow; false (and
 * nothing in fl) without policies or when none decides. */
static bool
denied(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_np_flow *fl)
{
	const struct kn_recent *t = T(r);
	const struct kn_np_flow *f;

	memset(fl, 0, sizeof(*fl));
	if (cx->policy == NULL || cx->model == NULL)
		return false;
	f = kn_policy_cache_flow(cx->policy, cx->model, &t->client.ip,
				 &t->server.ip, t->server.port,
				 t->transport == 17 ? KN_PROTO_UDP
						    : KN_PROTO_TCP);
	if (f == NULL)
		return false;
	*fl = *f;
	return fl->denied;
}

static void
g_policy(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	struct kn_np_flow fl;

	v->absent = !denied(cx, r, &fl);
	v->s = "denied";
}

static void
g_policy_side(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	struct kn_np_flow fl;

	if ((v->absent = !denied(cx, r, &fl)))
		return;
	v->s = fl.egress ? "egress" : "ingress";
}

static void
g_policy_why(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	struct kn_np_flow fl;

	if ((v->absent = !denied(cx, r, &fl)))
		return;
	snprintf(v->buf, v->cap, "%s", fl.why);
	v->s = v->buf;
}

/* The console's word: a flow policy denies and that went unanswered is
 * explained; one that was answered says the CNI may not enforce. */
static void
g_policy_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	struct kn_np_flow fl;

	if (!denied(cx, r, &fl))
		return;
	if (T(r)->code < 0 && T(r)->type != KN_TXN_TLS)
		v->s = fl.egress ? "denied: egress" : "denied: ingress";
	else
		v->s = "denied, yet answered";
}

/* ---- the console's summaries of a transaction ---- */

/* "A web.shop.svc.cluster.local", "GET web/index", "SNI web". */
static void
g_request_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	const struct kn_recent *t = T(r);
	char num[16];
	const char *qt;

	switch (t->type) {
	case KN_TXN_DNS:
		qt = kn_dns_type_name(t->qtype);
		if (qt == NULL) {
			snprintf(num, sizeof(num), "%u", t->qtype);
			qt = num;
		}
		snprintf(v->buf, v->cap, "%s %s", qt, str(t, 0));
		break;
	case KN_TXN_HTTP:
		snprintf(v->buf, v->cap, "%s %s%s", str(t, 0), str(t, 1),
			 str(t, 2));
		break;
	case KN_TXN_TLS:
		snprintf(v->buf, v->cap, "SNI %s", str(t, 0));
		break;
	}
	v->s = v->buf;
}

/* The rcode, the status, or what the TLS row is. */
static void
g_result(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_recent *t = T(r);

	switch (t->type) {
	case KN_TXN_DNS:
		dns_result(t, v);
		break;
	case KN_TXN_HTTP:
		if (t->code < 0) {
			v->s = "no response";
			break;
		}
		v->type = KN_VT_UINT;
		v->u = (uint64_t)t->code;
		break;
	case KN_TXN_TLS:
		v->s = "hello";
		break;
	}
}

/* JSON key order is the jsonl line's: the keys of one type leave out
 * the others' (KN_VC_OPT), so DNS, HTTP and TLS lines share one table.
 * The console's columns where its text differs follow. */
#define D (KN_VC_JSON | KN_VC_OPT)
#define C KN_VC_CONSOLE
#define W (KN_VC_TABLE | KN_VC_WIDE)

enum {
	COL_TYPE,
	COL_TS,
	COL_NODE,
	COL_CLIENT_OBJ,
	COL_SERVER_OBJ,
	COL_TRANSPORT,
	COL_ID,
	COL_QNAME,
	COL_QTYPE,
	COL_RCODE_JSON,
	COL_ANSWERS,
	COL_METHOD,
	COL_HOST,
	COL_PATH,
	COL_STATUS_JSON,
	COL_LATENCY_MS,
	COL_ANCOUNT,
	COL_RETRANS,
	COL_SEARCH,
	COL_ERROR,
	COL_ANSWERS_CUT,
	COL_REQ_BYTES,
	COL_RESP_BYTES,
	COL_UNMATCHED,
	COL_GAP,
	COL_PATH_CUT,
	COL_HOST_CUT,
	COL_HEADS,
	COL_SNI,
	COL_ALPN,
	COL_OUTER,
	COL_POLICY_JSON,
	COL_POLICY_SIDE,
	COL_POLICY_WHY,
	COL_CLIENT,
	COL_SERVER,
	COL_REQUEST,
	COL_RESULT,
	COL_RCODE,
	COL_STATUS,
	COL_LATENCY,
	COL_BYTES,
	COL_POLICY,
	COL_NODE_TEXT,
	COL_W_CLIENT_ADDR,
	COL_W_CLIENT,
	COL_W_SERVER_ADDR,
	COL_W_SERVER,
	COL_W_ID,
	COL_W_REQ_BYTES,
	COL_W_RESP_BYTES,
	COL__COUNT
};

static const struct kn_vcol cols[] = {
	[COL_TYPE] = {"TYPE", NULL, "type", KN_VT_TEXT, KN_VC_JSON | C | W, 4,
		      5, 0, false, g_type},
	[COL_TS] = {"TIME", NULL, "ts", KN_VT_TIME, KN_VC_JSON | C | W, 12, 12,
		    0, false, g_ts},
	[COL_NODE] = {NULL, NULL, "node", KN_VT_TEXT, D, 0, 0, 0, false,
		      g_node},
	[COL_CLIENT_OBJ] = {NULL, NULL, "client", KN_VT_OBJ, KN_VC_JSON, 0, 0,
			    0, false, g_client},
	[COL_SERVER_OBJ] = {NULL, NULL, "server", KN_VT_OBJ, KN_VC_JSON, 0, 0,
			    0, false, g_server},
	[COL_TRANSPORT] = {NULL, NULL, "transport", KN_VT_TEXT, D, 0, 0, 0,
			   false, g_transport},
	[COL_ID] = {NULL, NULL, "id", KN_VT_UINT, D, 0, 0, 0, false, g_id},
	[COL_QNAME] = {"QNAME", NULL, "qname", KN_VT_TEXT, D | C, 10, 0, 3,
		       false, g_qname},
	[COL_QTYPE] = {"QTYPE", NULL, "qtype", KN_VT_TEXT, D | C, 5, 6, 0,
		       false, g_qtype},
	[COL_RCODE_JSON] = {NULL, NULL, "rcode", KN_VT_TEXT, D, 0, 0, 0, false,
			    g_rcode},
	[COL_ANSWERS] = {"ANSWERS", NULL, "answers", KN_VT_STRS, D | C, 8, 0, 2,
			 false, g_answers},
	[COL_METHOD] = {"METHOD", NULL, "method", KN_VT_TEXT, D | C, 6, 8, 0,
			false, g_method},
	[COL_HOST] = {"HOST", NULL, "host", KN_VT_TEXT, D | C, 6, 0, 1, false,
		      g_host},
	[COL_PATH] = {"PATH", NULL, "path", KN_VT_TEXT, D | C, 6, 0, 2, false,
		      g_path},
	[COL_STATUS_JSON] = {NULL, NULL, "status", KN_VT_INT, D, 0, 0, 0, false,
			     g_status},
	[COL_LATENCY_MS] = {NULL, NULL, "latency_ms", KN_VT_MS, D, 0, 0, 0,
			    false, g_latency},
	[COL_ANCOUNT] = {NULL, NULL, "ancount", KN_VT_UINT, D, 0, 0, 0, false,
			 g_ancount},
	[COL_RETRANS] = {NULL, NULL, "retransmissions", KN_VT_UINT, D, 0, 0, 0,
			 false, g_retrans},
	[COL_SEARCH] = {NULL, NULL, "search_expansion", KN_VT_BOOL, D, 0, 0, 0,
			false, g_search_expansion},
	[COL_ERROR] = {NULL, NULL, "error", KN_VT_TEXT, D, 0, 0, 0, false,
		       g_error},
	[COL_ANSWERS_CUT] = {NULL, NULL, "answers_cut", KN_VT_BOOL, D, 0, 0, 0,
			     false, g_answers_cut},
	[COL_REQ_BYTES] = {NULL, NULL, "req_bytes", KN_VT_UINT, D, 0, 0, 0,
			   false, g_req_bytes},
	[COL_RESP_BYTES] = {NULL, NULL, "resp_bytes", KN_VT_UINT, D, 0, 0, 0,
			    false, g_resp_bytes},
	[COL_UNMATCHED] = {NULL, NULL, "unmatched", KN_VT_BOOL, D, 0, 0, 0,
			   false, g_unmatched},
	[COL_GAP] = {NULL, NULL, "gap", KN_VT_BOOL, D, 0, 0, 0, false, g_gap},
	[COL_PATH_CUT] = {NULL, NULL, "path_cut", KN_VT_BOOL, D, 0, 0, 0, false,
			  g_path_cut},
	[COL_HOST_CUT] = {NULL, NULL, "host_cut", KN_VT_BOOL, D, 0, 0, 0, false,
			  g_host_cut},
	[COL_HEADS] = {NULL, NULL, "heads", KN_VT_OBJ, D, 0, 0, 0, false,
		       g_heads},
	[COL_SNI] = {"SNI", NULL, "sni", KN_VT_TEXT, D | C, 8, 0, 3, false,
		     g_sni},
	[COL_ALPN] = {"ALPN", NULL, "alpn", KN_VT_TEXT, D | C, 4, 16, 0, false,
		      g_alpn},
	[COL_OUTER] = {NULL, NULL, "outer", KN_VT_OBJ, KN_VC_JSON, 0, 0, 0,
		       false, g_outer},
	[COL_POLICY_JSON] = {NULL, NULL, "policy", KN_VT_TEXT, D, 0, 0, 0,
			     false, g_policy},
	[COL_POLICY_SIDE] = {NULL, NULL, "policy_side", KN_VT_TEXT, D, 0, 0, 0,
			     false, g_policy_side},
	[COL_POLICY_WHY] = {NULL, NULL, "policy_why", KN_VT_TEXT, D, 0, 0, 0,
			    false, g_policy_why},
	[COL_CLIENT] = {"CLIENT", NULL, NULL, KN_VT_TEXT, C, 8, 0, 2, false,
			g_client_text},
	[COL_SERVER] = {"SERVER", NULL, NULL, KN_VT_TEXT, C, 8, 0, 2, false,
			g_server_text},
	[COL_REQUEST] = {"REQUEST", NULL, NULL, KN_VT_TEXT, C | W, 8, 0, 3,
			 false, g_request_text},
	[COL_RESULT] = {"RESULT", NULL, NULL, KN_VT_TEXT, C | W, 9, 12, 0,
			false, g_result},
	[COL_RCODE] = {"RCODE", NULL, NULL, KN_VT_TEXT, C, 9, 9, 0, false,
		       g_rcode_text},
	[COL_STATUS] = {"STATUS", NULL, NULL, KN_VT_INT, C, 6, 6, 0, true,
			g_status_text},
	[COL_LATENCY] = {"LATENCY", NULL, NULL, KN_VT_MS, C | W, 7, 10, 0, true,
			 g_latency_text},
	[COL_BYTES] = {"BYTES", NULL, NULL, KN_VT_UINT, C, 5, 10, 0, true,
		       g_bytes},
	[COL_POLICY] = {"POLICY", NULL, NULL, KN_VT_TEXT, C, 6, 20, 0, false,
			g_policy_text},
	[COL_NODE_TEXT] = {"NODE", NULL, NULL, KN_VT_TEXT, C | KN_VC_HIDE_EMPTY,
			   4, 24, 0, false, g_node},
	/* The --once table of transactions (-o wide only): each end's
	 * address and name in full, the DNS id, the HTTP sizes. */
	[COL_W_CLIENT_ADDR] = {"CLIENT", NULL, NULL, KN_VT_TEXT, W, 0, 0, 0,
			       false, g_client_addr},
	[COL_W_CLIENT] = {"CLIENT-NAME", NULL, NULL, KN_VT_TEXT, W, 0, 0, 0,
			  false, g_client_name},
	[COL_W_SERVER_ADDR] = {"SERVER", NULL, NULL, KN_VT_TEXT, W, 0, 0, 0,
			       false, g_server_addr},
	[COL_W_SERVER] = {"SERVER-NAME", NULL, NULL, KN_VT_TEXT, W, 0, 0, 0,
			  false, g_server_name},
	[COL_W_ID] = {"ID", NULL, NULL, KN_VT_UINT, W, 0, 0, 0, true, g_id},
	[COL_W_REQ_BYTES] = {"REQ-BYTES", NULL, NULL, KN_VT_UINT, W, 0, 0, 0,
			     true, g_req_bytes},
	[COL_W_RESP_BYTES] = {"RESP-BYTES", NULL, NULL, KN_VT_UINT, W, 0, 0, 0,
			      true, g_resp_bytes},
};

#undef D
#undef C
#undef W

_Static_assert(sizeof(cols) / sizeof(cols[0]) == COL__COUNT,
	       "view_traffic: one column per COL_ name");

/* NODE (transactions of node agents) hides while no row shown has one. */
static const uint8_t all_order[] = {COL_TS,	COL_NODE_TEXT, COL_TYPE,
				    COL_CLIENT, COL_SERVER,    COL_REQUEST,
				    COL_RESULT, COL_LATENCY,   COL_POLICY};
static const uint8_t dns_order[] = {
	COL_TS,	   COL_NODE_TEXT, COL_CLIENT,  COL_QNAME,  COL_QTYPE,
	COL_RCODE, COL_ANSWERS,	  COL_LATENCY, COL_SERVER, COL_POLICY};
static const uint8_t http_order[] = {
	COL_TS,	  COL_NODE_TEXT, COL_CLIENT,  COL_SERVER, COL_METHOD, COL_HOST,
	COL_PATH, COL_STATUS,	 COL_LATENCY, COL_BYTES,  COL_POLICY};
static const uint8_t tls_order[] = {COL_TS,	COL_NODE_TEXT, COL_CLIENT,
				    COL_SERVER, COL_SNI,       COL_ALPN,
				    COL_POLICY};
/* -o wide: one row per transaction under the summary. */
static const uint8_t wide_order[] = {
	COL_TS,	      COL_TYPE,		 COL_W_CLIENT_ADDR,
	COL_W_CLIENT, COL_W_SERVER_ADDR, COL_W_SERVER,
	COL_W_ID,     COL_REQUEST,	 COL_RESULT,
	COL_LATENCY,  COL_W_REQ_BYTES,	 COL_W_RESP_BYTES};

/* An answer slower than this reads as a warning: a DNS answer past
 * 200 ms is slow for a cluster (CoreDNS answers in a few; the
 * resolver's first timeout is 5 s), an HTTP response past 1 s. */
#define KN_SLOW_DNS_US 200000
#define KN_SLOW_HTTP_US 1000000

/* Errors read as errors; slow answers as warnings; an unanswered one, or
 * the NXDOMAIN of a search-path try, dimmed. */
static enum kn_vtone
tone_of(const struct kn_recent *t)
{
	if (t->type == KN_TXN_TLS)
		return KN_VTONE_NORMAL;
	if (t->type == KN_TXN_DNS && t->error != KN_ICMP_NONE)
		return KN_VTONE_ERROR;
	if (t->code < 0)
		return KN_VTONE_DIM;
	if (t->type == KN_TXN_DNS)
		return t->code != 0 ? (t->search_expansion ? KN_VTONE_DIM
							   : KN_VTONE_ERROR)
		       : t->latency_us >= KN_SLOW_DNS_US ? KN_VTONE_WARN
							 : KN_VTONE_NORMAL;
	return t->code >= 500			  ? KN_VTONE_ERROR
	       : t->code >= 400			  ? KN_VTONE_WARN
	       : t->latency_us >= KN_SLOW_HTTP_US ? KN_VTONE_WARN
						  : KN_VTONE_NORMAL;
}

void
kn_view_traffic_row(struct kn_view *v, const struct kn_recent *r)
{
	kn_view_add(v, r, (uint32_t)r->seq, (uint32_t)(r->seq >> 32),
		    tone_of(r));
}

/* The recent transactions of type (-1: all) numbered from on, up to
 * cx->txn_end, with an end in cx->ns, in the order they completed (the
 * console sorts them by time). */
static void
add_rows(struct kn_view *v, const struct kn_vctx *cx, int type, uint64_t from)
{
	const struct kn_recent *t;
	uint64_t seq;

	if (cx->capture == NULL)
		return;
	for (seq = from; seq < cx->txn_end; seq++) {
		t = kn_capture_recent(cx->capture, seq);
		if (t == NULL || (type >= 0 && t->type != type))
			continue;
		if (cx->ns != NULL &&
		    !kn_capture_in_ns(cx->capture, &t->client.ip, cx->ns) &&
		    !kn_capture_in_ns(cx->capture, &t->server.ip, cx->ns))
			continue;
		kn_view_traffic_row(v, t);
	}
}

/* The build and extend functions of a traffic view of one type. */
#define TRAFFIC_ROWS(name, type)                                               \
	static void build_##name(struct kn_view *v, const struct kn_vctx *cx)  \
	{                                                                      \
		add_rows(v, cx, type, cx->txn_from);                           \
	}                                                                      \
	static void extend_##name(struct kn_view *v, const struct kn_vctx *cx, \
				  uint64_t since)                              \
	{                                                                      \
		add_rows(v, cx, type,                                          \
			 since > cx->txn_from ? since : cx->txn_from);         \
	}

TRAFFIC_ROWS(all, -1)
TRAFFIC_ROWS(dns, KN_TXN_DNS)
TRAFFIC_ROWS(http, KN_TXN_HTTP)
TRAFFIC_ROWS(tls, KN_TXN_TLS)

size_t
kn_view_traffic_update(struct kn_view *v, const struct kn_vctx *cx,
		       uint64_t old_end)
{
	size_t drop = 0;

	/* rows are in the order of their numbers */
	while (drop < v->n && row_seq(&v->rows[drop]) < cx->txn_from)
		drop++;
	kn_view_drop_front(v, drop);
	v->def->extend(v, cx, old_end);
	return drop;
}

static uint64_t
row_id(const struct kn_vrow *r)
{
	return row_seq(r);
}

#define TRAFFIC_VIEW(cord, name)                                               \
	{                                                                      \
		.pane = "traffic", .cols = cols,                               \
		.ncols = sizeof(cols) / sizeof(cols[0]), .order = wide_order,  \
		.norder = sizeof(wide_order), .corder = cord,                  \
		.ncorder = sizeof(cord), .empty = "transactions",              \
		.build = build_##name, .row_id = row_id,                       \
		.extend = extend_##name                                        \
	}

const struct kn_view_def kn_view_traffic = TRAFFIC_VIEW(all_order, all);
const struct kn_view_def kn_view_traffic_dns = TRAFFIC_VIEW(dns_order, dns);
const struct kn_view_def kn_view_traffic_http = TRAFFIC_VIEW(http_order, http);
const struct kn_view_def kn_view_traffic_tls = TRAFFIC_VIEW(tls_order, tls);
