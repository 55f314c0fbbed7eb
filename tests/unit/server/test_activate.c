/*
 * test_activate.c - socket activation as sd_listen_fds(3) defines it: the
 * variables are ours only when LISTEN_PID is our pid, descriptors start at
 * 3, the variables are gone afterwards; turtled takes one listening
 * AF_UNIX stream socket and a datagram socket at PATH.ping, refuses
 * anything else, and never removes a socket file it did not make.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "server.h"

struct fixture {
	char dir[64];
	char sock[128];
	char ping[128];
};

/*
 * A socket of TYPE bound to PATH (NULL: unbound, @NAME: abstract) moved to
 * descriptor AT.
 */
static void
put_unix(int at, int type, const char *path, int listening)
{
	struct sockaddr_un sun;
	int fd;

	fd = socket(AF_UNIX, type, 0);
	assert_true(fd != -1);
	if (path != NULL) {
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
		if (path[0] == '@') /* abstract */
			sun.sun_path[0] = '\0';
		if (bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0)
			fail_msg("bind %s: %s", path, strerror(errno));
	}
	if (listening)
		assert_int_equal(listen(fd, 8), 0);
	if (fd != at) {
		assert_int_equal(dup2(fd, at), at);
		close(fd);
	}
}

static void
set_env(const char *pid, int nfds)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%ld", (long)getpid());
	setenv("LISTEN_PID", pid != NULL ? pid : buf, 1);
	snprintf(buf, sizeof buf, "%d", nfds);
	setenv("LISTEN_FDS", buf, 1);
	setenv("LISTEN_FDNAMES", "stream", 1);
}

