/*
 * logoline.c - a client's Logo line, from its arrival to its effects.
 *
 * A v1 line that no command takes, and every line while a definition or
 * a [ is open, is Logo.  Lines wait in one queue and are evaluated one at
 * a time on the evaluator's thread (evaluator.c), against the turtle as
 * it was when the line's go came, so the loop keeps serving moves and
 * chat meanwhile.  Back in the loop a line commits whole, in one place in
 * the total order: a clear, its segments as path events, the turtle after
 * it, the procedures it defined or erased; or, if it failed, nothing but
 * the error to its sender.  If the turtle moved while it was evaluated
 * (someone's run), a line that used the turtle is evaluated again from
 * the same point, up to LOGOLINE_TRIES times.
 *
 * While a client's line is queued or evaluated, the rest of what it sent
 * waits (inbound.c holds it), so its replies stay in the order of its
 * lines and a definition's next line never overtakes its title.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "server.h"

/*
 * A line that used the turtle while someone moved it is evaluated again;
 * its LOGOLINE_TRIES-th try holds every other move until it commits, so a
 * stream of runs cannot starve it, if it takes at most LOGOLINE_HOLD_STEPS
 * steps (about 2 ms here; counted in steps, not time, so the same line
 * gets the same treatment on a loaded machine): holding everyone's moves
 * for longer would be the delay the thread is there to avoid (measured
 * with bench_runaway: a hold for a 1,000,000-step line, about 20 ms, put
 * the others' paced p99 at 23-25 ms, against the 5 ms goal).  A longer
 * line may still be refused, "the turtle kept moving".
 */
#define LOGOLINE_TRIES      3
#define LOGOLINE_HOLD_STEPS 100000
#define LOGOLINE_TEXT       1000 /* printed bytes per "ok print" line */

struct logoline_reply {
	char buf[PROTO_OUT_MAX];
	struct proto_buf b;
};

static void logoline_next(struct master *);
static void logoline_finish(
    struct master *, struct client *, struct evaluator_job *);
static void logoline_print(
    struct master *, struct client *, const struct logo_result *);
static void logoline_error(struct master *, struct client *, enum proto_err,
    const char *, const struct logo_error *);
static int logoline_moved(const struct evaluator_job *);
static int logoline_not_v1(const char *);
static void logoline_unhold(struct master *);
static void logoline_apply(
    struct master *, struct client *, struct evaluator_job *);
static void logoline_send(
    struct master *, struct client *, struct logoline_reply *);

int
logoline_is_logo(const struct client *c, const struct ipc_msg *msg)
{
	if (c->state != CLIENT_V1 || msg->type != IPC_TYPE_CMD ||
	    msg->dialect != PROTO_DIALECT_V1 || msg->line[0] == '\0')
		return 0;
	/* quit always leaves: the worker has already let the client go. */
	if (msg->err == PROTO_OK && msg->has_cmd &&
	    msg->cmd.type == PROTO_CMD_QUIT)
		return 0;
	if (c->pending != NULL &&
	    logo_pending_state(c->pending) != LOGO_PENDING_NONE)
		return 1;
	if (msg->err == PROTO_ERR_UNKNOWN_COMMAND)
		return 1;
	return msg->err == PROTO_ERR_USAGE && logoline_not_v1(msg->line);
}

/*
 * A line a v1 command refused with usage that no v1 command could ever
 * take is Logo's: "home lt 10" (home takes nothing), "run [fd 10]"
 * (Logo's run), anything with a list, a quoted word, a variable or
 * parentheses.  "run 1x 2" and "pen sideways" stay v1's usage errors.
 */
static int
logoline_not_v1(const char *line)
{
	const struct proto_cmd_info *info;
	size_t n;

	if (strpbrk(line, "[]\":()") != NULL)
		return 1;
	line += strspn(line, " \t");
	n = strcspn(line, " \t");
	info = proto_cmd_lookup(line, n);
	return info != NULL && info->args[0] == '\0';
}

void
logoline_free_job(struct evaluator_job *job)
{
	if (job == NULL)
		return;
	logo_pending_free(job->pending);
	logo_pending_free(job->saved);
	logo_result_free(&job->res);
	free(job);
}

