/*
 * report — renders what was gathered; one emitter per output format.
 *
 * Data flow: tally -> report.  Emitters read a finished struct report and
 * know nothing about how the input was read.  To add a format: a file
 * report_NAME.c with its emit function, and a line in report.c's table.
 */
#ifndef LOGCAUSE_REPORT_H
#define LOGCAUSE_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "decode.h"
#include "record.h"
#include "responses.h"
#include "rules.h"
#include "tally.h"
#include "verdict.h"

struct input_summary {
	const char *name;       /* borrowed from the source list */
	enum codec codec;
	enum log_format format; /* the format most of its records had */
	uint64_t bytes_in;      /* bytes read (compressed size) */
	uint64_t bytes;         /* bytes decoded */
	uint64_t lines;
	bool damaged;           /* stopped early: truncated, corrupt, unreadable */
	bool limited;           /* stopped at --max-bytes, as asked */
};

/* What the report says of the rules that made it.  A merged report keeps
 * the digest of the reports it merged, which it cannot recompute. */
struct pattern_info {
	size_t files, causes, rules;
	char digest[17]; /* 16 hex digits */
};

/* The pattern info of a loaded rule set. */
void report_pattern_info(const struct ruleset *rs, struct pattern_info *pi);

struct report {
	const struct pattern_info *patterns;
	const struct ruleset *rs;
	const struct tally *tally;
	const struct input_summary *inputs;
	size_t ninputs;
	size_t failed_inputs;   /* inputs that could not be opened at all */
	enum level min_level;
	uint64_t limit_hits;    /* regex runs stopped at a PCRE2 limit */
	const struct verdict *verdict; /* CI thresholds, or NULL when none */
	const struct responses *responses; /* access logs joined, or NULL when
					    * no access log was read */
};

struct report_options {
	unsigned width;         /* columns available to text output */
	bool color;             /* stdout is a terminal and NO_COLOR is unset */
};

typedef int (*report_emit_fn)(FILE *out, const struct report *r,
			      const struct report_options *o);

/* The emitter for a format name ("text"), or NULL when there is none. */
report_emit_fn report_emitter(const char *format);

/* Whether the format shows a noise cause's templates, field values and
 * examples (JSON, whose reports are merged), or only its events, first and
 * last time and timeline (the others): then the tally need keep no more of
 * it (tally_counts_only). */
bool report_noise_detail(const char *format);

/* The names of all formats, for --help and error messages: "text, …". */
const char *report_format_names(void);

/* Emitters; each returns 0, or -1 when writing failed (see ferror(out)). */
int report_text(FILE *out, const struct report *r, const struct report_options *o);
int report_json(FILE *out, const struct report *r, const struct report_options *o);
int report_markdown(FILE *out, const struct report *r, const struct report_options *o);
int report_html(FILE *out, const struct report *r, const struct report_options *o);

/* What --rule-stats shows: how the rules fared on this input. */
struct rule_stats {
	const uint64_t *hits;    /* per rule (index into rs->rules): records it decided */
	const uint64_t *overlap; /* ncauses * ncauses: [winner * ncauses + other] */
};

/* The rule statistics of a run, as text. */
int report_rule_stats(FILE *out, const struct report *r, const struct rule_stats *st);

/* The time axis a report draws every cause's timeline on: buckets of one
 * width (1 minute to days, from the span) starting at a round time, at
 * most max_buckets of them.  n is 0 when no record had a time. */
struct report_axis {
	int64_t start, width; /* epoch seconds */
	size_t n;
};

struct report_axis report_axis(const struct tally *t, size_t max_buckets);

/* The JSON report's schema; a report of another is refused by merge. */
#define REPORT_SCHEMA "logcause/1"

/* Buckets of the JSON and HTML reports' shared axis. */
enum { REPORT_TIMELINE_MAX = 120 };

/* Causes ranked for the report: indexes into rs->causes of the causes of
 * one kind that have events, by events descending, ties by load order.
 * Writes at most max indexes to out and returns how many. */
size_t report_rank(const struct report *r, enum cause_kind kind, size_t *out, size_t max);

#endif
