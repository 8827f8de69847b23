/* A DNS lookup answered from the model: the pod resolver's search list
 * and ndots (resolv.conf(5): names with fewer than ndots dots go through
 * the search list first), then CoreDNS's kubernetes plugin zones (the
 * Kubernetes DNS specification: svc.<domain>, pod.<domain>, PTR in
 * in-addr.arpa and ip6.arpa), each answer and each miss explained.
 *
 * Limits: a query is at most 253 characters (RFC 1035 2.3.4 for names),
 * labels at most 63; at most four names are tried. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "k8snet/alloc.h"
#include "k8snet/model_query.h"

#define KN_NAME_MAX 256
#define KN_WHY_MAX 512

const char *
kn_lookup_rcode_name(uint8_t rc)
{
	static const char *const n[] = {"NOERROR", "NXDOMAIN", "NODATA",
					"FORWARDED", "INVALID"};
	return rc < 5 ? n[rc] : "?";
}

void
kn_lookup_release(struct kn_lookup *l)
{
	size_t i;

	for (i = 0; i < l->ntries; i++) {
		free(l->tries[i].name);
		free(l->tries[i].reason);
	}
	free(l->tries);
	kn_dnsrecs_clear(&l->answers);
	kn_strs_clear(&l->why);
	kn_strs_clear(&l->notes);
	kn_strs_clear(&l->search);
	memset(l, 0, sizeof(*l));
}

static void
add_try(struct kn_lookup *l, const char *name, uint8_t rc, const char *reason)
{
	if (l->ntries == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->tries =
			kn_xreallocarray(l->tries, l->cap, sizeof(*l->tries));
	}
	l->tries[l->ntries].name = kn_xstrdup(name);
	l->tries[l->ntries].reason = reason != NULL ? kn_xstrdup(reason) : NULL;
	l->tries[l->ntries].rcode = rc;
	l->ntries++;
}

static void
add_answer(struct kn_lookup *l, const struct kn_dnsrec *r, const char *why)
{
	struct kn_dnsrecs *a = &l->answers;

	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 8;
		a->v = kn_xreallocarray(a->v, a->cap, sizeof(*a->v));
	}
	a->v[a->n].name = kn_xstrdup(r->name);
	a->v[a->n].value = kn_xstrdup(r->value);
	a->v[a->n].source = kn_xstrdup(r->source);
	a->v[a->n].type = r->type;
	a->v[a->n].planned = r->planned;
	a->n++;
	kn_strs_add(&l->why, why);
}

/* True when name ends with ".suffix" (or is suffix); *pre is the length
 * of what comes before the dot. */
static bool
has_suffix(const char *name, const char *suffix, size_t *pre)
{
	size_t n = strlen(name), k = strlen(suffix);

	if (n == k && strcmp(name, suffix) == 0) {
		*pre = 0;
		return true;
	}
	if (n <= k + 1 || name[n - k - 1] != '.' ||
	    strcmp(name + n - k, suffix) != 0)
		return false;
	*pre = n - k - 1;
	return true;
}

/* Split s[0..len) into at most max labels (copied into lab). */
static int
split_labels(const char *s, size_t len, char lab[][64], int max)
{
	int k = 0;
	size_t i, st = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (k == max)
			return max + 1;
		if (i - st > 63 || i == st)
			return -1;
		memcpy(lab[k], s + st, i - st);
		lab[k][i - st] = '\0';
		k++;
		st = i + 1;
	}
	return k;
}

static bool
ns_exists(const struct kn_model *m, const char *ns)
{
	struct kn_obj **v;
	size_t n;

	if (kn_model_find(m, KN_NAMESPACE, "", ns) != NULL)
		return true;
	n = kn_model_list(m, KN_SERVICE, ns, &v);
	free(v);
	if (n > 0)
		return true;
	n = kn_model_list(m, KN_POD, ns, &v);
	free(v);
	return n > 0;
}

