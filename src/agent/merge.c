/* The console's merge of its agents' lines: per node what its agent
 * said last (drops, facts, how fresh), each line once (an agent run's
 * lines are numbered, so a log stream resumed from a timestamp repeats
 * nothing), and the summaries of every node added up key by key. The
 * histograms share fixed buckets, so the merged percentiles are those of
 * all transactions together, not an average of averages. Pure: no I/O. */
#include <stdlib.h>
#include <string.h>

#include "k8snet/agent.h"
#include "k8snet/intern.h"

struct kn_agents_merge {
	struct kn_agent_node **nodes;
	size_t nnodes, capnodes;
	uint32_t *nindex; /* node + 1 by name, open addressing */
	size_t capnindex;
	struct kn_agents_key *keys;
	size_t nkeys, capkeys;
	uint32_t *index; /* key + 1, open addressing; capindex slots */
	size_t capindex;
	struct kn_agents_key other[3];
};

struct kn_agents_merge *
kn_agents_merge_new(void)
{
	struct kn_agents_merge *m = calloc(1, sizeof(*m));
	int i;

	if (m == NULL)
		return NULL;
	for (i = 0; i < 3; i++) {
		m->other[i].type = (uint8_t)i;
		m->other[i].other = true;
	}
	return m;
}

void
kn_agents_merge_free(struct kn_agents_merge *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nnodes; i++)
		free(m->nodes[i]);
	free(m->nodes);
	free(m->nindex);
	free(m->keys);
	free(m->index);
	free(m);
}

/* The slot of node's name in the index: its entry, or the empty slot
 * where it would go. */
static size_t
node_slot(const struct kn_agents_merge *m, const char *node)
{
	size_t j = kn_hash_bytes(node, strlen(node)) % m->capnindex;

	while (m->nindex[j] != 0 &&
	       strcmp(m->nodes[m->nindex[j] - 1]->node, node) != 0)
		j = (j + 1) % m->capnindex;
	return j;
}

static bool
node_index_grow(struct kn_agents_merge *m)
{
	size_t cap = m->capnindex ? m->capnindex * 2 : 64, i;
	uint32_t *old = m->nindex;

	m->nindex = calloc(cap, sizeof(*m->nindex));
	if (m->nindex == NULL) {
		m->nindex = old;
		return false;
	}
	free(old);
	m->capnindex = cap;
	for (i = 0; i < m->nnodes; i++)
		m->nindex[node_slot(m, m->nodes[i]->node)] = (uint32_t)(i + 1);
	return true;
}

struct kn_agent_node *
kn_agents_node_find(const struct kn_agents_merge *m, const char *node)
{
	size_t j;

	if (m == NULL || m->capnindex == 0)
		return NULL;
	j = node_slot(m, node);
	return m->nindex[j] != 0 ? m->nodes[m->nindex[j] - 1] : NULL;
}

