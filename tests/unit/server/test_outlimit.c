/*
 * test_outlimit.c - the output-limit accounting: the limit trips exactly
 * past it (not before), a snapshot does not count, a client still holding
 * its resync is cut, and one that drains it is forgiven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "server.h"

static void
test_limit_exact(void **state)
{
	struct outlimit ol;

	(void)state;
	outlimit_init(&ol);
	outlimit_added(&ol, 900);
	assert_int_equal(outlimit_check(&ol, 100, 1000, 1), OUTLIMIT_OK);
	outlimit_added(&ol, 100);
	assert_int_equal(outlimit_usage(&ol), 1000);
	assert_int_equal(outlimit_check(&ol, 0, 1000, 1), OUTLIMIT_OK);
	assert_int_equal(outlimit_check(&ol, 1, 1000, 1), OUTLIMIT_RESYNC);
	/* Without a resync (classic), past the limit is a cut. */
	assert_int_equal(outlimit_check(&ol, 1, 1000, 0), OUTLIMIT_CUT);
	/* A line larger than the whole limit never fits. */
	outlimit_init(&ol);
	assert_int_equal(outlimit_check(&ol, 1001, 1000, 1), OUTLIMIT_RESYNC);
	/* Writing makes room. */
	outlimit_added(&ol, 1000);
	outlimit_written(&ol, 400);
	assert_int_equal(outlimit_usage(&ol), 600);
	assert_int_equal(outlimit_check(&ol, 400, 1000, 1), OUTLIMIT_OK);
}

static void
test_snapshot_is_exempt(void **state)
{
	struct outlimit ol;

	(void)state;
	outlimit_init(&ol);
	outlimit_added(&ol, 50); /* ok hello */
	outlimit_snap_begin(&ol);
	outlimit_snap_added(&ol, 5000);
	assert_int_equal(ol.queued, 5050);
	assert_int_equal(outlimit_usage(&ol), 50);
	assert_int_equal(outlimit_check(&ol, 900, 1000, 1), OUTLIMIT_OK);
	/* Bytes written go first to what came before the snapshot. */
	outlimit_written(&ol, 30);
	assert_int_equal(outlimit_usage(&ol), 20);
	outlimit_written(&ol, 2020);
	assert_int_equal(ol.snap_left, 3000);
	assert_int_equal(outlimit_usage(&ol), 0);
	outlimit_written(&ol, 99999);
	assert_int_equal(ol.queued, 0);
	assert_int_equal(ol.snap_left, 0);
}

static void
test_resync_then_cut(void **state)
{
	struct outlimit ol;

	(void)state;
	outlimit_init(&ol);
	outlimit_added(&ol, 1000);
	assert_int_equal(outlimit_check(&ol, 10, 1000, 1), OUTLIMIT_RESYNC);
	/* The resync: queue emptied but for 20 kept bytes, snapshot queued. */
	outlimit_reset(&ol, 20);
	outlimit_snap_begin(&ol);
	outlimit_snap_added(&ol, 3000);
	outlimit_resynced(&ol, 5000);
	assert_true(ol.resyncing);
	assert_int_equal(outlimit_usage(&ol), 20);
	/* More events pile up while the snapshot is still queued... */
	outlimit_added(&ol, 980);
	assert_int_equal(outlimit_check(&ol, 0, 1000, 1), OUTLIMIT_OK);
	/* ...and past the limit again that is a cut, not a second resync. */
	assert_int_equal(outlimit_check(&ol, 1, 1000, 1), OUTLIMIT_CUT);
	/* Once the snapshot is drained the client is forgiven. */
	outlimit_written(&ol, 3020);
	assert_false(ol.resyncing);
	assert_int_equal(outlimit_usage(&ol), 980);
	assert_int_equal(outlimit_check(&ol, 20, 1000, 1), OUTLIMIT_OK);
	assert_int_equal(outlimit_check(&ol, 21, 1000, 1), OUTLIMIT_RESYNC);
}

static void
test_stuck(void **state)
{
	struct outlimit ol;

	(void)state;
	outlimit_init(&ol);
	assert_false(outlimit_stuck(&ol, 1000000, 10000));
	outlimit_reset(&ol, 0);
	outlimit_snap_begin(&ol);
	outlimit_snap_added(&ol, 100);
	outlimit_resynced(&ol, 1000);
	assert_false(outlimit_stuck(&ol, 10999, 10000));
	assert_true(outlimit_stuck(&ol, 11000, 10000));
	outlimit_written(&ol, 100);
	assert_false(outlimit_stuck(&ol, 20000, 10000));
	/* An empty resync (nothing queued) is never stuck. */
	outlimit_reset(&ol, 0);
	outlimit_snap_begin(&ol);
	outlimit_resynced(&ol, 0);
	assert_false(outlimit_stuck(&ol, 99999, 10));
}

/* Reading a resync snapshot, or not: only a client that has taken some
 * of it is "reading" (output.c then resyncs it again instead of a cut). */
static void
test_reading(void **state)
{
	struct outlimit ol;

	(void)state;
	outlimit_init(&ol);
	assert_false(outlimit_reading(&ol));
	outlimit_snap_begin(&ol);
	outlimit_snap_added(&ol, 5000);
	outlimit_resynced(&ol, 0);
	assert_true(ol.resyncing);
	assert_false(outlimit_reading(&ol)); /* nothing taken yet */
	outlimit_written(&ol, 100);
	assert_true(outlimit_reading(&ol));
	outlimit_written(&ol, 4900);
	assert_false(ol.resyncing);
	assert_false(outlimit_reading(&ol)); /* all of it: no longer */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_limit_exact),
	    cmocka_unit_test(test_snapshot_is_exempt),
	    cmocka_unit_test(test_resync_then_cut),
	    cmocka_unit_test(test_stuck),
	    cmocka_unit_test(test_reading),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
