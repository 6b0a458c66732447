#include "prefilter.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"

/* ---- required literals ----
 *
 * A small reader of the PCRE2 syntax that rules use.  For a sequence it
 * keeps the best "factor": a run of literal characters every match must
 * contain, or the literals of a mandatory group (one per branch).  Anything
 * it does not understand makes the whole regex unfiltered, which is always
 * safe: being conservative only costs speed.
 */

struct rx {
	const char *p;
	bool fail;
};

enum atom { ATOM_LIT, ATOM_OTHER, ATOM_ZERO, ATOM_GROUP };

/* The lossy fold of the filter: ASCII letters lose their case (and some
 * punctuation collides, which only adds candidates). */
static unsigned char fold(unsigned char c)
{
	return (unsigned char)(c | 0x20);
}

static size_t min_len(const struct prefilter_lits *f)
{
	size_t m = SIZE_MAX;

	for (size_t i = 0; i < f->n; i++) {
		size_t l = strlen(f->lit[i]);

		if (l < m)
			m = l;
	}
	return f->n ? m : 0;
}

/* Whether factor a serves the filter better than b: usable (every literal
 * at least one gram long) first, then fewer literals, then longer ones. */
static bool better(const struct prefilter_lits *a, const struct prefilter_lits *b)
{
	size_t la = min_len(a), lb = min_len(b);
	bool ua = la >= 4, ub = lb >= 4;

	if (ua != ub)
		return ua;
	if (ua && a->n != b->n)
		return a->n < b->n;
	return la > lb;
}

static void keep_better(struct prefilter_lits *best, const struct prefilter_lits *cand)
{
	if (cand->n > 0 && (best->n == 0 || better(cand, best)))
		*best = *cand;
}

static struct prefilter_lits parse_alt(struct rx *rx, int depth);

/* After '\': the escape's kind, and its byte when it is a literal. */
static enum atom parse_escape(struct rx *rx, unsigned char *c)
{
	char e = *rx->p;

	if (!e) {
		rx->fail = true;
		return ATOM_OTHER;
	}
	rx->p++;
	switch (e) {
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S': case 'h':
	case 'H': case 'v': case 'V': case 'R': case 'N': case 'X': case 'C':
		return ATOM_OTHER;
	case 'p': case 'P':
		if (*rx->p == '{') {
			const char *close = strchr(rx->p, '}');

			if (!close) {
				rx->fail = true;
				return ATOM_OTHER;
			}
			rx->p = close + 1;
		} else if (*rx->p) {
			rx->p++;
		}
		return ATOM_OTHER;
	case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G': case 'K': case 'E':
		return ATOM_ZERO;
	case 't': *c = '\t'; return ATOM_LIT;
	case 'n': *c = '\n'; return ATOM_LIT;
	case 'r': *c = '\r'; return ATOM_LIT;
	case 'f': *c = '\f'; return ATOM_LIT;
	case 'e': *c = 0x1b; return ATOM_LIT;
	case 'a': *c = 0x07; return ATOM_LIT;
	case 'x': {
		int v = 0, h;

		if (*rx->p == '{') {
			rx->p++;
			while ((h = ascii_hex_value((unsigned char)*rx->p)) >= 0) {
				v = v * 16 + h;
				rx->p++;
				if (v > 0xff) {
					rx->fail = true;
					return ATOM_OTHER;
				}
			}
			if (*rx->p != '}') {
				rx->fail = true;
				return ATOM_OTHER;
			}
			rx->p++;
		} else {
			for (int i = 0; i < 2 && (h = ascii_hex_value((unsigned char)*rx->p)) >= 0; i++, rx->p++)
				v = v * 16 + h;
		}
		*c = (unsigned char)v;
		return ATOM_LIT;
	}
	default:
		if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')) {
			/* Back-references, \Q, \g, \c… : not worth reading. */
			rx->fail = true;
			return ATOM_OTHER;
		}
		*c = (unsigned char)e;
		return ATOM_LIT;
	}
}

