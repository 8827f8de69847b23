/* Nodes pane: nodes, their addresses, pod CIDRs and readiness. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detail.h"
#include "k8snet/model.h"
#include "k8snet/pane.h"

/* Column order is the cell order of each row handed to p->rows. */
static const struct kn_column kn_nodes_columns[] = {
	{ "NAME", 10, 0, KN_ALIGN_LEFT, 3, false, true },
	{ "ROLES", 6, 24, KN_ALIGN_LEFT, 1, false, false },
	{ "INTERNAL-IP", 11, 39, KN_ALIGN_LEFT, 0, false, false },
	{ "READY", 5, 7, KN_ALIGN_LEFT, 0, false, false },
	{ "POD-CIDR", 9, 43, KN_ALIGN_LEFT, 0, false, false },
	{ "PODS", 4, 6, KN_ALIGN_RIGHT, 0, true, false },
};

/* One row per node. Nodes are cluster-wide: with a namespace filter the
 * pane keeps the nodes that run pods of that namespace and PODS counts
 * only those. */
static void
kn_nodes_rows(struct kn_pane *p, const struct kn_pane_view *v)
{
	char roles[256], ip[KN_IPSTR], pods[16];
	const char *cells[6];
	struct kn_obj **objs;
	struct kn_pod **np;
	size_t n, i, k, o, npods, rows = 0;
	int w;

	n = kn_model_list(v->app->model, KN_NODE, NULL, &objs);
	for (i = 0; i < n; i++) {
		const struct kn_node *nd = (const struct kn_node *)objs[i];

		if (v->ns != NULL) {
			npods = kn_model_pods_on_node(v->app->model,
						      nd->o.name, v->ns, &np);
			free(np);
			if (npods == 0)
				continue;
		} else {
			npods = kn_model_node_pods(v->app->model, nd->o.name);
		}
		roles[0] = '\0';
		for (k = 0, o = 0; k < nd->nroles; k++) {
			w = snprintf(roles + o, sizeof(roles) - o, "%s%s",
				     k ? "," : "", nd->roles[k]);
			if (w < 0 || (size_t)w >= sizeof(roles) - o)
				break;
			o += (size_t)w;
		}
		snprintf(pods, sizeof(pods), "%zu", npods);
		cells[0] = nd->o.name;
		cells[1] = nd->nroles ? roles : "<none>";
		cells[2] = nd->internal_ip.family ?
			   kn_ipaddr_format(&nd->internal_ip, ip, sizeof(ip)) :
			   "";
		cells[3] = nd->ready ? "True" : "False";
		cells[4] = nd->pod_cidr != NULL ? nd->pod_cidr : "";
		cells[5] = pods;
		kn_rowstore_add(p->rows, cells, nd->ready ? KN_ROLE_NORMAL :
				KN_ROLE_WARNING);
		rows++;
	}
	free(objs);
	if (rows == 0 && v->ns != NULL)
		snprintf(p->note, sizeof(p->note), "no node runs pods of "
			 "namespace %s (:ns all shows every node)", v->ns);
	else if (rows == 0)
		snprintf(p->note, sizeof(p->note), "no nodes");
}

/* A pod of the node's CNI: owned by a DaemonSet named after the plugin
 * (calico-node, kube-flannel-ds, cilium, weave-net ...). */
static bool
kn_cni_pod(const struct kn_pod *pod, const char *cni)
{
	static const char *const names[] = {
		"calico", "flannel", "cilium", "weave", "canal", "antrea",
		"kube-router", "aws-node", "azure-cni", "kube-ovn", "multus",
		"ovn", "netd",
	};
	size_t i;

	if (pod->owner_kind == NULL || pod->owner_name == NULL ||
	    strcmp(pod->owner_kind, "DaemonSet") != 0)
		return false;
	if (cni != NULL && strstr(pod->owner_name, cni) != NULL)
		return true;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strstr(pod->owner_name, names[i]) != NULL)
			return true;
	return false;
}

