/*
 * lines — splits a decoded byte stream into lines, without copying them.
 *
 * Data flow: decode -> lines -> record.  A line is a borrowed view into one
 * of two large buffers, valid until the call after the next one (so while
 * the next line is looked at); nothing is allocated per line.
 * Lines may hold any bytes (NUL, invalid UTF-8); the "\n" and a "\r" before
 * it are not part of the line, and a last line without "\n" is still a line.
 * A line longer than the bound is delivered as its first `max_line` bytes,
 * flagged truncated, and the rest of it is skipped, so no input can make the
 * buffer grow.
 *
 *     struct lines *ls = lines_new(LINES_DEFAULT_MAX);
 *     lines_reset(ls, decoder);
 *     struct line ln;
 *     int rc;
 *     while ((rc = lines_next(ls, &ln)) > 0)
 *             use(ln.text, ln.len);
 *     // rc == 0: end of input; rc < 0: the decoder reported damage
 */
#ifndef LOGCAUSE_LINES_H
#define LOGCAUSE_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

/* 1 MiB: longer than any sane log line, small enough to keep memory flat. */
#define LINES_DEFAULT_MAX ((size_t)1 << 20)

struct line {
	const char *text; /* borrowed; valid until the second lines_next() after */
	size_t len;
	uint64_t number;  /* 1-based, within the current input */
	bool truncated;   /* the line was longer than max_line */
};

struct lines;

/* Allocates the buffers once: two of max_line plus one read block.  NULL
 * when out of memory.  The same splitter is reset for each input. */
struct lines *lines_new(size_t max_line);

/* Starts a new input; the splitter borrows the decoder until the next reset.
 * max_bytes (0: none) stops the input once that many decoded bytes were
 * read, as if it ended there: a decompression bomb or /dev/zero cannot
 * keep the run going. */
void lines_reset(struct lines *ls, struct decoder *d, uint64_t max_bytes);

/* Whether the current input was stopped at max_bytes. */
bool lines_limited(const struct lines *ls);

/* Returns 1 and fills *out with the next line, 0 at the end of the input, or
 * -1 once when the decoder failed (every line before the damage, including a
 * partial last one, has been delivered first). */
int lines_next(struct lines *ls, struct line *out);

/* Lines of the current input that were cut to max_line. */
uint64_t lines_truncated(const struct lines *ls);

/* Lines delivered from the current input. */
uint64_t lines_count(const struct lines *ls);

/* Bytes decoded from the current input. */
uint64_t lines_bytes(const struct lines *ls);

void lines_free(struct lines *ls);

#endif
