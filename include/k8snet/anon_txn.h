/* --anonymize for captured transactions (see anon.h). */
#ifndef K8SNET_ANON_TXN_H
#define K8SNET_ANON_TXN_H

#include "k8snet/anon.h"
#include "k8snet/txn.h"

/* Rewrite t's addresses and names with pseudonyms, in place. */
void kn_anon_txn(struct kn_anon *a, struct kn_txn *t);

#endif
