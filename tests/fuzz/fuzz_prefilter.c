/* libFuzzer target, differential: the literal prefilter must never rule
 * out a regex that PCRE2 finds a match for.  Input: a regex, a NUL, then
 * the subject. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	prefilter_free(pf);
	pcre2_match_context_free(mctx);
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	return 0;
}
