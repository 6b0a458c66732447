/*
 * verdict — CI thresholds (--fail-on, --max-unattributed) and whether a
 * run breached them.
 *
 * Data flow: options -> verdict (parsed once, checked against the rule
 * set) ... tally -> verdict_judge -> exit status 1 and a one-line verdict.
 *
 *     --fail-on db,config      any event of either cause
 *     --fail-on 'db>10'        more than 10 events
 *     --fail-on 'db>5%'        more than 5% of fault events
 *     --fail-on any            any event of any fault cause
 *     --max-unattributed 50    more than 50 records at the level unexplained
 *     --max-unattributed 2%    more than 2% of them
 */
#ifndef LOGCAUSE_VERDICT_H
#define LOGCAUSE_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "rules.h"
#include "tally.h"

enum { VERDICT_MAX = 64 };

struct threshold {
	long cause;        /* index into the rule set; -1: any fault; -2: unattributed */
	bool percent;      /* limit is a percentage */
	double limit;      /* breached when the figure is above it */
	char spec[64];     /* as the user wrote it, for messages */
};

struct verdict {
	struct threshold t[VERDICT_MAX];
	size_t n;
	char breach[VERDICT_MAX][160]; /* filled by verdict_judge */
	size_t nbreach;
};

/* Adds the thresholds of one --fail-on value.  Returns 0, or -1 with a
 * message in err (for a usage error) when a cause is unknown or a limit
 * malformed. */
int verdict_add_fail_on(struct verdict *v, const struct ruleset *rs, const char *value,
			char *err, size_t errsize);

/* Adds --max-unattributed N or N%. */
int verdict_add_max_unattributed(struct verdict *v, const char *value, char *err,
				 size_t errsize);

/* Checks every threshold against the tally; fills v->breach.  Returns the
 * number breached. */
size_t verdict_judge(struct verdict *v, const struct ruleset *rs, const struct tally *t);

/* "logcause: verdict: FAIL: db 120 events (> 0); unattributed 3.1% (> 2%)"
 * or "... verdict: ok (2 thresholds)". */
void verdict_print(const struct verdict *v, FILE *out);

#endif
