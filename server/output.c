/*
 * output.c - each client's output buffer and its limit.
 *
 * The master appends and writes; nothing here blocks.  The limit is
 * checked where bytes are appended: a v1 client past it loses its queued
 * events and gets "evt SEQ resync" and a fresh snapshot instead, so it is
 * current again with a visible gap; one that cannot even drain that (or a
 * classic client, which has no resync) is cut.  A cut client is only
 * marked lost here; it is freed at the end of the loop turn.
 *
 * Events go into the turn's shared batch once.  A client with nothing else
 * queued just extends its range of the batch (bstart, blen); the range is
 * copied into its own buffer only when something must come after it (a
 * reply, a snapshot) or when the end-of-turn write leaves some unwritten.
 *
 * struct output is this file's own state (the batch, the dirty list, the
 * counters); it reaches the snapshot a resync needs through struct
 * snapshot, below it, and never calls up: a client it cuts is only marked
 * lost (client_lose()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "server.h"

/* A batch larger than this is not kept between turns: fork stays cheap. */
#define OUTPUT_BATCH_KEEP (1024 * 1024)

static int output_limit(struct output *, struct client *, size_t, int);
static int output_settle(struct output *, struct client *);
static int output_add(struct output *, struct client *, const void *, size_t);
static void output_fail(struct output *, struct client *);
static void output_mark(struct output *, struct client *);
static size_t output_drop(struct output *, struct client *, int, uint64_t *);
static void output_defer(struct output *, struct client *);
static void output_resync(struct output *, struct client *, int);
static void output_cut(struct output *, struct client *);
static void output_room(struct output *);
static void output_wait(struct client *, int);
static void output_write(struct output *, struct client *);

void
output_init(struct output *o, struct logger *log, struct clients *clients,
    struct snapshot *snap, const uint64_t *seq, size_t limit, uint64_t slow_ms)
{
	memset(o, 0, sizeof *o);
	o->log = log;
	o->clients = clients;
	o->snap = snap;
	o->seq = seq;
	o->limit = limit;
	o->slow_ms = slow_ms;
	TAILQ_INIT(&o->dirty);
}

void
output_free(struct output *o)
{
	free(o->batch);
	o->batch = NULL;
	o->batchlen = o->batchcap = 0;
}

static void
output_mark(struct output *o, struct client *c)
{
	if (!(c->flags & CLIENT_DIRTY)) {
		c->flags |= CLIENT_DIRTY;
		TAILQ_INSERT_TAIL(&o->dirty, c, dirty_entry);
	}
}

/* Is anything of c's still to be written? */
int
output_pending(const struct client *c)
{
	return c->blen != 0 || evbuffer_get_length(c->out) != 0;
}

/*
 * Applies the limit before len more bytes are queued.  0 to go on, -1 if
 * they must not be queued: an event the resync snapshot now covers, or a
 * client that was cut.
 */
static int
output_limit(struct output *o, struct client *c, size_t len, int event)
{
	if (c->flags & CLIENT_LOST)
		return -1;
	/* A resync is owed at the end of the turn: it will cover this. */
	if (event && (c->flags & CLIENT_RESYNC)) {
		c->resync_dropped++;
		return -1;
	}
	switch (outlimit_check(&c->ol, len, o->limit, c->state == CLIENT_V1)) {
	case OUTLIMIT_OK:
		return 0;
	case OUTLIMIT_RESYNC:
		if (event) {
			output_defer(o, c);
			return -1;
		}
		output_resync(o, c, event);
		if (event || (c->flags & CLIENT_LOST))
			return -1;
		/* A reply is still owed after the resync. */
		if (outlimit_check(&c->ol, len, o->limit, 0) == OUTLIMIT_OK)
			return 0;
		output_cut(o, c);
		return -1;
	case OUTLIMIT_CUT:
		/* Over again while its last snapshot is on its way, but
		 * being read (a client drawing big Logo lines back to back):
		 * a newer snapshot replaces it.  One that reads nothing is
		 * cut, as before. */
		if (event && c->state == CLIENT_V1 &&
		    outlimit_reading(&c->ol)) {
			output_defer(o, c);
			return -1;
		}
		output_cut(o, c);
		return -1;
	}
	return -1;
}

/* c's range of the batch moves into its own buffer, keeping the order. */
static int
output_settle(struct output *o, struct client *c)
{
	if (c->blen != 0) {
		if (output_add(o, c, o->batch + c->bstart, c->blen) != 0)
			return -1;
		c->blen = 0;
	}
	return 0;
}

