/*
 * logcause — rank the causes of a site's 5xx errors from its error logs.
 *
 * main wires the data flow (source -> decode -> lines -> record -> match ->
 * tally -> report), parses the options once into a struct options, and is
 * the only place that decides the exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "events.h"
#include "diag.h"
#include "diff.h"
#include "join.h"
#include "lines.h"
#include "match.h"
#include "merge.h"
#include "profile.h"
#include "progress.h"
#include "record.h"
#include "report.h"
#include "rqueue.h"
#include "rules.h"
#include "source.h"
#include "stream.h"
#include "suggest.h"
#include "tally.h"
#include "verdict.h"
#include "verify.h"

#ifndef LOGCAUSE_VERSION
#define LOGCAUSE_VERSION "0.1.0"
#endif
#ifndef LOGCAUSE_PATTERN_DIR
#define LOGCAUSE_PATTERN_DIR "/usr/local/share/logcause/patterns"
#endif

enum exit_status {
	EXIT_OK = 0,      /* analysed; no threshold breached */
	EXIT_BREACH = 1,  /* a --fail-on threshold was breached */
	EXIT_TROUBLE = 2, /* usage, pattern file, or an input not read whole */
};

enum { MAX_PATTERN_ARGS = 64 };

struct options {
	const char *patterns[MAX_PATTERN_ARGS];
	size_t npatterns;
	const char *access[MAX_PATTERN_ARGS]; /* --access: access logs */
	size_t naccess;
	int64_t join_window;    /* --join-window, microseconds; 0: default */
	bool no_default_patterns;
	bool check_patterns;
	bool quiet;
	bool verbose;
	bool rule_stats;
	bool suggest;
	bool events;
	bool stats;
	const char *since, *until, *tz;
	const char *fail_on[VERDICT_MAX];
	size_t nfail_on;
	const char *max_unattributed;
	uint64_t max_bytes;     /* per input, decoded; 0: no limit */
	enum { MODE_ANALYSE, MODE_MERGE, MODE_RENDER, MODE_DIFF } mode;
	enum level min_level;
	enum log_format input_format; /* FMT_COUNT: detect */
	const char *output;
	char **inputs;
	size_t ninputs;
};

static const char usage_line[] =
	"usage: logcause [-q] [-o FORMAT] [-p FILE|DIR]... [--min-level LEVEL] [FILE|DIR|-]...\n"
	"       logcause [options] ERROR-LOG... ACCESS-LOG...   (or --access FILE|DIR)\n"
	"       logcause --events [options] [FILE|DIR|-]...\n"
	"       logcause --check-patterns [-v] [-p FILE|DIR]...\n"
	"       logcause merge [-o FORMAT] [--fail-on SPEC]... REPORT.json...\n"
	"       logcause render [-o FORMAT] REPORT.json\n"
	"       logcause diff [-o FORMAT] [--fail-on new-cause] BASE.json NEW.json\n";

static void help(void)
{
	printf("%s", usage_line);
	printf("\n"
	       "Reads web-server and application error logs (plain, gzip, zstd, xz,\n"
	       "bzip2; files, directories of rotated logs, or standard input) and\n"
	       "ranks the causes of the errors they record.\n"
	       "\n"
	       "  -o, --output FORMAT       report format: %s (default text)\n"
	       "  -p, --patterns FILE|DIR   load pattern rules (repeatable)\n"
	       "      --no-default-patterns do not load the default catalogue\n"
	       "      --check-patterns      prove every example/never line of the\n"
	       "                            loaded rules, then exit\n"
	       "      --min-level LEVEL     attribute records at LEVEL or above\n"
	       "                            (emerg alert crit error warn notice info\n"
	       "                            debug; default error)\n"
	       "      --input-format NAME   parse every input as NAME (nginx-error,\n"
	       "                            apache-error, php-fpm, syslog, json, rails,\n"
	       "                            access, generic)\n"
	       "      --events              instead of the report, one JSON object per\n"
	       "                            record with its cause (NDJSON)\n"
	       "      --access FILE|DIR     read FILE as an access log and say which error\n"
	       "                            record explains each 5xx response (access logs\n"
	       "                            among the inputs are recognised by themselves)\n"
	       "      --join-window TIME    how long before its response an error may be\n"
	       "                            logged: the longest upstream timeout (default\n"
	       "                            75s; 90s, 5m)\n"
	       "      --since WHEN          only records at or after WHEN: 2026-11-27T10:00,\n"
	       "                            2026-11-27, 10:00 (today), or 2h / 30m / 1d\n"
	       "                            back from the newest record\n"
	       "      --until WHEN          only records at or before WHEN (same forms)\n"
	       "      --tz ZONE             zone of stamps that carry none, and of the\n"
	       "                            report: Europe/Berlin, UTC, +05:30 (default TZ)\n"
	       "      --fail-on SPEC        exit 1 when a threshold is breached: CAUSE[,CAUSE]\n"
	       "                            (any event), 'CAUSE>N', 'CAUSE>P%%', or any\n"
	       "                            (any fault cause); repeatable\n"
	       "      --max-unattributed N|P%%  exit 1 when more records at the level are\n"
	       "                            unexplained\n"
	       "      --suggest             instead of the report, draft [cause] rules for\n"
	       "                            the biggest groups of unattributed records\n"
	       "      --max-bytes SIZE      read at most SIZE decoded bytes of each input\n"
	       "                            (k, M, G: powers of 1024)\n"
	       "      --rule-stats          instead of the report, show how each rule\n"
	       "                            fared: hits, rules never fired, records two\n"
	       "                            causes matched, share unattributed\n"
	       "      --stats               also print where the time went (reading,\n"
	       "                            lines, parsing, matching, tallying) to stderr\n"
	       "  -q, --quiet               print no report; the exit status tells\n"
	       "  -v, --verbose             with --check-patterns, also list every example\n"
	       "                            that another cause matches too\n"
	       "  -h, --help                show this help and exit\n"
	       "  -V, --version             show the version and exit\n"
	       "\n"
	       "Exit status: 0 analysed, 1 threshold breached, 2 trouble (usage,\n"
	       "pattern file, or an input that could not be read whole).\n"
	       "See logcause(1) and logcause.rules(5).\n",
	       report_format_names());
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "logcause: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%sTry 'logcause --help' for more information.\n", usage_line);
	return EXIT_TROUBLE;
}

enum {
	OPT_NO_DEFAULT = 256,
	OPT_CHECK_PATTERNS,
	OPT_MIN_LEVEL,
	OPT_INPUT_FORMAT,
	OPT_RULE_STATS,
	OPT_EVENTS,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_TZ,
	OPT_FAIL_ON,
	OPT_MAX_UNATTRIBUTED,
	OPT_SUGGEST,
	OPT_MAX_BYTES,
	OPT_ACCESS,
	OPT_JOIN_WINDOW,
	OPT_STATS,
};

