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

/*
 * Scanning a message in two parts, for a cache of what its first part
 * decides (match.c): msg[0, split) is scanned once (prefilter_scan_first),
 * which keeps the literals that may run on past split as pending; for each
 * message that begins with those bytes, only the rest is scanned
 * (prefilter_scan_rest) and the pending literals checked.  Together they
 * find what prefilter_scan() over the whole would.
 */
struct prefilter_pending {
	uint32_t entry; /* the literal */
	uint32_t at;    /* where it starts, before split */
};

/* Sets in cand the bit of every unfiltered regex and of every regex with a
 * literal wholly in the part of msg[0, split) that prefilter_scan_rest()
 * does not scan; puts in out the literals that start there, run on past
 * split and agree with the bytes before it.  Returns how many, or SIZE_MAX
 * for more than max. */
size_t prefilter_scan_first(const struct prefilter *pf, const char *msg, size_t split,
			    uint64_t *cand, struct prefilter_pending *out, size_t max);

/* Sets in cand the bit of every regex with a literal found by the grams
 * that reach split or past it (no unfiltered regex is set). */
void prefilter_scan_rest(const struct prefilter *pf, const char *msg, size_t len, size_t split,
			 uint64_t *cand);

/* The first position prefilter_scan_rest() scans. */
size_t prefilter_rest_from(size_t split);

/* Sets in cand the bit of each pending literal's regex when the literal
 * is in msg[0, len). */
void prefilter_check_pending(const struct prefilter *pf, const char *msg, size_t len,
			     const struct prefilter_pending *p, size_t n, uint64_t *cand);

/* Whether regex i has no usable literal (a candidate for everything). */
bool prefilter_is_unfiltered(const struct prefilter *pf, size_t regex);

/* Regexes that are candidates for every message (no usable literal). */
size_t prefilter_unfiltered(const struct prefilter *pf);

void prefilter_free(struct prefilter *pf);

#endif
