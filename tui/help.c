/*
 * help.c - the one help of the interactive client.  F1, ? on an empty line
 * and the command help all open the same overlay: assets/help.txt as built
 * into the program, with the command table (proto_cmd_table(), hello left
 * out: it belongs to the connection) and the Logo words put in where it
 * says @commands and @logo, in a box over the screen.  Up/Down and
 * PgUp/PgDn scroll it when it is taller than the pane; any other key
 * closes it.  help WORD puts one line in the log instead: a command's
 * entry, a Logo primitive's description from the table below, or a
 * procedure's title.
 *
 * help is the client's own (the server's reply lists hello and token=,
 * which are the connection's business, not the user's); turtle -c help
 * still asks the server.
 */
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define HELP_TEXT_MAX 8192 /* the overlay's text, generated parts included */
#define HELP_WRAP     66   /* a Logo group's words wrap at this column */

/*
 * A Logo primitive, as docs/logo.md "The language" lists them.  Arrays,
 * not pointers, so the table is read-only data (tests/unit/tui/globals.sh).
 */
struct help_logo {
	char group[12]; /* the overlay lists the words by group */
	char name[12];
	char alias[6]; /* the short form, or "" */
	char args[16];
	char text[64];
};

static const struct help_logo help_logo[] = {
    {"turtle", "forward", "fd", "DIST",
	"move forward DIST steps, drawing with the pen down"},
    {"turtle", "back", "bk", "DIST", "move back DIST steps"},
    {"turtle", "left", "lt", "DEG", "turn left DEG degrees"},
    {"turtle", "right", "rt", "DEG", "turn right DEG degrees"},
    {"turtle", "penup", "pu", "", "lift the pen: moves draw nothing"},
    {"turtle", "pendown", "pd", "", "put the pen down: moves draw"},
    {"turtle", "setpencolor", "setpc", "COLOR",
	"pen colour, 0-15 or a name (black blue green cyan red ...)"},
    {"turtle", "setxy", "", "X Y", "go to X, Y (drawing with the pen down)"},
    {"turtle", "setx", "", "X", "go to x X, y as it is"},
    {"turtle", "sety", "", "Y", "go to y Y, x as it is"},
    {"turtle", "setpos", "", "[X Y]", "go to [X Y]"},
    {"turtle", "setheading", "seth", "DEG",
	"face DEG degrees (0 north, clockwise)"},
    {"turtle", "home", "", "",
	"in Logo: go to 0,0 facing north, drawing with the pen down"},
    {"turtle", "clearscreen", "cs", "", "erase the trail and go home"},
    {"turtle", "clean", "", "", "erase the trail; the turtle stays"},
    {"turtle", "pos", "", "", "output the position as [X Y]"},
    {"turtle", "xcor", "", "", "output the x coordinate"},
    {"turtle", "ycor", "", "", "output the y coordinate"},
    {"turtle", "heading", "", "", "output the heading in degrees"},
    {"turtle", "towards", "", "[X Y]", "output the heading that faces [X Y]"},
    {"turtle", "pencolor", "pc", "", "output the pen colour (0-15)"},
    {"turtle", "pendownp", "", "", "output true when the pen is down"},
    {"control", "repeat", "", "N [LIST]", "run LIST N times"},
    {"control", "repcount", "", "",
	"output the turn of the innermost repeat, from 1"},
    {"control", "if", "", "TF [LIST]",
	"run LIST when TF is true; (if TF [YES] [NO]) for either"},
    {"control", "ifelse", "", "TF [YES] [NO]",
	"run YES when TF is true, else NO"},
    {"control", "run", "", "[LIST]", "run LIST as Logo"},
    {"control", "stop", "", "", "leave the procedure"},
    {"control", "output", "op", "VALUE",
	"leave the procedure, outputting VALUE"},
    {"procedures", "to", "", "NAME :IN ...",
	"start a definition; lines up to end are its body"},
    {"procedures", "end", "", "", "end a definition"},
    {"procedures", "erase", "er", "NAME|[NAMES]", "erase procedures"},
    {"procedures", "pots", "", "", "print every procedure's definition"},
    {"data", "make", "", "\"NAME VALUE", "set the variable NAME"},
    {"data", "local", "", "\"NAME|[NAMES]",
	"make variables local to the procedure"},
    {"data", "list", "", "A B", "output the list [A B]"},
    {"data", "word", "", "A B", "output the word AB"},
    {"arithmetic", "sum", "", "A B", "output A + B; (sum A B C ...)"},
    {"arithmetic", "product", "", "A B", "output A * B; (product A B C ...)"},
    {"arithmetic", "difference", "", "A B", "output A - B"},
    {"arithmetic", "quotient", "", "A B", "output A / B"},
    {"arithmetic", "remainder", "", "A B", "output the remainder of A / B"},
    {"arithmetic", "minus", "", "A", "output -A"},
    {"arithmetic", "random", "", "N", "output a whole number from 0 to N-1"},
    {"arithmetic", "sqrt", "", "A", "output the square root of A"},
    {"arithmetic", "sin", "", "DEG", "output the sine of DEG degrees"},
    {"arithmetic", "cos", "", "DEG", "output the cosine of DEG degrees"},
    {"arithmetic", "arctan", "", "A",
	"output the angle whose tangent is A; (arctan X Y)"},
    {"arithmetic", "int", "", "A", "output A without its fraction"},
    {"arithmetic", "round", "", "A", "output A rounded to a whole number"},
    {"arithmetic", "abs", "", "A", "output A without its sign"},
    {"arithmetic", "not", "", "TF", "output true for false, false for true"},
    {"arithmetic", "and", "", "TF TF", "output true when both are true"},
    {"arithmetic", "or", "", "TF TF", "output true when either is true"},
    {"output", "print", "pr", "THING",
	"print THING (a list without its brackets)"},
    {"output", "show", "", "THING", "print THING, a list with brackets"},
    {"output", "type", "", "THING", "print THING without a line end"},
};