static const struct option long_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "patterns", required_argument, NULL, 'p' },
	{ "no-default-patterns", no_argument, NULL, OPT_NO_DEFAULT },
	{ "check-patterns", no_argument, NULL, OPT_CHECK_PATTERNS },
	{ "min-level", required_argument, NULL, OPT_MIN_LEVEL },
	{ "input-format", required_argument, NULL, OPT_INPUT_FORMAT },
	{ "rule-stats", no_argument, NULL, OPT_RULE_STATS },
	{ "suggest", no_argument, NULL, OPT_SUGGEST },
	{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
	{ "events", no_argument, NULL, OPT_EVENTS },
	{ "access", required_argument, NULL, OPT_ACCESS },
	{ "join-window", required_argument, NULL, OPT_JOIN_WINDOW },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "max-unattributed", required_argument, NULL, OPT_MAX_UNATTRIBUTED },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, or the exit status to leave with. */
static int parse_options(int argc, char **argv, struct options *o, int mode)
{
	int c;

	memset(o, 0, sizeof *o);
	o->mode = mode;
	o->min_level = LEVEL_ERROR;
	o->input_format = FMT_COUNT;
	o->output = "text";
	/* Messages are ours (one line, then the usage): a leading ':' makes
	 * getopt report a missing value as ':' and say nothing itself. */
	while ((c = getopt_long(argc, argv, ":o:p:qvhV", long_options, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!report_emitter(optarg))
				return usage_error("unknown output format '%s'", optarg);
			o->output = optarg;
			break;
		case 'p':
			if (o->npatterns == MAX_PATTERN_ARGS)
				return usage_error("too many -p options (at most %d)", MAX_PATTERN_ARGS);
			o->patterns[o->npatterns++] = optarg;
			break;
		case OPT_NO_DEFAULT:
			o->no_default_patterns = true;
			break;
		case OPT_STATS:
			o->stats = true;
			break;
		case OPT_ACCESS:
			if (o->naccess == MAX_PATTERN_ARGS)
				return usage_error("too many --access options (at most %d)", MAX_PATTERN_ARGS);
			o->access[o->naccess++] = optarg;
			break;
		case OPT_JOIN_WINDOW: {
			struct tstamp_when w;
			struct tzone z;

			tzone_init_fixed(&z, 0);
			if (tstamp_parse_when(optarg, &z, 0, &w) < 0 || !w.ago || w.t <= 0)
				return usage_error("--join-window: '%s' is not a duration (e.g. 90s, 5m)",
						   optarg);
			o->join_window = w.t;
			break;
		}
		case OPT_CHECK_PATTERNS:
			o->check_patterns = true;
			break;
		case OPT_MIN_LEVEL:
			o->min_level = record_level_from_word(optarg, strlen(optarg));
			if (o->min_level == LEVEL_NONE)
				return usage_error("unknown level '%s'", optarg);
			break;
		case OPT_INPUT_FORMAT:
			o->input_format = record_format_from_name(optarg);
			if (o->input_format == FMT_COUNT)
				return usage_error("unknown input format '%s'", optarg);
			break;
		case OPT_RULE_STATS:
			o->rule_stats = true;
			break;
		case OPT_EVENTS:
			o->events = true;
			break;
		case OPT_SUGGEST:
			o->suggest = true;
			break;
		case OPT_MAX_BYTES: {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);
			int shift = *end == 'k' || *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;

			if (shift)
				end++;
			if (end == optarg || *end || v == 0 || v > (UINT64_MAX >> shift))
				return usage_error("--max-bytes: '%s' is not a size (e.g. 500M)", optarg);
			o->max_bytes = (uint64_t)v << shift;
			break;
		}
		case OPT_FAIL_ON:
			if (o->nfail_on == VERDICT_MAX)
				return usage_error("too many --fail-on options (at most %d)", VERDICT_MAX);
			o->fail_on[o->nfail_on++] = optarg;
			break;
		case OPT_MAX_UNATTRIBUTED:
			o->max_unattributed = optarg;
			break;
		case OPT_SINCE:
			o->since = optarg;
			break;
		case OPT_UNTIL:
			o->until = optarg;
			break;
		case OPT_TZ: {
			char tz[256];

			if (tstamp_tz_setting(optarg, tz, sizeof tz) < 0)
				return usage_error("unknown time zone '%s'", optarg);
			/* One zone for parsing and for printing: set it for
			 * the whole process, before anything reads TZ. */
			setenv("TZ", tz, 1);
			tzset();
			o->tz = optarg;
			break;
		}
		case 'q':
			o->quiet = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			help();
			return EXIT_OK;
		case 'V':
			printf("logcause %s\n", LOGCAUSE_VERSION);
			return EXIT_OK;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt && optopt < 256) {
				char opt[3] = { '-', (char)optopt, '\0' };

				return usage_error("unknown option '%s'", opt);
			}
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	o->inputs = argv + optind;
	o->ninputs = (size_t)(argc - optind);
	if (o->mode != MODE_ANALYSE) {
		if (o->ninputs == 0 || (o->mode == MODE_RENDER && o->ninputs != 1))
			return usage_error(o->mode == MODE_RENDER ? "render takes one JSON report"
								  : "merge takes JSON reports");
		if (o->mode == MODE_DIFF && o->ninputs != 2)
			return usage_error("diff takes two JSON reports: BASE.json NEW.json");
		for (size_t i = 0; o->mode == MODE_DIFF && i < o->nfail_on; i++)
			if (strcmp(o->fail_on[i], "new-cause") != 0)
				return usage_error("diff: --fail-on takes new-cause, not '%s'", o->fail_on[i]);
		if (o->events || o->rule_stats || o->suggest || o->check_patterns || o->naccess)
			return usage_error("a saved report has no records for --events, --rule-stats, "
					   "--suggest, --check-patterns or --access");
	}
	if (o->events + o->rule_stats + o->suggest > 1)
		return usage_error("--events, --rule-stats and --suggest are different outputs: "
				   "choose one");
	{
		/* Check the window's syntax now, before any input is read;
		 * its value is worked out once the inputs are known. */
		const char *bounds[2][2] = { { "--since", o->since }, { "--until", o->until } };
		struct tstamp_when w;
		struct tzone z;

		tzone_init_local(&z);
		for (int i = 0; i < 2; i++)
			if (bounds[i][1] && tstamp_parse_when(bounds[i][1], &z, 0, &w) < 0)
				return usage_error("%s: cannot read '%s' as a date, time or duration",
						   bounds[i][0], bounds[i][1]);
	}
	return -1;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The default catalogue: $LOGCAUSE_PATTERNS; else beside the binary (a build
 * tree); else ../share/logcause/patterns relative to the binary (an install
 * under any PREFIX, even one given only to `make install`); else the
 * directory compiled in.
 */
static int load_default_patterns(struct ruleset *rs, struct diag *dg)
{
	const char *env = getenv("LOGCAUSE_PATTERNS");
	char exe[PATH_MAX], cand[PATH_MAX + 64];
	ssize_t n;

	if (env && *env)
		return rules_load_path(rs, env, dg);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(cand, sizeof cand, "%s/patterns", exe);
			if (is_dir(cand))
				return rules_load_path(rs, cand, dg);
			snprintf(cand, sizeof cand, "%s/../share/logcause/patterns", exe);
			if (is_dir(cand))
				return rules_load_path(rs, cand, dg);
		}
	}
	if (is_dir(LOGCAUSE_PATTERN_DIR))
		return rules_load_path(rs, LOGCAUSE_PATTERN_DIR, dg);
	return diag_error(dg, NULL,
			  "default patterns not found (set LOGCAUSE_PATTERNS, or use -p "
			  "and --no-default-patterns)");
}

