/*
 * turns.c - the queue of v1 clients waiting for the turtle in turns mode.
 *
 * The head holds the turtle; passing moves it to the back.  Join order is
 * kept, so everyone gets a turn in the order they came.
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "server.h"

void
turns_init(struct turns *t)
{
	memset(t, 0, sizeof *t);
}

void
turns_free(struct turns *t)
{
	free(t->q);
	memset(t, 0, sizeof *t);
}

/* Appends cid.  1 if it now holds the turn (the queue was empty), else 0. */
int
turns_join(struct turns *t, int cid)
{
	int *q;

	if ((q = common_grow(t->q, &t->cap, t->len + 1, sizeof *q)) == NULL)
		return -1;
	t->q = q;
	t->q[t->len++] = cid;
	return t->len == 1;
}

/* Removes cid.  1 if it held the turn (the holder changed), else 0. */
int
turns_leave(struct turns *t, int cid)
{
	size_t i;

	for (i = 0; i < t->len; i++) {
		if (t->q[i] == cid)
			break;
	}
	if (i == t->len)
		return 0;
	memmove(t->q + i, t->q + i + 1, (t->len - i - 1) * sizeof *t->q);
	t->len--;
	return i == 0;
}

/* The cid holding the turn, 0 when nobody waits. */
int
turns_holder(const struct turns *t)
{
	return t->len == 0 ? 0 : t->q[0];
}

/* The holder goes to the back; returns the new holder. */
int
turns_rotate(struct turns *t)
{
	int head;

	if (t->len > 1) {
		head = t->q[0];
		memmove(t->q, t->q + 1, (t->len - 1) * sizeof *t->q);
		t->q[t->len - 1] = head;
	}
	return turns_holder(t);
}