struct kn_agent_node *
kn_agents_node(struct kn_agents_merge *m, const char *node)
{
	struct kn_agent_node *n, **v;

	n = kn_agents_node_find(m, node);
	if (n != NULL)
		return n;
	if ((m->nnodes + 1) * 2 > m->capnindex && !node_index_grow(m))
		return NULL;
	if (m->nnodes == m->capnodes) {
		size_t cap = m->capnodes ? m->capnodes * 2 : 16;

		v = realloc(m->nodes, cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		m->nodes = v;
		m->capnodes = cap;
	}
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return NULL;
	snprintf(n->node, sizeof(n->node), "%s", node);
	m->nodes[m->nnodes++] = n;
	m->nindex[node_slot(m, n->node)] = (uint32_t)m->nnodes;
	return n;
}

size_t
kn_agents_nnodes(const struct kn_agents_merge *m)
{
	return m->nnodes;
}

struct kn_agent_node *
kn_agents_node_at(struct kn_agents_merge *m, size_t i)
{
	return i < m->nnodes ? m->nodes[i] : NULL;
}

size_t
kn_agents_nkeys(const struct kn_agents_merge *m)
{
	return m->nkeys;
}

const struct kn_agents_key *
kn_agents_key_at(const struct kn_agents_merge *m, size_t i)
{
	if (i < m->nkeys)
		return &m->keys[i];
	i -= m->nkeys;
	return i < 3 && m->other[i].n > 0 ? &m->other[i] : NULL;
}

/* Seen already? Lines of one agent run come in order, so the highest
 * number taken says; a run not among the last few is new. */
static bool
seen(struct kn_agent_node *n, uint64_t instance, uint64_t seq)
{
	size_t i, slot = 0;

	for (i = 0; i < KN_AGENTS_INSTANCES; i++)
		if (n->inst[i].seq != 0 && n->inst[i].instance == instance) {
			if (seq <= n->inst[i].seq)
				return true;
			/* lines of this run never read (rotated away by
			 * the kubelet while the stream was down, or too
			 * long to keep) */
			n->lost += seq - n->inst[i].seq - 1;
			n->inst[i].seq = seq;
			n->inst[i].used = ++n->clock;
			return false;
		}
	/* a new run: an empty slot, else the one read least lately */
	for (i = 0; i < KN_AGENTS_INSTANCES; i++) {
		if (n->inst[i].seq == 0) {
			slot = i;
			break;
		}
		if (n->inst[i].used < n->inst[slot].used)
			slot = i;
	}
	n->inst[slot].instance = instance;
	n->inst[slot].seq = seq;
	n->inst[slot].used = ++n->clock;
	n->runs++;
	return false;
}

static uint64_t
key_hash(const struct kn_agentline *a)
{
	uint64_t h = kn_hash_bytes(a->name, strlen(a->name));

	h ^= kn_hash_bytes(&a->client, sizeof(a->client)) * 31;
	h ^= kn_hash_bytes(&a->server, sizeof(a->server)) * 131;
	h ^= ((uint64_t)a->port << 8 | a->type) * 0x9e3779b97f4a7c15ull;
	return h;
}

static bool
index_grow(struct kn_agents_merge *m)
{
	size_t cap = m->capindex ? m->capindex * 2 : 1024, i, j;
	uint32_t *ix = calloc(cap, sizeof(*ix));

	if (ix == NULL)
		return false;
	for (i = 0; i < m->nkeys; i++) {
		for (j = m->keys[i].hash % cap; ix[j] != 0; j = (j + 1) % cap)
			;
		ix[j] = (uint32_t)(i + 1);
	}
	free(m->index);
	m->index = ix;
	m->capindex = cap;
	return true;
}

/* The merged key of a's, made when new; other[type] past the cap. */
static struct kn_agents_key *
key_for(struct kn_agents_merge *m, const struct kn_agentline *a)
{
	struct kn_agents_key *k, *v;
	uint64_t h;
	size_t j;

	if (a->other)
		return &m->other[a->type];
	h = key_hash(a);
	for (j = m->capindex ? h % m->capindex : 0;
	     m->capindex && m->index[j] != 0; j = (j + 1) % m->capindex) {
		k = &m->keys[m->index[j] - 1];
		if (k->hash == h && k->type == a->type && k->port == a->port &&
		    kn_ipaddr_eq(&k->client, &a->client) &&
		    kn_ipaddr_eq(&k->server, &a->server) &&
		    strcmp(k->name, a->name) == 0)
			return k;
	}
	if (m->nkeys >= KN_AGENTS_MAX_KEYS)
		return &m->other[a->type];
	if ((m->nkeys + 1) * 2 > m->capindex && !index_grow(m))
		return &m->other[a->type];
	if (m->nkeys == m->capkeys) {
		size_t cap = m->capkeys ? m->capkeys * 2 : 256;

		v = realloc(m->keys, cap * sizeof(*v));
		if (v == NULL)
			return &m->other[a->type];
		m->keys = v;
		m->capkeys = cap;
	}
	k = &m->keys[m->nkeys++];
	memset(k, 0, sizeof(*k));
	k->hash = h;
	k->type = a->type;
	k->client = a->client;
	k->server = a->server;
	k->port = a->port;
	memcpy(k->name, a->name, sizeof(k->name));
	for (j = h % m->capindex; m->index[j] != 0; j = (j + 1) % m->capindex)
		;
	m->index[j] = (uint32_t)m->nkeys;
	return k;
}

static void
merge_agg(struct kn_agents_merge *m, struct kn_agent_node *n, size_t ni,
	  const struct kn_agentline *a)
{
	struct kn_agents_key *k = key_for(m, a);
	uint32_t i;

	k->n += a->n;
	k->req_bytes += a->req_bytes;
	k->resp_bytes += a->resp_bytes;
	k->codes_other += a->codes_other;
	for (i = 0; i < a->ncodes; i++)
		kn_agent_codes_add(k->codes, &k->ncodes, &k->codes_other,
				   a->codes[i].code, a->codes[i].count);
	kn_lat_merge(&k->lat, &a->lat);
	(void)n;
	if (ni < 32 && !(k->node_bits & (1u << ni))) {
		k->node_bits |= 1u << ni;
		k->nodes++;
	}
}

static void
take_drops(struct kn_agent_node *n, const struct kn_agentline *a)
{
	if (!a->have_drops)
		return;
	n->have_drops = true;
	n->received = a->received;
	n->kernel_drops = a->kernel_drops;
	n->interface_drops = a->interface_drops;
	n->evicted = a->evicted;
}

static void
take_facts(struct kn_agent_node *n, const struct kn_agentline *a)
{
	uint32_t i;

	n->have_facts = true;
	memcpy(n->cni, a->cni, sizeof(n->cni));
	n->cni_hash = a->cni_hash;
	memcpy(n->cluster_dns, a->cluster_dns, sizeof(n->cluster_dns));
	n->nlisteners = a->nlisteners;
	for (i = 0; i < a->nlisteners; i++) {
		n->lis_ip[i] = a->listeners[i].ip;
		n->lis_port[i] = a->listeners[i].port;
		n->lis_proto[i] = a->listeners[i].proto;
		memcpy(n->lis_comm[i], a->listeners[i].comm,
		       sizeof(n->lis_comm[i]));
	}
}

enum kn_agents_verdict
kn_agents_merge_line(struct kn_agents_merge *m, const char *node,
		     const char *pod, const char *line, size_t len,
		     uint64_t now_ms, struct kn_agentline *al)
{
	struct kn_agent_node *n = kn_agents_node(m, node);
	char errbuf[KN_ERRBUF];
	size_t ni;

	if (n == NULL)
		return KN_AGENTS_BAD;
	for (ni = 0; ni < m->nnodes && m->nodes[ni] != n; ni++)
		;
	if (pod != NULL)
		snprintf(n->pod, sizeof(n->pod), "%s", pod);
	n->bytes += len;
	n->last_line_ms = now_ms;
	if (kn_agentline_parse(line, len, al, errbuf) != KN_OK) {
		n->bad_lines++;
		return KN_AGENTS_BAD;
	}
	if (seen(n, al->instance, al->seq)) {
		n->dups++;
		return KN_AGENTS_DUP;
	}
	n->lines++;
	switch (al->kind) {
	case KN_AL_TXN:
		n->txn_lines++;
		break;
	case KN_AL_AGG:
		merge_agg(m, n, ni, al);
		break;
	case KN_AL_SUM:
		n->sums++;
		n->left_out += al->left_out;
		n->folded += al->keys_folded;
		take_drops(n, al);
		break;
	case KN_AL_NODE:
		take_facts(n, al);
		take_drops(n, al);
		break;
	}
	return KN_AGENTS_TAKEN;
}

void
kn_agents_totals(const struct kn_agents_merge *m, uint8_t type, uint64_t *n,
		 uint64_t *none, struct kn_lat_hist *lat)
{
	const struct kn_agents_key *k;
	size_t i;
	uint32_t c;

	*n = *none = 0;
	memset(lat, 0, sizeof(*lat));
	for (i = 0; i < m->nkeys + 3; i++) {
		k = kn_agents_key_at(m, i);
		if (k == NULL || k->type != type)
			continue;
		*n += k->n;
		for (c = 0; c < k->ncodes; c++)
			if (k->codes[c].code < 0)
				*none += k->codes[c].count;
		kn_lat_merge(lat, &k->lat);
	}
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The nodes with facts whose CNI hash is h, in sorted v of n. */
static size_t
count_of(const uint64_t *v, size_t n, uint64_t h)
{
	size_t lo = 0, hi = n, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < n && v[lo] == h)
		lo++;
	return lo - first;
}

/* The hash most nodes have; on a tie, the one of the node heard from
 * first. Sorted, not pairwise: a refresh asks at every node count. */
uint64_t
kn_agents_cni_majority(const struct kn_agents_merge *m)
{
	size_t i, n = 0, best = 0, cnt;
	uint64_t h = 0, *v;

	v = malloc((m->nnodes ? m->nnodes : 1) * sizeof(*v));
	if (v == NULL)
		return 0;
	for (i = 0; i < m->nnodes; i++)
		if (m->nodes[i]->have_facts)
			v[n++] = m->nodes[i]->cni_hash;
	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i < m->nnodes; i++) {
		if (!m->nodes[i]->have_facts)
			continue;
		cnt = count_of(v, n, m->nodes[i]->cni_hash);
		if (cnt > best) {
			best = cnt;
			h = m->nodes[i]->cni_hash;
		}
	}
	free(v);
	return h;
}
