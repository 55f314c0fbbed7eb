/*
 * draw.c - what every view needs from ncurses: colours that follow the
 * terminal and NO_COLOR, and text clipped to a number of columns.
 *
 * Text reaching here is already escaped; still, a byte that is not a
 * printable character in the current locale, or a character that
 * proto_text_hazard() names (a control, a bidirectional or zero-width
 * format character), is drawn as '?' rather than handed to the terminal,
 * so nothing slips through a locale mismatch or an unescaped path (the
 * command line shows what the user typed or pasted).
 */
#include "tui.h"

#include <curses.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static size_t draw_char(const char *, size_t, int *, int, int *);

void
draw_init(struct draw_style *st, int no_color, int ascii)
{
	const char *nc;
	short i;

	memset(st, 0, sizeof *st);
	st->utf8 = !ascii && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	nc = getenv("NO_COLOR");
	if (no_color || (nc != NULL && *nc != '\0') || !has_colors())
		return;
	if (start_color() != OK)
		return;
	/* Pair N draws colour N on the terminal's own background. */
	use_default_colors();
	for (i = 1; i < PROTO_COLOR__COUNT && i < COLOR_PAIRS; i++) {
		if (init_pair(i, (short)(COLOR_RED + i - 1), -1) != OK)
			return;
	}
	st->color = 1;
}

/* The attribute for an enum proto_color (monochrome: none). */
unsigned long
draw_color(const struct draw_style *st, int color)
{
	if (!st->color || color <= PROTO_COLOR_DEFAULT ||
	    color >= PROTO_COLOR__COUNT)
		return A_NORMAL;
	return COLOR_PAIR(color);
}

/* A client's own colour, the same on every screen: picked by cid. */
unsigned long
draw_name_color(const struct draw_style *st, int cid)
{
	/* Red comes last: errors are red. */
	static const short palette[] = {PROTO_COLOR_CYAN, PROTO_COLOR_GREEN,
	    PROTO_COLOR_MAGENTA, PROTO_COLOR_YELLOW, PROTO_COLOR_BLUE,
	    PROTO_COLOR_RED};

	if (!st->color)
		return A_BOLD;
	return COLOR_PAIR(palette[(cid > 0 ? cid - 1 : 0) % 6]) | A_BOLD;
}

/*
 * One character at s: its byte length, with its width in *w; a byte that
 * is not a printable character, and a hazard (*q set for either), count
 * as one '?' column.
 */
static size_t
draw_char(const char *s, size_t len, int *w, int utf8, int *q)
{
	unsigned char c = (unsigned char)s[0];
	mbstate_t ps;
	wchar_t wc;
	size_t n;
	int cw;

	*w = 1;
	*q = c < 0x20 || c >= 0x7f;
	if (c < 0x80 || !utf8)
		return 1;
	memset(&ps, 0, sizeof ps);
	n = mbrtowc(&wc, s, len, &ps);
	if (n == 0 || n == (size_t)-1 || n == (size_t)-2 ||
	    (cw = wcwidth(wc)) < 0)
		return 1;
	/* A UTF-8 locale's wchar_t is the code point. */
	if (proto_text_hazard((uint32_t)wc))
		return n;
	*q = 0;
	*w = cw;
	return n;
}

/* Display columns of s[0..len). */
int
draw_width(const char *s, size_t len)
{
	size_t i = 0;
	int w, q, total = 0, utf8 = MB_CUR_MAX > 1;

	while (i < len) {
		i += draw_char(s + i, len - i, &w, utf8, &q);
		total += w;
	}
	return total;
}

/* How many bytes of s[0..len) fit in cols columns; their width in *used. */
size_t
draw_fit(const char *s, size_t len, int cols, int *used)
{
	size_t i = 0, n;
	int w, q, total = 0, utf8 = MB_CUR_MAX > 1;

	while (i < len) {
		n = draw_char(s + i, len - i, &w, utf8, &q);
		if (total + w > cols)
			break;
		total += w;
		i += n;
	}
	if (used != NULL)
		*used = total;
	return i;
}

/*
 * Draws s[0..len) at (y, x) in at most cols columns with attr.  Returns
 * the columns used.
 */
int
draw_text(int y, int x, int cols, const char *s, size_t len, unsigned long attr)
{
	size_t i = 0, n;
	int w, q, total = 0, utf8 = MB_CUR_MAX > 1;

	if (cols <= 0)
		return 0;
	attrset((attr_t)attr);
	move(y, x);
	while (i < len) {
		n = draw_char(s + i, len - i, &w, utf8, &q);
		if (total + w > cols)
			break;
		if (q)
			addch('?');
		else
			addnstr(s + i, (int)n);
		total += w;
		i += n;
	}
	attrset(A_NORMAL);
	return total;
}

int
draw_str(int y, int x, int cols, const char *s, unsigned long attr)
{
	return draw_text(y, x, cols, s, strlen(s), attr);
}

/* Fills a row of a rect with spaces in attr (a bar's background). */
void
draw_fill(int y, int x, int cols, unsigned long attr)
{
	int i;

	attrset((attr_t)attr);
	move(y, x);
	for (i = 0; i < cols; i++)
		addch(' ');
	attrset(A_NORMAL);
}

/* A line-drawing glyph: box drawing in UTF-8, else its ASCII stand-in. */
void
draw_glyph(const struct draw_style *st, int y, int x, const char *utf8,
    char ascii, unsigned long attr)
{
	attrset((attr_t)attr);
	if (st->utf8)
		mvaddstr(y, x, utf8);
	else
		mvaddch(y, x, (chtype)(unsigned char)ascii);
	attrset(A_NORMAL);
}

void
draw_hline(const struct draw_style *st, int y, int x, int n, unsigned long attr)
{
	int i;

	for (i = 0; i < n; i++)
		draw_glyph(st, y, x + i, "\xe2\x94\x80", '-', attr);
}

void
draw_vline(const struct draw_style *st, int y, int x, int n, unsigned long attr)
{
	int i;

	for (i = 0; i < n; i++)
		draw_glyph(st, y + i, x, "\xe2\x94\x82", '|', attr);
}
