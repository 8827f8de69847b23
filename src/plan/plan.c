/* Manifests into the model: every object read is recorded with its file
 * and line, put into the model as planned, and each workload's pod
 * template kept for plan_place.c, which makes the pods, addresses and
 * EndpointSlices the cluster would make of them.
 *
 * Namespaces as `kubectl apply` places objects: metadata.namespace, else
 * the -n namespace, else "default". An object the API would refuse (a
 * field of the wrong type, a selector its template does not match) is a
 * finding, not an error: the rest is planned. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kube/objdecode.h"
#include "../kube/yamljson.h"
#include "k8snet/alloc.h"
#include "plan_int.h"

/* ---- findings and records ---- */

void
kn_findings_clear(struct kn_findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i].message);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

void
plan_finding(struct kn_findings *out, const char *check, const char *kind,
	     const char *ns, const char *name, const char *file, unsigned line,
	     const char *fmt, ...)
{
	struct kn_finding *f;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 16;
		out->v = kn_xreallocarray(out->v, out->cap, sizeof(*out->v));
	}
	f = &out->v[out->n++];
	f->check = check;
	f->kind = kind;
	f->ns = ns != NULL ? ns : "";
	f->name = name != NULL ? name : "";
	f->file = file;
	f->line = file != NULL ? line : 0;
	f->message = kn_xstrdup(msg);
}

static uint32_t
rec_add(struct kn_plan *p, const char *kind, const char *ns, const char *name,
	const char *file, unsigned line)
{
	struct kn_model *m = p->m;
	struct plan_rec *r;

	if (p->nrecs == p->caprecs) {
		p->caprecs = p->caprecs ? p->caprecs * 2 : 256;
		p->recs =
			kn_xreallocarray(p->recs, p->caprecs, sizeof(*p->recs));
	}
	r = &p->recs[p->nrecs];
	r->kind = kn_model_intern(m, kind);
	r->ns = kn_model_intern(m, ns != NULL ? ns : "");
	r->name = kn_model_intern(m, name != NULL ? name : "");
	r->file = kn_model_intern(m, file);
	r->line = line;
	r->mkind = (int16_t)kn_kind_from_name(kind);
	return (uint32_t)p->nrecs++;
}

static int
rec_cmp(const struct plan_rec *x, const struct plan_rec *y)
{
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->ns != y->ns)
		return x->ns < y->ns ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
recp_cmp(const void *a, const void *b)
{
	const struct plan_rec *const *x = a, *const *y = b;
	int c = rec_cmp(*x, *y);

	/* equal objects in the order they were read */
	if (c == 0 && *x != *y)
		c = *x < *y ? -1 : 1;
	return c;
}

static int
recp_find(const void *key, const void *elt)
{
	return rec_cmp(key, *(const struct plan_rec *const *)elt);
}

const struct plan_rec *
plan_rec_of(const struct kn_plan *p, const struct kn_obj *o)
{
	const struct plan_rec *const *hit;
	struct plan_rec key;

	if (p == NULL || p->m == NULL || p->sorted == NULL)
		return NULL;
	key.kind = kn_model_intern(p->m, kn_kind_name((enum kn_kind)o->kind));
	key.ns = o->ns;
	key.name = o->name;
	hit = bsearch(&key, p->sorted, p->nrecs, sizeof(*p->sorted), recp_find);
	/* the last one written is the one planned */
	while (hit != NULL && hit + 1 < p->sorted + p->nrecs &&
	       rec_cmp(hit[0], hit[1]) == 0)
		hit++;
	return hit != NULL ? *hit : NULL;
}

static int
pod_cmp(const void *a, const void *b)
{
	const struct plan_pod *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns < y->ns ? -1 : 1;
	return strcmp(x->name, y->name);
}

const struct plan_tmpl *
plan_tmpl_of(const struct kn_plan *p, const struct kn_pod *pod)
{
	struct plan_pod key, *hit;

	if (p == NULL || !pod->o.planned || p->npods == 0)
		return NULL;
	key.ns = pod->o.ns;
	key.name = pod->o.name;
	hit = bsearch(&key, p->pods, p->npods, sizeof(key), pod_cmp);
	return hit != NULL ? &p->tmpls[hit->tmpl] : NULL;
}

