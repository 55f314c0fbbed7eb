/*
 * command.c - applying what the workers send: one command at a time, in
 * arrival order, so every client sees the same history.
 *
 * A command's events are broadcast before its reply is queued, so a reply
 * always follows the events it caused.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "server.h"

struct command_line {
	char buf[PROTO_OUT_MAX];
	struct proto_buf b;
};

struct command_taken {
	const struct master *m;
	const struct client *self;
};

static void command_start(struct command_line *, const char *);
static void command_send(
    struct master *, struct client *, struct command_line *);
static void command_error(struct master *, struct client *, int,
    const struct proto_cmd *, enum proto_err, const char *);
static int command_name_taken(const char *, void *);
static void command_unique(
    struct master *, struct client *, const char *, char *);
static void command_event(struct master *, struct client *, enum proto_evt_kind,
    struct proto_event *);
static void command_hello(
    struct master *, struct client *, const struct proto_cmd *, int, int);
static int command_watcher_may(
    struct master *, struct client *, const struct proto_cmd_info *);
static void command_join_classic(struct master *, struct client *);
static int command_run(
    struct master *, struct client *, const struct ipc_msg *, char *, size_t);
static void command_world(
    struct master *, struct client *, int, const struct proto_cmd *);
static void command_who(struct master *, struct client *);
static void command_stats(struct master *, struct client *);
static void command_help(struct master *, struct client *);
static void command_where(struct master *, struct client *);
static void command_name(
    struct master *, struct client *, const struct proto_cmd *);
static void command_pass(
    struct master *, struct client *, int, const struct proto_cmd *);
static void command_exit(
    struct master *, struct client *, int, const struct proto_cmd *);
static void command_turn_announce(struct master *);
static void command_log(struct master *, struct client *,
    const struct proto_cmd_info *, const struct proto_cmd *);

static void
command_start(struct command_line *l, const char *word)
{
	proto_buf_init(&l->b, l->buf, sizeof l->buf);
	proto_fmt_ok(&l->b, word);
}

static void
command_send(struct master *m, struct client *c, struct command_line *l)
{
	if (proto_fmt_end(&l->b) != 0) {
		log_error(
		    m->log, "a reply to cid=%d did not fit in a line", c->cid);
		return;
	}
	output_reply(&m->out, c, l->b.p, l->b.len);
}

/* The error reply in the client's dialect. */
static void
command_error(struct master *m, struct client *c, int dialect,
    const struct proto_cmd *cmd, enum proto_err err, const char *why)
{
	struct command_line l;
	char out[PROTO_CLASSIC_MAX];
	size_t n;

	if (dialect == PROTO_DIALECT_CLASSIC) {
		n = proto_classic_reply(
		    out, sizeof out, cmd, err, m->world.x, m->world.y, c->cid);
		if (n != 0)
			output_reply(&m->out, c, out, n);
		return;
	}
	proto_buf_init(&l.b, l.buf, sizeof l.buf);
	proto_fmt_err(&l.b, err,
	    why != NULL && why[0] != '\0' ? why : proto_err_word(err));
	command_send(m, c, &l);
}

/* Names differ only if they differ in more than case: WATCHER is watcher. */
static int
command_name_taken(const char *name, void *arg)
{
	const struct command_taken *t = arg;
	const struct client *c;
	size_t i;

	for (i = 1; i < t->m->clients.cap; i++) {
		c = t->m->clients.slot[i];
		if (c != NULL && c != t->self && client_visible(c) &&
		    strcasecmp(c->name, name) == 0)
			return 1;
	}
	return 0;
}

/* want, or want-N when someone else has it. */
static void
command_unique(struct master *m, struct client *c, const char *want, char *out)
{
	struct command_taken t = {m, c};

	if (client_name_unique(
		out, PROTO_NAME_MAX + 1, want, command_name_taken, &t) != 0)
		snprintf(out, PROTO_NAME_MAX + 1, "guest-%d", c->cid);
}

/* Fills in who did it and broadcasts. */
static void
command_event(struct master *m, struct client *c, enum proto_evt_kind kind,
    struct proto_event *ev)
{
	ev->kind = kind;
	ev->cid = c->cid;
	util_strlcpy(ev->name, c->name, sizeof ev->name);
	broadcast_event(m, ev);
}

