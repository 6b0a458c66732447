/* rules: the format, and every error the loader can report. */
#include <string.h>

#include "rules.h"
#include "testutil.h"

static const char good[] =
	"# a comment\n"
	"[cause db]\n"
	"title    = Database unreachable\n"
	"kind     = fault   # trailing comment\n"
	"status   = 500 502\n"
	"priority = 800\n"
	"hint     = Check the database.\n"
	"match    = SQLSTATE\\[HY000\\] # not a comment\n"
	"example  = x SQLSTATE[HY000] y\n"
	"never    = open() failed\n"
	"\n"
	"  [ cause  not-found ]  \r\n"
	"title = Missing file\r\n"
	"kind = noise\r\n";

START_TEST(test_good)
{
	struct ruleset rs;
	struct capture cap;

	rules_init(&rs);
	capture_open(&cap);
	ck_assert_int_eq(rules_load_buffer(&rs, "good.rules", good, sizeof good - 1, &cap.dg), 0);
	ck_assert_int_eq(rules_finish(&rs, &cap.dg), 0);
	ck_assert_str_eq(capture_text(&cap), "");
	ck_assert_uint_eq(rs.ncauses, 2);
	ck_assert_str_eq(rs.causes[0].name, "db");
	ck_assert_str_eq(rs.causes[0].title, "Database unreachable");
	ck_assert_int_eq(rs.causes[0].kind, CAUSE_FAULT);
	ck_assert_int_eq(rs.causes[0].priority, 800);
	ck_assert_uint_eq(rs.causes[0].nstatus, 2);
	ck_assert_uint_eq(rs.causes[0].status[1], 502);
	ck_assert_str_eq(rs.causes[0].hint, "Check the database.");
	ck_assert_str_eq(rs.causes[1].name, "not-found");
	ck_assert_int_eq(rs.causes[1].kind, CAUSE_NOISE);
	ck_assert_uint_eq(rs.nrules, 1);
	/* A regex keeps its '#': only token keys take trailing comments. */
	ck_assert_str_eq(rs.rules[0].regex, "SQLSTATE\\[HY000\\] # not a comment");
	ck_assert_uint_eq(rs.rules[0].line, 8);
	ck_assert_uint_eq(rs.rules[0].col, 12);
	ck_assert_uint_eq(rs.nsamples, 2);
	ck_assert(!rs.samples[0].never);
	ck_assert(rs.samples[1].never);
	ck_assert_int_eq(rules_find_cause(&rs, "not-found"), 1);
	ck_assert_int_eq(rules_find_cause(&rs, "nope"), -1);
	capture_close(&cap);
	rules_release(&rs);
}
END_TEST

static const struct {
	const char *text;
	const char *error;
} bad[] = {
	{ "[cause db\n", "logcause: t.rules:1:10: missing ']' at end of section header\n" },
	{ "[causes db]\n", "logcause: t.rules:1:2: unknown section: expected '[cause NAME]'\n" },
	{ "[cause DB]\n", "logcause: t.rules:1:8: invalid character in cause name (use a-z, 0-9 and '-')\n" },
	{ "[cause ]\n", "logcause: t.rules:1:8: missing cause name\n" },
	{ "[cause db] x\n", "logcause: t.rules:1:12: unexpected text after ']'\n" },
	{ "match = x\n", "logcause: t.rules:1:1: 'match' outside a [cause NAME] section\n" },
	{ "[cause db]\nmatches = x\n", "logcause: t.rules:2:1: unknown key 'matches'\n" },
	{ "[cause db]\n  colour = x\n", "logcause: t.rules:2:3: unknown key 'colour'\n" },
	{ "[cause db]\ntitle x\n", "logcause: t.rules:2:7: expected '=' after 'title'\n" },
	{ "[cause db]\nmatch =   \n", "logcause: t.rules:2:11: empty value for 'match'\n" },
	{ "[cause db]\nkind = fatal\n", "logcause: t.rules:2:8: kind must be 'fault' or 'noise'\n" },
	{ "[cause db]\nstatus = 500 5x0\n", "logcause: t.rules:2:14: status must be HTTP status codes (100-599)\n" },
	{ "[cause db]\nstatus = 700\n", "logcause: t.rules:2:10: status must be HTTP status codes (100-599)\n" },
	{ "[cause db]\npriority = -1\n", "logcause: t.rules:2:12: priority must be a whole number from 0 to 1000\n" },
	{ "[cause db]\npriority = 1001\n", "logcause: t.rules:2:12: priority must be a whole number from 0 to 1000\n" },
	{ "[cause db]\ntitle = a\ntitle = b\n", "logcause: t.rules:3:9: duplicate 'title' for cause 'db' (metadata is given once)\n" },
	{ "[cause db]\nmatch = caf\xc3\n", "logcause: t.rules:2:12: invalid UTF-8\n" },
};

