/*
 * The JSON report: one document, "schema": "logcause/1", every fact of the
 * text report with stable keys, times in ISO-8601 UTC.  Documented in
 * logcause(1) under JSON REPORT; a change that removes or retypes a key
 * needs a new schema version.  Valid JSON for any input bytes (json.h).
 */
#include "report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tstamp.h"

/* "first_us":…,"last_us":… — exact times for merge, null when none. */
static void put_span_us(FILE *out, int64_t first, int64_t last)
{
	if (first == TSTAMP_NONE)
		fputs("\"first_us\":null,\"last_us\":null", out);
	else
		fprintf(out, "\"first_us\":%" PRId64 ",\"last_us\":%" PRId64, first, last);
}

static void put_time(FILE *out, int64_t t)
{
	char buf[TSTAMP_ISO_SIZE];

	if (t == TSTAMP_NONE)
		fputs("null", out);
	else
		fprintf(out, "\"%s\"", tstamp_iso(t, t % TSTAMP_US_PER_SEC != 0, buf));
}

static void put_templates(FILE *out, const struct topk *tk, size_t max)
{
	struct topk_entry top[20];
	size_t n = topk_sorted(tk, top, max < 20 ? max : 20);

	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s{\"template\":", i ? "," : "");
		json_put_string(out, top[i].text, top[i].len);
		fprintf(out, ",\"count\":%" PRIu64 ",\"error\":%" PRIu64 ",\"example\":", top[i].count,
			top[i].error);
		json_put_string(out, top[i].sample, top[i].slen);
		fputc('}', out);
	}
}

static void put_fields(FILE *out, const struct cause_tally *ct)
{
	fputs(",\"top\":{", out);
	for (int f = 0; f < TF_COUNT; f++) {
		struct topk_entry top[10];
		size_t n = topk_sorted(ct->fields[f], top, 10);

		fprintf(out, "%s\"%s\":[", f ? "," : "", tally_field_name((enum tally_field)f));
		for (size_t i = 0; i < n; i++) {
			fputs(i ? ",{\"value\":" : "{\"value\":", out);
			json_put_string(out, top[i].text, top[i].len);
			fprintf(out, ",\"count\":%" PRIu64 "}", top[i].count);
		}
		fputc(']', out);
	}
	fprintf(out, "},\"distinct_clients\":%" PRIu64, hll_estimate(&ct->clients));
}

/* All entries of a top-K table, for merging: key text, count, error, example. */
static void put_topk_all(FILE *out, const struct topk *tk, size_t k)
{
	struct topk_entry *all = malloc((k ? k : 1) * sizeof *all);
	size_t n = all ? topk_in_order(tk, all, k) : 0;

	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",[" : "[", out);
		json_put_string(out, all[i].text, all[i].len);
		fprintf(out, ",%" PRIu64 ",%" PRIu64 ",", all[i].count, all[i].error);
		json_put_string(out, all[i].sample, all[i].slen);
		fputc(']', out);
	}
	free(all);
}

/*
 * "merge": what `logcause merge` needs beyond the facts above to combine
 * reports as if their logs had been read together: the stored timeline
 * (sparse [bucket, count] pairs), the whole top-K tables, the distinct-
 * client registers, and exact times.  Readers other than logcause can
 * ignore it.
 */
static void put_cause_merge(FILE *out, const struct report *r, size_t ci)
{
	const struct cause_tally *ct = &r->tally->causes[ci];
	const struct timeline *tl = r->tally->timeline;
	struct timeline_peak pk = timeline_peak(tl, ci);
	bool first = true;

	fprintf(out, ",\"merge\":{\"order\":%zu,\"first_us\":", ci);
	if (ct->first == TSTAMP_NONE)
		fputs("null,\"last_us\":null", out);
	else
		fprintf(out, "%" PRId64 ",\"last_us\":%" PRId64, ct->first, ct->last);
	fprintf(out, ",\"peak_minute\":%" PRId64 ",\"peak_count\":%" PRIu64,
		pk.minute == INT64_MIN ? -1 : pk.minute, pk.count);
	fprintf(out, ",\"timeline\":{\"origin\":%" PRId64 ",\"width\":%" PRId64 ",\"buckets\":[",
		timeline_origin(tl), timeline_bucket_seconds(tl));
	for (size_t i = 0; i < timeline_buckets(tl); i++) {
		uint64_t c = timeline_count(tl, ci, i);

		if (c) {
			fprintf(out, "%s[%zu,%" PRIu64 "]", first ? "" : ",", i, c);
			first = false;
		}
	}
	fputs("]},\"clients_hll\":\"", out);
	for (size_t i = 0; i < HLL_REGISTERS; i++)
		fprintf(out, "%02x", ct->clients.reg[i]);
	fputs("\",\"templates\":[", out);
	put_topk_all(out, ct->templates, TALLY_TEMPLATES);
	fputs("],\"fields\":{", out);
	for (int f = 0; f < TF_COUNT; f++) {
		fprintf(out, "%s\"%s\":[", f ? "," : "", tally_field_name((enum tally_field)f));
		put_topk_all(out, ct->fields[f], TALLY_FIELD_VALUES);
		fputc(']', out);
	}
	fputs("}}", out);
}

