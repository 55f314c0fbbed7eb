/*
 * tcp.c - TCP listeners (-l 127.0.0.1:0): the token gate on hello, the
 * same history as unix clients, the UDP ping on the same port, and _exit
 * over TCP only with the admin token.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define V6_READY "turtled: listening on [::1]:"

static int
setup_token(void **state)
{
	static const char *args[] = {"-l", "127.0.0.1:0", "--token", "s3cret",
	    "--admin-token", "adm1n", NULL};

	return hs_state_new_tcp(state, args);
}

static int
setup_open(void **state)
{
	static const char *args[] = {"-l", "127.0.0.1:0", NULL};

	return hs_state_new_tcp(state, args);
}

/* hello with extra must get err auth and then the end. */
static void
refused_auth(struct hs_server *srv, const char *extra)
{
	struct hs_client *c = hs_client_new_tcp(srv);
	char line[HS_LINE_MAX], msg[HS_LINE_MAX];

	assert_non_null(c);
	assert_int_equal(hs_sendf(c, "hello 1 bob%s%s\n", extra ? " " : "",
			     extra ? extra : ""),
	    0);
	if (hs_expect(c, "err ", line, sizeof line) != 0 ||
	    !hs_starts(line, "err auth"))
		fail_msg("hello with \"%s\": \"%s\", want err auth",
		    extra ? extra : "no token", line);
	assert_int_equal(hs_field(line, "msg", msg, sizeof msg), 0);
	assert_int_equal(hs_wait_eof(c, hs_wait_ms(HS_WAIT_MS)), 0);
	hs_client_close(c);
}

static void
test_token(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *t, *u;
	char line[HS_LINE_MAX], out[128];
	int n;

	assert_true(srv->tcp_port > 0);
	refused_auth(srv, "token=nope");
	refused_auth(srv, NULL);
	refused_auth(srv, "token=s3cre");
	refused_auth(srv, "token=s3crett");

	assert_non_null(t = hs_client_new_tcp(srv));
	assert_int_equal(
	    hs_hello(t, "remote", "token=s3cret", line, sizeof line, NULL), 0);
	/* AF_UNIX needs no token. */
	assert_non_null(u = hs_client_hello(srv, "local"));
	assert_int_equal(hs_expect(t, "evt ", line, sizeof line), 0);
	assert_non_null(strstr(line, " join "));

	/* One history for both. */
	assert_int_equal(hs_cmd(t, line, sizeof line, "run 2 3"), 0);
	assert_true(hs_starts(line, "ok run"));
	assert_int_equal(hs_expect(u, "evt ", line, sizeof line), 0);
	assert_non_null(strstr(line, " move "));
	assert_int_equal(u->seq_last, t->seq_last);
	assert_int_equal(hs_cmd(t, line, sizeof line, "getcid"), 0);
	assert_true(hs_starts(line, "ok getcid"));

	/* _exit over TCP without admin= is refused. */
	assert_int_equal(hs_cmd(t, line, sizeof line, "_exit"), 0);
	if (!hs_starts(line, "err forbidden"))
		fail_msg("TCP _exit without admin=: \"%s\"", line);

	/* The UDP endpoint on the same port. */
	n = hs_udp_ask(
	    srv->tcp_port, "ping", 4, out, sizeof out, hs_wait_ms(HS_WAIT_MS));
	assert_int_equal(n, 6);
	assert_memory_equal(out, "pong!\0", 6);
	n = hs_udp_ask(srv->tcp_port, "ping\n", 6, out, sizeof out,
	    hs_wait_ms(HS_WAIT_MS));
	assert_int_equal(n, 6);
	assert_memory_equal(out, "pong!\0", 6);
	n = hs_udp_ask(srv->tcp_port, "status", 6, out, sizeof out - 1,
	    hs_wait_ms(HS_WAIT_MS));
	assert_true(n > 12);
	assert_memory_equal(out, "turtled pid=", 12);
	n = hs_udp_ask(srv->tcp_port, "nonsense", 8, out, sizeof out,
	    hs_wait_ms(HS_WAIT_MS));
	assert_int_equal(n, 14);
	assert_memory_equal(out, "wrong string!\0", 14);
	assert_true(hs_server_alive(srv));
	assert_int_equal(t->seq_gaps + u->seq_gaps, 0);
}

