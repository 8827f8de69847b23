/* The cJSON bump arena (see jsonarena.h). cJSON's hooks carry no context,
 * so the arena is reached through this file-local pointer. */
#include <stddef.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "jsonarena.h"

#define KN_ARENA_BLOCK (256u << 10)

struct kn_arena_blk {
	struct kn_arena_blk *next;
	size_t used, size;
	max_align_t data[];
};

static struct kn_arena_blk *kn_arena;

static void *
arena_malloc(size_t n)
{
	struct kn_arena_blk *b = kn_arena;
	size_t need = (n + 15) & ~(size_t)15, size;

	if (b == NULL || b->size - b->used < need) {
		size = need > KN_ARENA_BLOCK ? need : KN_ARENA_BLOCK;
		b = malloc(sizeof(*b) + size);
		if (b == NULL)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = kn_arena;
		kn_arena = b;
	}
	b->used += need;
	return (char *)b->data + b->used - need;
}

static void
arena_free(void *p)
{
	(void)p; /* released all at once by kn_json_arena_reset */
}

void
kn_json_arena_on(void)
{
	cJSON_Hooks h = {arena_malloc, arena_free};

	cJSON_InitHooks(&h);
}

void
kn_json_arena_off(void)
{
	cJSON_InitHooks(NULL);
}

void
kn_json_arena_reset(bool all)
{
	struct kn_arena_blk *b = kn_arena, *next;

	if (b == NULL)
		return;
	for (next = b->next; next != NULL; next = b) {
		b = next->next;
		free(next);
	}
	kn_arena->next = NULL;
	kn_arena->used = 0;
	if (all) {
		free(kn_arena);
		kn_arena = NULL;
	}
}
