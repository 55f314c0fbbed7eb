/*
 * test_braille.c - the trail as braille dots: exact dot patterns for known
 * drawings (compared as whole grids of braille characters), clipping at
 * every edge, zoom in and out, the newest dot's colour, the default world
 * filling 101 x 51 cells exactly, hostile coordinates, and random drawings
 * that must match a naive reference, never write outside the grid and not
 * change shape when the view moves.  Prints how long 100,000 segments take
 * into a 200 x 50 pane (not asserted: machines differ).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui.h"

#define GUARD      16 /* canary cells each side of a grid */
#define CANARY     0xa5
#define SPEED_SEGS 100000
#define SPEED_W    200
#define SPEED_H    50
#define SPEED_RUNS 5

/* A grid with canary cells around it, and the view onto it. */
struct grid {
	struct braille_cell *mem;
	struct braille_view v;
};

static void grid_init(struct grid *, int, int, double, double, int);
static void grid_check_guards(const struct grid *);
static void grid_free(struct grid *);
static void grid_render(const struct grid *, char *, size_t);
static void grid_expect(const struct grid *, const char *);
static void seg(struct grid *, double, double, double, double, int, int);
static uint64_t rng_next(uint64_t *);
static double rng_coord(uint64_t *, double);
static int64_t ref_round(double);
static void ref_put(struct braille_cell *, int, int, int64_t, int64_t,
    const struct braille_seg *);
static void ref_draw(const struct braille_view *, struct braille_cell *,
    const struct braille_seg *, size_t);
static double scale_of(int);
static double now_ms(clockid_t);
static void speed_run(const char *, const struct braille_seg *, size_t);
static void test_utf8(void **);
static void test_horizontal(void **);
static void test_vertical(void **);
static void test_diagonals(void **);
static void test_square(void **);
static void test_clipping(void **);
static void test_zoom_in(void **);
static void test_zoom_out(void **);
static void test_newest_colour(void **);
static void test_world_fits(void **);
static void test_center(void **);
static void test_points_and_hostile(void **);
static void test_random_in_bounds(void **);
static void test_random_pan(void **);
static void test_speed(void **);

static void
grid_init(struct grid *g, int w, int h, double left, double top, int zoom)
{
	size_t n = (size_t)w * (size_t)h + 2 * GUARD;

	g->mem = malloc(n * sizeof *g->mem);
	assert_non_null(g->mem);
	memset(g->mem, CANARY, n * sizeof *g->mem);
	g->v.cells = g->mem + GUARD;
	g->v.w = w;
	g->v.h = h;
	g->v.left = left;
	g->v.top = top;
	g->v.zoom = zoom;
	braille_clear(&g->v);
	grid_check_guards(g);
}

/* Nothing was written before or after the cells (ASan sees the rest). */
static void
grid_check_guards(const struct grid *g)
{
	const unsigned char *p = (const unsigned char *)g->mem;
	size_t i, n = GUARD * sizeof *g->mem;
	size_t tail =
	    (GUARD + (size_t)g->v.w * (size_t)g->v.h) * sizeof *g->mem;

	for (i = 0; i < n; i++) {
		assert_int_equal(p[i], CANARY);
		assert_int_equal(p[tail + i], CANARY);
	}
}

static void
grid_free(struct grid *g)
{
	grid_check_guards(g);
	free(g->mem);
}

/* The grid as rows of braille characters, each row ending in "\n". */
static void
grid_render(const struct grid *g, char *out, size_t len)
{
	size_t o = 0;
	int r, c;

	for (r = 0; r < g->v.h; r++) {
		for (c = 0; c < g->v.w; c++) {
			assert_true(o + 4 < len);
			o += braille_utf8(
			    g->v.cells[r * g->v.w + c].dots, out + o);
		}
		assert_true(o + 1 < len);
		out[o++] = '\n';
	}
	out[o] = '\0';
}

