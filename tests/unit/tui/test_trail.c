/*
 * test_trail.c - the trail turned into cells: line pieces that join into
 * corners and junctions, slants stepped cell by cell, colours painted in
 * order, and only the visible part of a long line walked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "tui.h"

#define W 11
#define H 7

struct grid {
	struct world w;
	struct trail_cell c[H][W];
};

static void grid_init(struct grid *);
static void seg(struct grid *, int32_t, int32_t, int32_t, int32_t, int);
static void fseg(struct grid *, double, double, double, double);
static const struct trail_cell *at(const struct grid *, int32_t, int32_t);
static void raster(struct grid *);
static void test_horizontal(void **);
static void test_vertical_and_corner(void **);
static void test_crossing(void **);
static void test_slants(void **);
static void test_point(void **);
static void test_fractions_round(void **);
static void test_mine(void **);
static void test_colours_in_order(void **);
static void test_clipping(void **);
static void test_long_lines_cheap(void **);

/* The view: x -5..5, y 3..-3 (left -5, top 3). */
static void
grid_init(struct grid *g)
{
	memset(g, 0, sizeof *g);
	assert_int_equal(world_init(&g->w, 1000000, 1000000, 64), 0);
}

static void
seg(struct grid *g, int32_t x0, int32_t y0, int32_t x1, int32_t y1, int color)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = PROTO_EVT_MOVE;
	ev.x0 = x0;
	ev.y0 = y0;
	ev.x = x1;
	ev.y = y1;
	ev.pen_down = 1;
	ev.color = color;
	world_apply_event(&g->w, &ev);
}

/* A segment with fractional ends, as Logo draws them. */
static void
fseg(struct grid *g, double x0, double y0, double x1, double y1)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = PROTO_EVT_MOVE;
	ev.x0 = x0;
	ev.y0 = y0;
	ev.x = x1;
	ev.y = y1;
	ev.pen_down = 1;
	world_apply_event(&g->w, &ev);
}

static const struct trail_cell *
at(const struct grid *g, int32_t x, int32_t y)
{
	return &g->c[3 - y][x + 5];
}

static void
raster(struct grid *g)
{
	trail_raster(&g->c[0][0], W, H, -5, 3, &g->w, 0);
}

static void
test_horizontal(void **state)
{
	struct grid g;

	(void)state;
	grid_init(&g);
	seg(&g, -2, 0, 2, 0, PROTO_COLOR_RED);
	raster(&g);
	assert_int_equal(at(&g, -2, 0)->mask, TRAIL_E);
	assert_int_equal(at(&g, 0, 0)->mask, TRAIL_E | TRAIL_W);
	assert_int_equal(at(&g, 2, 0)->mask, TRAIL_W);
	assert_int_equal(at(&g, 0, 0)->color, PROTO_COLOR_RED);
	assert_false(at(&g, 3, 0)->set);
	assert_false(at(&g, -3, 0)->set);
	assert_false(at(&g, 0, 1)->set);
	world_free(&g.w);
}

static void
test_vertical_and_corner(void **state)
{
	struct grid g;

	(void)state;
	grid_init(&g);
	seg(&g, 0, 0, 3, 0, 0);
	seg(&g, 3, 0, 3, 2, 0);
	raster(&g);
	/* Coming from the west and going north: a corner. */
	assert_int_equal(at(&g, 3, 0)->mask, TRAIL_W | TRAIL_N);
	assert_int_equal(at(&g, 3, 1)->mask, TRAIL_N | TRAIL_S);
	assert_int_equal(at(&g, 3, 2)->mask, TRAIL_S);
	world_free(&g.w);
}

static void
test_crossing(void **state)
{
	struct grid g;

	(void)state;
	grid_init(&g);
	seg(&g, -3, 0, 3, 0, 0);
	seg(&g, 0, -3, 0, 3, 0);
	raster(&g);
	assert_int_equal(
	    at(&g, 0, 0)->mask, TRAIL_N | TRAIL_E | TRAIL_S | TRAIL_W);
	world_free(&g.w);
}

