/*
 * test_turtle.c - geometry: headings (0 north, clockwise, [0, 360)),
 * moves and the segments they draw, the fence, pen and colours, towards,
 * home, clean and clearscreen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "internal.h"
#include "session.h"

#define EPS 1e-9

static void
assert_near(double got, double want)
{
	if (fabs(got - want) > EPS)
		fail_msg("got %.15g, want %.15g", got, want);
}

static void
test_sincos(void **state)
{
	double s, c;
	int a;

	(void)state;
	/* Exact where they are 0, 1/2 and 1: axis moves stay on the grid. */
	for (a = -720; a <= 720; a += 90) {
		math_sincos(a, &s, &c);
		assert_true(s == 0 || s == 1 || s == -1);
		assert_true(c == 0 || c == 1 || c == -1);
	}
	math_sincos(30, &s, &c);
	assert_true(s == 0.5);
	math_sincos(-60, &s, &c);
	assert_true(c == 0.5);
	math_sincos(210, &s, &c);
	assert_true(s == -0.5);
	math_sincos(45, &s, &c);
	assert_near(s, sqrt(0.5));
	assert_near(c, sqrt(0.5));
	assert_true(turtle_normalize(370) == 10);
	assert_true(turtle_normalize(-10) == 350);
	assert_true(turtle_normalize(360) == 0);
	assert_true(turtle_normalize(-1e-20) == 0);
	assert_false(signbit(turtle_normalize(-0.0)));
}

static void
test_moves(void **state)
{
	struct session *s = *state;

	assert_int_equal(session_line(s, "rt 45 fd 10"), LOGO_OK);
	assert_near(s->turtle.x, 7.0710678118654755);
	assert_near(s->turtle.y, 7.0710678118654755);
	assert_string_equal(session_print(s, "pos"), "7.071068 7.071068");
	assert_int_equal(
	    session_line(s, "home rt 90 fd 10 lt 90 bk 5"), LOGO_OK);
	assert_true(s->turtle.x == 10 && s->turtle.y == -5);
	assert_true(s->turtle.heading == 0);
	assert_int_equal(session_line(s, "lt 100"), LOGO_OK);
	assert_true(s->turtle.heading == 260);
	assert_int_equal(session_line(s, "seth -90 setxy 1.5 -2.5"), LOGO_OK);
	assert_true(s->turtle.heading == 270);
	assert_true(s->turtle.x == 1.5 && s->turtle.y == -2.5);
	assert_int_equal(session_line(s, "setx 3 sety 4"), LOGO_OK);
	assert_string_equal(session_print(s, "pos"), "3 4");
	assert_string_equal(session_print(s, "xcor + ycor"), "7");
	assert_string_equal(
	    session_print(s, "towards [6 8]"), "36.869897645844");
	assert_string_equal(session_print(s, "towards [3 4]"), "0");
	assert_string_equal(session_print(s, "towards [3 0]"), "180");
	assert_string_equal(session_print(s, "towards [0 4]"), "270");
	assert_string_equal(
	    session_print(s, "towards 3"), "towards doesn't like 3 as input");
	assert_int_equal(session_line(s, "setpos [10 20]"), LOGO_OK);
	assert_true(s->turtle.x == 10 && s->turtle.y == 20);
	/* Sums of sines report as 0, as in UCBLogo. */
	assert_int_equal(
	    session_line(s, "home repeat 36 [fd 5 rt 10]"), LOGO_OK);
	assert_string_equal(session_print(s, "pos"), "0 0");
}

