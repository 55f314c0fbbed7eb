/*
 * test_parse.c - v1 command lines: every command, its bad inputs, the
 * sentences that explain a refusal, the dialect choice and the table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "proto.h"

/* why is the caller's PROTO_WHY_MAX buffer: the refusal's sentence. */
static enum proto_err parse(const char *, struct proto_cmd *, char *);
static enum proto_err parse_n(const char *, size_t, struct proto_cmd *, char *);
static void expect_err(const char *, enum proto_err, char *);

static enum proto_err
parse_n(const char *line, size_t len, struct proto_cmd *cmd, char *why)
{
	enum proto_err err;

	memset(why, 'X', PROTO_WHY_MAX);
	err = proto_parse_command(line, len, cmd, why, PROTO_WHY_MAX);
	assert_non_null(memchr(why, '\0', PROTO_WHY_MAX));
	if (err == PROTO_OK)
		assert_string_equal(why, "");
	else {
		/* A whole sentence, and safe to show on any terminal. */
		assert_true(strlen(why) > 10);
		assert_int_equal(proto_text_valid(why, strlen(why)), 0);
	}
	return err;
}

static enum proto_err
parse(const char *line, struct proto_cmd *cmd, char *why)
{
	return parse_n(line, strlen(line), cmd, why);
}

static void
expect_err(const char *line, enum proto_err want, char *why)
{
	struct proto_cmd cmd;
	enum proto_err got = parse(line, &cmd, why);

	if (got != want)
		fail_msg("\"%s\": got %s, want %s", line, proto_err_word(got),
		    proto_err_word(want));
}

static void
test_hello(void **state)
{
	struct proto_cmd c;
	char tok[PROTO_TOKEN_MAX + 16];
	char why[PROTO_WHY_MAX];

	(void)state;
	assert_int_equal(parse("hello 1", &c, why), PROTO_OK);
	assert_int_equal(c.type, PROTO_CMD_HELLO);
	assert_int_equal(c.version, 1);
	assert_string_equal(c.name, "");
	assert_string_equal(c.token, "");
	assert_string_equal(c.admin, "");

	assert_int_equal(parse("hello 1 alice", &c, why), PROTO_OK);
	assert_string_equal(c.name, "alice");

	assert_int_equal(
	    parse("hello 1 admin=A.1 token=s3cr=t bob", &c, why), PROTO_OK);
	assert_string_equal(c.name, "bob");
	assert_string_equal(c.token, "s3cr=t");
	assert_string_equal(c.admin, "A.1");

	assert_int_equal(parse("hello\t1\ttoken=x", &c, why), PROTO_OK);
	assert_string_equal(c.token, "x");
	assert_string_equal(c.name, "");

	assert_int_equal(parse("hello 2", &c, why), PROTO_ERR_VERSION);
	assert_int_equal(c.version, 2);
	assert_non_null(strstr(why, "version 1"));
	expect_err("hello 0", PROTO_ERR_VERSION, why);
	expect_err("hello 99999999999999999999", PROTO_ERR_VERSION, why);
	expect_err("hello", PROTO_ERR_USAGE, why);
	expect_err("hello x", PROTO_ERR_USAGE, why);
	expect_err("hello 1x", PROTO_ERR_USAGE, why);
	expect_err("hello 1 alice bob", PROTO_ERR_USAGE, why);
	expect_err("hello 1 bad/name", PROTO_ERR_BAD_NAME, why);
	expect_err("hello 1 abcdefghijklmnopqrstuvwxyz0123456",
	    PROTO_ERR_BAD_NAME, why);
	expect_err("hello 1 token=", PROTO_ERR_USAGE, why);
	expect_err("hello 1 token=a token=b", PROTO_ERR_USAGE, why);
	expect_err("hello 1 admin=a admin=a", PROTO_ERR_USAGE, why);
	expect_err("hello 1 foo=bar", PROTO_ERR_USAGE, why);
	expect_err("hello 1 token=caf\xc3\xa9", PROTO_ERR_USAGE, why);
	expect_err("hello 1 token=a\x1b", PROTO_ERR_USAGE, why);

	memcpy(tok, "hello 1 token=", 14);
	memset(tok + 14, 'k', PROTO_TOKEN_MAX);
	assert_int_equal(parse_n(tok, 14 + PROTO_TOKEN_MAX, &c, why), PROTO_OK);
	assert_int_equal(strlen(c.token), PROTO_TOKEN_MAX);
	tok[14 + PROTO_TOKEN_MAX] = 'k';
	assert_int_equal(
	    parse_n(tok, 15 + PROTO_TOKEN_MAX, &c, why), PROTO_ERR_USAGE);
}

