/* Findings: what in the planned network would be broken, each at the
 * file and line of the object that causes it (--check).
 *
 * Every check reads the model as planned (the source with the manifests
 * on top), so a manifest is checked against the cluster it lands in;
 * only objects from the manifests are reported (all objects when there
 * are no manifests). Templates stand for their pods where a workload has
 * none (replicas: 0). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/policy.h"
#include "plan_int.h"

const char *const kn_plan_checks[] = {
	"invalid-object",
	"duplicate-object",
	"service-selects-nothing",
	"target-port-missing",
	"ingress-service-missing",
	"ingress-port-missing",
	"ingress-no-backend",
	"ingress-no-class",
	"ingress-conflict",
	"nodeport-out-of-range",
	"nodeport-conflict",
	"statefulset-service-missing",
	"statefulset-service-not-headless",
	"host-port-conflict",
	"dns-egress-denied",
	NULL,
};

struct ck {
	const struct kn_plan *p; /* NULL: check every object */
	struct kn_model *m;
	struct kn_findings *out;
};

static bool
in_scope(const struct ck *c, const struct kn_obj *o)
{
	return c->p == NULL || o->planned;
}

static void add(struct ck *c, const char *check, const struct kn_obj *o,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A finding about model object o. */
static void
add(struct ck *c, const char *check, const struct kn_obj *o, const char *fmt,
    ...)
{
	const struct plan_rec *r = plan_rec_of(c->p, o);
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	plan_finding(c->out, check, kn_kind_name((enum kn_kind)o->kind), o->ns,
		     o->name, r != NULL ? r->file : NULL,
		     r != NULL ? r->line : 0, "%s", msg);
}

static void add_tmpl(struct ck *c, const char *check, const struct plan_tmpl *t,
		     const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A finding about the workload of template t. */
static void
add_tmpl(struct ck *c, const char *check, const struct plan_tmpl *t,
	 const char *fmt, ...)
{
	const struct plan_rec *r = &c->p->recs[t->rec];
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	plan_finding(c->out, check, r->kind, r->ns, r->name, r->file, r->line,
		     "%s", msg);
}

static const char *
labels_text(const struct kn_label *l, size_t n, char *buf, size_t cap)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < n && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%s=%s",
					i ? "," : "", l[i].key, l[i].value);
	return buf;
}

static bool
tmpl_selected(const struct plan_tmpl *t, const struct kn_service *s)
{
	uint16_t i, k;

	if (t->ns != s->o.ns || s->nselector == 0)
		return false;
	for (i = 0; i < s->nselector; i++) {
		for (k = 0; k < t->nlabels; k++)
			if (t->labels[k].key == s->selector[i].key &&
			    t->labels[k].value == s->selector[i].value)
				break;
		if (k == t->nlabels)
			return false;
	}
	return true;
}

static bool
tmpl_has_port(const struct plan_tmpl *t, const char *name, uint8_t proto)
{
	uint16_t i;

	for (i = 0; i < t->nports; i++)
		if (t->ports[i].name == name && t->ports[i].proto == proto)
			return true;
	return false;
}

/* The named ports pods of a service offer, for the message. */
static const char *
ports_text(const struct kn_pod *pod, const struct plan_tmpl *t, char *buf,
	   size_t cap)
{
	size_t i, n = pod != NULL ? pod->nports : t != NULL ? t->nports : 0;
	size_t off = 0;
	const char *name;
	unsigned port;

	buf[0] = '\0';
	for (i = 0; i < n && off < cap; i++) {
		name = pod != NULL ? pod->ports[i].name : t->ports[i].name;
		port = pod != NULL ? pod->ports[i].port : t->ports[i].port;
		off += (size_t)snprintf(buf + off, cap - off, "%s%u%s%s%s",
					i ? ", " : "", port, name ? " (" : "",
					name ? name : "", name ? ")" : "");
	}
	if (n == 0)
		snprintf(buf, cap, "none declared");
	return buf;
}

