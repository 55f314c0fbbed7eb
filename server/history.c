/*
 * history.c - the last log-worthy events, kept for late joiners.
 *
 * Each is stored already formatted as its "snap log" line, so a snapshot
 * costs a copy per line and no formatting.
 */
#include <stdlib.h>
#include <string.h>

#include "server.h"

void
history_init(struct history *h)
{
	memset(h, 0, sizeof *h);
}

void
history_free(struct history *h)
{
	size_t i;

	for (i = 0; i < HISTORY_MAX; i++)
		free(h->line[i]);
	memset(h, 0, sizeof *h);
}

/* Keeps a copy of line, dropping the oldest past HISTORY_MAX. */
void
history_add(struct history *h, const char *line, size_t len)
{
	size_t at;
	char *copy;

	copy = util_calloc(1, len + 1);
	memcpy(copy, line, len);
	if (h->count < HISTORY_MAX)
		at = (h->start + h->count++) % HISTORY_MAX;
	else {
		at = h->start;
		h->start = (h->start + 1) % HISTORY_MAX;
	}
	free(h->line[at]);
	h->line[at] = copy;
	h->len[at] = len;
}

/* The i-th kept line, oldest first; NULL past the end. */
const char *
history_get(const struct history *h, size_t i, size_t *len)
{
	size_t at;

	if (i >= h->count)
		return NULL;
	at = (h->start + i) % HISTORY_MAX;
	*len = h->len[at];
	return h->line[at];
}
