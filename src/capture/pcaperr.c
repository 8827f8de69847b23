/* libpcap's reading errors made actionable. libpcap 1.10 reads a pcapng
 * file only while every interface (IDB) has the first one's link type
 * and snapshot length; past that it fails mid-file with "an interface
 * has a snapshot length N different from the snapshot length of the
 * first interface" (or "a type N different from the type"). Such files
 * are common (dumpcap on several interfaces, merged captures); Wireshark
 * reads them, and its tools convert the first kind (checked by
 * tests/capture/test_pcapng_interfaces.sh). */
#include <stdio.h>
#include <string.h>

#include "pcaperr.h"

const char *
kn_pcap_read_why(const char *perr, const char *file, char *buf, size_t n)
{
	if (strstr(perr, "different from the snapshot length of the first "
			 "interface") != NULL) {
		snprintf(buf, n,
			 "the pcapng file's interfaces have different "
			 "snapshot lengths, which libpcap cannot read in one "
			 "file (%s); convert it to pcap first: editcap -F "
			 "pcap %s out.pcap (or tshark -r %s -F pcap -w "
			 "out.pcap), then read out.pcap",
			 perr, file, file);
		return buf;
	}
	if (strstr(perr, "different from the type of the first interface") !=
	    NULL) {
		/* No tool at hand converts these (editcap and tshark -F
		 * pcap refuse them as well): say what libpcap cannot do. */
		snprintf(buf, n,
			 "the pcapng file's interfaces have different link "
			 "types, which libpcap cannot read in one file (%s); "
			 "capture each interface to a file of its own "
			 "(tcpdump -i IF -w FILE), or read this one in "
			 "Wireshark",
			 perr);
		return buf;
	}
	return perr;
}
