/* The Nodes view: nodes, their addresses, pod CIDRs and readiness, the
 * state of their known ports and NodePorts, and the CNI pods on them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/log.h"
#include "k8snet/model.h"
#include "k8snet/model_query.h"
#include "k8snet/nodeview.h"
#include "k8snet/view.h"

#define NODE(r) ((const struct kn_node *)(r)->obj)
#define AUX(r) ((const struct node_aux *)(r)->aux)
#define NV(cx) ((cx)->nodeview)

/* What a row derives once from the model. */
struct node_aux {
	unsigned cp;   /* KN_CP_BY_* */
	uint32_t pods; /* in cx->ns, or all */
	uint32_t cni_ready, cni_total;
	bool cni_ds; /* a CNI DaemonSet was found */
	bool local;  /* the node the console runs on */
};

/* The known ports the console shows as a glyph column each. */
static const uint16_t known[] = {6443, 2379, 2380, 10250, 10257, 10259, 10256};
#define NKNOWN (sizeof(known) / sizeof(known[0]))

static size_t
ports_of(const struct kn_vctx *cx, const struct kn_vrow *r,
	 const struct kn_probe_result *const **rs)
{
	*rs = NULL;
	return NV(cx) != NULL ? kn_nodeview_ports(NV(cx), NODE(r)->o.name, rs)
			      : 0;
}

static bool
is_nodeport(const struct kn_probe_result *x)
{
	return strncmp(x->component, "NodePort ", 9) == 0;
}

static void
g_roles(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->strs = NODE(r)->roles;
	v->n = NODE(r)->nroles;
}

static void
g_cp(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->b = AUX(r)->cp != 0;
}

static void
g_cp_by(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	static const char *const by[] = {"label", "static-pods"};

	v->strs = AUX(r)->cp & KN_CP_BY_LABEL ? by : by + 1;
	v->n = !!(AUX(r)->cp & KN_CP_BY_LABEL) + !!(AUX(r)->cp & KN_CP_BY_PODS);
}

static void
g_internal_ip(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	v->ip = NODE(r)->internal_ip;
}

static void
g_ready(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->b = NODE(r)->ready;
}

/* The table's READY, as kubectl's condition. */
static void
g_ready_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->s = NODE(r)->ready ? "True" : "False";
}

static void
g_pod_cidr(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->s = NODE(r)->pod_cidr;
}

static void
g_pods(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->u = AUX(r)->pods;
}

static void
g_kubelet(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = NODE(r)->kubelet;
}

static void
g_unschedulable(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	v->b = NODE(r)->unschedulable;
}

static void
g_cni_ready(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->u = AUX(r)->cni_ready;
}

static void
g_cni_total(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->u = AUX(r)->cni_total;
}

static const struct kn_vcol cni_cols[] = {
	{.key = "ready",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_cni_ready},
	{.key = "total",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_cni_total},
};

static void
g_cni_pods(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->sub = cni_cols;
	v->nsub = 2;
	v->sub_row = kn_vrow_same;
	v->null = !AUX(r)->cni_ds;
}

static void
g_cni_pods_text(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	if (!AUX(r)->cni_ds) {
		v->type = KN_VT_TEXT;
		return;
	}
	v->u = AUX(r)->cni_ready;
	v->u2 = AUX(r)->cni_total;
}

static void
g_local(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->b = AUX(r)->local;
}

/* ---- ports[]: one nested object per checked port ---- */

static const struct kn_probe_result *
port_at(const struct kn_vctx *cx, const struct kn_vrow *r)
{
	const struct kn_probe_result *const *rs;

	return r->j < ports_of(cx, r, &rs) ? rs[r->j] : NULL;
}

static void
g_p_port(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->u = port_at(cx, r)->port;
}

static void
g_p_component(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	v->s = port_at(cx, r)->component;
}

static void
g_p_state(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = kn_port_state_name(port_at(cx, r)->state);
}

/* A round trip only for an answered connect. */
static void
g_p_rtt(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_probe_result *x = port_at(cx, r);

	v->ms = (x->state == KN_PORT_OPEN || x->state == KN_PORT_CLOSED)
			? x->rtt_ms
			: -1;
}

static void
g_p_checked(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	int64_t ms = port_at(cx, r)->checked_ms;

	v->u = ms > 0 ? (uint64_t)ms : 0;
}

