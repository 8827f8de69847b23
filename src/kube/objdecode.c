/* Decoding of Kubernetes API objects (core/v1, discovery.k8s.io/v1,
 * networking.k8s.io/v1, apps/v1) into compact model blocks.
 *
 * Each object is checked and gathered first (temporary arrays, borrowed
 * cJSON strings), then packed into one heap block: the struct, its arrays
 * and its strings. Only when all of it decoded is the block put in the
 * model, so a malformed object changes nothing. Fields the model does not
 * use are not looked at; fields it uses must have the API's types (a
 * wrong type is an error naming its JSON path). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anon_json.h"
#include "objdecode.h"
#include "objdecode_int.h"

#define KN_MAX_ARRAY 100000 /* items of one array inside an object */

const char *
dpath(struct dec *d, char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (!d->paths) {
		buf[0] = '\0';
		return buf;
	}
	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return buf;
}

/* ---- typed getters: absent or null is "not set", a wrong type fails ---- */

int
dfail(struct dec *d, const char *path, const char *key, const char *what)
{
	kn_errf(d->eb, KN_ERR_PARSE, "%s%s%s: expected %s", path,
		*path && key != NULL ? "." : "", key != NULL ? key : "", what);
	return -1;
}

int
dnomem(struct dec *d)
{
	d->nomem = true;
	kn_errf(d->eb, KN_ERR_NOMEM, "out of memory");
	return -1;
}

const cJSON *
jget(const cJSON *o, const char *k)
{
	const cJSON *v;

	if (o == NULL || !cJSON_IsObject(o))
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(o, k);
	return v == NULL || cJSON_IsNull(v) ? NULL : v;
}

int
jstr(struct dec *d, const cJSON *o, const char *k, const char *path,
     const char **out)
{
	const cJSON *v = jget(o, k);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!cJSON_IsString(v) || v->valuestring == NULL)
		return dfail(d, path, k, "a string");
	*out = v->valuestring;
	return 0;
}

int
jint(struct dec *d, const cJSON *o, const char *k, const char *path, long lo,
     long hi, long *out)
{
	const cJSON *v = jget(o, k);

	*out = 0;
	if (v == NULL)
		return 0;
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= (double)lo) ||
	    !(v->valuedouble <= (double)hi) ||
	    v->valuedouble != (double)(long)v->valuedouble)
		return dfail(d, path, k, "an integer in range");
	*out = (long)v->valuedouble;
	return 0;
}

static int
jbool(struct dec *d, const cJSON *o, const char *k, const char *path, bool dflt,
      bool *out)
{
	const cJSON *v = jget(o, k);

	*out = dflt;
	if (v == NULL)
		return 0;
	if (!cJSON_IsBool(v))
		return dfail(d, path, k, "a boolean");
	*out = cJSON_IsTrue(v);
	return 0;
}

int
jobj(struct dec *d, const cJSON *o, const char *k, const char *path,
     const cJSON **out)
{
	const cJSON *v = jget(o, k);

	*out = v;
	if (v != NULL && !cJSON_IsObject(v))
		return dfail(d, path, k, "an object");
	return 0;
}

/* Array (or absent: n = 0). */
int
jarr(struct dec *d, const cJSON *o, const char *k, const char *path,
     const cJSON **out, size_t *n)
{
	const cJSON *v = jget(o, k);
	int c;

	*out = NULL;
	*n = 0;
	if (v == NULL)
		return 0;
	if (!cJSON_IsArray(v))
		return dfail(d, path, k, "an array");
	c = cJSON_GetArraySize(v);
	if (c > KN_MAX_ARRAY)
		return dfail(d, path, k, "at most 100000 items");
	*out = v;
	*n = (size_t)c;
	return 0;
}

/* ---- packing one block ---- */

