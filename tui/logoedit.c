/*
 * logoedit.c - Logo input that spans lines, typed at the prompt.
 *
 * The design: the client collects a definition itself.  After "to sq :n"
 * the lines stay here and the prompt says "sq> " (UCBLogo's ">", with the
 * name, since the client's ordinary prompt is "> " already); nothing goes
 * to the server until "end".  Then every line goes, in order, through the
 * paste queue (paste_quiet(): at the server's pace, so its rate limit
 * cannot drop a line out of the middle, and not echoed again).  Escape or
 * Ctrl-C only forgets the lines: the server never saw any of them, so no
 * protocol is needed to drop its pending state (there is none: turtled
 * keeps a session's open definition until end or the session ends).
 * A line that leaves a [ open is held the same way (prompt "~ ").
 *
 * Where a definition or a list ends is decided by the real Logo reader
 * (logo/), run here on an empty workspace of our own: logo_eval_line()
 * answers LOGO_MORE, and logo_pending_state() which of the two is open,
 * exactly as turtled's will.  So a title the server would refuse ("to fd")
 * goes out alone at once and gets the server's own error, and brackets
 * and comments count as Logo counts them.  A line the local reader
 * finishes runs with a limit of one step: only that it finished matters.
 *
 * Only lines typed one at a time come here.  A paste and turtle -c (or
 * stdin) go to the server line by line, and the server keeps what they
 * leave open; the prompt then shows "to> " or "~ " from its "ok logo
 * more=", and typed lines go straight on to the server.
 */
#include "tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logo.h"

static void logoedit_reset(struct logoedit *);
static int logoedit_is_logo(const char *, size_t);
static int logoedit_keep(struct logoedit *, const char *, size_t);
static int logoedit_refuse(const char *, size_t, char *, size_t);
static void logoedit_echo(struct ui *, const char *, const char *);

int
logoedit_init(struct logoedit *e)
{
	memset(e, 0, sizeof *e);
	if ((e->ws = logo_workspace_new()) == NULL)
		return -1;
	if ((e->pending = logo_pending_new()) == NULL) {
		logo_workspace_free(e->ws);
		e->ws = NULL;
		return -1;
	}
	return 0;
}

void
logoedit_free(struct logoedit *e)
{
	logoedit_reset(e);
	free(e->lines);
	logo_pending_free(e->pending);
	logo_workspace_free(e->ws);
	memset(e, 0, sizeof *e);
}

/* Nothing kept any more. */
static void
logoedit_reset(struct logoedit *e)
{
	size_t i;

	for (i = 0; i < e->nlines; i++)
		free(e->lines[i]);
	e->nlines = 0;
	e->state = LOGOEDIT_NONE;
	e->name[0] = '\0';
	if (e->pending != NULL)
		logo_pending_reset(e->pending);
}

/*
 * Whether turtled reads the line as Logo when no input is open, as
 * server/logoline.c decides: no command takes its first word, or a
 * command refuses it with usage and no command could ever take it (a
 * list, a quoted word, a variable, parentheses, or words after a command
 * that takes none: "run [fd 10", "home lt 90").
 */
static int
logoedit_is_logo(const char *line, size_t len)
{
	const struct proto_cmd_info *info;
	struct proto_cmd cmd;
	char reason[PROTO_WHY_MAX];
	enum proto_err err;
	size_t n;

	err = proto_parse_command(line, len, &cmd, reason, sizeof reason);
	if (err == PROTO_ERR_UNKNOWN_COMMAND)
		return 1;
	if (err != PROTO_ERR_USAGE)
		return 0;
	for (n = 0; n < len; n++) {
		if (strchr("[]\":()", line[n]) != NULL)
			return 1;
	}
	n = strcspn(line, " \t");
	info = proto_cmd_lookup(line, n < len ? n : len);
	return info != NULL && info->args[0] == '\0';
}

/* Keeps a copy of the line.  0, or -1 when out of memory. */
static int
logoedit_keep(struct logoedit *e, const char *line, size_t len)
{
	char **n, *copy;

	n = common_grow(e->lines, &e->cap, e->nlines + 1, sizeof *n);
	if (n == NULL)
		return -1;
	e->lines = n;
	if ((copy = strndup(line, len)) == NULL)
		return -1;
	e->lines[e->nlines++] = copy;
	return 0;
}

/*
 * Whether a line inside a definition would not reach the Logo reader
 * whole: the server's own first look refuses it (too long, not text, a
 * number out of range, a bad name, hello) or acts on it (quit leaves even
 * in a definition).  A command's word with wrong arguments ("color 3")
 * does reach it.  1 with why, else 0.
 */
