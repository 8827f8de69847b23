/* One error enum for every fallible call, and the caller-owned errbuf. */
#ifndef K8SNET_ERR_H
#define K8SNET_ERR_H

#include <stddef.h>

/* Room for any message: a whole path (PATH_MAX, 4096), a system or
 * libpcap error (PCAP_ERRBUF_SIZE, 256) and the advice around them.
 * Messages are never cut to fit: what could run longer (a filter
 * expression, a name from the command line) is checked first. */
#define KN_ERRBUF (4096 + 2048)

enum kn_err {
	KN_OK = 0,
	KN_ERR_NOMEM,	    /* allocation failed */
	KN_ERR_INVAL,	    /* bad argument or bad usage */
	KN_ERR_IO,	    /* read/write/open failed */
	KN_ERR_PARSE,	    /* malformed input */
	KN_ERR_TRUNC,	    /* input ended too early */
	KN_ERR_LIMIT,	    /* a cap was reached; input rejected and counted */
	KN_ERR_NOTFOUND,    /* named thing does not exist */
	KN_ERR_UNSUPPORTED, /* valid but not handled */
	KN_ERR_PERM,	    /* permission denied */
	KN_ERR_AGAIN,	    /* try again later */
	KN_ERR_NET,	    /* network or TLS failure */
	KN_ERR__COUNT
};

/* Static, never NULL. */
const char *kn_err_str(enum kn_err e);

/* Format into errbuf (KN_ERRBUF bytes, caller-owned); returns e. */
enum kn_err kn_errf(char *errbuf, enum kn_err e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