static const struct kn_listener *
listener_of(const struct kn_vctx *cx, const struct kn_vrow *r)
{
	return kn_nodeview_listener(NV(cx), NODE(r)->o.name,
				    port_at(cx, r)->port);
}

static void
g_l_pid(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->i = listener_of(cx, r)->pid;
	v->null = v->i <= 0;
}

static void
g_l_process(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	const struct kn_listener *l = listener_of(cx, r);

	v->s = l->comm[0] ? l->comm : NULL;
}

static void
g_l_address(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->ip = listener_of(cx, r)->addr;
}

static const struct kn_vcol listener_cols[] = {
	{.key = "pid", .type = KN_VT_INT, .flags = KN_VC_JSON, .get = g_l_pid},
	{.key = "process",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_l_process},
	{.key = "address",
	 .type = KN_VT_IP,
	 .flags = KN_VC_JSON,
	 .get = g_l_address},
};

/* Who listens, on the local node only (the key is absent elsewhere). */
static void
g_p_listener(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->absent = !AUX(r)->local;
	v->sub = listener_cols;
	v->nsub = sizeof(listener_cols) / sizeof(listener_cols[0]);
	v->sub_row = kn_vrow_same;
	v->null = v->absent || listener_of(cx, r) == NULL;
}

static const struct kn_vcol port_cols[] = {
	{.key = "port",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_p_port},
	{.key = "component",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_p_component},
	{.key = "state",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_p_state},
	{.key = "rtt_ms",
	 .type = KN_VT_MS,
	 .flags = KN_VC_JSON,
	 .get = g_p_rtt},
	{.key = "checkedAt",
	 .type = KN_VT_EPOCH,
	 .flags = KN_VC_JSON,
	 .get = g_p_checked},
	{.key = "listener",
	 .type = KN_VT_OBJ,
	 .flags = KN_VC_JSON | KN_VC_OPT,
	 .get = g_p_listener},
};

static void
g_ports(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_probe_result *const *rs;

	v->sub = port_cols;
	v->nsub = sizeof(port_cols) / sizeof(port_cols[0]);
	v->sub_row = kn_vrow_sub_j;
	v->n = ports_of(cx, r, &rs);
}

#define PROBLEM_LEN 160

/* A closed or filtered known port is a problem (NodePorts are not: a
 * NodePort answers only where its service has endpoints). Strings of
 * PROBLEM_LEN bytes in buf. */
static void
g_problems(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	const struct kn_probe_result *const *rs;
	size_t n = ports_of(cx, r, &rs), i;

	v->arr = v->buf;
	v->stride = PROBLEM_LEN;
	for (i = 0; i < n && (v->n + 1) * PROBLEM_LEN <= v->cap; i++) {
		if ((rs[i]->state != KN_PORT_CLOSED &&
		     rs[i]->state != KN_PORT_FILTERED) ||
		    is_nodeport(rs[i]))
			continue;
		snprintf(v->buf + v->n++ * PROBLEM_LEN, PROBLEM_LEN,
			 "%s port %u %s", rs[i]->component, rs[i]->port,
			 rs[i]->state == KN_PORT_CLOSED
				 ? "closed (refused)"
				 : "filtered (no answer)");
	}
}

/* "6/6 open", "1/2 open, 10250 filtered" of the known ports or of the
 * NodePorts; "skipped" when none was checked, "-" with none. */
static void
ports_summary(const struct kn_vctx *cx, const struct kn_vrow *r, bool nodeports,
	      struct kn_value *v)
{
	const struct kn_probe_result *const *rs;
	size_t n = ports_of(cx, r, &rs), i, total = 0, open = 0, skipped = 0;
	size_t o;
	int w;

	v->s = v->buf;
	for (i = 0; i < n; i++) {
		if (is_nodeport(rs[i]) != nodeports)
			continue;
		total++;
		open += rs[i]->state == KN_PORT_OPEN;
		skipped += rs[i]->state == KN_PORT_SKIPPED;
	}
	if (total == 0 || skipped == total) {
		v->s = total ? "skipped" : "-";
		return;
	}
	w = snprintf(v->buf, v->cap, "%zu/%zu open", open, total);
	o = w > 0 && (size_t)w < v->cap ? (size_t)w : v->cap - 1;
	for (i = 0; i < n; i++) {
		if (is_nodeport(rs[i]) != nodeports ||
		    rs[i]->state == KN_PORT_OPEN ||
		    rs[i]->state == KN_PORT_SKIPPED)
			continue;
		w = snprintf(v->buf + o, v->cap - o, ", %u %s", rs[i]->port,
			     kn_port_state_name(rs[i]->state));
		if (w < 0 || (size_t)w >= v->cap - o)
			break;
		o += (size_t)w;
	}
}

