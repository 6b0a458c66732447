#include "diff.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json.h"
#include "utf8.h"

enum { DIFF_MOVES = 10, DIFF_TEMPLATES = 15 };

struct cause_change {
	const char *name;
	uint64_t base_events, new_events;
	double base_share, new_share; /* fractions of fault events; 0 for noise */
};

struct new_template {
	const char *cause;     /* NULL: unattributed */
	const struct jv *text, *example;
	uint64_t count;
};

/* The whole comparison, worked out once and written by any emitter. */
struct diff {
	const char *base_name, *new_name;
	struct cause_change *appeared, *vanished, *moved;
	size_t nappeared, nvanished, nmoved;
	struct new_template *templates;
	size_t ntemplates;
};

static const struct jv *find_cause(const struct jv *doc, const char *name)
{
	const struct jv *cs = jv_get(doc, "causes");

	for (const struct jv *c = cs ? cs->child : NULL; c; c = c->next)
		if (jv_str(jv_get(c, "name")) && strcmp(jv_str(jv_get(c, "name")), name) == 0)
			return c;
	return NULL;
}

static struct cause_change change_of(const char *name, const struct jv *b, const struct jv *n)
{
	struct cause_change ch = { name, 0, 0, 0, 0 };

	ch.base_events = jv_u64(jv_get(b, "events"), 0);
	ch.new_events = jv_u64(jv_get(n, "events"), 0);
	ch.base_share = jv_num(jv_get(b, "share"), 0);
	ch.new_share = jv_num(jv_get(n, "share"), 0);
	return ch;
}

static int cmp_move(const void *a, const void *b)
{
	const struct cause_change *x = a, *y = b;
	double dx = fabs(x->new_share - x->base_share), dy = fabs(y->new_share - y->base_share);

	return dx > dy ? -1 : dx < dy;
}

static int cmp_count(const void *a, const void *b)
{
	const struct new_template *x = a, *y = b;

	return x->count > y->count ? -1 : x->count < y->count;
}

/* Whether BASE has this template text anywhere: under a cause's table or
 * among the unattributed. */
static bool base_has(const struct jv *base, const struct jv *text)
{
	const struct jv *cs = jv_get(base, "causes");
	const struct jv *lists[2] = { NULL, jv_get(jv_get(base, "merge"), "unattributed_templates") };

	for (const struct jv *c = cs ? cs->child : NULL;; c = c->next) {
		lists[0] = c ? jv_get(jv_get(c, "merge"), "templates") : NULL;
		for (int l = c ? 0 : 1; l < 2; l++)
			for (const struct jv *e = lists[l] ? lists[l]->child : NULL; e; e = e->next)
				if (e->child && e->child->len == text->len &&
				    memcmp(e->child->str, text->str, text->len) == 0)
					return true;
		if (!c)
			return false;
	}
}

static int collect_templates(struct diff *d, const struct jv *base, const char *cause,
			     const struct jv *list)
{
	for (const struct jv *e = list ? list->child : NULL; e; e = e->next) {
		const struct jv *text = e->child, *count = text ? text->next : NULL;
		const struct jv *err = count ? count->next : NULL, *ex = err ? err->next : NULL;
		struct new_template *p;

		if (!text || text->type != JV_STRING || base_has(base, text))
			continue;
		p = realloc(d->templates, (d->ntemplates + 1) * sizeof *p);
		if (!p)
			return -1;
		d->templates = p;
		p[d->ntemplates++] = (struct new_template){ cause, text, ex, jv_u64(count, 0) };
	}
	return 0;
}

static int build(struct diff *d, const struct jv *base, const struct jv *new_doc)
{
	const struct jv *bc = jv_get(base, "causes"), *nc = jv_get(new_doc, "causes");
	size_t cap = (bc ? bc->n : 0) + (nc ? nc->n : 0) + 1;

	d->appeared = calloc(cap, sizeof *d->appeared);
	d->vanished = calloc(cap, sizeof *d->vanished);
	d->moved = calloc(cap, sizeof *d->moved);
	if (!d->appeared || !d->vanished || !d->moved)
		return -1;
	for (const struct jv *c = nc ? nc->child : NULL; c; c = c->next) {
		const char *name = jv_str(jv_get(c, "name"));
		const struct jv *b;

		if (!name)
			continue;
		b = find_cause(base, name);
		if (!b)
			d->appeared[d->nappeared++] = change_of(name, NULL, c);
		else if (jv_str(jv_get(c, "kind")) && strcmp(jv_str(jv_get(c, "kind")), "fault") == 0)
			d->moved[d->nmoved++] = change_of(name, b, c);
		if (collect_templates(d, base, name, jv_get(jv_get(c, "merge"), "templates")) < 0)
			return -1;
	}
	for (const struct jv *c = bc ? bc->child : NULL; c; c = c->next) {
		const char *name = jv_str(jv_get(c, "name"));

		if (name && !find_cause(new_doc, name))
			d->vanished[d->nvanished++] = change_of(name, c, NULL);
	}
	if (collect_templates(d, base, NULL,
			      jv_get(jv_get(new_doc, "merge"), "unattributed_templates")) < 0)
		return -1;
	qsort(d->moved, d->nmoved, sizeof *d->moved, cmp_move);
	if (d->nmoved > DIFF_MOVES)
		d->nmoved = DIFF_MOVES;
	if (d->ntemplates)
		qsort(d->templates, d->ntemplates, sizeof *d->templates, cmp_count);
	return 0;
}

