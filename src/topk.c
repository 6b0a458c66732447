#include "topk.h"

#include <stdlib.h>
#include <string.h>

/*
 * Two structures over one array of k slots:
 *
 * - A hash index from key to slot: open addressing with linear probing in a
 *   power-of-two table of 2k to 4k cells, so it is at most half full and a
 *   lookup probes one or two cells.  A replaced key is deleted by shifting
 *   the cells after it back (no tombstones), so probes stay short however
 *   long the stream.
 *
 * - A binary min-heap of slot numbers ordered by count, for the entry to
 *   replace.  Space-Saving's own "stream summary" finds it in O(1), but
 *   needs a linked bucket per distinct count and four pointers per entry;
 *   the heap needs one array and costs O(log k), 12 steps at k = 4096.  And
 *   the hot path is cheaper than that bound: the keys added most often have
 *   the largest counts and so sit at the leaves, where a count that grows
 *   has nowhere to sift to.
 */

struct topk_slot {
	uint64_t key, count, error;
	uint64_t seq;   /* when the key entered the table: orders ties */
	size_t len, slen;
	uint32_t heap;  /* where the slot is in the heap */
};

struct topk {
	size_t k, used, sample_max;
	uint64_t total, seq;
	bool evicted;
	struct topk_slot *slot;
	uint32_t *heap;   /* used slot numbers; the smallest count first */
	uint32_t *index;  /* slot number + 1, or 0 for an empty cell */
	size_t mask;      /* cells - 1 */
	unsigned shift;   /* 64 - log2(cells) */
	char *bytes;      /* per slot: sample_max of text, then of sample */
};

/* Slot numbers are 32-bit and the index has up to 4k cells. */
enum { TOPK_K_MAX = UINT32_MAX / 4 };

/* ---- the index ---- */

/* Fibonacci hashing: the high bits of key times 2^64 / phi.  Keys are
 * hashes already, but the multiply makes the table safe for keys that are
 * not (small integers, keys that differ only in high bits). */
static size_t home(const struct topk *t, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> t->shift) & t->mask;
}

/* The cell that holds key, or the empty cell where it would go; *found
 * says which. */
static size_t index_find(const struct topk *t, uint64_t key, bool *found)
{
	size_t i = home(t, key);

	while (t->index[i] != 0) {
		if (t->slot[t->index[i] - 1].key == key) {
			*found = true;
			return i;
		}
		i = (i + 1) & t->mask;
	}
	*found = false;
	return i;
}

/* Empties cell i and moves back each later cell of the run that may now be
 * probed for earlier: one whose home is not between the hole and itself. */
static void index_remove(struct topk *t, size_t i)
{
	size_t j = i;

	for (;;) {
		size_t h;

		j = (j + 1) & t->mask;
		if (t->index[j] == 0)
			break;
		h = home(t, t->slot[t->index[j] - 1].key);
		if (((j - h) & t->mask) >= ((j - i) & t->mask)) {
			t->index[i] = t->index[j];
			i = j;
		}
	}
	t->index[i] = 0;
}

/* ---- the heap ---- */

static uint64_t heap_count(const struct topk *t, size_t h)
{
	return t->slot[t->heap[h]].count;
}

static void heap_swap(struct topk *t, size_t a, size_t b)
{
	uint32_t sa = t->heap[a], sb = t->heap[b];

	t->heap[a] = sb;
	t->heap[b] = sa;
	t->slot[sb].heap = (uint32_t)a;
	t->slot[sa].heap = (uint32_t)b;
}

static void sift_up(struct topk *t, size_t h)
{
	while (h > 0 && heap_count(t, (h - 1) / 2) > heap_count(t, h)) {
		heap_swap(t, h, (h - 1) / 2);
		h = (h - 1) / 2;
	}
}

static void sift_down(struct topk *t, size_t h)
{
	for (;;) {
		size_t c = 2 * h + 1, min = h;

		if (c < t->used && heap_count(t, c) < heap_count(t, min))
			min = c;
		if (c + 1 < t->used && heap_count(t, c + 1) < heap_count(t, min))
			min = c + 1;
		if (min == h)
			return;
		heap_swap(t, h, min);
		h = min;
	}
}

/* ---- the table ---- */

struct topk *topk_new(size_t k, size_t sample_max)
{
	struct topk *t;
	size_t cells = 2;
	unsigned bits = 1;

	if (k == 0)
		k = 1;
	if (k > TOPK_K_MAX || sample_max > SIZE_MAX / 2 / k)
		return NULL;
	while (cells < 2 * k) {
		cells *= 2;
		bits++;
	}
	t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->k = k;
	t->sample_max = sample_max;
	t->mask = cells - 1;
	t->shift = 64 - bits;
	t->slot = calloc(k, sizeof *t->slot);
	t->heap = calloc(k, sizeof *t->heap);
	t->index = calloc(cells, sizeof *t->index);
	t->bytes = malloc(sample_max ? k * 2 * sample_max : 1);
	if (!t->slot || !t->heap || !t->index || !t->bytes) {
		topk_free(t);
		return NULL;
	}
	return t;
}