/* The endpoint of svc with address ip, or NULL. */
static const struct kn_endpoint *
find_ep(const struct kn_model *m, const struct kn_service *svc,
	const struct kn_ipaddr *ip)
{
	struct kn_slice *const *sl;
	size_t nsl, i, j;

	nsl = kn_model_service_slices(m, svc, &sl);
	for (i = 0; i < nsl; i++)
		for (j = 0; j < sl[i]->neps; j++)
			if (kn_ipaddr_eq(&sl[i]->eps[j].ip, ip))
				return &sl[i]->eps[j];
	return NULL;
}

/* "pod shop/postgres-0 on node demo-worker" for an endpoint. */
static void
ep_desc(const struct kn_service *svc, const struct kn_endpoint *e, char *buf,
	size_t n)
{
	if (e == NULL) {
		snprintf(buf, n, "no endpoint");
		return;
	}
	snprintf(buf, n, "%s%s%s%s%s%s", e->pod != NULL ? "pod " : "",
		 e->pod != NULL ? svc->o.ns : "", e->pod != NULL ? "/" : "",
		 e->pod != NULL ? e->pod : "no pod",
		 e->node != NULL ? " on node " : "",
		 e->node != NULL ? e->node : "");
}

/* Explain record r of service svc for a name with k labels before
 * .svc.<domain>. */
static void
explain_svc_rec(const struct kn_model *m, const struct kn_service *svc,
		const struct kn_dnsrec *r, int k, char *why, size_t n)
{
	struct kn_ipaddr ip;
	const struct kn_endpoint *e = NULL;
	char d[320];

	switch (r->type) {
	case KN_RR_A:
	case KN_RR_AAAA:
		if (!svc->headless && k == 2) {
			snprintf(why, n, "ClusterIP of Service %s/%s",
				 svc->o.ns, svc->o.name);
			return;
		}
		if (kn_ipaddr_parse(r->value, &ip))
			e = find_ep(m, svc, &ip);
		ep_desc(svc, e, d, sizeof(d));
		if (k == 2)
			snprintf(why, n,
				 "ready endpoint of headless Service "
				 "%s/%s: %s",
				 svc->o.ns, svc->o.name, d);
		else
			snprintf(why, n, "endpoint %s%s%s of Service %s/%s: %s",
				 e != NULL && e->hostname != NULL ? "hostname '"
								  : "address",
				 e != NULL && e->hostname != NULL ? e->hostname
								  : "",
				 e != NULL && e->hostname != NULL ? "'" : "",
				 svc->o.ns, svc->o.name, d);
		return;
	case KN_RR_SRV:
		snprintf(why, n,
			 "named port of %sService %s/%s (target and "
			 "port as the record says)",
			 svc->headless ? "headless " : "", svc->o.ns,
			 svc->o.name);
		return;
	case KN_RR_CNAME:
		snprintf(why, n,
			 "ExternalName Service %s/%s: the client then "
			 "resolves %s outside the cluster (CoreDNS forward)",
			 svc->o.ns, svc->o.name, r->value);
		return;
	default:
		snprintf(why, n, "%s", r->source);
	}
}

static bool
type_ok(const struct kn_lookup *l, uint8_t t)
{
	return l->qtype < 0 || l->qtype == t ||
	       (t == KN_RR_CNAME && l->qtype != KN_RR_PTR);
}

