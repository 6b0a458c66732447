/*
 * The text report: what an on-call engineer reads in a terminal.  It fits
 * the width it is given (80 columns at least), puts the biggest fault cause
 * first, and never writes a log's raw bytes to the terminal: control bytes
 * and invalid UTF-8 are shown as \xNN, so a hostile log line cannot move
 * the cursor or change the terminal's state.
 */
#include "report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "tstamp.h"
#include "utf8.h"

/* Terminal attributes, or nothing when colour is off. */
struct paint {
	const char *bold, *fault, *dim, *off;
};

static struct paint paint_for(const struct report_options *o)
{
	struct paint on = { "\033[1m", "\033[1;31m", "\033[2m", "\033[0m" }, off = { "", "", "", "" };

	return o->color ? on : off;
}

/* Columns one character takes when escaped: a \xNN escape is four. */
static size_t char_width(const unsigned char *p, size_t seq)
{
	if (seq == 0 || (seq == 1 && p[0] != '\t' && (p[0] < 0x20 || p[0] == 0x7f)))
		return 4;
	return 1;
}

/* Writes s escaped for a terminal in at most `cols` columns, ending in
 * "..." when it had to be cut.  Tabs become spaces so columns stay true. */
static void put_escaped(FILE *out, const char *s, size_t n, size_t cols)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t total = 0, used = 0, limit;

	for (size_t i = 0; i < n;) {
		size_t seq = utf8_valid_len(p + i, n - i);

		total += char_width(p + i, seq);
		i += seq ? seq : 1;
	}
	limit = total <= cols ? cols : cols - 3;
	for (size_t i = 0; i < n;) {
		size_t seq = utf8_valid_len(p + i, n - i);
		size_t w = char_width(p + i, seq);

		if (used + w > limit)
			break;
		if (w == 4)
			fprintf(out, "\\x%02x", p[i]);
		else if (p[i] == '\t')
			fputc(' ', out);
		else
			fwrite(p + i, 1, seq, out);
		used += w;
		i += seq ? seq : 1;
	}
	if (total > cols)
		fputs("...", out);
}

/* Writes lead then text, wrapped at word boundaries to width columns, with
 * continuation lines indented as far as lead.  Hints are the authors' own
 * UTF-8 text, so they are written as they are. */
