/* The nodes' port picture for the app: probe targets from the cluster
 * model, the prober's lifecycle, canned --demo results, the local node's
 * listeners and the node's own CNI and kubelet settings compared with the
 * cluster. The prober (prober.c) and the target rules (targets.c) stay
 * model-free; this file is the glue between them and the model. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "k8snet/alloc.h"
#include "k8snet/anon.h"
#include "k8snet/embed.h"
#include "k8snet/log.h"
#include "k8snet/loop.h"
#include "k8snet/model_query.h"
#include "k8snet/nodeview.h"

/* How often the console looks for model changes (a compare of one
 * counter). */
#define KN_NV_SYNC_MS 1000

struct kn_nv_range {
	const char *node; /* borrowed from the results */
	size_t first, n;
};

struct kn_nodeview {
	struct kn_nodeview_config cfg; /* mode and demo are below */
	enum kn_probe_mode mode;
	bool demo;
	struct kn_prober *pr;
	uint64_t sync_timer;
	uint64_t model_version;
	bool synced; /* model_version is meaningful */
	bool started;
	void (*notify)(void *arg);
	void *notify_arg;

	/* --demo: canned results (own their strings), no prober. */
	struct kn_probe_result *canned;
	size_t ncanned;
	uint64_t canned_gen;

	/* Per-node ranges over the results in target order. */
	const struct kn_probe_result **res;
	size_t nres;
	struct kn_nv_range *ranges;
	size_t nranges;

	/* The local node and its listeners. */
	char local[256];
	bool local_known;
	struct kn_listeners ls;
	bool have_ls;

	struct kn_nv_host host;
	bool host_read;
	int64_t last_sweep_ms;
};

static int64_t
kn_nv_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- pure: from the model ---- */

static int
kn_nv_node_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kn_nv_node *)a)->name,
		      ((const struct kn_nv_node *)b)->name);
}

/* --probe-external: each node's first ExternalIP instead of its
 * InternalIP (from outside a cloud network); nodes without one keep it. */
static void
kn_nv_use_external(const struct kn_model *m, struct kn_probe_target *t,
		   size_t n)
{
	const struct kn_node *nd;
	size_t i;

	for (i = 0; i < n; i++) {
		nd = (const struct kn_node *)kn_model_find(m, KN_NODE, NULL,
							   t[i].node);
		if (nd != NULL && nd->external_ip.family != 0)
			t[i].ip = nd->external_ip;
	}
}

static bool
kn_nv_prefix(const char *s, const char *pfx)
{
	return strncmp(s, pfx, strlen(pfx)) == 0;
}

size_t
kn_nodeview_nodes(const struct kn_model *m, struct kn_nv_node **out)
{
	struct kn_obj **v = NULL, **pods = NULL;
	struct kn_nv_node *nodes, key, *hit;
	size_t n, np, i, k;

	*out = NULL;
	if (m == NULL)
		return 0;
	n = kn_model_list(m, KN_NODE, NULL, &v);
	nodes = kn_xcalloc(n ? n : 1, sizeof(*nodes));
	for (i = 0; i < n; i++) {
		const struct kn_node *nd = (const struct kn_node *)v[i];

		nodes[i].name = nd->o.name;
		nodes[i].ip = nd->internal_ip;
		for (k = 0; k < nd->nroles; k++)
			if (strcmp(nd->roles[k], "control-plane") == 0 ||
			    strcmp(nd->roles[k], "master") == 0)
				nodes[i].cp |= KN_CP_BY_LABEL;
	}
	free(v);
	/* Static pods are mirrored as kube-system/NAME-NODE, owned by the
	 * Node; an etcd run by a Deployment or operator says nothing about
	 * the node. */
	np = kn_model_list(m, KN_POD, "kube-system", &pods);
	for (i = 0; i < np && n > 0; i++) {
		const struct kn_pod *p = (const struct kn_pod *)pods[i];

		if (p->node == NULL ||
		    (!kn_nv_prefix(p->o.name, "kube-apiserver-") &&
		     !kn_nv_prefix(p->o.name, "etcd-")))
			continue;
		if (p->owner_kind != NULL && strcmp(p->owner_kind, "Node") != 0)
			continue;
		key.name = p->node;
		hit = bsearch(&key, nodes, n, sizeof(*nodes), kn_nv_node_cmp);
		if (hit != NULL)
			hit->cp |= KN_CP_BY_PODS;
	}
	free(pods);
	*out = nodes;
	return n;
}

