/*
 * The Markdown report: for pasting into a post-incident review on GitHub
 * or GitLab.  Headings, a ranked table, and a section per cause with its
 * examples in fenced code blocks.  Log bytes never reach Markdown raw: in
 * tables they are escaped for the table, in code blocks the fence is
 * longer than any run of backticks the example holds.
 */
#include "report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "tstamp.h"
#include "utf8.h"

static void put_cstr_cell(FILE *out, const char *s)
{
	escape_markdown(out, s, strlen(s));
}

/* A fenced block whose fence cannot be closed by the text inside. */
static void put_code(FILE *out, const char *s, size_t n)
{
	size_t run = 0, longest = 0;
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		fputc('`', out);
	fputc('\n', out);
	for (size_t i = 0; i < n;) {
		size_t seq = utf8_valid_len(p + i, n - i);

		if (seq == 0 || (seq == 1 && p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') ||
		    (seq == 1 && p[i] == 0x7f)) {
			fprintf(out, "\\x%02x", p[i]);
			i++;
			continue;
		}
		fwrite(p + i, 1, seq, out);
		i += seq;
	}
	fputc('\n', out);
	for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		fputc('`', out);
	fputc('\n', out);
}

/* Inside `…`: backticks would end the span, control bytes are escaped. */
static void put_code_span(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		size_t seq = utf8_valid_len(p + i, n - i);

		if (seq == 0 || (seq == 1 && (p[i] < 0x20 || p[i] == 0x7f || p[i] == '`' || p[i] == '|'))) {
			fprintf(out, "\\x%02x", p[i]);
			i++;
			continue;
		}
		fwrite(p + i, 1, seq, out);
		i += seq;
	}
}

/* The top templates, each with its count and a real message in a block. */
static void put_templates(FILE *out, const struct topk *tk, size_t max)
{
	struct topk_entry top[10];
	size_t n = topk_sorted(tk, top, max < 10 ? max : 10);
	bool approx = topk_evicted(tk);

	for (size_t i = 0; i < n; i++) {
		fprintf(out, "\n%s%" PRIu64 " × `", approx ? "~" : "", top[i].count);
		put_code_span(out, top[i].text, top[i].len);
		fputs("`\n\n", out);
		put_code(out, top[i].sample, top[i].slen);
	}
	if (n)
		fputc('\n', out);
}

static const char *when(int64_t t, char *buf, size_t size)
{
	return t == TSTAMP_NONE ? "-" : tstamp_local(t, "%Y-%m-%d %H:%M:%S", buf, size);
}

static double pct(uint64_t a, uint64_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0.0;
}

/* ---- the access logs joined: which cause produced each 5xx ---- */

static void put_status_list(FILE *out, const uint64_t status[RESPONSES_STATUS])
{
	char *list = malloc(RESPONSES_STATUS_LIST);

	if (list)
		fputs(responses_status_list(status, list, RESPONSES_STATUS_LIST), out);
	free(list);
}

static void put_unexplained(FILE *out, const struct responses *rs)
{
	struct topk_entry top[10];
	size_t n;
	bool approx;
	char a[64];

	fprintf(out, "\n### Unexplained 5xx\n\n%" PRIu64 " of %" PRIu64 " (%.1f%%): ", rs->unexplained,
		rs->by_class[5], pct(rs->unexplained, rs->by_class[5]));
	put_status_list(out, rs->unexplained_status);
	fputs(".\n", out);
	if (rs->unattributed_record)
		fprintf(out, "%" PRIu64 " of them matched an error record that no rule attributes:"
			     " look at the unattributed templates.\n",
			rs->unattributed_record);
	n = topk_sorted(rs->unexplained_paths, top, 10);
	approx = topk_evicted(rs->unexplained_paths);
	if (n)
		fputs("\n| path | 5xx |\n|---|---:|\n", out);
	for (size_t i = 0; i < n; i++) {
		fputs("| `", out);
		put_code_span(out, top[i].text, top[i].len);
		fprintf(out, "` | %s%" PRIu64 " |\n", approx ? "~" : "", top[i].count);
	}
	n = topk_sorted(rs->unexplained_minutes, top, 5);
	approx = topk_evicted(rs->unexplained_minutes);
	if (n)
		fputs("\n| busiest minute | 5xx |\n|---|---:|\n", out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "| %s | %s%" PRIu64 " |\n",
			tstamp_local((int64_t)top[i].key * 60 * TSTAMP_US_PER_SEC, "%Y-%m-%d %H:%M", a,
				     sizeof a),
			approx ? "~" : "", top[i].count);
}

