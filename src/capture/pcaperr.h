/* libpcap's reading errors said in words a user can act on. Private to
 * src/capture. */
#ifndef K8SNET_CAPTURE_PCAPERR_H
#define K8SNET_CAPTURE_PCAPERR_H

#include <stddef.h>

/* Why reading file failed, from libpcap's message perr: perr itself, or
 * (for the cases libpcap leaves cryptic) an explanation with the command
 * that converts the file, written into buf (n bytes). Borrows both. */
const char *kn_pcap_read_why(const char *perr, const char *file, char *buf,
			     size_t n);

#endif
