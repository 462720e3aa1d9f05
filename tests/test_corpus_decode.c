/*
 * test_corpus_decode.c - decode every capture of the public corpus
 * (TCPLINT_CORPUS_DIR, skipped when absent) through formats/wire/capture.c and
 * formats/wire/decode.c, and compare with tshark's numbers in ORACLE-tshark.tsv.
 *
 * - Every file under the corpus decodes without a crash (and, in the
 *   -DTCPLINT_SANITIZE=ON build, without a sanitizer report, which aborts).
 * - For every file tshark reads whole, the record count equals tshark's
 *   `frames`, except the files libpcap itself refuses (listed below with
 *   what libpcap does instead; docs/CORPUS.md explains each).
 * - For the files tshark calls damaged, what libpcap does is asserted.
 * - The TCP segment count equals tshark's `tcp_frames`, except the listed
 *   files where the difference is explained (compressed or fragmented
 *   payloads, headers longer than the frame). A TCP header cut by the
 *   snaplen inside its options is a segment, as it is for tshark.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/wire/capture.h"
#include "formats/wire/decode.h"

#ifndef TCPLINT_CORPUS_DIR
#define TCPLINT_CORPUS_DIR "../shared/corpus"
#endif

struct run {
	bool opened;
	int last; /* last capture_next() result */
	uint64_t frames;
	uint64_t tcp;
	uint64_t kinds[DECODE_KIND_COUNT];
	char err[512];
};

static void run_file(const char *path, struct run *r)
{
	struct capture *c;
	struct capture_packet pkt;

	memset(r, 0, sizeof(*r));
	c = capture_open_file(path, r->err, sizeof(r->err));
	if (!c)
		return;
	r->opened = true;
	while ((r->last = capture_next(c, &pkt, r->err, sizeof(r->err))) ==
	       CAPTURE_PACKET) {
		struct pkt_view v;
		enum decode_kind k = DK_NONE;
		enum decode_result res =
			decode_packet(capture_dlt(c), pkt.data, pkt.caplen,
				      pkt.wirelen, &v, &k);

		assert_int_equal(pkt.frame, r->frames + 1);
		r->frames++;
		assert_true((unsigned)k < DECODE_KIND_COUNT);
		r->kinds[k]++;
		if (res == DECODE_TCP) {
			r->tcp++;
			/* the view never points outside the record */
			assert_true(v.payload_captured <= v.payload_bytes);
			if (v.payload_captured)
				assert_true(v.payload >= pkt.data &&
					    v.payload + v.payload_captured <=
						    pkt.data + pkt.caplen);
			assert_true(v.tuple.ip_version == 4 ||
				    v.tuple.ip_version == 6);
		} else {
			assert_int_not_equal(k, DK_NONE);
		}
	}
	capture_close(c);
}

/* What libpcap 1.10 does with files that tshark reads differently. */
struct libpcap_outcome {
	const char *file;
	bool opens;          /* capture_open_file() succeeds */
	uint64_t frames;     /* records returned before the error */
	const char *message; /* part of the one-line error */
};

static const struct libpcap_outcome outcomes[] = {
	/* tshark refuses or calls damaged */
	{"libpcap/linktype-reserved-field-not-zero.pcap", false, 0,
	 "unsupported link type"},
	{"libpcap/pcap-invalid-version-1.pcap", false, 0,
	 "is not a pcap or pcapng capture (archaic pcap savefile format)"},
	{"libpcap/pcapng-invalid-vers-1.pcapng", false, 0,
	 "is not a pcap or pcapng capture (unsupported pcapng savefile version"},
	{"libpcap/shb-option-too-long.pcapng", false, 0,
	 "is not a pcap or pcapng capture ("},
	{"suricata-verify/bug-1450-04/tls_DER-incomplete-header.pcap", true, 6,
	 "read error: invalid packet capture length 4325376"},
	{"suricata-verify/bug-6875-01/fuzz.pcap", true, 1,
	 "read error: invalid packet capture length"},
	{"suricata-verify/http-mime-truncated/input.pcap", true, 2696,
	 "truncated capture: "},
	/* tshark reads them whole; libpcap 1.10 stops at the second
	 * interface description because its link type or snapshot length
	 * differs from the first one's */
	{"pcapng-test-generator/output_be/basic/test006.pcapng", true, 0,
	 "different from the type of the first interface"},
	{"pcapng-test-generator/output_le/difficult/test202.pcapng", true, 0,
	 "different from the type of the first interface"},
	{"zeek/ldap/modify-request.pcapng", true, 0,
	 "different from the snapshot length of the first interface"},
};

/* Files whose TCP count differs from tshark's tcp_frames, and why. */
struct tcp_difference {
	const char *file;
	uint64_t tcp;
	const char *why;
};

static const struct tcp_difference tcp_differences[] = {
	{"libpcap/AH-IPcomp-IPv6.pcap", 8,
	 "7 frames carry IPComp-compressed (RFC 3173) inner packets"},
	{"suricata-verify/defrag/bug-6887-defrag-ipv4-tcp-syn/frag-ip-tcp-syn.pcap",
	 0, "the TCP header is split over 3 IPv4 fragments"},
	{"zeek/tcp/reassembly.pcap", 112,
	 "5 frames 8 bytes shorter on the wire than their IPv4 total length"},
	/* libpcap stops before the first record (see outcomes[]) */
	{"zeek/ldap/modify-request.pcapng", 0, "libpcap stops"},
};

