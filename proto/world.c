/*
 * world.c - the one turtle: position, heading, pen, colour and trail.
 *
 * world_apply() is the master's pure state change for the v1 commands;
 * world_apply_event(), world_apply_path() and world_apply_snap() let a
 * client mirror the same state from the lines it receives, so both sides
 * run the same code.  Logo lines are evaluated elsewhere (logo/); their
 * results reach the world through world_add_seg() and the turtle fields.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Points in a path line: the rest of PROTO_OUT_MAX is its prefix. */
#define WORLD_PTS_MAX       1800
#define WORLD_POINT_MAX     32 /* "-1000000.0000,-1000000.0000;" and NUL */
#define WORLD_PATH_DECIMALS 4  /* floats hold no more at 100 */

static double world_heading_of(int32_t, int32_t, double);
static size_t world_point(char *, size_t, float, float);
static int world_get_point(const char **, const char *, double *, double *);

int
world_init(struct world *w, int32_t half_w, int32_t half_h, size_t trail_cap)
{
	memset(w, 0, sizeof *w);
	if (half_w < 0 || half_w > PROTO_COORD_MAX || half_h < 0 ||
	    half_h > PROTO_COORD_MAX)
		return -1;
	if (trail_cap == 0 || trail_cap > WORLD_TRAIL_LIMIT)
		return -1;
	/* calloc: the pages of an unused trail are never touched. */
	w->trail = calloc(trail_cap, sizeof *w->trail);
	if (w->trail == NULL)
		return -1;
	w->trail_cap = trail_cap;
	w->half_w = half_w;
	w->half_h = half_h;
	w->heading = 0;
	w->pen_down = 1;
	w->color = PROTO_COLOR_DEFAULT;
	w->pc = proto_color_to_logo(PROTO_COLOR_DEFAULT);
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

/* A v1 move faces its dominant axis, east or west on a tie, as before
 * headings were numbers; no move keeps the heading. */
static double
world_heading_of(int32_t dx, int32_t dy, double heading)
{
	int64_t ax = dx < 0 ? -(int64_t)dx : dx;
	int64_t ay = dy < 0 ? -(int64_t)dy : dy;

	if (dx == 0 && dy == 0)
		return heading;
	if (ax >= ay)
		return dx > 0 ? 90 : 270;
	return dy > 0 ? 0 : 180;
}

/* A full ring forgets its oldest segment; the count says how many. */
void
world_add_seg(struct world *w, double x0, double y0, double x1, double y1,
    int color, int cid)
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
	w->trail_added++;
	s->x0 = (float)x0;
	s->y0 = (float)y0;
	s->x1 = (float)x1;
	s->y1 = (float)y1;
	s->cid = cid;
	s->color = (uint8_t)(color >= 0 && color < PROTO_COLOR__COUNT
				 ? color
				 : PROTO_COLOR_DEFAULT);
}

void
world_clear_trail(struct world *w)
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
	double nx, ny;

	/* cid and name belong to the caller, whether set before or after. */
	memcpy(name, ev->name, sizeof name);
	memset(ev, 0, sizeof *ev);
	ev->cid = cid;
	memcpy(ev->name, name, sizeof name);
	parse_why(why, whylen, "%s", "");

	switch (cmd->type) {
	case PROTO_CMD_RUN:
		nx = w->x + cmd->dx;
		ny = w->y + cmd->dy;
		if (nx < -w->half_w || nx > w->half_w || ny < -w->half_h ||
		    ny > w->half_h) {
			char sx[PROTO_DECIMAL_LEN], sy[PROTO_DECIMAL_LEN];

			proto_decimal_format(sx, sizeof sx, nx, PROTO_DECIMALS);
			proto_decimal_format(sy, sizeof sy, ny, PROTO_DECIMALS);
			parse_why(why, whylen,
			    "the move to <%s:%s> would leave the world "
			    "(x from -%d to %d, y from -%d to %d)",
			    sx, sy, (int)w->half_w, (int)w->half_w,
			    (int)w->half_h, (int)w->half_h);
			return PROTO_ERR_OUT_OF_BOUNDS;
		}
		ev->kind = PROTO_EVT_MOVE;
		ev->x0 = w->x;
		ev->y0 = w->y;
		ev->x = nx;
		ev->y = ny;
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
		/* Moves are whole cells on the wire of a v1 run; a fraction
		 * (after Logo) keeps its heading rule on the rounded delta. */
		w->heading = world_heading_of((int32_t)lround(ev->x - ev->x0),
		    (int32_t)lround(ev->y - ev->y0), w->heading);
		w->pen_down = ev->pen_down ? 1 : 0;
		if (ev->color >= 0 && ev->color < PROTO_COLOR__COUNT) {
			w->color = ev->color;
			w->pc = proto_color_to_logo(ev->color);
		}
		if (w->pen_down)
			world_add_seg(
			    w, ev->x0, ev->y0, ev->x, ev->y, w->color, ev->cid);
		w->x = ev->x;
		w->y = ev->y;
		break;
	case PROTO_EVT_PEN:
		w->pen_down = ev->pen_down ? 1 : 0;
		break;
	case PROTO_EVT_COLOR:
		if (ev->color >= 0 && ev->color < PROTO_COLOR__COUNT) {
			w->color = ev->color;
			w->pc = proto_color_to_logo(ev->color);
		}
		break;
	case PROTO_EVT_HOME:
		w->x = ev->x;
		w->y = ev->y;
		break;
	case PROTO_EVT_CLEAR:
		world_clear_trail(w);
		break;
	case PROTO_EVT_TURTLE:
		w->x = ev->x;
		w->y = ev->y;
		w->heading = ev->heading;
		w->pen_down = ev->pen_down ? 1 : 0;
		if (ev->color >= 0 && ev->color < PROTO_COLOR__COUNT)
			w->color = ev->color;
		if (ev->pc >= 0 && ev->pc <= 15)
			w->pc = ev->pc;
		break;
	default:
		break;
	}
}

