/*
 * slow.c - a client that never reads never slows anyone else: past
 * --out-limit it is resynced (its queue dropped, a fresh snapshot sent),
 * and when it stays stuck it gets err slow-consumer and is cut, while a
 * reading watcher gets every event with no gap and no resync.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/socket.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define BATCH     20
#define MAX_SAYS  20000
#define TEXT_SIZE 300

struct pump {
	struct hs_client *m; /* the mover */
	struct hs_client *w; /* the watcher */
	int oks;             /* ok say the mover got */
	int slow_leaves;     /* leave reason=slow-consumer the watcher saw */
	int victim;          /* whose leave we wait for */
};

static int
setup(void **state)
{
	static const char *args[] = {"--out-limit", "16384", "--rate",
	    "1000000", "--burst", "1000000", NULL};
	return hs_state_new(state, args);
}

/* Resync once, then nothing more: only the timeout can cut it. */
static int
setup_timeout(void **state)
{
	static const char *args[] = {"--out-limit", "16384", "--slow-timeout",
	    "1", "--rate", "1000000", "--burst", "1000000", NULL};

	return hs_state_new(state, args);
}

/* Reads what the mover and the watcher have, noting what matters. */
static void
pump_read(struct pump *p, int ms)
{
	struct pollfd pfd[2];
	char line[HS_LINE_MAX], kind[32], why[32];
	long long seq, cid;

	pfd[0].fd = p->m->fd;
	pfd[1].fd = p->w->fd;
	pfd[0].events = pfd[1].events = POLLIN;
	if (poll(pfd, 2, ms) <= 0)
		return;
	if (pfd[0].revents && hs_fill(p->m, 0) == 0)
		fail_msg("the mover lost its connection");
	if (pfd[1].revents && hs_fill(p->w, 0) == 0)
		fail_msg("the watcher lost its connection");
	while (hs_line_ms(p->m, line, sizeof line, 0) >= 0) {
		if (hs_starts(line, "ok say"))
			p->oks++;
		else if (hs_starts(line, "err"))
			fail_msg("mover: %s", line);
	}
	while (hs_line_ms(p->w, line, sizeof line, 0) >= 0) {
		if (hs_evt(line, &seq, kind, sizeof kind) != 0 ||
		    strcmp(kind, "leave") != 0)
			continue;
		if (hs_field_ll(line, "cid", &cid) == 0 && cid == p->victim &&
		    hs_field(line, "reason", why, sizeof why) == 0 &&
		    strcmp(why, "slow-consumer") == 0)
			p->slow_leaves++;
	}
}

/* Sends n says of TEXT_SIZE bytes and pumps until all are answered. */
static void
say_batch(struct pump *p, int first, int n)
{
	char *buf = malloc((size_t)n * (TEXT_SIZE + 16));
	size_t len = 0;
	long long deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	int i, want = p->oks + n;

	assert_non_null(buf);
	for (i = 0; i < n; i++) {
		len += (size_t)sprintf(buf + len, "say %06d ", first + i);
		memset(buf + len, 'a' + (first + i) % 26, TEXT_SIZE);
		len += TEXT_SIZE;
		buf[len++] = '\n';
	}
	assert_int_equal(hs_send(p->m, buf, len), 0);
	free(buf);
	while (p->oks < want || p->w->seq_last < p->m->seq_last) {
		if (hs_now_ms() > deadline)
			fail_msg("batch at %d: %d/%d answered, watcher at %lld "
				 "of %lld",
			    first, p->oks, want, p->w->seq_last,
			    p->m->seq_last);
		pump_read(p, 100);
	}
}

/* A stats counter, asked on the mover while the watcher keeps reading. */
static long long
stat_of(struct pump *p, const char *key)
{
	long long v;

	assert_int_equal(hs_stat(p->m, key, &v), 0);
	return v;
}

/* The watcher and the mover, both reading from the start. */
static void
pump_start(struct pump *p, struct hs_server *srv)
{
	memset(p, 0, sizeof *p);
	assert_non_null(p->w = hs_client_hello(srv, "watcher"));
	assert_non_null(p->m = hs_client_hello(srv, "mover"));
}

/*
 * A new client that never reads, p's victim, while the mover talks until
 * the server counts a resync.  Returns it when that resync came without a
 * cut; should the same burst already have cut it at the limit (not what
 * the tests want), tries again with another, five clients at most, then
 * NULL.  *cut0 gets slow_cut from before its burst.
 */
