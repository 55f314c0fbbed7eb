/*
 * cmdline.c - the command line: GNU readline driven through its callback
 * interface and drawn by us.
 *
 * Readline never touches the terminal here.  Keys come from ncurses and
 * are queued for rl_getc_function; readline's output goes to /dev/null and
 * its redisplay only marks the line for our next frame; terminal setup,
 * signals and SIGWINCH stay with ncurses and libevent.  Readline keeps its
 * state in globals and its callbacks carry no argument, so this file holds
 * the one pointer back to its struct cmdline: there is only ever one.
 */
#include "tui.h"

#include <curses.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#define CMDLINE_PROMPT      "> "
#define CMDLINE_HISTORY_MAX 1000
/* Logo words end at blanks, brackets and parentheses ("[fd", "\"sq"). */
#define CMDLINE_BREAKS " \t\n\"[]()"

/*
 * The only mutable file-scope variable of the client outside main.c, and
 * unavoidable: rl_getc_function, the line handler, the completion hooks
 * and rl_redisplay_function are called with no user argument, and
 * readline itself is one global instance, so this is the one way back to
 * the struct cmdline.  cmdline_init() refuses a second one.
 */
static struct cmdline *cmdline_self;

static int cmdline_getc(FILE *);
static int cmdline_input_available(void);
static void cmdline_redisplay(void);
static void cmdline_prep(int);
static void cmdline_deprep(void);
static void cmdline_handler(char *);
static char **cmdline_complete(const char *, int, int);
static char *cmdline_generate(const char *, int);
static void cmdline_show_matches(char **, int, int);
static void cmdline_push(struct cmdline *, const char *, size_t);
static int cmdline_user_command(const char *);
static int cmdline_commands_match(const char *);
static const char *cmdline_logo_word(struct cmdline *, size_t);

static int
cmdline_getc(FILE *f)
{
	struct cmdline *c = cmdline_self;
	unsigned char ch;

	(void)f;
	if (c == NULL || c->qlen == 0)
		return EOF;
	ch = c->q[c->qhead];
	c->qhead = (c->qhead + 1) % sizeof c->q;
	c->qlen--;
	return ch;
}

static int
cmdline_input_available(void)
{
	return cmdline_self != NULL && cmdline_self->qlen > 0;
}

static void
cmdline_redisplay(void)
{
	if (cmdline_self != NULL && cmdline_self->changed != NULL)
		cmdline_self->changed(cmdline_self->arg);
}

/* The terminal belongs to ncurses: readline must not change its modes. */
static void
cmdline_prep(int meta)
{
	(void)meta;
}

static void
cmdline_deprep(void)
{
}

static void
cmdline_handler(char *line)
{
	struct cmdline *c = cmdline_self;

	if (line != NULL && *line != '\0') {
		add_history(line);
		if (c->history != NULL && append_history(1, c->history) != 0)
			c->history_failed = 1;
	}
	c->submit(c->arg, line);
}

/* A command the user types (hello belongs to the connection). */
static int
cmdline_user_command(const char *word)
{
	return strcmp(word, "hello") != 0 && word[0] != '_';
}

/* Whether some command the user types starts with text. */
static int
cmdline_commands_match(const char *text)
{
	const struct proto_cmd_info *table;
	size_t count, i, len = strlen(text);

	table = proto_cmd_table(&count);
	for (i = 0; i < count; i++) {
		if (cmdline_user_command(table[i].name) &&
		    strncmp(table[i].name, text, len) == 0)
			return 1;
	}
	return 0;
}

/*
 * The i-th Logo word for Tab: the primitives, then the procedures that
 * are named like neither a primitive nor a command.  NULL past the end.
 */
static const char *
cmdline_logo_word(struct cmdline *c, size_t i)
{
	const struct model_proc *p;
	const char *w;
	size_t k;

	if ((w = help_logo_word(i)) != NULL)
		return w;
	for (k = 0; help_logo_word(k) != NULL; k++)
		;
	if (c->model == NULL || (p = model_proc_at(c->model, i - k)) == NULL)
		return NULL;
	return p->name;
}

/*
 * What Tab completes.  At the start of a line: the commands, or when none
 * starts so, the Logo words (primitives and procedures), so the commands
 * keep their short completions ("co" is color, not cos).  Further on:
 * what pen and color take, and Logo words in a Logo line.  Inside a
 * definition or an open list every word is Logo.
 */