/* Skips a character class after its '['. */
static void skip_class(struct rx *rx)
{
	const char *p = rx->p;

	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (*p == '\\' && p[1])
			p += 2;
		else if (p[0] == '[' && p[1] == ':') {
			const char *end = strstr(p + 2, ":]");

			p = end ? end + 2 : p + 1;
		} else
			p++;
	}
	if (!*p)
		rx->fail = true;
	else
		rx->p = p + 1;
}

/* After '(': a group, a lookaround or an option setting. */
static enum atom parse_group(struct rx *rx, int depth, struct prefilter_lits *g)
{
	enum atom kind = ATOM_GROUP;
	const char *p = rx->p;

	if (*p == '*') {
		rx->fail = true; /* (*VERB) */
		return ATOM_OTHER;
	}
	if (*p == '?') {
		p++;
		if (*p == ':' || *p == '|' || *p == '>') {
			p++;
		} else if (*p == '=' || *p == '!') {
			p++;
			kind = ATOM_ZERO;
		} else if (p[0] == '<' && (p[1] == '=' || p[1] == '!')) {
			p += 2;
			kind = ATOM_ZERO;
		} else if (*p == '<' || *p == '\'' || (p[0] == 'P' && p[1] == '<')) {
			char close = *p == '\'' ? '\'' : '>';
			const char *end = strchr(p + 1, close);

			if (!end) {
				rx->fail = true;
				return ATOM_OTHER;
			}
			p = end + 1;
		} else if (*p == '#') {
			const char *end = strchr(p, ')');

			if (!end) {
				rx->fail = true;
				return ATOM_OTHER;
			}
			rx->p = end + 1;
			return ATOM_ZERO;
		} else {
			/* (?i) (?-i) (?i:…): option letters.  Extended mode
			 * changes what blanks and '#' mean: give up. */
			while (*p && strchr("imsnUJ-^", *p))
				p++;
			if (*p == 'x') {
				rx->fail = true;
				return ATOM_OTHER;
			}
			if (*p == ')') {
				rx->p = p + 1;
				return ATOM_ZERO;
			}
			if (*p != ':') {
				rx->fail = true; /* recursion, conditionals, … */
				return ATOM_OTHER;
			}
			p++;
		}
	}
	rx->p = p;
	*g = parse_alt(rx, depth + 1);
	if (*rx->p != ')') {
		rx->fail = true;
		return ATOM_OTHER;
	}
	rx->p++;
	return kind;
}

/* A quantifier after an atom: returns its minimum (1 when there is none). */
static unsigned long parse_quantifier(struct rx *rx, bool *present)
{
	unsigned long min = 1;
	const char *p = rx->p;

	*present = true;
	if (*p == '?' || *p == '*') {
		min = 0;
		p++;
	} else if (*p == '+') {
		p++;
	} else if (*p == '{' && p[1] >= '0' && p[1] <= '9') {
		const char *q = p + 1;

		min = strtoul(q, (char **)&q, 10);
		if (*q == ',') {
			q++;
			while (*q >= '0' && *q <= '9')
				q++;
		}
		if (*q != '}') {
			*present = false; /* a literal '{' */
			return 1;
		}
		p = q + 1;
	} else {
		*present = false;
		return 1;
	}
	if (*p == '?' || *p == '+')
		p++;
	rx->p = p;
	return min;
}

static struct prefilter_lits parse_seq(struct rx *rx, int depth)
{
	struct prefilter_lits best = { 0 }, run = { 0 }, group;
	size_t runlen = 0;

