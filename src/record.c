#include "record.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ascii.h"
#include "lines.h"

/*
 * One parser per format.  Each checks its prefix byte by byte (no sscanf, no
 * strptime: this runs for every line), fills the record and returns true, or
 * returns false without side effects beyond *r.  To add a format: a parser
 * here, an entry in `formats`, and an enum log_format value.
 */
typedef bool (*parse_fn)(struct record_parser *p, const char *s, size_t n,
			 struct record *r);

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads exactly `width` digits at s; -1 if any is not a digit. */
static int digits(const char *s, int width)
{
	int v = 0;

	for (int i = 0; i < width; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The end of the run of digits from s (s itself when there is none).
 * nginx's pid, thread and connection numbers are on every line: eight
 * bytes are tested at once, and the run ends at the first that is no
 * digit (after the xor, a byte of 10 or more; the low seven bits are
 * added apart so no sum carries into the next byte). */
static const char *digits_end(const char *s, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;

	while (end - s >= 8) {
		uint64_t w, t, other;

		memcpy(&w, s, 8);
		t = w ^ (ones * '0');
		other = (((t & ~highs) + ones * (0x80 - 10)) | t) & highs;
		if (other)
			return s + __builtin_ctzll(other) / 8;
		s += 8;
	}
#endif
	while (s < end && is_digit(*s))
		s++;
	return s;
}

static bool valid_civil(int y, int mon, int d, int h, int mi, int sec)
{
	return y >= 1970 && y < 10000 && mon >= 1 && mon <= 12 && d >= 1 && d <= 31 &&
	       h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec <= 60;
}

/* Reads "HH:MM:SS" at s; false unless all three are two digits. */
static bool clock_at(const char *s, int *h, int *mi, int *sec)
{
	*h = digits(s, 2);
	*mi = digits(s + 3, 2);
	*sec = digits(s + 6, 2);
	return *h >= 0 && *mi >= 0 && *sec >= 0 && s[2] == ':' && s[5] == ':';
}

/* Reads the date and clock of "YYYY-MM-DD HH:MM:SS" at s, whatever the
 * separators (the caller checked them); false unless all are digits and
 * make a valid date and time. */
static bool civil_at(const char *s, int *y, int *mon, int *d, int *h, int *mi, int *sec)
{
	*y = digits(s, 4);
	*mon = digits(s + 5, 2);
	*d = digits(s + 8, 2);
	return *y >= 0 && *mon >= 0 && *d >= 0 && clock_at(s + 11, h, mi, sec) &&
	       valid_civil(*y, *mon, *d, *h, *mi, *sec);
}

/* Reads a fraction of a second after '.' or ',' at s[0]; returns bytes
 * consumed (0 if none) and the value in microseconds. */
static size_t fraction_at(const char *s, size_t n, int32_t *usec)
{
	size_t i = 1;
	int32_t v = 0, scale = 100000;

	*usec = 0;
	if (n < 2 || (s[0] != '.' && s[0] != ',') || !is_digit(s[1]))
		return 0;
	for (; i < n && is_digit(s[i]); i++) {
		if (scale > 0) {
			v += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	*usec = v;
	return i;
}

enum level record_level_from_word(const char *p, size_t n)
{
#define W(word, level) { word, sizeof word - 1, level }
	static const struct {
		const char *word;
		size_t len;
		enum level level;
	} words[] = {
		/* nginx's and Apache's most common first. */
		W("error", LEVEL_ERROR),     W("warn", LEVEL_WARN),
		W("info", LEVEL_INFO),       W("notice", LEVEL_NOTICE),
		W("crit", LEVEL_CRIT),       W("alert", LEVEL_ALERT),
		W("emerg", LEVEL_EMERG),     W("debug", LEVEL_DEBUG),
		W("emergency", LEVEL_EMERG), W("panic", LEVEL_EMERG),
		W("critical", LEVEL_CRIT),   W("fatal", LEVEL_CRIT),
		W("severe", LEVEL_CRIT),     W("err", LEVEL_ERROR),
		W("warning", LEVEL_WARN),    W("information", LEVEL_INFO),
		W("trace", LEVEL_DEBUG),     W("verbose", LEVEL_DEBUG),
		/* PostgreSQL and MySQL words for their levels. */
		W("log", LEVEL_INFO),        W("note", LEVEL_NOTICE),
		W("system", LEVEL_INFO),
	};
#undef W
	char low[sizeof "information"];

	/* Every record of most formats asks: fold once, then compare a few
	 * bytes inline, not through strlen and memcmp calls. */
	if (n == 0 || n >= sizeof low)
		return LEVEL_NONE;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] | 0x20 : p[i]);
	/* Apache's trace1 … trace8 and PostgreSQL's DEBUG1 … DEBUG5. */
	if (n == 6 && is_digit(low[5]) &&
	    (memcmp(low, "trace", 5) == 0 || memcmp(low, "debug", 5) == 0))
		return LEVEL_DEBUG;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t k = 0;

		if (words[i].len != n || words[i].word[0] != low[0])
			continue;
		while (k < n && words[i].word[k] == low[k])
			k++;
		if (k == n)
			return words[i].level;
	}
	return LEVEL_NONE;
}

static struct span span_of(const struct record *r, const char *from, size_t len)
{
	struct span sp = { (uint32_t)(from - r->text), (uint32_t)len };

	return sp;
}

static const char *find(const char *hay, size_t n, const char *needle, size_t nlen)
{
	return memmem(hay, n, needle, nlen);
}

/* The last occurrence, because the message before nginx's trailing fields
 * may quote text (FastCGI stderr) that contains the same words. */
static const char *find_last(const char *hay, size_t n, const char *needle, size_t nlen)
{
	size_t len = n;

	/* Backwards from the end, by the needle's first byte: the fields
	 * are at the end, so this stops after a few bytes where a forward
	 * search would read the whole message. */
	while (len >= nlen) {
		const char *p = memrchr(hay, needle[0], len - nlen + 1);

		if (!p)
			return NULL;
		if (memcmp(p, needle, nlen) == 0)
			return p;
		len = (size_t)(p - hay) + nlen - 1;
	}
	return NULL;
}

/* Where nginx's trailing fields start: the last ", client: ", since the
 * message before them may quote text (FastCGI stderr) that says the same.
 * NULL when the record has none. */
static const char nginx_client_lead[] = ", client: ";

static const char *nginx_client(const struct record *r)
{
	if (r->client_known)
		return r->core_len < r->msg_len ? r->msg + r->core_len : NULL;
	return find_last(r->msg, r->msg_len, nginx_client_lead, sizeof nginx_client_lead - 1);
}

/*
 * nginx appends ", client: A, server: B, request: "…", upstream: "…",
 * host: "…", referrer: "…"" to errors tied to a request.  Values in quotes
 * may hold ", " (query strings), so a quoted value runs to the quote that is
 * followed by ", " or the end of the line.
 */
static void nginx_fields(struct record *r)
{
	const char *end = r->msg + r->msg_len;
	const char *p = nginx_client(r);

	if (!p)
		return;
	r->core_len = (size_t)(p - r->msg);
	p += 2;
	/* Names and unquoted values are a few bytes: read them byte by byte
	 * rather than through a library call each. */
	while (p < end) {
		const char *colon = p;
		const char *v, *vend;
		size_t klen;

		while (colon < end && *colon != ':')
			colon++;
		if (colon + 1 >= end || colon[1] != ' ')
			return;
		klen = (size_t)(colon - p);
		v = colon + 2;
		if (v < end && *v == '"') {
			v++;
			vend = v;
			for (;;) {
				vend = memchr(vend, '"', (size_t)(end - vend));
				if (!vend) {
					vend = end;
					break;
				}
				if (vend + 1 == end || (vend + 2 < end && vend[1] == ',' && vend[2] == ' '))
					break;
				vend++;
			}
		} else {
			for (vend = v; vend + 1 < end && !(vend[0] == ',' && vend[1] == ' '); vend++)
				;
			if (vend + 1 >= end)
				vend = end;
		}
		struct span sp = span_of(r, v, (size_t)(vend - v));
		if (klen == 6 && memcmp(p, "client", 6) == 0)
			r->client = sp;
		else if (klen == 6 && memcmp(p, "server", 6) == 0)
			r->server = sp;
		else if (klen == 7 && memcmp(p, "request", 7) == 0)
			r->request = sp;
		else if (klen == 8 && memcmp(p, "upstream", 8) == 0)
			r->upstream = sp;
		else if (klen == 4 && memcmp(p, "host", 4) == 0)
			r->host = sp;
		if (vend < end && *vend == '"')
			vend++;
		p = vend;
		if (p + 2 > end || p[0] != ',' || p[1] != ' ')
			return;
		p += 2;
	}
}

/* nginx's own level words as it writes them, "error]" at s: compared
 * whole, a few bytes at once, where the general lookup folds and searches.
 * Sets *close to the ']'.  False for anything else (then the general
 * lookup decides). */
static bool nginx_level(const char *s, const char *end, const char **close, enum level *level)
{
#define L(word, lv) { word "]", sizeof word, lv }
	static const struct {
		const char *word; /* with its ']' */
		size_t len;
		enum level level;
	} words[] = {
		L("error", LEVEL_ERROR), L("warn", LEVEL_WARN),   L("info", LEVEL_INFO),
		L("notice", LEVEL_NOTICE), L("crit", LEVEL_CRIT), L("alert", LEVEL_ALERT),
		L("emerg", LEVEL_EMERG), L("debug", LEVEL_DEBUG),
	};
#undef L

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (s[0] != words[i].word[0] || (size_t)(end - s) < words[i].len ||
		    memcmp(s, words[i].word, words[i].len) != 0)
			continue;
		*close = s + words[i].len - 1;
		*level = words[i].level;
		return true;
	}
	return false;
}