/* Queues bytes for c; 0, or -1 when c could not take them and is cut. */
static int
output_add(struct output *o, struct client *c, const void *p, size_t len)
{
	if (evbuffer_add(c->out, p, len) == 0)
		return 0;
	output_fail(o, c);
	return -1;
}

/*
 * Out of memory for c's queue: a client missing lines would see a history
 * with a hole no resync marks, so it goes, told why if that still fits.
 */
static void
output_fail(struct output *o, struct client *c)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;

	if (c->flags & CLIENT_LOST)
		return;
	log_error(o->log, "cid=%d %s: cannot queue output (out of memory)",
	    c->cid, c->name);
	output_discard(c);
	if (c->state == CLIENT_V1) {
		proto_buf_init(&b, line, sizeof line);
		proto_fmt_err(&b, PROTO_ERR_INTERNAL,
		    "the server is out of memory: disconnecting");
		if (proto_fmt_end(&b) == 0 &&
		    evbuffer_add(c->out, b.p, b.len) == 0) {
			outlimit_added(&c->ol, b.len);
			output_mark(o, c);
		}
	}
	client_lose(o->clients, c, "error", 1);
}

void
output_reply(struct output *o, struct client *c, const char *data, size_t len)
{
	if (output_limit(o, c, len, 0) != 0)
		return;
	if (output_settle(o, c) != 0 || output_add(o, c, data, len) != 0)
		return;
	outlimit_added(&c->ol, len);
	output_mark(o, c);
}

/* Adds an event line to this turn's batch; returns its offset. */
size_t
output_batch(struct output *o, const char *data, size_t len)
{
	size_t off = o->batchlen;

	if (len > o->batchcap - o->batchlen)
		o->batch =
		    common_xgrow(o->batch, &o->batchcap, o->batchlen + len, 1);
	memcpy(o->batch + off, data, len);
	o->batchlen += len;
	return off;
}

void
output_event(struct output *o, struct client *c, size_t off, size_t len)
{
	if (output_limit(o, c, len, 1) != 0)
		return;
	/* A range exists only while c's own buffer is empty (whatever is
	 * queued after it settles it first): no need to ask libevent. */
	if (c->blen != 0 && c->bstart + c->blen == off)
		c->blen += len;
	else if (c->blen == 0 && evbuffer_get_length(c->out) == 0) {
		c->bstart = off;
		c->blen = len;
	} else if (output_settle(o, c) != 0 ||
		   output_add(o, c, o->batch + off, len) != 0)
		return;
	outlimit_added(&c->ol, len);
	output_mark(o, c);
	o->st.deliveries++;
}

/* Nothing queued can reach the client any more. */
void
output_discard(struct client *c)
{
	evbuffer_drain(c->out, evbuffer_get_length(c->out));
	c->blen = 0;
	outlimit_reset(&c->ol, 0);
}

/*
 * The emit function handed to snapshot_write(), arg being the client: a
 * line is copied and counts against the limit like any output; the shared
 * world part is queued by reference and does not count (it can be larger
 * than the limit: a long trail), but must be read within --slow-timeout.
 * 0, or -1 once the client is lost (the rest would only be dropped).
 */
int
output_snap_emit(
    const char *data, size_t len, struct snapshot_blob *blob, void *arg)
{
	struct client *c = arg;
	struct output *o = c->output;
	struct snapshot_ref *ref;

	if (c->flags & CLIENT_LOST)
		return -1;
	if (output_settle(o, c) != 0)
		return -1;
	if (blob == NULL) {
		if (output_add(o, c, data, len) != 0)
			return -1;
		outlimit_added(&c->ol, len);
		output_mark(o, c);
		return 0;
	}
	outlimit_snap_begin(&c->ol);
	if ((ref = snapshot_hold(o->snap, blob, c)) == NULL) {
		output_fail(o, c);
		return -1;
	}
	if (evbuffer_add_reference(c->out, data, len, snapshot_release, ref) !=
	    0) {
		ref->c = NULL;
		snapshot_release(data, len, ref);
		output_fail(o, c);
		return -1;
	}
	if (c->snapref != NULL)
		c->snapref->c = NULL;
	c->snapref = ref;
	outlimit_snap_added(&c->ol, len);
	output_mark(o, c);
	return 0;
}

/*
 * Before a new world part is made: if SNAPSHOT_BLOBS_MAX are alive, the
 * clients still holding the oldest are not reading; they are cut, which
 * lets it go.  So snapshots never take more than that many drawings.
 */