/* Text for a terminal: control bytes and invalid UTF-8 as \xNN. */
static void put_safe(FILE *out, const char *s, size_t n, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n && i < max;) {
		size_t seq = utf8_valid_len(p + i, n - i);

		if (seq == 0 || (seq == 1 && (p[i] < 0x20 || p[i] == 0x7f))) {
			fprintf(out, "\\x%02x", p[i]);
			i++;
		} else {
			fwrite(p + i, 1, seq, out);
			i += seq;
		}
	}
	if (n > max)
		fputs("...", out);
}

static void text_causes(FILE *out, const char *title, const struct cause_change *c, size_t n,
			bool is_new)
{
	fprintf(out, "%s:%s\n", title, n ? "" : " none");
	for (size_t i = 0; i < n; i++) {
		uint64_t ev = is_new ? c[i].new_events : c[i].base_events;

		fprintf(out, "  %-20s %10" PRIu64 " %s\n", c[i].name, ev, ev == 1 ? "event" : "events");
	}
}

static void emit_text(FILE *out, const struct diff *d)
{
	fprintf(out, "Base  %s\nNew   %s\n\n", d->base_name, d->new_name);
	text_causes(out, "Causes that appeared", d->appeared, d->nappeared, true);
	text_causes(out, "Causes that vanished", d->vanished, d->nvanished, false);
	fputs("Shares that moved most (of fault events):\n", out);
	for (size_t i = 0; i < d->nmoved; i++)
		fprintf(out, "  %-20s %5.1f%% -> %5.1f%%  (%+.1f points)\n", d->moved[i].name,
			100 * d->moved[i].base_share, 100 * d->moved[i].new_share,
			100 * (d->moved[i].new_share - d->moved[i].base_share));
	fprintf(out, "Templates the base never saw: %zu\n", d->ntemplates);
	for (size_t i = 0; i < d->ntemplates && i < DIFF_TEMPLATES; i++) {
		const struct new_template *t = &d->templates[i];

		fprintf(out, "  %8" PRIu64 "  %-16s ", t->count, t->cause ? t->cause : "(unattributed)");
		put_safe(out, t->text->str, t->text->len, 70);
		fputc('\n', out);
	}
}

static void json_causes(FILE *out, const char *key, const struct cause_change *c, size_t n)
{
	fprintf(out, ",\"%s\":[", key);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", out);
		json_put_cstr(out, c[i].name);
		fprintf(out, ",\"base_events\":%" PRIu64 ",\"new_events\":%" PRIu64
			     ",\"base_share\":%.4f,\"new_share\":%.4f}",
			c[i].base_events, c[i].new_events, c[i].base_share, c[i].new_share);
	}
	fputc(']', out);
}

static void emit_json(FILE *out, const struct diff *d)
{
	fputs("{\"schema\":\"logcause-diff/1\",\"base\":", out);
	json_put_cstr(out, d->base_name);
	fputs(",\"new\":", out);
	json_put_cstr(out, d->new_name);
	json_causes(out, "appeared", d->appeared, d->nappeared);
	json_causes(out, "vanished", d->vanished, d->nvanished);
	json_causes(out, "moved", d->moved, d->nmoved);
	fputs(",\"new_templates\":[", out);
	for (size_t i = 0; i < d->ntemplates; i++) {
		const struct new_template *t = &d->templates[i];

		fputs(i ? ",{\"cause\":" : "{\"cause\":", out);
		json_put_cstr(out, t->cause);
		fputs(",\"template\":", out);
		json_put_string(out, t->text->str, t->text->len);
		fprintf(out, ",\"count\":%" PRIu64 ",\"example\":", t->count);
		if (t->example && t->example->type == JV_STRING)
			json_put_string(out, t->example->str, t->example->len);
		else
			fputs("null", out);
		fputc('}', out);
	}
	fputs("]}\n", out);
}

/* Markdown and HTML share a shape: a table per section.  The cell writer
 * is the only difference. */
struct markup {
	const char *h2_open, *h2_close, *table_open, *table_close, *row_open, *cell_sep, *row_close;
	void (*cell)(FILE *out, const char *s, size_t n);
};

/* Cells are cut: a diff lists many, and the report has them whole. */
static void md_cell(FILE *out, const char *s, size_t n)
{
	escape_markdown(out, s, n < 200 ? n : 200);
}

static void html_cell(FILE *out, const char *s, size_t n)
{
	escape_html(out, s, n < 400 ? n : 400, false);
}