	run.n = 1;
	run.lit[0][0] = '\0';
	while (*rx->p && *rx->p != '|' && *rx->p != ')' && !rx->fail) {
		unsigned char c = 0;
		enum atom kind;
		unsigned long min;
		bool quantified;
		char ch = *rx->p++;

		switch (ch) {
		case '\\':
			kind = parse_escape(rx, &c);
			break;
		case '[':
			skip_class(rx);
			kind = ATOM_OTHER;
			break;
		case '.':
			kind = ATOM_OTHER;
			break;
		case '^':
		case '$':
			kind = ATOM_ZERO;
			break;
		case '(':
			kind = depth > 32 ? (rx->fail = true, ATOM_OTHER)
					  : parse_group(rx, depth, &group);
			break;
		case '*':
		case '+':
		case '?':
			rx->fail = true;
			kind = ATOM_OTHER;
			break;
		default:
			c = (unsigned char)ch;
			kind = ATOM_LIT;
			break;
		}
		if (rx->fail)
			break;
		min = kind == ATOM_ZERO ? 1 : parse_quantifier(rx, &quantified);
		if (kind == ATOM_ZERO)
			quantified = false;
		if (kind == ATOM_LIT && min > 0) {
			/* A required character extends the run; one that may
			 * repeat ends it after its first occurrence. */
			if (runlen < PREFILTER_MAX_LIT) {
				run.lit[0][runlen++] = (char)fold(c);
				run.lit[0][runlen] = '\0';
			}
			if (!quantified)
				continue;
		}
		if (runlen > 0)
			keep_better(&best, &run);
		runlen = 0;
		run.lit[0][0] = '\0';
		if (kind == ATOM_GROUP && min > 0)
			keep_better(&best, &group);
	}
	if (runlen > 0)
		keep_better(&best, &run);
	return best;
}

static struct prefilter_lits parse_alt(struct rx *rx, int depth)
{
	struct prefilter_lits all = { 0 };
	bool first = true, none = false;

	for (;;) {
		struct prefilter_lits b = parse_seq(rx, depth);

		if (b.n == 0)
			none = true;
		if (first) {
			all = b;
			first = false;
		} else if (!none) {
			if (all.n + b.n > PREFILTER_MAX_ALTS) {
				none = true;
			} else {
				for (size_t i = 0; i < b.n; i++)
					memcpy(all.lit[all.n++], b.lit[i], sizeof b.lit[i]);
			}
		}
		if (*rx->p != '|')
			break;
		rx->p++;
	}
	if (none)
		all.n = 0;
	return all;
}

bool prefilter_required(const char *regex, struct prefilter_lits *out)
{
	struct rx rx = { regex, false };

	*out = parse_alt(&rx, 0);
	if (rx.fail || *rx.p != '\0')
		out->n = 0;
	return out->n > 0;
}

/* ---- the filter ----
 *
 * Each literal is indexed by 4-byte grams of it, chosen to be rare in log
 * text.  Scanning a message loads 4 bytes at every other position, tests a
 * 64 Kibit bitmap (it fits in L1), and only on a hit looks the gram up and
 * compares the whole literal.  Most positions cost a load, a multiply and
 * a bit test, and half of the positions are skipped:
 *
 * - A literal of 5 bytes or more is indexed by two adjacent grams, so
 *   wherever it occurs one of them starts at an even position.
 * - A literal of exactly 4 bytes has one gram; where it starts at an odd
 *   position, the gram one byte before it is scanned instead, so it is
 *   also indexed under that gram with every possible first byte (128 after
 *   folding).  Catalogues have few such literals.
 *
 * An entry's off is where its gram starts relative to the literal (-1 for
 * the second kind); the literal is compared at the scanned position - off.
 */

enum { GRAM_BITS = 16, SCAN_STRIDE = 2 };

struct entry {
	uint32_t gram;
	uint32_t regex;
	uint16_t len;      /* literal length */
	int16_t off;       /* gram start minus literal start */
	uint32_t run;      /* entries from this one on with the same literal
			    * and offset (1 when it is the last of them) */
	const char *lit;   /* folded, in the filter's own storage */
};

struct prefilter {
	size_t nregex, words;
	uint64_t *always;       /* regexes without a usable literal */
	size_t nalways;
	struct entry *entries;  /* sorted by gram */
	size_t nentries, cap;
	uint32_t *slot_first;   /* open-addressed: index of the gram's first entry + 1 */
	size_t slot_mask;
	uint64_t bloom[(1u << GRAM_BITS) / 64];
	char *store;
};