static void
test_run(void **state)
{
	struct proto_cmd c;
	char why[PROTO_WHY_MAX];

	(void)state;
	assert_int_equal(parse("run 13 10", &c, why), PROTO_OK);
	assert_int_equal(c.type, PROTO_CMD_RUN);
	assert_int_equal(c.dx, 13);
	assert_int_equal(c.dy, 10);
	assert_int_equal(parse("  run\t-5   +7  ", &c, why), PROTO_OK);
	assert_int_equal(c.dx, -5);
	assert_int_equal(c.dy, 7);
	assert_int_equal(parse("run 1000000 -1000000", &c, why), PROTO_OK);
	assert_int_equal(c.dx, PROTO_COORD_MAX);
	assert_int_equal(c.dy, -PROTO_COORD_MAX);
	assert_int_equal(parse("run 0 0", &c, why), PROTO_OK);

	expect_err("run 1000001 0", PROTO_ERR_RANGE, why);
	expect_err("run 0 -1000001", PROTO_ERR_RANGE, why);
	expect_err("run 99999999999 1", PROTO_ERR_RANGE, why);
	assert_non_null(strstr(why, "out of range"));
	expect_err("run 9223372036854775808 1", PROTO_ERR_RANGE, why);
	expect_err("run -9223372036854775809 1", PROTO_ERR_RANGE, why);
	expect_err("run 1 184467440737095516160", PROTO_ERR_RANGE, why);

	expect_err("run 1x 2", PROTO_ERR_USAGE, why);
	assert_non_null(strstr(why, "\"1x\""));
	expect_err("run 1 2x", PROTO_ERR_USAGE, why);
	expect_err("run 1", PROTO_ERR_USAGE, why);
	expect_err("run", PROTO_ERR_USAGE, why);
	expect_err("run ", PROTO_ERR_USAGE, why);
	expect_err("run 1 2 3", PROTO_ERR_USAGE, why);
	assert_non_null(strstr(why, "\"3\""));
	expect_err("run - 1", PROTO_ERR_USAGE, why);
	expect_err("run + 1", PROTO_ERR_USAGE, why);
	expect_err("run 0x10 1", PROTO_ERR_USAGE, why);
	expect_err("run 1.5 1", PROTO_ERR_USAGE, why);
	expect_err("run 1 2\x1b[2J", PROTO_ERR_USAGE, why);
	expect_err("run --1 1", PROTO_ERR_USAGE, why);
	expect_err("run 1e3 1", PROTO_ERR_USAGE, why);
	/* Case matters: commands are lower case. */
	expect_err("RUN 1 2", PROTO_ERR_UNKNOWN_COMMAND, why);
	expect_err("runx 1 2", PROTO_ERR_UNKNOWN_COMMAND, why);
}