static void
output_room(struct output *o)
{
	struct snapshot_blob *old;
	struct client *c;
	size_t i;
	int cut;

	while ((old = snapshot_oldest(o->snap)) != NULL) {
		cut = 0;
		for (i = 1; i < o->clients->cap; i++) {
			c = o->clients->slot[i];
			if (c != NULL && c->snapref != NULL &&
			    c->snapref->blob == old) {
				log_warn(o->log,
				    "cid=%d %s has not read a snapshot of "
				    "an older world",
				    c->cid, c->name);
				output_cut(o, c);
				cut = 1;
			}
		}
		if (!cut)
			break; /* held elsewhere: nothing to free it now */
	}
}

/* A joiner's snapshot: after what is queued, read in --slow-timeout. */
void
output_snapshot(struct output *o, struct client *c)
{
	output_room(o);
	snapshot_write(o->snap, output_snap_emit, c);
	outlimit_joined(&c->ol, common_now_ms());
}

/*
 * Empties c's queue but for its first line (it may be half written
 * already) and, when keep_replies, the ok/err lines: a command's reply is
 * owed even when its events are not.  Counts the evt lines dropped.
 */
static size_t
output_drop(
    struct output *o, struct client *c, int keep_replies, uint64_t *dropped)
{
	size_t len, head, kept, i, e;
	char end = c->state == CLIENT_CLASSIC ? '\0' : '\n';
	const char *p;
	char *all;

	if (output_settle(o, c) != 0)
		return 0;
	len = evbuffer_get_length(c->out);
	if (len == 0) {
		outlimit_reset(&c->ol, 0);
		return 0;
	}
	all = util_calloc(1, len);
	evbuffer_remove(c->out, all, len);
	p = memchr(all, end, len);
	head = p != NULL ? (size_t)(p - all) + 1 : len;
	if (output_add(o, c, all, head) != 0) {
		free(all);
		return 0;
	}
	kept = head;
	for (i = head; i < len; i = e) {
		p = memchr(all + i, end, len - i);
		e = p != NULL ? (size_t)(p - all) + 1 : len;
		if (keep_replies &&
		    ((e - i > 3 && memcmp(all + i, "ok ", 3) == 0) ||
			(e - i > 4 && memcmp(all + i, "err ", 4) == 0))) {
			if (output_add(o, c, all + i, e - i) != 0) {
				free(all);
				return 0;
			}
			kept += e - i;
		} else if (e - i > 4 && memcmp(all + i, "evt ", 4) == 0)
			(*dropped)++;
	}
	free(all);
	outlimit_reset(&c->ol, kept);
	return kept;
}

/*
 * Events overflowed c's queue: they are dropped, as is every further one
 * this turn, and the snapshot comes when the turn ends (output_flush()),
 * so one that covers them all.  A Logo line drawing 100,000 segments is a
 * burst of 1.6 MB: resynced at its first overflowing event, the client
 * would get a snapshot without the rest of the line, then overflow again
 * while the snapshot is queued, and be cut.
 */
static void
output_defer(struct output *o, struct client *c)
{
	uint64_t dropped = 1;

	output_drop(o, c, 1, &dropped);
	c->resync_dropped = dropped;
	c->flags |= CLIENT_RESYNC;
	o->nresync++;
	output_mark(o, c);
}

static void
output_resync(struct output *o, struct client *c, int event)
{
	char line[PROTO_OUT_MAX];
	struct proto_event ev;
	struct proto_buf b;
	uint64_t dropped = event ? 1 : 0;

	if (c->flags & CLIENT_RESYNC) {
		dropped += c->resync_dropped;
		c->flags &= ~CLIENT_RESYNC;
		o->nresync--;
	}
	output_drop(o, c, 1, &dropped);
	o->st.resyncs++;
	log_info(o->log, "cid=%d %s is slow: resync after %llu dropped events",
	    c->cid, c->name, (unsigned long long)dropped);

	/* No SEQ of its own: it stands for the events the snapshot covers. */
	memset(&ev, 0, sizeof ev);
	ev.kind = PROTO_EVT_RESYNC;
	ev.dropped = dropped;
	proto_buf_init(&b, line, sizeof line);
	output_room(o);
	if (proto_event_format(&b, *o->seq, &ev) == 0)
		output_snap_emit(b.p, b.len, NULL, c);
	snapshot_write(o->snap, output_snap_emit, c);
	outlimit_resynced(&c->ol, common_now_ms());
}

