/* The node agent's facts about its node: TCP listeners (and their
 * processes where /proc lets us see them), the CNI configuration the
 * kubelet would load and the kubelet's DNS settings, read with the
 * probe module's readers under --host-root (/host in the DaemonSet). */
#include <stdlib.h>
#include <string.h>

#include "k8snet/agent.h"
#include "k8snet/cniconf.h"
#include "k8snet/kubelet.h"
#include "k8snet/listeners.h"

struct kn_agent_facts_store {
	struct kn_agent_facts f;
	struct kn_listeners ls;
	struct kn_cniconf cni;
	struct kn_kubelet kubelet;
};

static int
cmp_listener(const void *x, const void *y)
{
	const struct kn_listener *a = x, *b = y;
	int c;

	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->addr.family != b->addr.family)
		return a->addr.family < b->addr.family ? -1 : 1;
	c = memcmp(a->addr.addr, b->addr.addr, sizeof(a->addr.addr));
	return c;
}

/* Each (address, port) once, in a stable order: the node line changes
 * only when the listeners do. */
static void
listeners_tidy(struct kn_listeners *ls)
{
	size_t i, n = 0;

	if (ls->n == 0)
		return;
	qsort(ls->v, ls->n, sizeof(ls->v[0]), cmp_listener);
	for (i = 0; i < ls->n; i++)
		if (n == 0 || cmp_listener(&ls->v[n - 1], &ls->v[i]) != 0)
			ls->v[n++] = ls->v[i];
	ls->n = n;
}

struct kn_agent_facts_store *
kn_agent_facts_read(const char *host_root)
{
	struct kn_agent_facts_store *s = calloc(1, sizeof(*s));
	char errbuf[KN_ERRBUF] = "";
	enum kn_err e;

	if (s == NULL)
		return NULL;
	kn_listeners_init(&s->ls);
	if (kn_listeners_read(host_root, &s->ls, s->f.listeners_err) == KN_OK) {
		/* owners are a bonus: a process we may not inspect is no
		 * error */
		/* UDP too (DNS, a node-local cache, VXLAN): not an error
		 * when unreadable */
		kn_listeners_read_udp(host_root, &s->ls, errbuf);
		kn_listeners_owners(host_root, &s->ls, errbuf);
		listeners_tidy(&s->ls);
		s->f.listeners = &s->ls;
	}
	e = kn_cniconf_read(host_root, NULL, &s->cni, s->f.cni_err);
	if (e == KN_OK) {
		kn_flannel_env_read(host_root, &s->cni, errbuf);
		s->f.cni = &s->cni;
	}
	kn_kubelet_init(&s->kubelet);
	if (kn_kubelet_read(host_root, &s->kubelet, errbuf) == KN_OK)
		s->f.kubelet = &s->kubelet;
	return s;
}

const struct kn_agent_facts *
kn_agent_facts_get(const struct kn_agent_facts_store *s)
{
	return &s->f;
}

void
kn_agent_facts_free(struct kn_agent_facts_store *s)
{
	if (s == NULL)
		return;
	kn_listeners_release(&s->ls);
	free(s);
}