/* ---- services: selectors and named target ports ---- */

static void
check_service(struct ck *c, const struct kn_service *s)
{
	const struct plan_tmpl *tm = NULL;
	struct kn_pod **pods;
	char sel[256], have[256];
	size_t n, i, k;
	uint16_t j;
	bool found;

	if (!s->has_selector || s->type == KN_SVC_EXTERNALNAME)
		return;
	n = kn_model_select_pods(c->m, s->o.ns, s->selector, s->nselector,
				 &pods);
	for (i = 0; c->p != NULL && i < c->p->ntmpls && tm == NULL; i++)
		if (tmpl_selected(&c->p->tmpls[i], s))
			tm = &c->p->tmpls[i];
	labels_text(s->selector, s->nselector, sel, sizeof(sel));
	if (n == 0 && tm == NULL) {
		add(c, "service-selects-nothing", &s->o,
		    "selector %s matches no pod or pod template in "
		    "namespace %s: the service has no endpoints",
		    sel, s->o.ns);
		free(pods);
		return;
	}
	for (j = 0; j < s->nports; j++) {
		const struct kn_svc_port *sp = &s->ports[j];

		if (sp->target_name == NULL)
			continue;
		found = false;
		for (i = 0; i < n && !found; i++)
			found = kn_np_named_port(pods[i], sp->target_name,
						 sp->proto) != 0;
		for (k = 0; c->p != NULL && k < c->p->ntmpls && !found; k++)
			found = tmpl_selected(&c->p->tmpls[k], s) &&
				tmpl_has_port(&c->p->tmpls[k], sp->target_name,
					      sp->proto);
		if (found)
			continue;
		add(c, "target-port-missing", &s->o,
		    "port %u: targetPort \"%s\" (%s) is not a port of the "
		    "containers selected by %s (their ports: %s)",
		    sp->port, sp->target_name, kn_proto_name(sp->proto), sel,
		    ports_text(n ? pods[0] : NULL, n ? NULL : tm, have,
			       sizeof(have)));
	}
	free(pods);
}

/* ---- node ports ---- */

struct np {
	uint16_t port;
	uint8_t proto;
	const struct kn_service *svc;
};

static int
np_cmp(const void *a, const void *b)
{
	const struct np *x = a, *y = b;

	return x->port != y->port ? (x->port < y->port ? -1 : 1) : 0;
}

static void
check_node_ports(struct ck *c, struct kn_obj **svcs, size_t nsvc)
{
	struct np *v = NULL;
	size_t n = 0, cap = 0, i, k;
	uint16_t j;

	for (i = 0; i < nsvc; i++) {
		const struct kn_service *s = (const void *)svcs[i];

		for (j = 0; j < s->nports; j++) {
			uint16_t np = s->ports[j].node_port;

			if (np == 0)
				continue;
			if (in_scope(c, &s->o) && (np < 30000 || np > 32767))
				add(c, "nodeport-out-of-range", &s->o,
				    "port %u: nodePort %u is outside "
				    "30000-32767, the default range: the API "
				    "refuses it",
				    s->ports[j].port, np);
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				v = kn_xreallocarray(v, cap, sizeof(*v));
			}
			v[n++] = (struct np){np, s->ports[j].proto, s};
		}
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), np_cmp);
	/* A node port is one per cluster, whatever the protocol; one
	 * service may use it for TCP and UDP alike. */
	for (i = 0; i < n; i++)
		for (k = i + 1; k < n && v[k].port == v[i].port; k++) {
			const struct np *a = &v[i], *b = &v[k];

			if (a->svc == b->svc && a->proto != b->proto)
				continue;
			if (in_scope(c, &b->svc->o))
				add(c, "nodeport-conflict", &b->svc->o,
				    "nodePort %u is also taken by service "
				    "%s/%s",
				    b->port, a->svc->o.ns, a->svc->o.name);
			else if (in_scope(c, &a->svc->o))
				add(c, "nodeport-conflict", &a->svc->o,
				    "nodePort %u is also taken by service "
				    "%s/%s",
				    a->port, b->svc->o.ns, b->svc->o.name);
		}
	free(v);
}

