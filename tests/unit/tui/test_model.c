/*
 * test_model.c - the client's mirror of the server, fed server lines as
 * they come off the wire: hello and snapshot, events, replies, errors,
 * lost events, resync and reconnecting to a restarted server, and Logo
 * (procedures and their titles, printed lines, errors, the open input).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tui.h"

#define NOW 1700000000

static int feed(struct model *, const char *);
static const char *last_text(const struct model *);
static int log_has(const struct model *, const char *);
static void hello(struct model *, uint64_t);
static int setup(void **);
static int teardown(void **);
static void test_hello_snapshot(void **);
static void test_events_before_hello_ignored(void **);
static void test_move_and_log(void **);
static void test_join_leave_rename_turn(void **);
static void test_gap_detected(void **);
static void test_unreadable_event(void **);
static void test_resync_rebuilds(void **);
static void test_reconnect_dedups_log(void **);
static void test_restarted_server(void **);
static void test_history_times(void **);
static void test_replies_and_errors(void **);
static void test_hello_refused(void **);
static void test_escaping(void **);
static void test_log_ring(void **);
static void test_quit_and_bad_snapshot(void **);
static void test_logo(void **);

static int
feed(struct model *m, const char *line)
{
	struct proto_msg msg;

	assert_int_equal(proto_msg_parse(line, strlen(line), &msg), 0);
	return model_feed(m, &msg, NOW);
}

static const char *
last_text(const struct model *m)
{
	const struct model_line *l = model_line_at(m, m->log_len - 1);

	assert_non_null(l);
	return l->text;
}

static int
log_has(const struct model *m, const char *text)
{
	size_t i;
	int n = 0;

	for (i = 0; i < m->log_len; i++) {
		if (strstr(model_line_at(m, i)->text, text) != NULL)
			n++;
	}
	return n;
}

/* A hello and a snapshot of a world with one segment, two clients. */
static void
hello(struct model *m, uint64_t seq)
{
	char line[256];
	int f;

	model_connected(m);
	feed(m, "evt 1 join cid=2 name=bob");
	f = feed(m, "ok hello cid=2 name=bob given=bob version=1 mode=free");
	assert_true(f & MODEL_CHG_STATUS);
	feed(m, "snap world half_w=10 half_h=5 x=3 y=2 heading=90 pen=down "
		"color=red segs=1 dropped=0");
	feed(m, "snap path cid=1 color=red pts=0,0;3,2");
	feed(m, "snap client cid=1 name=alice since=1699999000");
	feed(m, "snap client cid=2 name=bob since=1699999999");
	feed(m, "snap log seq=1 kind=join cid=1 name=alice");
	feed(m, "snap log seq=2 kind=move cid=1 name=alice x0=0 y0=0 x=3 y=2 "
		"pen=down color=red");
	snprintf(line, sizeof line,
	    "snap end seq=%llu mode=free turn=0 clients=2",
	    (unsigned long long)seq);
	f = feed(m, line);
	assert_true(f & MODEL_SYNCED);
}

static int
setup(void **state)
{
	static struct model m;

	assert_int_equal(model_init(&m, 50), 0);
	*state = &m;
	return 0;
}

static int
teardown(void **state)
{
	model_free(*state);
	return 0;
}

static void
test_hello_snapshot(void **state)
{
	struct model *m = *state;

	hello(m, 3);
	assert_int_equal(m->my_cid, 2);
	assert_string_equal(m->my_name, "bob");
	assert_true(m->have_world);
	assert_int_equal(m->world.half_w, 10);
	assert_int_equal(m->world.x, 3);
	assert_int_equal(m->world.y, 2);
	assert_int_equal(m->world.trail_len, 1);
	assert_int_equal(m->world.color, PROTO_COLOR_RED);
	assert_int_equal(m->nclients, 2);
	assert_string_equal(model_client_name(m, 1), "alice");
	assert_int_equal(model_client_at(m, 0)->since, 1699999000);
	assert_int_equal(m->seq, 3);
	assert_true(m->synced);
	assert_false(m->turns_mode);
	assert_int_equal(log_has(m, "alice moved to <3:2>"), 1);
	assert_int_equal(log_has(m, "signed in as bob"), 1);
}

