/* Growable capped buffer; never aborts, returns KN_ERR_NOMEM/LIMIT. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/buf.h"

void
kn_buf_init(struct kn_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
kn_buf_release(struct kn_buf *b)
{
	free(b->data);
	kn_buf_init(b, b->max);
}

void
kn_buf_clear(struct kn_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static enum kn_err
kn_buf_reserve(struct kn_buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return KN_ERR_LIMIT;
	need = b->len + extra + 1;
	if (b->max != 0 && need - 1 > b->max)
		return KN_ERR_LIMIT;
	if (need <= b->cap)
		return KN_OK;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (b->max != 0 && ncap > b->max + 1)
		ncap = b->max + 1;
	p = realloc(b->data, ncap);
	if (p == NULL)
		return KN_ERR_NOMEM;
	b->data = p;
	b->cap = ncap;
	return KN_OK;
}

enum kn_err
kn_buf_append(struct kn_buf *b, const void *p, size_t n)
{
	enum kn_err e = kn_buf_reserve(b, n);

	if (e != KN_OK)
		return e;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return KN_OK;
}

enum kn_err
kn_buf_puts(struct kn_buf *b, const char *s)
{
	return kn_buf_append(b, s, strlen(s));
}

enum kn_err
kn_buf_printf(struct kn_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	enum kn_err e;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return KN_ERR_INVAL;
	e = kn_buf_reserve(b, (size_t)n);
	if (e != KN_OK)
		return e;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return KN_OK;
}

void
kn_buf_consume(struct kn_buf *b, size_t n)
{
	if (n >= b->len) {
		kn_buf_clear(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}
