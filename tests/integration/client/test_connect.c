/*
 * test_connect.c - finding the server: the default socket path rule, TCP
 * address parsing, and connecting or failing with one clear sentence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui.h"

struct fixture {
	char dir[64];
};

static int setup(void **);
static int teardown(void **);
static void rm_rf(const char *);
static void test_parse_tcp_ok(void **);
static void test_parse_tcp_bad(void **);
static void test_describe(void **);
static void test_default_runtime(void **);
static void test_default_tmp(void **);
static void test_default_unsafe(void **);
static void test_default_too_long(void **);
static void test_open_unix(void **);
static void test_open_missing(void **);
static void test_open_tcp(void **);
static void test_start_failures(void **);
static void test_client_custom(void **);

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/turtle-test-connect.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static void
rm_rf(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	rm_rf(f->dir);
	free(f);
	unsetenv("XDG_RUNTIME_DIR");
	return 0;
}

static void
test_parse_tcp_ok(void **state)
{
	struct tui_addr a;
	char *cause = NULL;

	(void)state;
	assert_int_equal(connect_parse_tcp(&a, "127.0.0.1:7070", &cause), 0);
	assert_true(a.is_tcp);
	assert_string_equal(a.host, "127.0.0.1");
	assert_string_equal(a.port, "7070");

	assert_int_equal(connect_parse_tcp(&a, "example.org:1", &cause), 0);
	assert_string_equal(a.host, "example.org");
	assert_string_equal(a.port, "1");

	assert_int_equal(connect_parse_tcp(&a, "[::1]:65535", &cause), 0);
	assert_string_equal(a.host, "::1");
	assert_string_equal(a.port, "65535");

	assert_int_equal(connect_parse_tcp(&a, "[fe80::1%lo]:0080", &cause), 0);
	assert_string_equal(a.host, "fe80::1%lo");
	assert_string_equal(a.port, "80");
	assert_null(cause);
}

static void
test_parse_tcp_bad(void **state)
{
	static const struct {
		const char *in, *why;
	} bad[] = {
	    {"localhost", "expected HOST:PORT"},
	    {":80", "no host"},
	    {"[]:80", "no host"},
	    {"host:", "from 1 to 65535"},
	    {"host:0", "from 1 to 65535"},
	    {"host:65536", "from 1 to 65535"},
	    {"host:999999999999999999999", "from 1 to 65535"},
	    {"host:8x", "from 1 to 65535"},
	    {"host:-1", "from 1 to 65535"},
	    {"host:+80", "from 1 to 65535"},
	    {"host: 80", "from 1 to 65535"},
	    {"::1:80", "needs brackets"},
	    {"[::1]80", "expected [ADDRESS]:PORT"},
	    {"[::1", "expected [ADDRESS]:PORT"},
	    {"ho st:80", "space or control"},
	    {"ho\x1bst:80", "space or control"},
	};
	struct tui_addr a;
	char *cause;
	char longhost[400];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		assert_int_equal(connect_parse_tcp(&a, bad[i].in, &cause), -1);
		assert_non_null(cause);
		if (strstr(cause, bad[i].why) == NULL)
			fail_msg("%s: cause \"%s\" lacks \"%s\"", bad[i].in,
			    cause, bad[i].why);
		free(cause);
	}

	memset(longhost, 'h', sizeof longhost);
	memcpy(longhost + sizeof longhost - 4, ":80", 4);
	cause = NULL;
	assert_int_equal(connect_parse_tcp(&a, longhost, &cause), -1);
	assert_non_null(strstr(cause, "too long"));
	free(cause);
}

static void
test_describe(void **state)
{
	struct tui_addr a;
	char buf[300], *cause = NULL;

	(void)state;
	memset(&a, 0, sizeof a);
	snprintf(a.path, sizeof a.path, "/run/t/default");
	connect_describe(&a, buf, sizeof buf);
	assert_string_equal(buf, "unix:/run/t/default");

	assert_int_equal(connect_parse_tcp(&a, "10.0.0.1:99", &cause), 0);
	connect_describe(&a, buf, sizeof buf);
	assert_string_equal(buf, "tcp:10.0.0.1:99");
	assert_int_equal(connect_parse_tcp(&a, "[::1]:99", &cause), 0);
	connect_describe(&a, buf, sizeof buf);
	assert_string_equal(buf, "tcp:[::1]:99");
}

static void
test_default_runtime(void **state)
{
	struct fixture *f = *state;
	char path[108], want[200], *cause = NULL;

	/* The directory may be missing: turtled creates it. */
	setenv("XDG_RUNTIME_DIR", f->dir, 1);
	assert_int_equal(connect_default_path(path, sizeof path, &cause), 0);
	snprintf(want, sizeof want, "%s/turtlenet/default", f->dir);
	assert_string_equal(path, want);

	/* Or there, ours and private. */
	snprintf(want, sizeof want, "%s/turtlenet", f->dir);
	assert_int_equal(mkdir(want, 0700), 0);
	assert_int_equal(connect_default_path(path, sizeof path, &cause), 0);
	assert_null(cause);
}

