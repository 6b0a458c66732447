/* record: format detection, stamps, levels, messages and fields. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record.h"
#include "testutil.h"

static void parse(const char *line, struct record *r)
{
	static struct record_parser p;
	struct tzone z;

	/* The record may point into the parser's scratch (JSON), so the
	 * parser lives on until the next call. */
	tzone_init_fixed(&z, 0);
	record_parser_release(&p);
	record_parser_init(&p, FMT_COUNT, &z);
	record_parse(&p, line, strlen(line), 7, false, r);
}

static void assert_span(const struct record *r, struct span sp, const char *expect)
{
	ck_assert_msg(sp.len == strlen(expect) && memcmp(r->text + sp.off, expect, sp.len) == 0,
		      "span '%.*s' != '%s'", (int)sp.len, r->text + sp.off, expect);
}

static void assert_msg(const struct record *r, const char *expect)
{
	ck_assert_msg(r->msg_len == strlen(expect) && memcmp(r->msg, expect, r->msg_len) == 0,
		      "message '%.*s' != '%s'", (int)r->msg_len, r->msg, expect);
}

/* 2026-11-27 10:15:02 UTC */
#define T0 (INT64_C(1795774502) * TSTAMP_US_PER_SEC)

START_TEST(test_nginx)
{
	struct record r;

	parse("2026/11/27 10:15:02 [error] 811#811: *4411 upstream timed out (110: Connection "
	      "timed out) while reading response header from upstream, client: 203.0.113.9, "
	      "server: shop.example, request: \"GET /a?x=1, 2 HTTP/1.1\", upstream: "
	      "\"http://10.0.0.5:8080/a\", host: \"shop.example\"",
	      &r);
	ck_assert_int_eq(r.format, FMT_NGINX_ERROR);
	ck_assert_int_eq(r.level, LEVEL_ERROR);
	ck_assert_int_eq(r.time, T0);
	ck_assert_uint_eq(r.line, 7);
	ck_assert(strncmp(r.msg, "upstream timed out", 18) == 0);
	assert_span(&r, r.client, "203.0.113.9");
	assert_span(&r, r.server, "shop.example");
	assert_span(&r, r.request, "GET /a?x=1, 2 HTTP/1.1");
	assert_span(&r, r.upstream, "http://10.0.0.5:8080/a");
	assert_span(&r, r.host, "shop.example");
}
END_TEST

START_TEST(test_nginx_no_connection)
{
	struct record r;

	parse("2026/11/27 10:15:02 [alert] 1024#1024: 768 worker_connections are not enough", &r);
	ck_assert_int_eq(r.format, FMT_NGINX_ERROR);
	ck_assert_int_eq(r.level, LEVEL_ALERT);
	assert_msg(&r, "768 worker_connections are not enough");
	ck_assert_uint_eq(r.client.len, 0);
}
END_TEST

/* Quoted FastCGI stderr may itself say ", client: "; the fields are the
 * last ones on the line. */
START_TEST(test_nginx_fields_last)
{
	struct record r;

	parse("2026/11/27 10:15:02 [error] 1#1: *2 FastCGI sent in stderr: \"x, client: evil\" "
	      "while reading, client: 192.0.2.1, server: s",
	      &r);
	assert_span(&r, r.client, "192.0.2.1");
	assert_span(&r, r.server, "s");
}
END_TEST

START_TEST(test_apache24)
{
	struct record r;

	parse("[Fri Nov 27 10:15:02.123456 2026] [proxy_fcgi:error] [pid 811:tid 1403] "
	      "[client 203.0.113.9:50412] AH01071: Got error 'Primary script unknown'",
	      &r);
	ck_assert_int_eq(r.format, FMT_APACHE_ERROR);
	ck_assert_int_eq(r.level, LEVEL_ERROR);
	ck_assert_int_eq(r.time, T0 + 123456);
	assert_msg(&r, "AH01071: Got error 'Primary script unknown'");
	assert_span(&r, r.client, "203.0.113.9:50412");
}
END_TEST

