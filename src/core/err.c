/* Error names and errbuf formatting. */
#include <stdarg.h>
#include <stdio.h>

#include "k8snet/err.h"

static const char *const kn_err_names[KN_ERR__COUNT] = {
	[KN_OK] = "ok",
	[KN_ERR_NOMEM] = "out of memory",
	[KN_ERR_INVAL] = "invalid argument",
	[KN_ERR_IO] = "I/O error",
	[KN_ERR_PARSE] = "malformed input",
	[KN_ERR_TRUNC] = "truncated input",
	[KN_ERR_LIMIT] = "limit reached",
	[KN_ERR_NOTFOUND] = "not found",
	[KN_ERR_UNSUPPORTED] = "unsupported",
	[KN_ERR_PERM] = "permission denied",
	[KN_ERR_AGAIN] = "try again",
	[KN_ERR_NET] = "network error",
};

const char *
kn_err_str(enum kn_err e)
{
	if ((unsigned)e >= KN_ERR__COUNT || kn_err_names[e] == NULL)
		return "unknown error";
	return kn_err_names[e];
}

enum kn_err
kn_errf(char *errbuf, enum kn_err e, const char *fmt, ...)
{
	va_list ap;

	if (errbuf == NULL)
		return e;
	va_start(ap, fmt);
	vsnprintf(errbuf, KN_ERRBUF, fmt, ap);
	va_end(ap);
	return e;
}
