#include "group.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct group {
	struct record_parser *parser;
	char *buf[2];      /* a copied pending record is in buf[cur] */
	size_t cap;
	int cur;
	bool pending;
	bool borrowed;     /* the pending record is still its line's bytes */
	/* The pending record is slot[pend]; a line is parsed into the other,
	 * which held the record handed out last: records are never copied. */
	struct record slot[2];
	int pend;
	size_t lines;      /* lines joined into it */
	size_t first_len;  /* bytes of its first line */
	bool timed_input;  /* a record of this input carried a time stamp */
	bool msg_apart;    /* the message is a decoded copy, not inside text */
	bool lines_stay;   /* group_lines_stay() */
};

struct group *group_new(void)
{
	struct group *g = calloc(1, sizeof *g);

	if (!g)
		return NULL;
	/* A first line, its decoded message (JSON; never longer than the
	 * line), and the continuation bound. */
	g->cap = 2 * LINES_DEFAULT_MAX + GROUP_MAX_EXTRA;
	g->buf[0] = malloc(g->cap);
	g->buf[1] = malloc(g->cap);
	if (!g->buf[0] || !g->buf[1]) {
		group_free(g);
		return NULL;
	}
	return g;
}

void group_reset(struct group *g, struct record_parser *p)
{
	g->parser = p;
	g->pending = false;
	g->timed_input = false;
}

/*
 * Lines that continue an event whatever the input looks like.  To add a
 * marker: the first bytes of a line that can only be the middle of a trace.
 */
static bool is_marker(const char *s, size_t n)
{
	static const char *const markers[] = {
		"Traceback (most recent call last):",
		"During handling of the above exception",
		"The above exception was the direct cause",
		"Caused by: ",
		"Stack trace:",
		"[stacktrace]",
		"[previous exception]",
		"goroutine ",
		"PHP message: ",
		"... ",
	};

	if (n == 0)
		return false;
	if (s[0] == ' ' || s[0] == '\t')
		return true;
	/* PHP and Laravel frames: "#0 /srv/www/…", "#12 {main}". */
	if (s[0] == '#' && n > 2 && s[1] >= '0' && s[1] <= '9')
		return true;
	/* Every line comes here, and most start with a digit of their
	 * stamp, which starts no marker. */
	if (s[0] >= '0' && s[0] <= '9')
		return false;
	for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
		size_t k;

		if (s[0] != markers[i][0])
			continue;
		k = strlen(markers[i]);
		if (n >= k && memcmp(s, markers[i], k) == 0)
			return true;
	}
	return false;
}

/* Makes the record just parsed into the free slot the pending one.  Its
 * line stays valid while the next one is looked at (lines.h), so a record
 * of one line (most of them) is handed out without a copy of its bytes.
 * A message decoded apart (JSON) lives in the parser's scratch, which the
 * next line's parse overwrites: such a record is copied into the buffer
 * not holding the record last handed out. */
static void adopt(struct group *g)
{
	struct record *r;

	g->pend = 1 - g->pend;
	r = &g->slot[g->pend];
	g->pending = true;
	g->lines = 1;
	g->first_len = r->len;
	g->msg_apart = r->msg < r->text || r->msg > r->text + r->len;
	g->borrowed = !g->msg_apart;
	if (g->msg_apart) {
		int next = 1 - g->cur;
		char *dst = g->buf[next];
		size_t len = r->len < g->cap ? r->len : g->cap;
		/* Kept at the far end of the buffer, out of the way of
		 * continuation lines appended to the text. */
		char *m = dst + g->cap - r->msg_len;

		memcpy(dst, r->text, len);
		memcpy(m, r->msg, r->msg_len);
		r->msg = m;
		r->text = dst;
		r->len = g->first_len = len;
		g->cur = next;
	}
}

/* Before a line is added to it, the pending record moves to a buffer of
 * its own: the line it borrowed will not outlive the next. */
static void own(struct group *g)
{
	int next = 1 - g->cur;
	char *dst = g->buf[next];
	struct record *r = &g->slot[g->pend];

	memcpy(dst, r->text, r->len);
	r->msg = dst + (r->msg - r->text);
	r->text = dst;
	g->cur = next;
	g->borrowed = false;
}

/* Whether ln lies right after the pending record, past a '\n': then the
 * joined text is where it lies (lines_stay). */
static bool follows(const struct record *r, const struct line *ln)
{
	return (uintptr_t)ln->text == (uintptr_t)r->text + r->len + 1 && r->text[r->len] == '\n';
}

static void append(struct group *g, const struct line *ln)
{
	struct record *r = &g->slot[g->pend];
	size_t room, add;

	if (g->borrowed && !g->lines_stay)
		own(g);
	g->lines++;
	if (g->lines > GROUP_MAX_LINES || r->len >= g->first_len + GROUP_MAX_EXTRA) {
		r->truncated = true;
		return;
	}
	room = g->first_len + GROUP_MAX_EXTRA - r->len;
	add = ln->len + 1 > room ? room : ln->len + 1; /* with its '\n' */
	if (g->borrowed && !follows(r, ln))
		own(g);
	if (!g->borrowed) {
		char *at = g->buf[g->cur] + r->len;

		at[0] = '\n';
		memcpy(at + 1, ln->text, add - 1);
	}
	r->len += add;
	r->truncated |= add < ln->len + 1 || ln->truncated;
	if (!g->msg_apart)
		r->msg_len = (size_t)(r->text + r->len - r->msg);
}

static const struct record *finish(struct group *g)
{
	struct record *r = &g->slot[g->pend];

	g->pending = false;
	if (g->lines > 1)
		record_joined(r);
	return r;
}

const struct record *group_push(struct group *g, const struct line *ln)
{
	struct record *r = &g->slot[1 - g->pend];
	const struct record *done = NULL;

	record_parse(g->parser, ln->text, ln->len, ln->number, ln->truncated, r);
	if (g->pending) {
		/* In an input whose records carry time stamps, a line
		 * without one (and of no format: a JSON line is always a
		 * record) is the middle of the event before it. */
		bool untimed = r->time == TSTAMP_NONE && g->timed_input &&
			       r->format == FMT_GENERIC;

		/* A blank line inside a goroutine dump or after a trace
		 * belongs to the event too; on its own it means nothing. */
		if (untimed || ln->len == 0 || is_marker(ln->text, ln->len)) {
			append(g, ln);
			return NULL;
		}
		done = finish(g);
	}
	if (r->time != TSTAMP_NONE)
		g->timed_input = true;
	adopt(g);
	return done;
}

const struct record *group_flush(struct group *g)
{
	return g->pending ? finish(g) : NULL;
}

bool group_starts_record(const struct line *ln, const struct record *r)
{
	return ln->len > 0 && !is_marker(ln->text, ln->len) &&
	       !(r->time == TSTAMP_NONE && r->format == FMT_GENERIC);
}

void group_lines_stay(struct group *g)
{
	g->lines_stay = true;
}

bool group_timed(const struct group *g)
{
	return g->timed_input;
}

void group_set_timed(struct group *g, bool timed)
{
	g->timed_input = timed;
}

void group_keep(struct group *g)
{
	if (g->pending && g->borrowed)
		own(g);
}

void group_free(struct group *g)
{
	if (!g)
		return;
	free(g->buf[0]);
	free(g->buf[1]);
	free(g);
}
