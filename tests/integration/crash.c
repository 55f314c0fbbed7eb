/*
 * crash.c - a worker that dies (SIGKILL, SIGSEGV) costs only its own
 * client, which is told why (err internal): the others hear "leave
 * reason=crash", the server serves on and
 * its log names the signal.  A spawner that dies (with the idle workers it
 * forked) costs nobody: a new one comes and new clients are served.  A
 * master that dies takes every child along (workers, spawner, idle ones)
 * and every client sees the connection end.
 *
 * A client's worker is found with hs_worker_of(): the child of the master
 * whose /proc/PID/fd holds the server's end of that client's socket (the
 * peer inode, from sock_diag).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* The server and the environment strings it is started with. */
struct crash_state {
	struct hs_server srv; /* first: hs_state_free() frees it all */
	char asan_env[1024];
	char ubsan_env[1024];
};

/*
 * A SIGSEGV sent from outside must kill the worker as it would without
 * sanitizers, not be reported and turned into exit 1 by their handler.
 */
static int
setup(void **state)
{
	const char *a = getenv("ASAN_OPTIONS"), *u = getenv("UBSAN_OPTIONS");
	struct crash_state *cs;

	if (hs_state_alloc(state, sizeof *cs) != 0)
		return -1;
	cs = *state;
	snprintf(cs->asan_env, sizeof cs->asan_env,
	    "ASAN_OPTIONS=%.900s%shandle_segv=0", a ? a : "",
	    a && *a ? ":" : "");
	snprintf(cs->ubsan_env, sizeof cs->ubsan_env,
	    "UBSAN_OPTIONS=%.900s%shandle_segv=0", u ? u : "",
	    u && *u ? ":" : "");
	cs->srv.env[0] = cs->asan_env;
	cs->srv.env[1] = cs->ubsan_env;
	return hs_state_start(state, NULL);
}

/* c must hear that victim left for reason. */
static void
expect_leave(struct hs_client *c, int victim, const char *reason)
{
	char line[HS_LINE_MAX], kind[32], why[64];
	long long seq, cid;

	for (;;) {
		if (hs_expect(c, "evt ", line, sizeof line) != 0)
			fail_msg(
			    "%s: no evt leave for cid %d", c->name, victim);
		if (hs_evt(line, &seq, kind, sizeof kind) != 0 ||
		    strcmp(kind, "leave") != 0)
			continue;
		assert_int_equal(hs_field_ll(line, "cid", &cid), 0);
		if (cid == victim)
			break;
	}
	assert_int_equal(hs_field(line, "reason", why, sizeof why), 0);
	if (strcmp(why, reason) != 0)
		fail_msg("\"%s\": want reason=%s", line, reason);
}

static void
assert_serving(struct hs_server *srv, struct hs_client *c)
{
	struct hs_client *n;
	char line[HS_LINE_MAX];

	assert_int_equal(hs_cmd(c, line, sizeof line, "run 1 1"), 0);
	assert_true(hs_starts(line, "ok run"));
	assert_non_null(n = hs_client_hello(srv, "newcomer"));
	assert_int_equal(hs_cmd(n, line, sizeof line, "getcid"), 0);
	assert_true(hs_starts(line, "ok getcid"));
	hs_client_close(n);
}

static void
kill_worker(struct hs_server *srv, struct hs_client *victim,
    struct hs_client *a, struct hs_client *b, int sig)
{
	char pidstr[32], sigstr[32], line[HS_LINE_MAX];
	pid_t w;

	w = hs_worker_of(victim);
	assert_true(w > 0);
	assert_int_not_equal(w, srv->pid);
	assert_int_equal(kill(w, sig), 0);

	/* The victim is told why, then the connection ends. */
	assert_int_equal(
	    hs_expect(victim, "err internal", line, sizeof line), 0);
	assert_non_null(strstr(line, "stopped"));
	assert_int_equal(hs_wait_eof(victim, hs_wait_ms(HS_WAIT_MS)), 0);
	expect_leave(a, victim->cid, "crash");
	expect_leave(b, victim->cid, "crash");
	snprintf(pidstr, sizeof pidstr, "pid=%d ", (int)w);
	snprintf(sigstr, sizeof sigstr, "signal %d", sig);
	assert_int_equal(hs_log_wait(srv, pidstr, sigstr, line, sizeof line,
			     hs_wait_ms(HS_WAIT_MS)),
	    0);
	snprintf(pidstr, sizeof pidstr, "cid=%d ", victim->cid);
	if (strstr(line, pidstr) == NULL)
		fail_msg("log line does not name %s: %s", pidstr, line);
	assert_true(hs_server_alive(srv));
}

static void
test_worker_crashes(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b, *k, *s;

	assert_non_null(a = hs_client_hello(srv, "alpha"));
	assert_non_null(k = hs_client_hello(srv, "killed"));
	assert_non_null(b = hs_client_hello(srv, "beta"));
	assert_non_null(s = hs_client_hello(srv, "segv"));

	kill_worker(srv, k, a, b, SIGKILL);
	assert_serving(srv, a);
	kill_worker(srv, s, a, b, SIGSEGV);
	assert_serving(srv, b);
	assert_int_equal(a->seq_gaps + b->seq_gaps, 0);
}

