/* Kube-API HTTP client over libcurl multi (GET only).
 *
 * TLS: the cluster's CA (file or in-memory blob), client certificates as
 * files or in-memory blobs (CURLOPT_SSLCERT_BLOB/SSLKEY_BLOB; never on
 * disk), tls-server-name by connecting the request host to the server's
 * address (so SNI and verification use the name), insecure-skip-tls-verify
 * honoured. Proxies: proxy-url, else libcurl's https_proxy/no_proxy
 * environment handling. Error bodies are read up to KHTTP_MAX_ERRBODY.
 *
 * Stalls: a request with a timeout (a list page) is also given up when
 * it moves fewer than KHTTP_LOW_SPEED bytes/s for the stall window
 * (libcurl's low-speed limit), so a server that trickles is not waited
 * on for the whole timeout. Watches have no byte floor (an idle watch is
 * silent); the informer watches for missing events instead, with the
 * window khttp_watch_stall_ms gives. K8SNET_KUBE_STALL=SECONDS replaces
 * both windows (the tests use a short one). */
#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "k8snet/buf.h"
#include "k8snet/loop_curl.h"
#include "k8snet/version.h"
#include "khttp.h"

#define KHTTP_MAX_ERRBODY (64 * 1024)
#define KHTTP_CONNECT_TIMEOUT_MS 15000L
#define KHTTP_LOW_SPEED 100L   /* bytes/s a list must keep up */
#define KHTTP_LIST_STALL_S 30L /* ... over this many seconds */
/* kube-apiserver sends a BOOKMARK about every minute to watches that
 * allow them; three minutes without any event line is a dead stream. */
#define KHTTP_WATCH_STALL_S 180L
#define KHTTP_STALL_MAX_S 3600L
/* A list page (megabytes) is read in pieces of this size rather than
 * libcurl's 16 KB: fewer write callbacks, and over HTTP/2 fewer pauses of
 * the stream while its buffer is full. */
#define KHTTP_LIST_BUFFER (256L << 10)

struct khttp {
	struct kn_loop *loop;
	CURLM *multi;
	const struct kubeconfig *kc;
	struct kauth *auth;
	char *base; /* server URL without trailing '/' */
	struct curl_slist *connect_to;
	struct khttp_req *reqs; /* live requests */
	uint64_t auth_gen;
	long list_stall_s, watch_stall_s;
	long request_timeout_ms; /* --request-timeout, 0: the defaults */
	struct khttp_stats stats;
};

struct khttp_req {
	struct khttp *h;
	struct khttp_req *next, *prev;
	CURL *easy;
	struct curl_slist *headers;
	khttp_data_cb data;
	khttp_done_cb done;
	void *arg;
	long status;
	int retry_after;
	bool aborted;
	uint64_t auth_gen;
	struct kn_buf errbody;
	char *path; /* for messages */
	char curlerr[CURL_ERROR_SIZE];
};

static void khttp_on_done(CURLMsg *msg, void *arg);

