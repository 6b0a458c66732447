#include "join.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tstamp.h"

enum entry_kind { KIND_FIELDS, KIND_CLIENT, KIND_TIME };

/* How many candidates one lookup looks at: a client hammering one URL
 * must not make every response a walk of the whole window. */
enum { CHAIN_STEPS = 256 };

struct entry {
	int64_t time;
	uint64_t key;   /* hash of what a response must share; kind salted in */
	uint64_t host;  /* hash of the normalised host, 0 when none */
	uint64_t proto; /* hash of the request's protocol, 0 when none */
	uint64_t prev;  /* sequence number of the previous entry of its bucket */
	uint64_t line;
	uint32_t input;
	int32_t cause;
	uint8_t kind;
	uint8_t taken;  /* enum taken */
};

/* A 5xx takes its record for good.  Any other response only borrows what
 * its request left (so that a 499 does not lend its record to a later
 * 5xx): a 5xx that finds nothing else may take it over. */
enum taken { FREE, BORROWED, TAKEN };

struct join {
	struct join_options o;
	const struct ruleset *rs;
	struct responses *out;
	uint64_t (*status)[2]; /* per cause: bit s of 500 + s set when it lists s */
	bool *fault;
	/* Entries are numbered from 1; number s lives at ring[s & mask] and
	 * is alive while head <= s < tail.  The ring starts small and doubles
	 * while the window needs it, up to max_mask + 1 entries: memory
	 * follows what the window holds, not how much was read. */
	struct entry *ring;
	uint64_t mask, max_mask, head, tail;
	uint64_t *bucket;      /* newest entry number per hash bucket */
	uint64_t bmask;
	/* The field-less entries' numbers, in order, for a search by time. */
	uint64_t *near;
	uint64_t nhead, ntail;
};

enum { JOIN_FIRST_RING = 4096 };

/* Moves the window into a ring of cap entries (a power of 2, at least the
 * entries alive): entries keep their numbers, the hash chains are relinked
 * for the new bucket count.  Returns 0, or -1 when out of memory (the
 * window is then unchanged). */
static int grow(struct join *j, uint64_t cap)
{
	struct entry *ring = calloc(cap, sizeof *ring);
	uint64_t *bucket = calloc(2 * cap, sizeof *bucket), *near = calloc(cap, sizeof *near);

	if (!ring || !bucket || !near) {
		free(ring);
		free(bucket);
		free(near);
		return -1;
	}
	for (uint64_t seq = j->head; seq < j->tail; seq++) {
		struct entry *e = &ring[seq & (cap - 1)];

		*e = j->ring[seq & j->mask];
		if (e->kind != KIND_TIME) {
			uint64_t *b = &bucket[e->key & (2 * cap - 1)];

			e->prev = *b;
			*b = seq;
		}
	}
	for (uint64_t i = j->nhead; i < j->ntail; i++)
		near[i & (cap - 1)] = j->near[i & j->mask];
	free(j->ring);
	free(j->bucket);
	free(j->near);
	j->ring = ring;
	j->bucket = bucket;
	j->near = near;
	j->mask = cap - 1;
	j->bmask = 2 * cap - 1;
	return 0;
}

void join_default_options(struct join_options *o)
{
	o->window_us = 75 * TSTAMP_US_PER_SEC;
	o->slack_us = 2 * TSTAMP_US_PER_SEC;
	o->nearness_us = 1 * TSTAMP_US_PER_SEC;
	o->capacity = (size_t)1 << 18;
}

struct join *join_new(const struct ruleset *rs, struct responses *out,
		      const struct join_options *o)
{
	struct join *j = calloc(1, sizeof *j);
	size_t cap = 1, n = rs->ncauses ? rs->ncauses : 1;

	if (!j)
		return NULL;
	while (cap < o->capacity && cap < ((size_t)1 << 30))
		cap <<= 1;
	j->o = *o;
	j->rs = rs;
	j->out = out;
	j->max_mask = cap - 1;
	j->head = j->tail = 1;
	j->nhead = j->ntail = 0;
	j->status = calloc(n, sizeof *j->status);
	j->fault = calloc(n, sizeof *j->fault);
	if (!j->status || !j->fault || grow(j, cap < JOIN_FIRST_RING ? cap : JOIN_FIRST_RING) < 0) {
		join_free(j);
		return NULL;
	}
	for (size_t c = 0; c < rs->ncauses; c++) {
		const struct cause *cs = &rs->causes[c];

		j->fault[c] = cs->kind == CAUSE_FAULT;
		for (size_t i = 0; i < cs->nstatus; i++)
			if (cs->status[i] >= 500 && cs->status[i] <= 599) {
				unsigned s = cs->status[i] - 500u;

				j->status[c][s / 64] |= (uint64_t)1 << (s % 64);
			}
	}
	return j;
}