/* ---- ingresses ---- */

static const char *
path_text(const struct kn_ing_path *pa, char *buf, size_t cap)
{
	if (pa->is_default)
		snprintf(buf, cap, "default backend");
	else
		snprintf(buf, cap, "%s%s", pa->host ? pa->host : "*",
			 pa->path ? pa->path : "/");
	return buf;
}

static const char *
svc_ports_text(const struct kn_service *s, char *buf, size_t cap)
{
	size_t off = 0;
	uint16_t i;

	buf[0] = '\0';
	for (i = 0; i < s->nports && off < cap; i++)
		off += (size_t)snprintf(
			buf + off, cap - off, "%s%u%s%s%s", i ? ", " : "",
			s->ports[i].port, s->ports[i].name ? " (" : "",
			s->ports[i].name ? s->ports[i].name : "",
			s->ports[i].name ? ")" : "");
	if (s->nports == 0)
		snprintf(buf, cap, "none");
	return buf;
}

static void
check_ingress(struct ck *c, const struct kn_ingress *ing)
{
	struct kn_ing_chain ch;
	char where[320], port[80], have[256];
	uint16_t i;
	bool classless = false;

	for (i = 0; i < ing->npaths; i++) {
		const struct kn_ing_path *pa = &ing->paths[i];

		kn_model_ingress_chain(c->m, ing, i, &ch);
		if (ch.class_name == NULL && !classless) {
			classless = true;
			add(c, "ingress-no-class", &ing->o,
			    "no ingressClassName and no IngressClass is "
			    "marked default: no controller may serve it");
		}
		path_text(pa, where, sizeof(where));
		if (ch.status == KN_ING_NO_BACKEND)
			add(c, "ingress-no-backend", &ing->o,
			    "%s: the backend names neither a service nor a "
			    "resource (serviceName and servicePort are "
			    "v1beta1 fields, dropped under "
			    "networking.k8s.io/v1)",
			    where);
		if (pa->service == NULL)
			continue;
		if (pa->port_name != NULL)
			snprintf(port, sizeof(port), "\"%s\"", pa->port_name);
		else
			snprintf(port, sizeof(port), "%u", pa->port_number);
		if (ch.status == KN_ING_SERVICE_MISSING)
			add(c, "ingress-service-missing", &ing->o,
			    "%s -> service %s port %s: no such service in "
			    "namespace %s",
			    where, pa->service, port, ing->o.ns);
		else if (ch.status == KN_ING_PORT_MISSING &&
			 pa->port_name == NULL && pa->port_number == 0)
			add(c, "ingress-port-missing", &ing->o,
			    "%s -> service %s: the backend gives no port",
			    where, pa->service);
		else if (ch.status == KN_ING_PORT_MISSING)
			add(c, "ingress-port-missing", &ing->o,
			    "%s -> service %s port %s: the service has no "
			    "such port (its ports: %s)",
			    where, pa->service, port,
			    svc_ports_text(ch.service, have, sizeof(have)));
	}
}

/* One rule path as a claim: the same class, host, path and type claimed
 * by two ingresses is a conflict the controllers settle each their own
 * way (ingress-nginx: the oldest wins). */
struct claim {
	const char *cls, *host;
	char path[256];
	uint8_t type;
	const struct kn_ingress *ing;
};

static int
claim_cmp(const void *a, const void *b)
{
	const struct claim *x = a, *y = b;
	int r;

	/* the class name may be interned or an IngressClass's own */
	if ((x->cls == NULL) != (y->cls == NULL))
		return x->cls == NULL ? -1 : 1;
	if (x->cls != NULL && (r = strcmp(x->cls, y->cls)) != 0)
		return r;
	if ((r = strcmp(x->host, y->host)) != 0)
		return r;
	if ((r = strcmp(x->path, y->path)) != 0)
		return r;
	return (int)x->type - (int)y->type;
}

