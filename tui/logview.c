/*
 * logview.c - the log pane: time-stamped lines, wrapped to the pane,
 * newest at the bottom, with scrollback.
 *
 * At the bottom the pane follows new lines.  Scrolled up, it holds on to
 * a line (by id, which survives new lines and the ring dropping old ones)
 * so what the user reads does not move under them.
 */
#include "tui.h"

#include <curses.h>
#include <string.h>
#include <wchar.h>

#define LOGVIEW_STAMP 9 /* "HH:MM:SS " */

static int logview_rows(const struct model_line *, int);
static size_t logview_index(const struct logview *, const struct model *);
static long logview_offset(const struct logview *, const struct model *, int);
static void logview_set_offset(
    struct logview *, const struct model *, int, long);
static void logview_draw_line(const struct model_line *, int, int, int, int,
    int, const struct model *, const struct draw_style *);

void
logview_init(struct logview *lv)
{
	memset(lv, 0, sizeof *lv);
}

/*
 * Where to cut text to fit cols columns: after the last space or '/' that
 * fits, so a word (or a path's part) that fits on a row of its own is
 * never cut in two; only a piece wider than a whole row is cut where the
 * columns run out.  A space right after the cut stays on this row, where
 * it is not seen.
 */
size_t
logview_break(const char *s, size_t len, int cols, int *used)
{
	size_t n = draw_fit(s, len, cols, used), i, end;
	mbstate_t ps;

	if (n == 0 && len > 0) {
		/* A character wider than the pane: step over all of it. */
		memset(&ps, 0, sizeof ps);
		n = mbrlen(s, len, &ps);
		return n == 0 || n > len ? 1 : n;
	}
	if (n == len)
		return n;
	if (s[n] == ' ')
		return n + 1;
	for (i = n; i > 0 && s[i - 1] != ' ' && s[i - 1] != '/'; i--)
		;
	if (i == 0)
		return n;
	/* The piece the next row would start with, up to its own break. */
	for (end = i; end < len && s[end] != ' ' && s[end] != '/'; end++)
		;
	if (end < len && s[end] == '/')
		end++;
	if (draw_width(s + i, end - i) > cols)
		return n;
	*used = draw_width(s, i);
	return i;
}

/* Screen rows a line takes in a pane cols wide. */
static int
logview_rows(const struct model_line *l, int cols)
{
	size_t len = strlen(l->text), off = 0;
	int rows = 0, w = cols - LOGVIEW_STAMP, used;

	if (w < 4)
		w = cols > 0 ? cols : 1;
	do {
		off += logview_break(l->text + off, len - off, w, &used);
		rows++;
	} while (off < len);
	return rows;
}

/* The index of the line the pane's bottom row belongs to. */
static size_t
logview_index(const struct logview *lv, const struct model *m)
{
	const struct model_line *first = model_line_at(m, 0);

	if (m->log_len == 0)
		return 0;
	if (lv->anchor == 0 || lv->anchor < first->id)
		return lv->anchor == 0 ? m->log_len - 1 : 0;
	if (lv->anchor - first->id >= m->log_len)
		return m->log_len - 1;
	return (size_t)(lv->anchor - first->id);
}

/* How many rows the view is above the bottom of everything. */
static long
logview_offset(const struct logview *lv, const struct model *m, int cols)
{
	size_t i, idx;
	long off;

	if (lv->anchor == 0 || m->log_len == 0)
		return 0;
	idx = logview_index(lv, m);
	off = lv->skip;
	for (i = idx + 1; i < m->log_len; i++)
		off += logview_rows(model_line_at(m, i), cols);
	return off;
}

static void
logview_set_offset(
    struct logview *lv, const struct model *m, int cols, long off)
{
	size_t i;
	int rows;

	if (off <= 0 || m->log_len == 0) {
		lv->anchor = 0;
		lv->skip = 0;
		return;
	}
	for (i = m->log_len; i-- > 0;) {
		rows = logview_rows(model_line_at(m, i), cols);
		if (off < rows || i == 0) {
			lv->anchor = model_line_at(m, i)->id;
			lv->skip = off < rows ? (int)off : rows - 1;
			return;
		}
		off -= rows;
	}
}

