/* Unit tests of Gateway API decoding (gateway.networking.k8s.io):
 * GatewayClass, Gateway listeners and their status, HTTPRoute and
 * GRPCRoute rules, matches, filters and backendRefs with their defaults,
 * route status, TCPRoute, ReferenceGrant, versions, and the errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "k8snet/model.h"
#include "objdecode.h"

static char eb[KN_ERRBUF];

static enum kn_err
apply(struct kn_model *m, const char *json)
{
	cJSON *o = cJSON_Parse(json);
	enum kn_err e;

	assert_non_null(o);
	e = kn_objdecode_apply(m, KN_EV_ADDED, NULL, o, eb);
	cJSON_Delete(o);
	return e;
}

static const char gateway_json[] =
	"{\"apiVersion\":\"gateway.networking.k8s.io/v1\",\"kind\":"
	"\"Gateway\",\"metadata\":{\"name\":\"eg\",\"namespace\":\"infra\"},"
	"\"spec\":{\"gatewayClassName\":\"eg\",\"listeners\":["
	"{\"name\":\"http\",\"port\":80,\"protocol\":\"HTTP\","
	"\"allowedRoutes\":{\"namespaces\":{\"from\":\"All\"}}},"
	"{\"name\":\"https\",\"port\":443,\"protocol\":\"HTTPS\","
	"\"hostname\":\"*.example.com\",\"tls\":{\"certificateRefs\":["
	"{\"name\":\"wild\"},{\"kind\":\"Secret\",\"name\":\"other\","
	"\"namespace\":\"certs\"}]},\"allowedRoutes\":{\"namespaces\":{"
	"\"from\":\"Selector\",\"selector\":{\"matchLabels\":{\"gw\":\"yes\"},"
	"\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"In\","
	"\"values\":[\"prod\"]}]}},\"kinds\":[{\"kind\":\"HTTPRoute\"}]}},"
	"{\"name\":\"tls\",\"port\":8443,\"protocol\":\"TLS\",\"tls\":{"
	"\"mode\":\"Passthrough\"}}],"
	"\"addresses\":[{\"type\":\"IPAddress\",\"value\":\"10.0.0.9\"}]},"
	"\"status\":{\"addresses\":[{\"type\":\"IPAddress\","
	"\"value\":\"172.18.0.200\"}],\"conditions\":[{\"type\":\"Accepted\","
	"\"status\":\"True\",\"reason\":\"Accepted\"},{\"type\":\"Programmed\","
	"\"status\":\"False\",\"reason\":\"AddressNotAssigned\","
	"\"message\":\"no address yet\"}],\"listeners\":[{\"name\":\"https\","
	"\"attachedRoutes\":3,\"conditions\":[{\"type\":\"ResolvedRefs\","
	"\"status\":\"False\",\"reason\":\"InvalidCertificateRef\"}]}]}}";

static void
test_gateway(void **state)
{
	struct kn_model *m = kn_model_new();
	const struct kn_gateway *gw;
	const struct kn_gw_listener *l;
	const struct kn_cond *c;

	(void)state;
	assert_int_equal(apply(m, gateway_json), KN_OK);
	gw = (const struct kn_gateway *)kn_model_find(m, KN_GATEWAY, "infra",
						      "eg");
	assert_non_null(gw);
	assert_string_equal(gw->class_name, "eg");
	assert_int_equal(gw->nlisteners, 3);
	l = &gw->listeners[0];
	assert_string_equal(l->name, "http");
	assert_int_equal(l->port, 80);
	assert_string_equal(l->protocol, "HTTP");
	assert_null(l->hostname);
	assert_int_equal(l->from, KN_GW_FROM_ALL);
	assert_int_equal(l->tls_mode, KN_GW_TLS_NONE);
	assert_int_equal(l->nconds, 0);
	l = &gw->listeners[1];
	assert_string_equal(l->hostname, "*.example.com");
	assert_int_equal(l->tls_mode, KN_GW_TLS_TERMINATE);
	assert_int_equal(l->ncerts, 2);
	assert_string_equal(l->certs[0].kind, "Secret");
	assert_string_equal(l->certs[0].group, "");
	assert_string_equal(l->certs[0].ns, "infra");
	assert_string_equal(l->certs[0].name, "wild");
	assert_string_equal(l->certs[1].ns, "certs");
	assert_int_equal(l->from, KN_GW_FROM_SELECTOR);
	assert_int_equal(l->ns_sel.nlabels, 1);
	assert_string_equal(l->ns_sel.labels[0].key, "gw");
	assert_int_equal(l->ns_sel.nexprs, 1);
	assert_int_equal(l->ns_sel.exprs[0].op, KN_SEL_IN);
	assert_int_equal(l->nkinds, 1);
	assert_string_equal(l->kinds[0].group, KN_GW_GROUP);
	assert_string_equal(l->kinds[0].kind, "HTTPRoute");
	assert_int_equal(l->attached, 3);
	c = kn_cond_find(l->conds, l->nconds, "ResolvedRefs");
	assert_non_null(c);
	assert_int_equal(c->status, KN_COND_FALSE);
	assert_string_equal(c->reason, "InvalidCertificateRef");
	assert_int_equal(gw->listeners[2].tls_mode, KN_GW_TLS_PASSTHROUGH);
	assert_int_equal(gw->listeners[2].from, KN_GW_FROM_SAME);
	/* status addresses win over spec addresses */
	assert_int_equal(gw->naddresses, 1);
	assert_string_equal(gw->addresses[0], "172.18.0.200");
	c = kn_cond_find(gw->conds, gw->nconds, "Programmed");
	assert_non_null(c);
	assert_int_equal(c->status, KN_COND_FALSE);
	assert_string_equal(c->message, "no address yet");
	assert_string_equal(kn_cond_status_name(c->status), "False");
	assert_null(kn_cond_find(gw->conds, gw->nconds, "Ready"));
	kn_model_free(m);
}

