/* Pieces of the panes' detail views: endpoints, records, ports, lookups,
 * HTTP heads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/buf.h"
#include "k8snet/escape.h"
#include "k8snet/txn.h"

#include "detail.h"

const char *
kn_detail_ep_state(enum kn_ep_state st)
{
	switch (st) {
	case KN_EP_READY:
		return "ready endpoint";
	case KN_EP_NOT_READY:
		return "NOT READY endpoint";
	default:
		return "not an endpoint";
	}
}

enum kn_role
kn_detail_pod_role(const struct kn_pod *pod)
{
	return kn_pane_tone_role(kn_view_pod_tone(pod));
}

const char *
kn_detail_ing_where(const struct kn_ing_path *ip, char *buf, size_t n)
{
	if (ip->is_default)
		snprintf(buf, n, "%s (default backend)",
			 ip->host != NULL ? ip->host : "*");
	else
		snprintf(buf, n, "%s%s (%s)", ip->host != NULL ? ip->host : "*",
			 ip->path != NULL ? ip->path : "/",
			 kn_path_type_name(ip->path_type));
	return buf;
}

enum kn_role
kn_detail_target(const struct kn_model *m, const struct kn_service *svc,
		 const struct kn_svc_port *sp, char *buf, size_t n)
{
	struct kn_slice *const *sl;
	struct kn_pod **pods = NULL;
	size_t nsl, np = 0, i, hits = 0;
	uint16_t k, port = 0;

	if (sp->target_name == NULL) {
		snprintf(buf, n, "targetPort %u", sp->target_port);
		return KN_ROLE_NORMAL;
	}
	/* The EndpointSlice carries the resolved number (what kube-proxy
	 * programs); the pods' container ports say the same from below. */
	nsl = kn_model_service_slices(m, svc, &sl);
	for (i = 0; i < nsl && port == 0; i++)
		for (k = 0; k < sl[i]->nports; k++)
			if (sl[i]->ports[k].name == sp->name &&
			    sl[i]->ports[k].proto == sp->proto &&
			    sl[i]->neps > 0) {
				port = sl[i]->ports[k].port;
				break;
			}
	if (svc->has_selector)
		np = kn_model_select_pods(m, svc->o.ns, svc->selector,
					  svc->nselector, &pods);
	for (i = 0; i < np; i++)
		for (k = 0; k < pods[i]->nports; k++)
			if (pods[i]->ports[k].name != NULL &&
			    strcmp(pods[i]->ports[k].name, sp->target_name) ==
				    0) {
				if (port == 0)
					port = pods[i]->ports[k].port;
				hits++;
				break;
			}
	free(pods);
	if (hits > 0 || (port != 0 && np == 0)) {
		snprintf(buf, n,
			 "targetPort \"%s\" = %u (%zu of %zu selected "
			 "pods name it)",
			 sp->target_name, port, hits, np);
		return KN_ROLE_NORMAL;
	}
	snprintf(buf, n,
		 "targetPort \"%s\": no selected pod has a container "
		 "port of that name (%zu pods selected)",
		 sp->target_name, np);
	return KN_ROLE_WARNING;
}

void
kn_detail_records(struct kn_lines *out, const struct kn_dnsrecs *r,
		  const char *indent)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		kn_lines_add(out, "%s%-5s %s  %s", indent,
			     kn_rr_name(r->v[i].type), r->v[i].name,
			     r->v[i].value);
}

void
kn_detail_endpoints(const struct kn_model *m, const struct kn_service *svc,
		    struct kn_lines *out, const char *prefix)
{
	struct kn_slice *const *sl;
	const struct kn_pod *pod;
	size_t nsl, i, j, total = 0, seen = 0;
	char ip[KN_IPSTR];

	nsl = kn_model_service_slices(m, svc, &sl);
	for (i = 0; i < nsl; i++)
		total += sl[i]->neps;
	if (total == 0) {
		kn_lines_add_role(out, KN_ROLE_WARNING, "%s`- (no endpoints)",
				  prefix);
		return;
	}
	for (i = 0; i < nsl; i++)
		for (j = 0; j < sl[i]->neps; j++) {
			const struct kn_endpoint *e = &sl[i]->eps[j];

			seen++;
			pod = e->pod != NULL
				      ? (const struct kn_pod *)kn_model_find(
						m, KN_POD, svc->o.ns, e->pod)
				      : NULL;
			kn_lines_add_role(
				out,
				e->ready ? KN_ROLE_NORMAL : KN_ROLE_WARNING,
				"%s%s %-15s %-9s pod %s%s%s%s%s%s  "
				"node %s",
				prefix, seen == total ? "`-" : "|-",
				kn_ipaddr_format(&e->ip, ip, sizeof(ip)),
				e->ready ? "ready" : "NOT READY",
				e->pod != NULL ? svc->o.ns : "-",
				e->pod != NULL ? "/" : "",
				e->pod != NULL ? e->pod : "",
				pod != NULL ? " (" : "",
				pod != NULL && pod->status != NULL ? pod->status
								   : "",
				pod != NULL ? ")" : "",
				e->node != NULL ? e->node : "-");
		}
}