static int load_patterns(const struct options *o, struct ruleset *rs, struct diag *dg)
{
	int rc = 0;

	if (!o->no_default_patterns && load_default_patterns(rs, dg) < 0)
		rc = -1;
	for (size_t i = 0; i < o->npatterns; i++)
		if (rules_load_path(rs, o->patterns[i], dg) < 0)
			rc = -1;
	if (rc == 0)
		rc = rules_finish(rs, dg);
	return rc;
}

/* Everything one run holds: owned here, released in one place. */
struct run {
	const struct options *opt;
	struct diag *dg;
	struct ruleset rules;
	struct matcher *matcher;
	struct tally *tally;
	struct lines *lines;    /* for the first pass of --since 2h */
	struct source_list sources;
	bool *is_access;        /* per source: an access log, for the join */
	struct input_summary *inputs; /* per source; compacted once read */
	size_t ninputs;
	size_t failed_inputs;
	struct tzone zone;
	uint64_t *overlap;  /* --rule-stats: ncauses * ncauses */
	int64_t since, until; /* the time window, epoch microseconds */
	struct verdict verdict;
	struct progress progress;
	uint64_t progress_base;
	struct responses *responses; /* when access logs are joined */
	struct join *join;
};

/* Not attributed at all: an access line, outside the window, below the
 * level.  Otherwise analyse_record returns the cause, or MATCH_NONE. */
enum { NOT_ATTRIBUTED = -2 };

enum record_kind { RK_ACCESS, RK_OUTSIDE, RK_BELOW, RK_ATTRIBUTED };

/* What becomes of a record: cheap tests of its format, time and level. */
static enum record_kind record_kind(const struct run *run, const struct record *rec)
{
	if (rec->format == FMT_ACCESS)
		return RK_ACCESS;
	/* Records without a time cannot be placed outside the window. */
	if (rec->time != TSTAMP_NONE && (rec->time < run->since || rec->time > run->until))
		return RK_OUTSIDE;
	/* A record without a level is attributed: many application lines
	 * carry none, and they are often the ones that matter. */
	if (rec->level != LEVEL_NONE && rec->level > run->opt->min_level)
		return RK_BELOW;
	return RK_ATTRIBUTED;
}

/* The cause of a record to attribute (and, for --rule-stats, the cause
 * that came second), by matcher m: the run's own, or the reading thread's
 * twin of it. */
static void attribute(const struct run *run, struct matcher *m, struct record *rec,
		      long *cause, long *other)
{
	size_t len, split;

	profile_phase(PROF_MATCH);
	len = record_match_view(rec, &split);
	*cause = matcher_attribute_split(m, rec->msg, len, split);
	*other = MATCH_NONE;
	if (run->overlap && *cause != MATCH_NONE)
		*other = matcher_runner_up(m, rec->msg, len, *cause);
}

static enum record_kind classify(struct run *run, struct record *rec, long *cause,
				 long *other)
{
	enum record_kind kind = record_kind(run, rec);

	*cause = *other = MATCH_NONE;
	if (kind == RK_ATTRIBUTED)
		attribute(run, run->matcher, rec, cause, other);
	return kind;
}

/* Counts a classified record and writes its event.  Returns its cause,
 * MATCH_NONE, or NOT_ATTRIBUTED. */
static long account(struct run *run, const struct record *rec, enum record_kind kind, long cause,
		    long other, const char *input_name)
{
	profile_phase(PROF_TALLY);
	switch (kind) {
	case RK_ACCESS:
		tally_add_access(run->tally, rec);
		break;
	case RK_OUTSIDE:
		tally_add_outside(run->tally, rec);
		return NOT_ATTRIBUTED;
	case RK_BELOW:
		tally_add_below(run->tally, rec);
		break;
	case RK_ATTRIBUTED:
		tally_add(run->tally, cause, rec);
		if (other != MATCH_NONE)
			run->overlap[(size_t)cause * run->rules.ncauses + (size_t)other]++;
		break;
	}
	if (run->opt->events)
		events_write(stdout, input_name, rec, &run->rules, cause);
	return kind == RK_ATTRIBUTED ? cause : NOT_ATTRIBUTED;
}

static long analyse_record(struct run *run, struct record *rec, const char *input_name)
{
	long cause, other;
	enum record_kind kind = classify(run, rec, &cause, &other);

	return account(run, rec, kind, cause, other, input_name);
}

/* A response of an access log: which error record explains it. */
static void analyse_response(struct run *run, const struct record *a, const char *input_name)
{
	struct join_match m;

	if (a->time != TSTAMP_NONE && (a->time < run->since || a->time > run->until))
		return;
	tally_add_access(run->tally, a);
	m = join_response(run->join, a);
	responses_add(run->responses, a, &m);
	if (run->opt->events)
		events_write_response(stdout, input_name, a, &run->rules, &m,
				      m.by != JOIN_NONE ? run->inputs[m.input].name : NULL);
}

static struct stream_env stream_env(struct run *run)
{
	struct stream_env env = {
		.dg = run->dg,
		.inputs = run->inputs,
		.failed_inputs = &run->failed_inputs,
		.input_format = run->opt->input_format,
		.max_bytes = run->opt->max_bytes,
		.zone = &run->zone,
		.progress = &run->progress,
		.progress_base = &run->progress_base,
	};

	return env;
}

/*
 * Two threads.  The reading thread decodes and splits lines into batches
 * (rqueue.h); a batch becomes records (parsed, grouped into events and
 * matched: "mapped") in whichever thread has room, and the counting thread
 * tallies the records of every batch in order.  Mapping is most of the
 * work, so the two cores stay busy whether decoding or tallying is the
 * heavier, and compressed input reads at nearly the decompressor's speed.
 *
 * What one line's parse leaves to the next (the input's format, the year
 * of year-less stamps, whether its records carry stamps) is small: a batch
 * the reading thread maps starts from where the counting thread stood at
 * its last batch, a guess the counting thread checks before it takes the
 * records; when wrong, it maps the batch again itself.  A batch ends
 * before a line that starts a record whatever came before it
 * (group_starts_record), so no event is split between two mappings; an
 * input without such lines is cut at a bound instead, and batches cut so
 * are mapped by the counting thread in turn, its group carrying the open
 * event across.  So each record, cause and count is what one thread
 * reading the inputs in order would find.
 */

