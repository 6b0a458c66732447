/*
 * arena — bump allocation for what is loaded once and lives until exit:
 * rule text, cause names, file names.  One free releases it all, so the
 * loader needs no per-string ownership bookkeeping.
 */
#ifndef LOGCAUSE_ARENA_H
#define LOGCAUSE_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
};

void arena_init(struct arena *a);

/* Returns size bytes aligned for any type, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);

/* Copies n bytes of s and a terminating NUL; NULL when out of memory. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Frees every block; the arena is empty and usable again. */
void arena_release(struct arena *a);

#endif
