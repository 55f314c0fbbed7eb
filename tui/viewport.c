/*
 * viewport.c - which part of the world the grid pane shows.
 *
 * In follow mode the view moves only when the turtle would come closer
 * than a margin to its edge, so the picture does not jump at every step.
 * Panning leaves follow mode until the user asks for it back.  On an axis
 * where the whole world fits, the world is centred and panning does
 * nothing.  Each client has its own viewport; the server never knows.
 */
#include "tui.h"

#include <string.h>

static int32_t viewport_axis(int32_t, int, int32_t, int32_t, int, int);
static int viewport_margin(int);

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
 * cells are shown, the world runs -half..half, the turtle is at t.
 */
static int32_t
viewport_axis(
    int32_t first, int n, int32_t half, int32_t t, int follow, int recenter)
{
	int64_t span = 2 * (int64_t)half + 1, lo, hi, f = first;
	int m = viewport_margin(n);

	if (span <= n)
		return (int32_t)(-(int64_t)half - (n - span) / 2);
	if (follow) {
		if (recenter)
			f = (int64_t)t - n / 2;
		else if (t < f + m)
			f = (int64_t)t - m;
		else if (t > f + n - 1 - m)
			f = (int64_t)t - (n - 1 - m);
	}
	/* One cell beyond the world: its frame shows at the edge. */
	lo = -(int64_t)half - 1;
	hi = (int64_t)half + 1 - n + 1;
	if (f < lo)
		f = lo;
	if (f > hi)
		f = hi;
	return (int32_t)f;
}

void
viewport_update(struct viewport *v, int w, int h, const struct world *wo)
{
	int32_t bottom;

	v->w = w;
	v->h = h;
	if (w <= 0 || h <= 0)
		return;
	v->left = viewport_axis(
	    v->left, w, wo->half_w, wo->x, v->follow, v->recenter);
	/* Rows count down from the top; in "low end" terms it is the bottom. */
	bottom = v->top - (h - 1);
	bottom =
	    viewport_axis(bottom, h, wo->half_h, wo->y, v->follow, v->recenter);
	v->top = bottom + (h - 1);
	v->recenter = 0;
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
