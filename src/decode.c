#include "decode.h"

#include "profile.h"

#include <bzlib.h>
#include <errno.h>
#include <pthread.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
/* For zstd's buffer-less API (ZSTD_decompressContinue and friends), which
 * Debian's shared libzstd exports: it decodes straight into our ring. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>
#ifdef LOGCAUSE_ISAL
#include <isa-l/igzip_lib.h>
#endif

/* Compressed input is read in blocks of this size; 256 KiB keeps the read
 * syscalls rare without costing memory that a bounded-memory tool notices. */
enum { DECODE_IN_SIZE = 256 * 1024 };

/* xz may ask for its dictionary's worth of memory; xz -9 needs 65 MiB.  Past
 * this a file is refused rather than allowed to take the machine's memory. */
#define XZ_MEMLIMIT ((uint64_t)256 << 20)

/* decoder_lend() hands out at most this much at a time: a zstd block's
 * worth, so a lend never waits long on a pipe. */
enum { DECODE_LEND = 128 * 1024 };

/* zstd's own default bound on a frame's window (ZSTD_WINDOWLOG_LIMIT_DEFAULT):
 * past it the streaming decoder refuses a frame, and so do we. */
#define ZSTD_WINDOW_LIMIT ((unsigned long long)1 << 27)

/* A frame may need a larger ring than the frames before it.  The old one
 * cannot be freed while its last DECODE_KEEP bytes may still be lent, so it
 * is kept until the decoder closes; the ring at least doubles each time,
 * so from DECODE_KEEP to the window limit this bounds how many there are. */
enum { ZSTD_RINGS_RETIRED = 8 };

/*
 * Bytes decoded one after another at increasing addresses, starting again
 * at the front when the next write would not fit: what was written in the
 * last cap - (largest write) bytes stays where it is.  decoder_lend() lends
 * from one, and zstd decodes into one so that its window, the bytes a block
 * may copy from, is the ring itself rather than a buffer copied out of.
 */
struct ring {
	char *mem;
	size_t cap, pos;
};

/* A ring that bytes are written to at most `most` at a time keeps what
 * decode.h promises when it is this large: bytes written stay until the
 * writer comes round to them, past at most `most` unused at the end. */
#define RING_KEEPING(most) (DECODE_KEEP + 2 * (size_t)(most))

/* Where the next write of at most `most` bytes goes. */
static char *ring_place(struct ring *r, size_t most)
{
	if (r->cap - r->pos < most)
		r->pos = 0;
	return r->mem + r->pos;
}

struct decoder;

/*
 * Compressed input is decoded one step ahead, in a thread of its own, so
 * that decompression and the rest use both cores (unless the caller's own
 * threads already do: decoder_open_ahead): the reader thread fills
 * a few large slots in order, decoder_read() copies them out in the same
 * order, so the bytes, and so the report, are exactly those of a plain
 * sequential read.  Plain input needs no thread: read(2) is cheap (a
 * read-ahead thread was measured: its copy out of the slots costs what the
 * kernel's copy saves).
 */
enum { PREFETCH_SLOTS = 4, PREFETCH_SIZE = 1 << 20 };

struct prefetch {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t filled, emptied;
	char *buf[PREFETCH_SLOTS];
	ssize_t len[PREFETCH_SLOTS]; /* > 0 bytes; 0 end; -1 damage (reported) */
	size_t head, tail, count, pos;
	bool stop;                   /* the reader of the slots has gone */
	uint64_t bytes_in;           /* the decoder's, as of the last slot */
	uint64_t busy_ns;            /* decoding, for --stats; the thread's own */
};

/*
 * One table per codec.  To add a codec: a magic-number entry in sniff(), a
 * struct codec_ops with its three functions, and an enum codec value.
 *
 * decode() fills dst from d->in and returns bytes produced (>= 0), or -1
 * after reporting.  It sets d->member_open while a member or frame has begun
 * and not ended, which is how truncation is told from a clean end.
 */
struct codec_ops {
	const char *name;
	int (*init)(struct decoder *d);
	ssize_t (*decode)(struct decoder *d, char *dst, size_t cap);
	void (*end)(struct decoder *d);
	/* Optional: lends decoded bytes from the codec's own memory, as
	 * decoder_lend() does, when that saves a copy. */
	ssize_t (*lend)(struct decoder *d, const char **p);
};