static void
check_claims(struct ck *c, struct kn_obj **ings, size_t ning)
{
	struct claim *v = NULL;
	struct kn_ing_chain ch;
	size_t n = 0, cap = 0, i, k, len;
	uint16_t j;

	for (i = 0; i < ning; i++) {
		const struct kn_ingress *ing = (const void *)ings[i];
		const char *cls = NULL;

		if (ing->npaths > 0) {
			kn_model_ingress_chain(c->m, ing, 0, &ch);
			cls = ch.class_name;
		}
		for (j = 0; j < ing->npaths; j++) {
			const struct kn_ing_path *pa = &ing->paths[j];

			if (pa->is_default)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				v = kn_xreallocarray(v, cap, sizeof(*v));
			}
			v[n].cls = cls;
			v[n].host = pa->host ? pa->host : "";
			snprintf(v[n].path, sizeof(v[n].path), "%s",
				 pa->path ? pa->path : "/");
			/* a Prefix matches by path element: /a/ is /a */
			len = strlen(v[n].path);
			if (pa->path_type != KN_PATH_EXACT && len > 1 &&
			    v[n].path[len - 1] == '/')
				v[n].path[len - 1] = '\0';
			v[n].type = pa->path_type;
			v[n].ing = ing;
			n++;
		}
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), claim_cmp);
	for (i = 0; i < n; i++)
		for (k = i + 1; k < n && claim_cmp(&v[i], &v[k]) == 0; k++) {
			const struct claim *a = &v[i], *b = &v[k];
			const struct kn_ingress *at = b->ing, *other = a->ing;

			if (a->ing == b->ing)
				continue;
			if (!in_scope(c, &at->o)) {
				at = a->ing;
				other = b->ing;
			}
			if (!in_scope(c, &at->o))
				continue;
			add(c, "ingress-conflict", &at->o,
			    "host %s path %s (%s) is also claimed by ingress "
			    "%s/%s",
			    *a->host ? a->host : "*", a->path,
			    kn_path_type_name(a->type), other->o.ns,
			    other->o.name);
		}
	free(v);
}

/* ---- StatefulSets and their governing services ---- */

static void
check_statefulsets(struct ck *c)
{
	const struct kn_service *s;
	size_t i;

	for (i = 0; c->p != NULL && i < c->p->ntmpls; i++) {
		const struct plan_tmpl *t = &c->p->tmpls[i];

		if (t->wl != WL_STATEFULSET || t->service_name == NULL)
			continue;
		s = (const struct kn_service *)kn_model_find(
			c->m, KN_SERVICE, t->ns, t->service_name);
		if (s == NULL)
			add_tmpl(c, "statefulset-service-missing", t,
				 "serviceName %s names no Service in namespace "
				 "%s: its pods get no stable DNS names "
				 "(%s-0.%s.%s.svc)",
				 t->service_name, t->ns, t->name,
				 t->service_name, t->ns);
		else if (!s->headless)
			add_tmpl(c, "statefulset-service-not-headless", t,
				 "serviceName %s is not a headless service "
				 "(clusterIP: None): its pods get no stable "
				 "DNS names",
				 t->service_name);
	}
}

/* ---- ports taken on the host ---- */

struct hp {
	const char *node; /* interned */
	uint16_t port;
	uint8_t proto;
	const char *ns, *pod;
	int32_t tmpl; /* -1: a pod of the source */
};

static int
hp_cmp(const void *a, const void *b)
{
	const struct hp *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->proto != y->proto)
		return (int)x->proto - (int)y->proto;
	return (int)x->port - (int)y->port;
}