static void
command_hello(struct master *m, struct client *c, const struct proto_cmd *cmd,
    int admin, int watcher)
{
	struct command_line l;
	struct proto_event ev;
	const char *want = cmd->name[0] != '\0' ? cmd->name : "guest";

	command_unique(m, c, want, c->name);
	client_join(&m->clients, c, CLIENT_V1);
	c->admin = admin;
	c->watcher = watcher;
	if (c->tcp && m->opt->token[0] != '\0')
		auth_ok(&m->auth, c->host);
	log_info(m->log, "cid=%d %s as %s (%s, worker pid=%ld)%s", c->cid,
	    watcher ? "watches" : "joined", c->name, c->addr, (long)c->w->pid,
	    admin ? " (admin)" : "");

	/* A watcher is nobody's business: no join, no turn, not counted. */
	if (watcher)
		m->watchers++;
	else {
		m->joined++;
		memset(&ev, 0, sizeof ev);
		command_event(m, c, PROTO_EVT_JOIN, &ev);
		if (m->opt->mode == SERVER_MODE_TURNS &&
		    turns_join(&m->turns, c->cid) == 1)
			command_turn_announce(m);
	}

	command_start(&l, "hello");
	proto_fmt_int(&l.b, "cid", c->cid);
	proto_fmt_str(&l.b, "name", c->name);
	proto_fmt_str(&l.b, "given", want);
	proto_fmt_int(&l.b, "version", PROTO_VERSION);
	proto_fmt_str(
	    &l.b, "mode", m->opt->mode == SERVER_MODE_TURNS ? "turns" : "free");
	proto_fmt_str(&l.b, "role", watcher ? "watcher" : "user");
	command_send(m, c, &l);
	if (!(c->flags & CLIENT_LOST))
		output_snapshot(&m->out, c);
}

static void
command_join_classic(struct master *m, struct client *c)
{
	struct proto_event ev;
	char want[PROTO_NAME_MAX + 1];

	snprintf(want, sizeof want, "classic-%d", c->cid);
	command_unique(m, c, want, c->name);
	client_join(&m->clients, c, CLIENT_CLASSIC);
	m->joined++;
	log_info(m->log, "cid=%d joined as %s (%s, worker pid=%ld) (classic)",
	    c->cid, c->name, c->addr, (long)c->w->pid);
	memset(&ev, 0, sizeof ev);
	command_event(m, c, PROTO_EVT_JOIN, &ev);
}

/* At the end of the loop turn after c was lost: tell everyone it left. */
void
command_left(struct master *m, struct client *c)
{
	struct proto_event ev;

	c->flags |= CLIENT_LEFT;
	if (c->state == CLIENT_PENDING) {
		/* Cut for its silence, or a wrong token: accept_tick() logs
		 * one line a burst. */
		if (strcmp(c->reason, "timeout") == 0 ||
		    (c->flags & CLIENT_DENIED))
			return;
		log_info(m->log,
		    "cid=%d closed before joining (%s, worker pid=%ld): %s",
		    c->cid, c->addr, (long)c->w->pid, c->reason);
		return;
	}
	if (c->watcher) {
		m->watchers--;
		log_info(m->log, "cid=%d %s stopped watching (%s)", c->cid,
		    c->name, c->reason);
		return;
	}
	m->joined--;
	log_info(m->log, "cid=%d %s left (%s)", c->cid, c->name, c->reason);
	if (m->stopping)
		return;
	memset(&ev, 0, sizeof ev);
	util_strlcpy(ev.text, c->reason, sizeof ev.text);
	command_event(m, c, PROTO_EVT_LEAVE, &ev);
	if (m->opt->mode == SERVER_MODE_TURNS && c->state == CLIENT_V1 &&
	    turns_leave(&m->turns, c->cid) == 1)
		command_turn_announce(m);
}

/* Says who holds the turtle now and starts their clock. */
static void
command_turn_announce(struct master *m)
{
	struct proto_event ev;
	struct client *h;
	int holder = turns_holder(&m->turns);

	memset(&ev, 0, sizeof ev);
	ev.kind = PROTO_EVT_TURN;
	ev.cid = holder;
	h = clients_get(&m->clients, holder);
	if (h != NULL)
		util_strlcpy(ev.name, h->name, sizeof ev.name);
	broadcast_event(m, &ev);
	event_del(m->ev_turn);
	if (holder != 0) {
		struct timeval tv = {(time_t)m->opt->turn_time, 0};

		event_add(m->ev_turn, &tv);
	}
}

