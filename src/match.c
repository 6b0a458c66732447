#define PCRE2_CODE_UNIT_WIDTH 8
#include "match.h"

#include "prefilter.h"
#include "template.h"

#include <limits.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

/* Enough for any sane log regex on a 1 MiB line; small enough that a
 * catastrophic pattern gives up in milliseconds. */
enum {
	MATCH_LIMIT = 1000000,
	MATCH_DEPTH_LIMIT = 10000,
	MATCH_JIT_STACK_MAX = 1 << 20,
};

/*
 * The cache of what a message's first part decides (matcher_attribute_split).
 * Keyed on the bytes of msg[0, split): for the rules whose literal lies in
 * them, PCRE2's hard partial matching over those bytes alone tells whether
 * the rule matches whatever follows (then the first such rule, `certain`,
 * wins unless one ranked above it matches), cannot match starting there, or
 * depends on what follows (`depends`: run on the whole).  A rule that
 * matches starting after split has a literal there, which the scan of the
 * rest finds, as it finds literals that start before split and end past it
 * (`pending`).  Two ways per set, the way not used last replaced.
 *
 * Building a view costs more than matching the message plainly (each
 * candidate runs twice, partially and whole), and many first parts never
 * come back (a 404's path, a one-off PHP warning).  So a first part is
 * cached only the second time it is seen: the first time only its hash is
 * noted, in `seen`, and the message goes the plain way.
 */
enum {
	VIEW_SETS = 256, VIEW_KEY_MAX = 256, VIEW_DEPENDS = 6, VIEW_PENDING = 4,
	VIEW_SEEN = 2048,
};

struct view {
	uint64_t hash;
	uint32_t key_len;  /* 0: empty */
	int32_t certain;   /* rank, or -1 */
	uint8_t ndepends, npending;
	uint16_t depends[VIEW_DEPENDS];  /* ranks below certain, in order */
	struct prefilter_pending pending[VIEW_PENDING];
	char key[VIEW_KEY_MAX];
};

struct view_cache {
	struct view sets[VIEW_SETS][2];
	unsigned char last[VIEW_SETS];  /* way used last, per set */
	uint64_t seen[VIEW_SEEN];       /* hashes of first parts seen once */
};

struct compiled {
	pcre2_code *code;
	size_t rule;   /* index into rs->rules */
	long cause;
	int priority;  /* the cause's, copied so sorting needs no context */
	uint64_t hits;
};

struct matcher {
	const struct matcher *owner; /* a twin's: whose code and filter it runs */
	const struct ruleset *rs;
	struct compiled *by_rank; /* rules in attribution order */
	size_t *rank_of;          /* rule index -> position in by_rank */
	size_t n;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	struct prefilter *pf;     /* over by_rank: bit i is by_rank[i] */
	uint64_t *cand;           /* candidate bitset, reused per record */
	bool use_prefilter;
	uint64_t limit_hits;
	struct view_cache *views; /* allocated on first use */
};

