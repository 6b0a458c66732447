#include "json.h"

#include <string.h>

#include "utf8.h"

void json_put_string(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	fputc('"', out);
	while (i < n) {
		size_t run = i;

		/* Copy runs of plain ASCII at once: most log text is. */
		while (run < n && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '"' && p[run] != '\\')
			run++;
		if (run > i) {
			fwrite(p + i, 1, run - i, out);
			i = run;
			continue;
		}
		switch (p[i]) {
		case '"': fputs("\\\"", out); i++; continue;
		case '\\': fputs("\\\\", out); i++; continue;
		case '\n': fputs("\\n", out); i++; continue;
		case '\t': fputs("\\t", out); i++; continue;
		case '\r': fputs("\\r", out); i++; continue;
		default: break;
		}
		if (p[i] < 0x20 || p[i] == 0x7f) {
			fprintf(out, "\\u%04x", p[i]);
			i++;
			continue;
		}
		{
			size_t seq = utf8_valid_len(p + i, n - i);

			if (seq == 0) {
				fprintf(out, "\\\\x%02x", p[i]);
				i++;
			} else {
				fwrite(p + i, 1, seq, out);
				i += seq;
			}
		}
	}
	fputc('"', out);
}

void json_put_cstr(FILE *out, const char *s)
{
	if (!s)
		fputs("null", out);
	else
		json_put_string(out, s, strlen(s));
}
