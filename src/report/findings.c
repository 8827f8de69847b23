/* --check: the findings of the planned network (kn_plan_check) as a
 * table, one JSON document or JSON lines; the exit status says whether
 * there were any (3) or none (0). */
#include <string.h>

#include "k8snet/log.h"
#include "k8snet/model.h"
#include "k8snet/plan.h"
#include "k8snet/report.h"
#include "k8snet/view.h"
#include "report_int.h"

int
kn_report_check(struct kn_app *app, FILE *out)
{
	struct kn_findings f = {0};
	struct kn_plan_stats st;
	struct kn_vctx cx = {0};
	char line[160];
	struct rp r;
	size_t n;
	int status;

	if (app->model == NULL) {
		kn_error("--check needs a cluster or manifests: --filename "
			 "PATH, --snapshot FILE, --demo or a kubeconfig");
		return 1;
	}
	kn_plan_check(app->plan, app->model, &f);
	n = f.n;
	rp_init(&r, app, out);
	cx.model = app->model;
	cx.ascii = app->opts.ascii;
	cx.plan = app->plan;
	cx.findings = &f;
	if (n == 0 && !rp_json(&r) && app->plan == NULL) {
		kn_buf_printf(&r.b,
			      "No findings in the cluster as loaded (%zu "
			      "pods, %zu services, %zu ingresses).\n",
			      kn_model_count(app->model, KN_POD),
			      kn_model_count(app->model, KN_SERVICE),
			      kn_model_count(app->model, KN_INGRESS));
	} else if (n == 0 && !rp_json(&r)) {
		kn_plan_stats(app->plan, &st);
		kn_buf_printf(&r.b, "No findings in %s.\n",
			      kn_plan_summary(&st, line, sizeof(line)));
	} else {
		report_view(&r, &kn_view_findings, &cx);
	}
	status = rp_finish(&r);
	kn_findings_clear(&f);
	if (status != 0)
		return status;
	return n > 0 ? 3 : 0;
}
