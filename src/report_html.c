/*
 * The HTML report: one self-contained page an engineer pastes into a
 * post-incident review.  Inline CSS and inline SVG only: no script, no
 * external font, image or stylesheet, nothing fetched, so the page looks
 * the same in a mail client, a wiki attachment or a browser with no
 * network.  It carries the facts of the text report (report_text.c) and the
 * time axis of the JSON report (report_json.c), laid out to be read at a
 * glance: key figures, a stacked timeline of the fault causes, the ranked
 * table, then one section per cause with its hint and examples.
 *
 * Every log byte is escaped (escape_html()): markup characters as entities,
 * control bytes and invalid UTF-8 as \xNN, never raw.
 */
#include "report.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fmt.h"
#include "tstamp.h"
#include "utf8.h"

/* Chart geometry in SVG user units.  The <svg> scales to the page width
 * through its viewBox, so these only fix the proportions and the room the
 * axis labels need (two lines of labels under the plot, counts left). */
enum {
	CHART_W = 960,
	CHART_H = 300,
	PLOT_L = 52,
	PLOT_R = 32, /* half a date label: the last tick sits on the edge */
	PLOT_T = 12,
	PLOT_B = 40,
	SPARK_W = 240,
	SPARK_H = 32,
	X_LABELS_MAX = 10, /* about 90 units apart: "10:30" never collides */
	Y_TICKS = 4,
	INPUTS_OPEN_MAX = 6, /* more inputs than this start folded */
};

/* Colours by rank.  The first eight are Okabe and Ito's set for colour-blind
 * readers (black left out: it reads as an axis); the rest are from Paul
 * Tol's "muted" set.  The biggest cause gets the strongest blue.  Past the
 * end the palette repeats hatched (see fill_of()), so no two causes share
 * a plain colour. */
static const char *const palette[] = {
	"#0072b2", "#e69f00", "#009e73", "#d55e00", "#56b4e9", "#cc79a7",
	"#f0e442", "#332288", "#882255", "#44aa99", "#999933", "#aa4499",
};
enum { PALETTE_N = sizeof palette / sizeof palette[0] };

/* Noise causes are not in the stacked chart: they are not causes of 5xx,
 * and 404s alone can outnumber every fault together, which would squash
 * the fault bands into the bottom of the chart.  They get a row and a grey
 * sparkline of their own in the noise table. */
static const char noise_colour[] = "#9aa0a6";

/* How much of a time the tables show: as little as the span allows (the
 * same choice as the text report). */
enum when_fmt {
	WHEN_TIME, /* the span is one local day: 10:15:02 */
	WHEN_DAY,  /* one year: 11-27 10:15 */
	WHEN_DATE, /* longer: 2026-11-27 */
};


/* What every part of the page shares, computed once before writing. */
struct page {
	const struct report *r;
	size_t *rank;          /* fault causes by rank, then noise causes */
	size_t nfault, nnoise;
	uint64_t fault_total;
	struct report_axis ax;
	uint64_t *counts;      /* (nfault + nnoise) × ax.n, in rank order */
	enum when_fmt wf;
	char zone[16];         /* the local zone's name, "UTC", "CET" */
};

/* ---- text helpers ------------------------------------------------------ */

/* A NUL-terminated string from the user or the pattern files (a file
 * name, a cause's title), escaped like log bytes. */
static void put_text(FILE *out, const char *s)
{
	escape_html(out, s, strlen(s), false);
}

/* Colour or SVG paint of the cause at position i of the ranking. */
static void fill_of(size_t i, char *buf, size_t size)
{
	if (i < PALETTE_N)
		snprintf(buf, size, "%s", palette[i]);
	else
		snprintf(buf, size, "url(#hatch-%zu)", i % PALETTE_N);
}

/* The same paint as a CSS background, for the legend's swatches. */
static void put_swatch(FILE *out, size_t i)
{
	const char *c = palette[i % PALETTE_N];

	if (i < PALETTE_N)
		fprintf(out, "<span class=\"sw\" style=\"background:%s\"></span>", c);
	else
		fprintf(out,
			"<span class=\"sw\" style=\"background:repeating-linear-gradient("
			"45deg,%s 0 3px,#fff 3px 5px);border:1px solid %s\"></span>",
			c, c);
}

/* ---- times ------------------------------------------------------------- */

static const char *when_format(enum when_fmt wf)
{
	switch (wf) {
	case WHEN_TIME:
		return "%H:%M:%S";
	case WHEN_DAY:
		return "%m-%d %H:%M";
	default:
		return "%Y-%m-%d";
	}
}

/* A moment as <time>: local time as the reader sees it in the tables, the
 * exact UTC instant in datetime= for anyone who copies it. */
static void put_time(FILE *out, int64_t t, const char *fmt)
{
	char iso[TSTAMP_ISO_SIZE], local[64];

	if (t == TSTAMP_NONE) {
		fputs("&ndash;", out);
		return;
	}
	tstamp_iso(t, false, iso);
	tstamp_local(t, "%Y-%m-%d %H:%M:%S %Z", local, sizeof local);
	fprintf(out, "<time datetime=\"%s\" title=\"", iso);
	put_text(out, local); /* the zone's name comes from TZ */
	fputs("\">", out);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	/* fmt is one of this file's literals (when_format(), peak_format()). */
	fputs(tstamp_local(t, fmt, local, sizeof local), out);
#pragma GCC diagnostic pop
	fputs("</time>", out);
}

static const char *peak_format(enum when_fmt wf)
{
	return wf == WHEN_TIME ? "%H:%M" : "%m-%d %H:%M";
}

static enum when_fmt when_fmt_for(const struct tally *t)
{
	char day1[16], day2[16];

	if (t->first == TSTAMP_NONE)
		return WHEN_TIME;
	tstamp_local(t->first, "%Y-%m-%d", day1, sizeof day1);
	tstamp_local(t->last, "%Y-%m-%d", day2, sizeof day2);
	if (strcmp(day1, day2) == 0)
		return WHEN_TIME;
	return memcmp(day1, day2, 4) == 0 ? WHEN_DAY : WHEN_DATE;
}

/* "1 min", "3 h", "2 d": the width of one bucket. */
static const char *width_label(int64_t w, char buf[32])
{
	if (w % 86400 == 0)
		snprintf(buf, 32, "%" PRId64 " d", w / 86400);
	else if (w % 3600 == 0)
		snprintf(buf, 32, "%" PRId64 " h", w / 3600);
	else if (w % 60 == 0)
		snprintf(buf, 32, "%" PRId64 " min", w / 60);
	else
		snprintf(buf, 32, "%" PRId64 " s", w);
	return buf;
}

/* ---- page state -------------------------------------------------------- */

static void page_release(struct page *pg)
{
	free(pg->rank);
	free(pg->counts);
}

/* Ranks the causes and regroups each ranked one onto the shared axis once,
 * so the chart (which stacks them) and the sparklines read the same
 * numbers.  Returns 0, or -1 when out of memory. */