/* admin= must match --admin-token; then _exit stops the server. */
static void
test_admin_exit(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *t, *w;
	char line[HS_LINE_MAX];

	assert_non_null(w = hs_client_hello(srv, "watcher"));
	assert_non_null(t = hs_client_new_tcp(srv));
	assert_int_equal(hs_hello(t, "wrongadmin", "token=s3cret admin=nope",
			     line, sizeof line, NULL),
	    0);
	assert_int_equal(hs_cmd(t, line, sizeof line, "_exit"), 0);
	if (!hs_starts(line, "err forbidden"))
		fail_msg("_exit with a wrong admin=: \"%s\"", line);
	hs_client_close(t);

	assert_non_null(t = hs_client_new_tcp(srv));
	assert_int_equal(hs_hello(t, "admin", "admin=adm1n token=s3cret", line,
			     sizeof line, NULL),
	    0);
	assert_int_equal(hs_sendf(t, "_exit\n"), 0);
	assert_int_equal(hs_expect(t, "ok _exit", NULL, 0), 0);
	do
		assert_int_equal(hs_expect(w, "evt ", line, sizeof line), 0);
	while (strstr(line, " shutdown ") == NULL);
	assert_int_equal(hs_wait_eof(t, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_int_equal(hs_wait_eof(w, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_int_equal(hs_server_wait(srv, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_true(WIFEXITED(srv->status));
	assert_int_equal(WEXITSTATUS(srv->status), 0);
	/* The TCP listener is gone too. */
	assert_int_equal(hs_connect_tcp(srv->tcp_port), -1);
}

/* Without --token, TCP clients need none. */
static void
test_open(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *t;
	char line[HS_LINE_MAX];

	assert_non_null(t = hs_client_new_tcp(srv));
	assert_int_equal(hs_hello(t, "open", NULL, NULL, 0, NULL), 0);
	assert_int_equal(hs_cmd(t, line, sizeof line, "run 1 0"), 0);
	assert_true(hs_starts(line, "ok run"));
}

/* A socket on [::1] (port 0: any): fd, or -1 when ::1 cannot be had. */
static int
v6_socket(int port, int do_connect)
{
	struct sockaddr_in6 s6;
	int fd;

	memset(&s6, 0, sizeof s6);
	s6.sin6_family = AF_INET6;
	s6.sin6_port = htons((uint16_t)port);
	s6.sin6_addr = in6addr_loopback;
	if ((fd = socket(AF_INET6, SOCK_STREAM, 0)) == -1)
		return -1;
	if ((do_connect ? connect(fd, (struct sockaddr *)&s6, sizeof s6)
			: bind(fd, (struct sockaddr *)&s6, sizeof s6)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* -l [::1]:0 listens on IPv6 and says on which port. */
static void
test_ipv6(void **state)
{
	static const char *args[] = {"-l", "[::1]:0", NULL};
	struct hs_server *srv = calloc(1, sizeof *srv);
	struct hs_client *t;
	char line[HS_LINE_MAX], *err, *p;
	int fd, port;

	(void)state;
	if ((fd = v6_socket(0, 0)) == -1) {
		print_message("cannot bind [::1]: %s\n", strerror(errno));
		free(srv);
		skip();
	}
	close(fd);
	assert_non_null(srv);
	assert_int_equal(hs_server_init(srv), 0);
	if (hs_server_start(srv, args) != 0) {
		hs_server_dump(srv);
		hs_server_free(srv);
		free(srv);
		fail_msg("turtled -l [::1]:0 did not start");
	}
	err = hs_read_file(srv->errpath, NULL);
	p = err != NULL ? strstr(err, V6_READY) : NULL;
	port = p != NULL ? atoi(p + strlen(V6_READY)) : 0;
	free(err);
	if (port <= 0) {
		hs_server_dump(srv);
		hs_server_free(srv);
		free(srv);
		fail_msg("no \"%s<port>\" line", V6_READY);
	}
	fd = v6_socket(port, 1);
	t = hs_client_wrap(srv, fd);
	if (t == NULL || hs_hello(t, "six", NULL, NULL, 0, NULL) != 0 ||
	    hs_cmd(t, line, sizeof line, "run 2 0") != 0 ||
	    !hs_starts(line, "ok run")) {
		hs_server_free(srv);
		free(srv);
		fail_msg("no v1 session over [::1]:%d", port);
	}
	assert_int_equal(hs_server_free(srv), 0);
	free(srv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_token, setup_token, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_admin_exit, setup_token, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_open, setup_open, hs_state_free),
	    cmocka_unit_test(test_ipv6),
	};

	return cmocka_run_group_tests_name("tcp", tests, NULL, NULL);
}
