/*
 * world.c - the one turtle: position, heading, pen, colour and trail.
 *
 * world_apply() is the master's pure state change; world_apply_event() and
 * world_apply_snap() let a client mirror the same state from the lines it
 * receives, so both sides run the same code.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A world needs no more memory than this, whatever the options say. */
#define WORLD_TRAIL_LIMIT (1u << 22)

static const char *const world_headings[] = {
    [WORLD_NORTH] = "north",
    [WORLD_EAST] = "east",
    [WORLD_SOUTH] = "south",
    [WORLD_WEST] = "west",
};

static int world_heading_of(int32_t, int32_t, int);
static void world_append(
    struct world *, int32_t, int32_t, int32_t, int32_t, int);
static void world_clear(struct world *);
static int world_get_coord(
    const struct proto_msg *, const char *, int32_t, int32_t *);

const char *
world_heading_name(int heading)
{
	if (heading < WORLD_NORTH || heading > WORLD_WEST)
		return world_headings[WORLD_NORTH];
	return world_headings[heading];
}

int
world_heading_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = WORLD_NORTH; i <= WORLD_WEST; i++) {
		if (strcmp(world_headings[i], name) == 0)
			return i;
	}
	return -1;
}

int
world_init(struct world *w, int32_t half_w, int32_t half_h, size_t trail_cap)
{
	memset(w, 0, sizeof *w);
	if (half_w < 0 || half_w > PROTO_COORD_MAX || half_h < 0 ||
	    half_h > PROTO_COORD_MAX)
		return -1;
	if (trail_cap == 0 || trail_cap > WORLD_TRAIL_LIMIT)
		return -1;
	w->trail = calloc(trail_cap, sizeof *w->trail);
	if (w->trail == NULL)
		return -1;
	w->trail_cap = trail_cap;
	w->half_w = half_w;
	w->half_h = half_h;
	w->heading = WORLD_NORTH;
	w->pen_down = 1;
	w->color = PROTO_COLOR_DEFAULT;
	return 0;
}

void
world_free(struct world *w)
{
	free(w->trail);
	memset(w, 0, sizeof *w);
}

const struct world_seg *
world_seg_at(const struct world *w, size_t i)
{
	if (i >= w->trail_len)
		return NULL;
	return &w->trail[(w->trail_start + i) % w->trail_cap];
}

/* The dominant axis of the move; ties go east/west, no move keeps it. */
static int
world_heading_of(int32_t dx, int32_t dy, int heading)
{
	int64_t ax = dx < 0 ? -(int64_t)dx : dx;
	int64_t ay = dy < 0 ? -(int64_t)dy : dy;

	if (dx == 0 && dy == 0)
		return heading;
	if (ax >= ay)
		return dx > 0 ? WORLD_EAST : WORLD_WEST;
	return dy > 0 ? WORLD_NORTH : WORLD_SOUTH;
}

/* A full ring forgets its oldest segment; the count says how many. */
static void
world_append(
    struct world *w, int32_t x0, int32_t y0, int32_t x1, int32_t y1, int color)
{
	struct world_seg *s;

	if (w->trail_cap == 0)
		return;
	if (w->trail_len < w->trail_cap) {
		s = &w->trail[(w->trail_start + w->trail_len) % w->trail_cap];
		w->trail_len++;
	} else {
		s = &w->trail[w->trail_start];
		w->trail_start = (w->trail_start + 1) % w->trail_cap;
		w->trail_dropped++;
	}
	s->x0 = x0;
	s->y0 = y0;
	s->x1 = x1;
	s->y1 = y1;
	s->color = (uint8_t)(color >= 0 && color < PROTO_COLOR__COUNT
				 ? color
				 : PROTO_COLOR_DEFAULT);
}

static void
world_clear(struct world *w)
{
	w->trail_start = 0;
	w->trail_len = 0;
}

enum proto_err
world_apply(struct world *w, const struct proto_cmd *cmd,
    struct proto_event *ev, char *why, size_t whylen)
{
	int cid = ev->cid;
	char name[sizeof ev->name];
	int64_t nx, ny;