bool
kn_nodeview_managed(const struct kn_model *m)
{
	struct kn_nv_node *nodes;
	size_t n, i;
	bool any = false;

	n = kn_nodeview_nodes(m, &nodes);
	for (i = 0; i < n; i++)
		any |= nodes[i].cp != 0;
	free(nodes);
	return n > 0 && !any;
}

enum kn_err
kn_nodeview_targets(const struct kn_model *m, enum kn_probe_mode mode,
		    struct kn_probe_target **out, size_t *nout)
{
	struct kn_nv_node *nodes;
	struct kn_probe_node *pn;
	struct kn_probe_nodeport *nps = NULL;
	struct kn_obj **sv = NULL;
	char **labels = NULL;
	size_t n, ns = 0, nnp = 0, cap = 0, i, k;
	enum kn_err e;

	*out = NULL;
	*nout = 0;
	n = kn_nodeview_nodes(m, &nodes);
	pn = kn_xcalloc(n ? n : 1, sizeof(*pn));
	for (i = 0; i < n; i++) {
		pn[i].name = nodes[i].name;
		pn[i].ip = nodes[i].ip;
		pn[i].control_plane = nodes[i].cp != 0;
	}
	if (mode == KN_PROBE_NODEPORTS && m != NULL)
		ns = kn_model_list(m, KN_SERVICE, NULL, &sv);
	for (i = 0; i < ns; i++) {
		const struct kn_service *s = (const struct kn_service *)sv[i];

		for (k = 0; k < s->nports; k++) {
			char label[512];

			if (s->ports[k].node_port == 0 ||
			    s->ports[k].proto != KN_PROTO_TCP)
				continue;
			if (nnp == cap) {
				cap = cap ? cap * 2 : 16;
				nps = kn_xreallocarray(nps, cap, sizeof(*nps));
				labels = kn_xreallocarray(labels, cap,
							  sizeof(*labels));
			}
			snprintf(label, sizeof(label), "%s/%s", s->o.ns,
				 s->o.name);
			labels[nnp] = kn_xstrdup(label);
			nps[nnp].port = s->ports[k].node_port;
			nps[nnp].service = labels[nnp];
			nnp++;
		}
	}
	free(sv);
	e = kn_probe_targets_build(pn, n, nps, nnp, mode, out, nout);
	/* DESIGN.md section 4 names the peer and health ports apart. */
	for (i = 0; e == KN_OK && i < *nout; i++) {
		if ((*out)[i].port == 2380 &&
		    strcmp((*out)[i].component, "etcd") == 0)
			(*out)[i].component = "etcd-peer";
		else if ((*out)[i].port == 10256 &&
			 strcmp((*out)[i].component, "kube-proxy") == 0)
			(*out)[i].component = "kube-proxy-health";
	}
	for (i = 0; i < nnp; i++)
		free(labels[i]);
	free(labels);
	free(nps);
	free(pn);
	free(nodes);
	return e;
}

/* kn_model_cni's names and the DaemonSet each ships as. */
static const struct {
	const char *cni, *ds;
} kn_nv_cni_ds[] = {
	{"canal", "canal"},
	{"calico", "calico-node"},
	{"cilium", "cilium"},
	{"flannel", "flannel"},
	{"weave", "weave-net"},
	{"antrea", "antrea-agent"},
	{"kube-router", "kube-router"},
	{"aws-vpc-cni", "aws-node"},
	{"azure-cni", "azure"},
	{"gke-netd", "netd"},
	{"kindnet", "kindnet"},
	{"ovn-kubernetes", "ovnkube-node"},
	{"kube-ovn", "kube-ovn-cni"},
};