/* A batch is handed over at a record's start once it holds this much; at
 * the bound, wherever it is. */
enum {
	BATCH_LINES = 1024,
	BATCH_BYTES = 256u << 10,
	BATCH_MAX_LINES = 2 * BATCH_LINES,
	BATCH_MAX_BYTES = 2 * BATCH_BYTES,
};

/* One thread's means of mapping batches: a parser, a group and a matcher
 * of its own. */
struct mapper {
	struct run *run;
	const struct stream *st;
	struct matcher *matcher;
	const bool *counts_only; /* per cause: no fields read for the tally */
	struct record_parser parser;
	struct group *group;
	uint32_t input;          /* the parser is ready for this input */
	bool ready;
	uint64_t lost;           /* records lost to a failed allocation */
};

static void mapper_start_input(struct mapper *m, uint32_t input)
{
	if (m->ready)
		record_parser_release(&m->parser);
	stream_parser_init(m->st, &m->parser);
	group_reset(m->group, &m->parser);
	m->input = input;
	m->ready = true;
}

static struct rq_state mapper_state(const struct mapper *m)
{
	struct rq_state st = { record_parser_state(&m->parser), group_timed(m->group) };

	return st;
}

static void mapper_set_state(struct mapper *m, const struct rq_state *st)
{
	record_parser_set_state(&m->parser, &st->parser);
	group_set_timed(m->group, st->timed_input);
}

static bool rq_state_equal(const struct rq_state *a, const struct rq_state *b)
{
	return parser_state_equal(&a->parser, &b->parser) && a->timed_input == b->timed_input;
}

/* The record's copy in the batch is matched at once: its bytes are still
 * where the group left them (the batch points it at its own copy when
 * sealed). */
static void map_record(struct mapper *m, struct rq_batch *b, const struct record *r)
{
	struct rq_item *it = rq_batch_add_item(b, r);
	struct record *rec;

	if (!it) {
		m->lost++;
		return;
	}
	rec = &it->rec;
	it->kind = record_kind(m->run, rec);
	it->cause = it->other = MATCH_NONE;
	if (it->kind == RK_ATTRIBUTED) {
		attribute(m->run, m->matcher, rec, &it->cause, &it->other);
		/* The fields the tally reads, read here: this is the work
		 * that moves to whichever thread has room. */
		if (it->cause < 0 || !m->counts_only[it->cause])
			record_fields(rec);
	}
}

static void map_batch(struct mapper *m, struct rq_batch *b)
{
	const struct record *rec;

	if (!m->ready || m->input != b->input)
		mapper_start_input(m, b->input);
	rq_batch_clear_items(b);
	b->state_in = mapper_state(m);
	for (size_t i = 0; i < b->nlines; i++) {
		struct line ln = rq_batch_line(b, i);

		if ((rec = group_push(m->group, &ln)) != NULL)
			map_record(m, b, rec);
	}
	if (!b->open_end) {
		if ((rec = group_flush(m->group)) != NULL)
			map_record(m, b, rec);
	} else {
		/* The open event's lines go back with this batch. */
		group_keep(m->group);
	}
	b->state_out = mapper_state(m);
	rq_batch_seal(b);
}

struct producer {
	struct stream *st;
	struct rqueue *q;
	struct mapper m;          /* the reading thread's */
	bool mapped_last;         /* it mapped the batch handed over last */
	bool map_all;             /* it maps every batch it may (tests) */
	bool guess_fresh;         /* ... from a fresh state: wrong guesses */
	uint64_t lost;            /* lines lost to a failed allocation */
	/* Where the counting thread's parsing stood after its last batch. */
	pthread_mutex_t mu;
	struct rq_state stood;
	uint32_t stood_input;
	bool stood_known;
};

/* Whether ln starts a record whatever came before it (a batch may end
 * before it).  Parsed by the reading thread's parser, whose state is only
 * ever a guess: the answer does not depend on it. */
static bool starts_record(struct producer *p, const struct line *ln, uint32_t input)
{
	struct record r;
	struct parser_state before;

	if (!p->m.ready || p->m.input != input)
		mapper_start_input(&p->m, input);
	/* The line is parsed again in its batch: this look leaves the
	 * mapping's state as it was. */
	before = record_parser_state(&p->m.parser);
	record_parse(&p->m.parser, ln->text, ln->len, ln->number, ln->truncated, &r);
	record_parser_set_state(&p->m.parser, &before);
	return group_starts_record(ln, &r);
}

/* Hands the batch over, mapped first if the counting thread is behind and
 * the batch is whole events.  The mapping starts where the reading
 * thread's own left off if it mapped the batch before, else where the
 * counting thread last stood in this input, else afresh. */
static struct rq_batch *hand_over(struct producer *p, struct rq_batch *b)
{
	bool mapped = false;

	if (!b->open_start && !b->open_end && (p->map_all || rqueue_consumer_behind(p->q))) {
		struct rq_state stood;
		bool known;

		pthread_mutex_lock(&p->mu);
		known = p->stood_known && p->stood_input == b->input;
		stood = p->stood;
		pthread_mutex_unlock(&p->mu);
		if (!p->m.ready || p->m.input != b->input || p->guess_fresh)
			mapper_start_input(&p->m, b->input);
		else if (!p->mapped_last && known)
			mapper_set_state(&p->m, &stood);
		map_batch(&p->m, b);
		matcher_take_counts(p->m.matcher, b->counts);
		mapped = true;
	}
	p->mapped_last = mapped;
	return rqueue_hand_over(p->q);
}

static void *produce(void *arg)
{
	struct producer *p = arg;
	struct rq_batch *b = rqueue_filling(p->q);
	struct line ln;

	pthread_setname_np(pthread_self(), "logcause-read"); /* for top and perf */
	while (stream_next_line(p->st, &ln)) {
		uint32_t input = stream_input(p->st);

		if (b->nlines && input != b->input) {
			b->input_end = true;
			b = hand_over(p, b);
		} else if (b->nlines >= BATCH_LINES || b->used >= BATCH_BYTES) {
			if (starts_record(p, &ln, input)) {
				b = hand_over(p, b);
			} else if (b->nlines >= BATCH_MAX_LINES || b->used >= BATCH_MAX_BYTES) {
				b->open_end = true;
				b = hand_over(p, b);
				b->open_start = true;
			}
		}
		b->input = input;
		if (!rq_batch_add_line(b, &ln))
			p->lost++;
	}
	b->input_end = true;
	rqueue_close(p->q);
	return NULL;
}

/* The counting thread's side: maps what the reading thread left, checks
 * what it mapped, and tallies every record in order. */
