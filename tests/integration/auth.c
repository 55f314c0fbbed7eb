/*
 * auth.c - guessing the token does not pay: after a few wrong hellos a
 * source is refused at connect (err auth, no worker, no token check) for a
 * time that grows; the right token works again once the block is over;
 * local users are never blocked; and the log has a line a second for the
 * source, not two lines a guess.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define GUESSES 40
#define FREE    5 /* AUTH_FREE */

static int
setup(void **state)
{
	static const char *args[] = {"-l", "127.0.0.1:0", "--token", "s3cret",
	    "--rate", "100000", "--burst", "100000", NULL};

	return hs_state_new_tcp(state, args);
}

/* One guess: its err line's msg in out.  0, or -1 if no err came. */
static int
guess(struct hs_server *srv, const char *token, char *out, size_t outlen)
{
	struct hs_client *c = hs_client_new_tcp(srv);
	char line[HS_LINE_MAX];
	int r = -1;

	assert_non_null(c);
	/* A refusal at connect may come before the hello is even sent. */
	(void)hs_sendf(c, "hello 1 guesser token=%s\n", token);
	if (hs_expect(c, "err auth", line, sizeof line) == 0 &&
	    hs_field(line, "msg", out, outlen) == 0)
		r = 0;
	hs_client_close(c);
	return r;
}

static void
test_guessing(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *u, *t;
	char msg[HS_LINE_MAX], line[HS_LINE_MAX];
	int i, wrong = 0, blocked = 0;
	long long deadline;

	for (i = 0; i < GUESSES; i++) {
		snprintf(line, sizeof line, "guess%d", i);
		assert_int_equal(guess(srv, line, msg, sizeof msg), 0);
		if (strcmp(msg, "wrong token") == 0)
			wrong++;
		else if (strstr(msg, "too many failed hellos from 127.0.0.1") !=
			 NULL)
			blocked++;
		else
			fail_msg("unexpected refusal \"%s\"", msg);
	}
	print_message("%d guesses: %d checked, %d refused at connect\n",
	    GUESSES, wrong, blocked);
	/* The first FREE are checked; then a block of a second or more,
	 * which a fast guesser cannot outwait many times. */
	assert_true(wrong >= FREE && wrong <= FREE + 3);
	assert_int_equal(wrong + blocked, GUESSES);

	/* Blocked: even the right token waits (the source is the judge). */
	assert_int_equal(guess(srv, "s3cret", msg, sizeof msg), 0);
	assert_non_null(strstr(msg, "too many failed hellos"));
	/* Local users are not affected. */
	assert_non_null(u = hs_client_hello(srv, "local"));

	/* Once the block is over the right token works, and clears it. */
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	for (;;) {
		assert_non_null(t = hs_client_new_tcp(srv));
		if (hs_hello(t, "remote", "token=s3cret", line, sizeof line,
			NULL) == 0)
			break;
		hs_client_close(t);
		assert_true(hs_now_ms() < deadline);
		hs_nap(200);
	}
	hs_assert_reply(t, "where", "ok where");

	/* The log says it per source and second, not per guess. */
	assert_int_equal(hs_log_wait(srv, "127.0.0.1:", "failed hellos", line,
			     sizeof line, hs_wait_ms(HS_WAIT_MS)),
	    0);
	assert_int_equal(hs_log_count(srv, "closed before joining"), 0);
	assert_int_equal(hs_log_count(srv, "token refused"), 0);
	assert_true(hs_log_count(srv, "failed hellos") <= 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_guessing, setup, hs_state_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