	/* cid and name belong to the caller, whether set before or after. */
	memcpy(name, ev->name, sizeof name);
	memset(ev, 0, sizeof *ev);
	ev->cid = cid;
	memcpy(ev->name, name, sizeof name);
	parse_why(why, whylen, "%s", "");

	switch (cmd->type) {
	case PROTO_CMD_RUN:
		nx = (int64_t)w->x + cmd->dx;
		ny = (int64_t)w->y + cmd->dy;
		if (nx < -w->half_w || nx > w->half_w || ny < -w->half_h ||
		    ny > w->half_h) {
			parse_why(why, whylen,
			    "the move to <%lld:%lld> would leave the world "
			    "(x from -%d to %d, y from -%d to %d)",
			    (long long)nx, (long long)ny, (int)w->half_w,
			    (int)w->half_w, (int)w->half_h, (int)w->half_h);
			return PROTO_ERR_OUT_OF_BOUNDS;
		}
		ev->kind = PROTO_EVT_MOVE;
		ev->x0 = w->x;
		ev->y0 = w->y;
		ev->x = (int32_t)nx;
		ev->y = (int32_t)ny;
		ev->pen_down = w->pen_down;
		ev->color = w->color;
		world_apply_event(w, ev);
		return PROTO_OK;
	case PROTO_CMD_PEN:
		ev->kind = PROTO_EVT_PEN;
		ev->pen_down = cmd->pen_down ? 1 : 0;
		break;
	case PROTO_CMD_COLOR:
		if (cmd->color < 0 || cmd->color >= PROTO_COLOR__COUNT) {
			parse_why(
			    why, whylen, "there is no colour %d", cmd->color);
			return PROTO_ERR_USAGE;
		}
		ev->kind = PROTO_EVT_COLOR;
		ev->color = cmd->color;
		break;
	case PROTO_CMD_HOME:
		ev->kind = PROTO_EVT_HOME;
		ev->x0 = w->x;
		ev->y0 = w->y;
		ev->x = 0;
		ev->y = 0;
		break;
	case PROTO_CMD_CLEAR:
		ev->kind = PROTO_EVT_CLEAR;
		break;
	case PROTO_CMD_SAY:
		ev->kind = PROTO_EVT_SAY;
		memcpy(ev->text, cmd->text, sizeof ev->text);
		ev->text[sizeof ev->text - 1] = '\0';
		return PROTO_OK;
	default:
		parse_why(why, whylen, "%s does not change the world",
		    proto_cmd_info(cmd->type) != NULL
			? proto_cmd_info(cmd->type)->name
			: "this command");
		return PROTO_ERR_USAGE;
	}
	world_apply_event(w, ev);
	return PROTO_OK;
}

void
world_apply_event(struct world *w, const struct proto_event *ev)
{
	switch (ev->kind) {
	case PROTO_EVT_MOVE:
		w->heading = world_heading_of(
		    ev->x - ev->x0, ev->y - ev->y0, w->heading);
		w->pen_down = ev->pen_down ? 1 : 0;
		if (ev->color >= 0 && ev->color < PROTO_COLOR__COUNT)
			w->color = ev->color;
		if (w->pen_down)
			world_append(w, ev->x0, ev->y0, ev->x, ev->y, w->color);
		w->x = ev->x;
		w->y = ev->y;
		break;
	case PROTO_EVT_PEN:
		w->pen_down = ev->pen_down ? 1 : 0;
		break;
	case PROTO_EVT_COLOR:
		if (ev->color >= 0 && ev->color < PROTO_COLOR__COUNT)
			w->color = ev->color;
		break;
	case PROTO_EVT_HOME:
		w->x = ev->x;
		w->y = ev->y;
		break;
	case PROTO_EVT_CLEAR:
		world_clear(w);
		break;
	default:
		break;
	}
}

