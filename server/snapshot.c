/*
 * snapshot.c - what a late joiner (or a resynced client) needs to be
 * current: the world, who is here, the recent log, and the SEQ it covers.
 *
 *	snap world ...
 *	snap path ...         (the trail, oldest first)
 *	snap proc ...         (the shared Logo procedures, by name)
 *	snap client ...       (one per connected client)
 *	snap log ...          (the last log-worthy events, oldest first)
 *	snap end seq=S mode=M turn=CID clients=N
 *
 * The lines go to the caller's emit function, so this file knows nothing of
 * output buffers.  The world part, the largest (a long trail), is formatted
 * once into a blob that is kept until the world changes and shared: a
 * client's queue holds a reference to it, not a copy, so a crowd joining at
 * once (or a crowd that never reads) costs one copy of the drawing, not one
 * each.  A blob lives while the snapshot or any client's queue refers to
 * it; at most SNAPSHOT_BLOBS_MAX are alive at once (the output cuts the
 * slowest holders to keep it so), which bounds the memory snapshots take.
 */
#include <stdlib.h>
#include <string.h>

#include "server.h"

static int snapshot_blob_add(const char *, size_t, void *);
static struct snapshot_blob *snapshot_world(struct snapshot *);
static void snapshot_drop(struct snapshot *, struct snapshot_blob *);

void
snapshot_init(
    struct snapshot *s, const struct snapshot_source *src, struct logger *log)
{
	memset(s, 0, sizeof *s);
	s->src = *src;
	s->log = log;
	TAILQ_INIT(&s->blobs);
}

/* The snapshot lets go of its blob; clients' references keep theirs. */
void
snapshot_free(struct snapshot *s)
{
	snapshot_invalidate(s);
}

static void
snapshot_drop(struct snapshot *s, struct snapshot_blob *b)
{
	if (--b->refs != 0)
		return;
	TAILQ_REMOVE(&s->blobs, b, entry);
	s->nblobs--;
	free(b->data);
	free(b);
}

static int
snapshot_blob_add(const char *line, size_t len, void *arg)
{
	struct snapshot_blob *b = arg;
	char *p;

	if (len > b->cap - b->len) {
		p = common_grow(b->data, &b->cap, b->len + len, 1);
		if (p == NULL)
			return -1;
		b->data = p;
	}
	memcpy(b->data + b->len, line, len);
	b->len += len;
	return 0;
}

/* One "snap proc name=" per procedure of the shared workspace. */
static int
snapshot_proc(const char *name, const char *text, void *arg)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;

	(void)text;
	proto_buf_init(&b, line, sizeof line);
	proto_fmt_snap(&b, "proc");
	proto_fmt_str(&b, "name", name);
	if (proto_fmt_end(&b) != 0)
		return 0;
	return snapshot_blob_add(b.p, b.len, arg);
}

/* The current world part, formatted now if it is not; NULL out of memory. */
static struct snapshot_blob *
snapshot_world(struct snapshot *s)
{
	struct snapshot_blob *b;

	if (s->cur != NULL)
		return s->cur;
	if ((b = calloc(1, sizeof *b)) == NULL ||
	    world_snapshot(s->src.world, snapshot_blob_add, b) != 0 ||
	    (s->src.ws != NULL && *s->src.ws != NULL &&
		logo_workspace_each_proc(*s->src.ws, snapshot_proc, b) != 0)) {
		log_error(s->log, "out of memory for the snapshot");
		if (b != NULL)
			free(b->data);
		free(b);
		return NULL;
	}
	b->refs = 1;
	b->serial = ++s->serial;
	TAILQ_INSERT_TAIL(&s->blobs, b, entry);
	s->nblobs++;
	s->cur = b;
	return b;
}

/* The world changed: its lines are formatted again when next needed. */
void
snapshot_invalidate(struct snapshot *s)
{
	if (s->cur != NULL)
		snapshot_drop(s, s->cur);
	s->cur = NULL;
}

/*
 * The blob that has lived longest, when making one more would pass
 * SNAPSHOT_BLOBS_MAX (the caller should let go of it first); else NULL.
 */
struct snapshot_blob *
snapshot_oldest(struct snapshot *s)
{
	if (s->cur != NULL || s->nblobs < SNAPSHOT_BLOBS_MAX)
		return NULL;
	return TAILQ_FIRST(&s->blobs);
}

/*
 * A client queues a reference to b: the blob stays until the reference is
 * written or dropped, when libevent calls snapshot_release() with the
 * returned hold (the cleanup of evbuffer_add_reference()).
 */
struct snapshot_ref *
snapshot_hold(struct snapshot *s, struct snapshot_blob *b, struct client *c)
{
	struct snapshot_ref *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->blob = b;
	r->snap = s;
	r->c = c;
	b->refs++;
	return r;
}

void
snapshot_release(const void *data, size_t len, void *arg)
{
	struct snapshot_ref *r = arg;

	(void)data;
	(void)len;
	if (r->c != NULL && r->c->snapref == r)
		r->c->snapref = NULL;
	snapshot_drop(r->snap, r->blob);
	free(r);
}

/*
 * Hands the whole snapshot to emit: the world part as one shared blob,
 * then line by line.  0, or the first non-zero emit returned: the rest is
 * not sent.
 */
int
snapshot_write(struct snapshot *s, snapshot_emit_fn emit, void *arg)
{
	const struct snapshot_source *src = &s->src;
	struct snapshot_blob *b;
	char line[PROTO_OUT_MAX];
	struct proto_buf pb;
	const struct client *o;
	const char *h;
	size_t i, len;
	int r;

	/* Out of memory for the world: the rest still comes (a client
	 * missing the drawing beats none at all). */
	if ((b = snapshot_world(s)) != NULL &&
	    (r = emit(b->data, b->len, b, arg)) != 0)
		return r;
	for (i = 1; i < src->clients->cap; i++) {
		o = src->clients->slot[i];
		if (o == NULL || !client_visible(o))
			continue;
		proto_buf_init(&pb, line, sizeof line);
		proto_fmt_snap(&pb, "client");
		proto_fmt_int(&pb, "cid", o->cid);
		proto_fmt_str(&pb, "name", o->name);
		proto_fmt_int(&pb, "since", (long long)o->since);
		if (proto_fmt_end(&pb) == 0 &&
		    (r = emit(pb.p, pb.len, NULL, arg)) != 0)
			return r;
	}
	for (i = 0; (h = history_get(src->hist, i, &len)) != NULL; i++) {
		if ((r = emit(h, len, NULL, arg)) != 0)
			return r;
	}
	proto_buf_init(&pb, line, sizeof line);
	proto_fmt_snap(&pb, "end");
	proto_fmt_uint(&pb, "seq", *src->seq);
	proto_fmt_str(&pb, "mode", src->mode);
	proto_fmt_int(&pb, "turn", turns_holder(src->turns));
	proto_fmt_uint(&pb, "clients", *src->joined);
	if (proto_fmt_end(&pb) == 0)
		return emit(pb.p, pb.len, NULL, arg);
	return 0;
}
