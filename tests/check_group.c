/* group: which lines continue an event, and the bounds on joining. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "group.h"
#include "testutil.h"

struct got {
	size_t n;
	char text[8][512];
	uint64_t line[8];
	bool truncated[8];
	struct record last;
};

static void collect(struct got *g, const struct record *r)
{
	if (g->n < 8) {
		snprintf(g->text[g->n], sizeof g->text[0], "%.*s", (int)r->len, r->text);
		g->line[g->n] = r->line;
		g->truncated[g->n] = r->truncated;
	}
	g->n++;
	g->last = *r;
}

static void group_text(const char *in, size_t n, struct got *out)
{
	int fd = tmpfd_with(in, n);
	struct capture cap;
	struct decoder *d;
	struct lines *ls = lines_new(LINES_DEFAULT_MAX);
	struct group *g = group_new();
	struct record_parser p;
	struct tzone z;
	struct line ln;
	const struct record *r;

	memset(out, 0, sizeof *out);
	capture_open(&cap);
	d = decoder_open(fd, "t", &cap.dg);
	tzone_init_fixed(&z, 0);
	record_parser_init(&p, FMT_COUNT, &z);
	lines_reset(ls, d, 0);
	group_reset(g, &p);
	while (lines_next(ls, &ln) > 0)
		if ((r = group_push(g, &ln)) != NULL)
			collect(out, r);
	if ((r = group_flush(g)) != NULL)
		collect(out, r);
	record_parser_release(&p);
	group_free(g);
	lines_free(ls);
	decoder_close(d);
	capture_close(&cap);
	close(fd);
}

START_TEST(test_python_traceback)
{
	static const char in[] =
		"2026-11-27 10:15:02,001 ERROR [django.request] Internal Server Error: /api/orders\n"
		"Traceback (most recent call last):\n"
		"  File \"/srv/app/views.py\", line 12, in orders\n"
		"    conn = connect()\n"
		"psycopg2.OperationalError: could not connect to server: Connection refused\n"
		"2026-11-27 10:15:03,500 INFO [app] next\n";
	struct got g;

	group_text(in, sizeof in - 1, &g);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_ptr_nonnull(strstr(g.text[0], "\npsycopg2.OperationalError: could not connect"));
	ck_assert_uint_eq(g.line[1], 6);
	ck_assert(!g.truncated[0]);
}
END_TEST

START_TEST(test_java_and_php)
{
	static const char in[] =
		"2026-11-27 10:15:02.001 ERROR 1 --- [nio-8080-exec-1] o.a.c.c.C.[dispatcherServlet] : failed\n"
		"org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection\n"
		"\tat org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)\n"
		"Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available\n"
		"\t... 12 more\n"
		"[27-Nov-2026 10:15:04 UTC] PHP Fatal error:  Uncaught Exception: x in /a.php:3\n"
		"Stack trace:\n"
		"#0 {main}\n"
		"  thrown in /a.php on line 3\n";
	struct got g;

	group_text(in, sizeof in - 1, &g);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_ptr_nonnull(strstr(g.text[0], "\nCaused by: java.sql.SQLTransientConnectionException"));
	ck_assert_ptr_nonnull(strstr(g.text[1], "\n#0 {main}\n  thrown in"));
}
END_TEST

/* nginx writes the request's fields after the last line of FastCGI stderr. */
START_TEST(test_nginx_fastcgi_multiline)
{
	static const char in[] =
		"2026/11/27 10:15:02 [error] 1#1: *5 FastCGI sent in stderr: \"PHP message: PHP Warning:  a\n"
		"PHP message: PHP Fatal error:  Allowed memory size of 1 bytes exhausted\" while reading "
		"response header from upstream, client: 192.0.2.7, server: s, request: \"GET / HTTP/1.1\"\n"
		"2026/11/27 10:15:03 [error] 1#1: *6 other\n";
	struct got g;

	group_text(in, sizeof in - 1, &g);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_int_eq(g.last.format, FMT_NGINX_ERROR);
	ck_assert_ptr_nonnull(strstr(g.text[0], "\nPHP message: PHP Fatal error"));
}
END_TEST

/* Without time stamps only indentation and markers join lines. */
START_TEST(test_untimed_input)
{
	static const char in[] = "first\n  indented\nsecond\nCaused by: x\nthird\n";
	struct got g;

	group_text(in, sizeof in - 1, &g);
	ck_assert_uint_eq(g.n, 3);
	ck_assert_str_eq(g.text[0], "first\n  indented");
	ck_assert_str_eq(g.text[1], "second\nCaused by: x");
	ck_assert_str_eq(g.text[2], "third");
}
END_TEST

/* A runaway trace is cut at the line bound, flagged, and the next record
 * still starts where it should. */
START_TEST(test_runaway_trace)
{
	size_t cap = 64 * GROUP_MAX_LINES, n = 0;
	char *in = malloc(cap);
	struct got g;

	n += (size_t)snprintf(in + n, cap - n, "2026-11-27 10:00:00 ERROR boom\n");
	for (int i = 0; i < GROUP_MAX_LINES + 50; i++)
		n += (size_t)snprintf(in + n, cap - n, "\tat frame%d\n", i);
	n += (size_t)snprintf(in + n, cap - n, "2026-11-27 10:00:01 ERROR next\n");
	group_text(in, n, &g);
	ck_assert_uint_eq(g.n, 2);
	ck_assert(g.truncated[0]);
	ck_assert(!g.truncated[1]);
	ck_assert_str_eq(g.text[1], "2026-11-27 10:00:01 ERROR next");
	free(in);
}
END_TEST

Suite *group_suite(void)
{
	Suite *s = suite_create("group");
	TCase *tc = tcase_create("multiline");

	tcase_add_test(tc, test_python_traceback);
	tcase_add_test(tc, test_java_and_php);
	tcase_add_test(tc, test_nginx_fastcgi_multiline);
	tcase_add_test(tc, test_untimed_input);
	tcase_add_test(tc, test_runaway_trace);
	suite_add_tcase(s, tc);
	return s;
}
