/*
 * test_world.c - the turtle: moves, bounds, heading, pen, colour, trail
 * ring, home and clear; and a client's mirror built from events and from
 * the snapshot ending up equal to the master's world.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <math.h>

#include "proto.h"

struct mirror {
	struct world *w;
	int lines;
	char first[PROTO_OUT_MAX];
};

static enum proto_err apply(
    struct world *, const char *, struct proto_event *, char *);
static void assert_world_equal(const struct world *, const struct world *);
static int mirror_emit(const char *, size_t, void *);
static int refuse_emit(const char *, size_t, void *);

/* One command line, parsed and applied as the master does it. */
static enum proto_err
apply(struct world *w, const char *line, struct proto_event *ev, char *why)
{
	struct proto_cmd cmd;
	enum proto_err err;

	err = proto_parse_command(line, strlen(line), &cmd, why, PROTO_WHY_MAX);
	assert_int_equal(err, PROTO_OK);
	ev->cid = 7;
	strcpy(ev->name, "carol");
	return world_apply(w, &cmd, ev, why, PROTO_WHY_MAX);
}

static void
assert_world_equal(const struct world *a, const struct world *b)
{
	size_t i;
	const struct world_seg *sa, *sb;

	assert_int_equal(a->half_w, b->half_w);
	assert_int_equal(a->half_h, b->half_h);
	assert_int_equal(a->x, b->x);
	assert_int_equal(a->y, b->y);
	assert_int_equal(a->heading, b->heading);
	assert_int_equal(a->pen_down, b->pen_down);
	assert_int_equal(a->color, b->color);
	assert_int_equal(a->trail_len, b->trail_len);
	assert_true(a->trail_dropped == b->trail_dropped);
	for (i = 0; i < a->trail_len; i++) {
		sa = world_seg_at(a, i);
		sb = world_seg_at(b, i);
		assert_int_equal(sa->x0, sb->x0);
		assert_int_equal(sa->y0, sb->y0);
		assert_int_equal(sa->x1, sb->x1);
		assert_int_equal(sa->y1, sb->y1);
		assert_int_equal(sa->color, sb->color);
	}
}

static void
test_init(void **state)
{
	struct world w;

	(void)state;
	assert_int_equal(world_init(&w, WORLD_HALF_DEFAULT, WORLD_HALF_DEFAULT,
			     WORLD_TRAIL_DEFAULT),
	    0);
	assert_int_equal(w.x, 0);
	assert_int_equal(w.y, 0);
	assert_int_equal(w.pen_down, 1);
	assert_int_equal(w.color, PROTO_COLOR_DEFAULT);
	assert_true(w.heading == 0);
	assert_int_equal(w.pc, 7);
	assert_int_equal(w.trail_len, 0);
	assert_null(world_seg_at(&w, 0));
	world_free(&w);
	assert_null(w.trail);
	world_free(&w); /* twice is harmless */

	assert_int_equal(world_init(&w, -1, 10, 10), -1);
	assert_int_equal(world_init(&w, 10, PROTO_COORD_MAX + 1, 10), -1);
	assert_int_equal(world_init(&w, 10, 10, 0), -1);
	assert_int_equal(world_init(&w, 0, 0, 1), 0);
	world_free(&w);
}

