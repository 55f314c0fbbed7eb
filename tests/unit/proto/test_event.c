/*
 * test_event.c - every event kind as an evt line and as a snap log line,
 * and back; and the refusal of events with unsound fields.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "proto.h"

static void sample_event(enum proto_evt_kind, struct proto_event *);
static void assert_event_equal(
    const struct proto_event *, const struct proto_event *);
static int event_from_line(const char *, struct proto_event *);

/* An event of each kind with every field it carries set. */
static void
sample_event(enum proto_evt_kind kind, struct proto_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->kind = kind;
	switch (kind) {
	case PROTO_EVT_RESYNC:
		ev->dropped = UINT64_MAX - 1;
		return;
	case PROTO_EVT_SHUTDOWN:
		strcpy(ev->text, "server stopping");
		return;
	default:
		break;
	}
	ev->cid = 1000 + (int)kind;
	strcpy(ev->name, "alice.B-2");
	switch (kind) {
	case PROTO_EVT_MOVE:
		ev->x0 = -PROTO_COORD_MAX;
		ev->y0 = 17;
		ev->x = 13;
		ev->y = PROTO_COORD_MAX;
		ev->pen_down = 1;
		ev->color = PROTO_COLOR_MAGENTA;
		break;
	case PROTO_EVT_SAY:
		strcpy(ev->text, "  hi \"you\" \\ caf\xc3\xa9 k=v  ");
		break;
	case PROTO_EVT_PEN:
		ev->pen_down = 0;
		break;
	case PROTO_EVT_COLOR:
		ev->color = PROTO_COLOR_WHITE;
		break;
	case PROTO_EVT_HOME:
		ev->x = 0;
		ev->y = 0;
		break;
	case PROTO_EVT_LEAVE:
		strcpy(ev->text, "slow-consumer");
		break;
	case PROTO_EVT_TURTLE:
		ev->x = -12.5;
		ev->y = 99.000001;
		ev->heading = 359.5;
		ev->pen_down = 1;
		ev->color = PROTO_COLOR_CYAN;
		ev->pc = 11;
		ev->segs = 250000;
		ev->cleared = 1;
		break;
	case PROTO_EVT_DEFINE:
	case PROTO_EVT_ERASE:
		strcpy(ev->proc, "square.2");
		break;
	case PROTO_EVT_RENAME:
		strcpy(ev->old, "guest");
		break;
	default:
		break;
	}
}

static void
assert_event_equal(const struct proto_event *a, const struct proto_event *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->cid, b->cid);
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->old, b->old);
	assert_true(a->x0 == b->x0);
	assert_true(a->y0 == b->y0);
	assert_true(a->x == b->x);
	assert_true(a->y == b->y);
	assert_int_equal(a->pen_down, b->pen_down);
	assert_int_equal(a->color, b->color);
	assert_true(a->dropped == b->dropped);
	assert_string_equal(a->text, b->text);
	assert_true(a->heading == b->heading);
	assert_int_equal(a->pc, b->pc);
	assert_true(a->segs == b->segs);
	assert_int_equal(a->cleared, b->cleared);
	assert_string_equal(a->proc, b->proc);
}

static int
event_from_line(const char *line, struct proto_event *ev)
{
	struct proto_msg m;

	if (proto_msg_parse(line, strlen(line), &m) != 0)
		return -1;
	return proto_event_from_msg(&m, ev);
}

static void
test_words(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < PROTO_EVT__COUNT; k++) {
		assert_non_null(proto_evt_word((enum proto_evt_kind)k));
		assert_int_equal(
		    proto_evt_from_word(proto_evt_word((enum proto_evt_kind)k)),
		    k);
	}
	assert_null(proto_evt_word(PROTO_EVT__COUNT));
	assert_int_equal(proto_evt_from_word("moved"), -1);
	assert_int_equal(proto_evt_from_word(NULL), -1);
	assert_true(proto_evt_loggable(PROTO_EVT_SAY));
	assert_true(proto_evt_loggable(PROTO_EVT_MOVE));
	assert_true(proto_evt_loggable(PROTO_EVT_JOIN));
	assert_false(proto_evt_loggable(PROTO_EVT_RESYNC));
	assert_false(proto_evt_loggable(PROTO_EVT_SHUTDOWN));
}

