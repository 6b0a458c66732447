/* tally and report: counts, examples, ranking, and the text report. */
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "jsonr.h"
#include "match.h"
#include "merge.h"
#include "report.h"
#include "responses.h"
#include "tally.h"
#include "testutil.h"

static const char set[] =
	"[cause db]\ntitle = Database\nkind = fault\nstatus = 500\nhint = Check the db.\n"
	"[cause upstream-timeout]\ntitle = Timeout\nkind = fault\nstatus = 504\n"
	"[cause dns]\ntitle = DNS\nkind = fault\n"
	"[cause not-found]\ntitle = Missing\nkind = noise\nstatus = 404\n";

static void load(struct ruleset *rs)
{
	struct capture cap;

	capture_open(&cap);
	rules_init(rs);
	ck_assert_int_eq(rules_load_buffer(rs, "r.rules", set, sizeof set - 1, &cap.dg), 0);
	capture_close(&cap);
}

static void rec(struct record *r, const char *text, int64_t sec)
{
	memset(r, 0, sizeof *r);
	r->text = r->msg = text;
	r->len = r->msg_len = r->core_len = strlen(text);
	r->level = LEVEL_ERROR;
	r->time = sec == -1 ? TSTAMP_NONE : sec * TSTAMP_US_PER_SEC;
}

START_TEST(test_tally_counts_and_examples)
{
	struct tally *t = tally_new(2);
	struct record r;

	rec(&r, "worker 12 failed", 100);
	tally_add(t, 0, &r);
	rec(&r, "worker 31 failed", 50);  /* same shape, earlier */
	tally_add(t, 0, &r);
	rec(&r, "disk gone", 200);
	tally_add(t, 0, &r);
	rec(&r, "a", -1);
	tally_add(t, 0, &r);
	rec(&r, "b", 300);
	tally_add(t, 0, &r);
	rec(&r, "c", 300);
	tally_add(t, 0, &r);  /* fourth shape: no room */
	rec(&r, "?", 400);
	tally_add(t, MATCH_NONE, &r);
	tally_add_below(t, &r);

	ck_assert_uint_eq(t->records, 8);
	ck_assert_uint_eq(t->below_level, 1);
	ck_assert_uint_eq(t->unattributed, 1);
	ck_assert_uint_eq(t->causes[0].events, 6);
	ck_assert_int_eq(t->causes[0].first, 50 * TSTAMP_US_PER_SEC);
	ck_assert_int_eq(t->causes[0].last, 300 * TSTAMP_US_PER_SEC);
	ck_assert_uint_eq(t->causes[0].nexamples, 3);
	ck_assert(memcmp(t->causes[0].examples[0].text, "worker 12 failed", 16) == 0);
	ck_assert(memcmp(t->causes[0].examples[1].text, "disk gone", 9) == 0);
	ck_assert_int_eq(t->first, 50 * TSTAMP_US_PER_SEC);
	ck_assert_int_eq(t->last, 400 * TSTAMP_US_PER_SEC);
	tally_free(t);
}
END_TEST

/* An example longer than the bound is kept cut, never overflowing. */
START_TEST(test_tally_long_example)
{
	struct tally *t = tally_new(1);
	size_t n = TALLY_EXAMPLE_MAX * 3;
	char *text = malloc(n + 1);
	struct record r;

	memset(text, 'q', n);
	text[n] = '\0';
	rec(&r, text, 1);
	tally_add(t, 0, &r);
	ck_assert_uint_eq(t->causes[0].examples[0].len, TALLY_EXAMPLE_MAX);
	tally_free(t);
	free(text);
}
END_TEST

/* A counts-only cause keeps its count, span and timeline and nothing
 * more; the other causes are untouched. */
START_TEST(test_tally_counts_only)
{
	struct tally *t = tally_new(2);
	struct topk_entry e[4];
	struct record r;
	uint64_t in_timeline = 0;

	tally_counts_only(t, 1);
	rec(&r, "open() \"/x\" failed, client: 10.0.0.1", 120);
	tally_add(t, 1, &r);
	rec(&r, "open() \"/y\" failed", 60);
	tally_add(t, 1, &r);
	tally_add(t, 0, &r);
	ck_assert_uint_eq(t->causes[1].events, 2);
	ck_assert_int_eq(t->causes[1].first, 60 * TSTAMP_US_PER_SEC);
	ck_assert_int_eq(t->causes[1].last, 120 * TSTAMP_US_PER_SEC);
	for (size_t i = 0; i < timeline_buckets(t->timeline); i++)
		in_timeline += timeline_count(t->timeline, 1, i);
	ck_assert_uint_eq(in_timeline, 2);
	ck_assert_uint_eq(topk_sorted(t->causes[1].templates, e, 4), 0);
	ck_assert_uint_eq(t->causes[1].nexamples, 0);
	ck_assert_uint_eq(topk_sorted(t->causes[0].templates, e, 4), 1);
	ck_assert_uint_eq(t->causes[0].nexamples, 1);
	ck_assert_uint_eq(t->records, 3);
	tally_free(t);
}
END_TEST

