/*
 * sockets.c - where turtled listens: a live server's path is never
 * stolen, a stale socket is replaced, the default directory is made 0700
 * and checked, a -S directory others could write to (or that is another
 * user's) is refused unless --unsafe-socket-dir says so, and without -f
 * turtled returns only once it answers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static void
assert_answers(struct hs_server *srv)
{
	struct hs_client *c = hs_client_hello(srv, "probe");
	char line[HS_LINE_MAX];

	assert_non_null(c);
	assert_int_equal(hs_cmd(c, line, sizeof line, "getcid"), 0);
	assert_true(hs_starts(line, "ok getcid"));
	hs_client_close(c);
}

/* A second turtled on a live path: exit 1 naming it; the first goes on. */
static void
test_live_path(void **state)
{
	struct hs_server *srv = *state;
	char errfile[PATH_MAX], log2[PATH_MAX], want[PATH_MAX + 64], *text;
	const char *args[] = {"-f", "-S", srv->sock, "--log", log2, NULL};
	struct hs_client *c;
	int status;

	assert_int_equal(hs_server_start(srv, NULL), 0);
	assert_non_null(c = hs_client_hello(srv, "first"));
	snprintf(errfile, sizeof errfile, "%s/stderr2", srv->dir);
	snprintf(log2, sizeof log2, "%s/log2", srv->dir);
	status = hs_run_turtled(args, errfile, NULL, HS_WAIT_MS);
	assert_true(status != -1);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	text = hs_read_file(errfile, NULL);
	assert_non_null(text);
	snprintf(want, sizeof want,
	    "turtled: a server is already running on %s", srv->sock);
	if (strstr(text, want) == NULL)
		fail_msg("stderr lacks \"%s\": %s", want, text);
	free(text);

	/* The first server never noticed. */
	assert_true(hs_server_alive(srv));
	assert_answers(srv);
	{
		char line[HS_LINE_MAX];

		assert_int_equal(hs_cmd(c, line, sizeof line, "where"), 0);
		assert_true(hs_starts(line, "ok where"));
	}
}

/*
 * PATH.ping bound by a live process that is no server: turtled must not
 * take it, and says so in a sentence that names it.
 */
static void
test_live_ping(void **state)
{
	struct hs_server *srv = *state;
	char errfile[PATH_MAX], log2[PATH_MAX], want[PATH_MAX + 64], *text;
	const char *args[] = {"-f", "-S", srv->sock, "--log", log2, NULL};
	struct stat st;
	int fd, status;

	/* hs_dgram_unix binds dir/name: the name turtled wants for .ping. */
	fd = hs_dgram_unix(srv->dir, "sock.ping");
	assert_true(fd != -1);
	snprintf(want, sizeof want, "%s.ping", srv->sock);
	assert_int_equal(lstat(want, &st), 0);
	snprintf(errfile, sizeof errfile, "%s/stderr2", srv->dir);
	snprintf(log2, sizeof log2, "%s/log2", srv->dir);
	status = hs_run_turtled(args, errfile, NULL, HS_WAIT_MS);
	text = hs_read_file(errfile, NULL);
	close(fd);
	assert_true(status != -1);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_non_null(text);
	snprintf(want, sizeof want,
	    "turtled: %s.ping is in use by another process", srv->sock);
	if (strstr(text, want) == NULL) {
		free(text);
		fail_msg("stderr lacks \"%s\"", want);
	}
	free(text);
	/* Nothing was stolen: the holder's file is still there. */
	snprintf(want, sizeof want, "%s.ping", srv->sock);
	assert_int_equal(lstat(want, &st), 0);
}

