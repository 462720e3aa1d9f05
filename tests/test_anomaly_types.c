/*
 * test_anomaly_types.c - the anomaly type table (analyzer/anomaly_types.h)
 * against what is built on it: every type has a name, a severity, a
 * confidence and a summary; every cause of every type has a stable
 * snake_case name, its own sentence (formats/report/anomaly.c) and its row
 * in docs/ANOMALIES.md (Causes) and in docs/report.schema.json, and the
 * docs and the schema name no cause the table does not have.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/anomaly_types.h"
#include "analyzer/records.h"
#include "formats/report/anomaly.h"

/* A stable name: lower-case letters, digits and '_', starting with a
 * letter, at most 40 characters. */
static int snake_case(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 40 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static unsigned all_causes(void)
{
	unsigned n = 0;

	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		n += anomaly_cause_count((enum anomaly_type)t);
	return n;
}

static void test_types(void **state)
{
	(void)state;
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++) {
		enum anomaly_type ty = (enum anomaly_type)t;
		const char *name = anomaly_type_name(ty);

		assert_true(snake_case(name));
		assert_int_equal(anomaly_type_from_name(name), t);
		assert_true(anomaly_type_severity(ty) < SEVERITY_COUNT);
		assert_true(anomaly_type_confidence(ty) < CONFIDENCE_COUNT);
		assert_true(strlen(anomaly_type_summary(ty)) > 20);
		assert_true(anomaly_cause_count(ty) >= 1);
		assert_true(anomaly_cause_count(ty) <= UINT8_MAX);
	}
	/* the table's columns as the rules rely on them */
	assert_int_equal(anomaly_type_severity(ANOM_MISSING_ACK), SEV_ERROR);
	assert_int_equal(anomaly_type_confidence(ANOM_ACK_UNSEEN), CONF_MEDIUM);
	assert_int_equal(anomaly_type_confidence(ANOM_LOST_SEGMENT), CONF_LOW);
	assert_int_equal(anomaly_type_confidence(ANOM_MISSING_ACK), CONF_HIGH);
	/* out of range */
	assert_string_equal(anomaly_type_name(ANOMALY_TYPE_COUNT), "?");
	assert_string_equal(anomaly_type_summary(ANOMALY_TYPE_COUNT), "?");
	assert_int_equal(anomaly_cause_count(ANOMALY_TYPE_COUNT), 0);
	assert_string_equal(anomaly_cause_name(ANOMALY_TYPE_COUNT, 0), "?");
	assert_int_equal(anomaly_type_from_name("no_such_type"), -1);
}

static void test_cause_names(void **state)
{
	(void)state;
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++) {
		enum anomaly_type ty = (enum anomaly_type)t;
		unsigned n = anomaly_cause_count(ty);

		for (unsigned c = 0; c < n; c++) {
			const char *name = anomaly_cause_name(ty, c);

			assert_true(snake_case(name));
			/* unique within the type: the name finds it back */
			assert_int_equal(anomaly_cause_from_name(ty, name),
					 (int)c);
		}
		assert_string_equal(anomaly_cause_name(ty, n), "?");
		assert_int_equal(anomaly_cause_from_name(ty, "no_such_cause"),
				 -1);
	}
	/* the enums of the table are the indexes of the names */
	assert_string_equal(anomaly_cause_name(ANOM_MISSING_ACK,
					       CAUSE_MISSING_ACK_ACK_LOST),
			    "ack_lost_after_capture");
	assert_string_equal(anomaly_cause_name(ANOM_HALF_OPEN,
					       CAUSE_HALF_OPEN_CHALLENGE),
			    "challenge_ack");
	assert_string_equal(anomaly_cause_name(ANOM_LOST_SEGMENT,
					       CAUSE_LOST_NOT_CAPTURED),
			    "not_captured");
	/* the record did not grow for it */
	assert_true(sizeof(struct anomaly) <= 48);
}

/* A record of type t with cause c whose fields every sentence can use. */
static void sample(struct anomaly *a, int t, unsigned c)
{
	memset(a, 0, sizeof(*a));
	a->type = (uint8_t)t;
	a->cause = (uint8_t)c;
	a->frame = 12;
	a->ts_ns = 1000000000LL;
	a->ref_frame = 7;
	a->duration_ns = 1400000000LL;
	a->count = 3;
	a->value = 1000;
	a->endpoint = ROLE_SERVER;
	a->state[ROLE_CLIENT] = TCP_ST_FIN_WAIT_2;
	a->state[ROLE_SERVER] = TCP_ST_ESTABLISHED;
}

/* Every cause has a sentence of its own: it names the frame, is not the
 * fallback for an unknown type, and differs from the other causes' of the
 * same type. */
static void test_cause_sentences(void **state)
{
	struct flow_record *f = calloc(1, sizeof(*f));
	char prev[8][512];

	(void)state;
	assert_non_null(f);
	f->end_ns = 9000000000LL;
	f->tuple.dport = 80;
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++) {
		unsigned n = anomaly_cause_count((enum anomaly_type)t);

		assert_true(n <= 8);
		for (unsigned c = 0; c < n; c++) {
			struct anomaly a;
			char *s = prev[c];
			size_t len;

			sample(&a, t, c);
			len = anomaly_describe(f, &a, s, sizeof(prev[c]));
			assert_true(len > 20 && len < sizeof(prev[c]));
			assert_non_null(strstr(s, "12"));
			assert_null(strstr(s, "anomaly "));
			for (unsigned k = 0; k < c; k++)
				if (strcmp(prev[k], s) == 0)
					fail_msg(
						"%s: causes %s and %s say the same: %s",
						anomaly_type_name(t),
						anomaly_cause_name(t, k),
						anomaly_cause_name(t, c), s);
		}
		/* a cause the type does not have still gives a sentence */
		{
			struct anomaly a;
			char s[512];

			sample(&a, t, 200);
			assert_true(anomaly_describe(f, &a, s, sizeof(s)) > 20);
		}
	}
	free(f);
}

