#include "jsonr.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "utf8.h"

/* The largest whole number a double holds exactly, and so the largest that
 * jv_u64() can vouch for. */
#define JV_U64_MAX 9007199254740992.0 /* 2^53 */

struct parser {
	struct arena *a;
	const unsigned char *p;
	size_t n, pos;
	char *err;
	size_t errsize;
	size_t *err_offset;
};

/* An open array or object.  `last` makes appending a child O(1), so a
 * million-element array is built in one pass without walking its list. */
struct frame {
	struct jv *node;
	struct jv *last;
};

static int fail(struct parser *ps, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *ps, size_t at, const char *fmt, ...)
{
	va_list ap;

	if (ps->err && ps->errsize) {
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errsize, fmt, ap);
		va_end(ap);
	}
	if (ps->err_offset)
		*ps->err_offset = at;
	return -1;
}

/* "unexpected 'x'" for a printable byte, "unexpected byte 0x00" for the
 * rest, so a message never carries a raw control byte or half a UTF-8
 * sequence to the terminal. */
static int fail_unexpected(struct parser *ps, const char *after)
{
	unsigned char c = ps->p[ps->pos];

	if (c > 0x20 && c < 0x7f)
		return fail(ps, ps->pos, "unexpected '%c'%s", c, after);
	return fail(ps, ps->pos, "unexpected byte 0x%02x%s", c, after);
}

static int fail_end(struct parser *ps)
{
	return fail(ps, ps->n, "unexpected end of input");
}

