/* The DNS pane's live rows (rates, NXDOMAIN with search-path
 * expansions apart, latency percentiles, failures and the pods asking
 * for names that do not exist), counted as the capture's ring of recent
 * transactions moves on: each refresh adds the transactions that came
 * and takes away those the ring gave up, from a record of what each
 * counted. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/capture.h"
#include "k8snet/dns.h"
#include "k8snet/intern.h"
#include "pane.h"
#include "traffic_dns.h"
#include "traffic_view.h"

static void
live_row(struct kn_pane *p, const char *name, const char *type,
	 const char *value, enum kn_vtone tone)
{
	/* one per column of the DNS view; the rest (planned) empty */
	const char *cells[8] = {name, type, value, "capture"};

	kn_view_add_text(&p->vt->view, cells, tone);
}

void
kn_dns_live_emit(struct kn_pane *p, const struct kn_dns_live_sum *s,
		 const struct kn_dns_live_nx *nx, size_t nnx)
{
	/* val holds "WHO asked N times": who and 40 bytes for the rest. */
	char val[160 + 40], a[24], b[24], c[24];
	double span;
	size_t i;

	if (s->q == 0)
		return;
	span = (double)(s->last_us - s->first_us) / 1e6;
	snprintf(val, sizeof(val), "%.1f/s over %.0fs (%llu queries)",
		 span >= 1 ? (double)s->q / span : (double)s->q, span,
		 (unsigned long long)s->q);
	live_row(p, "(live) queries", "LIVE", val, KN_VTONE_OK);
	snprintf(val, sizeof(val),
		 "%.1f%% real (%llu), %.1f%% "
		 "search-path expansions (%llu)",
		 100.0 * (double)s->nxr / (double)s->q,
		 (unsigned long long)s->nxr,
		 100.0 * (double)s->nxs / (double)s->q,
		 (unsigned long long)s->nxs);
	live_row(p, "(live) NXDOMAIN", "LIVE", val,
		 s->nxr ? KN_VTONE_WARN : KN_VTONE_NORMAL);
	snprintf(val, sizeof(val), "p50 %s  p90 %s  p99 %s",
		 kn_tv_ms(s->p50, a, sizeof(a)), kn_tv_ms(s->p90, b, sizeof(b)),
		 kn_tv_ms(s->p99, c, sizeof(c)));
	live_row(p, "(live) latency", "LIVE", val, KN_VTONE_NORMAL);
	snprintf(val, sizeof(val),
		 "%llu unanswered, %llu SERVFAIL, %llu REFUSED, %llu "
		 "other",
		 (unsigned long long)s->un, (unsigned long long)s->sf,
		 (unsigned long long)s->refused, (unsigned long long)s->other);
	live_row(p, "(live) failures", "LIVE", val,
		 s->un || s->sf || s->refused || s->other ? KN_VTONE_ERROR
							  : KN_VTONE_NORMAL);
	for (i = 0; i < nnx && i < KN_DNS_LIVE_NX; i++) {
		snprintf(val, sizeof(val), "%s asked %llu times", nx[i].who,
			 (unsigned long long)nx[i].n);
		live_row(p, nx[i].name, "NXDOMAIN", val, KN_VTONE_WARN);
	}
}

/* ---- the DNS pane's live rows, kept from one refresh to the next ---- */

/* What a transaction of the range counts as. */
enum live_cls {
	LC_NONE, /* not DNS, or its client not in the namespace */
	LC_NOERROR,
	LC_NXREAL,   /* NXDOMAIN, in its (client, name) pair */
	LC_NXSEARCH, /* NXDOMAIN of a search-path try */
	LC_SERVFAIL,
	LC_REFUSED,
	LC_OTHER,
	LC_UNANSWERED,
	LC__COUNT
};

#define LIVE_NONE UINT32_MAX /* no pair, no name, an empty slot */

/* What one transaction gave the counts, kept until the ring gives it up:
 * by then it can no longer be read, and this is what is taken away. */
struct live_rec {
	uint64_t ts_us;
	int64_t latency_us; /* -1: not answered */
	uint32_t pair;	    /* LC_NXREAL: its pair */
	uint32_t next;	    /* LC_NXREAL: seqs to its pair's next; 0 none */
	uint8_t cls;	    /* enum live_cls */
};

/* A client address and a query name it got NXDOMAIN for. Keyed by the
 * address, not by the client's name: names change with the model, and
 * only the pairs shown need one. Pairs whose count fell to 0 stay (the
 * same client may ask again) until there are too many of them. */