/* 2026/11/27 10:15:02 [error] 811#811: *4411 message */
static bool parse_nginx(struct record_parser *p, const char *s, size_t n,
			struct record *r)
{
	int y, mon, d, h, mi, sec;
	const char *q, *end = s + n, *lvl;

	if (n < 24 || s[4] != '/' || s[7] != '/' || s[10] != ' ' || s[19] != ' ' ||
	    s[20] != '[')
		return false;
	if (!p->stamp_known || memcmp(s, p->stamp, sizeof p->stamp) != 0) {
		if (!civil_at(s, &y, &mon, &d, &h, &mi, &sec))
			return false;
		memcpy(p->stamp, s, sizeof p->stamp);
		p->stamp_time = tstamp_from_local(&p->zone, y, mon, d, h, mi, sec, 0);
		p->stamp_known = true;
	}
	lvl = s + 21;
	if (!nginx_level(lvl, end, &q, &r->level)) {
		/* The level is a few bytes: no library call to find its end. */
		for (q = lvl; q < end && q - lvl <= 8 && *q != ']'; q++)
			;
		if (q == end || q - lvl > 8 || *q != ']')
			return false;
		r->level = record_level_from_word(lvl, (size_t)(q - lvl));
		if (r->level == LEVEL_NONE)
			return false;
	}
	q++;
	/* " 811#811: " — the worker's pid and thread id. */
	if (q < end && *q == ' ')
		q++;
	{
		const char *pid = q;

		q = digits_end(q, end);
		r->pid = span_of(r, pid, (size_t)(q - pid));
	}
	if (q < end && *q == '#') {
		q = digits_end(q + 1, end);
		if (q + 1 < end && q[0] == ':' && q[1] == ' ')
			q += 2;
	}
	/* "*4411 " — the connection number, present for request errors. */
	if (q < end && *q == '*') {
		const char *c = digits_end(q + 1, end);

		if (c > q + 1 && c < end && *c == ' ')
			q = c + 1;
	}
	r->time = p->stamp_time;
	r->msg = q;
	r->msg_len = (size_t)(end - q);
	if (p->defer_fields)
		r->fields_pending = true;
	else
		nginx_fields(r);
	return true;
}

/* Skips Apache's bracketed prefix groups after the stamp: [module:level],
 * [pid N:tid M], [client A:P], [remote A:P].  Returns the message start. */
static const char *apache_groups(const char *q, const char *end, struct record *r)
{
	while (q + 1 < end && q[0] == ' ' && q[1] == '[') {
		const char *g = q + 2;
		const char *close = memchr(g, ']', (size_t)(end - g));
		size_t glen;

		if (!close)
			break;
		glen = (size_t)(close - g);
		if (glen >= 4 && memcmp(g, "pid ", 4) == 0) {
			size_t d = 4;

			while (d < glen && is_digit(g[d]))
				d++;
			r->pid = span_of(r, g + 4, d - 4);
		} else if (glen >= 7 && memcmp(g, "client ", 7) == 0) {
			r->client = span_of(r, g + 7, glen - 7);
		} else if (glen >= 7 && memcmp(g, "remote ", 7) == 0) {
			/* the proxy peer, not the client */
		} else if (!memchr(g, ' ', glen)) {
			/* [error], [core:error], [:error], [proxy_fcgi:trace3] */
			const char *colon = memchr(g, ':', glen);
			const char *w = colon ? colon + 1 : g;
			enum level l = record_level_from_word(w, (size_t)(close - w));

			if (l == LEVEL_NONE)
				break;
			r->level = l;
		} else {
			break;
		}
		q = close + 1;
	}
	if (q < end && *q == ' ')
		q++;
	/* 2.4's default ErrorLogFormat writes the OS error before the client:
	 * "(111)Connection refused: [client 203.0.113.9:51234] AH00957: …". */
	if (!r->client.len && q + 1 < end && q[0] == '(' && is_digit(q[1])) {
		const char *c = find(q, (size_t)(end - q) < 160 ? (size_t)(end - q) : 160, ": [client ", 10);
		const char *close = c ? memchr(c + 10, ']', (size_t)(end - c - 10)) : NULL;

		if (close)
			r->client = span_of(r, c + 10, (size_t)(close - c - 10));
	}
	return q;
}

/* [Fri Nov 27 10:15:02.123456 2026] [proxy_fcgi:error] [pid 811:tid 1403]
 * [client 203.0.113.9:50412] AH01071: message   (2.4; 2.2 has no fraction,
 * no module and no pid) */
static bool parse_apache(struct record_parser *p, const char *s, size_t n,
			 struct record *r)
{
	int mon, d, h, mi, sec, y;
	int32_t usec = 0;
	size_t i;
	const char *end = s + n;

	if (n < 27 || s[0] != '[' || s[4] != ' ' || s[8] != ' ' || s[11] != ' ')
		return false;
	mon = tstamp_month(s + 5);
	d = s[9] == ' ' ? digits(s + 10, 1) : digits(s + 9, 2);
	if (mon == 0 || d < 0 || !clock_at(s + 12, &h, &mi, &sec))
		return false;
	i = 20 + fraction_at(s + 20, n - 20, &usec);
	if (i + 6 > n || s[i] != ' ' || s[i + 5] != ']')
		return false;
	y = digits(s + i + 1, 4);
	if (y < 0 || !valid_civil(y, mon, d, h, mi, sec))
		return false;
	r->time = tstamp_from_local(&p->zone, y, mon, d, h, mi, sec, usec);
	r->msg = apache_groups(s + i + 6, end, r);
	r->msg_len = (size_t)(end - r->msg);
	return true;
}

/* php-fpm:   [27-Nov-2026 10:15:02] WARNING: [pool www] message
 * error_log: [27-Nov-2026 10:15:02 UTC] PHP Fatal error:  message */
static bool parse_php(struct record_parser *p, const char *s, size_t n,
		      struct record *r)
{
	int d, mon, y, h, mi, sec;
	int32_t usec = 0;
	size_t i;
	const char *end = s + n, *q, *close;
	bool utc = false;

