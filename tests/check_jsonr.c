/* jsonr: every value type, every error with its offset, the depth bound,
 * the writer's output read back, and large documents in bounded time. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "json.h"
#include "jsonr.h"
#include "testutil.h"
#include "utf8.h"

#define T(s) s, sizeof s - 1

/* Parses from an exact-size heap copy, freed before returning: ASan then
 * catches any read past n, and the tree must not point into the text. */
static struct jv *parse(struct arena *a, const char *text, size_t n,
			char *err, size_t errsize, size_t *off)
{
	char *copy = malloc(n ? n : 1);
	struct jv *root;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, n);
	root = jsonr_parse(a, copy, n, err, errsize, off);
	memset(copy, '#', n);
	free(copy);
	return root;
}

static void dump_bytes(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
	fputc('"', f);
}

/* A canonical text for a tree, checking its invariants on the way:
 * strings and keys NUL-terminated at their length, n the number of
 * children, keys exactly on object members. */
static void dump(FILE *f, const struct jv *v, bool member)
{
	size_t count = 0;

	ck_assert(member == (v->key != NULL));
	if (member) {
		ck_assert(v->key[v->keylen] == '\0');
		dump_bytes(f, v->key, v->keylen);
		fputc(':', f);
	}
	switch (v->type) {
	case JV_NULL: fputs("null", f); return;
	case JV_FALSE: fputs("false", f); return;
	case JV_TRUE: fputs("true", f); return;
	case JV_NUMBER: fprintf(f, "%.17g", v->num); return;
	case JV_STRING:
		ck_assert(v->str[v->len] == '\0');
		dump_bytes(f, v->str, v->len);
		return;
	case JV_ARRAY:
	case JV_OBJECT:
		break;
	}
	fputc(v->type == JV_ARRAY ? '[' : '{', f);
	for (const struct jv *c = v->child; c; c = c->next) {
		if (count++)
			fputc(',', f);
		dump(f, c, v->type == JV_OBJECT);
	}
	ck_assert_uint_eq(count, v->n);
	fputc(v->type == JV_ARRAY ? ']' : '}', f);
}

static char *dump_text(const struct jv *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dump(f, v, false);
	fclose(f);
	return buf;
}

