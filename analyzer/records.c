/*
 * records.c - the name tables of records.h, generated from the same X-macro
 * lists as the enums, and the reverse look-ups used by option parsing.
 */
#include "analyzer/records.h"

#include <string.h>

/* A flow holds FLOW_MAX_ANOMALIES of these: keep the record small (the
 * one-byte fields share the last 8 bytes). */
_Static_assert(sizeof(struct anomaly) <= 48, "struct anomaly grew");

#define TL_NAME(id, name) [id] = name,

static const char *const state_names[] = {TCP_STATES(TL_NAME)};
static const char *const handshake_names[] = {HANDSHAKE_VERDICTS(TL_NAME)};
static const char *const close_names[] = {CLOSE_VERDICTS(TL_NAME)};
static const char *const closer_names[] = {CLOSERS(TL_NAME)};
static const char *const severity_names[] = {SEVERITIES(TL_NAME)};
static const char *const confidence_names[] = {CONFIDENCES(TL_NAME)};
static const char *const capture_point_names[] = {CAPTURE_POINTS(TL_NAME)};
static const char *const artefact_names[] = {ARTEFACTS(TL_NAME)};

#define LOOKUP(table, i)                                                       \
	((unsigned)(i) < sizeof(table) / sizeof(table[0]) ? table[i] : "?")

const char *tcp_state_name(enum tcp_state s)
{
	return LOOKUP(state_names, s);
}
const char *handshake_verdict_name(enum handshake_verdict v)
{
	return LOOKUP(handshake_names, v);
}
const char *close_verdict_name(enum close_verdict v)
{
	return LOOKUP(close_names, v);
}
const char *closer_name(enum closer c)
{
	return LOOKUP(closer_names, c);
}
const char *severity_name(enum severity s)
{
	return LOOKUP(severity_names, s);
}
const char *confidence_name(enum confidence c)
{
	return LOOKUP(confidence_names, c);
}
const char *capture_point_name(enum capture_point p)
{
	return LOOKUP(capture_point_names, p);
}
const char *artefact_name(enum artefact a)
{
	return LOOKUP(artefact_names, a);
}

static int find_name(const char *const *table, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(table[i], name) == 0)
			return i;
	return -1;
}

int severity_from_name(const char *name)
{
	return find_name(severity_names, SEVERITY_COUNT, name);
}