/* A report of one input at the error level. */
static struct report report_of(const struct ruleset *rs, struct tally *t,
			       const struct input_summary *in)
{
	struct report rep;

	memset(&rep, 0, sizeof rep);
	rep.rs = rs;
	rep.tally = t;
	rep.inputs = in;
	rep.ninputs = 1;
	rep.min_level = LEVEL_ERROR;
	return rep;
}

/* What emit writes of rep at width columns, in a malloc'd string. */
/* The stream's buffer and length live on the heap: with their addresses
 * taken from the stack, GCC -O3 takes the text returned for a pointer
 * into this frame. */
struct memout {
	char *buf;
	size_t len;
};

static char *render_with(const struct report *rep, report_emit_fn emit, unsigned width)
{
	struct report_options o = { width, false };
	struct memout *m = calloc(1, sizeof *m);
	FILE *f;
	char *buf;

	ck_assert_ptr_nonnull(m);
	f = open_memstream(&m->buf, &m->len);
	ck_assert_int_eq(emit(f, rep, &o), 0);
	fclose(f);
	buf = m->buf;
	free(m);
	return buf;
}

static char *render(const struct report *rep, unsigned width)
{
	return render_with(rep, report_text, width);
}

static char *render_as(const struct report *rep, report_emit_fn emit)
{
	return render_with(rep, emit, 80);
}

START_TEST(test_rank_and_text)
{
	struct ruleset rs;
	struct tally *t;
	struct input_summary in = { "error.log", CODEC_GZIP, FMT_NGINX_ERROR, 1000, 4000, 9, false, false };
	struct report rep;
	struct record r;
	size_t rank[4];
	char *out;

	setenv("TZ", "UTC", 1);
	tzset();
	load(&rs);
	t = tally_new(rs.ncauses);
	rec(&r, "timeout \x1b[2J evil", 1795774502);
	for (int i = 0; i < 3; i++)
		tally_add(t, 1, &r);
	rec(&r, "db down", 1795774562);
	tally_add(t, 0, &r);
	rec(&r, "missing", 1795774562);
	tally_add(t, 3, &r);
	tally_add(t, 3, &r);
	rec(&r, "who knows", 1795774570);
	tally_add(t, MATCH_NONE, &r);
	tally_add_below(t, &r);
	tally_add_below(t, &r);

	rep = report_of(&rs, t, &in);
	ck_assert_uint_eq(report_rank(&rep, CAUSE_FAULT, rank, 4), 2);
	ck_assert_uint_eq(rank[0], 1);
	ck_assert_uint_eq(rank[1], 0);
	ck_assert_uint_eq(report_rank(&rep, CAUSE_FAULT, rank, 1), 1);
	ck_assert_uint_eq(rank[0], 1);
	ck_assert_uint_eq(report_rank(&rep, CAUSE_NOISE, rank, 4), 1);

	out = render(&rep, 80);
	ck_assert_msg(strstr(out, "Inputs   1 file, 9 lines, 3.9 KiB (1000 B compressed)\n"), "%s", out);
	ck_assert_msg(strstr(out, "Records  9, 7 at error or above\n"), "%s", out);
	ck_assert_msg(strstr(out, "Span     2026-11-27 10:15:02 to 10:16:10 UTC\n"), "%s", out);
	ck_assert_msg(strstr(out, "  1  upstream-timeout              3   75.0%  504      10:15:02    10:15:02\n"), "%s", out);
	ck_assert_msg(strstr(out, "  2  db                            1   25.0%  500      10:16:02    10:16:02\n"), "%s", out);
	ck_assert_msg(strstr(out, "Noise         not-found 2 (not causes of 5xx)\n"), "%s", out);
	ck_assert_msg(strstr(out, "Unattributed  1 of 7 records at error or above (14.3%)\n"), "%s", out);
	ck_assert_msg(strstr(out, "2. db: Database\n   1 event (25.0%), 10:16:02 to 10:16:02\n"), "%s", out);
	ck_assert_msg(strstr(out, "(1 min per mark)\n   hint: Check the db.\n            1  db down\n"
				  "              e.g. db down\n"), "%s", out);
	ck_assert_msg(strstr(out, "Unattributed, by template (what a new rule could explain):\n"
				  "            1  who knows\n"), "%s", out);
	ck_assert_msg(strstr(out, "3 events (75.0%), 10:15:02 to 10:15:02, peak 10:15 (3 in that minute)\n"), "%s", out);
	/* The escape sequence is shown, not sent to the terminal. */
	ck_assert_msg(strstr(out, "            3  timeout \\x1b[2J evil\n"), "%s", out);
	ck_assert_ptr_null(strchr(out, '\x1b'));
	free(out);
	tally_free(t);
	rules_release(&rs);
}
END_TEST

