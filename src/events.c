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

/* Everything up to the cause: where the record is and what it says of
 * itself. */
static void head(FILE *out, const char *file, const struct record *r)
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
}

/* Everything after it: the fields, the message, the text. */
static void tail(FILE *out, const struct record *r)
{
	struct request_parts rq;

	field(out, "client", r, r->client);
	field(out, "server", r, r->server);
	field(out, "host", r, r->host);
	field(out, "request", r, r->request);
	field(out, "upstream", r, r->upstream);
	field(out, "pid", r, r->pid);
	/* "GET /cart?id=4 HTTP/1.1": method and path apart, for jq. */
	if (record_request_parts(r, &rq) && rq.method_len) {
		fputs(",\"method\":", out);
		json_put_string(out, rq.method, rq.method_len);
		fputs(",\"path\":", out);
		json_put_string(out, rq.uri, rq.uri_len);
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

void events_write(FILE *out, const char *file, const struct record *r,
		  const struct ruleset *rs, long cause)
{
	head(out, file, r);
	fputs(",\"cause\":", out);
	json_put_cstr(out, cause >= 0 ? rs->causes[cause].name : NULL);
	tail(out, r);
}

void events_write_response(FILE *out, const char *file, const struct record *r,
			   const struct ruleset *rs, const struct join_match *m,
			   const char *error_file)
{
	static const char *const by[] = { [JOIN_FIELDS] = "fields", [JOIN_CLIENT] = "client",
					  [JOIN_TIME] = "time" };

	head(out, file, r);
	fputs(",\"cause\":", out);
	json_put_cstr(out, m->cause >= 0 ? rs->causes[m->cause].name : NULL);
	fputs(",\"by\":", out);
	json_put_cstr(out, m->by != JOIN_NONE ? by[m->by] : NULL);
	if (m->by != JOIN_NONE && error_file) {
		fputs(",\"error\":{\"file\":", out);
		json_put_cstr(out, error_file);
		fprintf(out, ",\"line\":%" PRIu64 "}", m->line);
	} else {
		fputs(",\"error\":null", out);
	}
	tail(out, r);
}
