/*
 * merge.c - `tcplint merge [OPTIONS] REPORT...`: join json or jsonl reports
 * into one, as if one run had read every input.
 *
 * Reports of the shards of one capture (`--shard K/N`, docs/SCALING.md)
 * share their inputs: an input named by several reports is one input of the
 * merged report, and the reports must agree on what it held (packets,
 * decode errors) and come from different shards of the same N. Reports of
 * different files are simply listed one after the other. Flow ids are
 * renumbered in the order a single run numbers them (by input, then by the
 * connection's first frame), so the merge of all N shards is, flow for flow,
 * the report of one run. Totals are added; top_flows is chosen again from
 * the reports' own.
 *
 * A report that lists only some of its flows (--top, --only-anomalies)
 * cannot be merged: the ids of the others are unknown. Reading uses
 * jansson; any problem is one line naming the report, and exit 2.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "formats/report/report.h"

#define MERGE_FLAGS_COMPACT (JSON_COMPACT | JSON_REAL_PRECISION(16))
#define MERGE_FLAGS_PRETTY (JSON_INDENT(2) | JSON_REAL_PRECISION(16))

/* One input of the merged report. */
struct m_input {
	json_t *rec; /* the first report's record of it (borrowed) */
	const char *file;
	uint32_t occurrence; /* the how-many-th input of that name in its report */
	uint32_t shard_count; /* 0: read whole by its report */
	uint64_t shards_seen; /* bit k: shard k's report named it (k < 64) */
	uint32_t nreports;
	const char *first_report;
};

/* One flow, with what orders it. */
struct m_flow {
	json_t *rec;    /* (borrowed from its report) */
	uint32_t input; /* merged input index */
	uint64_t first_frame;
	uint32_t report;
	uint64_t old_id; /* its id in its report */
	uint64_t new_id;
};

struct m_report {
	const char *path;
	json_t *doc;     /* json: the document; jsonl: the summary line */
	json_t *lines;   /* jsonl: array of flow lines (owned) */
	json_t *summary; /* the summary object (borrowed) */
	json_t *inputs;  /* (borrowed) */
	uint32_t shard_index, shard_count;
	uint32_t *input_map; /* its input i -> merged input */
};

struct merge {
	struct m_report *reports;
	uint32_t nreports;
	struct m_input *inputs;
	uint32_t ninputs, inputs_cap;
	struct m_flow *flows;
	size_t nflows, flows_cap;
	json_int_t schema;
	const char *fail_on;
	char err[512];
};