/* Records sorted for lookups; an object written twice is a finding
 * (the later one wins, as a second `kubectl apply` would). */
static void
recs_finish(struct kn_plan *p)
{
	const struct plan_rec *r, *was;
	size_t i;

	free(p->sorted);
	p->sorted = kn_xcalloc(p->nrecs ? p->nrecs : 1, sizeof(*p->sorted));
	for (i = 0; i < p->nrecs; i++)
		p->sorted[i] = &p->recs[i];
	if (p->nrecs > 1)
		qsort(p->sorted, p->nrecs, sizeof(*p->sorted), recp_cmp);
	for (i = 1; i < p->nrecs; i++) {
		r = p->sorted[i];
		was = p->sorted[i - 1];
		if (rec_cmp(was, r) != 0 || *r->name == '\0')
			continue;
		plan_finding(&p->found, "duplicate-object", r->kind, r->ns,
			     r->name, r->file, r->line,
			     "%s %s%s%s is also written at %s:%u; this one "
			     "wins",
			     r->kind, r->ns, *r->ns ? "/" : "", r->name,
			     was->file, was->line);
	}
}

void
plan_pods_sort(struct kn_plan *p)
{
	if (p->npods > 1)
		qsort(p->pods, p->npods, sizeof(*p->pods), pod_cmp);
}

/* ---- reading one object ---- */

struct rd {
	struct kn_plan *p;
	const char *file; /* interned */
	unsigned line;
	uint32_t rec;
	const cJSON *obj;
};

void
plan_refused(struct kn_plan *p, uint32_t rec, const cJSON *obj,
	     const char *path, const char *what)
{
	const struct plan_rec *r = &p->recs[rec];
	unsigned line = kn_yaml_path_line(obj, path);

	plan_finding(&p->found, "invalid-object", r->kind, r->ns, r->name,
		     r->file, line ? line : r->line, "%s%s%s", path,
		     *path ? ": " : "", what);
}

/* An object the API would refuse: a finding at the line of the field. */
static void
refused(struct rd *c, const char *path, const char *what)
{
	plan_refused(c->p, c->rec, c->obj, path, what);
}

static const cJSON *
jget(const cJSON *o, const char *k)
{
	const cJSON *v;

	if (!cJSON_IsObject(o))
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsNull(v) ? NULL : v;
}

static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = jget(o, k);

	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* An integer field in [lo, hi]; dflt when absent; false when it is
 * there and not one. */
static bool
jint(const cJSON *o, const char *k, long lo, long hi, long dflt, long *out)
{
	const cJSON *v = jget(o, k);

	*out = dflt;
	if (v == NULL)
		return true;
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= (double)lo) ||
	    !(v->valuedouble <= (double)hi) ||
	    v->valuedouble != (double)(long)v->valuedouble)
		return false;
	*out = (long)v->valuedouble;
	return true;
}

static const struct {
	const char *kind;
	uint8_t wl;
} wl_kinds[] = {
	{"Pod", WL_POD},
	{"Deployment", WL_DEPLOYMENT},
	{"ReplicaSet", WL_REPLICASET},
	{"StatefulSet", WL_STATEFULSET},
	{"DaemonSet", WL_DAEMONSET},
	{"Job", WL_JOB},
	{"CronJob", WL_CRONJOB},
	{"ReplicationController", WL_RC},
};

static int
wl_of(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(wl_kinds) / sizeof(wl_kinds[0]); i++)
		if (strcmp(kind, wl_kinds[i].kind) == 0)
			return wl_kinds[i].wl;
	return -1;
}

static uint8_t
proto_of(const char *s, bool *ok)
{
	*ok = true;
	if (s == NULL || strcmp(s, "TCP") == 0)
		return KN_PROTO_TCP;
	if (strcmp(s, "UDP") == 0)
		return KN_PROTO_UDP;
	if (strcmp(s, "SCTP") == 0)
		return KN_PROTO_SCTP;
	*ok = false;
	return KN_PROTO_TCP;
}

