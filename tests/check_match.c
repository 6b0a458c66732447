/* match: priority resolution, load-order ties, regex errors, limits. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "testutil.h"

static void load(struct ruleset *rs, const char *text, struct capture *cap)
{
	rules_init(rs);
	ck_assert_int_eq(rules_load_buffer(rs, "m.rules", text, strlen(text), &cap->dg), 0);
	ck_assert_int_eq(rules_finish(rs, &cap->dg), 0);
}

static long attribute(struct matcher *m, const char *msg)
{
	return matcher_attribute(m, msg, strlen(msg));
}

static const char set[] =
	"[cause app-error]\ntitle = App\nkind = fault\npriority = 200\nmatch = Uncaught\n"
	"[cause db]\ntitle = DB\nkind = fault\npriority = 800\nmatch = SQLSTATE\n"
	"[cause memory]\ntitle = Mem\nkind = fault\npriority = 900\nmatch = (?i)allowed memory size\n"
	"[cause tie-a]\ntitle = A\nkind = fault\npriority = 50\nmatch = tie\n"
	"[cause tie-b]\ntitle = B\nkind = fault\npriority = 50\nmatch = tie\n";

START_TEST(test_priority)
{
	struct ruleset rs;
	struct capture cap;
	struct matcher *m;

	capture_open(&cap);
	load(&rs, set, &cap);
	m = matcher_new(&rs, &cap.dg);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(attribute(m, "Uncaught Error: x"), 0);
	/* The specific root cause beats the symptom that carries it. */
	ck_assert_int_eq(attribute(m, "Uncaught PDOException: SQLSTATE[HY000] [2002]"), 1);
	ck_assert_int_eq(attribute(m, "SQLSTATE ... Allowed memory size of 1 bytes"), 2);
	/* Equal priority: the cause loaded first. */
	ck_assert_int_eq(attribute(m, "a tie"), 3);
	ck_assert_int_eq(attribute(m, "nothing here"), MATCH_NONE);
	/* Bytes, not strings: a NUL does not end the message. */
	ck_assert_int_eq(matcher_attribute(m, "x\0SQLSTATE", 10), 1);
	ck_assert_uint_eq(matcher_rule_hits(m, 1), 2);
	ck_assert(matcher_rule_matches(m, 0, "Uncaught", 8));
	ck_assert(!matcher_rule_matches(m, 0, "caught", 6));
	matcher_free(m);
	rules_release(&rs);
	capture_close(&cap);
}
END_TEST

START_TEST(test_bad_regex)
{
	static const char text[] = "[cause x]\ntitle = X\nkind = fault\nmatch  = ok\nmatch  = ab(c\n"
				   "match = [z-a]\n";
	struct ruleset rs;
	struct capture cap;

	capture_open(&cap);
	load(&rs, text, &cap);
	ck_assert_ptr_null(matcher_new(&rs, &cap.dg));
	ck_assert_str_eq(capture_text(&cap),
			 "logcause: m.rules:5:14: bad regex: missing closing parenthesis\n"
			 "logcause: m.rules:6:12: bad regex: range out of order in character class\n");
	rules_release(&rs);
	capture_close(&cap);
}
END_TEST

/* (a+)+$ on a long line of a's followed by b backtracks forever without a
 * limit; with one it gives up, is counted, and the record is unattributed. */
START_TEST(test_catastrophic_rule)
{
	static const char text[] = "[cause slow]\ntitle = S\nkind = fault\nmatch = (a+)+$\n";
	struct ruleset rs;
	struct capture cap;
	struct matcher *m;
	size_t n = 100000;
	char *line = malloc(n + 1);

	memset(line, 'a', n);
	line[n] = 'b';
	capture_open(&cap);
	load(&rs, text, &cap);
	m = matcher_new(&rs, &cap.dg);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(matcher_attribute(m, line, n + 1), MATCH_NONE);
	ck_assert_uint_eq(matcher_limit_hits(m), 1);
	matcher_free(m);
	rules_release(&rs);
	capture_close(&cap);
	free(line);
}
END_TEST

/* A twin gives its owner's answers from another thread, and its counts
 * (rule hits, limit hits) join the owner's when it is done. */
