/*
 * recover.c - the master's state as store records, and back.
 *
 * While turtled runs, every event it broadcasts is a record (its evt line
 * with its SEQ: broadcast.c), and every change a Logo line makes to the
 * shared workspace is one too (recover_workspace()).  Replaying the log
 * applies those lines with the code a client mirrors the world with
 * (world_apply_event(), world_apply_path()), so the world after a restart
 * is what every client was told, to the wire's 6 decimals.  A snapshot
 * (recover_snapshot()) holds the world exactly (the turtle's doubles, the
 * trail's floats), the workspace as typed, the history and the SEQ.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server.h"

#define RECOVER_SEGS_PER_RECORD 4096

/* The turtle and the counters, as a snapshot's first record. */
struct recover_world {
	double x, y, heading;
	int32_t pen_down, color, pc, half_w, half_h, pad;
	uint64_t dropped, seq;
};

struct recover_find {
	const char *name;
	struct master *m;
	int type;
};

static int recover_eval(struct master *, const char *, size_t);
static int recover_event(struct master *, const unsigned char *, size_t);
static int recover_record(int, const unsigned char *, size_t, void *);
static int recover_named(
    const unsigned char *, size_t, char *, size_t, const char **, size_t *);

/* One line of Logo into the workspace, as its user once typed it. */
static int
recover_eval(struct master *m, const char *text, size_t len)
{
	struct logo_pending *p = logo_pending_new();
	struct logo_config cfg;
	struct logo_turtle t;
	struct logo_result res;
	enum logo_status st = LOGO_ERROR;
	const char *line = text, *nl, *end = text + len;
	int rc = -1;

	if (p == NULL)
		return -1;
	logo_config_default(&cfg);
	evaluator_turtle(&m->world, &t);
	logo_result_init(&res);
	while (line < end) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		st = logo_eval_line(
		    m->ws, &t, p, line, (size_t)(nl - line), &cfg, &res);
		if (st == LOGO_ERROR)
			break;
		line = nl + 1;
	}
	if (st == LOGO_OK && logo_commit(m->ws, &res) == 0)
		rc = 0;
	logo_result_free(&res);
	logo_pending_free(p);
	return rc;
}

/* "u16 length, name, rest": the name (NUL-ended) and the rest. */
static int
recover_named(const unsigned char *p, size_t len, char *name, size_t namelen,
    const char **rest, size_t *restlen)
{
	uint16_t n;

	if (len < 2)
		return -1;
	memcpy(&n, p, 2);
	if ((size_t)n + 2 > len || n == 0 || n >= namelen)
		return -1;
	memcpy(name, p + 2, n);
	name[n] = '\0';
	*rest = (const char *)p + 2 + n;
	*restlen = len - 2 - n;
	return 0;
}

static int
recover_event(struct master *m, const unsigned char *p, size_t len)
{
	char snap[PROTO_OUT_MAX];
	struct proto_event ev;
	struct proto_buf b;
	struct proto_msg msg;
	uint64_t seq;
	int64_t when;

	if (len < 17)
		return -1;
	memcpy(&seq, p, 8);
	memcpy(&when, p + 8, 8);
	if (proto_msg_parse((const char *)p + 16, len - 16, &msg) != 0 ||
	    msg.type != PROTO_MSG_EVT)
		return -1;
	if (strcmp(msg.word, "path") == 0) {
		if (world_apply_path(&m->world, &msg) != 0)
			return -1;
	} else if (proto_event_from_msg(&msg, &ev) == 0) {
		world_apply_event(&m->world, &ev);
		if (proto_evt_loggable(ev.kind)) {
			proto_buf_init(&b, snap, sizeof snap);
			if (proto_event_format_snap(&b, seq, when, &ev) == 0)
				history_add(&m->hist, b.p, b.len);
		}
	}
	if (seq > m->seq)
		m->seq = seq;
	return 0;
}

static int
recover_record(int type, const unsigned char *p, size_t len, void *arg)
{
	struct master *m = arg;
	struct recover_world rw;
	struct world_seg seg;
	char name[PROTO_PROC_MAX + 1], *line;
	const char *rest;
	size_t restlen, i;
	int rc;

	switch (type) {
	case STORE_R_EVENT:
		return recover_event(m, p, len);
	case STORE_R_PROC:
		if (recover_named(p, len, name, sizeof name, &rest, &restlen) !=
		    0)
			return -1;
		return recover_eval(m, rest, restlen);
	case STORE_R_ERASE:
	case STORE_R_VAR:
		if (recover_named(p, len, name, sizeof name, &rest, &restlen) !=
		    0)
			return -1;
		/* As a user would type it: a word's value gets its quote. */
		if (type == STORE_R_ERASE)
			line = common_xprintf("erase \"%s", name);
		else
			line = common_xprintf("make \"%s %s%.*s", name,
			    restlen > 0 && rest[0] == '[' ? "" : "\"",
			    (int)restlen, rest);
		rc = recover_eval(m, line, strlen(line));
		free(line);
		return rc;
	case STORE_R_WORLD:
		if (len != sizeof rw)
			return -1;
		memcpy(&rw, p, sizeof rw);
		m->world.x = rw.x;
		m->world.y = rw.y;
		m->world.heading = rw.heading;
		m->world.pen_down = rw.pen_down != 0;
		m->world.color = rw.color;
		m->world.pc = rw.pc;
		m->world.trail_dropped = rw.dropped;
		m->seq = rw.seq;
		return 0;
	case STORE_R_SEGS:
		if (len % sizeof seg != 0)
			return -1;
		for (i = 0; i < len; i += sizeof seg) {
			memcpy(&seg, p + i, sizeof seg);
			world_add_seg(&m->world, seg.x0, seg.y0, seg.x1, seg.y1,
			    seg.color, seg.cid);
		}
		return 0;
	case STORE_R_HIST:
		history_add(&m->hist, (const char *)p, len);
		return 0;
	}
	return -1;
}