static void put_wrapped(FILE *out, const char *lead, const char *text, unsigned width)
{
	size_t indent = strlen(lead), room = width > indent + 20 ? width - indent : 20;

	fputs(lead, out);
	while (*text) {
		size_t n = strlen(text), cut = n;

		if (n > room) {
			cut = room;
			while (cut > 0 && text[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = strcspn(text, " ");
		}
		fwrite(text, 1, cut, out);
		fputc('\n', out);
		text += cut;
		while (*text == ' ')
			text++;
		if (*text)
			fprintf(out, "%*s", (int)indent, "");
	}
}

/* How much of a time the tables show: as little as the span allows. */
enum when_fmt {
	WHEN_TIME,  /* the span is one local day: 10:15:02 */
	WHEN_DAY,   /* one year: 11-27 10:15 */
	WHEN_DATE,  /* longer: 2026-11-27 */
};

static const char *when(int64_t t, enum when_fmt wf, char *buf, size_t size)
{
	if (t == TSTAMP_NONE)
		return "-";
	switch (wf) {
	case WHEN_TIME:
		return tstamp_local(t, "%H:%M:%S", buf, size);
	case WHEN_DAY:
		return tstamp_local(t, "%m-%d %H:%M", buf, size);
	default:
		return tstamp_local(t, "%Y-%m-%d", buf, size);
	}
}

static void put_status(FILE *out, const struct cause *c, int width)
{
	char buf[48] = "";
	size_t o = 0;

	/* The first codes are the typical ones: show those that fit. */
	for (size_t i = 0; i < c->nstatus && o + (i ? 4 : 3) <= (size_t)width; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%u", i ? " " : "",
				      c->status[i]);
	fprintf(out, "%-*s", width, o ? buf : "-");
}

static void header(FILE *out, const struct report *r, const struct tally *t,
		   enum when_fmt *wf)
{
	uint64_t lines = 0, bytes = 0, bytes_in = 0;
	size_t damaged = 0, limited = 0;
	char a[32], b[32], c[32], d[64], e[64];

	for (size_t i = 0; i < r->ninputs; i++) {
		lines += r->inputs[i].lines;
		bytes += r->inputs[i].bytes;
		bytes_in += r->inputs[i].bytes_in;
		damaged += r->inputs[i].damaged;
		limited += r->inputs[i].limited;
	}
	fprintf(out, "Inputs   %s %s, ", fmt_count(r->ninputs, d), r->ninputs == 1 ? "file" : "files");
	fprintf(out, "%s %s, %s", fmt_count(lines, a), lines == 1 ? "line" : "lines",
		fmt_bytes(bytes, b));
	if (bytes_in != bytes)
		fprintf(out, " (%s compressed)", fmt_bytes(bytes_in, c));
	fputc('\n', out);
	/* Each input on its own line while that stays short. */
	for (size_t i = 0; r->ninputs > 1 && r->ninputs <= 8 && i < r->ninputs; i++) {
		const struct input_summary *in = &r->inputs[i];

		fputs("         ", out);
		put_escaped(out, in->name, strlen(in->name), 40);
		fprintf(out, "  %s, %s, %s, %s lines%s\n", record_format_name(in->format),
			codec_name(in->codec), fmt_bytes(in->bytes, c), fmt_count(in->lines, a),
			in->damaged ? ", damaged" : in->limited ? ", stopped at --max-bytes" : "");
	}
	if (damaged || r->failed_inputs)
		fprintf(out, "Damaged  %zu read in part, %zu not read\n", damaged,
			r->failed_inputs);
	if (limited)
		fprintf(out, "Stopped  %zu at --max-bytes\n", limited);
	fprintf(out, "Records  %s, %s at %s or above", fmt_count(t->records, a),
		fmt_count(t->records - t->below_level, b), record_level_name(r->min_level));
	if (t->truncated)
		fprintf(out, ", %s cut at a size limit", fmt_count(t->truncated, c));
	if (t->outside)
		fprintf(out, "; %s outside the time window", fmt_count(t->outside, c));
	fputc('\n', out);
	if (t->access)
		fprintf(out, "Access   %s access-log lines (responses, not error records)\n",
			fmt_count(t->access, a));
	if (t->first != TSTAMP_NONE) {
		char day1[16], day2[16];

		tstamp_local(t->first, "%Y-%m-%d", day1, sizeof day1);
		tstamp_local(t->last, "%Y-%m-%d", day2, sizeof day2);
		*wf = strcmp(day1, day2) == 0	      ? WHEN_TIME
		      : memcmp(day1, day2, 4) == 0 ? WHEN_DAY
						   : WHEN_DATE;
		fprintf(out, "Span     %s", tstamp_local(t->first, "%Y-%m-%d %H:%M:%S", d, sizeof d));
		if (*wf == WHEN_TIME)
			tstamp_local(t->last, "%H:%M:%S", e, sizeof e);
		else
			tstamp_local(t->last, "%Y-%m-%d %H:%M:%S", e, sizeof e);
		fprintf(out, " to %s %s\n", e, tstamp_local(t->last, "%Z", c, sizeof c));
	}
	if (r->limit_hits)
		fprintf(out, "Limits   %s regex runs stopped at the match limit\n",
			fmt_count(r->limit_hits, a));
}

static void fault_table(FILE *out, const struct report *r, const size_t *rank, size_t n,
			uint64_t fault_total, enum when_fmt wf, const struct paint *pt)
{
	char a[32], t1[32], t2[32];

	fprintf(out, "\n  #  %-20s %10s %7s  %-8s %-11s %s\n", "cause", "events", "share",
		"status", "first seen", "last seen");
	for (size_t i = 0; i < n; i++) {
		const struct cause *c = &r->rs->causes[rank[i]];
		const struct cause_tally *ct = &r->tally->causes[rank[i]];

		fprintf(out, "%3zu  %s%-20.20s%s %10s %6.1f%%  ", i + 1, pt->fault, c->name, pt->off,
			fmt_count(ct->events, a), fmt_percent(ct->events, fault_total));
		put_status(out, c, 8);
		fprintf(out, " %-11s %s\n", when(ct->first, wf, t1, sizeof t1),
			when(ct->last, wf, t2, sizeof t2));
	}
}

/* One line of block characters, one per bucket, scaled to the series' own
 * maximum: the shape of the cause over the report's span. */
static void sparkline(FILE *out, const struct report *r, size_t ci, unsigned width)
{
	static const char *const bars[] = { " ", "\u2581", "\u2582", "\u2583", "\u2584",
					    "\u2585", "\u2586", "\u2587", "\u2588" };
	const struct tally *t = r->tally;
	size_t max_buckets = width > 30 ? (width - 24 < 72 ? width - 24 : 72) : 10;
	struct report_axis ax = report_axis(t, max_buckets);
	int64_t w = ax.width;
	size_t n = ax.n;
	uint64_t counts[128], peak = 0;
	char label[32];

	if (n == 0 || n > 128)
		return;
	timeline_regroup(t->timeline, ci, ax.start, w, counts, n);
	for (size_t i = 0; i < n; i++)
		if (counts[i] > peak)
			peak = counts[i];
	fputs("   ", out);
	for (size_t i = 0; i < n; i++)
		fputs(bars[counts[i] == 0 ? 0 : 1 + counts[i] * 7 / peak], out);
	if (w % 86400 == 0)
		snprintf(label, sizeof label, "%" PRId64 " d", w / 86400);
	else if (w % 3600 == 0)
		snprintf(label, sizeof label, "%" PRId64 " h", w / 3600);
	else
		snprintf(label, sizeof label, "%" PRId64 " min", w / 60);
	fprintf(out, "  (%s per mark)\n", label);
}

static void templates(FILE *out, const struct topk *tk, size_t max, unsigned width);
static void fields(FILE *out, const struct cause_tally *ct, unsigned width);

static void cause_section(FILE *out, const struct report *r, size_t rank_no, size_t ci,
			  uint64_t fault_total, unsigned width, enum when_fmt wf,
			  const struct paint *pt)
{
	const struct cause *c = &r->rs->causes[ci];
	const struct cause_tally *ct = &r->tally->causes[ci];
	struct timeline_peak pk = timeline_peak(r->tally->timeline, ci);
	char a[32], t1[32], t2[32];

	fprintf(out, "\n%s%zu. %s%s%s: %s%s\n", pt->bold, rank_no, pt->fault, c->name, pt->bold,
		c->title, pt->off);
	fprintf(out, "   %s %s (%.1f%%), %s to %s", fmt_count(ct->events, a),
		ct->events == 1 ? "event" : "events",
		fmt_percent(ct->events, fault_total), when(ct->first, wf, t1, sizeof t1),
		when(ct->last, wf, t2, sizeof t2));
	if (pk.minute != INT64_MIN && pk.count > 1)
		fprintf(out, ", peak %s (%s in that minute)",
			tstamp_local(pk.minute * TSTAMP_US_PER_SEC,
				     wf == WHEN_TIME ? "%H:%M" : "%m-%d %H:%M", t1, sizeof t1),
			fmt_count(pk.count, a));
	fputc('\n', out);
	sparkline(out, r, ci, width);
	if (c->hint)
		put_wrapped(out, "   hint: ", c->hint, width);
	templates(out, ct->templates, 3, width);
	fields(out, ct, width);
}

/* The top templates of a cause (or of the unattributed records), each with
 * its count and one real message.  The message, not the whole line: the
 * time is in the table and the prefix would take half the width.  A "~"
 * marks counts that are upper bounds (the top-K table evicted). */
static void templates(FILE *out, const struct topk *tk, size_t max, unsigned width)
{
	struct topk_entry top[10];
	size_t n = topk_sorted(tk, top, max < 10 ? max : 10);
	bool approx = topk_evicted(tk);
	char a[32];

	for (size_t i = 0; i < n; i++) {
		fprintf(out, "   %s%9s  ", approx ? "~" : " ", fmt_count(top[i].count, a));
		put_escaped(out, top[i].text, top[i].len, width - 15);
		fputs("\n              e.g. ", out);
		put_escaped(out, top[i].sample, top[i].slen, width - 19);
		fputc('\n', out);
	}
}

/* "upstream: fastcgi://unix:/run/php.sock (1,920)" — the top values of the
 * fields the cause's records carry; distinct clients are estimated. */
static void fields(FILE *out, const struct cause_tally *ct, unsigned width)
{
	for (int f = 0; f < TF_COUNT; f++) {
		struct topk_entry top[3];
		size_t n = topk_sorted(ct->fields[f], top, 3), used;
		char a[32];

		if (n == 0)
			continue;
		used = (size_t)fprintf(out, "   %-9s", tally_field_name(f));
		if (f == TF_CLIENT)
			used += (size_t)fprintf(out, "%s distinct; ",
						fmt_count(hll_estimate(&ct->clients), a));
		/* As many values as fit the line, each cut to 44 columns:
		 * two readable values beat three truncated ones. */
		for (size_t i = 0; i < n; i++) {
			char count[48];
			size_t vw = top[i].len < 44 ? top[i].len : 44, need;

			snprintf(count, sizeof count, " (%s%s)", topk_evicted(ct->fields[f]) ? "~" : "",
				 fmt_count(top[i].count, a));
			need = (i ? 2 : 0) + vw + strlen(count);
			if (i > 0 && used + need > width)
				break;
			fputs(i ? ", " : "", out);
			put_escaped(out, top[i].text, top[i].len, vw);
			fputs(count, out);
			used += need;
		}
		fputc('\n', out);
	}
}

/* ---- the access logs joined: which cause produced each 5xx ---- */

enum { RESP_STATUS_COLS = 18 };

/* The statuses of a count array in `cols` columns, the most frequent
 * first, ",..." when not all fit; padded to cols when pad.  The sign "×"
 * is two bytes and one column. */
static void put_status_counts(FILE *out, const uint64_t status[RESPONSES_STATUS], size_t cols,
			      bool pad)
{
	int codes[RESPONSES_STATUS];
	size_t n = responses_statuses(status, codes, RESPONSES_STATUS), used = 0, i;
	char a[32], e[48];

	if (n == 0) {
		fprintf(out, "%-*s", pad ? (int)cols : 1, "-");
		return;
	}
	for (i = 0; i < n; i++) {
		size_t w = (size_t)snprintf(e, sizeof e, "%s%d \u00d7%s", i ? ", " : "", codes[i],
					    fmt_count(status[codes[i] - 500], a)) - 1;

		if (i > 0 && used + w + (i + 1 < n ? 4 : 0) > cols)
			break;
		fputs(e, out);
		used += w;
	}
	if (i < n) {
		fputs(",...", out);
		used += 4;
	}
	if (pad && used < cols)
		fprintf(out, "%*s", (int)(cols - used), "");
}

static void put_span_line(FILE *out, int64_t first, int64_t last)
{
	char day1[16], day2[16], a[64], b[64], z[16];

	tstamp_local(first, "%Y-%m-%d", day1, sizeof day1);
	tstamp_local(last, "%Y-%m-%d", day2, sizeof day2);
	fprintf(out, ", %s to %s %s", tstamp_local(first, "%Y-%m-%d %H:%M:%S", a, sizeof a),
		strcmp(day1, day2) == 0 ? tstamp_local(last, "%H:%M:%S", b, sizeof b)
					: tstamp_local(last, "%Y-%m-%d %H:%M:%S", b, sizeof b),
		tstamp_local(last, "%Z", z, sizeof z));
}

/* The explained table: a row per cause the join has something to say of,
 * then the unexplained 5xx, so the rows add up to the 5xx. */
static void responses_table(FILE *out, const struct report *r, const size_t *rank, size_t n,
			    unsigned width, const struct paint *pt)
{
	const struct responses *rs = r->responses;
	uint64_t n5 = rs->by_class[5];
	char a[32], b[32], text[160];

	fprintf(out, "\n  #  %-20s %7s %7s  %-*s  %s\n", "cause", "5xx", "share", RESP_STATUS_COLS,
		"status", "records matched");
	for (size_t i = 0; i < n; i++) {
		const struct cause *c = &r->rs->causes[rank[i]];
		const struct response_cause *rc = &rs->causes[rank[i]];

		fprintf(out, "%3zu  %s%-20.20s%s %7s %6.1f%%  ", i + 1,
			c->kind == CAUSE_FAULT ? pt->fault : "", c->name,
			c->kind == CAUSE_FAULT ? pt->off : "", fmt_count(rc->explained, a),
			fmt_percent(rc->explained, n5));
		put_status_counts(out, rc->status, RESP_STATUS_COLS, true);
		fprintf(out, "  %s of %s\n", fmt_count(rc->records_matched, a), fmt_count(rc->records, b));
		if (rc->by_time) {
			snprintf(text, sizeof text,
				 "%s by time only (records with no client or request, matched by"
				 " nearness)",
				 fmt_count(rc->by_time, a));
			put_wrapped(out, "       ", text, width);
		}
	}
	fprintf(out, "     %s%-20s%s %7s %6.1f%%  ", pt->dim, "unexplained", pt->off,
		fmt_count(rs->unexplained, a), fmt_percent(rs->unexplained, n5));
	put_status_counts(out, rs->unexplained_status, RESP_STATUS_COLS, false);
	fputc('\n', out);
}

/* What the unexplained 5xx have in common: status, paths, minutes. */
static void unexplained_section(FILE *out, const struct responses *rs, unsigned width,
				const struct paint *pt)
{
	struct topk_entry top[5];
	size_t n;
	bool approx;
	char a[32], b[32], text[200], *list = malloc(RESPONSES_STATUS_LIST);

	fprintf(out, "\n%sUnexplained 5xx%s  %s of %s (%.1f%%): %s\n", pt->bold, pt->off,
		fmt_count(rs->unexplained, a), fmt_count(rs->by_class[5], b),
		fmt_percent(rs->unexplained, rs->by_class[5]),
		list ? responses_status_list(rs->unexplained_status, list, RESPONSES_STATUS_LIST) : "");
	free(list);
	if (rs->unattributed_record) {
		snprintf(text, sizeof text,
			 "%s matched an error record that no rule attributes: look at the"
			 " unattributed templates",
			 fmt_count(rs->unattributed_record, a));
		put_wrapped(out, "   ", text, width);
	}
	n = topk_sorted(rs->unexplained_paths, top, 5);
	approx = topk_evicted(rs->unexplained_paths);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "   %-7s %s%9s  ", i ? "" : "paths", approx ? "~" : " ",
			fmt_count(top[i].count, a));
		put_escaped(out, top[i].text, top[i].len, width - 23);
		fputc('\n', out);
	}
	n = topk_sorted(rs->unexplained_minutes, top, 5);
	approx = topk_evicted(rs->unexplained_minutes);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "   %-7s %s%9s  %s\n", i ? "" : "minutes", approx ? "~" : " ",
			fmt_count(top[i].count, a),
			tstamp_local((int64_t)top[i].key * 60 * TSTAMP_US_PER_SEC, "%Y-%m-%d %H:%M",
				     b, sizeof b));
}

