/*
 * test_corpus_anomalies.c - the stream anomalies against tshark on the
 * public corpus (TCPLINT_CORPUS_DIR, skipped when absent).
 *
 * For every file of ORACLE-tshark.tsv the analyzer runs over the capture
 * and its counts of retransmissions (retransmission + fast_retransmission +
 * spurious_retransmission, as tshark's tcp.analysis.retransmission includes
 * the other two), duplicate ACKs, zero windows and keepalive probes are
 * compared with tshark's columns retransmission, duplicate_ack, zero_window
 * and keep_alive. They must agree, or the file must be listed in
 * `differences` below with our exact counts and the reason; the table
 * mirrors docs/ANOMALIES.md, "Corpus comparison". A listed file whose
 * counts change fails too, so the table cannot go stale.
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

enum { C_RETR, C_DUP, C_ZW, C_KA, C_N };

static const char *const col_names[C_N] = {"retransmission", "duplicate_ack",
					   "zero_window", "keep_alive"};

/* Files whose counts differ from tshark's, with ours and why. */
struct difference {
	const char *file;
	long ours[C_N];
	const char *why;
};

static const struct difference differences[] = {
	{"zeek/tcp/reassembly.pcap",
	 {18, 21, 0, 0},
	 "frames 35 and 39 are retransmissions whose IPv4 total length (1500) "
	 "exceeds the frame by 8 bytes: the decoder counts them as invalid "
	 "(docs/CORPUS.md), tshark dissects them"},
	{"suricata-verify/tls/tls-subjectaltname/input.pcap",
	 {51, 92, 0, 0},
	 "11 first transmissions of servers whose first segment was a challenge "
	 "ACK of an older connection (RFC 5961 4): the SYN-ACK that follows "
	 "starts the server's sequence space, so it and the data and FIN after "
	 "it (frames 114, 118-120, 122, 124, 126, 130, 1996, 2005, 2864) are no "
	 "retransmissions; tshark measures them against the challenge ACK"},
	{NULL, {0, 0, 0, 0}, NULL},
};

struct counts {
	long c[C_N];
};

static void on_flow(void *ctx, const struct flow_record *f)
{
	struct counts *k = ctx;

	k->c[C_RETR] += f->anomaly_counts[ANOM_RETRANSMISSION] +
			f->anomaly_counts[ANOM_FAST_RETRANSMISSION] +
			f->anomaly_counts[ANOM_SPURIOUS_RETRANSMISSION];
	k->c[C_DUP] += f->anomaly_counts[ANOM_DUPLICATE_ACK];
	k->c[C_ZW] += f->anomaly_counts[ANOM_ZERO_WINDOW];
	k->c[C_KA] += f->ep[0].keepalive_probes + f->ep[1].keepalive_probes;
}

/* Analyze one capture; false when it cannot be opened. */
static bool analyze(const char *path, struct counts *k)
{
	struct analyzer_config cfg;
	struct analyzer_sink sink = {on_flow, NULL, NULL, NULL};
	struct analyzer *az;
	struct capture *c;
	struct capture_packet p;
	char err[512];
	int rc;

	memset(k, 0, sizeof(*k));
	c = capture_open_file(path, err, sizeof(err));
	if (c == NULL)
		return false;
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 4096;
	sink.ctx = k;
	az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(az);
	while ((rc = capture_next(c, &p, err, sizeof(err))) == CAPTURE_PACKET) {
		struct pkt_view v;
		enum decode_kind kind;

		if (decode_packet(capture_dlt(c), p.data, p.caplen, p.wirelen,
				  &v, &kind) == DECODE_TCP)
			analyzer_packet(az, &v, p.frame, p.ts_ns);
	}
	analyzer_finish(az);
	analyzer_free(az);
	capture_close(c);
	return true;
}

/* Column index of `name` in the TSV header line, -1 if absent. */
static int column(const char *header, const char *name)
{
	char buf[2048];
	int i = 0;

	snprintf(buf, sizeof(buf), "%s", header);
	for (char *save = NULL, *t = strtok_r(buf, "\t\r\n", &save); t != NULL;
	     t = strtok_r(NULL, "\t\r\n", &save), i++)
		if (strcmp(t, name) == 0)
			return i;
	return -1;
}

/* Field i of a TSV line (empty fields kept) into out. */
static void field(const char *line, int i, char *out, size_t len)
{
	const char *p = line;

	for (int k = 0; k < i && p != NULL; k++) {
		p = strchr(p, '\t');
		if (p != NULL)
			p++;
	}
	out[0] = '\0';
	if (p == NULL)
		return;
	snprintf(out, len, "%.*s", (int)strcspn(p, "\t\r\n"), p);
}

static const struct difference *find_difference(const char *file)
{
	for (size_t i = 0; differences[i].file != NULL; i++)
		if (strcmp(differences[i].file, file) == 0)
			return &differences[i];
	return NULL;
}

static void test_corpus_counts(void **state)
{
	char path[1024], line[8192], header[8192], name[512], v[64];
	int cols[C_N], cfile;
	int files = 0, agree = 0, explained = 0, failures = 0;
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
	cols[C_RETR] = column(header, "retransmission");
	cols[C_DUP] = column(header, "duplicate_ack");
	cols[C_ZW] = column(header, "zero_window");
	cols[C_KA] = column(header, "keep_alive");
	assert_true(cfile >= 0 && cols[C_RETR] >= 0 && cols[C_DUP] >= 0 &&
		    cols[C_ZW] >= 0 && cols[C_KA] >= 0);
	while (fgets(line, sizeof(line), fp) != NULL) {
		struct counts ours;
		long want[C_N];
		const struct difference *d;
		bool same = true;

		field(line, cfile, name, sizeof(name));
		if (name[0] == '\0')
			continue;
		for (int k = 0; k < C_N; k++) {
			field(line, cols[k], v, sizeof(v));
			want[k] = strtol(v, NULL, 10);
		}
		snprintf(path, sizeof(path), "%s/%s", TCPLINT_CORPUS_DIR, name);
		if (!analyze(path, &ours))
			memset(&ours, 0, sizeof(ours));
		files++;
		for (int k = 0; k < C_N; k++)
			same = same && ours.c[k] == want[k];
		d = find_difference(name);
		if (same && d == NULL) {
			agree++;
			continue;
		}
		if (!same && d != NULL &&
		    memcmp(d->ours, ours.c, sizeof(ours.c)) == 0) {
			explained++;
			continue;
		}
		failures++;
		for (int k = 0; k < C_N; k++)
			if (ours.c[k] != want[k] || d != NULL)
				print_message("%s: %s ours %ld tshark %ld%s\n",
					      name, col_names[k], ours.c[k],
					      want[k],
					      d != NULL ? " (listed)" : "");
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
		cmocka_unit_test(test_corpus_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
