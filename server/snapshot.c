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
 * The world part, the largest, is formatted once and kept until the world
 * changes, so a crowd joining at once costs copies, not formatting.
 */
#include <stdlib.h>
#include <string.h>

#include "server.h"

static int snapshot_emit(const char *, size_t, void *);
static void snapshot_world(struct master *);

static int
snapshot_emit(const char *line, size_t len, void *arg)
{
	struct master *m = arg;
	size_t cap;
	char *p;

	if (len > m->snapcap - m->snaplen) {
		cap = m->snapcap == 0 ? 4096 : m->snapcap;
		while (len > cap - m->snaplen)
			cap *= 2;
		p = realloc(m->snapcache, cap);
		if (p == NULL)
			return -1;
		m->snapcache = p;
		m->snapcap = cap;
	}
	memcpy(m->snapcache + m->snaplen, line, len);
	m->snaplen += len;
	return 0;
}

static void
snapshot_world(struct master *m)
{
	if (m->snapvalid)
		return;
	m->snaplen = 0;
	if (world_snapshot(&m->world, snapshot_emit, m) != 0) {
		log_error(m->log, "out of memory for the snapshot");
		m->snaplen = 0;
		return;
	}
	m->snapvalid = 1;
}

void
snapshot_invalidate(struct master *m)
{
	m->snapvalid = 0;
}

/*
 * Queues the snapshot to c as part of its current snapshot block (the
 * caller starts the block with outlimit_snap_begin()).
 */
void
snapshot_send(struct master *m, struct client *c)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;
	const struct client *o;
	const char *h;
	size_t i, len;

	snapshot_world(m);
	output_snap(m, c, m->snapcache, m->snaplen);
	for (i = 1; i < m->clients.cap; i++) {
		o = m->clients.slot[i];
		if (o == NULL || !client_visible(o))
			continue;
		proto_buf_init(&b, line, sizeof line);
		proto_fmt_snap(&b, "client");
		proto_fmt_int(&b, "cid", o->cid);
		proto_fmt_str(&b, "name", o->name);
		proto_fmt_int(&b, "since", (long long)o->since);
		if (proto_fmt_end(&b) == 0)
			output_snap(m, c, b.p, b.len);
	}
	for (i = 0; (h = history_get(&m->hist, i, &len)) != NULL; i++)
		output_snap(m, c, h, len);
	proto_buf_init(&b, line, sizeof line);
	proto_fmt_snap(&b, "end");
	proto_fmt_uint(&b, "seq", m->seq);
	proto_fmt_str(
	    &b, "mode", m->opt->mode == SERVER_MODE_TURNS ? "turns" : "free");
	proto_fmt_int(&b, "turn", turns_holder(&m->turns));
	proto_fmt_uint(&b, "clients", m->joined);
	if (proto_fmt_end(&b) == 0)
		output_snap(m, c, b.p, b.len);
}
