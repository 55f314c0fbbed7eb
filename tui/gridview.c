/*
 * gridview.c - the world pane: its modes and keys, and box mode's picture:
 * axes, the world's edge, the trail in its colours and the turtle pointing
 * the way it last went.  Braille mode's picture is brailleview.c.
 *
 * In box mode a world cell is two columns wide so the picture keeps its
 * proportions on a terminal whose cells are twice as tall as wide; the
 * second column carries a horizontal line on to the next cell.  The pure
 * part (which line piece goes in which cell) is trail.c; this file only
 * paints.
 */
#include "tui.h"

#include <math.h>

#include <curses.h>
#include <stdlib.h>
#include <string.h>

/* The zoom levels, out to in: units a dot below 0, dots a unit above. */
static const int gridview_zooms[] = {-4, -2, 1, 2, 4};
#define GRIDVIEW_NZOOMS (sizeof gridview_zooms / sizeof gridview_zooms[0])

/* Line pieces by TRAIL_N|E|S|W mask: UTF-8 box drawing, then ASCII. */
static const char gridview_box_utf8[16][4] = {
    "\xc2\xb7",     /* 0: a dot, a segment of no length */
    "\xe2\x95\xb5", /* N */
    "\xe2\x95\xb6", /* E */
    "\xe2\x94\x94", /* N E */
    "\xe2\x95\xb7", /* S */
    "\xe2\x94\x82", /* N S */
    "\xe2\x94\x8c", /* E S */
    "\xe2\x94\x9c", /* N E S */
    "\xe2\x95\xb4", /* W */
    "\xe2\x94\x98", /* N W */
    "\xe2\x94\x80", /* E W */
    "\xe2\x94\xb4", /* N E W */
    "\xe2\x94\x90", /* S W */
    "\xe2\x94\xa4", /* N S W */
    "\xe2\x94\xac", /* E S W */
    "\xe2\x94\xbc", /* N E S W */
};
static const char gridview_box_ascii[16] = {
    '.',
    '|',
    '-',
    '+',
    '|',
    '|',
    '+',
    '+',
    '-',
    '+',
    '-',
    '+',
    '+',
    '+',
    '+',
    '+',
};

/* The turtle points its heading, in eight directions from north
 * clockwise: triangles for the axes, corner triangles between them. */
static const char gridview_turtle_utf8[8][4] = {"\xe2\x96\xb2", "\xe2\x97\xa5",
    "\xe2\x96\xb6", "\xe2\x97\xa2", "\xe2\x96\xbc", "\xe2\x97\xa3",
    "\xe2\x97\x80", "\xe2\x97\xa4"};
static const char gridview_turtle_ascii[8] = {
    '^', '/', '>', '\\', 'v', '/', '<', '\\'};

/* 0 north, 1 north-east, ... 7 north-west: the nearest of eight. */
static int
gridview_dir8(double heading)
{
	double h = fmod(heading, 360);

	if (!(h >= 0))
		h = h < 0 ? h + 360 : 0;
	return (int)((h + 22.5) / 45) % 8;
}

static int gridview_edge(
    const struct world *, int64_t, int64_t, const char **, char *);
static void gridview_background(const struct viewport *,
    const struct layout_rect *, const struct world *,
    const struct draw_style *);
static void gridview_keep_middle(struct gridview *, struct viewport *);
static void gridview_zoom(struct gridview *, struct viewport *, int);
static void gridview_box(struct gridview *, const struct layout_rect *,
    struct viewport *, const struct model *, const struct draw_style *);

int
gridview_parse_mode(const char *s, int *mode)
{
	if (strcmp(s, "braille") == 0)
		*mode = GRIDVIEW_BRAILLE;
	else if (strcmp(s, "box") == 0)
		*mode = GRIDVIEW_BOX;
	else if (strcmp(s, "ascii") == 0)
		*mode = GRIDVIEW_ASCII;
	else
		return -1;
	return 0;
}

/* Braille needs UTF-8; asked for without it, box mode in ASCII it is. */
void
gridview_init(struct gridview *g, int mode, int utf8)
{
	g->can_braille = utf8;
	g->braille =
	    utf8 && (mode == GRIDVIEW_AUTO || mode == GRIDVIEW_BRAILLE);
	g->zoom = 1;
	g->mine = 0;
	g->aim = 0;
}

