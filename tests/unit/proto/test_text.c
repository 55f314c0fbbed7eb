/*
 * test_text.c - strict UTF-8, control characters, names, and the escaping
 * every display path relies on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "proto.h"

#define S(lit) lit, sizeof lit - 1

static void
test_valid_text(void **state)
{
	(void)state;
	assert_int_equal(proto_text_valid(S("")), 0);
	assert_int_equal(proto_text_valid(S("hello, world!")), 0);
	assert_int_equal(proto_text_valid(S("caf\xc3\xa9")), 0);  /* é */
	assert_int_equal(proto_text_valid(S("\xe2\x82\xac")), 0); /* € */
	assert_int_equal(proto_text_valid(S("\xf0\x9f\x90\xa2")), 0);
	assert_int_equal(proto_text_valid(S("\xc2\xa0")), 0);     /* NBSP */
	assert_int_equal(proto_text_valid(S("\xed\x9f\xbf")), 0); /* D7FF */
	assert_int_equal(proto_text_valid(S("\xee\x80\x80")), 0); /* E000 */
	assert_int_equal(proto_text_valid(S("\xf4\x8f\xbf\xbf")), 0);
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	/* Overlong encodings of '/' and of NUL. */
	assert_int_equal(proto_text_valid(S("\xc0\xaf")), -1);
	assert_int_equal(proto_text_valid(S("\xc1\xbf")), -1);
	assert_int_equal(proto_text_valid(S("\xe0\x80\xaf")), -1);
	assert_int_equal(proto_text_valid(S("\xe0\x9f\xbf")), -1);
	assert_int_equal(proto_text_valid(S("\xf0\x80\x80\xaf")), -1);
	assert_int_equal(proto_text_valid(S("\xf0\x8f\xbf\xbf")), -1);
	assert_int_equal(proto_text_valid(S("\xc0\x80")), -1);
	/* Surrogates, and beyond U+10FFFF. */
	assert_int_equal(proto_text_valid(S("\xed\xa0\x80")), -1);
	assert_int_equal(proto_text_valid(S("\xed\xbf\xbf")), -1);
	assert_int_equal(proto_text_valid(S("\xf4\x90\x80\x80")), -1);
	assert_int_equal(proto_text_valid(S("\xf5\x80\x80\x80")), -1);
	/* Truncated, stray continuation, impossible bytes. */
	assert_int_equal(proto_text_valid(S("\xe2\x82")), -1);
	assert_int_equal(proto_text_valid(S("ab\xf0\x9f\x90")), -1);
	assert_int_equal(proto_text_valid(S("\x80")), -1);
	assert_int_equal(proto_text_valid(S("a\xbf")), -1);
	assert_int_equal(proto_text_valid(S("\xfe")), -1);
	assert_int_equal(proto_text_valid(S("\xff")), -1);
	assert_int_equal(proto_text_valid(S("\xc3\x28")), -1);
}

static void
test_control_characters(void **state)
{
	(void)state;
	assert_int_equal(proto_text_valid(S("a\x1b[2Jb")), -1);
	assert_int_equal(proto_text_valid(S("\t")), -1);
	assert_int_equal(proto_text_valid(S("a\nb")), -1);
	assert_int_equal(proto_text_valid(S("a\rb")), -1);
	assert_int_equal(proto_text_valid(S("\x7f")), -1);
	assert_int_equal(proto_text_valid(S("\x01")), -1);
	assert_int_equal(proto_text_valid("a\0b", 3), -1);
	/* C1: U+0080..U+009F, e.g. CSI U+009B. */
	assert_int_equal(proto_text_valid(S("\xc2\x80")), -1);
	assert_int_equal(proto_text_valid(S("\xc2\x9b")), -1);
	assert_int_equal(proto_text_valid(S("\xc2\x9f")), -1);
}

static void
test_names(void **state)
{
	(void)state;
	assert_int_equal(proto_name_valid(S("alice")), 0);
	assert_int_equal(proto_name_valid(S("A.b-c_9")), 0);
	assert_int_equal(proto_name_valid(S("x")), 0);
	assert_int_equal(
	    proto_name_valid(S("abcdefghijklmnopqrstuvwxyz012345")), 0);
	assert_int_equal(
	    proto_name_valid(S("abcdefghijklmnopqrstuvwxyz0123456")), -1);
	assert_int_equal(proto_name_valid(S("")), -1);
	assert_int_equal(proto_name_valid(S("a b")), -1);
	assert_int_equal(proto_name_valid(S("a/b")), -1);
	assert_int_equal(proto_name_valid(S("a=b")), -1);
	assert_int_equal(proto_name_valid(S("caf\xc3\xa9")), -1);
	assert_int_equal(proto_name_valid(S("a\x1b")), -1);
	assert_int_equal(proto_name_valid("ab\0", 3), -1);
}