static void
g_ports_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	ports_summary(cx, r, false, v);
}

static void
g_nodeports_text(const struct kn_vctx *cx, const struct kn_vrow *r,
		 struct kn_value *v)
{
	ports_summary(cx, r, true, v);
}

static void
g_version(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = NODE(r)->kubelet;
}

/* The last ExternalIP-or-other address when it is not the InternalIP. */
static void
g_external_ip(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	const struct kn_node *nd = NODE(r);

	if (nd->naddrs > 1 && nd->addrs[nd->naddrs - 1].family &&
	    !kn_ipaddr_eq(&nd->addrs[nd->naddrs - 1], &nd->internal_ip))
		v->ip = nd->addrs[nd->naddrs - 1];
}

/* The console's glyph of a known port ("" where the role has none). */
static void
glyph(const struct kn_vctx *cx, const struct kn_vrow *r, uint16_t port,
      struct kn_value *v)
{
	const struct kn_probe_result *const *rs;
	size_t n = ports_of(cx, r, &rs), i;

	for (i = 0; i < n; i++)
		if (rs[i]->port == port && !is_nodeport(rs[i]))
			v->s = kn_nodeview_glyph(rs[i]->state, cx->ascii);
}

#define GLYPH(k)                                                               \
	static void g_glyph##k(const struct kn_vctx *cx,                       \
			       const struct kn_vrow *r, struct kn_value *v)    \
	{                                                                      \
		glyph(cx, r, known[k], v);                                     \
	}
GLYPH(0)
GLYPH(1)
GLYPH(2)
GLYPH(3)
GLYPH(4)
GLYPH(5)
GLYPH(6)

/* The console's NP: "open/probed" NodePorts, "-" when none was checked. */
static void
g_np(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_probe_result *const *rs;
	size_t n = ports_of(cx, r, &rs), i, nps = 0, open = 0, checked = 0;

	for (i = 0; i < n; i++) {
		if (!is_nodeport(rs[i]))
			continue;
		nps++;
		open += rs[i]->state == KN_PORT_OPEN;
		checked += rs[i]->state != KN_PORT_SKIPPED;
	}
	if (nps == 0 || checked == 0) {
		v->type = KN_VT_TEXT;
		v->s = "-";
		return;
	}
	v->u = open;
	v->u2 = nps;
}

#define CON KN_VC_CONSOLE
#define WIDE (KN_VC_TABLE | KN_VC_WIDE)
/* A console column of the k-th known port's state glyph, w wide. */
#define PORT_COL(title, w, k)                                                  \
	{                                                                      \
		title, NULL, NULL, KN_VT_TEXT, CON | KN_VC_WHOLE, w, w, 0,     \
			false, g_glyph##k                                      \
	}