void
command_turn_expired(struct master *m)
{
	struct timeval tv = {(time_t)m->opt->turn_time, 0};

	if (m->stopping)
		return;
	if (m->turns.len > 1) {
		turns_rotate(&m->turns);
		command_turn_announce(m);
	} else if (m->turns.len == 1)
		event_add(m->ev_turn, &tv);
}

int
command_dispatch(struct master *m, struct client *c, const struct ipc_msg *msg,
    char *why, size_t whylen)
{
	if (c->flags & CLIENT_LOST)
		return 0;
	switch (msg->type) {
	case IPC_TYPE_JOIN:
		if (c->state != CLIENT_PENDING) {
			snprintf(why, whylen, "a second join");
			return -1;
		}
		command_join_classic(m, c);
		return 0;
	case IPC_TYPE_BYE:
		client_lose(&m->clients, c,
		    msg->reason == IPC_BYE_EOF ? "eof" : "error", 1);
		return 0;
	case IPC_TYPE_CMD:
		return command_run(m, c, msg, why, whylen);
	}
	snprintf(why, whylen, "message type %d", (int)msg->type);
	return -1;
}

static int
command_run(struct master *m, struct client *c, const struct ipc_msg *msg,
    char *why, size_t whylen)
{
	const struct proto_cmd *cmd = &msg->cmd;
	const struct proto_cmd_info *info;
	struct command_line l;
	char text[PROTO_CLASSIC_MAX];
	int dialect = msg->dialect, holder;
	size_t n;

	if ((c->state == CLIENT_V1 && dialect != PROTO_DIALECT_V1) ||
	    (c->state == CLIENT_CLASSIC && dialect != PROTO_DIALECT_CLASSIC)) {
		snprintf(why, whylen, "the dialect changed");
		return -1;
	}
	c->active_ms = common_now_ms();
	if (logoline_is_logo(c, msg)) {
		m->st.commands++;
		logoline_submit(m, c, msg->line, strlen(msg->line));
		return 0;
	}
	if (msg->err != PROTO_OK) {
		if (msg->err == PROTO_ERR_RATE)
			m->st.rate_limited++;
		if (msg->err == PROTO_ERR_AUTH) {
			/* Counted per source, logged once a second. */
			m->st.refused++;
			c->flags |= CLIENT_DENIED;
			if (c->tcp)
				auth_failed(&m->auth, c->host, common_now_ms());
		}
		log_debug(m->log, "cid=%d refused: %s (%s)", c->cid,
		    proto_err_word(msg->err), msg->why);
		command_error(m, c, dialect, msg->has_cmd ? cmd : NULL,
		    msg->err, msg->why);
		if (msg->flags & IPC_F_CLOSE)
			client_lose(&m->clients, c, "error", 1);
		return 0;
	}
	if (c->state == CLIENT_PENDING && dialect == PROTO_DIALECT_V1 &&
	    cmd->type == PROTO_CMD_QUIT) {
		command_start(&l, "quit");
		command_send(m, c, &l);
		client_lose(&m->clients, c, "quit", 1);
		return 0;
	}
	if (c->state == CLIENT_PENDING) {
		if (dialect != PROTO_DIALECT_V1 ||
		    cmd->type != PROTO_CMD_HELLO) {
			snprintf(why, whylen, "a command before joining");
			return -1;
		}
		m->st.commands++;
		command_hello(m, c, cmd, (msg->flags & IPC_F_ADMIN) != 0,
		    (msg->flags & IPC_F_WATCH) != 0);
		return 0;
	}
	if (cmd->type == PROTO_CMD_HELLO) {
		snprintf(why, whylen, "a second hello");
		return -1;
	}
	m->st.commands++;
	info = proto_cmd_info(cmd->type);
	command_log(m, c, info, cmd);
	if (!command_watcher_may(m, c, info))
		return 0;

	holder = turns_holder(&m->turns);
	if (m->opt->mode == SERVER_MODE_TURNS && info != NULL &&
	    (info->flags & PROTO_CMDF_MOVE) && holder != c->cid) {
		char sentence[PROTO_WHY_MAX];
		struct client *h = clients_get(&m->clients, holder);

		if (h != NULL)
			snprintf(sentence, sizeof sentence,
			    "it is %s's turn (cid %d)", h->name, holder);
		else
			snprintf(sentence, sizeof sentence,
			    "only v1 clients in the queue take turns");
		command_error(
		    m, c, dialect, cmd, PROTO_ERR_NOT_YOUR_TURN, sentence);
		return 0;
	}

	/* A Logo line on its last try has the turtle to itself. */
	if (m->barrier != NULL && info != NULL &&
	    (info->flags & PROTO_CMDF_MOVE))
		return 1;
	switch (cmd->type) {
	case PROTO_CMD_RUN:
	case PROTO_CMD_SAY:
	case PROTO_CMD_PEN:
	case PROTO_CMD_COLOR:
	case PROTO_CMD_HOME:
	case PROTO_CMD_CLEAR:
		command_world(m, c, dialect, cmd);
		return 0;
	case PROTO_CMD_EXIT:
		command_exit(m, c, dialect, cmd);
		return 0;
	case PROTO_CMD_QUIT:
		if (dialect == PROTO_DIALECT_V1) {
			command_start(&l, "quit");
			command_send(m, c, &l);
		}
		client_lose(&m->clients, c, "quit", 1);
		return 0;
	default:
		break;
	}
	if (dialect == PROTO_DIALECT_CLASSIC) {
		/* getcid; anything else is unknown to the lecture. */
		n = proto_classic_reply(text, sizeof text, cmd, PROTO_OK,
		    m->world.x, m->world.y, c->cid);
		if (n != 0)
			output_reply(&m->out, c, text, n);
		return 0;
	}
	switch (cmd->type) {
	case PROTO_CMD_GETCID:
		command_start(&l, "getcid");
		proto_fmt_int(&l.b, "cid", c->cid);
		command_send(m, c, &l);
		break;
	case PROTO_CMD_WHERE:
		command_where(m, c);
		break;
	case PROTO_CMD_WHO:
		command_who(m, c);
		break;
	case PROTO_CMD_STATS:
		command_stats(m, c);
		break;
	case PROTO_CMD_HELP:
		command_help(m, c);
		break;
	case PROTO_CMD_NAME:
		command_name(m, c, cmd);
		break;
	case PROTO_CMD_PASS:
		command_pass(m, c, dialect, cmd);
		break;
	default:
		command_error(m, c, dialect, cmd, PROTO_ERR_UNKNOWN_COMMAND,
		    "this server does not know that command");
		break;
	}
	return 0;
}

