/* libFuzzer target: every decoder over arbitrary bytes.  The codec is
 * sniffed from the input, so one target reaches gzip, zstd, xz, bzip2 and
 * plain; reads of varying size cross every internal boundary. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[1 << 16];
	int fd = memfd_create("fuzz", 0);
	FILE *devnull = fopen("/dev/null", "w");
	struct diag dg;
	struct decoder *d;
	size_t chunk = size ? 1 + data[0] % 4096 : 1;
	uint64_t total = 0;
	ssize_t n;

	if (fd < 0 || !devnull)
		abort();
	if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	diag_init(&dg, devnull);
	d = decoder_open(fd, "fuzz", &dg);
	if (d) {
		/* A bomb must stream, not hang the fuzzer: stop at 64 MiB. */
		while ((n = decoder_read(d, buf, chunk)) > 0 && total < (64u << 20))
			total += (uint64_t)n;
		decoder_close(d);
	}
	fclose(devnull);
	close(fd);
	return 0;
}