static void
grid_expect(const struct grid *g, const char *want)
{
	char got[4096];

	grid_render(g, got, sizeof got);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "want:\n%sgot:\n%s", want, got);
	assert_string_equal(got, want);
}

static void
seg(struct grid *g, double x0, double y0, double x1, double y1, int color,
    int mine)
{
	struct braille_seg s = {x0, y0, x1, y1, (uint8_t)color, (uint8_t)mine};

	braille_draw(&g->v, &s, 1);
}

/* xorshift64*: the tests' own generator, seeded, no global state. */
static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* A coordinate in [-range, range], a multiple of 1/8 so that every
 * subtraction and scaling in the rasterizer is exact (and ties, half a
 * dot, happen often). */
static double
rng_coord(uint64_t *s, double range)
{
	uint64_t steps = (uint64_t)(range * 16) + 1;

	return (double)(int64_t)(rng_next(s) % steps) / 8 - range;
}

/* floor(v + 0.5), written out so the test needs no libm. */
static int64_t
ref_round(double v)
{
	double u = v + 0.5;
	int64_t i = (int64_t)u;

	return (double)i > u ? i - 1 : i;
}

static void
ref_put(struct braille_cell *cells, int w, int h, int64_t col, int64_t row,
    const struct braille_seg *s)
{
	static const uint8_t bit[4][2] = {
	    {0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
	struct braille_cell *c;

	if (col < 0 || col >= 2 * (int64_t)w || row < 0 ||
	    row >= 4 * (int64_t)h)
		return;
	c = &cells[row / 4 * w + col / 2];
	c->dots |= bit[row % 4][col % 2];
	c->color = s->color;
	c->mine = s->mine;
}

/*
 * The documented rule, naively: round both ends to dots, step every dot
 * of the whole line along its major axis from its lower end, the minor
 * coordinate rounded halves away from the start, and keep those in view.
 */
static void
ref_draw(const struct braille_view *v, struct braille_cell *cells,
    const struct braille_seg *segs, size_t nsegs)
{
	double sc = scale_of(v->zoom);
	size_t k;
	int64_t x0, y0, x1, y1, dx, dy, n, i, q, t;

	memset(cells, 0, (size_t)v->w * (size_t)v->h * sizeof *cells);
	for (k = 0; k < nsegs; k++) {
		x0 = ref_round((segs[k].x0 - v->left) * sc);
		y0 = ref_round((v->top - segs[k].y0) * sc);
		x1 = ref_round((segs[k].x1 - v->left) * sc);
		y1 = ref_round((v->top - segs[k].y1) * sc);
		dx = x1 - x0;
		dy = y1 - y0;
		if (llabs(dx) >= llabs(dy) ? dx < 0 : dy < 0) {
			t = x0, x0 = x1, x1 = t;
			t = y0, y0 = y1, y1 = t;
			dx = -dx;
			dy = -dy;
		}
		n = llabs(dx) >= llabs(dy) ? dx : dy;
		for (i = 0; i <= n; i++) {
			if (llabs(dx) >= llabs(dy)) {
				q = n == 0 ? 0
					   : (2 * i * llabs(dy) + n) / (2 * n);
				ref_put(cells, v->w, v->h, x0 + i,
				    y0 + (dy < 0 ? -q : q), &segs[k]);
			} else {
				q = (2 * i * llabs(dx) + n) / (2 * n);
				ref_put(cells, v->w, v->h,
				    x0 + (dx < 0 ? -q : q), y0 + i, &segs[k]);
			}
		}
	}
}

static double
scale_of(int zoom)
{
	if (zoom >= 1)
		return zoom;
	return zoom <= -2 ? 1.0 / -zoom : 1;
}

static double
now_ms(clockid_t clock)
{
	struct timespec ts;

	assert_int_equal(clock_gettime(clock, &ts), 0);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
test_utf8(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(braille_utf8(0x00, out), 3);
	assert_memory_equal(out, "\xe2\xa0\x80", 4); /* U+2800, NUL */
	assert_int_equal(braille_utf8(0x01, out), 3);
	assert_memory_equal(out, "\xe2\xa0\x81", 4);
	assert_int_equal(braille_utf8(0xff, out), 3);
	assert_memory_equal(out, "\xe2\xa3\xbf", 4); /* U+28FF */
	assert_int_equal(braille_utf8(0x47, out), 3);
	assert_string_equal(out, "⡇");
}

/* The views below start at world (0, 0): dot column x, dot row -y. */
static void
test_horizontal(void **state)
{
	struct grid g;

	(void)state;
	grid_init(&g, 4, 1, 0, 0, 1);
	seg(&g, 1, -1, 6, -1, PROTO_COLOR_RED, 0);
	grid_expect(&g, "⠐⠒⠒⠂\n");
	assert_int_equal(g.v.cells[0].color, PROTO_COLOR_RED);
	grid_free(&g);
}

static void
test_vertical(void **state)
{
	struct grid g;

	(void)state;
	grid_init(&g, 2, 2, 0, 0, 1);
	seg(&g, 2, -6, 2, -1, 0, 0);
	grid_expect(&g, "⠀⡆\n"
			"⠀⠇\n");
	grid_free(&g);
}

/* A true diagonal, and shallow slopes rounded the same whichever way they
 * are walked. */
static void
test_diagonals(void **state)
{
	struct grid g;

	(void)state;
	grid_init(&g, 4, 2, 0, 0, 1);
	seg(&g, 0, 0, 7, -7, 0, 0);
	grid_expect(&g, "⠑⢄⠀⠀\n"
			"⠀⠀⠑⢄\n");
	grid_free(&g);

	grid_init(&g, 4, 1, 0, 0, 1);
	seg(&g, 0, 0, 7, -3, 0, 0);
	grid_expect(&g, "⠉⠒⠤⣀\n");
	braille_clear(&g.v);
	seg(&g, 7, -3, 0, 0, 0, 0);
	grid_expect(&g, "⠉⠒⠤⣀\n");
	braille_clear(&g.v);
	seg(&g, 0, -3, 7, 0, 0, 0);
	grid_expect(&g, "⣀⠤⠒⠉\n");
	braille_clear(&g.v);
	seg(&g, 7, 0, 0, -3, 0, 0);
	grid_expect(&g, "⣀⠤⠒⠉\n");
	grid_free(&g);
}

static void
test_square(void **state)
{
	struct grid g;

	(void)state;
	grid_init(&g, 6, 3, 0, 0, 1);
	seg(&g, 0, 0, 10, 0, 0, 0);
	seg(&g, 10, 0, 10, -10, 0, 0);
	seg(&g, 10, -10, 0, -10, 0, 0);
	seg(&g, 0, -10, 0, 0, 0, 0);
	grid_expect(&g, "⡏⠉⠉⠉⠉⡇\n"
			"⡇⠀⠀⠀⠀⡇\n"
			"⠧⠤⠤⠤⠤⠇\n");
	grid_free(&g);
}

/* Lines through the left and right edges, the top and bottom, the top-left
 * corner and out at the bottom right; and lines wholly outside each
 * edge, which draw nothing. */
static void
test_clipping(void **state)
{
	struct grid g;

	(void)state;
	grid_init(&g, 3, 2, 0, 0, 1);
	seg(&g, -50, -2, 50, -2, 0, 0);
	seg(&g, 4, 40, 4, -40, 0, 0);
	seg(&g, -3, 3, 10, -10, 0, 0);
	seg(&g, 6, -1, 20, -1, 0, 0);    /* right */
	seg(&g, -5, 5, -1, 1, 0, 0);     /* above left */
	seg(&g, 0, -8, 5, -20, 0, 0);    /* below */
	seg(&g, 1, 5, 3, 1, 0, 0);       /* above */
	seg(&g, -1, 0, -1, -7, 0, 0);    /* left */
	seg(&g, -30, 60, 60, -30, 0, 0); /* past the bottom-right corner */
	grid_expect(&g, "⠵⢤⡧\n"
			"⠀⠀⡗\n");
	grid_free(&g);
}

static void
test_zoom_in(void **state)
{
	struct grid g;

	(void)state;
	/* Two dots per unit: (2, -1) is dot (4, 2); (2.5, -0.75) is dot
	 * (5, 1.5), rounded down to row 2. */
	grid_init(&g, 3, 1, 0, 0, 2);
	seg(&g, 0, 0, 2, -1, 0, 0);
	braille_dot(&g.v, 2.5, -0.75, 0, 0);
	grid_expect(&g, "⠑⠢⠤\n");
	grid_free(&g);

	/* Four: the same dots from half the distances. */
	grid_init(&g, 3, 1, 0, 0, 4);
	seg(&g, 0, 0, 1, -0.5, 0, 0);
	braille_dot(&g.v, 1.25, -0.375, 0, 0);
	grid_expect(&g, "⠑⠢⠤\n");
	grid_free(&g);
}

static void
test_zoom_out(void **state)
{
	struct grid g;

	(void)state;
	/* One dot per two units; halves round up: x = -1 is dot -0.5, so
	 * dot 0, and x = 3 is dot 1.5, so dot 2. */
	grid_init(&g, 3, 1, 0, 0, -2);
	seg(&g, 0, 0, 10, 0, 0, 0);
	seg(&g, 0, -2, 3, -2, 0, 0);
	seg(&g, -1, -4, -1, -4, 0, 0);
	braille_dot(&g.v, 9, -6, 0, 0);
	grid_expect(&g, "⠟⠋⢉\n");
	grid_free(&g);

	/* One dot per four units: (20, -4) is dot (5, 1). */
	grid_init(&g, 3, 1, 0, 0, -4);
	seg(&g, 0, 0, 20, -4, 0, 0);
	grid_expect(&g, "⠉⠑⠒\n");
	grid_free(&g);
}

/* A cell takes the colour and owner of its newest dot, whatever drew the
 * dots before. */
static void
test_newest_colour(void **state)
{
	struct grid g;

	(void)state;
	grid_init(&g, 2, 1, 0, 0, 1);
	seg(&g, 0, 0, 3, 0, PROTO_COLOR_RED, 0);
	seg(&g, 1, -3, 1, -3, PROTO_COLOR_BLUE, 1);
	assert_int_equal(g.v.cells[0].dots, 0x01 | 0x08 | 0x80);
	assert_int_equal(g.v.cells[0].color, PROTO_COLOR_BLUE);
	assert_int_equal(g.v.cells[0].mine, 1);
	assert_int_equal(g.v.cells[1].color, PROTO_COLOR_RED);
	assert_int_equal(g.v.cells[1].mine, 0);
	braille_dot(&g.v, 3, -3, PROTO_COLOR_GREEN, 1);
	assert_int_equal(g.v.cells[1].color, PROTO_COLOR_GREEN);
	assert_int_equal(g.v.cells[1].mine, 1);

	/* The other order: the red line is newer everywhere it goes. */
	braille_clear(&g.v);
	seg(&g, 1, -3, 1, -3, PROTO_COLOR_BLUE, 1);
	seg(&g, 0, 0, 3, 0, PROTO_COLOR_RED, 0);
	assert_int_equal(g.v.cells[0].color, PROTO_COLOR_RED);
	assert_int_equal(g.v.cells[0].mine, 0);
	grid_free(&g);
}

/* The 201 x 201 default world at one dot per unit fills 101 x 51 cells:
 * its corners are the first dot of each corner cell, the right column and
 * the bottom row use only their first dot column or row. */
static void
test_world_fits(void **state)
{
	struct grid g;
	int r, c, col, row;
	uint8_t want;

	(void)state;
	grid_init(&g, 101, 51, 0, 0, 1);
	braille_center(&g.v, 0, 0);
	assert_true(g.v.left == -100 && g.v.top == 100);
	seg(&g, -100, 100, 100, 100, 0, 0);
	seg(&g, 100, 100, 100, -100, 0, 0);
	seg(&g, 100, -100, -100, -100, 0, 0);
	seg(&g, -100, -100, -100, 100, 0, 0);
	for (r = 0; r < 51; r++)
		for (c = 0; c < 101; c++) {
			want = 0;
			if (r == 0 || r == 50)
				want |= c == 100 ? 0x01 : 0x09;
			if (c == 0 || c == 100)
				want |= r == 50 ? 0x01 : 0x47;
			assert_int_equal(g.v.cells[r * 101 + c].dots, want);
		}
	assert_int_equal(g.v.cells[0].dots, 0x4f);
	assert_int_equal(g.v.cells[100].dots, 0x47);
	assert_int_equal(g.v.cells[50 * 101].dots, 0x09);
	assert_int_equal(g.v.cells[50 * 101 + 100].dots, 0x01);

	assert_true(braille_locate(&g.v, -100, 100, &col, &row));
	assert_true(col == 0 && row == 0);
	assert_true(braille_locate(&g.v, 100, -100, &col, &row));
	assert_true(col == 100 && row == 50);
	assert_true(braille_locate(&g.v, 0, 0, &col, &row));
	assert_true(col == 50 && row == 25);
	assert_false(braille_locate(&g.v, 101.5, 0, &col, &row));
	assert_true(
	    braille_locate(&g.v, 0, 100.5, &col, &row)); /* rounds down */
	assert_false(braille_locate(&g.v, 0, 100.6, &col, &row));
	grid_free(&g);
}

/* braille_center() puts the point's cell in the middle at every zoom, on
 * whole cells of the world's lattice. */
static void
test_center(void **state)
{
	static const int zooms[] = {1, 2, 4, -2, -4};
	struct braille_cell cells[10 * 5];
	struct braille_view v = {cells, 10, 5, 0, 0, 1};
	uint64_t rs = 7;
	double x = 0, y = 0, s;
	int i, z, col, row;

	(void)state;
	braille_center(&v, 3.3, -7.9);
	assert_true(v.left == -6 && v.top == 0);
	v.zoom = 2;
	v.w = 101;
	v.h = 51;
	braille_center(&v, 0, 0);
	assert_true(v.left == -50 && v.top == 50);
	v.w = 10;
	v.h = 5;
	for (i = 0; i < 2000; i++) {
		z = zooms[i % 5];
		v.zoom = z;
		s = scale_of(z);
		x = rng_coord(&rs, 1e6);
		y = rng_coord(&rs, 1e6);
		braille_center(&v, x, y);
		assert_true(braille_locate(&v, x, y, &col, &row));
		assert_int_equal(col, 4);
		assert_int_equal(row, 2);
		/* Whole cells of the lattice: left is an even dot, top a
		 * multiple of four. */
		assert_true(v.left * s == (double)(int64_t)(v.left * s));
		assert_true(v.top * s == (double)(int64_t)(v.top * s));
		assert_int_equal((int64_t)(v.left * s) % 2, 0);
		assert_int_equal((int64_t)(v.top * s) % 4, 0);
	}
	/* Not finite: the view stays. */
	braille_center(&v, NAN, 0);
	braille_center(&v, 0, INFINITY);
	assert_true(braille_locate(&v, x, y, &col, &row));
}

/* Zero-length segments are one dot; NaN, infinities and absurd values
 * draw nothing and do not crash; the +-1e6 world's longest lines draw
 * their visible part. */
static void
test_points_and_hostile(void **state)
{
	struct grid g;
	size_t i;
	const double bad[] = {NAN, INFINITY, -INFINITY, 1e300, -1e300, 1e16};

	(void)state;
	grid_init(&g, 2, 1, 0, 0, 1);
	seg(&g, 1, -2, 1, -2, 0, 0);
	grid_expect(&g, "⠠⠀\n");
	seg(&g, 2.4, -0.4, 2.4, -0.4, 0, 0); /* rounds to dot (2, 0) */
	grid_expect(&g, "⠠⠁\n");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		seg(&g, bad[i], 0, 1, -1, 0, 0);
		seg(&g, 1, bad[i], 1, -1, 0, 0);
		seg(&g, 1, -1, bad[i], bad[i], 0, 0);
		seg(&g, 0, -3, 3, bad[i], 0, 0);
		braille_dot(&g.v, bad[i], 0, 0, 0);
		braille_dot(&g.v, 0, bad[i], 0, 0);
	}
	grid_expect(&g, "⠠⠁\n");
	g.v.left = NAN;
	seg(&g, 0, 0, 3, -3, 0, 0);
	g.v.left = 0;
	grid_expect(&g, "⠠⠁\n");
	braille_clear(&g.v);
	seg(&g, -1e6, -1, 1e6, -1, 0, 0);
	seg(&g, 1e6, 1e6, -1e6, -1e6, 0, 0);
	seg(&g, 3, 1e6, 3, -1e6, 0, 0);
	grid_expect(&g, "⠓⢺\n");
	grid_free(&g);

	/* Views with no cells draw nothing. */
	grid_init(&g, 1, 1, 0, 0, 1);
	g.v.w = 0;
	seg(&g, 0, 0, 1, 1, 0, 0);
	braille_dot(&g.v, 0, 0, 0, 0);
	braille_clear(&g.v);
	g.v.w = 1;
	g.v.h = -1;
	seg(&g, 0, 0, 1, 1, 0, 0);
	g.v.h = 1;
	assert_int_equal(g.v.cells[0].dots, 0);
	grid_free(&g);
}

/*
 * Random segments, some far outside, at every zoom and in odd pane sizes:
 * the grid equals the naive reference's, and nothing is written outside
 * it (the guards here, ASan in the sanitizer build).
 */
static void
test_random_in_bounds(void **state)
{
	static const int zooms[] = {1, 2, 4, -2, -4, 0, -1, 3};
	struct braille_seg segs[64];
	struct braille_cell *ref;
	struct grid g;
	uint64_t rs = 42;
	int round, w, h, z;
	size_t i, k;
	double range;

	(void)state;
	for (round = 0; round < 3000; round++) {
		w = 1 + (int)(rng_next(&rs) % 23);
		h = 1 + (int)(rng_next(&rs) % 11);
		z = zooms[round % 8];
		grid_init(&g, w, h, rng_coord(&rs, 20), rng_coord(&rs, 20), z);
		/* Mostly near the view, where the reference is cheap. */
		range = round % 10 == 0 ? 500 : 40;
		for (k = 0; k < 64; k++) {
			segs[k].x0 = rng_coord(&rs, range);
			segs[k].y0 = rng_coord(&rs, range);
			segs[k].x1 = rng_coord(&rs, range);
			segs[k].y1 = rng_coord(&rs, range);
			segs[k].color = (uint8_t)(rng_next(&rs) % 8);
			segs[k].mine = (uint8_t)(rng_next(&rs) % 2);
		}
		braille_draw(&g.v, segs, 64);
		ref = calloc((size_t)w * (size_t)h, sizeof *ref);
		assert_non_null(ref);
		ref_draw(&g.v, ref, segs, 64);
		for (i = 0; i < (size_t)w * (size_t)h; i++) {
			assert_int_equal(g.v.cells[i].dots, ref[i].dots);
			assert_int_equal(g.v.cells[i].color, ref[i].color);
			assert_int_equal(g.v.cells[i].mine, ref[i].mine);
		}
		free(ref);
		grid_free(&g);
	}

	/* Anywhere in +-1e6, many more dots than the reference could walk:
	 * only the guards and ASan judge. */
	for (round = 0; round < 300; round++) {
		w = 1 + (int)(rng_next(&rs) % 40);
		h = 1 + (int)(rng_next(&rs) % 20);
		grid_init(&g, w, h, rng_coord(&rs, 1e6), rng_coord(&rs, 1e6),
		    zooms[round % 5]);
		for (k = 0; k < 64; k++) {
			segs[k].x0 = rng_coord(&rs, 1e6);
			segs[k].y0 = rng_coord(&rs, 1e6);
			segs[k].x1 = k % 2 ? g.v.left : rng_coord(&rs, 1e6);
			segs[k].y1 = k % 3 ? g.v.top : rng_coord(&rs, 1e6);
			segs[k].color = 1;
			segs[k].mine = 1;
		}
		braille_draw(&g.v, segs, 64);
		grid_free(&g);
	}
}

/*
 * The same drawing in a view and in a larger one around it, both on whole
 * cells of the world's lattice: the shared cells are the same, so what
 * is clipped at any edge is exactly the part that would have been there.
 */
static void
test_random_pan(void **state)
{
	static const int zooms[] = {1, 2, 4, -2, -4};
	struct braille_seg segs[200];
	struct grid small, big;
	uint64_t rs = 1234;
	int round, kx, ky, ex, ey, r, c, z;
	size_t k;
	double s;

	(void)state;
	for (round = 0; round < 1000; round++) {
		z = zooms[round % 5];
		s = scale_of(z);
		grid_init(&small, 1 + (int)(rng_next(&rs) % 30),
		    1 + (int)(rng_next(&rs) % 12), 0, 0, z);
		braille_center(
		    &small.v, rng_coord(&rs, 100), rng_coord(&rs, 100));
		kx = (int)(rng_next(&rs) % 5);
		ky = (int)(rng_next(&rs) % 5);
		ex = (int)(rng_next(&rs) % 5);
		ey = (int)(rng_next(&rs) % 5);
		grid_init(&big, small.v.w + kx + ex, small.v.h + ky + ey,
		    small.v.left - 2 * kx / s, small.v.top + 4 * ky / s, z);
		for (k = 0; k < 200; k++) {
			segs[k].x0 = rng_coord(&rs, round % 2 ? 1e6 : 200);
			segs[k].y0 = rng_coord(&rs, round % 2 ? 1e6 : 200);
			segs[k].x1 = rng_coord(&rs, 200);
			segs[k].y1 = rng_coord(&rs, 200);
			segs[k].color = (uint8_t)(k % 8);
			segs[k].mine = (uint8_t)(k % 3 == 0);
		}
		braille_draw(&small.v, segs, 200);
		braille_draw(&big.v, segs, 200);
		for (r = 0; r < small.v.h; r++)
			for (c = 0; c < small.v.w; c++) {
				const struct braille_cell *a, *b;

				a = &small.v.cells[r * small.v.w + c];
				b = &big.v.cells[(r + ky) * big.v.w + c + kx];
				assert_int_equal(a->dots, b->dots);
				if (a->dots != 0) {
					assert_int_equal(a->color, b->color);
					assert_int_equal(a->mine, b->mine);
				}
			}
		grid_free(&small);
		grid_free(&big);
	}
}

/* Times one drawing into a 200 x 50 pane at zoom 1 centred on (0, 0):
 * the best of SPEED_RUNS clear-and-draw passes, printed, on the wall clock
 * and in this thread's CPU time (the same unless the machine is busy). */
static void
speed_run(const char *what, const struct braille_seg *segs, size_t n)
{
	struct grid g;
	double t, c, best = 1e9, best_cpu = 1e9;
	size_t i, set = 0;
	int run;

	grid_init(&g, SPEED_W, SPEED_H, 0, 0, 1);
	braille_center(&g.v, 0, 0);
	for (run = 0; run < SPEED_RUNS; run++) {
		t = now_ms(CLOCK_MONOTONIC);
		c = now_ms(CLOCK_THREAD_CPUTIME_ID);
		braille_clear(&g.v);
		braille_draw(&g.v, segs, n);
		c = now_ms(CLOCK_THREAD_CPUTIME_ID) - c;
		t = now_ms(CLOCK_MONOTONIC) - t;
		if (t < best)
			best = t;
		if (c < best_cpu)
			best_cpu = c;
	}
	for (i = 0; i < (size_t)SPEED_W * SPEED_H; i++)
		set += g.v.cells[i].dots != 0;
	printf("braille: %zu segments (%s) into %dx%d cells: %.2f ms wall, "
	       "%.2f ms CPU (best of %d), %zu cells set\n",
	    n, what, SPEED_W, SPEED_H, best, best_cpu, SPEED_RUNS, set);
	assert_true(set > 0);
	grid_free(&g);
}

/*
 * 100,000 segments three ways: a turtle's walk of short steps in the
 * default world, long lines anywhere in +-1e6 (mostly clipped away), and
 * lines across the whole default world (the worst case: every one
 * visible and about 100 dots long).  The walk and the world-wide lines
 * must equal the naive reference.
 */
static void
test_speed(void **state)
{
	struct braille_seg *segs;
	struct braille_cell *ref;
	struct grid g;
	uint64_t rs = 99;
	double x = 0, y = 0, nx, ny;
	size_t i, pass;

	(void)state;
	segs = malloc(SPEED_SEGS * sizeof *segs);
	ref = malloc((size_t)SPEED_W * SPEED_H * sizeof *ref);
	assert_non_null(segs);
	assert_non_null(ref);
	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < SPEED_SEGS; i++) {
			if (pass == 0) {
				nx = x + rng_coord(&rs, 5);
				ny = y + rng_coord(&rs, 5);
				if (nx < -100 || nx > 100)
					nx = x;
				if (ny < -100 || ny > 100)
					ny = y;
				segs[i] = (struct braille_seg){
				    x, y, nx, ny, (uint8_t)(i / 1000 % 8), 1};
				x = nx;
				y = ny;
			} else {
				double r = pass == 1 ? 1e6 : 100;

				segs[i] = (struct braille_seg){
				    rng_coord(&rs, r), rng_coord(&rs, r),
				    rng_coord(&rs, r), rng_coord(&rs, r),
				    (uint8_t)(i % 8), (uint8_t)(i % 2)};
			}
		}
		speed_run(pass == 0   ? "a turtle's walk"
			  : pass == 1 ? "anywhere in +-1e6"
				      : "across the world",
		    segs, SPEED_SEGS);
		if (pass == 1)
			continue;
		grid_init(&g, SPEED_W, SPEED_H, 0, 0, 1);
		braille_center(&g.v, 0, 0);
		braille_draw(&g.v, segs, SPEED_SEGS);
		ref_draw(&g.v, ref, segs, SPEED_SEGS);
		for (i = 0; i < (size_t)SPEED_W * SPEED_H; i++) {
			assert_int_equal(g.v.cells[i].dots, ref[i].dots);
			assert_int_equal(g.v.cells[i].color, ref[i].color);
		}
		grid_free(&g);
	}
	free(ref);
	free(segs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_horizontal),
	    cmocka_unit_test(test_vertical),
	    cmocka_unit_test(test_diagonals),
	    cmocka_unit_test(test_square),
	    cmocka_unit_test(test_clipping),
	    cmocka_unit_test(test_zoom_in),
	    cmocka_unit_test(test_zoom_out),
	    cmocka_unit_test(test_newest_colour),
	    cmocka_unit_test(test_world_fits),
	    cmocka_unit_test(test_center),
	    cmocka_unit_test(test_points_and_hostile),
	    cmocka_unit_test(test_random_in_bounds),
	    cmocka_unit_test(test_random_pan),
	    cmocka_unit_test(test_speed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
