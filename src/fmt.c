#include "fmt.h"

#include <inttypes.h>
#include <stdio.h>

/* "1,234,567" */
const char *fmt_count(uint64_t v, char buf[FMT_BUF])
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%" PRIu64, v), o = 0;

	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *fmt_bytes(uint64_t v, char buf[FMT_BUF])
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double d = (double)v;
	int u = 0;

	while (d >= 1024 && u < 4) {
		d /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, FMT_BUF, "%" PRIu64 " B", v);
	else
		snprintf(buf, FMT_BUF, "%.1f %s", d, units[u]);
	return buf;
}

double fmt_percent(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

