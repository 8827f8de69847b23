/* The cluster panes as --once reports: pods, services, dns, ingress and
 * nodes, with the JSON keys of the output contract (DESIGN.md section 4). */
#include <stdlib.h>
#include <string.h>

#include "k8snet/buf.h"
#include "k8snet/escape.h"
#include "k8snet/alloc.h"
#include "k8snet/log.h"
#include "k8snet/model.h"
#include "k8snet/model_query.h"
#include "k8snet/nodeview.h"
#include "report_int.h"

static void
jstrs(struct rp *r, const char *key, char *const *v, size_t n)
{
	size_t i;

	jk(r, key, false);
	kn_buf_puts(&r->b, "[");
	for (i = 0; i < n; i++) {
		if (i)
			kn_buf_puts(&r->b, ",");
		jq(r, v[i]);
	}
	kn_buf_puts(&r->b, "]");
}

static void
join_ips(const struct kn_ipaddr *ips, size_t n, char *out, size_t cap)
{
	char b[KN_IPSTR];
	size_t i, o = 0;
	int w;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(out + o, cap - o, "%s%s", i ? "," : "",
			     kn_ipaddr_format(&ips[i], b, sizeof(b)));
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
}

/* ---- pods ---- */

void
report_pods(struct rp *r)
{
	struct kn_obj **v;
	const struct kn_pod *p;
	size_t n, i, k;
	char b[KN_IPSTR], ips[2 * KN_IPSTR + 2];
	bool all = r->ns == NULL;

	n = kn_model_list(r->m, KN_POD, r->ns, &v);
	if (rp_json(r)) {
		rp_doc_begin(r, "pods");
		rp_items_begin(r);
		for (i = 0; i < n; i++) {
			p = (const struct kn_pod *)v[i];
			rp_item_begin(r);
			jk(r, "namespace", true);
			jq(r, p->o.ns);
			jks(r, "name", p->o.name);
			jks(r, "phase", kn_phase_name(p->phase));
			kn_buf_printf(&r->b, ",\"ready\":\"%u/%u\"",
				      p->ready_containers, p->containers);
			kn_buf_printf(&r->b, ",\"readyContainers\":%u,"
				      "\"containers\":%u,\"podReady\":%s",
				      p->ready_containers, p->containers,
				      p->ready ? "true" : "false");
			jks(r, "status", p->status);
			kn_buf_printf(&r->b, ",\"restarts\":%u", p->restarts);
			jk(r, "podIP", false);
			jip(r, p->nips ? &p->ips[0] : &(struct kn_ipaddr){ 0 });
			jk(r, "podIPs", false);
			kn_buf_puts(&r->b, "[");
			for (k = 0; k < p->nips; k++) {
				if (k)
					kn_buf_puts(&r->b, ",");
				jip(r, &p->ips[k]);
			}
			kn_buf_puts(&r->b, "]");
			jks(r, "node", p->node);
			jk(r, "hostIP", false);
			jip(r, &p->host_ip);
			kn_buf_printf(&r->b, ",\"hostNetwork\":%s",
				      p->host_network ? "true" : "false");
			jk(r, "owner", false);
			if (p->owner_kind != NULL) {
				kn_buf_puts(&r->b, "{\"kind\":");
				jq(r, p->owner_kind);
				jks(r, "name", p->owner_name);
				kn_buf_puts(&r->b, "}");
			} else {
				kn_buf_puts(&r->b, "null");
			}
			rp_item_end(r);
		}
		rp_doc_end(r);
		free(v);
		return;
	}
	tb_cols(r, (all ? 1 : 0) + 6 + (rp_wide(r) ? 4 : 0));
	if (all)
		tb_cell(r, "NAMESPACE");
	tb_cell(r, "NAME");
	tb_cell(r, "READY");
	tb_cell(r, "STATUS");
	tb_cell(r, "RESTARTS");
	tb_cell(r, "IP");
	tb_cell(r, "NODE");
	if (rp_wide(r)) {
		tb_cell(r, "HOST-IP");
		tb_cell(r, "HOSTNETWORK");
		tb_cell(r, "POD-IPS");
		tb_cell(r, "OWNER");
	}
	for (i = 0; i < n; i++) {
		p = (const struct kn_pod *)v[i];
		if (all)
			tb_cell(r, p->o.ns);
		tb_cell(r, p->o.name);
		tb_cellf(r, "%u/%u", p->ready_containers, p->containers);
		tb_cell(r, p->status);
		tb_cellf(r, "%u", p->restarts);
		tb_cell(r, p->nips ? kn_ipaddr_format(&p->ips[0], b, sizeof(b))
			: NULL);
		tb_cell(r, p->node);
		if (rp_wide(r)) {
			tb_cell(r, p->host_ip.family ?
				kn_ipaddr_format(&p->host_ip, b, sizeof(b)) :
				NULL);
			tb_cell(r, p->host_network ? "true" : "false");
			join_ips(p->ips, p->nips, ips, sizeof(ips));
			tb_cell(r, ips);
			if (p->owner_kind != NULL)
				tb_cellf(r, "%s/%s", p->owner_kind,
					 p->owner_name);
			else
				tb_cell(r, NULL);
		}
	}
	if (n == 0 && !rp_json(r))
		kn_buf_puts(&r->b, "");
	tb_print(r);
	free(v);
}

