/*
 * exit.c - stopping turtled: _exit from an authorised client (v1 or
 * classic) and SIGTERM remove the socket at once, tell everyone, and exit
 * 0; _exit from another user is refused and changes nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define NOBODY 65534

/* The socket and its .ping are gone: connect fails, no file is left. */
static void
assert_sockets_gone(struct hs_server *srv, int fd_connect_errno)
{
	char ping[PATH_MAX + 8];
	struct stat st;

	if (fd_connect_errno != ENOENT && fd_connect_errno != ECONNREFUSED)
		fail_msg("connect right after the stop: %s, want ENOENT or "
			 "ECONNREFUSED",
		    strerror(fd_connect_errno));
	snprintf(ping, sizeof ping, "%s.ping", srv->sock);
	if (lstat(srv->sock, &st) == 0)
		fail_msg("%s still exists", srv->sock);
	if (lstat(ping, &st) == 0)
		fail_msg("%s still exists", ping);
}

/* Connects, expecting failure; returns its errno (0 if it worked). */
static int
connect_errno(struct hs_server *srv)
{
	int fd = hs_connect_unix(srv->sock);

	if (fd != -1) {
		close(fd);
		return 0;
	}
	return errno;
}

static void
assert_exit_0(struct hs_server *srv)
{
	if (hs_server_wait(srv, hs_wait_ms(HS_WAIT_MS)) != 0)
		fail_msg("turtled still running %d ms after the stop",
		    hs_wait_ms(HS_WAIT_MS));
	if (!WIFEXITED(srv->status) || WEXITSTATUS(srv->status) != 0)
		fail_msg(
		    "turtled ended with status 0x%x, want exit 0", srv->status);
}

