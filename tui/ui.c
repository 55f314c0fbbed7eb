/*
 * ui.c - the interactive client: one libevent loop over the terminal, the
 * server connection and signals; screen.c paints each frame from the model.
 *
 * Nothing draws where it happens.  Keys, server lines and SIGWINCH only
 * change state and flag a redraw; the redraw event sits on the lowest
 * priority, so it runs once, after everything else this loop turn had to
 * do, and paints one frame with erase() and a single doupdate().  With
 * nothing happening there are no timers: an idle client sleeps.
 */
#include "tui.h"

#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#define UI_QUIT_WAIT_MS 2000 /* for "ok quit" before leaving anyway */
#define UI_PRIORITIES   3    /* I/O on 1, the redraw last on 2 */
#define UI_IDLE_READS   100  /* readable with no key this often: tty gone */

static void ui_dirty(struct ui *);
static void ui_exit(struct ui *);
static time_t ui_now(void);
static void ui_redraw_cb(evutil_socket_t, short, void *);
static void ui_anim_arm(struct ui *);
static void ui_anim_cb(evutil_socket_t, short, void *);
static int ui_get_key(struct ui *, wint_t *);
static void ui_stdin_cb(evutil_socket_t, short, void *);
static void ui_winch_cb(evutil_socket_t, short, void *);
static void ui_signal_cb(evutil_socket_t, short, void *);
static void ui_quit_cb(evutil_socket_t, short, void *);
static void ui_key(struct ui *, int, int);
static int ui_pan_key(struct ui *, int);
static void ui_batch_done(struct ui *);
static void ui_paste_answer(struct ui *, int);
static int ui_is_exit(const char *);
static void ui_exit_answer(struct ui *, int, int);
static int ui_paste_send(void *, const char *, int);
static int ui_command(struct ui *, const char *, int);
static void ui_net_line(void *, const char *, size_t);
static void ui_net_up(void *);
static void ui_net_down(void *, const char *);
static void ui_net_state(void *);
static void ui_net_failed(void *, const char *);
static void ui_cmd_submit(void *, char *);
static void ui_cmd_changed(void *);
static void ui_cmd_matches(void *, const char *);

static void
ui_dirty(struct ui *ui)
{
	if (ui->ev_redraw != NULL)
		event_active(ui->ev_redraw, EV_TIMEOUT, 0);
}

static void
ui_exit(struct ui *ui)
{
	event_base_loopbreak(ui->base);
}

static time_t
ui_now(void)
{
	return time(NULL);
}

/* A frame's step while the animation has segments left to show. */
static void
ui_anim_arm(struct ui *ui)
{
	struct timeval tv = {0, ANIMATE_FRAME_MS * 1000};

	if (ui->ev_anim != NULL && animate_pending(&ui->anim) &&
	    !evtimer_pending(ui->ev_anim, NULL))
		evtimer_add(ui->ev_anim, &tv);
}

static void
ui_anim_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ui *ui = arg;

	(void)fd;
	(void)what;
	animate_step(&ui->anim, common_now_ms());
	ui_dirty(ui);
	ui_anim_arm(ui);
}

static void
ui_redraw_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	screen_draw(arg);
}

/*
 * The next key from ncurses, or ERR.  KEY_RESIZE is not a key: ncurses
 * queues one at every resizeterm(), ahead of whatever is typed next, and
 * counted as a key it would make that keystroke look like part of a paste.
 */
static int
ui_get_key(struct ui *ui, wint_t *wch)
{
	int r;

	while ((r = get_wch(wch)) == KEY_CODE_YES && *wch == KEY_RESIZE) {
		ui->resized = 1;
		ui_dirty(ui);
	}
	return r;
}

/*
 * Every key the terminal has for us now, then the lines they made.  A key
 * with another right behind it is part of a burst: a paste (or typing
 * faster than we read), never a single keystroke answering a question.
 */