static const char route_json[] =
	"{\"apiVersion\":\"gateway.networking.k8s.io/v1beta1\",\"kind\":"
	"\"HTTPRoute\",\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"},"
	"\"spec\":{\"parentRefs\":[{\"name\":\"eg\",\"namespace\":\"infra\","
	"\"sectionName\":\"https\"},{\"name\":\"eg\",\"namespace\":\"infra\","
	"\"port\":80},{\"group\":\"\",\"kind\":\"Service\",\"name\":\"mesh\"}],"
	"\"hostnames\":[\"shop.example.com\",\"*.shop.example.com\"],"
	"\"rules\":[{\"matches\":[{\"path\":{\"type\":\"Exact\","
	"\"value\":\"/cart\"},\"method\":\"POST\",\"headers\":[{\"name\":"
	"\"x-env\",\"value\":\"canary\"},{\"type\":\"RegularExpression\","
	"\"name\":\"x-user\",\"value\":\"^a.*\"}],\"queryParams\":[{\"name\":"
	"\"v\",\"value\":\"2\"}]},{\"headers\":[{\"name\":\"a\",\"value\":"
	"\"b\"}]}],\"filters\":[{\"type\":\"RequestHeaderModifier\","
	"\"requestHeaderModifier\":{\"set\":[{\"name\":\"x-a\",\"value\":\"1\"}"
	"],"
	"\"add\":[{\"name\":\"x-b\",\"value\":\"2\"}],\"remove\":[\"x-c\"]}},"
	"{\"type\":\"RequestMirror\",\"requestMirror\":{\"backendRef\":{"
	"\"name\":\"shadow\",\"port\":8080}}},{\"type\":\"URLRewrite\","
	"\"urlRewrite\":{\"hostname\":\"internal\",\"path\":{\"type\":"
	"\"ReplacePrefixMatch\",\"replacePrefixMatch\":\"/v2\"}}},"
	"{\"type\":\"ResponseHeaderModifier\",\"responseHeaderModifier\":{"
	"\"remove\":[\"server\"]}},{\"type\":\"CORS\"}],"
	"\"backendRefs\":[{\"name\":\"cart\",\"port\":80,\"weight\":90},"
	"{\"name\":\"cart-canary\",\"port\":80,\"weight\":10},{\"name\":"
	"\"cart\",\"namespace\":\"other\",\"port\":80},{\"name\":\"zero\","
	"\"port\":80,\"weight\":0}]},{\"filters\":[{\"type\":"
	"\"RequestRedirect\",\"requestRedirect\":{\"scheme\":\"https\","
	"\"statusCode\":301}}]},{\"matches\":[{\"path\":{\"type\":"
	"\"PathPrefix\"}}],\"backendRefs\":[{\"group\":\"example.io\","
	"\"kind\":\"Bucket\",\"name\":\"b\"}]}]},"
	"\"status\":{\"parents\":[{\"parentRef\":{\"name\":\"eg\","
	"\"namespace\":\"infra\",\"sectionName\":\"https\"},"
	"\"controllerName\":\"gateway.envoyproxy.io/gatewayclass-controller\","
	"\"conditions\":[{\"type\":\"Accepted\",\"status\":\"True\","
	"\"reason\":\"Accepted\"},{\"type\":\"ResolvedRefs\",\"status\":"
	"\"False\",\"reason\":\"RefNotPermitted\",\"message\":\"no grant\"}]}"
	"]}}";