struct live_pair {
	uint64_t h; /* of ip and name */
	struct kn_ipaddr ip;
	uint32_t name;	    /* in names */
	uint32_t name_next; /* the next pair of the same name */
	uint64_t n;	    /* its NXDOMAINs in range */
	uint64_t first;	    /* n > 0: seq of the first of them in range */
	uint64_t last;	    /* n > 0: seq of the last */
	const char *who;    /* the client's name (in whos); NULL: not read */
};

struct live_name {
	uint64_t h;
	char *s;       /* cut to 255 bytes, as the rows show it */
	uint32_t head; /* its pairs, through name_next */
};

struct kn_dns_live {
	/* what the counts were made from */
	bool built;
	const struct kn_capture *cap;
	char *ns;	    /* NULL: every namespace */
	uint64_t names_ver; /* kn_capture_names_version, with ns */
	uint64_t from, end; /* the transactions counted: [from, end) */

	struct live_rec *rec; /* rec[seq & mask] for seq in [from, end) */
	size_t mask;
	uint64_t cls[LC__COUNT];
	uint64_t q, last_us;
	uint64_t first_seq; /* none counted in [from, first_seq) */

	/* the latencies in range, ascending, and a call's changes */
	int64_t *lat, *lat_tmp, *gone, *came;
	size_t nlat, caplat, ngone, capgone, ncame, capcame;

	struct live_pair *pairs;
	size_t npairs, cappairs, live_pairs; /* live: n > 0 */
	uint32_t *pair_tab;		     /* open addressing, a power of 2 */
	size_t pair_tab_n;
	struct live_name *names;
	size_t nnames, capnames;
	uint32_t *name_tab;
	size_t name_tab_n;

	struct kn_intern *whos; /* the pairs' client names, by pointer */
	uint64_t whos_ver;	/* kn_capture_names_version they were read at */
};

struct kn_dns_live *
kn_dns_live_new(void)
{
	return kn_xcalloc(1, sizeof(struct kn_dns_live));
}

static void
live_forget_whos(struct kn_dns_live *st)
{
	size_t i;

	for (i = 0; i < st->npairs; i++)
		st->pairs[i].who = NULL;
	kn_intern_free(st->whos);
	st->whos = NULL;
}

static void
live_forget_pairs(struct kn_dns_live *st)
{
	size_t i;

	for (i = 0; i < st->nnames; i++)
		free(st->names[i].s);
	st->nnames = 0;
	st->npairs = 0;
	st->live_pairs = 0;
	if (st->name_tab != NULL)
		memset(st->name_tab, 0xff,
		       st->name_tab_n * sizeof(*st->name_tab));
	if (st->pair_tab != NULL)
		memset(st->pair_tab, 0xff,
		       st->pair_tab_n * sizeof(*st->pair_tab));
	live_forget_whos(st);
}

void
kn_dns_live_free(struct kn_dns_live *st)
{
	if (st == NULL)
		return;
	live_forget_pairs(st);
	free(st->ns);
	free(st->rec);
	free(st->lat);
	free(st->lat_tmp);
	free(st->gone);
	free(st->came);
	free(st->pairs);
	free(st->pair_tab);
	free(st->names);
	free(st->name_tab);
	free(st);
}

/* Count from scratch, from seq from on. */
static void
live_reset(struct kn_dns_live *st, const struct kn_capture *cap, const char *ns,
	   uint64_t names_ver, uint64_t from)
{
	live_forget_pairs(st);
	free(st->ns);
	st->ns = ns != NULL ? kn_xstrdup(ns) : NULL;
	st->built = true;
	st->cap = cap;
	st->names_ver = names_ver;
	st->from = st->end = st->first_seq = from;
	memset(st->cls, 0, sizeof(st->cls));
	st->q = 0;
	st->nlat = 0;
}

static bool
live_same_ns(const struct kn_dns_live *st, const char *ns)
{
	if (st->ns == NULL || ns == NULL)
		return st->ns == ns;
	return strcmp(st->ns, ns) == 0;
}

static struct live_rec *
live_rec(const struct kn_dns_live *st, uint64_t seq)
{
	return &st->rec[seq & st->mask];
}

/* Room for n records of the range [from, end) and those to come. */
static void
live_room(struct kn_dns_live *st, uint64_t n)
{
	size_t have = st->rec != NULL ? st->mask + 1 : 0, want;
	struct live_rec *r;
	uint64_t seq;

	if (n <= have)
		return;
	for (want = have ? have : 1024; want < n; want *= 2)
		;
	r = kn_xcalloc(want, sizeof(*r));
	for (seq = st->from; seq < st->end; seq++)
		r[seq & (want - 1)] = *live_rec(st, seq);
	free(st->rec);
	st->rec = r;
	st->mask = want - 1;
}

