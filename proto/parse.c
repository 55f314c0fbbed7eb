/*
 * parse.c - v1 client command lines into struct proto_cmd.
 *
 * Every refusal comes with one sentence saying what was wrong, written for
 * the person who typed the line; words echoed back are escaped.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>

#include "internal.h"

/* A word echoed in a sentence: escaped, and cut to keep the sentence short. */
#define PARSE_ECHO_MAX 40

struct parse_cursor {
	const char *s;
	size_t len;
	size_t pos;
};

static void parse_name_why(const char *, size_t, char *, size_t);
static enum proto_err parse_name(const char *, size_t, char *, size_t);
static int parse_is_blank(char);
static int parse_word(struct parse_cursor *, const char **, size_t *);
static const char *parse_echo(char *, size_t, const char *, size_t);
static enum proto_err parse_hello(
    struct parse_cursor *, struct proto_cmd *, char *, size_t);
static enum proto_err parse_token(
    const char *, size_t, const char *, char *, char *, size_t);
static enum proto_err parse_role(
    const char *, size_t, int, struct proto_cmd *, char *, size_t);
static enum proto_err parse_coord(
    const char *, size_t, const char *, int32_t *, char *, size_t);
static enum proto_err parse_run(
    struct parse_cursor *, struct proto_cmd *, char *, size_t);
static enum proto_err parse_say(
    struct parse_cursor *, struct proto_cmd *, char *, size_t);
static enum proto_err parse_one_arg(struct parse_cursor *,
    const struct proto_cmd_info *, const char **, size_t *, char *, size_t);
static enum proto_err parse_no_more(
    struct parse_cursor *, const struct proto_cmd_info *, char *, size_t);

void
parse_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || whylen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

static int
parse_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next word, skipping blanks before it.  0 when there is none. */
static int
parse_word(struct parse_cursor *pc, const char **w, size_t *wlen)
{
	size_t start;

	while (pc->pos < pc->len && parse_is_blank(pc->s[pc->pos]))
		pc->pos++;
	if (pc->pos == pc->len)
		return 0;
	start = pc->pos;
	while (pc->pos < pc->len && !parse_is_blank(pc->s[pc->pos]))
		pc->pos++;
	*w = pc->s + start;
	*wlen = pc->pos - start;
	return 1;
}

static const char *
parse_echo(char *buf, size_t buflen, const char *w, size_t wlen)
{
	char full[4 * PROTO_LINE_MAX + 1];
	size_t n;

	if (wlen > PROTO_LINE_MAX)
		wlen = PROTO_LINE_MAX;
	n = proto_text_escape(full, sizeof full, w, wlen);
	if (n < buflen) {
		memcpy(buf, full, n + 1);
		return buf;
	}
	/* Cut: say so rather than show a different word. */
	n = proto_text_escape(buf, buflen - 3, w, wlen);
	memcpy(buf + n, "...", 4);
	return buf;
}

/*
 * Why w is not a name, saying what is wrong rather than echoing it: a
 * name typed in quotes ("x y") echoed in quotes only confuses.
 */
static void
parse_name_why(const char *w, size_t wlen, char *why, size_t whylen)
{
	size_t i;

	for (i = 0; i < wlen && proto_name_valid(w + i, 1) == 0; i++)
		;
	if (memchr(w, ' ', wlen) != NULL || memchr(w, '\t', wlen) != NULL)
		parse_why(why, whylen,
		    "a name is one word, without spaces: use 1-%d of "
		    "A-Z a-z 0-9 _ . -",
		    PROTO_NAME_MAX);
	else if (i < wlen && w[i] > 0x20 && w[i] < 0x7f)
		parse_why(why, whylen,
		    "a name cannot have the character %c in it: use 1-%d of "
		    "A-Z a-z 0-9 _ . -",
		    w[i], PROTO_NAME_MAX);
	else if (i < wlen)
		parse_why(why, whylen,
		    "a name cannot have a character beyond A-Z a-z 0-9 _ . - "
		    "in it (at byte %zu)",
		    i + 1);
	else
		parse_why(why, whylen,
		    "the name is %zu characters long, the limit is %d", wlen,
		    PROTO_NAME_MAX);
}