static void
kn_nodes_detail(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	const struct kn_model *m = p->app->model;
	const struct kn_node *nd = NULL;
	const char *cni;
	struct kn_pod **pods = NULL;
	char a[64], ip[KN_IPSTR], roles[256];
	size_t n, i, o, ncni = 0;
	int w;

	if (m != NULL)
		nd = (const struct kn_node *)kn_model_find(
			m, KN_NODE, "", kn_table_cell(p->table, row, 0, a,
						      sizeof(a)));
	if (nd == NULL) {
		kn_lines_add(out, "Node");
		kn_lines_add(out, "  (gone from the model)");
		return;
	}
	roles[0] = '\0';
	for (i = 0, o = 0; i < nd->nroles; i++) {
		w = snprintf(roles + o, sizeof(roles) - o, "%s%s",
			     i ? "," : "", nd->roles[i]);
		if (w < 0 || (size_t)w >= sizeof(roles) - o)
			break;
		o += (size_t)w;
	}
	kn_lines_add(out, "Node %s", nd->o.name);
	kn_lines_add(out, "  %-12s %s", "roles", nd->nroles ? roles :
		     "<none> (worker)");
	kn_lines_add_role(out, nd->ready ? KN_ROLE_OK : KN_ROLE_ERROR,
			  "  %-12s %s%s", "ready", nd->ready ? "True" :
			  "False", nd->unschedulable ?
			  ", unschedulable (cordoned)" : "");
	for (i = 0; i < nd->naddrs; i++)
		kn_lines_add(out, "  %-12s %s (%s)", i ? "" : "addresses",
			     kn_ipaddr_format(&nd->addrs[i], ip, sizeof(ip)),
			     kn_ipaddr_eq(&nd->addrs[i], &nd->internal_ip) ?
			     "InternalIP" : "ExternalIP");
	if (nd->naddrs == 0)
		kn_lines_add(out, "  %-12s %s", "addresses", "-");
	kn_lines_add(out, "  %-12s %s", "podCIDR", nd->pod_cidr != NULL ?
		     nd->pod_cidr : "-");
	kn_lines_add(out, "  %-12s %s", "kubelet", nd->kubelet != NULL ?
		     nd->kubelet : "-");

	n = kn_model_pods_on_node(m, nd->o.name, NULL, &pods);
	cni = kn_model_cni(m);
	kn_lines_add(out, "CNI");
	kn_lines_add(out, "  %-12s %s", "detected", cni != NULL ? cni :
		     "(none recognised among the DaemonSets)");
	for (i = 0; i < n; i++) {
		if (!kn_cni_pod(pods[i], cni))
			continue;
		kn_lines_add_role(out, kn_detail_pod_role(pods[i]),
				  "  %-12s %s/%s  %u/%u %s", ncni ? "" :
				  "pods here", pods[i]->o.ns, pods[i]->o.name,
				  pods[i]->ready_containers,
				  pods[i]->containers,
				  pods[i]->status != NULL ? pods[i]->status :
				  "");
		ncni++;
	}
	if (ncni == 0)
		kn_lines_add_role(out, cni != NULL ? KN_ROLE_WARNING :
				  KN_ROLE_NORMAL, "  %-12s %s", "pods here",
				  "none");

	kn_lines_add(out, "Pods on this node (%zu)", n);
	for (i = 0; i < n; i++)
		kn_lines_add_role(out, kn_detail_pod_role(pods[i]),
				  "  %s/%-*s %-15s %s%s", pods[i]->o.ns,
				  (int)(44 - strlen(pods[i]->o.ns) > 44 ? 0 :
					44 - strlen(pods[i]->o.ns)),
				  pods[i]->o.name, pods[i]->nips ?
				  kn_ipaddr_format(&pods[i]->ips[0], ip,
						   sizeof(ip)) : "-",
				  pods[i]->status != NULL ? pods[i]->status :
				  kn_phase_name(pods[i]->phase),
				  pods[i]->host_network ? " hostNetwork" : "");
	free(pods);

	/* Port checks (--probe) fill this section when they run. */
	kn_lines_add(out, "Ports");
	kn_lines_add_role(out, KN_ROLE_DIMMED, "  probing is off: no port "
			  "checks for this node yet");
}

static void
kn_nodes_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	if (v->app->model == NULL) {
		kn_pane_note_no_model(p);
		return;
	}
	kn_nodes_rows(p, v);
}

const struct kn_pane_ops kn_pane_nodes_ops = {
	.id = KN_PANE_NODES,
	.title = "Nodes",
	.columns = kn_nodes_columns,
	.ncolumns = sizeof(kn_nodes_columns) / sizeof(kn_nodes_columns[0]),
	.sort_col = 0,
	.refresh = kn_nodes_refresh,
	.detail = kn_nodes_detail,
};
