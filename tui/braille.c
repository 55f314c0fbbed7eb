/*
 * braille.c - the trail as braille dots: 2 x 4 dots in every character cell.
 *
 * World points become dots on a lattice tied to the world, not to the
 * pane: dot column round((x - left) * scale), dot row round((top - y) *
 * scale), so with a view from braille_center() the same segment gives the
 * same dots wherever the view is; panning moves the picture and never
 * re-shapes it.  Lines are stepped on the dot grid with an exact integer
 * rule (the minor coordinate at step i is the start's plus i * d / n
 * rounded, halves away from the start), which lets the stepping start at
 * any step without walking there: a segment is clipped twice, first in
 * floating point to a box far around the view so that any finite input
 * becomes integers that cannot overflow, then its steps are cut to the
 * columns and rows in view, so a line costs what it shows, not its
 * length.  Later dots paint their cell's colour over earlier ones, as on
 * paper.  Pure: no curses, no I/O, no state outside the view.
 */
#include "tui.h"

#include <string.h>

/*
 * How far outside the view, in dots, an end point may lie before the first
 * clip moves it.  Inside this box a segment's dots are exactly those of the
 * unclipped segment (2^25 dots is 8 million world units at zoom 4: far
 * beyond the +-1e6 world), and the integer stepping's products stay below
 * 2^54.
 */
#define BRAILLE_FAR ((double)(1 << 25))
/* Dot coordinates beyond this are no picture (and would overflow the clip's
 * arithmetic): such a segment is skipped, like NaN and infinity. */
#define BRAILLE_HUGE 1e15
/* The widest or tallest pane drawn, in cells, so products stay in int64. */
#define BRAILLE_SIDE_MAX (1 << 20)

