/* The Traffic pane's DNS-by-name summary (its 'n' view), from the
 * capture's recent transactions or from the node agents' summaries.
 * The DNS pane's live rows are in dns_live.c. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/agent.h"
#include "k8snet/alloc.h"
#include "k8snet/capture.h"
#include "k8snet/dns.h"
#include "k8snet/intern.h"
#include "pane.h"
#include "traffic_dns.h"
#include "traffic_view.h"

/* ---- the Traffic pane's DNS by name -------------------------------- */

const struct kn_column kn_tv_dns_names_cols[KN_TV_DNS_NAMES_NCOLS] = {
	{"QNAME", 16, 0, KN_ALIGN_LEFT, 3, false, true},
	{"COUNT", 5, 8, KN_ALIGN_RIGHT, 0, true, false},
	{"NXDOMAIN", 8, 8, KN_ALIGN_RIGHT, 0, true, false},
	{"SERVFAIL", 8, 8, KN_ALIGN_RIGHT, 0, true, false},
	{"REFUSED", 7, 8, KN_ALIGN_RIGHT, 0, true, false},
	{"OTHER", 5, 14, KN_ALIGN_RIGHT, 0, true, false},
	{"UNANSWERED", 10, 10, KN_ALIGN_RIGHT, 0, true, false},
	{"P50", 6, 9, KN_ALIGN_RIGHT, 0, true, false},
	{"P90", 6, 9, KN_ALIGN_RIGHT, 0, true, false},
	{"P99", 6, 9, KN_ALIGN_RIGHT, 0, true, false},
	{"CLIENTS", 8, 0, KN_ALIGN_LEFT, 1, false, false},
};

#define KN_NAME_CLIENTS 8 /* clients named per query name */

/* What the transactions of one query name add up to. */
struct name_sum {
	uint64_t total, nx, sf, refused, other, unans;
	uint64_t by_rcode[16]; /* OTHER by code, to name the commonest */
	size_t nlat;
	char names[KN_NAME_CLIENTS][160];
	size_t nclients;
};

static const char *
qname(const struct kn_recent *r)
{
	return r->text + r->s[0];
}

static int
by_qname(const void *a, const void *b)
{
	return strcmp(qname(*(const struct kn_recent *const *)a),
		      qname(*(const struct kn_recent *const *)b));
}

/* count answers of one code (rcode; -1: no answer) */
static void
name_code(struct name_sum *s, int32_t code, uint64_t count)
{
	if (code < 0)
		s->unans += count;
	else if (code == KN_DNS_NXDOMAIN)
		s->nx += count;
	else if (code == KN_DNS_SERVFAIL)
		s->sf += count;
	else if (code == KN_DNS_REFUSED)
		s->refused += count;
	else if (code != KN_DNS_NOERROR) {
		s->other += count;
		if (code < 16)
			s->by_rcode[code] += count;
	}
}

static void
name_client(struct name_sum *s, struct kn_app *app, const struct kn_ipaddr *ip)
{
	char who[160];
	size_t i;

	kn_tv_name(app, ip, false, who, sizeof(who));
	for (i = 0; i < s->nclients; i++)
		if (strcmp(s->names[i], who) == 0)
			return;
	if (s->nclients < KN_NAME_CLIENTS)
		snprintf(s->names[s->nclients++], sizeof(s->names[0]), "%s",
			 who);
}

static void
name_add(struct name_sum *s, struct kn_app *app, const struct kn_recent *r,
	 int64_t *lat)
{
	s->total++;
	name_code(s, r->code, 1);
	if (r->latency_us >= 0)
		lat[s->nlat++] = r->latency_us;
	name_client(s, app, &r->client.ip);
}

/* OTHER: the count, then the commonest of those codes by name ("2
 * NOTIMP"), with "+" when there were others too. */
static void
name_other(const struct name_sum *s, char *buf, size_t n)
{
	char num[16];
	const char *nm;
	unsigned c, best = 0, kinds = 0;

	for (c = 0; c < 16; c++) {
		kinds += s->by_rcode[c] > 0;
		if (s->by_rcode[c] > s->by_rcode[best])
			best = c;
	}
	if (s->other == 0 || s->by_rcode[best] == 0) {
		snprintf(buf, n, "%llu", (unsigned long long)s->other);
		return;
	}
	nm = kn_dns_rcode_name((uint16_t)best);
	if (nm == NULL) {
		snprintf(num, sizeof(num), "RCODE%u", best);
		nm = num;
	}
	snprintf(buf, n, "%llu %s%s", (unsigned long long)s->other, nm,
		 kinds > 1 || s->other > s->by_rcode[best] ? "+" : "");
}

/* The row of one name; p50, p90 and p99 in microseconds (-1: none). */
static void
name_row(struct kn_pane *p, const char *name, struct name_sum *s, int64_t p50,
	 int64_t p90, int64_t p99)
{
	char b[KN_TV_DNS_NAMES_NCOLS][32], clients[KN_NAME_CLIENTS * 162];
	const char *cells[KN_TV_DNS_NAMES_NCOLS];
	size_t i, o = 0;

	snprintf(b[1], sizeof(b[1]), "%llu", (unsigned long long)s->total);
	snprintf(b[2], sizeof(b[2]), "%llu", (unsigned long long)s->nx);
	snprintf(b[3], sizeof(b[3]), "%llu", (unsigned long long)s->sf);
	snprintf(b[4], sizeof(b[4]), "%llu", (unsigned long long)s->refused);
	name_other(s, b[5], sizeof(b[5]));
	snprintf(b[6], sizeof(b[6]), "%llu", (unsigned long long)s->unans);
	kn_tv_ms(p50, b[7], sizeof(b[7]));
	kn_tv_ms(p90, b[8], sizeof(b[8]));
	kn_tv_ms(p99, b[9], sizeof(b[9]));
	clients[0] = '\0';
	for (i = 0; i < s->nclients; i++)
		o += (size_t)snprintf(clients + o, sizeof(clients) - o, "%s%s",
				      i ? ", " : "", s->names[i]);
	cells[0] = name;
	for (i = 1; i < 10; i++)
		cells[i] = b[i];
	cells[10] = clients;
	kn_rowstore_add(p->rows, cells,
			s->sf || s->refused || s->other || s->unans
				? KN_ROLE_ERROR
			: s->nx == s->total ? KN_ROLE_WARNING
					    : KN_ROLE_NORMAL);
}