#define HELP_NLOGO (sizeof help_logo / sizeof help_logo[0])

static size_t help_build(char *, size_t);
static size_t help_commands(char *, size_t);
static size_t help_logo_groups(char *, size_t);
static size_t help_lines(const char *, size_t);
static const char *help_line(const char *, size_t, size_t, size_t *);
static void help_one(struct ui *, const char *, size_t);

/* The i-th Logo word (names and short forms) for Tab, or NULL past the end. */
const char *
help_logo_word(size_t i)
{
	size_t k;

	for (k = 0; k < HELP_NLOGO; k++) {
		if (i == 0)
			return help_logo[k].name;
		i--;
		if (help_logo[k].alias[0] != '\0') {
			if (i == 0)
				return help_logo[k].alias;
			i--;
		}
	}
	return NULL;
}

/* Whether word is a Logo primitive (Logo names ignore case). */
int
help_is_logo_word(const char *word)
{
	const char *w;
	size_t i;

	for (i = 0; (w = help_logo_word(i)) != NULL; i++) {
		if (strcasecmp(w, word) == 0)
			return 1;
	}
	return 0;
}

/* The commands a user types, one per line. */
static size_t
help_commands(char *out, size_t len)
{
	const struct proto_cmd_info *t;
	char verb[64];
	size_t n, i, used = 0;
	int r;

	t = proto_cmd_table(&n);
	for (i = 0; i < n; i++) {
		if (t[i].type == PROTO_CMD_HELLO)
			continue;
		if (t[i].type == PROTO_CMD_HELP)
			snprintf(verb, sizeof verb, "help [WORD]");
		else
			snprintf(verb, sizeof verb, "%s%s%s", t[i].name,
			    *t[i].args ? " " : "", t[i].args);
		r = snprintf(out + used, len - used, "  %-16s %s\n", verb,
		    t[i].type == PROTO_CMD_HELP
			? "this list; help WORD: one command, Logo word or "
			  "procedure"
			: t[i].help);
		if (r < 0 || (size_t)r >= len - used)
			break;
		used += (size_t)r;
	}
	return used;
}

/* The Logo words by group, wrapped. */
static size_t
help_logo_groups(char *out, size_t len)
{
	const char *group = NULL, *w;
	size_t i, used = 0, col = 0, wl;
	int r;

	for (i = 0; i < HELP_NLOGO; i++) {
		if (group == NULL || strcmp(group, help_logo[i].group) != 0) {
			group = help_logo[i].group;
			r = snprintf(out + used, len - used, "%s  %-11s",
			    used > 0 ? "\n" : "", group);
			if (r < 0 || (size_t)r >= len - used)
				return used;
			used += (size_t)r;
			col = 13;
		}
		for (w = help_logo[i].name; w != NULL && *w != '\0';
		     w = w == help_logo[i].name ? help_logo[i].alias : NULL) {
			wl = strlen(w);
			if (col + 1 + wl > HELP_WRAP) {
				r = snprintf(
				    out + used, len - used, "\n%13s", "");
				if (r < 0 || (size_t)r >= len - used)
					return used;
				used += (size_t)r;
				col = 13;
			}
			r = snprintf(out + used, len - used, " %s", w);
			if (r < 0 || (size_t)r >= len - used)
				return used;
			used += (size_t)r;
			col += 1 + wl;
		}
	}
	if (used + 1 < len)
		out[used++] = '\n';
	out[used] = '\0';
	return used;
}

