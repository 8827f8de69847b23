/* The cJSON bump arena (see jsonarena.h). cJSON's hooks carry no context,
 * so the arena is reached through these file-local pointers. */
#include <stddef.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "jsonarena.h"

#define KN_ARENA_BLOCK (256u << 10)
/* Rewound blocks kept for the next tree: a page of 500 pods makes a
 * tree of a few MB; past this the blocks go back to malloc. */
#define KN_ARENA_KEEP (32u << 20)

struct kn_arena_blk {
	struct kn_arena_blk *next;
	size_t used, size;
	max_align_t data[];
};

static struct kn_arena_blk *kn_arena; /* in use, newest first */
static struct kn_arena_blk *kn_spare; /* rewound, of KN_ARENA_BLOCK */
static size_t kn_spare_bytes;
static unsigned kn_holds;

static void *
arena_malloc(size_t n)
{
	struct kn_arena_blk *b = kn_arena;
	size_t need = (n + 15) & ~(size_t)15, size;

	if (b == NULL || b->size - b->used < need) {
		if (need <= KN_ARENA_BLOCK && kn_spare != NULL) {
			b = kn_spare;
			kn_spare = b->next;
			kn_spare_bytes -= b->size;
		} else {
			size = need > KN_ARENA_BLOCK ? need : KN_ARENA_BLOCK;
			b = malloc(sizeof(*b) + size);
			if (b == NULL)
				return NULL;
			b->size = size;
		}
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
	(void)p; /* released all at once by a reset or the last drop */
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

static void
arena_free_list(struct kn_arena_blk *b)
{
	struct kn_arena_blk *next;

	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
}

/* Every block in use goes to the spare list (blocks of the usual size,
 * up to KN_ARENA_KEEP) or back to malloc. */
static void
arena_rewind(void)
{
	struct kn_arena_blk *b, *next;

	for (b = kn_arena; b != NULL; b = next) {
		next = b->next;
		if (b->size == KN_ARENA_BLOCK &&
		    kn_spare_bytes + b->size <= KN_ARENA_KEEP) {
			b->next = kn_spare;
			kn_spare = b;
			kn_spare_bytes += b->size;
		} else {
			free(b);
		}
	}
	kn_arena = NULL;
}

void
kn_json_arena_reset(bool all)
{
	arena_rewind();
	if (all) {
		arena_free_list(kn_spare);
		kn_spare = NULL;
		kn_spare_bytes = 0;
	}
}

cJSON *
kn_json_arena_parse(const char *text, size_t len, const char **end)
{
	cJSON *root;

	kn_holds++;
	kn_json_arena_on();
	root = cJSON_ParseWithLengthOpts(text, len, end, false);
	kn_json_arena_off();
	return root;
}

void
kn_json_arena_drop(void)
{
	if (kn_holds > 0 && --kn_holds == 0)
		arena_rewind();
}

void
kn_json_arena_trim(void)
{
	if (kn_holds > 0)
		return;
	kn_json_arena_reset(true);
}
