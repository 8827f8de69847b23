/* Unit tests of the Gateway API route chains (src/routes): every status
 * in its order, hostname intersection with wildcards, allowedRoutes
 * Same/All/Selector and kinds, sectionName and port parentRefs,
 * ReferenceGrant matching, weights as shares, the controller's word
 * where it differs, and the chains in words. The cluster is
 * tests/data/snapshots/gateway.json. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "k8snet/model.h"
#include "k8snet/routes.h"
#include "testutil.h"

struct fx {
	struct kn_model *m;
	struct kn_routes_index *ix;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->m = kn_model_new();
	tu_model_load(f->m, "gateway.json");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	kn_routes_index_free(f->ix);
	kn_model_free(f->m);
	free(f);
	return 0;
}

/* Put a route of kind in ns with spec (and status, or NULL). */
static const struct kn_route *
route(struct fx *f, const char *kind, const char *ns, const char *spec,
      const char *status)
{
	char json[4096];
	int k = kn_kind_from_name(kind);

	snprintf(json, sizeof(json),
		 "{\"apiVersion\":\"gateway.networking.k8s.io/%s\","
		 "\"kind\":\"%s\",\"metadata\":{\"name\":\"r\",\"namespace\":"
		 "\"%s\"},\"spec\":%s%s%s}",
		 kn_kind_info((enum kn_kind)k)->version, kind, ns, spec,
		 status != NULL ? ",\"status\":" : "",
		 status != NULL ? status : "");
	tu_model_put(f->m, json);
	kn_routes_index_free(f->ix);
	f->ix = kn_routes_index_new(f->m);
	return (const struct kn_route *)kn_model_find(f->m, (enum kn_kind)k, ns,
						      "r");
}

/* The chain of an HTTPRoute in ns with one parentRef and one backend. */
static struct kn_route_chain
chain1(struct fx *f, const char *ns, const char *parent, const char *hosts,
       const char *backend)
{
	struct kn_route_chain c;
	char spec[2048];
	const struct kn_route *r;

	snprintf(spec, sizeof(spec),
		 "{\"parentRefs\":[%s],\"hostnames\":[%s],\"rules\":[{"
		 "\"backendRefs\":[%s]}]}",
		 parent, hosts, backend);
	r = route(f, "HTTPRoute", ns, spec, NULL);
	assert_non_null(r);
	kn_route_chain(f->m, f->ix, r, 0, 0, 0, &c);
	return c;
}

#define GW "{\"name\":\"eg\",\"namespace\":\"infra\""
#define CART "{\"name\":\"cart\",\"port\":80}"

/* The first chain of an HTTPRoute in ns on infra/eg's listener section,
 * with backends (backendRefs items) and, for that same parent, the
 * conditions (conditions items) controller ctl wrote. */
static struct kn_route_chain
with_status(struct fx *f, const char *ns, const char *section,
	    const char *backends, const char *ctl, const char *conds)
{
	struct kn_route_chain c;
	char spec[1024], status[1024];
	const struct kn_route *r;

	snprintf(spec, sizeof(spec),
		 "{\"parentRefs\":[" GW ",\"sectionName\":\"%s\"}],"
		 "\"rules\":[{\"backendRefs\":[%s]}]}",
		 section, backends);
	snprintf(status, sizeof(status),
		 "{\"parents\":[{\"parentRef\":" GW ",\"sectionName\":"
		 "\"%s\"},\"controllerName\":\"%s\",\"conditions\":[%s]}]}",
		 section, ctl, conds);
	r = route(f, "HTTPRoute", ns, spec, status);
	assert_non_null(r);
	kn_route_chain(f->m, f->ix, r, 0, 0, 0, &c);
	return c;
}

static void
expect(const struct kn_route_chain *c, enum kn_route_status st,
       const char *reason)
{
	char buf[512];
	const char *got = kn_route_chain_reason(c, buf, sizeof(buf));

	if (c->status != st)
		fail_msg("status %s, want %s (%s)",
			 kn_route_status_name(c->status),
			 kn_route_status_name(st), got ? got : "-");
	if (reason == NULL) {
		if (got != NULL)
			fail_msg("reason \"%s\", want none", got);
		return;
	}
	if (got == NULL || strstr(got, reason) == NULL)
		fail_msg("reason \"%s\", want \"%s\"", got ? got : "(none)",
			 reason);
}

