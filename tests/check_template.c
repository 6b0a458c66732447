/* template: what is masked and what is kept, clean cuts, linear time. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"
#include "testutil.h"

struct mask_case {
	const char *in;
	size_t in_len;
	const char *want;
	size_t want_len;
};

#define S(x) x, sizeof(x) - 1

static const struct mask_case mask_cases[] = {
	/* The examples the module was asked for. */
	{ S("upstream timed out (110: Connection timed out) while reading response header from "
	    "upstream, client: 203.0.113.9, server: shop.example, request: \"GET /cart HTTP/1.1\", "
	    "upstream: \"http://10.0.4.21:8080/api\", host: \"shop.example\""),
	  S("upstream timed out (<N>: Connection timed out) while reading response header from "
	    "upstream, client: <IP>, server: shop.example, request: \"<S>\", upstream: \"<S>\", "
	    "host: \"<S>\"") },
	{ S("PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate "
	    "20480 bytes) in /srv/www/shop/vendor/dompdf/src/Frame.php on line 361"),
	  S("PHP Fatal error:  Allowed memory size of <N> bytes exhausted (tried to allocate <N> "
	    "bytes) in /srv/www/<PATH> on line <N>") },
	{ S("SQLSTATE[HY000] [2002] Connection refused"),
	  S("SQLSTATE[HY000] [<N>] Connection refused") },
	{ S("AH01071: Got error 'x'"), S("AH01071: Got error '<S>'") },
	/* Quoted prose is the message: masked inside, not hidden. */
	{ S("FastCGI sent in stderr: \"PHP message: PHP Fatal error:  Uncaught PDOException: "
	    "SQLSTATE[HY000] [2002] Connection refused in /srv/www/shop/src/Db.php:42\" while "
	    "reading response header from upstream"),
	  S("FastCGI sent in stderr: \"PHP message: PHP Fatal error:  Uncaught PDOException: "
	    "SQLSTATE[HY000] [<N>] Connection refused in /srv/www/<PATH>:<N>\" while reading "
	    "response header from upstream") },
	{ S("stderr: \"PHP message: PHP Warning:  Undefined array key \"gift-card\" in /srv/www/a/b.php "
	    "on line 886\" while reading response header"),
	  S("stderr: \"PHP message: PHP Warning:  Undefined array key \"<S>\" in /srv/www/<PATH> "
	    "on line <N>\" while reading response header") },
	{ S("AH01071: Got error 'PHP message: PHP Fatal error:  Allowed memory size of 1024 bytes'"),
	  S("AH01071: Got error 'PHP message: PHP Fatal error:  Allowed memory size of <N> bytes'") },
	{ S("768 worker_connections are not enough"), S("<N> worker_connections are not enough") },
	{ S("request 0f8fad5b-d9cb-469f-a165-70867728950e failed"), S("request <UUID> failed") },
	{ S("id=deadbeefcafe1234"), S("id=<HEX>") },

	/* Words that merely contain digits are kept whole. */
	{ S("php8.2-fpm pool www HY000 AH01071 SQLSTATE[08006] ORA-12541 worker_connections"),
	  S("php8.2-fpm pool www HY000 AH01071 SQLSTATE[08006] ORA-12541 worker_connections") },
	{ S("x86_64 3rd 5xx 64bit accept4 http2: ssh2 python3.11.4 E11000 [MY-012574]"),
	  S("x86_64 3rd 5xx 64bit accept4 http2: ssh2 python3.11.4 E11000 [MY-012574]") },
	{ S("CVE-2021-44228 ORA-00018: max"), S("CVE-2021-44228 ORA-00018: max") },
	{ S("error:0A000086:SSL routines::certificate verify failed"),
	  S("error:0A000086:SSL routines::certificate verify failed") },
	/* ...but a number joined to a lower-case word varies. */
	{ S("HikariPool-1 [nio-8080-exec-3] systemd[1]: kafka-0.kafka-headless"),
	  S("HikariPool-<N> [nio-<N>-exec-<N>] systemd[<N>]: kafka-<N>.kafka-headless") },

	/* Numbers. */
	{ S("-1 +5 3.14 x=-2 (7) #3 *1183 1-5"), S("<N> <N> <N> x=<N> (<N>) #<N> *<N> <N>-<N>") },
	{ S("took 30000ms, limit 512M, 10s, rss:12441220kB, 3.20 GiB"),
	  S("took <N>ms, limit <N>M, <N>s, rss:<N>kB, <N> GiB") },
	{ S("Apache/2.4.58 version 1.2.3.4.5 at 10:20:30"),
	  S("Apache/<N> version <N> at <N>:<N>:<N>") },
	{ S("28,801,112 ms"), S("<N>,<N>,<N> ms") },
	{ S("at 2025-03-02T13:00:01.118Z and 20250302T130001Z"),
	  S("at <N>-<N>-<N>T<N>:<N>:<N>Z and <N>T<N>Z") },
	{ S("1402#1402: 02-Mar-2025"), S("<N>#<N>: <N>-Mar-<N>") },
	/* A number glued to a word is part of the word, dots and all. */
	{ S("1.2.3x 1.2.3.4deadbeef 5_000 7e 1e10"), S("1.2.3x 1.2.3.4deadbeef 5_000 7e 1e10") },

	/* Hex. */
	{ S("addr=0x7f3a2b pc=0X1F gfp_mask=0x100cca(GFP)"),
	  S("addr=<HEX> pc=<HEX> gfp_mask=<HEX>(GFP)") },
	{ S("[4c1d9e2a] 4C1D9E2A DEADBEEFCAFE1234 deadbeef decade 1a2b3c"),
	  S("[<HEX>] 4C1D9E2A <HEX> deadbeef decade 1a2b3c") },
	{ S("0F8FAD5B-D9CB-469F-A165-70867728950E"), S("<UUID>") },

	/* Addresses. */
	{ S("connect to 10.0.0.1:8080 and 0.0.0.0:443 from 10.0.0.0/8"),
	  S("connect to <IP>:<N> and <IP>:<N> from <IP>/<N>") },
	{ S("read tcp 10.0.3.12:51122->10.0.4.50:8080: i/o timeout"),
	  S("read tcp <IP>:<N>-><IP>:<N>: i/o timeout") },
	{ S("[::1]:8080 2001:db8::1 fe80::1%eth0, ::ffff:10.0.0.1 "
	    "2001:0db8:0000:0000:0000:ff00:0042:8329 ::1: x"),
	  S("[<IP>]:<N> <IP> <IP>, <IP> <IP> <IP>: x") },
	{ S("Db::connect() A::b dead::beef [::]:80 256.1.1.1"),
	  S("Db::connect() A::b dead::beef [::]:<N> <N>") },

	/* Quotes. */
	{ S("empty \"\" and '' stay"), S("empty \"\" and '' stay") },
	{ S("can't connect: 'can't connect' isn't"), S("can't connect: '<S>' isn't") },
	{ S("key \"a \\\"b\\\" c\" end"), S("key \"<S>\" end") },
	{ S("user 'orders'@'10.0.3.12'"), S("user '<S>'@'<S>'") },
	{ S("say \"hi and 'bye"), S("say \"hi and 'bye") },
	{ S("{\"level\":\"error\",\"ts\":1740927607.118}"), S("{\"<S>\":\"<S>\",\"<S>\":<N>}") },

	/* Paths. */
	{ S("in /srv/www/shop/src/Db.php:42"), S("in /srv/www/<PATH>:<N>") },
	{ S("open /tmp/x, /proc/1234, /api/orders/ and /a/b/"),
	  S("open /tmp/x, /proc/<N>, /api/orders/ and /a/b/") },
	{ S("(/var/cache/nginx/fastcgi_temp/3/02/0000000023)"), S("(/var/cache/<PATH>)") },
	{ S("and/or 1/2 ./a/b/c/d"), S("and/or <N>/<N> ./a/b/c/d") },
	{ S("in phar:///usr/local/bin/composer/src/R.php"), S("in phar:///usr/local/<PATH>") },
	{ S("for http://10.0.4.21:8080/api/v1/users/42 and https://shop.example/p/7/r"),
	  S("for http://<IP>:<N>/api/v1/users/<N> and https://shop.example/p/<N>/r") },
	{ S("unix:/run/php/php8.2-fpm.sock:"), S("unix:/run/php/<PATH>:") },

	/* Bytes that are not text pass through. */
	{ S("a\0b 5\x01 \xff\xfe 7 \xc3\xa9t\xc3\xa9 9 \xe2\x80\x94 1"),
	  S("a\0b <N>\x01 \xff\xfe <N> \xc3\xa9t\xc3\xa9 <N> \xe2\x80\x94 <N>") },
	{ S("\xff" "5 5\xff"), S("\xff" "5 5\xff") },
	{ S(""), S("") },
};

