#include "tstamp.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>

void tzone_init_local(struct tzone *z)
{
	memset(z, 0, sizeof *z);
	z->cached_hour = INT64_MIN;
	tzset();
}

void tzone_init_fixed(struct tzone *z, int32_t offset)
{
	memset(z, 0, sizeof *z);
	z->fixed = true;
	z->fixed_offset = offset;
	z->cached_hour = INT64_MIN;
}

/* Howard Hinnant's days_from_civil: exact for every Gregorian date, no
 * tables, no libc. */
int64_t tstamp_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int64_t civil_seconds(int y, int mon, int day, int h, int min, int sec)
{
	return tstamp_days_from_civil(y, (unsigned)mon, (unsigned)day) * 86400 +
	       h * 3600 + min * 60 + sec;
}

/* mktime() re-reads the zone as it runs (tzset), under a lock of libc's
 * own that ThreadSanitizer cannot see; both threads of a run parse stamps,
 * so this one says the same where it can be seen. */
static pthread_mutex_t mktime_lock = PTHREAD_MUTEX_INITIALIZER;

/* The offset in force at a local wall-clock hour.  mktime() is slow and
 * takes a lock, so it is asked once per distinct hour. */
static int32_t local_offset(struct tzone *z, int64_t wall_hour, int y, int mon,
			    int day, int h)
{
	struct tm tm;
	time_t t;

	if (z->fixed)
		return z->fixed_offset;
	if (wall_hour == z->cached_hour)
		return z->cached_offset;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = h;
	tm.tm_isdst = -1;
	pthread_mutex_lock(&mktime_lock);
	t = mktime(&tm);
	pthread_mutex_unlock(&mktime_lock);
	z->cached_hour = wall_hour;
	/* tm_gmtoff is what mktime settled on; in the repeated hour of a DST
	 * change libc picks one of the two, which is all a stamp without a
	 * zone allows anyone to do. */
	z->cached_offset = t == (time_t)-1 ? 0 : (int32_t)tm.tm_gmtoff;
	return z->cached_offset;
}

int64_t tstamp_from_local(struct tzone *z, int y, int mon, int day, int h, int min,
			  int sec, int32_t usec)
{
	int64_t wall = civil_seconds(y, mon, day, h, min, sec);
	int32_t off = local_offset(z, wall / 3600, y, mon, day, h);

	return (wall - off) * TSTAMP_US_PER_SEC + usec;
}

int64_t tstamp_from_utc(int y, int mon, int day, int h, int min, int sec,
			int32_t usec, int32_t offset)
{
	return (civil_seconds(y, mon, day, h, min, sec) - offset) * TSTAMP_US_PER_SEC +
	       usec;
}

