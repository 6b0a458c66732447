#include "events.h"

#include <inttypes.h>
#include <string.h>

#include "json.h"
#include "tstamp.h"

static void field(FILE *out, const char *name, const struct record *r, struct span sp)
{
	if (sp.len == 0)
		return;
	fprintf(out, ",\"%s\":", name);
	json_put_string(out, r->text + sp.off, sp.len);
}

void events_write(FILE *out, const char *file, const struct record *r,
		  const struct ruleset *rs, long cause)
{
	char when[TSTAMP_ISO_SIZE];

	fputs("{\"file\":", out);
	json_put_cstr(out, file);
	fprintf(out, ",\"line\":%" PRIu64 ",\"format\":\"%s\",\"time\":", r->line,
		record_format_name(r->format));
	if (r->time == TSTAMP_NONE)
		fputs("null", out);
	else
		fprintf(out, "\"%s\"", tstamp_iso(r->time, r->time % TSTAMP_US_PER_SEC != 0, when));
	fputs(",\"level\":", out);
	if (r->level == LEVEL_NONE)
		fputs("null", out);
	else
		fprintf(out, "\"%s\"", record_level_name(r->level));
	fputs(",\"cause\":", out);
	json_put_cstr(out, cause >= 0 ? rs->causes[cause].name : NULL);
	field(out, "client", r, r->client);
	field(out, "server", r, r->server);
	field(out, "host", r, r->host);
	field(out, "request", r, r->request);
	field(out, "upstream", r, r->upstream);
	field(out, "pid", r, r->pid);
	if (r->request.len) {
		/* "GET /cart?id=4 HTTP/1.1": method and path apart, for jq. */
		const char *q = r->text + r->request.off, *end = q + r->request.len;
		const char *sp1 = memchr(q, ' ', r->request.len), *sp2;

		if (sp1 && (sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1))) != NULL) {
			fputs(",\"method\":", out);
			json_put_string(out, q, (size_t)(sp1 - q));
			fputs(",\"path\":", out);
			json_put_string(out, sp1 + 1, (size_t)(sp2 - sp1 - 1));
		}
	}
	if (r->status)
		fprintf(out, ",\"status\":%d", r->status);
	if (r->truncated)
		fputs(",\"truncated\":true", out);
	fputs(",\"message\":", out);
	json_put_string(out, r->msg, r->msg_len);
	fputs(",\"text\":", out);
	json_put_string(out, r->text, r->len);
	fputs("}\n", out);
}