START_TEST(test_text_empty_and_width)
{
	struct ruleset rs;
	struct tally *t;
	struct report rep;
	struct record r;
	char long_line[300], *out, *line;

	load(&rs);
	t = tally_new(rs.ncauses);
	memset(&rep, 0, sizeof rep);
	rep.rs = &rs;
	rep.tally = t;
	rep.min_level = LEVEL_ERROR;
	out = render(&rep, 80);
	ck_assert_msg(strstr(out, "Nothing to analyse: the input holds no records.\n"), "%s", out);
	free(out);

	memset(long_line, 'x', sizeof long_line - 1);
	long_line[sizeof long_line - 1] = '\0';
	rec(&r, long_line, 1);
	tally_add(t, 0, &r);
	out = render(&rep, 80);
	/* Template and example lines are cut to fit 80 columns, with "...". */
	line = strstr(out, "              e.g. xxx");
	ck_assert_msg(line != NULL, "%s", out);
	ck_assert_uint_eq(strcspn(line, "\n"), 80);
	ck_assert(memcmp(line + 77, "...", 3) == 0);
	line = strstr(out, "            1  xxx");
	ck_assert_msg(line != NULL, "%s", out);
	ck_assert_uint_eq(strcspn(line, "\n"), 80);
	free(out);
	tally_free(t);
	rules_release(&rs);
}
END_TEST

/* ---- the access logs joined: the Responses section ---- */

/* An access-log response: the request line is the whole text. */
static void respond(struct responses *rs, const char *req, int status, int64_t sec, long cause,
		    enum join_by by)
{
	struct record a;
	struct join_match m = { cause, by, 0, 0 };

	memset(&a, 0, sizeof a);
	a.text = a.msg = req;
	a.len = a.msg_len = a.core_len = strlen(req);
	a.format = FMT_ACCESS;
	a.level = LEVEL_NONE;
	a.request.len = (uint32_t)strlen(req);
	a.status = status;
	a.time = sec == -1 ? TSTAMP_NONE : sec * TSTAMP_US_PER_SEC;
	responses_add(rs, &a, &m);
}

/* The report of test_rank_and_text, with access logs joined to it. */
struct joined {
	struct ruleset rs;
	struct tally *t;
	struct responses *resp;
	struct pattern_info pi;
	struct input_summary in[2];
	struct report rep;
};

#define T0 INT64_C(1795774502) /* 2026-11-27 10:15:02 UTC */

static void joined_init(struct joined *j, bool with_responses)
{
	struct record r;
	struct input_summary in[2] = {
		{ "error.log", CODEC_PLAIN, FMT_NGINX_ERROR, 1000, 1000, 9, false, false },
		{ "access.log", CODEC_PLAIN, FMT_ACCESS, 2000, 2000, 18, false, false },
	};

	setenv("TZ", "UTC", 1);
	tzset();
	memset(j, 0, sizeof *j);
	load(&j->rs);
	report_pattern_info(&j->rs, &j->pi);
	memcpy(j->in, in, sizeof in);
	j->t = tally_new(j->rs.ncauses);
	rec(&r, "upstream timed out", T0);
	for (int i = 0; i < 4; i++)
		tally_add(j->t, 1, &r);
	rec(&r, "db down", T0 + 60);
	tally_add(j->t, 0, &r);
	rec(&r, "missing", T0 + 60);
	tally_add(j->t, 3, &r);
	tally_add(j->t, 3, &r);
	rec(&r, "who knows", T0 + 70);
	tally_add(j->t, MATCH_NONE, &r);
	j->rep.patterns = &j->pi;
	j->rep.rs = &j->rs;
	j->rep.tally = j->t;
	j->rep.inputs = j->in;
	j->rep.ninputs = 2;
	j->rep.min_level = LEVEL_ERROR;
	if (!with_responses)
		return;

	j->resp = responses_new(j->rs.ncauses);
	ck_assert_ptr_nonnull(j->resp);
	for (int i = 0; i < 5; i++)
		respond(j->resp, "GET / HTTP/1.1", 200, T0 + i, -1, JOIN_NONE);
	respond(j->resp, "GET /favicon.ico HTTP/1.1", 404, T0, 3, JOIN_FIELDS);
	respond(j->resp, "GET /old HTTP/1.1", 302, T0 + 1, -1, JOIN_NONE);
	respond(j->resp, "GET /health HTTP/1.1", 200, -1, -1, JOIN_NONE); /* untimed */
	/* upstream-timeout: three 502 by client and request, one 504 by time */
	for (int i = 0; i < 3; i++)
		respond(j->resp, "GET /api/cart/12 HTTP/1.1", 502, T0 + i, 1, JOIN_FIELDS);
	respond(j->resp, "POST /checkout HTTP/1.1", 504, T0 + 5, 1, JOIN_TIME);
	respond(j->resp, "GET /report HTTP/1.1", 500, T0 + 60, 0, JOIN_FIELDS);
	/* unexplained: two with a hostile path (one matched a record no rule
	 * attributes), one in another minute */
	respond(j->resp, "GET /<script>alert(1)</script>?q=\"x\" HTTP/1.1", 502, T0 + 120, -1,
		JOIN_FIELDS);
	respond(j->resp, "GET /<script>alert(1)</script> HTTP/1.1", 502, T0 + 121, -1, JOIN_NONE);
	respond(j->resp, "GET /api/cart/77 HTTP/1.1", 503, T0 + 200, -1, JOIN_NONE);
	for (int i = 0; i < 4; i++)
		responses_add_record(j->resp, 1, i < 3);
	responses_add_record(j->resp, 0, 1);
	responses_add_record(j->resp, 3, 0);
	responses_add_record(j->resp, 3, 1);
	j->resp->window_full = 2;
	j->rep.responses = j->resp;
}