void
gridview_free(struct gridview *g)
{
	free(g->cells);
	g->cells = NULL;
	g->cap = 0;
	free(g->dots);
	g->dots = NULL;
	g->dots_cap = 0;
}

/*
 * The view moves to another lattice (zoom, mode): a followed turtle goes
 * back to the middle, a panned view keeps the world point in its middle
 * there, so zooming looks at the same place.
 */
static void
gridview_keep_middle(struct gridview *g, struct viewport *vp)
{
	int64_t cx, cy;

	if (vp->follow) {
		vp->recenter = 1;
		return;
	}
	if (vp->w <= 0 || vp->h <= 0)
		return;
	viewport_middle(vp, &cx, &cy);
	if (g->braille)
		brailleview_point(g->zoom, cx, cy, &g->aim_x, &g->aim_y);
	else {
		g->aim_x = (double)cx;
		g->aim_y = (double)cy;
	}
	g->aim = 1;
}

/* One zoom level in (dir > 0) or out, stopping at the last. */
static void
gridview_zoom(struct gridview *g, struct viewport *vp, int dir)
{
	size_t i;

	for (i = 0; i < GRIDVIEW_NZOOMS && gridview_zooms[i] != g->zoom; i++)
		;
	if (i == GRIDVIEW_NZOOMS)
		i = 2; /* zoom 1 */
	if ((dir > 0 && i + 1 >= GRIDVIEW_NZOOMS) || (dir < 0 && i == 0))
		return;
	gridview_keep_middle(g, vp);
	g->zoom = gridview_zooms[dir > 0 ? i + 1 : i - 1];
}

/*
 * F3/F4 zoom out and in, and + and - do so on an empty command line (any
 * other time they are text); F5 switches between braille and box mode;
 * F6 makes my own trail stand out.  Zooming is braille mode's: in box
 * mode the keys are taken and do nothing.
 */
int
gridview_key(
    struct gridview *g, struct viewport *vp, int is_key, int key, int empty)
{
	int zoom = 0;

	if (is_key && key == KEY_F(3))
		zoom = -1;
	else if (is_key && key == KEY_F(4))
		zoom = 1;
	else if (!is_key && empty && (key == '+' || key == '-'))
		zoom = key == '+' ? 1 : -1;
	else if (is_key && key == KEY_F(5)) {
		if (g->can_braille) {
			gridview_keep_middle(g, vp);
			g->braille = !g->braille;
		}
		return 1;
	} else if (is_key && key == KEY_F(6)) {
		g->mine = !g->mine;
		return 1;
	} else
		return 0;
	if (g->braille)
		gridview_zoom(g, vp, zoom);
	return 1;
}

unsigned long
gridview_attr(
    const struct gridview *g, const struct draw_style *st, int color, int mine)
{
	unsigned long attr = draw_color(st, color);

	if (g->mine)
		attr |= mine ? A_BOLD : A_DIM;
	return attr;
}

void
gridview_turtle(
    const struct draw_style *st, int y, int x, const struct world *w)
{
	int d = gridview_dir8(w->heading);

	draw_glyph(st, y, x, gridview_turtle_utf8[d], gridview_turtle_ascii[d],
	    draw_color(st, w->color) | A_BOLD);
}

/*
 * The piece of the world's frame at (x, y), one cell outside the world:
 * 1 with *u (UTF-8) and *a (ASCII) set, or 0 when (x, y) is not on it.
 */
static int
gridview_edge(
    const struct world *w, int64_t x, int64_t y, const char **u, char *a)
{
	int64_t ex = (int64_t)w->half_w + 1, ey = (int64_t)w->half_h + 1;
	int on_x = llabs(x) == ex, on_y = llabs(y) == ey;

	if (llabs(x) > ex || llabs(y) > ey || (!on_x && !on_y))
		return 0;
	*a = on_x && on_y ? '+' : on_x ? '|' : '-';
	if (on_x && on_y)
		*u = y > 0 ? (x < 0 ? "\xe2\x94\x8c" : "\xe2\x94\x90")
			   : (x < 0 ? "\xe2\x94\x94" : "\xe2\x94\x98");
	else
		*u = on_x ? "\xe2\x94\x82" : "\xe2\x94\x80";
	return 1;
}