/* Scrolls by rows (> 0: back in time), within what there is. */
void
logview_scroll(struct logview *lv, const struct model *m,
    const struct layout_rect *r, int rows)
{
	long off, total = 0, max;
	size_t i;

	if (r->w <= 0 || r->h <= 0)
		return;
	for (i = 0; i < m->log_len; i++)
		total += logview_rows(model_line_at(m, i), r->w);
	max = total - r->h;
	if (max < 0)
		max = 0;
	off = logview_offset(lv, m, r->w) + rows;
	if (off > max)
		off = max;
	logview_set_offset(lv, m, r->w, off);
}

/* Row `row` (0: the first) of line l drawn at screen row y. */
static void
logview_draw_line(const struct model_line *l, int row, int y, int x, int cols,
    int mine, const struct model *m, const struct draw_style *st)
{
	size_t len = strlen(l->text), off = 0, n, name_end;
	char stamp[16];
	unsigned long attr, nattr;
	int w = cols - LOGVIEW_STAMP, used, i, col, tx;

	(void)m;
	tx = x + LOGVIEW_STAMP;
	if (w < 4) {
		w = cols;
		tx = x;
	}
	for (i = 0; i <= row; i++) {
		n = logview_break(l->text + off, len - off, w, &used);
		if (i == row)
			break;
		off += n;
	}
	if (row == 0 && tx != x) {
		logfmt_time(stamp, sizeof stamp, l->t);
		draw_str(y, x, LOGVIEW_STAMP - 1, stamp, A_DIM);
		/* Marked in monochrome too, not by colour alone. */
		if (l->kind == MODEL_LINE_ERROR)
			draw_str(y, x + LOGVIEW_STAMP - 1, 1, "!",
			    draw_color(st, PROTO_COLOR_RED) | A_BOLD);
		/* What my Logo printed: a bar, so it never reads as chat. */
		if (l->kind == MODEL_LINE_PRINT)
			draw_str(y, x + LOGVIEW_STAMP - 1, 1, "|",
			    draw_color(st, PROTO_COLOR_CYAN) | A_BOLD);
	}
	switch (l->kind) {
	case MODEL_LINE_ERROR:
		attr = draw_color(st, PROTO_COLOR_RED) | A_BOLD;
		break;
	case MODEL_LINE_INFO:
		attr = A_DIM;
		break;
	case MODEL_LINE_COMMAND:
		attr = A_BOLD;
		break;
	case MODEL_LINE_PRINT:
		attr = draw_color(st, PROTO_COLOR_CYAN);
		break;
	default:
		attr = A_NORMAL;
		break;
	}
	/* The client's name at the start of the line gets its colour. */
	col = 0;
	name_end = l->name_len;
	if (off < name_end) {
		nattr = draw_name_color(st, l->cid);
		if (mine)
			nattr |= A_UNDERLINE;
		col = draw_text(y, tx, w, l->text + off,
		    (name_end < off + n ? name_end : off + n) - off, nattr);
		if (name_end >= off + n)
			return;
		n -= name_end - off;
		off = name_end;
	}
	draw_text(y, tx + col, w - col, l->text + off, n, attr);
}

void
logview_draw(struct logview *lv, const struct layout_rect *r,
    const struct model *m, const struct draw_style *st)
{
	const struct model_line *l;
	size_t idx;
	int y, rows, row, skip, bottom = r->y + r->h - 1;
	long below;

	if (r->w <= 0 || r->h <= 0 || m->log_len == 0)
		return;
	idx = logview_index(lv, m);
	skip = lv->anchor != 0 ? lv->skip : 0;
	y = bottom;
	if (lv->anchor != 0) {
		/* The last row says there is more below. */
		below = logview_offset(lv, m, r->w);
		draw_fill(bottom, r->x, r->w, A_REVERSE);
		{
			char more[64];

			snprintf(more, sizeof more,
			    " -- %ld more rows below, PgDn -- ", below);
			draw_str(bottom, r->x, r->w, more, A_REVERSE);
		}
		y--;
	}
	for (;;) {
		l = model_line_at(m, idx);
		rows = logview_rows(l, r->w);
		for (row = rows - 1 - skip; row >= 0 && y >= r->y; row--, y--)
			logview_draw_line(l, row, y, r->x, r->w,
			    l->cid != 0 && l->cid == m->my_cid, m, st);
		skip = 0;
		if (y < r->y || idx == 0)
			break;
		idx--;
	}
}