	if (n < 23 || s[0] != '[' || s[3] != '-' || s[7] != '-' || s[12] != ' ')
		return false;
	d = digits(s + 1, 2);
	mon = tstamp_month(s + 4);
	y = digits(s + 8, 4);
	if (d < 0 || mon == 0 || y < 0 || !clock_at(s + 13, &h, &mi, &sec) ||
	    !valid_civil(y, mon, d, h, mi, sec))
		return false;
	i = 21 + fraction_at(s + 21, n - 21, &usec);
	close = memchr(s + i, ']', n - i);
	if (!close || (close != s + i && s[i] != ' '))
		return false;
	/* PHP names the zone of date.timezone; UTC is by far the most common
	 * and the only one that needs no zone database to honour. */
	if (close - (s + i) == 4 && memcmp(s + i + 1, "UTC", 3) == 0)
		utc = true;
	r->time = utc ? tstamp_from_utc(y, mon, d, h, mi, sec, usec, 0)
		      : tstamp_from_local(&p->zone, y, mon, d, h, mi, sec, usec);
	q = close + 1;
	if (q < end && *q == ' ')
		q++;
	r->msg = q;
	r->msg_len = (size_t)(end - q);
	if ((size_t)(end - q) > 4 && memcmp(q, "PHP ", 4) == 0) {
		/* "PHP Fatal error:", "PHP Warning:": the level is the last
		 * word before the colon; the message keeps it for the rules. */
		const char *colon = memchr(q, ':', (size_t)(end - q));
		const char *w;

		r->level = LEVEL_NONE;
		if (colon) {
			w = colon;
			while (w > q && w[-1] != ' ')
				w--;
			r->level = record_level_from_word(w, (size_t)(colon - w));
			if (r->level == LEVEL_NONE && colon - q >= 9 &&
			    memcmp(colon - 5, "error", 5) == 0)
				r->level = LEVEL_ERROR;
			if (r->level == LEVEL_NONE && colon - w == 10 &&
			    memcmp(w, "Deprecated", 10) == 0)
				r->level = LEVEL_INFO;
		}
	} else {
		const char *colon = memchr(q, ':', (size_t)(end - q) < 10 ? (size_t)(end - q) : 10);

		if (colon) {
			r->level = record_level_from_word(q, (size_t)(colon - q));
			if (r->level != LEVEL_NONE) {
				q = colon + 1;
				while (q < end && *q == ' ')
					q++;
				r->msg = q;
				r->msg_len = (size_t)(end - q);
			}
		}
	}
	return true;
}

/* An ISO-8601 stamp at s: "2026-11-27T10:15:02.123+01:00", with ' ' for
 * 'T', ',' for '.', and 'Z', "+0100", "+01:00" or no zone (local time).
 * Go's log package writes '/' between the date's fields; accepted too.
 * Sets r->time and *after on success. */
static bool parse_iso_stamp(struct record_parser *p, const char *s, size_t n,
			    struct record *r, const char **after)
{
	int y, mon, d, h, mi, sec;
	int32_t usec = 0, off = 0;
	bool zoned = false;
	size_t i;

	if (n < 19 || !((s[4] == '-' && s[7] == '-') || (s[4] == '/' && s[7] == '/')) ||
	    (s[10] != 'T' && s[10] != ' '))
		return false;
	if (!civil_at(s, &y, &mon, &d, &h, &mi, &sec))
		return false;
	i = 19 + fraction_at(s + 19, n - 19, &usec);
	if (i < n && s[i] == ' ' && i + 1 < n && (s[i + 1] == '+' || s[i + 1] == '-') &&
	    i + 5 < n && is_digit(s[i + 2]))
		i++; /* Apache's "[2025-07-22 15:45:51.3 +0200]" */
	if (i < n && s[i] == 'Z') {
		zoned = true;
		i++;
	} else if (i + 3 <= n && (s[i] == '+' || s[i] == '-') && is_digit(s[i + 1])) {
		int oh = digits(s + i + 1, 2), om = 0;
		size_t j = i + 3;

		if (j < n && s[j] == ':')
			j++;
		if (j + 2 <= n && is_digit(s[j])) {
			om = digits(s + j, 2);
			j += 2;
		}
		if (oh >= 0 && om >= 0) {
			off = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
			zoned = true;
			i = j;
		}
	} else if (i + 4 <= n && s[i] == ' ' && memcmp(s + i + 1, "UTC", 3) == 0) {
		zoned = true; /* PostgreSQL's "%m": "… 10:15:02.123 UTC" */
		i += 4;
	} else if (i + 5 <= n && s[i] == ' ' && s[i + 1] >= 'A' && s[i + 1] <= 'Z') {
		/* Other zone abbreviations ("PDT", "CEST") name no offset
		 * reliably: the stamp is taken as local time, the word skipped. */
		size_t j = i + 1;

		while (j < n && j - i <= 5 && s[j] >= 'A' && s[j] <= 'Z')
			j++;
		if (j - i >= 4 && (j == n || s[j] == ' ') &&
		    record_level_from_word(s + i + 1, j - i - 1) == LEVEL_NONE)
			i = j;
	}
	r->time = zoned ? tstamp_from_utc(y, mon, d, h, mi, sec, usec, off)
			: tstamp_from_local(&p->zone, y, mon, d, h, mi, sec, usec);
	r->has_offset = zoned;
	r->utc_offset = off;
	*after = s + i;
	return true;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * After a stamp: the level, wherever the common layouts put it among the
 * first few tokens — "ERROR msg", "[error] msg", "- app - ERROR - msg",
 * "[worker-1] ERROR c.e.App - msg", "local.ERROR: msg" (Monolog),
 * "12345 ERROR msg" (a pid first).  The message starts after it.
 */
static void generic_level(const char *q, const char *end, struct record *r)
{
	const char *t = q;

	for (int token = 0; token < 5 && t < end; token++) {
		const char *w, *e;
		enum level l;

		while (t < end && (*t == ' ' || *t == '\t' || *t == '-' || *t == '|'))
			t++;
		w = t;
		if (w < end && (*w == '[' || *w == '<'))
			w++;
		e = w;
		while (e < end && (is_alpha(*e) || is_digit(*e) || *e == '_' || *e == '.'))
			e++;
		/* "local.ERROR": the level is the last dotted part.  Past the
		 * first token only an upper-case or bracketed word counts, so
		 * "http: panic serving" keeps its "panic". */
		{
			const char *dot = e;
			bool shouting = true;

			while (dot > w && dot[-1] != '.')
				dot--;
			for (const char *c = dot; c < e; c++)
				shouting &= !(*c >= 'a' && *c <= 'z');
			l = e > dot && (token == 0 || shouting || w > t)
				    ? record_level_from_word(dot, (size_t)(e - dot))
				    : LEVEL_NONE;
		}
		if (l != LEVEL_NONE && (e == end || *e == ' ' || *e == ':' || *e == ']' ||
					*e == '>' || *e == '\t')) {
			r->level = l;
			if (e < end && (*e == ']' || *e == '>' || *e == ':'))
				e++;
			while (e < end && (*e == ' ' || *e == '\t' || *e == ':'))
				e++;
			if (e + 1 < end && e[0] == '-' && e[1] == ' ')
				e += 2;
			r->msg = e;
			r->msg_len = (size_t)(end - e);
			return;
		}
		/* Skip this token: a bracketed group or a word. */
		if (t < end && *t == '[') {
			const char *close = memchr(t, ']', (size_t)(end - t));

			if (!close)
				return;
			t = close + 1;
		} else {
			while (t < end && *t != ' ' && *t != '\t')
				t++;
		}
	}
}

/* Lines of no known format: an ISO-8601 stamp (bare or in brackets, as
 * Monolog writes it) and a level are taken when present; the message is
 * what follows, or the whole line. */
static bool parse_generic(struct record_parser *p, const char *s, size_t n,
			  struct record *r)
{
	const char *end = s + n, *q;
	bool bracket = n > 20 && s[0] == '[';

	r->msg = s;
	r->msg_len = n;
	if (!parse_iso_stamp(p, s + bracket, n - bracket, r, &q))
		return true;
	if (bracket) {
		if (q >= end || *q != ']') {
			r->time = TSTAMP_NONE;
			return true;
		}
		q++;
		/* Apache 2.4 with an ISO error-log stamp: its usual groups. */
		if (q + 1 < end && q[0] == ' ' && q[1] == '[') {
			r->msg = apache_groups(q, end, r);
			r->msg_len = (size_t)(end - r->msg);
			if (r->level != LEVEL_NONE) {
				r->format = FMT_APACHE_ERROR;
				return true;
			}
		}
	}
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	r->msg = q;
	r->msg_len = (size_t)(end - q);
	generic_level(q, end, r);
	return true;
}

/* ---- Ruby Logger ---- */

/* E, [2026-11-27T10:15:02.123456 #1234] ERROR -- app: message */
static bool parse_rails(struct record_parser *p, const char *s, size_t n,
			struct record *r)
{
	const char *end = s + n, *q, *close, *dash;

