#include "verify.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

static void where(char *buf, size_t size, const char *file, unsigned line)
{
	snprintf(buf, size, "%s:%u", file, line);
}

static void parse_sample(struct record_parser *p, const char *text, struct record *r)
{
	struct tzone z;

	/* Samples are judged alone, each with fresh format detection, so one
	 * sample's format never leaks into the next. */
	tzone_init_fixed(&z, 0);
	record_parser_release(p);
	record_parser_init(p, FMT_COUNT, &z);
	record_parse(p, text, strlen(text), 1, false, r);
}

/* The first cause other than `own` whose rules match msg, or -1. */
static long other_cause(const struct ruleset *rs, struct matcher *m, size_t own,
			const char *msg, size_t len)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].cause != own && matcher_rule_matches(m, i, msg, len))
			return (long)rs->rules[i].cause;
	return -1;
}

void verify_patterns(const struct ruleset *rs, struct matcher *m, bool verbose,
		     struct diag *dg, struct verify_result *res)
{
	bool *exercised = calloc(rs->nrules ? rs->nrules : 1, sizeof *exercised);
	char at[PATH_MAX + 32];
	struct record_parser parser = { 0 };

	memset(res, 0, sizeof *res);
	if (!exercised) {
		diag_error(dg, NULL, "out of memory");
		res->failures++;
		return;
	}
	for (size_t i = 0; i < rs->nsamples; i++) {
		const struct sample *s = &rs->samples[i];
		const char *own = rs->causes[s->cause].name;
		struct record r;
		size_t len;
		long got;

		parse_sample(&parser, s->text, &r);
		len = record_match_len(&r);
		got = matcher_attribute(m, r.msg, len);
		where(at, sizeof at, s->file, s->line);
		/* The prefilter may only save work, never change an answer. */
		if (got != matcher_attribute_plain(m, r.msg, len)) {
			diag_error(dg, at, "prefilter changes the attribution of this line "
					   "(a logcause bug: please report it)");
			res->failures++;
		}
		if (s->never) {
			if (got == (long)s->cause) {
				diag_error(dg, at, "never line of '%s' is attributed to it", own);
				res->failures++;
			}
			continue;
		}
		if (got != (long)s->cause) {
			if (got == MATCH_NONE)
				diag_error(dg, at, "example of '%s' is not attributed", own);
			else
				diag_error(dg, at, "example of '%s' is attributed to '%s'", own,
					   rs->causes[got].name);
			res->failures++;
			continue;
		}
		for (size_t j = 0; j < rs->nrules; j++)
			if (rs->rules[j].cause == s->cause &&
			    matcher_rule_matches(m, j, r.msg, len))
				exercised[j] = true;
		long other = other_cause(rs, m, s->cause, r.msg, len);
		if (other >= 0) {
			if (verbose)
				diag_warn(dg, at, "example of '%s' is also matched by '%s' (priority decides)",
					  own, rs->causes[other].name);
			res->contested++;
		}
	}
	for (size_t j = 0; j < rs->nrules; j++) {
		if (exercised[j])
			continue;
		where(at, sizeof at, rs->rules[j].file, rs->rules[j].line);
		diag_warn(dg, at, "no example of '%s' exercises this match",
			  rs->causes[rs->rules[j].cause].name);
		res->unexercised++;
	}
	record_parser_release(&parser);
	free(exercised);
}
