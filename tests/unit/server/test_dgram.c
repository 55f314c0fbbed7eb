/*
 * test_dgram.c - the answers of the ping endpoint, terminators or not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server.h"

static const struct dgram_status st = {4242, 17, 3, 99, -5, 12, "turns"};

static void
expect(const char *req, size_t len, const char *want)
{
	char out[256];
	size_t n;

	n = dgram_answer(req, len, &st, out, sizeof out);
	assert_int_equal(n, strlen(want) + 1);
	assert_int_equal(out[n - 1], '\0');
	assert_string_equal(out, want);
}

static void
test_answers(void **state)
{
	(void)state;
	expect("ping", 4, "pong!");
	expect("ping", 5, "pong!"); /* with its NUL, as the lecture sent */
	expect("ping\n", 5, "pong!");
	expect("ping\r\n\0\0", 8, "pong!");
	expect("quit", 4, "quit_flag now!");
	expect("quit\n", 6, "quit_flag now!");
	expect("status", 6,
	    "turtled pid=4242 uptime=17 clients=3 seq=99 x=-5 y=12 "
	    "mode=turns");
	expect("pingx", 5, "wrong string!");
	expect("pin", 3, "wrong string!");
	expect(" ping", 5, "wrong string!");
	expect("", 0, "wrong string!");
	expect("p\0ng", 4, "wrong string!");
}

static void
test_small_buffer(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(dgram_answer("ping", 4, &st, out, sizeof out), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_answers),
	    cmocka_unit_test(test_small_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
