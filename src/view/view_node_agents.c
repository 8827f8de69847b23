/* The Nodes view's node agent columns (--agents): what each node's agent
 * said of it, its listeners (TCP and UDP) and whether its CNI
 * configuration differs from what most nodes have. */
#include <stdio.h>
#include <string.h>

#include "k8snet/agent.h"
#include "k8snet/model.h"
#include "k8snet/view.h"

/* The agent entry of the row's node, or NULL. */
static struct kn_agent_node *
agent_of(const struct kn_vctx *cx, const struct kn_vrow *r)
{
	const struct kn_obj *o = r->obj;
	size_t i;
	struct kn_agent_node *n;

	if (cx->agents == NULL || o == NULL)
		return NULL;
	for (i = 0; (n = kn_agents_node_at(cx->agents, i)) != NULL; i++)
		if (strcmp(n->node, o->name) == 0)
			return n->have_facts ? n : NULL;
	return NULL;
}

static void
g_a_cni(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_agent_node *n = agent_of(cx, r);

	v->s = n != NULL && n->cni[0] ? n->cni : NULL;
}

static void
g_a_differs(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	const struct kn_agent_node *n = agent_of(cx, r);

	v->b = n != NULL && n->cni_hash != kn_agents_cni_majority(cx->agents);
}

static void
g_a_dns(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_agent_node *n = agent_of(cx, r);

	v->s = n != NULL && n->cluster_dns[0] ? n->cluster_dns : NULL;
}

static void
g_a_drops(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_agent_node *n = agent_of(cx, r);

	v->u = n != NULL ? n->kernel_drops + n->interface_drops : 0;
}

/* A listener: the row's j is its index. */
static void
g_l_proto(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_agent_node *n = agent_of(cx, r);

	v->s = n != NULL && n->lis_proto[r->j] == 17 ? "udp" : "tcp";
}

static void
g_l_ip(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_agent_node *n = agent_of(cx, r);

	if (n != NULL)
		v->ip = n->lis_ip[r->j];
}

static void
g_l_port(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	const struct kn_agent_node *n = agent_of(cx, r);

	v->u = n != NULL ? n->lis_port[r->j] : 0;
}

static void
g_l_process(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	const struct kn_agent_node *n = agent_of(cx, r);

	v->s = n != NULL && n->lis_comm[r->j][0] ? n->lis_comm[r->j] : NULL;
}

static const struct kn_vcol listener_cols[] = {
	{.key = "protocol",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_l_proto},
	{.key = "address",
	 .type = KN_VT_IP,
	 .flags = KN_VC_JSON,
	 .get = g_l_ip},
	{.key = "port",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_l_port},
	{.key = "process",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_l_process},
};

static void
g_a_listeners(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	const struct kn_agent_node *n = agent_of(cx, r);

	v->sub = listener_cols;
	v->nsub = sizeof(listener_cols) / sizeof(listener_cols[0]);
	v->sub_row = kn_vrow_sub_j;
	v->n = n != NULL ? n->nlisteners : 0;
}

static const struct kn_vcol agent_cols[] = {
	{.key = "cni", .type = KN_VT_TEXT, .flags = KN_VC_JSON, .get = g_a_cni},
	{.key = "cniDiffers",
	 .type = KN_VT_BOOL,
	 .flags = KN_VC_JSON,
	 .get = g_a_differs},
	{.key = "clusterDNS",
	 .type = KN_VT_TEXT,
	 .flags = KN_VC_JSON,
	 .get = g_a_dns},
	{.key = "captureDrops",
	 .type = KN_VT_UINT,
	 .flags = KN_VC_JSON,
	 .get = g_a_drops},
	{.key = "listeners",
	 .type = KN_VT_OBJS,
	 .flags = KN_VC_JSON,
	 .get = g_a_listeners},
};

void
kn_vget_node_agent(const struct kn_vctx *cx, const struct kn_vrow *r,
		   struct kn_value *v)
{
	v->absent = cx->agents == NULL;
	v->null = agent_of(cx, r) == NULL;
	v->sub = agent_cols;
	v->nsub = sizeof(agent_cols) / sizeof(agent_cols[0]);
	v->sub_row = kn_vrow_same;
}

void
kn_vget_node_agent_text(const struct kn_vctx *cx, const struct kn_vrow *r,
			struct kn_value *v)
{
	const struct kn_agent_node *n = agent_of(cx, r);

	if (n == NULL) {
		v->s = cx->agents != NULL ? "-" : NULL;
		return;
	}
	snprintf(v->buf, v->cap, "%u listeners%s", n->nlisteners,
		 n->cni_hash != kn_agents_cni_majority(cx->agents)
			 ? ", CNI differs"
			 : "");
	v->s = v->buf;
}
