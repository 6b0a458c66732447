/* topk: exact counts while the table has room, Space-Saving's bounds after,
 * the order of the report, and the bytes kept. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "topk.h"

/* Adds key with a text and an example that name it, so a test can tell
 * which key and which occurrence any kept bytes came from. */
static void add_named(struct topk *t, uint64_t key, uint64_t occurrence)
{
	char text[64], sample[64];
	int tl = snprintf(text, sizeof text, "key %llu", (unsigned long long)key);
	int sl = snprintf(sample, sizeof sample, "key %llu #%llu", (unsigned long long)key,
			  (unsigned long long)occurrence);

	topk_add(t, key, text, (size_t)tl, sample, (size_t)sl);
}

/* Checks what holds for any table: keys are distinct, counts sum to the
 * total, each count is above its error, and the kept bytes belong to the
 * entry's key.  Returns the entries, best first, in out; max must be at
 * least the table's k. */
static int cmp_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static size_t check_table(const struct topk *t, struct topk_entry *out, size_t max)
{
	size_t n = topk_sorted(t, out, max);
	uint64_t sum = 0, *keys = malloc((n ? n : 1) * sizeof *keys);

	ck_assert_ptr_nonnull(keys);
	for (size_t i = 0; i < n; i++) {
		char want[64];
		int wl = snprintf(want, sizeof want, "key %llu", (unsigned long long)out[i].key);

		sum += out[i].count;
		ck_assert_uint_ge(out[i].count, out[i].error + 1);
		ck_assert_msg(out[i].len == (size_t)wl && memcmp(out[i].text, want, out[i].len) == 0,
			      "text of %llu is '%.*s'", (unsigned long long)out[i].key,
			      (int)out[i].len, out[i].text);
		/* The example is a real one, of the same key. */
		ck_assert_uint_gt(out[i].slen, (size_t)wl);
		ck_assert(memcmp(out[i].sample, want, (size_t)wl) == 0);
		ck_assert_int_eq(out[i].sample[wl], ' ');
		if (i > 0)
			ck_assert_uint_ge(out[i - 1].count, out[i].count);
		keys[i] = out[i].key;
	}
	ck_assert_uint_eq(sum, topk_total(t));
	qsort(keys, n, sizeof *keys, cmp_key);
	for (size_t i = 1; i < n; i++)
		ck_assert_uint_ne(keys[i - 1], keys[i]);
	free(keys);
	return n;
}

START_TEST(test_exact)
{
	/* key: 10 20 30 40 50, counts 5 1 3 3 2, interleaved. */
	static const uint64_t stream[] = { 30, 10, 20, 10, 40, 30, 10, 50, 40, 10, 30, 50, 10, 40 };
	static const uint64_t want_key[] = { 10, 30, 40, 50, 20 };
	static const uint64_t want_count[] = { 5, 3, 3, 2, 1 };
	struct topk *t = topk_new(8, 64);
	struct topk_entry out[8];
	uint64_t seen[64] = { 0 };
	size_t n;

	ck_assert_ptr_nonnull(t);
	for (size_t i = 0; i < sizeof stream / sizeof stream[0]; i++)
		add_named(t, stream[i], seen[stream[i]]++);
	n = check_table(t, out, 8);
	ck_assert_uint_eq(n, 5);
	ck_assert(!topk_evicted(t));
	ck_assert_uint_eq(topk_total(t), sizeof stream / sizeof stream[0]);
	for (size_t i = 0; i < n; i++) {
		char first[64];
		int fl = snprintf(first, sizeof first, "key %llu #0",
				  (unsigned long long)want_key[i]);

		ck_assert_uint_eq(out[i].key, want_key[i]);
		ck_assert_uint_eq(out[i].count, want_count[i]);
		ck_assert_uint_eq(out[i].error, 0);
		/* The first example seen, not a later one. */
		ck_assert(out[i].slen == (size_t)fl && memcmp(out[i].sample, first, (size_t)fl) == 0);
	}
	topk_free(t);
}
END_TEST

