#include "lines.h"

#include <stdlib.h>
#include <string.h>

#include "profile.h"

/* Reads of 1 MiB amortise the syscall and the decoder's call overhead; a
 * buffer holds one longest line plus one read, so after the partial line is
 * slid to the front there is always a full block of room.
 *
 * Two buffers, used in turn: a refill moves the partial line to the front
 * of the other one and reads after it, leaving the line delivered last
 * where it was.  So a line stays valid through the next call too, and the
 * group need not copy a record while it waits to see whether the next line
 * continues it.  Within one call only the first refill changes buffers;
 * any later one (a line longer than a read) slides within the new one. */
enum { LINES_READ_SIZE = 1 << 20 };

struct lines {
	struct decoder *dec;
	char *buf;     /* bufs[cur] */
	char *bufs[2];
	int cur;
	bool turned;   /* this call already changed buffers */
	size_t cap, max_line;
	size_t start;  /* first byte not yet delivered */
	size_t scan;   /* bytes before this have no '\n' (from start on) */
	size_t end;    /* end of valid data */
	bool eof, failed, reported;
	bool skipping; /* discarding the rest of an over-long line */
	bool limited;  /* stopped at max_bytes */
	uint64_t number, truncated, bytes, max_bytes;
};

struct lines *lines_new(size_t max_line)
{
	struct lines *ls = calloc(1, sizeof *ls);

	if (!ls)
		return NULL;
	ls->max_line = max_line;
	ls->cap = max_line + LINES_READ_SIZE;
	ls->bufs[0] = malloc(ls->cap);
	ls->bufs[1] = malloc(ls->cap);
	if (!ls->bufs[0] || !ls->bufs[1]) {
		lines_free(ls);
		return NULL;
	}
	ls->buf = ls->bufs[0];
	return ls;
}

void lines_reset(struct lines *ls, struct decoder *d, uint64_t max_bytes)
{
	ls->dec = d;
	ls->max_bytes = max_bytes;
	ls->limited = false;
	ls->start = ls->scan = ls->end = 0;
	ls->eof = ls->failed = ls->reported = ls->skipping = false;
	ls->number = ls->truncated = ls->bytes = 0;
}

static void emit(struct lines *ls, struct line *out, size_t from, size_t len, bool cut)
{
	/* CRLF files are common (Windows servers, loghub samples): the '\r'
	 * belongs to the line ending, not to the message. */
	if (!cut && len > 0 && ls->buf[from + len - 1] == '\r')
		len--;
	out->text = ls->buf + from;
	out->len = len;
	out->number = ++ls->number;
	out->truncated = cut;
	if (cut)
		ls->truncated++;
}

static void refill(struct lines *ls)
{
	ssize_t n;

	/* Slide the partial line to the front instead of growing the buffer:
	 * memory stays flat whatever the input, and the copy is at most one
	 * line per read block. */
	if (ls->start > 0) {
		if (!ls->turned) {
			ls->cur = 1 - ls->cur;
			memcpy(ls->bufs[ls->cur], ls->buf + ls->start, ls->end - ls->start);
			ls->buf = ls->bufs[ls->cur];
			ls->turned = true;
		} else {
			memmove(ls->buf, ls->buf + ls->start, ls->end - ls->start);
		}
		ls->end -= ls->start;
		ls->start = 0;
	}
	ls->scan = ls->end;
	if (ls->max_bytes && ls->bytes >= ls->max_bytes) {
		ls->limited = true;
		ls->eof = true;
		return;
	}
	/* The read (or the wait for the decoder thread) is its own phase in
	 * --stats; the caller was splitting lines when it ran dry. */
	profile_phase(PROF_READ);
	n = decoder_read(ls->dec, ls->buf + ls->end, ls->cap - ls->end);
	profile_phase(PROF_LINES);
	if (n < 0) {
		ls->failed = true;
		ls->eof = true;
	} else if (n == 0) {
		ls->eof = true;
	} else {
		ls->end += (size_t)n;
		ls->bytes += (uint64_t)n;
	}
}

int lines_next(struct lines *ls, struct line *out)
{
	ls->turned = false;
	for (;;) {
		char *nl = memchr(ls->buf + ls->scan, '\n', ls->end - ls->scan);

		if (nl) {
			size_t at = (size_t)(nl - ls->buf);
			size_t from = ls->start;

			ls->start = ls->scan = at + 1;
			if (ls->skipping) {
				ls->skipping = false;
				continue;
			}
			/* The bound holds wherever the line fell in the
			 * buffer, so results do not depend on read sizes. */
			if (at - from > ls->max_line)
				emit(ls, out, from, ls->max_line, true);
			else
				emit(ls, out, from, at - from, false);
			return 1;
		}
		if (ls->skipping) {
			ls->start = ls->scan = ls->end;
		} else if (ls->end - ls->start > ls->max_line) {
			size_t from = ls->start;

			ls->start = ls->scan = from + ls->max_line;
			ls->skipping = true;
			emit(ls, out, from, ls->max_line, true);
			return 1;
		}
		if (ls->eof) {
			if (ls->end > ls->start) {
				size_t from = ls->start;

				ls->start = ls->scan = ls->end;
				emit(ls, out, from, ls->end - from, false);
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
	free(ls->bufs[0]);
	free(ls->bufs[1]);
	free(ls);
}