START_TEST(test_apache22)
{
	struct record r;

	parse("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6", &r);
	ck_assert_int_eq(r.format, FMT_APACHE_ERROR);
	ck_assert_int_eq(r.level, LEVEL_ERROR);
	assert_msg(&r, "mod_jk child workerEnv in error state 6");
	parse("[Tue Jul 22 06:48:30 2008] [notice] [client 192.0.2.1] x", &r);
	ck_assert_int_eq(r.level, LEVEL_NOTICE);
	assert_msg(&r, "x");
	parse("[Wed Mar 28 01:31:42.355210 2018] [rewrite:trace3] [pid 9] r", &r);
	ck_assert_int_eq(r.level, LEVEL_DEBUG);
}
END_TEST

START_TEST(test_php)
{
	struct record r;

	parse("[27-Nov-2026 10:15:02] WARNING: [pool www] server reached pm.max_children setting "
	      "(5), consider raising it",
	      &r);
	ck_assert_int_eq(r.format, FMT_PHP_FPM);
	ck_assert_int_eq(r.level, LEVEL_WARN);
	assert_msg(&r, "[pool www] server reached pm.max_children setting (5), consider raising it");
	parse("[27-Nov-2026 10:15:02 UTC] PHP Fatal error:  Allowed memory size of 1 bytes "
	      "exhausted",
	      &r);
	ck_assert_int_eq(r.format, FMT_PHP_FPM);
	ck_assert_int_eq(r.level, LEVEL_ERROR);
	ck_assert_int_eq(r.time, T0);
	ck_assert(strncmp(r.msg, "PHP Fatal error:", 16) == 0);
	parse("[27-Nov-2026 10:15:02 UTC] PHP Warning:  Undefined variable $x", &r);
	ck_assert_int_eq(r.level, LEVEL_WARN);
}
END_TEST

START_TEST(test_generic_iso)
{
	struct record r;

	parse("2026-11-27 10:15:02,500 ERROR [django.request] Internal Server Error: /api", &r);
	ck_assert_int_eq(r.format, FMT_GENERIC);
	ck_assert_int_eq(r.level, LEVEL_ERROR);
	ck_assert_int_eq(r.time, T0 + 500000);
	assert_msg(&r, "[django.request] Internal Server Error: /api");
	parse("2026-11-27T12:15:02+02:00 [warn] x", &r);
	ck_assert_int_eq(r.time, T0);
	ck_assert_int_eq(r.level, LEVEL_WARN);
	assert_msg(&r, "x");
	parse("2026-11-27T10:15:02.25Z panic: runtime error", &r);
	ck_assert_int_eq(r.time, T0 + 250000);
	ck_assert_int_eq(r.level, LEVEL_EMERG);
}
END_TEST

START_TEST(test_unknown_line)
{
	struct record r;

	parse("Traceback (most recent call last):", &r);
	ck_assert_int_eq(r.format, FMT_GENERIC);
	ck_assert_int_eq(r.level, LEVEL_NONE);
	ck_assert_int_eq(r.time, TSTAMP_NONE);
	assert_msg(&r, "Traceback (most recent call last):");
	/* Looks like nginx but the date is impossible. */
	parse("2026/13/27 10:15:02 [error] 1#1: x", &r);
	ck_assert_int_eq(r.format, FMT_GENERIC);
	/* Looks like nginx but the level is not one. */
	parse("2026/11/27 10:15:02 [bogus] 1#1: x", &r);
	ck_assert_int_eq(r.format, FMT_GENERIC);
}
END_TEST

START_TEST(test_forced_format)
{
	struct record_parser p;
	struct record r;
	struct tzone z;
	const char *line = "2026/11/27 10:15:02 [error] 1#1: x";

	tzone_init_fixed(&z, 0);
	record_parser_init(&p, FMT_APACHE_ERROR, &z);
	record_parse(&p, line, strlen(line), 1, false, &r);
	ck_assert_int_eq(r.format, FMT_GENERIC);
	assert_msg(&r, line);
	ck_assert_int_eq(record_format_from_name("nginx-error"), FMT_NGINX_ERROR);
	ck_assert_int_eq(record_format_from_name("nope"), FMT_COUNT);
}
END_TEST

