/* What the cluster would make of the manifests: pods from templates on
 * the model's nodes, service addresses and node ports, EndpointSlices.
 *
 * - Pods: replicas of each template (a DaemonSet: one per node it
 *   tolerates), placed round-robin on schedulable nodes (control-plane
 *   nodes only for pods that tolerate them, or when there are no others;
 *   spec.nodeName wins), named as their controllers name them, with an
 *   address from the node's spec.podCIDR (else 10.244.N.0/24 for the
 *   N-th node), host-local IPAM's way: the first free address from .2.
 *   They are Running and Ready, with STATUS "Planned". A workload of the
 *   source with the same kind and name loses its pods to the planned ones.
 * - Services: a cluster IP from the /16 of the "kubernetes" service (else
 *   10.96.0.0/12), picked by a hash of the name so that it does not move
 *   when other services come or go; node ports likewise in 30000-32767.
 * - EndpointSlices, as the EndpointSlice controller makes them: for a
 *   planned service, of every pod its selector matches; for a service of
 *   the source, of the planned pods it matches (its own slices keep the
 *   rest). A named targetPort resolves per pod; pods that resolve the
 *   ports differently go to different slices. StatefulSet pods get their
 *   hostname in the slices of their governing service (stable DNS). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kube/objdecode.h"
#include "k8snet/alloc.h"
#include "k8snet/policy.h"
#include "plan_int.h"

/* The alphabet of generated name suffixes (k8s.io/apimachinery's
 * rand.String: no vowels, no 0/1/3 that read as letters). */
static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";

static uint64_t
fnv(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t
hash3(const char *a, const char *b, const char *c)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = fnv(fnv(h, a), "/");
	h = fnv(fnv(h, b), "/");
	return fnv(h, c);
}

static void
suffix(uint64_t h, char *out, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		out[i] = alphabet[h % (sizeof(alphabet) - 1)];
		h /= sizeof(alphabet) - 1;
		if (h == 0)
			h = 0x9e3779b97f4a7c15ULL ^ i;
	}
	out[n - 1] = '\0';
}

/* ---- addresses ---- */

struct cidr {
	struct kn_ipaddr base;
	uint8_t bits;
};

static bool
cidr_parse(const char *s, struct cidr *c)
{
	char buf[64], *slash, *end;
	long bits;
	int i, max;

	snprintf(buf, sizeof(buf), "%s", s);
	if ((slash = strchr(buf, ',')) != NULL)
		*slash = '\0'; /* "a/24,b/64": the first */
	if ((slash = strchr(buf, '/')) == NULL)
		return false;
	*slash = '\0';
	if (!kn_ipaddr_parse(buf, &c->base))
		return false;
	bits = strtol(slash + 1, &end, 10);
	max = c->base.family == 4 ? 32 : 128;
	if (*end != '\0' || bits < 0 || bits > max)
		return false;
	c->bits = (uint8_t)bits;
	for (i = 0; i < max / 8; i++) {
		int keep = (int)bits - i * 8;

		if (keep <= 0)
			c->base.addr[i] = 0;
		else if (keep < 8)
			c->base.addr[i] &= (uint8_t)(0xff << (8 - keep));
	}
	return true;
}

/* Addresses in c, capped at 2^40 (nobody walks further). */
static uint64_t
cidr_size(const struct cidr *c)
{
	int host = (c->base.family == 4 ? 32 : 128) - c->bits;

	return host >= 40 ? (uint64_t)1 << 40 : (uint64_t)1 << host;
}

static struct kn_ipaddr
ip_add(const struct kn_ipaddr *base, uint64_t off)
{
	struct kn_ipaddr ip = *base;
	int i = base->family == 4 ? 3 : 15;
	unsigned carry = 0;

	for (; i >= 0 && (off != 0 || carry != 0); i--) {
		unsigned v = ip.addr[i] + (unsigned)(off & 0xff) + carry;

		ip.addr[i] = (uint8_t)v;
		carry = v >> 8;
		off >>= 8;
	}
	return ip;
}

static bool
ip_free(const struct kn_model *m, const struct kn_ipaddr *ip)
{
	return kn_model_ip_owner(m, ip).kind == KN_OWNER_NONE;
}

static void
ip_text(const struct kn_ipaddr *ip, char *buf)
{
	if (ip->family == 0)
		buf[0] = '\0';
	else
		kn_ipaddr_format(ip, buf, KN_IPSTR);
}

/* ---- JSON helpers (cJSON fails only when memory runs out: the
 * caller checks the object at the end) ---- */

