/*
 * test_viewport.c - which part of the world the grid shows: centred when
 * it fits, following the turtle with a margin when it does not, panning
 * out of follow mode and back, never past the world's edge, on braille
 * mode's lattice as on box mode's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tui.h"

static void world_at(struct world *, int32_t, int32_t, int32_t, int32_t);
static void test_small_world_centred(void **);
static void test_follow_with_margin(void **);
static void test_clamped_at_edges(void **);
static void test_pan_and_follow(void **);
static void test_cell_mapping(void **);
static void test_huge_coordinates(void **);
static void test_braille_lattice(void **);

static void
world_at(struct world *w, int32_t hw, int32_t hh, int32_t x, int32_t y)
{
	w->half_w = hw;
	w->half_h = hh;
	w->x = x;
	w->y = y;
}

static void
test_small_world_centred(void **state)
{
	struct viewport v;
	struct world w = {0};
	int col, row;

	(void)state;
	viewport_init(&v);
	world_at(&w, 5, 2, 5, -2);
	viewport_update(&v, 21, 9, &w);
	/* 11 x 5 cells in 21 x 9: five columns and two rows either side. */
	assert_int_equal(v.left, -10);
	assert_int_equal(v.top, 4);
	assert_true(viewport_cell(&v, -5, 2, &col, &row));
	assert_int_equal(col, 5);
	assert_int_equal(row, 2);
	assert_true(viewport_cell(&v, 5, -2, &col, &row));
	assert_int_equal(col, 15);
	assert_int_equal(row, 6);
	/* Panning a world that fits changes nothing. */
	viewport_pan(&v, 3, 3);
	viewport_update(&v, 21, 9, &w);
	assert_int_equal(v.left, -10);
	assert_int_equal(v.top, 4);
}

static void
test_follow_with_margin(void **state)
{
	struct viewport v;
	struct world w = {0};
	int col, row, i;

	(void)state;
	viewport_init(&v);
	world_at(&w, 100, 100, 0, 0);
	viewport_update(&v, 20, 10, &w);
	/* The first view puts the turtle in the middle. */
	assert_int_equal(v.left, -10);
	assert_int_equal(v.top, 4);
	/* Small steps inside the margin do not move the view. */
	w.x = 5;
	viewport_update(&v, 20, 10, &w);
	assert_int_equal(v.left, -10);
	/* Walking right, the turtle stays 4 cells (20 / 5) from the edge. */
	for (i = 6; i < 60; i++) {
		w.x = i;
		viewport_update(&v, 20, 10, &w);
		assert_true(viewport_cell(&v, w.x, w.y, &col, &row));
		assert_true(col <= 20 - 1 - 4);
	}
	assert_int_equal(v.left, 59 - 15);
	/* A jump far away is followed too. */
	w.x = -80;
	w.y = -70;
	viewport_update(&v, 20, 10, &w);
	assert_true(viewport_cell(&v, w.x, w.y, &col, &row));
	assert_int_equal(col, 4);
	assert_int_equal(row, 10 - 1 - 2);
}

static void
test_clamped_at_edges(void **state)
{
	struct viewport v;
	struct world w = {0};
	int col, row;

	(void)state;
	viewport_init(&v);
	world_at(&w, 100, 100, 100, 100);
	viewport_update(&v, 20, 10, &w);
	/* The view stops one cell past the world, where its frame is. */
	assert_int_equal(v.left, 101 - 19);
	assert_int_equal(v.top, 101);
	assert_true(viewport_cell(&v, 100, 100, &col, &row));
	assert_int_equal(col, 18);
	assert_int_equal(row, 1);
	w.x = -100;
	w.y = -100;
	viewport_update(&v, 20, 10, &w);
	assert_int_equal(v.left, -101);
	assert_int_equal(v.top, -101 + 9);
}

static void
test_pan_and_follow(void **state)
{
	struct viewport v;
	struct world w = {0};
	int col, row;

	(void)state;
	viewport_init(&v);
	world_at(&w, 100, 100, 0, 0);
	viewport_update(&v, 20, 10, &w);
	viewport_pan(&v, 30, 0);
	assert_false(v.follow);
	viewport_update(&v, 20, 10, &w);
	assert_int_equal(v.left, 20);
	assert_false(viewport_cell(&v, 0, 0, &col, &row));
	/* The turtle moving does not pull a panned view back. */
	w.x = 1;
	viewport_update(&v, 20, 10, &w);
	assert_int_equal(v.left, 20);
	/* Panning stops at the edge. */
	viewport_pan(&v, 1000, 1000);
	viewport_update(&v, 20, 10, &w);
	assert_int_equal(v.left, 82);
	assert_int_equal(v.top, 101);
	/* Follow mode again centres the turtle. */
	viewport_follow(&v);
	viewport_update(&v, 20, 10, &w);
	assert_true(v.follow);
	assert_true(viewport_cell(&v, 1, 0, &col, &row));
	assert_int_equal(col, 10);
	assert_int_equal(row, 4);
}

