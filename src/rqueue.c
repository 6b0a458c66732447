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
 * at each hand-over whether the consumer is behind (and then maps batches
 * itself), so the work evens out between the threads within a millisecond
 * or so.  What a batch starts with is about what main.c fills one with
 * (1024 lines, 256 KiB); it grows, once, when a batch needs more. */
enum { NBATCH = 16, START_BYTES = 320u << 10, START_LINES = 1280 };

/* What one thread writes for every batch sits on cache lines of its own,
 * apart from what the other reads. */
enum { LINE = 64 };

struct rqueue {
	pthread_mutex_t mu;
	pthread_cond_t filled, emptied;
	/* Batches handed over and not yet given back: numbers cons .. prod-1
	 * (mod NBATCH); the producer fills number prod.  Changed under mu. */
	atomic_size_t handed;  /* read without mu only by the consumer's spin */
	atomic_bool closed;
	struct rq_batch b[NBATCH];
	/* The producer's. */
	alignas(LINE) size_t prod;
	bool behind;        /* half the batches waited at its last hand-over */
	/* The consumer's. */
	alignas(LINE) size_t cons;
	bool holding;       /* it holds batch cons */
};

/* Capacities double: an array reaches its size in a few steps, the first
 * time a batch needs it, and keeps it. */
static size_t next_cap(size_t cap, size_t need)
{
	size_t n = cap ? cap : 16;

	while (n < need)
		n *= 2;
	return n;
}

/* p, grown to hold need elements of size (*cap of them now): the same
 * pointer, a new one, or NULL when out of memory (p is then untouched). */
static void *grown(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n;
	void *q;

	if (need <= *cap)
		return p;
	n = next_cap(*cap, need);
	q = realloc(p, n * size);
	if (q)
		*cap = n;
	return q;
}

bool rq_batch_add_line(struct rq_batch *b, const struct line *ln)
{
	char *bytes = grown(b->bytes, &b->cap, b->used + ln->len + 1, 1);
	struct rq_line *l;

	if (!bytes)
		return false;
	b->bytes = bytes;
	l = grown(b->lines, &b->lines_cap, b->nlines + 1, sizeof *l);
	if (!l)
		return false;
	b->lines = l;
	l += b->nlines++;
	l->off = b->used;
	l->len = ln->len;
	l->number = ln->number;
	l->truncated = ln->truncated;
	memcpy(b->bytes + b->used, ln->text, ln->len);
	b->bytes[b->used + ln->len] = '\n';
	b->used += ln->len + 1;
	return true;
}

struct line rq_batch_line(const struct rq_batch *b, size_t i)
{
	const struct rq_line *l = &b->lines[i];
	struct line ln = { b->bytes + l->off, l->len, l->number, l->truncated };

	return ln;
}

static bool inside(const char *p, size_t n, const char *from, size_t len)
{
	return (uintptr_t)p >= (uintptr_t)from && (uintptr_t)p + n <= (uintptr_t)from + len;
}

/* Copies n bytes into the side store; returns their offset, or SIZE_MAX. */
static size_t keep_side(struct rq_batch *b, const char *p, size_t n)
{
	size_t off = b->side_used;
	char *side = grown(b->side, &b->side_cap, off + n, 1);

	if (!side)
		return SIZE_MAX;
	b->side = side;
	memcpy(b->side + off, p, n);
	b->side_used += n;
	return off;
}

struct rq_item *rq_batch_add_item(struct rq_batch *b, const struct record *r)
{
	struct rq_item *it;
	bool text_in = inside(r->text, r->len, b->bytes, b->used);
	bool msg_in_text = inside(r->msg, r->msg_len, r->text, r->len);