static void joined_release(struct joined *j)
{
	responses_free(j->resp);
	tally_free(j->t);
	rules_release(&j->rs);
}

START_TEST(test_responses_text)
{
	struct joined j;
	char *out, *sec;

	joined_init(&j, true);
	out = render_as(&j.rep, report_text);
	/* After the causes, before the unattributed templates. */
	sec = strstr(out, "\nResponses  16 in the access logs, 2026-11-27 10:15:02 to 10:18:22 UTC\n"
			  "   2xx 6, 3xx 1, 4xx 1, 5xx 8\n"
			  "   5xx 8 (50.0% of responses): 502 \u00d75, 500 \u00d71, 503 \u00d71, 504 \u00d71\n");
	ck_assert_msg(sec != NULL, "%s", out);
	ck_assert_msg(sec > strstr(out, "2. db: Database"), "%s", out);
	ck_assert_msg(sec < strstr(out, "Unattributed, by template"), "%s", out);
	ck_assert_msg(strstr(sec, "  #  cause                    5xx   share  status              records matched\n"
				  "  1  upstream-timeout           4   50.0%  502 \u00d73, 504 \u00d71      3 of 4\n"
				  "       1 by time only (records with no client or request, matched by nearness)\n"
				  "  2  db                         1   12.5%  500 \u00d71              1 of 1\n"
				  "  3  not-found                  0    0.0%  -                   1 of 2\n"
				  "     unexplained                3   37.5%  502 \u00d72, 503 \u00d71\n"),
		      "%s", out);
	ck_assert_msg(strstr(sec, "\nUnexplained 5xx  3 of 8 (37.5%): 502 \u00d72, 503 \u00d71\n"
				  "   1 matched an error record that no rule attributes: look at the unattributed\n"
				  "   templates\n"
				  "   paths            2  /<script>alert(<N>)</script>\n"
				  "                    1  /api/cart/<PATH>\n"
				  "   minutes          2  2026-11-27 10:17\n"
				  "                    1  2026-11-27 10:18\n"),
		      "%s", out);
	ck_assert_msg(strstr(sec, "\nNote: the join window was full: 2 error records left it before their time, so\n"
				  "      some 5xx they explain may be counted as unexplained.\n"
				  "Note: 1 response had no readable time and was not joined.\n"),
		      "%s", out);
	free(out);
	joined_release(&j);
}
END_TEST

/* Many statuses do not push the table's columns out of line. */
START_TEST(test_responses_text_status_cut)
{
	struct joined j;
	char *out, *line;

	joined_init(&j, true);
	for (int s = 0; s < 8; s++)
		j.resp->causes[1].status[s] += 1000 + (uint64_t)s;
	out = render_as(&j.rep, report_text);
	line = strstr(out, "  1  upstream-timeout ");
	ck_assert_msg(line != NULL, "%s", out);
	line = strstr(line, "  507 \u00d71,007,...      3 of 4\n");
	ck_assert_msg(line != NULL, "%s", out);
	free(out);
	joined_release(&j);
}
END_TEST

