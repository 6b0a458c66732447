/*
 * join — which error record explains each access-log response.
 *
 * Data flow: error records -> join window; access record -> join ->
 * responses.  Both logs are streams in time order; main feeds the error
 * stream up to a little past each response's time, then asks for the
 * response.  The window holds the error records of the last --join-window
 * (plus the clock slack) in a ring of fixed size, with a hash index on
 * what a record and its response share:
 *
 *   fields   client address and request (method and URI), and host when
 *            both logs name one: nginx's "client: …, request: …, host: …";
 *   client   the client alone, for logs whose records name no request
 *            (Apache's "[client 203.0.113.9:51234]");
 *   time     neither: "768 worker_connections are not enough", "server
 *            reached pm.max_children": such a record explains the 5xx that
 *            end within a second or two after it, by nearness alone, and
 *            is marked so.
 *
 * An error is logged when it happens and the response when it ends, so a
 * record is looked for between the request's start (its $request_time
 * before the response, when the log writes it; else the whole window) and
 * the clock slack after the response.  Among the candidates a record whose
 * cause lists the response's status wins, then the newest; a record
 * explains one response (except by time, where one alert stands for a
 * burst).  Records a response of any status took are counted as matched,
 * so a 499 whose client gave up uses up its record rather than lending it
 * to a later 5xx.
 *
 * Memory is the ring, which grows with what the window holds, up to
 * capacity entries; a record that would overflow that pushes out the
 * oldest early, and is counted.
 */
#ifndef LOGCAUSE_JOIN_H
#define LOGCAUSE_JOIN_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "responses.h"
#include "rules.h"

struct join_options {
	int64_t window_us;   /* how long before its response a record may be
			      * logged: the longest upstream timeout */
	int64_t slack_us;    /* clock skew between the logs, and 1-second stamps */
	int64_t nearness_us; /* how long after a field-less record its 5xx end */
	size_t capacity;     /* records held at most; rounded up to a power of 2 */
};

/* 75 s (nginx's 60 s timeouts and a margin), 2 s, 1 s, 256 Ki records. */
void join_default_options(struct join_options *o);

struct join;

/* Returns a join that counts the records it held into out, or NULL when out
 * of memory.  rs gives each cause's statuses. */
struct join *join_new(const struct ruleset *rs, struct responses *out,
		      const struct join_options *o);

/* Holds an error record: cause is its cause or -1, input and line say
 * where it is.  Records without a time, or with nothing a response shares
 * and no cause, are not held. */
void join_add_record(struct join *j, const struct record *r, long cause, uint32_t input);

/* Finds and takes the record that explains response a (an access record). */
struct join_match join_response(struct join *j, const struct record *a);

/* How far main must read the error stream before asking about a response
 * at time t: records up to this time can explain it. */
int64_t join_horizon(const struct join *j, int64_t t);

/* The oldest record a response at time t can take: records before the
 * first response's reach are not worth holding. */
int64_t join_reach(const struct join *j, int64_t t);

/* Lets go of records no response at or after time t can take. */
void join_expire(struct join *j, int64_t t);

/* Lets go of every record, counting into out those that a response up to
 * time last (the newest) could have taken. */
void join_finish(struct join *j, int64_t last);

void join_free(struct join *j);

#endif
