/*
 * test_fmt.c - building server lines: the quoting rule, overflow, and
 * round trips through proto_msg_parse() of every kind of value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <string.h>
#include <cmocka.h>

#include "proto.h"

#define S(lit) lit, sizeof lit - 1

static void expect_line(struct proto_buf *, const char *);
static void round_trip(const char *, size_t, const char *);

static void
expect_line(struct proto_buf *b, const char *want)
{
	assert_int_equal(proto_fmt_end(b), 0);
	assert_int_equal(b->len, strlen(want));
	assert_memory_equal(b->p, want, b->len);
}

static void
test_line_kinds(void **state)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;

	(void)state;
	proto_buf_init(&b, line, sizeof line);
	proto_fmt_ok(&b, "run");
	proto_fmt_int(&b, "x", 13);
	proto_fmt_int(&b, "y", -10);
	expect_line(&b, "ok run x=13 y=-10\n");

	proto_buf_init(&b, line, sizeof line);
	proto_fmt_err(&b, PROTO_ERR_NOT_YOUR_TURN, "wait for your turn");
	expect_line(&b, "err not-your-turn msg=\"wait for your turn\"\n");

	proto_buf_init(&b, line, sizeof line);
	proto_fmt_evt(&b, UINT64_MAX, "join");
	proto_fmt_int(&b, "cid", 3);
	proto_fmt_str(&b, "name", "alice");
	expect_line(&b, "evt 18446744073709551615 join cid=3 name=alice\n");

	proto_buf_init(&b, line, sizeof line);
	proto_fmt_snap(&b, "end");
	proto_fmt_uint(&b, "seq", 42);
	proto_fmt_int(&b, "min", LLONG_MIN);
	expect_line(&b, "snap end seq=42 min=-9223372036854775808\n");

	proto_buf_init(&b, line, sizeof line);
	proto_fmt_ok(&b, "help-item");
	proto_fmt_str(&b, "cmd", "_exit");
	proto_fmt_str(&b, "args", "");
	expect_line(&b, "ok help-item cmd=_exit args=\"\"\n");
}

/* Bare when safe, quoted otherwise, exactly as PROTOCOL.md shows. */
static void
test_quoting(void **state)
{
	static const struct {
		const char *val;
		size_t len;
		const char *want;
	} cases[] = {
	    {S("plain"), "ok t v=plain\n"},
	    {S("a.b-c_d:/1,2!"), "ok t v=a.b-c_d:/1,2!\n"},
	    {S(""), "ok t v=\"\"\n"},
	    {S("two words"), "ok t v=\"two words\"\n"},
	    {S("say \"hi\""), "ok t v=\"say \\\"hi\\\"\"\n"},
	    {S("back\\slash"), "ok t v=\"back\\\\slash\"\n"},
	    {S("a=b"), "ok t v=\"a=b\"\n"},
	    {S("l1\nl2\r\t"), "ok t v=\"l1\\nl2\\r\\t\"\n"},
	    {S("\x1b[2J\x7f"), "ok t v=\"\\x1b[2J\\x7f\"\n"},
	    {S("caf\xc3\xa9"), "ok t v=\"caf\xc3\xa9\"\n"},
	    {S("\xc2\x9b"), "ok t v=\"\\xc2\\x9b\"\n"},
	    /* Format characters travel as escaped bytes, like C1. */
	    {S("a\xe2\x80\xae"
	       "b"),
		"ok t v=\"a\\xe2\\x80\\xaeb\"\n"},
	    {S("\xef\xbb\xbf\xe2\x80\x8b"),
		"ok t v=\"\\xef\\xbb\\xbf\\xe2\\x80\\x8b\"\n"},
	    {S("\xff\xc0\xaf"), "ok t v=\"\\xff\\xc0\\xaf\"\n"},
	    {"a\0b", 3, "ok t v=\"a\\x00b\"\n"},
	};
	char line[PROTO_OUT_MAX];
	struct proto_buf b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		proto_buf_init(&b, line, sizeof line);
		proto_fmt_ok(&b, "t");
		proto_fmt_strn(&b, "v", cases[i].val, cases[i].len);
		expect_line(&b, cases[i].want);
	}
}

static void
round_trip(const char *val, size_t len, const char *key)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;
	struct proto_msg m;
	const char *got;

	proto_buf_init(&b, line, sizeof line);
	proto_fmt_evt(&b, 7, "say");
	proto_fmt_str(&b, "before", "x y");
	proto_fmt_strn(&b, key, val, len);
	proto_fmt_str(&b, "after", "");
	assert_int_equal(proto_fmt_end(&b), 0);
	assert_int_equal(proto_msg_parse(b.p, b.len, &m), 0);
	assert_int_equal(m.type, PROTO_MSG_EVT);
	assert_int_equal(m.seq, 7);
	assert_string_equal(m.word, "say");
	assert_int_equal(m.nfields, 3);
	got = proto_msg_get(&m, key);
	assert_non_null(got);
	assert_int_equal(strlen(got), len);
	assert_memory_equal(got, val, len);
	assert_string_equal(proto_msg_get(&m, "before"), "x y");
	assert_string_equal(proto_msg_get(&m, "after"), "");
	/* The line itself is clean text: safe even if printed raw. */
	assert_int_equal(proto_text_valid(b.p, b.len - 1), 0);
}

