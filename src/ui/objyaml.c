/* Model objects as YAML for the `y` view. The model keeps compact
 * structs, not the API's JSON: what is shown is shaped as the API object
 * (apiVersion, kind, metadata, spec, status) with the fields the model
 * has; what it derives or merges is a comment. The model reads no
 * Secrets, so none can be shown; a kind not listed here is not shown. */
#include <stdio.h>
#include <string.h>

#include "k8snet/ipaddr.h"
#include "objyaml.h"

/* YAML's plain scalars that would read as another type or need
 * quoting. */
static bool
kn_yaml_plain(const char *s)
{
	static const char *const words[] = {
		"true", "false", "yes",	  "no",	 "on", "off", "null",
		"~",	"True",	 "False", "Yes", "No", "On",  "Off",
		"Null", "TRUE",	 "FALSE", "YES", "NO", "ON",  "OFF",
		"NULL", "y",	 "n",	  "Y",	 "N",
	};
	const char *p;
	bool digits = true;
	size_t i;

	if (s[0] == '\0' || strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) != NULL)
		return false;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(s, words[i]) == 0)
			return false;
	for (p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr("-_./:@+", c) != NULL))
			return false;
		if (c == ':' && (p[1] == '\0' || p[1] == ' '))
			return false;
		if (!((c >= '0' && c <= '9') || c == '.' || c == '_'))
			digits = false;
	}
	return !digits; /* a number would not read as a string */
}

/* s as a YAML scalar into buf: plain where that reads back as the same
 * string, else double-quoted with escapes. */