START_TEST(test_responses_json)
{
	struct joined j;
	struct arena a;
	const struct jv *root, *rs, *c, *un, *e;
	char *out;

	joined_init(&j, true);
	out = render_as(&j.rep, report_json);
	ck_assert_msg(json_valid(out), "%s", out);
	arena_init(&a);
	root = jsonr_parse(&a, out, strlen(out), NULL, 0, NULL);
	ck_assert_ptr_nonnull(root);
	rs = jv_get(root, "responses");
	ck_assert_ptr_nonnull(rs);
	ck_assert_uint_eq(jv_u64(jv_get(rs, "total"), 0), 16);
	ck_assert_str_eq(jv_str(jv_get(jv_get(rs, "span"), "first")), "2026-11-27T10:15:02Z");
	ck_assert_uint_eq(jv_u64(jv_get(jv_get(rs, "by_class"), "2xx"), 0), 6);
	ck_assert_uint_eq(jv_u64(jv_get(jv_get(rs, "by_class"), "5xx"), 0), 8);
	ck_assert_uint_eq(jv_u64(jv_get(rs, "5xx"), 0), 8);
	ck_assert_uint_eq(jv_u64(jv_get(jv_get(rs, "status_5xx"), "502"), 0), 5);
	ck_assert_uint_eq(jv_get(rs, "status_5xx")->n, 4);
	ck_assert_uint_eq(jv_u64(jv_get(rs, "explained"), 0), 5);
	ck_assert(jv_num(jv_get(rs, "explained_share"), 0) == 0.625);
	c = jv_get(rs, "causes")->child;
	ck_assert_str_eq(jv_str(jv_get(c, "name")), "upstream-timeout");
	ck_assert_str_eq(jv_str(jv_get(c, "title")), "Timeout");
	ck_assert_uint_eq(jv_u64(jv_get(c, "explained"), 0), 4);
	ck_assert(jv_num(jv_get(c, "share"), 0) == 0.5);
	ck_assert_uint_eq(jv_u64(jv_get(jv_get(c, "status"), "502"), 0), 3);
	ck_assert_uint_eq(jv_u64(jv_get(jv_get(c, "status"), "504"), 0), 1);
	ck_assert_uint_eq(jv_u64(jv_get(c, "by_time"), 0), 1);
	ck_assert_uint_eq(jv_u64(jv_get(c, "records"), 0), 4);
	ck_assert_uint_eq(jv_u64(jv_get(c, "records_matched"), 0), 3);
	c = c->next->next;
	ck_assert_str_eq(jv_str(jv_get(c, "name")), "not-found");
	ck_assert_uint_eq(jv_u64(jv_get(c, "explained"), 1), 0);
	ck_assert_uint_eq(jv_get(c, "status")->n, 0);
	ck_assert_ptr_null(c->next);
	un = jv_get(rs, "unexplained");
	ck_assert_uint_eq(jv_u64(jv_get(un, "count"), 0), 3);
	ck_assert_uint_eq(jv_u64(jv_get(jv_get(un, "status"), "503"), 0), 1);
	ck_assert_uint_eq(jv_u64(jv_get(un, "unattributed_record"), 0), 1);
	e = jv_get(un, "paths")->child;
	ck_assert_str_eq(jv_str(jv_get(e, "path")), "/<script>alert(<N>)</script>");
	ck_assert_str_eq(jv_str(jv_get(e, "example")), "/<script>alert(1)</script>");
	ck_assert_uint_eq(jv_u64(jv_get(e, "count"), 0), 2);
	ck_assert(!jv_bool(jv_get(un, "paths_approximate"), true));
	e = jv_get(un, "minutes")->child;
	ck_assert_str_eq(jv_str(jv_get(e, "minute")), "2026-11-27T10:17:00Z");
	ck_assert_uint_eq(jv_u64(jv_get(e, "count"), 0), 2);
	ck_assert_uint_eq(jv_u64(jv_get(rs, "untimed"), 0), 1);
	ck_assert_uint_eq(jv_u64(jv_get(rs, "window_full"), 0), 2);
	/* The raw material of a merge. */
	rs = jv_get(jv_get(root, "merge"), "responses");
	ck_assert_ptr_nonnull(rs);
	ck_assert(jv_num(jv_get(rs, "first_us"), 0) == (double)(T0 * TSTAMP_US_PER_SEC));
	ck_assert_uint_eq(jv_get(rs, "paths")->n, 2);
	e = jv_get(rs, "minutes")->child;
	ck_assert_uint_eq(jv_u64(e->child, 0), (uint64_t)(T0 + 120) / 60);
	ck_assert_uint_eq(jv_u64(e->child->next, 0), 2);
	arena_release(&a);
	free(out);
	joined_release(&j);
}
END_TEST