/* ---- services ---- */

/* Unique forward names (A, AAAA, CNAME, SRV) of a service's records. */
static void
svc_dns_names(const struct kn_dnsrecs *recs, struct kn_strs *out)
{
	size_t i, k;
	bool dup;

	for (i = 0; i < recs->n; i++) {
		if (recs->v[i].type == KN_RR_PTR)
			continue;
		dup = false;
		for (k = 0; k < out->n && !dup; k++)
			dup = strcmp(out->v[k], recs->v[i].name) == 0;
		if (!dup)
			kn_strs_add(out, recs->v[i].name);
	}
}

void
report_services(struct rp *r)
{
	struct kn_obj **v;
	const struct kn_service *s;
	struct kn_dnsrecs recs = { 0 };
	struct kn_strs names = { 0 }, probs = { 0 };
	struct kn_ep_count ep;
	char b[KN_IPSTR], text[1024], ips[2 * KN_IPSTR + 2];
	size_t n, i, k;
	bool all = r->ns == NULL;

	n = kn_model_list(r->m, KN_SERVICE, r->ns, &v);
	if (rp_json(r)) {
		rp_doc_begin(r, "services");
		if (r->fmt == KN_OUT_JSON) {
			kn_buf_puts(&r->b, ",\"clusterDomain\":");
			jq(r, kn_model_cluster_domain(r->m));
		}
		rp_items_begin(r);
	} else {
		tb_cols(r, (all ? 1 : 0) + 8 + (rp_wide(r) ? 1 : 0));
		if (all)
			tb_cell(r, "NAMESPACE");
		tb_cell(r, "NAME");
		tb_cell(r, "TYPE");
		tb_cell(r, "CLUSTER-IP");
		tb_cell(r, "EXTERNAL-IP");
		tb_cell(r, "PORT(S)");
		tb_cell(r, "ENDPOINTS");
		tb_cell(r, "DNS-NAME");
		if (rp_wide(r))
			tb_cell(r, "SELECTOR");
		tb_cell(r, "PROBLEMS");
	}
	for (i = 0; i < n; i++) {
		s = (const struct kn_service *)v[i];
		kn_model_service_dns(r->m, s, &recs);
		svc_dns_names(&recs, &names);
		kn_model_service_problems(r->m, s, &probs);
		ep = kn_model_service_endpoints(r->m, s);
		if (rp_json(r)) {
			rp_item_begin(r);
			jk(r, "namespace", true);
			jq(r, s->o.ns);
			jks(r, "name", s->o.name);
			jks(r, "type", kn_svc_type_name(s->type));
			jk(r, "clusterIP", false);
			if (s->headless)
				jq(r, "None");
			else if (s->ncluster_ips)
				jip(r, &s->cluster_ips[0]);
			else
				kn_buf_puts(&r->b, "null");
			jk(r, "clusterIPs", false);
			kn_buf_puts(&r->b, "[");
			for (k = 0; k < s->ncluster_ips; k++) {
				if (k)
					kn_buf_puts(&r->b, ",");
				jip(r, &s->cluster_ips[k]);
			}
			kn_buf_puts(&r->b, "]");
			jstrs(r, "externalIPs", s->external, s->nexternal);
			jks(r, "externalName", s->external_name);
			jk(r, "ports", false);
			kn_buf_puts(&r->b, "[");
			for (k = 0; k < s->nports; k++) {
				const struct kn_svc_port *p = &s->ports[k];

				kn_buf_puts(&r->b, k ? ",{" : "{");
				jk(r, "name", true);
				jq(r, p->name);
				jks(r, "protocol", kn_proto_name(p->proto));
				kn_buf_printf(&r->b, ",\"port\":%u", p->port);
				jk(r, "targetPort", false);
				if (p->target_name != NULL)
					jq(r, p->target_name);
				else
					kn_buf_printf(&r->b, "%u",
						      p->target_port);
				jk(r, "nodePort", false);
				if (p->node_port)
					kn_buf_printf(&r->b, "%u",
						      p->node_port);
				else
					kn_buf_puts(&r->b, "null");
				kn_buf_puts(&r->b, "}");
			}
			kn_buf_puts(&r->b, "]");
			jk(r, "selector", false);
			if (s->has_selector) {
				kn_buf_puts(&r->b, "{");
				for (k = 0; k < s->nselector; k++) {
					if (k)
						kn_buf_puts(&r->b, ",");
					jq(r, s->selector[k].key);
					kn_buf_puts(&r->b, ":");
					jq(r, s->selector[k].value);
				}
				kn_buf_puts(&r->b, "}");
			} else {
				kn_buf_puts(&r->b, "null");
			}
			kn_buf_printf(&r->b, ",\"endpoints\":{\"ready\":%u,"
				      "\"notReady\":%u}", ep.ready,
				      ep.not_ready);
			jstrs(r, "dns", names.v, names.n);
			jstrs(r, "problems", probs.v, probs.n);
			rp_item_end(r);
		} else {
			if (all)
				tb_cell(r, s->o.ns);
			tb_cell(r, s->o.name);
			tb_cell(r, kn_svc_type_name(s->type));
			if (s->headless)
				tb_cell(r, "None");
			else {
				join_ips(s->cluster_ips, s->ncluster_ips, ips,
					 sizeof(ips));
				tb_cell(r, ips);
			}
			kn_service_external_text(s, text, sizeof(text));
			tb_cell(r, text);
			kn_service_ports_text(s, text, sizeof(text));
			tb_cell(r, text);
			if (s->type == KN_SVC_EXTERNALNAME)
				tb_cell(r, "-");
			else
				tb_cellf(r, "%u/%u", ep.ready,
					 ep.ready + ep.not_ready);
			tb_cell(r, names.n ? names.v[0] : NULL);
			if (rp_wide(r)) {
				size_t o = 0;

				text[0] = '\0';
				for (k = 0; k < s->nselector; k++) {
					int w = snprintf(text + o,
						sizeof(text) - o, "%s%s=%s",
						k ? "," : "",
						s->selector[k].key,
						s->selector[k].value);
					if (w < 0 ||
					    (size_t)w >= sizeof(text) - o)
						break;
					o += (size_t)w;
				}
				tb_cell(r, text);
			}
			if (probs.n == 0) {
				tb_cell(r, "-");
			} else {
				size_t o = 0;

				text[0] = '\0';
				for (k = 0; k < probs.n; k++) {
					int w = snprintf(text + o,
						sizeof(text) - o, "%s%s",
						k ? "; " : "", probs.v[k]);
					if (w < 0 ||
					    (size_t)w >= sizeof(text) - o)
						break;
					o += (size_t)w;
				}
				tb_cell(r, text);
			}
		}
		kn_dnsrecs_clear(&recs);
		kn_strs_clear(&names);
		kn_strs_clear(&probs);
	}
	(void)b;
	if (rp_json(r))
		rp_doc_end(r);
	else
		tb_print(r);
	free(v);
}

