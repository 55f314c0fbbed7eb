/*
 * test_logfmt.c - events as the log pane and --watch show them: one
 * sentence per kind, and no byte from the network reaching the terminal
 * unescaped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tui.h"

static struct proto_event make_event(enum proto_evt_kind, const char *);
static void assert_clean(const char *);
static void test_move(void **);
static void test_say(void **);
static void test_pen_color_home_clear(void **);
static void test_join_leave_rename(void **);
static void test_turn(void **);
static void test_resync_shutdown(void **);
static void test_escape_control_in_text(void **);
static void test_escape_invisible_in_text(void **);
static void test_escape_invalid_utf8(void **);
static void test_escape_in_names(void **);
static void test_every_kind_clean(void **);
static void test_truncation(void **);
static void test_time(void **);

static struct proto_event
make_event(enum proto_evt_kind kind, const char *name)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = kind;
	ev.cid = 3;
	snprintf(ev.name, sizeof ev.name, "%s", name);
	return ev;
}

/*
 * Nothing a terminal would act on or hide: valid UTF-8 without C0, DEL,
 * C1 or format characters, which is exactly what proto_text_valid()
 * accepts.
 */
static void
assert_clean(const char *s)
{
	assert_int_equal(proto_text_valid(s, strlen(s)), 0);
}

static void
test_move(void **state)
{
	struct proto_event ev = make_event(PROTO_EVT_MOVE, "alice");
	char out[256];
	size_t n;

	(void)state;
	ev.x0 = 0;
	ev.y0 = 0;
	ev.x = 13;
	ev.y = 10;
	ev.pen_down = 1;
	n = logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "alice moved to <13:10>");
	assert_int_equal(n, strlen(out));

	ev.x = -4;
	ev.y = -100;
	ev.pen_down = 0;
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "alice moved to <-4:-100> (pen up)");
}

static void
test_say(void **state)
{
	struct proto_event ev = make_event(PROTO_EVT_SAY, "bob");
	char out[256];

	(void)state;
	snprintf(ev.text, sizeof ev.text, "hello world");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "bob: hello world");

	/* Valid UTF-8 is kept as it is. */
	snprintf(
	    ev.text, sizeof ev.text, "gr\xc3\xbc\xc3\x9f dich \xe2\x96\xb2");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "bob: gr\xc3\xbc\xc3\x9f dich \xe2\x96\xb2");

	/* A backslash that would pass for an escape is doubled, so an
	 * escape cannot be faked; any other shows as typed. */
	snprintf(ev.text, sizeof ev.text, "a\\x1b b");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "bob: a\\\\x1b b");
	snprintf(ev.text, sizeof ev.text, "a\\u{202E} b");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "bob: a\\\\u{202E} b");
	snprintf(ev.text, sizeof ev.text, "C:\\temp\\x1 \\\\");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "bob: C:\\temp\\x1 \\\\");
}

static void
test_pen_color_home_clear(void **state)
{
	struct proto_event ev;
	char out[256];

	(void)state;
	ev = make_event(PROTO_EVT_PEN, "alice");
	ev.pen_down = 0;
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "alice lifted the pen");
	ev.pen_down = 1;
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "alice put down the pen");

	ev = make_event(PROTO_EVT_COLOR, "alice");
	ev.color = PROTO_COLOR_RED;
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "alice switched to red");
	ev.color = 99; /* out of range from a confused peer */
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "alice switched to default");

	ev = make_event(PROTO_EVT_HOME, "carol");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "carol sent the turtle home to <0:0>");

	ev = make_event(PROTO_EVT_CLEAR, "carol");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "carol cleared the trail");
}

static void
test_join_leave_rename(void **state)
{
	struct proto_event ev;
	char out[256];

	(void)state;
	ev = make_event(PROTO_EVT_JOIN, "carol");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "carol joined");

	ev = make_event(PROTO_EVT_LEAVE, "carol");
	snprintf(ev.text, sizeof ev.text, "slow-consumer");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "carol left (slow-consumer)");
	ev.text[0] = '\0';
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "carol left");

	ev = make_event(PROTO_EVT_RENAME, "dave");
	snprintf(ev.old, sizeof ev.old, "guest-2");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "guest-2 is now known as dave");
}

static void
test_turn(void **state)
{
	struct proto_event ev = make_event(PROTO_EVT_TURN, "alice");
	char out[256];

	(void)state;
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "alice has the turn");
	ev = make_event(PROTO_EVT_TURN, "");
	ev.cid = 0;
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "nobody has the turn");
}

static void
test_resync_shutdown(void **state)
{
	struct proto_event ev = make_event(PROTO_EVT_RESYNC, "");
	char out[256];

	(void)state;
	ev.dropped = 1234;
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(
	    out, "too slow: 1234 events dropped, view resynced");

	ev = make_event(PROTO_EVT_SHUTDOWN, "");
	snprintf(ev.text, sizeof ev.text, "signal");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "server shutting down (signal)");
	ev.text[0] = '\0';
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "server shutting down");
}

static void
test_escape_control_in_text(void **state)
{
	struct proto_event ev = make_event(PROTO_EVT_SAY, "mallory");
	char out[512];

	(void)state;
	/* Clear screen, set the window title, ring the bell. */
	snprintf(ev.text, sizeof ev.text,
	    "\x1b[2J\x1b]0;owned\x07 hi\r\n\x7f\xc2\x9b");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out,
	    "mallory: \\x1b[2J\\x1b]0;owned\\x07 hi\\x0d\\x0a\\x7f\\u{009B}");
	assert_clean(out);
	assert_null(strchr(out, '\x1b'));
}

