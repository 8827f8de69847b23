/* Cluster DNS as CoreDNS's kubernetes plugin serves it, derived from the
 * model: the cluster domain and forwarders from the Corefile, service
 * A/AAAA, headless endpoint names, SRV for named ports, ExternalName
 * CNAME, pod a-b-c-d.ns.pod names and PTR records (in-addr.arpa, RFC 1035
 * 3.5; ip6.arpa nibbles, RFC 3596 2.5).
 *
 * Follows the Kubernetes DNS specification and CoreDNS's behaviour:
 * headless services answer each ready endpoint's address, and
 * endpoint.svc.ns.svc.<domain> where endpoint is the endpoint's hostname,
 * else its address with '.'/':' turned into '-'; SRV weights are
 * 100 / records (CoreDNS's split of 100 over one priority); PTR is served
 * for service cluster IPs and for every service endpoint address. */
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/intern.h"
#include "k8snet/model_query.h"
#include "model_int.h"

const char *
kn_rr_name(uint8_t type)
{
	static const char *const n[] = {"A", "AAAA", "SRV", "CNAME", "PTR"};
	return type < 5 ? n[type] : "?";
}

void
kn_dnsrecs_clear(struct kn_dnsrecs *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].value);
		free(r->v[i].source);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static void
rec_add(struct kn_dnsrecs *r, uint8_t type, const char *name, const char *value,
	const char *source)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = kn_xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	r->v[r->n].type = type;
	r->v[r->n].name = kn_xstrdup(name);
	r->v[r->n].value = kn_xstrdup(value);
	r->v[r->n].source = kn_xstrdup(source);
	r->v[r->n].planned = false;
	r->n++;
}

/* The record just added comes from a planned object. */
static void
rec_planned(struct kn_dnsrecs *r, bool planned)
{
	r->v[r->n - 1].planned |= planned;
}

static const struct kn_configmap *
corefile_cm(const struct kn_model *m)
{
	const struct kn_configmap *cm;

	cm = (const struct kn_configmap *)kn_model_find(
		m, KN_CONFIGMAP, "kube-system", "coredns");
	return cm != NULL && cm->corefile != NULL ? cm : NULL;
}

const char *
kn_model_cluster_domain(const struct kn_model *m)
{
	struct kn_model *mm = (struct kn_model *)m; /* memo only */
	const struct kn_configmap *cm = corefile_cm(m);
	char dom[256];

	if (cm != NULL &&
	    kn_corefile_domain(cm->corefile, dom, sizeof(dom), NULL)) {
		if (mm->domain_cache == NULL ||
		    strcmp(mm->domain_cache, dom) != 0) {
			free(mm->domain_cache);
			mm->domain_cache = kn_xstrdup(dom);
		}
		return mm->domain_cache;
	}
	return m->default_domain != NULL ? m->default_domain : "cluster.local";
}

void
kn_model_coredns(const struct kn_model *m, struct kn_coredns *info)
{
	const struct kn_configmap *cm = corefile_cm(m);
	const struct kn_group *g;
	const char *ns, *k, *v;
	char dom[256];
	uint32_t i;

	memset(info, 0, sizeof(*info));
	info->domain = kn_model_cluster_domain(m);
	if (cm != NULL)
		info->from_corefile = kn_corefile_domain(
			cm->corefile, dom, sizeof(dom), &info->forwarders);
	info->service = (const struct kn_service *)kn_model_find(
		m, KN_SERVICE, "kube-system", "kube-dns");
	ns = kn_intern_find(m->in, "kube-system", 11);
	k = kn_intern_find(m->in, "k8s-app", 7);
	v = kn_intern_find(m->in, "kube-dns", 8);
	if (ns == NULL || k == NULL || v == NULL)
		return;
	g = kn_grp_find(&m->pods_by_label, ns, k, v);
	if (g == NULL)
		return;
	for (i = 0; i < g->n; i++) {
		const struct kn_pod *p = g->v[i];

		info->pods_total++;
		if (p->ready)
			info->pods_ready++;
	}
}

void
kn_coredns_release(struct kn_coredns *info)
{
	kn_strs_clear(&info->forwarders);
}

/* ---- names ---- */

