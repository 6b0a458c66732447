/* rqueue: batches of lines cross from one thread to another in order,
 * whole, and a batch's records keep their bytes. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rqueue.h"
#include "testutil.h"

enum { N = 100000, BIG = 5000 };

struct feed {
	struct rqueue *q;
	char *big;        /* one line larger than a batch starts with */
	size_t big_len;
};

static size_t line_text(int i, char *buf, size_t cap)
{
	return (size_t)snprintf(buf, cap, "line %d of the feed", i);
}

/* Line i says i; line BIG is the big one.  Batches take 1 to 3000 lines,
 * and each says which lines it holds through its input. */
static void *feed(void *arg)
{
	struct feed *f = arg;
	struct rq_batch *b = rqueue_filling(f->q);
	char text[64];
	int in_batch = 0, want = 1;

	for (int i = 0; i < N; i++) {
		struct line ln = { text, 0, (uint64_t)i + 1, i % 11 == 0 };

		if (i == BIG) {
			ln.text = f->big;
			ln.len = f->big_len;
		} else {
			ln.len = line_text(i, text, sizeof text);
		}
		if (in_batch == want) {
			b = rqueue_hand_over(f->q);
			in_batch = 0;
			want = (want * 7 + 13) % 3000 + 1;
		}
		if (in_batch == 0)
			b->input = (uint32_t)i;
		ck_assert(rq_batch_add_line(b, &ln));
		in_batch++;
	}
	rqueue_close(f->q);
	return NULL;
}

START_TEST(test_order_and_bytes)
{
	struct feed f = { rqueue_new(4), malloc(5u << 20), 5u << 20 };
	struct rq_batch *b;
	pthread_t t;
	int i = 0;

	ck_assert_ptr_nonnull(f.q);
	memset(f.big, 'x', f.big_len);
	ck_assert_int_eq(pthread_create(&t, NULL, feed, &f), 0);
	while ((b = rqueue_take(f.q)) != NULL) {
		ck_assert_uint_eq(b->input, (uint32_t)i);
		ck_assert(!b->mapped);
		for (size_t k = 0; k < b->nlines; k++, i++) {
			struct line ln = rq_batch_line(b, k);
			char want[64];

			ck_assert_uint_eq(ln.number, (uint64_t)i + 1);
			ck_assert(ln.truncated == (i % 11 == 0));
			if (i == BIG) {
				ck_assert_uint_eq(ln.len, f.big_len);
				ck_assert(ln.text[0] == 'x' && ln.text[f.big_len - 1] == 'x');
			} else {
				ck_assert_uint_eq(ln.len, line_text(i, want, sizeof want));
				ck_assert(memcmp(ln.text, want, ln.len) == 0);
			}
		}
	}
	pthread_join(t, NULL);
	ck_assert_int_eq(i, N);
	rqueue_free(f.q);
	free(f.big);
}
END_TEST

/* Records of a batch: one inside its lines, one with its message decoded
 * elsewhere (a JSON line), one joined elsewhere from several lines.  Many
 * of the last two make the side store grow (and move) while items are
 * added: sealed, every record points at its own bytes. */
START_TEST(test_items_keep_their_bytes)
{
	struct rqueue *q = rqueue_new(1);
	struct rq_batch *b;
	char joined[600], decoded[40];
	enum { M = 3000 };

	ck_assert_ptr_nonnull(q);
	b = rqueue_filling(q);
	for (int round = 0; round < 2; round++) {
		rq_batch_clear_items(b);
		for (int i = 0; i < M; i++) {
			char text[64];
			struct line ln = { text, line_text(i, text, sizeof text), (uint64_t)i, false };
			struct record r;

			if (round == 0)
				ck_assert(rq_batch_add_line(b, &ln));
			ln = rq_batch_line(b, (size_t)i);
			memset(&r, 0, sizeof r);
			r.text = ln.text;
			r.len = ln.len;
			r.msg = ln.text + 5;
			r.msg_len = ln.len - 5;
			if (i % 3 == 1) {
				r.msg_len = (size_t)snprintf(decoded, sizeof decoded, "decoded %d", i);
				r.msg = decoded;
			} else if (i % 3 == 2) {
				memset(joined, 'a' + i % 26, sizeof joined);
				r.text = joined;
				r.len = sizeof joined;
				r.msg = joined + 100;
				r.msg_len = 50;
			}
			ck_assert_ptr_nonnull(rq_batch_add_item(b, &r));
		}
		rq_batch_seal(b);
		ck_assert(b->mapped);
		ck_assert_uint_eq(b->nitems, M);
		for (int i = 0; i < M; i++) {
			const struct record *r = &b->items[i].rec;
			char want[64];

			if (i % 3 == 2) {
				ck_assert_uint_eq(r->len, sizeof joined);
				ck_assert(r->text[0] == 'a' + i % 26 && r->text[599] == 'a' + i % 26);
				ck_assert_ptr_eq(r->msg, r->text + 100);
				continue;
			}
			ck_assert_uint_eq(r->len, line_text(i, want, sizeof want));
			ck_assert(memcmp(r->text, want, r->len) == 0);
			ck_assert_ptr_eq(r->text, rq_batch_line(b, (size_t)i).text);
			if (i % 3 == 1) {
				snprintf(want, sizeof want, "decoded %d", i);
				ck_assert_uint_eq(r->msg_len, strlen(want));
				ck_assert(memcmp(r->msg, want, r->msg_len) == 0);
			} else {
				ck_assert_ptr_eq(r->msg, r->text + 5);
			}
		}
	}
	rqueue_free(q);
}
END_TEST

/* Half the batches waiting: the consumer is behind. */
START_TEST(test_behind)
{
	struct rqueue *q = rqueue_new(1);
	struct rq_batch *b;
	struct line ln = { "x", 1, 1, false };

	ck_assert_ptr_nonnull(q);
	for (int i = 1; i <= 8; i++) {
		b = rqueue_filling(q);
		ck_assert(rq_batch_add_line(b, &ln));
		b = rqueue_hand_over(q);
		ck_assert_uint_eq(b->nlines, 0);
		ck_assert(rqueue_consumer_behind(q) == (i >= 8));
	}
	for (int i = 0; i < 8; i++)
		ck_assert_ptr_nonnull(rqueue_take(q));
	b = rqueue_filling(q);
	ck_assert(rq_batch_add_line(b, &ln));
	rqueue_hand_over(q);
	ck_assert(!rqueue_consumer_behind(q));
	rqueue_close(q);
	ck_assert_ptr_nonnull(rqueue_take(q));
	ck_assert_ptr_null(rqueue_take(q));
	rqueue_free(q);
}
END_TEST

START_TEST(test_empty)
{
	struct rqueue *q = rqueue_new(1);

	ck_assert_ptr_nonnull(q);
	rqueue_close(q);
	ck_assert_ptr_null(rqueue_take(q));
	rqueue_free(q);
}
END_TEST

Suite *rqueue_suite(void)
{
	Suite *s = suite_create("rqueue");
	TCase *tc = tcase_create("queue");

	tcase_add_test(tc, test_order_and_bytes);
	tcase_add_test(tc, test_items_keep_their_bytes);
	tcase_add_test(tc, test_behind);
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);
	return s;
}