int
recover_load(struct master *m, char **cause)
{
	const struct options *opt = m->opt;

	if (opt->state[0] == '\0')
		return 0;
	if (store_open(&m->store, opt->state, (enum store_fsync)opt->fsync_mode,
		m->log, cause) != 0)
		return -1;
	m->store.compact_bytes = opt->compact_bytes;
	if (store_load(&m->store, recover_record, m, cause) != 0)
		return -1;
	/* What a dropped ring would have counted is already in "dropped". */
	log_info(m->log,
	    "state %s: %llu records, seq %llu, %zu segments, %zu procedures",
	    opt->state, (unsigned long long)m->store.loaded,
	    (unsigned long long)m->seq, m->world.trail_len,
	    logo_workspace_procs(m->ws));
	return 0;
}

static int
recover_add_proc(const char *name, const char *text, void *arg)
{
	struct recover_find *f = arg;
	uint16_t n = (uint16_t)strlen(name);
	unsigned char head[2 + PROTO_PROC_MAX];

	if (f->name != NULL && strcasecmp(f->name, name) != 0)
		return 0;
	if (n > PROTO_PROC_MAX)
		return 0;
	memcpy(head, &n, 2);
	memcpy(head + 2, name, n);
	store_add(
	    &f->m->store, f->type, head, 2 + (size_t)n, text, strlen(text));
	return f->name != NULL; /* found: stop */
}

/* A Logo line's changes to the workspace, as records. */
void
recover_workspace(struct master *m, const struct logo_result *res)
{
	struct recover_find f = {NULL, m, 0};
	unsigned char head[2 + PROTO_PROC_MAX];
	uint16_t n;
	size_t i;

	if (m->store.logfd == -1)
		return;
	for (i = 0; i < res->nchanges; i++) {
		f.name = res->changes[i].name;
		switch (res->changes[i].kind) {
		case LOGO_CHANGE_DEFINE:
			f.type = STORE_R_PROC;
			logo_workspace_each_proc(m->ws, recover_add_proc, &f);
			break;
		case LOGO_CHANGE_MAKE:
			f.type = STORE_R_VAR;
			logo_workspace_each_var(m->ws, recover_add_proc, &f);
			break;
		case LOGO_CHANGE_ERASE:
			n = (uint16_t)strlen(f.name);
			if (n > PROTO_PROC_MAX)
				break;
			memcpy(head, &n, 2);
			memcpy(head + 2, f.name, n);
			store_add(&m->store, STORE_R_ERASE, head, 2 + (size_t)n,
			    NULL, 0);
			break;
		}
	}
}

/* Everything, as a new snapshot; the log starts again after it. */
int
recover_snapshot(struct master *m, char **cause)
{
	struct recover_find f = {NULL, m, 0};
	struct recover_world rw;
	struct world_seg *segs;
	const struct world_seg *s;
	const char *h;
	size_t i, n, len;

	if (store_snapshot_begin(&m->store, cause) != 0)
		return -1;
	memset(&rw, 0, sizeof rw);
	rw.x = m->world.x;
	rw.y = m->world.y;
	rw.heading = m->world.heading;
	rw.pen_down = m->world.pen_down;
	rw.color = m->world.color;
	rw.pc = m->world.pc;
	rw.half_w = m->world.half_w;
	rw.half_h = m->world.half_h;
	rw.dropped = m->world.trail_dropped;
	rw.seq = m->seq;
	store_add(&m->store, STORE_R_WORLD, &rw, sizeof rw, NULL, 0);
	segs = util_calloc(RECOVER_SEGS_PER_RECORD, sizeof *segs);
	for (i = 0; i < m->world.trail_len; i += n) {
		for (n = 0;
		     n < RECOVER_SEGS_PER_RECORD && i + n < m->world.trail_len;
		     n++) {
			s = world_seg_at(&m->world, i + n);
			segs[n] = *s;
		}
		store_add(
		    &m->store, STORE_R_SEGS, segs, n * sizeof *segs, NULL, 0);
	}
	free(segs);
	f.type = STORE_R_PROC;
	logo_workspace_each_proc(m->ws, recover_add_proc, &f);
	f.type = STORE_R_VAR;
	logo_workspace_each_var(m->ws, recover_add_proc, &f);
	for (i = 0; (h = history_get(&m->hist, i, &len)) != NULL; i++)
		store_add(&m->store, STORE_R_HIST, h, len, NULL, 0);
	return store_snapshot_end(&m->store, cause);
}