static char *slot_text(const struct topk *t, size_t s)
{
	return t->bytes + s * 2 * t->sample_max;
}

static size_t keep(const char *src, size_t n, char *dst, size_t max)
{
	if (n > max)
		n = max;
	if (n > 0)
		memcpy(dst, src, n);
	return n;
}

void topk_add(struct topk *t, uint64_t key, const char *text, size_t len,
	      const char *sample, size_t slen)
{
	topk_add_count(t, key, text, len, sample, slen, 1, 0);
}

void topk_add_count(struct topk *t, uint64_t key, const char *text, size_t len,
		    const char *sample, size_t slen, uint64_t count, uint64_t error)
{
	bool found;
	size_t cell = index_find(t, key, &found);
	size_t s;
	struct topk_slot *sl;

	t->total += count;
	if (error)
		t->evicted = true; /* counts from an approximate table stay so */
	if (found) {
		sl = &t->slot[t->index[cell] - 1];
		sl->count += count;
		sl->error += error;
		sift_down(t, sl->heap);
		return;
	}
	if (t->used < t->k) {
		s = t->used++;
		sl = &t->slot[s];
		sl->count = count;
		sl->error = error;
		sl->heap = (uint32_t)s;
		t->heap[s] = (uint32_t)s;
		sift_up(t, s);
	} else {
		/* Space-Saving: the new key takes over the smallest count,
		 * which becomes its error bound. */
		s = t->heap[0];
		sl = &t->slot[s];
		index_remove(t, index_find(t, sl->key, &found));
		cell = index_find(t, key, &found); /* the removal moved cells */
		sl->error = sl->count + error;
		sl->count += count;
		t->evicted = true;
		sift_down(t, 0);
	}
	sl->key = key;
	sl->seq = t->seq++;
	t->index[cell] = (uint32_t)s + 1;
	sl->len = keep(text, len, slot_text(t, s), t->sample_max);
	sl->slen = keep(sample, slen, slot_text(t, s) + t->sample_max, t->sample_max);
}

/* ---- reading ---- */

static void fill(const struct topk *t, size_t s, struct topk_entry *e)
{
	const struct topk_slot *sl = &t->slot[s];

	e->key = sl->key;
	e->count = sl->count;
	e->error = sl->error;
	e->text = slot_text(t, s);
	e->len = sl->len;
	e->sample = slot_text(t, s) + t->sample_max;
	e->slen = sl->slen;
	e->seq = sl->seq;
}

static uint64_t seq_of(const struct topk *t, const struct topk_entry *e)
{
	bool found;

	return t->slot[t->index[index_find(t, e->key, &found)] - 1].seq;
}

/* Whether a goes before b in the report. */
static bool before(const struct topk *t, const struct topk_entry *a, const struct topk_entry *b)
{
	if (a->count != b->count)
		return a->count > b->count;
	return seq_of(t, a) < seq_of(t, b);
}

/* Sifts down in out[0..n), a heap with the entry that goes last on top. */
static void last_down(const struct topk *t, struct topk_entry *out, size_t n, size_t h)
{
	for (;;) {
		size_t c = 2 * h + 1, last = h;
		struct topk_entry tmp;

		if (c < n && before(t, &out[last], &out[c]))
			last = c;
		if (c + 1 < n && before(t, &out[last], &out[c + 1]))
			last = c + 1;
		if (last == h)
			return;
		tmp = out[h];
		out[h] = out[last];
		out[last] = tmp;
		h = last;
	}
}

/* A heap of the best max entries seen so far, then heapsort: O(k log max)
 * in the caller's array, with no memory of its own. */
size_t topk_sorted(const struct topk *t, struct topk_entry *out, size_t max)
{
	size_t m = max < t->used ? max : t->used;

	if (m == 0)
		return 0;
	for (size_t s = 0; s < m; s++)
		fill(t, s, &out[s]);
	for (size_t h = m / 2; h-- > 0;)
		last_down(t, out, m, h);
	for (size_t s = m; s < t->used; s++) {
		struct topk_entry e;

		fill(t, s, &e);
		if (before(t, &e, &out[0])) {
			out[0] = e;
			last_down(t, out, m, 0);
		}
	}
	for (size_t n = m; n-- > 1;) {
		struct topk_entry tmp = out[0];

		out[0] = out[n];
		out[n] = tmp;
		last_down(t, out, n, 0);
	}
	return m;
}

static int cmp_seq(const void *a, const void *b)
{
	const struct topk_entry *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

size_t topk_in_order(const struct topk *t, struct topk_entry *out, size_t max)
{
	size_t m = 0;

	for (size_t s = 0; s < t->used; s++)
		fill(t, s, &out[m < max ? m++ : m - 1]);
	/* With max < used the last slot was overwritten: callers pass k. */
	qsort(out, m, sizeof *out, cmp_seq);
	return m;
}

bool topk_evicted(const struct topk *t)
{
	return t->evicted;
}

uint64_t topk_total(const struct topk *t)
{
	return t->total;
}

void topk_free(struct topk *t)
{
	if (!t)
		return;
	free(t->slot);
	free(t->heap);
	free(t->index);
	free(t->bytes);
	free(t);
}
