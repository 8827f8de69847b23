/* --anonymize for captured transactions (see anon.h). Private to
 * src/capture (and its unit test). */
#ifndef K8SNET_ANON_TXN_H
#define K8SNET_ANON_TXN_H

#include "k8snet/anon.h"
#include "k8snet/txn.h"

/* Rewrite t's addresses and names with pseudonyms, in place. An HTTP
 * transaction's heads are rewritten into scratch (KN_TXN_HEADS_MAX bytes,
 * caller-owned) and t points there: the request target mapped as the
 * path is, Host as the host, credentials stay redacted, the values of a
 * short list of fields that name nothing (Content-Type, Content-Length
 * ...) kept, every other value (Referer, X-Forwarded-For, User-Agent ...)
 * replaced by "<anonymized N bytes>", the status line's reason dropped.
 * scratch NULL: the heads are left out. */
void kn_anon_txn(struct kn_anon *a, struct kn_txn *t,
		 struct kn_txn_heads *scratch);

#endif
