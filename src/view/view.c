/* The view layer's plumbing: rows and their arena, typed values as text
 * and as sort keys, the table of pane views. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "k8snet/alloc.h"
#include "k8snet/model.h"
#include "k8snet/opts.h"
#include "k8snet/view.h"

#define KN_VIEW_BLOCK (64u << 10)

struct kn_vdefer {
	struct kn_vdefer *next;
	void (*fn)(void *);
	void *arg;
};

static void
run_defer(struct kn_view *v)
{
	struct kn_vdefer *d;

	for (d = v->defer; d != NULL; d = d->next)
		d->fn(d->arg);
	v->defer = NULL;
}

void
kn_view_defer(struct kn_view *v, void (*fn)(void *), void *arg)
{
	struct kn_vdefer *d = kn_view_alloc(v, sizeof(*d));

	d->fn = fn;
	d->arg = arg;
	d->next = v->defer;
	v->defer = d;
}

void
kn_vrow_same(const struct kn_vrow *parent, size_t k, struct kn_vrow *out)
{
	*out = *parent;
}

void
kn_vrow_sub_j(const struct kn_vrow *parent, size_t k, struct kn_vrow *out)
{
	*out = *parent;
	out->j = (uint32_t)k;
}

void
kn_view_init(struct kn_view *v, const struct kn_view_def *def)
{
	memset(v, 0, sizeof(*v));
	v->def = def;
	kn_arena_init(&v->arena, KN_VIEW_BLOCK);
}

void
kn_view_release(struct kn_view *v)
{
	run_defer(v);
	kn_arena_release(&v->arena);
	free(v->rows);
	memset(v, 0, sizeof(*v));
}

void
kn_view_clear(struct kn_view *v)
{
	v->n = 0;
	run_defer(v);
	kn_arena_clear(&v->arena);
}

void
kn_view_drop_front(struct kn_view *v, size_t n)
{
	if (n > v->n)
		n = v->n;
	if (n == 0)
		return;
	memmove(v->rows, v->rows + n, (v->n - n) * sizeof(*v->rows));
	v->n -= n;
}

void
kn_view_build(struct kn_view *v, const struct kn_vctx *cx)
{
	kn_view_clear(v);
	v->def->build(v, cx);
}

struct kn_vrow *
kn_view_add(struct kn_view *v, const void *obj, uint32_t i, uint32_t j,
	    enum kn_vtone tone)
{
	struct kn_vrow *r;

	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->rows = kn_xreallocarray(v->rows, v->cap, sizeof(*v->rows));
	}
	r = &v->rows[v->n++];
	memset(r, 0, sizeof(*r));
	r->obj = obj;
	r->i = i;
	r->j = j;
	r->tone = (uint8_t)tone;
	return r;
}

void *
kn_view_alloc(struct kn_view *v, size_t size)
{
	size_t n = size ? size : 1;

	return memset(kn_arena_alloc(&v->arena, n, _Alignof(max_align_t)), 0,
		      n);
}

const char *
kn_view_strdup(struct kn_view *v, const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	return kn_arena_strndup(&v->arena, s, n);
}

void
kn_view_add_text(struct kn_view *v, const char *const *cells,
		 enum kn_vtone tone)
{
	const char **t = kn_view_alloc(v, v->def->ncols * sizeof(*t));
	size_t c;

	for (c = 0; c < v->def->ncols; c++)
		t[c] = kn_view_strdup(v, cells[c] != NULL ? cells[c] : "");
	kn_view_add(v, NULL, 0, 0, tone)->text = t;
}

void
kn_view_get(const struct kn_vctx *cx, const struct kn_vcol *c,
	    const struct kn_vrow *r, struct kn_value *v, char *buf, size_t cap)
{
	memset(v, 0, sizeof(*v));
	v->type = c->type;
	v->row = r;
	v->buf = buf;
	v->cap = cap;
	if (cap > 0)
		buf[0] = '\0';
	c->get(cx, r, v);
}

/* Append s to out at *o (cap bytes), cut at the end. */
static void
put(char *out, size_t cap, size_t *o, const char *s)
{
	size_t n = strlen(s);

	if (*o + 1 >= cap)
		return;
	if (n > cap - 1 - *o)
		n = cap - 1 - *o;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
}

const char *
kn_value_str(const struct kn_value *v, size_t k)
{
	return v->stride ? v->arr + k * v->stride : v->strs[k];
}