/* The containers' ports of a pod spec at path. */
static bool
tmpl_ports(struct rd *c, struct plan_tmpl *t, const cJSON *spec,
	   const char *path)
{
	struct kn_model *m = c->p->m;
	const cJSON *conts = jget(spec, "containers"), *ct, *ports, *pt;
	struct plan_port *pp;
	char where[192];
	size_t i = 0, j, n = 0;
	long port, hport;
	bool ok;

	if (conts != NULL && !cJSON_IsArray(conts)) {
		snprintf(where, sizeof(where), "%s.containers", path);
		refused(c, where, "expected a list");
		return false;
	}
	cJSON_ArrayForEach(ct, conts)
	{
		ports = jget(ct, "ports");
		if (ports != NULL && !cJSON_IsArray(ports)) {
			snprintf(where, sizeof(where),
				 "%s.containers[%zu].ports", path, i);
			refused(c, where, "expected a list");
			return false;
		}
		n += (size_t)cJSON_GetArraySize(ports);
		i++;
	}
	t->ncontainers = i > UINT16_MAX ? UINT16_MAX : (uint16_t)i;
	if (n > UINT16_MAX) {
		snprintf(where, sizeof(where), "%s.containers", path);
		refused(c, where, "too many ports");
		return false;
	}
	if (n == 0)
		return true;
	t->ports = kn_xcalloc(n, sizeof(*t->ports));
	i = 0;
	cJSON_ArrayForEach(ct, conts)
	{
		j = 0;
		cJSON_ArrayForEach(pt, jget(ct, "ports"))
		{
			pp = &t->ports[t->nports];
			snprintf(where, sizeof(where),
				 "%s.containers[%zu].ports[%zu]", path, i, j++);
			if (!jint(pt, "containerPort", 1, 65535, 0, &port) ||
			    port == 0) {
				refused(c, where,
					"containerPort: expected a port "
					"number (1-65535)");
				return false;
			}
			if (!jint(pt, "hostPort", 0, 65535, 0, &hport)) {
				refused(c, where,
					"hostPort: expected a port number");
				return false;
			}
			pp->proto = proto_of(jstr(pt, "protocol"), &ok);
			if (!ok) {
				refused(c, where,
					"protocol: expected TCP, UDP or SCTP");
				return false;
			}
			pp->port = (uint16_t)port;
			pp->host_port = (uint16_t)hport;
			if (jstr(pt, "name") != NULL)
				pp->name = kn_model_intern(m, jstr(pt, "name"));
			t->nports++;
		}
		i++;
	}
	return true;
}

/* Does the pod spec tolerate the control-plane taint? */
static bool
tolerates_control_plane(const cJSON *spec)
{
	const cJSON *t;
	const char *key, *op;

	cJSON_ArrayForEach(t, jget(spec, "tolerations"))
	{
		key = jstr(t, "key");
		op = jstr(t, "operator");
		if (key == NULL && op != NULL && strcmp(op, "Exists") == 0)
			return true;
		if (key != NULL &&
		    (strcmp(key, "node-role.kubernetes.io/control-plane") ==
			     0 ||
		     strcmp(key, "node-role.kubernetes.io/master") == 0))
			return true;
	}
	return false;
}

static bool
tmpl_labels(struct rd *c, struct plan_tmpl *t, const cJSON *labels,
	    const char *path)
{
	struct kn_model *m = c->p->m;
	const cJSON *l;
	size_t n;

	if (labels == NULL)
		return true;
	if (!cJSON_IsObject(labels)) {
		refused(c, path, "expected a map of strings");
		return false;
	}
	n = (size_t)cJSON_GetArraySize(labels);
	if (n > UINT16_MAX) {
		refused(c, path, "too many labels");
		return false;
	}
	t->labels = kn_xcalloc(n ? n : 1, sizeof(*t->labels));
	cJSON_ArrayForEach(l, labels)
	{
		if (!cJSON_IsString(l)) {
			char where[192];

			snprintf(where, sizeof(where), "%s.%s", path,
				 l->string);
			refused(c, where, "expected a string");
			return false;
		}
		t->labels[t->nlabels].key = kn_model_intern(m, l->string);
		t->labels[t->nlabels].value =
			kn_model_intern(m, l->valuestring);
		t->nlabels++;
	}
	return true;
}

static bool
has_label(const struct plan_tmpl *t, const char *k, const char *v)
{
	uint16_t i;

	for (i = 0; i < t->nlabels; i++)
		if (strcmp(t->labels[i].key, k) == 0 &&
		    strcmp(t->labels[i].value, v) == 0)
			return true;
	return false;
}