static void
test_httproute(void **state)
{
	struct kn_model *m = kn_model_new();
	const struct kn_route *r;
	const struct kn_gw_rule *ru;
	const struct kn_gw_match *mt;
	const struct kn_gw_backend *b;
	const struct kn_gw_rstatus *st;

	(void)state;
	assert_int_equal(apply(m, route_json), KN_OK);
	r = (const struct kn_route *)kn_model_find(m, KN_HTTPROUTE, "shop",
						   "web");
	assert_non_null(r);
	assert_int_equal(r->o.kind, KN_HTTPROUTE);
	assert_int_equal(r->nparents, 3);
	assert_string_equal(r->parents[0].ref.group, KN_GW_GROUP);
	assert_string_equal(r->parents[0].ref.kind, "Gateway");
	assert_string_equal(r->parents[0].ref.ns, "infra");
	assert_string_equal(r->parents[0].section, "https");
	assert_int_equal(r->parents[0].port, 0);
	assert_null(r->parents[1].section);
	assert_int_equal(r->parents[1].port, 80);
	assert_string_equal(r->parents[2].ref.kind, "Service");
	assert_string_equal(r->parents[2].ref.group, "");
	assert_string_equal(r->parents[2].ref.ns, "shop");
	assert_int_equal(r->nhostnames, 2);
	assert_string_equal(r->hostnames[1], "*.shop.example.com");
	assert_int_equal(r->nrules, 3);
	ru = &r->rules[0];
	assert_int_equal(ru->nmatches, 2);
	mt = &ru->matches[0];
	assert_int_equal(mt->path_type, KN_GW_EXACT);
	assert_string_equal(mt->path, "/cart");
	assert_string_equal(mt->method, "POST");
	assert_int_equal(mt->nheaders, 2);
	assert_int_equal(mt->headers[0].type, KN_GW_EXACT);
	assert_int_equal(mt->headers[1].type, KN_GW_REGEX);
	assert_string_equal(mt->headers[1].value, "^a.*");
	assert_int_equal(mt->nquery, 1);
	assert_string_equal(mt->query[0].name, "v");
	assert_null(ru->matches[1].path);
	assert_int_equal(ru->nfilters, 5);
	assert_int_equal(ru->filters[0].type, KN_GWF_REQ_HEADER);
	assert_string_equal(ru->filters[0].text,
			    "set x-a: 1, add x-b: 2, remove x-c");
	assert_int_equal(ru->filters[1].type, KN_GWF_MIRROR);
	assert_string_equal(ru->filters[1].mirror.ref.name, "shadow");
	assert_string_equal(ru->filters[1].mirror.ref.ns, "shop");
	assert_int_equal(ru->filters[1].mirror.port, 8080);
	assert_string_equal(ru->filters[1].text, "shop/shadow");
	assert_int_equal(ru->filters[2].type, KN_GWF_REWRITE);
	assert_string_equal(ru->filters[2].text, "host internal prefix /v2");
	assert_string_equal(ru->filters[3].text, "remove server");
	assert_int_equal(ru->filters[4].type, KN_GWF_OTHER);
	assert_string_equal(ru->filters[4].type_name, "CORS");
	assert_null(ru->filters[4].text);
	assert_int_equal(ru->nbackends, 4);
	b = &ru->backends[0];
	assert_string_equal(b->ref.kind, "Service");
	assert_string_equal(b->ref.group, "");
	assert_string_equal(b->ref.ns, "shop");
	assert_int_equal(b->weight, 90);
	assert_int_equal(b->port, 80);
	assert_int_equal(ru->backends[2].weight, 1); /* the default */
	assert_string_equal(ru->backends[2].ref.ns, "other");
	assert_int_equal(ru->backends[3].weight, 0);
	ru = &r->rules[1];
	assert_int_equal(ru->nbackends, 0);
	assert_int_equal(ru->filters[0].type, KN_GWF_REDIRECT);
	assert_string_equal(ru->filters[0].text, "https://(same host) 301");
	ru = &r->rules[2];
	assert_string_equal(ru->matches[0].path, "/");
	assert_int_equal(ru->matches[0].path_type, KN_GW_PREFIX);
	assert_string_equal(ru->backends[0].ref.group, "example.io");
	assert_string_equal(ru->backends[0].ref.kind, "Bucket");
	assert_int_equal(ru->backends[0].port, 0);
	assert_int_equal(r->nstatus, 1);
	st = &r->status[0];
	assert_string_equal(st->parent.section, "https");
	assert_string_equal(st->controller,
			    "gateway.envoyproxy.io/gatewayclass-controller");
	assert_int_equal(
		kn_cond_find(st->conds, st->nconds, "Accepted")->status,
		KN_COND_TRUE);
	assert_string_equal(
		kn_cond_find(st->conds, st->nconds, "ResolvedRefs")->message,
		"no grant");
	kn_model_free(m);
}

