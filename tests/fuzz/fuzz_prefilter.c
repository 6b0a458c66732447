/* libFuzzer target, differential: the literal prefilter must never rule
 * out a regex that PCRE2 finds a match for, and the matcher's cache of a
 * subject's first part (matcher_attribute_split, split where the subject's
 * first byte says: seen, cached, then answered from the cache) must give PCRE2's answer.
 * Input: a regex, a NUL, then the subject. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "prefilter.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The regex as the one rule of a one-cause set, when it loads. */
static void check_split(const char *regex, size_t rlen, const char *subject, size_t slen,
			bool want)
{
	static const char head[] = "[cause x]\ntitle = X\nkind = fault\nmatch = ";
	char text[sizeof head + 256];
	struct ruleset rs;
	struct matcher *m;
	struct diag dg;
	size_t split;

	/* The rules file trims a value's blanks and ends it at a line. */
	if (!rlen || !slen || memchr(regex, '\n', rlen) || memchr(regex, '\r', rlen) ||
	    regex[0] == ' ' || regex[0] == '\t' || regex[rlen - 1] == ' ' || regex[rlen - 1] == '\t')
		return;
	diag_init(&dg, NULL);
	memcpy(text, head, sizeof head - 1);
	memcpy(text + sizeof head - 1, regex, rlen);
	rules_init(&rs);
	if (rules_load_buffer(&rs, "f.rules", text, sizeof head - 1 + rlen, &dg) == 0 &&
	    rules_finish(&rs, &dg) == 0 && rs.nrules == 1 && (m = matcher_new(&rs, &dg))) {
		split = (size_t)(unsigned char)subject[0] * slen / 255;
		for (int round = 0; round < 3; round++)
			if ((matcher_attribute_split(m, subject, slen, split) == 0) != want)
				abort(); /* the cache changed the answer */
		matcher_free(m);
	}
	rules_release(&rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	char regex[256];
	const char *regexes[1] = { regex };
	const char *subject;
	size_t rlen, slen;
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	struct prefilter *pf;
	uint64_t cand = 0;
	int err, rc;
	PCRE2_SIZE off;

	if (!nul || (size_t)(nul - data) >= sizeof regex)
		return 0;
	rlen = (size_t)(nul - data);
	memcpy(regex, data, rlen);
	regex[rlen] = '\0';
	subject = (const char *)nul + 1;
	slen = size - rlen - 1;
	code = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	if (!code)
		return 0;
	md = pcre2_match_data_create(1, NULL);
	mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mctx, 100000);
	rc = pcre2_match(code, (PCRE2_SPTR)subject, slen, 0, 0, md, mctx);
	pf = prefilter_new(regexes, 1);
	if (!pf)
		abort();
	prefilter_scan(pf, subject, slen, &cand);
	if (rc >= 0 && !(cand & 1))
		abort(); /* the filter lost a match */
	/* A limit reached decides nothing either way. */
	if (rc >= 0 || rc == PCRE2_ERROR_NOMATCH)
		check_split(regex, rlen, subject, slen, rc >= 0);
	prefilter_free(pf);
	pcre2_match_context_free(mctx);
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	return 0;
}