/* The Responses section: the access logs joined to the error logs. */
static int responses_section(FILE *out, const struct report *r, unsigned width,
			     const struct paint *pt)
{
	const struct responses *rs = r->responses;
	size_t *rank = malloc((rs->ncauses ? rs->ncauses : 1) * sizeof *rank), n;
	char a[32], b[32], text[200], *list;

	if (!rank)
		return -1;
	n = responses_rank(rs, r->rs->ncauses, rank, rs->ncauses);
	fprintf(out, "\n%sResponses%s  %s in the access logs", pt->bold, pt->off,
		fmt_count(rs->total, a));
	if (rs->first != TSTAMP_NONE)
		put_span_line(out, rs->first, rs->last);
	fputs("\n  ", out);
	for (int k = 1; k <= 5; k++)
		if (k >= 2 || rs->by_class[k])
			fprintf(out, " %dxx %s%s", k, fmt_count(rs->by_class[k], a), k < 5 ? "," : "");
	if (rs->by_class[0])
		fprintf(out, ", no status %s", fmt_count(rs->by_class[0], a));
	fputc('\n', out);
	if (rs->by_class[5] && (list = malloc(RESPONSES_STATUS_LIST))) {
		fprintf(out, "   5xx %s (%.1f%% of responses): %s\n", fmt_count(rs->by_class[5], a),
			fmt_percent(rs->by_class[5], rs->total),
			responses_status_list(rs->status_5xx, list, RESPONSES_STATUS_LIST));
		free(list);
	}
	if (n || rs->by_class[5])
		responses_table(out, r, rank, n, width, pt);
	if (rs->unexplained)
		unexplained_section(out, rs, width, pt);
	if (rs->window_full) {
		snprintf(text, sizeof text,
			 "the join window was full: %s error records left it before their time,"
			 " so some 5xx they explain may be counted as unexplained.",
			 fmt_count(rs->window_full, b));
		fputc('\n', out);
		put_wrapped(out, "Note: ", text, width);
	}
	if (rs->untimed) {
		snprintf(text, sizeof text,
			 "%s %s had no readable time and %s not joined.", fmt_count(rs->untimed, b),
			 rs->untimed == 1 ? "response" : "responses", rs->untimed == 1 ? "was" : "were");
		if (!rs->window_full)
			fputc('\n', out);
		put_wrapped(out, "Note: ", text, width);
	}
	free(rank);
	return 0;
}