/* ---- dns ---- */

static struct kn_nodeview *nv_of(struct rp *r, struct kn_nodeview **tmp);
static void report_netinfo_json(struct rp *r, struct kn_nodeview *nv,
				bool with_cni);
static void report_netinfo_text(struct rp *r, struct kn_nodeview *nv);

void
report_dns(struct rp *r)
{
	struct kn_coredns info;
	struct kn_dnsrecs recs = { 0 };
	struct kn_nodeview *tmp, *nv = nv_of(r, &tmp);
	const struct kn_dnsrec *d;
	char b[KN_IPSTR];
	size_t i;

	kn_model_coredns(r->m, &info);
	kn_model_dns_all(r->m, r->ns, &recs);
	if (rp_json(r)) {
		rp_doc_begin(r, "dns");
		if (r->fmt == KN_OUT_JSON) {
			kn_buf_puts(&r->b, ",\"clusterDomain\":");
			jq(r, info.domain);
			kn_buf_puts(&r->b, ",\"coredns\":{\"service\":");
			if (info.service != NULL) {
				char sn[320];

				snprintf(sn, sizeof(sn), "%s/%s",
					 info.service->o.ns,
					 info.service->o.name);
				jq(r, sn);
				jk(r, "clusterIP", false);
				if (info.service->ncluster_ips)
					jip(r, &info.service->cluster_ips[0]);
				else
					kn_buf_puts(&r->b, "null");
			} else {
				kn_buf_puts(&r->b, "null,\"clusterIP\":null");
			}
			kn_buf_printf(&r->b, ",\"podsReady\":%u,"
				      "\"podsTotal\":%u", info.pods_ready,
				      info.pods_total);
			jstrs(r, "forwarders", info.forwarders.v,
			      info.forwarders.n);
			kn_buf_printf(&r->b, ",\"fromCorefile\":%s}",
				      info.from_corefile ? "true" : "false");
			report_netinfo_json(r, nv, true);
		}
		rp_items_begin(r);
		for (i = 0; i < recs.n; i++) {
			d = &recs.v[i];
			rp_item_begin(r);
			jk(r, "name", true);
			jq(r, d->name);
			jks(r, "type", kn_rr_name(d->type));
			jks(r, "value", d->value);
			jks(r, "source", d->source);
			rp_item_end(r);
		}
		rp_doc_end(r);
	} else {
		kn_buf_printf(&r->b, "Cluster domain: ");
		kn_escape_text(&r->b, info.domain, strlen(info.domain),
			       r->ascii);
		kn_buf_puts(&r->b, info.from_corefile ? " (Corefile)\n" :
			    " (not found in a CoreDNS Corefile)\n");
		kn_buf_puts(&r->b, "CoreDNS:        ");
		if (info.service != NULL) {
			char sn[400];

			snprintf(sn, sizeof(sn), "service %s/%s %s, ",
				 info.service->o.ns, info.service->o.name,
				 info.service->ncluster_ips ?
				 kn_ipaddr_format(&info.service->cluster_ips[0],
						  b, sizeof(b)) : "<none>");
			kn_escape_text(&r->b, sn, strlen(sn), r->ascii);
		}
		kn_buf_printf(&r->b, "%u/%u pods ready\n", info.pods_ready,
			      info.pods_total);
		kn_buf_puts(&r->b, "Forwarders:     ");
		for (i = 0; i < info.forwarders.n; i++) {
			if (i)
				kn_buf_puts(&r->b, " ");
			kn_escape_text(&r->b, info.forwarders.v[i],
				       strlen(info.forwarders.v[i]), r->ascii);
		}
		kn_buf_puts(&r->b, info.forwarders.n ? "\n" : "<none>\n");
		report_netinfo_text(r, nv);
		kn_buf_puts(&r->b, "\n");
		tb_cols(r, 4);
		tb_cell(r, "NAME");
		tb_cell(r, "TYPE");
		tb_cell(r, "VALUE");
		tb_cell(r, "SOURCE");
		for (i = 0; i < recs.n; i++) {
			tb_cell(r, recs.v[i].name);
			tb_cell(r, kn_rr_name(recs.v[i].type));
			tb_cell(r, recs.v[i].value);
			tb_cell(r, recs.v[i].source);
		}
		tb_print(r);
	}
	kn_dnsrecs_clear(&recs);
	kn_coredns_release(&info);
	kn_nodeview_free(tmp);
}