/* The lecture's moves fit the default world; bounds are inclusive. */
static void
test_moves_and_bounds(void **state)
{
	struct world w;
	struct proto_event ev;
	char why[PROTO_WHY_MAX];

	(void)state;
	assert_int_equal(world_init(&w, 100, 50, 100), 0);
	assert_int_equal(apply(&w, "run 13 10", &ev, why), PROTO_OK);
	assert_int_equal(ev.kind, PROTO_EVT_MOVE);
	assert_int_equal(ev.cid, 7);
	assert_string_equal(ev.name, "carol");
	assert_int_equal(ev.x0, 0);
	assert_int_equal(ev.y0, 0);
	assert_int_equal(ev.x, 13);
	assert_int_equal(ev.y, 10);
	assert_int_equal(ev.pen_down, 1);
	assert_int_equal(w.x, 13);
	assert_int_equal(w.y, 10);

	assert_int_equal(apply(&w, "run 87 40", &ev, why), PROTO_OK);
	assert_int_equal(w.x, 100);
	assert_int_equal(w.y, 50);
	/* One step beyond the corner is refused, and nothing changes. */
	assert_int_equal(
	    apply(&w, "run 1 0", &ev, why), PROTO_ERR_OUT_OF_BOUNDS);
	assert_non_null(strstr(why, "leave"));
	assert_int_equal(
	    apply(&w, "run 0 1", &ev, why), PROTO_ERR_OUT_OF_BOUNDS);
	assert_int_equal(apply(&w, "run -1000000 -1000000", &ev, why),
	    PROTO_ERR_OUT_OF_BOUNDS);
	assert_int_equal(w.x, 100);
	assert_int_equal(w.y, 50);
	assert_int_equal(w.trail_len, 2);
	assert_int_equal(apply(&w, "run -200 -100", &ev, why), PROTO_OK);
	assert_int_equal(w.x, -100);
	assert_int_equal(w.y, -50);
	assert_int_equal(
	    apply(&w, "run 0 -1", &ev, why), PROTO_ERR_OUT_OF_BOUNDS);
	world_free(&w);
}

static void
test_heading(void **state)
{
	static const struct {
		const char *line;
		double heading;
	} steps[] = {
	    {"run 0 5", 0},
	    {"run 3 -1", 90},
	    {"run 0 0", 90}, /* no move keeps it */
	    {"run -2 -5", 180},
	    {"run -4 4", 270}, /* ties go east/west */
	    {"run 4 -4", 90},
	    {"run 1 2", 0},
	    {"home", 0}, /* a jump, not a move */
	    {"run -1 0", 270},
	};
	struct world w;
	struct proto_event ev;
	char why[PROTO_WHY_MAX];
	size_t i;

	(void)state;
	assert_int_equal(world_init(&w, 100, 100, 100), 0);
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		assert_int_equal(apply(&w, steps[i].line, &ev, why), PROTO_OK);
		if (w.heading != steps[i].heading)
			fail_msg("after \"%s\": %g, want %g", steps[i].line,
			    w.heading, steps[i].heading);
	}
	world_free(&w);
}

static void
test_pen_color_trail(void **state)
{
	struct world w;
	struct proto_event ev;
	char why[PROTO_WHY_MAX];
	const struct world_seg *s;

	(void)state;
	assert_int_equal(world_init(&w, 100, 100, 100), 0);
	assert_int_equal(apply(&w, "run 5 0", &ev, why), PROTO_OK);
	assert_int_equal(apply(&w, "color red", &ev, why), PROTO_OK);
	assert_int_equal(ev.kind, PROTO_EVT_COLOR);
	assert_int_equal(ev.color, PROTO_COLOR_RED);
	assert_int_equal(apply(&w, "run 0 5", &ev, why), PROTO_OK);
	assert_int_equal(ev.color, PROTO_COLOR_RED);
	assert_int_equal(apply(&w, "pen up", &ev, why), PROTO_OK);
	assert_int_equal(ev.kind, PROTO_EVT_PEN);
	assert_int_equal(ev.pen_down, 0);
	assert_int_equal(apply(&w, "run 10 10", &ev, why), PROTO_OK);
	assert_int_equal(ev.pen_down, 0);
	assert_int_equal(w.trail_len, 2); /* pen up draws nothing */
	assert_int_equal(apply(&w, "pen down", &ev, why), PROTO_OK);
	assert_int_equal(apply(&w, "run 0 0", &ev, why), PROTO_OK);
	assert_int_equal(w.trail_len, 3); /* a dot */

	s = world_seg_at(&w, 0);
	assert_int_equal(s->x0, 0);
	assert_int_equal(s->x1, 5);
	assert_int_equal(s->color, PROTO_COLOR_DEFAULT);
	s = world_seg_at(&w, 1);
	assert_int_equal(s->x0, 5);
	assert_int_equal(s->y0, 0);
	assert_int_equal(s->x1, 5);
	assert_int_equal(s->y1, 5);
	assert_int_equal(s->color, PROTO_COLOR_RED);
	s = world_seg_at(&w, 2);
	assert_int_equal(s->x0, 15);
	assert_int_equal(s->y0, 15);
	assert_int_equal(s->x1, 15);

	/* home jumps without drawing; clear erases the trail only. */
	assert_int_equal(apply(&w, "home", &ev, why), PROTO_OK);
	assert_int_equal(ev.kind, PROTO_EVT_HOME);
	assert_int_equal(ev.x, 0);
	assert_int_equal(ev.y, 0);
	assert_int_equal(w.x, 0);
	assert_int_equal(w.trail_len, 3);
	assert_int_equal(apply(&w, "run 3 3", &ev, why), PROTO_OK);
	assert_int_equal(apply(&w, "clear", &ev, why), PROTO_OK);
	assert_int_equal(ev.kind, PROTO_EVT_CLEAR);
	assert_int_equal(w.trail_len, 0);
	assert_int_equal(w.x, 3);
	assert_int_equal(w.color, PROTO_COLOR_RED);
	assert_int_equal(w.pen_down, 1);

	/* say changes nothing but yields its event. */
	assert_int_equal(apply(&w, "say  hi there", &ev, why), PROTO_OK);
	assert_int_equal(ev.kind, PROTO_EVT_SAY);
	assert_string_equal(ev.text, " hi there");
	assert_int_equal(apply(&w, "who", &ev, why), PROTO_ERR_USAGE);
	world_free(&w);
}