static size_t
kn_slen(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

void *
pk_take(struct pack *k, size_t n)
{
	void *r;

	k->off = (k->off + 7) & ~(size_t)7;
	if (n == 0 || k->off + n > k->cap)
		return NULL;
	r = k->p + k->off;
	k->off += n;
	return r;
}

/* pk_take, filled with a copy of src (NULL when n is 0). */
static void *
pk_copy(struct pack *k, const void *src, size_t n)
{
	void *r = pk_take(k, n);

	if (r != NULL)
		memcpy(r, src, n);
	return r;
}

const char *
pk_str(struct pack *k, const char *s)
{
	size_t n;
	char *r;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	if (k->off + n > k->cap)
		return NULL;
	r = k->p + k->off;
	memcpy(r, s, n);
	k->off += n;
	return r;
}

/* Bytes for an array of n items of size sz, aligned. */
static size_t
pk_size(size_t n, size_t sz)
{
	return n ? n * sz + 8 : 0;
}

struct kn_obj *
pk_begin(struct dec *d, struct pack *k, size_t head, size_t rest)
{
	k->cap = head + rest + 16;
	k->p = kn_model_alloc(d->m, k->cap);
	if (k->p == NULL) {
		dnomem(d);
		return NULL;
	}
	k->off = head;
	return (struct kn_obj *)k->p;
}

/* ---- metadata ---- */

static bool
kn_cluster_scoped(int kind)
{
	return !kn_kind_info((enum kn_kind)kind)->namespaced;
}

static int
dmeta(struct dec *d, const cJSON *obj, int kind, struct meta *mt)
{
	const cJSON *md;
	const char *ts;
	size_t n;

	memset(mt, 0, sizeof(*mt));
	if (!cJSON_IsObject(obj))
		return dfail(d, "", NULL, "an object");
	if (jobj(d, obj, "metadata", "", &md) < 0)
		return -1;
	if (md == NULL)
		return dfail(d, "metadata", NULL, "an object with a name");
	if (jstr(d, md, "name", "metadata", &mt->name) < 0 ||
	    jstr(d, md, "namespace", "metadata", &mt->ns) < 0 ||
	    jstr(d, md, "uid", "metadata", &mt->uid) < 0 ||
	    jobj(d, md, "labels", "metadata", &mt->labels) < 0 ||
	    jobj(d, md, "annotations", "metadata", &mt->annotations) < 0 ||
	    jarr(d, md, "ownerReferences", "metadata", &mt->owners, &n) < 0 ||
	    jstr(d, md, "deletionTimestamp", "metadata", &ts) < 0)
		return -1;
	if (mt->name == NULL || mt->name[0] == '\0')
		return dfail(d, "metadata", "name", "a non-empty string");
	if (kn_cluster_scoped(kind))
		mt->ns = "";
	else if (mt->ns == NULL || mt->ns[0] == '\0')
		mt->ns = "default";
	if (mt->uid == NULL)
		mt->uid = "";
	mt->kind = kind;
	mt->deleting = ts != NULL;
	return 0;
}

size_t
meta_size(const struct meta *mt)
{
	return kn_slen(mt->name);
}

void
meta_fill(struct dec *d, struct pack *k, struct kn_obj *o, int kind,
	  const struct meta *mt)
{
	o->kind = (uint8_t)kind;
	o->ns = kn_model_intern(d->m, mt->ns);
	o->name = pk_str(k, mt->name);
	o->mark = kn_model_mark(d->m, kind);
	o->planned = d->planned;
}

/* String map (labels, selector) as interned pairs; *out is malloc'd and
 * its pairs go into the object's block (values are unpinned). */
static int
dlabels(struct dec *d, const cJSON *map, const char *path,
	struct kn_label **out, size_t *n)
{
	const cJSON *it;
	size_t i = 0, c;

	*out = NULL;
	*n = 0;
	if (map == NULL)
		return 0;
	c = (size_t)cJSON_GetArraySize(map);
	if (c == 0)
		return 0;
	if (c > UINT16_MAX)
		return dfail(d, path, NULL, "fewer labels");
	*out = calloc(c, sizeof(**out));
	if (*out == NULL)
		return dnomem(d);
	cJSON_ArrayForEach(it, map)
	{
		if (!cJSON_IsString(it) || it->string == NULL) {
			free(*out);
			*out = NULL;
			return dfail(d, path, it->string ? it->string : "?",
				     "a string");
		}
		(*out)[i].key = kn_model_intern(d->m, it->string);
		(*out)[i].value = kn_model_intern_value(d->m, it->valuestring);
		i++;
	}
	*n = i;
	return 0;
}

static const char *
annot(const struct meta *mt, const char *key)
{
	const cJSON *v = jget(mt->annotations, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
dproto(struct dec *d, const cJSON *o, const char *path, uint8_t *out)
{
	const char *s;

	if (jstr(d, o, "protocol", path, &s) < 0)
		return -1;
	*out = KN_PROTO_TCP;
	if (s == NULL || strcmp(s, "TCP") == 0)
		return 0;
	if (strcmp(s, "UDP") == 0)
		*out = KN_PROTO_UDP;
	else if (strcmp(s, "SCTP") == 0)
		*out = KN_PROTO_SCTP;
	else
		return dfail(d, path, "protocol", "TCP, UDP or SCTP");
	return 0;
}

/* ---- Pod ---- */

/* spec.containers[].ports, flattened; *out is malloc'd. */
static int
dpod_ports(struct dec *d, const cJSON *spec, struct kn_cport **out,
	   size_t *nout, uint8_t *ncontainers)
{
	const cJSON *arr, *c, *ports, *p;
	struct kn_cport *cp;
	const char *s;
	char path[96];
	size_t ncont, np, i, j, n = 0, tot = 0;
	long v;

	*out = NULL;
	*nout = 0;
	if (jarr(d, spec, "containers", "spec", &arr, &ncont) < 0)
		return -1;
	*ncontainers = ncont > 255 ? 255 : (uint8_t)ncont;
	for (i = 0; i < ncont; i++) {
		c = cJSON_GetArrayItem(arr, (int)i);
		dpath(d, path, sizeof(path), "spec.containers[%zu]", i);
		if (jarr(d, c, "ports", path, &ports, &np) < 0)
			return -1;
		tot += np;
	}
	if (tot > UINT16_MAX)
		return dfail(d, "spec.containers", NULL, "fewer ports");
	if (tot == 0)
		return 0;
	if ((cp = calloc(tot, sizeof(*cp))) == NULL)
		return dnomem(d);
	for (i = 0; i < ncont; i++) {
		c = cJSON_GetArrayItem(arr, (int)i);
		dpath(d, path, sizeof(path), "spec.containers[%zu]", i);
		jarr(d, c, "ports", path, &ports, &np);
		for (j = 0; j < np; j++) {
			p = cJSON_GetArrayItem(ports, (int)j);
			dpath(d, path, sizeof(path),
			      "spec.containers[%zu].ports[%zu]", i, j);
			if (jint(d, p, "containerPort", path, 1, 65535, &v) <
				    0 ||
			    jstr(d, p, "name", path, &s) < 0 ||
			    dproto(d, p, path, &cp[n].proto) < 0) {
				free(cp);
				return -1;
			}
			cp[n].port = (uint16_t)v;
			cp[n].name = s != NULL && *s ? kn_model_intern(d->m, s)
						     : NULL;
			n++;
		}
	}
	*out = cp;
	*nout = n;
	return 0;
}

/* status.podIP, status.podIPs and status.hostIP. */
static int
dpod_ips(struct dec *d, const cJSON *st, struct kn_pod *pod)
{
	const cJSON *arr;
	const char *s;
	char path[64];
	size_t n, i;

	if (jstr(d, st, "podIP", "status", &s) < 0)
		return -1;
	if (s != NULL && *s && !kn_ipaddr_parse(s, &pod->ips[0]))
		return dfail(d, "status", "podIP", "an IP address");
	pod->nips = pod->ips[0].family ? 1 : 0;
	if (jarr(d, st, "podIPs", "status", &arr, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct kn_ipaddr ip;

		dpath(d, path, sizeof(path), "status.podIPs[%zu]", i);
		if (jstr(d, cJSON_GetArrayItem(arr, (int)i), "ip", path, &s) <
		    0)
			return -1;
		if (s == NULL || !kn_ipaddr_parse(s, &ip))
			return dfail(d, path, "ip", "an IP address");
		if (pod->nips == 0 ||
		    (pod->nips < 2 && !kn_ipaddr_eq(&ip, &pod->ips[0])))
			pod->ips[pod->nips++] = ip;
	}
	if (jstr(d, st, "hostIP", "status", &s) < 0)
		return -1;
	if (s != NULL && *s && !kn_ipaddr_parse(s, &pod->host_ip))
		return dfail(d, "status", "hostIP", "an IP address");
	return 0;
}

/* One array of container statuses; *out is malloc'd. Sidecars are the
 * init containers of spec with restartPolicy Always. */
static int
dpod_cstatuses(struct dec *d, const cJSON *st, const char *key,
	       const cJSON *spec_init, struct kn_cstatus **out, size_t *nout)
{
	const cJSON *arr, *cs, *state, *w, *t, *sc;
	struct kn_cstatus *v;
	const char *name, *rp;
	char path[96];
	size_t n, i;
	long x;
	bool b;

	*out = NULL;
	*nout = 0;
	if (jarr(d, st, key, "status", &arr, &n) < 0)
		return -1;
	if (n == 0)
		return 0;
	if ((v = calloc(n, sizeof(*v))) == NULL)
		return dnomem(d);
	for (i = 0; i < n; i++) {
		cs = cJSON_GetArrayItem(arr, (int)i);
		dpath(d, path, sizeof(path), "status.%s[%zu]", key, i);
		if (jbool(d, cs, "ready", path, false, &v[i].ready) < 0 ||
		    jbool(d, cs, "started", path, false, &b) < 0 ||
		    jstr(d, cs, "name", path, &name) < 0 ||
		    jobj(d, cs, "state", path, &state) < 0)
			goto fail;
		v[i].started = b;
		w = jget(state, "waiting");
		t = jget(state, "terminated");
		v[i].running = jget(state, "running") != NULL;
		if (jstr(d, w, "reason", path, &v[i].waiting) < 0 ||
		    jstr(d, t, "reason", path, &v[i].term_reason) < 0 ||
		    jint(d, t, "exitCode", path, INT32_MIN, INT32_MAX, &x) < 0)
			goto fail;
		v[i].exit_code = (int32_t)x;
		if (jint(d, t, "signal", path, INT32_MIN, INT32_MAX, &x) < 0)
			goto fail;
		v[i].signal = (int32_t)x;
		v[i].terminated = t != NULL;
		cJSON_ArrayForEach(sc, spec_init)
		{
			if (name == NULL || !cJSON_IsString(jget(sc, "name")) ||
			    strcmp(jget(sc, "name")->valuestring, name) != 0)
				continue;
			rp = cJSON_IsString(jget(sc, "restartPolicy"))
				     ? jget(sc, "restartPolicy")->valuestring
				     : NULL;
			v[i].restartable =
				rp != NULL && strcmp(rp, "Always") == 0;
		}
	}
	*out = v;
	*nout = n;
	return 0;
fail:
	free(v);
	return -1;
}

/* Phase, readiness, restarts, and the STATUS column derived in the
 * model (kn_pod_status_column) from the decoded statuses. */
static int
dpod_status(struct dec *d, const cJSON *spec, const cJSON *st,
	    const struct meta *mt, struct kn_pod *pod)
{
	struct kn_pod_status_in in;
	struct kn_cstatus *init = NULL, *cont = NULL;
	const cJSON *arr, *x, *spec_init;
	const char *phase, *reason, *type, *cst;
	char path[64], col[128];
	size_t n, i, ninit_spec;
	long v;
	int rc = -1;

	memset(&in, 0, sizeof(in));
	if (jstr(d, st, "phase", "status", &phase) < 0 ||
	    jstr(d, st, "reason", "status", &reason) < 0 ||
	    jarr(d, spec, "initContainers", "spec", &spec_init, &ninit_spec) <
		    0)
		return -1;
	pod->phase = KN_PHASE_UNKNOWN;
	if (phase != NULL) {
		if (strcmp(phase, "Pending") == 0)
			pod->phase = KN_PHASE_PENDING;
		else if (strcmp(phase, "Running") == 0)
			pod->phase = KN_PHASE_RUNNING;
		else if (strcmp(phase, "Succeeded") == 0)
			pod->phase = KN_PHASE_SUCCEEDED;
		else if (strcmp(phase, "Failed") == 0)
			pod->phase = KN_PHASE_FAILED;
	}
	if (jarr(d, st, "conditions", "status", &arr, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		x = cJSON_GetArrayItem(arr, (int)i);
		dpath(d, path, sizeof(path), "status.conditions[%zu]", i);
		if (jstr(d, x, "type", path, &type) < 0 ||
		    jstr(d, x, "status", path, &cst) < 0)
			return -1;
		if (type == NULL)
			continue;
		if (strcmp(type, "Ready") == 0)
			pod->ready = cst != NULL && strcmp(cst, "True") == 0;
		else if (strcmp(type, "Initialized") == 0)
			in.initialized =
				cst != NULL && strcmp(cst, "True") == 0;
	}
	/* restarts: the app containers' only, as the RESTARTS column */
	if (jarr(d, st, "containerStatuses", "status", &arr, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		dpath(d, path, sizeof(path), "status.containerStatuses[%zu]",
		      i);
		if (jint(d, cJSON_GetArrayItem(arr, (int)i), "restartCount",
			 path, 0, INT32_MAX, &v) < 0)
			return -1;
		pod->restarts += (uint32_t)v;
	}
	if (dpod_cstatuses(d, st, "initContainerStatuses", spec_init, &init,
			   &in.ninit) < 0 ||
	    dpod_cstatuses(d, st, "containerStatuses", NULL, &cont,
			   &in.ncontainers) < 0)
		goto out;
	for (i = 0; i < in.ncontainers; i++)
		if (cont[i].ready)
			pod->ready_containers++;
	in.phase = phase;
	in.reason = reason;
	in.init = init;
	in.containers = cont;
	in.init_total = ninit_spec;
	in.ready_condition = pod->ready;
	in.deleting = mt->deleting;
	pod->terminating = mt->deleting;
	pod->status = kn_model_intern(
		d->m, kn_pod_status_column(&in, col, sizeof(col)));
	rc = 0;
out:
	free(init);
	free(cont);
	return rc;
}

/* The controller among metadata.ownerReferences (else the first). */
static int
dpod_owner(struct dec *d, const struct meta *mt, struct kn_pod *pod)
{
	const cJSON *own = NULL, *it;
	const char *ok, *on;

	if (mt->owners == NULL)
		return 0;
	cJSON_ArrayForEach(it, mt->owners)
	{
		if (own == NULL || cJSON_IsTrue(jget(it, "controller")))
			own = it;
	}
	if (own == NULL)
		return 0;
	if (jstr(d, own, "kind", "metadata.ownerReferences", &ok) < 0 ||
	    jstr(d, own, "name", "metadata.ownerReferences", &on) < 0)
		return -1;
	if (ok != NULL && on != NULL) {
		pod->owner_kind = kn_model_intern(d->m, ok);
		pod->owner_name = kn_model_intern_value(d->m, on);
	}
	return 0;
}

static int
dec_pod(struct dec *d, const cJSON *obj, const struct meta *mt,
	struct kn_obj **out)
{
	const cJSON *spec, *st;
	struct kn_label *labels = NULL;
	struct kn_cport *cports = NULL;
	struct kn_pod tmp, *pod;
	struct pack k;
	const char *s;
	size_t nl = 0, ncp = 0;
	bool b;

	memset(&tmp, 0, sizeof(tmp));
	if (dlabels(d, mt->labels, "metadata.labels", &labels, &nl) < 0)
		return -1;
	if (jobj(d, obj, "spec", "", &spec) < 0 ||
	    jobj(d, obj, "status", "", &st) < 0 ||
	    jstr(d, spec, "nodeName", "spec", &s) < 0)
		goto fail;
	tmp.node = s != NULL && *s ? kn_model_intern(d->m, s) : NULL;
	if (jbool(d, spec, "hostNetwork", "spec", false, &b) < 0)
		goto fail;
	tmp.host_network = b;
	if (dpod_ports(d, spec, &cports, &ncp, &tmp.containers) < 0 ||
	    dpod_ips(d, st, &tmp) < 0 ||
	    dpod_status(d, spec, st, mt, &tmp) < 0 ||
	    dpod_owner(d, mt, &tmp) < 0)
		goto fail;
	pod = (struct kn_pod *)pk_begin(d, &k, sizeof(*pod),
					pk_size(nl, sizeof(*labels)) +
						pk_size(ncp, sizeof(*cports)) +
						meta_size(mt));
	if (pod == NULL)
		goto fail;
	*pod = tmp;
	meta_fill(d, &k, &pod->o, KN_POD, mt);
	pod->labels = pk_copy(&k, labels, nl * sizeof(*labels));
	pod->nlabels = (uint16_t)nl;
	pod->ports = pk_copy(&k, cports, ncp * sizeof(*cports));
	pod->nports = (uint16_t)ncp;
	free(labels);
	free(cports);
	*out = &pod->o;
	return 0;
fail:
	free(labels);
	free(cports);
	return -1;
}

/* ---- Service ---- */

static int
dec_service(struct dec *d, const cJSON *obj, const struct meta *mt,
	    struct kn_obj **out)
{
	const cJSON *spec, *st, *arr, *p, *tp, *sel;
	struct kn_label *selector = NULL;
	struct kn_svc_port *ports = NULL;
	const char **ext = NULL;
	struct kn_service tmp, *svc;
	struct pack k;
	const char *s, *cip;
	char path[64];
	size_t nsel = 0, np = 0, next = 0, n, i, strbytes = 0;
	long v;
	bool b;
	struct kn_ipaddr ip;

	memset(&tmp, 0, sizeof(tmp));
	if (jobj(d, obj, "spec", "", &spec) < 0 ||
	    jobj(d, obj, "status", "", &st) < 0 ||
	    jstr(d, spec, "type", "spec", &s) < 0)
		return -1;
	tmp.type = KN_SVC_CLUSTERIP;
	if (s != NULL) {
		if (strcmp(s, "NodePort") == 0)
			tmp.type = KN_SVC_NODEPORT;
		else if (strcmp(s, "LoadBalancer") == 0)
			tmp.type = KN_SVC_LOADBALANCER;
		else if (strcmp(s, "ExternalName") == 0)
			tmp.type = KN_SVC_EXTERNALNAME;
		else if (strcmp(s, "ClusterIP") != 0)
			return dfail(d, "spec", "type", "a service type");
	}
	if (jstr(d, spec, "clusterIP", "spec", &cip) < 0)
		return -1;
	tmp.headless = cip != NULL && strcmp(cip, "None") == 0;
	if (cip != NULL && *cip && !tmp.headless) {
		if (!kn_ipaddr_parse(cip, &tmp.cluster_ips[0]))
			return dfail(d, "spec", "clusterIP", "an IP address");
		tmp.ncluster_ips = 1;
	}
	if (jarr(d, spec, "clusterIPs", "spec", &arr, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		p = cJSON_GetArrayItem(arr, (int)i);
		if (!cJSON_IsString(p)) {
			dpath(d, path, sizeof(path), "spec.clusterIPs[%zu]", i);
			return dfail(d, path, NULL, "a string");
		}
		if (strcmp(p->valuestring, "None") == 0)
			continue;
		if (!kn_ipaddr_parse(p->valuestring, &ip)) {
			dpath(d, path, sizeof(path), "spec.clusterIPs[%zu]", i);
			return dfail(d, path, NULL, "an IP address");
		}
		if (tmp.ncluster_ips == 0 ||
		    (tmp.ncluster_ips < 2 &&
		     !kn_ipaddr_eq(&ip, &tmp.cluster_ips[0])))
			tmp.cluster_ips[tmp.ncluster_ips++] = ip;
	}
	if (jstr(d, spec, "externalName", "spec", &tmp.external_name) < 0 ||
	    jbool(d, spec, "publishNotReadyAddresses", "spec", false, &b) < 0 ||
	    jobj(d, spec, "selector", "spec", &sel) < 0)
		return -1;
	tmp.publish_not_ready = b;
	if (tmp.type != KN_SVC_EXTERNALNAME)
		tmp.external_name = NULL;
	if (dlabels(d, sel, "spec.selector", &selector, &nsel) < 0)
		return -1;
	tmp.has_selector = nsel > 0;
	if (jarr(d, spec, "ports", "spec", &arr, &np) < 0)
		goto fail;
	if (np > UINT16_MAX) {
		dfail(d, "spec", "ports", "fewer ports");
		goto fail;
	}
	if (np && (ports = calloc(np, sizeof(*ports))) == NULL) {
		dnomem(d);
		goto fail;
	}
	for (i = 0; i < np; i++) {
		p = cJSON_GetArrayItem(arr, (int)i);
		dpath(d, path, sizeof(path), "spec.ports[%zu]", i);
		if (jstr(d, p, "name", path, &s) < 0 ||
		    dproto(d, p, path, &ports[i].proto) < 0 ||
		    jint(d, p, "port", path, 1, 65535, &v) < 0)
			goto fail;
		if (v == 0) {
			dfail(d, path, "port", "an integer");
			goto fail;
		}
		ports[i].port = (uint16_t)v;
		ports[i].name =
			s != NULL && *s ? kn_model_intern(d->m, s) : NULL;
		if (jint(d, p, "nodePort", path, 0, 65535, &v) < 0)
			goto fail;
		ports[i].node_port = (uint16_t)v;
		tp = jget(p, "targetPort");
		ports[i].target_port = ports[i].port;
		if (cJSON_IsString(tp) && tp->valuestring[0] != '\0') {
			ports[i].target_name =
				kn_model_intern(d->m, tp->valuestring);
			ports[i].target_port = 0;
		} else if (tp != NULL) {
			if (jint(d, p, "targetPort", path, 0, 65535, &v) < 0)
				goto fail;
			if (v != 0)
				ports[i].target_port = (uint16_t)v;
		}
	}
	/* externalIPs, then status.loadBalancer.ingress[] ip or hostname */
	if (jarr(d, spec, "externalIPs", "spec", &arr, &n) < 0)
		goto fail;
	{
		const cJSON *lb = jget(jget(st, "loadBalancer"), "ingress");
		size_t nlb =
			cJSON_IsArray(lb) ? (size_t)cJSON_GetArraySize(lb) : 0;
		const cJSON *it;

		if (n + nlb > UINT16_MAX) {
			dfail(d, "spec", "externalIPs", "fewer addresses");
			goto fail;
		}
		if (n + nlb > 0 &&
		    (ext = calloc(n + nlb, sizeof(*ext))) == NULL) {
			dnomem(d);
			goto fail;
		}
		for (i = 0; i < n; i++) {
			p = cJSON_GetArrayItem(arr, (int)i);
			if (!cJSON_IsString(p)) {
				dpath(d, path, sizeof(path),
				      "spec.externalIPs[%zu]", i);
				dfail(d, path, NULL, "a string");
				goto fail;
			}
			ext[next++] = p->valuestring;
		}
		i = 0;
		cJSON_ArrayForEach(it, lb)
		{
			dpath(d, path, sizeof(path),
			      "status.loadBalancer.ingress[%zu]", i++);
			if (jstr(d, it, "ip", path, &s) < 0)
				goto fail;
			if (s == NULL && jstr(d, it, "hostname", path, &s) < 0)
				goto fail;
			if (s != NULL && *s)
				ext[next++] = s;
		}
	}
	for (i = 0; i < next; i++)
		strbytes += kn_slen(ext[i]);
	svc = (struct kn_service *)pk_begin(
		d, &k, sizeof(*svc),
		pk_size(nsel, sizeof(*selector)) + pk_size(np, sizeof(*ports)) +
			pk_size(next, sizeof(char *)) + strbytes +
			kn_slen(tmp.external_name) + meta_size(mt));
	if (svc == NULL)
		goto fail;
	*svc = tmp;
	meta_fill(d, &k, &svc->o, KN_SERVICE, mt);
	svc->selector = pk_copy(&k, selector, nsel * sizeof(*selector));
	svc->nselector = (uint16_t)nsel;
	svc->ports = pk_copy(&k, ports, np * sizeof(*ports));
	svc->nports = (uint16_t)np;
	svc->external = pk_take(&k, next * sizeof(char *));
	for (i = 0; i < next; i++)
		svc->external[i] = (char *)pk_str(&k, ext[i]);
	svc->nexternal = (uint16_t)next;
	svc->external_name = pk_str(&k, tmp.external_name);
	free(selector);
	free(ports);
	free(ext);
	*out = &svc->o;
	return 0;
fail:
	free(selector);
	free(ports);
	free(ext);
	return -1;
}

/* ---- EndpointSlice and Endpoints ---- */

struct tmp_ep {
	struct kn_endpoint e;
	const char *hostname, *pod; /* borrowed */
};

static int
dtarget(struct dec *d, const cJSON *o, const char *path, const char **pod)
{
	const cJSON *tr;
	const char *kind, *name;

	*pod = NULL;
	if (jobj(d, o, "targetRef", path, &tr) < 0)
		return -1;
	if (tr == NULL)
		return 0;
	if (jstr(d, tr, "kind", path, &kind) < 0 ||
	    jstr(d, tr, "name", path, &name) < 0)
		return -1;
	if (kind != NULL && strcmp(kind, "Pod") == 0)
		*pod = name;
	return 0;
}

static struct kn_obj *
pack_slice(struct dec *d, const struct meta *mt, int kind, const char *service,
	   uint8_t family, struct tmp_ep *eps, size_t neps,
	   struct kn_slice_port *ports, size_t np)
{
	struct kn_slice *sl;
	struct pack k;
	size_t i, sb = 0;

	for (i = 0; i < neps; i++)
		sb += kn_slen(eps[i].hostname) + kn_slen(eps[i].pod);
	sl = (struct kn_slice *)pk_begin(d, &k, sizeof(*sl),
					 pk_size(neps, sizeof(*sl->eps)) +
						 pk_size(np, sizeof(*ports)) +
						 sb + meta_size(mt));
	if (sl == NULL)
		return NULL;
	meta_fill(d, &k, &sl->o, kind, mt);
	sl->service = service != NULL && *service
			      ? kn_model_intern(d->m, service)
			      : NULL;
	sl->family = family;
	sl->eps = pk_take(&k, neps * sizeof(*sl->eps));
	for (i = 0; i < neps; i++) {
		sl->eps[i] = eps[i].e;
		sl->eps[i].hostname = pk_str(&k, eps[i].hostname);
		sl->eps[i].pod = pk_str(&k, eps[i].pod);
	}
	sl->neps = (uint32_t)neps;
	sl->ports = pk_copy(&k, ports, np * sizeof(*ports));
	sl->nports = (uint16_t)np;
	return &sl->o;
}

static int
dslice_port(struct dec *d, const cJSON *p, const char *path,
	    struct kn_slice_port *out)
{
	const char *s;
	long v;

	if (jstr(d, p, "name", path, &s) < 0 ||
	    jint(d, p, "port", path, 0, 65535, &v) < 0 ||
	    dproto(d, p, path, &out->proto) < 0)
		return -1;
	out->name = s != NULL && *s ? kn_model_intern(d->m, s) : NULL;
	out->port = (uint16_t)v;
	return 0;
}

static int
dec_slice(struct dec *d, const cJSON *obj, const struct meta *mt,
	  struct kn_obj **out)
{
	const cJSON *arr, *e, *addrs, *cond, *parr;
	struct tmp_ep *eps = NULL;
	struct kn_slice_port *ports = NULL;
	const char *at, *s, *svc = NULL;
	char path[64];
	size_t n, i, na, np, ne = 0;
	uint8_t fam = 0;
	bool b;

	if (jstr(d, obj, "addressType", "", &at) < 0)
		return -1;
	if (at != NULL && strcmp(at, "IPv4") == 0)
		fam = 4;
	else if (at != NULL && strcmp(at, "IPv6") == 0)
		fam = 6;
	if (mt->labels != NULL) {
		const cJSON *l = jget(mt->labels, "kubernetes.io/service-name");

		if (cJSON_IsString(l))
			svc = l->valuestring;
	}
	if (jarr(d, obj, "endpoints", "", &arr, &n) < 0 ||
	    jarr(d, obj, "ports", "", &parr, &np) < 0)
		return -1;
	if (np > UINT16_MAX)
		return dfail(d, "", "ports", "fewer ports");
	if (n && (eps = calloc(n, sizeof(*eps))) == NULL)
		return dnomem(d);
	if (np && (ports = calloc(np, sizeof(*ports))) == NULL) {
		dnomem(d);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		e = cJSON_GetArrayItem(arr, (int)i);
		dpath(d, path, sizeof(path), "endpoints[%zu]", i);
		if (jarr(d, e, "addresses", path, &addrs, &na) < 0 ||
		    jobj(d, e, "conditions", path, &cond) < 0 ||
		    jstr(d, e, "hostname", path, &eps[ne].hostname) < 0 ||
		    jstr(d, e, "nodeName", path, &s) < 0 ||
		    dtarget(d, e, path, &eps[ne].pod) < 0)
			goto fail;
		eps[ne].e.node =
			s != NULL && *s ? kn_model_intern(d->m, s) : NULL;
		if (na == 0 || !cJSON_IsString(cJSON_GetArrayItem(addrs, 0))) {
			dfail(d, path, "addresses", "a non-empty array");
			goto fail;
		}
		s = cJSON_GetArrayItem(addrs, 0)->valuestring;
		if (fam != 0 && !kn_ipaddr_parse(s, &eps[ne].e.ip)) {
			dfail(d, path, "addresses[0]", "an IP address");
			goto fail;
		}
		if (jbool(d, cond, "ready", path, true, &b) < 0)
			goto fail;
		eps[ne].e.ready = b;
		if (jbool(d, cond, "serving", path, b, &b) < 0)
			goto fail;
		eps[ne].e.serving = b;
		if (jbool(d, cond, "terminating", path, false, &b) < 0)
			goto fail;
		eps[ne].e.terminating = b;
		ne++;
	}
	for (i = 0; i < np; i++) {
		dpath(d, path, sizeof(path), "ports[%zu]", i);
		if (dslice_port(d, cJSON_GetArrayItem(parr, (int)i), path,
				&ports[i]) < 0)
			goto fail;
	}
	*out = pack_slice(d, mt, KN_SLICE, svc, fam, eps, ne, ports, np);
	free(eps);
	free(ports);
	return *out != NULL ? 0 : -1;
fail:
	free(eps);
	free(ports);
	return -1;
}

static int
dec_endpoints(struct dec *d, const cJSON *obj, const struct meta *mt,
	      struct kn_obj **out)
{
	static const char *const lists[2] = {"addresses", "notReadyAddresses"};
	const cJSON *subsets, *ss, *arr, *a, *parr = NULL;
	struct tmp_ep *eps = NULL;
	struct kn_slice_port *ports = NULL;
	const char *s;
	char path[80];
	size_t nss, i, j, l, n, total = 0, ne = 0, np = 0;
	uint8_t fam = 0;

	if (jarr(d, obj, "subsets", "", &subsets, &nss) < 0)
		return -1;
	for (i = 0; i < nss; i++) {
		ss = cJSON_GetArrayItem(subsets, (int)i);
		dpath(d, path, sizeof(path), "subsets[%zu]", i);
		for (l = 0; l < 2; l++) {
			if (jarr(d, ss, lists[l], path, &arr, &n) < 0)
				return -1;
			total += n;
		}
		if (jarr(d, ss, "ports", path, &arr, &n) < 0)
			return -1;
		if (parr == NULL && n > 0) {
			parr = arr;
			np = n;
		}
	}
	if (total > KN_MAX_ARRAY || np > UINT16_MAX)
		return dfail(d, "", "subsets", "fewer addresses");
	if (total && (eps = calloc(total, sizeof(*eps))) == NULL)
		return dnomem(d);
	if (np && (ports = calloc(np, sizeof(*ports))) == NULL) {
		dnomem(d);
		goto fail;
	}
	for (i = 0; i < nss; i++) {
		ss = cJSON_GetArrayItem(subsets, (int)i);
		for (l = 0; l < 2; l++) {
			dpath(d, path, sizeof(path), "subsets[%zu]", i);
			jarr(d, ss, lists[l], path, &arr, &n);
			for (j = 0; j < n; j++) {
				a = cJSON_GetArrayItem(arr, (int)j);
				dpath(d, path, sizeof(path),
				      "subsets[%zu].%s[%zu]", i, lists[l], j);
				if (jstr(d, a, "ip", path, &s) < 0)
					goto fail;
				if (s == NULL ||
				    !kn_ipaddr_parse(s, &eps[ne].e.ip)) {
					dfail(d, path, "ip", "an IP address");
					goto fail;
				}
				if (fam == 0)
					fam = eps[ne].e.ip.family;
				if (jstr(d, a, "hostname", path,
					 &eps[ne].hostname) < 0 ||
				    jstr(d, a, "nodeName", path, &s) < 0 ||
				    dtarget(d, a, path, &eps[ne].pod) < 0)
					goto fail;
				eps[ne].e.node =
					s != NULL && *s
						? kn_model_intern(d->m, s)
						: NULL;
				eps[ne].e.ready = l == 0;
				eps[ne].e.serving = l == 0;
				ne++;
			}
		}
	}
	for (i = 0; i < np; i++) {
		dpath(d, path, sizeof(path), "subsets[].ports[%zu]", i);
		if (dslice_port(d, cJSON_GetArrayItem(parr, (int)i), path,
				&ports[i]) < 0)
			goto fail;
	}
	*out = pack_slice(d, mt, KN_ENDPOINTS, mt->name, fam, eps, ne, ports,
			  np);
	free(eps);
	free(ports);
	return *out != NULL ? 0 : -1;
fail:
	free(eps);
	free(ports);
	return -1;
}

/* ---- Ingress ---- */

struct tmp_path {
	struct kn_ing_path p;
	const char *host, *path; /* borrowed */
};

/* backend.resource: an object of another kind serves the path. Without
 * a kind and a name it names nothing: left as no backend. */
static int
dresource(struct dec *d, const cJSON *res, const char *path,
	  struct kn_ing_path *out)
{
	const char *g, *kd, *name;
	char sub[112];

	dpath(d, sub, sizeof(sub), "%s.resource", path);
	if (jstr(d, res, "apiGroup", sub, &g) < 0 ||
	    jstr(d, res, "kind", sub, &kd) < 0 ||
	    jstr(d, res, "name", sub, &name) < 0)
		return -1;
	if (kd == NULL || *kd == '\0' || name == NULL || *name == '\0')
		return 0;
	out->res_group = g != NULL ? kn_model_intern(d->m, g) : NULL;
	out->res_kind = kn_model_intern(d->m, kd);
	out->res_name = kn_model_intern(d->m, name);
	return 0;
}

/* An IngressBackend (networking.k8s.io/v1): service{name, port{number |
 * name}} or resource. v1beta1's serviceName and servicePort are not
 * read: under v1 the API server drops them, so such a path has no
 * backend. A service without a port keeps port_number 0. */
static int
dbackend(struct dec *d, const cJSON *b, const char *path,
	 struct kn_ing_path *out)
{
	const cJSON *svc, *port, *res;
	const char *s;
	char sub[112];
	long v;

	dpath(d, sub, sizeof(sub), "%s.service", path);
	if (jobj(d, b, "service", path, &svc) < 0 ||
	    jobj(d, b, "resource", path, &res) < 0)
		return -1;
	if (svc == NULL)
		return res != NULL ? dresource(d, res, path, out) : 0;
	if (jstr(d, svc, "name", sub, &s) < 0)
		return -1;
	if (s == NULL || *s == '\0')
		return dfail(d, sub, "name", "a service name");
	out->service = kn_model_intern(d->m, s);
	if (jobj(d, svc, "port", sub, &port) < 0)
		return -1;
	dpath(d, sub, sizeof(sub), "%s.service.port", path);
	if (jint(d, port, "number", sub, 0, 65535, &v) < 0 ||
	    jstr(d, port, "name", sub, &s) < 0)
		return -1;
	out->port_number = (uint16_t)v;
	out->port_name = s != NULL && *s ? kn_model_intern(d->m, s) : NULL;
	return 0;
}

/* Does a TLS host pattern cover host? ("*.example.com" covers one label.) */
static bool
kn_tls_covers(const char *pat, const char *host)
{
	const char *dot;

	if (host == NULL)
		return false;
	if (strcmp(pat, host) == 0)
		return true;
	if (pat[0] == '*' && pat[1] == '.') {
		dot = strchr(host, '.');
		return dot != NULL && strcmp(dot + 1, pat + 2) == 0;
	}
	return false;
}

static int
dec_ingress(struct dec *d, const cJSON *obj, const struct meta *mt,
	    struct kn_obj **out)
{
	const cJSON *spec, *st, *rules, *r, *http, *paths, *p, *b, *tls, *t;
	const cJSON *hosts, *h, *lb, *it;
	struct tmp_path *tp = NULL;
	const char **addrs = NULL;
	struct kn_ingress *ing;
	struct pack k;
	const char *s, *host, *cls;
	char path[96];
	size_t nr, np, i, j, ntls, n = 0, total = 0, nh, na = 0, sb = 0;

	if (jobj(d, obj, "spec", "", &spec) < 0 ||
	    jobj(d, obj, "status", "", &st) < 0 ||
	    jarr(d, spec, "rules", "spec", &rules, &nr) < 0 ||
	    jarr(d, spec, "tls", "spec", &tls, &ntls) < 0 ||
	    jstr(d, spec, "ingressClassName", "spec", &cls) < 0)
		return -1;
	if (cls == NULL)
		cls = annot(mt, "kubernetes.io/ingress.class");
	for (i = 0; i < nr; i++) {
		r = cJSON_GetArrayItem(rules, (int)i);
		dpath(d, path, sizeof(path), "spec.rules[%zu]", i);
		if (jobj(d, r, "http", path, &http) < 0)
			return -1;
		dpath(d, path, sizeof(path), "spec.rules[%zu].http", i);
		if (jarr(d, http, "paths", path, &paths, &np) < 0)
			return -1;
		total += np;
	}
	if (total + 1 > UINT16_MAX)
		return dfail(d, "spec", "rules", "fewer paths");
	if ((tp = calloc(total + 1, sizeof(*tp))) == NULL)
		return dnomem(d);
	for (i = 0; i < nr; i++) {
		r = cJSON_GetArrayItem(rules, (int)i);
		dpath(d, path, sizeof(path), "spec.rules[%zu]", i);
		if (jstr(d, r, "host", path, &host) < 0)
			goto fail;
		http = jget(r, "http");
		paths = jget(http, "paths");
		np = paths ? (size_t)cJSON_GetArraySize(paths) : 0;
		for (j = 0; j < np; j++) {
			p = cJSON_GetArrayItem(paths, (int)j);
			dpath(d, path, sizeof(path),
			      "spec.rules[%zu].http.paths[%zu]", i, j);
			if (jstr(d, p, "path", path, &tp[n].path) < 0 ||
			    jstr(d, p, "pathType", path, &s) < 0 ||
			    jobj(d, p, "backend", path, &b) < 0)
				goto fail;
			if (tp[n].path == NULL)
				tp[n].path = "/";
			tp[n].p.path_type = KN_PATH_PREFIX;
			if (s != NULL && strcmp(s, "Exact") == 0)
				tp[n].p.path_type = KN_PATH_EXACT;
			else if (s != NULL &&
				 strcmp(s, "ImplementationSpecific") == 0)
				tp[n].p.path_type = KN_PATH_IMPL;
			if (b == NULL) {
				dfail(d, path, "backend", "an object");
				goto fail;
			}
			dpath(d, path, sizeof(path),
			      "spec.rules[%zu].http.paths[%zu].backend", i, j);
			if (dbackend(d, b, path, &tp[n].p) < 0)
				goto fail;
			tp[n].host = host != NULL && *host ? host : NULL;
			n++;
		}
	}
	if (jobj(d, spec, "defaultBackend", "spec", &b) < 0)
		goto fail;
	if (b != NULL) {
		if (dbackend(d, b, "spec.defaultBackend", &tp[n].p) < 0)
			goto fail;
		tp[n].p.is_default = true;
		n++;
	}
	/* TLS coverage per path host */
	for (i = 0; i < ntls; i++) {
		t = cJSON_GetArrayItem(tls, (int)i);
		dpath(d, path, sizeof(path), "spec.tls[%zu]", i);
		if (jarr(d, t, "hosts", path, &hosts, &nh) < 0)
			goto fail;
		for (j = 0; j < n; j++) {
			if (nh == 0 && tp[j].host == NULL)
				tp[j].p.tls = true;
			cJSON_ArrayForEach(h, hosts)
			{
				if (cJSON_IsString(h) &&
				    kn_tls_covers(h->valuestring, tp[j].host))
					tp[j].p.tls = true;
			}
		}
	}
	lb = jget(jget(st, "loadBalancer"), "ingress");
	if (cJSON_IsArray(lb) && cJSON_GetArraySize(lb) > 0) {
		addrs = calloc((size_t)cJSON_GetArraySize(lb), sizeof(*addrs));
		if (addrs == NULL) {
			dnomem(d);
			goto fail;
		}
		i = 0;
		cJSON_ArrayForEach(it, lb)
		{
			dpath(d, path, sizeof(path),
			      "status.loadBalancer.ingress[%zu]", i++);
			if (jstr(d, it, "ip", path, &s) < 0)
				goto fail;
			if (s == NULL && jstr(d, it, "hostname", path, &s) < 0)
				goto fail;
			if (s != NULL && *s && na < UINT16_MAX)
				addrs[na++] = s;
		}
	}
	for (i = 0; i < n; i++)
		sb += kn_slen(tp[i].host) + kn_slen(tp[i].path);
	for (i = 0; i < na; i++)
		sb += kn_slen(addrs[i]);
	ing = (struct kn_ingress *)pk_begin(
		d, &k, sizeof(*ing),
		pk_size(n, sizeof(struct kn_ing_path)) +
			pk_size(na, sizeof(char *)) + sb + meta_size(mt));
	if (ing == NULL)
		goto fail;
	meta_fill(d, &k, &ing->o, KN_INGRESS, mt);
	ing->class_name =
		cls != NULL && *cls ? kn_model_intern(d->m, cls) : NULL;
	ing->paths = pk_take(&k, n * sizeof(*ing->paths));
	for (i = 0; i < n; i++) {
		ing->paths[i] = tp[i].p;
		ing->paths[i].host = pk_str(&k, tp[i].host);
		ing->paths[i].path =
			tp[i].p.is_default ? NULL : pk_str(&k, tp[i].path);
	}
	ing->npaths = (uint16_t)n;
	ing->addresses = pk_take(&k, na * sizeof(char *));
	for (i = 0; i < na; i++)
		ing->addresses[i] = (char *)pk_str(&k, addrs[i]);
	ing->naddresses = (uint16_t)na;
	free(tp);
	free(addrs);
	*out = &ing->o;
	return 0;
fail:
	free(tp);
	free(addrs);
	return -1;
}

static int
dec_ingclass(struct dec *d, const cJSON *obj, const struct meta *mt,
	     struct kn_obj **out)
{
	const cJSON *spec;
	const char *ctl, *def;
	struct kn_ingclass *c;
	struct pack k;

	if (jobj(d, obj, "spec", "", &spec) < 0 ||
	    jstr(d, spec, "controller", "spec", &ctl) < 0)
		return -1;
	def = annot(mt, "ingressclass.kubernetes.io/is-default-class");
	c = (struct kn_ingclass *)pk_begin(d, &k, sizeof(*c), meta_size(mt));
	if (c == NULL)
		return -1;
	meta_fill(d, &k, &c->o, KN_INGCLASS, mt);
	c->controller = ctl != NULL ? kn_model_intern(d->m, ctl) : NULL;
	c->is_default = def != NULL && strcmp(def, "true") == 0;
	*out = &c->o;
	return 0;
}

/* ---- Node ---- */

static int
kn_strptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
dec_node(struct dec *d, const cJSON *obj, const struct meta *mt,
	 struct kn_obj **out)
{
	static const char pfx[] = "node-role.kubernetes.io/";
	const cJSON *spec, *st, *arr, *x, *it;
	const char *roles[32], *cidr, *kubelet = NULL, *type, *addr, *cst;
	struct kn_ipaddr addrs[16], ip;
	size_t ninternal = 0;
	struct kn_node *nd;
	struct pack k;
	char path[64];
	size_t nroles = 0, naddrs = 0, n, i, pass;
	bool b, ready = false;

	if (jobj(d, obj, "spec", "", &spec) < 0 ||
	    jobj(d, obj, "status", "", &st) < 0 ||
	    jstr(d, spec, "podCIDR", "spec", &cidr) < 0 ||
	    jbool(d, spec, "unschedulable", "spec", false, &b) < 0)
		return -1;
	cJSON_ArrayForEach(it, mt->labels)
	{
		if (it->string == NULL || nroles == 32)
			continue;
		if (strncmp(it->string, pfx, sizeof(pfx) - 1) == 0 &&
		    it->string[sizeof(pfx) - 1] != '\0')
			roles[nroles++] = kn_model_intern(
				d->m, it->string + sizeof(pfx) - 1);
		else if (strcmp(it->string, "kubernetes.io/role") == 0 &&
			 cJSON_IsString(it) && it->valuestring[0])
			roles[nroles++] =
				kn_model_intern(d->m, it->valuestring);
	}
	qsort(roles, nroles, sizeof(roles[0]), kn_strptr_cmp);
	if (jarr(d, st, "addresses", "status", &arr, &n) < 0)
		return -1;
	/* InternalIP addresses first, then ExternalIP. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			x = cJSON_GetArrayItem(arr, (int)i);
			dpath(d, path, sizeof(path), "status.addresses[%zu]",
			      i);
			if (jstr(d, x, "type", path, &type) < 0 ||
			    jstr(d, x, "address", path, &addr) < 0)
				return -1;
			if (type == NULL || addr == NULL ||
			    strcmp(type, pass ? "ExternalIP" : "InternalIP"))
				continue;
			if (!kn_ipaddr_parse(addr, &ip))
				return dfail(d, path, "address",
					     "an IP address");
			if (naddrs < 16)
				addrs[naddrs++] = ip;
		}
		if (pass == 0)
			ninternal = naddrs;
	}
	if (jarr(d, st, "conditions", "status", &arr, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		x = cJSON_GetArrayItem(arr, (int)i);
		dpath(d, path, sizeof(path), "status.conditions[%zu]", i);
		if (jstr(d, x, "type", path, &type) < 0 ||
		    jstr(d, x, "status", path, &cst) < 0)
			return -1;
		if (type != NULL && strcmp(type, "Ready") == 0)
			ready = cst != NULL && strcmp(cst, "True") == 0;
	}
	if (jstr(d, jget(st, "nodeInfo"), "kubeletVersion", "status.nodeInfo",
		 &kubelet) < 0)
		return -1;
	nd = (struct kn_node *)pk_begin(
		d, &k, sizeof(*nd),
		pk_size(nroles, sizeof(char *)) + pk_size(naddrs, sizeof(ip)) +
			kn_slen(cidr) + kn_slen(kubelet) + meta_size(mt));
	if (nd == NULL)
		return -1;
	meta_fill(d, &k, &nd->o, KN_NODE, mt);
	nd->roles = pk_copy(&k, roles, nroles * sizeof(char *));
	nd->nroles = (uint16_t)nroles;
	nd->addrs = pk_copy(&k, addrs, naddrs * sizeof(ip));
	nd->naddrs = (uint16_t)naddrs;
	/* The first InternalIP; with none, the first address at all. */
	if (naddrs)
		nd->internal_ip = addrs[0];
	if (ninternal < naddrs)
		nd->external_ip = addrs[ninternal];
	nd->pod_cidr = pk_str(&k, cidr);
	nd->kubelet = pk_str(&k, kubelet);
	nd->ready = ready;
	nd->unschedulable = b;
	*out = &nd->o;
	return 0;
}

/* Labels kept whole: policies' namespaceSelectors match them. The API
 * server sets kubernetes.io/metadata.name to the name (1.21 and later);
 * a manifest or an older snapshot may lack it, so it is added. */
static int
dec_namespace(struct dec *d, const cJSON *obj, const struct meta *mt,
	      struct kn_obj **out)
{
	static const char kn_ns_name_label[] = "kubernetes.io/metadata.name";
	struct kn_namespace *ns;
	struct kn_label *labels = NULL;
	struct pack k;
	const char *ph;
	size_t nl = 0, i;
	bool named = false;

	if (jstr(d, jget(obj, "status"), "phase", "status", &ph) < 0 ||
	    dlabels(d, mt->labels, "metadata.labels", &labels, &nl) < 0)
		return -1;
	for (i = 0; i < nl; i++)
		if (strcmp(labels[i].key, kn_ns_name_label) == 0)
			named = true;
	if (!named && nl == UINT16_MAX) {
		free(labels);
		return dfail(d, "metadata", "labels", "fewer labels");
	}
	ns = (struct kn_namespace *)pk_begin(
		d, &k, sizeof(*ns),
		pk_size(nl + !named, sizeof(*labels)) + meta_size(mt));
	if (ns == NULL) {
		free(labels);
		return -1;
	}
	meta_fill(d, &k, &ns->o, KN_NAMESPACE, mt);
	ns->labels = pk_take(&k, (nl + !named) * sizeof(*labels));
	if (nl > 0)
		memcpy(ns->labels, labels, nl * sizeof(*labels));
	if (!named) {
		ns->labels[nl].key = kn_model_intern(d->m, kn_ns_name_label);
		ns->labels[nl].value = kn_model_intern(d->m, mt->name);
	}
	ns->nlabels = (uint16_t)(nl + !named);
	ns->terminating = ph != NULL && strcmp(ph, "Terminating") == 0;
	free(labels);
	*out = &ns->o;
	return 0;
}

static int
dec_daemonset(struct dec *d, const cJSON *obj, const struct meta *mt,
	      struct kn_obj **out)
{
	static const char *const lists[2] = {"initContainers", "containers"};
	const cJSON *spec, *st, *pspec, *arr, *c;
	const char *images[32], *img;
	struct kn_daemonset *ds;
	struct pack k;
	char path[80];
	size_t nimg = 0, n, i, l, sb = 0;
	long desired, ready;

	if (jobj(d, obj, "spec", "", &spec) < 0 ||
	    jobj(d, obj, "status", "", &st) < 0 ||
	    jint(d, st, "desiredNumberScheduled", "status", 0, INT32_MAX,
		 &desired) < 0 ||
	    jint(d, st, "numberReady", "status", 0, INT32_MAX, &ready) < 0)
		return -1;
	pspec = jget(jget(spec, "template"), "spec");
	for (l = 0; l < 2; l++) {
		if (jarr(d, pspec, lists[l], "spec.template.spec", &arr, &n) <
		    0)
			return -1;
		for (i = 0; i < n; i++) {
			c = cJSON_GetArrayItem(arr, (int)i);
			dpath(d, path, sizeof(path),
			      "spec.template.spec.%s[%zu]", lists[l], i);
			if (jstr(d, c, "image", path, &img) < 0)
				return -1;
			if (img != NULL && nimg < 32) {
				images[nimg++] = img;
				sb += kn_slen(img);
			}
		}
	}
	ds = (struct kn_daemonset *)pk_begin(d, &k, sizeof(*ds),
					     pk_size(nimg, sizeof(char *)) +
						     sb + meta_size(mt));
	if (ds == NULL)
		return -1;
	meta_fill(d, &k, &ds->o, KN_DAEMONSET, mt);
	ds->images = pk_take(&k, nimg * sizeof(char *));
	for (i = 0; i < nimg; i++)
		ds->images[i] = pk_str(&k, images[i]);
	ds->nimages = (uint16_t)nimg;
	ds->desired = (uint32_t)desired;
	ds->ready = (uint32_t)ready;
	*out = &ds->o;
	return 0;
}

/* The top-level "mode:" of a KubeProxyConfiguration (YAML text): a line
 * without indent, the value unquoted; "" when the key is empty. */
static bool
proxy_mode(const char *conf, char *out, size_t cap)
{
	const char *p = conf, *v, *e;
	size_t n;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, "mode:", 5) == 0) {
			v = p + 5;
			while (*v == ' ' || *v == '\t')
				v++;
			e = v;
			while (*e != '\0' && *e != '\n' && *e != '\r' &&
			       *e != '#')
				e++;
			while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			if (e > v && (*v == '"' || *v == '\'') && e[-1] == *v &&
			    e - v >= 2) {
				v++;
				e--;
			}
			n = (size_t)(e - v) < cap - 1 ? (size_t)(e - v)
						      : cap - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return true;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return false;
}

static int
dec_configmap(struct dec *d, const cJSON *obj, const struct meta *mt,
	      struct kn_obj **out)
{
	const cJSON *data;
	const char *cf, *conf = NULL;
	char mode[32];
	bool have_mode;
	struct kn_configmap *cm;
	struct pack k;

	if (jobj(d, obj, "data", "", &data) < 0 ||
	    jstr(d, data, "Corefile", "data", &cf) < 0)
		return -1;
	if (strcmp(mt->name, "kube-proxy") == 0 &&
	    jstr(d, data, "config.conf", "data", &conf) < 0)
		return -1;
	have_mode = conf != NULL && proxy_mode(conf, mode, sizeof(mode));
	cm = (struct kn_configmap *)pk_begin(
		d, &k, sizeof(*cm),
		kn_slen(cf) + (have_mode ? kn_slen(mode) : 0) + meta_size(mt));
	if (cm == NULL)
		return -1;
	meta_fill(d, &k, &cm->o, KN_CONFIGMAP, mt);
	cm->corefile = pk_str(&k, cf);
	cm->proxy_mode = have_mode ? pk_str(&k, mode) : NULL;
	*out = &cm->o;
	return 0;
}

typedef int (*kn_decoder)(struct dec *, const cJSON *, const struct meta *,
			  struct kn_obj **);

/* Parallel to the model's kind registry (model/kind.c), indexed by the
 * same enum: the model keeps the names, this module the JSON side. */
static const kn_decoder kn_decoders[] = {
	[KN_POD] = dec_pod,
	[KN_SERVICE] = dec_service,
	[KN_ENDPOINTS] = dec_endpoints,
	[KN_SLICE] = dec_slice,
	[KN_INGRESS] = dec_ingress,
	[KN_INGCLASS] = dec_ingclass,
	[KN_NODE] = dec_node,
	[KN_NAMESPACE] = dec_namespace,
	[KN_DAEMONSET] = dec_daemonset,
	[KN_CONFIGMAP] = dec_configmap,
	[KN_NETPOL] = dec_netpol,
	[KN_GWCLASS] = dec_gwclass,
	[KN_GATEWAY] = dec_gateway,
	[KN_HTTPROUTE] = dec_route,
	[KN_GRPCROUTE] = dec_route,
	[KN_TLSROUTE] = dec_route,
	[KN_TCPROUTE] = dec_route,
	[KN_UDPROUTE] = dec_route,
	[KN_REFGRANT] = dec_refgrant,
};
_Static_assert(sizeof(kn_decoders) / sizeof(kn_decoders[0]) == KN_KIND__COUNT,
	       "objdecode: one decoder per enum kn_kind");

static enum kn_err
kn_objdecode_run(struct kn_model *m, enum kn_watch_event ev, const char *kind,
		 const cJSON *obj, bool planned, char *errbuf)
{
	struct dec d = {m, errbuf, false, false, planned};
	struct kn_obj *o = NULL;
	struct meta mt;
	const cJSON *kj;
	cJSON *copy;
	enum kn_err e;
	int k;

	errbuf[0] = '\0';
	if (kn_model_anon(m) != NULL && obj != NULL) {
		/* --anonymize: decode a rewritten copy, so the model and every
		 * view derived from it hold only pseudonyms. */
		struct kn_anon *anon = kn_model_anon(m);

		copy = cJSON_Duplicate(obj, 1);
		if (copy == NULL)
			return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
		kn_anon_json(anon, copy);
		kn_model_set_anon(m, NULL);
		e = kn_objdecode_run(m, ev, kind, copy, planned, errbuf);
		kn_model_set_anon(m, anon);
		cJSON_Delete(copy);
		return e;
	}
	if (kind == NULL) {
		kj = jget(obj, "kind");
		if (!cJSON_IsString(kj))
			return kn_errf(errbuf, KN_ERR_PARSE,
				       "kind: expected a string");
		kind = kj->valuestring;
	}
	k = kn_kind_from_name(kind);
	kj = jget(obj, "apiVersion");
	if (k < 0 || !kn_kind_api_version_ok(
			     (enum kn_kind)k,
			     cJSON_IsString(kj) ? kj->valuestring : NULL)) {
		kn_model_count_unknown(m);
		return KN_OK;
	}
	if (dmeta(&d, obj, k, &mt) < 0)
		return KN_ERR_PARSE;
	if (k == KN_CONFIGMAP && strcmp(mt.name, "coredns") != 0 &&
	    strcmp(mt.name, "kube-proxy") != 0)
		return KN_OK;
	if (!planned && kn_model_has_planned(m)) {
		/* The manifests stay on top of what the cluster says. */
		const struct kn_obj *was =
			kn_model_find(m, (enum kn_kind)k, mt.ns, mt.name);

		if (was != NULL && was->planned)
			return KN_OK;
	}
	if (ev == KN_EV_DELETED) {
		kn_model_delete(m, (enum kn_kind)k, mt.ns, mt.name);
		return KN_OK;
	}
	if (kn_decoders[k](&d, obj, &mt, &o) < 0) {
		if (d.nomem)
			return KN_ERR_NOMEM;
		/* Again, with paths, for the message. */
		d.paths = true;
		errbuf[0] = '\0';
		if (kn_decoders[k](&d, obj, &mt, &o) == 0) {
			kn_model_obj_free(m, o); /* cannot happen */
			o = NULL;
		}
		if (d.nomem)
			return KN_ERR_NOMEM;
		if (errbuf[0] == '\0')
			kn_errf(errbuf, KN_ERR_PARSE, "cannot decode %s", kind);
		return KN_ERR_PARSE;
	}
	kn_model_put(m, o);
	return KN_OK;
}

enum kn_err
kn_objdecode_apply(struct kn_model *m, enum kn_watch_event ev, const char *kind,
		   const cJSON *obj, char *errbuf)
{
	return kn_objdecode_run(m, ev, kind, obj, false, errbuf);
}

enum kn_err
kn_objdecode_plan(struct kn_model *m, const char *kind, const cJSON *obj,
		  char *errbuf)
{
	return kn_objdecode_run(m, KN_EV_ADDED, kind, obj, true, errbuf);
}

void
kn_objdecode_list_begin(struct kn_model *m, const char *kind)
{
	int k = kn_kind_from_name(kind);

	if (k >= 0)
		kn_model_mark_begin(m, (enum kn_kind)k);
}

void
kn_objdecode_list_end(struct kn_model *m, const char *kind)
{
	int k = kn_kind_from_name(kind);

	if (k >= 0)
		kn_model_sweep(m, (enum kn_kind)k);
}

const char *
kn_objdecode_item_kind(const char *list_kind)
{
	int k = kn_kind_from_list_name(list_kind);

	return k >= 0 ? kn_kind_name((enum kn_kind)k) : NULL;
}