static const struct {
	const char *text;
	size_t len;
	const char *tree;
} good[] = {
	{ T("null"), "null" },
	{ T(" true "), "true" },
	{ T("\t\r\n false\n"), "false" },
	{ T("0"), "0" },
	{ T("-0"), "-0" },
	{ T("123"), "123" },
	{ T("-12.5e-1"), "-1.25" },
	{ T("1E2"), "100" },
	{ T("1e+2"), "100" },
	{ T("0.5"), "0.5" },
	{ T("0e0"), "0" },
	{ T("1e-400"), "0" },
	{ T("1.7976931348623157e308"), "1.7976931348623157e+308" },
	{ T("9007199254740993"), "9007199254740992" },
	{ T("\"\""), "\"\"" },
	{ T("\"abc\""), "\"abc\"" },
	{ T("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""), "\"\\\"\\\\/\\x08\\x0c\\x0a\\x0d\\x09\"" },
	{ T("\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\""),
	  "\"A\\xc3\\xa9\\xe2\\x82\\xac\\xf0\\x9f\\x98\\x80\"" },
	{ T("\"\\u0000\""), "\"\\x00\"" },
	{ T("\"\\uDBFF\\uDFFF\""), "\"\\xf4\\x8f\\xbf\\xbf\"" },
	{ T("\"caf\xc3\xa9 \xf0\x9f\x98\x80\""), "\"caf\\xc3\\xa9 \\xf0\\x9f\\x98\\x80\"" },
	{ T("\"\x7f\""), "\"\\x7f\"" },
	{ T("\"\\\\\""), "\"\\\\\"" },
	{ T("\"a\\\\\\\\\""), "\"a\\\\\\\\\"" },
	{ T("[]"), "[]" },
	{ T("{}"), "{}" },
	{ T("[ ]"), "[]" },
	{ T(" { \n} "), "{}" },
	{ T("[true,false,null]"), "[true,false,null]" },
	{ T("[1,[2,[3]],{\"a\":[]}]"), "[1,[2,[3]],{\"a\":[]}]" },
	{ T(" { \"k\" : \"v\" , \"n\" : null } "), "{\"k\":\"v\",\"n\":null}" },
	{ T("{\"a\":1,\"a\":2}"), "{\"a\":1,\"a\":2}" },
	{ T("{\"\\u0000k\":1,\"\":2}"), "{\"\\x00k\":1,\"\":2}" },
	{ T("{\"a\":{\"b\":{\"c\":[{},[]]}}}"), "{\"a\":{\"b\":{\"c\":[{},[]]}}}" },
	{ T("[\"x\",-1.5,\"\\/\"]"), "[\"x\",-1.5,\"/\"]" },
};

START_TEST(test_good)
{
	struct arena a;
	char err[128];
	size_t off = 99;
	struct jv *root;
	char *tree;

	arena_init(&a);
	root = parse(&a, good[_i].text, good[_i].len, err, sizeof err, &off);
	ck_assert_msg(root != NULL, "%s: %s at %zu", good[_i].text, err, off);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(off, 0);
	tree = dump_text(root);
	ck_assert_str_eq(tree, good[_i].tree);
	free(tree);
	arena_release(&a);
}
END_TEST

static const struct {
	const char *text;
	size_t len;
	const char *error;
	size_t offset;
} bad[] = {
	/* Structure. */
	{ T(""), "unexpected end of input", 0 },
	{ T("   "), "unexpected end of input", 3 },
	{ T("["), "unexpected end of input", 1 },
	{ T("[1,"), "unexpected end of input", 3 },
	{ T("[1 "), "unexpected end of input", 3 },
	{ T("{"), "unexpected end of input", 1 },
	{ T("{\"a\""), "unexpected end of input", 4 },
	{ T("{\"a\":"), "unexpected end of input", 5 },
	{ T("{\"a\":1"), "unexpected end of input", 6 },
	{ T("{\"a\":1,"), "unexpected end of input", 7 },
	{ T("}"), "unexpected '}'", 0 },
	{ T("]"), "unexpected ']'", 0 },
	{ T("[1,]"), "unexpected ']'", 3 },
	{ T("[,1]"), "unexpected ','", 1 },
	{ T("{\"a\":1,}"), "unexpected '}'", 7 },
	{ T("{,}"), "unexpected ','", 1 },
	{ T("[1 2]"), "unexpected '2'", 3 },
	{ T("[\"a\" \"b\"]"), "unexpected '\"'", 5 },
	{ T("{\"a\" 1}"), "unexpected '1'", 5 },
	{ T("{\"a\"=1}"), "unexpected '='", 4 },
	{ T("{1:2}"), "unexpected '1'", 1 },
	{ T("{a:2}"), "unexpected 'a'", 1 },
	{ T("{\"a\":}"), "unexpected '}'", 5 },
	{ T("[1}"), "unexpected '}'", 2 },
	{ T("{\"a\":1]"), "unexpected ']'", 6 },
	{ T("1 2"), "unexpected '2' after the value", 2 },
	{ T("{} x"), "unexpected 'x' after the value", 3 },
	{ T("[1]]"), "unexpected ']' after the value", 3 },
	{ T("0x10"), "unexpected 'x' after the value", 1 },
	{ T("1.5.2"), "unexpected '.' after the value", 3 },
	{ T("\"a\"\"b\""), "unexpected '\"' after the value", 3 },
	{ T("[1]\0"), "unexpected byte 0x00 after the value", 3 },
	{ T("\0"), "unexpected byte 0x00", 0 },
	{ T("\xef\xbb\xbf{}"), "unexpected byte 0xef", 0 },
	{ T("[\x0c]"), "unexpected byte 0x0c", 1 },
	{ T("\xa0" "1"), "unexpected byte 0xa0", 0 },
	{ T("/* c */ 1"), "unexpected '/'", 0 },
	{ T("[1] // c"), "unexpected '/' after the value", 4 },
	{ T("[1,\n# c\n2]"), "unexpected '#'", 4 },
	{ T("'a'"), "unexpected '''", 0 },
	{ T("NaN"), "unexpected 'N'", 0 },
	{ T("Infinity"), "unexpected 'I'", 0 },
	{ T("+1"), "unexpected '+'", 0 },
	{ T(".5"), "unexpected '.'", 0 },
	{ T("True"), "unexpected 'T'", 0 },
	/* Literals. */
	{ T("tru"), "invalid literal", 0 },
	{ T("[nul]"), "invalid literal", 1 },
	{ T("fals"), "invalid literal", 0 },
	{ T("nulL"), "invalid literal", 0 },
	{ T("[truex]"), "unexpected 'x'", 5 },
	/* Strings. */
	{ T("\"abc"), "unterminated string", 0 },
	{ T("[\"abc\\\"]"), "unterminated string", 1 },
	{ T("\"\\"), "unterminated string", 0 },
	{ T("\"\\\\\\\""), "unterminated string", 0 },
	{ T("{\"a"), "unterminated string", 1 },
	{ T("\"a\nb\""), "control character in string", 2 },
	{ T("\"\x1f\""), "control character in string", 1 },
	{ T("\"\t\""), "control character in string", 1 },
	{ T("\"\0\""), "control character in string", 1 },
	{ T("{\"k\x01\":1}"), "control character in string", 3 },
	{ T("\"\xff\""), "invalid UTF-8 in string", 1 },
	{ T("\"a\xc3\""), "invalid UTF-8 in string", 2 },
	{ T("\"\xc3(\""), "invalid UTF-8 in string", 1 },
	{ T("\"\x80\""), "invalid UTF-8 in string", 1 },
	{ T("\"\xc0\xaf\""), "invalid UTF-8 in string", 1 },
	{ T("\"\xe0\x80\xaf\""), "invalid UTF-8 in string", 1 },
	{ T("\"\xed\xa0\x80\""), "invalid UTF-8 in string", 1 },
	{ T("\"\xf4\x90\x80\x80\""), "invalid UTF-8 in string", 1 },
	{ T("\"\xf8\x88\x80\x80\x80\""), "invalid UTF-8 in string", 1 },
	{ T("{\"\xfe\":1}"), "invalid UTF-8 in string", 2 },
	{ T("\"\\x41\""), "invalid escape in string", 1 },
	{ T("\"ab\\'\""), "invalid escape in string", 3 },
	{ T("\"\\U0041\""), "invalid escape in string", 1 },
	{ T("\"\\\0\""), "invalid escape in string", 1 },
	{ T("\"\\u12\""), "invalid \\u escape", 1 },
	{ T("\"\\u12g4\""), "invalid \\u escape", 1 },
	{ T("\"\\u\""), "invalid \\u escape", 1 },
	{ T("\"\\u-123\""), "invalid \\u escape", 1 },
	{ T("\"\\ud800\""), "unpaired surrogate in string", 1 },
	{ T("\"\\ud800x\""), "unpaired surrogate in string", 1 },
	{ T("\"\\udc00\""), "unpaired surrogate in string", 1 },
	{ T("\"\\udc00\\ud800\""), "unpaired surrogate in string", 1 },
	{ T("\"\\ud800\\u0041\""), "unpaired surrogate in string", 1 },
	{ T("\"\\ud800\\ud800\""), "unpaired surrogate in string", 1 },
	{ T("\"\\ud800\\n\\udc00\""), "unpaired surrogate in string", 1 },
	{ T("\"\\ud800\\uzzzz\""), "invalid \\u escape", 7 },
	{ T("\"\\ud800\\udc\""), "unpaired surrogate in string", 1 },
	/* Numbers. */
	{ T("-"), "invalid number", 1 },
	{ T("-a"), "invalid number", 1 },
	{ T("[-]"), "invalid number", 2 },
	{ T("-Infinity"), "invalid number", 1 },
	{ T("1."), "invalid number", 2 },
	{ T("1.e5"), "invalid number", 2 },
	{ T("1e"), "invalid number", 2 },
	{ T("1e+"), "invalid number", 3 },
	{ T("[1e-x]"), "invalid number", 4 },
	{ T("01"), "leading zero in number", 0 },
	{ T("00"), "leading zero in number", 0 },
	{ T("[-01]"), "leading zero in number", 2 },
	{ T("1e400"), "number out of range", 0 },
	{ T("[-1e309]"), "number out of range", 1 },
	{ T("{\"a\":179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792}"),
	  "number out of range", 5 },
};

START_TEST(test_bad)
{
	struct arena a;
	char err[128];
	size_t off = 99;

	arena_init(&a);
	ck_assert_msg(parse(&a, bad[_i].text, bad[_i].len, err, sizeof err, &off) == NULL,
		      "accepted: %s", bad[_i].text);
	ck_assert_str_eq(err, bad[_i].error);
	ck_assert_uint_eq(off, bad[_i].offset);
	arena_release(&a);
}
END_TEST

/* 64 nested containers parse; a 65th is refused at its bracket, however
 * deep the input goes (no recursion to overflow). */
static const struct {
	size_t depth;
	bool object;
} nest[] = {
	{ 1, false }, { 63, false }, { 64, false }, { 65, false }, { 100000, false },
	{ 64, true }, { 65, true }, { 100000, true },
};

START_TEST(test_depth)
{
	size_t d = nest[_i].depth, open = nest[_i].object ? 5 : 1, len = 0;
	char *text = malloc(d * (open + 1) + 1), err[64];
	struct arena a;
	const struct jv *v;
	size_t off;

	for (size_t i = 0; i < d; i++) {
		memcpy(text + len, nest[_i].object ? "{\"k\":" : "[", open);
		len += open;
	}
	text[len++] = '1';
	for (size_t i = 0; i < d; i++)
		text[len++] = nest[_i].object ? '}' : ']';
	arena_init(&a);
	v = parse(&a, text, len, err, sizeof err, &off);
	if (d <= JSONR_MAX_DEPTH) {
		ck_assert_msg(v != NULL, "%s", err);
		for (size_t i = 0; i < d; i++) {
			ck_assert_int_eq(v->type, nest[_i].object ? JV_OBJECT : JV_ARRAY);
			ck_assert_uint_eq(v->n, 1);
			v = v->child;
		}
		ck_assert_uint_eq(jv_u64(v, 0), 1);
	} else {
		ck_assert_ptr_null(v);
		ck_assert_str_eq(err, "nesting deeper than 64");
		ck_assert_uint_eq(off, JSONR_MAX_DEPTH * open);
	}
	arena_release(&a);
	free(text);
}
END_TEST

/* A sequence of opens and closes that never exceeds the bound, far longer
 * than it: depth is counted down as well as up. */
START_TEST(test_depth_resets)
{
	struct arena a;
	char *text = malloc(10 * 130 + 2), err[64];
	size_t len = 0, off;
	struct jv *root;

	text[len++] = '[';
	for (int k = 0; k < 10; k++) {
		if (k)
			text[len++] = ',';
		memset(text + len, '[', 63);
		len += 63;
		memset(text + len, ']', 63);
		len += 63;
	}
	text[len++] = ']';
	arena_init(&a);
	root = parse(&a, text, len, err, sizeof err, &off);
	ck_assert_msg(root != NULL, "%s at %zu", err, off);
	ck_assert_uint_eq(root->n, 10);
	arena_release(&a);
	free(text);
}
END_TEST

static char *write_string(const char *s, size_t n, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	json_put_string(f, s, n);
	fclose(f);
	return buf;
}

/* What the writer's text decodes to: valid UTF-8 as it was, every other
 * byte as the four characters \xNN (the writer's "\\xNN"). */
static size_t expect_decoded(const unsigned char *s, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		size_t k = utf8_valid_len(s + i, n - i);

		if (k == 0) {
			o += (size_t)sprintf(out + o, "\\x%02x", s[i]);
			i++;
		} else {
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
		}
	}
	return o;
}

