/* Placeholder cluster source. */
#include "k8snet/source.h"

enum kn_err
kn_source_open(struct kn_app *app, char *errbuf)
{
	(void)app;
	(void)errbuf;
	return KN_OK;
}

void
kn_source_close(struct kn_app *app)
{
	(void)app;
}
