/* String interning: one stable copy per distinct string, compared by
 * pointer. Used for namespaces, node names, label keys and values.
 *
 * A string is pinned (kept until kn_intern_free) or unpinned. Unpinned
 * strings are freed by a sweep unless the sweep was shown a pointer to
 * them: kn_intern_sweep_begin, then kn_intern_mark_words over every
 * block that may hold such pointers, then kn_intern_sweep_end. Whoever
 * interns unpinned must store the pointer only where the sweep looks;
 * interning a string pinned pins it for good, however else it was
 * interned. */
#ifndef K8SNET_INTERN_H
#define K8SNET_INTERN_H

#include <stddef.h>

struct kn_intern;

struct kn_intern *kn_intern_new(void);
/* Frees every interned string. */
void kn_intern_free(struct kn_intern *in);

/* Returns the interned copy of s[0..len) (NUL-terminated), owned by the
 * table, pinned: valid until kn_intern_free. Never NULL (aborts on OOM). */
const char *kn_intern_n(struct kn_intern *in, const char *s, size_t len);
const char *kn_intern(struct kn_intern *in, const char *s);
/* The same, unpinned unless already pinned: valid until a sweep that was
 * not shown a pointer to it. */
const char *kn_intern_unpinned_n(struct kn_intern *in, const char *s,
				 size_t len);
const char *kn_intern_unpinned(struct kn_intern *in, const char *s);
/* Returns the interned copy if present, else NULL. */
const char *kn_intern_find(const struct kn_intern *in, const char *s,
			   size_t len);

size_t kn_intern_count(const struct kn_intern *in);
/* Bytes held (strings and table), for memory reports. */
size_t kn_intern_bytes(const struct kn_intern *in);
/* Bytes of the unpinned strings (what a sweep may free). */
size_t kn_intern_unpinned_bytes(const struct kn_intern *in);

/* A sweep. Between begin and end nothing may be interned. mark_words
 * reads block[0..bytes) as aligned pointers (block aligned for
 * pointers) and marks every unpinned string one of them points at: a
 * word that only looks like such a pointer keeps a string, never frees
 * one. sweep_end frees the unmarked unpinned strings and returns their
 * bytes. */
void kn_intern_sweep_begin(struct kn_intern *in);
void kn_intern_mark_words(struct kn_intern *in, const void *block,
			  size_t bytes);
size_t kn_intern_sweep_end(struct kn_intern *in);

/* FNV-1a, shared by the hash tables of the model. */
unsigned long long kn_hash_bytes(const void *p, size_t len);

#endif