/*
 * A watcher asks (who, where, stats...) but does nothing others would
 * see: what it did would come from someone nobody saw join.  0 when the
 * command was refused.
 */
static int
command_watcher_may(
    struct master *m, struct client *c, const struct proto_cmd_info *info)
{
	struct command_line l;

	if (!c->watcher || info == NULL)
		return 1;
	switch (info->type) {
	case PROTO_CMD_RUN:
	case PROTO_CMD_SAY:
	case PROTO_CMD_PEN:
	case PROTO_CMD_COLOR:
	case PROTO_CMD_HOME:
	case PROTO_CMD_CLEAR:
	case PROTO_CMD_NAME:
	case PROTO_CMD_PASS:
		break;
	default:
		return 1;
	}
	proto_buf_init(&l.b, l.buf, sizeof l.buf);
	proto_fmt_err(&l.b, PROTO_ERR_FORBIDDEN,
	    "a watcher only watches (this connection said role=watcher)");
	command_send(m, c, &l);
	return 0;
}

/* -v: every command with its arguments (the logger escapes the text). */
static void
command_log(struct master *m, struct client *c,
    const struct proto_cmd_info *info, const struct proto_cmd *cmd)
{
	const char *name = info != NULL ? info->name : "?";

	if (m->log->level < LOG_LEVEL_DEBUG)
		return;
	switch (cmd->type) {
	case PROTO_CMD_RUN:
		log_debug(m->log, "cid=%d %s: %s %d %d", c->cid, c->name, name,
		    (int)cmd->dx, (int)cmd->dy);
		break;
	case PROTO_CMD_SAY:
		log_debug(m->log, "cid=%d %s: %s \"%s\"", c->cid, c->name, name,
		    cmd->text);
		break;
	case PROTO_CMD_PEN:
		log_debug(m->log, "cid=%d %s: %s %s", c->cid, c->name, name,
		    cmd->pen_down ? "down" : "up");
		break;
	case PROTO_CMD_COLOR:
		log_debug(m->log, "cid=%d %s: %s %s", c->cid, c->name, name,
		    proto_color_name(cmd->color));
		break;
	case PROTO_CMD_NAME:
		log_debug(m->log, "cid=%d %s: %s %s", c->cid, c->name, name,
		    cmd->name);
		break;
	default:
		log_debug(m->log, "cid=%d %s: %s", c->cid, c->name, name);
		break;
	}
}

