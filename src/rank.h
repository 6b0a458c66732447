/*
 * rank — the top of a small list, kept in order as items arrive.
 *
 * The reports rank tens of causes: an insertion into a bounded array needs
 * no allocation and no sort context, and items that tie keep the order in
 * which they came (the catalogue's order).
 *
 *     size_t n = 0;
 *     for (size_t i = 0; i < count; i++)
 *             if (wanted(i))
 *                     n = rank_insert(out, n, max, i, above, ctx);
 */
#ifndef LOGCAUSE_RANK_H
#define LOGCAUSE_RANK_H

#include <stdbool.h>
#include <stddef.h>

/* Whether item a ranks strictly above item b. */
typedef bool (*rank_above_fn)(const void *ctx, size_t a, size_t b);

/* Inserts item into out[0..n), ranked, keeping at most max; returns the
 * new count. */
size_t rank_insert(size_t *out, size_t n, size_t max, size_t item, rank_above_fn above,
		   const void *ctx);

#endif
