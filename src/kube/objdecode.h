/* Kubernetes API objects (JSON, one at a time) decoded into the model.
 *
 * The same path serves snapshot files, the demo and the live watch: an
 * object is decoded into one compact block (cJSON is only borrowed, never
 * kept) and put into the model, or deleted from it. */
#ifndef K8SNET_OBJDECODE_H
#define K8SNET_OBJDECODE_H

#include <cjson/cJSON.h>

#include "k8snet/err.h"
#include "k8snet/model.h"

enum kn_watch_event { KN_EV_ADDED, KN_EV_MODIFIED, KN_EV_DELETED };

/* Decode one object (borrowed; list/watch items lack "kind", so kind is
 * passed: a Kind of the model's registry, kn_kind_info(), such as "Pod";
 * NULL means read obj["kind"]) and apply it to the model. Unknown kinds
 * are counted and ignored (KN_OK). A malformed object gives KN_ERR_PARSE
 * with the JSON path in errbuf (KN_ERRBUF bytes), and changes nothing;
 * so does a failed allocation, with KN_ERR_NOMEM ("out of memory").
 * ConfigMaps other than CoreDNS's ("coredns") and kube-proxy's are not
 * kept. */
enum kn_err kn_objdecode_apply(struct kn_model *m, enum kn_watch_event ev,
			       const char *kind, const cJSON *obj,
			       char *errbuf);

/* The same for an object planned from manifests (ADDED): it is marked
 * planned (struct kn_obj.planned). From then on kn_objdecode_apply leaves
 * every planned object as it is (the manifests stay on top of what a
 * live source reports), and relists keep them. */
enum kn_err kn_objdecode_plan(struct kn_model *m, const char *kind,
			      const cJSON *obj, char *errbuf);

/* Relist: objects of kind not applied between begin and end are deleted.
 * Unknown kinds are ignored. */
void kn_objdecode_list_begin(struct kn_model *m, const char *kind);
void kn_objdecode_list_end(struct kn_model *m, const char *kind);

/* Kind of a list from its own kind, by the registry: "PodList" -> "Pod",
 * "List" -> NULL (items carry their kind). Returns a static string or
 * NULL. */
const char *kn_objdecode_item_kind(const char *list_kind);

#endif
