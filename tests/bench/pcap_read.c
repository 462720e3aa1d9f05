/*
 * pcap_read.c - the floor for tcplint's speed: read every record of a
 * capture with libpcap and touch its first byte, nothing more.
 */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	if (argc != 2) {
		fprintf(stderr, "usage: pcap_read FILE\n");
		return 2;
	}
	pcap_t *p = pcap_open_offline_with_tstamp_precision(
		argv[1], PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p) {
		fprintf(stderr, "pcap_read: %s\n", err);
		return 2;
	}
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned long n = 0, sum = 0;
	while (pcap_next_ex(p, &h, &d) == 1) {
		n++;
		sum += d[0];
	}
	pcap_close(p);
	printf("%lu packets (%lu)\n", n, sum);
	return 0;
}
