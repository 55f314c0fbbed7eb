/*
 * logo.c - Logo lines through a real turtled: what a line draws reaches
 * every client as path events and a turtle event, in one place in the
 * order; procedures are shared; a failed line changes nothing; limits
 * trip by name; a long line does not hold up anyone else; a client's own
 * lines and commands keep their order; a late joiner gets the drawing.
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

/*
 * Long lines: plain builds run them near the step limit; under the
 * sanitizers a line runs several times slower and would trip the 500 ms
 * time limit first on a loaded machine, so there they are shorter.
 */
#if defined(__SANITIZE_ADDRESS__)
#define LOGO_SLOW 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LOGO_SLOW 1
#endif
#endif
#ifndef LOGO_SLOW
#define LOGO_SLOW 0
#endif
/* A line of 40,000 steps (about a millisecond; more under the
 * sanitizers): under the server's hold limit of 100,000. */
#define SHORT_STEPS 19999 /* repeat count, odd */

/* Sends line on c and returns (in out) its final reply, failing if it does
 * not start with want; printed lines before it go to printed. */
static void
logo(struct hs_client *c, const char *line, const char *want, char *out,
    size_t outlen, char *printed, size_t plen)
{
	char got[HS_LINE_MAX], text[HS_LINE_MAX];
	size_t used = 0;

	if (printed != NULL && plen > 0)
		printed[0] = '\0';
	assert_int_equal(hs_sendf(c, "%s\n", line), 0);
	for (;;) {
		if (hs_line(c, got, sizeof got) < 0)
			fail_msg("\"%s\": no reply", line);
		if (hs_starts(got, "ok") && strncmp(got, "ok print ", 9) == 0) {
			if (printed != NULL &&
			    hs_field(got, "text", text, sizeof text) == 0)
				used += (size_t)snprintf(printed + used,
				    used < plen ? plen - used : 0, "%s\n",
				    text);
			continue;
		}
		if (hs_is_final(got))
			break;
	}
	if (strncmp(got, want, strlen(want)) != 0)
		fail_msg("\"%s\" -> \"%s\", want \"%s...\"", line, got, want);
	if (out != NULL)
		snprintf(out, outlen, "%s", got);
}

/* The next evt line on c whose kind is kind (others are skipped). */
static void
next_evt(struct hs_client *c, const char *kind, char *out, size_t outlen)
{
	char k[32];
	long long seq;

	for (;;) {
		assert_int_equal(hs_expect(c, "evt", out, outlen), 0);
		if (hs_evt(out, &seq, k, sizeof k) == 0 && strcmp(k, kind) == 0)
			return;
	}
}

static void
test_square(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b;
	char line[HS_LINE_MAX];
	long long seq_path, seq_turtle;
	char kind[32];

	assert_non_null(a = hs_client_hello(srv, "ann"));
	assert_non_null(b = hs_client_hello(srv, "ben"));
	logo(
	    a, "repeat 4 [fd 10 rt 90]", "ok logo", line, sizeof line, NULL, 0);
	hs_assert_field(line, "segs", "4");
	/* The watcher sees the path, then the turtle after it. */
	next_evt(b, "path", line, sizeof line);
	hs_assert_field(line, "name", "ann");
	hs_assert_field(line, "pts", "0,0;0,10;10,10;10,0;0,0");
	assert_int_equal(hs_evt(line, &seq_path, kind, sizeof kind), 0);
	next_evt(b, "turtle", line, sizeof line);
	assert_int_equal(hs_evt(line, &seq_turtle, kind, sizeof kind), 0);
	assert_true(seq_turtle == seq_path + 1);
	hs_assert_field(line, "segs", "4");
	hs_assert_field(line, "heading", "0");
	hs_assert_reply_line(b, "where", "ok where", line, sizeof line);
	hs_assert_field(line, "x", "0");
	hs_assert_field(line, "heading", "0");

	/* Real geometry: a turn of 30 degrees and a fractional position. */
	logo(a, "rt 30 fd 10", "ok logo", NULL, 0, NULL, 0);
	hs_assert_reply_line(b, "where", "ok where", line, sizeof line);
	hs_assert_field(line, "x", "5");
	hs_assert_field(line, "y", "8.660254");
	hs_assert_field(line, "heading", "30");
	/* run still moves by whole cells from there. */
	hs_assert_reply_line(a, "run 1 0", "ok run", line, sizeof line);
	hs_assert_field(line, "x", "6");
	hs_assert_field(line, "y", "8.660254");
	hs_client_close(a);
	hs_client_close(b);
}