/* ---- keys ---- */

static uint64_t hash_bytes(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL; /* FNV-1a: the keys are short */
	}
	return h;
}

static uint64_t hash_finish(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h | 1; /* 0 means "none" */
}

static uint64_t client_key(const struct record *r, uint64_t salt)
{
	const char *c;
	size_t n = record_client_address(r, &c);

	/* Apache writes the client's port, access logs do not. */
	return hash_bytes(0xcbf29ce484222325ULL ^ salt, c, n);
}

/* Client, method and URI: what a record of nginx and its response share.
 * The protocol is left out, as JSON access logs often write none. */
static uint64_t fields_key(const struct record *r, const struct request_parts *rq)
{
	uint64_t h = client_key(r, KIND_FIELDS);

	h = hash_bytes(h, " ", 1);
	h = hash_bytes(h, rq->method, rq->method_len);
	h = hash_bytes(h, " ", 1);
	return hash_finish(hash_bytes(h, rq->uri, rq->uri_len));
}

/* Host, case folded, port left out: "Shop.Example:443" is shop.example. */
static uint64_t host_key(const struct record *r)
{
	const char *s = r->text + r->host.off;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i = 0;

	if (!r->host.len)
		return 0;
	if (s[0] == '[') {
		for (; i < r->host.len && s[i] != ']'; i++)
			h = hash_bytes(h, s + i, 1);
	} else {
		for (; i < r->host.len && s[i] != ':'; i++) {
			char ch = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];

			h = hash_bytes(h, &ch, 1);
		}
	}
	return hash_finish(h);
}

/* "HTTP/2.0" of "GET / HTTP/2.0": a request by HTTP/1.1 and one by HTTP/2
 * are different requests, when both logs say. */
static uint64_t proto_key(const struct record *r)
{
	const char *q = r->text + r->request.off, *sp;

	if (r->method.len || !r->request.len)
		return 0;
	sp = memrchr(q, ' ', r->request.len);
	if (!sp || !memchr(q, ' ', (size_t)(sp - q)) || (size_t)(q + r->request.len - sp) < 6 ||
	    memcmp(sp + 1, "HTTP/", 5) != 0)
		return 0;
	return hash_finish(hash_bytes(0xcbf29ce484222325ULL, sp + 1,
				      (size_t)(q + r->request.len - sp - 1)));
}

/* ---- the window ---- */

static struct entry *entry_at(const struct join *j, uint64_t seq)
{
	return &j->ring[seq & j->mask];
}

/* Lets go of the oldest entry; counts it unless no response could reach
 * it (stamped after the last one). */
static void release_oldest(struct join *j, int64_t last)
{
	const struct entry *e = entry_at(j, j->head);

	if (e->cause >= 0 && e->time - j->o.slack_us <= last)
		responses_add_record(j->out, (size_t)e->cause, e->taken != FREE);
	j->head++;
	while (j->nhead < j->ntail && j->near[j->nhead & j->mask] < j->head)
		j->nhead++;
}

