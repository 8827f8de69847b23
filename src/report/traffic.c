/* Placeholder traffic report until the capture engine lands. */
#include "k8snet/log.h"
#include "k8snet/report_traffic.h"

int
kn_report_traffic(struct kn_app *app, FILE *out)
{
	(void)app;
	(void)out;
	kn_error("traffic reports are not built yet");
	return 1;
}