static void
test_say(void **state)
{
	struct proto_cmd c;
	char line[PROTO_LINE_MAX + 1];
	size_t i;
	char why[PROTO_WHY_MAX];

	(void)state;
	assert_int_equal(parse("say hello world", &c, why), PROTO_OK);
	assert_int_equal(c.type, PROTO_CMD_SAY);
	assert_string_equal(c.text, "hello world");
	/* The one blank after "say" separates; the rest is kept verbatim. */
	assert_int_equal(parse("say   spaced   out  ", &c, why), PROTO_OK);
	assert_string_equal(c.text, "  spaced   out  ");
	/* A tab is a control character inside the text. */
	expect_err("say a\tb", PROTO_ERR_BAD_TEXT, why);
	assert_int_equal(parse("say\tx", &c, why), PROTO_OK);
	assert_string_equal(c.text, "x");
	assert_int_equal(parse("  say  x", &c, why), PROTO_OK);
	assert_string_equal(c.text, " x");
	assert_int_equal(
	    parse("say caf\xc3\xa9 \xf0\x9f\x90\xa2", &c, why), PROTO_OK);
	assert_string_equal(c.text, "caf\xc3\xa9 \xf0\x9f\x90\xa2");
	assert_int_equal(
	    parse("say a \"quoted\" \\ thing=1", &c, why), PROTO_OK);
	assert_string_equal(c.text, "a \"quoted\" \\ thing=1");

	expect_err("say", PROTO_ERR_USAGE, why);
	expect_err("say ", PROTO_ERR_USAGE, why);
	expect_err("sayhello", PROTO_ERR_UNKNOWN_COMMAND, why);
	expect_err("say \x1b[2J", PROTO_ERR_BAD_TEXT, why);
	assert_non_null(strstr(why, "control"));
	expect_err("say a\x07", PROTO_ERR_BAD_TEXT, why);
	expect_err("say a\x7f", PROTO_ERR_BAD_TEXT, why);
	expect_err("say \xc2\x9b"
		   "31m",
	    PROTO_ERR_BAD_TEXT, why);
	expect_err("say \xff", PROTO_ERR_BAD_TEXT, why);
	assert_non_null(strstr(why, "UTF-8"));
	expect_err("say \xc0\xaf", PROTO_ERR_BAD_TEXT, why);
	expect_err("say \xe0\x80\xaf", PROTO_ERR_BAD_TEXT, why);
	expect_err("say \xed\xa0\x80", PROTO_ERR_BAD_TEXT, why);
	expect_err("say \xe2\x82", PROTO_ERR_BAD_TEXT, why);
	assert_int_equal(parse_n("say a\0b", 7, &c, why), PROTO_ERR_BAD_TEXT);
	/* Invisible and bidirectional characters, named by code point. */
	expect_err("say abc\xe2\x80\xae"
		   "fed",
	    PROTO_ERR_BAD_TEXT, why);
	assert_string_equal(why, "U+202E is not allowed: an invisible or "
				 "bidirectional formatting character (at "
				 "byte 4)");
	expect_err("say zero\xe2\x80\x8bwidth", PROTO_ERR_BAD_TEXT, why);
	assert_non_null(strstr(why, "U+200B is not allowed"));
	expect_err("say \xe2\x81\xa6x\xe2\x81\xa9", PROTO_ERR_BAD_TEXT, why);
	assert_non_null(strstr(why, "U+2066"));
	expect_err("say \xef\xbb\xbf"
		   "bom",
	    PROTO_ERR_BAD_TEXT, why);
	assert_non_null(strstr(why, "U+FEFF"));
	expect_err("say a\xe2\x80\xa8"
		   "b",
	    PROTO_ERR_BAD_TEXT, why);
	assert_non_null(strstr(why, "U+2028"));
	expect_err("say tag\xf3\xa0\x80\x81", PROTO_ERR_BAD_TEXT, why);
	assert_non_null(strstr(why, "U+E0001"));
	/* What looks alike but is visible passes. */
	assert_int_equal(parse("say \xe2\x9d\xa4\xef\xb8\x8f "
			       "\xe4\xb8\xad\xe6\x96\x87 \xc2\xa0x",
			     &c, why),
	    PROTO_OK);

	/* 400 bytes of text are fine, 401 are not. */
	memcpy(line, "say ", 4);
	memset(line + 4, 'a', PROTO_TEXT_MAX + 1);
	assert_int_equal(parse_n(line, 4 + PROTO_TEXT_MAX, &c, why), PROTO_OK);
	assert_int_equal(strlen(c.text), PROTO_TEXT_MAX);
	assert_int_equal(
	    parse_n(line, 5 + PROTO_TEXT_MAX, &c, why), PROTO_ERR_BAD_TEXT);
	assert_non_null(strstr(why, "400"));
	/* The limit is in bytes: 200 two-byte characters are 400. */
	for (i = 0; i < PROTO_TEXT_MAX; i += 2)
		memcpy(line + 4 + i, "\xc3\xa9", 2);
	assert_int_equal(parse_n(line, 4 + PROTO_TEXT_MAX, &c, why), PROTO_OK);
	assert_int_equal(strlen(c.text), PROTO_TEXT_MAX);
}

