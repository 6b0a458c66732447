#include "diag.h"

#include <inttypes.h>

void diag_init(struct diag *dg, FILE *out)
{
	dg->out = out;
	dg->prog = "logcause";
	dg->errors = 0;
	dg->warnings = 0;
	dg->warn_limit = 10;
	dg->erase_line = false;
}

static void vprint(struct diag *dg, const char *where, const char *fmt, va_list ap)
{
	if (!dg->out)
		return;
	/* One message is one piece of output even when the decoding thread
	 * and the reading thread both have something to say. */
	flockfile(dg->out);
	if (dg->erase_line)
		fputs("\r\033[K", dg->out);
	if (where)
		fprintf(dg->out, "%s: %s: ", dg->prog, where);
	else
		fprintf(dg->out, "%s: ", dg->prog);
	vfprintf(dg->out, fmt, ap);
	fputc('\n', dg->out);
	fflush(dg->out);
	funlockfile(dg->out);
}

int diag_error(struct diag *dg, const char *where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(dg, where, fmt, ap);
	va_end(ap);
	dg->errors++;
	return -1;
}

void diag_warn(struct diag *dg, const char *where, const char *fmt, ...)
{
	va_list ap;

	if (dg->warnings++ >= dg->warn_limit)
		return;
	va_start(ap, fmt);
	vprint(dg, where, fmt, ap);
	va_end(ap);
}

void diag_flush(struct diag *dg)
{
	if (dg->out && dg->warnings > dg->warn_limit) {
		fprintf(dg->out, "%s: ...and %" PRIu64 " more warnings\n", dg->prog,
			dg->warnings - dg->warn_limit);
		fflush(dg->out);
	}
}
