/*
 * decode — streaming decompression behind one read interface.
 *
 * Data flow: source (an open fd) -> decode -> lines.  The codec is sniffed
 * from the first bytes of the stream, never from the file name, and those
 * bytes are kept for the codec because stdin and pipes cannot seek back.
 * Nothing downstream learns which codec produced the bytes.
 *
 *     struct decoder *d = decoder_open(fd, "error.log.2.gz", &dg);
 *     ssize_t n;
 *     while ((n = decoder_read(d, buf, sizeof buf)) > 0)
 *             consume(buf, n);
 *     // n == 0: clean end of every member/frame; n < 0: damaged, reported
 *     decoder_close(d);
 *
 * Every gzip member, zstd frame, xz stream and bzip2 stream of a file is
 * decoded in turn, as the reference tools do.  A stream that stops inside a
 * member is reported as truncated at the byte offset where it stopped, after
 * every byte before the damage was returned.
 */
#ifndef LOGCAUSE_DECODE_H
#define LOGCAUSE_DECODE_H

#include <stdint.h>
#include <sys/types.h>

#include "diag.h"

enum codec {
	CODEC_PLAIN,
	CODEC_GZIP,
	CODEC_ZSTD,
	CODEC_XZ,
	CODEC_BZIP2,
};

struct decoder;

/* Sniffs the codec from the first bytes of fd and readies a decoder.  The
 * decoder borrows fd (the caller closes it) and name, which is used in
 * messages.  Returns NULL after reporting through dg when the first read
 * fails or memory runs out. */
struct decoder *decoder_open(int fd, const char *name, struct diag *dg);

/* decoder_open(), deciding whether compressed input is decoded ahead in a
 * thread of its own (ahead) or in the caller's thread as it reads: when
 * the caller's threads already keep every core busy, a third only takes
 * turns with them. */
struct decoder *decoder_open_ahead(int fd, const char *name, struct diag *dg, bool ahead);

/* Fills dst with up to cap decoded bytes.  Returns the number of bytes (> 0),
 * 0 at the clean end of the input, or -1 when the input is damaged or cannot
 * be read; the error has then been reported as "NAME: what (at byte N)" and
 * later calls return 0. */
ssize_t decoder_read(struct decoder *d, char *dst, size_t cap);

/* Bytes lent by decoder_lend() stay where they are, unchanged, until this
 * many more have been lent after them (or the decoder closes). */
#define DECODE_KEEP ((size_t)2 << 20)

/* As decoder_read(), but without a copy where the codec allows (zstd
 * decodes in place): sets *p to the next bytes in the decoder's own memory
 * and returns how many there are (at most 128 KiB).  They stay valid as
 * DECODE_KEEP says; bytes lent one after another are not always adjacent. */
ssize_t decoder_lend(struct decoder *d, const char **p);

enum codec decoder_codec(const struct decoder *d);

/* Bytes taken from the fd so far (compressed size for compressed input). */
uint64_t decoder_bytes_in(const struct decoder *d);

/* Returns "plain", "gzip", "zstd", "xz" or "bzip2". */
const char *codec_name(enum codec c);

/* The codec of a name codec_name() returns, or CODEC_PLAIN when unknown. */
enum codec codec_from_name(const char *name);

/* Frees the decoder and its codec state; NULL is fine.  Does not close fd. */
void decoder_close(struct decoder *d);

#endif