static void
test_ok(void **state)
{
	struct fx *f = *state;
	struct kn_route_chain c;
	char buf[128];

	c = chain1(f, "shop", GW ",\"sectionName\":\"https\"}",
		   "\"shop.example.com\"", CART);
	expect(&c, KN_RT_OK, NULL);
	assert_string_equal(c.gateway->o.name, "eg");
	assert_string_equal(c.gwclass->o.name, "eg");
	assert_string_equal(c.listener->name, "https");
	assert_int_equal(c.nlisteners, 1);
	assert_string_equal(c.service->o.name, "cart");
	assert_int_equal(c.port->port, 80);
	assert_int_equal(c.endpoints.ready, 2);
	assert_int_equal(c.endpoints.not_ready, 1);
	assert_int_equal(c.share_pm, 1000);
	assert_string_equal(
		kn_route_match_text(c.route, c.rule, buf, sizeof(buf)),
		"PathPrefix /");
	assert_string_equal(kn_gw_parent_text(c.parent, buf, sizeof(buf)),
			    "infra/eg section https");
	/* A class no controller has answered yet is not a failing hop. */
	c = chain1(f, "shop", "{\"name\":\"pending\",\"namespace\":\"infra\"}",
		   "", CART);
	expect(&c, KN_RT_OK, NULL);
}

static void
test_gateway_missing(void **state)
{
	struct fx *f = *state;
	struct kn_route_chain c;
	const struct kn_route *r;

	c = chain1(f, "shop", "{\"name\":\"nope\",\"namespace\":\"infra\"}", "",
		   CART);
	expect(&c, KN_RT_GATEWAY_MISSING, "Gateway infra/nope not found");
	/* the parentRef's namespace defaults to the route's */
	c = chain1(f, "shop", "{\"name\":\"eg\"}", "", CART);
	expect(&c, KN_RT_GATEWAY_MISSING, "Gateway shop/eg not found");
	c = chain1(f, "shop",
		   "{\"group\":\"example.io\",\"kind\":\"Mesh\","
		   "\"name\":\"m\"}",
		   "", CART);
	expect(&c, KN_RT_GATEWAY_MISSING,
	       "parentRef Mesh.example.io m is not a Gateway");
	r = route(f, "HTTPRoute", "shop",
		  "{\"rules\":[{\"backendRefs\":[" CART "]}]}", NULL);
	kn_route_chain(f->m, f->ix, r, 0, 0, 0, &c);
	expect(&c, KN_RT_GATEWAY_MISSING, "no parentRefs");
	/* A mesh parent: the Service's own traffic, no Gateway hops. */
	c = chain1(f, "shop",
		   "{\"group\":\"\",\"kind\":\"Service\","
		   "\"name\":\"cart\"}",
		   "", CART);
	expect(&c, KN_RT_OK, NULL);
	assert_non_null(c.parent_service);
	c = chain1(f, "shop",
		   "{\"group\":\"\",\"kind\":\"Service\","
		   "\"name\":\"ghost\"}",
		   "", CART);
	expect(&c, KN_RT_GATEWAY_MISSING, "parent Service shop/ghost");
}

static void
test_class_not_accepted(void **state)
{
	struct fx *f = *state;
	struct kn_route_chain c;

	c = chain1(f, "infra", "{\"name\":\"broken\"}", "", CART);
	expect(&c, KN_RT_CLASS_NOT_ACCEPTED,
	       "GatewayClass broken: Accepted=False InvalidParameters: "
	       "parametersRef not found");
	c = chain1(f, "infra", "{\"name\":\"orphan\"}", "", CART);
	expect(&c, KN_RT_CLASS_NOT_ACCEPTED, "GatewayClass nope not found");
}