/* run, say, pen, color, home, clear: the world changes, all are told. */
static void
command_world(struct master *m, struct client *c, int dialect,
    const struct proto_cmd *cmd)
{
	struct command_line l;
	struct proto_event ev;
	char why[PROTO_WHY_MAX], text[PROTO_CLASSIC_MAX];
	enum proto_err err;
	size_t n;

	memset(&ev, 0, sizeof ev);
	why[0] = '\0';
	if (cmd->type == PROTO_CMD_SAY && cmd->text[0] == '\0') {
		/* The classic bare say: nothing said, nothing to tell. */
		if (dialect != PROTO_DIALECT_CLASSIC) {
			command_error(m, c, dialect, cmd, PROTO_ERR_USAGE,
			    "say needs some text");
			return;
		}
		err = PROTO_OK;
	} else {
		err = world_apply(&m->world, cmd, &ev, why, sizeof why);
		if (err != PROTO_OK) {
			command_error(m, c, dialect, cmd, err, why);
			return;
		}
		if (cmd->type != PROTO_CMD_SAY) {
			snapshot_invalidate(&m->snap);
			m->version++;
		}
		command_event(m, c, ev.kind, &ev);
	}
	if (c->flags & CLIENT_LOST)
		return;
	if (dialect == PROTO_DIALECT_CLASSIC) {
		n = proto_classic_reply(text, sizeof text, cmd, PROTO_OK,
		    m->world.x, m->world.y, c->cid);
		if (n != 0)
			output_reply(&m->out, c, text, n);
		return;
	}
	switch (cmd->type) {
	case PROTO_CMD_RUN:
		command_start(&l, "run");
		proto_fmt_num(&l.b, "x", m->world.x);
		proto_fmt_num(&l.b, "y", m->world.y);
		break;
	case PROTO_CMD_PEN:
		command_start(&l, "pen");
		proto_fmt_str(&l.b, "pen", m->world.pen_down ? "down" : "up");
		break;
	case PROTO_CMD_COLOR:
		command_start(&l, "color");
		proto_fmt_str(&l.b, "color", proto_color_name(m->world.color));
		break;
	case PROTO_CMD_HOME:
		command_start(&l, "home");
		proto_fmt_num(&l.b, "x", m->world.x);
		proto_fmt_num(&l.b, "y", m->world.y);
		break;
	case PROTO_CMD_CLEAR:
		command_start(&l, "clear");
		break;
	default:
		command_start(&l, "say");
		break;
	}
	command_send(m, c, &l);
}

static void
command_where(struct master *m, struct client *c)
{
	struct command_line l;

	command_start(&l, "where");
	proto_fmt_num(&l.b, "x", m->world.x);
	proto_fmt_num(&l.b, "y", m->world.y);
	proto_fmt_num(&l.b, "heading", m->world.heading);
	proto_fmt_str(&l.b, "pen", m->world.pen_down ? "down" : "up");
	proto_fmt_str(&l.b, "color", proto_color_name(m->world.color));
	proto_fmt_int(&l.b, "pc", m->world.pc);
	command_send(m, c, &l);
}

static void
command_who(struct master *m, struct client *c)
{
	struct command_line l;
	const struct client *o;
	uint64_t now = common_now_ms();
	size_t i, count = 0;

	for (i = 1; i < m->clients.cap; i++) {
		o = m->clients.slot[i];
		if (o == NULL || !client_visible(o))
			continue;
		command_start(&l, "who-item");
		proto_fmt_int(&l.b, "cid", o->cid);
		proto_fmt_str(&l.b, "name", o->name);
		proto_fmt_uint(&l.b, "idle", (now - o->active_ms) / 1000);
		proto_fmt_int(&l.b, "since", (long long)o->since);
		command_send(m, c, &l);
		count++;
	}
	command_start(&l, "who");
	proto_fmt_uint(&l.b, "count", count);
	command_send(m, c, &l);
}