/* The spawner and every idle worker die: the server goes on. */
static void
test_spawner_killed(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b, *c[6];
	char line[HS_LINE_MAX], pidstr[32], comm[HS_PIDS_MAX][32];
	pid_t helpers[HS_PIDS_MAX];
	long long deadline;
	int n, i, spawners = 0;

	assert_non_null(a = hs_client_hello(srv, "before"));
	/* A worker just forked has the spawner's name for a moment. */
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	do {
		if (hs_now_ms() > deadline)
			fail_msg(
			    "%d processes named turtled-spawner", spawners);
		hs_nap(spawners == 0 ? 0 : 10);
		n = hs_helpers(srv->pid, helpers, HS_PIDS_MAX);
		assert_true(n >= 1 && n <= HS_PIDS_MAX);
		for (i = 0, spawners = 0; i < n; i++) {
			if (hs_proc_comm(helpers[i], comm[i], sizeof comm[i]) ==
			    0)
				spawners +=
				    strcmp(comm[i], "turtled-spawner") == 0;
			else
				comm[i][0] = '\0';
		}
	} while (spawners != 1);
	for (i = 0; i < n; i++)
		assert_true(kill(helpers[i], SIGKILL) == 0 || errno == ESRCH);
	for (i = 0; i < n; i++) {
		if (strcmp(comm[i], "turtled-spawner") != 0)
			continue;
		snprintf(
		    pidstr, sizeof pidstr, "spawner pid=%d ", (int)helpers[i]);
		assert_int_equal(hs_log_wait(srv, pidstr, "signal 9", line,
				     sizeof line, hs_wait_ms(HS_WAIT_MS)),
		    0);
	}
	assert_int_equal(hs_log_wait(srv, "spawner restarted", NULL, line,
			     sizeof line, hs_wait_ms(HS_WAIT_MS)),
	    0);
	/* Reaped, every one: none is still counted on for a connection. */
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	for (i = 0; i < n; i++) {
		while (hs_proc_state(helpers[i]) != 0) {
			if (hs_now_ms() > deadline)
				fail_msg(
				    "pid %d was not reaped", (int)helpers[i]);
			hs_nap(10);
		}
	}

	/* The old client was never in danger; new ones get new workers. */
	assert_serving(srv, a);
	for (i = 0; i < 6; i++) {
		assert_non_null(c[i] = hs_client_hello(srv, "after"));
		assert_true(hs_worker_of(c[i]) > 0);
	}
	assert_non_null(b = hs_client_hello(srv, "last"));
	assert_serving(srv, b);
	assert_int_equal(hs_no_zombies(srv->pid, hs_wait_ms(HS_WAIT_MS)), 0);
}

/* The master dies: clients see EOF, every child exits. */
static void
test_master_killed(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b, *c;
	pid_t workers[HS_PIDS_MAX];
	long long deadline;
	int n, i, left, status;
	char reply[64];

	/* Orphaned workers come to us, so we can see them go. */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	assert_non_null(a = hs_client_hello(srv, "one"));
	assert_non_null(b = hs_client_hello(srv, "two"));
	assert_non_null(c = hs_client_new(srv));
	assert_int_equal(hs_send(c, "getcid\n", 7), 0);
	assert_true(hs_classic_reply(c, reply, sizeof reply) > 0);
	workers[0] = hs_worker_of(a);
	workers[1] = hs_worker_of(b);
	workers[2] = hs_worker_of(c);
	for (i = 0; i < 3; i++)
		assert_true(workers[i] > 0);
	/* And the spawner and the idle workers: nobody may outlive it. */
	n = hs_helpers(srv->pid, workers + 3, HS_PIDS_MAX - 3);
	assert_true(n >= 1 && n <= HS_PIDS_MAX - 3);
	n += 3;

	srv->nocheck_exit = 1;
	assert_int_equal(kill(srv->pid, SIGKILL), 0);
	assert_int_equal(hs_server_wait(srv, hs_wait_ms(HS_WAIT_MS)), 0);

	assert_int_equal(hs_wait_eof(a, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_int_equal(hs_wait_eof(b, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_int_equal(hs_wait_eof(c, hs_wait_ms(HS_WAIT_MS)), 0);

	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	for (;;) {
		left = 0;
		for (i = 0; i < n; i++) {
			waitpid(workers[i], &status, WNOHANG);
			if (hs_proc_state(workers[i]) != 0)
				left++;
		}
		if (left == 0)
			break;
		if (hs_now_ms() > deadline)
			fail_msg("%d children outlived their master", left);
		hs_nap(10);
	}
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_worker_crashes, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_spawner_killed, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_master_killed, setup, hs_state_free),
	};

	return cmocka_run_group_tests_name("crash", tests, NULL, NULL);
}