static void
test_round_trips(void **state)
{
	char big[PROTO_TEXT_MAX];
	unsigned char all[255];
	size_t i;

	(void)state;
	round_trip(S("plain"), "v");
	round_trip(S(""), "v");
	round_trip(S(" "), "v");
	round_trip(S("  inner   spaces  "), "text");
	round_trip(S("\"\"\\\\\\\""), "v");
	round_trip(S("k=v w=\"x\""), "v");
	round_trip(S("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa2"), "v");
	round_trip(S("\x1b[31mred\x1b[0m\a\b\f\v"), "v");
	round_trip(S("\xff\xfe\xc0\xaf\xed\xa0\x80\xc2\x80"), "v");
	round_trip(S("\xe2\x80\xae\xe2\x81\xa6\xe2\x80\x8b\xef\xbb\xbf"), "v");
	round_trip(S("\\x41 is not an escape here"), "v");
	/* Every byte value but NUL, which a decoded value cannot hold. */
	for (i = 0; i < sizeof all; i++)
		all[i] = (unsigned char)(i + 1);
	round_trip((const char *)all, sizeof all, "v");
	memset(big, 'q', sizeof big);
	round_trip(big, sizeof big, "text");
}

/* A line that does not fit is void as a whole; the buffer never overruns. */
static void
test_overflow(void **state)
{
	char line[32], big[PROTO_OUT_MAX + 10];
	struct proto_buf b;
	size_t cap;

	(void)state;
	for (cap = 0; cap < sizeof line; cap++) {
		memset(line, '#', sizeof line);
		proto_buf_init(&b, line, cap);
		proto_fmt_ok(&b, "where");
		proto_fmt_int(&b, "x", -100);
		proto_fmt_str(&b, "pen", "down");
		/* "ok where x=-100 pen=down\n" is 25 bytes. */
		if (cap >= 25) {
			assert_int_equal(proto_fmt_end(&b), 0);
			assert_int_equal(b.len, 25);
		} else {
			assert_int_equal(proto_fmt_end(&b), -1);
			assert_true(b.overflow);
		}
		assert_true(b.len <= cap);
		if (cap < sizeof line)
			assert_int_equal(line[cap], '#');
	}
	/* Exactly PROTO_OUT_MAX with the newline fits; one more does not. */
	memset(big, 'a', sizeof big);
	{
		char out[PROTO_OUT_MAX];
		size_t vlen = PROTO_OUT_MAX - strlen("ok t v=\n");

		proto_buf_init(&b, out, sizeof out);
		proto_fmt_ok(&b, "t");
		proto_fmt_strn(&b, "v", big, vlen);
		assert_int_equal(proto_fmt_end(&b), 0);
		assert_int_equal(b.len, PROTO_OUT_MAX);
		proto_buf_init(&b, out, sizeof out);
		proto_fmt_ok(&b, "t");
		proto_fmt_strn(&b, "v", big, vlen + 1);
		assert_int_equal(proto_fmt_end(&b), -1);
	}
}

/* Words and keys outside the grammar are a caller's bug: the line is void. */
static void
test_bad_words(void **state)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;

	(void)state;
	proto_buf_init(&b, line, sizeof line);
	proto_fmt_ok(&b, "two words");
	assert_int_equal(proto_fmt_end(&b), -1);
	proto_buf_init(&b, line, sizeof line);
	proto_fmt_ok(&b, "");
	assert_int_equal(proto_fmt_end(&b), -1);
	proto_buf_init(&b, line, sizeof line);
	proto_fmt_ok(&b, "x");
	proto_fmt_str(&b, "Key", "v");
	assert_int_equal(proto_fmt_end(&b), -1);
	proto_buf_init(&b, line, sizeof line);
	proto_fmt_ok(&b, "x");
	proto_fmt_str(&b, "a-b", "v");
	assert_int_equal(proto_fmt_end(&b), -1);
	proto_buf_init(&b, line, sizeof line);
	proto_fmt_ok(&b, "x");
	proto_fmt_str(&b, "k", NULL);
	assert_int_equal(proto_fmt_end(&b), 0);
	assert_string_equal(line, "ok x k=\"\"\n");
}

/* Lines may be appended one after the other into one buffer. */
static void
test_several_lines(void **state)
{
	char out[64];
	struct proto_buf b;

	(void)state;
	proto_buf_init(&b, out, sizeof out);
	proto_fmt_ok(&b, "pass");
	assert_int_equal(proto_fmt_end(&b), 0);
	proto_fmt_evt(&b, 9, "clear");
	assert_int_equal(proto_fmt_end(&b), 0);
	assert_string_equal(out, "ok pass\nevt 9 clear\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_line_kinds),
	    cmocka_unit_test(test_quoting),
	    cmocka_unit_test(test_round_trips),
	    cmocka_unit_test(test_overflow),
	    cmocka_unit_test(test_bad_words),
	    cmocka_unit_test(test_several_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
