/* Model values as kubectl prints them: a service's PORT(S) and
 * EXTERNAL-IP columns and an ingress path's backend, shared by the
 * console and the --once tables. */
#include <stdio.h>

#include "k8snet/model.h"
#include "k8snet/model_query.h"

void
kn_service_ports_text(const struct kn_service *s, char *out, size_t cap)
{
	size_t o = 0, i;
	int w;

	out[0] = '\0';
	for (i = 0; i < s->nports; i++) {
		const struct kn_svc_port *p = &s->ports[i];

		if (p->node_port)
			w = snprintf(out + o, cap - o, "%s%u:%u/%s",
				     i ? "," : "", p->port, p->node_port,
				     kn_proto_name(p->proto));
		else
			w = snprintf(out + o, cap - o, "%s%u/%s", i ? "," : "",
				     p->port, kn_proto_name(p->proto));
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
}

void
kn_service_external_text(const struct kn_service *s, char *out, size_t cap)
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

const char *
kn_ing_backend_text(const struct kn_ing_path *p, char *out, size_t cap)
{
	if (p->service != NULL && p->port_name != NULL)
		snprintf(out, cap, "%s:%s", p->service, p->port_name);
	else if (p->service != NULL && p->port_number != 0)
		snprintf(out, cap, "%s:%u", p->service, p->port_number);
	else if (p->service != NULL)
		snprintf(out, cap, "%s:(no port)", p->service);
	else if (p->res_kind != NULL && p->res_group != NULL && *p->res_group)
		snprintf(out, cap, "%s.%s/%s", p->res_kind, p->res_group,
			 p->res_name);
	else if (p->res_kind != NULL)
		snprintf(out, cap, "%s/%s", p->res_kind, p->res_name);
	else
		snprintf(out, cap, "(none)");
	return out;
}
