/* tally and report: counts, examples, ranking, and the text report. */
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "match.h"
#include "report.h"
#include "tally.h"
#include "testutil.h"

static const char set[] =
	"[cause db]\ntitle = Database\nkind = fault\nstatus = 500\nhint = Check the db.\n"
	"[cause upstream-timeout]\ntitle = Timeout\nkind = fault\nstatus = 504\n"
	"[cause dns]\ntitle = DNS\nkind = fault\n"
	"[cause not-found]\ntitle = Missing\nkind = noise\nstatus = 404\n";

static void load(struct ruleset *rs)
{
	struct capture cap;

	capture_open(&cap);
	rules_init(rs);
	ck_assert_int_eq(rules_load_buffer(rs, "r.rules", set, sizeof set - 1, &cap.dg), 0);
	capture_close(&cap);
}

static void rec(struct record *r, const char *text, int64_t sec)
{
	memset(r, 0, sizeof *r);
	r->text = r->msg = text;
	r->len = r->msg_len = r->core_len = strlen(text);
	r->level = LEVEL_ERROR;
	r->time = sec == -1 ? TSTAMP_NONE : sec * TSTAMP_US_PER_SEC;
}

START_TEST(test_tally_counts_and_examples)
{
	struct tally *t = tally_new(2);
	struct record r;

	rec(&r, "worker 12 failed", 100);
	tally_add(t, 0, &r);
	rec(&r, "worker 31 failed", 50);  /* same shape, earlier */
	tally_add(t, 0, &r);
	rec(&r, "disk gone", 200);
	tally_add(t, 0, &r);
	rec(&r, "a", -1);
	tally_add(t, 0, &r);
	rec(&r, "b", 300);
	tally_add(t, 0, &r);
	rec(&r, "c", 300);
	tally_add(t, 0, &r);  /* fourth shape: no room */
	rec(&r, "?", 400);
	tally_add(t, MATCH_NONE, &r);
	tally_add_below(t, &r);

	ck_assert_uint_eq(t->records, 8);
	ck_assert_uint_eq(t->below_level, 1);
	ck_assert_uint_eq(t->unattributed, 1);
	ck_assert_uint_eq(t->causes[0].events, 6);
	ck_assert_int_eq(t->causes[0].first, 50 * TSTAMP_US_PER_SEC);
	ck_assert_int_eq(t->causes[0].last, 300 * TSTAMP_US_PER_SEC);
	ck_assert_uint_eq(t->causes[0].nexamples, 3);
	ck_assert(memcmp(t->causes[0].examples[0].text, "worker 12 failed", 16) == 0);
	ck_assert(memcmp(t->causes[0].examples[1].text, "disk gone", 9) == 0);
	ck_assert_int_eq(t->first, 50 * TSTAMP_US_PER_SEC);
	ck_assert_int_eq(t->last, 400 * TSTAMP_US_PER_SEC);
	tally_free(t);
}
END_TEST

/* An example longer than the bound is kept cut, never overflowing. */
START_TEST(test_tally_long_example)
{
	struct tally *t = tally_new(1);
	size_t n = TALLY_EXAMPLE_MAX * 3;
	char *text = malloc(n + 1);
	struct record r;

	memset(text, 'q', n);
	text[n] = '\0';
	rec(&r, text, 1);
	tally_add(t, 0, &r);
	ck_assert_uint_eq(t->causes[0].examples[0].len, TALLY_EXAMPLE_MAX);
	tally_free(t);
	free(text);
}
END_TEST

static char *render(const struct report *rep, unsigned width)
{
	struct report_options o = { width, false };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_int_eq(report_text(f, rep, &o), 0);
	fclose(f);
	return buf;
}

