/* decode: every codec round-trips, every member/frame is read, damage is
 * reported with its offset after every byte before it was delivered. */
#include <bzlib.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "decode.h"
#include "testutil.h"

/* A few hundred KiB of varied log text, so codecs emit several blocks. */
static char *sample_text(size_t *n)
{
	size_t cap = 600 * 1024, len = 0;
	char *s = malloc(cap);
	unsigned x = 12345;

	ck_assert_ptr_nonnull(s);
	while (len + 200 < cap) {
		x = x * 1103515245 + 12345;
		len += (size_t)snprintf(s + len, cap - len,
					"2026/11/27 10:%02u:%02u [error] %u#%u: *%u upstream timed "
					"out (110: Connection timed out) id=%08x\n",
					(x >> 8) % 60, (x >> 16) % 60, x % 9000, x % 9000, x, x);
	}
	*n = len;
	return s;
}

static unsigned char *gzip_of(const char *s, size_t n, size_t *out_n)
{
	z_stream z;
	size_t cap = deflateBound(NULL, n) + 64;
	unsigned char *out = malloc(cap);

	memset(&z, 0, sizeof z);
	ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)s;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_n = z.total_out;
	deflateEnd(&z);
	return out;
}

static unsigned char *zstd_of(const char *s, size_t n, size_t *out_n)
{
	size_t cap = ZSTD_compressBound(n);
	unsigned char *out = malloc(cap);

	*out_n = ZSTD_compress(out, cap, s, n, 3);
	ck_assert(!ZSTD_isError(*out_n));
	return out;
}

static unsigned char *xz_of(const char *s, size_t n, size_t *out_n)
{
	size_t cap = n + 4096;
	unsigned char *out = malloc(cap);

	*out_n = 0;
	ck_assert_int_eq(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, NULL, (const uint8_t *)s,
						 n, out, out_n, cap),
			 LZMA_OK);
	return out;
}

static unsigned char *bzip2_of(const char *s, size_t n, size_t *out_n)
{
	unsigned cap = (unsigned)(n + n / 100 + 600);
	unsigned char *out = malloc(cap);

	ck_assert_int_eq(BZ2_bzBuffToBuffCompress((char *)out, &cap, (char *)s, (unsigned)n, 1, 0, 0),
			 BZ_OK);
	*out_n = cap;
	return out;
}

static const struct codec_case {
	const char *name;
	enum codec codec;
	unsigned char *(*compress)(const char *, size_t, size_t *);
} codecs[] = {
	{ "gzip", CODEC_GZIP, gzip_of },
	{ "zstd", CODEC_ZSTD, zstd_of },
	{ "xz", CODEC_XZ, xz_of },
	{ "bzip2", CODEC_BZIP2, bzip2_of },
};

/* Decodes fd with reads of `chunk` bytes; returns the bytes and the last
 * decoder_read() result. */
static char *decode_all(int fd, size_t chunk, size_t *n, ssize_t *last, struct capture *cap,
			enum codec *codec)
{
	struct decoder *d = decoder_open(fd, "t.log", &cap->dg);
	size_t len = 0, size = 1 << 20;
	char *buf = malloc(size);
	ssize_t r;