static int page_init(struct page *pg, const struct report *r)
{
	const struct tally *t = r->tally;
	size_t n = r->rs->ncauses;

	memset(pg, 0, sizeof *pg);
	pg->r = r;
	pg->ax = report_axis(t, REPORT_TIMELINE_MAX);
	pg->wf = when_fmt_for(t);
	pg->rank = malloc((n ? n : 1) * sizeof *pg->rank);
	pg->counts = calloc((n ? n : 1) * (pg->ax.n ? pg->ax.n : 1), sizeof *pg->counts);
	if (!pg->rank || !pg->counts)
		return -1;
	pg->nfault = report_rank(r, CAUSE_FAULT, pg->rank, n);
	pg->nnoise = report_rank(r, CAUSE_NOISE, pg->rank + pg->nfault, n - pg->nfault);
	for (size_t i = 0; i < pg->nfault; i++)
		pg->fault_total += t->causes[pg->rank[i]].events;
	for (size_t i = 0; i < pg->nfault + pg->nnoise && pg->ax.n; i++)
		timeline_regroup(t->timeline, pg->rank[i], pg->ax.start, pg->ax.width,
				 pg->counts + i * pg->ax.n, pg->ax.n);
	if (t->first != TSTAMP_NONE)
		tstamp_local(t->last, "%Z", pg->zone, sizeof pg->zone);
	return 0;
}

/* The series of the cause at rank position i. */
static const uint64_t *series(const struct page *pg, size_t i)
{
	return pg->counts + i * pg->ax.n;
}

/* ---- head -------------------------------------------------------------- */

/* One stylesheet, small enough to read.  System fonts only: a named web
 * font would be fetched.  Numbers use tabular figures so columns align. */
static const char css[] =
	":root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;background:#fff;color:var(--fg);"
	"font:14px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif}\n"
	"main{max-width:1120px;margin:0 auto;padding:28px 32px 48px}\n"
	"h1{font-size:24px;margin:0 0 4px}\n"
	"h2{font-size:18px;margin:36px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}\n"
	"h3{font-size:16px;margin:0 0 2px}\n"
	"a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}\n"
	".muted{color:var(--muted)}\n"
	".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,\"DejaVu Sans Mono\","
	"monospace;font-size:12.5px}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;"
	"margin:20px 0}\n"
	".card{border:1px solid var(--line);border-radius:8px;padding:12px 16px;background:var(--soft)}\n"
	".card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}\n"
	".card .v{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}\n"
	".card .s{color:var(--muted);font-size:12.5px}\n"
	".counts{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px;"
	"margin:0}\n"
	".counts>div{border-left:3px solid var(--line);padding:2px 10px}\n"
	".counts dt{color:var(--muted);font-size:12px}\n"
	".counts dd{margin:0;font-size:16px;font-weight:600;font-variant-numeric:tabular-nums}\n"
	".counts dd.muted{font-weight:400}\n"
	".nw{white-space:nowrap}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;"
	"vertical-align:top}\n"
	"th{font-size:12px;color:var(--muted);font-weight:600;background:var(--soft);"
	"white-space:nowrap}\n"
	"th.num{text-align:right}\n"
	"td .name{white-space:nowrap;font-weight:600}\n"
	"td .title{color:var(--muted);font-size:13px}\n"
	"details>summary{cursor:pointer;color:var(--muted);margin-bottom:6px}\n"
	".bad{color:#b35900;font-weight:600}\n"
	".sw{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;"
	"vertical-align:-1px}\n"
	".legend{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:6px 18px;"
	"font-size:13px}\n"
	".legend .c{color:var(--muted);font-variant-numeric:tabular-nums}\n"
	"figure{margin:0}\n"
	"figcaption{color:var(--muted);font-size:12.5px;margin-top:4px}\n"
	"svg.chart{width:100%;height:auto;display:block}\n"
	"svg.chart text{font-size:11px;fill:#59636e}\n"
	"svg.spark{display:block}\n"
	".share{display:flex;align-items:center;justify-content:flex-end;gap:8px}\n"
	".bar{display:inline-block;height:8px;background:#d1d9e0;border-radius:2px;width:60px;"
	"overflow:hidden}\n"
	".bar>span{display:block;height:100%}\n"
	".note{border-left:4px solid #0969da;background:#ddf4ff;padding:12px 16px;border-radius:4px;"
	"margin:20px 0}\n"
	".cause{border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}\n"
	".cause .head{display:flex;justify-content:space-between;gap:16px;flex-wrap:wrap;"
	"align-items:flex-start}\n"
	".cause .stats{margin:6px 0 0;color:var(--muted)}\n"
	".cause .stats b{color:var(--fg);font-variant-numeric:tabular-nums}\n"
	".hint{margin:12px 0;padding:10px 14px;background:var(--soft);border-radius:6px}\n"
	"table.templates td code{white-space:pre-wrap;word-break:break-all}\n"
	"table.templates pre{margin:4px 0 0;font-size:12px;opacity:.8}\n"
	"dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}\n"
	"dl.fields dt{color:var(--muted)}dl.fields dd{margin:0;word-break:break-all}\n"
	".hint b{color:var(--muted);font-weight:600;margin-right:6px}\n"
	"pre{margin:6px 0 0;padding:8px 12px;background:#f6f8fa;border:1px solid var(--line);"
	"border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}\n"
	".x{color:#b35900;background:#fff1e5;border-radius:2px}\n"
	".verdict{padding:10px 16px;border-radius:6px;margin:16px 0}\n"
	".verdict ul{margin:4px 0 0;padding-left:20px}\n"
	".verdict.ok{background:#dafbe1;border-left:4px solid #1a7f37}\n"
	".verdict.fail{background:#ffebe9;border-left:4px solid #cf222e}\n"
	".rank{color:var(--muted);font-weight:600;margin-right:6px}\n"
	"footer{margin-top:40px;color:var(--muted);font-size:12px}\n"
	"@media print{main{padding:0}.cause{break-inside:avoid}}\n";

static void put_head(FILE *out, const struct page *pg)
{
	const struct tally *t = pg->r->tally;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"logcause\">\n<title>logcause: causes of 5xx errors",
	      out);
	if (t->first != TSTAMP_NONE) {
		char a[64], b[64];

		tstamp_local(t->first, "%Y-%m-%d %H:%M", a, sizeof a);
		tstamp_local(t->last, pg->wf == WHEN_TIME ? "%H:%M" : "%Y-%m-%d %H:%M", b, sizeof b);
		fprintf(out, ", %s to %s ", a, b);
		put_text(out, pg->zone);
	}
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", css);
}

/* Hatched patterns for ranks past the palette, defined once in a hidden
 * <svg>: ids are shared by every inline SVG of the page. */
