/* prefilter: required literals, and the filter never losing a match. */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "prefilter.h"
#include "record.h"
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

/* The default catalogue, its messages captured. */
static void load_catalogue(struct ruleset *rs, struct capture *cap)
{
	capture_open(cap);
	rules_init(rs);
	ck_assert_int_eq(rules_load_path(rs, "patterns", &cap->dg), 0);
	ck_assert_int_eq(rules_finish(rs, &cap->dg), 0);
}

/* A matcher on PCRE2's interpreter: the reference the speed paths are
 * held to. */
static struct matcher *interpreter(const struct ruleset *rs, struct diag *dg)
{
	struct matcher *m;

	setenv("LOGCAUSE_NO_JIT", "1", 1);
	m = matcher_new(rs, dg);
	unsetenv("LOGCAUSE_NO_JIT");
	ck_assert_ptr_nonnull(m);
	return m;
}

/* The text of a test log, NULL for a compressed one or a folder. */
static char *test_log(const char *path, size_t *len)
{
	const char *dot = strrchr(path, '.');

	if (dot && (!strcmp(dot, ".gz") || !strcmp(dot, ".zst") || !strcmp(dot, ".xz") ||
		    !strcmp(dot, ".bz2")))
		return NULL;
	return slurp(path, len);
}

/* Every line of the test logs and every rule example gets the same cause
 * with and without the prefilter, under the default catalogue. */
START_TEST(test_fast_equals_plain)
{
	static const char *const files[] = { "testdata/nginx/error.log", "tests/cli/test.rules" };
	struct ruleset rs;
	struct capture cap;
	struct matcher *m;
	size_t checked = 0;

	load_catalogue(&rs, &cap);
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

/* Whether the folded literal lit occurs in text[0..n), case folded as the
 * filter folds: the slow reference for the scan. */
static bool occurs(const char *text, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	for (size_t i = 0; i + l <= n; i++) {
		size_t k = 0;

		while (k < l && (unsigned char)(text[i + k] | 0x20) == (unsigned char)lit[k])
			k++;
		if (k == l)
			return true;
	}
	return false;
}

/* The scan skips positions; it must still find every literal wherever it
 * falls: at odd and even offsets, at the start and the end, in any case,
 * next to anything.  Messages are the catalogue's literals dropped into
 * random bytes, and the candidates are checked against a byte-by-byte
 * search. */
START_TEST(test_scan_finds_every_literal)
{
	struct ruleset rs;
	struct capture cap;
	const char **regexes;
	struct prefilter_lits *lits;
	struct prefilter *pf;
	uint64_t cand[64];
	unsigned seed = 12345;

	load_catalogue(&rs, &cap);
	regexes = malloc(rs.nrules * sizeof *regexes);
	lits = malloc(rs.nrules * sizeof *lits);
	ck_assert(regexes && lits);
	for (size_t i = 0; i < rs.nrules; i++) {
		regexes[i] = rs.rules[i].regex;
		prefilter_required(regexes[i], &lits[i]);
	}
	pf = prefilter_new(regexes, rs.nrules);
	ck_assert_ptr_nonnull(pf);
	ck_assert_uint_le(prefilter_words(pf), 64);
	for (int round = 0; round < 20000; round++) {
		char msg[160];
		size_t n = 0, want = (size_t)(round % 150) + 1;

		while (n < want) {
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 4 == 0) {
				size_t r = (seed >> 8) % rs.nrules;
				const struct prefilter_lits *l = &lits[r];

				if (l->n == 0)
					continue;
				const char *lit = l->lit[(seed >> 4) % l->n];
				for (size_t k = 0; lit[k] && n < sizeof msg; k++) {
					char c = lit[k];

					/* Upper-case a letter now and then. */
					if (c >= 'a' && c <= 'z' && (seed >> (k % 16)) % 3 == 0)
						c = (char)(c - 32);
					msg[n++] = c;
				}
			} else {
				msg[n++] = (char)(seed >> 20);
			}
		}
		memset(cand, 0, sizeof cand);
		prefilter_scan(pf, msg, n, cand);
		for (size_t r = 0; r < rs.nrules; r++) {
			bool found = lits[r].n == 0;

			for (size_t j = 0; j < lits[r].n && !found; j++)
				found = strlen(lits[r].lit[j]) < 4 || occurs(msg, n, lits[r].lit[j]);
			if (found)
				ck_assert_msg(cand[r / 64] & (UINT64_C(1) << (r % 64)),
					      "rule %zu (%s) missed in round %d", r, regexes[r], round);
		}
	}
	prefilter_free(pf);
	free(regexes);
	free(lits);
	rules_release(&rs);
	capture_close(&cap);
}
END_TEST

/* Attribution must not depend on the speed path: the prefilter with JIT
 * code and every rule in rank order with PCRE2's interpreter
 * (LOGCAUSE_NO_JIT) give every record of every test log the same cause,
 * whole lines and parsed messages alike. */
