/* timeline: counts survive coarsening, peaks, display widths. */
#include <stdlib.h>

#include "testutil.h"
#include "timeline.h"
#include "tstamp.h"

#define MIN(m) ((int64_t)(m) * 60 * TSTAMP_US_PER_SEC)
#define T0 INT64_C(1795774500) /* a minute's start */

static uint64_t total(const struct timeline *tl, size_t s)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < timeline_buckets(tl); i++)
		sum += timeline_count(tl, s, i);
	return sum;
}

START_TEST(test_minutes_and_peak)
{
	struct timeline *tl = timeline_new(2);
	struct timeline_peak pk;
	uint64_t out[10];

	for (int i = 0; i < 5; i++)
		timeline_add(tl, 0, T0 * TSTAMP_US_PER_SEC + MIN(3));
	timeline_add(tl, 0, T0 * TSTAMP_US_PER_SEC);
	timeline_add(tl, 1, T0 * TSTAMP_US_PER_SEC + MIN(1));
	/* Out of order by a few minutes still counts toward the peak. */
	timeline_add(tl, 0, T0 * TSTAMP_US_PER_SEC + MIN(3) + 59 * TSTAMP_US_PER_SEC);
	ck_assert_int_eq(timeline_bucket_seconds(tl), 60);
	ck_assert_int_eq(timeline_origin(tl), T0);
	ck_assert_uint_eq(timeline_buckets(tl), 4);
	pk = timeline_peak(tl, 0);
	ck_assert_int_eq(pk.minute, T0 + 180);
	ck_assert_uint_eq(pk.count, 6);
	timeline_regroup(tl, 0, T0, 120, out, 2);
	ck_assert_uint_eq(out[0], 1);
	ck_assert_uint_eq(out[1], 6);
	timeline_free(tl);
}
END_TEST

/* A year of events: the width grows, memory does not, nothing is lost. */
START_TEST(test_coarsen)
{
	struct timeline *tl = timeline_new(1);
	int64_t start = T0 * TSTAMP_US_PER_SEC;

	for (int d = 0; d < 365; d++)
		timeline_add(tl, 0, start + (int64_t)d * 86400 * TSTAMP_US_PER_SEC);
	/* Older than everything so far: the origin moves back. */
	timeline_add(tl, 0, start - 10 * 86400 * TSTAMP_US_PER_SEC);
	ck_assert_uint_eq(total(tl, 0), 366);
	ck_assert_uint_le(timeline_buckets(tl), TIMELINE_MAX);
	ck_assert_int_ge(timeline_bucket_seconds(tl), 60 * 256);
	ck_assert_int_le(timeline_origin(tl), T0 - 10 * 86400);
	timeline_free(tl);
}
END_TEST

START_TEST(test_width_for)
{
	struct timeline *tl = timeline_new(1);

	timeline_add(tl, 0, 0);
	ck_assert_int_eq(timeline_width_for(tl, 30 * 60, 60), 60);
	ck_assert_int_eq(timeline_width_for(tl, 3 * 3600, 60), 300);
	ck_assert_int_eq(timeline_width_for(tl, 24 * 3600, 60), 1800);
	ck_assert_int_eq(timeline_width_for(tl, 20 * 86400, 60), 43200);
	ck_assert_int_eq(timeline_width_for(tl, 30 * 86400, 60), 86400);
	ck_assert_int_eq(timeline_width_for(tl, 365 * 86400, 60), 8 * 86400);
	timeline_free(tl);
}
END_TEST

Suite *timeline_suite(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("buckets");

	tcase_add_test(tc, test_minutes_and_peak);
	tcase_add_test(tc, test_coarsen);
	tcase_add_test(tc, test_width_for);
	suite_add_tcase(s, tc);
	return s;
}