struct decoder {
	int fd;
	const char *name;
	struct diag *dg;
	enum codec codec;
	const struct codec_ops *ops;
	bool eof;          /* the fd has returned 0 */
	bool failed;       /* an error was reported; reads now return 0 */
	bool member_open;  /* inside a gzip member / zstd frame / bz2 stream */
	bool finished;     /* xz: liblzma saw the end of the last stream */
	const char *deferred; /* damage found after bytes were produced */
	uint64_t deferred_at;
	struct prefetch *pf;  /* NULL: read in the caller's thread */
	uint64_t member_start; /* igzip: offset where the current member began */
	uint64_t member_out;   /* igzip: its bytes delivered by earlier calls */
	const char *replay;    /* igzip: damage found after earlier members' */
	uint64_t replay_at;    /* bytes were produced: what and where */
	uint64_t bytes_in; /* bytes read from the fd */
	unsigned char *in; /* compressed input block */
	size_t in_pos, in_len;
	struct ring lent;  /* decoder_lend(), unless the codec lends its own */
	union {
		z_stream z;
#ifdef LOGCAUSE_ISAL
		struct inflate_state *isal; /* ~100 KiB: on the heap */
#endif
		struct {
			ZSTD_DCtx *dc;
			struct ring ring;
			char *retired[ZSTD_RINGS_RETIRED];
			size_t n_retired;
			const char *left; /* decoded, not yet copied out by zstd_decode() */
			size_t left_len;
		} zstd;
		lzma_stream xz;
		bz_stream bz;
	} u;
};