static void consume(struct run *run, struct producer *p, struct mapper *m)
{
	uint64_t per_format[FMT_COUNT] = { 0 };
	struct rq_batch *b;

	while ((b = rqueue_take(p->q)) != NULL) {
		const char *name = run->sources.items[b->input].name;

		if (!m->ready || m->input != b->input) {
			mapper_start_input(m, b->input);
			memset(per_format, 0, sizeof per_format);
		}
		if (b->mapped) {
			struct rq_state stood = mapper_state(m);

			if (rq_state_equal(&stood, &b->state_in)) {
				mapper_set_state(m, &b->state_out);
				matcher_add_counts(run->matcher, b->counts);
			} else {
				map_batch(m, b);
			}
		} else {
			map_batch(m, b);
		}
		pthread_mutex_lock(&p->mu);
		p->stood = mapper_state(m);
		p->stood_input = b->input;
		p->stood_known = true;
		pthread_mutex_unlock(&p->mu);
		for (size_t i = 0; i < b->nitems; i++) {
			const struct rq_item *it = &b->items[i];

			per_format[it->rec.format]++;
			account(run, &it->rec, (enum record_kind)it->kind, it->cause, it->other, name);
		}
		if (b->input_end)
			run->inputs[b->input].format = stream_main_format(per_format);
	}
}

/* Two threads when there are two cores: one reads, the other tallies and
 * writes events, and either parses and matches, in the same order one
 * thread would.  Not with --stats, whose phases are one thread's.
 * LOGCAUSE_THREADS=1 makes it one.  For the tests, =reader makes the
 * reading thread map every batch it may (else it maps only under load),
 * and =reader-fresh, every one from a fresh state, a guess the counting
 * thread finds wrong wherever the state has moved on. */
enum threads { ONE_THREAD, TWO_THREADS, READER_MAPS, READER_MAPS_FRESH };

static enum threads threads_wanted(void)
{
	const char *env = getenv("LOGCAUSE_THREADS");

	if (profile_on || (env && strcmp(env, "1") == 0))
		return ONE_THREAD;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return ONE_THREAD;
	if (env && strcmp(env, "reader") == 0)
		return READER_MAPS;
	if (env && strcmp(env, "reader-fresh") == 0)
		return READER_MAPS_FRESH;
	return TWO_THREADS;
}

/* Runs the inputs of st in two threads.  Returns 0, -1 when memory ran
 * out (records were lost), or 1 when the threads could not be set up
 * (nothing was read: the caller reads in one). */
static int analyse_two_threads(struct run *run, struct stream *st, enum threads mode)
{
	struct producer p = { .st = st,
			      .map_all = mode == READER_MAPS || mode == READER_MAPS_FRESH,
			      .guess_fresh = mode == READER_MAPS_FRESH };
	struct mapper m = { .run = run, .st = st, .matcher = run->matcher };
	bool *counts_only = calloc(run->rules.ncauses + 1, sizeof *counts_only);
	pthread_t reader;
	int rc = 1;

	p.m = m;
	p.q = rqueue_new(matcher_counts_size(run->matcher));
	p.m.matcher = matcher_twin(run->matcher);
	p.m.group = group_new();
	m.group = group_new();
	if (p.m.group)
		group_lines_stay(p.m.group);
	if (m.group)
		group_lines_stay(m.group);
	m.counts_only = p.m.counts_only = counts_only;
	for (size_t c = 0; counts_only && c < run->rules.ncauses; c++)
		counts_only[c] = run->tally->causes[c].counts_only;
	if (p.q && p.m.matcher && p.m.group && m.group && counts_only &&
	    pthread_mutex_init(&p.mu, NULL) == 0) {
		if (pthread_create(&reader, NULL, produce, &p) == 0) {
			consume(run, &p, &m);
			pthread_join(reader, NULL);
			rc = p.lost || p.m.lost || m.lost ? -1 : 0;
		}
		pthread_mutex_destroy(&p.mu);
	}
	if (m.ready)
		record_parser_release(&m.parser);
	if (p.m.ready)
		record_parser_release(&p.m.parser);
	group_free(m.group);
	group_free(p.m.group);
	matcher_twin_done(run->matcher, p.m.matcher);
	free(counts_only);
	rqueue_free(p.q);
	return rc;
}

/* Error logs only: every input in turn. */
static int analyse_inputs(struct run *run)
{
	struct stream_env env = stream_env(run);
	struct stream st;
	struct record rec;
	enum threads threads = threads_wanted();

	/* Only the tally reads nginx's trailing fields here, and only for
	 * the records it keeps more of than a count (tally_add).  Events
	 * show every record's fields. */
	env.defer_fields = !run->opt->events;
	/* Two threads that share the mapping keep two cores busy: a
	 * decoding thread would only take turns with them (measured: .gz
	 * and .zst 6-8% slower with it on two cores). */
	env.decode_inline = threads != ONE_THREAD && sysconf(_SC_NPROCESSORS_ONLN) < 3;
	if (stream_init(&st, &env) < 0)
		return -1;
	for (size_t i = 0; i < run->sources.n; i++)
		if (stream_add(&st, &run->sources.items[i], (uint32_t)i) < 0) {
			stream_release(&st);
			return -1;
		}
	if (threads != ONE_THREAD) {
		int rc = analyse_two_threads(run, &st, threads);

		if (rc <= 0) {
			stream_release(&st);
			return rc; /* main reports "out of memory" */
		}
	}
	while (stream_next(&st, &rec))
		analyse_record(run, &rec, stream_input_name(&st));
	stream_release(&st);
	return 0;
}

/* An error record read for the join: attributed as always, then held for
 * the responses to come if it falls where they can reach it: not before
 * the first response's reach, and not a day past the horizon (a stamp
 * from a clock gone wrong would hold up the window's oldest-first
 * release).  A record below the level is not attributed in the report,
 * but one of a fault cause is still evidence for the 5xx after it:
 * php-fpm's "server reached pm.max_children" is a WARNING. */
static void feed_error(struct run *run, struct stream *err, struct record *rec,
		       int64_t from, int64_t horizon)
{
	long cause, other;
	enum record_kind kind = classify(run, rec, &cause, &other);

	account(run, rec, kind, cause, other, stream_input_name(err));
	if (kind == RK_BELOW) {
		cause = matcher_peek(run->matcher, rec->msg, record_match_len(rec));
		if (cause == MATCH_NONE || run->rules.causes[cause].kind != CAUSE_FAULT)
			return;
	} else if (kind != RK_ATTRIBUTED) {
		return;
	}
	if (rec->time != TSTAMP_NONE && rec->time >= from &&
	    rec->time - horizon <= 86400 * TSTAMP_US_PER_SEC)
		join_add_record(run->join, rec, cause, stream_input(err));
}

/*
 * Error logs and access logs: a merge join of two streams in time.  Before
 * a response is looked at, the error stream is read up to the join's
 * horizon past the response's time, so every record that could explain it
 * is in the window; records older than any response can still take are
 * let go.  Memory is the window's, whatever the logs' size.
 */