/* Any bytes in a path: the JSON stays valid, the page gets no markup. */
START_TEST(test_responses_hostile_path)
{
	struct joined j;
	char *out;

	joined_init(&j, true);
	respond(j.resp, "GET /\x1b[2J\"\\\xff\xfe</td><script>x</script> HTTP/1.1", 500, T0, -1,
		JOIN_NONE);
	out = render_as(&j.rep, report_json);
	ck_assert_msg(json_valid(out), "%s", out);
	free(out);
	out = render_as(&j.rep, report_html);
	ck_assert_msg(strstr(out, "<code>/&lt;script&gt;alert(1)&lt;/script&gt;</code>"), "%s", out);
	ck_assert_msg(strstr(out, "\\x1b[2J&quot;\\\\xff\\xfe&lt;/td&gt;&lt;script&gt;"), "%s", out);
	ck_assert_ptr_null(strstr(out, "<script"));
	ck_assert_ptr_null(strchr(out, '\x1b'));
	free(out);
	out = render_as(&j.rep, report_text);
	ck_assert_ptr_null(strchr(out, '\x1b'));
	free(out);
	out = render_as(&j.rep, report_markdown);
	ck_assert_ptr_null(strchr(out, '\x1b'));
	free(out);
	joined_release(&j);
}
END_TEST

START_TEST(test_responses_markdown_html)
{
	struct joined j;
	char *out;

	joined_init(&j, true);
	out = render_as(&j.rep, report_markdown);
	ck_assert_msg(strstr(out, "\n## Responses\n\n- Responses: 16 in the access logs, 2026-11-27 10:15:02 to"
				  " 2026-11-27 10:18:22 UTC\n- By class: 2xx 6, 3xx 1, 4xx 1, 5xx 8\n"
				  "- 5xx: 8 (50.0% of responses): 502 \u00d75, 500 \u00d71, 503 \u00d71, 504 \u00d71\n"),
		      "%s", out);
	ck_assert_msg(strstr(out, "| 1 | [upstream-timeout](#upstream-timeout) | Timeout | 4 | 50.0% |"
				  " 502 \u00d73, 504 \u00d71 | 1 | 3 of 4 |\n"),
		      "%s", out);
	ck_assert_msg(strstr(out, "| 3 | not-found | Missing | 0 | 0.0% | - | 0 | 1 of 2 |\n"), "%s", out);
	ck_assert_msg(strstr(out, "| | *unexplained* | | 3 | 37.5% | 502 \u00d72, 503 \u00d71 | | |\n"), "%s", out);
	ck_assert_msg(strstr(out, "| `/<script>alert(<N>)</script>` | 2 |\n"), "%s", out);
	ck_assert_msg(strstr(out, "| 2026-11-27 10:17 | 2 |\n"), "%s", out);
	ck_assert_msg(strstr(out, "the join window was full: 2 error records"), "%s", out);
	free(out);

	out = render_as(&j.rep, report_html);
	ck_assert_msg(strstr(out, "<section id=\"responses\">\n<h2>Responses</h2>"), "%s", out);
	ck_assert_msg(strstr(out, "<a href=\"#cause-upstream-timeout\">upstream-timeout</a></div>"
				  "<div class=\"title\">Timeout</div></td><td class=\"num\">4</td>"
				  "<td class=\"num\">50.0%</td><td class=\"mono nw\">502 \u00d73, 504 \u00d71</td>"
				  "<td class=\"num\">1</td><td class=\"num\">3 of 4</td></tr>"),
		      "%s", out);
	ck_assert_msg(strstr(out, "<div class=\"name\">not-found</div>"), "%s", out);
	ck_assert_msg(strstr(out, ">2026-11-27 10:17</time></td><td class=\"num\">2</td>"), "%s", out);
	ck_assert_msg(strstr(out, "<p class=\"note\">The join window was full"), "%s", out);
	ck_assert_ptr_null(strstr(out, "<script"));
	free(out);
	joined_release(&j);
}
END_TEST

/* Without access logs no format says anything of responses: the
 * reports are those of before the join. */
START_TEST(test_responses_absent)
{
	report_emit_fn emit[] = { report_text, report_json, report_markdown, report_html };
	struct joined j;

	joined_init(&j, false);
	for (size_t i = 0; i < sizeof emit / sizeof emit[0]; i++) {
		char *out = render_as(&j.rep, emit[i]);

		ck_assert_msg(!strstr(out, "esponses") && !strstr(out, "nexplained") &&
				      !strstr(out, "explained") && !strstr(out, "ecords matched") &&
				      !strstr(out, "by time only"),
			      "format %zu", i);
		free(out);
	}
	joined_release(&j);
}
END_TEST

/* Access logs without error records: every format still shows them. */
START_TEST(test_responses_no_records)
{
	report_emit_fn emit[] = { report_text, report_json, report_markdown, report_html };
	const char *want[] = { "\nResponses  16 in the access logs", "\"responses\":{\"total\":16,",
			       "\n## Responses\n", "<section id=\"responses\">" };
	struct joined j;

	joined_init(&j, true);
	tally_free(j.t);
	j.t = tally_new(j.rs.ncauses);
	j.rep.tally = j.t;
	for (size_t i = 0; i < sizeof emit / sizeof emit[0]; i++) {
		char *out = render_as(&j.rep, emit[i]);

		ck_assert_msg(strstr(out, want[i]) != NULL, "format %zu", i);
		free(out);
	}
	joined_release(&j);
}
END_TEST