static void
ui_stdin_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ui *ui = arg;
	wint_t wch, next;
	int r, rn, keys = 0;

	(void)fd;
	(void)what;
	r = ui_get_key(ui, &wch);
	/* Readable but nothing to read, again and again: the tty is gone. */
	if (r == ERR) {
		if (!ui->resized && ++ui->idle_reads >= UI_IDLE_READS) {
			ui->status = TUI_EXIT_ERROR;
			ui_exit(ui);
		}
		return;
	}
	ui->idle_reads = 0;
	while (r != ERR) {
		rn = ui_get_key(ui, &next);
		ui->burst = keys > 0 || rn != ERR;
		ui_key(ui, r == KEY_CODE_YES, (int)wch);
		keys++;
		r = rn;
		wch = next;
	}
	ui->burst = 0;
	ui_batch_done(ui);
}

static void
ui_winch_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ui *ui = arg;

	(void)fd;
	(void)what;
	ui->resized = 1;
	ui_dirty(ui);
}

static void
ui_signal_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	/* Ctrl-C in a definition drops it (logoedit.c), else leaves. */
	if (fd == SIGINT && logoedit_escape(arg))
		return;
	ui_exit(arg);
}

static void
ui_quit_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	ui_exit(arg);
}

/*
 * Pan keys: Shift+arrows move a little, Ctrl+arrows half a pane.  Other
 * modified cursor keys are taken too and do nothing, so their sequences
 * never turn up as text on the command line.
 */
static int
ui_pan_key(struct ui *ui, int key)
{
	static const int dx[UI_KEY_FINALS] = {0, 0, 1, -1, 0, 0};
	static const int dy[UI_KEY_FINALS] = {1, -1, 0, 0, 0, 0};
	int hw = ui->vp.w / 2 > 1 ? ui->vp.w / 2 : 1;
	int hh = ui->vp.h / 2 > 1 ? ui->vp.h / 2 : 1;
	int m, f;

	if (key == 0)
		return 0;
	for (m = 0; m < UI_KEY_MODS; m++) {
		for (f = 0; f < UI_KEY_FINALS; f++) {
			if (ui->key_mod[m][f] != key)
				continue;
			if (m == UI_KEY_SHIFT && (dx[f] != 0 || dy[f] != 0))
				viewport_pan(&ui->vp, 2 * dx[f], 2 * dy[f]);
			else if (m == UI_KEY_CTRL && (dx[f] != 0 || dy[f] != 0))
				viewport_pan(&ui->vp, hw * dx[f], hh * dy[f]);
			return 1;
		}
	}
	return 0;
}

static void
ui_key(struct ui *ui, int is_key, int key)
{
	int page;

	ui_dirty(ui);
	if (ui->help) {
		if (!help_key(&ui->help_scroll, is_key, key))
			ui->help = 0;
		return;
	}
	if (ui->ask_exit) {
		/* A paste cannot answer it, nor be typed under it. */
		if (!ui->burst)
			ui_exit_answer(ui, is_key, key);
		return;
	}
	if (ui->paste.nask > 0) {
		/* More of the paste: its lines join the question. */
		if (ui->burst)
			cmdline_key(&ui->cmd, is_key, key);
		else
			ui_paste_answer(ui, is_key ? 0 : key);
		return;
	}
	/* A + or - in a paste is text, even on an empty line. */
	if (gridview_key(
		&ui->grid, &ui->vp, is_key, key, !ui->burst && cmdline_empty()))
		return;
	if (is_key) {
		page = ui->layout.log.h > 2 ? ui->layout.log.h - 1 : 1;
		if (key == KEY_F(1)) {
			ui->help = 1;
			ui->help_scroll = 0;
		} else if (key == KEY_F(2))
			viewport_follow(&ui->vp);
		else if (key == KEY_PPAGE)
			logview_scroll(
			    &ui->log, &ui->model, &ui->layout.log, page);
		else if (key == KEY_NPAGE)
			logview_scroll(
			    &ui->log, &ui->model, &ui->layout.log, -page);
		else if (!ui_pan_key(ui, key))
			cmdline_key(&ui->cmd, 1, key);
		return;
	}
	if (key == '\f') {
		clearok(curscr, TRUE);
		return;
	}
	if (key == '?' && cmdline_empty()) {
		ui->help = 1;
		ui->help_scroll = 0;
		return;
	}
	if (key == 27 && !ui->burst && logoedit_escape(ui))
		return;
	cmdline_key(&ui->cmd, 0, key);
}

