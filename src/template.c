#include "template.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- bytes ----
 *
 * ASCII classes by hand: <ctype.h> depends on the locale and takes an int
 * that must not be a negative char.  Bytes >= 0x80 count as word bytes, so
 * a number glued to a letter of another script is not taken apart.
 */

/* The classes as bits of one table, for the loops that run over most of a
 * message's bytes and for the tests below: one load per byte instead of a
 * chain of comparisons.  PLAIN: a byte that is copied as it is and changes
 * no state (not a word byte, a quote, a path's '/', a token's first byte,
 * or a byte that joins a number to a word). */
enum {
	B_LOWER = 1, B_UPPER = 2, B_DIGIT = 4, B_WORD = 8, B_HEX = 16, B_PATH = 32, B_PLAIN = 64,
	B_APART = 128,
};

#define B_IS_LOWER(c) ((c) >= 'a' && (c) <= 'z')
#define B_IS_UPPER(c) ((c) >= 'A' && (c) <= 'Z')
#define B_IS_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define B_IS_WORD(c) (B_IS_LOWER(c) || B_IS_UPPER(c) || B_IS_DIGIT(c) || (c) == '_' || (c) >= 0x80)
#define B_IS_HEX(c) (B_IS_DIGIT(c) || ((c) >= 'a' && (c) <= 'f') || ((c) >= 'A' && (c) <= 'F'))
/* in_path(): not a blank or control byte, DEL, or a delimiter of a path. */
#define B_IS_PATH(c)                                                                        \
	((c) > ' ' && (c) != 0x7f && (c) != '"' && (c) != '\'' && (c) != '`' && (c) != ',' && \
	 (c) != ';' && (c) != ':' && (c) != '(' && (c) != ')' && (c) != '[' && (c) != ']' &&  \
	 (c) != '{' && (c) != '}' && (c) != '<' && (c) != '>')
#define B_IS_PLAIN(c)                                                                        \
	(!B_IS_WORD(c) && (c) != '"' && (c) != '\'' && (c) != '/' && (c) != ':' && (c) != '-' && \
	 (c) != '+' && (c) != '[' && (c) != '.')
/* APART: a number between two such bytes stands alone, whatever its digits
 * (see memo_key).  Not '%': digits after it may be an address's zone
 * (fe80::1%12), which its length decides. */
#define B_IS_APART(c) \
	((B_IS_PLAIN(c) && (c) != '%') || (c) == '"' || (c) == '\'' || (c) == '/')
#define B(c)                                                                                 \
	((B_IS_LOWER(c) ? B_LOWER : 0) | (B_IS_UPPER(c) ? B_UPPER : 0) |                     \
	 (B_IS_DIGIT(c) ? B_DIGIT : 0) | (B_IS_WORD(c) ? B_WORD : 0) | (B_IS_HEX(c) ? B_HEX : 0) | \
	 (B_IS_PATH(c) ? B_PATH : 0) | (B_IS_PLAIN(c) ? B_PLAIN : 0) |                         \
	 (B_IS_APART(c) ? B_APART : 0))
#define B4(c) B(c), B((c) + 1), B((c) + 2), B((c) + 3)
#define B16(c) B4(c), B4((c) + 4), B4((c) + 8), B4((c) + 12)
#define B64(c) B16(c), B16((c) + 16), B16((c) + 32), B16((c) + 48)

static const unsigned char byte_class[256] = { B64(0), B64(64), B64(128), B64(192) };

static bool is_digit(unsigned char c)
{
	return byte_class[c] & B_DIGIT;
}

static bool is_lower(unsigned char c)
{
	return byte_class[c] & B_LOWER;
}

static bool is_alpha(unsigned char c)
{
	return byte_class[c] & (B_UPPER | B_LOWER);
}

static bool is_hex(unsigned char c)
{
	return byte_class[c] & B_HEX;
}