static void
test_no_listener(void **state)
{
	struct fx *f = *state;
	struct kn_route_chain c;

	c = chain1(f, "shop", GW ",\"sectionName\":\"nope\"}", "", CART);
	expect(&c, KN_RT_NO_LISTENER,
	       "Gateway infra/eg has no listener named "
	       "nope");
	assert_int_equal(c.miss, KN_MISS_SECTION);
	c = chain1(f, "shop", GW ",\"port\":81}", "", CART);
	expect(&c, KN_RT_NO_LISTENER,
	       "Gateway infra/eg has no listener on "
	       "port 81");
	c = chain1(f, "shop", GW ",\"sectionName\":\"http\",\"port\":443}", "",
		   CART);
	expect(&c, KN_RT_NO_LISTENER, "listener http is on port 80, not 443");
	/* protocol: a TCP listener does not take an HTTPRoute */
	c = chain1(f, "shop", GW ",\"sectionName\":\"db\"}", "", CART);
	expect(&c, KN_RT_NO_LISTENER,
	       "listener db (TCP) does not take "
	       "HTTPRoute");
	/* allowedRoutes.kinds */
	c = chain1(f, "shop", GW ",\"sectionName\":\"grpc-only\"}", "", CART);
	expect(&c, KN_RT_NO_LISTENER,
	       "listener grpc-only (HTTP) does not "
	       "take HTTPRoute");
	assert_int_equal(c.miss, KN_MISS_KIND);
	/* hostname */
	c = chain1(f, "shop", GW ",\"sectionName\":\"https\"}",
		   "\"shop.example.org\",\"example.com\"", CART);
	expect(&c, KN_RT_NO_LISTENER,
	       "listener https hostname *.example.com does not intersect "
	       "shop.example.org, example.com");
	assert_int_equal(c.miss, KN_MISS_HOSTNAME);
	assert_string_equal(c.listener->name, "https");
}

/* allowedRoutes.namespaces: Same, All, Selector. */
static void
test_allowed_namespaces(void **state)
{
	struct fx *f = *state;
	struct kn_route_chain c;

	/* Same (the default): only infra's routes */
	c = chain1(f, "shop", GW ",\"sectionName\":\"same\"}", "", CART);
	expect(&c, KN_RT_NO_LISTENER,
	       "listener same takes routes of namespace infra only");
	assert_int_equal(c.miss, KN_MISS_NAMESPACE);
	c = chain1(f, "infra", GW ",\"sectionName\":\"same\"}", "",
		   "{\"name\":\"cart\",\"namespace\":\"shop\",\"port\":80}");
	assert_int_equal(c.nlisteners, 1);
	assert_int_equal(c.status, KN_RT_REF_NOT_PERMITTED);
	/* Selector gw=yes: shop has it, web does not */
	c = chain1(f, "web", GW ",\"sectionName\":\"https\"}", "", CART);
	expect(&c, KN_RT_NO_LISTENER,
	       "listener https: namespace web does not match its selector "
	       "gw=yes");
	c = chain1(f, "shop", GW ",\"sectionName\":\"https\"}", "", CART);
	expect(&c, KN_RT_OK, NULL);
	/* All: any namespace */
	c = chain1(f, "web", GW ",\"sectionName\":\"http\"}", "",
		   "{\"name\":\"x\",\"port\":80}");
	assert_int_equal(c.nlisteners, 1);
	expect(&c, KN_RT_SERVICE_MISSING, "Service web/x not found");
}

/* Without sectionName or port every listener is tried; the first that
 * takes the route is the chain's, the count says how many did. */
static void
test_section_and_port(void **state)
{
	struct fx *f = *state;
	struct kn_route_chain c;

	c = chain1(f, "shop", GW "}", "\"shop.example.com\"", CART);
	expect(&c, KN_RT_OK, NULL);
	assert_string_equal(c.listener->name, "http");
	assert_int_equal(c.nlisteners, 2); /* http and https */
	c = chain1(f, "shop", GW ",\"port\":443}", "\"shop.example.com\"",
		   CART);
	assert_string_equal(c.listener->name, "https");
	assert_int_equal(c.nlisteners, 1);
	c = chain1(f, "shop", GW ",\"sectionName\":\"https\",\"port\":443}",
		   "\"a.shop.example.com\"", CART);
	assert_string_equal(c.listener->name, "https");
	expect(&c, KN_RT_OK, NULL);
}

