/*
 * client.c - the client table: cids and names.
 *
 * A cid is unique among the connections open at any moment; the smallest
 * free one is reused, so cids stay small and a table indexed by cid works.
 *
 * Lost is not freed: client_lose() only marks a client and puts it on the
 * lost list; the master gives its worker back, announces its leave and
 * frees it at the end of the loop turn, never in the middle of a broadcast.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "common.h"
#include "server.h"

void
clients_init(struct clients *t)
{
	memset(t, 0, sizeof *t);
	TAILQ_INIT(&t->lost);
}

void
clients_free(struct clients *t)
{
	free(t->slot);
	memset(t, 0, sizeof *t);
}

/* The smallest cid >= 1 not in use. */
int
clients_alloc_cid(const struct clients *t)
{
	size_t i;

	for (i = 1; i < t->cap; i++) {
		if (t->slot[i] == NULL)
			return (int)i;
	}
	return t->cap == 0 ? 1 : (int)t->cap;
}

/* 0, or -1 if the cid is taken or out of range. */
int
clients_add(struct clients *t, struct client *c)
{
	size_t want = (size_t)c->cid, cap = t->cap;
	struct client **slot;

	if (c->cid < 1)
		return -1;
	if (want >= t->cap) {
		/* Room up to cid; the new slots are empty. */
		slot = common_grow(t->slot, &cap, want + 1, sizeof *slot);
		if (slot == NULL)
			return -1;
		memset(slot + t->cap, 0, (cap - t->cap) * sizeof *slot);
		t->slot = slot;
		t->cap = cap;
	}
	if (t->slot[want] != NULL)
		return -1;
	t->slot[want] = c;
	t->count++;
	c->serial = ++t->serial;
	if (c->state == CLIENT_PENDING)
		t->npending[c->tcp != 0]++;
	return 0;
}

/* c said hello (or its first classic line): no longer pending. */
void
client_join(struct clients *t, struct client *c, enum client_state state)
{
	if (c->state == CLIENT_PENDING && !(c->flags & CLIENT_LOST))
		t->npending[c->tcp != 0]--;
	c->state = state;
}

void
clients_remove(struct clients *t, struct client *c)
{
	if (c->cid >= 1 && (size_t)c->cid < t->cap && t->slot[c->cid] == c) {
		t->slot[c->cid] = NULL;
		t->count--;
	}
}

struct client *
clients_get(const struct clients *t, int cid)
{
	if (cid < 1 || (size_t)cid >= t->cap)
		return NULL;
	return t->slot[cid];
}

/* Connections still served: lost ones only finish their output. */
size_t
clients_served(const struct clients *t)
{
	return t->count - t->nlost;
}

/*
 * Marks c lost: no more input, no more output appended.  With flush, what
 * is queued is still written (bounded); without, it is dropped unwritten.
 */
void
client_lose(struct clients *t, struct client *c, const char *reason, int flush)
{
	if (c->flags & CLIENT_LOST)
		return;
	c->flags |= CLIENT_LOST;
	c->reason = reason;
	c->lost_ms = common_now_ms();
	c->linger_ms = CLIENT_LINGER_MS;
	if (flush)
		c->flags |= CLIENT_FLUSH;
	if (c->state == CLIENT_PENDING)
		t->npending[c->tcp != 0]--;
	if (c->ev_ipc != NULL)
		event_del(c->ev_ipc);
	TAILQ_INSERT_TAIL(&t->lost, c, lost_entry);
	t->nlost++;
}

/* Does it show in who, the snapshot and the client count?  A watcher
 * never does: it only reads. */
int
client_visible(const struct client *c)
{
	return c->state != CLIENT_PENDING && !(c->flags & CLIENT_LEFT) &&
	       !c->watcher;
}

/*
 * Makes want unique: want itself if free, else want-2, want-3, ... with
 * want shortened so the result stays within PROTO_NAME_MAX.  0, or -1 if
 * no name fits (not with fewer than 10^30 clients).
 */
int
client_name_unique(char *out, size_t outlen, const char *want,
    int (*taken)(const char *, void *), void *arg)
{
	char suffix[16];
	size_t n, keep;
	unsigned long i;

	if (outlen < PROTO_NAME_MAX + 1)
		return -1;
	n = strnlen(want, PROTO_NAME_MAX);
	memcpy(out, want, n);
	out[n] = '\0';
	if (!taken(out, arg))
		return 0;
	for (i = 2; i < 100000000UL; i++) {
		snprintf(suffix, sizeof suffix, "-%lu", i);
		keep = PROTO_NAME_MAX - strlen(suffix);
		if (keep > n)
			keep = n;
		memcpy(out, want, keep);
		memcpy(out + keep, suffix, strlen(suffix) + 1);
		if (!taken(out, arg))
			return 0;
	}
	return -1;
}