int
world_snapshot(const struct world *w,
    int (*emit)(const char *line, size_t len, void *arg), void *arg)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;
	const struct world_seg *s;
	size_t i;

	proto_buf_init(&b, line, sizeof line);
	proto_fmt_snap(&b, "world");
	proto_fmt_int(&b, "half_w", w->half_w);
	proto_fmt_int(&b, "half_h", w->half_h);
	proto_fmt_int(&b, "x", w->x);
	proto_fmt_int(&b, "y", w->y);
	proto_fmt_str(&b, "heading", world_heading_name(w->heading));
	proto_fmt_str(&b, "pen", w->pen_down ? "down" : "up");
	proto_fmt_str(&b, "color", proto_color_name(w->color));
	proto_fmt_uint(&b, "segs", w->trail_len);
	proto_fmt_uint(&b, "dropped", w->trail_dropped);
	if (proto_fmt_end(&b) != 0 || emit(b.p, b.len, arg) != 0)
		return -1;
	for (i = 0; i < w->trail_len; i++) {
		s = world_seg_at(w, i);
		proto_buf_init(&b, line, sizeof line);
		proto_fmt_snap(&b, "seg");
		proto_fmt_int(&b, "x0", s->x0);
		proto_fmt_int(&b, "y0", s->y0);
		proto_fmt_int(&b, "x1", s->x1);
		proto_fmt_int(&b, "y1", s->y1);
		proto_fmt_str(&b, "color", proto_color_name(s->color));
		if (proto_fmt_end(&b) != 0 || emit(b.p, b.len, arg) != 0)
			return -1;
	}
	return 0;
}

static int
world_get_coord(
    const struct proto_msg *m, const char *key, int32_t max, int32_t *out)
{
	long long v;

	if (proto_msg_get_int(m, key, -(long long)max, max, &v) != 0)
		return -1;
	*out = (int32_t)v;
	return 0;
}

/*
 * "snap world" replaces the whole state (its segments follow as
 * "snap seg"); nothing changes unless every field is sound.
 */
int
world_apply_snap(struct world *w, const struct proto_msg *m)
{
	int32_t half_w, half_h, x, y, x0, y0, x1, y1;
	int heading, pen_down, color;
	const char *pen;
	long long dropped;

	if (m->type != PROTO_MSG_SNAP)
		return -1;
	if (strcmp(m->word, "seg") == 0) {
		if (world_get_coord(m, "x0", PROTO_COORD_MAX, &x0) != 0 ||
		    world_get_coord(m, "y0", PROTO_COORD_MAX, &y0) != 0 ||
		    world_get_coord(m, "x1", PROTO_COORD_MAX, &x1) != 0 ||
		    world_get_coord(m, "y1", PROTO_COORD_MAX, &y1) != 0)
			return -1;
		color = proto_color_from_name(proto_msg_get(m, "color"));
		if (color < 0)
			return -1;
		world_append(w, x0, y0, x1, y1, color);
		return 0;
	}
	if (strcmp(m->word, "world") != 0)
		return -1;
	if (proto_msg_get_int(m, "half_w", 0, PROTO_COORD_MAX, &dropped) != 0)
		return -1;
	half_w = (int32_t)dropped;
	if (proto_msg_get_int(m, "half_h", 0, PROTO_COORD_MAX, &dropped) != 0)
		return -1;
	half_h = (int32_t)dropped;
	if (world_get_coord(m, "x", half_w, &x) != 0 ||
	    world_get_coord(m, "y", half_h, &y) != 0)
		return -1;
	heading = world_heading_from_name(proto_msg_get(m, "heading"));
	color = proto_color_from_name(proto_msg_get(m, "color"));
	pen = proto_msg_get(m, "pen");
	if (heading < 0 || color < 0 || pen == NULL)
		return -1;
	if (strcmp(pen, "down") == 0)
		pen_down = 1;
	else if (strcmp(pen, "up") == 0)
		pen_down = 0;
	else
		return -1;
	if (proto_msg_get_int(m, "dropped", 0, INT64_MAX, &dropped) != 0)
		return -1;

	w->half_w = half_w;
	w->half_h = half_h;
	w->x = x;
	w->y = y;
	w->heading = heading;
	w->pen_down = pen_down;
	w->color = color;
	world_clear(w);
	w->trail_dropped = (uint64_t)dropped;
	return 0;
}