static const struct kn_vcol cols[] = {
	{"NAME", NULL, "name", KN_VT_TEXT, KN_VC_ALL | KN_VC_ID | KN_VC_MIDDLE,
	 10, 0, 3, false, kn_vget_name},
	{"ROLES", NULL, "roles", KN_VT_STRS, KN_VC_ALL, 6, 24, 1, false,
	 g_roles},
	{NULL, NULL, "controlPlane", KN_VT_BOOL, KN_VC_JSON, 0, 0, 0, false,
	 g_cp},
	{NULL, NULL, "controlPlaneBy", KN_VT_STRS, KN_VC_JSON, 0, 0, 0, false,
	 g_cp_by},
	{"INTERNAL-IP", NULL, "internalIP", KN_VT_IP, KN_VC_ALL, 11, 39, 0,
	 false, g_internal_ip},
	{NULL, NULL, "ready", KN_VT_BOOL, KN_VC_JSON, 0, 0, 0, false, g_ready},
	{"READY", NULL, NULL, KN_VT_TEXT, KN_VC_TABLE | CON | KN_VC_WHOLE, 5, 7,
	 0, false, g_ready_text},
	{"POD-CIDR", NULL, "podCIDR", KN_VT_TEXT, KN_VC_ALL | KN_VC_WHOLE, 9,
	 43, 0, false, g_pod_cidr},
	{"PODS", NULL, "pods", KN_VT_UINT, KN_VC_ALL, 4, 6, 0, true, g_pods},
	{NULL, NULL, "kubeletVersion", KN_VT_TEXT, KN_VC_JSON, 0, 0, 0, false,
	 g_kubelet},
	{NULL, NULL, "unschedulable", KN_VT_BOOL, KN_VC_JSON, 0, 0, 0, false,
	 g_unschedulable},
	{NULL, NULL, "cniPods", KN_VT_OBJ, KN_VC_JSON, 0, 0, 0, false,
	 g_cni_pods},
	{NULL, NULL, "local", KN_VT_BOOL, KN_VC_JSON, 0, 0, 0, false, g_local},
	{NULL, NULL, "ports", KN_VT_OBJS, KN_VC_JSON, 0, 0, 0, false, g_ports},
	{NULL, NULL, "problems", KN_VT_STRS, KN_VC_JSON, 0, 0, 0, false,
	 g_problems},
	/* 15: the --once table's summaries and wide columns */
	{"PORTS", NULL, NULL, KN_VT_TEXT, KN_VC_TABLE, 0, 0, 0, false,
	 g_ports_text},
	{"NODEPORTS", NULL, NULL, KN_VT_TEXT, KN_VC_TABLE, 0, 0, 0, false,
	 g_nodeports_text},
	{"CNI-PODS", NULL, NULL, KN_VT_COUNT, WIDE, 0, 0, 0, false,
	 g_cni_pods_text},
	{"VERSION", NULL, NULL, KN_VT_TEXT, WIDE, 0, 0, 0, false, g_version},
	{"EXTERNAL-IP", NULL, NULL, KN_VT_IP, WIDE, 0, 0, 0, false,
	 g_external_ip},
	/* 20: the console's compact port columns, never cut: a narrow
	 * screen hides them from the right (after ROLES) */
	PORT_COL("6443", 4, 0),
	PORT_COL("2379", 4, 1),
	PORT_COL("2380", 4, 2),
	PORT_COL("10250", 5, 3),
	PORT_COL("10257", 5, 4),
	PORT_COL("10259", 5, 5),
	PORT_COL("10256", 5, 6),
	{"NP", NULL, NULL, KN_VT_COUNT, CON, 2, 9, 0, false, g_np},
	/* 28: what the node agents say of each node (--agents) */
	{NULL, NULL, "agent", KN_VT_OBJ, KN_VC_JSON | KN_VC_OPT, 0, 0, 0, false,
	 kn_vget_node_agent},
	{"AGENT", NULL, NULL, KN_VT_TEXT, WIDE | CON | KN_VC_HIDE_EMPTY, 6, 30,
	 0, false, kn_vget_node_agent_text},
	{NULL, NULL, "planned", KN_VT_BOOL, KN_VC_JSON | KN_VC_OPT, 0, 0, 0,
	 false, kn_vget_planned},
};

static const uint8_t order[] = {0, 1, 4, 6, 7, 8, 15, 16, 17, 18, 19, 29};
/* AGENT (29) hides while no node agents are read. */
static const uint8_t corder[] = {0,  1,	 4,  6,	 20, 21, 22, 23,
				 24, 25, 26, 27, 29, 7,	 8};

/* ---- the document's head ---- */

static void
g_control_plane(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	if (kn_model_count(cx->model, KN_NODE) > 0)
		v->s = kn_nodeview_managed(cx->model) ? "managed"
						      : "in-cluster";
}

static void
g_probe_mode(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	enum kn_probe_mode m = kn_nodeview_mode(NV(cx));

	v->s = m == KN_PROBE_NONE    ? "none"
	       : m == KN_PROBE_KNOWN ? "known"
				     : "nodeports";
}

static void
g_probe_source(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	v->s = kn_nodeview_demo(NV(cx)) ? "demo (canned results, no network)"
	       : kn_nodeview_mode(NV(cx)) == KN_PROBE_NONE ? "none"
							   : "network";
}

static void
g_probe_timeout(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	v->u = KN_PROBE_TIMEOUT_MS;
}

static const struct kn_vcol probe_cols[] = {
	{.key = "mode",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_probe_mode},
	{.key = "source",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_probe_source},
	{.key = "timeoutMs",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_probe_timeout},
};

static void
g_probe(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->sub = probe_cols;
	v->nsub = sizeof(probe_cols) / sizeof(probe_cols[0]);
	v->sub_row = kn_vrow_same;
}