/* name is SERVICE-part.svc.<domain>. with pre bytes before .svc. */
static uint8_t
resolve_svc(const struct kn_model *m, struct kn_lookup *l, const char *fq,
	    size_t pre, const char *dom, char *reason, size_t rn)
{
	char lab[6][64], why[KN_WHY_MAX], epl[KN_IPSTR], d[320];
	const struct kn_service *svc;
	struct kn_dnsrecs recs = {0};
	struct kn_slice *const *sl;
	size_t i, j, nsl, found = 0;
	int k;

	k = pre == 0 ? 0 : split_labels(fq, pre, lab, 5);
	if (k < 0) {
		snprintf(reason, rn, "empty or over-long label");
		return KN_LOOKUP_NXDOMAIN;
	}
	if (k == 0 || k == 1) {
		snprintf(reason, rn,
			 "a service name is SERVICE.NAMESPACE.svc."
			 "%s; this one %s",
			 dom, k == 0 ? "has neither" : "has only a namespace");
		return KN_LOOKUP_NXDOMAIN;
	}
	if (k > 4) {
		snprintf(reason, rn,
			 "too many labels before .svc.%s for a "
			 "service, endpoint or SRV name",
			 dom);
		return KN_LOOKUP_NXDOMAIN;
	}
	if (!ns_exists(m, lab[k - 1])) {
		snprintf(reason, rn, "no namespace '%s'", lab[k - 1]);
		return KN_LOOKUP_NXDOMAIN;
	}
	svc = (const struct kn_service *)kn_model_find(m, KN_SERVICE,
						       lab[k - 1], lab[k - 2]);
	if (svc == NULL) {
		snprintf(reason, rn, "no service '%s' in namespace '%s'",
			 lab[k - 2], lab[k - 1]);
		return KN_LOOKUP_NXDOMAIN;
	}
	kn_model_service_dns(m, svc, &recs);
	for (i = 0; i < recs.n; i++) {
		if (strcmp(recs.v[i].name, fq) != 0 ||
		    recs.v[i].type == KN_RR_PTR || !type_ok(l, recs.v[i].type))
			continue;
		explain_svc_rec(m, svc, &recs.v[i], k, why, sizeof(why));
		add_answer(l, &recs.v[i], why);
		found++;
	}
	/* Endpoint names of a ClusterIP service: CoreDNS answers them too
	 * (the PTR records of its endpoints name them). */
	if (found == 0 && k == 3 && !svc->headless &&
	    (l->qtype < 0 || l->qtype == KN_RR_A || l->qtype == KN_RR_AAAA)) {
		nsl = kn_model_service_slices(m, svc, &sl);
		for (i = 0; i < nsl; i++)
			for (j = 0; j < sl[i]->neps; j++) {
				const struct kn_endpoint *e = &sl[i]->eps[j];
				struct kn_dnsrec r;
				char *c, src[320];

				if (!e->ready || e->ip.family == 0)
					continue;
				if (e->hostname != NULL && *e->hostname)
					snprintf(epl, sizeof(epl), "%s",
						 e->hostname);
				else
					kn_ipaddr_format(&e->ip, epl,
							 sizeof(epl));
				for (c = epl; *c; c++)
					if (*c == '.' || *c == ':')
						*c = '-';
				if (strcmp(epl, lab[0]) != 0)
					continue;
				kn_ipaddr_format(&e->ip, epl, sizeof(epl));
				snprintf(src, sizeof(src), "endpoints %s/%s",
					 svc->o.ns, svc->o.name);
				r.name = (char *)fq;
				r.value = epl;
				r.source = src;
				r.type = e->ip.family == 4 ? KN_RR_A
							   : KN_RR_AAAA;
				r.planned = sl[i]->o.planned;
				ep_desc(svc, e, d, sizeof(d));
				snprintf(why, sizeof(why),
					 "endpoint address "
					 "of Service %s/%s: %s",
					 svc->o.ns, svc->o.name, d);
				add_answer(l, &r, why);
				found++;
			}
	}
	if (found > 0) {
		kn_dnsrecs_clear(&recs);
		return KN_LOOKUP_ANSWER;
	}
	for (i = 0; i < recs.n && reason[0] == '\0'; i++)
		if (strcmp(recs.v[i].name, fq) == 0)
			snprintf(reason, rn,
				 "%s/%s has %s records here, not "
				 "%s",
				 svc->o.ns, svc->o.name,
				 kn_rr_name(recs.v[i].type),
				 l->qtype >= 0 ? kn_rr_name((uint8_t)l->qtype)
					       : "?");
	kn_dnsrecs_clear(&recs);
	if (reason[0] != '\0')
		return KN_LOOKUP_NODATA;
	if (k == 2 && svc->type == KN_SVC_EXTERNALNAME)
		snprintf(reason, rn,
			 "ExternalName Service %s/%s has no "
			 "externalName",
			 svc->o.ns, svc->o.name);
	else if (k == 2 && svc->headless)
		snprintf(reason, rn,
			 "headless Service %s/%s has no ready "
			 "endpoints",
			 svc->o.ns, svc->o.name);
	else if (k == 2 && svc->ncluster_ips == 0)
		snprintf(reason, rn, "Service %s/%s has no ClusterIP yet",
			 svc->o.ns, svc->o.name);
	else if (k == 2)
		snprintf(reason, rn, "Service %s/%s has no %s record",
			 svc->o.ns, svc->o.name, kn_rr_name((uint8_t)l->qtype));
	else if (lab[0][0] == '_')
		snprintf(reason, rn,
			 "no port named '%s' with protocol '%s' "
			 "on Service %s/%s (SRV is _PORT._PROTO.SERVICE."
			 "NAMESPACE.svc)",
			 k == 4 ? lab[0] + 1 : lab[0],
			 k == 4 ? lab[1] + (lab[1][0] == '_') : "?", svc->o.ns,
			 svc->o.name);
	else if (k == 3)
		snprintf(reason, rn,
			 "no ready endpoint named '%s' in Service "
			 "%s/%s",
			 lab[0], svc->o.ns, svc->o.name);
	else
		snprintf(reason, rn, "no such name under Service %s/%s",
			 svc->o.ns, svc->o.name);
	return KN_LOOKUP_NXDOMAIN;
}