static void
test_grpc_tcp_class_grant(void **state)
{
	struct kn_model *m = kn_model_new();
	const struct kn_route *r;
	const struct kn_refgrant *g;
	const struct kn_gwclass *c;

	(void)state;
	assert_int_equal(
		apply(m, "{\"apiVersion\":\"gateway.networking.k8s.io/v1\","
			 "\"kind\":\"GRPCRoute\",\"metadata\":{\"name\":\"g\","
			 "\"namespace\":\"shop\"},\"spec\":{\"parentRefs\":[{"
			 "\"name\":\"eg\"}],\"rules\":[{\"matches\":[{"
			 "\"method\":{\"service\":\"shop.Cart\",\"method\":"
			 "\"Add\"},\"headers\":[{\"name\":\"x\",\"value\":"
			 "\"y\"}]}],\"backendRefs\":[{\"name\":\"cart\","
			 "\"port\":9090}]}]}}"),
		KN_OK);
	r = (const struct kn_route *)kn_model_find(m, KN_GRPCROUTE, "shop",
						   "g");
	assert_non_null(r);
	assert_string_equal(r->parents[0].ref.ns, "shop");
	assert_string_equal(r->rules[0].matches[0].service, "shop.Cart");
	assert_string_equal(r->rules[0].matches[0].gmethod, "Add");
	assert_int_equal(r->rules[0].matches[0].nheaders, 1);
	assert_null(r->rules[0].matches[0].path);
	assert_int_equal(
		apply(m, "{\"apiVersion\":\"gateway.networking.k8s.io/"
			 "v1alpha2\",\"kind\":\"TCPRoute\",\"metadata\":{"
			 "\"name\":\"db\",\"namespace\":\"shop\"},\"spec\":{"
			 "\"parentRefs\":[{\"name\":\"eg\",\"sectionName\":"
			 "\"pg\"}],\"rules\":[{\"backendRefs\":[{\"name\":"
			 "\"postgres\",\"port\":5432}]}]}}"),
		KN_OK);
	r = (const struct kn_route *)kn_model_find(m, KN_TCPROUTE, "shop",
						   "db");
	assert_non_null(r);
	assert_int_equal(r->nhostnames, 0);
	assert_int_equal(r->rules[0].backends[0].port, 5432);
	assert_int_equal(
		apply(m, "{\"apiVersion\":\"gateway.networking.k8s.io/"
			 "v1beta1\",\"kind\":\"ReferenceGrant\",\"metadata\":{"
			 "\"name\":\"rg\",\"namespace\":\"shop\"},\"spec\":{"
			 "\"from\":[{\"group\":\"gateway.networking.k8s.io\","
			 "\"kind\":\"HTTPRoute\",\"namespace\":\"web\"}],"
			 "\"to\":[{\"group\":\"\",\"kind\":\"Service\"},"
			 "{\"group\":\"\",\"kind\":\"Service\",\"name\":"
			 "\"cart\"}]}}"),
		KN_OK);
	g = (const struct kn_refgrant *)kn_model_find(m, KN_REFGRANT, "shop",
						      "rg");
	assert_non_null(g);
	assert_int_equal(g->nfrom, 1);
	assert_string_equal(g->from[0].kind, "HTTPRoute");
	assert_string_equal(g->from[0].ns, "web");
	assert_int_equal(g->nto, 2);
	assert_null(g->to[0].name);
	assert_string_equal(g->to[1].name, "cart");
	assert_string_equal(g->to[1].group, "");
	assert_int_equal(
		apply(m, "{\"apiVersion\":\"gateway.networking.k8s.io/v1\","
			 "\"kind\":\"GatewayClass\",\"metadata\":{\"name\":"
			 "\"eg\"},\"spec\":{\"controllerName\":\"gateway."
			 "envoyproxy.io/gatewayclass-controller\"},\"status\":"
			 "{\"conditions\":[{\"type\":\"Accepted\",\"status\":"
			 "\"False\",\"reason\":\"InvalidParameters\"}]}}"),
		KN_OK);
	c = (const struct kn_gwclass *)kn_model_find(m, KN_GWCLASS, "", "eg");
	assert_non_null(c);
	assert_string_equal(c->controller,
			    "gateway.envoyproxy.io/gatewayclass-controller");
	assert_int_equal(kn_cond_find(c->conds, c->nconds, "Accepted")->status,
			 KN_COND_FALSE);
	kn_model_free(m);
}

