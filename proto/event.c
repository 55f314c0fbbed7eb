/*
 * event.c - the events the server broadcasts, as data and as lines.
 *
 * One function lists the fields of each kind, used for both "evt SEQ KIND"
 * and "snap log seq=SEQ kind=KIND" lines, so the two stay the same.
 */
#include <string.h>

#include "internal.h"

static const char *const event_words[PROTO_EVT__COUNT] = {
    [PROTO_EVT_MOVE] = "move",
    [PROTO_EVT_SAY] = "say",
    [PROTO_EVT_PEN] = "pen",
    [PROTO_EVT_COLOR] = "color",
    [PROTO_EVT_HOME] = "home",
    [PROTO_EVT_CLEAR] = "clear",
    [PROTO_EVT_JOIN] = "join",
    [PROTO_EVT_LEAVE] = "leave",
    [PROTO_EVT_RENAME] = "rename",
    [PROTO_EVT_TURN] = "turn",
    [PROTO_EVT_RESYNC] = "resync",
    [PROTO_EVT_SHUTDOWN] = "shutdown",
    [PROTO_EVT_TURTLE] = "turtle",
    [PROTO_EVT_DEFINE] = "define",
    [PROTO_EVT_ERASE] = "erase",
};

static void event_fields(struct proto_buf *, const struct proto_event *);
static int event_get_coord(const struct proto_msg *, const char *, double *);
static int event_get_proc(const struct proto_msg *, char *);
static int event_get_name(const struct proto_msg *, const char *, char *, int);
static int event_get_text(const struct proto_msg *, const char *, char *);
static int event_get_pen(const struct proto_msg *, int *);

const char *
proto_evt_word(enum proto_evt_kind kind)
{
	if ((unsigned)kind >= PROTO_EVT__COUNT)
		return NULL;
	return event_words[kind];
}

int
proto_evt_from_word(const char *word)
{
	int i;

	if (word == NULL)
		return -1;
	for (i = 0; i < PROTO_EVT__COUNT; i++) {
		if (strcmp(event_words[i], word) == 0)
			return i;
	}
	return -1;
}

/*
 * A resync is about one client's stream and a shutdown ends every
 * session: neither means anything to someone joining later.
 */
int
proto_evt_loggable(enum proto_evt_kind kind)
{
	return (unsigned)kind < PROTO_EVT__COUNT && kind != PROTO_EVT_RESYNC &&
	       kind != PROTO_EVT_SHUTDOWN;
}

static void
event_fields(struct proto_buf *b, const struct proto_event *ev)
{
	switch (ev->kind) {
	case PROTO_EVT_RESYNC:
		proto_fmt_uint(b, "dropped", ev->dropped);
		return;
	case PROTO_EVT_SHUTDOWN:
		proto_fmt_str(b, "reason", ev->text);
		return;
	default:
		break;
	}
	proto_fmt_int(b, "cid", ev->cid);
	proto_fmt_str(b, "name", ev->name);
	switch (ev->kind) {
	case PROTO_EVT_MOVE:
		proto_fmt_num(b, "x0", ev->x0);
		proto_fmt_num(b, "y0", ev->y0);
		proto_fmt_num(b, "x", ev->x);
		proto_fmt_num(b, "y", ev->y);
		proto_fmt_str(b, "pen", ev->pen_down ? "down" : "up");
		proto_fmt_str(b, "color", proto_color_name(ev->color));
		break;
	case PROTO_EVT_TURTLE:
		proto_fmt_num(b, "x", ev->x);
		proto_fmt_num(b, "y", ev->y);
		proto_fmt_num(b, "heading", ev->heading);
		proto_fmt_str(b, "pen", ev->pen_down ? "down" : "up");
		proto_fmt_str(b, "color", proto_color_name(ev->color));
		proto_fmt_int(b, "pc", ev->pc);
		proto_fmt_uint(b, "segs", ev->segs);
		proto_fmt_int(b, "cleared", ev->cleared);
		break;
	case PROTO_EVT_DEFINE:
	case PROTO_EVT_ERASE:
		proto_fmt_str(b, "proc", ev->proc);
		break;
	case PROTO_EVT_SAY:
		proto_fmt_str(b, "text", ev->text);
		break;
	case PROTO_EVT_PEN:
		proto_fmt_str(b, "pen", ev->pen_down ? "down" : "up");
		break;
	case PROTO_EVT_COLOR:
		proto_fmt_str(b, "color", proto_color_name(ev->color));
		break;
	case PROTO_EVT_HOME:
		proto_fmt_num(b, "x", ev->x);
		proto_fmt_num(b, "y", ev->y);
		break;
	case PROTO_EVT_LEAVE:
		proto_fmt_str(b, "reason", ev->text);
		break;
	case PROTO_EVT_RENAME:
		proto_fmt_str(b, "old", ev->old);
		break;
	default:
		break;
	}
}

int
proto_event_format(
    struct proto_buf *b, uint64_t seq, const struct proto_event *ev)
{
	const char *word = proto_evt_word(ev->kind);

	if (word == NULL)
		return -1;
	proto_fmt_evt(b, seq, word);
	event_fields(b, ev);
	return proto_fmt_end(b);
}

int
proto_event_format_snap(struct proto_buf *b, uint64_t seq, int64_t time,
    const struct proto_event *ev)
{
	const char *word = proto_evt_word(ev->kind);

	if (word == NULL)
		return -1;
	proto_fmt_snap(b, "log");
	proto_fmt_uint(b, "seq", seq);
	proto_fmt_int(b, "time", time);
	proto_fmt_str(b, "kind", word);
	event_fields(b, ev);
	return proto_fmt_end(b);
}

