/* json: the writer's output is valid JSON (RFC 8259) for any bytes. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "testutil.h"

static char *write_string(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_put_string(f, s, n);
	fclose(f);
	return buf;
}

START_TEST(test_every_byte)
{
	unsigned char all[512];
	char *out;

	for (int i = 0; i < 256; i++) {
		all[2 * i] = (unsigned char)i;
		all[2 * i + 1] = (unsigned char)(255 - i);
	}
	out = write_string((const char *)all, sizeof all);
	ck_assert_msg(json_valid(out), "invalid JSON string: %s", out);
	free(out);
}
END_TEST

START_TEST(test_escapes)
{
	static const struct {
		const char *in;
		size_t n;
		const char *out;
	} cases[] = {
		{ "plain", 5, "\"plain\"" },
		{ "q\"b\\", 4, "\"q\\\"b\\\\\"" },
		{ "a\nb\tc\rd", 7, "\"a\\nb\\tc\\rd\"" },
		{ "nul\0x", 5, "\"nul\\u0000x\"" },
		{ "esc\x1b[0m", 7, "\"esc\\u001b[0m\"" },
		{ "caf\xc3\xa9", 5, "\"caf\xc3\xa9\"" },
		{ "bad\xff", 4, "\"bad\\\\xff\"" },
		{ "cut\xc3", 4, "\"cut\\\\xc3\"" },
		{ "surrogate\xed\xa0\x80", 12, "\"surrogate\\\\xed\\\\xa0\\\\x80\"" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = write_string(cases[i].in, cases[i].n);

		ck_assert_str_eq(out, cases[i].out);
		free(out);
	}
}
END_TEST

Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("write");

	tcase_add_test(tc, test_every_byte);
	tcase_add_test(tc, test_escapes);
	suite_add_tcase(s, tc);
	return s;
}