void
khttp_query_escape(const char *s, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	if (n == 0)
		return;
	for (; *s != '\0' && o + 4 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

/* With tls-server-name, requests go to https://NAME:PORT and curl connects
 * NAME:PORT to the real host:port. */
static enum kn_err
khttp_base(struct khttp *h, char *errbuf)
{
	const struct kubeconfig *kc = h->kc;
	char *host = NULL, *port = NULL, *url = NULL, cto[600];
	CURLU *u = curl_url();
	size_t n;
	enum kn_err e = KN_OK;

	if (u == NULL)
		return KN_ERR_NOMEM;
	if (curl_url_set(u, CURLUPART_URL, kc->server, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		e = kn_errf(errbuf, KN_ERR_PARSE,
			    "%s: server \"%s\" (cluster \"%s\") is not a URL",
			    kc->origin ? kc->origin : "-", kc->server,
			    kc->cluster_name ? kc->cluster_name : "-");
		goto out;
	}
	if (kc->tls_server_name != NULL &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
		    CURLUE_OK) {
		snprintf(cto, sizeof(cto), "%s:%s:%s:%s", kc->tls_server_name,
			 port, host, port);
		h->connect_to = curl_slist_append(NULL, cto);
		curl_url_set(u, CURLUPART_HOST, kc->tls_server_name, 0);
	}
	if (curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK) {
		e = KN_ERR_NOMEM;
		goto out;
	}
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		url[--n] = '\0';
	h->base = strdup(url);
	if (h->base == NULL)
		e = KN_ERR_NOMEM;
out:
	curl_free(host);
	curl_free(port);
	curl_free(url);
	curl_url_cleanup(u);
	return e;
}

/* K8SNET_KUBE_STALL: whole seconds, 1 to KHTTP_STALL_MAX_S; else 0. */
static long
khttp_stall_env(void)
{
	const char *s = getenv("K8SNET_KUBE_STALL");
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 1 || v > KHTTP_STALL_MAX_S)
		return 0;
	return v;
}

struct khttp *
khttp_new(struct kn_loop *loop, const struct kubeconfig *kc, struct kauth *auth,
	  char *errbuf)
{
	struct khttp *h = calloc(1, sizeof(*h));

	if (h == NULL) {
		kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
		return NULL;
	}
	h->loop = loop;
	h->multi = kn_loop_curl(loop);
	h->kc = kc;
	h->auth = auth;
	h->auth_gen = 1;
	h->list_stall_s = KHTTP_LIST_STALL_S;
	h->watch_stall_s = KHTTP_WATCH_STALL_S;
	if (khttp_stall_env() > 0)
		h->list_stall_s = h->watch_stall_s = khttp_stall_env();
	if (khttp_base(h, errbuf) != KN_OK) {
		curl_slist_free_all(h->connect_to);
		free(h);
		return NULL;
	}
	curl_multi_setopt(h->multi, CURLMOPT_PIPELINING,
			  (long)CURLPIPE_MULTIPLEX);
	kn_loop_set_curl_done(loop, khttp_on_done, h);
	return h;
}

static void
khttp_req_free(struct khttp_req *r)
{
	struct khttp *h = r->h;

	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		h->reqs = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	curl_multi_remove_handle(h->multi, r->easy);
	curl_easy_cleanup(r->easy);
	/* the Authorization header is a credential: wipe before freeing */
	if (r->headers != NULL) {
		struct curl_slist *s;

		for (s = r->headers; s != NULL; s = s->next)
			if (strncmp(s->data, "Authorization:", 14) == 0) {
				volatile char *p = s->data;

				while (*p != '\0')
					*p++ = '\0';
			}
		curl_slist_free_all(r->headers);
	}
	kn_buf_release(&r->errbody);
	free(r->path);
	free(r);
}

void
khttp_cancel(struct khttp_req *r)
{
	if (r != NULL)
		khttp_req_free(r);
}

void
khttp_free(struct khttp *h)
{
	if (h == NULL)
		return;
	while (h->reqs != NULL)
		khttp_req_free(h->reqs);
	kn_loop_set_curl_done(h->loop, NULL, NULL);
	curl_slist_free_all(h->connect_to);
	free(h->base);
	free(h);
}

const struct khttp_stats *
khttp_stats(const struct khttp *h)
{
	return &h->stats;
}

uint64_t
khttp_watch_stall_ms(const struct khttp *h)
{
	return (uint64_t)h->watch_stall_s * 1000;
}

enum kn_err
khttp_refresh_auth(struct khttp *h, char *errbuf)
{
	struct kauth_view v;
	enum kn_err e;

	e = kauth_current(h->auth, true, &v, errbuf);
	if (e == KN_OK)
		h->auth_gen++;
	return e;
}

static size_t
khttp_write(char *p, size_t size, size_t nmemb, void *arg)
{
	struct khttp_req *r = arg;
	size_t n = size * nmemb;

	if (r->status == 0)
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
	r->h->stats.bytes += n;
	if (r->status >= 200 && r->status < 300) {
		if (!r->data(r->arg, p, n)) {
			r->aborted = true;
			return 0;
		}
		return n;
	}
	/* error bodies: keep the start (a Status object), drop the rest */
	if (r->errbody.len < KHTTP_MAX_ERRBODY) {
		size_t take = n;

		if (take > KHTTP_MAX_ERRBODY - r->errbody.len)
			take = KHTTP_MAX_ERRBODY - r->errbody.len;
		kn_buf_append(&r->errbody, p, take);
	}
	return n;
}

static size_t
khttp_header(char *p, size_t size, size_t nmemb, void *arg)
{
	struct khttp_req *r = arg;
	size_t n = size * nmemb;

	if (n > 12 && strncasecmp(p, "retry-after:", 12) == 0) {
		char tmp[32];
		size_t k = n - 12 < sizeof(tmp) - 1 ? n - 12 : sizeof(tmp) - 1;
		long v;
		char *end;

		memcpy(tmp, p + 12, k);
		tmp[k] = '\0';
		v = strtol(tmp, &end, 10);
		if (end != tmp && v >= 0 && v <= 86400)
			r->retry_after = (int)v;
	}
	return n;
}

static int
khttp_blob(CURL *c, CURLoption opt, const struct kc_blob *b)
{
	struct curl_blob blob;

	blob.data = b->data;
	blob.len = b->len;
	blob.flags = CURL_BLOB_COPY;
	return curl_easy_setopt(c, opt, &blob) == CURLE_OK ? 0 : -1;
}

void
khttp_set_request_timeout(struct khttp *h, long ms)
{
	h->request_timeout_ms = ms > 0 ? ms : 0;
}

struct khttp_req *
khttp_get(struct khttp *h, const char *path, long timeout_ms,
	  khttp_data_cb data, khttp_done_cb done, void *arg, char *errbuf)
{
	const struct kubeconfig *kc = h->kc;
	struct kauth_view v;
	struct khttp_req *r;
	struct kn_buf url, hdr;
	CURL *c;

	if (kauth_current(h->auth, false, &v, errbuf) != KN_OK)
		return NULL;
	r = calloc(1, sizeof(*r));
	c = curl_easy_init();
	if (r == NULL || c == NULL) {
		free(r);
		curl_easy_cleanup(c);
		kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
		return NULL;
	}
	r->h = h;
	r->easy = c;
	r->data = data;
	r->done = done;
	r->arg = arg;
	r->retry_after = -1;
	r->auth_gen = h->auth_gen;
	kn_buf_init(&r->errbody, KHTTP_MAX_ERRBODY);
	r->path = strdup(path);
	kn_buf_init(&url, 0);
	kn_buf_printf(&url, "%s%s", h->base, path);
	curl_easy_setopt(c, CURLOPT_URL, url.data);
	kn_buf_release(&url);
	curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	/* only GET: no redirects that could turn into anything else */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(c, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "k8snet-top/" KN_VERSION);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	if (h->request_timeout_ms > 0 && timeout_ms > h->request_timeout_ms)
		timeout_ms = h->request_timeout_ms;
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
			 h->request_timeout_ms > 0 &&
					 h->request_timeout_ms <
						 KHTTP_CONNECT_TIMEOUT_MS
				 ? h->request_timeout_ms
				 : KHTTP_CONNECT_TIMEOUT_MS);
	if (timeout_ms > 0) {
		curl_easy_setopt(c, CURLOPT_BUFFERSIZE, KHTTP_LIST_BUFFER);
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, KHTTP_LOW_SPEED);
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, h->list_stall_s);
	}
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->curlerr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, khttp_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, khttp_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_PRIVATE, r);
	if (h->connect_to != NULL)
		curl_easy_setopt(c, CURLOPT_CONNECT_TO, h->connect_to);
	if (kc->proxy_url != NULL)
		curl_easy_setopt(c, CURLOPT_PROXY, kc->proxy_url);
	if (kc->insecure) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	} else if (kc->ca_data.data != NULL) {
		khttp_blob(c, CURLOPT_CAINFO_BLOB, &kc->ca_data);
	} else if (kc->ca_file != NULL) {
		curl_easy_setopt(c, CURLOPT_CAINFO, kc->ca_file);
	}
	if (v.cert != NULL && v.cert->data != NULL) {
		curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
		khttp_blob(c, CURLOPT_SSLCERT_BLOB, v.cert);
		if (v.key != NULL && v.key->data != NULL) {
			curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
			khttp_blob(c, CURLOPT_SSLKEY_BLOB, v.key);
		}
	} else if (v.cert_file != NULL) {
		curl_easy_setopt(c, CURLOPT_SSLCERT, v.cert_file);
		if (v.key_file != NULL)
			curl_easy_setopt(c, CURLOPT_SSLKEY, v.key_file);
	}
	r->headers = curl_slist_append(NULL, "Accept: application/json");
	if (v.bearer != NULL) {
		kn_buf_init(&hdr, 0);
		kn_buf_printf(&hdr, "Authorization: Bearer %s", v.bearer);
		if (hdr.data != NULL) {
			r->headers = curl_slist_append(r->headers, hdr.data);
			memset(hdr.data, 0, hdr.len);
		}
		kn_buf_release(&hdr);
	} else if (v.username != NULL) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, v.username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, v.password);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, r->headers);
	r->next = h->reqs;
	if (h->reqs != NULL)
		h->reqs->prev = r;
	h->reqs = r;
	if (curl_multi_add_handle(h->multi, c) != CURLM_OK) {
		khttp_req_free(r);
		kn_errf(errbuf, KN_ERR_NET, "cannot start request");
		return NULL;
	}
	h->stats.requests++;
	kn_loop_wakeup(h->loop);
	return r;
}

