/* A bump arena for cJSON trees that are parsed, read and dropped whole
 * (a snapshot item, a watch event, a list page): cJSON makes one
 * allocation per node, and malloc/free of those was a quarter of a
 * snapshot load, a third of applying a watch event and half of listing.
 * One arena for the process: one thread owns the loop, the model and
 * every parse. */
#ifndef K8SNET_JSONARENA_H
#define K8SNET_JSONARENA_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* From here cJSON allocates from the arena; cJSON_Delete on its trees is
 * a no-op (do not mix them with trees made while the arena was off). */
void kn_json_arena_on(void);
/* cJSON allocates with malloc again; arena trees stay valid. */
void kn_json_arena_off(void);
/* Drop every arena tree; keep blocks (up to a cap) for the next (all:
 * free them too). Ignores holds: for a caller that owns every tree. */
void kn_json_arena_reset(bool all);

/* Parse text[0..len) into the arena and hold the tree (also when the
 * parse fails: NULL is returned and one hold is still taken). end, when
 * not NULL, gets cJSON's parse end (the error position on failure).
 * The tree stays valid until its hold is dropped; never cJSON_Delete it.
 */
cJSON *kn_json_arena_parse(const char *text, size_t len, const char **end);
/* Drop one hold; when none is left the arena is rewound, keeping its
 * blocks (up to a cap) for the next parse. */
void kn_json_arena_drop(void);
/* With no hold left, give every kept block back to malloc (after a burst
 * of large trees, such as a list, so that the process does not keep
 * them). */
void kn_json_arena_trim(void);

#endif