/* ---- ingress ---- */

void
report_ingress(struct rp *r)
{
	struct kn_obj **v;
	const struct kn_ingress *ing;
	struct kn_ing_chain c;
	char port[64], text[512];
	size_t n, i, k, a, o;
	bool all = r->ns == NULL;
	int w;

	n = kn_model_list(r->m, KN_INGRESS, r->ns, &v);
	if (rp_json(r)) {
		rp_doc_begin(r, "ingress");
		rp_items_begin(r);
	} else {
		tb_cols(r, (all ? 1 : 0) + 10 + (rp_wide(r) ? 1 : 0));
		if (all)
			tb_cell(r, "NAMESPACE");
		tb_cell(r, "INGRESS");
		tb_cell(r, "CLASS");
		if (rp_wide(r))
			tb_cell(r, "CONTROLLER");
		tb_cell(r, "HOST");
		tb_cell(r, "PATH");
		tb_cell(r, "TYPE");
		tb_cell(r, "BACKEND");
		tb_cell(r, "ENDPOINTS");
		tb_cell(r, "TLS");
		tb_cell(r, "ADDRESS");
		tb_cell(r, "STATUS");
	}
	for (i = 0; i < n; i++) {
		ing = (const struct kn_ingress *)v[i];
		for (k = 0; k < ing->npaths; k++) {
			const struct kn_ing_path *p = &ing->paths[k];

			kn_model_ingress_chain(r->m, ing, k, &c);
			if (p->port_name != NULL)
				snprintf(port, sizeof(port), "%s",
					 p->port_name);
			else
				snprintf(port, sizeof(port), "%u",
					 p->port_number);
			if (rp_json(r)) {
				rp_item_begin(r);
				jk(r, "namespace", true);
				jq(r, ing->o.ns);
				jks(r, "name", ing->o.name);
				jks(r, "class", c.class_name);
				jks(r, "controller", c.controller);
				jks(r, "host", p->host);
				jks(r, "path", p->path);
				jks(r, "pathType", p->is_default ? NULL :
				    kn_path_type_name(p->path_type));
				kn_buf_puts(&r->b, ",\"backend\":{\"service\":");
				jq(r, p->service);
				jk(r, "port", false);
				if (p->service == NULL)
					kn_buf_puts(&r->b, "null");
				else if (p->port_name != NULL)
					jq(r, p->port_name);
				else
					kn_buf_printf(&r->b, "%u",
						      p->port_number);
				kn_buf_printf(&r->b, "},\"defaultBackend\":%s,"
					      "\"tls\":%s",
					      p->is_default ? "true" : "false",
					      p->tls ? "true" : "false");
				jstrs(r, "addresses", ing->addresses,
				      ing->naddresses);
				kn_buf_printf(&r->b, ",\"endpoints\":{\"ready\":"
					      "%u,\"notReady\":%u}",
					      c.endpoints.ready,
					      c.endpoints.not_ready);
				jks(r, "status", kn_ing_status_name(c.status));
				rp_item_end(r);
				continue;
			}
			if (all)
				tb_cell(r, ing->o.ns);
			tb_cell(r, ing->o.name);
			tb_cell(r, c.class_name);
			if (rp_wide(r))
				tb_cell(r, c.controller);
			tb_cell(r, p->host != NULL ? p->host : "*");
			tb_cell(r, p->is_default ? "(default)" : p->path);
			tb_cell(r, p->is_default ? "-" :
				kn_path_type_name(p->path_type));
			if (p->service != NULL)
				tb_cellf(r, "%s:%s", p->service, port);
			else
				tb_cell(r, "(resource)");
			tb_cellf(r, "%u/%u", c.endpoints.ready,
				 c.endpoints.ready + c.endpoints.not_ready);
			tb_cell(r, p->tls ? "yes" : "no");
			o = 0;
			text[0] = '\0';
			for (a = 0; a < ing->naddresses; a++) {
				w = snprintf(text + o, sizeof(text) - o,
					     "%s%s", a ? "," : "",
					     ing->addresses[a]);
				if (w < 0 || (size_t)w >= sizeof(text) - o)
					break;
				o += (size_t)w;
			}
			tb_cell(r, text);
			tb_cell(r, kn_ing_status_name(c.status));
		}
	}
	if (rp_json(r))
		rp_doc_end(r);
	else
		tb_print(r);
	free(v);
}

