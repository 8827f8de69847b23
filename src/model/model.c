/* The model store: one hash table per kind and the indexes over them
 * (IP -> owner, service -> endpoint slices, label -> pods, node -> pods,
 * service -> ingresses), kept right on every put and delete. */
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/intern.h"
#include "model_int.h"

const char *
kn_proto_name(uint8_t proto)
{
	switch (proto) {
	case KN_PROTO_UDP:
		return "UDP";
	case KN_PROTO_SCTP:
		return "SCTP";
	default:
		return "TCP";
	}
}

const char *
kn_phase_name(uint8_t phase)
{
	static const char *const n[] = {"Unknown", "Pending", "Running",
					"Succeeded", "Failed"};
	return phase < 5 ? n[phase] : "Unknown";
}

const char *
kn_svc_type_name(uint8_t type)
{
	static const char *const n[] = {"ClusterIP", "NodePort", "LoadBalancer",
					"ExternalName"};
	return type < 4 ? n[type] : "ClusterIP";
}

const char *
kn_path_type_name(uint8_t t)
{
	static const char *const n[] = {"Prefix", "Exact",
					"ImplementationSpecific"};
	return t < 3 ? n[t] : "Prefix";
}

/* ---- accounting ---- */

static size_t
kn_blk(const void *p)
{
	/* Usable size plus glibc's chunk header. */
	return p == NULL ? 0 : malloc_usable_size((void *)p) + sizeof(size_t);
}

void *
kn_model_alloc(struct kn_model *m, size_t n)
{
	void *p = calloc(1, n);

	if (p != NULL)
		m->bytes += kn_blk(p);
	return p;
}

static void
kn_mfree(struct kn_model *m, void *p)
{
	if (p == NULL)
		return;
	m->bytes -= kn_blk(p);
	free(p);
}

/* An object and, for a pod relabelled in place, its labels' block. */
static void
kn_obj_release(struct kn_model *m, struct kn_obj *o)
{
	if (o != NULL && o->kind == KN_POD)
		kn_obj_release(m, ((struct kn_pod *)o)->labels_block);
	kn_mfree(m, o);
}

void
kn_model_obj_free(struct kn_model *m, struct kn_obj *o)
{
	kn_obj_release(m, o);
}

/* An object leaves the model: freed now, or when readers let go. */
static void
kn_obj_retire(struct kn_model *m, struct kn_obj *o)
{
	if (o == NULL)
		return;
	if (!m->defer) {
		kn_obj_release(m, o);
		return;
	}
	if (m->ngrave == m->capgrave) {
		m->capgrave = m->capgrave ? m->capgrave * 2 : 64;
		m->grave = kn_xreallocarray(m->grave, m->capgrave,
					    sizeof(*m->grave));
	}
	m->grave[m->ngrave++] = o;
}

void
kn_model_defer_frees(struct kn_model *m, bool on)
{
	m->defer = on;
	if (!on)
		kn_model_collect(m);
}

size_t
kn_model_collect(struct kn_model *m)
{
	size_t i, n = m->ngrave;

	for (i = 0; i < n; i++)
		kn_obj_release(m, m->grave[i]);
	m->ngrave = 0;
	kn_model_maybe_sweep_strings(m);
	return n;
}

static void *
kn_mrealloc(struct kn_model *m, void *p, size_t n)
{
	size_t before = kn_blk(p);
	void *q = kn_xrealloc(p, n);

	m->bytes += kn_blk(q) - before;
	return q;
}

static uint64_t
kn_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

/* ---- object tables: open addressing, linear probing, backward-shift
 * deletion; load kept under 3/4 ---- */

static uint64_t
kn_obj_hash(const char *ns, const char *name)
{
	return kn_mix((uint64_t)(uintptr_t)ns) ^
	       kn_hash_bytes(name, strlen(name));
}

static void
kn_tab_grow(struct kn_model *m, struct kn_objtab *t)
{
	struct kn_obj **old = t->slots;
	size_t oldn = t->nslots, i, j, mask;

	t->nslots = oldn ? oldn * 2 : 64;
	t->slots = kn_xcalloc(t->nslots, sizeof(*t->slots));
	m->bytes += t->nslots * sizeof(*t->slots);
	mask = t->nslots - 1;
	for (i = 0; i < oldn; i++) {
		if (old[i] == NULL)
			continue;
		j = kn_obj_hash(old[i]->ns, old[i]->name) & mask;
		while (t->slots[j] != NULL)
			j = (j + 1) & mask;
		t->slots[j] = old[i];
	}
	m->bytes -= oldn * sizeof(*old);
	free(old);
}