/* Writes the report as JSON to a temporary file; returns its path. */
static char *json_file(const struct report *rep)
{
	char *path = strdup("/tmp/check_report_XXXXXX"), *out = render_as(rep, report_json);
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs(out, f);
	ck_assert_int_eq(fclose(f), 0);
	free(out);
	return path;
}

/* The Responses section of a text report, up to the unattributed templates. */
static char *text_section(const struct report *rep)
{
	char *out = render_as(rep, report_text), *from = strstr(out, "\nResponses  "), *to, *sec;

	ck_assert_msg(from != NULL, "%s", out);
	to = strstr(from, "\nUnattributed, by template");
	ck_assert_msg(to != NULL, "%s", out);
	sec = strndup(from, (size_t)(to - from));
	free(out);
	return sec;
}

static struct report merged_report(const struct merged *m)
{
	struct report rep;

	memset(&rep, 0, sizeof rep);
	rep.patterns = &m->patterns;
	rep.rs = &m->rs;
	rep.tally = m->tally;
	rep.inputs = m->inputs;
	rep.ninputs = m->ninputs;
	rep.min_level = m->min_level;
	rep.responses = m->responses;
	return rep;
}

START_TEST(test_responses_merge)
{
	struct joined j, plain;
	struct merged m;
	struct capture cap;
	struct report rep;
	struct topk_entry top[4];
	char *p1, *p2, *p3, *orig, *again;
	long up, db, nf;

	joined_init(&j, true);
	joined_init(&plain, false);
	p1 = json_file(&j.rep);
	p3 = json_file(&plain.rep);
	/* The second report: another hour, another path. */
	respond(j.resp, "GET /api/cart/99 HTTP/1.1", 503, T0 + 3600, -1, JOIN_NONE);
	respond(j.resp, "GET /x HTTP/1.1", 504, T0 + 3600, 1, JOIN_TIME);
	p2 = json_file(&j.rep);

	/* render: one report read back says what the run said. */
	orig = text_section(&j.rep);
	capture_open(&cap);
	merge_init(&m);
	ck_assert_int_eq(merge_add_file(&m, p2, &cap.dg), 0);
	ck_assert_int_eq(merge_build(&m, &cap.dg), 0);
	ck_assert_ptr_nonnull(m.responses);
	rep = merged_report(&m);
	again = text_section(&rep);
	ck_assert_str_eq(again, orig);
	free(orig);
	free(again);
	merge_release(&m);

	/* merge: the counts add, the tables merge; a report without the
	 * section adds nothing to it. */
	merge_init(&m);
	ck_assert_int_eq(merge_add_file(&m, p1, &cap.dg), 0);
	ck_assert_int_eq(merge_add_file(&m, p3, &cap.dg), 0);
	ck_assert_int_eq(merge_add_file(&m, p2, &cap.dg), 0);
	ck_assert_msg(merge_build(&m, &cap.dg) == 0, "%s", capture_text(&cap));
	ck_assert_ptr_nonnull(m.responses);
	up = rules_find_cause(&m.rs, "upstream-timeout");
	db = rules_find_cause(&m.rs, "db");
	nf = rules_find_cause(&m.rs, "not-found");
	ck_assert(up >= 0 && db >= 0 && nf >= 0);
	ck_assert_uint_eq(m.responses->total, 16 + 18);
	ck_assert_uint_eq(m.responses->by_class[2], 12);
	ck_assert_uint_eq(m.responses->by_class[5], 8 + 10);
	ck_assert_uint_eq(m.responses->status_5xx[2], 10);
	ck_assert_uint_eq(m.responses->status_5xx[3], 3);
	ck_assert_uint_eq(m.responses->status_5xx[4], 3);
	ck_assert_uint_eq(m.responses->explained, 11);
	ck_assert_uint_eq(m.responses->causes[up].explained, 9);
	ck_assert_uint_eq(m.responses->causes[up].by_time, 3);
	ck_assert_uint_eq(m.responses->causes[up].status[4], 3);
	ck_assert_uint_eq(m.responses->causes[up].records, 8);
	ck_assert_uint_eq(m.responses->causes[up].records_matched, 6);
	ck_assert_uint_eq(m.responses->causes[db].explained, 2);
	ck_assert_uint_eq(m.responses->causes[nf].records, 4);
	ck_assert_uint_eq(m.responses->unexplained, 7);
	ck_assert_uint_eq(m.responses->unexplained_status[3], 3);
	ck_assert_uint_eq(m.responses->unattributed_record, 2);
	ck_assert_uint_eq(m.responses->untimed, 2);
	ck_assert_uint_eq(m.responses->window_full, 4);
	ck_assert_int_eq(m.responses->first, T0 * TSTAMP_US_PER_SEC);
	ck_assert_int_eq(m.responses->last, (T0 + 3600) * TSTAMP_US_PER_SEC);
	ck_assert_uint_eq(topk_sorted(m.responses->unexplained_paths, top, 4), 2);
	ck_assert_uint_eq(top[0].count, 4);
	ck_assert_uint_eq(top[1].count, 3);
	ck_assert(memcmp(top[1].text, "/api/cart/", 10) == 0);
	ck_assert_uint_eq(topk_sorted(m.responses->unexplained_minutes, top, 4), 3);
	ck_assert_uint_eq(top[0].key, (uint64_t)(T0 + 120) / 60);
	ck_assert_uint_eq(top[0].count, 4);
	ck_assert_uint_eq(top[2].key, (uint64_t)(T0 + 3600) / 60);
	rep = merged_report(&m);
	orig = text_section(&rep);
	ck_assert_msg(strstr(orig, "  1  upstream-timeout           9   50.0%  502 \u00d76, 504 \u00d73      6 of 8\n"
				   "       3 by time only"),
		      "%s", orig);
	free(orig);
	merge_release(&m);

	/* Reports without access logs merge into a report without them. */
	merge_init(&m);
	ck_assert_int_eq(merge_add_file(&m, p3, &cap.dg), 0);
	ck_assert_int_eq(merge_build(&m, &cap.dg), 0);
	ck_assert_ptr_null(m.responses);
	merge_release(&m);
	capture_close(&cap);
	unlink(p1);
	unlink(p2);
	unlink(p3);
	free(p1);
	free(p2);
	free(p3);
	joined_release(&j);
	joined_release(&plain);
}
END_TEST

