/*
 * test_clock.c - monotonic milliseconds and what is left of a deadline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <time.h>

#include "common.h"

static void
test_now(void **state)
{
	struct timespec pause = {0, 30 * 1000 * 1000};
	uint64_t a, b;

	(void)state;
	a = common_now_ms();
	nanosleep(&pause, NULL);
	b = common_now_ms();
	assert_true(b >= a + 30);
	assert_true(b < a + 10000);
}

static void
test_ms_left(void **state)
{
	uint64_t now = common_now_ms();
	int left;

	(void)state;
	assert_int_equal(common_ms_left(0), 0);
	assert_int_equal(common_ms_left(now), 0);
	left = common_ms_left(now + 1000);
	assert_true(left > 0 && left <= 1000);
	assert_int_equal(common_ms_left(UINT64_MAX), INT_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_now),
	    cmocka_unit_test(test_ms_left),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