/* ---- nodes ---- */

/* The nodes report's view of ports and node files: the app's, or for a
 * report run without one (tests), a view that probes nothing. */
static struct kn_nodeview *
nv_of(struct rp *r, struct kn_nodeview **tmp)
{
	struct kn_nodeview_config c = {
		r->app->loop, &r->app->model, r->app->anon,
		r->app->opts.host_root, KN_PROBE_NONE,
		r->app->opts.probe_external, r->app->opts.demo
	};

	*tmp = NULL;
	if (r->app->nodeview != NULL)
		return r->app->nodeview;
	*tmp = kn_nodeview_new(&c);
	return *tmp;
}

static void
jstrs_s(struct rp *r, const char *key, const struct kn_strs *s)
{
	jstrs(r, key, s->v, s->n);
}

/* Top-level cluster networking shared by the nodes and DNS reports: the
 * CNI DaemonSet and its readiness, kube-proxy's mode, and on a node its
 * CNI conf and kubelet DNS settings with the mismatches as problems. */
static void
report_netinfo_json(struct rp *r, struct kn_nodeview *nv, bool with_cni)
{
	const struct kn_daemonset *ds = kn_nodeview_cni_ds(r->m);
	const struct kn_nv_host *h = kn_nodeview_host(nv);
	char **dns;
	size_t i;

	if (with_cni) {
		kn_buf_puts(&r->b, ",\"cni\":");
		jq(r, kn_model_cni(r->m));
	}
	kn_buf_puts(&r->b, ",\"cniDaemonSet\":");
	if (ds != NULL) {
		kn_buf_puts(&r->b, "{\"namespace\":");
		jq(r, ds->o.ns);
		jks(r, "name", ds->o.name);
		kn_buf_printf(&r->b, ",\"desired\":%u,\"ready\":%u}",
			      ds->desired, ds->ready);
	} else {
		kn_buf_puts(&r->b, "null");
	}
	jks(r, "kubeProxyMode", kn_nodeview_proxy_mode(r->m));
	jks(r, "localNode", kn_nodeview_local_node(nv));
	kn_buf_puts(&r->b, ",\"host\":");
	if (!h->present) {
		kn_buf_puts(&r->b, "null");
	} else {
		kn_buf_puts(&r->b, "{\"root\":");
		jq(r, h->root);
		jks(r, "node", h->node);
		kn_buf_puts(&r->b, ",\"cniConf\":");
		if (h->have_cni) {
			kn_buf_puts(&r->b, "{\"file\":");
			jq(r, h->cni.file);
			jks(r, "name", h->cni.name);
			jks(r, "plugin", h->cni.detected[0] ?
			    h->cni.detected : NULL);
			jk(r, "types", false);
			kn_buf_puts(&r->b, "[");
			for (i = 0; i < h->cni.nplugins; i++) {
				if (i)
					kn_buf_puts(&r->b, ",");
				jq(r, h->cni.plugins[i].type);
			}
			kn_buf_puts(&r->b, "]");
			jks(r, "ipam", h->cni.ipam_type[0] ?
			    h->cni.ipam_type : NULL);
			jk(r, "subnets", false);
			kn_buf_puts(&r->b, "[");
			for (i = 0; i < h->cni.nsubnets; i++) {
				if (i)
					kn_buf_puts(&r->b, ",");
				jq(r, h->cni.subnets[i]);
			}
			kn_buf_puts(&r->b, "]");
			if (h->cni.mtu)
				kn_buf_printf(&r->b, ",\"mtu\":%d",
					      h->cni.mtu);
			else
				kn_buf_puts(&r->b, ",\"mtu\":null");
			kn_buf_puts(&r->b, "}");
		} else {
			kn_buf_puts(&r->b, "null");
			jks(r, "cniConfError", h->cni_err);
		}
		kn_buf_puts(&r->b, ",\"kubelet\":");
		if (h->have_kubelet) {
			dns = kn_xcalloc(h->kubelet.ncluster_dns + 1,
					 sizeof(*dns));
			for (i = 0; i < h->kubelet.ncluster_dns; i++)
				dns[i] = (char *)h->kubelet.cluster_dns[i];
			kn_buf_puts(&r->b, "{");
			jk(r, "clusterDNS", true);
			kn_buf_puts(&r->b, "[");
			for (i = 0; i < h->kubelet.ncluster_dns; i++) {
				if (i)
					kn_buf_puts(&r->b, ",");
				jq(r, dns[i]);
			}
			kn_buf_puts(&r->b, "]");
			free(dns);
			jks(r, "clusterDomain", h->kubelet.cluster_domain[0] ?
			    h->kubelet.cluster_domain : NULL);
			jks(r, "networkPlugin",
			    h->kubelet.network_plugin[0] ?
			    h->kubelet.network_plugin : NULL);
			kn_buf_puts(&r->b, "}");
		} else {
			kn_buf_puts(&r->b, "null");
		}
		jstrs_s(r, "notes", &h->notes);
		kn_buf_puts(&r->b, "}");
	}
	jstrs_s(r, "problems", &h->problems);
}