static const struct markup markdown = { "\n## ", "\n\n", "", "", "| ", " | ", " |\n", md_cell };
static const struct markup html = { "<h2>", "</h2>\n", "<table>\n", "</table>\n", "<tr><td>",
				    "</td><td>", "</td></tr>\n", html_cell };

static void cell_str(FILE *out, const struct markup *mk, const char *s)
{
	mk->cell(out, s, strlen(s));
}

static void markup_causes(FILE *out, const struct markup *mk, const char *title,
			  const struct cause_change *c, size_t n, bool shares)
{
	char buf[96];

	fprintf(out, "%s%s%s", mk->h2_open, title, mk->h2_close);
	if (n == 0) {
		fputs(mk == &html ? "<p>None.</p>\n" : "None.\n", out);
		return;
	}
	fputs(mk->table_open, out);
	if (mk == &markdown)
		fputs(shares ? "| cause | base share | new share |\n|---|---:|---:|\n"
			     : "| cause | base events | new events |\n|---|---:|---:|\n",
		      out);
	for (size_t i = 0; i < n; i++) {
		fputs(mk->row_open, out);
		cell_str(out, mk, c[i].name);
		if (shares)
			snprintf(buf, sizeof buf, "%s%.1f%%%s%.1f%%", mk->cell_sep, 100 * c[i].base_share,
				 mk->cell_sep, 100 * c[i].new_share);
		else
			snprintf(buf, sizeof buf, "%s%" PRIu64 "%s%" PRIu64, mk->cell_sep,
				 c[i].base_events, mk->cell_sep, c[i].new_events);
		fputs(buf, out);
		fputs(mk->row_close, out);
	}
	fputs(mk->table_close, out);
}

static void emit_markup(FILE *out, const struct diff *d, const struct markup *mk)
{
	if (mk == &html) {
		fputs("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>logcause diff</title>"
		      "<style>body{font:14px system-ui,sans-serif;max-width:1100px;margin:24px auto}"
		      "td{border-bottom:1px solid #ddd;padding:4px 8px;vertical-align:top}"
		      "code{white-space:pre-wrap;word-break:break-all}</style></head><body>\n<h1>",
		      out);
		fputs("What is new</h1>\n<p>Base ", out);
		cell_str(out, mk, d->base_name);
		fputs(", new ", out);
		cell_str(out, mk, d->new_name);
		fputs("</p>\n", out);
	} else {
		fputs("# What is new\n\nBase: ", out);
		cell_str(out, mk, d->base_name);
		fputs(" — new: ", out);
		cell_str(out, mk, d->new_name);
		fputc('\n', out);
	}
	markup_causes(out, mk, "Causes that appeared", d->appeared, d->nappeared, false);
	markup_causes(out, mk, "Causes that vanished", d->vanished, d->nvanished, false);
	markup_causes(out, mk, "Shares that moved most", d->moved, d->nmoved, true);
	fprintf(out, "%sTemplates the base never saw%s", mk->h2_open, mk->h2_close);
	fputs(mk->table_open, out);
	if (mk == &markdown && d->ntemplates)
		fputs("| events | cause | template |\n|---:|---|---|\n", out);
	for (size_t i = 0; i < d->ntemplates && i < DIFF_TEMPLATES; i++) {
		const struct new_template *t = &d->templates[i];

		fprintf(out, "%s%" PRIu64 "%s", mk->row_open, t->count, mk->cell_sep);
		cell_str(out, mk, t->cause ? t->cause : "(unattributed)");
		fputs(mk->cell_sep, out);
		fputs(mk == &html ? "<code>" : "`", out);
		mk->cell(out, t->text->str, t->text->len);
		fputs(mk == &html ? "</code>" : "`", out);
		fputs(mk->row_close, out);
	}
	fputs(mk->table_close, out);
	if (mk == &html)
		fputs("</body></html>\n", out);
}

static void emit_markdown(FILE *out, const struct diff *d)
{
	emit_markup(out, d, &markdown);
}

static void emit_html(FILE *out, const struct diff *d)
{
	emit_markup(out, d, &html);
}

static const struct {
	const char *name;
	void (*emit)(FILE *out, const struct diff *d);
} emitters[] = {
	{ "text", emit_text },
	{ "json", emit_json },
	{ "markdown", emit_markdown },
	{ "html", emit_html },
};

int diff_reports(FILE *out, const char *format, const char *base_name, const struct jv *base,
		 const char *new_name, const struct jv *new_doc, struct diff_result *res)
{
	struct diff d = { base_name, new_name, NULL, NULL, NULL, 0, 0, 0, NULL, 0 };
	int rc = -1;

	for (size_t i = 0; i < sizeof emitters / sizeof emitters[0]; i++) {
		if (strcmp(emitters[i].name, format) != 0)
			continue;
		if (build(&d, base, new_doc) == 0) {
			emitters[i].emit(out, &d);
			res->appeared = d.nappeared;
			res->vanished = d.nvanished;
			res->new_templates = d.ntemplates;
			rc = ferror(out) ? -1 : 0;
		}
		break;
	}
	free(d.appeared);
	free(d.vanished);
	free(d.moved);
	free(d.templates);
	return rc;
}