static void round_trip(const unsigned char *s, size_t n)
{
	struct arena a;
	size_t len, off, want_len;
	char *json = write_string((const char *)s, n, &len), err[64];
	char *want = malloc(4 * n + 1);
	struct jv *v;

	want_len = expect_decoded(s, n, want);
	arena_init(&a);
	v = parse(&a, json, len, err, sizeof err, &off);
	ck_assert_msg(v != NULL, "%s: %s at %zu", json, err, off);
	ck_assert_int_eq(v->type, JV_STRING);
	ck_assert_uint_eq(v->len, want_len);
	ck_assert_msg(memcmp(v->str, want, want_len) == 0, "%s decoded wrong", json);
	arena_release(&a);
	free(want);
	free(json);
}

START_TEST(test_every_byte)
{
	unsigned char all[512];
	char json[16];
	struct arena a;
	size_t off;

	/* Each byte alone: ASCII (controls included) comes back as itself,
	 * 0x80-0xff as backslash, 'x' and two hex digits. */
	arena_init(&a);
	for (int b = 0; b < 256; b++) {
		unsigned char c = (unsigned char)b;
		size_t len;
		char *text = write_string((const char *)&c, 1, &len);
		struct jv *v = parse(&a, text, len, json, sizeof json, &off);

		ck_assert_msg(v != NULL, "byte 0x%02x: %s: %s", b, text, json);
		if (b < 0x80) {
			ck_assert_uint_eq(v->len, 1);
			ck_assert_int_eq((unsigned char)v->str[0], b);
		} else {
			snprintf(json, sizeof json, "\\x%02x", b);
			ck_assert_uint_eq(v->len, 4);
			ck_assert_str_eq(v->str, json);
		}
		free(text);
	}
	arena_release(&a);
	/* All of them together, interleaved as check_json writes them. */
	for (int i = 0; i < 256; i++) {
		all[2 * i] = (unsigned char)i;
		all[2 * i + 1] = (unsigned char)(255 - i);
	}
	round_trip(all, sizeof all);
}
END_TEST

