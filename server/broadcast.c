/*
 * broadcast.c - one event, one SEQ, every v1 client.
 *
 * The event is formatted once into the loop turn's batch; a client with
 * nothing else queued only notes which part of the batch is its own, and
 * at the end of the turn gets one write() straight from it.
 */
#include <string.h>
#include <time.h>

#include "server.h"

/*
 * A formatted event line, SEQ already taken: to the state's log (written,
 * and with --fsync always synced, before this turn's output leaves) and to
 * every v1 client.
 */
static void
broadcast_send(struct master *m, uint64_t seq, const char *line, size_t len)
{
	unsigned char head[16];
	int64_t now;
	struct client *c;
	size_t i, off;

	/* SEQ and when: a restart's history keeps its times. */
	if (m->store.logfd != -1) {
		now = (int64_t)time(NULL);
		memcpy(head, &seq, 8);
		memcpy(head + 8, &now, 8);
		store_add(
		    &m->store, STORE_R_EVENT, head, sizeof head, line, len);
	}
	off = output_batch(&m->out, line, len);
	for (i = 1; i < m->clients.cap; i++) {
		c = m->clients.slot[i];
		if (c != NULL && c->state == CLIENT_V1 &&
		    !(c->flags & CLIENT_LOST))
			output_event(&m->out, c, off, len);
	}
}

void
broadcast_event(struct master *m, struct proto_event *ev)
{
	char line[PROTO_OUT_MAX], snap[PROTO_OUT_MAX];
	struct proto_buf b, s;
	uint64_t seq = m->seq + 1;

	proto_buf_init(&b, line, sizeof line);
	if (proto_event_format(&b, seq, ev) != 0) {
		log_error(m->log, "event %s does not fit in a line",
		    proto_evt_word(ev->kind));
		return;
	}
	m->seq = seq;
	log_debug(m->log, "%.*s", (int)b.len - 1, line);
	if (proto_evt_loggable(ev->kind)) {
		proto_buf_init(&s, snap, sizeof snap);
		/* Its time goes with it: a late joiner shows when it
		 * happened, not when it heard of it. */
		if (proto_event_format_snap(&s, seq, (int64_t)time(NULL), ev) ==
		    0)
			history_add(&m->hist, s.p, s.len);
	}
	broadcast_send(m, seq, line, b.len);
}

struct broadcast_path {
	struct master *m;
	const struct client *c;
	uint64_t lines;
};

static void
broadcast_path_start(struct proto_buf *b, int cid, void *arg)
{
	struct broadcast_path *p = arg;

	proto_fmt_evt(b, p->m->seq + 1, "path");
	proto_fmt_int(b, "cid", cid);
	proto_fmt_str(b, "name", p->c->name);
}

static int
broadcast_path_emit(const char *line, size_t len, void *arg)
{
	struct broadcast_path *p = arg;

	p->m->seq++;
	p->lines++;
	broadcast_send(p->m, p->m->seq, line, len);
	return 0;
}

/*
 * Segments [from, to) of the trail, drawn by c, as "evt SEQ path" lines:
 * a polyline per line, each with its own SEQ (not kept in the history: the
 * snapshot has the trail).  Returns the number of lines.
 */
uint64_t
broadcast_paths(
    struct master *m, const struct client *c, size_t from, size_t to)
{
	struct broadcast_path p = {m, c, 0};

	if (world_paths(&m->world, from, to, broadcast_path_start,
		broadcast_path_emit, &p) != 0)
		log_error(m->log, "a path did not fit in a line");
	return p.lines;
}
