/* The event loop's curl side, for the Kube-API client (src/kube/khttp.c)
 * alone: the multi handle the loop polls, and the callback for finished
 * transfers. Kept out of loop.h so that the loop's other users do not
 * pull in <curl/curl.h>. */
#ifndef K8SNET_LOOP_CURL_H
#define K8SNET_LOOP_CURL_H

#include <curl/curl.h>

#include "k8snet/loop.h"

/* The multi handle the Kube-API client adds its transfers to (borrowed). */
CURLM *kn_loop_curl(struct kn_loop *l);

/* Called after curl progress for each finished transfer (from
 * curl_multi_info_read); the callback may remove and add easy handles. */
typedef void (*kn_curl_done_cb)(CURLMsg *msg, void *arg);
void kn_loop_set_curl_done(struct kn_loop *l, kn_curl_done_cb cb, void *arg);

#endif