/* One line of text: escaped, the newline kept. */
static void
txt_line(struct rp *r, const char *line)
{
	size_t n = strlen(line);

	if (n > 0 && line[n - 1] == '\n')
		n--;
	kn_escape_text(&r->b, line, n, r->ascii);
	kn_buf_puts(&r->b, "\n");
}

static void
report_netinfo_text(struct rp *r, struct kn_nodeview *nv)
{
	const struct kn_daemonset *ds = kn_nodeview_cni_ds(r->m);
	const struct kn_nv_host *h = kn_nodeview_host(nv);
	const char *cni = kn_model_cni(r->m), *mode;
	char line[1024];
	size_t i;

	mode = kn_nodeview_proxy_mode(r->m);
	if (ds != NULL)
		snprintf(line, sizeof(line), "CNI:            %s (DaemonSet "
			 "%s/%s, %u/%u ready)\n", cni != NULL ? cni : "?",
			 ds->o.ns, ds->o.name, ds->ready, ds->desired);
	else
		snprintf(line, sizeof(line), "CNI:            %s\n",
			 cni != NULL ? cni : "<not detected>");
	txt_line(r, line);
	snprintf(line, sizeof(line), "kube-proxy:     %s\n", mode == NULL ?
		 "<mode not known: no kube-system/kube-proxy ConfigMap>" :
		 mode[0] ? mode : "iptables (the default; config says \"\")");
	txt_line(r, line);
	if (h->present) {
		snprintf(line, sizeof(line), "This node:      %s (files under "
			 "%s)\n", h->node != NULL ? h->node : "<not a node of "
			 "this cluster>", h->root);
		txt_line(r, line);
		if (h->have_cni)
			snprintf(line, sizeof(line), "  CNI conf:     %s "
				 "(%s, ipam %s)\n", h->cni.file,
				 h->cni.detected[0] ? h->cni.detected : "?",
				 h->cni.ipam_type[0] ? h->cni.ipam_type :
				 "-");
		else
			snprintf(line, sizeof(line), "  CNI conf:     %s\n",
				 h->cni_err[0] ? h->cni_err : "none");
		txt_line(r, line);
		if (h->have_kubelet) {
			snprintf(line, sizeof(line), "  kubelet:      "
				 "clusterDNS %s, clusterDomain %s\n",
				 h->kubelet.ncluster_dns ?
				 h->kubelet.cluster_dns[0] : "-",
				 h->kubelet.cluster_domain[0] ?
				 h->kubelet.cluster_domain : "-");
			txt_line(r, line);
		}
		for (i = 0; i < h->notes.n; i++) {
			snprintf(line, sizeof(line), "  note:         %s\n",
				 h->notes.v[i]);
			txt_line(r, line);
		}
	}
	for (i = 0; i < h->problems.n; i++) {
		snprintf(line, sizeof(line), "PROBLEM:        %s\n",
			 h->problems.v[i]);
		txt_line(r, line);
	}
}

/* Known ports ("6/6 open", "1/2 open, 10250 filtered") or NodePorts. */
static void
ports_summary(const struct kn_probe_result *const *rs, size_t n,
	      bool nodeports, char *out, size_t cap)
{
	size_t i, total = 0, open = 0, skipped = 0, o;
	int w;

	for (i = 0; i < n; i++) {
		if ((strncmp(rs[i]->component, "NodePort ", 9) == 0) !=
		    nodeports)
			continue;
		total++;
		open += rs[i]->state == KN_PORT_OPEN;
		skipped += rs[i]->state == KN_PORT_SKIPPED;
	}
	if (total == 0 || skipped == total) {
		snprintf(out, cap, "%s", total ? "skipped" : "-");
		return;
	}
	w = snprintf(out, cap, "%zu/%zu open", open, total);
	o = w > 0 && (size_t)w < cap ? (size_t)w : cap - 1;
	for (i = 0; i < n; i++) {
		if ((strncmp(rs[i]->component, "NodePort ", 9) == 0) !=
		    nodeports || rs[i]->state == KN_PORT_OPEN ||
		    rs[i]->state == KN_PORT_SKIPPED)
			continue;
		w = snprintf(out + o, cap - o, ", %u %s", rs[i]->port,
			     kn_port_state_name(rs[i]->state));
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
}

static unsigned
node_cp(const struct kn_nv_node *cps, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(cps[i].name, name) == 0)
			return cps[i].cp;
	return 0;
}

