/* The Policies view: every pod with its NetworkPolicy isolation for
 * ingress and egress, the policies that select it, and whether its
 * policies let it reach the cluster DNS (the default deny for egress
 * that forgets DNS is the most common broken policy). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/model.h"
#include "k8snet/policy.h"
#include "k8snet/view.h"

#define POD(r) ((const struct kn_pod *)(r)->obj)
#define PR(r) ((const struct pol_row *)(r)->aux)

enum dns_verdict { DNS_NA, DNS_ALLOWED, DNS_DENIED };

struct pol_row {
	struct kn_pod_isolation iso;
	const char **names; /* the selecting policies, in name order */
	size_t nnames;
	uint8_t dns; /* enum dns_verdict */
	const char *note;
};

static void
side_text(bool isolated, uint32_t rules, struct kn_value *v)
{
	if (!isolated)
		v->s = "open";
	else if (rules == 0)
		v->s = "deny all";
	else {
		snprintf(v->buf, v->cap, "%u rule%s", rules,
			 rules == 1 ? "" : "s");
		v->s = v->buf;
	}
}

static void
g_ingress_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	side_text(PR(r)->iso.ingress, PR(r)->iso.ningress_rules, v);
}

static void
g_egress_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	side_text(PR(r)->iso.egress, PR(r)->iso.negress_rules, v);
}

static void
g_iso_ingress(const struct kn_vctx *cx, const struct kn_vrow *r,
	      struct kn_value *v)
{
	v->b = PR(r)->iso.ingress;
}

static void
g_iso_egress(const struct kn_vctx *cx, const struct kn_vrow *r,
	     struct kn_value *v)
{
	v->b = PR(r)->iso.egress;
}

static const struct kn_vcol iso_cols[] = {
	{.key = "ingress",
	 .type = KN_VT_BOOL,
	 .flags = KN_VC_JSON,
	 .get = g_iso_ingress},
	{.key = "egress",
	 .type = KN_VT_BOOL,
	 .flags = KN_VC_JSON,
	 .get = g_iso_egress},
};

static void
g_isolation(const struct kn_vctx *cx, const struct kn_vrow *r,
	    struct kn_value *v)
{
	v->sub = iso_cols;
	v->nsub = 2;
	v->sub_row = kn_vrow_same;
}

static void
g_policies(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	v->strs = PR(r)->names;
	v->n = PR(r)->nnames;
}

static void
g_ingress_rules(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v)
{
	v->u = PR(r)->iso.ningress_rules;
}

static void
g_egress_rules(const struct kn_vctx *cx, const struct kn_vrow *r,
	       struct kn_value *v)
{
	v->u = PR(r)->iso.negress_rules;
}

static void
g_dns(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	static const char *const names[] = {NULL, "allowed", "denied"};

	v->s = names[PR(r)->dns];
}

static void
g_dns_text(const struct kn_vctx *cx, const struct kn_vrow *r,
	   struct kn_value *v)
{
	static const char *const names[] = {"", "ok", "BLOCKED"};

	v->s = names[PR(r)->dns];
}

static void
g_note(const struct kn_vctx *cx, const struct kn_vrow *r, struct kn_value *v)
{
	v->s = PR(r)->note;
}

static const struct kn_vcol cols[] = {
	{"NAMESPACE", NULL, "namespace", KN_VT_TEXT,
	 KN_VC_ALL | KN_VC_ID | KN_VC_NS, 9, 24, 1, false, kn_vget_ns},
	{"NAME", NULL, "name", KN_VT_TEXT, KN_VC_ALL | KN_VC_ID, 12, 0, 3,
	 false, kn_vget_name},
	{NULL, NULL, "isolation", KN_VT_OBJ, KN_VC_JSON, 0, 0, 0, false,
	 g_isolation},
	{"INGRESS", NULL, NULL, KN_VT_TEXT, KN_VC_TABLE | KN_VC_CONSOLE, 8, 10,
	 0, false, g_ingress_text},
	{"EGRESS", NULL, NULL, KN_VT_TEXT, KN_VC_TABLE | KN_VC_CONSOLE, 8, 10,
	 0, false, g_egress_text},
	{NULL, NULL, "ingressRules", KN_VT_UINT, KN_VC_JSON, 0, 0, 0, false,
	 g_ingress_rules},
	{NULL, NULL, "egressRules", KN_VT_UINT, KN_VC_JSON, 0, 0, 0, false,
	 g_egress_rules},
	{"DNS", NULL, "dns", KN_VT_TEXT, KN_VC_JSON, 0, 0, 0, false, g_dns},
	{"DNS", NULL, NULL, KN_VT_TEXT, KN_VC_TABLE | KN_VC_CONSOLE, 7, 7, 0,
	 false, g_dns_text},
	{"POLICIES", NULL, "policies", KN_VT_STRS, KN_VC_ALL, 8, 0, 2, false,
	 g_policies},
	{"IP", NULL, "podIP", KN_VT_IP, KN_VC_JSON | KN_VC_TABLE | KN_VC_WIDE,
	 0, 0, 0, false, kn_vget_pod_ip},
	{"HOSTNETWORK", NULL, "hostNetwork", KN_VT_BOOL,
	 KN_VC_JSON | KN_VC_TABLE | KN_VC_WIDE, 0, 0, 0, false,
	 kn_vget_host_network},
	{"NOTE", NULL, "note", KN_VT_TEXT, KN_VC_ALL | KN_VC_OPT, 4, 0, 2,
	 false, g_note},
	{NULL, NULL, "planned", KN_VT_BOOL, KN_VC_JSON | KN_VC_OPT, 0, 0, 0,
	 false, kn_vget_planned},
};