/* A full trail forgets its oldest segment and counts it. */
static void
test_ring(void **state)
{
	struct world w;
	struct proto_event ev;
	char why[PROTO_WHY_MAX];
	int i;

	(void)state;
	assert_int_equal(world_init(&w, 100, 100, 4), 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(apply(&w, "run 1 0", &ev, why), PROTO_OK);
	assert_int_equal(w.trail_len, 4);
	assert_int_equal(w.trail_dropped, 6);
	for (i = 0; i < 4; i++)
		assert_int_equal(world_seg_at(&w, (size_t)i)->x0, 6 + i);
	assert_null(world_seg_at(&w, 4));
	assert_int_equal(apply(&w, "clear", &ev, why), PROTO_OK);
	assert_int_equal(w.trail_len, 0);
	assert_int_equal(w.trail_dropped, 6);
	assert_int_equal(apply(&w, "run -1 0", &ev, why), PROTO_OK);
	assert_int_equal(world_seg_at(&w, 0)->x0, 10);
	world_free(&w);
}

static int
mirror_emit(const char *line, size_t len, void *arg)
{
	struct mirror *mi = arg;
	struct proto_msg m;

	assert_true(len > 0 && line[len - 1] == '\n');
	if (mi->lines == 0) {
		memcpy(mi->first, line, len);
		mi->first[len] = '\0';
	}
	mi->lines++;
	assert_int_equal(proto_msg_parse(line, len, &m), 0);
	return world_apply_snap(mi->w, &m);
}

/*
 * The master's world, a client mirroring its events, and a late client
 * built from the snapshot all end up the same.
 */
static void
test_mirrors(void **state)
{
	static const char *const script[] = {"run 13 10", "color blue",
	    "run -20 0", "pen up", "run 0 -30", "pen down", "color green",
	    "run 4 4", "run 1 -7", "home", "run 2 2", "run 99 0", "run 1 1",
	    "color cyan", "run 0 0"};
	struct world master, live, late;
	struct mirror mi;
	struct proto_event ev, back;
	struct proto_msg m;
	char why[PROTO_WHY_MAX], line[PROTO_OUT_MAX];
	struct proto_buf b;
	size_t i;

	(void)state;
	assert_int_equal(world_init(&master, 100, 60, 5), 0);
	assert_int_equal(world_init(&live, 100, 60, 5), 0);
	assert_int_equal(world_init(&late, 1, 1, 50), 0);
	for (i = 0; i < sizeof script / sizeof script[0]; i++) {
		if (apply(&master, script[i], &ev, why) != PROTO_OK)
			continue; /* "run 99 0" leaves this world */
		proto_buf_init(&b, line, sizeof line);
		assert_int_equal(proto_event_format(&b, i + 1, &ev), 0);
		assert_int_equal(proto_msg_parse(b.p, b.len, &m), 0);
		assert_int_equal(proto_event_from_msg(&m, &back), 0);
		world_apply_event(&live, &back);
	}
	assert_true(master.trail_dropped > 0);
	assert_world_equal(&master, &live);

	mi.w = &late;
	mi.lines = 0;
	assert_int_equal(world_snapshot(&master, mirror_emit, &mi), 0);
	assert_true(mi.lines > 1 && mi.lines <= 1 + (int)master.trail_len);
	assert_string_equal(mi.first,
	    "snap world half_w=100 half_h=60 x=3 y=3 heading=90 pen=down "
	    "color=cyan pc=3 segs=5 dropped=2\n");
	assert_world_equal(&master, &late);

	world_free(&master);
	world_free(&live);
	world_free(&late);
}

static int
refuse_emit(const char *line, size_t len, void *arg)
{
	(void)line;
	(void)len;
	(*(int *)arg)++;
	return -1;
}

static void
test_snapshot_refusals(void **state)
{
	static const char *const bad[] = {
	    "snap world half_w=100 half_h=100 x=0 y=0 heading=0 "
	    "pen=down color=red segs=0",
	    "snap world half_w=100 half_h=100 x=101 y=0 heading=0 "
	    "pen=down color=red segs=0 dropped=0",
	    "snap world half_w=-1 half_h=100 x=0 y=0 heading=0 "
	    "pen=down color=red segs=0 dropped=0",
	    "snap world half_w=100 half_h=100 x=0 y=0 heading=up "
	    "pen=down color=red segs=0 dropped=0",
	    "snap world half_w=100 half_h=100 x=0 y=0 heading=1e3 "
	    "pen=down color=red segs=0 dropped=0",
	    "snap world half_w=100 half_h=100 x=0,5 y=0 heading=0 "
	    "pen=down color=red segs=0 dropped=0",
	    "snap world half_w=100 half_h=100 x=0 y=0 heading=0 "
	    "pen=sideways color=red segs=0 dropped=0",
	    "snap world half_w=100 half_h=100 x=0 y=0 heading=0 "
	    "pen=down color=pink segs=0 dropped=0",
	    "snap seg x0=0 y0=0 x1=1 y1=1 color=red",
	    "snap path cid=1 color=red pts=0,0",
	    "snap path cid=1 color=red pts=0,0;1",
	    "snap path cid=1 color=red pts=0,0;1,1;",
	    "snap path cid=1 color=red pts=0,0;1,99999999",
	    "snap path cid=1 color=red pts=0,0;1.,1",
	    "snap path cid=1 color=red pts=0,0;1e2,1",
	    "snap path cid=-1 color=red pts=0,0;1,1",
	    "snap path cid=1 color=\"\" pts=0,0;1,1",
	    "snap path cid=1 color=red",
	    "snap end seq=1",
	    "evt 1 clear cid=1 name=a",
	};
	struct world w;
	struct proto_msg m;
	size_t i;
	int calls = 0;

	(void)state;
	assert_int_equal(world_init(&w, 10, 10, 10), 0);
	w.x = 3;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(
		    proto_msg_parse(bad[i], strlen(bad[i]), &m), 0);
		if (world_apply_snap(&w, &m) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(w.x, 3);
	assert_int_equal(w.half_w, 10);
	assert_int_equal(w.trail_len, 0);
	/* An emit that fails stops the snapshot at once. */
	assert_int_equal(world_snapshot(&w, refuse_emit, &calls), -1);
	assert_int_equal(calls, 1);
	world_free(&w);
}

struct paths {
	struct world *w;
	int lines;
	size_t longest;
};

static void
paths_start(struct proto_buf *b, int cid, void *arg)
{
	(void)arg;
	proto_fmt_snap(b, "path");
	proto_fmt_int(b, "cid", cid);
}

static int
paths_emit(const char *line, size_t len, void *arg)
{
	struct paths *p = arg;
	struct proto_msg m;

	p->lines++;
	if (len > p->longest)
		p->longest = len;
	assert_int_equal(proto_msg_parse(line, len, &m), 0);
	return world_apply_path(p->w, &m);
}

/*
 * Float segments go out as polylines and come back the same (to 1e-4): a
 * line breaks where the colour or author changes, where a segment does
 * not start at the last one's end, and before PROTO_OUT_MAX.
 */
static void
test_paths(void **state)
{
	struct world a, b;
	struct paths p = {&b, 0, 0};
	const struct world_seg *s, *t;
	double x = 0, y = 0, nx, ny;
	size_t i;

	(void)state;
	assert_int_equal(world_init(&a, 100, 100, 5000), 0);
	assert_int_equal(world_init(&b, 100, 100, 5000), 0);
	for (i = 0; i < 3000; i++) {
		nx = 90 * sin((double)i / 100) + 0.123456;
		ny = -90 * cos((double)i / 70) - 0.000049;
		if (i % 1000 == 500) /* a jump: a new polyline */
			x = -x;
		world_add_seg(&a, x, y, nx, ny,
		    i < 2000 ? PROTO_COLOR_RED : PROTO_COLOR_BLUE,
		    i < 2500 ? 3 : 4);
		x = nx;
		y = ny;
	}
	assert_int_equal(
	    world_paths(&a, 0, a.trail_len, paths_start, paths_emit, &p), 0);
	assert_int_equal(b.trail_len, a.trail_len);
	assert_true(p.longest <= PROTO_OUT_MAX);
	/* 3000 points of about 16 bytes need more than 20 lines. */
	assert_true(p.lines > 20);
	for (i = 0; i < a.trail_len; i++) {
		s = world_seg_at(&a, i);
		t = world_seg_at(&b, i);
		assert_true(fabs(s->x0 - t->x0) < 1e-4);
		assert_true(fabs(s->y0 - t->y0) < 1e-4);
		assert_true(fabs(s->x1 - t->x1) < 1e-4);
		assert_true(fabs(s->y1 - t->y1) < 1e-4);
		assert_int_equal(s->color, t->color);
		assert_int_equal(s->cid, t->cid);
	}
	/* A part of the trail: only those. */
	world_clear_trail(&b);
	p.lines = 0;
	assert_int_equal(
	    world_paths(&a, 2990, 3000, paths_start, paths_emit, &p), 0);
	assert_int_equal(p.lines, 1);
	assert_int_equal(b.trail_len, 10);
	world_free(&a);
	world_free(&b);
}

/* Decimals as the wire has them, whatever the locale. */
static void
test_decimal(void **state)
{
	static const struct {
		double v;
		int places;
		const char *want;
	} out[] = {
	    {0, 6, "0"},
	    {-0.0, 6, "0"},
	    {-0.0000001, 6, "0"},
	    {13, 6, "13"},
	    {-13, 6, "-13"},
	    {0.5, 6, "0.5"},
	    {-0.5, 6, "-0.5"},
	    {1.0 / 3, 6, "0.333333"},
	    {2.0 / 3, 6, "0.666667"},
	    {99.9999996, 6, "100"},
	    {12.34567, 4, "12.3457"},
	    {359.9999999, 6, "360"},
	    {1e12, 6, "1000000000"},
	};
	static const char *const bad[] = {"", "-", ".5", "5.", "1e3", "+1",
	    "0x10", "1,5", "--1", "1 ", "1234567890123", "0.1234567890"};
	char buf[PROTO_DECIMAL_LEN];
	double d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof out / sizeof out[0]; i++) {
		proto_decimal_format(buf, sizeof buf, out[i].v, out[i].places);
		assert_string_equal(buf, out[i].want);
	}
	assert_int_equal(proto_decimal_parse("-12.25", 6, &d), 0);
	assert_true(d == -12.25);
	assert_int_equal(proto_decimal_parse("0.1", 3, &d), 0);
	assert_true(d == 0.1);
	assert_int_equal(proto_decimal_parse("-0", 2, &d), 0);
	assert_true(d == 0 && !signbit(d));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (proto_decimal_parse(bad[i], strlen(bad[i]), &d) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init),
	    cmocka_unit_test(test_moves_and_bounds),
	    cmocka_unit_test(test_heading),
	    cmocka_unit_test(test_pen_color_trail),
	    cmocka_unit_test(test_ring),
	    cmocka_unit_test(test_mirrors),
	    cmocka_unit_test(test_snapshot_refusals),
	    cmocka_unit_test(test_paths),
	    cmocka_unit_test(test_decimal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