static uint32_t load_gram(const char *p)
{
	uint32_t g;

	memcpy(&g, p, 4);
	return g | 0x20202020u;
}

static uint32_t gram_hash(uint32_t g)
{
	return (g * 2654435761u) >> (32 - GRAM_BITS);
}

/* How common a byte is in log text: among grams equally rare in the
 * vocabulary below, those of rarer bytes hit less often. */
static int commonness(unsigned char c)
{
	static const char common[] = " etaoinsrhldcu0123456789:/.-_,=\"'";
	const char *p = strchr(common, c);

	return p && c ? 40 - (int)(p - common) : 0;
}

/*
 * What nearly every line of the common formats says whatever went wrong:
 * nginx's trailing fields, Apache's and PHP-FPM's prefixes, the words of
 * stack traces and structured logs.  A literal indexed by a gram of these
 * ("erve" of "connection to server") would be looked up and compared on
 * every nginx line that names its server; a gram found nowhere here
 * ("reac" of "can't reach database") almost never.  Only the choice of gram
 * depends on this text, never what the filter lets through.
 *
 * The first part is on every line of an input, not just on many: what the
 * rules see of nginx's fields (the client and server stay in the match
 * view), so its grams weigh ten times as much.
 */
#define EVERY_LINE_TEXT ", client: 203.0.113.7, server: shop.example, request: "

static const char every_line_vocabulary[] = EVERY_LINE_TEXT;

static const char log_vocabulary[] =
	EVERY_LINE_TEXT "\"GET /index.php HTTP/1.1\", "
	"upstream: \"http://127.0.0.1:8080/\", upstream: \"fastcgi://unix:/run/php/php-fpm.sock:\", "
	"host: \"www.example.com\", referrer: \"https://www.example.com/\" "
	"while reading response header from upstream, while connecting to upstream, "
	"while sending to client, while reading upstream, while sending request to upstream, "
	"while reading client request line, while SSL handshaking, "
	"connect() failed (111: Connection refused) (110: Connection timed out) "
	"(104: Connection reset by peer) (2: No such file or directory) (13: Permission denied) "
	"open() \"/var/www/html/\" failed, upstream timed out, "
	"FastCGI sent in stderr: \"PHP message: PHP Warning: PHP Notice: "
	"[error] [warn] [crit] [alert] [emerg] [notice] [info] [debug] "
	"[Fri Nov 27 10:00:00.123456 2026] [proxy:error] [core:error] [php:error] "
	"[pid 1234:tid 5678] [client 10.0.0.1:51234] AH01114: referer: https:// "
	"[27-Nov-2026 10:00:00] WARNING: [pool www] child 1234 said into stderr: "
	"NOTICE: ERROR: Error: error: Exception exception failed Failed "
	"Traceback (most recent call last): File \"/usr/lib/python3/dist-packages/\", line 42, in "
	"at org.example.Service.handle(Service.java:42) Caused by: "
	"level=error msg= time= {\"level\":\"error\",\"message\":\"\",\"timestamp\":\"\"} "
	"Stack trace: #0 /var/www/html/vendor/ in /var/www/html/src/ on line 42 "
	"INFO WARN DEBUG localhost systemd[1]: kernel: ";

enum { EVERY_LINE_WEIGHT = 10 };

/* Folded grams of the vocabulary, sorted, for counting by binary search;
 * those of every line's text are there EVERY_LINE_WEIGHT times. */
struct vocab {
	uint32_t gram[sizeof log_vocabulary + EVERY_LINE_WEIGHT * sizeof every_line_vocabulary];
	size_t n;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static void vocab_init(struct vocab *v)
{
	v->n = 0;
	for (size_t i = 0; i + 4 < sizeof log_vocabulary; i++)
		v->gram[v->n++] = load_gram(log_vocabulary + i);
	for (int w = 0; w < EVERY_LINE_WEIGHT; w++)
		for (size_t i = 0; i + 4 < sizeof every_line_vocabulary; i++)
			v->gram[v->n++] = load_gram(every_line_vocabulary + i);
	qsort(v->gram, v->n, sizeof v->gram[0], cmp_u32);
}

static size_t vocab_count(const struct vocab *v, uint32_t g)
{
	size_t lo = 0, hi = v->n, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->gram[mid] < g)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < v->n && v->gram[lo] == g)
		lo++;
	return lo - first;
}

