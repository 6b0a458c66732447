/*
 * group — joins the lines of one event into one record.
 *
 * Data flow: lines -> group (with record's parser) -> match.  A stack
 * trace, a Python traceback, PHP's "Stack trace:" and nginx's multi-line
 * FastCGI stderr continue the record before them; rules must see the whole
 * event, so that a traceback ending in "psycopg2.OperationalError: could
 * not connect to server" is attributed as a database failure.
 *
 * A line continues the pending record when it is indented, starts with a
 * known continuation marker ("Caused by:", "#0 /", "goroutine 7 [running]:",
 * "Traceback (most recent call last):", …), or carries no time stamp in an
 * input whose records do.  The joined text is bounded (bytes and lines):
 * past the bound the rest of the event is consumed but not kept, and the
 * record is flagged truncated.
 *
 * A line stays valid while the next one is read (lines.h), so a record of
 * one line is handed out as the line itself; a record that a line continues
 * is first copied into one of two buffers owned here.  A record handed out
 * stays valid until the next line is read.  Nothing is allocated per line.
 *
 *     struct group *g = group_new();
 *     group_reset(g, &parser);
 *     while (lines_next(ls, &ln) > 0)
 *             if ((rec = group_push(g, &ln)) != NULL)
 *                     use(rec);
 *     if ((rec = group_flush(g)) != NULL)
 *             use(rec);
 */
#ifndef LOGCAUSE_GROUP_H
#define LOGCAUSE_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "lines.h"
#include "record.h"

/* Bytes of continuation kept beyond the first line, and lines joined. */
#define GROUP_MAX_EXTRA ((size_t)256 << 10)
#define GROUP_MAX_LINES 1000

struct group;

/* NULL when out of memory.  Buffers are sized for a first line of up to
 * LINES_DEFAULT_MAX bytes plus GROUP_MAX_EXTRA. */
struct group *group_new(void);

/* Starts a new input, parsed by p (borrowed until the next reset). */
void group_reset(struct group *g, struct record_parser *p);

/* Takes the next line.  When the line starts a new record and so
 * completes the one before it, returns that one (the group's, valid until
 * the next push or flush), else NULL. */
const struct record *group_push(struct group *g, const struct line *ln);

/* At the end of the input: the last record (as group_push returns it), or
 * NULL when there is none. */
const struct record *group_flush(struct group *g);

/* Whether a line starts a new record whatever came before it: it is not
 * blank, starts no continuation marker, and r, its parse, found a time
 * stamp or a format.  Whether any format parses a line does not depend
 * on the lines before it, so neither does this: the reading thread ends
 * a batch of lines before such a line (main.c). */
bool group_starts_record(const struct line *ln, const struct record *r);

/* The lines pushed stay where they are while the group lives, one after
 * another with a '\n' between (a batch of them, main.c): then the lines
 * of an event that lie so are joined where they lie, not copied. */
void group_lines_stay(struct group *g);

/* Whether a record of this input carried a time stamp (then a line
 * without one continues the record before it); set when a batch's
 * parsing starts where another thread's ended. */
bool group_timed(const struct group *g);
void group_set_timed(struct group *g, bool timed);

/* The pending record moves into the group's own buffer, so the line it
 * borrows may go before the next line comes. */
void group_keep(struct group *g);

void group_free(struct group *g);

#endif