static void skip_ws(struct parser *ps)
{
	while (ps->pos < ps->n) {
		unsigned char c = ps->p[ps->pos];

		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			break;
		ps->pos++;
	}
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int hex4(const unsigned char *p, size_t at, size_t end, unsigned *out)
{
	unsigned v = 0;

	if (end - at < 4)
		return -1;
	for (size_t i = at; i < at + 4; i++) {
		int d = ascii_hex_value(p[i]);

		if (d < 0)
			return -1;
		v = v * 16 + (unsigned)d;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Decodes the \uXXXX (or surrogate pair) at p[i] into out; returns the
 * bytes written and advances *i, or -1. */
static int decode_u(struct parser *ps, size_t *i, size_t end, char *out)
{
	const unsigned char *p = ps->p;
	size_t at = *i;
	unsigned cp, lo;

	if (hex4(p, at + 2, end, &cp) < 0)
		return fail(ps, at, "invalid \\u escape");
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(ps, at, "unpaired surrogate in string");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (end - at < 12 || p[at + 6] != '\\' || p[at + 7] != 'u')
			return fail(ps, at, "unpaired surrogate in string");
		if (hex4(p, at + 8, end, &lo) < 0)
			return fail(ps, at + 6, "invalid \\u escape");
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(ps, at, "unpaired surrogate in string");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		*i += 6;
	}
	*i += 6;
	return (int)put_utf8(out, cp);
}

/* Parses the string whose opening quote is at ps->pos into an arena copy.
 *
 * The closing quote is found first (a quote is escaped exactly when an odd
 * run of backslashes precedes it), so the copy is allocated once: decoding
 * never makes a string longer than its JSON text, as every escape is at
 * least as long as the bytes it stands for.  Validation happens during the
 * copy, so a string costs two passes and one allocation whatever it holds. */
static int parse_string(struct parser *ps, const char **out, size_t *outlen)
{
	const unsigned char *p = ps->p;
	size_t open = ps->pos, start = open + 1, end = start, i, o = 0;
	char *buf;

	for (;;) {
		const unsigned char *q = memchr(p + end, '"', ps->n - end);
		size_t bs = 0;

		if (!q)
			return fail(ps, open, "unterminated string");
		end = (size_t)(q - p);
		while (end - bs > start && p[end - bs - 1] == '\\')
			bs++;
		if (bs % 2 == 0)
			break;
		end++;
	}
	buf = arena_alloc(ps->a, end - start + 1);
	if (!buf)
		return fail(ps, open, "out of memory");
	i = start;
	while (i < end) {
		unsigned char c = p[i];
		size_t run = i;

		/* Reports are mostly plain ASCII: copy it in runs. */
		while (run < end && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '\\')
			run++;
		if (run > i) {
			memcpy(buf + o, p + i, run - i);
			o += run - i;
			i = run;
			continue;
		}
		if (c == '\\') {
			int k;

			switch (i + 1 < end ? p[i + 1] : 0) {
			case '"': buf[o++] = '"'; break;
			case '\\': buf[o++] = '\\'; break;
			case '/': buf[o++] = '/'; break;
			case 'b': buf[o++] = '\b'; break;
			case 'f': buf[o++] = '\f'; break;
			case 'n': buf[o++] = '\n'; break;
			case 'r': buf[o++] = '\r'; break;
			case 't': buf[o++] = '\t'; break;
			case 'u':
				if ((k = decode_u(ps, &i, end, buf + o)) < 0)
					return -1;
				o += (size_t)k;
				continue;
			default:
				return fail(ps, i, "invalid escape in string");
			}
			i += 2;
		} else if (c < 0x20) {
			return fail(ps, i, "control character in string");
		} else {
			size_t k = utf8_valid_len(p + i, end - i);

			if (k == 0)
				return fail(ps, i, "invalid UTF-8 in string");
			memcpy(buf + o, p + i, k);
			o += k;
			i += k;
		}
	}
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	ps->pos = end + 1;
	return 0;
}

/* Checks the RFC 8259 number grammar by hand, then lets strtod convert a
 * NUL-terminated copy: the input has no NUL after it, and strtod alone
 * would also take hex, "inf", "nan" and leading '+'.  The copy lives on the
 * stack, which is why a number's length is bounded.  strtod reads '.' as
 * the C locale's decimal point; logcause never calls setlocale, and a
 * conversion that stops short is refused rather than misread. */
static int parse_number(struct parser *ps, double *out)
{
	const unsigned char *p = ps->p;
	size_t n = ps->n, s = ps->pos, i = s;
	char buf[JSONR_MAX_NUMBER + 1], *endp;
	double d;

	if (p[i] == '-')
		i++;
	if (i < n && p[i] == '0') {
		i++;
		if (i < n && is_digit(p[i]))
			return fail(ps, i - 1, "leading zero in number");
	} else if (i < n && is_digit(p[i])) {
		while (i < n && is_digit(p[i]))
			i++;
	} else {
		return fail(ps, i, "invalid number");
	}
	if (i < n && p[i] == '.') {
		i++;
		if (i == n || !is_digit(p[i]))
			return fail(ps, i, "invalid number");
		while (i < n && is_digit(p[i]))
			i++;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i == n || !is_digit(p[i]))
			return fail(ps, i, "invalid number");
		while (i < n && is_digit(p[i]))
			i++;
	}
	if (i - s > JSONR_MAX_NUMBER)
		return fail(ps, s, "number too long");
	memcpy(buf, p + s, i - s);
	buf[i - s] = '\0';
	d = strtod(buf, &endp);
	if (endp != buf + (i - s))
		return fail(ps, s, "invalid number");
	/* Overflow is an error; underflow rounds towards zero like any other
	 * digits a double cannot hold. */
	if (isinf(d))
		return fail(ps, s, "number out of range");
	*out = d;
	ps->pos = i;
	return 0;
}

static int parse_literal(struct parser *ps, struct jv *v)
{
	static const struct {
		const char *text;
		size_t len;
		enum jv_type type;
	} lits[] = {
		{ "true", 4, JV_TRUE },
		{ "false", 5, JV_FALSE },
		{ "null", 4, JV_NULL },
	};

	for (size_t k = 0; k < sizeof lits / sizeof lits[0]; k++) {
		if (ps->p[ps->pos] != lits[k].text[0])
			continue;
		if (ps->n - ps->pos < lits[k].len ||
		    memcmp(ps->p + ps->pos, lits[k].text, lits[k].len) != 0)
			break;
		v->type = lits[k].type;
		ps->pos += lits[k].len;
		return 0;
	}
	return fail(ps, ps->pos, "invalid literal");
}

/* A member's key and its ':', leaving ps->pos at the value. */
static int parse_key(struct parser *ps, const char **key, size_t *keylen)
{
	skip_ws(ps);
	if (ps->pos == ps->n)
		return fail_end(ps);
	if (ps->p[ps->pos] != '"')
		return fail_unexpected(ps, "");
	if (parse_string(ps, key, keylen) < 0)
		return -1;
	skip_ws(ps);
	if (ps->pos == ps->n)
		return fail_end(ps);
	if (ps->p[ps->pos] != ':')
		return fail_unexpected(ps, "");
	ps->pos++;
	return 0;
}

/* Iterative, with an explicit stack of open containers bounded by
 * JSONR_MAX_DEPTH: the C stack stays flat whatever the input.  The outer
 * loop reads one value; the inner one, after a value, closes containers
 * until it finds a ',' (and the next key in an object) or the end. */
struct jv *jsonr_parse(struct arena *a, const char *text, size_t n,
		       char *err, size_t errsize, size_t *err_offset)
{
	struct parser ps = {
		.a = a, .p = (const unsigned char *)text, .n = n,
		.err = err, .errsize = errsize, .err_offset = err_offset,
	};
	struct frame stack[JSONR_MAX_DEPTH];
	size_t depth = 0;
	struct jv *root = NULL;
	const char *key = NULL;
	size_t keylen = 0;

	if (err && errsize)
		err[0] = '\0';
	if (err_offset)
		*err_offset = 0;
	for (;;) {
		struct jv *v;
		unsigned char c;

		skip_ws(&ps);
		if (ps.pos == n) {
			fail_end(&ps);
			return NULL;
		}
		c = ps.p[ps.pos];
		v = arena_alloc(a, sizeof *v);
		if (!v) {
			fail(&ps, ps.pos, "out of memory");
			return NULL;
		}
		*v = (struct jv){ .type = JV_NULL, .key = key, .keylen = keylen };
		key = NULL;
		keylen = 0;
		if (depth == 0) {
			root = v;
		} else {
			struct frame *f = &stack[depth - 1];

			if (f->last)
				f->last->next = v;
			else
				f->node->child = v;
			f->last = v;
			f->node->n++;
		}
		switch (c) {
		case '{':
		case '[':
			if (depth == JSONR_MAX_DEPTH) {
				fail(&ps, ps.pos, "nesting deeper than %d", JSONR_MAX_DEPTH);
				return NULL;
			}
			v->type = c == '{' ? JV_OBJECT : JV_ARRAY;
			stack[depth++] = (struct frame){ v, NULL };
			ps.pos++;
			skip_ws(&ps);
			if (ps.pos < n && ps.p[ps.pos] == (c == '{' ? '}' : ']')) {
				ps.pos++;
				depth--;
				break;
			}
			if (c == '{' && parse_key(&ps, &key, &keylen) < 0)
				return NULL;
			continue;
		case '"':
			v->type = JV_STRING;
			if (parse_string(&ps, &v->str, &v->len) < 0)
				return NULL;
			break;
		case 't':
		case 'f':
		case 'n':
			if (parse_literal(&ps, v) < 0)
				return NULL;
			break;
		case '-':
		case '0': case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9':
			v->type = JV_NUMBER;
			if (parse_number(&ps, &v->num) < 0)
				return NULL;
			break;
		default:
			fail_unexpected(&ps, "");
			return NULL;
		}
		for (;;) {
			struct jv *open;

			skip_ws(&ps);
			if (depth == 0) {
				if (ps.pos < n) {
					fail_unexpected(&ps, " after the value");
					return NULL;
				}
				return root;
			}
			if (ps.pos == n) {
				fail_end(&ps);
				return NULL;
			}
			c = ps.p[ps.pos];
			open = stack[depth - 1].node;
			if (c == ',') {
				ps.pos++;
				if (open->type == JV_OBJECT && parse_key(&ps, &key, &keylen) < 0)
					return NULL;
				break;
			}
			if (c != (open->type == JV_OBJECT ? '}' : ']')) {
				fail_unexpected(&ps, "");
				return NULL;
			}
			ps.pos++;
			depth--;
		}
	}
}

const struct jv *jv_get(const struct jv *obj, const char *key)
{
	size_t len;

	if (!obj || obj->type != JV_OBJECT || !key)
		return NULL;
	len = strlen(key);
	for (const struct jv *m = obj->child; m; m = m->next)
		if (m->keylen == len && memcmp(m->key, key, len) == 0)
			return m;
	return NULL;
}

double jv_num(const struct jv *v, double dflt)
{
	return v && v->type == JV_NUMBER ? v->num : dflt;
}

uint64_t jv_u64(const struct jv *v, uint64_t dflt)
{
	uint64_t u;

	/* The range test comes first: converting a double outside uint64_t's
	 * range (or NaN, which a parsed tree never holds) is undefined. */
	if (!v || v->type != JV_NUMBER || !(v->num >= 0 && v->num <= JV_U64_MAX))
		return dflt;
	u = (uint64_t)v->num;
	return (double)u == v->num ? u : dflt;
}

const char *jv_str(const struct jv *v)
{
	return v && v->type == JV_STRING ? v->str : NULL;
}

bool jv_bool(const struct jv *v, bool dflt)
{
	if (v && v->type == JV_TRUE)
		return true;
	if (v && v->type == JV_FALSE)
		return false;
	return dflt;
}
