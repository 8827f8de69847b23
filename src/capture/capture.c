/* Placeholder capture entry until the capture engine lands. */
#include "k8snet/capture.h"

enum kn_err
kn_capture_start(struct kn_app *app, char *errbuf)
{
	if (app->opts.read_file || app->opts.interface)
		return kn_errf(errbuf, KN_ERR_UNSUPPORTED,
			       "capture is not built yet");
	return KN_OK;
}

void
kn_capture_stop(struct kn_app *app)
{
	(void)app;
}
