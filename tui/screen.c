/*
 * screen.c - the interactive client's terminal: curses set up (modes, the
 * modified cursor keys) and each frame composed from the views: the grid,
 * the separator, the log, the status line, the command line and, on top,
 * the help overlay; below the smallest layout, a notice alone.  One frame
 * is one erase() and one doupdate(): ui.c decides when.
 */
#include "tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sys/ioctl.h>

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void screen_keys(struct ui *);
static void screen_sep(struct ui *);
static void screen_notice(struct ui *);

/*
 * The codes of the modified cursor keys, CSI 1;M X with M from 2 (Shift)
 * to 8 and X in ABCDHF, which xterm, tmux and most terminals send.  Some
 * terminal descriptions lack them (TERM=screen, tmux's default), so the
 * ones ncurses does not know are taught to it under codes of our own.
 */
static void
screen_keys(struct ui *ui)
{
	static const char finals[UI_KEY_FINALS] = {
	    'A', 'B', 'C', 'D', 'H', 'F'};
	char seq[16];
	int m, f, code, next = KEY_MAX + 1;

	for (m = 0; m < UI_KEY_MODS; m++) {
		for (f = 0; f < UI_KEY_FINALS; f++) {
			snprintf(
			    seq, sizeof seq, "\033[1;%d%c", m + 2, finals[f]);
			code = key_defined(seq);
			if (code == 0 && define_key(seq, next) == OK)
				code = next++;
			ui->key_mod[m][f] = code > 0 ? code : 0;
		}
	}
}

static void
screen_sep(struct ui *ui)
{
	const struct layout_rect *r = &ui->layout.sep;

	if (r->w <= 0)
		return;
	if (ui->layout.wide)
		draw_vline(&ui->style, r->y, r->x, r->h, A_DIM);
	else
		draw_hline(&ui->style, r->y, r->x, r->w, A_DIM);
}

/* Below the smallest layout: the notice alone, centred. */
static void
screen_notice(struct ui *ui)
{
	char text[LAYOUT_NOTICE_LINES][LAYOUT_NOTICE_COLS];
	int n, i, len;

	(void)ui;
	n = layout_notice(text, COLS, LINES);
	for (i = 0; i < n; i++) {
		len = (int)strlen(text[i]);
		draw_str((LINES - n) / 2 + i, (COLS - len) / 2, COLS, text[i],
		    A_BOLD);
	}
	curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
}

static void screen_frame(struct ui *);

/* A frame's CPU, for the bench (TURTLE_FRAME_STATS, screen_stats()). */
static int64_t
screen_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void
screen_draw(struct ui *ui)
{
	int64_t t0 = screen_cpu_ns(), dt;

	screen_frame(ui);
	dt = screen_cpu_ns() - t0;
	ui->frames++;
	if (dt > ui->frame_max_ns)
		ui->frame_max_ns = dt;
}

/*
 * With TURTLE_FRAME_STATS=FILE, the frames drawn and the longest one's CPU
 * go to FILE at exit: tests/bench's bench_tui reads them.
 */
void
screen_stats(const struct ui *ui)
{
	const char *path = getenv("TURTLE_FRAME_STATS");
	FILE *f;

	if (path == NULL || *path == '\0' || (f = fopen(path, "w")) == NULL)
		return;
	fprintf(f, "frames %llu max_us %lld\n", (unsigned long long)ui->frames,
	    (long long)(ui->frame_max_ns / 1000));
	fclose(f);
}

static void
screen_frame(struct ui *ui)
{
	struct statusline_info si;
	struct layout_rect prev;
	struct winsize ws;
	struct world shown;
	char msg[96];
	int cx;

	if (!ui->screen)
		return;
	/*
	 * Only a real change: resizeterm() also queues a KEY_RESIZE and
	 * repaints the whole terminal, even for the size it already has.
	 */
	if (ui->resized) {
		ui->resized = 0;
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
		    ws.ws_col > 0 && ws.ws_row > 0 &&
		    is_term_resized(ws.ws_row, ws.ws_col))
			resizeterm(ws.ws_row, ws.ws_col);
	}
	prev = ui->layout.grid;
	layout_compute(&ui->layout, COLS, LINES);
	/* A new grid size puts a followed turtle back in the middle. */
	if (prev.w != ui->layout.grid.w || prev.h != ui->layout.grid.h)
		ui->vp.recenter = ui->vp.follow;
	erase();
	if (ui->layout.too_small) {
		screen_notice(ui);
		return;
	}
	/* The grid shows the world as far as the animation has come. */
	animate_view(&ui->anim, &ui->model.world, &shown);
	ui->grid.shown = &shown;
	gridview_draw(
	    &ui->grid, &ui->layout.grid, &ui->vp, &ui->model, &ui->style);
	ui->grid.shown = NULL;
	screen_sep(ui);
	logview_draw(&ui->log, &ui->layout.log, &ui->model, &ui->style);
	si.model = &ui->model;
	si.net = &ui->net;
	si.addr = ui->addr;
	si.follow = ui->vp.follow;
	si.pasting = paste_left(&ui->paste);
	si.zoom = ui->grid.braille ? ui->grid.zoom : 0;
	si.mine = ui->grid.mine;
	statusline_draw(&ui->layout.status, &si, &ui->style);
	if (ui->ask_exit) {
		if (ui->model.synced && ui->model.nclients > 1)
			snprintf(msg, sizeof msg,
			    "stop the server for everyone (%zu clients)? "
			    "[y/N] ",
			    ui->model.nclients);
		else
			snprintf(msg, sizeof msg,
			    "stop the server for everyone? [y/N] ");
		cx = cmdline_draw(ui->layout.cmd.y, 0, COLS, msg);
	} else if (ui->paste.nask > 0) {
		snprintf(msg, sizeof msg, "send %zu pasted lines? [y/n] ",
		    ui->paste.nask);
		cx = cmdline_draw(ui->layout.cmd.y, 0, COLS, msg);
	} else {
		cmdline_prompt(
		    &ui->cmd, logoedit_prompt(&ui->edit, ui->model.logo_more));
		cx = cmdline_draw(ui->layout.cmd.y, 0, COLS, NULL);
	}
	if (ui->help) {
		help_draw(&ui->style, COLS, LINES, &ui->help_scroll);
		curs_set(0);
	} else {
		move(ui->layout.cmd.y, cx < COLS ? cx : COLS - 1);
		curs_set(1);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

int
screen_init(struct ui *ui)
{
	if ((ui->screen = newterm(NULL, stdout, stdin)) == NULL)
		return -1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(50);
	draw_init(&ui->style, ui->opts->no_color,
	    ui->opts->ascii || ui->opts->draw == GRIDVIEW_ASCII);
	gridview_init(&ui->grid, ui->opts->draw, ui->style.utf8);
	screen_keys(ui);
	return 0;
}