static void
set_str(cJSON *o, const char *k, const char *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, k);
	if (v != NULL && *v != '\0')
		cJSON_AddStringToObject(o, k, v);
}

static void
set_num(cJSON *o, const char *k, double v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, k);
	cJSON_AddNumberToObject(o, k, v);
}

static cJSON *
obj_in(cJSON *o, const char *k)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	if (cJSON_IsObject(v))
		return v;
	cJSON_DeleteItemFromObjectCaseSensitive(o, k);
	return cJSON_AddObjectToObject(o, k);
}

static const char *
proto_text(uint8_t p)
{
	return kn_proto_name(p);
}

/* ---- nodes ---- */

struct slot {
	const struct kn_node *node;
	struct cidr cidr;
	uint64_t next, size;
	bool control_plane;
};

struct place {
	struct kn_plan *p;
	struct kn_model *m;
	struct slot *slots;
	size_t nslots;
	size_t *sched; /* slots pods go to */
	size_t nsched;
	size_t rr;
};

static bool
is_control_plane(const struct kn_node *n)
{
	uint16_t i;

	for (i = 0; i < n->nroles; i++)
		if (strcmp(n->roles[i], "control-plane") == 0 ||
		    strcmp(n->roles[i], "master") == 0)
			return true;
	return false;
}

static enum kn_err
planned_node(struct kn_plan *p)
{
	char eb[KN_ERRBUF];
	cJSON *j = cJSON_Parse(
		"{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":"
		"{\"name\":\"" KN_PLAN_NODE "\",\"labels\":{\"kubernetes.io/"
		"hostname\":\"" KN_PLAN_NODE "\"}},\"spec\":{\"podCIDR\":"
		"\"" KN_PLAN_NODE_CIDR
		"\"},\"status\":{\"conditions\":[{\"type\":"
		"\"Ready\",\"status\":\"True\"}]}}");
	enum kn_err e;

	if (j == NULL)
		return KN_ERR_NOMEM;
	e = kn_objdecode_plan(p->m, "Node", j, eb);
	cJSON_Delete(j);
	if (e == KN_OK)
		p->st.nodes++;
	return e == KN_ERR_NOMEM ? e : KN_OK;
}

static enum kn_err
slots_init(struct place *pl)
{
	struct kn_obj **nodes;
	struct slot *s;
	size_t n, i;
	char def[32];
	bool others = false;
	enum kn_err e;

	if (kn_model_count(pl->m, KN_NODE) == 0 &&
	    (e = planned_node(pl->p)) != KN_OK)
		return e;
	n = kn_model_list(pl->m, KN_NODE, NULL, &nodes);
	pl->slots = kn_xcalloc(n ? n : 1, sizeof(*pl->slots));
	pl->sched = kn_xcalloc(n ? n : 1, sizeof(*pl->sched));
	for (i = 0; i < n; i++) {
		s = &pl->slots[i];
		s->node = (const struct kn_node *)nodes[i];
		snprintf(def, sizeof(def), "10.%zu.%zu.0/24",
			 244 + i / 256 % 12, i % 256);
		if (s->node->pod_cidr == NULL ||
		    !cidr_parse(s->node->pod_cidr, &s->cidr))
			cidr_parse(def, &s->cidr);
		s->size = cidr_size(&s->cidr);
		s->next = 2; /* the network, then the bridge's gateway */
		s->control_plane = is_control_plane(s->node);
		others |= !s->control_plane && !s->node->unschedulable;
	}
	pl->nslots = n;
	for (i = 0; i < n; i++) {
		s = &pl->slots[i];
		if (!s->node->unschedulable && (!others || !s->control_plane))
			pl->sched[pl->nsched++] = i;
	}
	if (pl->nsched == 0) /* every node cordoned: show them anyway */
		for (i = 0; i < n; i++)
			pl->sched[pl->nsched++] = i;
	free(nodes);
	return KN_OK;
}

static struct slot *
slot_named(struct place *pl, const char *name)
{
	size_t i;

	for (i = 0; i < pl->nslots; i++)
		if (strcmp(pl->slots[i].node->o.name, name) == 0)
			return &pl->slots[i];
	return NULL;
}

static struct kn_ipaddr
slot_ip(struct place *pl, struct slot *s)
{
	struct kn_ipaddr ip;

	while (s->next + 1 < s->size) {
		ip = ip_add(&s->cidr.base, s->next++);
		if (ip_free(pl->m, &ip))
			return ip;
	}
	memset(&ip, 0, sizeof(ip));
	return ip;
}

/* ---- the source's pods that planned workloads replace ---- */

