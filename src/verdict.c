#include "verdict.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int parse_limit(const char *s, struct threshold *t)
{
	char *end;

	t->limit = strtod(s, &end);
	if (end == s || t->limit < 0)
		return -1;
	t->percent = *end == '%';
	if (t->percent)
		end++;
	return *end == '\0' ? 0 : -1;
}

int verdict_add_fail_on(struct verdict *v, const struct ruleset *rs, const char *value,
			char *err, size_t errsize)
{
	char buf[512];
	char *save = NULL;

	if (strlen(value) >= sizeof buf) {
		snprintf(err, errsize, "--fail-on value too long");
		return -1;
	}
	strcpy(buf, value);
	for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		struct threshold *t;
		char *gt = strchr(item, '>');

		if (v->n == VERDICT_MAX) {
			snprintf(err, errsize, "too many thresholds (at most %d)", VERDICT_MAX);
			return -1;
		}
		t = &v->t[v->n];
		memset(t, 0, sizeof *t);
		snprintf(t->spec, sizeof t->spec, "%s", item);
		if (gt) {
			*gt = '\0';
			if (parse_limit(gt + 1, t) < 0) {
				snprintf(err, errsize, "--fail-on: bad limit in '%s' (want N or N%%)", t->spec);
				return -1;
			}
		}
		if (strcmp(item, "any") == 0) {
			t->cause = VERDICT_ANY_FAULT;
		} else if (strcmp(item, "5xx-unexplained") == 0) {
			t->cause = VERDICT_5XX_UNEXPLAINED;
		} else {
			t->cause = rules_find_cause(rs, item);
			if (t->cause < 0) {
				snprintf(err, errsize, "--fail-on: unknown cause '%s'", item);
				return -1;
			}
		}
		v->n++;
	}
	return 0;
}

int verdict_add_max_unattributed(struct verdict *v, const char *value, char *err,
				 size_t errsize)
{
	struct threshold *t;

	if (v->n == VERDICT_MAX) {
		snprintf(err, errsize, "too many thresholds (at most %d)", VERDICT_MAX);
		return -1;
	}
	t = &v->t[v->n];
	memset(t, 0, sizeof *t);
	t->cause = VERDICT_UNATTRIBUTED;
	snprintf(t->spec, sizeof t->spec, "unattributed>%s", value);
	if (parse_limit(value, t) < 0) {
		snprintf(err, errsize, "--max-unattributed: bad limit '%s' (want N or N%%)", value);
		return -1;
	}
	v->n++;
	return 0;
}

bool verdict_needs_responses(const struct verdict *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->t[i].cause == VERDICT_5XX_UNEXPLAINED)
			return true;
	return false;
}

size_t verdict_judge(struct verdict *v, const struct ruleset *rs, const struct tally *t,
		     const struct responses *resp)
{
	uint64_t faults = 0, attributable = t->records - t->below_level;

	for (size_t i = 0; i < rs->ncauses; i++)
		if (rs->causes[i].kind == CAUSE_FAULT)
			faults += t->causes[i].events;
	v->nbreach = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct threshold *th = &v->t[i];
		uint64_t count, whole;
		const char *what, *unit = "events";
		double figure;

		if (th->cause == VERDICT_UNATTRIBUTED) {
			count = t->unattributed;
			whole = attributable;
			what = "unattributed";
			unit = "records";
		} else if (th->cause == VERDICT_5XX_UNEXPLAINED) {
			count = resp ? resp->unexplained : 0;
			whole = resp ? resp->by_class[5] : 0;
			what = "5xx-unexplained";
			unit = "responses";
		} else if (th->cause == VERDICT_ANY_FAULT) {
			count = faults;
			whole = faults;
			what = "fault causes";
		} else {
			count = t->causes[th->cause].events;
			whole = th->cause >= 0 && rs->causes[th->cause].kind == CAUSE_FAULT ? faults
											  : attributable;
			what = rs->causes[th->cause].name;
		}
		figure = th->percent ? (whole ? 100.0 * (double)count / (double)whole : 0.0)
				     : (double)count;
		if (figure <= th->limit)
			continue;
		if (th->percent)
			snprintf(v->breach[v->nbreach++], sizeof v->breach[0],
				 "%s %.1f%% (%" PRIu64 " %s, limit %g%%)", what, figure, count,
				 unit, th->limit);
		else
			snprintf(v->breach[v->nbreach++], sizeof v->breach[0],
				 "%s %" PRIu64 " %s (limit %g)", what, count, unit, th->limit);
	}
	return v->nbreach;
}

void verdict_print(const struct verdict *v, FILE *out)
{
	if (v->nbreach == 0) {
		fprintf(out, "logcause: verdict: ok (%zu %s)\n", v->n,
			v->n == 1 ? "threshold" : "thresholds");
		return;
	}
	fputs("logcause: verdict: FAIL: ", out);
	for (size_t i = 0; i < v->nbreach; i++)
		fprintf(out, "%s%s", i ? "; " : "", v->breach[i]);
	fputc('\n', out);
}