START_TEST(test_bad)
{
	struct ruleset rs;
	struct capture cap;

	rules_init(&rs);
	capture_open(&cap);
	ck_assert_int_eq(rules_load_buffer(&rs, "t.rules", bad[_i].text, strlen(bad[_i].text), &cap.dg), -1);
	ck_assert_str_eq(capture_text(&cap), bad[_i].error);
	capture_close(&cap);
	rules_release(&rs);
}
END_TEST

/* Every error of a file is reported, not just the first. */
START_TEST(test_all_errors_reported)
{
	static const char text[] = "[cause a]\nbogus = 1\nkind = x\n[cause b\n";
	struct ruleset rs;
	struct capture cap;

	rules_init(&rs);
	capture_open(&cap);
	ck_assert_int_eq(rules_load_buffer(&rs, "t.rules", text, sizeof text - 1, &cap.dg), -1);
	ck_assert_uint_eq(cap.dg.errors, 3);
	capture_close(&cap);
	rules_release(&rs);
}
END_TEST

/* The same cause in two files is one cause; metadata twice is an error. */
START_TEST(test_two_files)
{
	static const char a[] = "[cause db]\ntitle = DB\nkind = fault\nmatch = one\n";
	static const char b[] = "[cause db]\nmatch = two\n";
	static const char c[] = "[cause db]\nkind = noise\n";
	struct ruleset rs;
	struct capture cap;

	rules_init(&rs);
	capture_open(&cap);
	ck_assert_int_eq(rules_load_buffer(&rs, "a.rules", a, sizeof a - 1, &cap.dg), 0);
	ck_assert_int_eq(rules_load_buffer(&rs, "b.rules", b, sizeof b - 1, &cap.dg), 0);
	ck_assert_uint_eq(rs.ncauses, 1);
	ck_assert_uint_eq(rs.nrules, 2);
	ck_assert_str_eq(rs.rules[1].file, "b.rules");
	ck_assert_int_eq(rules_load_buffer(&rs, "c.rules", c, sizeof c - 1, &cap.dg), -1);
	ck_assert_str_eq(capture_text(&cap),
			 "logcause: c.rules:2:8: duplicate 'kind' for cause 'db' (metadata is given once)\n");
	capture_close(&cap);
	rules_release(&rs);
}
END_TEST

/* A cause nobody described is most likely a misspelt name. */
START_TEST(test_finish_needs_title_and_kind)
{
	static const char a[] = "[cause db]\ntitle = DB\nkind = fault\n[cause upstrem-down]\nmatch = x\n";
	struct ruleset rs;
	struct capture cap;

	rules_init(&rs);
	capture_open(&cap);
	ck_assert_int_eq(rules_load_buffer(&rs, "a.rules", a, sizeof a - 1, &cap.dg), 0);
	ck_assert_int_eq(rules_finish(&rs, &cap.dg), -1);
	ck_assert_str_eq(capture_text(&cap),
			 "logcause: a.rules:4:1: cause 'upstrem-down' has no title (a cause needs title and kind)\n");
	capture_close(&cap);
	rules_release(&rs);
}
END_TEST

START_TEST(test_files_and_dirs)
{
	struct ruleset rs;
	struct capture cap;

	rules_init(&rs);
	capture_open(&cap);
	ck_assert_int_eq(rules_load_path(&rs, "/nonexistent/x.rules", &cap.dg), -1);
	ck_assert_str_eq(capture_text(&cap),
			 "logcause: /nonexistent/x.rules: No such file or directory\n");
	ck_assert_int_eq(rules_load_path(&rs, "src", &cap.dg), -1);
	ck_assert_ptr_nonnull(strstr(capture_text(&cap), "logcause: src: no *.rules files in directory\n"));
	ck_assert_int_eq(rules_finish(&rs, &cap.dg), -1);
	ck_assert_ptr_nonnull(strstr(capture_text(&cap), "no causes defined"));
	capture_close(&cap);
	rules_release(&rs);
}
END_TEST

Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_good);
	tcase_add_loop_test(tc, test_bad, 0, sizeof bad / sizeof bad[0]);
	tcase_add_test(tc, test_all_errors_reported);
	tcase_add_test(tc, test_two_files);
	tcase_add_test(tc, test_finish_needs_title_and_kind);
	tcase_add_test(tc, test_files_and_dirs);
	suite_add_tcase(s, tc);
	return s;
}