const char *
kn_value_item(const struct kn_value *v, size_t k, size_t *at, size_t *len)
{
	const char *s, *end;

	if (!v->packed) {
		s = kn_value_str(v, k);
		*len = s != NULL ? strlen(s) : 0;
		return s;
	}
	if (*at >= v->len) {
		*len = 0;
		return "";
	}
	s = v->arr + *at;
	end = memchr(s, v->delim, v->len - *at);
	*len = end != NULL ? (size_t)(end - s) : v->len - *at;
	*at += *len + 1;
	return s;
}

/* Milliseconds for people: 0.35ms, 12ms, 1.20s. */
static void
ms_text(double ms, char *out, size_t cap)
{
	if (ms < 10)
		snprintf(out, cap, "%.2fms", ms);
	else if (ms < 1000)
		snprintf(out, cap, "%.0fms", ms);
	else
		snprintf(out, cap, "%.2fs", ms / 1000.0);
}

/* Local time of day of epoch microseconds: HH:MM:SS.mmm. */
static void
time_text(uint64_t us, char *out, size_t cap)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	char hms[16];

	localtime_r(&t, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	snprintf(out, cap, "%s.%03u", hms, (unsigned)(us / 1000 % 1000));
}

const char *
kn_value_text(const struct kn_value *v, char *out, size_t cap)
{
	char b[KN_IPSTR];
	size_t o = 0, k;
	const char *sep = v->sep != NULL ? v->sep : ",";
	const char *item;
	size_t at = 0, len;

	/* Text first: v->s may live in out (the getter's scratch). */
	if (v->type == KN_VT_TEXT)
		return v->s != NULL ? v->s : "";
	if (cap == 0)
		return "";
	out[0] = '\0';
	switch (v->type) {
	case KN_VT_TEXT:
		break;
	case KN_VT_UINT:
		if (!v->null)
			snprintf(out, cap, "%llu", (unsigned long long)v->u);
		break;
	case KN_VT_INT:
		if (!v->null)
			snprintf(out, cap, "%lld", (long long)v->i);
		break;
	case KN_VT_BOOL:
		return v->b ? "true" : "false";
	case KN_VT_IP:
		if (v->ip.family)
			kn_ipaddr_format(&v->ip, out, cap);
		break;
	case KN_VT_IPS:
		for (k = 0; k < v->n; k++) {
			if (k)
				put(out, cap, &o, sep);
			put(out, cap, &o,
			    kn_ipaddr_format(&v->ips[k], b, sizeof(b)));
		}
		break;
	case KN_VT_COUNT:
		snprintf(out, cap, "%llu/%llu", (unsigned long long)v->u,
			 (unsigned long long)v->u2);
		break;
	case KN_VT_STRS:
		for (k = 0; k < v->n; k++) {
			if (k)
				put(out, cap, &o, sep);
			item = kn_value_item(v, k, &at, &len);
			if (item == NULL)
				continue;
			if (len > cap - 1 - o)
				len = cap - 1 - o;
			memcpy(out + o, item, len);
			o += len;
			out[o] = '\0';
		}
		break;
	case KN_VT_MS:
		if (v->ms >= 0)
			ms_text(v->ms, out, cap);
		break;
	case KN_VT_EPOCH:
		if (v->u > 0)
			snprintf(out, cap, "%llu.%03u",
				 (unsigned long long)(v->u / 1000),
				 (unsigned)(v->u % 1000));
		break;
	case KN_VT_TIME:
		if (!v->null)
			time_text(v->u, out, cap);
		break;
	case KN_VT_MAP:
		for (k = 0; k < v->n; k++) {
			if (k)
				put(out, cap, &o, sep);
			put(out, cap, &o, v->strs[2 * k]);
			put(out, cap, &o, "=");
			put(out, cap, &o, v->strs[2 * k + 1]);
		}
		break;
	case KN_VT_OBJ:
	case KN_VT_OBJS:
		break;
	}
	return out;
}

const char *
kn_view_cell(const struct kn_view *v, const struct kn_vctx *cx, size_t row,
	     size_t col, char *buf, size_t cap)
{
	const struct kn_vrow *r;
	struct kn_value val;
	const char *s;

	if (row >= v->n || col >= v->def->ncols || cap == 0)
		return "";
	r = &v->rows[row];
	if (r->text != NULL)
		return r->text[col];
	kn_view_get(cx, &v->def->cols[col], r, &val, buf, cap);
	s = kn_value_text(&val, buf, cap);
	return s != NULL ? s : "";
}

/* Big-endian bytes as a key: later levels take the next 8 bytes. */
static bool
bytes_key(const uint8_t *p, size_t n, unsigned level, uint64_t *key)
{
	size_t i, at = (size_t)level * 8;

	if (at >= n)
		return false;
	*key = 0;
	for (i = 0; i < 8; i++)
		*key = (*key << 8) | (at + i < n ? p[at + i] : 0);
	return true;
}