static void
test_slants(void **state)
{
	struct grid g;
	int32_t i;

	(void)state;
	grid_init(&g);
	seg(&g, -3, -3, 0, 0, 0); /* up and right: "/" */
	seg(&g, 1, 2, 4, -1, 0);  /* down and right: "\" */
	raster(&g);
	for (i = -3; i <= 0; i++) {
		assert_true(at(&g, i, i)->set);
		assert_int_equal(at(&g, i, i)->diag, TRAIL_DIAG_UP);
	}
	assert_false(at(&g, -2, -3)->set);
	for (i = 0; i <= 3; i++)
		assert_int_equal(at(&g, 1 + i, 2 - i)->diag, TRAIL_DIAG_DOWN);
	world_free(&g.w);

	/* Mostly flat: horizontal pieces, one step up half way. */
	grid_init(&g);
	seg(&g, -4, 0, 4, 1, 0);
	raster(&g);
	/* The ends reach inwards only: nothing past <4:1> or before <-4:0>. */
	assert_int_equal(at(&g, -4, 0)->mask, TRAIL_E);
	assert_int_equal(at(&g, -1, 0)->mask, TRAIL_E | TRAIL_W);
	assert_int_equal(at(&g, 1, 1)->mask, TRAIL_E | TRAIL_W);
	assert_int_equal(at(&g, 4, 1)->mask, TRAIL_W);
	assert_false(at(&g, 4, 0)->set);
	assert_false(at(&g, -4, 1)->set);
	world_free(&g.w);

	/* Mostly steep: vertical pieces. */
	grid_init(&g);
	seg(&g, 0, -3, 1, 3, 0);
	raster(&g);
	assert_int_equal(at(&g, 0, -3)->mask, TRAIL_N);
	assert_int_equal(at(&g, 0, -1)->mask, TRAIL_N | TRAIL_S);
	assert_int_equal(at(&g, 1, 3)->mask, TRAIL_S);
	world_free(&g.w);

	/* The same, walked the other way round: left and down. */
	grid_init(&g);
	seg(&g, 4, 1, -4, 0, 0);
	seg(&g, 1, 3, 0, -3, 0);
	raster(&g);
	assert_int_equal(at(&g, 4, 1)->mask, TRAIL_W);
	assert_int_equal(at(&g, -4, 0)->mask, TRAIL_E);
	assert_int_equal(at(&g, 1, 3)->mask, TRAIL_S);
	assert_int_equal(at(&g, 0, -3)->mask, TRAIL_N);
	world_free(&g.w);
}

static void
test_point(void **state)
{
	struct grid g;

	(void)state;
	grid_init(&g);
	seg(&g, 1, 1, 1, 1, PROTO_COLOR_CYAN);
	raster(&g);
	assert_true(at(&g, 1, 1)->set);
	assert_int_equal(at(&g, 1, 1)->mask, 0);
	assert_int_equal(at(&g, 1, 1)->diag, 0);
	world_free(&g.w);
}

/*
 * Ends are rounded to the nearest cell, halves up, on both sides of 0: a
 * cast would cut -2.7 to -2 and 2.9 to 2.  Nearly vertical after
 * rounding is vertical.
 */
static void
test_fractions_round(void **state)
{
	struct grid g;

	(void)state;
	grid_init(&g);
	fseg(&g, -2.7, -0.4, 2.9, 0.3);
	fseg(&g, 0.2, 1.5, 0.4, 2.6);
	raster(&g);
	assert_int_equal(at(&g, -3, 0)->mask, TRAIL_E);
	assert_int_equal(at(&g, 3, 0)->mask, TRAIL_W);
	assert_false(at(&g, 4, 0)->set);
	assert_false(at(&g, -4, 0)->set);
	/* 1.5 is cell 2 (halves up), 2.6 is 3: a line from 2 to 3. */
	assert_int_equal(at(&g, 0, 2)->mask, TRAIL_N);
	assert_int_equal(at(&g, 0, 3)->mask, TRAIL_S);
	assert_false(at(&g, 0, 1)->set);
	world_free(&g.w);
}