/* Lower is rarer: occurrences in the vocabulary first, then the bytes. */
static int gram_score(const struct vocab *v, const char *g)
{
	int score = (int)vocab_count(v, load_gram(g)) * 1000;

	for (int k = 0; k < 4; k++)
		score += commonness((unsigned char)g[k]);
	return score;
}

/* By gram, then so that entries of one literal at one offset (several
 * rules often require the same words) sit together and are compared once. */
static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c;

	if (x->gram != y->gram)
		return x->gram < y->gram ? -1 : 1;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if ((c = memcmp(x->lit, y->lit, x->len)) != 0)
		return c;
	return x->regex < y->regex ? -1 : x->regex > y->regex;
}

static bool same_literal(const struct entry *x, const struct entry *y)
{
	return x->gram == y->gram && x->off == y->off && x->len == y->len &&
	       memcmp(x->lit, y->lit, x->len) == 0;
}

static size_t slot_of(const struct prefilter *pf, uint32_t gram)
{
	uint32_t h = gram * 2246822519u;

	/* A product's low bits depend only on the gram's low bits, its first
	 * byte: folded down, the high bits spread grams that start alike
	 * (" byt", " fro", " par") over the table. */
	return (h ^ (h >> 16)) & pf->slot_mask;
}

static bool add_entry(struct prefilter *pf, uint32_t gram, size_t regex, size_t len, int off,
		      const char *lit)
{
	if (pf->nentries == pf->cap) {
		size_t ncap = pf->cap ? pf->cap * 2 : 64;
		struct entry *e = realloc(pf->entries, ncap * sizeof *e);

		if (!e)
			return false;
		pf->entries = e;
		pf->cap = ncap;
	}
	pf->entries[pf->nentries++] = (struct entry){
		gram, (uint32_t)regex, (uint16_t)len, (int16_t)off, 1, lit,
	};
	return true;
}

/* Indexes the folded literal lit (at least 4 bytes) of regex i, so that a
 * scan at every SCAN_STRIDE-th position finds each of its occurrences. */
static bool index_literal(struct prefilter *pf, const struct vocab *v, size_t i, const char *lit,
			  size_t len)
{
	size_t off = 0;
	int best = 1 << 30;

	if (len == 4) {
		char g[4];

		memcpy(g + 1, lit, 3);
		for (unsigned c = 0; c < 256; c++) {
			if (fold((unsigned char)c) != c)
				continue;
			g[0] = (char)c;
			if (!add_entry(pf, load_gram(g), i, len, -1, lit))
				return false;
		}
		return add_entry(pf, load_gram(lit), i, len, 0, lit);
	}
	for (size_t o = 0; o + 5 <= len; o++) {
		int score = gram_score(v, lit + o) + gram_score(v, lit + o + 1);

		if (score < best) {
			best = score;
			off = o;
		}
	}
	return add_entry(pf, load_gram(lit + off), i, len, (int)off, lit) &&
	       add_entry(pf, load_gram(lit + off + 1), i, len, (int)off + 1, lit);
}

struct prefilter *prefilter_new(const char *const *regexes, size_t n)
{
	struct prefilter *pf = calloc(1, sizeof *pf);
	struct vocab *vocab = malloc(sizeof *vocab);
	size_t store_len = 0, slots = 1024;

	if (!pf || !vocab) {
		free(vocab);
		free(pf);
		return NULL;
	}
	vocab_init(vocab);
	pf->nregex = n;
	pf->words = (n + 63) / 64 ? (n + 63) / 64 : 1;
	pf->always = calloc(pf->words, sizeof *pf->always);
	pf->store = malloc(n * PREFILTER_MAX_ALTS * (PREFILTER_MAX_LIT + 1) + 1);
	if (!pf->always || !pf->store)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		struct prefilter_lits lits;
		bool usable = prefilter_required(regexes[i], &lits);

