/*
 * test_turns.c - the turn queue: join order, passing to the back, and a
 * holder that leaves handing the turn on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "server.h"

static void
test_join_order(void **state)
{
	struct turns t;

	(void)state;
	turns_init(&t);
	assert_int_equal(turns_holder(&t), 0);
	assert_int_equal(turns_join(&t, 4), 1);
	assert_int_equal(turns_join(&t, 2), 0);
	assert_int_equal(turns_join(&t, 9), 0);
	assert_int_equal(turns_holder(&t), 4);
	assert_int_equal(turns_rotate(&t), 2);
	assert_int_equal(turns_rotate(&t), 9);
	assert_int_equal(turns_rotate(&t), 4);
	turns_free(&t);
}

static void
test_leave(void **state)
{
	struct turns t;

	(void)state;
	turns_init(&t);
	turns_join(&t, 1);
	turns_join(&t, 2);
	turns_join(&t, 3);
	/* Not the holder: nothing changes hands. */
	assert_int_equal(turns_leave(&t, 2), 0);
	assert_int_equal(turns_holder(&t), 1);
	/* Unknown cid: nothing at all. */
	assert_int_equal(turns_leave(&t, 42), 0);
	/* The holder: the next in line has it. */
	assert_int_equal(turns_leave(&t, 1), 1);
	assert_int_equal(turns_holder(&t), 3);
	assert_int_equal(turns_leave(&t, 3), 1);
	assert_int_equal(turns_holder(&t), 0);
	assert_int_equal(turns_rotate(&t), 0);
	turns_free(&t);
}

static void
test_single_keeps_turn(void **state)
{
	struct turns t;

	(void)state;
	turns_init(&t);
	turns_join(&t, 5);
	assert_int_equal(turns_rotate(&t), 5);
	assert_int_equal(turns_holder(&t), 5);
	turns_free(&t);
}

static void
test_many(void **state)
{
	struct turns t;
	int i;

	(void)state;
	turns_init(&t);
	for (i = 1; i <= 1000; i++)
		assert_true(turns_join(&t, i) >= 0);
	for (i = 1; i <= 1000; i++) {
		assert_int_equal(turns_holder(&t), i);
		turns_rotate(&t);
	}
	assert_int_equal(turns_holder(&t), 1);
	for (i = 1; i <= 999; i++)
		assert_int_equal(turns_leave(&t, i), 1);
	assert_int_equal(turns_holder(&t), 1000);
	turns_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_join_order),
	    cmocka_unit_test(test_leave),
	    cmocka_unit_test(test_single_keeps_turn),
	    cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
