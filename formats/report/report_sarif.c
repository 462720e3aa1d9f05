/*
 * report_sarif.c - SARIF 2.1.0 for code-scanning dashboards.
 *
 * One run; tool.driver.rules holds one rule per anomaly type (documented by
 * anomaly_type_summary()) plus the rule "expectation" for broken --expect
 * lines; one result per anomaly. A result's location is the capture file
 * (artifactLocation, relative path as given on the command line) and the
 * frame, given as region.startLine (SARIF regions count lines; tcplint's
 * "line" is the Wireshark frame number, also in properties.frame), with a
 * logical location naming the flow. partialFingerprints carry the baseline
 * key (report_finding_key) so dashboards track a finding across runs.
 *
 * Results are written as flows finish, so a live capture's memory stays
 * bounded. The head (everything of the run before "results") is one jansson
 * document whose closing "}]}" is cut off; the results, one per anomaly,
 * follow one a line, each written by the streaming writer (json_writer.h)
 * with every non-ASCII character escaped as jansson's JSON_ENSURE_ASCII
 * would; the end puts the invocation (jansson again) and the closing
 * brackets back.
 */
#include "formats/report/report.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "formats/report/anomaly.h"
#include "formats/report/json_text.h"
#include "formats/report/json_writer.h"

#define SARIF_RULE_EXPECT ANOMALY_TYPE_COUNT /* index of "expectation" */
#define SARIF_FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII)

struct sarif_state {
	uint64_t results;
	struct json_writer w; /* (owned) reused for every result */
};

/* Write one value (and drop it): the separator first. */
static int sarif_put(FILE *o, const char *before, json_t *v)
{
	char *text = v ? json_dumps(v, SARIF_FLAGS) : NULL;
	int ret = text && fputs(before, o) != EOF && fputs(text, o) != EOF ? 0
									   : -1;

	free(text);
	json_decref(v);
	return ret;
}

#define SARIF_URI_MAX (3 * 1024 + 1)

/* A relative URI reference for a path: unreserved characters and '/' kept,
 * everything else percent-encoded (into buf, SARIF_URI_MAX bytes). */
static const char *sarif_uri_text(const char *path, char *buf)
{
	static const char hex[] = "0123456789ABCDEF";
	char real[PATH_MAX];
	size_t n = 0;

	if (strcmp(path, "-") == 0)
		path = "stdin";
	/* an absolute path is a file: URI (a relative reference may not
	 * begin with a slash), with no '..' in it: resolved when the file is
	 * there; so is a relative path that climbs out with '..' */
	if (path[0] == '/' || strstr(path, "..") != NULL) {
		if (realpath(path, real) != NULL)
			path = real;
		if (path[0] == '/') {
			memcpy(buf, "file://", 7);
			n = 7;
		}
	}
	for (const unsigned char *p = (const unsigned char *)path;
	     *p && n + 3 < SARIF_URI_MAX; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			buf[n++] = (char)*p;
		} else {
			buf[n++] = '%';
			buf[n++] = hex[*p >> 4];
			buf[n++] = hex[*p & 15];
		}
	}
	buf[n] = '\0';
	return buf;
}

static const char *sarif_level(int sev)
{
	switch (sev) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	default:
		return "note";
	}
}

/* "missing_ack" -> "MissingAck" */
static json_t *sarif_pascal(const char *name)
{
	char buf[64];
	size_t n = 0;
	bool up = true;

	for (const char *p = name; *p && n + 1 < sizeof(buf); p++) {
		if (*p == '_') {
			up = true;
			continue;
		}
		buf[n++] = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A')
							: *p;
		up = false;
	}
	buf[n] = '\0';
	return json_string(buf);
}

static json_t *sarif_text(const char *text)
{
	return json_pack("{s:o}", "text", json_text(text));
}

/* "file://DOCDIR/docs/ANOMALIES.md#missing_ack-error": the installed
 * section of the rule (GitHub's anchor of its heading), or of EXPECT.md. */
