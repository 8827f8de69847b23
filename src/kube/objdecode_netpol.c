/* Decoding of networking.k8s.io/v1 NetworkPolicy objects into the
 * model: selectors, peers, ports and ipBlocks, for the policy evaluator.
 *
 * The whole spec is kept. The nesting (rules, peers, selectors,
 * expressions, values) has no fixed size, so the spec is decoded twice by
 * the same code: first into a scratch block sized by a bound on what the
 * JSON can yield, to check it and learn the exact size, then into the
 * model's block of that size. Strings are interned, so the block holds
 * structs and pointers only. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "objdecode_int.h"

/* One JSON value yields at most one struct (or pointer) of the block. */
static size_t
np_bound(const cJSON *v)
{
	const cJSON *c;
	size_t n = 1;

	cJSON_ArrayForEach(c, v) n += np_bound(c);
	return n;
}

static const char *const kn_sel_ops[] = {
	[KN_SEL_IN] = "In",
	[KN_SEL_NOT_IN] = "NotIn",
	[KN_SEL_EXISTS] = "Exists",
	[KN_SEL_DOES_NOT_EXIST] = "DoesNotExist",
};

static int
np_full(struct dec *d)
{
	kn_errf(d->eb, KN_ERR_PARSE, "NetworkPolicy: larger than its bound");
	return -1;
}

/* A metav1.LabelSelector, with the API's validation of operators. */
int
dselector(struct dec *d, const cJSON *sel, const char *path, struct pack *k,
	  struct kn_selector *out)
{
	const cJSON *ml, *me, *e, *vals, *it;
	struct kn_sel_expr *x;
	const char *key, *op;
	char p2[160];
	size_t ne, nv, i, j, o;

	memset(out, 0, sizeof(*out));
	if (jobj(d, sel, "matchLabels", path, &ml) < 0 ||
	    jarr(d, sel, "matchExpressions", path, &me, &ne) < 0)
		return -1;
	if (ml != NULL && cJSON_GetArraySize(ml) > 0) {
		if (cJSON_GetArraySize(ml) > UINT16_MAX)
			return dfail(d, path, "matchLabels", "fewer labels");
		out->labels = pk_take(k, (size_t)cJSON_GetArraySize(ml) *
						 sizeof(*out->labels));
		if (out->labels == NULL)
			return np_full(d);
		cJSON_ArrayForEach(it, ml)
		{
			if (!cJSON_IsString(it) || it->string == NULL) {
				dpath(d, p2, sizeof(p2), "%s.matchLabels",
				      path);
				return dfail(d, p2,
					     it->string ? it->string : "?",
					     "a string");
			}
			out->labels[out->nlabels].key =
				kn_model_intern(d->m, it->string);
			out->labels[out->nlabels].value =
				kn_model_intern(d->m, it->valuestring);
			out->nlabels++;
		}
	}
	if (ne > UINT16_MAX)
		return dfail(d, path, "matchExpressions", "fewer items");
	if (ne == 0)
		return 0;
	if ((out->exprs = pk_take(k, ne * sizeof(*out->exprs))) == NULL)
		return np_full(d);
	out->nexprs = (uint16_t)ne;
	for (i = 0; i < ne; i++) {
		e = cJSON_GetArrayItem(me, (int)i);
		x = &out->exprs[i];
		dpath(d, p2, sizeof(p2), "%s.matchExpressions[%zu]", path, i);
		if (jstr(d, e, "key", p2, &key) < 0 ||
		    jstr(d, e, "operator", p2, &op) < 0 ||
		    jarr(d, e, "values", p2, &vals, &nv) < 0)
			return -1;
		if (key == NULL || *key == '\0')
			return dfail(d, p2, "key", "a non-empty string");
		for (o = 0; o < 4; o++)
			if (op != NULL && strcmp(op, kn_sel_ops[o]) == 0)
				break;
		if (o == 4)
			return dfail(d, p2, "operator",
				     "In, NotIn, Exists or DoesNotExist");
		if ((o == KN_SEL_IN || o == KN_SEL_NOT_IN) && nv == 0)
			return dfail(d, p2, "values",
				     "values for In and NotIn");
		if ((o == KN_SEL_EXISTS || o == KN_SEL_DOES_NOT_EXIST) &&
		    nv > 0)
			return dfail(d, p2, "values",
				     "no values for Exists and DoesNotExist");
		if (nv > UINT16_MAX)
			return dfail(d, p2, "values", "fewer values");
		x->key = kn_model_intern(d->m, key);
		x->op = (uint8_t)o;
		x->nvalues = (uint16_t)nv;
		if (nv == 0)
			continue;
		if ((x->values = pk_take(k, nv * sizeof(char *))) == NULL)
			return np_full(d);
		for (j = 0; j < nv; j++) {
			it = cJSON_GetArrayItem(vals, (int)j);
			if (!cJSON_IsString(it))
				return dfail(d, p2, "values", "strings");
			x->values[j] = kn_model_intern(d->m, it->valuestring);
		}
	}
	return 0;
}

