#define PCRE2_CODE_UNIT_WIDTH 8
#include "suggest.h"

#include <inttypes.h>
#include <pcre2.h>
#include <stdbool.h>
#include <string.h>

#include "record.h"
#include "topk.h"
#include "utf8.h"

/* Past this the regex is long enough to be specific; a prefix of the
 * template still matches, unanchored, everything the whole one does. */
enum { SUGGEST_REGEX_SOURCE = 160, SUGGEST_REGEX_MAX = 1024 };

/*
 * What each placeholder of template.h stands for, widened back into a
 * pattern.  To add one: the placeholder as template_mask writes it, and
 * what it may match (a superset of what the masker replaces).
 */
static const struct {
	const char *ph;
	const char *re;
} widen[] = {
	{ "<N>", "[-+]?[0-9][0-9.]*" },
	{ "<IP>", "[0-9A-Fa-f:.]+(?:%\\w+)?" },
	{ "<HEX>", "(?:0x)?[0-9A-Fa-f]+" },
	{ "<UUID>", "[0-9A-Fa-f-]{36}" },
	{ "<PATH>", "[^\\s,;:()\\[\\]{}<>\"']*" },
};

/* The first line of s[0..n), if it is text a .rules file can hold. */
static size_t usable_line(const char *s, size_t n)
{
	size_t len = 0;

	while (len < n && s[len] != '\n' && s[len] != '\r')
		len++;
	for (size_t i = 0; i < len;) {
		size_t seq = utf8_valid_len((const unsigned char *)s + i, len - i);

		if (seq == 0 || s[i] == '\0' || (seq == 1 && (unsigned char)s[i] < 0x20 && s[i] != '\t'))
			return 0;
		i += seq;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len;
}

/* Builds the regex of template tpl[0..n) into re; returns its length, 0 if
 * it does not fit. */
static size_t build_regex(const char *tpl, size_t n, char *re, size_t cap)
{
	size_t o = 0;

	if (n > SUGGEST_REGEX_SOURCE)
		n = SUGGEST_REGEX_SOURCE;
	for (size_t i = 0; i < n;) {
		const char *piece = NULL;
		size_t used = 1;
		char lit[8];

		if (tpl[i] == '<' && i + 3 <= n && memcmp(tpl + i, "<S>", 3) == 0 && i > 0 &&
		    (tpl[i - 1] == '"' || tpl[i - 1] == '\'')) {
			piece = tpl[i - 1] == '"' ? "[^\"]*" : "[^']*";
			used = 3;
		}
		for (size_t k = 0; !piece && tpl[i] == '<' && k < sizeof widen / sizeof widen[0]; k++) {
			size_t pl = strlen(widen[k].ph);

			if (i + pl <= n && memcmp(tpl + i, widen[k].ph, pl) == 0) {
				piece = widen[k].re;
				used = pl;
			}
		}
		if (!piece) {
			if (strchr("\\^$.|?*+()[]{}", tpl[i]))
				snprintf(lit, sizeof lit, "\\%c", tpl[i]);
			else
				snprintf(lit, sizeof lit, "%c", tpl[i]);
			piece = lit;
		}
		if (o + strlen(piece) + 1 > cap)
			return 0;
		memcpy(re + o, piece, strlen(piece));
		o += strlen(piece);
		i += used;
	}
	while (o > 0 && re[o - 1] == ' ')
		o--;
	re[o] = '\0';
	return o;
}

static bool matches(pcre2_code *code, const struct record *r)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	int rc = md ? pcre2_match(code, (PCRE2_SPTR)r->msg, record_match_len(r), 0, 0, md, NULL) : -1;

	pcre2_match_data_free(md);
	return rc >= 0;
}

/* Compiles re and returns it when it matches the example the way
 * --check-patterns will see it, and neither an existing cause nor an
 * earlier draft claims the example first; NULL otherwise. */
static pcre2_code *proven(const char *re, const char *example, size_t n, struct matcher *m,
			  pcre2_code *const *drafts, size_t ndrafts)
{
	struct record_parser p;
	struct record r;
	struct tzone z;
	pcre2_code *code;
	bool ok;
	int err;
	PCRE2_SIZE off;

	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	if (!code)
		return NULL;
	tzone_init_fixed(&z, 0);
	record_parser_init(&p, FMT_COUNT, &z);
	record_parse(&p, example, n, 1, false, &r);
	ok = matcher_attribute(m, r.msg, record_match_len(&r)) == MATCH_NONE && matches(code, &r);
	for (size_t i = 0; ok && i < ndrafts; i++)
		ok = !matches(drafts[i], &r);
	record_parser_release(&p);
	if (!ok) {
		pcre2_code_free(code);
		return NULL;
	}
	return code;
}

int suggest_rules(FILE *out, const struct tally *t, const struct ruleset *rs,
		  struct matcher *m, size_t max)
{
	struct topk_entry top[64];
	size_t n = topk_sorted(t->unattributed_templates, top, max < 64 ? max : 64);
	pcre2_code *drafts[64];
	int written = 0;

	fprintf(out, "# Drafted by logcause --suggest from the biggest groups of the %" PRIu64
		     " unattributed records.\n"
		     "# Name each cause, set its kind, status, priority and hint, then prove it:\n"
		     "#   logcause --check-patterns -p THIS-FILE\n",
		t->unattributed);
	for (size_t i = 0; i < n; i++) {
		char re[SUGGEST_REGEX_MAX], name[64];
		size_t tlen = usable_line(top[i].text, top[i].len);
		size_t elen = usable_line(top[i].sample, top[i].slen);

		if (tlen == 0 || elen == 0 || build_regex(top[i].text, tlen, re, sizeof re) < 8)
			continue;
		if (!(drafts[written] = proven(re, top[i].sample, elen, m, drafts, (size_t)written)))
			continue;
		written++;
		snprintf(name, sizeof name, "suggested-%d", written);
		while (rules_find_cause(rs, name) >= 0)
			snprintf(name, sizeof name, "suggested-%d-%zu", written, i);
		fprintf(out, "\n# %" PRIu64 " records%s\n[cause %s]\n", top[i].count,
			topk_evicted(t->unattributed_templates) ? " (at most)" : "", name);
		fprintf(out, "title    = TODO: %.*s\n", (int)(tlen > 60 ? 60 : tlen), top[i].text);
		fputs("kind     = fault    # or noise, if these are not causes of 5xx\n"
		      "priority = 500      # see logcause.rules(5), PRIORITY BANDS\n"
		      "hint     = TODO: what an operator should check first\n",
		      out);
		fprintf(out, "match    = %s\n", re);
		fprintf(out, "example  = %.*s\n", (int)elen, top[i].sample);
	}
	if (written == 0)
		fputs("\n# Nothing to suggest: no unattributed record could be drafted into a rule.\n",
		      out);
	for (int i = 0; i < written; i++)
		pcre2_code_free(drafts[i]);
	return ferror(out) ? -1 : written;
}
