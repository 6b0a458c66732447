#include "profile.h"

#include <sys/resource.h>
#include <time.h>

bool profile_on;

static struct {
	uint64_t start, last;        /* ns: profile_start(), last switch */
	enum profile_phase current;
	uint64_t spent[PROF_COUNT];  /* ns per phase */
	uint64_t decoder;            /* ns the decoder thread was busy */
} prof;

uint64_t profile_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void profile_start(void)
{
	prof.start = prof.last = profile_now_ns();
	prof.current = PROF_SETUP;
	profile_on = true;
}

void profile_switch(enum profile_phase p)
{
	uint64_t now = profile_now_ns();

	prof.spent[prof.current] += now - prof.last;
	prof.last = now;
	prof.current = p;
}

void profile_add_decoder(uint64_t ns)
{
	prof.decoder += ns;
}

static double seconds(uint64_t ns)
{
	return (double)ns / 1e9;
}

static double tv_seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void profile_print(FILE *out, uint64_t lines, uint64_t bytes)
{
	static const char *const names[PROF_COUNT] = {
		[PROF_SETUP] = "start-up (rules, JIT)",
		[PROF_READ] = "read / decoder wait",
		[PROF_LINES] = "line splitting",
		[PROF_PARSE] = "record parsing",
		[PROF_MATCH] = "matching",
		[PROF_TALLY] = "tallying",
		[PROF_REPORT] = "report",
	};
	struct rusage ru;
	uint64_t wall;
	double w;

	if (!profile_on)
		return;
	profile_switch(prof.current);
	wall = prof.last - prof.start;
	w = wall ? seconds(wall) : 1e-9;
	fprintf(out, "stats: %-22s %9s %7s\n", "phase", "seconds", "share");
	for (int p = 0; p < PROF_COUNT; p++)
		fprintf(out, "stats: %-22s %9.3f %6.1f%%\n", names[p], seconds(prof.spent[p]),
			100.0 * seconds(prof.spent[p]) / w);
	fprintf(out, "stats: %-22s %9.3f\n", "wall", seconds(wall));
	if (prof.decoder)
		fprintf(out, "stats: %-22s %9.3f %6.1f%% (its own thread)\n", "decoding",
			seconds(prof.decoder), 100.0 * seconds(prof.decoder) / w);
	fprintf(out, "stats: %llu lines, %.0f lines/s; %.1f MiB decoded, %.1f MiB/s\n",
		(unsigned long long)lines, (double)lines / w, (double)bytes / 1048576.0,
		(double)bytes / 1048576.0 / w);
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		fprintf(out, "stats: cpu %.3f s user, %.3f s sys; peak RSS %.1f MiB\n",
			tv_seconds(ru.ru_utime), tv_seconds(ru.ru_stime),
			(double)ru.ru_maxrss / 1024.0);
}