/* Address with '.' and ':' as '-' (CoreDNS endpoint and pod names). */
static void
dashed(const struct kn_ipaddr *ip, char *buf, size_t n)
{
	char *c;

	kn_ipaddr_format(ip, buf, n);
	for (c = buf; *c; c++)
		if (*c == '.' || *c == ':')
			*c = '-';
}

static const char *
proto_label(uint8_t proto)
{
	switch (proto) {
	case KN_PROTO_UDP:
		return "_udp";
	case KN_PROTO_SCTP:
		return "_sctp";
	default:
		return "_tcp";
	}
}

/* The endpoint's DNS label: hostname, else the dashed address. */
static const char *
ep_label(const struct kn_endpoint *e, char *buf, size_t n)
{
	if (e->hostname != NULL && *e->hostname)
		return e->hostname;
	dashed(&e->ip, buf, n);
	return buf;
}

static uint16_t
slice_port(const struct kn_slice *sl, const char *name, uint8_t proto,
	   bool *found)
{
	uint16_t i;

	*found = false;
	for (i = 0; i < sl->nports; i++)
		if (sl->ports[i].name == name && sl->ports[i].proto == proto) {
			*found = true;
			return sl->ports[i].port;
		}
	return 0;
}

static void
service_dns(const struct kn_model *m, const struct kn_service *svc,
	    struct kn_dnsrecs *out)
{
	const char *dom = kn_model_cluster_domain(m);
	char base[320], name[448], val[512], src[320], epsrc[320];
	char ipb[KN_IPSTR], lab[KN_IPSTR], ptr[80];
	struct kn_slice *const *sl;
	const struct kn_endpoint *e;
	size_t nsl, i, j, p, nready = 0;
	uint16_t port;
	bool found;

	snprintf(base, sizeof(base), "%s.%s.svc.%s.", svc->o.name, svc->o.ns,
		 dom);
	snprintf(src, sizeof(src), "service %s/%s", svc->o.ns, svc->o.name);
	snprintf(epsrc, sizeof(epsrc), "endpoints %s/%s", svc->o.ns,
		 svc->o.name);
	if (svc->type == KN_SVC_EXTERNALNAME) {
		if (svc->external_name == NULL || !*svc->external_name)
			return;
		snprintf(val, sizeof(val), "%s%s", svc->external_name,
			 svc->external_name[strlen(svc->external_name) - 1] ==
					 '.'
				 ? ""
				 : ".");
		rec_add(out, KN_RR_CNAME, base, val, src);
		return;
	}
	nsl = kn_model_service_slices(m, svc, &sl);
	if (!svc->headless) {
		for (i = 0; i < svc->ncluster_ips; i++) {
			kn_ipaddr_format(&svc->cluster_ips[i], ipb,
					 sizeof(ipb));
			rec_add(out,
				svc->cluster_ips[i].family == 4 ? KN_RR_A
								: KN_RR_AAAA,
				base, ipb, src);
		}
		if (svc->ncluster_ips == 0)
			return; /* no address yet: nothing is served */
		for (p = 0; p < svc->nports; p++) {
			if (svc->ports[p].name == NULL)
				continue;
			snprintf(name, sizeof(name), "_%s.%s.%s",
				 svc->ports[p].name,
				 proto_label(svc->ports[p].proto), base);
			snprintf(val, sizeof(val), "0 100 %u %s",
				 svc->ports[p].port, base);
			rec_add(out, KN_RR_SRV, name, val, src);
		}
		for (i = 0; i < svc->ncluster_ips; i++) {
			kn_ipaddr_ptr_name(&svc->cluster_ips[i], ptr,
					   sizeof(ptr));
			rec_add(out, KN_RR_PTR, ptr, base, src);
		}
		/* Endpoint addresses answer PTR queries too. */
		for (i = 0; i < nsl; i++)
			for (j = 0; j < sl[i]->neps; j++) {
				e = &sl[i]->eps[j];
				if (!e->ready || e->ip.family == 0)
					continue;
				kn_ipaddr_ptr_name(&e->ip, ptr, sizeof(ptr));
				snprintf(name, sizeof(name), "%s.%s",
					 ep_label(e, lab, sizeof(lab)), base);
				rec_add(out, KN_RR_PTR, ptr, name, epsrc);
				rec_planned(out, sl[i]->o.planned);
			}
		return;
	}
	/* Headless: the ready endpoints themselves. */
	for (i = 0; i < nsl; i++)
		for (j = 0; j < sl[i]->neps; j++)
			if (sl[i]->eps[j].ready && sl[i]->eps[j].ip.family)
				nready++;
	for (i = 0; i < nsl; i++)
		for (j = 0; j < sl[i]->neps; j++) {
			e = &sl[i]->eps[j];
			if (!e->ready || e->ip.family == 0)
				continue;
			kn_ipaddr_format(&e->ip, ipb, sizeof(ipb));
			rec_add(out, e->ip.family == 4 ? KN_RR_A : KN_RR_AAAA,
				base, ipb, epsrc);
			rec_planned(out, sl[i]->o.planned);
			snprintf(name, sizeof(name), "%s.%s",
				 ep_label(e, lab, sizeof(lab)), base);
			rec_add(out, e->ip.family == 4 ? KN_RR_A : KN_RR_AAAA,
				name, ipb, epsrc);
			rec_planned(out, sl[i]->o.planned);
			kn_ipaddr_ptr_name(&e->ip, ptr, sizeof(ptr));
			rec_add(out, KN_RR_PTR, ptr, name, epsrc);
			rec_planned(out, sl[i]->o.planned);
		}
	for (p = 0; p < svc->nports; p++) {
		if (svc->ports[p].name == NULL)
			continue;
		snprintf(name, sizeof(name), "_%s.%s.%s", svc->ports[p].name,
			 proto_label(svc->ports[p].proto), base);
		for (i = 0; i < nsl; i++) {
			port = slice_port(sl[i], svc->ports[p].name,
					  svc->ports[p].proto, &found);
			if (!found)
				continue;
			for (j = 0; j < sl[i]->neps; j++) {
				e = &sl[i]->eps[j];
				if (!e->ready || e->ip.family == 0)
					continue;
				snprintf(val, sizeof(val), "0 %zu %u %s.%s",
					 (size_t)(100 / nready), port,
					 ep_label(e, lab, sizeof(lab)), base);
				rec_add(out, KN_RR_SRV, name, val, epsrc);
				rec_planned(out, sl[i]->o.planned);
			}
		}
	}
}

