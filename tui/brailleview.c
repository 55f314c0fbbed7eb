/*
 * brailleview.c - the world pane in braille: the trail from its real
 * geometry at 2 x 4 dots a cell (braille.c), at the zoom the user picked,
 * with the world's frame, dotted ticks on the axes and the turtle.
 *
 * One character cell is one pane column here (box mode spends two), and
 * the view lives on a lattice of whole cells tied to the world, as
 * braille_center() does it: cell column floor(round(x * s) / 2), row
 * floor(round(-y * s) / 4) for s dots a unit.  viewport.c follows and
 * pans in those cells, so a followed turtle moves the view by whole cells
 * and the picture never changes shape under it.  The dots are kept in one
 * buffer that grows with the pane and is reused frame after frame; the
 * trail goes to braille_draw() in small batches from the world's ring,
 * segments wholly outside the view dropped before they are converted.
 */
#include "tui.h"

#include <math.h>

#include <curses.h>

/* Segments handed to braille_draw() at a time, from a buffer on the stack
 * (10 kB): no copy of a million-segment trail. */
#define BRAILLEVIEW_BATCH 256
/* A cell's colour when it holds only tick dots, never a trail colour. */
#define BRAILLEVIEW_TICK 0xff
/* Ticks at least this many dots apart, else every fifth one is kept. */
#define BRAILLEVIEW_TICK_DOTS 4

/* The part of the world a view can show, with a dot to spare. */
struct brailleview_box {
	double xmin, xmax, ymin, ymax;
};

static double brailleview_scale(int);
static int64_t brailleview_round(double);
static int64_t brailleview_floor_div(int64_t, int64_t);
static void brailleview_bounds(
    const struct braille_view *, struct brailleview_box *);
static void brailleview_trail(struct braille_view *, const struct world *, int);
static void brailleview_tick(struct braille_view *, double, double);
static void brailleview_ticks(struct braille_view *, const struct world *);
static void brailleview_frame(const struct layout_rect *,
    const struct viewport *, const struct viewport_span *,
    const struct draw_style *);
static const char *brailleview_piece(
    const struct viewport_span *, int64_t, int64_t);
static void brailleview_edge(const struct layout_rect *,
    const struct viewport *, const struct viewport_span *, int64_t, int64_t,
    const struct draw_style *);
static void brailleview_paint(const struct gridview *,
    const struct braille_view *, const struct layout_rect *,
    const struct draw_style *);

/* Dots a world unit, as braille.c reads zoom. */
static double
brailleview_scale(int zoom)
{
	if (zoom >= 1)
		return zoom;
	if (zoom <= -2)
		return 1.0 / -(double)zoom;
	return 1;
}

/* braille.c's rounding (halves up), clamped to the lattice's range. */
static int64_t
brailleview_round(double v)
{
	double d = floor(v + 0.5);

	if (!(d >= -VIEWPORT_CELL_MAX))
		return -VIEWPORT_CELL_MAX;
	return d > VIEWPORT_CELL_MAX ? VIEWPORT_CELL_MAX : (int64_t)d;
}

/* a / b rounded down; b > 0. */
static int64_t
brailleview_floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

void
brailleview_cell(int zoom, double x, double y, int64_t *cx, int64_t *cy)
{
	double s = brailleview_scale(zoom);

	*cx = brailleview_floor_div(brailleview_round(x * s), 2);
	*cy = -brailleview_floor_div(brailleview_round(-y * s), 4);
}

void
brailleview_point(int zoom, int64_t cx, int64_t cy, double *x, double *y)
{
	double s = brailleview_scale(zoom);

	*x = ((double)cx * 2 + 0.5) / s;
	*y = ((double)cy * 4 - 1.5) / s;
}

/* The world rectangle a segment must touch to leave a dot in view. */
static void
brailleview_bounds(const struct braille_view *bv, struct brailleview_box *b)
{
	double s = brailleview_scale(bv->zoom);

	b->xmin = bv->left - 1 / s;
	b->xmax = bv->left + (bv->w * 2 + 1) / s;
	b->ymax = bv->top + 1 / s;
	b->ymin = bv->top - (bv->h * 4 + 1) / s;
}

