/*
 * test_limits.c - every limit for a shared server trips, says its name
 * and value, applies nothing, and does not trip early: each is run just
 * under and just over (or, for memory and stack, well under and over).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "session.h"

/* The line fails on limit, with nothing to apply. */
static void
assert_limit(
    struct session *s, const char *line, enum logo_limit limit, const char *msg)
{
	struct logo_turtle before = s->turtle;
	uint64_t v = logo_workspace_version(s->ws);

	if (session_line(s, line) != LOGO_ERROR)
		fail_msg("%s: did not fail", line);
	assert_int_equal(s->res.error.code, LOGO_E_LIMIT);
	assert_int_equal(s->res.error.limit, limit);
	if (msg != NULL)
		assert_string_equal(session_error(s), msg);
	assert_string_equal(logo_error_word(LOGO_E_LIMIT), "limit");
	assert_int_equal(s->res.nsegs, 0);
	assert_int_equal(logo_commit(s->ws, &s->res), -1);
	assert_memory_equal(&s->turtle, &before, sizeof before);
	assert_int_equal(logo_workspace_version(s->ws), v);
}

static void
assert_ok(struct session *s, const char *line)
{
	if (session_line(s, line) != LOGO_OK)
		fail_msg("%s: %s", line, session_error(s));
}

static void
test_steps(void **state)
{
	struct session *s = *state;

	/* repeat N [] is 1 + N steps; each call and turn is one. */
	s->cfg.limits.steps = 100;
	assert_ok(s, "repeat 99 []");
	assert_int_equal(s->res.steps, 100);
	assert_limit(s, "repeat 100 []", LOGO_LIMIT_STEPS,
	    "too many steps (limit 100) in this line");
	assert_ok(s, "repeat 49 [fd 0]");
	assert_limit(s, "fd 10 repeat 50 [fd 0]", LOGO_LIMIT_STEPS, NULL);
	/* The default: a million; the classic loop takes 300,001. */
	s->cfg.limits.steps = LOGO_STEPS_MAX;
	assert_ok(s, "repeat 100000 [fd 0.01 rt 0.1]");
	assert_int_equal(s->res.steps, 300001);
	assert_limit(s, "repeat 1000000 []", LOGO_LIMIT_STEPS,
	    "too many steps (limit 1000000) in this line");
	/* Equality counts the pairs it compares: 95 for 32 [x], and
	 * 2^31 - 1 for a list that shares its halves 30 times. */
	s->cfg.limits.steps = 1000;
	assert_ok(s, "make \"l [x] repeat 5 [make \"l list :l :l] "
		     "print :l = :l");
	assert_int_equal(s->res.steps, 2 + 5 * 3 + 1 + 95);
	assert_limit(s,
	    "make \"m [x] repeat 30 [make \"m list :m :m] "
	    "print :m = :m",
	    LOGO_LIMIT_STEPS, NULL);
}

static void
test_depth(void **state)
{
	struct session *s = *state;

	assert_int_equal(session_lines(s, "to r :n\n"
					  "if :n = 0 [stop]\n"
					  "r :n - 1\n"
					  "end"),
	    LOGO_OK);
	/* r K has K + 1 calls alive at its deepest. */
	s->cfg.limits.depth = 50;
	assert_ok(s, "r 49");
	assert_limit(s, "r 50", LOGO_LIMIT_DEPTH,
	    "recursion too deep (limit 50 procedure calls)");
	assert_string_equal(s->res.error.proc, "r");
	/* The default depth fits in the default stack. */
	s->cfg.limits.depth = LOGO_DEPTH_MAX;
	assert_ok(s, "r 999");
	assert_limit(s, "r 1000", LOGO_LIMIT_DEPTH, NULL);
}

static void
test_stack(void **state)
{
	struct session *s = *state;
	char line[LOGO_LINE_MAX];
	int i, n;

	/* Parentheses nest in C: 1000 of them are fine, with the stack the
	 * default allows, and 200 are too many for 4 KB of it. */
	n = snprintf(line, sizeof line, "print ");
	for (i = 0; i < 1000; i++)
		n += snprintf(line + n, sizeof line - (size_t)n, "( ");
	n += snprintf(line + n, sizeof line - (size_t)n, "1");
	for (i = 0; i < 1000; i++)
		n += snprintf(line + n, sizeof line - (size_t)n, " )");
	assert_ok(s, line);
	assert_string_equal(s->text, "1\n");
	s->cfg.limits.stack = 4096;
	assert_limit(s, line, LOGO_LIMIT_STACK,
	    "recursion too deep (limit 4096 bytes of stack)");
	s->cfg.limits.stack = LOGO_STACK_MAX;
	/* run calling itself, with no procedure to count. */
	assert_ok(s, "make \"x [run :x]");
	assert_limit(s, "run :x", LOGO_LIMIT_STACK,
	    "recursion too deep (limit 4194304 bytes of stack)");
}