struct owned {
	const char *ns;
	const char *kind;  /* workload kind */
	const char *wname; /* workload name: wlen bytes of it */
	size_t wlen;
	const char *pod;
};

static int
owned_cmp(const void *a, const void *b)
{
	const struct owned *x = a, *y = b;
	size_t n = x->wlen < y->wlen ? x->wlen : y->wlen;
	int c;

	if (x->ns != y->ns)
		return x->ns < y->ns ? -1 : 1;
	if ((c = strcmp(x->kind, y->kind)) != 0)
		return c;
	if ((c = memcmp(x->wname, y->wname, n)) != 0)
		return c;
	return x->wlen < y->wlen ? -1 : x->wlen > y->wlen;
}

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static const char *const wl_names[] = {
	[WL_POD] = "Pod",
	[WL_DEPLOYMENT] = "Deployment",
	[WL_REPLICASET] = "ReplicaSet",
	[WL_STATEFULSET] = "StatefulSet",
	[WL_DAEMONSET] = "DaemonSet",
	[WL_JOB] = "Job",
	[WL_CRONJOB] = "CronJob",
	[WL_RC] = "ReplicationController",
};

static void
replace_pods(struct place *pl)
{
	struct kn_plan *p = pl->p;
	struct kn_obj **pods;
	struct owned *own, key, *hit;
	const struct kn_pod *pod;
	const char *dash;
	char **gone = NULL;
	const char **gone_ns = NULL;
	size_t n, i, k = 0, ngone = 0;

	if (p->ntmpls == 0 || kn_model_count(pl->m, KN_POD) == 0)
		return;
	n = kn_model_list(pl->m, KN_POD, NULL, &pods);
	own = kn_xcalloc(2 * n + 1, sizeof(*own));
	for (i = 0; i < n; i++) {
		pod = (const struct kn_pod *)pods[i];
		if (pod->o.planned || pod->owner_kind == NULL)
			continue;
		own[k] = (struct owned){pod->o.ns, pod->owner_kind,
					pod->owner_name,
					strlen(pod->owner_name), pod->o.name};
		k++;
		dash = strrchr(pod->owner_name, '-');
		if (dash == NULL)
			continue;
		/* a Deployment's ReplicaSet NAME-HASH, a CronJob's Job
		 * NAME-MINUTES */
		if (strcmp(pod->owner_kind, "ReplicaSet") == 0)
			own[k++] = (struct owned){
				pod->o.ns, "Deployment", pod->owner_name,
				(size_t)(dash - pod->owner_name), pod->o.name};
		else if (strcmp(pod->owner_kind, "Job") == 0 &&
			 all_digits(dash + 1))
			own[k++] = (struct owned){
				pod->o.ns, "CronJob", pod->owner_name,
				(size_t)(dash - pod->owner_name), pod->o.name};
	}
	qsort(own, k, sizeof(*own), owned_cmp);
	gone = kn_xcalloc(k + 1, sizeof(*gone));
	gone_ns = kn_xcalloc(k + 1, sizeof(*gone_ns));
	for (i = 0; i < p->ntmpls && k > 0; i++) {
		const struct plan_tmpl *t = &p->tmpls[i];

		if (t->wl == WL_POD)
			continue;
		key = (struct owned){t->ns, wl_names[t->wl], t->name,
				     strlen(t->name), NULL};
		hit = bsearch(&key, own, k, sizeof(*own), owned_cmp);
		if (hit == NULL)
			continue;
		while (hit > own && owned_cmp(hit - 1, &key) == 0)
			hit--;
		for (; hit < own + k && owned_cmp(hit, &key) == 0; hit++) {
			gone_ns[ngone] = hit->ns;
			gone[ngone++] = kn_xstrdup(hit->pod);
		}
	}
	free(own);
	free(pods);
	for (i = 0; i < ngone; i++) {
		p->st.replaced +=
			kn_model_delete(pl->m, KN_POD, gone_ns[i], gone[i]);
		free(gone[i]);
	}
	free(gone);
	free(gone_ns);
}

/* ---- pods ---- */

static void
add_label(cJSON *labels, const char *k, const char *v)
{
	set_str(labels, k, v);
}

