/*
 * template — masks the variable parts of a log message, so that messages
 * which differ only in their values (numbers, addresses, ids, quoted text)
 * read, and hash, the same.
 *
 * Data flow: record -> template -> topk.  A record's message is masked into
 * a caller's buffer and hashed; topk counts the hashes, keeping the template
 * as the display text and the message as the example.  Nothing is allocated:
 * the scanner is hand-written, looks ahead a bounded distance except for
 * spans it then consumes, and so runs in time linear in the message.
 *
 * What is masked, tried in this order at each position:
 *
 *   "…"  '…'       the content of a quoted string: "<S>", '<S>'.  Empty
 *                  quotes stay "" and ''.  A backslash escapes the next byte.
 *                  A single quote opens only after a non-word byte and closes
 *                  only before one, so apostrophes (can't) are text.  A quote
 *                  that never closes is kept as it is.
 *   /a/b/c/d       a path keeps its first two segments: /a/b/<PATH>.  It
 *                  starts at a '/' after a space or punctuation and ends at a
 *                  space, a quote or one of , ; : ( ) [ ] { } < >, so the
 *                  line number in /x/y/z.php:42 is a number of its own.
 *   UUID           8-4-4-4-12 hex digits: <UUID>.
 *   IPv6           2001:db8::1, ::1, ::ffff:10.0.0.1, fe80::1%eth0: <IP>;
 *                  it must hold a digit and either "::" or eight groups, so
 *                  times (10:20:30) and Class::method are left alone.
 *   IPv4           four octets of at most 255: <IP>.  A port or a prefix
 *                  length after it is a number: <IP>:<N>, <IP>/<N>.
 *   0x…            a C hex literal: <HEX>.
 *   hex id         a run of at least 8 hex digits, with a digit and a letter
 *                  (deadbeefcafe1234): <HEX>.  Upper-case runs shorter than
 *                  16 are kept: that is the shape of OpenSSL's and Windows'
 *                  error codes (0A000086, C0000005), not of ids.
 *   number         digits with optional sign and decimals (-1, 134217728,
 *                  5.002, 1.2.3): <N>.  A unit glued to it is kept: 30000ms
 *                  -> <N>ms, 512M -> <N>M, 12441220kB -> <N>kB.  The 'T'
 *                  of an ISO 8601 time splits two numbers:
 *                  2025-03-02T13:00:01.118Z -> <N>-<N>-<N>T<N>:<N>:<N>Z.
 *
 * Everything but quotes and paths must stand alone: bounded on both sides
 * by bytes that are not ASCII letters, digits, '_' or bytes >= 0x80, so
 * words that merely contain digits stay whole (AH01071, HY000, php8, x86_64,
 * 3rd, 5xx).  An error code is the most useful part of a template, so a
 * number joined to an upper-case word by '-', '[' or '.' is part of it
 * (ORA-12541, SQLSTATE[08006], CVE-2021-44228), and so are the '.' parts of
 * a version glued to a name (php8.2-fpm, python3.11).  After a word with a
 * lower-case letter the number is masked again (HikariPool-<N>,
 * nio-<N>-exec-<N>, systemd[<N>]).
 *
 * All other bytes — punctuation, control characters, NUL, bytes that are not
 * valid UTF-8 — are copied unchanged; the report escapes them.
 *
 *     char tpl[TEMPLATE_MAX];
 *     size_t n = template_mask(r->msg, r->msg_len, tpl, sizeof tpl);
 *     topk_add(tk, template_hash(tpl, n), tpl, n, r->msg, r->msg_len);
 */
#ifndef LOGCAUSE_TEMPLATE_H
#define LOGCAUSE_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

/* A size for callers' template buffers: past this many bytes a message
 * rarely adds anything that tells two causes apart. */
enum { TEMPLATE_MAX = 512 };

/* Writes into out (capacity cap) the template of msg[0..len) and returns its
 * length, the NUL not included.  When cap > 0 the output is always
 * NUL-terminated; when the template does not fit it is cut to at most cap - 1
 * bytes, between placeholders (never inside one) and not inside a UTF-8
 * sequence, and the cut template is a prefix of the whole one.  With
 * cap == 0, out may be NULL and 0 is returned.  msg may hold any bytes,
 * including NUL.  Never allocates; cannot fail. */
size_t template_mask(const char *msg, size_t len, char *out, size_t cap);

/* A 64-bit hash of tpl[0..len), for grouping templates: read eight bytes
 * at a time, so it costs a fraction of the masking.  Stable within a run and
 * across runs on one machine; never stored, so it may differ between byte
 * orders. */
uint64_t template_hash(const char *tpl, size_t len);

/*
 * A memo of recent templates.  Error logs repeat themselves: most records'
 * messages are one of a few hundred shapes (nginx's "client closed
 * connection while waiting for request", an incident's "Allowed memory size
 * of N bytes exhausted (tried to allocate N bytes) in FILE on line N"), and
 * building a key and looking it up costs a small part of masking.  The key
 * is the message with each number that stands alone (between blanks,
 * punctuation but '%', quotes or '/') cut to one digit, which masks to <N>
 * whatever its digits; other digits (a version, an address, an id) stay as
 * they are.  A hit returns the template and its hash as template_mask()
 * and template_hash() would; a miss masks and remembers.  Bounded
 * (TEMPLATE_MEMO_SETS x 2 entries of at most TEMPLATE_MEMO_BYTES),
 * allocated once, never changes a result.
 *
 *     struct template_memo *mm = template_memo_new(TEMPLATE_MAX);
 *     size_t n;
 *     uint64_t h;
 *     const char *tpl = template_memo_mask(mm, msg, len, buf, &n, &h);
 *     topk_add(tk, h, tpl, n, msg, len);
 *     template_memo_free(mm);
 */
enum { TEMPLATE_MEMO_SETS = 256, TEMPLATE_MEMO_BYTES = 1024 };

struct template_memo;

/* A memo for templates cut at cap bytes (as template_mask's cap).  NULL
 * when out of memory. */
struct template_memo *template_memo_new(size_t cap);

/* The template of msg[0..len) as template_mask(msg, len, out, cap) writes
 * it, with the memo's cap; its length in *tlen, its template_hash() in
 * *hash.  Returns a pointer into the memo (a hit; valid until the next call)
 * or out (a miss: masked there), which must hold cap bytes.  Only the
 * *tlen bytes count: a hit is not NUL-terminated.  Never allocates. */
const char *template_memo_mask(struct template_memo *mm, const char *msg, size_t len,
			       char *out, size_t *tlen, uint64_t *hash);

void template_memo_free(struct template_memo *mm);

#endif
