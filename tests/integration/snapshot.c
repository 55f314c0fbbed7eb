/*
 * snapshot.c - a late joiner sees what the others see: the world (with
 * its trail), everyone connected, the recent log, and the seq to carry on
 * from.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static int
setup_trail(void **state)
{
	static const char *args[] = {"--trail", "3", NULL};

	return hs_state_new(state, args);
}

static void
assert_field_ll(const char *line, const char *key, long long want)
{
	long long v;

	if (hs_field_ll(line, key, &v) != 0)
		fail_msg("no integer %s= in \"%s\"", key, line);
	if (v != want)
		fail_msg("%s=%lld, want %lld, in \"%s\"", key, v, want, line);
}

/* Sends cmd on c and returns the seq of the event it caused. */
static long long
act(struct hs_client *c, const char *cmd)
{
	hs_assert_reply(c, cmd, "ok");
	return c->seq_last;
}

/* c reads events until one with seq. */
static void
catch_up(struct hs_client *c, long long seq)
{
	char line[HS_LINE_MAX];

	while (c->seq_last < seq)
		assert_int_equal(hs_expect(c, "evt ", line, sizeof line), 0);
	assert_int_equal(c->seq_last, seq);
}

static void
test_late_joiner(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b, *c;
	struct hs_snapshot s0, s;
	char line[HS_LINE_MAX], color0[32], kind[32], text[64];
	long long say_seq, ben_seq, last, seq, prev = -1, v;
	int i, seen_say = 0, seen_ben = 0, cids = 0;

	a = hs_client_new(srv);
	assert_non_null(a);
	assert_int_equal(hs_hello(a, "anna", NULL, NULL, 0, &s0), 0);
	assert_int_equal(hs_field(s0.world, "color", color0, sizeof color0), 0);
	assert_non_null(b = hs_client_hello(srv, "ben"));
	catch_up(a, b->seq_last);

	act(a, "run 3 0");   /* seg 1: 0,0 -> 3,0 in the first colour */
	act(a, "pen up");    /* */
	act(a, "run 0 2");   /* no segment with the pen up */
	act(a, "color red"); /* */
	say_seq = act(a, "say hi there");
	act(a, "pen down");
	act(a, "run -1 0"); /* seg 2: 3,2 -> 2,2 red */
	ben_seq = act(b, "say from ben");
	last = act(b, "run 0 1"); /* seg 3: 2,2 -> 2,3 red, heading north */
	catch_up(a, last);

	c = hs_client_new(srv);
	assert_non_null(c);
	assert_int_equal(hs_hello(c, "cara", NULL, line, sizeof line, &s), 0);

	hs_assert_field(s.world, "x", "2");
	hs_assert_field(s.world, "y", "3");
	hs_assert_field(s.world, "pen", "down");
	hs_assert_field(s.world, "color", "red");
	hs_assert_field(s.world, "heading", "0");
	hs_assert_field(s.world, "segs", "3");
	hs_assert_field(s.world, "dropped", "0");
	hs_assert_field(s.world, "half_w", "100");

	assert_int_equal(s.nseg, 3);
	hs_assert_field(s.seg[0], "x0", "0");
	hs_assert_field(s.seg[0], "y0", "0");
	hs_assert_field(s.seg[0], "x1", "3");
	hs_assert_field(s.seg[0], "y1", "0");
	hs_assert_field(s.seg[0], "color", color0);
	hs_assert_field(s.seg[1], "x0", "3");
	hs_assert_field(s.seg[1], "y0", "2");
	hs_assert_field(s.seg[1], "x1", "2");
	hs_assert_field(s.seg[1], "y1", "2");
	hs_assert_field(s.seg[1], "color", "red");
	hs_assert_field(s.seg[2], "x0", "2");
	hs_assert_field(s.seg[2], "y0", "2");
	hs_assert_field(s.seg[2], "x1", "2");
	hs_assert_field(s.seg[2], "y1", "3");
	hs_assert_field(s.seg[2], "color", "red");

	/* Everyone connected, the joiner included, each once. */
	assert_int_equal(s.nclient, 3);
	for (i = 0; i < s.nclient; i++) {
		assert_int_equal(hs_field_ll(s.client[i], "cid", &v), 0);
		assert_int_equal(hs_field_ll(s.client[i], "since", &seq), 0);
		assert_true(seq > 1600000000);
		if (v == a->cid) {
			hs_assert_field(s.client[i], "name", "anna");
			cids |= 1;
		} else if (v == b->cid) {
			hs_assert_field(s.client[i], "name", "ben");
			cids |= 2;
		} else if (v == c->cid) {
			hs_assert_field(s.client[i], "name", "cara");
			cids |= 4;
		}
	}
	assert_int_equal(cids, 7);

	/* The log: oldest first, each with its seq, the says among them. */
	assert_true(s.nlog >= 2);
	for (i = 0; i < s.nlog; i++) {
		assert_int_equal(hs_field_ll(s.log[i], "seq", &seq), 0);
		assert_true(seq > prev);
		assert_true(seq <= s.end_seq);
		prev = seq;
		assert_int_equal(
		    hs_field(s.log[i], "kind", kind, sizeof kind), 0);
		if (strcmp(kind, "say") != 0)
			continue;
		assert_int_equal(
		    hs_field(s.log[i], "text", text, sizeof text), 0);
		if (seq == say_seq) {
			assert_string_equal(text, "hi there");
			assert_field_ll(s.log[i], "cid", a->cid);
			hs_assert_field(s.log[i], "name", "anna");
			seen_say++;
		} else if (seq == ben_seq) {
			assert_string_equal(text, "from ben");
			assert_field_ll(s.log[i], "cid", b->cid);
			seen_ben++;
		}
	}
	assert_int_equal(seen_say, 1);
	assert_int_equal(seen_ben, 1);

	/* snap end: the last seq the others have seen (cara's join). */
	assert_int_equal(hs_expect(a, "evt ", line, sizeof line), 0);
	assert_true(strstr(line, " join ") != NULL);
	assert_field_ll(line, "cid", c->cid);
	assert_int_equal(s.end_seq, a->seq_last);
	hs_assert_field(s.end, "mode", "free");
	assert_field_ll(s.end, "clients", 3);

	/* And the next event she sees is end + 1, the same one anna sees. */
	seq = act(a, "run 1 0");
	assert_int_equal(seq, s.end_seq + 1);
	assert_int_equal(hs_expect(c, "evt ", text, sizeof text), 0);
	assert_int_equal(c->seq_last, s.end_seq + 1);
	assert_int_equal(a->seq_gaps + b->seq_gaps + c->seq_gaps, 0);
}