static void
logoline_send(struct master *m, struct client *c, struct logoline_reply *r)
{
	if (proto_fmt_end(&r->b) != 0) {
		log_error(
		    m->log, "a reply to cid=%d did not fit in a line", c->cid);
		return;
	}
	output_reply(&m->out, c, r->b.p, r->b.len);
}

/* One "ok print text=" per printed line, long lines in pieces. */
static void
logoline_print(
    struct master *m, struct client *c, const struct logo_result *res)
{
	struct logoline_reply r;
	const char *p = res->text, *end, *nl;
	size_t n;

	if (p == NULL)
		return;
	end = p + res->text_len;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		if (n > LOGOLINE_TEXT) {
			/* Cut between characters, not inside one. */
			n = LOGOLINE_TEXT;
			while (n > 1 && ((unsigned char)p[n] & 0xc0) == 0x80)
				n--;
			nl = NULL;
		}
		proto_buf_init(&r.b, r.buf, sizeof r.buf);
		proto_fmt_ok(&r.b, "print");
		proto_fmt_strn(&r.b, "text", p, n);
		/* A piece that ends no line (type, a long line's part): the
		 * next one goes on it. */
		if (nl == NULL || p + n != nl)
			proto_fmt_int(&r.b, "more", 1);
		logoline_send(m, c, &r);
		p += n;
		if (nl != NULL && p == nl)
			p++;
	}
}

static void
logoline_error(struct master *m, struct client *c, enum proto_err err,
    const char *why, const struct logo_error *le)
{
	struct logoline_reply r;
	char msg[LOGO_FORMAT_MAX];

	proto_buf_init(&r.b, r.buf, sizeof r.buf);
	if (le != NULL) {
		logo_error_format(le, msg, sizeof msg);
		proto_fmt_err(&r.b, err, msg);
		proto_fmt_str(&r.b, "kind", logo_error_word(le->code));
		if (le->code == LOGO_E_LIMIT)
			proto_fmt_str(
			    &r.b, "limit", logo_limit_name(le->limit));
		if (le->proc[0] != '\0')
			proto_fmt_str(&r.b, "proc", le->proc);
	} else {
		proto_fmt_err(&r.b, err, why);
	}
	logoline_send(m, c, &r);
}

void
logoline_submit(
    struct master *m, struct client *c, const char *line, size_t len)
{
	struct evaluator_job *job;
	int holder = turns_holder(&m->turns);
	char *cause;

	if (c->watcher) {
		logoline_error(m, c, PROTO_ERR_FORBIDDEN,
		    "a watcher only watches (this connection said "
		    "role=watcher)",
		    NULL);
		return;
	}
	if (m->opt->mode == SERVER_MODE_TURNS && holder != c->cid) {
		logoline_error(m, c, PROTO_ERR_NOT_YOUR_TURN,
		    "a Logo line needs the turn", NULL);
		return;
	}
	if (evaluator_ready(&m->eval, &cause) != 0) {
		log_error(m->log, "%s", cause);
		logoline_error(m, c, PROTO_ERR_INTERNAL, cause, NULL);
		free(cause);
		return;
	}
	if (c->pending == NULL && (c->pending = logo_pending_new()) == NULL) {
		logoline_error(m, c, PROTO_ERR_INTERNAL,
		    "out of memory for this line", NULL);
		return;
	}
	if ((job = calloc(1, sizeof *job)) == NULL) {
		logoline_error(m, c, PROTO_ERR_INTERNAL,
		    "out of memory for this line", NULL);
		return;
	}
	logo_result_init(&job->res);
	if (logo_pending_state(c->pending) != LOGO_PENDING_NONE &&
	    ((job->saved = logo_pending_new()) == NULL ||
		logo_pending_copy(job->saved, c->pending) != 0)) {
		logoline_free_job(job);
		logoline_error(m, c, PROTO_ERR_INTERNAL,
		    "out of memory for this line", NULL);
		return;
	}
	job->serial = c->serial;
	job->cid = c->cid;
	memcpy(job->line, line, len);
	job->line[len] = '\0';
	job->len = len;
	job->pending = c->pending;
	c->pending = NULL;
	c->flags |= CLIENT_BUSY;
	TAILQ_INSERT_TAIL(&m->lines, job, entry);
	log_debug(m->log, "cid=%d %s: logo \"%s\"", c->cid, c->name, job->line);
	logoline_next(m);
}