static void put_cause(FILE *out, const struct report *r, size_t ci, uint64_t fault_total,
		      const struct report_axis *ax, uint64_t *buf)
{
	const struct cause *c = &r->rs->causes[ci];
	const struct cause_tally *ct = &r->tally->causes[ci];
	struct timeline_peak pk = timeline_peak(r->tally->timeline, ci);

	fputs("{\"name\":", out);
	json_put_cstr(out, c->name);
	fputs(",\"title\":", out);
	json_put_cstr(out, c->title);
	fprintf(out, ",\"kind\":\"%s\",\"priority\":%d,\"status\":[",
		c->kind == CAUSE_FAULT ? "fault" : "noise", c->priority);
	for (size_t i = 0; i < c->nstatus; i++)
		fprintf(out, "%s%u", i ? "," : "", c->status[i]);
	fputs("],\"hint\":", out);
	json_put_cstr(out, c->hint);
	fprintf(out, ",\"events\":%" PRIu64 ",\"share\":", ct->events);
	if (c->kind == CAUSE_FAULT && fault_total)
		fprintf(out, "%.4f", (double)ct->events / (double)fault_total);
	else
		fputs("null", out);
	fputs(",\"first_seen\":", out);
	put_time(out, ct->first);
	fputs(",\"last_seen\":", out);
	put_time(out, ct->last);
	fputs(",\"peak\":", out);
	if (pk.minute == INT64_MIN) {
		fputs("null", out);
	} else {
		fputs("{\"minute\":", out);
		put_time(out, pk.minute * TSTAMP_US_PER_SEC);
		fprintf(out, ",\"count\":%" PRIu64 "}", pk.count);
	}
	fputs(",\"timeline\":[", out);
	timeline_regroup(r->tally->timeline, ci, ax->start, ax->width, buf, ax->n);
	for (size_t i = 0; i < ax->n; i++)
		fprintf(out, "%s%" PRIu64, i ? "," : "", buf[i]);
	fputs("],\"templates\":[", out);
	put_templates(out, ct->templates, 10);
	fprintf(out, "],\"templates_approximate\":%s", topk_evicted(ct->templates) ? "true" : "false");
	put_fields(out, ct);
	fputs(",\"examples\":[", out);
	for (size_t i = 0; i < ct->nexamples; i++) {
		const struct tally_example *ex = &ct->examples[i];

		fprintf(out, "%s{\"line\":%" PRIu64 ",\"text\":", i ? "," : "", ex->line);
		json_put_string(out, ex->text, ex->len);
		fputs(",\"message\":", out);
		json_put_string(out, ex->text + ex->msg_off, ex->len - ex->msg_off);
		fputc('}', out);
	}
	fputc(']', out);
	put_cause_merge(out, r, ci);
	fputc('}', out);
}

/* ---- the access logs joined ---- */

/* {"502":310,"504":12}: the statuses that occurred, in code order. */
static void put_status_map(FILE *out, const uint64_t status[RESPONSES_STATUS])
{
	bool first = true;

	fputc('{', out);
	for (int s = 0; s < RESPONSES_STATUS; s++) {
		if (!status[s])
			continue;
		fprintf(out, "%s\"%d\":%" PRIu64, first ? "" : ",", 500 + s, status[s]);
		first = false;
	}
	fputc('}', out);
}

static void put_share(FILE *out, uint64_t part, uint64_t whole)
{
	if (whole)
		fprintf(out, "%.4f", (double)part / (double)whole);
	else
		fputs("null", out);
}

/*
 * "responses": what the access logs say, joined to the error logs: the
 * responses by class, the 5xx by status, the 5xx each cause explains and
 * what the unexplained ones have in common.  Present only when access
 * logs were read.
 */