static void
test_host_intersect(void **state)
{
	(void)state;
	assert_true(kn_gw_host_intersect(NULL, "a.example.com"));
	assert_true(kn_gw_host_intersect("a.example.com", NULL));
	assert_true(kn_gw_host_intersect("a.example.com", "A.Example.COM"));
	assert_false(kn_gw_host_intersect("a.example.com", "b.example.com"));
	/* a wildcard covers one label or more, never the bare domain */
	assert_true(kn_gw_host_intersect("*.example.com", "a.example.com"));
	assert_true(kn_gw_host_intersect("*.example.com", "a.b.example.com"));
	assert_false(kn_gw_host_intersect("*.example.com", "example.com"));
	assert_false(kn_gw_host_intersect("*.example.com", "aexample.com"));
	assert_false(kn_gw_host_intersect("*.example.com", "a.example.net"));
	/* a route's wildcard against a listener's host */
	assert_true(kn_gw_host_intersect("a.example.com", "*.example.com"));
	assert_false(kn_gw_host_intersect("example.com", "*.example.com"));
	/* two wildcards: one inside the other */
	assert_true(kn_gw_host_intersect("*.example.com", "*.example.com"));
	assert_true(kn_gw_host_intersect("*.example.com", "*.a.example.com"));
	assert_true(kn_gw_host_intersect("*.a.example.com", "*.example.com"));
	assert_false(
		kn_gw_host_intersect("*.a.example.com", "*.b.example.com"));
	assert_false(kn_gw_host_intersect("*.example.com", "*.example.net"));
}

static void
test_not_accepted(void **state)
{
	struct fx *f = *state;
	struct kn_route_chain c;
	const struct kn_route *r;

	c = with_status(f, "shop", "https", CART,
			"gateway.envoyproxy.io/gatewayclass-controller",
			"{\"type\":\"Accepted\",\"status\":\"False\","
			"\"reason\":\"NotAllowedByListeners\",\"message\":"
			"\"no listener allows it\"}");
	expect(&c, KN_RT_NOT_ACCEPTED,
	       "gateway.envoyproxy.io/gatewayclass-controller: "
	       "Accepted=False NotAllowedByListeners: no listener allows it "
	       "(listener https would take it)");
	assert_non_null(c.rstatus);
	/* a status for another parent (no sectionName) does not count */
	r = route(f, "HTTPRoute", "shop",
		  "{\"parentRefs\":[" GW ",\"sectionName\":\"https\"}],"
		  "\"rules\":[{\"backendRefs\":[" CART "]}]}",
		  "{\"parents\":[{\"parentRef\":" GW "},\"controllerName\":"
		  "\"x\",\"conditions\":[{\"type\":\"Accepted\",\"status\":"
		  "\"False\"}]}]}");
	kn_route_chain(f->m, f->ix, r, 0, 0, 0, &c);
	expect(&c, KN_RT_OK, NULL);
}

/* ReferenceGrant: matched by from (group, kind, namespace) and to
 * (group, kind, name or every name), in the backend's namespace. */