/* One line is typed; more in one read is a paste, and we ask first. */
static void
ui_batch_done(struct ui *ui)
{
	size_t i;

	if (ui->nbatch == 0)
		return;
	if (ui->nbatch == 1 && ui->paste.nask == 0) {
		if (logoedit_typed(ui, ui->batch[0]))
			;
		else if (ui_is_exit(ui->batch[0]))
			ui->ask_exit = 1;
		else
			ui_command(ui, ui->batch[0], 1);
		free(ui->batch[0]);
	} else {
		for (i = 0; i < ui->nbatch; i++)
			paste_add(&ui->paste, ui->batch[i]);
	}
	ui->nbatch = 0;
	ui_dirty(ui);
}

static void
ui_paste_answer(struct ui *ui, int key)
{
	int yes = key == 'y' || key == 'Y';
	size_t n;

	if (!yes && key != 'n' && key != 'N' && key != 27 && key != 3)
		return;
	n = paste_answer(&ui->paste, yes);
	if (!yes)
		model_log(&ui->model, MODEL_LINE_INFO, ui_now(),
		    "%zu pasted lines not sent", n);
}

/* The line is the command _exit, which stops the server for everyone. */
static int
ui_is_exit(const char *line)
{
	struct proto_cmd cmd;
	char why[128];

	return proto_parse_command(line, strlen(line), &cmd, why, sizeof why) ==
		   PROTO_OK &&
	       cmd.type == PROTO_CMD_EXIT;
}

/* The answer to "stop the server for everyone?": y, or no by default. */
static void
ui_exit_answer(struct ui *ui, int is_key, int key)
{
	if (!is_key && (key == 'y' || key == 'Y')) {
		ui->ask_exit = 0;
		ui_command(ui, "_exit", 1);
		return;
	}
	if (is_key ? key != KEY_ENTER
		   : key != 'n' && key != 'N' && key != 27 && key != 3 &&
			 key != 7 && key != '\r' && key != '\n')
		return;
	ui->ask_exit = 0;
	model_log(&ui->model, MODEL_LINE_INFO, ui_now(),
	    "_exit not sent: the server keeps running");
}

/* A confirmed pasted line (again: after "err rate", not echoed twice). */
static int
ui_paste_send(void *arg, const char *line, int again)
{
	struct ui *ui = arg;
	size_t left;
	int r;

	/* Stopping the server is asked about, and a paste cannot answer. */
	if (ui_is_exit(line)) {
		model_log(&ui->model, MODEL_LINE_ERROR, ui_now(),
		    "pasted _exit not sent: type it to be asked");
		return 0;
	}
	r = ui_command(ui, line, !again);
	if (r < 0 && (left = paste_left(&ui->paste)) > 0)
		model_log(&ui->model, MODEL_LINE_ERROR, ui_now(),
		    "%zu more pasted lines not sent", left);
	ui_dirty(ui);
	return r;
}

/*
 * A line the user entered, echoed to the log (when echo) and sent.  1 when
 * it went to the server, 0 when it did not (nothing to send, too long, a
 * local command), -1 when it cannot go now (not connected, stuck).
 */