/* The pod every replica of t starts from. */
static cJSON *
pod_proto(const struct plan_tmpl *t, const char *owner_kind,
	  const char *owner_name)
{
	cJSON *pod = cJSON_CreateObject(), *md, *labels, *spec, *conts, *c;
	cJSON *ports, *pt, *st, *cs, *x;
	char name[16];
	uint16_t i;

	cJSON_AddStringToObject(pod, "apiVersion", "v1");
	cJSON_AddStringToObject(pod, "kind", "Pod");
	md = cJSON_AddObjectToObject(pod, "metadata");
	cJSON_AddStringToObject(md, "namespace", t->ns);
	labels = cJSON_AddObjectToObject(md, "labels");
	for (i = 0; i < t->nlabels; i++)
		cJSON_AddStringToObject(labels, t->labels[i].key,
					t->labels[i].value);
	if (owner_kind != NULL) {
		x = cJSON_AddArrayToObject(md, "ownerReferences");
		c = cJSON_CreateObject();
		cJSON_AddItemToArray(x, c);
		cJSON_AddStringToObject(c, "kind", owner_kind);
		cJSON_AddStringToObject(c, "name", owner_name);
		cJSON_AddTrueToObject(c, "controller");
	}
	spec = cJSON_AddObjectToObject(pod, "spec");
	cJSON_AddBoolToObject(spec, "hostNetwork", t->host_network);
	conts = cJSON_AddArrayToObject(spec, "containers");
	st = cJSON_AddObjectToObject(pod, "status");
	cJSON_AddStringToObject(st, "phase", "Running");
	cJSON_AddStringToObject(st, "reason", "Planned");
	x = cJSON_AddArrayToObject(st, "conditions");
	c = cJSON_CreateObject();
	cJSON_AddItemToArray(x, c);
	cJSON_AddStringToObject(c, "type", "Ready");
	cJSON_AddStringToObject(c, "status", "True");
	cs = cJSON_AddArrayToObject(st, "containerStatuses");
	for (i = 0; i < (t->ncontainers ? t->ncontainers : 1); i++) {
		snprintf(name, sizeof(name), "c%u", (unsigned)i);
		c = cJSON_CreateObject();
		cJSON_AddItemToArray(conts, c);
		cJSON_AddStringToObject(c, "name", name);
		x = cJSON_CreateObject();
		cJSON_AddItemToArray(cs, x);
		cJSON_AddStringToObject(x, "name", name);
		cJSON_AddTrueToObject(x, "ready");
		cJSON_AddTrueToObject(x, "started");
		cJSON_AddNumberToObject(x, "restartCount", 0);
		cJSON_AddObjectToObject(cJSON_AddObjectToObject(x, "state"),
					"running");
		if (i > 0 || t->nports == 0)
			continue;
		/* the ports of every container on the first: the model
		 * keeps them flat */
		ports = cJSON_AddArrayToObject(c, "ports");
		for (uint16_t k = 0; k < t->nports; k++) {
			pt = cJSON_CreateObject();
			cJSON_AddItemToArray(ports, pt);
			if (t->ports[k].name != NULL)
				cJSON_AddStringToObject(pt, "name",
							t->ports[k].name);
			cJSON_AddNumberToObject(pt, "containerPort",
						t->ports[k].port);
			cJSON_AddStringToObject(pt, "protocol",
						proto_text(t->ports[k].proto));
		}
	}
	return pod;
}

static enum kn_err
pod_put(struct place *pl, uint32_t ti, cJSON *pod, const char *name,
	struct slot *s, const char *node)
{
	struct kn_plan *p = pl->p;
	const struct plan_tmpl *t = &p->tmpls[ti];
	cJSON *md = obj_in(pod, "metadata"), *spec = obj_in(pod, "spec");
	cJSON *st = obj_in(pod, "status"), *ips;
	struct kn_ipaddr ip, host;
	char ipb[KN_IPSTR], hostb[KN_IPSTR];
	struct plan_pod *pp;
	enum kn_err e;
	size_t k;