/*
 * A name someone asks for: the name rule, and not the form the server
 * gives a second "bob" (bob-2), so that a hand-picked name never passes
 * for one the server made.
 */
static enum proto_err
parse_name(const char *w, size_t wlen, char *why, size_t whylen)
{
	char echo[PARSE_ECHO_MAX];
	size_t i = wlen;

	if (proto_name_valid(w, wlen) != 0) {
		parse_name_why(w, wlen, why, whylen);
		return PROTO_ERR_BAD_NAME;
	}
	while (i > 0 && w[i - 1] >= '0' && w[i - 1] <= '9')
		i--;
	if (i > 1 && i < wlen && w[i - 1] == '-') {
		parse_why(why, whylen,
		    "\"%s\" ends like the names the server makes (-N): "
		    "pick another",
		    parse_echo(echo, sizeof echo, w, wlen));
		return PROTO_ERR_BAD_NAME;
	}
	return PROTO_OK;
}

enum proto_err
proto_parse_command(const char *line, size_t len, struct proto_cmd *cmd,
    char *why, size_t whylen)
{
	struct parse_cursor pc = {line, len, 0};
	const struct proto_cmd_info *ci;
	const char *w;
	size_t wlen;
	char echo[PARSE_ECHO_MAX];
	enum proto_err err;

	memset(cmd, 0, sizeof *cmd);
	parse_why(why, whylen, "%s", "");
	if (len > PROTO_LINE_MAX) {
		parse_why(why, whylen, "the line is longer than %d bytes",
		    PROTO_LINE_MAX);
		return PROTO_ERR_TOO_LONG;
	}
	if (!parse_word(&pc, &w, &wlen)) {
		parse_why(why, whylen, "the line has no command (try help)");
		return PROTO_ERR_UNKNOWN_COMMAND;
	}
	ci = proto_cmd_lookup(w, wlen);
	if (ci == NULL) {
		parse_why(why, whylen, "unknown command \"%s\" (try help)",
		    parse_echo(echo, sizeof echo, w, wlen));
		return PROTO_ERR_UNKNOWN_COMMAND;
	}
	cmd->type = ci->type;

	switch (ci->type) {
	case PROTO_CMD_HELLO:
		return parse_hello(&pc, cmd, why, whylen);
	case PROTO_CMD_RUN:
		return parse_run(&pc, cmd, why, whylen);
	case PROTO_CMD_SAY:
		return parse_say(&pc, cmd, why, whylen);
	case PROTO_CMD_PEN:
		err = parse_one_arg(&pc, ci, &w, &wlen, why, whylen);
		if (err != PROTO_OK)
			return err;
		if (wlen == 2 && memcmp(w, "up", 2) == 0)
			cmd->pen_down = 0;
		else if (wlen == 4 && memcmp(w, "down", 4) == 0)
			cmd->pen_down = 1;
		else {
			parse_why(why, whylen,
			    "pen takes up or down, not \"%s\"",
			    parse_echo(echo, sizeof echo, w, wlen));
			return PROTO_ERR_USAGE;
		}
		return PROTO_OK;
	case PROTO_CMD_COLOR: {
		char name[16];
		size_t i;

		err = parse_one_arg(&pc, ci, &w, &wlen, why, whylen);
		if (err != PROTO_OK)
			return err;
		cmd->color = -1;
		if (wlen < sizeof name) {
			/* Typed in any case (RED, Red); the wire says red. */
			for (i = 0; i < wlen; i++)
				name[i] = w[i] >= 'A' && w[i] <= 'Z'
					      ? (char)(w[i] - 'A' + 'a')
					      : w[i];
			name[wlen] = '\0';
			cmd->color = proto_color_from_name(name);
		}
		if (cmd->color < 0) {
			cmd->color = PROTO_COLOR_DEFAULT;
			parse_why(why, whylen,
			    "unknown colour \"%s\"; the colours are default "
			    "red green yellow blue magenta cyan white",
			    parse_echo(echo, sizeof echo, w, wlen));
			return PROTO_ERR_USAGE;
		}
		return PROTO_OK;
	}
	case PROTO_CMD_NAME:
		if (!parse_word(&pc, &w, &wlen)) {
			parse_why(why, whylen,
			    "name needs an argument: name %s", ci->args);
			return PROTO_ERR_USAGE;
		}
		/* "name x y", "name \"x y\"": all of it is the name asked
		 * for, and parse_name() says why it is not one. */
		while (pc.pos < pc.len && parse_is_blank(pc.s[pc.pos]))
			pc.pos++;
		if (pc.pos < pc.len) {
			while (
			    pc.len > pc.pos && parse_is_blank(pc.s[pc.len - 1]))
				pc.len--;
			wlen = pc.len - (size_t)(w - pc.s);
		}
		if ((err = parse_name(w, wlen, why, whylen)) != PROTO_OK)
			return err;
		memcpy(cmd->name, w, wlen);
		cmd->name[wlen] = '\0';
		return PROTO_OK;
	default:
		return parse_no_more(&pc, ci, why, whylen);
	}
}