	if (n < 30 || !is_alpha(s[0]) || s[1] != ',' || s[2] != ' ' || s[3] != '[')
		return false;
	if (!parse_iso_stamp(p, s + 4, n - 4, r, &q))
		return false;
	close = memchr(q, ']', (size_t)(end - q));
	if (!close)
		return false;
	q = close + 1;
	while (q < end && *q == ' ')
		q++;
	dash = q;
	while (dash < end && is_alpha(*dash))
		dash++;
	r->level = record_level_from_word(q, (size_t)(dash - q));
	if (r->level == LEVEL_NONE)
		r->level = s[0] == 'E' ? LEVEL_ERROR : s[0] == 'F' ? LEVEL_CRIT
			 : s[0] == 'W' ? LEVEL_WARN : s[0] == 'I' ? LEVEL_INFO : LEVEL_DEBUG;
	q = find(dash, (size_t)(end - dash), ": ", 2);
	q = q ? q + 2 : dash;
	r->msg = q;
	r->msg_len = (size_t)(end - q);
	return true;
}

/* ---- JSON lines ---- */

/* A JSON value's extent from p: returns the byte after it, or NULL. */
static const char *json_skip(const char *p, const char *end, int depth)
{
	if (p >= end || depth > 32)
		return NULL;
	if (*p == '"') {
		for (p++; p < end; p++) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				return p + 1;
		}
		return NULL;
	}
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';

		p++;
		for (;;) {
			while (p < end && (*p == ' ' || *p == '\t' || *p == ',' || *p == ':'))
				p++;
			if (p >= end)
				return NULL;
			if (*p == close)
				return p + 1;
			p = json_skip(p, end, depth + 1);
			if (!p)
				return NULL;
		}
	}
	{
		const char *start = p;

		while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ')
			p++;
		/* A stray closer ("[1}") is no value: without this the
		 * caller's loop would never advance. */
		return p > start ? p : NULL;
	}
}

/* Appends the decoded JSON string at q (after its opening quote) to the
 * scratch buffer.  Escapes are decoded; \u escapes become UTF-8. */
static void json_append_string(struct record_parser *p, size_t *len, const char *q,
			       const char *end)
{
	char *out = p->scratch;
	size_t o = *len, cap = p->scratch_cap - 4;

	for (; q < end && *q != '"' && o < cap; q++) {
		if (*q != '\\') {
			out[o++] = *q;
			continue;
		}
		if (++q >= end)
			break;
		switch (*q) {
		case 'n': out[o++] = '\n'; break;
		case 't': out[o++] = '\t'; break;
		case 'r': out[o++] = '\r'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'u': {
			unsigned cp = 0;
			int k;

			for (k = 1; k <= 4 && q + k < end && ascii_hex_value((unsigned char)q[k]) >= 0; k++)
				cp = cp * 16 + (unsigned)ascii_hex_value((unsigned char)q[k]);
			q += k - 1;
			if (cp < 0x80) {
				out[o++] = (char)cp;
			} else if (cp < 0x800) {
				out[o++] = (char)(0xc0 | (cp >> 6));
				out[o++] = (char)(0x80 | (cp & 0x3f));
			} else {
				out[o++] = (char)(0xe0 | (cp >> 12));
				out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
				out[o++] = (char)(0x80 | (cp & 0x3f));
			}
			break;
		}
		default: out[o++] = *q; break;
		}
	}
	*len = o;
}

static bool key_is(const char *k, size_t klen, const char *const *names)
{
	for (; *names; names++)
		if (strlen(*names) == klen && memcmp(k, *names, klen) == 0)
			return true;
	return false;
}

static enum level json_level(const char *v, const char *vend)
{
	if (v < vend && *v == '"') {
		const char *e = memchr(v + 1, '"', (size_t)(vend - v - 1));
		size_t n = e ? (size_t)(e - v - 1) : 0;

		/* MongoDB's one-letter severities. */
		if (n == 1) {
			switch (v[1]) {
			case 'F': return LEVEL_CRIT;
			case 'E': return LEVEL_ERROR;
			case 'W': return LEVEL_WARN;
			case 'I': return LEVEL_INFO;
			case 'D': return LEVEL_DEBUG;
			}
		}
		return record_level_from_word(v + 1, n);
	}
	if (v < vend && is_digit(*v)) {
		long x = strtol(v, NULL, 10);

		/* bunyan and pino: 10 trace … 60 fatal; Nextcloud and others:
		 * 0 debug … 4 fatal. */
		if (x >= 10)
			return x >= 60 ? LEVEL_CRIT : x >= 50 ? LEVEL_ERROR : x >= 40 ? LEVEL_WARN
			     : x >= 30 ? LEVEL_INFO : LEVEL_DEBUG;
		return x >= 4 ? LEVEL_CRIT : x == 3 ? LEVEL_ERROR : x == 2 ? LEVEL_WARN
		     : x == 1 ? LEVEL_INFO : LEVEL_DEBUG;
	}
	return LEVEL_NONE;
}

static void json_time(struct record_parser *p, const char *v, const char *vend,
		      struct record *r)
{
	const char *after;

	if (v < vend && *v == '"') {
		parse_iso_stamp(p, v + 1, (size_t)(vend - v - 1), r, &after);
	} else if (v < vend && *v == '{') {
		/* MongoDB: {"$date": "…"} */
		const char *d = find(v, (size_t)(vend - v), "\"$date\"", 7);

		if (d && (d = memchr(d + 7, '"', (size_t)(vend - d - 7))) != NULL)
			parse_iso_stamp(p, d + 1, (size_t)(vend - d - 1), r, &after);
	} else if (v < vend && is_digit(*v)) {
		double x = strtod(v, NULL);

		/* Epoch seconds, or milliseconds when implausibly large. */
		if (x > 1e12)
			x /= 1000;
		if (x > 0 && x < 4e9)
			r->time = (int64_t)(x * 1e6);
	}
}

/* JSON access lines are left to parse_access (below): see there. */
static bool parse_access_json(struct record_parser *p, const char *s, size_t n,
			      struct record *r);

/*
 * {"time": …, "level": …, "msg": …, "error": {"message": …}}: the time,
 * level and text under the usual keys.  The text rules see is the message,
 * then the error fields, joined by newlines; it is decoded from JSON into
 * the parser's scratch buffer.
 */
static bool parse_json(struct record_parser *p, const char *s, size_t n, struct record *r)
{
	static const char *const time_keys[] = { "time", "timestamp", "@timestamp", "ts", "t", NULL };
	static const char *const level_keys[] = { "level", "severity", "lvl", "s", "loglevel", NULL };
	static const char *const msg_keys[] = { "msg", "message", NULL };
	static const char *const err_keys[] = { "error", "err", "exception", "stack", "stack_trace", NULL };
	const char *end = s + n, *q = s;
	size_t len = 0;
	bool status = false;

	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (q >= end || *q != '{' || end[-1] != '}')
		return false;
	if (!p->scratch) {
		p->scratch_cap = LINES_DEFAULT_MAX + 64;
		p->scratch = malloc(p->scratch_cap);
		if (!p->scratch)
			return false;
	}
	q++;
	for (int pass = 0; pass < 2; pass++) {
		/* Two passes so the message comes first whatever the key order. */
		const char *k = q;

		while (k < end) {
			const char *kend, *v, *vend;
			size_t klen;

			while (k < end && (*k == ' ' || *k == ',' || *k == '\t'))
				k++;
			if (k >= end || *k != '"')
				break;
			kend = json_skip(k, end, 0);
			if (!kend)
				return false;
			klen = (size_t)(kend - k - 2);
			v = kend;
			while (v < end && (*v == ' ' || *v == ':'))
				v++;
			vend = json_skip(v, end, 0);
			if (!vend)
				return false;
			if (pass == 0) {
				if (key_is(k + 1, klen, time_keys) && r->time == TSTAMP_NONE)
					json_time(p, v, vend, r);
				else if (key_is(k + 1, klen, level_keys) && r->level == LEVEL_NONE)
					r->level = json_level(v, vend);
				else if (key_is(k + 1, klen, msg_keys) && *v == '"' && len == 0)
					json_append_string(p, &len, v + 1, vend);
				else if (klen == 6 && memcmp(k + 1, "status", 6) == 0)
					status = true;
			} else if (key_is(k + 1, klen, err_keys)) {
				if (len && len < p->scratch_cap - 8)
					p->scratch[len++] = '\n';
				if (*v == '"') {
					json_append_string(p, &len, v + 1, vend);
				} else {
					/* An object: its message and stack. */
					const char *m = find(v, (size_t)(vend - v), "\"message\"", 9);

					if (m && (m = memchr(m + 9, '"', (size_t)(vend - m - 9))) != NULL)
						json_append_string(p, &len, m + 1, vend);
					else if (len)
						len--;
				}
			}
			k = vend;
		}
		/* JSON is tried before access logs: a JSON access line is
		 * left to parse_access, unless the user said json. */
		if (pass == 0 && status && !p->forced && parse_access_json(p, s, n, r))
			return false;
	}
	r->msg = p->scratch;
	r->msg_len = len;
	return true;
}

