#include "hll.h"

#include <math.h>
#include <string.h>

void hll_init(struct hll *h)
{
	memset(h->reg, 0, sizeof h->reg);
}

/* FNV-1a, then a 64-bit finaliser (splitmix64's): FNV alone leaves the
 * high bits, which pick the register, poorly mixed for short strings. */
static uint64_t hash(const char *s, size_t n)
{
	uint64_t x = 14695981039346656037ULL;

	for (size_t i = 0; i < n; i++) {
		x ^= (unsigned char)s[i];
		x *= 1099511628211ULL;
	}
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

void hll_add(struct hll *h, const char *s, size_t n)
{
	uint64_t x = hash(s, n);
	size_t idx = (size_t)(x >> (64 - HLL_BITS));
	uint64_t rest = (x << HLL_BITS) | (UINT64_C(1) << (HLL_BITS - 1));
	uint8_t rank = (uint8_t)(__builtin_clzll(rest) + 1);

	if (rank > h->reg[idx])
		h->reg[idx] = rank;
}

uint64_t hll_estimate(const struct hll *h)
{
	const double m = HLL_REGISTERS, alpha = 0.7213 / (1.0 + 1.079 / m);
	double sum = 0, est;
	size_t zeros = 0;

	for (size_t i = 0; i < HLL_REGISTERS; i++) {
		sum += ldexp(1.0, -h->reg[i]);
		zeros += h->reg[i] == 0;
	}
	est = alpha * m * m / sum;
	/* Few values: linear counting over the empty registers is exact
	 * enough and far better than the raw estimate. */
	if (est <= 2.5 * m && zeros)
		est = m * log(m / (double)zeros);
	return (uint64_t)(est + 0.5);
}
