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
 * Results are written as flows finish; jansson is not used (report_json.c is
 * the only jansson user), so strings go through sarif_str()'s escaper.
 */
#include "formats/report.h"

#include <stdlib.h>
#include <string.h>

#include "analyzer/anomaly.h"

#define SARIF_RULE_EXPECT ANOMALY_TYPE_COUNT /* index of "expectation" */

struct sarif_state {
	uint64_t results;
};

/* A JSON string literal. */
static void sarif_str(FILE *o, const char *s)
{
	fputc('"', o);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", o);
			break;
		case '\\':
			fputs("\\\\", o);
			break;
		case '\n':
			fputs("\\n", o);
			break;
		case '\t':
			fputs("\\t", o);
			break;
		case '\r':
			fputs("\\r", o);
			break;
		default:
			if (*p < 0x20)
				fprintf(o, "\\u%04x", *p);
			else
				fputc(*p, o);
		}
	}
	fputc('"', o);
}

/* A relative URI reference for a path: unreserved characters and '/' kept,
 * everything else percent-encoded. */
static void sarif_uri(FILE *o, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";

	fputc('"', o);
	if (strcmp(path, "-") == 0)
		path = "stdin";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			fputc(*p, o);
		else
			fprintf(o, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	fputc('"', o);
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
static void sarif_pascal(FILE *o, const char *name)
{
	bool up = true;

	fputc('"', o);
	for (const char *p = name; *p; p++) {
		if (*p == '_') {
			up = true;
			continue;
		}
		fputc(up && *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p, o);
		up = false;
	}
	fputc('"', o);
}

static void sarif_rule(FILE *o, const char *id, const char *text,
		       const char *level, bool last)
{
	fputs("          {\n            \"id\": ", o);
	sarif_str(o, id);
	fputs(",\n            \"name\": ", o);
	sarif_pascal(o, id);
	fputs(",\n            \"shortDescription\": {\"text\": ", o);
	sarif_str(o, text);
	fputs("},\n            \"fullDescription\": {\"text\": ", o);
	sarif_str(o, text);
	fputs("},\n            \"help\": {\"text\": ", o);
	sarif_str(o, text);
	fputs("},\n            \"defaultConfiguration\": {\"level\": ", o);
	sarif_str(o, level);
	fputs("},\n            \"properties\": {\"tags\": [\"tcp\", \"network\"]}\n          }", o);
	fputs(last ? "\n" : ",\n", o);
}

static int sarif_begin(struct report_ctx *rc)
{
	FILE *o = rc->out;

	rc->priv = calloc(1, sizeof(struct sarif_state));
	if (!rc->priv)
		return -1;
	fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
	      "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
	      "      \"tool\": {\n        \"driver\": {\n"
	      "          \"name\": \"tcplint\",\n          \"version\": ", o);
	sarif_str(o, rc->set.version ? rc->set.version : "0");
	fputs(",\n          \"semanticVersion\": ", o);
	sarif_str(o, rc->set.version ? rc->set.version : "0");
	fputs(",\n          \"rules\": [\n", o);
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		sarif_rule(o, anomaly_type_name(t), anomaly_type_summary(t),
			   sarif_level(anomaly_type_severity(t)), false);
	sarif_rule(o, "expectation",
		   "A flow or the capture broke an expectation of the --expect file.",
		   "error", true);
	fputs("          ]\n        }\n      },\n      \"artifacts\": [\n", o);
	for (uint32_t i = 0; i < rc->set.ninput_names; i++) {
		fputs("        {\"location\": {\"uri\": ", o);
		sarif_uri(o, report_input_name(rc, i));
		fputs("}}", o);
		fputs(i + 1 < rc->set.ninput_names ? ",\n" : "\n", o);
	}
	fputs("      ],\n      \"columnKind\": \"unicodeCodePoints\",\n"
	      "      \"results\": [", o);
	return 0;
}

static void sarif_location(struct report_ctx *rc, const struct flow_record *f,
			   uint64_t frame)
{
	FILE *o = rc->out;
	char name[64];

	fputs("          \"locations\": [{\n"
	      "            \"physicalLocation\": {\n"
	      "              \"artifactLocation\": {\"uri\": ", o);
	sarif_uri(o, report_input_name(rc, f->input));
	if (f->input < rc->set.ninput_names)
		fprintf(o, ", \"index\": %u", f->input);
	fputs("}", o);
	if (frame)
		fprintf(o, ",\n              \"region\": {\"startLine\": %llu}",
			(unsigned long long)frame);
	snprintf(name, sizeof(name), "flow %llu", (unsigned long long)f->id);
	fputs("\n            },\n            \"logicalLocations\": [{\"name\": ", o);
	sarif_str(o, name);
	fputs(", \"kind\": \"object\"}]\n          }],\n", o);
}

static void sarif_result_start(struct report_ctx *rc, const char *rule,
			       int rule_index, const char *level,
			       const char *msg)
{
	struct sarif_state *ss = rc->priv;
	FILE *o = rc->out;

	fputs(ss->results++ ? ",\n" : "\n", o);
	fputs("        {\n          \"ruleId\": ", o);
	sarif_str(o, rule);
	fprintf(o, ",\n          \"ruleIndex\": %d,\n          \"level\": ",
		rule_index);
	sarif_str(o, level);
	fputs(",\n          \"message\": {\"text\": ", o);
	sarif_str(o, msg);
	fputs("},\n", o);
}

static void sarif_flow_props(struct report_ctx *rc,
			     const struct flow_record *f, uint64_t frame,
			     const char *extra_key, const char *extra_val)
{
	FILE *o = rc->out;
	char cli[64], srv[64];

	report_format_endpoint(&f->ep[ROLE_CLIENT].addr, cli, sizeof(cli));
	report_format_endpoint(&f->ep[ROLE_SERVER].addr, srv, sizeof(srv));
	fprintf(o, "          \"properties\": {\"flow\": %llu, \"frame\": %llu, \"client\": ",
		(unsigned long long)f->id, (unsigned long long)frame);
	sarif_str(o, cli);
	fputs(", \"server\": ", o);
	sarif_str(o, srv);
	if (extra_key) {
		fputs(", ", o);
		sarif_str(o, extra_key);
		fputs(": ", o);
		sarif_str(o, extra_val);
	}
	fputs("}\n        }", o);
}

static int sarif_flow(struct report_ctx *rc, const struct flow_record *f,
		      const struct report_flow_info *info)
{
	FILE *o = rc->out;
	char msg[512], key[160];

	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++) {
		const struct anomaly *a = &f->anomalies[i];

		anomaly_describe(f, a, msg, sizeof(msg));
		sarif_result_start(rc, anomaly_type_name(a->type), a->type,
				   sarif_level(a->severity), msg);
		sarif_location(rc, f, a->frame);
		report_finding_key(f, a, key, sizeof(key));
		fputs("          \"partialFingerprints\": {\"tcplintFinding/v1\": ", o);
		sarif_str(o, key);
		fputs("},\n", o);
		sarif_flow_props(rc, f, a->frame, "confidence",
				 confidence_name(a->confidence));
	}
	for (uint32_t i = 0; i < info->nfailures; i++) {
		const struct expect_failure *e = &info->failures[i];

		snprintf(msg, sizeof(msg), "flow %llu broke expectation line %u (%s): %s",
			 (unsigned long long)f->id, e->line, e->rule, e->message);
		sarif_result_start(rc, "expectation", SARIF_RULE_EXPECT, "error", msg);
		sarif_location(rc, f, f->first_frame);
		sarif_flow_props(rc, f, f->first_frame, "rule", e->rule);
	}
	return 0;
}