static char **
cmdline_complete(const char *text, int start, int end)
{
	struct cmdline *c = cmdline_self;
	const struct proto_cmd_info *info;
	size_t i, n;
	int first;

	(void)end;
	rl_attempted_completion_over = 1;
	for (i = 0; i < (size_t)start && rl_line_buffer[i] == ' '; i++)
		;
	first = i == (size_t)start;
	c->gen_what = CMDLINE_GEN_NONE;
	if (c->logo)
		c->gen_what = CMDLINE_GEN_LOGO;
	else if (first)
		c->gen_what = cmdline_commands_match(text) ? CMDLINE_GEN_COMMAND
							   : CMDLINE_GEN_LOGO;
	else {
		n = strcspn(rl_line_buffer + i, " ");
		info = proto_cmd_lookup(rl_line_buffer + i, n);
		if (n == 3 && strncmp(rl_line_buffer + i, "pen", 3) == 0)
			c->gen_what = CMDLINE_GEN_PEN;
		else if (n == 5 && strncmp(rl_line_buffer + i, "color", 5) == 0)
			c->gen_what = CMDLINE_GEN_COLOR;
		else if (info == NULL)
			c->gen_what = CMDLINE_GEN_LOGO;
	}
	if (c->gen_what == CMDLINE_GEN_NONE)
		return NULL;
	return rl_completion_matches(text, cmdline_generate);
}

static char *
cmdline_generate(const char *text, int state)
{
	static const char pen[][5] = {"up", "down"};
	struct cmdline *c = cmdline_self;
	const struct proto_cmd_info *table;
	size_t count, len = strlen(text);
	const char *word;

	if (state == 0)
		c->gen_index = 0;
	for (;;) {
		word = NULL;
		switch (c->gen_what) {
		case CMDLINE_GEN_COMMAND:
			table = proto_cmd_table(&count);
			if (c->gen_index < count)
				word = table[c->gen_index].name;
			break;
		case CMDLINE_GEN_PEN:
			if (c->gen_index < 2)
				word = pen[c->gen_index];
			break;
		case CMDLINE_GEN_COLOR:
			if (c->gen_index < PROTO_COLOR__COUNT)
				word = proto_color_name((int)c->gen_index);
			break;
		case CMDLINE_GEN_LOGO:
			word = cmdline_logo_word(c, c->gen_index);
			break;
		}
		if (word == NULL)
			return NULL;
		c->gen_index++;
		if (c->gen_what == CMDLINE_GEN_COMMAND &&
		    !cmdline_user_command(word))
			continue;
		if (c->gen_what == CMDLINE_GEN_LOGO) {
			/* Logo names ignore case; a procedure named like a
			 * primitive or a command would come twice or lie. */
			if (help_logo_word(c->gen_index - 1) == NULL &&
			    (help_is_logo_word(word) ||
				proto_cmd_lookup(word, strlen(word)) != NULL ||
				proto_text_valid(word, strlen(word)) != 0))
				continue;
			if (strncasecmp(word, text, len) == 0)
				return strdup(word);
			continue;
		}
		if (strncmp(word, text, len) == 0)
			return strdup(word);
	}
}

/* Readline would print the choices on the terminal: they go to the log. */
static void
cmdline_show_matches(char **matches, int num, int max)
{
	struct cmdline *c = cmdline_self;
	char buf[512];
	size_t used = 0;
	int i, n;

	(void)max;
	buf[0] = '\0';
	for (i = 1; i <= num && matches[i] != NULL; i++) {
		n = snprintf(buf + used, sizeof buf - used, "%s%s",
		    used ? " " : "", matches[i]);
		if (n < 0 || (size_t)n >= sizeof buf - used)
			break;
		used += (size_t)n;
	}
	if (c->matches != NULL)
		c->matches(c->arg, buf);
}

static void
cmdline_push(struct cmdline *c, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && c->qlen < sizeof c->q; i++) {
		c->q[(c->qhead + c->qlen) % sizeof c->q] = (unsigned char)s[i];
		c->qlen++;
	}
}

int
cmdline_init(struct cmdline *c, const char *history,
    const struct cmdline_cb *cb, void *arg)
{
	int fd;

	if (cmdline_self != NULL)
		return -1;
	memset(c, 0, sizeof *c);
	c->submit = cb->submit;
	c->changed = cb->changed;
	c->matches = cb->matches;
	c->arg = arg;
	if ((c->devnull = fopen("/dev/null", "r+")) == NULL)
		return -1;
	cmdline_self = c;

	rl_readline_name = "turtle";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0; /* LINES/COLUMNS would fool ncurses */
	rl_instream = c->devnull;
	rl_outstream = c->devnull;
	rl_getc_function = cmdline_getc;
	rl_input_available_hook = cmdline_input_available;
	rl_redisplay_function = cmdline_redisplay;
	rl_prep_term_function = cmdline_prep;
	rl_deprep_term_function = cmdline_deprep;
	rl_attempted_completion_function = cmdline_complete;
	rl_basic_word_break_characters = CMDLINE_BREAKS;
	rl_completer_word_break_characters = CMDLINE_BREAKS;
	rl_completion_display_matches_hook = cmdline_show_matches;
	rl_initialize();
	rl_variable_bind("enable-bracketed-paste", "off");
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("show-all-if-ambiguous", "on");
	rl_variable_bind("horizontal-scroll-mode", "on");
	/* The sequences cmdline_key() turns ncurses' keys into. */
	rl_bind_keyseq("\033[A", rl_get_previous_history);
	rl_bind_keyseq("\033[B", rl_get_next_history);
	rl_bind_keyseq("\033[C", rl_forward_char);
	rl_bind_keyseq("\033[D", rl_backward_char);
	rl_bind_keyseq("\033[H", rl_beg_of_line);
	rl_bind_keyseq("\033[F", rl_end_of_line);
	rl_bind_keyseq("\033[3~", rl_delete);

	using_history();
	stifle_history(CMDLINE_HISTORY_MAX);
	if (history != NULL && *history != '\0') {
		c->history = history;
		/*
		 * append_history() needs the file to exist; its directory is
		 * the caller's to make (main.c's history_path()).
		 */
		if ((fd = open(history, O_WRONLY | O_CREAT | O_APPEND, 0600)) <
		    0)
			c->history_failed = 1;
		else {
			close(fd);
			read_history(history);
		}
	}
	snprintf(c->prompt, sizeof c->prompt, "%s", CMDLINE_PROMPT);
	rl_callback_handler_install(CMDLINE_PROMPT, cmdline_handler);
	return 0;
}

