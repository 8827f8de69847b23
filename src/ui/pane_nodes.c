/* Nodes pane: nodes, their addresses, pod CIDRs and readiness. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detail.h"
#include "k8snet/model.h"
#include "k8snet/nodeview.h"
#include "k8snet/pane.h"

/* Column order is the cell order of each row handed to p->rows. */
static const struct kn_column kn_nodes_columns[] = {
	{ "NAME", 10, 0, KN_ALIGN_LEFT, 3, false, true },
	{ "ROLES", 6, 24, KN_ALIGN_LEFT, 1, false, false },
	{ "INTERNAL-IP", 11, 39, KN_ALIGN_LEFT, 0, false, false },
	{ "READY", 5, 7, KN_ALIGN_LEFT, 0, false, false },
	/* One compact column per known port (kn_nodes_ports), then the
	 * NodePorts summary; hidden from the right on narrow screens. */
	{ "6443", 4, 4, KN_ALIGN_LEFT, 0, false, false },
	{ "2379", 4, 4, KN_ALIGN_LEFT, 0, false, false },
	{ "2380", 4, 4, KN_ALIGN_LEFT, 0, false, false },
	{ "10250", 5, 5, KN_ALIGN_LEFT, 0, false, false },
	{ "10257", 5, 5, KN_ALIGN_LEFT, 0, false, false },
	{ "10259", 5, 5, KN_ALIGN_LEFT, 0, false, false },
	{ "10256", 5, 5, KN_ALIGN_LEFT, 0, false, false },
	{ "NP", 2, 9, KN_ALIGN_LEFT, 0, true, false },
	{ "POD-CIDR", 9, 43, KN_ALIGN_LEFT, 0, false, false },
	{ "PODS", 4, 6, KN_ALIGN_RIGHT, 0, true, false },
};

static const uint16_t kn_nodes_ports[] = {
	6443, 2379, 2380, 10250, 10257, 10259, 10256
};
#define KN_NODES_NPORTS (sizeof(kn_nodes_ports) / sizeof(kn_nodes_ports[0]))

/* The port cells of node: a glyph per known port of its role ("" where
 * the role has none), NodePorts as "open/probed"; returns the row's role:
 * error when a known port is closed or filtered. */
static enum kn_role
kn_nodes_port_cells(struct kn_pane *p, const char *node,
		    const char **cells, char *np, size_t npsz)
{
	const struct kn_probe_result *const *rs;
	enum kn_role role = KN_ROLE_NORMAL;
	size_t n = 0, i, k, nps = 0, open = 0, checked = 0;

	for (k = 0; k < KN_NODES_NPORTS; k++)
		cells[k] = "";
	snprintf(np, npsz, "-");
	if (p->app->nodeview != NULL)
		n = kn_nodeview_ports(p->app->nodeview, node, &rs);
	for (i = 0; i < n; i++) {
		if (strncmp(rs[i]->component, "NodePort ", 9) == 0) {
			nps++;
			open += rs[i]->state == KN_PORT_OPEN;
			checked += rs[i]->state != KN_PORT_SKIPPED;
			continue;
		}
		for (k = 0; k < KN_NODES_NPORTS; k++)
			if (kn_nodes_ports[k] == rs[i]->port)
				cells[k] = kn_nodeview_glyph(rs[i]->state,
							     p->app->opts.ascii);
		if (rs[i]->state == KN_PORT_CLOSED ||
		    rs[i]->state == KN_PORT_FILTERED)
			role = KN_ROLE_ERROR;
	}
	if (nps > 0 && checked > 0)
		snprintf(np, npsz, "%zu/%zu", open, nps);
	return role;
}

/* One row per node. Nodes are cluster-wide: with a namespace filter the
 * pane keeps the nodes that run pods of that namespace and PODS counts
 * only those. */