static int put_responses(FILE *out, const struct report *r)
{
	const struct responses *rs = r->responses;
	uint64_t n5 = rs->by_class[5];
	size_t *rank = malloc((rs->ncauses ? rs->ncauses : 1) * sizeof *rank), n;
	struct topk_entry top[10];

	if (!rank)
		return -1;
	n = responses_rank(rs, r->rs->ncauses, rank, rs->ncauses);
	fprintf(out, ",\"responses\":{\"total\":%" PRIu64 ",\"span\":{\"first\":", rs->total);
	put_time(out, rs->first);
	fputs(",\"last\":", out);
	put_time(out, rs->last);
	fputs("},\"by_class\":{", out);
	for (int k = 1; k <= 5; k++)
		fprintf(out, "\"%dxx\":%" PRIu64 ",", k, rs->by_class[k]);
	fprintf(out, "\"other\":%" PRIu64 "},\"5xx\":%" PRIu64 ",\"status_5xx\":", rs->by_class[0], n5);
	put_status_map(out, rs->status_5xx);
	fprintf(out, ",\"explained\":%" PRIu64 ",\"explained_share\":", rs->explained);
	put_share(out, rs->explained, n5);
	fputs(",\"causes\":[", out);
	for (size_t i = 0; i < n; i++) {
		const struct cause *c = &r->rs->causes[rank[i]];
		const struct response_cause *rc = &rs->causes[rank[i]];

		/* Not "name", "title", "kind" in a row as in "causes": readers
		 * (tests/html/check-html.sh) pick the causes out by that. */
		fputs(i ? ",{\"name\":" : "{\"name\":", out);
		json_put_cstr(out, c->name);
		fprintf(out, ",\"explained\":%" PRIu64 ",\"share\":", rc->explained);
		put_share(out, rc->explained, n5);
		fputs(",\"status\":", out);
		put_status_map(out, rc->status);
		fprintf(out, ",\"by_time\":%" PRIu64 ",\"records\":%" PRIu64
			     ",\"records_matched\":%" PRIu64 ",\"title\":",
			rc->by_time, rc->records, rc->records_matched);
		json_put_cstr(out, c->title);
		fputc('}', out);
	}
	fprintf(out, "],\"unexplained\":{\"count\":%" PRIu64 ",\"share\":", rs->unexplained);
	put_share(out, rs->unexplained, n5);
	fputs(",\"status\":", out);
	put_status_map(out, rs->unexplained_status);
	fprintf(out, ",\"unattributed_record\":%" PRIu64 ",\"paths\":[", rs->unattributed_record);
	n = topk_sorted(rs->unexplained_paths, top, 10);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",{\"path\":" : "{\"path\":", out);
		json_put_string(out, top[i].text, top[i].len);
		fputs(",\"example\":", out);
		json_put_string(out, top[i].sample, top[i].slen);
		fprintf(out, ",\"count\":%" PRIu64 ",\"error\":%" PRIu64 "}", top[i].count, top[i].error);
	}
	fprintf(out, "],\"paths_approximate\":%s,\"minutes\":[",
		topk_evicted(rs->unexplained_paths) ? "true" : "false");
	n = topk_sorted(rs->unexplained_minutes, top, 10);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",{\"minute\":" : "{\"minute\":", out);
		put_time(out, (int64_t)top[i].key * 60 * TSTAMP_US_PER_SEC);
		fprintf(out, ",\"count\":%" PRIu64 ",\"error\":%" PRIu64 "}", top[i].count, top[i].error);
	}
	fprintf(out, "],\"minutes_approximate\":%s},\"untimed\":%" PRIu64 ",\"window_full\":%" PRIu64 "}",
		topk_evicted(rs->unexplained_minutes) ? "true" : "false", rs->untimed, rs->window_full);
	free(rank);
	return 0;
}

/* The responses' part of "merge": exact times and the whole top-K tables
 * (paths as [path, count, error, example], minutes as [epoch minute,
 * count, error]); the counts are the facts of "responses" above. */
static void put_responses_merge(FILE *out, const struct responses *rs)
{
	struct topk_entry *all = malloc(RESPONSES_MINUTES * sizeof *all);
	size_t n = all ? topk_in_order(rs->unexplained_minutes, all, RESPONSES_MINUTES) : 0;

	fputs(",\"responses\":{", out);
	put_span_us(out, rs->first, rs->last);
	fputs(",\"paths\":[", out);
	put_topk_all(out, rs->unexplained_paths, RESPONSES_PATHS);
	fputs("],\"minutes\":[", out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s[%" PRId64 ",%" PRIu64 ",%" PRIu64 "]", i ? "," : "",
			(int64_t)all[i].key, all[i].count, all[i].error);
	fputs("]}", out);
	free(all);
}

