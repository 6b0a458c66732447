#include "progress.h"

#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void human(double v, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

void progress_init(struct progress *p, FILE *out, bool enabled, uint64_t total)
{
	p->out = out;
	p->enabled = enabled && isatty(fileno(out));
	p->shown = false;
	p->total = total;
	p->done = 0;
	p->start = p->enabled ? now() : 0;
	p->last_draw = 0;
}

void progress_update(struct progress *p, uint64_t read, const char *name)
{
	double t, elapsed;
	uint64_t sofar = p->done + read;
	char a[32], b[32], c[32];

	if (!p->enabled)
		return;
	t = now();
	elapsed = t - p->start;
	if (elapsed < 0.5 || t - p->last_draw < 0.2)
		return;
	p->last_draw = t;
	human((double)sofar, a, sizeof a);
	human((double)sofar / elapsed, c, sizeof c);
	/* \r and erase-line: redraw in place on one line. */
	fprintf(p->out, "\r\033[Klogcause: %s", a);
	if (p->total) {
		human((double)p->total, b, sizeof b);
		fprintf(p->out, " of %s (%.0f%%)", b,
			sofar <= p->total ? 100.0 * (double)sofar / (double)p->total : 100.0);
	}
	fprintf(p->out, ", %s/s, %.60s", c, name);
	fflush(p->out);
	p->shown = true;
}

void progress_input_done(struct progress *p, uint64_t read)
{
	p->done += read;
}

void progress_end(struct progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
		p->shown = false;
	}
}