/* The next line in the queue gets the thread, with the turtle as it is. */
static void
logoline_next(struct master *m)
{
	struct evaluator_job *job;

	if (evaluator_busy(&m->eval) || (job = TAILQ_FIRST(&m->lines)) == NULL)
		return;
	TAILQ_REMOVE(&m->lines, job, entry);
	evaluator_turtle(&m->world, &job->turtle);
	job->version = m->version;
	job->seed = ++m->seed;
	evaluator_run(&m->eval, job);
}

/* Did the line use the turtle?  Then it must not land on a moved one. */
static int
logoline_moved(const struct evaluator_job *job)
{
	const struct logo_turtle *a = &job->turtle, *b = &job->res.turtle;

	return job->res.nsegs > 0 || job->res.cleared || a->x != b->x ||
	       a->y != b->y || a->heading != b->heading ||
	       a->pen_down != b->pen_down || a->color != b->color;
}

/* The line's effects, in one place in the order. */
static void
logoline_apply(struct master *m, struct client *c, struct evaluator_job *job)
{
	const struct logo_result *res = &job->res;
	struct proto_event ev;
	size_t i, n, from;

	if (logoline_moved(job)) {
		if (res->cleared) {
			world_clear_trail(&m->world);
			memset(&ev, 0, sizeof ev);
			ev.kind = PROTO_EVT_CLEAR;
			ev.cid = c->cid;
			util_strlcpy(ev.name, c->name, sizeof ev.name);
			broadcast_event(m, &ev);
		}
		for (i = 0; i < res->nsegs; i++)
			world_add_seg(&m->world, res->segs[i].x0,
			    res->segs[i].y0, res->segs[i].x1, res->segs[i].y1,
			    proto_color_from_logo(res->segs[i].color), c->cid);
		n = res->nsegs < m->world.trail_len ? res->nsegs
						    : m->world.trail_len;
		from = m->world.trail_len - n;
		broadcast_paths(m, c, from, m->world.trail_len);
		m->world.x = res->turtle.x;
		m->world.y = res->turtle.y;
		m->world.heading = res->turtle.heading;
		m->world.pen_down = res->turtle.pen_down;
		m->world.pc = res->turtle.color;
		m->world.color = proto_color_from_logo(res->turtle.color);
		m->version++;
		snapshot_invalidate(&m->snap);

		memset(&ev, 0, sizeof ev);
		ev.kind = PROTO_EVT_TURTLE;
		ev.cid = c->cid;
		util_strlcpy(ev.name, c->name, sizeof ev.name);
		ev.x = m->world.x;
		ev.y = m->world.y;
		ev.heading = m->world.heading;
		ev.pen_down = m->world.pen_down;
		ev.color = m->world.color;
		ev.pc = m->world.pc;
		ev.segs = res->nsegs;
		ev.cleared = res->cleared;
		broadcast_event(m, &ev);
	}
	for (i = 0; i < res->nchanges; i++) {
		if (res->changes[i].kind == LOGO_CHANGE_MAKE)
			continue;
		memset(&ev, 0, sizeof ev);
		ev.kind = res->changes[i].kind == LOGO_CHANGE_DEFINE
			      ? PROTO_EVT_DEFINE
			      : PROTO_EVT_ERASE;
		ev.cid = c->cid;
		util_strlcpy(ev.name, c->name, sizeof ev.name);
		util_strlcpy(ev.proc, res->changes[i].name, sizeof ev.proc);
		broadcast_event(m, &ev);
		snapshot_invalidate(&m->snap);
	}
}

