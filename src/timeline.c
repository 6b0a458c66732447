#include "timeline.h"

#include <stdlib.h>
#include <string.h>

#include "tstamp.h"

struct ring_slot {
	int64_t minute;
	uint64_t count;
};

struct timeline {
	size_t nseries;
	int64_t width;      /* seconds per bucket */
	int64_t origin;     /* start of bucket 0, epoch seconds */
	size_t used;        /* buckets 0 .. used-1 hold data */
	bool empty;
	uint64_t *counts;   /* nseries × TIMELINE_MAX */
	struct ring_slot *ring;   /* nseries × TIMELINE_RING */
	struct timeline_peak *peak;
};

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

struct timeline *timeline_new(size_t nseries)
{
	struct timeline *tl = calloc(1, sizeof *tl);
	size_t n = nseries ? nseries : 1;

	if (!tl)
		return NULL;
	tl->nseries = nseries;
	tl->width = 60;
	tl->empty = true;
	tl->counts = calloc(n * TIMELINE_MAX, sizeof *tl->counts);
	tl->ring = calloc(n * TIMELINE_RING, sizeof *tl->ring);
	tl->peak = calloc(n, sizeof *tl->peak);
	if (!tl->counts || !tl->ring || !tl->peak) {
		timeline_free(tl);
		return NULL;
	}
	for (size_t i = 0; i < n * TIMELINE_RING; i++)
		tl->ring[i].minute = INT64_MIN;
	for (size_t i = 0; i < n; i++)
		tl->peak[i].minute = INT64_MIN;
	return tl;
}

/* Doubles the bucket width, merging pairs; the origin moves to a multiple
 * of the new width so bucket edges stay on round times. */
static void coarsen(struct timeline *tl)
{
	int64_t w2 = tl->width * 2, o2 = floor_div(tl->origin, w2) * w2;
	size_t shift = (size_t)((tl->origin - o2) / tl->width); /* 0 or 1 */
	size_t used2 = (tl->used + shift + 1) / 2;

	for (size_t s = 0; s < tl->nseries; s++) {
		uint64_t *c = tl->counts + s * TIMELINE_MAX;

		for (size_t i = 0; i < used2; i++) {
			size_t a = 2 * i, b = 2 * i + 1;
			uint64_t sum = 0;

			if (a >= shift && a - shift < tl->used)
				sum += c[a - shift];
			if (b >= shift && b - shift < tl->used)
				sum += c[b - shift];
			c[i] = sum;
		}
		memset(c + used2, 0, (TIMELINE_MAX - used2) * sizeof *c);
	}
	tl->width = w2;
	tl->origin = o2;
	tl->used = used2;
}

/* Moves bucket 0 earlier by k buckets (an out-of-order or older input). */
static void shift_right(struct timeline *tl, size_t k)
{
	for (size_t s = 0; s < tl->nseries; s++) {
		uint64_t *c = tl->counts + s * TIMELINE_MAX;

		memmove(c + k, c, tl->used * sizeof *c);
		memset(c, 0, k * sizeof *c);
	}
	tl->origin -= (int64_t)k * tl->width;
	tl->used += k;
}

static void note_minute(struct timeline *tl, size_t s, int64_t minute)
{
	struct ring_slot *ring = tl->ring + s * TIMELINE_RING;
	struct timeline_peak *pk = &tl->peak[s];
	struct ring_slot *slot = &ring[(uint64_t)floor_div(minute, 60) % TIMELINE_RING];

	if (slot->minute != minute) {
		/* A minute this far behind the ring's is out of reach: a
		 * later minute has taken its slot.  Records that late are
		 * still in the timeline, only not in the peak. */
		if (slot->minute > minute)
			return;
		slot->minute = minute;
		slot->count = 0;
	}
	slot->count++;
	if (slot->count > pk->count || (slot->count == pk->count && minute < pk->minute)) {
		pk->count = slot->count;
		pk->minute = minute;
	}
}