/* hello VERSION [NAME] [token=SECRET] [admin=SECRET] [role=ROLE], options
 * in any order. */
static enum proto_err
parse_hello(
    struct parse_cursor *pc, struct proto_cmd *cmd, char *why, size_t whylen)
{
	const char *w;
	size_t wlen;
	long long v;
	char echo[PARSE_ECHO_MAX], echo2[PARSE_ECHO_MAX];
	enum number_result nr;
	enum proto_err err;
	int have_name = 0, have_role = 0;

	if (!parse_word(pc, &w, &wlen)) {
		parse_why(why, whylen,
		    "hello needs a version: hello %d [NAME] [token=SECRET]",
		    PROTO_VERSION);
		return PROTO_ERR_USAGE;
	}
	nr = number_parse(w, wlen, INT_MIN, INT_MAX, &v);
	if (nr == NUMBER_SYNTAX) {
		parse_why(why, whylen,
		    "the hello version must be a number, not \"%s\"",
		    parse_echo(echo, sizeof echo, w, wlen));
		return PROTO_ERR_USAGE;
	}
	if (nr == NUMBER_RANGE || v != PROTO_VERSION) {
		if (nr == NUMBER_OK)
			cmd->version = (int)v;
		parse_why(why, whylen,
		    "this server speaks protocol version %d, not %s",
		    PROTO_VERSION, parse_echo(echo, sizeof echo, w, wlen));
		return PROTO_ERR_VERSION;
	}
	cmd->version = (int)v;

	while (parse_word(pc, &w, &wlen)) {
		if (wlen >= 6 && memcmp(w, "token=", 6) == 0) {
			err = parse_token(
			    w + 6, wlen - 6, "token", cmd->token, why, whylen);
			if (err != PROTO_OK)
				return err;
			continue;
		}
		if (wlen >= 6 && memcmp(w, "admin=", 6) == 0) {
			err = parse_token(
			    w + 6, wlen - 6, "admin", cmd->admin, why, whylen);
			if (err != PROTO_OK)
				return err;
			continue;
		}
		if (wlen >= 5 && memcmp(w, "role=", 5) == 0) {
			err = parse_role(
			    w + 5, wlen - 5, have_role, cmd, why, whylen);
			if (err != PROTO_OK)
				return err;
			have_role = 1;
			continue;
		}
		if (memchr(w, '=', wlen) != NULL) {
			parse_why(why, whylen,
			    "unknown hello option \"%s\" (options are token=, "
			    "admin= and role=)",
			    parse_echo(echo, sizeof echo, w, wlen));
			return PROTO_ERR_USAGE;
		}
		if (have_name) {
			parse_why(why, whylen,
			    "hello takes one name, not \"%s\" and \"%s\"",
			    parse_echo(echo, sizeof echo, cmd->name,
				strlen(cmd->name)),
			    parse_echo(echo2, sizeof echo2, w, wlen));
			return PROTO_ERR_USAGE;
		}
		if ((err = parse_name(w, wlen, why, whylen)) != PROTO_OK)
			return err;
		memcpy(cmd->name, w, wlen);
		cmd->name[wlen] = '\0';
		have_name = 1;
	}
	return PROTO_OK;
}

