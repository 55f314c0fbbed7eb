/*
 * test_line.c - the API as turtled will use it: the pending buffer (to
 * ... end and an open [ over several lines), atomic lines (a failed line
 * leaves nothing to apply), commits without copies, a stale commit
 * refused, the changes a line reports, and reading the workspace back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "session.h"

static void
test_definition_lines(void **state)
{
	struct session *s = *state;
	uint64_t v = logo_workspace_version(s->ws);

	assert_int_equal(session_line(s, "to square :n"), LOGO_MORE);
	assert_int_equal(logo_pending_state(s->pending), LOGO_PENDING_DEFINE);
	/* Body lines are kept, not run: nothing reaches the workspace. */
	assert_int_equal(session_line(s, "repeat 4 [fd :n rt 90]"), LOGO_MORE);
	assert_int_equal(
	    session_line(s, "  print \"done ; a comment"), LOGO_MORE);
	assert_int_equal(logo_workspace_procs(s->ws), 0);
	assert_int_equal(logo_workspace_version(s->ws), v);
	assert_int_equal(session_line(s, " END ; done"), LOGO_OK);
	assert_int_equal(logo_pending_state(s->pending), LOGO_PENDING_NONE);
	assert_int_equal(s->res.nchanges, 1);
	assert_int_equal(s->res.changes[0].kind, LOGO_CHANGE_DEFINE);
	assert_string_equal(s->res.changes[0].name, "square");
	assert_int_equal(logo_workspace_procs(s->ws), 1);
	assert_int_equal(logo_workspace_version(s->ws), v + 1);
	assert_int_equal(session_line(s, "square 10"), LOGO_OK);
	assert_string_equal(s->text, "done\n");
	assert_int_equal(s->res.nsegs, 4);
	/* A bad title is refused at once, and nothing is kept. */
	assert_int_equal(session_line(s, "to fd :n"), LOGO_ERROR);
	assert_string_equal(session_error(s), "fd is already defined");
	assert_int_equal(logo_pending_state(s->pending), LOGO_PENDING_NONE);
	/* A body that does not read: refused at end, with where. */
	assert_int_equal(session_lines(s, "to bad\nfd 1\nrt 90 ]"), LOGO_MORE);
	assert_int_equal(session_line(s, "end"), LOGO_ERROR);
	assert_string_equal(session_error(s), "unexpected ']'");
	assert_string_equal(s->res.error.proc, "bad");
	assert_int_equal(s->res.error.line, 3);
	assert_int_equal(logo_workspace_procs(s->ws), 1);
	/* logo_pending_reset drops a half-typed definition. */
	assert_int_equal(session_line(s, "to half"), LOGO_MORE);
	logo_pending_reset(s->pending);
	assert_int_equal(session_line(s, "end"), LOGO_ERROR);
	assert_string_equal(session_error(s), "I don't know how to end");
}

static void
test_open_bracket(void **state)
{
	struct session *s = *state;

	assert_int_equal(session_line(s, "repeat 2 ["), LOGO_MORE);
	assert_int_equal(logo_pending_state(s->pending), LOGO_PENDING_LIST);
	assert_int_equal(session_line(s, "fd 10 ; [ in a comment"), LOGO_MORE);
	assert_int_equal(session_line(s, "rt 90 [to x]"), LOGO_MORE);
	assert_true(s->turtle.y == 0);
	assert_int_equal(session_line(s, "] print pos"), LOGO_ERROR);
	assert_string_equal(
	    session_error(s), "You don't say what to do with [to x]");
	assert_int_equal(s->res.error.line, 3);
	assert_int_equal(logo_pending_state(s->pending), LOGO_PENDING_NONE);
	assert_int_equal(
	    session_lines(s, "repeat 2 [\nfd 10 rt 90\n] print pos"), LOGO_OK);
	assert_string_equal(s->text, "10 10\n");
	assert_int_equal(session_line(s, "print ]"), LOGO_ERROR);
	assert_string_equal(session_error(s), "unexpected ']'");
}

static void
test_atomic(void **state)
{
	struct session *s = *state;
	struct logo_turtle before;
	uint64_t v;

	assert_int_equal(session_line(s, "make \"x 1 fd 10"), LOGO_OK);
	before = s->turtle;
	v = logo_workspace_version(s->ws);
	/* Moves, a global, a definition's erasure, then an error. */
	assert_int_equal(session_lines(s, "to p\nend"), LOGO_OK);
	v = logo_workspace_version(s->ws);
	assert_int_equal(session_line(s, "rt 90 fd 20 make \"x 2 make \"y 3 "
					 "erase \"p setpc 3 cs fd \"oops"),
	    LOGO_ERROR);
	assert_int_equal(s->res.nsegs, 0);
	assert_null(s->res.segs);
	assert_int_equal(s->res.cleared, 0);
	assert_int_equal(s->res.nchanges, 0);
	assert_int_equal(logo_commit(s->ws, &s->res), -1);
	assert_memory_equal(&s->turtle, &before, sizeof before);
	assert_int_equal(logo_workspace_version(s->ws), v);
	assert_string_equal(session_print(s, ":x"), "1");
	assert_string_equal(session_print(s, ":y"), "y has no value");
	assert_int_equal(logo_workspace_procs(s->ws), 1);
}

