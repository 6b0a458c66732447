/*
 * utf8 — the one UTF-8 validator every writer of log bytes shares (the
 * text report's escaper, the JSON writer, the rules loader).
 */
#ifndef LOGCAUSE_UTF8_H
#define LOGCAUSE_UTF8_H

#include <stddef.h>

/* Length (2..4) of the valid multi-byte UTF-8 sequence at p, 1 for an
 * ASCII byte, or 0 when p does not start a valid sequence within n bytes
 * (stray continuation bytes, overlong forms, surrogates, past U+10FFFF). */
size_t utf8_valid_len(const unsigned char *p, size_t n);

#endif
