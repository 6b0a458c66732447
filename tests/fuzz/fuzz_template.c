/* libFuzzer target: the template masker, with output buffers of every
 * size (a cut must never split a placeholder or overrun), and its memo,
 * which must answer as the masker does for the input and for the input
 * with each run of digits made longer or shorter and letters after a
 * path's third slash changed (which mostly mask the same: a memo key that
 * leaves out too much shows). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void memo_check(struct template_memo *mm, const char *m, size_t len)
{
	char out[TEMPLATE_MAX], want[TEMPLATE_MAX];
	size_t n, wn = template_mask(m, len, want, sizeof want);
	uint64_t h;
	const char *tpl = template_memo_mask(mm, m, len, out, &n, &h);

	if (n != wn || memcmp(tpl, want, n) != 0 || h != template_hash(want, wn))
		abort();
}

static void memo_agrees(const uint8_t *data, size_t size)
{
	static struct template_memo *mm;
	static char other[2 * TEMPLATE_MEMO_BYTES];
	size_t k = 0, run = 0;

	if (!mm && !(mm = template_memo_new(TEMPLATE_MAX)))
		abort();
	if (size > TEMPLATE_MEMO_BYTES)
		size = TEMPLATE_MEMO_BYTES;
	memo_check(mm, (const char *)data, size);
	/* The same message, each digit run's length changed by what the
	 * input says (from 1 to 20 digits: past every length bound of the
	 * masker, ZONE_MAX's 16 the longest), and letters past a third '/'
	 * since a blank changed. */
	for (size_t i = 0, slashes = 0; i < size && k < TEMPLATE_MEMO_BYTES;) {
		if (data[i] == ' ')
			slashes = 0;
		slashes += data[i] == '/';
		if (slashes >= 3 && data[i] >= 'a' && data[i] <= 'z') {
			other[k++] = (char)('a' + (data[i] + run++) % 26);
			i++;
		} else if (data[i] >= '0' && data[i] <= '9') {
			size_t want = 1 + (data[i] + run++) % 20;

			while (i < size && data[i] >= '0' && data[i] <= '9')
				i++;
			for (size_t d = 0; d < want && k < TEMPLATE_MEMO_BYTES; d++)
				other[k++] = (char)('0' + (d * 7 + run) % 10);
		} else {
			other[k++] = (char)data[i++];
		}
	}
	memo_check(mm, other, k);
}

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
	memo_agrees(data, size);
	return 0;
}
