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

#include "hll.h"
#include "template.h"
#include "record.h"
#include "timeline.h"
#include "topk.h"

enum {
	TALLY_EXAMPLES = 3,        /* distinct examples kept per cause */
	TALLY_EXAMPLE_MAX = 1024,  /* bytes kept of each */
	TALLY_TEMPLATES = 64,      /* templates kept per cause (top-K) */
	TALLY_UNATTRIBUTED_TEMPLATES = 512,
	TALLY_FIELD_VALUES = 32,   /* values kept per field and cause */
	TALLY_FIELD_MAX = 200,     /* bytes kept of a field value */
};

/* The fields whose top values the report shows per cause. */
enum tally_field {
	TF_UPSTREAM,
	TF_PATH,      /* the request's path, masked like a template */
	TF_HOST,      /* host, or the server block when no host */
	TF_CLIENT,
	TF_COUNT
};

struct tally_example {
	char *text;       /* TALLY_EXAMPLE_MAX bytes, owned by the tally */
	size_t len;
	size_t msg_off;   /* where the record's message starts in text */
	uint64_t shape;   /* hash of the message with its digits left out */
	uint64_t line;
};

struct cause_tally {
	bool counts_only;  /* events, span and timeline only (tally_counts_only) */
	uint64_t events;
	int64_t first, last; /* TSTAMP_NONE until a timed record is seen */
	size_t nexamples;
	struct tally_example examples[TALLY_EXAMPLES];
	struct topk *templates;         /* masked message -> count, example */
	struct topk *fields[TF_COUNT];  /* top values of each field */
	struct hll clients;             /* distinct clients */
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
	struct topk *unattributed_templates; /* of records no cause explains */
	struct template_memo *memo_message, *memo_path; /* counting's own: a
					     * repeated message is masked once */
	char scratch[512];          /* a template being built */
};

/* Returns a tally for ncauses causes, or NULL when out of memory. */
struct tally *tally_new(size_t ncauses);

/* From now on cause keeps only its events, first and last time and
 * timeline: no templates, field values, examples or distinct clients.
 * For a report that shows no more of it (the text, Markdown and HTML
 * reports of a noise cause), so that the records of 404s and clients that
 * went away, often most of a log, cost a count. */
void tally_counts_only(struct tally *t, size_t cause);

/* Counts a record that was attributed to cause (or MATCH_NONE, -1). */
void tally_add(struct tally *t, long cause, const struct record *r);

/* Counts a record below the level threshold: seen, not attributed. */
void tally_add_below(struct tally *t, const struct record *r);

/* Counts a record outside --since/--until: seen, skipped. */
void tally_add_outside(struct tally *t, const struct record *r);

/* Counts an access-log line: it is not an error record. */
void tally_add_access(struct tally *t, const struct record *r);

/* Keeps text[0..len) (a record whose message starts at msg_off) as an
 * example of cause, if there is room and no example of its shape yet: how
 * merge carries examples over from saved reports. */
void tally_keep_example(struct tally *t, size_t cause, const char *text, size_t len,
			size_t msg_off, uint64_t line);

/* "upstream", "path", "host", "client". */
const char *tally_field_name(enum tally_field f);

void tally_free(struct tally *t);

#endif