static void sarif_help_uri(const char *id, const char *level, char *buf,
			   size_t len)
{
	if (strcmp(id, "expectation") == 0)
		snprintf(buf, len, "file://%s/docs/EXPECT.md", TCPLINT_DOCDIR);
	else
		snprintf(buf, len, "file://%s/docs/ANOMALIES.md#%s-%s",
			 TCPLINT_DOCDIR, id,
			 strcmp(level, "note") == 0 ? "info" : level);
}

/* "missing_ack" -> "TcpMissingAck": a name people read, never equal to
 * the stable id (SARIF 3.49.7). */
static json_t *sarif_rule_name(const char *id)
{
	char buf[80];
	json_t *p;

	if (strcmp(id, "expectation") == 0)
		return json_string("BrokenExpectation");
	p = sarif_pascal(id);
	snprintf(buf, sizeof(buf), "Tcp%s", json_string_value(p));
	json_decref(p);
	return json_string(buf);
}

static json_t *sarif_rule(const char *id, const char *summary,
			  const char *level)
{
	json_t *name = sarif_rule_name(id);
	char help_uri[512];

	char sentence[448], full[512], help[768];
	size_t n;
	json_t *r = json_object();

	sarif_help_uri(id, level, help_uri, sizeof(help_uri));

	/* the summary as a sentence: capital first, full stop last */
	n = (size_t)snprintf(sentence, sizeof(sentence), "%s", summary);
	if (sentence[0] >= 'a' && sentence[0] <= 'z')
		sentence[0] = (char)(sentence[0] - 'a' + 'A');
	if (n > 0 && n + 1 < sizeof(sentence) && sentence[n - 1] != '.')
		memcpy(sentence + n, ".", 2);
	snprintf(full, sizeof(full), "%s Default level: %s.", sentence, level);
	snprintf(help, sizeof(help),
		 "%s The exact rule, its thresholds (each a command-line "
		 "option) and where it differs from Wireshark's TCP analysis "
		 "are in tcplint's docs/ANOMALIES.md; `tcplint analyze --flow "
		 "ID --explain CAPTURE` draws the flow as a ladder diagram "
		 "with the finding at its frame.",
		 sentence);
	json_object_set_new(r, "id", json_string(id));
	json_object_set_new(r, "name", name);
	json_object_set_new(r, "shortDescription", sarif_text(summary));
	json_object_set_new(r, "fullDescription", sarif_text(full));
	json_object_set_new(r, "help", sarif_text(help));
	json_object_set_new(r, "helpUri", json_string(help_uri));
	json_object_set_new(r, "defaultConfiguration",
			    json_pack("{s:s}", "level", level));
	json_object_set_new(r, "properties",
			    json_pack("{s:[s,s]}", "tags", "tcp", "network"));
	return r;
}