static void
report_node_ports_json(struct rp *r, struct kn_nodeview *nv,
		       const struct kn_node *nd, const char *local)
{
	const struct kn_probe_result *const *rs;
	const struct kn_listener *l;
	size_t n, i;
	char msg[256];
	struct kn_strs probs = { 0 };

	n = kn_nodeview_ports(nv, nd->o.name, &rs);
	kn_buf_puts(&r->b, ",\"ports\":[");
	for (i = 0; i < n; i++) {
		const struct kn_probe_result *x = rs[i];

		kn_buf_printf(&r->b, "%s{\"port\":%u", i ? "," : "", x->port);
		jks(r, "component", x->component);
		jks(r, "state", kn_port_state_name(x->state));
		if ((x->state == KN_PORT_OPEN || x->state == KN_PORT_CLOSED) &&
		    x->rtt_ms >= 0)
			kn_buf_printf(&r->b, ",\"rtt_ms\":%.3f", x->rtt_ms);
		else
			kn_buf_puts(&r->b, ",\"rtt_ms\":null");
		if (x->checked_ms > 0)
			kn_buf_printf(&r->b, ",\"checkedAt\":%lld.%03d",
				      (long long)(x->checked_ms / 1000),
				      (int)(x->checked_ms % 1000));
		else
			kn_buf_puts(&r->b, ",\"checkedAt\":null");
		if (local != NULL && strcmp(local, nd->o.name) == 0) {
			l = kn_nodeview_listener(nv, nd->o.name, x->port);
			kn_buf_puts(&r->b, ",\"listener\":");
			if (l == NULL) {
				kn_buf_puts(&r->b, "null");
			} else {
				if (l->pid > 0)
					kn_buf_printf(&r->b, "{\"pid\":%d",
						      l->pid);
				else
					kn_buf_puts(&r->b, "{\"pid\":null");
				jks(r, "process", l->comm[0] ? l->comm :
				    NULL);
				jk(r, "address", false);
				jip(r, &l->addr);
				kn_buf_puts(&r->b, "}");
			}
		}
		kn_buf_puts(&r->b, "}");
		if ((x->state == KN_PORT_CLOSED ||
		     x->state == KN_PORT_FILTERED) &&
		    strncmp(x->component, "NodePort ", 9) != 0) {
			snprintf(msg, sizeof(msg), "%s port %u %s",
				 x->component, x->port,
				 x->state == KN_PORT_CLOSED ?
				 "closed (refused)" :
				 "filtered (no answer)");
			kn_strs_add(&probs, msg);
		}
	}
	kn_buf_puts(&r->b, "]");
	jstrs_s(r, "problems", &probs);
	kn_strs_clear(&probs);
}

