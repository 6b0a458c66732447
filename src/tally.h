/*
 * tally — what the report needs, gathered record by record in bounded memory.
 *
 * Data flow: match -> tally -> report.  Per cause: exact event counts, first
 * and last time seen, and a few distinct examples copied out of the borrowed
 * record (the only bytes that outlive a line).  Overall: records seen, at
 * or below the level threshold, unattributed, and the time span.
 */
#ifndef LOGCAUSE_TALLY_H
#define LOGCAUSE_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "timeline.h"

enum {
	TALLY_EXAMPLES = 3,        /* distinct examples kept per cause */
	TALLY_EXAMPLE_MAX = 1024,  /* bytes kept of each */
};

struct tally_example {
	char *text;       /* TALLY_EXAMPLE_MAX bytes, owned by the tally */
	size_t len;
	size_t msg_off;   /* where the record's message starts in text */
	uint64_t shape;   /* hash of the message with its digits left out */
	uint64_t line;
};

struct cause_tally {
	uint64_t events;
	int64_t first, last; /* TSTAMP_NONE until a timed record is seen */
	size_t nexamples;
	struct tally_example examples[TALLY_EXAMPLES];
};

struct tally {
	size_t ncauses;
	struct cause_tally *causes;
	uint64_t records;      /* every record */
	uint64_t below_level;  /* counted, not attributed */
	uint64_t unattributed; /* at or above the level, no cause */
	uint64_t truncated;    /* records cut at the line bound */
	uint64_t access;       /* access-log lines: recognised, not error records */
	uint64_t outside;      /* records outside the --since/--until window */
	int64_t first, last;   /* span of all timed records */
	char *example_store;   /* one block behind every example's text */
	struct timeline *timeline; /* events per cause over time */
};

/* Returns a tally for ncauses causes, or NULL when out of memory. */
struct tally *tally_new(size_t ncauses);

/* Counts a record that was attributed to cause (or MATCH_NONE, -1). */
void tally_add(struct tally *t, long cause, const struct record *r);

/* Counts a record below the level threshold: seen, not attributed. */
void tally_add_below(struct tally *t, const struct record *r);

/* Counts a record outside --since/--until: seen, skipped. */
void tally_add_outside(struct tally *t, const struct record *r);

/* Counts an access-log line: it is not an error record. */
void tally_add_access(struct tally *t, const struct record *r);

void tally_free(struct tally *t);

#endif