static struct hs_client *
resynced_reader(struct pump *p, struct hs_server *srv, const char *prefix,
    int *said, long long *cut0)
{
	struct hs_client *stuck;
	char name[32];
	long long r0;
	int attempt;

	for (attempt = 0; attempt < 5; attempt++) {
		snprintf(name, sizeof name, "%s%d", prefix, attempt);
		assert_non_null(stuck = hs_client_hello(srv, name));
		p->victim = stuck->cid;
		p->slow_leaves = 0;
		r0 = stat_of(p, "resyncs");
		*cut0 = stat_of(p, "slow_cut");
		while (stat_of(p, "resyncs") == r0) {
			if (*said >= MAX_SAYS)
				fail_msg("%d says and no resync", *said);
			say_batch(p, *said, 2);
			*said += 2;
		}
		if (stat_of(p, "slow_cut") == *cut0 && p->slow_leaves == 0)
			return stuck;
	}
	return NULL;
}

static void
test_stuck_reader(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *stuck;
	struct pump p;
	char line[HS_LINE_MAX], prev[HS_LINE_MAX] = "";
	int said = 0, lines = 0, resync_seen = 0, slow_err = 0;
	long long seq, dropped;
	char kind[32];

	assert_non_null(stuck = hs_client_hello(srv, "stuck"));
	pump_start(&p, srv);
	p.victim = stuck->cid;

	/* Talk until the stuck one is cut (bounded by MAX_SAYS). */
	while (p.slow_leaves == 0 && said < MAX_SAYS) {
		say_batch(&p, said, BATCH);
		said += BATCH;
	}
	if (p.slow_leaves == 0)
		fail_msg("%d says and the stuck reader was never cut", said);
	assert_true(stat_of(&p, "resyncs") >= 1);
	assert_true(stat_of(&p, "slow_cut") >= 1);

	/* The watcher and the mover kept up: every seq, never resynced. */
	assert_int_equal(p.w->seq_gaps, 0);
	assert_int_equal(p.w->resyncs, 0);
	assert_int_equal(p.m->seq_gaps, 0);
	assert_int_equal(p.m->resyncs, 0);
	assert_int_equal(p.slow_leaves, 1);

	/*
	 * The stuck reader, reading at last: whole lines only, gapless
	 * between resyncs, a resync followed by its snapshot, and in the
	 * end err slow-consumer and EOF.
	 */
	for (;;) {
		if (hs_line(stuck, line, sizeof line) < 0)
			break;
		lines++;
		if (hs_evt(line, &seq, kind, sizeof kind) == 0) {
			if (strcmp(kind, "resync") == 0) {
				resync_seen++;
				assert_int_equal(
				    hs_field_ll(line, "dropped", &dropped), 0);
				assert_true(dropped >= 1);
			}
		} else if (hs_starts(line, "snap world")) {
			if (resync_seen == 0)
				fail_msg(
				    "a snapshot without a resync: %s", line);
		} else if (hs_starts(line, "err slow-consumer")) {
			slow_err++;
		} else if (!hs_starts(line, "snap") && !hs_starts(line, "ok") &&
			   !hs_starts(line, "err"))
			fail_msg("a torn or bad line after %d: \"%s\" after "
				 "\"%s\"",
			    lines, line, prev);
		if (strstr(prev, " resync ") != NULL &&
		    !hs_starts(line, "snap world"))
			fail_msg("resync followed by \"%s\"", line);
		hs_copy(prev, sizeof prev, line);
	}
	if (!stuck->eof)
		fail_msg("the stuck reader's connection did not end");
	if (stuck->len != 0)
		fail_msg("%zu bytes of a torn last line", stuck->len);
	assert_int_equal(stuck->seq_gaps, 0);
	assert_int_equal(slow_err, 1);
	assert_true(hs_starts(prev, "err slow-consumer"));

	/* And the others go on. */
	say_batch(&p, said, 5);
	assert_int_equal(p.w->seq_gaps, 0);
}

/*
 * The reason for a cut waits behind what the socket holds already: a
 * reader that comes back later than the usual 2 s (4 s: past the tick
 * that frees a lingering client) still gets it, within
 * --slow-timeout (10 s here).
 */
static void
test_reason_waits(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *stuck;
	struct pump p;
	char line[HS_LINE_MAX], last[HS_LINE_MAX] = "";
	long long cut;
	int said = 0;

	assert_non_null(stuck = hs_client_hello(srv, "stuck"));
	pump_start(&p, srv);
	p.victim = stuck->cid;
	while (p.slow_leaves == 0 && said < MAX_SAYS) {
		say_batch(&p, said, BATCH);
		said += BATCH;
	}
	assert_int_equal(p.slow_leaves, 1);
	/* Back after the cut, later than a lost client's usual linger. */
	cut = hs_now_ms();
	while (hs_now_ms() - cut < 4000)
		hs_nap(100);
	while (hs_line(stuck, line, sizeof line) >= 0)
		hs_copy(last, sizeof last, line);
	assert_true(stuck->eof);
	if (!hs_starts(last, "err slow-consumer"))
		fail_msg(
		    "the last line was \"%s\", not err slow-consumer", last);
}