static int
ui_command(struct ui *ui, const char *line, int echo)
{
	char esc[PROTO_LINE_MAX * 4 + 1], buf[PROTO_LINE_MAX + 1];
	const char *p = line;
	size_t len;

	while (*p == ' ' || *p == '\t')
		p++;
	len = strlen(p);
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len == 0)
		return 0;
	if (len == 1 && p[0] == '?') {
		ui->help = 1;
		ui->help_scroll = 0;
		return 0;
	}
	if (echo) {
		proto_text_escape(esc, sizeof esc, p, len);
		model_log(
		    &ui->model, MODEL_LINE_COMMAND, ui_now(), "> %s", esc);
	}
	if (help_command(ui, p, len) ||
	    animate_command(&ui->anim, &ui->model, p, len, common_now_ms()))
		return 0;
	if (len > PROTO_LINE_MAX) {
		model_log(&ui->model, MODEL_LINE_ERROR, ui_now(),
		    "not sent: the line is %zu bytes, at most %d go", len,
		    PROTO_LINE_MAX);
		return 0;
	}
	memcpy(buf, p, len);
	buf[len] = '\0';
	if (strcmp(buf, "quit") == 0 && ui->net.state != NET_UP) {
		ui_exit(ui);
		return 0;
	}
	if (net_send(&ui->net, buf) != 0) {
		model_log(&ui->model, MODEL_LINE_ERROR, ui_now(),
		    ui->net.state == NET_UP
			? "not sent: the server is not reading"
			: "not sent: not connected");
		return -1;
	}
	paste_sent(&ui->paste);
	if (strcmp(buf, "quit") == 0) {
		struct timeval tv = {
		    UI_QUIT_WAIT_MS / 1000, (UI_QUIT_WAIT_MS % 1000) * 1000};

		ui->quitting = 1;
		evtimer_add(ui->ev_quit, &tv);
	}
	return 1;
}

static void
ui_net_line(void *arg, const char *line, size_t len)
{
	struct ui *ui = arg;
	struct proto_msg msg;
	char esc[128];
	int flags;

	ui_dirty(ui);
	if (proto_msg_parse(line, len, &msg) != 0) {
		proto_text_escape(esc, sizeof esc, line, len < 60 ? len : 60);
		model_log(&ui->model, MODEL_LINE_ERROR, ui_now(),
		    "unreadable line from the server: %s", esc);
		return;
	}
	/* A pasted line's "err rate" only means "again, a little later". */
	flags = paste_absorbs(&ui->paste, &msg)
		    ? 0
		    : model_feed(&ui->model, &msg, ui_now());
	if (flags & MODEL_QUIT) {
		ui_exit(ui);
		return;
	}
	/* What arrived as events is drawn at the viewer's pace; a snapshot
	 * shows as it is. */
	animate_note(&ui->anim, &ui->model.world,
	    ui->model.in_snap || (flags & MODEL_SYNCED), common_now_ms());
	ui_anim_arm(ui);
	if (flags & MODEL_SYNCED)
		net_synced(&ui->net);
	if (flags & MODEL_HELLO_ERR) {
		switch (ui->model.hello_err) {
		case PROTO_ERR_SERVER_FULL:
		case PROTO_ERR_RATE:
		case PROTO_ERR_INTERNAL:
			net_drop(&ui->net, "the server turned us away");
			break;
		default:
			ui->status = TUI_EXIT_CONNECT;
			net_stop(&ui->net, "the server refused us");
			model_log(&ui->model, MODEL_LINE_INFO, ui_now(),
			    "not trying again; type quit to leave");
			break;
		}
	} else if (flags & MODEL_PROTO_ERR)
		net_drop(&ui->net, "the server's snapshot made no sense");
	else if (flags & MODEL_GAP)
		net_resync(&ui->net, "events were lost");
	paste_reply(&ui->paste, &msg);
}

static void
ui_net_up(void *arg)
{
	struct ui *ui = arg;

	model_connected(&ui->model);
	model_log(
	    &ui->model, MODEL_LINE_INFO, ui_now(), "connected to %s", ui->addr);
	ui_dirty(ui);
}

static void
ui_net_down(void *arg, const char *why)
{
	struct ui *ui = arg;
	size_t n;

	model_disconnected(&ui->model);
	if (ui->quitting) {
		ui_exit(ui);
		return;
	}
	model_log(&ui->model, MODEL_LINE_ERROR, ui_now(), "%s%s", why,
	    ui->net.state == NET_WAIT ? "; reconnecting" : "");
	if ((n = paste_reset(&ui->paste)) > 0)
		model_log(&ui->model, MODEL_LINE_ERROR, ui_now(),
		    "%zu pasted lines not sent", n);
	ui_dirty(ui);
}

static void
ui_net_state(void *arg)
{
	ui_dirty(arg);
}

