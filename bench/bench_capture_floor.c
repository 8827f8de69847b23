/* Benchmark floor: a libpcap loop that only counts packets of a file. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <time.h>

static void
count(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	(void)h;
	(void)bytes;
	(*(unsigned long long *)user)++;
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	unsigned long long n = 0;
	struct timespec a, b;
	pcap_t *p;
	double s;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_capture_floor FILE\n");
		return 2;
	}
	p = pcap_open_offline(argv[1], err);
	if (p == NULL) {
		fprintf(stderr, "%s: %s\n", argv[1], err);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	pcap_loop(p, -1, count, (u_char *)&n);
	clock_gettime(CLOCK_MONOTONIC, &b);
	pcap_close(p);
	s = (double)(b.tv_sec - a.tv_sec) +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("%llu packets %.3f s\n", n, s);
	return 0;
}