static const struct kn_vcol head[] = {
	{.type = KN_VT_OBJ,
	 .flags = KN_VC_JSON | KN_VC_INLINE,
	 .get = kn_vget_netinfo},
	{.key = "controlPlane",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_control_plane},
	{.key = "probe",
	 .type = KN_VT_OBJ,
	 .flags = KN_VC_JSON,
	 .get = g_probe},
};

/* One sweep, bounded: a dropped SYN holds its slot for the connect
 * timeout, so allow a timeout per round of 64 plus one. */
static void
prepare(const struct kn_vctx *cx)
{
	char errbuf[KN_ERRBUF];
	size_t n = kn_model_count(cx->model, KN_NODE);
	size_t ms = (n * 8 / 64 + 2) * KN_PROBE_TIMEOUT_MS;

	kn_nodeview_sync(NV(cx));
	if (kn_nodeview_run_once(NV(cx), ms > 30000 ? 30000 : (int)ms,
				 errbuf) != KN_OK)
		kn_warn("%s", errbuf);
}

static void
text(const struct kn_vctx *cx, struct kn_strs *before, struct kn_strs *after)
{
	kn_strs_addf(after, "%s", "");
	kn_view_netinfo_text(cx, after);
	if (kn_nodeview_managed(cx->model))
		kn_strs_addf(after,
			     "Control plane:  managed (no control-plane "
			     "node: the API server runs outside the nodes)");
	if (kn_nodeview_demo(NV(cx)))
		kn_strs_addf(after, "Port checks:    demo data (canned, no "
				    "network)");
}

/* Known ports closed or filtered read as errors, nodes not ready as
 * warnings. */
static enum kn_vtone
node_tone(const struct kn_vctx *cx, const struct kn_vrow *r)
{
	const struct kn_probe_result *const *rs;
	size_t n = ports_of(cx, r, &rs), i;

	if (!NODE(r)->ready)
		return KN_VTONE_WARN;
	for (i = 0; i < n; i++)
		if (!is_nodeport(rs[i]) && (rs[i]->state == KN_PORT_CLOSED ||
					    rs[i]->state == KN_PORT_FILTERED))
			return KN_VTONE_ERROR;
	return KN_VTONE_NORMAL;
}

static unsigned
cp_of(const struct kn_nv_node *cps, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(cps[i].name, name) == 0)
			return cps[i].cp;
	return 0;
}

/* One row per node. Nodes are cluster-scoped: a namespace hides none
 * of them (kubectl get nodes -n NS lists them all too); PODS counts the
 * pods of that namespace. */
static void
build(struct kn_view *v, const struct kn_vctx *cx)
{
	const struct kn_daemonset *ds = kn_nodeview_cni_ds(cx->model);
	const char *local = NV(cx) ? kn_nodeview_local_node(NV(cx)) : NULL;
	const struct kn_node *nd;
	struct kn_nv_node *cps;
	struct node_aux *a;
	struct kn_vrow *r;
	struct kn_obj **objs;
	struct kn_pod **np;
	size_t n, i, ncp, pods;

	ncp = kn_nodeview_nodes(cx->model, &cps);
	n = kn_model_list(cx->model, KN_NODE, NULL, &objs);
	for (i = 0; i < n; i++) {
		nd = (const struct kn_node *)objs[i];
		if (cx->ns != NULL) {
			pods = kn_model_pods_on_node(cx->model, nd->o.name,
						     cx->ns, &np);
			free(np);
		} else {
			pods = kn_model_node_pods(cx->model, nd->o.name);
		}
		a = kn_view_alloc(v, sizeof(*a));
		a->cp = cp_of(cps, ncp, nd->o.name);
		a->pods = (uint32_t)pods;
		a->cni_ds = ds != NULL;
		kn_nodeview_cni_pods(cx->model, ds, nd->o.name, &a->cni_ready,
				     &a->cni_total);
		a->local = local != NULL && strcmp(local, nd->o.name) == 0;
		r = kn_view_add(v, nd, 0, 0, KN_VTONE_NORMAL);
		r->aux = a;
		r->tone = (uint8_t)node_tone(cx, r);
	}
	free(objs);
	free(cps);
}

const struct kn_view_def kn_view_nodes = {
	.pane = "nodes",
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.order = order,
	.norder = sizeof(order),
	.corder = corder,
	.ncorder = sizeof(corder),
	.empty = "nodes",
	.build = build,
	.head = head,
	.nhead = sizeof(head) / sizeof(head[0]),
	.prepare = prepare,
	.text = text,
};
