#include "tally.h"

#include <stdlib.h>
#include <string.h>

struct tally *tally_new(size_t ncauses)
{
	struct tally *t = calloc(1, sizeof *t);
	size_t slots = ncauses * TALLY_EXAMPLES;

	if (!t)
		return NULL;
	t->ncauses = ncauses;
	t->causes = calloc(ncauses ? ncauses : 1, sizeof *t->causes);
	/* All example buffers in one allocation made up front: keeping an
	 * example never allocates while records stream past. */
	t->example_store = malloc(slots ? slots * TALLY_EXAMPLE_MAX : 1);
	t->timeline = timeline_new(ncauses);
	if (!t->causes || !t->example_store || !t->timeline) {
		tally_free(t);
		return NULL;
	}
	for (size_t i = 0; i < ncauses; i++) {
		struct cause_tally *c = &t->causes[i];

		c->first = c->last = TSTAMP_NONE;
		for (size_t j = 0; j < TALLY_EXAMPLES; j++)
			c->examples[j].text =
				t->example_store + (i * TALLY_EXAMPLES + j) * TALLY_EXAMPLE_MAX;
	}
	t->first = t->last = TSTAMP_NONE;
	return t;
}

/* FNV-1a over the message with digits skipped, so "worker 12" and
 * "worker 31" are one shape and the examples kept show different errors. */
static uint64_t shape_of(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= '0' && c <= '9')
			continue;
		h ^= c;
		h *= 1099511628211ULL;
	}
	return h;
}

static void span_time(int64_t *first, int64_t *last, int64_t t)
{
	if (t == TSTAMP_NONE)
		return;
	/* Several workers and merged files write slightly out of order: the
	 * span is the minimum and maximum, not the first and last line. */
	if (*first == TSTAMP_NONE || t < *first)
		*first = t;
	if (*last == TSTAMP_NONE || t > *last)
		*last = t;
}

static void count_record(struct tally *t, const struct record *r)
{
	t->records++;
	if (r->truncated)
		t->truncated++;
	span_time(&t->first, &t->last, r->time);
}

void tally_add(struct tally *t, long cause, const struct record *r)
{
	struct cause_tally *c;
	uint64_t shape;

	count_record(t, r);
	if (cause < 0) {
		t->unattributed++;
		return;
	}
	c = &t->causes[cause];
	c->events++;
	span_time(&c->first, &c->last, r->time);
	if (r->time != TSTAMP_NONE)
		timeline_add(t->timeline, (size_t)cause, r->time);
	if (c->nexamples == TALLY_EXAMPLES)
		return;
	/* The shape leaves out nginx's trailing fields: another client
	 * hitting the same failure is not a different example. */
	shape = shape_of(r->msg, r->core_len);
	for (size_t i = 0; i < c->nexamples; i++)
		if (c->examples[i].shape == shape)
			return;
	struct tally_example *ex = &c->examples[c->nexamples++];
	ex->len = r->len < TALLY_EXAMPLE_MAX ? r->len : TALLY_EXAMPLE_MAX;
	memcpy(ex->text, r->text, ex->len);
	ex->msg_off = (size_t)(r->msg - r->text);
	if (ex->msg_off > ex->len)
		ex->msg_off = 0;
	ex->shape = shape;
	ex->line = r->line;
}

void tally_add_below(struct tally *t, const struct record *r)
{
	count_record(t, r);
	t->below_level++;
}

void tally_add_outside(struct tally *t, const struct record *r)
{
	(void)r;
	t->outside++;
}

void tally_add_access(struct tally *t, const struct record *r)
{
	(void)r;
	t->access++;
}

void tally_free(struct tally *t)
{
	if (!t)
		return;
	free(t->causes);
	free(t->example_store);
	timeline_free(t->timeline);
	free(t);
}
