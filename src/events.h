/*
 * events — `--events`: one JSON object per record (NDJSON), with its
 * attribution, for jq and for loading elsewhere.
 *
 *     {"file":"error.log","line":12,"format":"nginx-error",
 *      "time":"2026-11-27T10:15:02Z","level":"error","cause":"db",
 *      "client":"203.0.113.9","request":"GET /cart HTTP/1.1",
 *      "text":"2026/11/27 10:15:02 [error] …"}
 *
 * time, level and cause are null when unknown; fields appear only when the
 * record has them; status only on access-log records.  Valid JSON for any
 * input bytes (see json.h).
 *
 * When access logs are joined to error logs, a response says which record
 * explains it, and how it was matched ("fields", "client", "time"):
 *
 *     {"file":"access.log","line":88,"format":"access",…,"status":502,
 *      "cause":"upstream-down","by":"fields",
 *      "error":{"file":"error.log","line":41},…}
 *
 * cause, by and error are null for a response nothing explains.
 */
#ifndef LOGCAUSE_EVENTS_H
#define LOGCAUSE_EVENTS_H

#include <stdio.h>

#include "record.h"
#include "responses.h"
#include "rules.h"

/* Writes one record; cause is an index into rs->causes or -1. */
void events_write(FILE *out, const char *file, const struct record *r,
		  const struct ruleset *rs, long cause);

/* Writes one access-log response and what the join made of it; error_file
 * names the input of the record that explains it (NULL when none). */
void events_write_response(FILE *out, const char *file, const struct record *r,
			   const struct ruleset *rs, const struct join_match *m,
			   const char *error_file);

#endif
