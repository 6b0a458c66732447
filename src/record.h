/*
 * record — turns lines into records: format, time, level, message, fields.
 *
 * Data flow: lines -> record -> match.  A record is one log event.  Its
 * `message` is what pattern rules see: the text after the format's prefix
 * (time stamp, level, pid, connection id), so rules survive a change of
 * stamp format.  Where no format is known the message is the whole line.
 *
 * Records borrow the line's bytes: a record is valid until the next line is
 * read.  Fields are spans into `text`.
 *
 * The format is detected per input from its lines and kept while lines keep
 * parsing in it; a line that does not parse in the input's format is tried
 * against the others, so a file of mixed formats still yields what each
 * line offers.
 */
#ifndef LOGCAUSE_RECORD_H
#define LOGCAUSE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tstamp.h"

enum log_format {
	FMT_GENERIC,      /* no known prefix; maybe an ISO stamp and a level */
	FMT_NGINX_ERROR,
	FMT_APACHE_ERROR,
	FMT_PHP_FPM,      /* php-fpm's own log and PHP's error_log */
	FMT_SYSLOG,       /* RFC 3164, RFC 5424, journalctl -o short-iso */
	FMT_JSON,         /* one JSON object per line */
	FMT_RAILS,        /* Ruby's Logger: "E, [2026-11-27T10:15:02.1 #81] ERROR -- : …" */
	FMT_ACCESS,       /* nginx/Apache access log: recognised, not an error record */
	FMT_COUNT
};

/* syslog severities: a smaller number is more severe. */
enum level {
	LEVEL_EMERG,
	LEVEL_ALERT,
	LEVEL_CRIT,
	LEVEL_ERROR,
	LEVEL_WARN,
	LEVEL_NOTICE,
	LEVEL_INFO,
	LEVEL_DEBUG,
	LEVEL_NONE,       /* the record carries no level */
};

struct span {
	uint32_t off, len; /* into record.text; len 0 means absent */
};

struct record {
	const char *text;  /* the whole record, borrowed */
	size_t len;
	const char *msg;   /* what rules match: inside text, except for JSON
			    * lines, where it is the decoded message held by
			    * the parser */
	size_t msg_len;
	size_t core_len;   /* msg without trailing fields (nginx's ", client: …") */
	enum log_format format;
	enum level level;
	int64_t time;      /* epoch microseconds, or TSTAMP_NONE */
	uint64_t line;     /* line number of its first line */
	bool truncated;
	bool fields_pending; /* nginx: core_len and the fields below not read
			      * yet (the parser defers them): record_fields() */
	bool client_known;   /* fields pending, core_len already says where
			      * ", client: " starts: record_match_view looked */
	struct span client, server, host, request, upstream, pid;
	/* Access-log records only: */
	struct span method; /* when the log writes method and URI apart (JSON):
			     * then request is the URI; else absent and request
			     * is the whole request line "GET /x HTTP/1.1" */
	int status;        /* HTTP status, else 0 */
	int64_t request_us; /* $request_time in microseconds, or -1 unknown */
	bool has_offset;    /* the stamp wrote its zone: */
	int32_t utc_offset; /* seconds east of UTC */
};

struct record_parser {
	enum log_format format; /* the input's current format */
	bool forced;            /* --input-format: never re-detect */
	struct tzone zone;
	int syslog_year;        /* RFC 3164 stamps have none: inferred */
	int syslog_month;       /* month of the last such stamp, for New Year */
	bool defer_fields;      /* leave nginx's trailing fields to
				 * record_fields(): most records (below the
				 * level, noise) are only counted */
	char *scratch;          /* decoded JSON message; NULL until needed */
	size_t scratch_cap;
	/* nginx writes thousands of lines a second under one stamp: the
	 * last stamp read and its time, so a repeat is one comparison. */
	bool stamp_known;
	char stamp[sizeof "2026/11/27 09:00:00" - 1];
	int64_t stamp_time;
};

/* What a parser carries from one line to the next, caches aside: the
 * format it reads the input in, and the year of year-less stamps.  Two
 * parsers in the same state parse a line alike (main.c's batches). */
struct parser_state {
	enum log_format format;
	int syslog_year, syslog_month;
};

struct parser_state record_parser_state(const struct record_parser *p);
void record_parser_set_state(struct record_parser *p, const struct parser_state *st);
bool parser_state_equal(const struct parser_state *a, const struct parser_state *b);

/* Readies a parser for one input.  forced is FMT_COUNT to detect.  Year-less
 * syslog stamps are placed in the year of `now` (epoch seconds), or the
 * year before when that would put them in the future. */
void record_parser_init(struct record_parser *p, enum log_format forced,
			const struct tzone *zone);

/* Changes the zone of stamps without one, from the next record on. */
void record_parser_set_zone(struct record_parser *p, const struct tzone *zone);

/* Frees what the parser allocated (the JSON scratch buffer). */
void record_parser_release(struct record_parser *p);

/* Parses one line into *r (which borrows the line).  Never fails: a line no
 * format recognises is a FMT_GENERIC record of the whole line. */
void record_parse(struct record_parser *p, const char *line, size_t len,
		  uint64_t line_no, bool truncated, struct record *r);

/* How much of msg rules are matched against: all of it, except the
 * trailing fields a client wrote (nginx's request, upstream, host and
 * referrer; Apache's referer), which would let any request line attribute
 * its 404 to any cause. */
size_t record_match_len(const struct record *r);

/* record_match_len(), and in *split how much of its start repeats from
 * record to record (nginx's message up to the client's address; else all
 * of it): for matcher_attribute_split().  Where nginx's fields start is
 * kept in r, for record_fields() to find without looking again. */
size_t record_match_view(struct record *r, size_t *split);

/* Reads the fields a deferring parser left (fields_pending): core_len and
 * nginx's client, server, request, upstream and host.  Does nothing to a
 * record whose fields are read.  Whatever uses those calls it first, on a
 * copy when the record is not its own. */
void record_fields(struct record *r);

/* Called by group on a record joined from several lines: fields that the
 * format writes at the end of the event (nginx's ", client: …") are looked
 * for again over the whole text. */
void record_joined(struct record *r);

/* A request's method and URI, without the protocol: from the request line
 * "GET /cart?id=4 HTTP/1.1", or from method and request when the log
 * writes them apart.  Both point into r->text.  Returns false when the
 * record has no request. */
struct request_parts {
	const char *method, *uri;
	size_t method_len, uri_len;
};

bool record_request_parts(const struct record *r, struct request_parts *out);

/* The request's path: its URI without the query.  Sets *path (into
 * r->text) and returns its length; 0 when the record has no request. */
size_t record_request_path(const struct record *r, const char **path);

/* The client's address without a port: Apache writes "203.0.113.9:51234"
 * and "[2001:db8::7]:443", nginx and access logs the bare address.  Sets
 * *out (into r->text) and returns its length; 0 when the record has no
 * client. */
size_t record_client_address(const struct record *r, const char **out);

/* "nginx-error", "apache-error", "php-fpm", "generic". */
const char *record_format_name(enum log_format f);

/* Format by name, or FMT_COUNT when unknown. */
enum log_format record_format_from_name(const char *name);

/* "emerg" … "debug", "none". */
const char *record_level_name(enum level l);

/* Level by name as servers write it, any case ("warning", "err", "fatal"…),
 * or LEVEL_NONE when the word is not a level. */
enum level record_level_from_word(const char *p, size_t n);

#endif
