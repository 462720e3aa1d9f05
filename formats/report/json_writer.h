/*
 * json_writer.h - a streaming JSON writer for the records the reports write
 * once per flow and once per anomaly (the flow and anomaly lines of json and
 * jsonl, SARIF's results).
 *
 * A jansson tree per record costs an allocation per value and a printf per
 * number. This writer puts the text straight into one growable buffer that
 * is reused from record to record: once it has grown to the largest record
 * it allocates nothing. A small stack of the open containers places the
 * commas (and, pretty, the newlines and the indentation); numbers are
 * formatted without printf; strings are escaped in one pass.
 *
 * The text is byte for byte what jansson's json_dumps() gives for the same
 * values (jansson built these records before, and stays the oracle of
 * tests/test_json_writer.c and tests/fuzz/fuzz_json_writer.c):
 *   - compact: "," and ":" and no spaces (JSON_COMPACT); pretty: a newline
 *     and two spaces per level before every member and before the closing
 *     bracket, ": " after a key, and an empty container as {} or []
 *     (JSON_INDENT(2));
 *   - strings: '"', '\\' and the control characters escaped (\b \f \n \r \t
 *     by name, the others as \u00XX in upper-case hex); '/', DEL and U+2028
 *     as they are; with JSON_WRITER_ASCII every character past U+007F as
 *     \uXXXX, past the BMP as a surrogate pair (JSON_ENSURE_ASCII);
 *   - text that is not valid UTF-8 keeps its ASCII bytes and has every other
 *     byte replaced by '?', as json_text() does before jansson sees it;
 *   - seconds with microseconds as jansson prints json_real(us / 1e6) with
 *     JSON_REAL_PRECISION(16) (json_writer_usecs()).
 *
 * Every value function takes the member's key: inside an object the key,
 * inside an array or for the top-level value NULL. A key where none belongs
 * or a missing one, an unbalanced end, nesting deeper than
 * JSON_WRITER_MAX_DEPTH, or running out of memory marks the writer failed:
 * later calls do nothing and json_writer_finish() returns -1.
 *
 *   struct json_writer w;
 *   json_writer_init(&w);
 *   json_writer_reset(&w, 0, 0);          (once per record)
 *   json_writer_object(&w, NULL);
 *   json_writer_uint(&w, "id", 7);
 *   json_writer_end(&w);
 *   if (json_writer_finish(&w) == 0)      (w.buf: "{\"id\":7}", w.len bytes)
 *           ...
 *   json_writer_free(&w);
 */
#ifndef TCPLINT_REPORT_JSON_WRITER_H
#define TCPLINT_REPORT_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_WRITER_MAX_DEPTH 16

enum json_writer_flags {
	JSON_WRITER_PRETTY = 1u << 0, /* jansson's JSON_INDENT(2) layout */
	JSON_WRITER_ASCII = 1u
			    << 1, /* \u-escape non-ASCII (JSON_ENSURE_ASCII) */
};

struct json_writer {
	char *buf; /* (owned) the text, len bytes; NUL-terminated after
			   json_writer_finish() returned 0 */
	size_t len;
	size_t cap;     /* bytes allocated at buf */
	unsigned flags; /* enum json_writer_flags */
	int base;       /* pretty: the indentation level the text starts at */
	int depth;      /* containers open */
	bool done;      /* the top-level value is complete */
	bool failed;
	bool members[JSON_WRITER_MAX_DEPTH]; /* open container i has a member */
	bool is_object[JSON_WRITER_MAX_DEPTH];
};

/* An empty writer; it allocates on its first write. */
void json_writer_init(struct json_writer *w);
/* Free the buffer; the writer is empty again. w == NULL does nothing. */
void json_writer_free(struct json_writer *w);

/* Start a new text in the same buffer. `flags`: enum json_writer_flags.
 * `base_depth` (pretty only): the text is to be placed `base_depth` levels
 * deep in a larger document, so its members are indented that much more
 * (its first line, the opening bracket, is not indented). */
void json_writer_reset(struct json_writer *w, unsigned flags, int base_depth);

void json_writer_object(struct json_writer *w, const char *key);
void json_writer_array(struct json_writer *w, const char *key);
/* Close the innermost object or array. */
void json_writer_end(struct json_writer *w);

/* A string; s (NUL-terminated) as in the file comment. s == NULL fails. */
void json_writer_str(struct json_writer *w, const char *key, const char *s);
void json_writer_int(struct json_writer *w, const char *key, int64_t v);
void json_writer_uint(struct json_writer *w, const char *key, uint64_t v);
void json_writer_bool(struct json_writer *w, const char *key, bool v);
void json_writer_null(struct json_writer *w, const char *key);
/* us microseconds as seconds: the text of json_real((double)us / 1e6)
 * dumped with JSON_REAL_PRECISION(16) ("1700000000.123456", "0.25", "3e-5",
 * "0.0", and, as jansson rounds that double, "0.0004929999999999999"). */
void json_writer_usecs(struct json_writer *w, const char *key, int64_t us);

/* 0 when the text is one complete value (then NUL-terminated at
 * buf[len]), -1 when the writer failed or a container is still open. */
int json_writer_finish(struct json_writer *w);

/* The number formatting on its own, for the tests: write the text into
 * out, which holds at least JSON_WRITER_NUMBER_MAX bytes, NUL-terminated;
 * return its length. */
#define JSON_WRITER_NUMBER_MAX 40
size_t json_writer_format_int(char *out, int64_t v);
size_t json_writer_format_uint(char *out, uint64_t v);
size_t json_writer_format_usecs(char *out, int64_t us);

#endif