static char *read_doc(const char *rel)
{
	char path[512];
	FILE *fp;
	long n;
	char *s;

	snprintf(path, sizeof(path), "%s/%s", TCPLINT_SOURCE_DIR, rel);
	fp = fopen(path, "rb");
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	s[n] = '\0';
	fclose(fp);
	return s;
}

/* docs/ANOMALIES.md, section Causes: one row "| `type` | `cause` | ..."
 * per cause of every type, and no row for a cause the table lacks. */
static void test_causes_documented(void **state)
{
	char *doc = read_doc("docs/ANOMALIES.md");
	char *sec = strstr(doc, "\n## Causes\n"), *end, *line;
	unsigned rows = 0;

	(void)state;
	assert_non_null(sec);
	end = strstr(sec + 1, "\n## ");
	if (end != NULL)
		*end = '\0';
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		for (unsigned c = 0;
		     c < anomaly_cause_count((enum anomaly_type)t); c++) {
			char row[128];

			snprintf(row, sizeof(row), "\n| `%s` | `%s` | ",
				 anomaly_type_name(t),
				 anomaly_cause_name(t, c));
			if (strstr(sec, row) == NULL)
				fail_msg(
					"docs/ANOMALIES.md, Causes: no row for %s %s",
					anomaly_type_name(t),
					anomaly_cause_name(t, c));
		}
	for (line = strstr(sec, "\n| `"); line != NULL;
	     line = strstr(line + 1, "\n| `")) {
		char type[64], cause[64];
		int t;

		if (sscanf(line, "\n| `%63[a-z0-9_]` | `%63[a-z0-9_]` |", type,
			   cause) != 2)
			fail_msg("docs/ANOMALIES.md, Causes: bad row %.60s",
				 line + 1);
		t = anomaly_type_from_name(type);
		if (t < 0 ||
		    anomaly_cause_from_name((enum anomaly_type)t, cause) < 0)
			fail_msg(
				"docs/ANOMALIES.md, Causes: %s %s is not in the table",
				type, cause);
		rows++;
	}
	assert_int_equal(rows, all_causes());
	free(doc);
}

/* docs/report.schema.json: every anomaly requires a cause; $defs.
 * anomaly_cause lists every name, and for each type one allOf entry lists
 * exactly its causes, in the table's order. */
static void test_causes_in_schema(void **state)
{
	char path[512];
	json_error_t err;
	json_t *schema, *defs, *anom, *names, *all_of, *v;
	size_t i;
	int found[ANOMALY_TYPE_COUNT] = {0};

	(void)state;
	snprintf(path, sizeof(path), "%s/docs/report.schema.json",
		 TCPLINT_SOURCE_DIR);
	schema = json_load_file(path, 0, &err);
	if (schema == NULL)
		fail_msg("%s: %s (line %d)", path, err.text, err.line);
	defs = json_object_get(schema, "$defs");
	anom = json_object_get(defs, "anomaly");
	assert_non_null(anom);
	{
		int required = 0;

		json_array_foreach(json_object_get(anom, "required"), i, v)
			required |= strcmp(json_string_value(v), "cause") == 0;
		assert_true(required);
	}
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(json_object_get(anom, "properties"),
					"cause"),
			"$ref")),
		"#/$defs/anomaly_cause");
	names = json_object_get(json_object_get(defs, "anomaly_cause"), "enum");
	assert_true(json_is_array(names));
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		for (unsigned c = 0;
		     c < anomaly_cause_count((enum anomaly_type)t); c++) {
			int in = 0;

			json_array_foreach(names, i, v) in |=
				strcmp(json_string_value(v),
				       anomaly_cause_name(t, c)) == 0;
			if (!in)
				fail_msg("schema: anomaly_cause lacks %s",
					 anomaly_cause_name(t, c));
		}
	json_array_foreach(names, i, v)
	{
		int in = 0;

		for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
			in |= anomaly_cause_from_name((enum anomaly_type)t,
						      json_string_value(v)) >=
			      0;
		if (!in)
			fail_msg("schema: %s is no type's cause",
				 json_string_value(v));
	}
	all_of = json_object_get(anom, "allOf");
	assert_int_equal(json_array_size(all_of), ANOMALY_TYPE_COUNT);
	json_array_foreach(all_of, i, v)
	{
		const char *type = json_string_value(json_object_get(
			json_object_get(json_object_get(json_object_get(v, "if"),
							"properties"),
					"type"),
			"const"));
		json_t *causes = json_object_get(
			json_object_get(
				json_object_get(json_object_get(v, "then"),
						"properties"),
				"cause"),
			"enum");
		int t;

		assert_non_null(type);
		t = anomaly_type_from_name(type);
		assert_true(t >= 0);
		assert_false(found[t]);
		found[t] = 1;
		assert_int_equal(json_array_size(causes),
				 anomaly_cause_count((enum anomaly_type)t));
		for (unsigned c = 0;
		     c < anomaly_cause_count((enum anomaly_type)t); c++)
			assert_string_equal(
				json_string_value(json_array_get(causes, c)),
				anomaly_cause_name(t, c));
	}
	json_decref(schema);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_cause_names),
		cmocka_unit_test(test_cause_sentences),
		cmocka_unit_test(test_causes_documented),
		cmocka_unit_test(test_causes_in_schema),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