void join_add_record(struct join *j, const struct record *r, long cause, uint32_t input)
{
	struct request_parts rq;
	struct entry *e;
	enum entry_kind kind;
	uint64_t key;

	if (r->time == TSTAMP_NONE)
		return;
	if (r->client.len && record_request_parts(r, &rq)) {
		kind = KIND_FIELDS;
		key = fields_key(r, &rq);
	} else if (r->client.len) {
		kind = KIND_CLIENT;
		key = hash_finish(client_key(r, KIND_CLIENT));
	} else if (cause >= 0 && j->fault[cause]) {
		kind = KIND_TIME;
		key = 0;
	} else {
		return; /* nothing a response could be matched on */
	}
	if (j->tail - j->head > j->mask &&
	    (j->mask == j->max_mask || grow(j, 2 * (j->mask + 1)) < 0)) {
		j->out->window_full++;
		release_oldest(j, INT64_MAX);
	}
	e = entry_at(j, j->tail);
	e->time = r->time;
	e->key = key;
	e->host = host_key(r);
	e->proto = proto_key(r);
	e->line = r->line;
	e->input = input;
	e->cause = (int32_t)cause;
	e->kind = (uint8_t)kind;
	e->taken = FREE;
	e->prev = 0;
	if (kind == KIND_TIME) {
		j->near[j->ntail & j->mask] = j->tail;
		j->ntail++;
	} else {
		uint64_t *b = &j->bucket[key & j->bmask];

		e->prev = *b;
		*b = j->tail;
	}
	j->tail++;
}

int64_t join_horizon(const struct join *j, int64_t t)
{
	return t + j->o.slack_us;
}

int64_t join_reach(const struct join *j, int64_t t)
{
	return t - j->o.window_us - j->o.slack_us;
}

void join_expire(struct join *j, int64_t t)
{
	/* A response can reach a window back, and its line can come a little
	 * out of order: one more slack. */
	int64_t limit = t - j->o.window_us - 2 * j->o.slack_us;

	while (j->head < j->tail && entry_at(j, j->head)->time < limit)
		release_oldest(j, INT64_MAX);
}

void join_finish(struct join *j, int64_t last)
{
	while (j->head < j->tail)
		release_oldest(j, last);
}

/* ---- matching ---- */

static bool lists_status(const struct join *j, int32_t cause, int status)
{
	unsigned s;

	if (cause < 0 || status < 500 || status > 599)
		return false;
	s = (unsigned)(status - 500);
	return (j->status[cause][s / 64] >> (s % 64)) & 1;
}

/* How well a record suits a response: 4 a fault cause whose first status
 * is the response's (a 502 is upstream-down's before it is a timeout's),
 * 3 a fault cause that lists it, 2 a record no rule attributes, 1 anything
 * else; 0 unfit. */
static int fitness(const struct join *j, const struct entry *e, int status)
{
	if (status < 500)
		return e->kind == KIND_FIELDS ? 1 : 0; /* any record its request left */
	if (e->cause >= 0 && j->fault[e->cause] && lists_status(j, e->cause, status))
		return j->rs->causes[e->cause].status[0] == status ? 4 : 3;
	if (e->cause < 0)
		return 2;
	return e->kind == KIND_FIELDS ? 1 : 0;
}

/* How far a record is from where its response's record should be: at the
 * response's end (most errors), or at its start (nginx stamps some
 * timeouts when the request began).  A record after the response counts
 * double: only clock skew and 1-second stamps put it there. */
static int64_t distance(int64_t t, int64_t end, int64_t start)
{
	if (t > end)
		return 2 * (t - end);
	return t >= start ? (end - t < t - start ? end - t : t - start) : start - t;
}

/* The best entry on key's chain within [lo, hi] that response a may
 * take: the fittest, then the nearest (a borrowed one a second further
 * off), then the newest. */
static struct entry *best_on_chain(struct join *j, uint64_t key, const struct record *a,
				   int64_t lo, int64_t hi, int min_fit)
{
	struct entry *best = NULL;
	int best_rank = -1, steps = 0;
	int64_t best_dist = INT64_MAX;
	int64_t start = a->request_us >= 0 ? a->time - a->request_us : a->time;
	uint64_t host = host_key(a), proto = proto_key(a);
	enum taken may_take = a->status >= 500 ? BORROWED : FREE;

	for (uint64_t seq = j->bucket[key & j->bmask];
	     seq >= j->head && seq < j->tail && steps < CHAIN_STEPS; steps++) {
		struct entry *e = entry_at(j, seq);
		int64_t dist;
		int fit, rank;

		seq = e->prev;
		if (e->key != key)
			continue; /* another key in the same bucket */
		/* Entries go back in time along the chain, give or take a
		 * stamp out of order: stop well past the lower bound. */
		if (e->time < lo - j->o.slack_us)
			break;
		if (e->taken > may_take || e->time < lo || e->time > hi)
			continue;
		if ((host && e->host && host != e->host) || (proto && e->proto && proto != e->proto))
			continue;
		fit = fitness(j, e, a->status);
		if (fit < min_fit)
			continue;
		rank = fit;
		dist = distance(e->time, a->time, start) + (e->taken == FREE ? 0 : TSTAMP_US_PER_SEC);
		if (rank > best_rank || (rank == best_rank && dist < best_dist)) {
			best = e;
			best_rank = rank;
			best_dist = dist;
		}
	}
	return best;
}

