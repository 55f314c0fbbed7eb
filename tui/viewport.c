/*
 * viewport.c - which part of the world the grid pane shows.
 *
 * In follow mode the view moves only when the turtle would come closer
 * than a margin to its edge, so the picture does not jump at every step.
 * Panning leaves follow mode until the user asks for it back.  On an axis
 * where the whole world fits, the world is centred and panning does
 * nothing.  Each client has its own viewport; the server never knows.
 * The cells are whatever lattice the pane draws on (a world unit in box
 * mode, 2 x 4 braille dots at some zoom): the caller says where the world
 * and the turtle are on it.
 */
#include "tui.h"

#include <math.h>
#include <string.h>

static int32_t viewport_axis(int32_t, int, int64_t, int64_t, int64_t, int, int);
static int viewport_margin(int);
static int64_t viewport_round(double);

void
viewport_init(struct viewport *v)
{
	memset(v, 0, sizeof *v);
	v->follow = 1;
	v->recenter = 1;
}

void
viewport_pan(struct viewport *v, int dx, int dy)
{
	v->follow = 0;
	v->left += dx;
	v->top += dy;
}

void
viewport_follow(struct viewport *v)
{
	v->follow = 1;
	v->recenter = 1;
}

/* Room kept between the turtle and the edge: a fifth of the view, <= 5. */
static int
viewport_margin(int n)
{
	int m = n / 5;

	return m > 5 ? 5 : m;
}

/*
 * One axis in "low end" terms: first is the smallest coordinate shown, n
 * cells are shown, the world runs wlo..whi, the turtle is at t.
 */
static int32_t
viewport_axis(int32_t first, int n, int64_t wlo, int64_t whi, int64_t t,
    int follow, int recenter)
{
	int64_t span = whi - wlo + 1, lo, hi, f = first;
	int m = viewport_margin(n);

	if (span <= n)
		return (int32_t)(wlo - (n - span) / 2);
	if (follow) {
		if (recenter)
			f = (int64_t)t - n / 2;
		else if (t < f + m)
			f = (int64_t)t - m;
		else if (t > f + n - 1 - m)
			f = (int64_t)t - (n - 1 - m);
	}
	/* One cell beyond the world: its frame shows at the edge. */
	lo = wlo - 1;
	hi = whi + 1 - n + 1;
	if (f < lo)
		f = lo;
	if (f > hi)
		f = hi;
	return (int32_t)f;
}

/* The nearest whole cell, halves up (braille.c's and trail.c's rule). */
static int64_t
viewport_round(double v)
{
	double d = floor(v + 0.5);

	return d >= -VIEWPORT_CELL_MAX && d <= VIEWPORT_CELL_MAX ? (int64_t)d
								 : 0;
}

void
viewport_update(struct viewport *v, int w, int h, const struct world *wo)
{
	struct viewport_span s = {-(int64_t)wo->half_w, wo->half_w,
	    -(int64_t)wo->half_h, wo->half_h, viewport_round(wo->x),
	    viewport_round(wo->y)};

	viewport_fit(v, w, h, &s);
}

void
viewport_fit(struct viewport *v, int w, int h, const struct viewport_span *s)
{
	int32_t bottom;

	v->w = w;
	v->h = h;
	if (w <= 0 || h <= 0)
		return;
	v->left = viewport_axis(
	    v->left, w, s->xlo, s->xhi, s->tx, v->follow, v->recenter);
	/* Rows count down from the top; in "low end" terms it is the bottom. */
	bottom = v->top - (h - 1);
	bottom = viewport_axis(
	    bottom, h, s->ylo, s->yhi, s->ty, v->follow, v->recenter);
	v->top = bottom + (h - 1);
	v->recenter = 0;
}

/* Puts cell (x, y) where a recentre would put the turtle, in a view of w x
 * h cells; the next viewport_fit() keeps it inside the world's bounds. */
void
viewport_aim(struct viewport *v, int w, int h, int64_t x, int64_t y)
{
	int64_t left = x - w / 2, bottom = y - h / 2;

	if (left < -VIEWPORT_CELL_MAX || left > VIEWPORT_CELL_MAX ||
	    bottom < -VIEWPORT_CELL_MAX || bottom > VIEWPORT_CELL_MAX)
		return;
	v->left = (int32_t)left;
	v->top = (int32_t)(bottom + (h - 1));
	v->recenter = 0;
}

/* A view's middle cell, as viewport_aim() takes it back. */
void
viewport_middle(const struct viewport *v, int64_t *x, int64_t *y)
{
	*x = (int64_t)v->left + v->w / 2;
	*y = (int64_t)v->top - (v->h - 1) + v->h / 2;
}

/* The pane cell showing world cell (x, y): 1 if it is in view, else 0. */
int
viewport_cell(
    const struct viewport *v, int32_t x, int32_t y, int *col, int *row)
{
	int64_t c = (int64_t)x - v->left, r = (int64_t)v->top - y;

	if (c < 0 || c >= v->w || r < 0 || r >= v->h)
		return 0;
	*col = (int)c;
	*row = (int)r;
	return 1;
}