/* drawille's dot bits by [row % 4][column % 2]. */
static const uint8_t braille_bit[4][2] = {
    {0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};

/* One clipped line on the dot grid, along its major axis. */
struct braille_walk {
	int64_t a, b;       /* the start: major, minor coordinate */
	int64_t n;          /* steps along the major axis, > 0 */
	int64_t d;          /* change of the minor coordinate over them */
	int64_t nmaj, nmin; /* dots in view along each axis */
	int swap;           /* the major axis is the row */
};

static double braille_scale(int);
static int braille_usable(const struct braille_view *);
static int64_t braille_round(double);
static int64_t braille_floor_div(int64_t, int64_t);
static int braille_to_dots(
    const struct braille_view *, double, double, double *, double *);
static int braille_dot_of(
    const struct braille_view *, double, double, int64_t *, int64_t *);
static int braille_clip(double *, double, double, double, double);
static void braille_put(
    const struct braille_view *, int64_t, unsigned, uint8_t, uint8_t);
static void braille_put_dot(
    const struct braille_view *, int64_t, int64_t, uint8_t, uint8_t);
static void braille_line(const struct braille_view *, int64_t, int64_t, int64_t,
    int64_t, uint8_t, uint8_t);
static void braille_walk(
    const struct braille_view *, const struct braille_walk *, uint8_t, uint8_t);
static void braille_seg_draw(
    const struct braille_view *, const struct braille_seg *);

/* Dots per world unit: zoom dots at zoom >= 1, one dot per -zoom units at
 * zoom <= -2; 0 and -1 mean 1. */
static double
braille_scale(int zoom)
{
	if (zoom >= 1)
		return zoom;
	if (zoom <= -2)
		return 1.0 / -(double)zoom;
	return 1;
}

static int
braille_usable(const struct braille_view *v)
{
	return v->cells != NULL && v->w > 0 && v->h > 0 &&
	       v->w <= BRAILLE_SIDE_MAX && v->h <= BRAILLE_SIDE_MAX;
}

/* The nearest integer, halves up (the same rule on both sides of 0, so a
 * shifted picture rounds the same); |v| is bounded by the callers. */
static int64_t
braille_round(double v)
{
	double u = v + 0.5;
	int64_t i = (int64_t)u;

	return (double)i > u ? i - 1 : i;
}

/* a / b rounded down; b > 0. */
static int64_t
braille_floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* World (x, y) in dot coordinates (column right, row down, unrounded);
 * 0 when not finite or absurdly far. */
static int
braille_to_dots(
    const struct braille_view *v, double x, double y, double *col, double *row)
{
	double s = braille_scale(v->zoom);

	*col = (x - v->left) * s;
	*row = (v->top - y) * s;
	/* Written so that NaN fails too. */
	return *col >= -BRAILLE_HUGE && *col <= BRAILLE_HUGE &&
	       *row >= -BRAILLE_HUGE && *row <= BRAILLE_HUGE;
}

/*
 * Liang-Barsky: cuts p = {x0, y0, x1, y1} to the box [lo, hi] on both
 * axes; 0 when nothing of it is inside.  End points already inside are
 * left exactly as they were.
 */
static int
braille_clip(double *p, double lox, double loy, double hix, double hiy)
{
	double dx = p[2] - p[0], dy = p[3] - p[1], t0 = 0, t1 = 1, r;
	double edge[4][2] = {{-dx, p[0] - lox}, {dx, hix - p[0]},
	    {-dy, p[1] - loy}, {dy, hiy - p[1]}};
	int i;

	/* The common case, the whole segment near the view, costs eight
	 * comparisons. */
	if (p[0] >= lox && p[0] <= hix && p[2] >= lox && p[2] <= hix &&
	    p[1] >= loy && p[1] <= hiy && p[3] >= loy && p[3] <= hiy)
		return 1;
	for (i = 0; i < 4; i++) {
		if (edge[i][0] == 0) {
			if (edge[i][1] < 0)
				return 0;
			continue;
		}
		r = edge[i][1] / edge[i][0];
		if (edge[i][0] < 0) {
			if (r > t1)
				return 0;
			if (r > t0)
				t0 = r;
		} else {
			if (r < t0)
				return 0;
			if (r < t1)
				t1 = r;
		}
	}
	if (t1 < 1) {
		p[2] = p[0] + t1 * dx;
		p[3] = p[1] + t1 * dy;
	}
	if (t0 > 0) {
		p[0] += t0 * dx;
		p[1] += t0 * dy;
	}
	return 1;
}

/* Adds dots to cell at; the cell takes the newest dots' colour. */
static void
braille_put(const struct braille_view *v, int64_t at, unsigned dots,
    uint8_t color, uint8_t mine)
{
	struct braille_cell *c = &v->cells[at];

	c->dots |= (uint8_t)dots;
	c->color = color;
	c->mine = mine;
}

/* One dot, which the caller has checked is in view. */
static void
braille_put_dot(const struct braille_view *v, int64_t col, int64_t row,
    uint8_t color, uint8_t mine)
{
	braille_put(v, (row >> 2) * v->w + (col >> 1),
	    braille_bit[row & 3][col & 1], color, mine);
}

/* The line between two dots, whichever way round, clipped to the view. */
static void
braille_line(const struct braille_view *v, int64_t x0, int64_t y0, int64_t x1,
    int64_t y1, uint8_t color, uint8_t mine)
{
	int64_t dx = x1 - x0, dy = y1 - y0;
	int64_t adx = dx < 0 ? -dx : dx, ady = dy < 0 ? -dy : dy;
	int64_t wd = (int64_t)v->w * 2, hd = (int64_t)v->h * 4;
	struct braille_walk k;

	if (adx == 0 && ady == 0) {
		if (x0 >= 0 && x0 < wd && y0 >= 0 && y0 < hd)
			braille_put_dot(v, x0, y0, color, mine);
		return;
	}
	/* Always stepped towards +major, so both directions give one set of
	 * dots. */
	if (adx >= ady) {
		k.swap = 0;
		k.a = dx > 0 ? x0 : x1;
		k.b = dx > 0 ? y0 : y1;
		k.n = adx;
		k.d = dx > 0 ? dy : -dy;
		k.nmaj = wd;
		k.nmin = hd;
	} else {
		k.swap = 1;
		k.a = dy > 0 ? y0 : y1;
		k.b = dy > 0 ? x0 : x1;
		k.n = ady;
		k.d = dy > 0 ? dx : -dx;
		k.nmaj = hd;
		k.nmin = wd;
	}
	braille_walk(v, &k, color, mine);
}

/*
 * Steps i = lo..hi of a line: major a + i, minor b + sg * q(i) where
 * q(i) = floor((2 i ad + n) / 2n) is i * ad / n rounded, halves up (away
 * from the start, which is the end with the lower major coordinate).  The
 * range is cut exactly to the dots in view on both axes, so the loop
 * needs no check; q is carried from step to step with Bresenham's
 * remainder, without a branch (the carry of a random slope is a coin
 * toss to a branch predictor).
 */
static void
braille_walk(const struct braille_view *v, const struct braille_walk *k,
    uint8_t color, uint8_t mine)
{
	int64_t lo = k->a < 0 ? -k->a : 0;
	int64_t hi = k->nmaj - 1 - k->a < k->n ? k->nmaj - 1 - k->a : k->n;
	int64_t ad = k->d < 0 ? -k->d : k->d, sg = k->d < 0 ? -1 : 1;
	int64_t n = k->n, n2 = 2 * n, qlo, qhi, q, r, i, c, row, col;
	int64_t a, b, w;
	struct braille_cell *cells, *cell;
	int swap;

	/* The q that keep the minor coordinate in view. */
	qlo = sg > 0 ? -k->b : k->b - k->nmin + 1;
	qhi = sg > 0 ? k->nmin - 1 - k->b : k->b;
	if (ad == 0) {
		if (qlo > 0 || qhi < 0)
			return;
	} else if (qlo > 0 || qhi < ad) {
		/* q(i) >= qlo from i = ceil((2n qlo - n) / 2ad) on; q(i) <=
		 * qhi up to i = floor((2n (qhi + 1) - n - 1) / 2ad). */
		c = -braille_floor_div(n - n2 * qlo, 2 * ad);
		if (c > lo)
			lo = c;
		c = braille_floor_div(n2 * (qhi + 1) - n - 1, 2 * ad);
		if (c < hi)
			hi = c;
	}
	if (lo > hi)
		return;
	if (lo == 0) {
		q = 0;
		r = n;
	} else {
		q = (2 * lo * ad + n) / n2;
		r = (2 * lo * ad + n) % n2;
	}
	/* In locals: a store through cells (bytes) could alias any field
	 * of *k or *v, which the loop would then read again every step. */
	a = k->a;
	b = k->b;
	w = v->w;
	cells = v->cells;
	swap = k->swap;
	for (i = lo; i <= hi; i++) {
		col = swap ? b + sg * q : a + i;
		row = swap ? a + i : b + sg * q;
		cell = &cells[(row >> 2) * w + (col >> 1)];
		cell->dots |= braille_bit[row & 3][col & 1];
		cell->color = color;
		cell->mine = mine;
		r += 2 * ad;
		c = r >= n2; /* ad <= n: at most one carry per step */
		r -= n2 & -c;
		q += c;
	}
}

static void
braille_seg_draw(const struct braille_view *v, const struct braille_seg *s)
{
	double p[4];

	if (!braille_to_dots(v, s->x0, s->y0, &p[0], &p[1]) ||
	    !braille_to_dots(v, s->x1, s->y1, &p[2], &p[3]))
		return;
	if (!braille_clip(p, -BRAILLE_FAR, -BRAILLE_FAR,
		(double)v->w * 2 + BRAILLE_FAR, (double)v->h * 4 + BRAILLE_FAR))
		return;
	braille_line(v, braille_round(p[0]), braille_round(p[1]),
	    braille_round(p[2]), braille_round(p[3]), s->color, s->mine);
}

void
braille_clear(struct braille_view *v)
{
	if (braille_usable(v))
		memset(v->cells, 0,
		    (size_t)v->w * (size_t)v->h * sizeof *v->cells);
}

void
braille_draw(struct braille_view *v, const struct braille_seg *segs, size_t n)
{
	size_t i;

	if (!braille_usable(v))
		return;
	for (i = 0; i < n; i++)
		braille_seg_draw(v, &segs[i]);
}

/* The dot world (x, y) rounds to, in dot columns and rows from the
 * view's top left; 0 when it is not in view. */
static int
braille_dot_of(const struct braille_view *v, double x, double y, int64_t *col,
    int64_t *row)
{
	double c, r;

	if (!braille_usable(v) || !braille_to_dots(v, x, y, &c, &r))
		return 0;
	*col = braille_round(c);
	*row = braille_round(r);
	return *col >= 0 && *col < (int64_t)v->w * 2 && *row >= 0 &&
	       *row < (int64_t)v->h * 4;
}

void
braille_dot(
    struct braille_view *v, double x, double y, uint8_t color, uint8_t mine)
{
	int64_t col, row;

	if (braille_dot_of(v, x, y, &col, &row))
		braille_put_dot(v, col, row, color, mine);
}

int
braille_locate(
    const struct braille_view *v, double x, double y, int *col, int *row)
{
	int64_t dc, dr;

	if (!braille_dot_of(v, x, y, &dc, &dr))
		return 0;
	*col = (int)(dc >> 1);
	*row = (int)(dr >> 2);
	return 1;
}

size_t
braille_utf8(uint8_t dots, char out[4])
{
	/* U+2800 + dots: 0xE2, 0xA0 + the top two bits, 0x80 + the rest. */
	out[0] = (char)0xe2;
	out[1] = (char)(0xa0 | (dots >> 6));
	out[2] = (char)(0x80 | (dots & 0x3f));
	out[3] = '\0';
	return 3;
}

/*
 * The view puts the cell holding (x, y)'s dot in the middle of the pane
 * (left of and above the middle when w or h is even), with left and top
 * on whole cells of the world's own lattice: a view that follows the
 * turtle then jumps by whole cells and the picture inside keeps its
 * shape.  At zoom 1, (0, 0) in a 101 x 51 pane gives left -100, top 100,
 * the default world exactly.
 */
void
braille_center(struct braille_view *v, double x, double y)
{
	double s = braille_scale(v->zoom), gx = x * s, gy = -y * s;
	int64_t cx, cy;

	if (!(gx >= -BRAILLE_HUGE && gx <= BRAILLE_HUGE &&
		gy >= -BRAILLE_HUGE && gy <= BRAILLE_HUGE))
		return;
	cx = braille_floor_div(braille_round(gx), 2) - (v->w - 1) / 2;
	cy = braille_floor_div(braille_round(gy), 4) - (v->h - 1) / 2;
	v->left = (double)(cx * 2) / s;
	v->top = (double)(-cy * 4) / s;
}