/* Slot of (ns, name), or of the empty slot where it would go. */
static size_t
kn_tab_slot(const struct kn_objtab *t, const char *ns, const char *name)
{
	size_t mask = t->nslots - 1;
	size_t i = kn_obj_hash(ns, name) & mask;

	while (t->slots[i] != NULL &&
	       (t->slots[i]->ns != ns || strcmp(t->slots[i]->name, name) != 0))
		i = (i + 1) & mask;
	return i;
}

static size_t
kn_home(size_t h, size_t mask)
{
	return h & mask;
}

/* Backward-shift deletion: is the entry at j (home k) movable to hole i? */
static bool
kn_can_shift(size_t i, size_t j, size_t k)
{
	if (j > i)
		return k <= i || k > j;
	return k <= i && k > j;
}

static void
kn_tab_remove_at(struct kn_objtab *t, size_t i)
{
	size_t mask = t->nslots - 1, j = i, k;

	for (;;) {
		j = (j + 1) & mask;
		if (t->slots[j] == NULL)
			break;
		k = kn_home(kn_obj_hash(t->slots[j]->ns, t->slots[j]->name),
			    mask);
		if (kn_can_shift(i, j, k)) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i] = NULL;
	t->count--;
}

/* ---- groups: (a, b, c) pointer keys -> vector of members ---- */

static uint64_t
kn_grp_hash(const void *a, const void *b, const void *c)
{
	return kn_mix((uint64_t)(uintptr_t)a * 31 ^
		      kn_mix((uint64_t)(uintptr_t)b) * 17 ^
		      (uint64_t)(uintptr_t)c);
}

static size_t
kn_grp_slot(const struct kn_groupidx *g, const void *a, const void *b,
	    const void *c)
{
	size_t mask = g->nslots - 1;
	size_t i = kn_grp_hash(a, b, c) & mask;
	struct kn_group *e;

	while ((e = g->slots[i]) != NULL &&
	       (e->a != a || e->b != b || e->c != c))
		i = (i + 1) & mask;
	return i;
}

const struct kn_group *
kn_grp_find(const struct kn_groupidx *g, const void *a, const void *b,
	    const void *c)
{
	if (g->nslots == 0)
		return NULL;
	return g->slots[kn_grp_slot(g, a, b, c)];
}

static void
kn_grp_grow(struct kn_model *m, struct kn_groupidx *g)
{
	struct kn_group **old = g->slots;
	size_t oldn = g->nslots, i, j, mask;

	g->nslots = oldn ? oldn * 2 : 64;
	g->slots = kn_xcalloc(g->nslots, sizeof(*g->slots));
	m->bytes += g->nslots * sizeof(*g->slots);
	mask = g->nslots - 1;
	for (i = 0; i < oldn; i++) {
		if (old[i] == NULL)
			continue;
		j = kn_grp_hash(old[i]->a, old[i]->b, old[i]->c) & mask;
		while (g->slots[j] != NULL)
			j = (j + 1) & mask;
		g->slots[j] = old[i];
	}
	m->bytes -= oldn * sizeof(*old);
	free(old);
}

static void
kn_grp_add(struct kn_model *m, struct kn_groupidx *g, const void *a,
	   const void *b, const void *c, void *member)
{
	struct kn_group *e;
	size_t i;

	if ((g->count + 1) * 4 > g->nslots * 3)
		kn_grp_grow(m, g);
	i = kn_grp_slot(g, a, b, c);
	e = g->slots[i];
	if (e == NULL) {
		e = kn_model_alloc(m, sizeof(*e));
		if (e == NULL)
			abort();
		e->a = a;
		e->b = b;
		e->c = c;
		g->slots[i] = e;
		g->count++;
	}
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 1;
		e->v = kn_mrealloc(m, e->v, e->cap * sizeof(*e->v));
	}
	e->v[e->n++] = member;
}

static void
kn_grp_del(struct kn_model *m, struct kn_groupidx *g, const void *a,
	   const void *b, const void *c, void *member)
{
	struct kn_group *e;
	size_t i, j, k, mask;

	if (g->nslots == 0)
		return;
	i = kn_grp_slot(g, a, b, c);
	e = g->slots[i];
	if (e == NULL)
		return;
	for (j = 0; j < e->n; j++)
		if (e->v[j] == member) {
			e->v[j] = e->v[--e->n];
			break;
		}
	if (e->n > 0) {
		if (e->n * 4 < e->cap && e->cap > 4) {
			e->cap /= 2;
			e->v = kn_mrealloc(m, e->v, e->cap * sizeof(*e->v));
		}
		return;
	}
	kn_mfree(m, e->v);
	kn_mfree(m, e);
	mask = g->nslots - 1;
	j = i;
	for (;;) {
		j = (j + 1) & mask;
		if (g->slots[j] == NULL)
			break;
		k = kn_grp_hash(g->slots[j]->a, g->slots[j]->b,
				g->slots[j]->c) &
		    mask;
		if (kn_can_shift(i, j, k)) {
			g->slots[i] = g->slots[j];
			i = j;
		}
	}
	g->slots[i] = NULL;
	g->count--;
}