static void
test_events_before_hello_ignored(void **state)
{
	struct model *m = *state;

	model_connected(m);
	assert_int_equal(feed(m, "evt 1 join cid=2 name=bob"), 0);
	assert_int_equal(feed(m, "snap client cid=9 name=x since=1"), 0);
	assert_int_equal(m->nclients, 0);
	assert_int_equal(m->log_len, 0);
}

static void
test_move_and_log(void **state)
{
	struct model *m = *state;
	const struct model_line *l;
	int f;

	hello(m, 2);
	f = feed(m, "evt 3 move cid=1 name=alice x0=3 y0=2 x=3 y=-4 pen=down "
		    "color=blue");
	assert_true(f & MODEL_CHG_GRID);
	assert_true(f & MODEL_CHG_LOG);
	assert_false(f & MODEL_GAP);
	assert_int_equal(m->world.x, 3);
	assert_int_equal(m->world.y, -4);
	assert_true(m->world.heading == 180);
	assert_int_equal(m->world.trail_len, 2);
	assert_int_equal(world_seg_at(&m->world, 1)->color, PROTO_COLOR_BLUE);
	l = model_line_at(m, m->log_len - 1);
	assert_string_equal(l->text, "alice moved to <3:-4>");
	assert_int_equal(l->kind, MODEL_LINE_EVENT);
	assert_int_equal(l->cid, 1);
	assert_int_equal(l->seq, 3);
	assert_int_equal(l->name_len, 5);
	assert_int_equal(l->t, NOW);

	feed(m, "evt 4 say cid=1 name=alice text=\"hello world\"");
	assert_string_equal(last_text(m), "alice: hello world");
	feed(m, "evt 5 pen cid=2 name=bob pen=up");
	assert_false(m->world.pen_down);
	feed(m, "evt 6 move cid=2 name=bob x0=3 y0=-4 x=0 y=-4 pen=up "
		"color=blue");
	assert_int_equal(m->world.trail_len, 2); /* pen up: no trail */
	assert_true(m->world.heading == 270);
	feed(m, "evt 7 clear cid=2 name=bob");
	assert_int_equal(m->world.trail_len, 0);
	feed(m, "evt 8 home cid=2 name=bob x=0 y=0");
	assert_int_equal(m->world.x, 0);
	assert_int_equal(m->world.y, 0);
	assert_int_equal(m->seq, 8);
}

static void
test_join_leave_rename_turn(void **state)
{
	struct model *m = *state;

	hello(m, 2);
	feed(m, "evt 3 join cid=7 name=carol");
	assert_int_equal(m->nclients, 3);
	assert_int_equal(model_client_at(m, 2)->since, NOW);
	feed(m, "evt 4 rename cid=7 name=dave old=carol");
	assert_string_equal(model_client_name(m, 7), "dave");
	feed(m, "evt 5 rename cid=2 name=robert old=bob");
	assert_string_equal(m->my_name, "robert");
	feed(m, "evt 6 turn cid=7 name=dave");
	assert_int_equal(m->turn_cid, 7);
	feed(m, "evt 7 leave cid=7 name=dave reason=quit");
	assert_int_equal(m->nclients, 2);
	assert_null(model_client_name(m, 7));
	feed(m, "evt 8 turn cid=0 name=\"\"");
	assert_int_equal(m->turn_cid, 0);
	/* Leaving twice, or someone unknown, changes nothing. */
	feed(m, "evt 9 leave cid=7 name=dave reason=quit");
	assert_int_equal(m->nclients, 2);
}

static void
test_gap_detected(void **state)
{
	struct model *m = *state;
	int f;

	hello(m, 2);
	f = feed(m, "evt 3 say cid=1 name=alice text=a");
	assert_false(f & MODEL_GAP);
	f = feed(m, "evt 5 say cid=1 name=alice text=b");
	assert_true(f & MODEL_GAP);
	assert_false(m->synced);
	assert_int_equal(log_has(m, "missed events (expected 4, got 5)"), 1);
	/* Not synced any more: no second alarm until a new snapshot. */
	f = feed(m, "evt 9 say cid=1 name=alice text=c");
	assert_false(f & MODEL_GAP);
}

