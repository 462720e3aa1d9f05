/*
 * anomaly_types.c - the anomaly type table of anomaly_types.h as arrays:
 * one row per type (name, severity, confidence, summary, causes), generated
 * from the same X-macro list as the enums, and the look-ups by name.
 */
#include "analyzer/anomaly_types.h"

#include <string.h>

struct type_row {
	const char *name;
	enum severity severity;
	enum confidence confidence;
	const char *summary;
	const char *const *causes;
	unsigned ncauses;
};

/* Each type's cause names, in the order of their values. */
#define TL_CAUSE_NAME(id, name) [id] = name,
#define TL_CAUSE_NAMES(id, name, sev, conf, causes, summary)                   \
	static const char *const causes_##id[] = {causes(TL_CAUSE_NAME)};
ANOMALY_TYPES(TL_CAUSE_NAMES)
#undef TL_CAUSE_NAMES
#undef TL_CAUSE_NAME

#define TL_ROW(id, name, sev, conf, causes, summary)                           \
	[id] = {name,        sev,                                              \
		conf,        summary,                                          \
		causes_##id, sizeof(causes_##id) / sizeof(causes_##id[0])},
static const struct type_row types[ANOMALY_TYPE_COUNT] = {
	ANOMALY_TYPES(TL_ROW)};
#undef TL_ROW

static const struct type_row *row(enum anomaly_type t)
{
	return (unsigned)t < ANOMALY_TYPE_COUNT ? &types[t] : NULL;
}

const char *anomaly_type_name(enum anomaly_type t)
{
	return row(t) != NULL ? row(t)->name : "?";
}

enum severity anomaly_type_severity(enum anomaly_type t)
{
	return row(t) != NULL ? row(t)->severity : SEV_ERROR;
}

enum confidence anomaly_type_confidence(enum anomaly_type t)
{
	return row(t) != NULL ? row(t)->confidence : CONF_HIGH;
}

const char *anomaly_type_summary(enum anomaly_type t)
{
	return row(t) != NULL ? row(t)->summary : "?";
}

int anomaly_type_from_name(const char *name)
{
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		if (strcmp(types[t].name, name) == 0)
			return t;
	return -1;
}

unsigned anomaly_cause_count(enum anomaly_type t)
{
	return row(t) != NULL ? row(t)->ncauses : 0;
}

const char *anomaly_cause_name(enum anomaly_type t, unsigned c)
{
	if (c >= anomaly_cause_count(t))
		return "?";
	return row(t)->causes[c];
}

int anomaly_cause_from_name(enum anomaly_type t, const char *name)
{
	for (unsigned c = 0; c < anomaly_cause_count(t); c++)
		if (strcmp(row(t)->causes[c], name) == 0)
			return (int)c;
	return -1;
}
