/*
 * v1.c - the v1 dialect: replies to each command, hello's errors,
 * duplicate names, and two clients moving the turtle at once seeing one
 * identical, gapless history with each reply after its own event.
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

#define RUNS 200 /* per client in the concurrent test */

struct mover {
	struct hs_client *c;
	char out[RUNS * 16];
	size_t outlen, outoff;
	int oks, own;
	long long own_x[RUNS], own_y[RUNS];
	int misordered;
	long long *seqs;
	char (*lines)[160];
	int nevt;
};

static void mover_read(struct mover *);

static void
assert_err(struct hs_client *c, const char *code, const char *arg)
{
	char line[HS_LINE_MAX], want[64], msg[HS_LINE_MAX];

	snprintf(want, sizeof want, "err %s", code);
	hs_assert_reply_line(c, arg, want, line, sizeof line);
	/* Every error carries its sentence. */
	assert_int_equal(hs_field(line, "msg", msg, sizeof msg), 0);
	assert_true(strlen(msg) > 0);
}

static void
test_v1_replies(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c = hs_client_new(srv);
	struct hs_snapshot snap;
	char line[HS_LINE_MAX], color0[32], evt[HS_LINE_MAX];
	long long v, items = 0, seq;
	int i;

	assert_non_null(c);
	assert_int_equal(hs_hello(c, "bob", NULL, line, sizeof line, &snap), 0);
	hs_assert_field(line, "name", "bob");
	hs_assert_field(line, "given", "bob");
	hs_assert_field(line, "version", "1");
	hs_assert_field(line, "mode", "free");
	assert_int_equal(
	    hs_field(snap.world, "color", color0, sizeof color0), 0);
	hs_assert_field(snap.world, "x", "0");
	hs_assert_field(snap.world, "y", "0");
	hs_assert_field(snap.world, "pen", "down");
	hs_assert_field(snap.world, "half_w", "100");
	hs_assert_field(snap.world, "half_h", "100");
	hs_assert_field(snap.world, "segs", "0");
	hs_assert_field(snap.end, "mode", "free");
	assert_int_equal(snap.nclient, 1);

	assert_int_equal(hs_cmd(c, line, sizeof line, "getcid"), 0);
	assert_true(hs_starts(line, "ok getcid"));
	assert_int_equal(hs_field_ll(line, "cid", &v), 0);
	assert_int_equal(v, c->cid);

	assert_int_equal(hs_cmd(c, line, sizeof line, "where"), 0);
	assert_true(hs_starts(line, "ok where"));
	hs_assert_field(line, "x", "0");
	hs_assert_field(line, "y", "0");
	hs_assert_field(line, "pen", "down");
	hs_assert_field(line, "color", color0);
	assert_int_equal(hs_field(line, "heading", evt, sizeof evt), 0);

	/* Each change: its event first, then the reply. */
	seq = c->seq_last;
	assert_int_equal(hs_sendf(c, "run 5 -7\n"), 0);
	assert_int_equal(hs_expect_next(c, "evt ", evt, sizeof evt), 0);
	assert_int_equal(c->seq_last, seq + 1);
	assert_true(strstr(evt, " move ") != NULL);
	hs_assert_field(evt, "x0", "0");
	hs_assert_field(evt, "y0", "0");
	hs_assert_field(evt, "x", "5");
	hs_assert_field(evt, "y", "-7");
	hs_assert_field(evt, "pen", "down");
	hs_assert_field(evt, "name", "bob");
	assert_int_equal(hs_expect_next(c, "ok run", line, sizeof line), 0);
	hs_assert_field(line, "x", "5");
	hs_assert_field(line, "y", "-7");

	assert_int_equal(hs_sendf(c, "pen up\n"), 0);
	assert_int_equal(hs_expect_next(c, "evt ", evt, sizeof evt), 0);
	assert_true(strstr(evt, " pen ") != NULL);
	hs_assert_field(evt, "pen", "up");
	assert_int_equal(hs_expect_next(c, "ok pen", line, sizeof line), 0);
	hs_assert_field(line, "pen", "up");

	assert_int_equal(hs_sendf(c, "color red\n"), 0);
	assert_int_equal(hs_expect_next(c, "evt ", evt, sizeof evt), 0);
	hs_assert_field(evt, "color", "red");
	assert_int_equal(hs_expect_next(c, "ok color", line, sizeof line), 0);
	hs_assert_field(line, "color", "red");

	assert_int_equal(hs_sendf(c, "say hi there\n"), 0);
	assert_int_equal(hs_expect_next(c, "evt ", evt, sizeof evt), 0);
	assert_true(strstr(evt, " say ") != NULL);
	hs_assert_field(evt, "text", "hi there");
	assert_int_equal(hs_expect_next(c, "ok say", NULL, 0), 0);

	assert_int_equal(hs_sendf(c, "home\n"), 0);
	assert_int_equal(hs_expect_next(c, "evt ", evt, sizeof evt), 0);
	assert_true(strstr(evt, " home ") != NULL);
	assert_int_equal(hs_expect_next(c, "ok home", line, sizeof line), 0);
	hs_assert_field(line, "x", "0");
	hs_assert_field(line, "y", "0");

	assert_int_equal(hs_sendf(c, "clear\n"), 0);
	assert_int_equal(hs_expect_next(c, "evt ", evt, sizeof evt), 0);
	assert_true(strstr(evt, " clear ") != NULL);
	assert_int_equal(hs_expect_next(c, "ok clear", NULL, 0), 0);

	assert_int_equal(hs_sendf(c, "name robert\n"), 0);
	assert_int_equal(hs_expect_next(c, "evt ", evt, sizeof evt), 0);
	assert_true(strstr(evt, " rename ") != NULL);
	hs_assert_field(evt, "name", "robert");
	hs_assert_field(evt, "old", "bob");
	assert_int_equal(hs_expect_next(c, "ok name", line, sizeof line), 0);
	hs_assert_field(line, "name", "robert");
	hs_assert_field(line, "given", "robert");

	assert_int_equal(hs_cmd(c, line, sizeof line, "where"), 0);
	hs_assert_field(line, "pen", "up");
	hs_assert_field(line, "color", "red");

	/* help: one item per command, then the count. */
	assert_int_equal(hs_sendf(c, "help\n"), 0);
	for (;;) {
		assert_true(hs_line(c, line, sizeof line) >= 0);
		if (!hs_starts(line, "ok help-item"))
			break;
		assert_int_equal(hs_field(line, "cmd", evt, sizeof evt), 0);
		items++;
	}
	assert_true(hs_starts(line, "ok help"));
	assert_int_equal(hs_field_ll(line, "count", &v), 0);
	assert_int_equal(v, items);
	assert_true(items >= 16);

	assert_int_equal(hs_cmd(c, line, sizeof line, "stats"), 0);
	assert_true(hs_starts(line, "ok stats"));
	{
		static const char *keys[] = {"uptime", "clients", "commands",
		    "events", "resyncs", "slow_cut", "refused", "rate_limited",
		    "seq", NULL};
		for (i = 0; keys[i] != NULL; i++) {
			if (hs_field_ll(line, keys[i], &v) != 0)
				fail_msg("stats lacks %s=: %s", keys[i], line);
		}
	}
	assert_int_equal(hs_field_ll(line, "clients", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(hs_field_ll(line, "seq", &v), 0);
	assert_int_equal(v, c->seq_last);

	assert_int_equal(hs_sendf(c, "quit\n"), 0);
	assert_int_equal(hs_expect_next(c, "ok quit", NULL, 0), 0);
	assert_int_equal(hs_wait_eof(c, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_int_equal(c->seq_gaps, 0);
}

static void
test_v1_errors(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c = hs_client_new(srv);
	char line[HS_LINE_MAX], name[64];

	assert_non_null(c);
	/* A hello with another version is refused; the session goes on. */
	assert_err(c, "version", "hello 2 bob");
	assert_int_equal(hs_hello(c, "bob", NULL, NULL, 0, NULL), 0);
	assert_err(c, "hello", "hello 1 bob");
	/* No command takes it: Logo does, and knows no "jump" either. */
	assert_err(c, "logo", "jump 1 2");
	assert_err(c, "usage", "run 1");
	assert_err(c, "usage", "run");
	assert_err(c, "usage", "pen sideways");
	assert_err(c, "out-of-bounds", "run 101 0");
	assert_err(c, "out-of-bounds", "run 0 -101");
	assert_err(c, "range", "run 99999999999999999999 0");
	assert_err(c, "bad-name", "name no/slash");
	memset(name, 'n', 33);
	name[33] = '\0';
	snprintf(line, sizeof line, "name %s", name);
	assert_err(c, "bad-name", line);
	/* Exactly at the limit is fine. */
	name[32] = '\0';
	assert_int_equal(hs_cmd(c, line, sizeof line, "name %s", name), 0);
	assert_true(hs_starts(line, "ok name"));
	/* Refusals changed nothing. */
	assert_int_equal(hs_cmd(c, line, sizeof line, "where"), 0);
	hs_assert_field(line, "x", "0");
	hs_assert_field(line, "y", "0");
	assert_int_equal(hs_cmd(c, line, sizeof line, "run 100 -100"), 0);
	assert_true(hs_starts(line, "ok run"));
	assert_int_equal(c->seq_gaps, 0);
}

/* A name in use is made unique by a suffix; the reply says what was asked. */
static void
test_duplicate_names(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a = hs_client_new(srv), *b = hs_client_new(srv);
	struct hs_client *c = hs_client_new(srv), *d;
	char line[HS_LINE_MAX], name[64], cname[64];

	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_int_equal(
	    hs_hello(a, "alice", NULL, line, sizeof line, NULL), 0);
	hs_assert_field(line, "name", "alice");
	hs_assert_field(line, "given", "alice");
	assert_int_equal(
	    hs_hello(b, "alice", NULL, line, sizeof line, NULL), 0);
	hs_assert_field(line, "name", "alice-2");
	hs_assert_field(line, "given", "alice");
	assert_int_equal(
	    hs_hello(c, "alice", NULL, line, sizeof line, NULL), 0);
	hs_assert_field(line, "given", "alice");
	assert_int_equal(hs_field(line, "name", cname, sizeof cname), 0);
	assert_string_not_equal(cname, "alice");
	assert_string_not_equal(cname, "alice-2");
	assert_memory_equal(cname, "alice", 5);

	/* Renaming into a taken name (in any case) is refused, saying so,
	 * and the name stays (issue #15: it was quietly ALICE-3); a name in
	 * the server's own form (alice-2) cannot be asked for. */
	assert_non_null(d = hs_client_hello(srv, "dave"));
	assert_int_equal(hs_cmd(d, line, sizeof line, "name alice-2"), 0);
	assert_true(hs_starts(line, "err bad-name"));
	assert_int_equal(hs_cmd(d, line, sizeof line, "name ALICE"), 0);
	assert_true(hs_starts(line, "err name-taken"));
	hs_assert_field(
	    line, "msg", "the name ALICE is taken; you are still dave");
	assert_int_equal(hs_cmd(d, line, sizeof line, "name dave"), 0);
	assert_true(hs_starts(line, "ok name"));
	hs_assert_field(line, "name", "dave");
	/* A free name is taken as asked. */
	assert_int_equal(hs_cmd(d, line, sizeof line, "name Dora"), 0);
	assert_true(hs_starts(line, "ok name"));
	hs_assert_field(line, "name", "Dora");
	hs_assert_field(line, "given", "Dora");
	(void)name;

	/* The default name is "guest". */
	{
		struct hs_client *g = hs_client_new(srv);

		assert_non_null(g);
		assert_int_equal(
		    hs_hello(g, NULL, NULL, line, sizeof line, NULL), 0);
		hs_assert_field(line, "name", "guest");
	}
}

/* Reads what is there; records evts, checks ok run against own moves. */
static void
mover_read(struct mover *m)
{
	char line[HS_LINE_MAX], kind[32];
	long long seq, cid, x, y;

	if (hs_fill(m->c, 0) == 0)
		fail_msg("client %d: EOF during the runs", m->c->cid);
	while (hs_line_ms(m->c, line, sizeof line, 0) >= 0) {
		if (hs_evt(line, &seq, kind, sizeof kind) == 0) {
			if (m->nevt >= 4 * RUNS)
				fail_msg("too many events: %s", line);
			m->seqs[m->nevt] = seq;
			hs_copy(m->lines[m->nevt], sizeof m->lines[0], line);
			m->nevt++;
			if (strcmp(kind, "move") == 0 &&
			    hs_field_ll(line, "cid", &cid) == 0 &&
			    cid == m->c->cid) {
				assert_true(m->own < RUNS);
				assert_int_equal(hs_field_ll(line, "x", &x), 0);
				assert_int_equal(hs_field_ll(line, "y", &y), 0);
				m->own_x[m->own] = x;
				m->own_y[m->own] = y;
				m->own++;
			}
		} else if (hs_starts(line, "ok run")) {
			m->oks++;
			if (m->oks > m->own)
				m->misordered++;
			else if (hs_field_ll(line, "x", &x) != 0 ||
				 hs_field_ll(line, "y", &y) != 0 ||
				 x != m->own_x[m->oks - 1] ||
				 y != m->own_y[m->oks - 1])
				m->misordered++;
		} else
			fail_msg(
			    "client %d: unexpected \"%s\"", m->c->cid, line);
	}
}

/*
 * Two clients each send RUNS moves (+1/-1 alternating) as fast as the
 * sockets take them while reading everything: both must record the same
 * (seq, line) list with consecutive seqs, and each ok run must follow its
 * own move event and report its position.
 */
static void
test_concurrent_moves(void **state)
{
	struct hs_server *srv = *state;
	struct mover m[2];
	struct pollfd pfd[2];
	long long deadline;
	char line[HS_LINE_MAX];
	int i, k;
	ssize_t n;

	memset(m, 0, sizeof m);
	assert_non_null(m[0].c = hs_client_hello(srv, "east"));
	assert_non_null(m[1].c = hs_client_hello(srv, "north"));
	/* Start both records after the second join. */
	assert_int_equal(hs_expect(m[0].c, "evt ", line, sizeof line), 0);
	assert_true(strstr(line, " join ") != NULL);
	assert_int_equal(m[0].c->seq_last, m[1].c->seq_last);

	for (k = 0; k < 2; k++) {
		m[k].seqs = calloc(4 * RUNS, sizeof *m[k].seqs);
		m[k].lines = calloc(4 * RUNS, sizeof *m[k].lines);
		assert_non_null(m[k].seqs);
		assert_non_null(m[k].lines);
		for (i = 0; i < RUNS; i++) {
			const char *cmd =
			    k == 0 ? (i % 2 ? "run -1 0\n" : "run 1 0\n")
				   : (i % 2 ? "run 0 -1\n" : "run 0 1\n");
			memcpy(m[k].out + m[k].outlen, cmd, strlen(cmd));
			m[k].outlen += strlen(cmd);
		}
	}

	deadline = hs_now_ms() + hs_wait_ms(20000);
	while (m[0].oks < RUNS || m[1].oks < RUNS || m[0].nevt < 2 * RUNS ||
	       m[1].nevt < 2 * RUNS) {
		if (hs_now_ms() > deadline)
			fail_msg("stuck: oks %d/%d evts %d/%d", m[0].oks,
			    m[1].oks, m[0].nevt, m[1].nevt);
		for (k = 0; k < 2; k++) {
			pfd[k].fd = m[k].c->fd;
			pfd[k].events = POLLIN;
			if (m[k].outoff < m[k].outlen)
				pfd[k].events |= POLLOUT;
		}
		if (poll(pfd, 2, 100) <= 0)
			continue;
		for (k = 0; k < 2; k++) {
			if (pfd[k].revents & POLLOUT) {
				/* A few commands at a time, to interleave. */
				size_t chunk = m[k].outlen - m[k].outoff;
				if (chunk > 90)
					chunk = 90;
				n = send(m[k].c->fd, m[k].out + m[k].outoff,
				    chunk, MSG_DONTWAIT | MSG_NOSIGNAL);
				if (n > 0)
					m[k].outoff += (size_t)n;
			}
			if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR))
				mover_read(&m[k]);
		}
	}

	for (k = 0; k < 2; k++) {
		assert_int_equal(m[k].misordered, 0);
		assert_int_equal(m[k].own, RUNS);
		assert_int_equal(m[k].c->seq_gaps, 0);
		for (i = 1; i < m[k].nevt; i++)
			assert_int_equal(m[k].seqs[i], m[k].seqs[i - 1] + 1);
	}
	assert_int_equal(m[0].nevt, 2 * RUNS);
	assert_int_equal(m[1].nevt, 2 * RUNS);
	for (i = 0; i < m[0].nevt; i++) {
		assert_int_equal(m[0].seqs[i], m[1].seqs[i]);
		assert_string_equal(m[0].lines[i], m[1].lines[i]);
	}
	/* Both moved home in the end: +1/-1 pairs cancel. */
	assert_int_equal(hs_cmd(m[0].c, line, sizeof line, "where"), 0);
	hs_assert_field(line, "x", "0");
	hs_assert_field(line, "y", "0");
	for (k = 0; k < 2; k++) {
		free(m[k].seqs);
		free(m[k].lines);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_v1_replies, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_v1_errors, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_duplicate_names, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_concurrent_moves, hs_state_no_rate, hs_state_free),
	};

	return cmocka_run_group_tests_name("v1", tests, NULL, NULL);
}
