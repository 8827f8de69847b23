/* --anonymize for API objects: rewrite a cJSON object's names and
 * addresses with pseudonyms (anon.h), leaving Kubernetes' vocabulary
 * (kind, type, phase, protocol, condition status ...) as it is. */
#ifndef K8SNET_ANON_JSON_H
#define K8SNET_ANON_JSON_H

#include <cjson/cJSON.h>

#include "k8snet/anon.h"

/* Rewrite obj in place (string values only; keys stay). */
void kn_anon_json(struct kn_anon *a, cJSON *obj);

#endif