const struct kn_daemonset *
kn_nodeview_cni_ds(const struct kn_model *m)
{
	const char *cni = m != NULL ? kn_model_cni(m) : NULL;
	const char *tok = NULL;
	const struct kn_daemonset *best = NULL;
	struct kn_obj **v;
	size_t n, i;

	if (cni == NULL)
		return NULL;
	for (i = 0; i < sizeof(kn_nv_cni_ds) / sizeof(kn_nv_cni_ds[0]); i++)
		if (strcmp(kn_nv_cni_ds[i].cni, cni) == 0)
			tok = kn_nv_cni_ds[i].ds;
	if (tok == NULL)
		tok = cni;
	n = kn_model_list(m, KN_DAEMONSET, NULL, &v);
	/* The exact name wins over a sibling (cilium over cilium-envoy). */
	for (i = 0; i < n; i++) {
		if (strcmp(v[i]->name, tok) == 0) {
			best = (const struct kn_daemonset *)v[i];
			break;
		}
		if (best == NULL && strstr(v[i]->name, tok) != NULL)
			best = (const struct kn_daemonset *)v[i];
	}
	free(v);
	return best;
}

void
kn_nodeview_cni_pods(const struct kn_model *m, const struct kn_daemonset *ds,
		     const char *node, uint32_t *ready, uint32_t *total)
{
	struct kn_pod **pods = NULL;
	size_t n, i;

	*ready = *total = 0;
	if (m == NULL || ds == NULL || node == NULL)
		return;
	n = kn_model_pods_on_node(m, node, ds->o.ns, &pods);
	for (i = 0; i < n; i++) {
		if (pods[i]->owner_kind == NULL ||
		    strcmp(pods[i]->owner_kind, "DaemonSet") != 0 ||
		    pods[i]->owner_name == NULL ||
		    strcmp(pods[i]->owner_name, ds->o.name) != 0)
			continue;
		(*total)++;
		if (pods[i]->ready)
			(*ready)++;
	}
	free(pods);
}

const char *
kn_nodeview_proxy_mode(const struct kn_model *m)
{
	const struct kn_configmap *cm;

	if (m == NULL)
		return NULL;
	cm = (const struct kn_configmap *)kn_model_find(
		m, KN_CONFIGMAP, "kube-system", "kube-proxy");
	return cm != NULL ? cm->proxy_mode : NULL;
}

const char *
kn_nodeview_glyph(enum kn_port_state s, bool ascii)
{
	switch (s) {
	case KN_PORT_OPEN:
		return ascii ? "o" : "\xe2\x97\x8f"; /* U+25CF */
	case KN_PORT_CLOSED:
		return ascii ? "c" : "\xe2\x97\x8b"; /* U+25CB */
	case KN_PORT_FILTERED:
		return ascii ? "f" : "\xe2\x9c\x95"; /* U+2715 */
	default:
		return ascii ? "s" : "\xc2\xb7"; /* U+00B7 */
	}
}

/* ---- the view ---- */

/* The model in effect: a source may replace it (a context switch). */
static struct kn_model *
kn_nv_model(const struct kn_nodeview *nv)
{
	return nv->cfg.model != NULL ? *nv->cfg.model : NULL;
}

struct kn_nodeview *
kn_nodeview_new(const struct kn_nodeview_config *cfg)
{
	struct kn_nodeview *nv = kn_xcalloc(1, sizeof(*nv));

	nv->cfg = *cfg;
	nv->mode = cfg->mode;
	nv->demo = cfg->demo;
	kn_listeners_init(&nv->ls);
	return nv;
}

void
kn_nodeview_set_mode(struct kn_nodeview *nv, enum kn_probe_mode mode)
{
	nv->mode = mode;
	nv->synced = false;
}

