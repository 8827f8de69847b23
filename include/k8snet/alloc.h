/* Allocation wrappers that abort on OOM after restoring the terminal.
 * Never used inside decoders (they return KN_ERR_NOMEM instead). */
#ifndef K8SNET_ALLOC_H
#define K8SNET_ALLOC_H

#include <stddef.h>

/* Called once before abort() on OOM (the UI registers endwin here). */
void kn_alloc_set_fatal_hook(void (*hook)(void));

void *kn_xmalloc(size_t n);
void *kn_xcalloc(size_t nmemb, size_t size);
void *kn_xrealloc(void *p, size_t n);
/* reallocarray semantics: checks nmemb * size for overflow. */
void *kn_xreallocarray(void *p, size_t nmemb, size_t size);
char *kn_xstrdup(const char *s);
char *kn_xstrndup(const char *s, size_t n);

#endif
