/* String interning: open-addressing hash set over arena-allocated strings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/arena.h"
#include "k8snet/intern.h"

#define KN_INTERN_BLOCK 65536

struct kn_intern {
	const char **slots;
	uint32_t *lens;
	size_t nslots, count;
	struct kn_arena strings;
};

unsigned long long
kn_hash_bytes(const void *p, size_t len)
{
	const unsigned char *s = p;
	unsigned long long h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

struct kn_intern *
kn_intern_new(void)
{
	struct kn_intern *in = kn_xcalloc(1, sizeof(*in));

	kn_arena_init(&in->strings, KN_INTERN_BLOCK);
	in->nslots = 1024;
	in->slots = kn_xcalloc(in->nslots, sizeof(*in->slots));
	in->lens = kn_xcalloc(in->nslots, sizeof(*in->lens));
	return in;
}

void
kn_intern_free(struct kn_intern *in)
{
	if (in == NULL)
		return;
	kn_arena_release(&in->strings);
	free(in->slots);
	free(in->lens);
	free(in);
}

static size_t
kn_intern_slot(const struct kn_intern *in, const char *s, size_t len)
{
	size_t mask = in->nslots - 1;
	size_t i = (size_t)kn_hash_bytes(s, len) & mask;

	while (in->slots[i] != NULL &&
	       (in->lens[i] != len || memcmp(in->slots[i], s, len) != 0))
		i = (i + 1) & mask;
	return i;
}

static void
kn_intern_grow(struct kn_intern *in)
{
	const char **old = in->slots;
	uint32_t *oldlens = in->lens;
	size_t oldn = in->nslots, i, j;

	in->nslots *= 2;
	in->slots = kn_xcalloc(in->nslots, sizeof(*in->slots));
	in->lens = kn_xcalloc(in->nslots, sizeof(*in->lens));
	for (i = 0; i < oldn; i++) {
		if (old[i] == NULL)
			continue;
		j = kn_intern_slot(in, old[i], oldlens[i]);
		in->slots[j] = old[i];
		in->lens[j] = oldlens[i];
	}
	free(old);
	free(oldlens);
}

const char *
kn_intern_find(const struct kn_intern *in, const char *s, size_t len)
{
	return in->slots[kn_intern_slot(in, s, len)];
}

const char *
kn_intern_n(struct kn_intern *in, const char *s, size_t len)
{
	size_t i;
	char *copy;

	if (len > UINT32_MAX)
		len = UINT32_MAX;
	i = kn_intern_slot(in, s, len);
	if (in->slots[i] != NULL)
		return in->slots[i];
	if ((in->count + 1) * 4 > in->nslots * 3) {
		kn_intern_grow(in);
		i = kn_intern_slot(in, s, len);
	}
	copy = kn_arena_alloc(&in->strings, len + 1, 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	in->slots[i] = copy;
	in->lens[i] = (uint32_t)len;
	in->count++;
	return copy;
}

const char *
kn_intern(struct kn_intern *in, const char *s)
{
	return kn_intern_n(in, s, strlen(s));
}

size_t
kn_intern_count(const struct kn_intern *in)
{
	return in->count;
}

size_t
kn_intern_bytes(const struct kn_intern *in)
{
	return in->strings.bytes +
	       in->nslots * (sizeof(*in->slots) + sizeof(*in->lens));
}
