/*
 * timeline — counts per cause over time in bounded memory, whatever span
 * the logs cover.
 *
 * Data flow: part of tally.  Counts go into buckets of a width that starts
 * at one minute and doubles (merging neighbours) whenever the span would
 * need more than TIMELINE_MAX buckets, so a day of logs keeps minutes and
 * a year of logs costs no more memory than a day.  The report then regroups
 * the buckets into the width it shows (timeline_width_for()).
 *
 * The busiest minute of each cause is kept apart, exactly for logs that are
 * in time order or out of order by less than a few minutes (several
 * workers, merged files): a small ring of the latest minutes per cause.
 */
#ifndef LOGCAUSE_TIMELINE_H
#define LOGCAUSE_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	TIMELINE_MAX = 2048, /* buckets kept per cause */
	TIMELINE_RING = 8,   /* recent minutes per cause, for the peak */
};

struct timeline_peak {
	int64_t minute;      /* epoch seconds of the minute's start, or INT64_MIN */
	uint64_t count;
};

struct timeline;

/* For nseries series (causes); NULL when out of memory. */
struct timeline *timeline_new(size_t nseries);

/* Counts one event of series s at t (epoch microseconds). */
void timeline_add(struct timeline *tl, size_t s, int64_t t);

/* Counts n events of series s at t (epoch microseconds): a bucket of
 * another timeline, being merged in.  The busiest minute is not updated:
 * see timeline_set_peak() and timeline_peaks_from_buckets(). */
void timeline_add_n(struct timeline *tl, size_t s, int64_t t, uint64_t n);

/* Widens the buckets (merging neighbours) until they are at least `width`
 * seconds, so buckets of a coarser timeline can be added whole. */
void timeline_at_least(struct timeline *tl, int64_t width);

/* Sets the busiest minute of series s, when it is known better than this
 * timeline can tell (merged reports with coarse buckets). */
void timeline_set_peak(struct timeline *tl, size_t s, struct timeline_peak pk);

/* Recomputes every series' busiest minute from the buckets; exact when
 * buckets are one minute wide.  Returns false (and changes nothing) when
 * they are wider. */
bool timeline_peaks_from_buckets(struct timeline *tl);

/* Bucket width in seconds (60 × a power of two), the first bucket's start
 * (epoch seconds), and the number of buckets in use (0 when empty). */
int64_t timeline_bucket_seconds(const struct timeline *tl);
int64_t timeline_origin(const struct timeline *tl);
size_t timeline_buckets(const struct timeline *tl);

/* Count of series s in bucket i. */
uint64_t timeline_count(const struct timeline *tl, size_t s, size_t i);

/* The busiest minute of series s. */
struct timeline_peak timeline_peak(const struct timeline *tl, size_t s);

/* The display width, in seconds, for a span of span_seconds shown in at
 * most max_buckets: the smallest of 1, 5, 15 and 30 minutes, 1, 3, 6 and
 * 12 hours, and 1 day that fits, and never finer than the stored width. */
int64_t timeline_width_for(const struct timeline *tl, int64_t span_seconds, size_t max_buckets);

/* Regroups series s into buckets of `width` seconds starting at `start`
 * (epoch seconds): out[i] counts [start + i*width, start + (i+1)*width).
 * Writes n values. */
void timeline_regroup(const struct timeline *tl, size_t s, int64_t start, int64_t width,
		      uint64_t *out, size_t n);

void timeline_free(struct timeline *tl);

#endif