void
kn_nodeview_set_notify(struct kn_nodeview *nv, void (*cb)(void *arg), void *arg)
{
	nv->notify = cb;
	nv->notify_arg = arg;
}

static void
kn_nv_canned_clear(struct kn_nodeview *nv)
{
	size_t i;

	for (i = 0; i < nv->ncanned; i++) {
		free((char *)nv->canned[i].node);
		free((char *)nv->canned[i].component);
	}
	free(nv->canned);
	nv->canned = NULL;
	nv->ncanned = 0;
}

static void
kn_nv_host_release(struct kn_nv_host *h)
{
	kn_strs_clear(&h->problems);
	kn_strs_clear(&h->notes);
}

void
kn_nodeview_free(struct kn_nodeview *nv)
{
	if (nv == NULL)
		return;
	if (nv->sync_timer)
		kn_loop_cancel_timer(nv->cfg.loop, nv->sync_timer);
	kn_prober_free(nv->pr);
	kn_nv_canned_clear(nv);
	free(nv->res);
	free(nv->ranges);
	kn_listeners_release(&nv->ls);
	kn_nv_host_release(&nv->host);
	free(nv);
}

static int
kn_nv_range_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kn_nv_range *)a)->node,
		      ((const struct kn_nv_range *)b)->node);
}

static size_t
kn_nv_count(const struct kn_nodeview *nv)
{
	if (nv->demo)
		return nv->ncanned;
	return nv->pr != NULL ? kn_prober_count(nv->pr) : 0;
}

static const struct kn_probe_result *
kn_nv_get(const struct kn_nodeview *nv, size_t i)
{
	return nv->demo ? &nv->canned[i] : kn_prober_get(nv->pr, i);
}

/* Results are per node contiguous (targets are built node by node); the
 * ranges are sorted by node name for a binary search. */
static void
kn_nv_index(struct kn_nodeview *nv)
{
	size_t n = kn_nv_count(nv), i;

	free(nv->res);
	free(nv->ranges);
	nv->res = kn_xcalloc(n ? n : 1, sizeof(*nv->res));
	nv->ranges = kn_xcalloc(n ? n : 1, sizeof(*nv->ranges));
	nv->nres = n;
	nv->nranges = 0;
	for (i = 0; i < n; i++) {
		nv->res[i] = kn_nv_get(nv, i);
		if (nv->nranges == 0 || strcmp(nv->ranges[nv->nranges - 1].node,
					       nv->res[i]->node) != 0) {
			nv->ranges[nv->nranges].node = nv->res[i]->node;
			nv->ranges[nv->nranges].first = i;
			nv->nranges++;
		}
		nv->ranges[nv->nranges - 1].n++;
	}
	qsort(nv->ranges, nv->nranges, sizeof(*nv->ranges), kn_nv_range_cmp);
}

/* The canned --demo picture: every target of the demo model gets the
 * state and RTT the embedded file gives it (not listed: skipped). */