static bool is_word(unsigned char c)
{
	return byte_class[c] & B_WORD;
}

static unsigned char at(const char *s, size_t i)
{
	return (unsigned char)s[i];
}

static unsigned class_of(const char *s, size_t i)
{
	return byte_class[(unsigned char)s[i]];
}

/* Where a quote or a path may start or end, the angle brackets of a
 * placeholder count as word bytes: "5'x'" and "<N>'x'" then read alike, so
 * masking a template again finds the same quotes and paths. */
static bool is_word_or_mark(unsigned char c)
{
	return is_word(c) || c == '<' || c == '>';
}

/* Whether position e (an end) is followed by a non-word byte or nothing. */
static bool ends_word(const char *s, size_t n, size_t e)
{
	return e == n || !is_word(at(s, e));
}

static size_t skip_digits(const char *s, size_t n, size_t i)
{
	while (i < n && is_digit(at(s, i)))
		i++;
	return i;
}

/* ---- output ----
 *
 * Placeholders go out whole or not at all; literal text may be cut, but not
 * inside a UTF-8 sequence.  Once something did not fit the writer is full
 * and the scan stops, so a cut template is a prefix of the uncut one.
 *
 * Literal text is copied late: pieces that follow each other in the message
 * (a word, a space, the next word) grow one pending span, copied by one
 * memcpy when a placeholder or the end comes.  A message is mostly such
 * pieces, and a copy per piece cost more than finding them.
 */

struct writer {
	char *buf;
	size_t cap, len;
	bool full;
	const char *pending; /* literal bytes not copied yet, all fitting */
	size_t npending;
};

static size_t room(const struct writer *w)
{
	return w->cap ? w->cap - 1 - w->len : 0;
}

static void flush(struct writer *w)
{
	if (w->npending) {
		memcpy(w->buf + w->len, w->pending, w->npending);
		w->len += w->npending;
		w->npending = 0;
	}
}