	memset(&host, 0, sizeof(host));
	if (s != NULL)
		host = s->node->internal_ip;
	memset(&ip, 0, sizeof(ip));
	if (t->host_network)
		ip = host;
	else if (s != NULL)
		ip = slot_ip(pl, s);
	/* a node whose CIDR is full: the next with room, as the
	 * scheduler would move on (address and node go together) */
	for (k = 0;
	     ip.family == 0 && !t->host_network && s != NULL &&
	     t->node_name == NULL && t->wl != WL_DAEMONSET && k < pl->nsched;
	     k++) {
		s = &pl->slots[pl->sched[pl->rr++ % pl->nsched]];
		ip = slot_ip(pl, s);
		host = s->node->internal_ip;
		node = s->node->o.name;
	}
	ip_text(&ip, ipb);
	ip_text(&host, hostb);
	set_str(md, "name", name);
	set_str(spec, "nodeName", node);
	if (t->wl == WL_STATEFULSET) {
		set_str(spec, "hostname", name);
		set_str(spec, "subdomain", t->service_name);
		add_label(obj_in(md, "labels"),
			  "statefulset.kubernetes.io/pod-name", name);
	}
	set_str(st, "podIP", ipb);
	set_str(st, "hostIP", hostb);
	cJSON_DeleteItemFromObjectCaseSensitive(st, "podIPs");
	ips = cJSON_AddArrayToObject(st, "podIPs");
	if (ip.family != 0 && ips != NULL) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToArray(ips, o);
		cJSON_AddStringToObject(o, "ip", ipb);
	}
	if ((e = plan_decode(p, t->rec, "Pod", pod)) != KN_OK)
		return e;
	if (p->npods == p->cappods) {
		p->cappods = p->cappods ? p->cappods * 2 : 256;
		p->pods =
			kn_xreallocarray(p->pods, p->cappods, sizeof(*p->pods));
	}
	pp = &p->pods[p->npods++];
	pp->ns = t->ns;
	pp->name = kn_model_intern(pl->m, name);
	pp->node = node != NULL ? kn_model_intern(pl->m, node) : NULL;
	pp->tmpl = ti;
	p->st.pods++;
	return KN_OK;
}

static bool
tolerated(const struct plan_tmpl *t, const struct slot *s)
{
	return !s->control_plane || t->control_plane;
}

/* The pods of template ti. */
static enum kn_err
place_tmpl(struct place *pl, uint32_t ti)
{
	const struct plan_tmpl *t = &pl->p->tmpls[ti];
	const char *okind = NULL, *oname = NULL;
	char owner[320], name[400], suf[6], hash[11], idx[24];
	struct slot *s;
	size_t i, n = t->replicas;
	cJSON *pod;
	enum kn_err e = KN_OK;

	switch (t->wl) {
	case WL_POD:
		break;
	case WL_DEPLOYMENT:
		suffix(hash3(t->ns, t->name, "pod-template-hash"), hash,
		       sizeof(hash));
		snprintf(owner, sizeof(owner), "%s-%s", t->name, hash);
		okind = "ReplicaSet";
		oname = owner;
		break;
	case WL_CRONJOB:
		snprintf(owner, sizeof(owner), "%s-%08llu", t->name,
			 (unsigned long long)(hash3(t->ns, t->name, "job") %
					      100000000ULL));
		okind = "Job";
		oname = owner;
		break;
	default:
		okind = wl_names[t->wl];
		oname = t->name;
		break;
	}
	pod = pod_proto(t, okind, oname);
	if (t->wl == WL_DEPLOYMENT)
		add_label(obj_in(obj_in(pod, "metadata"), "labels"),
			  "pod-template-hash", hash);
	if (t->wl == WL_JOB || t->wl == WL_CRONJOB)
		add_label(obj_in(obj_in(pod, "metadata"), "labels"), "job-name",
			  oname);
	if (t->wl == WL_DAEMONSET)
		n = pl->nslots;
	for (i = 0; i < n && e == KN_OK; i++) {
		/* the same names run after run: a hash of the replica */
		snprintf(idx, sizeof(idx), "%zu", i);
		suffix(hash3(t->ns, oname != NULL ? oname : t->name,
			     t->wl == WL_DAEMONSET ? pl->slots[i].node->o.name
						   : idx),
		       suf, sizeof(suf));
		if (t->wl == WL_POD)
			snprintf(name, sizeof(name), "%s", t->name);
		else if (t->wl == WL_STATEFULSET)
			snprintf(name, sizeof(name), "%s-%zu", t->name, i);
		else
			snprintf(name, sizeof(name), "%s-%s", oname, suf);
		if (t->wl == WL_DAEMONSET) {
			s = &pl->slots[i];
			if (!tolerated(t, s))
				continue;
		} else if (t->node_name != NULL) {
			s = slot_named(pl, t->node_name);
		} else {
			s = &pl->slots[pl->sched[pl->rr++ % pl->nsched]];
			if (!tolerated(t, s) && pl->nsched > 1)
				s = &pl->slots[pl->sched[pl->rr++ %
							 pl->nsched]];
		}
		e = pod_put(pl, ti, pod, name, s,
			    s != NULL ? s->node->o.name : t->node_name);
	}
	cJSON_Delete(pod);
	return e;
}