/* The exact lines the spec agreed on. */
static void
test_lines(void **state)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;
	struct proto_event ev;

	(void)state;
	sample_event(PROTO_EVT_MOVE, &ev);
	ev.x0 = 0;
	ev.y0 = 0;
	ev.x = 13;
	ev.y = 10;
	proto_buf_init(&b, line, sizeof line);
	assert_int_equal(proto_event_format(&b, 5, &ev), 0);
	assert_string_equal(line, "evt 5 move cid=1000 name=alice.B-2 x0=0 "
				  "y0=0 x=13 y=10 pen=down color=magenta\n");
	proto_buf_init(&b, line, sizeof line);
	assert_int_equal(proto_event_format_snap(&b, 5, 1795000000, &ev), 0);
	assert_string_equal(line,
	    "snap log seq=5 time=1795000000 kind=move cid=1000 "
	    "name=alice.B-2 x0=0 y0=0 x=13 y=10 pen=down color=magenta\n");

	memset(&ev, 0, sizeof ev);
	ev.kind = PROTO_EVT_TURN;
	proto_buf_init(&b, line, sizeof line);
	assert_int_equal(proto_event_format(&b, 6, &ev), 0);
	assert_string_equal(line, "evt 6 turn cid=0 name=\"\"\n");

	sample_event(PROTO_EVT_RESYNC, &ev);
	ev.dropped = 12;
	proto_buf_init(&b, line, sizeof line);
	assert_int_equal(proto_event_format(&b, 7, &ev), 0);
	assert_string_equal(line, "evt 7 resync dropped=12\n");

	sample_event(PROTO_EVT_SAY, &ev);
	proto_buf_init(&b, line, sizeof line);
	assert_int_equal(proto_event_format(&b, 8, &ev), 0);
	assert_string_equal(line, "evt 8 say cid=1001 name=alice.B-2 text=\"  "
				  "hi \\\"you\\\" \\\\ caf\xc3\xa9 k=v  \"\n");
}

/* Every kind, both line forms, back to the same struct. */
static void
test_round_trip_every_kind(void **state)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;
	struct proto_event ev, back;
	struct proto_msg m;
	long long seq;
	int k;

	(void)state;
	for (k = 0; k < PROTO_EVT__COUNT; k++) {
		sample_event((enum proto_evt_kind)k, &ev);

		proto_buf_init(&b, line, sizeof line);
		assert_int_equal(proto_event_format(&b, 1234, &ev), 0);
		assert_int_equal(proto_msg_parse(b.p, b.len, &m), 0);
		assert_int_equal(m.type, PROTO_MSG_EVT);
		assert_int_equal(m.seq, 1234);
		assert_int_equal(proto_event_from_msg(&m, &back), 0);
		assert_event_equal(&ev, &back);

		proto_buf_init(&b, line, sizeof line);
		assert_int_equal(proto_event_format_snap(&b, 99, 42, &ev), 0);
		assert_int_equal(proto_msg_parse(b.p, b.len, &m), 0);
		assert_int_equal(m.type, PROTO_MSG_SNAP);
		assert_int_equal(
		    proto_msg_get_int(&m, "seq", 0, 1000, &seq), 0);
		assert_int_equal(seq, 99);
		assert_int_equal(
		    proto_msg_get_int(&m, "time", 0, 1000, &seq), 0);
		assert_int_equal(seq, 42);
		assert_int_equal(proto_event_from_msg(&m, &back), 0);
		assert_event_equal(&ev, &back);
	}
}

/* The longest say text still fits a line, quotes and all. */
static void
test_longest_say(void **state)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;
	struct proto_event ev, back;
	struct proto_msg m;

	(void)state;
	sample_event(PROTO_EVT_SAY, &ev);
	memset(ev.text, '"', PROTO_TEXT_MAX);
	ev.text[PROTO_TEXT_MAX] = '\0';
	strcpy(ev.name, "abcdefghijklmnopqrstuvwxyz012345");
	proto_buf_init(&b, line, sizeof line);
	assert_int_equal(proto_event_format(&b, UINT64_MAX, &ev), 0);
	assert_int_equal(proto_msg_parse(b.p, b.len, &m), 0);
	assert_int_equal(proto_event_from_msg(&m, &back), 0);
	assert_event_equal(&ev, &back);
}

