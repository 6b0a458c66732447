/*
 * gen_common.h — what bench/genlog.c and bench/genpair.c both need and
 * mean the same by: civil dates, reading the options they share, and the
 * vocabulary of the PHP application their records describe.
 * Header-only, so each generator stays one `cc` command away.
 */
#ifndef LOGCAUSE_BENCH_GEN_COMMON_H
#define LOGCAUSE_BENCH_GEN_COMMON_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	/* Howard Hinnant's algorithm: proleptic Gregorian, no libc time zone */
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool parse_real(const char *s, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return *s && !*end && !errno && *out >= lo && *out <= hi;
}

/* 'YYYY-MM-DD HH:MM:SS' (or with a T) to epoch seconds, as if UTC. */
static bool parse_start(const char *s, int64_t *out)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	unsigned v[6] = { 0 }, k = 0;

	if (strlen(s) != sizeof shape - 1)
		return false;
	for (size_t i = 0; i < sizeof shape - 1; i++) {
		if (shape[i] == 'd') {
			if (s[i] < '0' || s[i] > '9')
				return false;
			v[k] = v[k] * 10 + (unsigned)(s[i] - '0');
		} else if (s[i] == shape[i] || (i == 10 && s[i] == 'T')) {
			k++;
		} else {
			return false;
		}
	}
	if (v[0] < 1970 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[3] > 23 ||
	    v[4] > 59 || v[5] > 59)
		return false;
	int64_t day = days_from_civil(v[0], v[1], v[2]);
	int64_t next = v[1] == 12 ? days_from_civil(v[0] + 1, 1, 1) :
				    days_from_civil(v[0], v[1] + 1, 1);
	if (day >= next)	/* 2026-02-30 */
		return false;
	*out = day * 86400 + v[3] * 3600 + v[4] * 60 + v[5];
	return true;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool name_is(const char *s, const char *name, size_t len)
{
	return strlen(s) == len && memcmp(s, name, len) == 0;
}

/* A count with an optional k, M or G suffix, each a factor of `unit`
 * (1000 or 1024); unit 0 allows no suffix. */
static bool parse_count(const char *s, uint64_t unit, uint64_t *out)
{
	uint64_t mult = 1;
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return false;
	if (*end && unit) {
		const char *suffix = strchr("kKmMgG", *end);
		if (!suffix || end[1])
			return false;
		for (long i = 0; i <= (suffix - "kKmMgG") / 2; i++)
			mult *= unit;
	} else if (*end) {
		return false;
	}
	if (v > UINT64_MAX / mult)
		return false;
	*out = (uint64_t)v * mult;
	return true;
}

/*
 * The PHP application both generators' records speak of: its classes,
 * vendor files and memory figures, so a template row reads the same in
 * either.  {main} and {closure} in a template are words, not fields.
 */
static const char *const controllers[] = {
	"CartController", "CheckoutController", "ProductController",
	"OrderController", "AccountController", "SearchController", NULL
};
static const char *const service_classes[] = {
	"CartService", "PriceCalculator", "StockService", "CouponService",
	"ShippingService", "OrderService", NULL
};
static const char *const getters[] = {
	"getId", "getItems", "getPrice", "getCustomer", "getTotal", "toArray", NULL
};
static const char *const repositories[] = {
	"ProductRepository", "OrderRepository", "CartRepository",
	"UserRepository", NULL
};
static const char *const vendor_files[] = {
	"doctrine/orm/src/UnitOfWork.php", "symfony/serializer/Serializer.php",
	"twig/twig/src/Environment.php", "guzzlehttp/psr7/src/Stream.php",
	"monolog/monolog/src/Monolog/Logger.php", NULL
};
static const char *const mem_limits[] = {
	"134217728", "134217728", "268435456", "536870912", NULL
};
static const char *const allocs[] = {
	"20480", "4096", "262144", "12288", "2097160", "65536", "8388616", NULL
};
static const char *const literal_words[] = { "main", "closure", NULL };

static bool is_literal_word(const char *name, size_t len)
{
	for (const char *const *w = literal_words; *w; w++)
		if (name_is(*w, name, len))
			return true;
	return false;
}

#endif
