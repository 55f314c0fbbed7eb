/*
 * dgram.c - the datagram endpoint beside the stream socket (PATH.ping):
 * ping, quit (which stops nothing), status and anything else, each reply
 * the text and a NUL; many pingers at once all answered.  The lecture's
 * client, bound to the relative path "client", gets its replies from any
 * directory; a reply that cannot go where it should is not sent anywhere
 * else, and is logged once per burst.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#ifndef LECTURE_DGRAM
#error "LECTURE_DGRAM must name the lecture's datagram client"
#endif

#define PINGERS    20
#define LOST_BURST 20 /* requests whose replies cannot be delivered */

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

/* One lecture client, run in a directory of its own. */
struct lecturer {
	char dir[PATH_MAX];
	pid_t pid;
	int in, out; /* its stdin and stdout */
	char buf[1024];
	size_t len;
	int eof;
};

/*
 * dir: a new directory in the test's with "server", a symlink to the
 * server's PATH.ping, in it, as the lecture's tests set it up.
 */
static void
lecture_dir(struct hs_server *srv, const char *name, char *dir, size_t len)
{
	char ping[PATH_MAX + 8], link[PATH_MAX + 16];

	snprintf(dir, len, "%s/%s", srv->dir, name);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(ping, sizeof ping, "%s.ping", srv->sock);
	snprintf(link, sizeof link, "%s/server", dir);
	assert_int_equal(symlink(ping, link), 0);
}