static int
logoedit_refuse(const char *line, size_t len, char *why, size_t whylen)
{
	struct proto_cmd cmd;
	char reason[PROTO_WHY_MAX];
	enum proto_err err;

	if (len > PROTO_LINE_MAX) {
		snprintf(why, whylen,
		    "not kept: the line is %zu bytes, at most %d go", len,
		    PROTO_LINE_MAX);
		return 1;
	}
	if (proto_text_valid(line, len) != 0) {
		snprintf(why, whylen,
		    "not kept: a line must be text without control "
		    "characters");
		return 1;
	}
	err = proto_parse_command(line, len, &cmd, reason, sizeof reason);
	if (err == PROTO_OK && cmd.type == PROTO_CMD_QUIT) {
		snprintf(why, whylen,
		    "not kept: quit leaves even in a definition (Escape "
		    "drops the definition)");
		return 1;
	}
	if ((err == PROTO_OK && cmd.type == PROTO_CMD_HELLO) ||
	    (err != PROTO_OK && err != PROTO_ERR_UNKNOWN_COMMAND &&
		err != PROTO_ERR_USAGE)) {
		snprintf(why, whylen,
		    "not kept: the server would take this line as its "
		    "command, not as Logo");
		return 1;
	}
	return 0;
}

/*
 * One typed line, leading and trailing blanks gone.  LOGOEDIT_SEND: not
 * ours, send it as it is; LOGOEDIT_KEPT: held, the prompt changes;
 * LOGOEDIT_DONE: the definition or list is whole (logoedit_take());
 * LOGOEDIT_REFUSED: not kept, why says why.
 */
int
logoedit_feed(
    struct logoedit *e, const char *line, size_t len, char *why, size_t whylen)
{
	struct logo_config cfg;
	struct logo_turtle turtle;
	struct logo_result res;
	enum logo_status st;
	enum logo_pending_state ps;
	const char *p;
	size_t n;

	why[0] = '\0';
	if (e->state == LOGOEDIT_NONE) {
		/* Commands, and what the server refuses first, are not Logo. */
		if (len == 0 || len > PROTO_LINE_MAX ||
		    proto_text_valid(line, len) != 0 ||
		    !logoedit_is_logo(line, len))
			return LOGOEDIT_SEND;
	} else {
		if (logoedit_refuse(line, len, why, whylen))
			return LOGOEDIT_REFUSED;
		if (e->nlines >= LOGO_PENDING_LINES) {
			snprintf(why, whylen,
			    "not kept: a definition has at most %d lines",
			    LOGO_PENDING_LINES);
			return LOGOEDIT_REFUSED;
		}
	}
	logo_config_default(&cfg);
	cfg.limits.steps = 1;
	logo_turtle_home(&turtle);
	logo_result_init(&res);
	st = logo_eval_line(e->ws, &turtle, e->pending, line, len, &cfg, &res);
	logo_result_free(&res);
	ps = logo_pending_state(e->pending);
	if (e->state == LOGOEDIT_NONE && st != LOGO_MORE) {
		logo_pending_reset(e->pending);
		return LOGOEDIT_SEND;
	}
	if (logoedit_keep(e, line, len) != 0) {
		logoedit_reset(e);
		snprintf(why, whylen, "out of memory: the input is dropped");
		return LOGOEDIT_REFUSED;
	}
	if (st != LOGO_MORE) {
		logo_pending_reset(e->pending);
		return LOGOEDIT_DONE;
	}
	if (e->state == LOGOEDIT_NONE && ps == LOGO_PENDING_DEFINE) {
		/* The title's second word is the name ("to sq :n"). */
		p = line + strspn(line, " \t") + 2;
		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (n >= sizeof e->name)
			n = sizeof e->name - 1;
		memcpy(e->name, p, n);
		e->name[n] = '\0';
	}
	if (e->state == LOGOEDIT_NONE)
		e->state =
		    ps == LOGO_PENDING_DEFINE ? LOGOEDIT_DEFINE : LOGOEDIT_LIST;
	return LOGOEDIT_KEPT;
}

/* The whole input, ours to free (each line and the array); then empty. */
char **
logoedit_take(struct logoedit *e, size_t *n)
{
	char **lines = e->lines;

	*n = e->nlines;
	e->lines = NULL;
	e->nlines = e->cap = 0;
	logoedit_reset(e);
	return lines;
}