static void
kn_grp_release(struct kn_groupidx *g)
{
	size_t i;

	for (i = 0; i < g->nslots; i++)
		if (g->slots[i] != NULL) {
			free(g->slots[i]->v);
			free(g->slots[i]);
		}
	free(g->slots);
}

/* ---- IP index: a multimap, entries of one address share a probe run ---- */

static void
kn_ip_key(const struct kn_ipaddr *ip, uint8_t k[16])
{
	if (ip->family == 4) {
		memset(k, 0, 10);
		k[10] = 0xff;
		k[11] = 0xff;
		memcpy(k + 12, ip->addr, 4);
	} else {
		memcpy(k, ip->addr, 16);
	}
}

static uint64_t
kn_ip_hash(const uint8_t k[16])
{
	uint64_t a, b;

	memcpy(&a, k, 8);
	memcpy(&b, k + 8, 8);
	return kn_mix(a ^ kn_mix(b));
}

static void
kn_ip_grow(struct kn_model *m, struct kn_ipidx *x)
{
	struct kn_ipent *old = x->slots;
	size_t oldn = x->nslots, i, j, mask;

	x->nslots = oldn ? oldn * 2 : 256;
	x->slots = kn_xcalloc(x->nslots, sizeof(*x->slots));
	m->bytes += x->nslots * sizeof(*x->slots);
	mask = x->nslots - 1;
	for (i = 0; i < oldn; i++) {
		if (old[i].obj == NULL)
			continue;
		j = kn_ip_hash(old[i].addr) & mask;
		while (x->slots[j].obj != NULL)
			j = (j + 1) & mask;
		x->slots[j] = old[i];
	}
	m->bytes -= oldn * sizeof(*old);
	free(old);
}

static void
kn_ip_add(struct kn_model *m, const struct kn_ipaddr *ip, struct kn_obj *o)
{
	uint8_t k[16];
	size_t i, mask;

	if (ip->family == 0)
		return;
	if ((m->ips.count + 1) * 4 > m->ips.nslots * 3)
		kn_ip_grow(m, &m->ips);
	kn_ip_key(ip, k);
	mask = m->ips.nslots - 1;
	i = kn_ip_hash(k) & mask;
	while (m->ips.slots[i].obj != NULL)
		i = (i + 1) & mask;
	memcpy(m->ips.slots[i].addr, k, 16);
	m->ips.slots[i].obj = o;
	m->ips.count++;
}

static void
kn_ip_del(struct kn_model *m, const struct kn_ipaddr *ip, struct kn_obj *o)
{
	struct kn_ipidx *x = &m->ips;
	size_t i, j, h, mask;
	uint8_t k[16];

	if (ip->family == 0 || x->nslots == 0)
		return;
	kn_ip_key(ip, k);
	mask = x->nslots - 1;
	i = kn_ip_hash(k) & mask;
	while (x->slots[i].obj != NULL &&
	       !(x->slots[i].obj == o && memcmp(x->slots[i].addr, k, 16) == 0))
		i = (i + 1) & mask;
	if (x->slots[i].obj == NULL)
		return;
	j = i;
	for (;;) {
		j = (j + 1) & mask;
		if (x->slots[j].obj == NULL)
			break;
		h = kn_ip_hash(x->slots[j].addr) & mask;
		if (kn_can_shift(i, j, h)) {
			x->slots[i] = x->slots[j];
			i = j;
		}
	}
	memset(&x->slots[i], 0, sizeof(x->slots[i]));
	x->count--;
}

static enum kn_owner_kind
kn_owner_of(const struct kn_obj *o, const struct kn_ipaddr *ip)
{
	const struct kn_service *s;
	uint8_t i;

	switch (o->kind) {
	case KN_POD:
		return KN_OWNER_POD;
	case KN_NODE:
		return KN_OWNER_NODE;
	case KN_SERVICE:
		s = (const struct kn_service *)o;
		for (i = 0; i < s->ncluster_ips; i++)
			if (kn_ipaddr_eq(&s->cluster_ips[i], ip))
				return KN_OWNER_SERVICE;
		return KN_OWNER_SERVICE_EXT;
	default:
		return KN_OWNER_NONE;
	}
}