void
khttp_set_weight(struct khttp_req *r, int weight)
{
	if (r != NULL)
		curl_easy_setopt(r->easy, CURLOPT_STREAM_WEIGHT, (long)weight);
}

/* Human text for a transport failure: what, where, and which setting. */
static void
khttp_curl_message(struct khttp_req *r, CURLcode cc, struct khttp_result *res)
{
	const struct kubeconfig *kc = r->h->kc;
	const char *detail =
		r->curlerr[0] ? r->curlerr : curl_easy_strerror(cc);
	const char *ctx = kc->context ? kc->context : "in-cluster";
	long sent = 0, verify = X509_V_OK, oserr = 0;

	switch (cc) {
	case CURLE_PEER_FAILED_VERIFICATION:
		curl_easy_getinfo(r->easy, CURLINFO_SSL_VERIFYRESULT, &verify);
		if (verify == X509_V_ERR_CERT_HAS_EXPIRED ||
		    verify == X509_V_ERR_CERT_NOT_YET_VALID) {
			kn_errf(res->message, KN_OK,
				"%s: the server's TLS certificate %s "
				"(context \"%s\"): %s",
				kc->server,
				verify == X509_V_ERR_CERT_HAS_EXPIRED
					? "has expired"
					: "is not valid yet",
				ctx, detail);
			break;
		}
		kn_errf(res->message, KN_OK,
			"%s: TLS certificate not trusted by %s%s (context "
			"\"%s\"): %s",
			kc->server,
			kc->ca_file	   ? "certificate-authority "
			: kc->ca_data.data ? "certificate-authority-data"
					   : "the system CAs",
			kc->ca_file ? kc->ca_file : "", ctx, detail);
		break;
	case CURLE_SSL_CONNECT_ERROR:
		kn_errf(res->message, KN_OK,
			"%s: TLS handshake failed (context \"%s\"; is it an "
			"HTTPS API server?): %s",
			kc->server, ctx, detail);
		break;
	case CURLE_SSL_CACERT_BADFILE:
		kn_errf(res->message, KN_OK,
			"certificate-authority %s (context \"%s\") "
			"unusable: %s",
			kc->ca_file ? kc->ca_file : "(data)", ctx, detail);
		break;
	case CURLE_SSL_CERTPROBLEM:
		kn_errf(res->message, KN_OK,
			"client certificate of user \"%s\" (context \"%s\") "
			"unusable: %s",
			kc->user_name ? kc->user_name : "-", ctx, detail);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		/* the request went out: the server is slow, not unreachable */
		curl_easy_getinfo(r->easy, CURLINFO_REQUEST_SIZE, &sent);
		if (sent > 0) {
			kn_errf(res->message, KN_OK,
				"%s%s timed out (context \"%s\"): %s",
				r->h->base, r->path ? r->path : "", ctx,
				detail);
			break;
		}
		__attribute__((fallthrough));
	case CURLE_COULDNT_CONNECT:
		/* the cause first (refused, no route), curl's text after */
		curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &oserr);
		if (oserr != 0) {
			kn_errf(res->message, KN_OK,
				"cannot reach %s (context \"%s\"): %s (%s)",
				kc->server, ctx, strerror((int)oserr), detail);
			break;
		}
		__attribute__((fallthrough));
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		kn_errf(res->message, KN_OK,
			"cannot reach %s (context \"%s\"): %s", kc->server, ctx,
			detail);
		break;
	default:
		kn_errf(res->message, KN_OK, "%s: %s", kc->server, detail);
	}
}

