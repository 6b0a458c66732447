/* libFuzzer target: the line splitter, multi-line grouping and every
 * record parser over arbitrary bytes.  The first byte picks the format
 * (or detection), a small line bound, so truncation and the group bounds
 * are reached too, and whether nginx's fields are deferred.  Every record's
 * matched part, core and fields must lie inside it. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "decode.h"
#include "group.h"
#include "lines.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t check(const struct record *in)
{
	struct record r = *in;
	const struct span *spans[] = { &r.client, &r.server, &r.host, &r.request, &r.upstream,
				       &r.pid };

	if (record_match_len(&r) > r.msg_len)
		abort();
	record_fields(&r);
	if (r.fields_pending || r.core_len > r.msg_len)
		abort();
	for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++)
		if (spans[i]->len && (size_t)spans[i]->off + spans[i]->len > r.len)
			abort();
	return r.msg_len + r.client.len + r.request.len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", 0);
	FILE *devnull = fopen("/dev/null", "w");
	enum log_format forced = size ? (enum log_format)(data[0] % (FMT_COUNT + 1)) : FMT_COUNT;
	struct lines *ls = lines_new(size && data[0] & 0x80 ? 64 : LINES_DEFAULT_MAX);
	struct group *g = group_new();
	struct record_parser p;
	struct diag dg;
	struct decoder *d;
	struct record r;
	struct line ln;
	struct tzone z;
	volatile size_t sink = 0;

	if (fd < 0 || !devnull || !ls || !g)
		abort();
	if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	diag_init(&dg, devnull);
	tzone_init_fixed(&z, 3600);
	record_parser_init(&p, forced, &z);
	p.defer_fields = size && data[0] & 0x40;
	d = decoder_open(fd, "fuzz", &dg);
	if (d) {
		lines_reset(ls, d, 0);
		group_reset(g, &p);
		while (lines_next(ls, &ln) > 0)
			if (group_push(g, &ln, &r))
				sink += check(&r);
		if (group_flush(g, &r))
			sink += check(&r);
		decoder_close(d);
	}
	(void)sink;
	record_parser_release(&p);
	group_free(g);
	lines_free(ls);
	fclose(devnull);
	close(fd);
	return 0;
}
