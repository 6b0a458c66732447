#include "tstamp.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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
	t = mktime(&tm);
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
