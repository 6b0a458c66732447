/* libFuzzer target: the template masker, with output buffers of every
 * size (a cut must never split a placeholder or overrun). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char full[TEMPLATE_MAX], cut[TEMPLATE_MAX];
	size_t n = template_mask((const char *)data, size, full, sizeof full);
	size_t cap = size ? data[size - 1] % sizeof cut : 0;
	size_t m = template_mask((const char *)data, size, cut, cap);

	/* A cut template is a prefix of the whole one. */
	if (m > n || memcmp(cut, full, m) != 0 || (cap && cut[m] != '\0'))
		abort();
	(void)template_hash(full, n);
	return 0;
}
