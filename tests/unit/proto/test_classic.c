/*
 * test_classic.c - the lecture's dialect byte for byte: what its client
 * sent, what its server answered (text + "\n" + NUL), and its quirks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "proto.h"

struct turtle {
	int32_t x, y;
	int cid;
};

static size_t exchange(struct turtle *, const char *, size_t, char *, size_t);
static void expect_reply(struct turtle *, const char *, const char *, size_t);

/*
 * One command through the framer, the classic parser and the reply, with
 * the position kept as the server would (no bounds here: the world's job).
 */
static size_t
exchange(struct turtle *t, const char *sent, size_t sentlen, char *out,
    size_t outlen)
{
	struct proto_framer fr;
	struct proto_cmd cmd;
	const char *line;
	size_t linelen, n = 0;
	enum proto_err err;

	proto_framer_init(&fr);
	while (proto_framer_next(&fr, &sent, &sentlen, &line, &linelen) ==
	       PROTO_FRAME_LINE) {
		assert_int_equal(n, 0); /* one command per exchange */
		err = proto_classic_parse(line, linelen, &cmd);
		if (err == PROTO_OK && cmd.type == PROTO_CMD_RUN) {
			t->x += cmd.dx;
			t->y += cmd.dy;
		}
		n = proto_classic_reply(
		    out, outlen, &cmd, err, t->x, t->y, t->cid);
		if (n == 0)
			n = (size_t)-1;
	}
	return n == (size_t)-1 ? 0 : n;
}

static void
expect_reply(
    struct turtle *t, const char *sent, const char *want, size_t sentlen)
{
	char out[PROTO_CLASSIC_MAX];
	size_t n;

	memset(out, 'X', sizeof out);
	n = exchange(t, sent, sentlen, out, sizeof out);
	if (want == NULL) {
		assert_int_equal(n, 0);
		return;
	}
	/* The text, its newline and the NUL: strlen(want) + 1 bytes. */
	assert_int_equal(n, strlen(want) + 1);
	assert_memory_equal(out, want, n);
}

#define SEND(t, lit, want) expect_reply(t, lit, want, sizeof lit - 1)

/* The lecture's session, as its client sent it: strlen+1 of each line. */
static void
test_lecture_exchange(void **state)
{
	struct turtle t = {0, 0, 4};

	(void)state;
	SEND(&t, "run 13 10\n\0", "Turtle travel to <13:10>\n");
	SEND(&t, "run -3 5\n\0", "Turtle travel to <10:15>\n");
	SEND(&t, "say hello\n\0", "Turtle said \"hello\"\n");
	SEND(&t, "say hello world\n\0", "Turtle said \"hello\"\n");
	SEND(&t, "say\n\0", "Turtle says nothing\n");
	SEND(&t, "say   \n\0", "Turtle says nothing\n");
	SEND(&t, "getcid\n\0", "Your cid is 4\n");
	SEND(&t, "run 13\n\0", "not enough args: need two\n");
	SEND(&t, "run\n\0", "not enough args: need two\n");
	SEND(&t, "jump\n\0", "Turtle does not know this command\n");
	SEND(&t, "hello 1\n\0", "Turtle does not know this command\n");
	SEND(&t, "quit\n\0", NULL);
	SEND(&t, "_exit\n\0", NULL);
}

/* strncmp() on the first bytes, sscanf("%d%d") and sscanf("%s"). */
static void
test_lecture_quirks(void **state)
{
	struct turtle t = {0, 0, 1};

	(void)state;
	SEND(&t, "runx 1 2\n", "not enough args: need two\n");
	SEND(&t, "run1 2\n", "Turtle travel to <1:2>\n");
	SEND(&t, "run 1x 2\n", "not enough args: need two\n");
	SEND(&t, "run 1 2 3\n", "Turtle travel to <2:4>\n");
	SEND(&t, "run\t+1\t-1\n", "Turtle travel to <3:3>\n");
	SEND(&t, "run - 1 2\n", "not enough args: need two\n");
	SEND(&t, "sayhello\n", "Turtle said \"hello\"\n");
	SEND(&t, "say\t  hi\tthere\n", "Turtle said \"hi\"\n");
	SEND(&t, "quitting\n", NULL);
	SEND(&t, "_exitnow\n", NULL);
	SEND(&t, "getcids\n", "Your cid is 1\n");
	SEND(&t, " run 1 2\n", "Turtle does not know this command\n");
	SEND(&t, "RUN 1 2\n", "Turtle does not know this command\n");
	SEND(&t, "say caf\xc3\xa9!\n", "Turtle said \"caf\xc3\xa9!\"\n");
}

