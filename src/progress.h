/*
 * progress — a one-line progress display on a terminal's stderr.
 *
 * Shown only when stderr is a terminal, only once the run has taken more
 * than a moment (half a second), redrawn in place at most a few times a
 * second, and erased at the end, so a quick run and any redirected or
 * piped stderr never see it.
 *
 *   logcause: 412.0 MiB of 1.2 GiB (34%), 388 MiB/s, error.log.3.gz
 */
#ifndef LOGCAUSE_PROGRESS_H
#define LOGCAUSE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct progress {
	FILE *out;
	bool enabled;    /* out is a terminal and the user did not say -q */
	bool shown;      /* a line is on the screen */
	uint64_t total;  /* bytes of all inputs, 0 when unknown (stdin) */
	uint64_t done;   /* bytes of inputs finished */
	double start, last_draw;
};

/* enabled: whether the caller allows it at all (not -q, not --events to
 * a terminal...); it is further limited to a terminal out. */
void progress_init(struct progress *p, FILE *out, bool enabled, uint64_t total);

/* Called often (it is cheap when nothing is drawn): read is the bytes read
 * of the current input, name what it is called. */
void progress_update(struct progress *p, uint64_t read, const char *name);

/* An input is finished: its bytes count as done. */
void progress_input_done(struct progress *p, uint64_t read);

/* Erases the line, if one is shown. */
void progress_end(struct progress *p);

#endif
