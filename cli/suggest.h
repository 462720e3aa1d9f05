/*
 * suggest.h - "did you mean": the known word closest to a misspelt one.
 */
#ifndef TCPLINT_CLI_SUGGEST_H
#define TCPLINT_CLI_SUGGEST_H

#include <stddef.h>

/*
 * The candidate within a small edit distance of `word` (insertions,
 * deletions, substitutions and swaps of neighbours, at most 1 for words of
 * up to 4 letters, 2 up to 8, else 3), the closest and then the first;
 * NULL when none is that close. Candidates may contain NULLs (skipped).
 */
const char *suggest_word(const char *word, const char *const *candidates,
			 size_t n);

/* Append "; did you mean PREFIXX?" to buf (of size len) when a candidate
 * X is close to word; leaves buf alone otherwise. */
void suggest_append(char *buf, size_t len, const char *prefix, const char *word,
		    const char *const *candidates, size_t n);

#endif