static int fail(struct merge *m, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct merge *m, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(m->err, sizeof(m->err), "%s: ", path);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < sizeof(m->err))
		vsnprintf(m->err + n, sizeof(m->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* --- reading --------------------------------------------------------------- */

static bool is_u64(const json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 0;
}

static int add_flow(struct merge *m, uint32_t report, json_t *f)
{
	json_t *id = json_object_get(f, "id"),
	       *in = json_object_get(f, "input");
	json_t *ff = json_object_get(f, "first_frame");
	struct m_report *r = &m->reports[report];
	struct m_flow *x;

	if (!is_u64(id) || !is_u64(in) || !is_u64(ff) ||
	    (size_t)json_array_size(r->inputs) <=
		    (size_t)json_integer_value(in))
		return fail(m, r->path,
			    "a flow without a valid id, input or first_frame");
	if (m->nflows == m->flows_cap) {
		size_t cap = m->flows_cap ? m->flows_cap * 2 : 1024;
		struct m_flow *v = realloc(m->flows, cap * sizeof(*v));

		if (!v)
			return fail(m, r->path, "out of memory");
		m->flows = v;
		m->flows_cap = cap;
	}
	x = &m->flows[m->nflows++];
	x->rec = f;
	x->input = (uint32_t)json_integer_value(in); /* mapped later */
	x->first_frame = (uint64_t)json_integer_value(ff);
	x->report = report;
	x->old_id = (uint64_t)json_integer_value(id);
	x->new_id = 0;
	return 0;
}

/* A JSON Lines report: flow lines, anomaly lines (skipped: the flows carry
 * them) and one summary line. */
static int read_jsonl(struct merge *m, uint32_t ri, FILE *fp)
{
	struct m_report *r = &m->reports[ri];
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int ret = 0;

	r->lines = json_array();
	while (ret == 0 && (n = getline(&line, &cap, fp)) > 0) {
		json_error_t je;
		json_t *o;
		const char *type;

		lineno++;
		if (n == 1 && line[0] == '\n')
			continue;
		o = json_loadb(line, (size_t)n, 0, &je);
		if (!o) {
			ret = fail(m, r->path, "line %lu: %s", lineno, je.text);
			break;
		}
		type = json_string_value(json_object_get(o, "type"));
		if (type && strcmp(type, "flow") == 0) {
			json_array_append_new(r->lines, o);
		} else if (type && strcmp(type, "summary") == 0 && !r->doc) {
			r->doc = o;
		} else {
			if (!type || strcmp(type, "anomaly") != 0)
				ret = fail(
					m, r->path,
					"line %lu: not a tcplint jsonl record",
					lineno);
			json_decref(o);
		}
	}
	free(line);
	if (ret == 0 && ferror(fp))
		ret = fail(m, r->path, "read error: %s", strerror(errno));
	if (ret == 0 && !r->doc)
		ret = fail(m, r->path,
			   "no summary line (the run did not finish?)");
	if (ret == 0)
		r->summary = r->doc;
	return ret;
}

static int read_report(struct merge *m, uint32_t ri)
{
	struct m_report *r = &m->reports[ri];
	FILE *fp = fopen(r->path, "r");
	json_error_t je;
	json_t *tool, *shard, *flows, *f;
	json_int_t schema;
	const char *fail_on;
	size_t i, listed;
	int c, ret;

	if (!fp)
		return fail(m, r->path, "%s", strerror(errno));
	r->doc = json_loadf(fp, JSON_DISABLE_EOF_CHECK, &je);
	if (r->doc && json_is_array(json_object_get(r->doc, "flows")) &&
	    !json_object_get(r->doc, "type")) {
		/* a json report: exactly one document */
		while ((c = getc(fp)) == ' ' || c == '\n' || c == '\t' ||
		       c == '\r')
			;
		if (c != EOF) {
			fclose(fp);
			return fail(m, r->path, "text after the JSON document");
		}
		r->summary = json_object_get(r->doc, "summary");
	} else {
		json_decref(r->doc);
		r->doc = NULL;
		rewind(fp);
		ret = read_jsonl(m, ri, fp);
		if (ret) {
			fclose(fp);
			return ret;
		}
	}
	fclose(fp);
	schema = json_integer_value(json_object_get(r->doc, "schema_version"));
	tool = json_object_get(r->doc, "tool");
	r->inputs = json_object_get(r->doc, "inputs");
	if (!json_is_object(tool) ||
	    !json_is_string(json_object_get(tool, "name")) ||
	    strcmp(json_string_value(json_object_get(tool, "name")),
		   "tcplint") != 0 ||
	    !json_is_object(r->summary) || !json_is_array(r->inputs))
		return fail(m, r->path, "not a tcplint json or jsonl report");
	if (ri == 0)
		m->schema = schema;
	else if (schema != m->schema)
		return fail(m, r->path, "schema_version %lld, but %s has %lld",
			    (long long)schema, m->reports[0].path,
			    (long long)m->schema);
	fail_on = json_string_value(json_object_get(r->summary, "fail_on"));
	if (!fail_on)
		fail_on = "none";
	if (ri == 0)
		m->fail_on = fail_on;
	else if (strcmp(fail_on, m->fail_on) != 0)
		return fail(
			m, r->path,
			"--fail-on %s, but %s used --fail-on %s: their findings cannot be added",
			fail_on, m->reports[0].path, m->fail_on);
	shard = json_object_get(tool, "shard");
	if (shard) {
		json_t *k = json_object_get(shard, "index"),
		       *n = json_object_get(shard, "count");

		if (!is_u64(k) || !is_u64(n) ||
		    json_integer_value(k) >= json_integer_value(n))
			return fail(
				m, r->path,
				"tool.shard is not {index K, count N} with K < N");
		r->shard_index = (uint32_t)json_integer_value(k);
		r->shard_count = (uint32_t)json_integer_value(n);
	}
	flows = r->lines ? r->lines : json_object_get(r->doc, "flows");
	if (!json_is_array(flows))
		return fail(m, r->path, "no flows array");
	listed = json_array_size(flows);
	if (!is_u64(json_object_get(r->summary, "flows")) ||
	    (uint64_t)json_integer_value(
		    json_object_get(r->summary, "flows")) != listed)
		return fail(
			m, r->path,
			"lists %zu of %lld flows (--top or --only-anomalies?): merge needs every flow",
			listed,
			(long long)json_integer_value(
				json_object_get(r->summary, "flows")));
	json_array_foreach(flows, i, f) if (add_flow(m, ri, f)) return -1;
	return 0;
}

/* --- inputs ---------------------------------------------------------------- */

/* The fields two shards' records of one input must agree on. */
static const char *const input_facts[] = {
	"link_type", "packets", "tcp_packets", "decode_errors",
	"not_tcp",   "errors",  "failed",
};

static int map_inputs(struct merge *m, uint32_t ri)
{
	struct m_report *r = &m->reports[ri];
	size_t n = json_array_size(r->inputs), i;
	json_t *in;

	r->input_map = calloc(n ? n : 1, sizeof(*r->input_map));
	if (!r->input_map)
		return fail(m, r->path, "out of memory");
	json_array_foreach(r->inputs, i, in)
	{
		const char *file =
			json_string_value(json_object_get(in, "file"));
		uint32_t occ = 0, j;
		struct m_input *mi = NULL;

		if (!file)
			return fail(m, r->path, "input %zu has no file name",
				    i);
		for (size_t k = 0; k < i; k++) {
			const char *o = json_string_value(json_object_get(
				json_array_get(r->inputs, k), "file"));

			if (o && strcmp(o, file) == 0)
				occ++;
		}
		for (j = 0; j < m->ninputs; j++)
			if (m->inputs[j].occurrence == occ &&
			    strcmp(m->inputs[j].file, file) == 0) {
				mi = &m->inputs[j];
				break;
			}
		if (mi) {
			bool clash = r->shard_count == 0 ||
				     mi->shard_count != r->shard_count ||
				     (r->shard_index < 64 &&
				      (mi->shards_seen >> r->shard_index) & 1);

			if (clash)
				return fail(
					m, r->path,
					"%s is also in %s and the two are not different shards of one --shard N: they overlap",
					file, mi->first_report);
			for (size_t k = 0;
			     k < sizeof(input_facts) / sizeof(input_facts[0]);
			     k++)
				if (!json_equal(
					    json_object_get(in, input_facts[k]),
					    json_object_get(mi->rec,
							    input_facts[k])))
					return fail(
						m, r->path,
						"%s: %s differs from %s's (not the same capture?)",
						file, input_facts[k],
						mi->first_report);
		} else {
			if (m->ninputs == m->inputs_cap) {
				uint32_t cap =
					m->inputs_cap ? m->inputs_cap * 2 : 16;
				struct m_input *v =
					realloc(m->inputs, cap * sizeof(*v));

				if (!v)
					return fail(m, r->path,
						    "out of memory");
				m->inputs = v;
				m->inputs_cap = cap;
			}
			mi = &m->inputs[m->ninputs++];
			memset(mi, 0, sizeof(*mi));
			mi->rec = in;
			mi->file = file;
			mi->occurrence = occ;
			mi->shard_count = r->shard_count;
			mi->first_report = r->path;
			j = m->ninputs - 1;
		}
		if (r->shard_count && r->shard_index < 64)
			mi->shards_seen |= 1ULL << r->shard_index;
		mi->nreports++;
		r->input_map[i] = j;
	}
	return 0;
}

/* Shards of an input that no report gave: said once on stderr, the merged
 * report then covers only part of that input's connections. */
static void warn_missing_shards(const struct merge *m)
{
	for (uint32_t i = 0; i < m->ninputs; i++) {
		const struct m_input *mi = &m->inputs[i];
		uint32_t n = mi->shard_count;

		if (n == 0 || n > 64)
			continue;
		if (mi->shards_seen != (n == 64 ? UINT64_MAX : (1ULL << n) - 1))
			fprintf(stderr,
				"tcplint merge: warning: %s: %u of %u shards given; "
				"the merged report has only their connections\n",
				mi->file,
				(unsigned)__builtin_popcountll(mi->shards_seen),
				n);
	}
}

/* --- flows ----------------------------------------------------------------- */

static int flow_order(const void *pa, const void *pb)
{
	const struct m_flow *a = pa, *b = pb;

	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	if (a->first_frame != b->first_frame)
		return a->first_frame < b->first_frame ? -1 : 1;
	if (a->report != b->report)
		return a->report < b->report ? -1 : 1;
	return a->old_id < b->old_id ? -1 : a->old_id > b->old_id;
}

/* Renumber: the flows in single-run order, ids from 0. */
static void renumber(struct merge *m)
{
	for (size_t i = 0; i < m->nflows; i++)
		m->flows[i].input = m->reports[m->flows[i].report]
					    .input_map[m->flows[i].input];
	if (m->nflows)
		qsort(m->flows, m->nflows, sizeof(*m->flows), flow_order);
	for (size_t i = 0; i < m->nflows; i++) {
		struct m_flow *f = &m->flows[i];

		f->new_id = i;
		json_object_set_new(f->rec, "id", json_integer((json_int_t)i));
		json_object_set_new(f->rec, "input", json_integer(f->input));
	}
}

/* --- the summary ----------------------------------------------------------- */

static void add_u64(json_t *into, const char *key, json_t *v)
{
	json_t *cur = json_object_get(into, key);

	if (!is_u64(v))
		return;
	json_object_set_new(into, key,
			    json_integer((cur ? json_integer_value(cur) : 0) +
					 json_integer_value(v)));
}

/* Add every count of table `from` into `into` (objects of name -> count),
 * keeping into's order and appending names it lacks. */
static void add_table(json_t *into, json_t *from)
{
	const char *k;
	json_t *v;

	json_object_foreach(from, k, v) add_u64(into, k, v);
}

struct m_top {
	uint64_t id;
	uint32_t input;
	json_int_t anomalies;
};

static int top_order(const void *pa, const void *pb)
{
	const struct m_top *a = pa, *b = pb;

	if (a->anomalies != b->anomalies)
		return a->anomalies > b->anomalies ? -1 : 1;
	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* A flow's anomalies, stored or only counted (report_flow_anomalies). */
static json_int_t flow_anomalies(json_t *f)
{
	json_t *counts = json_object_get(f, "anomaly_counts"), *v;
	json_int_t n = 0, stored = (json_int_t)json_array_size(
				  json_object_get(f, "anomalies"));
	const char *k;

	json_object_foreach(counts, k, v) n += json_integer_value(v);
	return n < stored ? stored : n;
}

/* top_flows chosen again over every merged flow, as one run chooses it:
 * most anomalies first, then by input and id; REPORT_TOP_DEFAULT of them
 * (reports with --top cannot be merged). */
static json_t *merge_top(const struct merge *m)
{
	struct m_top best[REPORT_TOP_DEFAULT];
	size_t n = 0;
	json_t *out = json_array();

	for (size_t i = 0; i < m->nflows; i++) {
		struct m_top e = {m->flows[i].new_id, m->flows[i].input,
				  flow_anomalies(m->flows[i].rec)};
		size_t pos = n;

		if (e.anomalies == 0)
			continue;
		while (pos > 0 && top_order(&e, &best[pos - 1]) < 0)
			pos--;
		if (pos >= REPORT_TOP_DEFAULT)
			continue;
		if (n < REPORT_TOP_DEFAULT)
			n++;
		memmove(&best[pos + 1], &best[pos],
			(n - 1 - pos) * sizeof(best[0]));
		best[pos] = e;
	}
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out,
				      json_pack("{s:I, s:i, s:I}", "id",
						(json_int_t)best[i].id, "input",
						(int)best[i].input, "anomalies",
						best[i].anomalies));
	return out;
}

/* The summary fields, in the order analyze writes them, into s. */
static void merge_summary(struct merge *m, json_t *s)
{
	static const char *const sums[] = {"flows", "flows_with_anomalies"};
	static const char *const tables[] = {"anomalies", "severities",
					     "handshakes", "closes"};
	static const char *const later[] = {"evictions"};
	static const char *const counts[] = {"findings", "flows_failed"};
	json_int_t exit_code = 0;

	json_object_set_new(s, "packets", json_integer(0));
	json_object_set_new(s, "tcp_packets", json_integer(0));
	json_object_set_new(s, "decode_errors", json_integer(0));
	for (uint32_t i = 0; i < m->ninputs; i++) {
		add_u64(s, "packets",
			json_object_get(m->inputs[i].rec, "packets"));
		add_u64(s, "tcp_packets",
			json_object_get(m->inputs[i].rec, "tcp_packets"));
		add_u64(s, "decode_errors",
			json_object_get(m->inputs[i].rec, "decode_errors"));
	}
	for (size_t k = 0; k < 2; k++)
		json_object_set_new(s, sums[k], json_integer(0));
	for (size_t k = 0; k < 4; k++)
		json_object_set_new(s, tables[k], json_object());
	for (uint32_t ri = 0; ri < m->nreports; ri++) {
		json_t *rs = m->reports[ri].summary;

		for (size_t k = 0; k < 2; k++)
			add_u64(s, sums[k], json_object_get(rs, sums[k]));
		for (size_t k = 0; k < 4; k++)
			add_table(json_object_get(s, tables[k]),
				  json_object_get(rs, tables[k]));
	}
	json_object_set_new(s, "top_flows", merge_top(m));
	json_object_set_new(s, "evictions", json_integer(0));
	json_object_set_new(s, "fail_on", json_string(m->fail_on));
	for (size_t k = 0; k < 2; k++)
		json_object_set_new(s, counts[k], json_integer(0));
	for (uint32_t ri = 0; ri < m->nreports; ri++) {
		json_t *rs = m->reports[ri].summary;
		json_int_t e =
			json_integer_value(json_object_get(rs, "exit_code"));

		add_u64(s, later[0], json_object_get(rs, later[0]));
		for (size_t k = 0; k < 2; k++)
			add_u64(s, counts[k], json_object_get(rs, counts[k]));
		if (e > exit_code)
			exit_code = e;
	}
	json_object_set_new(s, "exit_code", json_integer(exit_code));
}

/* --- writing --------------------------------------------------------------- */

static json_t *merged_tool(void)
{
	return json_pack("{s:s, s:s, s:s}", "name", "tcplint", "version",
			 TCPLINT_VERSION, "command", "merge");
}

static json_t *merged_inputs(const struct merge *m)
{
	json_t *a = json_array();

	for (uint32_t i = 0; i < m->ninputs; i++)
		json_array_append(a, m->inputs[i].rec);
	return a;
}

static int dump_line(FILE *out, json_t *o, size_t flags)
{
	char *text = json_dumps(o, flags);
	int ret = text && fputs(text, out) != EOF && fputc('\n', out) != EOF
			  ? 0
			  : -1;

	free(text);
	return ret;
}

static int write_json(struct merge *m, FILE *out, bool pretty)
{
	json_t *doc = json_object(), *sum = json_object(),
	       *flows = json_array();
	int ret;

	json_object_set_new(doc, "schema_version", json_integer(m->schema));
	json_object_set_new(doc, "tool", merged_tool());
	json_object_set_new(doc, "inputs", merged_inputs(m));
	merge_summary(m, sum);
	json_object_set_new(doc, "summary", sum);
	for (size_t i = 0; i < m->nflows; i++) {
		json_t *f = json_deep_copy(m->flows[i].rec);

		json_object_del(f, "type");
		json_array_append_new(flows, f);
	}
	json_object_set_new(doc, "flows", flows);
	ret = dump_line(out, doc,
			pretty ? MERGE_FLAGS_PRETTY : MERGE_FLAGS_COMPACT);
	json_decref(doc);
	return ret;
}

/* jsonl: each flow line as analyze writes it ("type":"flow" first), then
 * the summary line. */
static int write_jsonl(struct merge *m, FILE *out)
{
	json_t *sum = json_object();
	int ret = 0;

	for (size_t i = 0; i < m->nflows && ret == 0; i++) {
		json_t *line = json_object(), *f = m->flows[i].rec;
		const char *k;
		json_t *v;

		json_object_set_new(line, "type", json_string("flow"));
		json_object_foreach(f, k, v) if (strcmp(k, "type") != 0)
			json_object_set(line, k, v);
		ret = dump_line(out, line, MERGE_FLAGS_COMPACT);
		json_decref(line);
	}
	json_object_set_new(sum, "type", json_string("summary"));
	json_object_set_new(sum, "schema_version", json_integer(m->schema));
	json_object_set_new(sum, "tool", merged_tool());
	json_object_set_new(sum, "inputs", merged_inputs(m));
	merge_summary(m, sum);
	if (ret == 0)
		ret = dump_line(out, sum, MERGE_FLAGS_COMPACT);
	json_decref(sum);
	return ret;
}

/* --- the command ----------------------------------------------------------- */

static void merge_usage(FILE *f)
{
	fputs("Usage: tcplint merge [--format json|jsonl] [-o FILE] [--compact] REPORT...\n"
	      "\n"
	      "Join tcplint json or jsonl reports into one: the reports of the shards of one\n"
	      "capture (analyze --shard K/N, K = 0..N-1) become the report of one run, flow\n"
	      "for flow; reports of different captures are listed one after the other.\n"
	      "Totals are added and flow ids renumbered as one run numbers them. Reports\n"
	      "must list every flow (no --top, --only-anomalies), share schema_version and\n"
	      "--fail-on, and not overlap (one input in two reports must come from two\n"
	      "shards of the same N, and agree on its packets).\n"
	      "\n"
	      "  --format FORMAT   json (default) or jsonl\n"
	      "  -o FILE           write to FILE (atomically: temp file + rename)\n"
	      "  --compact         JSON on one line (the default unless stdout is a terminal)\n"
	      "  --force           let -o overwrite one of the reports or a capture file\n"
	      "\n"
	      "Exit codes: the largest exit_code of the reports; 2 when a report cannot be\n"
	      "read or merged. See docs/SCALING.md.\n",
	      f);
}

static void merge_free(struct merge *m)
{
	for (uint32_t i = 0; i < m->nreports; i++) {
		json_decref(m->reports[i].doc);
		json_decref(m->reports[i].lines);
		free(m->reports[i].input_map);
	}
	free(m->reports);
	free(m->inputs);
	free(m->flows);
}

int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'F'},
		{"output", required_argument, NULL, 'o'},
		{"compact", no_argument, NULL, 'C'},
		{"force", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "json", *path = NULL;
	bool compact = false, force = false;
	struct merge m;
	struct tl_output out;
	char err[256];
	int c, status = TL_EXIT_INPUT, wr;

	memset(&m, 0, sizeof(m));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+F:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			format = optarg;
			break;
		case 'o':
			path = optarg;
			break;
		case 'C':
			compact = true;
			break;
		case 'f':
			force = true;
			break;
		case 'h':
			merge_usage(stdout);
			return TL_EXIT_OK;
		default:
			fprintf(stderr,
				"tcplint merge: unknown option or missing value: %s "
				"(see tcplint merge --help)\n",
				argv[optind - 1]);
			return TL_EXIT_USAGE;
		}
	}
	if (strcmp(format, "json") != 0 && strcmp(format, "jsonl") != 0) {
		fprintf(stderr,
			"tcplint merge: --format: json or jsonl, not '%s'\n",
			format);
		return TL_EXIT_USAGE;
	}
	if (optind >= argc) {
		fprintf(stderr,
			"tcplint merge: no report given (see tcplint merge --help)\n");
		return TL_EXIT_USAGE;
	}
	m.nreports = (uint32_t)(argc - optind);
	m.reports = calloc(m.nreports, sizeof(*m.reports));
	if (!m.reports) {
		fprintf(stderr, "tcplint merge: out of memory\n");
		return TL_EXIT_INPUT;
	}
	for (uint32_t i = 0; i < m.nreports; i++)
		m.reports[i].path = argv[optind + (int)i];
	for (uint32_t i = 0; i < m.nreports; i++)
		if (read_report(&m, i) || map_inputs(&m, i))
			goto done;
	warn_missing_shards(&m);
	renumber(&m);
	if ((!force &&
	     output_check_safe(path, "-o", (const char *const *)argv + optind,
			       m.nreports, err, sizeof(err))) ||
	    output_open(&out, path, err, sizeof(err)) != 0) {
		snprintf(m.err, sizeof(m.err), "%s", err);
		goto done;
	}
	if (strcmp(format, "json") == 0)
		wr = write_json(&m, out.fp,
				!compact && !out.tmp_path &&
					isatty(fileno(out.fp)));
	else
		wr = write_jsonl(&m, out.fp);
	if (wr != 0) {
		output_abort(&out);
		snprintf(m.err, sizeof(m.err),
			 "cannot write the merged report: %s", strerror(errno));
		goto done;
	}
	if (output_commit(&out, err, sizeof(err)) != 0) {
		snprintf(m.err, sizeof(m.err), "%s", err);
		goto done;
	}
	{
		json_int_t worst = 0;

		for (uint32_t i = 0; i < m.nreports; i++) {
			json_int_t e = json_integer_value(json_object_get(
				m.reports[i].summary, "exit_code"));

			if (e > worst)
				worst = e;
		}
		status = worst > TL_EXIT_INPUT ? TL_EXIT_INPUT : (int)worst;
	}
	m.err[0] = '\0';
done:
	if (m.err[0])
		fprintf(stderr, "tcplint merge: %s\n", m.err);
	merge_free(&m);
	return status;
}
