#include "lines.h"

#include <stdlib.h>
#include <string.h>

#include "profile.h"

/* Lines are split where the decoder lends its bytes (decoder_lend), so a
 * line within one lend is never copied, and zstd's output is never copied
 * at all.  A line that runs from one lend into the next is gathered in a
 * stitch buffer: the partial line, then the next lend's bytes up to its
 * '\n' (or past max_line); the rest of that lend is split where it is.
 *
 * A line delivered stays valid through the next call: lent bytes stay put
 * while DECODE_KEEP more are lent, and the next call lends less than that
 * (a line is at most max_line, and lends at most DECODE_LEND, before a
 * line is returned), except when it skips the rest of an over-long line,
 * and such a line is delivered from a stitch buffer.  The stitch buffers
 * are two, used in turn, so a stitched line is not overwritten by the next
 * stitch either. */

struct lines {
	struct decoder *dec;
	const char *buf; /* the bytes being split: a lend, or stitch[cur] */
	char *stitch[2];
	int cur;
	size_t max_line;
	size_t start;    /* first byte not yet delivered */
	size_t scan;     /* bytes before this have no '\n' (from start on) */
	size_t end;      /* end of valid data */
	const char *rest; /* lent bytes not yet in buf (after a stitch) */
	size_t rest_len;
	bool eof, failed, reported;
	bool skipping;   /* discarding the rest of an over-long line */
	bool limited;    /* stopped at max_bytes */
	uint64_t number, truncated, bytes, max_bytes;
};

_Static_assert(LINES_DEFAULT_MAX + 2 * 128 * 1024 <= DECODE_KEEP,
	       "a line and two lends must fit in what the decoder keeps");

struct lines *lines_new(size_t max_line)
{
	struct lines *ls = calloc(1, sizeof *ls);

	if (!ls)
		return NULL;
	if (max_line > LINES_DEFAULT_MAX)
		max_line = LINES_DEFAULT_MAX;
	ls->max_line = max_line;
	/* A gathered line is at most max_line + 1 bytes (the one past the
	 * bound tells it was cut).  Pages never written are never touched. */
	ls->stitch[0] = malloc(max_line + 1);
	ls->stitch[1] = malloc(max_line + 1);
	if (!ls->stitch[0] || !ls->stitch[1]) {
		lines_free(ls);
		return NULL;
	}
	ls->buf = ls->stitch[0];
	return ls;
}

void lines_reset(struct lines *ls, struct decoder *d, uint64_t max_bytes)
{
	ls->dec = d;
	ls->max_bytes = max_bytes;
	ls->limited = false;
	ls->buf = ls->stitch[ls->cur];
	ls->start = ls->scan = ls->end = 0;
	ls->rest = NULL;
	ls->rest_len = 0;
	ls->eof = ls->failed = ls->reported = ls->skipping = false;
	ls->number = ls->truncated = ls->bytes = 0;
}

static void emit(struct lines *ls, struct line *out, const char *text, size_t len, bool cut)
{
	/* CRLF files are common (Windows servers, loghub samples): the '\r'
	 * belongs to the line ending, not to the message. */
	if (!cut && len > 0 && text[len - 1] == '\r')
		len--;
	out->text = text;
	out->len = len;
	out->number = ++ls->number;
	out->truncated = cut;
	if (cut)
		ls->truncated++;
}

/* Copies [from, from + len) of buf to the front of the other stitch
 * buffer and splits from there. */
static void turn(struct lines *ls, size_t from, size_t len)
{
	ls->cur = 1 - ls->cur;
	memcpy(ls->stitch[ls->cur], ls->buf + from, len);
	ls->buf = ls->stitch[ls->cur];
}