/* The axes with a tick every ten cells, the origin, and the world's edge. */
static void
gridview_background(const struct viewport *vp, const struct layout_rect *r,
    const struct world *w, const struct draw_style *st)
{
	int64_t x, y;
	int row, col, sy, sx;
	const char *u;
	char a;

	for (row = 0; row < vp->h; row++) {
		y = (int64_t)vp->top - row;
		sy = r->y + row;
		for (col = 0; col < vp->w; col++) {
			x = (int64_t)vp->left + col;
			sx = r->x + 2 * col;
			if (gridview_edge(w, x, y, &u, &a)) {
				draw_glyph(st, sy, sx, u, a, A_DIM);
				/* A top or bottom edge runs on to the right. */
				if (llabs(y) == (int64_t)w->half_h + 1 &&
				    x <= w->half_w && sx + 1 < r->x + r->w)
					draw_glyph(st, sy, sx + 1,
					    "\xe2\x94\x80", '-', A_DIM);
			} else if (llabs(x) > w->half_w || llabs(y) > w->half_h)
				continue;
			else if (x == 0 && y == 0)
				draw_glyph(st, sy, sx, "+", '+', A_BOLD);
			else if ((x == 0 && y % 10 == 0) ||
				 (y == 0 && x % 10 == 0))
				draw_glyph(st, sy, sx, "+", '+', A_DIM);
			else if (x == 0 || y == 0)
				draw_glyph(st, sy, sx, "\xc2\xb7", '.', A_DIM);
		}
	}
}

void
gridview_draw(struct gridview *g, const struct layout_rect *r,
    struct viewport *vp, const struct model *m, const struct draw_style *st)
{
	if (r->w <= 0 || r->h <= 0 || !m->have_world)
		return;
	if (g->braille)
		brailleview_draw(g, r, vp, m, st);
	else
		gridview_box(g, r, vp, m, st);
}

static void
gridview_box(struct gridview *g, const struct layout_rect *r,
    struct viewport *vp, const struct model *m, const struct draw_style *st)
{
	const struct world *w = &m->world;
	const struct world *d = g->shown != NULL ? g->shown : w;
	const struct trail_cell *c;
	struct trail_cell *n;
	size_t need;
	int cw, row, col;
	unsigned long attr;

	cw = (r->w + 1) / 2;
	if (g->aim) {
		viewport_aim(vp, cw, r->h, (int64_t)floor(g->aim_x + 0.5),
		    (int64_t)floor(g->aim_y + 0.5));
		g->aim = 0;
	}
	viewport_update(vp, cw, r->h, w);
	need = (size_t)cw * (size_t)r->h;
	if ((n = common_grow(g->cells, &g->cap, need, sizeof *n)) == NULL)
		return;
	g->cells = n;
	gridview_background(vp, r, w, st);
	trail_raster(g->cells, cw, r->h, vp->left, vp->top, d, m->my_cid);
	for (row = 0; row < r->h; row++) {
		for (col = 0; col < cw; col++) {
			c = &g->cells[row * cw + col];
			if (!c->set)
				continue;
			attr = gridview_attr(g, st, c->color, c->mine);
			if (c->mask == 0 && c->diag != 0)
				draw_glyph(st, r->y + row, r->x + 2 * col,
				    c->diag == TRAIL_DIAG_UP ? "\xe2\x95\xb1"
							     : "\xe2\x95\xb2",
				    c->diag == TRAIL_DIAG_UP ? '/' : '\\',
				    attr);
			else
				draw_glyph(st, r->y + row, r->x + 2 * col,
				    gridview_box_utf8[c->mask],
				    gridview_box_ascii[c->mask], attr);
			if ((c->mask & TRAIL_E) && 2 * col + 1 < r->w)
				draw_glyph(st, r->y + row, r->x + 2 * col + 1,
				    gridview_box_utf8[TRAIL_E | TRAIL_W],
				    gridview_box_ascii[TRAIL_E | TRAIL_W],
				    attr);
		}
	}
	if (viewport_cell(vp, (int32_t)floor(d->x + 0.5),
		(int32_t)floor(d->y + 0.5), &col, &row))
		gridview_turtle(st, r->y + row, r->x + 2 * col, d);
}