static void
test_shared_procedures(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b;
	char line[HS_LINE_MAX], printed[4096];

	assert_non_null(a = hs_client_hello(srv, "teacher"));
	assert_non_null(b = hs_client_hello(srv, "student"));
	/* A definition over several lines, as UCBLogo takes it; home is
	 * a v1 command, but inside a definition it is the body's. */
	logo(a, "to square :n", "ok logo", line, sizeof line, NULL, 0);
	hs_assert_field(line, "more", "define");
	logo(
	    a, "repeat 4 [fd :n rt 90]", "ok logo", line, sizeof line, NULL, 0);
	hs_assert_field(line, "more", "define");
	logo(a, "home", "ok logo", line, sizeof line, NULL, 0);
	hs_assert_field(line, "more", "define");
	logo(a, "end", "ok logo", NULL, 0, NULL, 0);
	next_evt(b, "define", line, sizeof line);
	hs_assert_field(line, "name", "teacher");
	hs_assert_field(line, "proc", "square");

	/* The student calls the teacher's procedure. */
	logo(b, "square 20", "ok logo", line, sizeof line, NULL, 0);
	hs_assert_field(line, "segs", "4");
	logo(b, "pots", "ok logo", NULL, 0, printed, sizeof printed);
	assert_non_null(strstr(printed, "to square :n\n"));
	/* Recursion, output, arithmetic with precedence. */
	logo(a, "to fact :n", "ok logo", NULL, 0, NULL, 0);
	logo(a, "if :n < 2 [output 1]", "ok logo", NULL, 0, NULL, 0);
	logo(a, "output :n * fact :n - 1", "ok logo", NULL, 0, NULL, 0);
	logo(a, "end", "ok logo", NULL, 0, NULL, 0);
	logo(b, "print fact 10  print 2 + 3 * 4", "ok logo", NULL, 0, printed,
	    sizeof printed);
	assert_string_equal(printed, "3628800\n14\n");
	logo(b, "erase \"square", "ok logo", NULL, 0, NULL, 0);
	next_evt(a, "erase", line, sizeof line);
	hs_assert_field(line, "name", "student");
	logo(a, "square 5", "err logo", line, sizeof line, NULL, 0);
	hs_assert_field(line, "kind", "unknown");
	hs_client_close(a);
	hs_client_close(b);
}

/* A line that fails changes nothing and tells no one. */
static void
test_atomic(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b;
	char line[HS_LINE_MAX], printed[256];

	assert_non_null(a = hs_client_hello(srv, "ann"));
	assert_non_null(b = hs_client_hello(srv, "ben"));
	logo(a, "print 1 fd 10 rt 45 fd 1000", "err out-of-bounds", line,
	    sizeof line, printed, sizeof printed);
	hs_assert_field(line, "kind", "bounds");
	assert_non_null(strstr(line, "turtle out of bounds"));
	/* What it printed before failing still reaches its sender. */
	assert_string_equal(printed, "1\n");
	logo(a, "fd \"abc", "err logo", line, sizeof line, NULL, 0);
	hs_assert_field(line, "kind", "input");
	assert_non_null(strstr(line, "fd doesn't like abc as input"));
	logo(a, "frob 3", "err logo", line, sizeof line, NULL, 0);
	assert_non_null(strstr(line, "I don't know how to frob"));
	hs_assert_reply_line(a, "where", "ok where", line, sizeof line);
	hs_assert_field(line, "x", "0");
	hs_assert_field(line, "y", "0");
	hs_assert_field(line, "heading", "0");
	/* The watcher's next event is the say after them: nothing leaked. */
	hs_assert_reply(a, "say after", "ok say");
	assert_int_equal(hs_expect(b, "evt", line, sizeof line), 0);
	while (strstr(line, " join ") != NULL)
		assert_int_equal(hs_expect(b, "evt", line, sizeof line), 0);
	assert_non_null(strstr(line, " say "));
	hs_client_close(a);
	hs_client_close(b);
}

static void
test_limits(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a;
	char line[HS_LINE_MAX];

	assert_non_null(a = hs_client_hello(srv, "ann"));
	logo(a, "repeat 2000000 [rt 1]", "err limit", line, sizeof line, NULL,
	    0);
	hs_assert_field(line, "limit", "steps");
	assert_non_null(strstr(line, "1000000"));
	logo(a, "to down :n", "ok logo", NULL, 0, NULL, 0);
	logo(a, "down :n + 1", "ok logo", NULL, 0, NULL, 0);
	logo(a, "end", "ok logo", NULL, 0, NULL, 0);
	logo(a, "down 1", "err limit", line, sizeof line, NULL, 0);
	hs_assert_field(line, "limit", "depth");
	/* Just under the limits it runs. */
	logo(a, LOGO_SLOW ? "repeat 100000 [rt 1]" : "repeat 300000 [rt 1]",
	    "ok logo", NULL, 0, NULL, 0);
	hs_assert_reply_line(a, "where", "ok where", line, sizeof line);
	/* 100000 and 300000 are 280 and 120 modulo 360. */
	hs_assert_field(line, "heading", LOGO_SLOW ? "280" : "120");
	hs_client_close(a);
}

/*
 * A long line runs beside the loop: another client's moves are answered
 * while it is evaluated; the line, having used the turtle the move
 * changed, is evaluated again and lands after it.
 */
