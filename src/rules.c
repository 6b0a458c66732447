#include "rules.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utf8.h"

/* A pattern file larger than this is not a pattern file. */
#define RULES_MAX_FILE ((size_t)64 << 20)

enum key {
	KEY_TITLE,
	KEY_KIND,
	KEY_STATUS,
	KEY_PRIORITY,
	KEY_HINT,
	KEY_MATCH,
	KEY_EXAMPLE,
	KEY_NEVER,
	KEY_COUNT
};

static const char *const key_names[KEY_COUNT] = {
	"title", "kind", "status", "priority", "hint", "match", "example", "never",
};

/* Keys whose value is a token list may carry a trailing "# comment"; the
 * others take the rest of the line verbatim, as regexes and log lines
 * contain '#'. */
static bool key_allows_comment(enum key k)
{
	return k == KEY_KIND || k == KEY_STATUS || k == KEY_PRIORITY;
}

struct parse {
	struct ruleset *rs;
	struct diag *dg;
	const char *file;  /* arena copy */
	unsigned line;
	long cause;        /* current section, or -1 */
	int errors;
};

static int parse_error(struct parse *ps, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int parse_error(struct parse *ps, size_t col, const char *fmt, ...)
{
	char where[PATH_MAX + 32], msg[512];
	va_list ap;

	snprintf(where, sizeof where, "%s:%u:%zu", ps->file, ps->line, col);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ps->errors++;
	return diag_error(ps->dg, where, "%s", msg);
}

void rules_init(struct ruleset *rs)
{
	memset(rs, 0, sizeof *rs);
	arena_init(&rs->text);
}

void rules_release(struct ruleset *rs)
{
	if (!rs)
		return;
	free(rs->causes);
	free(rs->rules);
	free(rs->samples);
	arena_release(&rs->text);
	memset(rs, 0, sizeof *rs);
}

/* Grows *items (of *cap elements of size each) to hold one more. */
static bool grow(void **items, size_t *cap, size_t count, size_t size)
{
	size_t ncap;
	void *p;

	if (count < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(*items, ncap * size);
	if (!p)
		return false;
	*items = p;
	*cap = ncap;
	return true;
}

long rules_find_cause(const struct ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->ncauses; i++)
		if (strcmp(rs->causes[i].name, name) == 0)
			return (long)i;
	return -1;
}

static bool is_name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!first && c == '-');
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* "[cause NAME]" */
static void parse_section(struct parse *ps, const char *line, size_t len, size_t indent)
{
	const char *p = line + indent + 1, *end = line + len;
	const char *close = memchr(p, ']', (size_t)(end - p));
	const char *name, *name_end;
	char *copy;
	long idx;

	if (!close) {
		parse_error(ps, len + 1, "missing ']' at end of section header");
		ps->cause = -1;
		return;
	}
	for (const char *t = close + 1; t < end; t++) {
		if (!is_blank(*t)) {
			parse_error(ps, (size_t)(t - line) + 1, "unexpected text after ']'");
			ps->cause = -1;
			return;
		}
	}
	while (p < close && is_blank(*p))
		p++;
	if (close - p < 6 || memcmp(p, "cause", 5) != 0 || !is_blank(p[5])) {
		parse_error(ps, (size_t)(p - line) + 1,
			    "unknown section: expected '[cause NAME]'");
		ps->cause = -1;
		return;
	}
	name = p + 6;
	while (name < close && is_blank(*name))
		name++;
	name_end = close;
	while (name_end > name && is_blank(name_end[-1]))
		name_end--;
	if (name == name_end) {
		parse_error(ps, (size_t)(name - line) + 1, "missing cause name");
		ps->cause = -1;
		return;
	}
	for (const char *t = name; t < name_end; t++) {
		if (!is_name_char(*t, t == name)) {
			parse_error(ps, (size_t)(t - line) + 1,
				    "invalid character in cause name (use a-z, 0-9 and '-')");
			ps->cause = -1;
			return;
		}
	}
	copy = arena_strndup(&ps->rs->text, name, (size_t)(name_end - name));
	if (!copy) {
		parse_error(ps, 1, "out of memory");
		ps->cause = -1;
		return;
	}
	idx = rules_find_cause(ps->rs, copy);
	if (idx < 0) {
		struct ruleset *rs = ps->rs;
		struct cause *c;

		if (!grow((void **)&rs->causes, &rs->causes_cap, rs->ncauses, sizeof *c)) {
			parse_error(ps, 1, "out of memory");
			ps->cause = -1;
			return;
		}
		c = &rs->causes[rs->ncauses];
		memset(c, 0, sizeof *c);
		c->name = copy;
		c->title = copy;
		c->file = ps->file;
		c->line = ps->line;
		idx = (long)rs->ncauses++;
	}
	ps->cause = idx;
}

