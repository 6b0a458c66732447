/*
 * rules — the pattern-file (*.rules) loader and validator.
 *
 * Data flow: pattern files -> rules -> match.  This module only reads and
 * checks text; match.c compiles the regexes.  The format (see
 * logcause.rules(5)):
 *
 *     # comment
 *     [cause db]
 *     title    = Database unreachable or failing
 *     kind     = fault          # trailing comments on kind/status/priority only
 *     status   = 500 502
 *     priority = 800
 *     hint     = Check the database is up and reachable.
 *     match    = SQLSTATE\[(?:HY000|08006)\]
 *     example  = 2026/11/27 10:15:02 [error] 811#811: *4411 … SQLSTATE[HY000] …
 *     never    = 2026/11/27 10:15:03 [error] 811#811: *4412 open() … (2: …)
 *
 * The same cause in two files is one cause: metadata once, matches added.
 * Every error names FILE:LINE:COL; any error fails the whole load, because a
 * rule silently dropped is a wrong report nobody notices.
 */
#ifndef LOGCAUSE_RULES_H
#define LOGCAUSE_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"

enum cause_kind {
	CAUSE_FAULT, /* a server-side cause of 5xx responses */
	CAUSE_NOISE, /* not a 5xx cause: 404s, client aborts */
};

enum { RULES_MAX_STATUS = 8 };

struct cause {
	const char *name, *title, *hint; /* hint may be NULL */
	enum cause_kind kind;
	int priority;
	unsigned short status[RULES_MAX_STATUS];
	size_t nstatus;
	const char *file;   /* where the cause was first named */
	unsigned line;
	bool has_title, has_kind, has_priority, has_status, has_hint;
};

struct rule {
	size_t cause;       /* index into ruleset.causes */
	const char *regex;
	const char *file;
	unsigned line, col; /* col: 1-based column where the regex starts */
};

struct sample {
	size_t cause;
	bool never;         /* a `never` line: must not be attributed here */
	const char *text;
	const char *file;
	unsigned line;
};

struct ruleset {
	struct cause *causes;
	size_t ncauses, causes_cap;
	struct rule *rules;
	size_t nrules, rules_cap;
	struct sample *samples;
	size_t nsamples, samples_cap;
	size_t nfiles;
	struct arena text;  /* every string above lives here */
};

void rules_init(struct ruleset *rs);

/* Loads a pattern file, or every *.rules file of a directory in name order.
 * Returns 0, or -1 after reporting every error found in the file(s). */
int rules_load_path(struct ruleset *rs, const char *path, struct diag *dg);

/* Loads rules from memory; name is used in messages.  Returns 0 or -1. */
int rules_load_buffer(struct ruleset *rs, const char *name, const char *buf,
		      size_t len, struct diag *dg);

/* Checks what only the whole set can show (a cause with no title or kind,
 * no causes at all).  Returns 0 or -1 after reporting. */
int rules_finish(struct ruleset *rs, struct diag *dg);

/* Index of the cause called name, or -1. */
long rules_find_cause(const struct ruleset *rs, const char *name);

void rules_release(struct ruleset *rs);

#endif
