/* Placeholder --once report dispatcher. */
#include "k8snet/log.h"
#include "k8snet/report.h"

int
kn_report_run(struct kn_app *app, FILE *out)
{
	(void)app;
	(void)out;
	kn_error("reports are not built yet");
	return 1;
}
