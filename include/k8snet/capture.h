/* Packet capture (live -i or file -r) feeding decoders and transactions. */
#ifndef K8SNET_CAPTURE_H
#define K8SNET_CAPTURE_H

#include "k8snet/app.h"
#include "k8snet/err.h"

/* Open the capture chosen by app->opts (-i, -r, --demo traffic) into
 * app->capture; with none chosen leaves it NULL and returns KN_OK. */
enum kn_err kn_capture_start(struct kn_app *app, char *errbuf);
void kn_capture_stop(struct kn_app *app);

#endif