/* The trail, oldest first (the newest colour wins), in batches. */
static void
brailleview_trail(struct braille_view *bv, const struct world *w, int my_cid)
{
	struct braille_seg batch[BRAILLEVIEW_BATCH];
	const struct world_seg *ws;
	struct brailleview_box b;
	size_t i, n = 0;

	brailleview_bounds(bv, &b);
	for (i = 0; i < w->trail_len; i++) {
		ws = world_seg_at(w, i);
		/* Wholly to one side of the view: nothing to draw. */
		if ((ws->x0 < b.xmin && ws->x1 < b.xmin) ||
		    (ws->x0 > b.xmax && ws->x1 > b.xmax) ||
		    (ws->y0 < b.ymin && ws->y1 < b.ymin) ||
		    (ws->y0 > b.ymax && ws->y1 > b.ymax))
			continue;
		batch[n].x0 = ws->x0;
		batch[n].y0 = ws->y0;
		batch[n].x1 = ws->x1;
		batch[n].y1 = ws->y1;
		batch[n].color = ws->color;
		batch[n].mine = my_cid > 0 && ws->cid == my_cid;
		if (++n == BRAILLEVIEW_BATCH) {
			braille_draw(bv, batch, n);
			n = 0;
		}
	}
	if (n > 0)
		braille_draw(bv, batch, n);
}

/* A tick dot, only in a cell the trail left empty: a dot of the axis
 * among a line's dots would read as part of the line. */
static void
brailleview_tick(struct braille_view *bv, double x, double y)
{
	const struct braille_cell *c;
	int col, row;

	if (!braille_locate(bv, x, y, &col, &row))
		return;
	c = &bv->cells[(size_t)row * (size_t)bv->w + (size_t)col];
	if (c->dots != 0 && c->color != BRAILLEVIEW_TICK)
		return;
	braille_dot(bv, x, y, BRAILLEVIEW_TICK, 0);
}

/* A dot every ten units along both axes inside the world (every fifty,
 * or more, when ten would crowd them), the origin among them; only the
 * ones in view are visited. */
static void
brailleview_ticks(struct braille_view *bv, const struct world *w)
{
	double s = brailleview_scale(bv->zoom), step = 10, lo, hi;
	struct brailleview_box b;
	int64_t k, kmin, kmax;

	while (step * s < BRAILLEVIEW_TICK_DOTS)
		step *= 5;
	brailleview_bounds(bv, &b);
	lo = b.xmin > -w->half_w ? b.xmin : -w->half_w;
	hi = b.xmax < w->half_w ? b.xmax : w->half_w;
	kmin = (int64_t)ceil(lo / step);
	kmax = (int64_t)floor(hi / step);
	for (k = kmin; k <= kmax; k++)
		brailleview_tick(bv, (double)k * step, 0);
	lo = b.ymin > -w->half_h ? b.ymin : -w->half_h;
	hi = b.ymax < w->half_h ? b.ymax : w->half_h;
	kmin = (int64_t)ceil(lo / step);
	kmax = (int64_t)floor(hi / step);
	for (k = kmin; k <= kmax; k++)
		brailleview_tick(bv, 0, (double)k * step);
}

/* The piece of frame f (corners at its bounds) at its cell (x, y). */
static const char *
brailleview_piece(const struct viewport_span *f, int64_t x, int64_t y)
{
	int side = x == f->xlo || x == f->xhi, end = y == f->ylo || y == f->yhi;

	if (side && end) {
		if (y == f->yhi)
			return x == f->xlo ? "\xe2\x94\x8c" : "\xe2\x94\x90";
		return x == f->xlo ? "\xe2\x94\x94" : "\xe2\x94\x98";
	}
	return side ? "\xe2\x94\x82" : "\xe2\x94\x80";
}