static uint64_t
fake_clock(void *arg)
{
	uint64_t *now = arg;

	return (*now)++;
}

static void
test_time(void **state)
{
	struct session *s = *state;
	uint64_t now = 0;

	/* A clock that moves 1 ms each time it is asked: it is asked at
	 * the start and every 1024 steps, so 3 ms are over at step 4096. */
	s->cfg.now_ms = fake_clock;
	s->cfg.clock_arg = &now;
	s->cfg.limits.time_ms = 3;
	assert_ok(s, "repeat 4094 []");
	now = 0;
	assert_limit(s, "repeat 4095 []", LOGO_LIMIT_TIME,
	    "too much time (limit 3 ms) in this line");
	s->cfg.now_ms = NULL;
	assert_ok(s, "repeat 100000 []");
}

static void
test_segments(void **state)
{
	struct session *s = *state;

	s->cfg.limits.segments = 100;
	assert_ok(s, "repeat 100 [fd 1 rt 90]");
	assert_int_equal(s->res.nsegs, 100);
	assert_limit(s, "repeat 101 [fd 1 rt 90]", LOGO_LIMIT_SEGMENTS,
	    "too many segments drawn (limit 100) in this line");
	/* Pen up moves and cleaned segments do not count. */
	assert_ok(s, "repeat 100 [fd 1 rt 90] clean repeat 100 [fd 1 rt 90] "
		     "pu fd 1");
	s->cfg.limits.segments = LOGO_SEGMENTS_MAX;
	assert_ok(s, "pd repeat 250000 [fd 0.001 rt 0.01]");
	assert_limit(
	    s, "repeat 250001 [fd 0.001 rt 0.01]", LOGO_LIMIT_SEGMENTS, NULL);
}

static void
test_text(void **state)
{
	struct session *s = *state;

	/* print "xxxx prints 5 bytes. */
	s->cfg.limits.text = 10;
	assert_ok(s, "print \"xxxx print \"yyyy");
	assert_limit(s, "print \"xxxx print \"yyyyy", LOGO_LIMIT_TEXT,
	    "too much printed (limit 10 bytes) in this line");
	s->cfg.limits.text = LOGO_TEXT_MAX;
	assert_ok(s, "repeat 4096 [print \"abcdefghijklmno]");
	assert_limit(
	    s, "repeat 4097 [print \"abcdefghijklmno]", LOGO_LIMIT_TEXT, NULL);
}

static void
test_memory(void **state)
{
	struct session *s = *state;
	char line[128];
	int n, lo = 0, hi = 1 << 20;

	/* Each pos is a new list of two numbers (48 bytes or so). */
	s->cfg.limits.memory = 1 << 20;
	assert_limit(s, "repeat 1000000 [make \"p pos]", LOGO_LIMIT_MEMORY,
	    "too much memory (limit 1048576 bytes) in this line");
	/* Not early: the largest loop that fits uses most of the limit. */
	while (lo < hi) {
		n = (lo + hi + 1) / 2;
		snprintf(line, sizeof line, "repeat %d [make \"p pos]", n);
		if (session_line(s, line) == LOGO_OK)
			lo = n;
		else
			hi = n - 1;
	}
	assert_true((size_t)lo * 48 > (size_t)s->cfg.limits.memory / 2);
}

static void
test_procs_vars(void **state)
{
	struct session *s = *state;
	char line[64];
	int i;

	s->cfg.limits.procs = 5;
	for (i = 0; i < 5; i++) {
		snprintf(line, sizeof line, "to p%d", i);
		assert_int_equal(session_line(s, line), LOGO_MORE);
		assert_ok(s, "end");
	}
	assert_int_equal(session_line(s, "to p5"), LOGO_MORE);
	assert_limit(s, "end", LOGO_LIMIT_PROCS,
	    "too many procedures (limit 5) in the workspace");
	/* A new definition of one there is fine at the limit. */
	assert_int_equal(session_line(s, "to p0 :x"), LOGO_MORE);
	assert_ok(s, "end");
	s->cfg.limits.vars = 3;
	assert_ok(s, "make \"a 1 make \"b 2 make \"c 3");
	assert_ok(s, "make \"a 4 make \"c 5");
	assert_limit(s, "make \"d 1", LOGO_LIMIT_VARS,
	    "too many variables (limit 3) in the workspace");
	/* Locals are not globals. */
	s->cfg.limits.procs = LOGO_PROCS_MAX;
	assert_int_equal(
	    session_lines(s, "to loc\nlocal \"d make \"d 1\nend"), LOGO_OK);
	assert_ok(s, "loc");
	assert_int_equal(logo_workspace_vars(s->ws), 3);
}

