/*
 * test_paste.c - a paste confirmed and sent one line at a time: the next
 * line only after the server's final reply to the one before, an "err
 * rate" answered by the same line again after a pause (on a real libevent
 * timer), a typed command's reply never taken for a pasted line's, and
 * what is dropped when the connection goes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "tui.h"

#define SENT_MAX 32

struct fixture {
	struct event_base *base;
	struct paste paste;
	char *sent[SENT_MAX]; /* what went out, in order */
	int again[SENT_MAX];  /* sent again after "err rate" */
	size_t nsent;
	int refuse; /* send() says: -1 cannot now */
};

static int fake_send(void *, const char *, int);
static void reply(struct fixture *, const char *);
static void typed(struct fixture *, const char *);
static void paste3(struct fixture *);
static int setup(void **);
static int teardown(void **);
static void test_no_drops_all(void **);
static void test_one_at_a_time(void **);
static void test_items_are_not_final(void **);
static void test_rate_sends_again(void **);
static void test_typed_reply_is_not_the_paste(void **);
static void test_cannot_send_drops_rest(void **);
static void test_reset(void **);
static void test_more_of_the_paste(void **);

/* The ui's send: records the line; a sent line is one more in flight. */
static int
fake_send(void *arg, const char *line, int again)
{
	struct fixture *f = arg;

	if (f->refuse)
		return -1;
	assert_true(f->nsent < SENT_MAX);
	f->again[f->nsent] = again;
	f->sent[f->nsent++] = strdup(line);
	paste_sent(&f->paste);
	return 1;
}

/* A line from the server, as the ui hands it over. */
static void
reply(struct fixture *f, const char *line)
{
	struct proto_msg msg;

	assert_int_equal(proto_msg_parse(line, strlen(line), &msg), 0);
	paste_reply(&f->paste, &msg);
}

/* A command the user typed while the paste goes. */
static void
typed(struct fixture *f, const char *line)
{
	(void)line;
	paste_sent(&f->paste);
}