static const struct libpcap_outcome *find_outcome(const char *file)
{
	for (size_t i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		if (strcmp(outcomes[i].file, file) == 0)
			return &outcomes[i];
	return NULL;
}

static const struct tcp_difference *find_tcp_difference(const char *file)
{
	for (size_t i = 0;
	     i < sizeof(tcp_differences) / sizeof(tcp_differences[0]); i++)
		if (strcmp(tcp_differences[i].file, file) == 0)
			return &tcp_differences[i];
	return NULL;
}

static bool corpus_present(void)
{
	struct stat st;

	return stat(TCPLINT_CORPUS_DIR "/ORACLE-tshark.tsv", &st) == 0;
}

/* The n-th tab-separated field of line (0-based), copied into out. */
static bool tsv_field(const char *line, int n, char *out, size_t outlen)
{
	const char *p = line;
	size_t len;

	for (int i = 0; i < n; i++) {
		p = strchr(p, '\t');
		if (!p)
			return false;
		p++;
	}
	len = strcspn(p, "\t\r\n");
	if (len >= outlen)
		len = outlen - 1;
	memcpy(out, p, len);
	out[len] = '\0';
	return true;
}

static void test_corpus_matches_oracle(void **state)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	int col_frames = -1, col_tcp = -1, col_err = -1;
	unsigned files = 0, matched = 0, explained = 0;

	(void)state;
	if (!corpus_present()) {
		print_message("corpus not found at %s: skipping\n",
			      TCPLINT_CORPUS_DIR);
		skip();
	}
	fp = fopen(TCPLINT_CORPUS_DIR "/ORACLE-tshark.tsv", "r");
	assert_non_null(fp);
	/* header: find the columns by name */
	assert_true(getline(&line, &cap, fp) > 0);
	for (int i = 0;; i++) {
		char name[64];

		if (!tsv_field(line, i, name, sizeof(name)))
			break;
		if (strcmp(name, "frames") == 0)
			col_frames = i;
		else if (strcmp(name, "tcp_frames") == 0)
			col_tcp = i;
		else if (strcmp(name, "tshark_stderr") == 0)
			col_err = i;
	}
	assert_true(col_frames > 0 && col_tcp > 0 && col_err > 0);

	while (getline(&line, &cap, fp) > 0) {
		char file[512], path[1024], num[32], terr[8];
		uint64_t o_frames, o_tcp;
		const struct libpcap_outcome *out;
		const struct tcp_difference *td;
		struct run r;

		if (!tsv_field(line, 0, file, sizeof(file)) || !*file)
			continue;
		assert_true(tsv_field(line, col_frames, num, sizeof(num)));
		o_frames = strtoull(num, NULL, 10);
		assert_true(tsv_field(line, col_tcp, num, sizeof(num)));
		o_tcp = strtoull(num, NULL, 10);
		assert_true(tsv_field(line, col_err, terr, sizeof(terr)));
		snprintf(path, sizeof(path), "%s/%s", TCPLINT_CORPUS_DIR, file);
		run_file(path, &r);
		files++;

		out = find_outcome(file);
		if (r.opened && r.last == CAPTURE_EOF && r.frames == o_frames &&
		    strcmp(terr, "-") == 0) {
			matched++;
		} else if (out) {
			/* the documented libpcap behaviour, exactly */
			if (r.opened != out->opens || r.frames != out->frames ||
			    (r.opened && r.last != CAPTURE_ERROR) ||
			    !strstr(r.err, out->message))
				fail_msg(
					"%s: opened=%d frames=%llu last=%d "
					"\"%s\"; expected opened=%d frames=%llu "
					"\"...%s...\"",
					file, r.opened,
					(unsigned long long)r.frames, r.last,
					r.err, out->opens,
					(unsigned long long)out->frames,
					out->message);
			/* the message names the file */
			assert_true(strncmp(r.err, path, strlen(path)) == 0);
			explained++;
		} else {
			fail_msg("%s: %llu frames (%s), tshark read %llu%s",
				 file, (unsigned long long)r.frames, r.err,
				 (unsigned long long)o_frames,
				 strcmp(terr, "-") ? " and complained" : "");
		}

		td = find_tcp_difference(file);
		if (td) {
			if (r.tcp != td->tcp)
				fail_msg(
					"%s: %llu TCP segments, expected %llu (%s)",
					file, (unsigned long long)r.tcp,
					(unsigned long long)td->tcp, td->why);
			assert_int_not_equal(r.tcp, o_tcp);
		} else if (r.tcp != o_tcp) {
			fail_msg("%s: %llu TCP segments, tshark %llu", file,
				 (unsigned long long)r.tcp,
				 (unsigned long long)o_tcp);
		}
	}
	free(line);
	fclose(fp);
	print_message("%u files: %u match tshark's frame count, %u behave as "
		      "documented for libpcap\n",
		      files, matched, explained);
	assert_true(files > 0);
	assert_int_equal(explained, sizeof(outcomes) / sizeof(outcomes[0]));
}

/* Every file under the corpus, listed in the oracle or not. */
static unsigned walked;

static int walk_one(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	const char *dot = strrchr(path, '.');
	struct run r;

	(void)st;
	(void)ftw;
	if (type != FTW_F ||
	    (dot && (strcmp(dot, ".md") == 0 || strcmp(dot, ".tsv") == 0)))
		return 0;
	run_file(path, &r);
	walked++;
	return 0;
}

static void test_corpus_walk(void **state)
{
	(void)state;
	if (!corpus_present()) {
		print_message("corpus not found at %s: skipping\n",
			      TCPLINT_CORPUS_DIR);
		skip();
	}
	walked = 0;
	assert_int_equal(nftw(TCPLINT_CORPUS_DIR, walk_one, 16, FTW_PHYS), 0);
	print_message("decoded %u files under %s\n", walked,
		      TCPLINT_CORPUS_DIR);
	assert_true(walked > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_matches_oracle),
		cmocka_unit_test(test_corpus_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