static void put_patterns(FILE *out, const struct page *pg)
{
	size_t n = pg->nfault > PALETTE_N ? pg->nfault - PALETTE_N : 0;

	if (n == 0)
		return;
	fputs("<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>",
	      out);
	for (size_t i = 0; i < n && i < PALETTE_N; i++)
		fprintf(out,
			"<pattern id=\"hatch-%zu\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\""
			" patternTransform=\"rotate(45)\"><rect width=\"5\" height=\"5\" fill=\"#fff\"/>"
			"<rect width=\"3\" height=\"5\" fill=\"%s\"/></pattern>",
			i, palette[i]);
	fputs("</defs></svg>\n", out);
}

/* ---- header: what was read --------------------------------------------- */

static void put_card(FILE *out, const char *key, const char *value, const char *sub)
{
	fprintf(out, "<div class=\"card\"><div class=\"k\">%s</div><div class=\"v\">", key);
	put_text(out, value);
	fputs("</div><div class=\"s\">", out);
	put_text(out, sub);
	fputs("</div></div>\n", out);
}

/* "45 s", "1 h 5 min", "3 d 4 h": how long the logs cover. */
static const char *duration(int64_t s, char buf[32])
{
	if (s < 60)
		snprintf(buf, 32, "%" PRId64 " s", s);
	else if (s < 3600)
		snprintf(buf, 32, "%" PRId64 " min", s / 60);
	else if (s < 86400)
		snprintf(buf, 32, "%" PRId64 " h %" PRId64 " min", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, 32, "%" PRId64 " d %" PRId64 " h", s / 86400, s % 86400 / 3600);
	return buf;
}

/* Four numbers that answer the review's first questions: how many, mostly
 * what, over how long, and how much the catalogue could not explain. */
static void put_cards(FILE *out, const struct page *pg)
{
	const struct report *r = pg->r;
	const struct tally *t = r->tally;
	uint64_t attributable = t->records - t->below_level;
	char a[32], sub[160];

	fputs("<section class=\"cards\">\n", out);
	snprintf(sub, sizeof sub, "in %zu fault %s", pg->nfault, pg->nfault == 1 ? "cause" : "causes");
	put_card(out, "Fault events", fmt_count(pg->fault_total, a), sub);
	if (pg->nfault) {
		const struct cause *c = &r->rs->causes[pg->rank[0]];

		snprintf(sub, sizeof sub, "%.1f%% of fault events",
			 fmt_percent(t->causes[pg->rank[0]].events, pg->fault_total));
		put_card(out, "Top cause", c->name, sub);
	}
	if (t->first != TSTAMP_NONE) {
		snprintf(sub, sizeof sub, "of logs, %s records", fmt_count(t->records, a));
		put_card(out, "Span", duration((t->last - t->first) / TSTAMP_US_PER_SEC, a), sub);
	}
	snprintf(sub, sizeof sub, "%.1f%% of records at %s or above",
		 fmt_percent(t->unattributed, attributable), record_level_name(r->min_level));
	put_card(out, "Unattributed", fmt_count(t->unattributed, a), sub);
	fputs("</section>\n", out);
}

static void put_input_row(FILE *out, const struct input_summary *in)
{
	char a[32], b[32], c[32];

	fputs("<tr><td class=\"mono\">", out);
	put_text(out, in->name);
	fprintf(out, "</td><td class=\"nw\">%s</td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
		     "<td class=\"num\">%s</td><td>%s</td></tr>\n",
		record_format_name(in->format), codec_name(in->codec), fmt_bytes(in->bytes_in, a),
		fmt_bytes(in->bytes, b), fmt_count(in->lines, c),
		in->damaged ? "<span class=\"bad\">damaged</span>" : "whole");
}

/* The inputs, folded when there are many so the chart stays near the top. */
static void put_inputs(FILE *out, const struct report *r)
{
	uint64_t lines = 0, bytes = 0;
	char a[32], b[32];

	for (size_t i = 0; i < r->ninputs; i++) {
		lines += r->inputs[i].lines;
		bytes += r->inputs[i].bytes;
	}
	fprintf(out, "<h2>Inputs</h2>\n<details%s><summary>%zu %s, %s lines, %s decoded",
		r->ninputs <= INPUTS_OPEN_MAX ? " open" : "", r->ninputs,
		r->ninputs == 1 ? "file" : "files", fmt_count(lines, a), fmt_bytes(bytes, b));
	if (r->failed_inputs)
		fprintf(out, ", <span class=\"bad\">%zu not read</span>", r->failed_inputs);
	fputs("</summary>\n<table>\n<tr><th>File</th><th>Format</th><th>Compression</th>"
	      "<th class=\"num\">Bytes read</th><th class=\"num\">Decoded</th>"
	      "<th class=\"num\">Lines</th><th>State</th></tr>\n",
	      out);
	for (size_t i = 0; i < r->ninputs; i++)
		put_input_row(out, &r->inputs[i]);
	fputs("</table>\n</details>\n", out);
}

/* One figure of the records grid; zeros are greyed, not hidden, so the
 * reader sees the check was made. */
static void put_count(FILE *out, const char *what, uint64_t v)
{
	char a[32];

	fprintf(out, "<div><dt>%s</dt><dd class=\"%s\">%s</dd></div>\n", what, v ? "" : "muted",
		fmt_count(v, a));
}

static void put_records(FILE *out, const struct report *r)
{
	const struct tally *t = r->tally;
	char what[64];

	fputs("<h2>Records</h2>\n<dl class=\"counts\">\n", out);
	put_count(out, "Records read", t->records);
	snprintf(what, sizeof what, "At %s or above", record_level_name(r->min_level));
	put_count(out, what, t->records - t->below_level);
	put_count(out, "Below the level", t->below_level);
	put_count(out, "Outside the time window", t->outside);
	put_count(out, "Unattributed", t->unattributed);
	put_count(out, "Cut at a size limit", t->truncated);
	put_count(out, "Access-log lines", t->access);
	if (r->limit_hits)
		put_count(out, "Regex runs stopped at the limit", r->limit_hits);
	fputs("</dl>\n", out);
}

static void put_note(FILE *out, const char *text)
{
	fprintf(out, "<p class=\"note\">%s</p>\n", text);
}

/* The CI verdict (--fail-on, --max-unattributed), when thresholds were
 * set: the page of a failed pipeline should say why it failed. */
static void put_verdict(FILE *out, const struct verdict *v)
{
	if (!v)
		return;
	if (v->nbreach == 0) {
		fprintf(out, "<p class=\"verdict ok\"><b>Verdict: ok</b> (%zu %s met)</p>\n", v->n,
			v->n == 1 ? "threshold" : "thresholds");
		return;
	}
	fputs("<div class=\"verdict fail\"><b>Verdict: fail</b><ul>\n", out);
	for (size_t i = 0; i < v->nbreach; i++) {
		fputs("<li>", out);
		put_text(out, v->breach[i]);
		fputs("</li>\n", out);
	}
	fputs("</ul></div>\n", out);
}

