/*
 * test_dgram.c - the datagram words: a request is its whole word, whatever
 * NULs and line ends trail it; a reply's text ends at its NUL or newline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto.h"

static void
test_words(void **state)
{
	(void)state;
	assert_string_equal(proto_dgram_word(PROTO_DGRAM_PING), "ping");
	assert_string_equal(proto_dgram_word(PROTO_DGRAM_QUIT), "quit");
	assert_string_equal(proto_dgram_word(PROTO_DGRAM_STATUS), "status");
	assert_null(proto_dgram_word(PROTO_DGRAM_WRONG));
	assert_null(proto_dgram_word(PROTO_DGRAM__COUNT));

	assert_string_equal(proto_dgram_reply(PROTO_DGRAM_PING), "pong!");
	assert_string_equal(
	    proto_dgram_reply(PROTO_DGRAM_QUIT), "quit_flag now!");
	assert_null(proto_dgram_reply(PROTO_DGRAM_STATUS));
	assert_string_equal(
	    proto_dgram_reply(PROTO_DGRAM_WRONG), "wrong string!");
	assert_string_equal(
	    proto_dgram_reply(PROTO_DGRAM__COUNT), "wrong string!");
}

static void
test_parse(void **state)
{
	(void)state;
	assert_int_equal(proto_dgram_parse("ping", 4), PROTO_DGRAM_PING);
	assert_int_equal(proto_dgram_parse("ping", 5), PROTO_DGRAM_PING);
	assert_int_equal(
	    proto_dgram_parse("ping\r\n\0\0", 8), PROTO_DGRAM_PING);
	assert_int_equal(proto_dgram_parse("quit\n", 6), PROTO_DGRAM_QUIT);
	assert_int_equal(proto_dgram_parse("status", 6), PROTO_DGRAM_STATUS);
	assert_int_equal(proto_dgram_parse("pingx", 5), PROTO_DGRAM_WRONG);
	assert_int_equal(proto_dgram_parse("pin", 3), PROTO_DGRAM_WRONG);
	assert_int_equal(proto_dgram_parse(" ping", 5), PROTO_DGRAM_WRONG);
	assert_int_equal(proto_dgram_parse("p\0ng", 4), PROTO_DGRAM_WRONG);
	assert_int_equal(proto_dgram_parse("", 0), PROTO_DGRAM_WRONG);
	assert_int_equal(proto_dgram_parse("\n\0", 2), PROTO_DGRAM_WRONG);
}

static void
test_text(void **state)
{
	(void)state;
	assert_int_equal(proto_dgram_text("pong!", 6), 5);
	assert_int_equal(proto_dgram_text("pong!", 5), 5);
	assert_int_equal(proto_dgram_text("pong!\nmore", 10), 5);
	assert_int_equal(proto_dgram_text("", 1), 0);
	assert_int_equal(proto_dgram_text("abc", 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_words),
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
