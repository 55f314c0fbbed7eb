/*
 * arena.c - bump memory in chunks, freed all at once.
 *
 * A line's values are never freed one by one: the line ends and its arena
 * goes.  A procedure or global of the workspace has an arena of its own,
 * so replacing one is one arena_free().  The limit counts every byte taken
 * from malloc, chunk headers included.
 */
#include <stdalign.h>
#include <stdlib.h>

#include "internal.h"

/* The first chunk; each next one doubles, up to ARENA_CHUNK_MAX. */
#define ARENA_CHUNK_MIN 256
#define ARENA_CHUNK_MAX (64u << 10)
#define ARENA_ALIGN     alignof(max_align_t)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

void
arena_init(struct arena *a, size_t limit)
{
	a->head = NULL;
	a->total = 0;
	a->limit = limit;
	a->failed = ARENA_OK;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->total = 0;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t size, need;
	void *p;

	if (n > SIZE_MAX / 2) {
		a->failed = ARENA_LIMIT;
		return NULL;
	}
	n = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	if (c == NULL || c->size - c->used < n) {
		size = c == NULL ? ARENA_CHUNK_MIN : c->size * 2;
		if (size > ARENA_CHUNK_MAX)
			size = ARENA_CHUNK_MAX;
		if (size < n)
			size = n;
		need = sizeof *c + size;
		if (a->limit != 0 && a->total + need > a->limit) {
			a->failed = ARENA_LIMIT;
			return NULL;
		}
		if ((c = malloc(need)) == NULL) {
			a->failed = ARENA_NOMEM;
			return NULL;
		}
		c->size = size;
		c->used = 0;
		/* A big one-off goes behind the current chunk, which keeps
		 * serving the small ones. */
		if (a->head != NULL && n == size &&
		    a->head->size - a->head->used >= ARENA_CHUNK_MIN) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
		a->total += need;
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}