static void
test_simple_commands(void **state)
{
	static const struct {
		const char *line;
		enum proto_cmd_type type;
	} ok[] = {
	    {"getcid", PROTO_CMD_GETCID},
	    {"who", PROTO_CMD_WHO},
	    {"where", PROTO_CMD_WHERE},
	    {"home", PROTO_CMD_HOME},
	    {"clear", PROTO_CMD_CLEAR},
	    {"pass", PROTO_CMD_PASS},
	    {"stats", PROTO_CMD_STATS},
	    {"help", PROTO_CMD_HELP},
	    {"quit", PROTO_CMD_QUIT},
	    {"_exit", PROTO_CMD_EXIT},
	    {" \twho\t ", PROTO_CMD_WHO},
	};
	struct proto_cmd c;
	size_t i;
	char why[PROTO_WHY_MAX];

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(parse(ok[i].line, &c, why), PROTO_OK);
		assert_int_equal(c.type, ok[i].type);
	}
	expect_err("who x", PROTO_ERR_USAGE, why);
	assert_non_null(strstr(why, "no arguments"));
	expect_err("quit now", PROTO_ERR_USAGE, why);
	expect_err("_exit 1", PROTO_ERR_USAGE, why);
	expect_err("exit", PROTO_ERR_UNKNOWN_COMMAND, why);
	expect_err("quitx", PROTO_ERR_UNKNOWN_COMMAND, why);
}