	ck_assert_ptr_nonnull(d);
	*codec = decoder_codec(d);
	for (;;) {
		if (len + chunk > size) {
			size *= 2;
			buf = realloc(buf, size);
		}
		r = decoder_read(d, buf + len, chunk);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	/* After the end or an error, reads stay at 0. */
	ck_assert_int_eq(decoder_read(d, buf, chunk), 0);
	decoder_close(d);
	*n = len;
	*last = r;
	return buf;
}

START_TEST(test_round_trip)
{
	const struct codec_case *cc = &codecs[_i / 2];
	size_t chunk = _i % 2 ? 1 << 20 : 7; /* tiny reads cross every boundary */
	size_t n, zn, got;
	ssize_t last;
	char *text = sample_text(&n);
	unsigned char *z = cc->compress(text, n, &zn);
	int fd = tmpfd_with(z, zn);
	struct capture cap;
	enum codec codec;
	char *out;

	capture_open(&cap);
	out = decode_all(fd, chunk, &got, &last, &cap, &codec);
	ck_assert_int_eq(codec, cc->codec);
	ck_assert_int_eq(last, 0);
	ck_assert_uint_eq(got, n);
	ck_assert(memcmp(out, text, n) == 0);
	ck_assert_str_eq(capture_text(&cap), "");
	capture_close(&cap);
	close(fd);
	free(out);
	free(z);
	free(text);
}
END_TEST

/* Two compressed pieces back to back must decode to both pieces. */
START_TEST(test_concatenated)
{
	const struct codec_case *cc = &codecs[_i];
	size_t n, an, bn, got;
	ssize_t last;
	char *text = sample_text(&n);
	size_t half = n / 3;
	unsigned char *a = cc->compress(text, half, &an);
	unsigned char *b = cc->compress(text + half, n - half, &bn);
	unsigned char *both = malloc(an + bn);
	struct capture cap;
	enum codec codec;
	char *out;
	int fd;

	memcpy(both, a, an);
	memcpy(both + an, b, bn);
	fd = tmpfd_with(both, an + bn);
	capture_open(&cap);
	out = decode_all(fd, 65536, &got, &last, &cap, &codec);
	ck_assert_int_eq(last, 0);
	ck_assert_uint_eq(got, n);
	ck_assert(memcmp(out, text, n) == 0);
	capture_close(&cap);
	close(fd);
	free(out);
	free(a);
	free(b);
	free(both);
	free(text);
}
END_TEST

/* Cut in the middle: an error naming the offset, and what was delivered is
 * a prefix of the original. */
START_TEST(test_truncated)
{
	const struct codec_case *cc = &codecs[_i];
	size_t n, zn, got, cut;
	ssize_t last;
	char *text = sample_text(&n);
	unsigned char *z = cc->compress(text, n, &zn);
	struct capture cap;
	enum codec codec;
	char expect[128], *out;
	int fd;

	cut = zn * 2 / 3;
	fd = tmpfd_with(z, cut);
	capture_open(&cap);
	out = decode_all(fd, 4096, &got, &last, &cap, &codec);
	ck_assert_int_eq(last, -1);
	ck_assert_uint_lt(got, n);
	ck_assert(memcmp(out, text, got) == 0);
	snprintf(expect, sizeof expect, "logcause: t.log: truncated %s stream at byte %zu\n",
		 cc->name, cut);
	ck_assert_str_eq(capture_text(&cap), expect);
	ck_assert_uint_eq(cap.dg.errors, 1);
	capture_close(&cap);
	close(fd);
	free(out);
	free(z);
	free(text);
}
END_TEST

/* gzip and xz flush as they go: most of a file cut at 2/3 is recovered. */
START_TEST(test_truncated_recovers_most)
{
	const struct codec_case *cc = &codecs[_i == 0 ? 0 : 2];
	size_t n, zn, got;
	ssize_t last;
	char *text = sample_text(&n);
	unsigned char *z = cc->compress(text, n, &zn);
	struct capture cap;
	enum codec codec;
	char *out;
	int fd = tmpfd_with(z, zn * 2 / 3);

	capture_open(&cap);
	out = decode_all(fd, 4096, &got, &last, &cap, &codec);
	ck_assert_uint_gt(got, n / 2);
	capture_close(&cap);
	close(fd);
	free(out);
	free(z);
	free(text);
}
END_TEST

START_TEST(test_corrupt_gzip)
{
	size_t n, zn, got;
	ssize_t last;
	char *text = sample_text(&n);
	unsigned char *z = gzip_of(text, n, &zn);
	struct capture cap;
	enum codec codec;
	char *out;
	int fd;

	for (size_t i = zn / 2; i < zn / 2 + 64; i++)
		z[i] ^= 0xa5;
	fd = tmpfd_with(z, zn);
	capture_open(&cap);
	out = decode_all(fd, 4096, &got, &last, &cap, &codec);
	ck_assert_int_eq(last, -1);
	/* Output before the damaged half is right; inflate may emit some
	 * garbage before it notices, as any gzip reader would. */
	ck_assert_uint_gt(got, n / 4);
	ck_assert(memcmp(out, text, n / 4) == 0);
	ck_assert_ptr_nonnull(strstr(capture_text(&cap), "logcause: t.log: corrupt gzip stream at byte "));
	capture_close(&cap);
	close(fd);
	free(out);
	free(z);
	free(text);
}
END_TEST

/* What zlib alone makes of a gzip file: the bytes it delivers and, when it
 * stops at damage, where (bytes consumed) and why. */
static char *zlib_reference(const unsigned char *z, size_t zn, size_t *out_n, size_t *at,
			    const char **why)
{
	size_t cap = 4 << 20;
	char *out = malloc(cap);
	z_stream st;

	memset(&st, 0, sizeof st);
	ck_assert_int_eq(inflateInit2(&st, 15 + 16), Z_OK);
	st.next_in = (Bytef *)z;
	st.avail_in = (uInt)zn;
	st.next_out = (Bytef *)out;
	st.avail_out = (uInt)cap;
	*why = NULL;
	for (;;) {
		int rc = inflate(&st, Z_NO_FLUSH);

		if (rc == Z_STREAM_END && st.avail_in > 0) {
			inflateReset(&st);
			continue;
		}
		if (rc != Z_STREAM_END && rc != Z_OK) {
			*why = st.msg;
			break;
		}
		if (rc == Z_STREAM_END)
			break;
	}
	*at = (size_t)(st.next_in - z);
	*out_n = cap - st.avail_out;
	inflateEnd(&st);
	return out;
}

/* A good member, then a damaged one: whichever inflater the build uses,
 * the bytes delivered and the message are zlib's, with reads of any size
 * (ISA-L builds hand a damaged member back to zlib to get them). */
START_TEST(test_corrupt_second_member)
{
	size_t n, z1n, z2n, ref_n, ref_at, got;
	const char *why;
	ssize_t last;
	char *text = sample_text(&n);
	unsigned char *z1 = gzip_of(text, n / 3, &z1n);
	unsigned char *z2 = gzip_of(text, n, &z2n);
	unsigned char *both = malloc(z1n + z2n);
	char *ref, *out, expect[200];
	struct capture cap;
	enum codec codec;
	int fd;

	for (size_t i = z2n / 2; i < z2n / 2 + 64; i++)
		z2[i] ^= 0x5a;
	memcpy(both, z1, z1n);
	memcpy(both + z1n, z2, z2n);
	ref = zlib_reference(both, z1n + z2n, &ref_n, &ref_at, &why);
	ck_assert_ptr_nonnull(why);
	ck_assert_uint_gt(ref_n, n / 3);
	fd = tmpfd_with(both, z1n + z2n);
	capture_open(&cap);
	out = decode_all(fd, _i ? 1 << 20 : 4099, &got, &last, &cap, &codec);
	ck_assert_int_eq(last, -1);
	ck_assert_uint_eq(got, ref_n);
	ck_assert(memcmp(out, ref, got) == 0);
	snprintf(expect, sizeof expect, "logcause: t.log: corrupt gzip stream at byte %zu: %s\n",
		 ref_at, why);
	ck_assert_str_eq(capture_text(&cap), expect);
	capture_close(&cap);
	close(fd);
	free(out);
	free(ref);
	free(both);
	free(z1);
	free(z2);
	free(text);
}
END_TEST

/* Plain input shorter than any magic number, empty input, and text that
 * starts like nothing compressed. */
START_TEST(test_plain_short)
{
	static const char *const inputs[] = { "", "x", "\x1f", "BZ", "plain text\n" };
	const char *in = inputs[_i];
	size_t got;
	ssize_t last;
	struct capture cap;
	enum codec codec;
	char *out;
	int fd = tmpfd_with(in, strlen(in));

	capture_open(&cap);
	out = decode_all(fd, 3, &got, &last, &cap, &codec);
	ck_assert_int_eq(codec, CODEC_PLAIN);
	ck_assert_int_eq(last, 0);
	ck_assert_uint_eq(got, strlen(in));
	ck_assert(memcmp(out, in, got) == 0);
	capture_close(&cap);
	close(fd);
	free(out);
}
END_TEST

/* A pipe delivers the magic bytes and the rest in separate writes. */
START_TEST(test_pipe)
{
	size_t n, zn, got;
	ssize_t last;
	char *text = sample_text(&n);
	unsigned char *z = zstd_of(text, 2000, &zn);
	struct capture cap;
	enum codec codec;
	char *out;
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], z, 1), 1);
	ck_assert_int_eq(write(p[1], z + 1, zn - 1), (ssize_t)(zn - 1));
	close(p[1]);
	capture_open(&cap);
	out = decode_all(p[0], 512, &got, &last, &cap, &codec);
	ck_assert_int_eq(codec, CODEC_ZSTD);
	ck_assert_uint_eq(got, 2000);
	ck_assert(memcmp(out, text, got) == 0);
	capture_close(&cap);
	close(p[0]);
	free(out);
	free(z);
	free(text);
}
END_TEST

START_TEST(test_codec_names)
{
	ck_assert_str_eq(codec_name(CODEC_PLAIN), "plain");
	ck_assert_str_eq(codec_name(CODEC_GZIP), "gzip");
	ck_assert_str_eq(codec_name(CODEC_ZSTD), "zstd");
	ck_assert_str_eq(codec_name(CODEC_XZ), "xz");
	ck_assert_str_eq(codec_name(CODEC_BZIP2), "bzip2");
}
END_TEST

Suite *decode_suite(void)
{
	Suite *s = suite_create("decode");
	TCase *tc = tcase_create("codecs");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_round_trip, 0, 8);
	tcase_add_loop_test(tc, test_concatenated, 0, 4);
	tcase_add_loop_test(tc, test_truncated, 0, 4);
	tcase_add_loop_test(tc, test_truncated_recovers_most, 0, 2);
	tcase_add_test(tc, test_corrupt_gzip);
	tcase_add_loop_test(tc, test_corrupt_second_member, 0, 2);
	tcase_add_loop_test(tc, test_plain_short, 0, 5);
	tcase_add_test(tc, test_pipe);
	tcase_add_test(tc, test_codec_names);
	suite_add_tcase(s, tc);
	return s;
}
