/*
 * jsonr — reading JSON text back: logcause's own reports, for
 * `logcause merge` and `logcause render`.
 *
 * Data flow: a report file -> jsonr -> merge/render.  jsonr_parse() turns
 * one document into a tree of struct jv nodes in the caller's arena; the
 * input text is not kept, so the caller may free it once parse returns.
 *
 * It is strict RFC 8259 and nothing more: no comments, no trailing commas,
 * no leading zeros, no NaN or Infinity, no byte order mark, no raw control
 * characters or invalid UTF-8 in strings, a lone \uD800-\uDFFF surrogate is
 * an error.  Duplicate keys are kept in document order (jv_get() finds the
 * first).  The writer (json.h) emits a byte that is not UTF-8 as the JSON
 * text "\\xNN"; it reads back as the four bytes '\\' 'x' 'N' 'N', not as
 * the original byte, and json_put_string() writes those four bytes as the
 * same "\\xNN" again, so a report read and rewritten keeps its text.
 *
 * Hostile input is bounded: nesting deeper than JSONR_MAX_DEPTH and numbers
 * longer than JSONR_MAX_NUMBER characters are refused, nothing is read past
 * text[n), and time is linear in n.  Memory is about 80 bytes per value plus
 * the decoded strings (never longer than their JSON text), all in the arena;
 * a caller bounds it by bounding n.
 *
 *     struct arena a;
 *     char err[128];
 *     size_t off;
 *     arena_init(&a);
 *     const struct jv *root = jsonr_parse(&a, text, n, err, sizeof err, &off);
 *     if (!root)
 *             return diag_error(dg, path, "byte %zu: %s", off, err);
 *     const struct jv *causes = jv_get(root, "causes");
 *     for (const struct jv *c = causes ? causes->child : NULL; c; c = c->next)
 *             use(jv_str(jv_get(c, "name")), jv_u64(jv_get(c, "events"), 0));
 *     arena_release(&a);
 */
#ifndef LOGCAUSE_JSONR_H
#define LOGCAUSE_JSONR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* Containers nested deeper than this are refused: a report nests about six
 * deep, and the bound keeps hostile input from building a stack of its own. */
#define JSONR_MAX_DEPTH 64

/* Longest number text accepted (sign, digits, fraction and exponent).  Any
 * double printed with %f or %.17g fits; longer is refused as "number too
 * long" rather than copied for strtod. */
#define JSONR_MAX_NUMBER 512

enum jv_type { JV_NULL, JV_FALSE, JV_TRUE, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };

/* One value.  Everything it points to lives in the arena given to
 * jsonr_parse() and is valid until arena_release(). */
struct jv {
	enum jv_type type;
	double num;          /* JV_NUMBER */
	const char *str;     /* JV_STRING: decoded bytes, NUL-terminated, may hold NUL (use len) */
	size_t len;
	const char *key;     /* when a member of an object: its decoded key, NUL-terminated */
	size_t keylen;
	struct jv *child;    /* JV_ARRAY / JV_OBJECT: first element or member */
	struct jv *next;     /* next sibling */
	size_t n;            /* JV_ARRAY / JV_OBJECT: number of children */
};

/* Parses text[0..n) (one JSON value, optional surrounding white space) into
 * nodes and strings allocated from arena a (the caller owns the arena and
 * frees everything with arena_release).  text need not be NUL-terminated.
 * Returns the root, or NULL with a one-line message in err ("unexpected '}'",
 * "unterminated string", "nesting deeper than 64", "invalid UTF-8 in string",
 * "number out of range", …) and the byte offset of the problem in
 * *err_offset.  err (cut to errsize, always NUL-terminated) may be NULL when
 * errsize is 0, and err_offset may be NULL.  Nodes already allocated when an
 * error is found stay in the arena until it is released.
 *
 * The messages and where their offset points:
 *   unexpected end of input          n
 *   unexpected 'c' / byte 0xNN       the byte (also a trailing comma's
 *                                    closing bracket, and NaN's 'N')
 *   unexpected 'c' after the value   the first byte after the root value
 *   invalid literal                  the 't', 'f' or 'n' that starts it
 *   unterminated string              the opening quote
 *   control character in string      the raw byte below 0x20
 *   invalid UTF-8 in string          the first byte of the bad sequence
 *   invalid escape in string         the backslash
 *   invalid \u escape                its backslash (not 4 hex digits after \u)
 *   unpaired surrogate in string     the backslash of the lone \uD800-\uDFFF
 *   invalid number                   where a digit was needed
 *   leading zero in number           the '0'
 *   number too long                  the number's first byte
 *   number out of range              the number's first byte (beyond
 *                                    ±DBL_MAX; tiny ones round to 0)
 *   nesting deeper than 64           the 65th opening bracket
 *   out of memory                    where the parser was
 */
struct jv *jsonr_parse(struct arena *a, const char *text, size_t n,
		       char *err, size_t errsize, size_t *err_offset);

/* Member `key` of an object, or NULL (also when obj is NULL or not an
 * object).  The first of duplicate keys wins.  A linear scan: a caller that
 * looks up many keys of a large object walks obj->child itself. */
const struct jv *jv_get(const struct jv *obj, const char *key);

/* Convenience accessors that never crash on the wrong type or NULL:
 * jv_num(v, dflt) the number or dflt; jv_u64(v, dflt) a non-negative whole
 * number up to 2^53 or dflt; jv_str(v) the string or NULL; jv_bool(v, dflt)
 * true or false, or dflt when v is neither. */
double jv_num(const struct jv *v, double dflt);
uint64_t jv_u64(const struct jv *v, uint64_t dflt);
const char *jv_str(const struct jv *v);
bool jv_bool(const struct jv *v, bool dflt);

#endif