START_TEST(test_rank_and_text)
{
	struct ruleset rs;
	struct tally *t;
	struct input_summary in = { "error.log", CODEC_GZIP, FMT_NGINX_ERROR, 1000, 4000, 9, false, false };
	struct report rep;
	struct record r;
	size_t rank[4];
	char *out;

	setenv("TZ", "UTC", 1);
	tzset();
	load(&rs);
	t = tally_new(rs.ncauses);
	rec(&r, "timeout \x1b[2J evil", 1795774502);
	for (int i = 0; i < 3; i++)
		tally_add(t, 1, &r);
	rec(&r, "db down", 1795774562);
	tally_add(t, 0, &r);
	rec(&r, "missing", 1795774562);
	tally_add(t, 3, &r);
	tally_add(t, 3, &r);
	rec(&r, "who knows", 1795774570);
	tally_add(t, MATCH_NONE, &r);
	tally_add_below(t, &r);
	tally_add_below(t, &r);

	memset(&rep, 0, sizeof rep);
	rep.rs = &rs;
	rep.tally = t;
	rep.inputs = &in;
	rep.ninputs = 1;
	rep.min_level = LEVEL_ERROR;
	ck_assert_uint_eq(report_rank(&rep, CAUSE_FAULT, rank, 4), 2);
	ck_assert_uint_eq(rank[0], 1);
	ck_assert_uint_eq(rank[1], 0);
	ck_assert_uint_eq(report_rank(&rep, CAUSE_FAULT, rank, 1), 1);
	ck_assert_uint_eq(rank[0], 1);
	ck_assert_uint_eq(report_rank(&rep, CAUSE_NOISE, rank, 4), 1);

	out = render(&rep, 80);
	ck_assert_msg(strstr(out, "Inputs   1 file, 9 lines, 3.9 KiB (1000 B compressed)\n"), "%s", out);
	ck_assert_msg(strstr(out, "Records  9, 7 at error or above\n"), "%s", out);
	ck_assert_msg(strstr(out, "Span     2026-11-27 10:15:02 to 10:16:10 UTC\n"), "%s", out);
	ck_assert_msg(strstr(out, "  1  upstream-timeout              3   75.0%  504      10:15:02    10:15:02\n"), "%s", out);
	ck_assert_msg(strstr(out, "  2  db                            1   25.0%  500      10:16:02    10:16:02\n"), "%s", out);
	ck_assert_msg(strstr(out, "Noise         not-found 2 (not causes of 5xx)\n"), "%s", out);
	ck_assert_msg(strstr(out, "Unattributed  1 of 7 records at error or above (14.3%)\n"), "%s", out);
	ck_assert_msg(strstr(out, "2. db: Database\n   1 event (25.0%), 10:16:02 to 10:16:02\n"), "%s", out);
	ck_assert_msg(strstr(out, "(1 min per mark)\n   hint: Check the db.\n            1  db down\n"
				  "              e.g. db down\n"), "%s", out);
	ck_assert_msg(strstr(out, "Unattributed, by template (what a new rule could explain):\n"
				  "            1  who knows\n"), "%s", out);
	ck_assert_msg(strstr(out, "3 events (75.0%), 10:15:02 to 10:15:02, peak 10:15 (3 in that minute)\n"), "%s", out);
	/* The escape sequence is shown, not sent to the terminal. */
	ck_assert_msg(strstr(out, "            3  timeout \\x1b[2J evil\n"), "%s", out);
	ck_assert_ptr_null(strchr(out, '\x1b'));
	free(out);
	tally_free(t);
	rules_release(&rs);
}
END_TEST

START_TEST(test_text_empty_and_width)
{
	struct ruleset rs;
	struct tally *t;
	struct report rep;
	struct record r;
	char long_line[300], *out, *line;

	load(&rs);
	t = tally_new(rs.ncauses);
	memset(&rep, 0, sizeof rep);
	rep.rs = &rs;
	rep.tally = t;
	rep.min_level = LEVEL_ERROR;
	out = render(&rep, 80);
	ck_assert_msg(strstr(out, "Nothing to analyse: the input holds no records.\n"), "%s", out);
	free(out);

	memset(long_line, 'x', sizeof long_line - 1);
	long_line[sizeof long_line - 1] = '\0';
	rec(&r, long_line, 1);
	tally_add(t, 0, &r);
	out = render(&rep, 80);
	/* Template and example lines are cut to fit 80 columns, with "...". */
	line = strstr(out, "              e.g. xxx");
	ck_assert_msg(line != NULL, "%s", out);
	ck_assert_uint_eq(strcspn(line, "\n"), 80);
	ck_assert(memcmp(line + 77, "...", 3) == 0);
	line = strstr(out, "            1  xxx");
	ck_assert_msg(line != NULL, "%s", out);
	ck_assert_uint_eq(strcspn(line, "\n"), 80);
	free(out);
	tally_free(t);
	rules_release(&rs);
}
END_TEST

Suite *tally_suite(void)
{
	Suite *s = suite_create("tally");
	TCase *tc = tcase_create("count");

	tcase_add_test(tc, test_tally_counts_and_examples);
	tcase_add_test(tc, test_tally_long_example);
	suite_add_tcase(s, tc);
	return s;
}

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("text");

	tcase_add_test(tc, test_rank_and_text);
	tcase_add_test(tc, test_text_empty_and_width);
	suite_add_tcase(s, tc);
	return s;
}