static int
kn_owner_rank(enum kn_owner_kind k, const struct kn_obj *o)
{
	const struct kn_pod *p;

	switch (k) {
	case KN_OWNER_SERVICE:
		return 0;
	case KN_OWNER_POD:
		p = (const struct kn_pod *)o;
		return p->phase == KN_PHASE_RUNNING   ? 1
		       : p->phase == KN_PHASE_PENDING ? 2
						      : 3;
	case KN_OWNER_NODE:
		return 4;
	default:
		return 5;
	}
}

struct kn_owner
kn_model_ip_owner(const struct kn_model *m, const struct kn_ipaddr *ip)
{
	const struct kn_ipidx *x = &m->ips;
	struct kn_owner best = {KN_OWNER_NONE, NULL};
	enum kn_owner_kind k;
	int rank, best_rank = 99;
	uint8_t key[16];
	size_t i, mask;

	if (ip->family == 0 || x->nslots == 0)
		return best;
	kn_ip_key(ip, key);
	mask = x->nslots - 1;
	i = kn_ip_hash(key) & mask;
	for (; x->slots[i].obj != NULL; i = (i + 1) & mask) {
		if (memcmp(x->slots[i].addr, key, 16) != 0)
			continue;
		k = kn_owner_of(x->slots[i].obj, ip);
		rank = kn_owner_rank(k, x->slots[i].obj);
		if (rank < best_rank) {
			best_rank = rank;
			best.kind = k;
			best.obj = x->slots[i].obj;
		}
	}
	return best;
}

const char *
kn_model_name_ip(void *model, const struct kn_ipaddr *ip, char *buf, size_t n)
{
	struct kn_owner o;
	int r;

	if (model == NULL || n == 0)
		return NULL;
	o = kn_model_ip_owner(model, ip);
	if (o.kind == KN_OWNER_NONE)
		return NULL;
	if (o.kind == KN_OWNER_NODE)
		r = snprintf(buf, n, "node/%s", o.obj->name);
	else
		r = snprintf(buf, n, "%s/%s", o.obj->ns, o.obj->name);
	if (r < 0)
		return NULL;
	return buf;
}

/* ---- indexing per kind ---- */

static const void *const kn_tag_slice = &kn_tag_slice;
static const void *const kn_tag_eps = &kn_tag_eps;

static void
kn_index(struct kn_model *m, struct kn_obj *o, bool add)
{
	struct kn_pod *p;
	struct kn_service *s;
	struct kn_slice *sl;
	struct kn_ingress *ing;
	struct kn_node *nd;
	struct kn_ipaddr ip;
	size_t i, j;
	bool dup;

	switch (o->kind) {
	case KN_POD:
		p = (struct kn_pod *)o;
		for (i = 0; i < p->nlabels; i++) {
			if (add)
				kn_grp_add(m, &m->pods_by_label, o->ns,
					   p->labels[i].key, p->labels[i].value,
					   p);
			else
				kn_grp_del(m, &m->pods_by_label, o->ns,
					   p->labels[i].key, p->labels[i].value,
					   p);
		}
		if (p->node != NULL) {
			if (add)
				kn_grp_add(m, &m->pods_by_node, p->node, NULL,
					   NULL, p);
			else
				kn_grp_del(m, &m->pods_by_node, p->node, NULL,
					   NULL, p);
		}
		if (!p->host_network)
			for (i = 0; i < p->nips; i++) {
				if (add)
					kn_ip_add(m, &p->ips[i], o);
				else
					kn_ip_del(m, &p->ips[i], o);
			}
		break;
	case KN_SERVICE:
		s = (struct kn_service *)o;
		for (i = 0; i < s->ncluster_ips; i++) {
			if (add)
				kn_ip_add(m, &s->cluster_ips[i], o);
			else
				kn_ip_del(m, &s->cluster_ips[i], o);
		}
		for (i = 0; i < s->nexternal; i++) {
			if (!kn_ipaddr_parse(s->external[i], &ip))
				continue;
			if (add)
				kn_ip_add(m, &ip, o);
			else
				kn_ip_del(m, &ip, o);
		}
		break;
	case KN_SLICE:
	case KN_ENDPOINTS:
		sl = (struct kn_slice *)o;
		if (sl->service == NULL)
			break;
		if (add)
			kn_grp_add(m, &m->slices_by_svc, o->ns, sl->service,
				   o->kind == KN_SLICE ? kn_tag_slice
						       : kn_tag_eps,
				   sl);
		else
			kn_grp_del(m, &m->slices_by_svc, o->ns, sl->service,
				   o->kind == KN_SLICE ? kn_tag_slice
						       : kn_tag_eps,
				   sl);
		break;
	case KN_INGRESS:
		ing = (struct kn_ingress *)o;
		for (i = 0; i < ing->npaths; i++) {
			if (ing->paths[i].service == NULL)
				continue;
			dup = false;
			for (j = 0; j < i && !dup; j++)
				dup = ing->paths[j].service ==
				      ing->paths[i].service;
			if (dup)
				continue;
			if (add)
				kn_grp_add(m, &m->ing_by_svc, o->ns,
					   ing->paths[i].service, NULL, ing);
			else
				kn_grp_del(m, &m->ing_by_svc, o->ns,
					   ing->paths[i].service, NULL, ing);
		}
		break;
	case KN_NODE:
		nd = (struct kn_node *)o;
		for (i = 0; i < nd->naddrs; i++) {
			if (add)
				kn_ip_add(m, &nd->addrs[i], o);
			else
				kn_ip_del(m, &nd->addrs[i], o);
		}
		break;
	default:
		break;
	}
}

