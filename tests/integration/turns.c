/*
 * turns.c - --mode turns: v1 clients queue in join order, the holder
 * moves, the others get err not-your-turn for moves but may talk and
 * ask; pass, a leaving holder and the turn time hand the turtle on.
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

/* Turns that do not run out during the test. */
static int
setup_long(void **state)
{
	static const char *args[] = {
	    "--mode", "turns", "--turn-time", "30", NULL};

	return hs_state_new(state, args);
}

static int
setup_short(void **state)
{
	static const char *args[] = {
	    "--mode", "turns", "--turn-time", "1", NULL};

	return hs_state_new(state, args);
}

/* The next evt turn c sees must name holder (cid and name). */
static void
expect_turn(struct hs_client *c, struct hs_client *holder, int ms)
{
	char line[HS_LINE_MAX], kind[32], name[64];
	long long deadline = hs_now_ms() + ms, seq, cid;

	for (;;) {
		long long left = deadline - hs_now_ms();

		if (hs_line_ms(c, line, sizeof line, left < 0 ? 0 : (int)left) <
		    0)
			fail_msg("%s: no evt turn naming %s within %d ms",
			    c->name, holder->name, ms);
		if (hs_evt(line, &seq, kind, sizeof kind) == 0 &&
		    strcmp(kind, "turn") == 0)
			break;
	}
	assert_int_equal(hs_field_ll(line, "cid", &cid), 0);
	assert_int_equal(hs_field(line, "name", name, sizeof name), 0);
	if (cid != holder->cid || strcmp(name, holder->name) != 0)
		fail_msg("%s: \"%s\", want the turn for %d %s", c->name, line,
		    holder->cid, holder->name);
}

static void
test_turns_pass(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b, *c;
	struct hs_snapshot s;
	char line[HS_LINE_MAX];
	long long turn;

	a = hs_client_new(srv);
	assert_non_null(a);
	assert_int_equal(hs_hello(a, "first", NULL, line, sizeof line, &s), 0);
	assert_int_equal(hs_field(line, "mode", line, sizeof line), 0);
	assert_string_equal(line, "turns");
	/* The first to come holds the turtle. */
	assert_int_equal(hs_field_ll(s.end, "turn", &turn), 0);
	assert_int_equal(turn, a->cid);

	b = hs_client_new(srv);
	assert_non_null(b);
	assert_int_equal(hs_hello(b, "second", NULL, NULL, 0, &s), 0);
	assert_int_equal(hs_field_ll(s.end, "turn", &turn), 0);
	assert_int_equal(turn, a->cid);

	hs_assert_reply(a, "run 1 0", "ok run");
	hs_assert_reply(b, "run 1 0", "err not-your-turn");
	hs_assert_reply(b, "pen up", "err not-your-turn");
	hs_assert_reply(b, "color red", "err not-your-turn");
	hs_assert_reply(b, "home", "err not-your-turn");
	hs_assert_reply(b, "clear", "err not-your-turn");
	/* Talking, naming and asking need no turn. */
	hs_assert_reply(b, "say may I?", "ok say");
	hs_assert_reply(b, "where", "ok where");
	hs_assert_reply(b, "who", "ok who");
	hs_assert_reply(b, "name second", "ok name");

	/* pass: the next in line holds it, everyone is told. */
	assert_int_equal(hs_sendf(a, "pass\n"), 0);
	expect_turn(a, b, hs_wait_ms(HS_WAIT_MS));
	assert_int_equal(hs_expect(a, "ok pass", NULL, 0), 0);
	expect_turn(b, b, hs_wait_ms(HS_WAIT_MS));
	hs_assert_reply(b, "run 0 1", "ok run");
	hs_assert_reply(a, "run 0 1", "err not-your-turn");
	hs_assert_reply(a, "say fine", "ok say");

	/* A third joins at the back: order is now second, first, third. */
	c = hs_client_new(srv);
	assert_non_null(c);
	assert_int_equal(hs_hello(c, "third", NULL, NULL, 0, &s), 0);
	assert_int_equal(hs_field_ll(s.end, "turn", &turn), 0);
	assert_int_equal(turn, b->cid);
	hs_assert_reply(b, "pass", "ok pass");
	expect_turn(c, a, hs_wait_ms(HS_WAIT_MS));
	hs_assert_reply(a, "pass", "ok pass");
	expect_turn(c, c, hs_wait_ms(HS_WAIT_MS));
	hs_assert_reply(c, "run -1 -1", "ok run");
	hs_assert_reply(a, "run -1 -1", "err not-your-turn");

	/* A holder that leaves passes the turn on (to second). */
	hs_assert_reply(c, "quit", "ok quit");
	expect_turn(a, b, hs_wait_ms(HS_WAIT_MS));
	expect_turn(b, c, hs_wait_ms(HS_WAIT_MS));
	expect_turn(b, b, hs_wait_ms(HS_WAIT_MS));
	hs_assert_reply(b, "run 1 1", "ok run");
	assert_int_equal(a->seq_gaps + b->seq_gaps, 0);
}

/* Nobody passes: the turn time hands the turtle on by itself. */
static void
test_turns_expire(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b;
	struct hs_snapshot s;
	long long turn;

	a = hs_client_new(srv);
	assert_non_null(a);
	assert_int_equal(hs_hello(a, "slow", NULL, NULL, 0, &s), 0);
	b = hs_client_new(srv);
	assert_non_null(b);
	assert_int_equal(hs_hello(b, "waiting", NULL, NULL, 0, &s), 0);
	assert_int_equal(hs_field_ll(s.end, "turn", &turn), 0);
	assert_int_equal(turn, a->cid);

	/* --turn-time 1: well within 5 s each way. */
	expect_turn(b, b, hs_wait_ms(5000));
	expect_turn(a, b, hs_wait_ms(5000));
	expect_turn(b, a, hs_wait_ms(5000));
	expect_turn(a, a, hs_wait_ms(5000));
	/* Saying works for anyone at any time. */
	hs_assert_reply(a, "say still here", "ok say");
	hs_assert_reply(b, "say me too", "ok say");
	assert_int_equal(a->seq_gaps + b->seq_gaps, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_turns_pass, setup_long, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_turns_expire, setup_short, hs_state_free),
	};

	return cmocka_run_group_tests_name("turns", tests, NULL, NULL);
}