/* a-b-c-d.NAMESPACE.pod.<domain>. */
static uint8_t
resolve_pod(const struct kn_model *m, struct kn_lookup *l, const char *fq,
	    size_t pre, const struct kn_corefile *cf, char *reason, size_t rn)
{
	char lab[3][64], addr[64], why[KN_WHY_MAX], src[320];
	struct kn_ipaddr ip;
	struct kn_owner ow;
	struct kn_dnsrec r;
	const struct kn_pod *pod = NULL;
	char *c;
	int k;

	k = pre == 0 ? 0 : split_labels(fq, pre, lab, 2);
	if (k != 2) {
		snprintf(reason, rn,
			 "a pod name is A-B-C-D.NAMESPACE.pod."
			 "DOMAIN");
		return KN_LOOKUP_NXDOMAIN;
	}
	if (strcmp(cf->pods, "disabled") == 0 && cf->present) {
		snprintf(reason, rn,
			 "the Corefile's kubernetes plugin does "
			 "not serve pod records (no 'pods insecure' or 'pods "
			 "verified')");
		return KN_LOOKUP_NXDOMAIN;
	}
	snprintf(addr, sizeof(addr), "%s", lab[0]);
	/* IPv4 dashes become dots; IPv6 dashes become colons. */
	if (strchr(addr, '-') != NULL && strlen(addr) <= 15 &&
	    strspn(addr, "0123456789-") == strlen(addr))
		for (c = addr; *c; c++)
			*c = *c == '-' ? '.' : *c;
	else
		for (c = addr; *c; c++)
			*c = *c == '-' ? ':' : *c;
	if (!kn_ipaddr_parse(addr, &ip)) {
		snprintf(reason, rn,
			 "'%s' is not an address written with "
			 "dashes",
			 lab[0]);
		return KN_LOOKUP_NXDOMAIN;
	}
	ow = kn_model_ip_owner(m, &ip);
	if (ow.kind == KN_OWNER_POD)
		pod = (const struct kn_pod *)ow.obj;
	if (pod != NULL && strcmp(pod->o.ns, lab[1]) != 0)
		pod = NULL;
	if (pod == NULL && strcmp(cf->pods, "insecure") != 0) {
		snprintf(reason, rn,
			 "no pod with address %s in namespace "
			 "'%s' ('pods %s' checks)",
			 addr, lab[1], cf->pods);
		return KN_LOOKUP_NXDOMAIN;
	}
	if (l->qtype >= 0 &&
	    l->qtype != (ip.family == 4 ? KN_RR_A : KN_RR_AAAA)) {
		snprintf(reason, rn, "pod names have %s records only",
			 ip.family == 4 ? "A" : "AAAA");
		return KN_LOOKUP_NODATA;
	}
	kn_ipaddr_format(&ip, addr, sizeof(addr));
	if (pod != NULL) {
		snprintf(src, sizeof(src), "pod %s/%s", pod->o.ns, pod->o.name);
		snprintf(why, sizeof(why), "pod IP of Pod %s/%s%s%s", pod->o.ns,
			 pod->o.name, pod->node ? " on node " : "",
			 pod->node ? pod->node : "");
	} else {
		snprintf(src, sizeof(src), "Corefile 'pods insecure'");
		snprintf(why, sizeof(why),
			 "no pod in '%s' has %s, but 'pods "
			 "insecure' answers any such name from its labels",
			 lab[1], addr);
	}
	r.name = (char *)fq;
	r.value = addr;
	r.source = src;
	r.type = ip.family == 4 ? KN_RR_A : KN_RR_AAAA;
	r.planned = pod != NULL && pod->o.planned;
	add_answer(l, &r, why);
	return KN_LOOKUP_ANSWER;
}

