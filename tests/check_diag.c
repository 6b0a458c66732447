/* diag: the one-line message format, warnings held back past the limit,
 * and the erase that keeps a progress line from sharing a message's line. */
#include "testutil.h"

START_TEST(error_is_one_line_with_where)
{
	struct capture cap;

	capture_open(&cap);
	ck_assert_int_eq(diag_error(&cap.dg, "a.log:3", "bad %s", "stamp"), -1);
	diag_error(&cap.dg, NULL, "out of memory");
	ck_assert_str_eq(capture_text(&cap),
			 "logcause: a.log:3: bad stamp\nlogcause: out of memory\n");
	ck_assert_uint_eq(cap.dg.errors, 2);
	capture_close(&cap);
}
END_TEST

START_TEST(warnings_past_the_limit_are_counted)
{
	struct capture cap;

	capture_open(&cap);
	cap.dg.warn_limit = 2;
	for (int i = 0; i < 5; i++)
		diag_warn(&cap.dg, NULL, "w%d", i);
	diag_flush(&cap.dg);
	ck_assert_str_eq(capture_text(&cap),
			 "logcause: w0\nlogcause: w1\nlogcause: ...and 3 more warnings\n");
	ck_assert_uint_eq(cap.dg.warnings, 5);
	ck_assert_uint_eq(cap.dg.errors, 0);
	capture_close(&cap);
}
END_TEST

START_TEST(message_erases_a_progress_line_first)
{
	struct capture cap;

	capture_open(&cap);
	cap.dg.erase_line = true;
	diag_error(&cap.dg, "x.gz", "truncated");
	ck_assert_str_eq(capture_text(&cap), "\r\033[Klogcause: x.gz: truncated\n");
	capture_close(&cap);
}
END_TEST

Suite *diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, error_is_one_line_with_where);
	tcase_add_test(tc, warnings_past_the_limit_are_counted);
	tcase_add_test(tc, message_erases_a_progress_line_first);
	suite_add_tcase(s, tc);
	return s;
}