static void
paste3(struct fixture *f)
{
	assert_int_equal(paste_add(&f->paste, strdup("say one")), 0);
	assert_int_equal(paste_add(&f->paste, strdup("say two")), 0);
	assert_int_equal(paste_add(&f->paste, strdup("who")), 0);
	assert_int_equal(f->paste.nask, 3);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	assert_non_null(f->base = event_base_new());
	assert_int_equal(paste_init(&f->paste, f->base, fake_send, f), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	paste_free(&f->paste);
	event_base_free(f->base);
	for (i = 0; i < f->nsent; i++)
		free(f->sent[i]);
	free(f);
	return 0;
}

static void
test_no_drops_all(void **state)
{
	struct fixture *f = *state;

	paste3(f);
	assert_int_equal(paste_answer(&f->paste, 0), 3);
	assert_int_equal(f->paste.nask, 0);
	assert_int_equal(f->nsent, 0);
	assert_int_equal(paste_left(&f->paste), 0);
}

static void
test_one_at_a_time(void **state)
{
	struct fixture *f = *state;

	paste3(f);
	assert_int_equal(paste_answer(&f->paste, 1), 3);
	assert_int_equal(f->nsent, 1);
	assert_string_equal(f->sent[0], "say one");
	assert_int_equal(paste_left(&f->paste), 3);
	/* Events are not replies. */
	reply(f, "evt 7 say cid=1 name=a text=one");
	assert_int_equal(f->nsent, 1);
	reply(f, "ok say");
	assert_int_equal(f->nsent, 2);
	assert_string_equal(f->sent[1], "say two");
	/* An error is a final reply too: the paste goes on. */
	reply(f, "err bad-text msg=\"no\"");
	assert_int_equal(f->nsent, 3);
	assert_string_equal(f->sent[2], "who");
	assert_int_equal(paste_left(&f->paste), 1);
	reply(f, "ok who count=0");
	assert_int_equal(paste_left(&f->paste), 0);
	assert_int_equal(f->paste.inflight, 0);
}

static void
test_items_are_not_final(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(paste_add(&f->paste, strdup("who")), 0);
	assert_int_equal(paste_add(&f->paste, strdup("say after")), 0);
	paste_answer(&f->paste, 1);
	reply(f, "ok who-item cid=1 name=a idle=0 since=0");
	reply(f, "ok who-item cid=2 name=b idle=0 since=0");
	assert_int_equal(f->nsent, 1);
	reply(f, "ok who count=2");
	assert_int_equal(f->nsent, 2);
	assert_string_equal(f->sent[1], "say after");
}

static void
test_rate_sends_again(void **state)
{
	struct fixture *f = *state;
	struct proto_msg msg;
	const char *rate = "err rate msg=\"too fast\"";

	paste3(f);
	paste_answer(&f->paste, 1);
	assert_int_equal(proto_msg_parse(rate, strlen(rate), &msg), 0);
	/* The ui keeps it out of the log: the paste deals with it. */
	assert_true(paste_absorbs(&f->paste, &msg));
	paste_reply(&f->paste, &msg);
	assert_int_equal(f->nsent, 1);
	assert_true(evtimer_pending(f->paste.retry, NULL));
	/* After the pause (a real timer), the same line goes again. */
	assert_int_equal(event_base_loop(f->base, EVLOOP_ONCE), 0);
	assert_int_equal(f->nsent, 2);
	assert_string_equal(f->sent[1], "say one");
	assert_int_equal(f->again[1], 1);
	reply(f, "ok say");
	assert_string_equal(f->sent[2], "say two");
	assert_int_equal(f->again[2], 0);
	/* Not absorbed when no pasted line waits for it. */
	reply(f, "ok say");
	reply(f, "ok who count=1");
	assert_false(paste_absorbs(&f->paste, &msg));
}

static void
test_typed_reply_is_not_the_paste(void **state)
{
	struct fixture *f = *state;

	paste3(f);
	paste_answer(&f->paste, 1);
	reply(f, "err rate msg=\"too fast\"");
	/* Typed while the pasted line waits: its ok is not the line's. */
	typed(f, "where");
	reply(f, "ok where x=0 y=0 heading=0 pen=down color=default");
	assert_int_equal(f->nsent, 1);
	assert_int_equal(paste_left(&f->paste), 3);
	assert_int_equal(event_base_loop(f->base, EVLOOP_ONCE), 0);
	assert_int_equal(f->nsent, 2);
	assert_string_equal(f->sent[1], "say one");
	/* Typed while a pasted line is out: the next waits for both. */
	typed(f, "getcid");
	reply(f, "ok say");
	assert_int_equal(f->nsent, 2);
	reply(f, "ok getcid cid=1");
	assert_int_equal(f->nsent, 3);
	assert_string_equal(f->sent[2], "say two");
}

static void
test_cannot_send_drops_rest(void **state)
{
	struct fixture *f = *state;

	paste3(f);
	f->refuse = 1;
	paste_answer(&f->paste, 1);
	assert_int_equal(f->nsent, 0);
	assert_int_equal(paste_left(&f->paste), 0);
}

static void
test_reset(void **state)
{
	struct fixture *f = *state;

	paste3(f);
	paste_answer(&f->paste, 1);
	/* "say one" is out (it may have arrived): two are dropped unsent. */
	assert_int_equal(paste_reset(&f->paste), 2);
	assert_int_equal(paste_left(&f->paste), 0);
	assert_int_equal(f->paste.inflight, 0);
	/* A reply after the reset changes nothing. */
	reply(f, "ok say");
	assert_int_equal(f->nsent, 1);
	/* A line held back by the rate limit was not sent at all. */
	paste3(f);
	paste_answer(&f->paste, 1);
	reply(f, "err rate msg=\"too fast\"");
	assert_int_equal(paste_reset(&f->paste), 3);
	assert_false(evtimer_pending(f->paste.retry, NULL));
}

static void
test_more_of_the_paste(void **state)
{
	struct fixture *f = *state;

	/* Confirmed lines still going when the next paste is confirmed. */
	paste3(f);
	paste_answer(&f->paste, 1);
	assert_int_equal(paste_add(&f->paste, strdup("say four")), 0);
	paste_answer(&f->paste, 1);
	assert_int_equal(paste_left(&f->paste), 4);
	reply(f, "ok say");
	reply(f, "ok say");
	reply(f, "ok who count=1");
	assert_int_equal(f->nsent, 4);
	assert_string_equal(f->sent[3], "say four");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_no_drops_all, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_one_at_a_time, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_items_are_not_final, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_rate_sends_again, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_typed_reply_is_not_the_paste, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_cannot_send_drops_rest, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_more_of_the_paste, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