static int
event_get_coord(const struct proto_msg *m, const char *key, double *out)
{
	return proto_msg_get_num(
	    m, key, -PROTO_COORD_MAX, PROTO_COORD_MAX, out);
}

/* A procedure's name as Logo spells them: printable, no blank. */
static int
event_get_proc(const struct proto_msg *m, char *out)
{
	const char *v = proto_msg_get(m, "proc");
	size_t n, i;

	if (v == NULL)
		return -1;
	n = strlen(v);
	if (n == 0 || n > PROTO_PROC_MAX || text_readable(v, n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i] == ' ')
			return -1;
	}
	memcpy(out, v, n + 1);
	return 0;
}

/* A client name; "" only where allowed (the turn nobody holds). */
static int
event_get_name(
    const struct proto_msg *m, const char *key, char *out, int empty_ok)
{
	const char *v = proto_msg_get(m, key);
	size_t n;

	if (v == NULL)
		return -1;
	n = strlen(v);
	if (!(n == 0 && empty_ok) && proto_name_valid(v, n) != 0)
		return -1;
	memcpy(out, v, n + 1);
	return 0;
}

static int
event_get_text(const struct proto_msg *m, const char *key, char *out)
{
	const char *v = proto_msg_get(m, key);
	size_t n;

	if (v == NULL)
		return -1;
	n = strlen(v);
	if (n > PROTO_TEXT_MAX || text_readable(v, n) != 0)
		return -1;
	memcpy(out, v, n + 1);
	return 0;
}

static int
event_get_pen(const struct proto_msg *m, int *pen_down)
{
	const char *v = proto_msg_get(m, "pen");

	if (v == NULL)
		return -1;
	if (strcmp(v, "down") == 0)
		*pen_down = 1;
	else if (strcmp(v, "up") == 0)
		*pen_down = 0;
	else
		return -1;
	return 0;
}

int
proto_event_from_msg(const struct proto_msg *m, struct proto_event *ev)
{
	const char *v;
	long long n;
	uint64_t u;
	int kind;

	memset(ev, 0, sizeof *ev);
	if (m->type == PROTO_MSG_EVT)
		kind = proto_evt_from_word(m->word);
	else if (m->type == PROTO_MSG_SNAP && strcmp(m->word, "log") == 0)
		kind = proto_evt_from_word(proto_msg_get(m, "kind"));
	else
		return -1;
	if (kind < 0)
		return -1;
	ev->kind = (enum proto_evt_kind)kind;

	switch (ev->kind) {
	case PROTO_EVT_RESYNC:
		v = proto_msg_get(m, "dropped");
		if (v == NULL ||
		    number_parse_u64(v, strlen(v), &u) != NUMBER_OK)
			return -1;
		ev->dropped = u;
		return 0;
	case PROTO_EVT_SHUTDOWN:
		return event_get_text(m, "reason", ev->text);
	default:
		break;
	}

	if (proto_msg_get_int(m, "cid", 0, INT32_MAX, &n) != 0)
		return -1;
	ev->cid = (int)n;
	if (event_get_name(m, "name", ev->name,
		ev->kind == PROTO_EVT_TURN && ev->cid == 0) != 0)
		return -1;

	switch (ev->kind) {
	case PROTO_EVT_MOVE:
		if (event_get_coord(m, "x0", &ev->x0) != 0 ||
		    event_get_coord(m, "y0", &ev->y0) != 0 ||
		    event_get_coord(m, "x", &ev->x) != 0 ||
		    event_get_coord(m, "y", &ev->y) != 0 ||
		    event_get_pen(m, &ev->pen_down) != 0)
			return -1;
		ev->color = proto_color_from_name(proto_msg_get(m, "color"));
		return ev->color < 0 ? -1 : 0;
	case PROTO_EVT_HOME:
		if (event_get_coord(m, "x", &ev->x) != 0 ||
		    event_get_coord(m, "y", &ev->y) != 0)
			return -1;
		return 0;
	case PROTO_EVT_TURTLE:
		if (event_get_coord(m, "x", &ev->x) != 0 ||
		    event_get_coord(m, "y", &ev->y) != 0 ||
		    proto_msg_get_num(m, "heading", 0, 360, &ev->heading) !=
			0 ||
		    event_get_pen(m, &ev->pen_down) != 0 ||
		    proto_msg_get_int(m, "pc", 0, 15, &n) != 0)
			return -1;
		ev->pc = (int)n;
		if (proto_msg_get_int(m, "cleared", 0, 1, &n) != 0)
			return -1;
		ev->cleared = (int)n;
		v = proto_msg_get(m, "segs");
		if (v == NULL ||
		    number_parse_u64(v, strlen(v), &u) != NUMBER_OK)
			return -1;
		ev->segs = u;
		ev->color = proto_color_from_name(proto_msg_get(m, "color"));
		return ev->color < 0 ? -1 : 0;
	case PROTO_EVT_DEFINE:
	case PROTO_EVT_ERASE:
		return event_get_proc(m, ev->proc);
	case PROTO_EVT_PEN:
		return event_get_pen(m, &ev->pen_down);
	case PROTO_EVT_COLOR:
		ev->color = proto_color_from_name(proto_msg_get(m, "color"));
		return ev->color < 0 ? -1 : 0;
	case PROTO_EVT_SAY:
		return event_get_text(m, "text", ev->text);
	case PROTO_EVT_LEAVE:
		return event_get_text(m, "reason", ev->text);
	case PROTO_EVT_RENAME:
		return event_get_name(m, "old", ev->old, 0);
	default:
		return 0;
	}
}
