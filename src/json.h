/*
 * json — writing JSON text for --events and the JSON report.
 *
 * Log bytes are not text: they may hold NUL, control characters and
 * invalid UTF-8.  Strings are written so the document is valid JSON for
 * any input: control characters as \u00XX, valid UTF-8 as it is, and each
 * byte that is not valid UTF-8 as the six characters \\xNN (a backslash,
 * then "xNN"), so the byte's value survives for a reader who needs it.
 */
#ifndef LOGCAUSE_JSON_H
#define LOGCAUSE_JSON_H

#include <stddef.h>
#include <stdio.h>

/* Writes s[0..n) as a JSON string, quotes included. */
void json_put_string(FILE *out, const char *s, size_t n);

/* Same for a NUL-terminated string; NULL is written as null. */
void json_put_cstr(FILE *out, const char *s);

#endif