void
logoline_done(struct evaluator_job *job, void *arg)
{
	struct master *m = arg;
	struct client *c = clients_get(&m->clients, job->cid);
	struct logoline_reply r;
	enum proto_err err;

	if (c == NULL || c->serial != job->serial || (c->flags & CLIENT_LOST) ||
	    m->stop_reason != NULL) {
		/* Its client is gone: the line goes with it. */
		if (m->barrier == job)
			logoline_unhold(m);
		logoline_free_job(job);
		logoline_next(m);
		return;
	}
	switch (job->status) {
	case LOGO_MORE:
		proto_buf_init(&r.b, r.buf, sizeof r.buf);
		proto_fmt_ok(&r.b, "logo");
		proto_fmt_str(&r.b, "more",
		    logo_pending_state(job->pending) == LOGO_PENDING_DEFINE
			? "define"
			: "list");
		logoline_send(m, c, &r);
		break;
	case LOGO_ERROR:
		logoline_print(m, c, &job->res);
		if (job->res.error.code == LOGO_E_BOUNDS)
			err = PROTO_ERR_OUT_OF_BOUNDS;
		else if (job->res.error.code == LOGO_E_LIMIT)
			err = PROTO_ERR_LIMIT;
		else if (job->res.error.code == LOGO_E_NOMEM)
			err = PROTO_ERR_INTERNAL;
		else
			err = PROTO_ERR_LOGO;
		logoline_error(m, c, err, NULL, &job->res.error);
		break;
	case LOGO_OK:
		if (job->version != m->version && logoline_moved(job)) {
			if (job->tries + 1 < LOGOLINE_TRIES &&
			    (job->saved == NULL
				    ? (logo_pending_reset(job->pending), 0)
				    : logo_pending_copy(
					  job->pending, job->saved)) == 0) {
				/* Again from the same point, first in line;
				 * the last time with the turtle held. */
				job->tries++;
				if (job->tries + 1 == LOGOLINE_TRIES &&
				    job->res.steps <= LOGOLINE_HOLD_STEPS)
					m->barrier = job;
				logo_result_free(&job->res);
				TAILQ_INSERT_HEAD(&m->lines, job, entry);
				logoline_next(m);
				return;
			}
			logoline_print(m, c, &job->res);
			logoline_error(m, c, PROTO_ERR_LOGO,
			    "the turtle kept moving while this line ran; "
			    "try again",
			    NULL);
			break;
		}
		if (logo_commit(m->ws, &job->res) != 0) {
			logoline_error(m, c, PROTO_ERR_INTERNAL,
			    "out of memory applying this line", NULL);
			break;
		}
		recover_workspace(m, &job->res);
		logoline_apply(m, c, job);
		if (c->flags & CLIENT_LOST)
			break;
		logoline_print(m, c, &job->res);
		proto_buf_init(&r.b, r.buf, sizeof r.buf);
		proto_fmt_ok(&r.b, "logo");
		proto_fmt_uint(&r.b, "segs", job->res.nsegs);
		logoline_send(m, c, &r);
		break;
	}
	if (m->barrier == job)
		logoline_unhold(m);
	logoline_finish(m, c, job);
	logoline_next(m);
}

/* The held moves go on, in the order of their clients' cids. */
static void
logoline_unhold(struct master *m)
{
	struct client *c;
	size_t i;

	m->barrier = NULL;
	for (i = 1; i < m->clients.cap; i++) {
		c = m->clients.slot[i];
		if (c == NULL || !(c->flags & CLIENT_HELD))
			continue;
		c->flags &= ~(CLIENT_HELD | CLIENT_BUSY);
		inbound_resume(m, c);
	}
}

/* The client has its pending input back and is read again. */
static void
logoline_finish(struct master *m, struct client *c, struct evaluator_job *job)
{
	c->pending = job->pending;
	job->pending = NULL;
	logoline_free_job(job);
	c->flags &= ~CLIENT_BUSY;
	inbound_resume(m, c);
}

/* At the end: lines still waiting are dropped. */
void
logoline_drop(struct master *m)
{
	struct evaluator_job *job;

	while ((job = TAILQ_FIRST(&m->lines)) != NULL) {
		TAILQ_REMOVE(&m->lines, job, entry);
		logoline_free_job(job);
	}
}
