/* Derived views over the store: ingress chains (rule path -> class ->
 * controller -> service -> port -> endpoints), service problems, and the
 * CNI plugin recognised from DaemonSets. */
#include <stdlib.h>
#include <string.h>

#include "k8snet/intern.h"
#include "model_int.h"

const char *
kn_ing_status_name(uint8_t st)
{
	static const char *const n[] = {
		"ok",		"service-missing",  "port-missing",
		"no-endpoints", "resource-backend", "no-backend"};
	return st < sizeof(n) / sizeof(n[0]) ? n[st] : "ok";
}

struct kn_defclass {
	const struct kn_ingclass *pick;
};

static bool
find_default_class(struct kn_obj *o, void *arg)
{
	struct kn_defclass *d = arg;
	const struct kn_ingclass *c = (const struct kn_ingclass *)o;

	/* Several defaults: the API server refuses such Ingresses; take the
	 * first by name to stay deterministic. */
	if (c->is_default &&
	    (d->pick == NULL || strcmp(c->o.name, d->pick->o.name) < 0))
		d->pick = c;
	return true;
}

void
kn_model_ingress_chain(const struct kn_model *m, const struct kn_ingress *ing,
		       size_t i, struct kn_ing_chain *out)
{
	const struct kn_ing_path *p = &ing->paths[i];
	const struct kn_ingclass *cls = NULL;
	struct kn_defclass def = {NULL};
	const struct kn_service *svc;
	uint16_t k;

	memset(out, 0, sizeof(*out));
	out->ing = ing;
	out->path = p;
	out->class_name = ing->class_name;
	if (out->class_name != NULL) {
		cls = (const struct kn_ingclass *)kn_model_find(
			m, KN_INGCLASS, "", out->class_name);
	} else {
		kn_model_each(m, KN_INGCLASS, find_default_class, &def);
		cls = def.pick;
		if (cls != NULL)
			out->class_name = cls->o.name;
	}
	if (cls != NULL)
		out->controller = cls->controller;
	out->status = KN_ING_OK;
	if (p->service == NULL) {
		/* a resource backend has nothing to trace */
		out->status = p->res_kind != NULL ? KN_ING_RESOURCE_BACKEND
						  : KN_ING_NO_BACKEND;
		return;
	}
	svc = (const struct kn_service *)kn_model_find(m, KN_SERVICE, ing->o.ns,
						       p->service);
	out->service = svc;
	if (svc == NULL) {
		out->status = KN_ING_SERVICE_MISSING;
		return;
	}
	for (k = 0; k < svc->nports; k++) {
		if (p->port_name != NULL
			    ? svc->ports[k].name == p->port_name
			    : svc->ports[k].port == p->port_number) {
			out->port = &svc->ports[k];
			break;
		}
	}
	if (p->port_name == NULL && p->port_number == 0) {
		out->status = KN_ING_PORT_MISSING; /* none given */
		return;
	}
	if (svc->type == KN_SVC_EXTERNALNAME)
		return; /* proxied to a name, no endpoints to have */
	if (out->port == NULL) {
		out->status = KN_ING_PORT_MISSING;
		return;
	}
	out->endpoints = kn_model_service_port_endpoints(m, svc, out->port);
	if (out->endpoints.ready == 0)
		out->status = KN_ING_NO_ENDPOINTS;
}

static bool
pod_exposes(const struct kn_pod *p, const struct kn_svc_port *sp)
{
	uint16_t i;

	for (i = 0; i < p->nports; i++) {
		if (p->ports[i].proto != sp->proto)
			continue;
		if (sp->target_name != NULL
			    ? p->ports[i].name == sp->target_name
			    : p->ports[i].port == sp->target_port)
			return true;
	}
	return false;
}

void
kn_model_service_problems(const struct kn_model *m,
			  const struct kn_service *svc, struct kn_strs *out)
{
	struct kn_pod **pods = NULL;
	struct kn_ep_count ep;
	size_t np = 0, i, k;
	bool declared, ok;
	char msg[320];

	if (svc->type == KN_SVC_EXTERNALNAME)
		return;
	if (svc->has_selector) {
		np = kn_model_select_pods(m, svc->o.ns, svc->selector,
					  svc->nselector, &pods);
		if (np == 0)
			kn_strs_add(out, "selector matches no pods");
	}
	ep = kn_model_service_endpoints(m, svc);
	if (ep.ready == 0)
		kn_strs_add(out, "no ready endpoints");
	for (k = 0; k < svc->nports && np > 0; k++) {
		const struct kn_svc_port *sp = &svc->ports[k];

		ok = false;
		declared = false;
		for (i = 0; i < np && !ok; i++) {
			declared |= pods[i]->nports > 0;
			ok = pod_exposes(pods[i], sp);
		}
		/* Container ports are informational: a numeric targetPort
		 * is only suspect when the pods declare other ports. */
		if (ok || (sp->target_name == NULL && !declared))
			continue;
		if (sp->target_name != NULL)
			snprintf(msg, sizeof(msg),
				 "targetPort \"%s\" not "
				 "exposed by any selected pod",
				 sp->target_name);
		else
			snprintf(msg, sizeof(msg),
				 "targetPort %u not exposed "
				 "by any selected pod",
				 sp->target_port);
		kn_strs_add(out, msg);
	}
	free(pods);
}

/* CNI DaemonSets by name and by image; canal before calico and flannel,
 * whose images it ships. */
static const struct {
	const char *name, *ds, *image;
	bool exact;
} kn_cnis[] = {
	{"canal", "canal", NULL, false},
	{"calico", "calico-node", "calico/node", false},
	{"cilium", "cilium", "cilium/cilium", false},
	{"flannel", "flannel", "flannel", false},
	{"weave", "weave-net", "weave-kube", false},
	{"antrea", "antrea-agent", "antrea/antrea", false},
	{"kube-router", "kube-router", "kube-router", false},
	{"aws-vpc-cni", "aws-node", "amazon-k8s-cni", false},
	{"azure-cni", "azure-cni", "azure-cni", false},
	{"azure-cni", "azure-vnet", "azure-vnet", false},
	{"gke-netd", "netd", "/netd:", true},
	{"kindnet", "kindnet", "kindnetd", false},
	{"ovn-kubernetes", "ovnkube-node", NULL, false},
	{"kube-ovn", "kube-ovn-cni", NULL, false},
};

struct kn_cni_scan {
	size_t best;
};

static bool
cni_scan(struct kn_obj *o, void *arg)
{
	struct kn_cni_scan *s = arg;
	const struct kn_daemonset *ds = (const struct kn_daemonset *)o;
	size_t i, k;
	bool hit;

	for (i = 0; i < s->best; i++) {
		hit = kn_cnis[i].exact ? strcmp(o->name, kn_cnis[i].ds) == 0
				       : strstr(o->name, kn_cnis[i].ds) != NULL;
		for (k = 0; !hit && kn_cnis[i].image && k < ds->nimages; k++)
			hit = strstr(ds->images[k], kn_cnis[i].image) != NULL;
		if (hit) {
			s->best = i;
			break;
		}
	}
	return true;
}

const char *
kn_model_cni(const struct kn_model *m)
{
	struct kn_cni_scan s = {sizeof(kn_cnis) / sizeof(kn_cnis[0])};

	kn_model_each(m, KN_DAEMONSET, cni_scan, &s);
	return s.best < sizeof(kn_cnis) / sizeof(kn_cnis[0])
		       ? kn_cnis[s.best].name
		       : NULL;
}
