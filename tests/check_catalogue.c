/*
 * The default catalogue measured on testdata/labeled/: records written in
 * the words real servers use, each with the cause a person gave it (or
 * "unknown").  Precision: of the records attributed, how many to the right
 * cause.  Coverage: of the records that have a cause, how many are
 * attributed.  The suite prints both per cause and every miss, and fails
 * below 98% precision or 95% coverage overall.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "record.h"
#include "testutil.h"

#define LABELED_DIR "testdata/labeled"

struct score {
	unsigned labeled;    /* records labeled with this cause */
	unsigned attributed; /* records the catalogue gave this cause */
	unsigned right;      /* both */
};

static long cause_of(const struct ruleset *rs, struct matcher *m, const char *line)
{
	struct record_parser p;
	struct record r;
	struct tzone z;

	tzone_init_fixed(&z, 0);
	record_parser_init(&p, FMT_COUNT, &z);
	record_parse(&p, line, strlen(line), 1, false, &r);
	(void)rs;
	{
		long c = matcher_attribute(m, r.msg, record_match_len(&r));

		record_parser_release(&p);
		return c;
	}
}

static void score_file(const char *path, const struct ruleset *rs, struct matcher *m,
		       struct score *per, struct score *unknown, unsigned *covered,
		       unsigned *misses)
{
	char *text = slurp(path, NULL), *save = NULL;

	ck_assert_msg(text != NULL, "cannot read %s", path);
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');
		long want, got;

		if (line[0] == '#' || line[0] == '\0')
			continue;
		ck_assert_msg(tab != NULL, "%s: line without a tab: %.60s", path, line);
		*tab = '\0';
		want = strcmp(line, "unknown") == 0 ? MATCH_NONE : rules_find_cause(rs, line);
		ck_assert_msg(want != MATCH_NONE || strcmp(line, "unknown") == 0,
			      "%s: unknown cause '%s'", path, line);
		got = cause_of(rs, m, tab + 1);
		if (want == MATCH_NONE)
			unknown->labeled++;
		else
			per[want].labeled++;
		if (got != MATCH_NONE)
			per[got].attributed++;
		else
			unknown->attributed++;
		if (got != MATCH_NONE && want != MATCH_NONE)
			(*covered)++;
		if (got == want) {
			if (want != MATCH_NONE)
				per[want].right++;
			continue;
		}
		(*misses)++;
		printf("  miss %s: want %s, got %s: %.140s\n", path + sizeof LABELED_DIR,
		       want == MATCH_NONE ? "unknown" : rs->causes[want].name,
		       got == MATCH_NONE ? "unknown" : rs->causes[got].name, tab + 1);
	}
	free(text);
}

static double pct(unsigned a, unsigned b)
{
	return b ? 100.0 * a / b : 100.0;
}

START_TEST(test_labeled_precision_and_coverage)
{
	struct ruleset rs;
	struct capture cap;
	struct matcher *m;
	struct score *per, unknown = { 0, 0, 0 };
	unsigned misses = 0, files = 0, labeled = 0, attributed = 0, right = 0, covered = 0;
	DIR *dir;
	struct dirent *de;

	capture_open(&cap);
	rules_init(&rs);
	ck_assert_int_eq(rules_load_path(&rs, "patterns", &cap.dg), 0);
	ck_assert_int_eq(rules_finish(&rs, &cap.dg), 0);
	m = matcher_new(&rs, &cap.dg);
	ck_assert_ptr_nonnull(m);
	per = calloc(rs.ncauses, sizeof *per);
	dir = opendir(LABELED_DIR);
	ck_assert_ptr_nonnull(dir);
	while ((de = readdir(dir)) != NULL) {
		char path[512];
		size_t n = strlen(de->d_name);

		if (n < 5 || strcmp(de->d_name + n - 4, ".tsv") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", LABELED_DIR, de->d_name);
		score_file(path, &rs, m, per, &unknown, &covered, &misses);
		files++;
	}
	closedir(dir);
	printf("  %-18s %8s %10s %6s %9s %8s\n", "cause", "labeled", "attributed", "right",
	       "precision", "coverage");
	for (size_t i = 0; i < rs.ncauses; i++) {
		printf("  %-18s %8u %10u %6u %8.1f%% %7.1f%%\n", rs.causes[i].name, per[i].labeled,
		       per[i].attributed, per[i].right, pct(per[i].right, per[i].attributed),
		       pct(per[i].right, per[i].labeled));
		labeled += per[i].labeled;
		attributed += per[i].attributed;
		right += per[i].right;
	}
	printf("  %-18s %8u %10u\n", "unknown", unknown.labeled, unknown.attributed);
	printf("  overall: %u records in %u files, precision %.1f%%, coverage %.1f%%, %u misses\n",
	       labeled + unknown.labeled, files, pct(right, attributed), pct(covered, labeled), misses);
	ck_assert_uint_ge(labeled + unknown.labeled, 400);
	ck_assert_msg(pct(right, attributed) >= 98.0, "precision %.1f%% < 98%%", pct(right, attributed));
	/* Coverage counts a record attributed at all; a wrong cause is
	 * already charged to precision. */
	ck_assert_msg(pct(covered, labeled) >= 95.0, "coverage %.1f%% < 95%%", pct(covered, labeled));
	free(per);
	matcher_free(m);
	rules_release(&rs);
	capture_close(&cap);
}
END_TEST

Suite *catalogue_suite(void)
{
	Suite *s = suite_create("catalogue");
	TCase *tc = tcase_create("labeled");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_labeled_precision_and_coverage);
	suite_add_tcase(s, tc);
	return s;
}