/* ---- lifecycle ---- */

struct kn_model *
kn_model_new(void)
{
	struct kn_model *m = kn_xcalloc(1, sizeof(*m));

	m->in = kn_intern_new();
	return m;
}

void
kn_model_free(struct kn_model *m)
{
	size_t k, i;

	if (m == NULL)
		return;
	kn_model_collect(m);
	free(m->grave);
	for (k = 0; k < KN_KIND__COUNT; k++) {
		for (i = 0; i < m->tabs[k].nslots; i++)
			kn_obj_release(m, m->tabs[k].slots[i]);
		free(m->tabs[k].slots);
	}
	kn_grp_release(&m->pods_by_label);
	kn_grp_release(&m->pods_by_node);
	kn_grp_release(&m->slices_by_svc);
	kn_grp_release(&m->ing_by_svc);
	free(m->ips.slots);
	kn_intern_free(m->in);
	free(m->default_domain);
	free(m->gw_versions);
	free(m->domain_cache);
	free(m);
}

void
kn_model_set_default_domain(struct kn_model *m, const char *domain)
{
	free(m->default_domain);
	m->default_domain = domain != NULL ? kn_xstrdup(domain) : NULL;
	m->version++;
}

void
kn_model_set_gateway_api(struct kn_model *m, enum kn_api_state st,
			 const char *versions)
{
	free(m->gw_versions);
	m->gw_versions = versions != NULL ? kn_xstrdup(versions) : NULL;
	m->gw_api = (uint8_t)st;
	m->version++;
	m->kind_version[KN_GATEWAY]++;
}

enum kn_api_state
kn_model_gateway_api(const struct kn_model *m, const char **versions)
{
	if (versions != NULL)
		*versions = m->gw_versions;
	return (enum kn_api_state)m->gw_api;
}

void
kn_model_set_anon(struct kn_model *m, struct kn_anon *anon)
{
	m->anon = anon;
}

struct kn_anon *
kn_model_anon(const struct kn_model *m)
{
	return m->anon;
}

const char *
kn_model_intern(struct kn_model *m, const char *s)
{
	return kn_intern(m->in, s);
}

const char *
kn_model_intern_n(struct kn_model *m, const char *s, size_t n)
{
	return kn_intern_n(m->in, s, n);
}

static const char *
kn_ns_key(const struct kn_model *m, const char *ns)
{
	if (ns == NULL)
		ns = "";
	return kn_intern_find(m->in, ns, strlen(ns));
}

static void
kn_model_changed(struct kn_model *m, enum kn_kind kind, bool labels_only)
{
	m->version++;
	if (labels_only)
		m->pod_labels_version++;
	else
		m->kind_version[kind]++;
}

/* Everything a pod holds but its labels (strings interned, so compared
 * by address; the name is the table key). */
