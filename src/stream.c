#include "stream.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile.h"

int stream_init(struct stream *s, const struct stream_env *env)
{
	memset(s, 0, sizeof *s);
	s->env = env;
	s->fd = -1;
	s->end_rc = 1;
	s->lines = lines_new(LINES_DEFAULT_MAX);
	s->group = group_new();
	if (!s->lines || !s->group) {
		stream_release(s);
		return -1;
	}
	return 0;
}

int stream_add(struct stream *s, const struct source *src, uint32_t index)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		const struct source **srcs = realloc(s->srcs, cap * sizeof *srcs);
		uint32_t *idx;

		if (!srcs)
			return -1;
		s->srcs = srcs;
		idx = realloc(s->index, cap * sizeof *idx);
		if (!idx)
			return -1;
		s->index = idx;
		s->cap = cap;
	}
	s->srcs[s->n] = src;
	s->index[s->n] = index;
	s->n++;
	return 0;
}

/* Opens the next input that can be opened.  Returns false when none is
 * left. */
static bool open_next(struct stream *s)
{
	const struct stream_env *env = s->env;

	while (s->next < s->n) {
		const struct source *src = s->srcs[s->next];
		uint32_t index = s->index[s->next];
		struct input_summary *sum = &env->inputs[index];
		int fd;

		s->next++;
		fd = source_open(src, env->dg);
		if (fd < 0) {
			(*env->failed_inputs)++;
			continue;
		}
		s->dec = decoder_open_ahead(fd, src->name, env->dg, !env->decode_inline);
		if (!s->dec) {
			if (!src->is_stdin)
				close(fd);
			(*env->failed_inputs)++;
			continue;
		}
		s->fd = fd;
		s->cur = src;
		s->cur_index = index;
		s->end_rc = 1;
		memset(s->per_format, 0, sizeof s->per_format);
		memset(sum, 0, sizeof *sum);
		sum->name = src->name;
		sum->codec = decoder_codec(s->dec);
		stream_parser_init(s, &s->parser);
		lines_reset(s->lines, s->dec, env->max_bytes);
		group_reset(s->group, &s->parser);
		return true;
	}
	return false;
}

static void close_current(struct stream *s)
{
	const struct stream_env *env = s->env;
	struct input_summary *sum = &env->inputs[s->cur_index];

	sum->damaged = s->end_rc < 0;
	sum->limited = lines_limited(s->lines);
	if (sum->limited)
		diag_warn(env->dg, s->cur->name, "stopped after %llu decoded bytes (--max-bytes)",
			  (unsigned long long)lines_bytes(s->lines));
	sum->lines = lines_count(s->lines);
	sum->bytes = lines_bytes(s->lines);
	sum->bytes_in = decoder_bytes_in(s->dec);
	/* Read by line, the records are counted where they are parsed. */
	if (!s->by_line)
		sum->format = stream_main_format(s->per_format);
	record_parser_release(&s->parser);
	progress_input_done(env->progress, decoder_bytes_in(s->dec));
	decoder_close(s->dec);
	s->dec = NULL;
	if (!s->cur->is_stdin)
		close(s->fd);
	s->fd = -1;
}

/* The next line of the open input; false at its end (or its damage). */
static bool input_line(struct stream *s, struct line *ln)
{
	if (s->end_rc <= 0 || (s->end_rc = lines_next(s->lines, ln)) <= 0)
		return false;
	/* Every 64 Ki lines: cheap enough to be invisible. */
	if ((ln->number & 0xffff) == 0)
		progress_update(s->env->progress, decoder_bytes_in(s->dec) + *s->env->progress_base,
				s->cur->name);
	return true;
}

bool stream_next(struct stream *s, struct record *out)
{
	struct line ln;
	const struct record *rec;

	profile_phase(PROF_LINES);
	for (;;) {
		if (!s->dec && !open_next(s))
			return false;
		while (input_line(s, &ln)) {
			profile_phase(PROF_PARSE);
			if ((rec = group_push(s->group, &ln)) != NULL) {
				*out = *rec;
				s->per_format[out->format]++;
				return true;
			}
			profile_phase(PROF_LINES);
		}
		profile_phase(PROF_PARSE);
		if ((rec = group_flush(s->group)) != NULL) {
			*out = *rec;
			s->per_format[out->format]++;
			return true;
		}
		close_current(s);
	}
}

bool stream_next_line(struct stream *s, struct line *out)
{
	s->by_line = true;
	for (;;) {
		if (!s->dec && !open_next(s))
			return false;
		if (input_line(s, out))
			return true;
		close_current(s);
	}
}

void stream_parser_init(const struct stream *s, struct record_parser *p)
{
	record_parser_init(p, s->env->input_format, s->zone_set ? &s->zone : s->env->zone);
	p->defer_fields = s->env->defer_fields;
}

enum log_format stream_main_format(const uint64_t per_format[FMT_COUNT])
{
	enum log_format main = FMT_GENERIC;

	for (int f = 0; f < FMT_COUNT; f++)
		if (per_format[f] > per_format[main])
			main = (enum log_format)f;
	return main;
}

uint32_t stream_input(const struct stream *s)
{
	return s->cur_index;
}

const char *stream_input_name(const struct stream *s)
{
	return s->cur ? s->cur->name : NULL;
}

void stream_set_zone(struct stream *s, const struct tzone *zone)
{
	s->zone = *zone;
	s->zone_set = true;
	if (s->dec)
		record_parser_set_zone(&s->parser, zone);
}

uint64_t stream_bytes_in(const struct stream *s)
{
	return s->dec ? decoder_bytes_in(s->dec) : 0;
}

void stream_release(struct stream *s)
{
	if (s->dec) {
		record_parser_release(&s->parser);
		decoder_close(s->dec);
		if (!s->cur->is_stdin)
			close(s->fd);
	}
	lines_free(s->lines);
	group_free(s->group);
	free(s->srcs);
	free(s->index);
	memset(s, 0, sizeof *s);
	s->fd = -1;
}
