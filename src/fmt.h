/*
 * fmt — numbers as every report prints them, so the text, Markdown and
 * HTML reports agree to the digit.
 */
#ifndef LOGCAUSE_FMT_H
#define LOGCAUSE_FMT_H

#include <stdint.h>

enum { FMT_BUF = 32 };

/* "1,234,567"; returns buf (FMT_BUF bytes). */
const char *fmt_count(uint64_t v, char buf[FMT_BUF]);

/* "512 B", "3.9 KiB", "1.2 GiB"; returns buf (FMT_BUF bytes). */
const char *fmt_bytes(uint64_t v, char buf[FMT_BUF]);

/* part as a percentage of whole; 0 when whole is 0. */
double fmt_percent(uint64_t part, uint64_t whole);

#endif
