/*
 * topk — the most frequent keys of a stream, counted in bounded memory.
 *
 * Data flow: template -> topk -> report.  Each record adds one occurrence
 * of its key (a template's hash); the report lists the keys with the
 * highest counts, each with its display text (the template) and one real
 * example (the first message seen for the key since it entered the table).
 *
 * At most k keys are kept, with the Space-Saving algorithm (Metwally,
 * Agrawal and El Abbadi, 2005): a new key arriving at a full table replaces
 * the entry with the smallest count, min, and starts at min + 1 with an
 * error bound of min.  So counts can only overestimate: the true count of
 * an entry lies in [count - error, count], and every key that occurred more
 * than total / k times is in the table.  While no entry has been replaced,
 * every count is exact.
 *
 * All memory is allocated by topk_new(): k entries, each with room for
 * sample_max bytes of text and as many of example, and a hash index.
 * Adding never allocates and never fails.
 *
 *     struct topk *tk = topk_new(TOPK_DEFAULT_K, TEMPLATE_MAX);
 *     while (...)
 *             topk_add(tk, template_hash(tpl, n), tpl, n, msg, msg_len);
 *     struct topk_entry top[10];
 *     size_t m = topk_sorted(tk, top, 10);
 *     for (size_t i = 0; i < m; i++)
 *             show(top[i].text, top[i].len, top[i].count, top[i].sample, top[i].slen);
 *     if (topk_evicted(tk))
 *             note("counts are upper bounds, each at most its .error too high");
 *     topk_free(tk);
 */
#ifndef LOGCAUSE_TOPK_H
#define LOGCAUSE_TOPK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Enough that any template worth a line of the report (one in a thousand
 * records) is kept, with counts within 0.1 % of the total; 1024 entries of
 * two 512-byte buffers are 1 MiB. */
enum { TOPK_DEFAULT_K = 1024 };

struct topk_entry {
	uint64_t key;
	uint64_t count;  /* an upper bound: the true count is >= count - error */
	uint64_t error;  /* 0 for an entry that never replaced another */
	const char *text; /* the key's text, cut to sample_max bytes; owned by */
	size_t len;       /* the table, valid until the next topk_add or free */
	const char *sample; /* the key's first example, cut the same way */
	size_t slen;
	uint64_t seq;     /* when the key entered the table: orders ties */
};

struct topk;

/* Returns a table that keeps at most k keys (k of 0 is taken as 1), each
 * with up to sample_max bytes of text and of example.  NULL when out of
 * memory or when k or the buffers are too large to size. */
struct topk *topk_new(size_t k, size_t sample_max);

/* Counts one occurrence of key, whose display text is text[0..len) and whose
 * example is sample[0..slen).  The bytes are copied (cut to sample_max) only
 * when the key enters the table; for a key already in it only the count
 * changes.  When the table is full and key is new, the entry with the
 * smallest count is replaced.  Expected O(1) to find the key, O(log k) at
 * worst to keep the smallest count at hand.  Never allocates. */
void topk_add(struct topk *t, uint64_t key, const char *text, size_t len,
	      const char *sample, size_t slen);

/* topk_add() for `count` occurrences at once, whose own count may be too
 * high by up to `error` (an entry of another table, being merged in).  A
 * key already kept adds both; a new one enters as Space-Saving would. */
void topk_add_count(struct topk *t, uint64_t key, const char *text, size_t len,
		    const char *sample, size_t slen, uint64_t count, uint64_t error);

/* Fills out with up to max entries, the highest counts first (equal counts:
 * the one that entered the table first goes first), and returns how many. */
size_t topk_sorted(const struct topk *t, struct topk_entry *out, size_t max);

/* Every entry, up to max, in the order the keys entered the table: how a
 * saved table is written so that merging it keeps "first seen first". */
size_t topk_in_order(const struct topk *t, struct topk_entry *out, size_t max);

/* Whether any entry has been replaced: counts are then upper bounds (each
 * entry's true count lies in [count - error, count]). */
bool topk_evicted(const struct topk *t);

/* Every occurrence counted, kept or not; the counts of the entries sum to
 * it. */
uint64_t topk_total(const struct topk *t);

void topk_free(struct topk *t);

#endif
