/*
 * stream — inputs read one after another as one sequence of records.
 *
 * Data flow: source -> decode -> lines -> group (record) -> stream -> main.
 * A stream pulls: stream_next() hands out the next record, opening the next
 * input when one ends, so main can read two streams side by side (an error
 * log and its access log, joined in time).  Each input's summary for the
 * report is filled as it is read; an input that cannot be opened is
 * reported and skipped.
 *
 *     struct stream s;
 *     stream_init(&s, &env);
 *     stream_add(&s, src, index) for each input, in reading order;
 *     while (stream_next(&s, &rec)) use(&rec);   // rec valid until next call
 *     stream_release(&s);
 */
#ifndef LOGCAUSE_STREAM_H
#define LOGCAUSE_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "diag.h"
#include "group.h"
#include "lines.h"
#include "progress.h"
#include "record.h"
#include "report.h"
#include "source.h"

/* What every stream of a run shares; owned by the run. */
struct stream_env {
	struct diag *dg;
	struct input_summary *inputs; /* one slot per source index; a slot
				       * whose name stays NULL was not read */
	size_t *failed_inputs;        /* inputs that could not be opened */
	enum log_format input_format; /* FMT_COUNT: detect */
	uint64_t max_bytes;           /* per input, decoded; 0: no limit */
	const struct tzone *zone;
	struct progress *progress;
	const uint64_t *progress_base; /* bytes read of inputs being read by
				       * other streams, for the progress line */
	bool defer_fields;            /* records may come with fields_pending */
	bool decode_inline;           /* no decoding thread (decoder_open_ahead) */
};

enum { STREAM_MAX_INPUTS = 1u << 20 };

struct stream {
	const struct stream_env *env;
	const struct source **srcs;
	uint32_t *index;               /* each source's slot in env->inputs */
	size_t n, cap, next;
	struct lines *lines;
	struct group *group;
	struct record_parser parser;
	bool zone_set;                 /* stream_set_zone() was called */
	struct tzone zone;
	struct decoder *dec;           /* of the input being read, or NULL */
	int fd;
	const struct source *cur;
	uint32_t cur_index;
	int end_rc;                    /* lines_next's last answer: 1 reading */
	bool by_line;                  /* read with stream_next_line() */
	uint64_t per_format[FMT_COUNT];
};

/* Returns 0, or -1 when out of memory. */
int stream_init(struct stream *s, const struct stream_env *env);

/* Appends an input; index is its slot in env->inputs.  Returns 0 or -1. */
int stream_add(struct stream *s, const struct source *src, uint32_t index);

/* The next record, in *out; false once every input is read.  The record
 * borrows the stream's buffers until the next call. */
bool stream_next(struct stream *s, struct record *out);

/* Instead of stream_next(), for a reader that parses elsewhere: the next
 * line, in *out, borrowed as lines_next() lends it; false once every input
 * is read.  stream_input() tells which input it is from; the input's
 * summary is left without its format (stream_main_format). */
bool stream_next_line(struct stream *s, struct line *out);

/* Readies p to parse the stream's inputs as its own parser does. */
void stream_parser_init(const struct stream *s, struct record_parser *p);

/* The format most records of an input had, from counts per format. */
enum log_format stream_main_format(const uint64_t per_format[FMT_COUNT]);

/* The input the last record came from: its slot and name. */
uint32_t stream_input(const struct stream *s);
const char *stream_input_name(const struct stream *s);

/* Stamps without a zone are read in zone from the next record on (the
 * join reads an error log in the zone its access log writes). */
void stream_set_zone(struct stream *s, const struct tzone *zone);

/* Bytes read of the input being read (compressed size). */
uint64_t stream_bytes_in(const struct stream *s);

void stream_release(struct stream *s);

#endif
