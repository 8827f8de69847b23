/* String interning: one stable copy per distinct string, compared by
 * pointer. Used for namespaces, node names, label keys and values. */
#ifndef K8SNET_INTERN_H
#define K8SNET_INTERN_H

#include <stddef.h>

struct kn_intern;

struct kn_intern *kn_intern_new(void);
/* Frees every interned string. */
void kn_intern_free(struct kn_intern *in);

/* Returns the interned copy of s[0..len) (NUL-terminated), owned by the
 * table and valid until kn_intern_free. Never NULL (aborts on OOM). */
const char *kn_intern_n(struct kn_intern *in, const char *s, size_t len);
const char *kn_intern(struct kn_intern *in, const char *s);
/* Returns the interned copy if present, else NULL. */
const char *kn_intern_find(const struct kn_intern *in, const char *s,
			   size_t len);

size_t kn_intern_count(const struct kn_intern *in);
/* Bytes held (strings and table), for memory reports. */
size_t kn_intern_bytes(const struct kn_intern *in);

/* FNV-1a, shared by the hash tables of the model. */
unsigned long long kn_hash_bytes(const void *p, size_t len);

#endif
