/*
 * classic.c - the lecture's dialect, byte for byte: every reply is text,
 * "\n" and a NUL, exactly one per command, no pushed events; and the
 * lecture's own client (fgets lines sent with strlen+1 bytes, one recv of
 * up to 100 bytes per reply) works unchanged.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static int setup(void **);

/* The reply to req must be exactly want (its NUL included). */
#define EXCHANGE(c, req, want)                                                 \
	do {                                                                   \
		char reply_[256];                                              \
		int n_;                                                        \
		assert_int_equal(hs_send((c), (req), sizeof(req) - 1), 0);     \
		n_ = hs_classic_reply((c), reply_, sizeof reply_);             \
		assert_int_equal(n_, (int)sizeof(want) - 1);                   \
		assert_memory_equal(reply_, (want), sizeof(want) - 1);         \
	} while (0)

static int
setup(void **state)
{
	static const char *args[] = {"--rate", "1000", "--burst", "1000", NULL};
	return hs_state_new(state, args);
}

/* The exchange from the lecture, each request sent as its client did. */
static void
test_lecture_exchange(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c = hs_client_new(srv);
	char reply[256], tail[8];
	int n, cid = 0;
	size_t before;

	assert_non_null(c);
	EXCHANGE(c, "run 13 10\n\0", "Turtle travel to <13:10>\n\0");
	EXCHANGE(c, "say hello world\n\0", "Turtle said \"hello\"\n\0");
	EXCHANGE(c, "say\n\0", "Turtle says nothing\n\0");
	EXCHANGE(c, "run 1\n\0", "not enough args: need two\n\0");
	EXCHANGE(c, "foo\n\0", "Turtle does not know this command\n\0");
	EXCHANGE(c, "hello\n\0", "Turtle does not know this command\n\0");

	assert_int_equal(hs_send(c, "getcid\n\0", 8), 0);
	n = hs_classic_reply(c, reply, sizeof reply);
	assert_true(n > 0);
	assert_int_equal(sscanf(reply, "Your cid is %d%7s", &cid, tail), 1);
	assert_true(cid >= 1);
	assert_memory_equal(reply + n - 2, "\n\0", 2);
	snprintf(tail, sizeof tail, "%d", cid);
	assert_int_equal(n, (int)strlen("Your cid is \n") + strlen(tail) + 1);

	/*
	 * Prefix matching as strncmp did, then sscanf from the fourth byte:
	 * "run2 -3" is run 2 -3, "runx 2 -3" has no number first, "sayit
	 * loud" says "it".
	 */
	EXCHANGE(c, "run2 -3\n\0", "Turtle travel to <15:7>\n\0");
	EXCHANGE(c, "runx 2 -3\n\0", "not enough args: need two\n\0");
	EXCHANGE(c, "run 1 2 3\n\0", "Turtle travel to <16:9>\n\0");
	EXCHANGE(c, "sayit loud\n\0", "Turtle said \"it\"\n\0");
	EXCHANGE(c, "run 99999999999 1\n\0", "Turtle refuses: range\n\0");

	/* quit: no reply, the connection just ends. */
	before = c->received;
	assert_int_equal(hs_send(c, "quit\n\0", 6), 0);
	assert_int_equal(hs_wait_eof(c, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_int_equal(c->received, before);
}

/* Line ends the lecture's client never sent still frame the same way. */
static void
test_classic_framing(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c = hs_client_new(srv);

	assert_non_null(c);
	/* Plain "\n", a lone NUL, CRLF, and two commands in one write. */
	EXCHANGE(c, "run 1 1\n", "Turtle travel to <1:1>\n\0");
	EXCHANGE(c, "run 1 1\0", "Turtle travel to <2:2>\n\0");
	EXCHANGE(c, "run -2 -2\r\n", "Turtle travel to <0:0>\n\0");
	/* Empty lines get no reply: the next reply is getcid's. */
	assert_int_equal(hs_send(c, "\n\n\0\0\0\r\n", 7), 0);
	assert_int_equal(hs_send(c, "getcid\n\0", 8), 0);
	{
		char reply[64];

		assert_true(hs_classic_reply(c, reply, sizeof reply) > 0);
		assert_memory_equal(reply, "Your cid is ", 12);
	}
	EXCHANGE(c, "say a\n\0say b\n\0", "Turtle said \"a\"\n\0");
	{
		char reply[64];
		int n = hs_classic_reply(c, reply, sizeof reply);

		assert_int_equal(n, (int)sizeof "Turtle said \"b\"\n");
		assert_memory_equal(reply, "Turtle said \"b\"\n\0", n);
	}
}

/* Errors the lecture never had come back as "Turtle refuses: CODE". */
static void
test_classic_refusals(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c = hs_client_new(srv);
	char big[700];

	assert_non_null(c);
	EXCHANGE(c, "run 500 0\n\0", "Turtle refuses: out-of-bounds\n\0");
	EXCHANGE(c, "say \x1b[31mred\n\0", "Turtle refuses: bad-text\n\0");
	EXCHANGE(c, "say \xff\xfe\n\0", "Turtle refuses: bad-text\n\0");
	memset(big, 'a', sizeof big);
	memcpy(big, "say ", 4);
	big[sizeof big - 2] = '\n';
	big[sizeof big - 1] = '\0';
	assert_int_equal(hs_send(c, big, sizeof big), 0);
	{
		char reply[64];
		int n = hs_classic_reply(c, reply, sizeof reply);

		assert_int_equal(n, (int)sizeof "Turtle refuses: too-long\n");
		assert_memory_equal(reply, "Turtle refuses: too-long\n\0", n);
	}
	/* The position did not change through all of that. */
	EXCHANGE(c, "run 0 0\n\0", "Turtle travel to <0:0>\n\0");
}

/*
 * The lecture's client, forked: reads its script with fgets(), sends each
 * line with strlen+1 bytes, reads each reply with one recv() of up to 100
 * bytes and prints it.  Exit 0 when every reply was the expected one.
 */
static int
lecture_client(const char *sock, const char *script)
{
	static const char *want[] = {"Turtle travel to <13:10>\n",
	    "Turtle said \"hello\"\n", "Turtle says nothing\n",
	    "not enough args: need two\n",
	    "Turtle does not know this command\n", "Your cid is ", NULL};
	char buf[100], rbuf[100];
	FILE *f;
	int fd, i = 0;
	ssize_t n;

	if ((fd = hs_connect_unix(sock)) == -1 ||
	    (f = fopen(script, "r")) == NULL)
		return 2;
	while (fgets(buf, sizeof buf, f) != NULL) {
		if (send(fd, buf, strlen(buf) + 1, 0) == -1)
			return 3;
		if (strncmp(buf, "quit", 4) == 0)
			break;
		memset(rbuf, 'x', sizeof rbuf);
		if ((n = recv(fd, rbuf, sizeof rbuf, 0)) <= 0)
			return 4;
		printf("%s", rbuf);
		if (want[i] == NULL || rbuf[n - 1] != '\0' ||
		    (size_t)n != strlen(rbuf) + 1 ||
		    strncmp(rbuf, want[i], strlen(want[i])) != 0) {
			fprintf(stderr, "lecture client: reply %d: \"%.*s\"\n",
			    i, (int)n, rbuf);
			return 5;
		}
		i++;
	}
	fclose(f);
	if (want[i] != NULL)
		return 6;
	/* After quit the server closes: the next recv sees the end. */
	n = recv(fd, rbuf, sizeof rbuf, 0);
	close(fd);
	return n == 0 ? 0 : 7;
}

static void
test_lecture_client(void **state)
{
	struct hs_server *srv = *state;
	char script[PATH_MAX];
	long long deadline;
	int status = -1;
	FILE *f;
	pid_t pid;

	snprintf(script, sizeof script, "%s/script", srv->dir);
	assert_non_null(f = fopen(script, "w"));
	fputs("run 13 10\nsay hello world\nsay\nrun 1\nfoo\ngetcid\nquit\n", f);
	assert_int_equal(fclose(f), 0);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(30); /* a stuck child must not outlive the test */
		_exit(lecture_client(srv->sock, script));
	}
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (hs_now_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("the lecture client did not finish");
		}
		hs_nap(5);
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * Classic clients are clients like any other (who, join, leave, with name
 * classic-CID) but are never pushed events: a v1 client's moves in between
 * do not show up in front of the classic client's next reply.
 */
static void
test_classic_among_v1(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *v1 = hs_client_hello(srv, "watcher");
	struct hs_client *cl = hs_client_new(srv);
	char line[HS_LINE_MAX], want[64], name[64];
	int cids[16], n, i, cid = 0, found = 0;
	long long ecid;

	assert_non_null(v1);
	assert_non_null(cl);
	assert_int_equal(hs_send(cl, "getcid\n\0", 8), 0);
	assert_true(hs_classic_reply(cl, line, sizeof line) > 0);
	assert_int_equal(sscanf(line, "Your cid is %d", &cid), 1);
	assert_int_not_equal(cid, v1->cid);

	assert_int_equal(hs_expect(v1, "evt ", line, sizeof line), 0);
	assert_true(strstr(line, " join ") != NULL);
	assert_int_equal(hs_field_ll(line, "cid", &ecid), 0);
	assert_int_equal(ecid, cid);
	snprintf(want, sizeof want, "classic-%d", cid);
	assert_int_equal(hs_field(line, "name", name, sizeof name), 0);
	assert_string_equal(name, want);

	n = hs_who(v1, cids, 16);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++)
		found += cids[i] == cid;
	assert_int_equal(found, 1);

	assert_int_equal(hs_cmd(v1, line, sizeof line, "run 3 4"), 0);
	assert_true(hs_starts(line, "ok run"));
	assert_int_equal(hs_cmd(v1, line, sizeof line, "say moving"), 0);
	EXCHANGE(cl, "run 1 1\n\0", "Turtle travel to <4:5>\n\0");

	assert_int_equal(hs_send(cl, "quit\n\0", 6), 0);
	assert_int_equal(hs_wait_eof(cl, hs_wait_ms(HS_WAIT_MS)), 0);
	assert_int_equal(hs_expect(v1, "evt ", line, sizeof line), 0);
	while (strstr(line, " leave ") == NULL)
		assert_int_equal(hs_expect(v1, "evt ", line, sizeof line), 0);
	assert_int_equal(hs_field_ll(line, "cid", &ecid), 0);
	assert_int_equal(ecid, cid);
	assert_int_equal(hs_field(line, "reason", name, sizeof name), 0);
	assert_string_equal(name, "quit");
	assert_int_equal(v1->seq_gaps, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_lecture_exchange, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_classic_framing, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_classic_refusals, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_lecture_client, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_classic_among_v1, setup, hs_state_free),
	};

	return cmocka_run_group_tests_name("classic", tests, NULL, NULL);
}