static int num(const char **p, int width)
{
	int v = 0;

	for (int i = 0; i < width; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

static int parse_duration(const char *s, int64_t *us)
{
	int64_t total = 0;

	if (!*s)
		return -1;
	while (*s) {
		int64_t v = 0, unit;
		const char *start = s;

		while (*s >= '0' && *s <= '9' && v < INT64_C(1) << 40)
			v = v * 10 + (*s++ - '0');
		if (s == start)
			return -1;
		switch (*s++) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		default: return -1;
		}
		total += v * unit;
	}
	*us = total * TSTAMP_US_PER_SEC;
	return 0;
}

int tstamp_parse_when(const char *s, struct tzone *z, int64_t now, struct tstamp_when *out)
{
	const char *p = s;
	int y, mon, d, h = 0, mi = 0, sec = 0;
	size_t n = strlen(s);

	out->ago = false;
	if (n > 0 && s[n - 1] >= 'a' && s[n - 1] <= 'z' && s[n - 1] != 'z') {
		out->ago = true;
		return parse_duration(s, &out->t);
	}
	if (n >= 5 && s[2] == ':') {
		/* A time of day: today's date in the zone. */
		time_t t = (time_t)now;
		struct tm tm;

		localtime_r(&t, &tm);
		y = tm.tm_year + 1900;
		mon = tm.tm_mon + 1;
		d = tm.tm_mday;
	} else {
		y = num(&p, 4);
		if (y < 0 || *p++ != '-' || (mon = num(&p, 2)) < 1 || mon > 12 || *p++ != '-' ||
		    (d = num(&p, 2)) < 1 || d > 31)
			return -1;
		if (*p == '\0') {
			out->t = tstamp_from_local(z, y, mon, d, 0, 0, 0, 0);
			return 0;
		}
		if (*p != 'T' && *p != ' ')
			return -1;
		p++;
	}
	if ((h = num(&p, 2)) < 0 || h > 23 || *p++ != ':' || (mi = num(&p, 2)) < 0 || mi > 59)
		return -1;
	if (*p == ':' && ((p++, sec = num(&p, 2)) < 0 || sec > 60))
		return -1;
	if (*p == '\0') {
		out->t = tstamp_from_local(z, y, mon, d, h, mi, sec, 0);
		return 0;
	}
	if (p[0] == 'Z' && p[1] == '\0') {
		out->t = tstamp_from_utc(y, mon, d, h, mi, sec, 0, 0);
		return 0;
	}
	if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh = num(&p, 2), om = 0;

		if (*p == ':')
			p++;
		if (*p)
			om = num(&p, 2);
		if (oh < 0 || om < 0 || *p)
			return -1;
		out->t = tstamp_from_utc(y, mon, d, h, mi, sec, 0, sign * (oh * 3600 + om * 60));
		return 0;
	}
	return -1;
}

int tstamp_tz_setting(const char *zone, char *buf, size_t size)
{
	const char *p = zone;
	int oh, om = 0, sign;
	char path[512];
	const char *dir = getenv("TZDIR");

	if (strcmp(zone, "UTC") == 0 || strcmp(zone, "Z") == 0 || strcmp(zone, "GMT") == 0) {
		snprintf(buf, size, "UTC0");
		return 0;
	}
	if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		oh = num(&p, 2);
		if (*p == ':')
			p++;
		if (*p)
			om = num(&p, 2);
		if (oh < 0 || oh > 14 || om < 0 || om > 59 || *p)
			return -1;
		/* POSIX TZ offsets count west of UTC: the sign flips. */
		snprintf(buf, size, "<%c%02d%02d>%c%02d:%02d", sign < 0 ? '-' : '+', oh, om,
			 sign < 0 ? '+' : '-', oh, om);
		return 0;
	}
	/* A zone name must exist in the zone database: glibc would quietly
	 * take an unknown name for UTC. */
	if (strstr(zone, "..") || zone[0] == '/')
		return -1;
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
	if (access(path, R_OK) != 0)
		return -1;
	snprintf(buf, size, "%s", zone);
	return 0;
}

int tstamp_month(const char *p)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (int i = 0; i < 12; i++)
		if (memcmp(p, names + 3 * i, 3) == 0)
			return i + 1;
	return 0;
}

static void split(int64_t t, time_t *secs, int32_t *usec)
{
	int64_t s = t / TSTAMP_US_PER_SEC, u = t % TSTAMP_US_PER_SEC;

	if (u < 0) {
		u += TSTAMP_US_PER_SEC;
		s--;
	}
	*secs = (time_t)s;
	*usec = (int32_t)u;
}

char *tstamp_iso(int64_t t, bool with_usec, char *buf)
{
	struct tm tm;
	time_t s;
	int32_t us;

	split(t, &s, &us);
	gmtime_r(&s, &tm);
	if (with_usec)
		snprintf(buf, TSTAMP_ISO_SIZE, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)us);
	else
		snprintf(buf, TSTAMP_ISO_SIZE, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

char *tstamp_local(int64_t t, const char *fmt, char *buf, size_t size)
{
	struct tm tm;
	time_t s;
	int32_t us;

	split(t, &s, &us);
	localtime_r(&s, &tm);
	/* The callers' literals are checked through the format attribute on
	 * the declaration; gcc still flags the pass-through itself. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, size, fmt, &tm) == 0 && size > 0)
		buf[0] = '\0';
#pragma GCC diagnostic pop
	return buf;
}
