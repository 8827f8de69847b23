/* Reading a whole small file (config, procfs) with a size cap. */
#ifndef K8SNET_FILE_H
#define K8SNET_FILE_H

#include <stddef.h>

#include "k8snet/err.h"

/* Read path to its end (procfs files report size 0, so the size is not
 * trusted) into *out (NUL-terminated, caller frees) and *outlen. Errors
 * name the path: KN_ERR_NOTFOUND, KN_ERR_PERM, KN_ERR_IO (also for what
 * is not a regular file), KN_ERR_LIMIT past max bytes, KN_ERR_NOMEM. */
enum kn_err kn_file_read(const char *path, size_t max, char **out,
			 size_t *outlen, char *errbuf);

#endif