static void
test_ref_grant(void **state)
{
	struct fx *f = *state;
	struct kn_route_chain c;
	const struct kn_route *r;
	struct kn_gw_ref t = {"", "Service", "other", "api"};

	c = chain1(f, "shop", GW ",\"sectionName\":\"http\"}", "",
		   "{\"name\":\"api\",\"namespace\":\"other\",\"port\":80}");
	expect(&c, KN_RT_OK, NULL);
	assert_non_null(c.grant);
	assert_string_equal(c.grant->o.name, "shop-to-api");
	/* the grant names api only */
	c = chain1(f, "shop", GW ",\"sectionName\":\"http\"}", "",
		   "{\"name\":\"secret\",\"namespace\":\"other\",\"port\":"
		   "80}");
	expect(&c, KN_RT_REF_NOT_PERMITTED,
	       "no ReferenceGrant in other lets HTTPRoute of shop refer to "
	       "Service secret");
	/* from another namespace */
	c = chain1(f, "web", GW ",\"sectionName\":\"http\"}", "",
		   "{\"name\":\"api\",\"namespace\":\"other\",\"port\":80}");
	expect(&c, KN_RT_REF_NOT_PERMITTED, "HTTPRoute of web");
	/* from another kind */
	r = route(f, "GRPCRoute", "shop",
		  "{\"parentRefs\":[" GW ",\"sectionName\":\"http\"}],"
		  "\"rules\":[{\"backendRefs\":[{\"name\":\"api\","
		  "\"namespace\":\"other\",\"port\":80}]}]}",
		  NULL);
	kn_route_chain(f->m, f->ix, r, 0, 0, 0, &c);
	expect(&c, KN_RT_REF_NOT_PERMITTED, "GRPCRoute of shop");
	/* the matching itself */
	assert_non_null(
		kn_gw_grant_find(f->ix, "other", "HTTPRoute", "shop", &t));
	assert_null(kn_gw_grant_find(f->ix, "other", "TCPRoute", "shop", &t));
	assert_null(kn_gw_grant_find(f->ix, "shop", "HTTPRoute", "shop", &t));
	t.kind = "Secret";
	assert_null(kn_gw_grant_find(f->ix, "other", "HTTPRoute", "shop", &t));
	t.kind = "Service";
	t.group = "example.io";
	assert_null(kn_gw_grant_find(f->ix, "other", "HTTPRoute", "shop", &t));
	/* to without a name lets every name be referred to */
	tu_model_put(f->m,
		     "{\"apiVersion\":\"gateway.networking.k8s.io/v1beta1\","
		     "\"kind\":\"ReferenceGrant\",\"metadata\":{\"name\":"
		     "\"all\",\"namespace\":\"other\"},\"spec\":{\"from\":[{"
		     "\"group\":\"gateway.networking.k8s.io\",\"kind\":"
		     "\"HTTPRoute\",\"namespace\":\"web\"}],\"to\":[{"
		     "\"group\":\"\",\"kind\":\"Service\"}]}}");
	c = chain1(f, "web", GW ",\"sectionName\":\"http\"}", "",
		   "{\"name\":\"secret\",\"namespace\":\"other\",\"port\":"
		   "80}");
	expect(&c, KN_RT_OK, NULL);
	assert_string_equal(c.grant->o.name, "all");
}

static void
test_backend_hops(void **state)
{
	struct fx *f = *state;
	struct kn_route_chain c;
	const struct kn_route *r;

	c = chain1(f, "shop", GW ",\"sectionName\":\"http\"}", "",
		   "{\"name\":\"ghost\",\"port\":80}");
	expect(&c, KN_RT_SERVICE_MISSING, "Service shop/ghost not found");
	c = chain1(f, "shop", GW ",\"sectionName\":\"http\"}", "",
		   "{\"name\":\"cart\",\"port\":81}");
	expect(&c, KN_RT_PORT_MISSING, "Service shop/cart has no port 81");
	c = chain1(f, "shop", GW ",\"sectionName\":\"http\"}", "",
		   "{\"name\":\"cart\"}");
	expect(&c, KN_RT_PORT_MISSING, "backendRef cart gives no port");
	c = chain1(f, "shop", GW ",\"sectionName\":\"http\"}", "",
		   "{\"name\":\"empty\",\"port\":80}");
	expect(&c, KN_RT_NO_ENDPOINTS,
	       "Service shop/empty has no ready endpoints (2 not ready)");
	c = chain1(f, "shop", GW ",\"sectionName\":\"http\"}", "",
		   "{\"group\":\"example.io\",\"kind\":\"Bucket\","
		   "\"name\":\"b\"}");
	expect(&c, KN_RT_OK, "backend Bucket b is not a Service: not traced");
	/* no backendRefs: a 500, unless the rule redirects */
	r = route(f, "HTTPRoute", "shop",
		  "{\"parentRefs\":[" GW ",\"sectionName\":\"http\"}],"
		  "\"rules\":[{},{\"filters\":[{\"type\":\"RequestRedirect\","
		  "\"requestRedirect\":{\"scheme\":\"https\"}}]}]}",
		  NULL);
	kn_route_chain(f->m, f->ix, r, 0, 0, 0, &c);
	expect(&c, KN_RT_SERVICE_MISSING, "the rule has no backendRefs");
	kn_route_chain(f->m, f->ix, r, 1, 0, 0, &c);
	expect(&c, KN_RT_OK, "redirects to https://(same host) 302");
}

