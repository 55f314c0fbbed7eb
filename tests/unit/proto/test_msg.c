/*
 * test_msg.c - reading server lines: what is accepted, what is refused,
 * and that nothing is read beyond the given length.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proto.h"

static int parse_exact(const char *, size_t, struct proto_msg *);

/* The line in a heap block of exactly its size, so ASan sees any overread. */
static int
parse_exact(const char *line, size_t len, struct proto_msg *m)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, line, len);
	rc = proto_msg_parse(copy, len, m);
	free(copy);
	return rc;
}

#define P(lit, m) parse_exact(lit, sizeof lit - 1, m)

static void
test_accepts(void **state)
{
	struct proto_msg m;

	(void)state;
	assert_int_equal(P("ok quit", &m), 0);
	assert_int_equal(m.type, PROTO_MSG_OK);
	assert_string_equal(m.word, "quit");
	assert_int_equal(m.nfields, 0);

	assert_int_equal(P("ok run x=13 y=-10\n", &m), 0);
	assert_string_equal(proto_msg_get(&m, "x"), "13");
	assert_string_equal(proto_msg_get(&m, "y"), "-10");
	assert_null(proto_msg_get(&m, "z"));

	assert_int_equal(P("err usage msg=\"run needs two\"\r\n", &m), 0);
	assert_int_equal(m.type, PROTO_MSG_ERR);
	assert_string_equal(m.word, "usage");
	assert_string_equal(proto_msg_get(&m, "msg"), "run needs two");
	assert_int_equal(proto_err_from_word(m.word), PROTO_ERR_USAGE);

	assert_int_equal(
	    P("evt 18446744073709551615 shutdown reason=quit", &m), 0);
	assert_int_equal(m.type, PROTO_MSG_EVT);
	assert_true(m.seq == UINT64_MAX);

	assert_int_equal(P("snap seg x0=1 y0=2 x1=3 y1=4 color=red", &m), 0);
	assert_int_equal(m.type, PROTO_MSG_SNAP);
	assert_int_equal(m.nfields, 5);

	assert_int_equal(P("ok t v=\"\\x41\\x62\\t\\\"\"", &m), 0);
	assert_string_equal(proto_msg_get(&m, "v"), "Ab\t\"");
	assert_int_equal(P("ok t v=\"\\xE2\\x82\\xAC\"", &m), 0);
	assert_string_equal(proto_msg_get(&m, "v"), "\xe2\x82\xac");
}

static void
test_refuses(void **state)
{
	static const char *const bad[] = {
	    "",
	    "\n",
	    "ok",
	    "ok ",
	    "OK run",
	    "nope run",
	    "ok run ",
	    "ok  run",
	    "ok run x",
	    "ok run x=",
	    "ok run =1",
	    "ok run x=1  y=2",
	    "ok run X=1",
	    "ok run x-y=1",
	    "ok run x=1 x=2",
	    "ok run x=a\"b",
	    "ok run x=a\\b",
	    "ok run x=a=b",
	    "ok run x=\"open",
	    "ok run x=\"a\"b",
	    "ok run x=\"a\\\"",
	    "ok run x=\"\\q\"",
	    "ok run x=\"\\x0\"",
	    "ok run x=\"\\xg0\"",
	    "ok run x=\"\\x00\"",
	    "ok run x=\"\x1b\"",
	    "ok run x=\"\t\"",
	    "ok run x=\"\xc2\x9b\"",
	    "ok run x=\"\xff\"",
	    "ok run x=\"\xc3\"",
	    "ok run x=caf\xc3\xa9",
	    "ok run x=1\n\n",
	    "ok run x=1\r",
	    "ok run x=1\ry=2",
	    "evt run",
	    "evt x run",
	    "evt -1 run",
	    "evt 18446744073709551616 run",
	    "evt 1",
	    "evt 1 ",
	    "ok abcdefghijklmnopqrstuvwxyz",
	    "ok Run",
	    "ok r\xc3\xa9",
	};
	struct proto_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (parse_exact(bad[i], strlen(bad[i]), &m) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	/* A NUL inside the line is not a terminator. */
	assert_int_equal(parse_exact("ok run x=1\0", 11, &m), -1);
	assert_int_equal(parse_exact("ok r\0n", 6, &m), -1);
	assert_int_equal(proto_msg_parse(NULL, 0, &m), -1);
}

static void
test_limits(void **state)
{
	char line[PROTO_OUT_MAX + 8];
	struct proto_msg m;
	size_t len = 0;
	int i;

	(void)state;
	/* PROTO_FIELDS_MAX fields are fine, one more is not. */
	len = (size_t)snprintf(line, sizeof line, "ok t");
	for (i = 0; i < PROTO_FIELDS_MAX; i++)
		len += (size_t)snprintf(
		    line + len, sizeof line - len, " k%d=%d", i, i);
	assert_int_equal(parse_exact(line, len, &m), 0);
	assert_int_equal(m.nfields, PROTO_FIELDS_MAX);
	assert_string_equal(proto_msg_get(&m, "k15"), "15");
	len += (size_t)snprintf(line + len, sizeof line - len, " k99=1");
	assert_int_equal(parse_exact(line, len, &m), -1);

	/* A line of PROTO_OUT_MAX bytes with its newline; not one more. */
	memcpy(line, "ok t v=", 7);
	memset(line + 7, 'a', PROTO_OUT_MAX - 8);
	line[PROTO_OUT_MAX - 1] = '\n';
	assert_int_equal(parse_exact(line, PROTO_OUT_MAX, &m), 0);
	assert_int_equal(strlen(proto_msg_get(&m, "v")), PROTO_OUT_MAX - 8);
	line[PROTO_OUT_MAX - 1] = 'a';
	line[PROTO_OUT_MAX] = '\n';
	assert_int_equal(parse_exact(line, PROTO_OUT_MAX + 1, &m), -1);

	/* The longest word; one more character is refused. */
	assert_int_equal(P("ok abcdefghijklmnopqrstuvw", &m), 0);
	assert_int_equal(P("ok abcdefghijklmnopqrstuvwx", &m), -1);
}

static void
test_get_int(void **state)
{
	struct proto_msg m;
	long long v = 77;

	(void)state;
	assert_int_equal(
	    P("ok t a=5 b=-5 c=x d=\"\" e=99999999999999999999 f=+3 g=1.0", &m),
	    0);
	assert_int_equal(proto_msg_get_int(&m, "a", 0, 10, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(proto_msg_get_int(&m, "a", 6, 10, &v), -1);
	assert_int_equal(proto_msg_get_int(&m, "a", 0, 4, &v), -1);
	assert_int_equal(proto_msg_get_int(&m, "b", -5, -5, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(proto_msg_get_int(&m, "c", 0, 10, &v), -1);
	assert_int_equal(proto_msg_get_int(&m, "d", 0, 10, &v), -1);
	assert_int_equal(
	    proto_msg_get_int(&m, "e", LLONG_MIN, LLONG_MAX, &v), -1);
	assert_int_equal(proto_msg_get_int(&m, "f", 0, 10, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(proto_msg_get_int(&m, "g", 0, 10, &v), -1);
	assert_int_equal(proto_msg_get_int(&m, "missing", 0, 10, &v), -1);
	assert_int_equal(v, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_accepts),
	    cmocka_unit_test(test_refuses),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_get_int),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