static int fail(struct decoder *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void prefetch_start(struct decoder *d);

static int fail(struct decoder *d, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	d->failed = true;
	return diag_error(d->dg, d->name, "%s", msg);
}

/* The offset of the next unconsumed compressed byte: where damage is. */
static uint64_t offset(const struct decoder *d)
{
	return d->bytes_in - (d->in_len - d->in_pos);
}

static ssize_t read_fd(struct decoder *d, void *dst, size_t cap)
{
	ssize_t n;

	do
		n = read(d->fd, dst, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return fail(d, "read error at byte %llu: %s",
			    (unsigned long long)d->bytes_in, strerror(errno));
	if (n == 0)
		d->eof = true;
	d->bytes_in += (uint64_t)n;
	return n;
}

/* Makes compressed input available.  Returns bytes available (0 at end of
 * file) or -1 on a read error. */
static ssize_t refill(struct decoder *d)
{
	ssize_t n;

	if (d->in_pos < d->in_len)
		return (ssize_t)(d->in_len - d->in_pos);
	if (d->eof)
		return 0;
	n = read_fd(d, d->in, DECODE_IN_SIZE);
	if (n < 0)
		return -1;
	d->in_pos = 0;
	d->in_len = (size_t)n;
	return n;
}

static int truncated(struct decoder *d)
{
	return fail(d, "truncated %s stream at byte %llu", d->ops->name,
		    (unsigned long long)d->bytes_in);
}

static int corrupt_at(struct decoder *d, uint64_t at, const char *why)
{
	return fail(d, "corrupt %s stream at byte %llu: %s", d->ops->name,
		    (unsigned long long)at, why);
}

/* Reports damage, unless this call already produced bytes: those are
 * delivered first (nothing that could be decoded is lost), and the next
 * call reports.  Returns what the decode function should return. */
static ssize_t damaged(struct decoder *d, size_t produced, uint64_t at, const char *why)
{
	if (produced > 0) {
		d->deferred = why;
		d->deferred_at = at;
		return (ssize_t)produced;
	}
	return corrupt_at(d, at, why);
}

/* ---- plain ---- */

static int plain_init(struct decoder *d)
{
	(void)d;
	return 0;
}

static ssize_t plain_decode(struct decoder *d, char *dst, size_t cap)
{
	size_t have = d->in_len - d->in_pos;

	/* The sniffed bytes first, then straight from the fd into dst. */
	if (have > 0) {
		if (have > cap)
			have = cap;
		memcpy(dst, d->in + d->in_pos, have);
		d->in_pos += have;
		return (ssize_t)have;
	}
	if (d->eof)
		return 0;
	return read_fd(d, dst, cap);
}

static void plain_end(struct decoder *d)
{
	(void)d;
}

/* ---- gzip with zlib: the portable path ---- */

static int gzip_init(struct decoder *d)
{
	memset(&d->u.z, 0, sizeof d->u.z);
	/* 15 + 16: gzip wrapper only; a zlib or raw stream is not a .gz file. */
	if (inflateInit2(&d->u.z, 15 + 16) != Z_OK)
		return fail(d, "cannot start gzip decoder: out of memory");
	return 0;
}

static ssize_t gzip_decode(struct decoder *d, char *dst, size_t cap)
{
	z_stream *z = &d->u.z;

	if (cap > UINT32_MAX)
		cap = UINT32_MAX;
	z->next_out = (Bytef *)dst;
	z->avail_out = (uInt)cap;
	while (z->avail_out > 0) {
		ssize_t avail = refill(d);
		uInt out_before = z->avail_out;
		int rc;

		if (avail < 0)
			return -1;
		if (avail == 0 && !d->member_open)
			break;
		/* At end of file inflate still runs once with no input: it
		 * may hold decoded bytes that did not fit last time. */
		z->next_in = d->in + d->in_pos;
		z->avail_in = (uInt)avail;
		d->member_open = true;
		rc = inflate(z, Z_NO_FLUSH);
		d->in_pos = d->in_len - z->avail_in;
		if (rc == Z_STREAM_END) {
			/* Z_STREAM_END is the end of one member, not of the
			 * file: concatenated .gz files hold several, and every
			 * one is data. */
			d->member_open = false;
			inflateReset(z);
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			return damaged(d, cap - z->avail_out, offset(d),
				       z->msg ? z->msg : "inflate failed");
		} else if (avail == 0 && z->avail_out == out_before) {
			/* Deliver what came out first; the next call, with
			 * nothing produced, reports the truncation. */
			if (z->avail_out < cap)
				break;
			return truncated(d);
		}
		if (z->avail_out < cap && d->in_pos == d->in_len)
			break;
	}
	return (ssize_t)(cap - z->avail_out);
}

static void gzip_end(struct decoder *d)
{
	inflateEnd(&d->u.z);
}

#ifdef LOGCAUSE_ISAL
/* ---- gzip with ISA-L ----
 *
 * ISA-L's igzip inflates several times faster than zlib on x86-64 (it
 * decodes several Huffman symbols per table lookup, in assembly: 1 GiB of
 * gzip -6 log in 0.4 s against zlib's 3.1 s here) and has a streaming API,
 * so it replaces zlib for .gz when the build finds it (make ISAL=0 keeps
 * zlib only).  libdeflate would be as fast but only inflates whole buffers,
 * and a rotated log may be gigabytes; zlib-ng's gain over zlib is smaller.
 * The loop is the zlib path's: the same members, the same end-of-file and
 * truncation rules.
 *
 * Damage is where the two differ: igzip reads ahead in 64-bit words and
 * does not say exactly which byte was bad, nor why in zlib's words.  So on
 * damage in a file that can seek, the member is inflated again by zlib from
 * its start, the bytes already delivered are skipped, and zlib carries on:
 * what is delivered and reported is then exactly what the zlib build
 * delivers and reports.  A pipe cannot go back; there igzip's estimate of
 * the offset is reported.
 */

/* Where a damaged member goes (see above). */
static const struct codec_ops zlib_gzip = { "gzip", gzip_init, gzip_decode, gzip_end, NULL };

static int igzip_init(struct decoder *d)
{
	d->u.isal = malloc(sizeof *d->u.isal);
	if (!d->u.isal)
		return fail(d, "cannot start gzip decoder: out of memory");
	isal_inflate_init(d->u.isal);
	/* The gzip wrapper only, header, CRC-32 and length checked, as zlib's
	 * windowBits 15 + 16. */
	d->u.isal->crc_flag = ISAL_GZIP;
	d->member_start = offset(d);
	d->member_out = 0;
	return 0;
}

static void igzip_end(struct decoder *d)
{
	free(d->u.isal);
}

/* Hands the current member, from its start, to zlib (see above), and fills
 * dst with what zlib delivers after the member_out bytes already given.
 * Returns what a decode function returns, or -2 when the input cannot seek
 * back, with nothing changed. */
static ssize_t igzip_replay(struct decoder *d, char *dst, size_t cap)
{
	off_t here = lseek(d->fd, 0, SEEK_CUR);
	uint64_t back = d->bytes_in - d->member_start;
	uint64_t skip = d->member_out;

	if (here < 0 || (uint64_t)here < back || lseek(d->fd, here - (off_t)back, SEEK_SET) < 0)
		return -2;
	igzip_end(d);
	d->ops = &zlib_gzip;
	d->bytes_in = d->member_start;
	d->in_pos = d->in_len = 0;
	d->eof = false;
	d->member_open = false;
	if (gzip_init(d) < 0)
		return -1;
	while (skip > 0) {
		ssize_t n = gzip_decode(d, dst, skip < cap ? (size_t)skip : cap);

		if (n <= 0)
			return n;
		skip -= (uint64_t)n;
		if (d->deferred)
			return corrupt_at(d, d->deferred_at, d->deferred);
	}
	return gzip_decode(d, dst, cap);
}

/* zlib's words for the faults igzip names, for input that cannot replay. */
static const char *igzip_strerror(int rc)
{
	switch (rc) {
	case ISAL_INVALID_BLOCK: return "invalid block type";
	case ISAL_INVALID_SYMBOL: return "invalid literal/length code";
	case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
	case ISAL_INVALID_WRAPPER: return "incorrect header check";
	case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
	case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
	default: return "inflate failed";
	}
}

static ssize_t igzip_decode(struct decoder *d, char *dst, size_t cap)
{
	struct inflate_state *s = d->u.isal;
	size_t base = 0; /* where the current member's bytes start in dst */

	if (d->replay) {
		ssize_t n = igzip_replay(d, dst, cap);

		return n != -2 ? n : corrupt_at(d, d->replay_at, d->replay);
	}
	if (cap > UINT32_MAX)
		cap = UINT32_MAX;
	s->next_out = (uint8_t *)dst;
	s->avail_out = (uint32_t)cap;
	while (s->avail_out > 0) {
		ssize_t avail = refill(d);
		uint32_t out_before = s->avail_out;
		int rc;

		if (avail < 0)
			return -1;
		if (avail == 0 && !d->member_open)
			break;
		s->next_in = d->in + d->in_pos;
		s->avail_in = (uint32_t)avail;
		d->member_open = true;
		rc = isal_inflate(s);
		d->in_pos = d->in_len - s->avail_in;
		if (rc < 0) {
			ssize_t n;
			/* igzip's bit buffer holds bytes it has not used. */
			uint64_t held = (uint64_t)s->read_in_length / 8, at = offset(d);

			at = at > held ? at - held : 0;
			/* Earlier members' bytes go out first; the damaged
			 * member is left to zlib on the next call. */
			if (base > 0) {
				d->replay = igzip_strerror(rc);
				d->replay_at = at;
				return (ssize_t)base;
			}
			n = igzip_replay(d, dst, cap);
			if (n != -2)
				return n;
			return damaged(d, cap - s->avail_out, at, igzip_strerror(rc));
		}
		if (s->block_state == ISAL_BLOCK_FINISH) {
			/* The end of one member, not of the file (see the
			 * zlib path); igzip has handed back the bytes it read
			 * past the trailer. */
			d->member_open = false;
			isal_inflate_reset(s);
			s->crc_flag = ISAL_GZIP;
			d->member_start = offset(d);
			d->member_out = 0;
			base = cap - s->avail_out;
		} else if (avail == 0 && s->avail_out == out_before) {
			if (s->avail_out < cap)
				break;
			return truncated(d);
		}
		if (s->avail_out < cap && d->in_pos == d->in_len)
			break;
	}
	d->member_out += cap - s->avail_out - base;
	return (ssize_t)(cap - s->avail_out);
}

#endif

/* ---- zstd ----
 *
 * zstd's streaming decoder decodes each block into a window buffer of its
 * own and copies it out: a tenth of its time on log text.  Its buffer-less
 * API decodes a block in place, given the exact compressed bytes of each
 * step and a window that stays where it was written; a ring of at least
 * ZSTD_decodingBufferSize_min() bytes is such a window, and the bytes are
 * lent from it (decoder_lend) with no copy at all.  The loop follows the
 * streaming decoder's: every frame in turn, skippable frames skipped, the
 * same window limit, truncation told from a clean end between frames.
 */

static int zstd_init(struct decoder *d)
{
	d->u.zstd.dc = ZSTD_createDCtx();
	if (!d->u.zstd.dc)
		return fail(d, "cannot start zstd decoder: out of memory");
	ZSTD_decompressBegin(d->u.zstd.dc);
	return 0;
}

/* Makes need bytes of input (at most DECODE_IN_SIZE) lie together at
 * d->in + d->in_pos, as the buffer-less API takes them.  Returns the bytes
 * there, fewer than need only at the end of the file, or -1 on a read
 * error (reported). */
static ssize_t gather(struct decoder *d, size_t need)
{
	while (d->in_len - d->in_pos < need && !d->eof) {
		ssize_t n;

		if (d->in_pos > 0) {
			memmove(d->in, d->in + d->in_pos, d->in_len - d->in_pos);
			d->in_len -= d->in_pos;
			d->in_pos = 0;
		}
		n = read_fd(d, d->in + d->in_len, DECODE_IN_SIZE - d->in_len);
		if (n < 0)
			return -1;
		d->in_len += (size_t)n;
	}
	return (ssize_t)(d->in_len - d->in_pos);
}

/* Passes over n bytes of input (a skippable frame's content).  Returns
 * false at the end of the file or on a read error. */
static bool skip_input(struct decoder *d, uint64_t n)
{
	while (n > 0) {
		ssize_t avail = refill(d);
		size_t take;

		if (avail <= 0)
			return false;
		take = (uint64_t)avail < n ? (size_t)avail : (size_t)n;
		d->in_pos += take;
		n -= take;
	}
	return true;
}

/* Grows the ring to hold at least need bytes; the old one is retired, not
 * freed (see ZSTD_RINGS_RETIRED). */
static bool zstd_ring_fit(struct decoder *d, size_t need)
{
	struct ring *r = &d->u.zstd.ring;
	size_t cap = r->cap ? 2 * r->cap : RING_KEEPING(ZSTD_BLOCKSIZE_MAX);
	char *mem;

	if (r->cap >= need)
		return true;
	if (cap < need)
		cap = need;
	if (r->mem && d->u.zstd.n_retired == ZSTD_RINGS_RETIRED)
		return false;
	mem = malloc(cap);
	if (!mem)
		return false;
	if (r->mem)
		d->u.zstd.retired[d->u.zstd.n_retired++] = r->mem;
	r->mem = mem;
	r->cap = cap;
	r->pos = 0;
	return true;
}

/* What a step found wrong, not yet reported: NULL for a truncation. */
struct zstd_damage {
	const char *why;
};

/* At a frame's first bytes: a skippable frame is passed over; a frame's
 * window is checked and the ring made to fit it.  Returns 1 when the frame
 * is to be decoded, 0 when it was skipped, -1 after a read error, -2 with
 * *dmg set. */
static int zstd_frame_start(struct decoder *d, struct zstd_damage *dmg)
{
	ZSTD_frameHeader fh;
	size_t rc;
	ssize_t avail = gather(d, ZSTD_FRAMEHEADERSIZE_PREFIX(ZSTD_f_zstd1));

	for (;;) {
		if (avail < 0)
			return -1;
		rc = ZSTD_getFrameHeader(&fh, d->in + d->in_pos, (size_t)avail);
		if (ZSTD_isError(rc)) {
			dmg->why = ZSTD_getErrorName(rc);
			return -2;
		}
		if (rc == 0)
			break;
		if ((size_t)avail >= rc || d->eof) {
			dmg->why = NULL;
			return -2;
		}
		avail = gather(d, rc);
	}
	d->member_open = true;
	if (fh.frameType == ZSTD_skippableFrame) {
		/* zstd leaves headerSize unset for these. */
		if (!skip_input(d, ZSTD_SKIPPABLEHEADERSIZE + fh.frameContentSize)) {
			if (d->failed)
				return -1;
			dmg->why = NULL;
			return -2;
		}
		d->member_open = false;
		return 0;
	}
	if (fh.windowSize > ZSTD_WINDOW_LIMIT) {
		dmg->why = ZSTD_getErrorString(ZSTD_error_frameParameter_windowTooLarge);
		return -2;
	}
	if (!zstd_ring_fit(d, ZSTD_decodingBufferSize_min(fh.windowSize, ZSTD_CONTENTSIZE_UNKNOWN))) {
		dmg->why = ZSTD_getErrorString(ZSTD_error_memory_allocation);
		return -2;
	}
	return 1;
}

/* Decodes up to the next block that has bytes, into the ring.  Returns its
 * size (> 0) with *p at its bytes, 0 at a clean end of the input, -1 after
 * a read error (reported), or -2 with *dmg set (not reported). */
static ssize_t zstd_step(struct decoder *d, const char **p, struct zstd_damage *dmg)
{
	ZSTD_DCtx *dc = d->u.zstd.dc;

	for (;;) {
		size_t need = ZSTD_nextSrcSizeToDecompress(dc), got;
		ssize_t avail;
		char *dst;

		if (need == 0) {
			/* A frame ended (checksum checked); the next begins. */
			d->member_open = false;
			ZSTD_decompressBegin(dc);
			continue;
		}
		if (!d->member_open) {
			int rc;

			avail = refill(d);
			if (avail <= 0)
				return avail;
			rc = zstd_frame_start(d, dmg);
			if (rc <= 0) {
				if (rc == 0)
					continue;
				return rc;
			}
		}
		avail = gather(d, need);
		if (avail < 0)
			return -1;
		if ((size_t)avail < need) {
			dmg->why = NULL;
			return -2;
		}
		dst = ring_place(&d->u.zstd.ring, ZSTD_BLOCKSIZE_MAX);
		got = ZSTD_decompressContinue(dc, dst, ZSTD_BLOCKSIZE_MAX, d->in + d->in_pos, need);
		if (ZSTD_isError(got)) {
			dmg->why = ZSTD_getErrorName(got);
			return -2;
		}
		d->in_pos += need;
		if (got > 0) {
			d->u.zstd.ring.pos += got;
			*p = dst;
			return (ssize_t)got;
		}
	}
}

/* zstd does not say where in its input the damage was; what is known is
 * that it lies within the bytes read so far. */
static int zstd_report(struct decoder *d, const struct zstd_damage *dmg)
{
	return dmg->why ? corrupt_at(d, d->bytes_in, dmg->why) : truncated(d);
}

/* A lend is one block (at most ZSTD_BLOCKSIZE_MAX, DECODE_LEND): what
 * the ring keeps after it is then what decode.h promises. */
static ssize_t zstd_lend(struct decoder *d, const char **p)
{
	struct zstd_damage dmg;
	ssize_t n = zstd_step(d, p, &dmg);

	return n == -2 ? zstd_report(d, &dmg) : n;
}

/* Into the caller's buffer (the decoding thread's slots, decoder_read()):
 * the ring's blocks copied out. */
static ssize_t zstd_decode(struct decoder *d, char *dst, size_t cap)
{
	size_t produced = 0;

	while (produced < cap) {
		size_t take;

		if (d->u.zstd.left_len == 0) {
			struct zstd_damage dmg;
			ssize_t n;

			/* Deliver what is here rather than wait on a pipe. */
			if (produced > 0 && d->in_pos == d->in_len && !d->eof)
				break;
			n = zstd_step(d, &d->u.zstd.left, &dmg);
			if (n == -2 && produced > 0) {
				/* Bytes first; the next call reports. */
				if (dmg.why) {
					d->deferred = dmg.why;
					d->deferred_at = d->bytes_in;
				}
				break;
			}
			if (n == -2)
				return zstd_report(d, &dmg);
			if (n < 0)
				return -1;
			if (n == 0)
				break;
			d->u.zstd.left_len = (size_t)n;
		}
		take = d->u.zstd.left_len < cap - produced ? d->u.zstd.left_len : cap - produced;
		memcpy(dst + produced, d->u.zstd.left, take);
		d->u.zstd.left += take;
		d->u.zstd.left_len -= take;
		produced += take;
	}
	return (ssize_t)produced;
}

static void zstd_end(struct decoder *d)
{
	ZSTD_freeDCtx(d->u.zstd.dc);
	free(d->u.zstd.ring.mem);
	for (size_t i = 0; i < d->u.zstd.n_retired; i++)
		free(d->u.zstd.retired[i]);
}

/* ---- xz ---- */

static int xz_init(struct decoder *d)
{
	lzma_stream init = LZMA_STREAM_INIT;

	d->u.xz = init;
	/* LZMA_CONCATENATED: several .xz streams in one file, like gzip members. */
	if (lzma_stream_decoder(&d->u.xz, XZ_MEMLIMIT, LZMA_CONCATENATED) != LZMA_OK)
		return fail(d, "cannot start xz decoder: out of memory");
	return 0;
}

static const char *xz_strerror(lzma_ret rc)
{
	switch (rc) {
	case LZMA_MEM_ERROR: return "out of memory";
	case LZMA_MEMLIMIT_ERROR: return "needs more than 256 MiB of memory to decode";
	case LZMA_FORMAT_ERROR: return "not in xz format";
	case LZMA_OPTIONS_ERROR: return "unsupported options";
	case LZMA_DATA_ERROR: return "compressed data is corrupt";
	default: return "decoder error";
	}
}

static ssize_t xz_decode(struct decoder *d, char *dst, size_t cap)
{
	lzma_stream *s = &d->u.xz;

	if (d->finished)
		return 0;
	s->next_out = (uint8_t *)dst;
	s->avail_out = cap;
	while (s->avail_out > 0) {
		ssize_t avail = refill(d);
		lzma_ret rc;

		if (avail < 0)
			return -1;
		s->next_in = d->in + d->in_pos;
		s->avail_in = (size_t)avail;
		/* LZMA_FINISH at end of file is what lets liblzma tell a
		 * complete file from one cut short. */
		rc = lzma_code(s, avail == 0 ? LZMA_FINISH : LZMA_RUN);
		d->in_pos = d->in_len - s->avail_in;
		if (rc == LZMA_STREAM_END) {
			d->finished = true;
			break;
		}
		if (rc == LZMA_BUF_ERROR && avail == 0) {
			/* Deliver what came out first; the next call, with
			 * nothing produced, reports the truncation. */
			if (s->avail_out < cap)
				break;
			return truncated(d);
		}
		if (rc != LZMA_OK && rc != LZMA_BUF_ERROR)
			return damaged(d, cap - s->avail_out, offset(d), xz_strerror(rc));
		if (s->avail_out < cap && d->in_pos == d->in_len)
			break;
	}
	return (ssize_t)(cap - s->avail_out);
}

static void xz_end(struct decoder *d)
{
	lzma_end(&d->u.xz);
}

/* ---- bzip2 ---- */

static int bzip2_init(struct decoder *d)
{
	memset(&d->u.bz, 0, sizeof d->u.bz);
	if (BZ2_bzDecompressInit(&d->u.bz, 0, 0) != BZ_OK)
		return fail(d, "cannot start bzip2 decoder: out of memory");
	return 0;
}

static ssize_t bzip2_decode(struct decoder *d, char *dst, size_t cap)
{
	bz_stream *s = &d->u.bz;
	size_t produced = 0;

	if (cap > UINT32_MAX)
		cap = UINT32_MAX;
	while (produced < cap) {
		ssize_t avail = refill(d);
		size_t before = produced;
		int rc;

		if (avail < 0)
			return -1;
		if (avail == 0 && !d->member_open)
			break;
		s->next_in = (char *)d->in + d->in_pos;
		s->avail_in = (unsigned)avail;
		s->next_out = dst + produced;
		s->avail_out = (unsigned)(cap - produced);
		d->member_open = true;
		rc = BZ2_bzDecompress(s);
		d->in_pos = d->in_len - s->avail_in;
		produced = cap - s->avail_out;
		if (rc == BZ_STREAM_END) {
			/* pbzip2 and `cat a.bz2 b.bz2` write several streams;
			 * libbz2 has no reset, so end and start again. */
			d->member_open = false;
			BZ2_bzDecompressEnd(s);
			memset(s, 0, sizeof *s);
			if (BZ2_bzDecompressInit(s, 0, 0) != BZ_OK)
				return fail(d, "cannot restart bzip2 decoder: out of memory");
		} else if (rc != BZ_OK) {
			return damaged(d, produced, offset(d),
				       rc == BZ_MEM_ERROR ? "out of memory"
							  : "compressed data is corrupt");
		} else if (avail == 0 && produced == before) {
			if (produced > 0)
				break;
			return truncated(d);
		}
		if (produced > 0 && d->in_pos == d->in_len)
			break;
	}
	return (ssize_t)produced;
}

static void bzip2_end(struct decoder *d)
{
	BZ2_bzDecompressEnd(&d->u.bz);
}

static const struct codec_ops codecs[] = {
	[CODEC_PLAIN] = { "plain", plain_init, plain_decode, plain_end, NULL },
#ifdef LOGCAUSE_ISAL
	[CODEC_GZIP] = { "gzip", igzip_init, igzip_decode, igzip_end, NULL },
#else
	[CODEC_GZIP] = { "gzip", gzip_init, gzip_decode, gzip_end, NULL },
#endif
	[CODEC_ZSTD] = { "zstd", zstd_init, zstd_decode, zstd_end, zstd_lend },
	[CODEC_XZ] = { "xz", xz_init, xz_decode, xz_end, NULL },
	[CODEC_BZIP2] = { "bzip2", bzip2_init, bzip2_decode, bzip2_end, NULL },
};

static enum codec sniff(const unsigned char *p, size_t n)
{
	static const struct {
		enum codec codec;
		size_t len;
		const char *magic;
	} magics[] = {
		{ CODEC_GZIP, 2, "\x1f\x8b" },
		{ CODEC_ZSTD, 4, "\x28\xb5\x2f\xfd" },
		{ CODEC_XZ, 6, "\xfd\x37\x7a\x58\x5a\x00" },
		{ CODEC_BZIP2, 3, "BZh" },
	};

	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
		if (n >= magics[i].len && memcmp(p, magics[i].magic, magics[i].len) == 0)
			return magics[i].codec;
	/* A zstd file may begin with a skippable frame (magic 0x184D2A5?). */
	if (n >= 4 && (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18)
		return CODEC_ZSTD;
	return CODEC_PLAIN;
}

struct decoder *decoder_open(int fd, const char *name, struct diag *dg)
{
	return decoder_open_ahead(fd, name, dg, true);
}

struct decoder *decoder_open_ahead(int fd, const char *name, struct diag *dg, bool ahead)
{
	struct decoder *d = calloc(1, sizeof *d);

	if (!d) {
		diag_error(dg, name, "out of memory");
		return NULL;
	}
	d->fd = fd;
	d->name = name;
	d->dg = dg;
	/* calloc: its pages come zeroed from the kernel at no cost, and the
	 * compiler then sees sniff() read nothing unset (it cannot see that
	 * read(2) filled what it compares). */
	d->in = calloc(1, DECODE_IN_SIZE);
	if (!d->in) {
		diag_error(dg, name, "out of memory");
		free(d);
		return NULL;
	}
	/* Read until the longest magic number is in, or the input ends: a
	 * pipe may deliver the first bytes one at a time. */
	while (d->in_len < 6 && !d->eof) {
		ssize_t n;

		do
			n = read(fd, d->in + d->in_len, DECODE_IN_SIZE - d->in_len);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			diag_error(dg, name, "%s", strerror(errno));
			free(d->in);
			free(d);
			return NULL;
		}
		if (n == 0)
			d->eof = true;
		d->in_len += (size_t)n;
		d->bytes_in += (uint64_t)n;
	}
	d->codec = sniff(d->in, d->in_len);
	d->ops = &codecs[d->codec];
	if (d->ops->init(d) < 0) {
		free(d->in);
		free(d);
		return NULL;
	}
	if (d->codec != CODEC_PLAIN && ahead)
		prefetch_start(d);
	return d;
}

static ssize_t read_direct(struct decoder *d, char *dst, size_t cap)
{
	if (d->failed || cap == 0)
		return 0;
	if (d->deferred)
		return corrupt_at(d, d->deferred_at, d->deferred);
	return d->ops->decode(d, dst, cap);
}

static void *prefetch_main(void *arg)
{
	struct decoder *d = arg;
	struct prefetch *pf = d->pf;

	for (;;) {
		size_t slot;
		ssize_t n;
		uint64_t t0;

		pthread_mutex_lock(&pf->mu);
		while (pf->count == PREFETCH_SLOTS && !pf->stop)
			pthread_cond_wait(&pf->emptied, &pf->mu);
		if (pf->stop) {
			pthread_mutex_unlock(&pf->mu);
			return NULL;
		}
		slot = pf->tail;
		pthread_mutex_unlock(&pf->mu);
		/* The slot is this thread's until it is counted in. */
		t0 = profile_on ? profile_now_ns() : 0;
		n = read_direct(d, pf->buf[slot], PREFETCH_SIZE);
		if (profile_on)
			pf->busy_ns += profile_now_ns() - t0;
		pthread_mutex_lock(&pf->mu);
		pf->len[slot] = n;
		pf->bytes_in = d->bytes_in;
		pf->tail = (pf->tail + 1) % PREFETCH_SLOTS;
		pf->count++;
		pthread_cond_signal(&pf->filled);
		pthread_mutex_unlock(&pf->mu);
		if (n <= 0)
			return NULL;
	}
}

static void prefetch_start(struct decoder *d)
{
	struct prefetch *pf = calloc(1, sizeof *pf);

	if (!pf)
		return;
	for (size_t i = 0; i < PREFETCH_SLOTS; i++)
		if (!(pf->buf[i] = malloc(PREFETCH_SIZE)))
			goto fail;
	pthread_mutex_init(&pf->mu, NULL);
	pthread_cond_init(&pf->filled, NULL);
	pthread_cond_init(&pf->emptied, NULL);
	d->pf = pf;
	if (pthread_create(&pf->thread, NULL, prefetch_main, d) == 0)
		return;
	/* No thread: the caller's thread decodes, as it would anyway. */
	d->pf = NULL;
	pthread_mutex_destroy(&pf->mu);
	pthread_cond_destroy(&pf->filled);
	pthread_cond_destroy(&pf->emptied);
fail:
	for (size_t i = 0; i < PREFETCH_SLOTS; i++)
		free(pf->buf[i]);
	free(pf);
}

static ssize_t prefetch_read(struct prefetch *pf, char *dst, size_t cap)
{
	ssize_t n;

	pthread_mutex_lock(&pf->mu);
	while (pf->count == 0)
		pthread_cond_wait(&pf->filled, &pf->mu);
	n = pf->len[pf->head];
	if (n <= 0) {
		/* The end, or damage already reported: say it once, then
		 * report a clean end from here on, like read_direct(). */
		pf->len[pf->head] = 0;
	} else {
		size_t take = (size_t)n - pf->pos < cap ? (size_t)n - pf->pos : cap;

		memcpy(dst, pf->buf[pf->head] + pf->pos, take);
		pf->pos += take;
		if (pf->pos == (size_t)n) {
			pf->pos = 0;
			pf->head = (pf->head + 1) % PREFETCH_SLOTS;
			pf->count--;
			pthread_cond_signal(&pf->emptied);
		}
		n = (ssize_t)take;
	}
	pthread_mutex_unlock(&pf->mu);
	return n;
}

static void prefetch_stop(struct prefetch *pf)
{
	pthread_mutex_lock(&pf->mu);
	pf->stop = true;
	pthread_cond_signal(&pf->emptied);
	pthread_mutex_unlock(&pf->mu);
	pthread_join(pf->thread, NULL);
	profile_add_decoder(pf->busy_ns); /* joined: the count is final */
	pthread_mutex_destroy(&pf->mu);
	pthread_cond_destroy(&pf->filled);
	pthread_cond_destroy(&pf->emptied);
	for (size_t i = 0; i < PREFETCH_SLOTS; i++)
		free(pf->buf[i]);
	free(pf);
}

ssize_t decoder_read(struct decoder *d, char *dst, size_t cap)
{
	if (cap == 0)
		return 0;
	return d->pf ? prefetch_read(d->pf, dst, cap) : read_direct(d, dst, cap);
}

ssize_t decoder_lend(struct decoder *d, const char **p)
{
	struct ring *r = &d->lent;
	ssize_t n;

	if (!d->pf && d->ops->lend)
		return d->failed ? 0 : d->ops->lend(d, p);
	if (!r->mem) {
		r->mem = malloc(RING_KEEPING(DECODE_LEND));
		if (!r->mem)
			return fail(d, "out of memory");
		r->cap = RING_KEEPING(DECODE_LEND);
	}
	*p = ring_place(r, DECODE_LEND);
	n = decoder_read(d, r->mem + r->pos, DECODE_LEND);
	if (n > 0)
		r->pos += (size_t)n;
	return n;
}

enum codec decoder_codec(const struct decoder *d)
{
	return d->codec;
}

uint64_t decoder_bytes_in(const struct decoder *d)
{
	uint64_t n;

	if (!d->pf)
		return d->bytes_in;
	/* The reader thread owns bytes_in; its last published value. */
	pthread_mutex_lock(&d->pf->mu);
	n = d->pf->bytes_in;
	pthread_mutex_unlock(&d->pf->mu);
	return n;
}

const char *codec_name(enum codec c)
{
	return codecs[c].name;
}

enum codec codec_from_name(const char *name)
{
	for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++)
		if (strcmp(codecs[c].name, name) == 0)
			return (enum codec)c;
	return CODEC_PLAIN;
}

void decoder_close(struct decoder *d)
{
	if (!d)
		return;
	if (d->pf)
		prefetch_stop(d->pf);
	d->ops->end(d);
	free(d->lent.mem);
	free(d->in);
	free(d);
}