/* The pod template of a workload, and how many pods it makes. */
static bool
tmpl_read(struct rd *c, struct plan_tmpl *t, const cJSON *obj)
{
	struct kn_model *m = c->p->m;
	const cJSON *spec = jget(obj, "spec"), *tpl, *pspec, *sel, *l;
	const char *base = "spec.template";
	char path[64];
	long n = 1, k;

	if (spec != NULL && !cJSON_IsObject(spec)) {
		refused(c, "spec", "expected an object");
		return false;
	}
	switch (t->wl) {
	case WL_POD:
		tpl = obj;
		base = "";
		break;
	case WL_CRONJOB:
		spec = jget(jget(spec, "jobTemplate"), "spec");
		tpl = jget(spec, "template");
		base = "spec.jobTemplate.spec.template";
		break;
	default:
		tpl = jget(spec, "template");
		break;
	}
	if (t->wl == WL_JOB || t->wl == WL_CRONJOB) {
		if (!jint(spec, "parallelism", 0, 100000, 1, &n) ||
		    !jint(spec, "completions", 0, 100000, n, &k)) {
			refused(c, "spec",
				"parallelism and completions: "
				"expected integers");
			return false;
		}
		if (k < n)
			n = k;
	} else if (t->wl != WL_POD && t->wl != WL_DAEMONSET &&
		   !jint(spec, "replicas", 0, 100000, 1, &n)) {
		refused(c, "spec.replicas", "expected an integer (0-100000)");
		return false;
	}
	t->replicas = t->wl == WL_DAEMONSET ? 0 : (uint32_t)n;
	if (tpl == NULL) {
		refused(c, base, "a workload needs a pod template");
		return false;
	}
	snprintf(path, sizeof(path), "%s%smetadata.labels", base,
		 *base ? "." : "");
	if (!tmpl_labels(c, t, jget(jget(tpl, "metadata"), "labels"), path))
		return false;
	pspec = jget(tpl, "spec");
	snprintf(path, sizeof(path), "%s%sspec", base, *base ? "." : "");
	if (pspec == NULL || !cJSON_IsObject(pspec)) {
		refused(c, path, "expected a pod spec");
		return false;
	}
	if (!tmpl_ports(c, t, pspec, path))
		return false;
	t->host_network = cJSON_IsTrue(jget(pspec, "hostNetwork"));
	t->control_plane = tolerates_control_plane(pspec);
	if (jstr(pspec, "nodeName") != NULL)
		t->node_name = kn_model_intern(m, jstr(pspec, "nodeName"));
	if (jstr(pspec, "hostname") != NULL)
		t->hostname = kn_model_intern(m, jstr(pspec, "hostname"));
	if (jstr(pspec, "subdomain") != NULL)
		t->subdomain = kn_model_intern(m, jstr(pspec, "subdomain"));
	if (t->wl == WL_STATEFULSET && jstr(spec, "serviceName") != NULL)
		t->service_name = kn_model_intern(m, jstr(spec, "serviceName"));
	/* apps/v1 refuses a selector its own template does not match */
	sel = jget(jget(spec, "selector"), "matchLabels");
	if (t->wl != WL_POD && t->wl != WL_CRONJOB && t->wl != WL_JOB) {
		cJSON_ArrayForEach(l, sel)
		{
			if (!cJSON_IsString(l) ||
			    !has_label(t, l->string, l->valuestring)) {
				refused(c, "spec.selector",
					"does not match the template's "
					"labels (the API refuses it)");
				return false;
			}
		}
	}
	return true;
}

static void
tmpl_add(struct rd *c, int wl, const cJSON *obj)
{
	struct kn_plan *p = c->p;
	struct plan_tmpl t;

	memset(&t, 0, sizeof(t));
	t.wl = (uint8_t)wl;
	t.rec = c->rec;
	t.ns = p->recs[c->rec].ns;
	t.name = p->recs[c->rec].name;
	if (!tmpl_read(c, &t, obj)) {
		free(t.labels);
		free(t.ports);
		return;
	}
	if (p->ntmpls == p->captmpls) {
		p->captmpls = p->captmpls ? p->captmpls * 2 : 64;
		p->tmpls = kn_xreallocarray(p->tmpls, p->captmpls,
					    sizeof(*p->tmpls));
	}
	p->tmpls[p->ntmpls++] = t;
}