static void
kn_nv_canned_load(struct kn_nodeview *nv, const struct kn_probe_target *t,
		  size_t n)
{
	const unsigned char *data;
	const cJSON *ports, *it;
	cJSON *doc = NULL;
	int64_t now = kn_nv_wall_ms();
	size_t len, i;

	kn_nv_canned_clear(nv);
	data = kn_embed_find("demo-probes.json", &len);
	if (data != NULL)
		doc = cJSON_ParseWithLength((const char *)data, len);
	ports = cJSON_GetObjectItemCaseSensitive(doc, "ports");
	nv->canned = kn_xcalloc(n ? n : 1, sizeof(*nv->canned));
	for (i = 0; i < n; i++) {
		struct kn_probe_result *r = &nv->canned[i];

		r->node = kn_xstrdup(t[i].node);
		r->component = kn_xstrdup(t[i].component);
		r->ip = t[i].ip;
		r->port = t[i].port;
		r->state = KN_PORT_SKIPPED;
		r->rtt_ms = -1;
		if (t[i].skip)
			continue;
		cJSON_ArrayForEach(it, ports)
		{
			const cJSON *nd = cJSON_GetObjectItem(it, "node");
			const cJSON *pt = cJSON_GetObjectItem(it, "port");
			const cJSON *st = cJSON_GetObjectItem(it, "state");
			const cJSON *rt = cJSON_GetObjectItem(it, "rtt_ms");

			if (!cJSON_IsString(nd) || !cJSON_IsNumber(pt) ||
			    !cJSON_IsString(st) || pt->valueint != t[i].port)
				continue;
			/* With --anonymize the model's node names are the
			 * pseudonyms of the file's. */
			if (strcmp(nv->cfg.anon != NULL
					   ? kn_anon_name(nv->cfg.anon,
							  nd->valuestring)
					   : nd->valuestring,
				   t[i].node) != 0)
				continue;
			if (strcmp(st->valuestring, "open") == 0)
				r->state = KN_PORT_OPEN;
			else if (strcmp(st->valuestring, "closed") == 0)
				r->state = KN_PORT_CLOSED;
			else if (strcmp(st->valuestring, "filtered") == 0)
				r->state = KN_PORT_FILTERED;
			if ((r->state == KN_PORT_OPEN ||
			     r->state == KN_PORT_CLOSED) &&
			    cJSON_IsNumber(rt))
				r->rtt_ms = rt->valuedouble;
			r->checked_ms = now;
			break;
		}
	}
	nv->ncanned = n;
	nv->canned_gen++;
	nv->last_sweep_ms = now;
	cJSON_Delete(doc);
}

static void
kn_nv_on_done(void *arg, const struct kn_probe_sweep *s)
{
	struct kn_nodeview *nv = arg;

	(void)s;
	nv->last_sweep_ms = kn_nv_wall_ms();
	if (nv->notify != NULL)
		nv->notify(nv->notify_arg);
}

static bool
kn_nv_prober(struct kn_nodeview *nv)
{
	struct kn_probe_cfg cfg;
	char errbuf[KN_ERRBUF] = "";

	if (nv->pr != NULL)
		return true;
	kn_probe_cfg_init(&cfg);
	cfg.done = kn_nv_on_done;
	cfg.done_arg = nv;
	nv->pr = kn_prober_new(nv->cfg.loop, &cfg, errbuf);
	if (nv->pr == NULL)
		kn_warn("node port checks are off: %s", errbuf);
	return nv->pr != NULL;
}

/* Same list as the prober holds? Then a model change that does not touch
 * nodes, roles or NodePorts leaves a running sweep alone. */
static bool
kn_nv_same(const struct kn_nodeview *nv, const struct kn_probe_target *t,
	   size_t n)
{
	size_t i;

	if (kn_nv_count(nv) != n)
		return false;
	for (i = 0; i < n; i++) {
		const struct kn_probe_result *r = kn_nv_get(nv, i);

		if (r->port != t[i].port || !kn_ipaddr_eq(&r->ip, &t[i].ip) ||
		    strcmp(r->node, t[i].node) != 0 ||
		    strcmp(r->component, t[i].component) != 0)
			return false;
	}
	return true;
}

static void
kn_nv_local(struct kn_nodeview *nv)
{
	struct kn_nv_node *nodes;
	const char **names;
	struct kn_ipaddr *ips;
	const char *hit;
	size_t n, i;

	nv->local[0] = '\0';
	nv->local_known = false;
	if (nv->demo || kn_nv_model(nv) == NULL)
		return;
	n = kn_nodeview_nodes(kn_nv_model(nv), &nodes);
	names = kn_xcalloc(n ? n : 1, sizeof(*names));
	ips = kn_xcalloc(n ? n : 1, sizeof(*ips));
	for (i = 0; i < n; i++) {
		names[i] = nodes[i].name;
		ips[i] = nodes[i].ip;
	}
	hit = kn_local_node(names, ips, n);
	if (hit != NULL) {
		snprintf(nv->local, sizeof(nv->local), "%s", hit);
		nv->local_known = true;
	}
	free(names);
	free(ips);
	free(nodes);
}