/* Each hop is checked only after the ones before it passed. */
static void
test_order(void **state)
{
	struct fx *f = *state;
	struct kn_route_chain c;

	/* no listener and a missing service: the listener is the hop */
	c = chain1(f, "web", GW ",\"sectionName\":\"https\"}", "",
		   "{\"name\":\"ghost\",\"port\":80}");
	assert_int_equal(c.status, KN_RT_NO_LISTENER);
	/* a broken class hides the listener problem */
	c = chain1(f, "infra", "{\"name\":\"broken\",\"sectionName\":\"x\"}",
		   "", CART);
	assert_int_equal(c.status, KN_RT_CLASS_NOT_ACCEPTED);
	/* ref-not-permitted before service-missing */
	c = chain1(f, "shop", GW ",\"sectionName\":\"http\"}", "",
		   "{\"name\":\"ghost\",\"namespace\":\"other\",\"port\":80}");
	assert_int_equal(c.status, KN_RT_REF_NOT_PERMITTED);
}

static void
test_weights(void **state)
{
	struct fx *f = *state;
	struct kn_route_chain c;
	const struct kn_route *r;

	r = route(f, "HTTPRoute", "shop",
		  "{\"parentRefs\":[" GW ",\"sectionName\":\"http\"},"
		  "{\"name\":\"nope\",\"namespace\":\"infra\"}],"
		  "\"rules\":[{\"matches\":[{\"path\":{\"type\":\"Exact\","
		  "\"value\":\"/a\"},\"method\":\"GET\",\"headers\":[{"
		  "\"name\":\"x-env\",\"value\":\"canary\"}],\"queryParams\":"
		  "[{\"type\":\"RegularExpression\",\"name\":\"v\",\"value\":"
		  "\"2.*\"}]},{\"path\":{\"value\":\"/b\"}}],\"backendRefs\":"
		  "[{\"name\":\"cart\",\"port\":80,\"weight\":90},{\"name\":"
		  "\"canary\",\"port\":80,\"weight\":10},{\"name\":\"cart\","
		  "\"port\":80,\"weight\":0}]}]}",
		  NULL);
	kn_route_chain(f->m, f->ix, r, 0, 0, 0, &c);
	assert_int_equal(c.share_pm, 900);
	expect(&c, KN_RT_OK, NULL);
	kn_route_chain(f->m, f->ix, r, 0, 0, 1, &c);
	assert_int_equal(c.share_pm, 100);
	assert_string_equal(c.service->o.name, "canary");
	kn_route_chain(f->m, f->ix, r, 0, 0, 2, &c);
	assert_int_equal(c.share_pm, 0);
	/* the second parent is a chain of its own */
	kn_route_chain(f->m, f->ix, r, 0, 1, 1, &c);
	assert_int_equal(c.status, KN_RT_GATEWAY_MISSING);
	assert_int_equal(c.share_pm, 100);
	{
		char buf[256];

		assert_string_equal(
			kn_route_match_text(r, c.rule, buf, sizeof(buf)),
			"Exact /a GET header x-env=canary query v~2.* | "
			"PathPrefix /b");
	}
}