void
kn_model_service_dns(const struct kn_model *m, const struct kn_service *svc,
		     struct kn_dnsrecs *out)
{
	size_t first = out->n;

	service_dns(m, svc, out);
	for (; first < out->n; first++)
		out->v[first].planned |= svc->o.planned;
}

void
kn_model_pod_dns(const struct kn_model *m, const struct kn_pod *pod,
		 struct kn_dnsrecs *out)
{
	const char *dom = kn_model_cluster_domain(m);
	char name[384], ipb[KN_IPSTR], lab[KN_IPSTR], src[320];
	uint8_t i;

	if (pod->host_network)
		return;
	snprintf(src, sizeof(src), "pod %s/%s", pod->o.ns, pod->o.name);
	for (i = 0; i < pod->nips; i++) {
		dashed(&pod->ips[i], lab, sizeof(lab));
		kn_ipaddr_format(&pod->ips[i], ipb, sizeof(ipb));
		snprintf(name, sizeof(name), "%s.%s.pod.%s.", lab, pod->o.ns,
			 dom);
		rec_add(out, pod->ips[i].family == 4 ? KN_RR_A : KN_RR_AAAA,
			name, ipb, src);
		rec_planned(out, pod->o.planned);
	}
}

static int
rec_cmp(const void *a, const void *b)
{
	const struct kn_dnsrec *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return strcmp(x->value, y->value);
}

void
kn_model_dns_all(const struct kn_model *m, const char *ns,
		 struct kn_dnsrecs *out)
{
	struct kn_obj **v;
	size_t n, i, first = out->n;

	n = kn_model_list(m, KN_SERVICE, ns, &v);
	for (i = 0; i < n; i++)
		kn_model_service_dns(m, (struct kn_service *)v[i], out);
	free(v);
	if (out->n > first)
		qsort(out->v + first, out->n - first, sizeof(*out->v), rec_cmp);
	first = out->n;
	n = kn_model_list(m, KN_POD, ns, &v);
	for (i = 0; i < n; i++)
		kn_model_pod_dns(m, (struct kn_pod *)v[i], out);
	free(v);
	if (out->n > first)
		qsort(out->v + first, out->n - first, sizeof(*out->v), rec_cmp);
}
