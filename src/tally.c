#include "tally.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

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
	t->example_store = malloc(slots * TALLY_EXAMPLE_MAX);
	t->timeline = timeline_new(ncauses);
	t->unattributed_templates = topk_new(TALLY_UNATTRIBUTED_TEMPLATES, TEMPLATE_MAX);
	/* Messages repeat: each distinct one is masked once while it stays in
	 * the memo.  Paths are masked with a smaller cap, so apart. */
	t->memo_message = template_memo_new(sizeof t->scratch);
	t->memo_path = template_memo_new(TALLY_FIELD_MAX);
	if (!t->causes || !t->example_store || !t->timeline || !t->unattributed_templates ||
	    !t->memo_message || !t->memo_path) {
		tally_free(t);
		return NULL;
	}
	/* Everything a record can add to is allocated here, up front: the
	 * per-record path allocates nothing. */
	for (size_t i = 0; i < ncauses; i++) {
		struct cause_tally *c = &t->causes[i];

		c->templates = topk_new(TALLY_TEMPLATES, TEMPLATE_MAX);
		if (!c->templates) {
			tally_free(t);
			return NULL;
		}
		for (int f = 0; f < TF_COUNT; f++) {
			c->fields[f] = topk_new(TALLY_FIELD_VALUES, TALLY_FIELD_MAX);
			if (!c->fields[f]) {
				tally_free(t);
				return NULL;
			}
		}
		hll_init(&c->clients);
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

static void keep_example(struct cause_tally *c, uint64_t shape, const char *text, size_t len,
			 size_t msg_off, uint64_t line)
{
	struct tally_example *ex;

	for (size_t i = 0; i < c->nexamples; i++)
		if (c->examples[i].shape == shape)
			return;
	ex = &c->examples[c->nexamples++];
	ex->len = len < TALLY_EXAMPLE_MAX ? len : TALLY_EXAMPLE_MAX;
	memcpy(ex->text, text, ex->len);
	/* A message that starts past the bytes kept (or JSON's decoded
	 * message, kept apart from the line) shows the whole line. */
	ex->msg_off = msg_off > ex->len ? 0 : msg_off;
	ex->shape = shape;
	ex->line = line;
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

/* Counts the record's masked message in tk, with the message as example. */
static void count_template(struct tally *t, struct topk *tk, const struct record *r)
{
	size_t n;
	uint64_t h;
	const char *tpl = template_memo_mask(t->memo_message, r->msg, r->core_len,
					     t->scratch, &n, &h);

	topk_add(tk, h, tpl, n, r->msg, r->msg_len);
}

static void count_value(struct topk *tk, const char *s, size_t n)
{
	if (n > TALLY_FIELD_MAX)
		n = TALLY_FIELD_MAX;
	topk_add(tk, template_hash(s, n), s, n, s, n);
}

/* "GET /cart?id=4 HTTP/1.1": the path, query left out, numbers and ids
 * masked, so /order/1187 and /order/2290 are one value. */
static void count_path(struct tally *t, struct topk *tk, const struct record *r)
{
	const char *path, *tpl;
	size_t len = record_request_path(r, &path), n;
	uint64_t h;

	tpl = template_memo_mask(t->memo_path, path, len, t->scratch, &n, &h);
	topk_add(tk, h, tpl, n, path, len);
}

static void count_fields(struct tally *t, struct cause_tally *c, const struct record *r)
{
	if (r->upstream.len)
		count_value(c->fields[TF_UPSTREAM], r->text + r->upstream.off, r->upstream.len);
	if (r->request.len)
		count_path(t, c->fields[TF_PATH], r);
	if (r->host.len)
		count_value(c->fields[TF_HOST], r->text + r->host.off, r->host.len);
	else if (r->server.len)
		count_value(c->fields[TF_HOST], r->text + r->server.off, r->server.len);
	if (r->client.len) {
		/* The address, not the connection: Apache writes the port. */
		const char *addr;
		size_t n = record_client_address(r, &addr);

		count_value(c->fields[TF_CLIENT], addr, n);
		hll_add(&c->clients, addr, n);
	}
}

const char *tally_field_name(enum tally_field f)
{
	static const char *const names[TF_COUNT] = { "upstream", "path", "host", "client" };

	return names[f];
}

/* What every event of a cause adds, counts-only or not. */
static void count_event(struct tally *t, struct cause_tally *c, size_t cause,
			const struct record *r)
{
	c->events++;
	span_time(&c->first, &c->last, r->time);
	if (r->time != TSTAMP_NONE)
		timeline_add(t->timeline, cause, r->time);
}

static void count_record(struct tally *t, const struct record *r)
{
	t->records++;
	if (r->truncated)
		t->truncated++;
	span_time(&t->first, &t->last, r->time);
}

void tally_add(struct tally *t, long cause, const struct record *in)
{
	struct cause_tally *c;
	uint64_t shape;
	bool msg_inside;
	struct record full;
	const struct record *r = in;

	count_record(t, r);
	if (cause >= 0 && t->causes[cause].counts_only) {
		count_event(t, &t->causes[cause], (size_t)cause, r);
		return;
	}
	/* Templates and field values need what a deferring parser left. */
	if (in->fields_pending) {
		full = *in;
		record_fields(&full);
		r = &full;
	}
	if (cause < 0) {
		t->unattributed++;
		count_template(t, t->unattributed_templates, r);
		return;
	}
	c = &t->causes[cause];
	count_event(t, c, (size_t)cause, r);
	count_template(t, c->templates, r);
	count_fields(t, c, r);
	if (c->nexamples == TALLY_EXAMPLES)
		return;
	/* The shape leaves out nginx's trailing fields: another client
	 * hitting the same failure is not a different example. */
	shape = shape_of(r->msg, r->core_len);
	/* A JSON line's message is decoded elsewhere: no offset into text. */
	msg_inside = (uintptr_t)r->msg >= (uintptr_t)r->text &&
		     (uintptr_t)r->msg <= (uintptr_t)r->text + r->len;
	keep_example(c, shape, r->text, r->len, msg_inside ? (size_t)(r->msg - r->text) : 0,
		     r->line);
}

void tally_counts_only(struct tally *t, size_t cause)
{
	t->causes[cause].counts_only = true;
}

void tally_keep_example(struct tally *t, size_t cause, const char *text, size_t len,
			size_t msg_off, uint64_t line)
{
	struct cause_tally *c = &t->causes[cause];

	if (c->nexamples < TALLY_EXAMPLES && msg_off <= len)
		keep_example(c, shape_of(text + msg_off, len - msg_off), text, len, msg_off, line);
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
	for (size_t i = 0; t->causes && i < t->ncauses; i++) {
		topk_free(t->causes[i].templates);
		for (int f = 0; f < TF_COUNT; f++)
			topk_free(t->causes[i].fields[f]);
	}
	free(t->causes);
	template_memo_free(t->memo_message);
	template_memo_free(t->memo_path);
	free(t->example_store);
	timeline_free(t->timeline);
	topk_free(t->unattributed_templates);
	free(t);
}