enum kn_err
plan_place(struct kn_plan *p)
{
	struct place pl;
	enum kn_err e;
	size_t i;

	memset(&pl, 0, sizeof(pl));
	pl.p = p;
	pl.m = p->m;
	if (p->ntmpls == 0)
		return KN_OK;
	if ((e = slots_init(&pl)) != KN_OK)
		return e;
	replace_pods(&pl);
	for (i = 0; i < p->ntmpls && e == KN_OK; i++)
		e = place_tmpl(&pl, (uint32_t)i);
	plan_pods_sort(p);
	free(pl.slots);
	free(pl.sched);
	return e;
}

/* ---- services ---- */

static void
service_cidr(const struct kn_model *m, struct cidr *c)
{
	const struct kn_service *k = (const struct kn_service *)kn_model_find(
		m, KN_SERVICE, "default", "kubernetes");

	if (k != NULL && k->ncluster_ips > 0 && k->cluster_ips[0].family == 4 &&
	    !k->o.planned) {
		c->base = k->cluster_ips[0];
		c->base.addr[2] = c->base.addr[3] = 0;
		c->bits = 16;
		return;
	}
	cidr_parse(KN_PLAN_SERVICE_CIDR, c);
}

#define NP_LO 30000
#define NP_N 2768

static bool
svc_node_ports(const cJSON *spec)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(spec, "type");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(
		spec, "allocateLoadBalancerNodePorts");

	if (!cJSON_IsString(t))
		return false;
	if (strcmp(t->valuestring, "NodePort") == 0)
		return true;
	return strcmp(t->valuestring, "LoadBalancer") == 0 && !cJSON_IsFalse(a);
}

static bool
used_port(struct kn_obj *o, void *arg)
{
	const struct kn_service *s = (const struct kn_service *)o;
	uint8_t *used = arg;
	uint16_t i;

	for (i = 0; i < s->nports; i++)
		used[s->ports[i].node_port] = 1;
	return true;
}

static void
svc_alloc(struct kn_plan *p, cJSON *obj, const struct cidr *c, uint8_t *used)
{
	cJSON *spec = obj_in(obj, "spec"), *pt, *ips;
	const cJSON *cip = cJSON_GetObjectItemCaseSensitive(spec, "clusterIP");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(spec, "type");
	struct kn_ipaddr ip;
	char ipb[KN_IPSTR], idx[16];
	uint64_t size = cidr_size(c), off, tries;
	int k = 0;

	if ((!cJSON_IsString(cip) || cip->valuestring[0] == '\0') &&
	    !(cJSON_IsString(type) &&
	      strcmp(type->valuestring, "ExternalName") == 0) &&
	    size > 3) {
		const cJSON *md =
			cJSON_GetObjectItemCaseSensitive(obj, "metadata");
		const cJSON *ns =
			cJSON_GetObjectItemCaseSensitive(md, "namespace");
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(md, "name");

		off = hash3(cJSON_IsString(ns) ? ns->valuestring : "",
			    cJSON_IsString(nm) ? nm->valuestring : "",
			    "clusterIP") %
			      (size - 2) +
		      1;
		memset(&ip, 0, sizeof(ip));
		for (tries = 0; tries < size; tries++) {
			ip = ip_add(&c->base, off);
			if (ip_free(p->m, &ip))
				break;
			off = off + 1 >= size - 1 ? 1 : off + 1;
			ip.family = 0;
		}
		if (ip.family != 0) {
			ip_text(&ip, ipb);
			set_str(spec, "clusterIP", ipb);
			cJSON_DeleteItemFromObjectCaseSensitive(spec,
								"clusterIPs");
			ips = cJSON_AddArrayToObject(spec, "clusterIPs");
			cJSON_AddItemToArray(ips, cJSON_CreateString(ipb));
		}
	}
	if (!svc_node_ports(spec))
		return;
	cJSON_ArrayForEach(pt, cJSON_GetObjectItemCaseSensitive(spec, "ports"))
	{
		const cJSON *md =
			cJSON_GetObjectItemCaseSensitive(obj, "metadata");
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(md, "name");

		snprintf(idx, sizeof(idx), "%d", k++);
		if (!cJSON_IsObject(pt) ||
		    cJSON_GetObjectItemCaseSensitive(pt, "nodePort") != NULL)
			continue;
		off = hash3(cJSON_IsString(nm) ? nm->valuestring : "", idx,
			    "nodePort") %
		      NP_N;
		for (tries = 0; tries < NP_N && used[NP_LO + off]; tries++)
			off = (off + 1) % NP_N;
		if (used[NP_LO + off])
			continue;
		used[NP_LO + off] = 1;
		set_num(pt, "nodePort", (double)(NP_LO + off));
	}
}

