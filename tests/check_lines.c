/* lines: splitting edge cases, the line bound, refills across the buffer. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "lines.h"
#include "profile.h"
#include "testutil.h"

struct split_case {
	const char *name;
	const char *input;
	size_t input_len;
	size_t max_line;
	const char *expect; /* lines joined by '|', truncated ones marked '~' */
	uint64_t truncated;
};

#define S(x) x, sizeof(x) - 1

static const struct split_case split_cases[] = {
	{ "empty", S(""), 64, "", 0 },
	{ "one", S("a\n"), 64, "a", 0 },
	{ "no final newline", S("a\nb"), 64, "a|b", 0 },
	{ "crlf", S("a\r\nb\r\n"), 64, "a|b", 0 },
	{ "lone cr kept inside", S("a\rb\n"), 64, "a\rb", 0 },
	{ "blank lines", S("\n\na\n\n"), 64, "||a|", 0 },
	{ "nul bytes", S("a\0b\nc\n"), 64, "a\0b|c", 0 },
	{ "exactly max", S("abcd\nef\n"), 4, "abcd|ef", 0 },
	{ "over max", S("abcdefgh\nij\n"), 4, "abcd~|ij", 1 },
	{ "over max at end", S("ab\nabcdefgh"), 4, "ab|abcd~", 1 },
	{ "two long", S("abcdefgh\nijklmnop\nq"), 4, "abcd~|ijkl~|q", 2 },
};

/* The input as it is, or as three zstd frames (so that lines run across
 * frames), decoded in the reading thread: then the splitter borrows the
 * ring zstd decodes into in place (decode.c). */
static int input_fd(const char *in, size_t n, bool zstd)
{
	size_t cap = ZSTD_compressBound(n) + 1024, zn = 0;
	size_t cut[4] = { 0, n / 3, 2 * n / 3, n };
	char *z;
	int fd;

	if (!zstd)
		return tmpfd_with(in, n);
	z = malloc(cap);
	ck_assert_ptr_nonnull(z);
	for (int i = 0; i < 3; i++) {
		size_t r = ZSTD_compress(z + zn, cap - zn, in + cut[i], cut[i + 1] - cut[i], 1);

		ck_assert(!ZSTD_isError(r));
		zn += r;
	}
	fd = tmpfd_with(z, zn);
	free(z);
	return fd;
}

/* A splitter over an input, with what it reads through. */
struct split {
	int fd;
	struct capture cap;
	struct decoder *d;
	struct lines *ls;
};

static void split_open(struct split *sp, const char *in, size_t n, size_t max_line, bool zstd)
{
	sp->fd = input_fd(in, n, zstd);
	capture_open(&sp->cap);
	sp->d = zstd ? decoder_open_ahead(sp->fd, "t", &sp->cap.dg, false)
		     : decoder_open(sp->fd, "t", &sp->cap.dg);
	sp->ls = lines_new(max_line);
	ck_assert(sp->d && sp->ls);
	lines_reset(sp->ls, sp->d, 0);
}

static void split_close(struct split *sp)
{
	lines_free(sp->ls);
	decoder_close(sp->d);
	capture_close(&sp->cap);
	close(sp->fd);
}

static char *split_in(const char *in, size_t n, size_t max_line, size_t *out_len,
		      uint64_t *truncated, bool zstd)
{
	struct split sp;
	struct line ln;
	size_t cap_out = n * 2 + 16, len = 0;
	char *out = malloc(cap_out);
	uint64_t expect_no = 1;
	bool first = true;

	split_open(&sp, in, n, max_line, zstd);
	while (lines_next(sp.ls, &ln) > 0) {
		ck_assert_uint_eq(ln.number, expect_no++);
		if (!first)
			out[len++] = '|';
		first = false;
		memcpy(out + len, ln.text, ln.len);
		len += ln.len;
		if (ln.truncated)
			out[len++] = '~';
	}
	*truncated = lines_truncated(sp.ls);
	ck_assert_uint_eq(lines_count(sp.ls), expect_no - 1);
	*out_len = len;
	split_close(&sp);
	return out;
}

static char *split_all(const char *in, size_t n, size_t max_line, size_t *out_len,
		       uint64_t *truncated)
{
	return split_in(in, n, max_line, out_len, truncated, false);
}

