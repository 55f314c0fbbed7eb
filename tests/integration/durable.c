/*
 * durable.c - the world survives kill -9 (turtled --state DIR).
 *
 * The kill loop: a client walks the turtle over a raster, one cell per
 * "run", pipelining its moves and noting each one acknowledged; the
 * master is killed (SIGKILL) at a random moment, started again on the same
 * state directory, and the client checks, every round: the turtle is where
 * one of the moves it sent left it, never before the last one acknowledged
 * (nothing acknowledged is lost), SEQ goes on after the last acknowledged
 * one with no gap, and moves go on from there.  With --fsync always an
 * event is on disk before anyone is told of it; kill -9 keeps the page
 * cache, so this checks the order (record, then reply) and recovery, not
 * the disk.  $TURTLENET_KILL_ROUNDS changes the 200 rounds.
 *
 * Also: a second turtled on the same directory is refused; a state file
 * that is not ours is refused and left untouched; a torn log tail is cut.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define ROW 200 /* cells a raster row walks before the next row */

/* Where the k-th move of the raster leaves the turtle (k = 0: the
 * corner it starts from). */
static void
raster(long k, long *x, long *y)
{
	*x = -100 + k % ROW;
	*y = -100 + k / ROW;
}

/* The index of the raster position x,y, or -1. */
static long
raster_index(long x, long y)
{
	if (x < -100 || x >= -100 + ROW || y < -100 || y > 100)
		return -1;
	return (y + 100) * ROW + (x + 100);
}

static void
state_args(struct hs_server *srv, char *dir, size_t len, const char **args)
{
	snprintf(dir, len, "%s/state", srv->dir);
	args[0] = "--state";
	args[1] = dir;
	args[2] = "--rate";
	args[3] = "100000";
	args[4] = "--burst";
	args[5] = "100000";
	args[6] = NULL;
}

/* Joins and reads where the turtle is: its raster index. */
static long
where_index(struct hs_client *c)
{
	char line[HS_LINE_MAX];
	long long x, y;

	hs_assert_reply_line(c, "where", "ok where", line, sizeof line);
	assert_int_equal(hs_field_ll(line, "x", &x), 0);
	assert_int_equal(hs_field_ll(line, "y", &y), 0);
	return raster_index((long)x, (long)y);
}

static void
test_kill_loop(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c;
	char dir[PATH_MAX], line[HS_LINE_MAX], reply[HS_LINE_MAX];
	const char *args[8];
	long rounds = 200, r, k, sent, acked, at, n, i, got, nx, ny;
	long long x, y, acked_seq = 0, seq;
	const char *env = getenv("TURTLENET_KILL_ROUNDS");
	long long t0 = hs_now_ms();

	if (env != NULL && atol(env) > 0)
		rounds = atol(env);
	srand(4242);
	state_args(srv, dir, sizeof dir, args);
	srv->nocheck_exit = 1;
	/* Round 0 puts the turtle on the raster's first cell. */
	assert_int_equal(hs_server_start(srv, args), 0);
	assert_non_null(c = hs_client_hello(srv, "walker"));
	hs_assert_reply(c, "run -100 -100", "ok run");
	at = 0; /* the server's raster index */
	acked = 0;
	for (r = 0; r < rounds; r++) {
		/* Moves, pipelined; some acknowledged, then the kill. */
		n = 1 + rand() % 40;
		for (i = 1, sent = at; i <= n; i++) {
			raster(at + i, &nx, &ny);
			if ((at + i) % ROW == 0)
				assert_int_equal(
				    hs_sendf(c, "run %d 1\n", -(ROW - 1)), 0);
			else
				assert_int_equal(hs_sendf(c, "run 1 0\n"), 0);
			sent = at + i;
		}
		got = rand() % (n + 1);
		for (i = 0; i < got; i++) {
			assert_int_equal(
			    hs_expect(c, "ok run", reply, sizeof reply), 0);
			assert_int_equal(hs_field_ll(reply, "x", &x), 0);
			assert_int_equal(hs_field_ll(reply, "y", &y), 0);
			k = raster_index((long)x, (long)y);
			assert_true(k > acked && k <= sent);
			acked = k;
			/* Its event came just before its reply. */
			acked_seq = c->seq_last;
		}
		assert_int_equal(kill(srv->pid, SIGKILL), 0);
		assert_int_equal(
		    hs_server_wait(srv, hs_wait_ms(HS_WAIT_MS)), 0);
		hs_client_close(c);

		assert_int_equal(hs_server_start(srv, args), 0);
		c = hs_client_new(srv);
		assert_non_null(c);
		assert_int_equal(
		    hs_hello(c, "walker", NULL, line, sizeof line, NULL), 0);
		/* Nothing acknowledged is lost; SEQ goes on past it. */
		k = where_index(c);
		if (k < acked || k > sent)
			fail_msg("round %ld: the turtle is at move %ld; moves "
				 "%ld were acknowledged, %ld sent",
			    r, k, acked, sent);
		seq = c->seq_last;
		if (seq <= acked_seq)
			fail_msg(
			    "round %ld: seq %lld after a restart, but %lld "
			    "was acknowledged",
			    r, seq, acked_seq);
		assert_int_equal(c->seq_gaps, 0);
		at = acked = k;
	}
	/* One more move after the last restart: SEQ follows on. */
	hs_assert_reply(c, "run 0 0", "ok run");
	assert_int_equal(c->seq_gaps, 0);
	hs_client_close(c);
	printf("%ld kill rounds in %lld ms, %ld moves survived\n", rounds,
	    hs_now_ms() - t0, at);
}