		for (size_t j = 0; usable && j < lits.n; j++)
			if (strlen(lits.lit[j]) < 4)
				usable = false;
		if (!usable) {
			pf->always[i / 64] |= UINT64_C(1) << (i % 64);
			pf->nalways++;
			continue;
		}
		for (size_t j = 0; j < lits.n; j++) {
			size_t len = strlen(lits.lit[j]);
			char *copy = pf->store + store_len;

			memcpy(copy, lits.lit[j], len + 1);
			store_len += len + 1;
			if (!index_literal(pf, vocab, i, copy, len))
				goto oom;
		}
	}
	free(vocab);
	vocab = NULL;
	if (pf->nentries)
		qsort(pf->entries, pf->nentries, sizeof *pf->entries, cmp_entry);
	for (size_t i = pf->nentries; i-- > 1;)
		if (same_literal(&pf->entries[i - 1], &pf->entries[i]))
			pf->entries[i - 1].run = pf->entries[i].run + 1;
	while (slots < pf->nentries * 2)
		slots *= 2;
	pf->slot_mask = slots - 1;
	pf->slot_first = calloc(slots, sizeof *pf->slot_first);
	if (!pf->slot_first)
		goto oom;
	for (size_t i = 0; i < pf->nentries; i++) {
		uint32_t g = pf->entries[i].gram;
		size_t s;

		pf->bloom[gram_hash(g) / 64] |= UINT64_C(1) << (gram_hash(g) % 64);
		if (i > 0 && pf->entries[i - 1].gram == g)
			continue;
		for (s = slot_of(pf, g); pf->slot_first[s]; s = (s + 1) & pf->slot_mask)
			;
		pf->slot_first[s] = (uint32_t)i + 1;
	}
	return pf;
oom:
	free(vocab);
	prefilter_free(pf);
	return NULL;
}

size_t prefilter_words(const struct prefilter *pf)
{
	return pf->words;
}

size_t prefilter_unfiltered(const struct prefilter *pf)
{
	return pf->nalways;
}

/* The fold is an OR of 0x20 into every byte, so eight bytes fold at once. */
static bool folded_equal(const char *text, const char *lit, size_t len)
{
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t a, b;

		memcpy(&a, text + i, 8);
		memcpy(&b, lit + i, 8);
		if ((a | 0x2020202020202020ULL) != b)
			return false;
	}
	for (; i < len; i++)
		if (fold((unsigned char)text[i]) != (unsigned char)lit[i])
			return false;
	return true;
}

/* Looks the gram g scanned at i up; for each literal indexed under it,
 * found(pf, e, at, ctx) decides, where e is its first entry and at where
 * it would start. */
static void probe(const struct prefilter *pf, uint32_t g, size_t i,
		  void (*found)(const struct prefilter *, size_t, ptrdiff_t, void *), void *ctx)
{
	for (size_t s = slot_of(pf, g); pf->slot_first[s]; s = (s + 1) & pf->slot_mask) {
		size_t e = pf->slot_first[s] - 1;

		if (pf->entries[e].gram != g)
			continue;
		while (e < pf->nentries && pf->entries[e].gram == g) {
			size_t first = e;

			e += pf->entries[e].run;
			found(pf, first, (ptrdiff_t)i - pf->entries[first].off, ctx);
		}
		return;
	}
}

struct scan {
	const char *msg;
	size_t len;
	uint64_t *cand;
};

/* Marks the regexes of the literal at entry e when it is at `at`. */
static void mark(const struct prefilter *pf, size_t e, ptrdiff_t at, void *ctx)
{
	const struct scan *sc = ctx;
	const struct entry *en = &pf->entries[e], *end = en + en->run;

	/* Before the message (or past its end) it is not there. */
	if (at < 0 || (size_t)at + en->len > sc->len || !folded_equal(sc->msg + at, en->lit, en->len))
		return;
	for (; en < end; en++)
		sc->cand[en->regex / 64] |= UINT64_C(1) << (en->regex % 64);
}

