/* rqueue: records cross from one thread to another in order, whole. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rqueue.h"
#include "testutil.h"

enum { N = 100000 };

struct feed {
	struct rqueue *q;
	char *big;        /* one record larger than a batch */
	size_t big_len;
};

/* Record i: its text says i; every 7th has its message elsewhere (as a
 * JSON line's decoded message is); record 5000 is the big one. */
static void *feed(void *arg)
{
	struct feed *f = arg;
	char text[64], outside[32];

	for (int i = 0; i < N; i++) {
		struct record r;
		struct rq_item *it;

		memset(&r, 0, sizeof r);
		if (i == 5000) {
			r.text = f->big;
			r.len = f->big_len;
		} else {
			r.len = (size_t)snprintf(text, sizeof text, "line %d of the feed", i);
			r.text = text;
		}
		r.line = (uint64_t)i;
		if (i % 7 == 0) {
			r.msg_len = (size_t)snprintf(outside, sizeof outside, "msg %d", i);
			r.msg = outside;
		} else {
			r.msg = r.text + 5;
			r.msg_len = r.len - 5;
		}
		it = rqueue_push(f->q, &r);
		ck_assert_ptr_nonnull(it);
		it->cause = i;
		it->input = (uint32_t)(i % 3);
	}
	rqueue_close(f->q);
	return NULL;
}

START_TEST(test_order_and_bytes)
{
	struct feed f = { rqueue_new(), malloc(5u << 20), 5u << 20 };
	const struct rq_item *it;
	pthread_t t;
	int i = 0;

	ck_assert_ptr_nonnull(f.q);
	memset(f.big, 'x', f.big_len);
	ck_assert_int_eq(pthread_create(&t, NULL, feed, &f), 0);
	while ((it = rqueue_pop(f.q)) != NULL) {
		char want[64];

		ck_assert_int_eq(it->cause, i);
		ck_assert_uint_eq(it->rec.line, (uint64_t)i);
		ck_assert_uint_eq(it->input, (uint32_t)(i % 3));
		if (i == 5000) {
			ck_assert_uint_eq(it->rec.len, f.big_len);
			ck_assert(it->rec.text[0] == 'x' && it->rec.text[f.big_len - 1] == 'x');
		} else {
			snprintf(want, sizeof want, "line %d of the feed", i);
			ck_assert_uint_eq(it->rec.len, strlen(want));
			ck_assert(memcmp(it->rec.text, want, it->rec.len) == 0);
		}
		if (i % 7 == 0) {
			snprintf(want, sizeof want, "msg %d", i);
			ck_assert_uint_eq(it->rec.msg_len, strlen(want));
			ck_assert(memcmp(it->rec.msg, want, it->rec.msg_len) == 0);
		} else {
			ck_assert_ptr_eq(it->rec.msg, it->rec.text + 5);
		}
		i++;
	}
	pthread_join(t, NULL);
	ck_assert_int_eq(i, N);
	ck_assert_uint_eq(rqueue_lost(f.q), 0);
	rqueue_free(f.q);
	free(f.big);
}
END_TEST

START_TEST(test_empty)
{
	struct rqueue *q = rqueue_new();

	ck_assert_ptr_nonnull(q);
	rqueue_close(q);
	ck_assert_ptr_null(rqueue_pop(q));
	rqueue_free(q);
}
END_TEST

Suite *rqueue_suite(void)
{
	Suite *s = suite_create("rqueue");
	TCase *tc = tcase_create("queue");

	tcase_add_test(tc, test_order_and_bytes);
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);
	return s;
}
