/* Snapshot files: `kubectl get ... -o json` output (a v1 List of mixed
 * kinds, any *List, a single object, or several such documents in a row)
 * loaded into the model one object at a time.
 *
 * The top-level "items" array is split into objects by a bounded,
 * string-aware scanner and each object is parsed alone, so memory follows
 * the largest object, not the file. */
#ifndef K8SNET_SNAPSHOT_H
#define K8SNET_SNAPSHOT_H

#include <stddef.h>
#include <stdio.h>

#include "k8snet/err.h"
#include "k8snet/model.h"

#define KN_SNAPSHOT_MAX_OBJECT (64u << 20) /* one object's text */

struct kn_snapshot_stats {
	size_t objects; /* items seen */
	size_t applied; /* put into (or ignored by) the model */
	size_t bad;	/* malformed items, skipped */
	size_t unknown; /* kinds the model does not keep */
};

/* Called once per bad item with a message naming the file, the item and
 * the JSON path or byte offset. */
typedef void (*kn_snapshot_warn_cb)(void *arg, const char *msg);

/* Load from f (borrowed, read to its end); name is used in messages.
 * Bad items are counted in st and passed to warn (may be NULL); a file
 * that is not JSON, or whose structure breaks off, gives KN_ERR_PARSE
 * with "NAME: byte offset N: ..." in errbuf (objects before the fault stay
 * loaded). */
enum kn_err kn_snapshot_load_file(struct kn_model *m, FILE *f, const char *name,
				  struct kn_snapshot_stats *st,
				  kn_snapshot_warn_cb warn, void *arg,
				  char *errbuf);
/* The same over a buffer (borrowed). */
enum kn_err kn_snapshot_load_mem(struct kn_model *m, const char *p, size_t len,
				 const char *name, struct kn_snapshot_stats *st,
				 kn_snapshot_warn_cb warn, void *arg,
				 char *errbuf);
/* An object's name or namespace as a warning may show it: a pseudonym
 * under --anonymize, like everything else the console prints. */
const char *kn_snapshot_name(const struct kn_model *m, const char *s);

/* `kubectl get -o yaml` output in p[0..len) (borrowed): bad items are
 * reported as "NAME:LINE: Kind ns/name: why"; text that is not YAML gives
 * KN_ERR_PARSE with "NAME:LINE:COL: ..." (snapshot_yaml.c). */
enum kn_err kn_snapshot_load_yaml(struct kn_model *m, const char *p, size_t len,
				  const char *name,
				  struct kn_snapshot_stats *st,
				  kn_snapshot_warn_cb warn, void *arg,
				  char *errbuf);

#endif
