/* The bump arena (see arena.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/arena.h"

struct kn_arena_block {
	struct kn_arena_block *next;
	size_t used, size;
	max_align_t data[];
};

void
kn_arena_init(struct kn_arena *a, size_t block)
{
	a->blocks = NULL;
	a->block = block;
	a->bytes = 0;
}

static void
free_from(struct kn_arena *a, struct kn_arena_block *b)
{
	struct kn_arena_block *next;

	for (; b != NULL; b = next) {
		next = b->next;
		a->bytes -= sizeof(*b) + b->size;
		free(b);
	}
}

void
kn_arena_release(struct kn_arena *a)
{
	free_from(a, a->blocks);
	a->blocks = NULL;
}

void
kn_arena_clear(struct kn_arena *a)
{
	if (a->blocks == NULL)
		return;
	free_from(a, a->blocks->next);
	a->blocks->next = NULL;
	a->blocks->used = 0;
}

void *
kn_arena_alloc(struct kn_arena *a, size_t n, size_t align)
{
	struct kn_arena_block *b = a->blocks;
	size_t at = 0, size;

	if (b != NULL)
		at = (b->used + align - 1) & ~(align - 1);
	if (b == NULL || at > b->size || b->size - at < n) {
		size = n > a->block ? n : a->block;
		b = kn_xmalloc(sizeof(*b) + size);
		b->size = size;
		b->next = a->blocks;
		a->blocks = b;
		a->bytes += sizeof(*b) + size;
		at = 0;
	}
	b->used = at + n;
	return (char *)b->data + at;
}

char *
kn_arena_strndup(struct kn_arena *a, const char *s, size_t n)
{
	char *p = kn_arena_alloc(a, n + 1, 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
