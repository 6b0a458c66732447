#include "responses.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "rank.h"
#include "template.h"
#include "tstamp.h"

struct responses *responses_new(size_t ncauses)
{
	struct responses *rs = calloc(1, sizeof *rs);

	if (!rs)
		return NULL;
	rs->ncauses = ncauses;
	rs->first = rs->last = TSTAMP_NONE;
	rs->causes = calloc(ncauses ? ncauses : 1, sizeof *rs->causes);
	rs->unexplained_paths = topk_new(RESPONSES_PATHS, sizeof rs->scratch);
	rs->unexplained_minutes = topk_new(RESPONSES_MINUTES, 1);
	if (!rs->causes || !rs->unexplained_paths || !rs->unexplained_minutes) {
		responses_free(rs);
		return NULL;
	}
	return rs;
}

/* The path of the request, query left out, ids masked: as the tally
 * counts paths, so the two sections name the same routes alike. */
static void count_path(struct responses *rs, const struct record *a)
{
	const char *path;
	size_t len = record_request_path(a, &path), n;

	if (!a->request.len)
		return;
	n = template_mask(path, len, rs->scratch, sizeof rs->scratch);
	topk_add(rs->unexplained_paths, template_hash(rs->scratch, n), rs->scratch, n, path, len);
}

void responses_add(struct responses *rs, const struct record *a, const struct join_match *m)
{
	int status = a->status;
	size_t s;

	rs->total++;
	if (a->time == TSTAMP_NONE) {
		rs->untimed++;
	} else {
		if (rs->first == TSTAMP_NONE || a->time < rs->first)
			rs->first = a->time;
		if (rs->last == TSTAMP_NONE || a->time > rs->last)
			rs->last = a->time;
	}
	rs->by_class[status >= 100 && status <= 599 ? status / 100 : 0]++;
	if (status < 500 || status > 599)
		return;
	s = (size_t)(status - 500);
	rs->status_5xx[s]++;
	if (m->cause >= 0 && (size_t)m->cause < rs->ncauses) {
		struct response_cause *c = &rs->causes[m->cause];

		rs->explained++;
		c->explained++;
		c->status[s]++;
		if (m->by == JOIN_TIME)
			c->by_time++;
		return;
	}
	rs->unexplained++;
	rs->unexplained_status[s]++;
	if (m->by != JOIN_NONE)
		rs->unattributed_record++;
	count_path(rs, a);
	if (a->time != TSTAMP_NONE) {
		int64_t minute = a->time / TSTAMP_US_PER_SEC / 60;

		if (a->time < 0 && a->time % (60 * TSTAMP_US_PER_SEC))
			minute--;
		topk_add(rs->unexplained_minutes, (uint64_t)minute, "", 0, "", 0);
	}
}

void responses_add_record(struct responses *rs, size_t cause, int matched)
{
	if (cause >= rs->ncauses)
		return;
	rs->causes[cause].records++;
	if (matched)
		rs->causes[cause].records_matched++;
}

void responses_free(struct responses *rs)
{
	if (!rs)
		return;
	free(rs->causes);
	topk_free(rs->unexplained_paths);
	topk_free(rs->unexplained_minutes);
	free(rs);
}

/* ---- reading, for the reports ---- */

/* More 5xx explained, then more records. */
static bool ranks_above(const void *ctx, size_t a, size_t b)
{
	const struct response_cause *c = ctx;

	return c[a].explained > c[b].explained ||
	       (c[a].explained == c[b].explained && c[a].records > c[b].records);
}

size_t responses_rank(const struct responses *rs, size_t ncauses, size_t *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < rs->ncauses && i < ncauses; i++)
		if (rs->causes[i].explained || rs->causes[i].records)
			n = rank_insert(out, n, max, i, ranks_above, rs->causes);
	return n;
}

size_t responses_statuses(const uint64_t status[RESPONSES_STATUS], int *out, size_t max)
{
	size_t n = 0;

	for (int s = 0; s < RESPONSES_STATUS; s++) {
		size_t at;

		if (status[s] == 0)
			continue;
		at = n < max ? n : max;
		while (at > 0 && status[out[at - 1] - 500] < status[s])
			at--;
		if (at >= max)
			continue;
		memmove(out + at + 1, out + at, ((n < max ? n : max - 1) - at) * sizeof *out);
		out[at] = 500 + s;
		if (n < max)
			n++;
	}
	return n;
}

const char *responses_status_list(const uint64_t status[RESPONSES_STATUS], char *buf, size_t size)
{
	int codes[RESPONSES_STATUS];
	size_t n = responses_statuses(status, codes, RESPONSES_STATUS), o = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < n && o < size; i++) {
		char a[FMT_BUF];
		int w = snprintf(buf + o, size - o, "%s%d \u00d7%s", i ? ", " : "", codes[i],
				 fmt_count(status[codes[i] - 500], a));

		if (w < 0 || (size_t)w >= size - o) {
			buf[o] = '\0'; /* whole entries only */
			break;
		}
		o += (size_t)w;
	}
	if (n == 0)
		snprintf(buf, size, "-");
	return buf;
}
