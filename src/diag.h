/*
 * diag — one-line diagnostics on stderr, err(3) style:
 *
 *     logcause: FILE:LINE:COL: what is wrong
 *
 * Every module that can meet bad input reports through a struct diag that the
 * caller owns, so tests can point it at an open_memstream() and read exactly
 * what a user would see.  diag_error() returns -1 so that error paths read
 * `return diag_error(dg, ...);`.
 */
#ifndef LOGCAUSE_DIAG_H
#define LOGCAUSE_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct diag {
	FILE *out;          /* where messages go; stderr in the program; NULL:
			     * counted, not said (a pass that only looks) */
	const char *prog;   /* "logcause" */
	/* Counted from more than one thread (a decoding thread reports
	 * damage), hence atomic. */
	_Atomic uint64_t errors;   /* messages printed by diag_error() */
	_Atomic uint64_t warnings; /* messages counted by diag_warn(), printed or not */
	unsigned warn_limit; /* print at most this many warnings, then count */
	bool erase_line;    /* out is a terminal that may show a progress line:
			     * each message erases it first, so the two never
			     * share a line (progress redraws below) */
};

void diag_init(struct diag *dg, FILE *out);

/* Prints "prog: where: message" (where may be NULL), counts it, returns -1. */
int diag_error(struct diag *dg, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like diag_error() for things that do not change the exit status.  Past
 * warn_limit the message is only counted; diag_flush() says how many. */
void diag_warn(struct diag *dg, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prints "...and N more warnings" when some were held back. */
void diag_flush(struct diag *dg);

#endif
