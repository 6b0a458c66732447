/*
 * escape — log bytes made safe for the documents the reports write.
 *
 * Log lines are attacker-controlled (request lines, user agents): nothing
 * of them may reach a page or a Markdown file as markup, and control
 * bytes and invalid UTF-8 are shown as \xNN, never raw.
 */
#ifndef LOGCAUSE_ESCAPE_H
#define LOGCAUSE_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* s[0..n) as HTML text or attribute value: & < > " ' as entities, control
 * bytes, invalid UTF-8 and bidi controls as \xNN.  With pre (inside
 * <pre>), line breaks and tabs stay, and escapes are marked up (class "x")
 * so the byte differs from the four characters a log wrote. */
void escape_html(FILE *out, const char *s, size_t n, bool pre);

/* s[0..n) for a Markdown table cell or heading: '|' and markup escaped,
 * control bytes and invalid UTF-8 as \xNN. */
void escape_markdown(FILE *out, const char *s, size_t n);

#endif