	it = grown(b->items, &b->items_cap, b->nitems + 1, sizeof *it);
	if (!it)
		return NULL;
	b->items = it;
	it += b->nitems;
	it->rec = *r;
	it->side_text = it->side_msg = false;
	if (!text_in) {
		it->side_text = true;
		it->text_off = keep_side(b, r->text, r->len);
		if (it->text_off == SIZE_MAX)
			return NULL;
		if (msg_in_text) {
			it->side_msg = true;
			it->msg_off = it->text_off + (size_t)(r->msg - r->text);
		}
	}
	if (!msg_in_text && !inside(r->msg, r->msg_len, b->bytes, b->used)) {
		it->side_msg = true;
		it->msg_off = keep_side(b, r->msg, r->msg_len);
		if (it->msg_off == SIZE_MAX)
			return NULL;
	}
	b->nitems++;
	return it;
}

void rq_batch_seal(struct rq_batch *b)
{
	for (size_t i = 0; i < b->nitems; i++) {
		struct rq_item *it = &b->items[i];

		if (it->side_text)
			it->rec.text = b->side + it->text_off;
		if (it->side_msg)
			it->rec.msg = b->side + it->msg_off;
	}
	b->mapped = true;
}

void rq_batch_clear_items(struct rq_batch *b)
{
	b->nitems = 0;
	b->side_used = 0;
	b->mapped = false;
}

static void clear(struct rq_batch *b)
{
	rq_batch_clear_items(b);
	b->used = 0;
	b->nlines = 0;
	b->input = 0;
	b->input_end = b->open_start = b->open_end = false;
}

struct rqueue *rqueue_new(size_t ncounts)
{
	struct rqueue *q = aligned_alloc(LINE, (sizeof *q + LINE - 1) / LINE * LINE);

	if (!q)
		return NULL;
	memset(q, 0, sizeof *q);
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->filled, NULL);
	pthread_cond_init(&q->emptied, NULL);
	for (size_t i = 0; i < NBATCH; i++) {
		struct rq_batch *b = &q->b[i];

		b->counts = calloc(ncounts ? ncounts : 1, sizeof *b->counts);
		b->bytes = grown(NULL, &b->cap, START_BYTES, 1);
		b->lines = grown(NULL, &b->lines_cap, START_LINES, sizeof *b->lines);
		b->items = grown(NULL, &b->items_cap, START_LINES, sizeof *b->items);
		if (!b->counts || !b->bytes || !b->lines || !b->items) {
			rqueue_free(q);
			return NULL;
		}
	}
	return q;
}

struct rq_batch *rqueue_filling(struct rqueue *q)
{
	return &q->b[q->prod % NBATCH];
}

struct rq_batch *rqueue_hand_over(struct rqueue *q)
{
	struct rq_batch *next;

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
	next = &q->b[q->prod % NBATCH];
	clear(next);
	return next;
}

bool rqueue_consumer_behind(const struct rqueue *q)
{
	return q->behind;
}

void rqueue_close(struct rqueue *q)
{
	pthread_mutex_lock(&q->mu);
	if (q->b[q->prod % NBATCH].nlines) {
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

struct rq_batch *rqueue_take(struct rqueue *q)
{
	if (q->holding) {
		pthread_mutex_lock(&q->mu);
		q->holding = false;
		q->cons++;
		q->handed--;
		pthread_cond_signal(&q->emptied);
		pthread_mutex_unlock(&q->mu);
	}
	/* Waiting a little before sleeping: a batch is a fraction of a
	 * millisecond of the producer's work, and waking a sleeping thread
	 * costs the producer a system call (on a VM, several microseconds)
	 * at every hand-over. */
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
	pthread_mutex_unlock(&q->mu);
	return &q->b[q->cons % NBATCH];
}

void rqueue_free(struct rqueue *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < NBATCH; i++) {
		free(q->b[i].bytes);
		free(q->b[i].lines);
		free(q->b[i].items);
		free(q->b[i].side);
		free(q->b[i].counts);
	}
	pthread_cond_destroy(&q->filled);
	pthread_cond_destroy(&q->emptied);
	pthread_mutex_destroy(&q->mu);
	free(q);
}