/* The client cannot keep up at all: it is told so and disconnected. */
static void
output_cut(struct output *o, struct client *c)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;
	uint64_t dropped = 0;

	if (c->flags & CLIENT_LOST)
		return;
	output_drop(o, c, 0, &dropped);
	o->st.slow_cut++;
	log_warn(o->log, "cid=%d %s cut: a slow consumer", c->cid, c->name);
	if (c->state == CLIENT_V1) {
		proto_buf_init(&b, line, sizeof line);
		proto_fmt_err(&b, PROTO_ERR_SLOW_CONSUMER,
		    "you did not read fast enough: disconnecting");
		if (proto_fmt_end(&b) == 0 &&
		    output_add(o, c, b.p, b.len) == 0) {
			outlimit_added(&c->ol, b.len);
			output_mark(o, c);
		}
	}
	client_lose(o->clients, c, "slow-consumer", 1);
	/* Its reason waits behind what its socket holds already: it gets
	 * as long to read it as it had to read a snapshot. */
	if (c->linger_ms < o->slow_ms)
		c->linger_ms = o->slow_ms;
}

/* Waiting for the socket to take more, or not. */
static void
output_wait(struct client *c, int on)
{
	if (on && !(c->flags & CLIENT_WAIT)) {
		event_add(c->ev_write, NULL);
		c->flags |= CLIENT_WAIT;
	} else if (!on && (c->flags & CLIENT_WAIT)) {
		event_del(c->ev_write);
		c->flags &= ~CLIENT_WAIT;
	}
}

static void
output_write(struct output *o, struct client *c)
{
	ssize_t w;
	int n;

	/* Straight from the batch when nothing else is queued before it. */
	if (c->blen != 0 && evbuffer_get_length(c->out) == 0) {
		w = write(c->fd, o->batch + c->bstart, c->blen);
		if (w == (ssize_t)c->blen) {
			/* The common case, all of it: nothing else to do. */
			outlimit_written(&c->ol, c->blen);
			c->blen = 0;
			output_wait(c, 0);
			return;
		}
		if (w > 0) {
			outlimit_written(&c->ol, (size_t)w);
			c->bstart += (size_t)w;
			c->blen -= (size_t)w;
		} else if (w == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
			   errno != EINTR)
			goto gone;
	}
	output_settle(o, c);
	while (evbuffer_get_length(c->out) != 0) {
		n = evbuffer_write(c->out, c->fd);
		if (n > 0) {
			outlimit_written(&c->ol, (size_t)n);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK) {
			output_wait(c, 1);
			return;
		}
		goto gone;
	}
	output_wait(c, 0);
	return;

gone:
	/* The peer is gone; nothing queued can reach it now. */
	log_debug(o->log, "cid=%d write: %s", c->cid, strerror(errno));
	client_lose(o->clients, c, "eof", 0);
	output_discard(c);
	output_wait(c, 0);
}

void
output_write_cb(int fd, short what, void *arg)
{
	struct client *c = arg;

	(void)fd;
	(void)what;
	output_write(c->output, c);
}

/* End of the loop turn: one write for each client with something new. */
void
output_flush(struct output *o)
{
	struct client *c;
	size_t i;

	/* Resyncs owed (output_defer()), with the turn's world. */
	for (i = 1; o->nresync > 0 && i < o->clients->cap; i++) {
		c = o->clients->slot[i];
		if (c != NULL && (c->flags & CLIENT_RESYNC)) {
			if (c->flags & CLIENT_LOST) {
				c->flags &= ~CLIENT_RESYNC;
				o->nresync--;
			} else
				output_resync(o, c, 0);
		}
	}
	while ((c = TAILQ_FIRST(&o->dirty)) != NULL) {
		TAILQ_REMOVE(&o->dirty, c, dirty_entry);
		c->flags &= ~CLIENT_DIRTY;
		/* Waiting for room already: the write callback will go on. */
		if (c->flags & CLIENT_WAIT) {
			output_settle(o, c);
			continue;
		}
		output_write(o, c);
	}
	/* Every range is written or settled: the batch starts afresh. */
	o->batchlen = 0;
	if (o->batchcap > OUTPUT_BATCH_KEEP) {
		free(o->batch);
		o->batch = NULL;
		o->batchcap = 0;
	}
}

/* Once a second: a resync that is not drained in time means a cut. */
void
output_check_stuck(struct output *o, uint64_t now_ms)
{
	uint64_t timeout = o->slow_ms;
	struct client *c;
	size_t i;

	for (i = 1; i < o->clients->cap; i++) {
		c = o->clients->slot[i];
		if (c != NULL && !(c->flags & CLIENT_LOST) &&
		    outlimit_stuck(&c->ol, now_ms, timeout)) {
			log_warn(o->log,
			    "cid=%d %s did not read its snapshot "
			    "in %u s",
			    c->cid, c->name, (unsigned)(o->slow_ms / 1000));
			output_cut(o, c);
		}
	}
}
