#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	report_emit_fn emit;
} emitters[] = {
	{ "text", report_text },
	{ "json", report_json },
	{ "markdown", report_markdown },
	{ "html", report_html },
};

report_emit_fn report_emitter(const char *format)
{
	for (size_t i = 0; i < sizeof emitters / sizeof emitters[0]; i++)
		if (strcmp(emitters[i].name, format) == 0)
			return emitters[i].emit;
	return NULL;
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

size_t report_rank(const struct report *r, enum cause_kind kind, size_t *out, size_t max)
{
	size_t n = 0;

	/* Insertion sort: a catalogue has tens of causes, and this needs no
	 * allocation and no comparison context. */
	for (size_t i = 0; i < r->rs->ncauses; i++) {
		uint64_t ev = r->tally->causes[i].events;
		size_t at;

		if (r->rs->causes[i].kind != kind || ev == 0)
			continue;
		at = n < max ? n : max;
		while (at > 0 && r->tally->causes[out[at - 1]].events < ev)
			at--;
		if (at >= max)
			continue;
		memmove(out + at + 1, out + at, ((n < max ? n : max - 1) - at) * sizeof *out);
		out[at] = i;
		if (n < max)
			n++;
	}
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
