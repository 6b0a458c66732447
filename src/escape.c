#include "escape.h"

#include <string.h>

#include "utf8.h"

/* Bidirectional formatting characters (U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069) reorder the text around them: a log line holding one
 * could show a path or an address reversed.  They are valid UTF-8, so the
 * text report passes them, but a page is read by people who trust what
 * they see. */
static bool is_bidi(const unsigned char *p, size_t seq)
{
	if (seq != 3 || p[0] != 0xe2)
		return false;
	return (p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xaa && p[2] <= 0xae))) ||
	       (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9);
}

/* Writes s[0..n) as HTML text or attribute value: & < > " ' as entities,
 * control bytes, invalid UTF-8 and bidi controls as \xNN per byte (the
 * rules of report_text.c's escaper), everything else as it is. */
void escape_html(FILE *out, const char *s, size_t n, bool pre)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		size_t seq = utf8_valid_len(p + i, n - i);
		unsigned char c = p[i];

		if (seq == 1 && pre && (c == '\n' || c == '\t')) {
			fputc(c, out);
		} else if (seq == 0 || (seq == 1 && (c < 0x20 || c == 0x7f))) {
			fprintf(out, pre ? "<span class=\"x\">\\x%02x</span>" : "\\x%02x", c);
		} else if (is_bidi(p + i, seq)) {
			fprintf(out, pre ? "<span class=\"x\">\\x%02x\\x%02x\\x%02x</span>"
						    : "\\x%02x\\x%02x\\x%02x",
				p[i], p[i + 1], p[i + 2]);
		} else if (seq > 1) {
			fwrite(p + i, 1, seq, out);
		} else {
			switch (c) {
			case '&': fputs("&amp;", out); break;
			case '<': fputs("&lt;", out); break;
			case '>': fputs("&gt;", out); break;
			case '"': fputs("&quot;", out); break;
			case '\'': fputs("&#39;", out); break;
			default: fputc(c, out);
			}
		}
		i += seq ? seq : 1;
	}
}

/* Text for a Markdown table cell or heading: '|' and markup escaped,
 * control bytes and invalid UTF-8 as \xNN. */
void escape_markdown(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		size_t seq = utf8_valid_len(p + i, n - i);

		if (seq == 0 || (seq == 1 && (p[i] < 0x20 || p[i] == 0x7f))) {
			fprintf(out, "\\x%02x", p[i]);
			i++;
			continue;
		}
		if (seq == 1 && strchr("|\\`*_[]<>#", p[i]))
			fputc('\\', out);
		fwrite(p + i, 1, seq, out);
		i += seq;
	}
}

