/* The -w pcap writer: file mode, ownership, and write failures. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "k8snet/log.h"
#include "writer.h"

/* The stdio buffer in front of the file, and how many record ends are
 * remembered: a record is at least 16 + 14 bytes, so 4096 ends cover
 * more than one buffer. After a failed write the file holds a prefix of
 * what was written; the last remembered end inside it is where the last
 * complete record stops. */
#define KN_WRITER_BUF (64 * 1024)
#define KN_WRITER_ENDS 4096
#define KN_PCAP_RECHDR 16 /* struct pcap_sf_pkthdr on disk */

struct kn_writer {
	pcap_dumper_t *d;
	FILE *f;
	char path[PATH_MAX];
	char err[PATH_MAX + 128];
	uint64_t off; /* bytes written so far, buffered too */
	uint64_t ends[KN_WRITER_ENDS];
	uint64_t nends;
};

/* As root under sudo: the id in variable name, or -1. */
static long
sudo_id(const char *name)
{
	const char *v = getenv(name);
	char *end;
	long id;

	if (v == NULL || *v == '\0')
		return -1;
	errno = 0;
	id = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || id <= 0)
		return -1;
	return id;
}

static FILE *
create_private(const char *path, char *errbuf)
{
	long uid, gid;
	FILE *f;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		kn_errf(errbuf, KN_ERR_IO, "-w %s: %s", path, strerror(errno));
		return NULL;
	}
	uid = sudo_id("SUDO_UID");
	gid = sudo_id("SUDO_GID");
	if (geteuid() == 0 && uid > 0 &&
	    fchown(fd, (uid_t)uid, gid > 0 ? (gid_t)gid : (gid_t)-1) != 0)
		kn_warn("-w %s: cannot give the file to uid %ld: %s", path, uid,
			strerror(errno));
	f = fdopen(fd, "wb");
	if (f == NULL) {
		kn_errf(errbuf, KN_ERR_IO, "-w %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, KN_WRITER_BUF);
	return f;
}

enum kn_err
kn_writer_open(pcap_t *src, const char *path, struct kn_writer **out,
	       char *errbuf)
{
	struct kn_writer *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (w == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	if (strlen(path) >= sizeof(w->path)) {
		free(w);
		return kn_errf(errbuf, KN_ERR_INVAL,
			       "-w: a path of %zu bytes is longer than the "
			       "system takes (%zu)",
			       strlen(path), sizeof(w->path) - 1);
	}
	snprintf(w->path, sizeof(w->path), "%s", path);
	if (strcmp(path, "-") == 0) {
		w->d = pcap_dump_open(src, path);
		w->f = w->d != NULL ? pcap_dump_file(w->d) : NULL;
	} else {
		w->f = create_private(path, errbuf);
		if (w->f == NULL) {
			free(w);
			return KN_ERR_IO;
		}
		w->d = pcap_dump_fopen(src, w->f);
		if (w->d == NULL)
			fclose(w->f);
	}
	if (w->d == NULL) {
		kn_errf(errbuf, KN_ERR_IO, "-w %s: %s", path, pcap_geterr(src));
		free(w);
		return KN_ERR_IO;
	}
	w->off = 24; /* the file header, buffered by pcap_dump_open */
	w->ends[w->nends++ % KN_WRITER_ENDS] = w->off;
	*out = w;
	return KN_OK;
}

/* Close after a failed write: keep the whole records on disk, drop the
 * torn one, and say once what happened. */
static void
writer_fail(struct kn_writer *w, int err)
{
	uint64_t keep = 0, i, first;
	struct stat st;
	int fd;

	snprintf(w->err, sizeof(w->err), "-w %s: %s", w->path,
		 err != 0 ? strerror(err) : "write error");
	kn_error("%s; still decoding, no longer writing", w->err);
	fd = dup(fileno(w->f));
	pcap_dump_close(w->d); /* its flush may fail again: nothing to do */
	w->d = NULL;
	w->f = NULL;
	if (fd < 0)
		return;
	first = w->nends > KN_WRITER_ENDS ? w->nends - KN_WRITER_ENDS : 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		for (i = first; i < w->nends; i++)
			if (w->ends[i % KN_WRITER_ENDS] <= (uint64_t)st.st_size)
				keep = w->ends[i % KN_WRITER_ENDS];
		if (keep > 0 && keep < (uint64_t)st.st_size &&
		    ftruncate(fd, (off_t)keep) != 0)
			kn_warn("-w %s: cannot cut the torn record: %s",
				w->path, strerror(errno));
	}
	close(fd);
}

bool
kn_writer_put(struct kn_writer *w, const struct pcap_pkthdr *h,
	      const u_char *bytes)
{
	if (w->d == NULL)
		return false;
	errno = 0;
	pcap_dump((u_char *)w->d, h, bytes);
	if (ferror(w->f)) {
		writer_fail(w, errno);
		return false;
	}
	w->off += KN_PCAP_RECHDR + h->caplen;
	w->ends[w->nends++ % KN_WRITER_ENDS] = w->off;
	return true;
}

void
kn_writer_flush(struct kn_writer *w)
{
	if (w->d == NULL)
		return;
	errno = 0;
	if (pcap_dump_flush(w->d) != 0 || ferror(w->f))
		writer_fail(w, errno);
}

const char *
kn_writer_error(const struct kn_writer *w)
{
	return w->err[0] != '\0' ? w->err : NULL;
}

void
kn_writer_free(struct kn_writer *w)
{
	if (w == NULL)
		return;
	if (w->d != NULL) {
		kn_writer_flush(w);
		if (w->d != NULL)
			pcap_dump_close(w->d);
	}
	free(w);
}