static void
hp_add(struct hp **v, size_t *n, size_t *cap, const struct hp *e)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = kn_xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = *e;
}

static bool
base_host_ports(struct kn_obj *o, void *arg)
{
	const struct kn_pod *pod = (const struct kn_pod *)o;
	void **a = arg;
	uint16_t i;

	if (pod->o.planned || !pod->host_network || pod->node == NULL)
		return true;
	for (i = 0; i < pod->nports; i++) {
		struct hp e = {pod->node,	    pod->ports[i].port,
			       pod->ports[i].proto, pod->o.ns,
			       pod->o.name,	    -1};

		hp_add(a[0], a[1], a[2], &e);
	}
	return true;
}

static void
check_host_ports(struct ck *c)
{
	const struct kn_plan *p = c->p;
	struct hp *v = NULL, e;
	size_t n = 0, cap = 0, i, k, g, *said = NULL, nsaid = 0;
	void *arg[3] = {&v, &n, &cap};
	uint16_t j;

	if (p == NULL)
		return;
	for (i = 0; i < p->npods; i++) {
		const struct plan_pod *pp = &p->pods[i];
		const struct plan_tmpl *t = &p->tmpls[pp->tmpl];

		for (j = 0; j < t->nports && pp->node != NULL; j++) {
			e.port = t->host_network ? t->ports[j].port
						 : t->ports[j].host_port;
			if (e.port == 0)
				continue;
			e.node = pp->node;
			e.proto = t->ports[j].proto;
			e.ns = pp->ns;
			e.pod = pp->name;
			e.tmpl = (int32_t)pp->tmpl;
			hp_add(&v, &n, &cap, &e);
		}
	}
	if (n == 0)
		return;
	kn_model_each(c->m, KN_POD, base_host_ports, arg);
	qsort(v, n, sizeof(*v), hp_cmp);
	said = kn_xcalloc(n, sizeof(*said));
	for (i = 0; i < n; i = g) {
		for (g = i + 1; g < n && hp_cmp(&v[i], &v[g]) == 0; g++)
			;
		if (g - i < 2)
			continue;
		for (k = i; k < g; k++) {
			const struct hp *x = &v[k], *y = &v[k == i ? i + 1 : i];
			size_t s;

			if (x->tmpl < 0)
				continue;
			/* one finding per workload and port */
			for (s = 0; s < nsaid; s++)
				if (v[said[s]].tmpl == x->tmpl &&
				    v[said[s]].port == x->port &&
				    v[said[s]].proto == x->proto)
					break;
			if (s < nsaid)
				continue;
			said[nsaid++] = k;
			add_tmpl(c, "host-port-conflict", &p->tmpls[x->tmpl],
				 "%s %u on node %s is taken by pod %s/%s and "
				 "pod %s/%s%s: only one can run there",
				 kn_proto_name(x->proto), x->port, x->node,
				 x->ns, x->pod, y->ns, y->pod,
				 g - i > 2 ? " (and more)" : "");
		}
	}
	free(said);
	free(v);
}

/* ---- NetworkPolicy that cuts pods off the cluster DNS ---- */

struct dns {
	struct kn_np_target t;
	const struct kn_pod *pod; /* the DNS server pod asked */
	uint16_t port;
	struct kn_pod standin;
	struct kn_label standin_labels[1];
	struct kn_cport standin_ports[2];
};

/* The cluster DNS as pods reach it: a pod of kube-system/kube-dns, or,
 * when the model has none (manifests alone), a stand-in CoreDNS pod as
 * kubeadm deploys it: kube-system, k8s-app=kube-dns, UDP and TCP 53, at
 * 10.96.0.10. */