/*
 * role=user (the default) or role=watcher: a connection that only reads
 * the events, which nobody sees join or leave and which never gets a turn.
 */
static enum proto_err
parse_role(const char *v, size_t vlen, int again, struct proto_cmd *cmd,
    char *why, size_t whylen)
{
	char echo[PARSE_ECHO_MAX];

	if (again) {
		parse_why(why, whylen, "hello has role= twice");
		return PROTO_ERR_USAGE;
	}
	if (vlen == 4 && memcmp(v, "user", 4) == 0)
		cmd->watcher = 0;
	else if (vlen == 7 && memcmp(v, "watcher", 7) == 0)
		cmd->watcher = 1;
	else {
		parse_why(why, whylen, "role= is user or watcher, not \"%s\"",
		    parse_echo(echo, sizeof echo, v, vlen));
		return PROTO_ERR_USAGE;
	}
	return PROTO_OK;
}

/* A secret: 1-PROTO_TOKEN_MAX printable ASCII characters, no space. */
static enum proto_err
parse_token(const char *v, size_t vlen, const char *key, char *dst, char *why,
    size_t whylen)
{
	if (dst[0] != '\0') {
		parse_why(why, whylen, "hello has %s= twice", key);
		return PROTO_ERR_USAGE;
	}
	if (vlen == 0 || vlen > PROTO_TOKEN_MAX) {
		parse_why(why, whylen,
		    "%s= needs a secret of 1-%d printable characters", key,
		    PROTO_TOKEN_MAX);
		return PROTO_ERR_USAGE;
	}
	if (proto_token_valid(v, vlen) != 0) {
		parse_why(why, whylen,
		    "%s= may hold only printable ASCII characters", key);
		return PROTO_ERR_USAGE;
	}
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
	return PROTO_OK;
}

static enum proto_err
parse_coord(const char *w, size_t wlen, const char *what, int32_t *out,
    char *why, size_t whylen)
{
	long long v;
	char echo[PARSE_ECHO_MAX];

	switch (number_parse(w, wlen, -PROTO_COORD_MAX, PROTO_COORD_MAX, &v)) {
	case NUMBER_OK:
		*out = (int32_t)v;
		return PROTO_OK;
	case NUMBER_SYNTAX:
		parse_why(why, whylen, "%s must be an integer, not \"%s\"",
		    what, parse_echo(echo, sizeof echo, w, wlen));
		return PROTO_ERR_USAGE;
	case NUMBER_RANGE:
		break;
	}
	parse_why(why, whylen, "%s %s is out of range (-%d to %d)", what,
	    parse_echo(echo, sizeof echo, w, wlen), PROTO_COORD_MAX,
	    PROTO_COORD_MAX);
	return PROTO_ERR_RANGE;
}

static enum proto_err
parse_run(
    struct parse_cursor *pc, struct proto_cmd *cmd, char *why, size_t whylen)
{
	const char *wx, *wy, *w;
	size_t wxlen, wylen, wlen;
	char echo[PARSE_ECHO_MAX];
	enum proto_err err;

	if (!parse_word(pc, &wx, &wxlen) || !parse_word(pc, &wy, &wylen)) {
		parse_why(why, whylen, "run needs two integers: run DX DY");
		return PROTO_ERR_USAGE;
	}
	if (parse_word(pc, &w, &wlen)) {
		parse_why(why, whylen,
		    "run takes two integers, \"%s\" is one too many",
		    parse_echo(echo, sizeof echo, w, wlen));
		return PROTO_ERR_USAGE;
	}
	err = parse_coord(wx, wxlen, "DX", &cmd->dx, why, whylen);
	if (err != PROTO_OK)
		return err;
	return parse_coord(wy, wylen, "DY", &cmd->dy, why, whylen);
}