/* ---- access logs ---- */

/*
 * nginx and Apache access logs, in the layouts servers ship and admins
 * commonly extend:
 *
 *   [vhost ]client ident user [stamp] "request" status bytes ["referer" "agent"] [extras]
 *
 * where extras are nginx key=value pairs (rt=0.123 urt="0.120" us="502") or
 * bare numbers ("$request_time $upstream_response_time"); and one JSON
 * object per line with a status and a request.  Their fields feed the join
 * of responses to the error records that explain them.
 */

/* A decimal "12.345" filling [s, e), in microseconds.  The integer part is
 * bounded so that the product cannot overflow. */
static bool decimal_us(const char *s, const char *e, bool need_dot, int64_t *out)
{
	const char *q = s;
	int64_t whole = 0;
	int32_t frac = 0;

	while (q < e && is_digit(*q) && q - s < 12)
		whole = whole * 10 + (*q++ - '0');
	if (q == s)
		return false;
	if (q < e && *q == '.') {
		size_t used = fraction_at(q, (size_t)(e - q), &frac);

		if (!used)
			return false;
		q += used;
	} else if (need_dot) {
		return false;
	}
	if (q != e)
		return false;
	*out = whole * TSTAMP_US_PER_SEC + frac;
	return true;
}

/* "27/Nov/2026:10:15:02 +0900" at s, as nginx's $time_local and Apache's %t
 * write it, with an optional fraction of a second (Apache's %{msec_frac}t
 * layouts).  Returns the bytes it takes, or 0. */
static size_t clf_stamp(const char *s, size_t n, int64_t *t, int32_t *offset)
{
	int d, mon, y, h, mi, sec, oh, om;
	int32_t usec;
	size_t i;

	if (n < 26 || s[2] != '/' || s[6] != '/' || s[11] != ':')
		return 0;
	d = digits(s, 2);
	mon = tstamp_month(s + 3);
	y = digits(s + 7, 4);
	if (d < 0 || mon == 0 || y < 0 || !clock_at(s + 12, &h, &mi, &sec) ||
	    !valid_civil(y, mon, d, h, mi, sec))
		return 0;
	i = 20 + fraction_at(s + 20, n - 20, &usec);
	if (i + 6 > n || s[i] != ' ' || (s[i + 1] != '+' && s[i + 1] != '-'))
		return 0;
	oh = digits(s + i + 2, 2);
	om = digits(s + i + 4, 2);
	if (oh < 0 || oh > 14 || om < 0 || om > 59)
		return 0;
	*offset = (oh * 3600 + om * 60) * (s[i + 1] == '-' ? -1 : 1);
	*t = tstamp_from_utc(y, mon, d, h, mi, sec, usec, *offset);
	return i + 6;
}

/* The closing quote of a quoted field whose text starts at q, or NULL.
 * Apache writes a quote inside the field as \" (nginx as \x22), so a quote
 * after an odd run of backslashes is text. */
static const char *quote_end(const char *q, const char *end)
{
	const char *start = q;

	for (;;) {
		const char *c = memchr(q, '"', (size_t)(end - q));
		const char *b;

		if (!c)
			return NULL;
		for (b = c; b > start && b[-1] == '\\'; b--)
			;
		if ((c - b) % 2 == 0)
			return c;
		q = c + 1;
	}
}

/* One key=value extra.  Only the request time has a field of its own; the
 * upstream's times and status are recognised so that they are not taken
 * for bare numbers, and then dropped. */
static void access_extra(struct record *r, const char *k, size_t klen, const char *v,
			 const char *ve, int64_t *kv_us)
{
	if ((klen == 2 && memcmp(k, "rt", 2) == 0) ||
	    (klen == 12 && memcmp(k, "request_time", 12) == 0)) {
		if (!decimal_us(v, ve, false, kv_us))
			*kv_us = -1;
	} else if (((klen == 4 && memcmp(k, "host", 4) == 0) ||
		    (klen == 5 && memcmp(k, "vhost", 5) == 0)) && !r->host.len) {
		r->host = span_of(r, v, (size_t)(ve - v));
	} else if (klen == 13 && memcmp(k, "upstream_addr", 13) == 0) {
		r->upstream = span_of(r, v, (size_t)(ve - v));
	}
}

/* After the request: status, bytes, then whatever the format appends. */
static void access_tail(const char *q, const char *end, struct record *r)
{
	int64_t kv_us = -1, bare_us = -1;
	const char *e;

	if (q < end && *q == ' ') {
		q++;
		e = memchr(q, ' ', (size_t)(end - q));
		if (!e)
			e = end;
		if (e - q == 3) {
			int status = digits(q, 3);

			r->status = status >= 100 && status <= 599 ? status : 0;
		}
		q = e;
	}
	while (q < end) {
		const char *t = q;

		if (*q == ' ') {
			q++;
			continue;
		}
		if (*q == '"') {
			if (!(e = quote_end(q + 1, end)))
				break;
			q = e + 1;
			/* Only a number after the last quoted field is taken
			 * for $request_time: before it, it is something else. */
			bare_us = -1;
			continue;
		}
		while (q < end && *q != ' ' && *q != '=')
			q++;
		if (q < end && *q == '=') {
			const char *eq = q, *v = q + 1;

			if (v < end && *v == '"') {
				if (!(e = quote_end(++v, end)))
					break;
				q = e + 1;
			} else {
				e = memchr(v, ' ', (size_t)(end - v));
				if (!e)
					e = end;
				q = e;
			}
			access_extra(r, t, (size_t)(eq - t), v, e, &kv_us);
		} else if (bare_us < 0 && !decimal_us(t, q, true, &bare_us)) {
			bare_us = -1;
		}
	}
	r->request_us = kv_us >= 0 ? kv_us : bare_us;
}

/* 203.0.113.9 - - [27/Nov/2026:10:15:02 +0100] "GET /cart HTTP/1.1" 502 157 …
 * and with a leading virtual host (Apache's vhost_combined, nginx formats
 * that start with $host): four tokens before the stamp instead of three. */
static bool parse_access_text(struct record_parser *p, const char *s, size_t n,
			      struct record *r)
{
	const char *end = s + n, *q = s, *tok[4], *tok_end[4], *req, *req_end, *after;
	int ntok = 0;
	size_t used;
	int64_t t;

	while (q < end && *q != '[') {
		const char *e = memchr(q, ' ', (size_t)(end - q));

		if (ntok == 4 || !e || e == q)
			return false;
		tok[ntok] = q;
		tok_end[ntok++] = e;
		q = e + 1;
	}
	if (ntok < 3 || q >= end)
		return false;
	/* "client - john doe [": a user name with a space, not a vhost. */
	if (ntok == 4 && tok_end[1] - tok[1] == 1 && *tok[1] == '-' &&
	    !(tok_end[2] - tok[2] == 1 && *tok[2] == '-')) {
		tok[1] = tok[0];
		tok_end[1] = tok_end[0];
	} else if (ntok == 4) {
		r->host = span_of(r, tok[0], (size_t)(tok_end[0] - tok[0]));
	}
	q++;
	used = clf_stamp(q, (size_t)(end - q), &t, &r->utc_offset);
	if (used) {
		r->time = t;
		r->has_offset = true;
		q += used;
	} else if (parse_iso_stamp(p, q, (size_t)(end - q), r, &after)) {
		q = after; /* "[$time_iso8601]" */
	} else {
		return false;
	}
	if (end - q < 3 || q[0] != ']' || q[1] != ' ' || q[2] != '"')
		return false;
	req = q + 3;
	req_end = quote_end(req, end);
	if (!req_end)
		return false;
	r->client = span_of(r, tok[ntok - 3], (size_t)(tok_end[ntok - 3] - tok[ntok - 3]));
	r->request = span_of(r, req, (size_t)(req_end - req));
	access_tail(req_end + 1, end, r);
	return true;
}