/* Probes the grams at the stride's positions from `from` (even) up to
 * `to`; the caller sees that each lies within msg. */
static void scan_range(const struct prefilter *pf, const char *msg, size_t from, size_t to,
		       void (*found)(const struct prefilter *, size_t, ptrdiff_t, void *), void *ctx)
{
	for (size_t i = from; i < to; i += SCAN_STRIDE) {
		uint32_t g = load_gram(msg + i), h = gram_hash(g);

		if (pf->bloom[h / 64] & (UINT64_C(1) << (h % 64)))
			probe(pf, g, i, found, ctx);
	}
}

/* The scan of msg[0, len) at the stride's positions from `from` on. */
static void scan_from(const struct prefilter *pf, const char *msg, size_t len, size_t from,
		      uint64_t *cand)
{
	struct scan sc = { msg, len, cand };

	if (len >= 4)
		scan_range(pf, msg, from, len - 3, mark, &sc);
}

void prefilter_scan(const struct prefilter *pf, const char *msg, size_t len, uint64_t *cand)
{
	for (size_t w = 0; w < pf->words; w++)
		cand[w] |= pf->always[w];
	if (pf->nentries)
		scan_from(pf, msg, len, 0, cand);
}

size_t prefilter_rest_from(size_t split)
{
	/* Every position whose gram reaches split or past it, on the
	 * stride's even positions. */
	return split < 3 ? 0 : (split - 3) & ~(size_t)(SCAN_STRIDE - 1);
}

void prefilter_scan_rest(const struct prefilter *pf, const char *msg, size_t len, size_t split,
			 uint64_t *cand)
{
	if (pf->nentries)
		scan_from(pf, msg, len, prefilter_rest_from(split), cand);
}

struct first_part {
	struct scan sc; /* sc.len is split */
	struct prefilter_pending *out;
	size_t n, max;
	bool overflow;
};

/* A literal wholly before split marks its regexes; one that runs on past
 * split is kept when its bytes before split are there. */
static void in_first_part(const struct prefilter *pf, size_t e, ptrdiff_t at, void *ctx)
{
	struct first_part *fp = ctx;
	size_t split = fp->sc.len;

	if (at < 0 || (size_t)at + pf->entries[e].len <= split) {
		mark(pf, e, at, &fp->sc);
		return;
	}
	if ((size_t)at >= split || !folded_equal(fp->sc.msg + at, pf->entries[e].lit, split - (size_t)at))
		return;
	if (fp->n == fp->max) {
		fp->overflow = true;
		return;
	}
	fp->out[fp->n++] = (struct prefilter_pending){ (uint32_t)e, (uint32_t)at };
}

size_t prefilter_scan_first(const struct prefilter *pf, const char *msg, size_t split,
			    uint64_t *cand, struct prefilter_pending *out, size_t max)
{
	struct first_part fp = { { msg, split, cand }, out, 0, max, false };

	for (size_t w = 0; w < pf->words; w++)
		cand[w] |= pf->always[w];
	/* The positions from prefilter_rest_from() on are
	 * prefilter_scan_rest()'s, for each message anew. */
	if (pf->nentries)
		scan_range(pf, msg, 0, prefilter_rest_from(split), in_first_part, &fp);
	return fp.overflow ? SIZE_MAX : fp.n;
}

void prefilter_check_pending(const struct prefilter *pf, const char *msg, size_t len,
			     const struct prefilter_pending *p, size_t n, uint64_t *cand)
{
	struct scan sc = { msg, len, cand };

	for (size_t i = 0; i < n; i++)
		mark(pf, p[i].entry, (ptrdiff_t)p[i].at, &sc);
}

bool prefilter_is_unfiltered(const struct prefilter *pf, size_t regex)
{
	return pf->always[regex / 64] & (UINT64_C(1) << (regex % 64));
}

void prefilter_free(struct prefilter *pf)
{
	if (!pf)
		return;
	free(pf->always);
	free(pf->entries);
	free(pf->slot_first);
	free(pf->store);
	free(pf);
}