static void join_streams(struct run *run, struct stream *err, struct stream *acc)
{
	struct record a, e;
	/* The times of the last two timed error records: reading stops when
	 * both are past the horizon, so one stamp far in the future (a clock
	 * gone wrong) does not hold back the rest of the log. */
	int64_t err_time = INT64_MIN, err_before = INT64_MIN;
	int64_t newest = INT64_MIN, from = INT64_MAX;
	int32_t offset = INT32_MIN;
	bool err_done = false;

	while (stream_next(acc, &a)) {
		if (a.format != FMT_ACCESS) { /* an error line among responses */
			analyse_record(run, &a, stream_input_name(acc));
			continue;
		}
		if (a.time != TSTAMP_NONE) {
			int64_t horizon = join_horizon(run->join, a.time);

			/* nginx writes both logs in the server's local time, and
			 * only the access log says which: unless --tz says
			 * otherwise, the error log is read in that zone. */
			if (!run->opt->tz && a.has_offset && a.utc_offset != offset) {
				struct tzone z;

				offset = a.utc_offset;
				tzone_init_fixed(&z, offset);
				stream_set_zone(err, &z);
			}
			if (from == INT64_MAX)
				from = join_reach(run->join, a.time);
			while (!err_done && (err_time <= horizon || err_before <= horizon)) {
				if (!stream_next(err, &e)) {
					err_done = true;
					break;
				}
				feed_error(run, err, &e, from, horizon);
				if (e.time != TSTAMP_NONE) {
					err_before = err_time;
					err_time = e.time;
				}
			}
			if (a.time > newest) {
				newest = a.time;
				join_expire(run->join, newest);
			}
			run->progress_base = stream_bytes_in(err);
		}
		analyse_response(run, &a, stream_input_name(acc));
	}
	/* Records after the last response explain none: counted, not held. */
	while (stream_next(err, &e))
		analyse_record(run, &e, stream_input_name(err));
	join_finish(run->join, newest);
}

/* Reads the records of src without a word on stderr, for a look before
 * the real pass (which reports what is wrong): each line parsed alone, in
 * format (FMT_COUNT: detect), up to max_bytes decoded (0: all), until
 * look() returns false. */
static void look_into(struct run *run, const struct source *src, enum log_format format,
		      uint64_t max_bytes, bool (*look)(void *ctx, const struct record *r),
		      void *ctx)
{
	struct record_parser parser;
	struct decoder *dec;
	struct record rec;
	struct line ln;
	struct diag quiet;
	int fd;

	diag_init(&quiet, NULL);
	fd = source_open(src, &quiet);
	if (fd < 0)
		return;
	dec = decoder_open(fd, src->name, &quiet);
	if (dec) {
		record_parser_init(&parser, format, &run->zone);
		lines_reset(run->lines, dec, max_bytes);
		while (lines_next(run->lines, &ln) > 0) {
			record_parse(&parser, ln.text, ln.len, ln.number, ln.truncated, &rec);
			if (!look(ctx, &rec))
				break;
		}
		record_parser_release(&parser);
		decoder_close(dec);
	}
	if (!src->is_stdin)
		close(fd);
}

static bool keep_newest(void *ctx, const struct record *r)
{
	int64_t *newest = ctx;

	if (r->time != TSTAMP_NONE && r->time > *newest)
		*newest = r->time;
	return true;
}

/* The newest time stamp in the inputs: what "--since 2h" counts back from.
 * Costs a read of every input, without matching.  Returns TSTAMP_NONE
 * when no record has a time. */
static int64_t newest_record(struct run *run)
{
	int64_t newest = TSTAMP_NONE;

	for (size_t i = 0; i < run->sources.n; i++)
		look_into(run, &run->sources.items[i], run->opt->input_format, run->opt->max_bytes,
			  keep_newest, &newest);
	return newest;
}

static int window_bound(struct run *run, const char *opt, const char *value, int64_t *newest,
			int64_t *out)
{
	struct tstamp_when w;

	tstamp_parse_when(value, &run->zone, (int64_t)time(NULL), &w); /* checked already */
	if (!w.ago) {
		*out = w.t;
		return -1;
	}
	if (*newest == TSTAMP_NONE) {
		for (size_t i = 0; i < run->sources.n; i++)
			if (run->sources.items[i].is_stdin)
				return usage_error("%s %s counts back from the newest record, which "
						   "standard input cannot be read twice to find; give "
						   "a date or time",
						   opt, value);
		*newest = newest_record(run);
		if (*newest == TSTAMP_NONE)
			*newest = (int64_t)time(NULL) * TSTAMP_US_PER_SEC;
	}
	*out = *newest - w.t;
	return -1;
}

static unsigned terminal_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return ws.ws_col;
	/* Not a terminal: wide enough for a useful example, stable for diffs. */
	return 100;
}

static int check_patterns(struct run *run)
{
	struct verify_result res;

	/* Every note matters when proving a catalogue: no rate limit. */
	run->dg->warn_limit = UINT32_MAX;
	verify_patterns(&run->rules, run->matcher, run->opt->verbose, run->dg, &res);
	printf("%zu causes, %zu match rules, %zu example and never lines in %zu files: "
	       "%zu failed, %zu contested examples, %zu unexercised matches\n",
	       run->rules.ncauses, run->rules.nrules, run->rules.nsamples, run->rules.nfiles,
	       res.failures, res.contested, res.unexercised);
	return res.failures ? EXIT_TROUBLE : EXIT_OK;
}

/* How reports are drawn on this stdout: its width, and colour only on a
 * terminal when NO_COLOR (https://no-color.org) is unset or empty. */
static struct report_options output_options(void)
{
	const char *no_color = getenv("NO_COLOR");
	struct report_options ro = { terminal_width(),
				     isatty(STDOUT_FILENO) && !(no_color && *no_color) };

	return ro;
}

static int finish_output(struct diag *dg)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* A reader that went away is not an error worth a message. */
		if (errno == EPIPE)
			return 0;
		return diag_error(dg, NULL, "write error: %s", strerror(errno));
	}
	return 0;
}

/* logcause diff: what NEW has that BASE had not. */
static int run_diff(struct run *run)
{
	const struct options *o = run->opt;
	struct merged m;
	struct diff_result res;
	int status = EXIT_OK;

	merge_init(&m);
	/* merge_add_file checks the pair as a merge would: same schema,
	 * pattern set and level, or the comparison means nothing. */
	if (merge_add_file(&m, o->inputs[0], run->dg) < 0 ||
	    merge_add_file(&m, o->inputs[1], run->dg) < 0) {
		merge_release(&m);
		return EXIT_TROUBLE;
	}
	{
		FILE *out = o->quiet ? fopen("/dev/null", "w") : stdout;

		if (!out || diff_reports(out, o->output, m.names[0], m.docs[0], m.names[1],
					 m.docs[1], &res) < 0)
			status = EXIT_TROUBLE;
		if (out && out != stdout)
			fclose(out);
	}
	if (finish_output(run->dg) < 0)
		status = EXIT_TROUBLE;
	if (o->nfail_on) {
		if (res.appeared)
			fprintf(stderr, "logcause: verdict: FAIL: %zu new %s\n", res.appeared,
				res.appeared == 1 ? "cause" : "causes");
		else
			fputs("logcause: verdict: ok (no new cause)\n", stderr);
		if (res.appeared && status == EXIT_OK)
			status = EXIT_BREACH;
	}
	merge_release(&m);
	return status;
}

