/* Nodes pane: nodes, their addresses, pod CIDRs, readiness and port
 * checks, with a legend of the port columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agents_feed.h"
#include "detail.h"
#include "k8snet/agent.h"
#include "k8snet/escape.h"
#include "k8snet/loop.h"
#include "k8snet/model.h"
#include "k8snet/nodeview.h"
#include "pane.h"

/* A pod of the node's CNI: owned by a DaemonSet named after the plugin
 * (calico-node, kube-flannel-ds, cilium, weave-net ...). */
static bool
kn_cni_pod(const struct kn_pod *pod, const char *cni)
{
	static const char *const names[] = {
		"calico", "flannel",	 "cilium",   "weave",	  "canal",
		"antrea", "kube-router", "aws-node", "azure-cni", "kube-ovn",
		"multus", "ovn",	 "netd",
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
kn_nodes_detail_ports(struct kn_pane *p, const char *node, struct kn_lines *out)
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
	kn_lines_add(out, "Ports%s",
		     nv != NULL && kn_nodeview_demo(nv)
			     ? " (demo data: canned, no network)"
		     : nv != NULL && kn_nodeview_busy(nv) ? " (probing ...)"
							  : "");
	if (nv == NULL)
		kn_lines_add_role(out, KN_ROLE_DIMMED,
				  "  probing is off: no "
				  "port checks for this node yet");
	else if (n == 0)
		kn_lines_add_role(out, KN_ROLE_DIMMED,
				  "  no port checks for "
				  "this node");
	for (i = 0; i < n; i++) {
		const struct kn_probe_result *x = rs[i];
		enum kn_role role = x->state == KN_PORT_OPEN ? KN_ROLE_OK
				    : x->state == KN_PORT_SKIPPED
					    ? KN_ROLE_DIMMED
					    : KN_ROLE_ERROR;

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
		l = nv != NULL ? kn_nodeview_listener(nv, node, x->port) : NULL;
		if (l != NULL && l->pid > 0)
			snprintf(who, sizeof(who), "  pid %d %s", l->pid,
				 l->comm);
		else if (l != NULL)
			snprintf(who, sizeof(who),
				 "  listener (owner not "
				 "readable)");
		kn_lines_add_role(out, role, "  %-5u %s %-8s %-9s %-8s %s%s",
				  x->port,
				  kn_nodeview_glyph(x->state, p->ascii),
				  kn_port_state_name(x->state), rtt, when,
				  x->component, who);
	}
	if (n > 0)
		kn_lines_add_role(out, KN_ROLE_DIMMED,
				  "  %s open  %s closed "
				  "(refused)  %s filtered (no answer)  %s "
				  "skipped;  p: probe again",
				  kn_nodeview_glyph(KN_PORT_OPEN, p->ascii),
				  kn_nodeview_glyph(KN_PORT_CLOSED, p->ascii),
				  kn_nodeview_glyph(KN_PORT_FILTERED, p->ascii),
				  kn_nodeview_glyph(KN_PORT_SKIPPED, p->ascii));
}

/* What the node's agent said of it (--agents): its state, the CNI
 * configuration (flagged when most nodes have another) and every
 * listening socket. */
static void
kn_nodes_detail_agent(struct kn_pane *p, const char *node, struct kn_lines *out)
{
	struct kn_agents_merge *m = kn_agents_feed_merge(p->app->agents);
	struct kn_agent_node *a = NULL;
	char ip[KN_IPSTR];
	uint64_t now = kn_now_ms();
	size_t i;
	bool differs;

	if (m == NULL)
		return;
	kn_lines_add(out, "Node agent");
	a = kn_agents_node_find(m, node);
	if (a == NULL) {
		kn_lines_add_role(out, KN_ROLE_WARNING, "  %-12s %s", "state",
				  "no agent line from this node");
		return;
	}
	kn_lines_add(out, "  %-12s %s", "pod", a->pod);
	kn_lines_add(
		out, "  %-12s %llu lines, %llus ago, %llu lost, %llu run%s",
		"lines", (unsigned long long)a->lines,
		(unsigned long long)(a->last_line_ms
					     ? (now - a->last_line_ms) / 1000
					     : 0),
		(unsigned long long)a->lost, (unsigned long long)a->runs,
		a->runs == 1 ? "" : "s");
	kn_lines_add_role(out,
			  a->kernel_drops + a->interface_drops > 0
				  ? KN_ROLE_WARNING
				  : KN_ROLE_NORMAL,
			  "  %-12s %llu received, %llu dropped (kernel), %llu "
			  "(interface)",
			  "capture", (unsigned long long)a->received,
			  (unsigned long long)a->kernel_drops,
			  (unsigned long long)a->interface_drops);
	if (!a->have_facts)
		return;
	differs = a->cni_hash != kn_agents_cni_majority(m);
	/* the canvas shows control bytes escaped */
	kn_lines_add_role(out, differs ? KN_ROLE_WARNING : KN_ROLE_NORMAL,
			  "  %-12s %s%s", "CNI conf",
			  a->cni[0] ? a->cni : "none",
			  differs ? "  (differs from most nodes)" : "");
	if (a->cluster_dns[0] != '\0')
		kn_lines_add(out, "  %-12s %s", "cluster DNS", a->cluster_dns);
	kn_lines_add(out, "  listeners (%u)", a->nlisteners);
	for (i = 0; i < a->nlisteners; i++) {
		kn_lines_add(out, "    %-4s %s:%u  %s",
			     a->lis_proto[i] == 17 ? "udp" : "tcp",
			     kn_ipaddr_format(&a->lis_ip[i], ip, sizeof(ip)),
			     (unsigned)a->lis_port[i], a->lis_comm[i]);
	}
}

static void
kn_nodes_detail(struct kn_pane *p, size_t row, struct kn_lines *out)
{
	const struct kn_model *m = p->app->model;
	const struct kn_node *nd = NULL;
	const char *cni;
	struct kn_pod **pods = NULL;
	char ip[KN_IPSTR], roles[256];
	size_t n, i, o, ncni = 0;
	int w;

	if (kn_pane_vrow(p, row) != NULL)
		nd = kn_pane_vrow(p, row)->obj;
	if (nd == NULL) {
		kn_lines_add(out, "Node");
		kn_lines_add(out, "  (gone from the model)");
		return;
	}
	roles[0] = '\0';
	for (i = 0, o = 0; i < nd->nroles; i++) {
		w = snprintf(roles + o, sizeof(roles) - o, "%s%s", i ? "," : "",
			     nd->roles[i]);
		if (w < 0 || (size_t)w >= sizeof(roles) - o)
			break;
		o += (size_t)w;
	}
	kn_lines_add(out, "Node %s", nd->o.name);
	kn_lines_add(out, "  %-12s %s", "roles",
		     nd->nroles ? roles : "<none> (worker)");
	kn_lines_add_role(out, nd->ready ? KN_ROLE_OK : KN_ROLE_ERROR,
			  "  %-12s %s%s", "ready", nd->ready ? "True" : "False",
			  nd->unschedulable ? ", unschedulable (cordoned)"
					    : "");
	for (i = 0; i < nd->naddrs; i++)
		kn_lines_add(out, "  %-12s %s (%s)", i ? "" : "addresses",
			     kn_ipaddr_format(&nd->addrs[i], ip, sizeof(ip)),
			     kn_ipaddr_eq(&nd->addrs[i], &nd->internal_ip)
				     ? "InternalIP"
				     : "ExternalIP");
	if (nd->naddrs == 0)
		kn_lines_add(out, "  %-12s %s", "addresses", "-");
	kn_lines_add(out, "  %-12s %s", "podCIDR",
		     nd->pod_cidr != NULL ? nd->pod_cidr : "-");
	kn_lines_add(out, "  %-12s %s", "kubelet",
		     nd->kubelet != NULL ? nd->kubelet : "-");

	n = kn_model_pods_on_node(m, nd->o.name, NULL, &pods);
	cni = kn_model_cni(m);
	kn_lines_add(out, "CNI");
	kn_lines_add(out, "  %-12s %s", "detected",
		     cni != NULL ? cni
				 : "(none recognised among the DaemonSets)");
	for (i = 0; i < n; i++) {
		if (!kn_cni_pod(pods[i], cni))
			continue;
		kn_lines_add_role(
			out, kn_detail_pod_role(pods[i]),
			"  %-12s %s/%s  %u/%u %s", ncni ? "" : "pods here",
			pods[i]->o.ns, pods[i]->o.name,
			pods[i]->ready_containers, pods[i]->containers,
			pods[i]->status != NULL ? pods[i]->status : "");
		ncni++;
	}
	if (ncni == 0)
		kn_lines_add_role(
			out, cni != NULL ? KN_ROLE_WARNING : KN_ROLE_NORMAL,
			"  %-12s %s", "pods here", "none");

	kn_lines_add(out, "Pods on this node (%zu)", n);
	for (i = 0; i < n; i++)
		kn_lines_add_role(
			out, kn_detail_pod_role(pods[i]),
			"  %s/%-*s %-15s %s%s", pods[i]->o.ns,
			(int)(44 - strlen(pods[i]->o.ns) > 44
				      ? 0
				      : 44 - strlen(pods[i]->o.ns)),
			pods[i]->o.name,
			pods[i]->nips ? kn_ipaddr_format(&pods[i]->ips[0], ip,
							 sizeof(ip))
				      : "-",
			pods[i]->status != NULL ? pods[i]->status
						: kn_phase_name(pods[i]->phase),
			pods[i]->host_network ? " hostNetwork" : "");
	free(pods);

	kn_nodes_detail_agent(p, nd->o.name, out);
	kn_nodes_detail_ports(p, nd->o.name, out);
}

/* ---- below the table: a legend and the state of the port checks ---- */

/* "port checks: ..." for the legend's last line. */
static void
kn_nodes_checks(struct kn_pane *p, char *buf, size_t n)
{
	struct kn_nodeview *nv = p->app->nodeview;
	const struct kn_probe_result *const *rs;
	size_t row, k, cnt[4] = {0, 0, 0, 0};
	const struct kn_vrow *r;
	char when[16] = "";
	int64_t last;
	time_t t;
	struct tm tm;

	if (nv == NULL || kn_nodeview_mode(nv) == KN_PROBE_NONE) {
		snprintf(buf, n, "port checks: off (--probe none)");
		return;
	}
	if (kn_nodeview_busy(nv)) {
		snprintf(buf, n, "port checks: probing ...");
		return;
	}
	last = kn_nodeview_last_sweep(nv);
	if (last <= 0) {
		snprintf(buf, n, "port checks: not run yet; p probes");
		return;
	}
	t = (time_t)(last / 1000);
	if (localtime_r(&t, &tm) != NULL)
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
	for (row = 0; (r = kn_pane_vrow(p, row)) != NULL; row++)
		for (k = kn_nodeview_ports(
			     nv, ((const struct kn_obj *)r->obj)->name, &rs);
		     k-- > 0;)
			cnt[rs[k]->state < 4 ? rs[k]->state : 3]++;
	snprintf(buf, n,
		 "ports checked %s: %zu open, %zu closed, %zu filtered%s; p "
		 "re-probes",
		 when, cnt[KN_PORT_OPEN], cnt[KN_PORT_CLOSED],
		 cnt[KN_PORT_FILTERED],
		 kn_nodeview_demo(nv) ? " (demo data)" : "");
}

/* Put items on lines of width w, two blanks apart; draw when c is not
 * NULL. Returns the lines used. */
static int
kn_nodes_flow(struct kn_canvas *c, bool ascii, int y, int x, int w,
	      const char *const *items, size_t n)
{
	int lines = 1, cx = 0, iw;
	size_t i;

	for (i = 0; i < n; i++) {
		iw = (int)kn_escaped_width(items[i], strlen(items[i]), ascii);
		if (cx > 0 && cx + 2 + iw > w) {
			lines++;
			cx = 0;
		}
		if (cx > 0)
			cx += 2;
		if (c != NULL)
			kn_canvas_put(c, y + lines - 1, x + cx, w - cx,
				      KN_ROLE_DIMMED, items[i],
				      strlen(items[i]), KN_PUT_ELLIPSIS);
		cx += iw;
	}
	return lines;
}

/* The table, then what its port columns are, how a cell reads, and the
 * last check (the feedback of p). Small screens keep the table only. */
static void
kn_nodes_draw(struct kn_pane *p, struct kn_canvas *c, int y, int x, int h,
	      int w)
{
	bool a = p->ascii;
	char open[16], closed[16], filt[16], skip[16], checks[160];
	const char *items[] = {
		"6443 API server",
		"2379 2380 etcd",
		"10250 kubelet",
		"10257 controller-manager",
		"10259 scheduler",
		"10256 kube-proxy health",
		"NP NodePorts open/probed",
		open,
		closed,
		filt,
		skip,
		"- not probed",
	};
	size_t n = sizeof(items) / sizeof(items[0]);
	int lines;

	snprintf(open, sizeof(open), "%s open",
		 kn_nodeview_glyph(KN_PORT_OPEN, a));
	snprintf(closed, sizeof(closed), "%s closed",
		 kn_nodeview_glyph(KN_PORT_CLOSED, a));
	snprintf(filt, sizeof(filt), "%s filtered",
		 kn_nodeview_glyph(KN_PORT_FILTERED, a));
	snprintf(skip, sizeof(skip), "%s skipped",
		 kn_nodeview_glyph(KN_PORT_SKIPPED, a));
	lines = kn_nodes_flow(NULL, a, 0, 0, w - 1, items, n) + 1;
	if (h - lines < 6) {
		kn_table_draw(p->table, c, y, x, h, w,
			      p->note[0] != '\0' ? p->note : NULL);
		return;
	}
	kn_table_draw(p->table, c, y, x, h - lines, w,
		      p->note[0] != '\0' ? p->note : NULL);
	kn_nodes_flow(c, a, y + h - lines, x + 1, w - 1, items, n);
	kn_nodes_checks(p, checks, sizeof(checks));
	kn_canvas_put(c, y + h - 1, x + 1, w - 1, KN_ROLE_STATUS, checks,
		      strlen(checks), KN_PUT_ELLIPSIS);
}

enum { KN_NODES_ACT_PROBE = KN_ACT_PANE_BASE };

static const struct kn_keybind kn_nodes_binds[] = {
	{'p', KN_NODES_ACT_PROBE, "probe the node ports again", "probe"},
};

static const struct kn_keymap kn_nodes_keys = {
	"Nodes", kn_nodes_binds,
	sizeof(kn_nodes_binds) / sizeof(kn_nodes_binds[0])};

static bool
kn_nodes_key(struct kn_pane *p, int action)
{
	struct kn_nodeview *nv = p->app->nodeview;

	if (action != KN_NODES_ACT_PROBE)
		return false;
	if (nv == NULL || kn_nodeview_mode(nv) == KN_PROBE_NONE) {
		snprintf(p->msg, sizeof(p->msg),
			 "port checks are off (--probe none)");
		return true;
	}
	kn_nodeview_sweep(nv);
	if (kn_nodeview_demo(nv))
		snprintf(p->msg, sizeof(p->msg),
			 "demo: the canned port checks are renewed (no "
			 "network)");
	else
		snprintf(p->msg, sizeof(p->msg),
			 "probing the ports of %zu nodes ...",
			 kn_table_total(p->table));
	return true;
}

const struct kn_pane_ops kn_pane_nodes_ops = {
	.id = KN_PANE_NODES,
	.title = "Nodes",
	.view = &kn_view_nodes,
	.objects = true,
	.sort_col = 0,
	.detail = kn_nodes_detail,
	.draw = kn_nodes_draw,
	.keys = &kn_nodes_keys,
	.key = kn_nodes_key,
};
