/*
 * test_statusline.c - the status bar keeps its parts by importance: a
 * narrow pane leaves whole parts out (the server's address first, the
 * turtle's position last), never cuts one; while not connected it claims
 * nothing only a live connection knows (cid, mode, turn, client count).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "tui.h"

#define NOW 1700000000

struct fixture {
	struct model m;
	struct net net;
	struct statusline_info si;
};

static int setup(void **);
static int teardown(void **);
static void feed(struct model *, const char *);
static const char *bar(struct fixture *, int);
static void test_wide(void **);
static void test_narrow_keeps_position(void **);
static void test_never_cut(void **);
static void test_disconnected(void **);
static void test_turns(void **);

static void
feed(struct model *m, const char *line)
{
	struct proto_msg msg;

	assert_int_equal(proto_msg_parse(line, strlen(line), &msg), 0);
	model_feed(m, &msg, NOW);
}

static int
setup(void **state)
{
	static struct fixture f;

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return -1;
	memset(&f, 0, sizeof f);
	if (model_init(&f.m, 100) != 0)
		return -1;
	model_connected(&f.m);
	feed(&f.m, "ok hello cid=1 name=alice given=alice version=1 "
		   "mode=turns");
	feed(&f.m, "snap world half_w=100 half_h=100 x=13 y=-7 "
		   "heading=0 pen=down color=red segs=0 dropped=0");
	feed(&f.m, "snap client cid=1 name=alice since=1700000000");
	feed(&f.m, "snap client cid=2 name=bob since=1700000000");
	feed(&f.m, "snap end seq=5 mode=turns turn=1 clients=2");
	f.net.state = NET_UP;
	f.si.model = &f.m;
	f.si.net = &f.net;
	f.si.addr = "unix:/run/user/1000/turtlenet/default";
	f.si.follow = 1;
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	model_free(&f->m);
	return 0;
}

static const char *
bar(struct fixture *f, int cols)
{
	static char buf[1024];
	size_t n;

	n = statusline_compose(buf, sizeof buf, cols, &f->si);
	assert_int_equal(n, strlen(buf));
	assert_true(draw_width(buf, n) <= cols);
	return buf;
}

static void
test_wide(void **state)
{
	struct fixture *f = *state;

	assert_true(f->m.synced);
	assert_string_equal(bar(f, 200),
	    " | alice (cid 1) | <13:-7> pen down red | turns: YOUR TURN"
	    " | 2 clients | unix:/run/user/1000/turtlenet/default");
}

/* 30 columns (19 after " connected"): the position and the name. */
static void
test_narrow_keeps_position(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(bar(f, 19), " | alice | <13:-7>");
	assert_string_equal(bar(f, 10), " | <13:-7>");
	assert_string_equal(bar(f, 5), "");
	assert_string_equal(
	    bar(f, 55), " | alice | <13:-7> pen down red | turns: YOUR TURN");
	assert_string_equal(bar(f, 80),
	    " | alice (cid 1) | <13:-7> pen down red | turns: YOUR TURN"
	    " | 2 clients");
}

/* Every part shown is shown whole, at every width. */
static void
test_never_cut(void **state)
{
	struct fixture *f = *state;
	const char *wide, *b, *p;
	char copy[1024];
	int cols;

	f->si.pasting = 3;
	f->si.follow = 0;
	f->si.zoom = -4;
	f->si.mine = 1;
	wide = bar(f, 500);
	snprintf(copy, sizeof copy, "%s", wide);
	for (cols = 0; cols < 200; cols++) {
		b = bar(f, cols);
		/* Each " | part" of b is one of the whole bar. */
		for (p = b; *p != '\0'; p++) {
			if (strncmp(p, " | ", 3) == 0) {
				const char *e = strstr(p + 3, " | ");
				size_t len = e ? (size_t)(e - p) : strlen(p);
				char part[256];

				snprintf(
				    part, sizeof part, "%.*s", (int)len, p);
				assert_non_null(strstr(copy, part));
			}
		}
	}
	assert_non_null(strstr(copy, " | pasting 3"));
	assert_non_null(strstr(copy, " | panned (F2)"));
	assert_non_null(strstr(copy, " | zoom 1/4"));
	assert_non_null(strstr(copy, " | mine (F6)"));
}

static void
test_disconnected(void **state)
{
	struct fixture *f = *state;

	model_disconnected(&f->m);
	f->net.state = NET_WAIT;
	assert_string_equal(bar(f, 200),
	    " | alice | <13:-7> pen down red"
	    " | unix:/run/user/1000/turtlenet/default");
	f->net.state = NET_GONE;
	assert_null(strstr(bar(f, 200), "YOUR TURN"));
	assert_null(strstr(bar(f, 200), "client"));
	assert_null(strstr(bar(f, 200), "cid"));
}

static void
test_turns(void **state)
{
	struct fixture *f = *state;

	feed(&f->m, "evt 6 turn cid=2 name=bob");
	assert_non_null(strstr(bar(f, 200), " | turns: bob | "));
	feed(&f->m, "evt 7 turn cid=0 name=\"\"");
	assert_non_null(strstr(bar(f, 200), " | turns: nobody | "));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_wide, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_narrow_keeps_position, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_never_cut, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_disconnected, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_turns, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