/* "10.0.0.0/8", "fd00::/64"; the prefix is required, as the API's. */
static bool
kn_cidr_parse(const char *s, struct kn_cidr *out)
{
	char ip[64], *end;
	const char *slash = strchr(s, '/');
	unsigned long bits;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(ip) ||
	    slash[1] < '0' || slash[1] > '9')
		return false;
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = '\0';
	if (!kn_ipaddr_parse(ip, &out->addr))
		return false;
	bits = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || bits > (out->addr.family == 4 ? 32u : 128u))
		return false;
	out->bits = (uint8_t)bits;
	return true;
}

static int
dpeer(struct dec *d, const cJSON *pj, const char *path, struct pack *k,
      struct kn_np_peer *out)
{
	const cJSON *ps, *nss, *ipb, *ex;
	const char *cidr;
	char p2[160];
	size_t nex, i;

	memset(out, 0, sizeof(*out));
	if (jobj(d, pj, "podSelector", path, &ps) < 0 ||
	    jobj(d, pj, "namespaceSelector", path, &nss) < 0 ||
	    jobj(d, pj, "ipBlock", path, &ipb) < 0)
		return -1;
	if (ipb != NULL && (ps != NULL || nss != NULL))
		return dfail(d, path, "ipBlock", "no selector beside it");
	if (ipb == NULL && ps == NULL && nss == NULL)
		return dfail(d, path, NULL,
			     "a podSelector, namespaceSelector or ipBlock");
	if (ps != NULL) {
		out->has_pod_sel = true;
		dpath(d, p2, sizeof(p2), "%s.podSelector", path);
		if (dselector(d, ps, p2, k, &out->pod_sel) < 0)
			return -1;
	}
	if (nss != NULL) {
		out->has_ns_sel = true;
		dpath(d, p2, sizeof(p2), "%s.namespaceSelector", path);
		if (dselector(d, nss, p2, k, &out->ns_sel) < 0)
			return -1;
	}
	if (ipb == NULL)
		return 0;
	out->is_ipblock = true;
	dpath(d, p2, sizeof(p2), "%s.ipBlock", path);
	if (jstr(d, ipb, "cidr", p2, &cidr) < 0 ||
	    jarr(d, ipb, "except", p2, &ex, &nex) < 0)
		return -1;
	if (cidr == NULL || !kn_cidr_parse(cidr, &out->cidr))
		return dfail(d, p2, "cidr", "a CIDR");
	if (nex > UINT16_MAX)
		return dfail(d, p2, "except", "fewer items");
	if (nex == 0)
		return 0;
	if ((out->except = pk_take(k, nex * sizeof(*out->except))) == NULL)
		return np_full(d);
	for (i = 0; i < nex; i++) {
		const cJSON *it = cJSON_GetArrayItem(ex, (int)i);

		if (!cJSON_IsString(it) ||
		    !kn_cidr_parse(it->valuestring, &out->except[i]) ||
		    out->except[i].addr.family != out->cidr.addr.family)
			return dfail(d, p2, "except",
				     "CIDRs of the cidr's family");
	}
	out->nexcept = (uint16_t)nex;
	return 0;
}

static int
dnp_port(struct dec *d, const cJSON *pj, const char *path,
	 struct kn_np_port *out)
{
	const cJSON *port;
	long v;

	memset(out, 0, sizeof(*out));
	if (dproto(d, pj, path, &out->proto) < 0)
		return -1;
	port = jget(pj, "port");
	if (cJSON_IsString(port) && port->valuestring[0] != '\0') {
		out->name = kn_model_intern(d->m, port->valuestring);
	} else if (port != NULL) {
		if (jint(d, pj, "port", path, 1, 65535, &v) < 0)
			return -1;
		out->port = (uint16_t)v;
	}
	if (jint(d, pj, "endPort", path, 1, 65535, &v) < 0)
		return -1;
	if (v != 0 && (out->port == 0 || v < out->port))
		return dfail(d, path, "endPort",
			     "a number not below a numeric port");
	out->end_port = (uint16_t)v;
	return 0;
}

/* spec.ingress (peers under "from") or spec.egress ("to"). */
static int
drules(struct dec *d, const cJSON *spec, const char *key, const char *peers_key,
       struct pack *k, struct kn_np_rule **out, uint16_t *nout)
{
	const cJSON *arr, *r, *peers, *ports;
	struct kn_np_rule *rules;
	char path[96], p2[128];
	size_t n, i, j, npe, npo;

