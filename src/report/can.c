/* --can SRC DST [--port P/PROTO]: may SRC reach DST under the cluster's
 * NetworkPolicies, and which policies and rules decide it on each side.
 * The answer is the output: exit 0 whether allowed or not, 1 when an
 * end names nothing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/buf.h"
#include "k8snet/escape.h"
#include "k8snet/log.h"
#include "k8snet/model.h"
#include "k8snet/policy.h"
#include "k8snet/report.h"
#include "report_int.h"

/* ---- JSON ---- */

static void
json_side(struct rp *r, const struct kn_np_result *c,
	  const struct kn_np_side *s, bool egress)
{
	const struct kn_np_target *t = egress ? &c->from : &c->to;
	size_t k = egress ? c->show_from : c->show_to, i;
	char pn[320], text[1024];

	kn_buf_printf(&r->b, "{\"allowed\":%s,\"isolated\":%s,\"applies\":%s",
		      s->allowed ? "true" : "false",
		      s->isolated ? "true" : "false",
		      s->applies ? "true" : "false");
	if (s->applies) {
		kn_np_pod_name(t->pods[k], pn, sizeof(pn));
		jks(r, "pod", pn);
	}
	jk(r, "policies", false);
	kn_buf_puts(&r->b, "[");
	for (i = 0; i < s->nrefs; i++) {
		const struct kn_np_ref *ref = &s->refs[i];

		kn_buf_puts(&r->b, i ? ",{" : "{");
		jk(r, "namespace", true);
		jq(r, ref->np->o.ns);
		jks(r, "name", ref->np->o.name);
		jk(r, "rule", false);
		if (ref->rule < 0)
			kn_buf_puts(&r->b, "null");
		else
			kn_buf_printf(&r->b, "%d", ref->rule);
		jks(r, "text",
		    kn_np_rule_text(ref->np, egress, ref->rule, text,
				    sizeof(text)));
		kn_buf_puts(&r->b, "}");
	}
	kn_buf_puts(&r->b, "]}");
}

static void
json(struct rp *r, const struct kn_np_result *c)
{
	char ports[512];
	size_t i;

	kn_buf_puts(&r->b, "{");
	jk(r, "from", true);
	jq(r, c->from.name);
	jks(r, "fromKind", kn_np_target_kind_name(c->from.kind));
	jks(r, "to", c->to.name);
	jks(r, "toKind", kn_np_target_kind_name(c->to.kind));
	jk(r, "port", false);
	if (c->ask.any)
		kn_buf_puts(&r->b, "null");
	else if (c->show_port)
		kn_buf_printf(&r->b, "%u", (unsigned)c->show_port);
	else
		kn_buf_puts(&r->b, "null");
	if (c->ask.name != NULL)
		jks(r, "portName", c->ask.name);
	jks(r, "protocol", c->ask.any ? NULL : kn_proto_name(c->ask.proto));
	kn_buf_printf(&r->b, ",\"allowed\":%s", c->allowed ? "true" : "false");
	if (c->ask.any)
		jks(r, "allowedPorts",
		    c->ans.allowed ? kn_np_ports_text(&c->ans.ports, ports,
						      sizeof(ports))
				   : NULL);
	jk(r, "egress", false);
	json_side(r, c, &c->ans.egress, true);
	jk(r, "ingress", false);
	json_side(r, c, &c->ans.ingress, false);
	if (c->npairs > 1)
		kn_buf_printf(&r->b,
			      ",\"pairs\":{\"checked\":%zu,"
			      "\"allowed\":%zu}",
			      c->npairs, c->nallowed);
	jk(r, "notes", false);
	kn_buf_puts(&r->b, "[");
	for (i = 0; i < c->notes.n; i++) {
		if (i)
			kn_buf_puts(&r->b, ",");
		jq(r, c->notes.v[i]);
	}
	kn_buf_puts(&r->b, "]}\n");
}

int
kn_report_can(struct kn_app *app, FILE *out)
{
	struct kn_policy_index *ix;
	struct kn_np_result c;
	struct kn_strs lines = {0};
	struct rp r;
	char err[512];
	size_t i;
	int status;

	if (app->model == NULL) {
		kn_error("--can needs a cluster: a kubeconfig, --snapshot "
			 "FILE or --demo");
		return 1;
	}
	if ((ix = kn_policy_index_new(app->model)) == NULL) {
		kn_error("out of memory");
		return 1;
	}
	status = kn_np_ask(app->model, ix, app->opts.can_from, app->opts.can_to,
			   app->opts.can_port, app->opts.namespace, &c, err,
			   sizeof(err));
	if (status != 0) {
		kn_error("%s%s", status == 1 ? "--can: " : "", err);
		kn_policy_index_free(ix);
		return status;
	}
	rp_init(&r, app, out);
	if (rp_json(&r)) {
		json(&r, &c);
	} else {
		kn_np_result_lines(&c, &lines);
		for (i = 0; i < lines.n; i++) {
			kn_escape_text(&r.b, lines.v[i], strlen(lines.v[i]),
				       r.ascii);
			kn_buf_puts(&r.b, "\n");
		}
		kn_strs_clear(&lines);
	}
	status = rp_finish(&r);
	kn_np_result_release(&c);
	kn_policy_index_free(ix);
	return status;
}
