/* One runner for every suite, so Check's summary line ends `make check`. */
#include <stdlib.h>

#include "testutil.h"

int main(void)
{
	SRunner *sr = srunner_create(arena_suite());
	int failed, run;

	srunner_add_suite(sr, diag_suite());
	srunner_add_suite(sr, tstamp_suite());
	srunner_add_suite(sr, decode_suite());
	srunner_add_suite(sr, lines_suite());
	srunner_add_suite(sr, record_suite());
	srunner_add_suite(sr, group_suite());
	srunner_add_suite(sr, rules_suite());
	srunner_add_suite(sr, match_suite());
	srunner_add_suite(sr, prefilter_suite());
	srunner_add_suite(sr, source_suite());
	srunner_add_suite(sr, json_suite());
	srunner_add_suite(sr, jsonr_suite());
	srunner_add_suite(sr, timeline_suite());
	srunner_add_suite(sr, template_suite());
	srunner_add_suite(sr, topk_suite());
	srunner_add_suite(sr, tally_suite());
	srunner_add_suite(sr, report_suite());
	srunner_add_suite(sr, join_suite());
	srunner_add_suite(sr, rqueue_suite());
	srunner_add_suite(sr, catalogue_suite());
	srunner_add_suite(sr, cli_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	run = srunner_ntests_run(sr);
	srunner_free(sr);
	/* CK_RUN_SUITE naming nothing runs zero tests and would pass. */
	if (run == 0) {
		fputs("check_logcause: no test ran\n", stderr);
		return EXIT_FAILURE;
	}
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
