/* The policy verdict on a flow seen on the wire, for the Traffic pane
 * and its JSON: would NetworkPolicy deny it, and which side. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/policy.h"

void
kn_np_flow_check(const struct kn_model *m, const struct kn_policy_index *ix,
		 const struct kn_ipaddr *client, const struct kn_ipaddr *server,
		 uint16_t port, uint8_t proto, struct kn_np_flow *out)
{
	char c[KN_IPSTR], s[KN_IPSTR], p[32], err[256], pn[320];
	struct kn_np_result res;
	const struct kn_np_side *side;

	memset(out, 0, sizeof(*out));
	if (client->family == 0 || server->family == 0 || port == 0)
		return;
	kn_ipaddr_format(client, c, sizeof(c));
	kn_ipaddr_format(server, s, sizeof(s));
	snprintf(p, sizeof(p), "%u/%s", (unsigned)port, kn_proto_name(proto));
	if (kn_np_ask(m, ix, c, s, p, NULL, &res, err, sizeof(err)) != 0)
		return;
	/* A port the destination does not have is not a policy's doing:
	 * no verdict. */
	out->applies = (res.from.kind != KN_NPT_ADDRESS ||
			res.to.kind != KN_NPT_ADDRESS) &&
		       !res.missing_port;
	out->denied = out->applies && !res.allowed;
	if (out->denied) {
		out->egress = !res.ans.egress.allowed;
		side = out->egress ? &res.ans.egress : &res.ans.ingress;
		if (side->applies && out->egress) {
			kn_np_pod_name(res.from.pods[res.show_from], pn,
				       sizeof(pn));
			snprintf(out->why, sizeof(out->why),
				 "egress of %s is isolated and no rule allows "
				 "%s %u to %s",
				 pn, kn_proto_name(proto),
				 (unsigned)res.show_port, res.to.name);
		} else if (side->applies) {
			kn_np_pod_name(res.to.pods[res.show_to], pn,
				       sizeof(pn));
			snprintf(out->why, sizeof(out->why),
				 "ingress of %s is isolated and no rule allows "
				 "%s %u from %s",
				 pn, kn_proto_name(proto),
				 (unsigned)res.show_port, res.from.name);
		}
	}
	kn_np_result_release(&res);
}

const struct kn_np_flow *
kn_policy_cache_flow(struct kn_policy_cache *c, const struct kn_model *m,
		     const struct kn_ipaddr *client,
		     const struct kn_ipaddr *server, uint16_t port,
		     uint8_t proto)
{
	const struct kn_policy_index *ix = kn_policy_cache_get(c, m);

	if (ix == NULL)
		return NULL;
	if (c->have_flow && c->fversion == kn_model_version(m) &&
	    c->fport == port && c->fproto == proto &&
	    kn_ipaddr_eq(&c->fc, client) && kn_ipaddr_eq(&c->fs, server))
		return c->flow;
	if (c->flow == NULL && (c->flow = malloc(sizeof(*c->flow))) == NULL)
		return NULL;
	kn_np_flow_check(m, ix, client, server, port, proto, c->flow);
	c->fc = *client;
	c->fs = *server;
	c->fport = port;
	c->fproto = proto;
	c->fversion = kn_model_version(m);
	c->have_flow = true;
	return c->flow;
}