/* Bidirectional overrides and invisible characters show as \u{XXXX}. */
static void
test_escape_invisible_in_text(void **state)
{
	struct proto_event ev = make_event(PROTO_EVT_SAY, "mallory");
	char out[512];

	(void)state;
	/* RLO, ZWSP, an isolate, LRM, a line separator, the BOM. */
	snprintf(ev.text, sizeof ev.text,
	    "a\xe2\x80\xae"
	    "b\xe2\x80\x8b"
	    "c\xe2\x81\xa6"
	    "d\xe2\x80\x8e"
	    "e\xe2\x80\xa8"
	    "f\xef\xbb\xbf"
	    "g");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "mallory: a\\u{202E}b\\u{200B}c\\u{2066}"
				 "d\\u{200E}e\\u{2028}f\\u{FEFF}g");
	assert_clean(out);
}

static void
test_escape_invalid_utf8(void **state)
{
	struct proto_event ev = make_event(PROTO_EVT_SAY, "mallory");
	char out[512];

	(void)state;
	/* A lone continuation, an overlong '/', a surrogate, a cut-off lead. */
	snprintf(
	    ev.text, sizeof ev.text, "a\x80 b\xc0\xaf c\xed\xa0\x80 d\xe2\x96");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "mallory: a\\x80 b\\xc0\\xaf "
				 "c\\xed\\xa0\\x80 d\\xe2\\x96");
	assert_clean(out);

	/* A reason on leave and shutdown is escaped the same way. */
	ev = make_event(PROTO_EVT_LEAVE, "mallory");
	snprintf(ev.text, sizeof ev.text, "\x1b[31mred\xff");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "mallory left (\\x1b[31mred\\xff)");
	ev = make_event(PROTO_EVT_SHUTDOWN, "");
	snprintf(ev.text, sizeof ev.text,
	    "\x1b"
	    "c");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "server shutting down (\\x1bc)");
}

static void
test_escape_in_names(void **state)
{
	struct proto_event ev = make_event(PROTO_EVT_JOIN, "\x1b[5mX\xfe");
	char out[512];

	(void)state;
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "\\x1b[5mX\\xfe joined");

	ev = make_event(PROTO_EVT_RENAME, "new\x07");
	snprintf(ev.old, sizeof ev.old, "old\x1b");
	logfmt_event(out, sizeof out, &ev);
	assert_string_equal(out, "old\\x1b is now known as new\\x07");

	/* A name without its terminator is read only up to its size. */
	ev = make_event(PROTO_EVT_SAY, "");
	memset(ev.name, 'n', sizeof ev.name);
	snprintf(ev.text, sizeof ev.text, "x");
	logfmt_event(out, sizeof out, &ev);
	assert_int_equal(strlen(out), sizeof ev.name + strlen(": x"));
}

/* Every kind, with hostile bytes in every string, yields a clean line. */
static void
test_every_kind_clean(void **state)
{
	struct proto_event ev;
	char out[2048];
	int kind;

	(void)state;
	for (kind = 0; kind < PROTO_EVT__COUNT; kind++) {
		ev = make_event((enum proto_evt_kind)kind,
		    "\x1b]2;t\x07\xe2\x80\xae\xe2\x80\x8b");
		snprintf(ev.old, sizeof ev.old,
		    "\x9b"
		    "31m");
		memset(ev.text, '\x1b', PROTO_TEXT_MAX);
		ev.text[PROTO_TEXT_MAX] = '\0';
		logfmt_event(out, sizeof out, &ev);
		assert_true(out[0] != '\0');
		assert_clean(out);
		assert_null(strstr(out, "\xc2\x9b"));
		assert_null(strstr(out, "\xe2\x80\xae"));
	}
}

/* A short buffer cuts at a character, never inside one or an escape. */
static void
test_truncation(void **state)
{
	struct proto_event ev = make_event(PROTO_EVT_SAY, "bob");
	char out[8];
	size_t n;

	(void)state;
	/* "bob: " then three-byte characters: 5 + 2*3 = 11 > 7. */
	snprintf(ev.text, sizeof ev.text, "\xe2\x96\xb2\xe2\x96\xb2");
	n = logfmt_event(out, sizeof out, &ev);
	assert_int_equal(n, strlen(out));
	assert_string_equal(out, "bob: ");

	n = logfmt_event(out, 1, &ev);
	assert_int_equal(n, 0);
	assert_string_equal(out, "");
	assert_int_equal(logfmt_event(NULL, 0, &ev), 0);
}

static void
test_time(void **state)
{
	char out[16];
	struct tm tm;
	time_t t = 1700000000;

	(void)state;
	logfmt_time(out, sizeof out, t);
	assert_non_null(localtime_r(&t, &tm));
	assert_int_equal(strlen(out), 8);
	assert_int_equal(out[2], ':');
	assert_int_equal(out[5], ':');
	assert_int_equal((out[0] - '0') * 10 + (out[1] - '0'), tm.tm_hour);
	assert_int_equal((out[3] - '0') * 10 + (out[4] - '0'), tm.tm_min);
	assert_int_equal((out[6] - '0') * 10 + (out[7] - '0'), tm.tm_sec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_move),
	    cmocka_unit_test(test_say),
	    cmocka_unit_test(test_pen_color_home_clear),
	    cmocka_unit_test(test_join_leave_rename),
	    cmocka_unit_test(test_turn),
	    cmocka_unit_test(test_resync_shutdown),
	    cmocka_unit_test(test_escape_control_in_text),
	    cmocka_unit_test(test_escape_invisible_in_text),
	    cmocka_unit_test(test_escape_invalid_utf8),
	    cmocka_unit_test(test_escape_in_names),
	    cmocka_unit_test(test_every_kind_clean),
	    cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
