/*
 * test_auth.c - the penalty box for failed hellos: AUTH_FREE failures
 * are free, then the source is blocked for a time that doubles with each
 * further failure (capped), the right token clears it, a long quiet
 * forgets it, a full box makes room from the quietest source, and the
 * report hands out each source once per burst.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "server.h"

static void
fail_n(struct auth_box *b, const char *host, unsigned n, uint64_t now)
{
	while (n-- > 0)
		auth_failed(b, host, now);
}

static void
test_free_then_blocked(void **state)
{
	struct auth_box *b = util_calloc(1, sizeof *b);
	uint64_t left = 0;

	(void)state;
	auth_init(b);
	fail_n(b, "10.0.0.1", AUTH_FREE - 1, 1000);
	assert_int_equal(auth_blocked(b, "10.0.0.1", 1000, &left), 0);
	auth_failed(b, "10.0.0.1", 1000);
	assert_int_equal(auth_blocked(b, "10.0.0.1", 1000, &left), 1);
	assert_int_equal(left, AUTH_BLOCK_MS);
	/* Others are not affected. */
	assert_int_equal(auth_blocked(b, "10.0.0.2", 1000, &left), 0);
	/* The block ends on time, not before. */
	assert_int_equal(
	    auth_blocked(b, "10.0.0.1", 1000 + AUTH_BLOCK_MS - 1, &left), 1);
	assert_int_equal(left, 1);
	assert_int_equal(
	    auth_blocked(b, "10.0.0.1", 1000 + AUTH_BLOCK_MS, &left), 0);
	free(b);
}

static void
test_doubling_capped(void **state)
{
	struct auth_box *b = util_calloc(1, sizeof *b);
	uint64_t left = 0, now = 5000, want = AUTH_BLOCK_MS;
	int i;

	(void)state;
	auth_init(b);
	fail_n(b, "h", AUTH_FREE, now);
	for (i = 0; i < 12; i++) {
		assert_int_equal(auth_blocked(b, "h", now, &left), 1);
		assert_int_equal(left, want);
		now += left;
		auth_failed(b, "h", now);
		want =
		    want * 2 > AUTH_BLOCK_MAX_MS ? AUTH_BLOCK_MAX_MS : want * 2;
	}
	assert_int_equal(want, AUTH_BLOCK_MAX_MS);
	free(b);
}

static void
test_ok_and_forget(void **state)
{
	struct auth_box *b = util_calloc(1, sizeof *b);
	uint64_t left = 0;

	(void)state;
	auth_init(b);
	fail_n(b, "h", AUTH_FREE, 0);
	assert_int_equal(auth_blocked(b, "h", 10, &left), 1);
	auth_ok(b, "h");
	assert_int_equal(auth_blocked(b, "h", 10, &left), 0);
	/* The count starts again: AUTH_FREE more before a block. */
	fail_n(b, "h", AUTH_FREE - 1, 20);
	assert_int_equal(auth_blocked(b, "h", 20, &left), 0);
	/* Quiet for AUTH_FORGET_MS: the old failures are forgotten. */
	auth_failed(b, "h", 20 + AUTH_FORGET_MS);
	assert_int_equal(auth_blocked(b, "h", 20 + AUTH_FORGET_MS, &left), 0);
	free(b);
}

static void
test_full_box(void **state)
{
	struct auth_box *b = util_calloc(1, sizeof *b);
	char host[32];
	uint64_t left = 0;
	int i;

	(void)state;
	auth_init(b);
	for (i = 0; i < AUTH_MAX; i++) {
		snprintf(host, sizeof host, "10.0.%d.%d", i / 256, i % 256);
		fail_n(b, host, AUTH_FREE, 100 + (uint64_t)i);
	}
	assert_int_equal(b->n, AUTH_MAX);
	/* One more source: the quietest (the first) makes room. */
	fail_n(b, "192.0.2.1", AUTH_FREE, 10000);
	assert_int_equal(b->n, AUTH_MAX);
	assert_int_equal(auth_blocked(b, "192.0.2.1", 10000, &left), 1);
	assert_int_equal(auth_blocked(b, "10.0.0.0", 150, &left), 0);
	assert_int_equal(auth_blocked(b, "10.0.0.1", 150, &left), 1);
	free(b);
}

static void
count_report(const struct auth_entry *e, uint64_t now, void *arg)
{
	unsigned long long *sum = arg;

	(void)now;
	sum[0] += e->failed;
	sum[1] += e->refused;
}

static void
test_report(void **state)
{
	struct auth_box *b = util_calloc(1, sizeof *b);
	unsigned long long sum[2] = {0, 0};
	uint64_t left;
	int i;

	(void)state;
	auth_init(b);
	fail_n(b, "a", AUTH_FREE, 0);
	for (i = 0; i < 7; i++)
		auth_blocked(b, "a", 1, &left);
	auth_failed(b, "b", 1);
	assert_int_equal(auth_report(b, 2, count_report, sum), 2);
	assert_int_equal(sum[0], AUTH_FREE + 1);
	assert_int_equal(sum[1], 7);
	/* Nothing new: nothing to report. */
	assert_int_equal(auth_report(b, 3, count_report, sum), 0);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_free_then_blocked),
	    cmocka_unit_test(test_doubling_capped),
	    cmocka_unit_test(test_ok_and_forget),
	    cmocka_unit_test(test_full_box),
	    cmocka_unit_test(test_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
