/* Files compiled into the binary from src/embed/ (demo cluster, themes). */
#ifndef K8SNET_EMBED_H
#define K8SNET_EMBED_H

#include <stddef.h>

/* Returns the bytes (NUL-terminated) and their length, or NULL. */
const unsigned char *kn_embed_find(const char *name, size_t *len);

#endif