int report_json(FILE *out, const struct report *r, const struct report_options *o)
{
	const struct tally *t = r->tally;
	size_t n = r->rs->ncauses, *rank = malloc((n ? n : 1) * sizeof *rank);
	struct report_axis ax = report_axis(t, REPORT_TIMELINE_MAX);
	uint64_t *buf = malloc((ax.n ? ax.n : 1) * sizeof *buf), fault_total = 0;
	size_t nfault, nnoise;

	(void)o;
	if (!rank || !buf) {
		free(rank);
		free(buf);
		return -1;
	}
	nfault = report_rank(r, CAUSE_FAULT, rank, n);
	nnoise = report_rank(r, CAUSE_NOISE, rank + nfault, n - nfault);
	for (size_t i = 0; i < nfault; i++)
		fault_total += t->causes[rank[i]].events;

	fprintf(out, "{\"schema\":\"%s\",\"patterns\":{\"files\":%zu,\"causes\":%zu,\"rules\":%zu,"
		     "\"digest\":\"%s\"}",
		REPORT_SCHEMA, r->patterns->files, r->patterns->causes, r->patterns->rules,
		r->patterns->digest);
	fprintf(out, ",\"min_level\":\"%s\",\"inputs\":[", record_level_name(r->min_level));
	for (size_t i = 0; i < r->ninputs; i++) {
		const struct input_summary *in = &r->inputs[i];

		fputs(i ? ",{\"name\":" : "{\"name\":", out);
		json_put_cstr(out, in->name);
		fprintf(out, ",\"format\":\"%s\",\"compression\":\"%s\",\"bytes_read\":%" PRIu64
			     ",\"bytes\":%" PRIu64 ",\"lines\":%" PRIu64 ",\"damaged\":%s,\"limited\":%s}",
			record_format_name(in->format), codec_name(in->codec), in->bytes_in, in->bytes,
			in->lines, in->damaged ? "true" : "false", in->limited ? "true" : "false");
	}
	fprintf(out, "],\"inputs_not_read\":%zu", r->failed_inputs);
	fprintf(out, ",\"records\":{\"total\":%" PRIu64 ",\"attributable\":%" PRIu64
		     ",\"below_level\":%" PRIu64 ",\"outside_window\":%" PRIu64
		     ",\"unattributed\":%" PRIu64 ",\"truncated\":%" PRIu64 ",\"access_lines\":%" PRIu64
		     ",\"regex_limit_hits\":%" PRIu64 "}",
		t->records, t->records - t->below_level, t->below_level, t->outside, t->unattributed,
		t->truncated, t->access, r->limit_hits);
	fputs(",\"span\":{\"first\":", out);
	put_time(out, t->first);
	fputs(",\"last\":", out);
	put_time(out, t->last);
	fputs("},\"timeline\":{\"start\":", out);
	put_time(out, ax.n ? ax.start * TSTAMP_US_PER_SEC : TSTAMP_NONE);
	fprintf(out, ",\"bucket_seconds\":%" PRId64 ",\"buckets\":%zu}", ax.width, ax.n);
	if (r->verdict) {
		fprintf(out, ",\"verdict\":{\"ok\":%s,\"thresholds\":[",
			r->verdict->nbreach ? "false" : "true");
		for (size_t i = 0; i < r->verdict->n; i++) {
			fputs(i ? "," : "", out);
			json_put_cstr(out, r->verdict->t[i].spec);
		}
		fputs("],\"breached\":[", out);
		for (size_t i = 0; i < r->verdict->nbreach; i++) {
			fputs(i ? "," : "", out);
			json_put_cstr(out, r->verdict->breach[i]);
		}
		fputs("]}", out);
	}
	fprintf(out, ",\"fault_events\":%" PRIu64 ",\"causes\":[", fault_total);
	for (size_t i = 0; i < nfault + nnoise; i++) {
		if (i)
			fputc(',', out);
		put_cause(out, r, rank[i], fault_total, &ax, buf);
	}
	fputs("],\"unattributed_templates\":[", out);
	put_templates(out, t->unattributed_templates, 20);
	fprintf(out, "],\"unattributed_templates_approximate\":%s",
		topk_evicted(t->unattributed_templates) ? "true" : "false");
	if (r->responses && put_responses(out, r) < 0) {
		free(rank);
		free(buf);
		return -1;
	}
	fputs(",\"merge\":{", out);
	put_span_us(out, t->first, t->last);
	fputs(",\"unattributed_templates\":[", out);
	put_topk_all(out, t->unattributed_templates, TALLY_UNATTRIBUTED_TEMPLATES);
	fputc(']', out);
	if (r->responses)
		put_responses_merge(out, r->responses);
	fputs("}}\n", out);
	free(rank);
	free(buf);
	return ferror(out) ? -1 : 0;
}