/* What the lecture never had: a clear refusal, never a wrap or raw junk. */
static void
test_refusals(void **state)
{
	struct turtle t = {0, 0, 1};
	char line[PROTO_LINE_MAX + 2];

	(void)state;
	SEND(&t, "run 99999999999 1\n", "Turtle refuses: range\n");
	SEND(&t, "run 1 -1000001\n", "Turtle refuses: range\n");
	SEND(&t, "run 99999999999\n", "not enough args: need two\n");
	SEND(&t, "say \x1b[2J\n", "Turtle refuses: bad-text\n");
	SEND(&t, "say \xff\xfe\n", "Turtle refuses: bad-text\n");
	SEND(&t, "say \xc2\x9b\n", "Turtle refuses: bad-text\n");
	/* Invisible and bidirectional characters, as in v1. */
	SEND(&t,
	    "say a\xe2\x80\xae"
	    "b\n",
	    "Turtle refuses: bad-text\n");
	SEND(&t, "say zero\xe2\x80\x8bwidth\n", "Turtle refuses: bad-text\n");
	SEND(&t,
	    "say a\x7f"
	    "b\n",
	    "Turtle refuses: bad-text\n");
	/* A 401-byte word. */
	memcpy(line, "say ", 4);
	memset(line + 4, 'w', PROTO_TEXT_MAX + 1);
	line[4 + PROTO_TEXT_MAX + 1] = '\n';
	expect_reply(
	    &t, line, "Turtle refuses: bad-text\n", PROTO_TEXT_MAX + 6);
	assert_int_equal(t.x, 0);
}

/* The server's own refusals, e.g. from the world or the rate limit. */
static void
test_reply_errors(void **state)
{
	struct proto_cmd cmd;
	char out[PROTO_CLASSIC_MAX];
	size_t n;

	(void)state;
	assert_int_equal(proto_classic_parse("run 500 0", 9, &cmd), PROTO_OK);
	n = proto_classic_reply(
	    out, sizeof out, &cmd, PROTO_ERR_OUT_OF_BOUNDS, 0, 0, 1);
	assert_int_equal(n, sizeof "Turtle refuses: out-of-bounds\n");
	assert_memory_equal(out, "Turtle refuses: out-of-bounds\n", n);
	assert_int_equal(proto_classic_parse("_exit", 5, &cmd), PROTO_OK);
	assert_int_equal(cmd.type, PROTO_CMD_EXIT);
	n = proto_classic_reply(
	    out, sizeof out, &cmd, PROTO_ERR_FORBIDDEN, 0, 0, 1);
	assert_memory_equal(out, "Turtle refuses: forbidden\n", n);
	n = proto_classic_reply(out, sizeof out, NULL, PROTO_ERR_RATE, 0, 0, 1);
	assert_memory_equal(out, "Turtle refuses: rate\n", n);
	/* Too small a buffer gives nothing rather than a cut reply. */
	assert_int_equal(
	    proto_classic_reply(out, 10, &cmd, PROTO_ERR_FORBIDDEN, 0, 0, 1),
	    0);
	/* A NUL ends the line as it ended the lecture's strings. */
	assert_int_equal(
	    proto_classic_parse("run 1 2\0 3", 10, &cmd), PROTO_OK);
	assert_int_equal(cmd.dx, 1);
	assert_int_equal(cmd.dy, 2);
	assert_int_equal(proto_classic_parse("say\0hi", 6, &cmd), PROTO_OK);
	assert_string_equal(cmd.text, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lecture_exchange),
	    cmocka_unit_test(test_lecture_quirks),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_reply_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
