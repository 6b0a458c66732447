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