/* The field-less record of a cause listing status nearest before the
 * response (else just after it, which skew allows), logged between a
 * nearness (and half the slack) before the response and half the slack
 * after it: an alert is no evidence for a 5xx seconds away, and the wider
 * the window, the more 5xx it claims that something else produced. */
static struct entry *best_near(struct join *j, int64_t t, int status)
{
	uint64_t lo = j->nhead, hi = j->ntail;
	int64_t from = t - j->o.nearness_us - j->o.slack_us / 2, to = t + j->o.slack_us / 2;
	struct entry *after = NULL;
	int steps = 0;

	/* The first entry after `to`; the entries are in arrival order, which
	 * is time order but for stamps a second out of place. */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (entry_at(j, j->near[mid & j->mask])->time <= to)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint64_t i = lo; i > j->nhead && steps < CHAIN_STEPS; steps++) {
		struct entry *e = entry_at(j, j->near[--i & j->mask]);

		if (e->time < from - j->o.slack_us)
			break;
		if (e->time < from || e->time > to || !lists_status(j, e->cause, status))
			continue;
		if (e->time <= t)
			return e;
		if (!after)
			after = e;
	}
	return after;
}

struct join_match join_response(struct join *j, const struct record *a)
{
	struct join_match m = { -1, JOIN_NONE, 0, 0 };
	struct request_parts rq;
	struct entry *e = NULL;
	int64_t lo, hi, back = j->o.window_us;
	uint64_t key = 0;

	if (a->time == TSTAMP_NONE || !a->client.len)
		return m;
	/* The request started $request_time before its response ended; its
	 * record cannot be older. */
	if (a->request_us >= 0 && a->request_us < back)
		back = a->request_us;
	lo = a->time - back - j->o.slack_us;
	/* A response other than a 5xx only uses up what its request left; a
	 * record stamped well after it is more likely a later request's. */
	hi = a->time + (a->status >= 500 ? j->o.slack_us : j->o.slack_us / 2);
	/* For a 5xx: the same request with a record that could produce it;
	 * else the same client (records that name no request); else a
	 * field-less alert just before; and only then the same request with
	 * a record of another kind, which a busy client's next request may
	 * have left. */
	if (record_request_parts(a, &rq))
		key = fields_key(a, &rq);
	if (key && (e = best_on_chain(j, key, a, lo, hi, a->status >= 500 ? 2 : 1)) != NULL)
		m.by = JOIN_FIELDS;
	if (!e && a->status >= 500) {
		e = best_on_chain(j, hash_finish(client_key(a, KIND_CLIENT)), a, lo, hi, 2);
		if (e)
			m.by = JOIN_CLIENT;
	}
	if (!e && a->status >= 500) {
		e = best_near(j, a->time, a->status);
		if (e)
			m.by = JOIN_TIME;
	}
	if (!e && key && a->status >= 500 && (e = best_on_chain(j, key, a, lo, hi, 1)) != NULL)
		m.by = JOIN_FIELDS;
	if (!e)
		return m;
	e->taken = a->status >= 500 ? TAKEN : BORROWED;
	m.cause = e->cause;
	m.input = e->input;
	m.line = e->line;
	/* A record explains a 5xx only when its cause could produce one
	 * (a client's abort cannot): the 5xx stays unexplained, the record
	 * taken all the same. */
	if (a->status >= 500 && m.cause >= 0 && !j->fault[m.cause]) {
		m.cause = -1;
		m.by = JOIN_NONE;
	}
	return m;
}

void join_free(struct join *j)
{
	if (!j)
		return;
	free(j->ring);
	free(j->bucket);
	free(j->near);
	free(j->status);
	free(j->fault);
	free(j);
}