static void
test_default_tmp(void **state)
{
	char path[108], want[64], *cause = NULL;
	int rc;

	(void)state;
	snprintf(
	    want, sizeof want, "/tmp/turtlenet-%ld/default", (long)getuid());
	/* Unset and relative (which XDG says to ignore) both fall back. */
	unsetenv("XDG_RUNTIME_DIR");
	rc = connect_default_path(path, sizeof path, &cause);
	if (rc == 0)
		assert_string_equal(path, want);
	else
		assert_non_null(strstr(cause, "unsafe permissions"));
	free(cause);
	cause = NULL;

	setenv("XDG_RUNTIME_DIR", "run/user", 1);
	rc = connect_default_path(path, sizeof path, &cause);
	if (rc == 0)
		assert_string_equal(path, want);
	else
		assert_non_null(strstr(cause, "unsafe permissions"));
	free(cause);
}

static void
test_default_unsafe(void **state)
{
	struct fixture *f = *state;
	char path[108], dir[128], want[200], *cause = NULL;
	FILE *fp;

	setenv("XDG_RUNTIME_DIR", f->dir, 1);
	snprintf(dir, sizeof dir, "%s/turtlenet", f->dir);
	snprintf(want, sizeof want, "directory %s has unsafe permissions", dir);

	/* Readable by the group. */
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0750), 0);
	assert_int_equal(connect_default_path(path, sizeof path, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;

	/* Writable by anyone. */
	assert_int_equal(chmod(dir, 0703), 0);
	assert_int_equal(connect_default_path(path, sizeof path, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;

	/* Not a directory at all. */
	assert_int_equal(rmdir(dir), 0);
	fp = fopen(dir, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(connect_default_path(path, sizeof path, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;

	/* A symbolic link, even to a good directory, is not trusted. */
	assert_int_equal(unlink(dir), 0);
	assert_int_equal(symlink(f->dir, dir), 0);
	assert_int_equal(connect_default_path(path, sizeof path, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
}

static void
test_default_too_long(void **state)
{
	char longdir[300], path[108], *cause = NULL;

	(void)state;
	memset(longdir, 'd', sizeof longdir);
	longdir[0] = '/';
	longdir[sizeof longdir - 1] = '\0';
	setenv("XDG_RUNTIME_DIR", longdir, 1);
	assert_int_equal(connect_default_path(path, sizeof path, &cause), -1);
	assert_non_null(strstr(cause, "too long"));
	free(cause);
}

static void
test_open_unix(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_un sun;
	struct tui_addr a;
	char *cause = NULL;
	int l, c, s, started = -1;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s/sock", f->dir);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(l != -1);
	assert_int_equal(bind(l, (struct sockaddr *)&sun, sizeof sun), 0);
	assert_int_equal(listen(l, 1), 0);

	memset(&a, 0, sizeof a);
	snprintf(a.path, sizeof a.path, "%s", sun.sun_path);
	c = connect_open_or_start(&a, NULL, &started, &cause);
	assert_true(c != -1);
	assert_null(cause);
	assert_int_equal(started, 0);
	s = accept(l, NULL, NULL);
	assert_true(s != -1);
	assert_int_equal(write(c, "x", 1), 1);
	{
		char b;

		assert_int_equal(read(s, &b, 1), 1);
		assert_int_equal(b, 'x');
	}
	close(s);
	close(c);
	close(l);
}

static void
test_open_missing(void **state)
{
	struct fixture *f = *state;
	struct tui_addr a;
	char *cause = NULL, want[200];
	int started = -1;

	memset(&a, 0, sizeof a);
	snprintf(a.path, sizeof a.path, "%s/nobody", f->dir);
	assert_int_equal(connect_open(&a, &cause), -1);
	assert_int_equal(errno, ENOENT);
	snprintf(want, sizeof want,
	    "connecting to unix:%s: No such file or directory", a.path);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;

	/* Without a turtled to start, the first failure is the answer. */
	assert_int_equal(connect_open_or_start(&a, NULL, &started, &cause), -1);
	assert_string_equal(cause, want);
	assert_int_equal(started, 0);
	free(cause);
}

static void
test_open_tcp(void **state)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	struct tui_addr a;
	char hp[64], *cause = NULL;
	int l, c;

	(void)state;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(l != -1);
	assert_int_equal(bind(l, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(l, 1), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&sin, &slen), 0);

	snprintf(hp, sizeof hp, "127.0.0.1:%u", ntohs(sin.sin_port));
	assert_int_equal(connect_parse_tcp(&a, hp, &cause), 0);
	c = connect_open(&a, &cause);
	assert_true(c != -1);
	close(c);

	/* Nothing listens any more: refused, with the address named. */
	close(l);
	assert_int_equal(connect_open(&a, &cause), -1);
	assert_non_null(strstr(cause, "connecting to tcp:127.0.0.1:"));
	assert_non_null(strstr(cause, "Connection refused"));
	free(cause);
}

/* A turtled that cannot run or that refuses to start says why. */
static void
test_start_failures(void **state)
{
	struct fixture *f = *state;
	struct tui_addr a;
	char script[128], *cause = NULL;
	FILE *fp;
	int started = -1;

	memset(&a, 0, sizeof a);
	snprintf(a.path, sizeof a.path, "%s/sock", f->dir);

	assert_int_equal(
	    connect_open_or_start(&a, "/nonexistent/turtled", &started, &cause),
	    -1);
	assert_non_null(strstr(cause, "starting turtled failed: cannot run "
				      "/nonexistent/turtled"));
	free(cause);
	cause = NULL;

	/* Its last line is the reason, escaped. */
	snprintf(script, sizeof script, "%s/fake-turtled", f->dir);
	fp = fopen(script, "w");
	assert_non_null(fp);
	fputs("#!/bin/sh\n"
	      "echo 'turtled: warming up' >&2\n"
	      "printf 'turtled: cannot bind \\033[1m%s\\n' \"$2\" >&2\n"
	      "exit 1\n",
	    fp);
	fclose(fp);
	assert_int_equal(chmod(script, 0700), 0);
	assert_int_equal(
	    connect_open_or_start(&a, script, &started, &cause), -1);
	{
		char want[256];

		snprintf(want, sizeof want,
		    "starting turtled failed: turtled: cannot bind "
		    "\\x1b[1m%s",
		    a.path);
		assert_string_equal(cause, want);
	}
	free(cause);
}

/*
 * Only the default socket gets a turtled started: a socket named with -S
 * that nobody answers is an error that says how to start one there, and
 * the .lock a start would take is never made.
 */
static void
test_client_custom(void **state)
{
	struct fixture *f = *state;
	struct tui_opts o;
	struct stat st;
	char *cause = NULL, want[512], lock[128];
	int started = -1;

	memset(&o, 0, sizeof o);
	snprintf(o.addr.path, sizeof o.addr.path, "%s/typo", f->dir);
	o.custom_path = !connect_is_default(o.addr.path);
	assert_int_equal(o.custom_path, 1);
	o.turtled = "/nonexistent/turtled";
	assert_int_equal(connect_client(&o, &started, &cause), -1);
	assert_int_equal(started, 0);
	snprintf(want, sizeof want,
	    "connecting to unix:%s: No such file or directory (turtle starts "
	    "turtled only on the default socket; start one here with: "
	    "turtled -S %s)",
	    o.addr.path, o.addr.path);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;
	snprintf(lock, sizeof lock, "%s.lock", o.addr.path);
	assert_int_equal(stat(lock, &st), -1);

	/* --no-start: the plain cause. */
	o.no_start = 1;
	assert_int_equal(connect_client(&o, &started, &cause), -1);
	assert_null(strstr(cause, "turtled -S"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_tcp_ok),
	    cmocka_unit_test(test_parse_tcp_bad),
	    cmocka_unit_test(test_describe),
	    cmocka_unit_test_setup_teardown(
		test_default_runtime, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_default_tmp, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_default_unsafe, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_default_too_long, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_unix, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_tcp, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_start_failures, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_client_custom, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