static size_t
world_point(char *out, size_t len, float x, float y)
{
	size_t n;

	n = proto_decimal_format(out, len, x, WORLD_PATH_DECIMALS);
	out[n++] = ',';
	n += proto_decimal_format(out + n, len - n, y, WORLD_PATH_DECIMALS);
	return n;
}

int
world_paths(const struct world *w, size_t from, size_t to,
    void (*start)(struct proto_buf *, int, void *), world_emit_fn emit,
    void *arg)
{
	char line[PROTO_OUT_MAX], pts[WORLD_PTS_MAX + 2 * WORLD_POINT_MAX];
	const struct world_seg *s, *prev;
	struct proto_buf b;
	size_t i = from, n;

	if (to > w->trail_len)
		to = w->trail_len;
	while (i < to) {
		s = world_seg_at(w, i);
		n = world_point(pts, sizeof pts, s->x0, s->y0);
		pts[n++] = ';';
		n += world_point(pts + n, sizeof pts - n, s->x1, s->y1);
		prev = s;
		for (i++; i < to && n < WORLD_PTS_MAX; i++) {
			s = world_seg_at(w, i);
			if (s->color != prev->color || s->cid != prev->cid ||
			    s->x0 != prev->x1 || s->y0 != prev->y1)
				break;
			pts[n++] = ';';
			n += world_point(pts + n, sizeof pts - n, s->x1, s->y1);
			prev = s;
		}
		proto_buf_init(&b, line, sizeof line);
		start(&b, prev->cid, arg);
		proto_fmt_str(&b, "color", proto_color_name(prev->color));
		proto_fmt_strn(&b, "pts", pts, n);
		if (proto_fmt_end(&b) != 0 || emit(b.p, b.len, arg) != 0)
			return -1;
	}
	return 0;
}

/* One "X,Y" at *p, up to ';' or end; advances *p past the ';'. */
static int
world_get_point(const char **p, const char *end, double *x, double *y)
{
	const char *comma, *semi;

	semi = memchr(*p, ';', (size_t)(end - *p));
	if (semi == NULL)
		semi = end;
	comma = memchr(*p, ',', (size_t)(semi - *p));
	if (comma == NULL ||
	    proto_decimal_parse(*p, (size_t)(comma - *p), x) != 0 ||
	    proto_decimal_parse(comma + 1, (size_t)(semi - comma - 1), y) != 0)
		return -1;
	if (fabs(*x) > PROTO_COORD_MAX || fabs(*y) > PROTO_COORD_MAX)
		return -1;
	*p = semi < end ? semi + 1 : end;
	return 0;
}