/* Fields of JSON access logs. */
enum {
	JA_STATUS, JA_REQUEST, JA_METHOD, JA_URI, JA_TIME, JA_CLIENT, JA_HOST,
	JA_SERVER, JA_RTIME, JA_UPSTREAM,
	JA_ERROR, /* a key that makes the line an error record (level, msg) */
	JA_COUNT
};

/*
 * The keys JSON access logs use (nginx's variable names, and what other
 * servers and log shippers write), by field.  Where a line has several keys
 * of one field the earlier in this table wins: request_uri keeps the query
 * string that $uri drops, msec has the fraction that $time_local lacks.  To
 * add a spelling, insert it after the better ones of its field.
 */
#define JA_KEY(name, field) { name, sizeof name - 1, field }
static const struct {
	char name[16];
	unsigned char len, field;
} json_access_keys[] = {
	JA_KEY("status", JA_STATUS),
	JA_KEY("request", JA_REQUEST),
	JA_KEY("method", JA_METHOD),
	JA_KEY("request_method", JA_METHOD),
	JA_KEY("request_uri", JA_URI),
	JA_KEY("uri", JA_URI),
	JA_KEY("path", JA_URI),
	JA_KEY("url", JA_URI),
	JA_KEY("msec", JA_TIME),
	JA_KEY("time", JA_TIME),
	JA_KEY("time_iso8601", JA_TIME),
	JA_KEY("@timestamp", JA_TIME),
	JA_KEY("timestamp", JA_TIME),
	JA_KEY("time_local", JA_TIME),
	JA_KEY("remote_addr", JA_CLIENT),
	JA_KEY("client_ip", JA_CLIENT),
	JA_KEY("remote_ip", JA_CLIENT),
	JA_KEY("client", JA_CLIENT),
	JA_KEY("ip", JA_CLIENT),
	JA_KEY("host", JA_HOST),
	JA_KEY("http_host", JA_HOST),
	JA_KEY("vhost", JA_HOST),
	JA_KEY("server_name", JA_SERVER),
	JA_KEY("request_time", JA_RTIME),
	JA_KEY("rt", JA_RTIME),
	JA_KEY("upstream_addr", JA_UPSTREAM),
	JA_KEY("level", JA_ERROR),
	JA_KEY("severity", JA_ERROR),
	JA_KEY("lvl", JA_ERROR),
	JA_KEY("loglevel", JA_ERROR),
	JA_KEY("msg", JA_ERROR),
	JA_KEY("message", JA_ERROR),
};
#undef JA_KEY

static int json_access_key(const char *k, size_t klen)
{
	for (size_t i = 0; i < sizeof json_access_keys / sizeof json_access_keys[0]; i++)
		if (json_access_keys[i].len == klen && memcmp(k, json_access_keys[i].name, klen) == 0)
			return (int)i;
	return -1;
}

/* A non-empty JSON string's contents, escapes and all. */
static bool json_str(const char *v, const char *ve, const char **a, const char **b)
{
	if (!v || ve - v < 3 || *v != '"')
		return false;
	*a = v + 1;
	*b = ve - 1;
	return true;
}

/* A number or a string holding one, as JSON formats quote what the server
 * variable writes: "status": 502 or "status": "502". */
static void json_num(const char **v, const char **ve)
{
	if (*ve - *v >= 2 && **v == '"') {
		(*v)++;
		(*ve)--;
	}
}

/* "2026-11-27T10:15:02+09:00", "27/Nov/2026:10:15:02 +0900", or epoch
 * seconds with a fraction ($msec), bare or quoted. */
static void json_access_time(struct record_parser *p, const char *v, const char *ve,
			     struct record *r)
{
	const char *after;
	int64_t t;

	json_num(&v, &ve);
	if (clf_stamp(v, (size_t)(ve - v), &t, &r->utc_offset) == (size_t)(ve - v)) {
		r->time = t;
		r->has_offset = true;
	} else if (parse_iso_stamp(p, v, (size_t)(ve - v), r, &after)) {
		/* r->time is set */
	} else if (ve - v == 13 && decimal_us(v, v + 10, false, &t) && digits(v + 10, 3) >= 0) {
		r->time = t + digits(v + 10, 3) * 1000; /* epoch milliseconds */
	} else if (decimal_us(v, ve, false, &t) && t > 0 &&
		   t < INT64_C(4000000000) * TSTAMP_US_PER_SEC) {
		r->time = t;
	}
}

/*
 * {"time":…,"remote_addr":…,"request":"GET /x HTTP/1.1","status":502,…}, or
 * with "method" and "uri" apart.  A status and a request make an access
 * record; a level or a message make it an application's error record, which
 * parse_json takes.  Nothing is written to *r unless the line is one.
 */
static bool parse_access_json(struct record_parser *p, const char *s, size_t n,
			      struct record *r)
{
	const char *end = s + n, *k = s, *val[JA_COUNT] = { 0 }, *val_end[JA_COUNT] = { 0 };
	const char *a, *b, *ma, *mb;
	int rank[JA_COUNT] = { 0 }, status;

	while (k < end && (*k == ' ' || *k == '\t'))
		k++;
	if (k >= end || *k != '{' || end[-1] != '}')
		return false;
	k++;
	/* One walk over the top-level keys, remembering the best value of
	 * each field: the values are read once the shape is known. */
	for (;;) {
		const char *kend, *v, *vend;
		int i;

		while (k < end && (*k == ' ' || *k == '\t'))
			k++;
		if (k >= end || *k != '"' || !(kend = json_skip(k, end, 0)))
			return false;
		for (v = kend; v < end && (*v == ' ' || *v == '\t'); v++)
			;
		if (v >= end || *v != ':')
			return false;
		for (v++; v < end && (*v == ' ' || *v == '\t'); v++)
			;
		if (!(vend = json_skip(v, end, 0)))
			return false;
		i = json_access_key(k + 1, (size_t)(kend - k - 2));
		if (i >= 0) {
			int f = json_access_keys[i].field;

			if (!val[f] || i < rank[f]) {
				val[f] = v;
				val_end[f] = vend;
				rank[f] = i;
			}
		}
		for (k = vend; k < end && (*k == ' ' || *k == '\t'); k++)
			;
		if (k + 1 == end && *k == '}')
			break;
		if (k >= end || *k != ',')
			return false;
		k++;
	}
	if (val[JA_ERROR] || !val[JA_STATUS])
		return false;
	a = val[JA_STATUS];
	b = val_end[JA_STATUS];
	json_num(&a, &b);
	status = b - a == 3 ? digits(a, 3) : -1;
	if (status < 100 || status > 599)
		return false;
	if (json_str(val[JA_REQUEST], val_end[JA_REQUEST], &a, &b)) {
		r->request = span_of(r, a, (size_t)(b - a));
	} else if (json_str(val[JA_METHOD], val_end[JA_METHOD], &ma, &mb) &&
		   json_str(val[JA_URI], val_end[JA_URI], &a, &b)) {
		r->method = span_of(r, ma, (size_t)(mb - ma));
		r->request = span_of(r, a, (size_t)(b - a));
	} else {
		return false;
	}
	r->status = status;
	if (json_str(val[JA_CLIENT], val_end[JA_CLIENT], &a, &b))
		r->client = span_of(r, a, (size_t)(b - a));
	if (json_str(val[JA_SERVER], val_end[JA_SERVER], &a, &b))
		r->server = span_of(r, a, (size_t)(b - a));
	if (json_str(val[JA_HOST], val_end[JA_HOST], &a, &b))
		r->host = span_of(r, a, (size_t)(b - a));
	else
		r->host = r->server;
	if (json_str(val[JA_UPSTREAM], val_end[JA_UPSTREAM], &a, &b))
		r->upstream = span_of(r, a, (size_t)(b - a));
	if (val[JA_RTIME]) {
		a = val[JA_RTIME];
		b = val_end[JA_RTIME];
		json_num(&a, &b);
		if (!decimal_us(a, b, false, &r->request_us))
			r->request_us = -1;
	}
	if (val[JA_TIME])
		json_access_time(p, val[JA_TIME], val_end[JA_TIME], r);
	return true;
}

