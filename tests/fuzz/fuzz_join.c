/* libFuzzer target: the access-log join over arbitrary lines.  Each line
 * is parsed; an access record asks the join, anything else is held with a
 * cause drawn from its first byte.  The first input byte sets a tiny ring
 * (so overflow and growth are reached) and the window.  Afterwards the
 * responses must add up. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "join.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules[] =
	"[cause a]\ntitle = A\nkind = fault\nstatus = 502 503\nmatch = a\n"
	"[cause b]\ntitle = B\nkind = fault\nstatus = 504 500\nmatch = b\n"
	"[cause c]\ntitle = C\nkind = noise\nstatus = 499\nmatch = c\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ruleset rs;
	static int loaded;
	struct join_options o;
	struct responses *out;
	struct record_parser p;
	struct join *j;
	struct tzone z;
	const char *s = (const char *)data, *end = s + size;
	uint64_t line = 0, fivexx;

	if (!loaded) {
		struct diag dg;

		diag_init(&dg, NULL);
		rules_init(&rs);
		if (rules_load_buffer(&rs, "f.rules", rules, sizeof rules - 1, &dg) < 0 ||
		    rules_finish(&rs, &dg) < 0)
			abort();
		loaded = 1;
	}
	join_default_options(&o);
	if (size) {
		o.capacity = (size_t)1 << (data[0] & 15);
		o.window_us = (int64_t)(data[0] >> 4) * 10 * 1000000;
	}
	out = responses_new(rs.ncauses);
	j = out ? join_new(&rs, out, &o) : NULL;
	if (!j)
		abort();
	tzone_init_fixed(&z, 0);
	record_parser_init(&p, FMT_COUNT, &z);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		struct record r;

		record_parse(&p, s, n, ++line, false, &r);
		if (r.format == FMT_ACCESS) {
			struct join_match m = join_response(j, &r);

			if (m.cause >= (long)rs.ncauses || (m.by != JOIN_NONE && m.line == 0))
				abort();
			responses_add(out, &r, &m);
			if (r.time != TSTAMP_NONE)
				join_expire(j, r.time);
		} else {
			long cause = n ? (long)((unsigned char)s[0] % (rs.ncauses + 1)) - 1 : -1;

			join_add_record(j, &r, cause, 0);
		}
		s += n + (nl != NULL);
	}
	join_finish(j, INT64_MAX);
	fivexx = out->by_class[5];
	if (out->explained + out->unexplained != fivexx || out->unattributed_record > out->unexplained)
		abort();
	for (size_t c = 0; c < rs.ncauses; c++)
		if (out->causes[c].records_matched > out->causes[c].records)
			abort();
	record_parser_release(&p);
	join_free(j);
	responses_free(out);
	return 0;
}
