/*
 * help.c - the help overlay (F1, or ? on an empty line): assets/help.txt
 * as built into the program, in a box over the screen.  Up/Down and
 * PgUp/PgDn scroll it when it is taller than the pane; any other key
 * closes it.
 */
#include "tui.h"

#include <curses.h>
#include <string.h>

static size_t help_lines(void);
static const char *help_line(size_t, size_t *);

/* Lines in the text. */
static size_t
help_lines(void)
{
	size_t i, n = 0;

	for (i = 0; i < help_text_len; i++) {
		if (help_text[i] == '\n')
			n++;
	}
	if (help_text_len > 0 && help_text[help_text_len - 1] != '\n')
		n++;
	return n;
}

/* Line i of the text (without its newline), its length in *len. */
static const char *
help_line(size_t i, size_t *len)
{
	const char *p = help_text, *end = help_text + help_text_len, *nl;

	while (i > 0 && p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return NULL;
		p = nl + 1;
		i--;
	}
	if (p >= end)
		return NULL;
	nl = memchr(p, '\n', (size_t)(end - p));
	*len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
	return p;
}

/* A key while the overlay is open: 1 if it scrolled, 0 if it closes it. */
int
help_key(int *scroll, int is_key, int key)
{
	if (!is_key)
		return 0;
	switch (key) {
	case KEY_UP:
		if (*scroll > 0)
			(*scroll)--;
		return 1;
	case KEY_DOWN:
		(*scroll)++;
		return 1;
	case KEY_PPAGE:
		*scroll = *scroll > 10 ? *scroll - 10 : 0;
		return 1;
	case KEY_NPAGE:
		*scroll += 10;
		return 1;
	case KEY_RESIZE:
		return 1;
	}
	return 0;
}

void
help_draw(const struct draw_style *st, int cols, int rows, int *scroll)
{
	size_t n = help_lines(), i, len, widest = 0;
	const char *l;
	int w, h, x, y, row, inner;

	for (i = 0; i < n; i++) {
		if ((l = help_line(i, &len)) != NULL &&
		    (size_t)draw_width(l, len) > widest)
			widest = (size_t)draw_width(l, len);
	}
	w = (int)widest + 4;
	if (w > cols)
		w = cols;
	h = (int)n + 2;
	if (h > rows)
		h = rows;
	inner = h - 2;
	if (inner < 1 || w < 4)
		return;
	if (*scroll > (int)n - inner)
		*scroll = (int)n - inner;
	if (*scroll < 0)
		*scroll = 0;
	x = (cols - w) / 2;
	y = (rows - h) / 2;
	for (row = 0; row < h; row++)
		draw_fill(y + row, x, w, A_NORMAL);
	draw_glyph(st, y, x, "\xe2\x94\x8c", '+', A_BOLD);
	draw_hline(st, y, x + 1, w - 2, A_BOLD);
	draw_glyph(st, y, x + w - 1, "\xe2\x94\x90", '+', A_BOLD);
	draw_vline(st, y + 1, x, h - 2, A_BOLD);
	draw_vline(st, y + 1, x + w - 1, h - 2, A_BOLD);
	draw_glyph(st, y + h - 1, x, "\xe2\x94\x94", '+', A_BOLD);
	draw_hline(st, y + h - 1, x + 1, w - 2, A_BOLD);
	draw_glyph(st, y + h - 1, x + w - 1, "\xe2\x94\x98", '+', A_BOLD);
	draw_str(y, x + 2, w - 4, " help: any key closes ", A_BOLD);
	for (row = 0; row < inner; row++) {
		l = help_line((size_t)(*scroll + row), &len);
		if (l != NULL)
			draw_text(y + 1 + row, x + 2, w - 4, l, len, A_NORMAL);
	}
	if (*scroll + inner < (int)n)
		draw_str(y + h - 1, x + w - 10, 8, " more ", A_BOLD);
}
