/* Abort-on-OOM allocation wrappers for non-decoder code. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "k8snet/alloc.h"

static void (*kn_fatal_hook)(void);

void
kn_alloc_set_fatal_hook(void (*hook)(void))
{
	kn_fatal_hook = hook;
}

static void
kn_oom(void)
{
	static const char msg[] = "k8snet-top: out of memory\n";

	if (kn_fatal_hook != NULL)
		kn_fatal_hook();
	/* write(2): no stdio buffering state to trust here. */
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		abort();
	abort();
}

void *
kn_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		kn_oom();
	return p;
}

void *
kn_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		kn_oom();
	return p;
}

void *
kn_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		kn_oom();
	return q;
}

void *
kn_xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		kn_oom();
	return kn_xrealloc(p, nmemb * size);
}

char *
kn_xstrdup(const char *s)
{
	return kn_xstrndup(s, strlen(s));
}

char *
kn_xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = kn_xmalloc(len + 1);

	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}