/* A try failed.  Never connected yet: there is nothing to show, so leave. */
static void
ui_net_failed(void *arg, const char *why)
{
	struct ui *ui = arg;

	if (ui->net.ever_up)
		return;
	snprintf(ui->failed, sizeof ui->failed, "%s", why);
	ui->status = TUI_EXIT_CONNECT;
	ui_exit(ui);
}

/*
 * Readline has a line (NULL: Ctrl-D on an empty line, which leaves as the
 * command quit does, so others see a quit and not a dropped connection).
 */
static void
ui_cmd_submit(void *arg, char *line)
{
	struct ui *ui = arg;
	char **n;

	if (line == NULL) {
		if (!ui->quitting)
			ui_command(ui, "quit", 0);
		return;
	}
	n = common_grow(ui->batch, &ui->batch_cap, ui->nbatch + 1, sizeof *n);
	if (n == NULL) {
		free(line);
		return;
	}
	ui->batch = n;
	ui->batch[ui->nbatch++] = line;
}

static void
ui_cmd_changed(void *arg)
{
	ui_dirty(arg);
}

/*
 * The choices for Tab, in the log.  Readline shows them at every Tab, but
 * the same list right under itself says nothing new: it goes in once.
 */
static void
ui_cmd_matches(void *arg, const char *list)
{
	static const char prefix[] = "completions: ";
	struct ui *ui = arg;
	const struct model_line *last;

	last = ui->model.log_len > 0
		   ? model_line_at(&ui->model, ui->model.log_len - 1)
		   : NULL;
	if (last != NULL && last->kind == MODEL_LINE_INFO &&
	    strncmp(last->text, prefix, sizeof prefix - 1) == 0 &&
	    strcmp(last->text + sizeof prefix - 1, list) == 0)
		return;
	model_log(&ui->model, MODEL_LINE_INFO, ui_now(), "%s%s", prefix, list);
	ui_dirty(ui);
}