/* The Responses section: the access logs joined to the error logs. */
static int put_responses(FILE *out, const struct report *r)
{
	const struct responses *rs = r->responses;
	size_t *rank = malloc((rs->ncauses ? rs->ncauses : 1) * sizeof *rank), n;
	uint64_t n5 = rs->by_class[5];
	bool by_time = false;
	char a[64], b[64], z[16];

	if (!rank)
		return -1;
	n = responses_rank(rs, r->rs->ncauses, rank, rs->ncauses);
	fprintf(out, "\n## Responses\n\n- Responses: %" PRIu64 " in the access logs", rs->total);
	if (rs->first != TSTAMP_NONE)
		fprintf(out, ", %s to %s %s", when(rs->first, a, sizeof a), when(rs->last, b, sizeof b),
			tstamp_local(rs->last, "%Z", z, sizeof z));
	fputs("\n- By class:", out);
	for (int k = 1; k <= 5; k++)
		if (k >= 2 || rs->by_class[k])
			fprintf(out, " %dxx %" PRIu64 "%s", k, rs->by_class[k], k < 5 ? "," : "");
	if (rs->by_class[0])
		fprintf(out, ", no status %" PRIu64, rs->by_class[0]);
	fprintf(out, "\n- 5xx: %" PRIu64, n5);
	if (n5) {
		fprintf(out, " (%.1f%% of responses): ", pct(n5, rs->total));
		put_status_list(out, rs->status_5xx);
	}
	fputc('\n', out);
	if (rs->untimed)
		fprintf(out, "- Without a readable time (not joined): %" PRIu64 "\n", rs->untimed);
	if (n || n5) {
		fputs("\n| # | cause | title | 5xx | share of 5xx | status | by time only |"
		      " records matched |\n|---:|---|---|---:|---:|---|---:|---:|\n",
		      out);
		for (size_t i = 0; i < n; i++) {
			const struct cause *c = &r->rs->causes[rank[i]];
			const struct response_cause *rc = &rs->causes[rank[i]];

			/* A link where the cause has a section of its own. */
			if (c->kind == CAUSE_FAULT && r->tally->causes[rank[i]].events)
				fprintf(out, "| %zu | [%s](#%s) | ", i + 1, c->name, c->name);
			else
				fprintf(out, "| %zu | %s | ", i + 1, c->name);
			put_cstr_cell(out, c->title);
			fprintf(out, " | %" PRIu64 " | %.1f%% | ", rc->explained, pct(rc->explained, n5));
			put_status_list(out, rc->status);
			fprintf(out, " | %" PRIu64 " | %" PRIu64 " of %" PRIu64 " |\n", rc->by_time,
				rc->records_matched, rc->records);
			by_time |= rc->by_time != 0;
		}
		fprintf(out, "| | *unexplained* | | %" PRIu64 " | %.1f%% | ", rs->unexplained,
			pct(rs->unexplained, n5));
		put_status_list(out, rs->unexplained_status);
		fputs(" | | |\n", out);
		if (by_time)
			fputs("\n*By time only*: matched to a record with no client or request"
			      " (\"worker_connections are not enough\"), by nearness alone.\n",
			      out);
	}
	if (rs->unexplained)
		put_unexplained(out, rs);
	if (rs->window_full)
		fprintf(out, "\n> **Note:** the join window was full: %" PRIu64 " error records left it"
			     " before their time, so some 5xx they explain may be counted as"
			     " unexplained.\n",
			rs->window_full);
	free(rank);
	return 0;
}

