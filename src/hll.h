/*
 * hll — counts distinct values in a kilobyte: HyperLogLog with 1024
 * registers (Flajolet et al., 2007), about 3% standard error, exact-ish
 * for small counts through linear counting.  Used for "how many distinct
 * clients hit this cause", which must not grow with the input.
 */
#ifndef LOGCAUSE_HLL_H
#define LOGCAUSE_HLL_H

#include <stddef.h>
#include <stdint.h>

enum { HLL_BITS = 10, HLL_REGISTERS = 1 << HLL_BITS };

struct hll {
	uint8_t reg[HLL_REGISTERS];
};

void hll_init(struct hll *h);

/* Counts the value s[0..n). */
void hll_add(struct hll *h, const char *s, size_t n);

/* The estimated number of distinct values added. */
uint64_t hll_estimate(const struct hll *h);

#endif