/* The text, Markdown and HTML reports show only the counts and timeline
 * of a noise cause, so main keeps no more of it for them: each reads the
 * same from a tally that kept everything. */
START_TEST(test_noise_counts_only_reads_alike)
{
	static const char *const formats[] = { "text", "markdown", "html" };
	struct ruleset rs;
	struct input_summary in = { "error.log", CODEC_PLAIN, FMT_NGINX_ERROR, 0, 4000, 9, false, false };

	setenv("TZ", "UTC", 1);
	tzset();
	load(&rs);
	for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
		char *out[2];

		for (int brief = 0; brief < 2; brief++) {
			struct tally *t = tally_new(rs.ncauses);
			struct report rep;
			struct record r;

			if (brief && !report_noise_detail(formats[f]))
				tally_counts_only(t, 3);
			for (int i = 0; i < 40; i++) {
				char text[96];

				snprintf(text, sizeof text, "open() \"/srv/%d.png\" failed, client: 10.0.0.%d",
					 i % 7, i);
				rec(&r, text, 1795774502 + i * 13);
				tally_add(t, 3, &r);
				rec(&r, "db down", 1795774502 + i * 17);
				tally_add(t, i % 3 ? 0 : MATCH_NONE, &r);
			}
			rep = report_of(&rs, t, &in);
			out[brief] = render_as(&rep, report_emitter(formats[f]));
			tally_free(t);
		}
		ck_assert_msg(strcmp(out[0], out[1]) == 0, "%s differs", formats[f]);
		free(out[0]);
		free(out[1]);
	}
	ck_assert(report_noise_detail("json"));
	ck_assert(!report_noise_detail("text"));
	rules_release(&rs);
}
END_TEST

Suite *tally_suite(void)
{
	Suite *s = suite_create("tally");
	TCase *tc = tcase_create("count");

	tcase_add_test(tc, test_tally_counts_and_examples);
	tcase_add_test(tc, test_tally_long_example);
	tcase_add_test(tc, test_tally_counts_only);
	tcase_add_test(tc, test_noise_counts_only_reads_alike);
	suite_add_tcase(s, tc);
	return s;
}

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("text");

	tcase_add_test(tc, test_rank_and_text);
	tcase_add_test(tc, test_text_empty_and_width);
	suite_add_tcase(s, tc);
	tc = tcase_create("responses");
	tcase_add_test(tc, test_responses_text);
	tcase_add_test(tc, test_responses_text_status_cut);
	tcase_add_test(tc, test_responses_json);
	tcase_add_test(tc, test_responses_hostile_path);
	tcase_add_test(tc, test_responses_markdown_html);
	tcase_add_test(tc, test_responses_absent);
	tcase_add_test(tc, test_responses_no_records);
	tcase_add_test(tc, test_responses_merge);
	suite_add_tcase(s, tc);
	return s;
}