static void put_header(FILE *out, const struct page *pg)
{
	const struct tally *t = pg->r->tally;

	fputs("<header>\n<h1>What caused the 5xx errors</h1>\n<p class=\"muted\">", out);
	if (t->first != TSTAMP_NONE) {
		fputs("From ", out);
		put_time(out, t->first, "%Y-%m-%d %H:%M:%S");
		fputs(" to ", out);
		put_time(out, t->last, pg->wf == WHEN_TIME ? "%H:%M:%S" : "%Y-%m-%d %H:%M:%S");
		fputc(' ', out);
		put_text(out, pg->zone);
		fputs(" &middot; ", out);
	}
	fputs("report by logcause</p>\n</header>\n", out);
	put_verdict(out, pg->r->verdict);
	/* With nothing to rank, say so where the cards would be: it is the
	 * answer, and the counts below show why. */
	if (t->records)
		put_cards(out, pg);
	else if (t->access)
		put_note(out, "No error records: the input is an access log.");
	else
		put_note(out, "Nothing to analyse: the input holds no records.");
	fputs("<section class=\"facts\">\n", out);
	put_records(out, pg->r);
	put_inputs(out, pg->r);
	fputs("</section>\n", out);
}

/* ---- the stacked timeline ---------------------------------------------- */

/* The smallest of 1, 2 and 5 times a power of ten that is at least v. */
static uint64_t nice_step(uint64_t v)
{
	uint64_t p = 1;

	while (p * 10 <= v)
		p *= 10;
	if (p >= v)
		return p;
	if (2 * p >= v)
		return 2 * p;
	return 5 * p >= v ? 5 * p : 10 * p;
}

/* Seconds east of UTC at t, from strftime's %z ("+0530"). */
static int64_t local_offset(int64_t t)
{
	char z[16];
	int v;

	tstamp_local(t * TSTAMP_US_PER_SEC, "%z", z, sizeof z);
	if ((z[0] != '+' && z[0] != '-') || strlen(z) < 5)
		return 0;
	v = ((z[1] - '0') * 10 + (z[2] - '0')) * 3600 + ((z[3] - '0') * 10 + (z[4] - '0')) * 60;
	return z[0] == '-' ? -v : v;
}

/* Which bucket boundaries carry a label: every `every`-th from `first`.
 * The interval is the smallest round one (in local time) that is a whole
 * number of buckets and leaves at most X_LABELS_MAX labels; labels sit on
 * round local times ("10:00", "10:15") when the buckets allow it. */
struct ticks {
	size_t first, every;
	int64_t interval; /* seconds between labels */
};

static struct ticks x_ticks(const struct report_axis *ax)
{
	static const int64_t round[] = { 60,     120,    300,    600,     900,     1800,
					 3600,   7200,   10800,  21600,   43200,   86400,
					 172800, 604800, 1209600, 2419200 };
	struct ticks tk = { 0, 1, ax->width };

	tk.every = (ax->n + X_LABELS_MAX - 1) / X_LABELS_MAX;
	tk.interval = (int64_t)tk.every * ax->width;
	for (size_t i = 0; i < sizeof round / sizeof round[0]; i++) {
		if (round[i] % ax->width == 0 && (size_t)(round[i] / ax->width) >= tk.every) {
			tk.interval = round[i];
			tk.every = (size_t)(round[i] / ax->width);
			break;
		}
	}
	/* The first boundary on a round local time, if one is in reach (a
	 * zone like +05:30 puts none on a whole hour of UTC buckets). */
	for (size_t i = 0; i < tk.every && i <= ax->n; i++) {
		int64_t b = ax->start + (int64_t)i * ax->width;

		if (((b + local_offset(b)) % tk.interval + tk.interval) % tk.interval == 0) {
			tk.first = i;
			break;
		}
	}
	return tk;
}

static double x_of(const struct report_axis *ax, double bucket)
{
	return PLOT_L + bucket * (CHART_W - PLOT_L - PLOT_R) / (double)ax->n;
}

static double y_of(uint64_t v, uint64_t top)
{
	return PLOT_T + (CHART_H - PLOT_T - PLOT_B) * (1.0 - (double)v / (double)top);
}

/* A count on the y axis in at most five characters ("1,500", "20k",
 * "1.5M"), so it fits left of the plot however busy the logs were.  The
 * values are multiples of a 1-2-5 step, so "k" never hides a remainder. */
static const char *y_label(uint64_t v, char buf[32])
{
	if (v >= 1000000)
		snprintf(buf, 32, v % 1000000 ? "%.1fM" : "%.0fM", (double)v / 1e6);
	else if (v >= 10000)
		snprintf(buf, 32, "%" PRIu64 "k", v / 1000);
	else
		fmt_count(v, buf);
	return buf;
}

/* The highest stack of the chart: all fault causes in one bucket. */
static uint64_t stacked_peak(const struct page *pg)
{
	uint64_t peak = 0;

	for (size_t k = 0; k < pg->ax.n; k++) {
		uint64_t sum = 0;

		for (size_t i = 0; i < pg->nfault; i++)
			sum += series(pg, i)[k];
		if (sum > peak)
			peak = sum;
	}
	return peak;
}

/* Gridlines and counts on the left, every step up to top. */
static void put_y_axis(FILE *out, uint64_t top, uint64_t step)
{
	char a[32];

	fputs("<g class=\"grid\">", out);
	for (uint64_t v = 0; v <= top; v += step) {
		double y = y_of(v, top);

		fprintf(out,
			"<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>",
			PLOT_L, CHART_W - PLOT_R, y, y, v ? "#e6eaef" : "#8c959f", PLOT_L - 6, y,
			y_label(v, a));
	}
	fputs("</g>\n", out);
}

/* A tick and its label.  Whole days are labelled by date, anything else
 * by time of day with the date under it where it changes, so buckets of an
 * odd width (184 min, when the stored width forces it) are not passed off
 * as midnights. */
static void put_x_label(FILE *out, double x, int64_t b, bool by_date, bool with_line2)
{
	char line1[32], line2[32];
	int64_t us = b * TSTAMP_US_PER_SEC;

	tstamp_local(us, by_date ? "%m-%d" : "%H:%M", line1, sizeof line1);
	tstamp_local(us, by_date ? "%Y" : "%Y-%m-%d", line2, sizeof line2);
	fprintf(out,
		"<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#8c959f\"/>"
		"<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s",
		x, x, CHART_H - PLOT_B, CHART_H - PLOT_B + 4, x, CHART_H - PLOT_B + 16, line1);
	if (with_line2)
		fprintf(out, "<tspan x=\"%.1f\" dy=\"14\">%s</tspan>", x, line2);
	fputs("</text>", out);
}

/* Time labels under the plot.  The second line (date, or year) is shown
 * at the first label and wherever it changes, so a multi-day span reads
 * without repeating it under every tick. */