static void
lecture_start(struct lecturer *l, struct hs_server *srv, const char *name)
{
	char secs[16];
	int in[2], out[2];

	lecture_dir(srv, name, l->dir, sizeof l->dir);
	snprintf(secs, sizeof secs, "%d", hs_wait_ms(HS_WAIT_MS) / 1000);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	l->pid = fork();
	assert_true(l->pid != -1);
	if (l->pid == 0) {
		if (chdir(l->dir) != 0 || dup2(in[0], 0) == -1 ||
		    dup2(out[1], 1) == -1)
			_exit(126);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execl(LECTURE_DGRAM, "lecture_dgram", secs, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	l->in = in[1];
	l->out = out[0];
	l->len = 0;
	l->eof = 0;
}

/*
 * Two of the lecture's clients at once, from two directories, each bound
 * to its own "client" and sending to its own "server" link: each gets the
 * lecture server's three answers.  turtled used to send them to "client"
 * in its own working directory, where neither was.
 */
static void
test_lecture_two_dirs(void **state)
{
	static const char requests[] = "this is wrong\nping\nquit\n";
	static const char want[] = "wrong string!\npong!\nquit_flag now!\n";
	struct hs_server *srv = *state;
	struct lecturer l[2];
	struct pollfd pfd[2];
	long long deadline;
	int i, status, open = 2;
	ssize_t n;

	signal(SIGPIPE, SIG_IGN);
	lecture_start(&l[0], srv, "alice");
	lecture_start(&l[1], srv, "bob");
	for (i = 0; i < 2; i++) {
		assert_int_equal(write(l[i].in, requests, sizeof requests - 1),
		    (ssize_t)sizeof requests - 1);
		close(l[i].in);
	}
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS) + 2000;
	while (open > 0 && hs_now_ms() < deadline) {
		for (i = 0; i < 2; i++) {
			pfd[i].fd = l[i].eof ? -1 : l[i].out;
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, 2, (int)(deadline - hs_now_ms())) <= 0)
			continue;
		for (i = 0; i < 2; i++) {
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			n = read(l[i].out, l[i].buf + l[i].len,
			    sizeof l[i].buf - 1 - l[i].len);
			if (n <= 0) {
				l[i].eof = 1;
				open--;
			} else
				l[i].len += (size_t)n;
		}
	}
	for (i = 0; i < 2; i++) {
		if (!l[i].eof)
			kill(l[i].pid, SIGKILL);
		assert_int_equal(waitpid(l[i].pid, &status, 0), l[i].pid);
		close(l[i].out);
		l[i].buf[l[i].len] = '\0';
		if (strcmp(l[i].buf, want) != 0)
			fail_msg("the client in %s got \"%s\" (status 0x%x), "
				 "want \"%s\"",
			    l[i].dir, l[i].buf, status, want);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_true(hs_server_alive(srv));
}

/* Log lines holding both a and b. */
static int
log_count(struct hs_server *srv, const char *a, const char *b)
{
	char *text = hs_read_file(srv->log, NULL), *p;
	int n = 0;

	assert_non_null(text);
	for (p = strtok(text, "\n"); p != NULL; p = strtok(NULL, "\n"))
		n += strstr(p, a) != NULL && strstr(p, b) != NULL;
	free(text);
	return n;
}

/*
 * A sender that binds "client" in dir, then (how says) makes it
 * unreachable and sends count pings, then holds on until hold closes;
 * returns its pid once the pings are sent.
 */
enum sender_how { SENDER_UNLINKED, SENDER_MOVED };

static pid_t
sender_start(struct hs_server *srv, const char *dir, const char *moved_to,
    enum sender_how how, int count, int keep, int *hold)
{
	struct sockaddr_un to, me;
	int sync[2], hp[2], fd, i;
	char c;
	pid_t pid;

	memset(&to, 0, sizeof to);
	to.sun_family = AF_UNIX;
	assert_true(snprintf(to.sun_path, sizeof to.sun_path, "%.*s.ping",
			(int)(sizeof to.sun_path - 6),
			srv->sock) < (int)sizeof to.sun_path);
	memset(&me, 0, sizeof me);
	me.sun_family = AF_UNIX;
	strcpy(me.sun_path, "client");
	assert_int_equal(pipe(sync), 0);
	assert_int_equal(pipe(hp), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		/* Nothing of the test's but the pipes: a socket it held
		 * would be the sender's too. */
		if (keep != -1)
			close(keep);
		close(sync[0]);
		close(hp[1]);
		if (chdir(dir) != 0 ||
		    (fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
		    bind(fd, (struct sockaddr *)&me, sizeof me) != 0)
			_exit(1);
		if (how == SENDER_UNLINKED && unlink("client") != 0)
			_exit(2);
		if (how == SENDER_MOVED && chdir(moved_to) != 0)
			_exit(3);
		for (i = 0; i < count; i++) {
			if (sendto(fd, "ping", 5, 0, (struct sockaddr *)&to,
				sizeof to) != 5)
				_exit(4);
		}
		if (write(sync[1], "x", 1) != 1)
			_exit(5);
		while (read(hp[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(sync[1]);
	close(hp[0]);
	if (read(sync[0], &c, 1) != 1) {
		waitpid(pid, &i, 0);
		fail_msg("the sender failed: status 0x%x", i);
	}
	close(sync[0]);
	*hold = hp[1];
	return pid;
}

static void
sender_end(pid_t pid, int hold)
{
	int status;

	close(hold);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * Every request before it has been answered (or found unanswerable):
 * datagrams on one socket are served in order.
 */
static void
barrier(struct hs_server *srv)
{
	char path[PATH_MAX + 8];
	int fd;

	snprintf(path, sizeof path, "%s.ping", srv->sock);
	assert_true((fd = hs_dgram_unix(srv->dir, "barrier")) >= 0);
	ask(fd, path, "ping", 5, "pong!");
	close(fd);
}

/*
 * The sender's "client" is gone (unlinked after the bind): its replies
 * cannot be delivered.  A burst of them is one log line, naming the
 * sender and why.
 */
static void
test_reply_lost_logged_once(void **state)
{
	struct hs_server *srv = *state;
	char dir[PATH_MAX], who[64];
	int hold, n;
	pid_t pid;

	lecture_dir(srv, "gone", dir, sizeof dir);
	pid = sender_start(
	    srv, dir, NULL, SENDER_UNLINKED, LOST_BURST, -1, &hold);
	barrier(srv);
	snprintf(who, sizeof who, "cannot reply to unix:client (pid %ld)",
	    (long)pid);
	n = log_count(srv, who, ": no such socket in its directory;");
	if (n != 1) {
		hs_server_dump(srv);
		fail_msg("%d log lines for a burst of %d lost replies, want 1",
		    n, LOST_BURST);
	}
	assert_int_equal(log_count(srv, "cannot reply", ""), 1);
	sender_end(pid, hold);
}

/* Is sock_diag there to say which file a socket is bound to? */
static int
have_sock_diag(void)
{
	int sv[2], ok;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 0;
	ok = hs_unix_peer(sv[0]) != 0;
	close(sv[0]);
	close(sv[1]);
	return ok;
}

/*
 * The sender bound "client" in one directory and moved to another, where
 * "client" is a socket it does not hold (ours, or one of another user's):
 * its reply goes to neither, and that is logged.
 */
static void
reply_not_theirs(struct hs_server *srv, int other_user, const char *why)
{
	char first[PATH_MAX], there[PATH_MAX], decoy[PATH_MAX + 16];
	char out[64], who[64];
	int fd, hold;
	pid_t pid;

	lecture_dir(srv, "first", first, sizeof first);
	lecture_dir(srv, "there", there, sizeof there);
	assert_true((fd = hs_dgram_unix(there, "client")) >= 0);
	snprintf(decoy, sizeof decoy, "%s/client", there);
	if (other_user)
		assert_int_equal(chown(decoy, HS_NOBODY, HS_NOBODY), 0);
	pid = sender_start(srv, first, there, SENDER_MOVED, 1, fd, &hold);
	barrier(srv);
	if (recv(fd, out, sizeof out, MSG_DONTWAIT) != -1 || errno != EAGAIN)
		fail_msg(
		    "a reply went to %s, a socket not the sender's", decoy);
	snprintf(who, sizeof who, "cannot reply to unix:client (pid %ld)",
	    (long)pid);
	if (log_count(srv, who, why) != 1) {
		hs_server_dump(srv);
		fail_msg("no log line \"%s\" ... \"%s\"", who, why);
	}
	sender_end(pid, hold);
	close(fd);
}

static void
test_reply_not_held(void **state)
{
	if (!have_sock_diag()) {
		print_message("no sock_diag: turtled checks the user only\n");
		skip();
		return;
	}
	reply_not_theirs(*state, 0, ": the socket there is not the sender's;");
}

static void
test_reply_other_user(void **state)
{
	if (geteuid() != 0) {
		skip();
		return;
	}
	reply_not_theirs(*state, 1, ": the socket there is not its user's;");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_ping_words, hs_state_default, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_many_pingers, hs_state_default, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_lecture_two_dirs, hs_state_default, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_reply_lost_logged_once, hs_state_default, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_reply_not_held, hs_state_default, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_reply_other_user, hs_state_default, hs_state_free),
	};

	return cmocka_run_group_tests_name("dgram", tests, NULL, NULL);
}
