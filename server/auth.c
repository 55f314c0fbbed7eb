/*
 * auth.c - failed hellos per source: the penalty box.
 *
 * A wrong token costs the guesser nothing but a round trip, so without a
 * limit one process tries thousands a second.  Each source (the client's
 * IP address) may fail AUTH_FREE times; after that it is refused at
 * connect for AUTH_BLOCK_MS, a time that doubles with every failure after
 * the block (up to AUTH_BLOCK_MAX_MS), and a hello with the right token
 * clears it.  A refusal at connect takes no worker and no token check, so
 * a guesser gets a handful of tries a minute.  The box holds AUTH_MAX
 * sources; the one quiet longest makes room.
 *
 * Pure data: times come from the caller.  What happened since the last
 * report is handed to a callback once a second (one log line per source
 * per burst, not one per guess).
 */
#include <string.h>

#include "server.h"

static struct auth_entry *auth_find(struct auth_box *, const char *);
static struct auth_entry *auth_get(struct auth_box *, const char *, uint64_t);

void
auth_init(struct auth_box *b)
{
	memset(b, 0, sizeof *b);
}

static struct auth_entry *
auth_find(struct auth_box *b, const char *host)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (strcmp(b->e[i].host, host) == 0)
			return &b->e[i];
	}
	return NULL;
}

/* host's entry, made (over the quietest one when full) if it has none. */
static struct auth_entry *
auth_get(struct auth_box *b, const char *host, uint64_t now_ms)
{
	struct auth_entry *e;
	size_t i, old = 0;

	if ((e = auth_find(b, host)) != NULL)
		return e;
	if (b->n < AUTH_MAX)
		e = &b->e[b->n++];
	else {
		for (i = 1; i < b->n; i++) {
			if (b->e[i].last_ms < b->e[old].last_ms)
				old = i;
		}
		e = &b->e[old];
	}
	memset(e, 0, sizeof *e);
	util_strlcpy(e->host, host, sizeof e->host);
	e->last_ms = now_ms;
	return e;
}

/*
 * May host connect now?  0 if so; 1 if it is in the box, with how long
 * is left in *left_ms (the refusal is counted for the report).
 */
int
auth_blocked(
    struct auth_box *b, const char *host, uint64_t now_ms, uint64_t *left_ms)
{
	struct auth_entry *e = auth_find(b, host);

	if (e == NULL || now_ms >= e->until_ms)
		return 0;
	e->refused++;
	e->last_ms = now_ms;
	*left_ms = e->until_ms - now_ms;
	return 1;
}

/* A hello from host had no token or a wrong one. */
void
auth_failed(struct auth_box *b, const char *host, uint64_t now_ms)
{
	struct auth_entry *e = auth_get(b, host, now_ms);
	uint64_t block = AUTH_BLOCK_MS;
	unsigned over;

	/* Quiet for long enough: a fresh start. */
	if (e->fails != 0 && now_ms - e->last_ms >= AUTH_FORGET_MS)
		e->fails = 0;
	e->fails++;
	e->failed++;
	e->last_ms = now_ms;
	if (e->fails < AUTH_FREE)
		return;
	for (over = e->fails - AUTH_FREE; over > 0 && block < AUTH_BLOCK_MAX_MS;
	     over--)
		block *= 2;
	if (block > AUTH_BLOCK_MAX_MS)
		block = AUTH_BLOCK_MAX_MS;
	e->until_ms = now_ms + block;
}

/* host said hello with the right token: its slate is clean. */
void
auth_ok(struct auth_box *b, const char *host)
{
	struct auth_entry *e = auth_find(b, host);

	if (e != NULL) {
		e->fails = 0;
		e->until_ms = 0;
	}
}

/*
 * Hands each source that failed or was refused since the last report to
 * fn, then starts the counts afresh.  Returns how many were reported.
 */
size_t
auth_report(struct auth_box *b, uint64_t now_ms,
    void (*fn)(const struct auth_entry *, uint64_t, void *), void *arg)
{
	size_t i, n = 0;

	for (i = 0; i < b->n; i++) {
		if (b->e[i].failed == 0 && b->e[i].refused == 0)
			continue;
		fn(&b->e[i], now_ms, arg);
		b->e[i].failed = b->e[i].refused = 0;
		n++;
	}
	return n;
}
