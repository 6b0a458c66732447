/*
 * The access-log join: the matching rules one by one on hand-written
 * lines, then the whole program on incidents written by bench/genpair in
 * the shapes that make a join hard, scored against the generator's truth.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "join.h"
#include "jsonr.h"
#include "record.h"
#include "testutil.h"

static const char rules_text[] =
	"[cause db]\ntitle = Database\nkind = fault\nstatus = 500 502 503\nmatch = SQLSTATE\n"
	"[cause upstream-down]\ntitle = Down\nkind = fault\nstatus = 502 503\nmatch = refused\n"
	"[cause upstream-timeout]\ntitle = Timeout\nkind = fault\nstatus = 504 502 500\n"
	"match = timed out\n"
	"[cause overload]\ntitle = Overload\nkind = fault\nstatus = 503 502 504 500\n"
	"match = worker_connections\n"
	"[cause client]\ntitle = Client\nkind = noise\nstatus = 499 400\nmatch = prematurely\n";

enum { DB, DOWN, TIMEOUT, OVERLOAD, CLIENT };

struct fixture {
	struct ruleset rs;
	struct responses *out;
	struct join *j;
	struct record_parser ep, ap;
	struct tzone utc;
};

static void setup(struct fixture *f, size_t capacity)
{
	struct capture cap;
	struct join_options o;

	capture_open(&cap);
	rules_init(&f->rs);
	ck_assert_int_eq(rules_load_buffer(&f->rs, "j.rules", rules_text, sizeof rules_text - 1,
					   &cap.dg), 0);
	ck_assert_int_eq(rules_finish(&f->rs, &cap.dg), 0);
	capture_close(&cap);
	f->out = responses_new(f->rs.ncauses);
	ck_assert_ptr_nonnull(f->out);
	join_default_options(&o);
	if (capacity)
		o.capacity = capacity;
	f->j = join_new(&f->rs, f->out, &o);
	ck_assert_ptr_nonnull(f->j);
	tzone_init_fixed(&f->utc, 0);
	record_parser_init(&f->ep, FMT_COUNT, &f->utc);
	record_parser_init(&f->ap, FMT_COUNT, &f->utc);
}

static void teardown(struct fixture *f)
{
	join_free(f->j);
	responses_free(f->out);
	record_parser_release(&f->ep);
	record_parser_release(&f->ap);
	rules_release(&f->rs);
}

/* An nginx error record at hh:mm:ss of 2026-11-27, with its cause. */
static void error_at(struct fixture *f, const char *hms, long cause, const char *what,
		     const char *client, const char *request, uint64_t line)
{
	char text[1024];
	struct record r;

	if (client)
		snprintf(text, sizeof text,
			 "2026/11/27 %s [error] 811#811: *1 %s, client: %s, server: shop.example, "
			 "request: \"%s\", host: \"shop.example\"",
			 hms, what, client, request);
	else
		snprintf(text, sizeof text, "2026/11/27 %s [alert] 811#811: %s", hms, what);
	record_parse(&f->ep, text, strlen(text), line, false, &r);
	ck_assert_int_eq(r.format, FMT_NGINX_ERROR);
	join_add_record(f->j, &r, cause, 0);
}

/* The join's answer for a combined-format response. */
static struct join_match response_at(struct fixture *f, const char *hms, const char *client,
				     const char *request, int status, const char *extra)
{
	char text[1024];
	struct record r;
	struct join_match m;

	snprintf(text, sizeof text, "%s - - [27/Nov/2026:%s +0000] \"%s\" %d 157 \"-\" \"curl/8\"%s",
		 client, hms, request, status, extra ? extra : "");
	record_parse(&f->ap, text, strlen(text), 1, false, &r);
	ck_assert_int_eq(r.format, FMT_ACCESS);
	m = join_response(f->j, &r);
	responses_add(f->out, &r, &m);
	return m;
}

