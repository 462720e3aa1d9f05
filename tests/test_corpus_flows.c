/*
 * test_corpus_flows.c - connections per capture against tshark's
 * tcp_streams on the public corpus (TCPLINT_CORPUS_DIR; skipped when
 * absent), and every capture of the oracle analyzed to the end.
 *
 * Each file of ORACLE-tshark.tsv is read, decoded and analyzed with the
 * default configuration; the number of flows handed to flow_done must equal
 * the tcp_streams column, or the file must be listed below with our count
 * and the reason (docs/STATES.md, "Connections compared with tshark"). A
 * listed file whose count changes fails too, so the table cannot go stale.
 * Besides the counts, every flow's verdicts and states must be in range.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/analyzer.h"
#include "analyzer/records.h"
#include "formats/wire/capture.h"
#include "formats/wire/decode.h"

struct difference {
	const char *file;
	long ours;
	const char *why;
};

static const struct difference differences[] = {
	{"suricata-verify/defrag/bug-6887-defrag-ipv4-tcp-syn/frag-ip-tcp-syn.pcap",
	 0,
	 "the only TCP segment is split into IPv4 fragments; tcplint does not "
	 "reassemble IP fragments, tshark does"},
	{"zeek/ldap/modify-request.pcapng", 0,
	 "libpcap refuses this pcapng (a second interface with another "
	 "snapshot length; docs/CORPUS.md), so nothing is analyzed"},
	{"suricata-verify/tcp-split-handshake-02-5whs/split-handshake-5whs.pcap",
	 1,
	 "a 'split handshake': the server answers the SYN with a bare ACK, then "
	 "sends its own SYN; tshark starts a second stream at that SYN, tcplint "
	 "keeps one flow and calls it a simultaneous open"},
	{"tcpdump/mptcp-dss-oobr.pcap", 1,
	 "the one SYN's options are cut by the snaplen (73 of 74 bytes); "
	 "tcplint keeps the segment (opt.truncated), tshark gives it a "
	 "tcp.stream but leaves the malformed frame out of -z conv,tcp"},
	{"tcpdump/tcp-auth-heapoverflow.pcap", 1,
	 "the one segment's options are cut by the snaplen (30 of 52 header "
	 "bytes); tcplint keeps the segment (opt.truncated), tshark gives it "
	 "a tcp.stream but leaves it out of -z conv,tcp"},
	{NULL, 0, NULL},
};

struct tally {
	long flows;
	bool bad;
};

static void on_flow(void *ctx, const struct flow_record *f)
{
	struct tally *t = ctx;

	t->flows++;
	if (f->handshake >= HANDSHAKE_VERDICT_COUNT ||
	    f->close >= CLOSE_VERDICT_COUNT ||
	    f->active_closer >= CLOSER_COUNT ||
	    f->ep[0].state >= TCP_STATE_COUNT ||
	    f->ep[1].state >= TCP_STATE_COUNT ||
	    f->ep[0].nstates > FLOW_MAX_STATES ||
	    f->first_frame > f->last_frame || f->packets == 0)
		t->bad = true;
}

/* Analyze the capture at path; false when it does not open. */
static bool analyze(const char *path, struct tally *t)
{
	char err[512];
	struct capture *c = capture_open_file(path, err, sizeof(err));
	struct analyzer_config cfg;
	struct analyzer_sink sink = {on_flow, NULL, NULL, t};
	struct analyzer *az;
	struct capture_packet p;
	int dlt;

	memset(t, 0, sizeof(*t));
	if (c == NULL)
		return false;
	dlt = capture_dlt(c);
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 65536;
	az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(az);
	analyzer_begin_input(az, 0);
	while (capture_next(c, &p, err, sizeof(err)) == CAPTURE_PACKET) {
		struct pkt_view v;
		enum decode_kind k;

		if (decode_packet(dlt, p.data, p.caplen, p.wirelen, &v, &k) ==
		    DECODE_TCP)
			analyzer_packet(az, &v, p.frame, p.ts_ns);
	}
	analyzer_finish(az);
	analyzer_free(az);
	capture_close(c);
	return true;
}

static int column(const char *header, const char *name)
{
	char buf[4096];
	int i = 0;

	snprintf(buf, sizeof(buf), "%s", header);
	for (char *save = NULL, *t = strtok_r(buf, "\t\r\n", &save); t != NULL;
	     t = strtok_r(NULL, "\t\r\n", &save), i++)
		if (strcmp(t, name) == 0)
			return i;
	return -1;
}

static void field(const char *line, int i, char *out, size_t len)
{
	const char *p = line;

	for (int k = 0; k < i && p != NULL; k++) {
		p = strchr(p, '\t');
		if (p != NULL)
			p++;
	}
	out[0] = '\0';
	if (p != NULL)
		snprintf(out, len, "%.*s", (int)strcspn(p, "\t\r\n"), p);
}

static const struct difference *find_difference(const char *file)
{
	for (size_t i = 0; differences[i].file != NULL; i++)
		if (strcmp(differences[i].file, file) == 0)
			return &differences[i];
	return NULL;
}

static void test_corpus_flow_counts(void **state)
{
	char path[1024], line[8192], header[8192], name[512], v[64];
	int cfile, cstreams, files = 0, agree = 0, explained = 0, failures = 0;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/ORACLE-tshark.tsv",
		 TCPLINT_CORPUS_DIR);
	fp = fopen(path, "r");
	if (fp == NULL) {
		print_message("corpus not found at %s: skipped\n",
			      TCPLINT_CORPUS_DIR);
		skip();
	}
	assert_non_null(fgets(header, sizeof(header), fp));
	cfile = column(header, "file");
	cstreams = column(header, "tcp_streams");
	assert_true(cfile >= 0 && cstreams >= 0);
	while (fgets(line, sizeof(line), fp) != NULL) {
		struct tally t;
		const struct difference *d;
		long want;

		field(line, cfile, name, sizeof(name));
		if (name[0] == '\0')
			continue;
		field(line, cstreams, v, sizeof(v));
		want = strtol(v, NULL, 10);
		snprintf(path, sizeof(path), "%s/%s", TCPLINT_CORPUS_DIR, name);
		analyze(path, &t); /* a file that does not open has 0 flows */
		files++;
		if (t.bad) {
			failures++;
			print_message("%s: a flow record out of range\n", name);
			continue;
		}
		d = find_difference(name);
		if (d == NULL && t.flows == want) {
			agree++;
		} else if (d != NULL && t.flows == d->ours && t.flows != want) {
			explained++;
		} else {
			failures++;
			print_message(
				"%s: %ld flows, tshark %ld tcp_streams%s\n",
				name, t.flows, want,
				d != NULL ? " (listed)" : "");
		}
	}
	fclose(fp);
	print_message("%d files: %d agree with tshark, %d differ as "
		      "documented, %d unexplained\n",
		      files, agree, explained, failures);
	assert_true(files > 0);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_flow_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
