/* Helpers shared by the Check suites. */
#ifndef LOGCAUSE_TESTUTIL_H
#define LOGCAUSE_TESTUTIL_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"

Suite *arena_suite(void);
Suite *catalogue_suite(void);
Suite *cli_suite(void);
Suite *decode_suite(void);
Suite *diag_suite(void);
Suite *group_suite(void);
Suite *join_suite(void);
Suite *json_suite(void);
Suite *jsonr_suite(void);
Suite *lines_suite(void);
Suite *match_suite(void);
Suite *prefilter_suite(void);
Suite *record_suite(void);
Suite *report_suite(void);
Suite *rqueue_suite(void);
Suite *rules_suite(void);
Suite *source_suite(void);
Suite *tally_suite(void);
Suite *template_suite(void);
Suite *topk_suite(void);
Suite *timeline_suite(void);
Suite *tstamp_suite(void);

/* An unlinked temporary file holding data, positioned at its start. */
int tmpfd_with(const void *data, size_t n);

/* A diag whose messages land in memory, for asserting exact text. */
struct capture {
	struct diag dg;
	char *text;
	size_t len;
};

void capture_open(struct capture *c);
/* Returns everything printed so far, NUL-terminated. */
const char *capture_text(struct capture *c);
void capture_close(struct capture *c);

/* Whether text is exactly one valid JSON value (RFC 8259, strict UTF-8),
 * optionally followed by white space. */
bool json_valid(const char *text);

/* Reads a whole file into a malloc'd NUL-terminated buffer; NULL if absent. */
char *slurp(const char *path, size_t *len);

#endif
