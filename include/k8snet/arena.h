/* A bump arena of blocks: many small allocations freed all at once (the
 * string table, a table's rows, a view's derived data). Allocation
 * aborts on out of memory (kn_xmalloc); decoders use the cJSON arena
 * (kube/jsonarena) instead. */
#ifndef K8SNET_ARENA_H
#define K8SNET_ARENA_H

#include <stddef.h>

struct kn_arena_block;

struct kn_arena {
	struct kn_arena_block *blocks; /* newest first */
	size_t block;		       /* usual block size */
	size_t bytes;		       /* held, headers included */
};

/* An empty arena whose blocks hold block bytes (larger requests get a
 * block of their own). Nothing is allocated yet. */
void kn_arena_init(struct kn_arena *a, size_t block);
/* Free every block. */
void kn_arena_release(struct kn_arena *a);
/* Forget every allocation, keeping the newest block for reuse. */
void kn_arena_clear(struct kn_arena *a);
/* n bytes aligned to align (a power of two, at most
 * _Alignof(max_align_t)); uninitialised. */
void *kn_arena_alloc(struct kn_arena *a, size_t n, size_t align);
/* A copy of the n bytes at s followed by a NUL. */
char *kn_arena_strndup(struct kn_arena *a, const char *s, size_t n);

#endif