START_TEST(test_fields)
{
	struct fixture f;
	struct join_match m;

	setup(&f, 0);
	error_at(&f, "10:15:02", DB, "SQLSTATE[08006]", "203.0.113.9", "GET /cart HTTP/1.1", 7);
	error_at(&f, "10:15:02", DOWN, "connect() refused", "203.0.113.10", "GET /cart HTTP/1.1", 8);
	/* Another client, another path, another protocol: no match. */
	m = response_at(&f, "10:15:02", "203.0.113.11", "GET /cart HTTP/1.1", 500, NULL);
	ck_assert_int_eq(m.by, JOIN_NONE);
	m = response_at(&f, "10:15:02", "203.0.113.9", "GET /cart?x=1 HTTP/1.1", 500, NULL);
	ck_assert_int_eq(m.by, JOIN_NONE);
	m = response_at(&f, "10:15:02", "203.0.113.9", "GET /cart HTTP/2.0", 500, NULL);
	ck_assert_int_eq(m.by, JOIN_NONE);
	m = response_at(&f, "10:15:03", "203.0.113.9", "GET /cart HTTP/1.1", 500, NULL);
	ck_assert_int_eq(m.by, JOIN_FIELDS);
	ck_assert_int_eq(m.cause, DB);
	ck_assert_uint_eq(m.line, 7);
	/* Taken: the same response again finds nothing. */
	m = response_at(&f, "10:15:03", "203.0.113.9", "GET /cart HTTP/1.1", 500, NULL);
	ck_assert_int_eq(m.by, JOIN_NONE);
	m = response_at(&f, "10:15:03", "203.0.113.10", "GET /cart HTTP/1.1", 502, NULL);
	ck_assert_int_eq(m.cause, DOWN);
	ck_assert_uint_eq(f.out->explained, 2);
	ck_assert_uint_eq(f.out->unexplained, 4);
	ck_assert_uint_eq(f.out->causes[DB].explained, 1);
	ck_assert_uint_eq(f.out->causes[DB].status[0], 1);
	join_finish(f.j, INT64_MAX);
	ck_assert_uint_eq(f.out->causes[DB].records, 1);
	ck_assert_uint_eq(f.out->causes[DB].records_matched, 1);
	teardown(&f);
}
END_TEST

/* An upstream timeout is logged up to the timeout before its 504; a
 * record after the response only within the slack. */
START_TEST(test_time_bounds)
{
	struct fixture f;
	struct join_match m;

	setup(&f, 0);
	error_at(&f, "10:14:02", TIMEOUT, "upstream timed out", "192.0.2.7", "GET /a HTTP/1.1", 1);
	error_at(&f, "10:15:05", DOWN, "connect() refused", "192.0.2.7", "GET /b HTTP/1.1", 2);
	error_at(&f, "10:13:00", TIMEOUT, "upstream timed out", "192.0.2.7", "GET /c HTTP/1.1", 3);
	m = response_at(&f, "10:15:02", "192.0.2.7", "GET /a HTTP/1.1", 504, NULL);
	ck_assert_int_eq(m.cause, TIMEOUT);
	m = response_at(&f, "10:15:02", "192.0.2.7", "GET /b HTTP/1.1", 502, NULL);
	ck_assert_int_eq(m.by, JOIN_NONE); /* 3 s after the response */
	m = response_at(&f, "10:15:04", "192.0.2.7", "GET /b HTTP/1.1", 502, NULL);
	ck_assert_int_eq(m.cause, DOWN);  /* 1 s after: skew, 1-second stamps */
	m = response_at(&f, "10:15:02", "192.0.2.7", "GET /c HTTP/1.1", 504, NULL);
	ck_assert_int_eq(m.by, JOIN_NONE); /* 122 s before: past the window */
	teardown(&f);
}
END_TEST

/* $request_time says when the request began: nothing older explains it. */
START_TEST(test_request_time)
{
	struct fixture f;
	struct join_match m;

	setup(&f, 0);
	error_at(&f, "10:15:00", TIMEOUT, "upstream timed out", "192.0.2.7", "GET /a HTTP/1.1", 1);
	m = response_at(&f, "10:15:30", "192.0.2.7", "GET /a HTTP/1.1", 504, " rt=5.002");
	ck_assert_int_eq(m.by, JOIN_NONE);
	m = response_at(&f, "10:15:30", "192.0.2.7", "GET /a HTTP/1.1", 504, " rt=30.001");
	ck_assert_int_eq(m.cause, TIMEOUT);
	teardown(&f);
}
END_TEST