/* The text is the rest of the line after the one blank following "say". */
static enum proto_err
parse_say(
    struct parse_cursor *pc, struct proto_cmd *cmd, char *why, size_t whylen)
{
	const char *text;
	size_t tlen, at;
	uint32_t cp;

	if (pc->pos + 1 >= pc->len) {
		parse_why(why, whylen, "say needs some text: say TEXT");
		return PROTO_ERR_USAGE;
	}
	text = pc->s + pc->pos + 1;
	tlen = pc->len - pc->pos - 1;
	if (tlen > PROTO_TEXT_MAX) {
		parse_why(why, whylen,
		    "the text is %zu bytes long, the limit is %d", tlen,
		    PROTO_TEXT_MAX);
		return PROTO_ERR_BAD_TEXT;
	}
	switch (text_check(text, tlen, &at, &cp)) {
	case TEXT_INVALID_UTF8:
		parse_why(why, whylen,
		    "the text is not valid UTF-8 (at byte %zu)", at + 1);
		return PROTO_ERR_BAD_TEXT;
	case TEXT_CONTROL:
		parse_why(why, whylen,
		    "the text has a control character (at byte %zu)", at + 1);
		return PROTO_ERR_BAD_TEXT;
	case TEXT_FORMAT:
		parse_why(why, whylen,
		    "U+%04lX is not allowed: an invisible or bidirectional "
		    "formatting character (at byte %zu)",
		    (unsigned long)cp, at + 1);
		return PROTO_ERR_BAD_TEXT;
	case TEXT_CLEAN:
		break;
	}
	memcpy(cmd->text, text, tlen);
	cmd->text[tlen] = '\0';
	return PROTO_OK;
}

static enum proto_err
parse_one_arg(struct parse_cursor *pc, const struct proto_cmd_info *ci,
    const char **w, size_t *wlen, char *why, size_t whylen)
{
	const char *extra;
	size_t elen;
	char echo[PARSE_ECHO_MAX];

	if (!parse_word(pc, w, wlen)) {
		parse_why(why, whylen, "%s needs an argument: %s %s", ci->name,
		    ci->name, ci->args);
		return PROTO_ERR_USAGE;
	}
	if (parse_word(pc, &extra, &elen)) {
		parse_why(why, whylen,
		    "%s takes one argument, \"%s\" is one too many", ci->name,
		    parse_echo(echo, sizeof echo, extra, elen));
		return PROTO_ERR_USAGE;
	}
	return PROTO_OK;
}

static enum proto_err
parse_no_more(struct parse_cursor *pc, const struct proto_cmd_info *ci,
    char *why, size_t whylen)
{
	const char *w;
	size_t wlen;
	char echo[PARSE_ECHO_MAX];

	if (parse_word(pc, &w, &wlen)) {
		parse_why(why, whylen, "%s takes no arguments, not \"%s\"",
		    ci->name, parse_echo(echo, sizeof echo, w, wlen));
		return PROTO_ERR_USAGE;
	}
	return PROTO_OK;
}

/*
 * A v1 client opens with "hello" and a number; anything else is the
 * lecture's client, which never says hello.
 */
enum proto_dialect
proto_dialect_detect(const char *line, size_t len)
{
	struct parse_cursor pc = {line, len, 0};
	const char *w;
	size_t wlen;

	if (!parse_word(&pc, &w, &wlen) || wlen != 5 ||
	    memcmp(w, "hello", 5) != 0)
		return PROTO_DIALECT_CLASSIC;
	if (!parse_word(&pc, &w, &wlen) || w[0] < '0' || w[0] > '9')
		return PROTO_DIALECT_CLASSIC;
	return PROTO_DIALECT_V1;
}

/* The line parse_hello() reads, as a client says it. */
int
proto_hello_format(
    char *out, size_t outlen, const char *name, const char *token, int watcher)
{
	int n;

	n = snprintf(out, outlen, "hello %d%s%s%s%s%s", PROTO_VERSION,
	    name[0] != '\0' ? " " : "", name, token[0] != '\0' ? " token=" : "",
	    token, watcher ? " role=watcher" : "");
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}