START_TEST(test_mask)
{
	const struct mask_case *c = &mask_cases[_i];
	char out[1024];
	size_t n = template_mask(c->in, c->in_len, out, sizeof out);

	ck_assert_msg(n == c->want_len && memcmp(out, c->want, n) == 0,
		      "case %d:\n got '%.*s'\nwant '%.*s'", _i, (int)n, out, (int)c->want_len,
		      c->want);
	ck_assert_int_eq(out[n], '\0');
}
END_TEST

/* Messages that differ only in their values read the same. */
static const char *const same[][3] = {
	{ "connect() failed (111: Connection refused) while connecting to upstream, client: "
	  "203.0.113.9, server: shop.example, request: \"GET /cart HTTP/1.1\", upstream: "
	  "\"http://10.0.4.21:8080/api\"",
	  "connect() failed (113: Connection refused) while connecting to upstream, client: "
	  "2001:db8::7, server: shop.example, request: \"POST /checkout?id=4 HTTP/2.0\", "
	  "upstream: \"http://[::1]:9000/\"",
	  "connect() failed (2: Connection refused) while connecting to upstream, client: "
	  "198.51.100.61, server: shop.example, request: \"\\x16\\x03\", upstream: \"unix:x\"" },
	{ "Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in "
	  "/srv/www/shop/vendor/dompdf/src/Frame.php on line 361",
	  "Allowed memory size of 268435456 bytes exhausted (tried to allocate 4096 bytes) in "
	  "/srv/www/blog/wp-includes/media.php on line 3420",
	  "Allowed memory size of 1 bytes exhausted (tried to allocate 0 bytes) in "
	  "/srv/www/x/y on line 0" },
	{ "request 0f8fad5b-d9cb-469f-a165-70867728950e failed after 30000ms (trace deadbeefcafe1234)",
	  "request 7C9E6679-7425-40DE-944B-E07FC1F90AE7 failed after 5ms (trace 0123456789abcdef)",
	  "request 00000000-0000-0000-0000-000000000000 failed after 1.5ms (trace 0x7f)" },
	{ "[pid 20111:tid 139870011] [client 198.51.100.17:40122] AH01071: Got error 'Primary "
	  "script unknown'",
	  "[pid 1:tid 2] [client 10.1.2.3:8] AH01071: Got error 'x'",
	  "[pid 77:tid 139870000] [client 10.0.0.1:1] AH01071: Got error 'can't say'" },
};