	*out = NULL;
	*nout = 0;
	if (jarr(d, spec, key, "spec", &arr, &n) < 0)
		return -1;
	if (n > UINT16_MAX)
		return dfail(d, "spec", key, "fewer rules");
	if (n == 0)
		return 0;
	if ((rules = pk_take(k, n * sizeof(*rules))) == NULL)
		return np_full(d);
	for (i = 0; i < n; i++) {
		r = cJSON_GetArrayItem(arr, (int)i);
		dpath(d, path, sizeof(path), "spec.%s[%zu]", key, i);
		memset(&rules[i], 0, sizeof(rules[i]));
		if (r != NULL && !cJSON_IsObject(r))
			return dfail(d, path, NULL, "an object");
		if (jarr(d, r, peers_key, path, &peers, &npe) < 0 ||
		    jarr(d, r, "ports", path, &ports, &npo) < 0)
			return -1;
		if (npe > UINT16_MAX || npo > UINT16_MAX)
			return dfail(d, path, NULL, "fewer peers and ports");
		if (npe > 0 &&
		    (rules[i].peers =
			     pk_take(k, npe * sizeof(*rules[i].peers))) == NULL)
			return np_full(d);
		for (j = 0; j < npe; j++) {
			dpath(d, p2, sizeof(p2), "%s.%s[%zu]", path, peers_key,
			      j);
			if (dpeer(d, cJSON_GetArrayItem(peers, (int)j), p2, k,
				  &rules[i].peers[j]) < 0)
				return -1;
		}
		rules[i].npeers = (uint16_t)npe;
		if (npo > 0 &&
		    (rules[i].ports =
			     pk_take(k, npo * sizeof(*rules[i].ports))) == NULL)
			return np_full(d);
		for (j = 0; j < npo; j++) {
			dpath(d, p2, sizeof(p2), "%s.ports[%zu]", path, j);
			if (dnp_port(d, cJSON_GetArrayItem(ports, (int)j), p2,
				     &rules[i].ports[j]) < 0)
				return -1;
		}
		rules[i].nports = (uint16_t)npo;
	}
	*out = rules;
	*nout = (uint16_t)n;
	return 0;
}

static int
dnp_spec(struct dec *d, const cJSON *spec, struct pack *k, struct kn_netpol *np)
{
	const cJSON *ps, *types, *t;
	size_t nt;

	if (jobj(d, spec, "podSelector", "spec", &ps) < 0 ||
	    dselector(d, ps, "spec.podSelector", k, &np->pod_sel) < 0 ||
	    drules(d, spec, "ingress", "from", k, &np->ingress, &np->ningress) <
		    0 ||
	    drules(d, spec, "egress", "to", k, &np->egress, &np->negress) < 0 ||
	    jarr(d, spec, "policyTypes", "spec", &types, &nt) < 0)
		return -1;
	if (types == NULL) {
		/* The API server's default when the field is absent. */
		np->types_defaulted = true;
		np->ingress_type = true;
		np->egress_type = np->negress > 0;
		return 0;
	}
	cJSON_ArrayForEach(t, types)
	{
		if (cJSON_IsString(t) && strcmp(t->valuestring, "Ingress") == 0)
			np->ingress_type = true;
		else if (cJSON_IsString(t) &&
			 strcmp(t->valuestring, "Egress") == 0)
			np->egress_type = true;
		else
			return dfail(d, "spec", "policyTypes",
				     "Ingress or Egress");
	}
	return 0;
}

int
dec_netpol(struct dec *d, const cJSON *obj, const struct meta *mt,
	   struct kn_obj **out)
{
	struct kn_netpol tmp, *np;
	const cJSON *spec;
	struct pack k;
	size_t need;

	if (jobj(d, obj, "spec", "", &spec) < 0)
		return -1;
	/* Pass 1: check, and measure, in scratch. */
	memset(&tmp, 0, sizeof(tmp));
	k.cap = np_bound(spec) * (sizeof(struct kn_np_peer) + 16);
	k.off = 0;
	if ((k.p = malloc(k.cap)) == NULL)
		return dnomem(d);
	if (dnp_spec(d, spec, &k, &tmp) < 0) {
		free(k.p);
		return -1;
	}
	need = k.off;
	free(k.p);
	/* Pass 2: the same decode into the model's block. */
	np = (struct kn_netpol *)pk_begin(d, &k, sizeof(*np),
					  need + 8 + meta_size(mt));
	if (np == NULL)
		return -1;
	if (dnp_spec(d, spec, &k, np) < 0) {
		kn_model_obj_free(d->m, &np->o);
		return -1;
	}
	meta_fill(d, &k, &np->o, KN_NETPOL, mt);
	*out = &np->o;
	return 0;
}
