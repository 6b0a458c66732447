#include "record.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

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
	static const struct {
		const char *word;
		enum level level;
	} words[] = {
		{ "emerg", LEVEL_EMERG },    { "emergency", LEVEL_EMERG },
		{ "panic", LEVEL_EMERG },    { "alert", LEVEL_ALERT },
		{ "crit", LEVEL_CRIT },      { "critical", LEVEL_CRIT },
		{ "fatal", LEVEL_CRIT },     { "severe", LEVEL_CRIT },
		{ "error", LEVEL_ERROR },    { "err", LEVEL_ERROR },
		{ "warn", LEVEL_WARN },      { "warning", LEVEL_WARN },
		{ "notice", LEVEL_NOTICE },  { "info", LEVEL_INFO },
		{ "information", LEVEL_INFO }, { "debug", LEVEL_DEBUG },
		{ "trace", LEVEL_DEBUG },    { "verbose", LEVEL_DEBUG },
	};

	/* Apache's trace1 … trace8 are debug detail levels. */
	if (n == 6 && strncasecmp(p, "trace", 5) == 0 && is_digit(p[5]))
		return LEVEL_DEBUG;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i].word) == n && strncasecmp(p, words[i].word, n) == 0)
			return words[i].level;
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
	const char *found = NULL, *p = hay, *end = hay + n;

	while ((p = find(p, (size_t)(end - p), needle, nlen)) != NULL) {
		found = p;
		p++;
	}
	return found;
}

/*
 * nginx appends ", client: A, server: B, request: "…", upstream: "…",
 * host: "…", referrer: "…"" to errors tied to a request.  Values in quotes
 * may hold ", " (query strings), so a quoted value runs to the quote that is
 * followed by ", " or the end of the line.
 */
static void nginx_fields(struct record *r)
{
	static const char lead[] = ", client: ";
	const char *end = r->msg + r->msg_len;
	const char *p = find_last(r->msg, r->msg_len, lead, sizeof lead - 1);

	if (!p)
		return;
	r->core_len = (size_t)(p - r->msg);
	p += 2;
	while (p < end) {
		const char *colon = memchr(p, ':', (size_t)(end - p));
		const char *v, *vend;
		size_t klen;

		if (!colon || colon + 1 >= end || colon[1] != ' ')
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
			vend = find(v, (size_t)(end - v), ", ", 2);
			if (!vend)
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

/* 2026/11/27 10:15:02 [error] 811#811: *4411 message */
static bool parse_nginx(struct record_parser *p, const char *s, size_t n,
			struct record *r)
{
	int y, mon, d, h, mi, sec;
	const char *q, *end = s + n, *lvl;

	if (n < 24 || s[4] != '/' || s[7] != '/' || s[10] != ' ' || s[19] != ' ' ||
	    s[20] != '[')
		return false;
	y = digits(s, 4);
	mon = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 0 || mon < 0 || d < 0 || !clock_at(s + 11, &h, &mi, &sec) ||
	    !valid_civil(y, mon, d, h, mi, sec))
		return false;
	lvl = s + 21;
	q = memchr(lvl, ']', (size_t)(end - lvl));
	if (!q || q - lvl > 8)
		return false;
	r->level = record_level_from_word(lvl, (size_t)(q - lvl));
	if (r->level == LEVEL_NONE)
		return false;
	q++;
	/* " 811#811: " — the worker's pid and thread id. */
	if (q < end && *q == ' ')
		q++;
	while (q < end && is_digit(*q))
		q++;
	if (q < end && *q == '#') {
		q++;
		while (q < end && is_digit(*q))
			q++;
		if (q + 1 < end && q[0] == ':' && q[1] == ' ')
			q += 2;
	}
	/* "*4411 " — the connection number, present for request errors. */
	if (q < end && *q == '*') {
		const char *c = q + 1;

		while (c < end && is_digit(*c))
			c++;
		if (c > q + 1 && c < end && *c == ' ')
			q = c + 1;
	}
	r->time = tstamp_from_local(&p->zone, y, mon, d, h, mi, sec, 0);
	r->msg = q;
	r->msg_len = (size_t)(end - q);
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
			/* nothing to keep yet */
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

/* An ISO-8601 stamp at the start of a line, then an optional level word
 * (bare, bracketed, or followed by a colon); the message is the rest. */
static bool parse_generic(struct record_parser *p, const char *s, size_t n,
			  struct record *r)
{
	int y, mon, d, h, mi, sec;
	int32_t usec = 0, off = 0;
	bool zoned = false;
	size_t i;
	const char *end = s + n, *q, *w;

	r->msg = s;
	r->msg_len = n;
	if (n < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' '))
		return true;
	y = digits(s, 4);
	mon = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 0 || mon < 0 || d < 0 || !clock_at(s + 11, &h, &mi, &sec) ||
	    !valid_civil(y, mon, d, h, mi, sec))
		return true;
	i = 19 + fraction_at(s + 19, n - 19, &usec);
	if (i < n && s[i] == 'Z') {
		zoned = true;
		i++;
	} else if (i + 5 < n + 0 && (s[i] == '+' || s[i] == '-') && is_digit(s[i + 1])) {
		int oh = digits(s + i + 1, 2), om;
		size_t j = i + 3;

		if (j < n && s[j] == ':')
			j++;
		om = j + 2 <= n ? digits(s + j, 2) : -1;
		if (oh >= 0 && om >= 0) {
			off = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
			zoned = true;
			i = j + 2;
		}
	}
	r->time = zoned ? tstamp_from_utc(y, mon, d, h, mi, sec, usec, off)
			: tstamp_from_local(&p->zone, y, mon, d, h, mi, sec, usec);
	q = s + i;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	/* A level word: "ERROR", "[error]", "error:", "- ERROR -". */
	if (q < end && *q == '-' && q + 1 < end && q[1] == ' ')
		q += 2;
	w = q;
	if (w < end && *w == '[')
		w++;
	{
		const char *e = w;

		while (e < end && ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z')))
			e++;
		if (e > w) {
			enum level l = record_level_from_word(w, (size_t)(e - w));

			if (l != LEVEL_NONE && (e == end || *e == ' ' || *e == ':' ||
						*e == ']' || *e == '\t')) {
				r->level = l;
				if (e < end && (*e == ']' || *e == ':'))
					e++;
				while (e < end && (*e == ' ' || *e == '\t'))
					e++;
				if (e + 1 < end && e[0] == '-' && e[1] == ' ')
					e += 2;
				q = e;
			}
		}
	}
	r->msg = q;
	r->msg_len = (size_t)(end - q);
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
};

void record_parser_init(struct record_parser *p, enum log_format forced,
			const struct tzone *zone)
{
	p->forced = forced != FMT_COUNT;
	p->format = p->forced ? forced : FMT_GENERIC;
	p->zone = *zone;
}

static void record_clear(struct record *r, const char *line, size_t len,
			 uint64_t line_no, bool truncated)
{
	memset(r, 0, sizeof *r);
	r->text = line;
	r->len = len;
	r->msg = line;
	r->msg_len = len;
	r->core_len = SIZE_MAX;
	r->format = FMT_GENERIC;
	r->level = LEVEL_NONE;
	r->time = TSTAMP_NONE;
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
	if (r->core_len > r->msg_len)
		r->core_len = r->msg_len;
}

void record_joined(struct record *r)
{
	r->core_len = r->msg_len;
	if (r->format == FMT_NGINX_ERROR) {
		r->client = r->server = r->host = r->request = r->upstream = (struct span){ 0, 0 };
		nginx_fields(r);
	}
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
