/* Kube-API HTTP client: GET requests as libcurl easy handles on the
 * loop's multi handle. HTTP/2 when the server offers it (all requests
 * multiplexed on one connection), HTTP/1.1 otherwise; compressed bodies
 * accepted; User-Agent k8snet-top/VERSION. It can only send GET. */
#ifndef K8SNET_KHTTP_H
#define K8SNET_KHTTP_H

#include <stdbool.h>
#include <stdint.h>

#include <curl/curl.h>

#include "k8snet/err.h"
#include "k8snet/loop.h"
#include "kauth.h"
#include "kubeconfig.h"

struct khttp;
struct khttp_req;

struct khttp_result {
	CURLcode curl;		 /* CURLE_OK: the response arrived whole */
	long status;		 /* HTTP status; 0 when none arrived */
	int retry_after;	 /* Retry-After seconds; -1 when absent */
	bool aborted;		 /* the data callback stopped the transfer */
	bool auth_stale;	 /* 401 with credentials older than current */
	char reason[32];	 /* Status reason ("Expired", "Forbidden") */
	char message[KN_ERRBUF]; /* for humans: Status message or TLS/net
				  * error naming the server and the file */
};

/* Body bytes of a 2xx response. Return false to abort the transfer. */
typedef bool (*khttp_data_cb)(void *arg, const char *p, size_t n);
/* The request finished (it is freed after this returns). */
typedef void (*khttp_done_cb)(void *arg, const struct khttp_result *r);

struct khttp_stats {
	uint64_t requests, bytes, http2_responses, errors;
};

/* Borrows loop, kc and auth (they must outlive the client) and installs
 * itself as the loop's curl-done hook. */
struct khttp *khttp_new(struct kn_loop *loop, const struct kubeconfig *kc,
			struct kauth *auth, char *errbuf);
/* Cancels every request without calling their done callbacks. */
void khttp_free(struct khttp *h);

/* --request-timeout: no connect, and no request with a timeout (a list
 * page), takes longer than ms; watches are not limited. 0: the defaults
 * (connect 15 s, the caller's timeouts). */
void khttp_set_request_timeout(struct khttp *h, long ms);

/* Start GET of path (with query, beginning with '/'). timeout_ms 0 means
 * none (watches); with one, a transfer slower than 100 bytes/s for the
 * stall window (30 s, or K8SNET_KUBE_STALL) is given up as timed out.
 * Credentials come from kauth_current at this moment. */
struct khttp_req *khttp_get(struct khttp *h, const char *path, long timeout_ms,
			    khttp_data_cb data, khttp_done_cb done, void *arg,
			    char *errbuf);
/* HTTP/2 stream weight (1-256, default 16): the server shares the
 * connection's bandwidth among streams by weight. Takes effect at once
 * on a stream already open (a PRIORITY frame); no effect on HTTP/1.1. */
void khttp_set_weight(struct khttp_req *r, int weight);
/* Stop a request; its done callback is not called. */
void khttp_cancel(struct khttp_req *r);

/* After a 401: refresh credentials (re-run the exec plugin, re-read the
 * token file) unless a newer refresh already happened. */
enum kn_err khttp_refresh_auth(struct khttp *h, char *errbuf);

const struct khttp_stats *khttp_stats(const struct khttp *h);

/* How long a watch may go without a complete event line (BOOKMARKs
 * included) before it counts as stalled: 180 s, or K8SNET_KUBE_STALL. */
uint64_t khttp_watch_stall_ms(const struct khttp *h);

/* Percent-encode s for a query value into out (size n). */
void khttp_query_escape(const char *s, char *out, size_t n);

#endif