/* Of two records of one request, the one whose cause answers the status. */
START_TEST(test_fitness)
{
	struct fixture f;
	struct join_match m;

	setup(&f, 0);
	error_at(&f, "10:14:30", TIMEOUT, "upstream timed out", "192.0.2.1", "GET /s HTTP/1.1", 1);
	error_at(&f, "10:15:30", DOWN, "connect() refused", "192.0.2.1", "GET /s HTTP/1.1", 2);
	m = response_at(&f, "10:15:30", "192.0.2.1", "GET /s HTTP/1.1", 504, NULL);
	ck_assert_uint_eq(m.line, 1);
	m = response_at(&f, "10:15:30", "192.0.2.1", "GET /s HTTP/1.1", 502, NULL);
	ck_assert_uint_eq(m.line, 2);
	/* A client's abort explains no 5xx, though its request matches. */
	error_at(&f, "10:15:40", CLIENT, "client prematurely closed", "192.0.2.1",
		 "GET /t HTTP/1.1", 3);
	m = response_at(&f, "10:15:40", "192.0.2.1", "GET /t HTTP/1.1", 502, NULL);
	ck_assert_int_eq(m.cause, -1);
	ck_assert_int_eq(m.by, JOIN_NONE);
	teardown(&f);
}
END_TEST

/* A 200 borrows what its request left; a 5xx with nothing else takes it. */
START_TEST(test_borrowed)
{
	struct fixture f;
	struct join_match m;

	setup(&f, 0);
	error_at(&f, "10:15:00", DOWN, "connect() refused", "192.0.2.1", "GET /s HTTP/1.1", 1);
	m = response_at(&f, "10:15:00", "192.0.2.1", "GET /s HTTP/1.1", 200, NULL);
	ck_assert_int_eq(m.by, JOIN_FIELDS);
	m = response_at(&f, "10:15:00", "192.0.2.1", "GET /s HTTP/1.1", 404, NULL);
	ck_assert_int_eq(m.by, JOIN_NONE);
	m = response_at(&f, "10:15:01", "192.0.2.1", "GET /s HTTP/1.1", 502, NULL);
	ck_assert_int_eq(m.cause, DOWN);
	m = response_at(&f, "10:15:01", "192.0.2.1", "GET /s HTTP/1.1", 502, NULL);
	ck_assert_int_eq(m.by, JOIN_NONE);
	ck_assert_uint_eq(f.out->by_class[2], 1);
	ck_assert_uint_eq(f.out->by_class[4], 1);
	ck_assert_uint_eq(f.out->by_class[5], 2);
	teardown(&f);
}
END_TEST

/* A field-less alert explains the 5xx just after it, and many of them. */
START_TEST(test_nearness)
{
	struct fixture f;
	struct join_match m;

	setup(&f, 0);
	error_at(&f, "10:15:00", OVERLOAD, "768 worker_connections are not enough", NULL, NULL, 9);
	for (int i = 0; i < 3; i++) {
		m = response_at(&f, "10:15:01", "192.0.2.50", "GET / HTTP/1.1", 503, NULL);
		ck_assert_int_eq(m.cause, OVERLOAD);
		ck_assert_int_eq(m.by, JOIN_TIME);
		ck_assert_uint_eq(m.line, 9);
	}
	m = response_at(&f, "10:15:05", "192.0.2.50", "GET / HTTP/1.1", 503, NULL);
	ck_assert_int_eq(m.by, JOIN_NONE); /* too far */
	m = response_at(&f, "10:15:01", "192.0.2.50", "GET / HTTP/1.1", 200, NULL);
	ck_assert_int_eq(m.by, JOIN_NONE); /* only a 5xx */
	ck_assert_uint_eq(f.out->causes[OVERLOAD].by_time, 3);
	join_finish(f.j, INT64_MAX);
	ck_assert_uint_eq(f.out->causes[OVERLOAD].records, 1);
	ck_assert_uint_eq(f.out->causes[OVERLOAD].records_matched, 1);
	teardown(&f);
}
END_TEST