enum kn_err
plan_services(struct kn_plan *p)
{
	uint8_t *used;
	struct cidr c;
	const cJSON *pt;
	enum kn_err e = KN_OK;
	size_t i;

	if (p->nsvcs == 0)
		return KN_OK;
	service_cidr(p->m, &c);
	used = kn_xcalloc(65536, 1);
	kn_model_each(p->m, KN_SERVICE, used_port, used);
	used[0] = 0;
	for (i = 0; i < p->nsvcs; i++)
		cJSON_ArrayForEach(pt, cJSON_GetObjectItemCaseSensitive(
					       cJSON_GetObjectItemCaseSensitive(
						       p->svcs[i], "spec"),
					       "ports"))
		{
			const cJSON *np = cJSON_GetObjectItemCaseSensitive(
				pt, "nodePort");

			if (cJSON_IsNumber(np) && np->valuedouble >= 0 &&
			    np->valuedouble < 65536)
				used[(int)np->valuedouble] = 1;
		}
	for (i = 0; i < p->nsvcs && e == KN_OK; i++) {
		svc_alloc(p, p->svcs[i], &c, used);
		e = plan_decode(p, p->svc_recs[i], "Service", p->svcs[i]);
		p->st.services++;
	}
	free(used);
	return e;
}

/* ---- EndpointSlices ---- */

/* The ports pod serves for svc (0: the pod does not resolve it). */
static void
resolve_ports(const struct kn_service *svc, const struct kn_pod *pod,
	      uint16_t *out)
{
	uint16_t i;

	for (i = 0; i < svc->nports; i++) {
		const struct kn_svc_port *sp = &svc->ports[i];

		out[i] = sp->target_name != NULL
				 ? kn_np_named_port(pod, sp->target_name,
						    sp->proto)
				 : sp->target_port;
	}
}

struct group {
	uint16_t *ports; /* svc->nports */
	uint8_t family;
	cJSON *eps;
	size_t n;
};

static cJSON *
endpoint(const struct kn_plan *p, const struct kn_service *svc,
	 const struct kn_pod *pod)
{
	const struct plan_tmpl *t = plan_tmpl_of(p, pod);
	cJSON *e = cJSON_CreateObject(), *a, *c, *ref;
	char ipb[KN_IPSTR];
	bool ready = pod->o.planned || pod->ready;

	ip_text(&pod->ips[0], ipb);
	a = cJSON_AddArrayToObject(e, "addresses");
	cJSON_AddItemToArray(a, cJSON_CreateString(ipb));
	c = cJSON_AddObjectToObject(e, "conditions");
	cJSON_AddBoolToObject(c, "ready", ready && !pod->terminating);
	cJSON_AddBoolToObject(c, "serving", ready);
	cJSON_AddBoolToObject(c, "terminating", pod->terminating);
	/* the hostname of a pod whose subdomain is this service */
	if (t != NULL && t->wl == WL_STATEFULSET && t->service_name != NULL &&
	    strcmp(t->service_name, svc->o.name) == 0)
		cJSON_AddStringToObject(e, "hostname", pod->o.name);
	else if (t != NULL && t->hostname != NULL && t->subdomain != NULL &&
		 strcmp(t->subdomain, svc->o.name) == 0)
		cJSON_AddStringToObject(e, "hostname", t->hostname);
	if (pod->node != NULL)
		cJSON_AddStringToObject(e, "nodeName", pod->node);
	ref = cJSON_AddObjectToObject(e, "targetRef");
	cJSON_AddStringToObject(ref, "kind", "Pod");
	cJSON_AddStringToObject(ref, "namespace", pod->o.ns);
	cJSON_AddStringToObject(ref, "name", pod->o.name);
	return e;
}