static void
env_gone(void)
{
	assert_null(getenv("LISTEN_PID"));
	assert_null(getenv("LISTEN_FDS"));
	assert_null(getenv("LISTEN_FDNAMES"));
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/turtlenet-activate.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->sock, sizeof f->sock, "%s/sock", f->dir);
	snprintf(f->ping, sizeof f->ping, "%s/sock.ping", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	close(3);
	close(4);
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	unlink(f->sock);
	unlink(f->ping);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Takes what the environment says; 0 or -1, the reason in *cause. */
static int
take(struct activation *act, char *path, char **cause)
{
	*cause = NULL;
	return activate_take(act, path, SERVER_PATH_MAX, cause);
}

static void
test_not_activated(void **state)
{
	struct activation act;
	char path[SERVER_PATH_MAX] = "", *cause;

	(void)state;
	assert_int_equal(take(&act, path, &cause), 0);
	assert_int_equal(act.on, 0);
	assert_string_equal(path, "");
	env_gone();

	/* LISTEN_FDS=0 is "nothing passed". */
	set_env(NULL, 0);
	assert_int_equal(take(&act, path, &cause), 0);
	assert_int_equal(act.on, 0);
	env_gone();
}

/* Variables meant for another process are dropped, not used. */
static void
test_other_pid(void **state)
{
	struct fixture *f = *state;
	struct activation act;
	char path[SERVER_PATH_MAX] = "", *cause;

	put_unix(3, SOCK_STREAM, f->sock, 1);
	set_env("1", 1);
	assert_int_equal(take(&act, path, &cause), 0);
	assert_int_equal(act.on, 0);
	assert_int_equal(act.stream, -1);
	env_gone();
}

static void
test_stream(void **state)
{
	struct fixture *f = *state;
	struct activation act;
	char path[SERVER_PATH_MAX] = "", *cause;

	put_unix(3, SOCK_STREAM, f->sock, 1);
	set_env(NULL, 1);
	assert_int_equal(take(&act, path, &cause), 0);
	assert_int_equal(act.on, 1);
	assert_int_equal(act.stream, 3);
	assert_int_equal(act.dgram, -1);
	assert_string_equal(path, f->sock);
	assert_true(fcntl(3, F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(3, F_GETFL) & O_NONBLOCK);
	env_gone();
}

/* In either order; -S naming the same socket is fine. */
static void
test_stream_and_ping(void **state)
{
	struct fixture *f = *state;
	struct activation act;
	char path[SERVER_PATH_MAX], *cause;

	snprintf(path, sizeof path, "%s", f->sock);
	put_unix(3, SOCK_DGRAM, f->ping, 0);
	put_unix(4, SOCK_STREAM, f->sock, 1);
	set_env(NULL, 2);
	assert_int_equal(take(&act, path, &cause), 0);
	assert_int_equal(act.on, 1);
	assert_int_equal(act.stream, 4);
	assert_int_equal(act.dgram, 3);
	assert_true(fcntl(3, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(4, F_GETFD) & FD_CLOEXEC);
	env_gone();
}

/* Each refusal and the sentence it gives. */
static void
expect_refused(const char *want)
{
	struct activation act;
	char path[SERVER_PATH_MAX] = "", *cause;

	assert_int_equal(take(&act, path, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", cause, want);
	assert_int_equal(act.on, 0);
	assert_int_equal(act.stream, -1);
	free(cause);
	env_gone();
}

static void
test_refused(void **state)
{
	struct fixture *f = *state;
	struct activation act;
	struct sockaddr_in sin;
	char path[SERVER_PATH_MAX], *cause;
	int fd;

	/* -S elsewhere. */
	put_unix(3, SOCK_STREAM, f->sock, 1);
	set_env(NULL, 1);
	snprintf(path, sizeof path, "%s/other", f->dir);
	assert_int_equal(take(&act, path, &cause), -1);
	assert_non_null(strstr(cause, "is not the socket-activated socket"));
	free(cause);
	env_gone();

	/* Accept=yes passes connections, not a listener. */
	close(3);
	unlink(f->sock);
	put_unix(3, SOCK_STREAM, f->sock, 0);
	set_env(NULL, 1);
	expect_refused("not a listening socket");

	/* A datagram socket alone. */
	close(3);
	put_unix(3, SOCK_DGRAM, f->ping, 0);
	set_env(NULL, 1);
	expect_refused("no AF_UNIX stream socket");

	/* A datagram socket that is not PATH.ping. */
	close(3);
	unlink(f->sock);
	unlink(f->ping);
	put_unix(3, SOCK_STREAM, f->sock, 1);
	snprintf(path, sizeof path, "%s/other.ping", f->dir);
	put_unix(4, SOCK_DGRAM, path, 0);
	unlink(path);
	set_env(NULL, 2);
	expect_refused("datagram socket is");

	/* An abstract socket, and an unnamed one. */
	close(4);
	close(3);
	snprintf(path, sizeof path, "@turtlenet-test-%ld", (long)getpid());
	put_unix(3, SOCK_STREAM, path, 1);
	set_env(NULL, 1);
	expect_refused("not bound to a file");
	put_unix(4, SOCK_DGRAM, NULL, 0);
	unlink(f->sock);
	put_unix(3, SOCK_STREAM, f->sock, 1);
	set_env(NULL, 2);
	expect_refused("not bound to a file");
	close(4);

	/* TCP. */
	close(3);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd != -1);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(fd, 1), 0);
	if (fd != 3) {
		assert_int_equal(dup2(fd, 3), 3);
		close(fd);
	}
	set_env(NULL, 1);
	expect_refused("not an AF_UNIX socket");

	/* Not a socket at all. */
	close(3);
	assert_int_equal(dup2(STDERR_FILENO, 3), 3);
	set_env(NULL, 1);
	expect_refused("not a socket");

	/* Variables that are not numbers. */
	setenv("LISTEN_PID", "12x", 1);
	setenv("LISTEN_FDS", "1", 1);
	expect_refused("bad LISTEN_PID");
	set_env(NULL, 1);
	setenv("LISTEN_FDS", "-1", 1);
	expect_refused("bad LISTEN_FDS");
}

/*
 * The passed socket is served but never removed; a .ping bound here is
 * ours and goes when the server stops.
 */
static void
test_listen_and_close(void **state)
{
	struct fixture *f = *state;
	struct options opt;
	struct listen_set ls;
	struct stat sb;
	char *cause = NULL;

	memset(&opt, 0, sizeof opt);
	put_unix(3, SOCK_STREAM, f->sock, 1);
	set_env(NULL, 1);
	assert_int_equal(activate_take(&opt.act, opt.socket_path,
			     sizeof opt.socket_path, &cause),
	    0);
	assert_int_equal(opt.act.on, 1);
	assert_int_equal(listen_open(&ls, &opt, &cause), 0);
	assert_int_equal(ls.nl, 1);
	assert_int_equal(ls.l[0].fd, 3);
	assert_int_equal(ls.nd, 1);
	assert_int_equal(ls.own_path, 0);
	assert_int_equal(ls.own_ping, 1);
	assert_int_equal(lstat(f->ping, &sb), 0);
	assert_true(S_ISSOCK(sb.st_mode));

	listen_free(&ls);
	assert_int_equal(lstat(f->sock, &sb), 0);
	assert_int_equal(lstat(f->ping, &sb), -1);
	/* listen_free closed it. */
	assert_int_equal(fcntl(3, F_GETFD), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_not_activated, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_other_pid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stream, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_stream_and_ping, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_listen_and_close, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