/* Apache names the client with its port and no request. */
START_TEST(test_client_only)
{
	struct fixture f;
	const char *e = "[Fri Nov 27 10:15:02.123456 2026] [proxy:error] [pid 42:tid 7] (111)Connection "
			"refused: [client 203.0.113.9:51234] AH00957: HTTP: attempt to connect to "
			"127.0.0.1:8080 (localhost) failed";
	struct record r;
	struct join_match m;

	setup(&f, 0);
	record_parse(&f.ep, e, strlen(e), 4, false, &r);
	ck_assert_int_eq(r.format, FMT_APACHE_ERROR);
	join_add_record(f.j, &r, DOWN, 0);
	m = response_at(&f, "10:15:02", "203.0.113.9", "GET /x HTTP/1.1", 200, NULL);
	ck_assert_int_eq(m.by, JOIN_NONE); /* a client alone is no reason for a 200 */
	m = response_at(&f, "10:15:02", "203.0.113.9", "GET /x HTTP/1.1", 503, NULL);
	ck_assert_int_eq(m.by, JOIN_CLIENT);
	ck_assert_int_eq(m.cause, DOWN);
	ck_assert_uint_eq(m.line, 4);
	teardown(&f);
}
END_TEST

/* The window is a ring of fixed size: when it is full the oldest record
 * leaves early and is counted; expiry lets go of what no response can
 * reach any more. */
START_TEST(test_bounded)
{
	struct fixture f;
	struct join_match m;
	char client[32];

	setup(&f, 16);
	for (int i = 0; i < 20; i++) {
		snprintf(client, sizeof client, "192.0.2.%d", i);
		error_at(&f, "10:15:00", DB, "SQLSTATE", client, "GET / HTTP/1.1", (uint64_t)i + 1);
	}
	ck_assert_uint_eq(f.out->window_full, 4);
	ck_assert_uint_eq(f.out->causes[DB].records, 4);
	m = response_at(&f, "10:15:00", "192.0.2.0", "GET / HTTP/1.1", 500, NULL);
	ck_assert_int_eq(m.by, JOIN_NONE);
	m = response_at(&f, "10:15:00", "192.0.2.19", "GET / HTTP/1.1", 500, NULL);
	ck_assert_int_eq(m.cause, DB);
	join_expire(f.j, (int64_t)1795774500 * 1000000 + 600 * 1000000LL);
	ck_assert_uint_eq(f.out->causes[DB].records, 20);
	ck_assert_uint_eq(f.out->causes[DB].records_matched, 1);
	teardown(&f);
}
END_TEST

/* The ring starts small and doubles; records keep their chains across. */
START_TEST(test_grows)
{
	struct fixture f;
	struct join_match m;
	char client[32];

	setup(&f, 0);
	for (int i = 0; i < 10000; i++) {
		snprintf(client, sizeof client, "10.0.%d.%d", i / 256, i % 256);
		error_at(&f, "10:15:00", i % 2 ? DB : DOWN, i % 2 ? "SQLSTATE" : "refused", client,
			 "GET / HTTP/1.1", (uint64_t)i + 1);
	}
	ck_assert_uint_eq(f.out->window_full, 0);
	for (int i = 0; i < 10000; i += 997) {
		snprintf(client, sizeof client, "10.0.%d.%d", i / 256, i % 256);
		m = response_at(&f, "10:15:00", client, "GET / HTTP/1.1", 502, NULL);
		ck_assert_int_eq(m.by, JOIN_FIELDS);
		ck_assert_uint_eq(m.line, (uint64_t)i + 1);
	}
	teardown(&f);
}
END_TEST

/* ---- the whole program against bench/genpair's truth ---- */

static const char *tool(const char *env, const char *dflt)
{
	const char *v = getenv(env);

	return v && *v ? v : dflt;
}

struct score {
	size_t fivexx, right, wrong;
};

/* Runs genpair with args, then logcause --events on its logs, and scores
 * every 5xx response against the truth file. */