static void
kn_nv_listeners(struct kn_nodeview *nv)
{
	char errbuf[KN_ERRBUF] = "";

	kn_listeners_release(&nv->ls);
	kn_listeners_init(&nv->ls);
	nv->have_ls = false;
	if (!nv->local_known)
		return;
	if (kn_listeners_read(nv->cfg.host_root, &nv->ls, errbuf) != KN_OK) {
		kn_warn("local listeners: %s", errbuf);
		return;
	}
	if (kn_listeners_owners(nv->cfg.host_root, &nv->ls, errbuf) != KN_OK)
		kn_warn("listener owners: %s", errbuf);
	nv->have_ls = true;
}

void
kn_nodeview_sync(struct kn_nodeview *nv)
{
	const struct kn_model *m = kn_nv_model(nv);
	struct kn_probe_target *t = NULL;
	size_t n = 0;
	uint64_t v;

	if (m == NULL)
		return;
	/* Nodes, their control-plane static pods and NodePort services:
	 * pod relabels and endpoint churn leave the targets as they are. */
	v = kn_model_kinds_version(m, (1u << KN_NODE) | (1u << KN_POD) |
					      (1u << KN_SERVICE));
	if (nv->synced && nv->model_version == v)
		return;
	nv->model_version = v;
	nv->synced = true;
	if (kn_nodeview_targets(m, nv->mode, &t, &n) != KN_OK) {
		kn_warn("node port checks: cannot build the target list");
		return;
	}
	if (nv->cfg.probe_external)
		kn_nv_use_external(m, t, n);
	if (kn_nv_same(nv, t, n)) {
		kn_probe_targets_free(t);
		return;
	}
	if (nv->demo) {
		kn_nv_canned_load(nv, t, n);
	} else if (kn_nv_prober(nv)) {
		if (kn_prober_set_targets(nv->pr, t, n) != KN_OK)
			kn_warn("node port checks: out of memory");
		/* New nodes or NodePorts are checked now, not at the next
		 * period (a running sweep restarts on the new list). */
		else if (nv->started && nv->mode != KN_PROBE_NONE &&
			 !kn_prober_busy(nv->pr))
			kn_prober_sweep(nv->pr);
	}
	kn_probe_targets_free(t);
	kn_nv_index(nv);
	kn_nv_local(nv);
}

static void
kn_nv_sync_tick(void *arg)
{
	kn_nodeview_sync(arg);
}

void
kn_nodeview_start(struct kn_nodeview *nv)
{
	if (nv->started)
		return;
	nv->started = true;
	kn_nodeview_sync(nv);
	nv->sync_timer = kn_loop_add_timer(nv->cfg.loop, KN_NV_SYNC_MS, true,
					   kn_nv_sync_tick, nv);
	kn_nv_listeners(nv);
	if (!nv->demo && nv->mode != KN_PROBE_NONE && kn_nv_prober(nv))
		kn_prober_start(nv->pr);
}

void
kn_nodeview_sweep(struct kn_nodeview *nv)
{
	kn_nodeview_sync(nv);
	if (nv->demo) {
		/* The canned picture does not change; a re-probe only
		 * renews its check time. */
		size_t i;
		int64_t now = kn_nv_wall_ms();

		for (i = 0; i < nv->ncanned; i++)
			if (nv->canned[i].checked_ms != 0)
				nv->canned[i].checked_ms = now;
		nv->canned_gen++;
		nv->last_sweep_ms = now;
		if (nv->notify != NULL)
			nv->notify(nv->notify_arg);
		return;
	}
	if (nv->mode == KN_PROBE_NONE || nv->pr == NULL)
		return;
	kn_nv_listeners(nv);
	kn_prober_sweep(nv->pr);
}