static void
test_pen_color_name(void **state)
{
	struct proto_cmd c;
	int i;
	char line[64];
	char why[PROTO_WHY_MAX];

	(void)state;
	assert_int_equal(parse("pen up", &c, why), PROTO_OK);
	assert_int_equal(c.type, PROTO_CMD_PEN);
	assert_int_equal(c.pen_down, 0);
	assert_int_equal(parse("pen down", &c, why), PROTO_OK);
	assert_int_equal(c.pen_down, 1);
	expect_err("pen", PROTO_ERR_USAGE, why);
	expect_err("pen sideways", PROTO_ERR_USAGE, why);
	expect_err("pen up down", PROTO_ERR_USAGE, why);
	expect_err("pen UP", PROTO_ERR_USAGE, why);

	for (i = 0; i < PROTO_COLOR__COUNT; i++) {
		snprintf(line, sizeof line, "color %s", proto_color_name(i));
		assert_int_equal(parse(line, &c, why), PROTO_OK);
		assert_int_equal(c.type, PROTO_CMD_COLOR);
		assert_int_equal(c.color, i);
	}
	expect_err("color", PROTO_ERR_USAGE, why);
	expect_err("color pink", PROTO_ERR_USAGE, why);
	assert_non_null(strstr(why, "magenta"));
	/* A colour in any case is that colour (issue #15). */
	assert_int_equal(parse("color RED", &c, why), PROTO_OK);
	assert_int_equal(c.color, PROTO_COLOR_RED);
	assert_int_equal(parse("color Magenta", &c, why), PROTO_OK);
	assert_int_equal(c.color, PROTO_COLOR_MAGENTA);
	expect_err("color REDD", PROTO_ERR_USAGE, why);
	expect_err("color red blue", PROTO_ERR_USAGE, why);
	expect_err("color averyveryverylongcolourname", PROTO_ERR_USAGE, why);

	assert_int_equal(parse("name alice.B-2_x", &c, why), PROTO_OK);
	assert_int_equal(c.type, PROTO_CMD_NAME);
	assert_string_equal(c.name, "alice.B-2_x");
	expect_err("name", PROTO_ERR_USAGE, why);
	/* Spaces and quotes: a sentence that says so, not an echo of a
	 * quoted word in quotes ("y"" is one too many). */
	expect_err("name a b", PROTO_ERR_BAD_NAME, why);
	assert_string_equal(why, "a name is one word, without spaces: use "
				 "1-32 of A-Z a-z 0-9 _ . -");
	expect_err("name \"x y\"", PROTO_ERR_BAD_NAME, why);
	assert_string_equal(why, "a name is one word, without spaces: use "
				 "1-32 of A-Z a-z 0-9 _ . -");
	expect_err("name \"x\"", PROTO_ERR_BAD_NAME, why);
	assert_string_equal(why, "a name cannot have the character \" in "
				 "it: use 1-32 of A-Z a-z 0-9 _ . -");
	expect_err("name caf\xc3\xa9", PROTO_ERR_BAD_NAME, why);
	assert_string_equal(why, "a name cannot have a character beyond A-Z "
				 "a-z 0-9 _ . - in it (at byte 4)");
	expect_err(
	    "name abcdefghijklmnopqrstuvwxyz0123456", PROTO_ERR_BAD_NAME, why);
	assert_string_equal(
	    why, "the name is 33 characters long, the limit is 32");
	/* Blanks after the name are not part of it. */
	assert_int_equal(parse("name bob  ", &c, why), PROTO_OK);
	assert_string_equal(c.name, "bob");
	expect_err("name caf\xc3\xa9", PROTO_ERR_BAD_NAME, why);
	expect_err("name a;rm", PROTO_ERR_BAD_NAME, why);
	expect_err(
	    "name abcdefghijklmnopqrstuvwxyz0123456", PROTO_ERR_BAD_NAME, why);
	/* The form the server gives a second bob is not for asking. */
	expect_err("name watcher-2", PROTO_ERR_BAD_NAME, why);
	assert_non_null(strstr(why, "ends like the names the server makes"));
	expect_err("name bob-017", PROTO_ERR_BAD_NAME, why);
	expect_err("hello 1 watcher-2", PROTO_ERR_BAD_NAME, why);
	/* Digits, or a dash, alone are not that form. */
	assert_int_equal(parse("name r2-d2x", &c, why), PROTO_OK);
	assert_int_equal(parse("name agent-", &c, why), PROTO_OK);
	assert_int_equal(parse("name -7", &c, why), PROTO_OK);
	assert_int_equal(parse("name b2", &c, why), PROTO_OK);
}

static void
test_unknown_and_long(void **state)
{
	struct proto_cmd c;
	char line[PROTO_LINE_MAX + 2];
	char why[PROTO_WHY_MAX];

	(void)state;
	expect_err("frob", PROTO_ERR_UNKNOWN_COMMAND, why);
	assert_non_null(strstr(why, "\"frob\""));
	expect_err("", PROTO_ERR_UNKNOWN_COMMAND, why);
	expect_err(" \t ", PROTO_ERR_UNKNOWN_COMMAND, why);
	/* Junk is echoed escaped, never raw. */
	expect_err("\x1b[2J\xff", PROTO_ERR_UNKNOWN_COMMAND, why);
	assert_non_null(strstr(why, "\\x1b[2J\\xff"));

	memcpy(line, "say ", 4);
	memset(line + 4, 'a', sizeof line - 4);
	assert_int_equal(
	    parse_n(line, PROTO_LINE_MAX + 1, &c, why), PROTO_ERR_TOO_LONG);
	/* A long junk word is cut in the sentence, which says so. */
	memset(line, 'w', sizeof line);
	assert_int_equal(
	    parse_n(line, PROTO_LINE_MAX, &c, why), PROTO_ERR_UNKNOWN_COMMAND);
	assert_non_null(strstr(why, "...\""));
	assert_true(strlen(why) < 100);
}

