/*
 * model.c - the client's mirror of the server: the world, who is connected,
 * my cid and name, mode and turn, and the log the user reads.
 *
 * Everything arrives as parsed server lines through model_feed(); the
 * answer is a set of MODEL_CHG_* flags telling the screen what to redraw
 * and the connection what to do.  After "ok hello" or "evt resync" the
 * snapshot rebuilds the state from scratch, so a client that lost events
 * or its server ends up showing exactly what the server has.  Nothing here
 * does I/O, so the unit tests drive it line by line.
 */
#include "tui.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Room for any log line: a say text escaped (4 bytes per byte) and more. */
#define MODEL_TEXT_MAX (PROTO_TEXT_MAX * 4 + 256)
/* Printed pieces joined on one log line (type) up to this many bytes. */
#define MODEL_PRINT_JOIN_MAX 4096

static int model_line_add(
    struct model *, int, int, const char *, uint64_t, time_t, const char *);
static void model_line_free(struct model_line *);
static void model_print(struct model *, const char *, time_t);
static struct model_client *model_client_find(struct model *, int);
static int model_client_set(struct model *, int, const char *, time_t);
static void model_client_remove(struct model *, int);
static void model_clients_clear(struct model *);
static void model_pend_clear(struct model *);
static struct model_proc *model_proc_get(struct model *, const char *);
static struct model_proc *model_proc_add(struct model *, const char *);
static void model_proc_remove(struct model *, size_t);
static void model_proc_defined(struct model *, const struct proto_event *);
static void model_proc_title(struct model *, const char *);
static int model_snap_begin(struct model *);
static int model_on_ok(struct model *, const struct proto_msg *, time_t);
static int model_on_err(struct model *, const struct proto_msg *, time_t);
static int model_on_evt(struct model *, const struct proto_msg *, time_t);
static int model_seq(struct model *, const struct proto_msg *, time_t);
static int model_on_snap(struct model *, const struct proto_msg *, time_t);
static int model_apply_event(
    struct model *, const struct proto_event *, time_t);
static int model_log_event(
    struct model *, const struct proto_event *, uint64_t, time_t);
static void model_fields(
    const struct proto_msg *, size_t, char *, size_t, const char *const *);
static void model_reply_text(const struct proto_msg *, char *, size_t);
static int model_take_echo(struct model *, char *, size_t);
static int model_is_item(const char *);
static int model_is_action(const char *);
static void model_esc(char *, size_t, const char *);
static void model_fmt(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

int
model_init(struct model *m, size_t log_cap)
{
	memset(m, 0, sizeof *m);
	if (log_cap == 0)
		log_cap = 1;
	if (world_init(&m->world, WORLD_HALF_DEFAULT, WORLD_HALF_DEFAULT,
		WORLD_TRAIL_DEFAULT) != 0)
		return -1;
	m->log = calloc(log_cap, sizeof *m->log);
	if (m->log == NULL) {
		world_free(&m->world);
		return -1;
	}
	m->log_cap = log_cap;
	m->log_next_id = 1;
	return 0;
}

void
model_free(struct model *m)
{
	size_t i;

	for (i = 0; i < m->log_len; i++)
		model_line_free(&m->log[(m->log_start + i) % m->log_cap]);
	free(m->log);
	model_pend_clear(m);
	free(m->pend);
	while (m->nprocs > 0)
		model_proc_remove(m, m->nprocs - 1);
	free(m->procs);
	free(m->def_title);
	free(m->clients);
	world_free(&m->world);
	memset(m, 0, sizeof *m);
}

/* A new connection: nothing it says counts until "ok hello". */
void
model_connected(struct model *m)
{
	m->hello_wait = 1;
	m->in_snap = 0;
	m->synced = 0;
	m->logo_more = 0; /* a new session has no Logo input open */
	model_pend_clear(m);
}

void
model_disconnected(struct model *m)
{
	m->hello_wait = 0;
	m->in_snap = 0;
	m->synced = 0;
	model_pend_clear(m);
}

const struct model_line *
model_line_at(const struct model *m, size_t i)
{
	if (i >= m->log_len)
		return NULL;
	return &m->log[(m->log_start + i) % m->log_cap];
}

const struct model_client *
model_client_at(const struct model *m, size_t i)
{
	if (i >= m->nclients)
		return NULL;
	return &m->clients[i];
}

const char *
model_client_name(const struct model *m, int cid)
{
	size_t i;

	for (i = 0; i < m->nclients; i++) {
		if (m->clients[i].cid == cid)
			return m->clients[i].name;
	}
	return NULL;
}

const struct model_proc *
model_proc_at(const struct model *m, size_t i)
{
	return i < m->nprocs ? &m->procs[i] : NULL;
}

const struct model_proc *
model_proc_find(const struct model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nprocs; i++) {
		if (strcasecmp(m->procs[i].name, name) == 0)
			return &m->procs[i];
	}
	return NULL;
}

