/* A bump arena for cJSON trees that are parsed, read and dropped whole
 * (a snapshot item, a watch event): cJSON makes one allocation per node,
 * and malloc/free of those was a quarter of a snapshot load and a third
 * of applying a watch event. One arena for the process: one thread owns
 * the loop, the model and every parse. */
#ifndef K8SNET_JSONARENA_H
#define K8SNET_JSONARENA_H

#include <stdbool.h>

/* From here cJSON allocates from the arena; cJSON_Delete on its trees is
 * a no-op (do not mix them with trees made while the arena was off). */
void kn_json_arena_on(void);
/* cJSON allocates with malloc again; arena trees stay valid. */
void kn_json_arena_off(void);
/* Drop every arena tree; keep the newest block for the next (all: free
 * it too). */
void kn_json_arena_reset(bool all);

#endif