/* Istio's Gateway and unknown versions are not the Gateway API's. */
static void
test_versions(void **state)
{
	struct kn_model *m = kn_model_new();

	(void)state;
	assert_int_equal(
		apply(m, "{\"apiVersion\":\"networking.istio.io/v1beta1\","
			 "\"kind\":\"Gateway\",\"metadata\":{\"name\":\"x\"},"
			 "\"spec\":{\"servers\":[]}}"),
		KN_OK);
	assert_int_equal(
		apply(m,
		      "{\"apiVersion\":\"gateway.networking.k8s.io/v7\","
		      "\"kind\":\"HTTPRoute\",\"metadata\":{\"name\":\"x\"}}"),
		KN_OK);
	assert_int_equal(kn_model_count(m, KN_GATEWAY), 0);
	assert_int_equal(kn_model_count(m, KN_HTTPROUTE), 0);
	assert_int_equal(kn_model_unknown(m), 2);
	kn_model_free(m);
}

static void
expect_bad(const char *kind, const char *spec, const char *msg)
{
	struct kn_model *m = kn_model_new();
	char json[2048];

	snprintf(json, sizeof(json),
		 "{\"kind\":\"%s\",\"metadata\":{\"name\":\"x\","
		 "\"namespace\":\"ns\"},\"spec\":%s}",
		 kind, spec);
	assert_int_equal(apply(m, json), KN_ERR_PARSE);
	if (strstr(eb, msg) == NULL)
		fail_msg("%s: got \"%s\", want \"%s\"", kind, eb, msg);
	assert_int_equal(
		kn_model_count(m, (enum kn_kind)kn_kind_from_name(kind)), 0);
	kn_model_free(m);
}