void
model_def_sent(struct model *m, const char *title)
{
	free(m->def_title);
	m->def_title = strdup(title);
}

static struct model_proc *
model_proc_get(struct model *m, const char *name)
{
	return (struct model_proc *)model_proc_find(m, name);
}

/* The procedure called name, added when new; NULL when out of memory. */
static struct model_proc *
model_proc_add(struct model *m, const char *name)
{
	struct model_proc *p;

	if ((p = model_proc_get(m, name)) != NULL)
		return p;
	p = common_grow(m->procs, &m->procs_cap, m->nprocs + 1, sizeof *p);
	if (p == NULL)
		return NULL;
	m->procs = p;
	p = &m->procs[m->nprocs++];
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name);
	return p;
}

static void
model_proc_remove(struct model *m, size_t i)
{
	free(m->procs[i].title);
	memmove(&m->procs[i], &m->procs[i + 1],
	    (m->nprocs - i - 1) * sizeof *m->procs);
	m->nprocs--;
}

/*
 * A define event: the procedure is new or new again, so a title known
 * before may be stale; my own definition brings the title it was sent
 * with.
 */
static void
model_proc_defined(struct model *m, const struct proto_event *ev)
{
	struct model_proc *p;
	const char *t = m->def_title;
	size_t n;

	if ((p = model_proc_add(m, ev->proc)) == NULL)
		return;
	free(p->title);
	p->title = NULL;
	if (ev->cid != m->my_cid || t == NULL)
		return;
	t += strspn(t, " \t");
	if (strncasecmp(t, "to", 2) != 0)
		return;
	t += 2 + strspn(t + 2, " \t");
	n = strcspn(t, " \t");
	if (n == strlen(p->name) && strncasecmp(t, p->name, n) == 0) {
		p->title = m->def_title;
		m->def_title = NULL;
	}
}

/* A printed line that is a known procedure's title (pots prints them). */
static void
model_proc_title(struct model *m, const char *text)
{
	char name[PROTO_PROC_MAX + 1];
	struct model_proc *p;
	const char *t = text;
	size_t n;

	if (strncasecmp(t, "to", 2) != 0 || (t[2] != ' ' && t[2] != '\t'))
		return;
	t += 2 + strspn(t + 2, " \t");
	n = strcspn(t, " \t");
	if (n == 0 || n >= sizeof name)
		return;
	memcpy(name, t, n);
	name[n] = '\0';
	if ((p = model_proc_get(m, name)) == NULL ||
	    (p->title != NULL && strcmp(p->title, text) == 0))
		return;
	free(p->title);
	p->title = strdup(text);
}