static const struct {
	const char *bytes;
	size_t len;
} trips[] = {
	{ T("") },
	{ T("plain text") },
	{ T("q\"b\\ a/b") },
	{ T("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf") },
	{ T("bad\xff\xfe mid\xc3 cut\xe2\x82") },
	{ T("surrogate\xed\xa0\x80 overlong\xc0\xaf") },
	{ T("nul\0esc\x1b[0m\x7f\r\n\t") },
	{ T("\\xff is not \xff") },
};

START_TEST(test_round_trip)
{
	round_trip((const unsigned char *)trips[_i].bytes, trips[_i].len);
}
END_TEST

START_TEST(test_members)
{
	static const char text[] =
		"{\"a\":1,\"b\":\"two\",\"a\":3,\"n\\u0000ul\":true,\"\":false,\"z\":null,\"arr\":[1,2]}";
	struct arena a;
	struct jv *root;
	const struct jv *m;

	arena_init(&a);
	root = parse(&a, T(text), NULL, 0, NULL);
	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(root->n, 7);
	ck_assert_ptr_null(root->key);
	/* The first of duplicate keys. */
	ck_assert_double_eq(jv_num(jv_get(root, "a"), -1), 1);
	ck_assert_str_eq(jv_str(jv_get(root, "b")), "two");
	ck_assert_uint_eq(jv_get(root, "b")->len, 3);
	ck_assert_ptr_null(jv_get(root, "missing"));
	/* A key holding NUL is not the C string before it. */
	ck_assert_ptr_null(jv_get(root, "n"));
	m = root->child->next->next->next;
	ck_assert_uint_eq(m->keylen, 4);
	ck_assert(memcmp(m->key, "n\0ul", 5) == 0);
	ck_assert(jv_bool(m, false));
	ck_assert(!jv_bool(jv_get(root, ""), true));
	ck_assert_int_eq(jv_get(root, "z")->type, JV_NULL);
	m = jv_get(root, "arr");
	ck_assert_uint_eq(m->n, 2);
	ck_assert_ptr_null(m->child->key);
	ck_assert_double_eq(jv_num(m->child->next, 0), 2);
	ck_assert_ptr_null(m->child->next->next);
	/* Lookups on what is not an object. */
	ck_assert_ptr_null(jv_get(NULL, "a"));
	ck_assert_ptr_null(jv_get(m, "a"));
	ck_assert_ptr_null(jv_get(jv_get(root, "b"), "a"));
	ck_assert_ptr_null(jv_get(root, NULL));
	arena_release(&a);
}
END_TEST

