/*
 * rqueue — batches of lines handed from one thread to another, in order.
 *
 * Data flow: stream (lines) -> rqueue -> (records: parse, group, match)
 * -> tally, events.  The reading thread copies each line into the batch
 * it fills; a batch becomes records ("mapped": parsed, grouped, matched)
 * in whichever thread has room: the reader when the consumer is behind
 * (rqueue_consumer_behind), else the consumer.  Sixteen batches
 * circulate; the consumer takes them in the order they were filled, so it
 * sees exactly the sequence of records a single thread would.  Nothing is
 * allocated per line: a batch's arrays grow only while the first batches
 * fill, or for a line larger than a batch.
 *
 *     producer:                              consumer:
 *       b = rqueue_filling(q);                 while ((b = rqueue_take(q)))
 *       rq_batch_add_line(b, &ln); …                   use(b);  // until next take
 *       b = rqueue_hand_over(q);
 *       …
 *       rqueue_close(q);
 */
#ifndef LOGCAUSE_RQUEUE_H
#define LOGCAUSE_RQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lines.h"
#include "record.h"

/* A line of a batch: its bytes are at batch->bytes + off. */
struct rq_line {
	size_t off, len;
	uint64_t number;
	bool truncated;
};

/* A record of a mapped batch and what was decided about it. */
struct rq_item {
	struct record rec;
	long cause, other;
	int kind;
	/* Bytes kept in the batch's side store (a record joined from lines,
	 * a JSON line's decoded message): offsets until the batch is mapped
	 * whole (rq_batch_seal), as the store may move while it grows. */
	bool side_text, side_msg;
	size_t text_off, msg_off;
};

/* Where the parsing of an input stands between two lines: what one
 * batch's mapping leaves to the next (see main.c). */
struct rq_state {
	struct parser_state parser;
	bool timed_input;
};

struct rq_batch {
	char *bytes;
	size_t used, cap;
	struct rq_line *lines;
	size_t nlines, lines_cap;
	struct rq_item *items;
	size_t nitems, items_cap;
	char *side;
	size_t side_used, side_cap;
	uint32_t input;     /* the input the lines are from (one per batch) */
	bool input_end;     /* the input's last lines: its last record ends here */
	bool open_start;    /* the first line may continue the batch before's
			     * last record; */
	bool open_end;      /* ... because that record was left open here */
	bool mapped;        /* items hold the records of the lines */
	struct rq_state state_in, state_out; /* of the mapping */
	uint64_t *counts;   /* the mapping's rule hits (matcher_take_counts) */
};

/* Producer: appends a copy of the line, and a '\n' after it: the lines
 * of an event lie together as they are joined (group_lines_stay).
 * Returns false when out of memory (the line is then lost). */
bool rq_batch_add_line(struct rq_batch *b, const struct line *ln);

/* The line i of b, as lines_next() would have handed it out. */
struct line rq_batch_line(const struct rq_batch *b, size_t i);

/* Mapping: a new item for r, which is copied; bytes r borrows from
 * outside the batch's lines are copied into the side store.  Until the
 * batch is sealed the copy still points where r did (so it can be matched
 * while those bytes last).  Returns NULL when out of memory. */
struct rq_item *rq_batch_add_item(struct rq_batch *b, const struct record *r);

/* Mapping: no more items; their records point at their bytes. */
void rq_batch_seal(struct rq_batch *b);

/* Empties a batch for refilling (or for mapping again: clear_items). */
void rq_batch_clear_items(struct rq_batch *b);

struct rqueue;

/* Returns a queue whose batches carry ncounts counters each, or NULL when
 * out of memory. */
struct rqueue *rqueue_new(size_t ncounts);

/* Producer: the batch being filled (empty after each hand-over). */
struct rq_batch *rqueue_filling(struct rqueue *q);

/* Producer: hands the batch being filled to the consumer, waits while
 * every batch is taken, and returns the next one to fill. */
struct rq_batch *rqueue_hand_over(struct rqueue *q);

/* Producer: whether, at the last hand-over, half the batches still waited
 * for the consumer: then it is the slower thread, and work that either
 * could do is better done by the producer. */
bool rqueue_consumer_behind(const struct rqueue *q);

/* Producer: no more lines.  The batch being filled is handed over if it
 * holds any. */
void rqueue_close(struct rqueue *q);

/* Consumer: gives back the batch taken last and returns the next, valid
 * until the next take; NULL once the producer closed the queue and every
 * batch was taken. */
struct rq_batch *rqueue_take(struct rqueue *q);

void rqueue_free(struct rqueue *q);

#endif
