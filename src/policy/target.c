/* The ends and the port of a reachability question, as a user writes
 * them: ns/pod, ns/service or an address; 8080/TCP or a port name. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/policy.h"

static bool
one_pod(const struct kn_model *m, const char *ns, const char *name,
	struct kn_np_target *out)
{
	struct kn_obj *o = kn_model_find(m, KN_POD, ns, name);

	if (o == NULL || (out->pods = malloc(sizeof(*out->pods))) == NULL)
		return false;
	out->kind = KN_NPT_POD;
	out->pods[0] = (struct kn_pod *)o;
	out->npods = 1;
	snprintf(out->name, sizeof(out->name), "%s/%s", ns, name);
	return true;
}

static bool
service(const struct kn_model *m, const char *ns, const char *name,
	struct kn_np_target *out)
{
	const struct kn_service *svc = (const struct kn_service *)kn_model_find(
		m, KN_SERVICE, ns, name);

	if (svc == NULL)
		return false;
	out->kind = KN_NPT_SERVICE;
	out->svc = svc;
	if (svc->has_selector && svc->nselector > 0)
		out->npods = kn_model_select_pods(m, ns, svc->selector,
						  svc->nselector, &out->pods);
	snprintf(out->name, sizeof(out->name), "%s/%s", ns, name);
	return true;
}

bool
kn_np_target_resolve(const struct kn_model *m, const char *text,
		     const char *default_ns, struct kn_np_target *out,
		     char *err, size_t n)
{
	char ns[256], name[256];
	const char *s = text, *slash;
	int only = 0; /* 1 pod, 2 service */
	struct kn_owner own;

	memset(out, 0, sizeof(*out));
	if (kn_ipaddr_parse(text, &out->ip)) {
		own = kn_model_ip_owner(m, &out->ip);
		if (own.kind == KN_OWNER_POD &&
		    one_pod(m, own.obj->ns, own.obj->name, out))
			return true;
		if (own.kind == KN_OWNER_SERVICE &&
		    service(m, own.obj->ns, own.obj->name, out))
			return true;
		out->kind = KN_NPT_ADDRESS;
		snprintf(out->name, sizeof(out->name), "%s", text);
		return true;
	}
	if (strncmp(s, "pod/", 4) == 0 || strncmp(s, "po/", 3) == 0) {
		only = 1;
		s = strchr(s, '/') + 1;
	} else if (strncmp(s, "svc/", 4) == 0 ||
		   strncmp(s, "service/", 8) == 0) {
		only = 2;
		s = strchr(s, '/') + 1;
	}
	slash = strchr(s, '/');
	if (slash != NULL) {
		snprintf(ns, sizeof(ns), "%.*s", (int)(slash - s), s);
		snprintf(name, sizeof(name), "%s", slash + 1);
	} else {
		snprintf(ns, sizeof(ns), "%s",
			 default_ns != NULL ? default_ns : "default");
		snprintf(name, sizeof(name), "%s", s);
	}
	if (ns[0] == '\0' || name[0] == '\0' || strchr(name, '/') != NULL) {
		snprintf(err, n,
			 "'%s': want ns/pod, ns/service or an IP address",
			 text);
		return false;
	}
	if (only != 2 && one_pod(m, ns, name, out))
		return true;
	if (only != 1 && service(m, ns, name, out))
		return true;
	snprintf(err, n, "'%s': no %s %s/%s", text,
		 only == 1   ? "pod"
		 : only == 2 ? "service"
			     : "pod or service",
		 ns, name);
	return false;
}

void
kn_np_target_release(struct kn_np_target *t)
{
	free(t->pods);
	t->pods = NULL;
	t->npods = 0;
}

struct kn_np_end
kn_np_target_end(const struct kn_np_target *t, size_t k,
		 const struct kn_ipaddr *other)
{
	struct kn_np_end e = {0};
	size_t i;

	if (t->kind == KN_NPT_ADDRESS || k >= t->npods) {
		e.ip = t->ip;
		return e;
	}
	e.pod = t->pods[k];
	if (e.pod->nips > 0)
		e.ip = e.pod->ips[0];
	for (i = 0; other != NULL && i < e.pod->nips; i++)
		if (e.pod->ips[i].family == other->family) {
			e.ip = e.pod->ips[i];
			break;
		}
	return e;
}

bool
kn_np_port_parse(const char *text, struct kn_np_port_ask *out, char *err,
		 size_t n)
{
	char *slash, *end, *p;
	unsigned long v;

	memset(out, 0, sizeof(*out));
	out->proto = KN_PROTO_TCP;
	if (text == NULL || text[0] == '\0') {
		out->any = true;
		return true;
	}
	if (strlen(text) >= sizeof(out->buf)) {
		snprintf(err, n, "--port '%.40s...': too long", text);
		return false;
	}
	snprintf(out->buf, sizeof(out->buf), "%s", text);
	if ((slash = strchr(out->buf, '/')) != NULL) {
		*slash = '\0';
		for (p = slash + 1; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		if (strcmp(slash + 1, "TCP") == 0)
			out->proto = KN_PROTO_TCP;
		else if (strcmp(slash + 1, "UDP") == 0)
			out->proto = KN_PROTO_UDP;
		else if (strcmp(slash + 1, "SCTP") == 0)
			out->proto = KN_PROTO_SCTP;
		else {
			snprintf(err, n,
				 "--port '%s': the protocol is TCP, UDP or "
				 "SCTP",
				 text);
			return false;
		}
	}
	if (isdigit((unsigned char)out->buf[0])) {
		v = strtoul(out->buf, &end, 10);
		if (*end != '\0' || v == 0 || v > 65535) {
			snprintf(err, n,
				 "--port '%s': want a port 1-65535 or a port "
				 "name",
				 text);
			return false;
		}
		out->port = (uint16_t)v;
		return true;
	}
	if (out->buf[0] == '\0') {
		snprintf(err, n, "--port '%s': want a port number or name",
			 text);
		return false;
	}
	out->name = out->buf;
	return true;
}

uint16_t
kn_np_port_on(const struct kn_np_target *t, const struct kn_pod *pod,
	      const struct kn_np_port_ask *ask)
{
	size_t i;

	if (t->kind == KN_NPT_SERVICE) {
		for (i = 0; i < t->svc->nports; i++) {
			const struct kn_svc_port *sp = &t->svc->ports[i];

			if (sp->proto != ask->proto)
				continue;
			if (ask->name != NULL
				    ? sp->name == NULL ||
					      strcmp(sp->name, ask->name) != 0
				    : sp->port != ask->port)
				continue;
			if (sp->target_name != NULL)
				return kn_np_named_port(pod, sp->target_name,
							ask->proto);
			return sp->target_port;
		}
	}
	if (ask->name != NULL)
		return kn_np_named_port(pod, ask->name, ask->proto);
	return ask->port;
}