void
cmdline_free(struct cmdline *c)
{
	if (cmdline_self != c)
		return;
	rl_callback_handler_remove();
	if (c->history != NULL && !c->history_failed)
		history_truncate_file(c->history, CMDLINE_HISTORY_MAX);
	clear_history();
	if (c->devnull != NULL)
		fclose(c->devnull);
	c->devnull = NULL;
	cmdline_self = NULL;
}

/* One key from ncurses: a character (is_key 0) or a KEY_* code. */
void
cmdline_key(struct cmdline *c, int is_key, int key)
{
	char mb[MB_LEN_MAX];
	mbstate_t ps;
	const char *seq = NULL;
	size_t n;

	if (is_key) {
		switch (key) {
		case KEY_UP:
			seq = "\033[A";
			break;
		case KEY_DOWN:
			seq = "\033[B";
			break;
		case KEY_RIGHT:
			seq = "\033[C";
			break;
		case KEY_LEFT:
			seq = "\033[D";
			break;
		case KEY_HOME:
			seq = "\033[H";
			break;
		case KEY_END:
			seq = "\033[F";
			break;
		case KEY_DC:
			seq = "\033[3~";
			break;
		case KEY_BACKSPACE:
			seq = "\177";
			break;
		case KEY_ENTER:
			seq = "\r";
			break;
		default:
			return;
		}
		cmdline_push(c, seq, strlen(seq));
	} else {
		memset(&ps, 0, sizeof ps);
		n = wcrtomb(mb, (wchar_t)key, &ps);
		if (n == (size_t)-1)
			return;
		cmdline_push(c, mb, n);
	}
	while (c->qlen > 0 && cmdline_self == c)
		rl_callback_read_char();
}

/*
 * The prompt: NULL for the ordinary one, else Logo input goes on (a
 * definition, an open list), which Tab completes as Logo.  Set only when
 * it changes, so a reverse search's own prompt stays while it runs.
 */
void
cmdline_prompt(struct cmdline *c, const char *prompt)
{
	const char *want = prompt != NULL ? prompt : CMDLINE_PROMPT;

	c->logo = prompt != NULL;
	if (cmdline_self != c || strcmp(c->prompt, want) == 0)
		return;
	snprintf(c->prompt, sizeof c->prompt, "%s", want);
	rl_set_prompt(c->prompt);
}

/* Empties the line being edited. */
void
cmdline_clear(struct cmdline *c)
{
	if (cmdline_self != c)
		return;
	rl_replace_line("", 0);
	rl_point = rl_end = 0;
	if (c->changed != NULL)
		c->changed(c->arg);
}

int
cmdline_empty(void)
{
	return rl_end == 0 && !RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH);
}

/*
 * Draws the prompt and the line in a row cols wide, scrolled so the
 * cursor shows; question replaces the prompt when set.  Returns the
 * cursor's column.
 */
int
cmdline_draw(int y, int x, int cols, const char *question)
{
	const char *prompt = question != NULL ? question : rl_display_prompt;
	size_t len = (size_t)rl_end, start = 0, n;
	int pw, cur, used;

	if (cols <= 0)
		return x;
	if (prompt == NULL)
		prompt = CMDLINE_PROMPT;
	pw = draw_str(y, x, cols, prompt, A_BOLD);
	if (question != NULL)
		return x + pw;
	cur = draw_width(rl_line_buffer, (size_t)rl_point);
	/* Scroll by half a line at a time so typing does not jitter. */
	while (cur - draw_width(rl_line_buffer, start) >= cols - pw - 1 &&
	       start < (size_t)rl_point) {
		n = draw_fit(rl_line_buffer + start, len - start,
		    (cols - pw) / 2 > 0 ? (cols - pw) / 2 : 1, &used);
		start += n > 0 ? n : 1;
	}
	draw_text(y, x + pw, cols - pw, rl_line_buffer + start, len - start,
	    A_NORMAL);
	return x + pw + cur - draw_width(rl_line_buffer, start);
}