static void
dns_init(struct ck *c, struct dns *d)
{
	struct kn_np_port_ask ask = {.port = 53, .proto = KN_PROTO_UDP};
	char err[128];
	size_t i;

	memset(d, 0, sizeof(*d));
	if (kn_np_target_resolve(c->m, "svc/kube-system/kube-dns", NULL, &d->t,
				 err, sizeof(err)))
		for (i = 0; i < d->t.npods && d->pod == NULL; i++)
			if (d->t.pods[i]->nips > 0 &&
			    (d->port = kn_np_port_on(&d->t, d->t.pods[i],
						     &ask)) != 0)
				d->pod = d->t.pods[i];
	if (d->pod != NULL)
		return;
	d->standin.o.ns = kn_model_intern(c->m, "kube-system");
	d->standin.o.name = "coredns";
	d->standin.o.kind = KN_POD;
	d->standin_labels[0].key = kn_model_intern(c->m, "k8s-app");
	d->standin_labels[0].value = kn_model_intern(c->m, "kube-dns");
	d->standin.labels = d->standin_labels;
	d->standin.nlabels = 1;
	d->standin_ports[0] = (struct kn_cport){kn_model_intern(c->m, "dns"),
						53, KN_PROTO_UDP};
	d->standin_ports[1] = (struct kn_cport){
		kn_model_intern(c->m, "dns-tcp"), 53, KN_PROTO_TCP};
	d->standin.ports = d->standin_ports;
	d->standin.nports = 2;
	kn_ipaddr_parse("10.96.0.10", &d->standin.ips[0]);
	d->standin.nips = 1;
	d->standin.phase = KN_PHASE_RUNNING;
	d->standin.ready = true;
	d->pod = &d->standin;
	d->port = 53;
}

/* Who is blamed for a denial: a policy, or a planned workload whose pods
 * a policy of the source cuts off. */
struct blame {
	const struct kn_netpol *np;
	int32_t tmpl;
	bool ingress; /* the DNS pod's ingress side denies */
	size_t pods;
	const struct kn_pod *first;
};

static void
blame_add(struct blame **v, size_t *n, const struct blame *b)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i].np == b->np && (*v)[i].tmpl == b->tmpl &&
		    (*v)[i].ingress == b->ingress) {
			(*v)[i].pods++;
			return;
		}
	*v = kn_xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n] = *b;
	(*v)[*n].pods = 1;
	(*n)++;
}

static void
dns_blame(struct ck *c, const struct kn_pod *pod, const struct kn_np_side *sd,
	  bool ingress, struct blame **v, size_t *n)
{
	const struct plan_tmpl *t = plan_tmpl_of(c->p, pod);
	struct blame b;
	size_t i;

	for (i = 0; i < sd->nrefs; i++) {
		memset(&b, 0, sizeof(b));
		b.ingress = ingress;
		b.first = pod;
		b.tmpl = -1;
		if (in_scope(c, &sd->refs[i].np->o))
			b.np = sd->refs[i].np;
		else if (t != NULL)
			b.tmpl = (int32_t)(t - c->p->tmpls);
		else
			continue;
		blame_add(v, n, &b);
	}
}