static void
test_exit_v1(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *admin, *watcher, *classic;
	char line[HS_LINE_MAX], kind[32];
	long long seq;
	int err, got_ok = 0, got_evt = 0;

	assert_non_null(watcher = hs_client_hello(srv, "watcher"));
	assert_non_null(admin = hs_client_hello(srv, "admin"));
	assert_non_null(classic = hs_client_new(srv));
	assert_int_equal(hs_send(classic, "getcid\n", 7), 0);
	assert_true(hs_classic_reply(classic, line, sizeof line) > 0);

	/* ok _exit and evt shutdown, in either order; connect at once. */
	assert_int_equal(hs_sendf(admin, "_exit\n"), 0);
	while (!got_ok || !got_evt) {
		if (hs_line(admin, line, sizeof line) < 0)
			fail_msg("_exit: got %s before ok _exit and evt "
				 "shutdown",
			    admin->eof ? "EOF" : "nothing");
		if (hs_starts(line, "ok _exit")) {
			err = connect_errno(srv);
			assert_sockets_gone(srv, err);
			got_ok = 1;
		} else if (hs_evt(line, &seq, kind, sizeof kind) == 0) {
			if (strcmp(kind, "shutdown") != 0)
				continue;
			assert_int_equal(
			    hs_field(line, "reason", kind, sizeof kind), 0);
			got_evt = 1;
		} else
			fail_msg("_exit -> \"%s\"", line);
	}
	do
		assert_int_equal(
		    hs_expect(watcher, "evt ", line, sizeof line), 0);
	while (hs_evt(line, &seq, kind, sizeof kind) == 0 &&
	       strcmp(kind, "shutdown") != 0);
	assert_int_equal(hs_wait_eof(admin, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_int_equal(hs_wait_eof(watcher, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_int_equal(hs_wait_eof(classic, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_exit_0(srv);
	assert_int_equal(watcher->seq_gaps + admin->seq_gaps, 0);
}

static void
test_exit_classic(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c, *watcher;
	char line[HS_LINE_MAX];
	size_t before;
	int err;

	assert_non_null(watcher = hs_client_hello(srv, "watcher"));
	assert_non_null(c = hs_client_new(srv));
	assert_int_equal(hs_send(c, "run 1 1\n\0", 9), 0);
	assert_true(hs_classic_reply(c, line, sizeof line) > 0);
	before = c->received;
	assert_int_equal(hs_send(c, "_exit\n\0", 7), 0);
	/* No reply: the connection just ends, and so does the server. */
	assert_int_equal(hs_wait_eof(c, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_int_equal(c->received, before);
	err = connect_errno(srv);
	assert_sockets_gone(srv, err);
	assert_int_equal(hs_expect(watcher, "evt ", line, sizeof line), 0);
	while (strstr(line, " shutdown ") == NULL)
		assert_int_equal(
		    hs_expect(watcher, "evt ", line, sizeof line), 0);
	assert_int_equal(hs_wait_eof(watcher, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_exit_0(srv);
}

static void
test_sigterm(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c;
	char line[HS_LINE_MAX];

	assert_non_null(c = hs_client_hello(srv, "bystander"));
	assert_int_equal(kill(srv->pid, SIGTERM), 0);
	assert_int_equal(hs_expect(c, "evt ", line, sizeof line), 0);
	while (strstr(line, " shutdown ") == NULL)
		assert_int_equal(hs_expect(c, "evt ", line, sizeof line), 0);
	assert_int_equal(hs_wait_eof(c, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_exit_0(srv);
	assert_sockets_gone(srv, connect_errno(srv));
}

/*
 * A signal to turtled's whole process group (^C in its terminal) reaches
 * the workers too: they must leave the stop to the master, so every
 * client sees evt shutdown and nothing is logged as a crash.
 */
static void
group_signal(struct hs_server *srv, int sig)
{
	struct hs_client *c[3];
	char line[HS_LINE_MAX], *log;
	size_t i, len;

	for (i = 0; i < 3; i++)
		assert_non_null(c[i] = hs_client_hello(srv, "grp"));
	/* The harness started turtled as the leader of its own group. */
	assert_int_equal(getpgid(srv->pid), srv->pid);
	assert_int_equal(kill(-srv->pid, sig), 0);
	for (i = 0; i < 3; i++) {
		do
			if (hs_expect(c[i], "evt ", line, sizeof line) != 0)
				fail_msg("client %zu: no evt shutdown after "
					 "signal %d to the group",
				    i, sig);
		while (strstr(line, " shutdown ") == NULL);
		assert_int_equal(hs_wait_eof(c[i], hs_wait_ms(HS_WAIT_MS)), 0);
		assert_int_equal(c[i]->seq_gaps, 0);
	}
	assert_exit_0(srv);
	assert_non_null(log = hs_read_file(srv->log, &len));
	if (strstr(log, "crash") != NULL ||
	    strstr(log, "terminated: signal") != NULL) {
		hs_server_dump(srv);
		free(log);
		fail_msg("signal %d to the group was logged as a crash", sig);
	}
	free(log);
}

static void
test_group_sigint(void **state)
{
	group_signal(*state, SIGINT);
}

static void
test_group_sigterm(void **state)
{
	group_signal(*state, SIGTERM);
}

/*
 * Runs as nobody: v1 _exit must get err forbidden, classic _exit "Turtle
 * refuses: forbidden".  Returns 0 when both did, else a step number.
 */
static int
as_nobody(const char *sock)
{
	struct hs_client *c;
	char line[HS_LINE_MAX];

	if (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 ||
	    setuid(NOBODY) != 0 || getuid() != NOBODY)
		return 10;
	if ((c = hs_client_wrap(NULL, hs_connect_unix(sock))) == NULL)
		return 11;
	if (hs_hello(c, "nobody", NULL, NULL, 0, NULL) != 0)
		return 12;
	if (hs_cmd(c, line, sizeof line, "_exit") != 0)
		return 13;
	if (!hs_starts(line, "err forbidden")) {
		fprintf(stderr, "nobody: _exit -> \"%s\"\n", line);
		return 14;
	}
	if (hs_cmd(c, line, sizeof line, "getcid") != 0 ||
	    !hs_starts(line, "ok getcid"))
		return 15;
	hs_client_close(c);

	if ((c = hs_client_wrap(NULL, hs_connect_unix(sock))) == NULL)
		return 16;
	if (hs_send(c, "_exit\n\0", 7) != 0 ||
	    hs_classic_reply(c, line, sizeof line) !=
		(int)sizeof "Turtle refuses: forbidden\n" ||
	    memcmp(line, "Turtle refuses: forbidden\n\0", 27) != 0) {
		fprintf(stderr, "nobody: classic _exit -> \"%s\"\n", line);
		return 17;
	}
	hs_client_close(c);
	return 0;
}

static void
test_exit_forbidden(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c;
	char line[HS_LINE_MAX];
	long long deadline;
	int status = -1;
	pid_t pid;

	if (geteuid() != 0) {
		print_message("not root: cannot run a client as another uid\n");
		skip();
	}
	/* Let nobody reach the socket: traverse the dir, write the socket. */
	assert_int_equal(chmod(srv->dir, 0711), 0);
	assert_int_equal(chmod(srv->sock, 0777), 0);
	assert_non_null(c = hs_client_hello(srv, "owner"));

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(30);
		_exit(as_nobody(srv->sock));
	}
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (hs_now_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("the client running as nobody got stuck");
		}
		hs_nap(5);
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	/* Nothing happened: the server serves on. */
	assert_true(hs_server_alive(srv));
	assert_int_equal(hs_cmd(c, line, sizeof line, "getcid"), 0);
	assert_true(hs_starts(line, "ok getcid"));
	{
		struct hs_client *d = hs_client_hello(srv, "later");

		assert_non_null(d);
	}
	assert_int_equal(c->seq_gaps, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_exit_v1, hs_state_default, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_exit_classic, hs_state_default, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_sigterm, hs_state_default, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_group_sigint, hs_state_default, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_group_sigterm, hs_state_default, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_exit_forbidden, hs_state_default, hs_state_free),
	};

	return cmocka_run_group_tests_name("exit", tests, NULL, NULL);
}
