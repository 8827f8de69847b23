/* The -w pcap writer: private file mode, sudo user's ownership, and a
 * write failure (disk full) caught at the packet that met it. */
#ifndef K8SNET_CAPTURE_WRITER_H
#define K8SNET_CAPTURE_WRITER_H

#include <stdbool.h>

#include <pcap/pcap.h>

#include "k8snet/err.h"

struct kn_writer;

/* Create path ("-" is stdout) as a pcap file of src's link type. A new
 * file gets mode 0600 (captures hold other people's traffic); as root
 * under sudo it is given to the invoking user (SUDO_UID/SUDO_GID), as
 * tcpdump -Z leaves a file to its user. Caller frees with
 * kn_writer_free. Errors name the file. */
enum kn_err kn_writer_open(pcap_t *src, const char *path,
			   struct kn_writer **out, char *errbuf);

/* Append one record. The first failed write logs "-w PATH: reason",
 * closes the file cut back to its last complete record (so readers see
 * whole packets only) and makes every later call a no-op returning
 * false. */
bool kn_writer_put(struct kn_writer *w, const struct pcap_pkthdr *h,
		   const u_char *bytes);

/* Push buffered records to the file; a failure is handled as in put. */
void kn_writer_flush(struct kn_writer *w);

/* The failure ("-w PATH: No space left on device"), or NULL. */
const char *kn_writer_error(const struct kn_writer *w);

void kn_writer_free(struct kn_writer *w);

#endif