/* A Service the cluster would give an address or node ports: planned
 * once every address written in the files is known. */
static bool
svc_needs_alloc(const cJSON *obj)
{
	const cJSON *spec = jget(obj, "spec"), *pt;
	const char *type = jstr(spec, "type"), *cip = jstr(spec, "clusterIP");
	bool np;

	if (type != NULL && strcmp(type, "ExternalName") == 0)
		return false;
	if (cip == NULL)
		return true;
	np = type != NULL && (strcmp(type, "NodePort") == 0 ||
			      strcmp(type, "LoadBalancer") == 0);
	cJSON_ArrayForEach(pt, jget(spec, "ports"))
	{
		if (np && jget(pt, "nodePort") == NULL)
			return true;
	}
	return false;
}

enum kn_err
plan_decode(struct kn_plan *p, uint32_t rec, const char *kind, const cJSON *obj)
{
	char eb[KN_ERRBUF], *colon;
	enum kn_err e;

	e = kn_objdecode_plan(p->m, kind, obj, eb);
	if (e == KN_OK || e == KN_ERR_NOMEM)
		return e;
	/* "spec.ports[0].port: expected ...": the path gives the line */
	colon = strstr(eb, ": ");
	if (colon != NULL && strchr(eb, ' ') > colon) {
		*colon = '\0';
		plan_refused(p, rec, obj, eb, colon + 2);
	} else {
		plan_refused(p, rec, obj, "", eb);
	}
	return KN_OK;
}

static enum kn_err
read_obj(void *arg, cJSON *obj, const char *file, unsigned line, char *errbuf)
{
	struct rd *c = arg;
	struct kn_plan *p = c->p;
	const char *kind =
		cJSON_GetObjectItemCaseSensitive(obj, "kind")->valuestring;
	cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const char *ns = NULL, *name = NULL;
	int mk = kn_kind_from_name(kind), wl;

	c->file = kn_model_intern(p->m, file);
	c->line = line;
	c->obj = obj;
	p->st.objects++;
	if (cJSON_IsObject(md)) {
		name = jstr(md, "name");
		ns = jstr(md, "namespace");
		if (ns == NULL) {
			/* where `kubectl apply` puts it */
			ns = p->default_ns;
			cJSON_DeleteItemFromObjectCaseSensitive(md,
								"namespace");
			cJSON_AddStringToObject(md, "namespace", ns);
		}
	}
	if (mk >= 0 && !kn_kind_info((enum kn_kind)mk)->namespaced)
		ns = "";
	c->rec = rec_add(p, kind, ns, name, c->file, line);
	if (!cJSON_IsObject(md) || name == NULL) {
		refused(c, "metadata.name", "every object needs a name");
		return KN_OK;
	}
	wl = wl_of(kind);
	if (wl >= 0)
		tmpl_add(c, wl, obj);
	if (mk == KN_POD)
		return KN_OK; /* planned from its template */
	if (mk == KN_SERVICE && svc_needs_alloc(obj)) {
		if (p->nsvcs == p->capsvcs) {
			p->capsvcs = p->capsvcs ? p->capsvcs * 2 : 64;
			p->svcs = kn_xreallocarray(p->svcs, p->capsvcs,
						   sizeof(*p->svcs));
			p->svc_recs = kn_xreallocarray(p->svc_recs, p->capsvcs,
						       sizeof(*p->svc_recs));
		}
		p->svcs[p->nsvcs] = cJSON_Duplicate(obj, true);
		if (p->svcs[p->nsvcs] == NULL)
			return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
		p->svc_recs[p->nsvcs++] = c->rec;
		return KN_OK;
	}
	if (mk < 0) {
		p->st.unknown++;
		return KN_OK;
	}
	if (plan_decode(p, c->rec, kind, obj) != KN_OK)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	return KN_OK;
}

/* ---- the plan ---- */

struct kn_plan *
kn_plan_new(const char *default_ns)
{
	struct kn_plan *p = kn_xcalloc(1, sizeof(*p));

	p->default_ns = kn_xstrdup(
		default_ns != NULL && *default_ns ? default_ns : "default");
	return p;
}

