/*
 * source — turns command-line arguments into an ordered list of inputs.
 *
 * Data flow: arguments -> source -> decode.  "-" is standard input.  A
 * directory stands for its log files in rotation order, oldest first, so
 * time flows forward through the report:
 *
 *     error.log.12.gz … error.log.2.gz, error.log.1, error.log
 *     error.log-20261125.gz, error.log-20261126, error.log
 *
 * Files are grouped by base name (rotation and compression suffixes
 * removed), groups in name order.  Only the directory's own regular,
 * non-hidden files are taken; subdirectories are not descended.
 */
#ifndef LOGCAUSE_SOURCE_H
#define LOGCAUSE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct source {
	char *path;     /* owned; "-" for standard input */
	char *name;     /* owned; what messages and the report call it */
	bool is_stdin;
};

struct source_list {
	struct source *items;
	size_t n, cap;
};

void source_list_init(struct source_list *l);

/* Adds the inputs one argument stands for.  Returns 0, or -1 after reporting
 * an argument that is missing, unreadable, or a directory with no files;
 * the list keeps what could be added. */
int source_add_arg(struct source_list *l, const char *arg, struct diag *dg);

/* Opens an input for reading.  Returns an fd, or -1 after reporting. */
int source_open(const struct source *s, struct diag *dg);

void source_list_release(struct source_list *l);

/* Orders two file names of one directory as rotation would: negative when a
 * is older (comes first).  Exposed for tests. */
int source_rotation_cmp(const char *a, const char *b);

#endif