/* One fully qualified name (trailing dot). */
static uint8_t
resolve_name(const struct kn_model *m, struct kn_lookup *l, const char *fq,
	     const struct kn_corefile *cf, const struct kn_strs *fwd,
	     char *reason, size_t rn)
{
	const char *dom = kn_model_cluster_domain(m);
	char zone[KN_NAME_MAX];
	size_t pre;

	reason[0] = '\0';
	snprintf(zone, sizeof(zone), "svc.%s.", dom);
	if (has_suffix(fq, zone, &pre))
		return resolve_svc(m, l, fq, pre, dom, reason, rn);
	snprintf(zone, sizeof(zone), "pod.%s.", dom);
	if (has_suffix(fq, zone, &pre))
		return resolve_pod(m, l, fq, pre, cf, reason, rn);
	snprintf(zone, sizeof(zone), "%s.", dom);
	if (has_suffix(fq, zone, &pre)) {
		snprintf(reason, rn,
			 "in the cluster zone %s but under "
			 "neither svc.%s nor pod.%s",
			 dom, dom, dom);
		return KN_LOOKUP_NXDOMAIN;
	}
	snprintf(reason, rn,
		 "outside %s: CoreDNS forwards it to %s; the "
		 "model cannot answer for the upstream servers",
		 dom, fwd->n ? fwd->v[0] : "its upstream resolvers");
	return KN_LOOKUP_UPSTREAM;
}

/* Address from an in-addr.arpa / ip6.arpa name; false otherwise. */
static bool
ptr_to_ip(const char *fq, struct kn_ipaddr *ip)
{
	char lab[33][64], buf[272];
	size_t pre, o = 0;
	int k, i;

	if (has_suffix(fq, "in-addr.arpa.", &pre)) {
		if ((k = split_labels(fq, pre, lab, 4)) != 4)
			return false;
		snprintf(buf, sizeof(buf), "%s.%s.%s.%s", lab[3], lab[2],
			 lab[1], lab[0]);
		return kn_ipaddr_parse(buf, ip);
	}
	if (!has_suffix(fq, "ip6.arpa.", &pre))
		return false;
	if ((k = split_labels(fq, pre, lab, 32)) != 32)
		return false;
	for (i = 31; i >= 0; i--) {
		if (strlen(lab[i]) != 1 || !isxdigit((unsigned char)lab[i][0]))
			return false;
		buf[o++] = lab[i][0];
		if (i % 4 == 0 && i > 0)
			buf[o++] = ':';
	}
	buf[o] = '\0';
	return kn_ipaddr_parse(buf, ip);
}