static void
test_long_line_does_not_block(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b;
	char line[HS_LINE_MAX];
	int got_run = 0, got_logo = 0, order = 0;

	assert_non_null(a = hs_client_hello(srv, "slow"));
	assert_non_null(b = hs_client_hello(srv, "quick"));
	assert_int_equal(
	    hs_sendf(a, "repeat %d [rt 0.5]\n", LOGO_SLOW ? 100000 : 490000),
	    0);
	hs_nap(5);
	assert_int_equal(hs_sendf(b, "run 1 0\n"), 0);
	/* b's watcher view: its move, then a's turtle. */
	while (!got_run || !got_logo) {
		assert_int_equal(hs_expect(b, "", line, sizeof line), 0);
		if (strncmp(line, "ok run", 6) == 0)
			got_run = ++order;
		else if (strstr(line, " turtle ") != NULL &&
			 strncmp(line, "evt", 3) == 0)
			got_logo = ++order;
	}
	assert_int_equal(got_run, 1);
	logo(a, "print heading", "ok logo", NULL, 0, NULL, 0);
	hs_assert_reply_line(b, "where", "ok where", line, sizeof line);
	hs_assert_field(line, "x", "1");
	/* 90 from the run, then 50,000 or 245,000 degrees: 320 or 200. */
	hs_assert_field(line, "heading", LOGO_SLOW ? "50" : "290");
	hs_client_close(a);
	hs_client_close(b);
}

/*
 * A short line is not starved by someone moving all the time: its last
 * try holds their moves (they wait, then run), and it lands.  b keeps
 * hundreds of moves in flight, so every evaluation of a's line (about a
 * millisecond) sees the turtle move.
 */
static void
test_not_starved(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b;
	char line[HS_LINE_MAX];
	int sent = 0, got = 0, done = 0, i;

	assert_non_null(a = hs_client_hello(srv, "short"));
	assert_non_null(b = hs_client_hello(srv, "busy"));
	for (i = 0; i < 300; i++, sent++)
		assert_int_equal(
		    hs_sendf(b, "run %d 0\n", sent % 2 == 0 ? 1 : -1), 0);
	assert_int_equal(hs_sendf(a, "repeat %d [rt 1]\n", SHORT_STEPS), 0);
	while (!done) {
		/* One reply read, one more move in flight. */
		assert_int_equal(hs_expect(b, "ok run", line, sizeof line), 0);
		got++;
		assert_int_equal(
		    hs_sendf(b, "run %d 0\n", sent % 2 == 0 ? 1 : -1), 0);
		sent++;
		while (hs_line_ms(a, line, sizeof line, 0) >= 0) {
			if (hs_is_final(line)) {
				if (strncmp(line, "ok logo", 7) != 0)
					fail_msg(
					    "after %d moves: %s", got, line);
				done = 1;
				break;
			}
		}
		assert_true(got < 200000);
	}
	while (got < sent) {
		assert_int_equal(hs_expect(b, "ok run", line, sizeof line), 0);
		got++;
	}
	hs_client_close(a);
	hs_client_close(b);
}

/* Lines and commands sent together are answered in the order sent. */
static void
test_pipelined_order(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a;
	char line[HS_LINE_MAX];
	const char *want[] = {
	    "ok logo", "ok run", "ok print", "ok logo", "ok where"};
	size_t i = 0;

	assert_non_null(a = hs_client_hello(srv, "ann"));
	assert_int_equal(
	    hs_sendf(a, "rt 90 fd 10\nrun 1 0\nprint xcor\nwhere\n"), 0);
	while (i < sizeof want / sizeof want[0]) {
		assert_true(hs_line(a, line, sizeof line) >= 0);
		if (strncmp(line, "evt", 3) == 0)
			continue;
		if (strncmp(line, want[i], strlen(want[i])) != 0)
			fail_msg(
			    "reply %zu: \"%s\", want \"%s\"", i, line, want[i]);
		if (i == 2)
			hs_assert_field(line, "text", "11");
		i++;
	}
	hs_client_close(a);
}

/* A late joiner gets a 100,000-segment drawing, compactly. */
static void
test_late_joiner(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *c;
	struct hs_snapshot *s;
	char line[HS_LINE_MAX];
	int i;

	assert_non_null(s = calloc(1, sizeof *s));
	assert_non_null(a = hs_client_hello(srv, "artist"));
	/* Five lines of 20,000: a slow build stays inside the time limit. */
	for (i = 0; i < 5; i++) {
		logo(a, "repeat 20000 [fd 0.1234 rt 1.3]", "ok logo", line,
		    sizeof line, NULL, 0);
		hs_assert_field(line, "segs", "20000");
	}
	c = hs_client_new(srv);
	assert_non_null(c);
	assert_int_equal(hs_hello(c, "late", NULL, line, sizeof line, s), 0);
	hs_assert_field(s->world, "segs", "100000");
	assert_int_equal(s->nseg, 100000);
	hs_assert_field(s->seg[0], "x0", "0");
	hs_assert_field(s->seg[0], "y1", "0.1234");
	free(s);
	hs_client_close(a);
	hs_client_close(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_square, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_shared_procedures, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_atomic, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_limits, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_long_line_does_not_block, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_not_starved, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_pipelined_order, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_late_joiner, hs_state_no_rate, hs_state_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