static void
check_dns(struct ck *c)
{
	struct kn_policy_index *ix;
	struct kn_obj **pods;
	struct blame *bl = NULL;
	struct dns d;
	struct kn_pod_isolation iso, diso;
	struct kn_np_query q;
	struct kn_np_answer a;
	char who[320], extra[64];
	size_t n, i, nbl = 0;

	if (kn_model_count(c->m, KN_NETPOL) == 0)
		return;
	if ((ix = kn_policy_index_new(c->m)) == NULL)
		return;
	dns_init(c, &d);
	kn_policy_pod(ix, d.pod, &diso, NULL, 0);
	n = kn_model_list(c->m, KN_POD, NULL, &pods);
	for (i = 0; i < n; i++) {
		const struct kn_pod *pod = (const struct kn_pod *)pods[i];

		if (pod->host_network || pod->nips == 0 || pod == d.pod)
			continue;
		kn_policy_pod(ix, pod, &iso, NULL, 0);
		if (!iso.egress && !diso.ingress)
			continue;
		memset(&q, 0, sizeof(q));
		q.from.pod = pod;
		q.from.ip = pod->ips[0];
		q.to.pod = d.pod;
		q.to.ip = d.pod->ips[0];
		q.port = d.port;
		q.proto = KN_PROTO_UDP;
		kn_np_evaluate(c->m, ix, &q, &a);
		if (!a.allowed && !a.egress.allowed)
			dns_blame(c, pod, &a.egress, false, &bl, &nbl);
		else if (!a.allowed)
			dns_blame(c, pod, &a.ingress, true, &bl, &nbl);
		kn_np_answer_release(&a);
	}
	for (i = 0; i < nbl; i++) {
		const struct blame *b = &bl[i];

		kn_np_pod_name(b->first, who, sizeof(who));
		extra[0] = '\0';
		if (b->pods > 1)
			snprintf(extra, sizeof(extra), " (and %zu more pod%s)",
				 b->pods - 1, b->pods > 2 ? "s" : "");
		if (b->np != NULL && !b->ingress)
			add(c, "dns-egress-denied", &b->np->o,
			    "isolates the egress of %s%s and no rule allows "
			    "UDP 53 to the cluster DNS (kube-system, "
			    "k8s-app=kube-dns): name lookups fail",
			    who, extra);
		else if (b->np != NULL)
			add(c, "dns-egress-denied", &b->np->o,
			    "isolates the ingress of the cluster DNS: %s%s "
			    "cannot reach it on UDP 53",
			    who, extra);
		else
			add_tmpl(c, "dns-egress-denied", &c->p->tmpls[b->tmpl],
				 "its pods (%s%s) lose the cluster DNS: a "
				 "NetworkPolicy of the cluster isolates them "
				 "and no rule allows UDP 53 to kube-dns",
				 who, extra);
	}
	free(bl);
	free(pods);
	kn_np_target_release(&d.t);
	kn_policy_index_free(ix);
}

/* ---- all of it ---- */

static int
finding_cmp(const void *a, const void *b)
{
	const struct kn_finding *x = a, *y = b;
	int r;

	if ((x->file == NULL) != (y->file == NULL))
		return x->file == NULL ? 1 : -1;
	if (x->file != NULL && (r = strcmp(x->file, y->file)) != 0)
		return r;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if ((r = strcmp(x->check, y->check)) != 0)
		return r;
	if ((r = strcmp(x->ns, y->ns)) != 0)
		return r;
	if ((r = strcmp(x->name, y->name)) != 0)
		return r;
	return strcmp(x->message, y->message);
}

void
kn_plan_check(const struct kn_plan *p, struct kn_model *m,
	      struct kn_findings *out)
{
	struct ck c = {p, m, out};
	struct kn_obj **svcs, **ings;
	size_t nsvc, ning, i;

	if (p != NULL && p->m != m)
		p = c.p = NULL; /* not applied to this model */
	for (i = 0; p != NULL && i < p->found.n; i++) {
		const struct kn_finding *f = &p->found.v[i];

		plan_finding(out, f->check, f->kind, f->ns, f->name, f->file,
			     f->line, "%s", f->message);
	}
	nsvc = kn_model_list(m, KN_SERVICE, NULL, &svcs);
	for (i = 0; i < nsvc; i++)
		if (in_scope(&c, svcs[i]))
			check_service(&c, (const struct kn_service *)svcs[i]);
	check_node_ports(&c, svcs, nsvc);
	ning = kn_model_list(m, KN_INGRESS, NULL, &ings);
	for (i = 0; i < ning; i++)
		if (in_scope(&c, ings[i]))
			check_ingress(&c, (const struct kn_ingress *)ings[i]);
	check_claims(&c, ings, ning);
	check_statefulsets(&c);
	check_host_ports(&c);
	check_dns(&c);
	free(svcs);
	free(ings);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), finding_cmp);
}