START_TEST(test_split)
{
	const struct split_case *c = &split_cases[_i];
	size_t len, expect_len = strlen(c->expect);
	uint64_t truncated;
	char *out;

	/* "nul bytes" has a NUL in its expectation: compare by length. */
	if (strcmp(c->name, "nul bytes") == 0)
		expect_len = 5;
	out = split_all(c->input, c->input_len, c->max_line, &len, &truncated);
	ck_assert_msg(len == expect_len && memcmp(out, c->expect, len) == 0, "case '%s': got '%.*s'",
		      c->name, (int)len, out);
	ck_assert_uint_eq(truncated, c->truncated);
	free(out);
}
END_TEST

/* Megabytes of lines cross every refill and slide (plain), or every lend
 * and turn of the ring (zstd); none may be lost or cut. */
START_TEST(test_many_refills)
{
	bool zstd = _i == 1;
	size_t n = 0, cap = 5u << 20, len;
	char *in = malloc(cap);
	uint64_t truncated;
	char *out;
	unsigned count = 0;

	while (n + 100 < cap) {
		n += (size_t)snprintf(in + n, cap - n, "line %u %.*s\n", count, (int)(count % 80),
				      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		count++;
	}
	out = split_in(in, n, LINES_DEFAULT_MAX, &len, &truncated, zstd);
	ck_assert_uint_eq(truncated, 0);
	/* Lines joined by '|' are the input with '\n' replaced, minus the last. */
	ck_assert_uint_eq(len, n - 1);
	for (size_t i = 0; i < len; i++)
		ck_assert(out[i] == (in[i] == '\n' ? '|' : in[i]));
	free(in);
	free(out);
}
END_TEST

/* A line of 3 MiB with the default bound: its first 1 MiB, flagged, and the
 * next line intact. */
START_TEST(test_huge_line)
{
	size_t n = (3u << 20) + 10, len;
	char *in = malloc(n);
	uint64_t truncated;
	char *out;

	memset(in, 'z', n);
	in[3u << 20] = '\n';
	memcpy(in + (3u << 20) + 1, "next line", 9);
	out = split_all(in, n, LINES_DEFAULT_MAX, &len, &truncated);
	ck_assert_uint_eq(truncated, 1);
	ck_assert_uint_eq(len, LINES_DEFAULT_MAX + 2 + 9);
	ck_assert(memcmp(out + LINES_DEFAULT_MAX, "~|next line", 11) == 0);
	free(in);
	free(out);
}
END_TEST

/* Each line stays as it was while the next is read, across refills, the
 * changes of buffer and a 7 MiB line skipped over several reads: the group
 * hands a record out as its line after reading the next. */
START_TEST(test_line_outlives_next)
{
	bool zstd = _i == 1;
	size_t cap = 12u << 20, n = 0, prev_len = 0;
	char *in = malloc(cap), *prev = malloc(LINES_DEFAULT_MAX);
	const char *prev_at = NULL;
	struct split sp;
	struct line ln;
	unsigned count = 0;

	ck_assert(in && prev);
	while (n + (7u << 20) + 200 < cap) {
		if (count == 30000) {
			/* Bytes that differ from read to read, so that
			 * reading over the line would show. */
			for (size_t k = 0; k < 7u << 20; k++)
				in[n + k] = (char)('a' + (k * 7 + k / 4096) % 26);
			n += 7u << 20;
			in[n++] = '\n';
		}
		n += (size_t)snprintf(in + n, cap - n, "line %u %.*s\n", count, (int)(count % 97),
				      "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
		count++;
	}
	split_open(&sp, in, n, LINES_DEFAULT_MAX, zstd);
	while (lines_next(sp.ls, &ln) > 0) {
		if (prev_at)
			ck_assert_msg(memcmp(prev_at, prev, prev_len) == 0,
				      "line %llu changed while the next was read",
				      (unsigned long long)ln.number - 1);
		memcpy(prev, ln.text, ln.len);
		prev_len = ln.len;
		prev_at = ln.text;
	}
	ck_assert_uint_eq(lines_truncated(sp.ls), 1);
	split_close(&sp);
	free(in);
	free(prev);
}
END_TEST

/* A line that runs across two of the decoder's blocks (gathered apart),
 * then one over the bound: the first stays as it was while the second is
 * cut and skipped. */
START_TEST(test_gathered_then_huge)
{
	bool zstd = _i == 1;
	size_t n = 0, cap = 4u << 20;
	char *in = malloc(cap);
	struct split sp;
	struct line ln;
	const char *across = NULL;
	char want[300];

	ck_assert(in);
	while (n < (128u << 10) - 150)
		n += (size_t)snprintf(in + n, cap - n, "%099zu\n", n);
	memset(want, 'g', sizeof want);
	memcpy(in + n, want, sizeof want);
	n += sizeof want;
	in[n++] = '\n';
	memset(in + n, 'h', 2u << 20);
	n += 2u << 20;
	n += (size_t)snprintf(in + n, cap - n, "\nafter\n");
	split_open(&sp, in, n, LINES_DEFAULT_MAX, zstd);
	while (lines_next(sp.ls, &ln) > 0) {
		if (ln.len == sizeof want && ln.text[0] == 'g') {
			across = ln.text;
			ck_assert_int_eq(lines_next(sp.ls, &ln), 1);
			ck_assert(ln.truncated);
			ck_assert(memcmp(across, want, sizeof want) == 0);
		}
	}
	ck_assert_ptr_nonnull(across);
	ck_assert_uint_eq(lines_truncated(sp.ls), 1);
	split_close(&sp);
	free(in);
}
END_TEST

/* A damaged input: the lines before the damage, then -1 once, then 0. */
START_TEST(test_damaged_input)
{
	static const unsigned char gz_cut[] = { 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00,
						0x00, 0x00, 0x03, 0x4b, 0xe4, 0x4a };
	int fd = tmpfd_with(gz_cut, sizeof gz_cut);
	struct capture cap;
	struct decoder *d;
	struct lines *ls = lines_new(64);
	struct line ln;

	capture_open(&cap);
	d = decoder_open(fd, "cut.gz", &cap.dg);
	lines_reset(ls, d, 0);
	ck_assert_int_eq(lines_next(ls, &ln), 1);
	ck_assert_uint_eq(ln.len, 1);
	ck_assert_int_eq(ln.text[0], 'a');
	int rc;

	while ((rc = lines_next(ls, &ln)) > 0)
		;
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(lines_next(ls, &ln), 0);
	ck_assert_ptr_nonnull(strstr(capture_text(&cap), "cut.gz: truncated gzip stream at byte 13"));
	lines_free(ls);
	decoder_close(d);
	capture_close(&cap);
	close(fd);
}
END_TEST

/* --stats: reading is charged to its own phase by lines, the phases add up
 * to the wall time, and the summary names every phase and the totals. */
START_TEST(test_profile)
{
	static const char text[] = "one\ntwo\nthree\n";
	struct lines *ls = lines_new(64);
	int fd = tmpfd_with(text, sizeof text - 1);
	struct diag dg;
	struct decoder *d;
	struct line ln;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	int n = 0;

	ck_assert_ptr_nonnull(f);
	profile_print(f, 0, 0); /* off: says nothing */
	fflush(f);
	ck_assert_uint_eq(outlen, 0);
	profile_start();
	diag_init(&dg, stderr);
	d = decoder_open(fd, "t.log", &dg);
	lines_reset(ls, d, 0);
	profile_phase(PROF_LINES);
	while (lines_next(ls, &ln) > 0) {
		profile_phase(PROF_MATCH);
		n++;
		profile_phase(PROF_LINES);
	}
	profile_phase(PROF_REPORT);
	ck_assert_int_eq(n, 3);
	profile_print(f, 3, sizeof text - 1);
	fclose(f);
	for (const char *w = "start-up\0read / decoder wait\0line splitting\0record parsing\0"
			     "matching\0tallying\0report\0wall\0"
			     "3 lines\0peak RSS\0";
	     *w; w += strlen(w) + 1)
		ck_assert_msg(strstr(out, w), "no '%s' in:\n%s", w, out);
	free(out);
	decoder_close(d);
	lines_free(ls);
	close(fd);
	profile_on = false;
}
END_TEST

Suite *lines_suite(void)
{
	Suite *s = suite_create("lines");
	TCase *tc = tcase_create("split");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_split, 0, sizeof split_cases / sizeof split_cases[0]);
	tcase_add_loop_test(tc, test_many_refills, 0, 2);
	tcase_add_test(tc, test_huge_line);
	tcase_add_loop_test(tc, test_line_outlives_next, 0, 2);
	tcase_add_loop_test(tc, test_gathered_then_huge, 0, 2);
	tcase_add_test(tc, test_damaged_input);
	tcase_add_test(tc, test_profile);
	suite_add_tcase(s, tc);
	return s;
}
