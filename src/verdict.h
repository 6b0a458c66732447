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
 *     --fail-on '5xx-unexplained>20'   more than 20 5xx responses (of the
 *                              access logs) that no cause explains; N% of
 *                              all 5xx
 *     --max-unattributed 50    more than 50 records at the level unexplained
 *     --max-unattributed 2%    more than 2% of them
 */
#ifndef LOGCAUSE_VERDICT_H
#define LOGCAUSE_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "responses.h"
#include "rules.h"
#include "tally.h"

enum { VERDICT_MAX = 64 };

enum verdict_figure {
	VERDICT_ANY_FAULT = -1,
	VERDICT_UNATTRIBUTED = -2,
	VERDICT_5XX_UNEXPLAINED = -3,
};

struct threshold {
	long cause;        /* index into the rule set, or one of enum verdict_figure */
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

/* Whether a threshold is about responses, which only access logs give. */
bool verdict_needs_responses(const struct verdict *v);

/* Checks every threshold against the tally and, when access logs were
 * read, the responses (else NULL); fills v->breach.  Returns the number
 * breached. */
size_t verdict_judge(struct verdict *v, const struct ruleset *rs, const struct tally *t,
		     const struct responses *resp);

/* "logcause: verdict: FAIL: db 120 events (> 0); unattributed 3.1% (> 2%)"
 * or "... verdict: ok (2 thresholds)". */
void verdict_print(const struct verdict *v, FILE *out);

#endif