/* At most the last 100 log-worthy events, the newest kept. */
static void
test_log_is_bounded(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *c;
	struct hs_snapshot s;
	char text[64];
	long long seq, prev = -1;
	int i, newest = 0, oldest = 0;

	assert_non_null(a = hs_client_hello(srv, "chatty"));
	for (i = 0; i < 130; i++) {
		snprintf(text, sizeof text, "say msg-%d", i);
		act(a, text);
	}
	c = hs_client_new(srv);
	assert_non_null(c);
	assert_int_equal(hs_hello(c, "late", NULL, NULL, 0, &s), 0);
	assert_int_equal(s.nlog, 100);
	for (i = 0; i < s.nlog; i++) {
		assert_int_equal(hs_field_ll(s.log[i], "seq", &seq), 0);
		assert_true(seq > prev);
		prev = seq;
		if (hs_field(s.log[i], "text", text, sizeof text) != 0)
			continue;
		newest += strcmp(text, "msg-129") == 0;
		oldest += strcmp(text, "msg-0") == 0;
	}
	assert_int_equal(newest, 1);
	assert_int_equal(oldest, 0);
}

/* --trail 3: only the newest three segments, the rest counted dropped. */
static void
test_trail_bounded(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *c;
	struct hs_snapshot s;

	assert_non_null(a = hs_client_hello(srv, "drawer"));
	act(a, "run 1 0");
	act(a, "run 1 0");
	act(a, "run 1 0");
	act(a, "run 1 0");
	act(a, "run 1 0");
	c = hs_client_new(srv);
	assert_non_null(c);
	assert_int_equal(hs_hello(c, "viewer", NULL, NULL, 0, &s), 0);
	hs_assert_field(s.world, "segs", "3");
	hs_assert_field(s.world, "dropped", "2");
	assert_int_equal(s.nseg, 3);
	hs_assert_field(s.seg[0], "x0", "2");
	hs_assert_field(s.seg[0], "x1", "3");
	hs_assert_field(s.seg[2], "x0", "4");
	hs_assert_field(s.seg[2], "x1", "5");
}

/*
 * Each snap log line carries when its event happened (issue #15: a late
 * joiner showed every earlier event at the time it joined).
 */
static void
test_log_times(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b;
	struct hs_snapshot s;
	struct timespec tick = {0, 10 * 1000 * 1000};
	char text[64];
	long long seq, t, say_seq;
	time_t before, after;
	int i, i_wait, seen = 0;

	assert_non_null(a = hs_client_hello(srv, "anna"));
	before = time(NULL);
	say_seq = act(a, "say early");
	after = time(NULL);
	/* A second later at least, so "when it happened" and "when she
	 * joined" differ; bounded at 3 s. */
	for (i_wait = 0; time(NULL) <= after && i_wait < 300; i_wait++)
		nanosleep(&tick, NULL);
	assert_true(time(NULL) > after);

	assert_non_null(b = hs_client_new(srv));
	assert_int_equal(hs_hello(b, "ben", NULL, NULL, 0, &s), 0);
	for (i = 0; i < s.nlog; i++) {
		assert_int_equal(hs_field_ll(s.log[i], "time", &t), 0);
		assert_true(t > 0 && t <= (long long)time(NULL));
		assert_int_equal(hs_field_ll(s.log[i], "seq", &seq), 0);
		if (seq != say_seq)
			continue;
		assert_int_equal(
		    hs_field(s.log[i], "text", text, sizeof text), 0);
		assert_string_equal(text, "early");
		if (t < (long long)before || t > (long long)after)
			fail_msg("the say at %lld..%lld has time=%lld",
			    (long long)before, (long long)after, t);
		seen++;
	}
	assert_int_equal(seen, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_late_joiner, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_log_is_bounded, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_trail_bounded, setup_trail, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_log_times, hs_state_no_rate, hs_state_free),
	};

	return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}
