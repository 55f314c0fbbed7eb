/*
 * layout.c - where each part of the screen goes for a terminal size.
 *
 * Wide panes put the log right of the grid, narrow ones below it; when
 * space runs short the grid goes first, the command line last; below
 * LAYOUT_MIN_COLS x LAYOUT_MIN_ROWS only a "terminal too small" notice is
 * left.  Pure arithmetic, so each rule has a unit test.
 */
#include "tui.h"

#include <string.h>

static int layout_clamp(int, int, int);
static void layout_set(struct layout_rect *, int, int, int, int);

static int
layout_clamp(int v, int lo, int hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return v;
}

static void
layout_set(struct layout_rect *r, int x, int y, int w, int h)
{
	r->x = x;
	r->y = y;
	r->w = w > 0 && h > 0 ? w : 0;
	r->h = w > 0 && h > 0 ? h : 0;
}

void
layout_compute(struct layout *l, int cols, int rows)
{
	int body, logw, logh;

	memset(l, 0, sizeof *l);
	l->cols = cols;
	l->rows = rows;
	if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
		l->too_small = 1;
		return;
	}
	layout_set(&l->cmd, 0, rows - 1, cols, 1);
	layout_set(&l->status, 0, rows - 2, cols, 1);
	body = rows - 2;

	/* Side by side when wide, or when stacking would crush the grid. */
	if (cols >= LAYOUT_WIDE_COLS || (cols >= 60 && body < 14)) {
		logw = layout_clamp(cols / 3, 28, 60);
		if (cols - logw - 1 >= LAYOUT_GRID_MIN_W) {
			l->wide = 1;
			layout_set(&l->grid, 0, 0, cols - logw - 1, body);
			layout_set(&l->sep, cols - logw - 1, 0, 1, body);
			layout_set(&l->log, cols - logw, 0, logw, body);
			return;
		}
	}
	logh = layout_clamp(body / 3, 3, 12);
	if (body - logh - 1 >= LAYOUT_GRID_MIN_H) {
		layout_set(&l->grid, 0, 0, cols, body - logh - 1);
		layout_set(&l->sep, 0, body - logh - 1, cols, 1);
		layout_set(&l->log, 0, body - logh, cols, logh);
		return;
	}
	/* Too short for both: the log stays, the grid goes. */
	layout_set(&l->log, 0, 0, cols, body);
}