/* Priority descending, then load order (cause index, then rule index). */
static int cmp_rank(const void *a, const void *b)
{
	const struct compiled *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	if (x->cause != y->cause)
		return x->cause < y->cause ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* The per-thread part: match data, a match context with its limits and
 * its own JIT stack, the candidate bitset. */
static bool scratch_new(struct matcher *m)
{
	m->md = pcre2_match_data_create(1, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	m->jit_stack = pcre2_jit_stack_create(32 * 1024, MATCH_JIT_STACK_MAX, NULL);
	if (!m->md || !m->mctx || !m->jit_stack)
		return false;
	pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, MATCH_DEPTH_LIMIT);
	pcre2_jit_stack_assign(m->mctx, NULL, m->jit_stack);
	return true;
}

/* Whether the environment variable name is set to something other than
 * "" or "0". */
static bool env_flag(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0") != 0;
}

/*
 * Two switches take the speed paths out, for memory checkers and for
 * proving that they change nothing (the same report with and without):
 * LOGCAUSE_NO_JIT runs PCRE2's interpreter, LOGCAUSE_NO_PREFILTER tries
 * every rule in rank order on every record (matcher_attribute_plain).
 */
struct matcher *matcher_new(const struct ruleset *rs, struct diag *dg)
{
	struct matcher *m = calloc(1, sizeof *m);
	bool failed = false;
	bool no_jit = env_flag("LOGCAUSE_NO_JIT");

	if (!m)
		goto oom;
	m->rs = rs;
	m->n = rs->nrules;
	m->by_rank = calloc(m->n ? m->n : 1, sizeof *m->by_rank);
	m->rank_of = calloc(m->n ? m->n : 1, sizeof *m->rank_of);
	if (!m->by_rank || !m->rank_of || !scratch_new(m))
		goto oom;

	for (size_t i = 0; i < m->n; i++) {
		const struct rule *r = &rs->rules[i];
		struct compiled *c = &m->by_rank[i];
		int err;
		PCRE2_SIZE off;

		c->rule = i;
		c->cause = (long)r->cause;
		c->priority = rs->causes[r->cause].priority;
		c->code = pcre2_compile((PCRE2_SPTR)r->regex, PCRE2_ZERO_TERMINATED, 0, &err,
					&off, NULL);
		if (!c->code) {
			PCRE2_UCHAR msg[256];
			char where[PATH_MAX + 32];

			pcre2_get_error_message(err, msg, sizeof msg);
			snprintf(where, sizeof where, "%s:%u:%zu", r->file, r->line,
				 (size_t)r->col + off);
			diag_error(dg, where, "bad regex: %s", (const char *)msg);
			failed = true;
			continue;
		}
		/* JIT is an optimisation: where the platform lacks it, or a
		 * memory checker cannot follow generated code, the interpreter
		 * gives the same answers. */
		if (!no_jit)
			pcre2_jit_compile(c->code, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD);
	}
	if (failed) {
		matcher_free(m);
		return NULL;
	}
	qsort(m->by_rank, m->n, sizeof *m->by_rank, cmp_rank);
	for (size_t i = 0; i < m->n; i++)
		m->rank_of[m->by_rank[i].rule] = i;
	{
		const char **regexes = malloc((m->n ? m->n : 1) * sizeof *regexes);

		if (!regexes)
			goto oom;
		for (size_t i = 0; i < m->n; i++)
			regexes[i] = rs->rules[m->by_rank[i].rule].regex;
		m->pf = prefilter_new(regexes, m->n);
		free(regexes);
		if (!m->pf)
			goto oom;
		m->cand = calloc(prefilter_words(m->pf), sizeof *m->cand);
		if (!m->cand)
			goto oom;
		m->use_prefilter = !env_flag("LOGCAUSE_NO_PREFILTER");
	}
	return m;
oom:
	diag_error(dg, NULL, "out of memory compiling the pattern rules");
	matcher_free(m);
	return NULL;
}

struct matcher *matcher_twin(struct matcher *m)
{
	struct matcher *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	t->owner = m;
	t->rs = m->rs;
	t->n = m->n;
	t->rank_of = m->rank_of;
	t->pf = m->pf;
	t->use_prefilter = m->use_prefilter;
	/* The compiled rules are m's; the copy is for the hit counts. */
	t->by_rank = malloc((m->n ? m->n : 1) * sizeof *t->by_rank);
	t->cand = calloc(prefilter_words(m->pf), sizeof *t->cand);
	if (!t->by_rank || !t->cand || !scratch_new(t)) {
		matcher_free(t);
		return NULL;
	}
	for (size_t i = 0; i < m->n; i++) {
		t->by_rank[i] = m->by_rank[i];
		t->by_rank[i].hits = 0;
	}
	return t;
}

void matcher_twin_done(struct matcher *m, struct matcher *twin)
{
	if (!twin)
		return;
	for (size_t i = 0; i < m->n; i++)
		m->by_rank[i].hits += twin->by_rank[i].hits;
	m->limit_hits += twin->limit_hits;
	matcher_free(twin);
}

size_t matcher_counts_size(const struct matcher *m)
{
	return m->n + 1;
}

void matcher_take_counts(struct matcher *m, uint64_t *counts)
{
	for (size_t i = 0; i < m->n; i++) {
		counts[i] = m->by_rank[i].hits;
		m->by_rank[i].hits = 0;
	}
	counts[m->n] = m->limit_hits;
	m->limit_hits = 0;
}

void matcher_add_counts(struct matcher *m, const uint64_t *counts)
{
	for (size_t i = 0; i < m->n; i++)
		m->by_rank[i].hits += counts[i];
	m->limit_hits += counts[m->n];
}

/* 1 on a match, 0 on none, and 0 (counted) when a limit stopped it. */
static int run(struct matcher *m, struct compiled *c, const char *msg, size_t len)
{
	int rc = pcre2_match(c->code, (PCRE2_SPTR)msg, len, 0, 0, m->md, m->mctx);

	if (rc >= 0)
		return 1;
	if (rc != PCRE2_ERROR_NOMATCH)
		m->limit_hits++;
	return 0;
}

/* The cause of the first candidate in m->cand ranked below limit that
 * matches msg (bits are in rank order), its hit counted; else MATCH_NONE. */
static long first_match(struct matcher *m, const char *msg, size_t len, size_t limit)
{
	size_t words = prefilter_words(m->pf);

	for (size_t w = 0; w < words && w * 64 < limit; w++) {
		for (uint64_t bits = m->cand[w]; bits; bits &= bits - 1) {
			size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
			struct compiled *c = &m->by_rank[i];

			if (i >= limit)
				return MATCH_NONE;
			if (run(m, c, msg, len)) {
				c->hits++;
				return c->cause;
			}
		}
	}
	return MATCH_NONE;
}

long matcher_attribute(struct matcher *m, const char *msg, size_t len)
{
	size_t words;

	if (!m->use_prefilter)
		return matcher_attribute_plain(m, msg, len);
	words = prefilter_words(m->pf);
	memset(m->cand, 0, words * sizeof *m->cand);
	prefilter_scan(m->pf, msg, len, m->cand);
	return first_match(m, msg, len, m->n);
}

/* Fills v for the first part msg[0, split).  False when it would not fit
 * (too many rules depend on what follows, or too many literals run on). */
static bool view_build(struct matcher *m, const char *msg, size_t split, struct view *v)
{
	size_t words = prefilter_words(m->pf), n;

	memset(m->cand, 0, words * sizeof *m->cand);
	n = prefilter_scan_first(m->pf, msg, split, m->cand, v->pending, VIEW_PENDING);
	if (n == SIZE_MAX)
		return false;
	v->npending = (uint8_t)n;
	v->certain = -1;
	v->ndepends = 0;
	for (size_t w = 0; w < words && v->certain < 0; w++) {
		for (uint64_t bits = m->cand[w]; bits; bits &= bits - 1) {
			size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
			int rc = pcre2_match(m->by_rank[i].code, (PCRE2_SPTR)msg, split, 0,
					     PCRE2_PARTIAL_HARD, m->md, m->mctx);

			if (rc >= 0) {
				v->certain = (int32_t)i;
				break;
			}
			/* No match can start before split: one after it has a
			 * literal there, unless the rule has none.  A limit
			 * decides nothing. */
			if (rc == PCRE2_ERROR_NOMATCH && !prefilter_is_unfiltered(m->pf, i))
				continue;
			if (v->ndepends == VIEW_DEPENDS)
				return false;
			v->depends[v->ndepends++] = (uint16_t)i;
		}
	}
	return true;
}

/* The cause of msg[0, len) from what its first part decided. */
static long view_decide(struct matcher *m, const struct view *v, const char *msg, size_t len,
			size_t split)
{
	size_t words = prefilter_words(m->pf);
	size_t limit = v->certain >= 0 ? (size_t)v->certain : m->n;
	long cause;

	memset(m->cand, 0, words * sizeof *m->cand);
	prefilter_scan_rest(m->pf, msg, len, split, m->cand);
	prefilter_check_pending(m->pf, msg, len, v->pending, v->npending, m->cand);
	for (size_t d = 0; d < v->ndepends; d++)
		m->cand[v->depends[d] / 64] |= UINT64_C(1) << (v->depends[d] % 64);
	cause = first_match(m, msg, len, limit);
	if (cause != MATCH_NONE || v->certain < 0)
		return cause;
	m->by_rank[v->certain].hits++;
	return m->by_rank[v->certain].cause;
}

long matcher_attribute_split(struct matcher *m, const char *msg, size_t len, size_t split)
{
	uint64_t h, *seen;
	size_t set;
	struct view *v;

	/* Ranks are kept in 16 bits: a rule set beyond that goes without. */
	if (!m->use_prefilter || split == 0 || split > len || split > VIEW_KEY_MAX ||
	    m->n > UINT16_MAX)
		return matcher_attribute(m, msg, len);
	if (!m->views) {
		m->views = malloc(sizeof *m->views);
		if (!m->views)
			return matcher_attribute(m, msg, len);
		for (size_t s = 0; s < VIEW_SETS; s++)
			m->views->sets[s][0].key_len = m->views->sets[s][1].key_len = 0;
		memset(m->views->last, 0, sizeof m->views->last);
		memset(m->views->seen, 0, sizeof m->views->seen);
	}
	h = template_hash(msg, split);
	set = (size_t)(h % VIEW_SETS);
	for (int w = 0; w < 2; w++) {
		v = &m->views->sets[set][w];
		if (v->key_len == split && v->hash == h && memcmp(v->key, msg, split) == 0) {
			m->views->last[set] = (unsigned char)w;
			return view_decide(m, v, msg, len, split);
		}
	}
	/* Other bits of the hash than the set's. */
	seen = &m->views->seen[(h >> 32) % VIEW_SEEN];
	if (*seen != h) {
		*seen = h;
		return matcher_attribute(m, msg, len);
	}
	v = &m->views->sets[set][!m->views->last[set]];
	v->key_len = 0;
	if (!view_build(m, msg, split, v))
		return matcher_attribute(m, msg, len);
	v->hash = h;
	v->key_len = (uint32_t)split;
	memcpy(v->key, msg, split);
	m->views->last[set] = (unsigned char)!m->views->last[set];
	return view_decide(m, v, msg, len, split);
}

long matcher_runner_up(struct matcher *m, const char *msg, size_t len, long winner)
{
	size_t words = prefilter_words(m->pf);

	memset(m->cand, 0, words * sizeof *m->cand);
	prefilter_scan(m->pf, msg, len, m->cand);
	for (size_t w = 0; w < words; w++) {
		for (uint64_t bits = m->cand[w]; bits; bits &= bits - 1) {
			struct compiled *c = &m->by_rank[w * 64 + (size_t)__builtin_ctzll(bits)];

			if (c->cause != winner && run(m, c, msg, len))
				return c->cause;
		}
	}
	return MATCH_NONE;
}

long matcher_peek(struct matcher *m, const char *msg, size_t len)
{
	/* The first matching cause in rank order, as attribution finds it. */
	return matcher_runner_up(m, msg, len, MATCH_NONE);
}

long matcher_attribute_plain(struct matcher *m, const char *msg, size_t len)
{
	for (size_t i = 0; i < m->n; i++) {
		struct compiled *c = &m->by_rank[i];

		if (run(m, c, msg, len)) {
			c->hits++;
			return c->cause;
		}
	}
	return MATCH_NONE;
}

bool matcher_rule_matches(struct matcher *m, size_t rule, const char *msg, size_t len)
{
	return run(m, &m->by_rank[m->rank_of[rule]], msg, len) == 1;
}

uint64_t matcher_rule_hits(const struct matcher *m, size_t rule)
{
	return m->by_rank[m->rank_of[rule]].hits;
}

size_t matcher_unfiltered(const struct matcher *m)
{
	return prefilter_unfiltered(m->pf);
}

uint64_t matcher_limit_hits(const struct matcher *m)
{
	return m->limit_hits;
}

void matcher_free(struct matcher *m)
{
	if (!m)
		return;
	if (m->by_rank && !m->owner)
		for (size_t i = 0; i < m->n; i++)
			pcre2_code_free(m->by_rank[i].code);
	free(m->by_rank);
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jit_stack);
	if (!m->owner) {
		free(m->rank_of);
		prefilter_free(m->pf);
	}
	free(m->cand);
	free(m->views);
	free(m);
}