void
report_nodes(struct rp *r)
{
	struct kn_obj **v;
	const struct kn_node *nd;
	const struct kn_daemonset *ds;
	const struct kn_probe_result *const *rs;
	struct kn_nodeview *tmp, *nv = nv_of(r, &tmp);
	struct kn_nv_node *cps;
	const char *local;
	char b[KN_IPSTR], text[512], errbuf[KN_ERRBUF];
	size_t n, i, k, o, ncp, nports;
	uint32_t cready, ctotal;
	bool managed;
	int w;

	/* One sweep, bounded: a dropped SYN holds its slot for the connect
	 * timeout, so allow a timeout per round of 64 plus one. */
	kn_nodeview_sync(nv);
	n = kn_model_count(r->m, KN_NODE);
	if (kn_nodeview_run_once(nv, (int)((n * 8 / 64 + 2) *
			KN_PROBE_TIMEOUT_MS > 30000 ? 30000 :
			(n * 8 / 64 + 2) * KN_PROBE_TIMEOUT_MS),
			errbuf) != KN_OK)
		kn_warn("%s", errbuf);
	local = kn_nodeview_local_node(nv);
	managed = kn_nodeview_managed(r->m);
	ncp = kn_nodeview_nodes(r->m, &cps);
	ds = kn_nodeview_cni_ds(r->m);
	n = kn_model_list(r->m, KN_NODE, NULL, &v);
	if (rp_json(r)) {
		rp_doc_begin(r, "nodes");
		if (r->fmt == KN_OUT_JSON) {
			report_netinfo_json(r, nv, true);
			jks(r, "controlPlane", n == 0 ? NULL : managed ?
			    "managed" : "in-cluster");
			kn_buf_puts(&r->b, ",\"probe\":{\"mode\":");
			jq(r, kn_nodeview_mode(nv) == KN_PROBE_NONE ? "none" :
			   kn_nodeview_mode(nv) == KN_PROBE_KNOWN ? "known" :
			   "nodeports");
			jks(r, "source", kn_nodeview_demo(nv) ?
			    "demo (canned results, no network)" :
			    kn_nodeview_mode(nv) == KN_PROBE_NONE ? "none" :
			    "network");
			kn_buf_printf(&r->b, ",\"timeoutMs\":%d}",
				      KN_PROBE_TIMEOUT_MS);
		}
		rp_items_begin(r);
		for (i = 0; i < n; i++) {
			nd = (const struct kn_node *)v[i];
			rp_item_begin(r);
			jk(r, "name", true);
			jq(r, nd->o.name);
			jk(r, "roles", false);
			kn_buf_puts(&r->b, "[");
			for (k = 0; k < nd->nroles; k++) {
				if (k)
					kn_buf_puts(&r->b, ",");
				jq(r, nd->roles[k]);
			}
			kn_buf_puts(&r->b, "]");
			k = node_cp(cps, ncp, nd->o.name);
			kn_buf_printf(&r->b, ",\"controlPlane\":%s,"
				      "\"controlPlaneBy\":[%s%s%s]",
				      k ? "true" : "false",
				      k & KN_CP_BY_LABEL ? "\"label\"" : "",
				      (k & KN_CP_BY_LABEL) &&
				      (k & KN_CP_BY_PODS) ? "," : "",
				      k & KN_CP_BY_PODS ? "\"static-pods\"" :
				      "");
			jk(r, "internalIP", false);
			jip(r, &nd->internal_ip);
			kn_buf_printf(&r->b, ",\"ready\":%s",
				      nd->ready ? "true" : "false");
			jks(r, "podCIDR", nd->pod_cidr);
			kn_buf_printf(&r->b, ",\"pods\":%u",
				      kn_model_node_pods(r->m, nd->o.name));
			jks(r, "kubeletVersion", nd->kubelet);
			kn_buf_printf(&r->b, ",\"unschedulable\":%s",
				      nd->unschedulable ? "true" : "false");
			kn_nodeview_cni_pods(r->m, ds, nd->o.name, &cready,
					     &ctotal);
			if (ds != NULL)
				kn_buf_printf(&r->b, ",\"cniPods\":{\"ready\":"
					      "%u,\"total\":%u}", cready,
					      ctotal);
			else
				kn_buf_puts(&r->b, ",\"cniPods\":null");
			kn_buf_printf(&r->b, ",\"local\":%s", local != NULL &&
				      strcmp(local, nd->o.name) == 0 ?
				      "true" : "false");
			report_node_ports_json(r, nv, nd, local);
			rp_item_end(r);
		}
		rp_doc_end(r);
		goto out;
	}
	tb_cols(r, 8 + (rp_wide(r) ? 3 : 0));
	tb_cell(r, "NAME");
	tb_cell(r, "ROLES");
	tb_cell(r, "INTERNAL-IP");
	tb_cell(r, "READY");
	tb_cell(r, "POD-CIDR");
	tb_cell(r, "PODS");
	tb_cell(r, "PORTS");
	tb_cell(r, "NODEPORTS");
	if (rp_wide(r)) {
		tb_cell(r, "CNI-PODS");
		tb_cell(r, "VERSION");
		tb_cell(r, "EXTERNAL-IP");
	}
	for (i = 0; i < n; i++) {
		nd = (const struct kn_node *)v[i];
		tb_cell(r, nd->o.name);
		o = 0;
		text[0] = '\0';
		for (k = 0; k < nd->nroles; k++) {
			w = snprintf(text + o, sizeof(text) - o, "%s%s",
				     k ? "," : "", nd->roles[k]);
			if (w < 0 || (size_t)w >= sizeof(text) - o)
				break;
			o += (size_t)w;
		}
		tb_cell(r, text);
		tb_cell(r, nd->internal_ip.family ?
			kn_ipaddr_format(&nd->internal_ip, b, sizeof(b)) :
			NULL);
		tb_cell(r, nd->ready ? "True" : "False");
		tb_cell(r, nd->pod_cidr);
		tb_cellf(r, "%u", kn_model_node_pods(r->m, nd->o.name));
		nports = kn_nodeview_ports(nv, nd->o.name, &rs);
		ports_summary(rs, nports, false, text, sizeof(text));
		tb_cell(r, text);
		ports_summary(rs, nports, true, text, sizeof(text));
		tb_cell(r, text);
		if (rp_wide(r)) {
			kn_nodeview_cni_pods(r->m, ds, nd->o.name, &cready,
					     &ctotal);
			if (ds != NULL)
				tb_cellf(r, "%u/%u", cready, ctotal);
			else
				tb_cell(r, NULL);
			tb_cell(r, nd->kubelet);
			tb_cell(r, nd->naddrs > 1 && nd->addrs[nd->naddrs - 1]
				.family && !kn_ipaddr_eq(&nd->addrs[
				nd->naddrs - 1], &nd->internal_ip) ?
				kn_ipaddr_format(&nd->addrs[nd->naddrs - 1],
						 b, sizeof(b)) : NULL);
		}
	}
	tb_print(r);
	kn_buf_puts(&r->b, "\n");
	report_netinfo_text(r, nv);
	if (managed)
		kn_buf_puts(&r->b, "Control plane:  managed (no control-plane "
			    "node: the API server runs outside the nodes)\n");
	if (kn_nodeview_demo(nv))
		kn_buf_puts(&r->b, "Port checks:    demo data (canned, no "
			    "network)\n");
out:
	free(cps);
	free(v);
	kn_nodeview_free(tmp);
}
