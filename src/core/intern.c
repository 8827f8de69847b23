/* String interning: open-addressing hash set over pinned strings (in an
 * arena, never freed) and unpinned ones (one heap block each, freed by a
 * sweep when nothing marked them). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/arena.h"
#include "k8snet/intern.h"

#define KN_INTERN_BLOCK 65536
#define KN_PINNED 0x1u
#define KN_MARKED 0x2u /* seen in a block during a sweep */
#define KN_HEAP 0x4u   /* a malloc'd copy: interned unpinned first */

struct kn_intern {
	const char **slots;
	uint32_t *lens;
	uint8_t *flags;
	size_t nslots, count;
	struct kn_arena strings; /* pinned strings */
	size_t unpinned;	 /* bytes of unpinned strings */
	size_t unpinned_n;	 /* how many */
	size_t pinned_heap;	 /* heap strings pinned later, with headers */
	/* During a sweep: every unpinned string's address -> its slot. */
	const char **addrs;
	size_t *addr_slot;
	size_t naddrs;
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

static void
kn_intern_alloc_slots(struct kn_intern *in, size_t n)
{
	in->nslots = n;
	in->slots = kn_xcalloc(n, sizeof(*in->slots));
	in->lens = kn_xcalloc(n, sizeof(*in->lens));
	in->flags = kn_xcalloc(n, sizeof(*in->flags));
}

struct kn_intern *
kn_intern_new(void)
{
	struct kn_intern *in = kn_xcalloc(1, sizeof(*in));

	kn_arena_init(&in->strings, KN_INTERN_BLOCK);
	kn_intern_alloc_slots(in, 1024);
	return in;
}

void
kn_intern_free(struct kn_intern *in)
{
	size_t i;

	if (in == NULL)
		return;
	for (i = 0; i < in->nslots; i++)
		if (in->slots[i] != NULL && (in->flags[i] & KN_HEAP))
			free((char *)in->slots[i]);
	kn_arena_release(&in->strings);
	free(in->slots);
	free(in->lens);
	free(in->flags);
	free(in->addrs);
	free(in->addr_slot);
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

/* Rehash every string into a table of n slots. */
static void
kn_intern_rehash(struct kn_intern *in, size_t n)
{
	const char **old = in->slots;
	uint32_t *oldlens = in->lens;
	uint8_t *oldflags = in->flags;
	size_t oldn = in->nslots, i, j;

	kn_intern_alloc_slots(in, n);
	for (i = 0; i < oldn; i++) {
		if (old[i] == NULL)
			continue;
		j = kn_intern_slot(in, old[i], oldlens[i]);
		in->slots[j] = old[i];
		in->lens[j] = oldlens[i];
		in->flags[j] = oldflags[i];
	}
	free(old);
	free(oldlens);
	free(oldflags);
}

const char *
kn_intern_find(const struct kn_intern *in, const char *s, size_t len)
{
	return in->slots[kn_intern_slot(in, s, len)];
}

/* A string interned unpinned and later pinned stays a heap block
 * (KN_HEAP | KN_PINNED): never swept, freed with the table. */
static const char *
kn_intern_add(struct kn_intern *in, const char *s, size_t len, bool pin)
{
	size_t i;
	char *copy;

	if (len > UINT32_MAX)
		len = UINT32_MAX;
	i = kn_intern_slot(in, s, len);
	if (in->slots[i] != NULL) {
		if (pin && !(in->flags[i] & KN_PINNED)) {
			in->flags[i] |= KN_PINNED;
			in->unpinned -= len + 1;
			in->unpinned_n--;
			in->pinned_heap += len + 1 + 16;
		}
		return in->slots[i];
	}
	if ((in->count + 1) * 4 > in->nslots * 3) {
		kn_intern_rehash(in, in->nslots * 2);
		i = kn_intern_slot(in, s, len);
	}
	if (pin) {
		copy = kn_arena_alloc(&in->strings, len + 1, 1);
		in->flags[i] = KN_PINNED;
	} else {
		copy = kn_xmalloc(len + 1);
		in->flags[i] = KN_HEAP;
		in->unpinned += len + 1;
		in->unpinned_n++;
	}
	memcpy(copy, s, len);
	copy[len] = '\0';
	in->slots[i] = copy;
	in->lens[i] = (uint32_t)len;
	in->count++;
	return copy;
}

const char *
kn_intern_n(struct kn_intern *in, const char *s, size_t len)
{
	return kn_intern_add(in, s, len, true);
}

const char *
kn_intern(struct kn_intern *in, const char *s)
{
	return kn_intern_n(in, s, strlen(s));
}

const char *
kn_intern_unpinned_n(struct kn_intern *in, const char *s, size_t len)
{
	return kn_intern_add(in, s, len, false);
}

const char *
kn_intern_unpinned(struct kn_intern *in, const char *s)
{
	return kn_intern_unpinned_n(in, s, strlen(s));
}

size_t
kn_intern_count(const struct kn_intern *in)
{
	return in->count;
}

size_t
kn_intern_unpinned_bytes(const struct kn_intern *in)
{
	return in->unpinned;
}

size_t
kn_intern_bytes(const struct kn_intern *in)
{
	/* each heap string: its bytes and malloc's header, rounded */
	return in->strings.bytes + in->pinned_heap + in->unpinned +
	       in->unpinned_n * 16 +
	       in->nslots * (sizeof(*in->slots) + sizeof(*in->lens) +
			     sizeof(*in->flags));
}

/* ---- sweep ---- */

static size_t
kn_addr_hash(const void *p, size_t mask)
{
	uintptr_t v = (uintptr_t)p;

	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	return (size_t)v & mask;
}

void
kn_intern_sweep_begin(struct kn_intern *in)
{
	size_t i, j, mask;

	free(in->addrs);
	free(in->addr_slot);
	in->naddrs = 16;
	while (in->naddrs < in->unpinned_n * 2)
		in->naddrs *= 2;
	in->addrs = kn_xcalloc(in->naddrs, sizeof(*in->addrs));
	in->addr_slot = kn_xcalloc(in->naddrs, sizeof(*in->addr_slot));
	mask = in->naddrs - 1;
	for (i = 0; i < in->nslots; i++) {
		in->flags[i] &= (uint8_t)~KN_MARKED;
		if (in->slots[i] == NULL || (in->flags[i] & KN_PINNED))
			continue;
		j = kn_addr_hash(in->slots[i], mask);
		while (in->addrs[j] != NULL)
			j = (j + 1) & mask;
		in->addrs[j] = in->slots[i];
		in->addr_slot[j] = i;
	}
}

void
kn_intern_mark_words(struct kn_intern *in, const void *block, size_t bytes)
{
	const unsigned char *p = block;
	size_t mask = in->naddrs - 1, k, j;
	const char *w;

	if (in->addrs == NULL || block == NULL)
		return;
	for (k = 0; k + sizeof(w) <= bytes; k += sizeof(w)) {
		memcpy(&w, p + k, sizeof(w));
		if (w == NULL)
			continue;
		j = kn_addr_hash(w, mask);
		while (in->addrs[j] != NULL && in->addrs[j] != w)
			j = (j + 1) & mask;
		if (in->addrs[j] != NULL)
			in->flags[in->addr_slot[j]] |= KN_MARKED;
	}
}

size_t
kn_intern_sweep_end(struct kn_intern *in)
{
	size_t i, freed = 0, n = in->nslots;

	if (in->addrs == NULL)
		return 0;
	for (i = 0; i < in->nslots; i++) {
		if (in->slots[i] == NULL ||
		    (in->flags[i] & (KN_PINNED | KN_MARKED)))
			continue;
		freed += in->lens[i] + 1u;
		free((char *)in->slots[i]);
		in->slots[i] = NULL;
		in->unpinned -= in->lens[i] + 1u;
		in->unpinned_n--;
		in->count--;
	}
	free(in->addrs);
	free(in->addr_slot);
	in->addrs = NULL;
	in->addr_slot = NULL;
	in->naddrs = 0;
	/* Holes break the probe chains: rehash, and shrink while the
	 * table is under a quarter full (not below its first size). */
	while (n > 1024 && (in->count + 1) * 4 < n / 2)
		n /= 2;
	kn_intern_rehash(in, n);
	return freed;
}