/* PTR: the records CoreDNS serves for ip, and who owns it. */
static void
resolve_ip(const struct kn_model *m, struct kn_lookup *l,
	   const struct kn_ipaddr *ip)
{
	char ptr[128], why[KN_WHY_MAX], ipb[KN_IPSTR], d[320];
	struct kn_dnsrecs recs = {0};
	struct kn_obj **v;
	struct kn_owner ow;
	size_t n, i, j;

	kn_ipaddr_ptr_name(ip, ptr, sizeof(ptr));
	kn_ipaddr_format(ip, ipb, sizeof(ipb));
	l->reverse = true;
	ow = kn_model_ip_owner(m, ip);
	switch (ow.kind) {
	case KN_OWNER_SERVICE:
		snprintf(why, sizeof(why),
			 "%s is the ClusterIP of Service "
			 "%s/%s",
			 ipb, ow.obj->ns, ow.obj->name);
		break;
	case KN_OWNER_SERVICE_EXT:
		snprintf(why, sizeof(why),
			 "%s is an external or load-"
			 "balancer address of Service %s/%s",
			 ipb, ow.obj->ns, ow.obj->name);
		break;
	case KN_OWNER_POD: {
		const struct kn_pod *p = (const struct kn_pod *)ow.obj;

		snprintf(why, sizeof(why), "%s is the IP of Pod %s/%s%s%s", ipb,
			 p->o.ns, p->o.name, p->node ? " on node " : "",
			 p->node ? p->node : "");
		break;
	}
	case KN_OWNER_NODE:
		snprintf(why, sizeof(why), "%s is an address of Node %s", ipb,
			 ow.obj->name);
		break;
	default:
		snprintf(why, sizeof(why),
			 "no pod, service or node in the "
			 "model has %s",
			 ipb);
	}
	kn_strs_add(&l->notes, why);
	n = kn_model_list(m, KN_SERVICE, NULL, &v);
	for (i = 0; i < n; i++) {
		const struct kn_service *s = (const struct kn_service *)v[i];

		kn_model_service_dns(m, s, &recs);
		for (j = 0; j < recs.n; j++) {
			if (recs.v[j].type != KN_RR_PTR ||
			    strcmp(recs.v[j].name, ptr) != 0)
				continue;
			if (strncmp(recs.v[j].source, "service ", 8) == 0) {
				snprintf(why, sizeof(why),
					 "ClusterIP of "
					 "Service %s/%s",
					 s->o.ns, s->o.name);
			} else {
				ep_desc(s, find_ep(m, s, ip), d, sizeof(d));
				snprintf(why, sizeof(why),
					 "endpoint of "
					 "Service %s/%s: %s",
					 s->o.ns, s->o.name, d);
			}
			add_answer(l, &recs.v[j], why);
		}
		kn_dnsrecs_clear(&recs);
	}
	free(v);
	if (l->answers.n > 0) {
		add_try(l, ptr, KN_LOOKUP_ANSWER, NULL);
		l->rcode = KN_LOOKUP_ANSWER;
		return;
	}
	add_try(l, ptr, KN_LOOKUP_NXDOMAIN,
		"CoreDNS serves PTR only for "
		"service ClusterIPs and ready endpoint addresses; this "
		"address is neither (with 'fallthrough in-addr.arpa' the "
		"question goes upstream)");
	l->rcode = KN_LOOKUP_NXDOMAIN;
}

static bool
valid_name(const char *q)
{
	size_t i;

	for (i = 0; q[i]; i++)
		if (!(isalnum((unsigned char)q[i]) || q[i] == '-' ||
		      q[i] == '.' || q[i] == '_'))
			return false;
	return i > 0 && strstr(q, "..") == NULL && q[0] != '.';
}

static int
parse_type(const char *t)
{
	static const char *const n[] = {"A", "AAAA", "SRV", "CNAME", "PTR"};
	int i;

	for (i = 0; i < 5; i++)
		if (strcasecmp(t, n[i]) == 0)
			return i;
	return -2;
}

void
kn_model_lookup(const struct kn_model *m, const char *query, const char *ns,
		struct kn_lookup *out)
{
	char q[KN_NAME_MAX], fq[2 * KN_NAME_MAX], reason[KN_WHY_MAX];
	char tword[16];
	const char *dom = kn_model_cluster_domain(m), *sp;
	struct kn_corefile cf;
	struct kn_coredns info;
	struct kn_ipaddr ip;
	size_t n, i, len;
	bool absolute;
	uint8_t rc = KN_LOOKUP_NXDOMAIN;