/* A socket file nobody listens on is replaced. */
static void
test_stale_path(void **state)
{
	struct hs_server *srv = *state;
	struct sockaddr_un sun;
	struct stat st;
	int fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	hs_copy(sun.sun_path, sizeof sun.sun_path, srv->sock);
	assert_true((fd = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof sun), 0);
	assert_int_equal(close(fd), 0);
	assert_int_equal(lstat(srv->sock, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(hs_connect_unix(srv->sock), -1);
	assert_int_equal(errno, ECONNREFUSED);

	assert_int_equal(hs_server_start(srv, NULL), 0);
	assert_answers(srv);
}

/* Something at the path that is not a socket is not ours to remove. */
static void
test_not_a_socket(void **state)
{
	struct hs_server *srv = *state;
	char errfile[PATH_MAX], *text;
	const char *args[] = {"-f", "-S", srv->sock, "--log", srv->log, NULL};
	int fd, status;

	assert_true((fd = open(srv->sock, O_WRONLY | O_CREAT, 0600)) >= 0);
	assert_int_equal(write(fd, "keep me\n", 8), 8);
	assert_int_equal(close(fd), 0);
	snprintf(errfile, sizeof errfile, "%s/stderr2", srv->dir);
	status = hs_run_turtled(args, errfile, NULL, HS_WAIT_MS);
	assert_true(status != -1);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	text = hs_read_file(srv->sock, NULL);
	assert_non_null(text);
	assert_string_equal(text, "keep me\n");
	free(text);
	text = hs_read_file(errfile, NULL);
	assert_non_null(text);
	if (strstr(text, srv->sock) == NULL)
		fail_msg("stderr does not name %s: %s", srv->sock, text);
	free(text);
}

/* No -S: $XDG_RUNTIME_DIR/turtlenet/default, in a directory made 0700. */
static void
test_default_path(void **state)
{
	struct hs_server *srv = *state;
	char dir[256];
	struct stat st;

	snprintf(dir, sizeof dir, "%s/turtlenet", srv->dir);
	snprintf(srv->sock, sizeof srv->sock, "%s/default", dir);
	srv->no_sock_arg = 1;
	assert_int_equal(hs_server_start(srv, NULL), 0);
	assert_int_equal(lstat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(st.st_uid, geteuid());
	assert_int_equal(lstat(srv->sock, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_answers(srv);
}

/* A default directory others may enter is refused, not used. */
static void
test_unsafe_dir(void **state)
{
	struct hs_server *srv = *state;
	char dir[PATH_MAX], errfile[PATH_MAX], env[PATH_MAX + 32], *text;
	char want[PATH_MAX + 64];
	const char *args[] = {"-f", "--log", srv->log, NULL};
	const char *envs[] = {env, NULL};
	struct stat st;
	int status;

	snprintf(dir, sizeof dir, "%s/turtlenet", srv->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(env, sizeof env, "XDG_RUNTIME_DIR=%s", srv->dir);
	snprintf(errfile, sizeof errfile, "%s/stderr2", srv->dir);
	status = hs_run_turtled(args, errfile, envs, HS_WAIT_MS);
	assert_true(status != -1);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	text = hs_read_file(errfile, NULL);
	assert_non_null(text);
	snprintf(want, sizeof want, "directory %s has unsafe permissions", dir);
	if (strstr(text, want) == NULL)
		fail_msg("stderr lacks \"%s\": %s", want, text);
	free(text);
	/* It did not "fix" the directory or put a socket there. */
	assert_int_equal(lstat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	snprintf(dir, sizeof dir, "%s/turtlenet/default", srv->dir);
	assert_int_equal(lstat(dir, &st), -1);
}

/* turtled -S sock exits 1 saying want, and binds nothing. */
static void
expect_refused_dir(struct hs_server *srv, const char *sock, const char *want)
{
	char errfile[PATH_MAX], ping[PATH_MAX + 8], *text;
	const char *args[] = {"-f", "-S", sock, "--log", srv->log, NULL};
	struct stat st;
	int status;

	snprintf(errfile, sizeof errfile, "%s/stderr2", srv->dir);
	unlink(errfile);
	status = hs_run_turtled(args, errfile, NULL, HS_WAIT_MS);
	text = hs_read_file(errfile, NULL);
	assert_non_null(text);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 1)
		fail_msg(
		    "-S %s: status 0x%x, want exit 1: %s", sock, status, text);
	if (strstr(text, want) == NULL ||
	    strstr(text, "; --unsafe-socket-dir accepts it\n") == NULL)
		fail_msg("stderr lacks \"%s\" and the way out: %s", want, text);
	free(text);
	snprintf(ping, sizeof ping, "%s.ping", sock);
	assert_int_equal(lstat(sock, &st), -1);
	assert_int_equal(lstat(ping, &st), -1);
}

/*
 * -S in a directory anyone may write to, without the sticky bit: another
 * user could rename the live socket away and put theirs there.  Refused;
 * sticky (as /tmp) it serves, and with --unsafe-socket-dir too, the log
 * saying what was accepted.
 */
static void
test_unsafe_s_dir(void **state)
{
	static const char *knowing[] = {"--unsafe-socket-dir", NULL};
	struct hs_server *srv = *state;
	char dir[256], sock[512], want[1024];
	char line[HS_LINE_MAX];
	int status;

	snprintf(dir, sizeof dir, "%s/shared", srv->dir);
	snprintf(sock, sizeof sock, "%s/sock", dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	snprintf(want, sizeof want,
	    "turtled: directory %s is writable by group and others without "
	    "the sticky bit (mode 0777), so another user could replace the "
	    "socket there",
	    dir);
	expect_refused_dir(srv, sock, want);
	/* Under it, in a directory of its own: the one above is named. */
	snprintf(sock, sizeof sock, "%s/mine/sock", dir);
	snprintf(want, sizeof want, "%s/mine", dir);
	assert_int_equal(mkdir(want, 0700), 0);
	snprintf(want, sizeof want, "turtled: directory %s is writable", dir);
	expect_refused_dir(srv, sock, want);

	/* Sticky: each name is its owner's to change. */
	assert_int_equal(chmod(dir, 01777), 0);
	hs_copy(srv->sock, sizeof srv->sock, sock);
	assert_int_equal(hs_server_start(srv, NULL), 0);
	assert_answers(srv);
	status = hs_server_stop(srv);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	/* Knowingly. */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(hs_server_start(srv, knowing), 0);
	assert_answers(srv);
	snprintf(
	    want, sizeof want, "master warn: directory %s is writable", dir);
	assert_int_equal(
	    hs_log_wait(srv, want, "(accepted: --unsafe-socket-dir)", line,
		sizeof line, hs_wait_ms(HS_WAIT_MS)),
	    0);
}

/* Another user's directory: its owner could swap the socket (root only). */
static void
test_others_s_dir(void **state)
{
	struct hs_server *srv = *state;
	char dir[256], sock[512], want[1024];

	if (geteuid() != 0) {
		skip();
		return;
	}
	snprintf(dir, sizeof dir, "%s/theirs", srv->dir);
	snprintf(sock, sizeof sock, "%s/sock", dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(chown(dir, HS_NOBODY, HS_NOBODY), 0);
	snprintf(want, sizeof want,
	    "turtled: directory %s belongs to uid %d, neither ours (0) nor "
	    "root's, so its owner could replace the socket there",
	    dir, HS_NOBODY);
	expect_refused_dir(srv, sock, want);
}

/*
 * Without -f: turtled returns 0 once it answers (connect works at once),
 * runs on as a daemon in its own session, writes --pidfile, and stops on
 * SIGTERM.  We adopt it as subreaper to see its exit status.
 */
static void
test_daemon(void **state)
{
	struct hs_server *srv = *state;
	char pidfile[PATH_MAX], errfile[PATH_MAX], *text;
	const char *args[] = {
	    "-S", srv->sock, "--log", srv->log, "--pidfile", pidfile, NULL};
	long long deadline;
	int status, fd;
	pid_t pid, r;

	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	snprintf(pidfile, sizeof pidfile, "%s/pid", srv->dir);
	snprintf(errfile, sizeof errfile, "%s/stderr", srv->dir);
	status = hs_run_turtled(args, errfile, NULL, HS_WAIT_MS);
	assert_true(status != -1);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	fd = hs_connect_unix(srv->sock);
	if (fd == -1)
		fail_msg("turtled returned but %s does not answer: %s",
		    srv->sock, strerror(errno));
	close(fd);
	text = hs_read_file(pidfile, NULL);
	assert_non_null(text);
	pid = (pid_t)atoi(text);
	free(text);
	assert_true(pid > 1);
	assert_int_equal(kill(pid, 0), 0);
	assert_int_equal(getsid(pid), pid);
	srv->pid = pid; /* for hs_children() and friends */
	assert_answers(srv);

	assert_int_equal(kill(pid, SIGTERM), 0);
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	while ((r = waitpid(pid, &status, WNOHANG)) == 0) {
		if (hs_now_ms() > deadline) {
			kill(pid, SIGKILL);
			fail_msg("the daemon ignored SIGTERM");
		}
		hs_nap(5);
	}
	assert_int_equal(r, pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	srv->pid = -1;
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_live_path, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_live_ping, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_stale_path, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_not_a_socket, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_default_path, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_unsafe_dir, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_unsafe_s_dir, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_others_s_dir, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_daemon, hs_state_init, hs_state_free),
	};

	return cmocka_run_group_tests_name("sockets", tests, NULL, NULL);
}