START_TEST(test_accessors_wrong_type)
{
	static const char text[] = "[null,true,false,7,\"s\",[],{}]";
	struct arena a;
	struct jv *root;
	int i = 0;

	arena_init(&a);
	root = parse(&a, T(text), NULL, 0, NULL);
	ck_assert_ptr_nonnull(root);
	for (const struct jv *v = root->child; v; v = v->next, i++) {
		ck_assert_double_eq(jv_num(v, -2), v->type == JV_NUMBER ? 7 : -2);
		ck_assert_uint_eq(jv_u64(v, 42), v->type == JV_NUMBER ? 7 : 42);
		if (v->type == JV_STRING)
			ck_assert_str_eq(jv_str(v), "s");
		else
			ck_assert_ptr_null(jv_str(v));
		ck_assert(jv_bool(v, true) == (v->type != JV_FALSE));
		ck_assert(jv_bool(v, false) == (v->type == JV_TRUE));
	}
	ck_assert_int_eq(i, 7);
	ck_assert_double_eq(jv_num(NULL, 1.5), 1.5);
	ck_assert_uint_eq(jv_u64(NULL, 9), 9);
	ck_assert_ptr_null(jv_str(NULL));
	ck_assert(jv_bool(NULL, true));
	ck_assert(!jv_bool(NULL, false));
	arena_release(&a);
}
END_TEST

