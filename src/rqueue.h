/*
 * rqueue — records handed from one thread to another, in order.
 *
 * Data flow: stream -> (attribution) -> rqueue -> (attribution) -> tally,
 * events: the producer attributes a record while the consumer is behind
 * (rqueue_consumer_behind), else leaves it to the consumer.  A record
 * borrows its reader's buffers until the next one is read, so the producer
 * copies each into a batch: the record, its bytes, and a JSON line's
 * decoded message, with the pointers moved to the copy (or only the record,
 * rqueue_push_bytes).  Sixteen batches of 1024 records circulate; the
 * consumer takes them in the order they were filled, so it sees exactly
 * the sequence of records a single thread would.  Nothing is allocated per record: a batch grows only
 * for a record larger than the batch.
 *
 *     producer:                          consumer:
 *       it = rqueue_push(q, &rec);         while ((it = rqueue_pop(q)))
 *       it->cause = …;                             use(it);  // until next pop
 *       …
 *       rqueue_close(q);
 */
#ifndef LOGCAUSE_RQUEUE_H
#define LOGCAUSE_RQUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"

/* A record and what the producer decided about it. */
struct rq_item {
	struct record rec;   /* points into the batch */
	long cause, other;   /* the producer's to fill */
	uint32_t input;
	int kind;
	bool pending;        /* the producer left the cause to the consumer */
};

struct rqueue;

/* Returns a queue, or NULL when out of memory. */
struct rqueue *rqueue_new(void);

/* Producer: copies r into the queue and returns its item, to be filled in
 * before the next push.  Waits while every batch is full.  Returns NULL
 * when out of memory (the record is then lost; the queue still works). */
struct rq_item *rqueue_push(struct rqueue *q, const struct record *r);

/* Producer: like rqueue_push, but with bytes false the item's record has
 * no text or message (NULL, length 0), only its other fields: for a
 * record the consumer only counts. */
struct rq_item *rqueue_push_bytes(struct rqueue *q, const struct record *r, bool bytes);

/* Producer: whether, at the last batch handed over, half the batches
 * still waited for the consumer: then it is the slower thread, and work
 * that either could do is better done by the producer. */
bool rqueue_consumer_behind(const struct rqueue *q);

/* Producer: no more records.  The batch being filled is handed over. */
void rqueue_close(struct rqueue *q);

/* Consumer: the next item, valid until the next pop; NULL once the
 * producer closed the queue and every item was taken. */
struct rq_item *rqueue_pop(struct rqueue *q);

/* Records lost to a failed allocation (then the report is short). */
uint64_t rqueue_lost(const struct rqueue *q);

void rqueue_free(struct rqueue *q);

#endif