void
kn_traffic_dns_names(struct kn_pane *p, uint64_t from, uint64_t end,
		     const char *ns)
{
	struct kn_capture *cap = p->app->capture;
	const struct kn_recent **v, *r;
	struct name_sum sum;
	int64_t *lat;
	size_t n = 0, i, j;
	uint64_t seq;

	/* Names keep their ends; the rcodes named in OTHER are not cut. */
	kn_table_set_cut(p->table, 0, KN_CUT_MIDDLE);
	kn_table_set_cut(p->table, 5, KN_CUT_NEVER);
	if (cap == NULL || end <= from)
		return;
	v = kn_xreallocarray(NULL, (size_t)(end - from), sizeof(*v));
	lat = kn_xreallocarray(NULL, (size_t)(end - from), sizeof(*lat));
	for (seq = from; seq < end; seq++) {
		r = kn_capture_recent(cap, seq);
		if (r == NULL || r->type != KN_TXN_DNS)
			continue;
		if (ns != NULL && !kn_capture_in_ns(cap, &r->client.ip, ns) &&
		    !kn_capture_in_ns(cap, &r->server.ip, ns))
			continue;
		v[n++] = r;
	}
	/* Sorted by name, each name's transactions are one run. */
	qsort(v, n, sizeof(*v), by_qname);
	for (i = 0; i < n; i = j) {
		memset(&sum, 0, sizeof(sum));
		for (j = i; j < n && strcmp(qname(v[j]), qname(v[i])) == 0; j++)
			name_add(&sum, p->app, v[j], lat);
		name_row(p, qname(v[i]), &sum,
			 (int64_t)kn_tv_percentile(lat, sum.nlat, 0.5),
			 (int64_t)kn_tv_percentile(lat, sum.nlat, 0.9),
			 (int64_t)kn_tv_percentile(lat, sum.nlat, 0.99));
	}
	free(lat);
	free(v);
}

/* ---- the same from the node agents' summaries ---------------------- */

static int
by_key_name(const void *a, const void *b)
{
	return strcmp((*(const struct kn_agents_key *const *)a)->name,
		      (*(const struct kn_agents_key *const *)b)->name);
}

/* A key's client or server in ns (NULL: every key). */
static bool
key_in_ns(struct kn_app *app, const struct kn_agents_key *k, const char *ns)
{
	return ns == NULL || app->capture == NULL ||
	       kn_capture_in_ns(app->capture, &k->client, ns) ||
	       kn_capture_in_ns(app->capture, &k->server, ns);
}

static void
key_row(struct kn_pane *p, const char *name,
	const struct kn_agents_key *const *k, size_t n)
{
	struct name_sum sum;
	struct kn_lat_hist lat;
	size_t i;
	uint32_t c;

	memset(&sum, 0, sizeof(sum));
	memset(&lat, 0, sizeof(lat));
	for (i = 0; i < n; i++) {
		sum.total += k[i]->n;
		for (c = 0; c < k[i]->ncodes; c++)
			name_code(&sum, k[i]->codes[c].code,
				  k[i]->codes[c].count);
		/* codes past the key's slots: not NOERROR, not known */
		sum.other += k[i]->codes_other;
		kn_lat_merge(&lat, &k[i]->lat);
		if (!k[i]->other)
			name_client(&sum, p->app, &k[i]->client);
	}
	name_row(p, name, &sum, (int64_t)kn_lat_percentile(&lat, 0.5),
		 (int64_t)kn_lat_percentile(&lat, 0.9),
		 (int64_t)kn_lat_percentile(&lat, 0.99));
}

bool
kn_traffic_dns_names_agents(struct kn_pane *p, struct kn_agents_merge *m,
			    const char *ns)
{
	const struct kn_agents_key **v, *k, *other = NULL;
	size_t all, n = 0, i, j;
	bool any = false;

	kn_table_set_cut(p->table, 0, KN_CUT_MIDDLE);
	kn_table_set_cut(p->table, 5, KN_CUT_NEVER);
	all = m != NULL ? kn_agents_nkeys(m) + 3 : 0;
	if (all == 0)
		return false;
	v = kn_xcalloc(all, sizeof(*v));
	for (i = 0; i < all; i++) {
		k = kn_agents_key_at(m, i);
		if (k == NULL || k->type != KN_TXN_DNS || k->n == 0)
			continue;
		any = true;
		if (k->other)
			other = k;
		else if (key_in_ns(p->app, k, ns))
			v[n++] = k;
	}
	/* a name's keys (one per client and server) are one run */
	qsort(v, n, sizeof(*v), by_key_name);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && strcmp(v[j]->name, v[i]->name) == 0; j++)
			;
		key_row(p, v[i]->name, v + i, j - i);
	}
	/* what the agents folded past their top keys, in no namespace */
	if (other != NULL && ns == NULL)
		key_row(p, "(other names)", &other, 1);
	free(v);
	return any;
}
