/*
 * snapshot.c - what a late joiner (or a resynced client) needs to be
 * current: the world, who is here, the recent log, and the SEQ it covers.
 *
 *	snap world ...
 *	snap seg ...          (oldest first)
 *	snap client ...       (one per connected client)
 *	snap log ...          (the last log-worthy events, oldest first)
 *	snap end seq=S mode=M turn=CID clients=N
 *
 * The lines go to the caller's emit function, so this file knows nothing of
 * output buffers.  The world part, the largest, is formatted once and kept
 * until the world changes, so a crowd joining at once costs copies, not
 * formatting.
 */
#include <stdlib.h>
#include <string.h>

#include "server.h"

static int snapshot_cache_add(const char *, size_t, void *);
static int snapshot_world(struct snapshot *);

void
snapshot_init(
    struct snapshot *s, const struct snapshot_source *src, struct logger *log)
{
	memset(s, 0, sizeof *s);
	s->src = *src;
	s->log = log;
}

void
snapshot_free(struct snapshot *s)
{
	free(s->cache);
	s->cache = NULL;
	s->len = s->cap = 0;
	s->valid = 0;
}

static int
snapshot_cache_add(const char *line, size_t len, void *arg)
{
	struct snapshot *s = arg;
	size_t cap;
	char *p;

	if (len > s->cap - s->len) {
		cap = s->cap == 0 ? 4096 : s->cap;
		while (len > cap - s->len)
			cap *= 2;
		p = realloc(s->cache, cap);
		if (p == NULL)
			return -1;
		s->cache = p;
		s->cap = cap;
	}
	memcpy(s->cache + s->len, line, len);
	s->len += len;
	return 0;
}

/* 0 with the world's lines cached, -1 out of memory (logged). */
static int
snapshot_world(struct snapshot *s)
{
	if (s->valid)
		return 0;
	s->len = 0;
	if (world_snapshot(s->src.world, snapshot_cache_add, s) != 0) {
		log_error(s->log, "out of memory for the snapshot");
		s->len = 0;
		return -1;
	}
	s->valid = 1;
	return 0;
}

/* The world changed: its lines are formatted again when next needed. */
void
snapshot_invalidate(struct snapshot *s)
{
	s->valid = 0;
}

/*
 * Hands the whole snapshot to emit, line by line (the world part in one
 * piece).  0, or the first non-zero emit returned: the rest is not sent.
 */
int
snapshot_write(struct snapshot *s, snapshot_emit_fn emit, void *arg)
{
	const struct snapshot_source *src = &s->src;
	char line[PROTO_OUT_MAX];
	struct proto_buf b;
	const struct client *o;
	const char *h;
	size_t i, len;
	int r;

	/* Out of memory for the world: the rest still comes (as before a
	 * cache existed, a client missing the drawing beats none at all). */
	if (snapshot_world(s) == 0 && (r = emit(s->cache, s->len, arg)) != 0)
		return r;
	for (i = 1; i < src->clients->cap; i++) {
		o = src->clients->slot[i];
		if (o == NULL || !client_visible(o))
			continue;
		proto_buf_init(&b, line, sizeof line);
		proto_fmt_snap(&b, "client");
		proto_fmt_int(&b, "cid", o->cid);
		proto_fmt_str(&b, "name", o->name);
		proto_fmt_int(&b, "since", (long long)o->since);
		if (proto_fmt_end(&b) == 0 && (r = emit(b.p, b.len, arg)) != 0)
			return r;
	}
	for (i = 0; (h = history_get(src->hist, i, &len)) != NULL; i++) {
		if ((r = emit(h, len, arg)) != 0)
			return r;
	}
	proto_buf_init(&b, line, sizeof line);
	proto_fmt_snap(&b, "end");
	proto_fmt_uint(&b, "seq", *src->seq);
	proto_fmt_str(&b, "mode", src->mode);
	proto_fmt_int(&b, "turn", turns_holder(src->turns));
	proto_fmt_uint(&b, "clients", *src->joined);
	if (proto_fmt_end(&b) == 0)
		return emit(b.p, b.len, arg);
	return 0;
}
