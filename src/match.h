/*
 * match — attributes a record's message to a cause.
 *
 * Data flow: record -> match -> tally.  Every `match` regex of the rule set is
 * compiled once with PCRE2 (JIT where available); one match-data block, one
 * match context with limits, and one JIT stack serve every record, so
 * attribution allocates nothing.
 *
 * A record gets at most one cause: the highest priority among the causes
 * whose rules match, ties broken by load order.  Rules are tried in that
 * order, so the first rule that matches decides and the rest are skipped.
 *
 * Regexes run under PCRE2's match limits: a rule that hits one (catastrophic
 * backtracking on a hostile line) counts as not matching for that record,
 * and the hit is counted, never looped on.
 */
#ifndef LOGCAUSE_MATCH_H
#define LOGCAUSE_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "rules.h"

#define MATCH_NONE (-1L)

struct matcher;

/* Compiles every rule of rs, which must outlive the matcher.  Reports each
 * regex that does not compile as FILE:LINE:COL and returns NULL if any
 * failed or memory ran out. */
struct matcher *matcher_new(const struct ruleset *rs, struct diag *dg);

/* A matcher for another thread: it runs m's compiled rules and prefilter
 * (read-only, so both may match at once) with match data, JIT stack and
 * counts of its own.  m must outlive it; matcher_twin_done() adds its
 * counts to m and frees it.  NULL when out of memory. */
struct matcher *matcher_twin(struct matcher *m);
void matcher_twin_done(struct matcher *m, struct matcher *twin);

/* Hit counts carried with work a thread may have to redo (main.c's
 * batches): matcher_counts_size() slots.  matcher_take_counts() moves m's
 * counts into counts (m's start again from zero); matcher_add_counts()
 * adds such counts to m's. */
size_t matcher_counts_size(const struct matcher *m);
void matcher_take_counts(struct matcher *m, uint64_t *counts);
void matcher_add_counts(struct matcher *m, const uint64_t *counts);

/* Returns the index of the cause of msg, or MATCH_NONE.  A literal
 * prefilter picks the rules worth running (see prefilter.h). */
long matcher_attribute(struct matcher *m, const char *msg, size_t len);

/* matcher_attribute()'s answer, faster for messages whose first split
 * bytes repeat (nginx's message up to the client's address; a whole short
 * message): what those bytes decide is kept, and only the rest is scanned
 * for each.  split 0 (or past len) is matcher_attribute(). */
long matcher_attribute_split(struct matcher *m, const char *msg, size_t len, size_t split);

/* The same answer without the prefilter: every rule in rank order.  The
 * reference the fast path is tested against. */
long matcher_attribute_plain(struct matcher *m, const char *msg, size_t len);

/* A cause other than `winner` whose rules also match msg (the first in
 * rank order), or MATCH_NONE.  For --rule-stats: costs a full scan. */
long matcher_runner_up(struct matcher *m, const char *msg, size_t len, long winner);

/* matcher_attribute()'s answer without counting the rule's hit: for
 * records the report does not attribute (below the level) but the
 * access-log join still reads as evidence. */
long matcher_peek(struct matcher *m, const char *msg, size_t len);

/* Rules that the prefilter cannot narrow: they run on every record. */
size_t matcher_unfiltered(const struct matcher *m);

/* Whether rule i (index into rs->rules) matches msg on its own. */
bool matcher_rule_matches(struct matcher *m, size_t rule, const char *msg, size_t len);

/* Matches of each rule so far (counts the deciding rule only). */
uint64_t matcher_rule_hits(const struct matcher *m, size_t rule);

/* Times any rule stopped at a PCRE2 limit. */
uint64_t matcher_limit_hits(const struct matcher *m);

void matcher_free(struct matcher *m);

#endif