/* Takes the next lend into rest.  False at the end of the input. */
static bool lend(struct lines *ls)
{
	ssize_t n;

	if (ls->max_bytes && ls->bytes >= ls->max_bytes) {
		ls->limited = true;
		ls->eof = true;
		return false;
	}
	/* The read (or the wait for the decoder thread) is its own phase in
	 * --stats; the caller was splitting lines when it ran dry. */
	profile_phase(PROF_READ);
	n = decoder_lend(ls->dec, &ls->rest);
	profile_phase(PROF_LINES);
	if (n <= 0) {
		ls->failed = n < 0;
		ls->eof = true;
		return false;
	}
	ls->rest_len = (size_t)n;
	ls->bytes += (uint64_t)n;
	return true;
}

static void refill(struct lines *ls)
{
	size_t room, take;
	const char *nl;

	if (ls->rest_len == 0 && !lend(ls))
		return;
	if (ls->start == ls->end) {
		ls->buf = ls->rest;
		ls->start = ls->scan = 0;
		ls->end = ls->rest_len;
		ls->rest_len = 0;
		return;
	}
	/* A partial line: gather it with what completes it.  Once gathered
	 * it starts its stitch buffer, and more of it is appended there. */
	if (ls->buf != ls->stitch[ls->cur] || ls->start > 0) {
		turn(ls, ls->start, ls->end - ls->start);
		ls->end -= ls->start;
		ls->start = 0;
	}
	ls->scan = ls->end;
	room = ls->max_line + 1 - ls->end;
	take = ls->rest_len < room ? ls->rest_len : room;
	nl = memchr(ls->rest, '\n', take);
	if (nl)
		take = (size_t)(nl - ls->rest) + 1;
	memcpy(ls->stitch[ls->cur] + ls->end, ls->rest, take);
	ls->end += take;
	ls->rest += take;
	ls->rest_len -= take;
}

int lines_next(struct lines *ls, struct line *out)
{
	for (;;) {
		const char *nl = memchr(ls->buf + ls->scan, '\n', ls->end - ls->scan);

		if (nl) {
			size_t at = (size_t)(nl - ls->buf);
			size_t from = ls->start;

			ls->start = ls->scan = at + 1;
			if (ls->skipping) {
				ls->skipping = false;
				continue;
			}
			/* The bound holds wherever the line fell, so results
			 * do not depend on read sizes. */
			if (at - from > ls->max_line)
				emit(ls, out, ls->buf + from, ls->max_line, true);
			else
				emit(ls, out, ls->buf + from, at - from, false);
			return 1;
		}
		if (ls->skipping) {
			ls->start = ls->scan = ls->end;
		} else if (ls->end - ls->start > ls->max_line) {
			/* Delivered from a stitch buffer, which the skipping
			 * that follows leaves alone: the one it was gathered
			 * in, else the one not holding the line delivered
			 * last. */
			size_t from = ls->start;

			if (ls->buf != ls->stitch[ls->cur]) {
				turn(ls, ls->start, ls->max_line);
				from = 0;
			}
			ls->start = ls->scan = ls->end;
			ls->skipping = true;
			emit(ls, out, ls->buf + from, ls->max_line, true);
			return 1;
		}
		if (ls->eof) {
			if (ls->end > ls->start) {
				size_t from = ls->start;

				ls->start = ls->scan = ls->end;
				emit(ls, out, ls->buf + from, ls->end - from, false);
				return 1;
			}
			if (ls->failed && !ls->reported) {
				ls->reported = true;
				return -1;
			}
			return 0;
		}
		refill(ls);
	}
}

bool lines_limited(const struct lines *ls)
{
	return ls->limited;
}

uint64_t lines_truncated(const struct lines *ls)
{
	return ls->truncated;
}

uint64_t lines_count(const struct lines *ls)
{
	return ls->number;
}

uint64_t lines_bytes(const struct lines *ls)
{
	return ls->bytes;
}

void lines_free(struct lines *ls)
{
	if (!ls)
		return;
	free(ls->stitch[0]);
	free(ls->stitch[1]);
	free(ls);
}
