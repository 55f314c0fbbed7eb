/*
 * dgram.c - the datagram endpoint beside the stream socket (PATH.ping):
 * ping, quit (which stops nothing), status and anything else, each reply
 * the text and a NUL; many pingers at once all answered.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/un.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define PINGERS 20

/* req (reqlen bytes) must be answered with exactly want and its NUL. */
static void
ask(int fd, const char *path, const char *req, size_t reqlen, const char *want)
{
	char out[512];
	int n;

	n = hs_dgram_ask(
	    fd, path, req, reqlen, out, sizeof out, hs_wait_ms(HS_WAIT_MS));
	if (n < 0)
		fail_msg("no answer to \"%.*s\"", (int)reqlen, req);
	if ((size_t)n != strlen(want) + 1 || memcmp(out, want, (size_t)n) != 0)
		fail_msg("\"%.*s\" -> \"%.*s\" (%d bytes), want \"%s\\0\"",
		    (int)reqlen, req, n, out, n, want);
}

static void
test_ping_words(void **state)
{
	struct hs_server *srv = *state;
	char path[PATH_MAX + 8], out[512];
	long long v;
	int fd, n;

	snprintf(path, sizeof path, "%s.ping", srv->sock);
	assert_true((fd = hs_dgram_unix(srv->dir, "me")) >= 0);
	/* With or without a NUL or newline at the end. */
	ask(fd, path, "ping", 4, "pong!");
	ask(fd, path, "ping", 5, "pong!");
	ask(fd, path, "ping\n", 5, "pong!");
	ask(fd, path, "ping\n", 6, "pong!");
	ask(fd, path, "quit", 5, "quit_flag now!");
	ask(fd, path, "pingpong", 8, "wrong string!");
	ask(fd, path, "", 1, "wrong string!");
	ask(fd, path, "\x1b[2J\xff", 5, "wrong string!");

	/* quit stopped nothing. */
	assert_true(hs_server_alive(srv));
	ask(fd, path, "ping", 5, "pong!");

	{
		struct hs_client *c = hs_client_hello(srv, "mover");
		char line[HS_LINE_MAX];

		assert_non_null(c);
		assert_int_equal(hs_cmd(c, line, sizeof line, "run 7 -3"), 0);
		n = hs_dgram_ask(fd, path, "status", 7, out, sizeof out,
		    hs_wait_ms(HS_WAIT_MS));
		assert_true(n > 0);
		assert_int_equal(out[n - 1], '\0');
		assert_int_equal(strlen(out), (size_t)n - 1);
		assert_memory_equal(out, "turtled pid=", 12);
		/* One line: a newline, if any, only at its end. */
		assert_true(strchr(out, '\n') == NULL ||
			    strchr(out, '\n') == out + n - 2);
		out[strcspn(out, "\n")] = '\0';
		assert_int_equal(hs_field_ll(out, "pid", &v), 0);
		assert_int_equal(v, srv->pid);
		assert_int_equal(hs_field_ll(out, "uptime", &v), 0);
		assert_int_equal(hs_field_ll(out, "clients", &v), 0);
		assert_int_equal(v, 1);
		assert_int_equal(hs_field_ll(out, "seq", &v), 0);
		assert_int_equal(v, c->seq_last);
		assert_int_equal(hs_field_ll(out, "x", &v), 0);
		assert_int_equal(v, 7);
		assert_int_equal(hs_field_ll(out, "y", &v), 0);
		assert_int_equal(v, -3);
		assert_int_equal(hs_field(out, "mode", line, sizeof line), 0);
		assert_string_equal(line, "free");
	}
	close(fd);
}

/* Many pingers at once, each bound to its own address: all answered. */
static void
test_many_pingers(void **state)
{
	struct hs_server *srv = *state;
	struct sockaddr_un sun;
	struct pollfd pfd[PINGERS];
	char name[32], out[64];
	long long deadline;
	int i, answered = 0, left;
	ssize_t n;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	assert_true(snprintf(sun.sun_path, sizeof sun.sun_path, "%s.ping",
			srv->sock) < (int)sizeof sun.sun_path);
	for (i = 0; i < PINGERS; i++) {
		snprintf(name, sizeof name, "pinger%d", i);
		assert_true((pfd[i].fd = hs_dgram_unix(srv->dir, name)) >= 0);
		pfd[i].events = POLLIN;
	}
	for (i = 0; i < PINGERS; i++) {
		assert_int_equal(sendto(pfd[i].fd, "ping", 5, 0,
				     (struct sockaddr *)&sun, sizeof sun),
		    5);
	}
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	while (answered < PINGERS) {
		left = (int)(deadline - hs_now_ms());
		if (left <= 0)
			fail_msg(
			    "%d of %d pingers answered", answered, PINGERS);
		if (poll(pfd, PINGERS, left) <= 0)
			continue;
		for (i = 0; i < PINGERS; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			n = recv(pfd[i].fd, out, sizeof out, 0);
			assert_int_equal(n, 6);
			assert_memory_equal(out, "pong!\0", 6);
			close(pfd[i].fd);
			pfd[i].fd = -1; /* poll ignores it from now on */
			answered++;
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_ping_words, hs_state_default, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_many_pingers, hs_state_default, hs_state_free),
	};

	return cmocka_run_group_tests_name("dgram", tests, NULL, NULL);
}