/* The bucket index of second sec, growing or coarsening to fit it. */
static size_t bucket_of(struct timeline *tl, int64_t sec)
{
	int64_t idx;

	if (tl->empty) {
		tl->origin = floor_div(sec, tl->width) * tl->width;
		tl->used = 1;
		tl->empty = false;
	}
	while (sec < tl->origin) {
		int64_t need = floor_div(tl->origin - sec + tl->width - 1, tl->width);

		if ((size_t)need + tl->used <= TIMELINE_MAX) {
			shift_right(tl, (size_t)need);
			break;
		}
		coarsen(tl);
	}
	while ((idx = floor_div(sec - tl->origin, tl->width)) >= TIMELINE_MAX)
		coarsen(tl);
	if ((size_t)idx >= tl->used)
		tl->used = (size_t)idx + 1;
	return (size_t)idx;
}

void timeline_add(struct timeline *tl, size_t s, int64_t t)
{
	int64_t sec = floor_div(t, TSTAMP_US_PER_SEC);

	tl->counts[s * TIMELINE_MAX + bucket_of(tl, sec)]++;
	note_minute(tl, s, floor_div(sec, 60) * 60);
}

void timeline_add_n(struct timeline *tl, size_t s, int64_t t, uint64_t n)
{
	int64_t sec = floor_div(t, TSTAMP_US_PER_SEC);

	tl->counts[s * TIMELINE_MAX + bucket_of(tl, sec)] += n;
}

void timeline_at_least(struct timeline *tl, int64_t width)
{
	while (tl->width < width) {
		if (tl->empty)
			tl->width *= 2;
		else
			coarsen(tl);
	}
}

void timeline_set_peak(struct timeline *tl, size_t s, struct timeline_peak pk)
{
	tl->peak[s] = pk;
}

bool timeline_peaks_from_buckets(struct timeline *tl)
{
	if (tl->width != 60)
		return false;
	for (size_t s = 0; s < tl->nseries; s++) {
		struct timeline_peak pk = { INT64_MIN, 0 };

		for (size_t i = 0; i < tl->used; i++) {
			uint64_t c = tl->counts[s * TIMELINE_MAX + i];

			if (c > pk.count) {
				pk.count = c;
				pk.minute = tl->origin + (int64_t)i * 60;
			}
		}
		tl->peak[s] = pk;
	}
	return true;
}

int64_t timeline_bucket_seconds(const struct timeline *tl)
{
	return tl->width;
}

int64_t timeline_origin(const struct timeline *tl)
{
	return tl->origin;
}

size_t timeline_buckets(const struct timeline *tl)
{
	return tl->empty ? 0 : tl->used;
}

uint64_t timeline_count(const struct timeline *tl, size_t s, size_t i)
{
	return i < tl->used ? tl->counts[s * TIMELINE_MAX + i] : 0;
}

struct timeline_peak timeline_peak(const struct timeline *tl, size_t s)
{
	return tl->peak[s];
}

int64_t timeline_width_for(const struct timeline *tl, int64_t span_seconds, size_t max_buckets)
{
	static const int64_t widths[] = { 60, 300, 900, 1800, 3600, 10800, 21600, 43200, 86400 };
	int64_t w = 86400;

	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		if (span_seconds / widths[i] + 1 <= (int64_t)max_buckets) {
			w = widths[i];
			break;
		}
	}
	/* Past a day per bucket, whole days doubled until it fits. */
	while (span_seconds / w + 1 > (int64_t)max_buckets)
		w *= 2;
	/* Display buckets must be whole stored buckets. */
	if (w % tl->width != 0)
		w = (w / tl->width + 1) * tl->width;
	return w;
}

void timeline_regroup(const struct timeline *tl, size_t s, int64_t start, int64_t width,
		      uint64_t *out, size_t n)
{
	memset(out, 0, n * sizeof *out);
	for (size_t i = 0; i < tl->used; i++) {
		int64_t t = tl->origin + (int64_t)i * tl->width;
		int64_t k = floor_div(t - start, width);

		if (k >= 0 && (size_t)k < n)
			out[k] += tl->counts[s * TIMELINE_MAX + i];
	}
}

void timeline_free(struct timeline *tl)
{
	if (!tl)
		return;
	free(tl->counts);
	free(tl->ring);
	free(tl->peak);
	free(tl);
}