void
kn_detail_lookup(const struct kn_lookup *l, struct kn_lines *out)
{
	size_t i, last = l->ntries ? l->ntries - 1 : 0;

	kn_lines_add(out, "Lookup %s%s%s", l->query, l->qtype >= 0 ? " " : "",
		     l->qtype >= 0 ? kn_rr_name((uint8_t)l->qtype) : "");
	if (l->rcode == KN_LOOKUP_INVALID) {
		kn_lines_add_role(out, KN_ROLE_ERROR, "  invalid: %s",
				  l->ntries ? l->tries[0].reason : "");
		return;
	}
	if (l->reverse) {
		kn_lines_add(out, "  an address: the question is PTR %s",
			     l->ntries ? l->tries[0].name : "");
	} else {
		kn_lines_add(out,
			     "  as a pod in namespace %s asks: search %s "
			     "%s %s, options ndots:%d",
			     l->ns, l->search.n > 0 ? l->search.v[0] : "",
			     l->search.n > 1 ? l->search.v[1] : "",
			     l->search.n > 2 ? l->search.v[2] : "",
			     KN_LOOKUP_NDOTS);
		kn_lines_add(out, "  %u dot%s %s ndots %d: %s", l->dots,
			     l->dots == 1 ? "" : "s",
			     l->dots >= KN_LOOKUP_NDOTS ? ">=" : "<",
			     KN_LOOKUP_NDOTS,
			     l->ntries == 1 && l->absolute_first
				     ? "the name is asked as it is"
			     : l->absolute_first
				     ? "as it is first, then the "
				       "search list"
				     : "the search list first, then the "
				       "name as it is");
	}
	for (i = 0; i < l->notes.n; i++)
		kn_lines_add(out, "  %s", l->notes.v[i]);
	kn_lines_add(out, "Queries");
	for (i = 0; i < l->ntries; i++) {
		const struct kn_lookup_try *t = &l->tries[i];

		kn_lines_add_role(
			out,
			t->rcode == KN_LOOKUP_ANSWER	 ? KN_ROLE_OK
			: t->rcode == KN_LOOKUP_UPSTREAM ? KN_ROLE_DIMMED
							 : KN_ROLE_WARNING,
			"  %-9s %s%s%s", kn_lookup_rcode_name(t->rcode),
			t->name, t->reason != NULL ? "  - " : "",
			t->reason != NULL ? t->reason : "");
	}
	kn_lines_add(out, "Answer");
	if (l->answers.n == 0) {
		const char *why = "";

		for (i = 0; i < l->ntries; i++)
			if (l->tries[i].rcode != KN_LOOKUP_UPSTREAM &&
			    l->tries[i].reason != NULL) {
				why = l->tries[i].reason;
				break;
			}
		if (l->rcode == KN_LOOKUP_UPSTREAM)
			kn_lines_add_role(out, KN_ROLE_WARNING,
					  "  NXDOMAIN in "
					  "the cluster (%s); %s goes upstream",
					  why, l->tries[last].name);
		else
			kn_lines_add_role(out, KN_ROLE_ERROR, "  %s: %s",
					  kn_lookup_rcode_name(l->rcode), why);
		return;
	}
	for (i = 0; i < l->answers.n; i++)
		kn_lines_add_role(out, KN_ROLE_OK, "  %s %s %s - %s",
				  l->answers.v[i].name,
				  kn_rr_name(l->answers.v[i].type),
				  l->answers.v[i].value, l->why.v[i]);
}

/* Wire bytes reach the screen escaped here, whatever the canvas does. */
void
kn_detail_http_head(struct kn_lines *out, const char *head, size_t len,
		    bool trunc, const char *indent)
{
	struct kn_buf b;
	const char *p = head, *end = head + len, *nl;
	size_t n, shown;

	kn_buf_init(&b, 0);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		shown = n > KN_DETAIL_HEAD_LINE ? KN_DETAIL_HEAD_LINE : n;
		kn_buf_clear(&b);
		kn_escape_text(&b, p, shown, false);
		if (shown < n)
			kn_buf_printf(&b, " ... (+%zu bytes)", n - shown);
		kn_lines_add(out, "%s%s", indent, b.data != NULL ? b.data : "");
		p += n + 1;
	}
	if (trunc)
		kn_lines_add(out, "%s... (head cut at %d bytes)", indent,
			     KN_TXN_HEAD_KEEP);
	kn_buf_release(&b);
}