void
model_log(struct model *m, int kind, time_t now, const char *fmt, ...)
{
	char text[MODEL_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	model_line_add(m, kind, 0, "", 0, now, text);
}

/* Text given here is already escaped: it goes to the terminal as it is. */
static int
model_line_add(struct model *m, int kind, int cid, const char *name,
    uint64_t seq, time_t t, const char *text)
{
	struct model_line *l;
	size_t nlen = strlen(name);
	char *copy;

	if ((copy = strdup(text)) == NULL)
		return -1;
	if (m->log_len == m->log_cap) {
		model_line_free(&m->log[m->log_start]);
		m->log_start = (m->log_start + 1) % m->log_cap;
		m->log_len--;
	}
	l = &m->log[(m->log_start + m->log_len) % m->log_cap];
	m->log_len++;
	l->id = m->log_next_id++;
	l->seq = seq;
	l->t = t;
	l->kind = kind;
	l->cid = cid;
	l->text = copy;
	if (kind == MODEL_LINE_COMMAND)
		m->echo_id = l->id;
	/* The name is coloured only where the line starts with it. */
	l->name_len = 0;
	if (cid != 0 && nlen > 0 && strncmp(copy, name, nlen) == 0)
		l->name_len = nlen;
	return 0;
}

/*
 * One line per action: the echo of what I typed, while it is still the
 * log's last line, gives way to what answers it (my event, the reply, the
 * error, which then names it).  Copies its text without "> " into out.
 */
static int
model_take_echo(struct model *m, char *out, size_t len)
{
	struct model_line *l;
	const char *t;

	if (m->echo_id == 0 || m->log_len == 0)
		return 0;
	l = &m->log[(m->log_start + m->log_len - 1) % m->log_cap];
	if (l->id != m->echo_id) {
		m->echo_id = 0;
		return 0;
	}
	t = strncmp(l->text, "> ", 2) == 0 ? l->text + 2 : l->text;
	if (out != NULL)
		snprintf(out, len, "%s", t);
	/* It was the newest line: the next one takes its id, so ids stay
	 * one apart (logview finds a line by id). */
	m->log_next_id = l->id;
	model_line_free(l);
	m->log_len--;
	m->echo_id = 0;
	return 1;
}

/*
 * A printed piece: on a line of its own, or after the last one when that
 * ended no line ("ok print more=1", what type prints).
 */
static void
model_print(struct model *m, const char *text, time_t now)
{
	struct model_line *l = NULL;
	size_t have, add = strlen(text);
	char *n;

	if (m->print_more && m->log_len > 0)
		l = &m->log[(m->log_start + m->log_len - 1) % m->log_cap];
	if (l != NULL && l->kind == MODEL_LINE_PRINT &&
	    (have = strlen(l->text)) + add < MODEL_PRINT_JOIN_MAX &&
	    (n = realloc(l->text, have + add + 1)) != NULL) {
		memcpy(n + have, text, add + 1);
		l->text = n;
		return;
	}
	model_line_add(m, MODEL_LINE_PRINT, 0, "", 0, now, text);
}

static void
model_line_free(struct model_line *l)
{
	free(l->text);
	l->text = NULL;
}

static struct model_client *
model_client_find(struct model *m, int cid)
{
	size_t i;

	for (i = 0; i < m->nclients; i++) {
		if (m->clients[i].cid == cid)
			return &m->clients[i];
	}
	return NULL;
}

static int
model_client_set(struct model *m, int cid, const char *name, time_t since)
{
	struct model_client *c, *n;

	if ((c = model_client_find(m, cid)) == NULL) {
		n = common_grow(
		    m->clients, &m->clients_cap, m->nclients + 1, sizeof *n);
		if (n == NULL)
			return -1;
		m->clients = n;
		c = &m->clients[m->nclients++];
		c->cid = cid;
		c->since = since;
	}
	snprintf(c->name, sizeof c->name, "%s", name);
	return 0;
}

static void
model_client_remove(struct model *m, int cid)
{
	struct model_client *c = model_client_find(m, cid);
	size_t i;

	if (c == NULL)
		return;
	i = (size_t)(c - m->clients);
	memmove(c, c + 1, (m->nclients - i - 1) * sizeof *c);
	m->nclients--;
}

static void
model_clients_clear(struct model *m)
{
	m->nclients = 0;
}

static void
model_pend_clear(struct model *m)
{
	size_t i;

	for (i = 0; i < m->npend; i++)
		free(m->pend[i].text);
	m->npend = 0;
}

/* A snapshot follows: the state it describes replaces ours. */
static int
model_snap_begin(struct model *m)
{
	size_t i;

	m->in_snap = 1;
	m->synced = 0;
	model_pend_clear(m);
	model_clients_clear(m);
	/* Titles outlive a resync: only what the snapshot leaves out goes. */
	for (i = 0; i < m->nprocs; i++)
		m->procs[i].seen = 0;
	return MODEL_CHG_STATUS;
}

/*
 * One server line.  Returns MODEL_CHG_* flags; MODEL_GAP asks the caller to
 * fetch a fresh snapshot (reconnect), MODEL_HELLO_ERR that the server
 * refused us, MODEL_QUIT that it acknowledged our quit.
 */
int
model_feed(struct model *m, const struct proto_msg *msg, time_t now)
{
	switch (msg->type) {
	case PROTO_MSG_OK:
		return model_on_ok(m, msg, now);
	case PROTO_MSG_ERR:
		return model_on_err(m, msg, now);
	case PROTO_MSG_EVT:
		return model_on_evt(m, msg, now);
	case PROTO_MSG_SNAP:
		return model_on_snap(m, msg, now);
	}
	return 0;
}

static int
model_on_ok(struct model *m, const struct proto_msg *msg, time_t now)
{
	char text[MODEL_TEXT_MAX], name[PROTO_NAME_MAX * 4 + 1];
	const char *v, *given;
	long long n;
	int flags = MODEL_CHG_LOG;

	if (strcmp(msg->word, "hello") == 0) {
		if (!m->hello_wait)
			return 0;
		if (proto_msg_get_int(msg, "cid", 1, INT32_MAX, &n) != 0)
			return MODEL_PROTO_ERR;
		m->my_cid = (int)n;
		v = proto_msg_get(msg, "name");
		snprintf(m->my_name, sizeof m->my_name, "%s", v ? v : "");
		v = proto_msg_get(msg, "mode");
		m->turns_mode = v != NULL && strcmp(v, "turns") == 0;
		m->hello_wait = 0;
		model_esc(name, sizeof name, m->my_name);
		given = proto_msg_get(msg, "given");
		if (given != NULL && *given != '\0' &&
		    strcmp(given, m->my_name) != 0) {
			model_esc(text, sizeof text, given);
			model_log(m, MODEL_LINE_INFO, now,
			    "signed in as %s (cid %d; %s was taken)", name,
			    m->my_cid, text);
		} else {
			model_log(m, MODEL_LINE_INFO, now,
			    "signed in as %s (cid %d)", name, m->my_cid);
		}
		return flags | MODEL_CHG_STATUS | model_snap_begin(m);
	}
	if (m->hello_wait)
		return 0;
	if (strcmp(msg->word, "name") == 0 &&
	    (v = proto_msg_get(msg, "name")) != NULL) {
		snprintf(m->my_name, sizeof m->my_name, "%s", v);
		flags |= MODEL_CHG_STATUS;
	} else if (strcmp(msg->word, "getcid") == 0 &&
		   proto_msg_get_int(msg, "cid", 1, INT32_MAX, &n) == 0) {
		m->my_cid = (int)n;
		flags |= MODEL_CHG_STATUS;
	} else if (strcmp(msg->word, "quit") == 0) {
		flags |= MODEL_QUIT;
	} else if (strcmp(msg->word, "print") == 0) {
		/* What my Logo printed: its text alone, apart from chat. */
		v = proto_msg_get(msg, "text");
		model_esc(text, sizeof text, v != NULL ? v : "");
		model_print(m, text, now);
		m->print_more = proto_msg_get(msg, "more") != NULL;
		if (v != NULL)
			model_proc_title(m, v);
		return flags;
	} else if (strcmp(msg->word, "logo") == 0) {
		/* A Logo line's end: a prompt to change, nothing to say. */
		v = proto_msg_get(msg, "more");
		m->logo_more = v == NULL ? 0 : strcmp(v, "define") == 0 ? 1 : 2;
		m->print_more = 0;
		return MODEL_CHG_STATUS;
	}
	/* An action's reply says what its event said: only the event
	 * stays.  List items come before their final line. */
	if (!model_is_item(msg->word))
		model_take_echo(m, NULL, 0);
	if (model_is_action(msg->word))
		return flags;
	model_reply_text(msg, text, sizeof text);
	model_line_add(m, MODEL_LINE_REPLY, 0, "", 0, now, text);
	return flags;
}

static int
model_is_item(const char *w)
{
	size_t n = strlen(w);

	return n > 5 && strcmp(w + n - 5, "-item") == 0;
}

/* Replies whose event (my move, my words, my rename...) says it all. */
static int
model_is_action(const char *w)
{
	char word[PROTO_WORD_MAX + 2];

	snprintf(word, sizeof word, " %s ", w);
	return strstr(" run say pen color home clear name pass ", word) != NULL;
}

static int
model_on_err(struct model *m, const struct proto_msg *msg, time_t now)
{
	char text[MODEL_TEXT_MAX], msgesc[PROTO_WHY_MAX * 4 + 1];
	char rest[MODEL_TEXT_MAX], word[PROTO_WORD_MAX * 4];
	char cmd[MODEL_TEXT_MAX], both[MODEL_TEXT_MAX * 2 + 3];
	const char *why = proto_msg_get(msg, "msg"), *kind;
	int flags = MODEL_CHG_LOG;

	model_esc(word, sizeof word, msg->word);
	model_esc(msgesc, sizeof msgesc, why != NULL ? why : "");
	model_fields(
	    msg, 0, rest, sizeof rest, (const char *const[]){"msg", NULL});
	/* A Logo line's error (it has a kind=) reads as UCBLogo's, its
	 * message whole (it says where); the fields are for programs. */
	kind = proto_msg_get(msg, "kind");
	if (kind != NULL && *msgesc != '\0' &&
	    (strcmp(msg->word, "logo") == 0 ||
		strcmp(msg->word, "limit") == 0 ||
		strcmp(msg->word, "out-of-bounds") == 0)) {
		model_fmt(text, sizeof text, "logo: %s", msgesc);
		m->logo_more = 0; /* nothing of the line is kept */
		flags |= MODEL_CHG_STATUS;
	} else
		model_fmt(text, sizeof text, "%s%s%s%s", word,
		    *msgesc ? ": " : "", msgesc, rest);
	/* The echo gives way, and the error says what it answers. */
	if (model_take_echo(m, cmd, sizeof cmd)) {
		snprintf(both, sizeof both, "%s: %s", cmd, text);
		model_line_add(m, MODEL_LINE_ERROR, 0, "", 0, now, both);
	} else
		model_line_add(m, MODEL_LINE_ERROR, 0, "", 0, now, text);
	m->print_more = 0;
	if (m->hello_wait) {
		m->hello_wait = 0;
		flags |= MODEL_HELLO_ERR;
		m->hello_err = proto_err_from_word(msg->word);
	}
	return flags;
}

static int
model_on_evt(struct model *m, const struct proto_msg *msg, time_t now)
{
	char word[PROTO_WORD_MAX * 4], rest[MODEL_TEXT_MAX];
	struct proto_event ev;
	int flags;

	/* My own join comes before "ok hello"; the snapshot has it. */
	if (m->hello_wait)
		return 0;
	if (strcmp(msg->word, "path") == 0) {
		/* Drawing only: the line's "turtle" event says who drew. */
		flags = model_seq(m, msg, now);
		if (world_apply_path(&m->world, msg) != 0) {
			model_log(m, MODEL_LINE_ERROR, now,
			    "the server sent a path this client cannot read");
			return flags | MODEL_CHG_LOG;
		}
		return flags | MODEL_CHG_GRID;
	}
	if (proto_event_from_msg(msg, &ev) != 0) {
		/*
		 * Its number still counts (a newer server's kind of event
		 * must not look like a gap), and what it said is shown
		 * escaped, for whoever has to find out why.
		 */
		flags = model_seq(m, msg, now);
		model_esc(word, sizeof word, msg->word);
		model_fields(msg, 0, rest, sizeof rest, NULL);
		model_log(m, MODEL_LINE_ERROR, now,
		    "the server sent an event this client does not "
		    "understand: %s%s",
		    word, rest);
		return flags | MODEL_CHG_LOG;
	}
	if (ev.kind == PROTO_EVT_RESYNC) {
		model_log(m, MODEL_LINE_INFO, now,
		    "this client fell behind; %llu events were dropped, "
		    "re-syncing",
		    (unsigned long long)ev.dropped);
		return MODEL_CHG_LOG | model_snap_begin(m);
	}
	flags = model_seq(m, msg, now);
	return flags | model_apply_event(m, &ev, now) |
	       model_log_event(m, &ev, msg->seq, now);
}

/* An event's SEQ: the one after the last, or events were lost. */
static int
model_seq(struct model *m, const struct proto_msg *msg, time_t now)
{
	int flags = 0;

	if (m->synced && msg->seq != m->seq + 1) {
		model_log(m, MODEL_LINE_ERROR, now,
		    "missed events (expected %llu, got %llu); re-syncing",
		    (unsigned long long)(m->seq + 1),
		    (unsigned long long)msg->seq);
		flags |= MODEL_GAP | MODEL_CHG_LOG;
		m->synced = 0;
	}
	if (msg->seq > m->seq)
		m->seq = msg->seq;
	return flags;
}

static int
model_apply_event(struct model *m, const struct proto_event *ev, time_t now)
{
	switch (ev->kind) {
	case PROTO_EVT_MOVE:
	case PROTO_EVT_PEN:
	case PROTO_EVT_COLOR:
	case PROTO_EVT_HOME:
	case PROTO_EVT_CLEAR:
	case PROTO_EVT_TURTLE:
		world_apply_event(&m->world, ev);
		return MODEL_CHG_GRID | MODEL_CHG_STATUS;
	case PROTO_EVT_DEFINE:
		model_proc_defined(m, ev);
		return 0;
	case PROTO_EVT_ERASE: {
		size_t i;

		for (i = 0; i < m->nprocs; i++) {
			if (strcasecmp(m->procs[i].name, ev->proc) == 0) {
				model_proc_remove(m, i);
				break;
			}
		}
		return 0;
	}
	case PROTO_EVT_JOIN:
		model_client_set(m, ev->cid, ev->name, now);
		return MODEL_CHG_STATUS;
	case PROTO_EVT_LEAVE:
		model_client_remove(m, ev->cid);
		return MODEL_CHG_STATUS;
	case PROTO_EVT_RENAME:
		if (model_client_find(m, ev->cid) != NULL)
			model_client_set(m, ev->cid, ev->name, now);
		if (ev->cid == m->my_cid)
			snprintf(m->my_name, sizeof m->my_name, "%s", ev->name);
		return MODEL_CHG_STATUS;
	case PROTO_EVT_TURN:
		m->turn_cid = ev->cid;
		return MODEL_CHG_STATUS;
	case PROTO_EVT_SAY:
	case PROTO_EVT_RESYNC:
	case PROTO_EVT_SHUTDOWN:
	case PROTO_EVT__COUNT:
		break;
	}
	return 0;
}

static int
model_log_event(
    struct model *m, const struct proto_event *ev, uint64_t seq, time_t now)
{
	char text[MODEL_TEXT_MAX], name[PROTO_NAME_MAX * 4 + 1];

	logfmt_event(text, sizeof text, ev);
	proto_text_escape(name, sizeof name, ev->name, strlen(ev->name));
	if (m->my_cid != 0 && ev->cid == m->my_cid)
		model_take_echo(m, NULL, 0);
	model_line_add(m, MODEL_LINE_EVENT, ev->cid, name, seq, now, text);
	return MODEL_CHG_LOG;
}

static int
model_on_snap(struct model *m, const struct proto_msg *msg, time_t now)
{
	struct proto_event ev;
	struct model_pend *p;
	long long cid, since, n;
	const char *v, *name;
	size_t i;
	uint64_t seq;
	int flags = MODEL_CHG_GRID | MODEL_CHG_STATUS;

	if (!m->in_snap)
		return 0;
	if (strcmp(msg->word, "world") == 0) {
		if (world_apply_snap(&m->world, msg) != 0)
			return MODEL_PROTO_ERR;
		m->have_world = 1;
		return flags;
	}
	if (strcmp(msg->word, "path") == 0) {
		if (world_apply_snap(&m->world, msg) != 0)
			return MODEL_PROTO_ERR;
		return flags;
	}
	if (strcmp(msg->word, "proc") == 0) {
		struct model_proc *pr;

		v = proto_msg_get(msg, "name");
		if (v != NULL && *v != '\0' && strlen(v) <= PROTO_PROC_MAX &&
		    (pr = model_proc_add(m, v)) != NULL)
			pr->seen = 1;
		return 0;
	}
	if (strcmp(msg->word, "client") == 0) {
		name = proto_msg_get(msg, "name");
		if (proto_msg_get_int(msg, "cid", 1, INT32_MAX, &cid) != 0 ||
		    name == NULL)
			return MODEL_PROTO_ERR;
		if (proto_msg_get_int(msg, "since", 0, INT64_MAX, &since) != 0)
			since = now;
		model_client_set(m, (int)cid, name, (time_t)since);
		return MODEL_CHG_STATUS;
	}
	if (strcmp(msg->word, "log") == 0) {
		v = proto_msg_get(msg, "seq");
		if (v == NULL || proto_event_from_msg(msg, &ev) != 0)
			return 0;
		seq = strtoull(v, NULL, 10);
		p = common_grow(m->pend, &m->pend_cap, m->npend + 1, sizeof *p);
		if (p == NULL)
			return 0;
		m->pend = p;
		p = &m->pend[m->npend];
		p->seq = seq;
		/* The server's time for the event; an older server sends
		 * none, and arrival is the best guess. */
		if (proto_msg_get_int(msg, "time", 0, INT64_MAX, &n) == 0)
			p->t = (time_t)n;
		else
			p->t = now;
		p->cid = ev.cid;
		proto_text_escape(
		    p->name, sizeof p->name, ev.name, strlen(ev.name));
		{
			char text[MODEL_TEXT_MAX];

			logfmt_event(text, sizeof text, &ev);
			if ((p->text = strdup(text)) == NULL)
				return 0;
		}
		m->npend++;
		return 0;
	}
	if (strcmp(msg->word, "end") == 0) {
		v = proto_msg_get(msg, "seq");
		seq = v != NULL ? strtoull(v, NULL, 10) : 0;
		/*
		 * Lines I have already shown are skipped, unless the counter
		 * went back: then it is a new server and all of it is news.
		 */
		for (i = 0; i < m->npend; i++) {
			p = &m->pend[i];
			if (seq < m->seq || p->seq > m->seq)
				model_line_add(m, MODEL_LINE_EVENT, p->cid,
				    p->name, p->seq, p->t, p->text);
		}
		if (m->npend > 0)
			flags |= MODEL_CHG_LOG;
		model_pend_clear(m);
		for (i = m->nprocs; i-- > 0;) {
			if (!m->procs[i].seen)
				model_proc_remove(m, i);
		}
		m->seq = seq;
		v = proto_msg_get(msg, "mode");
		m->turns_mode = v != NULL && strcmp(v, "turns") == 0;
		if (proto_msg_get_int(msg, "turn", 0, INT32_MAX, &n) == 0)
			m->turn_cid = (int)n;
		m->in_snap = 0;
		m->synced = 1;
		return flags | MODEL_SYNCED;
	}
	return 0;
}

/* The fields of msg from index first on, as " key=value", escaped. */
static void
model_fields(const struct proto_msg *msg, size_t first, char *out, size_t len,
    const char *const *skip)
{
	char val[MODEL_TEXT_MAX];
	size_t i, j, used = 0;
	int n;

	out[0] = '\0';
	for (i = first; i < msg->nfields; i++) {
		for (j = 0; skip != NULL && skip[j] != NULL; j++) {
			if (strcmp(skip[j], msg->f[i].key) == 0)
				break;
		}
		if (skip != NULL && skip[j] != NULL)
			continue;
		model_esc(val, sizeof val, msg->f[i].val);
		n = snprintf(
		    out + used, len - used, " %s=%s", msg->f[i].key, val);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

/* The reply to one of my commands as a person reads it. */
static void
model_reply_text(const struct proto_msg *msg, char *out, size_t len)
{
	char a[MODEL_TEXT_MAX], b[MODEL_TEXT_MAX], c[MODEL_TEXT_MAX];
	const char *w = msg->word, *x, *y;
	long long n;

	x = proto_msg_get(msg, "x");
	y = proto_msg_get(msg, "y");
	if ((strcmp(w, "run") == 0 || strcmp(w, "home") == 0) && x != NULL &&
	    y != NULL) {
		model_esc(a, sizeof a, x);
		model_esc(b, sizeof b, y);
		model_fmt(out, len, "the turtle is at <%s:%s>", a, b);
	} else if (strcmp(w, "where") == 0 && x != NULL && y != NULL) {
		model_esc(a, sizeof a, x);
		model_esc(b, sizeof b, y);
		x = proto_msg_get(msg, "heading");
		model_esc(c, sizeof c, x != NULL ? x : "?");
		x = proto_msg_get(msg, "pen");
		y = proto_msg_get(msg, "color");
		model_fmt(out, len,
		    "the turtle is at <%s:%s>, heading %s, pen %s, %s", a, b, c,
		    x != NULL && strcmp(x, "up") == 0 ? "up" : "down",
		    y != NULL && proto_color_from_name(y) >= 0 ? y : "?");
	} else if (strcmp(w, "getcid") == 0 &&
		   proto_msg_get_int(msg, "cid", 0, INT32_MAX, &n) == 0)
		model_fmt(out, len, "your cid is %lld", n);
	else if (strcmp(w, "who") == 0 &&
		 proto_msg_get_int(msg, "count", 0, INT32_MAX, &n) == 0)
		model_fmt(out, len, "%lld connected", n);
	else if (strcmp(w, "help") == 0 &&
		 proto_msg_get_int(msg, "count", 0, INT32_MAX, &n) == 0)
		model_fmt(out, len, "%lld commands", n);
	else if (strcmp(w, "who-item") == 0) {
		model_esc(
		    a, sizeof a, (x = proto_msg_get(msg, "name")) ? x : "");
		model_esc(
		    b, sizeof b, (x = proto_msg_get(msg, "cid")) ? x : "");
		model_esc(
		    c, sizeof c, (x = proto_msg_get(msg, "idle")) ? x : "");
		model_fmt(out, len, "  %s %s (idle %ss)", b, a, c);
	} else if (strcmp(w, "help-item") == 0) {
		model_esc(
		    a, sizeof a, (x = proto_msg_get(msg, "cmd")) ? x : "");
		model_esc(
		    b, sizeof b, (x = proto_msg_get(msg, "args")) ? x : "");
		model_esc(
		    c, sizeof c, (x = proto_msg_get(msg, "text")) ? x : "");
		model_fmt(out, len, "  %s%s%s - %s", a, *b ? " " : "", b, c);
	} else {
		/* stats and what this client does not know: word, then its
		 * fields as "key value". */
		model_esc(a, sizeof a, w);
		model_fields(msg, 0, b, sizeof b, NULL);
		for (x = b; (x = strchr(x, '=')) != NULL;)
			*(char *)x = ' ';
		model_fmt(out, len, "%s%s%s", a, *b ? ":" : "", b);
	}
}

/* Truncation only shortens a line meant for eyes, which is fine. */
static void
model_fmt(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(out, len, fmt, ap) < 0)
		out[0] = '\0';
	va_end(ap);
}

static void
model_esc(char *out, size_t len, const char *s)
{
	proto_text_escape(out, len, s, strlen(s));
}