static void put_x_axis(FILE *out, const struct report_axis *ax)
{
	struct ticks tk = x_ticks(ax);
	bool by_date = tk.interval % 86400 == 0;
	char prev[32] = "", cur[32];

	fputs("<g class=\"x-axis\">", out);
	for (size_t i = tk.first; i <= ax->n; i += tk.every) {
		int64_t b = ax->start + (int64_t)i * ax->width;

		tstamp_local(b * TSTAMP_US_PER_SEC, by_date ? "%Y" : "%Y-%m-%d", cur, sizeof cur);
		put_x_label(out, x_of(ax, (double)i), b, by_date, strcmp(cur, prev) != 0);
		memcpy(prev, cur, sizeof prev);
	}
	fputs("</g>\n", out);
}

/* The tooltip of one bar: "db, 10:15 to 10:16: 3 events". */
static void put_bar_title(FILE *out, const struct page *pg, const char *name, size_t k, uint64_t v)
{
	int64_t b = pg->ax.start + (int64_t)k * pg->ax.width;
	const char *fmt = pg->ax.width % 86400 == 0 ? "%Y-%m-%d"
			  : pg->wf == WHEN_TIME ? "%H:%M"
						: "%m-%d %H:%M";
	char t1[32], t2[32], a[32];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	/* fmt is one of the literals above. */
	tstamp_local(b * TSTAMP_US_PER_SEC, fmt, t1, sizeof t1);
	tstamp_local((b + pg->ax.width) * TSTAMP_US_PER_SEC, fmt, t2, sizeof t2);
#pragma GCC diagnostic pop
	fputs("<title>", out);
	put_text(out, name);
	fprintf(out, ", %s to %s: %s %s</title>", t1, t2, fmt_count(v, a), v == 1 ? "event" : "events");
}

/* One cause's band: a bar per non-empty bucket, on top of the causes ranked
 * before it (base holds their running sum and is advanced). */
static void put_series(FILE *out, const struct page *pg, size_t i, uint64_t top, uint64_t *base)
{
	const char *name = pg->r->rs->causes[pg->rank[i]].name;
	const uint64_t *s = series(pg, i);
	double slot = (double)(CHART_W - PLOT_L - PLOT_R) / (double)pg->ax.n;
	double gap = slot >= 4 ? 1 : 0;
	char paint[32];

	fill_of(i, paint, sizeof paint);
	fputs("<g class=\"series\" data-cause=\"", out);
	put_text(out, name);
	fprintf(out, "\" fill=\"%s\">", paint);
	for (size_t k = 0; k < pg->ax.n; k++) {
		double y0, y1;

		if (s[k] == 0)
			continue;
		y0 = y_of(base[k], top);
		y1 = y_of(base[k] + s[k], top);
		fprintf(out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\">",
			x_of(&pg->ax, (double)k) + gap / 2, y1, slot - gap, y0 - y1);
		put_bar_title(out, pg, name, k, s[k]);
		fputs("</rect>", out);
		base[k] += s[k];
	}
	fputs("</g>\n", out);
}

static void put_legend(FILE *out, const struct page *pg)
{
	char a[32];

	fputs("<ul class=\"legend\">\n", out);
	for (size_t i = 0; i < pg->nfault; i++) {
		const char *name = pg->r->rs->causes[pg->rank[i]].name;

		fputs("<li>", out);
		put_swatch(out, i);
		fputs("<a href=\"#cause-", out);
		put_text(out, name);
		fputs("\">", out);
		put_text(out, name);
		fprintf(out, "</a> <span class=\"c\">%s</span></li>\n",
			fmt_count(pg->r->tally->causes[pg->rank[i]].events, a));
	}
	fputs("</ul>\n", out);
}

/* The stacked chart of the fault causes over the shared axis, rank 1 at
 * the bottom where its band has a flat baseline to be read against. */
static int put_chart(FILE *out, const struct page *pg)
{
	uint64_t *base = calloc(pg->ax.n, sizeof *base);
	uint64_t peak = stacked_peak(pg);
	/* About Y_TICKS gridlines on a 1-2-5 step, the top one at or above
	 * the highest stack. */
	uint64_t step = nice_step(peak > Y_TICKS ? (peak + Y_TICKS - 1) / Y_TICKS : 1);
	uint64_t top = peak > step ? (peak + step - 1) / step * step : step;
	char w[32];

	if (!base)
		return -1;
	fputs("<section>\n<h2>Timeline</h2>\n<figure>\n", out);
	fprintf(out,
		"<svg class=\"chart\" id=\"timeline\" viewBox=\"0 0 %d %d\" role=\"img\""
		" aria-labelledby=\"timeline-title\">"
		"<title id=\"timeline-title\">Fault events per %s, stacked by cause</title>\n",
		CHART_W, CHART_H, width_label(pg->ax.width, w));
	put_y_axis(out, top, step);
	for (size_t i = 0; i < pg->nfault; i++)
		put_series(out, pg, i, top, base);
	put_x_axis(out, &pg->ax);
	fputs("</svg>\n", out);
	fprintf(out, "<figcaption>Fault events per %s bucket, stacked by cause, times in ", w);
	put_text(out, pg->zone);
	fputs(". Noise causes are left out (see below).</figcaption>\n</figure>\n", out);
	put_legend(out, pg);
	fputs("</section>\n", out);
	free(base);
	return 0;
}

/* A cause's shape over the shared axis, scaled to its own busiest bucket
 * like the text report's sparkline. */
static void put_sparkline(FILE *out, const struct page *pg, size_t i, const char *paint)
{
	const uint64_t *s = series(pg, i);
	double slot = (double)SPARK_W / (double)pg->ax.n;
	uint64_t peak = 0;

	for (size_t k = 0; k < pg->ax.n; k++)
		if (s[k] > peak)
			peak = s[k];
	fprintf(out,
		"<svg class=\"spark\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\""
		" aria-label=\"events over time\">"
		"<line x1=\"0\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#d1d9e0\"/><g fill=\"%s\">",
		SPARK_W, SPARK_H, SPARK_W, SPARK_H, SPARK_W, SPARK_H - 1, SPARK_H - 1, paint);
	for (size_t k = 0; k < pg->ax.n && peak; k++) {
		/* At least a pixel, so a single event still shows. */
		double h = s[k] ? 1 + (double)(SPARK_H - 3) * (double)s[k] / (double)peak : 0;

		if (h > 0)
			fprintf(out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>",
				(double)k * slot, SPARK_H - 1 - h, slot > 2 ? slot - 0.5 : slot, h);
	}
	fputs("</g></svg>", out);
}

/* ---- the ranked table ------------------------------------------------- */

static void put_status(FILE *out, const struct cause *c)
{
	if (c->nstatus == 0)
		fputs("&ndash;", out);
	for (size_t i = 0; i < c->nstatus; i++)
		fprintf(out, "%s%u", i ? " " : "", c->status[i]);
}