START_TEST(test_same_template)
{
	char first[1024], out[1024];
	size_t n0 = template_mask(same[_i][0], strlen(same[_i][0]), first, sizeof first);
	uint64_t h0 = template_hash(first, n0);

	for (int k = 1; k < 3; k++) {
		size_t n = template_mask(same[_i][k], strlen(same[_i][k]), out, sizeof out);

		ck_assert_msg(n == n0 && memcmp(out, first, n) == 0, "'%s'\nvs '%s'", out, first);
		ck_assert_uint_eq(template_hash(out, n), h0);
	}
}
END_TEST

START_TEST(test_hash)
{
	static const char text[] = "upstream timed out (<N>: Connection timed out) while "
				   "reading response header from upstream";
	char copy[sizeof text];

	/* Deterministic, and a function of the bytes only, not of where they
	 * are in memory (the word loads are unaligned). */
	memcpy(copy, text, sizeof text);
	ck_assert_uint_eq(template_hash(text, sizeof text - 1), template_hash(copy, sizeof text - 1));
	for (size_t n = 0; n < sizeof text; n++)
		ck_assert_uint_eq(template_hash(text + 1, n), template_hash(copy + 1, n));
	/* Bytes after a NUL count, and so does the length: trailing NULs
	 * make a different key, as does any byte in the tail or a word. */
	ck_assert_uint_ne(template_hash("a\0b", 3), template_hash("a\0c", 3));
	ck_assert_uint_ne(template_hash("a", 1), template_hash("a\0", 2));
	ck_assert_uint_ne(template_hash("", 0), template_hash("\0", 1));
	ck_assert_uint_ne(template_hash("abcdefgh1", 9), template_hash("abcdefgh2", 9));
	ck_assert_uint_ne(template_hash("1bcdefgh", 8), template_hash("2bcdefgh", 8));
	/* Every prefix of the text hashes differently. */
	for (size_t n = 0; n + 1 < sizeof text; n++)
		ck_assert_uint_ne(template_hash(text, n), template_hash(text, n + 1));
}
END_TEST

