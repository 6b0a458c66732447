/* tstamp and arena: the small pieces everything else leans on. */
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "arena.h"
#include "testutil.h"
#include "tstamp.h"

START_TEST(test_days_from_civil)
{
	ck_assert_int_eq(tstamp_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(tstamp_days_from_civil(2000, 3, 1), 11017);
	ck_assert_int_eq(tstamp_days_from_civil(2026, 11, 27), 20784);
	ck_assert_int_eq(tstamp_days_from_civil(2024, 2, 29) + 1,
			 tstamp_days_from_civil(2024, 3, 1));
}
END_TEST

START_TEST(test_iso)
{
	char buf[TSTAMP_ISO_SIZE];
	int64_t t = tstamp_from_utc(2026, 11, 27, 10, 15, 2, 123456, 3600);

	ck_assert_str_eq(tstamp_iso(t, false, buf), "2026-11-27T09:15:02Z");
	ck_assert_str_eq(tstamp_iso(t, true, buf), "2026-11-27T09:15:02.123456Z");
	ck_assert_str_eq(tstamp_iso(-1, true, buf), "1969-12-31T23:59:59.999999Z");
}
END_TEST

START_TEST(test_month)
{
	ck_assert_int_eq(tstamp_month("Jan"), 1);
	ck_assert_int_eq(tstamp_month("Dec"), 12);
	ck_assert_int_eq(tstamp_month("Foo"), 0);
}
END_TEST

/* The offset cache must not carry one hour's offset into another. */
START_TEST(test_dst_change)
{
	struct tzone z;

	setenv("TZ", "America/New_York", 1);
	tzone_init_local(&z);
	/* 2026-03-08 01:30 EST is 06:30Z; 03:30 EDT is 07:30Z. */
	ck_assert_int_eq(tstamp_from_local(&z, 2026, 3, 8, 1, 30, 0, 0),
			 tstamp_from_utc(2026, 3, 8, 6, 30, 0, 0, 0));
	ck_assert_int_eq(tstamp_from_local(&z, 2026, 3, 8, 3, 30, 0, 0),
			 tstamp_from_utc(2026, 3, 8, 7, 30, 0, 0, 0));
	setenv("TZ", "UTC", 1);
	tzset();
}
END_TEST

START_TEST(test_arena)
{
	struct arena a;
	char *s, *big;

	arena_init(&a);
	s = arena_strndup(&a, "hello world", 5);
	ck_assert_str_eq(s, "hello");
	big = arena_alloc(&a, 200000);
	ck_assert_ptr_nonnull(big);
	memset(big, 1, 200000);
	ck_assert_str_eq(s, "hello");
	ck_assert_uint_eq((uintptr_t)arena_alloc(&a, 3) % sizeof(void *), 0);
	arena_release(&a);
	arena_release(&a);
}
END_TEST

/* --since forms: a time of day is on the day of `now` in the zone; a
 * duration counts back; a date is its midnight. */
START_TEST(test_when)
{
	struct tzone utc, east;
	struct tstamp_when w;
	int64_t now = 1795780800; /* 2026-11-27 12:00:00 UTC */

	tzone_init_fixed(&utc, 0);
	tzone_init_fixed(&east, 9 * 3600);
	ck_assert_int_eq(tstamp_parse_when("10:16", &utc, now, &w), 0);
	ck_assert(!w.ago);
	ck_assert_int_eq(w.t, (int64_t)1795774560 * TSTAMP_US_PER_SEC);
	/* 12:00 UTC is 21:00 in +09:00: still the 27th there. */
	ck_assert_int_eq(tstamp_parse_when("10:16", &east, now, &w), 0);
	ck_assert_int_eq(w.t, (int64_t)(1795774560 - 9 * 3600) * TSTAMP_US_PER_SEC);
	ck_assert_int_eq(tstamp_parse_when("1h30m", &utc, now, &w), 0);
	ck_assert(w.ago);
	ck_assert_int_eq(w.t, (int64_t)5400 * TSTAMP_US_PER_SEC);
	ck_assert_int_eq(tstamp_parse_when("2026-11-27", &utc, now, &w), 0);
	ck_assert_int_eq(w.t, (int64_t)1795737600 * TSTAMP_US_PER_SEC);
	ck_assert_int_eq(tstamp_parse_when("soon", &utc, now, &w), -1);
}
END_TEST

Suite *tstamp_suite(void)
{
	Suite *s = suite_create("tstamp");
	TCase *tc = tcase_create("time");

	tcase_add_test(tc, test_days_from_civil);
	tcase_add_test(tc, test_iso);
	tcase_add_test(tc, test_month);
	tcase_add_test(tc, test_dst_change);
	tcase_add_test(tc, test_when);
	suite_add_tcase(s, tc);
	return s;
}

Suite *arena_suite(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("alloc");

	tcase_add_test(tc, test_arena);
	suite_add_tcase(s, tc);
	return s;
}