static void put_peak_cells(FILE *out, const struct page *pg, size_t ci)
{
	struct timeline_peak pk = timeline_peak(pg->r->tally->timeline, ci);
	char a[32];

	if (pk.minute == INT64_MIN) {
		fputs("<td class=\"num\">&ndash;</td><td class=\"num\">&ndash;</td>", out);
		return;
	}
	fputs("<td class=\"num\">", out);
	put_time(out, pk.minute * TSTAMP_US_PER_SEC, peak_format(pg->wf));
	fprintf(out, "</td><td class=\"num\">%s</td>", fmt_count(pk.count, a));
}

/* A cause's name, linked to its section when it has one (with its colour
 * swatch when swatch >= 0), and its title under it: one cell, so the title
 * gets the table's spare width. */
static void put_name_cell(FILE *out, const struct cause *c, bool linked, long swatch)
{
	fputs("<td><div class=\"name\">", out);
	if (linked) {
		if (swatch >= 0)
			put_swatch(out, (size_t)swatch);
		fputs("<a href=\"#cause-", out);
		put_text(out, c->name);
		fputs("\">", out);
		put_text(out, c->name);
		fputs("</a>", out);
	} else {
		put_text(out, c->name);
	}
	fputs("</div><div class=\"title\">", out);
	put_text(out, c->title);
	fputs("</div></td>", out);
}

static void put_cause_cell(FILE *out, const struct page *pg, size_t i, bool linked)
{
	put_name_cell(out, &pg->r->rs->causes[pg->rank[i]], linked, (long)i);
}

static void put_fault_row(FILE *out, const struct page *pg, size_t i)
{
	size_t ci = pg->rank[i];
	const struct cause *c = &pg->r->rs->causes[ci];
	const struct cause_tally *ct = &pg->r->tally->causes[ci];
	double share = fmt_percent(ct->events, pg->fault_total);
	char a[32];

	fprintf(out, "<tr><td class=\"num\">%zu</td>", i + 1);
	put_cause_cell(out, pg, i, true);
	fprintf(out, "<td class=\"num\">%s</td><td class=\"num\"><div class=\"share\">%.1f%%"
		     "<span class=\"bar\"><span style=\"width:%.1f%%;background:%s\"></span></span>"
		     "</div></td><td class=\"mono nw\">",
		fmt_count(ct->events, a), share, share, palette[i % PALETTE_N]);
	put_status(out, c);
	fputs("</td><td class=\"num\">", out);
	put_time(out, ct->first, when_format(pg->wf));
	fputs("</td><td class=\"num\">", out);
	put_time(out, ct->last, when_format(pg->wf));
	fputs("</td>", out);
	put_peak_cells(out, pg, ci);
	fputs("</tr>\n", out);
}

static void put_fault_table(FILE *out, const struct page *pg)
{
	fputs("<section>\n<h2>Causes, ranked</h2>\n<table class=\"ranked\">\n<tr><th class=\"num\">#</th>"
	      "<th>Cause</th><th class=\"num\">Events</th>"
	      "<th class=\"num\">Share</th><th>Status</th><th class=\"num\">First seen</th>"
	      "<th class=\"num\">Last seen</th><th class=\"num\">Peak minute</th>"
	      "<th class=\"num\">Events in it</th></tr>\n",
	      out);
	for (size_t i = 0; i < pg->nfault; i++)
		put_fault_row(out, pg, i);
	fputs("</table>\n<p class=\"muted\">Share is of fault events; status is the HTTP status"
	      " the cause typically gives.</p>\n</section>\n",
	      out);
}

static void put_noise_row(FILE *out, const struct page *pg, size_t i)
{
	const struct cause_tally *ct = &pg->r->tally->causes[pg->rank[i]];
	char a[32];

	fputs("<tr>", out);
	put_cause_cell(out, pg, i, false);
	fprintf(out, "<td class=\"num\">%s</td><td class=\"num\">", fmt_count(ct->events, a));
	put_time(out, ct->first, when_format(pg->wf));
	fputs("</td><td class=\"num\">", out);
	put_time(out, ct->last, when_format(pg->wf));
	fputs("</td><td>", out);
	if (pg->ax.n)
		put_sparkline(out, pg, i, noise_colour);
	fputs("</td></tr>\n", out);
}

/* Noise causes and the unattributed rest: what the ranking left out. */
static void put_noise(FILE *out, const struct page *pg)
{
	const struct tally *t = pg->r->tally;
	uint64_t attributable = t->records - t->below_level;
	char a[32], b[32];

	fputs("<section>\n<h2>Not ranked</h2>\n", out);
	if (pg->nnoise) {
		fputs("<table class=\"noise\">\n<tr><th>Noise cause</th>"
		      "<th class=\"num\">Events</th><th class=\"num\">First seen</th>"
		      "<th class=\"num\">Last seen</th><th>Over time</th></tr>\n",
		      out);
		for (size_t i = pg->nfault; i < pg->nfault + pg->nnoise; i++)
			put_noise_row(out, pg, i);
		fputs("</table>\n<p class=\"muted\">Noise causes are not causes of 5xx errors"
		      " (missing files, clients that went away).</p>\n",
		      out);
	}
	fprintf(out, "<p><b>Unattributed:</b> %s of %s records at %s or above (%.1f%%) matched no"
		     " cause.</p>\n</section>\n",
		fmt_count(t->unattributed, a), fmt_count(attributable, b), record_level_name(pg->r->min_level),
		fmt_percent(t->unattributed, attributable));
}

/* ---- per-cause sections ------------------------------------------------ */

static void put_cause_stats(FILE *out, const struct page *pg, size_t ci)
{
	const struct cause_tally *ct = &pg->r->tally->causes[ci];
	struct timeline_peak pk = timeline_peak(pg->r->tally->timeline, ci);
	char a[32];

	fprintf(out, "<p class=\"stats\"><b>%s</b> %s &middot; <b>%.1f%%</b> of fault events &middot; ",
		fmt_count(ct->events, a), ct->events == 1 ? "event" : "events",
		fmt_percent(ct->events, pg->fault_total));
	put_time(out, ct->first, when_format(pg->wf));
	fputs(" to ", out);
	put_time(out, ct->last, when_format(pg->wf));
	/* As in the text report: a busiest minute of one event says nothing. */
	if (pk.minute != INT64_MIN && pk.count > 1) {
		fputs(" &middot; peak ", out);
		put_time(out, pk.minute * TSTAMP_US_PER_SEC, peak_format(pg->wf));
		fprintf(out, " (<b>%s</b> in that minute)", fmt_count(pk.count, a));
	}
	fputs("</p>\n", out);
}

/* The message, not the whole line: the time is in the stats above and the
 * prefix (pid, connection number) says nothing about the cause. */
static void put_examples(FILE *out, const struct cause_tally *ct)
{
	for (size_t i = 0; i < ct->nexamples; i++) {
		const struct tally_example *ex = &ct->examples[i];

		fputs("<pre><code>", out);
		escape_html(out, ex->text + ex->msg_off, ex->len - ex->msg_off, true);
		fputs("</code></pre>\n", out);
	}
}