static bool
kn_pod_same_but_labels(const struct kn_pod *a, const struct kn_pod *b)
{
	uint16_t i;

	if (a->node != b->node || a->status != b->status ||
	    a->owner_kind != b->owner_kind || a->owner_name != b->owner_name ||
	    a->restarts != b->restarts || a->nports != b->nports ||
	    a->nips != b->nips || a->phase != b->phase ||
	    a->ready_containers != b->ready_containers ||
	    a->containers != b->containers || a->ready != b->ready ||
	    a->host_network != b->host_network ||
	    a->terminating != b->terminating || a->o.planned != b->o.planned ||
	    !kn_ipaddr_eq(&a->host_ip, &b->host_ip))
		return false;
	for (i = 0; i < a->nips; i++)
		if (!kn_ipaddr_eq(&a->ips[i], &b->ips[i]))
			return false;
	for (i = 0; i < a->nports; i++)
		if (a->ports[i].name != b->ports[i].name ||
		    a->ports[i].port != b->ports[i].port ||
		    a->ports[i].proto != b->ports[i].proto)
			return false;
	return true;
}

/* A change of labels alone: the pod stays where it is (the rows of the
 * views point at it) and takes the labels of nw, whose block it keeps.
 * The pod is out of the indexes on entry. */
static void
kn_pod_relabel(struct kn_model *m, struct kn_pod *pod, struct kn_pod *nw)
{
	struct kn_obj *prev = pod->labels_block;

	pod->labels = nw->labels;
	pod->nlabels = nw->nlabels;
	pod->o.mark = nw->o.mark;
	pod->labels_block = &nw->o;
	kn_index(m, &pod->o, true);
	kn_obj_retire(m, prev);
	kn_model_changed(m, KN_POD, true);
}

void
kn_model_put(struct kn_model *m, struct kn_obj *o)
{
	struct kn_objtab *t = &m->tabs[o->kind];
	bool labels_only = false;
	size_t i;

	if ((t->count + 1) * 4 > t->nslots * 3)
		kn_tab_grow(m, t);
	i = kn_tab_slot(t, o->ns, o->name);
	if (t->slots[i] != NULL) {
		labels_only = o->kind == KN_POD &&
			      kn_pod_same_but_labels(
				      (const struct kn_pod *)t->slots[i],
				      (const struct kn_pod *)o);
		kn_index(m, t->slots[i], false);
		if (labels_only) {
			kn_pod_relabel(m, (struct kn_pod *)t->slots[i],
				       (struct kn_pod *)o);
			return;
		}
		kn_obj_retire(m, t->slots[i]);
	} else {
		t->count++;
	}
	t->slots[i] = o;
	kn_index(m, o, true);
	m->has_planned |= o->planned;
	kn_model_changed(m, (enum kn_kind)o->kind, labels_only);
}

bool
kn_model_delete(struct kn_model *m, enum kn_kind kind, const char *ns,
		const char *name)
{
	struct kn_objtab *t = &m->tabs[kind];
	const char *nsk = kn_ns_key(m, ns);
	struct kn_obj *o;
	size_t i;

	if (nsk == NULL || t->nslots == 0 || name == NULL)
		return false;
	i = kn_tab_slot(t, nsk, name);
	o = t->slots[i];
	if (o == NULL)
		return false;
	kn_index(m, o, false);
	kn_tab_remove_at(t, i);
	kn_obj_retire(m, o);
	kn_model_changed(m, kind, false);
	return true;
}

void
kn_model_mark_begin(struct kn_model *m, enum kn_kind kind)
{
	m->gen[kind]++;
}

uint32_t
kn_model_mark(const struct kn_model *m, enum kn_kind kind)
{
	return m->gen[kind];
}

size_t
kn_model_sweep(struct kn_model *m, enum kn_kind kind)
{
	struct kn_objtab *t = &m->tabs[kind];
	struct kn_obj *o;
	size_t i = 0, n = 0;

	/* Backward shifts may move a later entry into slot i: recheck it. */
	while (i < t->nslots) {
		o = t->slots[i];
		/* planned objects are not the cluster's to take back */
		if (o == NULL || o->mark == m->gen[kind] || o->planned) {
			i++;
			continue;
		}
		kn_index(m, o, false);
		kn_tab_remove_at(t, i);
		kn_obj_retire(m, o);
		n++;
	}
	if (n > 0)
		kn_model_changed(m, kind, false);
	return n;
}

bool
kn_model_has_planned(const struct kn_model *m)
{
	return m->has_planned;
}

void
kn_model_count_unknown(struct kn_model *m)
{
	m->unknown++;
}

void
kn_model_count_bad(struct kn_model *m)
{
	m->bad++;
}

uint64_t
kn_model_version(const struct kn_model *m)
{
	return m->version;
}

uint64_t
kn_model_kind_version(const struct kn_model *m, enum kn_kind kind)
{
	return (unsigned)kind < KN_KIND__COUNT ? m->kind_version[kind] : 0;
}