/* A cell is mine when its newest segment is my client's. */
static void
test_mine(void **state)
{
	struct proto_event ev;
	struct grid g;

	(void)state;
	grid_init(&g);
	memset(&ev, 0, sizeof ev);
	ev.kind = PROTO_EVT_MOVE;
	ev.x = 3;
	ev.pen_down = 1;
	ev.cid = 7;
	world_apply_event(&g.w, &ev);
	seg(&g, 2, 2, 2, -2, 0);
	trail_raster(&g.c[0][0], W, H, -5, 3, &g.w, 7);
	assert_true(at(&g, 1, 0)->mine);
	assert_false(at(&g, 2, 0)->mine);
	assert_false(at(&g, 2, 1)->mine);
	trail_raster(&g.c[0][0], W, H, -5, 3, &g.w, 0);
	assert_false(at(&g, 1, 0)->mine);
	world_free(&g.w);
}

static void
test_colours_in_order(void **state)
{
	struct grid g;

	(void)state;
	grid_init(&g);
	seg(&g, -3, 0, 3, 0, PROTO_COLOR_RED);
	seg(&g, 0, 3, 0, -3, PROTO_COLOR_BLUE);
	raster(&g);
	assert_int_equal(at(&g, 0, 0)->color, PROTO_COLOR_BLUE);
	assert_int_equal(at(&g, 1, 0)->color, PROTO_COLOR_RED);
	world_free(&g.w);
}

static void
test_clipping(void **state)
{
	struct grid g;
	int32_t i;

	(void)state;
	grid_init(&g);
	/* Starts and ends off screen on both sides. */
	seg(&g, -50, 2, 50, 2, 0);
	seg(&g, 4, 90, 4, -90, 0);
	/* Entirely off screen. */
	seg(&g, 10, 10, 20, 10, 0);
	seg(&g, -30, -30, -10, -10, 0);
	raster(&g);
	for (i = -5; i <= 5; i++)
		assert_int_equal(at(&g, i, 2)->mask & (TRAIL_E | TRAIL_W),
		    TRAIL_E | TRAIL_W);
	for (i = -3; i <= 3; i++)
		assert_int_equal(at(&g, 4, i)->mask & (TRAIL_N | TRAIL_S),
		    TRAIL_N | TRAIL_S);
	assert_false(at(&g, -5, -3)->set);
	world_free(&g.w);
}

/* A million-cell slant across the view: only the view's part is walked,
 * and the cells it marks are the ones on the line. */
static void
test_long_lines_cheap(void **state)
{
	struct grid g;
	int32_t i;

	(void)state;
	grid_init(&g);
	seg(&g, -1000000, -1000000, 1000000, 1000000, 0);
	raster(&g);
	for (i = -3; i <= 3; i++)
		assert_int_equal(at(&g, i, i)->diag, TRAIL_DIAG_UP);
	world_free(&g.w);

	grid_init(&g);
	seg(&g, -1000000, 1000000, 1000000, -999999, 0);
	raster(&g);
	for (i = -2; i <= 3; i++) {
		assert_true(at(&g, i, -i)->set || at(&g, i, -i + 1)->set);
		assert_int_equal(at(&g, i, -i)->diag | at(&g, i, -i + 1)->diag,
		    TRAIL_DIAG_DOWN);
	}
	world_free(&g.w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_horizontal),
	    cmocka_unit_test(test_vertical_and_corner),
	    cmocka_unit_test(test_crossing),
	    cmocka_unit_test(test_slants),
	    cmocka_unit_test(test_point),
	    cmocka_unit_test(test_fractions_round),
	    cmocka_unit_test(test_mine),
	    cmocka_unit_test(test_colours_in_order),
	    cmocka_unit_test(test_clipping),
	    cmocka_unit_test(test_long_lines_cheap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
