/* libFuzzer target: the line splitter, multi-line grouping and every
 * record parser over arbitrary bytes.  The first byte picks the format
 * (or detection) and a small line bound, so truncation and the group
 * bounds are reached too. */

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
	d = decoder_open(fd, "fuzz", &dg);
	if (d) {
		lines_reset(ls, d, 0);
		group_reset(g, &p);
		while (lines_next(ls, &ln) > 0)
			if (group_push(g, &ln, &r))
				sink += r.msg_len + r.client.len + r.request.len;
		if (group_flush(g, &r))
			sink += r.msg_len;
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
