/*
 * test_ratelimit.c - the per-client token bucket: a burst goes through,
 * the rest waits for the rate, and idling never banks more than a burst.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "server.h"

static void
test_burst_then_refuse(void **state)
{
	struct ratelimit rl;
	int i;

	(void)state;
	ratelimit_init(&rl, 50, 100, 1000);
	for (i = 0; i < 100; i++)
		assert_int_equal(ratelimit_take(&rl, 1000), 0);
	assert_int_equal(ratelimit_take(&rl, 1000), -1);
	assert_int_equal(ratelimit_take(&rl, 1000), -1);
}

static void
test_refills_at_rate(void **state)
{
	struct ratelimit rl;
	int i, ok = 0;

	(void)state;
	ratelimit_init(&rl, 50, 1, 0);
	assert_int_equal(ratelimit_take(&rl, 0), 0);
	/* 50 per second is one per 20 ms: not at 19 ms, yes at 20 ms. */
	assert_int_equal(ratelimit_take(&rl, 19), -1);
	assert_int_equal(ratelimit_take(&rl, 20), 0);
	/* Over one second at 1 ms steps, exactly 50 more get through. */
	for (i = 21; i <= 1020; i++)
		ok += ratelimit_take(&rl, (uint64_t)i) == 0;
	assert_int_equal(ok, 50);
}

static void
test_idle_caps_at_burst(void **state)
{
	struct ratelimit rl;
	int i;

	(void)state;
	ratelimit_init(&rl, 1000, 3, 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(ratelimit_take(&rl, 0), 0);
	assert_int_equal(ratelimit_take(&rl, 0), -1);
	/* A day later: still only a burst of 3. */
	for (i = 0; i < 3; i++)
		assert_int_equal(ratelimit_take(&rl, 86400000ULL), 0);
	assert_int_equal(ratelimit_take(&rl, 86400000ULL), -1);
}

static void
test_clock_going_back_is_harmless(void **state)
{
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, 10, 1, 5000);
	assert_int_equal(ratelimit_take(&rl, 5000), 0);
	assert_int_equal(ratelimit_take(&rl, 100), -1);
	assert_int_equal(ratelimit_take(&rl, 5100), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_burst_then_refuse),
	    cmocka_unit_test(test_refills_at_rate),
	    cmocka_unit_test(test_idle_caps_at_burst),
	    cmocka_unit_test(test_clock_going_back_is_harmless),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