static void
kn_nodes_rows(struct kn_pane *p, const struct kn_pane_view *v)
{
	char roles[256], ip[KN_IPSTR], pods[16], npc[32];
	const char *cells[6 + KN_NODES_NPORTS + 1];
	enum kn_role prole;
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
		prole = kn_nodes_port_cells(p, nd->o.name, cells + 4, npc,
					    sizeof(npc));
		cells[4 + KN_NODES_NPORTS] = npc;
		cells[5 + KN_NODES_NPORTS] = nd->pod_cidr != NULL ?
					     nd->pod_cidr : "";
		cells[6 + KN_NODES_NPORTS] = pods;
		kn_rowstore_add(p->rows, cells, !nd->ready ? KN_ROLE_WARNING :
				prole);
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

/* Every probed port of node: state, RTT, component or service, the last
 * check and, on the console's own node, who listens. */
static void
kn_nodes_detail_ports(struct kn_pane *p, const char *node,
		      struct kn_lines *out)
{
	struct kn_nodeview *nv = p->app->nodeview;
	const struct kn_probe_result *const *rs;
	const struct kn_listener *l;
	char rtt[32], when[32], who[64];
	size_t n = 0, i;
	time_t t;
	struct tm tm;

	if (nv != NULL)
		n = kn_nodeview_ports(nv, node, &rs);
	kn_lines_add(out, "Ports%s", nv != NULL && kn_nodeview_demo(nv) ?
		     " (demo data: canned, no network)" : nv != NULL &&
		     kn_nodeview_busy(nv) ? " (probing ...)" : "");
	if (nv == NULL)
		kn_lines_add_role(out, KN_ROLE_DIMMED, "  probing is off: no "
				  "port checks for this node yet");
	else if (n == 0)
		kn_lines_add_role(out, KN_ROLE_DIMMED, "  no port checks for "
				  "this node");
	for (i = 0; i < n; i++) {
		const struct kn_probe_result *x = rs[i];
		enum kn_role role = x->state == KN_PORT_OPEN ? KN_ROLE_OK :
				    x->state == KN_PORT_SKIPPED ?
				    KN_ROLE_DIMMED : KN_ROLE_ERROR;

		if (x->rtt_ms >= 0)
			snprintf(rtt, sizeof(rtt), "%.2f ms", x->rtt_ms);
		else
			snprintf(rtt, sizeof(rtt), "-");
		snprintf(when, sizeof(when), "never");
		if (x->checked_ms > 0) {
			t = (time_t)(x->checked_ms / 1000);
			if (localtime_r(&t, &tm) != NULL)
				strftime(when, sizeof(when), "%H:%M:%S", &tm);
		}
		who[0] = '\0';
		l = nv != NULL ? kn_nodeview_listener(nv, node, x->port) :
		    NULL;
		if (l != NULL && l->pid > 0)
			snprintf(who, sizeof(who), "  pid %d %s", l->pid,
				 l->comm);
		else if (l != NULL)
			snprintf(who, sizeof(who), "  listener (owner not "
				 "readable)");
		kn_lines_add_role(out, role, "  %-5u %s %-8s %-9s %-8s %s%s",
				  x->port, kn_nodeview_glyph(x->state,
				  p->app->opts.ascii),
				  kn_port_state_name(x->state), rtt, when,
				  x->component, who);
	}
	if (n > 0)
		kn_lines_add_role(out, KN_ROLE_DIMMED, "  %s open  %s closed "
				  "(refused)  %s filtered (no answer)  %s "
				  "skipped;  p: probe again",
				  kn_nodeview_glyph(KN_PORT_OPEN,
						    p->app->opts.ascii),
				  kn_nodeview_glyph(KN_PORT_CLOSED,
						    p->app->opts.ascii),
				  kn_nodeview_glyph(KN_PORT_FILTERED,
						    p->app->opts.ascii),
				  kn_nodeview_glyph(KN_PORT_SKIPPED,
						    p->app->opts.ascii));
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

	kn_nodes_detail_ports(p, nd->o.name, out);
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

enum { KN_NODES_ACT_PROBE = KN_ACT_PANE_BASE };

static const struct kn_keybind kn_nodes_binds[] = {
	{ 'p', KN_NODES_ACT_PROBE, "probe the node ports again", "probe" },
};

static const struct kn_keymap kn_nodes_keys = {
	"Nodes", kn_nodes_binds, sizeof(kn_nodes_binds) /
				 sizeof(kn_nodes_binds[0])
};

static bool
kn_nodes_key(struct kn_pane *p, int action)
{
	if (action != KN_NODES_ACT_PROBE || p->app->nodeview == NULL)
		return false;
	kn_nodeview_sweep(p->app->nodeview);
	return true;
}

const struct kn_pane_ops kn_pane_nodes_ops = {
	.id = KN_PANE_NODES,
	.title = "Nodes",
	.columns = kn_nodes_columns,
	.ncolumns = sizeof(kn_nodes_columns) / sizeof(kn_nodes_columns[0]),
	.sort_col = 0,
	.refresh = kn_nodes_refresh,
	.detail = kn_nodes_detail,
	.keys = &kn_nodes_keys,
	.key = kn_nodes_key,
};