static void emit(struct writer *w, const char *s, size_t n)
{
	if (w->full)
		return;
	flush(w);
	if (n > room(w)) {
		w->full = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/* The longest prefix of s[0..n) of at most max bytes that does not end
 * inside a UTF-8 sequence.  Only a well-formed lead byte moves the cut;
 * stray continuation bytes are cut anywhere. */
static size_t utf8_prefix(const char *s, size_t n, size_t max)
{
	size_t k = max;

	if (max >= n || (at(s, max) & 0xc0) != 0x80)
		return max;
	while (k > 0 && max - k < 3 && (at(s, k) & 0xc0) == 0x80)
		k--;
	return at(s, k) >= 0xc0 ? k : max;
}

static void emit_text(struct writer *w, const char *s, size_t n)
{
	if (w->full)
		return;
	if (w->npending && w->pending + w->npending != s)
		flush(w);
	if (w->npending + n <= room(w)) {
		if (!w->npending)
			w->pending = s;
		w->npending += n;
		return;
	}
	/* The piece that does not fit is cut on its own, as if each piece
	 * had been copied when it came. */
	flush(w);
	n = utf8_prefix(s, n, room(w));
	if (n) /* buf may be NULL when cap is 0 */
		memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->full = true;
}

/* ---- tokens ----
 *
 * Each match_ function looks at msg from i and returns where the token ends,
 * or 0 when there is none (a token is never empty, so 0 is not an end).
 * Each looks a bounded distance ahead, or reads a run of hex digits or of
 * dotted digits that, when it is rejected, the scan then copies whole as a
 * word: no byte is read more than a few times, and the scan is linear.
 */

static size_t match_uuid(const char *s, size_t n, size_t i)
{
	static const unsigned char group[] = { 8, 4, 4, 4, 12 };
	size_t p = i;

	for (size_t g = 0; g < sizeof group; g++) {
		if (g > 0) {
			if (p >= n || s[p] != '-')
				return 0;
			p++;
		}
		for (size_t k = 0; k < group[g]; k++, p++)
			if (p >= n || !is_hex(at(s, p)))
				return 0;
	}
	return ends_word(s, n, p) ? p : 0;
}

/* Four dotted octets from i, with no test of what follows. */
static size_t match_quad(const char *s, size_t n, size_t i)
{
	size_t p = i;

	for (int k = 0; k < 4; k++) {
		size_t e;
		unsigned v = 0;

		if (k > 0) {
			if (p >= n || s[p] != '.')
				return 0;
			p++;
		}
		for (e = p; e < n && e - p < 4 && is_digit(at(s, e)); e++)
			v = v * 10 + (unsigned)(at(s, e) - '0');
		if (e == p || e - p > 3 || v > 255)
			return 0;
		p = e;
	}
	return p;
}

static size_t match_ipv4(const char *s, size_t n, size_t i)
{
	size_t e = match_quad(s, n, i);

	/* 1.2.3.4.5 is a version, not an address. */
	if (!e || !ends_word(s, n, e) || (e + 1 < n && s[e] == '.' && is_digit(at(s, e + 1))))
		return 0;
	return e;
}

/* The longest zone id kept in an address (fe80::1%eth0). */
enum { ZONE_MAX = 16 };

static size_t match_ipv6(const char *s, size_t n, size_t i)
{
	size_t p = i, groups = 0;
	bool gap = false, digit = false;

	if (p + 1 < n && s[p] == ':' && s[p + 1] == ':') {
		gap = true;
		p += 2;
	}
	while (groups < 8) {
		size_t q, e;

		/* A dotted quad ends the address and stands for two groups. */
		e = match_quad(s, n, p);
		if (e && (gap ? groups + 2 <= 7 : groups == 6)) {
			groups += 2;
			digit = true;
			p = e;
			break;
		}
		for (q = p; q < n && q - p < 5 && is_hex(at(s, q)); q++)
			digit = digit || is_digit(at(s, q));
		if (q == p)
			break;
		if (q - p > 4)
			return 0;
		groups++;
		p = q;
		if (groups == 8 || p >= n || s[p] != ':')
			break;
		if (p + 1 < n && s[p + 1] == ':') {
			if (gap)
				return 0;
			gap = true;
			p += 2;
		} else if (p + 1 < n && is_hex(at(s, p + 1))) {
			p++;
		} else {
			break; /* "fe80::1: refused": the colon is punctuation */
		}
	}
	if (!digit || (gap ? groups > 7 : groups != 8))
		return 0;
	if (p + 1 < n && s[p] == '%' && is_word(at(s, p + 1))) {
		size_t z = p + 1;

		while (z < n && z - p <= ZONE_MAX && is_word(at(s, z)))
			z++;
		p = z;
	}
	return ends_word(s, n, p) ? p : 0;
}

static size_t match_hex_literal(const char *s, size_t n, size_t i)
{
	size_t p = i + 2;

	if (p >= n || s[i] != '0' || (s[i + 1] != 'x' && s[i + 1] != 'X') || !is_hex(at(s, p)))
		return 0;
	while (p < n && is_hex(at(s, p)))
		p++;
	return ends_word(s, n, p) ? p : 0;
}

/* Below 8 hex digits too many words and codes look like ids (decade,
 * 1a2b3c); at 16 and above nothing but an id does. */
enum { HEXID_MIN = 8, HEXID_UPPER_MIN = 16 };

static size_t match_hexid(const char *s, size_t n, size_t i)
{
	size_t p = i;
	bool digit = false, letter = false, lower = false;

	for (; p < n && is_hex(at(s, p)); p++) {
		unsigned char c = at(s, p);

		digit = digit || is_digit(c);
		letter = letter || !is_digit(c);
		lower = lower || is_lower(c);
	}
	if (p - i < HEXID_MIN || !digit || !letter || !ends_word(s, n, p))
		return 0;
	if (!lower && p - i < HEXID_UPPER_MIN)
		return 0;
	return p;
}

/* Units that may follow a number directly; the number is masked and the
 * unit kept.  Add an entry here when a log prints a new one. */
static const char *const units[] = {
	"ns", "us", "ms", "s", "sec", "secs", "m", "min", "mins", "h", "d",
	"b", "B", "k", "K", "kB", "KB", "KiB", "M", "MB", "MiB", "G", "GB",
	"GiB", "T", "TB", "TiB", "Z",
};

enum { UNIT_MAX = 4 };

static bool is_unit(const char *s, size_t len)
{
	if (len > UNIT_MAX)
		return false;
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
		if (strlen(units[k]) == len && memcmp(units[k], s, len) == 0)
			return true;
	return false;
}

/* Digits with dotted parts (1, 3.14, 1.2.3) from i. */
static size_t number_span(const char *s, size_t n, size_t i)
{
	size_t p = skip_digits(s, n, i);

	while (p + 1 < n && s[p] == '.' && is_digit(at(s, p + 1)))
		p = skip_digits(s, n, p + 1);
	return p;
}

/* A number from i (optionally signed); *unit is set to where its unit
 * starts, or to the end when it has none.  A 'T' between digits is the
 * date-time separator of ISO 8601 and ends the number as if it were a unit,
 * so 2025-03-02T13:00:01.118Z reads <N>-<N>-<N>T<N>:<N>:<N>Z. */
static size_t match_number(const char *s, size_t n, size_t i, size_t *unit)
{
	size_t p = i, e;

	if (s[p] == '-' || s[p] == '+')
		p++;
	if (p >= n || !is_digit(at(s, p)))
		return 0;
	p = number_span(s, n, p);
	*unit = p;
	if (p + 1 < n && s[p] == 'T' && is_digit(at(s, p + 1)))
		return p + 1;
	for (e = p; e < n && is_alpha(at(s, e)); e++)
		if (e - p >= UNIT_MAX)
			return 0;
	if (!ends_word(s, n, e) || (e > p && !is_unit(s + p, e - p)))
		return 0;
	return e;
}

/* ---- quotes and paths ---- */

/* Where the quote opened at i closes, or 0 when it does not.  A backslash
 * escapes the next byte; a single quote closes only before a non-word byte,
 * so "'can't connect'" is one string. */
static size_t close_quote(const char *s, size_t n, size_t i)
{
	char q = s[i];
	size_t p = i + 1;

	/* memchr to the next quote, then to a backslash before it: both
	 * run a word at a time, and quoted text is much of some messages. */
	while (p < n) {
		const char *quote = memchr(s + p, q, n - p), *esc;
		size_t e;

		if (!quote)
			return 0;
		e = (size_t)(quote - s);
		esc = memchr(s + p, '\\', e - p);
		if (esc) {
			p = (size_t)(esc - s) + 2;
			continue;
		}
		if (q == '"' || e + 1 == n || !is_word_or_mark(at(s, e + 1)))
			return e;
		p = e + 1;
	}
	return 0;
}

static bool in_path(unsigned char c)
{
	return byte_class[c] & B_PATH;
}

/* Whether a path starts at the '/' at i: not after a word or a '.' (1/2,
 * and/or, ./x), not the "//" of a URL (whose own path then starts after the
 * host, where it is a word's end and so is scanned as text). */
static bool starts_path(const char *s, size_t n, size_t i)
{
	unsigned char prev = i > 0 ? at(s, i - 1) : ' ';

	if (i + 1 >= n || s[i + 1] == '/' || !in_path(at(s, i + 1)))
		return false;
	if (is_word_or_mark(prev) || prev == '.')
		return false;
	return !(prev == '/' && i >= 2 && s[i - 2] == ':');
}

/* Segments a path keeps before <PATH>: enough to tell the application
 * (/srv/www, /var/lib), not the file. */
enum { PATH_KEEP = 2 };

/* ---- words ----
 *
 * Whether a number joined to the word just copied is part of it.  Upper
 * case marks an error code (ORA-12541, SQLSTATE[08006]); a version is a
 * digit glued to a name (php8.2).  Everywhere else a joined number varies
 * (HikariPool-1, nio-8080-exec-3), and is masked.
 */
struct word {
	size_t end;  /* where the last word copied ends; SIZE_MAX before any */
	bool caps;   /* it has an upper-case letter and no lower-case one */
	bool letter; /* it has a letter */
	bool digit_end;
};

/* Reads the word from i and returns where it ends, noting whether it has
 * upper- and lower-case letters: one pass over the word's bytes, which are
 * most of a message's. */
static size_t word_scan(const char *s, size_t n, size_t i, bool *upper, bool *lower)
{
	unsigned seen = 0;

	for (; i < n; i++) {
		unsigned b = class_of(s, i);

		if (!(b & B_WORD))
			break;
		seen |= b;
	}
	*upper = seen & B_UPPER;
	*lower = seen & B_LOWER;
	return i;
}

/* Notes the word that ends at to (its last byte is s[to - 1]). */
static void word_note(struct word *wd, const char *s, size_t to, bool upper, bool lower,
		      bool joined)
{
	bool letter = upper || lower;

	if (joined) {
		wd->caps = wd->caps && !lower;
		wd->letter = wd->letter || letter;
	} else {
		wd->caps = upper && !lower;
		wd->letter = letter;
	}
	wd->digit_end = is_digit(at(s, to - 1));
	wd->end = to;
}

static bool word_joins(const struct word *wd, const char *s, size_t n, size_t i)
{
	char c = s[i];

	if (i != wd->end || i + 1 >= n || !is_digit(at(s, i + 1)))
		return false;
	if (c == '-' || c == '[')
		return wd->caps;
	if (c == '.')
		return wd->caps || (wd->letter && wd->digit_end);
	return false;
}

/* Quoted text that reads as a sentence (four words or more) rather than a
 * value: a request line "GET /cart HTTP/1.1" or a host name is a value. */
static bool is_prose(const char *s, size_t n)
{
	size_t spaces = 0;

	for (size_t i = 0; i < n && spaces < 3; i++)
		spaces += s[i] == ' ';
	return spaces >= 3;
}

/* Whether the word at i starts with a letter that no token can start
 * with: too few hex digits for a uuid or an id, and no ':' of an IPv6
 * group after them.  Most words of a message ("failed", "client") are such,
 * and skip the token matchers. */
static bool plain_word(const char *s, size_t n, size_t i)
{
	size_t p = i;

	if (!is_alpha(at(s, i)))
		return false;
	while (p < n && p - i < HEXID_MIN && is_hex(at(s, p)))
		p++;
	return p - i < HEXID_MIN && (p == n || s[p] != ':');
}

/* Where the run from i ends of bytes that change nothing but the output:
 * plain bytes and plain words, most of a message.  Stops by max, past which
 * the output would not hold the run anyway.  The last word is noted in wd,
 * as the scan notes each word. */
static size_t plain_run(const char *s, size_t n, size_t i, size_t max, struct word *wd)
{
	while (i < n && i < max) {
		unsigned b = class_of(s, i);

		if (b & B_PLAIN) {
			i++;
		} else if ((b & (B_LOWER | B_UPPER)) && plain_word(s, n, i)) {
			bool up, lo;
			size_t e = word_scan(s, n, i, &up, &lo);

			word_note(wd, s, e, up, lo, false);
			i = e;
		} else {
			break;
		}
	}
	return i;
}

/* ---- the scan ---- */

size_t template_mask(const char *msg, size_t len, char *out, size_t cap)
{
	struct writer w = { out, cap, 0, false, NULL, 0 };
	struct word wd = { SIZE_MAX, false, false, false };
	size_t i = 0, path_cut = SIZE_MAX, path_end = 0;
	size_t glued = SIZE_MAX; /* after "<N>T": a number may start here */
	/* Once a quote found no close, no later one of its kind can: the
	 * search went to the end.  Remembering that keeps the scan linear. */
	bool no_close_dq = false, no_close_sq = false;
	size_t prose_close = SIZE_MAX; /* the closing quote of quoted prose */

	while (i < len && !w.full) {
		unsigned char c = at(msg, i);
		bool bound = i == 0 || !is_word(at(msg, i - 1)) || i == glued;
		bool quote_ok = i == 0 || !is_word_or_mark(at(msg, i - 1));
		size_t e, unit = 0;

		if (i == prose_close) {
			emit(&w, msg + i, 1);
			prose_close = SIZE_MAX;
			i++;
			continue;
		}
		if (i >= path_cut) {
			emit(&w, "/<PATH>", 7);
			i = path_end;
			path_cut = SIZE_MAX;
			continue;
		}
		if (byte_class[c] & (B_PLAIN | B_LOWER | B_UPPER)) {
			e = plain_run(msg, len, i, i + room(&w) - w.npending + 1, &wd);
			if (e > i) {
				emit_text(&w, msg + i, e - i);
				i = e;
				continue;
			}
		}
		if ((c == '"' && !no_close_dq) || (c == '\'' && quote_ok && !no_close_sq)) {
			e = close_quote(msg, len, i);
			if (e == i + 1) {
				emit(&w, msg + i, 2);
				i = e + 1;
				continue;
			}
			/* Quoted prose (it has a space) is the message itself,
			 * as in nginx's FastCGI sent in stderr: "PHP message:
			 * …" or Apache's Got error '…': mask inside it instead
			 * of hiding it.  A quoted word (a host, a path, an id)
			 * is a value. */
			if (e && prose_close == SIZE_MAX && is_prose(msg + i + 1, e - i - 1)) {
				/* Servers quote such text without escaping the
				 * quotes inside it (nginx: stderr: "… key "x" in …"
				 * while reading), so the prose runs to the last
				 * quote of its kind; quotes inside are values. */
				const char *last = memrchr(msg + e, c, len - e);

				emit(&w, msg + i, 1);
				prose_close = last ? (size_t)(last - msg) : e;
				i++;
				continue;
			}
			if (e) {
				emit(&w, c == '"' ? "\"<S>\"" : "'<S>'", 5);
				i = e + 1;
				continue;
			}
			if (c == '"')
				no_close_dq = true;
			else
				no_close_sq = true;
		}
		if (c == '/' && i >= path_end && starts_path(msg, len, i)) {
			size_t slashes = 0;

			/* The path's bytes are scanned as usual up to the cut,
			 * so /proc/1234 reads /proc/<N>. */
			for (e = i; e < len && (msg[e] == '/' || in_path(at(msg, e))); e++)
				if (msg[e] == '/' && ++slashes == PATH_KEEP + 1)
					path_cut = e;
			path_end = e;
			if (path_cut + 1 >= path_end)
				path_cut = SIZE_MAX; /* nothing after the cut */
		}
		if (word_joins(&wd, msg, len, i) && !match_uuid(msg, len, i + 1) &&
		    !match_hexid(msg, len, i + 1)) {
			bool up, lo;

			e = word_scan(msg, len, i + 1, &up, &lo);
			emit_text(&w, msg + i, e - i);
			word_note(&wd, msg, e, up, lo, true);
			i = e;
			continue;
		}
		if (bound && (is_hex(c) || c == ':' || c == '-' || c == '+') && !plain_word(msg, len, i)) {
			const char *ph = NULL;

			if ((e = match_uuid(msg, len, i)))
				ph = "<UUID>";
			else if ((e = match_ipv6(msg, len, i)))
				ph = "<IP>";
			else if ((e = match_ipv4(msg, len, i)))
				ph = "<IP>";
			else if ((e = match_hex_literal(msg, len, i)) || (e = match_hexid(msg, len, i)))
				ph = "<HEX>";
			else if ((e = match_number(msg, len, i, &unit)))
				ph = "<N>";
			if (ph) {
				char tok[sizeof "<UUID>" + UNIT_MAX];
				size_t n = strlen(ph);

				/* A unit goes out with its number, as one piece. */
				memcpy(tok, ph, n);
				if (ph[1] == 'N') {
					memcpy(tok + n, msg + unit, e - unit);
					n += e - unit;
				}
				emit(&w, tok, n);
				if (msg[e - 1] == 'T' && e < len && is_digit(at(msg, e)))
					glued = e;
				i = e;
				continue;
			}
		}
		if (is_word(c)) {
			/* A digit that did not start a token starts a word, dotted
			 * parts and all (1.2.3x, 0A000086): taking the word whole
			 * keeps the next part from being tried as a number again,
			 * which would make a long dotted run quadratic. */
			bool up, lo;

			/* The number's digits and dots hold no letter: the
			 * word's case is that of what follows them. */
			e = word_scan(msg, len, is_digit(c) ? number_span(msg, len, i) : i, &up, &lo);
			emit_text(&w, msg + i, e - i);
			word_note(&wd, msg, e, up, lo, false);
			i = e;
			continue;
		}
		emit_text(&w, msg + i, 1);
		i++;
	}
	flush(&w);
	if (cap > 0)
		out[w.len] = '\0';
	return w.len;
}

/* ---- hashing and the memo ---- */

static uint64_t rotl64(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t load64(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

/* xxHash64's round and final avalanche over one lane: a multiply per eight
 * bytes instead of FNV-1a's one per byte, and every input bit reaches every
 * output bit, which the top-K index (high bits) and the memo (low bits)
 * both rely on. */
#define HASH_P1 0x9e3779b185ebca87ULL
#define HASH_P2 0xc2b2ae3d27d4eb4fULL
#define HASH_P3 0x165667b19e3779f9ULL

uint64_t template_hash(const char *tpl, size_t len)
{
	uint64_t h = HASH_P3 ^ ((uint64_t)len * HASH_P1);
	size_t i = 0;

	for (; i + 8 <= len; i += 8)
		h = rotl64(h + load64(tpl + i) * HASH_P2, 31) * HASH_P1;
	if (i < len) {
		uint64_t w = 0;

		/* The tail zero-padded: the length, mixed in above, tells
		 * "a" from "a\0". */
		memcpy(&w, tpl + i, len - i);
		h = rotl64(h + w * HASH_P2, 31) * HASH_P1;
	}
	h ^= h >> 33;
	h *= HASH_P2;
	h ^= h >> 29;
	h *= HASH_P3;
	h ^= h >> 32;
	return h;
}

/* Whether any of the eight bytes in w is an ASCII digit: after the xor a
 * digit is a byte below 10, and the subtraction borrows into the top bit
 * of such a byte (and of no byte when there is none). */
static bool has_digit(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t t = w ^ (ones * '0');

	return ((t - ones * 10) & ~t & highs) != 0;
}

/* The memo's key for msg, written to key: msg with each number that stands
 * alone cut to one '0', so "allocate 20480 bytes ... line 307" and
 * "allocate 4096 bytes ... line 61" share an entry.  That is sound because
 * such a number is masked whatever its digits: with a blank, punctuation,
 * a quote, a '/' or an end on both sides (never a letter, '.', ':', '-',
 * '+', '[' or '%'), it is no part of an address, id, version, code or
 * unit, and is <N>, or inside the <S> or <PATH> that hides it.  Any other
 * run of digits (the 1 of /api/v1/, the 7 of psr7) is kept as it is, and
 * the numbers around it are still cut: otherwise one such run anywhere
 * made every message holding it a miss.  A key is its own key, so messages
 * that share one mask alike. */
static size_t memo_key(const char *msg, size_t len, char *key)
{
	size_t k = 0;

	for (size_t i = 0; i < len;) {
		size_t e;

		/* Eight bytes without a digit at once: digits are a few runs
		 * in a message mostly of words. */
		if (len - i >= 8 && !has_digit(load64(msg + i))) {
			memcpy(key + k, msg + i, 8);
			k += 8;
			i += 8;
			continue;
		}
		if (!(class_of(msg, i) & B_DIGIT)) {
			key[k++] = msg[i++];
			continue;
		}
		e = skip_digits(msg, len, i);
		if ((i > 0 && !(class_of(msg, i - 1) & B_APART)) ||
		    (e < len && !(class_of(msg, e) & B_APART))) {
			memcpy(key + k, msg + i, e - i);
			k += e - i;
		} else {
			key[k++] = '0';
		}
		i = e;
	}
	return k;
}

/* Two ways per set, so two hot messages that share a set do not evict each
 * other on every record; the way not used last is the one replaced. */
struct memo_entry {
	uint64_t khash, thash;
	uint32_t klen, tlen; /* klen + tlen <= TEMPLATE_MEMO_BYTES; UINT32_MAX: empty */
	char bytes[TEMPLATE_MEMO_BYTES]; /* the key, then its template */
};

struct template_memo {
	size_t cap;
	unsigned char last[TEMPLATE_MEMO_SETS]; /* way used last, per set */
	char key[TEMPLATE_MEMO_BYTES];
	struct memo_entry e[TEMPLATE_MEMO_SETS][2];
};

struct template_memo *template_memo_new(size_t cap)
{
	/* malloc, not calloc: only the headers are read before an entry is
	 * written, so pages of entries never used stay untouched. */
	struct template_memo *mm = malloc(sizeof *mm);

	if (!mm)
		return NULL;
	mm->cap = cap;
	memset(mm->last, 0, sizeof mm->last);
	for (size_t s = 0; s < TEMPLATE_MEMO_SETS; s++)
		for (int w = 0; w < 2; w++)
			mm->e[s][w].klen = UINT32_MAX;
	return mm;
}

const char *template_memo_mask(struct template_memo *mm, const char *msg, size_t len,
			       char *out, size_t *tlen, uint64_t *hash)
{
	size_t klen, set, n;
	uint64_t kh;
	struct memo_entry *e;

	if (len > TEMPLATE_MEMO_BYTES) {
		*tlen = template_mask(msg, len, out, mm->cap);
		*hash = template_hash(out, *tlen);
		return out;
	}
	klen = memo_key(msg, len, mm->key);
	kh = template_hash(mm->key, klen);
	set = (size_t)(kh % TEMPLATE_MEMO_SETS);
	for (int w = 0; w < 2; w++) {
		e = &mm->e[set][w];
		if (e->klen == klen && e->khash == kh && memcmp(e->bytes, mm->key, klen) == 0) {
			mm->last[set] = (unsigned char)w;
			*tlen = e->tlen;
			*hash = e->thash;
			return e->bytes + klen;
		}
	}
	n = template_mask(msg, len, out, mm->cap);
	*tlen = n;
	*hash = template_hash(out, n);
	if (klen + n <= TEMPLATE_MEMO_BYTES) {
		int w = !mm->last[set];

		e = &mm->e[set][w];
		e->khash = kh;
		e->thash = *hash;
		e->klen = (uint32_t)klen;
		e->tlen = (uint32_t)n;
		memcpy(e->bytes, mm->key, klen);
		memcpy(e->bytes + klen, out, n);
		mm->last[set] = (unsigned char)w;
	}
	return out;
}

void template_memo_free(struct template_memo *mm)
{
	free(mm);
}
