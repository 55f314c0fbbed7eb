/*
 * log.c - the log file: two runs append to the same file, every line
 * (master's and workers', written at once by many processes) is whole and
 * in the one format, and SIGHUP reopens it.  A symbolic link, a file of
 * another user's or one with a second name is refused, at the start and
 * at a reopen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define FLOODERS 5

/* 2026-11-24T02:10:00.123Z pid=123 master info: text */
#define LINE_RE                                                                \
	"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z "  \
	"pid=([0-9]+) (master|spawner|idle worker|worker( cid=[0-9]+)?) "      \
	"(debug|info|notice|warn|error|fatal): [^ ].*$"

/* Sends a say until it is not refused for the rate. */
static void
say_marker(struct hs_client *c, const char *marker)
{
	long long deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	char line[HS_LINE_MAX];

	for (;;) {
		assert_int_equal(
		    hs_cmd(c, line, sizeof line, "say %s", marker), 0);
		if (hs_starts(line, "ok say"))
			return;
		if (!hs_starts(line, "err rate") || hs_now_ms() > deadline)
			fail_msg("say %s -> \"%s\"", marker, line);
		hs_nap(50);
	}
}

static void
stop_clean(struct hs_server *srv)
{
	int status = hs_server_stop(srv);

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
run_one(struct hs_server *srv)
{
	static const char *args[] = {"-v", NULL};
	struct hs_client *c[3], *cl;
	char marker[32], reply[64];
	int i;

	assert_int_equal(hs_server_start(srv, args), 0);
	for (i = 0; i < 3; i++) {
		snprintf(marker, sizeof marker, "r1client%d", i);
		assert_non_null(c[i] = hs_client_hello(srv, marker));
		snprintf(marker, sizeof marker, "marker-1-%d", i);
		say_marker(c[i], marker);
	}
	assert_non_null(cl = hs_client_new(srv));
	assert_int_equal(hs_send(cl, "run 1 1\n\0", 9), 0);
	assert_true(hs_classic_reply(cl, reply, sizeof reply) > 0);
	for (i = 0; i < 3; i++)
		hs_client_close(c[i]);
	hs_client_close(cl);
	stop_clean(srv);
}

/* Several clients flood at once, so master and workers log together. */
static void
run_two(struct hs_server *srv)
{
	static const char *args[] = {"-v", "--rate", "5", "--burst", "5", NULL};
	struct hs_client *c[FLOODERS];
	char marker[32], *flood, line[HS_LINE_MAX];
	int i, k;

	assert_int_equal(hs_server_start(srv, args), 0);
	for (i = 0; i < FLOODERS; i++) {
		snprintf(marker, sizeof marker, "r2client%d", i);
		assert_non_null(c[i] = hs_client_hello(srv, marker));
	}
	flood = malloc(200 * 7);
	assert_non_null(flood);
	for (k = 0; k < 200; k++)
		memcpy(flood + k * 7, "getcid\n", 7);
	for (i = 0; i < FLOODERS; i++)
		assert_int_equal(hs_send(c[i], flood, 200 * 7), 0);
	free(flood);
	for (i = 0; i < FLOODERS; i++) {
		for (k = 0; k < 200; k++) {
			assert_true(hs_line(c[i], line, sizeof line) >= 0);
			if (!hs_is_final(line))
				k--;
		}
		snprintf(marker, sizeof marker, "marker-2-%d", i);
		say_marker(c[i], marker);
	}
	stop_clean(srv);
}

static void
test_log_two_runs(void **state)
{
	struct hs_server *srv = *state;
	pid_t pid1, pid2;
	char *text, *line, *next, *p, marker[32];
	int n = 0, m1 = 0, m2 = 0, workers = 0, last1 = -1, first2 = -1;
	int seen[2][FLOODERS], i, k, hits;
	regmatch_t rm[4];
	regex_t re;
	long long pid;
	size_t len;

	memset(seen, 0, sizeof seen);
	run_one(srv);
	pid1 = srv->pid;
	run_two(srv);
	pid2 = srv->pid;
	assert_int_not_equal(pid1, pid2);

	assert_int_equal(regcomp(&re, LINE_RE, REG_EXTENDED), 0);
	text = hs_read_file(srv->log, &len);
	assert_non_null(text);
	assert_true(len > 0);
	assert_int_equal(strlen(text), len); /* no NUL inside */
	assert_int_equal(text[len - 1], '\n');
	for (line = text; *line != '\0'; line = next, n++) {
		next = strchr(line, '\n');
		*next++ = '\0';
		if (regexec(&re, line, 4, rm, 0) != 0)
			fail_msg("log line %d is not in the format: \"%s\"", n,
			    line);
		pid = strtoll(line + rm[1].rm_so, NULL, 10);
		if (line[rm[2].rm_so] != 'm') {
			if (pid == pid1 || pid == pid2)
				fail_msg("a worker line with the master's "
					 "pid: %s",
				    line);
			workers++;
		} else if (pid == pid1) {
			m1++;
			last1 = n;
		} else if (pid == pid2) {
			m2++;
			if (first2 == -1)
				first2 = n;
		} else
			fail_msg("a master line from neither run: %s", line);
		/* Each event once, and never two on one line. */
		for (k = 0, hits = 0; k < 2; k++) {
			for (i = 0; i < (k == 0 ? 3 : FLOODERS); i++) {
				snprintf(marker, sizeof marker, "marker-%d-%d",
				    k + 1, i);
				if ((p = strstr(line, marker)) == NULL)
					continue;
				seen[k][i]++;
				hits++;
			}
		}
		if (hits > 1)
			fail_msg("two events on one line: %s", line);
	}
	regfree(&re);
	free(text);

	assert_true(m1 >= 2);
	assert_true(m2 >= 2);
	/* Appended: the second run's lines all come after the first's. */
	assert_true(last1 < first2);
	for (i = 0; i < 3; i++)
		assert_true(seen[0][i] >= 1);
	for (i = 0; i < FLOODERS; i++)
		assert_true(seen[1][i] >= 1);
	print_message("log: %d lines, %d master (%d + %d), %d worker\n", n,
	    m1 + m2, m1, m2, workers);
}

/* SIGHUP: the log is reopened, so a rotated file is let go. */
/* Past the default burst (100): the worker refuses some and says so. */
#define FLOOD_LINES 400

static void
test_sighup_reopens(void **state)
{
	static const char *args[] = {"-v", NULL};
	struct hs_server *srv = *state;
	struct hs_client *c;
	char rotated[PATH_MAX + 8], line[HS_LINE_MAX], *text;
	long long deadline;
	char *flood;
	size_t i;
	int found;

	assert_int_equal(hs_server_start(srv, args), 0);
	assert_non_null(c = hs_client_hello(srv, "rotator"));
	say_marker(c, "before-hup");
	assert_int_equal(hs_log_wait(srv, "before-hup", NULL, line, sizeof line,
			     hs_wait_ms(HS_WAIT_MS)),
	    0);
	snprintf(rotated, sizeof rotated, "%s.1", srv->log);
	assert_int_equal(rename(srv->log, rotated), 0);
	assert_int_equal(kill(srv->pid, SIGHUP), 0);

	/* Say things until they land in a new file at the old name. */
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	for (;;) {
		text = hs_read_file(srv->log, NULL);
		found = text != NULL && strstr(text, "after-hup") != NULL;
		free(text);
		if (found)
			break;
		if (hs_now_ms() > deadline)
			fail_msg("no new %s after SIGHUP", srv->log);
		say_marker(c, "after-hup");
		hs_nap(20);
	}
	assert_true(hs_server_alive(srv));

	/*
	 * The workers write the same file: a line only a worker writes (its
	 * rate-limit note) must land in the new file too.  Sent long after
	 * the HUP, when the reopen is already done.
	 */
	flood = malloc(FLOOD_LINES * 7);
	assert_non_null(flood);
	for (i = 0; i < FLOOD_LINES; i++)
		memcpy(flood + i * 7, "getcid\n", 7);
	assert_int_equal(hs_send(c, flood, FLOOD_LINES * 7), 0);
	free(flood);
	if (hs_log_wait(srv, "worker cid=", "rate limited", line, sizeof line,
		hs_wait_ms(HS_WAIT_MS)) != 0) {
		hs_server_dump(srv);
		fail_msg("no worker line in the new %s after SIGHUP", srv->log);
	}
	text = hs_read_file(rotated, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "before-hup"));
	assert_null(strstr(text, "rate limited"));
	free(text);
}

