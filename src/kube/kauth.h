/* Kube-API credentials: static tokens, token files that rotate, basic
 * auth, client certificates, OIDC id-tokens and exec credential plugins
 * (client.authentication.k8s.io/v1 and v1beta1).
 *
 * Credentials stay in memory: never logged, printed or written to disk. */
#ifndef K8SNET_KAUTH_H
#define K8SNET_KAUTH_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "k8snet/err.h"
#include "kubeconfig.h"

#define KAUTH_MAX_EXEC_OUTPUT (1u << 20)

/* What an ExecCredential's status gave. */
struct kauth_cred {
	char *token;
	struct kc_blob cert, key; /* PEM */
	time_t expires;		  /* 0: no expirationTimestamp */
};

/* Parse a plugin's stdout (pure; for the fuzzer). want_api_version is the
 * kubeconfig's exec.apiVersion (NULL: accept v1 and v1beta1). On success
 * out is filled (kauth_cred_release). KN_ERR_PARSE says what is wrong,
 * never echoing credential text. */
enum kn_err kauth_parse_execcred(const char *json, size_t len,
				 const char *want_api_version,
				 struct kauth_cred *out, char *errbuf);
void kauth_cred_release(struct kauth_cred *c);

/* RFC 3339 time ("2024-05-01T10:00:00Z", fraction and offset allowed) to
 * seconds since the epoch; false when malformed. */
bool kauth_parse_rfc3339(const char *s, time_t *out);

/* The credentials to put on a request (borrowed from struct kauth; valid
 * until the next kauth_current or kauth_free). */
struct kauth_view {
	const char *bearer;		  /* NULL: none */
	const char *username, *password;  /* basic auth */
	const struct kc_blob *cert, *key; /* in-memory client cert */
	const char *cert_file, *key_file; /* client cert from files */
};

struct kauth;

/* Borrows kc (must outlive the kauth). */
struct kauth *kauth_new(const struct kubeconfig *kc);
void kauth_free(struct kauth *a);

/* Fill v with current credentials: re-reads a token file when it changed,
 * runs the exec plugin when there is no cached credential or it expired,
 * or when refresh is set (after a 401). Errors name the plugin, the user
 * and the file, and include the plugin's installHint when it is missing. */
enum kn_err kauth_current(struct kauth *a, bool refresh, struct kauth_view *v,
			  char *errbuf);

/* True when a 401 can be retried after kauth_current(refresh): an exec
 * plugin or a token file is configured. */
bool kauth_can_refresh(const struct kauth *a);

struct execbroker_req;

/* The exec plugin's argv and environment (borrowed from a; valid until
 * kauth_free), built on first use: the first run under root fixes the
 * invoking user's HOME and PATH. KN_ERR_NOTFOUND when the user has no exec
 * plugin, KN_ERR_NOMEM. */
enum kn_err kauth_exec_request(struct kauth *a, struct execbroker_req *req);

/* Short description of the auth mode for the header and logs ("token",
 * "client-cert", "exec:aws", ...); never the credential. */
const char *kauth_mode(const struct kauth *a);

#endif