static enum kn_err
put_slice(struct kn_plan *p, const struct kn_service *svc, struct group *g,
	  size_t k)
{
	cJSON *s = cJSON_CreateObject(), *md, *l, *ports, *pt;
	char name[400], suf[6], idx[24], eb[KN_ERRBUF];
	enum kn_err e;
	uint16_t i;

	snprintf(idx, sizeof(idx), "%zu", k);
	suffix(hash3(svc->o.ns, svc->o.name, idx), suf, sizeof(suf));
	snprintf(name, sizeof(name), "%s-%s", svc->o.name, suf);
	cJSON_AddStringToObject(s, "apiVersion", "discovery.k8s.io/v1");
	cJSON_AddStringToObject(s, "kind", "EndpointSlice");
	md = cJSON_AddObjectToObject(s, "metadata");
	cJSON_AddStringToObject(md, "name", name);
	cJSON_AddStringToObject(md, "namespace", svc->o.ns);
	l = cJSON_AddObjectToObject(md, "labels");
	cJSON_AddStringToObject(l, "kubernetes.io/service-name", svc->o.name);
	cJSON_AddStringToObject(s, "addressType",
				g->family == 6 ? "IPv6" : "IPv4");
	cJSON_AddItemToObject(s, "endpoints", g->eps);
	g->eps = NULL;
	ports = cJSON_AddArrayToObject(s, "ports");
	for (i = 0; i < svc->nports; i++) {
		if (g->ports[i] == 0)
			continue;
		pt = cJSON_CreateObject();
		cJSON_AddItemToArray(ports, pt);
		if (svc->ports[i].name != NULL)
			cJSON_AddStringToObject(pt, "name", svc->ports[i].name);
		cJSON_AddNumberToObject(pt, "port", g->ports[i]);
		cJSON_AddStringToObject(pt, "protocol",
					proto_text(svc->ports[i].proto));
	}
	e = kn_objdecode_plan(p->m, "EndpointSlice", s, eb);
	cJSON_Delete(s);
	if (e == KN_OK)
		p->st.slices++;
	return e == KN_ERR_NOMEM ? e : KN_OK;
}

/* The service's own slices go: the planned selector decides. */
static void
drop_slices(struct kn_plan *p, const struct kn_service *svc)
{
	struct kn_slice *const *sl;
	char **names;
	size_t n = kn_model_service_slices(p->m, svc, &sl), i, k = 0;

	if (n == 0)
		return;
	names = kn_xcalloc(n, sizeof(*names));
	for (i = 0; i < n; i++)
		if (sl[i]->o.kind == KN_SLICE && !sl[i]->o.planned)
			names[k++] = kn_xstrdup(sl[i]->o.name);
	for (i = 0; i < k; i++) {
		kn_model_delete(p->m, KN_SLICE, svc->o.ns, names[i]);
		free(names[i]);
	}
	free(names);
}

static enum kn_err
slices_of(struct kn_plan *p, const struct kn_service *svc)
{
	struct kn_pod **pods;
	struct group *g = NULL;
	uint16_t *ports;
	size_t n, i, k, ng = 0;
	bool any = false;
	enum kn_err e = KN_OK;

	if (!svc->has_selector || svc->type == KN_SVC_EXTERNALNAME)
		return KN_OK;
	n = kn_model_select_pods(p->m, svc->o.ns, svc->selector, svc->nselector,
				 &pods);
	for (i = 0; i < n && !any; i++)
		any = pods[i]->o.planned;
	if (!svc->o.planned && !any) {
		free(pods);
		return KN_OK;
	}
	if (svc->o.planned)
		drop_slices(p, svc);
	g = kn_xcalloc(n + 1, sizeof(*g));
	ports = kn_xcalloc(svc->nports + 1u, sizeof(*ports));
	for (i = 0; i < n; i++) {
		const struct kn_pod *pod = pods[i];

		if (pod->nips == 0 || (!svc->o.planned && !pod->o.planned))
			continue;
		resolve_ports(svc, pod, ports);
		for (k = 0; k < ng; k++)
			if (g[k].family == pod->ips[0].family &&
			    memcmp(g[k].ports, ports,
				   svc->nports * sizeof(*ports)) == 0)
				break;
		if (k == ng) {
			g[ng].ports =
				kn_xcalloc(svc->nports + 1u, sizeof(*ports));
			memcpy(g[ng].ports, ports,
			       svc->nports * sizeof(*ports));
			g[ng].family = pod->ips[0].family;
			g[ng].eps = cJSON_CreateArray();
			ng++;
		}
		cJSON_AddItemToArray(g[k].eps, endpoint(p, svc, pod));
		g[k].n++;
	}
	for (k = 0; k < ng; k++) {
		if (e == KN_OK)
			e = put_slice(p, svc, &g[k], k);
		cJSON_Delete(g[k].eps);
		free(g[k].ports);
	}
	free(g);
	free(ports);
	free(pods);
	return e;
}

enum kn_err
plan_slices(struct kn_plan *p)
{
	struct kn_obj **svcs;
	size_t n, i;
	enum kn_err e = KN_OK;

	n = kn_model_list(p->m, KN_SERVICE, NULL, &svcs);
	for (i = 0; i < n && e == KN_OK; i++)
		e = slices_of(p, (const struct kn_service *)svcs[i]);
	free(svcs);
	return e;
}