/*
 * turtled --log path must exit 1 before it serves, with a message holding
 * want, and leave the files as they were (checked by the caller).
 */
static void
refused(struct hs_server *srv, const char *path, const char *want)
{
	const char *args[] = {"-f", "-S", srv->sock, "--log", path, NULL};
	char errfile[PATH_MAX + 16], *text;
	int status;

	snprintf(errfile, sizeof errfile, "%s/stderr2", srv->dir);
	unlink(errfile);
	status = hs_run_turtled(args, errfile, NULL, HS_WAIT_MS);
	text = hs_read_file(errfile, NULL);
	assert_non_null(text);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 1)
		fail_msg("turtled --log %s: status 0x%x, want exit 1: %s", path,
		    status, text);
	if (strstr(text, want) == NULL || strstr(text, path) == NULL)
		fail_msg("turtled --log %s: stderr lacks \"%s\" and the "
			 "path: %s",
		    path, want, text);
	free(text);
	/* Nothing was bound: it stopped before its sockets. */
	assert_int_equal(access(srv->sock, F_OK), -1);
}

static void
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
}

static void
assert_file(const char *path, const char *want)
{
	char *text = hs_read_file(path, NULL);

	if (text == NULL)
		fail_msg("%s is gone: %s", path, strerror(errno));
	if (strcmp(text, want) != 0)
		fail_msg("%s was written to: \"%s\"", path, text);
	free(text);
}