/* why may be absent or tiny; it is always terminated when there. */
static void
test_why_buffer(void **state)
{
	struct proto_cmd c;
	char why[8];

	(void)state;
	assert_int_equal(proto_parse_command("frob", 4, &c, NULL, 0),
	    PROTO_ERR_UNKNOWN_COMMAND);
	memset(why, 'X', sizeof why);
	assert_int_equal(proto_parse_command("frob", 4, &c, why, sizeof why),
	    PROTO_ERR_UNKNOWN_COMMAND);
	assert_int_equal(strlen(why), sizeof why - 1);
	memset(why, 'X', sizeof why);
	assert_int_equal(proto_parse_command("frob", 4, &c, why, 1),
	    PROTO_ERR_UNKNOWN_COMMAND);
	assert_int_equal(why[0], '\0');
	assert_int_equal(why[1], 'X');
}

static void
test_dialect(void **state)
{
	(void)state;
#define D(s) proto_dialect_detect(s, sizeof s - 1)
	assert_int_equal(D("hello 1"), PROTO_DIALECT_V1);
	assert_int_equal(D("hello 2"), PROTO_DIALECT_V1);
	assert_int_equal(D("hello 1 alice token=x"), PROTO_DIALECT_V1);
	assert_int_equal(D(" hello\t9x"), PROTO_DIALECT_V1);
	assert_int_equal(D("hello"), PROTO_DIALECT_CLASSIC);
	assert_int_equal(D("hello "), PROTO_DIALECT_CLASSIC);
	assert_int_equal(D("hello x"), PROTO_DIALECT_CLASSIC);
	assert_int_equal(D("hello -1"), PROTO_DIALECT_CLASSIC);
	assert_int_equal(D("hellO 1"), PROTO_DIALECT_CLASSIC);
	assert_int_equal(D("helloo 1"), PROTO_DIALECT_CLASSIC);
	assert_int_equal(D("hello1"), PROTO_DIALECT_CLASSIC);
	assert_int_equal(D("run 13 10"), PROTO_DIALECT_CLASSIC);
	assert_int_equal(D("say hello 1"), PROTO_DIALECT_CLASSIC);
	assert_int_equal(D(""), PROTO_DIALECT_CLASSIC);
#undef D
}

