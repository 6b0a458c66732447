#include "rqueue.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

/* Sixteen small batches rather than a few big ones: the producer learns
 * at each hand-over whether the consumer is behind (and then matches
 * records itself), so the work evens out between the threads within a
 * millisecond or so, and a batch stays in the cache between them.  256 KiB
 * is about what 1024 records take: each batch is filled, and so touched
 * whole, within the first second, and peak memory does not creep up as an
 * input with longer records comes along. */
enum { NBATCH = 16, BATCH_BYTES = 256u << 10, BATCH_ITEMS = 1024 };

/* What one thread writes for every record sits on cache lines of its own,
 * apart from what the other reads for every record: a line both touch
 * would travel between the cores at each record. */
enum { LINE = 64 };

struct batch {
	alignas(LINE) char *buf;
	size_t cap, used;
	struct rq_item *items;
	size_t n;
};

struct rqueue {
	pthread_mutex_t mu;
	pthread_cond_t filled, emptied;
	/* Batches handed over and not yet given back: numbers cons .. prod-1
	 * (mod NBATCH); the producer fills number prod.  Changed under mu. */
	atomic_size_t handed;  /* read without mu only by the consumer's spin */
	atomic_bool closed;
	struct batch b[NBATCH];
	/* The producer's. */
	alignas(LINE) size_t prod;
	bool behind;        /* half the batches waited at its last hand-over */
	uint64_t lost;
	/* The consumer's. */
	alignas(LINE) size_t cons;
	bool holding;       /* it is reading batch cons */
	size_t pos;         /* its next item */
};

struct rqueue *rqueue_new(void)
{
	struct rqueue *q = aligned_alloc(LINE, (sizeof *q + LINE - 1) / LINE * LINE);

	if (!q)
		return NULL;
	memset(q, 0, sizeof *q);
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->filled, NULL);
	pthread_cond_init(&q->emptied, NULL);
	for (size_t i = 0; i < NBATCH; i++) {
		q->b[i].buf = malloc(BATCH_BYTES);
		q->b[i].cap = BATCH_BYTES;
		q->b[i].items = malloc(BATCH_ITEMS * sizeof *q->b[i].items);
		if (!q->b[i].buf || !q->b[i].items) {
			rqueue_free(q);
			return NULL;
		}
	}
	return q;
}

/* Hands the batch being filled to the consumer and waits for the next to
 * be free. */
static void hand_over(struct rqueue *q)
{
	pthread_mutex_lock(&q->mu);
	q->prod++;
	q->handed++;
	pthread_cond_signal(&q->filled);
	while (q->handed == NBATCH)
		pthread_cond_wait(&q->emptied, &q->mu);
	/* Half the batches wait: the consumer is the slower.  Half, so that
	 * either thread has a cushion: the consumer always finds work, and
	 * the producer seldom waits for a free batch. */
	q->behind = q->handed >= NBATCH / 2;
	pthread_mutex_unlock(&q->mu);
	q->b[q->prod % NBATCH].n = 0;
	q->b[q->prod % NBATCH].used = 0;
}

static bool msg_inside(const struct record *r)
{
	return (uintptr_t)r->msg >= (uintptr_t)r->text &&
	       (uintptr_t)r->msg + r->msg_len <= (uintptr_t)r->text + r->len;
}

struct rq_item *rqueue_push(struct rqueue *q, const struct record *r)
{
	return rqueue_push_bytes(q, r, true);
}

struct rq_item *rqueue_push_bytes(struct rqueue *q, const struct record *r, bool bytes)
{
	struct batch *b = &q->b[q->prod % NBATCH];
	bool inside = msg_inside(r);
	size_t need = !bytes ? 0 : r->len + (inside ? 0 : r->msg_len);
	struct rq_item *it;
	char *at;

	if (b->n == BATCH_ITEMS || (b->n && b->used + need > b->cap)) {
		hand_over(q);
		b = &q->b[q->prod % NBATCH];
	}
	if (need > b->cap) { /* a record bigger than a batch: rare */
		char *grown = realloc(b->buf, need);

		if (!grown) {
			q->lost++;
			return NULL;
		}
		b->buf = grown;
		b->cap = need;
	}
	at = b->buf + b->used;
	it = &b->items[b->n++];
	it->rec = *r;
	if (!bytes) {
		it->rec.text = it->rec.msg = NULL;
		it->rec.len = it->rec.msg_len = it->rec.core_len = 0;
		return it;
	}
	memcpy(at, r->text, r->len);
	it->rec.text = at;
	if (inside) {
		it->rec.msg = at + (r->msg - r->text);
	} else {
		memcpy(at + r->len, r->msg, r->msg_len);
		it->rec.msg = at + r->len;
	}
	b->used += need;
	return it;
}

bool rqueue_consumer_behind(const struct rqueue *q)
{
	return q->behind;
}

void rqueue_close(struct rqueue *q)
{
	pthread_mutex_lock(&q->mu);
	if (q->b[q->prod % NBATCH].n) {
		q->prod++;
		q->handed++;
	}
	q->closed = true;
	pthread_cond_signal(&q->filled);
	pthread_mutex_unlock(&q->mu);
}

/* About 20 µs of pause instructions on this project's machine (a pause
 * takes 10 to 140 cycles, by CPU; elsewhere the loop only reads): most of
 * the consumer's waits at a hand-over, and little spinning when the
 * producer has truly stalled. */
enum { CONSUMER_SPINS = 2048 };

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	_mm_pause();
#endif
}

struct rq_item *rqueue_pop(struct rqueue *q)
{
	for (;;) {
		if (q->holding) {
			struct batch *b = &q->b[q->cons % NBATCH];

			if (q->pos < b->n)
				return &b->items[q->pos++];
			pthread_mutex_lock(&q->mu);
			q->holding = false;
			q->cons++;
			q->handed--;
			pthread_cond_signal(&q->emptied);
			pthread_mutex_unlock(&q->mu);
		}
		/* Waiting a little before sleeping: a batch is a fraction of
		 * a millisecond of the producer's work, and waking a sleeping
		 * thread costs the producer a system call (on a VM, several
		 * microseconds) at every hand-over. */
		for (int spin = 0; spin < CONSUMER_SPINS && atomic_load(&q->handed) == 0 &&
				   !atomic_load(&q->closed);
		     spin++)
			cpu_relax();
		pthread_mutex_lock(&q->mu);
		while (q->handed == 0 && !q->closed)
			pthread_cond_wait(&q->filled, &q->mu);
		if (q->handed == 0) {
			pthread_mutex_unlock(&q->mu);
			return NULL;
		}
		q->holding = true;
		q->pos = 0;
		pthread_mutex_unlock(&q->mu);
	}
}

uint64_t rqueue_lost(const struct rqueue *q)
{
	return q->lost;
}

void rqueue_free(struct rqueue *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < NBATCH; i++) {
		free(q->b[i].buf);
		free(q->b[i].items);
	}
	pthread_cond_destroy(&q->filled);
	pthread_cond_destroy(&q->emptied);
	pthread_mutex_destroy(&q->mu);
	free(q);
}
