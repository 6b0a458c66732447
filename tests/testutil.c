#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int tmpfd_with(const void *data, size_t n)
{
	char path[] = "/tmp/logcause-test-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

void capture_open(struct capture *c)
{
	FILE *f;

	c->text = NULL;
	c->len = 0;
	f = open_memstream(&c->text, &c->len);
	ck_assert_ptr_nonnull(f);
	diag_init(&c->dg, f);
}

const char *capture_text(struct capture *c)
{
	fflush(c->dg.out);
	return c->text ? c->text : "";
}

void capture_close(struct capture *c)
{
	fclose(c->dg.out);
	free(c->text);
}

char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}
