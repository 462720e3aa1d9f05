/*
 * json_text.h - a JSON string from text that came from outside: a file name
 * from the command line, a line of an --expect file, an error message.
 *
 * JSON strings are UTF-8 and jansson refuses anything else (json_string()
 * returns NULL, and the member would silently go missing). Text that is not
 * valid UTF-8 keeps its ASCII bytes and has every other byte replaced by
 * '?', so a file name in another encoding is still recognisable.
 */
#ifndef TCPLINT_REPORT_JSON_TEXT_H
#define TCPLINT_REPORT_JSON_TEXT_H

#include <jansson.h>

/* A new reference; NULL only when out of memory. */
json_t *json_text(const char *s);

#endif
