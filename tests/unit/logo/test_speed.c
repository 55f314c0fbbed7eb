/*
 * test_speed.c - what a line costs does not grow with the workspace: a
 * line that draws 100,000 segments takes about as long with a full
 * workspace (1000 procedures, 998 globals, one a 9,900-item list) as with
 * an empty one, and committing it costs the same either way: nothing is
 * copied per segment, or per line, but what the line itself set.
 * Prints its figures; the bounds are loose (sanitizers, shared cores).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "session.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The best of three: seconds for eval, and for commit. */
static void
time_line(struct session *s, const char *line, double *eval, double *commit)
{
	double t0, t1, t2;
	int i;

	*eval = *commit = 1e9;
	for (i = 0; i < 3; i++) {
		t0 = now();
		if (logo_eval_line(s->ws, &s->turtle, s->pending, line,
			strlen(line), &s->cfg, &s->res) != LOGO_OK)
			fail_msg("%s: %s", line, s->res.error.msg);
		t1 = now();
		assert_int_equal(logo_commit(s->ws, &s->res), 0);
		t2 = now();
		if (t1 - t0 < *eval)
			*eval = t1 - t0;
		if (t2 - t1 < *commit)
			*commit = t2 - t1;
	}
}

static void
fill(struct session *s)
{
	char line[256], big[1024];
	int i, n;

	for (i = 0; i < 1000; i++) {
		snprintf(line, sizeof line, "to proc%d :a :b", i);
		assert_int_equal(session_line(s, line), LOGO_MORE);
		assert_int_equal(
		    session_line(s, "repeat :a [fd :b rt 360 / :a]"),
		    LOGO_MORE);
		assert_int_equal(session_line(s, "end"), LOGO_OK);
		if (i >= 998)
			continue; /* room for big and x: LOGO_VARS_MAX */
		snprintf(
		    line, sizeof line, "make \"var%d [%d [x y] %d]", i, i, i);
		assert_int_equal(session_line(s, line), LOGO_OK);
	}
	/* A list of 100 items nested 99 deep (LOGO_NEST_MAX in all). */
	n = snprintf(big, sizeof big, "make \"big (list :big");
	for (i = 1; i < 100; i++)
		n += snprintf(big + n, sizeof big - (size_t)n, " %d", i);
	snprintf(big + n, sizeof big - (size_t)n, ")");
	assert_int_equal(session_line(s, "make \"big []"), LOGO_OK);
	for (i = 0; i < 99; i++)
		assert_int_equal(session_line(s, big), LOGO_OK);
}

static void
test_segments_cost(void **state)
{
	const char *line = "repeat 100000 [fd 0.01 rt 0.1]";
	struct session empty, full;
	double e_eval, e_commit, f_eval, f_commit;

	(void)state;
	session_open(&empty);
	session_open(&full);
	fill(&full);
	time_line(&empty, line, &e_eval, &e_commit);
	assert_int_equal(empty.res.nsegs, 100000);
	time_line(&full, line, &f_eval, &f_commit);
	assert_int_equal(full.res.nsegs, 100000);
	printf("# 100,000 segments: eval %.1f ms, commit %.3f ms (empty "
	       "workspace); eval %.1f ms, commit %.3f ms (%zu procedures, "
	       "%zu globals, %zu bytes)\n",
	    e_eval * 1e3, e_commit * 1e3, f_eval * 1e3, f_commit * 1e3,
	    logo_workspace_procs(full.ws), logo_workspace_vars(full.ws),
	    logo_workspace_bytes(full.ws));
	assert_true(f_eval < 3 * e_eval + 0.05);
	assert_true(e_eval < 2.0);
	/* Nothing in a line of moves to commit. */
	assert_true(f_commit < 0.001);
	session_close(&empty);
	session_close(&full);
}

static void
test_commit_cost(void **state)
{
	struct session s;
	double eval, commit;

	(void)state;
	session_open(&s);
	fill(&s);
	/* Setting one small global copies that global only. */
	time_line(&s, "make \"x 1 fd 1 bk 1", &eval, &commit);
	printf("# one global in a full workspace: eval %.3f ms, commit "
	       "%.3f ms\n",
	    eval * 1e3, commit * 1e3);
	assert_true(commit < 0.001);
	assert_true(eval < 0.01);
	session_close(&s);
}

static void
test_tree(void **state)
{
	struct session s;
	double t0, t1;

	(void)state;
	session_open(&s);
	assert_int_equal(session_lines(&s, "to tree :len :depth\n"
					   "if :depth = 0 [stop]\n"
					   "fd :len lt 30\n"
					   "tree :len * 0.7 :depth - 1\n"
					   "rt 60\n"
					   "tree :len * 0.7 :depth - 1\n"
					   "lt 30 bk :len\n"
					   "end\n"
					   "pu setxy 0 -100 pd"),
	    LOGO_OK);
	t0 = now();
	assert_int_equal(session_line(&s, "tree 30 14"), LOGO_OK);
	t1 = now();
	printf("# depth-14 tree: %zu segments, %llu steps, %.1f ms\n",
	    s.res.nsegs, (unsigned long long)s.res.steps, (t1 - t0) * 1e3);
	assert_int_equal(s.res.nsegs, 2 * 16383);
	session_close(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_segments_cost),
	    cmocka_unit_test(test_commit_cost),
	    cmocka_unit_test(test_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