/* The whole line is the message: rules never see access records, and
 * --events shows them as written. */
static bool parse_access(struct record_parser *p, const char *s, size_t n,
			 struct record *r)
{
	const char *q = s;

	while (q < s + n && (*q == ' ' || *q == '\t'))
		q++;
	if (q < s + n && *q == '{') {
		if (!parse_access_json(p, s, n, r))
			return false;
	} else if (!parse_access_text(p, s, n, r)) {
		return false;
	}
	r->level = LEVEL_NONE;
	r->msg = s;
	r->msg_len = n;
	return true;
}

/* ---- syslog ---- */

/* After a syslog header: "host tag[pid]: payload" or "host tag: payload".
 * Returns the payload, or NULL when the text is not shaped so.  The host
 * and tag are one token each; the tag may carry "[pid]" or "(sub)". */
static const char *syslog_tail(const char *q, const char *end, const char *base,
			       struct span *pid_out)
{
	const char *t;

	/* "[12345] LOG: …" after a stamp is PostgreSQL, not a host and tag. */
	if (q < end && *q == '[')
		return NULL;
	while (q < end && *q != ' ')
		q++;                       /* host */
	if (q >= end)
		return NULL;
	q++;
	t = q;
	while (q < end && *q != ' ' && *q != ':')
		q++;                       /* tag[pid] */
	if (pid_out && q - t > 3 && q[-1] == ']') {
		const char *open = memchr(t, '[', (size_t)(q - t));

		if (open)
			*pid_out = (struct span){ (uint32_t)(open + 1 - base), (uint32_t)(q - open - 2) };
	}
	if (q == t || q + 1 >= end || q[0] != ':' || q[1] != ' ' ||
	    record_level_from_word(t, (size_t)(q - t)) != LEVEL_NONE)
		return NULL;
	return q + 2;
}

/* A syslog payload may itself be a line of a known format (nginx logging
 * to syslog writes its own stamp and level): take its message and fields. */
static void syslog_payload(struct record_parser *p, const char *payload, const char *end,
			   struct record *r)
{
	struct record inner = *r;
	size_t n = (size_t)(end - payload);

	r->msg = payload;
	r->msg_len = n;
	inner.text = payload;
	inner.len = n;
	if (parse_nginx(p, payload, n, &inner) || parse_php(p, payload, n, &inner)) {
		int64_t outer_time = r->time;

		r->msg = inner.msg;
		r->msg_len = inner.msg_len;
		r->level = inner.level;
		r->time = inner.time != TSTAMP_NONE ? inner.time : outer_time;
		/* Spans are relative to the inner text: move them to ours. */
		r->client = inner.client;
		r->server = inner.server;
		r->host = inner.host;
		r->request = inner.request;
		r->upstream = inner.upstream;
		r->pid = inner.pid;
		{
			uint32_t shift = (uint32_t)(payload - r->text);
			struct span *sp[] = { &r->client, &r->server, &r->host, &r->request,
					      &r->upstream, &r->pid };

			for (size_t i = 0; i < sizeof sp / sizeof sp[0]; i++)
				if (sp[i]->len)
					sp[i]->off += shift;
		}
	}
}

/* "<PRI>" at s: returns bytes consumed (0 when absent) and the severity. */
static size_t syslog_pri(const char *s, size_t n, enum level *level)
{
	size_t i = 1;
	int pri = 0;

	if (n < 3 || s[0] != '<')
		return 0;
	while (i < n && i < 5 && is_digit(s[i]))
		pri = pri * 10 + (s[i++] - '0');
	if (i == 1 || i >= n || s[i] != '>' || pri > 191)
		return 0;
	*level = (enum level)(pri & 7);
	return i + 1;
}

/* RFC 3164: [<PRI>]Nov 27 10:15:02 host tag[pid]: message
 * RFC 5424: <PRI>1 2026-11-27T10:15:02.003Z host app procid msgid - message */
static bool parse_syslog(struct record_parser *p, const char *s, size_t n,
			 struct record *r)
{
	enum level level = LEVEL_NONE;
	size_t i = syslog_pri(s, n, &level);
	const char *end = s + n, *payload;
	int mon, d, h, mi, sec;

	if (i > 0 && i + 2 < n && s[i] == '1' && s[i + 1] == ' ') {
		/* RFC 5424: the stamp is ISO-8601; "-" stands for nil. */
		struct record stamp = *r;
		const char *q;
		int fields = 0;

		if (!parse_iso_stamp(p, s + i + 2, n - i - 2, &stamp, &q))
			return false;
		r->time = stamp.time;
		/* host, app, procid, msgid, then structured data. */
		while (q < end && fields < 4) {
			while (q < end && *q == ' ')
				q++;
			while (q < end && *q != ' ')
				q++;
			fields++;
		}
		while (q < end && *q == ' ')
			q++;
		if (q < end && *q == '[') {
			while (q < end && *q != ']')
				q++;
			if (q < end)
				q++;
		} else if (q < end && *q == '-') {
			q++;
		}
		while (q < end && *q == ' ')
			q++;
		r->level = level;
		r->msg = q;
		r->msg_len = (size_t)(end - q);
		return true;
	}
	if (i == 0 && n > 25 && is_digit(s[0]) && s[4] == '-' && s[10] == 'T') {
		/* journalctl -o short-iso: an ISO stamp with its zone, then
		 * host and tag.  ("2026/11/27 10:15:02 open /etc/x: …" is Go's
		 * log package, not a host and tag.) */
		const char *q;

		if (!parse_iso_stamp(p, s, n, r, &q) || q >= end || *q != ' ' ||
		    (q[-1] != 'Z' && !memchr(s + 19, '+', (size_t)(q - s - 19)) &&
		     !memchr(s + 19, '-', (size_t)(q - s - 19))) ||
		    !(payload = syslog_tail(q + 1, end, r->text, &r->pid))) {
			r->time = TSTAMP_NONE;
			return false;
		}
		syslog_payload(p, payload, end, r);
		return true;
	}
	if (n < i + 16 || s[i + 3] != ' ' || s[i + 6] != ' ')
		return false;
	mon = tstamp_month(s + i);
	d = s[i + 4] == ' ' ? digits(s + i + 5, 1) : digits(s + i + 4, 2);
	if (mon == 0 || d < 1 || !clock_at(s + i + 7, &h, &mi, &sec) || s[i + 15] != ' ')
		return false;
	payload = syslog_tail(s + i + 16, end, r->text, &r->pid);
	if (!payload)
		return false;
	/* The year is not written: the current year, stepping forward when
	 * the months wrap (a log crossing New Year) and back when a stamp
	 * would lie in the future. */
	if (p->syslog_month && mon < p->syslog_month && p->syslog_month - mon > 6)
		p->syslog_year++;
	r->time = tstamp_from_local(&p->zone, p->syslog_year, mon, d, h, mi, sec, 0);
	if (p->syslog_month == 0 && r->time / TSTAMP_US_PER_SEC > (int64_t)time(NULL) + 86400) {
		p->syslog_year--;
		r->time = tstamp_from_local(&p->zone, p->syslog_year, mon, d, h, mi, sec, 0);
	}
	p->syslog_month = mon;
	r->level = level;
	syslog_payload(p, payload, end, r);
	return true;
}

static const struct {
	const char *name;
	parse_fn parse;
} formats[FMT_COUNT] = {
	[FMT_GENERIC] = { "generic", parse_generic },
	[FMT_NGINX_ERROR] = { "nginx-error", parse_nginx },
	[FMT_APACHE_ERROR] = { "apache-error", parse_apache },
	[FMT_PHP_FPM] = { "php-fpm", parse_php },
	[FMT_SYSLOG] = { "syslog", parse_syslog },
	[FMT_JSON] = { "json", parse_json },
	[FMT_RAILS] = { "rails", parse_rails },
	[FMT_ACCESS] = { "access", parse_access },
};

void record_parser_init(struct record_parser *p, enum log_format forced,
			const struct tzone *zone)
{
	time_t now = time(NULL);
	struct tm tm;

	memset(p, 0, sizeof *p);
	p->forced = forced != FMT_COUNT;
	p->format = p->forced ? forced : FMT_GENERIC;
	p->zone = *zone;
	localtime_r(&now, &tm);
	p->syslog_year = tm.tm_year + 1900;
}