/* The overlay's text: help.txt with its @commands and @logo filled in. */
static size_t
help_build(char *out, size_t len)
{
	const char *p = help_text, *end = help_text + help_text_len, *nl;
	size_t used = 0, n;

	out[0] = '\0';
	while (p < end && used + 1 < len) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (n == 9 && memcmp(p, "@commands", 9) == 0)
			used += help_commands(out + used, len - used);
		else if (n == 5 && memcmp(p, "@logo", 5) == 0)
			used += help_logo_groups(out + used, len - used);
		else {
			if (n + 2 > len - used)
				break;
			memcpy(out + used, p, n);
			used += n;
			out[used++] = '\n';
			out[used] = '\0';
		}
		p += n + 1;
	}
	return used;
}

/* Lines in text. */
static size_t
help_lines(const char *text, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (text[i] == '\n')
			n++;
	}
	if (len > 0 && text[len - 1] != '\n')
		n++;
	return n;
}

/* Line i of text (without its newline), its length in *n. */
static const char *
help_line(const char *text, size_t len, size_t i, size_t *n)
{
	const char *p = text, *end = text + len, *nl;

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
	*n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
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
	char text[HELP_TEXT_MAX];
	size_t tlen = help_build(text, sizeof text);
	size_t n = help_lines(text, tlen), i, len, widest = 0;
	const char *l;
	int w, h, x, y, row, inner;

	for (i = 0; i < n; i++) {
		if ((l = help_line(text, tlen, i, &len)) != NULL &&
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
		l = help_line(text, tlen, (size_t)(*scroll + row), &len);
		if (l != NULL)
			draw_text(y + 1 + row, x + 2, w - 4, l, len, A_NORMAL);
	}
	if (*scroll + inner < (int)n)
		draw_str(y + h - 1, x + w - 10, 8, " more ", A_BOLD);
}

/* What one word is: a command, a Logo primitive, a procedure. */
static void
help_one(struct ui *ui, const char *word, size_t len)
{
	const struct proto_cmd_info *c;
	const struct model_proc *pr;
	char w[PROTO_LINE_MAX + 1], esc[PROTO_LINE_MAX * 4 + 1];
	char title[PROTO_LINE_MAX * 4 + 1];
	size_t i;
	int found = 0;

	memcpy(w, word, len);
	w[len] = '\0';
	proto_text_escape(esc, sizeof esc, w, len);
	if ((c = proto_cmd_lookup(w, len)) != NULL) {
		model_log(&ui->model, MODEL_LINE_INFO, time(NULL),
		    "help: %s%s%s - %s", c->name, *c->args ? " " : "", c->args,
		    c->type == PROTO_CMD_HELP
			? "the command list; help WORD: one command, Logo word "
			  "or procedure"
			: c->help);
		found = 1;
	}
	for (i = 0; i < HELP_NLOGO; i++) {
		if (strcasecmp(help_logo[i].name, w) != 0 &&
		    (help_logo[i].alias[0] == '\0' ||
			strcasecmp(help_logo[i].alias, w) != 0))
			continue;
		model_log(&ui->model, MODEL_LINE_INFO, time(NULL),
		    "help: %s%s%s%s%s%s - %s", help_logo[i].name,
		    *help_logo[i].alias ? " (" : "", help_logo[i].alias,
		    *help_logo[i].alias ? ")" : "",
		    *help_logo[i].args ? " " : "", help_logo[i].args,
		    help_logo[i].text);
		found = 1;
	}
	if (!found && (pr = model_proc_find(&ui->model, w)) != NULL) {
		if (pr->title != NULL) {
			proto_text_escape(
			    title, sizeof title, pr->title, strlen(pr->title));
			model_log(&ui->model, MODEL_LINE_INFO, time(NULL),
			    "help: %s (a procedure; pots shows it whole)",
			    title);
		} else
			model_log(&ui->model, MODEL_LINE_INFO, time(NULL),
			    "help: %s - a procedure of the shared workspace "
			    "(pots shows it)",
			    esc);
		found = 1;
	}
	if (!found)
		model_log(&ui->model, MODEL_LINE_ERROR, time(NULL),
		    "help: no command, Logo word or procedure is called %s",
		    esc);
}

/*
 * A typed line that is help: alone, it opens the overlay; help WORD...
 * says what each word is, in the log.  1 when the line was help.
 */
int
help_command(struct ui *ui, const char *line, size_t len)
{
	size_t i = 4, n;

	if (len < 4 || memcmp(line, "help", 4) != 0 ||
	    (len > 4 && line[4] != ' ' && line[4] != '\t'))
		return 0;
	i += strspn(line + i, " \t");
	if (i >= len) {
		ui->help = 1;
		ui->help_scroll = 0;
		return 1;
	}
	while (i < len) {
		n = strcspn(line + i, " \t");
		if (n > len - i)
			n = len - i;
		help_one(ui, line + i, n);
		i += n;
		i += strspn(line + i, " \t");
	}
	return 1;
}