static void set_status(struct parse *ps, struct cause *c, const char *v, size_t vlen,
		       size_t col)
{
	size_t i = 0;

	c->nstatus = 0;
	while (i < vlen) {
		size_t start = i;
		int code = 0;

		while (i < vlen && is_blank(v[i]))
			i++;
		if (i == vlen)
			break;
		start = i;
		while (i < vlen && !is_blank(v[i])) {
			if (v[i] < '0' || v[i] > '9' || i - start >= 3) {
				parse_error(ps, col + start,
					    "status must be HTTP status codes (100-599)");
				return;
			}
			code = code * 10 + (v[i] - '0');
			i++;
		}
		if (code < 100 || code > 599) {
			parse_error(ps, col + start, "status must be HTTP status codes (100-599)");
			return;
		}
		if (c->nstatus == RULES_MAX_STATUS) {
			parse_error(ps, col + start, "at most %d status codes", RULES_MAX_STATUS);
			return;
		}
		c->status[c->nstatus++] = (unsigned short)code;
	}
}

static void set_meta(struct parse *ps, enum key k, const char *v, size_t vlen, size_t col)
{
	struct cause *c = &ps->rs->causes[ps->cause];
	bool *seen[] = {
		[KEY_TITLE] = &c->has_title,	   [KEY_KIND] = &c->has_kind,
		[KEY_STATUS] = &c->has_status,	   [KEY_PRIORITY] = &c->has_priority,
		[KEY_HINT] = &c->has_hint,
	};

	if (*seen[k]) {
		parse_error(ps, col, "duplicate '%s' for cause '%s' (metadata is given once)",
			    key_names[k], c->name);
		return;
	}
	*seen[k] = true;
	switch (k) {
	case KEY_TITLE:
	case KEY_HINT: {
		char *s = arena_strndup(&ps->rs->text, v, vlen);

		if (!s) {
			parse_error(ps, col, "out of memory");
			return;
		}
		if (k == KEY_TITLE)
			c->title = s;
		else
			c->hint = s;
		break;
	}
	case KEY_KIND:
		if (vlen == 5 && memcmp(v, "fault", 5) == 0)
			c->kind = CAUSE_FAULT;
		else if (vlen == 5 && memcmp(v, "noise", 5) == 0)
			c->kind = CAUSE_NOISE;
		else
			parse_error(ps, col, "kind must be 'fault' or 'noise'");
		break;
	case KEY_STATUS:
		set_status(ps, c, v, vlen, col);
		break;
	case KEY_PRIORITY: {
		long prio = 0;
		size_t i = 0;

		for (; i < vlen && v[i] >= '0' && v[i] <= '9' && prio <= 1000; i++)
			prio = prio * 10 + (v[i] - '0');
		if (i != vlen || prio > 1000)
			parse_error(ps, col, "priority must be a whole number from 0 to 1000");
		else
			c->priority = (int)prio;
		break;
	}
	default:
		break;
	}
}

static void add_rule(struct parse *ps, const char *v, size_t vlen, size_t col)
{
	struct ruleset *rs = ps->rs;
	struct rule *r;

	if (!grow((void **)&rs->rules, &rs->rules_cap, rs->nrules, sizeof *r)) {
		parse_error(ps, col, "out of memory");
		return;
	}
	r = &rs->rules[rs->nrules];
	r->regex = arena_strndup(&rs->text, v, vlen);
	if (!r->regex) {
		parse_error(ps, col, "out of memory");
		return;
	}
	r->cause = (size_t)ps->cause;
	r->file = ps->file;
	r->line = ps->line;
	r->col = (unsigned)col;
	rs->nrules++;
}

static void add_sample(struct parse *ps, bool never, const char *v, size_t vlen,
		       size_t col)
{
	struct ruleset *rs = ps->rs;
	struct sample *s;

	if (!grow((void **)&rs->samples, &rs->samples_cap, rs->nsamples, sizeof *s)) {
		parse_error(ps, col, "out of memory");
		return;
	}
	s = &rs->samples[rs->nsamples];
	s->text = arena_strndup(&rs->text, v, vlen);
	if (!s->text) {
		parse_error(ps, col, "out of memory");
		return;
	}
	s->cause = (size_t)ps->cause;
	s->never = never;
	s->file = ps->file;
	s->line = ps->line;
	rs->nsamples++;
}

/* "key = value" */
static void parse_directive(struct parse *ps, const char *line, size_t len, size_t indent)
{
	const char *p = line + indent, *end = line + len, *v;
	size_t klen = 0, vlen, col;
	int k;

	while (p + klen < end && p[klen] >= 'a' && p[klen] <= 'z')
		klen++;
	for (k = 0; k < KEY_COUNT; k++)
		if (strlen(key_names[k]) == klen && memcmp(p, key_names[k], klen) == 0)
			break;
	if (klen == 0 || k == KEY_COUNT) {
		size_t wlen = 0;

		while (p + wlen < end && !is_blank(p[wlen]) && p[wlen] != '=' && wlen < 40)
			wlen++;
		parse_error(ps, indent + 1, "unknown key '%.*s'", (int)wlen, p);
		return;
	}
	v = p + klen;
	while (v < end && is_blank(*v))
		v++;
	if (v == end || *v != '=') {
		parse_error(ps, (size_t)(v - line) + 1, "expected '=' after '%s'", key_names[k]);
		return;
	}
	v++;
	while (v < end && is_blank(*v))
		v++;
	vlen = (size_t)(end - v);
	if (key_allows_comment((enum key)k)) {
		for (size_t i = 0; i < vlen; i++) {
			if (v[i] == '#' && (i == 0 || is_blank(v[i - 1]))) {
				vlen = i;
				break;
			}
		}
	}
	while (vlen > 0 && is_blank(v[vlen - 1]))
		vlen--;
	col = (size_t)(v - line) + 1;
	if (ps->cause < 0) {
		parse_error(ps, indent + 1, "'%s' outside a [cause NAME] section",
			    key_names[k]);
		return;
	}
	if (vlen == 0) {
		parse_error(ps, col, "empty value for '%s'", key_names[k]);
		return;
	}
	switch ((enum key)k) {
	case KEY_MATCH:
		add_rule(ps, v, vlen, col);
		break;
	case KEY_EXAMPLE:
	case KEY_NEVER:
		add_sample(ps, k == KEY_NEVER, v, vlen, col);
		break;
	default:
		set_meta(ps, (enum key)k, v, vlen, col);
		break;
	}
}

