/* Pods pane: the Pods view, and the detail of a pod: its services, DNS
 * names and the ingresses that reach it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detail.h"
#include "k8snet/model.h"
#include "pane.h"

/* The pod a row shows. */
static const struct kn_pod *
kn_pods_at(struct kn_pane *p, size_t row)
{
	const struct kn_vrow *r = kn_pane_vrow(p, row);

	return r != NULL ? r->obj : NULL;
}

/* Headless hostnames, endpoint names and PTR records of the services
 * that name the pod's addresses. */
static void
kn_pod_svc_names(const struct kn_model *m, const struct kn_pod *pod,
		 const struct kn_service *s, struct kn_lines *out)
{
	struct kn_dnsrecs recs = {0};
	char ip[KN_IPSTR], ptr[80];
	size_t i;
	uint8_t k;

	kn_model_service_dns(m, s, &recs);
	for (i = 0; i < recs.n; i++)
		for (k = 0; k < pod->nips; k++) {
			kn_ipaddr_format(&pod->ips[k], ip, sizeof(ip));
			kn_ipaddr_ptr_name(&pod->ips[k], ptr, sizeof(ptr));
			if (((recs.v[i].type == KN_RR_A ||
			      recs.v[i].type == KN_RR_AAAA) &&
			     strcmp(recs.v[i].value, ip) == 0) ||
			    (recs.v[i].type == KN_RR_PTR &&
			     strcmp(recs.v[i].name, ptr) == 0))
				kn_lines_add(out, "  %-5s %s  %s  (%s)",
					     kn_rr_name(recs.v[i].type),
					     recs.v[i].name, recs.v[i].value,
					     recs.v[i].source);
		}
	kn_dnsrecs_clear(&recs);
}

static void
kn_pods_detail(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	const struct kn_model *m = p->app->model;
	const struct kn_pod *pod = kn_pods_at(p, row);
	struct kn_service **svcs = NULL;
	struct kn_ingress **ings = NULL;
	struct kn_dnsrecs recs = {0};
	struct kn_ing_chain c;
	enum kn_ep_state st;
	char ips[2 * KN_IPSTR + 2], hip[KN_IPSTR], w[512], b[320];
	size_t ns, ni, i, j, k, reach = 0;

	if (pod == NULL) {
		kn_lines_add(out, "Pod");
		kn_lines_add(out, "  (gone from the model)");
		return;
	}
	kn_lines_add(out, "Pod %s/%s", pod->o.ns, pod->o.name);
	kn_lines_add_role(out, kn_detail_pod_role(pod),
			  "  %-12s %s (phase "
			  "%s)%s",
			  "status",
			  pod->status != NULL ? pod->status
					      : kn_phase_name(pod->phase),
			  kn_phase_name(pod->phase),
			  pod->terminating ? ", terminating" : "");
	kn_lines_add_role(out, pod->ready ? KN_ROLE_NORMAL : KN_ROLE_WARNING,
			  "  %-12s %u/%u containers, Ready condition %s",
			  "ready", pod->ready_containers, pod->containers,
			  pod->ready ? "True" : "False");
	kn_lines_add(out, "  %-12s %u", "restarts", pod->restarts);
	kn_lines_add(out, "  %-12s %s", "node",
		     pod->node != NULL ? pod->node : "(not scheduled)");
	kn_lines_add(out, "  %-12s %s", "hostIP",
		     pod->host_ip.family
			     ? kn_ipaddr_format(&pod->host_ip, hip, sizeof(hip))
			     : "-");
	kn_lines_add(out, "  %-12s %s%s", "podIPs",
		     pod->nips ? kn_pane_join_ips(pod->ips, pod->nips, ips,
						  sizeof(ips))
			       : "-",
		     pod->host_network ? "  (hostNetwork: the node's "
					 "address)"
				       : "");
	kn_lines_add(out, "  %-12s %s%s%s", "owner",
		     pod->owner_kind != NULL ? pod->owner_kind : "-",
		     pod->owner_kind != NULL ? "/" : "",
		     pod->owner_name != NULL ? pod->owner_name : "");
	kn_lines_add(out, "Container ports");
	for (i = 0; i < pod->nports; i++)
		kn_lines_add(out, "  %-16s %u/%s",
			     pod->ports[i].name != NULL ? pod->ports[i].name
							: "(unnamed)",
			     pod->ports[i].port,
			     kn_proto_name(pod->ports[i].proto));
	if (pod->nports == 0)
		kn_lines_add(out, "  (none declared)");

	ns = kn_model_pod_services(m, pod, &svcs);
	kn_lines_add(out, "Services selecting it");
	for (i = 0; i < ns; i++) {
		st = kn_model_pod_endpoint(m, svcs[i], pod);
		kn_lines_add_role(
			out,
			st == KN_EP_READY ? KN_ROLE_NORMAL : KN_ROLE_WARNING,
			"  %s/%s  %s %s  %s", svcs[i]->o.ns, svcs[i]->o.name,
			kn_svc_type_name(svcs[i]->type),
			svcs[i]->headless
				? "None"
				: kn_pane_join_ips(svcs[i]->cluster_ips,
						   svcs[i]->ncluster_ips, ips,
						   sizeof(ips)),
			kn_detail_ep_state(st));
	}
	if (ns == 0)
		kn_lines_add(out, "  (no service selects this pod)");

	kn_lines_add(out, "DNS names");
	kn_model_pod_dns(m, pod, &recs);
	kn_detail_records(out, &recs, "  ");
	kn_dnsrecs_clear(&recs);
	for (i = 0; i < ns; i++)
		kn_pod_svc_names(m, pod, svcs[i], out);
	if (pod->host_network)
		kn_lines_add(out, "  (hostNetwork pods get no pod A record)");

	kn_lines_add(out, "Reached by ingresses");
	for (i = 0; i < ns; i++) {
		if (kn_model_pod_endpoint(m, svcs[i], pod) == KN_EP_NONE)
			continue;
		ni = kn_model_service_ingresses(m, svcs[i]->o.ns,
						svcs[i]->o.name, &ings);
		for (j = 0; j < ni; j++)
			for (k = 0; k < ings[j]->npaths; k++) {
				const struct kn_ing_path *ip =
					&ings[j]->paths[k];

				if (ip->service == NULL ||
				    strcmp(ip->service, svcs[i]->o.name) != 0)
					continue;
				kn_model_ingress_chain(m, ings[j], k, &c);
				kn_detail_ing_where(ip, w, sizeof(w));
				kn_ing_backend_text(ip, b, sizeof(b));
				kn_lines_add_role(
					out,
					c.status == KN_ING_OK ? KN_ROLE_NORMAL
							      : KN_ROLE_ERROR,
					"  %s/%s  %s -> %s  %s", ings[j]->o.ns,
					ings[j]->o.name, w, b,
					kn_ing_status_name(c.status));
				reach++;
			}
		free(ings);
	}
	if (reach == 0)
		kn_lines_add(out, "  (no ingress routes to this pod)");
	free(svcs);
}

const struct kn_pane_ops kn_pane_pods_ops = {
	.id = KN_PANE_PODS,
	.title = "Pods",
	.view = &kn_view_pods,
	.objects = true,
	.sort_col = 0,
	.deps = KN_DEP(KN_POD),
	.detail = kn_pods_detail,
};