static const struct {
	const char *text;
	size_t len;
	uint64_t want;
} u64s[] = {
	{ T("0"), 0 },
	{ T("-0"), 0 },
	{ T("1"), 1 },
	{ T("4.0"), 4 },
	{ T("1e3"), 1000 },
	{ T("18446744073709551615"), 99 },
	{ T("9007199254740992"), 9007199254740992u },
	{ T("9007199254740994"), 99 },
	{ T("1e300"), 99 },
	{ T("-1"), 99 },
	{ T("1.5"), 99 },
	{ T("1e-300"), 99 },
	{ T("\"5\""), 99 },
};

START_TEST(test_u64)
{
	struct arena a;
	struct jv *v;

	arena_init(&a);
	v = parse(&a, u64s[_i].text, u64s[_i].len, NULL, 0, NULL);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(jv_u64(v, 99), u64s[_i].want);
	arena_release(&a);
}
END_TEST

/* A short or absent message buffer is cut, never overrun. */
START_TEST(test_err_buffer)
{
	struct arena a;
	char err[8];
	size_t off = 7;

	arena_init(&a);
	memset(err, 'x', sizeof err);
	ck_assert_ptr_null(parse(&a, T("[1,]"), err, 5, &off));
	ck_assert_str_eq(err, "unex");
	ck_assert_int_eq(err[5], 'x');
	ck_assert_uint_eq(off, 3);
	ck_assert_ptr_null(parse(&a, T("[1,]"), NULL, 0, NULL));
	ck_assert_ptr_null(jsonr_parse(&a, NULL, 0, err, sizeof err, &off));
	ck_assert_str_eq(err, "unexpec");
	ck_assert_uint_eq(off, 0);
	arena_release(&a);
}
END_TEST

/* Number length: JSONR_MAX_NUMBER characters parse, one more does not. */
START_TEST(test_number_length)
{
	char text[JSONR_MAX_NUMBER + 3], err[64];
	struct arena a;
	struct jv *v;
	size_t off;

	arena_init(&a);
	text[0] = '[';
	text[1] = '0';
	text[2] = '.';
	memset(text + 3, '5', JSONR_MAX_NUMBER - 2);
	text[JSONR_MAX_NUMBER + 1] = ']';
	v = parse(&a, text, JSONR_MAX_NUMBER + 2, err, sizeof err, &off);
	ck_assert_msg(v != NULL, "%s", err);
	ck_assert_double_eq_tol(jv_num(v->child, 0), 0.5555555555555556, 1e-15);
	memmove(text + 2, text + 1, JSONR_MAX_NUMBER);
	text[1] = '-';
	text[JSONR_MAX_NUMBER + 2] = ']';
	v = parse(&a, text, JSONR_MAX_NUMBER + 3, err, sizeof err, &off);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(err, "number too long");
	ck_assert_uint_eq(off, 1);
	arena_release(&a);
}
END_TEST

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Appends to a growing buffer; the tests' documents are built in memory. */
struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->p = realloc(b->p, b->cap);
		ck_assert_ptr_nonnull(b->p);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* 200,000 numbers and 5,000 members: each container is built by appending
 * at its end, so this is linear; the bound is generous for sanitizers. */
START_TEST(test_large)
{
	struct buf b = { 0 };
	struct arena a;
	char item[64], err[64];
	struct jv *root;
	const struct jv *v;
	size_t off, count = 0;
	double t;

	buf_add(&b, T("{\"numbers\":["));
	for (int i = 0; i < 200000; i++)
		buf_add(&b, item, (size_t)snprintf(item, sizeof item, "%s%d.25e1", i ? "," : "", i));
	buf_add(&b, T("],\"members\":{"));
	for (int i = 0; i < 5000; i++)
		buf_add(&b, item, (size_t)snprintf(item, sizeof item, "%s\"k%d\":\"v\\u00e9%d\"", i ? "," : "", i, i));
	buf_add(&b, T("}}"));
	arena_init(&a);
	t = now();
	root = parse(&a, b.p, b.len, err, sizeof err, &off);
	t = now() - t;
	ck_assert_msg(root != NULL, "%s at %zu", err, off);
	ck_assert_msg(t < 2.0, "%zu bytes took %.3f s", b.len, t);
	v = jv_get(root, "numbers");
	ck_assert_uint_eq(v->n, 200000);
	for (const struct jv *c = v->child; c; c = c->next)
		count++;
	ck_assert_uint_eq(count, 200000);
	ck_assert_double_eq(jv_num(v->child->next, 0), 12.5);
	v = jv_get(root, "members");
	ck_assert_uint_eq(v->n, 5000);
	ck_assert_str_eq(jv_str(jv_get(v, "k4999")), "v\xc3\xa9" "4999");
	arena_release(&a);
	free(b.p);
}
END_TEST