enum kn_err
kn_nodeview_run_once(struct kn_nodeview *nv, int limit_ms, char *errbuf)
{
	size_t i, n, left = 0;
	enum kn_err e;

	errbuf[0] = '\0';
	kn_nodeview_sync(nv);
	kn_nv_listeners(nv);
	if (nv->demo || nv->mode == KN_PROBE_NONE || nv->pr == NULL)
		return KN_OK;
	e = kn_prober_run_sync(nv->pr, limit_ms);
	if (e == KN_OK) {
		nv->last_sweep_ms = kn_nv_wall_ms();
		return KN_OK;
	}
	n = kn_prober_count(nv->pr);
	for (i = 0; i < n; i++) {
		const struct kn_probe_result *r = kn_prober_get(nv->pr, i);

		left += r->checked_ms == 0 && r->ip.family != 0;
	}
	return kn_errf(errbuf, KN_ERR_AGAIN,
		       "port checks cut short after "
		       "%d ms: %zu of %zu ports not checked (shown as "
		       "skipped)",
		       limit_ms, left, n);
}

size_t
kn_nodeview_ports(struct kn_nodeview *nv, const char *node,
		  const struct kn_probe_result *const **out)
{
	struct kn_nv_range key, *hit;

	*out = NULL;
	if (node == NULL || nv->nranges == 0)
		return 0;
	key.node = node;
	hit = bsearch(&key, nv->ranges, nv->nranges, sizeof(*nv->ranges),
		      kn_nv_range_cmp);
	if (hit == NULL)
		return 0;
	*out = &nv->res[hit->first];
	return hit->n;
}

const struct kn_listener *
kn_nodeview_listener(struct kn_nodeview *nv, const char *node, uint16_t port)
{
	const struct kn_probe_result *const *rs;
	size_t n, i;

	if (!nv->have_ls || node == NULL || strcmp(node, nv->local) != 0)
		return NULL;
	n = kn_nodeview_ports(nv, node, &rs);
	for (i = 0; i < n; i++)
		if (rs[i]->port == port)
			return kn_listeners_find(&nv->ls, &rs[i]->ip, port);
	return NULL;
}

bool
kn_nodeview_demo(const struct kn_nodeview *nv)
{
	return nv->demo;
}

enum kn_probe_mode
kn_nodeview_mode(const struct kn_nodeview *nv)
{
	return nv->mode;
}

uint64_t
kn_nodeview_generation(const struct kn_nodeview *nv)
{
	if (nv->demo)
		return nv->canned_gen;
	return nv->pr != NULL ? kn_prober_generation(nv->pr) : 0;
}

bool
kn_nodeview_busy(const struct kn_nodeview *nv)
{
	return !nv->demo && nv->pr != NULL && kn_prober_busy(nv->pr);
}

int64_t
kn_nodeview_last_sweep(const struct kn_nodeview *nv)
{
	return nv->last_sweep_ms;
}

const char *
kn_nodeview_local_node(const struct kn_nodeview *nv)
{
	return nv->local_known ? nv->local : NULL;
}

/* ---- the node's own files against the cluster ---- */