int report_text(FILE *out, const struct report *r, const struct report_options *o)
{
	const struct tally *t = r->tally;
	size_t *rank = malloc((r->rs->ncauses ? r->rs->ncauses : 1) * sizeof *rank);
	size_t nfault, nnoise;
	uint64_t fault_total = 0, attributable = t->records - t->below_level;
	enum when_fmt wf = WHEN_TIME;
	unsigned width = o->width < 60 ? 60 : o->width;
	struct paint pt = paint_for(o);
	char a[32], b[32];

	if (!rank)
		return -1;
	header(out, r, t, &wf);
	if (t->records == 0) {
		int rc = 0;

		fputs(t->access ? "\nNo error records: the input is an access log.\n"
				: "\nNothing to analyse: the input holds no records.\n",
		      out);
		if (r->responses)
			rc = responses_section(out, r, width, &pt);
		free(rank);
		return rc < 0 || ferror(out) ? -1 : 0;
	}
	nfault = report_rank(r, CAUSE_FAULT, rank, r->rs->ncauses);
	for (size_t i = 0; i < nfault; i++)
		fault_total += t->causes[rank[i]].events;
	if (nfault == 0)
		fprintf(out, "\nNo fault cause found in %s records at %s or above.\n",
			fmt_count(attributable, a), record_level_name(r->min_level));
	else
		fault_table(out, r, rank, nfault, fault_total, wf, &pt);

	fputc('\n', out);
	{
		size_t *noise = rank + nfault;

		nnoise = report_rank(r, CAUSE_NOISE, noise, r->rs->ncauses - nfault);
		if (nnoise) {
			fputs("Noise         ", out);
			for (size_t i = 0; i < nnoise; i++)
				fprintf(out, "%s%s %s", i ? ", " : "", r->rs->causes[noise[i]].name,
					fmt_count(t->causes[noise[i]].events, a));
			fputs(" (not causes of 5xx)\n", out);
		}
	}
	fprintf(out, "Unattributed  %s of %s records at %s or above (%.1f%%)\n",
		fmt_count(t->unattributed, a), fmt_count(attributable, b),
		record_level_name(r->min_level), fmt_percent(t->unattributed, attributable));

	for (size_t i = 0; i < nfault; i++)
		cause_section(out, r, i + 1, rank[i], fault_total, width, wf, &pt);
	if (r->responses && responses_section(out, r, width, &pt) < 0) {
		free(rank);
		return -1;
	}
	if (t->unattributed) {
		fputs("\nUnattributed, by template (what a new rule could explain):\n", out);
		templates(out, t->unattributed_templates, 10, width);
	}
	free(rank);
	return ferror(out) ? -1 : 0;
}