/* Forgets what is kept; how many lines that was. */
size_t
logoedit_abandon(struct logoedit *e)
{
	size_t n = e->nlines;

	logoedit_reset(e);
	return n;
}

/*
 * The prompt while input goes on, NULL for the ordinary one: "sq> " in a
 * definition typed here, "~ " with a [ open, "to> " or "~ " while the
 * server holds what a paste left open (more: model.logo_more).
 */
const char *
logoedit_prompt(struct logoedit *e, int more)
{
	switch (e->state) {
	case LOGOEDIT_DEFINE:
		snprintf(e->prompt, sizeof e->prompt, "%s> ", e->name);
		return e->prompt;
	case LOGOEDIT_LIST:
		return "~ ";
	}
	if (more == 1)
		return "to> ";
	if (more == 2)
		return "~ ";
	return NULL;
}

/* A typed line in the log, after the prompt it was typed at. */
static void
logoedit_echo(struct ui *ui, const char *prompt, const char *line)
{
	char esc[PROTO_LINE_MAX * 4 + 1], pesc[sizeof esc];

	proto_text_escape(esc, sizeof esc, line, strlen(line));
	proto_text_escape(pesc, sizeof pesc, prompt, strlen(prompt));
	model_log(
	    &ui->model, MODEL_LINE_COMMAND, time(NULL), "%s%s", pesc, esc);
}

/*
 * A line typed alone (not a paste): 1 when it is ours (kept, or sent as
 * the end of a definition), 0 when the caller sends it as usual.
 */
int
logoedit_typed(struct ui *ui, const char *line)
{
	struct logoedit *e = &ui->edit;
	char why[256], prompt[sizeof e->prompt], **lines, *copy;
	const char *pr;
	size_t len, n;
	int r, was = e->state;

	while (*line == ' ' || *line == '\t')
		line++;
	len = strlen(line);
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	/*
	 * A definition is still going out: what is typed meanwhile waits
	 * behind it, or the server would read it as one of its lines.
	 */
	if (e->state == LOGOEDIT_NONE && len > 0 &&
	    paste_quiet_left(&ui->paste) > 0) {
		if ((copy = strndup(line, len)) == NULL)
			return 0;
		logoedit_echo(ui, "> ", copy);
		paste_quiet(&ui->paste, &copy, 1);
		return 1;
	}
	/* The server holds input a paste left open: lines go on to it. */
	if (e->state == LOGOEDIT_NONE && ui->model.logo_more != 0)
		return 0;
	pr = logoedit_prompt(e, 0);
	snprintf(prompt, sizeof prompt, "%s", pr != NULL ? pr : "> ");
	r = logoedit_feed(e, line, len, why, sizeof why);
	if (r == LOGOEDIT_SEND)
		return 0;
	copy = strndup(line, len);
	logoedit_echo(ui, prompt, copy != NULL ? copy : "");
	free(copy);
	if (r == LOGOEDIT_REFUSED) {
		model_log(&ui->model, MODEL_LINE_ERROR, time(NULL), "%s", why);
		return 1;
	}
	if (r == LOGOEDIT_DONE) {
		lines = logoedit_take(e, &n);
		if (n > 0 && was == LOGOEDIT_DEFINE)
			model_def_sent(&ui->model, lines[0]);
		if (paste_quiet(&ui->paste, lines, n) != 0)
			model_log(&ui->model, MODEL_LINE_ERROR, time(NULL),
			    "out of memory: %zu lines not sent", n);
		free(lines);
	}
	return 1;
}

/*
 * Escape or Ctrl-C: a definition or list being typed is dropped, with
 * the line being edited.  1 when there was one (the key is used up).
 */
int
logoedit_escape(struct ui *ui)
{
	struct logoedit *e = &ui->edit;
	char name[PROTO_PROC_MAX * 4 + 1];
	size_t n;

	if (e->state == LOGOEDIT_NONE)
		return 0;
	proto_text_escape(name, sizeof name, e->name, strlen(e->name));
	n = logoedit_abandon(e);
	if (name[0] != '\0')
		model_log(&ui->model, MODEL_LINE_INFO, time(NULL),
		    "definition of %s dropped (%zu line%s); nothing was sent",
		    name, n, n == 1 ? "" : "s");
	else
		model_log(&ui->model, MODEL_LINE_INFO, time(NULL),
		    "open list dropped (%zu line%s); nothing was sent", n,
		    n == 1 ? "" : "s");
	cmdline_clear(&ui->cmd);
	return 1;
}
