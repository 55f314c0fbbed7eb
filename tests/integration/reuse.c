/*
 * reuse.c - a worker serves one client at a time and, once that client has
 * gone cleanly (quit, EOF), the next one, up to --worker-uses clients.  The
 * next client finds a fresh session: no hello carried over, no dialect, no
 * socket of the one before.  With --worker-uses 1 every client gets a new
 * process.
 *
 * Which worker a client got is found with hs_worker_of() (sock_diag and
 * /proc/PID/fd).  The pool hands out the worker returned last, so a client
 * that connects after another has left gets that one's worker.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static int
setup_two(void **state)
{
	static const char *const args[] = {"--worker-uses", "2", NULL};

	return hs_state_new(state, args);
}

static int
setup_one(void **state)
{
	static const char *const args[] = {"--worker-uses", "1", NULL};

	return hs_state_new(state, args);
}

/*
 * Waits, bounded, until pid is an idle worker (comm "turtled-idle") or,
 * with comm NULL, gone and reaped.  0, or -1.
 */
static int
await_pid(pid_t pid, const char *comm)
{
	long long deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	char now[32];

	while (hs_now_ms() < deadline) {
		if (comm == NULL ? hs_proc_state(pid) == 0
				 : hs_proc_comm(pid, now, sizeof now) == 0 &&
				       strcmp(now, comm) == 0)
			return 0;
		hs_nap(5);
	}
	return -1;
}

/* A v1 client that says hello, quits and sees the end; its worker's pid. */
static pid_t
visit(struct hs_server *srv, const char *name)
{
	struct hs_client *c;
	char line[HS_LINE_MAX];
	pid_t pid;

	assert_non_null(c = hs_client_new(srv));
	assert_int_equal(hs_hello(c, name, NULL, NULL, 0, NULL), 0);
	assert_true((pid = hs_worker_of(c)) > 0);
	assert_int_equal(hs_cmd(c, line, sizeof line, "quit"), 0);
	assert_true(hs_starts(line, "ok quit"));
	assert_int_equal(hs_wait_eof(c, hs_wait_ms(HS_WAIT_MS)), 0);
	hs_client_close(c);
	return pid;
}

/*
 * The worker of a client that quit serves the next one, which starts from
 * nothing (its hello is a first hello), and the worker holds only the new
 * client's socket.
 */
static void
test_next_client_fresh(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *b;
	char line[HS_LINE_MAX], comm[32];
	unsigned long sock[64];
	pid_t pid;
	int n, i, peers;

	pid = visit(srv, "alice");
	assert_int_equal(await_pid(pid, "turtled-idle"), 0);

	/* A worker that kept alice's session would answer this hello
	 * with "err hello hello was already said". */
	assert_non_null(b = hs_client_new(srv));
	assert_int_equal(hs_hello(b, "bob", NULL, NULL, 0, NULL), 0);
	assert_int_equal(hs_worker_of(b), pid);
	assert_int_equal(hs_cmd(b, line, sizeof line, "getcid"), 0);
	assert_true(hs_starts(line, "ok getcid"));
	assert_int_equal(hs_proc_comm(pid, comm, sizeof comm), 0);
	assert_string_equal(comm, "turtled");

	/* Bob's socket; alice's is closed, so no other can be there. */
	peers = 0;
	n = hs_proc_sockets(pid, sock, 64);
	assert_true(n > 0);
	for (i = 0; i < n; i++)
		peers += sock[i] == hs_unix_peer(b->fd);
	assert_int_equal(peers, 1);
	hs_client_close(b);
}

/* Classic, then v1, then a client that vanishes: the dialect is per
 * client, and EOF frees the worker as quit does. */
static void
test_dialects_and_eof(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b, *c;
	char line[HS_LINE_MAX];
	pid_t pid;

	assert_non_null(a = hs_client_new(srv));
	assert_int_equal(hs_send(a, "getcid\n\0", 8), 0);
	assert_true(hs_classic_reply(a, line, sizeof line) > 0);
	assert_true((pid = hs_worker_of(a)) > 0);
	assert_int_equal(hs_send(a, "quit\n\0", 6), 0);
	assert_int_equal(hs_wait_eof(a, hs_wait_ms(HS_WAIT_MS)), 0);
	hs_client_close(a);
	assert_int_equal(await_pid(pid, "turtled-idle"), 0);

	assert_non_null(b = hs_client_new(srv));
	assert_int_equal(hs_hello(b, "vanish", NULL, NULL, 0, NULL), 0);
	assert_int_equal(hs_worker_of(b), pid);
	hs_client_close(b); /* EOF: the worker's bye */
	assert_int_equal(await_pid(pid, "turtled-idle"), 0);

	assert_non_null(c = hs_client_new(srv));
	assert_int_equal(hs_hello(c, "carol", NULL, NULL, 0, NULL), 0);
	assert_int_equal(hs_worker_of(c), pid);
	assert_int_equal(hs_cmd(c, line, sizeof line, "getcid"), 0);
	assert_true(hs_starts(line, "ok getcid"));
	hs_client_close(c);
}

/* --worker-uses 2: the same worker twice, then it exits, then another. */
static void
test_uses_limit(void **state)
{
	struct hs_server *srv = *state;
	pid_t first, second, third;

	first = visit(srv, "one");
	assert_int_equal(await_pid(first, "turtled-idle"), 0);
	second = visit(srv, "two");
	assert_int_equal(second, first);
	assert_int_equal(await_pid(first, NULL), 0);
	third = visit(srv, "three");
	assert_true(third != first);
	assert_int_equal(hs_no_zombies(srv->pid, hs_wait_ms(HS_WAIT_MS)), 0);
}

/* --worker-uses 1: a new process for every client, as a plain fork
 * server would. */
static void
test_uses_one(void **state)
{
	struct hs_server *srv = *state;
	pid_t first, second;

	first = visit(srv, "one");
	assert_int_equal(await_pid(first, NULL), 0);
	second = visit(srv, "two");
	assert_true(second != first);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_next_client_fresh, hs_state_default, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_dialects_and_eof, hs_state_default, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_uses_limit, setup_two, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_uses_one, setup_one, hs_state_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