struct parser_state record_parser_state(const struct record_parser *p)
{
	struct parser_state st = { p->format, p->syslog_year, p->syslog_month };

	return st;
}

void record_parser_set_state(struct record_parser *p, const struct parser_state *st)
{
	p->format = st->format;
	p->syslog_year = st->syslog_year;
	p->syslog_month = st->syslog_month;
}

bool parser_state_equal(const struct parser_state *a, const struct parser_state *b)
{
	return a->format == b->format && a->syslog_year == b->syslog_year &&
	       a->syslog_month == b->syslog_month;
}

void record_parser_set_zone(struct record_parser *p, const struct tzone *zone)
{
	p->zone = *zone;
	p->stamp_known = false;
}

void record_parser_release(struct record_parser *p)
{
	free(p->scratch);
	p->scratch = NULL;
	p->scratch_cap = 0;
}

static void record_clear(struct record *r, const char *line, size_t len,
			 uint64_t line_no, bool truncated)
{
	/* Every line comes here.  memset (or a const blank, which GCC folds
	 * into one) of the struct compiles to `rep stos`, whose start-up
	 * cost a fifth of parsing an nginx line; a copy of a blank it cannot
	 * fold is a few vector moves.  Never written. */
	static struct record blank = {
		.core_len = SIZE_MAX,
		.format = FMT_GENERIC,
		.level = LEVEL_NONE,
		.time = TSTAMP_NONE,
		.request_us = -1,
	};

	*r = blank;
	r->text = line;
	r->len = len;
	r->msg = line;
	r->msg_len = len;
	r->line = line_no;
	r->truncated = truncated;
}

static void record_parse_any(struct record_parser *p, const char *line, size_t len,
			     uint64_t line_no, bool truncated, struct record *r)
{
	record_clear(r, line, len, line_no, truncated);
	if (p->forced || p->format != FMT_GENERIC) {
		if (formats[p->format].parse(p, line, len, r)) {
			r->format = p->format;
			return;
		}
		record_clear(r, line, len, line_no, truncated);
		/* A line that does not fit a forced format is still a record,
		 * of the whole line. */
		if (p->forced)
			return;
	}
	for (int f = FMT_GENERIC + 1; f < FMT_COUNT; f++) {
		if (f == (int)p->format)
			continue;
		if (formats[f].parse(p, line, len, r)) {
			r->format = (enum log_format)f;
			p->format = (enum log_format)f;
			return;
		}
		record_clear(r, line, len, line_no, truncated);
	}
	parse_generic(p, line, len, r);
}

void record_parse(struct record_parser *p, const char *line, size_t len,
		  uint64_t line_no, bool truncated, struct record *r)
{
	record_parse_any(p, line, len, line_no, truncated, r);
	/* Every parser keeps the message inside the line (or, for JSON, the
	 * scratch buffer); should one ever step past the end on a hostile
	 * line, the whole line is the message rather than a wild span. */
	if (!((r->msg >= line && r->msg <= line + len && r->msg_len <= (size_t)(line + len - r->msg)) ||
	      (p->scratch && r->msg >= p->scratch && r->msg_len <= p->scratch_cap &&
	       r->msg <= p->scratch + p->scratch_cap - r->msg_len))) {
		r->msg = line;
		r->msg_len = len;
		r->core_len = len;
	}
	if (r->core_len > r->msg_len)
		r->core_len = r->msg_len;
}

/*
 * Where nginx's trailing fields stop being the server's own words: from
 * the request on (request, upstream, host, referrer) they are what the
 * client sent, and a scanner's "GET /?id=SQLSTATE[HY000]" must not make a
 * 404 a database outage.  client and server stay: the client's address is
 * the server's observation, and rules read ", client:" after a message.
 */
static size_t nginx_match_len(struct record *r, size_t *split)
{
	static const char *const written[] = { "request: ", "host: ", "referrer: " };
	const char *end = r->msg + r->msg_len;
	const char *p = nginx_client(r);

	if (r->fields_pending && !r->client_known) {
		r->core_len = p ? (size_t)(p - r->msg) : r->msg_len;
		r->client_known = true;
	}
	if (!p)
		return *split = r->msg_len;
	/* The message repeats up to the address; the address varies. */
	*split = (size_t)(p - r->msg) + sizeof nginx_client_lead - 1;
	for (p += sizeof nginx_client_lead - 1; (p = memchr(p, ',', (size_t)(end - p))) != NULL; p++) {
		if (end - p < 2 || p[1] != ' ')
			continue;
		for (size_t i = 0; i < sizeof written / sizeof written[0]; i++) {
			size_t k = strlen(written[i]);

			if ((size_t)(end - p - 2) >= k && memcmp(p + 2, written[i], k) == 0)
				return (size_t)(p - r->msg);
		}
	}
	return r->msg_len;
}

size_t record_match_view(struct record *r, size_t *split)
{
	static const char referer[] = ", referer: ";
	const char *p;

	switch (r->format) {
	case FMT_NGINX_ERROR:
		return nginx_match_len(r, split);
	case FMT_APACHE_ERROR:
		/* Apache 2.4 ends a line with the client's Referer header. */
		p = find(r->msg, r->msg_len, referer, sizeof referer - 1);
		return *split = p ? (size_t)(p - r->msg) : r->msg_len;
	default:
		return *split = r->msg_len;
	}
}

size_t record_match_len(const struct record *r)
{
	struct record copy = *r;
	size_t split;

	return record_match_view(&copy, &split);
}

void record_fields(struct record *r)
{
	if (!r->fields_pending)
		return;
	r->fields_pending = false;
	nginx_fields(r);
}

void record_joined(struct record *r)
{
	r->core_len = r->msg_len;
	r->client_known = false; /* the message grew */
	/* Pending fields will be looked for over the whole text anyway. */
	if (r->format == FMT_NGINX_ERROR && !r->fields_pending) {
		r->client = r->server = r->host = r->request = r->upstream = (struct span){ 0, 0 };
		nginx_fields(r);
	}
}

size_t record_request_path(const struct record *r, const char **path)
{
	struct request_parts rq;
	const char *q;

	if (!record_request_parts(r, &rq)) {
		*path = r->text;
		return 0;
	}
	*path = rq.uri;
	q = memchr(rq.uri, '?', rq.uri_len);
	return q ? (size_t)(q - rq.uri) : rq.uri_len;
}

size_t record_client_address(const struct record *r, const char **out)
{
	const char *s = r->text + r->client.off, *colon;
	size_t n = r->client.len;

	*out = s;
	if (n && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (close) {
			*out = s + 1;
			return (size_t)(close - s - 1);
		}
	}
	/* One colon: IPv4 with a port; more: an IPv6 address, whole. */
	colon = memchr(s, ':', n);
	if (colon && !memchr(colon + 1, ':', n - (size_t)(colon - s) - 1))
		return (size_t)(colon - s);
	return n;
}

bool record_request_parts(const struct record *r, struct request_parts *out)
{
	const char *q = r->text + r->request.off, *end = q + r->request.len, *sp;

	if (!r->request.len)
		return false;
	if (r->method.len) {
		out->method = r->text + r->method.off;
		out->method_len = r->method.len;
		out->uri = q;
		out->uri_len = r->request.len;
		return true;
	}
	sp = memchr(q, ' ', r->request.len);
	if (!sp) { /* "GET" alone, or a bare URI */
		out->method = q;
		out->method_len = 0;
		out->uri = q;
		out->uri_len = r->request.len;
		return true;
	}
	out->method = q;
	out->method_len = (size_t)(sp - q);
	out->uri = sp + 1;
	/* The protocol is the last word, when there are three. */
	for (end--; end > out->uri && *end != ' '; end--)
		;
	out->uri_len = end > out->uri ? (size_t)(end - out->uri) : r->request.len - out->method_len - 1;
	return true;
}

const char *record_format_name(enum log_format f)
{
	return formats[f].name;
}

enum log_format record_format_from_name(const char *name)
{
	for (int f = 0; f < FMT_COUNT; f++)
		if (strcmp(formats[f].name, name) == 0)
			return (enum log_format)f;
	return FMT_COUNT;
}

const char *record_level_name(enum level l)
{
	static const char *const names[] = { "emerg", "alert", "crit",  "error", "warn",
					     "notice", "info", "debug", "none" };

	return names[l];
}
