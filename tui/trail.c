/*
 * trail.c - the trail as cells: which line piece each visible cell shows.
 *
 * Straight segments set connection bits (north, east, south, west) so
 * where two meet the view draws a corner or a junction, not two crossing
 * strokes.  Slanted segments are stepped cell by cell; mostly flat or
 * mostly steep ones still use the connection bits, true diagonals get a
 * slash.  Only the part of a segment inside the view is walked, so a long
 * line costs no more than the pane is wide.  Later segments paint their
 * colour over earlier ones, as on paper.
 */
#include "tui.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this a coordinate is no cell of any world (+-1e6 is the largest):
 * such a segment is skipped, like NaN, before it reaches int64 arithmetic. */
#define TRAIL_COORD_MAX 1e9

struct trail_view {
	struct trail_cell *cells;
	int w, h;
	int32_t left, top;
};

/* A segment on the lattice of cells: its ends rounded to whole units. */
struct trail_seg {
	int64_t x0, y0, x1, y1;
	uint8_t color;
	uint8_t mine; /* drawn by the client looking */
};

static struct trail_cell *trail_at(const struct trail_view *, int64_t, int64_t);
static void trail_mark(const struct trail_view *, int64_t, int64_t, int, int,
    const struct trail_seg *);
static int trail_round(float, int64_t *);
static int trail_cells_of(const struct world_seg *, int, struct trail_seg *);
static void trail_straight(const struct trail_view *, const struct trail_seg *);
static void trail_slant(const struct trail_view *, const struct trail_seg *);
static int64_t trail_div_round(int64_t, int64_t);
static int trail_slant_bits(int, int64_t, int64_t, int64_t, int);

static struct trail_cell *
trail_at(const struct trail_view *v, int64_t x, int64_t y)
{
	int64_t c = x - v->left, r = v->top - y;

	if (c < 0 || c >= v->w || r < 0 || r >= v->h)
		return NULL;
	return &v->cells[r * v->w + c];
}

static void
trail_mark(const struct trail_view *v, int64_t x, int64_t y, int bits, int diag,
    const struct trail_seg *s)
{
	struct trail_cell *c = trail_at(v, x, y);

	if (c == NULL)
		return;
	c->mask |= (uint8_t)bits;
	if (diag != 0)
		c->diag = (uint8_t)diag;
	c->color = s->color;
	c->mine = s->mine;
	c->set = 1;
}

/*
 * The cell holding v: the nearest whole unit, halves up (floor(v + 0.5),
 * braille.c's rule, so both modes put a point in the same place; a plain
 * cast would cut -2.7 to -2).  0 when v is not finite or absurdly far.
 */
static int
trail_round(float v, int64_t *out)
{
	double d = floor((double)v + 0.5);

	if (!(d >= -TRAIL_COORD_MAX && d <= TRAIL_COORD_MAX))
		return 0;
	*out = (int64_t)d;
	return 1;
}

static int
trail_cells_of(const struct world_seg *w, int my_cid, struct trail_seg *s)
{
	s->color = w->color;
	s->mine = my_cid > 0 && w->cid == my_cid;
	return trail_round(w->x0, &s->x0) && trail_round(w->y0, &s->y0) &&
	       trail_round(w->x1, &s->x1) && trail_round(w->y1, &s->y1);
}

static void
trail_straight(const struct trail_view *v, const struct trail_seg *s)
{
	int64_t a, b, lo, hi, i;

	if (s->y0 == s->y1) {
		a = s->x0 < s->x1 ? s->x0 : s->x1;
		b = s->x0 < s->x1 ? s->x1 : s->x0;
		lo = a > v->left ? a : v->left;
		hi = b < (int64_t)v->left + v->w - 1
			 ? b
			 : (int64_t)v->left + v->w - 1;
		for (i = lo; i <= hi; i++)
			trail_mark(v, i, s->y0,
			    (i > a ? TRAIL_W : 0) | (i < b ? TRAIL_E : 0), 0,
			    s);
		return;
	}
	a = s->y0 < s->y1 ? s->y0 : s->y1;
	b = s->y0 < s->y1 ? s->y1 : s->y0;
	lo = a > (int64_t)v->top - v->h + 1 ? a : (int64_t)v->top - v->h + 1;
	hi = b < v->top ? b : v->top;
	for (i = lo; i <= hi; i++)
		trail_mark(v, s->x0, i,
		    (i > a ? TRAIL_S : 0) | (i < b ? TRAIL_N : 0), 0, s);
}

