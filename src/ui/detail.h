/* Helpers shared by the panes' detail views (src/ui/detail.c). */
#ifndef K8SNET_UI_DETAIL_H
#define K8SNET_UI_DETAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "k8snet/model.h"
#include "k8snet/model_query.h"
#include "pane.h"

/* "ready" / "not ready" / "not an endpoint". */
const char *kn_detail_ep_state(enum kn_ep_state st);

/* Role of a pod line: error for failing, warning for not ready. */
enum kn_role kn_detail_pod_role(const struct kn_pod *pod);

/* "host/path" of an ingress path ("*" for any host, "(default)"). */
const char *kn_detail_ing_where(const struct kn_ing_path *ip, char *buf,
				size_t n);

/* Where service port sp sends traffic: "targetPort http = 8080 (from
 * the EndpointSlice)", "targetPort 8080", or why it cannot resolve.
 * Returns the role to draw it in. */
enum kn_role kn_detail_target(const struct kn_model *m,
			      const struct kn_service *svc,
			      const struct kn_svc_port *sp, char *buf,
			      size_t n);

/* Bytes of a head line shown before it is cut with "... (+N bytes)". */
#define KN_DETAIL_HEAD_LINE 200

/* The kept HTTP head head[0..len) ('\n'-terminated lines of raw wire
 * bytes, see kn_txn_heads), one detail line per head line prefixed with
 * indent: escaped, long lines cut with a marker, a truncated head
 * followed by a note. */
void kn_detail_http_head(struct kn_lines *out, const char *head, size_t len,
			 bool trunc, const char *indent);

/* One line per DNS record: "  TYPE  NAME  VALUE". */
void kn_detail_records(struct kn_lines *out, const struct kn_dnsrecs *r,
		       const char *indent);

/* Every endpoint of svc: address, ready state, pod (status) and node,
 * each prefixed with prefix (tree drawing). */
void kn_detail_endpoints(const struct kn_model *m, const struct kn_service *svc,
			 struct kn_lines *out, const char *prefix);

/* The lookup as a dig-like explanation. */
void kn_detail_lookup(const struct kn_lookup *l, struct kn_lines *out);

#endif
