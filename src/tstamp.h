/*
 * tstamp — time stamps: civil time to epoch, local zones, printing.
 *
 * Log stamps are parsed by hand in record.c (strptime costs far more than the
 * rest of a line's work); this module turns the parsed fields into UTC
 * microseconds since the epoch.  Most server stamps carry no zone and are in
 * the server's local time, so a zone is applied: the process's TZ, or a
 * fixed offset.  Converting a local time asks libc once per hour of log time
 * and caches the answer, because offsets only change on the hour.
 */
#ifndef LOGCAUSE_TSTAMP_H
#define LOGCAUSE_TSTAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A record whose time is not known. */
#define TSTAMP_NONE INT64_MIN

#define TSTAMP_US_PER_SEC INT64_C(1000000)

struct tzone {
	bool fixed;          /* use fixed_offset instead of the TZ rules */
	int32_t fixed_offset; /* seconds east of UTC */
	int64_t cached_hour;  /* local hour (since epoch, as if UTC) of the cache */
	int32_t cached_offset;
};

/* The process's local zone (TZ). */
void tzone_init_local(struct tzone *z);

/* A fixed offset in seconds east of UTC. */
void tzone_init_fixed(struct tzone *z, int32_t offset);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t tstamp_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Returns the epoch microseconds of a wall-clock time in zone z.  Fields are
 * not range-checked beyond what the parsers already did. */
int64_t tstamp_from_local(struct tzone *z, int y, int mon, int day, int h, int min,
			  int sec, int32_t usec);

/* Same for a stamp that carries its own offset (seconds east of UTC). */
int64_t tstamp_from_utc(int y, int mon, int day, int h, int min, int sec,
			int32_t usec, int32_t offset);

/* A --since/--until value: a moment, or a span back from the newest record. */
struct tstamp_when {
	bool ago;     /* t is a duration to subtract from the newest record */
	int64_t t;    /* epoch microseconds, or the duration */
};

/* Parses "2026-11-27T10:15[:02][Z|+01:00]" (or with a space for T), a date
 * "2026-11-27" (its midnight), a time of day "10:15[:02]" (today), or a
 * duration "2h", "30m", "1h30m", "90s", "1d".  Times without a zone are in
 * zone z; today is the day of now (epoch seconds) in z.  Returns 0, or -1
 * when s is none of these. */
int tstamp_parse_when(const char *s, struct tzone *z, int64_t now, struct tstamp_when *out);

/* Turns a --tz value ("Europe/Berlin", "UTC", "+05:30", "-0800") into a TZ
 * environment string in buf.  Returns 0, or -1 when it is not a zone. */
int tstamp_tz_setting(const char *zone, char *buf, size_t size);

/* Month number 1..12 from an English three-letter abbreviation, or 0. */
int tstamp_month(const char *p);

/* Room tstamp_iso() needs, with margin for any year libc can print. */
#define TSTAMP_ISO_SIZE 80

/* Formats t as ISO-8601 UTC, "2026-11-27T10:15:02Z" (with ".123456" when
 * with_usec); returns buf, which holds TSTAMP_ISO_SIZE bytes. */
char *tstamp_iso(int64_t t, bool with_usec, char *buf);

/* Formats t in the local zone as strftime(fmt) would; returns buf. */
char *tstamp_local(int64_t t, const char *fmt, char *buf, size_t size)
	__attribute__((format(strftime, 2, 0)));

#endif