/* The memo returns what template_mask and template_hash would, for hits,
 * misses, entries pushed out, and messages too long to keep. */
START_TEST(test_memo)
{
	static const char *const msgs[] = {
		"client closed connection while waiting for request",
		"open() \"/srv/www/shop/public/favicon.ico\" failed (2: No such file or directory)",
		"upstream timed out (110: Connection timed out) while connecting to upstream",
		"",
		"a\0b 123",
	};
	struct template_memo *mm = template_memo_new(TEMPLATE_MAX);
	static char big[3000];
	char out[TEMPLATE_MAX], want[TEMPLATE_MAX];

	ck_assert_ptr_nonnull(mm);
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 7 + (i % 11 == 0 ? '1' - 'a' : 0));
	for (int round = 0; round < 3; round++) {
		for (size_t k = 0; k < 600; k++) {
			char numbered[64];
			const char *m;
			size_t len, n, wn;
			uint64_t h;
			const char *tpl;

			if (k < sizeof msgs / sizeof msgs[0]) {
				m = msgs[k];
				len = k == 4 ? 8 : strlen(m);
			} else if (k == 5) {
				m = big;
				len = sizeof big;
			} else {
				/* Hundreds of distinct messages: every set
				 * fills and entries are replaced. */
				len = (size_t)snprintf(numbered, sizeof numbered, "worker %zu-x%zu gone", k, k * 7);
				m = numbered;
			}
			tpl = template_memo_mask(mm, m, len, out, &n, &h);
			wn = template_mask(m, len, want, sizeof want);
			ck_assert_uint_eq(n, wn);
			ck_assert_mem_eq(tpl, want, n);
			ck_assert_uint_eq(h, template_hash(want, wn));
		}
	}
	template_memo_free(mm);
	template_memo_free(NULL);
}
END_TEST

/* Numbers that stand alone share a memo entry whatever their digits; a
 * number whose digits change its template must not.  Each pair goes in
 * one after the other, and the second must come back as template_mask
 * writes it. */
