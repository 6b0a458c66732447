/* source: rotation order, directory expansion, missing inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"
#include "testutil.h"

static int cmp(const void *a, const void *b)
{
	return source_rotation_cmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(test_rotation_order)
{
	const char *names[] = {
		"error.log",	     "error.log.1",	 "error.log.12.gz", "access.log",
		"error.log.2.gz",    "access.log.1",	 "error.log.3.zst", "other-20261125.log",
	};
	const char *expect[] = {
		"access.log.1",	     "access.log",	"error.log.12.gz", "error.log.3.zst",
		"error.log.2.gz",    "error.log.1",	"error.log",	   "other-20261125.log",
	};
	size_t n = sizeof names / sizeof names[0];

	qsort(names, n, sizeof *names, cmp);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(names[i], expect[i]);
}
END_TEST

START_TEST(test_dateext_order)
{
	const char *names[] = { "error.log", "error.log-20261127.gz", "error.log-20261125",
				"error.log-20261126.gz" };
	const char *expect[] = { "error.log-20261125", "error.log-20261126.gz",
				 "error.log-20261127.gz", "error.log" };

	qsort(names, 4, sizeof *names, cmp);
	for (size_t i = 0; i < 4; i++)
		ck_assert_str_eq(names[i], expect[i]);
}
END_TEST

static void touch(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
}

START_TEST(test_directory)
{
	char dir[] = "/tmp/logcause-src-XXXXXX", sub[600], empty[600];
	struct source_list l;
	struct capture cap;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	touch(dir, "error.log");
	touch(dir, "error.log.2.gz");
	touch(dir, "error.log.1");
	touch(dir, ".hidden");
	snprintf(sub, sizeof sub, "%s/old", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	snprintf(empty, sizeof empty, "%s/old", dir);

	source_list_init(&l);
	capture_open(&cap);
	ck_assert_int_eq(source_add_arg(&l, dir, &cap.dg), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_ptr_nonnull(strstr(l.items[0].path, "/error.log.2.gz"));
	ck_assert_ptr_nonnull(strstr(l.items[1].path, "/error.log.1"));
	ck_assert_ptr_nonnull(strstr(l.items[2].path, "/error.log"));
	/* A directory with nothing to read is an error that names it. */
	ck_assert_int_eq(source_add_arg(&l, empty, &cap.dg), -1);
	ck_assert_ptr_nonnull(strstr(capture_text(&cap), ": no log files in directory\n"));
	ck_assert_int_eq(source_add_arg(&l, "/nonexistent.log", &cap.dg), -1);
	ck_assert_ptr_nonnull(strstr(capture_text(&cap),
				     "logcause: /nonexistent.log: No such file or directory\n"));
	ck_assert_int_eq(source_add_arg(&l, "-", &cap.dg), 0);
	ck_assert(l.items[3].is_stdin);
	ck_assert_str_eq(l.items[3].name, "(stdin)");
	ck_assert_uint_eq(l.n, 4);
	capture_close(&cap);
	source_list_release(&l);
	rmdir(sub);
	{
		char cmd[600];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		ck_assert_int_eq(system(cmd), 0);
	}
}
END_TEST

START_TEST(test_open_errors)
{
	struct source s = { "/nonexistent.log", "/nonexistent.log", false };
	struct capture cap;

	capture_open(&cap);
	ck_assert_int_eq(source_open(&s, &cap.dg), -1);
	ck_assert_str_eq(capture_text(&cap), "logcause: /nonexistent.log: No such file or directory\n");
	capture_close(&cap);
}
END_TEST

Suite *source_suite(void)
{
	Suite *s = suite_create("source");
	TCase *tc = tcase_create("inputs");

	tcase_add_test(tc, test_rotation_order);
	tcase_add_test(tc, test_dateext_order);
	tcase_add_test(tc, test_directory);
	tcase_add_test(tc, test_open_errors);
	suite_add_tcase(s, tc);
	return s;
}