/*
 * An event the client cannot read (a kind from a newer server, a text it
 * refuses) still takes its number: the next one is no gap.  What it said
 * is in the log, escaped.
 */
static void
test_unreadable_event(void **state)
{
	struct model *m = *state;
	int f;

	hello(m, 2);
	f = feed(m, "evt 3 frobnicate cid=1 level=9");
	assert_false(f & MODEL_GAP);
	assert_true(f & MODEL_CHG_LOG);
	assert_int_equal(log_has(m, "does not understand: frobnicate cid=1 "
				    "level=9"),
	    1);
	f = feed(m, "evt 4 say cid=1 name=alice text=\"\\x1b[2J\"");
	assert_false(f & MODEL_GAP);
	assert_int_equal(log_has(m, "does not understand: say cid=1 name=alice "
				    "text=\\x1b[2J"),
	    1);
	f = feed(m, "evt 5 say cid=1 name=alice text=fine");
	assert_false(f & MODEL_GAP);
	assert_true(m->synced);
	assert_string_equal(last_text(m), "alice: fine");
}

static void
test_resync_rebuilds(void **state)
{
	struct model *m = *state;
	int f;

	hello(m, 2);
	feed(m, "evt 3 say cid=1 name=alice text=before");
	f = feed(m, "evt 4 resync dropped=7");
	assert_true(m->in_snap);
	assert_false(f & MODEL_GAP);
	assert_int_equal(log_has(m, "7 events were dropped"), 1);
	assert_int_equal(m->nclients, 0);
	feed(m, "snap world half_w=10 half_h=5 x=-1 y=-1 heading=270 pen=up "
		"color=green segs=0 dropped=4");
	feed(m, "snap client cid=2 name=bob since=1699999999");
	feed(m, "snap log seq=3 kind=say cid=1 name=alice text=before");
	feed(m, "snap log seq=9 kind=say cid=1 name=alice text=missed");
	f = feed(m, "snap end seq=11 mode=turns turn=2 clients=1");
	assert_true(f & MODEL_SYNCED);
	assert_int_equal(m->world.x, -1);
	assert_int_equal(m->world.trail_len, 0);
	assert_int_equal(m->world.trail_dropped, 4);
	assert_false(m->world.pen_down);
	assert_int_equal(m->nclients, 1);
	assert_true(m->turns_mode);
	assert_int_equal(m->turn_cid, 2);
	/* Seen lines are not repeated; the missed one is added. */
	assert_int_equal(log_has(m, "alice: before"), 1);
	assert_int_equal(log_has(m, "alice: missed"), 1);
	f = feed(m, "evt 12 say cid=2 name=bob text=after");
	assert_false(f & MODEL_GAP);
}

static void
test_reconnect_dedups_log(void **state)
{
	struct model *m = *state;

	hello(m, 2);
	feed(m, "evt 3 say cid=1 name=alice text=one");
	model_disconnected(m);
	assert_false(m->synced);
	/* The same server again: its history overlaps what we showed. */
	model_connected(m);
	feed(m, "ok hello cid=5 name=bob given=bob version=1 mode=free");
	feed(m, "snap world half_w=10 half_h=5 x=3 y=2 heading=90 pen=down "
		"color=red segs=0 dropped=0");
	feed(m, "snap log seq=3 kind=say cid=1 name=alice text=one");
	feed(m, "snap log seq=4 kind=leave cid=2 name=bob reason=eof");
	feed(m, "snap log seq=5 kind=join cid=5 name=bob");
	feed(m, "snap end seq=5 mode=free turn=0 clients=2");
	assert_int_equal(m->my_cid, 5);
	assert_int_equal(log_has(m, "alice: one"), 1);
	assert_int_equal(log_has(m, "bob joined"), 1);
	assert_int_equal(log_has(m, "bob left"), 1);
}