static void
test_cell_mapping(void **state)
{
	struct viewport v;
	struct world w = {0};
	int col = -1, row = -1;

	(void)state;
	viewport_init(&v);
	world_at(&w, 100, 100, 0, 0);
	viewport_update(&v, 10, 6, &w);
	assert_true(viewport_cell(&v, v.left, v.top, &col, &row));
	assert_int_equal(col, 0);
	assert_int_equal(row, 0);
	/* y grows upward: one up is one row higher on the screen. */
	assert_true(viewport_cell(&v, v.left, v.top - 1, &col, &row));
	assert_int_equal(row, 1);
	assert_false(viewport_cell(&v, v.left - 1, v.top, &col, &row));
	assert_false(viewport_cell(&v, v.left, v.top + 1, &col, &row));
	assert_false(viewport_cell(&v, v.left + 10, v.top, &col, &row));
	assert_false(viewport_cell(&v, v.left, v.top - 6, &col, &row));
	/* An empty pane shows nothing. */
	viewport_update(&v, 0, 0, &w);
	assert_false(viewport_cell(&v, 0, 0, &col, &row));
}

static void
test_huge_coordinates(void **state)
{
	struct viewport v;
	struct world w = {0};
	int col, row;

	(void)state;
	viewport_init(&v);
	world_at(&w, PROTO_COORD_MAX, PROTO_COORD_MAX, PROTO_COORD_MAX,
	    -PROTO_COORD_MAX);
	viewport_update(&v, 300, 100, &w);
	assert_true(viewport_cell(&v, w.x, w.y, &col, &row));
	assert_int_equal(col, 298);
	assert_int_equal(row, 98);
	assert_false(viewport_cell(&v, INT32_MIN, INT32_MAX, &col, &row));
}

/*
 * Braille mode's lattice: at zoom 1 the default world covers cells
 * -50..50 by -25..25 (101 x 51), and a view fitted to a pane that size
 * is the one braille_center() gives for the origin.  A cell's middle
 * point maps back to the cell at every zoom.
 */
static void
test_braille_lattice(void **state)
{
	static const int zooms[] = {-4, -2, 1, 2, 4};
	struct braille_cell cells[101 * 51];
	struct braille_view bv = {cells, 101, 51, 0, 0, 1};
	struct viewport_span sp;
	struct viewport v;
	int64_t cx, cy, x, y;
	double px, py;
	size_t i;

	(void)state;
	brailleview_cell(1, -100, 100, &sp.xlo, &sp.yhi);
	brailleview_cell(1, 100, -100, &sp.xhi, &sp.ylo);
	assert_int_equal(sp.xlo, -50);
	assert_int_equal(sp.xhi, 50);
	assert_int_equal(sp.ylo, -25);
	assert_int_equal(sp.yhi, 25);
	sp.tx = sp.ty = 0;
	viewport_init(&v);
	viewport_fit(&v, 101, 51, &sp);
	braille_center(&bv, 0, 0);
	assert_true(v.left * 2 == bv.left);
	assert_true(v.top * 4 == bv.top);
	for (i = 0; i < sizeof zooms / sizeof zooms[0]; i++) {
		for (x = -7; x <= 7; x++) {
			for (y = -7; y <= 7; y++) {
				brailleview_point(zooms[i], x, y, &px, &py);
				brailleview_cell(zooms[i], px, py, &cx, &cy);
				assert_int_equal(cx, x);
				assert_int_equal(cy, y);
			}
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_small_world_centred),
	    cmocka_unit_test(test_follow_with_margin),
	    cmocka_unit_test(test_clamped_at_edges),
	    cmocka_unit_test(test_pan_and_follow),
	    cmocka_unit_test(test_cell_mapping),
	    cmocka_unit_test(test_huge_coordinates),
	    cmocka_unit_test(test_braille_lattice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
