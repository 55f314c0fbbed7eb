/*
 * lost.c - a client lost by the master's own write (its peer gone before
 * its worker noticed) is announced like any other: the others hear
 * "leave reason=eof", who stops counting it, and its worker is let go.
 *
 * The worker is stopped (SIGSTOP) so that it cannot report the EOF first:
 * the only way the master learns the client is gone is the failed write of
 * the next event.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* Waits, bounded, until pid's state is want (0: gone). */
static int
await_state(pid_t pid, char want)
{
	long long end = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	char st;

	while (hs_now_ms() < end) {
		st = hs_proc_state(pid);
		if (st == want || (want == 0 && (st == 0 || st == 'Z')))
			return 0;
		hs_nap(10);
	}
	return -1;
}

static void
test_lost_by_write(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b;
	char line[HS_LINE_MAX];
	long long count;
	pid_t pid;

	assert_non_null(a = hs_client_hello(srv, "alice"));
	assert_non_null(b = hs_client_hello(srv, "bob"));
	assert_int_equal(hs_expect(a, "evt", line, sizeof line), 0);
	assert_non_null(strstr(line, " join "));
	assert_true((pid = hs_worker_of(b)) > 0);

	assert_int_equal(kill(pid, SIGSTOP), 0);
	assert_int_equal(await_state(pid, 'T'), 0);
	hs_client_close(b);

	/* The say goes to bob too: that write fails, bob is lost. */
	assert_int_equal(hs_sendf(a, "say anyone there?\n"), 0);
	assert_int_equal(hs_expect(a, "ok say", line, sizeof line), 0);
	assert_int_equal(hs_expect(a, "evt", line, sizeof line), 0);
	assert_non_null(strstr(line, " leave "));
	hs_assert_field(line, "name", "bob");
	hs_assert_field(line, "reason", "eof");
	assert_int_equal(hs_cmd(a, line, sizeof line, "who"), 0);
	assert_int_equal(hs_field_ll(line, "count", &count), 0);
	assert_int_equal(count, 1);

	/* Its socketpair is closed: once it runs again, it exits. */
	assert_int_equal(kill(pid, SIGCONT), 0);
	assert_int_equal(await_state(pid, 0), 0);
}

static int
setup(void **state)
{
	return hs_state_default(state);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_lost_by_write, setup, hs_state_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