START_TEST(test_memo_numbers)
{
	static const char *const pairs[][2] = {
		{ "allocate 20480 bytes) in /srv/x.php on line 307\"",
		  "allocate 4096 bytes) in /srv/x.php on line 61\"" },
		{ "at 10.0.0.255 now", "at 10.0.0.256 now" },   /* octets */
		{ "see 0x1f here", "see 1x1f here" },           /* hex literal */
		{ "fe80::1%12 down", "fe80::1%12345678901234567 down" },
		{ "::1 up", "::12345 up" },                      /* IPv6 groups */
		{ "id 1234567a gone", "id 123a gone" },          /* hex id length */
		{ "took 300ms", "took 3000000ms" },
		{ "code -1 back", "code -12 back" },
		{ "SQLSTATE[08004] x", "SQLSTATE[08006] x" },   /* kept in the template */
		{ "php8.2-fpm", "php7.4-fpm" },
		{ "\"1\" and '2' and /3/4", "\"15\" and '26' and /37/48" },
		{ "1/2", "100/200" },
		{ "2025-03-02T13:00:01Z", "2025-03-02T13:00:01.5Z" },
		{ "/a/b/c/12345", "/a/b/c/9" },
		/* What <PATH> hides masks the same, but not the byte before
		 * what follows it, or a backslash before a quote. */
		{ "in /srv/www/vendor/psr7/Stream.php on line 3", "in /srv/www/x/y.php on line 44" },
		{ "at \"/srv/www/a/b\" x", "at \"/srv/www/c\" x" },
		{ "in /srv/www/a/b'x'", "in /srv/www/a/b.'x'" },
		{ "in /srv/www/ab:12 x", "in /srv/www/ab.:12 x" },
		{ "'in /srv/www/a\\' x' y", "'in /srv/www/ab' x' y" },
		{ "\"in /srv/www/a\\\" x\" y", "\"in /srv/www/ab\" x\" y" },
		{ "a\x01 /srv/www/ab/", "a\x01 /srv/www/cd/" },
		{ "x /srv/www/ab\x01", "x /srv/www/cd\x01" },
		{ "x /srv/www/ab", "x /srv/www/\x02" },
		{ "x/srv/www/ab/cd", "x/srv/www/ef/gh" },
		/* Digits glued to a word stay in the key; the numbers
		 * around them are still cut. */
		{ "GET /api/v1/orders/170942 x", "GET /api/v1/orders/5 x" },
		{ "psr7/src/Stream.php on line 599\"", "psr7/src/Stream.php on line 3\"" },
		{ "x1/2", "x1/123456" },
		{ "v2 7 a8 9", "v2 77777 a8 99" },
		{ "10.0.0.1 5", "10.0.0.1 55" },
		{ "0x1f 12", "0x1f 1" },
	};
	struct template_memo *mm = template_memo_new(TEMPLATE_MAX);
	char out[TEMPLATE_MAX], want[TEMPLATE_MAX];

	ck_assert_ptr_nonnull(mm);
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		for (int k = 0; k < 2; k++) {
			const char *m = pairs[i][k];
			size_t n, wn = template_mask(m, strlen(m), want, sizeof want);
			uint64_t h;
			const char *tpl = template_memo_mask(mm, m, strlen(m), out, &n, &h);

			ck_assert_msg(n == wn && memcmp(tpl, want, n) == 0, "%s: %.*s, not %s", m,
				      (int)n, tpl, want);
			ck_assert_uint_eq(h, template_hash(want, wn));
		}
	}
	template_memo_free(mm);
}
END_TEST

/* Whether out[0..n) ends inside a placeholder or a UTF-8 sequence. */
static bool cut_badly(const char *out, size_t n)
{
	int open = 0;
	size_t k = n;

	for (size_t i = 0; i < n; i++)
		open += out[i] == '<' ? 1 : out[i] == '>' ? -1 : 0;
	if (open != 0)
		return true;
	/* "<S>" is cut with its quotes. */
	if (n >= 4 && memcmp(out + n - 4, "\"<S>", 4) == 0)
		return true;
	while (k > 0 && ((unsigned char)out[k - 1] & 0xc0) == 0x80)
		k--;
	if (k > 0 && (unsigned char)out[k - 1] >= 0xc0) {
		unsigned char lead = (unsigned char)out[k - 1];
		size_t need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;

		return n - k != need;
	}
	return false;
}