static void
test_restarted_server(void **state)
{
	struct model *m = *state;

	hello(m, 2);
	feed(m, "evt 3 say cid=1 name=alice text=old");
	model_disconnected(m);
	/* A new server counts from 1 again: everything it says is new. */
	model_connected(m);
	feed(m, "evt 1 join cid=1 name=bob");
	feed(m, "ok hello cid=1 name=bob given=bob version=1 mode=free");
	feed(m, "snap world half_w=100 half_h=100 x=0 y=0 heading=0 "
		"pen=down color=default segs=0 dropped=0");
	feed(m, "snap client cid=1 name=bob since=1700000000");
	feed(m, "snap log seq=1 kind=say cid=1 name=bob text=fresh");
	feed(m, "snap end seq=1 mode=free turn=0 clients=1");
	assert_int_equal(log_has(m, "bob: fresh"), 1);
	assert_int_equal(m->world.trail_len, 0);
	assert_int_equal(m->world.half_w, 100);
	assert_int_equal(m->seq, 1);
	assert_int_equal(m->nclients, 1);
	assert_false(feed(m, "evt 2 say cid=1 name=bob text=x") & MODEL_GAP);
}

/* A history line shows when it happened, by the server's time= (issue
 * #15), and its arrival only when an older server sends none. */
static void
test_history_times(void **state)
{
	struct model *m = *state;
	const struct model_line *l;
	size_t i;
	int seen = 0;

	model_connected(m);
	feed(m, "ok hello cid=3 name=cara given=cara version=1 mode=free");
	feed(m, "snap world half_w=10 half_h=5 x=0 y=0 heading=east pen=down "
		"color=red segs=0 dropped=0");
	feed(m, "snap log seq=1 time=1600000000 kind=join cid=1 name=alice");
	feed(m, "snap log seq=2 time=1600000061 kind=say cid=1 name=alice "
		"text=early");
	feed(m, "snap log seq=3 kind=say cid=1 name=alice text=undated");
	feed(m, "snap end seq=3 mode=free turn=0 clients=1");
	for (i = 0; (l = model_line_at(m, i)) != NULL; i++) {
		if (strcmp(l->text, "alice joined") == 0) {
			assert_int_equal(l->t, 1600000000);
			seen++;
		} else if (strcmp(l->text, "alice: early") == 0) {
			assert_int_equal(l->t, 1600000061);
			seen++;
		} else if (strcmp(l->text, "alice: undated") == 0) {
			assert_int_equal(l->t, NOW);
			seen++;
		}
	}
	assert_int_equal(seen, 3);
}

static void
test_replies_and_errors(void **state)
{
	struct model *m = *state;
	const struct model_line *l;
	size_t n;
	int f;

	hello(m, 2);
	/* One line per action: the echo of what I typed gives way to my
	 * event, and the reply adds nothing. */
	model_log(m, MODEL_LINE_COMMAND, NOW, "> run 1 0");
	n = m->log_len;
	feed(m, "evt 3 move cid=2 name=bob x0=0 y0=0 x=1 y=0 pen=down "
		"color=default");
	assert_int_equal(m->log_len, n);
	assert_string_equal(last_text(m), "bob moved to <1:0>");
	feed(m, "ok run x=1 y=0");
	assert_int_equal(m->log_len, n);
	/* Someone else's event in between: my echo stays, for context. */
	model_log(m, MODEL_LINE_COMMAND, NOW, "> say hi");
	feed(m, "evt 4 say cid=1 name=alice text=first");
	feed(m, "evt 5 say cid=2 name=bob text=hi");
	assert_int_equal(log_has(m, "> say hi"), 1);
	/* A question: the echo gives way to the answer, in words. */
	model_log(m, MODEL_LINE_COMMAND, NOW, "> getcid");
	n = m->log_len;
	feed(m, "ok getcid cid=2");
	assert_int_equal(m->log_len, n);
	assert_string_equal(last_text(m), "your cid is 2");
	assert_int_equal(
	    model_line_at(m, m->log_len - 1)->kind, MODEL_LINE_REPLY);
	feed(m, "ok where x=1 y=-2 heading=0 pen=down color=red");
	assert_string_equal(
	    last_text(m), "the turtle is at <1:-2>, heading 0, pen down, red");
	feed(m, "ok who-item cid=1 name=alice idle=4 since=1699999000");
	assert_string_equal(last_text(m), "  1 alice (idle 4s)");
	feed(m, "ok who count=1");
	assert_string_equal(last_text(m), "1 connected");
	feed(m, "ok help-item cmd=run args=\"DX DY\" text=\"move it\"");
	assert_string_equal(last_text(m), "  run DX DY - move it");
	feed(m, "ok stats uptime=5 clients=2");
	assert_string_equal(last_text(m), "stats: uptime 5 clients 2");
	f = feed(m, "ok name name=bobby given=bobby");
	assert_true(f & MODEL_CHG_STATUS);
	assert_string_equal(m->my_name, "bobby");

	f = feed(m, "err out-of-bounds msg=\"that leaves the world\" x=300");
	assert_false(f & MODEL_HELLO_ERR);
	l = model_line_at(m, m->log_len - 1);
	assert_int_equal(l->kind, MODEL_LINE_ERROR);
	assert_string_equal(
	    l->text, "out-of-bounds: that leaves the world x=300");
	/* An error answering what I typed says so, on one line. */
	model_log(m, MODEL_LINE_COMMAND, NOW, "> run 300 0");
	n = m->log_len;
	feed(m, "err out-of-bounds msg=\"that leaves the world\"");
	assert_int_equal(m->log_len, n);
	assert_string_equal(
	    last_text(m), "run 300 0: out-of-bounds: that leaves the world");
}