	memset(out, 0, sizeof(*out));
	out->qtype = -1;
	out->ns = ns != NULL ? ns : "default";
	while (*query == ' ' || *query == '\t')
		query++;
	len = strcspn(query, " \t");
	snprintf(out->query, sizeof(out->query), "%.*s", (int)len, query);
	for (i = 0; out->query[i]; i++)
		out->query[i] = (char)tolower((unsigned char)out->query[i]);
	sp = query + len;
	sp += strspn(sp, " \t");
	if (*sp != '\0') {
		snprintf(tword, sizeof(tword), "%.*s", (int)strcspn(sp, " \t"),
			 sp);
		out->qtype = parse_type(tword);
		if (out->qtype == -2) {
			out->qtype = -1;
			out->rcode = KN_LOOKUP_INVALID;
			add_try(out, out->query, KN_LOOKUP_INVALID,
				"unknown record type (A AAAA SRV CNAME PTR)");
			return;
		}
	}
	if (len == 0 || len > 253) {
		out->rcode = KN_LOOKUP_INVALID;
		add_try(out, out->query, KN_LOOKUP_INVALID,
			len == 0 ? "type a name or an address"
				 : "longer than a DNS name can be (253)");
		return;
	}
	snprintf(q, sizeof(q), "%s", out->query);
	if (kn_ipaddr_parse(q, &ip)) {
		resolve_ip(m, out, &ip);
		return;
	}
	if (!valid_name(q)) {
		out->rcode = KN_LOOKUP_INVALID;
		add_try(out, q, KN_LOOKUP_INVALID,
			"not a DNS name (letters, "
			"digits, '-', '_' and dots) nor an IP address");
		return;
	}
	n = strlen(q);
	absolute = q[n - 1] == '.';
	if (absolute)
		q[--n] = '\0';
	snprintf(fq, sizeof(fq), "%s.", q);
	if (ptr_to_ip(fq, &ip)) {
		resolve_ip(m, out, &ip);
		return;
	}
	for (i = 0; i < n; i++)
		out->dots += q[i] == '.';
	out->absolute_first = absolute || out->dots >= KN_LOOKUP_NDOTS;
	snprintf(fq, sizeof(fq), "%s.svc.%s", out->ns, dom);
	kn_strs_add(&out->search, fq);
	snprintf(fq, sizeof(fq), "svc.%s", dom);
	kn_strs_add(&out->search, fq);
	kn_strs_add(&out->search, dom);
	kn_model_corefile(m, &cf);
	kn_model_coredns(m, &info);
	/* Absolute first (and alone for a trailing dot), then the search
	 * list; or the search list, then the name as it is. */
	for (i = 0; i < 1 + (absolute ? 0 : out->search.n); i++) {
		size_t s = out->absolute_first ? i : i + 1;

		if (s == 0 || s == out->search.n + 1)
			snprintf(fq, sizeof(fq), "%s.", q);
		else
			snprintf(fq, sizeof(fq), "%s.%s.", q,
				 out->search.v[s - 1]);
		if (strlen(fq) > 254) {
			add_try(out, fq, KN_LOOKUP_INVALID,
				"longer than a DNS "
				"name can be; the resolver skips it");
			continue;
		}
		rc = resolve_name(m, out, fq, &cf, &info.forwarders, reason,
				  sizeof(reason));
		add_try(out, fq, rc, rc == KN_LOOKUP_ANSWER ? NULL : reason);
		if (rc == KN_LOOKUP_ANSWER || rc == KN_LOOKUP_UPSTREAM)
			break;
	}
	/* glibc goes on after NODATA too, and reports it at the end. */
	out->rcode = rc;
	for (i = 0; i < out->ntries && rc == KN_LOOKUP_NXDOMAIN; i++)
		if (out->tries[i].rcode == KN_LOOKUP_NODATA)
			out->rcode = KN_LOOKUP_NODATA;
	kn_corefile_release(&cf);
	kn_coredns_release(&info);
}