START_TEST(test_ties_first_seen)
{
	struct topk *t = topk_new(4, 16);
	struct topk_entry out[4];

	ck_assert_ptr_nonnull(t);
	add_named(t, 7, 0);
	add_named(t, 3, 0);
	add_named(t, 9, 0);
	add_named(t, 5, 0);
	check_table(t, out, 4);
	ck_assert_uint_eq(out[0].key, 7);
	ck_assert_uint_eq(out[1].key, 3);
	ck_assert_uint_eq(out[2].key, 9);
	ck_assert_uint_eq(out[3].key, 5);
	add_named(t, 5, 1);
	add_named(t, 3, 1);
	check_table(t, out, 4);
	ck_assert_uint_eq(out[0].key, 3);
	ck_assert_uint_eq(out[1].key, 5);
	ck_assert_uint_eq(out[2].key, 7);
	ck_assert_uint_eq(out[3].key, 9);
	topk_free(t);
}
END_TEST

/* A report asks for fewer entries than the table holds: it gets the best
 * of them, in the same order as the full list. */
START_TEST(test_fewer_than_kept)
{
	struct topk *t = topk_new(100, 32);
	struct topk_entry all[100], some[100];
	size_t n;

	ck_assert_ptr_nonnull(t);
	for (uint64_t key = 0; key < 100; key++)
		for (uint64_t c = 0; c <= (key * 37) % 11; c++)
			add_named(t, key, c);
	n = check_table(t, all, 100);
	ck_assert_uint_eq(n, 100);
	for (size_t max = 0; max <= 100; max += 7) {
		ck_assert_uint_eq(topk_sorted(t, some, max), max);
		for (size_t i = 0; i < max; i++) {
			ck_assert_uint_eq(some[i].key, all[i].key);
			ck_assert_uint_eq(some[i].count, all[i].count);
		}
	}
	topk_free(t);
}
END_TEST

START_TEST(test_cut_bytes)
{
	static const char text[] = "0123456789abcdef", sample[] = "ABCDEFGHIJKLMNOPQRST";
	struct topk *t = topk_new(2, 10);
	struct topk *z = topk_new(2, 0);
	struct topk_entry e;

	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_nonnull(z);
	topk_add(t, 1, text, 16, sample, 20);
	topk_add(t, 2, text, 3, NULL, 0);
	ck_assert_uint_eq(topk_sorted(t, &e, 1), 1);
	ck_assert_uint_eq(e.len, 10);
	ck_assert(memcmp(e.text, text, 10) == 0);
	ck_assert_uint_eq(e.slen, 10);
	ck_assert(memcmp(e.sample, sample, 10) == 0);
	/* A table that keeps no bytes still counts. */
	topk_add(z, 1, text, 16, sample, 20);
	topk_add(z, 1, text, 16, sample, 20);
	ck_assert_uint_eq(topk_sorted(z, &e, 1), 1);
	ck_assert_uint_eq(e.count, 2);
	ck_assert_uint_eq(e.len, 0);
	ck_assert_uint_eq(e.slen, 0);
	topk_free(t);
	topk_free(z);
}
END_TEST

START_TEST(test_edges)
{
	struct topk *t = topk_new(0, 8); /* taken as 1 */
	struct topk_entry e[2];

	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(topk_sorted(t, e, 2), 0);
	add_named(t, 1, 0);
	add_named(t, 1, 1);
	add_named(t, 2, 0);
	ck_assert_uint_eq(topk_sorted(t, e, 2), 1);
	ck_assert_uint_eq(e[0].key, 2);
	ck_assert_uint_eq(e[0].count, 3);
	ck_assert_uint_eq(e[0].error, 2);
	ck_assert(topk_evicted(t));
	ck_assert_uint_eq(topk_total(t), 3);
	topk_free(t);
	topk_free(NULL);
	ck_assert_ptr_null(topk_new(SIZE_MAX, 1));
	ck_assert_ptr_null(topk_new(4, SIZE_MAX / 4));
}
END_TEST