START_TEST(test_cut_cleanly)
{
	static const char *const msgs[] = {
		"client: 203.0.113.9, request: \"GET / HTTP/1.1\" in /srv/www/a/b/c.php:42 "
		"took 30000ms id 0f8fad5b-d9cb-469f-a165-70867728950e at [::1]:80 0xdead",
		"caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x92\xa5 d\xc3\xa9j\xc3\xa0 5",
	};

	for (size_t m = 0; m < sizeof msgs / sizeof msgs[0]; m++) {
		const char *msg = msgs[m];
		char full[512], out[512];
		size_t len = strlen(msg);
		size_t nfull = template_mask(msg, len, full, sizeof full);

		for (size_t cap = 1; cap <= nfull + 2; cap++) {
			size_t n;

			memset(out, 'Z', sizeof out);
			n = template_mask(msg, len, out, cap);
			ck_assert_uint_lt(n, cap);
			ck_assert_int_eq(out[n], '\0');
			ck_assert_int_eq(out[cap], 'Z'); /* nothing written past cap */
			ck_assert_msg(memcmp(out, full, n) == 0, "cap %zu: not a prefix", cap);
			ck_assert_msg(!cut_badly(out, n), "cap %zu: cut badly: '%s'", cap, out);
			if (cap > nfull)
				ck_assert_uint_eq(n, nfull);
			else
				/* No piece is longer than 8 bytes ("'<S>'", "<UUID>", "<N>ms"). */
				ck_assert_uint_ge(n + 8, cap - 1);
		}
	}
}
END_TEST

START_TEST(test_no_room)
{
	char one[1] = { 'x' };

	ck_assert_uint_eq(template_mask("abc 5", 5, NULL, 0), 0);
	ck_assert_uint_eq(template_mask("abc 5", 5, one, 1), 0);
	ck_assert_int_eq(one[0], '\0');
	ck_assert_uint_eq(template_mask(NULL, 0, one, 1), 0);
}
END_TEST

/* Inputs built to make a careless scanner go back over what it read: each
 * is 256 KiB, so a quadratic scan would take minutes and hit the timeout. */
START_TEST(test_linear)
{
	static const char *const units[] = {
		"1:", "'a", "\"\\", "/a", "1.", "a-", "A-1", "0a", "-1-", "::1:", "x'y", "1.2.3.",
		"deadbeef", "a\\'", "1.1",
	};
	size_t len = (size_t)256 << 10;
	char *msg = malloc(len), *out = malloc(len * 4);

	ck_assert_ptr_nonnull(msg);
	ck_assert_ptr_nonnull(out);
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		size_t ul = strlen(units[u]), n;

		for (size_t i = 0; i < len; i++)
			msg[i] = units[u][i % ul];
		/* A word at the end, so that nothing ends as a token. */
		msg[len - 1] = 'x';
		n = template_mask(msg, len, out, len * 4);
		ck_assert_uint_gt(n, 0);
	}
	free(msg);
	free(out);
}
END_TEST

/* Random bytes, many of them special: the output is always bounded and
 * terminated, and a cut output is a prefix of the whole.  The input lives in
 * a buffer of its exact size, so a read past its end trips ASan. */
START_TEST(test_random)
{
	static const char alphabet[] = "0123456789abcdefABCDEFxXT:.-+/'\"\\[]<> _%,=\xc3\xa9\xff\x01";
	unsigned seed = 12345;

	for (int iter = 0; iter < 20000; iter++) {
		size_t len, cap, n, nfull;
		char *msg, full[256], out[256];

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % 64;
		msg = malloc(len ? len : 1);
		ck_assert_ptr_nonnull(msg);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			msg[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		nfull = template_mask(msg, len, full, sizeof full);
		ck_assert_uint_lt(nfull, sizeof full);
		seed = seed * 1103515245u + 12345u;
		cap = (seed >> 16) % (nfull + 2) + 1;
		n = template_mask(msg, len, out, cap);
		ck_assert_uint_lt(n, cap);
		ck_assert_int_eq(out[n], '\0');
		ck_assert(memcmp(out, full, n) == 0);
		free(msg);
	}
}
END_TEST

Suite *template_suite(void)
{
	Suite *s = suite_create("template");
	TCase *tc = tcase_create("mask");

	tcase_add_loop_test(tc, test_mask, 0, sizeof mask_cases / sizeof mask_cases[0]);
	tcase_add_loop_test(tc, test_same_template, 0, sizeof same / sizeof same[0]);
	tcase_add_test(tc, test_hash);
	tcase_add_test(tc, test_memo);
	tcase_add_test(tc, test_memo_numbers);
	tcase_add_test(tc, test_cut_cleanly);
	tcase_add_test(tc, test_no_room);
	tcase_add_test(tc, test_linear);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);
	return s;
}