/* What Logo made survives too, and a clean stop leaves a snapshot. */
static void
test_logo_survives(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c;
	char dir[PATH_MAX], line[HS_LINE_MAX], path[PATH_MAX + 16];
	const char *args[8];
	struct stat st;

	state_args(srv, dir, sizeof dir, args);
	srv->nocheck_exit = 1;
	assert_int_equal(hs_server_start(srv, args), 0);
	assert_non_null(c = hs_client_hello(srv, "teacher"));
	hs_assert_reply(c, "to sq :n", "ok logo");
	hs_assert_reply(c, "repeat 4 [fd :n rt 90]", "ok logo");
	hs_assert_reply(c, "end", "ok logo");
	hs_assert_reply(c, "make \"side 7", "ok logo");
	hs_assert_reply(c, "rt 30 sq :side fd 3.3", "ok logo");
	hs_assert_reply_line(c, "where", "ok where", line, sizeof line);
	assert_int_equal(kill(srv->pid, SIGKILL), 0);
	assert_int_equal(hs_server_wait(srv, hs_wait_ms(HS_WAIT_MS)), 0);
	hs_client_close(c);

	assert_int_equal(hs_server_start(srv, args), 0);
	assert_non_null(c = hs_client_hello(srv, "student"));
	hs_assert_reply_line(c, "where", "ok where", line, sizeof line);
	hs_assert_field(line, "x", "1.65");
	hs_assert_field(line, "heading", "30");
	hs_assert_reply_line(c, "sq :side", "ok logo", line, sizeof line);
	hs_assert_field(line, "segs", "4");
	hs_client_close(c);
	/* A clean stop: a snapshot, and the log starts again. */
	srv->nocheck_exit = 0;
	assert_int_equal(hs_server_stop(srv), 0);
	snprintf(path, sizeof path, "%s/snapshot", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(hs_server_start(srv, args), 0);
	assert_non_null(c = hs_client_hello(srv, "again"));
	hs_assert_reply_line(c, "where", "ok where", line, sizeof line);
	hs_assert_field(line, "x", "1.65");
	hs_client_close(c);
}

static void
test_refusals(void **state)
{
	struct hs_server *srv = *state;
	char dir[PATH_MAX], path[PATH_MAX + 16], err[PATH_MAX + 16];
	char sock2[PATH_MAX + 16], *text;
	const char *args[8], *run[8];
	size_t len;
	int fd, st;

	state_args(srv, dir, sizeof dir, args);
	assert_int_equal(hs_server_start(srv, args), 0);
	/* A second turtled on the same directory. */
	snprintf(sock2, sizeof sock2, "%s/sock2", srv->dir);
	snprintf(err, sizeof err, "%s/err2", srv->dir);
	run[0] = "-f";
	run[1] = "-S";
	run[2] = sock2;
	run[3] = "--state";
	run[4] = dir;
	run[5] = NULL;
	st = hs_run_turtled(run, err, NULL, hs_wait_ms(HS_WAIT_MS));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) != 0);
	assert_non_null(text = hs_read_file(err, &len));
	assert_non_null(strstr(text, "in use by another turtled"));
	free(text);
	assert_int_equal(hs_server_stop(srv), 0);

	/* A log that is not ours: refused, and left as it was. */
	snprintf(path, sizeof path, "%s/log", dir);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd != -1);
	assert_int_equal(write(fd, "my notes\n", 9), 9);
	close(fd);
	st = hs_run_turtled(run, err, NULL, hs_wait_ms(HS_WAIT_MS));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) != 0);
	assert_non_null(text = hs_read_file(err, &len));
	assert_non_null(strstr(text, "is not a turtled state file"));
	free(text);
	assert_non_null(text = hs_read_file(path, &len));
	assert_int_equal(len, 9);
	assert_memory_equal(text, "my notes\n", 9);
	free(text);
}

/* A torn record at the log's end (a crash mid-write) is cut; what came
 * before it stays. */
static void
test_torn_tail(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c;
	char dir[PATH_MAX], path[PATH_MAX + 16], line[HS_LINE_MAX];
	const char *args[8];
	int fd;

	state_args(srv, dir, sizeof dir, args);
	srv->nocheck_exit = 1;
	assert_int_equal(hs_server_start(srv, args), 0);
	assert_non_null(c = hs_client_hello(srv, "a"));
	hs_assert_reply(c, "run 5 6", "ok run");
	assert_int_equal(kill(srv->pid, SIGKILL), 0);
	assert_int_equal(hs_server_wait(srv, hs_wait_ms(HS_WAIT_MS)), 0);
	hs_client_close(c);
	snprintf(path, sizeof path, "%s/log", dir);
	fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd != -1);
	/* A record header promising 100 bytes, and 3 of them. */
	assert_int_equal(write(fd, "\x64\0\0\0\1\2\3\4\1abc", 12), 12);
	close(fd);
	assert_int_equal(hs_server_start(srv, args), 0);
	assert_non_null(c = hs_client_hello(srv, "b"));
	hs_assert_reply_line(c, "where", "ok where", line, sizeof line);
	hs_assert_field(line, "x", "5");
	hs_assert_field(line, "y", "6");
	hs_client_close(c);
	assert_true(hs_log_count(srv, "torn or damaged") >= 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_kill_loop, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_logo_survives, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_refusals, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_torn_tail, hs_state_init, hs_state_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