static void
test_workspace_bytes(void **state)
{
	struct session *s = *state;
	size_t before;

	s->cfg.limits.workspace = 64 << 10;
	assert_ok(s, "make \"small [1 2 3]");
	before = logo_workspace_bytes(s->ws);
	/* Words of 1000 characters: ten of them are 10 KB, seventy 70 KB. */
	assert_ok(s, "make \"w \"xxxxxxxxxx repeat 2 [make \"w (word :w :w "
		     ":w :w :w :w :w :w :w :w)]");
	assert_ok(s, "make \"l (list :w :w :w :w :w :w :w :w :w :w)");
	assert_limit(s, "make \"big (list :l :l :l :l :l :l :l)",
	    LOGO_LIMIT_WORKSPACE, "workspace too big (limit 65536 bytes)");
	assert_true(logo_workspace_bytes(s->ws) > before);
	assert_true(logo_workspace_bytes(s->ws) <= 64 << 10);
	/* A definition counts too. */
	s->cfg.limits.workspace = logo_workspace_bytes(s->ws) + 100;
	assert_int_equal(session_line(s, "to sq :n"), LOGO_MORE);
	assert_int_equal(session_line(s, "repeat 4 [fd :n rt 90]"), LOGO_MORE);
	assert_limit(s, "end", LOGO_LIMIT_WORKSPACE, NULL);
}

static void
test_names_words(void **state)
{
	struct session *s = *state;
	char line[256];

	snprintf(line, sizeof line, "make \"%0*d 1", LOGO_NAME_MAX, 7);
	assert_ok(s, line);
	snprintf(line, sizeof line, "make \"%0*d 1", LOGO_NAME_MAX + 1, 7);
	assert_limit(
	    s, line, LOGO_LIMIT_NAME, "name too long (limit 64 characters)");
	/* Lists in lists: printing, comparing and copying recurse. */
	assert_ok(s, "make \"l [] repeat 99 [make \"l (list :l)] show :l = :l");
	assert_limit(s, "make \"l [] repeat 100 [make \"l (list :l)]",
	    LOGO_LIMIT_NEST, "lists nested too deep (limit 100)");
	/* 4 * 16 * 16 = LOGO_WORD_MAX characters, then one more. */
	assert_ok(s, "make \"w \"abcd repeat 2 [make \"w (word :w :w :w :w "
		     ":w :w :w :w :w :w :w :w :w :w :w :w)]");
	assert_string_equal(session_print(s, ":w = word :w \""), "true");
	assert_limit(s, "make \"w word :w \"x", LOGO_LIMIT_WORD,
	    "word too long (limit 1024 characters)");
}

static void
test_pending(void **state)
{
	struct session *s = *state;
	int i;

	assert_int_equal(session_line(s, "to long"), LOGO_MORE);
	for (i = 1; i < LOGO_PENDING_LINES - 1; i++)
		assert_int_equal(session_line(s, "fd 0"), LOGO_MORE);
	assert_int_equal(session_line(s, "fd 0"), LOGO_MORE);
	assert_limit(s, "fd 0", LOGO_LIMIT_PENDING, NULL);
	assert_int_equal(logo_pending_state(s->pending), LOGO_PENDING_NONE);
	/* One line short of the limit is a definition. */
	assert_int_equal(session_line(s, "to long"), LOGO_MORE);
	for (i = 1; i < LOGO_PENDING_LINES; i++)
		assert_int_equal(session_line(s, "fd 0"), LOGO_MORE);
	assert_ok(s, "end");
	assert_int_equal(logo_workspace_procs(s->ws), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_steps, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_depth, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_stack, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_time, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_segments, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_text, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_memory, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_procs_vars, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_workspace_bytes, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_names_words, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_pending, session_setup, session_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
