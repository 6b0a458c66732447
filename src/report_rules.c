/*
 * --rule-stats: how the pattern rules fared on the logs just read, so a
 * user sees what their logs need that the catalogue lacks: the rules that
 * decided records, the rules that never fired, the records two causes
 * both claimed (and which won), and the share left unattributed.
 */
#include "report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int cmp_hits_desc(const void *a, const void *b, void *ctx)
{
	const uint64_t *hits = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (hits[x] != hits[y])
		return hits[x] > hits[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void put_rule(FILE *out, const struct ruleset *rs, size_t i)
{
	const struct rule *ru = &rs->rules[i];

	fprintf(out, "  %-16s %s:%u  %.60s%s\n", rs->causes[ru->cause].name, ru->file, ru->line,
		ru->regex, strlen(ru->regex) > 60 ? "..." : "");
}

int report_rule_stats(FILE *out, const struct report *r, const struct rule_stats *st)
{
	const struct ruleset *rs = r->rs;
	const struct tally *t = r->tally;
	size_t *order = malloc((rs->nrules ? rs->nrules : 1) * sizeof *order);
	size_t fired = 0, n = rs->ncauses;
	uint64_t attributable = t->records - t->below_level;
	bool any_overlap = false;

	if (!order)
		return -1;
	for (size_t i = 0; i < rs->nrules; i++) {
		order[i] = i;
		fired += st->hits[i] > 0;
	}
	qsort_r(order, rs->nrules, sizeof *order, cmp_hits_desc, (void *)st->hits);

	fprintf(out, "Rules    %zu in %zu causes from %zu files; %zu fired, %zu never fired\n",
		rs->nrules, rs->ncauses, rs->nfiles, fired, rs->nrules - fired);
	fprintf(out, "Records  %" PRIu64 " at %s or above, %" PRIu64 " unattributed (%.1f%%)\n",
		attributable, record_level_name(r->min_level), t->unattributed,
		attributable ? 100.0 * (double)t->unattributed / (double)attributable : 0.0);

	fputs("\nRecords decided, per rule:\n", out);
	for (size_t k = 0; k < rs->nrules && st->hits[order[k]] > 0; k++) {
		fprintf(out, "%10" PRIu64, st->hits[order[k]]);
		put_rule(out, rs, order[k]);
	}
	fputs("\nRecords claimed by two causes (the first won on priority):\n", out);
	for (size_t w = 0; w < n; w++)
		for (size_t o = 0; o < n; o++)
			if (st->overlap[w * n + o]) {
				fprintf(out, "%10" PRIu64 "  %s over %s\n", st->overlap[w * n + o],
					rs->causes[w].name, rs->causes[o].name);
				any_overlap = true;
			}
	if (!any_overlap)
		fputs("         none\n", out);
	fputs("\nRules that never fired:\n", out);
	for (size_t k = 0; k < rs->nrules; k++)
		if (st->hits[order[k]] == 0)
			put_rule(out, rs, order[k]);
	free(order);
	return ferror(out) ? -1 : 0;
}