uint64_t
kn_model_kinds_version(const struct kn_model *m, uint32_t mask)
{
	uint64_t v = 0;
	int k;

	for (k = 0; k < KN_KIND__COUNT; k++)
		if (mask & (1u << k))
			v += m->kind_version[k];
	if (mask & KN_KINDS_POD_LABELS)
		v += m->pod_labels_version;
	return v;
}

uint64_t
kn_model_pod_labels_version(const struct kn_model *m)
{
	return m->pod_labels_version;
}

size_t
kn_model_count(const struct kn_model *m, enum kn_kind kind)
{
	return m->tabs[kind].count;
}

size_t
kn_model_unknown(const struct kn_model *m)
{
	return m->unknown;
}

size_t
kn_model_bad(const struct kn_model *m)
{
	return m->bad;
}

size_t
kn_model_bytes(const struct kn_model *m)
{
	return sizeof(*m) + m->bytes + kn_intern_bytes(m->in);
}

struct kn_obj *
kn_model_find(const struct kn_model *m, enum kn_kind kind, const char *ns,
	      const char *name)
{
	const struct kn_objtab *t = &m->tabs[kind];
	const char *nsk = kn_ns_key(m, ns);

	if (nsk == NULL || t->nslots == 0 || name == NULL)
		return NULL;
	return t->slots[kn_tab_slot(t, nsk, name)];
}

static int
kn_obj_cmp(const void *a, const void *b)
{
	const struct kn_obj *x = *(struct kn_obj *const *)a;
	const struct kn_obj *y = *(struct kn_obj *const *)b;
	int c = x->ns == y->ns ? 0 : strcmp(x->ns, y->ns);

	return c != 0 ? c : strcmp(x->name, y->name);
}

size_t
kn_model_list(const struct kn_model *m, enum kn_kind kind, const char *ns,
	      struct kn_obj ***out)
{
	const struct kn_objtab *t = &m->tabs[kind];
	const char *nsk = NULL;
	struct kn_obj **v;
	size_t i, n = 0;

	*out = NULL;
	if (ns != NULL) {
		nsk = kn_ns_key(m, ns);
		if (nsk == NULL)
			return 0;
	}
	v = kn_xcalloc(t->count + 1, sizeof(*v));
	for (i = 0; i < t->nslots; i++)
		if (t->slots[i] != NULL &&
		    (nsk == NULL || t->slots[i]->ns == nsk))
			v[n++] = t->slots[i];
	qsort(v, n, sizeof(*v), kn_obj_cmp);
	*out = v;
	return n;
}

void
kn_model_each(const struct kn_model *m, enum kn_kind kind,
	      bool (*cb)(struct kn_obj *o, void *arg), void *arg)
{
	const struct kn_objtab *t = &m->tabs[kind];
	size_t i;

	for (i = 0; i < t->nslots; i++)
		if (t->slots[i] != NULL && !cb(t->slots[i], arg))
			return;
}

bool
kn_pod_has_label(const struct kn_pod *p, const char *key, const char *value)
{
	uint16_t i;

	for (i = 0; i < p->nlabels; i++)
		if (p->labels[i].key == key)
			return p->labels[i].value == value;
	return false;
}

size_t
kn_model_select_pods(const struct kn_model *m, const char *ns,
		     const struct kn_label *sel, size_t nsel,
		     struct kn_pod ***out)
{
	const struct kn_group *g, *best = NULL;
	const char *nsk = kn_ns_key(m, ns);
	struct kn_pod **v, *p;
	size_t i, j, n = 0;

	*out = NULL;
	if (nsk == NULL || nsel == 0)
		return 0;
	for (i = 0; i < nsel; i++) {
		g = kn_grp_find(&m->pods_by_label, nsk, sel[i].key,
				sel[i].value);
		if (g == NULL)
			return 0;
		if (best == NULL || g->n < best->n)
			best = g;
	}
	v = kn_xcalloc(best->n + 1, sizeof(*v));
	for (i = 0; i < best->n; i++) {
		p = best->v[i];
		for (j = 0; j < nsel; j++)
			if (!kn_pod_has_label(p, sel[j].key, sel[j].value))
				break;
		if (j == nsel)
			v[n++] = p;
	}
	qsort(v, n, sizeof(*v), kn_obj_cmp);
	*out = v;
	return n;
}

size_t
kn_model_service_slices(const struct kn_model *m, const struct kn_service *svc,
			struct kn_slice *const **out)
{
	const char *name =
		kn_intern_find(m->in, svc->o.name, strlen(svc->o.name));
	const struct kn_group *g;