static void *attribute_in_thread(void *arg)
{
	struct matcher *twin = arg;
	size_t n = 100000;
	char *line = malloc(n + 1);

	ck_assert_int_eq(attribute(twin, "Uncaught PDOException: SQLSTATE[HY000]"), 1);
	ck_assert_int_eq(attribute(twin, "a tie"), 3);
	memset(line, 'a', n);
	line[n] = 'b';
	ck_assert_int_eq(matcher_attribute(twin, line, n + 1), MATCH_NONE);
	free(line);
	return NULL;
}

START_TEST(test_twin)
{
	static const char text[] = "[cause app-error]\ntitle = App\nkind = fault\npriority = 200\n"
				   "match = Uncaught\n"
				   "[cause db]\ntitle = DB\nkind = fault\npriority = 800\nmatch = SQLSTATE\n"
				   "[cause slow]\ntitle = S\nkind = fault\nmatch = (a+)+$\n"
				   "[cause tie]\ntitle = T\nkind = fault\npriority = 50\nmatch = tie\n";
	struct ruleset rs;
	struct capture cap;
	struct matcher *m, *twin;
	pthread_t th;

	capture_open(&cap);
	load(&rs, text, &cap);
	m = matcher_new(&rs, &cap.dg);
	ck_assert_ptr_nonnull(m);
	twin = matcher_twin(m);
	ck_assert_ptr_nonnull(twin);
	ck_assert_int_eq(pthread_create(&th, NULL, attribute_in_thread, twin), 0);
	ck_assert_int_eq(attribute(m, "SQLSTATE[08006]"), 1);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_uint_eq(matcher_rule_hits(m, 1), 1);
	ck_assert_uint_eq(matcher_rule_hits(twin, 1), 1);
	ck_assert_uint_eq(matcher_limit_hits(twin), 1);
	matcher_twin_done(m, twin);
	ck_assert_uint_eq(matcher_rule_hits(m, 1), 2);
	ck_assert_uint_eq(matcher_rule_hits(m, 3), 1);
	ck_assert_uint_eq(matcher_rule_hits(m, 0), 0);
	ck_assert_uint_eq(matcher_limit_hits(m), 1);
	matcher_free(m);
	rules_release(&rs);
	capture_close(&cap);
}
END_TEST

/* LOGCAUSE_NO_PREFILTER and LOGCAUSE_NO_JIT take the speed paths out of
 * matcher_attribute() itself: every line of the labeled logs gets the same
 * cause, and every rule the same hit count, as with them in. */
START_TEST(test_switches_change_nothing)
{
	struct ruleset rs;
	struct capture cap;
	struct matcher *fast, *slow;
	char *text, *line, *save = NULL;
	size_t lines = 0;

	capture_open(&cap);
	rules_init(&rs);
	ck_assert_int_eq(rules_load_path(&rs, "patterns", &cap.dg), 0);
	ck_assert_int_eq(rules_finish(&rs, &cap.dg), 0);
	unsetenv("LOGCAUSE_NO_PREFILTER");
	unsetenv("LOGCAUSE_NO_JIT");
	fast = matcher_new(&rs, &cap.dg);
	setenv("LOGCAUSE_NO_PREFILTER", "1", 1);
	setenv("LOGCAUSE_NO_JIT", "1", 1);
	slow = matcher_new(&rs, &cap.dg);
	unsetenv("LOGCAUSE_NO_PREFILTER");
	unsetenv("LOGCAUSE_NO_JIT");
	ck_assert(fast && slow);
	text = slurp("testdata/labeled/nginx-error.tsv", NULL);
	ck_assert_ptr_nonnull(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		ck_assert_int_eq(attribute(fast, line), attribute(slow, line));
		lines++;
	}
	ck_assert_uint_gt(lines, 50);
	for (size_t i = 0; i < rs.nrules; i++)
		ck_assert_uint_eq(matcher_rule_hits(fast, i), matcher_rule_hits(slow, i));
	free(text);
	matcher_free(fast);
	matcher_free(slow);
	rules_release(&rs);
	capture_close(&cap);
}
END_TEST

Suite *match_suite(void)
{
	Suite *s = suite_create("match");
	TCase *tc = tcase_create("attribute");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_priority);
	tcase_add_test(tc, test_bad_regex);
	tcase_add_test(tc, test_catastrophic_rule);
	tcase_add_test(tc, test_twin);
	tcase_add_test(tc, test_switches_change_nothing);
	suite_add_tcase(s, tc);
	return s;
}
