/*
 * prefilter — decides cheaply which rules could match a message, so PCRE2
 * runs only where it might succeed.
 *
 * Data flow: inside match.  For each regex, a set of literal strings is
 * derived such that every match contains at least one of them (its
 * "required literals"; SQLSTATE\[(?:HY000|08006)\] requires "sqlstate[").
 * A message is scanned once, a 4-byte gram at every other position,
 * against all rules' literals; only rules whose literal occurs are
 * candidates.  A regex whose literals cannot be derived (or are shorter
 * than four bytes) is always a candidate.  Matching is case-folded and
 * deliberately lossy (it may flag a rule that cannot match, never miss one
 * that can): PCRE2 decides.
 */
#ifndef LOGCAUSE_PREFILTER_H
#define LOGCAUSE_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* At most this many literals stand for one regex; an alternation with more
 * branches than this makes the regex always a candidate. */
enum { PREFILTER_MAX_ALTS = 16, PREFILTER_MAX_LIT = 64 };

struct prefilter_lits {
	size_t n;        /* 0: none could be derived */
	char lit[PREFILTER_MAX_ALTS][PREFILTER_MAX_LIT + 1]; /* folded, NUL-ended */
};

/* Derives the required literals of a PCRE2 pattern.  Returns true and fills
 * *out when every match must contain one of out->lit; false when nothing
 * can be promised. */
bool prefilter_required(const char *regex, struct prefilter_lits *out);

struct prefilter;

/* Builds a filter for n regexes; regex i is reported as candidate bit i.
 * NULL when out of memory. */
struct prefilter *prefilter_new(const char *const *regexes, size_t n);

/* Words of the candidate bitset for n regexes. */
size_t prefilter_words(const struct prefilter *pf);

/* Sets in cand (prefilter_words() words, cleared by the caller) the bit of
 * every regex that may match msg. */
void prefilter_scan(const struct prefilter *pf, const char *msg, size_t len, uint64_t *cand);

/* Regexes that are candidates for every message (no usable literal). */
size_t prefilter_unfiltered(const struct prefilter *pf);

void prefilter_free(struct prefilter *pf);

#endif
