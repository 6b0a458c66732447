/* libFuzzer target: the .rules parser, the regex compiler and
 * --check-patterns over an arbitrary pattern file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "match.h"
#include "rules.h"
#include "verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *devnull = fopen("/dev/null", "w");
	struct ruleset rs;
	struct diag dg;
	struct matcher *m;
	struct verify_result res;

	if (!devnull)
		abort();
	diag_init(&dg, devnull);
	rules_init(&rs);
	if (rules_load_buffer(&rs, "fuzz.rules", (const char *)data, size, &dg) == 0 &&
	    rules_finish(&rs, &dg) == 0 && (m = matcher_new(&rs, &dg)) != NULL) {
		verify_patterns(&rs, m, true, &dg, &res);
		matcher_free(m);
	}
	rules_release(&rs);
	fclose(devnull);
	return 0;
}
