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

void
broadcast_event(struct master *m, struct proto_event *ev)
{
	char line[PROTO_OUT_MAX], snap[PROTO_OUT_MAX];
	struct proto_buf b, s;
	struct client *c;
	uint64_t seq = m->seq + 1;
	size_t i, off;

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
	off = output_batch(&m->out, line, b.len);
	for (i = 1; i < m->clients.cap; i++) {
		c = m->clients.slot[i];
		if (c != NULL && c->state == CLIENT_V1 &&
		    !(c->flags & CLIENT_LOST))
			output_event(&m->out, c, off, b.len);
	}
}