static const uint8_t order[] = {0, 1, 3, 4, 8, 9, 10, 11, 12};

/* Where pods ask for DNS: a pod of kube-system/kube-dns and the port
 * its service sends UDP 53 to. */
struct dns_target {
	struct kn_np_target t;
	const struct kn_pod *pod;
	uint16_t port;
	bool ingress_isolated;
};

static void
dns_target(const struct kn_model *m, const struct kn_policy_index *ix,
	   struct dns_target *d)
{
	struct kn_np_port_ask ask = {.port = 53, .proto = KN_PROTO_UDP};
	struct kn_pod_isolation iso;
	char err[128];
	size_t i;

	memset(d, 0, sizeof(*d));
	if (!kn_np_target_resolve(m, "svc/kube-system/kube-dns", NULL, &d->t,
				  err, sizeof(err)))
		return;
	for (i = 0; i < d->t.npods && d->pod == NULL; i++)
		if (d->t.pods[i]->nips > 0 &&
		    (d->port = kn_np_port_on(&d->t, d->t.pods[i], &ask)) != 0)
			d->pod = d->t.pods[i];
	if (d->pod != NULL) {
		kn_policy_pod(ix, d->pod, &iso, NULL, 0);
		d->ingress_isolated = iso.ingress;
	}
}

static uint8_t
dns_verdict(const struct kn_model *m, const struct kn_policy_index *ix,
	    const struct dns_target *d, const struct kn_pod *pod,
	    bool egress_isolated)
{
	struct kn_np_query q = {0};
	struct kn_np_answer a;
	uint8_t v;

	if (d->pod == NULL || pod->nips == 0 || pod->host_network ||
	    (!egress_isolated && !d->ingress_isolated))
		return DNS_NA;
	q.from.pod = pod;
	q.from.ip = pod->ips[0];
	q.to.pod = d->pod;
	q.to.ip = d->pod->ips[0];
	q.port = d->port;
	q.proto = KN_PROTO_UDP;
	kn_np_evaluate(m, ix, &q, &a);
	v = a.allowed ? DNS_ALLOWED : DNS_DENIED;
	kn_np_answer_release(&a);
	return v;
}

static void
free_index(void *arg)
{
	kn_policy_index_free(arg);
}

static void
build(struct kn_view *v, const struct kn_vctx *cx)
{
	struct kn_policy_index *ix = kn_policy_index_new(cx->model);
	struct dns_target dns;
	const struct kn_netpol *sel[64];
	struct kn_obj **objs;
	size_t n, i, k, nsel;

	if (ix == NULL)
		return;
	kn_view_defer(v, free_index, ix);
	dns_target(cx->model, ix, &dns);
	n = kn_model_list(cx->model, KN_POD, cx->ns, &objs);
	for (i = 0; i < n; i++) {
		const struct kn_pod *pod = (const struct kn_pod *)objs[i];
		struct pol_row *pr = kn_view_alloc(v, sizeof(*pr));
		enum kn_vtone tone = KN_VTONE_NORMAL;
		struct kn_vrow *row;

		nsel = kn_policy_pod(ix, pod, &pr->iso, sel, 64);
		if (nsel > 0) {
			pr->nnames = nsel < 64 ? nsel : 64;
			pr->names = kn_view_alloc(
				v, pr->nnames * sizeof(*pr->names));
			for (k = 0; k < pr->nnames; k++)
				pr->names[k] = sel[k]->o.name;
		}
		pr->dns = dns_verdict(cx->model, ix, &dns, pod, pr->iso.egress);
		if (pr->dns == DNS_DENIED) {
			pr->note = "no policy lets it reach the cluster DNS "
				   "(UDP 53 to kube-system/kube-dns)";
			tone = KN_VTONE_ERROR;
		} else if (pod->host_network && nsel > 0) {
			pr->note = "host network: most CNIs do not apply "
				   "NetworkPolicy to it";
			tone = KN_VTONE_WARN;
		} else if (pr->iso.ingress && pr->iso.ningress_rules == 0 &&
			   pr->iso.egress && pr->iso.negress_rules == 0) {
			tone = KN_VTONE_WARN;
		} else if (nsel == 0) {
			tone = KN_VTONE_DIM;
		}
		row = kn_view_add(v, pod, 0, 0, tone);
		row->aux = pr;
	}
	free(objs);
	kn_np_target_release(&dns.t);
}

static void
text(const struct kn_vctx *cx, struct kn_strs *before, struct kn_strs *after)
{
	size_t n = kn_model_count(cx->model, KN_NETPOL);

	if (n == 0)
		kn_strs_add(after,
			    "No NetworkPolicy: every pod is open for ingress "
			    "and egress.");
}

const struct kn_view_def kn_view_policies = {
	.pane = "policies",
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.order = order,
	.norder = sizeof(order),
	.empty = "pods",
	.build = build,
	.text = text,
};