int report_markdown(FILE *out, const struct report *r, const struct report_options *o)
{
	const struct tally *t = r->tally;
	size_t n = r->rs->ncauses, *rank = malloc((n ? n : 1) * sizeof *rank), nfault, nnoise;
	uint64_t fault_total = 0, attributable = t->records - t->below_level;
	char a[64], b[64], z[16];

	(void)o;
	if (!rank)
		return -1;
	nfault = report_rank(r, CAUSE_FAULT, rank, n);
	nnoise = report_rank(r, CAUSE_NOISE, rank + nfault, n - nfault);
	for (size_t i = 0; i < nfault; i++)
		fault_total += t->causes[rank[i]].events;

	fputs("# logcause report\n\n", out);
	fputs("| input | format | compression | bytes | lines | |\n|---|---|---|---:|---:|---|\n", out);
	for (size_t i = 0; i < r->ninputs; i++) {
		const struct input_summary *in = &r->inputs[i];

		fputs("| ", out);
		put_cstr_cell(out, in->name);
		fprintf(out, " | %s | %s | %" PRIu64 " | %" PRIu64 " | %s |\n",
			record_format_name(in->format), codec_name(in->codec), in->bytes, in->lines,
			in->damaged ? "**damaged**" : "");
	}
	fprintf(out, "\n- Records: %" PRIu64 ", %" PRIu64 " at %s or above", t->records, attributable,
		record_level_name(r->min_level));
	if (t->outside)
		fprintf(out, ", %" PRIu64 " outside the time window", t->outside);
	if (t->truncated)
		fprintf(out, ", %" PRIu64 " cut at a size limit", t->truncated);
	fputc('\n', out);
	if (r->failed_inputs)
		fprintf(out, "- Inputs not read: %zu\n", r->failed_inputs);
	if (t->first != TSTAMP_NONE)
		fprintf(out, "- Span: %s to %s %s\n", when(t->first, a, sizeof a),
			when(t->last, b, sizeof b), tstamp_local(t->last, "%Z", z, sizeof z));
	fprintf(out, "- Unattributed: %" PRIu64 " of %" PRIu64 " (%.1f%%)\n", t->unattributed,
		attributable, pct(t->unattributed, attributable));

	if (t->records == 0) {
		int rc = 0;

		fputs("\nNothing to analyse: the input holds no records.\n", out);
		if (r->responses)
			rc = put_responses(out, r);
		free(rank);
		return rc < 0 || ferror(out) ? -1 : 0;
	}
	fputs("\n## Causes\n\n", out);
	if (nfault == 0)
		fputs("No fault cause found.\n", out);
	else
		fputs("| # | cause | events | share | status | first seen | last seen | peak minute |\n"
		      "|---:|---|---:|---:|---|---|---|---|\n",
		      out);
	for (size_t i = 0; i < nfault; i++) {
		const struct cause *c = &r->rs->causes[rank[i]];
		const struct cause_tally *ct = &t->causes[rank[i]];
		struct timeline_peak pk = timeline_peak(t->timeline, rank[i]);

		fprintf(out, "| %zu | [%s](#%s) | %" PRIu64 " | %.1f%% | ", i + 1, c->name, c->name,
			ct->events, pct(ct->events, fault_total));
		for (size_t k = 0; k < c->nstatus; k++)
			fprintf(out, "%s%u", k ? " " : "", c->status[k]);
		fprintf(out, " | %s | %s | ", when(ct->first, a, sizeof a), when(ct->last, b, sizeof b));
		if (pk.minute != INT64_MIN)
			fprintf(out, "%s (%" PRIu64 ")", tstamp_local(pk.minute * TSTAMP_US_PER_SEC,
								  "%H:%M", a, sizeof a),
				pk.count);
		fputs(" |\n", out);
	}
	if (nnoise) {
		fputs("\nNoise (not causes of 5xx): ", out);
		for (size_t i = 0; i < nnoise; i++)
			fprintf(out, "%s%s %" PRIu64, i ? ", " : "", r->rs->causes[rank[nfault + i]].name,
				t->causes[rank[nfault + i]].events);
		fputs("\n", out);
	}
	for (size_t i = 0; i < nfault; i++) {
		const struct cause *c = &r->rs->causes[rank[i]];
		const struct cause_tally *ct = &t->causes[rank[i]];

		fprintf(out, "\n## %s\n\n**", c->name);
		put_cstr_cell(out, c->title);
		fprintf(out, "** — %" PRIu64 " events (%.1f%%), %s to %s\n", ct->events,
			pct(ct->events, fault_total), when(ct->first, a, sizeof a),
			when(ct->last, b, sizeof b));
		if (c->hint) {
			fputs("\n> **Hint:** ", out);
			put_cstr_cell(out, c->hint);
			fputc('\n', out);
		}
		put_templates(out, ct->templates, 5);
		for (int f = 0; f < TF_COUNT; f++) {
			struct topk_entry top[5];
			size_t m = topk_sorted(ct->fields[f], top, 5);

			if (m == 0)
				continue;
			fprintf(out, "- **%s**: ", tally_field_name((enum tally_field)f));
			if (f == TF_CLIENT)
				fprintf(out, "%" PRIu64 " distinct; ", hll_estimate(&ct->clients));
			for (size_t k = 0; k < m; k++) {
				fputs(k ? ", `" : "`", out);
				put_code_span(out, top[k].text, top[k].len);
				fprintf(out, "` (%" PRIu64 ")", top[k].count);
			}
			fputc('\n', out);
		}
	}
	if (r->responses && put_responses(out, r) < 0) {
		free(rank);
		return -1;
	}
	if (t->unattributed) {
		fputs("\n## Unattributed, by template\n\n", out);
		put_templates(out, t->unattributed_templates, 10);
	}
	free(rank);
	return ferror(out) ? -1 : 0;
}