static bool
kn_nv_domain_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la && a[la - 1] == '.')
		la--;
	if (lb && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* Pure: the kubelet's clusterDNS and clusterDomain against the kube-dns
 * service and the cluster domain; problems and notes appended to h. */
void
kn_nodeview_check_kubelet(const struct kn_model *m, const struct kn_kubelet *k,
			  struct kn_nv_host *h)
{
	struct kn_coredns info;
	char msg[512], svcip[KN_IPSTR] = "", who[256];
	size_t i, j;
	bool match = false, nodelocal = false;

	kn_model_coredns(m, &info);
	if (info.service != NULL && info.service->ncluster_ips)
		kn_ipaddr_format(&info.service->cluster_ips[0], svcip,
				 sizeof(svcip));
	for (i = 0; i < k->ncluster_dns && info.service != NULL; i++) {
		struct kn_ipaddr a;

		if (!kn_ipaddr_parse(k->cluster_dns[i], &a))
			continue;
		for (j = 0; j < info.service->ncluster_ips; j++)
			match |=
				kn_ipaddr_eq(&a, &info.service->cluster_ips[j]);
		/* NodeLocal DNSCache listens on a link-local address and
		 * forwards to kube-dns: a deliberate difference. */
		if (a.family == 4 && a.addr[0] == 169 && a.addr[1] == 254)
			nodelocal = true;
	}
	if (k->ncluster_dns > 0 && info.service != NULL && svcip[0] && !match &&
	    nodelocal) {
		snprintf(msg, sizeof(msg),
			 "kubelet clusterDNS %s is a "
			 "NodeLocal DNSCache address (it forwards to kube-dns "
			 "%s)",
			 k->cluster_dns[0], svcip);
		kn_strs_add(&h->notes, msg);
	} else if (k->ncluster_dns > 0 && info.service != NULL && svcip[0] &&
		   !match) {
		struct kn_ipaddr a = {0};
		struct kn_owner o = {0};

		if (kn_ipaddr_parse(k->cluster_dns[0], &a))
			o = kn_model_ip_owner(m, &a);
		if (o.obj != NULL)
			snprintf(who, sizeof(who), " (that address is %s/%s)",
				 o.obj->ns[0] ? o.obj->ns : "node",
				 o.obj->name);
		else
			snprintf(who, sizeof(who),
				 " (no service has that "
				 "address)");
		snprintf(msg, sizeof(msg),
			 "kubelet clusterDNS %s is not the "
			 "kube-dns ClusterIP %s%s: pods on this node send DNS "
			 "queries elsewhere",
			 k->cluster_dns[0], svcip, who);
		kn_strs_add(&h->problems, msg);
	} else if (k->ncluster_dns > 0 && info.service == NULL) {
		snprintf(msg, sizeof(msg),
			 "kubelet clusterDNS %s, but the "
			 "cluster has no kube-system/kube-dns service",
			 k->cluster_dns[0]);
		kn_strs_add(&h->problems, msg);
	}
	if (k->cluster_domain[0] != '\0' &&
	    !kn_nv_domain_eq(k->cluster_domain, info.domain)) {
		snprintf(msg, sizeof(msg),
			 "kubelet clusterDomain %s differs "
			 "from the cluster domain %s%s: pods search a zone "
			 "CoreDNS does not serve",
			 k->cluster_domain, info.domain,
			 info.from_corefile ? " (Corefile)"
					    : " (not from a Corefile)");
		kn_strs_add(&h->problems, msg);
	}
	kn_coredns_release(&info);
}

const struct kn_nv_host *
kn_nodeview_host(struct kn_nodeview *nv)
{
	struct kn_nv_host *h = &nv->host;
	const char *root = nv->cfg.host_root;
	char errbuf[KN_ERRBUF] = "";
	enum kn_err e;

	if (nv->host_read)
		return h;
	nv->host_read = true;
	if (nv->demo || kn_nv_model(nv) == NULL)
		return h;
	if (!nv->synced)
		kn_nodeview_sync(nv);
	if (!nv->local_known)
		kn_nv_local(nv);
	if (!nv->local_known && root == NULL)
		return h;
	h->present = true;
	h->node = nv->local_known ? nv->local : NULL;
	h->root = root != NULL ? root : "/";
	e = kn_cniconf_read(root, NULL, &h->cni, errbuf);
	h->have_cni = e == KN_OK;
	if (e != KN_OK)
		snprintf(h->cni_err, sizeof(h->cni_err), "%s", errbuf);
	kn_kubelet_init(&h->kubelet);
	errbuf[0] = '\0';
	e = kn_kubelet_read(root, &h->kubelet, errbuf);
	h->have_kubelet = e == KN_OK;
	if (e != KN_OK && e != KN_ERR_NOTFOUND)
		kn_strs_add(&h->problems, errbuf);
	if (h->have_kubelet)
		kn_nodeview_check_kubelet(kn_nv_model(nv), &h->kubelet, h);
	return h;
}
