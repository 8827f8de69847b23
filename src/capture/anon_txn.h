/* --anonymize for captured transactions (see anon.h). Private to
 * src/capture (and its unit test). */
#ifndef K8SNET_ANON_TXN_H
#define K8SNET_ANON_TXN_H

#include "k8snet/anon.h"
#include "k8snet/txn.h"

/* Bytes of the text scratch kn_anon_txn needs: a path or the answers. */
#define KN_ANON_TEXT                                                           \
	(KN_TXN_PATH > KN_TXN_ANSWERS ? KN_TXN_PATH : KN_TXN_ANSWERS)

/* Rewrite t's addresses and names with pseudonyms (t is a copy: the
 * strings it points to are not written). An HTTP transaction's heads
 * are rewritten into scratch (KN_TXN_HEADS_MAX bytes, caller-owned) and
 * t points there: the request target mapped as the path is, Host as the
 * host, credentials stay redacted, the values of a short list of fields
 * that name nothing (Content-Type, Content-Length ...) kept, every other
 * value (Referer, X-Forwarded-For, User-Agent ...) replaced by
 * "<anonymized N bytes>", the status line's reason dropped. scratch
 * NULL: the heads are left out. The path or the answer texts are
 * rewritten into text (KN_ANON_TEXT bytes, caller-owned) and t points
 * there; text NULL: they are left out. */
void kn_anon_txn(struct kn_anon *a, struct kn_txn *t,
		 struct kn_txn_heads *scratch, char *text);

#endif
