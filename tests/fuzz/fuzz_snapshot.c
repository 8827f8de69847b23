/* Fuzz target: the snapshot scanner and the object decoder, then every
 * derived view over what was loaded (DNS, ingress and route chains,
 * problems, NetworkPolicy isolation and answers). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "k8snet/model.h"
#include "k8snet/policy.h"
#include "k8snet/routes.h"
#include "k8snet/view.h"
#include "objdecode.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every chain of a route, in words. */
static void
touch_route(const struct kn_model *m, const struct kn_route *r)
{
	struct kn_routes_index *ix = kn_routes_index_new(m);
	struct kn_route_chain c;
	char buf[512];
	size_t i, p, b;

	for (i = 0; i < r->nrules || i == 0; i++)
		for (p = 0; p < r->nparents || p == 0; p++)
			for (b = 0; b == 0 || (i < r->nrules &&
					       b < r->rules[i].nbackends);
			     b++) {
				kn_route_chain(m, ix, r, i, p, b, &c);
				kn_route_chain_reason(&c, buf, sizeof(buf));
				kn_route_match_text(r, c.rule, buf,
						    sizeof(buf));
			}
	kn_routes_index_free(ix);
}

static bool
touch(struct kn_obj *o, void *arg)
{
	struct kn_model *m = arg;
	struct kn_dnsrecs r = {0};
	struct kn_strs s = {0};
	struct kn_ing_chain c;
	size_t i;

	if (o->kind == KN_SERVICE) {
		kn_model_service_dns(m, (struct kn_service *)o, &r);
		kn_model_service_problems(m, (struct kn_service *)o, &s);
	} else if (o->kind == KN_INGRESS) {
		for (i = 0; i < ((struct kn_ingress *)o)->npaths; i++)
			kn_model_ingress_chain(m, (struct kn_ingress *)o, i,
					       &c);
	} else if (KN_KIND_IS_ROUTE(o->kind)) {
		touch_route(m, (const struct kn_route *)o);
	}
	kn_dnsrecs_clear(&r);
	kn_strs_clear(&s);
	return true;
}

/* The Policies view (isolation, the DNS check) and a matrix over the
 * first pods, every port and one port. */
static void
policies(struct kn_model *m)
{
	struct kn_vctx cx = {.model = m};
	struct kn_np_port_ask any = {.any = true},
			      one = {.port = 80, .proto = KN_PROTO_TCP};
	struct kn_policy_index *ix;
	struct kn_view v;
	struct kn_obj **pods;
	bool cells[64];
	size_t n;

	kn_view_init(&v, &kn_view_policies);
	kn_view_build(&v, &cx);
	kn_view_release(&v);
	if ((ix = kn_policy_index_new(m)) == NULL)
		return;
	n = kn_model_list(m, KN_POD, NULL, &pods);
	if (n > 8)
		n = 8;
	kn_np_matrix(m, ix, (struct kn_pod *const *)pods, n, &any, cells);
	kn_np_matrix(m, ix, (struct kn_pod *const *)pods, n, &one, cells);
	free(pods);
	kn_policy_index_free(ix);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_model *m = kn_model_new();
	struct kn_snapshot_stats st;
	struct kn_dnsrecs r = {0};
	struct kn_ipaddr ip;
	char eb[KN_ERRBUF], buf[256];
	cJSON *o;
	size_t i;
	int k;

	memset(&st, 0, sizeof(st));
	kn_snapshot_load_mem(m, (const char *)data, size, "fuzz", &st, NULL,
			     NULL, eb);
	/* The same bytes as one object of every kind. */
	o = cJSON_ParseWithLength((const char *)data, size);
	if (o != NULL) {
		for (i = 0; i < KN_KIND__COUNT; i++)
			kn_objdecode_apply(m, KN_EV_MODIFIED,
					   kn_kind_name((enum kn_kind)i), o,
					   eb);
		cJSON_Delete(o);
	}
	for (k = 0; k < KN_KIND__COUNT; k++)
		kn_model_each(m, (enum kn_kind)k, touch, m);
	kn_model_dns_all(m, NULL, &r);
	kn_dnsrecs_clear(&r);
	kn_model_cni(m);
	if (size >= 4) {
		memset(&ip, 0, sizeof(ip));
		ip.family = 4;
		memcpy(ip.addr, data, 4);
		kn_model_name_ip(m, &ip, buf, sizeof(buf));
	}
	policies(m);
	kn_objdecode_list_begin(m, "Pod");
	kn_objdecode_list_end(m, "Pod");
	kn_model_free(m);
	return 0;
}