START_TEST(test_levels)
{
	static const struct {
		const char *word;
		enum level level;
	} cases[] = {
		{ "emerg", LEVEL_EMERG }, { "ALERT", LEVEL_ALERT },  { "crit", LEVEL_CRIT },
		{ "Fatal", LEVEL_CRIT },  { "err", LEVEL_ERROR },    { "WARNING", LEVEL_WARN },
		{ "notice", LEVEL_NOTICE }, { "info", LEVEL_INFO },  { "trace5", LEVEL_DEBUG },
		{ "errors", LEVEL_NONE }, { "", LEVEL_NONE },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_int_eq(record_level_from_word(cases[i].word, strlen(cases[i].word)),
				 cases[i].level);
	ck_assert_str_eq(record_level_name(LEVEL_WARN), "warn");
}
END_TEST

/* Local stamps follow the zone: the same wall clock an hour apart in
 * summer and winter Berlin. */
START_TEST(test_local_zone)
{
	struct record_parser p;
	struct record r;
	struct tzone z;
	const char *winter = "2026/01/15 12:00:00 [error] 1#1: x";
	const char *summer = "2026/07/15 12:00:00 [error] 1#1: x";

	setenv("TZ", "Europe/Berlin", 1);
	tzone_init_local(&z);
	record_parser_init(&p, FMT_COUNT, &z);
	record_parse(&p, winter, strlen(winter), 1, false, &r);
	ck_assert_int_eq(r.time, (tstamp_days_from_civil(2026, 1, 15) * 86400 + 11 * 3600) *
					 TSTAMP_US_PER_SEC);
	record_parse(&p, summer, strlen(summer), 2, false, &r);
	ck_assert_int_eq(r.time, (tstamp_days_from_civil(2026, 7, 15) * 86400 + 10 * 3600) *
					 TSTAMP_US_PER_SEC);
	setenv("TZ", "UTC", 1);
	tzset();
}
END_TEST

START_TEST(test_syslog)
{
	struct record r;

	parse("Nov 27 10:15:02 web1 php-fpm[811]: [pool www] server reached pm.max_children", &r);
	ck_assert_int_eq(r.format, FMT_SYSLOG);
	assert_msg(&r, "[pool www] server reached pm.max_children");
	ck_assert_int_ne(r.time, TSTAMP_NONE);
	/* nginx logging through syslog: its own stamp, level and fields. */
	parse("<11>Nov  7 10:15:02 web1 nginx: 2026/11/27 10:15:02 [error] 1#1: *9 no live "
	      "upstreams while connecting to upstream, client: 192.0.2.4, server: s",
	      &r);
	ck_assert_int_eq(r.format, FMT_SYSLOG);
	ck_assert_int_eq(r.level, LEVEL_ERROR);
	ck_assert_int_eq(r.time, T0);
	ck_assert(strncmp(r.msg, "no live upstreams", 17) == 0);
	assert_span(&r, r.client, "192.0.2.4");
	/* Found by fuzzing: structured data that never closes stepped the
	 * message one byte past the line. */
	parse("<165>1 2026-11-27T10:15:02.000Z web1 app 811 ID47 [unclosed", &r);
	ck_assert_uint_eq(r.msg_len, 0);
	ck_assert(r.msg == r.text + r.len);
	parse("<165>1 2026-11-27T10:15:02.000Z web1 app 811 ID47 - disk full", &r);
	ck_assert_int_eq(r.format, FMT_SYSLOG);
	ck_assert_int_eq(r.level, LEVEL_NOTICE);
	ck_assert_int_eq(r.time, T0);
	assert_msg(&r, "disk full");
}
END_TEST

/* The year of a year-less stamp steps forward when the months wrap. */
START_TEST(test_syslog_new_year)
{
	struct record_parser p;
	struct record r;
	struct tzone z;
	const char *dec = "Dec 31 23:59:59 h app: a", *jan = "Jan  1 00:00:01 h app: b";
	int64_t t_dec;

	tzone_init_fixed(&z, 0);
	record_parser_init(&p, FMT_COUNT, &z);
	p.syslog_year = 2025;
	record_parse(&p, dec, strlen(dec), 1, false, &r);
	t_dec = r.time;
	record_parse(&p, jan, strlen(jan), 2, false, &r);
	ck_assert_int_eq(r.time - t_dec, 2 * TSTAMP_US_PER_SEC);
}
END_TEST

START_TEST(test_json)
{
	struct record r;

	parse("{\"time\":\"2026-11-27T10:15:02Z\",\"level\":50,\"msg\":\"query failed\","
	      "\"err\":{\"message\":\"connect ECONNREFUSED 10.0.0.5:5432\",\"stack\":\"x\"}}",
	      &r);
	ck_assert_int_eq(r.format, FMT_JSON);
	ck_assert_int_eq(r.level, LEVEL_ERROR);
	ck_assert_int_eq(r.time, T0);
	assert_msg(&r, "query failed\nconnect ECONNREFUSED 10.0.0.5:5432");
	parse("{\"t\":{\"$date\":\"2026-11-27T10:15:02.000+00:00\"},\"s\":\"E\",\"msg\":\"a \\\"q\\\" \\u00e9\"}", &r);
	ck_assert_int_eq(r.level, LEVEL_ERROR);
	ck_assert_int_eq(r.time, T0);
	assert_msg(&r, "a \"q\" \xc3\xa9");
	parse("{\"level\":3,\"message\":\"x\",\"ts\":1795774502.5}", &r);
	ck_assert_int_eq(r.level, LEVEL_ERROR);
	ck_assert_int_eq(r.time, T0 + 500000);
	parse("{\"broken\": ", &r);
	ck_assert_int_eq(r.format, FMT_GENERIC);
	/* Found by fuzzing: a stray closer looped the skipper forever. */
	parse("{\"a\":{\"b\":1}}}", &r);
	parse("{\"a\":[1}]}", &r);
	ck_assert_int_eq(r.format, FMT_GENERIC);
}
END_TEST

START_TEST(test_app_layouts)
{
	struct record r;

	parse("E, [2026-11-27T10:15:02.000000 #81] ERROR -- : PG::ConnectionBad: could not connect", &r);
	ck_assert_int_eq(r.format, FMT_RAILS);
	ck_assert_int_eq(r.level, LEVEL_ERROR);
	assert_msg(&r, "PG::ConnectionBad: could not connect");
	parse("[2026-11-27 10:15:02] production.CRITICAL: SQLSTATE[HY000] [2002]", &r);
	ck_assert_int_eq(r.level, LEVEL_CRIT);
	ck_assert_int_eq(r.time, T0);
	assert_msg(&r, "SQLSTATE[HY000] [2002]");
	parse("2026-11-27 10:15:02,000 - myapp.db - ERROR - pool exhausted", &r);
	ck_assert_int_eq(r.level, LEVEL_ERROR);
	assert_msg(&r, "pool exhausted");
	parse("2026-11-27 10:15:02.000 [http-nio-8080-exec-3] WARN  c.e.Shop - slow", &r);
	ck_assert_int_eq(r.level, LEVEL_WARN);
	assert_msg(&r, "c.e.Shop - slow");
	parse("2026/11/27 10:15:02 http: panic serving 10.0.0.1:5123: runtime error", &r);
	ck_assert_int_eq(r.format, FMT_GENERIC);
	ck_assert_int_eq(r.time, T0);
	assert_msg(&r, "http: panic serving 10.0.0.1:5123: runtime error");
	parse("[2026-11-27 12:15:02.000000 +0200] [proxy:error] [pid 9] AH00957: x", &r);
	ck_assert_int_eq(r.format, FMT_APACHE_ERROR);
	ck_assert_int_eq(r.time, T0);
	assert_msg(&r, "AH00957: x");
}
END_TEST

START_TEST(test_access)
{
	struct record r;

	parse("203.0.113.9 - - [27/Nov/2026:11:15:02 +0100] \"GET /cart HTTP/1.1\" 502 157 \"-\" \"curl\"", &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.status, 502);
	ck_assert_int_eq(r.time, T0);
	assert_span(&r, r.request, "GET /cart HTTP/1.1");
	assert_span(&r, r.client, "203.0.113.9");
}
END_TEST

Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("formats");

	tcase_add_test(tc, test_nginx);
	tcase_add_test(tc, test_nginx_no_connection);
	tcase_add_test(tc, test_nginx_fields_last);
	tcase_add_test(tc, test_apache24);
	tcase_add_test(tc, test_apache22);
	tcase_add_test(tc, test_php);
	tcase_add_test(tc, test_generic_iso);
	tcase_add_test(tc, test_unknown_line);
	tcase_add_test(tc, test_forced_format);
	tcase_add_test(tc, test_levels);
	tcase_add_test(tc, test_local_zone);
	tcase_add_test(tc, test_syslog);
	tcase_add_test(tc, test_syslog_new_year);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_app_layouts);
	tcase_add_test(tc, test_access);
	suite_add_tcase(s, tc);
	return s;
}
