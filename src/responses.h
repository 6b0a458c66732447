/*
 * responses — what the access logs say, joined to the error logs: the
 * responses by status, which cause explains each 5xx, and what the 5xx
 * that nothing explains have in common.
 *
 * Data flow: access record -> join (finds its error record) -> responses
 * -> report.  Bounded like the tally: counts per status and cause, and
 * top-K tables for the paths and minutes of the unexplained 5xx.
 */
#ifndef LOGCAUSE_RESPONSES_H
#define LOGCAUSE_RESPONSES_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "topk.h"

enum {
	RESPONSES_PATHS = 32,   /* unexplained paths kept (top-K) */
	RESPONSES_MINUTES = 64, /* unexplained minutes kept (top-K) */
	RESPONSES_STATUS = 100, /* 500..599 */
};

/* How a response was matched to the error record that explains it. */
enum join_by {
	JOIN_NONE,   /* no record */
	JOIN_FIELDS, /* same client and request (and host, when both name one) */
	JOIN_CLIENT, /* same client; the record names no request (Apache) */
	JOIN_TIME,   /* a record with neither, logged just before: nearness only */
};

/* The join's answer for one response. */
struct join_match {
	long cause;      /* the record's cause; -1 when no record, or a record
			  * that no rule attributes */
	enum join_by by;
	uint32_t input;  /* the record's input (index into the run's inputs) */
	uint64_t line;   /* and its line */
};

struct response_cause {
	uint64_t explained;                /* 5xx this cause explains */
	uint64_t by_time;                  /* of them, matched by time alone */
	uint64_t status[RESPONSES_STATUS]; /* explained 5xx by status - 500 */
	uint64_t records;                  /* its error records the join saw */
	uint64_t records_matched;          /* of them, matched to a response
					    * (of any status) */
};

struct responses {
	size_t ncauses;
	uint64_t total;                    /* access-log responses */
	uint64_t by_class[6];              /* [1] 1xx … [5] 5xx; [0] no status */
	uint64_t status_5xx[RESPONSES_STATUS];
	struct response_cause *causes;     /* ncauses */
	uint64_t explained;                /* 5xx with a cause */
	uint64_t unexplained;              /* 5xx without one */
	uint64_t unexplained_status[RESPONSES_STATUS];
	uint64_t unattributed_record;      /* of the unexplained: matched a
					    * record no rule attributes */
	uint64_t untimed;                  /* responses without a readable time */
	uint64_t window_full;              /* error records dropped from the join
					    * window early: it was full */
	int64_t first, last;               /* span of the responses */
	struct topk *unexplained_paths;    /* masked path -> count */
	struct topk *unexplained_minutes;  /* key: epoch minute; no text */
	char scratch[256];
};

/* Returns an empty table for ncauses causes, or NULL when out of memory. */
struct responses *responses_new(size_t ncauses);

/* Counts one access-log response and what the join made of it. */
void responses_add(struct responses *rs, const struct record *a, const struct join_match *m);

/* Counts one error record the join held, once it leaves the window:
 * cause is its cause (>= 0), matched whether any response took it. */
void responses_add_record(struct responses *rs, size_t cause, int matched);

void responses_free(struct responses *rs);

/* Reading, for the reports. */

/* The causes the join has something to say of: those that explain a 5xx
 * or had error records in the join.  Indexes into the causes (only those
 * below ncauses: the report's rule set may know fewer), by 5xx explained
 * descending, then records, ties in cause order.  Writes at most max and
 * returns how many. */
size_t responses_rank(const struct responses *rs, size_t ncauses, size_t *out, size_t max);

/* The statuses (500..599) of a per-status count array that occurred, the
 * most frequent first (ties: the lower code).  Writes at most max codes
 * and returns how many. */
size_t responses_statuses(const uint64_t status[RESPONSES_STATUS], int *out, size_t max);

/* "502 ×310, 504 ×12" (UTF-8 multiplication sign), or "-" when no
 * status occurred; cut between entries to fit size bytes.  Returns buf.
 * Only digits, spaces, commas and the sign: safe in any report format. */
const char *responses_status_list(const uint64_t status[RESPONSES_STATUS], char *buf, size_t size);

/* Room responses_status_list() needs to list every status. */
enum { RESPONSES_STATUS_LIST = 4096 };

#endif
