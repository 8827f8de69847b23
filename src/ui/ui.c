/* Placeholder console until the UI lands. */
#include "k8snet/log.h"
#include "k8snet/ui.h"

int
kn_ui_run(struct kn_app *app)
{
	(void)app;
	kn_error("the console is not built yet");
	return 1;
}
