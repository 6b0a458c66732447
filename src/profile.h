/*
 * profile — where the time of a run goes, for --stats.
 *
 * Data flow: beside the pipeline, not in it.  The run is cut into phases;
 * the caller says which phase it enters, and the time since the last switch
 * is charged to the phase it leaves: one clock read per switch.  Nothing
 * else changes with --stats, so the report is the same with it and without.
 *
 * Off (the default), a switch is one test of a flag that is never set, and
 * no clock is read.  On, a switch costs a clock_gettime (~20 ns through the
 * vDSO); a run with --stats switches a few times per record, so it runs a
 * few percent slower than without: the split is what it reports, not the
 * speed.
 *
 * The decoder's own thread (compressed input) is measured apart, as busy
 * time, by decode.c: the main thread only sees how long it waited for it.
 *
 *     profile_start();                   // at start-up, when --stats
 *     ...
 *     profile_phase(PROF_PARSE);
 *     record_parse(...);
 *     profile_phase(PROF_MATCH);
 *     ...
 *     profile_print(stderr, lines, bytes);
 *
 * One run per process: the state is process-wide, and the phases are the
 * main thread's (decode.c adds the decoder thread's time after joining it).
 */
#ifndef LOGCAUSE_PROFILE_H
#define LOGCAUSE_PROFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum profile_phase {
	PROF_SETUP,   /* from profile_start() to the first switch: rules, JIT */
	PROF_READ,    /* read(2), or waiting for the decoder thread */
	PROF_LINES,   /* finding line ends, joining multi-line records */
	PROF_PARSE,   /* record parsing: format, time stamp, level, fields */
	PROF_MATCH,   /* prefilter and PCRE2 */
	PROF_TALLY,   /* templates, top-K, fields, timeline */
	PROF_REPORT,  /* writing the report */
	PROF_COUNT
};

/* Whether profile_start() was called.  Read through profile_phase(); a
 * global rather than a parameter so that modules deep in the pipeline
 * (lines, decode) need no new arguments for a diagnostic. */
extern bool profile_on;

/* Starts the clock and turns accounting on; the time until the first
 * profile_phase() is PROF_SETUP. */
void profile_start(void);

void profile_switch(enum profile_phase p);

/* Enters phase p: charges the time since the last switch to the phase
 * being left.  Costs a test of profile_on when off. */
static inline void profile_phase(enum profile_phase p)
{
	if (profile_on)
		profile_switch(p);
}

/* Nanoseconds on the monotonic clock, for code that times itself (the
 * decoder thread). */
uint64_t profile_now_ns(void);

/* Adds busy time of the decoder thread.  Call from the main thread (after
 * the decoder thread was joined). */
void profile_add_decoder(uint64_t ns);

/* Charges the running phase and prints the split to out: seconds and share
 * per phase, wall time, decoder thread busy time, lines/s and MiB/s over
 * `lines` lines and `bytes` decoded bytes, CPU time and peak RSS. */
void profile_print(FILE *out, uint64_t lines, uint64_t bytes);

#endif