static uint64_t next_rand(uint64_t *state)
{
	/* xorshift64*: the tests need a fixed, fast sequence, not quality. */
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

/* Keys that are not good hashes: small integers, or integers shifted into
 * the high bits only. */
static uint64_t key_of(uint32_t id, int spread)
{
	return spread ? (uint64_t)id << 40 : id;
}

/* A skewed stream over more keys than k: Space-Saving's guarantees hold
 * against the true counts, and the heavy hitters are all there. */
static void run_skewed(size_t k, uint32_t nkeys, uint64_t adds, int spread, uint64_t seed)
{
	struct topk *t = topk_new(k, 24);
	uint64_t *truth = calloc(nkeys, sizeof *truth);
	struct topk_entry *out = calloc(k, sizeof *out);
	uint64_t state = seed;
	size_t n;

	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_nonnull(truth);
	ck_assert_ptr_nonnull(out);
	for (uint64_t a = 0; a < adds; a++) {
		uint64_t r = next_rand(&state);
		uint32_t id = 0;

		/* Half the adds go to ten hot keys, key j taking 2^-(j+1) of
		 * them; the rest are spread evenly over all keys. */
		if (r & 1) {
			for (r >>= 1; id < 9 && !(r & 1); r >>= 1)
				id++;
		} else {
			id = (uint32_t)((r >> 1) % nkeys);
		}
		add_named(t, key_of(id, spread), truth[id]++);
	}
	n = check_table(t, out, k);
	ck_assert_uint_eq(topk_total(t), adds);
	ck_assert_uint_le(n, k);
	for (size_t i = 0; i < n; i++) {
		uint32_t id = (uint32_t)(spread ? out[i].key >> 40 : out[i].key);

		ck_assert_uint_lt(id, nkeys);
		ck_assert_msg(truth[id] <= out[i].count && out[i].count - out[i].error <= truth[id],
			      "key %u: true %llu, count %llu, error %llu", id,
			      (unsigned long long)truth[id], (unsigned long long)out[i].count,
			      (unsigned long long)out[i].error);
		if (!topk_evicted(t))
			ck_assert_uint_eq(out[i].count, truth[id]);
	}
	/* Every key seen more than total / k times is kept. */
	for (uint32_t id = 0; id < nkeys; id++) {
		bool kept = false;

		if (truth[id] * k <= adds)
			continue;
		for (size_t i = 0; i < n && !kept; i++)
			kept = out[i].key == key_of(id, spread);
		ck_assert_msg(kept, "key %u seen %llu of %llu times is missing", id,
			      (unsigned long long)truth[id], (unsigned long long)adds);
	}
	free(out);
	free(truth);
	topk_free(t);
}

START_TEST(test_heavy_hitters)
{
	run_skewed(64, 5000, 100000, 0, 1);
	run_skewed(64, 5000, 100000, 1, 2);
}
END_TEST

/* Many sizes of table, down to one and two entries where every add of a new
 * key moves cells of a tiny index; the same checks after every batch. */
static const size_t random_ks[] = { 1, 2, 3, 5, 8, 64, 1000, 3000 };

START_TEST(test_many_random)
{
	size_t k = random_ks[_i];

	run_skewed(k, 20, 3000, _i & 1, 11 + (uint64_t)_i);
	run_skewed(k, 4000, 50000, _i & 1, 101 + (uint64_t)_i);
}
END_TEST

/* Distinct keys no more than k: everything exact, however many adds. */
START_TEST(test_exact_random)
{
	struct topk *t = topk_new(500, 24);
	uint64_t truth[500] = { 0 }, state = 7;
	struct topk_entry out[500];
	size_t n;

	ck_assert_ptr_nonnull(t);
	for (int a = 0; a < 100000; a++) {
		uint32_t id = (uint32_t)(next_rand(&state) % 500);

		add_named(t, (uint64_t)id * 0x100000001ULL, truth[id]++);
	}
	n = check_table(t, out, 500);
	ck_assert(!topk_evicted(t));
	ck_assert_uint_eq(n, 500);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_eq(out[i].count, truth[out[i].key / 0x100000001ULL]);
		ck_assert_uint_eq(out[i].error, 0);
	}
	topk_free(t);
}
END_TEST

Suite *topk_suite(void)
{
	Suite *s = suite_create("topk");
	TCase *tc = tcase_create("space-saving");

	tcase_add_test(tc, test_exact);
	tcase_add_test(tc, test_ties_first_seen);
	tcase_add_test(tc, test_fewer_than_kept);
	tcase_add_test(tc, test_cut_bytes);
	tcase_add_test(tc, test_edges);
	tcase_add_test(tc, test_heavy_hitters);
	tcase_add_loop_test(tc, test_many_random, 0, sizeof random_ks / sizeof random_ks[0]);
	tcase_add_test(tc, test_exact_random);
	suite_add_tcase(s, tc);
	return s;
}