/* logcause merge / render: saved JSON reports in, one report out. */
static int run_merge(struct run *run)
{
	const struct options *o = run->opt;
	struct merged m;
	struct verdict *v = &run->verdict;
	int status = EXIT_OK;
	char err[256];

	merge_init(&m);
	for (size_t i = 0; i < o->ninputs; i++)
		if (merge_add_file(&m, o->inputs[i], run->dg) < 0)
			status = EXIT_TROUBLE;
	/* Nothing is printed from a mix that was refused: a report that
	 * silently left out a host would be worse than none. */
	if (status != EXIT_OK || merge_build(&m, run->dg) < 0) {
		merge_release(&m);
		return EXIT_TROUBLE;
	}
	for (size_t i = 0; i < o->nfail_on; i++)
		if (verdict_add_fail_on(v, &m.rs, o->fail_on[i], err, sizeof err) < 0) {
			merge_release(&m);
			return usage_error("%s", err);
		}
	if (o->max_unattributed && verdict_add_max_unattributed(v, o->max_unattributed, err, sizeof err) < 0) {
		merge_release(&m);
		return usage_error("%s", err);
	}
	if (verdict_needs_responses(v) && !m.responses) {
		merge_release(&m);
		return usage_error("--fail-on 5xx-unexplained: the reports have no access-log section");
	}
	if (v->n && verdict_judge(v, &m.rs, m.tally, m.responses) > 0)
		status = EXIT_BREACH;
	for (size_t i = 0; i < m.ninputs; i++)
		if (m.inputs[i].damaged)
			status = EXIT_TROUBLE;
	if (m.failed_inputs)
		status = EXIT_TROUBLE;
	if (!o->quiet) {
		struct report rep = {
			.patterns = &m.patterns,
			.rs = &m.rs,
			.tally = m.tally,
			.inputs = m.inputs,
			.ninputs = m.ninputs,
			.failed_inputs = m.failed_inputs,
			.min_level = m.min_level,
			.limit_hits = m.limit_hits,
			.verdict = v->n ? v : NULL,
			.responses = m.responses,
		};
		struct report_options ro = output_options();

		report_emitter(o->output)(stdout, &rep, &ro);
	}
	if (finish_output(run->dg) < 0)
		status = EXIT_TROUBLE;
	if (v->n)
		verdict_print(v, stderr);
	merge_release(&m);
	return status;
}

struct format_votes {
	int access, other;
};

static bool vote_format(void *ctx, const struct record *r)
{
	struct format_votes *v = ctx;

	if (r->len == 0)
		return true;
	if (r->format == FMT_ACCESS)
		v->access++;
	else
		v->other++;
	return v->access + v->other < 16;
}

/* Whether a source is an access log: named as one with --access; else
 * by its name (access.log, ssl_access_log.1.gz); else by its first
 * records.  Standard input is an error log unless --access - says not. */
