#include "rank.h"

#include <string.h>

size_t rank_insert(size_t *out, size_t n, size_t max, size_t item, rank_above_fn above,
		   const void *ctx)
{
	size_t at = n < max ? n : max;

	while (at > 0 && above(ctx, item, out[at - 1]))
		at--;
	if (at >= max)
		return n;
	memmove(out + at + 1, out + at, ((n < max ? n : max - 1) - at) * sizeof *out);
	out[at] = item;
	return n < max ? n + 1 : n;
}