/* A classic client that never reads its replies is cut at the limit. */
static void
test_stuck_classic(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *cl;
	struct pump p;
	char reply[64], *buf;
	long long deadline;
	int i, sent = 0, replies = 0;
	size_t len = 0, off = 0;
	ssize_t n;

	pump_start(&p, srv);
	assert_non_null(cl = hs_client_new(srv));
	assert_int_equal(hs_send(cl, "getcid\n", 7), 0);
	assert_true(hs_classic_reply(cl, reply, sizeof reply) > 0);
	assert_int_equal(sscanf(reply, "Your cid is %d", &p.victim), 1);

	buf = malloc(1000 * 7);
	assert_non_null(buf);
	for (i = 0; i < 1000; i++) {
		memcpy(buf + len, "getcid\n", 7);
		len += 7;
	}
	deadline = hs_now_ms() + hs_wait_ms(20000);
	while (p.slow_leaves == 0) {
		if (hs_now_ms() > deadline || sent > 200) {
			free(buf);
			fail_msg("%d000 unread replies and no cut", sent);
		}
		/* Its input is read even while its output is stuck. */
		n = send(
		    cl->fd, buf + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0 && (off += (size_t)n) == len) {
			off = 0;
			sent++;
		}
		pump_read(&p, 10);
	}
	free(buf);
	assert_true(stat_of(&p, "slow_cut") >= 1);

	/* Whole replies only, then the end. */
	while ((i = hs_classic_reply(cl, reply, sizeof reply)) > 0) {
		if (memcmp(reply, "Your cid is ", 12) != 0)
			fail_msg("reply %d: \"%s\"", replies, reply);
		replies++;
	}
	assert_int_equal(i, 0);
	assert_true(replies > 0);
	assert_int_equal(p.w->seq_gaps, 0);
	assert_int_equal(p.w->resyncs, 0);
}

/*
 * A client resynced once that then sits on its snapshot without reading
 * is cut after --slow-timeout even when nothing more is said.  The
 * talking stops as soon as the resync is counted; should that same burst
 * already have cut the client at the limit, try again with a new one.
 */
static void
test_stuck_timeout(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *stuck;
	struct pump p;
	long long c0, deadline;
	int said = 0;

	pump_start(&p, srv);
	assert_non_null(stuck = resynced_reader(&p, srv, "stuck", &said, &c0));
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	while (p.slow_leaves == 0) {
		if (hs_now_ms() > deadline)
			fail_msg("the resynced, stuck client was never cut "
				 "(--slow-timeout 1)");
		pump_read(&p, 100);
	}
	assert_int_equal(stat_of(&p, "slow_cut"), c0 + 1);
	assert_int_equal(hs_wait_eof(stuck, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_int_equal(p.w->seq_gaps + p.w->resyncs, 0);
}

/*
 * A resynced client that then reads is current again: resync, snapshot,
 * and the first event after "snap end seq=S" is S+1, with no gap, and it
 * stays connected.  As above, a client cut by the same burst is retried.
 */
static void
test_resync_recovers(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *stuck;
	struct pump p;
	char line[HS_LINE_MAX], kind[32];
	long long c0, seq, end_seq = -1;
	int said = 0;

	pump_start(&p, srv);
	assert_non_null(stuck = resynced_reader(&p, srv, "late", &said, &c0));

	/* Read it all: the resync, its snapshot, whatever came after. */
	while (stuck->resyncs == 0 || stuck->in_snap ||
	       stuck->seq_last < p.m->seq_last) {
		if (hs_line(stuck, line, sizeof line) < 0)
			fail_msg("the resynced client got %s at seq %lld of "
				 "%lld",
			    stuck->eof ? "EOF" : "nothing", stuck->seq_last,
			    p.m->seq_last);
		if (hs_starts(line, "snap end"))
			assert_int_equal(hs_field_ll(line, "seq", &end_seq), 0);
		if (hs_starts(line, "err slow-consumer"))
			fail_msg("cut although it reads: %s", line);
	}
	assert_true(end_seq >= 0);

	/* One more event: it is the next number, for it as for everyone. */
	say_batch(&p, said, 1);
	do
		assert_int_equal(
		    hs_expect(stuck, "evt ", line, sizeof line), 0);
	while (hs_evt(line, &seq, kind, sizeof kind) != 0 ||
	       strcmp(kind, "say") != 0);
	assert_int_equal(seq, p.m->seq_last);
	assert_true(stuck->resyncs >= 1);
	assert_int_equal(stuck->seq_gaps, 0);
	assert_false(stuck->eof);
	assert_int_equal(p.w->seq_gaps + p.w->resyncs, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_reason_waits, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_stuck_reader, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_stuck_classic, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_stuck_timeout, setup_timeout, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_resync_recovers, setup, hs_state_free),
	};

	return cmocka_run_group_tests_name("slow", tests, NULL, NULL);
}