static void
push_i64(int64_t **v, size_t *n, size_t *cap, int64_t x)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = kn_xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = x;
}

/* A table of indices (open addressing, linear probing) at most half
 * full for n entries: when it would be fuller, a bigger one with the
 * first n - 1 (the caller adds the last). The entries, stride bytes
 * apart from base, hold their hash (uint64_t) at offset off. */
static void
tab_room(uint32_t **tab, size_t *tab_n, size_t n, const void *base,
	 size_t stride, size_t off)
{
	size_t want = *tab_n ? *tab_n : 256, i, j;
	uint64_t h;

	if (2 * n <= *tab_n)
		return;
	while (2 * n > want)
		want *= 2;
	free(*tab);
	*tab = kn_xreallocarray(NULL, want, sizeof(**tab));
	memset(*tab, 0xff, want * sizeof(**tab));
	*tab_n = want;
	for (i = 0; i + 1 < n; i++) {
		memcpy(&h, (const char *)base + i * stride + off, sizeof(h));
		for (j = h & (want - 1); (*tab)[j] != LIVE_NONE;
		     j = (j + 1) & (want - 1))
			;
		(*tab)[j] = (uint32_t)i;
	}
}

static void
tab_put(uint32_t *tab, size_t tab_n, uint64_t h, size_t idx)
{
	size_t i;

	for (i = h & (tab_n - 1); tab[i] != LIVE_NONE;
	     i = (i + 1) & (tab_n - 1))
		;
	tab[i] = (uint32_t)idx;
}

/* Query name s, cut to the 255 bytes the rows show: names alike that
 * far are one name. */
static uint32_t
live_name(struct kn_dns_live *st, const char *s)
{
	size_t len = strnlen(s, 255), i;
	uint64_t h = kn_hash_bytes(s, len);
	struct live_name *nm;

	for (i = h & (st->name_tab_n - 1);
	     st->name_tab_n > 0 && st->name_tab[i] != LIVE_NONE;
	     i = (i + 1) & (st->name_tab_n - 1)) {
		nm = &st->names[st->name_tab[i]];
		if (nm->h == h && strncmp(nm->s, s, len) == 0 &&
		    nm->s[len] == '\0')
			return st->name_tab[i];
	}
	if (st->nnames == st->capnames) {
		st->capnames = st->capnames ? st->capnames * 2 : 64;
		st->names = kn_xreallocarray(st->names, st->capnames,
					     sizeof(*st->names));
	}
	nm = &st->names[st->nnames++];
	nm->h = h;
	nm->s = kn_xstrndup(s, len);
	nm->head = LIVE_NONE;
	tab_room(&st->name_tab, &st->name_tab_n, st->nnames, st->names,
		 sizeof(*st->names), offsetof(struct live_name, h));
	tab_put(st->name_tab, st->name_tab_n, h, st->nnames - 1);
	return (uint32_t)(st->nnames - 1);
}

/* The pair of client ip and query name s, made when new. */
static uint32_t
live_pair(struct kn_dns_live *st, const struct kn_ipaddr *ip, const char *s)
{
	uint32_t name = live_name(st, s);
	uint64_t h = kn_ipaddr_hash(ip) ^ (name * 0x9e3779b97f4a7c15ULL);
	struct live_pair *pr;
	size_t i;

	for (i = h & (st->pair_tab_n - 1);
	     st->pair_tab_n > 0 && st->pair_tab[i] != LIVE_NONE;
	     i = (i + 1) & (st->pair_tab_n - 1)) {
		pr = &st->pairs[st->pair_tab[i]];
		if (pr->h == h && pr->name == name && kn_ipaddr_eq(&pr->ip, ip))
			return st->pair_tab[i];
	}
	if (st->npairs == st->cappairs) {
		st->cappairs = st->cappairs ? st->cappairs * 2 : 64;
		st->pairs = kn_xreallocarray(st->pairs, st->cappairs,
					     sizeof(*st->pairs));
	}
	pr = &st->pairs[st->npairs++];
	memset(pr, 0, sizeof(*pr));
	pr->h = h;
	pr->ip = *ip;
	pr->name = name;
	pr->name_next = st->names[name].head;
	st->names[name].head = (uint32_t)(st->npairs - 1);
	tab_room(&st->pair_tab, &st->pair_tab_n, st->npairs, st->pairs,
		 sizeof(*st->pairs), offsetof(struct live_pair, h));
	tab_put(st->pair_tab, st->pair_tab_n, h, st->npairs - 1);
	return (uint32_t)(st->npairs - 1);
}

