/* record: format detection, stamps, levels, messages and fields. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record.h"
#include "testutil.h"

static void parse_n(const char *line, size_t len, struct record *r)
{
	static struct record_parser p;
	struct tzone z;

	/* The record may point into the parser's scratch (JSON), so the
	 * parser lives on until the next call. */
	tzone_init_fixed(&z, 0);
	record_parser_release(&p);
	record_parser_init(&p, FMT_COUNT, &z);
	record_parse(&p, line, len, 7, false, r);
}

static void parse(const char *line, struct record *r)
{
	parse_n(line, strlen(line), r);
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

/* The worker's pid and thread and the connection number, of any length
 * (the digits are read eight at a time), up to the end of the line. */
START_TEST(test_nginx_prefix_numbers)
{
	static const struct {
		const char *line, *pid, *msg;
	} cases[] = {
		{ "2026/11/27 10:15:02 [error] 811#811: *4411 x", "811", "x" },
		{ "2026/11/27 10:15:02 [error] 1234567890123#12345678: *123456789012 y",
		  "1234567890123", "y" },
		{ "2026/11/27 10:15:02 [error] 12345678#1: *12345678 z", "12345678", "z" },
		{ "2026/11/27 10:15:02 [error] 7#7: *99", "7", "*99" },
		{ "2026/11/27 10:15:02 [error] 7#7: *12a b", "7", "*12a b" },
		{ "2026/11/27 10:15:02 [error] 1234567", "1234567", "" },
		{ "2026/11/27 10:15:02 [error] x1#2: *3 m", "", "x1#2: *3 m" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct record r;

		parse(cases[i].line, &r);
		ck_assert_msg(r.format == FMT_NGINX_ERROR, "case %zu", i);
		assert_span(&r, r.pid, cases[i].pid);
		assert_msg(&r, cases[i].msg);
	}
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

/* A deferring parser leaves nginx's fields to record_fields(), which then
 * finds exactly what an eager parse does, whether or not the match view
 * looked for where they start first; a joined record's are looked for
 * over the whole text either way. */
START_TEST(test_nginx_deferred_fields)
{
	static const char *const lines[] = {
		"2026/11/27 10:15:02 [error] 811#811: *4411 upstream timed out (110: Connection "
		"timed out), client: 203.0.113.9, server: shop.example, request: \"GET /a?x=1, 2 "
		"HTTP/1.1\", upstream: \"http://10.0.0.5:8080/a\", host: \"shop.example\"",
		"2026/11/27 10:15:02 [error] 1#1: *2 FastCGI sent in stderr: \"x, client: evil\" "
		"while reading, client: 192.0.2.1, server: s",
		"2026/11/27 10:15:02 [alert] 1024#1024: 768 worker_connections are not enough",
		"2026/11/27 10:15:02 [error] 1#1: *2 odd, client: , server: \"unclosed",
	};
	struct tzone z;

	tzone_init_fixed(&z, 0);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct record_parser eager, lazy;
		struct record a, b;

		record_parser_init(&eager, FMT_COUNT, &z);
		record_parser_init(&lazy, FMT_COUNT, &z);
		lazy.defer_fields = true;
		record_parse(&eager, lines[i], strlen(lines[i]), 1, false, &a);
		record_parse(&lazy, lines[i], strlen(lines[i]), 1, false, &b);
		ck_assert(!a.fields_pending);
		ck_assert(b.fields_pending);
		ck_assert_uint_eq(b.client.len, 0);
		ck_assert_uint_eq(b.core_len, b.msg_len);
		record_fields(&b);
		ck_assert(!b.fields_pending);
		ck_assert_uint_eq(a.core_len, b.core_len);
		ck_assert_mem_eq(&a.client, &b.client, sizeof a.client);
		ck_assert_mem_eq(&a.server, &b.server, sizeof a.server);
		ck_assert_mem_eq(&a.request, &b.request, sizeof a.request);
		ck_assert_mem_eq(&a.upstream, &b.upstream, sizeof a.upstream);
		ck_assert_mem_eq(&a.host, &b.host, sizeof a.host);
		/* Once read, they are not read again. */
		b.client.len = 99;
		record_fields(&b);
		ck_assert_uint_eq(b.client.len, 99);
		for (int viewed = 0; viewed < 2; viewed++) {
			struct record c;
			size_t split, len;

			record_parse(&lazy, lines[i], strlen(lines[i]), 1, false, &c);
			len = record_match_len(&c);
			if (viewed)
				ck_assert_uint_eq(record_match_view(&c, &split), len);
			record_fields(&c);
			ck_assert_uint_eq(a.core_len, c.core_len);
			ck_assert_mem_eq(&a.client, &c.client, sizeof a.client);
			ck_assert_mem_eq(&a.server, &c.server, sizeof a.server);
		}
		record_parse(&lazy, lines[i], strlen(lines[i]), 1, false, &b);
		record_joined(&b);
		ck_assert(b.fields_pending);
		ck_assert_uint_eq(b.core_len, b.msg_len);
		record_parser_release(&eager);
		record_parser_release(&lazy);
	}
}
END_TEST

/* Rules see the message without what the client wrote at its end. */
START_TEST(test_match_len)
{
	static const struct {
		const char *line, *seen; /* the message as rules see it */
	} cases[] = {
		{ "2026/11/27 10:15:02 [error] 1#1: *2 open() \"/x\" failed (2: No such file or "
		  "directory), client: 192.0.2.1, server: s, request: \"GET /x?SQLSTATE HTTP/1.1\", "
		  "host: \"h\", referrer: \"ENOMEM\"",
		  "open() \"/x\" failed (2: No such file or directory), client: 192.0.2.1, server: s" },
		/* No request: the host and referrer are still the client's. */
		{ "2026/11/27 10:15:02 [info] 1#1: *2 client closed connection, client: 192.0.2.1, "
		  "server: s, host: \"ENOSPC\"",
		  "client closed connection, client: 192.0.2.1, server: s" },
		/* A request field quoted inside the message is not the one. */
		{ "2026/11/27 10:15:02 [error] 1#1: *2 FastCGI sent in stderr: \"a, request: b\" while "
		  "reading, client: 192.0.2.1, server: s, request: \"GET / HTTP/1.1\"",
		  "FastCGI sent in stderr: \"a, request: b\" while reading, client: 192.0.2.1, server: s" },
		{ "2026/11/27 10:15:02 [alert] 1#1: 768 worker_connections are not enough",
		  "768 worker_connections are not enough" },
		{ "[Fri Nov 27 10:15:02 2026] [core:error] [pid 1] [client 192.0.2.1:5] AH00037: "
		  "Symbolic link not allowed: /var/www, referer: https://x/?SQLSTATE",
		  "AH00037: Symbolic link not allowed: /var/www" },
		{ "2026-11-27 10:15:02,500 ERROR request: x, referer: y", "request: x, referer: y" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct record r;

		parse(cases[i].line, &r);
		ck_assert_msg(record_match_len(&r) == strlen(cases[i].seen) &&
				      memcmp(r.msg, cases[i].seen, strlen(cases[i].seen)) == 0,
			      "case %zu: rules see '%.*s'", i, (int)record_match_len(&r), r.msg);
	}
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

/* A stamp repeated from the line before is read once: the same time, a
 * new second parsed again, a bad stamp still refused after a good one,
 * and a new zone applied to the very stamp read before it. */
START_TEST(test_nginx_stamp_repeats)
{
	static const struct {
		const char *line;
		bool nginx;
		int64_t time;
	} lines[] = {
		{ "2026/11/27 10:15:02 [error] 1#1: a", true, T0 },
		{ "2026/11/27 10:15:02 [warn] 1#1: b", true, T0 },
		{ "2026/11/27 10:15:03 [error] 1#1: c", true, T0 + TSTAMP_US_PER_SEC },
		{ "2026/11/27 10:15:02 [error] 1#1: d", true, T0 },
		{ "2026/11/27 10:15:62 [error] 1#1: e", false, 0 },
		{ "2026/11/27 10:15:02 [error] 1#1: f", true, T0 },
	};
	struct record_parser p;
	struct record r;
	struct tzone z;

	tzone_init_fixed(&z, 0);
	record_parser_init(&p, FMT_NGINX_ERROR, &z);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		record_parse(&p, lines[i].line, strlen(lines[i].line), i + 1, false, &r);
		ck_assert_msg(r.msg_len == 1 || !lines[i].nginx, "line %zu", i);
		if (lines[i].nginx)
			ck_assert_int_eq(r.time, lines[i].time);
		else
			ck_assert_int_eq(r.time, TSTAMP_NONE);
	}
	/* Stamps without a zone are an hour east now. */
	tzone_init_fixed(&z, 3600);
	record_parser_set_zone(&p, &z);
	record_parse(&p, lines[5].line, strlen(lines[5].line), 9, false, &r);
	ck_assert_int_eq(r.time, T0 - 3600 * TSTAMP_US_PER_SEC);
	record_parser_release(&p);
}
END_TEST

/* Each line gets its own level, nginx's own words and the others alike
 * (upper case, "warning"), and a word that is no level (or longer than
 * nginx's longest), or none, makes the line no nginx record. */
START_TEST(test_nginx_level_repeats)
{
	static const struct {
		const char *line;
		enum level level; /* LEVEL_NONE: not an nginx record */
	} lines[] = {
		{ "2026/11/27 10:15:02 [error] 1#1: a", LEVEL_ERROR },
		{ "2026/11/27 10:15:02 [error] 1#1: b", LEVEL_ERROR },
		{ "2026/11/27 10:15:02 [warn] 1#1: c", LEVEL_WARN },
		{ "2026/11/27 10:15:02 [errors] 1#1: d", LEVEL_NONE },
		{ "2026/11/27 10:15:02 [warn] 1#1: e", LEVEL_WARN },
		{ "2026/11/27 10:15:02 [] 1#1: f", LEVEL_NONE },
		{ "2026/11/27 10:15:02 [emergency] 1#1: g", LEVEL_NONE },
		{ "2026/11/27 10:15:02 [warn", LEVEL_NONE },
		{ "2026/11/27 10:15:02 [error", LEVEL_NONE },
		{ "2026/11/27 10:15:02 [emerg] 1#1: h", LEVEL_EMERG },
		{ "2026/11/27 10:15:02 [ERROR] 1#1: i", LEVEL_ERROR },
		{ "2026/11/27 10:15:02 [notice] 1#1: j", LEVEL_NOTICE },
		{ "2026/11/27 10:15:02 [crit] 1#1: k", LEVEL_CRIT },
		{ "2026/11/27 10:15:02 [alert] 1#1: l", LEVEL_ALERT },
		{ "2026/11/27 10:15:02 [info] 1#1: m", LEVEL_INFO },
		{ "2026/11/27 10:15:02 [debug] 1#1: n", LEVEL_DEBUG },
		{ "2026/11/27 10:15:02 [warning] 1#1: o", LEVEL_WARN },
	};
	struct record_parser p;
	struct record r;
	struct tzone z;

	tzone_init_fixed(&z, 0);
	record_parser_init(&p, FMT_COUNT, &z);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		record_parse(&p, lines[i].line, strlen(lines[i].line), i + 1, false, &r);
		if (lines[i].level == LEVEL_NONE) {
			ck_assert_msg(r.format != FMT_NGINX_ERROR, "line %zu", i);
		} else {
			ck_assert_msg(r.format == FMT_NGINX_ERROR, "line %zu", i);
			ck_assert_int_eq(r.level, lines[i].level);
		}
	}
	record_parser_release(&p);
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

/* nginx's combined with timings appended, in Tokyo. */
START_TEST(test_access_combined_timed)
{
	struct record r;
	struct request_parts rq;

	parse("198.51.100.61 - - [27/Nov/2026:19:15:02 +0900] \"POST /checkout?step=2 HTTP/1.1\" "
	      "502 157 \"https://shop.example/cart\" \"Mozilla/5.0 (X11; Linux x86_64)\" "
	      "rt=0.012 uct=\"0.001\" urt=\"60.002\" us=\"504\"",
	      &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.level, LEVEL_NONE);
	ck_assert_int_eq(r.time, T0);
	ck_assert_int_eq(r.status, 502);
	ck_assert_int_eq(r.request_us, 12000);
	assert_span(&r, r.client, "198.51.100.61");
	assert_span(&r, r.request, "POST /checkout?step=2 HTTP/1.1");
	ck_assert_uint_eq(r.host.len, 0);
	ck_assert_uint_eq(r.method.len, 0);
	ck_assert_uint_eq(r.msg_len, r.len);
	ck_assert(r.msg == r.text);
	ck_assert(record_request_parts(&r, &rq));
	ck_assert(rq.method_len == 4 && memcmp(rq.method, "POST", 4) == 0);
	ck_assert(rq.uri_len == 16 && memcmp(rq.uri, "/checkout?step=2", 16) == 0);
	/* The long spellings, quoted values, and a time that is not first. */
	parse("192.0.2.33 - alice [27/Nov/2026:10:15:02 +0000] \"GET /a HTTP/1.1\" 504 167 \"-\" "
	      "\"curl/8.5.0\" upstream_response_time=\"60.001\" request_time=\"60.002\" "
	      "upstream_status=504",
	      &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.request_us, 60002000);
	ck_assert_int_eq(r.status, 504);
	assert_span(&r, r.client, "192.0.2.33");
	/* A key spelled out wins over a bare number. */
	parse("192.0.2.33 - - [27/Nov/2026:10:15:02 +0000] \"GET /a HTTP/1.1\" 200 1 \"-\" "
	      "\"curl\" 9.999 rt=0.250",
	      &r);
	ck_assert_int_eq(r.request_us, 250000);
	/* A request holding Apache's \" and a quote nginx writes as \x22. */
	parse("192.0.2.1 - - [27/Nov/2026:10:15:02 +0000] \"GET /q=\\\"a\\\" HTTP/1.1\" 200 1 "
	      "\"-\" \"x \\\"y\\\"\" rt=0.001",
	      &r);
	assert_span(&r, r.request, "GET /q=\\\"a\\\" HTTP/1.1");
	ck_assert_int_eq(r.request_us, 1000);
	/* "-" where the time is not known (a request that never got one). */
	parse("192.0.2.1 - - [27/Nov/2026:10:15:02 +0000] \"GET / HTTP/1.1\" 400 0 \"-\" \"-\" "
	      "rt=- urt=\"-\"",
	      &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.request_us, -1);
	ck_assert_int_eq(r.status, 400);
}
END_TEST

/* "$request_time $upstream_response_time" appended without keys. */
START_TEST(test_access_bare_numbers)
{
	struct record r;

	parse("203.0.113.9 - - [27/Nov/2026:10:15:02 +0000] \"GET /cart HTTP/1.1\" 502 157 \"-\" "
	      "\"curl/8\" 0.123 0.120",
	      &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.request_us, 123000);
	ck_assert_int_eq(r.status, 502);
	/* After common's byte count. */
	parse("203.0.113.9 - - [27/Nov/2026:10:15:02 +0000] \"GET /cart HTTP/1.1\" 200 612 1.5 -", &r);
	ck_assert_int_eq(r.request_us, 1500000);
	/* Apache's %D and %T are bare integers: not taken for seconds. */
	parse("203.0.113.9 - - [27/Nov/2026:10:15:02 +0000] \"GET /cart HTTP/1.1\" 200 612 \"-\" "
	      "\"curl/8\" 12345 0",
	      &r);
	ck_assert_int_eq(r.request_us, -1);
	/* A number followed by a quoted field is not the last field's. */
	parse("203.0.113.9 - - [27/Nov/2026:10:15:02 +0000] \"GET /cart HTTP/1.1\" 200 612 \"-\" "
	      "0.5 \"curl/8\"",
	      &r);
	ck_assert_int_eq(r.request_us, -1);
	/* A version-like word is not a number. */
	parse("203.0.113.9 - - [27/Nov/2026:10:15:02 +0000] \"GET / HTTP/1.1\" 200 6 \"-\" \"c\" "
	      "1.2.3 0.040",
	      &r);
	ck_assert_int_eq(r.request_us, 40000);
}
END_TEST

START_TEST(test_access_common)
{
	struct record r;

	parse("192.0.2.33 - - [27/Nov/2026:10:15:02 +0000] \"GET /img/logo.svg HTTP/1.1\" 304 -", &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.time, T0);
	ck_assert_int_eq(r.status, 304);
	ck_assert_int_eq(r.request_us, -1);
	assert_span(&r, r.client, "192.0.2.33");
	assert_span(&r, r.request, "GET /img/logo.svg HTTP/1.1");
	/* A status that is not one. */
	parse("192.0.2.33 - - [27/Nov/2026:10:15:02 +0000] \"-\" - -", &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.status, 0);
	assert_span(&r, r.request, "-");
	parse("192.0.2.33 - - [27/Nov/2026:10:15:02 +0000] \"GET / HTTP/1.1\" 999 1", &r);
	ck_assert_int_eq(r.status, 0);
	parse("192.0.2.33 - - [27/Nov/2026:10:15:02 +0000] \"GET / HTTP/1.1\" 5021 1", &r);
	ck_assert_int_eq(r.status, 0);
	/* Milliseconds in the stamp. */
	parse("192.0.2.33 - - [27/Nov/2026:11:15:02.123 +0100] \"GET / HTTP/1.1\" 200 1", &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.time, T0 + 123000);
	/* A user name with a space is the user's, not a virtual host. */
	parse("192.0.2.33 - john doe [27/Nov/2026:10:15:02 +0000] \"GET / HTTP/1.1\" 200 1", &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	assert_span(&r, r.client, "192.0.2.33");
	ck_assert_uint_eq(r.host.len, 0);
	/* $time_iso8601 in brackets. */
	parse("192.0.2.33 - - [2026-11-27T19:15:02+09:00] \"GET / HTTP/1.1\" 200 1", &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.time, T0);
}
END_TEST

/* A virtual host before the client: Apache's vhost_combined, nginx's $host. */
START_TEST(test_access_vhost)
{
	struct record r;

	parse("shop.example:443 2001:db8::7 - - [27/Nov/2026:10:15:02 +0000] \"GET /cart HTTP/1.1\" "
	      "503 299 \"https://shop.example/\" \"Mozilla/5.0\"",
	      &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	assert_span(&r, r.host, "shop.example:443");
	assert_span(&r, r.client, "2001:db8::7");
	assert_span(&r, r.request, "GET /cart HTTP/1.1");
	ck_assert_int_eq(r.status, 503);
	ck_assert_int_eq(r.time, T0);
	parse("api.shop.example 203.0.113.9 - bob [27/Nov/2026:10:15:02 +0000] \"GET /x HTTP/2.0\" "
	      "200 5 \"-\" \"okhttp/4.12.0\" 0.043 0.042",
	      &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	assert_span(&r, r.host, "api.shop.example");
	assert_span(&r, r.client, "203.0.113.9");
	ck_assert_int_eq(r.request_us, 43000);
	/* A host appended as an extra. */
	parse("203.0.113.9 - - [27/Nov/2026:10:15:02 +0000] \"GET /x HTTP/1.1\" 200 5 \"-\" \"-\" "
	      "host=\"shop.example\" upstream_addr=10.0.0.5:8080",
	      &r);
	assert_span(&r, r.host, "shop.example");
	assert_span(&r, r.upstream, "10.0.0.5:8080");
}
END_TEST

/* Each stamp's own offset is honoured, whatever the reader's zone. */
START_TEST(test_access_zones)
{
	struct record r;

	parse("192.0.2.1 - - [27/Nov/2026:19:15:02 +0900] \"GET / HTTP/1.1\" 200 1", &r);
	ck_assert_int_eq(r.time, T0);
	parse("192.0.2.1 - - [27/Nov/2026:06:45:02 -0330] \"GET / HTTP/1.1\" 200 1", &r);
	ck_assert_int_eq(r.time, T0);
	/* Across midnight and the year. */
	parse("192.0.2.1 - - [01/Jan/2027:05:00:00 +0900] \"GET / HTTP/1.1\" 200 1", &r);
	ck_assert_int_eq(r.time, (tstamp_days_from_civil(2026, 12, 31) * 86400 + 20 * 3600) *
					 TSTAMP_US_PER_SEC);
	parse("{\"time_local\":\"27/Nov/2026:06:45:02 -0330\",\"request\":\"GET / HTTP/1.1\","
	      "\"status\":200}",
	      &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.time, T0);
}
END_TEST

/* nginx's escape=json, as the join's generator writes it. */
START_TEST(test_access_json)
{
	struct record r;

	parse("{\"time\":\"2026-11-27T09:00:03+00:00\",\"remote_addr\":\"203.0.113.7\","
	      "\"request\":\"GET /api/v2/orders/1187 HTTP/1.1\",\"status\":502,"
	      "\"host\":\"api.shop.example\",\"request_time\":0.012,\"upstream_status\":\"502\","
	      "\"body_bytes_sent\":157,\"http_user_agent\":\"Mozilla/5.0\"}",
	      &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.level, LEVEL_NONE);
	ck_assert_int_eq(r.time, T0 - (75 * 60 - 1) * TSTAMP_US_PER_SEC);
	assert_span(&r, r.client, "203.0.113.7");
	assert_span(&r, r.request, "GET /api/v2/orders/1187 HTTP/1.1");
	assert_span(&r, r.host, "api.shop.example");
	ck_assert_uint_eq(r.method.len, 0);
	ck_assert_int_eq(r.status, 502);
	ck_assert_int_eq(r.request_us, 12000);
	ck_assert(r.msg == r.text && r.msg_len == r.len);
	/* Spaces, a string status, Z and a fraction, escapes left raw. */
	parse(" { \"@timestamp\" : \"2026-11-27T10:15:02.5Z\" , \"status\" : \"504\", "
	      "\"request\" : \"GET /q?a=\\\"\\u0041\\\" HTTP/1.1\", \"client_ip\": \"2001:db8::1\", "
	      "\"http_host\": \"Shop.Example:8443\", \"request_time\": \"60.002\" }",
	      &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.time, T0 + 500000);
	ck_assert_int_eq(r.status, 504);
	assert_span(&r, r.request, "GET /q?a=\\\"\\u0041\\\" HTTP/1.1");
	assert_span(&r, r.client, "2001:db8::1");
	assert_span(&r, r.host, "Shop.Example:8443");
	ck_assert_int_eq(r.request_us, 60002000);
	/* Nested values are skipped whole. */
	parse("{\"status\":200,\"headers\":{\"status\":\"x\",\"a\":[1,{\"b\":\"}\"}]},"
	      "\"request\":\"GET / HTTP/1.1\"}",
	      &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.time, TSTAMP_NONE);
	ck_assert_int_eq(r.request_us, -1);
}
END_TEST

/* Method and URI apart: request is the URI, method its own span. */
START_TEST(test_access_json_split)
{
	struct record r;
	struct request_parts rq;

	parse("{\"msec\":1795774502.250,\"client_ip\":\"198.51.100.61\",\"method\":\"POST\","
	      "\"uri\":\"/checkout\",\"request_uri\":\"/checkout?step=2\",\"status\":\"502\","
	      "\"server_name\":\"shop.example\",\"request_time\":\"0.012\","
	      "\"upstream_addr\":\"10.0.0.5:8080\"}",
	      &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.time, T0 + 250000);
	assert_span(&r, r.method, "POST");
	assert_span(&r, r.request, "/checkout?step=2");
	assert_span(&r, r.client, "198.51.100.61");
	assert_span(&r, r.server, "shop.example");
	assert_span(&r, r.host, "shop.example");
	assert_span(&r, r.upstream, "10.0.0.5:8080");
	ck_assert_int_eq(r.status, 502);
	ck_assert_int_eq(r.request_us, 12000);
	ck_assert(record_request_parts(&r, &rq));
	ck_assert(rq.method_len == 4 && memcmp(rq.method, "POST", 4) == 0);
	ck_assert(rq.uri_len == 16 && memcmp(rq.uri, "/checkout?step=2", 16) == 0);
	parse("{\"ip\":\"192.0.2.9\",\"request_method\":\"GET\",\"path\":\"/p\",\"status\":404,"
	      "\"timestamp\":1795774502}",
	      &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	assert_span(&r, r.method, "GET");
	assert_span(&r, r.request, "/p");
	assert_span(&r, r.client, "192.0.2.9");
	ck_assert_int_eq(r.time, T0);
	/* A request line beats method and URI. */
	parse("{\"method\":\"GET\",\"url\":\"/u\",\"request\":\"GET /u?x HTTP/1.1\",\"status\":200}", &r);
	ck_assert_uint_eq(r.method.len, 0);
	assert_span(&r, r.request, "GET /u?x HTTP/1.1");
}
END_TEST

START_TEST(test_access_json_times)
{
	struct record r;

	parse("{\"time\":1795774502.123,\"request\":\"GET / HTTP/1.1\",\"status\":200}", &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.time, T0 + 123000);
	parse("{\"time\":\"1795774502\",\"request\":\"GET / HTTP/1.1\",\"status\":200}", &r);
	ck_assert_int_eq(r.time, T0);
	parse("{\"time\":1795774502311,\"request\":\"GET / HTTP/1.1\",\"status\":200}", &r);
	ck_assert_int_eq(r.time, T0 + 311000);
	parse("{\"time_iso8601\":\"2026-11-27T06:45:02-03:30\",\"request\":\"GET / HTTP/1.1\","
	      "\"status\":200}",
	      &r);
	ck_assert_int_eq(r.time, T0);
	parse("{\"time\":\"soon\",\"request\":\"GET / HTTP/1.1\",\"status\":200}", &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.time, TSTAMP_NONE);
}
END_TEST

/* What must never be taken for an access record. */
START_TEST(test_access_not)
{
	static const char *const lines[] = {
		"2026/11/27 10:15:02 [error] 811#811: *4411 upstream prematurely closed connection "
		"while reading response header from upstream, client: 203.0.113.9, server: s, "
		"request: \"GET /cart HTTP/1.1\", upstream: \"http://10.0.0.5:8080/cart\"",
		"{\"time\":\"2026-11-27T10:15:02Z\",\"level\":\"error\",\"msg\":\"upstream failed\","
		"\"status\":502,\"request\":\"GET /cart HTTP/1.1\"}",
		"{\"ts\":1795774502,\"message\":\"handled\",\"status\":502,\"method\":\"GET\",\"uri\":\"/\"}",
		"{\"level\":\"error\",\"ts\":1740927726.118,\"logger\":\"http.log.error\",\"msg\":\"dial "
		"tcp\",\"request\":{\"remote_ip\":\"198.51.100.20\",\"method\":\"GET\",\"uri\":\"/\"},"
		"\"status\":502}",
		"{\"time\":\"2026-11-27T10:15:02Z\",\"status\":502,\"remote_addr\":\"192.0.2.1\"}",
		"{\"time\":\"2026-11-27T10:15:02Z\",\"status\":502,\"method\":\"GET\"}",
		"{\"time\":\"2026-11-27T10:15:02Z\",\"status\":\"ok\",\"request\":\"GET / HTTP/1.1\"}",
		"{\"status\":99,\"request\":\"GET / HTTP/1.1\"}",
		"{\"status\":502,\"request\":\"\"}",
		"{\"status\":502,\"request\":{\"uri\":\"/\"}}",
		"{\"request\":\"GET / HTTP/1.1\"}",
		"{\"status\":502 \"request\":\"GET / HTTP/1.1\"}",
		"{\"status\":502,\"request\":\"GET / HTTP/1.1\"}}",
		"[Fri Nov 27 10:15:02.123456 2026] [proxy:error] [pid 1] [client 192.0.2.1:5] x",
		"Nov 27 10:15:02 web1 nginx: 192.0.2.1 - - [27/Nov/2026:10:15:02 +0000] \"GET /\" 200 1",
		"192.0.2.1 - - [27/Nov/2026:10:15:02 +0000]",
		"192.0.2.1 - - [27/Nov/2026:10:15:02 +0000] GET / 200 1",
		"192.0.2.1 - - [27/Nov/2026:10:15:02] \"GET / HTTP/1.1\" 200 1",
		"192.0.2.1 - - [27/Nov/2026:25:15:02 +0000] \"GET / HTTP/1.1\" 200 1",
		"192.0.2.1 - - [27/Nov/2026:10:15:02 +0000] \"GET / HTTP/1.1 200 1",
		"a b c d e [27/Nov/2026:10:15:02 +0000] \"GET / HTTP/1.1\" 200 1",
		"192.0.2.1  - [27/Nov/2026:10:15:02 +0000] \"GET / HTTP/1.1\" 200 1",
		"- - [27/Nov/2026:10:15:02 +0000] \"GET / HTTP/1.1\" 200 1",
		"",
		"{",
		"{}",
	};
	struct record r;

	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		parse(lines[i], &r);
		ck_assert_msg(r.format != FMT_ACCESS, "taken for access: %s", lines[i]);
	}
	parse(lines[1], &r);
	ck_assert_int_eq(r.format, FMT_JSON);
	ck_assert_int_eq(r.level, LEVEL_ERROR);
	assert_msg(&r, "upstream failed");
}
END_TEST

/* One parser over a mixed input: the detected format follows the lines,
 * and --input-format json keeps JSON access lines as JSON. */
START_TEST(test_access_format_switch)
{
	static const char *const lines[] = {
		"{\"time\":\"2026-11-27T10:15:02Z\",\"level\":\"error\",\"msg\":\"a\",\"status\":502}",
		"{\"time\":\"2026-11-27T10:15:02Z\",\"request\":\"GET / HTTP/1.1\",\"status\":502}",
		"{\"time\":\"2026-11-27T10:15:02Z\",\"request\":\"GET / HTTP/1.1\",\"status\":504}",
		"{\"time\":\"2026-11-27T10:15:02Z\",\"level\":\"warn\",\"msg\":\"b\"}",
		"192.0.2.1 - - [27/Nov/2026:10:15:02 +0000] \"GET / HTTP/1.1\" 200 1",
		"2026/11/27 10:15:02 [error] 1#1: *2 x, client: 192.0.2.1",
		"{\"time\":\"2026-11-27T10:15:02Z\",\"request\":\"GET / HTTP/1.1\",\"status\":503}",
	};
	static const enum log_format expect[] = { FMT_JSON, FMT_ACCESS, FMT_ACCESS, FMT_JSON,
						  FMT_ACCESS, FMT_NGINX_ERROR, FMT_ACCESS };
	struct record_parser p;
	struct record r;
	struct tzone z;

	tzone_init_fixed(&z, 0);
	record_parser_init(&p, FMT_COUNT, &z);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		record_parse(&p, lines[i], strlen(lines[i]), i + 1, false, &r);
		ck_assert_msg(r.format == expect[i], "line %zu: format %d", i + 1, (int)r.format);
		ck_assert_int_eq(r.time, T0);
	}
	ck_assert_int_eq(r.status, 503);
	record_parser_release(&p);
	record_parser_init(&p, FMT_JSON, &z);
	record_parse(&p, lines[1], strlen(lines[1]), 1, false, &r);
	ck_assert_int_eq(r.format, FMT_JSON);
	record_parser_release(&p);
	record_parser_init(&p, FMT_ACCESS, &z);
	record_parse(&p, lines[1], strlen(lines[1]), 1, false, &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	ck_assert_int_eq(r.status, 502);
	record_parse(&p, lines[0], strlen(lines[0]), 2, false, &r);
	ck_assert_int_eq(r.format, FMT_GENERIC);
	record_parser_release(&p);
}
END_TEST

static const char *const truncated_lines[] = {
	"198.51.100.61 - - [27/Nov/2026:19:15:02.250 +0900] \"POST /checkout HTTP/1.1\" 502 157 "
	"\"https://shop.example/cart\" \"Mozilla/5.0 \\\"x\\\"\" rt=0.012 uct=\"0.001\" "
	"urt=\"0.011\" us=\"502\"",
	"shop.example:443 2001:db8::7 - - [27/Nov/2026:06:45:02 -0330] \"GET /a HTTP/1.1\" 504 "
	"- \"-\" \"curl/8\" 60.002 60.001",
	"192.0.2.33 - - [27/Nov/2026:10:15:02 +0000] \"GET /img HTTP/1.1\" 304 -",
	"192.0.2.33 - - [2026-11-27T10:15:02+00:00] \"GET /img HTTP/1.1\" 304 -",
	"{\"time\":\"2026-11-27T09:00:03+00:00\",\"remote_addr\":\"203.0.113.7\",\"request\":\"GET "
	"/api/v2/orders/1187 HTTP/1.1\",\"status\":502,\"host\":\"api.shop.example\","
	"\"request_time\":0.012,\"upstream_status\":\"502\"}",
	"{\"msec\":1795774502.250,\"client_ip\":\"198.51.100.61\",\"method\":\"POST\","
	"\"uri\":\"/checkout\",\"status\":\"502\",\"request_time\":\"0.012\"}",
};

static bool same_span(const struct record *a, struct span sa, const struct record *b,
		      struct span sb)
{
	return sa.len == sb.len && memcmp(a->text + sa.off, b->text + sb.off, sa.len) == 0;
}

/* Every prefix of a valid line: nothing read past its end (each prefix is
 * copied to a buffer of its exact size, for the sanitizers), and what is
 * taken for an access record says what the whole line says, or nothing. */
START_TEST(test_access_truncated)
{
	const char *line = truncated_lines[_i];
	size_t n = strlen(line);
	char *whole = malloc(n);
	struct record full, r;

	ck_assert_ptr_nonnull(whole);
	memcpy(whole, line, n);
	parse_n(whole, n, &full);
	ck_assert_int_eq(full.format, FMT_ACCESS);
	ck_assert_int_ne(full.status, 0);
	for (size_t len = 0; len < n; len++) {
		char *cut = malloc(len ? len : 1);

		ck_assert_ptr_nonnull(cut);
		memcpy(cut, line, len);
		parse_n(cut, len, &r);
		ck_assert(r.msg_len <= len);
		if (r.format == FMT_ACCESS) {
			ck_assert_msg(line[0] != '{', "JSON cut at %zu taken", len);
			ck_assert_int_eq(r.time, full.time);
			ck_assert(same_span(&r, r.client, &full, full.client));
			ck_assert(same_span(&r, r.host, &full, full.host));
			ck_assert(same_span(&r, r.request, &full, full.request));
			ck_assert_msg(r.status == 0 || r.status == full.status, "cut at %zu: status %d",
				      len, r.status);
			/* Cut inside the number, the time reads shorter. */
			ck_assert_msg(r.request_us == -1 || r.request_us == full.request_us ||
					      (cut[len - 1] >= '0' && cut[len - 1] <= '9'),
				      "cut at %zu: request_us %lld", len, (long long)r.request_us);
		}
		free(cut);
	}
	free(whole);
}
END_TEST

Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("formats");

	tcase_add_test(tc, test_nginx);
	tcase_add_test(tc, test_nginx_no_connection);
	tcase_add_test(tc, test_nginx_prefix_numbers);
	tcase_add_test(tc, test_nginx_fields_last);
	tcase_add_test(tc, test_nginx_deferred_fields);
	tcase_add_test(tc, test_match_len);
	tcase_add_test(tc, test_apache24);
	tcase_add_test(tc, test_apache22);
	tcase_add_test(tc, test_php);
	tcase_add_test(tc, test_generic_iso);
	tcase_add_test(tc, test_unknown_line);
	tcase_add_test(tc, test_forced_format);
	tcase_add_test(tc, test_levels);
	tcase_add_test(tc, test_local_zone);
	tcase_add_test(tc, test_nginx_stamp_repeats);
	tcase_add_test(tc, test_nginx_level_repeats);
	tcase_add_test(tc, test_syslog);
	tcase_add_test(tc, test_syslog_new_year);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_app_layouts);
	tcase_add_test(tc, test_access);
	tcase_add_test(tc, test_access_combined_timed);
	tcase_add_test(tc, test_access_bare_numbers);
	tcase_add_test(tc, test_access_common);
	tcase_add_test(tc, test_access_vhost);
	tcase_add_test(tc, test_access_zones);
	tcase_add_test(tc, test_access_json);
	tcase_add_test(tc, test_access_json_split);
	tcase_add_test(tc, test_access_json_times);
	tcase_add_test(tc, test_access_not);
	tcase_add_test(tc, test_access_format_switch);
	tcase_add_loop_test(tc, test_access_truncated, 0,
			    (int)(sizeof truncated_lines / sizeof truncated_lines[0]));
	suite_add_tcase(s, tc);
	return s;
}
