/* Services pane: services, their addresses, ports, endpoints and cluster DNS name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/model.h"
#include "k8snet/pane.h"

/* Column order is the cell order of each row handed to p->rows. */
static const struct kn_column kn_services_columns[] = {
	{ "NAMESPACE", 9, 24, KN_ALIGN_LEFT, 1, false, true },
	{ "NAME", 10, 0, KN_ALIGN_LEFT, 2, false, true },
	{ "TYPE", 9, 12, KN_ALIGN_LEFT, 0, false, false },
	{ "CLUSTER-IP", 10, 39, KN_ALIGN_LEFT, 0, false, false },
	{ "EXTERNAL", 8, 39, KN_ALIGN_LEFT, 0, false, false },
	{ "PORTS", 8, 0, KN_ALIGN_LEFT, 1, false, false },
	{ "ENDPOINTS", 9, 12, KN_ALIGN_RIGHT, 0, true, false },
	{ "DNS NAME", 10, 0, KN_ALIGN_LEFT, 3, false, false },
};

static void
kn_svc_ports(const struct kn_service *s, char *out, size_t cap)
{
	size_t o = 0, i;
	int w;

	out[0] = '\0';
	for (i = 0; i < s->nports; i++) {
		const struct kn_svc_port *sp = &s->ports[i];

		if (sp->node_port)
			w = snprintf(out + o, cap - o, "%s%u:%u/%s",
				     i ? "," : "", sp->port, sp->node_port,
				     kn_proto_name(sp->proto));
		else
			w = snprintf(out + o, cap - o, "%s%u/%s",
				     i ? "," : "", sp->port,
				     kn_proto_name(sp->proto));
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
}

static void
kn_svc_external(const struct kn_service *s, char *out, size_t cap)
{
	size_t o = 0, i;
	int w;

	out[0] = '\0';
	if (s->type == KN_SVC_EXTERNALNAME && s->external_name != NULL) {
		snprintf(out, cap, "%s", s->external_name);
		return;
	}
	for (i = 0; i < s->nexternal; i++) {
		w = snprintf(out + o, cap - o, "%s%s", i ? "," : "",
			     s->external[i]);
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
	if (o == 0 && s->type == KN_SVC_LOADBALANCER)
		snprintf(out, cap, "<pending>");
}

/* The service's own DNS name: the first forward record that is not an
 * SRV or PTR (NAME.NS.svc.DOMAIN.). */
static const char *
kn_svc_dns_name(const struct kn_dnsrecs *recs)
{
	size_t i;

	for (i = 0; i < recs->n; i++)
		if (recs->v[i].type != KN_RR_PTR &&
		    recs->v[i].type != KN_RR_SRV)
			return recs->v[i].name;
	return recs->n ? recs->v[0].name : "";
}

/* One row per service in v->ns; warning when it has problems (no
 * endpoints, selector matching nothing ...). */
static void
kn_services_rows(struct kn_pane *p, const struct kn_pane_view *v)
{
	struct kn_dnsrecs recs = { 0 };
	struct kn_strs probs = { 0 };
	struct kn_ep_count ep;
	struct kn_obj **objs;
	char ips[2 * KN_IPSTR + 2], ext[512], ports[512], eps[32];
	const char *cells[8];
	size_t n, i;

	n = kn_model_list(v->app->model, KN_SERVICE, v->ns, &objs);
	for (i = 0; i < n; i++) {
		const struct kn_service *s = (const struct kn_service *)objs[i];

		kn_model_service_dns(v->app->model, s, &recs);
		kn_model_service_problems(v->app->model, s, &probs);
		ep = kn_model_service_endpoints(v->app->model, s);
		kn_svc_external(s, ext, sizeof(ext));
		kn_svc_ports(s, ports, sizeof(ports));
		if (s->type == KN_SVC_EXTERNALNAME)
			snprintf(eps, sizeof(eps), "-");
		else
			snprintf(eps, sizeof(eps), "%u/%u", ep.ready,
				 ep.ready + ep.not_ready);
		cells[0] = s->o.ns;
		cells[1] = s->o.name;
		cells[2] = kn_svc_type_name(s->type);
		cells[3] = s->headless ? "None" :
			   kn_pane_join_ips(s->cluster_ips, s->ncluster_ips,
					    ips, sizeof(ips));
		cells[4] = ext;
		cells[5] = ports;
		cells[6] = eps;
		cells[7] = kn_svc_dns_name(&recs);
		kn_rowstore_add(p->rows, cells, probs.n ? KN_ROLE_WARNING :
				KN_ROLE_NORMAL);
		kn_dnsrecs_clear(&recs);
		kn_strs_clear(&probs);
	}
	free(objs);
	if (n == 0)
		kn_pane_note_empty(p, v, "services");
}

static void
kn_services_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	if (v->app->model == NULL) {
		kn_pane_note_no_model(p);
		return;
	}
	kn_services_rows(p, v);
}

const struct kn_pane_ops kn_pane_services_ops = {
	.id = KN_PANE_SERVICES,
	.title = "Services",
	.columns = kn_services_columns,
	.ncolumns = sizeof(kn_services_columns) / sizeof(kn_services_columns[0]),
	.sort_col = 0,
	.refresh = kn_services_refresh,
};
