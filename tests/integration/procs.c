/*
 * procs.c - the process model as the kernel sees it: each worker holds
 * exactly one client socket, its own, and nothing else the master holds
 * (no listener, no other client, no other worker's socketpair); after
 * churn no zombie is left and no worker outlives its client.
 *
 * The spawner and the idle workers are children too but serve nobody: they
 * must hold no client socket either, and churn must not make them pile up.
 *
 * A socket shared by two processes has one inode in both /proc/PID/fd
 * tables.  The server's end of a unix connection shows the listener's
 * path in /proc/net/unix; sock_diag names the peer of our end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAXSOCK     512
#define CYCLES      100
#define HELPERS_MAX 16 /* the spawner and its idle workers, at most */

static int
has(const unsigned long *set, int n, unsigned long ino)
{
	int i;

	for (i = 0; i < n; i++) {
		if (set[i] == ino)
			return 1;
	}
	return 0;
}

static void
test_worker_fds(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c[3];
	unsigned long m[MAXSOCK], w[MAXSOCK], conns[MAXSOCK], lis[8], ping[8],
	    peer;
	char pingpath[PATH_MAX + 8], reply[64];
	pid_t workers[3], kids[HS_PIDS_MAX];
	int nm, nw, nconns, nlis, nping, nk, i, j, shared, own;

	assert_non_null(c[0] = hs_client_hello(srv, "one"));
	assert_non_null(c[1] = hs_client_hello(srv, "two"));
	assert_non_null(c[2] = hs_client_new(srv));
	assert_int_equal(hs_send(c[2], "getcid\n", 7), 0);
	assert_true(hs_classic_reply(c[2], reply, sizeof reply) > 0);

	nm = hs_proc_sockets(srv->pid, m, MAXSOCK);
	assert_true(nm > 0 && nm < MAXSOCK);
	nconns = hs_unix_path_inodes(srv->sock, 0, conns, MAXSOCK);
	assert_int_equal(nconns, 3);
	nlis = hs_unix_path_inodes(srv->sock, 1, lis, 8);
	assert_int_equal(nlis, 1);
	assert_true(has(m, nm, lis[0]));
	snprintf(pingpath, sizeof pingpath, "%s.ping", srv->sock);
	nping = hs_unix_path_inodes(pingpath, 0, ping, 8);
	assert_int_equal(nping, 1);

	for (i = 0; i < 3; i++) {
		workers[i] = hs_worker_of(c[i]);
		assert_true(workers[i] > 0);
		for (j = 0; j < i; j++)
			assert_int_not_equal(workers[i], workers[j]);
		peer = hs_unix_peer(c[i]->fd);
		assert_true(has(conns, nconns, peer));
		/* The master writes to every client: it holds this one. */
		assert_true(has(m, nm, peer));

		nw = hs_proc_sockets(workers[i], w, MAXSOCK);
		assert_true(nw > 0 && nw < MAXSOCK);
		for (j = 0, shared = 0, own = 0; j < nw; j++) {
			if (has(lis, nlis, w[j]) || has(ping, nping, w[j]))
				fail_msg("worker %d holds a listener (inode "
					 "%lu)",
				    (int)workers[i], w[j]);
			if (has(conns, nconns, w[j]) && w[j] != peer)
				fail_msg("worker %d holds another client's "
					 "socket (inode %lu)",
				    (int)workers[i], w[j]);
			if (w[j] == peer)
				own++;
			if (has(m, nm, w[j]) && w[j] != peer) {
				fail_msg("worker %d holds socket %lu that the "
					 "master holds too (another worker's "
					 "socketpair?)",
				    (int)workers[i], w[j]);
				shared++;
			}
		}
		assert_int_equal(own, 1);
		assert_int_equal(shared, 0);
	}

	/* The others (spawner, idle workers) hold no client and no listener. */
	nk = hs_children(srv->pid, kids, HS_PIDS_MAX);
	assert_true(nk >= 4 && nk <= HS_PIDS_MAX);
	for (i = 0; i < nk; i++) {
		if (kids[i] == workers[0] || kids[i] == workers[1] ||
		    kids[i] == workers[2])
			continue;
		nw = hs_proc_sockets(kids[i], w, MAXSOCK);
		if (nw < 0)
			continue; /* gone meanwhile (an idle worker let go) */
		for (j = 0; j < nw; j++) {
			if (has(lis, nlis, w[j]) || has(ping, nping, w[j]) ||
			    has(conns, nconns, w[j]))
				fail_msg("child %d, serving nobody, holds "
					 "socket %lu of a client or listener",
				    (int)kids[i], w[j]);
			if (has(m, nm, w[j]))
				fail_msg("child %d, serving nobody, holds "
					 "socket %lu that the master holds",
				    (int)kids[i], w[j]);
		}
	}
}

static void
test_no_zombies(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *watcher, *c;
	char line[HS_LINE_MAX];
	pid_t kids[HS_PIDS_MAX];
	long long deadline;
	int i, n, helpers;

	assert_non_null(watcher = hs_client_hello(srv, "watcher"));
	for (i = 0; i < CYCLES; i++) {
		assert_non_null(c = hs_client_new(srv));
		switch (i % 4) {
		case 0: /* v1, quit */
			assert_int_equal(
			    hs_hello(c, "cycle", NULL, NULL, 0, NULL), 0);
			assert_int_equal(
			    hs_cmd(c, line, sizeof line, "quit"), 0);
			assert_int_equal(
			    hs_wait_eof(c, hs_wait_ms(HS_WAIT_MS)), 0);
			break;
		case 1: /* classic, quit */
			assert_int_equal(
			    hs_send(c, "getcid\n\0quit\n\0", 14), 0);
			assert_int_equal(
			    hs_wait_eof(c, hs_wait_ms(HS_WAIT_MS)), 0);
			break;
		case 2: /* v1, vanishes */
			assert_int_equal(
			    hs_hello(c, "cycle", NULL, NULL, 0, NULL), 0);
			break;
		default: /* connects and closes at once */
			break;
		}
		hs_client_close(c);
	}
	assert_int_equal(hs_no_zombies(srv->pid, hs_wait_ms(HS_WAIT_MS)), 0);
	/* Only the watcher's worker is left, once the last ones are reaped. */
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	while ((n = hs_workers(srv->pid, kids, HS_PIDS_MAX, &helpers)) != 1) {
		if (hs_now_ms() > deadline)
			fail_msg("%d workers after the churn, want 1", n);
		hs_nap(10);
	}
	if (helpers < 1 || helpers > HELPERS_MAX)
		fail_msg("%d spawner and idle workers, want 1 to %d", helpers,
		    HELPERS_MAX);
	assert_int_equal(hs_no_zombies(srv->pid, 0), 0);
	assert_int_equal(hs_cmd(watcher, line, sizeof line, "getcid"), 0);
	assert_true(hs_starts(line, "ok getcid"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_worker_fds, hs_state_no_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_no_zombies, hs_state_no_rate, hs_state_free),
	};

	return cmocka_run_group_tests_name("procs", tests, NULL, NULL);
}