/* Strings that are hard on the quote search: a megabyte of escaped quotes
 * and backslash runs, and a megabyte of \u escapes. */
START_TEST(test_large_strings)
{
	struct buf b = { 0 };
	struct arena a;
	char err[64];
	struct jv *root;
	size_t off;
	double t;

	buf_add(&b, T("[\""));
	for (int i = 0; i < 100000; i++)
		buf_add(&b, T("\\\\\\\"\\\\\\\\"));
	buf_add(&b, T("\",\""));
	for (int i = 0; i < 100000; i++)
		buf_add(&b, T("\\ud83d\\ude00"));
	buf_add(&b, T("\"]"));
	arena_init(&a);
	t = now();
	root = parse(&a, b.p, b.len, err, sizeof err, &off);
	t = now() - t;
	ck_assert_msg(root != NULL, "%s at %zu", err, off);
	ck_assert_msg(t < 2.0, "%zu bytes took %.3f s", b.len, t);
	ck_assert_uint_eq(root->child->len, 400000);
	ck_assert(memcmp(root->child->str, "\\\"\\\\\\\"", 6) == 0);
	ck_assert_uint_eq(root->child->next->len, 400000);
	ck_assert(memcmp(root->child->next->str, "\xf0\x9f\x98\x80", 4) == 0);
	arena_release(&a);
	free(b.p);
}
END_TEST

/* A real report, as `logcause -o json` wrote it (the fuzz seed). */
START_TEST(test_report)
{
	size_t len, off;
	char *text = slurp("tests/fuzz/corpus/jsonr/report.json", &len), err[64];
	struct arena a;
	struct jv *root;
	const struct jv *causes;

	ck_assert_ptr_nonnull(text);
	arena_init(&a);
	root = parse(&a, text, len, err, sizeof err, &off);
	ck_assert_msg(root != NULL, "%s at %zu", err, off);
	ck_assert_str_eq(jv_str(jv_get(root, "schema")), "logcause/1");
	causes = jv_get(root, "causes");
	ck_assert_int_eq(causes->type, JV_ARRAY);
	ck_assert_uint_gt(causes->n, 0);
	for (const struct jv *c = causes->child; c; c = c->next) {
		ck_assert_ptr_nonnull(jv_str(jv_get(c, "name")));
		ck_assert_uint_ne(jv_u64(jv_get(c, "events"), UINT64_MAX), UINT64_MAX);
	}
	arena_release(&a);
	free(text);
}
END_TEST

Suite *jsonr_suite(void)
{
	Suite *s = suite_create("jsonr");
	TCase *tc = tcase_create("parse");
	TCase *big = tcase_create("large");

	tcase_add_loop_test(tc, test_good, 0, sizeof good / sizeof good[0]);
	tcase_add_loop_test(tc, test_bad, 0, sizeof bad / sizeof bad[0]);
	tcase_add_loop_test(tc, test_depth, 0, sizeof nest / sizeof nest[0]);
	tcase_add_test(tc, test_depth_resets);
	tcase_add_test(tc, test_every_byte);
	tcase_add_loop_test(tc, test_round_trip, 0, sizeof trips / sizeof trips[0]);
	tcase_add_test(tc, test_members);
	tcase_add_test(tc, test_accessors_wrong_type);
	tcase_add_loop_test(tc, test_u64, 0, sizeof u64s / sizeof u64s[0]);
	tcase_add_test(tc, test_err_buffer);
	tcase_add_test(tc, test_number_length);
	tcase_add_test(tc, test_report);
	suite_add_tcase(s, tc);
	tcase_add_test(big, test_large);
	tcase_add_test(big, test_large_strings);
	tcase_set_timeout(big, 30);
	suite_add_tcase(s, big);
	return s;
}