static void
test_segments(void **state)
{
	struct session *s = *state;
	const struct logo_segment *g;

	assert_int_equal(
	    session_line(s, "fd 10 rt 90 pu fd 5 pd setpc 4 fd 5"), LOGO_OK);
	assert_int_equal(s->res.nsegs, 2);
	g = s->res.segs;
	assert_true(g[0].x0 == 0 && g[0].y0 == 0 && g[0].x1 == 0 &&
		    g[0].y1 == 10 && g[0].color == LOGO_COLOR_DEFAULT);
	assert_true(g[1].x0 == 5 && g[1].y0 == 10 && g[1].x1 == 10 &&
		    g[1].y1 == 10 && g[1].color == 4);
	assert_int_equal(s->res.cleared, 0);
	/* home and setxy draw with the pen down; a move of 0 draws nothing. */
	assert_int_equal(
	    session_line(s, "fd 0 home setxy 0 0 setxy 1 1"), LOGO_OK);
	assert_int_equal(s->res.nsegs, 2);
	/* clean drops what the line drew before it, and says so. */
	assert_int_equal(session_line(s, "fd 10 clean fd 5"), LOGO_OK);
	assert_int_equal(s->res.cleared, 1);
	assert_int_equal(s->res.nsegs, 1);
	assert_true(s->res.segs[0].y0 == 11 && s->res.segs[0].y1 == 16);
	/* cs: clean and home, without a line home; the pen as it was. */
	assert_int_equal(session_line(s, "pu rt 30 fd 10 cs"), LOGO_OK);
	assert_int_equal(s->res.nsegs, 0);
	assert_int_equal(s->res.cleared, 1);
	assert_true(s->turtle.x == 0 && s->turtle.y == 0);
	assert_true(s->turtle.heading == 0 && s->turtle.pen_down == 0);
}

static void
test_fence(void **state)
{
	struct session *s = *state;

	assert_int_equal(session_line(s, "fd 100 rt 90 fd 100"), LOGO_OK);
	assert_true(s->turtle.x == 100 && s->turtle.y == 100);
	assert_int_equal(session_line(s, "home fd 50 fd 50.001"), LOGO_ERROR);
	assert_string_equal(session_error(s), "turtle out of bounds");
	assert_int_equal(s->res.error.code, LOGO_E_BOUNDS);
	assert_string_equal(logo_error_word(s->res.error.code), "bounds");
	/* Nothing of the line happened: not even the home before it. */
	assert_true(s->turtle.x == 100 && s->turtle.y == 100);
	assert_int_equal(s->res.nsegs, 0);
	assert_int_equal(session_line(s, "setxy -100 -100.5"), LOGO_ERROR);
	assert_int_equal(session_line(s, "setxy -100 -100"), LOGO_OK);
	/* Other bounds, from the caller. */
	s->cfg.bounds.xmax = 500;
	assert_int_equal(session_line(s, "setx 450"), LOGO_OK);
	assert_int_equal(session_line(s, "sety 101"), LOGO_ERROR);
}

static void
test_pen_colours(void **state)
{
	struct session *s = *state;

	assert_string_equal(session_print(s, "pencolor"), "7");
	assert_string_equal(session_print(s, "pendownp"), "true");
	assert_int_equal(session_line(s, "setpc \"Red"), LOGO_OK);
	assert_int_equal(s->turtle.color, 4);
	assert_int_equal(session_line(s, "setpencolor 15"), LOGO_OK);
	assert_int_equal(s->turtle.color, 15);
	assert_int_equal(session_line(s, "setpc \"gray"), LOGO_OK);
	assert_int_equal(s->turtle.color, 15);
	assert_int_equal(session_line(s, "setpc 16"), LOGO_ERROR);
	assert_string_equal(session_error(s), "setpc doesn't like 16 as input");
	assert_int_equal(session_line(s, "setpc \"mauve"), LOGO_ERROR);
	assert_int_equal(session_line(s, "setpc [1 2 3]"), LOGO_ERROR);
	assert_int_equal(session_line(s, "penup"), LOGO_OK);
	assert_int_equal(s->turtle.pen_down, 0);
	assert_string_equal(session_print(s, "pendownp"), "false");
	assert_int_equal(session_line(s, "pendown"), LOGO_OK);
	assert_int_equal(s->turtle.pen_down, 1);
	assert_string_equal(logo_color_name(0), "black");
	assert_string_equal(logo_color_name(14), "orange");
	assert_string_equal(logo_color_name(16), "");
	assert_int_equal(logo_color_from_name("WHITE"), 7);
	assert_int_equal(logo_color_from_name("nope"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sincos),
	    cmocka_unit_test_setup_teardown(
		test_moves, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_segments, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_fence, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_pen_colours, session_setup, session_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