/* The name of a pair's client, read once per names version. */
static const char *
live_who(struct kn_dns_live *st, struct kn_app *app, uint32_t pair)
{
	struct live_pair *pr = &st->pairs[pair];
	char who[160];

	if (pr->who == NULL) {
		if (st->whos == NULL)
			st->whos = kn_intern_new();
		kn_tv_name(app, &pr->ip, false, who, sizeof(who));
		pr->who = kn_intern(st->whos, who);
	}
	return pr->who;
}

static enum live_cls
live_class(const struct kn_recent *r)
{
	if (r->code < 0)
		return LC_UNANSWERED;
	switch (r->code) {
	case KN_DNS_NOERROR:
		return LC_NOERROR;
	case KN_DNS_SERVFAIL:
		return LC_SERVFAIL;
	case KN_DNS_REFUSED:
		return LC_REFUSED;
	case KN_DNS_NXDOMAIN:
		return r->search_expansion ? LC_NXSEARCH : LC_NXREAL;
	default:
		return LC_OTHER;
	}
}

/* Count transaction seq (the next after the range) in. */
static void
live_add(struct kn_dns_live *st, struct kn_capture *cap, uint64_t seq)
{
	const struct kn_recent *r = kn_capture_recent(cap, seq);
	struct live_rec *e = live_rec(st, seq);
	struct live_pair *pr;

	memset(e, 0, sizeof(*e));
	e->pair = LIVE_NONE;
	if (r == NULL || r->type != KN_TXN_DNS)
		return;
	if (st->ns != NULL && !kn_capture_in_ns(cap, &r->client.ip, st->ns))
		return;
	e->cls = (uint8_t)live_class(r);
	e->ts_us = r->ts_us;
	e->latency_us = r->latency_us;
	st->cls[e->cls]++;
	st->q++;
	st->last_us = r->ts_us;
	if (r->latency_us >= 0)
		push_i64(&st->came, &st->ncame, &st->capcame, r->latency_us);
	if (e->cls != LC_NXREAL)
		return;
	e->pair = live_pair(st, &r->client.ip, r->text + r->s[0]);
	pr = &st->pairs[e->pair];
	if (pr->n++ == 0) {
		pr->first = seq;
		st->live_pairs++;
	} else {
		live_rec(st, pr->last)->next = (uint32_t)(seq - pr->last);
	}
	pr->last = seq;
}

/* Take transaction seq (the first of the range, given up by the ring)
 * out, from what it gave when it was counted. */