/* The top templates, each with its count and one real message; "~" marks
 * upper bounds (the top-K table evicted). */
static void put_templates(FILE *out, const struct topk *tk, size_t max)
{
	struct topk_entry top[10];
	size_t n = topk_sorted(tk, top, max < 10 ? max : 10);
	bool approx = topk_evicted(tk);
	char a[32];

	if (n == 0)
		return;
	fputs("<table class=\"templates\"><thead><tr><th class=\"num\">Events</th>"
	      "<th>Template, and one real message</th></tr></thead><tbody>\n",
	      out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "<tr><td class=\"num\">%s%s</td><td><code>", approx ? "~" : "",
			fmt_count(top[i].count, a));
		escape_html(out, top[i].text, top[i].len, false);
		fputs("</code><pre><code>", out);
		escape_html(out, top[i].sample, top[i].slen, true);
		fputs("</code></pre></td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static void put_fields(FILE *out, const struct cause_tally *ct)
{
	bool any = false;
	char a[32];

	for (int f = 0; f < TF_COUNT; f++) {
		struct topk_entry top[5];
		size_t n = topk_sorted(ct->fields[f], top, 5);

		if (n == 0)
			continue;
		if (!any)
			fputs("<dl class=\"fields\">\n", out);
		any = true;
		fprintf(out, "<dt>%s</dt><dd>", tally_field_name((enum tally_field)f));
		if (f == TF_CLIENT)
			fprintf(out, "%s distinct &middot; ", fmt_count(hll_estimate(&ct->clients), a));
		for (size_t i = 0; i < n; i++) {
			fputs(i ? ", <code>" : "<code>", out);
			escape_html(out, top[i].text, top[i].len, false);
			fprintf(out, "</code> (%s)", fmt_count(top[i].count, a));
		}
		fputs("</dd>\n", out);
	}
	if (any)
		fputs("</dl>\n", out);
}

static void put_cause_section(FILE *out, const struct page *pg, size_t i)
{
	size_t ci = pg->rank[i];
	const struct cause *c = &pg->r->rs->causes[ci];
	char paint[32], w[32];

	fputs("<article class=\"cause\" id=\"cause-", out);
	put_text(out, c->name);
	fputs("\">\n<div class=\"head\"><div>\n<h3>", out);
	fprintf(out, "<span class=\"rank\">%zu</span>", i + 1);
	put_swatch(out, i);
	put_text(out, c->name);
	fputs(": ", out);
	put_text(out, c->title);
	fputs("</h3>\n", out);
	put_cause_stats(out, pg, ci);
	fputs("</div>\n", out);
	if (pg->ax.n) {
		fill_of(i, paint, sizeof paint);
		fputs("<figure>", out);
		put_sparkline(out, pg, i, paint);
		fprintf(out, "<figcaption>per %s, scaled to its busiest</figcaption></figure>",
			width_label(pg->ax.width, w));
	}
	fputs("</div>\n", out);
	if (c->hint) {
		fputs("<p class=\"hint\"><b>Hint</b>", out);
		put_text(out, c->hint);
		fputs("</p>\n", out);
	}
	put_templates(out, pg->r->tally->causes[ci].templates, 5);
	put_fields(out, &pg->r->tally->causes[ci]);
	/* Each template shows a real message already. */
	if (topk_total(pg->r->tally->causes[ci].templates) == 0)
		put_examples(out, &pg->r->tally->causes[ci]);
	fputs("</article>\n", out);
}

/* ---- the access logs joined: which cause produced each 5xx ----------- */

static void put_status_list(FILE *out, const uint64_t status[RESPONSES_STATUS])
{
	char *list = malloc(RESPONSES_STATUS_LIST);

	if (list)
		put_text(out, responses_status_list(status, list, RESPONSES_STATUS_LIST));
	free(list);
}

/* A row of the explained table; the name links to the cause's section
 * when it has one (a fault cause with events). */
static void put_response_row(FILE *out, const struct page *pg, size_t no, size_t ci)
{
	const struct cause *c = &pg->r->rs->causes[ci];
	const struct response_cause *rc = &pg->r->responses->causes[ci];
	char a[32], b[32];

	fprintf(out, "<tr><td class=\"num\">%zu</td>", no);
	put_name_cell(out, c, c->kind == CAUSE_FAULT && pg->r->tally->causes[ci].events, -1);
	fprintf(out, "<td class=\"num\">%s</td><td class=\"num\">%.1f%%</td>"
		     "<td class=\"mono nw\">",
		fmt_count(rc->explained, a), fmt_percent(rc->explained, pg->r->responses->by_class[5]));
	put_status_list(out, rc->status);
	fprintf(out, "</td><td class=\"num\">%s</td>", rc->by_time ? fmt_count(rc->by_time, a) : "&ndash;");
	fprintf(out, "<td class=\"num\">%s of %s</td></tr>\n", fmt_count(rc->records_matched, a),
		fmt_count(rc->records, b));
}

static void put_unexplained(FILE *out, const struct responses *rs)
{
	struct topk_entry top[10];
	size_t n;
	bool approx;
	char a[32], b[32];

	fprintf(out, "<h3 style=\"margin:20px 0 8px\">Unexplained 5xx</h3>\n<p><b>%s</b> of %s"
		     " (%.1f%%): <span class=\"mono\">",
		fmt_count(rs->unexplained, a), fmt_count(rs->by_class[5], b),
		fmt_percent(rs->unexplained, rs->by_class[5]));
	put_status_list(out, rs->unexplained_status);
	fputs("</span>", out);
	if (rs->unattributed_record)
		fprintf(out, ". %s of them matched an error record that no rule attributes: look at"
			     " the unattributed templates",
			fmt_count(rs->unattributed_record, a));
	fputs(".</p>\n", out);
	n = topk_sorted(rs->unexplained_paths, top, 10);
	approx = topk_evicted(rs->unexplained_paths);
	if (n) {
		fputs("<table class=\"paths\"><tr><th>Path</th><th>Example</th>"
		      "<th class=\"num\">5xx</th></tr>\n",
		      out);
		for (size_t i = 0; i < n; i++) {
			fputs("<tr><td><code>", out);
			escape_html(out, top[i].text, top[i].len, false);
			fputs("</code></td><td><code>", out);
			escape_html(out, top[i].sample, top[i].slen, false);
			fprintf(out, "</code></td><td class=\"num\">%s%s</td></tr>\n", approx ? "~" : "",
				fmt_count(top[i].count, a));
		}
		fputs("</table>\n", out);
	}
	n = topk_sorted(rs->unexplained_minutes, top, 5);
	approx = topk_evicted(rs->unexplained_minutes);
	if (n) {
		fputs("<table class=\"minutes\" style=\"margin-top:16px\"><tr><th>Busiest minute</th>"
		      "<th class=\"num\">5xx</th></tr>\n",
		      out);
		for (size_t i = 0; i < n; i++) {
			fputs("<tr><td>", out);
			put_time(out, (int64_t)top[i].key * 60 * TSTAMP_US_PER_SEC, "%Y-%m-%d %H:%M");
			fprintf(out, "</td><td class=\"num\">%s%s</td></tr>\n", approx ? "~" : "",
				fmt_count(top[i].count, a));
		}
		fputs("</table>\n", out);
	}
}

/* The Responses section: the access logs joined to the error logs. */
static int put_responses(FILE *out, const struct page *pg)
{
	const struct responses *rs = pg->r->responses;
	size_t *rank = malloc((rs->ncauses ? rs->ncauses : 1) * sizeof *rank), n;
	uint64_t n5 = rs->by_class[5];
	bool by_time = false;
	char what[32], zone[16];

	if (!rank)
		return -1;
	n = responses_rank(rs, pg->r->rs->ncauses, rank, rs->ncauses);
	fputs("<section id=\"responses\">\n<h2>Responses</h2>\n<p class=\"muted\">The access logs,"
	      " each 5xx joined to the error record that explains it",
	      out);
	if (rs->first != TSTAMP_NONE) {
		fputs(": from ", out);
		put_time(out, rs->first, "%Y-%m-%d %H:%M:%S");
		fputs(" to ", out);
		put_time(out, rs->last, "%Y-%m-%d %H:%M:%S");
		fputc(' ', out);
		put_text(out, tstamp_local(rs->last, "%Z", zone, sizeof zone));
	}
	fputs(".</p>\n<dl class=\"counts\">\n", out);
	put_count(out, "Responses", rs->total);
	for (int k = 1; k <= 5; k++) {
		if (k == 1 && !rs->by_class[k])
			continue;
		snprintf(what, sizeof what, "%dxx", k);
		put_count(out, what, rs->by_class[k]);
	}
	if (rs->by_class[0])
		put_count(out, "No status", rs->by_class[0]);
	put_count(out, "5xx explained", rs->explained);
	put_count(out, "5xx unexplained", rs->unexplained);
	if (rs->untimed)
		put_count(out, "No readable time (not joined)", rs->untimed);
	fputs("</dl>\n", out);
	if (n5) {
		fputs("<p><b>5xx by status:</b> <span class=\"mono\">", out);
		put_status_list(out, rs->status_5xx);
		fputs("</span></p>\n", out);
	}
	if (n || n5) {
		fputs("<h3 style=\"margin:20px 0 8px\">Explained 5xx, by cause</h3>\n"
		      "<table class=\"responses\">\n<tr><th class=\"num\">#</th><th>Cause</th>"
		      "<th class=\"num\">5xx</th><th class=\"num\">Share of 5xx</th><th>Status</th>"
		      "<th class=\"num\">By time only</th><th class=\"num\">Records matched</th></tr>\n",
		      out);
		for (size_t i = 0; i < n; i++) {
			put_response_row(out, pg, i + 1, rank[i]);
			by_time |= rs->causes[rank[i]].by_time != 0;
		}
		fprintf(out, "<tr><td></td><td><div class=\"name muted\">unexplained</div></td>"
			     "<td class=\"num\">%s</td><td class=\"num\">%.1f%%</td><td class=\"mono nw\">",
			fmt_count(rs->unexplained, what), fmt_percent(rs->unexplained, n5));
		put_status_list(out, rs->unexplained_status);
		fputs("</td><td></td><td></td></tr>\n</table>\n<p class=\"muted\">Records matched: the"
		      " cause's error records that a response was joined to.",
		      out);
		if (by_time)
			fputs(" By time only: 5xx joined to a record with no client or request"
			      " (&ldquo;worker_connections are not enough&rdquo;) by nearness alone.",
			      out);
		fputs("</p>\n", out);
	}
	if (rs->unexplained)
		put_unexplained(out, rs);
	if (rs->window_full)
		fprintf(out, "<p class=\"note\">The join window was full: %s error records left it"
			     " before their time, so some 5xx they explain may be counted as"
			     " unexplained.</p>\n",
			fmt_count(rs->window_full, what));
	fputs("</section>\n", out);
	free(rank);
	return 0;
}

/* ---- the page ---------------------------------------------------------- */

static void put_footer(FILE *out, const struct page *pg)
{
	char a[32];

	fprintf(out, "<footer>logcause &middot; %zu %s from %zu pattern %s", pg->r->rs->ncauses,
		pg->r->rs->ncauses == 1 ? "cause" : "causes", pg->r->rs->nfiles,
		pg->r->rs->nfiles == 1 ? "file" : "files");
	if (pg->ax.n)
		fprintf(out, " &middot; %zu buckets of %s", pg->ax.n, width_label(pg->ax.width, a));
	fputs("</footer>\n</main>\n</body>\n</html>\n", out);
}

/* The body below the header when there were records to analyse: chart,
 * ranking, what the ranking left out, then a section per fault cause. */
static int put_analysis(FILE *out, const struct page *pg)
{
	const struct tally *t = pg->r->tally;
	char a[32], msg[160];

	if (pg->nfault == 0) {
		snprintf(msg, sizeof msg, "No fault cause found in %s records at %s or above.",
			 fmt_count(t->records - t->below_level, a), record_level_name(pg->r->min_level));
		put_note(out, msg);
		put_noise(out, pg);
		return pg->r->responses ? put_responses(out, pg) : 0;
	}
	if (pg->ax.n == 0)
		put_note(out, "The records carry no time stamps: there is no timeline.");
	else if (put_chart(out, pg) < 0)
		return -1;
	put_fault_table(out, pg);
	put_noise(out, pg);
	fputs("<section>\n<h2>Each cause</h2>\n", out);
	for (size_t i = 0; i < pg->nfault; i++)
		put_cause_section(out, pg, i);
	fputs("</section>\n", out);
	if (pg->r->responses && put_responses(out, pg) < 0)
		return -1;
	if (t->unattributed) {
		fputs("<section>\n<h2>Unattributed, by template</h2>\n<p class=\"note\">What a new "
		      "rule could explain (<code>logcause --suggest</code> drafts one).</p>\n",
		      out);
		put_templates(out, t->unattributed_templates, 10);
		fputs("</section>\n", out);
	}
	return 0;
}

int report_html(FILE *out, const struct report *r, const struct report_options *o)
{
	struct page pg;
	int rc = -1;

	(void)o; /* the page reflows; it needs no terminal width */
	if (page_init(&pg, r) < 0)
		goto out;
	put_head(out, &pg);
	put_patterns(out, &pg);
	put_header(out, &pg);
	if (r->tally->records && put_analysis(out, &pg) < 0)
		goto out;
	if (!r->tally->records && r->responses && put_responses(out, &pg) < 0)
		goto out;
	put_footer(out, &pg);
	rc = ferror(out) ? -1 : 0;
out:
	page_release(&pg);
	return rc;
}
