/*
 * suggest — `--suggest`: drafts `[cause …]` rules for the biggest groups
 * of unattributed records, in the .rules format, so a user names the cause
 * and has a rule that already works.
 *
 * Each draft's regex is built from the group's template (literal text
 * escaped, placeholders widened back into patterns), and is only printed
 * after it was compiled and seen to match its own example, parsed as a
 * log line the way --check-patterns will parse it, with no existing cause
 * claiming that example: what is printed passes --check-patterns as is.
 */
#ifndef LOGCAUSE_SUGGEST_H
#define LOGCAUSE_SUGGEST_H

#include <stddef.h>
#include <stdio.h>

#include "match.h"
#include "rules.h"
#include "tally.h"

/* Writes drafts for up to max of the biggest unattributed templates.
 * Returns the number written, or -1 when writing failed. */
int suggest_rules(FILE *out, const struct tally *t, const struct ruleset *rs,
		  struct matcher *m, size_t max);

#endif