int
ui_main(const struct tui_opts *opts)
{
	static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
	struct net_cb ncb = {
	    ui_net_line, ui_net_up, ui_net_down, ui_net_state, ui_net_failed};
	struct cmdline_cb ccb = {ui_cmd_submit, ui_cmd_changed, ui_cmd_matches};
	struct ui ui;
	char hello[PROTO_LINE_MAX + 1], *cause = NULL;
	size_t i;
	int fd;

	memset(&ui, 0, sizeof ui);
	ui.opts = opts;
	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("turtle: the interactive client needs a terminal\n",
		    stderr);
		return TUI_EXIT_USAGE;
	}
	connect_describe(&opts->addr, ui.addr, sizeof ui.addr);
	/*
	 * A local socket answers at once (or after starting turtled, which is
	 * bounded); TCP is reached from the loop, with the screen up.
	 */
	if (opts->addr.is_tcp)
		fd = -1;
	else
		fd = connect_client(opts, &ui.started, &cause);
	if (fd < 0 && !opts->addr.is_tcp) {
		fprintf(
		    stderr, "turtle: %s\n", cause ? cause : "cannot connect");
		free(cause);
		return TUI_EXIT_CONNECT;
	}
	if (proto_hello_format(
		hello, sizeof hello, opts->name, opts->token, 0) != 0) {
		if (fd != -1)
			close(fd);
		fputs("turtle: name or token too long\n", stderr);
		return TUI_EXIT_USAGE;
	}

	if ((ui.base = event_base_new()) == NULL ||
	    event_base_priority_init(ui.base, UI_PRIORITIES) != 0 ||
	    model_init(&ui.model, MODEL_LOG_MAX) != 0) {
		if (fd != -1)
			close(fd);
		fputs("turtle: out of memory\n", stderr);
		return TUI_EXIT_ERROR;
	}
	viewport_init(&ui.vp);
	logview_init(&ui.log);
	if (screen_init(&ui) != 0) {
		if (fd != -1)
			close(fd);
		fputs("turtle: cannot set up the terminal\n", stderr);
		ui.status = TUI_EXIT_ERROR;
		goto out;
	}
	if (cmdline_init(&ui.cmd, opts->history, &ccb, &ui) != 0 ||
	    logoedit_init(&ui.edit) != 0 ||
	    paste_init(&ui.paste, ui.base, ui_paste_send, &ui) != 0 ||
	    net_init(&ui.net, ui.base, &opts->addr, hello, &ncb, &ui) != 0) {
		if (fd != -1)
			close(fd);
		ui.status = TUI_EXIT_ERROR;
		goto out;
	}
	ui.cmd.model = &ui.model;
	if (ui.cmd.history_failed)
		model_log(&ui.model, MODEL_LINE_ERROR, ui_now(),
		    "cannot keep the history in %s", opts->history);
	ui.ev_redraw = event_new(ui.base, -1, 0, ui_redraw_cb, &ui);
	ui.ev_stdin = event_new(
	    ui.base, STDIN_FILENO, EV_READ | EV_PERSIST, ui_stdin_cb, &ui);
	ui.ev_winch = evsignal_new(ui.base, SIGWINCH, ui_winch_cb, &ui);
	ui.ev_quit = evtimer_new(ui.base, ui_quit_cb, &ui);
	ui.ev_anim = evtimer_new(ui.base, ui_anim_cb, &ui);
	animate_init(&ui.anim, ANIMATE_SPEED_DEFAULT);
	for (i = 0; i < 3; i++)
		ui.ev_sig[i] =
		    evsignal_new(ui.base, sigs[i], ui_signal_cb, &ui);
	if (ui.ev_redraw == NULL || ui.ev_stdin == NULL ||
	    ui.ev_winch == NULL || ui.ev_quit == NULL || ui.ev_anim == NULL ||
	    ui.ev_sig[0] == NULL || ui.ev_sig[1] == NULL ||
	    ui.ev_sig[2] == NULL ||
	    event_priority_set(ui.ev_redraw, UI_PRIORITIES - 1) != 0 ||
	    event_add(ui.ev_stdin, NULL) != 0 ||
	    event_add(ui.ev_winch, NULL) != 0) {
		if (fd != -1)
			close(fd);
		ui.status = TUI_EXIT_ERROR;
		goto out;
	}
	for (i = 0; i < 3; i++)
		event_add(ui.ev_sig[i], NULL);
	if (ui.started)
		model_log(&ui.model, MODEL_LINE_INFO, ui_now(),
		    "started turtled on %s: nothing answered there; it keeps "
		    "running after you quit (_exit stops it)",
		    ui.addr);
	if (fd != -1)
		net_attach(&ui.net, fd);
	else {
		model_log(&ui.model, MODEL_LINE_INFO, ui_now(),
		    "connecting to %s", ui.addr);
		net_connect(&ui.net);
	}
	ui_dirty(&ui);
	event_base_dispatch(ui.base);

out:
	screen_stats(&ui);
	if (ui.screen)
		cmdline_free(&ui.cmd);
	if (ui.screen) {
		endwin();
		delscreen(ui.screen);
	}
	if (ui.failed[0] != '\0')
		fprintf(stderr, "turtle: %s\n", ui.failed);
	/* The server we started outlives us: never a secret. */
	if (ui.started && ui.net.state == NET_UP)
		fprintf(stderr,
		    "turtle: the turtled started for you on %s keeps running; "
		    "turtle -c _exit stops it\n",
		    ui.addr);
	net_free(&ui.net);
	for (i = 0; i < ui.nbatch; i++)
		free(ui.batch[i]);
	free(ui.batch);
	paste_free(&ui.paste);
	logoedit_free(&ui.edit);
	if (ui.ev_redraw)
		event_free(ui.ev_redraw);
	if (ui.ev_stdin)
		event_free(ui.ev_stdin);
	if (ui.ev_winch)
		event_free(ui.ev_winch);
	if (ui.ev_quit)
		event_free(ui.ev_quit);
	if (ui.ev_anim)
		event_free(ui.ev_anim);
	for (i = 0; i < 3; i++) {
		if (ui.ev_sig[i])
			event_free(ui.ev_sig[i]);
	}
	gridview_free(&ui.grid);
	model_free(&ui.model);
	event_base_free(ui.base);
	return ui.status;
}