static void
khttp_status_message(struct khttp_req *r, struct khttp_result *res)
{
	cJSON *st = NULL;
	const cJSON *msg, *reason;

	if (r->errbody.len > 0)
		st = cJSON_ParseWithLength(r->errbody.data, r->errbody.len);
	msg = cJSON_GetObjectItemCaseSensitive(st, "message");
	reason = cJSON_GetObjectItemCaseSensitive(st, "reason");
	if (cJSON_IsString(reason))
		snprintf(res->reason, sizeof(res->reason), "%s",
			 reason->valuestring);
	if (cJSON_IsString(msg))
		kn_errf(res->message, KN_OK, "%s: HTTP %ld: %s",
			r->h->kc->server, res->status, msg->valuestring);
	else
		kn_errf(res->message, KN_OK, "%s: HTTP %ld", r->h->kc->server,
			res->status);
	cJSON_Delete(st);
}

static void
khttp_on_done(CURLMsg *msg, void *arg)
{
	struct khttp *h = arg;
	struct khttp_result res;
	struct khttp_req *r = NULL;
	long ver = 0;

	if (msg->msg != CURLMSG_DONE)
		return;
	curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
	if (r == NULL || r->h != h)
		return;
	memset(&res, 0, sizeof(res));
	res.curl = msg->data.result;
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &res.status);
	curl_easy_getinfo(r->easy, CURLINFO_HTTP_VERSION, &ver);
	if (ver == CURL_HTTP_VERSION_2_0)
		h->stats.http2_responses++;
	res.retry_after = r->retry_after;
	res.aborted = r->aborted;
	res.auth_stale = res.status == 401 && r->auth_gen != h->auth_gen;
	if (res.status != 0 && (res.status < 200 || res.status >= 300))
		khttp_status_message(r, &res);
	else if (res.curl != CURLE_OK && !res.aborted)
		khttp_curl_message(r, res.curl, &res);
	if (res.curl != CURLE_OK || res.status < 200 || res.status >= 300)
		h->stats.errors++;
	/* unlink first: the callback may start new requests */
	curl_multi_remove_handle(h->multi, r->easy);
	if (r->done != NULL)
		r->done(r->arg, &res);
	khttp_req_free(r);
}
