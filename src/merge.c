#include "merge.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"
#include "timeline.h"
#include "topk.h"

/* A report larger than this is not one logcause wrote. */
#define MERGE_MAX_FILE ((size_t)512 << 20)

void merge_init(struct merged *m)
{
	memset(m, 0, sizeof *m);
	arena_init(&m->arena);
	rules_init(&m->rs);
}

void merge_release(struct merged *m)
{
	tally_free(m->tally);
	responses_free(m->responses);
	free(m->inputs);
	free(m->docs);
	free(m->names);
	rules_release(&m->rs);
	arena_release(&m->arena);
	memset(m, 0, sizeof *m);
}

static char *read_file(const char *path, size_t *len, struct diag *dg)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		diag_error(dg, path, "%s", strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			char *p;

			cap = cap ? cap * 2 : 1 << 16;
			if (cap > MERGE_MAX_FILE || !(p = realloc(buf, cap))) {
				diag_error(dg, path, cap > MERGE_MAX_FILE ? "larger than a report can be"
									  : "out of memory");
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		diag_error(dg, path, "read error");
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

static const char *digest_of(const struct jv *doc)
{
	return jv_str(jv_get(jv_get(doc, "patterns"), "digest"));
}

int merge_add_file(struct merged *m, const char *path, struct diag *dg)
{
	size_t len, off = 0;
	char err[128];
	char *text = read_file(path, &len, dg);
	const struct jv *doc;
	const char *schema, *digest, *level;

	if (!text)
		return -1;
	doc = jsonr_parse(&m->arena, text, len, err, sizeof err, &off);
	free(text);
	if (!doc) {
		char where[4096];

		snprintf(where, sizeof where, "%s:byte %zu", path, off);
		return diag_error(dg, where, "not a JSON report: %s", err);
	}
	schema = jv_str(jv_get(doc, "schema"));
	digest = digest_of(doc);
	level = jv_str(jv_get(doc, "min_level"));
	if (!schema || strcmp(schema, REPORT_SCHEMA) != 0)
		return diag_error(dg, path, "not a %s report (schema %s)", REPORT_SCHEMA,
				  schema ? schema : "missing");
	if (!digest || !level || !jv_get(doc, "causes") || !jv_get(doc, "merge"))
		return diag_error(dg, path, "a %s report without the parts a merge needs",
				  REPORT_SCHEMA);
	if (m->ndocs > 0) {
		/* Counts made with other rules, or another level threshold,
		 * do not add up to anything true. */
		if (strcmp(digest, digest_of(m->docs[0])) != 0)
			return diag_error(dg, path,
					  "made with another pattern set (digest %s, not %s as in %s)",
					  digest, digest_of(m->docs[0]), m->names[0]);
		if (strcmp(level, jv_str(jv_get(m->docs[0], "min_level"))) != 0)
			return diag_error(dg, path, "made with --min-level %s, not %s as in %s", level,
					  jv_str(jv_get(m->docs[0], "min_level")), m->names[0]);
	}
	if (m->ndocs == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 8;
		const struct jv **d = realloc(m->docs, ncap * sizeof *d);
		const char **nm = d ? realloc(m->names, ncap * sizeof *nm) : NULL;

		if (d)
			m->docs = d;
		if (!d || !nm)
			return diag_error(dg, path, "out of memory");
		m->names = nm;
		m->cap = ncap;
	}
	m->names[m->ndocs] = arena_strndup(&m->arena, path, strlen(path));
	m->docs[m->ndocs++] = doc;
	return 0;
}

/* One line of a rules file: control characters (a hostile report could
 * hold any) become spaces. */
static void put_value(FILE *f, const char *key, const char *v)
{
	fprintf(f, "%-8s = ", key);
	for (; v && *v; v++)
		fputc((unsigned char)*v < 0x20 ? ' ' : *v, f);
	fputc('\n', f);
}

struct cause_ref {
	const struct jv *cause;
	uint64_t order;
};

static int cmp_order(const void *a, const void *b)
{
	const struct cause_ref *x = a, *y = b;

	return x->order < y->order ? -1 : x->order > y->order;
}

/* The merged rule set: every cause any report has, in catalogue order (so
 * ties rank as they would have), described by the report that named it
 * first.  It is written as a rules file and read by the rules loader, so
 * a report's cause metadata is checked exactly as a pattern file is. */
static int build_causes(struct merged *m, struct diag *dg)
{
	struct cause_ref *refs = NULL;
	size_t n = 0, cap = 0, len = 0;
	char *text = NULL;
	FILE *f;
	int rc;

	for (size_t d = 0; d < m->ndocs; d++) {
		for (const struct jv *c = jv_get(m->docs[d], "causes") ? jv_get(m->docs[d], "causes")->child
									: NULL;
		     c; c = c->next) {
			const char *name = jv_str(jv_get(c, "name"));
			bool seen = false;

			for (size_t i = 0; name && i < n; i++)
				seen |= strcmp(jv_str(jv_get(refs[i].cause, "name")), name) == 0;
			if (!name || seen)
				continue;
			if (n == cap) {
				struct cause_ref *p;

				cap = cap ? cap * 2 : 16;
				if (!(p = realloc(refs, cap * sizeof *p))) {
					free(refs);
					return diag_error(dg, NULL, "out of memory");
				}
				refs = p;
			}
			refs[n].cause = c;
			refs[n].order = jv_u64(jv_get(jv_get(c, "merge"), "order"), UINT64_MAX);
			n++;
		}
	}
	qsort(refs, n, sizeof *refs, cmp_order);
	f = open_memstream(&text, &len);
	if (!f) {
		free(refs);
		return diag_error(dg, NULL, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		const struct jv *c = refs[i].cause, *st = jv_get(c, "status");

		fprintf(f, "[cause %s]\n", jv_str(jv_get(c, "name")));
		put_value(f, "title", jv_str(jv_get(c, "title")));
		put_value(f, "kind", jv_str(jv_get(c, "kind")));
		fprintf(f, "priority = %" PRIu64 "\n", jv_u64(jv_get(c, "priority"), 0));
		if (st && st->child) {
			fputs("status   =", f);
			for (const struct jv *s = st->child; s; s = s->next)
				fprintf(f, " %" PRIu64, jv_u64(s, 0));
			fputc('\n', f);
		}
		if (jv_str(jv_get(c, "hint")))
			put_value(f, "hint", jv_str(jv_get(c, "hint")));
	}
	fclose(f);
	free(refs);
	rc = rules_load_buffer(&m->rs, m->names[0], text, len, dg);
	free(text);
	/* No cause at all is fine for a merge: logs with nothing in them. */
	return rc;
}

/* A number as int64, or dflt when absent or beyond what any time stamp or
 * count logcause writes can be (a hostile report could say 1e300). */
static int64_t jv_i64(const struct jv *v, int64_t dflt)
{
	if (!v || v->type != JV_NUMBER || !(v->num > -9e15 && v->num < 9e15))
		return dflt;
	return (int64_t)v->num;
}

static void widen_span(int64_t *first, int64_t *last, const struct jv *f, const struct jv *l)
{
	int64_t a = jv_i64(f, TSTAMP_NONE), b = jv_i64(l, TSTAMP_NONE);

	if (a == TSTAMP_NONE || b == TSTAMP_NONE)
		return;
	if (*first == TSTAMP_NONE || a < *first)
		*first = a;
	if (*last == TSTAMP_NONE || b > *last)
		*last = b;
}

/* [text, count, error, example] entries of a saved top-K table. */
static void add_topk(struct topk *tk, const struct jv *entries)
{
	for (const struct jv *e = entries ? entries->child : NULL; e; e = e->next) {
		const struct jv *text = e->child, *count = text ? text->next : NULL;
		const struct jv *error = count ? count->next : NULL, *ex = error ? error->next : NULL;

		if (!text || text->type != JV_STRING || !ex || ex->type != JV_STRING)
			continue;
		topk_add_count(tk, template_hash(text->str, text->len), text->str, text->len, ex->str,
			       ex->len, jv_u64(count, 0), jv_u64(error, 0));
	}
}

static void add_hll(struct hll *h, const char *hex)
{
	for (size_t i = 0; hex && i < HLL_REGISTERS && hex[2 * i] && hex[2 * i + 1]; i++) {
		unsigned v;

		if (sscanf(hex + 2 * i, "%2x", &v) == 1 && v > h->reg[i])
			h->reg[i] = (uint8_t)v;
	}
}

static void add_timeline(struct timeline *tl, size_t s, const struct jv *saved)
{
	int64_t origin = jv_i64(jv_get(saved, "origin"), 0), width = jv_i64(jv_get(saved, "width"), 60);
	const struct jv *b = jv_get(saved, "buckets");

	/* A width logcause never writes (not a minute doubled) is refused
	 * silently rather than trusted. */
	if (width < 60 || width > (INT64_C(60) << 40) || (width / 60 & (width / 60 - 1)) || width % 60)
		return;
	timeline_at_least(tl, width);
	for (const struct jv *e = b ? b->child : NULL; e; e = e->next) {
		const struct jv *i = e->child, *c = i ? i->next : NULL;
		uint64_t idx = jv_u64(i, UINT64_MAX);

		if (idx > (1u << 20) || !c)
			continue;
		timeline_add_n(tl, s, (origin + (int64_t)idx * width) * TSTAMP_US_PER_SEC, jv_u64(c, 0));
	}
}

static void add_cause(struct merged *m, const struct jv *c, struct timeline_peak *peaks)
{
	long idx = rules_find_cause(&m->rs, jv_str(jv_get(c, "name")) ? jv_str(jv_get(c, "name")) : "");
	const struct jv *mg = jv_get(c, "merge"), *fields = jv_get(mg, "fields");
	struct cause_tally *ct;
	struct timeline_peak pk;

	if (idx < 0)
		return;
	ct = &m->tally->causes[idx];
	ct->events += jv_u64(jv_get(c, "events"), 0);
	widen_span(&ct->first, &ct->last, jv_get(mg, "first_us"), jv_get(mg, "last_us"));
	for (const struct jv *ex = jv_get(c, "examples") ? jv_get(c, "examples")->child : NULL; ex;
	     ex = ex->next) {
		const struct jv *text = jv_get(ex, "text"), *msg = jv_get(ex, "message");
		size_t off = 0;

		if (!text || text->type != JV_STRING)
			continue;
		if (msg && msg->type == JV_STRING && msg->len <= text->len &&
		    memcmp(text->str + text->len - msg->len, msg->str, msg->len) == 0)
			off = text->len - msg->len;
		tally_keep_example(m->tally, (size_t)idx, text->str, text->len, off,
				   jv_u64(jv_get(ex, "line"), 0));
	}
	add_timeline(m->tally->timeline, (size_t)idx, jv_get(mg, "timeline"));
	pk.minute = jv_i64(jv_get(mg, "peak_minute"), -1);
	pk.count = jv_u64(jv_get(mg, "peak_count"), 0);
	if (pk.minute >= 0 && pk.count > peaks[idx].count)
		peaks[idx] = pk;
	add_hll(&ct->clients, jv_str(jv_get(mg, "clients_hll")));
	add_topk(ct->templates, jv_get(mg, "templates"));
	for (int f = 0; f < TF_COUNT; f++)
		add_topk(ct->fields[f], jv_get(fields, tally_field_name((enum tally_field)f)));
}

/* {"502":310,"504":12}: a saved status map added into a per-status array.
 * Keys that are not a 5xx code are left out. */
static void add_status(uint64_t status[RESPONSES_STATUS], const struct jv *map)
{
	for (const struct jv *e = map && map->type == JV_OBJECT ? map->child : NULL; e; e = e->next) {
		char *end;
		long code = strtol(e->key, &end, 10);

		if (end == e->key || *end || code < 500 || code >= 500 + RESPONSES_STATUS)
			continue;
		status[code - 500] += jv_u64(e, 0);
	}
}

/* One report's "responses": the counts from its facts, the exact span and
 * the whole top-K tables from its "merge" object. */
static void add_responses(struct merged *m, const struct jv *doc)
{
	const struct jv *r = jv_get(doc, "responses"), *mg = jv_get(jv_get(doc, "merge"), "responses");
	const struct jv *cls = jv_get(r, "by_class"), *un = jv_get(r, "unexplained"), *causes;
	struct responses *rs = m->responses;

	if (!r || r->type != JV_OBJECT)
		return;
	rs->total += jv_u64(jv_get(r, "total"), 0);
	for (int k = 1; k <= 5; k++) {
		char key[4] = { (char)('0' + k), 'x', 'x', '\0' };

		rs->by_class[k] += jv_u64(jv_get(cls, key), 0);
	}
	rs->by_class[0] += jv_u64(jv_get(cls, "other"), 0);
	add_status(rs->status_5xx, jv_get(r, "status_5xx"));
	rs->explained += jv_u64(jv_get(r, "explained"), 0);
	causes = jv_get(r, "causes");
	for (const struct jv *c = causes && causes->type == JV_ARRAY ? causes->child : NULL; c;
	     c = c->next) {
		const char *name = jv_str(jv_get(c, "name"));
		long idx = name ? rules_find_cause(&m->rs, name) : -1;
		struct response_cause *rc;

		/* A cause no report listed among its causes has no metadata
		 * to show it by; the totals above still count its 5xx. */
		if (idx < 0 || (size_t)idx >= rs->ncauses)
			continue;
		rc = &rs->causes[idx];
		rc->explained += jv_u64(jv_get(c, "explained"), 0);
		rc->by_time += jv_u64(jv_get(c, "by_time"), 0);
		add_status(rc->status, jv_get(c, "status"));
		rc->records += jv_u64(jv_get(c, "records"), 0);
		rc->records_matched += jv_u64(jv_get(c, "records_matched"), 0);
	}
	rs->unexplained += jv_u64(jv_get(un, "count"), 0);
	add_status(rs->unexplained_status, jv_get(un, "status"));
	rs->unattributed_record += jv_u64(jv_get(un, "unattributed_record"), 0);
	rs->untimed += jv_u64(jv_get(r, "untimed"), 0);
	rs->window_full += jv_u64(jv_get(r, "window_full"), 0);
	widen_span(&rs->first, &rs->last, jv_get(mg, "first_us"), jv_get(mg, "last_us"));
	add_topk(rs->unexplained_paths, jv_get(mg, "paths"));
	for (const struct jv *e = jv_get(mg, "minutes") ? jv_get(mg, "minutes")->child : NULL; e;
	     e = e->next) {
		const struct jv *minute = e->child, *count = minute ? minute->next : NULL;
		const struct jv *error = count ? count->next : NULL;
		int64_t key = jv_i64(minute, INT64_MIN);

		if (key == INT64_MIN || !count)
			continue;
		topk_add_count(rs->unexplained_minutes, (uint64_t)key, "", 0, "", 0, jv_u64(count, 0),
			       jv_u64(error, 0));
	}
}

static int add_inputs(struct merged *m, const struct jv *inputs, struct diag *dg)
{
	for (const struct jv *in = inputs ? inputs->child : NULL; in; in = in->next) {
		struct input_summary *s;
		const char *name = jv_str(jv_get(in, "name"));
		const char *format = jv_str(jv_get(in, "format"));
		const char *codec = jv_str(jv_get(in, "compression"));
		enum log_format f = format ? record_format_from_name(format) : FMT_COUNT;

		if ((m->ninputs & (m->ninputs - 1)) == 0) {
			struct input_summary *p =
				realloc(m->inputs, (m->ninputs ? m->ninputs * 2 : 1) * sizeof *p);

			if (!p)
				return diag_error(dg, NULL, "out of memory");
			m->inputs = p;
		}
		s = &m->inputs[m->ninputs++];
		memset(s, 0, sizeof *s);
		s->name = name ? name : "?";
		s->format = f == FMT_COUNT ? FMT_GENERIC : f;
		s->codec = codec ? codec_from_name(codec) : CODEC_PLAIN;
		s->bytes_in = jv_u64(jv_get(in, "bytes_read"), 0);
		s->bytes = jv_u64(jv_get(in, "bytes"), 0);
		s->lines = jv_u64(jv_get(in, "lines"), 0);
		s->damaged = jv_bool(jv_get(in, "damaged"), false);
		s->limited = jv_bool(jv_get(in, "limited"), false);
	}
	return 0;
}

int merge_build(struct merged *m, struct diag *dg)
{
	const struct jv *pat;
	struct timeline_peak *peaks;
	struct tally *t;

	if (m->ndocs == 0)
		return diag_error(dg, NULL, "no report to merge");
	if (build_causes(m, dg) < 0)
		return -1;
	pat = jv_get(m->docs[0], "patterns");
	m->patterns.files = (size_t)jv_u64(jv_get(pat, "files"), 0);
	m->patterns.causes = (size_t)jv_u64(jv_get(pat, "causes"), 0);
	m->patterns.rules = (size_t)jv_u64(jv_get(pat, "rules"), 0);
	snprintf(m->patterns.digest, sizeof m->patterns.digest, "%s", digest_of(m->docs[0]));
	m->min_level = record_level_from_word(jv_str(jv_get(m->docs[0], "min_level")),
					      strlen(jv_str(jv_get(m->docs[0], "min_level"))));
	if (m->min_level == LEVEL_NONE)
		m->min_level = LEVEL_ERROR;
	m->tally = t = tally_new(m->rs.ncauses);
	peaks = calloc(m->rs.ncauses ? m->rs.ncauses : 1, sizeof *peaks);
	if (!t || !peaks) {
		free(peaks);
		return diag_error(dg, NULL, "out of memory");
	}
	for (size_t d = 0; d < m->ndocs; d++) {
		const struct jv *doc = m->docs[d], *rec = jv_get(doc, "records"), *mg = jv_get(doc, "merge");

		t->records += jv_u64(jv_get(rec, "total"), 0);
		t->below_level += jv_u64(jv_get(rec, "below_level"), 0);
		t->outside += jv_u64(jv_get(rec, "outside_window"), 0);
		t->unattributed += jv_u64(jv_get(rec, "unattributed"), 0);
		t->truncated += jv_u64(jv_get(rec, "truncated"), 0);
		t->access += jv_u64(jv_get(rec, "access_lines"), 0);
		m->limit_hits += jv_u64(jv_get(rec, "regex_limit_hits"), 0);
		m->failed_inputs += (size_t)jv_u64(jv_get(doc, "inputs_not_read"), 0);
		widen_span(&t->first, &t->last, jv_get(mg, "first_us"), jv_get(mg, "last_us"));
		if (add_inputs(m, jv_get(doc, "inputs"), dg) < 0) {
			free(peaks);
			return -1;
		}
		for (const struct jv *c = jv_get(doc, "causes")->child; c; c = c->next)
			add_cause(m, c, peaks);
		add_topk(t->unattributed_templates, jv_get(mg, "unattributed_templates"));
		if (jv_get(doc, "responses") && jv_get(doc, "responses")->type == JV_OBJECT &&
		    !m->responses &&
		    !(m->responses = responses_new(m->rs.ncauses))) {
			free(peaks);
			return diag_error(dg, NULL, "out of memory");
		}
		if (m->responses)
			add_responses(m, doc);
	}
	/* One-minute buckets hold the peak exactly; wider ones cannot, and
	 * the reports' own peaks are the best that is known. */
	if (!timeline_peaks_from_buckets(t->timeline))
		for (size_t i = 0; i < m->rs.ncauses; i++)
			timeline_set_peak(t->timeline, i, peaks[i]);
	free(peaks);
	return 0;
}
