/* Whole-file reads with a cap, for config files and procfs. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "k8snet/file.h"

static enum kn_err
kn_file_fail(int fd, char *b, char *errbuf, enum kn_err e, const char *path,
	     const char *what)
{
	if (fd >= 0)
		close(fd);
	free(b);
	return kn_errf(errbuf, e, "%s: %s", path, what);
}

enum kn_err
kn_file_read(const char *path, size_t max, char **out, size_t *outlen,
	     char *errbuf)
{
	size_t cap = 4096, n = 0;
	struct stat st;
	char *b = NULL, *nb;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		int err = errno;

		return kn_errf(errbuf,
			       err == ENOENT   ? KN_ERR_NOTFOUND
			       : err == EACCES ? KN_ERR_PERM
					       : KN_ERR_IO,
			       "%s: %s", path, strerror(err));
	}
	/* A FIFO or a device could block or never end. */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return kn_file_fail(fd, NULL, errbuf, KN_ERR_IO, path,
				    "not a regular file");
	if ((b = malloc(cap + 1)) == NULL)
		return kn_file_fail(fd, NULL, errbuf, KN_ERR_NOMEM, path,
				    "out of memory");
	for (;;) {
		if (n == cap) {
			if (cap >= max)
				return kn_file_fail(fd, b, errbuf, KN_ERR_LIMIT,
						    path,
						    "larger than the "
						    "limit for this file");
			cap = cap * 2 > max ? max : cap * 2;
			if ((nb = realloc(b, cap + 1)) == NULL)
				return kn_file_fail(fd, b, errbuf, KN_ERR_NOMEM,
						    path, "out of memory");
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return kn_file_fail(fd, b, errbuf, KN_ERR_IO, path,
					    strerror(errno));
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	b[n] = '\0';
	*out = b;
	*outlen = n;
	return KN_OK;
}