/* Forget what an earlier apply made (the files stay). */
static void
plan_reset(struct kn_plan *p)
{
	size_t i;

	for (i = 0; i < p->ntmpls; i++) {
		free(p->tmpls[i].labels);
		free(p->tmpls[i].ports);
	}
	for (i = 0; i < p->nsvcs; i++)
		cJSON_Delete(p->svcs[i]);
	p->nrecs = p->ntmpls = p->npods = p->nsvcs = 0;
	kn_findings_clear(&p->found);
	memset(&p->st, 0, sizeof(p->st));
	free(p->sorted);
	p->sorted = NULL;
}

void
kn_plan_free(struct kn_plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	plan_reset(p);
	for (i = 0; i < p->nsrcs; i++) {
		free(p->srcs[i].name);
		free(p->srcs[i].text);
	}
	free(p->srcs);
	free(p->recs);
	free(p->tmpls);
	free(p->pods);
	free(p->svcs);
	free(p->svc_recs);
	free(p->default_ns);
	free(p);
}

static struct plan_src *
src_add(struct kn_plan *p, const char *name)
{
	struct plan_src *s;

	p->srcs = kn_xreallocarray(p->srcs, p->nsrcs + 1, sizeof(*p->srcs));
	s = &p->srcs[p->nsrcs++];
	memset(s, 0, sizeof(*s));
	s->name = kn_xstrdup(name);
	return s;
}

enum kn_err
kn_plan_add_path(struct kn_plan *p, const char *path, char *errbuf)
{
	struct plan_src *s;
	char *text;
	size_t len;
	enum kn_err e;

	if (strcmp(path, "-") != 0) {
		src_add(p, path);
		return KN_OK;
	}
	if ((e = mf_read_stdin(&text, &len, errbuf)) != KN_OK)
		return e;
	s = src_add(p, "(stdin)");
	s->text = text;
	s->len = len;
	return KN_OK;
}

enum kn_err
kn_plan_add_text(struct kn_plan *p, const char *name, const char *text,
		 size_t len, char *errbuf)
{
	struct plan_src *s = src_add(p, name);

	s->text = kn_xmalloc(len + 1);
	memcpy(s->text, text, len);
	s->text[len] = '\0';
	s->len = len;
	errbuf[0] = '\0';
	return KN_OK;
}

bool
kn_plan_empty(const struct kn_plan *p)
{
	return p == NULL || p->nsrcs == 0;
}

enum kn_err
kn_plan_apply(struct kn_plan *p, struct kn_model *m, char *errbuf)
{
	struct rd c;
	enum kn_err e = KN_OK;
	size_t i;

	plan_reset(p);
	p->m = m;
	memset(&c, 0, sizeof(c));
	c.p = p;
	errbuf[0] = '\0';
	for (i = 0; i < p->nsrcs && e == KN_OK; i++) {
		const struct plan_src *s = &p->srcs[i];

		if (s->text != NULL)
			e = mf_read_text(s->text, s->len, s->name, read_obj, &c,
					 errbuf);
		else
			e = mf_read_path(s->name, read_obj, &c, &p->st.files,
					 errbuf);
		p->st.files += s->text != NULL;
	}
	if (e != KN_OK)
		return e;
	recs_finish(p);
	if ((e = plan_place(p)) != KN_OK || (e = plan_services(p)) != KN_OK ||
	    (e = plan_slices(p)) != KN_OK)
		return kn_errf(errbuf, e, "planning: out of memory");
	return KN_OK;
}

const struct kn_model *
kn_plan_applied_to(const struct kn_plan *p)
{
	return p->m;
}

void
kn_plan_forget(struct kn_plan *p)
{
	plan_reset(p);
	p->m = NULL;
}

void
kn_plan_stats(const struct kn_plan *p, struct kn_plan_stats *st)
{
	*st = p->st;
}

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

const char *
kn_plan_summary(const struct kn_plan_stats *st, char *buf, size_t n)
{
	snprintf(buf, n,
		 "%zu %s from %zu %s (planned: %zu %s, %zu EndpointSlice%s)",
		 st->objects, plural(st->objects, "object", "objects"),
		 st->files, plural(st->files, "file", "files"), st->pods,
		 plural(st->pods, "pod", "pods"), st->slices,
		 plural(st->slices, "", "s"));
	return buf;
}