/*
 * Say text with format characters, which turtled refuses but an older one
 * let through, is read (every display escapes it), raw or escaped on the
 * wire; formatted again it travels escaped.
 */
static void
test_reads_format_characters(void **state)
{
	char line[PROTO_OUT_MAX];
	struct proto_event ev;
	struct proto_buf b;

	(void)state;
	assert_int_equal(event_from_line("evt 4 say cid=2 name=m "
					 "text=\"a\xe2\x80\xae"
					 "b\xe2\x80\x8b\"",
			     &ev),
	    0);
	assert_string_equal(ev.text, "a\xe2\x80\xae"
				     "b\xe2\x80\x8b");
	assert_int_equal(event_from_line("evt 4 say cid=2 name=m "
					 "text=\"a\\xe2\\x80\\xaeb\"",
			     &ev),
	    0);
	assert_string_equal(ev.text, "a\xe2\x80\xae"
				     "b");
	proto_buf_init(&b, line, sizeof line);
	assert_int_equal(proto_event_format(&b, 4, &ev), 0);
	assert_string_equal(
	    line, "evt 4 say cid=2 name=m text=\"a\\xe2\\x80\\xaeb\"\n");
	/* Not in a name, which is ASCII. */
	assert_int_equal(event_from_line("evt 4 join cid=2 "
					 "name=\"\xe2\x80\xae"
					 "m\"",
			     &ev),
	    -1);
}

static void
test_refuses_unsound(void **state)
{
	static const char *const bad[] = {
	    "ok run x=1 y=2",
	    "snap world x=1",
	    "snap log seq=1",
	    "snap log seq=1 kind=nope cid=1 name=a",
	    "evt 1 nope cid=1 name=a",
	    "evt 1 join name=a",
	    "evt 1 join cid=1",
	    "evt 1 join cid=-1 name=a",
	    "evt 1 join cid=x name=a",
	    "evt 1 join cid=1 name=\"\"",
	    "evt 1 join cid=1 name=\"a b\"",
	    "evt 1 join cid=1 name=\"\\x1b[2J\"",
	    "evt 1 turn cid=3 name=\"\"",
	    "evt 1 move cid=1 name=a x0=0 y0=0 x=1 y=1 pen=down",
	    "evt 1 move cid=1 name=a x0=0 y0=0 x=1 y=1 pen=side color=red",
	    "evt 1 move cid=1 name=a x0=0 y0=0 x=1 y=1 pen=up color=pink",
	    ("evt 1 move cid=1 name=a x0=0 y0=0 x=1000001 y=1 pen=up "
	     "color=red"),
	    "evt 1 move cid=1 name=a y0=0 x=1 y=1 pen=up color=red",
	    "evt 1 home cid=1 name=a x=0",
	    "evt 1 say cid=1 name=a",
	    "evt 1 say cid=1 name=a text=\"\\x1b[2J\"",
	    "evt 1 say cid=1 name=a text=\"\\xff\"",
	    "evt 1 say cid=1 name=a text=\"\\xc2\\x9b\"",
	    "evt 1 rename cid=1 name=a old=\"\"",
	    "evt 1 pen cid=1 name=a",
	    "evt 1 color cid=1 name=a color=RED",
	    "evt 1 resync",
	    "evt 1 resync dropped=-1",
	    "evt 1 shutdown",
	    "evt 1 leave cid=1 name=a reason=\"\\x07\"",
	};
	struct proto_event ev;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (event_from_line(bad[i], &ev) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(event_from_line("evt 1 turn cid=0 name=\"\"", &ev), 0);
	assert_int_equal(ev.kind, PROTO_EVT_TURN);
	assert_int_equal(ev.cid, 0);
	/* Unknown extra fields are for later versions: ignored. */
	assert_int_equal(
	    event_from_line("evt 1 join cid=2 name=bob since=5", &ev), 0);
	assert_string_equal(ev.name, "bob");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_words),
	    cmocka_unit_test(test_lines),
	    cmocka_unit_test(test_round_trip_every_kind),
	    cmocka_unit_test(test_longest_say),
	    cmocka_unit_test(test_reads_format_characters),
	    cmocka_unit_test(test_refuses_unsound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