static void
command_stats(struct master *m, struct client *c)
{
	struct command_line l;

	command_start(&l, "stats");
	proto_fmt_uint(&l.b, "uptime", (common_now_ms() - m->start_ms) / 1000);
	proto_fmt_uint(&l.b, "clients", m->joined);
	proto_fmt_uint(&l.b, "watchers", m->watchers);
	proto_fmt_uint(&l.b, "commands", m->st.commands);
	proto_fmt_uint(&l.b, "events", m->out.st.deliveries);
	proto_fmt_uint(&l.b, "resyncs", m->out.st.resyncs);
	proto_fmt_uint(&l.b, "slow_cut", m->out.st.slow_cut);
	proto_fmt_uint(&l.b, "refused", m->st.refused);
	proto_fmt_uint(&l.b, "rate_limited", m->st.rate_limited);
	proto_fmt_uint(&l.b, "seq", m->seq);
	command_send(m, c, &l);
}

static void
command_help(struct master *m, struct client *c)
{
	const struct proto_cmd_info *t;
	struct command_line l;
	size_t i, n;

	t = proto_cmd_table(&n);
	for (i = 0; i < n; i++) {
		command_start(&l, "help-item");
		proto_fmt_str(&l.b, "cmd", t[i].name);
		proto_fmt_str(&l.b, "args", t[i].args);
		proto_fmt_str(&l.b, "text", t[i].help);
		command_send(m, c, &l);
	}
	command_start(&l, "help");
	proto_fmt_uint(&l.b, "count", n);
	command_send(m, c, &l);
}

static void
command_name(struct master *m, struct client *c, const struct proto_cmd *cmd)
{
	struct command_line l;
	struct proto_event ev;
	struct command_taken t = {m, c};
	char final[PROTO_NAME_MAX + 1], sentence[PROTO_WHY_MAX];

	/*
	 * Someone asking for a name by hand wants that name: a taken one is
	 * refused, not quietly made bob-2 (hello still does that, as a
	 * client must get in).
	 */
	if (command_name_taken(cmd->name, &t)) {
		snprintf(sentence, sizeof sentence,
		    "the name %s is taken; you are still %s", cmd->name,
		    c->name);
		command_error(m, c, PROTO_DIALECT_V1, cmd, PROTO_ERR_NAME_TAKEN,
		    sentence);
		return;
	}
	util_strlcpy(final, cmd->name, sizeof final);
	if (strcmp(final, c->name) != 0) {
		log_info(m->log, "cid=%d %s is now %s", c->cid, c->name, final);
		memset(&ev, 0, sizeof ev);
		util_strlcpy(ev.old, c->name, sizeof ev.old);
		util_strlcpy(c->name, final, sizeof c->name);
		command_event(m, c, PROTO_EVT_RENAME, &ev);
	}
	if (c->flags & CLIENT_LOST)
		return;
	command_start(&l, "name");
	proto_fmt_str(&l.b, "name", c->name);
	proto_fmt_str(&l.b, "given", cmd->name);
	command_send(m, c, &l);
}

static void
command_pass(struct master *m, struct client *c, int dialect,
    const struct proto_cmd *cmd)
{
	struct command_line l;

	if (m->opt->mode == SERVER_MODE_TURNS) {
		if (turns_holder(&m->turns) != c->cid) {
			command_error(m, c, dialect, cmd,
			    PROTO_ERR_NOT_YOUR_TURN,
			    "only the turn's holder can pass it");
			return;
		}
		turns_rotate(&m->turns);
		command_turn_announce(m);
	}
	if (c->flags & CLIENT_LOST)
		return;
	command_start(&l, "pass");
	command_send(m, c, &l);
}

/* Only the server's owner (or root) on the UNIX socket, or an admin. */
static void
command_exit(struct master *m, struct client *c, int dialect,
    const struct proto_cmd *cmd)
{
	struct command_line l;
	int ok;

	ok = c->admin || (c->uid_known && (c->uid == geteuid() || c->uid == 0));
	if (!ok) {
		log_info(m->log, "cid=%d %s may not stop the server", c->cid,
		    c->name);
		command_error(m, c, dialect, cmd, PROTO_ERR_FORBIDDEN,
		    "only the server's owner may stop it");
		return;
	}
	log_info(m->log, "cid=%d %s stops the server", c->cid, c->name);
	if (dialect == PROTO_DIALECT_V1) {
		command_start(&l, "_exit");
		command_send(m, c, &l);
	}
	/* The master stops as soon as this command is done. */
	m->stop_reason = "exit";
}
