/*
 * layout.c - where each part of the screen goes for a terminal size.
 *
 * Wide panes put the log right of the grid, narrow ones below it; when
 * space runs short the grid goes first, the command line last; below
 * LAYOUT_MIN_COLS x LAYOUT_MIN_ROWS only a "terminal too small" notice is
 * left.  Pure arithmetic, so each rule has a unit test.
 */
#include "tui.h"

#include <stdio.h>
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

/*
 * The "terminal too small: WxH" notice in lines of at most cols columns,
 * broken between words so a narrow pane still reads it; when the words do
 * not fit in cols x rows, only the size is left (cut to cols).  Returns
 * how many lines it wrote.
 */
int
layout_notice(char lines[][LAYOUT_NOTICE_COLS], int cols, int rows)
{
	static const char words[][10] = {"terminal", "too", "small:"};
	char size[LAYOUT_NOTICE_COLS];
	const char *w;
	size_t i, len, wlen, max;
	int n = 0;

	if (cols <= 0 || rows <= 0)
		return 0;
	snprintf(size, sizeof size, "%dx%d", cols, rows);
	max = (size_t)cols < LAYOUT_NOTICE_COLS - 1 ? (size_t)cols
						    : LAYOUT_NOTICE_COLS - 1;
	lines[0][0] = '\0';
	for (i = 0; i < 4; i++) {
		w = i < 3 ? words[i] : size;
		wlen = strlen(w);
		len = strlen(lines[n]);
		if (wlen > max)
			goto only_size;
		if (len > 0 && len + 1 + wlen <= max) {
			lines[n][len] = ' ';
			memcpy(lines[n] + len + 1, w, wlen + 1);
			continue;
		}
		if (len > 0) {
			if (++n >= rows || n >= LAYOUT_NOTICE_LINES)
				goto only_size;
		}
		memcpy(lines[n], w, wlen + 1);
	}
	return n + 1;

only_size:
	memcpy(lines[0], size, max);
	lines[0][max] = '\0';
	return 1;
}