static void
test_hello_refused(void **state)
{
	struct model *m = *state;
	int f;

	model_connected(m);
	f = feed(m, "err auth msg=\"a token is needed\"");
	assert_true(f & MODEL_HELLO_ERR);
	assert_int_equal(m->hello_err, PROTO_ERR_AUTH);
	assert_string_equal(last_text(m), "auth: a token is needed");
	assert_false(m->hello_wait);
}

/* Nothing from the network reaches the log unescaped. */
static void
test_escaping(void **state)
{
	struct model *m = *state;
	size_t i;
	const char *t;

	hello(m, 2);
	/*
	 * An event with a control character is refused as a whole: an
	 * error line shows what came, escaped.
	 */
	feed(m, "evt 3 say cid=1 name=alice text=\"\\x1b[31mred\\x07\"");
	assert_int_equal(
	    model_line_at(m, m->log_len - 1)->kind, MODEL_LINE_ERROR);
	assert_int_equal(log_has(m, "alice: "), 0);
	assert_int_equal(log_has(m, "text=\\x1b[31mred\\x07"), 1);
	/* Clean UTF-8 passes; a backslash shows as typed (C:\temp), and
	 * doubled only where it would pass for an escape. */
	feed(m, "evt 4 say cid=1 name=alice text=\"gr\xc3\xbc\xc3\x9f \\\\ \"");
	assert_string_equal(last_text(m), "alice: gr\xc3\xbc\xc3\x9f \\ ");
	feed(m, "evt 5 say cid=1 name=alice text=\"C:\\\\temp \\\\x07\"");
	assert_string_equal(last_text(m), "alice: C:\\temp \\\\x07");
	feed(m, "ok where x=1 y=2 heading=0 pen=down color=\"\\x1b]0;t\"");
	feed(m, "err usage msg=\"bad \\x9b thing\"");
	feed(m, "ok frob v=\"\\r\\n\\t\"");
	for (i = 0; i < m->log_len; i++) {
		for (t = model_line_at(m, i)->text; *t != '\0'; t++)
			assert_true((unsigned char)*t >= 0x20 && *t != 0x7f);
	}
	/* An unknown colour in a where is not shown at all. */
	assert_int_equal(log_has(m, "heading 0, pen down, ?"), 1);
}

static void
test_log_ring(void **state)
{
	struct model *m = *state;
	uint64_t first;
	int i;

	for (i = 0; i < 120; i++)
		model_log(m, MODEL_LINE_INFO, NOW, "line %d", i);
	assert_int_equal(m->log_len, 50);
	assert_string_equal(model_line_at(m, 0)->text, "line 70");
	assert_string_equal(last_text(m), "line 119");
	first = model_line_at(m, 0)->id;
	assert_int_equal(model_line_at(m, 49)->id, first + 49);
	assert_null(model_line_at(m, 50));
}