static uint64_t
double_key(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	/* IEEE 754 order as unsigned: flip the sign bit of positives, every
	 * bit of negatives. */
	return (u >> 63) ? ~u : u | (1ULL << 63);
}

static bool
ip_key(const struct kn_ipaddr *ip, unsigned level, uint64_t *key)
{
	uint8_t b[17];

	b[0] = ip->family;
	memcpy(b + 1, ip->addr, 16);
	return bytes_key(b, sizeof(b), level, key);
}

bool
kn_value_sort_key(const struct kn_value *v, unsigned level, uint64_t *key)
{
	static const struct kn_ipaddr none = {0};

	switch (v->type) {
	case KN_VT_UINT:
	case KN_VT_EPOCH:
	case KN_VT_TIME:
		*key = v->u;
		return level == 0;
	case KN_VT_INT:
		*key = (uint64_t)v->i ^ (1ULL << 63);
		return level == 0;
	case KN_VT_BOOL:
		*key = v->b;
		return level == 0;
	case KN_VT_COUNT:
		*key = level == 0 ? v->u : v->u2;
		return level < 2;
	case KN_VT_MS:
		/* null (< 0) after every number */
		*key = v->ms < 0 ? UINT64_MAX : double_key(v->ms);
		return level == 0;
	case KN_VT_IP:
		return ip_key(&v->ip, level, key);
	case KN_VT_IPS:
		return ip_key(v->n ? &v->ips[0] : &none, level, key);
	default:
		return false;
	}
}

int
kn_view_col_by_key(const struct kn_view_def *d, const char *key)
{
	size_t i;

	for (i = 0; i < d->ncols; i++)
		if ((d->cols[i].key != NULL &&
		     strcmp(d->cols[i].key, key) == 0) ||
		    (d->cols[i].title != NULL &&
		     strcmp(d->cols[i].title, key) == 0))
			return (int)i;
	return -1;
}

void
kn_vget_ns(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->s = ((const struct kn_obj *)r->obj)->ns;
}

void
kn_vget_name(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->s = ((const struct kn_obj *)r->obj)->name;
}

void
kn_vget_planned(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	v->b = ((const struct kn_obj *)r->obj)->planned;
	v->absent = !v->b;
}

bool
kn_view_row_planned(const struct kn_view *v, const struct kn_vctx *cx,
		    size_t row)
{
	int c = kn_view_col_by_key(v->def, "planned");
	struct kn_value val;
	char buf[8];

	if (c < 0 || row >= v->n || v->rows[row].obj == NULL)
		return false;
	kn_view_get(cx, &v->def->cols[c], &v->rows[row], &val, buf,
		    sizeof(buf));
	return !val.absent && val.b;
}

const struct kn_view_def *
kn_view_of(int pane)
{
	static const struct kn_view_def *const all[] = {
		[KN_PANE_PODS] = &kn_view_pods,
		[KN_PANE_SERVICES] = &kn_view_services,
		[KN_PANE_DNS] = &kn_view_dns,
		[KN_PANE_INGRESS] = &kn_view_ingress,
		[KN_PANE_NODES] = &kn_view_nodes,
		[KN_PANE_POLICIES] = &kn_view_policies,
		[KN_PANE_TRAFFIC] = &kn_view_traffic,
		[KN_PANE_ROUTES] = &kn_view_routes,
	};

	if (pane < 0 || (size_t)pane >= sizeof(all) / sizeof(all[0]))
		return NULL;
	return all[pane];
}

/* ---- endpoints{ready, notReady, serving, terminating}: rows whose aux
 * is a kn_ep_count ---- */

#define EP(r) ((const struct kn_ep_count *)(r)->aux)

static void
g_ep_ready(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->u = EP(r)->ready;
}

static void
g_ep_not_ready(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	v->u = EP(r)->not_ready;
}

static void
g_ep_serving(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->u = EP(r)->serving;
}

static void
g_ep_terminating(const struct kn_vctx *cx, const struct kn_vrow *r,
		 struct kn_value *v)
{
	v->u = EP(r)->terminating;
}

static const struct kn_vcol ep_cols[] = {
	{.key = "ready",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_ep_ready},
	{.key = "notReady",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_ep_not_ready},
	{.key = "serving",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_ep_serving},
	{.key = "terminating",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_ep_terminating},
};

void
kn_value_endpoints(struct kn_value *v,
		   void (*sub_row)(const struct kn_vrow *parent, size_t k,
				   struct kn_vrow *out))
{
	v->sub = ep_cols;
	v->nsub = sizeof(ep_cols) / sizeof(ep_cols[0]);
	v->sub_row = sub_row;
}