static struct score score_shape(const char *args)
{
	char dir[] = "/tmp/logcause-join-XXXXXX", cmd[2048], *truth, *events, *p;
	char **want = NULL;
	size_t nlines = 0;
	struct score sc = { 0, 0, 0 };
	struct arena ar;
	size_t len;
	int rc;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* The catalogue of the tree, and genpair's zone-less stamps in UTC. */
	setenv("LOGCAUSE_PATTERNS", "patterns", 1);
	setenv("TZ", "UTC", 1);
	snprintf(cmd, sizeof cmd,
		 "'%s' --error %s/error.log --access %s/access.log --truth %s/truth.tsv %s && "
		 "'%s' --events %s/error.log %s/access.log > %s/events.ndjson",
		 tool("LOGCAUSE_GENPAIR", "build/normal/genpair"), dir, dir, dir, args,
		 tool("LOGCAUSE_BIN", "./logcause"), dir, dir, dir);
	rc = system(cmd);
	ck_assert_msg(WIFEXITED(rc) && WEXITSTATUS(rc) == 0, "failed: %s", cmd);
	snprintf(cmd, sizeof cmd, "%s/truth.tsv", dir);
	truth = slurp(cmd, &len);
	ck_assert_ptr_nonnull(truth);
	/* LINE STATUS CAUSE RECORD: the cause of line n, for a 5xx. */
	for (p = truth; *p; ) {
		char *nl = strchr(p, '\n'), *f2, *f3;
		unsigned long line = strtoul(p, &f2, 10);
		long status = strtol(f2 + 1, &f3, 10);

		if (nl)
			*nl = '\0';
		if (line >= nlines) {
			size_t n = nlines ? 2 * nlines : 1024;

			while (n <= line)
				n *= 2;
			want = realloc(want, n * sizeof *want);
			ck_assert_ptr_nonnull(want);
			memset(want + nlines, 0, (n - nlines) * sizeof *want);
			nlines = n;
		}
		if (status >= 500) {
			char *tab = strchr(f3 + 1, '\t');

			if (tab)
				*tab = '\0';
			want[line] = f3 + 1;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	snprintf(cmd, sizeof cmd, "%s/events.ndjson", dir);
	events = slurp(cmd, &len);
	ck_assert_ptr_nonnull(events);
	arena_init(&ar);
	for (p = events; *p; ) {
		char *nl = strchr(p, '\n'), err[128];
		const struct jv *ev, *st;
		uint64_t line;
		const char *got, *expect;

		ck_assert_ptr_nonnull(nl);
		ev = jsonr_parse(&ar, p, (size_t)(nl - p), err, sizeof err, NULL);
		ck_assert_msg(ev != NULL, "bad event: %s", err);
		p = nl + 1;
		st = jv_get(ev, "status");
		if (strcmp(jv_str(jv_get(ev, "format")), "access") != 0 || jv_u64(st, 0) < 500)
			continue;
		line = jv_u64(jv_get(ev, "line"), 0);
		ck_assert_uint_lt(line, nlines);
		expect = want[line];
		ck_assert_ptr_nonnull(expect);
		got = jv_str(jv_get(ev, "cause"));
		if (!got)
			got = "unexplained";
		sc.fivexx++;
		if (strcmp(got, expect) == 0)
			sc.right++;
		else if (strcmp(got, "unexplained") != 0)
			sc.wrong++;
	}
	arena_release(&ar);
	free(events);
	free(truth);
	free(want);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	return sc;
}

static const char *const shapes[] = {
	"--seed 11 --requests 60k",
	"--seed 12 --requests 60k --error-zone +0900 --access-zone +0900",
	"--seed 13 --requests 60k --skew 1",
	"--seed 14 --requests 60k --skew -1",
	"--seed 15 --requests 60k --timeout 60 --access-format combined-timed",
	"--seed 16 --requests 60k --hot-client 0.3",
	"--seed 17 --requests 60k --access-format json --error-zone -0330 --access-zone -0330",
};

/* At least 98 % of 5xx to the right cause, under 1 % to a wrong one. */
START_TEST(test_generated)
{
	struct score sc = score_shape(shapes[_i]);

	ck_assert_uint_gt(sc.fivexx, 1000);
	ck_assert_msg(sc.right * 100 >= sc.fivexx * 98 && sc.wrong * 100 < sc.fivexx,
		      "%s: %zu 5xx, %zu right, %zu wrong", shapes[_i], sc.fivexx, sc.right,
		      sc.wrong);
}
END_TEST

Suite *join_suite(void)
{
	Suite *s = suite_create("join");
	TCase *tc = tcase_create("rules");
	TCase *gen = tcase_create("generated");

	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_time_bounds);
	tcase_add_test(tc, test_request_time);
	tcase_add_test(tc, test_fitness);
	tcase_add_test(tc, test_borrowed);
	tcase_add_test(tc, test_nearness);
	tcase_add_test(tc, test_client_only);
	tcase_add_test(tc, test_bounded);
	tcase_add_test(tc, test_grows);
	suite_add_tcase(s, tc);
	tcase_set_timeout(gen, 120);
	tcase_add_loop_test(gen, test_generated, 0, sizeof shapes / sizeof shapes[0]);
	suite_add_tcase(s, gen);
	return s;
}