static int sarif_end(struct report_ctx *rc, const struct report_end_info *end)
{
	struct sarif_state *ss = rc->priv;
	FILE *o = rc->out;
	bool ok = true;
	char msg[512];

	for (uint32_t i = 0; i < end->nglobal_failures; i++) {
		const struct expect_failure *e = &end->global_failures[i];

		snprintf(msg, sizeof(msg), "expectation line %u (%s): %s",
			 e->line, e->rule, e->message);
		sarif_result_start(rc, "expectation", SARIF_RULE_EXPECT, "error", msg);
		fputs("          \"properties\": {\"rule\": ", o);
		sarif_str(o, e->rule);
		fputs("}\n        }", o);
	}
	fputs(ss->results ? "\n      ],\n" : "],\n", o);
	for (uint32_t i = 0; i < rc->ninputs; i++)
		if (rc->inputs[i].failed)
			ok = false;
	fprintf(o, "      \"invocations\": [\n        {\n"
		   "          \"executionSuccessful\": %s,\n"
		   "          \"exitCode\": %d",
		ok ? "true" : "false", end->exit_code);
	if (!ok) {
		bool first = true;

		fputs(",\n          \"toolExecutionNotifications\": [", o);
		for (uint32_t i = 0; i < rc->ninputs; i++) {
			if (!rc->inputs[i].failed)
				continue;
			fputs(first ? "\n" : ",\n", o);
			first = false;
			fputs("            {\"level\": \"error\", \"message\": {\"text\": ", o);
			sarif_str(o, rc->inputs[i].error[0] ? rc->inputs[i].error : "input failed");
			fputs("}}", o);
		}
		fputs("\n          ]", o);
	}
	fputs("\n        }\n      ]\n    }\n  ]\n}\n", o);
	return 0;
}

static void sarif_free(struct report_ctx *rc)
{
	free(rc->priv);
	rc->priv = NULL;
}

const struct report_ops report_sarif_ops = {
	.name = "sarif",
	.summary = "SARIF 2.1.0 for code-scanning dashboards (one result per anomaly)",
	.begin = sarif_begin,
	.flow = sarif_flow,
	.end = sarif_end,
	.free = sarif_free,
};
