/* libFuzzer target: the JSON reader, on bytes that are not NUL-terminated.
 * A parsed tree is walked whole and its invariants checked (children
 * counted by n, strings and keys NUL-terminated at their length, keys on
 * exactly the members of objects, jv_get finding a member by its key); a
 * refused input must name an offset inside it and a message. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "jsonr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk(const struct jv *v, bool member, int depth)
{
	size_t sum = 0, count = 0;

	if (depth > JSONR_MAX_DEPTH || member != (v->key != NULL))
		abort();
	if (member) {
		if (v->key[v->keylen] != '\0')
			abort();
		sum += v->keylen;
	}
	sum += (size_t)jv_u64(v, 0) + (jv_num(v, 0) != 0) + jv_bool(v, false);
	if (jv_str(v)) {
		if (v->type != JV_STRING || v->str[v->len] != '\0')
			abort();
		sum += v->len;
	}
	if (v->type != JV_ARRAY && v->type != JV_OBJECT) {
		if (v->child || v->n)
			abort();
		return sum;
	}
	for (const struct jv *c = v->child; c; c = c->next) {
		count++;
		sum += walk(c, v->type == JV_OBJECT, depth + 1);
		/* The member jv_get finds has this key: this one or an earlier
		 * duplicate.  Keys holding NUL cannot be asked for by name; only
		 * the first members are looked up, as each lookup is a scan. */
		if (v->type == JV_OBJECT && count <= 16 && strlen(c->key) == c->keylen) {
			const struct jv *m = jv_get(v, c->key);

			if (!m || m->keylen != c->keylen || memcmp(m->key, c->key, c->keylen) != 0)
				abort();
		}
	}
	if (count != v->n)
		abort();
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	char err[128];
	size_t off;
	const struct jv *root;

	arena_init(&a);
	root = jsonr_parse(&a, (const char *)data, size, err, sizeof err, &off);
	if (root) {
		volatile size_t sum = walk(root, false, 1);

		(void)sum;
		if (jv_get(root, "schema") && root->type != JV_OBJECT)
			abort();
	} else if (off > size || err[0] == '\0') {
		abort();
	}
	arena_release(&a);
	return 0;
}