/* One piece of the frame at lattice cell (x, y), if in view. */
static void
brailleview_edge(const struct layout_rect *r, const struct viewport *vp,
    const struct viewport_span *f, int64_t x, int64_t y,
    const struct draw_style *st)
{
	if (x < vp->left || x >= (int64_t)vp->left + vp->w || y > vp->top ||
	    y <= (int64_t)vp->top - vp->h)
		return;
	draw_glyph(st, r->y + (int)(vp->top - y), r->x + (int)(x - vp->left),
	    brailleview_piece(f, x, y), '+', A_DIM);
}

/* The world's frame, in the cells just outside those it covers (box
 * drawing, dim), as box mode has it; only its rows and columns in view
 * are visited, however large the world. */
static void
brailleview_frame(const struct layout_rect *r, const struct viewport *vp,
    const struct viewport_span *sp, const struct draw_style *st)
{
	struct viewport_span f = *sp;
	int64_t x, y, vx0 = vp->left, vx1 = (int64_t)vp->left + vp->w - 1;
	int64_t vy0 = (int64_t)vp->top - vp->h + 1, vy1 = vp->top;

	f.xlo--;
	f.ylo--;
	f.xhi++;
	f.yhi++;
	for (y = f.ylo > vy0 ? f.ylo : vy0; y <= f.yhi && y <= vy1; y++) {
		if (y != f.ylo && y != f.yhi) {
			brailleview_edge(r, vp, &f, f.xlo, y, st);
			brailleview_edge(r, vp, &f, f.xhi, y, st);
			continue;
		}
		for (x = f.xlo > vx0 ? f.xlo : vx0; x <= f.xhi && x <= vx1; x++)
			brailleview_edge(r, vp, &f, x, y, st);
	}
}

static void
brailleview_paint(const struct gridview *g, const struct braille_view *bv,
    const struct layout_rect *r, const struct draw_style *st)
{
	const struct braille_cell *c;
	char glyph[4];
	int row, col;

	for (row = 0; row < bv->h; row++) {
		for (col = 0; col < bv->w; col++) {
			c = &bv->cells[(size_t)row * (size_t)bv->w +
				       (size_t)col];
			if (c->dots == 0)
				continue;
			braille_utf8(c->dots, glyph);
			draw_glyph(st, r->y + row, r->x + col, glyph, '.',
			    c->color == BRAILLEVIEW_TICK
				? A_DIM
				: gridview_attr(g, st, c->color, c->mine));
		}
	}
}

void
brailleview_draw(struct gridview *g, const struct layout_rect *r,
    struct viewport *vp, const struct model *m, const struct draw_style *st)
{
	const struct world *w = &m->world;
	const struct world *d = g->shown != NULL ? g->shown : w;
	struct braille_cell *cells;
	struct viewport_span sp;
	struct braille_view bv;
	double s = brailleview_scale(g->zoom);
	int64_t cx, cy;
	int col, row;

	cells = common_grow(
	    g->dots, &g->dots_cap, (size_t)r->w * (size_t)r->h, sizeof *cells);
	if (cells == NULL)
		return;
	g->dots = cells;
	brailleview_cell(g->zoom, -w->half_w, w->half_h, &sp.xlo, &sp.yhi);
	brailleview_cell(g->zoom, w->half_w, -w->half_h, &sp.xhi, &sp.ylo);
	brailleview_cell(g->zoom, w->x, w->y, &sp.tx, &sp.ty);
	if (g->aim) {
		brailleview_cell(g->zoom, g->aim_x, g->aim_y, &cx, &cy);
		viewport_aim(vp, r->w, r->h, cx, cy);
		g->aim = 0;
	}
	viewport_fit(vp, r->w, r->h, &sp);
	bv.cells = cells;
	bv.w = r->w;
	bv.h = r->h;
	bv.zoom = g->zoom;
	/* Whole cells of the lattice: exact, s being a power of two. */
	bv.left = (double)vp->left * 2 / s;
	bv.top = (double)vp->top * 4 / s;
	braille_clear(&bv);
	brailleview_trail(&bv, d, m->my_cid);
	brailleview_ticks(&bv, w);
	brailleview_frame(r, vp, &sp, st);
	brailleview_paint(g, &bv, r, st);
	if (braille_locate(&bv, d->x, d->y, &col, &row))
		gridview_turtle(st, r->y + row, r->x + col, d);
}
