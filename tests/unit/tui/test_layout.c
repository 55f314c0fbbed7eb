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

#include <string.h>

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
static void test_notice(void **);
static void notice_is(int, int, const char *const *);

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

/* The notice for cols x rows is exactly the lines in want (NULL ends). */
static void
notice_is(int cols, int rows, const char *const *want)
{
	char lines[LAYOUT_NOTICE_LINES][LAYOUT_NOTICE_COLS];
	int n, i;

	n = layout_notice(lines, cols, rows);
	for (i = 0; want[i] != NULL; i++) {
		assert_true(i < n);
		assert_string_equal(lines[i], want[i]);
	}
	assert_int_equal(n, i);
}

static void
test_notice(void **state)
{
	char lines[LAYOUT_NOTICE_LINES][LAYOUT_NOTICE_COLS];
	int c, r, n, i;

	(void)state;
	notice_is(
	    30, 5, (const char *const[]){"terminal too small: 30x5", NULL});
	notice_is(
	    19, 5, (const char *const[]){"terminal too small:", "19x5", NULL});
	/* Narrow panes break between words, never inside one. */
	notice_is(10, 23,
	    (const char *const[]){"terminal", "too small:", "10x23", NULL});
	notice_is(9, 5,
	    (const char *const[]){"terminal", "too", "small:", "9x5", NULL});
	/* No room for the words: the size alone, cut if need be. */
	notice_is(9, 3, (const char *const[]){"9x3", NULL});
	notice_is(7, 30, (const char *const[]){"7x30", NULL});
	notice_is(3, 1, (const char *const[]){"3x1", NULL});
	notice_is(2, 1, (const char *const[]){"2x", NULL});
	for (c = 1; c < 40; c++) {
		for (r = 1; r < 8; r++) {
			n = layout_notice(lines, c, r);
			assert_true(n >= 1 && n <= r);
			for (i = 0; i < n; i++)
				assert_true((int)strlen(lines[i]) <= c);
		}
	}
	assert_int_equal(layout_notice(lines, 0, 0), 0);
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
	    cmocka_unit_test(test_notice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