static const char *
kn_yq(const char *s, char *buf, size_t n)
{
	size_t o = 0;
	const unsigned char *p;

	if (s == NULL)
		return "null";
	if (kn_yaml_plain(s)) {
		snprintf(buf, n, "%s", s);
		return buf;
	}
	buf[o++] = '"';
	for (p = (const unsigned char *)s; *p != '\0' && o + 6 < n; p++) {
		if (*p == '"' || *p == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)*p;
		} else if (*p < 0x20 || *p == 0x7f) {
			o += (size_t)snprintf(buf + o, n - o, "\\x%02x", *p);
		} else {
			buf[o++] = (char)*p;
		}
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

#define YQ(s, b) kn_yq((s), (b), sizeof(b))

static void
kn_y_str(struct kn_lines *out, int indent, const char *key, const char *v)
{
	char b[512];

	if (v != NULL)
		kn_lines_add(out, "%*s%s: %s", indent, "", key, YQ(v, b));
}

static void
kn_y_ip(struct kn_lines *out, int indent, const char *key,
	const struct kn_ipaddr *ip)
{
	char a[KN_IPSTR];

	if (ip->family != 0)
		kn_lines_add(out, "%*s%s: %s", indent, "", key,
			     kn_ipaddr_format(ip, a, sizeof(a)));
}

static void
kn_y_labels(struct kn_lines *out, int indent, const char *key,
	    const struct kn_label *l, size_t n)
{
	char k[512], v[512];
	size_t i;

	if (n == 0)
		return;
	kn_lines_add(out, "%*s%s:", indent, "", key);
	for (i = 0; i < n; i++)
		kn_lines_add(out, "%*s%s: %s", indent + 2, "", YQ(l[i].key, k),
			     YQ(l[i].value, v));
}

static void
kn_y_head(struct kn_lines *out, const struct kn_obj *o)
{
	const struct kn_kind_info *ki = kn_kind_info((enum kn_kind)o->kind);
	char b[512];

	kn_lines_add(out, "apiVersion: %s%s%s", ki->group,
		     ki->group[0] != '\0' ? "/" : "", ki->version);
	kn_lines_add(out, "kind: %s", ki->kind);
	kn_lines_add(out, "metadata:");
	kn_lines_add(out, "  name: %s", YQ(o->name, b));
	if (o->ns[0] != '\0')
		kn_lines_add(out, "  namespace: %s", YQ(o->ns, b));
}

static void
kn_y_pod(const struct kn_pod *p, struct kn_lines *out)
{
	char b[512];
	size_t i;

	kn_y_labels(out, 2, "labels", p->labels, p->nlabels);
	if (p->owner_kind != NULL) {
		kn_lines_add(out, "  ownerReferences:");
		kn_lines_add(out, "  - kind: %s", YQ(p->owner_kind, b));
		kn_y_str(out, 4, "name", p->owner_name);
		kn_lines_add(out, "    controller: true");
	}
	if (p->terminating)
		kn_lines_add(out, "  # deletionTimestamp is set: terminating");
	kn_lines_add(out, "spec:");
	kn_y_str(out, 2, "nodeName", p->node);
	kn_lines_add(out, "  hostNetwork: %s",
		     p->host_network ? "true" : "false");
	if (p->nports > 0) {
		kn_lines_add(out, "  # the ports of every container, merged");
		kn_lines_add(out, "  containers:");
		kn_lines_add(out, "  - ports:");
		for (i = 0; i < p->nports; i++) {
			if (p->ports[i].name != NULL)
				kn_lines_add(out, "    - name: %s",
					     YQ(p->ports[i].name, b));
			kn_lines_add(out, "    %s containerPort: %u",
				     p->ports[i].name != NULL ? " " : "-",
				     p->ports[i].port);
			kn_lines_add(out, "      protocol: %s",
				     kn_proto_name(p->ports[i].proto));
		}
	}
	kn_lines_add(out, "status:");
	kn_lines_add(out, "  phase: %s", kn_phase_name(p->phase));
	kn_y_ip(out, 2, "hostIP", &p->host_ip);
	if (p->nips > 0) {
		kn_y_ip(out, 2, "podIP", &p->ips[0]);
		kn_lines_add(out, "  podIPs:");
		for (i = 0; i < p->nips; i++)
			kn_y_ip(out, 2, "- ip", &p->ips[i]);
	}
	kn_lines_add(out, "  conditions:");
	kn_lines_add(out, "  - type: Ready");
	kn_lines_add(out, "    status: \"%s\"", p->ready ? "True" : "False");
	kn_lines_add(out,
		     "  # containerStatuses, summed: %u of %u ready, %u "
		     "restarts; kubectl's STATUS: %s",
		     p->ready_containers, p->containers, p->restarts,
		     p->status != NULL ? p->status : kn_phase_name(p->phase));
}

static void
kn_y_service(const struct kn_service *s, struct kn_lines *out)
{
	char b[512], a[KN_IPSTR];
	size_t i;

	kn_lines_add(out, "spec:");
	kn_lines_add(out, "  type: %s", kn_svc_type_name(s->type));
	if (s->headless) {
		kn_lines_add(out, "  clusterIP: None");
	} else if (s->ncluster_ips > 0) {
		kn_y_ip(out, 2, "clusterIP", &s->cluster_ips[0]);
		kn_lines_add(out, "  clusterIPs:");
		for (i = 0; i < s->ncluster_ips; i++)
			kn_lines_add(out, "  - %s",
				     kn_ipaddr_format(&s->cluster_ips[i], a,
						      sizeof(a)));
	}
	kn_y_str(out, 2, "externalName", s->external_name);
	if (s->has_selector)
		kn_y_labels(out, 2, "selector", s->selector, s->nselector);
	if (s->publish_not_ready)
		kn_lines_add(out, "  publishNotReadyAddresses: true");
	if (s->nports > 0)
		kn_lines_add(out, "  ports:");
	for (i = 0; i < s->nports; i++) {
		const struct kn_svc_port *p = &s->ports[i];

		kn_lines_add(out, "  - port: %u", p->port);
		kn_y_str(out, 4, "name", p->name);
		kn_lines_add(out, "    protocol: %s", kn_proto_name(p->proto));
		if (p->target_name != NULL)
			kn_y_str(out, 4, "targetPort", p->target_name);
		else
			kn_lines_add(out, "    targetPort: %u", p->target_port);
		if (p->node_port != 0)
			kn_lines_add(out, "    nodePort: %u", p->node_port);
	}
	if (s->nexternal > 0) {
		kn_lines_add(out, "  # spec.externalIPs, then "
				  "status.loadBalancer.ingress, as kept:");
		for (i = 0; i < s->nexternal; i++)
			kn_lines_add(out, "  #   %s", YQ(s->external[i], b));
	}
}

/* "key:" at indent, then the path's service backend under it. */
static void
kn_y_backend(const struct kn_ing_path *ip, struct kn_lines *out, int indent,
	     const char *key)
{
	char b[512];

	kn_lines_add(out, "%*s%s:", indent, "", key);
	if (ip->service == NULL) {
		kn_lines_add(out, "%*s# a resource backend (not kept)",
			     indent + 2, "");
		return;
	}
	kn_lines_add(out, "%*sservice:", indent + 2, "");
	kn_lines_add(out, "%*sname: %s", indent + 4, "", YQ(ip->service, b));
	kn_lines_add(out, "%*sport:", indent + 4, "");
	if (ip->port_name != NULL)
		kn_lines_add(out, "%*sname: %s", indent + 6, "",
			     YQ(ip->port_name, b));
	else
		kn_lines_add(out, "%*snumber: %u", indent + 6, "",
			     ip->port_number);
}

static bool
kn_same_host(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void
kn_y_ingress(const struct kn_ingress *ing, struct kn_lines *out)
{
	struct kn_ipaddr ip;
	char b[512];
	size_t i, k;
	bool tls = false, rules = false;

	kn_lines_add(out, "spec:");
	kn_y_str(out, 2, "ingressClassName", ing->class_name);
	for (i = 0; i < ing->npaths; i++) {
		const struct kn_ing_path *p = &ing->paths[i];

		if (p->is_default)
			kn_y_backend(p, out, 2, "defaultBackend");
		tls = tls || (p->tls && p->host != NULL);
	}
	if (tls) {
		kn_lines_add(out, "  tls:");
		kn_lines_add(out, "  - hosts:");
		for (i = 0; i < ing->npaths; i++) {
			const struct kn_ing_path *p = &ing->paths[i];

			for (k = 0; k < i; k++)
				if (kn_same_host(ing->paths[k].host, p->host))
					break;
			if (k == i && p->tls && p->host != NULL)
				kn_lines_add(out, "    - %s", YQ(p->host, b));
		}
		kn_lines_add(out, "    # secretName is not kept");
	}
	for (i = 0; i < ing->npaths; i++) {
		const struct kn_ing_path *p = &ing->paths[i];

		if (p->is_default)
			continue;
		if (!rules)
			kn_lines_add(out, "  rules:");
		rules = true;
		if (i == 0 || ing->paths[i - 1].is_default ||
		    !kn_same_host(ing->paths[i - 1].host, p->host)) {
			if (p->host != NULL)
				kn_lines_add(out, "  - host: %s",
					     YQ(p->host, b));
			else
				kn_lines_add(out, "  - # any host");
			kn_lines_add(out, "    http:");
			kn_lines_add(out, "      paths:");
		}
		kn_lines_add(out, "      - path: %s",
			     YQ(p->path != NULL ? p->path : "/", b));
		kn_lines_add(out, "        pathType: %s",
			     kn_path_type_name(p->path_type));
		kn_y_backend(p, out, 8, "backend");
	}
	if (ing->naddresses == 0)
		return;
	kn_lines_add(out, "status:");
	kn_lines_add(out, "  loadBalancer:");
	kn_lines_add(out, "    ingress:");
	for (i = 0; i < ing->naddresses; i++)
		kn_lines_add(out, "    - %s: %s",
			     kn_ipaddr_parse(ing->addresses[i], &ip)
				     ? "ip"
				     : "hostname",
			     YQ(ing->addresses[i], b));
}

static void
kn_y_node(const struct kn_node *nd, struct kn_lines *out)
{
	char b[512], a[KN_IPSTR];
	size_t i;
	bool external = false;

	if (nd->nroles > 0) {
		kn_lines_add(out, "  labels:  # the roles only");
		for (i = 0; i < nd->nroles; i++)
			kn_lines_add(out,
				     "    node-role.kubernetes.io/%s: \"\"",
				     nd->roles[i]);
	}
	kn_lines_add(out, "spec:");
	kn_y_str(out, 2, "podCIDR", nd->pod_cidr);
	if (nd->unschedulable)
		kn_lines_add(out, "  unschedulable: true");
	kn_lines_add(out, "status:");
	if (nd->naddrs > 0)
		kn_lines_add(out, "  addresses:");
	/* Kept InternalIP ones first, then ExternalIP ones, the first of
	 * which is external_ip. */
	for (i = 0; i < nd->naddrs; i++) {
		external = external ||
			   (nd->external_ip.family != 0 &&
			    kn_ipaddr_eq(&nd->addrs[i], &nd->external_ip));
		kn_lines_add(out, "  - type: %s",
			     external ? "ExternalIP" : "InternalIP");
		kn_lines_add(out, "    address: %s",
			     kn_ipaddr_format(&nd->addrs[i], a, sizeof(a)));
	}
	kn_lines_add(out, "  conditions:");
	kn_lines_add(out, "  - type: Ready");
	kn_lines_add(out, "    status: \"%s\"", nd->ready ? "True" : "False");
	if (nd->kubelet != NULL) {
		kn_lines_add(out, "  nodeInfo:");
		kn_lines_add(out, "    kubeletVersion: %s", YQ(nd->kubelet, b));
	}
}

/* A parentRef or backendRef: group and kind only where not the
 * default, as kubectl shows what was written. */
static void
kn_y_ref(struct kn_lines *out, int indent, const struct kn_gw_ref *r,
	 const char *dkind)
{
	char b[512];

	kn_lines_add(out, "%*s- name: %s", indent, "", YQ(r->name, b));
	if (r->group != NULL && r->group[0] != '\0' &&
	    strcmp(r->group, "gateway.networking.k8s.io") != 0)
		kn_y_str(out, indent + 2, "group", r->group);
	if (r->kind != NULL && strcmp(r->kind, dkind) != 0)
		kn_y_str(out, indent + 2, "kind", r->kind);
	kn_y_str(out, indent + 2, "namespace", r->ns);
}

static void
kn_y_parent(struct kn_lines *out, int indent, const struct kn_gw_parent *p)
{
	kn_y_ref(out, indent, &p->ref, "Gateway");
	kn_y_str(out, indent + 2, "sectionName", p->section);
	if (p->port != 0)
		kn_lines_add(out, "%*sport: %u", indent + 2, "", p->port);
}

static void
kn_y_kvs(struct kn_lines *out, const char *key, const struct kn_gw_kv *kv,
	 size_t n)
{
	char b[512];
	size_t i;

	if (n == 0)
		return;
	kn_lines_add(out, "      %s:", key);
	for (i = 0; i < n; i++) {
		kn_lines_add(out, "      - name: %s", YQ(kv[i].name, b));
		kn_lines_add(out, "        type: %s",
			     kn_gw_mtype_name(kv[i].type));
		kn_y_str(out, 8, "value", kv[i].value);
	}
}

static void
kn_y_match(struct kn_lines *out, const struct kn_gw_match *m)
{
	char b[512];

	kn_lines_add(out, "    - # match");
	if (m->path != NULL) {
		kn_lines_add(out, "      path:");
		kn_lines_add(out, "        type: %s",
			     kn_gw_mtype_name(m->path_type));
		kn_lines_add(out, "        value: %s", YQ(m->path, b));
	}
	kn_y_str(out, 6, "method", m->method);
	if (m->service != NULL || m->gmethod != NULL) {
		kn_lines_add(out, "      method:");
		kn_lines_add(out, "        type: %s",
			     kn_gw_mtype_name(m->gtype));
		kn_y_str(out, 8, "service", m->service);
		kn_y_str(out, 8, "method", m->gmethod);
	}
	kn_y_kvs(out, "headers", m->headers, m->nheaders);
	kn_y_kvs(out, "queryParams", m->query, m->nquery);
}

static void
kn_y_rule(struct kn_lines *out, const struct kn_gw_rule *r)
{
	char b[512];
	size_t i;

	kn_lines_add(out, "  - # rule");
	kn_y_str(out, 4, "name", r->name);
	if (r->nmatches > 0)
		kn_lines_add(out, "    matches:");
	for (i = 0; i < r->nmatches; i++)
		kn_y_match(out, &r->matches[i]);
	if (r->nfilters > 0)
		kn_lines_add(out, "    filters:");
	for (i = 0; i < r->nfilters; i++) {
		kn_lines_add(out, "    - type: %s",
			     YQ(r->filters[i].type_name, b));
		if (r->filters[i].text != NULL)
			kn_lines_add(out, "      # %s", r->filters[i].text);
	}
	if (r->nbackends > 0)
		kn_lines_add(out, "    backendRefs:");
	for (i = 0; i < r->nbackends; i++) {
		const struct kn_gw_backend *be = &r->backends[i];

		kn_y_ref(out, 4, &be->ref, "Service");
		if (be->port != 0)
			kn_lines_add(out, "      port: %u", be->port);
		kn_lines_add(out, "      weight: %u", (unsigned)be->weight);
	}
}

/* HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute. */
static void
kn_y_route(const struct kn_route *rt, struct kn_lines *out)
{
	char b[512];
	size_t i, k;

	kn_lines_add(out, "spec:");
	if (rt->nparents > 0)
		kn_lines_add(out, "  parentRefs:");
	for (i = 0; i < rt->nparents; i++)
		kn_y_parent(out, 2, &rt->parents[i]);
	if (rt->nhostnames > 0)
		kn_lines_add(out, "  hostnames:");
	for (i = 0; i < rt->nhostnames; i++)
		kn_lines_add(out, "  - %s", YQ(rt->hostnames[i], b));
	if (rt->nrules > 0)
		kn_lines_add(out, "  rules:");
	for (i = 0; i < rt->nrules; i++)
		kn_y_rule(out, &rt->rules[i]);
	if (rt->nstatus == 0)
		return;
	kn_lines_add(out, "status:");
	kn_lines_add(out, "  parents:");
	for (i = 0; i < rt->nstatus; i++) {
		const struct kn_gw_rstatus *st = &rt->status[i];

		kn_lines_add(
			out, "  - controllerName: %s",
			YQ(st->controller != NULL ? st->controller : "", b));
		kn_lines_add(out, "    parentRef:");
		kn_y_parent(out, 4, &st->parent);
		if (st->nconds > 0)
			kn_lines_add(out, "    conditions:");
		for (k = 0; k < st->nconds; k++) {
			const struct kn_cond *c = &st->conds[k];

			kn_lines_add(out, "    - type: %s", YQ(c->type, b));
			kn_lines_add(out, "      status: \"%s\"",
				     kn_cond_status_name(c->status));
			kn_y_str(out, 6, "reason", c->reason);
			kn_y_str(out, 6, "message", c->message);
		}
	}
}

void
kn_objyaml(const struct kn_obj *o, struct kn_lines *out)
{
	const char *kind = kn_kind_name((enum kn_kind)o->kind);

	kn_lines_add(out,
		     "%s %s%s%s as YAML: the fields k8snet-top keeps of it",
		     kind, o->ns, o->ns[0] != '\0' ? "/" : "", o->name);
	kn_lines_add_role(out, KN_ROLE_DIMMED,
			  "  not the API object: kubectl get %s -o yaml "
			  "shows that; # lines say what is derived",
			  kn_kind_info((enum kn_kind)o->kind)->plural);
	kn_lines_add(out, " ");
	switch (o->kind) {
	case KN_POD:
		kn_y_head(out, o);
		kn_y_pod((const struct kn_pod *)o, out);
		break;
	case KN_SERVICE:
		kn_y_head(out, o);
		kn_y_service((const struct kn_service *)o, out);
		break;
	case KN_INGRESS:
		kn_y_head(out, o);
		kn_y_ingress((const struct kn_ingress *)o, out);
		break;
	case KN_NODE:
		kn_y_head(out, o);
		kn_y_node((const struct kn_node *)o, out);
		break;
	case KN_HTTPROUTE:
	case KN_GRPCROUTE:
	case KN_TLSROUTE:
	case KN_TCPROUTE:
	case KN_UDPROUTE:
		kn_y_head(out, o);
		kn_y_route((const struct kn_route *)o, out);
		break;
	default:
		kn_lines_add(out, "  (no YAML view of a %s)", kind);
		break;
	}
}