static int sarif_begin(struct report_ctx *rc)
{
	const char *version = rc->set.version ? rc->set.version : "0";
	struct sarif_state *ss = calloc(1, sizeof(*ss));
	json_t *doc, *run, *rules;
	char *head;
	size_t len;
	int ret = -1;

	if (!ss)
		return -1;
	json_writer_init(&ss->w);
	rc->priv = ss;
	rules = json_array();
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		json_array_append_new(
			rules,
			sarif_rule(anomaly_type_name(t),
				   anomaly_type_summary(t),
				   sarif_level(anomaly_type_severity(t))));
	json_array_append_new(
		rules,
		sarif_rule(
			"expectation",
			"A flow or the capture broke an expectation of the --expect file.",
			"error"));
	run = json_object();
	json_object_set_new(run, "tool",
			    json_pack("{s:{s:s,s:s,s:s,s:s,s:o}}", "driver",
				      "name", "tcplint", "version", version,
				      "semanticVersion", version,
				      "informationUri",
				      "file://" TCPLINT_DOCDIR "/README.md",
				      "rules", rules));
	json_object_set_new(run, "columnKind",
			    json_string("unicodeCodePoints"));
	doc = json_object();
	json_object_set_new(
		doc, "$schema",
		json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(doc, "version", json_string("2.1.0"));
	json_object_set_new(doc, "runs", json_pack("[o]", run));
	/* the run is the last value of the last member: the text ends "}]}" */
	head = json_dumps(doc, SARIF_FLAGS);
	json_decref(doc);
	if (head && (len = strlen(head)) > 3 &&
	    strcmp(head + len - 3, "}]}") == 0) {
		head[len - 3] = '\0';
		if (fputs(head, rc->out) != EOF &&
		    fputs(",\"results\":[", rc->out) != EOF)
			ret = 0;
	}
	free(head);
	return ret;
}

/* "locations": the capture file and, when known, the frame. */
static void sarif_location(struct json_writer *w, struct report_ctx *rc,
			   const struct flow_record *f, uint64_t frame)
{
	char uri[SARIF_URI_MAX], name[64];

	snprintf(name, sizeof(name), "flow %llu", (unsigned long long)f->id);
	json_writer_array(w, "locations");
	json_writer_object(w, NULL);
	json_writer_object(w, "physicalLocation");
	json_writer_object(w, "artifactLocation");
	json_writer_str(w, "uri",
			sarif_uri_text(report_input_name(rc, f->input), uri));
	json_writer_end(w);
	if (frame) {
		json_writer_object(w, "region");
		json_writer_int(w, "startLine", (int64_t)frame);
		json_writer_end(w);
	}
	json_writer_end(w);
	json_writer_array(w, "logicalLocations");
	json_writer_object(w, NULL);
	json_writer_str(w, "name", name);
	json_writer_str(w, "kind", "object");
	json_writer_end(w);
	json_writer_end(w);
	json_writer_end(w);
	json_writer_end(w);
}

/* The first members of a result (its object left open). */
static void sarif_result(struct json_writer *w, const char *rule,
			 int rule_index, const char *level, const char *msg)
{
	json_writer_object(w, NULL);
	json_writer_str(w, "ruleId", rule);
	json_writer_int(w, "ruleIndex", rule_index);
	json_writer_str(w, "level", level);
	json_writer_object(w, "message");
	json_writer_str(w, "text", msg);
	json_writer_end(w);
}

/* The first members of "properties" (its object left open). */
static void sarif_flow_props(struct json_writer *w, const struct flow_record *f,
			     uint64_t frame)
{
	char cli[64], srv[64];

	report_format_endpoint(&f->tuple, TUPLE_SRC, cli, sizeof(cli));
	report_format_endpoint(&f->tuple, TUPLE_DST, srv, sizeof(srv));
	json_writer_object(w, "properties");
	json_writer_int(w, "flow", (int64_t)f->id);
	json_writer_int(w, "frame", (int64_t)frame);
	json_writer_str(w, "client", cli);
	json_writer_str(w, "server", srv);
}

/* Start a result's text in the writer. */
static struct json_writer *sarif_writer(struct report_ctx *rc)
{
	struct sarif_state *ss = rc->priv;

	json_writer_reset(&ss->w, JSON_WRITER_ASCII, 0);
	return &ss->w;
}

/* Write the finished result: the separator first. */
static int sarif_emit(struct report_ctx *rc)
{
	struct sarif_state *ss = rc->priv;

	if (json_writer_finish(&ss->w) != 0 ||
	    fputs(ss->results++ ? ",\n" : "\n", rc->out) == EOF ||
	    fwrite(ss->w.buf, 1, ss->w.len, rc->out) != ss->w.len)
		return -1;
	return 0;
}

static int sarif_anomaly_result(struct report_ctx *rc,
				const struct flow_record *f,
				const struct anomaly *a)
{
	struct json_writer *w = sarif_writer(rc);
	char msg[512], key[160];

	anomaly_describe(f, a, msg, sizeof(msg));
	report_finding_key(f, a, key, sizeof(key));
	sarif_result(w, anomaly_type_name(a->type), a->type,
		     sarif_level(a->severity), msg);
	sarif_location(w, rc, f, a->frame);
	json_writer_object(w, "partialFingerprints");
	json_writer_str(w, "tcplintFinding/v1", key);
	json_writer_end(w);
	sarif_flow_props(w, f, a->frame);
	json_writer_str(w, "confidence", confidence_name(a->confidence));
	json_writer_str(w, "cause", anomaly_cause_name(a->type, a->cause));
	json_writer_end(w);
	json_writer_end(w);
	return sarif_emit(rc);
}

static int sarif_failure_result(struct report_ctx *rc,
				const struct flow_record *f,
				const struct expect_failure *e)
{
	struct json_writer *w = sarif_writer(rc);
	char msg[512];

	snprintf(msg, sizeof(msg),
		 "flow %llu broke expectation line %u (%s): %s",
		 (unsigned long long)f->id, e->line, e->rule, e->message);
	sarif_result(w, "expectation", SARIF_RULE_EXPECT, "error", msg);
	sarif_location(w, rc, f, f->first_frame);
	sarif_flow_props(w, f, f->first_frame);
	json_writer_str(w, "rule", e->rule);
	json_writer_end(w);
	json_writer_end(w);
	return sarif_emit(rc);
}

static int sarif_flow(struct report_ctx *rc, const struct flow_record *f,
		      const struct report_flow_info *info)
{
	int ret = 0;

	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++)
		ret |= sarif_anomaly_result(rc, f, &f->anomalies[i]);
	for (uint32_t i = 0; i < info->nfailures; i++)
		ret |= sarif_failure_result(rc, f, &info->failures[i]);
	return ret;
}