static bool sniff_access(struct run *run, const struct source *src)
{
	const char *base = strrchr(src->path, '/');
	struct format_votes votes = { 0, 0 };
	struct stat st;

	base = base ? base + 1 : src->path;
	if (src->is_stdin)
		return false;
	/* A pipe cannot be read twice: only a regular file is looked into. */
	if (stat(src->path, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	if (strstr(base, "access"))
		return true;
	if (strstr(base, "error"))
		return false;
	look_into(run, src, FMT_COUNT, 1 << 20, vote_format, &votes);
	return votes.access > votes.other;
}

static int add_sources(struct run *run)
{
	const struct options *o = run->opt;
	size_t nargs = o->ninputs + o->naccess;
	int rc = 0;

	for (size_t i = 0; i < nargs || (nargs == 0 && i == 0); i++) {
		const char *arg = nargs == 0 ? "-" : i < o->ninputs ? o->inputs[i] : o->access[i - o->ninputs];
		size_t before = run->sources.n;
		bool *grown;

		if (source_add_arg(&run->sources, arg, run->dg) < 0) {
			run->failed_inputs++;
			rc = -1;
		}
		grown = realloc(run->is_access, (run->sources.n ? run->sources.n : 1) * sizeof *grown);
		if (!grown)
			return -1;
		run->is_access = grown;
		for (size_t k = before; k < run->sources.n; k++)
			run->is_access[k] = i >= o->ninputs && nargs > 0;
	}
	if (!run->is_access)
		run->is_access = calloc(1, sizeof *run->is_access);
	return rc;
}

static bool any_access(struct run *run)
{
	bool any = false;

	for (size_t i = 0; i < run->sources.n; i++) {
		if (!run->is_access[i])
			run->is_access[i] = sniff_access(run, &run->sources.items[i]);
		any |= run->is_access[i];
	}
	return any;
}

/* Error logs and access logs: each kind one stream, in the order given. */
static int analyse_joined(struct run *run)
{
	/* The progress line counts both streams: the access stream's reports
	 * add what the error stream has read of its input. */
	struct stream_env env = stream_env(run), err_env = env;
	static const uint64_t none;
	struct join_options jo;
	struct stream err, acc;
	int rc = -1;

	join_default_options(&jo);
	if (run->opt->join_window)
		jo.window_us = run->opt->join_window;
	run->responses = responses_new(run->rules.ncauses);
	if (!run->responses)
		return -1;
	run->join = join_new(&run->rules, run->responses, &jo);
	if (!run->join)
		return -1;
	err_env.progress_base = &none;
	/* --input-format names the error logs' format; access logs are
	 * recognised by their own lines. */
	if (env.input_format != FMT_ACCESS)
		env.input_format = FMT_COUNT;
	if (stream_init(&err, &err_env) < 0)
		return -1;
	if (stream_init(&acc, &env) < 0) {
		stream_release(&err);
		return -1;
	}
	for (size_t i = 0; i < run->sources.n; i++)
		if (stream_add(run->is_access[i] ? &acc : &err, &run->sources.items[i],
			       (uint32_t)i) < 0)
			goto out;
	join_streams(run, &err, &acc);
	rc = 0;
out:
	stream_release(&err);
	stream_release(&acc);
	return rc;
}

/* The summaries of the inputs read, in argument order, without gaps for
 * those that could not be opened. */
static void compact_inputs(struct run *run)
{
	run->ninputs = 0;
	for (size_t i = 0; i < run->sources.n; i++)
		if (run->inputs[i].name)
			run->inputs[run->ninputs++] = run->inputs[i];
}

static int run_main(struct run *run)
{
	const struct options *o = run->opt;
	int status = EXIT_OK;

	if (load_patterns(o, &run->rules, run->dg) < 0)
		return EXIT_TROUBLE;
	run->matcher = matcher_new(&run->rules, run->dg);
	if (!run->matcher)
		return EXIT_TROUBLE;
	if (o->check_patterns)
		return check_patterns(run);
	{
		char err[256];

		/* Thresholds name causes, so they are read once the rules are. */
		for (size_t i = 0; i < o->nfail_on; i++)
			if (verdict_add_fail_on(&run->verdict, &run->rules, o->fail_on[i], err,
						sizeof err) < 0)
				return usage_error("%s", err);
		if (o->max_unattributed &&
		    verdict_add_max_unattributed(&run->verdict, o->max_unattributed, err,
						 sizeof err) < 0)
			return usage_error("%s", err);
	}

	if (add_sources(run) < 0)
		status = EXIT_TROUBLE;
	run->tally = tally_new(run->rules.ncauses);
	run->lines = lines_new(LINES_DEFAULT_MAX);
	run->inputs = calloc(run->sources.n ? run->sources.n : 1, sizeof *run->inputs);
	if (o->rule_stats)
		run->overlap = calloc(run->rules.ncauses * run->rules.ncauses, sizeof *run->overlap);
	if (!run->tally || !run->lines || !run->inputs || !run->is_access ||
	    (o->rule_stats && !run->overlap)) {
		diag_error(run->dg, NULL, "out of memory");
		return EXIT_TROUBLE;
	}
	if (!report_noise_detail(o->output))
		for (size_t c = 0; c < run->rules.ncauses; c++)
			if (run->rules.causes[c].kind == CAUSE_NOISE)
				tally_counts_only(run->tally, c);
	tzone_init_local(&run->zone);
	run->since = INT64_MIN;
	run->until = INT64_MAX;
	{
		int64_t newest = TSTAMP_NONE;
		int rc;

		if (o->since && (rc = window_bound(run, "--since", o->since, &newest, &run->since)) >= 0)
			return rc;
		if (o->until && (rc = window_bound(run, "--until", o->until, &newest, &run->until)) >= 0)
			return rc;
	}
	{
		uint64_t total = 0;
		struct stat st;

		for (size_t i = 0; i < run->sources.n; i++)
			if (!run->sources.items[i].is_stdin &&
			    stat(run->sources.items[i].path, &st) == 0 && S_ISREG(st.st_mode))
				total += (uint64_t)st.st_size;
		progress_init(&run->progress, stderr, !o->quiet, total);
		run->dg->erase_line = run->progress.enabled;
	}
	if ((any_access(run) ? analyse_joined(run) : analyse_inputs(run)) < 0) {
		diag_error(run->dg, NULL, "out of memory");
		return EXIT_TROUBLE;
	}
	progress_end(&run->progress);
	compact_inputs(run);
	for (size_t i = 0; i < run->ninputs; i++)
		if (run->inputs[i].damaged)
			status = EXIT_TROUBLE;
	if (run->failed_inputs)
		status = EXIT_TROUBLE;
	if (verdict_needs_responses(&run->verdict) && !run->responses) {
		diag_error(run->dg, NULL, "--fail-on 5xx-unexplained: no access log was read");
		status = EXIT_TROUBLE;
	}

	profile_phase(PROF_REPORT);
	if (run->verdict.n &&
	    verdict_judge(&run->verdict, &run->rules, run->tally, run->responses) > 0 &&
	    status == EXIT_OK)
		status = EXIT_BREACH; /* an input error (2) wins over a breach */
	if (!o->quiet && !o->events) {
		struct pattern_info pi;
		struct report rep = {
			.patterns = &pi,
			.rs = &run->rules,
			.tally = run->tally,
			.inputs = run->inputs,
			.ninputs = run->ninputs,
			.failed_inputs = run->failed_inputs,
			.min_level = o->min_level,
			.limit_hits = matcher_limit_hits(run->matcher),
			.verdict = run->verdict.n ? &run->verdict : NULL,
			.responses = run->responses,
		};
		struct report_options ro = output_options();

		report_pattern_info(&run->rules, &pi);

		if (o->suggest) {
			suggest_rules(stdout, run->tally, &run->rules, run->matcher, 10);
		} else if (o->rule_stats) {
			uint64_t *hits = calloc(run->rules.nrules ? run->rules.nrules : 1,
						sizeof *hits);
			struct rule_stats st = { hits, run->overlap };

			if (!hits) {
				diag_error(run->dg, NULL, "out of memory");
				return EXIT_TROUBLE;
			}
			for (size_t i = 0; i < run->rules.nrules; i++)
				hits[i] = matcher_rule_hits(run->matcher, i);
			report_rule_stats(stdout, &rep, &st);
			free(hits);
		} else {
			report_emitter(o->output)(stdout, &rep, &ro);
		}
	}
	if (finish_output(run->dg) < 0)
		status = EXIT_TROUBLE;
	if (run->verdict.n)
		verdict_print(&run->verdict, stderr);
	diag_flush(run->dg);
	{
		uint64_t lines = 0, bytes = 0;

		for (size_t i = 0; i < run->ninputs; i++) {
			lines += run->inputs[i].lines;
			bytes += run->inputs[i].bytes;
		}
		profile_print(stderr, lines, bytes); /* only with --stats */
	}
	return status;
}

int main(int argc, char **argv)
{
	struct options opt;
	struct diag dg;
	struct run run;
	int status;

	/* "logcause merge …" and "logcause render …": a subcommand first, then
	 * the usual options.  A file really named "merge" is "./merge". */
	{
		int mode = MODE_ANALYSE;

		if (argc > 1 && strcmp(argv[1], "merge") == 0)
			mode = MODE_MERGE;
		else if (argc > 1 && strcmp(argv[1], "render") == 0)
			mode = MODE_RENDER;
		else if (argc > 1 && strcmp(argv[1], "diff") == 0)
			mode = MODE_DIFF;
		if (mode != MODE_ANALYSE) {
			argv++;
			argc--;
		}
		status = parse_options(argc, argv, &opt, mode);
	}
	if (status >= 0)
		return status;
	if (opt.stats)
		profile_start();
	diag_init(&dg, stderr);
	memset(&run, 0, sizeof run);
	run.opt = &opt;
	run.dg = &dg;
	rules_init(&run.rules);
	source_list_init(&run.sources);

	status = opt.mode == MODE_ANALYSE ? run_main(&run)
		 : opt.mode == MODE_DIFF  ? run_diff(&run)
					  : run_merge(&run);

	matcher_free(run.matcher);
	tally_free(run.tally);
	lines_free(run.lines);
	join_free(run.join);
	responses_free(run.responses);
	free(run.inputs);
	free(run.is_access);
	free(run.overlap);
	source_list_release(&run.sources);
	rules_release(&run.rules);
	return status;
}