static void
test_changes(void **state)
{
	struct session *s = *state;

	assert_int_equal(session_lines(s, "to a\nend\nto b\nend"), LOGO_OK);
	assert_int_equal(session_line(s, "make \"g1 [1 [2]] make \"G2 \"w "
					 "erase \"a make \"g1 5"),
	    LOGO_OK);
	assert_int_equal(s->res.nchanges, 3);
	assert_int_equal(s->res.changes[0].kind, LOGO_CHANGE_ERASE);
	assert_string_equal(s->res.changes[0].name, "a");
	assert_int_equal(s->res.changes[1].kind, LOGO_CHANGE_MAKE);
	assert_string_equal(s->res.changes[1].name, "g1");
	assert_string_equal(s->res.changes[2].name, "G2");
	assert_int_equal(logo_workspace_vars(s->ws), 2);
	assert_string_equal(session_print(s, ":g1 + 1"), "6");
	/* A line that only reads changes nothing and moves no version. */
	assert_int_equal(session_line(s, "print :g1"), LOGO_OK);
	assert_int_equal(s->res.nchanges, 0);
	/* A procedure that erases itself: the name outlives it. */
	assert_int_equal(
	    session_lines(s, "to selfish\nerase \"selfish\nend"), LOGO_OK);
	assert_int_equal(session_line(s, "selfish"), LOGO_OK);
	assert_string_equal(s->res.changes[0].name, "selfish");
	assert_int_equal(logo_workspace_procs(s->ws), 1);
}

static int
collect(const char *name, const char *text, void *arg)
{
	char *buf = arg;

	strcat(buf, name);
	strcat(buf, "=");
	strcat(buf, text);
	strcat(buf, "|");
	return 0;
}

static void
test_workspace_read(void **state)
{
	struct session *s = *state;
	char buf[1024] = "";

	assert_int_equal(session_lines(s, "to Sq :n ; four sides\n"
					  "repeat 4 [fd :n rt 90]\n"
					  "END\n"
					  "to dot\nend\n"
					  "make \"b [x [y] 2.50] make \"a 3"),
	    LOGO_OK);
	assert_int_equal(logo_workspace_each_proc(s->ws, collect, buf), 0);
	assert_string_equal(buf, "dot=to dot\nend\n|Sq=to Sq :n ; four "
				 "sides\nrepeat 4 [fd :n rt 90]\nend\n|");
	buf[0] = '\0';
	assert_int_equal(logo_workspace_each_var(s->ws, collect, buf), 0);
	assert_string_equal(buf, "a=3|b=[x [y] 2.50]|");
	assert_true(logo_workspace_bytes(s->ws) > 0);
}

static void
test_stale_commit(void **state)
{
	struct session *s = *state;
	struct logo_result r1, r2;
	struct logo_turtle t;

	logo_turtle_home(&t);
	logo_result_init(&r1);
	logo_result_init(&r2);
	/* Two lines evaluated against the same version: the first commits,
	 * the second must be evaluated again. */
	assert_int_equal(logo_eval_line(s->ws, &t, s->pending, "make \"n 1", 9,
			     &s->cfg, &r1),
	    LOGO_OK);
	assert_int_equal(logo_eval_line(s->ws, &t, s->pending, "make \"n 2", 9,
			     &s->cfg, &r2),
	    LOGO_OK);
	assert_int_equal(logo_commit(s->ws, &r1), 0);
	assert_int_equal(logo_commit(s->ws, &r2), -1);
	assert_int_equal(logo_eval_line(s->ws, &t, s->pending,
			     "make \"n :n + 5", 14, &s->cfg, &r2),
	    LOGO_OK);
	assert_int_equal(logo_commit(s->ws, &r2), 0);
	logo_result_free(&r1);
	logo_result_free(&r2);
	assert_string_equal(session_print(s, ":n"), "6");
}

static void
test_bad_lines(void **state)
{
	struct session *s = *state;
	char *long_line;

	assert_int_equal(logo_eval_line(s->ws, &s->turtle, s->pending,
			     "fd 1\0rt 2", 9, &s->cfg, &s->res),
	    LOGO_ERROR);
	assert_int_equal(s->res.error.code, LOGO_E_SYNTAX);
	assert_int_equal(session_line(s, "fd 1\nrt 2"), LOGO_ERROR);
	assert_int_equal(session_line(s, ""), LOGO_OK);
	assert_int_equal(session_line(s, "   ; nothing"), LOGO_OK);
	/* LOGO_LINE_MAX bytes, and one more. */
	long_line = malloc(LOGO_LINE_MAX + 2);
	memset(long_line, ' ', LOGO_LINE_MAX + 1);
	memcpy(long_line, "fd 1", 4);
	long_line[LOGO_LINE_MAX] = '\0';
	assert_int_equal(session_line(s, long_line), LOGO_OK);
	long_line[LOGO_LINE_MAX] = ' ';
	long_line[LOGO_LINE_MAX + 1] = '\0';
	assert_int_equal(session_line(s, long_line), LOGO_ERROR);
	assert_int_equal(s->res.error.limit, LOGO_LIMIT_LINE);
	assert_string_equal(
	    session_error(s), "line too long (limit 4096 bytes)");
	free(long_line);
}

static void
test_result_reuse(void **state)
{
	const char *line = "print 1 fd 1 bk 1 make \"z 1";
	struct session *s = *state;
	struct logo_result r;
	int i;

	/* One result for many lines: each frees what the last held. */
	logo_result_init(&r);
	for (i = 0; i < 100; i++) {
		assert_int_equal(logo_eval_line(s->ws, &s->turtle, s->pending,
				     line, strlen(line), &s->cfg, &r),
		    LOGO_OK);
		assert_int_equal(logo_commit(s->ws, &r), 0);
	}
	/* The caller may keep the segments. */
	free(r.segs);
	r.segs = NULL;
	logo_result_free(&r);
	logo_result_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_definition_lines, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_open_bracket, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_atomic, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_changes, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_workspace_read, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_stale_commit, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_bad_lines, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_result_reuse, session_setup, session_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