static void parse_line(struct parse *ps, const char *line, size_t len)
{
	size_t indent = 0;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_valid_len((const unsigned char *)line + i, len - i);

		if (n == 0 || line[i] == '\0') {
			parse_error(ps, i + 1, line[i] ? "invalid UTF-8" : "NUL byte");
			return;
		}
		i += n;
	}
	while (indent < len && is_blank(line[indent]))
		indent++;
	if (indent == len || line[indent] == '#')
		return;
	if (line[indent] == '[')
		parse_section(ps, line, len, indent);
	else
		parse_directive(ps, line, len, indent);
}

int rules_load_buffer(struct ruleset *rs, const char *name, const char *buf,
		      size_t len, struct diag *dg)
{
	struct parse ps = { .rs = rs, .dg = dg, .cause = -1 };
	const char *p = buf, *end = buf + len;

	ps.file = arena_strndup(&rs->text, name, strlen(name));
	if (!ps.file)
		return diag_error(dg, name, "out of memory");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		ps.line++;
		parse_line(&ps, p, n > 0 && p[n - 1] == '\r' ? n - 1 : n);
		p += n + (nl != NULL);
	}
	rs->nfiles++;
	return ps.errors ? -1 : 0;
}

static int load_file(struct ruleset *rs, const char *path, struct diag *dg)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return diag_error(dg, path, "%s", strerror(errno));
	if (fstat(fd, &st) < 0) {
		diag_error(dg, path, "%s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(dg, path, "not a regular file");
		goto out;
	}
	if ((uint64_t)st.st_size > RULES_MAX_FILE) {
		diag_error(dg, path, "pattern file larger than %zu MiB", RULES_MAX_FILE >> 20);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		diag_error(dg, path, "out of memory");
		goto out;
	}
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_error(dg, path, "%s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	rc = rules_load_buffer(rs, path, buf, len, dg);
out:
	free(buf);
	close(fd);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_rules_suffix(const char *name)
{
	size_t n = strlen(name);

	return n > 6 && strcmp(name + n - 6, ".rules") == 0 && name[0] != '.';
}

static int load_dir(struct ruleset *rs, const char *path, struct diag *dg)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!dir)
		return diag_error(dg, path, "%s", strerror(errno));
	while ((de = readdir(dir)) != NULL) {
		if (!has_rules_suffix(de->d_name))
			continue;
		if (!grow((void **)&names, &cap, n, sizeof *names) ||
		    !(names[n] = strdup(de->d_name))) {
			rc = diag_error(dg, path, "out of memory");
			goto out;
		}
		n++;
	}
	/* Name order, not readdir order: load order breaks priority ties and
	 * must be the same on every machine. */
	if (n == 0)
		rc = diag_error(dg, path, "no *.rules files in directory");
	else
		qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		char full[PATH_MAX];

		if ((size_t)snprintf(full, sizeof full, "%s/%s", path, names[i]) >= sizeof full) {
			rc = diag_error(dg, path, "path too long");
			continue;
		}
		if (load_file(rs, full, dg) < 0)
			rc = -1;
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return rc;
}

int rules_load_path(struct ruleset *rs, const char *path, struct diag *dg)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return diag_error(dg, path, "%s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return load_dir(rs, path, dg);
	return load_file(rs, path, dg);
}

int rules_finish(struct ruleset *rs, struct diag *dg)
{
	int rc = 0;

	if (rs->ncauses == 0)
		return diag_error(dg, NULL, "no causes defined in the pattern files");
	for (size_t i = 0; i < rs->ncauses; i++) {
		const struct cause *c = &rs->causes[i];
		char where[PATH_MAX + 32];

		snprintf(where, sizeof where, "%s:%u:1", c->file, c->line);
		/* A new cause must say what it is; this is also what catches a
		 * misspelt name meant to add matches to an existing cause. */
		if (!c->has_title || !c->has_kind)
			rc = diag_error(dg, where,
					"cause '%s' has no %s (a cause needs title and kind)",
					c->name, !c->has_title ? "title" : "kind");
	}
	return rc;
}
