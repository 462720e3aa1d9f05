/*
 * baseline.c - the set of finding keys of an earlier report (sorted array,
 * binary search) and the filter that drops known anomalies from a flow.
 */
#include "cli/baseline.h"

#include <stdlib.h>
#include <string.h>

#include "formats/report/report.h"

struct baseline {
	char **keys; /* owned, sorted after loading */
	size_t n, cap;
	bool oom;
};

static void baseline_add(void *ctx, const char *key)
{
	struct baseline *b = ctx;

	if (b->oom)
		return;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char **k = cap < SIZE_MAX / sizeof(*k)
				   ? realloc(b->keys, cap * sizeof(*k))
				   : NULL;

		if (!k) {
			b->oom = true;
			return;
		}
		b->keys = k;
		b->cap = cap;
	}
	if (!(b->keys[b->n] = strdup(key))) {
		b->oom = true;
		return;
	}
	b->n++;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct baseline *baseline_load(const char *path, char *errbuf, size_t errlen)
{
	struct baseline *b = calloc(1, sizeof(*b));

	if (!b) {
		snprintf(errbuf, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (report_json_read_keys(path, baseline_add, b, errbuf, errlen) < 0) {
		baseline_free(b);
		return NULL;
	}
	if (b->oom) {
		snprintf(errbuf, errlen, "%s: out of memory", path);
		baseline_free(b);
		return NULL;
	}
	if (b->n)
		qsort(b->keys, b->n, sizeof(*b->keys), key_cmp);
	return b;
}

void baseline_free(struct baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->keys[i]);
	free(b->keys);
	free(b);
}

size_t baseline_size(const struct baseline *b)
{
	return b ? b->n : 0;
}

bool baseline_known(const struct baseline *b, const struct flow_record *f,
		    const struct anomaly *a)
{
	char key[160], *kp = key;

	if (!b || b->n == 0)
		return false;
	report_finding_key(f, a, key, sizeof(key));
	return bsearch(&kp, b->keys, b->n, sizeof(*b->keys), key_cmp) != NULL;
}

unsigned baseline_filter(const struct baseline *b, struct flow_record *f)
{
	unsigned removed = 0;
	uint32_t kept_of[ANOMALY_TYPE_COUNT] = {0},
		 gone_of[ANOMALY_TYPE_COUNT] = {0};
	uint16_t out = 0;

	if (!b || b->n == 0)
		return 0;
	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++) {
		const struct anomaly *a = &f->anomalies[i];

		if (a->type < ANOMALY_TYPE_COUNT && baseline_known(b, f, a)) {
			gone_of[a->type]++;
			removed++;
			continue;
		}
		if (a->type < ANOMALY_TYPE_COUNT)
			kept_of[a->type]++;
		f->anomalies[out++] = *a;
	}
	f->nanomalies = out;
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++) {
		uint32_t c = f->anomaly_counts[t];

		if (!gone_of[t])
			continue;
		c = c > gone_of[t] ? c - gone_of[t] : 0;
		if (kept_of[t] == 0 && c > 0) {
			/* Unkept anomalies of a type whose kept ones were all known. */
			uint32_t extra = c;

			removed += extra;
			f->anomalies_dropped =
				f->anomalies_dropped > extra
					? f->anomalies_dropped - extra
					: 0;
			c = 0;
		}
		f->anomaly_counts[t] = c;
	}
	return removed;
}
