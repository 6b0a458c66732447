#include "testutil.h"

#include <stdbool.h>
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

/* A strict validator of one JSON string token at *p: returns false on any
 * raw control character, bad escape or invalid UTF-8. */
static bool valid_string(const unsigned char **p)
{
	const unsigned char *s = *p;

	if (*s++ != '"')
		return false;
	while (*s != '"') {
		if (*s < 0x20)
			return false;
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
						return false;
				s += 5;
			} else if (*s && strchr("\"\\/bfnrt", *s)) {
				s++;
			} else {
				return false;
			}
			continue;
		}
		if (*s < 0x80) {
			s++;
			continue;
		}
		{
			int need = *s >= 0xf0 ? 3 : *s >= 0xe0 ? 2 : *s >= 0xc2 ? 1 : -1;

			if (need < 0 || *s > 0xf4)
				return false;
			for (int i = 1; i <= need; i++)
				if ((s[i] & 0xc0) != 0x80)
					return false;
			s += need + 1;
		}
	}
	*p = s + 1;
	return true;
}


static void skip_ws(const unsigned char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

static bool valid_value(const unsigned char **p, int depth)
{
	const unsigned char *s;

	if (depth > 64)
		return false;
	skip_ws(p);
	s = *p;
	if (*s == '"')
		return valid_string(p);
	if (*s == '{' || *s == '[') {
		bool object = *s == '{';
		char close = object ? '}' : ']';

		(*p)++;
		skip_ws(p);
		if (**p == close) {
			(*p)++;
			return true;
		}
		for (;;) {
			if (object) {
				skip_ws(p);
				if (!valid_string(p))
					return false;
				skip_ws(p);
				if (*(*p)++ != ':')
					return false;
			}
			if (!valid_value(p, depth + 1))
				return false;
			skip_ws(p);
			if (**p == ',') {
				(*p)++;
				continue;
			}
			if (**p == close) {
				(*p)++;
				return true;
			}
			return false;
		}
	}
	if (strncmp((const char *)s, "true", 4) == 0 || strncmp((const char *)s, "null", 4) == 0) {
		*p += 4;
		return true;
	}
	if (strncmp((const char *)s, "false", 5) == 0) {
		*p += 5;
		return true;
	}
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return false;
	if (*s == '.') {
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	*p = s;
	return true;
}

bool json_valid(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	if (!valid_value(&p, 0))
		return false;
	skip_ws(&p);
	return *p == '\0';
}