static void
test_quit_and_bad_snapshot(void **state)
{
	struct model *m = *state;

	hello(m, 2);
	assert_true(feed(m, "ok quit") & MODEL_QUIT);
	model_connected(m);
	feed(m, "ok hello cid=3 name=bob given=bob version=1 mode=free");
	assert_true(feed(m, "snap world half_w=10") & MODEL_PROTO_ERR);
	assert_true(feed(m, "snap client name=x") & MODEL_PROTO_ERR);
	/* Snapshot lines outside a snapshot are ignored. */
	feed(m, "snap end seq=2 mode=free turn=0 clients=1");
	assert_int_equal(feed(m, "snap path cid=1 color=red pts=0,0;1,0"), 0);
}

static void
test_logo(void **state)
{
	struct model *m = *state;
	const char *world = "snap world half_w=10 half_h=5 x=0 y=0 heading=0 "
			    "pen=down color=default segs=0 dropped=0";

	model_connected(m);
	feed(m, "ok hello cid=2 name=bob given=bob version=1 mode=free");
	feed(m, world);
	feed(m, "snap proc name=sq");
	feed(m, "snap proc name=tri");
	feed(m, "snap end seq=5 mode=free turn=0 clients=1");
	assert_int_equal(m->nprocs, 2);
	assert_non_null(model_proc_find(m, "SQ"));
	assert_null(model_proc_find(m, "sq")->title);
	/* pots prints the titles: they are learnt. */
	feed(m, "ok print text=\"to sq :n\"");
	assert_int_equal(
	    model_line_at(m, m->log_len - 1)->kind, MODEL_LINE_PRINT);
	assert_string_equal(last_text(m), "to sq :n");
	assert_string_equal(model_proc_find(m, "sq")->title, "to sq :n");
	feed(m, "ok logo segs=0");
	/* What type prints goes on with the next piece, up to a line end. */
	feed(m, "ok print text=ab more=1");
	feed(m, "ok print text=cd");
	assert_string_equal(last_text(m), "abcd");
	feed(m, "ok print text=ef");
	assert_string_equal(last_text(m), "ef");
	feed(m, "ok print text=gh more=1");
	feed(m, "ok logo segs=0");
	feed(m, "ok print text=ij");
	assert_string_equal(last_text(m), "ij");
	/* Another's definition is new, with no title; mine brings its own. */
	feed(m, "evt 6 define cid=1 name=alice proc=spiral");
	assert_non_null(model_proc_find(m, "spiral"));
	assert_null(model_proc_find(m, "spiral")->title);
	model_def_sent(m, "to tri :a :b");
	feed(m, "evt 7 define cid=2 name=bob proc=tri");
	assert_string_equal(model_proc_find(m, "tri")->title, "to tri :a :b");
	feed(m, "evt 8 erase cid=1 name=alice proc=SQ");
	assert_null(model_proc_find(m, "sq"));
	/* A resync keeps only what its snapshot names, titles and all. */
	feed(m, "evt 9 resync dropped=3");
	feed(m, world);
	feed(m, "snap proc name=tri");
	feed(m, "snap end seq=12 mode=free turn=0 clients=1");
	assert_int_equal(m->nprocs, 1);
	assert_string_equal(model_proc_find(m, "tri")->title, "to tri :a :b");
	/* The open input follows the replies; an error closes it. */
	feed(m, "ok logo more=define");
	assert_int_equal(m->logo_more, 1);
	feed(m, "ok logo more=list");
	assert_int_equal(m->logo_more, 2);
	feed(m, "err logo kind=unknown msg=\"I don't know how to foo\"");
	assert_int_equal(m->logo_more, 0);
	assert_string_equal(last_text(m), "logo: I don't know how to foo");
	feed(m, "err limit kind=limit limit=steps msg=\"too many steps\"");
	assert_string_equal(last_text(m), "logo: too many steps");
	/* Other errors keep their word and fields. */
	feed(m, "err usage msg=\"no\"");
	assert_string_equal(last_text(m), "usage: no");
	feed(m, "ok logo more=define");
	model_connected(m);
	assert_int_equal(m->logo_more, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_hello_snapshot, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_events_before_hello_ignored, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_move_and_log, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_join_leave_rename_turn, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gap_detected, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_unreadable_event, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_resync_rebuilds, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_reconnect_dedups_log, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_restarted_server, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_replies_and_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_hello_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_log_ring, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_history_times, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_quit_and_bad_snapshot, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_logo, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
