/*
 * turtle.c - the turtle's geometry and its primitives.
 *
 * Doubles throughout: heading in degrees, 0 north, clockwise, kept in
 * [0, 360).  A move that would end outside the fence is an error and
 * changes nothing (UCBLogo's fence; UCBLogo moves to the edge first, but
 * a line here is atomic anyway).  A segment is recorded for every move
 * with the pen down that goes somewhere.  pos, xcor and ycor report to 6
 * decimals, as UCBLogo does, so that sums of sines print as 0 and not as
 * 1e-15.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A position this close outside the fence is rounding, not a move out. */
#define TURTLE_FENCE_SLACK 1e-9

static const char *const turtle_colors[LOGO_COLORS] = {"black", "blue", "green",
    "cyan", "red", "magenta", "yellow", "white", "brown", "tan", "forest",
    "aqua", "salmon", "purple", "orange", "grey"};

static double turtle_report(double);
static enum run turtle_to(struct ev *, double, double);
static enum run turtle_xy_arg(
    struct ev *, const char *, const struct lv *, double *, double *);
static enum run turtle_move(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_turn(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_pen(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_setpc(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_setxy(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_setx(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_sety(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_setpos(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_seth(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_home(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_clean(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_cs(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_pos(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_coord(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_heading(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_towards(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_pencolor(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run turtle_pendownp(
    struct ev *, const char *, struct lv *, int, struct lv *);

const struct prim turtle_prims[] = {
    {"forward", 1, 1, 1, turtle_move},
    {"fd", 1, 1, 1, turtle_move},
    {"back", 1, 1, 1, turtle_move},
    {"bk", 1, 1, 1, turtle_move},
    {"left", 1, 1, 1, turtle_turn},
    {"lt", 1, 1, 1, turtle_turn},
    {"right", 1, 1, 1, turtle_turn},
    {"rt", 1, 1, 1, turtle_turn},
    {"penup", 0, 0, 0, turtle_pen},
    {"pu", 0, 0, 0, turtle_pen},
    {"pendown", 0, 0, 0, turtle_pen},
    {"pd", 0, 0, 0, turtle_pen},
    {"setpencolor", 1, 1, 1, turtle_setpc},
    {"setpc", 1, 1, 1, turtle_setpc},
    {"setxy", 2, 2, 2, turtle_setxy},
    {"setx", 1, 1, 1, turtle_setx},
    {"sety", 1, 1, 1, turtle_sety},
    {"setpos", 1, 1, 1, turtle_setpos},
    {"setheading", 1, 1, 1, turtle_seth},
    {"seth", 1, 1, 1, turtle_seth},
    {"home", 0, 0, 0, turtle_home},
    {"clearscreen", 0, 0, 0, turtle_cs},
    {"cs", 0, 0, 0, turtle_cs},
    {"clean", 0, 0, 0, turtle_clean},
    {"pos", 0, 0, 0, turtle_pos},
    {"xcor", 0, 0, 0, turtle_coord},
    {"ycor", 0, 0, 0, turtle_coord},
    {"heading", 0, 0, 0, turtle_heading},
    {"towards", 1, 1, 1, turtle_towards},
    {"pencolor", 0, 0, 0, turtle_pencolor},
    {"pc", 0, 0, 0, turtle_pencolor},
    {"pendownp", 0, 0, 0, turtle_pendownp},
};
const size_t turtle_nprims = sizeof turtle_prims / sizeof turtle_prims[0];

const char *
logo_color_name(int color)
{
	if (color < 0 || color >= LOGO_COLORS)
		return "";
	return turtle_colors[color];
}

int
logo_color_from_name(const char *name)
{
	int i;

	if (value_name_eq(name, strlen(name), "gray", 4))
		return 15;
	for (i = 0; i < LOGO_COLORS; i++) {
		if (value_name_eq(name, strlen(name), turtle_colors[i],
			strlen(turtle_colors[i])))
			return i;
	}
	return -1;
}

double
turtle_normalize(double h)
{
	h = fmod(h, 360);
	if (h < 0)
		h += 360;
	if (h >= 360 || h == 0)
		h = 0; /* fmod's -1e-20 + 360 rounds to 360; and no -0 */
	return h;
}

static double
turtle_report(double v)
{
	v = round(v * 1e6) / 1e6;
	return v == 0 ? 0 : v;
}

/* Every position change: the fence, then the segment, then the move. */
static enum run
turtle_to(struct ev *ev, double x, double y)
{
	const struct logo_bounds *b = &ev->cfg->bounds;
	struct logo_turtle *t = &ev->turtle;
	struct logo_segment *segs, *s;
	size_t cap;

	if (!(x >= b->xmin - TURTLE_FENCE_SLACK &&
		x <= b->xmax + TURTLE_FENCE_SLACK &&
		y >= b->ymin - TURTLE_FENCE_SLACK &&
		y <= b->ymax + TURTLE_FENCE_SLACK))
		return eval_error(ev, LOGO_E_BOUNDS, "turtle out of bounds");
	if (t->pen_down && (x != t->x || y != t->y)) {
		if (ev->nsegs >= ev->cfg->limits.segments)
			return eval_limit(
			    ev, LOGO_LIMIT_SEGMENTS, ev->cfg->limits.segments);
		if (ev->nsegs == ev->cap_segs) {
			cap = ev->cap_segs == 0 ? 64 : ev->cap_segs * 2;
			if ((segs = realloc(ev->segs, cap * sizeof *segs)) ==
			    NULL) {
				error_nomem(ev->err);
				return R_ERR;
			}
			ev->segs = segs;
			ev->cap_segs = cap;
		}
		s = &ev->segs[ev->nsegs++];
		s->x0 = t->x;
		s->y0 = t->y;
		s->x1 = x;
		s->y1 = y;
		s->color = t->color;
	}
	t->x = x;
	t->y = y;
	return R_OK;
}

/* [x y]: a list of two numbers. */
static enum run
turtle_xy_arg(
    struct ev *ev, const char *name, const struct lv *v, double *x, double *y)
{
	if (v->type != LV_LIST || v->u.l->n != 2 ||
	    !value_to_number(&v->u.l->v[0], x) ||
	    !value_to_number(&v->u.l->v[1], y))
		return eval_bad_input(ev, name, v);
	return R_OK;
}

/* forward, fd, back, bk. */
static enum run
turtle_move(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	struct logo_turtle *t = &ev->turtle;
	double d, s, c;
	enum run r;

	(void)argc;
	(void)out;
	if ((r = math_arg(ev, name, &args[0], &d)) != R_OK)
		return r;
	if ((name[0] | 0x20) == 'b')
		d = -d;
	math_sincos(t->heading, &s, &c);
	return turtle_to(ev, t->x + d * s, t->y + d * c);
}

/* left, lt, right, rt. */
static enum run
turtle_turn(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double a;
	enum run r;

	(void)argc;
	(void)out;
	if ((r = math_arg(ev, name, &args[0], &a)) != R_OK)
		return r;
	if ((name[0] | 0x20) == 'l')
		a = -a;
	ev->turtle.heading = turtle_normalize(ev->turtle.heading + a);
	return R_OK;
}

/* penup, pu, pendown, pd. */
static enum run
turtle_pen(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	size_t n = strlen(name);

	(void)args;
	(void)argc;
	(void)out;
	ev->turtle.pen_down =
	    (name[n - 1] | 0x20) != 'u' && (name[n - 1] | 0x20) != 'p';
	return R_OK;
}

/* A number 0..15 or one of UCBLogo's colour names. */
static enum run
turtle_setpc(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double d;
	int c;

	(void)argc;
	(void)out;
	if (value_to_number(&args[0], &d)) {
		if (d < 0 || d >= LOGO_COLORS || d != floor(d))
			return eval_bad_input(ev, name, &args[0]);
		ev->turtle.color = (int)d;
		return R_OK;
	}
	if (args[0].type != LV_WORD ||
	    (c = logo_color_from_name(args[0].u.w->s)) == -1)
		return eval_bad_input(ev, name, &args[0]);
	ev->turtle.color = c;
	return R_OK;
}

static enum run
turtle_setxy(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double x, y;
	enum run r;

	(void)argc;
	(void)out;
	if ((r = math_arg(ev, name, &args[0], &x)) != R_OK ||
	    (r = math_arg(ev, name, &args[1], &y)) != R_OK)
		return r;
	return turtle_to(ev, x, y);
}

static enum run
turtle_setx(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double x;
	enum run r;

	(void)argc;
	(void)out;
	if ((r = math_arg(ev, name, &args[0], &x)) != R_OK)
		return r;
	return turtle_to(ev, x, ev->turtle.y);
}

static enum run
turtle_sety(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double y;
	enum run r;

	(void)argc;
	(void)out;
	if ((r = math_arg(ev, name, &args[0], &y)) != R_OK)
		return r;
	return turtle_to(ev, ev->turtle.x, y);
}

static enum run
turtle_setpos(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double x, y;
	enum run r;

	(void)argc;
	(void)out;
	if ((r = turtle_xy_arg(ev, name, &args[0], &x, &y)) != R_OK)
		return r;
	return turtle_to(ev, x, y);
}

static enum run
turtle_seth(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double h;
	enum run r;

	(void)argc;
	(void)out;
	if ((r = math_arg(ev, name, &args[0], &h)) != R_OK)
		return r;
	ev->turtle.heading = turtle_normalize(h);
	return R_OK;
}

/* home draws, as in UCBLogo, if the pen is down. */
static enum run
turtle_home(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	enum run r;

	(void)name;
	(void)args;
	(void)argc;
	(void)out;
	if ((r = turtle_to(ev, 0, 0)) != R_OK)
		return r;
	ev->turtle.heading = 0;
	return R_OK;
}

/* The drawing goes: what this line drew so far, and (when committed)
 * the trail before it. */
static enum run
turtle_clean(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	(void)name;
	(void)args;
	(void)argc;
	(void)out;
	ev->nsegs = 0;
	ev->cleared = 1;
	return R_OK;
}

/* clean, and home without drawing; the pen stays as it is. */
static enum run
turtle_cs(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	turtle_clean(ev, name, args, argc, out);
	ev->turtle.x = 0;
	ev->turtle.y = 0;
	ev->turtle.heading = 0;
	return R_OK;
}

static enum run
turtle_pos(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	struct llist *l;

	(void)name;
	(void)args;
	(void)argc;
	if ((l = value_list(ev->arena, 2)) == NULL)
		return eval_arena_error(ev);
	l->v[0] = value_num(turtle_report(ev->turtle.x));
	l->v[1] = value_num(turtle_report(ev->turtle.y));
	*out = value_of_list(l);
	return R_OK;
}

/* xcor, ycor. */
static enum run
turtle_coord(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	(void)args;
	(void)argc;
	*out = value_num(turtle_report(
	    (name[0] | 0x20) == 'x' ? ev->turtle.x : ev->turtle.y));
	return R_OK;
}

static enum run
turtle_heading(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	(void)name;
	(void)args;
	(void)argc;
	*out = value_num(ev->turtle.heading);
	return R_OK;
}

/* The heading that would point at [x y]; 0 for the turtle's own place. */
static enum run
turtle_towards(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double x, y, dx, dy;
	enum run r;

	(void)argc;
	if ((r = turtle_xy_arg(ev, name, &args[0], &x, &y)) != R_OK)
		return r;
	dx = x - ev->turtle.x;
	dy = y - ev->turtle.y;
	if (dx == 0 && dy == 0) {
		*out = value_num(0);
		return R_OK;
	}
	*out = value_num(turtle_normalize(atan2(dx, dy) * 180 / M_PI));
	return R_OK;
}

static enum run
turtle_pencolor(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	(void)name;
	(void)args;
	(void)argc;
	*out = value_num(ev->turtle.color);
	return R_OK;
}

static enum run
turtle_pendownp(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	(void)name;
	(void)args;
	(void)argc;
	*out = value_of_word(ev->turtle.pen_down ? ev->w_true : ev->w_false);
	return R_OK;
}