START_TEST(test_fast_equals_interpreter)
{
	struct ruleset rs;
	struct capture cap;
	struct matcher *fast, *ref;
	struct record_parser parser;
	struct tzone zone;
	glob_t g;
	size_t checked = 0, attributed = 0;

	load_catalogue(&rs, &cap);
	fast = matcher_new(&rs, &cap.dg);
	ck_assert_ptr_nonnull(fast);
	ref = interpreter(&rs, &cap.dg);
	tzone_init_fixed(&zone, 0);
	ck_assert_int_eq(glob("testdata/*/*", 0, NULL, &g), 0);
	for (size_t f = 0; f < g.gl_pathc; f++) {
		const char *path = g.gl_pathv[f];
		size_t len;
		char *text = test_log(path, &len);

		if (!text)
			continue;
		record_parser_init(&parser, FMT_COUNT, &zone);
		for (size_t at = 0, no = 1; at < len; no++) {
			const char *nl = memchr(text + at, '\n', len - at);
			size_t n = nl ? (size_t)(nl - text - at) : len - at;
			struct record r;
			long got;

			record_parse(&parser, text + at, n, no, false, &r);
			got = matcher_attribute(fast, r.msg, r.msg_len);
			ck_assert_msg(got == matcher_attribute_plain(ref, r.msg, r.msg_len),
				      "%s:%zu: cause differs", path, no);
			ck_assert_int_eq(matcher_attribute(fast, text + at, n),
					 matcher_attribute_plain(ref, text + at, n));
			attributed += got != MATCH_NONE;
			checked++;
			at += n + 1;
		}
		record_parser_release(&parser);
		free(text);
	}
	globfree(&g);
	ck_assert_uint_gt(checked, 1000);
	ck_assert_uint_gt(attributed, 100);
	matcher_free(fast);
	matcher_free(ref);
	rules_release(&rs);
	capture_close(&cap);
}
END_TEST

/* matcher_attribute_split() keeps what a message's first part decides:
 * with the split a record gives and with arbitrary ones, on a first sight
 * (matched plainly), a second (cached) and a third (from the cache), every line of the test logs and every rule example gets
 * the interpreter's cause, and every rule the same hit count as
 * matcher_attribute() gives it. */
static void split_equals_plain(struct matcher *split, struct matcher *whole, struct matcher *ref,
			       const char *msg, size_t len, size_t at, const char *where)
{
	long want = matcher_attribute_plain(ref, msg, len);

	for (int round = 0; round < 3; round++) {
		ck_assert_msg(matcher_attribute_split(split, msg, len, at) == want,
			      "%s: split at %zu of %zu differs (round %d)", where, at, len, round);
		ck_assert_int_eq(matcher_attribute(whole, msg, len), want);
	}
}

START_TEST(test_split_equals_plain)
{
	struct ruleset rs;
	struct capture cap;
	struct matcher *split, *whole, *ref;
	struct record_parser parser;
	struct tzone zone;
	glob_t g;
	size_t checked = 0;

	load_catalogue(&rs, &cap);
	split = matcher_new(&rs, &cap.dg);
	whole = matcher_new(&rs, &cap.dg);
	ck_assert(split && whole);
	ref = interpreter(&rs, &cap.dg);
	tzone_init_fixed(&zone, 0);
	ck_assert_int_eq(glob("testdata/*/*", 0, NULL, &g), 0);
	for (size_t f = 0; f <= g.gl_pathc; f++) {
		size_t len = 0;
		char *text = NULL;

		if (f < g.gl_pathc) {
			if (!(text = test_log(g.gl_pathv[f], &len)))
				continue;
		} else {
			/* Last, the rules' own examples, one a line. */
			for (size_t i = 0; i < rs.nsamples; i++)
				len += strlen(rs.samples[i].text) + 1;
			text = malloc(len + 1);
			ck_assert_ptr_nonnull(text);
			len = 0;
			for (size_t i = 0; i < rs.nsamples; i++)
				len += (size_t)sprintf(text + len, "%s\n", rs.samples[i].text);
		}
		record_parser_init(&parser, FMT_COUNT, &zone);
		for (size_t at = 0; at < len;) {
			const char *nl = memchr(text + at, '\n', len - at);
			size_t n = nl ? (size_t)(nl - text - at) : len - at, view, cut;
			const size_t some[] = { 1, 4, 9, 17 };
			struct record r;

			record_parse(&parser, text + at, n, 1, false, &r);
			view = record_match_view(&r, &cut);
			split_equals_plain(split, whole, ref, r.msg, view, cut, "record split");
			for (size_t k = 0; k < sizeof some / sizeof some[0]; k++) {
				split_equals_plain(split, whole, ref, r.msg, view, view / some[k], "part");
				if (view > some[k])
					split_equals_plain(split, whole, ref, r.msg, view, view - some[k],
							   "near the end");
			}
			checked++;
			at += n + 1;
		}
		record_parser_release(&parser);
		free(text);
	}
	globfree(&g);
	ck_assert_uint_gt(checked, 1500);
	for (size_t i = 0; i < rs.nrules; i++)
		ck_assert_msg(matcher_rule_hits(split, i) == matcher_rule_hits(whole, i),
			      "rule %zu: %lu hits split, %lu whole", i,
			      (unsigned long)matcher_rule_hits(split, i),
			      (unsigned long)matcher_rule_hits(whole, i));
	matcher_free(split);
	matcher_free(whole);
	matcher_free(ref);
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
	tcase_add_test(tc, test_scan_finds_every_literal);
	tcase_add_test(tc, test_fast_equals_interpreter);
	tcase_add_test(tc, test_split_equals_plain);
	suite_add_tcase(s, tc);
	return s;
}