/* The secrets of token= and admin= (and of --token on both sides). */
static void
test_tokens(void **state)
{
	char longest[PROTO_TOKEN_MAX + 1];

	(void)state;
	assert_int_equal(proto_token_valid(S("s3cr=t")), 0);
	assert_int_equal(proto_token_valid(S("!~")), 0);
	memset(longest, 'k', sizeof longest);
	assert_int_equal(proto_token_valid(longest, PROTO_TOKEN_MAX), 0);
	assert_int_equal(proto_token_valid(longest, PROTO_TOKEN_MAX + 1), -1);
	assert_int_equal(proto_token_valid(S("")), -1);
	assert_int_equal(proto_token_valid(S("a b")), -1);
	assert_int_equal(proto_token_valid(S("a\tb")), -1);
	assert_int_equal(proto_token_valid(S("a\x7f")), -1);
	assert_int_equal(proto_token_valid(S("caf\xc3\xa9")), -1);
	assert_int_equal(proto_token_valid("ab\0", 3), -1);
}

static void
test_escape_basics(void **state)
{
	char out[128];

	(void)state;
	assert_int_equal(proto_text_escape(out, sizeof out, S("plain")), 5);
	assert_string_equal(out, "plain");
	proto_text_escape(out, sizeof out, S("\x1b[2Jgone"));
	assert_string_equal(out, "\\x1b[2Jgone");
	proto_text_escape(out, sizeof out, S("a\\b"));
	assert_string_equal(out, "a\\\\b");
	proto_text_escape(out, sizeof out, S("caf\xc3\xa9 \xf0\x9f\x90\xa2"));
	assert_string_equal(out, "caf\xc3\xa9 \xf0\x9f\x90\xa2");
	proto_text_escape(out, sizeof out, S("\xff\xc0\xaf"));
	assert_string_equal(out, "\\xff\\xc0\\xaf");
	proto_text_escape(out, sizeof out,
	    S("\xc2\x9b"
	      "1m"));
	assert_string_equal(out, "\\xc2\\x9b1m");
	proto_text_escape(out, sizeof out, "a\0b", 3);
	assert_string_equal(out, "a\\x00b");
	proto_text_escape(out, sizeof out, S("\t\r\n\x7f"));
	assert_string_equal(out, "\\x09\\x0d\\x0a\\x7f");
	/* Right-to-left override: valid text, but shown escaped. */
	proto_text_escape(out, sizeof out,
	    S("a\xe2\x80\xae"
	      "b"));
	assert_string_equal(out, "a\\xe2\\x80\\xaeb");
}

/* Truncation keeps whole characters and whole escapes, and the NUL. */
static void
test_escape_truncation(void **state)
{
	char out[8];

	(void)state;
	memset(out, '#', sizeof out);
	assert_int_equal(proto_text_escape(out, 1, S("abc")), 0);
	assert_string_equal(out, "");
	memset(out, '#', sizeof out);
	assert_int_equal(proto_text_escape(out, 0, S("abc")), 0);
	assert_int_equal(out[0], '#');
	assert_int_equal(proto_text_escape(out, 4, S("abcdef")), 3);
	assert_string_equal(out, "abc");
	/* "ab" + é (2 bytes) needs 5 with the NUL: é is left out whole. */
	assert_int_equal(proto_text_escape(out, 4, S("ab\xc3\xa9")), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(proto_text_escape(out, 5, S("ab\xc3\xa9")), 4);
	/* An escape is 4 bytes: it fits whole or not at all. */
	assert_int_equal(proto_text_escape(out, 6, S("ab\x1b")), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(proto_text_escape(out, 7, S("ab\x1b")), 6);
	assert_string_equal(out, "ab\\x1b");
	assert_int_equal(proto_text_escape(out, 3, S("\\\\")), 2);
	assert_string_equal(out, "\\\\");
}

/* Whatever goes in, what comes out is clean text (a tiny LCG drives it). */
static void
test_escape_output_always_clean(void **state)
{
	unsigned char in[64];
	char out[64 * 4 + 1];
	uint32_t seed = 12345;
	size_t round, i, n;

	(void)state;
	for (round = 0; round < 20000; round++) {
		size_t len = round % sizeof in;

		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (unsigned char)(seed >> 16);
			/* Bias towards the bytes that matter. */
			if (in[i] & 1)
				in[i] = (unsigned char)(0x80 | (in[i] >> 2));
		}
		n = proto_text_escape(out, sizeof out, (const char *)in, len);
		assert_int_equal(strlen(out), n);
		assert_int_equal(proto_text_valid(out, n), 0);
		/* Clean input comes out the same, backslashes doubled. */
		if (proto_text_valid((const char *)in, len) == 0 &&
		    memchr(in, '\\', len) == NULL &&
		    memchr(in, 0xe2, len) == NULL &&
		    memchr(in, 0xd8, len) == NULL) {
			assert_int_equal(n, len);
			assert_memory_equal(out, in, len);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_text),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_control_characters),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_escape_basics),
	    cmocka_unit_test(test_escape_truncation),
	    cmocka_unit_test(test_escape_output_always_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
