/* prefilter: required literals, and the filter never losing a match. */
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "prefilter.h"
#include "testutil.h"

static const struct {
	const char *regex;
	const char *lits; /* '|'-joined, folded; "" for none */
} cases[] = {
	{ "upstream timed out", "upstream timed out" },
	{ "SQLSTATE\\[(?:HY000|08006)\\]", "sqlstate{" }, /* the fold is lossy */
	{ "(?:HY000|08006) x", "hy000|08006" },
	{ "connect\\(\\) (?:to \\S+ )?failed \\((?:111|2): ", "connect() " },
	{ "(?i)too many connections", "too many connections" },
	{ "Allowed memory size of \\d+ bytes exhausted", "allowed memory size of " },
	{ "ab?cdef", "cdef" },
	{ "abcd+e", "abcd" },
	{ "x{2,3}yzzy", "yzzy" },
	{ "a{yzzy", "a{yzzy" },
	{ "one|two|three", "one|two|three" },
	{ "(?:zzzz)?abc", "abc" },
	{ "(?=lookahead)real", "real" },
	{ "\\x41\\x{42}CDE", "abcde" },
	{ "foo\\bbar", "foo" },
	{ "[abc]+xyzw", "xyzw" },
	{ "a|.*", "" },
	{ "(?x) spaced out", "" },
	{ "\\d+", "" },
	{ "(*MARK:x)abcd", "" },
	{ "(a)\\1abcd", "" },
};

START_TEST(test_required)
{
	struct prefilter_lits out;
	char joined[512] = "";

	prefilter_required(cases[_i].regex, &out);
	for (size_t i = 0; i < out.n; i++) {
		if (i)
			strcat(joined, "|");
		strcat(joined, out.lit[i]);
	}
	ck_assert_msg(strcmp(joined, cases[_i].lits) == 0, "%s: got '%s', want '%s'",
		      cases[_i].regex, joined, cases[_i].lits);
}
END_TEST

START_TEST(test_scan)
{
	const char *regexes[] = { "SQLSTATE\\[(?:HY000|08006)\\]", "\\d+", "Too Many Conn" };
	struct prefilter *pf = prefilter_new(regexes, 3);
	uint64_t cand[1];

	ck_assert_uint_eq(prefilter_unfiltered(pf), 1);
	cand[0] = 0;
	prefilter_scan(pf, "x sqlstate[HY000] y", 19, cand);
	ck_assert_uint_eq(cand[0], 3);
	cand[0] = 0;
	prefilter_scan(pf, "xx too many connections", 23, cand);
	ck_assert_uint_eq(cand[0], 6);
	cand[0] = 0;
	prefilter_scan(pf, "abc", 3, cand);
	ck_assert_uint_eq(cand[0], 2);
	/* The literal at the very end and the very start of the message. */
	cand[0] = 0;
	prefilter_scan(pf, "too many conn", 13, cand);
	ck_assert_uint_eq(cand[0], 6);
	prefilter_free(pf);
}
END_TEST

/* Every line of the test logs and every rule example gets the same cause
 * with and without the prefilter, under the default catalogue. */
START_TEST(test_fast_equals_plain)
{
	static const char *const files[] = { "testdata/nginx/error.log", "tests/cli/test.rules" };
	struct ruleset rs;
	struct capture cap;
	struct matcher *m;
	size_t checked = 0;

	capture_open(&cap);
	rules_init(&rs);
	ck_assert_int_eq(rules_load_path(&rs, "patterns", &cap.dg), 0);
	ck_assert_int_eq(rules_finish(&rs, &cap.dg), 0);
	m = matcher_new(&rs, &cap.dg);
	ck_assert_ptr_nonnull(m);
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		char *text = slurp(files[f], NULL), *line, *save = NULL;

		ck_assert_ptr_nonnull(text);
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			size_t n = strlen(line);

			ck_assert_int_eq(matcher_attribute(m, line, n), matcher_attribute_plain(m, line, n));
			checked++;
		}
		free(text);
	}
	for (size_t i = 0; i < rs.nsamples; i++) {
		const char *t = rs.samples[i].text;

		ck_assert_int_eq(matcher_attribute(m, t, strlen(t)), matcher_attribute_plain(m, t, strlen(t)));
		checked++;
	}
	ck_assert_uint_gt(checked, 50);
	matcher_free(m);
	rules_release(&rs);
	capture_close(&cap);
}
END_TEST

Suite *prefilter_suite(void)
{
	Suite *s = suite_create("prefilter");
	TCase *tc = tcase_create("literals");

	tcase_add_loop_test(tc, test_required, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, test_scan);
	tcase_add_test(tc, test_fast_equals_plain);
	suite_add_tcase(s, tc);
	return s;
}