/* Where the controller says otherwise, both are given. */
static void
test_controller_disagrees(void **state)
{
	struct fx *f = *state;
	struct kn_route_chain c;

	/* Accepted=True, but no listener takes a web route on https */
	c = with_status(f, "web", "https", CART, "ctl",
			"{\"type\":\"Accepted\",\"status\":\"True\","
			"\"reason\":\"Accepted\"}");
	assert_int_equal(c.status, KN_RT_NO_LISTENER);
	assert_int_equal(c.disagree, KN_RT_CTRL_ACCEPTED);
	expect(&c, KN_RT_NO_LISTENER,
	       "does not match its selector gw=yes; ctl: Accepted=True "
	       "Accepted");
	/* ResolvedRefs=False, but every reference resolves */
	c = with_status(f, "shop", "http", CART, "ctl",
			"{\"type\":\"Accepted\",\"status\":\"True\"},"
			"{\"type\":\"ResolvedRefs\",\"status\":\"False\","
			"\"reason\":\"BackendNotFound\",\"message\":"
			"\"stale\"}");
	expect(&c, KN_RT_OK, "ctl: ResolvedRefs=False BackendNotFound: stale");
	assert_int_equal(c.disagree, KN_RT_CTRL_UNRESOLVED);
	/* ... it agrees when another backend of the route is broken */
	c = with_status(f, "shop", "http",
			CART ",{\"name\":\"ghost\",\"port\":80}", "ctl",
			"{\"type\":\"ResolvedRefs\",\"status\":\"False\"}");
	expect(&c, KN_RT_OK, NULL);
	/* ResolvedRefs=True, but the Service is not there */
	c = with_status(f, "shop", "http", "{\"name\":\"ghost\",\"port\":80}",
			"ctl",
			"{\"type\":\"ResolvedRefs\",\"status\":\"True\","
			"\"reason\":\"ResolvedRefs\"}");
	expect(&c, KN_RT_SERVICE_MISSING,
	       "Service shop/ghost not found; ctl: ResolvedRefs=True");
}

/* Route kinds meet the listeners whose protocol carries them. */
static void
test_kinds(void **state)
{
	struct fx *f = *state;
	struct kn_route_chain c;
	const struct kn_route *r;
	char buf[128];

	r = route(f, "TCPRoute", "shop",
		  "{\"parentRefs\":[" GW "}],\"rules\":[{\"backendRefs\":["
		  "{\"name\":\"cart\",\"port\":80}]}]}",
		  NULL);
	kn_route_chain(f->m, f->ix, r, 0, 0, 0, &c);
	expect(&c, KN_RT_OK, NULL);
	assert_string_equal(c.listener->name, "db");
	assert_null(kn_route_match_text(r, c.rule, buf, sizeof(buf)));
	r = route(f, "GRPCRoute", "shop",
		  "{\"parentRefs\":[" GW ",\"port\":9000}],\"rules\":[{"
		  "\"matches\":[{\"method\":{\"service\":\"shop.Cart\"}}],"
		  "\"backendRefs\":[" CART "]}]}",
		  NULL);
	kn_route_chain(f->m, f->ix, r, 0, 0, 0, &c);
	expect(&c, KN_RT_OK, NULL);
	assert_string_equal(c.listener->name, "grpc-only");
	assert_string_equal(kn_route_match_text(r, c.rule, buf, sizeof(buf)),
			    "shop.Cart/*");
	r = route(f, "UDPRoute", "shop",
		  "{\"parentRefs\":[" GW "}],\"rules\":[{\"backendRefs\":["
		  "{\"name\":\"cart\",\"port\":80}]}]}",
		  NULL);
	kn_route_chain(f->m, f->ix, r, 0, 0, 0, &c);
	expect(&c, KN_RT_NO_LISTENER, "does not take UDPRoute");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gateway_missing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_class_not_accepted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_listener, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_allowed_namespaces, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_section_and_port, setup,
						teardown),
		cmocka_unit_test(test_host_intersect),
		cmocka_unit_test_setup_teardown(test_not_accepted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ref_grant, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_backend_hops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weights, setup, teardown),
		cmocka_unit_test_setup_teardown(test_controller_disagrees,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_kinds, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