/* Each table entry parses as itself from a line built from its args. */
static void
test_table(void **state)
{
	static const char *const sample[PROTO_CMD__COUNT] = {
	    [PROTO_CMD_HELLO] = "hello 1 alice",
	    [PROTO_CMD_RUN] = "run 1 -1",
	    [PROTO_CMD_SAY] = "say hi",
	    [PROTO_CMD_PEN] = "pen up",
	    [PROTO_CMD_COLOR] = "color red",
	    [PROTO_CMD_NAME] = "name bob",
	};
	const struct proto_cmd_info *t, *ci;
	struct proto_cmd c;
	size_t n, i, j;
	char line[64];
	char why[PROTO_WHY_MAX];

	(void)state;
	t = proto_cmd_table(&n);
	assert_int_equal(n, PROTO_CMD__COUNT);
	for (i = 0; i < n; i++) {
		assert_non_null(t[i].name);
		assert_non_null(t[i].args);
		assert_true(strlen(t[i].help) > 5);
		ci = proto_cmd_info(t[i].type);
		assert_ptr_equal(ci, &t[i]);
		assert_ptr_equal(
		    proto_cmd_lookup(t[i].name, strlen(t[i].name)), &t[i]);
		for (j = 0; j < i; j++)
			assert_string_not_equal(t[i].name, t[j].name);
		if (sample[t[i].type] != NULL)
			snprintf(line, sizeof line, "%s", sample[t[i].type]);
		else {
			assert_string_equal(t[i].args, "");
			snprintf(line, sizeof line, "%s", t[i].name);
		}
		assert_int_equal(parse(line, &c, why), PROTO_OK);
		assert_int_equal(c.type, t[i].type);
	}
	assert_null(proto_cmd_lookup("ru", 2));
	assert_null(proto_cmd_lookup("runs", 4));
	assert_null(proto_cmd_info(PROTO_CMD__COUNT));
	assert_true(proto_cmd_info(PROTO_CMD_RUN)->flags & PROTO_CMDF_MOVE);
	assert_true(proto_cmd_info(PROTO_CMD_CLEAR)->flags & PROTO_CMDF_MOVE);
	assert_false(proto_cmd_info(PROTO_CMD_SAY)->flags & PROTO_CMDF_MOVE);
	assert_false(proto_cmd_info(PROTO_CMD_WHO)->flags & PROTO_CMDF_MOVE);
	assert_true(proto_cmd_info(PROTO_CMD_SAY)->flags & PROTO_CMDF_LOG);
	assert_false(proto_cmd_info(PROTO_CMD_WHERE)->flags & PROTO_CMDF_LOG);
}

/* What a client says, parsed back: the same name and token. */
static void
test_hello_format(void **state)
{
	static const struct {
		const char *name, *token, *line;
	} t[] = {
	    {"", "", "hello 1"},
	    {"alice", "", "hello 1 alice"},
	    {"", "s3cr=t", "hello 1 token=s3cr=t"},
	    {"bob", "x", "hello 1 bob token=x"},
	};
	struct proto_cmd c;
	char line[PROTO_LINE_MAX + 1], why[PROTO_WHY_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		assert_int_equal(proto_hello_format(line, sizeof line,
				     t[i].name, t[i].token, 0),
		    0);
		assert_string_equal(line, t[i].line);
		assert_int_equal(parse(line, &c, why), PROTO_OK);
		assert_int_equal(c.type, PROTO_CMD_HELLO);
		assert_int_equal(c.version, PROTO_VERSION);
		assert_string_equal(c.name, t[i].name);
		assert_string_equal(c.token, t[i].token);
		assert_int_equal(c.watcher, 0);
	}
	assert_int_equal(
	    proto_hello_format(line, strlen("hello 1 bob") + 1, "bob", "", 0),
	    0);
	assert_int_equal(
	    proto_hello_format(line, strlen("hello 1 bob"), "bob", "", 0), -1);

	/* --watch says so, and the server reads it back. */
	assert_int_equal(proto_hello_format(line, sizeof line, "w", "x", 1), 0);
	assert_string_equal(line, "hello 1 w token=x role=watcher");
	assert_int_equal(parse(line, &c, why), PROTO_OK);
	assert_int_equal(c.watcher, 1);
	assert_int_equal(parse("hello 1 role=user w", &c, why), PROTO_OK);
	assert_int_equal(c.watcher, 0);
	assert_string_equal(c.name, "w");
	expect_err("hello 1 role=watcher role=user", PROTO_ERR_USAGE, why);
	expect_err("hello 1 role=admin", PROTO_ERR_USAGE, why);
	expect_err("hello 1 role=", PROTO_ERR_USAGE, why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hello),
	    cmocka_unit_test(test_hello_format),
	    cmocka_unit_test(test_run),
	    cmocka_unit_test(test_say),
	    cmocka_unit_test(test_simple_commands),
	    cmocka_unit_test(test_pen_color_name),
	    cmocka_unit_test(test_unknown_and_long),
	    cmocka_unit_test(test_why_buffer),
	    cmocka_unit_test(test_dialect),
	    cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