/* --log naming a symbolic link, to a file or to nothing: refused. */
static void
test_log_symlink(void **state)
{
	struct hs_server *srv = *state;
	char target[PATH_MAX], link[PATH_MAX], none[PATH_MAX];

	snprintf(target, sizeof target, "%s/precious", srv->dir);
	snprintf(link, sizeof link, "%s/link.log", srv->dir);
	snprintf(none, sizeof none, "%s/made-through-a-link", srv->dir);
	write_file(target, "keep me\n");
	assert_int_equal(symlink(target, link), 0);
	refused(srv, link, "is a symbolic link");
	assert_file(target, "keep me\n");

	/* Dangling: the link's target must not be created. */
	assert_int_equal(unlink(link), 0);
	assert_int_equal(symlink(none, link), 0);
	refused(srv, link, "is a symbolic link");
	assert_int_equal(access(none, F_OK), -1);
	assert_int_equal(errno, ENOENT);
}

/*
 * An existing log of another user's (root only: only root can make one),
 * and one with a second name (anyone): refused, not appended to.
 */
static void
test_log_not_ours(void **state)
{
	struct hs_server *srv = *state;
	char path[PATH_MAX], other[PATH_MAX], want[64];

	snprintf(path, sizeof path, "%s/two-names.log", srv->dir);
	snprintf(other, sizeof other, "%s/first-name", srv->dir);
	write_file(other, "keep me\n");
	assert_int_equal(link(other, path), 0);
	refused(srv, path, "has 2 names (hard links)");
	assert_file(other, "keep me\n");

	if (geteuid() != 0) {
		print_message("not root: another user's log not tried\n");
		return;
	}
	snprintf(path, sizeof path, "%s/nobodys.log", srv->dir);
	write_file(path, "keep me\n");
	assert_int_equal(chown(path, HS_NOBODY, HS_NOBODY), 0);
	snprintf(want, sizeof want, "belongs to uid %d", HS_NOBODY);
	refused(srv, path, want);
	assert_file(path, "keep me\n");
}

/* Waits for a line of path holding a and b. */
static int
file_wait(const char *path, const char *a, const char *b, int ms)
{
	long long deadline = hs_now_ms() + ms;
	char *text, *line, *next;
	int found;

	for (;;) {
		found = 0;
		if ((text = hs_read_file(path, NULL)) != NULL) {
			for (line = text; !found && *line != '\0';
			     line = next) {
				if ((next = strchr(line, '\n')) == NULL)
					break;
				*next++ = '\0';
				found = strstr(line, a) != NULL &&
					strstr(line, b) != NULL;
			}
		}
		free(text);
		if (found)
			return 0;
		if (hs_now_ms() > deadline)
			return -1;
		hs_nap(10);
	}
}

/*
 * The log rotated and a dangling link put in its place: SIGHUP makes the
 * master and the serving worker refuse it, each saying so in the file
 * they keep, and nothing is created through the link.
 */
static void
test_sighup_symlink(void **state)
{
	struct hs_server *srv = *state;
	char rotated[PATH_MAX + 8], none[PATH_MAX], line[HS_LINE_MAX];
	struct hs_client *c;

	assert_int_equal(hs_server_start(srv, NULL), 0);
	assert_non_null(c = hs_client_hello(srv, "rotator"));
	snprintf(rotated, sizeof rotated, "%s.1", srv->log);
	snprintf(none, sizeof none, "%s/made-through-a-link", srv->dir);
	assert_int_equal(rename(srv->log, rotated), 0);
	assert_int_equal(symlink(none, srv->log), 0);
	assert_int_equal(kill(srv->pid, SIGHUP), 0);

	if (file_wait(rotated, "master error: refusing log",
		"is a symbolic link", hs_wait_ms(HS_WAIT_MS)) != 0)
		fail_msg("the master did not refuse the link in %s", rotated);
	if (file_wait(rotated, "worker cid=", "is a symbolic link",
		hs_wait_ms(HS_WAIT_MS)) != 0)
		fail_msg("the worker did not refuse the link in %s", rotated);
	assert_int_equal(access(none, F_OK), -1);
	assert_int_equal(errno, ENOENT);

	/* The server writes on to the file it had. */
	assert_non_null(hs_client_hello(srv, "later"));
	if (file_wait(rotated, "master info:", "joined as later",
		hs_wait_ms(HS_WAIT_MS)) != 0)
		fail_msg("no join after the refusal in %s", rotated);
	assert_int_equal(hs_cmd(c, line, sizeof line, "getcid"), 0);
	assert_true(hs_server_alive(srv));
	assert_int_equal(access(none, F_OK), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_log_two_runs, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_sighup_reopens, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_log_symlink, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_log_not_ours, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_sighup_symlink, hs_state_init, hs_state_free),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
