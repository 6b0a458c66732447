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
 */
#ifndef LOGCAUSE_EVENTS_H
#define LOGCAUSE_EVENTS_H

#include <stdio.h>

#include "record.h"
#include "rules.h"

/* Writes one record; cause is an index into rs->causes or -1. */
void events_write(FILE *out, const char *file, const struct record *r,
		  const struct ruleset *rs, long cause);

#endif
