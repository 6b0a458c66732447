/*
 * diff — `logcause diff BASE.json NEW.json`: what is new in this incident
 * against a baseline such as yesterday's log.
 *
 * Data flow: two JSON reports (checked alike by merge_add_file) -> diff ->
 * one of the report formats.  It tells the causes that appeared and that
 * vanished, the causes whose share of fault events moved most, and the
 * templates of NEW that BASE never saw (under any cause, or unattributed):
 * the messages nobody has met before are where to look first.
 */
#ifndef LOGCAUSE_DIFF_H
#define LOGCAUSE_DIFF_H

#include <stdbool.h>
#include <stdio.h>

#include "jsonr.h"

struct diff_result {
	size_t appeared, vanished, new_templates;
};

/* Writes the difference of two reports in format ("text", "json",
 * "markdown" or "html") and fills *res.  Returns 0, or -1 when the format
 * is unknown or writing failed. */
int diff_reports(FILE *out, const char *format, const char *base_name, const struct jv *base,
		 const char *new_name, const struct jv *new_doc, struct diff_result *res);

#endif
