/* Growable byte buffer with a hard cap (a watch line, a header block). */
#ifndef K8SNET_BUF_H
#define K8SNET_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "k8snet/err.h"

struct kn_buf {
	char *data; /* NUL-terminated when len < cap */
	size_t len;
	size_t cap; /* allocated */
	size_t max; /* hard cap; 0 means unlimited */
};

/* Embedded lifecycle; max 0 means no cap. */
void kn_buf_init(struct kn_buf *b, size_t max);
void kn_buf_release(struct kn_buf *b);
void kn_buf_clear(struct kn_buf *b);

/* Append; KN_ERR_LIMIT past the cap (buffer unchanged), KN_ERR_NOMEM. */
enum kn_err kn_buf_append(struct kn_buf *b, const void *p, size_t n);
enum kn_err kn_buf_puts(struct kn_buf *b, const char *s);
enum kn_err kn_buf_printf(struct kn_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Drop the first n bytes. */
void kn_buf_consume(struct kn_buf *b, size_t n);

#endif