int
world_apply_path(struct world *w, const struct proto_msg *m)
{
	const char *pts = proto_msg_get(m, "pts"), *p, *end;
	double x0, y0, x1, y1;
	long long cid = 0;
	size_t n = 0;
	int color;

	color = proto_color_from_name(proto_msg_get(m, "color"));
	if (color < 0 || pts == NULL)
		return -1;
	if (proto_msg_get(m, "cid") != NULL &&
	    proto_msg_get_int(m, "cid", 0, INT32_MAX, &cid) != 0)
		return -1;
	/* Checked whole first: a bad line adds nothing. */
	end = pts + strlen(pts);
	for (p = pts; p < end; n++) {
		if (world_get_point(&p, end, &x0, &y0) != 0)
			return -1;
	}
	if (n < 2 || end[-1] == ';')
		return -1;
	p = pts;
	(void)world_get_point(&p, end, &x0, &y0);
	while (p < end) {
		(void)world_get_point(&p, end, &x1, &y1);
		world_add_seg(w, x0, y0, x1, y1, color, (int)cid);
		x0 = x1;
		y0 = y1;
	}
	return 0;
}

struct world_snap_arg {
	world_emit_fn emit;
	void *arg;
};

static void
world_snap_start(struct proto_buf *b, int cid, void *arg)
{
	(void)arg;
	proto_fmt_snap(b, "path");
	proto_fmt_int(b, "cid", cid);
}

static int
world_snap_emit(const char *line, size_t len, void *arg)
{
	struct world_snap_arg *a = arg;

	return a->emit(line, len, a->arg);
}

int
world_snapshot(const struct world *w, world_emit_fn emit, void *arg)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;
	struct world_snap_arg a = {emit, arg};

	proto_buf_init(&b, line, sizeof line);
	proto_fmt_snap(&b, "world");
	proto_fmt_int(&b, "half_w", w->half_w);
	proto_fmt_int(&b, "half_h", w->half_h);
	proto_fmt_num(&b, "x", w->x);
	proto_fmt_num(&b, "y", w->y);
	proto_fmt_num(&b, "heading", w->heading);
	proto_fmt_str(&b, "pen", w->pen_down ? "down" : "up");
	proto_fmt_str(&b, "color", proto_color_name(w->color));
	proto_fmt_int(&b, "pc", w->pc);
	proto_fmt_uint(&b, "segs", w->trail_len);
	proto_fmt_uint(&b, "dropped", w->trail_dropped);
	if (proto_fmt_end(&b) != 0 || emit(b.p, b.len, arg) != 0)
		return -1;
	return world_paths(
	    w, 0, w->trail_len, world_snap_start, world_snap_emit, &a);
}

/*
 * "snap world" replaces the whole state (its trail follows as "snap path"
 * lines); nothing changes unless every field is sound.
 */
int
world_apply_snap(struct world *w, const struct proto_msg *m)
{
	double x, y, heading;
	int32_t half_w, half_h;
	int pen_down, color;
	const char *pen;
	long long v, dropped, pc;

	if (m->type != PROTO_MSG_SNAP)
		return -1;
	if (strcmp(m->word, "path") == 0)
		return world_apply_path(w, m);
	if (strcmp(m->word, "world") != 0)
		return -1;
	if (proto_msg_get_int(m, "half_w", 0, PROTO_COORD_MAX, &v) != 0)
		return -1;
	half_w = (int32_t)v;
	if (proto_msg_get_int(m, "half_h", 0, PROTO_COORD_MAX, &v) != 0)
		return -1;
	half_h = (int32_t)v;
	if (proto_msg_get_num(m, "x", -half_w, half_w, &x) != 0 ||
	    proto_msg_get_num(m, "y", -half_h, half_h, &y) != 0 ||
	    proto_msg_get_num(m, "heading", 0, 360, &heading) != 0)
		return -1;
	color = proto_color_from_name(proto_msg_get(m, "color"));
	pen = proto_msg_get(m, "pen");
	if (color < 0 || pen == NULL)
		return -1;
	if (strcmp(pen, "down") == 0)
		pen_down = 1;
	else if (strcmp(pen, "up") == 0)
		pen_down = 0;
	else
		return -1;
	if (proto_msg_get_int(m, "pc", 0, 15, &pc) != 0)
		pc = proto_color_to_logo(color);
	if (proto_msg_get_int(m, "dropped", 0, INT64_MAX, &dropped) != 0)
		return -1;

	w->half_w = half_w;
	w->half_h = half_h;
	w->x = x;
	w->y = y;
	w->heading = heading;
	w->pen_down = pen_down;
	w->color = color;
	w->pc = (int)pc;
	world_clear_trail(w);
	w->trail_dropped = (uint64_t)dropped;
	return 0;
}
