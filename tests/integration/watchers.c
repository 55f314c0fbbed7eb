/*
 * watchers.c - hello role=watcher (turtle --watch, issue #15): a watcher
 * gets the events and the snapshot, but it is no user: no join or leave
 * for anyone, not in who, snap client or the counts, never the turn in
 * turns mode, and refused what others would see; its name takes nobody's.
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

static int
setup_turns(void **state)
{
	static const char *args[] = {
	    "--mode", "turns", "--turn-time", "30", NULL};

	return hs_state_new(state, args);
}

/* c's next event of kind, skipping others (the line in out). */
static void
expect_kind(struct hs_client *c, const char *kind, char *out, size_t len)
{
	char k[32];
	long long seq;

	do {
		assert_int_equal(hs_expect(c, "evt ", out, len), 0);
		assert_int_equal(hs_evt(out, &seq, k, sizeof k), 0);
	} while (strcmp(k, kind) != 0);
}

static void
test_watcher_is_no_user(void **state)
{
	static const char *const refused[] = {"run 1 1", "say boo", "pen up",
	    "color red", "home", "clear", "name zed", "pass", "fd 10",
	    "repeat 4 [fd 10 rt 90]"};
	struct hs_server *srv = *state;
	struct hs_client *a, *w, *b;
	struct hs_snapshot s;
	char line[HS_LINE_MAX];
	long long v;
	int cids[8], n, i;
	long long seq;

	assert_non_null(a = hs_client_hello(srv, "anna"));
	seq = a->seq_last;
	assert_non_null(w = hs_client_new(srv));
	assert_int_equal(
	    hs_hello(w, "anna", "role=watcher", line, sizeof line, &s), 0);
	hs_assert_field(line, "role", "watcher");
	/* The snapshot lists anna, not the watcher, and counts one. */
	assert_int_equal(s.nclient, 1);
	assert_int_equal(hs_field_ll(s.client[0], "cid", &v), 0);
	assert_int_equal(v, a->cid);
	assert_int_equal(hs_field_ll(s.end, "clients", &v), 0);
	assert_int_equal(v, 1);

	/* No event for its coming: the counter stood still, and anna's
	 * say is the next, which the watcher sees too. */
	assert_int_equal(s.end_seq, seq);
	hs_assert_reply(a, "say hello", "ok say");
	assert_int_equal(a->seq_last, seq + 1);
	expect_kind(w, "say", line, sizeof line);
	assert_int_equal(w->seq_last, seq + 1);
	hs_assert_field(line, "text", "hello");

	/* Not in who, not counted; counted as a watcher. */
	n = hs_who(a, cids, 8);
	assert_int_equal(n, 1);
	assert_int_equal(cids[0], a->cid);
	assert_int_equal(hs_stat(a, "clients", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(hs_stat(a, "watchers", &v), 0);
	assert_int_equal(v, 1);

	/* Its name ("anna" too, made anna-2) takes nobody's: bob may be
	 * called what it is called. */
	assert_non_null(b = hs_client_hello(srv, "bob"));
	assert_string_equal(b->name, "bob");

	/* What others would see is refused; asking is not. */
	for (i = 0; i < (int)(sizeof refused / sizeof refused[0]); i++)
		hs_assert_reply(w, refused[i], "err forbidden");
	hs_assert_reply(w, "where", "ok where");
	hs_assert_reply(w, "who", "ok who");
	hs_assert_reply(w, "stats", "ok stats");
	hs_assert_reply(w, "getcid", "ok getcid");

	/* It leaves without a word; bob's leave is anna's next event. */
	hs_assert_reply(w, "quit", "ok quit");
	assert_int_equal(hs_wait_eof(w, hs_wait_ms(5000)), 0);
	hs_assert_reply(b, "quit", "ok quit");
	expect_kind(a, "leave", line, sizeof line);
	hs_assert_field(line, "name", "bob");
	assert_int_equal(hs_field_ll(line, "cid", &v), 0);
	assert_int_equal(v, b->cid);
	assert_int_equal(hs_stat(a, "watchers", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(a->seq_gaps, 0);
}

/* In turns mode a watcher is never in the queue. */
static void
test_watcher_gets_no_turn(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *w, *a, *b;
	struct hs_snapshot s;
	char line[HS_LINE_MAX];
	long long turn;

	/* The first to come is a watcher: the turtle stays free of it. */
	assert_non_null(w = hs_client_new(srv));
	assert_int_equal(
	    hs_hello(w, "eye", "role=watcher", line, sizeof line, &s), 0);
	assert_int_equal(hs_field_ll(s.end, "turn", &turn), 0);
	assert_int_equal(turn, 0);

	/* The first user gets it, and the watcher is told. */
	assert_non_null(a = hs_client_new(srv));
	assert_int_equal(hs_hello(a, "first", NULL, line, sizeof line, &s), 0);
	assert_int_equal(hs_field_ll(s.end, "turn", &turn), 0);
	assert_int_equal(turn, a->cid);
	expect_kind(w, "turn", line, sizeof line);
	assert_int_equal(hs_field_ll(line, "cid", &turn), 0);
	assert_int_equal(turn, a->cid);

	/* Passing goes to the next user, never to the watcher. */
	assert_non_null(b = hs_client_hello(srv, "second"));
	hs_assert_reply(a, "pass", "ok pass");
	expect_kind(w, "turn", line, sizeof line);
	assert_int_equal(hs_field_ll(line, "cid", &turn), 0);
	assert_int_equal(turn, b->cid);
	hs_assert_reply(b, "pass", "ok pass");
	expect_kind(w, "turn", line, sizeof line);
	assert_int_equal(hs_field_ll(line, "cid", &turn), 0);
	assert_int_equal(turn, a->cid);
	hs_assert_reply(w, "run 1 0", "err forbidden");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_watcher_is_no_user, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_watcher_gets_no_turn, setup_turns, hs_state_free),
	};

	return cmocka_run_group_tests_name("watchers", tests, NULL, NULL);
}