static void
test_bad(void **state)
{
	(void)state;
	expect_bad("Gateway",
		   "{\"listeners\":[{\"name\":\"a\","
		   "\"port\":80}]}",
		   "spec.listeners[0].protocol: expected a protocol");
	expect_bad("Gateway",
		   "{\"listeners\":[{\"name\":\"a\",\"port\":0,"
		   "\"protocol\":\"HTTP\"}]}",
		   "spec.listeners[0].port: expected an integer in range");
	expect_bad("Gateway",
		   "{\"listeners\":[{\"name\":\"a\",\"port\":80,"
		   "\"protocol\":\"HTTP\",\"allowedRoutes\":{\"namespaces\":"
		   "{\"from\":\"Some\"}}}]}",
		   "spec.listeners[0].allowedRoutes.namespaces.from: expected "
		   "Same, All or Selector");
	expect_bad("Gateway",
		   "{\"listeners\":[{\"name\":\"a\",\"port\":443,"
		   "\"protocol\":\"HTTPS\",\"tls\":{\"mode\":\"Open\"}}]}",
		   "spec.listeners[0].tls.mode: expected Terminate or "
		   "Passthrough");
	expect_bad("HTTPRoute", "{\"parentRefs\":[{\"namespace\":\"a\"}]}",
		   "spec.parentRefs[0].name: expected a name");
	expect_bad("HTTPRoute", "{\"hostnames\":[7]}",
		   "spec.hostnames[0]: expected a hostname");
	expect_bad("HTTPRoute",
		   "{\"rules\":[{\"matches\":[{\"path\":{\"type\":"
		   "\"Glob\"}}]}]}",
		   "spec.rules[0].matches[0].path.type: expected Exact, "
		   "PathPrefix or RegularExpression");
	expect_bad("HTTPRoute",
		   "{\"rules\":[{\"backendRefs\":[{\"name\":\"a\","
		   "\"weight\":-1}]}]}",
		   "spec.rules[0].backendRefs[0].weight: expected an integer");
	expect_bad("HTTPRoute", "{\"rules\":[{\"filters\":[{}]}]}",
		   "spec.rules[0].filters[0].type: expected a filter type");
	expect_bad("HTTPRoute",
		   "{\"rules\":[{\"filters\":[{\"type\":\"RequestMirror\","
		   "\"requestMirror\":{}}]}]}",
		   "spec.rules[0].filters[0].requestMirror.backendRef: "
		   "expected a backendRef");
	expect_bad("ReferenceGrant", "{\"from\":[{\"kind\":\"HTTPRoute\"}]}",
		   "spec.from[0]: expected a kind and a namespace");
	expect_bad("GatewayClass", "{\"controllerName\":5}",
		   "spec.controllerName: expected a string");
}

/* A status condition must say True, False or Unknown. */
static void
test_bad_condition(void **state)
{
	struct kn_model *m = kn_model_new();

	(void)state;
	assert_int_equal(
		apply(m, "{\"kind\":\"GatewayClass\",\"metadata\":{\"name\":"
			 "\"eg\"},\"status\":{\"conditions\":[{\"type\":"
			 "\"Accepted\",\"status\":\"Yes\"}]}}"),
		KN_ERR_PARSE);
	assert_non_null(strstr(eb, "status.conditions[0].status: expected "
				   "True, False or Unknown"));
	kn_model_free(m);
}

/* Replacing and deleting keep the model's counts. */
static void
test_replace_delete(void **state)
{
	struct kn_model *m = kn_model_new();
	cJSON *o;

	(void)state;
	assert_int_equal(apply(m, route_json), KN_OK);
	assert_int_equal(apply(m, route_json), KN_OK);
	assert_int_equal(kn_model_count(m, KN_HTTPROUTE), 1);
	o = cJSON_Parse(route_json);
	assert_int_equal(kn_objdecode_apply(m, KN_EV_DELETED, NULL, o, eb),
			 KN_OK);
	cJSON_Delete(o);
	assert_int_equal(kn_model_count(m, KN_HTTPROUTE), 0);
	kn_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gateway),
		cmocka_unit_test(test_httproute),
		cmocka_unit_test(test_grpc_tcp_class_grant),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_bad_condition),
		cmocka_unit_test(test_replace_delete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
