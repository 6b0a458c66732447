/*
 * merge — combines saved JSON reports (`logcause merge`, `logcause
 * render`) into one report, as if their logs had been read together.
 *
 * Data flow: JSON reports -> jsonr -> merge -> report.  Each report's
 * "merge" objects carry the raw material: stored timelines, whole top-K
 * tables with their error bounds, distinct-client registers.  Counts add;
 * first and last times take the extremes; timelines are widened to the
 * coarsest width among the reports and added bucket by bucket; top-K
 * tables merge as Space-Saving does (counts and error bounds add); the
 * distinct-client registers take their maxima.  The access-log join's
 * "responses" add the same way: counts and per-status counts add, its
 * causes are matched by name, its top-K tables of paths and minutes merge
 * as the templates do.  The busiest minute is
 * recomputed exactly when the buckets are one minute wide, and is the
 * largest of the reports' peaks otherwise.
 *
 * Reports of another schema, another pattern set (digest) or another
 * level threshold are refused with a message naming the file: their
 * counts do not mean the same thing.
 *
 *     struct merged m;
 *     merge_init(&m);
 *     for each file: merge_add_file(&m, path, &dg);   // reads and checks
 *     if (merge_build(&m, &dg) == 0)                  // ruleset + tally
 *             emit(report made of m.rs, m.tally, m.inputs, m.responses, …);
 *     merge_release(&m);
 */
#ifndef LOGCAUSE_MERGE_H
#define LOGCAUSE_MERGE_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "jsonr.h"
#include "record.h"
#include "report.h"
#include "responses.h"
#include "rules.h"
#include "tally.h"

struct merged {
	struct arena arena;        /* documents, strings */
	const struct jv **docs;    /* parsed reports, in argument order */
	const char **names;        /* their file names */
	size_t ndocs, cap;
	/* Built by merge_build(): */
	struct pattern_info patterns;
	struct ruleset rs;         /* the causes only: a merged report has no rules */
	struct tally *tally;
	struct input_summary *inputs;
	size_t ninputs;
	size_t failed_inputs;
	uint64_t limit_hits;
	enum level min_level;
	struct responses *responses; /* the access logs joined, or NULL when
				      * no report had them */
};

void merge_init(struct merged *m);

/* Reads one JSON report and checks it against those read before.  Returns
 * 0, or -1 after reporting (unreadable, not JSON, another schema, another
 * pattern set or level threshold). */
int merge_add_file(struct merged *m, const char *path, struct diag *dg);

/* Combines the reports read.  Returns 0, or -1 after reporting. */
int merge_build(struct merged *m, struct diag *dg);

void merge_release(struct merged *m);

#endif