static void
live_take(struct kn_dns_live *st, uint64_t seq)
{
	const struct live_rec *e = live_rec(st, seq);
	struct live_pair *pr;

	if (e->cls == LC_NONE)
		return;
	st->cls[e->cls]--;
	st->q--;
	if (e->latency_us >= 0)
		push_i64(&st->gone, &st->ngone, &st->capgone, e->latency_us);
	if (e->cls != LC_NXREAL)
		return;
	pr = &st->pairs[e->pair];
	/* the oldest in range is its first: the next one becomes it */
	if (--pr->n == 0)
		st->live_pairs--;
	else
		pr->first = seq + e->next;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The sorted latencies without those gone and with those that came: a
 * merge in one pass, where sorting every latency in range again (50,000
 * at a full ring) is what a scan costs. The percentiles then read the
 * same sorted values a scan would. */
static void
live_lat(struct kn_dns_live *st)
{
	size_t i = 0, j = 0, k = 0, o = 0, n;
	int64_t *t;

	if (st->ngone == 0 && st->ncame == 0)
		return;
	if (st->ngone > 0)
		qsort(st->gone, st->ngone, sizeof(*st->gone), cmp_i64);
	if (st->ncame > 0)
		qsort(st->came, st->ncame, sizeof(*st->came), cmp_i64);
	n = st->nlat - st->ngone + st->ncame;
	if (n > st->caplat) {
		st->caplat = n + n / 2;
		free(st->lat_tmp);
		st->lat_tmp = kn_xreallocarray(NULL, st->caplat,
					       sizeof(*st->lat_tmp));
		st->lat =
			kn_xreallocarray(st->lat, st->caplat, sizeof(*st->lat));
	}
	t = st->lat_tmp;
	while (i < st->nlat) {
		if (j < st->ngone && st->lat[i] == st->gone[j]) {
			i++;
			j++;
			continue;
		}
		while (k < st->ncame && st->came[k] < st->lat[i])
			t[o++] = st->came[k++];
		t[o++] = st->lat[i++];
	}
	while (k < st->ncame)
		t[o++] = st->came[k++];
	st->lat_tmp = st->lat;
	st->lat = t;
	st->nlat = o;
	st->ngone = st->ncame = 0;
}

/* The pairs to list: in the order of their first NXDOMAIN in range, a
 * client's name and a query name once (two addresses of one pod are one
 * pair), at most KN_DNS_LIVE_NX. Walks the range from its start only as
 * far as the pairs listed begin. */
static size_t
live_nx(struct kn_dns_live *st, struct kn_app *app, struct kn_dns_live_nx *nx)
{
	const struct live_rec *e;
	const struct live_pair *pr;
	const char *who;
	size_t nnx = 0, seen = 0, i;
	uint64_t seq;
	uint32_t q;

	for (seq = st->from;
	     seq < st->end && nnx < KN_DNS_LIVE_NX && seen < st->live_pairs;
	     seq++) {
		e = live_rec(st, seq);
		if (e->cls != LC_NXREAL || st->pairs[e->pair].first != seq)
			continue;
		seen++;
		pr = &st->pairs[e->pair];
		who = live_who(st, app, e->pair);
		for (i = 0; i < nnx; i++)
			if (nx[i].who == who &&
			    nx[i].name == st->names[pr->name].s)
				break;
		if (i < nnx)
			continue;
		nx[nnx].who = who;
		nx[nnx].name = st->names[pr->name].s;
		nx[nnx].n = 0;
		for (q = st->names[pr->name].head; q != LIVE_NONE;
		     q = st->pairs[q].name_next)
			if (st->pairs[q].n > 0 && live_who(st, app, q) == who)
				nx[nnx].n += st->pairs[q].n;
		nnx++;
	}
	return nnx;
}

void
kn_traffic_dns_rows(struct kn_dns_live *st, struct kn_pane *p,
		    const struct kn_pane_view *v)
{
	struct kn_capture *cap = v->app->capture;
	struct kn_dns_live_nx nx[KN_DNS_LIVE_NX];
	struct kn_dns_live_sum s;
	uint64_t from, end, ver, seq;

	if (cap == NULL)
		return;
	end = kn_capture_recent_added(cap);
	from = kn_capture_recent_oldest(cap);
	ver = kn_capture_names_version(cap);
	if (ver != st->whos_ver) {
		live_forget_whos(st);
		st->whos_ver = ver;
	}
	/* Counted again from the ring: another capture or namespace, names
	 * that may put clients in or out of it, no overlap with the range
	 * counted, or pairs mostly gone. */
	if (!st->built || st->cap != cap || !live_same_ns(st, v->ns) ||
	    (v->ns != NULL && st->names_ver != ver) || from < st->from ||
	    from > st->end || end < st->end ||
	    (st->npairs > 4096 && st->npairs > 4 * st->live_pairs))
		live_reset(st, cap, v->ns, ver, from);
	for (seq = st->from; seq < from; seq++)
		live_take(st, seq);
	st->from = from;
	live_room(st, end - from);
	for (seq = st->end; seq < end; seq++)
		live_add(st, cap, seq);
	st->end = end;
	live_lat(st);
	if (st->q == 0)
		return;
	if (st->first_seq < st->from)
		st->first_seq = st->from;
	while (live_rec(st, st->first_seq)->cls == LC_NONE)
		st->first_seq++;
	memset(&s, 0, sizeof(s));
	s.q = st->q;
	s.nxr = st->cls[LC_NXREAL];
	s.nxs = st->cls[LC_NXSEARCH];
	s.sf = st->cls[LC_SERVFAIL];
	s.refused = st->cls[LC_REFUSED];
	s.other = st->cls[LC_OTHER];
	s.un = st->cls[LC_UNANSWERED];
	s.first_us = live_rec(st, st->first_seq)->ts_us;
	s.last_us = st->last_us;
	s.p50 = (int64_t)kn_tv_percentile_sorted(st->lat, st->nlat, 0.5);
	s.p90 = (int64_t)kn_tv_percentile_sorted(st->lat, st->nlat, 0.9);
	s.p99 = (int64_t)kn_tv_percentile_sorted(st->lat, st->nlat, 0.99);
	kn_dns_live_emit(p, &s, nx, live_nx(st, v->app, nx));
}
