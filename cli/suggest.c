/*
 * suggest.c - "did you mean" (suggest.h): optimal string alignment
 * distance, bounded, on short words only.
 */
#include "cli/suggest.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SUGGEST_MAX_LEN 48

/* Edit distance with adjacent swaps; words longer than SUGGEST_MAX_LEN
 * are never close. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *suggest_word(const char *word, const char *const *candidates,
			 size_t n)
{
	size_t len = strlen(word);
	size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	size_t best = SIZE_MAX;
	const char *found = NULL;

	for (size_t i = 0; i < n; i++) {
		size_t dist;

		if (!candidates[i] || strcmp(candidates[i], word) == 0)
			continue;
		dist = distance(word, candidates[i]);
		if (dist <= limit && dist < best) {
			best = dist;
			found = candidates[i];
		}
	}
	return found;
}

void suggest_append(char *buf, size_t len, const char *prefix, const char *word,
		    const char *const *candidates, size_t n)
{
	const char *s = suggest_word(word, candidates, n);
	size_t used = strlen(buf);

	if (s && used < len)
		snprintf(buf + used, len - used, "; did you mean %s%s?", prefix,
			 s);
}
