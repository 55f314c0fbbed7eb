/*
 * test_layout.c - where the panes go for each terminal size: side by side
 * when wide, stacked when narrow, the grid dropped first when short, and
 * the "too small" notice below 20x6.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tui.h"

static void assert_inside(const struct layout *, const struct layout_rect *);
static void assert_apart(
    const struct layout_rect *, const struct layout_rect *);
static void assert_sane(int, int);
static void test_too_small(void **);
static void test_80x24(void **);
static void test_200x50(void **);
static void test_40x12(void **);
static void test_20x6(void **);
static void test_wide_and_short(void **);
static void test_every_size(void **);

static void
assert_inside(const struct layout *l, const struct layout_rect *r)
{
	if (r->w == 0)
		return;
	assert_true(r->x >= 0 && r->y >= 0 && r->h > 0);
	assert_true(r->x + r->w <= l->cols);
	assert_true(r->y + r->h <= l->rows);
}

static void
assert_apart(const struct layout_rect *a, const struct layout_rect *b)
{
	if (a->w == 0 || b->w == 0)
		return;
	assert_true(a->x + a->w <= b->x || b->x + b->w <= a->x ||
		    a->y + a->h <= b->y || b->y + b->h <= a->y);
}

/* Every pane on screen, none overlapping, status and command line last. */
static void
assert_sane(int cols, int rows)
{
	struct layout l;
	const struct layout_rect *r[5];
	int i, j;

	layout_compute(&l, cols, rows);
	if (l.too_small)
		return;
	r[0] = &l.grid;
	r[1] = &l.sep;
	r[2] = &l.log;
	r[3] = &l.status;
	r[4] = &l.cmd;
	for (i = 0; i < 5; i++) {
		assert_inside(&l, r[i]);
		for (j = i + 1; j < 5; j++)
			assert_apart(r[i], r[j]);
	}
	assert_int_equal(l.cmd.y, rows - 1);
	assert_int_equal(l.cmd.w, cols);
	assert_int_equal(l.status.y, rows - 2);
	assert_true(l.log.h > 0);
}

static void
test_too_small(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(&l, 19, 6);
	assert_true(l.too_small);
	layout_compute(&l, 20, 5);
	assert_true(l.too_small);
	layout_compute(&l, 0, 0);
	assert_true(l.too_small);
	layout_compute(&l, 20, 6);
	assert_false(l.too_small);
}

static void
test_80x24(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(&l, 80, 24);
	assert_false(l.wide);
	assert_int_equal(l.grid.w, 80);
	assert_int_equal(l.grid.y, 0);
	assert_int_equal(l.log.y + l.log.h, 22);
	assert_int_equal(l.sep.y, l.grid.h);
	assert_true(l.grid.h > l.log.h);
	assert_sane(80, 24);
}

static void
test_200x50(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(&l, 200, 50);
	assert_true(l.wide);
	assert_int_equal(l.grid.h, 48);
	assert_int_equal(l.log.h, 48);
	assert_int_equal(l.log.x + l.log.w, 200);
	assert_int_equal(l.sep.x, l.grid.w);
	assert_true(l.grid.w > l.log.w);
	assert_sane(200, 50);
}

static void
test_40x12(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(&l, 40, 12);
	assert_false(l.wide);
	assert_true(l.grid.h >= LAYOUT_GRID_MIN_H);
	assert_true(l.log.h >= 3);
	assert_sane(40, 12);
}

static void
test_20x6(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(&l, 20, 6);
	/* Short: the grid goes before the log and the command line. */
	assert_int_equal(l.grid.w, 0);
	assert_int_equal(l.log.h, 4);
	assert_int_equal(l.cmd.y, 5);
	assert_sane(20, 6);
}

static void
test_wide_and_short(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(&l, 90, 10);
	assert_true(l.wide);
	assert_int_equal(l.grid.h, 8);
	layout_compute(&l, 99, 40);
	assert_false(l.wide);
}

static void
test_every_size(void **state)
{
	int c, r;

	(void)state;
	for (c = 1; c <= 240; c += 3) {
		for (r = 1; r <= 70; r++)
			assert_sane(c, r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_too_small),
	    cmocka_unit_test(test_80x24),
	    cmocka_unit_test(test_200x50),
	    cmocka_unit_test(test_40x12),
	    cmocka_unit_test(test_20x6),
	    cmocka_unit_test(test_wide_and_short),
	    cmocka_unit_test(test_every_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
