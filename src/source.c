#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void source_list_init(struct source_list *l)
{
	l->items = NULL;
	l->n = l->cap = 0;
}

void source_list_release(struct source_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].path);
		free(l->items[i].name);
	}
	free(l->items);
	source_list_init(l);
}

static int push(struct source_list *l, const char *path, bool is_stdin, struct diag *dg)
{
	struct source *s;

	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		struct source *p = realloc(l->items, ncap * sizeof *p);

		if (!p)
			return diag_error(dg, path, "out of memory");
		l->items = p;
		l->cap = ncap;
	}
	s = &l->items[l->n];
	s->is_stdin = is_stdin;
	s->path = strdup(path);
	s->name = strdup(is_stdin ? "(stdin)" : path);
	if (!s->path || !s->name) {
		free(s->path);
		free(s->name);
		return diag_error(dg, path, "out of memory");
	}
	l->n++;
	return 0;
}

/*
 * The rotation key of a file name: its base (compression and rotation
 * suffixes removed), and where it stands among its rotations.  Numbered
 * rotations (.1, .2 …) are older the larger the number; dated ones
 * (-20261127, .2026-11-27) are older the earlier the date; the live file,
 * with no suffix, is newest.
 */
struct rotation {
	size_t base_len;
	int rank;        /* 0 numbered, 1 dated, 2 live */
	unsigned long number;
	const char *date;
	size_t date_len;
};

static size_t strip_compression(const char *name, size_t n)
{
	static const char *const exts[] = { ".gz", ".zst", ".xz", ".bz2", ".z", ".Z" };

	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		size_t e = strlen(exts[i]);

		if (n > e && memcmp(name + n - e, exts[i], e) == 0)
			return n - e;
	}
	return n;
}

static struct rotation rotation_of(const char *name)
{
	struct rotation r = { 0, 2, 0, NULL, 0 };
	size_t n = strip_compression(name, strlen(name));
	size_t i = n;

	while (i > 0 && ((name[i - 1] >= '0' && name[i - 1] <= '9') || name[i - 1] == '-'))
		i--;
	/* "error.log.3": a rotation number after a dot. */
	if (i < n && i > 0 && name[i - 1] == '.' && n - i <= 6 &&
	    strspn(name + i, "0123456789") == n - i) {
		r.base_len = i - 1;
		r.rank = 0;
		r.number = strtoul(name + i, NULL, 10);
		return r;
	}
	/* "error.log-20261127", "error.log.2026-11-27": logrotate's dateext. */
	if (i > 0 && n - i >= 8 && (name[i - 1] == '-' || name[i - 1] == '.' ||
				      name[i - 1] == '_')) {
		r.base_len = i - 1;
		r.rank = 1;
		r.date = name + i;
		r.date_len = n - i;
		return r;
	}
	if (i < n && name[i] == '-' && n - i - 1 >= 8) {
		r.base_len = i;
		r.rank = 1;
		r.date = name + i + 1;
		r.date_len = n - i - 1;
		return r;
	}
	r.base_len = n;
	return r;
}

int source_rotation_cmp(const char *a, const char *b)
{
	struct rotation ra = rotation_of(a), rb = rotation_of(b);
	size_t common = ra.base_len < rb.base_len ? ra.base_len : rb.base_len;
	int c = memcmp(a, b, common);

	if (c != 0)
		return c;
	if (ra.base_len != rb.base_len)
		return ra.base_len < rb.base_len ? -1 : 1;
	if (ra.rank != rb.rank)
		return ra.rank - rb.rank;
	if (ra.rank == 0 && ra.number != rb.number)
		return ra.number > rb.number ? -1 : 1;
	if (ra.rank == 1) {
		size_t m = ra.date_len < rb.date_len ? ra.date_len : rb.date_len;

		c = memcmp(ra.date, rb.date, m);
		if (c != 0)
			return c;
		if (ra.date_len != rb.date_len)
			return ra.date_len < rb.date_len ? -1 : 1;
	}
	/* Same base and age: the uncompressed one was rotated last. */
	return strcmp(a, b);
}

static int cmp_rotation(const void *a, const void *b)
{
	return source_rotation_cmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(struct source_list *l, const char *path, struct diag *dg)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	size_t plen = strlen(path);
	const char *sep = plen > 0 && path[plen - 1] == '/' ? "" : "/";

	if (!dir)
		return diag_error(dg, path, "%s", strerror(errno));
	while ((de = readdir(dir)) != NULL) {
		char full[PATH_MAX];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(full, sizeof full, "%s%s%s", path, sep, de->d_name) >=
		    sizeof full)
			continue;
		/* stat, not lstat: a symlink to a log is a log; a link loop
		 * or dangling link fails here and is skipped with the rest of
		 * what is not a regular file. */
		if (stat(full, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **p = realloc(names, ncap * sizeof *p);

			if (!p) {
				rc = diag_error(dg, path, "out of memory");
				goto out;
			}
			names = p;
			cap = ncap;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = diag_error(dg, path, "out of memory");
			goto out;
		}
		n++;
	}
	if (n == 0) {
		rc = diag_error(dg, path, "no log files in directory");
		goto out;
	}
	qsort(names, n, sizeof *names, cmp_rotation);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char full[PATH_MAX];

		snprintf(full, sizeof full, "%s%s%s", path, sep, names[i]);
		rc = push(l, full, false, dg);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return rc;
}

int source_add_arg(struct source_list *l, const char *arg, struct diag *dg)
{
	struct stat st;

	if (strcmp(arg, "-") == 0)
		return push(l, arg, true, dg);
	if (stat(arg, &st) < 0)
		return diag_error(dg, arg, "%s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return add_dir(l, arg, dg);
	return push(l, arg, false, dg);
}

int source_open(const struct source *s, struct diag *dg)
{
	struct stat st;
	int fd;

	if (s->is_stdin)
		return STDIN_FILENO;
	fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return diag_error(dg, s->name, "%s", strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return diag_error(dg, s->name, "is a directory");
	}
	return fd;
}