/* A broken expectation not tied to a flow. */
static int sarif_global_result(struct report_ctx *rc,
			       const struct expect_failure *e)
{
	struct json_writer *w = sarif_writer(rc);
	char msg[512];

	snprintf(msg, sizeof(msg), "expectation line %u (%s): %s", e->line,
		 e->rule, e->message);
	sarif_result(w, "expectation", SARIF_RULE_EXPECT, "error", msg);
	json_writer_object(w, "properties");
	json_writer_str(w, "rule", e->rule);
	json_writer_end(w);
	json_writer_end(w);
	return sarif_emit(rc);
}

static int sarif_end(struct report_ctx *rc, const struct report_end_info *end)
{
	struct sarif_state *ss = rc->priv;
	json_t *inv, *notes;
	bool ok = true;
	int ret = 0;

	for (uint32_t i = 0; i < end->nglobal_failures; i++)
		ret |= sarif_global_result(rc, &end->global_failures[i]);
	notes = json_array();
	for (uint32_t i = 0; i < rc->ninputs; i++) {
		if (!rc->inputs[i].failed)
			continue;
		ok = false;
		json_array_append_new(
			notes,
			json_pack("{s:s,s:o}", "level", "error", "message",
				  sarif_text(rc->inputs[i].error[0]
						     ? rc->inputs[i].error
						     : "input failed")));
	}
	inv = json_object();
	json_object_set_new(inv, "executionSuccessful", json_boolean(ok));
	json_object_set_new(inv, "exitCode", json_integer(end->exit_code));
	if (ok)
		json_decref(notes);
	else
		json_object_set_new(inv, "toolExecutionNotifications", notes);
	ret |= sarif_put(rc->out,
			 ss->results ? "\n],\"invocations\":["
				     : "],\"invocations\":[",
			 inv);
	if (fputs("]}]}\n", rc->out) == EOF)
		ret = -1;
	return ret;
}

static void sarif_free(struct report_ctx *rc)
{
	struct sarif_state *ss = rc->priv;

	if (!ss)
		return;
	json_writer_free(&ss->w);
	free(ss);
	rc->priv = NULL;
}

const struct report_ops report_sarif_ops = {
	.name = "sarif",
	.summary =
		"SARIF 2.1.0 for code-scanning dashboards (one result per anomaly)",
	.begin = sarif_begin,
	.flow = sarif_flow,
	.end = sarif_end,
	.free = sarif_free,
};