	*out = NULL;
	if (name == NULL)
		return 0;
	g = kn_grp_find(&m->slices_by_svc, svc->o.ns, name, kn_tag_slice);
	if (g == NULL || g->n == 0)
		g = kn_grp_find(&m->slices_by_svc, svc->o.ns, name, kn_tag_eps);
	if (g == NULL)
		return 0;
	*out = (struct kn_slice *const *)g->v;
	return g->n;
}

/* Port names compare as kube-proxy compares them: unnamed is NULL or ""
 * on either side. Interned names are equal when their pointers are. */
static bool
port_name_eq(const char *a, const char *b)
{
	if (a == NULL || *a == '\0')
		return b == NULL || *b == '\0';
	return b != NULL && (a == b || strcmp(a, b) == 0);
}

static bool
slice_has_port(const struct kn_slice *sl, const struct kn_svc_port *sp)
{
	uint16_t i;

	for (i = 0; i < sl->nports; i++)
		if (port_name_eq(sl->ports[i].name, sp->name))
			return true;
	return false;
}

/* Whether kube-proxy would take sl's endpoints for svc (sp == NULL) or
 * for its port sp: the slice must carry that port, or one of the
 * service's ports. A service without ports takes every slice. */
static bool
slice_serves(const struct kn_service *svc, const struct kn_slice *sl,
	     const struct kn_svc_port *sp)
{
	uint16_t k;

	if (sp != NULL)
		return slice_has_port(sl, sp);
	if (svc->nports == 0)
		return true;
	for (k = 0; k < svc->nports; k++)
		if (slice_has_port(sl, &svc->ports[k]))
			return true;
	return false;
}

static struct kn_ep_count
count_endpoints(const struct kn_model *m, const struct kn_service *svc,
		const struct kn_svc_port *sp)
{
	struct kn_ep_count c = {0, 0, 0, 0};
	struct kn_slice *const *v;
	uint8_t fam = svc->ncluster_ips ? svc->cluster_ips[0].family : 0;
	size_t n, i, j;

	n = kn_model_service_slices(m, svc, &v);
	if (fam == 0) {
		/* Headless or selectorless: count the first family seen. */
		for (i = 0; i < n && fam == 0; i++)
			fam = v[i]->family;
	}
	for (i = 0; i < n; i++) {
		if (fam != 0 && v[i]->family != 0 && v[i]->family != fam)
			continue;
		if (!slice_serves(svc, v[i], sp))
			continue;
		for (j = 0; j < v[i]->neps; j++) {
			if (v[i]->eps[j].ready)
				c.ready++;
			else
				c.not_ready++;
			c.serving += v[i]->eps[j].serving;
			c.terminating += v[i]->eps[j].terminating;
		}
	}
	return c;
}

struct kn_ep_count
kn_model_service_endpoints(const struct kn_model *m,
			   const struct kn_service *svc)
{
	return count_endpoints(m, svc, NULL);
}

struct kn_ep_count
kn_model_service_port_endpoints(const struct kn_model *m,
				const struct kn_service *svc,
				const struct kn_svc_port *sp)
{
	return count_endpoints(m, svc, sp);
}

size_t
kn_model_service_ingresses(const struct kn_model *m, const char *ns,
			   const char *svc, struct kn_ingress ***out)
{
	const char *nsk = kn_ns_key(m, ns);
	const char *name = kn_intern_find(m->in, svc, strlen(svc));
	const struct kn_group *g;
	struct kn_ingress **v;

	*out = NULL;
	if (nsk == NULL || name == NULL)
		return 0;
	g = kn_grp_find(&m->ing_by_svc, nsk, name, NULL);
	if (g == NULL || g->n == 0)
		return 0;
	v = kn_xcalloc(g->n, sizeof(*v));
	memcpy(v, g->v, g->n * sizeof(*v));
	qsort(v, g->n, sizeof(*v), kn_obj_cmp);
	*out = v;
	return g->n;
}

uint32_t
kn_model_node_pods(const struct kn_model *m, const char *node)
{
	const char *k = kn_intern_find(m->in, node, strlen(node));
	const struct kn_group *g;

	if (k == NULL)
		return 0;
	g = kn_grp_find(&m->pods_by_node, k, NULL, NULL);
	return g != NULL ? g->n : 0;
}

void
kn_strs_add(struct kn_strs *s, const char *str)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = kn_xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = kn_xstrdup(str);
}

void
kn_strs_addf(struct kn_strs *s, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	kn_strs_add(s, line);
}

void
kn_strs_clear(struct kn_strs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
