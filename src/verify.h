/*
 * verify — proves a rule set against its own `example` and `never` lines
 * (`logcause --check-patterns`).
 *
 * Each sample line is parsed as a log line of its own (format detected, as
 * for real input) and attributed with the full rule set and priorities.
 * An example must land on its cause, a never line must not.  Besides those
 * failures it notes what deserves a look without being wrong: an example
 * that another cause's rules match too (priority decided it), and a `match`
 * that no example of its cause exercises.
 */
#ifndef LOGCAUSE_VERIFY_H
#define LOGCAUSE_VERIFY_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "match.h"
#include "rules.h"

struct verify_result {
	size_t failures;   /* examples missed, never lines hit */
	size_t contested;  /* examples matched by another cause too */
	size_t unexercised; /* match lines no example exercises */
};

/* Checks every sample; failures are reported through dg as FILE:LINE
 * errors, unexercised matches as warnings, and contested examples as
 * warnings too when verbose (a catalogue with layered priorities has many,
 * by design).  Fills *res. */
void verify_patterns(const struct ruleset *rs, struct matcher *m, bool verbose,
		     struct diag *dg, struct verify_result *res);

#endif