/* n / d rounded to the nearest integer, halves away from zero; d > 0. */
static int64_t
trail_div_round(int64_t n, int64_t d)
{
	return n >= 0 ? (n + d / 2) / d : -((-n + d / 2) / d);
}

static void
trail_slant(const struct trail_view *v, const struct trail_seg *s)
{
	int64_t dx = s->x1 - s->x0, dy = s->y1 - s->y0;
	int64_t adx = llabs(dx), ady = llabs(dy), n, i, lo, hi, x, y;
	int64_t vlo, vhi, a, b;
	int xmajor = adx >= ady, bits, diag = 0;

	if (2 * ady <= adx)
		bits = TRAIL_E | TRAIL_W;
	else if (2 * adx <= ady)
		bits = TRAIL_N | TRAIL_S;
	else {
		bits = 0;
		diag = (dx > 0) == (dy > 0) ? TRAIL_DIAG_UP : TRAIL_DIAG_DOWN;
	}
	n = xmajor ? adx : ady;
	/* Steps i = 0..n; keep those whose major coordinate is in view. */
	if (xmajor) {
		vlo = v->left;
		vhi = (int64_t)v->left + v->w - 1;
		a = s->x0;
		b = dx > 0 ? 1 : -1;
	} else {
		vlo = (int64_t)v->top - v->h + 1;
		vhi = v->top;
		a = s->y0;
		b = dy > 0 ? 1 : -1;
	}
	if (b > 0) {
		lo = vlo - a;
		hi = vhi - a;
	} else {
		lo = a - vhi;
		hi = a - vlo;
	}
	if (lo < 0)
		lo = 0;
	if (hi > n)
		hi = n;
	for (i = lo; i <= hi; i++) {
		if (xmajor) {
			x = s->x0 + b * i;
			y = s->y0 + trail_div_round(i * dy, adx);
		} else {
			y = s->y0 + b * i;
			x = s->x0 + trail_div_round(i * dx, ady);
		}
		trail_mark(
		    v, x, y, trail_slant_bits(bits, i, n, b, xmajor), diag, s);
	}
}

/*
 * The line piece at step i of n: the ends reach only inwards, so a line
 * stops at its end point instead of running half a cell past it (into
 * the turtle's glyph, or past its start).
 */
static int
trail_slant_bits(int bits, int64_t i, int64_t n, int64_t dir, int xmajor)
{
	int back = xmajor ? (dir > 0 ? TRAIL_W : TRAIL_E)
			  : (dir > 0 ? TRAIL_S : TRAIL_N);
	int ahead = xmajor ? (dir > 0 ? TRAIL_E : TRAIL_W)
			   : (dir > 0 ? TRAIL_N : TRAIL_S);

	if (bits == 0)
		return 0;
	if (i == 0)
		bits &= ~back;
	if (i == n)
		bits &= ~ahead;
	return bits;
}

void
trail_raster(struct trail_cell *cells, int w, int h, int32_t left, int32_t top,
    const struct world *wo, int my_cid)
{
	struct trail_view v = {cells, w, h, left, top};
	struct trail_seg s;
	size_t i;

	if (w <= 0 || h <= 0)
		return;
	memset(cells, 0, (size_t)w * (size_t)h * sizeof *cells);
	for (i = 0; i < wo->trail_len; i++) {
		/* Rounded first: (0.2, 0) to (0.4, 9) is a vertical line. */
		if (!trail_cells_of(world_seg_at(wo, i), my_cid, &s))
			continue;
		if (s.x0 == s.x1 && s.y0 == s.y1)
			trail_mark(&v, s.x0, s.y0, 0, 0, &s);
		else if (s.x0 == s.x1 || s.y0 == s.y1)
			trail_straight(&v, &s);
		else
			trail_slant(&v, &s);
	}
}
