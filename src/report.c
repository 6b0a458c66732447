#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rank.h"

static const struct {
	const char *name;
	report_emit_fn emit;
	bool noise_detail; /* shows more of a noise cause than its counts */
} emitters[] = {
	{ "text", report_text, false },
	{ "json", report_json, true },
	{ "markdown", report_markdown, false },
	{ "html", report_html, false },
};

report_emit_fn report_emitter(const char *format)
{
	for (size_t i = 0; i < sizeof emitters / sizeof emitters[0]; i++)
		if (strcmp(emitters[i].name, format) == 0)
			return emitters[i].emit;
	return NULL;
}

bool report_noise_detail(const char *format)
{
	for (size_t i = 0; i < sizeof emitters / sizeof emitters[0]; i++)
		if (strcmp(emitters[i].name, format) == 0)
			return emitters[i].noise_detail;
	return true;
}

const char *report_format_names(void)
{
	return "text, json, markdown, html";
}

struct report_axis report_axis(const struct tally *t, size_t max_buckets)
{
	struct report_axis ax = { 0, 60, 0 };
	int64_t first, last;

	if (t->first == TSTAMP_NONE)
		return ax;
	first = t->first / TSTAMP_US_PER_SEC;
	last = t->last / TSTAMP_US_PER_SEC;
	ax.width = timeline_width_for(t->timeline, last - first, max_buckets);
	ax.start = first - ((first % ax.width) + ax.width) % ax.width;
	ax.n = (size_t)((last - ax.start) / ax.width) + 1;
	return ax;
}

static bool more_events(const void *ctx, size_t a, size_t b)
{
	const struct tally *t = ctx;

	return t->causes[a].events > t->causes[b].events;
}

size_t report_rank(const struct report *r, enum cause_kind kind, size_t *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < r->rs->ncauses; i++)
		if (r->rs->causes[i].kind == kind && r->tally->causes[i].events)
			n = rank_insert(out, n, max, i, more_events, r->tally);
	return n;
}

/* A fingerprint of the rule set, so reports made with different patterns
 * are not merged as if they were alike. */
static uint64_t rules_digest(const struct ruleset *rs)
{
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < rs->nrules; i++) {
		const char *parts[] = { rs->causes[rs->rules[i].cause].name, rs->rules[i].regex };

		for (size_t k = 0; k < 2; k++) {
			for (const char *p = parts[k]; *p; p++) {
				h ^= (unsigned char)*p;
				h *= 1099511628211ULL;
			}
			h ^= 0xff;
			h *= 1099511628211ULL;
		}
	}
	for (size_t i = 0; i < rs->ncauses; i++)
		h ^= (uint64_t)rs->causes[i].priority * 2654435761u + i;
	return h;
}

void report_pattern_info(const struct ruleset *rs, struct pattern_info *pi)
{
	pi->files = rs->nfiles;
	pi->causes = rs->ncauses;
	pi->rules = rs->nrules;
	snprintf(pi->digest, sizeof pi->digest, "%016" PRIx64, rules_digest(rs));
}
